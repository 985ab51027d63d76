//! Building and running the server.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use axum::Router;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tierdesk_calendar::{Calendar, CalendarBuilder};
use tierdesk_core::{DEFAULT_POLICY_TOML, Engine, Policy};
use tierdesk_store::{PolicyRecord, Store};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::problem::Problem;
use crate::state::{AppState, Clock, Policies, SystemClock};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] tierdesk_store_sql::OpenError),
    /// A store operation failed during start-up.
    #[error("{0}")]
    Startup(#[from] tierdesk_store::StoreError),
    /// A configured file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// Which file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A policy or calendar file is invalid.
    #[error("{0}")]
    Invalid(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// Where.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

fn read(path: &std::path::Path) -> Result<String, BuildError> {
    std::fs::read_to_string(path).map_err(|e| BuildError::Read {
        path: path.display().to_string(),
        source: e,
    })
}

/// The calendar: the shipped statutory one plus the configured files.
pub fn calendar(config: &Config) -> Result<Arc<Calendar>, BuildError> {
    if config.calendars.is_empty() {
        return Ok(Arc::new(Calendar::chinese_statutory().clone()));
    }
    let mut builder = CalendarBuilder::chinese_statutory("cn-statutory+operator");
    for path in &config.calendars {
        builder
            .load(&path.display().to_string(), &read(path)?)
            .map_err(|e| BuildError::Invalid(e.to_string()))?;
    }
    Ok(Arc::new(builder.build()))
}

/// Stores the shipped and configured policies, then loads every stored version:
/// tickets keep the version they started under, even after a newer one is added.
pub async fn policies(
    store: &dyn Store,
    config: &Config,
    calendar: Arc<Calendar>,
    now: jiff::Timestamp,
) -> Result<Policies, BuildError> {
    let mut configured = vec![Policy::default_policy().clone()];
    store
        .put_policy(&PolicyRecord {
            id: Policy::default_policy().id.clone(),
            text: DEFAULT_POLICY_TOML.to_owned(),
            created_at: now,
        })
        .await?;
    for path in &config.policies {
        let text = read(path)?;
        let policy = Policy::parse(&path.display().to_string(), &text)
            .map_err(|e| BuildError::Invalid(e.to_string()))?;
        store
            .put_policy(&PolicyRecord {
                id: policy.id.clone(),
                text,
                created_at: now,
            })
            .await?;
        configured.push(policy);
    }
    let current_id = configured
        .last()
        .map(|p| p.id.clone())
        .unwrap_or_else(|| Policy::default_policy().id.clone());
    let mut engines: Vec<Engine> = Vec::new();
    for record in store.policies().await? {
        let parsed = if record.text == DEFAULT_POLICY_TOML {
            Ok(Policy::default_policy().clone())
        } else {
            Policy::parse(&format!("stored policy {}", record.id), &record.text)
        };
        match parsed {
            Ok(policy) => engines.push(
                Engine::new(policy, calendar.clone())
                    .map_err(|e| BuildError::Invalid(e.to_string()))?,
            ),
            Err(e) => {
                tracing::error!(policy = %record.id, error = %e, "a stored policy no longer reads; tickets under it cannot be evaluated")
            }
        }
    }
    let current = engines
        .iter()
        .position(|e| e.policy().id == current_id)
        .ok_or_else(|| BuildError::Invalid(format!("policy {current_id} did not load")))?;
    Ok(Policies::new(engines, current, calendar))
}

/// The process's Prometheus recorder: installed once, shared by every server in it.
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (e.g. in tests); metrics then go there.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// A built server, bound to its port, ready to run.
pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Opens the store (migrating it), loads calendar and policies, loads the demo
    /// operator if asked and the database is empty, and binds the port.
    ///
    /// # Errors
    /// [`BuildError`] when any of that fails.
    pub async fn build(config: Config) -> Result<Application, BuildError> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// [`Application::build`] with a given clock.
    ///
    /// # Errors
    /// [`BuildError`] when the server cannot start.
    pub async fn build_with_clock(
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> Result<Application, BuildError> {
        let store = tierdesk_store_sql::open(&config.database).await?;
        let store: Arc<dyn Store> = if config.ticket_cache > 0 {
            tierdesk_store::CachedStore::new(store, config.ticket_cache)
        } else {
            store
        };
        let calendar = calendar(&config)?;
        let policies = policies(store.as_ref(), &config, calendar, clock.now()).await?;
        let sender =
            crate::notify::deliver::Sender::new(config.smtp_url.as_deref(), &config.mail_from)
                .map_err(BuildError::Invalid)?;
        if config.smtp_url.is_none() {
            tracing::warn!(
                "no SMTP server configured (smtp_url): e-mail notifications go to the dead-letter list"
            );
        }
        let state = AppState {
            store,
            policies: Arc::new(policies),
            metrics: metrics_handle(),
            clock,
            tokens: Default::default(),
            directory: Default::default(),
            wake: Default::default(),
            sender: Arc::new(sender),
            settings: Arc::new(config.clone()),
        };
        if config.demo {
            crate::demo::load(&state)
                .await
                .map_err(|e| BuildError::Invalid(format!("demo data: {}", e.detail)))?;
        }
        let (api, _) = crate::api::router();
        let router = Router::new()
            .merge(api)
            .merge(crate::tmf::router())
            .merge(crate::console::router(config.session_hours))
            .fallback(|| async { Problem::not_found("no such page or endpoint; see /api/docs") })
            .layer(axum::middleware::from_fn(crate::api::track))
            .layer(RequestBodyLimitLayer::new(1 << 20))
            .layer(TraceLayer::new_for_http())
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| BuildError::Bind {
                addr: config.listen,
                source: e,
            })?;
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    /// The port it listens on (useful with port 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map_or(0, |a| a.port())
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Shared state, for commands that act on the same store.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes; then stops accepting, finishes the
    /// requests in flight, and lets the scheduler and the notifier finish their
    /// round. The background work runs unless the configuration turns it off.
    ///
    /// # Errors
    /// An I/O error of the listener.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let background = self
            .state
            .settings
            .background
            .then(|| crate::background::Background::start(&self.state));
        let served = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await;
        if let Some(background) = background {
            background.stop().await;
        }
        served
    }
}

/// Recomputes every ticket's projection from its history; `progress(done)` after each batch.
///
/// # Errors
/// The first store failure.
pub async fn rebuild(
    store: &dyn Store,
    policies: &Policies,
    now: jiff::Timestamp,
    mut progress: impl FnMut(usize),
) -> Result<usize, tierdesk_store::StoreError> {
    let mut done = 0;
    let mut after: Option<String> = None;
    loop {
        let ids = store.ticket_ids(after.as_deref(), 500).await?;
        if ids.is_empty() {
            return Ok(done);
        }
        for id in &ids {
            let project = |h: &tierdesk_store::TicketHeader, e: &[tierdesk_store::StoredEvent]| {
                crate::projection::project(policies, h, e, now)
            };
            store.reproject(id, &project).await?;
            done += 1;
        }
        after = ids.last().map(ToString::to_string);
        progress(done);
    }
}
