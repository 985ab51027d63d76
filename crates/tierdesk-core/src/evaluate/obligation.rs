//! What evaluation says about one promise.

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use tierdesk_calendar::{Period, Target};

use crate::level::{Artifact, NoticeChannel, NoticeRecipient, PauseReason};
use crate::ticket::Party;

crate::vocabulary!(
    /// The promises tierdesk tracks, by ticket kind.
    ///
    /// ```
    /// use tierdesk_core::ObligationName;
    /// assert_eq!(ObligationName::RestorationFeedback.as_str(), "restoration_feedback");
    /// ```
    ObligationName, "obligation", [
        /// A dispatched ticket is accepted by the receiving department.
        Accept = "accept",
        /// A fault is restored (table 7-2).
        Restore = "restore",
        /// Periodic progress feedback (table 7-3) or construction progress feedbacks (table 5-6).
        ProgressFeedback = "progress_feedback",
        /// Cause and result fed back after restoration.
        RestorationFeedback = "restoration_feedback",
        /// Written fault report (table 7-4).
        WrittenReport = "written_report",
        /// A complaint is handled (table 7-1).
        Resolve = "resolve",
        /// A change order is completed (chapter 6).
        Complete = "complete",
        /// Provisioning, order to delivery (limit set by the operator).
        Provision = "provision",
        /// Resource survey (limit set by the operator).
        ResourceSurvey = "resource_survey",
        /// Initial acceptance after construction.
        Acceptance = "acceptance",
        /// Final acceptance after the initial one.
        FinalAcceptance = "final_acceptance",
        /// Delivery artefacts (table 5-7).
        DeliveryArtifacts = "delivery_artifacts",
        /// Advance notice of planned work (table 8-1).
        AdvanceNotice = "advance_notice",
        /// Customer confirms before the work.
        CustomerConfirmation = "customer_confirmation",
        /// Customer confirms service is back after the work.
        PostWorkConfirmation = "post_work_confirmation",
    ]
);

crate::vocabulary!(
    /// Where a promise stands.
    ///
    /// ```
    /// use tierdesk_core::ObligationState;
    /// assert_eq!(ObligationState::NotApplicable.as_str(), "not_applicable");
    /// ```
    ObligationState, "obligation state", [
        /// Met in time.
        Met = "met",
        /// Due and not met, or met late.
        Breached = "breached",
        /// Running (or not yet started) and not yet due.
        Pending = "pending",
        /// Stopped by an excluded pause.
        Paused = "paused",
        /// Does not apply to this ticket.
        NotApplicable = "not_applicable",
    ]
);

/// What a promise asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObligationTarget {
    /// Done within a time limit.
    Within(Target),
    /// Repeated at least this often.
    Every(SignedDuration),
    /// At least this many times.
    Count(u32),
    /// These artefacts handed over.
    Artifacts(Vec<Artifact>),
    /// Sent this long before the work starts.
    Advance(Period),
    /// Done before the work starts.
    BeforeWork,
    /// Done, with no time limit.
    NoLimit,
}

impl fmt::Display for ObligationTarget {
    /// # Example
    /// ```
    /// use tierdesk_core::ObligationTarget;
    /// use tierdesk_calendar::Period;
    /// assert_eq!(ObligationTarget::Every(jiff::SignedDuration::from_mins(30)).to_string(), "every PT30M");
    /// assert_eq!(ObligationTarget::Advance(Period::WorkingDays(7)).to_string(), "7 working days before the work");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObligationTarget::Within(t) => write!(f, "{t}"),
            ObligationTarget::Every(d) => write!(f, "every {}", tierdesk_calendar::IsoDuration(*d)),
            ObligationTarget::Count(1) => f.write_str("1 feedback"),
            ObligationTarget::Count(n) => write!(f, "{n} feedbacks"),
            ObligationTarget::Artifacts(list) => {
                let names: Vec<&str> = list.iter().map(|a| a.as_str()).collect();
                f.write_str(&names.join(", "))
            }
            ObligationTarget::Advance(p) => write!(f, "{p} before the work"),
            ObligationTarget::BeforeWork => f.write_str("before the work starts"),
            ObligationTarget::NoLimit => f.write_str("no time limit"),
        }
    }
}

