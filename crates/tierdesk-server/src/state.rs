//! What every request handler shares.

use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use metrics_exporter_prometheus::PrometheusHandle;
use tierdesk_calendar::Calendar;
use tierdesk_core::{Engine, PolicyRef};
use tierdesk_store::Store;

/// Where the current time comes from: the system clock in production; tests of
/// time-driven behaviour may supply their own.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> Timestamp;
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
    /// Hub notifications (TMF621 listeners).
    pub hub: crate::tmf::Hub,
}

impl AppState {
    /// The current instant.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}
