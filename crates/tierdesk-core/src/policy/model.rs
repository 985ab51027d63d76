//! The policy as typed data: every table of the template, checked when read.

use jiff::SignedDuration;
use jiff::tz::TimeZone;
use tierdesk_calendar::{Period, Roll, Schedule};

use crate::level::{
    Artifact, AssuranceLevel, NoticeChannel, NoticeRecipient, PauseReason, PerAssurance,
    PerCategory, PerCustomer, PerScope,
};

/// Which policy, by name and version; a ticket keeps the one it started under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PolicyRef {
    /// Policy name, e.g. "group-customer-sla-template".
    pub name: String,
    /// Version, e.g. "2025.1".
    pub version: String,
}

impl std::fmt::Display for PolicyRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

/// A set of pause reasons that stop a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PauseSet(u8);

impl PauseSet {
    /// The empty set.
    pub const NONE: PauseSet = PauseSet(0);

    /// The set with `reason` added.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{PauseReason, PauseSet};
    /// let s = PauseSet::NONE.with(PauseReason::Customer);
    /// assert!(s.contains(PauseReason::Customer) && !s.contains(PauseReason::Other));
    /// ```
    pub const fn with(self, reason: PauseReason) -> PauseSet {
        PauseSet(self.0 | 1 << reason as u8)
    }

    /// Whether `reason` is in the set.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{PauseReason, PauseSet};
    /// assert!(!PauseSet::NONE.contains(PauseReason::Customer));
    /// ```
    pub const fn contains(self, reason: PauseReason) -> bool {
        self.0 & (1 << reason as u8) != 0
    }

    /// The reasons in the set, in vocabulary order.
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{PauseReason, PauseSet};
    /// let s = PauseSet::NONE.with(PauseReason::Interconnection).with(PauseReason::Customer);
    /// assert_eq!(s.reasons(), vec![PauseReason::Customer, PauseReason::Interconnection]);
    /// ```
    pub fn reasons(self) -> Vec<PauseReason> {
        PauseReason::ALL
            .iter()
            .copied()
            .filter(|r| self.contains(*r))
            .collect()
    }
}

/// A clock's settings: which time counts and which pauses stop it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockRules {
    /// Time counted for hour and minute targets.
    pub schedule: Schedule,
    /// Pause reasons that stop the clock.
    pub excluded_pauses: PauseSet,
}

/// Whether a written fault report is sent unasked or on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportMode {
    /// Sent without being asked.
    Proactive,
    /// Sent when the customer asks.
    OnRequest,
}

/// Which document answers a report request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportDocument {
    /// 故障处理书面报告
    Report,
    /// 故障处理确认书
    ConfirmationForm,
}

/// Table 7-4 for one customer level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenReport {
    /// Proactive or on request.
    pub mode: ReportMode,
    /// Time allowed, from restoration (or the request, when later); `None`: no limit.
    pub within: Option<Period>,
    /// What is handed over.
    pub document: ReportDocument,
}

/// Table 7-5 for one assurance level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkQuality {
    /// Faults allowed on one dedicated line in a year.
    pub repeat_faults: u32,
    /// Total interruption allowed on one dedicated line in a year.
    pub interruption: SignedDuration,
}

/// Table 5-7 marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// ● 必选
    Required,
    /// ○ 可选
    Optional,
    /// – not required
    NotRequired,
}

/// Whether the customer confirms before planned work (table 8-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// A written confirmation is needed (gold).
    Written,
    /// A confirmation is needed.
    Yes,
    /// None needed.
    No,
}

/// Routine-maintenance services of chapter 9.
pub const MAINTENANCE_SERVICES: &[&str] = &[
    "monitoring",
    "inspection",
    "consulting",
    "analysis_report",
    "emergency_drill",
    "liaison_meeting",
];

/// The fault section (tables 7-2 to 7-5).
#[derive(Debug, Clone, PartialEq)]
pub struct FaultPolicy {
    /// Clock settings of `restore`.
    pub clock: ClockRules,
    /// Table 7-2.
    pub restore: PerScope<PerAssurance<Period>>,
    /// Table 7-3 cadence; `None` is "on request".
    pub progress_feedback: PerCustomer<Option<SignedDuration>>,
    /// Feedback after restoration.
    pub restoration_feedback: Period,
    /// Table 7-4.
    pub written_report: PerCustomer<WrittenReport>,
    /// Table 7-5.
    pub network_quality: PerAssurance<NetworkQuality>,
}

/// The complaint section (table 7-1).
#[derive(Debug, Clone, PartialEq)]
pub struct ComplaintPolicy {
    /// Clock settings of `resolve`.
    pub clock: ClockRules,
    /// Table 7-1.
    pub resolve: PerScope<PerAssurance<Period>>,
}

