//! The three shapes of promise: done within a limit, repeated at a cadence, done at all.

use jiff::{SignedDuration, Timestamp};
use tierdesk_calendar::{CalendarError, Due, Pause, Target};

use super::obligation::{
    Detail, Obligation, ObligationName, ObligationState, ObligationTarget, PausedTime,
};
use super::{Ctx, ReasonedPause};
use crate::policy::PauseSet;

/// A promise with a time limit.
pub(crate) struct Timed {
    pub name: ObligationName,
    pub target: Target,
    pub start: Option<Timestamp>,
    pub met: Option<Timestamp>,
    pub excluded: PauseSet,
    /// Shown while not started: what starts the clock.
    pub starts_when: &'static str,
}

pub(crate) fn timed(ctx: &Ctx<'_>, t: Timed) -> Result<Obligation, CalendarError> {
    let rules = ctx.rules();
    let Some(start) = t.start else {
        return Ok(Obligation::not_started(
            t.name,
            ObligationTarget::Within(t.target),
            t.starts_when,
        ));
    };
    let horizon = t.met.unwrap_or(ctx.now);
    let mut clipped: Vec<(Pause, ReasonedPause)> = Vec::new();
    if t.target.pausable() {
        for p in &ctx.pauses {
            if !t.excluded.contains(p.reason) || p.start > horizon {
                continue;
            }
            let end = match (p.end, t.met) {
                (Some(e), _) if e <= horizon => Some(e),
                (_, Some(met)) => Some(met),
                (_, None) => None,
            };
            clipped.push((
                Pause {
                    start: p.start,
                    end,
                },
                *p,
            ));
        }
    }
    let pauses: Vec<Pause> = clipped.iter().map(|(p, _)| *p).collect();
    let due = rules.due(&t.target, start, &pauses)?;
    let origin = rules.clock_origin(&t.target, start)?;
    let schedule = t.target.schedule();
    let mut paused = PausedTime::default();
    for (p, reasoned) in &clipped {
        let from = p.start.max(origin);
        let to = p.end.unwrap_or(horizon).min(horizon);
        paused.add(reasoned.reason, rules.counted(schedule, from, to)?);
    }
    let counted = rules.counted(schedule, origin, horizon)? - paused.total();
    let mut o = Obligation {
        target: Some(ObligationTarget::Within(t.target)),
        start: Some(start),
        met_at: t.met,
        counted: Some(counted.max(SignedDuration::ZERO)),
        paused,
        ..Obligation::new(t.name, ObligationState::Pending)
    };
    match (t.met, due) {
        (Some(met), Due::At(d)) => {
            o.due = Some(d);
            if met <= d {
                o.state = ObligationState::Met;
            } else {
                o.state = ObligationState::Breached;
                o.lateness = Some(met.duration_since(d));
            }
        }
        (Some(_), Due::Paused { .. }) => o.state = ObligationState::Met,
        (None, Due::At(d)) => {
            o.due = Some(d);
            if ctx.now > d {
                o.state = ObligationState::Breached;
                o.lateness = Some(ctx.now.duration_since(d));
            } else {
                o.remaining = Some(rules.counted(schedule, ctx.now, d)?);
            }
        }
        (None, Due::Paused { remaining, .. }) => {
            o.state = ObligationState::Paused;
            o.remaining = Some(remaining);
        }
    }
    if let Some(d) = o.due {
        let last_moment = d.checked_sub(SignedDuration::from_nanos(1)).unwrap_or(d);
        o.provisional = !rules
            .calendar()
            .is_official_year(rules.local_date(last_moment)?.year());
    }
    Ok(o)
}

/// A promise repeated at least every `interval` from `start` until `end` (wall clock;
/// pauses do not stop it). Breached as soon as any gap exceeds the interval.
pub(crate) fn periodic(
    ctx: &Ctx<'_>,
    name: ObligationName,
    interval: SignedDuration,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    marks: &[Timestamp],
) -> Obligation {
    let Some(start) = start else {
        return Obligation::not_started(
            name,
            ObligationTarget::Every(interval),
            "starts with the report or alarm",
        );
    };
    let horizon = end.unwrap_or(ctx.now);
    let mut last = start;
    let mut first_breach: Option<Timestamp> = None;
    let mut longest_overrun = SignedDuration::ZERO;
    let mut missed = 0u32;
    let mut given = 0u32;
    let mut gap_to = |at: Timestamp, last: Timestamp| {
        let over = at.duration_since(last) - interval;
        if over > SignedDuration::ZERO {
            missed += 1;
            longest_overrun = longest_overrun.max(over);
            first_breach.get_or_insert(last.checked_add(interval).unwrap_or(last));
        }
    };
    for &m in marks.iter().filter(|&&m| m > start && m <= horizon) {
        gap_to(m, last);
        last = m;
        given += 1;
    }
    gap_to(horizon, last);
    let mut o = Obligation {
        target: Some(ObligationTarget::Every(interval)),
        start: Some(start),
        detail: Some(Detail::Cadence { given, missed }),
        ..Obligation::new(name, ObligationState::Pending)
    };
    if let Some(breach) = first_breach {
        o.state = ObligationState::Breached;
        o.due = Some(breach);
        o.met_at = end;
        o.lateness = Some(longest_overrun);
    } else if let Some(end) = end {
        o.state = ObligationState::Met;
        o.met_at = Some(end);
    } else {
        let next = last.checked_add(interval).unwrap_or(last);
        o.due = Some(next);
        o.remaining = Some(next.duration_since(ctx.now));
    }
    o
}

/// A promise without a time limit: pending once started, met when done.
pub(crate) fn untimed(
    name: ObligationName,
    target: ObligationTarget,
    start: Option<Timestamp>,
    met: Option<Timestamp>,
    starts_when: &'static str,
) -> Obligation {
    let Some(start) = start else {
        return Obligation::not_started(name, target, starts_when);
    };
    Obligation {
        target: Some(target),
        start: Some(start),
        met_at: met,
        ..Obligation::new(
            name,
            if met.is_some() {
                ObligationState::Met
            } else {
                ObligationState::Pending
            },
        )
    }
}
