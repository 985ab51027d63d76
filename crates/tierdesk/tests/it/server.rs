//! The server commands, driven through the real binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::tierdesk;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tierdesk"));
    // The tests set their own data directories; the caller's environment must not leak in.
    for var in [
        "TIERDESK_CONFIG",
        "TIERDESK_DATA_DIR",
        "TIERDESK_DATABASE_URL",
        "TIERDESK_LISTEN",
        "TIERDESK_DEMO",
    ] {
        c.env_remove(var);
    }
    c
}

/// A running `tierdesk serve` and the banner it printed.
struct Server {
    child: Child,
    port: u16,
    banner: String,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = bin()
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tierdesk serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Read the banner until the blank line after the health line, or the token.
        let mut banner = String::new();
        loop {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .expect("the banner is printed");
            banner.push_str(&line);
            banner.push('\n');
            if line.contains("Create the first admin") || line.contains("curl -H") {
                break;
            }
        }
        let port = banner
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .expect("the banner names the port");
        Server {
            child,
            port,
            banner,
        }
    }

    /// A GET with an optional bearer token: (status, body).
    fn get(&self, path: &str, token: Option<&str>) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\n{auth}Connection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    /// Sends SIGTERM and returns the exit code.
    fn stop(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        self.child.wait().expect("it exits").code()
    }
}

#[test]
fn serve_demo_prints_where_to_point_a_browser_and_an_api_client_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(&["--demo", "--data-dir", dir.path().to_str().expect("utf-8")]);
    assert!(
        server.banner.contains("web console  http://127.0.0.1:"),
        "{}",
        server.banner
    );
    assert!(server.banner.contains("/api/docs"), "{}", server.banner);
    let token = server
        .banner
        .split("Bearer ")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("a token in the banner")
        .to_owned();
    assert_eq!(server.get("/healthz", None).0, 200);
    assert_eq!(server.get("/api/v1/tickets", None).0, 401);
    let (status, body) = server.get("/api/v1/tickets?limit=100", Some(&token));
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("F-DEMO-GOLD") && body.contains("N-DEMO-GOLD"),
        "the demo tickets are there"
    );
    assert_eq!(server.stop(), Some(0), "a clean exit on SIGTERM");
}

#[test]
fn user_add_prints_a_token_once_that_the_server_accepts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8");
    let run = tierdesk(&[
        "user",
        "add",
        "alice",
        "--role",
        "admin",
        "--data-dir",
        data,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let token = run
        .stdout
        .lines()
        .last()
        .expect("the token line")
        .trim()
        .to_owned();
    assert!(token.starts_with("tdk_"), "{}", run.stdout);
    let again = tierdesk(&[
        "user",
        "add",
        "alice",
        "--role",
        "admin",
        "--data-dir",
        data,
    ]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    let bad = tierdesk(&[
        "user",
        "add",
        "bob",
        "--role",
        "customer",
        "--data-dir",
        data,
    ]);
    assert_eq!(bad.code, 2, "a customer user needs --customer");

    let server = Server::start(&["--data-dir", data]);
    assert!(
        server.banner.contains("Create the first admin"),
        "{}",
        server.banner
    );
    let (status, body) = server.get("/api/v1/me", Some(&token));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"id\":\"alice\""), "{body}");
    server.stop();
}

#[test]
fn configuration_comes_from_the_file_then_the_environment_then_the_flags() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = |name: &str| dir.path().join(name).to_str().expect("utf-8").to_owned();
    std::fs::write(
        dir.path().join("tierdesk.toml"),
        "data_dir = \"from-file\"\n",
    )
    .expect("write config");
    let migrate = |env: Option<&str>, flag: Option<&str>| {
        let mut c = bin();
        c.arg("migrate").args(["--config", &path("tierdesk.toml")]);
        if let Some(e) = env {
            c.env("TIERDESK_DATA_DIR", e);
        }
        if let Some(f) = flag {
            c.args(["--data-dir", f]);
        }
        let out = c.output().expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    assert!(migrate(None, None).contains(&format!("{}/tierdesk.db", path("from-file"))));
    assert!(migrate(Some(&path("from-env")), None).contains("from-env/tierdesk.db"));
    assert!(
        migrate(Some(&path("from-env")), Some(&path("from-flag")))
            .contains("from-flag/tierdesk.db")
    );

    std::fs::write(
        dir.path().join("bad.toml"),
        "listen = \"nowhere\"\nport = 1\n",
    )
    .expect("write config");
    let out = bin()
        .args(["migrate", "--config", &path("bad.toml")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:1:10") && err.contains("bad.toml:2:1: unknown key `port`"),
        "{err}"
    );
}

#[test]
fn rebuild_recomputes_every_projection_from_the_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8");
    let server = Server::start(&["--demo", "--data-dir", data]);
    assert_eq!(server.stop(), Some(0));
    let run = tierdesk(&["rebuild", "--data-dir", data]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("rebuilt the projections of 13 tickets"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("rebuilt 13 tickets"),
        "progress is shown: {}",
        run.stderr
    );
}

#[test]
fn a_database_url_that_is_not_postgres_is_refused() {
    let run = tierdesk(&["migrate", "--database-url", "mysql://x"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not a postgres:// URL"),
        "{}",
        run.stderr
    );
}

#[test]
fn simulate_reports_what_a_stricter_policy_would_have_meant_for_the_stored_tickets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8");
    let server = Server::start(&["--demo", "--data-dir", data]);
    assert_eq!(server.stop(), Some(0));
    let policy = dir.path().join("strict.toml");
    std::fs::write(
        &policy,
        "[policy]\nname = \"acme-strict\"\nversion = \"2026.1\"\nextends = \"default\"\n\n[fault.restore.cross_city]\nAA = \"PT2H\"\n",
    )
    .expect("write");
    let policy = policy.to_str().expect("utf-8");
    let run = tierdesk(&["simulate", "--data-dir", data, "--policy", policy, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("replayed 13 tickets"),
        "progress: {}",
        run.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["candidate"], "acme-strict 2026.1");
    assert_eq!(report["tickets"], 13);
    // Only the silver (AA) cross-city fault changes: restoration due 2 hours sooner.
    let changes = report["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{changes:?}");
    let c = &changes[0];
    assert_eq!(
        (c["ticket"].as_str(), c["obligation"].as_str()),
        (Some("F-DEMO-SILVER"), Some("restore"))
    );
    let due = |side: &str| {
        c[side]["due"]
            .as_str()
            .expect("due")
            .parse::<jiff::Timestamp>()
            .expect("instant")
    };
    assert_eq!(
        due("current").duration_since(due("candidate")),
        jiff::SignedDuration::from_hours(2)
    );
    assert_eq!(
        report["summary"]["restore breached → breached, due earlier"],
        1
    );

    let table = tierdesk(&[
        "simulate",
        "--data-dir",
        data,
        "--policy",
        policy,
        "--from",
        "2000-01-01",
        "--to",
        "2000-01-02",
    ]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(
        table.stdout.starts_with("Replayed 0 tickets"),
        "{}",
        table.stdout
    );
    let missing = tierdesk(&["simulate", "--data-dir", data]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("--policy FILE"),
        "{}",
        missing.stderr
    );
    let bad = tierdesk(&[
        "simulate",
        "--data-dir",
        data,
        "--policy",
        policy,
        "--from",
        "June",
    ]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("--from: \"June\" is neither a day"),
        "{}",
        bad.stderr
    );
}
