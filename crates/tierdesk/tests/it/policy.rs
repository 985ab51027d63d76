use crate::{file, path, tierdesk};

#[test]
fn policy_check_accepts_the_shipped_policy_printed_by_policy_default() {
    let printed = tierdesk(&["policy", "default"]);
    assert_eq!(printed.code, 0);
    let f = file(&printed.stdout);
    let run = tierdesk(&["policy", "check", path(&f)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("policy group-customer-sla-template version 2025.1 is valid"),
        "{}",
        run.stdout
    );
}

#[test]
fn policy_check_reports_every_error_with_line_and_column() {
    let f = file(
        "[policy]\nname = \"x\"\nversion = \"1\"\nextends = \"default\"\n[dispatch]\naccept = \"ten minutes\"\n[fault.progress_feedback]\ngold = \"often\"\n",
    );
    let run = tierdesk(&["policy", "check", path(&f)]);
    assert_eq!(run.code, 2);
    let p = path(&f);
    assert!(
        run.stderr.contains(&format!(
            "{p}:6:10: `dispatch.accept`: invalid period \"ten minutes\""
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "{p}:8:8: `fault.progress_feedback.gold`: expected a cadence"
        )),
        "{}",
        run.stderr
    );
}
