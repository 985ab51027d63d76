//! Integration tests of the SLA core: one binary, one module per feature.

mod alerts;
mod policy_files;
mod properties;
mod scenarios;
mod tables;
mod workflow;

use jiff::Timestamp;
use tierdesk_core::*;

pub fn at(s: &str) -> Timestamp {
    s.parse()
        .unwrap_or_else(|e| panic!("bad instant {s:?}: {e}"))
}

/// A ticket of `kind` for a `customer`, with `setup` applied to its spec.
pub fn ticket(
    kind: TicketKind,
    customer: CustomerLevel,
    setup: impl FnOnce(&mut TicketSpec),
    events: &[(&str, EventKind)],
) -> Ticket {
    let mut spec = TicketSpec::new("T-1".parse().unwrap(), kind, customer);
    setup(&mut spec);
    let events = events
        .iter()
        .map(|(t, k)| Event {
            at: at(t),
            kind: k.clone(),
            by: None,
        })
        .collect();
    Ticket::new(spec, events).unwrap_or_else(|e| panic!("test ticket rejected: {e}"))
}

pub fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(Engine::default_engine)
}

pub fn evaluate(t: &Ticket, now: &str) -> Evaluation {
    engine().evaluate(t, at(now)).unwrap()
}

pub fn ob(e: &Evaluation, name: ObligationName) -> &Obligation {
    e.obligations
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no {name} obligation in {:?}", e.obligations))
}

/// An instant shown in Beijing time, for readable assertions.
pub fn bj(t: Option<Timestamp>) -> String {
    match t {
        Some(t) => t
            .display_with_offset(jiff::tz::Offset::constant(8))
            .to_string(),
        None => "-".to_owned(),
    }
}
