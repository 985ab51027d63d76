//! The SQLite backend: one file under the data directory, in WAL mode, with
//! `synchronous = FULL` so an acknowledged write survives a power cut. Writes go
//! through a single connection (SQLite has one writer anyway, and this avoids
//! lock-upgrade failures); reads use a pool.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use jiff::Timestamp;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use tierdesk_core::{Status, TicketId};
use tierdesk_store::{
    AppendRequest, Channel, Circuit, Customer, Delivery, Department, DueTimer, Id, Idempotency,
    ListOrder, Notification, NotificationFilter, OpenRequest, PolicyRecord, Project, Projection,
    Result, Service, SessionRecord, Stamps, StoreError, Stored, StoredEvent, Subscription,
    TicketCursor, TicketFilter, TicketRecord, TicketSummary, TokenRecord, User, Viewer,
};

use crate::imp::{event_columns, impl_store, user_columns};
use crate::rows::{self, ns};
use crate::{OpenError, db, error, not_found, stored_events};

/// The SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and migrates it.
    ///
    /// # Errors
    /// [`OpenError`] when the file cannot be opened or migrated.
    pub async fn open(path: &Path) -> Result<SqliteStore, OpenError> {
        let location = path.display().to_string();
        let connect = |e| OpenError::Connect {
            location: location.clone(),
            source: e,
        };
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(connect)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(connect)?;
        sqlx::migrate!("migrations/sqlite")
            .run(&write)
            .await
            .map_err(|e| OpenError::Migrate {
                location: location.clone(),
                source: e,
            })?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await
            .map_err(connect)?;
        Ok(SqliteStore { read, write })
    }
}

// One process owns a SQLite file: there is no one else to tell about changes.
impl_store!(SqliteStore, sqlx::Sqlite, "sqlite", "", "", None::<&str>);
