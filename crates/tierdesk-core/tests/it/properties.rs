//! Properties of evaluate over random fault histories.

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use tierdesk_core::EventKind as E;
use tierdesk_core::*;

use crate::engine;

fn base() -> Timestamp {
    crate::at("2025-09-28T09:00:00+08:00")
}

fn plus(mins: i64) -> Timestamp {
    base().checked_add(SignedDuration::from_mins(mins)).unwrap()
}

/// A fault with alternating pauses (random reasons and lengths), maybe restored.
fn fault(pauses: &[(i64, i64, u8)], restored: Option<i64>, level: u8) -> Ticket {
    let mut spec = TicketSpec::new(
        "P".parse().unwrap(),
        TicketKind::Fault,
        CustomerLevel::ALL[level as usize % 4],
    );
    spec.scope = Some(Scope::ALL[level as usize % 3]);
    let mut events = vec![Event {
        at: base(),
        kind: E::Reported,
        by: None,
    }];
    let mut t = 0;
    for &(gap, len, reason) in pauses {
        t += gap;
        events.push(Event {
            at: plus(t),
            kind: E::Paused {
                reason: PauseReason::ALL[reason as usize % 3],
            },
            by: None,
        });
        t += len;
        events.push(Event {
            at: plus(t),
            kind: E::Resumed,
            by: None,
        });
    }
    if let Some(r) = restored {
        events.push(Event {
            at: plus(r),
            kind: E::Restored,
            by: None,
        });
    }
    Ticket::new(spec, events).unwrap()
}

fn restore(t: &Ticket, now: Timestamp) -> Obligation {
    let e = engine().evaluate(t, now).unwrap();
    e.obligations
        .into_iter()
        .find(|o| o.name == ObligationName::Restore)
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn counted_plus_excluded_paused_time_is_the_wall_time(
        pauses in proptest::collection::vec((1i64..120, 1i64..240, 0u8..3), 0..6),
        restored in proptest::option::of(1i64..2000),
        now in 0i64..3000,
        level in 0u8..12,
    ) {
        let t = fault(&pauses, restored, level);
        let o = restore(&t, plus(now));
        let end = o.met_at.unwrap_or(plus(now));
        prop_assert_eq!(o.counted.unwrap() + o.paused.total(), end.duration_since(base()));
    }

    #[test]
    fn a_met_obligation_was_met_by_its_due_and_a_breached_one_after_it(
        pauses in proptest::collection::vec((1i64..120, 1i64..240, 0u8..3), 0..6),
        restored in proptest::option::of(1i64..2000),
        now in 0i64..3000,
        level in 0u8..12,
    ) {
        let t = fault(&pauses, restored, level);
        let o = restore(&t, plus(now));
        match o.state {
            ObligationState::Met => prop_assert!(o.met_at.unwrap() <= o.due.unwrap()),
            ObligationState::Breached => prop_assert_eq!(o.lateness.unwrap(), o.met_at.unwrap_or(plus(now)).duration_since(o.due.unwrap())),
            ObligationState::Pending => prop_assert!(o.met_at.is_none() && plus(now) <= o.due.unwrap()),
            ObligationState::Paused => prop_assert!(o.due.is_none() && o.remaining.unwrap() > SignedDuration::ZERO),
            ObligationState::NotApplicable => prop_assert!(false, "restore always applies here"),
        }
    }

    #[test]
    fn once_breached_the_restore_obligation_stays_breached_as_time_goes_on(
        pauses in proptest::collection::vec((1i64..120, 1i64..240, 0u8..3), 0..6),
        restored in proptest::option::of(1i64..2000),
        now in 0i64..3000,
        later in 0i64..3000,
        level in 0u8..12,
    ) {
        let t = fault(&pauses, restored, level);
        if restore(&t, plus(now)).state == ObligationState::Breached {
            prop_assert_eq!(restore(&t, plus(now + later)).state, ObligationState::Breached);
        }
    }

    #[test]
    fn the_due_instant_never_moves_earlier_as_time_goes_on(
        pauses in proptest::collection::vec((1i64..120, 1i64..240, 0u8..2), 0..6),
        now in 0i64..3000,
        later in 1i64..3000,
        level in 0u8..12,
    ) {
        let t = fault(&pauses, None, level);
        let (a, b) = (restore(&t, plus(now)), restore(&t, plus(now + later)));
        if let (Some(a), Some(b)) = (a.due, b.due) {
            prop_assert!(b >= a);
        }
    }
}
