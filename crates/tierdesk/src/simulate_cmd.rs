//! `tierdesk simulate`: what a candidate policy would have meant for the stored tickets.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;
use tierdesk_core::{Engine, ObligationState, Policy};
use tierdesk_server::simulate::{Scope, Simulation, simulate};
use tierdesk_wire::format_instant;

use crate::cli::SimulateArgs;
use crate::input::{bad, read_text};
use crate::serve_cmd::{config, runtime};

/// A day (its start in `tz`) or an instant.
fn instant(flag: &str, text: &str, tz: &TimeZone) -> anyhow::Result<Timestamp> {
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    let day: jiff::civil::Date = text.parse().map_err(|_| {
        bad(format!(
            "{flag}: {text:?} is neither a day (YYYY-MM-DD) nor an RFC 3339 instant"
        ))
    })?;
    Ok(day
        .to_zoned_datetime(tz.clone())
        .map_err(|e| bad(format!("{flag}: {e}")))?
        .timestamp())
}

#[derive(Serialize)]
struct Side {
    state: &'static str,
    due: Option<String>,
}

#[derive(Serialize)]
struct Row {
    ticket: String,
    kind: String,
    customer_id: String,
    customer_level: String,
    assurance_level: String,
    policy: String,
    obligation: String,
    party: Option<String>,
    current: Option<Side>,
    candidate: Option<Side>,
}

#[derive(Serialize)]
struct Report {
    candidate: String,
    at: String,
    from: Option<String>,
    to: Option<String>,
    tickets: usize,
    obligations: usize,
    tickets_changed: usize,
    changes: Vec<Row>,
    /// "current → candidate" state pairs and how often each happens.
    summary: BTreeMap<String, usize>,
    errors: Vec<(String, String)>,
}

fn state_word(s: Option<&Side>) -> &'static str {
    s.map_or("absent", |s| s.state)
}

fn report(
    sim: &Simulation,
    tz: &TimeZone,
    at: Timestamp,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> Report {
    let show = |t: Timestamp| format_instant(t, tz).to_string();
    let side = |s: Option<(ObligationState, Option<Timestamp>)>| {
        s.map(|(state, due)| Side {
            state: state.as_str(),
            due: due.map(show),
        })
    };
    let mut changes = Vec::new();
    let mut summary = BTreeMap::new();
    for t in &sim.changed {
        for c in &t.changes {
            let row = Row {
                ticket: t.header.id.to_string(),
                kind: t.header.kind.to_string(),
                customer_id: t.header.customer_id.to_string(),
                customer_level: t.header.customer_level.to_string(),
                assurance_level: t.header.assurance_level.to_string(),
                policy: t.policy.to_string(),
                obligation: c.name.to_string(),
                party: c.party.as_ref().map(ToString::to_string),
                current: side(c.before),
                candidate: side(c.after),
            };
            let moved = match (c.before, c.after) {
                (Some((a, Some(d1))), Some((b, Some(d2)))) if a == b && d1 != d2 => {
                    if d2 < d1 {
                        ", due earlier"
                    } else {
                        ", due later"
                    }
                }
                _ => "",
            };
            *summary
                .entry(format!(
                    "{} {} → {}{moved}",
                    row.obligation,
                    state_word(row.current.as_ref()),
                    state_word(row.candidate.as_ref())
                ))
                .or_insert(0) += 1;
            changes.push(row);
        }
    }
    Report {
        candidate: sim.candidate.to_string(),
        at: show(at),
        from: from.map(show),
        to: to.map(show),
        tickets: sim.tickets,
        obligations: sim.obligations,
        tickets_changed: sim.changed.len(),
        changes,
        summary,
        errors: sim
            .errors
            .iter()
            .map(|(id, e)| (id.to_string(), e.clone()))
            .collect(),
    }
}

fn print_table(r: &Report, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "Replayed {} tickets ({} obligations) under {} as of {}: {} tickets would change.",
        r.tickets, r.obligations, r.candidate, r.at, r.tickets_changed
    )?;
    if !r.changes.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{:<22} {:<12} {:<24} {:<33} {:<33}",
            "ticket", "level", "obligation", "current", "candidate"
        )?;
        let side = |s: &Option<Side>| match s {
            None => "absent".to_owned(),
            Some(s) => match &s.due {
                Some(d) => format!("{} {d}", s.state),
                None => s.state.to_owned(),
            },
        };
        for row in &r.changes {
            let obligation = match &row.party {
                Some(p) => format!("{} ({p})", row.obligation),
                None => row.obligation.clone(),
            };
            writeln!(
                out,
                "{:<22} {:<12} {:<24} {:<33} {:<33}",
                row.ticket,
                format!("{}/{}", row.customer_level, row.assurance_level),
                obligation,
                side(&row.current),
                side(&row.candidate)
            )?;
        }
        writeln!(out)?;
        writeln!(out, "Summary:")?;
        for (what, n) in &r.summary {
            writeln!(out, "  {n:>6}  {what}")?;
        }
    }
    for (id, e) in &r.errors {
        writeln!(out, "not replayed: {id}: {e}")?;
    }
    Ok(())
}

pub fn run(args: SimulateArgs) -> anyhow::Result<ExitCode> {
    let SimulateArgs {
        mut server,
        from,
        to,
        at,
        json,
    } = args;
    let candidate_path = server.policies.pop().ok_or_else(|| {
        bad("--policy FILE: give the candidate policy to replay the stored tickets under")
    })?;
    if !server.policies.is_empty() {
        return Err(bad("--policy: give one candidate policy"));
    }
    let text = read_text(&candidate_path)?;
    let candidate = Policy::parse(&candidate_path.display().to_string(), &text)
        .map_err(|e| bad(e.to_string()))?;
    let tz = candidate.time_zone.clone();
    let at = match at {
        Some(text) => text
            .parse::<Timestamp>()
            .map_err(|e| bad(format!("--at: {text:?} is not an RFC 3339 instant ({e})")))?,
        None => {
            let now = Timestamp::now();
            Timestamp::from_second(now.as_second()).unwrap_or(now)
        }
    };
    let from = from.map(|f| instant("--from", &f, &tz)).transpose()?;
    let to = to.map(|t| instant("--to", &t, &tz)).transpose()?;
    let c = config(&server)?;
    runtime()?.block_on(async move {
        let store = tierdesk_store_sql::open(&c.database).await?;
        let calendar = tierdesk_server::calendar(&c)?;
        let candidate = Engine::new(candidate, calendar.clone())
            .context("binding the candidate policy to the calendar")?;
        let policies = tierdesk_server::policies(store.as_ref(), &c, calendar, at).await?;
        let started = std::time::Instant::now();
        let sim = simulate(
            store.as_ref(),
            &policies,
            &candidate,
            &Scope { from, to, at },
            |n| eprint!("\rreplayed {n} tickets"),
        )
        .await?;
        eprintln!(
            "\rreplayed {} tickets in {:.1} s",
            sim.tickets,
            started.elapsed().as_secs_f64()
        );
        let report = report(&sim, &tz, at, from, to);
        let mut out = std::io::stdout().lock();
        if json {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        } else {
            print_table(&report, &mut out)?;
        }
        Ok(ExitCode::SUCCESS)
    })
}
