//! `/api/v1/channels` (where notifications go) and `/api/v1/notifications` (the
//! outbox: what was sent, what is waiting, the dead-letter list, replay).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tierdesk_core::{Role, TicketId};
use tierdesk_store::{
    Channel, ChannelKind, DeliveryState, Id, Language, Notification, NotificationFilter, Topic,
};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Auth;
use crate::dto::{Show, Word};
use crate::extract::ApiJson;
use crate::problem::Problem;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_channels, create_channel))
        .routes(routes!(get_channel, delete_channel))
        .routes(routes!(list_notifications))
        .routes(routes!(get_notification))
        .routes(routes!(replay_notification))
}

/// A notification channel, as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelIn {
    /// Identifier; generated when omitted.
    #[schema(value_type = Option<String>, example = "noc-webhook")]
    pub id: Option<Word<Id>>,
    /// Name, for people.
    pub name: String,
    /// webhook or email.
    #[schema(value_type = String, example = "webhook")]
    pub kind: Word<ChannelKind>,
    /// Webhook: where to POST (http:// or https://).
    pub url: Option<String>,
    /// Webhook: the HMAC-SHA256 key for the `X-Tierdesk-Signature` header.
    pub secret: Option<String>,
    /// E-mail: addresses.
    #[serde(default)]
    pub email_to: Vec<String>,
    /// E-mail: also the users of this role concerned by each ticket (the customer's
    /// users, its account manager, or staff of the departments it went to).
    #[schema(value_type = Option<String>, example = "account_manager")]
    pub role: Option<Word<Role>>,
    /// Only tickets of this customer.
    #[schema(value_type = Option<String>)]
    pub customer_id: Option<Word<Id>>,
    /// Only these topics: opened, status_changed, resolved, warning, breach, reminder,
    /// escalation. All when empty.
    #[schema(value_type = Vec<String>, example = json!(["warning", "breach", "escalation"]))]
    #[serde(default)]
    pub topics: Vec<Word<Topic>>,
    /// zh or en.
    #[schema(value_type = String, example = "zh")]
    pub language: Option<Word<Language>>,
}

/// A notification channel, as returned (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelOut {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// webhook or email.
    pub kind: String,
    /// Webhook URL.
    pub url: Option<String>,
    /// Whether webhooks are signed.
    pub signed: bool,
    /// E-mail addresses.
    pub email_to: Vec<String>,
    /// Role whose users are e-mailed.
    pub role: Option<String>,
    /// Only this customer's tickets.
    pub customer_id: Option<String>,
    /// Topics (all when empty).
    pub topics: Vec<String>,
    /// Language.
    pub language: String,
    /// When created.
    pub created_at: String,
}

fn channel_out(c: &Channel, show: &Show) -> ChannelOut {
    ChannelOut {
        id: c.id.to_string(),
        name: c.name.clone(),
        kind: c.kind.to_string(),
        url: c.url.clone(),
        signed: c.secret.is_some(),
        email_to: c.email_to.clone(),
        role: c.role.map(|r| r.to_string()),
        customer_id: c.customer_id.as_ref().map(ToString::to_string),
        topics: c.topics.iter().map(ToString::to_string).collect(),
        language: c.language.to_string(),
        created_at: show.at(c.created_at),
    }
}

fn show(state: &AppState) -> Show {
    Show(state.policies.time_zone().clone())
}

/// List notification channels.
#[utoipa::path(get, path = "/api/v1/channels", tag = "notifications",
    responses((status = 200, body = Vec<ChannelOut>), (status = 403, body = Problem)))]
async fn list_channels(State(state): State<AppState>, auth: Auth) -> Result<Response, Problem> {
    auth.require(&[], "manage notification channels")?;
    let show = show(&state);
    let list: Vec<ChannelOut> = state
        .store
        .channels()
        .await?
        .iter()
        .map(|c| channel_out(c, &show))
        .collect();
    Ok(axum::Json(list).into_response())
}

