use crate::{file, path, tierdesk, tierdesk_with_stdin};

#[test]
fn calendar_days_json_names_make_up_days_as_the_issue_shows() {
    let run = tierdesk(&["calendar", "days", "2025-09-28", "2025-10-11", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let days: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(days[0]["date"], "2025-09-28");
    assert_eq!(days[0]["workday"], true);
    assert_eq!(days[0]["name"], "National Day (make-up working day)");
    assert_eq!(days[0]["name_zh"], "国庆节（调休上班）");
    assert_eq!(days[3]["date"], "2025-10-01");
    assert_eq!(days[3]["workday"], false);
    assert_eq!(days[3]["kind"], "holiday");
    assert_eq!(days.as_array().unwrap().len(), 14);
    assert_eq!(
        days[13]["workday"], true,
        "Saturday 2025-10-11 was a make-up working day"
    );
}

#[test]
fn calendar_days_table_marks_provisional_years() {
    let run = tierdesk(&["calendar", "days", "2027-01-01", "2027-01-01"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("provisional"), "{}", run.stdout);
}

#[test]
fn add_working_days_answers_the_spec_examples() {
    let run = tierdesk(&["calendar", "add-working-days", "2025-09-26", "3"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "2025-09-30\n"));
    let run = tierdesk(&["calendar", "add-working-days", "2025-10-20", "-7"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "2025-10-10\n"));
}

#[test]
fn add_working_days_batch_reads_stdin_and_reports_bad_lines_with_their_number() {
    let run = tierdesk_with_stdin(
        &["calendar", "add-working-days", "--batch", "-"],
        Some(b"2025-09-26,3\n2025-13-01,2\n2025-10-20,-7\n"),
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "2025-09-30\n\n2025-10-10\n");
    assert_eq!(
        run.stderr.trim(),
        "-:2: \"2025-13-01\" is not a date YYYY-MM-DD"
    );
}

#[test]
fn an_operator_calendar_file_changes_the_answer() {
    let ops = file("[[day]]\ndate = \"2025-09-29\"\nworkday = false\nname = \"Network freeze\"\n");
    let run = tierdesk(&[
        "calendar",
        "add-working-days",
        "2025-09-26",
        "3",
        "--calendar",
        path(&ops),
    ]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "2025-10-09\n"));
}

#[test]
fn a_bad_calendar_file_exits_2_with_line_and_column() {
    let ops = file("[[day]]\ndate = \"2025-09-29\"\nworkday = maybe\n");
    let run = tierdesk(&[
        "calendar",
        "days",
        "2025-09-29",
        "2025-09-29",
        "--calendar",
        path(&ops),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains(&format!("{}:3:11: invalid TOML", path(&ops))),
        "{}",
        run.stderr
    );
}

#[test]
fn dates_outside_the_tables_are_refused_not_guessed() {
    let run = tierdesk(&["calendar", "add-working-days", "1999-12-31", "1"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("outside the calendar's range"),
        "{}",
        run.stderr
    );
}
