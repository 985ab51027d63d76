//! Faults: accept, restore (table 7-2), progress feedback (7-3), restoration
//! feedback, written report (7-4).

use tierdesk_calendar::CalendarError;

use super::Ctx;
use super::clock::{Timed, periodic, timed, untimed};
use super::dispatch::accept_obligations;
use super::obligation::{Detail, Obligation, ObligationName, ObligationTarget};
use crate::policy::{PauseSet, ReportMode};
use crate::ticket::EventKind;

/// The clock starts at the customer's report or the alarm, whichever is first; a
/// ticket with neither starts at its opening (the hotline logged the report).
pub(crate) fn reported_at(ctx: &Ctx<'_>) -> Option<jiff::Timestamp> {
    ctx.first_at(|k| matches!(k, EventKind::Reported | EventKind::Alarm))
        .or_else(|| ctx.first_at(|k| *k == EventKind::Opened))
}

pub(crate) fn evaluate(ctx: &Ctx<'_>) -> Result<Vec<Obligation>, CalendarError> {
    let policy = &ctx.policy().fault;
    let roll = ctx.policy().roll;
    let scope = ctx.spec.scope.unwrap_or(crate::Scope::City);
    let report = reported_at(ctx);
    let restored = ctx.first_at(|k| *k == EventKind::Restored);
    let mut out = accept_obligations(ctx)?;

    out.push(if ctx.spec.operator_equipment {
        let target = policy
            .restore
            .get(scope)
            .get(ctx.assurance)
            .target(policy.clock.schedule, roll);
        timed(
            ctx,
            Timed {
                name: ObligationName::Restore,
                target,
                start: report,
                met: restored,
                excluded: policy.clock.excluded_pauses,
                starts_when: "starts with the report or alarm",
            },
        )?
    } else {
        Obligation::not_applicable(
            ObligationName::Restore,
            "restoration limits apply only to faults of equipment the operator manages",
        )
    });

    out.push(match *policy.progress_feedback.get(ctx.customer) {
        Some(interval) => {
            let marks = ctx.all_at(|k| *k == EventKind::Feedback);
            periodic(
                ctx,
                ObligationName::ProgressFeedback,
                interval,
                report,
                restored,
                &marks,
            )
        }
        None => Obligation::not_applicable(
            ObligationName::ProgressFeedback,
            "on request for this customer level (table 7-3)",
        ),
    });

    let target = policy
        .restoration_feedback
        .target(tierdesk_calendar::Schedule::Always, roll);
    let feedback_after =
        restored.and_then(|r| ctx.first_at_after(r, |k| *k == EventKind::Feedback));
    out.push(timed(
        ctx,
        Timed {
            name: ObligationName::RestorationFeedback,
            target,
            start: restored,
            met: feedback_after,
            excluded: PauseSet::NONE,
            starts_when: "starts when service is restored",
        },
    )?);

    out.push(written_report(ctx, restored)?);
    Ok(out)
}

fn written_report(
    ctx: &Ctx<'_>,
    restored: Option<jiff::Timestamp>,
) -> Result<Obligation, CalendarError> {
    let rule = *ctx.policy().fault.written_report.get(ctx.customer);
    let roll = ctx.policy().roll;
    let requested = ctx.first_at(|k| *k == EventKind::ReportRequested);
    let start = match rule.mode {
        ReportMode::Proactive => restored,
        ReportMode::OnRequest => {
            let Some(requested) = requested else {
                return Ok(Obligation::not_applicable(
                    ObligationName::WrittenReport,
                    "on request for this customer level (table 7-4), and not requested",
                ));
            };
            restored.map(|r| r.max(requested))
        }
    };
    let sent = start.and_then(|s| ctx.first_at_after(s, |k| *k == EventKind::ReportSent));
    let starts_when = "starts when service is restored";
    let mut o = match rule.within {
        Some(period) => timed(
            ctx,
            Timed {
                name: ObligationName::WrittenReport,
                target: period.target(tierdesk_calendar::Schedule::Always, roll),
                start,
                met: sent,
                excluded: PauseSet::NONE,
                starts_when,
            },
        )?,
        None => untimed(
            ObligationName::WrittenReport,
            ObligationTarget::NoLimit,
            start,
            sent,
            starts_when,
        ),
    };
    if rule.document == crate::policy::ReportDocument::ConfirmationForm && o.detail.is_none() {
        o.detail = Some(Detail::Note(
            "a fault-handling confirmation form (故障处理确认书) answers the request",
        ));
    }
    Ok(o)
}