/// Add a notification channel: a webhook (JSON POSTs signed with HMAC-SHA256) or
/// e-mail (fixed addresses and/or the users of a role), per customer and topic.
#[utoipa::path(post, path = "/api/v1/channels", tag = "notifications",
    request_body = ChannelIn,
    responses((status = 201, body = ChannelOut), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_channel(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(input): ApiJson<ChannelIn>,
) -> Result<Response, Problem> {
    auth.require(&[], "manage notification channels")?;
    let kind = input.kind.0;
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        return Err(Problem::invalid("/name", "must not be empty"));
    }
    let url = input.url.map(|u| u.trim().to_owned());
    match kind {
        ChannelKind::Webhook => match &url {
            Some(u) if u.starts_with("http://") || u.starts_with("https://") => {}
            Some(_) => {
                return Err(Problem::invalid(
                    "/url",
                    "must be an http:// or https:// URL",
                ));
            }
            None => return Err(Problem::invalid("/url", "a webhook needs its URL")),
        },
        ChannelKind::Email => {
            if url.is_some() {
                return Err(Problem::invalid("/url", "an e-mail channel has no URL"));
            }
            if input.secret.is_some() {
                return Err(Problem::invalid("/secret", "only webhooks are signed"));
            }
            if input.email_to.is_empty() && input.role.is_none() {
                return Err(Problem::invalid(
                    "/email_to",
                    "give addresses, a role whose users are e-mailed, or both",
                ));
            }
        }
        ChannelKind::Hub => {
            return Err(Problem::invalid(
                "/kind",
                "hub listeners register at /tmf-api/troubleTicket/v5/hub; use webhook or email",
            ));
        }
    }
    if kind == ChannelKind::Webhook && (!input.email_to.is_empty() || input.role.is_some()) {
        return Err(Problem::invalid(
            "/email_to",
            "a webhook has no e-mail recipients",
        ));
    }
    for (i, address) in input.email_to.iter().enumerate() {
        if address.parse::<lettre::Address>().is_err() {
            return Err(Problem::invalid(
                format!("/email_to/{i}"),
                format!("{address:?} is not an e-mail address"),
            ));
        }
    }
    if let Some(secret) = &input.secret
        && secret.len() < 16
    {
        return Err(Problem::invalid(
            "/secret",
            "use at least 16 characters for the signing secret",
        ));
    }
    let customer_id = input.customer_id.map(|w| w.0);
    if let Some(c) = &customer_id {
        state
            .store
            .customer(c, &auth.viewer)
            .await
            .map_err(|_| Problem::invalid("/customer_id", format!("no customer {c}")))?;
    }
    let now = state.now();
    let id = match input.id {
        Some(id) => id.0,
        None => crate::notify::new_id(now)?
            .as_str()
            .replacen("n-", "ch-", 1)
            .parse()
            .map_err(Problem::internal)?,
    };
    let channel = Channel {
        id,
        name,
        kind,
        url,
        secret: input.secret,
        email_to: input.email_to,
        role: input.role.map(|w| w.0),
        customer_id,
        topics: input.topics.into_iter().map(|w| w.0).collect(),
        language: input.language.map_or(state.settings.language, |w| w.0),
        created_at: now,
    };
    state.store.create_channel(&channel).await?;
    state.directory.clear();
    Ok((
        StatusCode::CREATED,
        axum::Json(channel_out(&channel, &show(&state))),
    )
        .into_response())
}

/// One notification channel.
#[utoipa::path(get, path = "/api/v1/channels/{id}", tag = "notifications",
    params(("id" = String, Path)),
    responses((status = 200, body = ChannelOut), (status = 404, body = Problem)))]
async fn get_channel(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    auth.require(&[], "manage notification channels")?;
    let id: Id = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    let c = state.store.channel(&id).await?;
    Ok(axum::Json(channel_out(&c, &show(&state))).into_response())
}

/// Remove a notification channel; its waiting notifications are dead-lettered when tried.
#[utoipa::path(delete, path = "/api/v1/channels/{id}", tag = "notifications",
    params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn delete_channel(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    auth.require(&[], "manage notification channels")?;
    let id: Id = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    state.store.delete_channel(&id).await?;
    state.directory.clear();
    Ok(StatusCode::NO_CONTENT)
}

