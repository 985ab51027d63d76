//! The shared store story on both backends: SQLite in a fresh temporary file,
//! PostgreSQL in a fresh database on the server `DATABASE_URL` names.

use std::sync::Arc;

use tierdesk_store::Store;

async fn sqlite() -> Option<Arc<dyn Store>> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tierdesk.db");
    // The directory must outlive the test; it is small and under the system temp dir.
    std::mem::forget(dir);
    Some(Arc::new(
        tierdesk_store_sql::SqliteStore::open(&path)
            .await
            .expect("open sqlite"),
    ))
}

/// A fresh database on the PostgreSQL server named by `DATABASE_URL` (see
/// `testing::postgres_url` for when it is skipped and when it must run).
async fn postgres() -> Option<Arc<dyn Store>> {
    let url = tierdesk_store_sql::testing::postgres_url()?;
    let url = tierdesk_store_sql::testing::fresh_postgres_database(&url)
        .await
        .expect("create a fresh database");
    Some(Arc::new(
        tierdesk_store_sql::PostgresStore::open(&url)
            .await
            .expect("open postgres"),
    ))
}

mod on_sqlite {
    use super::*;
    tierdesk_store::story_tests!(sqlite().await);
}

mod on_postgres {
    use super::*;
    tierdesk_store::story_tests!(postgres().await);
}
