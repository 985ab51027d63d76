//! Complaints: accept, resolve (table 7-1).

use tierdesk_calendar::CalendarError;

use super::Ctx;
use super::clock::{Timed, timed};
use super::dispatch::accept_obligations;
use super::obligation::{Obligation, ObligationName};
use crate::ticket::EventKind;

pub(crate) fn evaluate(ctx: &Ctx<'_>) -> Result<Vec<Obligation>, CalendarError> {
    let policy = &ctx.policy().complaint;
    let scope = ctx.spec.scope.unwrap_or(crate::Scope::City);
    let mut out = accept_obligations(ctx)?;
    let start = ctx
        .first_at(|k| *k == EventKind::Reported)
        .or_else(|| ctx.first_at(|k| *k == EventKind::Opened));
    out.push(timed(
        ctx,
        Timed {
            name: ObligationName::Resolve,
            target: policy
                .resolve
                .get(scope)
                .get(ctx.assurance)
                .target(policy.clock.schedule, ctx.policy().roll),
            start,
            met: ctx.first_at(|k| *k == EventKind::Resolved),
            excluded: policy.clock.excluded_pauses,
            starts_when: "starts when the complaint is reported",
        },
    )?);
    Ok(out)
}
