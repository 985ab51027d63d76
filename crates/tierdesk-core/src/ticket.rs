//! Tickets as append-only event histories, checked when built.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;

use crate::level::{
    Artifact, AssuranceLevel, Category, ChangeType, CustomerLevel, NoticeChannel, PauseReason,
    Scope, UnknownValue,
};
use crate::policy::PolicyRef;

/// Why a value is not an acceptable identifier or name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidName(String);

macro_rules! name_type {
    ($(#[$meta:meta])* $name:ident, $what:literal, $max:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = InvalidName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                if s.trim().is_empty() {
                    return Err(InvalidName(format!("{} must not be empty", $what)));
                }
                if s.chars().count() > $max {
                    return Err(InvalidName(format!("{} is longer than {} characters", $what, $max)));
                }
                if s.chars().any(char::is_control) {
                    return Err(InvalidName(format!("{} must not contain control characters", $what)));
                }
                Ok($name(s.to_owned()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name_type!(
    /// A ticket's identifier: 1 to 128 characters, no control characters.
    ///
    /// ```
    /// use tierdesk_core::TicketId;
    /// assert_eq!("F-1".parse::<TicketId>().unwrap().as_str(), "F-1");
    /// assert!("".parse::<TicketId>().is_err());
    /// ```
    TicketId, "a ticket id", 128
);

name_type!(
    /// A department, person or system acting on a ticket (`to` and `by` of events).
    ///
    /// ```
    /// use tierdesk_core::Party;
    /// assert_eq!("ops".parse::<Party>().unwrap().to_string(), "ops");
    /// ```
    Party, "a party name", 200
);

name_type!(
    /// A named item of work: a rectification item found at acceptance.
    ///
    /// ```
    /// use tierdesk_core::ItemName;
    /// assert_eq!("fibre splice at site A".parse::<ItemName>().unwrap().as_str(), "fibre splice at site A");
    /// ```
    ItemName, "an item name", 200
);

crate::vocabulary!(
    /// What the SLA scheduler records when it acts on a ticket.
    ///
    /// ```
    /// use tierdesk_core::AlertKind;
    /// assert_eq!(AlertKind::Breach.event_name(), "sla_breached");
    /// ```
    AlertKind, "alert kind", [
        /// A promise is getting close to its due instant.
        Warning = "warning",
        /// A promise passed its due instant unmet.
        Breach = "breach",
        /// A periodic feedback (or an agreed delay) is due.
        Reminder = "reminder",
        /// A full outage of a high assurance level went to the department's leadership.
        Escalation = "escalation",
    ]
);

impl AlertKind {
    /// The type of the event that records this alert on a ticket.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::AlertKind;
    /// assert_eq!(AlertKind::Warning.event_name(), "sla_warning");
    /// ```
    pub fn event_name(self) -> &'static str {
        match self {
            AlertKind::Warning => "sla_warning",
            AlertKind::Breach => "sla_breached",
            AlertKind::Reminder => "sla_reminder",
            AlertKind::Escalation => "escalated",
        }
    }
}

crate::vocabulary!(
    /// What a ticket is about.
    ///
    /// ```
    /// use tierdesk_core::TicketKind;
    /// assert_eq!("provisioning".parse::<TicketKind>().unwrap(), TicketKind::Provisioning);
    /// ```
    TicketKind, "ticket kind", [
        /// A fault (障碍): restoration clock and feedbacks.
        Fault = "fault",
        /// A complaint (投诉).
        Complaint = "complaint",
        /// A service change order (suspend, close, resume, …).
        Change = "change",
        /// A provisioning order (业务开通).
        Provisioning = "provisioning",
        /// Planned work that needs advance notice (信息通告).
        Notice = "notice",
    ]
);

/// What happened, with its own data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// The customer reported the problem.
    Reported,
    /// A monitoring alarm raised it.
    Alarm,
    /// The ticket or order was opened (issued).
    Opened,
    /// Dispatched to a department.
    Dispatched {
        /// Receiving department, if named.
        to: Option<Party>,
    },
    /// A department accepted it (`by` names which).
    Accepted,
    /// A clock pause began.
    Paused {
        /// Why.
        reason: PauseReason,
    },
    /// The open pause ended.
    Resumed,
    /// Feedback given to the customer.
    Feedback,
    /// Service restored (repair or workaround).
    Restored,
    /// Complaint resolved.
    Resolved,
    /// Change completed and reported back.
    Completed,
    /// The customer asked for a written report.
    ReportRequested,
    /// The written report (or confirmation form) was sent.
    ReportSent,
    /// Satisfaction callback.
    Callback {
        /// Whether the customer answered "satisfied".
        satisfied: bool,
    },
    /// Closed.
    Closed,
    /// Construction finished.
    ConstructionCompleted,
    /// Initial acceptance passed.
    InitialAcceptance,
    /// Final acceptance passed.
    FinalAcceptance,
    /// A delivery artefact was handed over.
    Artifact {
        /// Which one.
        name: Artifact,
    },
    /// The service was delivered.
    Delivered,
    /// Resource survey finished.
    SurveyCompleted,
    /// Advance notice sent.
    NoticeSent {
        /// How, if recorded.
        channel: Option<NoticeChannel>,
    },
    /// The customer confirmed the planned work.
    CustomerConfirmed,
    /// The planned work moved to a new start, at the customer's request.
    Rescheduled {
        /// The new start.
        work_start: Timestamp,
    },
    /// The planned work started.
    WorkStarted,
    /// The planned work finished.
    WorkFinished,
    /// The customer confirmed service is back after the work.
    PostWorkConfirmed,
    /// Withdrawn (by the customer or the operator) before it was handled.
    Cancelled,
    /// Refused: not a matter for this process (e.g. pre-screening found no network fault).
    Rejected,
    /// The hotline pre-screened the ticket (FAQ) and found it needs handling.
    Prescreened,
    /// A green-channel fault's ticket was back-filled by the account manager.
    Backfilled,
    /// The customer objected to the planned time of the work.
    Objected,
    /// The customer asked for a delay and agreed a new date (a customer pause is open).
    DelayAgreed {
        /// The agreed date by which work resumes.
        until: Timestamp,
    },
    /// An acceptance item failed and goes back to construction for rectification.
    RectificationRequired {
        /// Which item.
        item: ItemName,
    },
    /// A rectification item was fixed and re-submitted.
    Rectified {
        /// Which item.
        item: ItemName,
    },
    /// Linked to a parent ticket (one outage behind many tickets).
    Linked {
        /// The parent ticket.
        parent: TicketId,
    },
    /// Recorded by the SLA scheduler: a warning, breach, reminder or escalation.
    Alert {
        /// What fired.
        alert: AlertKind,
        /// The promise concerned (none for an escalation).
        obligation: Option<crate::ObligationName>,
        /// The department concerned: the accepting department of an `accept`
        /// promise, or the department escalated to.
        party: Option<Party>,
        /// The due instant the alert is about (for an escalation: when it fell due).
        due: Timestamp,
    },
}

impl EventKind {
    /// Every event type's spelling, in documentation order.
    pub const NAMES: &'static [&'static str] = &[
        "reported",
        "alarm",
        "opened",
        "dispatched",
        "accepted",
        "paused",
        "resumed",
        "feedback",
        "restored",
        "resolved",
        "completed",
        "report_requested",
        "report_sent",
        "callback",
        "closed",
        "construction_completed",
        "initial_acceptance",
        "final_acceptance",
        "artifact",
        "delivered",
        "survey_completed",
        "notice_sent",
        "customer_confirmed",
        "rescheduled",
        "work_started",
        "work_finished",
        "post_work_confirmed",
        "cancelled",
        "rejected",
        "prescreened",
        "backfilled",
        "objected",
        "delay_agreed",
        "rectification_required",
        "rectified",
        "linked",
        "sla_warning",
        "sla_breached",
        "sla_reminder",
        "escalated",
    ];

    /// The event type's spelling.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::EventKind;
    /// assert_eq!(EventKind::ReportRequested.name(), "report_requested");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Reported => "reported",
            EventKind::Alarm => "alarm",
            EventKind::Opened => "opened",
            EventKind::Dispatched { .. } => "dispatched",
            EventKind::Accepted => "accepted",
            EventKind::Paused { .. } => "paused",
            EventKind::Resumed => "resumed",
            EventKind::Feedback => "feedback",
            EventKind::Restored => "restored",
            EventKind::Resolved => "resolved",
            EventKind::Completed => "completed",
            EventKind::ReportRequested => "report_requested",
            EventKind::ReportSent => "report_sent",
            EventKind::Callback { .. } => "callback",
            EventKind::Closed => "closed",
            EventKind::ConstructionCompleted => "construction_completed",
            EventKind::InitialAcceptance => "initial_acceptance",
            EventKind::FinalAcceptance => "final_acceptance",
            EventKind::Artifact { .. } => "artifact",
            EventKind::Delivered => "delivered",
            EventKind::SurveyCompleted => "survey_completed",
            EventKind::NoticeSent { .. } => "notice_sent",
            EventKind::CustomerConfirmed => "customer_confirmed",
            EventKind::Rescheduled { .. } => "rescheduled",
            EventKind::WorkStarted => "work_started",
            EventKind::WorkFinished => "work_finished",
            EventKind::PostWorkConfirmed => "post_work_confirmed",
            EventKind::Cancelled => "cancelled",
            EventKind::Rejected => "rejected",
            EventKind::Prescreened => "prescreened",
            EventKind::Backfilled => "backfilled",
            EventKind::Objected => "objected",
            EventKind::DelayAgreed { .. } => "delay_agreed",
            EventKind::RectificationRequired { .. } => "rectification_required",
            EventKind::Rectified { .. } => "rectified",
            EventKind::Linked { .. } => "linked",
            EventKind::Alert { alert, .. } => alert.event_name(),
        }
    }

    /// One event of every type, in the order of a ticket's usual life, with
    /// placeholder data (`at` for instants): for offering choices, since what may
    /// be recorded depends on the type, not on the data.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::EventKind;
    /// let all = EventKind::one_of_each(jiff::Timestamp::UNIX_EPOCH);
    /// assert_eq!(all.len(), EventKind::NAMES.len() - 3); // the three alerts share one variant
    /// ```
    pub fn one_of_each(at: Timestamp) -> Vec<EventKind> {
        use EventKind as E;
        let placeholder = ItemName("item".to_owned());
        vec![
            E::Reported,
            E::Alarm,
            E::Opened,
            E::Prescreened,
            E::Linked {
                parent: TicketId("parent".to_owned()),
            },
            E::Dispatched { to: None },
            E::Accepted,
            E::Paused {
                reason: PauseReason::Customer,
            },
            E::DelayAgreed { until: at },
            E::Resumed,
            E::Feedback,
            E::SurveyCompleted,
            E::ConstructionCompleted,
            E::InitialAcceptance,
            E::RectificationRequired {
                item: placeholder.clone(),
            },
            E::Rectified { item: placeholder },
            E::FinalAcceptance,
            E::Artifact {
                name: Artifact::DeliveryReport,
            },
            E::Delivered,
            E::NoticeSent { channel: None },
            E::CustomerConfirmed,
            E::Objected,
            E::Rescheduled { work_start: at },
            E::WorkStarted,
            E::WorkFinished,
            E::PostWorkConfirmed,
            E::Restored,
            E::Resolved,
            E::Completed,
            E::ReportRequested,
            E::ReportSent,
            E::Callback { satisfied: true },
            E::Backfilled,
            E::Alert {
                alert: AlertKind::Escalation,
                obligation: None,
                party: None,
                due: at,
            },
            E::Closed,
            E::Cancelled,
            E::Rejected,
        ]
    }

    /// Whether only the SLA scheduler records this event (people cannot).
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{AlertKind, EventKind};
    /// let at = "2025-01-01T00:00:00Z".parse().unwrap();
    /// let breach = EventKind::Alert { alert: AlertKind::Breach, obligation: None, party: None, due: at };
    /// assert!(breach.is_system() && !EventKind::Restored.is_system());
    /// ```
    pub fn is_system(&self) -> bool {
        matches!(
            self,
            EventKind::Alert {
                alert: AlertKind::Warning | AlertKind::Breach | AlertKind::Reminder,
                ..
            }
        )
    }

    /// Whether this event only records what was said or noticed about the ticket
    /// (alerts, links): it moves neither the clocks nor the lifecycle.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::EventKind;
    /// assert!(EventKind::Linked { parent: "F-1".parse().unwrap() }.is_annotation());
    /// assert!(!EventKind::Accepted.is_annotation());
    /// ```
    pub fn is_annotation(&self) -> bool {
        matches!(
            self,
            EventKind::Alert { .. } | EventKind::Linked { .. } | EventKind::Backfilled
        )
    }

    /// Whether a ticket of `kind` may carry this event.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{EventKind, TicketKind};
    /// assert!(EventKind::Restored.allowed_for(TicketKind::Fault));
    /// assert!(!EventKind::Restored.allowed_for(TicketKind::Complaint));
    /// ```
    pub fn allowed_for(&self, kind: TicketKind) -> bool {
        use EventKind as E;
        use TicketKind as K;
        match self {
            E::Alert {
                alert: AlertKind::Escalation,
                ..
            } => kind == K::Fault,
            E::Opened | E::Closed | E::Feedback | E::Cancelled | E::Rejected | E::Alert { .. } => {
                true
            }
            E::Prescreened => matches!(kind, K::Fault | K::Complaint),
            E::Backfilled | E::Linked { .. } => kind == K::Fault,
            E::Objected => kind == K::Notice,
            E::DelayAgreed { .. } => matches!(kind, K::Provisioning | K::Change),
            E::RectificationRequired { .. } | E::Rectified { .. } => kind == K::Provisioning,
            E::Reported | E::Callback { .. } => matches!(kind, K::Fault | K::Complaint),
            E::Dispatched { .. } | E::Accepted => {
                matches!(kind, K::Fault | K::Complaint | K::Change)
            }
            E::Paused { .. } | E::Resumed => !matches!(kind, K::Notice),
            E::Alarm | E::Restored | E::ReportRequested | E::ReportSent => kind == K::Fault,
            E::Resolved => kind == K::Complaint,
            E::Completed => kind == K::Change,
            E::ConstructionCompleted
            | E::InitialAcceptance
            | E::FinalAcceptance
            | E::Artifact { .. }
            | E::Delivered
            | E::SurveyCompleted => kind == K::Provisioning,
            E::NoticeSent { .. }
            | E::CustomerConfirmed
            | E::Rescheduled { .. }
            | E::WorkStarted
            | E::WorkFinished
            | E::PostWorkConfirmed => kind == K::Notice,
        }
    }
}

