//! A ticket's derived state, from its header and history, by the core's evaluate.

use tierdesk_core::{
    Engine, Evaluation, Event, EventKind, ObligationState, Ticket, TicketError, TicketSpec,
    Workflow,
};
use tierdesk_store::{Projection, StoredEvent, TicketHeader};
use tierdesk_wire::EvaluationJson;

use crate::state::Policies;

/// The core ticket a stored ticket stands for.
pub fn ticket(header: &TicketHeader, events: &[StoredEvent]) -> Result<Ticket, TicketError> {
    let events = events
        .iter()
        .map(|e| Event {
            at: e.at,
            kind: e.kind.clone(),
            by: e.by.clone(),
        })
        .collect();
    Ticket::new(spec(header), events)
}

/// The core fields of a stored ticket.
pub fn spec(header: &TicketHeader) -> TicketSpec {
    TicketSpec {
        id: header.id.clone(),
        kind: header.kind,
        customer_level: header.customer_level,
        assurance_level: Some(header.assurance_level),
        category: header.category,
        scope: header.scope,
        change_type: header.change_type,
        work_start: header.work_start,
        emergency: header.emergency,
        terminal: header.terminal,
        operator_equipment: header.operator_equipment,
        circuit: header.circuit_id.as_ref().map(ToString::to_string),
        policy: Some(header.policy.clone()),
        green_channel: header.green_channel,
        full_outage: header.full_outage,
    }
}

/// The engine of the policy a ticket started under.
pub fn engine<'p>(policies: &'p Policies, header: &TicketHeader) -> Result<&'p Engine, String> {
    policies.get(&header.policy).ok_or_else(|| {
        format!(
            "ticket {} started under policy {}, which this server does not have loaded",
            header.id, header.policy
        )
    })
}

/// Evaluates a stored ticket at `now`.
pub fn evaluate(
    policies: &Policies,
    header: &TicketHeader,
    events: &[StoredEvent],
    now: jiff::Timestamp,
) -> Result<(Ticket, Evaluation), String> {
    let ticket = ticket(header, events).map_err(|e| e.to_string())?;
    let engine = engine(policies, header)?;
    let evaluation = engine.evaluate(&ticket, now).map_err(|e| e.to_string())?;
    Ok((ticket, evaluation))
}

/// The core events of a stored history, in recording order (the workflow's order).
pub fn recorded(events: &[StoredEvent]) -> Vec<Event> {
    events
        .iter()
        .map(|e| Event {
            at: e.at,
            kind: e.kind.clone(),
            by: e.by.clone(),
        })
        .collect()
}

/// The projection of a ticket at `now`: status, soonest pending due, breach, the
/// departments it went to, its workflow stage, parent, timers, and the evaluation as JSON.
pub fn project(
    policies: &Policies,
    header: &TicketHeader,
    events: &[StoredEvent],
    now: jiff::Timestamp,
) -> Result<Projection, String> {
    let (ticket, evaluation) = evaluate(policies, header, events, now)?;
    let engine = engine(policies, header)?;
    let mut json = Vec::with_capacity(2048);
    EvaluationJson::new(&ticket, &evaluation, &engine.policy().time_zone).write_to(&mut json);
    let pending = evaluation
        .obligations
        .iter()
        .filter(|o| o.state == ObligationState::Pending);
    let mut departments: Vec<String> = Vec::new();
    for e in ticket.events().iter().take_while(|e| e.at <= now) {
        if let EventKind::Dispatched { to: Some(to) } = &e.kind
            && !departments.iter().any(|d| d == to.as_str())
        {
            departments.push(to.to_string());
        }
    }
    let history = recorded(events);
    let workflow = Workflow::replay(engine.policy(), ticket.spec(), &history);
    let parent = ticket.events().iter().rev().find_map(|e| match &e.kind {
        EventKind::Linked { parent } if e.at <= now => Some(parent.clone()),
        _ => None,
    });
    Ok(Projection {
        stage: workflow.stage(),
        parent,
        timers: tierdesk_core::timers(engine, &ticket, &evaluation),
        status: ticket.status(now),
        next_due: pending.filter_map(|o| o.due).min(),
        breached: evaluation
            .obligations
            .iter()
            .any(|o| o.state == ObligationState::Breached),
        departments,
        evaluation_json: String::from_utf8(json).map_err(|e| e.to_string())?,
        evaluated_at: now,
    })
}
