//! How long a promise gives: a clock duration, working days, calendar days or months.

use std::fmt;
use std::str::FromStr;

use jiff::SignedDuration;

use crate::schedule::Schedule;

/// An amount of time as a policy writes it.
///
/// Written forms: ISO 8601 durations for clock time (`PT10M`, `PT2H`), calendar days
/// (`P7D`) and months (`P3M`); working days as `3 working days` (or `1 working day`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// Clock time, counted on a schedule.
    Clock(SignedDuration),
    /// Working days; the starting day does not count.
    WorkingDays(u32),
    /// Calendar days; the starting day does not count.
    Days(u32),
    /// Months; due on the same day of the month, or the month's last day.
    Months(u32),
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid period {input:?}: {reason}; expected an ISO 8601 duration such as \"PT2H\", \"PT30M\", \"P7D\" or \"P3M\", or \"N working days\""
)]
pub struct PeriodError {
    input: String,
    reason: &'static str,
}

impl FromStr for Period {
    type Err = PeriodError;

    /// # Example
    /// ```
    /// use tierdesk_calendar::Period;
    /// use jiff::SignedDuration;
    /// assert_eq!("PT2H".parse::<Period>().unwrap(), Period::Clock(SignedDuration::from_hours(2)));
    /// assert_eq!("3 working days".parse::<Period>().unwrap(), Period::WorkingDays(3));
    /// assert_eq!("P7D".parse::<Period>().unwrap(), Period::Days(7));
    /// assert_eq!("P3M".parse::<Period>().unwrap(), Period::Months(3));
    /// assert!("2 hours".parse::<Period>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = |reason| PeriodError {
            input: s.to_owned(),
            reason,
        };
        let t = s.trim();
        if let Some(n) = t
            .strip_suffix(" working days")
            .or_else(|| t.strip_suffix(" working day"))
        {
            let n: u32 = n
                .trim()
                .parse()
                .map_err(|_| error("the count of working days must be a whole number"))?;
            return Ok(Period::WorkingDays(n));
        }
        let upper = t.to_ascii_uppercase();
        if upper.starts_with("PT") {
            let d: SignedDuration = upper
                .parse()
                .map_err(|_| error("not a valid ISO 8601 time duration"))?;
            if d.is_negative() {
                return Err(error("a period cannot be negative"));
            }
            return Ok(Period::Clock(d));
        }
        let body = upper
            .strip_prefix('P')
            .ok_or_else(|| error("unrecognised form"))?;
        let (n, unit) = body.split_at(body.len().saturating_sub(1));
        let n: u32 = n.parse().map_err(|_| {
            error("calendar periods are a whole number of days (PnD) or months (PnM)")
        })?;
        match unit {
            "D" => Ok(Period::Days(n)),
            "M" => Ok(Period::Months(n)),
            "W" => Ok(Period::Days(n * 7)),
            _ => Err(error(
                "calendar periods are a whole number of days (PnD) or months (PnM)",
            )),
        }
    }
}

impl fmt::Display for Period {
    /// # Example
    /// ```
    /// use tierdesk_calendar::Period;
    /// assert_eq!(Period::WorkingDays(1).to_string(), "1 working day");
    /// assert_eq!("PT90M".parse::<Period>().unwrap().to_string(), "PT1H30M");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Clock(d) => write!(f, "{}", crate::IsoDuration(*d)),
            Period::WorkingDays(1) => f.write_str("1 working day"),
            Period::WorkingDays(n) => write!(f, "{n} working days"),
            Period::Days(n) => write!(f, "P{n}D"),
            Period::Months(n) => write!(f, "P{n}M"),
        }
    }
}

/// Where a calendar-day deadline that lands on a rest day moves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Roll {
    /// To the end of the first working day after any rest day (weekend or holiday):
    /// PRC Civil Code art. 203, whose 法定休假日 includes the weekly rest days.
    #[default]
    NextWorkingDay,
    /// Only past statutory (and operator) holidays; a plain weekend does not move it.
    HolidaysOnly,
    /// Never moves.
    None,
}

