//! The working-day calendar: every day from 2000 to 2100 with its kind, and
//! prefix sums over working days so that day arithmetic is a table lookup.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::civil::Date;
use tierdesk_source::SourceErrors;

use crate::day::{Day, DayKind, HolidayName, epoch_day_of};
use crate::error::CalendarError;
use crate::source::{self, Assignment, Declared, is_weekend};

/// First year the tables cover.
pub const FIRST_YEAR: i16 = 2000;
/// Last year the tables cover.
pub const LAST_YEAR: i16 = 2100;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/statutory_files.rs"));
}

const NO_NAME: u16 = u16::MAX;

const DAYS_BEFORE_MONTH: [[u16; 12]; 2] = [
    [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334],
    [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335],
];

#[derive(Debug, Clone, Copy)]
struct Entry {
    kind: DayKind,
    name: u16,
}

/// A working-day calendar: which days are working days and why.
///
/// Days in years that no statutory file covers follow the plain weekend rule and
/// are reported as provisional. Lookups and working-day arithmetic are O(1).
#[derive(Debug, Clone)]
pub struct Calendar {
    name: String,
    dates: Vec<Date>,
    entries: Vec<Entry>,
    /// `cum[i]` = working days among the first `i` days of the table. The table
    /// has fewer than 65,536 days, so u16 is exact, and half the size keeps the
    /// lookups of `add_working_days` in the fastest cache.
    cum: Vec<u16>,
    /// Date of the k-th working day.
    workdays: Vec<Date>,
    names: Vec<HolidayName>,
    official: Vec<bool>,
    /// Table index of 1 January of each year.
    year_starts: Vec<u32>,
}

/// Collects calendar sources, then builds a [`Calendar`].
#[derive(Debug, Clone, Default)]
pub struct CalendarBuilder {
    name: String,
    years: BTreeMap<i16, Vec<Assignment>>,
    operator: Vec<Vec<Assignment>>,
}

/// What a loaded file contributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loaded {
    /// A statutory year (replacing any earlier data for that year) with this many declared days.
    StatutoryYear {
        /// The year the file covers.
        year: i16,
        /// Number of declared holiday and make-up days.
        days: usize,
    },
    /// Operator days with this many declared days.
    OperatorDays {
        /// Number of declared days.
        days: usize,
    },
}

impl CalendarBuilder {
    /// An empty builder: only the weekend rule, no holidays.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::CalendarBuilder;
    /// let cal = CalendarBuilder::new("plain").build();
    /// assert!(!cal.is_workday(jiff::civil::date(2025, 10, 4)).unwrap()); // a Saturday
    /// assert!(cal.is_workday(jiff::civil::date(2025, 10, 1)).unwrap()); // no holidays here
    /// ```
    pub fn new(name: &str) -> Self {
        CalendarBuilder {
            name: name.to_owned(),
            ..Self::default()
        }
    }

    /// A builder preloaded with the Chinese statutory calendar shipped with tierdesk.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::CalendarBuilder;
    /// let cal = CalendarBuilder::chinese_statutory("cn").build();
    /// assert!(!cal.is_workday(jiff::civil::date(2025, 10, 1)).unwrap());
    /// ```
    pub fn chinese_statutory(name: &str) -> Self {
        let mut builder = Self::new(name);
        for (file, text) in embedded::STATUTORY_FILES {
            // The shipped files are checked by this crate's tests; a failure here is a build defect.
            if let Err(e) = builder.load(file, text) {
                panic!("shipped calendar file {file} is invalid: {e}");
            }
        }
        builder
    }

