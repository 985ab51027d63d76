//! Change orders (chapter 6): from the order being issued until completion.

use tierdesk_calendar::{CalendarError, Period, Schedule};

use super::Ctx;
use super::clock::{Timed, timed};
use super::dispatch::accept_obligations;
use super::obligation::{Obligation, ObligationName};
use crate::level::{Category, ChangeType, Scope};
use crate::ticket::EventKind;

/// Adds two working-day periods (the policy reader only admits working days for these).
fn plus(a: Period, b: Period) -> Option<Period> {
    match (a, b) {
        (Period::WorkingDays(x), Period::WorkingDays(y)) => Some(Period::WorkingDays(x + y)),
        _ => None,
    }
}

pub(crate) fn evaluate(ctx: &Ctx<'_>) -> Result<Vec<Obligation>, CalendarError> {
    let policy = &ctx.policy().change;
    let change_type = ctx.spec.change_type.unwrap_or(ChangeType::Other);
    let category = ctx.spec.category.unwrap_or(Category::DedicatedLine);
    let scope = ctx.spec.scope.unwrap_or(Scope::City);
    let provisioning = ctx
        .policy()
        .provisioning
        .limit
        .as_ref()
        .map(|l| *l.get(category).get(scope).get(ctx.customer));
    let period = match change_type {
        ChangeType::Suspend => Some(policy.suspend),
        ChangeType::Close => Some(policy.close),
        ChangeType::Resume => Some(*policy.resume.get(category).get(scope).get(ctx.customer)),
        ChangeType::Other => provisioning.and_then(|p| plus(policy.suspend, p)),
        ChangeType::Rebuild => provisioning.and_then(|p| plus(p, policy.rebuild_cutover)),
    };
    let mut out = accept_obligations(ctx)?;
    out.push(match period {
        Some(period) => timed(
            ctx,
            Timed {
                name: ObligationName::Complete,
                target: period.target(Schedule::Always, ctx.policy().roll),
                start: ctx.first_at(|k| *k == EventKind::Opened),
                met: ctx.first_at(|k| *k == EventKind::Completed),
                excluded: policy.excluded_pauses,
                starts_when: "starts when the order is issued (opened)",
            },
        )?,
        None => Obligation::not_applicable(
            ObligationName::Complete,
            "this change is limited by the provisioning limit, which the policy does not set (not in the template fragment)",
        ),
    });
    Ok(out)
}