/// Paused counted time, by reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PausedTime([SignedDuration; 3]);

impl PausedTime {
    /// Paused time for `reason`.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{PausedTime, PauseReason};
    /// assert!(PausedTime::default().get(PauseReason::Customer).is_zero());
    /// ```
    pub fn get(&self, reason: PauseReason) -> SignedDuration {
        self.0[reason.index()]
    }

    pub(crate) fn add(&mut self, reason: PauseReason, d: SignedDuration) {
        self.0[reason.index()] += d;
    }

    /// Total over all reasons.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::PausedTime;
    /// assert!(PausedTime::default().total().is_zero());
    /// ```
    pub fn total(&self) -> SignedDuration {
        self.0.iter().copied().sum()
    }

    /// The reasons with paused time, and that time.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::PausedTime;
    /// assert!(PausedTime::default().nonzero().is_empty());
    /// ```
    pub fn nonzero(&self) -> Vec<(PauseReason, SignedDuration)> {
        PauseReason::ALL
            .iter()
            .map(|&r| (r, self.get(r)))
            .filter(|(_, d)| !d.is_zero())
            .collect()
    }
}

/// Extra facts that explain a state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    /// Why the promise does not apply, or what starts it.
    Note(&'static str),
    /// Periodic feedback: how many were given and how many intervals were overrun.
    Cadence {
        /// Feedbacks given in the period.
        given: u32,
        /// Intervals that passed without feedback.
        missed: u32,
    },
    /// Counted feedbacks against the required number.
    Count {
        /// Feedbacks given before construction completed.
        given: u32,
        /// Feedbacks required.
        required: u32,
    },
    /// Artefacts still missing.
    Missing(Vec<Artifact>),
    /// Notice rules of table 8-1 for this customer.
    Notice {
        /// Who must be told.
        recipient: NoticeRecipient,
        /// Accepted channels.
        channels: Vec<NoticeChannel>,
        /// Notices ignored because of their channel.
        ignored: u32,
    },
    /// Whether the confirmation must be written.
    Confirmation {
        /// Written (gold) or any.
        written: bool,
    },
}

/// One promise of a ticket, evaluated at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obligation {
    /// Which promise.
    pub name: ObligationName,
    /// The department concerned, for acceptance.
    pub party: Option<Party>,
    /// Where it stands.
    pub state: ObligationState,
    /// What it asks for; `None` when not applicable.
    pub target: Option<ObligationTarget>,
    /// When its clock started; `None` if it has not.
    pub start: Option<Timestamp>,
    /// When it is (or was) due; `None` while not started, paused, or without a limit.
    pub due: Option<Timestamp>,
    /// When it was met.
    pub met_at: Option<Timestamp>,
    /// Counted time on the clock until met (or until now), pauses excluded.
    pub counted: Option<SignedDuration>,
    /// Excluded paused time by reason.
    pub paused: PausedTime,
    /// How late: met late, or now past due.
    pub lateness: Option<SignedDuration>,
    /// Counted time left before it is due (pending or paused).
    pub remaining: Option<SignedDuration>,
    /// True when the due instant lies in a year without official calendar data.
    pub provisional: bool,
    /// Explanations.
    pub detail: Option<Detail>,
}

impl Obligation {
    pub(crate) fn new(name: ObligationName, state: ObligationState) -> Self {
        Obligation {
            name,
            party: None,
            state,
            target: None,
            start: None,
            due: None,
            met_at: None,
            counted: None,
            paused: PausedTime::default(),
            lateness: None,
            remaining: None,
            provisional: false,
            detail: None,
        }
    }

    pub(crate) fn not_applicable(name: ObligationName, why: &'static str) -> Self {
        Obligation {
            detail: Some(Detail::Note(why)),
            ..Obligation::new(name, ObligationState::NotApplicable)
        }
    }

    pub(crate) fn not_started(
        name: ObligationName,
        target: ObligationTarget,
        what_starts_it: &'static str,
    ) -> Self {
        Obligation {
            target: Some(target),
            detail: Some(Detail::Note(what_starts_it)),
            ..Obligation::new(name, ObligationState::Pending)
        }
    }
}
