//! Errors of the calendar crate.

use jiff::civil::Date;

/// An arithmetic or lookup request that the calendar cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The date (or an instant's date) lies outside the span the calendar tables cover.
    #[error("{date} is outside the calendar's range {first}..={last}")]
    OutOfRange {
        /// The date that was asked about, or the result that fell outside.
        date: Date,
        /// First day the calendar covers.
        first: Date,
        /// Last day the calendar covers.
        last: Date,
    },
    /// The time zone could not resolve a local time (should not happen with IANA zones).
    #[error("time zone error: {0}")]
    TimeZone(String),
    /// A business-hours schedule was used that the rules were not compiled for.
    #[error("schedule {0} was not prepared for these time rules")]
    UnpreparedSchedule(String),
}
