//! Acceptance of dispatched tickets: each receiving department accepts within the
//! policy's limit (10 minutes in the template) of its own dispatch.

use tierdesk_calendar::{CalendarError, Schedule};

use super::Ctx;
use super::clock::{Timed, timed};
use super::obligation::{Obligation, ObligationName, ObligationTarget};
use crate::policy::PauseSet;
use crate::ticket::{EventKind, Party};

/// One `accept` obligation per dispatch. An `accepted` event whose `by` names the
/// department answers that department's earliest open dispatch; one without `by`
/// answers every dispatch still open at that time.
pub(crate) fn accept_obligations(ctx: &Ctx<'_>) -> Result<Vec<Obligation>, CalendarError> {
    let target = ctx
        .policy()
        .dispatch_accept
        .target(Schedule::Always, ctx.policy().roll);
    let dispatches: Vec<(jiff::Timestamp, Option<&Party>)> = ctx
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Dispatched { to } => Some((e.at, to.as_ref())),
            _ => None,
        })
        .collect();
    if dispatches.is_empty() {
        let mut out = Vec::with_capacity(7);
        out.push(Obligation::not_started(
            ObligationName::Accept,
            ObligationTarget::Within(target),
            "starts when the ticket is dispatched",
        ));
        return Ok(out);
    }
    let accepts: Vec<(jiff::Timestamp, Option<&Party>)> = ctx
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Accepted)
        .map(|e| (e.at, e.by.as_ref()))
        .collect();
    let mut used = vec![false; accepts.len()];
    // Room for the kind's other obligations too: they are pushed after these.
    let mut out = Vec::with_capacity(dispatches.len() + 6);
    for (at, to) in dispatches {
        let found = accepts.iter().enumerate().find(|(i, (a_at, by))| {
            *a_at >= at
                && match (by, to) {
                    (Some(by), Some(to)) => *by == to && !used[*i],
                    (Some(_), None) => !used[*i],
                    (None, _) => true,
                }
        });
        let met = found.map(|(i, (a_at, by))| {
            if by.is_some() {
                used[i] = true;
            }
            *a_at
        });
        let mut o = timed(
            ctx,
            Timed {
                name: ObligationName::Accept,
                target,
                start: Some(at),
                met,
                excluded: PauseSet::NONE,
                starts_when: "starts when the ticket is dispatched",
            },
        )?;
        o.party = to.cloned();
        out.push(o);
    }
    Ok(out)
}
