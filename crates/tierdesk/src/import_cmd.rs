//! `tierdesk import`: other systems' histories as tierdesk tickets.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use tierdesk_import::servicenow::{Options, import};
use tierdesk_wire::TicketJson;

use crate::cli::ImportCommand;
use crate::input::{bad, read_text};

pub fn run(cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    let ImportCommand::Servicenow {
        file,
        time_zone,
        scope,
    } = cmd;
    let tz = jiff::tz::TimeZone::get(&time_zone)
        .map_err(|_| bad(format!("--time-zone: unknown time zone {time_zone:?}; expected an IANA name such as Asia/Shanghai")))?;
    let scope = scope.parse().map_err(|e| bad(format!("--scope: {e}")))?;
    let text = read_text(&file)?;
    let name = file.display().to_string();
    let interactive = std::io::stderr().is_terminal();
    let result = import(
        &text,
        &Options {
            time_zone: tz.clone(),
            scope,
        },
        |done, total| {
            // A progress line a hundred incidents, overwritten in place on a terminal.
            if interactive {
                eprint!("\rimporting {name}: {done}/{total} incidents");
            } else if done == total {
                eprintln!("importing {name}: {done}/{total} incidents");
            }
        },
    )
    .map_err(|e| bad(format!("{name}: {e}")))?;
    if interactive {
        eprintln!();
    }
    let mut out = Vec::with_capacity(1 << 20);
    for ticket in &result.tickets {
        TicketJson::new(ticket, &tz).write_to(&mut out);
        out.push(b'\n');
    }
    std::io::stdout().lock().write_all(&out)?;
    eprintln!(
        "{name}: {} rows, {} tickets, {} events moved later to keep time order, {} incidents skipped",
        result.rows,
        result.tickets.len(),
        result.reordered_events,
        result.skipped.len()
    );
    for (number, why) in &result.skipped {
        eprintln!("  skipped {number}: {why}");
    }
    Ok(ExitCode::SUCCESS)
}
