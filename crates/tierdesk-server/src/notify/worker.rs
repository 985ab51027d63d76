//! Delivers the outbox: claims due notifications (a lease, so instances sharing
//! the database take different ones), renders each from the ticket as it stood
//! when the news happened, sends it, and records the outcome: sent, retried
//! with doubling backoff, or dead-lettered after the configured attempts.
//!
//! Delivery is at least once: a crash between sending and recording sends again.
//! Receivers de-duplicate on the notification id (`X-Tierdesk-Delivery`, the
//! TMF `eventId`).

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use tierdesk_core::Role;
use tierdesk_store::{ChannelKind, Delivery, Notification, StoreError, TicketRecord, User, Viewer};

use super::deliver::{Failure, SIGNATURE_HEADER, Sender, sign};
use super::message::{About, Message, render};
use crate::problem::Problem;
use crate::state::AppState;

/// How long a claimed notification is held before another instance may take it.
const LEASE: SignedDuration = SignedDuration::from_mins(2);
/// The longest wait between two attempts.
const MAX_BACKOFF: SignedDuration = SignedDuration::from_hours(1);

/// Delivers every notification due now; returns how many were attempted.
///
/// # Errors
/// When the queue cannot be read.
pub async fn tick(state: &AppState, owner: &str) -> Result<usize, StoreError> {
    let mut done = 0;
    loop {
        let now = state.clock.precise_now();
        let batch = state
            .store
            .claim_notifications(now, owner, LEASE, 16)
            .await?;
        if batch.is_empty() {
            return Ok(done);
        }
        let mut tasks = tokio::task::JoinSet::new();
        for n in batch {
            let state = state.clone();
            let attempt = async move {
                let outcome = match attempt(&state, &state.sender, &n).await {
                    Ok(()) => Delivery::Sent(state.now()),
                    Err(failure) => outcome(&state, &n, failure),
                };
                (n, outcome)
            };
            tasks.spawn(attempt);
        }
        while let Some(joined) = tasks.join_next().await {
            let Ok((n, outcome)) = joined else { continue };
            match &outcome {
                Delivery::Sent(_) => {
                    metrics::counter!("tierdesk_notifications_sent_total", "kind" => n.kind.as_str())
                        .increment(1);
                }
                Delivery::Retry { error, .. } => {
                    tracing::warn!(notification = %n.id, ticket = %n.ticket_id, attempt = n.attempts + 1, %error, "notification failed; will retry");
                }
                Delivery::Dead { error } => {
                    metrics::counter!("tierdesk_notifications_dead_total", "kind" => n.kind.as_str())
                        .increment(1);
                    tracing::error!(notification = %n.id, ticket = %n.ticket_id, %error, "notification dead-lettered");
                }
            }
            state.store.finish_notification(&n.id, &outcome).await?;
            done += 1;
        }
    }
}

/// What becomes of a failed attempt.
fn outcome(state: &AppState, n: &Notification, failure: Failure) -> Delivery {
    let attempts = n.attempts + 1;
    match failure {
        Failure::Retry(error) if attempts < i64::from(state.settings.notify_attempts) => {
            let backoff = state
                .settings
                .notify_backoff
                .checked_mul(1 << (attempts - 1).min(20))
                .unwrap_or(MAX_BACKOFF)
                .min(MAX_BACKOFF);
            let now = state.now();
            Delivery::Retry {
                at: now.checked_add(backoff).unwrap_or(now),
                error,
            }
        }
        Failure::Retry(error) => Delivery::Dead {
            error: format!("gave up after {attempts} attempts: {error}"),
        },
        Failure::Permanent(error) => Delivery::Dead { error },
    }
}

/// The ticket as it stood right after the write that caused `n`.
async fn ticket_then(state: &AppState, n: &Notification) -> Result<TicketRecord, Failure> {
    let mut record = state
        .store
        .ticket(&n.ticket_id, &Viewer::Staff)
        .await
        .map_err(|e| Failure::Retry(format!("cannot read ticket {}: {e}", n.ticket_id)))?;
    let version = usize::try_from(n.ticket_version).unwrap_or(usize::MAX);
    record.events.truncate(version);
    record.version = record.events.len() as i64;
    record.projection = crate::projection::project(
        &state.policies,
        &record.header,
        &record.events,
        n.created_at,
    )
    .map_err(Failure::Permanent)?;
    Ok(record)
}

fn problem(p: Problem) -> Failure {
    Failure::Permanent(p.detail)
}

