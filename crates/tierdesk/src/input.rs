//! Reading the files users give on the command line.

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use tierdesk_calendar::{Calendar, CalendarBuilder};

use crate::cli::CalendarArgs;

/// Input was rejected: the command exits with status 2.
#[derive(Debug)]
pub struct BadInput(pub String);

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// Shorthand for a rejected-input error.
pub fn bad(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(BadInput(message.into()))
}

/// Reads a whole file, or stdin for `-`.
pub fn read_bytes(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("reading stdin")?;
        return Ok(buf);
    }
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

/// Reads a whole text file, rejecting text that is not UTF-8.
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    String::from_utf8(read_bytes(path)?)
        .map_err(|e| bad(format!("{}: not UTF-8 text ({e})", path.display())))
}

/// The shipped statutory calendar with the user's calendar files applied.
pub fn calendar(args: &CalendarArgs) -> anyhow::Result<Arc<Calendar>> {
    if args.calendars.is_empty() {
        return Ok(Arc::new(Calendar::chinese_statutory().clone()));
    }
    let mut builder = CalendarBuilder::chinese_statutory("cn-statutory+operator");
    for path in &args.calendars {
        let text = read_text(path)?;
        builder
            .load(&path.display().to_string(), &text)
            .map_err(|e| bad(e.to_string()))?;
    }
    Ok(Arc::new(builder.build()))
}

/// A date `YYYY-MM-DD`, or a rejected-input error naming `what`.
pub fn date(what: &str, text: &str) -> anyhow::Result<jiff::civil::Date> {
    text.parse()
        .map_err(|e| bad(format!("{what}: {text:?} is not a date YYYY-MM-DD ({e})")))
}
