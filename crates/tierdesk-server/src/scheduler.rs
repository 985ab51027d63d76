//! The SLA scheduler: fires each ticket's timers (warnings, breaches, reminders,
//! escalations) at their instant, by appending the alert event to the ticket.
//!
//! Exactly once, with any number of instances on one database: a timer is
//! claimed with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL), and the append
//! that fires it refuses, inside its transaction, a history that already holds
//! that alert. A timer that came due while no instance ran fires when one starts.
//!
//! The scheduler reads the precise clock: a due instant may fall inside a
//! second, and the rounded clock of the API would see it up to a second late.

use jiff::SignedDuration;
use tierdesk_core::{EventKind, alert_key};
use tierdesk_store::{
    AppendRequest, DueTimer, NewEvent, StoreError, StoredEvent, TicketHeader, Viewer,
};

use crate::notify::{self, Change};
use crate::state::AppState;

/// How long a claimed timer is held before another instance may take it.
const LEASE: SignedDuration = SignedDuration::from_mins(1);

/// The user every scheduler event is recorded by (created by the migrations).
pub const SYSTEM_USER: &str = "system";

/// What became of one due timer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fired {
    /// The alert was recorded on the ticket.
    Recorded,
    /// Another instance recorded it first.
    AlreadyFired,
    /// The ticket changed: the timer no longer applies (its queue entry is refreshed).
    Stale,
}

/// Fires every timer due now; returns the alerts recorded.
///
/// # Errors
/// When the timer queue cannot be read.
pub async fn tick(state: &AppState, owner: &str) -> Result<usize, StoreError> {
    let mut recorded = 0;
    loop {
        let now = state.clock.precise_now();
        let due = state.store.claim_timers(now, owner, LEASE, 64).await?;
        if due.is_empty() {
            return Ok(recorded);
        }
        for timer in due {
            match fire(state, &timer).await {
                Ok(Fired::Recorded) => recorded += 1,
                Ok(_) => {}
                Err(e) => {
                    // The lease runs out and another attempt follows.
                    tracing::warn!(ticket = %timer.ticket_id, timer = %timer.key, error = %e.detail, "could not fire a timer");
                }
            }
        }
    }
}

fn describe(event: &EventKind, due: &str) -> String {
    match event {
        EventKind::Alert {
            alert, obligation, ..
        } => match obligation {
            Some(o) => format!("{alert} of {o}, due {due}"),
            None => format!("{alert}, due {due}"),
        },
        other => other.name().to_owned(),
    }
}

/// Fires one claimed timer, if it still applies.
///
/// # Errors
/// A problem reading or writing the ticket.
pub async fn fire(state: &AppState, timer: &DueTimer) -> Result<Fired, crate::problem::Problem> {
    let record = match state.store.ticket(&timer.ticket_id, &Viewer::Staff).await {
        Ok(r) => r,
        Err(StoreError::NotFound { .. }) => return Ok(Fired::Stale),
        Err(e) => return Err(e.into()),
    };
    let now = state.clock.precise_now();
    let policies = &state.policies;
    let (ticket, evaluation) =
        crate::projection::evaluate(policies, &record.header, &record.events, now)
            .map_err(crate::problem::Problem::internal)?;
    let engine = crate::projection::engine(policies, &record.header)
        .map_err(crate::problem::Problem::internal)?;
    let due = tierdesk_core::timers(engine, &ticket, &evaluation)
        .into_iter()
        .find(|t| t.key() == timer.key && t.fire_at <= now);
    let project =
        |h: &TicketHeader, e: &[StoredEvent]| crate::projection::project(policies, h, e, now);
    let Some(due) = due else {
        state.store.reproject(&timer.ticket_id, &project).await?;
        return Ok(Fired::Stale);
    };
    let kind = due.event();
    let show = crate::dto::Show(policies.time_zone().clone());
    let events = [NewEvent {
        at: now,
        note: Some(describe(&kind, &show.at(due.due))),
        kind,
        by: None,
    }];
    let outbox = notify::outbox(
        state,
        &Change {
            header: &record.header,
            before: Some(record.projection.status),
            after: record.projection.status,
            events: &events,
        },
    )
    .await?;
    let key = timer.key.clone();
    let once = |h: &TicketHeader, e: &[StoredEvent]| {
        let times = e
            .iter()
            .filter(|ev| alert_key(&ev.kind).as_deref() == Some(key.as_str()))
            .count();
        if times > 1 {
            return Err(format!("alert {key} already fired"));
        }
        crate::projection::project(policies, h, e, now)
    };
    let system: tierdesk_store::Id = SYSTEM_USER
        .parse()
        .map_err(crate::problem::Problem::internal)?;
    let request = AppendRequest {
        id: &timer.ticket_id,
        expected: None,
        events: &events,
        actor: &system,
        now,
        idempotency: None,
        outbox: &outbox,
        read: Some(&record),
    };
    match state.store.append_events(request, &once).await {
        Ok(_) => {}
        Err(StoreError::Rejected(m)) if m.ends_with("already fired") => {
            return Ok(Fired::AlreadyFired);
        }
        Err(e) => return Err(e.into()),
    }
    let lateness = state
        .clock
        .precise_now()
        .duration_since(due.fire_at)
        .as_secs_f64();
    metrics::counter!("tierdesk_alerts_fired_total", "alert" => due.alert.as_str()).increment(1);
    metrics::histogram!("tierdesk_alert_lateness_seconds").record(lateness);
    tracing::info!(ticket = %timer.ticket_id, alert = %due.key(), lateness_s = lateness, "alert fired");
    if !outbox.is_empty() {
        state.wake.notifications();
    }
    Ok(Fired::Recorded)
}