/// The provisioning section (chapter 5).
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisioningPolicy {
    /// Pauses that stop provisioning clocks.
    pub excluded_pauses: PauseSet,
    /// Table 5-6.
    pub progress_feedbacks: PerCategory<PerCustomer<u32>>,
    /// Acceptance after construction completes.
    pub acceptance: PerCustomer<Period>,
    /// Final acceptance after the initial one.
    pub final_within: Period,
    /// Table 5-7, in [`Artifact::ALL`] order.
    pub artifacts: [PerCustomer<Requirement>; 4],
    /// Provisioning limits, order to delivery; not in the template fragment.
    pub limit: Option<PerCategory<PerScope<PerCustomer<Period>>>>,
    /// Resource survey limits (dedicated lines); from a sibling template, example policies only.
    pub resource_survey: Option<PerScope<PerCustomer<Period>>>,
}

/// The change section (chapter 6).
#[derive(Debug, Clone, PartialEq)]
pub struct ChangePolicy {
    /// Pauses that stop change clocks.
    pub excluded_pauses: PauseSet,
    /// 停机.
    pub suspend: Period,
    /// 销户.
    pub close: Period,
    /// Table 6-1.
    pub resume: PerCategory<PerScope<PerCustomer<Period>>>,
    /// Added to the provisioning limit for a change that rebuilds outside plant.
    pub rebuild_cutover: Period,
}

/// The notice section (table 8-1).
#[derive(Debug, Clone, PartialEq)]
pub struct NoticePolicy {
    /// Advance notice.
    pub advance: PerCustomer<Period>,
    /// Who is told.
    pub recipient: PerCustomer<NoticeRecipient>,
    /// Accepted channels.
    pub channels: PerCustomer<Vec<NoticeChannel>>,
    /// Confirmation before the work.
    pub confirm_before: PerCustomer<Confirmation>,
    /// Whether the customer may move the time.
    pub reschedule_on_request: PerCustomer<bool>,
    /// Confirmation after the work.
    pub confirm_after: PerCustomer<bool>,
    /// Notice for emergency work.
    pub emergency: Period,
}

/// When the SLA scheduler warns, reminds and escalates: tierdesk's own settings,
/// not the template's (but for which levels a full outage is escalated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertPolicy {
    /// Warn when this percentage (1..=99) of the time from a promise's start to its
    /// due instant has passed.
    pub warning_at_percent: u8,
    /// Remind this long before a periodic feedback falls due.
    pub reminder_before: SignedDuration,
    /// Assurance levels whose full outages are escalated to the department's leadership.
    pub escalate_full_outage: Vec<AssuranceLevel>,
    /// How long after the report or alarm a full outage is escalated.
    pub escalate_after: SignedDuration,
}

impl Default for AlertPolicy {
    /// Warn at 75%, remind 5 minutes ahead, escalate AAA and AA full outages at once.
    ///
    /// # Example
    /// ```
    /// assert_eq!(tierdesk_core::AlertPolicy::default().warning_at_percent, 75);
    /// ```
    fn default() -> Self {
        AlertPolicy {
            warning_at_percent: 75,
            reminder_before: SignedDuration::from_mins(5),
            escalate_full_outage: vec![AssuranceLevel::AAA, AssuranceLevel::AA],
            escalate_after: SignedDuration::ZERO,
        }
    }
}

/// A whole service-level policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Name and version.
    pub id: PolicyRef,
    /// Free text.
    pub description: String,
    /// IANA name of the time zone days are judged in.
    pub time_zone_name: String,
    /// The time zone.
    pub time_zone: TimeZone,
    /// Name of the calendar the policy expects.
    pub calendar: String,
    /// Calendar-day deadline roll rule.
    pub roll: Roll,
    /// Default assurance level by customer level.
    pub default_assurance: PerCustomer<AssuranceLevel>,
    /// Acceptance of a dispatched ticket.
    pub dispatch_accept: Period,
    /// Complaints.
    pub complaint: ComplaintPolicy,
    /// Faults.
    pub fault: FaultPolicy,
    /// Provisioning.
    pub provisioning: ProvisioningPolicy,
    /// Changes.
    pub change: ChangePolicy,
    /// Planned-work notices.
    pub notice: NoticePolicy,
    /// Routine-maintenance frequencies by service, where the operator set them.
    pub maintenance: Vec<(String, PerCustomer<Period>)>,
    /// When the scheduler warns, reminds and escalates.
    pub alerts: AlertPolicy,
}

impl Policy {
    /// Every business-hours schedule the policy uses, for compiling time rules.
    ///
    /// # Example
    /// ```
    /// let policy = tierdesk_core::Policy::default_policy();
    /// assert!(policy.schedules().is_empty()); // the template counts 24x7
    /// ```
    pub fn schedules(&self) -> Vec<Schedule> {
        let mut out = Vec::new();
        for s in [self.complaint.clock.schedule, self.fault.clock.schedule] {
            if matches!(s, Schedule::BusinessHours(_)) && !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    /// Requirement of `artifact` for `level` (table 5-7).
    ///
    /// # Example
    /// ```
    /// use tierdesk_core::{Artifact, CustomerLevel, Policy, Requirement};
    /// let p = Policy::default_policy();
    /// assert_eq!(p.artifact_requirement(Artifact::DeliveryReport, CustomerLevel::Bronze), Requirement::NotRequired);
    /// ```
    pub fn artifact_requirement(
        &self,
        artifact: Artifact,
        level: crate::CustomerLevel,
    ) -> Requirement {
        *self.provisioning.artifacts[artifact.index()].get(level)
    }
}