/// A notification in the outbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationOut {
    /// Identifier (also the `X-Tierdesk-Delivery` header and the TMF `eventId`).
    pub id: String,
    /// The ticket.
    pub ticket_id: String,
    /// The ticket's version the message shows.
    pub ticket_version: i64,
    /// The event that caused it.
    pub event_seq: Option<i64>,
    /// opened, status_changed, resolved, warning, breach, reminder or escalation.
    pub topic: String,
    /// webhook, email or hub.
    pub kind: String,
    /// The channel or hub subscription.
    pub channel_id: Option<String>,
    /// Where it goes.
    pub target: String,
    /// Language.
    pub language: String,
    /// pending, sent or dead.
    pub state: String,
    /// Attempts so far.
    pub attempts: i64,
    /// When enqueued.
    pub created_at: String,
    /// When the next attempt is due.
    pub next_attempt_at: Option<String>,
    /// When delivered.
    pub sent_at: Option<String>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

fn notification_out(n: &Notification, show: &Show) -> NotificationOut {
    NotificationOut {
        id: n.id.to_string(),
        ticket_id: n.ticket_id.to_string(),
        ticket_version: n.ticket_version,
        event_seq: n.event_seq,
        topic: n.topic.to_string(),
        kind: n.kind.to_string(),
        channel_id: n.channel_id.as_ref().map(ToString::to_string),
        target: n.target.clone(),
        language: n.language.to_string(),
        state: n.state.to_string(),
        attempts: n.attempts,
        created_at: show.at(n.created_at),
        next_attempt_at: (n.state == DeliveryState::Pending).then(|| show.at(n.next_attempt_at)),
        sent_at: show.opt(n.sent_at),
        last_error: n.last_error.clone(),
    }
}

/// Filters of the notification list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct NotificationQuery {
    /// pending, sent or dead (the dead-letter list).
    #[param(value_type = Option<String>)]
    state: Option<Word<DeliveryState>>,
    /// Only this ticket's.
    #[param(value_type = Option<String>)]
    ticket: Option<Word<TicketId>>,
    /// The last id of the previous page.
    #[param(value_type = Option<String>)]
    after: Option<Word<Id>>,
    /// Page size, 1 to 500 (default 100).
    limit: Option<u32>,
}

/// List notifications, oldest first: `state=dead` is the dead-letter list.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    params(NotificationQuery),
    responses((status = 200, body = Vec<NotificationOut>), (status = 403, body = Problem)))]
async fn list_notifications(
    State(state): State<AppState>,
    auth: Auth,
    query: Result<Query<NotificationQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    auth.require(&[Role::Operations], "read the notification outbox")?;
    let Query(q) = query.map_err(|e| Problem::invalid("/query", e.body_text()))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(Problem::invalid("/limit", "must be between 1 and 500"));
    }
    let filter = NotificationFilter {
        state: q.state.map(|w| w.0),
        ticket_id: q.ticket.map(|w| w.0),
        after: q.after.map(|w| w.0),
    };
    let show = show(&state);
    let list: Vec<NotificationOut> = state
        .store
        .notifications(&filter, limit)
        .await?
        .iter()
        .map(|n| notification_out(n, &show))
        .collect();
    Ok(axum::Json(list).into_response())
}

/// One notification.
#[utoipa::path(get, path = "/api/v1/notifications/{id}", tag = "notifications",
    params(("id" = String, Path)),
    responses((status = 200, body = NotificationOut), (status = 404, body = Problem)))]
async fn get_notification(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    auth.require(&[Role::Operations], "read the notification outbox")?;
    let id: Id = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    let n = state.store.notification(&id).await?;
    Ok(axum::Json(notification_out(&n, &show(&state))).into_response())
}

/// Send a notification again: back in the queue, due now, attempts reset. For
/// the dead-letter list once the receiver is fixed; a sent one is sent again.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/replay", tag = "notifications",
    params(("id" = String, Path)),
    responses((status = 200, body = NotificationOut), (status = 404, body = Problem)))]
async fn replay_notification(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    auth.require(&[], "replay notifications")?;
    let id: Id = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    let n = state.store.replay_notification(&id, state.now()).await?;
    state.wake.notifications();
    tracing::info!(notification = %id, by = %auth.user.id, "notification replayed");
    Ok(axum::Json(notification_out(&n, &show(&state))).into_response())
}
