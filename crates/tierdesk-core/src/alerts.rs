//! What the SLA scheduler must do, and when: warnings before a promise's due
//! instant, the breach at it, reminders of periodic feedback and of agreed
//! delays, and the escalation of full outages. Derived from the evaluation and
//! the history, like everything else: an alert that fired is an event on the
//! ticket, so it is never planned again.

use jiff::{SignedDuration, Timestamp};

use crate::evaluate::{Engine, Evaluation, ObligationName, ObligationState, ObligationTarget};
use crate::level::PauseReason;
use crate::ticket::{AlertKind, EventKind, Party, Ticket, TicketKind};

/// One thing the scheduler will do for a ticket, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timer {
    /// What it records.
    pub alert: AlertKind,
    /// The promise concerned (none for escalations and delay reminders).
    pub obligation: Option<ObligationName>,
    /// The department concerned (the accepting department of an `accept` promise).
    pub party: Option<Party>,
    /// The instant the alert is about.
    pub due: Timestamp,
    /// When it fires.
    pub fire_at: Timestamp,
}

impl Timer {
    /// A stable name, unique among a ticket's timers: what fired is recognised by it.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::*;
    /// let due: jiff::Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
    /// let t = Timer { alert: AlertKind::Breach, obligation: Some(ObligationName::Restore),
    ///     party: None, due, fire_at: due };
    /// assert_eq!(t.key(), "breach:restore");
    /// // Each dispatch's acceptance is a promise of its own: its due instant is in the key.
    /// let t = Timer { obligation: Some(ObligationName::Accept), party: Some("ops".parse().unwrap()), ..t };
    /// assert_eq!(t.key(), "breach:accept:ops@1735689600");
    /// ```
    pub fn key(&self) -> String {
        key(self.alert, self.obligation, self.party.as_ref(), self.due)
    }

    /// The event that records this alert when it fires.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::*;
    /// let due: jiff::Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
    /// let t = Timer { alert: AlertKind::Warning, obligation: Some(ObligationName::Restore), party: None, due, fire_at: due };
    /// assert_eq!(t.event().name(), "sla_warning");
    /// ```
    pub fn event(&self) -> EventKind {
        EventKind::Alert {
            alert: self.alert,
            obligation: self.obligation,
            party: self.party.clone(),
            due: self.due,
        }
    }
}

/// The identity of an alert. Reminders recur (one per feedback due), and each
/// dispatch starts its own acceptance promise (fixed 10 minutes, no pauses), so
/// their due instant is part of it; any other promise is warned of and breached
/// once, even when a pause moves its due instant.
fn key(
    alert: AlertKind,
    obligation: Option<ObligationName>,
    party: Option<&Party>,
    due: Timestamp,
) -> String {
    let mut k = alert.as_str().to_owned();
    k.push(':');
    k.push_str(obligation.map_or("-", ObligationName::as_str));
    if let Some(p) = party {
        k.push(':');
        k.push_str(p.as_str());
    }
    if alert == AlertKind::Reminder || obligation == Some(ObligationName::Accept) {
        k.push('@');
        k.push_str(&due.as_second().to_string());
    }
    k
}

/// The key of an alert event, if `kind` is one.
///
/// # Example
/// ```
/// use tierdesk_core::*;
/// let due: jiff::Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
/// let e = EventKind::Alert { alert: AlertKind::Escalation, obligation: None, party: None, due };
/// assert_eq!(alert_key(&e).as_deref(), Some("escalation:-"));
/// assert_eq!(alert_key(&EventKind::Restored), None);
/// ```
pub fn alert_key(kind: &EventKind) -> Option<String> {
    match kind {
        EventKind::Alert {
            alert,
            obligation,
            party,
            due,
        } => Some(key(*alert, *obligation, party.as_ref(), *due)),
        _ => None,
    }
}

