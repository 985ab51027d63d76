//! Opening tickets and appending events: the checks both APIs (REST and TMF621)
//! share. Every write goes through here: permission, input, the core's history
//! rules, the workflow, idempotency, then one store transaction that also
//! enqueues the notifications it causes.

use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};
use tierdesk_core::{
    EventKind, Role, Scope, Status, Ticket, TicketError, TicketId, TicketKind, Workflow,
};
use tierdesk_store::{
    AppendRequest, Id, Idempotency, NewEvent, OpenRequest, StoreError, StoredEvent, TicketHeader,
    TicketRecord, Viewer,
};
use tierdesk_wire::{EventFields, event_kind};

use crate::auth::Auth;
use crate::dto::{EventIn, EventOut, PolicyRefOut, Show, TicketIn, TicketOut};
use crate::problem::Problem;
use crate::projection;
use crate::state::AppState;

/// How far in the future an event's `at` may lie (clocks of clients drift).
const CLOCK_SKEW: SignedDuration = SignedDuration::from_mins(5);

/// What identifies a write request for idempotency: the client's key, if any,
/// and the request's fingerprint.
pub struct RequestKey {
    /// The `Idempotency-Key` header.
    pub key: Option<String>,
    /// [`request_hash`] of the request.
    pub hash: String,
}

/// The result of a write: the ticket, or the response remembered for a retried request.
pub enum Written {
    /// The write happened now (or had happened: the ticket as it is).
    Ticket(Box<TicketRecord>),
    /// A retried request: the remembered response.
    Replay(u16, String),
}

/// SHA-256 over what identifies a request: its method, path and body.
pub fn request_hash(method: &str, path: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update(b" ");
    h.update(path.as_bytes());
    h.update(b"\n");
    h.update(body);
    hex::encode(h.finalize())
}

/// A remembered request's replay, if `key` was used before by this user.
async fn replay(
    state: &AppState,
    auth: &Auth,
    key: &str,
    hash: &str,
) -> Result<Option<Written>, Problem> {
    let Some(seen) = state.store.idempotency(&auth.user.id, key).await? else {
        return Ok(None);
    };
    if seen.request_hash != hash {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency-key-reused",
            format!("Idempotency-Key {key:?} was already used for a different request"),
        ));
    }
    if let (Some(status), Some(body)) = (seen.status, seen.body) {
        return Ok(Some(Written::Replay(status, body)));
    }
    // The write happened but its response was not recorded (the server stopped in
    // between): answer with the ticket as it is, never by writing again.
    let id: TicketId = seen
        .ticket_id
        .as_deref()
        .unwrap_or_default()
        .parse()
        .map_err(|e| Problem::internal(format!("remembered request without a ticket: {e}")))?;
    Ok(Some(Written::Ticket(Box::new(
        state.store.ticket(&id, &auth.viewer).await?,
    ))))
}

fn idempotency(auth: &Auth, key: &Option<String>, hash: &str) -> Option<Idempotency> {
    key.as_ref().map(|k| Idempotency {
        user_id: auth.user.id.clone(),
        key: k.clone(),
        request_hash: hash.to_owned(),
        ticket_id: None,
        status: None,
        body: None,
    })
}

