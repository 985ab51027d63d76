//! A read-through cache of tickets in front of any store.
//!
//! Reads of one ticket (history and projection) are answered from memory once
//! seen. Writes through this handle put their result in the cache; changes made
//! through other handles arrive through [`Store::watch`] and evict. A newer
//! version never yields to an older one, whatever order concurrent writes finish in.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use jiff::Timestamp;
use tierdesk_core::{Status, TicketId};

use crate::*;

/// A store with a ticket cache in front.
pub struct CachedStore {
    inner: Arc<dyn Store>,
    tickets: Arc<Mutex<HashMap<String, TicketRecord>>>,
    capacity: usize,
}

impl CachedStore {
    /// Wraps `inner`, keeping up to `capacity` tickets, and listens for changes
    /// made elsewhere.
    pub fn new(inner: Arc<dyn Store>, capacity: usize) -> Arc<CachedStore> {
        let tickets: Arc<Mutex<HashMap<String, TicketRecord>>> = Arc::default();
        let evict = Arc::clone(&tickets);
        inner.watch(Arc::new(move |change| {
            if let Ok(mut map) = evict.lock() {
                match change {
                    Change::Ticket(id) => {
                        map.remove(id.as_str());
                    }
                    Change::Unknown => map.clear(),
                }
            }
        }));
        Arc::new(CachedStore {
            inner,
            tickets,
            capacity,
        })
    }

    fn cached(&self, id: &TicketId) -> Option<TicketRecord> {
        self.tickets.lock().ok()?.get(id.as_str()).cloned()
    }

    /// Keeps `record` unless the cache already holds a newer state of the ticket.
    fn keep(&self, record: &TicketRecord) {
        let Ok(mut map) = self.tickets.lock() else {
            return;
        };
        if let Some(held) = map.get(record.header.id.as_str()) {
            let newer = (held.version, held.projection.evaluated_at)
                > (record.version, record.projection.evaluated_at);
            if newer {
                return;
            }
        }
        let mut record = record.clone();
        // Timers are not read back with a ticket; the cache answers as the database would.
        record.projection.timers.clear();
        if map.len() >= self.capacity {
            // Rarely full (the capacity is sized for the open tickets); start over then.
            map.clear();
        }
        map.insert(record.header.id.to_string(), record);
    }

    fn forget(&self, id: &TicketId) {
        if let Ok(mut map) = self.tickets.lock() {
            map.remove(id.as_str());
        }
    }
}

fn visible(record: &TicketRecord, viewer: &Viewer) -> bool {
    viewer
        .customer()
        .is_none_or(|c| *c == record.header.customer_id)
}

