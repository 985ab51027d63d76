//! What can go wrong in the store, in terms the edges can answer with.

/// A store operation that did not happen; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist (or the viewer may not see it).
    #[error("{what} {id} not found")]
    NotFound {
        /// What kind of record.
        what: &'static str,
        /// Which.
        id: String,
    },
    /// A record with this id already exists.
    #[error("{what} {id} already exists")]
    AlreadyExists {
        /// What kind of record.
        what: &'static str,
        /// Which.
        id: String,
    },
    /// The record changed since the caller read it (`If-Match` failed).
    #[error("{what} {id} is at version {actual}, not {expected}")]
    VersionMismatch {
        /// What kind of record.
        what: &'static str,
        /// Which.
        id: String,
        /// The version the caller expected.
        expected: i64,
        /// The version it is at.
        actual: i64,
    },
    /// A reference to another record that does not exist, or a record still referenced.
    #[error("{0}")]
    Reference(String),
    /// The write was refused by a domain rule checked inside the transaction.
    #[error("{0}")]
    Rejected(String),
    /// Another request with the same idempotency key won the race.
    #[error("a request with idempotency key {0:?} is already recorded")]
    IdempotencyKeyTaken(String),
    /// The database failed.
    #[error("database error: {0}")]
    Database(String),
    /// A stored value could not be read back (a bug or a corrupted row).
    #[error("corrupt {what} row {id}: {detail}")]
    Corrupt {
        /// What kind of record.
        what: &'static str,
        /// Which.
        id: String,
        /// What was wrong.
        detail: String,
    },
}
