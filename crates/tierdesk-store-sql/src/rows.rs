//! Row mapping, written once for both backends: [`Col`] reads a column by name
//! from either backend's row, and the functions here turn rows into records.

use std::str::FromStr;

use jiff::Timestamp;
use tierdesk_core::{AlertKind, EventKind, PolicyRef, TicketId};
use tierdesk_store::{
    Channel, Circuit, Customer, Department, Id, Idempotency, Notification, PolicyRecord,
    Projection, Service, SessionRecord, Stamps, StoreError, Stored, StoredEvent, Subscription,
    TicketHeader, TokenRecord, User,
};

/// Reads typed columns by name from a backend's row.
pub(crate) trait Col {
    fn text(&self, col: &str) -> Result<String, StoreError>;
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError>;
    fn int(&self, col: &str) -> Result<i64, StoreError>;
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError>;
    fn flag(&self, col: &str) -> Result<bool, StoreError>;
    fn opt_flag(&self, col: &str) -> Result<Option<bool>, StoreError>;
}

macro_rules! impl_col {
    ($row:ty) => {
        impl Col for $row {
            fn text(&self, col: &str) -> Result<String, StoreError> {
                sqlx::Row::try_get(self, col).map_err(|e| crate::error::db(e))
            }
            fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError> {
                sqlx::Row::try_get(self, col).map_err(|e| crate::error::db(e))
            }
            fn int(&self, col: &str) -> Result<i64, StoreError> {
                sqlx::Row::try_get(self, col).map_err(|e| crate::error::db(e))
            }
            fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError> {
                sqlx::Row::try_get(self, col).map_err(|e| crate::error::db(e))
            }
            fn flag(&self, col: &str) -> Result<bool, StoreError> {
                sqlx::Row::try_get(self, col).map_err(|e| crate::error::db(e))
            }
            fn opt_flag(&self, col: &str) -> Result<Option<bool>, StoreError> {
                sqlx::Row::try_get(self, col).map_err(|e| crate::error::db(e))
            }
        }
    };
}

impl_col!(sqlx::sqlite::SqliteRow);
impl_col!(sqlx::postgres::PgRow);

