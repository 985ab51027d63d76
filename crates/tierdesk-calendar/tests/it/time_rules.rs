//! The worked examples of SPEC.md's time rules and the table edge cases.

use jiff::SignedDuration;
use tierdesk_calendar::{Calendar, CalendarError, Due, Pause, Roll, Schedule, Target, TimeRules};

use crate::at;

fn rules() -> TimeRules {
    TimeRules::with_schedules(&[
        "09:00-18:00".parse().unwrap(),
        "09:00-12:00,13:30-18:00".parse().unwrap(),
    ])
}

fn due_at(target: Target, start: &str, pauses: &[Pause]) -> String {
    match rules().due(&target, at(start), pauses).unwrap() {
        Due::At(t) => t
            .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        Due::Paused { .. } => "paused".to_owned(),
    }
}

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

#[test]
fn spec_example_order_issued_friday_before_national_day_is_due_tuesday_midnight() {
    assert_eq!(
        due_at(Target::WorkingDays(3), "2025-09-26T15:00:00+08:00", &[]),
        "2025-10-01T00:00:00+08:00"
    );
}

#[test]
fn spec_example_seven_working_days_notice_before_monday_2025_10_20_is_friday_10_10() {
    let by = rules()
        .notice_deadline(at("2025-10-20T09:00:00+08:00"), 7)
        .unwrap();
    assert_eq!(by, at("2025-10-11T00:00:00+08:00"));
}

#[test]
fn working_day_clock_does_not_count_the_start_day_even_at_midnight() {
    // Started at 00:00 of a working day: that day still does not count.
    assert_eq!(
        due_at(Target::WorkingDays(1), "2025-09-29T00:00:00+08:00", &[]),
        "2025-10-01T00:00:00+08:00"
    );
    // Started on a holiday: the first working day after it is day one.
    assert_eq!(
        due_at(Target::WorkingDays(1), "2025-10-03T10:00:00+08:00", &[]),
        "2025-10-10T00:00:00+08:00"
    );
}

#[test]
fn working_day_clock_is_pushed_by_paused_working_time_only() {
    // Paused across the whole holiday: only the paused working time (Sep 30) pushes it.
    let pause = Pause {
        start: at("2025-09-30T00:00:00+08:00"),
        end: Some(at("2025-10-09T00:00:00+08:00")),
    };
    assert_eq!(
        due_at(
            Target::WorkingDays(3),
            "2025-09-26T15:00:00+08:00",
            &[pause]
        ),
        "2025-10-10T00:00:00+08:00"
    );
    // A pause during the start day changes nothing: that day never counts.
    let pause = Pause {
        start: at("2025-09-26T16:00:00+08:00"),
        end: Some(at("2025-09-26T23:00:00+08:00")),
    };
    assert_eq!(
        due_at(
            Target::WorkingDays(3),
            "2025-09-26T15:00:00+08:00",
            &[pause]
        ),
        "2025-10-01T00:00:00+08:00"
    );
}

#[test]
fn hour_clock_due_is_pushed_by_each_pause_and_stops_on_an_open_one() {
    let target = Target::Clock {
        amount: hours(4),
        schedule: Schedule::Always,
    };
    let pauses = [
        Pause {
            start: at("2025-09-30T17:00:00+08:00"),
            end: Some(at("2025-09-30T18:00:00+08:00")),
        },
        Pause {
            start: at("2025-09-30T19:00:00+08:00"),
            end: Some(at("2025-09-30T19:30:00+08:00")),
        },
    ];
    assert_eq!(
        due_at(target, "2025-09-30T16:00:00+08:00", &pauses),
        "2025-09-30T21:30:00+08:00"
    );
    let open = [Pause {
        start: at("2025-09-30T17:00:00+08:00"),
        end: None,
    }];
    let due = rules()
        .due(&target, at("2025-09-30T16:00:00+08:00"), &open)
        .unwrap();
    assert_eq!(
        due,
        Due::Paused {
            since: at("2025-09-30T17:00:00+08:00"),
            remaining: hours(3)
        }
    );
    // A pause that starts after the clock is due changes nothing.
    let late = [Pause {
        start: at("2025-09-30T21:00:00+08:00"),
        end: None,
    }];
    assert_eq!(
        due_at(target, "2025-09-30T16:00:00+08:00", &late),
        "2025-09-30T20:00:00+08:00"
    );
}

#[test]
fn business_hours_clock_skips_nights_lunch_holidays_and_counts_makeup_days() {
    let bh = Target::Clock {
        amount: hours(4),
        schedule: "09:00-18:00".parse().unwrap(),
    };
    // Tuesday 30 Sep 16:00: two hours that day, then the holiday, then Thu 9 Oct 09:00 + 2h.
    assert_eq!(
        due_at(bh, "2025-09-30T16:00:00+08:00", &[]),
        "2025-10-09T11:00:00+08:00"
    );
    let lunch = Target::Clock {
        amount: hours(4),
        schedule: "09:00-12:00,13:30-18:00".parse().unwrap(),
    };
    assert_eq!(
        due_at(lunch, "2025-09-29T10:00:00+08:00", &[]),
        "2025-09-29T15:30:00+08:00"
    );
    // Exactly at the end of a window: due at 18:00, not at the next morning.
    let bh = Target::Clock {
        amount: hours(9),
        schedule: "09:00-18:00".parse().unwrap(),
    };
    assert_eq!(
        due_at(bh, "2025-09-29T08:00:00+08:00", &[]),
        "2025-09-29T18:00:00+08:00"
    );
}

