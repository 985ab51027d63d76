//! `evaluate`: a ticket's history and an instant in, its obligations out.

mod change;
mod clock;
mod complaint;
mod dispatch;
mod fault;
mod notice;
mod obligation;
mod provisioning;

use std::sync::Arc;

use jiff::Timestamp;
use tierdesk_calendar::{Calendar, CalendarError, TimeRules};

pub use obligation::*;

use crate::level::{AssuranceLevel, CustomerLevel, PauseReason};
use crate::policy::{Policy, PolicyRef};
use crate::ticket::{Event, EventKind, Ticket, TicketKind, TicketSpec};

/// A policy bound to a calendar, with its clocks compiled: evaluates tickets.
#[derive(Debug, Clone)]
pub struct Engine {
    policy: Policy,
    rules: TimeRules,
}

/// The obligations of one ticket at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The policy applied.
    pub policy: PolicyRef,
    /// The instant evaluated at; events after it are not considered.
    pub now: Timestamp,
    /// The service assurance level applied (after defaults and the terminal rule).
    pub assurance_level: AssuranceLevel,
    /// The obligations, in a stable order per ticket kind.
    pub obligations: Vec<Obligation>,
}

/// Why a ticket could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluateError {
    /// An instant of the ticket, or a deadline, lies outside the calendar.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// The ticket names a policy other than this engine's.
    #[error("the ticket was opened under policy {ticket}, but this is {engine}")]
    PolicyMismatch {
        /// The ticket's policy.
        ticket: PolicyRef,
        /// The engine's policy.
        engine: PolicyRef,
    },
}

impl Engine {
    /// Binds `policy` to `calendar` and compiles the clocks it uses.
    ///
    /// # Errors
    /// [`CalendarError::TimeZone`] if the policy's time zone cannot resolve local midnights.
    ///
    /// # Example
    /// ```
    /// use std::sync::Arc;
    /// use tierdesk_core::{Engine, Policy};
    /// use tierdesk_calendar::Calendar;
    /// let engine = Engine::new(Policy::default_policy().clone(), Arc::new(Calendar::chinese_statutory().clone())).unwrap();
    /// assert_eq!(engine.policy().id.version, "2025.1");
    /// ```
    pub fn new(policy: Policy, calendar: Arc<Calendar>) -> Result<Engine, CalendarError> {
        let rules = TimeRules::new(calendar, policy.time_zone.clone(), &policy.schedules())?;
        Ok(Engine { policy, rules })
    }

    /// The shipped default policy on the shipped statutory calendar.
    ///
    /// # Panics
    /// Never: both are shipped and tested.
    ///
    /// # Example
    /// ```
    /// let engine = tierdesk_core::Engine::default_engine();
    /// assert_eq!(engine.rules().calendar().name(), "cn-statutory");
    /// ```
    pub fn default_engine() -> Engine {
        Engine::new(
            Policy::default_policy().clone(),
            Arc::new(Calendar::chinese_statutory().clone()),
        )
        .expect("the default policy's time zone resolves")
    }

