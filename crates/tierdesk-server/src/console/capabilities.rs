//! What the logged-in user may do, as the console's JavaScript needs it.
//!
//! The forms offer only the event types a role may record and the ticket kinds it
//! may open. Rather than copying `Role::may_append` and `EventKind::allowed_for`
//! into JavaScript, where the two would drift apart, the shell embeds their
//! answers, computed here from the core. The API enforces the same rules anyway.

use jiff::Timestamp;
use serde::Serialize;
use tierdesk_core::{Artifact, EventKind, NoticeChannel, PauseReason, Role, TicketKind};

/// One event of every type. The data inside (which reason, which artefact) does not
/// matter to the permission checks, which look at the type only.
fn every_event_kind() -> Vec<EventKind> {
    use EventKind as E;
    vec![
        E::Reported,
        E::Alarm,
        E::Opened,
        E::Dispatched { to: None },
        E::Accepted,
        E::Paused {
            reason: PauseReason::Customer,
        },
        E::Resumed,
        E::Feedback,
        E::Restored,
        E::Resolved,
        E::Completed,
        E::ReportRequested,
        E::ReportSent,
        E::Callback { satisfied: true },
        E::Closed,
        E::ConstructionCompleted,
        E::InitialAcceptance,
        E::FinalAcceptance,
        E::Artifact {
            name: Artifact::DeliveryReport,
        },
        E::Delivered,
        E::SurveyCompleted,
        E::NoticeSent {
            channel: Some(NoticeChannel::Letter),
        },
        E::CustomerConfirmed,
        E::Rescheduled {
            work_start: Timestamp::UNIX_EPOCH,
        },
        E::WorkStarted,
        E::WorkFinished,
        E::PostWorkConfirmed,
        E::Cancelled,
        E::Rejected,
    ]
}

/// Names a variant, exhaustively: adding an event type to the core fails to compile
/// here until it is added to [`every_event_kind`] too (the test checks the count).
#[cfg(test)]
fn variant_number(kind: &EventKind) -> usize {
    use EventKind as E;
    match kind {
        E::Reported => 0,
        E::Alarm => 1,
        E::Opened => 2,
        E::Dispatched { .. } => 3,
        E::Accepted => 4,
        E::Paused { .. } => 5,
        E::Resumed => 6,
        E::Feedback => 7,
        E::Restored => 8,
        E::Resolved => 9,
        E::Completed => 10,
        E::ReportRequested => 11,
        E::ReportSent => 12,
        E::Callback { .. } => 13,
        E::Closed => 14,
        E::ConstructionCompleted => 15,
        E::InitialAcceptance => 16,
        E::FinalAcceptance => 17,
        E::Artifact { .. } => 18,
        E::Delivered => 19,
        E::SurveyCompleted => 20,
        E::NoticeSent { .. } => 21,
        E::CustomerConfirmed => 22,
        E::Rescheduled { .. } => 23,
        E::WorkStarted => 24,
        E::WorkFinished => 25,
        E::PostWorkConfirmed => 26,
        E::Cancelled => 27,
        E::Rejected => 28,
    }
}

/// The role's abilities, embedded in the console shell as JSON.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Capabilities {
    /// Ticket kinds the role may open.
    pub may_open: Vec<&'static str>,
    /// For each ticket kind, the event types this role may record on it, in the
    /// order of the ticket's usual life.
    pub events: Vec<(&'static str, Vec<&'static str>)>,
    /// Whether the role may create customers (admins and account managers).
    pub may_create_customers: bool,
    /// Whether the role is staff (sees every customer, staff-only actions).
    pub staff: bool,
}

impl Capabilities {
    /// What `role` may do.
    pub fn of(role: Role) -> Capabilities {
        let kinds = every_event_kind();
        Capabilities {
            may_open: TicketKind::ALL
                .iter()
                .filter(|k| role.may_open(**k))
                .map(|k| k.as_str())
                .collect(),
            events: TicketKind::ALL
                .iter()
                .map(|ticket| {
                    let names = kinds
                        .iter()
                        .filter(|e| e.allowed_for(*ticket) && role.may_append(e))
                        .map(EventKind::name)
                        .collect();
                    (ticket.as_str(), names)
                })
                .collect(),
            // The API lets admins and account managers write customers.
            may_create_customers: matches!(role, Role::Admin | Role::AccountManager),
            staff: role.is_staff(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events_on<'a>(c: &'a Capabilities, kind: &str) -> &'a [&'static str] {
        c.events
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, list)| list.as_slice())
    }

    #[test]
    fn every_event_type_is_listed_once() {
        let kinds = every_event_kind();
        let mut seen: Vec<usize> = kinds.iter().map(variant_number).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), kinds.len());
        assert_eq!(seen.last().copied(), Some(kinds.len() - 1));
    }

    #[test]
    fn a_customer_confirms_and_requests_but_does_not_restore() {
        let c = Capabilities::of(Role::Customer);
        assert!(c.may_open.is_empty());
        assert!(!c.staff);
        assert_eq!(events_on(&c, "fault"), ["report_requested"]);
        assert_eq!(
            events_on(&c, "notice"),
            ["customer_confirmed", "post_work_confirmed"]
        );
    }

    #[test]
    fn operations_restores_faults_and_opens_notices() {
        let c = Capabilities::of(Role::Operations);
        assert_eq!(c.may_open, ["fault", "notice"]);
        let fault = events_on(&c, "fault");
        assert!(fault.contains(&"restored") && fault.contains(&"paused"));
        assert!(!fault.contains(&"reported"));
        assert!(!c.may_create_customers);
    }
}
