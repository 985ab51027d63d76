//! Calendar files written by operators: errors with line and column, nothing half-loaded.

use jiff::civil::date;
use tierdesk_calendar::{Calendar, CalendarBuilder, DayKind, Loaded};

fn load_err(name: &str, text: &str) -> String {
    let mut b = CalendarBuilder::chinese_statutory("t");
    let err = b.load(name, text).unwrap_err().to_string();
    // Nothing of a rejected file is applied.
    let built = b.build();
    let shipped = Calendar::chinese_statutory();
    for d in built.days(date(2024, 1, 1), date(2027, 12, 31)).unwrap() {
        assert_eq!(
            d.kind,
            shipped.day(d.date).unwrap().kind,
            "{} changed by a rejected file",
            d.date
        );
    }
    err
}

#[test]
fn operator_toml_errors_are_all_reported_with_line_and_column() {
    let err = load_err(
        "branch.toml",
        "[[day]]\ndate = \"2025-13-01\"\nworkday = false\nname = \"x\"\n\n[[day]]\ndate = \"2025-06-03\"\nworkday = \"no\"\nname = \"y\"\ncolour = 1\n",
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("branch.toml:2:8: `day[0].date`: \"2025-13-01\" is not a date"),
        "{err}"
    );
    assert_eq!(
        lines[1],
        "branch.toml:8:11: `day[1].workday` must be true or false"
    );
    assert!(
        lines[2].starts_with("branch.toml:10:1: unknown key `colour` in `day[1]`"),
        "{err}"
    );
}

#[test]
fn toml_syntax_error_is_positioned() {
    let err = load_err("x.toml", "[[day]]\ndate = 2025-06-03\"\n");
    assert!(err.starts_with("x.toml:2:"), "{err}");
    assert!(err.contains("invalid TOML"), "{err}");
}

#[test]
fn statutory_year_file_for_a_new_year_is_loaded_and_counts_as_official() {
    let mut b = CalendarBuilder::chinese_statutory("cn+2027");
    let loaded = b
        .load(
            "2027.toml",
            r#"
year = 2027
[[holiday]]
name = "National Day"
name_zh = "国庆节"
off = ["2027-10-01..2027-10-07"]
work = ["2027-09-26", "2027-10-09"]
"#,
        )
        .unwrap();
    assert_eq!(
        loaded,
        Loaded::StatutoryYear {
            year: 2027,
            days: 9
        }
    );
    let cal = b.build();
    assert!(cal.is_official_year(2027));
    assert_eq!(
        cal.day(date(2027, 9, 26)).unwrap().kind,
        DayKind::MakeupWorkday
    );
    assert_eq!(cal.day(date(2027, 10, 4)).unwrap().kind, DayKind::Holiday);
}

#[test]
fn a_make_up_day_on_a_weekday_is_rejected() {
    let err = load_err(
        "2027.toml",
        "year = 2027\n[[holiday]]\nname = \"X\"\nname_zh = \"X\"\noff = []\nwork = [\"2027-09-27\"]\n",
    );
    assert_eq!(
        err,
        "2027.toml:6:9: 2027-09-27 is a Monday, already a working day: a make-up working day must fall on a weekend"
    );
}

#[test]
fn ics_calendar_adds_rest_days_and_make_up_days() {
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250602\r\nDTEND;VALUE=DATE:20250604\r\nSUMMARY:Branch move\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250607\r\nSUMMARY:搬迁补班\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let mut b = CalendarBuilder::chinese_statutory("cn+ics");
    assert_eq!(
        b.load("branch.ics", ics).unwrap(),
        Loaded::OperatorDays { days: 3 }
    );
    let cal = b.build();
    assert_eq!(
        cal.day(date(2025, 6, 2)).unwrap().kind,
        DayKind::OperatorRestDay
    );
    assert_eq!(
        cal.day(date(2025, 6, 3)).unwrap().kind,
        DayKind::OperatorRestDay
    );
    assert_eq!(cal.day(date(2025, 6, 4)).unwrap().kind, DayKind::Weekday);
    assert_eq!(
        cal.day(date(2025, 6, 7)).unwrap().kind,
        DayKind::OperatorWorkday
    );
    assert_eq!(
        cal.day(date(2025, 6, 7)).unwrap().name_zh().as_deref(),
        Some("搬迁补班")
    );
}

#[test]
fn ics_errors_name_the_line() {
    let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:2025-06-02\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n";
    let err = load_err("b.ics", ics);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        "b.ics:3:1: DTSTART must be a date (VALUE=DATE, YYYYMMDD), not \"2025-06-02\""
    );
    assert_eq!(lines[2], "b.ics:5:1: this VEVENT has no DTSTART");
}

#[test]
fn operator_days_override_statutory_days() {
    let mut b = CalendarBuilder::chinese_statutory("cn+ops");
    b.load(
        "o.toml",
        "[[day]]\ndate = \"2025-10-08\"\nworkday = true\nname = \"On duty\"\n",
    )
    .unwrap();
    let cal = b.build();
    assert_eq!(
        cal.day(date(2025, 10, 8)).unwrap().kind,
        DayKind::OperatorWorkday
    );
    assert_eq!(
        cal.add_working_days(date(2025, 9, 30), 1).unwrap(),
        date(2025, 10, 8)
    );
}
