//! The records tierdesk keeps. Plain data: no SQL, no JSON.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use tierdesk_core::{
    AssuranceLevel, Category, ChangeType, CustomerLevel, EventKind, Party, PolicyRef, Role, Scope,
    Status, TicketId, TicketKind,
};

/// An identifier of a customer, service, circuit, department or user: 1 to 64
/// characters of letters, digits and `._:-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(String);

/// Why a text is not an [`Id`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an id: use 1 to 64 letters, digits, '.', '_', ':' or '-'")]
pub struct InvalidId(pub String);

impl FromStr for Id {
    type Err = InvalidId;

    /// # Example
    /// ```
    /// use tierdesk_store::Id;
    /// assert!("CUS-001".parse::<Id>().is_ok());
    /// assert!("a b".parse::<Id>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b));
        if ok {
            Ok(Id(s.to_owned()))
        } else {
            Err(InvalidId(s.to_owned()))
        }
    }
}

impl Id {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whose data a request may see: staff see everything, a customer user only its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// Operator staff.
    Staff,
    /// A customer user, limited to this customer.
    Customer(Id),
}

impl Viewer {
    /// The customer a viewer is limited to, if any.
    pub fn customer(&self) -> Option<&Id> {
        match self {
            Viewer::Staff => None,
            Viewer::Customer(id) => Some(id),
        }
    }
}

/// Created, updated and version stamps of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamps {
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// Increases by one on every change; the ETag.
    pub version: i64,
}

/// An enterprise customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// Identifier.
    pub id: Id,
    /// Name.
    pub name: String,
    /// Customer service level.
    pub level: CustomerLevel,
    /// The account manager (a user id).
    pub account_manager: Option<Id>,
    /// Contact e-mail for notices.
    pub contact_email: Option<String>,
    /// Contact phone.
    pub contact_phone: Option<String>,
}

/// A service sold to a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Identifier.
    pub id: Id,
    /// Owning customer.
    pub customer_id: Id,
    /// Name.
    pub name: String,
    /// Category.
    pub category: Category,
    /// Assurance level when it differs from the customer level's default.
    pub assurance_level: Option<AssuranceLevel>,
    /// Geographic scope.
    pub scope: Scope,
    /// Endpoints (sites, addresses), free text.
    pub endpoints: Vec<String>,
}

/// A dedicated line of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Circuit {
    /// Identifier.
    pub id: Id,
    /// The service it belongs to.
    pub service_id: Id,
    /// The customer (the service's), kept for scoping.
    pub customer_id: Id,
    /// A end.
    pub a_end: String,
    /// Z end.
    pub z_end: String,
    /// Bandwidth, free text (e.g. "100M").
    pub bandwidth: Option<String>,
}

tierdesk_core::vocabulary!(
    /// What a department does.
    DepartmentKind, "department kind", [
        /// 运营支撑部门
        Operations = "operations",
        /// 建设部门
        Construction = "construction",
        /// 维护部门
        Maintenance = "maintenance",
        /// 集团客户投诉受理热线
        Hotline = "hotline",
        /// 集团客户部
        CustomerDepartment = "customer_department",
    ]
);

/// An operator department that tickets are dispatched to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    /// Identifier (used as the `to` of dispatches).
    pub id: Id,
    /// Name.
    pub name: String,
    /// What it does.
    pub kind: DepartmentKind,
    /// Where escalations to its leadership go.
    pub leader_email: Option<String>,
}

/// A person or system that uses tierdesk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Identifier (also the login name).
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// For customer users: the customer.
    pub customer_id: Option<Id>,
    /// For staff: the department.
    pub department_id: Option<Id>,
    /// E-mail.
    pub email: Option<String>,
    /// Argon2 hash of the console password, if the user may log in.
    pub password_hash: Option<String>,
    /// Disabled users cannot authenticate.
    pub disabled: bool,
}

/// A reference record with its stamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored<T> {
    /// The record.
    pub record: T,
    /// Its stamps.
    pub stamps: Stamps,
}

/// The fixed part of a ticket, set when it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketHeader {
    /// Identifier.
    pub id: TicketId,
    /// Kind.
    pub kind: TicketKind,
    /// Customer.
    pub customer_id: Id,
    /// Service concerned.
    pub service_id: Option<Id>,
    /// Circuit concerned.
    pub circuit_id: Option<Id>,
    /// Customer level at opening.
    pub customer_level: CustomerLevel,
    /// Assurance level at opening (after the service's override).
    pub assurance_level: AssuranceLevel,
    /// Category.
    pub category: Option<Category>,
    /// Scope.
    pub scope: Option<Scope>,
    /// Change type (changes).
    pub change_type: Option<ChangeType>,
    /// Planned start (notices).
    pub work_start: Option<Timestamp>,
    /// Emergency work (notices).
    pub emergency: bool,
    /// A handset/terminal complaint without a line.
    pub terminal: bool,
    /// Whether the fault is in operator-managed equipment.
    pub operator_equipment: bool,
    /// The policy the ticket started under.
    pub policy: PolicyRef,
    /// One-line summary.
    pub title: String,
    /// Longer description.
    pub description: String,
    /// Green-channel ticket opened directly by an account manager, to be back-filled.
    pub green_channel: bool,
    /// Who opened it (a user id).
    pub created_by: Id,
    /// When it was recorded.
    pub created_at: Timestamp,
}