/// One entry of a ticket's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    pub kind: EventKind,
    /// Who did it, if recorded.
    pub by: Option<Party>,
}

/// Everything about a ticket except its events, as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSpec {
    /// Identifier.
    pub id: TicketId,
    /// Kind.
    pub kind: TicketKind,
    /// Customer service level.
    pub customer_level: CustomerLevel,
    /// Service assurance level; `None` takes the policy's default for the customer level.
    pub assurance_level: Option<AssuranceLevel>,
    /// Service category.
    pub category: Option<Category>,
    /// Scope of the service or fault.
    pub scope: Option<Scope>,
    /// Change type (changes only).
    pub change_type: Option<ChangeType>,
    /// Planned start of the work (notices only).
    pub work_start: Option<Timestamp>,
    /// Emergency work for a major safety risk (notices only).
    pub emergency: bool,
    /// A handset or phone terminal complaint involving no line or platform: treated
    /// as ordinary level and left out of network-quality figures.
    pub terminal: bool,
    /// Whether the fault lies in equipment the operator manages (restoration limits apply).
    pub operator_equipment: bool,
    /// The dedicated line concerned, for network-quality figures.
    pub circuit: Option<String>,
    /// The policy the ticket started under.
    pub policy: Option<PolicyRef>,
    /// A green-channel fault passed straight to operations support by the account
    /// manager; its ticket must be back-filled before it closes.
    pub green_channel: bool,
    /// A full outage (全阻) of the service: escalated to leadership at high assurance levels.
    pub full_outage: bool,
}

