//! The console's static files, compiled into the binary so that the console works
//! on an isolated network with nothing else installed: no CDN, no build step.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::problem::Problem;

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "console.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/console.js"),
    },
    Asset {
        name: "i18n.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/i18n.js"),
    },
    Asset {
        name: "console.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("assets/console.css"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_str!("assets/favicon.svg"),
    },
];

/// A strong ETag per asset (a hash of its content), so that browsers revalidate
/// cheaply and never keep a stale script after an upgrade.
static ETAGS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| format!("\"{}\"", &crate::auth::secret_hash(a.body)[..16]))
        .collect()
});

/// `GET /console/assets/{name}`.
pub async fn asset(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some(index) = ASSETS.iter().position(|a| a.name == name) else {
        return Problem::not_found(format!("no console asset {name}")).into_response();
    };
    let asset = &ASSETS[index];
    let etag = &ETAGS[index];
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        asset.body.into_response()
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    // Revalidate every time: the ETag makes that a 304 without a body.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    const I18N: &str = include_str!("assets/i18n.js");
    const CONSOLE: &str = include_str!("assets/console.js");

    /// The keys (`'name':`) of the dictionary between `start` and `end`.
    fn keys(start: &str, end: &str) -> BTreeSet<String> {
        let from = I18N.find(start).expect("dictionary start");
        let to = I18N[from..].find(end).expect("dictionary end") + from;
        I18N[from..to]
            .split('\'')
            .collect::<Vec<_>>()
            .windows(2)
            .filter(|w| w[1].starts_with(':'))
            .map(|w| w[0].to_owned())
            .collect()
    }

    #[test]
    fn both_languages_have_every_string() {
        let en = keys("var en = {", "\n  };");
        let zh = keys("var zh = {", "\n  };");
        assert!(en.len() > 200, "{}", en.len());
        let only_en: Vec<_> = en.difference(&zh).collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in Chinese: {only_en:?}");
        assert!(only_zh.is_empty(), "missing in English: {only_zh:?}");
    }

    #[test]
    fn every_literal_key_the_console_uses_is_in_the_dictionary() {
        let en = keys("var en = {", "\n  };");
        let missing: Vec<&str> = CONSOLE
            .split("t('")
            .skip(1)
            .filter_map(|rest| rest.split('\'').next())
            .filter(|key| key.contains('.') && !key.ends_with('.'))
            .filter(|key| !en.contains(*key))
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
    }
}
