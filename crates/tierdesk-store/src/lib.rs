//! The storage interface of tierdesk: what is kept, and the one [`Store`] trait
//! that every backend implements (SQLite and PostgreSQL in `tierdesk-store-sql`).
//!
//! Tickets are kept as an append-only history of events plus a projection (the
//! evaluation and status derived from that history), so lists and queues are
//! fast and every figure can be recomputed. The store never evaluates: the
//! caller passes a function that derives the projection, and the store runs it
//! inside the write's transaction, so a rejected write leaves nothing behind.
#![deny(missing_docs)]

mod cache;
mod error;
mod model;
#[cfg(feature = "story")]
pub mod story;

use async_trait::async_trait;
use jiff::Timestamp;
use tierdesk_core::TicketId;

pub use cache::CachedStore;
pub use error::StoreError;
pub use model::*;

/// Result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Derives a ticket's projection from its header and full history; an `Err`
/// refuses the write (the message says why) and rolls it back.
pub type Project<'a> =
    &'a (dyn Fn(&TicketHeader, &[StoredEvent]) -> Result<Projection, String> + Send + Sync);

/// A change made through another handle on the same database (another tierdesk
/// instance sharing PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// This ticket changed.
    Ticket(TicketId),
    /// Changes may have been missed (the notification channel was lost): forget everything.
    Unknown,
}

/// Called for every [`Change`] the store hears of.
pub type OnChange = std::sync::Arc<dyn Fn(Change) + Send + Sync>;