impl TicketSpec {
    /// A spec with the given essentials and everything else unset.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{CustomerLevel, TicketKind, TicketSpec};
    /// let spec = TicketSpec::new("F-1".parse().unwrap(), TicketKind::Fault, CustomerLevel::Gold);
    /// assert!(spec.operator_equipment && !spec.terminal);
    /// ```
    pub fn new(id: TicketId, kind: TicketKind, customer_level: CustomerLevel) -> Self {
        TicketSpec {
            id,
            kind,
            customer_level,
            assurance_level: None,
            category: None,
            scope: None,
            change_type: None,
            work_start: None,
            emergency: false,
            terminal: false,
            operator_equipment: true,
            circuit: None,
            policy: None,
            green_channel: false,
            full_outage: false,
        }
    }
}

/// A ticket whose fields fit its kind and whose history is consistent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    spec: TicketSpec,
    /// Events sorted by time; ties keep their given order.
    events: Vec<Event>,
    /// For each sorted event, its position in the given list; empty when the
    /// events were given in time order.
    given_order: Vec<usize>,
}

/// Why a ticket was rejected: which field, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct TicketError {
    /// Field path, e.g. `scope` or `events[3].type` (index as given, before sorting).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl TicketError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        TicketError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl From<UnknownValue> for InvalidName {
    fn from(e: UnknownValue) -> Self {
        InvalidName(e.to_string())
    }
}

