use crate::{file, path, tierdesk};

const ISSUE_EXAMPLE: &str = r#"{"id":"F-1","kind":"fault","customer_level":"gold","assurance_level":"AAA",
 "category":"dedicated_line","scope":"cross_province",
 "events":[{"at":"2025-09-30T16:00:00+08:00","type":"reported"},
           {"at":"2025-09-30T16:03:00+08:00","type":"dispatched","to":"ops"},
           {"at":"2025-09-30T16:09:00+08:00","type":"accepted","by":"ops"},
           {"at":"2025-09-30T17:00:00+08:00","type":"paused","reason":"customer"},
           {"at":"2025-09-30T18:00:00+08:00","type":"resumed"},
           {"at":"2025-09-30T16:30:00+08:00","type":"feedback"},
           {"at":"2025-09-30T21:00:00+08:00","type":"restored"}]}"#;

fn evaluate_json(ticket: &str, at: &str) -> serde_json::Value {
    let f = file(ticket);
    let run = tierdesk(&["sla", "evaluate", path(&f), "--at", at, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn the_issue_example_evaluates_as_documented() {
    let out = evaluate_json(ISSUE_EXAMPLE, "2025-10-01T12:00:00+08:00");
    assert_eq!(out["id"], "F-1");
    assert_eq!(out["policy"]["name"], "group-customer-sla-template");
    assert_eq!(out["policy"]["version"], "2025.1");
    let restore = out["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "restore")
        .unwrap();
    assert_eq!(restore["state"], "met");
    assert_eq!(restore["target"], "PT4H");
    assert_eq!(restore["start"], "2025-09-30T16:00:00+08:00");
    assert_eq!(restore["due"], "2025-09-30T21:00:00+08:00");
    assert_eq!(restore["met_at"], "2025-09-30T21:00:00+08:00");
    assert_eq!(restore["counted"], "PT4H");
    assert_eq!(restore["paused"], serde_json::json!({"customer": "PT1H"}));
    assert_eq!(restore["lateness"], serde_json::Value::Null);
    let names: Vec<&str> = out["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "accept",
            "restore",
            "progress_feedback",
            "restoration_feedback",
            "written_report"
        ]
    );
}

#[test]
fn bad_input_exits_2_naming_the_field_the_ticket_and_the_line() {
    let bad = ISSUE_EXAMPLE.replace(
        r#""type":"resumed""#,
        r#""type":"resumed","reason":"customer""#,
    );
    let f = file(&bad);
    let run = tierdesk(&[
        "sla",
        "evaluate",
        path(&f),
        "--at",
        "2025-10-01T12:00:00+08:00",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("ticket F-1, line 7 column 12"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("field events[4]: a resumed event does not take `reason`"),
        "{}",
        run.stderr
    );

    let bad = ISSUE_EXAMPLE.replace(
        r#""customer_level":"gold""#,
        r#""customer_level":"platinum""#,
    );
    let run = tierdesk(&[
        "sla",
        "evaluate",
        path(&file(&bad)),
        "--at",
        "2025-10-01T12:00:00+08:00",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("ticket F-1, line 1 column 54, field customer_level: unknown customer level \"platinum\""), "{}", run.stderr);

    let bad = ISSUE_EXAMPLE.replace("2025-09-30T17:00:00+08:00", "2025-09-30 17h");
    let run = tierdesk(&["sla", "evaluate", path(&file(&bad))]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("line 6 column")
            && run
                .stderr
                .contains("field events[3].at: \"2025-09-30 17h\" is not an RFC 3339 instant"),
        "{}",
        run.stderr
    );

    let bad = ISSUE_EXAMPLE.replace(
        r#"{"at":"2025-09-30T17:00:00+08:00","type":"paused","reason":"customer"},"#,
        "",
    );
    let run = tierdesk(&["sla", "evaluate", path(&file(&bad))]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "ticket F-1, line 7 column 12, field events[3].type: resumed without an open pause"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn batch_reports_a_bad_line_and_still_evaluates_the_rest() {
    let good = ISSUE_EXAMPLE.replace('\n', "");
    let wrong_kind = good.replace(
        r#""id":"F-1","kind":"fault""#,
        r#""id":"C-2","kind":"complaint""#,
    );
    let lines = format!("{good}\n{wrong_kind}\n\n{}\n", good.replace("F-1", "F-3"));
    let f = file(&lines);
    let run = tierdesk(&[
        "sla",
        "evaluate",
        path(&f),
        "--batch",
        "--json",
        "--at",
        "2025-10-01T12:00:00+08:00",
    ]);
    assert_eq!(run.code, 2);
    let out: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["id"], "F-1");
    assert_eq!(out[1]["line"], 2);
    assert_eq!(out[1]["id"], "C-2");
    assert_eq!(out[1]["error"]["field"], "events[6].type");
    assert_eq!(out[2]["id"], "F-3");
    assert!(
        run.stderr
            .contains(&format!("{}:2: ticket C-2, column", path(&f))),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("a complaint ticket does not take `restored` events"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_ticket_keeps_the_policy_version_it_started_under() {
    let v2 = file(
        "[policy]\nname = \"group-customer-sla-template\"\nversion = \"2026.1\"\nextends = \"default\"\n[fault.restore.cross_province]\nAAA = \"PT3H\"\n",
    );
    let old = ISSUE_EXAMPLE.replacen(
        r#""id":"F-1","#,
        r#""id":"F-1","policy":{"name":"group-customer-sla-template","version":"2025.1"},"#,
        1,
    );
    let lines = format!(
        "{}\n{}\n",
        old.replace('\n', ""),
        ISSUE_EXAMPLE.replace('\n', "")
    );
    let tickets = file(&lines);
    // Without the old version loaded the ticket is refused with a clear message.
    let run = tierdesk(&[
        "sla",
        "evaluate",
        path(&tickets),
        "--batch",
        "--json",
        "--at",
        "2025-10-01T12:00:00+08:00",
        "--policy",
        path(&v2),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "opened under policy group-customer-sla-template 2025.1, which is not loaded"
        ),
        "{}",
        run.stderr
    );
    // With both loaded, each ticket uses its own; tickets without a version use the last one given.
    let v1 = file(&tierdesk(&["policy", "default"]).stdout);
    let run = tierdesk(&[
        "sla",
        "evaluate",
        path(&tickets),
        "--batch",
        "--json",
        "--at",
        "2025-10-01T12:00:00+08:00",
        "--policy",
        path(&v1),
        "--policy",
        path(&v2),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out[0]["policy"]["version"], "2025.1");
    assert_eq!(out[0]["obligations"][1]["target"], "PT4H");
    assert_eq!(out[1]["policy"]["version"], "2026.1");
    assert_eq!(out[1]["obligations"][1]["target"], "PT3H");
}

#[test]
fn the_table_output_marks_breaches() {
    let run = tierdesk(&[
        "sla",
        "evaluate",
        path(&file(ISSUE_EXAMPLE)),
        "--at",
        "2025-10-01T12:00:00+08:00",
    ]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with(" ! progress_feedback")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("paused (customer) 1h"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_servicenow_log_imports_and_evaluates_end_to_end() {
    let log = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tierdesk-import/tests/data/servicenow-incident-events-sample.csv"
    );
    let run = tierdesk(&["import", "servicenow", log]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 890);
    assert!(
        run.stderr.contains("5998 rows, 890 tickets"),
        "{}",
        run.stderr
    );
    let tickets = file(&run.stdout);
    let run = tierdesk(&[
        "sla",
        "evaluate",
        path(&tickets),
        "--batch",
        "--json",
        "--at",
        "2018-01-01T00:00:00+08:00",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let evaluations: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(evaluations.len(), 890);
    let restores = evaluations.iter().filter_map(|e| {
        e["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == "restore")
    });
    let states: std::collections::BTreeSet<String> = restores
        .map(|o| o["state"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        states.contains("met") && states.contains("breached"),
        "{states:?}"
    );
}