#[async_trait]
impl Store for CachedStore {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
    async fn ping(&self) -> Result<()> {
        self.inner.ping().await
    }
    fn watch(&self, on_change: OnChange) {
        self.inner.watch(on_change);
    }
    async fn create_customer(&self, c: &Customer, now: Timestamp) -> Result<Stored<Customer>> {
        self.inner.create_customer(c, now).await
    }
    async fn update_customer(
        &self,
        c: &Customer,
        expected: Option<i64>,
        now: Timestamp,
    ) -> Result<Stored<Customer>> {
        self.inner.update_customer(c, expected, now).await
    }
    async fn customer(&self, id: &Id, viewer: &Viewer) -> Result<Stored<Customer>> {
        self.inner.customer(id, viewer).await
    }
    async fn customers(&self, viewer: &Viewer) -> Result<Vec<Stored<Customer>>> {
        self.inner.customers(viewer).await
    }
    async fn delete_customer(&self, id: &Id, expected: Option<i64>) -> Result<()> {
        self.inner.delete_customer(id, expected).await
    }
    async fn create_service(&self, s: &Service, now: Timestamp) -> Result<Stored<Service>> {
        self.inner.create_service(s, now).await
    }
    async fn update_service(
        &self,
        s: &Service,
        expected: Option<i64>,
        now: Timestamp,
    ) -> Result<Stored<Service>> {
        self.inner.update_service(s, expected, now).await
    }
    async fn service(&self, id: &Id, viewer: &Viewer) -> Result<Stored<Service>> {
        self.inner.service(id, viewer).await
    }
    async fn services(
        &self,
        viewer: &Viewer,
        customer: Option<&Id>,
    ) -> Result<Vec<Stored<Service>>> {
        self.inner.services(viewer, customer).await
    }
    async fn delete_service(&self, id: &Id, expected: Option<i64>) -> Result<()> {
        self.inner.delete_service(id, expected).await
    }
    async fn create_circuit(&self, c: &Circuit, now: Timestamp) -> Result<Stored<Circuit>> {
        self.inner.create_circuit(c, now).await
    }
    async fn update_circuit(
        &self,
        c: &Circuit,
        expected: Option<i64>,
        now: Timestamp,
    ) -> Result<Stored<Circuit>> {
        self.inner.update_circuit(c, expected, now).await
    }
    async fn circuit(&self, id: &Id, viewer: &Viewer) -> Result<Stored<Circuit>> {
        self.inner.circuit(id, viewer).await
    }
    async fn circuits(
        &self,
        viewer: &Viewer,
        service: Option<&Id>,
    ) -> Result<Vec<Stored<Circuit>>> {
        self.inner.circuits(viewer, service).await
    }
    async fn delete_circuit(&self, id: &Id, expected: Option<i64>) -> Result<()> {
        self.inner.delete_circuit(id, expected).await
    }
    async fn create_department(
        &self,
        d: &Department,
        now: Timestamp,
    ) -> Result<Stored<Department>> {
        self.inner.create_department(d, now).await
    }
    async fn update_department(
        &self,
        d: &Department,
        expected: Option<i64>,
        now: Timestamp,
    ) -> Result<Stored<Department>> {
        self.inner.update_department(d, expected, now).await
    }
    async fn department(&self, id: &Id) -> Result<Stored<Department>> {
        self.inner.department(id).await
    }
    async fn departments(&self) -> Result<Vec<Stored<Department>>> {
        self.inner.departments().await
    }
    async fn delete_department(&self, id: &Id, expected: Option<i64>) -> Result<()> {
        self.inner.delete_department(id, expected).await
    }
    async fn create_user(&self, u: &User, now: Timestamp) -> Result<Stored<User>> {
        self.inner.create_user(u, now).await
    }
    async fn update_user(
        &self,
        u: &User,
        expected: Option<i64>,
        now: Timestamp,
    ) -> Result<Stored<User>> {
        self.inner.update_user(u, expected, now).await
    }
    async fn user(&self, id: &Id) -> Result<Stored<User>> {
        self.inner.user(id).await
    }
    async fn users(&self) -> Result<Vec<Stored<User>>> {
        self.inner.users().await
    }
    async fn create_token(&self, t: &TokenRecord) -> Result<()> {
        self.inner.create_token(t).await
    }
    async fn token_by_hash(&self, hash: &str) -> Result<(TokenRecord, Stored<User>)> {
        self.inner.token_by_hash(hash).await
    }
    async fn revoke_token(&self, id: &Id) -> Result<()> {
        self.inner.revoke_token(id).await
    }
    async fn create_session(&self, s: &SessionRecord) -> Result<()> {
        self.inner.create_session(s).await
    }
    async fn session_by_hash(
        &self,
        hash: &str,
        now: Timestamp,
    ) -> Result<(SessionRecord, Stored<User>)> {
        self.inner.session_by_hash(hash, now).await
    }
    async fn delete_session(&self, hash: &str) -> Result<()> {
        self.inner.delete_session(hash).await
    }
    async fn put_policy(&self, p: &PolicyRecord) -> Result<()> {
        self.inner.put_policy(p).await
    }
    async fn policies(&self) -> Result<Vec<PolicyRecord>> {
        self.inner.policies().await
    }
    async fn open_ticket(
        &self,
        request: OpenRequest<'_>,
        project: Project<'_>,
    ) -> Result<TicketRecord> {
        let record = self.inner.open_ticket(request, project).await?;
        self.keep(&record);
        Ok(record)
    }
    async fn open_tickets(
        &self,
        requests: &[OpenRequest<'_>],
        project: Project<'_>,
    ) -> Result<usize> {
        self.inner.open_tickets(requests, project).await
    }
    async fn append_many(
        &self,
        requests: &[AppendRequest<'_>],
        project: Project<'_>,
    ) -> Result<Vec<TicketRecord>> {
        match self.inner.append_many(requests, project).await {
            Ok(records) => {
                for r in &records {
                    self.keep(r);
                }
                Ok(records)
            }
            Err(e) => {
                for r in requests {
                    self.forget(r.id);
                }
                Err(e)
            }
        }
    }
    async fn append_events(
        &self,
        request: AppendRequest<'_>,
        project: Project<'_>,
    ) -> Result<TicketRecord> {
        let id = request.id.clone();
        match self.inner.append_events(request, project).await {
            Ok(record) => {
                self.keep(&record);
                Ok(record)
            }
            Err(e) => {
                // The caller's read may have come from here and be stale.
                if matches!(e, StoreError::VersionMismatch { .. }) {
                    self.forget(&id);
                }
                Err(e)
            }
        }
    }
    async fn ticket(&self, id: &TicketId, viewer: &Viewer) -> Result<TicketRecord> {
        if let Some(record) = self.cached(id) {
            return if visible(&record, viewer) {
                Ok(record)
            } else {
                Err(StoreError::NotFound {
                    what: "ticket",
                    id: id.to_string(),
                })
            };
        }
        // Cache only what staff would see; the viewer check applies on every hit.
        let record = self.inner.ticket(id, &Viewer::Staff).await?;
        self.keep(&record);
        if visible(&record, viewer) {
            Ok(record)
        } else {
            Err(StoreError::NotFound {
                what: "ticket",
                id: id.to_string(),
            })
        }
    }
    async fn tickets(
        &self,
        filter: &TicketFilter,
        viewer: &Viewer,
        now: Timestamp,
        cursor: Option<&TicketCursor>,
        limit: u32,
    ) -> Result<Vec<TicketSummary>> {
        self.inner.tickets(filter, viewer, now, cursor, limit).await
    }
    async fn ticket_ids(&self, after: Option<&str>, limit: u32) -> Result<Vec<TicketId>> {
        self.inner.ticket_ids(after, limit).await
    }
    async fn reproject(&self, id: &TicketId, project: Project<'_>) -> Result<Projection> {
        let projection = self.inner.reproject(id, project).await?;
        self.forget(id);
        Ok(projection)
    }
    async fn ticket_counts(&self, now: Timestamp) -> Result<(Vec<(Status, i64)>, i64)> {
        self.inner.ticket_counts(now).await
    }
    async fn idempotency(&self, user: &Id, key: &str) -> Result<Option<Idempotency>> {
        self.inner.idempotency(user, key).await
    }
    async fn complete_idempotency(
        &self,
        user: &Id,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<()> {
        self.inner
            .complete_idempotency(user, key, status, body)
            .await
    }
    async fn claim_timers(
        &self,
        now: Timestamp,
        owner: &str,
        lease: jiff::SignedDuration,
        limit: u32,
    ) -> Result<Vec<DueTimer>> {
        self.inner.claim_timers(now, owner, lease, limit).await
    }
    async fn next_timer(&self, now: Timestamp) -> Result<Option<Timestamp>> {
        self.inner.next_timer(now).await
    }
    async fn timer_count(&self) -> Result<i64> {
        self.inner.timer_count().await
    }
    async fn create_channel(&self, c: &Channel) -> Result<()> {
        self.inner.create_channel(c).await
    }
    async fn channels(&self) -> Result<Vec<Channel>> {
        self.inner.channels().await
    }
    async fn channel(&self, id: &Id) -> Result<Channel> {
        self.inner.channel(id).await
    }
    async fn delete_channel(&self, id: &Id) -> Result<()> {
        self.inner.delete_channel(id).await
    }
    async fn claim_notifications(
        &self,
        now: Timestamp,
        owner: &str,
        lease: jiff::SignedDuration,
        limit: u32,
    ) -> Result<Vec<Notification>> {
        self.inner
            .claim_notifications(now, owner, lease, limit)
            .await
    }
    async fn finish_notification(&self, id: &Id, outcome: &Delivery) -> Result<()> {
        self.inner.finish_notification(id, outcome).await
    }
    async fn next_notification(&self, now: Timestamp) -> Result<Option<Timestamp>> {
        self.inner.next_notification(now).await
    }
    async fn notifications(
        &self,
        filter: &NotificationFilter,
        limit: u32,
    ) -> Result<Vec<Notification>> {
        self.inner.notifications(filter, limit).await
    }
    async fn notification(&self, id: &Id) -> Result<Notification> {
        self.inner.notification(id).await
    }
    async fn replay_notification(&self, id: &Id, now: Timestamp) -> Result<Notification> {
        self.inner.replay_notification(id, now).await
    }
    async fn create_subscription(&self, s: &Subscription) -> Result<()> {
        self.inner.create_subscription(s).await
    }
    async fn subscriptions(&self) -> Result<Vec<Subscription>> {
        self.inner.subscriptions().await
    }
    async fn delete_subscription(&self, id: &Id) -> Result<()> {
        self.inner.delete_subscription(id).await
    }
}