/// Turns request events into store events, checking each one's fields, its time
/// and the user's right to record it. `base` prefixes pointers (e.g. `/events`).
pub fn new_events(
    auth: &Auth,
    events: Vec<EventIn>,
    base: &str,
    now: Timestamp,
) -> Result<Vec<NewEvent>, Problem> {
    let mut out = Vec::with_capacity(events.len());
    for (i, e) in events.into_iter().enumerate() {
        let at_field = |field: &str| format!("{base}/{i}/{field}");
        let at = e.at.map_or(now, |i| i.0);
        let fields = EventFields {
            to: e.to.map(|w| w.0),
            reason: e.reason.map(|w| w.0),
            satisfied: e.satisfied,
            name: e.name.map(|w| w.0),
            channel: e.channel.map(|w| w.0),
            work_start: e.work_start.map(|w| w.0),
            until: e.until.map(|w| w.0),
            item: e.item.map(|w| w.0),
            parent: e.parent.map(|w| w.0),
            obligation: None,
            due: e.due.map(|w| w.0),
        };
        let kind = event_kind(&e.kind, at, fields)
            .map_err(|err| Problem::invalid(at_field(err.field), err.message))?;
        if kind.is_system() {
            return Err(Problem::forbidden(format!(
                "`{}` events are recorded by the SLA scheduler only ({})",
                kind.name(),
                at_field("type")
            )));
        }
        if !auth.user.role.may_append(&kind) {
            return Err(Problem::forbidden(format!(
                "a {} may not record `{}` events ({})",
                auth.user.role,
                kind.name(),
                at_field("type")
            )));
        }
        if matches!(kind, EventKind::Paused { .. })
            && e.note.as_deref().is_none_or(|n| n.trim().is_empty())
        {
            return Err(Problem::invalid(
                at_field("note"),
                "a pause needs its evidence in `note`, so the exclusion can be audited",
            ));
        }
        if at > now.checked_add(CLOCK_SKEW).unwrap_or(now) {
            return Err(Problem::invalid(
                at_field("at"),
                "is in the future: events record what has happened",
            ));
        }
        let by = e.by.map(|w| w.0).or_else(|| {
            auth.user
                .department_id
                .as_ref()
                .and_then(|d| d.as_str().parse().ok())
        });
        out.push(NewEvent {
            at,
            kind,
            by,
            note: e.note,
        });
    }
    Ok(out)
}

/// The core's verdict on a whole history; a problem with new event `i` points at it.
fn check_history(
    ticket: Result<Ticket, TicketError>,
    existing: usize,
    base: &str,
) -> Result<Ticket, Problem> {
    ticket.map_err(|e| {
        let index = e
            .field
            .strip_prefix("events[")
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(i, rest)| {
                i.parse::<usize>()
                    .ok()
                    .map(|i| (i, rest.trim_start_matches('.')))
            });
        match index {
            Some((i, field)) if i >= existing => {
                Problem::invalid(format!("{base}/{}/{field}", i - existing), e.message)
            }
            Some(_) => Problem::conflict(format!(
                "the history would not be consistent: {}",
                e.message
            )),
            None => Problem::invalid(format!("/{}", e.field), e.message),
        }
    })
}

/// The workflow's verdict on the events of `history` from `existing` on, after
/// the ones before; a refused event is a 409 naming it.
fn check_workflow(
    state: &AppState,
    header: &TicketHeader,
    history: &[StoredEvent],
    existing: usize,
    base: &str,
) -> Result<(), Problem> {
    let engine = projection::engine(&state.policies, header).map_err(Problem::internal)?;
    let spec = projection::spec(header);
    let (recorded, new) = history.split_at(existing.min(history.len()));
    Workflow::replay(engine.policy(), &spec, &projection::recorded(recorded))
        .check_all(&projection::recorded(new))
        .map(|_| ())
        .map_err(|e| Problem::transition(format!("{base}/{}", e.index), e.message))
}

/// Checks events to append to a ticket as read, the history's rules then the
/// workflow's (a problem names the event under `base`), and derives the
/// notifications they cause.
async fn prepare_append(
    state: &AppState,
    auth: &Auth,
    current: &TicketRecord,
    events: &[NewEvent],
    base: &str,
    now: Timestamp,
) -> Result<Vec<tierdesk_store::NewNotification>, Problem> {
    let mut history = current.events.clone();
    history.extend(NewEvent::record(
        events,
        current.version,
        &auth.user.id,
        now,
    ));
    let ticket = check_history(
        projection::ticket(&current.header, &history),
        current.events.len(),
        base,
    )?;
    check_workflow(state, &current.header, &history, current.events.len(), base)?;
    crate::notify::outbox(
        state,
        &crate::notify::Change {
            header: &current.header,
            before: Some(current_status(current, now)),
            after: ticket.status(now),
            events,
        },
    )
    .await
}

