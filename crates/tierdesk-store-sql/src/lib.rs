//! tierdesk's store on SQLite (the embedded default: one file, WAL, durable
//! commits) and PostgreSQL (for several tierdesk instances on one database).
//!
//! Both backends run the same portable SQL (`imp.rs`, instantiated per backend)
//! and the same row mapping (`rows.rs`); each has its own migrations under
//! `migrations/`, applied on start.
#![deny(missing_docs)]

mod error;
mod imp;
mod postgres;
mod rows;
mod sqlite;

use std::sync::Arc;

use tierdesk_store::{Store, StoreError};

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite database file (created if missing).
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL URL, e.g. `postgres://user@host/db`.
    Postgres(String),
}

/// A store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The database could not be reached or opened.
    #[error("cannot open {location}: {source}")]
    Connect {
        /// Where.
        location: String,
        /// Why.
        source: sqlx::Error,
    },
    /// Migrations failed.
    #[error("cannot migrate {location}: {source}")]
    Migrate {
        /// Where.
        location: String,
        /// Why.
        source: sqlx::migrate::MigrateError,
    },
}

/// Opens the store at `location` and applies pending migrations.
///
/// # Errors
/// [`OpenError`] when the database cannot be opened or migrated.
pub async fn open(location: &Location) -> Result<Arc<dyn Store>, OpenError> {
    Ok(match location {
        Location::Sqlite(path) => Arc::new(SqliteStore::open(path).await?),
        Location::Postgres(url) => Arc::new(PostgresStore::open(url).await?),
    })
}

fn not_found(what: &'static str, id: &str) -> StoreError {
    StoreError::NotFound {
        what,
        id: id.to_owned(),
    }
}

fn db(e: sqlx::Error) -> StoreError {
    error::db(e)
}

/// Helpers for tests that need a database of their own.
pub mod testing {
    use sqlx::Connection;

    /// The PostgreSQL server tests should use: `DATABASE_URL`. Without it the
    /// PostgreSQL tests are skipped with a message, unless
    /// `TIERDESK_REQUIRE_POSTGRES` is set (as CI does), when they fail.
    ///
    /// # Panics
    /// When PostgreSQL is required and `DATABASE_URL` is not set.
    pub fn postgres_url() -> Option<String> {
        match std::env::var("DATABASE_URL") {
            Ok(url) if !url.is_empty() => Some(url),
            _ if std::env::var_os("TIERDESK_REQUIRE_POSTGRES").is_some() => {
                panic!(
                    "TIERDESK_REQUIRE_POSTGRES is set but DATABASE_URL is not: the PostgreSQL tests must run"
                )
            }
            _ => {
                eprintln!(
                    "SKIPPED: PostgreSQL test (set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres)"
                );
                None
            }
        }
    }

    /// Creates a new, empty database on the PostgreSQL server of `url` and returns
    /// its URL. Names carry the creating process id; databases left by processes
    /// that are gone are dropped first, so test runs do not pile up databases.
    ///
    /// # Errors
    /// The server's error when it cannot be reached or refuses to create it.
    pub async fn fresh_postgres_database(url: &str) -> Result<String, sqlx::Error> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let mut conn = sqlx::PgConnection::connect(url).await?;
        let leftovers: Vec<(String,)> =
            sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'tierdesk_test_%'")
                .fetch_all(&mut conn)
                .await?;
        for (name,) in leftovers {
            let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
            let gone =
                pid.is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists());
            if gone {
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                // Another test process may be dropping it at the same moment.
                let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await;
            }
        }
        let pid = std::process::id();
        let name = format!(
            "tierdesk_test_{pid}_{}",
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let sql = format!("CREATE DATABASE {name}");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        let (without_query, query) = match url.find('?') {
            Some(q) => (&url[..q], &url[q..]),
            None => (url, ""),
        };
        let authority = without_query.find("://").map_or(0, |i| i + 3);
        let base = match without_query[authority..].find('/') {
            Some(slash) => &without_query[..authority + slash],
            None => without_query,
        };
        Ok(format!("{base}/{name}{query}"))
    }
}
