//! Policy files: the shipped ones are valid, and every mistake in a bad one is
//! reported with its line and column.

use tierdesk_core::*;

#[test]
fn the_shipped_default_policy_stands_alone_and_is_the_template() {
    let p = Policy::parse_standalone("policies/default.toml", DEFAULT_POLICY_TOML).unwrap();
    assert_eq!(
        p.id,
        PolicyRef {
            name: "group-customer-sla-template".into(),
            version: "2025.1".into()
        }
    );
    assert_eq!(p.time_zone_name, "Asia/Shanghai");
    assert!(
        p.provisioning.limit.is_none(),
        "the fragment gives no provisioning limits"
    );
    assert!(
        p.provisioning.resource_survey.is_none(),
        "resource survey comes from a sibling template, examples only"
    );
    assert!(
        p.maintenance.is_empty(),
        "maintenance frequencies are not in the fragment"
    );
}

#[test]
fn every_example_policy_in_the_repository_is_valid() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies/examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            Policy::parse(&path.display().to_string(), &text).unwrap_or_else(|e| panic!("{e}"));
            seen += 1;
        }
    }
    assert!(seen >= 1);
}

#[test]
fn all_errors_of_a_policy_file_are_reported_with_line_and_column() {
    let text = r#"[policy]
name = "acme"
version = "1"
extends = "default"

[fault.restore.city]
AAA = "2 hours"
AAAA = "PT1H"

[notice]
advance = { gold = "P3M" }
confirm_after = { gold = "yes" }
"#;
    let err = Policy::parse("acme.toml", text).unwrap_err();
    let lines: Vec<String> = err.0.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(
        lines[0].starts_with("acme.toml:7:7: `fault.restore.city.AAA`: invalid period \"2 hours\""),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("acme.toml:8:1: unknown key `AAAA` in `fault.restore.city`"),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        "acme.toml:11:20: `notice.advance.gold`: P3M is not allowed here; expected working days (\"4 working days\") or calendar days (\"P1D\")"
    );
    assert_eq!(
        lines[3],
        "acme.toml:12:26: `notice.confirm_after.gold` must be true or false"
    );
}

#[test]
fn a_standalone_policy_must_give_every_table() {
    let err = Policy::parse("p.toml", "[policy]\nname = \"p\"\nversion = \"1\"\n").unwrap_err();
    let text = err.to_string();
    for missing in [
        "`levels.default_assurance`",
        "`dispatch.accept`",
        "`fault.restore`",
        "`notice.advance`",
    ] {
        assert!(
            text.contains(&format!("missing {missing}")),
            "{missing} not reported in:\n{text}"
        );
    }
}

#[test]
fn pauses_cannot_stop_a_calendar_day_clock() {
    let err = Policy::parse(
        "p.toml",
        "[policy]\nname = \"p\"\nversion = \"1\"\nextends = \"default\"\n[change]\nsuspend = \"P3D\"\n",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "p.toml:6:11: `change.suspend`: P3D is not allowed here; expected working days, such as \"3 working days\""
    );
}

#[test]
fn extending_the_default_overrides_only_what_is_written() {
    let p = Policy::parse(
        "p.toml",
        r#"
[policy]
name = "acme"
version = "2026.1"
extends = "default"
time_zone = "Asia/Urumqi"

[fault.progress_feedback]
silver = "PT45M"

[provisioning.limit.dedicated_line]
city = { gold = "10 working days", silver = "12 working days", bronze = "15 working days", standard = "15 working days" }
cross_city = { gold = "15 working days", silver = "17 working days", bronze = "20 working days", standard = "20 working days" }
cross_province = { gold = "20 working days", silver = "22 working days", bronze = "25 working days", standard = "25 working days" }
[provisioning.limit.overlay]
city = { gold = "3 working days", silver = "3 working days", bronze = "5 working days", standard = "5 working days" }
cross_city = { gold = "5 working days", silver = "5 working days", bronze = "7 working days", standard = "7 working days" }
cross_province = { gold = "5 working days", silver = "5 working days", bronze = "7 working days", standard = "7 working days" }
"#,
    )
    .unwrap();
    assert_eq!(p.time_zone_name, "Asia/Urumqi");
    assert_eq!(
        *p.fault.progress_feedback.get(CustomerLevel::Silver),
        Some(jiff::SignedDuration::from_mins(45))
    );
    assert_eq!(
        *p.fault.progress_feedback.get(CustomerLevel::Gold),
        Some(jiff::SignedDuration::from_mins(30))
    );
    let limit = p.provisioning.limit.as_ref().unwrap();
    assert_eq!(
        limit
            .get(Category::Overlay)
            .get(Scope::City)
            .get(CustomerLevel::Bronze)
            .to_string(),
        "5 working days"
    );
}

#[test]
fn an_unknown_time_zone_is_named() {
    let err = Policy::parse("p.toml", "[policy]\nname = \"p\"\nversion = \"1\"\nextends = \"default\"\ntime_zone = \"Asia/Peking\"\n").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("p.toml:5:13: `policy.time_zone`: unknown time zone \"Asia/Peking\""),
        "{err}"
    );
}