/// Links name a parent ticket that exists and that the user may see.
async fn check_links(
    state: &AppState,
    auth: &Auth,
    events: &[NewEvent],
    base: &str,
) -> Result<(), Problem> {
    for (i, e) in events.iter().enumerate() {
        if let EventKind::Linked { parent } = &e.kind {
            match state.store.ticket(parent, &auth.viewer).await {
                Ok(p) if p.header.kind == TicketKind::Fault => {}
                Ok(p) => {
                    return Err(Problem::invalid(
                        format!("{base}/{i}/parent"),
                        format!(
                            "{parent} is a {} ticket; faults link to a fault",
                            p.header.kind
                        ),
                    ));
                }
                Err(StoreError::NotFound { .. }) => {
                    return Err(Problem::invalid(
                        format!("{base}/{i}/parent"),
                        format!("no ticket {parent}"),
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

fn generated_id(
    kind: TicketKind,
    now: Timestamp,
    tz: &jiff::tz::TimeZone,
) -> Result<TicketId, Problem> {
    let prefix = match kind {
        TicketKind::Fault => "F",
        TicketKind::Complaint => "C",
        TicketKind::Change => "CH",
        TicketKind::Provisioning => "P",
        TicketKind::Notice => "N",
    };
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|e| Problem::internal(format!("no randomness: {e}")))?;
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let code: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b % 32)] as char)
        .collect();
    let day = now
        .to_zoned_datetime(tz.clone())
        .strftime("%Y%m%d")
        .to_string();
    format!("{prefix}-{day}-{code}")
        .parse()
        .map_err(|e| Problem::internal(format!("generated id: {e}")))
}

/// Opens a ticket.
pub async fn open(
    state: &AppState,
    auth: &Auth,
    input: TicketIn,
    request: RequestKey,
) -> Result<Written, Problem> {
    let RequestKey { key, hash } = request;
    if let Some(key) = &key
        && let Some(replayed) = replay(state, auth, key, &hash).await?
    {
        return Ok(replayed);
    }
    let kind = input.kind.0;
    if !auth.user.role.may_open(kind) {
        return Err(Problem::forbidden(format!(
            "a {} may not open {kind} tickets",
            auth.user.role
        )));
    }
    let now = state.now();
    let staff = Viewer::Staff;
    let customer = match state
        .store
        .customer(&input.customer_id.0, &auth.viewer)
        .await
    {
        Ok(c) => c.record,
        Err(StoreError::NotFound { .. }) => {
            return Err(Problem::invalid(
                "/customer_id",
                format!("no customer {}", input.customer_id.0),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let service = match &input.service_id {
        None => None,
        Some(id) => match state.store.service(&id.0, &staff).await {
            Ok(s) if s.record.customer_id == customer.id => Some(s.record),
            Ok(_) => {
                return Err(Problem::invalid(
                    "/service_id",
                    format!("service {} belongs to another customer", id.0),
                ));
            }
            Err(StoreError::NotFound { .. }) => {
                return Err(Problem::invalid(
                    "/service_id",
                    format!("no service {}", id.0),
                ));
            }
            Err(e) => return Err(e.into()),
        },
    };
    if let Some(id) = &input.circuit_id {
        match state.store.circuit(&id.0, &staff).await {
            Ok(c) if c.record.customer_id != customer.id => {
                return Err(Problem::invalid(
                    "/circuit_id",
                    format!("circuit {} belongs to another customer", id.0),
                ));
            }
            Ok(c)
                if service
                    .as_ref()
                    .is_some_and(|s| s.id != c.record.service_id) =>
            {
                return Err(Problem::invalid(
                    "/circuit_id",
                    format!("circuit {} is not on service {}", id.0, c.record.service_id),
                ));
            }
            Ok(_) => {}
            Err(StoreError::NotFound { .. }) => {
                return Err(Problem::invalid(
                    "/circuit_id",
                    format!("no circuit {}", id.0),
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if input.green_channel {
        if !matches!(auth.user.role, Role::AccountManager | Role::Admin) {
            return Err(Problem::invalid(
                "/green_channel",
                "only an account manager passes a fault through the green channel",
            ));
        }
        if kind != TicketKind::Fault || customer.level != tierdesk_core::CustomerLevel::Gold {
            return Err(Problem::invalid(
                "/green_channel",
                "the green channel is for urgent faults of gold customers",
            ));
        }
    }
    let policies = &state.policies;
    let engine = policies.current();
    let title = input.title.trim().to_owned();
    if title.is_empty() {
        return Err(Problem::invalid("/title", "must not be empty"));
    }
    let id = match input.id {
        Some(id) => id.0,
        None => generated_id(kind, now, policies.time_zone())?,
    };
    let header = TicketHeader {
        id,
        kind,
        customer_id: customer.id.clone(),
        service_id: service.as_ref().map(|s| s.id.clone()),
        circuit_id: input.circuit_id.map(|c| c.0),
        customer_level: customer.level,
        assurance_level: input
            .assurance_level
            .map(|w| w.0)
            .or(service.as_ref().and_then(|s| s.assurance_level))
            .unwrap_or(*engine.policy().default_assurance.get(customer.level)),
        category: input
            .category
            .map(|w| w.0)
            .or(service.as_ref().map(|s| s.category)),
        scope: input
            .scope
            .map(|w| w.0)
            .or(service.as_ref().map(|s| s.scope)),
        change_type: input.change_type.map(|w| w.0),
        work_start: input.work_start.map(|i| i.0),
        emergency: input.emergency,
        terminal: input.terminal,
        operator_equipment: input.operator_equipment.unwrap_or(true),
        full_outage: input.full_outage,
        policy: engine.policy().id.clone(),
        title,
        description: input.description,
        green_channel: input.green_channel,
        created_by: auth.user.id.clone(),
        created_at: now,
    };
    let mut events = new_events(auth, input.events, "/events", now)?;
    if events.is_empty() {
        // Logging a fault or complaint is its report; other tickets start with the order.
        let first = if matches!(kind, TicketKind::Fault | TicketKind::Complaint) {
            EventKind::Reported
        } else {
            EventKind::Opened
        };
        events.push(NewEvent {
            at: now,
            kind: first,
            by: None,
            note: None,
        });
    }
    let stored = NewEvent::record(&events, 0, &auth.user.id, now);
    if header.scope.is_none() && scope_needed(&header) {
        return Err(Problem::invalid(
            "/scope",
            "give a service (whose scope applies) or a scope: city, cross_city or cross_province",
        ));
    }
    let ticket = check_history(projection::ticket(&header, &stored), 0, "/events")?;
    check_workflow(state, &header, &stored, 0, "/events")?;
    check_links(state, auth, &events, "/events").await?;
    let remembered = idempotency(auth, &key, &hash);
    let project = |h: &TicketHeader, e: &[tierdesk_store::StoredEvent]| {
        projection::project(policies, h, e, now)
    };
    let outbox = crate::notify::outbox(
        state,
        &crate::notify::Change {
            header: &header,
            before: None,
            after: ticket.status(now),
            events: &events,
        },
    )
    .await?;
    let request = OpenRequest {
        header: &header,
        events: &events,
        actor: &auth.user.id,
        now,
        idempotency: remembered.as_ref(),
        outbox: &outbox,
    };
    let record = match state.store.open_ticket(request, &project).await {
        Ok(r) => r,
        Err(StoreError::IdempotencyKeyTaken(k)) => {
            return replay(state, auth, &k, &hash).await?.ok_or_else(|| {
                Problem::conflict("a concurrent request with this Idempotency-Key")
            });
        }
        Err(e) => return Err(e.into()),
    };
    metrics::counter!("tierdesk_tickets_opened_total", "kind" => kind.as_str()).increment(1);
    state
        .wake
        .written(&record.projection.timers, !outbox.is_empty(), now);
    Ok(Written::Ticket(Box::new(record)))
}

fn scope_needed(h: &TicketHeader) -> bool {
    matches!(h.kind, TicketKind::Fault | TicketKind::Complaint)
        || (h.kind == TicketKind::Change
            && !matches!(
                h.change_type,
                Some(tierdesk_core::ChangeType::Suspend | tierdesk_core::ChangeType::Close)
            ))
}

/// Appends events to a ticket.
pub async fn append(
    state: &AppState,
    auth: &Auth,
    id: &TicketId,
    expected: Option<i64>,
    events: Vec<EventIn>,
    base: &str,
    request: RequestKey,
) -> Result<Written, Problem> {
    let RequestKey { key, hash } = request;
    if let Some(key) = &key
        && let Some(replayed) = replay(state, auth, key, &hash).await?
    {
        return Ok(replayed);
    }
    if events.is_empty() {
        return Err(Problem::invalid(base, "give at least one event"));
    }
    let now = state.now();
    let current = state.store.ticket(id, &auth.viewer).await?;
    let events = new_events(auth, events, base, now)?;
    let outbox = prepare_append(state, auth, &current, &events, base, now).await?;
    check_links(state, auth, &events, base).await?;
    let policies = &state.policies;
    let remembered = idempotency(auth, &key, &hash);
    let project = |h: &TicketHeader, e: &[tierdesk_store::StoredEvent]| {
        projection::project(policies, h, e, now)
    };
    let request = AppendRequest {
        id,
        expected,
        events: &events,
        actor: &auth.user.id,
        now,
        idempotency: remembered.as_ref(),
        outbox: &outbox,
        read: Some(&current),
    };
    let record = match state.store.append_events(request, &project).await {
        Ok(r) => r,
        Err(StoreError::IdempotencyKeyTaken(k)) => {
            return replay(state, auth, &k, &hash).await?.ok_or_else(|| {
                Problem::conflict("a concurrent request with this Idempotency-Key")
            });
        }
        Err(e) => return Err(e.into()),
    };
    metrics::counter!("tierdesk_events_appended_total").increment(events.len() as u64);
    state
        .wake
        .written(&record.projection.timers, !outbox.is_empty(), now);
    Ok(Written::Ticket(Box::new(record)))
}

/// Records the response of a request that carried an idempotency key.
pub async fn remember_response(
    state: &AppState,
    auth: &Auth,
    key: &Option<String>,
    status: u16,
    body: &str,
) {
    if let Some(key) = key
        && let Err(e) = state
            .store
            .complete_idempotency(&auth.user.id, key, status, body)
            .await
    {
        // The write itself is committed; a retry will be answered from the ticket.
        tracing::warn!(error = %e, "could not record an idempotent response");
    }
}

/// The full representation of a ticket, evaluated at `now`.
pub fn ticket_out(
    state: &AppState,
    record: &TicketRecord,
    now: Timestamp,
) -> Result<TicketOut, Problem> {
    let show = Show(state.policies.time_zone().clone());
    let h = &record.header;
    let mut alerts = Vec::new();
    let mut next_events = Vec::new();
    let mut stage = record.projection.stage;
    let evaluation = match projection::evaluate(&state.policies, h, &record.events, now) {
        Ok((ticket, evaluation)) => {
            let engine = projection::engine(&state.policies, h).map_err(Problem::internal)?;
            let mut json = Vec::with_capacity(2048);
            tierdesk_wire::EvaluationJson::new(&ticket, &evaluation, &engine.policy().time_zone)
                .write_to(&mut json);
            alerts = tierdesk_core::timers(engine, &ticket, &evaluation)
                .into_iter()
                .map(|t| crate::dto::AlertOut {
                    alert: t.alert.to_string(),
                    obligation: t.obligation.map(|o| o.to_string()),
                    party: t.party.as_ref().map(ToString::to_string),
                    due: show.at(t.due),
                    fire_at: show.at(t.fire_at),
                })
                .collect();
            let history = projection::recorded(&record.events);
            let workflow = Workflow::replay(engine.policy(), ticket.spec(), &history);
            stage = workflow.stage();
            next_events = workflow
                .next_events(now)
                .into_iter()
                .map(str::to_owned)
                .collect();
            String::from_utf8(json).map_err(Problem::internal)?
        }
        // An unknown policy (or out-of-range instant) is shown, not hidden.
        Err(e) => serde_json::json!({ "error": e }).to_string(),
    };
    let evaluation =
        serde_json::value::RawValue::from_string(evaluation).map_err(Problem::internal)?;
    let breached =
        record.projection.breached || record.projection.next_due.is_some_and(|d| d < now);
    Ok(TicketOut {
        id: h.id.to_string(),
        kind: h.kind.to_string(),
        customer_id: h.customer_id.to_string(),
        service_id: h.service_id.as_ref().map(Id::to_string),
        circuit_id: h.circuit_id.as_ref().map(Id::to_string),
        customer_level: h.customer_level.to_string(),
        assurance_level: h.assurance_level.to_string(),
        category: h.category.map(|c| c.to_string()),
        scope: h.scope.map(|s: Scope| s.to_string()),
        change_type: h.change_type.map(|c| c.to_string()),
        work_start: show.opt(h.work_start),
        emergency: h.emergency,
        terminal: h.terminal,
        operator_equipment: h.operator_equipment,
        green_channel: h.green_channel,
        needs_backfill: h.green_channel
            && !record
                .events
                .iter()
                .any(|e| e.kind == EventKind::Backfilled),
        full_outage: h.full_outage,
        title: h.title.clone(),
        description: h.description.clone(),
        policy: PolicyRefOut {
            name: h.policy.name.clone(),
            version: h.policy.version.clone(),
        },
        created_by: h.created_by.to_string(),
        created_at: show.at(h.created_at),
        version: record.version,
        status: current_status(record, now).to_string(),
        next_due: show.opt(record.projection.next_due),
        breached,
        stage: stage.to_string(),
        next_events,
        parent: record.projection.parent.as_ref().map(ToString::to_string),
        alerts,
        events: record
            .events
            .iter()
            .map(|e| EventOut::from(e, &show))
            .collect(),
        evaluation,
    })
}

/// The status now (events recorded for the future do not count yet).
fn current_status(record: &TicketRecord, now: Timestamp) -> Status {
    projection::ticket(&record.header, &record.events)
        .map_or(record.projection.status, |t| t.status(now))
}

/// Restores a mass outage: the parent fault and every open fault linked to it,
/// at one instant, in one transaction (all or none). Paused tickets are resumed
/// first. Returns the tickets written, the parent first.
///
/// # Errors
/// 403 when the role may not restore, 404 for an unknown parent, 409 naming the
/// first ticket whose workflow refuses the restoration (nothing is written then).
pub async fn restore_together(
    state: &AppState,
    auth: &Auth,
    parent: &TicketId,
    at: Option<Timestamp>,
    note: Option<String>,
) -> Result<Vec<TicketRecord>, Problem> {
    if !auth.user.role.may_append(&EventKind::Restored) {
        return Err(Problem::forbidden(format!(
            "a {} may not restore faults",
            auth.user.role
        )));
    }
    let now = state.now();
    let at = at.unwrap_or(now);
    if at > now.checked_add(CLOCK_SKEW).unwrap_or(now) {
        return Err(Problem::invalid(
            "/at",
            "is in the future: events record what has happened",
        ));
    }
    let head = state.store.ticket(parent, &auth.viewer).await?;
    if head.header.kind != TicketKind::Fault {
        return Err(Problem::invalid(
            "/",
            format!(
                "{parent} is a {} ticket; outages are faults",
                head.header.kind
            ),
        ));
    }
    let mut records = vec![head];
    let filter = tierdesk_store::TicketFilter {
        parent: Some(parent.clone()),
        open: Some(true),
        ..tierdesk_store::TicketFilter::default()
    };
    let mut pages =
        tierdesk_store::Pages::new(state.store.as_ref(), &filter, &auth.viewer, now, 500);
    while let Some(page) = pages.next().await? {
        for s in &page {
            records.push(state.store.ticket(&s.header.id, &auth.viewer).await?);
        }
    }
    let by = auth
        .user
        .department_id
        .as_ref()
        .and_then(|d| d.as_str().parse().ok());
    let mut planned = Vec::new();
    for record in &records {
        let restored = record.events.iter().any(|e| e.kind == EventKind::Restored);
        if restored {
            continue;
        }
        let mut events = Vec::new();
        if matches!(current_status(record, now), Status::Pending | Status::Held) {
            events.push(NewEvent {
                at,
                kind: EventKind::Resumed,
                by: by.clone(),
                note: Some(format!("resumed to restore outage {parent}")),
            });
        }
        events.push(NewEvent {
            at,
            kind: EventKind::Restored,
            by: by.clone(),
            note: note
                .clone()
                .or_else(|| Some(format!("restored with outage {parent}"))),
        });
        let base = format!("/tickets/{}", record.header.id);
        let outbox = prepare_append(state, auth, record, &events, &base, now).await?;
        planned.push((record, events, outbox));
    }
    if planned.is_empty() {
        return Ok(Vec::new());
    }
    let requests: Vec<AppendRequest<'_>> = planned
        .iter()
        .map(|(record, events, outbox)| AppendRequest {
            id: &record.header.id,
            expected: Some(record.version),
            events,
            actor: &auth.user.id,
            now,
            idempotency: None,
            outbox,
            read: None,
        })
        .collect();
    let policies = &state.policies;
    let project = |h: &TicketHeader, e: &[StoredEvent]| projection::project(policies, h, e, now);
    let written = state.store.append_many(&requests, &project).await?;
    metrics::counter!("tierdesk_events_appended_total")
        .increment(planned.iter().map(|(_, e, _)| e.len() as u64).sum());
    for (record, (_, _, outbox)) in written.iter().zip(&planned) {
        state
            .wake
            .written(&record.projection.timers, !outbox.is_empty(), now);
    }
    Ok(written)
}