impl Ticket {
    /// Checks the fields against the kind and the history for consistency, and sorts
    /// the events by time (a stable sort: events at the same instant keep their order).
    ///
    /// # Errors
    /// The first problem, naming the field: a field the kind needs or must not have,
    /// an event the kind does not take, a resume without a pause, a pause inside a pause.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{CustomerLevel, Event, EventKind, Scope, Ticket, TicketKind, TicketSpec};
    /// let mut spec = TicketSpec::new("F-1".parse().unwrap(), TicketKind::Fault, CustomerLevel::Gold);
    /// let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    /// let events = vec![Event { at: at("2025-09-30T08:00:00Z"), kind: EventKind::Resumed, by: None }];
    /// spec.scope = Some(Scope::City);
    /// let err = Ticket::new(spec, events).unwrap_err();
    /// assert_eq!(err.to_string(), "events[0].type: resumed without an open pause");
    /// ```
    pub fn new(spec: TicketSpec, events: Vec<Event>) -> Result<Ticket, TicketError> {
        use TicketKind as K;
        let needs_scope = matches!(spec.kind, K::Fault | K::Complaint)
            || (spec.kind == K::Change
                && !matches!(
                    spec.change_type,
                    Some(ChangeType::Suspend | ChangeType::Close)
                ));
        if needs_scope && spec.scope.is_none() {
            return Err(TicketError::new(
                "scope",
                format!(
                    "a {} ticket needs a scope: city, cross_city or cross_province",
                    describe(&spec)
                ),
            ));
        }
        let needs_category = spec.kind == K::Provisioning
            || (spec.kind == K::Change
                && !matches!(
                    spec.change_type,
                    Some(ChangeType::Suspend | ChangeType::Close)
                ));
        if needs_category && spec.category.is_none() {
            return Err(TicketError::new(
                "category",
                format!(
                    "a {} ticket needs a category: dedicated_line or overlay",
                    describe(&spec)
                ),
            ));
        }
        match (spec.kind, spec.change_type) {
            (K::Change, None) => {
                return Err(TicketError::new(
                    "change_type",
                    "a change ticket needs change_type: suspend, close, resume, other or rebuild",
                ));
            }
            (K::Change, Some(_)) | (_, None) => {}
            (kind, Some(_)) => {
                return Err(TicketError::new(
                    "change_type",
                    format!("only change tickets have a change_type, not {kind} tickets"),
                ));
            }
        }
        match (spec.kind, spec.work_start) {
            (K::Notice, None) => {
                return Err(TicketError::new(
                    "work_start",
                    "a notice ticket needs work_start, the planned start of the work (RFC 3339)",
                ));
            }
            (K::Notice, Some(_)) | (_, None) => {}
            (kind, Some(_)) => {
                return Err(TicketError::new(
                    "work_start",
                    format!("only notice tickets have a work_start, not {kind} tickets"),
                ));
            }
        }
        if spec.green_channel && spec.kind != K::Fault {
            return Err(TicketError::new(
                "green_channel",
                format!(
                    "only faults go through the green channel, not {} tickets",
                    spec.kind
                ),
            ));
        }
        if spec.full_outage && spec.kind != K::Fault {
            return Err(TicketError::new(
                "full_outage",
                format!("only faults are full outages, not {} tickets", spec.kind),
            ));
        }
        if spec.emergency && spec.kind != K::Notice {
            return Err(TicketError::new(
                "emergency",
                format!(
                    "only notice tickets can be emergency work, not {} tickets",
                    spec.kind
                ),
            ));
        }
        for (i, e) in events.iter().enumerate() {
            if let EventKind::Linked { parent } = &e.kind
                && *parent == spec.id
            {
                return Err(TicketError::new(
                    format!("events[{i}].parent"),
                    "a ticket cannot be linked to itself",
                ));
            }
            if !e.kind.allowed_for(spec.kind) {
                return Err(TicketError::new(
                    format!("events[{i}].type"),
                    format!(
                        "a {} ticket does not take `{}` events",
                        spec.kind,
                        e.kind.name()
                    ),
                ));
            }
        }
        // Histories usually arrive in time order; only an unordered one is re-sorted.
        let sorted_already = events.windows(2).all(|w| w[0].at <= w[1].at);
        let order: Vec<usize> = if sorted_already {
            Vec::new()
        } else {
            let mut order: Vec<usize> = (0..events.len()).collect();
            order.sort_by_key(|&i| events[i].at);
            order
        };
        let position = |k: usize| if sorted_already { k } else { order[k] };
        let mut open_pause: Option<usize> = None;
        for k in 0..events.len() {
            let i = position(k);
            match events[i].kind {
                EventKind::Paused { .. } => {
                    if let Some(p) = open_pause {
                        return Err(TicketError::new(
                            format!("events[{i}].type"),
                            format!(
                                "paused while the pause of events[{p}] is still open; resume it first"
                            ),
                        ));
                    }
                    open_pause = Some(i);
                }
                EventKind::Resumed if open_pause.take().is_none() => {
                    return Err(TicketError::new(
                        format!("events[{i}].type"),
                        "resumed without an open pause",
                    ));
                }
                _ => {}
            }
        }
        let sorted = if sorted_already {
            events
        } else {
            let mut slots: Vec<Option<Event>> = events.into_iter().map(Some).collect();
            order.iter().filter_map(|&i| slots[i].take()).collect()
        };
        Ok(Ticket {
            spec,
            events: sorted,
            given_order: order,
        })
    }

