//! What the logged-in user may do, as the console's JavaScript needs it.
//!
//! The forms offer only the event types a role may record and the ticket kinds it
//! may open. Rather than copying `Role::may_append` and `EventKind::allowed_for`
//! into JavaScript, where the two would drift apart, the shell embeds their
//! answers, computed here from the core. The API enforces the same rules anyway.

use jiff::Timestamp;
use serde::Serialize;
use tierdesk_core::{EventKind, Role, TicketKind};

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
        let kinds = EventKind::one_of_each(Timestamp::UNIX_EPOCH);
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
    fn a_customer_confirms_and_requests_but_does_not_restore() {
        let c = Capabilities::of(Role::Customer);
        assert!(c.may_open.is_empty());
        assert!(!c.staff);
        assert_eq!(events_on(&c, "fault"), ["report_requested"]);
        assert_eq!(
            events_on(&c, "notice"),
            ["customer_confirmed", "objected", "post_work_confirmed"]
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
