//! Where a ticket stands in its lifecycle, derived from its events.

use jiff::Timestamp;

use crate::level::PauseReason;
use crate::ticket::{EventKind, Ticket, TicketKind};

crate::vocabulary!(
    /// A ticket's lifecycle status; the TMF621 status set.
    ///
    /// ```
    /// use tierdesk_core::Status;
    /// assert_eq!(Status::InProgress.tmf_name(), "inProgress");
    /// ```
    Status, "status", [
        /// Logged, not yet worked on.
        Acknowledged = "acknowledged",
        /// Being worked on.
        InProgress = "in_progress",
        /// Waiting for the customer (a customer pause).
        Pending = "pending",
        /// Waiting for a third party or another cause (other pauses).
        Held = "held",
        /// The promise's main act is done (restored, resolved, completed, delivered, work finished).
        Resolved = "resolved",
        /// Closed.
        Closed = "closed",
        /// Withdrawn.
        Cancelled = "cancelled",
        /// Refused.
        Rejected = "rejected",
    ]
);

impl Status {
    /// The TMF621 spelling (camelCase).
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::Status;
    /// assert_eq!(Status::Held.tmf_name(), "held");
    /// ```
    pub fn tmf_name(self) -> &'static str {
        match self {
            Status::InProgress => "inProgress",
            other => other.as_str(),
        }
    }

    /// Whether the ticket is finished (no further work expected).
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::Status;
    /// assert!(Status::Closed.is_final() && !Status::Resolved.is_final());
    /// ```
    pub fn is_final(self) -> bool {
        matches!(self, Status::Closed | Status::Cancelled | Status::Rejected)
    }
}

fn is_done(kind: TicketKind, event: &EventKind) -> bool {
    match kind {
        TicketKind::Fault => *event == EventKind::Restored,
        TicketKind::Complaint => *event == EventKind::Resolved,
        TicketKind::Change => *event == EventKind::Completed,
        TicketKind::Provisioning => *event == EventKind::Delivered,
        TicketKind::Notice => *event == EventKind::WorkFinished,
    }
}

/// Folds events into a status, one at a time.
struct StatusFold {
    kind: TicketKind,
    status: Status,
    done: bool,
}

impl StatusFold {
    fn new(kind: TicketKind) -> Self {
        StatusFold {
            kind,
            status: Status::Acknowledged,
            done: false,
        }
    }

    fn apply(&mut self, event: &EventKind) -> Status {
        let status = self.status;
        self.status = match event {
            EventKind::Closed => Status::Closed,
            EventKind::Cancelled => Status::Cancelled,
            EventKind::Rejected => Status::Rejected,
            _ if status.is_final() => status,
            k if is_done(self.kind, k) => {
                self.done = true;
                Status::Resolved
            }
            _ if self.done => Status::Resolved,
            EventKind::Paused {
                reason: PauseReason::Customer,
            } => Status::Pending,
            EventKind::Paused { .. } => Status::Held,
            EventKind::Resumed => Status::InProgress,
            EventKind::Reported | EventKind::Alarm | EventKind::Opened | EventKind::Prescreened => {
                status
            }
            k if k.is_annotation() => status,
            _ if matches!(status, Status::Pending | Status::Held) => status,
            _ => Status::InProgress,
        };
        self.status
    }
}

impl Ticket {
    /// The ticket's status as of `now` (later events do not count).
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::*;
    /// let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    /// let mut spec = TicketSpec::new("F".parse().unwrap(), TicketKind::Fault, CustomerLevel::Gold);
    /// spec.scope = Some(Scope::City);
    /// let t = Ticket::new(spec, vec![
    ///     Event { at: at("2025-01-01T00:00:00Z"), kind: EventKind::Reported, by: None },
    ///     Event { at: at("2025-01-01T00:10:00Z"), kind: EventKind::Paused { reason: PauseReason::Customer }, by: None },
    /// ]).unwrap();
    /// assert_eq!(t.status(at("2025-01-01T00:05:00Z")), Status::Acknowledged);
    /// assert_eq!(t.status(at("2025-01-01T00:15:00Z")), Status::Pending);
    /// ```
    pub fn status(&self, now: Timestamp) -> Status {
        let mut fold = StatusFold::new(self.spec().kind);
        let mut status = Status::Acknowledged;
        for e in self.events().iter().take_while(|e| e.at <= now) {
            status = fold.apply(&e.kind);
        }
        status
    }

    /// The status after each event, in order: `(event index, its time, status)`;
    /// the lifecycle as it unfolded, even when several events share an instant.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::*;
    /// let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    /// let mut spec = TicketSpec::new("F".parse().unwrap(), TicketKind::Fault, CustomerLevel::Gold);
    /// spec.scope = Some(Scope::City);
    /// let same = at("2025-01-01T00:00:00Z");
    /// let t = Ticket::new(spec, vec![
    ///     Event { at: same, kind: EventKind::Reported, by: None },
    ///     Event { at: same, kind: EventKind::Accepted, by: None },
    ///     Event { at: same, kind: EventKind::Restored, by: None },
    /// ]).unwrap();
    /// let statuses: Vec<Status> = t.status_history().into_iter().map(|(_, _, s)| s).collect();
    /// assert_eq!(statuses, [Status::Acknowledged, Status::InProgress, Status::Resolved]);
    /// ```
    pub fn status_history(&self) -> Vec<(usize, Timestamp, Status)> {
        let mut fold = StatusFold::new(self.spec().kind);
        self.events()
            .iter()
            .enumerate()
            .map(|(i, e)| (i, e.at, fold.apply(&e.kind)))
            .collect()
    }
}
