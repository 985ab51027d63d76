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
    Subscription, TicketCursor, TicketFilter, TicketHeader, TicketRecord, TicketSummary,
    TokenRecord, User, Viewer,
};

use crate::imp::{event_columns, impl_store, user_columns};
use crate::rows::{self, ns};
use crate::{OpenError, db, error, not_found};

/// The PostgreSQL store.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    read: PgPool,
    write: PgPool,
    /// Tickets changed here, for the announcer to tell the other instances.
    changed: tokio::sync::mpsc::UnboundedSender<String>,
    /// Who this handle is in announcements: its own are not news to it.
    instance: std::sync::Arc<str>,
}

impl PostgresStore {
    /// Connects to `url` and migrates the database.
    ///
    /// # Errors
    /// [`OpenError`] when the server cannot be reached or the migration fails.
    pub async fn open(url: &str) -> Result<PostgresStore, OpenError> {
        let location = redact(url);
        let pool = PgPoolOptions::new()
            .max_connections(32)
            .acquire_timeout(Duration::from_secs(10))
            // sqlx pings every connection it hands out by default: a round trip
            // more per query. A broken connection fails its query instead.
            .test_before_acquire(false)
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
        let instance: std::sync::Arc<str> = format!(
            "{}-{}",
            std::process::id(),
            Timestamp::now().as_nanosecond()
        )
        .into();
        let (changed, queue) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(announcer(pool.clone(), instance.clone(), queue));
        Ok(PostgresStore {
            read: pool.clone(),
            write: pool,
            changed,
            instance,
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

/// The channel on which ticket writes are announced: the payload is the
/// announcing instance, then the ids of the tickets changed, one a line.
const CHANNEL: &str = "tierdesk_tickets";

/// After a commit: queue the ticket for the announcer.
fn announce(store: &PostgresStore, ticket: &str) {
    let _ = store.changed.send(ticket.to_owned());
}

/// Tells the other instances which tickets changed, many at once. A `NOTIFY`
/// with every write made commits queue for PostgreSQL's notification lock
/// (appends: 1,900/s with it, 3,200/s without); sent after the commit, one for
/// all the tickets changed in the last 10 ms, it costs at most a hundred
/// statements a second. Other instances may answer reads from their cache with
/// the previous state of a ticket for those milliseconds; writes are never
/// affected (they check the version in the database).
async fn announcer(
    pool: PgPool,
    instance: std::sync::Arc<str>,
    mut changed: tokio::sync::mpsc::UnboundedReceiver<String>,
) {
    // NOTIFY payloads must stay under 8000 bytes.
    const MOST: usize = 7_000;
    while let Some(first) = changed.recv().await {
        // Let a burst gather: at most a hundred announcements a second.
        tokio::time::sleep(Duration::from_millis(10)).await;
        let mut payload = format!("{instance}\n{first}");
        while payload.len() < MOST {
            match changed.try_recv() {
                Ok(id) if !payload.split('\n').any(|seen| seen == id) => {
                    payload.push('\n');
                    payload.push_str(&id);
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(&payload)
            .execute(&pool)
            .await
        {
            // Other instances then serve their cached copy until it is evicted otherwise.
            tracing::warn!(error = %e, "could not announce ticket changes to other instances");
        }
    }
}

/// Relays ticket notifications to `on_change` until the connection is lost.
async fn relay(pool: &PgPool, instance: &str, on_change: &OnChange) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    // Whatever changed while no one listened is unknown.
    on_change(Change::Unknown);
    // `try_recv` answers `None` when the connection dropped: notifications may
    // have been lost then, which the caller reports as an unknown change.
    while let Some(notification) = listener.try_recv().await? {
        let mut lines = notification.payload().lines();
        // Our own changes are already in our cache.
        if lines.next() == Some(instance) {
            continue;
        }
        for line in lines {
            match line.parse::<TicketId>() {
                Ok(id) => on_change(Change::Ticket(id)),
                Err(_) => on_change(Change::Unknown),
            }
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
    announce,
    commit_direct,
    fn watch(&self, on_change: OnChange) {
        let pool = self.write.clone();
        let instance = self.instance.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = relay(&pool, &instance, &on_change).await {
                    // Only a cost (cache misses) until it reconnects, not an error to callers.
                    tracing::warn!(error = %e, "lost the PostgreSQL change notifications; reconnecting");
                }
                on_change(Change::Unknown);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
);

/// An append on PostgreSQL in one statement: the version-checked projection
/// update, the events, the timers, the idempotency key, the notifications and
/// the change notification, as data-modifying CTEs that all depend on the
/// update having matched. One round trip and no explicit transaction (a single
/// statement is atomic), where the general path takes seven.
async fn commit_direct(store: &PostgresStore, work: Work) -> Result<bool> {
    let pool = &store.write;
    let work = &work;
    let Work::Append {
        id,
        read_version,
        events,
        projection,
        idempotency,
        outbox,
        now,
    } = work
    else {
        return commit_alone(pool, work).await;
    };
    let mut sql = String::from(
        "WITH u AS (UPDATE tickets SET version = $2, status = $3, is_open = $4, next_due = $5, due_sort = $6,
            breached = $7, departments = $8, evaluation = $9, evaluated_at = $10, stage = $12, parent_id = $13
         WHERE id = $1 AND version = $11 RETURNING id)",
    );
    let mut n = 13;
    let mut p = |cast: &str| {
        n += 1;
        format!("${n}::{cast}")
    };
    if !events.is_empty() {
        sql.push_str(
            ", ev AS (INSERT INTO ticket_events (ticket_id, seq, at, type, to_party, reason, satisfied, artifact, channel,
                work_start, by_party, actor, recorded_at, note, subject, obligation, ref_at)
             SELECT u.id, v.* FROM u, (VALUES ",
        );
        for (i, _) in events.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            let cols = [
                "bigint", "bigint", "text", "text", "text", "boolean", "text", "text", "bigint",
                "text", "text", "bigint", "text", "text", "text", "bigint",
            ]
            .map(&mut p);
            sql.push('(');
            sql.push_str(&cols.join(","));
            sql.push(')');
        }
        sql.push_str(
            ") AS v(seq, at, type, to_party, reason, satisfied, artifact, channel, work_start, by_party, actor,
                recorded_at, note, subject, obligation, ref_at))",
        );
    }
    let keys = p("text[]");
    sql.push_str(&format!(
        ", gone AS (DELETE FROM timers WHERE ticket_id IN (SELECT id FROM u) AND NOT (key = ANY({keys})))"
    ));
    if !projection.timers.is_empty() {
        sql.push_str(", tm AS (INSERT INTO timers (ticket_id, key, fire_at) SELECT u.id, v.key, v.fire_at FROM u, (VALUES ");
        for (i, _) in projection.timers.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            let (k, f) = (p("text"), p("bigint"));
            sql.push_str(&format!("({k},{f})"));
        }
        sql.push_str(") AS v(key, fire_at) ON CONFLICT (ticket_id, key) DO UPDATE SET fire_at = excluded.fire_at)");
    }
    if idempotency.is_some() {
        let cols = ["text", "text", "text", "bigint"].map(&mut p);
        sql.push_str(&format!(
            ", idem AS (INSERT INTO idempotency (user_id, key, request_hash, ticket_id, status, body, created_at)
                SELECT {}, {}, {}, u.id, NULL, NULL, {} FROM u)",
            cols[0], cols[1], cols[2], cols[3]
        ));
    }
    if !outbox.is_empty() {
        sql.push_str(
            ", ob AS (INSERT INTO notifications (id, ticket_id, ticket_version, event_seq, topic, kind, channel_id, target,
                language, state, attempts, created_at, next_attempt_at)
             SELECT v.id, u.id, v.ticket_version, v.event_seq, v.topic, v.kind, v.channel_id, v.target, v.language,
                'pending', 0, v.created_at, v.created_at FROM u, (VALUES ",
        );
        for (i, _) in outbox.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            let cols = [
                "text", "bigint", "bigint", "text", "text", "text", "text", "text", "bigint",
            ]
            .map(&mut p);
            sql.push('(');
            sql.push_str(&cols.join(","));
            sql.push(')');
        }
        sql.push_str(
            ") AS v(id, ticket_version, event_seq, topic, kind, channel_id, target, language, created_at))",
        );
    }
    sql.push_str(" SELECT id FROM u");

    let version = read_version + events.len() as i64;
    let mut q = sqlx::query::<sqlx::Postgres>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(version)
        .bind(projection.status.as_str())
        .bind(!projection.status.is_final())
        .bind(projection.next_due.map(ns))
        .bind(projection.next_due.map_or(i64::MAX, ns))
        .bind(projection.breached)
        .bind(rows::departments_column(&projection.departments))
        .bind(&projection.evaluation_json)
        .bind(ns(projection.evaluated_at))
        .bind(*read_version)
        .bind(projection.stage.as_str())
        .bind(projection.parent.as_ref().map(|p| p.as_str()));
    for e in events {
        let c = rows::event_columns(&e.kind);
        q = q
            .bind(e.seq)
            .bind(ns(e.at))
            .bind(e.kind.name())
            .bind(c.to_party)
            .bind(c.reason)
            .bind(c.satisfied)
            .bind(c.artifact)
            .bind(c.channel)
            .bind(c.work_start)
            .bind(e.by.as_ref().map(|p| p.as_str().to_owned()))
            .bind(e.actor.as_str().to_owned())
            .bind(ns(e.recorded_at))
            .bind(e.note.clone())
            .bind(c.subject)
            .bind(c.obligation)
            .bind(c.ref_at);
    }
    let keys: Vec<String> = projection.timers.iter().map(|t| t.key()).collect();
    q = q.bind(keys);
    for t in &projection.timers {
        q = q.bind(t.key()).bind(ns(t.fire_at));
    }
    if let Some(key) = idempotency {
        q = q
            .bind(key.user_id.as_str().to_owned())
            .bind(key.key.clone())
            .bind(key.request_hash.clone())
            .bind(ns(*now));
    }
    for notice in outbox {
        let seq = notice.event_index.map(|i| read_version + 1 + i as i64);
        q = q
            .bind(notice.id.as_str().to_owned())
            .bind(version)
            .bind(seq)
            .bind(notice.topic.as_str())
            .bind(notice.kind.as_str())
            .bind(notice.channel_id.as_ref().map(|c| c.as_str().to_owned()))
            .bind(notice.target.clone())
            .bind(notice.language.as_str())
            .bind(ns(*now));
    }
    match q.fetch_optional(pool).await {
        Ok(row) => Ok(row.is_some()),
        Err(sqlx::Error::Database(d))
            if d.kind() == sqlx::error::ErrorKind::UniqueViolation
                && d.constraint().is_some_and(|c| c.starts_with("idempotency")) =>
        {
            Err(StoreError::IdempotencyKeyTaken(
                idempotency
                    .as_ref()
                    .map(|k| k.key.clone())
                    .unwrap_or_default(),
            ))
        }
        Err(e) => Err(error::write("ticket event", id, e)),
    }
}
