//! The JSON shapes of the REST API. Core and store types stay free of serde; this
//! module maps. Vocabulary words and ids are parsed while deserializing, so a bad
//! one is reported with its field.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use tierdesk_store::{Circuit, Customer, Department, Service, Stored, StoredEvent, User};
use utoipa::ToSchema;

/// A word of a closed vocabulary (or an id), parsed with its `FromStr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<T>(pub T);

impl<'de, T: FromStr> Deserialize<'de> for Word<T>
where
    T::Err: fmt::Display,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<T: FromStr> Visitor<'_> for V<T>
        where
            T::Err: fmt::Display,
        {
            type Value = Word<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Word<T>, E> {
                s.parse().map(Word).map_err(E::custom)
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

impl<T: fmt::Display> Serialize for Word<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// An RFC 3339 instant in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instant(pub Timestamp);

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse::<Timestamp>().map(Instant).map_err(|e| {
            de::Error::custom(format!(
                "{s:?} is not an RFC 3339 instant such as \"2025-09-30T16:00:00+08:00\" ({e})"
            ))
        })
    }
}

/// Formats instants for responses, at the offset of the server's time zone.
#[derive(Clone)]
pub struct Show(pub TimeZone);

impl Show {
    /// An instant in RFC 3339 at the zone's offset then.
    pub fn at(&self, t: Timestamp) -> String {
        tierdesk_wire::format_instant(t, &self.0).to_string()
    }

    /// An optional instant.
    pub fn opt(&self, t: Option<Timestamp>) -> Option<String> {
        t.map(|t| self.at(t))
    }
}

/// Stamps every reference record carries in responses.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StampsOut {
    /// When created (RFC 3339).
    pub created_at: String,
    /// When last changed (RFC 3339).
    pub updated_at: String,
    /// Version; the ETag.
    pub version: i64,
}

fn stamps<T>(s: &Stored<T>, show: &Show) -> StampsOut {
    StampsOut {
        created_at: show.at(s.stamps.created_at),
        updated_at: show.at(s.stamps.updated_at),
        version: s.stamps.version,
    }
}

/// A customer, as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerIn {
    /// Identifier; generated when omitted on create, taken from the path on update.
    #[schema(value_type = Option<String>, example = "CUS-ACME")]
    pub id: Option<Word<tierdesk_store::Id>>,
    /// Name.
    pub name: String,
    /// Customer service level: gold, silver, bronze or standard.
    #[schema(value_type = String, example = "gold")]
    pub level: Word<tierdesk_core::CustomerLevel>,
    /// The account manager's user id.
    #[schema(value_type = Option<String>)]
    pub account_manager: Option<Word<tierdesk_store::Id>>,
    /// Contact e-mail for notices.
    pub contact_email: Option<String>,
    /// Contact phone.
    pub contact_phone: Option<String>,
}

/// A customer, as returned.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CustomerOut {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Customer service level.
    pub level: String,
    /// The account manager's user id.
    pub account_manager: Option<String>,
    /// Contact e-mail.
    pub contact_email: Option<String>,
    /// Contact phone.
    pub contact_phone: Option<String>,
    /// Stamps.
    #[serde(flatten)]
    pub stamps: StampsOut,
}

impl CustomerOut {
    /// The response shape of a stored customer.
    pub fn from(c: &Stored<Customer>, show: &Show) -> Self {
        let r = &c.record;
        CustomerOut {
            id: r.id.to_string(),
            name: r.name.clone(),
            level: r.level.to_string(),
            account_manager: r.account_manager.as_ref().map(ToString::to_string),
            contact_email: r.contact_email.clone(),
            contact_phone: r.contact_phone.clone(),
            stamps: stamps(c, show),
        }
    }
}

/// A service, as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceIn {
    /// Identifier; generated when omitted.
    #[schema(value_type = Option<String>)]
    pub id: Option<Word<tierdesk_store::Id>>,
    /// Owning customer.
    #[schema(value_type = String)]
    pub customer_id: Word<tierdesk_store::Id>,
    /// Name.
    pub name: String,
    /// dedicated_line or overlay.
    #[schema(value_type = String, example = "dedicated_line")]
    pub category: Word<tierdesk_core::Category>,
    /// Assurance level when it differs from the customer level's default: AAA, AA, A or ordinary.
    #[schema(value_type = Option<String>, example = "AA")]
    pub assurance_level: Option<Word<tierdesk_core::AssuranceLevel>>,
    /// city, cross_city or cross_province.
    #[schema(value_type = String, example = "city")]
    pub scope: Word<tierdesk_core::Scope>,
    /// Endpoints (sites).
    #[serde(default)]
    pub endpoints: Vec<String>,
}