async fn attempt(state: &AppState, sender: &Sender, n: &Notification) -> Result<(), Failure> {
    let record = ticket_then(state, n).await?;
    match n.kind {
        ChannelKind::Hub => {
            let event_type = super::hub_event_type(n.topic).ok_or_else(|| {
                Failure::Permanent(format!("the hub does not carry {} news", n.topic))
            })?;
            let resource = crate::tmf::resource(state, &record, n.created_at).map_err(problem)?;
            let body = json!({
                "eventId": n.id.as_str(),
                "eventTime": show(state, n.created_at),
                "eventType": event_type,
                "event": {"troubleTicket": resource},
            });
            sender
                .post(
                    &n.target,
                    body.to_string(),
                    &[("x-tierdesk-delivery", n.id.to_string())],
                )
                .await
        }
        ChannelKind::Webhook => {
            let channel = match &n.channel_id {
                Some(id) => state.store.channel(id).await.map_err(|e| match e {
                    StoreError::NotFound { .. } => {
                        Failure::Permanent(format!("channel {id} was removed"))
                    }
                    other => Failure::Retry(other.to_string()),
                })?,
                None => return Err(Failure::Permanent("a webhook without a channel".into())),
            };
            let message = message(state, n, &record, channel.language)?;
            let body = webhook_body(state, n, &record, &message)?.to_string();
            let now = state.now().as_second();
            let mut headers = vec![
                ("x-tierdesk-delivery", n.id.to_string()),
                ("x-tierdesk-topic", n.topic.to_string()),
            ];
            if let Some(secret) = &channel.secret {
                headers.push((SIGNATURE_HEADER, sign(secret, now, body.as_bytes())));
            }
            sender.post(&n.target, body, &headers).await
        }
        ChannelKind::Email => {
            let to = recipients(state, n, &record).await?;
            if to.is_empty() {
                return Err(Failure::Permanent(format!(
                    "no e-mail address for {:?}",
                    n.target
                )));
            }
            let message = message(state, n, &record, n.language)?;
            sender.email(&to, &message).await
        }
    }
}

fn show(state: &AppState, t: Timestamp) -> String {
    tierdesk_wire::format_instant(t, state.policies.time_zone()).to_string()
}

fn message(
    state: &AppState,
    n: &Notification,
    record: &TicketRecord,
    language: tierdesk_store::Language,
) -> Result<Message, Failure> {
    let (ticket, evaluation) = crate::projection::evaluate(
        &state.policies,
        &record.header,
        &record.events,
        n.created_at,
    )
    .map_err(Failure::Permanent)?;
    let event = n
        .event_seq
        .and_then(|seq| record.events.iter().find(|e| e.seq == seq));
    let link = state
        .settings
        .public_url
        .as_ref()
        .map(|base| format!("{base}/console/tickets/{}", record.header.id));
    Ok(render(
        language,
        &About {
            topic: n.topic,
            header: &record.header,
            status: ticket.status(n.created_at),
            event,
            evaluation: &evaluation,
            tz: state.policies.time_zone(),
            link,
        },
    ))
}

fn webhook_body(
    state: &AppState,
    n: &Notification,
    record: &TicketRecord,
    message: &Message,
) -> Result<Value, Failure> {
    let show_zone = crate::dto::Show(state.policies.time_zone().clone());
    let ticket = crate::tickets::ticket_out(state, record, n.created_at).map_err(problem)?;
    let event = n
        .event_seq
        .and_then(|seq| record.events.iter().find(|e| e.seq == seq))
        .map(|e| crate::dto::EventOut::from(e, &show_zone));
    Ok(json!({
        "id": n.id.as_str(),
        "topic": n.topic.as_str(),
        "created_at": show(state, n.created_at),
        "ticket": ticket,
        "event": event,
        "message": {"subject": message.subject, "body": message.body},
    }))
}

/// The addresses of an e-mail notification's target: literal addresses,
/// `role:ROLE` (the users of that role concerned by the ticket), `leaders` (the
/// leadership of the departments the ticket went to).
async fn recipients(
    state: &AppState,
    n: &Notification,
    record: &TicketRecord,
) -> Result<Vec<String>, Failure> {
    let retry = |e: StoreError| Failure::Retry(e.to_string());
    let mut out: Vec<String> = Vec::new();
    let mut users: Option<Vec<User>> = None;
    for entry in n.target.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        if entry == "leaders" {
            let departments = state.store.departments().await.map_err(retry)?;
            let dispatched = &record.projection.departments;
            for d in departments {
                let concerned = if dispatched.is_empty() {
                    d.record.kind == tierdesk_store::DepartmentKind::Operations
                } else {
                    dispatched.iter().any(|x| x == d.record.id.as_str())
                };
                if concerned && let Some(email) = d.record.leader_email {
                    out.push(email);
                }
            }
        } else if let Some(role) = entry.strip_prefix("role:") {
            let role: Role = role
                .parse()
                .map_err(|e| Failure::Permanent(format!("{entry}: {e}")))?;
            if users.is_none() {
                users = Some(
                    state
                        .store
                        .users()
                        .await
                        .map_err(retry)?
                        .into_iter()
                        .map(|u| u.record)
                        .collect(),
                );
            }
            let account_manager = if role == Role::AccountManager {
                state
                    .store
                    .customer(&record.header.customer_id, &Viewer::Staff)
                    .await
                    .map_err(retry)?
                    .record
                    .account_manager
            } else {
                None
            };
            for u in users.iter().flatten() {
                if u.role != role || u.disabled {
                    continue;
                }
                let concerned = match role {
                    Role::Customer => u.customer_id.as_ref() == Some(&record.header.customer_id),
                    Role::AccountManager => account_manager.as_ref() == Some(&u.id),
                    _ => {
                        let dispatched = &record.projection.departments;
                        u.department_id.as_ref().is_none_or(|d| {
                            dispatched.is_empty() || dispatched.iter().any(|x| x == d.as_str())
                        })
                    }
                };
                if concerned && let Some(email) = &u.email {
                    out.push(email.clone());
                }
            }
        } else {
            out.push(entry.to_owned());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}
