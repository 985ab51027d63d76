//! Rules as tests: the pure crates stay pure.

use std::path::Path;

fn manifest(krate: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("Cargo.toml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sources(krate: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(krate)
            .join("src"),
    ];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    out
}

const PURE: &[&str] = &["tierdesk-calendar", "tierdesk-core", "tierdesk-source"];

#[test]
fn pure_crates_depend_on_no_async_http_or_sql_crate() {
    for krate in PURE {
        let toml = manifest(krate);
        let deps = toml
            .split("[dependencies]")
            .nth(1)
            .unwrap_or("")
            .split("\n[")
            .next()
            .unwrap_or("");
        for banned in [
            "tokio", "axum", "sqlx", "reqwest", "hyper", "serde", "async",
        ] {
            assert!(
                !deps.lines().any(|l| l.trim_start().starts_with(banned)),
                "{krate} depends on {banned}: the pure crates must not"
            );
        }
    }
}

#[test]
fn pure_crates_read_no_clock_and_touch_no_files() {
    for krate in PURE {
        for (path, text) in sources(krate) {
            for banned in [
                "Timestamp::now",
                "SystemTime::now",
                "Instant::now",
                "std::fs::",
                "std::net::",
                "std::env::var",
                "thread::spawn",
            ] {
                assert!(
                    !text.contains(banned),
                    "{path} uses {banned}: the pure crates must not"
                );
            }
        }
    }
}

#[test]
fn pure_crates_document_every_public_item() {
    for krate in PURE {
        let lib = sources(krate)
            .into_iter()
            .find(|(p, _)| p.ends_with("lib.rs"))
            .unwrap()
            .1;
        assert!(
            lib.contains("#![deny(missing_docs)]"),
            "{krate} must deny missing docs"
        );
    }
}
