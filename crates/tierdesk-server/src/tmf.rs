//! TMF621 Trouble Ticket (v5 shape) at `/tmf-api/troubleTicket/v5`: list,
//! retrieve, create and patch fault and complaint tickets, and `/hub` listeners
//! that receive create, status-change and resolved events by HTTP POST (through
//! the notification outbox: retried, dead-lettered, replayable).
//!
//! The mapping (see `docs/TMF621.md`): TMF `status` is the ticket's lifecycle
//! status; a PATCH of `status` records the event that causes it (`pending` a
//! customer pause, `held` an interconnection pause, `resolved` the restoration or
//! resolution, …), so every change stays in the audited history. The SLA due
//! instant is `expectedResolutionDate`; each obligation is a
//! `troubleTicketCharacteristic`.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tierdesk_core::{Status, TicketId, TicketKind};
use tierdesk_store::{Id, Subscription, TicketFilter, TicketRecord, TicketSummary};

use crate::auth::Auth;
use crate::dto::{EventIn, Show, TicketIn, Word};
use crate::extract::{IdempotencyKey, parse};
use crate::problem::Problem;
use crate::state::AppState;
use crate::tickets::{self, RequestKey, Written, request_hash};

/// Where the API lives.
pub const BASE: &str = "/tmf-api/troubleTicket/v5";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(&format!("{BASE}/troubleTicket"), get(list).post(create))
        .route(
            &format!("{BASE}/troubleTicket/{{id}}"),
            get(retrieve).patch(patch),
        )
        .route(&format!("{BASE}/hub"), post(subscribe))
        .route(&format!("{BASE}/hub/{{id}}"), delete(unsubscribe))
}

fn severity(level: tierdesk_core::AssuranceLevel) -> &'static str {
    match level {
        tierdesk_core::AssuranceLevel::AAA => "Critical",
        tierdesk_core::AssuranceLevel::AA => "Major",
        tierdesk_core::AssuranceLevel::A => "Minor",
        tierdesk_core::AssuranceLevel::Ordinary => "Minor",
    }
}

fn party(role: &str, id: &str, referred: &str) -> Value {
    json!({
        "@type": "RelatedPartyRefOrPartyRoleRef",
        "role": role,
        "partyOrPartyRole": {"@type": "PartyRef", "id": id, "@referredType": referred}
    })
}