/// Everything tierdesk keeps, behind one interface.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend, for logs and `/readyz`.
    fn backend(&self) -> &'static str;

    /// Whether the database answers.
    async fn ping(&self) -> Result<()>;

    /// Calls `on_change` whenever a ticket changes through any handle on the
    /// database, for as long as the store lives. A database that only one process
    /// uses (SQLite) has nothing to report.
    fn watch(&self, on_change: OnChange) {
        let _ = on_change;
    }

    // Reference data ------------------------------------------------------

    /// Creates a customer.
    async fn create_customer(&self, c: &Customer, now: Timestamp) -> Result<Stored<Customer>>;
    /// Replaces a customer; `expected` is the version the caller read.
    async fn update_customer(
        &self,
        c: &Customer,
        expected: Option<i64>,
        now: Timestamp,
    ) -> Result<Stored<Customer>>;
    /// One customer, if the viewer may see it.
    async fn customer(&self, id: &Id, viewer: &Viewer) -> Result<Stored<Customer>>;
    /// Customers the viewer may see, by id.
    async fn customers(&self, viewer: &Viewer) -> Result<Vec<Stored<Customer>>>;
    /// Deletes a customer that nothing refers to.
    async fn delete_customer(&self, id: &Id, expected: Option<i64>) -> Result<()>;

    /// Creates a service (its customer must exist).
    async fn create_service(&self, s: &Service, now: Timestamp) -> Result<Stored<Service>>;
    /// Replaces a service.
    async fn update_service(
        &self,
        s: &Service,
        expected: Option<i64>,
        now: Timestamp,
    ) -> Result<Stored<Service>>;
    /// One service, if the viewer may see it.
    async fn service(&self, id: &Id, viewer: &Viewer) -> Result<Stored<Service>>;
    /// Services the viewer may see, optionally of one customer.
    async fn services(
        &self,
        viewer: &Viewer,
        customer: Option<&Id>,
    ) -> Result<Vec<Stored<Service>>>;
    /// Deletes a service that nothing refers to.
    async fn delete_service(&self, id: &Id, expected: Option<i64>) -> Result<()>;

    /// Creates a circuit (its service must exist; its customer is the service's).
    async fn create_circuit(&self, c: &Circuit, now: Timestamp) -> Result<Stored<Circuit>>;
    /// Replaces a circuit.
    async fn update_circuit(
        &self,
        c: &Circuit,
        expected: Option<i64>,
        now: Timestamp,
    ) -> Result<Stored<Circuit>>;
    /// One circuit, if the viewer may see it.
    async fn circuit(&self, id: &Id, viewer: &Viewer) -> Result<Stored<Circuit>>;
    /// Circuits the viewer may see, optionally of one service.
    async fn circuits(&self, viewer: &Viewer, service: Option<&Id>)
    -> Result<Vec<Stored<Circuit>>>;
    /// Deletes a circuit that nothing refers to.
    async fn delete_circuit(&self, id: &Id, expected: Option<i64>) -> Result<()>;

    /// Creates a department.
    async fn create_department(&self, d: &Department, now: Timestamp)
    -> Result<Stored<Department>>;
    /// Replaces a department.
    async fn update_department(
        &self,
        d: &Department,
        expected: Option<i64>,
        now: Timestamp,
    ) -> Result<Stored<Department>>;
    /// One department.
    async fn department(&self, id: &Id) -> Result<Stored<Department>>;
    /// All departments.
    async fn departments(&self) -> Result<Vec<Stored<Department>>>;
    /// Deletes a department that nothing refers to.
    async fn delete_department(&self, id: &Id, expected: Option<i64>) -> Result<()>;

    // Users, tokens, sessions ---------------------------------------------

    /// Creates a user.
    async fn create_user(&self, u: &User, now: Timestamp) -> Result<Stored<User>>;
    /// Replaces a user.
    async fn update_user(
        &self,
        u: &User,
        expected: Option<i64>,
        now: Timestamp,
    ) -> Result<Stored<User>>;
    /// One user.
    async fn user(&self, id: &Id) -> Result<Stored<User>>;
    /// All users.
    async fn users(&self) -> Result<Vec<Stored<User>>>;
    /// Stores a token (its secret's hash).
    async fn create_token(&self, t: &TokenRecord) -> Result<()>;
    /// The active token with this hash and its user.
    async fn token_by_hash(&self, hash: &str) -> Result<(TokenRecord, Stored<User>)>;
    /// Revokes a token.
    async fn revoke_token(&self, id: &Id) -> Result<()>;
    /// Stores a session.
    async fn create_session(&self, s: &SessionRecord) -> Result<()>;
    /// The unexpired session with this hash and its user.
    async fn session_by_hash(
        &self,
        hash: &str,
        now: Timestamp,
    ) -> Result<(SessionRecord, Stored<User>)>;
    /// Ends a session.
    async fn delete_session(&self, hash: &str) -> Result<()>;

    // Policies -------------------------------------------------------------

    /// Stores a policy version (idempotent for identical text; a different text
    /// under an existing name and version is refused).
    async fn put_policy(&self, p: &PolicyRecord) -> Result<()>;
    /// Every stored policy version.
    async fn policies(&self) -> Result<Vec<PolicyRecord>>;

    // Tickets ----------------------------------------------------------------

    /// Opens a ticket with its first events; `project` derives the projection;
    /// `outbox` is enqueued in the same transaction.
    async fn open_ticket(
        &self,
        request: OpenRequest<'_>,
        project: Project<'_>,
    ) -> Result<TicketRecord>;

    /// Opens many tickets in one transaction (imports, benchmarks): all or none.
    async fn open_tickets(
        &self,
        requests: &[OpenRequest<'_>],
        project: Project<'_>,
    ) -> Result<usize>;

    /// Appends events to a ticket.
    async fn append_events(
        &self,
        request: AppendRequest<'_>,
        project: Project<'_>,
    ) -> Result<TicketRecord>;

    /// Appends events to several tickets in one transaction: all are written or
    /// none (a mass outage restored together).
    async fn append_many(
        &self,
        requests: &[AppendRequest<'_>],
        project: Project<'_>,
    ) -> Result<Vec<TicketRecord>>;

    /// A ticket with its history, if the viewer may see it.
    async fn ticket(&self, id: &TicketId, viewer: &Viewer) -> Result<TicketRecord>;

    /// Tickets matching `filter` that the viewer may see, ordered by next due
    /// instant (soonest first, none last) then id, after `cursor`, at most `limit`.
    async fn tickets(
        &self,
        filter: &TicketFilter,
        viewer: &Viewer,
        now: Timestamp,
        cursor: Option<&TicketCursor>,
        limit: u32,
    ) -> Result<Vec<TicketSummary>>;

    /// Ticket ids in id order after `after`, at most `limit`: for rebuilding.
    async fn ticket_ids(&self, after: Option<&str>, limit: u32) -> Result<Vec<TicketId>>;

    /// Recomputes a ticket's projection from its stored history.
    async fn reproject(&self, id: &TicketId, project: Project<'_>) -> Result<Projection>;

    /// Open tickets counted by status, and how many are breached as of `now`.
    async fn ticket_counts(
        &self,
        now: Timestamp,
    ) -> Result<(Vec<(tierdesk_core::Status, i64)>, i64)>;

    // Scheduler --------------------------------------------------------------

    /// Claims up to `limit` timers due at `now` that no other instance holds, for
    /// `lease` (after which another instance may claim them again).
    async fn claim_timers(
        &self,
        now: Timestamp,
        owner: &str,
        lease: jiff::SignedDuration,
        limit: u32,
    ) -> Result<Vec<DueTimer>>;

    /// The earliest instant after which a timer can be claimed (its due instant,
    /// or the end of another instance's lease on it), if there is one.
    async fn next_timer(&self, now: Timestamp) -> Result<Option<Timestamp>>;

    /// How many timers are waiting.
    async fn timer_count(&self) -> Result<i64>;

    // Notifications ------------------------------------------------------------

    /// Creates a notification channel.
    async fn create_channel(&self, c: &Channel) -> Result<()>;
    /// Every channel.
    async fn channels(&self) -> Result<Vec<Channel>>;
    /// One channel.
    async fn channel(&self, id: &Id) -> Result<Channel>;
    /// Removes a channel (its pending notifications go to the dead-letter list when tried).
    async fn delete_channel(&self, id: &Id) -> Result<()>;

    /// Claims up to `limit` pending notifications due at `now` for `lease`.
    async fn claim_notifications(
        &self,
        now: Timestamp,
        owner: &str,
        lease: jiff::SignedDuration,
        limit: u32,
    ) -> Result<Vec<Notification>>;
    /// Records what came of an attempt to deliver a claimed notification.
    async fn finish_notification(&self, id: &Id, outcome: &Delivery) -> Result<()>;
    /// The earliest instant after which a pending notification can be claimed
    /// (its next attempt, or the end of another instance's lease on it), if any.
    async fn next_notification(&self, now: Timestamp) -> Result<Option<Timestamp>>;
    /// Notifications matching `filter`, in id order, at most `limit`.
    async fn notifications(
        &self,
        filter: &NotificationFilter,
        limit: u32,
    ) -> Result<Vec<Notification>>;
    /// One notification.
    async fn notification(&self, id: &Id) -> Result<Notification>;
    /// Puts a notification back in the queue, due at `now`, with its attempts reset.
    async fn replay_notification(&self, id: &Id, now: Timestamp) -> Result<Notification>;

    // Idempotency -----------------------------------------------------------

    /// The remembered request of this user with this key.
    async fn idempotency(&self, user: &Id, key: &str) -> Result<Option<Idempotency>>;
    /// Records the response of a remembered request.
    async fn complete_idempotency(
        &self,
        user: &Id,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<()>;

    // TMF621 hub --------------------------------------------------------------

    /// Stores a hub subscription.
    async fn create_subscription(&self, s: &Subscription) -> Result<()>;
    /// All hub subscriptions.
    async fn subscriptions(&self) -> Result<Vec<Subscription>>;
    /// Removes a hub subscription.
    async fn delete_subscription(&self, id: &Id) -> Result<()>;
}

/// Every ticket matching a filter that a viewer may see, in the filter's order,
/// a page at a time (keyset pagination, so pages stay consistent while tickets change).
pub struct Pages<'a> {
    store: &'a dyn Store,
    filter: &'a TicketFilter,
    viewer: &'a Viewer,
    now: Timestamp,
    size: u32,
    cursor: Option<TicketCursor>,
    done: bool,
}

impl<'a> Pages<'a> {
    /// Pages of `size` tickets matching `filter`, evaluated for `breached` at `now`.
    pub fn new(
        store: &'a dyn Store,
        filter: &'a TicketFilter,
        viewer: &'a Viewer,
        now: Timestamp,
        size: u32,
    ) -> Pages<'a> {
        Pages {
            store,
            filter,
            viewer,
            now,
            size: size.max(1),
            cursor: None,
            done: false,
        }
    }

    /// The next page; `None` when there is none.
    ///
    /// # Errors
    /// The store's.
    pub async fn next(&mut self) -> Result<Option<Vec<TicketSummary>>> {
        if self.done {
            return Ok(None);
        }
        let page = self
            .store
            .tickets(
                self.filter,
                self.viewer,
                self.now,
                self.cursor.as_ref(),
                self.size,
            )
            .await?;
        self.done = (page.len() as u32) < self.size;
        let Some(last) = page.last() else {
            return Ok(None);
        };
        self.cursor = Some(TicketCursor {
            rank: (self.filter.order == ListOrder::Assurance)
                .then(|| assurance_rank(last.header.assurance_level)),
            next_due: last.projection.next_due,
            id: last.header.id.to_string(),
        });
        Ok(Some(page))
    }
}