/// A service, as returned.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceOut {
    /// Identifier.
    pub id: String,
    /// Owning customer.
    pub customer_id: String,
    /// Name.
    pub name: String,
    /// Category.
    pub category: String,
    /// Assurance level override, if any.
    pub assurance_level: Option<String>,
    /// Scope.
    pub scope: String,
    /// Endpoints.
    pub endpoints: Vec<String>,
    /// Stamps.
    #[serde(flatten)]
    pub stamps: StampsOut,
}

impl ServiceOut {
    /// The response shape of a stored service.
    pub fn from(s: &Stored<Service>, show: &Show) -> Self {
        let r = &s.record;
        ServiceOut {
            id: r.id.to_string(),
            customer_id: r.customer_id.to_string(),
            name: r.name.clone(),
            category: r.category.to_string(),
            assurance_level: r.assurance_level.map(|l| l.to_string()),
            scope: r.scope.to_string(),
            endpoints: r.endpoints.clone(),
            stamps: stamps(s, show),
        }
    }
}

/// A circuit (dedicated line), as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CircuitIn {
    /// Identifier; generated when omitted.
    #[schema(value_type = Option<String>)]
    pub id: Option<Word<tierdesk_store::Id>>,
    /// The service it belongs to.
    #[schema(value_type = String)]
    pub service_id: Word<tierdesk_store::Id>,
    /// A end.
    pub a_end: String,
    /// Z end.
    pub z_end: String,
    /// Bandwidth, e.g. "100M".
    pub bandwidth: Option<String>,
}

/// A circuit, as returned.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CircuitOut {
    /// Identifier.
    pub id: String,
    /// Service.
    pub service_id: String,
    /// Customer (the service's).
    pub customer_id: String,
    /// A end.
    pub a_end: String,
    /// Z end.
    pub z_end: String,
    /// Bandwidth.
    pub bandwidth: Option<String>,
    /// Stamps.
    #[serde(flatten)]
    pub stamps: StampsOut,
}

impl CircuitOut {
    /// The response shape of a stored circuit.
    pub fn from(c: &Stored<Circuit>, show: &Show) -> Self {
        let r = &c.record;
        CircuitOut {
            id: r.id.to_string(),
            service_id: r.service_id.to_string(),
            customer_id: r.customer_id.to_string(),
            a_end: r.a_end.clone(),
            z_end: r.z_end.clone(),
            bandwidth: r.bandwidth.clone(),
            stamps: stamps(c, show),
        }
    }
}

/// A department, as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentIn {
    /// Identifier (what dispatches name in `to`); generated when omitted.
    #[schema(value_type = Option<String>, example = "ops-gz")]
    pub id: Option<Word<tierdesk_store::Id>>,
    /// Name.
    pub name: String,
    /// operations, construction, maintenance, hotline or customer_department.
    #[schema(value_type = String, example = "operations")]
    pub kind: Word<tierdesk_store::DepartmentKind>,
    /// Where escalations to the department's leadership go.
    pub leader_email: Option<String>,
}

/// A department, as returned.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DepartmentOut {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Leadership e-mail.
    pub leader_email: Option<String>,
    /// Stamps.
    #[serde(flatten)]
    pub stamps: StampsOut,
}

impl DepartmentOut {
    /// The response shape of a stored department.
    pub fn from(d: &Stored<Department>, show: &Show) -> Self {
        let r = &d.record;
        DepartmentOut {
            id: r.id.to_string(),
            name: r.name.clone(),
            kind: r.kind.to_string(),
            leader_email: r.leader_email.clone(),
            stamps: stamps(d, show),
        }
    }
}

