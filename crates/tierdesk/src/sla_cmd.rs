//! `tierdesk sla evaluate`: one ticket or JSON Lines of tickets through the core.

use std::io::{BufWriter, Read, Write};

use anyhow::Context;
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
    let name = file.display().to_string();
    let stdout = std::io::stdout();
    if batch {
        let input = open(&file)?;
        let rejected = evaluate_lines(&engines, input, now, json, &name, &mut stdout.lock())?;
        if rejected > 0 {
            eprintln!("{name}: {rejected} line(s) rejected, the others evaluated");
            return Ok(ExitCode::from(2));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let input = read_bytes(&file)?;
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    {
        let ticket = parse_ticket(&input).map_err(|e| bad(format!("{name}: {e}")))?;
        let engine = engines
            .for_ticket(&ticket)
            .map_err(|e| bad(format!("{name}: {e}")))?;
        let eval = engine
            .evaluate(&ticket, now)
            .map_err(|e| bad(format!("{name}: ticket {}: {e}", ticket.spec().id)))?;
        let mut buf = Vec::new();
        write_one(&mut buf, &ticket, &eval, engine, json)?;
        out.write_all(&buf)?;
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

fn open(path: &std::path::Path) -> anyhow::Result<Box<dyn Read>> {
    if path == std::path::Path::new("-") {
        return Ok(Box::new(std::io::stdin()));
    }
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(Box::new(file))
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

/// Evaluates JSON Lines from `input` in fixed-size chunks, so memory stays bounded
/// whatever the file size, and writes results through one reusable buffer.
fn evaluate_lines(
    engines: &Engines,
    mut input: impl Read,
    now: Timestamp,
    json: bool,
    name: &str,
    out: &mut impl Write,
) -> anyhow::Result<usize> {
    const CHUNK: usize = 4 << 20;
    let mut rejected = 0;
    let mut line_no = 0;
    let mut buf = vec![0u8; CHUNK];
    let mut filled = 0;
    let mut results: Vec<u8> = Vec::with_capacity(CHUNK + (64 << 10));
    let mut eof = false;
    while !eof {
        if filled == buf.len() {
            // A line longer than the buffer: make room for it.
            buf.resize(buf.len() * 2, 0);
        }
        let n = input
            .read(&mut buf[filled..])
            .with_context(|| format!("reading {name}"))?;
        eof = n == 0;
        filled += n;
        let complete = if eof {
            filled
        } else {
            buf[..filled]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
        };
        for line in buf[..complete].split_inclusive(|&b| b == b'\n') {
            line_no += 1;
            rejected += evaluate_line(engines, line, line_no, now, json, name, &mut results)?;
            if results.len() >= CHUNK {
                out.write_all(&results)?;
                results.clear();
            }
        }
        buf.copy_within(complete..filled, 0);
        filled -= complete;
    }
    out.write_all(&results)?;
    out.flush()?;
    Ok(rejected)
}

fn evaluate_line(
    engines: &Engines,
    line: &[u8],
    line_no: usize,
    now: Timestamp,
    json: bool,
    name: &str,
    out: &mut Vec<u8>,
) -> anyhow::Result<usize> {
    if line.trim_ascii().is_empty() {
        return Ok(0);
    }
    let result = parse_ticket(line).and_then(|ticket| {
        let engine = engines
            .for_ticket(&ticket)
            .map_err(|message| wire_error(&ticket, message))?;
        let eval = engine
            .evaluate(&ticket, now)
            .map_err(|e| wire_error(&ticket, e.to_string()))?;
        Ok((ticket, eval, engine))
    });
    match result {
        Ok((ticket, eval, engine)) => {
            write_one(out, &ticket, &eval, engine, json)?;
            Ok(0)
        }
        Err(e) => {
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
                out.push(b'\n');
            }
            Ok(1)
        }
    }
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
        let mut buf = Vec::with_capacity(2048);
        EvaluationJson::new(ticket, eval, tz).write_to(&mut buf);
        buf.push(b'\n');
        out.write_all(&buf)?;
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
            o.state.as_str(),
            facts.join("; ")
        )?;
    }
    Ok(())
}