    /// Loads one calendar file: a statutory year (TOML with `year` and `[[holiday]]`),
    /// operator days (TOML with `[[day]]`) or an iCalendar file (`BEGIN:VCALENDAR`).
    /// A statutory year replaces earlier data for the same year; operator days apply
    /// on top of all statutory data, later files over earlier ones.
    ///
    /// # Errors
    /// Every problem in the file, with line and column; nothing of the file is kept then.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::{CalendarBuilder, Loaded};
    /// let mut b = CalendarBuilder::chinese_statutory("cn+shenzhen");
    /// let loaded = b.load("sz.toml", r#"
    ///     [[day]]
    ///     date = "2025-06-03"
    ///     workday = false
    ///     name = "Branch anniversary"
    /// "#).unwrap();
    /// assert_eq!(loaded, Loaded::OperatorDays { days: 1 });
    /// assert!(!b.build().is_workday(jiff::civil::date(2025, 6, 3)).unwrap());
    ///
    /// let err = b.load("bad.toml", "[[day]]\ndate = \"2025-02-30\"\nworkday = false\nname = \"x\"\n").unwrap_err();
    /// assert!(err.to_string().starts_with("bad.toml:2:8: `day[0].date`"));
    /// ```
    pub fn load(&mut self, source_name: &str, text: &str) -> Result<Loaded, SourceErrors> {
        Ok(match source::parse(source_name, text)? {
            Declared::StatutoryYear { year, days } => {
                let n = days.len();
                self.years.insert(year, days);
                Loaded::StatutoryYear { year, days: n }
            }
            Declared::OperatorDays { days } => {
                let n = days.len();
                self.operator.push(days);
                Loaded::OperatorDays { days: n }
            }
        })
    }

    /// Builds the tables.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::CalendarBuilder;
    /// let cal = CalendarBuilder::chinese_statutory("cn").build();
    /// assert_eq!(cal.name(), "cn");
    /// ```
    pub fn build(&self) -> Calendar {
        let first = Date::constant(FIRST_YEAR, 1, 1);
        let origin = epoch_day_of(first);
        let last = Date::constant(LAST_YEAR, 12, 31);
        let n = usize::try_from(epoch_day_of(last) - origin + 1).unwrap_or(0);
        let mut dates = Vec::with_capacity(n);
        let mut entries = Vec::with_capacity(n);
        let mut d = first;
        for _ in 0..n {
            dates.push(d);
            let kind = if is_weekend(d) {
                DayKind::Weekend
            } else {
                DayKind::Weekday
            };
            entries.push(Entry {
                kind,
                name: NO_NAME,
            });
            d = d.tomorrow().unwrap_or(d);
        }
        let mut names: Vec<HolidayName> = Vec::new();
        let mut apply = |a: &Assignment| {
            let Ok(i) = usize::try_from(epoch_day_of(a.date) - origin) else {
                return;
            };
            let Some(entry) = entries.get_mut(i) else {
                return;
            };
            let name = match names.iter().position(|n| *n == a.name) {
                Some(p) => p,
                None => {
                    names.push(a.name.clone());
                    names.len() - 1
                }
            };
            *entry = Entry {
                kind: a.kind,
                name: u16::try_from(name).unwrap_or(NO_NAME),
            };
        };
        self.years.values().flatten().for_each(&mut apply);
        self.operator.iter().flatten().for_each(&mut apply);

        let mut cum = Vec::with_capacity(n + 1);
        let mut workdays = Vec::new();
        cum.push(0u16);
        for (i, e) in entries.iter().enumerate() {
            if e.kind.is_workday() {
                workdays.push(dates[i]);
            }
            cum.push(u16::try_from(workdays.len()).unwrap_or(u16::MAX));
        }
        let official = (FIRST_YEAR..=LAST_YEAR)
            .map(|y| self.years.contains_key(&y))
            .collect();
        let year_starts = (FIRST_YEAR..=LAST_YEAR)
            .map(|y| u32::try_from(epoch_day_of(Date::constant(y, 1, 1)) - origin).unwrap_or(0))
            .collect();
        Calendar {
            name: self.name.clone(),
            dates,
            entries,
            cum,
            workdays,
            names,
            official,
            year_starts,
        }
    }
}

