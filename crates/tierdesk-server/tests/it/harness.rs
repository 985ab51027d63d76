//! Starting servers for tests and talking to them.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tierdesk_server::state::{Clock, ManualClock, SystemClock};
use tierdesk_server::{Application, Config};
use tierdesk_store::{Id, User};
use tierdesk_store_sql::Location;

/// Where a test server keeps its data.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and an admin token for it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub admin: String,
    pub state: tierdesk_server::state::AppState,
    _dir: Option<tempfile::TempDir>,
    stop: tokio::sync::oneshot::Sender<()>,
    running: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// A response, read.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl TestApp {
    /// A fresh server with an empty database; `None` when the backend is not
    /// available here (PostgreSQL without DATABASE_URL, outside CI).
    pub async fn start(backend: Backend) -> Option<TestApp> {
        Self::start_with(backend, |_| {}).await
    }

    /// [`TestApp::start`] with the configuration adjusted first.
    pub async fn start_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let mut dir = None;
        let location = match backend {
            Backend::Sqlite => {
                let d = tempfile::tempdir().expect("temp dir");
                let path = d.path().join("tierdesk.db");
                dir = Some(d);
                Location::Sqlite(path)
            }
            Backend::Postgres => {
                let url = tierdesk_store_sql::testing::postgres_url()?;
                Location::Postgres(
                    tierdesk_store_sql::testing::fresh_postgres_database(&url)
                        .await
                        .expect("fresh database"),
                )
            }
        };
        let mut app = Self::start_at(location, adjust).await;
        app._dir = dir;
        Some(app)
    }

    /// A server on an existing database (another instance may share it). The
    /// scheduler and notifier do not run: these servers test the API, and alerts
    /// fired in the background would change the histories they look at (the
    /// workflow tests run them, on a manual clock).
    pub async fn start_at(location: Location, adjust: impl FnOnce(&mut Config)) -> TestApp {
        Self::start_clocked(location, Arc::new(SystemClock), |c| {
            c.background = false;
            adjust(c);
        })
        .await
    }

    /// A server on `location` whose time comes from `clock` (tests move a
    /// [`ManualClock`] to make promises fall due).
    pub async fn start_clocked(
        location: Location,
        clock: Arc<dyn Clock>,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        // TIERDESK_TEST_LOG=debug shows the servers' logs.
        if let Ok(filter) = std::env::var("TIERDESK_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .try_init();
        }
        let mut config = Config::defaults();
        config.listen = "127.0.0.1:0".parse().expect("address");
        config.database = location;
        adjust(&mut config);
        let app = Application::build_with_clock(config, clock)
            .await
            .expect("the server builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let admin_user = User {
            id: "test-admin".parse().expect("id"),
            name: "Test admin".into(),
            role: tierdesk_core::Role::Admin,
            customer_id: None,
            department_id: None,
            email: None,
            password_hash: None,
            disabled: false,
        };
        // A second instance on the same database finds the admin already there.
        match state.store.create_user(&admin_user, state.now()).await {
            Ok(_) | Err(tierdesk_store::StoreError::AlreadyExists { .. }) => {}
            Err(e) => panic!("admin user: {e}"),
        }
        let admin =
            tierdesk_server::mint_token(state.store.as_ref(), &admin_user.id, "tests", state.now())
                .await
                .expect("token")
                .token;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        TestApp {
            base,
            client: reqwest::Client::new(),
            admin,
            state,
            _dir: None,
            stop,
            running,
        }
    }

    /// Stops the server as `serve` does on SIGTERM, and waits until it has.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        self.running
            .await
            .expect("the server task ends")
            .expect("the server stops cleanly");
    }

    /// Keeps a temporary data directory alive as long as the server.
    pub fn keep_dir(&mut self, dir: tempfile::TempDir) {
        self._dir = Some(dir);
    }

    /// Sends a request with a token (or none) and optional JSON body and headers.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let response = req.send().await.expect("the server answers");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    /// GET as admin.
    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, Some(&self.admin), None, &[])
            .await
    }

    /// POST JSON as admin.
    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(&self.admin), Some(body), &[])
            .await
    }

    /// Creates a user with a role (and customer or department) and returns its token.
    pub async fn user(
        &self,
        id: &str,
        role: &str,
        customer: Option<&str>,
        department: Option<&str>,
    ) -> String {
        let r = self
            .post("/api/v1/users", json!({"id": id, "name": id, "role": role, "customer_id": customer, "department_id": department}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let r = self
            .post(
                &format!("/api/v1/users/{id}/tokens"),
                json!({"label": "test"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.body["token"].as_str().expect("token").to_owned()
    }

    /// Reference data: a gold and a bronze customer with a dedicated-line service and
    /// a circuit each, and an operations department.
    pub async fn seed(&self) {
        for (id, level) in [("CUS-G", "gold"), ("CUS-B", "bronze")] {
            let r = self
                .post(
                    "/api/v1/customers",
                    json!({"id": id, "name": format!("Customer {id}"), "level": level}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            let r = self
                .post("/api/v1/services", json!({"id": format!("SVC-{id}"), "customer_id": id, "name": "Line", "category": "dedicated_line", "scope": "cross_province"}))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            let r = self
                .post("/api/v1/circuits", json!({"id": format!("CIR-{id}"), "service_id": format!("SVC-{id}"), "a_end": "A", "z_end": "Z"}))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        }
        let r = self
            .post(
                "/api/v1/departments",
                json!({"id": "ops", "name": "Operations", "kind": "operations"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }

    /// The store, for looking under the hood.
    pub fn store(&self) -> &Arc<dyn tierdesk_store::Store> {
        &self.state.store
    }
}

/// An id, in tests.
pub fn id(s: &str) -> Id {
    s.parse().expect("id")
}

/// Writes each test once per backend: `mod sqlite { … } mod postgres { … }`.
#[macro_export]
macro_rules! on_both_backends {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)+) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let $app = $crate::TestApp::start($crate::Backend::Sqlite).await.expect("sqlite is always available");
                    $body
                }
            )+
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some($app) = $crate::TestApp::start($crate::Backend::Postgres).await else { return };
                    $body
                }
            )+
        }
    };
}

/// A test database: a SQLite file in a temporary directory, or a fresh
/// PostgreSQL database; `None` when PostgreSQL is not available here.
pub async fn fresh_location(backend: Backend) -> Option<(Location, Option<tempfile::TempDir>)> {
    match backend {
        Backend::Sqlite => {
            let d = tempfile::tempdir().expect("temp dir");
            Some((Location::Sqlite(d.path().join("tierdesk.db")), Some(d)))
        }
        Backend::Postgres => {
            let url = tierdesk_store_sql::testing::postgres_url()?;
            let fresh = tierdesk_store_sql::testing::fresh_postgres_database(&url)
                .await
                .expect("fresh database");
            Some((Location::Postgres(fresh), None))
        }
    }
}

/// Monday 2025-06-09, 09:00 in Shanghai (an ordinary working day), where the
/// tests' clocks start.
pub fn monday_morning() -> jiff::Timestamp {
    "2025-06-09T09:00:00+08:00".parse().expect("instant")
}

/// [`monday_morning`] plus `minutes`, in RFC 3339.
pub fn at_minute(minutes: i64) -> String {
    monday_morning()
        .checked_add(jiff::SignedDuration::from_mins(minutes))
        .expect("instant")
        .to_string()
}

/// A manual clock at [`monday_morning`].
pub fn manual_clock() -> Arc<ManualClock> {
    ManualClock::new(monday_morning())
}

/// Waits until `check` gives a value, asking again as background work proceeds;
/// fails the test after 20 seconds.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// One request a [`Receiver`] got.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
    }
}

