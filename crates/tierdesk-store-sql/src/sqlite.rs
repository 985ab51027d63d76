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
    TicketCursor, TicketFilter, TicketHeader, TicketRecord, TicketSummary, TokenRecord, User,
    Viewer,
};

use crate::imp::{event_columns, impl_store, user_columns};
use crate::rows::{self, ns};
use crate::{OpenError, db, error, not_found};

/// The SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    /// The group committer's queue: SQLite has one writer.
    jobs: tokio::sync::mpsc::UnboundedSender<Job>,
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
        // A file on this machine does not go away: no ping before each use.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
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
            .test_before_acquire(false)
            .connect_with(options.read_only(true))
            .await
            .map_err(connect)?;
        let (jobs, queue) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(committer(write.clone(), queue));
        Ok(SqliteStore { read, write, jobs })
    }
}

impl_store!(
    SqliteStore,
    sqlx::Sqlite,
    "sqlite",
    "",
    "",
    announce,
    group_commit
);

/// One process owns a SQLite file: there is no one else to tell about changes.
fn announce(_: &SqliteStore, _: &str) {}

/// A queued write and who waits for it: `true` when it was written, `false`
/// when an append found the ticket changed (nothing written).
pub(crate) struct Job {
    work: Work,
    reply: tokio::sync::oneshot::Sender<Result<bool>>,
}

/// Hands a prepared write to the group committer and waits until the
/// transaction that holds it is committed (or the write refused).
async fn group_commit(store: &SqliteStore, work: Work) -> Result<bool> {
    let stopped = || StoreError::Database("the store's committer has stopped".into());
    let (reply, answer) = tokio::sync::oneshot::channel();
    store
        .jobs
        .send(Job { work, reply })
        .map_err(|_| stopped())?;
    answer.await.map_err(|_| stopped())?
}

/// Group commit: the writes queued while a transaction was committing go into
/// the next one together, so many writes share one durable commit (one fsync)
/// instead of waiting for one each: SQLite has a single writer. Should one of
/// them fail (an idempotency key already taken, say), the shared transaction is
/// rolled back and each write is committed on its own, so the failure undoes
/// only itself.
async fn committer(pool: SqlitePool, mut jobs: tokio::sync::mpsc::UnboundedReceiver<Job>) {
    const MOST: usize = 256;
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < MOST {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit_batch(&pool, batch).await;
    }
}

async fn commit_batch(pool: &SqlitePool, batch: Vec<Job>) {
    if batch.len() > 1 {
        let together = async {
            let mut tx = pool.begin().await.map_err(db)?;
            let mut written = Vec::with_capacity(batch.len());
            for job in &batch {
                written.push(apply(&mut tx, &job.work).await?);
            }
            tx.commit().await.map_err(db)?;
            Ok::<_, StoreError>(written)
        };
        if let Ok(written) = together.await {
            for (job, w) in batch.into_iter().zip(written) {
                let _ = job.reply.send(Ok(w));
            }
            return;
        }
    }
    for job in batch {
        let outcome = commit_alone(pool, &job.work).await;
        let _ = job.reply.send(outcome);
    }
}
