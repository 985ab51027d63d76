//! `/api/v1/tickets`: open, read, list (queue order), append events.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::Deserialize;
use tierdesk_core::{AssuranceLevel, CustomerLevel, Status, TicketId, TicketKind};
use tierdesk_store::{Id, ListOrder, TicketCursor, TicketFilter, assurance_rank};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Auth;
use crate::dto::{
    EventsIn, Instant, Show, TicketIn, TicketOut, TicketPage, TicketSummaryOut, Word,
};
use crate::extract::{ApiJsonRaw, IdempotencyKey, IfMatch, etag};
use crate::problem::Problem;
use crate::state::AppState;
use crate::tickets::{self, RequestKey, Written, request_hash};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_ticket, list_tickets))
        .routes(routes!(get_ticket))
        .routes(routes!(append_events))
        .routes(routes!(restore_outage))
}

/// A mass outage's restoration.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreIn {
    /// When service came back (RFC 3339); now when omitted.
    #[schema(value_type = Option<String>)]
    pub at: Option<Instant>,
    /// What was done; kept on every ticket's `restored` event.
    pub note: Option<String>,
}

/// What a mass outage's restoration wrote.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RestoredOut {
    /// The tickets restored now (the parent first, unless it was already restored).
    pub restored: Vec<String>,
}

/// Restore a mass outage together: the parent fault and every open fault linked
/// to it (`linked` events) get `restored` at one instant, in one transaction —
/// all or none. Paused tickets are resumed first.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/restore-outage", tag = "tickets",
    request_body = RestoreIn,
    params(("id" = String, Path, description = "The parent fault")),
    responses(
        (status = 200, description = "Restored", body = RestoredOut),
        (status = 403, description = "The role may not restore faults", body = Problem),
        (status = 404, description = "No such ticket (or not yours)", body = Problem),
        (status = 409, description = "A ticket's workflow refuses it; nothing was written", body = Problem),
    ))]
async fn restore_outage(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    crate::extract::ApiJson(input): crate::extract::ApiJson<RestoreIn>,
) -> Result<Response, Problem> {
    let id: TicketId = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    let written =
        tickets::restore_together(&state, &auth, &id, input.at.map(|i| i.0), input.note).await?;
    Ok(axum::Json(RestoredOut {
        restored: written.iter().map(|r| r.header.id.to_string()).collect(),
    })
    .into_response())
}

/// The response for a write: the ticket (with ETag), or a remembered response.
pub(crate) fn written_response(
    state: &AppState,
    written: Written,
    status: StatusCode,
) -> Result<(Response, Option<(u16, String)>), Problem> {
    match written {
        Written::Replay(code, body) => {
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            h.insert("idempotent-replayed", HeaderValue::from_static("true"));
            Ok((response, None))
        }
        Written::Ticket(record) => {
            let out = tickets::ticket_out(state, &record, state.now())?;
            let body = serde_json::to_string(&out).map_err(Problem::internal)?;
            let mut response = Response::new(Body::from(body.clone()));
            *response.status_mut() = status;
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            if let Ok(v) = HeaderValue::from_str(&etag(record.version)) {
                h.insert(header::ETAG, v);
            }
            if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/tickets/{}", record.header.id)) {
                h.insert(header::LOCATION, v);
            }
            Ok((response, Some((status.as_u16(), body))))
        }
    }
}

/// Open a ticket.
///
/// The customer's level, and the service's category, scope and assurance level,
/// apply unless overridden. Without events, a fault or complaint starts with
/// `reported` (now), other kinds with `opened`. Send `Idempotency-Key` to make a
/// retry safe.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "tickets",
    request_body = TicketIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the same key and request answer with the first response")),
    responses(
        (status = 201, description = "Opened", body = TicketOut, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The role may not open this kind, or record these events", body = Problem),
        (status = 422, description = "A field is wrong; `errors` names it", body = Problem),
    ))]
async fn open_ticket(
    State(state): State<AppState>,
    auth: Auth,
    IdempotencyKey(key): IdempotencyKey,
    ApiJsonRaw(input, raw): ApiJsonRaw<TicketIn>,
) -> Result<Response, Problem> {
    let hash = request_hash("POST", "/api/v1/tickets", &raw);
    let written = tickets::open(
        &state,
        &auth,
        input,
        RequestKey {
            key: key.clone(),
            hash,
        },
    )
    .await?;
    let (response, remembered) = written_response(&state, written, StatusCode::CREATED)?;
    if let Some((status, body)) = remembered {
        tickets::remember_response(&state, &auth, &key, status, &body).await;
    }
    Ok(response)
}