/// The TMF621 representation of a ticket, evaluated at `now`.
pub fn resource(state: &AppState, record: &TicketRecord, now: Timestamp) -> Result<Value, Problem> {
    let out = tickets::ticket_out(state, record, now)?;
    let show = Show(state.policies.time_zone().clone());
    let h = &record.header;
    let evaluation: Value =
        serde_json::from_str(out.evaluation.get()).map_err(Problem::internal)?;
    let obligations = evaluation["obligations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let main = match h.kind {
        TicketKind::Fault => "restore",
        _ => "resolve",
    };
    let expected = obligations
        .iter()
        .find(|o| o["name"] == main)
        .and_then(|o| o["due"].as_str())
        .map(str::to_owned);
    let characteristics: Vec<Value> = obligations
        .iter()
        .map(|o| {
            let name = match o["party"].as_str() {
                Some(p) => format!("{}:{p}", o["name"].as_str().unwrap_or_default()),
                None => o["name"].as_str().unwrap_or_default().to_owned(),
            };
            json!({"@type": "ObjectCharacteristic", "name": name, "valueType": "object", "value": o})
        })
        .collect();
    // Status history, derived from the events that changed the status.
    let mut changes = Vec::new();
    let mut last = None;
    if let Ok(ticket) = crate::projection::ticket(h, &record.events) {
        for (i, at, status) in ticket.status_history() {
            if at > now {
                break;
            }
            if Some(status) != last {
                let event = &ticket.events()[i];
                // The stored event at this position carries the note (the reason).
                let note = record
                    .events
                    .get(ticket.given_position(i))
                    .and_then(|e| e.note.clone());
                changes.push(json!({
                    "@type": "StatusChange",
                    "status": status.tmf_name(),
                    "changeDate": show.at(at),
                    "changeReason": note.unwrap_or_else(|| event.kind.name().to_owned()),
                }));
                last = Some(status);
            }
        }
    }
    let resolution = record.events.iter().find(|e| {
        matches!(
            e.kind,
            tierdesk_core::EventKind::Restored | tierdesk_core::EventKind::Resolved
        )
    });
    let notes: Vec<Value> = record
        .events
        .iter()
        .filter_map(|e| {
            e.note.as_ref().map(|text| json!({"@type": "Note", "date": show.at(e.recorded_at), "author": e.actor.to_string(), "text": text}))
        })
        .collect();
    let mut related_party = vec![
        party("customer", h.customer_id.as_str(), "Organization"),
        party("creator", h.created_by.as_str(), "Individual"),
    ];
    for department in &record.projection.departments {
        related_party.push(party("assignee", department, "Organization"));
    }
    let mut related_entity = Vec::new();
    if let Some(s) = &h.service_id {
        related_entity.push(json!({"@type": "RelatedEntity", "role": "service", "entity": {"@type": "EntityRef", "id": s.as_str(), "@referredType": "Service"}}));
    }
    if let Some(c) = &h.circuit_id {
        related_entity.push(json!({"@type": "RelatedEntity", "role": "circuit", "entity": {"@type": "EntityRef", "id": c.as_str(), "@referredType": "Resource"}}));
    }
    let status: Status = out.status.parse().unwrap_or(Status::Acknowledged);
    Ok(json!({
        "id": h.id.as_str(),
        "href": format!("{BASE}/troubleTicket/{}", h.id),
        "@type": "TroubleTicket",
        "@baseType": "TroubleTicket",
        "name": h.title,
        "description": if h.description.is_empty() { h.title.clone() } else { h.description.clone() },
        "ticketType": h.kind.as_str(),
        "severity": severity(h.assurance_level),
        "priority": match h.assurance_level {
            tierdesk_core::AssuranceLevel::AAA => "1",
            tierdesk_core::AssuranceLevel::AA => "2",
            tierdesk_core::AssuranceLevel::A => "3",
            tierdesk_core::AssuranceLevel::Ordinary => "4",
        },
        "status": status.tmf_name(),
        "statusChangeDate": changes.last().map(|c| c["changeDate"].clone()).unwrap_or(Value::Null),
        "statusChange": changes,
        "creationDate": show.at(h.created_at),
        "lastUpdate": record.events.last().map_or_else(|| show.at(h.created_at), |e| show.at(e.recorded_at)),
        "expectedResolutionDate": expected,
        "resolutionDate": resolution.map(|e| show.at(e.at)),
        "relatedParty": related_party,
        "relatedEntity": related_entity,
        "note": notes,
        "troubleTicketCharacteristic": characteristics,
        "externalIdentifier": [],
    }))
}

/// Keeps only the requested top-level `fields` (and always id, href, @type).
fn select(mut value: Value, fields: &Option<String>) -> Value {
    let Some(fields) = fields else { return value };
    let wanted: Vec<&str> = fields.split(',').map(str::trim).collect();
    if let Value::Object(map) = &mut value {
        map.retain(|k, _| {
            matches!(k.as_str(), "id" | "href" | "@type") || wanted.contains(&k.as_str())
        });
    }
    value
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct ListParams {
    fields: Option<String>,
    offset: Option<usize>,
    limit: Option<usize>,
    status: Option<String>,
    #[serde(rename = "ticketType")]
    ticket_type: Option<String>,
}

#[derive(Debug, Deserialize)]
struct FieldsParam {
    fields: Option<String>,
}

/// The list, TMF style: offset and limit, with `X-Total-Count` and `X-Result-Count`.
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<ListParams>,
) -> Result<Response, Problem> {
    const MAX: usize = 1000;
    let offset = p.offset.unwrap_or(0);
    let limit = p.limit.unwrap_or(100).min(MAX);
    let statuses = match &p.status {
        None => Vec::new(),
        Some(s) => s
            .split(',')
            .map(|s| {
                let s = s.trim();
                let snake = if s == "inProgress" { "in_progress" } else { s };
                snake
                    .parse::<Status>()
                    .map_err(|e| Problem::invalid("/status", e.to_string()))
            })
            .collect::<Result<_, _>>()?,
    };
    let kind = p
        .ticket_type
        .as_deref()
        .map(|t| {
            t.parse::<TicketKind>()
                .map_err(|e| Problem::invalid("/ticketType", e.to_string()))
        })
        .transpose()?;
    let filter = TicketFilter {
        statuses,
        kind,
        ..TicketFilter::default()
    };
    let now = state.now();
    // Walk the queue order by keyset pages; TMF's offset counts into it.
    let mut all: Vec<TicketSummary> = Vec::new();
    let mut pages =
        tierdesk_store::Pages::new(state.store.as_ref(), &filter, &auth.viewer, now, 500);
    while let Some(page) = pages.next().await? {
        all.extend(
            page.into_iter()
                .filter(|s| matches!(s.header.kind, TicketKind::Fault | TicketKind::Complaint)),
        );
        if all.len() >= 10_000 {
            break;
        }
    }
    let total = all.len();
    let mut items = Vec::new();
    for s in all.iter().skip(offset).take(limit) {
        let record = state.store.ticket(&s.header.id, &auth.viewer).await?;
        items.push(select(resource(&state, &record, now)?, &p.fields));
    }
    let mut response = json_response(StatusCode::OK, &Value::Array(items.clone()));
    let h = response.headers_mut();
    h.insert("x-total-count", HeaderValue::from(total));
    h.insert("x-result-count", HeaderValue::from(items.len()));
    Ok(response)
}

