//! `tierdesk policy`: check a policy file, print the default one.

use std::io::Write;
use std::process::ExitCode;

use tierdesk_core::{DEFAULT_POLICY_TOML, Policy};

use crate::cli::PolicyCommand;
use crate::input::{bad, read_text};

pub fn run(cmd: PolicyCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        PolicyCommand::Check { file } => {
            let text = read_text(&file)?;
            let policy = Policy::parse(&file.display().to_string(), &text)
                .map_err(|e| bad(e.to_string()))?;
            println!(
                "{}: policy {} version {} is valid (time zone {}, calendar {})",
                file.display(),
                policy.id.name,
                policy.id.version,
                policy.time_zone_name,
                policy.calendar
            );
            Ok(ExitCode::SUCCESS)
        }
        PolicyCommand::Default => {
            std::io::stdout().write_all(DEFAULT_POLICY_TOML.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
