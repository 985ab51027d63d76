//! The records tierdesk keeps. Plain data: no SQL, no JSON.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use tierdesk_core::{
    AssuranceLevel, Category, ChangeType, CustomerLevel, EventKind, Party, PolicyRef, Role, Scope,
    Stage, Status, TicketId, TicketKind, Timer,
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
    /// A full outage (全阻) of the service (faults).
    pub full_outage: bool,
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

impl NewEvent {
    /// New events as they are stored: numbered after `version`, recorded by
    /// `actor` at `now`.
    ///
    /// # Example
    /// ```
    /// use tierdesk_store::NewEvent;
    /// let at: jiff::Timestamp = "2025-06-09T01:00:00Z".parse().unwrap();
    /// let new = [NewEvent { at, kind: tierdesk_core::EventKind::Feedback, by: None, note: None }];
    /// let stored = NewEvent::record(&new, 3, &"li".parse().unwrap(), at);
    /// assert_eq!((stored[0].seq, stored[0].actor.as_str()), (4, "li"));
    /// ```
    pub fn record(
        events: &[NewEvent],
        version: i64,
        actor: &Id,
        now: Timestamp,
    ) -> Vec<StoredEvent> {
        events
            .iter()
            .zip(version + 1..)
            .map(|(e, seq)| StoredEvent {
                seq,
                at: e.at,
                kind: e.kind.clone(),
                by: e.by.clone(),
                actor: actor.clone(),
                recorded_at: now,
                note: e.note.clone(),
            })
            .collect()
    }
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
    /// Where the ticket stands in its workflow.
    pub stage: Stage,
    /// The parent ticket (one outage behind many tickets), from the latest link.
    pub parent: Option<TicketId>,
    /// What the scheduler must still do for the ticket. Written with the projection
    /// into the scheduler's queue; not read back with the ticket (an empty list on
    /// reads: derive them from the evaluation).
    pub timers: Vec<Timer>,
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
    /// Only tickets linked to this parent.
    pub parent: Option<TicketId>,
    /// Only tickets at this workflow stage.
    pub stage: Option<Stage>,
    /// The order of the list.
    pub order: ListOrder,
}

/// How a ticket list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListOrder {
    /// Soonest next due instant first (none last), then id: the queue by time to breach.
    #[default]
    Due,
    /// Highest service assurance level first (AAA, AA, A, ordinary), then by time to
    /// breach: the operations queue in a mass outage (restore in order of assurance level).
    Assurance,
}

/// A service assurance level's place in the operations queue: AAA first.
///
/// # Example
/// ```
/// use tierdesk_core::AssuranceLevel;
/// assert!(tierdesk_store::assurance_rank(AssuranceLevel::AAA) < tierdesk_store::assurance_rank(AssuranceLevel::A));
/// ```
pub fn assurance_rank(level: AssuranceLevel) -> i64 {
    level.index() as i64
}

/// Where a page of a list starts: after this (rank, next_due, id) position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketCursor {
    /// Assurance rank of the last item seen (only for [`ListOrder::Assurance`]).
    pub rank: Option<i64>,
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

/// A ticket to open, with its first events.
#[derive(Debug, Clone, Copy)]
pub struct OpenRequest<'a> {
    /// Fixed fields.
    pub header: &'a TicketHeader,
    /// The first events.
    pub events: &'a [NewEvent],
    /// Who records them.
    pub actor: &'a Id,
    /// When.
    pub now: Timestamp,
    /// The request's idempotency key, recorded with the write.
    pub idempotency: Option<&'a Idempotency>,
    /// Notifications to enqueue with the write.
    pub outbox: &'a [NewNotification],
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
    /// Notifications to enqueue with the write, in the same transaction.
    pub outbox: &'a [NewNotification],
    /// The ticket as the caller read it. When it is still at that version, the
    /// write takes a shorter path: the projection is derived before the
    /// transaction and applied with `UPDATE … WHERE version = <read>`; when another
    /// write came first, the store locks the ticket, reads it again and derives anew.
    pub read: Option<&'a TicketRecord>,
}

/// A scheduler timer that has come due, claimed by one instance for a while.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueTimer {
    /// The ticket.
    pub ticket_id: TicketId,
    /// The timer's key (see `tierdesk_core::Timer::key`).
    pub key: String,
    /// When it was due to fire.
    pub fire_at: Timestamp,
}

tierdesk_core::vocabulary!(
    /// What a notification is about.
    Topic, "topic", [
        /// A ticket was opened.
        Opened = "opened",
        /// A ticket's lifecycle status changed.
        StatusChanged = "status_changed",
        /// A ticket was resolved (restored, resolved, completed, delivered, work finished).
        Resolved = "resolved",
        /// A promise is close to its due instant.
        Warning = "warning",
        /// A promise was breached.
        Breach = "breach",
        /// A periodic feedback or an agreed delay is due.
        Reminder = "reminder",
        /// A full outage was escalated to a department's leadership.
        Escalation = "escalation",
    ]
);