async fn retrieve(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(p): Query<FieldsParam>,
) -> Result<Response, Problem> {
    let id: TicketId = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    let record = state.store.ticket(&id, &auth.viewer).await?;
    if !matches!(
        record.header.kind,
        TicketKind::Fault | TicketKind::Complaint
    ) {
        return Err(Problem::not_found(format!(
            "trouble ticket {id} not found: it is a {} ticket",
            record.header.kind
        )));
    }
    Ok(json_response(
        StatusCode::OK,
        &select(resource(&state, &record, state.now())?, &p.fields),
    ))
}

fn text(body: &Map<String, Value>, key: &str) -> Result<Option<String>, Problem> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Problem::invalid(format!("/{key}"), "must be a string")),
    }
}

/// The id of the related party or entity with `role`.
fn related(
    body: &Map<String, Value>,
    list: &str,
    role: &str,
    inner: &str,
) -> Result<Option<String>, Problem> {
    let Some(items) = body.get(list) else {
        return Ok(None);
    };
    let items = items
        .as_array()
        .ok_or_else(|| Problem::invalid(format!("/{list}"), "must be an array"))?;
    for (i, item) in items.iter().enumerate() {
        if item["role"]
            .as_str()
            .is_some_and(|r| r.eq_ignore_ascii_case(role))
        {
            let id = item[inner]["id"].as_str().or_else(|| item["id"].as_str());
            return id
                .map(|s| Some(s.to_owned()))
                .ok_or_else(|| Problem::invalid(format!("/{list}/{i}/{inner}/id"), "needs an id"));
        }
    }
    Ok(None)
}

/// Create: `ticketType` fault or complaint, the customer as the `relatedParty` with
/// role `customer`, optionally the service (and circuit) as `relatedEntity`.
async fn create(
    State(state): State<AppState>,
    auth: Auth,
    IdempotencyKey(key): IdempotencyKey,
    body: axum::body::Bytes,
) -> Result<Response, Problem> {
    let value: Value = parse(&body)?;
    let map = value
        .as_object()
        .ok_or_else(|| Problem::bad_request("a TroubleTicket must be a JSON object"))?;
    let ticket_type = text(map, "ticketType")?.unwrap_or_else(|| "fault".to_owned());
    let kind = match ticket_type.to_ascii_lowercase().as_str() {
        "fault" | "incident" => TicketKind::Fault,
        "complaint" => TicketKind::Complaint,
        other => {
            return Err(Problem::invalid(
                "/ticketType",
                format!("{other:?}: this API opens fault and complaint tickets"),
            ));
        }
    };
    let customer =
        related(map, "relatedParty", "customer", "partyOrPartyRole")?.ok_or_else(|| {
            Problem::invalid(
                "/relatedParty",
                "name the customer: a relatedParty with role \"customer\"",
            )
        })?;
    let service = related(map, "relatedEntity", "service", "entity")?;
    let circuit = related(map, "relatedEntity", "circuit", "entity")?;
    let description = text(map, "description")?.unwrap_or_default();
    let name = text(map, "name")?
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| description.chars().take(80).collect());
    let word = |pointer: &str, s: String| {
        s.parse()
            .map(Word)
            .map_err(|e: tierdesk_store::InvalidId| Problem::invalid(pointer, e.to_string()))
    };
    let input = TicketIn {
        id: None,
        kind: Word(kind),
        customer_id: word("/relatedParty", customer)?,
        service_id: service.map(|s| word("/relatedEntity", s)).transpose()?,
        circuit_id: circuit.map(|c| word("/relatedEntity", c)).transpose()?,
        assurance_level: None,
        category: None,
        scope: None,
        change_type: None,
        work_start: None,
        emergency: false,
        terminal: false,
        operator_equipment: None,
        title: name,
        description,
        green_channel: false,
        full_outage: false,
        events: Vec::new(),
    };
    let hash = request_hash("POST", &format!("{BASE}/troubleTicket"), &body);
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
    respond(&state, &auth, written, StatusCode::CREATED, &key).await
}

