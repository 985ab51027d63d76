//! The PostgreSQL backend, for production: several tierdesk instances share one
//! database. A ticket's row is locked (`FOR UPDATE`) while events are appended, so
//! concurrent appends to one ticket serialise and version checks hold.

use std::time::Duration;

use jiff::Timestamp;
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use tierdesk_core::{Status, TicketId};
use tierdesk_store::{
    AppendRequest, Change, Channel, Circuit, Customer, Delivery, Department, DueTimer, Id,
    Idempotency, ListOrder, Notification, NotificationFilter, OnChange, OpenRequest, PolicyRecord,
    Project, Projection, Result, Service, SessionRecord, Stamps, StoreError, Stored, StoredEvent,
    Subscription, TicketCursor, TicketFilter, TicketRecord, TicketSummary, TokenRecord, User,
    Viewer,
};

use crate::imp::{event_columns, impl_store, user_columns};
use crate::rows::{self, ns};
use crate::{OpenError, db, error, not_found, stored_events};

/// The PostgreSQL store.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    read: PgPool,
    write: PgPool,
}

impl PostgresStore {
    /// Connects to `url` and migrates the database.
    ///
    /// # Errors
    /// [`OpenError`] when the server cannot be reached or the migration fails.
    pub async fn open(url: &str) -> Result<PostgresStore, OpenError> {
        let location = redact(url);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|e| OpenError::Connect {
                location: location.clone(),
                source: e,
            })?;
        sqlx::migrate!("migrations/postgres")
            .run(&pool)
            .await
            .map_err(|e| OpenError::Migrate {
                location,
                source: e,
            })?;
        Ok(PostgresStore {
            read: pool.clone(),
            write: pool,
        })
    }

    /// The connection pool, for the scheduler's dialect-specific queries.
    pub fn pool(&self) -> &PgPool {
        &self.write
    }
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The channel on which ticket writes are announced (the payload is the ticket id).
const CHANNEL: &str = "tierdesk_tickets";

/// Relays ticket notifications to `on_change` until the connection is lost.
async fn relay(pool: &PgPool, on_change: &OnChange) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    // Whatever changed while no one listened is unknown.
    on_change(Change::Unknown);
    // `try_recv` answers `None` when the connection dropped: notifications may
    // have been lost then, which the caller reports as an unknown change.
    while let Some(notification) = listener.try_recv().await? {
        match notification.payload().parse::<TicketId>() {
            Ok(id) => on_change(Change::Ticket(id)),
            Err(_) => on_change(Change::Unknown),
        }
    }
    Ok(())
}

impl_store!(
    PostgresStore,
    sqlx::Postgres,
    "postgres",
    " FOR UPDATE",
    " FOR UPDATE SKIP LOCKED",
    Some("SELECT pg_notify('tierdesk_tickets', $1)"),
    fn watch(&self, on_change: OnChange) {
        let pool = self.write.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = relay(&pool, &on_change).await {
                    // Only a cost (cache misses) until it reconnects, not an error to callers.
                    tracing::warn!(error = %e, "lost the PostgreSQL change notifications; reconnecting");
                }
                on_change(Change::Unknown);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
);
