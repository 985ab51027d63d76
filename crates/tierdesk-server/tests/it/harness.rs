//! Starting servers for tests and talking to them.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
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
    _stop: tokio::sync::oneshot::Sender<()>,
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

    /// A server on an existing database (another instance may share it).
    pub async fn start_at(location: Location, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::defaults();
        config.listen = "127.0.0.1:0".parse().expect("address");
        config.database = location;
        adjust(&mut config);
        let app = Application::build(config).await.expect("the server builds");
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
        tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        TestApp {
            base,
            client: reqwest::Client::new(),
            admin,
            state,
            _dir: None,
            _stop: stop,
        }
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
