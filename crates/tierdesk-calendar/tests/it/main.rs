//! Integration tests of the calendar crate: one binary, one module per feature.

mod properties;
mod reference;
mod sources;
mod time_rules;

use jiff::Timestamp;

/// Parses an RFC 3339 instant in a test.
pub fn at(s: &str) -> Timestamp {
    s.parse()
        .unwrap_or_else(|e| panic!("bad instant {s:?} in test: {e}"))
}