tierdesk_core::vocabulary!(
    /// How a notification travels.
    ChannelKind, "channel kind", [
        /// An HTTP POST of JSON, signed with HMAC-SHA256.
        Webhook = "webhook",
        /// An e-mail through SMTP.
        Email = "email",
        /// A TMF621 hub listener (an HTTP POST of the TMF event).
        Hub = "hub",
    ]
);

tierdesk_core::vocabulary!(
    /// The language of a message.
    Language, "language", [
        /// 中文
        Zh = "zh",
        /// English
        En = "en",
    ]
);

tierdesk_core::vocabulary!(
    /// Where a notification stands.
    DeliveryState, "delivery state", [
        /// Waiting to be sent (again).
        Pending = "pending",
        /// Delivered.
        Sent = "sent",
        /// Given up after its attempts: the dead-letter list, to inspect and replay.
        Dead = "dead",
    ]
);

/// A notification rule: which tickets' news goes where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// Identifier.
    pub id: Id,
    /// Name, for people.
    pub name: String,
    /// Webhook or e-mail.
    pub kind: ChannelKind,
    /// Webhook: where to POST.
    pub url: Option<String>,
    /// Webhook: the HMAC-SHA256 key.
    pub secret: Option<String>,
    /// E-mail: fixed addresses.
    pub email_to: Vec<String>,
    /// E-mail: also the users of this role concerned by the ticket (the customer's
    /// own users, its account manager, or staff of the departments it went to).
    pub role: Option<Role>,
    /// Only tickets of this customer.
    pub customer_id: Option<Id>,
    /// Only these topics (empty: all).
    pub topics: Vec<Topic>,
    /// Language of the messages.
    pub language: Language,
    /// When it was created.
    pub created_at: Timestamp,
}

impl Channel {
    /// Whether a ticket of `customer` with news of `topic` goes to this channel.
    ///
    /// # Example
    /// ```
    /// use tierdesk_store::*;
    /// let c = Channel { id: "c".parse().unwrap(), name: "n".into(), kind: ChannelKind::Email, url: None,
    ///     secret: None, email_to: vec!["a@example.com".into()], role: None, customer_id: None,
    ///     topics: vec![Topic::Breach], language: Language::En, created_at: jiff::Timestamp::UNIX_EPOCH };
    /// assert!(c.wants(&"CUS-1".parse().unwrap(), Topic::Breach));
    /// assert!(!c.wants(&"CUS-1".parse().unwrap(), Topic::Opened));
    /// ```
    pub fn wants(&self, customer: &Id, topic: Topic) -> bool {
        self.customer_id.as_ref().is_none_or(|c| c == customer)
            && (self.topics.is_empty() || self.topics.contains(&topic))
    }
}

/// A notification to enqueue with a ticket write (the transactional outbox).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    /// Identifier.
    pub id: Id,
    /// What it is about.
    pub topic: Topic,
    /// How it travels.
    pub kind: ChannelKind,
    /// The channel or hub subscription it comes from.
    pub channel_id: Option<Id>,
    /// Webhook or hub URL; e-mail addresses (comma-separated), `role:ROLE`, or `leaders`.
    pub target: String,
    /// Language of the message.
    pub language: Language,
    /// Which of the written events caused it (its position among them), if one did.
    pub event_index: Option<usize>,
}

/// A notification in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Identifier.
    pub id: Id,
    /// The ticket.
    pub ticket_id: TicketId,
    /// The ticket's version (number of events) right after the write that caused it:
    /// the message shows the ticket as it was then.
    pub ticket_version: i64,
    /// The event that caused it, if one did.
    pub event_seq: Option<i64>,
    /// What it is about.
    pub topic: Topic,
    /// How it travels.
    pub kind: ChannelKind,
    /// The channel or hub subscription it comes from.
    pub channel_id: Option<Id>,
    /// Where it goes (see [`NewNotification::target`]).
    pub target: String,
    /// Language of the message.
    pub language: Language,
    /// Where it stands.
    pub state: DeliveryState,
    /// Attempts so far.
    pub attempts: i64,
    /// When it was enqueued.
    pub created_at: Timestamp,
    /// When the next attempt is due (pending).
    pub next_attempt_at: Timestamp,
    /// When it was delivered.
    pub sent_at: Option<Timestamp>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// What came of a delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Delivered at this instant.
    Sent(Timestamp),
    /// Failed; try again at this instant.
    Retry {
        /// When.
        at: Timestamp,
        /// Why it failed.
        error: String,
    },
    /// Failed for the last time: to the dead-letter list.
    Dead {
        /// Why it failed.
        error: String,
    },
}

/// Which notifications to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotificationFilter {
    /// Only this state.
    pub state: Option<DeliveryState>,
    /// Only this ticket's.
    pub ticket_id: Option<TicketId>,
    /// Only ids after this one (pages in id order).
    pub after: Option<Id>,
}
