//! Planned-work notices (table 8-1): advance notice, confirmation before the work,
//! confirmation after it.

use tierdesk_calendar::{CalendarError, Period};

use super::Ctx;
use super::clock::untimed;
use super::obligation::{Detail, Obligation, ObligationName, ObligationState, ObligationTarget};
use crate::policy::Confirmation;
use crate::ticket::EventKind;

pub(crate) fn evaluate(ctx: &Ctx<'_>) -> Result<Vec<Obligation>, CalendarError> {
    let policy = &ctx.policy().notice;
    let rules = ctx.rules();
    // The latest agreed start: a customer-requested reschedule moves the work.
    let work_start = ctx
        .events
        .iter()
        .rev()
        .find_map(|e| match e.kind {
            EventKind::Rescheduled { work_start } => Some(work_start),
            _ => None,
        })
        .or(ctx.spec.work_start)
        .unwrap_or(ctx.now);
    let opened = ctx
        .first_at(|k| *k == EventKind::Opened)
        .or_else(|| ctx.events.first().map(|e| e.at));
    let started = ctx.first_at(|k| *k == EventKind::WorkStarted);
    let mut out = Vec::new();

    let advance = if ctx.spec.emergency {
        policy.emergency
    } else {
        *policy.advance.get(ctx.customer)
    };
    let due = match advance {
        Period::WorkingDays(n) => rules.notice_deadline(work_start, n)?,
        Period::Days(n) => rules.notice_deadline_days(work_start, n)?,
        Period::Clock(d) => work_start.checked_sub(d).unwrap_or(work_start),
        Period::Months(_) => rules.notice_deadline_days(work_start, 0)?,
    };
    let channels = policy.channels.get(ctx.customer).clone();
    let mut ignored = 0u32;
    let sent = ctx.events.iter().find_map(|e| match e.kind {
        EventKind::NoticeSent { channel } => {
            if channel.is_none_or(|c| channels.contains(&c)) {
                Some(e.at)
            } else {
                ignored += 1;
                None
            }
        }
        _ => None,
    });
    let mut o = Obligation {
        target: Some(ObligationTarget::Advance(advance)),
        start: opened,
        due: Some(due),
        met_at: sent,
        detail: Some(Detail::Notice {
            recipient: *policy.recipient.get(ctx.customer),
            channels,
            ignored,
        }),
        ..Obligation::new(ObligationName::AdvanceNotice, ObligationState::Pending)
    };
    let last_moment = due
        .checked_sub(jiff::SignedDuration::from_nanos(1))
        .unwrap_or(due);
    o.provisional = !rules
        .calendar()
        .is_official_year(rules.local_date(last_moment)?.year());
    match sent {
        Some(s) if s <= due => o.state = ObligationState::Met,
        Some(s) => {
            o.state = ObligationState::Breached;
            o.lateness = Some(s.duration_since(due));
        }
        None if ctx.now > due => {
            o.state = ObligationState::Breached;
            o.lateness = Some(ctx.now.duration_since(due));
        }
        None => o.remaining = Some(due.duration_since(ctx.now)),
    }
    out.push(o);

    let confirm = *policy.confirm_before.get(ctx.customer);
    out.push(if confirm == Confirmation::No {
        Obligation::not_applicable(
            ObligationName::CustomerConfirmation,
            "no confirmation before the work for this customer level (table 8-1)",
        )
    } else {
        let confirmed = ctx.first_at(|k| *k == EventKind::CustomerConfirmed);
        let mut o = Obligation {
            target: Some(ObligationTarget::BeforeWork),
            start: opened,
            due: Some(work_start),
            met_at: confirmed,
            detail: Some(Detail::Confirmation {
                written: confirm == Confirmation::Written,
            }),
            ..Obligation::new(
                ObligationName::CustomerConfirmation,
                ObligationState::Pending,
            )
        };
        // The work may not start unconfirmed: starting it is the breach.
        o.state = match (confirmed, started) {
            (Some(c), Some(s)) if c > s => {
                o.lateness = Some(c.duration_since(s));
                ObligationState::Breached
            }
            (Some(_), _) => ObligationState::Met,
            (None, Some(s)) => {
                o.lateness = Some(ctx.now.duration_since(s));
                ObligationState::Breached
            }
            (None, None) => ObligationState::Pending,
        };
        o
    });

    out.push(if *policy.confirm_after.get(ctx.customer) {
        let finished = ctx.first_at(|k| *k == EventKind::WorkFinished);
        let confirmed =
            finished.and_then(|f| ctx.first_at_after(f, |k| *k == EventKind::PostWorkConfirmed));
        untimed(
            ObligationName::PostWorkConfirmation,
            ObligationTarget::NoLimit,
            finished,
            confirmed,
            "starts when the work finishes",
        )
    } else {
        Obligation::not_applicable(
            ObligationName::PostWorkConfirmation,
            "no confirmation after the work for this customer level (table 8-1)",
        )
    });
    Ok(out)
}