impl Calendar {
    /// The Chinese statutory calendar shipped with tierdesk (2004 onwards), built once.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// let cal = Calendar::chinese_statutory();
    /// assert!(cal.is_official_year(2025));
    /// ```
    pub fn chinese_statutory() -> &'static Calendar {
        static CAL: OnceLock<Calendar> = OnceLock::new();
        CAL.get_or_init(|| CalendarBuilder::chinese_statutory("cn-statutory").build())
    }

    /// The calendar's name.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// assert_eq!(Calendar::chinese_statutory().name(), "cn-statutory");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// First day the tables cover.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// assert_eq!(Calendar::chinese_statutory().first_date(), jiff::civil::date(2000, 1, 1));
    /// ```
    pub fn first_date(&self) -> Date {
        self.dates.first().copied().unwrap_or(Date::MIN)
    }

    /// Last day the tables cover.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// assert_eq!(Calendar::chinese_statutory().last_date(), jiff::civil::date(2100, 12, 31));
    /// ```
    pub fn last_date(&self) -> Date {
        self.dates.last().copied().unwrap_or(Date::MAX)
    }

    /// Whether official (statutory) data covers `year`; days of other years are provisional.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// let cal = Calendar::chinese_statutory();
    /// assert!(cal.is_official_year(2004));
    /// assert!(!cal.is_official_year(2003));
    /// ```
    pub fn is_official_year(&self, year: i16) -> bool {
        let Ok(i) = usize::try_from(year - FIRST_YEAR) else {
            return false;
        };
        self.official.get(i).copied().unwrap_or(false)
    }

    /// The years covered by official data, ascending.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// let years = Calendar::chinese_statutory().official_years();
    /// assert_eq!(years.first(), Some(&2004));
    /// ```
    pub fn official_years(&self) -> Vec<i16> {
        (FIRST_YEAR..=LAST_YEAR)
            .filter(|&y| self.is_official_year(y))
            .collect()
    }

    #[inline]
    pub(crate) fn index(&self, date: Date) -> Result<usize, CalendarError> {
        // Table index from the year's first index and the day of the year: two small
        // lookups that stay in L1, cheaper than general civil-to-days arithmetic.
        let year = usize::try_from(date.year() - FIRST_YEAR).ok();
        let first = year.and_then(|y| self.year_starts.get(y));
        match first {
            Some(&first) => {
                let leap = usize::from(date.in_leap_year());
                let month = usize::try_from(date.month() - 1).unwrap_or(0);
                let day = usize::try_from(date.day() - 1).unwrap_or(0);
                Ok(first as usize + usize::from(DAYS_BEFORE_MONTH[leap][month]) + day)
            }
            None => Err(self.out_of_range(date)),
        }
    }

    pub(crate) fn out_of_range(&self, date: Date) -> CalendarError {
        CalendarError::OutOfRange {
            date,
            first: self.first_date(),
            last: self.last_date(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.dates.len()
    }

    pub(crate) fn date_at(&self, index: usize) -> Date {
        self.dates[index]
    }

    pub(crate) fn is_workday_at(&self, index: usize) -> bool {
        self.entries[index].kind.is_workday()
    }

    /// Everything known about one day.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] outside 2000..=2100.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::{Calendar, DayKind};
    /// let day = Calendar::chinese_statutory().day(jiff::civil::date(2025, 1, 28)).unwrap();
    /// assert_eq!(day.kind, DayKind::Holiday);
    /// assert_eq!(day.name_en().as_deref(), Some("Spring Festival"));
    /// ```
    pub fn day(&self, date: Date) -> Result<Day<'_>, CalendarError> {
        let i = self.index(date)?;
        let entry = self.entries[i];
        Ok(Day {
            date,
            kind: entry.kind,
            holiday: self.names.get(usize::from(entry.name)),
            provisional: !self.is_official_year(date.year()),
        })
    }

    /// Whether `date` is a working day.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] outside 2000..=2100.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// let cal = Calendar::chinese_statutory();
    /// assert!(cal.is_workday(jiff::civil::date(2025, 10, 11)).unwrap()); // make-up Saturday
    /// ```
    pub fn is_workday(&self, date: Date) -> Result<bool, CalendarError> {
        Ok(self.is_workday_at(self.index(date)?))
    }

    /// The `n`-th working day after `date` (`n > 0`), the `|n|`-th working day before
    /// it (`n < 0`), or `date` itself (`n = 0`). `date` itself never counts.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when `date` or the result lies outside the tables.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// use jiff::civil::date;
    /// let cal = Calendar::chinese_statutory();
    /// // Friday 2025-09-26 + 3 working days: Sun 28 (make-up day), Mon 29, Tue 30.
    /// assert_eq!(cal.add_working_days(date(2025, 9, 26), 3).unwrap(), date(2025, 9, 30));
    /// // 7 working days before Monday 2025-10-20 is Friday 2025-10-10.
    /// assert_eq!(cal.add_working_days(date(2025, 10, 20), -7).unwrap(), date(2025, 10, 10));
    /// ```
    #[inline]
    pub fn add_working_days(&self, date: Date, n: i32) -> Result<Date, CalendarError> {
        let i = self.index(date)?;
        let k = if n >= 0 {
            if n == 0 {
                return Ok(date);
            }
            // Working days up to and including `date`, plus n, is the 1-based rank of the result.
            i64::from(self.cum[i + 1]) + i64::from(n) - 1
        } else {
            i64::from(self.cum[i]) + i64::from(n)
        };
        usize::try_from(k)
            .ok()
            .and_then(|k| self.workdays.get(k))
            .copied()
            .ok_or_else(|| self.out_of_range(date))
    }

    /// The number of working days in `(from, to]`: after `from`, up to and including `to`.
    /// Negative when `to` is before `from`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] outside 2000..=2100.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// use jiff::civil::date;
    /// let cal = Calendar::chinese_statutory();
    /// assert_eq!(cal.working_days_between(date(2025, 9, 26), date(2025, 9, 30)).unwrap(), 3);
    /// ```
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<i64, CalendarError> {
        let (a, b) = (self.index(from)?, self.index(to)?);
        Ok(i64::from(self.cum[b + 1]) - i64::from(self.cum[a + 1]))
    }

    /// The first working day on or after `date`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] outside the tables.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// use jiff::civil::date;
    /// let cal = Calendar::chinese_statutory();
    /// assert_eq!(cal.workday_on_or_after(date(2025, 10, 3)).unwrap(), date(2025, 10, 9));
    /// ```
    pub fn workday_on_or_after(&self, date: Date) -> Result<Date, CalendarError> {
        let i = self.index(date)?;
        if self.is_workday_at(i) {
            Ok(date)
        } else {
            self.add_working_days(date, 1)
        }
    }

    /// The days from `from` to `to`, both included.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when either end lies outside the tables.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// use jiff::civil::date;
    /// let cal = Calendar::chinese_statutory();
    /// let off = cal.days(date(2025, 10, 1), date(2025, 10, 11)).unwrap()
    ///     .filter(|d| !d.is_workday()).count();
    /// assert_eq!(off, 8);
    /// ```
    pub fn days(
        &self,
        from: Date,
        to: Date,
    ) -> Result<impl Iterator<Item = Day<'_>> + '_, CalendarError> {
        let (a, b) = (self.index(from)?, self.index(to)?);
        Ok((a..=b).filter(move |_| a <= b).map(move |i| {
            let entry = self.entries[i];
            let date = self.dates[i];
            Day {
                date,
                kind: entry.kind,
                holiday: self.names.get(usize::from(entry.name)),
                provisional: !self.is_official_year(date.year()),
            }
        }))
    }
}
