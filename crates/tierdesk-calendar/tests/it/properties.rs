//! Property tests: the O(1) tables agree with day-by-day loops, round trips hold,
//! deadlines are monotone and pauses never make a deadline earlier.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use tierdesk_calendar::{Calendar, Due, Pause, Schedule, Target, TimeRules};

fn date_in_range() -> impl Strategy<Value = Date> {
    (0i64..(365 * 25)).prop_map(|d| {
        jiff::civil::date(2003, 1, 1)
            .checked_add(jiff::Span::new().days(d))
            .unwrap()
    })
}

fn instant_in_range() -> impl Strategy<Value = Timestamp> {
    (1_041_350_400i64..1_800_000_000).prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn naive_add(cal: &Calendar, mut d: Date, n: i32) -> Date {
    let step = if n >= 0 { 1 } else { -1 };
    let mut left = n.abs();
    while left > 0 {
        d = if step > 0 {
            d.tomorrow().unwrap()
        } else {
            d.yesterday().unwrap()
        };
        if cal.is_workday(d).unwrap() {
            left -= 1;
        }
    }
    d
}

fn rules() -> &'static TimeRules {
    static RULES: std::sync::OnceLock<TimeRules> = std::sync::OnceLock::new();
    RULES.get_or_init(|| TimeRules::with_schedules(&["09:00-12:00,13:30-18:00".parse().unwrap()]))
}

fn due(target: Target, start: Timestamp, pauses: &[Pause]) -> Timestamp {
    match rules().due(&target, start, pauses).unwrap() {
        Due::At(t) => t,
        Due::Paused { .. } => Timestamp::MAX,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn add_working_days_matches_a_day_by_day_loop(d in date_in_range(), n in -60i32..60) {
        let cal = Calendar::chinese_statutory();
        prop_assert_eq!(cal.add_working_days(d, n).unwrap(), naive_add(cal, d, n));
    }

    #[test]
    fn adding_n_working_days_then_counting_back_gives_n(d in date_in_range(), n in 0i32..200) {
        let cal = Calendar::chinese_statutory();
        let later = cal.add_working_days(d, n).unwrap();
        prop_assert_eq!(cal.working_days_between(d, later).unwrap(), i64::from(n));
        prop_assert!(n == 0 || cal.is_workday(later).unwrap());
    }

    #[test]
    fn add_working_days_is_monotone_in_date_and_count(d in date_in_range(), e in date_in_range(), n in 0i32..100) {
        let cal = Calendar::chinese_statutory();
        let (lo, hi) = if d <= e { (d, e) } else { (e, d) };
        prop_assert!(cal.add_working_days(lo, n).unwrap() <= cal.add_working_days(hi, n).unwrap());
        prop_assert!(cal.add_working_days(d, n).unwrap() <= cal.add_working_days(d, n + 1).unwrap());
    }

    #[test]
    fn counted_time_after_adding_is_exactly_the_amount(start in instant_in_range(), minutes in 0i64..20_000) {
        for schedule in [Schedule::Always, Schedule::WorkingDays, "09:00-12:00,13:30-18:00".parse().unwrap()] {
            let amount = SignedDuration::from_mins(minutes);
            let end = rules().add(schedule, start, amount).unwrap();
            prop_assert_eq!(rules().counted(schedule, start, end).unwrap(), amount);
            // Earliest: a second earlier the amount has not yet run.
            if minutes > 0 {
                let before = end.checked_sub(SignedDuration::from_secs(1)).unwrap();
                prop_assert!(rules().counted(schedule, start, before).unwrap() < amount);
            }
        }
    }

    #[test]
    fn counted_time_is_additive(a in instant_in_range(), b in instant_in_range(), c in instant_in_range()) {
        let mut v = [a, b, c];
        v.sort();
        for schedule in [Schedule::WorkingDays, "09:00-12:00,13:30-18:00".parse().unwrap()] {
            let whole = rules().counted(schedule, v[0], v[2]).unwrap();
            let parts = rules().counted(schedule, v[0], v[1]).unwrap() + rules().counted(schedule, v[1], v[2]).unwrap();
            prop_assert_eq!(whole, parts);
        }
    }

    #[test]
    fn pauses_never_make_a_deadline_earlier(
        start in instant_in_range(),
        hours in 1i64..100,
        days in 0u32..15,
        gaps in proptest::collection::vec((0i64..50_000, 1i64..200_000), 0..5),
    ) {
        let mut pauses = Vec::new();
        let mut t = start;
        for (gap, len) in gaps {
            let s = t.checked_add(SignedDuration::from_secs(gap)).unwrap();
            let e = s.checked_add(SignedDuration::from_secs(len)).unwrap();
            pauses.push(Pause { start: s, end: Some(e) });
            t = e;
        }
        for target in [
            Target::Clock { amount: SignedDuration::from_hours(hours), schedule: Schedule::Always },
            Target::Clock { amount: SignedDuration::from_hours(hours), schedule: "09:00-12:00,13:30-18:00".parse().unwrap() },
            Target::WorkingDays(days),
        ] {
            let plain = due(target, start, &[]);
            let mut previous = plain;
            // Adding pauses one by one only ever pushes the deadline later.
            for k in 1..=pauses.len() {
                let with = due(target, start, &pauses[..k]);
                prop_assert!(with >= previous, "{target:?}: {with} < {previous} with {} pauses", k);
                previous = with;
            }
        }
    }

    #[test]
    fn working_day_deadline_is_the_end_of_a_working_day(start in instant_in_range(), n in 1u32..40) {
        let t = due(Target::WorkingDays(n), start, &[]);
        let r = rules();
        let last_day = r.local_date(t.checked_sub(SignedDuration::from_secs(1)).unwrap()).unwrap();
        prop_assert_eq!(r.end_of_day(last_day).unwrap(), t);
        prop_assert!(r.calendar().is_workday(last_day).unwrap());
        prop_assert_eq!(r.calendar().working_days_between(r.local_date(start).unwrap(), last_day).unwrap(), i64::from(n));
    }
}

#[test]
fn every_day_2004_to_2026_working_day_ranks_are_consistent() {
    // Exhaustive: for every day, +1 working day is the next working day found by a loop.
    let cal = Calendar::chinese_statutory();
    let mut d = jiff::civil::date(2004, 1, 1);
    while d.year() <= 2026 {
        assert_eq!(
            cal.add_working_days(d, 1).unwrap(),
            naive_add(cal, d, 1),
            "{d}"
        );
        assert_eq!(
            cal.add_working_days(d, -1).unwrap(),
            naive_add(cal, d, -1),
            "{d}"
        );
        d = d.tomorrow().unwrap();
    }
}
