//! ServiceNow incident audit logs (one row per update of an incident, as in the
//! public "Incident management process enriched event log").
//!
//! Each incident becomes a fault ticket:
//! - `reported` at `opened_at`;
//! - entering "Awaiting User Info" pauses with reason `customer` (time the
//!   customer caused), "Awaiting Vendor" with `interconnection` (a third party),
//!   any other "Awaiting …" with `other`; leaving it resumes;
//! - the first entry into "Resolved" is `restored`, "Closed" is `closed`;
//! - `priority` 1–4 gives both levels: Critical → gold/AAA, High → silver/AA,
//!   Moderate → bronze/A, Low → standard/ordinary.
//!
//! A row's state begins at its `sys_updated_at`. Rows are taken in `sys_mod_count`
//! order; an update stamped earlier than the one before it is moved up to that
//! one's time (counted in the report), so every history is consistent.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use tierdesk_core::{
    AssuranceLevel, CustomerLevel, Event, EventKind, PauseReason, Scope, Ticket, TicketKind,
    TicketSpec,
};

/// How to read the log.
#[derive(Debug, Clone)]
pub struct Options {
    /// Time zone of the log's local times.
    pub time_zone: TimeZone,
    /// Scope given to every ticket (the log has none).
    pub scope: Scope,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            time_zone: TimeZone::get("Asia/Shanghai").unwrap_or(TimeZone::UTC),
            scope: Scope::City,
        }
    }
}

/// What an import produced, and what it had to adjust or leave out.
#[derive(Debug, Clone)]
pub struct Import {
    /// One fault ticket per incident, in the order incidents first appear.
    pub tickets: Vec<Ticket>,
    /// Rows read.
    pub rows: usize,
    /// Events moved later to keep a history in time order.
    pub reordered_events: usize,
    /// Incidents left out, with why.
    pub skipped: Vec<(String, String)>,
}

/// A row that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ImportError {
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

struct Row {
    line: u64,
    mod_count: u64,
    state: String,
    updated: Timestamp,
}

struct Incident {
    number: String,
    opened: Timestamp,
    priority: String,
    rows: Vec<Row>,
}

fn parse_time(text: &str, tz: &TimeZone) -> Result<Timestamp, String> {
    let dt = DateTime::strptime("%d-%m-%Y %H:%M", text.trim())
        .map_err(|_| format!("{text:?} is not a time DD-MM-YYYY HH:MM"))?;
    tz.to_timestamp(dt).map_err(|e| format!("{text:?}: {e}"))
}

fn levels(priority: &str) -> Result<(CustomerLevel, AssuranceLevel), String> {
    match priority.split(" - ").next().map(str::trim) {
        Some("1") => Ok((CustomerLevel::Gold, AssuranceLevel::AAA)),
        Some("2") => Ok((CustomerLevel::Silver, AssuranceLevel::AA)),
        Some("3") => Ok((CustomerLevel::Bronze, AssuranceLevel::A)),
        Some("4") => Ok((CustomerLevel::Standard, AssuranceLevel::Ordinary)),
        _ => Err(format!(
            "unknown priority {priority:?}; expected \"1 - Critical\" to \"4 - Low\""
        )),
    }
}

fn pause_reason(state: &str) -> Option<PauseReason> {
    match state {
        "Awaiting User Info" => Some(PauseReason::Customer),
        "Awaiting Vendor" => Some(PauseReason::Interconnection),
        s if s.starts_with("Awaiting") => Some(PauseReason::Other),
        _ => None,
    }
}

