//! The shipped statutory calendar against an independent source: the `chinesecalendar`
//! Python package (1.11.0), exported by scripts/calendar/export_reference.py.
//! Deliberate differences, each backed by a notice, are listed in reference-deviations.csv.

use std::collections::HashMap;

use jiff::civil::Date;
use tierdesk_calendar::{Calendar, DayKind};

const REFERENCE: &str = include_str!("../data/reference-chinesecalendar-1.11.0.csv");
const DEVIATIONS: &str = include_str!("../data/reference-deviations.csv");

fn deviations() -> HashMap<Date, bool> {
    DEVIATIONS
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut fields = line.splitn(3, ',');
            let date: Date = fields.next().unwrap().parse().unwrap();
            let workday = fields.next().unwrap() == "true";
            (date, workday)
        })
        .collect()
}

#[test]
fn every_day_2004_to_2026_agrees_with_chinesecalendar_except_documented_deviations() {
    let cal = Calendar::chinese_statutory();
    let deviations = deviations();
    let mut disagreements = Vec::new();
    let mut rows = 0;
    for line in REFERENCE.lines().skip(1) {
        let mut fields = line.split(',');
        let date: Date = fields.next().unwrap().parse().unwrap();
        let reference_workday = fields.next().unwrap() == "true";
        let holiday = fields.next().unwrap_or("");
        rows += 1;
        let expected = deviations.get(&date).copied().unwrap_or(reference_workday);
        let day = cal.day(date).unwrap();
        if day.is_workday() != expected {
            disagreements.push(format!(
                "{date}: ours {:?}, reference workday={expected}",
                day.kind
            ));
        }
        if !holiday.is_empty() && !deviations.contains_key(&date) && day.kind != DayKind::Holiday {
            disagreements.push(format!(
                "{date}: reference says holiday {holiday:?}, ours {:?}",
                day.kind
            ));
        }
    }
    assert_eq!(rows, 8401, "the reference covers 2004-01-01..=2026-12-31");
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

#[test]
fn deviations_are_few_and_each_one_differs_from_the_reference() {
    let deviations = deviations();
    assert!(
        deviations.len() <= 3,
        "a long deviation list means the data is suspect"
    );
    for (date, workday) in deviations {
        let line = REFERENCE
            .lines()
            .find(|l| l.starts_with(&date.to_string()))
            .unwrap();
        assert_ne!(
            line.contains(",true,"),
            workday,
            "{date} is listed as a deviation but agrees"
        );
    }
}

#[test]
fn official_years_are_2004_through_2026_and_others_are_provisional() {
    let cal = Calendar::chinese_statutory();
    assert_eq!(cal.official_years(), (2004..=2026).collect::<Vec<i16>>());
    let d = cal.day(jiff::civil::date(2027, 10, 1)).unwrap();
    assert!(d.provisional && d.kind == DayKind::Weekday);
    assert!(!cal.day(jiff::civil::date(2026, 10, 1)).unwrap().provisional);
}

#[test]
fn every_year_has_spring_festival_and_national_day_off() {
    let cal = Calendar::chinese_statutory();
    for year in 2004..=2026 {
        let days: Vec<_> = cal
            .days(
                jiff::civil::date(year, 1, 1),
                jiff::civil::date(year, 12, 31),
            )
            .unwrap()
            .filter(|d| d.kind == DayKind::Holiday)
            .filter_map(|d| d.holiday.map(|h| h.en.clone()))
            .collect();
        for name in ["Spring Festival", "National Day", "Labour Day"] {
            assert!(days.iter().any(|n| n == name), "{year} lacks {name}");
        }
    }
}