/// A user, as sent (admins only).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserIn {
    /// Identifier and login name.
    #[schema(value_type = Option<String>, example = "li.wei")]
    pub id: Option<Word<tierdesk_store::Id>>,
    /// Display name.
    pub name: String,
    /// admin, account_manager, hotline, operations, construction, maintenance or customer.
    #[schema(value_type = String, example = "operations")]
    pub role: Word<tierdesk_core::Role>,
    /// For customer users: their customer.
    #[schema(value_type = Option<String>)]
    pub customer_id: Option<Word<tierdesk_store::Id>>,
    /// For staff: their department.
    #[schema(value_type = Option<String>)]
    pub department_id: Option<Word<tierdesk_store::Id>>,
    /// E-mail.
    pub email: Option<String>,
    /// A console password (at least 10 characters); stored as an Argon2 hash.
    pub password: Option<String>,
    /// Disabled users cannot authenticate.
    #[serde(default)]
    pub disabled: bool,
}

/// A user, as returned (never the password hash).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserOut {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Customer, for customer users.
    pub customer_id: Option<String>,
    /// Department, for staff.
    pub department_id: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Whether the user can log in to the console.
    pub has_password: bool,
    /// Disabled.
    pub disabled: bool,
    /// Stamps.
    #[serde(flatten)]
    pub stamps: StampsOut,
}

impl UserOut {
    /// The response shape of a stored user.
    pub fn from(u: &Stored<User>, show: &Show) -> Self {
        let r = &u.record;
        UserOut {
            id: r.id.to_string(),
            name: r.name.clone(),
            role: r.role.to_string(),
            customer_id: r.customer_id.as_ref().map(ToString::to_string),
            department_id: r.department_id.as_ref().map(ToString::to_string),
            email: r.email.clone(),
            has_password: r.password_hash.is_some(),
            disabled: r.disabled,
            stamps: stamps(u, show),
        }
    }
}

/// An event, as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventIn {
    /// When it happened (RFC 3339); now when omitted.
    #[schema(value_type = Option<String>, example = "2025-09-30T16:00:00+08:00")]
    pub at: Option<Instant>,
    /// The event type: reported, alarm, opened, prescreened, dispatched, accepted, paused,
    /// resumed, feedback, restored, resolved, completed, report_requested, report_sent,
    /// callback, backfilled, closed, construction_completed, initial_acceptance,
    /// rectification_required, rectified, final_acceptance, artifact, delivered,
    /// survey_completed, delay_agreed, notice_sent, customer_confirmed, objected,
    /// rescheduled, work_started, work_finished, post_work_confirmed, linked, escalated,
    /// cancelled, rejected. (sla_warning, sla_breached and sla_reminder are the
    /// scheduler's own.)
    #[serde(rename = "type")]
    #[schema(example = "restored")]
    pub kind: String,
    /// The department a ticket is dispatched to (`dispatched`).
    #[schema(value_type = Option<String>, example = "ops")]
    pub to: Option<Word<tierdesk_core::Party>>,
    /// Who acted (a department or person); the user's department when omitted.
    #[schema(value_type = Option<String>)]
    pub by: Option<Word<tierdesk_core::Party>>,
    /// Why a clock pauses (`paused`): customer, interconnection or other.
    #[schema(value_type = Option<String>, example = "customer")]
    pub reason: Option<Word<tierdesk_core::PauseReason>>,
    /// The answer of a satisfaction callback (`callback`).
    pub satisfied: Option<bool>,
    /// The artefact handed over (`artifact`).
    #[schema(value_type = Option<String>, example = "delivery_test_report")]
    pub name: Option<Word<tierdesk_core::Artifact>>,
    /// How a notice was sent (`notice_sent`): letter, ticket or email.
    #[schema(value_type = Option<String>, example = "letter")]
    pub channel: Option<Word<tierdesk_core::NoticeChannel>>,
    /// The new planned start (`rescheduled`).
    #[schema(value_type = Option<String>)]
    pub work_start: Option<Instant>,
    /// The agreed date of a customer-requested delay (`delay_agreed`).
    #[schema(value_type = Option<String>)]
    pub until: Option<Instant>,
    /// The acceptance item (`rectification_required`, `rectified`).
    #[schema(value_type = Option<String>, example = "fibre splice at site A")]
    pub item: Option<Word<tierdesk_core::ItemName>>,
    /// The parent ticket of a mass outage (`linked`).
    #[schema(value_type = Option<String>)]
    pub parent: Option<Word<tierdesk_core::TicketId>>,
    /// When an escalation fell due (`escalated`); when it happened when omitted.
    #[schema(value_type = Option<String>)]
    pub due: Option<Instant>,
    /// Evidence or a comment; kept with the event (a pause needs its evidence here).
    pub note: Option<String>,
}