#[test]
fn calendar_day_deadline_rolls_past_rest_days_by_default() {
    // Restored Thursday 2025-09-25: +7 days is Thursday 2025-10-02, a holiday: rolls to Thursday 10-09.
    let t = Target::Days {
        days: 7,
        roll: Roll::NextWorkingDay,
    };
    assert_eq!(
        due_at(t, "2025-09-25T10:00:00+08:00", &[]),
        "2025-10-10T00:00:00+08:00"
    );
    let t = Target::Days {
        days: 7,
        roll: Roll::None,
    };
    assert_eq!(
        due_at(t, "2025-09-25T10:00:00+08:00", &[]),
        "2025-10-03T00:00:00+08:00"
    );
    // A plain Saturday: HolidaysOnly leaves it, NextWorkingDay moves it to Monday.
    let t = Target::Days {
        days: 2,
        roll: Roll::HolidaysOnly,
    };
    assert_eq!(
        due_at(t, "2025-11-20T10:00:00+08:00", &[]),
        "2025-11-23T00:00:00+08:00"
    );
    let t = Target::Days {
        days: 2,
        roll: Roll::NextWorkingDay,
    };
    assert_eq!(
        due_at(t, "2025-11-20T10:00:00+08:00", &[]),
        "2025-11-25T00:00:00+08:00"
    );
}

#[test]
fn month_deadline_clamps_to_the_last_day_of_a_short_month() {
    assert_eq!(
        due_at(Target::Months(3), "2025-11-30T10:00:00+08:00", &[]),
        "2026-03-01T00:00:00+08:00"
    );
    assert_eq!(
        due_at(Target::Months(1), "2025-08-31T10:00:00+08:00", &[]),
        "2025-10-01T00:00:00+08:00"
    );
    assert_eq!(
        due_at(Target::Months(3), "2025-01-15T23:59:00+08:00", &[]),
        "2025-04-16T00:00:00+08:00"
    );
    assert_eq!(
        due_at(Target::Months(3), "2023-11-30T10:00:00+08:00", &[]),
        "2024-03-01T00:00:00+08:00"
    );
    assert_eq!(
        due_at(Target::Months(1), "2024-01-31T10:00:00+08:00", &[]),
        "2024-03-01T00:00:00+08:00"
    );
}

#[test]
fn days_are_judged_in_the_policy_time_zone_not_utc() {
    // 2025-09-30T17:00Z is already 1 October in Beijing: a holiday.
    let rules = rules();
    assert_eq!(
        rules.local_date(at("2025-09-30T17:00:00Z")).unwrap(),
        jiff::civil::date(2025, 10, 1)
    );
    let utc = TimeRules::new(
        std::sync::Arc::new(Calendar::chinese_statutory().clone()),
        jiff::tz::TimeZone::UTC,
        &[],
    )
    .unwrap();
    assert_eq!(
        utc.local_date(at("2025-09-30T17:00:00Z")).unwrap(),
        jiff::civil::date(2025, 9, 30)
    );
}

#[test]
fn arithmetic_beyond_the_tables_is_an_error_not_a_guess() {
    let cal = Calendar::chinese_statutory();
    assert!(matches!(
        cal.add_working_days(jiff::civil::date(2100, 12, 30), 5),
        Err(CalendarError::OutOfRange { .. })
    ));
    assert!(matches!(
        cal.day(jiff::civil::date(1999, 12, 31)),
        Err(CalendarError::OutOfRange { .. })
    ));
    let err = rules()
        .due(&Target::WorkingDays(3), at("1999-01-01T00:00:00Z"), &[])
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("outside the calendar's range 2000-01-01..=2100-12-31"),
        "{err}"
    );
}

#[test]
fn counted_time_on_whole_working_days_skips_weekends_and_holidays() {
    let r = rules();
    let c = r
        .counted(
            Schedule::WorkingDays,
            at("2025-09-26T00:00:00+08:00"),
            at("2025-10-13T00:00:00+08:00"),
        )
        .unwrap();
    // Fri 26, Sun 28 (make-up), Mon 29, Tue 30, Thu 9, Fri 10, Sat 11 (make-up) = 7 days.
    assert_eq!(c, hours(7 * 24));
}

#[test]
fn a_day_table_lookup_names_make_up_days_as_the_issue_shows() {
    let cal = Calendar::chinese_statutory();
    let day = cal.day(jiff::civil::date(2025, 9, 28)).unwrap();
    assert_eq!(
        day.name_en().as_deref(),
        Some("National Day (make-up working day)")
    );
    assert_eq!(day.name_zh().as_deref(), Some("国庆节（调休上班）"));
}