    /// The ticket's fields.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_core::*;
    /// let spec = TicketSpec::new("N-1".parse().unwrap(), TicketKind::Notice, CustomerLevel::Gold);
    /// let mut spec2 = spec.clone();
    /// spec2.work_start = Some("2025-10-20T01:00:00Z".parse().unwrap());
    /// assert_eq!(Ticket::new(spec2, vec![]).unwrap().spec().id.as_str(), "N-1");
    /// ```
    pub fn spec(&self) -> &TicketSpec {
        &self.spec
    }

    /// The events in time order.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_core::*;
    /// let mut spec = TicketSpec::new("C-1".parse().unwrap(), TicketKind::Complaint, CustomerLevel::Silver);
    /// spec.scope = Some(Scope::City);
    /// let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    /// let t = Ticket::new(spec, vec![
    ///     Event { at: at("2025-01-02T00:00:00Z"), kind: EventKind::Resolved, by: None },
    ///     Event { at: at("2025-01-01T00:00:00Z"), kind: EventKind::Reported, by: None },
    /// ]).unwrap();
    /// assert_eq!(t.events()[0].kind, EventKind::Reported);
    /// ```
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Position in the given list of the `i`-th event in time order.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_core::*;
    /// let mut spec = TicketSpec::new("C-1".parse().unwrap(), TicketKind::Complaint, CustomerLevel::Silver);
    /// spec.scope = Some(Scope::City);
    /// let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    /// let t = Ticket::new(spec, vec![
    ///     Event { at: at("2025-01-02T00:00:00Z"), kind: EventKind::Resolved, by: None },
    ///     Event { at: at("2025-01-01T00:00:00Z"), kind: EventKind::Reported, by: None },
    /// ]).unwrap();
    /// assert_eq!(t.given_position(0), 1);
    /// ```
    pub fn given_position(&self, i: usize) -> usize {
        self.given_order.get(i).copied().unwrap_or(i)
    }
}

fn describe(spec: &TicketSpec) -> String {
    match spec.change_type {
        Some(ct) => format!("{ct} change"),
        None => spec.kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names a variant, exhaustively: a new event type fails to compile here until
    /// it is added to `one_of_each` too (the test checks the count).
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
            E::Prescreened => 29,
            E::Backfilled => 30,
            E::Objected => 31,
            E::DelayAgreed { .. } => 32,
            E::RectificationRequired { .. } => 33,
            E::Rectified { .. } => 34,
            E::Linked { .. } => 35,
            E::Alert { .. } => 36,
        }
    }

    #[test]
    fn one_of_each_lists_every_event_type_once() {
        let kinds = EventKind::one_of_each(Timestamp::UNIX_EPOCH);
        let mut seen: Vec<usize> = kinds.iter().map(variant_number).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), kinds.len());
        assert_eq!(seen.last().copied(), Some(kinds.len() - 1));
    }

    #[test]
    fn every_event_name_is_listed() {
        for k in EventKind::one_of_each(Timestamp::UNIX_EPOCH) {
            assert!(EventKind::NAMES.contains(&k.name()), "{}", k.name());
        }
    }
}