async fn respond(
    state: &AppState,
    auth: &Auth,
    written: Written,
    status: StatusCode,
    key: &Option<String>,
) -> Result<Response, Problem> {
    match written {
        Written::Replay(code, body) => Ok((
            StatusCode::from_u16(code).unwrap_or(StatusCode::OK),
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()),
        Written::Ticket(record) => {
            let value = resource(state, &record, state.now())?;
            let body = value.to_string();
            tickets::remember_response(state, auth, key, status.as_u16(), &body).await;
            let mut response = json_response(status, &value);
            if let Ok(v) =
                HeaderValue::from_str(&format!("{BASE}/troubleTicket/{}", record.header.id))
            {
                response.headers_mut().insert(header::LOCATION, v);
            }
            Ok(response)
        }
    }
}

/// Patch (JSON merge patch): `status` (with `statusChangeReason`) and new `note`s.
async fn patch(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    IdempotencyKey(key): IdempotencyKey,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Problem> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.contains("json") {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "send application/merge-patch+json",
        ));
    }
    let value: Value = parse(&body)?;
    let map = value
        .as_object()
        .ok_or_else(|| Problem::bad_request("a patch must be a JSON object"))?;
    for key in map.keys() {
        if !matches!(
            key.as_str(),
            "status" | "statusChangeReason" | "note" | "@type"
        ) {
            return Err(Problem::invalid(
                format!("/{key}"),
                "cannot be patched: patch status (with statusChangeReason) or add a note; other fields are fixed when the ticket is opened",
            ));
        }
    }
    let tid: TicketId = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    let record = state.store.ticket(&tid, &auth.viewer).await?;
    let now = state.now();
    let current = crate::projection::ticket(&record.header, &record.events)
        .map(|t| t.status(now))
        .unwrap_or(record.projection.status);
    let reason = text(map, "statusChangeReason")?;
    let mut events: Vec<EventIn> = Vec::new();
    let event =
        |kind: &str, reason_word: Option<&str>, note: Option<String>| -> Result<EventIn, Problem> {
            let json = json!({"type": kind, "reason": reason_word, "note": note});
            serde_json::from_value(json).map_err(Problem::internal)
        };
    if let Some(target) = text(map, "status")? {
        let paused = matches!(current, Status::Pending | Status::Held);
        let resume = |events: &mut Vec<EventIn>| -> Result<(), Problem> {
            if paused {
                events.push(event("resumed", None, None)?);
            }
            Ok(())
        };
        match target.as_str() {
            "acknowledged" => {
                return Err(Problem::invalid(
                    "/status",
                    "a ticket cannot go back to acknowledged",
                ));
            }
            "inProgress" if paused => events.push(event("resumed", None, reason.clone())?),
            "inProgress" if current == Status::Acknowledged => {
                for step in start_work(&state, &record) {
                    events.push(event(step, None, reason.clone())?);
                }
            }
            "inProgress" => {}
            "pending" | "held" => {
                let note = reason.clone().ok_or_else(|| {
                    Problem::invalid(
                        "/statusChangeReason",
                        "a pause needs its reason and evidence in statusChangeReason",
                    )
                })?;
                resume(&mut events)?;
                let why = if target == "pending" {
                    "customer"
                } else {
                    "interconnection"
                };
                events.push(event("paused", Some(why), Some(note))?);
            }
            "resolved" => {
                resume(&mut events)?;
                if current == Status::Acknowledged {
                    for step in start_work(&state, &record) {
                        events.push(event(step, None, None)?);
                    }
                }
                let done = if record.header.kind == TicketKind::Fault {
                    "restored"
                } else {
                    "resolved"
                };
                events.push(event(done, None, reason.clone())?);
            }
            "closed" | "cancelled" | "rejected" => {
                resume(&mut events)?;
                events.push(event(&target, None, reason.clone())?);
            }
            other => {
                return Err(Problem::invalid(
                    "/status",
                    format!(
                        "unknown status {other:?}; expected inProgress, pending, held, resolved, closed, cancelled or rejected"
                    ),
                ));
            }
        }
    }
    if let Some(notes) = map.get("note") {
        let notes = notes
            .as_array()
            .ok_or_else(|| Problem::invalid("/note", "must be an array of notes"))?;
        // A merge patch sends the whole list: the ones beyond those already recorded are new.
        let known = record.events.iter().filter(|e| e.note.is_some()).count();
        for (i, note) in notes.iter().enumerate().skip(known) {
            let text = note["text"]
                .as_str()
                .ok_or_else(|| Problem::invalid(format!("/note/{i}/text"), "a note needs text"))?;
            events.push(event("feedback", None, Some(text.to_owned()))?);
        }
    }
    if events.is_empty() {
        return Ok(json_response(
            StatusCode::OK,
            &resource(&state, &record, now)?,
        ));
    }
    let hash = request_hash("PATCH", &format!("{BASE}/troubleTicket/{id}"), &body);
    let written = tickets::append(
        &state,
        &auth,
        &tid,
        None,
        events,
        "/status",
        RequestKey {
            key: key.clone(),
            hash,
        },
    )
    .await?;
    respond(&state, &auth, written, StatusCode::OK, &key).await
}