    /// The policy.
    ///
    /// # Example
    /// ```
    /// assert_eq!(tierdesk_core::Engine::default_engine().policy().time_zone_name, "Asia/Shanghai");
    /// ```
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The compiled time rules (calendar in the policy's time zone).
    ///
    /// # Example
    /// ```
    /// assert!(tierdesk_core::Engine::default_engine().rules().calendar().is_official_year(2026));
    /// ```
    pub fn rules(&self) -> &TimeRules {
        &self.rules
    }

    /// The assurance level that applies to a ticket: ordinary for terminal complaints,
    /// else the ticket's own, else the policy's default for its customer level.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::*;
    /// let spec = TicketSpec::new("F".parse().unwrap(), TicketKind::Fault, CustomerLevel::Silver);
    /// assert_eq!(Engine::default_engine().assurance_level(&spec), AssuranceLevel::AA);
    /// ```
    pub fn assurance_level(&self, spec: &TicketSpec) -> AssuranceLevel {
        if spec.terminal {
            return AssuranceLevel::Ordinary;
        }
        spec.assurance_level
            .unwrap_or(*self.policy.default_assurance.get(spec.customer_level))
    }

    /// Evaluates every obligation of `ticket` as of `now`; events after `now` are ignored,
    /// so the same call answers "how did this ticket stand at that moment".
    ///
    /// # Errors
    /// [`EvaluateError::Calendar`] when an instant or deadline falls outside the calendar
    /// (2000..=2100); [`EvaluateError::PolicyMismatch`] when the ticket names another policy.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::*;
    /// let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    /// let mut spec = TicketSpec::new("F-1".parse().unwrap(), TicketKind::Fault, CustomerLevel::Gold);
    /// spec.scope = Some(Scope::CrossProvince);
    /// let ticket = Ticket::new(spec, vec![
    ///     Event { at: at("2025-09-30T16:00:00+08:00"), kind: EventKind::Reported, by: None },
    ///     Event { at: at("2025-09-30T17:00:00+08:00"), kind: EventKind::Paused { reason: PauseReason::Customer }, by: None },
    ///     Event { at: at("2025-09-30T18:00:00+08:00"), kind: EventKind::Resumed, by: None },
    ///     Event { at: at("2025-09-30T21:00:00+08:00"), kind: EventKind::Restored, by: None },
    /// ]).unwrap();
    /// let eval = Engine::default_engine().evaluate(&ticket, at("2025-10-01T12:00:00+08:00")).unwrap();
    /// let restore = eval.obligations.iter().find(|o| o.name == ObligationName::Restore).unwrap();
    /// assert_eq!(restore.state, ObligationState::Met);
    /// assert_eq!(restore.due, Some(at("2025-09-30T21:00:00+08:00"))); // 4 h + 1 h customer pause
    /// assert_eq!(restore.paused.get(PauseReason::Customer).as_hours(), 1);
    /// ```
    pub fn evaluate(&self, ticket: &Ticket, now: Timestamp) -> Result<Evaluation, EvaluateError> {
        let spec = ticket.spec();
        if let Some(p) = &spec.policy
            && *p != self.policy.id
        {
            return Err(EvaluateError::PolicyMismatch {
                ticket: p.clone(),
                engine: self.policy.id.clone(),
            });
        }
        let all = ticket.events();
        let mut events = &all[..all.partition_point(|e| e.at <= now)];
        // A cancelled or rejected ticket stops where it was withdrawn: promises that
        // were still open then no longer apply; those already broken stay broken.
        let withdrawn = events
            .iter()
            .find(|e| matches!(e.kind, EventKind::Cancelled | EventKind::Rejected))
            .map(|e| (e.at, e.kind == EventKind::Cancelled));
        let horizon = match withdrawn {
            Some((at, _)) => {
                events = &events[..events.partition_point(|e| e.at <= at)];
                at
            }
            None => now,
        };
        let ctx = Ctx {
            engine: self,
            spec,
            events,
            now: horizon,
            pauses: pauses(events),
            customer: spec.customer_level,
            assurance: self.assurance_level(spec),
        };
        let mut obligations = match spec.kind {
            TicketKind::Fault => fault::evaluate(&ctx)?,
            TicketKind::Complaint => complaint::evaluate(&ctx)?,
            TicketKind::Change => change::evaluate(&ctx)?,
            TicketKind::Provisioning => provisioning::evaluate(&ctx)?,
            TicketKind::Notice => notice::evaluate(&ctx)?,
        };
        if let Some((_, cancelled)) = withdrawn {
            let why = if cancelled {
                "the ticket was cancelled before this was met"
            } else {
                "the ticket was rejected before this was met"
            };
            for o in &mut obligations {
                if matches!(o.state, ObligationState::Pending | ObligationState::Paused) {
                    o.state = ObligationState::NotApplicable;
                    o.remaining = None;
                    o.detail = Some(Detail::Note(why));
                }
            }
        }
        Ok(Evaluation {
            policy: self.policy.id.clone(),
            now,
            assurance_level: ctx.assurance,
            obligations,
        })
    }
}

/// A pause with its reason; `end` is `None` while it lasts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReasonedPause {
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub reason: PauseReason,
}

fn pauses(events: &[Event]) -> Vec<ReasonedPause> {
    let mut out: Vec<ReasonedPause> = Vec::new();
    for e in events {
        match e.kind {
            EventKind::Paused { reason } => out.push(ReasonedPause {
                start: e.at,
                end: None,
                reason,
            }),
            EventKind::Resumed => {
                if let Some(last) = out.last_mut() {
                    last.end = Some(e.at);
                }
            }
            _ => {}
        }
    }
    out
}

/// What every kind's evaluation needs.
pub(crate) struct Ctx<'a> {
    pub engine: &'a Engine,
    pub spec: &'a TicketSpec,
    pub events: &'a [Event],
    pub now: Timestamp,
    pub pauses: Vec<ReasonedPause>,
    pub customer: CustomerLevel,
    pub assurance: AssuranceLevel,
}

