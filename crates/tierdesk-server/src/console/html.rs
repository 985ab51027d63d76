//! The two server-rendered pages: the login form and the shell the single-page
//! console runs in. Everything else is drawn by `assets/console.js` from the API.
//!
//! Text is English here; `assets/i18n.js` replaces every `data-i18n` element with
//! the reader's language as the page loads, so the dictionaries live in one place.

use serde::Serialize;

/// `text` safe inside HTML text and double- or single-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON safe inside a `<script type="application/json">` element: a `</script>` (or
/// `<!--`) inside a string must not end the element, so `<`, `>` and `&` become
/// escapes, which JSON reads back as the same characters.
pub fn script_json<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let json = serde_json::to_string(value)?;
    Ok(json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026"))
}

/// Why the login form is shown again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginError {
    /// Unknown user, wrong password, no password set or disabled: one message for
    /// all, so the form does not tell which user names exist.
    Failed,
    /// The form was posted from another site.
    CrossSite,
    /// The request was not the form.
    BadForm,
    /// The server could not check or store the session.
    Unavailable,
}

impl LoginError {
    fn key_and_text(self) -> (&'static str, &'static str) {
        match self {
            LoginError::Failed => ("login.failed", "Wrong user name or password."),
            LoginError::CrossSite => (
                "login.crossSite",
                "This login form was sent from another site. Open the console directly and try again.",
            ),
            LoginError::BadForm => ("login.badForm", "Enter a user name and a password."),
            LoginError::Unavailable => (
                "login.unavailable",
                "The server cannot log you in right now. Try again in a moment.",
            ),
        }
    }
}

const HEAD: &str = r#"<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/assets/console.css">"#;

/// The login page. `next` is where to go after logging in (already checked to be a
/// console path); `user` refills the name field after a failure.
pub fn login_page(next: &str, user: &str, error: Option<LoginError>) -> String {
    let error = error.map_or_else(String::new, |e| {
        let (key, text) = e.key_and_text();
        format!(r#"<p class="login-error" role="alert" data-i18n="{key}">{text}</p>"#)
    });
    let autofocus_user = if user.is_empty() { " autofocus" } else { "" };
    let autofocus_password = if user.is_empty() { "" } else { " autofocus" };
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
{HEAD}
<title data-i18n="login.title">Log in · tierdesk</title>
</head>
<body class="login-body">
<main class="login-card">
  <div class="login-top">
    <div class="brand"><span class="brand-mark" aria-hidden="true"></span>tierdesk</div>
    <div class="lang-switch" role="group" aria-label="Language">
      <button type="button" data-lang="zh-CN">中文</button><button type="button" data-lang="en">EN</button>
    </div>
  </div>
  <h1 data-i18n="login.heading">Service-level console</h1>
  <p class="login-sub" data-i18n="login.subtitle">Faults, complaints, changes, provisioning and planned-work notices against the tiered SLA.</p>
  {error}
  <form method="post" action="/console/login" class="login-form">
    <input type="hidden" name="next" value="{next}">
    <label for="login-user" data-i18n="login.user">User name</label>
    <input id="login-user" name="user" autocomplete="username" required value="{user}"{autofocus_user}>
    <label for="login-password" data-i18n="login.password">Password</label>
    <input id="login-password" name="password" type="password" autocomplete="current-password" required{autofocus_password}>
    <button type="submit" class="primary" data-i18n="login.submit">Log in</button>
  </form>
</main>
<script src="/console/assets/i18n.js"></script>
</body>
</html>
"#,
        next = escape(next),
        user = escape(user),
    )
}

/// The console shell: the session (user and abilities) as JSON, the CSRF token in a
/// meta tag, and the scripts that draw the views.
pub fn shell(session_json: &str, csrf: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
{HEAD}
<meta name="csrf-token" content="{csrf}">
<title>tierdesk</title>
</head>
<body>
<script type="application/json" id="tierdesk-session">{session_json}</script>
<div id="app"><noscript>The tierdesk console needs JavaScript. 控制台需要启用 JavaScript。</noscript></div>
<script src="/console/assets/i18n.js"></script>
<script src="/console/assets/console.js"></script>
</body>
</html>
"#,
        csrf = escape(csrf),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_values_stays_text() {
        assert_eq!(
            escape(r#"<b a="1">'x' & y</b>"#),
            "&lt;b a=&quot;1&quot;&gt;&#39;x&#39; &amp; y&lt;/b&gt;"
        );
        let page = login_page("/console/", "\"><script>alert(1)</script>", None);
        assert!(!page.contains("<script>alert"));
    }

    #[test]
    fn a_name_cannot_close_the_session_script() {
        let json = script_json(&serde_json::json!({"name": "</script><script>x()</script>"}))
            .expect("json");
        assert!(!json.contains("</script>"));
        let back: serde_json::Value = serde_json::from_str(&json).expect("still JSON");
        assert_eq!(back["name"], "</script><script>x()</script>");
    }
}
