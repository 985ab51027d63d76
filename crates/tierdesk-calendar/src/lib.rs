//! Working-day calendars and the time arithmetic of service-level promises.
//!
//! This crate is pure: no IO, no async, no clock reads. It knows nothing of
//! tickets, policies, storage or HTTP.
//!
//! - [`Calendar`]: which days are working days (the Chinese statutory calendar
//!   2004 onwards ships embedded; operators load their own days from TOML or .ics).
//! - [`Schedule`]: which time a clock counts (24x7, whole working days, business hours).
//! - [`Period`] and [`Target`]: how long a promise gives.
//! - [`TimeRules`]: a calendar in a time zone; counted time, deadlines with pauses,
//!   advance-notice deadlines, all in O(1) or O(log n) per call.
//!
//! ```
//! use tierdesk_calendar::{Due, Target, TimeRules};
//! let rules = TimeRules::chinese_statutory_shanghai();
//! let issued = "2025-09-26T15:00:00+08:00".parse().unwrap();
//! let due = rules.due(&Target::WorkingDays(3), issued, &[]).unwrap();
//! assert_eq!(due, Due::At("2025-10-01T00:00:00+08:00".parse().unwrap()));
//! ```
#![deny(missing_docs)]

mod calendar;
mod day;
mod error;
mod iso;
mod period;
mod rules;
mod schedule;
mod source;

pub use calendar::{Calendar, CalendarBuilder, FIRST_YEAR, LAST_YEAR, Loaded};
pub use day::{Day, DayKind, HolidayName};
pub use error::CalendarError;
pub use iso::IsoDuration;
pub use period::{Period, PeriodError, Roll, Target};
pub use rules::{Due, Pause, TimeRules};
pub use schedule::{BusinessHours, Schedule, ScheduleError};
pub use tierdesk_source::{SourceError, SourceErrors};