impl Ctx<'_> {
    pub fn policy(&self) -> &Policy {
        &self.engine.policy
    }

    pub fn rules(&self) -> &TimeRules {
        &self.engine.rules
    }

    /// First event (in time) matching `pred`.
    pub fn first(&self, pred: impl Fn(&EventKind) -> bool) -> Option<&Event> {
        self.events.iter().find(|e| pred(&e.kind))
    }

    /// Time of the first event matching `pred`.
    pub fn first_at(&self, pred: impl Fn(&EventKind) -> bool) -> Option<Timestamp> {
        self.first(pred).map(|e| e.at)
    }

    /// Time of the first event at or after `t` matching `pred`.
    pub fn first_at_after(
        &self,
        t: Timestamp,
        pred: impl Fn(&EventKind) -> bool,
    ) -> Option<Timestamp> {
        self.events
            .iter()
            .find(|e| e.at >= t && pred(&e.kind))
            .map(|e| e.at)
    }

    /// Times of every event matching `pred`.
    pub fn all_at(&self, pred: impl Fn(&EventKind) -> bool) -> Vec<Timestamp> {
        self.events
            .iter()
            .filter(|e| pred(&e.kind))
            .map(|e| e.at)
            .collect()
    }
}

/// How one obligation differs between two evaluations of the same ticket (under
/// two policies): its state or its due instant. `None` on a side: the obligation
/// does not exist under that policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationChange {
    /// Which promise.
    pub name: ObligationName,
    /// The department, for acceptance.
    pub party: Option<crate::ticket::Party>,
    /// Under the first policy.
    pub before: Option<(ObligationState, Option<Timestamp>)>,
    /// Under the second.
    pub after: Option<(ObligationState, Option<Timestamp>)>,
}

/// The obligations whose state or due instant differ between `before` and `after`,
/// matched by name, party and order of appearance.
///
/// # Example
/// ```
/// use tierdesk_core::*;
/// let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
/// let mut spec = TicketSpec::new("F-1".parse().unwrap(), TicketKind::Fault, CustomerLevel::Bronze);
/// spec.scope = Some(Scope::City);
/// let ticket = Ticket::new(spec, vec![
///     Event { at: at("2025-06-09T01:00:00Z"), kind: EventKind::Reported, by: None },
///     Event { at: at("2025-06-09T06:30:00Z"), kind: EventKind::Restored, by: None },
/// ]).unwrap();
/// let now = at("2025-06-10T00:00:00Z");
/// let base = Engine::default_engine();
/// let strict = Policy::parse("strict.toml", "[policy]\nname='s'\nversion='1'\nextends='default'\n[fault.restore.city]\nA='PT4H'\n").unwrap();
/// let strict = Engine::new(strict, std::sync::Arc::new(base.rules().calendar().clone())).unwrap();
/// let changes = compare(&base.evaluate(&ticket, now).unwrap(), &strict.evaluate(&ticket, now).unwrap());
/// assert_eq!(changes.len(), 1);
/// assert_eq!(changes[0].name, ObligationName::Restore);
/// assert_eq!(changes[0].after.map(|(s, _)| s), Some(ObligationState::Breached));
/// ```
pub fn compare(before: &Evaluation, after: &Evaluation) -> Vec<ObligationChange> {
    type Key<'a> = (ObligationName, Option<&'a crate::ticket::Party>, usize);
    fn keyed(e: &Evaluation) -> Vec<(Key<'_>, &Obligation)> {
        let mut seen: Vec<(ObligationName, Option<&crate::ticket::Party>)> = Vec::new();
        e.obligations
            .iter()
            .map(|o| {
                let id = (o.name, o.party.as_ref());
                let n = seen.iter().filter(|s| **s == id).count();
                seen.push(id);
                ((o.name, o.party.as_ref(), n), o)
            })
            .collect()
    }
    let (b, a) = (keyed(before), keyed(after));
    let snapshot = |o: &Obligation| (o.state, o.due);
    let mut out = Vec::new();
    for (key, o) in &b {
        let other = a.iter().find(|(k, _)| k == key).map(|(_, o)| snapshot(o));
        if other != Some(snapshot(o)) {
            out.push(ObligationChange {
                name: o.name,
                party: o.party.clone(),
                before: Some(snapshot(o)),
                after: other,
            });
        }
    }
    for (key, o) in &a {
        if !b.iter().any(|(k, _)| k == key) {
            out.push(ObligationChange {
                name: o.name,
                party: o.party.clone(),
                before: None,
                after: Some(snapshot(o)),
            });
        }
    }
    out
}