/// One or more events to append.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventsIn {
    /// The events, in order.
    pub events: Vec<EventIn>,
}

/// An event, as returned.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventOut {
    /// Position in the history, from 1.
    pub seq: i64,
    /// When it happened.
    pub at: String,
    /// Event type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Dispatch target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Pause reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Callback answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub satisfied: Option<bool>,
    /// Artefact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Notice channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// New planned start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_start: Option<String>,
    /// Agreed date of a delay.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Acceptance item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Parent ticket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The promise an alert is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub obligation: Option<String>,
    /// The due instant an alert is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// Who acted.
    pub by: Option<String>,
    /// The user who recorded it.
    pub actor: String,
    /// When it was recorded.
    pub recorded_at: String,
    /// Evidence or comment.
    pub note: Option<String>,
}

impl EventOut {
    /// The response shape of a stored event.
    pub fn from(e: &StoredEvent, show: &Show) -> Self {
        use tierdesk_core::EventKind as K;
        let mut out = EventOut {
            seq: e.seq,
            at: show.at(e.at),
            kind: e.kind.name().to_owned(),
            to: None,
            reason: None,
            satisfied: None,
            name: None,
            channel: None,
            work_start: None,
            until: None,
            item: None,
            parent: None,
            obligation: None,
            due: None,
            by: e.by.as_ref().map(ToString::to_string),
            actor: e.actor.to_string(),
            recorded_at: show.at(e.recorded_at),
            note: e.note.clone(),
        };
        match &e.kind {
            K::Dispatched { to } => out.to = to.as_ref().map(ToString::to_string),
            K::Paused { reason } => out.reason = Some(reason.to_string()),
            K::Callback { satisfied } => out.satisfied = Some(*satisfied),
            K::Artifact { name } => out.name = Some(name.to_string()),
            K::NoticeSent { channel } => out.channel = channel.map(|c| c.to_string()),
            K::Rescheduled { work_start } => out.work_start = Some(show.at(*work_start)),
            K::DelayAgreed { until } => out.until = Some(show.at(*until)),
            K::RectificationRequired { item } | K::Rectified { item } => {
                out.item = Some(item.to_string())
            }
            K::Linked { parent } => out.parent = Some(parent.to_string()),
            K::Alert {
                obligation,
                party,
                due,
                ..
            } => {
                out.obligation = obligation.map(|o| o.to_string());
                out.to = party.as_ref().map(ToString::to_string);
                out.due = Some(show.at(*due));
            }
            _ => {}
        }
        out
    }
}

/// A ticket to open.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketIn {
    /// Identifier; generated when omitted (e.g. `F-20251001-7K3Q`).
    #[schema(value_type = Option<String>)]
    pub id: Option<Word<tierdesk_core::TicketId>>,
    /// fault, complaint, change, provisioning or notice.
    #[schema(value_type = String, example = "fault")]
    pub kind: Word<tierdesk_core::TicketKind>,
    /// The customer.
    #[schema(value_type = String, example = "CUS-GOLD")]
    pub customer_id: Word<tierdesk_store::Id>,
    /// The service concerned; its category, scope and assurance level apply.
    #[schema(value_type = Option<String>)]
    pub service_id: Option<Word<tierdesk_store::Id>>,
    /// The dedicated line concerned.
    #[schema(value_type = Option<String>)]
    pub circuit_id: Option<Word<tierdesk_store::Id>>,
    /// Overrides the service's assurance level.
    #[schema(value_type = Option<String>)]
    pub assurance_level: Option<Word<tierdesk_core::AssuranceLevel>>,
    /// Overrides the service's category.
    #[schema(value_type = Option<String>)]
    pub category: Option<Word<tierdesk_core::Category>>,
    /// Overrides the service's scope.
    #[schema(value_type = Option<String>)]
    pub scope: Option<Word<tierdesk_core::Scope>>,
    /// For changes: suspend, close, resume, other or rebuild.
    #[schema(value_type = Option<String>)]
    pub change_type: Option<Word<tierdesk_core::ChangeType>>,
    /// For notices: the planned start of the work.
    #[schema(value_type = Option<String>)]
    pub work_start: Option<Instant>,
    /// For notices: emergency work for a major safety risk.
    #[serde(default)]
    pub emergency: bool,
    /// A handset/terminal complaint that involves no line (ordinary level).
    #[serde(default)]
    pub terminal: bool,
    /// False when the fault is not in equipment the operator manages.
    pub operator_equipment: Option<bool>,
    /// One-line summary.
    pub title: String,
    /// Longer description.
    #[serde(default)]
    pub description: String,
    /// Green channel: an account manager passed a gold customer's urgent fault straight
    /// to operations support; the ticket is flagged until back-filled.
    #[serde(default)]
    pub green_channel: bool,
    /// A full outage (全阻) of the service: escalated to the department's leadership
    /// for AAA and AA services.
    #[serde(default)]
    pub full_outage: bool,
    /// The first events (e.g. `reported`).
    #[serde(default)]
    pub events: Vec<EventIn>,
}

