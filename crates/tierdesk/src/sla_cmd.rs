//! `tierdesk sla evaluate`: one ticket or JSON Lines of tickets through the core.

use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;
use tierdesk_calendar::Calendar;
use tierdesk_core::{Engine, Evaluation, ObligationState, Policy, Ticket};
use tierdesk_wire::{EvaluationJson, WireError, format_instant, parse_ticket};

use crate::cli::SlaCommand;
use crate::input::{bad, calendar, read_bytes, read_text};

/// The policies given, each bound to the calendar; the last is the default.
struct Engines(Vec<Engine>);

impl Engines {
    fn load(paths: &[std::path::PathBuf], cal: Arc<Calendar>) -> anyhow::Result<Engines> {
        let mut engines = Vec::new();
        if paths.is_empty() {
            engines.push(Engine::new(Policy::default_policy().clone(), cal.clone())?);
        }
        for path in paths {
            let text = read_text(path)?;
            let policy = Policy::parse(&path.display().to_string(), &text)
                .map_err(|e| bad(e.to_string()))?;
            engines.push(Engine::new(policy, cal.clone())?);
        }
        Ok(Engines(engines))
    }

    /// The engine of the policy the ticket names, or the default one.
    fn for_ticket(&self, ticket: &Ticket) -> Result<&Engine, String> {
        match &ticket.spec().policy {
            None => Ok(self.0.last().expect("at least one policy is loaded")),
            Some(wanted) => self.0.iter().find(|e| e.policy().id == *wanted).ok_or_else(|| {
                let loaded: Vec<String> = self.0.iter().map(|e| e.policy().id.to_string()).collect();
                format!(
                    "ticket {} was opened under policy {wanted}, which is not loaded (loaded: {}); pass it with --policy",
                    ticket.spec().id,
                    loaded.join(", ")
                )
            }),
        }
    }
}

pub fn run(cmd: SlaCommand) -> anyhow::Result<ExitCode> {
    let SlaCommand::Evaluate {
        file,
        at,
        json,
        batch,
        policies,
        calendar: cal_args,
    } = cmd;
    let now = match at {
        Some(text) => text.parse::<Timestamp>().map_err(|e| {
            bad(format!(
                "--at: {text:?} is not an RFC 3339 instant such as 2025-10-01T12:00:00+08:00 ({e})"
            ))
        })?,
        None => Timestamp::now(),
    };
    let engines = Engines::load(&policies, calendar(&cal_args)?)?;
    let input = read_bytes(&file)?;
    let name = file.display().to_string();
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    if !batch {
        let ticket = parse_ticket(&input).map_err(|e| bad(format!("{name}: {e}")))?;
        let engine = engines
            .for_ticket(&ticket)
            .map_err(|e| bad(format!("{name}: {e}")))?;
        let eval = engine
            .evaluate(&ticket, now)
            .map_err(|e| bad(format!("{name}: ticket {}: {e}", ticket.spec().id)))?;
        write_one(&mut out, &ticket, &eval, engine, json)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let rejected = evaluate_lines(&engines, &input, now, json, &name, &mut out)?;
    out.flush()?;
    if rejected > 0 {
        eprintln!("{name}: {rejected} line(s) rejected, the others evaluated");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct LineError<'a> {
    line: usize,
    id: Option<&'a str>,
    error: ErrorJson<'a>,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    field: Option<&'a str>,
    column: Option<usize>,
    message: &'a str,
}

fn evaluate_lines(
    engines: &Engines,
    input: &[u8],
    now: Timestamp,
    json: bool,
    name: &str,
    out: &mut impl Write,
) -> anyhow::Result<usize> {
    let mut rejected = 0;
    let mut line_no = 0;
    for line in input.split(|&b| b == b'\n') {
        line_no += 1;
        if line.trim_ascii().is_empty() {
            continue;
        }
        let result = parse_ticket(line).map_err(Some).and_then(|ticket| {
            let engine = engines
                .for_ticket(&ticket)
                .map_err(|message| Some(wire_error(&ticket, message)))?;
            let eval = engine
                .evaluate(&ticket, now)
                .map_err(|e| Some(wire_error(&ticket, e.to_string())))?;
            Ok((ticket, eval, engine))
        });
        match result {
            Ok((ticket, eval, engine)) => write_one(out, &ticket, &eval, engine, json)?,
            Err(Some(e)) => {
                rejected += 1;
                let id = e
                    .ticket_id
                    .as_deref()
                    .map(|id| format!("ticket {id}, "))
                    .unwrap_or_default();
                let field = e
                    .field
                    .as_deref()
                    .map(|f| format!(", field {f}"))
                    .unwrap_or_default();
                eprintln!(
                    "{name}:{line_no}: {id}column {}{field}: {}",
                    e.column, e.message
                );
                if json {
                    let err = LineError {
                        line: line_no,
                        id: e.ticket_id.as_deref(),
                        error: ErrorJson {
                            field: e.field.as_deref(),
                            column: Some(e.column),
                            message: &e.message,
                        },
                    };
                    serde_json::to_writer(&mut *out, &err)?;
                    out.write_all(b"\n")?;
                }
            }
            Err(None) => {}
        }
    }
    Ok(rejected)
}

fn wire_error(ticket: &Ticket, message: String) -> WireError {
    WireError {
        ticket_id: Some(ticket.spec().id.to_string()),
        line: 1,
        column: 1,
        field: None,
        message,
    }
}

fn write_one(
    out: &mut impl Write,
    ticket: &Ticket,
    eval: &Evaluation,
    engine: &Engine,
    json: bool,
) -> anyhow::Result<()> {
    let tz = &engine.policy().time_zone;
    if json {
        serde_json::to_writer(&mut *out, &EvaluationJson::new(ticket, eval, tz))?;
        out.write_all(b"\n")?;
        return Ok(());
    }
    let spec = ticket.spec();
    writeln!(
        out,
        "{}  {} ticket, {} customer, assurance {}  (policy {}, as of {})",
        spec.id,
        spec.kind,
        spec.customer_level,
        eval.assurance_level,
        eval.policy,
        format_instant(eval.now, tz)
    )?;
    for o in &eval.obligations {
        let name = match &o.party {
            Some(p) => format!("{} ({p})", o.name),
            None => o.name.to_string(),
        };
        let target = o
            .target
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let mut facts = Vec::new();
        if let Some(d) = o.due {
            facts.push(format!("due {}", format_instant(d, tz)));
        }
        if let Some(m) = o.met_at {
            facts.push(format!("met {}", format_instant(m, tz)));
        }
        if let Some(l) = o.lateness {
            facts.push(format!("late by {l:#}"));
        }
        if let Some(r) = o.remaining {
            facts.push(format!("{r:#} left"));
        }
        for (reason, d) in o.paused.nonzero() {
            facts.push(format!("paused ({reason}) {d:#}"));
        }
        if o.provisional {
            facts.push("provisional calendar".to_owned());
        }
        if let Some(tierdesk_core::Detail::Note(note)) = &o.detail {
            facts.push(note.to_string());
        }
        let marker = match o.state {
            ObligationState::Breached => "!",
            _ => " ",
        };
        writeln!(
            out,
            " {marker} {name:<26} {:<14} {target:<24} {}",
            o.state,
            facts.join("; ")
        )?;
    }
    Ok(())
}