impl FromStr for Roll {
    type Err = String;

    /// # Example
    /// ```
    /// use tierdesk_calendar::Roll;
    /// assert_eq!("holidays_only".parse::<Roll>().unwrap(), Roll::HolidaysOnly);
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "next_working_day" => Ok(Roll::NextWorkingDay),
            "holidays_only" => Ok(Roll::HolidaysOnly),
            "none" => Ok(Roll::None),
            other => Err(format!(
                "unknown roll rule {other:?}; expected one of: next_working_day, holidays_only, none"
            )),
        }
    }
}

/// A period made concrete: what is counted, on which schedule, and how it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// Clock time on a schedule.
    Clock {
        /// How much counted time.
        amount: SignedDuration,
        /// Which time counts.
        schedule: Schedule,
    },
    /// Working days: due at 24:00 of the n-th working day after the start day.
    WorkingDays(u32),
    /// Calendar days: due at 24:00 of the n-th day after the start day, rolled past rest days.
    Days {
        /// How many days.
        days: u32,
        /// What happens when the last day is a rest day.
        roll: Roll,
    },
    /// Months: due at 24:00 of the same day of the month n months later (or the month's last day).
    Months(u32),
}

impl Period {
    /// The target this period means, with clock time counted on `schedule` and
    /// calendar days rolled by `roll`.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::{Period, Roll, Schedule, Target};
    /// let t = Period::Days(7).target(Schedule::Always, Roll::default());
    /// assert_eq!(t, Target::Days { days: 7, roll: Roll::NextWorkingDay });
    /// ```
    pub fn target(self, schedule: Schedule, roll: Roll) -> Target {
        match self {
            Period::Clock(amount) => Target::Clock { amount, schedule },
            Period::WorkingDays(n) => Target::WorkingDays(n),
            Period::Days(days) => Target::Days { days, roll },
            Period::Months(n) => Target::Months(n),
        }
    }
}

impl Target {
    /// The schedule on which this target's counted time is measured: its own for
    /// clock targets, whole working days for working-day targets, every instant otherwise.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::{Schedule, Target};
    /// assert_eq!(Target::WorkingDays(3).schedule(), Schedule::WorkingDays);
    /// ```
    pub fn schedule(&self) -> Schedule {
        match self {
            Target::Clock { schedule, .. } => *schedule,
            Target::WorkingDays(_) => Schedule::WorkingDays,
            Target::Days { .. } | Target::Months(_) => Schedule::Always,
        }
    }

    /// The period as written.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::{Period, Target};
    /// assert_eq!(Target::WorkingDays(3).period(), Period::WorkingDays(3));
    /// ```
    pub fn period(&self) -> Period {
        match *self {
            Target::Clock { amount, .. } => Period::Clock(amount),
            Target::WorkingDays(n) => Period::WorkingDays(n),
            Target::Days { days, .. } => Period::Days(days),
            Target::Months(n) => Period::Months(n),
        }
    }

    /// Whether pauses can stop this target's clock (clock time and working days only).
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::{Roll, Target};
    /// assert!(Target::WorkingDays(3).pausable());
    /// assert!(!Target::Months(3).pausable());
    /// ```
    pub fn pausable(&self) -> bool {
        matches!(self, Target::Clock { .. } | Target::WorkingDays(_))
    }
}

impl fmt::Display for Target {
    /// The period as written; a clock target off the 24x7 schedule names its schedule.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::{Schedule, Target};
    /// use jiff::SignedDuration;
    /// let t = Target::Clock { amount: SignedDuration::from_hours(4), schedule: Schedule::Always };
    /// assert_eq!(t.to_string(), "PT4H");
    /// let t = Target::Clock { amount: SignedDuration::from_hours(4), schedule: "09:00-18:00".parse().unwrap() };
    /// assert_eq!(t.to_string(), "PT4H (09:00-18:00)");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.period())?;
        match self {
            Target::Clock { schedule, .. } if *schedule != Schedule::Always => {
                write!(f, " ({schedule})")
            }
            _ => Ok(()),
        }
    }
}
