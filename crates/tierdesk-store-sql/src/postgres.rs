//! The PostgreSQL backend, for production: several tierdesk instances share one
//! database. A ticket's row is locked (`FOR UPDATE`) while events are appended, so
//! concurrent appends to one ticket serialise and version checks hold.

use std::time::Duration;

use jiff::Timestamp;
use sqlx::postgres::{PgPool, PgPoolOptions};
use tierdesk_core::{Status, TicketId};
use tierdesk_store::{
    AppendRequest, Circuit, Customer, Department, Id, Idempotency, NewEvent, PolicyRecord, Project,
    Projection, Result, Service, SessionRecord, Stamps, StoreError, Stored, StoredEvent,
    Subscription, TicketCursor, TicketFilter, TicketHeader, TicketRecord, TicketSummary,
    TokenRecord, User, Viewer,
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

impl_store!(PostgresStore, sqlx::Postgres, "postgres", " FOR UPDATE");
