//! Who may do what: roles, the events each may append, the tickets each may open.
//!
//! The template names who acts at each step (hotline, account manager,
//! operations support, construction, maintenance, the customer); a role may
//! append only the events that belong to its part of the work.

use crate::ticket::{EventKind, TicketKind};

crate::vocabulary!(
    /// A user's role.
    ///
    /// ```
    /// use tierdesk_core::Role;
    /// assert_eq!("account_manager".parse::<Role>().unwrap(), Role::AccountManager);
    /// ```
    Role, "role", [
        /// Everything, including users and reference data.
        Admin = "admin",
        /// 客户经理: the single voice to the customer.
        AccountManager = "account_manager",
        /// 集团客户投诉受理热线 (10086).
        Hotline = "hotline",
        /// 运营支撑部门: handles faults.
        Operations = "operations",
        /// 建设部门: builds provisioning work.
        Construction = "construction",
        /// 维护部门: acceptance, changes, planned work.
        Maintenance = "maintenance",
        /// The enterprise customer: reads its own data, confirms and requests.
        Customer = "customer",
    ]
);

impl Role {
    /// Whether this role may append an event of this kind.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{EventKind, Role};
    /// assert!(Role::Operations.may_append(&EventKind::Restored));
    /// assert!(!Role::Customer.may_append(&EventKind::Restored));
    /// assert!(Role::Customer.may_append(&EventKind::CustomerConfirmed));
    /// ```
    pub fn may_append(self, kind: &EventKind) -> bool {
        use EventKind as E;
        if kind.is_system() {
            // Warnings, breaches and reminders are the scheduler's record of what it did.
            return false;
        }
        let escalation = matches!(
            kind,
            E::Alert {
                alert: crate::AlertKind::Escalation,
                ..
            }
        );
        match self {
            Role::Admin => true,
            Role::Customer => matches!(
                kind,
                E::ReportRequested | E::CustomerConfirmed | E::PostWorkConfirmed | E::Objected
            ),
            Role::Hotline => matches!(
                kind,
                E::Reported
                    | E::Prescreened
                    | E::Opened
                    | E::Dispatched { .. }
                    | E::Feedback
                    | E::ReportRequested
                    | E::Callback { .. }
                    | E::Closed
                    | E::Cancelled
                    | E::Rejected
            ),
            Role::AccountManager => {
                matches!(
                    kind,
                    E::Reported
                        | E::Opened
                        | E::Dispatched { .. }
                        | E::Feedback
                        | E::ReportRequested
                        | E::ReportSent
                        | E::Callback { .. }
                        | E::Closed
                        | E::Cancelled
                        | E::Artifact { .. }
                        | E::Delivered
                        | E::NoticeSent { .. }
                        | E::CustomerConfirmed
                        | E::Rescheduled { .. }
                        | E::PostWorkConfirmed
                        | E::Backfilled
                        | E::Objected
                        | E::DelayAgreed { .. }
                        | E::Paused { .. }
                        | E::Resumed
                ) || escalation
            }
            Role::Operations => {
                escalation
                    || matches!(
                        kind,
                        E::Alarm
                            | E::Prescreened
                            | E::Linked { .. }
                            | E::Opened
                            | E::Dispatched { .. }
                            | E::Accepted
                            | E::Paused { .. }
                            | E::Resumed
                            | E::Feedback
                            | E::Restored
                            | E::Resolved
                            | E::ReportSent
                            | E::Closed
                            | E::NoticeSent { .. }
                            | E::WorkStarted
                            | E::WorkFinished
                    )
            }
            Role::Construction => matches!(
                kind,
                E::Accepted
                    | E::Paused { .. }
                    | E::Resumed
                    | E::Feedback
                    | E::ConstructionCompleted
                    | E::Artifact { .. }
                    | E::Rectified { .. }
            ),
            Role::Maintenance => matches!(
                kind,
                E::Opened
                    | E::Accepted
                    | E::Paused { .. }
                    | E::Resumed
                    | E::Feedback
                    | E::Completed
                    | E::InitialAcceptance
                    | E::FinalAcceptance
                    | E::SurveyCompleted
                    | E::Artifact { .. }
                    | E::Delivered
                    | E::NoticeSent { .. }
                    | E::WorkStarted
                    | E::WorkFinished
                    | E::RectificationRequired { .. }
                    | E::DelayAgreed { .. }
                    | E::Closed
            ),
        }
    }

    /// Whether this role may open a ticket of this kind.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{Role, TicketKind};
    /// assert!(Role::Hotline.may_open(TicketKind::Complaint));
    /// assert!(!Role::Customer.may_open(TicketKind::Fault));
    /// ```
    pub fn may_open(self, kind: TicketKind) -> bool {
        use TicketKind as K;
        match self {
            Role::Admin => true,
            Role::Hotline => matches!(kind, K::Fault | K::Complaint),
            Role::AccountManager => {
                matches!(kind, K::Fault | K::Complaint | K::Provisioning | K::Change)
            }
            Role::Operations => matches!(kind, K::Fault | K::Notice),
            Role::Maintenance => matches!(kind, K::Change | K::Notice),
            Role::Construction | Role::Customer => false,
        }
    }

    /// Whether this role sees every customer (staff) or only its own (customers).
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::Role;
    /// assert!(Role::Hotline.is_staff() && !Role::Customer.is_staff());
    /// ```
    pub fn is_staff(self) -> bool {
        self != Role::Customer
    }
}