/// Read a ticket with its history and its obligations evaluated now.
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id")),
    responses(
        (status = 200, description = "The ticket", body = TicketOut, headers(("ETag" = String))),
        (status = 404, description = "No such ticket (or not yours)", body = Problem),
    ))]
async fn get_ticket(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let id: TicketId = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    let record = state.store.ticket(&id, &auth.viewer).await?;
    written_response(&state, Written::Ticket(Box::new(record)), StatusCode::OK).map(|(r, _)| r)
}

/// Append one or more events.
///
/// Each role may record only its own events (operations support restores a fault,
/// a customer confirms a notice, …). Send `If-Match` with the ETag you read to
/// refuse the write when the ticket changed meanwhile (412).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/events", tag = "tickets",
    request_body = EventsIn,
    params(
        ("id" = String, Path, description = "Ticket id"),
        ("If-Match" = Option<String>, Header, description = "The ETag (version) you read"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "Appended; the ticket as it is now", body = TicketOut, headers(("ETag" = String))),
        (status = 403, description = "The role may not record an event", body = Problem),
        (status = 404, description = "No such ticket (or not yours)", body = Problem),
        (status = 412, description = "The ticket changed since the ETag in If-Match", body = Problem),
        (status = 422, description = "An event is wrong, or does not fit the history (e.g. resumed without a pause)", body = Problem),
    ))]
async fn append_events(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    IfMatch(expected): IfMatch,
    IdempotencyKey(key): IdempotencyKey,
    ApiJsonRaw(input, raw): ApiJsonRaw<EventsIn>,
) -> Result<Response, Problem> {
    let path = format!("/api/v1/tickets/{id}/events");
    let id: TicketId = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    let hash = request_hash("POST", &path, &raw);
    let written = tickets::append(
        &state,
        &auth,
        &id,
        expected,
        input.events,
        "/events",
        RequestKey {
            key: key.clone(),
            hash,
        },
    )
    .await?;
    let (response, remembered) = written_response(&state, written, StatusCode::CREATED)?;
    if let Some((status, body)) = remembered {
        tickets::remember_response(&state, &auth, &key, status, &body).await;
    }
    Ok(response)
}

/// Filters of the ticket list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// fault, complaint, change, provisioning or notice.
    #[param(value_type = Option<String>)]
    kind: Option<Word<TicketKind>>,
    /// Comma-separated statuses, e.g. `acknowledged,in_progress`.
    state: Option<String>,
    /// Only open (true) or finished (false) tickets.
    open: Option<bool>,
    /// Customer level.
    #[param(value_type = Option<String>)]
    level: Option<Word<CustomerLevel>>,
    /// Assurance level.
    #[param(value_type = Option<String>)]
    assurance_level: Option<Word<AssuranceLevel>>,
    /// Customer id.
    #[param(value_type = Option<String>)]
    customer: Option<Word<Id>>,
    /// Department the ticket was dispatched to.
    department: Option<String>,
    /// Breached now (true) or not (false).
    breached: Option<bool>,
    /// With a pending obligation due before this instant (RFC 3339).
    #[param(value_type = Option<String>)]
    due_before: Option<Instant>,
    /// Only tickets linked to this parent (a mass outage).
    #[param(value_type = Option<String>)]
    parent: Option<Word<TicketId>>,
    /// Only tickets at this workflow stage (e.g. `awaiting_acceptance`).
    #[param(value_type = Option<String>)]
    stage: Option<Word<tierdesk_core::Stage>>,
    /// `due` (default: soonest due first) or `assurance` (the operations queue of a
    /// mass outage: AAA first, then AA, A, ordinary; each by time to breach).
    order: Option<String>,
    /// Page size, 1 to 500 (default 50).
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