/// The events that put a logged ticket to work, as TMF's `inProgress` means: the
/// workflow's steps a TMF client knows nothing of (pre-screening where the level
/// needs it, a dispatch, the acceptance), as few as the ticket still needs.
fn start_work(state: &AppState, record: &TicketRecord) -> &'static [&'static str] {
    const PLANS: [&[&str]; 3] = [
        &["accepted"],
        &["dispatched", "accepted"],
        &["prescreened", "dispatched", "accepted"],
    ];
    let Ok(engine) = crate::projection::engine(&state.policies, &record.header) else {
        return PLANS[0];
    };
    let spec = crate::projection::spec(&record.header);
    let history = crate::projection::recorded(&record.events);
    let workflow = tierdesk_core::Workflow::replay(engine.policy(), &spec, &history);
    let at = state.now();
    let kind = |step: &str| match step {
        "prescreened" => tierdesk_core::EventKind::Prescreened,
        "dispatched" => tierdesk_core::EventKind::Dispatched { to: None },
        _ => tierdesk_core::EventKind::Accepted,
    };
    PLANS
        .into_iter()
        .find(|plan| {
            let events: Vec<tierdesk_core::Event> = plan
                .iter()
                .map(|step| tierdesk_core::Event {
                    at,
                    kind: kind(step),
                    by: None,
                })
                .collect();
            workflow.clone().check_all(&events).is_ok()
        })
        .unwrap_or(PLANS[0])
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HubIn {
    callback: String,
    query: Option<String>,
}

async fn subscribe(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Response, Problem> {
    auth.require_staff("register hub listeners")?;
    let input: HubIn = parse(&body)?;
    let url = input.callback.trim();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(Problem::invalid(
            "/callback",
            "must be an http:// or https:// URL",
        ));
    }
    let id: Id = format!("hub-{}", &crate::auth::new_secret("")?[..12])
        .parse()
        .map_err(Problem::internal)?;
    let sub = Subscription {
        id: id.clone(),
        callback: url.to_owned(),
        query: input.query,
        created_by: auth.user.id.clone(),
        created_at: state.now(),
    };
    state.store.create_subscription(&sub).await?;
    state.directory.clear();
    Ok(json_response(
        StatusCode::CREATED,
        &json!({"id": id.as_str(), "callback": sub.callback, "query": sub.query}),
    ))
}

async fn unsubscribe(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    auth.require_staff("remove hub listeners")?;
    let id: Id = id.parse().map_err(|e| Problem::not_found(format!("{e}")))?;
    state.store.delete_subscription(&id).await?;
    state.directory.clear();
    Ok(StatusCode::NO_CONTENT)
}
