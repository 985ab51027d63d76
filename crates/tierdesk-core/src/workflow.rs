//! The ways of working of the template as state machines, one per ticket kind:
//! which event may be recorded next, given what has been recorded so far.
//!
//! Evaluation (`evaluate`) takes any history and says how the promises stand;
//! the workflow is stricter and applies to what people record from now on: a
//! fault is dispatched before it is accepted, accepted before it is restored,
//! called back before it is closed; planned work does not start before the
//! customer confirms it. Histories recorded elsewhere (imports, old data) are
//! replayed without judgement; only new events are checked.
//!
//! The order that counts is the order of recording: a state machine moves with
//! each event as it is recorded, whatever instant the event names.

use crate::AssuranceLevel;
use crate::level::{Category, CustomerLevel, PauseReason};
use crate::policy::{Confirmation, Policy, ReportMode};
use crate::ticket::{Event, EventKind, ItemName, Party, TicketKind, TicketSpec};

crate::vocabulary!(
    /// Where a ticket stands in its workflow.
    ///
    /// ```
    /// use tierdesk_core::Stage;
    /// assert_eq!(Stage::AwaitingAcceptance.as_str(), "awaiting_acceptance");
    /// ```
    Stage, "stage", [
        /// Logged (reported, alarmed or ordered); nothing done yet.
        Logged = "logged",
        /// Pre-screened by the hotline; to be dispatched.
        Prescreened = "prescreened",
        /// Dispatched; a department has still to accept it.
        AwaitingAcceptance = "awaiting_acceptance",
        /// Accepted and being worked on.
        InProgress = "in_progress",
        /// A clock pause is open.
        Paused = "paused",
        /// Restored, resolved or completed; follow-ups (feedback, report, callback) before closing.
        Handled = "handled",
        /// Provisioning: construction finished, awaiting acceptance.
        AwaitingAcceptanceTest = "awaiting_acceptance_test",
        /// Provisioning: failed acceptance items are with construction.
        Rectification = "rectification",
        /// Provisioning: initial acceptance passed; final acceptance to come.
        AwaitingFinalAcceptance = "awaiting_final_acceptance",
        /// Provisioning: accepted; to be delivered.
        AwaitingDelivery = "awaiting_delivery",
        /// Notice: drafted, not yet sent.
        Draft = "draft",
        /// Notice: sent; awaiting the customer's confirmation.
        AwaitingConfirmation = "awaiting_confirmation",
        /// Notice: the customer objected to the time.
        Objected = "objected",
        /// Notice: the work may start.
        Ready = "ready",
        /// Notice: the work is under way.
        WorkInProgress = "work_in_progress",
        /// Closed.
        Closed = "closed",
        /// Cancelled.
        Cancelled = "cancelled",
        /// Rejected.
        Rejected = "rejected",
    ]
);

/// Why an event may not be recorded now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("events[{index}]: {message}")]
pub struct WorkflowError {
    /// Position of the refused event among the new events.
    pub index: usize,
    /// What is wrong, and what to do first.
    pub message: String,
}

/// A ticket's place in its workflow, built by replaying its recorded events.
#[derive(Debug, Clone)]
pub struct Workflow<'a> {
    policy: &'a Policy,
    spec: &'a TicketSpec,
    assurance: AssuranceLevel,
    ended: Option<Stage>,
    prescreened: bool,
    /// Dispatches not yet accepted (`None`: to no named department).
    awaiting: Vec<Option<Party>>,
    dispatched: bool,
    accepted: bool,
    /// Linked to a parent outage, whose handling covers it.
    linked: bool,
    paused: Option<PauseReason>,
    done: bool,
    callback: bool,
    report_requested: bool,
    report_sent: bool,
    backfilled: bool,
    construction_done: bool,
    initial_acceptance: bool,
    final_acceptance: bool,
    open_items: Vec<ItemName>,
    notice_sent: bool,
    confirmed: bool,
    objected: bool,
    work_started: bool,
    post_confirmed: bool,
}