/// Instants are stored as nanoseconds since the epoch.
pub(crate) fn ns(t: Timestamp) -> i64 {
    i64::try_from(t.as_nanosecond()).unwrap_or(if t.as_second() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

pub(crate) fn instant(what: &'static str, id: &str, nanos: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_nanosecond(i128::from(nanos)).map_err(|e| corrupt(what, id, e))
}

fn corrupt(what: &'static str, id: &str, detail: impl ToString) -> StoreError {
    StoreError::Corrupt {
        what,
        id: id.to_owned(),
        detail: detail.to_string(),
    }
}

/// Parses a stored vocabulary word or id; a failure means a corrupt row.
pub(crate) fn parse<T: FromStr>(what: &'static str, id: &str, text: &str) -> Result<T, StoreError>
where
    T::Err: ToString,
{
    text.parse().map_err(|e: T::Err| corrupt(what, id, e))
}

fn opt_parse<T: FromStr>(
    what: &'static str,
    id: &str,
    text: Option<String>,
) -> Result<Option<T>, StoreError>
where
    T::Err: ToString,
{
    text.map(|t| parse(what, id, &t)).transpose()
}

fn stamps(what: &'static str, id: &str, row: &impl Col) -> Result<Stamps, StoreError> {
    Ok(Stamps {
        created_at: instant(what, id, row.int("created_at")?)?,
        updated_at: instant(what, id, row.int("updated_at")?)?,
        version: row.int("version")?,
    })
}

pub(crate) fn customer(row: &impl Col) -> Result<Stored<Customer>, StoreError> {
    let id = row.text("id")?;
    let w = "customer";
    Ok(Stored {
        record: Customer {
            id: parse(w, &id, &id)?,
            name: row.text("name")?,
            level: parse(w, &id, &row.text("level")?)?,
            account_manager: opt_parse(w, &id, row.opt_text("account_manager")?)?,
            contact_email: row.opt_text("contact_email")?,
            contact_phone: row.opt_text("contact_phone")?,
        },
        stamps: stamps(w, &id, row)?,
    })
}

pub(crate) fn service(row: &impl Col) -> Result<Stored<Service>, StoreError> {
    let id = row.text("id")?;
    let w = "service";
    let endpoints = row.text("endpoints")?;
    Ok(Stored {
        record: Service {
            id: parse(w, &id, &id)?,
            customer_id: parse(w, &id, &row.text("customer_id")?)?,
            name: row.text("name")?,
            category: parse(w, &id, &row.text("category")?)?,
            assurance_level: opt_parse(w, &id, row.opt_text("assurance_level")?)?,
            scope: parse(w, &id, &row.text("scope")?)?,
            endpoints: endpoints
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        },
        stamps: stamps(w, &id, row)?,
    })
}

pub(crate) fn circuit(row: &impl Col) -> Result<Stored<Circuit>, StoreError> {
    let id = row.text("id")?;
    let w = "circuit";
    Ok(Stored {
        record: Circuit {
            id: parse(w, &id, &id)?,
            service_id: parse(w, &id, &row.text("service_id")?)?,
            customer_id: parse(w, &id, &row.text("customer_id")?)?,
            a_end: row.text("a_end")?,
            z_end: row.text("z_end")?,
            bandwidth: row.opt_text("bandwidth")?,
        },
        stamps: stamps(w, &id, row)?,
    })
}

pub(crate) fn department(row: &impl Col) -> Result<Stored<Department>, StoreError> {
    let id = row.text("id")?;
    let w = "department";
    Ok(Stored {
        record: Department {
            id: parse(w, &id, &id)?,
            name: row.text("name")?,
            kind: parse(w, &id, &row.text("kind")?)?,
            leader_email: row.opt_text("leader_email")?,
        },
        stamps: stamps(w, &id, row)?,
    })
}

pub(crate) fn user(row: &impl Col) -> Result<Stored<User>, StoreError> {
    let id = row.text("id")?;
    let w = "user";
    Ok(Stored {
        record: User {
            id: parse(w, &id, &id)?,
            name: row.text("name")?,
            role: parse(w, &id, &row.text("role")?)?,
            customer_id: opt_parse(w, &id, row.opt_text("customer_id")?)?,
            department_id: opt_parse(w, &id, row.opt_text("department_id")?)?,
            email: row.opt_text("email")?,
            password_hash: row.opt_text("password_hash")?,
            disabled: row.flag("disabled")?,
        },
        stamps: stamps(w, &id, row)?,
    })
}

/// A row whose columns of one table carry a prefix (`u_id`), as joins name them.
struct Prefixed<'a, R>(&'static str, &'a R);

impl<R: Col> Col for Prefixed<'_, R> {
    fn text(&self, col: &str) -> Result<String, StoreError> {
        self.1.text(&format!("{}{col}", self.0))
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError> {
        self.1.opt_text(&format!("{}{col}", self.0))
    }
    fn int(&self, col: &str) -> Result<i64, StoreError> {
        self.1.int(&format!("{}{col}", self.0))
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError> {
        self.1.opt_int(&format!("{}{col}", self.0))
    }
    fn flag(&self, col: &str) -> Result<bool, StoreError> {
        self.1.flag(&format!("{}{col}", self.0))
    }
    fn opt_flag(&self, col: &str) -> Result<Option<bool>, StoreError> {
        self.1.opt_flag(&format!("{}{col}", self.0))
    }
}

/// A user read through a join, its columns prefixed `u_`.
pub(crate) fn joined_user(row: &impl Col) -> Result<Stored<User>, StoreError> {
    user(&Prefixed("u_", row))
}

/// An event read through a join, its columns prefixed `e_`.
pub(crate) fn prefixed_event(ticket: &str, row: &impl Col) -> Result<StoredEvent, StoreError> {
    event(ticket, &Prefixed("e_", row))
}

pub(crate) fn token(row: &impl Col) -> Result<TokenRecord, StoreError> {
    let id = row.text("id")?;
    Ok(TokenRecord {
        id: parse("token", &id, &id)?,
        user_id: parse("token", &id, &row.text("user_id")?)?,
        hash: row.text("hash")?,
        label: row.text("label")?,
        created_at: instant("token", &id, row.int("created_at")?)?,
        revoked: row.flag("revoked")?,
    })
}

pub(crate) fn session(row: &impl Col) -> Result<SessionRecord, StoreError> {
    let hash = row.text("hash")?;
    Ok(SessionRecord {
        user_id: parse("session", &hash, &row.text("user_id")?)?,
        csrf: row.text("csrf")?,
        expires_at: instant("session", &hash, row.int("expires_at")?)?,
        hash,
    })
}

pub(crate) fn policy(row: &impl Col) -> Result<PolicyRecord, StoreError> {
    let name = row.text("name")?;
    Ok(PolicyRecord {
        created_at: instant("policy", &name, row.int("created_at")?)?,
        id: PolicyRef {
            version: row.text("version")?,
            name,
        },
        text: row.text("text")?,
    })
}

pub(crate) fn subscription(row: &impl Col) -> Result<Subscription, StoreError> {
    let id = row.text("id")?;
    Ok(Subscription {
        id: parse("subscription", &id, &id)?,
        callback: row.text("callback")?,
        query: row.opt_text("query")?,
        created_by: parse("subscription", &id, &row.text("created_by")?)?,
        created_at: instant("subscription", &id, row.int("created_at")?)?,
    })
}

pub(crate) fn idempotency(row: &impl Col) -> Result<Idempotency, StoreError> {
    let key = row.text("key")?;
    Ok(Idempotency {
        user_id: parse("idempotency key", &key, &row.text("user_id")?)?,
        request_hash: row.text("request_hash")?,
        ticket_id: row.opt_text("ticket_id")?,
        status: row.opt_int("status")?.and_then(|s| u16::try_from(s).ok()),
        body: row.opt_text("body")?,
        key,
    })
}

pub(crate) fn header(row: &impl Col) -> Result<TicketHeader, StoreError> {
    let id = row.text("id")?;
    let w = "ticket";
    Ok(TicketHeader {
        id: parse::<TicketId>(w, &id, &id)?,
        kind: parse(w, &id, &row.text("kind")?)?,
        customer_id: parse(w, &id, &row.text("customer_id")?)?,
        service_id: opt_parse(w, &id, row.opt_text("service_id")?)?,
        circuit_id: opt_parse(w, &id, row.opt_text("circuit_id")?)?,
        customer_level: parse(w, &id, &row.text("customer_level")?)?,
        assurance_level: parse(w, &id, &row.text("assurance_level")?)?,
        category: opt_parse(w, &id, row.opt_text("category")?)?,
        scope: opt_parse(w, &id, row.opt_text("scope")?)?,
        change_type: opt_parse(w, &id, row.opt_text("change_type")?)?,
        work_start: row
            .opt_int("work_start")?
            .map(|n| instant(w, &id, n))
            .transpose()?,
        emergency: row.flag("emergency")?,
        terminal: row.flag("terminal")?,
        operator_equipment: row.flag("operator_equipment")?,
        full_outage: row.flag("full_outage")?,
        policy: PolicyRef {
            name: row.text("policy_name")?,
            version: row.text("policy_version")?,
        },
        title: row.text("title")?,
        description: row.text("description")?,
        green_channel: row.flag("green_channel")?,
        created_by: parse(w, &id, &row.text("created_by")?)?,
        created_at: instant(w, &id, row.int("created_at")?)?,
    })
}

pub(crate) fn projection(row: &impl Col) -> Result<Projection, StoreError> {
    let id = row.text("id")?;
    let w = "ticket";
    Ok(Projection {
        status: parse(w, &id, &row.text("status")?)?,
        next_due: row
            .opt_int("next_due")?
            .map(|n| instant(w, &id, n))
            .transpose()?,
        breached: row.flag("breached")?,
        departments: row
            .text("departments")?
            .split(',')
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
            .collect(),
        evaluation_json: row.text("evaluation")?,
        evaluated_at: instant(w, &id, row.int("evaluated_at")?)?,
        stage: parse(w, &id, &row.text("stage")?)?,
        parent: opt_parse(w, &id, row.opt_text("parent_id")?)?,
        timers: Vec::new(),
    })
}

/// The departments column: `,a,b,` so that `LIKE '%,a,%'` finds one exactly.
pub(crate) fn departments_column(departments: &[String]) -> String {
    if departments.is_empty() {
        String::new()
    } else {
        format!(",{},", departments.join(","))
    }
}

/// An event's kind-specific data, one column each.
#[derive(Default)]
pub(crate) struct EventColumns {
    pub to_party: Option<String>,
    pub reason: Option<&'static str>,
    pub satisfied: Option<bool>,
    pub artifact: Option<&'static str>,
    pub channel: Option<&'static str>,
    pub work_start: Option<i64>,
    pub subject: Option<String>,
    pub obligation: Option<&'static str>,
    pub ref_at: Option<i64>,
}

pub(crate) fn event_columns(kind: &EventKind) -> EventColumns {
    let mut c = EventColumns::default();
    match kind {
        EventKind::Dispatched { to } => c.to_party = to.as_ref().map(ToString::to_string),
        EventKind::Paused { reason } => c.reason = Some(reason.as_str()),
        EventKind::Callback { satisfied } => c.satisfied = Some(*satisfied),
        EventKind::Artifact { name } => c.artifact = Some(name.as_str()),
        EventKind::NoticeSent { channel } => c.channel = channel.map(|ch| ch.as_str()),
        EventKind::Rescheduled { work_start } => c.work_start = Some(ns(*work_start)),
        EventKind::DelayAgreed { until } => c.ref_at = Some(ns(*until)),
        EventKind::RectificationRequired { item } | EventKind::Rectified { item } => {
            c.subject = Some(item.to_string())
        }
        EventKind::Linked { parent } => c.subject = Some(parent.to_string()),
        EventKind::Alert {
            obligation,
            party,
            due,
            ..
        } => {
            c.obligation = obligation.map(|o| o.as_str());
            c.to_party = party.as_ref().map(ToString::to_string);
            c.ref_at = Some(ns(*due));
        }
        _ => {}
    }
    c
}

pub(crate) fn event(ticket: &str, row: &impl Col) -> Result<StoredEvent, StoreError> {
    let w = "ticket event";
    let ty = row.text("type")?;
    let missing = |col: &str| corrupt(w, ticket, format!("a {ty} event without {col}"));
    let kind = match ty.as_str() {
        "reported" => EventKind::Reported,
        "alarm" => EventKind::Alarm,
        "opened" => EventKind::Opened,
        "dispatched" => EventKind::Dispatched {
            to: opt_parse(w, ticket, row.opt_text("to_party")?)?,
        },
        "accepted" => EventKind::Accepted,
        "paused" => EventKind::Paused {
            reason: parse(
                w,
                ticket,
                &row.opt_text("reason")?.ok_or_else(|| missing("reason"))?,
            )?,
        },
        "resumed" => EventKind::Resumed,
        "feedback" => EventKind::Feedback,
        "restored" => EventKind::Restored,
        "resolved" => EventKind::Resolved,
        "completed" => EventKind::Completed,
        "report_requested" => EventKind::ReportRequested,
        "report_sent" => EventKind::ReportSent,
        "callback" => EventKind::Callback {
            satisfied: row
                .opt_flag("satisfied")?
                .ok_or_else(|| missing("satisfied"))?,
        },
        "closed" => EventKind::Closed,
        "construction_completed" => EventKind::ConstructionCompleted,
        "initial_acceptance" => EventKind::InitialAcceptance,
        "final_acceptance" => EventKind::FinalAcceptance,
        "artifact" => EventKind::Artifact {
            name: parse(
                w,
                ticket,
                &row.opt_text("artifact")?
                    .ok_or_else(|| missing("artifact"))?,
            )?,
        },
        "delivered" => EventKind::Delivered,
        "survey_completed" => EventKind::SurveyCompleted,
        "notice_sent" => EventKind::NoticeSent {
            channel: opt_parse(w, ticket, row.opt_text("channel")?)?,
        },
        "customer_confirmed" => EventKind::CustomerConfirmed,
        "rescheduled" => EventKind::Rescheduled {
            work_start: instant(
                w,
                ticket,
                row.opt_int("work_start")?
                    .ok_or_else(|| missing("work_start"))?,
            )?,
        },
        "work_started" => EventKind::WorkStarted,
        "work_finished" => EventKind::WorkFinished,
        "post_work_confirmed" => EventKind::PostWorkConfirmed,
        "cancelled" => EventKind::Cancelled,
        "rejected" => EventKind::Rejected,
        "prescreened" => EventKind::Prescreened,
        "backfilled" => EventKind::Backfilled,
        "objected" => EventKind::Objected,
        "delay_agreed" => EventKind::DelayAgreed {
            until: instant(
                w,
                ticket,
                row.opt_int("ref_at")?.ok_or_else(|| missing("ref_at"))?,
            )?,
        },
        "rectification_required" => EventKind::RectificationRequired {
            item: parse(
                w,
                ticket,
                &row.opt_text("subject")?.ok_or_else(|| missing("subject"))?,
            )?,
        },
        "rectified" => EventKind::Rectified {
            item: parse(
                w,
                ticket,
                &row.opt_text("subject")?.ok_or_else(|| missing("subject"))?,
            )?,
        },
        "linked" => EventKind::Linked {
            parent: parse(
                w,
                ticket,
                &row.opt_text("subject")?.ok_or_else(|| missing("subject"))?,
            )?,
        },
        "sla_warning" | "sla_breached" | "sla_reminder" | "escalated" => EventKind::Alert {
            alert: match ty.as_str() {
                "sla_warning" => AlertKind::Warning,
                "sla_breached" => AlertKind::Breach,
                "sla_reminder" => AlertKind::Reminder,
                _ => AlertKind::Escalation,
            },
            obligation: opt_parse(w, ticket, row.opt_text("obligation")?)?,
            party: opt_parse(w, ticket, row.opt_text("to_party")?)?,
            due: instant(
                w,
                ticket,
                row.opt_int("ref_at")?.ok_or_else(|| missing("ref_at"))?,
            )?,
        },
        other => return Err(corrupt(w, ticket, format!("unknown event type {other:?}"))),
    };
    Ok(StoredEvent {
        seq: row.int("seq")?,
        at: instant(w, ticket, row.int("at")?)?,
        kind,
        by: opt_parse(w, ticket, row.opt_text("by_party")?)?,
        actor: parse::<Id>(w, ticket, &row.text("actor")?)?,
        recorded_at: instant(w, ticket, row.int("recorded_at")?)?,
        note: row.opt_text("note")?,
    })
}

/// Lists kept in one text column, one item a line.
pub(crate) fn lines_column<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn lines<T: FromStr>(what: &'static str, id: &str, text: &str) -> Result<Vec<T>, StoreError>
where
    T::Err: ToString,
{
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| parse(what, id, l))
        .collect()
}

pub(crate) fn channel(row: &impl Col) -> Result<Channel, StoreError> {
    let id = row.text("id")?;
    let w = "channel";
    Ok(Channel {
        id: parse(w, &id, &id)?,
        name: row.text("name")?,
        kind: parse(w, &id, &row.text("kind")?)?,
        url: row.opt_text("url")?,
        secret: row.opt_text("secret")?,
        email_to: row
            .text("email_to")?
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        role: opt_parse(w, &id, row.opt_text("role")?)?,
        customer_id: opt_parse(w, &id, row.opt_text("customer_id")?)?,
        topics: lines(w, &id, &row.text("topics")?)?,
        language: parse(w, &id, &row.text("language")?)?,
        created_at: instant(w, &id, row.int("created_at")?)?,
    })
}

pub(crate) fn notification(row: &impl Col) -> Result<Notification, StoreError> {
    let id = row.text("id")?;
    let w = "notification";
    Ok(Notification {
        id: parse(w, &id, &id)?,
        ticket_id: parse(w, &id, &row.text("ticket_id")?)?,
        ticket_version: row.int("ticket_version")?,
        event_seq: row.opt_int("event_seq")?,
        topic: parse(w, &id, &row.text("topic")?)?,
        kind: parse(w, &id, &row.text("kind")?)?,
        channel_id: opt_parse(w, &id, row.opt_text("channel_id")?)?,
        target: row.text("target")?,
        language: parse(w, &id, &row.text("language")?)?,
        state: parse(w, &id, &row.text("state")?)?,
        attempts: row.int("attempts")?,
        created_at: instant(w, &id, row.int("created_at")?)?,
        next_attempt_at: instant(w, &id, row.int("next_attempt_at")?)?,
        sent_at: row
            .opt_int("sent_at")?
            .map(|n| instant(w, &id, n))
            .transpose()?,
        last_error: row.opt_text("last_error")?,
    })
}
