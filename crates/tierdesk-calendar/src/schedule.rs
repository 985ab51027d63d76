//! Which parts of time a clock counts.

use std::fmt;
use std::str::FromStr;

/// The hours a clock counts: all of them, whole working days, or business hours on working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schedule {
    /// Every instant counts (`24x7`).
    Always,
    /// Whole working days count, 00:00 to 24:00 (`working_days`).
    WorkingDays,
    /// Only the given local hours of working days count (e.g. `09:00-18:00`).
    BusinessHours(BusinessHours),
}

/// Up to four daily windows of local time, in order and not overlapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BusinessHours {
    windows: [(u32, u32); 4],
    len: u8,
}

/// Why a schedule could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid schedule {input:?}: {reason}; expected \"24x7\", \"working_days\" or hours such as \"09:00-18:00\" or \"09:00-12:00,13:30-18:00\""
)]
pub struct ScheduleError {
    input: String,
    reason: String,
}

impl BusinessHours {
    /// The windows as (start, end) seconds after local midnight; `end` may be 86400.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Schedule;
    /// let Schedule::BusinessHours(bh) = "09:00-18:00".parse().unwrap() else { unreachable!() };
    /// assert_eq!(bh.windows(), &[(9 * 3600, 18 * 3600)]);
    /// ```
    pub fn windows(&self) -> &[(u32, u32)] {
        &self.windows[..usize::from(self.len)]
    }
}

fn parse_clock_time(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(86_400),
        (0..=23, 0..=59) => Some(h * 3600 + m * 60),
        _ => None,
    }
}

impl FromStr for Schedule {
    type Err = ScheduleError;

    /// # Example
    /// ```
    /// use tierdesk_calendar::Schedule;
    /// assert_eq!("24x7".parse::<Schedule>().unwrap(), Schedule::Always);
    /// assert!("18:00-09:00".parse::<Schedule>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = |reason: &str| ScheduleError {
            input: s.to_owned(),
            reason: reason.to_owned(),
        };
        match s.trim() {
            "24x7" => return Ok(Schedule::Always),
            "working_days" => return Ok(Schedule::WorkingDays),
            _ => {}
        }
        let mut bh = BusinessHours {
            windows: [(0, 0); 4],
            len: 0,
        };
        let mut previous_end = 0;
        for (i, part) in s.split(',').enumerate() {
            if i >= 4 {
                return Err(error("at most four windows a day"));
            }
            let (a, b) = part
                .split_once('-')
                .ok_or_else(|| error("a window is written HH:MM-HH:MM"))?;
            let start =
                parse_clock_time(a).ok_or_else(|| error("times are HH:MM from 00:00 to 24:00"))?;
            let end =
                parse_clock_time(b).ok_or_else(|| error("times are HH:MM from 00:00 to 24:00"))?;
            if end <= start {
                return Err(error("a window must end after it starts"));
            }
            if start < previous_end {
                return Err(error("windows must be in order and must not overlap"));
            }
            previous_end = end;
            bh.windows[i] = (start, end);
            bh.len += 1;
        }
        Ok(Schedule::BusinessHours(bh))
    }
}

impl fmt::Display for Schedule {
    /// # Example
    /// ```
    /// use tierdesk_calendar::Schedule;
    /// let s: Schedule = "09:00-12:00,13:30-24:00".parse().unwrap();
    /// assert_eq!(s.to_string(), "09:00-12:00,13:30-24:00");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::Always => f.write_str("24x7"),
            Schedule::WorkingDays => f.write_str("working_days"),
            Schedule::BusinessHours(bh) => {
                for (i, (a, b)) in bh.windows().iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(
                        f,
                        "{:02}:{:02}-{:02}:{:02}",
                        a / 3600,
                        a % 3600 / 60,
                        b / 3600,
                        b % 3600 / 60
                    )?;
                }
                Ok(())
            }
        }
    }
}
