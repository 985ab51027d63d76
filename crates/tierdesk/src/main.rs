//! The `tierdesk` command: the CLI over the SLA core (and, later, the server).

mod calendar_cmd;
mod cli;
mod import_cmd;
mod input;
mod policy_cmd;
mod serve_cmd;
mod simulate_cmd;
mod sla_cmd;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::input::BadInput;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Calendar(cmd) => calendar_cmd::run(cmd),
        Command::Sla(cmd) => sla_cmd::run(cmd),
        Command::Policy(cmd) => policy_cmd::run(cmd),
        Command::Import(cmd) => import_cmd::run(cmd),
        Command::Serve(args) => serve_cmd::serve(args),
        Command::Migrate(args) => serve_cmd::migrate(args),
        Command::Rebuild(args) => serve_cmd::rebuild(args),
        Command::User(cmd) => serve_cmd::user(cmd),
        Command::Simulate(args) => simulate_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            if e.downcast_ref::<BadInput>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