/// A real HTTP receiver on port 0 that records every POST and answers with the
/// status it is set to (201 at first).
pub struct Receiver {
    pub url: String,
    status: Arc<std::sync::atomic::AtomicU16>,
    rx: tokio::sync::mpsc::UnboundedReceiver<Received>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let status = Arc::new(std::sync::atomic::AtomicU16::new(201));
        let answer = status.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
                let tx = tx.clone();
                let answer = answer.clone();
                async move {
                    let mut copied = reqwest::header::HeaderMap::new();
                    for (k, v) in &headers {
                        if let (Ok(k), Ok(v)) = (
                            reqwest::header::HeaderName::from_bytes(k.as_str().as_bytes()),
                            reqwest::header::HeaderValue::from_bytes(v.as_bytes()),
                        ) {
                            copied.insert(k, v);
                        }
                    }
                    let _ = tx.send(Received {
                        headers: copied,
                        body,
                    });
                    axum::http::StatusCode::from_u16(
                        answer.load(std::sync::atomic::Ordering::SeqCst),
                    )
                    .unwrap_or(axum::http::StatusCode::OK)
                }
            }),
        );
        let socket = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/hook", socket.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(socket, app).await });
        Receiver { url, status, rx }
    }

    /// Answers every following request with `status`.
    pub fn answer(&self, status: u16) {
        self.status
            .store(status, std::sync::atomic::Ordering::SeqCst);
    }

    /// The next request received.
    pub async fn next(&mut self) -> Received {
        tokio::time::timeout(Duration::from_secs(20), self.rx.recv())
            .await
            .expect("a request arrives")
            .expect("the receiver stays up")
    }

    /// The next request whose JSON `topic` is `topic` (others are skipped).
    pub async fn next_topic(&mut self, topic: &str) -> Received {
        loop {
            let r = self.next().await;
            if r.json()["topic"] == topic {
                return r;
            }
        }
    }
}

