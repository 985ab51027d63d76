//! What every request handler shares.

use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use metrics_exporter_prometheus::PrometheusHandle;
use tierdesk_calendar::Calendar;
use tierdesk_core::{Engine, PolicyRef};
use tierdesk_store::Store;

/// A future the background tasks wait on.
pub type Wait<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>;

/// Where the current time comes from: the system clock in production; tests of
/// time-driven behaviour may supply their own ([`ManualClock`]).
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> Timestamp;

    /// Completes once `now() >= at` (or earlier: callers look at the time again).
    fn sleep_until(&self, at: Timestamp) -> Wait<'_>;

    /// The current instant as precisely as the clock knows it: for measuring how
    /// late an alert fired, where [`Clock::now`] may round.
    fn precise_now(&self) -> Timestamp {
        self.now()
    }
}

/// The system clock, to the whole second: SLA promises are minutes and hours,
/// and people read these instants.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let now = Timestamp::now();
        Timestamp::from_second(now.as_second()).unwrap_or(now)
    }

    fn precise_now(&self) -> Timestamp {
        Timestamp::now()
    }

    fn sleep_until(&self, at: Timestamp) -> Wait<'_> {
        // Measured against the precise clock: `now()` rounds down to the second.
        let wait = at.duration_since(Timestamp::now());
        let wait = std::time::Duration::try_from(wait).unwrap_or_default();
        Box::pin(tokio::time::sleep(wait))
    }
}

/// A clock that moves only when told: tests set the time, and whatever sleeps
/// until an instant wakes when the clock passes it.
#[derive(Debug)]
pub struct ManualClock {
    now: tokio::sync::watch::Sender<Timestamp>,
}

impl ManualClock {
    /// A clock standing at `at`.
    pub fn new(at: Timestamp) -> Arc<ManualClock> {
        Arc::new(ManualClock {
            now: tokio::sync::watch::Sender::new(at),
        })
    }

    /// Moves the clock to `at` (never backwards).
    pub fn set(&self, at: Timestamp) {
        self.now.send_if_modified(|now| {
            let later = at > *now;
            if later {
                *now = at;
            }
            later
        });
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: jiff::SignedDuration) {
        let now = *self.now.borrow();
        self.set(now.checked_add(by).unwrap_or(now));
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.now.borrow()
    }

    fn sleep_until(&self, at: Timestamp) -> Wait<'_> {
        let mut rx = self.now.subscribe();
        Box::pin(async move {
            let _ = rx.wait_for(|now| *now >= at).await;
        })
    }
}

/// The policy versions this server knows, each bound to the calendar, and the one
/// new tickets start under.
pub struct Policies {
    engines: Vec<Engine>,
    current: usize,
    calendar: Arc<Calendar>,
}

impl Policies {
    /// Policies from `engines`; the current one is `current` (an index into them).
    pub fn new(engines: Vec<Engine>, current: usize, calendar: Arc<Calendar>) -> Policies {
        Policies {
            engines,
            current,
            calendar,
        }
    }

    /// The policy new tickets start under.
    pub fn current(&self) -> &Engine {
        &self.engines[self.current]
    }

    /// The engine of a policy version, if known.
    pub fn get(&self, id: &PolicyRef) -> Option<&Engine> {
        self.engines.iter().find(|e| e.policy().id == *id)
    }

    /// Every known policy version.
    pub fn all(&self) -> &[Engine] {
        &self.engines
    }

    /// The calendar all policies run on.
    pub fn calendar(&self) -> &Arc<Calendar> {
        &self.calendar
    }

    /// The time zone instants are shown in: the current policy's.
    pub fn time_zone(&self) -> &TimeZone {
        &self.current().policy().time_zone
    }
}

/// Recently authenticated API tokens: a request with a token seen in the last
/// `TTL` skips the database. A revocation or user change on this instance clears
/// it at once; other instances sharing the database notice within `TTL`.
#[derive(Default)]
pub struct TokenCache {
    entries: std::sync::Mutex<
        std::collections::HashMap<String, (tierdesk_store::User, std::time::Instant)>,
    >,
}

impl TokenCache {
    /// How long an entry is trusted.
    pub const TTL: std::time::Duration = std::time::Duration::from_secs(30);
    const MAX: usize = 10_000;

    /// The user of a token hash, if seen recently.
    pub fn get(&self, hash: &str) -> Option<tierdesk_store::User> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(hash)
            .filter(|(_, at)| at.elapsed() < Self::TTL)
            .map(|(u, _)| u.clone())
    }

    /// Remembers a token hash's user.
    pub fn put(&self, hash: String, user: tierdesk_store::User) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= Self::MAX {
                entries.clear();
            }
            entries.insert(hash, (user, std::time::Instant::now()));
        }
    }

    /// Forgets everything (after a revocation or a user change).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

/// Shared by all handlers.
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Arc<dyn Store>,
    /// Policies and calendar.
    pub policies: Arc<Policies>,
    /// Prometheus metrics.
    pub metrics: PrometheusHandle,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Notification channels and hub listeners, as recently read.
    pub directory: Arc<crate::notify::Directory>,
    /// Wakes the background workers when a write gave them something to do.
    pub wake: Arc<crate::background::Wake>,
    /// Settings of the scheduler and the notifiers.
    pub settings: Arc<crate::config::Config>,
    /// Sends notifications.
    pub sender: Arc<crate::notify::deliver::Sender>,
    /// Recently authenticated tokens.
    pub tokens: Arc<TokenCache>,
}

impl AppState {
    /// The current instant.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}
