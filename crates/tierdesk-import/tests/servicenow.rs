//! The real ServiceNow log replayed through tierdesk's clocks, checked against
//! figures computed directly from the raw rows by independent code.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use tierdesk_core::{Engine, ObligationName, PauseReason};
use tierdesk_import::servicenow::{Options, import};

const LOG: &str = include_str!("data/servicenow-incident-events-sample.csv");

fn at(text: &str) -> Timestamp {
    let dt = jiff::civil::DateTime::strptime("%d-%m-%Y %H:%M", text).unwrap();
    jiff::tz::TimeZone::get("Asia/Shanghai")
        .unwrap()
        .to_timestamp(dt)
        .unwrap()
}

/// Per incident, straight from the rows: time spent in "Awaiting User Info"
/// before the first resolution, and whether the rows' times ever go backwards.
fn direct_figures() -> HashMap<String, (SignedDuration, bool)> {
    let mut rows: HashMap<String, Vec<(u64, String, Timestamp)>> = HashMap::new();
    let mut opened: HashMap<String, Timestamp> = HashMap::new();
    for line in LOG.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        rows.entry(f[0].to_owned()).or_default().push((
            f[5].parse().unwrap(),
            f[1].to_owned(),
            at(f[13]),
        ));
        opened.entry(f[0].to_owned()).or_insert_with(|| at(f[9]));
    }
    rows.into_iter()
        .map(|(number, mut list)| {
            list.sort_by_key(|r| r.0);
            let mut times = vec![opened[&number]];
            times.extend(list.iter().map(|r| r.2));
            let backwards = times.windows(2).any(|w| w[1] < w[0]);
            let mut waiting = SignedDuration::ZERO;
            let mut since: Option<Timestamp> = None;
            let mut state = "New".to_owned();
            for (_, s, t) in &list {
                if *s == state {
                    continue;
                }
                if let Some(start) = since.take() {
                    waiting += t.duration_since(start);
                }
                if s == "Resolved" || s == "Closed" {
                    break;
                }
                if s == "Awaiting User Info" {
                    since = Some(*t);
                }
                state.clone_from(s);
            }
            (number, (waiting, backwards))
        })
        .collect()
}

#[test]
fn every_incident_of_the_real_log_imports_as_a_consistent_fault_ticket() {
    let mut calls = Vec::new();
    let result = import(LOG, &Options::default(), |done, total| {
        calls.push((done, total))
    })
    .unwrap();
    assert_eq!(result.rows, 5_998);
    assert_eq!(
        result.tickets.len() + result.skipped.len(),
        890,
        "{:?}",
        result.skipped
    );
    assert!(result.skipped.is_empty(), "{:?}", result.skipped);
    assert_eq!(calls.last(), Some(&(890, 890)), "progress reaches the end");
}

#[test]
fn customer_paused_time_equals_the_time_the_log_spent_awaiting_user_info() {
    let result = import(LOG, &Options::default(), |_, _| {}).unwrap();
    let direct = direct_figures();
    let engine = Engine::default_engine();
    let now: Timestamp = "2018-01-01T00:00:00Z".parse().unwrap(); // after the last row
    let (mut compared, mut with_waits) = (0, 0);
    for ticket in &result.tickets {
        let (waiting, backwards) = direct[ticket.spec().id.as_str()];
        if backwards {
            continue; // the importer reorders such histories; the direct sum does not
        }
        let eval = engine.evaluate(ticket, now).unwrap();
        let restore = eval
            .obligations
            .iter()
            .find(|o| o.name == ObligationName::Restore)
            .unwrap();
        assert_eq!(
            restore.paused.get(PauseReason::Customer),
            waiting,
            "{}",
            ticket.spec().id
        );
        // Counted plus excluded time is the wall time from report to restoration.
        if let (Some(start), Some(met)) = (restore.start, restore.met_at) {
            assert_eq!(
                restore.counted.unwrap() + restore.paused.total(),
                met.duration_since(start),
                "{}",
                ticket.spec().id
            );
        }
        compared += 1;
        with_waits += usize::from(!waiting.is_zero());
    }
    assert!(compared > 800, "only {compared} incidents compared");
    assert!(
        with_waits > 100,
        "the log has many customer waits; saw {with_waits}"
    );
}

#[test]
fn a_malformed_row_is_reported_with_its_line() {
    let csv = "number,incident_state,sys_mod_count,opened_at,sys_updated_at,priority\nINC1,New,0,01-03-2016 09:00,2016-03-01 09:00,2 - High\n";
    let err = import(csv, &Options::default(), |_, _| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2: sys_updated_at: \"2016-03-01 09:00\" is not a time DD-MM-YYYY HH:MM"
    );
    let err = import("number,state\n", &Options::default(), |_, _| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1: the header has no `incident_state` column"
    );
}