/// A real SMTP server (Python's aiosmtpd, installed on first use if missing)
/// that hands every message it accepts to the test.
pub struct SmtpSink {
    pub url: String,
    lines: tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>,
    _child: tokio::process::Child,
}

/// One message the SMTP server accepted.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Mail {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub data: String,
}

impl Mail {
    /// The decoded subject line.
    pub fn subject(&self) -> String {
        let parsed = mail_parser(&self.data);
        parsed.0
    }

    /// The decoded body.
    pub fn body(&self) -> String {
        mail_parser(&self.data).1
    }
}

/// Subject and body of a simple RFC 5322 message, decoding what lettre encodes
/// (RFC 2047 words in the subject, quoted-printable or base64 bodies) with Python's
/// own e-mail package, which the sink already has.
fn mail_parser(data: &str) -> (String, String) {
    let script = "import sys,email,email.policy,json\nm=email.message_from_string(sys.stdin.read(),policy=email.policy.default)\nprint(json.dumps([str(m['subject']),m.get_content()]))";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(data.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("python3 ends");
    let (subject, body): (String, String) =
        serde_json::from_slice(&out.stdout).expect("subject and body");
    (subject, body)
}

fn python_path() -> &'static str {
    static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let deps = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("pydeps");
        let importable = |path: &std::path::Path| {
            std::process::Command::new("python3")
                .args(["-c", "import aiosmtpd"])
                .env("PYTHONPATH", path)
                .status()
                .is_ok_and(|s| s.success())
        };
        if !importable(&deps) {
            let status = std::process::Command::new("python3")
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--target",
                ])
                .arg(&deps)
                .arg("aiosmtpd==1.4.6")
                .status()
                .expect("python3 -m pip runs");
            assert!(
                status.success() && importable(&deps),
                "could not install aiosmtpd for the e-mail tests (python3 -m pip install aiosmtpd)"
            );
        }
        deps.display().to_string()
    })
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        use tokio::io::AsyncBufReadExt;
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py");
        let mut child = tokio::process::Command::new("python3")
            .arg(script)
            .env("PYTHONPATH", python_path())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the SMTP server starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("the SMTP server says where it listens")
            .expect("read")
            .expect("a line");
        let port = first
            .strip_prefix("PORT ")
            .expect("PORT n")
            .trim()
            .to_owned();
        SmtpSink {
            url: format!("smtp://127.0.0.1:{port}"),
            lines,
            _child: child,
        }
    }

    /// The next message the server accepted.
    pub async fn next(&mut self) -> Mail {
        let line = tokio::time::timeout(Duration::from_secs(20), self.lines.next_line())
            .await
            .expect("a message arrives")
            .expect("read")
            .expect("the SMTP server is still up");
        serde_json::from_str(&line).expect("a message as JSON")
    }
}