fn decode_cursor(text: &str) -> Result<TicketCursor, Problem> {
    let bad = || {
        Problem::invalid(
            "/cursor",
            "not a cursor this server gave; start again without one",
        )
    };
    let bytes = hex::decode(text).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (rank, rest) = text.split_once('\n').ok_or_else(bad)?;
    let (due, id) = rest.split_once('\n').ok_or_else(bad)?;
    let rank = match rank {
        "" => None,
        r => Some(r.parse::<i64>().map_err(|_| bad())?),
    };
    let next_due = match due {
        "" => None,
        ns => Some(
            Timestamp::from_nanosecond(ns.parse::<i128>().map_err(|_| bad())?)
                .map_err(|_| bad())?,
        ),
    };
    Ok(TicketCursor {
        rank,
        next_due,
        id: id.to_owned(),
    })
}

fn encode_cursor(rank: Option<i64>, next_due: Option<Timestamp>, id: &str) -> String {
    let due = next_due
        .map(|t| t.as_nanosecond().to_string())
        .unwrap_or_default();
    let rank = rank.map(|r| r.to_string()).unwrap_or_default();
    hex::encode(format!("{rank}\n{due}\n{id}"))
}

pub(crate) fn parse_statuses(text: &str) -> Result<Vec<Status>, Problem> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse::<Status>()
                .map_err(|e| Problem::invalid("/state", e.to_string()))
        })
        .collect()
}

/// List tickets in queue order: soonest due first, tickets with nothing due last.
///
/// Customers see only their own tickets. Pages are cut by cursor (keyset), so a
/// page stays stable while tickets are added.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of tickets", body = TicketPage),
        (status = 422, description = "A filter is wrong", body = Problem),
    ))]
async fn list_tickets(
    State(state): State<AppState>,
    auth: Auth,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    let Query(q) = query.map_err(|e| Problem::invalid("/query", e.body_text()))?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(Problem::invalid("/limit", "must be between 1 and 500"));
    }
    let filter = TicketFilter {
        kind: q.kind.map(|w| w.0),
        statuses: q
            .state
            .as_deref()
            .map(parse_statuses)
            .transpose()?
            .unwrap_or_default(),
        open: q.open,
        customer_level: q.level.map(|w| w.0),
        assurance_level: q.assurance_level.map(|w| w.0),
        customer_id: q.customer.map(|w| w.0),
        department: q.department,
        breached: q.breached,
        due_before: q.due_before.map(|i| i.0),
        opened_after: None,
        opened_before: None,
        parent: q.parent.map(|w| w.0),
        stage: q.stage.map(|w| w.0),
        order: match q.order.as_deref() {
            None | Some("due") => ListOrder::Due,
            Some("assurance") => ListOrder::Assurance,
            Some(other) => {
                return Err(Problem::invalid(
                    "/order",
                    format!("{other:?}: expected due or assurance"),
                ));
            }
        },
    };
    let cursor = q.cursor.as_deref().map(decode_cursor).transpose()?;
    let now = state.now();
    // One more than asked tells whether another page follows.
    let mut items = state
        .store
        .tickets(&filter, &auth.viewer, now, cursor.as_ref(), limit + 1)
        .await?;
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let show = Show(state.policies.time_zone().clone());
    let next_cursor = more
        .then(|| {
            items.last().map(|s| {
                let rank = (filter.order == ListOrder::Assurance)
                    .then(|| assurance_rank(s.header.assurance_level));
                encode_cursor(rank, s.projection.next_due, s.header.id.as_str())
            })
        })
        .flatten();
    let page = TicketPage {
        items: items.iter().map(|s| summary(s, now, &show)).collect(),
        next_cursor,
    };
    Ok(axum::Json(page).into_response())
}

pub(crate) fn summary(
    s: &tierdesk_store::TicketSummary,
    now: Timestamp,
    show: &Show,
) -> TicketSummaryOut {
    let p = &s.projection;
    TicketSummaryOut {
        id: s.header.id.to_string(),
        kind: s.header.kind.to_string(),
        customer_id: s.header.customer_id.to_string(),
        customer_level: s.header.customer_level.to_string(),
        assurance_level: s.header.assurance_level.to_string(),
        title: s.header.title.clone(),
        status: p.status.to_string(),
        next_due: show.opt(p.next_due),
        time_to_breach: p
            .next_due
            .map(|d| tierdesk_calendar::IsoDuration(d.duration_since(now)).to_string()),
        breached: p.breached || p.next_due.is_some_and(|d| d < now),
        stage: p.stage.to_string(),
        parent: p.parent.as_ref().map(ToString::to_string),
        departments: p.departments.clone(),
        created_at: show.at(s.header.created_at),
        version: s.version,
    }
}