/// A ticket with its history and obligations, as returned.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TicketOut {
    /// Identifier.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Customer.
    pub customer_id: String,
    /// Service.
    pub service_id: Option<String>,
    /// Circuit.
    pub circuit_id: Option<String>,
    /// Customer level at opening.
    pub customer_level: String,
    /// Assurance level.
    pub assurance_level: String,
    /// Category.
    pub category: Option<String>,
    /// Scope.
    pub scope: Option<String>,
    /// Change type.
    pub change_type: Option<String>,
    /// Planned work start.
    pub work_start: Option<String>,
    /// Emergency work.
    pub emergency: bool,
    /// Terminal complaint.
    pub terminal: bool,
    /// Operator equipment.
    pub operator_equipment: bool,
    /// Green-channel ticket.
    pub green_channel: bool,
    /// Flagged until its ticket is back-filled (a green-channel fault not yet back-filled).
    pub needs_backfill: bool,
    /// A full outage.
    pub full_outage: bool,
    /// Summary.
    pub title: String,
    /// Description.
    pub description: String,
    /// Policy name and version it started under.
    pub policy: PolicyRefOut,
    /// Who opened it.
    pub created_by: String,
    /// When it was opened.
    pub created_at: String,
    /// Version (number of events): the ETag.
    pub version: i64,
    /// Lifecycle status: acknowledged, in_progress, pending, held, resolved, closed, cancelled, rejected.
    pub status: String,
    /// Soonest pending due instant.
    pub next_due: Option<String>,
    /// Whether any obligation is breached now.
    pub breached: bool,
    /// Where it stands in its workflow.
    pub stage: String,
    /// The event types that may be recorded next (the workflow; each role may
    /// still record only its own).
    pub next_events: Vec<String>,
    /// The parent ticket, for tickets linked to a mass outage.
    pub parent: Option<String>,
    /// What the SLA scheduler will record, and when.
    pub alerts: Vec<AlertOut>,
    /// The history.
    pub events: Vec<EventOut>,
    /// The obligations evaluated now (see `tierdesk sla evaluate --json`).
    #[schema(value_type = Object)]
    pub evaluation: Box<serde_json::value::RawValue>,
}

/// An alert the scheduler will record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlertOut {
    /// warning, breach, reminder or escalation.
    pub alert: String,
    /// The promise concerned.
    pub obligation: Option<String>,
    /// The department concerned.
    pub party: Option<String>,
    /// The instant it is about.
    pub due: String,
    /// When it fires.
    pub fire_at: String,
}

/// A policy's name and version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PolicyRefOut {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
}

/// A ticket in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TicketSummaryOut {
    /// Identifier.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Customer.
    pub customer_id: String,
    /// Customer level.
    pub customer_level: String,
    /// Assurance level.
    pub assurance_level: String,
    /// Summary.
    pub title: String,
    /// Lifecycle status.
    pub status: String,
    /// Soonest pending due instant.
    pub next_due: Option<String>,
    /// Time left before the soonest due instant (ISO 8601; negative when past).
    pub time_to_breach: Option<String>,
    /// Whether any obligation is breached now.
    pub breached: bool,
    /// Where it stands in its workflow.
    pub stage: String,
    /// The parent ticket of a mass outage.
    pub parent: Option<String>,
    /// Departments it was dispatched to.
    pub departments: Vec<String>,
    /// When it was opened.
    pub created_at: String,
    /// Version.
    pub version: i64,
}

/// A page of tickets.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TicketPage {
    /// The tickets, soonest due first.
    pub items: Vec<TicketSummaryOut>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}