/// One event as stored: the core event plus who recorded it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// 1-based position in the ticket's history.
    pub seq: i64,
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    pub kind: EventKind,
    /// The party acting (department or person), as the event names it.
    pub by: Option<Party>,
    /// The user who recorded it.
    pub actor: Id,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// Free text: evidence for a pause, a comment.
    pub note: Option<String>,
}

/// A new event to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    pub kind: EventKind,
    /// The party acting.
    pub by: Option<Party>,
    /// Free text.
    pub note: Option<String>,
}

/// The state derived from a ticket's history, kept for fast lists and queues;
/// rebuilt from the events by `tierdesk rebuild`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    /// Lifecycle status.
    pub status: Status,
    /// Earliest due instant among obligations still pending; `None` if none.
    pub next_due: Option<Timestamp>,
    /// Whether any obligation was breached when evaluated.
    pub breached: bool,
    /// Departments the ticket was dispatched to.
    pub departments: Vec<String>,
    /// The evaluation, as JSON, at `evaluated_at`.
    pub evaluation_json: String,
    /// When it was evaluated.
    pub evaluated_at: Timestamp,
}

/// A ticket as stored: header, history and projection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRecord {
    /// Fixed fields.
    pub header: TicketHeader,
    /// Number of events: the version, for `ETag`/`If-Match`.
    pub version: i64,
    /// The history, in append order.
    pub events: Vec<StoredEvent>,
    /// The derived state.
    pub projection: Projection,
}

/// A ticket in a list: header and projection, no history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSummary {
    /// Fixed fields.
    pub header: TicketHeader,
    /// Number of events.
    pub version: i64,
    /// The derived state.
    pub projection: Projection,
}

/// Which tickets to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketFilter {
    /// Only this kind.
    pub kind: Option<TicketKind>,
    /// Only these statuses (empty: any).
    pub statuses: Vec<Status>,
    /// Only open tickets (not closed, cancelled or rejected).
    pub open: Option<bool>,
    /// Only this customer level.
    pub customer_level: Option<CustomerLevel>,
    /// Only this assurance level.
    pub assurance_level: Option<AssuranceLevel>,
    /// Only this customer.
    pub customer_id: Option<Id>,
    /// Only tickets dispatched to this department.
    pub department: Option<String>,
    /// Only tickets breached (true) or not breached (false) as of `now`.
    pub breached: Option<bool>,
    /// Only tickets with a pending obligation due before this instant.
    pub due_before: Option<Timestamp>,
    /// Only tickets opened at or after this instant.
    pub opened_after: Option<Timestamp>,
    /// Only tickets opened before this instant.
    pub opened_before: Option<Timestamp>,
}

/// Where a page of a list starts: after this (next_due, id) position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketCursor {
    /// Next-due of the last item seen (`None` sorts last).
    pub next_due: Option<Timestamp>,
    /// Id of the last item seen.
    pub id: String,
}

/// An API token's stored form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// Identifier (shown to admins; not the secret).
    pub id: Id,
    /// Owner.
    pub user_id: Id,
    /// SHA-256 of the secret, hex.
    pub hash: String,
    /// Label.
    pub label: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// Revoked tokens do not authenticate.
    pub revoked: bool,
}

/// A console session's stored form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the cookie secret, hex.
    pub hash: String,
    /// Owner.
    pub user_id: Id,
    /// Token to echo in forms against cross-site requests.
    pub csrf: String,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// A remembered POST, so that a retried request with the same key does not act twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    /// The user who sent it.
    pub user_id: Id,
    /// The client's `Idempotency-Key`.
    pub key: String,
    /// SHA-256 of method, path and body: the same key with another request is an error.
    pub request_hash: String,
    /// The ticket the request wrote.
    pub ticket_id: Option<String>,
    /// The response status, once known.
    pub status: Option<u16>,
    /// The response body, once known.
    pub body: Option<String>,
}

/// A TMF621 hub subscription: events are POSTed to `callback`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Identifier.
    pub id: Id,
    /// Where to POST events.
    pub callback: String,
    /// Optional TMF query (e.g. `eventType=TroubleTicketCreateEvent`).
    pub query: Option<String>,
    /// Who created it.
    pub created_by: Id,
    /// When.
    pub created_at: Timestamp,
}

/// A stored policy version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRecord {
    /// Name and version.
    pub id: PolicyRef,
    /// The TOML text.
    pub text: String,
    /// When it was stored.
    pub created_at: Timestamp,
}

/// Events to append to a ticket, and what the caller knows.
#[derive(Debug, Clone, Copy)]
pub struct AppendRequest<'a> {
    /// The ticket.
    pub id: &'a TicketId,
    /// The version the caller read (`If-Match`); a different current version refuses the write.
    pub expected: Option<i64>,
    /// The events, in order.
    pub events: &'a [NewEvent],
    /// Who records them.
    pub actor: &'a Id,
    /// When.
    pub now: Timestamp,
    /// The request's idempotency key, recorded with the write.
    pub idempotency: Option<&'a Idempotency>,
    /// The ticket as the caller read it. When it is still at that version, the
    /// write takes a shorter path: the projection is derived before the
    /// transaction and applied with `UPDATE … WHERE version = <read>`; when another
    /// write came first, the store locks the ticket, reads it again and derives anew.
    pub read: Option<&'a TicketRecord>,
}