/// Reads a ServiceNow incident log. `progress(done, total)` is called as incidents
/// are converted, for long imports.
///
/// # Errors
/// [`ImportError`] for a malformed file: not CSV, a missing column, a bad time
/// or number, with its line.
///
/// # Example
/// ```
/// use tierdesk_import::servicenow::{import, Options};
/// let csv = "number,incident_state,sys_mod_count,opened_at,sys_updated_at,priority\n\
///            INC1,New,0,01-03-2016 09:00,01-03-2016 09:00,2 - High\n\
///            INC1,Awaiting User Info,1,01-03-2016 09:30,01-03-2016 09:30,2 - High\n\
///            INC1,Resolved,2,01-03-2016 09:00,01-03-2016 11:00,2 - High\n";
/// let result = import(csv, &Options::default(), |_, _| {}).unwrap();
/// let names: Vec<_> = result.tickets[0].events().iter().map(|e| e.kind.name()).collect();
/// assert_eq!(names, ["reported", "paused", "resumed", "restored"]);
/// ```
pub fn import(
    text: &str,
    options: &Options,
    mut progress: impl FnMut(usize, usize),
) -> Result<Import, ImportError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ImportError {
            line: 1,
            message: e.to_string(),
        })?
        .clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| ImportError {
                line: 1,
                message: format!("the header has no `{name}` column"),
            })
    };
    let (c_number, c_state, c_mod) = (
        column("number")?,
        column("incident_state")?,
        column("sys_mod_count")?,
    );
    let (c_opened, c_updated, c_priority) = (
        column("opened_at")?,
        column("sys_updated_at")?,
        column("priority")?,
    );

    let mut incidents: Vec<Incident> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut rows = 0;
    for record in reader.records() {
        let record = record.map_err(|e| ImportError {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        let bad = |message: String| ImportError { line, message };
        rows += 1;
        let number = field(c_number).to_owned();
        let updated = parse_time(field(c_updated), &options.time_zone)
            .map_err(|m| bad(format!("sys_updated_at: {m}")))?;
        let mod_count: u64 = field(c_mod)
            .parse()
            .map_err(|_| bad(format!("sys_mod_count: {:?} is not a number", field(c_mod))))?;
        let row = Row {
            line,
            mod_count,
            state: field(c_state).to_owned(),
            updated,
        };
        match index.get(&number) {
            Some(&i) => incidents[i].rows.push(row),
            None => {
                let opened = parse_time(field(c_opened), &options.time_zone)
                    .map_err(|m| bad(format!("opened_at: {m}")))?;
                index.insert(number.clone(), incidents.len());
                incidents.push(Incident {
                    number,
                    opened,
                    priority: field(c_priority).to_owned(),
                    rows: vec![row],
                });
            }
        }
    }

    let total = incidents.len();
    let mut out = Import {
        tickets: Vec::with_capacity(total),
        rows,
        reordered_events: 0,
        skipped: Vec::new(),
    };
    for (done, incident) in incidents.into_iter().enumerate() {
        match convert(incident, options, &mut out.reordered_events) {
            Ok(ticket) => out.tickets.push(ticket),
            Err((number, why)) => out.skipped.push((number, why)),
        }
        if (done + 1) % 100 == 0 || done + 1 == total {
            progress(done + 1, total);
        }
    }
    Ok(out)
}

fn convert(
    mut incident: Incident,
    options: &Options,
    reordered: &mut usize,
) -> Result<Ticket, (String, String)> {
    let number = incident.number.clone();
    let fail = |why: String| (number.clone(), why);
    let (customer, assurance) = levels(&incident.priority).map_err(&fail)?;
    let id = number.parse().map_err(|e| fail(format!("{e}")))?;
    let mut spec = TicketSpec::new(id, TicketKind::Fault, customer);
    spec.assurance_level = Some(assurance);
    spec.scope = Some(options.scope);
    incident.rows.sort_by_key(|r| (r.mod_count, r.line));

    let mut events = vec![Event {
        at: incident.opened,
        kind: EventKind::Reported,
        by: None,
    }];
    let mut last = incident.opened;
    let mut push = |at: Timestamp, kind: EventKind, events: &mut Vec<Event>| {
        let at = if at < last {
            *reordered += 1;
            last
        } else {
            at
        };
        last = at;
        events.push(Event { at, kind, by: None });
    };
    let mut paused = false;
    let mut restored = false;
    let mut closed = false;
    let mut state = String::from("New");
    for row in &incident.rows {
        if row.state == state || closed {
            continue;
        }
        if paused {
            push(row.updated, EventKind::Resumed, &mut events);
            paused = false;
        }
        if let Some(reason) = pause_reason(&row.state) {
            push(row.updated, EventKind::Paused { reason }, &mut events);
            paused = true;
        } else if row.state == "Resolved" && !restored {
            push(row.updated, EventKind::Restored, &mut events);
            restored = true;
        } else if row.state == "Closed" {
            if !restored {
                push(row.updated, EventKind::Restored, &mut events);
                restored = true;
            }
            push(row.updated, EventKind::Closed, &mut events);
            closed = true;
        }
        state.clone_from(&row.state);
    }
    Ticket::new(spec, events).map_err(|e| fail(e.to_string()))
}