/// The alerts still to fire for `ticket`, given its evaluation at some instant:
/// everything the history has not already recorded. A timer whose instant has
/// passed fires as soon as the scheduler sees it (it was down, or the ticket was
/// recorded late); each fires once.
///
/// # Example
/// ```
/// use tierdesk_core::*;
/// let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
/// let mut spec = TicketSpec::new("F-1".parse().unwrap(), TicketKind::Fault, CustomerLevel::Bronze);
/// spec.scope = Some(Scope::City);
/// let ticket = Ticket::new(spec, vec![Event { at: at("2025-09-30T08:00:00Z"), kind: EventKind::Reported, by: None }]).unwrap();
/// let engine = Engine::default_engine();
/// let eval = engine.evaluate(&ticket, at("2025-09-30T08:00:00Z")).unwrap();
/// let timers = timers(&engine, &ticket, &eval);
/// // Bronze → A: restore within 6 h; warned at 75% (4 h 30 min), breached at 6 h.
/// let restore: Vec<_> = timers.iter().filter(|t| t.obligation == Some(ObligationName::Restore)).collect();
/// assert_eq!(restore[0].fire_at, at("2025-09-30T12:30:00Z"));
/// assert_eq!(restore[1].fire_at, at("2025-09-30T14:00:00Z"));
/// ```
pub fn timers(engine: &Engine, ticket: &Ticket, evaluation: &Evaluation) -> Vec<Timer> {
    let now = evaluation.now;
    if ticket.status(now).is_final() {
        return Vec::new();
    }
    let policy = &engine.policy().alerts;
    let fired: Vec<String> = ticket
        .events()
        .iter()
        .take_while(|e| e.at <= now)
        .filter_map(|e| alert_key(&e.kind))
        .collect();
    let mut out: Vec<Timer> = Vec::new();
    let mut push = |t: Timer| {
        if !fired.contains(&t.key()) && !out.iter().any(|o| o.key() == t.key()) {
            out.push(t);
        }
    };
    for o in &evaluation.obligations {
        let (Some(due), Some(target)) = (o.due, o.target.as_ref()) else {
            continue;
        };
        let alert = |alert, fire_at| Timer {
            alert,
            obligation: Some(o.name),
            party: o.party.clone(),
            due,
            fire_at,
        };
        match o.state {
            ObligationState::Pending => {}
            // Overdue and never met: the breach is still to be told.
            ObligationState::Breached if o.met_at.is_none() => {
                if !matches!(target, ObligationTarget::BeforeWork) {
                    push(alert(AlertKind::Breach, due));
                }
                // A missed feedback does not end the cadence: the next ones are still owed.
                if let (ObligationTarget::Every(interval), Some(start)) = (target, o.start) {
                    let last = ticket
                        .events()
                        .iter()
                        .take_while(|e| e.at <= now)
                        .filter(|e| e.kind == EventKind::Feedback && e.at > start)
                        .map(|e| e.at)
                        .max()
                        .unwrap_or(start);
                    if let Ok(next) = last.checked_add(*interval)
                        && next > now
                    {
                        let before = policy.reminder_before.min(*interval);
                        push(Timer {
                            alert: AlertKind::Reminder,
                            obligation: Some(o.name),
                            party: o.party.clone(),
                            due: next,
                            fire_at: next.checked_sub(before).unwrap_or(next),
                        });
                    }
                }
                continue;
            }
            _ => continue,
        }
        match target {
            ObligationTarget::Every(_) => {
                let before = policy
                    .reminder_before
                    .min(due.duration_since(o.start.unwrap_or(due)));
                push(alert(
                    AlertKind::Reminder,
                    due.checked_sub(before).unwrap_or(due),
                ));
                push(alert(AlertKind::Breach, due));
            }
            ObligationTarget::BeforeWork => {
                // Starting the work unconfirmed is the breach, not a time; warn ahead of it.
                if let Some(start) = o.start {
                    push(alert(
                        AlertKind::Warning,
                        share(start, due, policy.warning_at_percent),
                    ));
                }
            }
            ObligationTarget::Within(_) | ObligationTarget::Advance(_) => {
                if let Some(start) = o.start {
                    push(alert(
                        AlertKind::Warning,
                        share(start, due, policy.warning_at_percent),
                    ));
                }
                push(alert(AlertKind::Breach, due));
            }
            ObligationTarget::Count(_)
            | ObligationTarget::Artifacts(_)
            | ObligationTarget::NoLimit => {}
        }
    }
    if let Some(until) = agreed_delay(ticket, now) {
        push(Timer {
            alert: AlertKind::Reminder,
            obligation: None,
            party: None,
            due: until,
            fire_at: until,
        });
    }
    if let Some(t) = escalation(engine, ticket, evaluation) {
        push(t);
    }
    out.sort_by_key(|t| t.fire_at);
    out
}

/// `start` plus `percent` of the way to `due`.
fn share(start: Timestamp, due: Timestamp, percent: u8) -> Timestamp {
    let span = due.duration_since(start);
    let nanos = span.as_nanos() / 100 * i128::from(percent);
    let part = SignedDuration::from_nanos(i64::try_from(nanos).unwrap_or(i64::MAX));
    start.checked_add(part).unwrap_or(due)
}

/// The agreed date of a customer-requested delay whose pause is still open.
fn agreed_delay(ticket: &Ticket, now: Timestamp) -> Option<Timestamp> {
    let mut paused = false;
    let mut until = None;
    for e in ticket.events().iter().take_while(|e| e.at <= now) {
        match e.kind {
            EventKind::Paused {
                reason: PauseReason::Customer,
            } => paused = true,
            EventKind::Paused { .. } => paused = false,
            EventKind::Resumed => {
                paused = false;
                until = None;
            }
            EventKind::DelayAgreed { until: u } if paused => until = Some(u),
            _ => {}
        }
    }
    until.filter(|_| paused)
}

/// A full outage of an escalated assurance level, not yet restored.
fn escalation(engine: &Engine, ticket: &Ticket, evaluation: &Evaluation) -> Option<Timer> {
    let spec = ticket.spec();
    let policy = &engine.policy().alerts;
    if spec.kind != TicketKind::Fault
        || !spec.full_outage
        || !policy
            .escalate_full_outage
            .contains(&evaluation.assurance_level)
    {
        return None;
    }
    let events = ticket.events();
    let visible = &events[..events.partition_point(|e| e.at <= evaluation.now)];
    if visible.iter().any(|e| e.kind == EventKind::Restored) {
        return None;
    }
    let start = visible
        .iter()
        .find(|e| {
            matches!(
                e.kind,
                EventKind::Reported | EventKind::Alarm | EventKind::Opened
            )
        })
        .map(|e| e.at)?;
    let due = start.checked_add(policy.escalate_after).unwrap_or(start);
    Some(Timer {
        alert: AlertKind::Escalation,
        obligation: None,
        party: None,
        due,
        fire_at: due,
    })
}