impl<'a> Workflow<'a> {
    /// Replays `recorded` (in recording order) without judging it.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::*;
    /// let policy = Policy::default_policy();
    /// let mut spec = TicketSpec::new("F-1".parse().unwrap(), TicketKind::Fault, CustomerLevel::Gold);
    /// spec.scope = Some(Scope::City);
    /// let at = "2025-09-30T08:00:00Z".parse().unwrap();
    /// let w = Workflow::replay(policy, &spec, &[Event { at, kind: EventKind::Reported, by: None }]);
    /// assert_eq!(w.stage(), Stage::Logged);
    /// ```
    pub fn replay(policy: &'a Policy, spec: &'a TicketSpec, recorded: &[Event]) -> Workflow<'a> {
        let assurance = if spec.terminal {
            AssuranceLevel::Ordinary
        } else {
            spec.assurance_level
                .unwrap_or(*policy.default_assurance.get(spec.customer_level))
        };
        let mut w = Workflow {
            policy,
            spec,
            assurance,
            ended: None,
            prescreened: false,
            awaiting: Vec::new(),
            dispatched: false,
            accepted: false,
            linked: false,
            paused: None,
            done: false,
            callback: false,
            report_requested: false,
            report_sent: false,
            backfilled: false,
            construction_done: false,
            initial_acceptance: false,
            final_acceptance: false,
            open_items: Vec::new(),
            notice_sent: false,
            confirmed: false,
            objected: false,
            work_started: false,
            post_confirmed: false,
        };
        for e in recorded {
            w.apply(e);
        }
        w
    }

    /// Checks `new` events one after the other, as if recorded in that order.
    ///
    /// # Errors
    /// The first event that may not be recorded at its point, with why.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::*;
    /// let policy = Policy::default_policy();
    /// let mut spec = TicketSpec::new("F-1".parse().unwrap(), TicketKind::Fault, CustomerLevel::Gold);
    /// spec.scope = Some(Scope::City);
    /// let at = "2025-09-30T08:00:00Z".parse().unwrap();
    /// let e = |kind| Event { at, kind, by: None };
    /// let w = Workflow::replay(policy, &spec, &[e(EventKind::Reported)]);
    /// let err = w.check_all(&[e(EventKind::Restored)]).unwrap_err();
    /// assert!(err.message.contains("no department has accepted"));
    /// ```
    pub fn check_all(mut self, new: &[Event]) -> Result<Workflow<'a>, WorkflowError> {
        for (index, e) in new.iter().enumerate() {
            self.check(e)
                .map_err(|message| WorkflowError { index, message })?;
            self.apply(e);
        }
        Ok(self)
    }

    /// Whether `event` may be recorded now; `Err` says why not and what comes first.
    ///
    /// # Errors
    /// A sentence for the person recording it.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::*;
    /// let policy = Policy::default_policy();
    /// let mut spec = TicketSpec::new("C-1".parse().unwrap(), TicketKind::Complaint, CustomerLevel::Bronze);
    /// spec.scope = Some(Scope::City);
    /// let at = "2025-09-30T08:00:00Z".parse().unwrap();
    /// let w = Workflow::replay(policy, &spec, &[Event { at, kind: EventKind::Reported, by: None }]);
    /// let dispatch = Event { at, kind: EventKind::Dispatched { to: None }, by: None };
    /// assert!(w.check(&dispatch).unwrap_err().contains("pre-screen"));
    /// ```
    pub fn check(&self, event: &Event) -> Result<(), String> {
        use EventKind as E;
        let kind = &event.kind;
        if let Some(end) = self.ended {
            return Err(format!(
                "the ticket is {end}: nothing more can be recorded on it"
            ));
        }
        match kind {
            E::Alert { .. } | E::Feedback | E::Linked { .. } | E::ReportRequested => Ok(()),
            E::Cancelled | E::Rejected if self.done => Err(format!(
                "it is already {}: close it instead",
                self.done_word()
            )),
            E::Cancelled | E::Rejected => Ok(()),
            E::Paused { .. } if self.done => Err(format!(
                "it is already {}: there is no clock left to pause",
                self.done_word()
            )),
            E::Paused { .. } | E::Resumed => Ok(()),
            E::DelayAgreed { .. } => match self.paused {
                Some(PauseReason::Customer) => Ok(()),
                _ => Err("an agreed delay goes with the customer's pause: record `paused` with reason customer first".to_owned()),
            },
            E::Closed => self.check_close(),
            _ => match self.spec.kind {
                TicketKind::Fault | TicketKind::Complaint => self.check_incident(event),
                TicketKind::Change => self.check_change(event),
                TicketKind::Provisioning => self.check_provisioning(event),
                TicketKind::Notice => self.check_notice(event),
            },
        }
    }

    fn done_word(&self) -> &'static str {
        match self.spec.kind {
            TicketKind::Fault => "restored",
            TicketKind::Complaint => "resolved",
            TicketKind::Change => "completed",
            TicketKind::Provisioning => "delivered",
            TicketKind::Notice => "finished",
        }
    }

    fn not_paused(&self, what: &str) -> Result<(), String> {
        match self.paused {
            Some(reason) => Err(format!("a {reason} pause is open: resume it before {what}")),
            None => Ok(()),
        }
    }

    /// Gold customers, AAA services and green-channel faults go straight to
    /// operations support (7.(二) 1)(2), 2)(1), 2)(2)).
    fn skips_prescreening(&self) -> bool {
        self.spec.customer_level == CustomerLevel::Gold
            || self.assurance == AssuranceLevel::AAA
            || self.spec.green_channel
    }

    fn check_dispatch(&self, to: &Option<Party>) -> Result<(), String> {
        if self.done {
            return Err(format!("it is already {}", self.done_word()));
        }
        if let Some(to) = to
            && self.awaiting.iter().any(|a| a.as_ref() == Some(to))
        {
            return Err(format!(
                "it is already dispatched to {to} and awaits that department's acceptance"
            ));
        }
        Ok(())
    }

    fn check_accept(&self, by: Option<&Party>) -> Result<(), String> {
        if self.awaiting.is_empty() {
            return Err(if self.dispatched {
                "every dispatch is already accepted".to_owned()
            } else {
                "nothing awaits acceptance: dispatch it to a department first".to_owned()
            });
        }
        let Some(by) = by else { return Ok(()) };
        if self
            .awaiting
            .iter()
            .any(|a| a.is_none() || a.as_ref() == Some(by))
        {
            return Ok(());
        }
        let names: Vec<&str> = self.awaiting.iter().flatten().map(Party::as_str).collect();
        Err(format!(
            "no dispatch to {by} awaits acceptance; awaiting: {}",
            names.join(", ")
        ))
    }

    fn check_incident(&self, event: &Event) -> Result<(), String> {
        use EventKind as E;
        match &event.kind {
            E::Reported | E::Alarm | E::Opened if self.done => Err(format!(
                "it is already {}: a new problem is a new ticket",
                self.done_word()
            )),
            E::Reported | E::Alarm | E::Opened => Ok(()),
            E::Prescreened if self.prescreened => Err("it is already pre-screened".to_owned()),
            E::Prescreened if self.dispatched => {
                Err("it is already dispatched: pre-screening comes before dispatch".to_owned())
            }
            E::Prescreened => Ok(()),
            E::Dispatched { to } => {
                if !self.prescreened && !self.skips_prescreening() {
                    return Err("pre-screen it first (`prescreened`): only gold customers, AAA services and green-channel faults skip pre-screening".to_owned());
                }
                self.check_dispatch(to)
            }
            E::Accepted => self.check_accept(event.by.as_ref()),
            E::Restored | E::Resolved => {
                if self.done {
                    return Err(format!("it is already {}", self.done_word()));
                }
                if !self.accepted && !self.linked {
                    return Err(format!(
                        "no department has accepted it yet: it is accepted (or linked to an outage being handled) before it is {}",
                        self.done_word()
                    ));
                }
                self.not_paused(&format!("it is {}", self.done_word()))
            }
            E::ReportSent if !self.done => Err("the written report follows restoration".to_owned()),
            E::ReportSent => Ok(()),
            E::Callback { .. } if !self.done => Err(format!(
                "the satisfaction callback follows once it is {}",
                self.done_word()
            )),
            E::Callback { .. } if self.callback => {
                Err("the satisfaction callback is already recorded".to_owned())
            }
            E::Callback { .. } => Ok(()),
            E::Backfilled if !self.spec.green_channel => {
                Err("only green-channel faults are back-filled".to_owned())
            }
            E::Backfilled if self.backfilled => Err("it is already back-filled".to_owned()),
            E::Backfilled => Ok(()),
            other => Err(not_for(other, self.spec.kind)),
        }
    }

    fn check_change(&self, event: &Event) -> Result<(), String> {
        use EventKind as E;
        match &event.kind {
            E::Opened => Ok(()),
            E::Dispatched { to } => self.check_dispatch(to),
            E::Accepted => self.check_accept(event.by.as_ref()),
            E::Completed if self.done => Err("it is already completed".to_owned()),
            E::Completed => self.not_paused("it is completed"),
            other => Err(not_for(other, self.spec.kind)),
        }
    }

    fn check_provisioning(&self, event: &Event) -> Result<(), String> {
        use EventKind as E;
        match &event.kind {
            E::Opened | E::Artifact { .. } => Ok(()),
            E::SurveyCompleted if self.construction_done => {
                Err("construction already finished: the resource survey comes before it".to_owned())
            }
            E::SurveyCompleted => Ok(()),
            E::ConstructionCompleted if self.construction_done => {
                Err("construction is already completed".to_owned())
            }
            E::ConstructionCompleted => self.not_paused("construction completes"),
            E::InitialAcceptance if !self.construction_done => Err(
                "acceptance follows construction: record `construction_completed` first".to_owned(),
            ),
            E::InitialAcceptance if self.initial_acceptance => {
                Err("initial acceptance already passed".to_owned())
            }
            E::InitialAcceptance => Ok(()),
            E::RectificationRequired { .. } if !self.construction_done => Err(
                "rectification items come out of acceptance, after construction completes"
                    .to_owned(),
            ),
            E::RectificationRequired { .. } if self.final_acceptance => {
                Err("final acceptance already passed".to_owned())
            }
            E::RectificationRequired { item } if self.open_items.contains(item) => {
                Err(format!("{item} already awaits rectification"))
            }
            E::RectificationRequired { .. } => Ok(()),
            E::Rectified { item } if !self.open_items.contains(item) => Err(format!(
                "no rectification of {item} is open{}",
                self.open_items_list()
            )),
            E::Rectified { .. } => Ok(()),
            E::FinalAcceptance if !self.initial_acceptance => {
                Err("final acceptance follows the initial acceptance".to_owned())
            }
            E::FinalAcceptance if self.final_acceptance => {
                Err("final acceptance already passed".to_owned())
            }
            E::FinalAcceptance if !self.open_items.is_empty() => Err(format!(
                "every rectification item must be closed by the final acceptance{}",
                self.open_items_list()
            )),
            E::FinalAcceptance => Ok(()),
            E::Delivered if self.done => Err("it is already delivered".to_owned()),
            E::Delivered
                if self.spec.category == Some(Category::DedicatedLine)
                    && !self.final_acceptance =>
            {
                Err("a dedicated line is delivered after it passes final acceptance".to_owned())
            }
            E::Delivered if !self.initial_acceptance => Err(
                "the service must pass its activation test (initial acceptance) before delivery"
                    .to_owned(),
            ),
            E::Delivered => self.not_paused("it is delivered"),
            other => Err(not_for(other, self.spec.kind)),
        }
    }

    fn open_items_list(&self) -> String {
        if self.open_items.is_empty() {
            return String::new();
        }
        let names: Vec<&str> = self.open_items.iter().map(ItemName::as_str).collect();
        format!("; open: {}", names.join(", "))
    }

    fn confirmation_needed(&self) -> bool {
        !self.spec.emergency
            && *self
                .policy
                .notice
                .confirm_before
                .get(self.spec.customer_level)
                != Confirmation::No
    }

    fn check_notice(&self, event: &Event) -> Result<(), String> {
        use EventKind as E;
        let level = self.spec.customer_level;
        let before_work = |what: &str| {
            if self.work_started {
                Err(format!("the work already started: {what} comes before it"))
            } else {
                Ok(())
            }
        };
        match &event.kind {
            E::Opened => Ok(()),
            E::NoticeSent { .. } => before_work("the notice"),
            E::CustomerConfirmed | E::Objected if !self.notice_sent => {
                Err("send the notice first (`notice_sent`)".to_owned())
            }
            E::CustomerConfirmed => before_work("the customer's confirmation"),
            E::Objected => before_work("an objection"),
            E::Rescheduled { .. } => {
                if !*self.policy.notice.reschedule_on_request.get(level) {
                    return Err(format!(
                        "the time of the work moves at the customer's request only for customer levels that allow it (table 8-1), not {level}"
                    ));
                }
                before_work("moving the time")
            }
            E::WorkStarted if self.work_started => Err("the work already started".to_owned()),
            E::WorkStarted if !self.notice_sent => {
                Err("send the advance notice first (`notice_sent`)".to_owned())
            }
            E::WorkStarted if self.confirmation_needed() && self.objected => {
                Err(if *self.policy.notice.reschedule_on_request.get(level) {
                    "the customer objected: agree a new time (`rescheduled`) and have it confirmed before the work starts"
                } else {
                    "the customer objected: the work waits until the customer confirms it (`customer_confirmed`)"
                }
                .to_owned())
            }
            E::WorkStarted if self.confirmation_needed() && !self.confirmed => Err(format!(
                "the work may not start until the customer confirms it ({} customers confirm before the work, table 8-1)",
                level
            )),
            E::WorkStarted => Ok(()),
            E::WorkFinished if !self.work_started => Err("the work has not started".to_owned()),
            E::WorkFinished if self.done => Err("the work already finished".to_owned()),
            E::WorkFinished => Ok(()),
            E::PostWorkConfirmed if !self.done => {
                Err("the customer confirms after the work finishes".to_owned())
            }
            E::PostWorkConfirmed if self.post_confirmed => {
                Err("the customer already confirmed after the work".to_owned())
            }
            E::PostWorkConfirmed => Ok(()),
            other => Err(not_for(other, self.spec.kind)),
        }
    }

    fn check_close(&self) -> Result<(), String> {
        if !self.done {
            return Err(format!(
                "it is closed once it is {}; cancel or reject it otherwise",
                self.done_word()
            ));
        }
        match self.spec.kind {
            TicketKind::Fault | TicketKind::Complaint => {
                if !self.callback {
                    return Err(
                        "make the satisfaction callback first (`callback`): every handled ticket gets one"
                            .to_owned(),
                    );
                }
                if self.spec.kind == TicketKind::Fault {
                    let rule = self
                        .policy
                        .fault
                        .written_report
                        .get(self.spec.customer_level);
                    let due = rule.mode == ReportMode::Proactive || self.report_requested;
                    if due && !self.report_sent {
                        return Err("send the written report first (`report_sent`)".to_owned());
                    }
                }
                if self.spec.green_channel && !self.backfilled {
                    return Err(
                        "back-fill the green-channel ticket first (`backfilled`)".to_owned()
                    );
                }
                Ok(())
            }
            TicketKind::Notice => {
                if *self
                    .policy
                    .notice
                    .confirm_after
                    .get(self.spec.customer_level)
                    && !self.post_confirmed
                {
                    return Err(
                        "the customer confirms service is back first (`post_work_confirmed`)"
                            .to_owned(),
                    );
                }
                Ok(())
            }
            TicketKind::Change | TicketKind::Provisioning => Ok(()),
        }
    }

    /// Moves the state machine by one recorded event.
    fn apply(&mut self, event: &Event) {
        use EventKind as E;
        match &event.kind {
            E::Closed => self.ended = Some(Stage::Closed),
            E::Cancelled => self.ended = Some(Stage::Cancelled),
            E::Rejected => self.ended = Some(Stage::Rejected),
            E::Prescreened => self.prescreened = true,
            E::Dispatched { to } => {
                self.dispatched = true;
                self.awaiting.push(to.clone());
            }
            E::Accepted => {
                self.accepted = true;
                match event.by.as_ref() {
                    Some(by) => {
                        let i = self
                            .awaiting
                            .iter()
                            .position(|a| a.as_ref() == Some(by))
                            .or_else(|| self.awaiting.iter().position(Option::is_none));
                        if let Some(i) = i {
                            self.awaiting.remove(i);
                        }
                    }
                    None => self.awaiting.clear(),
                }
            }
            E::Paused { reason } => self.paused = Some(*reason),
            E::Resumed => self.paused = None,
            E::Restored | E::Resolved | E::Completed | E::Delivered | E::WorkFinished => {
                self.done = true
            }
            E::Callback { .. } => self.callback = true,
            E::ReportRequested => self.report_requested = true,
            E::ReportSent => self.report_sent = true,
            E::Backfilled => self.backfilled = true,
            E::ConstructionCompleted => self.construction_done = true,
            E::InitialAcceptance => self.initial_acceptance = true,
            E::FinalAcceptance => self.final_acceptance = true,
            E::RectificationRequired { item } => {
                if !self.open_items.contains(item) {
                    self.open_items.push(item.clone());
                }
            }
            E::Rectified { item } => self.open_items.retain(|i| i != item),
            E::NoticeSent { .. } => self.notice_sent = true,
            E::CustomerConfirmed => {
                self.confirmed = true;
                self.objected = false;
            }
            E::Objected => {
                self.objected = true;
                self.confirmed = false;
            }
            E::Rescheduled { .. } => {
                // A new time is a new question to the customer.
                self.objected = false;
                self.confirmed = false;
            }
            E::WorkStarted => self.work_started = true,
            E::PostWorkConfirmed => self.post_confirmed = true,
            E::Reported
            | E::Alarm
            | E::Opened
            | E::Feedback
            | E::Artifact { .. }
            | E::SurveyCompleted
            | E::DelayAgreed { .. }
            | E::Alert { .. } => {}
            E::Linked { .. } => self.linked = true,
        }
    }

    /// The stage the ticket is in.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::*;
    /// let mut spec = TicketSpec::new("N-1".parse().unwrap(), TicketKind::Notice, CustomerLevel::Gold);
    /// spec.work_start = Some("2025-10-20T01:00:00Z".parse().unwrap());
    /// let w = Workflow::replay(Policy::default_policy(), &spec, &[]);
    /// assert_eq!(w.stage(), Stage::Draft);
    /// ```
    pub fn stage(&self) -> Stage {
        if let Some(end) = self.ended {
            return end;
        }
        if self.done {
            return Stage::Handled;
        }
        if self.paused.is_some() {
            return Stage::Paused;
        }
        match self.spec.kind {
            TicketKind::Fault | TicketKind::Complaint | TicketKind::Change => {
                if !self.awaiting.is_empty() {
                    Stage::AwaitingAcceptance
                } else if self.accepted {
                    Stage::InProgress
                } else if self.prescreened {
                    Stage::Prescreened
                } else {
                    Stage::Logged
                }
            }
            TicketKind::Provisioning => {
                if !self.open_items.is_empty() {
                    Stage::Rectification
                } else if self.final_acceptance
                    || (self.initial_acceptance
                        && self.spec.category != Some(Category::DedicatedLine))
                {
                    Stage::AwaitingDelivery
                } else if self.initial_acceptance {
                    Stage::AwaitingFinalAcceptance
                } else if self.construction_done {
                    Stage::AwaitingAcceptanceTest
                } else {
                    Stage::InProgress
                }
            }
            TicketKind::Notice => {
                if self.work_started {
                    Stage::WorkInProgress
                } else if !self.notice_sent {
                    Stage::Draft
                } else if self.objected {
                    Stage::Objected
                } else if self.confirmed || !self.confirmation_needed() {
                    Stage::Ready
                } else {
                    Stage::AwaitingConfirmation
                }
            }
        }
    }

    /// Whether the ticket is closed, cancelled or rejected.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::*;
    /// let mut spec = TicketSpec::new("N-1".parse().unwrap(), TicketKind::Notice, CustomerLevel::Gold);
    /// spec.work_start = Some("2025-10-20T01:00:00Z".parse().unwrap());
    /// assert!(!Workflow::replay(Policy::default_policy(), &spec, &[]).is_ended());
    /// ```
    pub fn is_ended(&self) -> bool {
        self.ended.is_some()
    }

    /// The event types that may be recorded next (with their usual fields), for
    /// a console to offer: each one passes [`Workflow::check`] now.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::*;
    /// let mut spec = TicketSpec::new("F-1".parse().unwrap(), TicketKind::Fault, CustomerLevel::Gold);
    /// spec.scope = Some(Scope::City);
    /// let at = "2025-09-30T08:00:00Z".parse().unwrap();
    /// let w = Workflow::replay(Policy::default_policy(), &spec, &[Event { at, kind: EventKind::Reported, by: None }]);
    /// let next = w.next_events(at);
    /// assert!(next.contains(&"dispatched") && !next.contains(&"restored"));
    /// ```
    pub fn next_events(&self, at: jiff::Timestamp) -> Vec<&'static str> {
        let mut candidates = EventKind::one_of_each(at);
        if let Some(item) = self.open_items.first() {
            candidates.push(EventKind::Rectified { item: item.clone() });
        }
        let mut out: Vec<&'static str> = Vec::new();
        for kind in candidates {
            if !kind.allowed_for(self.spec.kind) || kind.is_system() {
                continue;
            }
            if matches!(kind, EventKind::Resumed) && self.paused.is_none() {
                continue;
            }
            if matches!(kind, EventKind::Paused { .. }) && self.paused.is_some() {
                continue;
            }
            let event = Event { at, kind, by: None };
            if self.check(&event).is_ok() && !out.contains(&event.kind.name()) {
                out.push(event.kind.name());
            }
        }
        out
    }
}

fn not_for(kind: &EventKind, ticket: TicketKind) -> String {
    format!("a {ticket} ticket does not take `{}` events", kind.name())
}
