//! Deadlines and counted time on a calendar in a time zone: the time rules of SPEC.md.
//!
//! Every schedule is compiled into a timeline: for each day of the calendar, the
//! instants at which counted time runs, and a prefix sum of counted time. Counting
//! between two instants is then O(1) and adding counted time is one binary search.

use std::sync::Arc;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::calendar::Calendar;
use crate::day::DayKind;
use crate::error::CalendarError;
use crate::period::{Roll, Target};
use crate::schedule::Schedule;

/// An interval during which a clock is stopped; `end` is `None` while it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    /// When the pause began.
    pub start: Timestamp,
    /// When it ended, if it has.
    pub end: Option<Timestamp>,
}

/// When a clock is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Due at this instant.
    At(Timestamp),
    /// Stopped by an open pause; the due instant depends on when it ends.
    Paused {
        /// When the clock stopped.
        since: Timestamp,
        /// Counted time still left on the clock.
        remaining: SignedDuration,
    },
}

#[derive(Debug, Clone)]
struct Timeline {
    schedule: Schedule,
    /// `cum[i]`: counted nanoseconds in days `0..i`.
    cum: Vec<i64>,
    /// Counting windows, all days in order.
    windows: Vec<(i64, i64)>,
    /// Windows of day `i` are `windows[first[i]..first[i + 1]]`.
    first: Vec<u32>,
}

/// A calendar in a time zone, with compiled schedules: answers every deadline question.
#[derive(Debug, Clone)]
pub struct TimeRules {
    calendar: Arc<Calendar>,
    tz: TimeZone,
    /// `day_starts[i]`: local midnight of day `i` in UTC nanoseconds; one more than days.
    day_starts: Vec<i64>,
    timelines: Vec<Timeline>,
}

fn ns(ts: Timestamp) -> i64 {
    // Within the calendar's 2000..=2100 tables nanoseconds fit easily in an i64.
    i64::try_from(ts.as_nanosecond()).unwrap_or(if ts.as_second() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

fn ts(nanos: i64) -> Timestamp {
    Timestamp::from_nanosecond(i128::from(nanos)).unwrap_or(Timestamp::MAX)
}

fn dur(nanos: i64) -> SignedDuration {
    SignedDuration::from_nanos(nanos)
}

fn dur_ns(d: SignedDuration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

impl TimeRules {
    /// Compiles `calendar` in `tz` for working-day arithmetic and for each clock
    /// schedule in `schedules` (24x7 and whole working days are always available).
    ///
    /// # Errors
    /// [`CalendarError::TimeZone`] if local midnights cannot be resolved.
    ///
    /// # Example
    /// ```
    /// use std::sync::Arc;
    /// use tierdesk_calendar::{Calendar, TimeRules};
    /// let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    /// let rules = TimeRules::new(Arc::new(Calendar::chinese_statutory().clone()), tz, &[]).unwrap();
    /// assert_eq!(rules.calendar().name(), "cn-statutory");
    /// ```
    pub fn new(
        calendar: Arc<Calendar>,
        tz: TimeZone,
        schedules: &[Schedule],
    ) -> Result<Self, CalendarError> {
        let n = calendar.len();
        let mut day_starts = Vec::with_capacity(n + 1);
        for i in 0..n {
            day_starts.push(local_ns(&tz, calendar.date_at(i), 0)?);
        }
        let after_last = calendar
            .last_date()
            .tomorrow()
            .map_err(|e| CalendarError::TimeZone(e.to_string()))?;
        day_starts.push(local_ns(&tz, after_last, 0)?);
        let mut rules = TimeRules {
            calendar,
            tz,
            day_starts,
            timelines: Vec::new(),
        };
        let mut wanted = vec![Schedule::WorkingDays];
        wanted.extend(schedules.iter().copied().filter(|s| *s != Schedule::Always));
        for schedule in wanted {
            if rules.timeline(schedule).is_none() {
                let timeline = rules.compile(schedule)?;
                rules.timelines.push(timeline);
            }
        }
        Ok(rules)
    }

    fn compile(&self, schedule: Schedule) -> Result<Timeline, CalendarError> {
        let n = self.calendar.len();
        let mut cum = Vec::with_capacity(n + 1);
        let mut windows = Vec::new();
        let mut first = Vec::with_capacity(n + 1);
        let mut total = 0i64;
        cum.push(0);
        first.push(0);
        for i in 0..n {
            let (start, end) = (self.day_starts[i], self.day_starts[i + 1]);
            match schedule {
                Schedule::Always => windows.push((start, end)),
                Schedule::WorkingDays => {
                    if self.calendar.is_workday_at(i) {
                        windows.push((start, end));
                    }
                }
                Schedule::BusinessHours(bh) => {
                    if self.calendar.is_workday_at(i) {
                        let date = self.calendar.date_at(i);
                        for &(a, b) in bh.windows() {
                            let a = local_ns(&self.tz, date, a)?;
                            let b = if b >= 86_400 {
                                end
                            } else {
                                local_ns(&self.tz, date, b)?
                            };
                            if b > a {
                                windows.push((a, b));
                            }
                        }
                    }
                }
            }
            let day_windows = &windows[first[i] as usize..];
            total += day_windows.iter().map(|(a, b)| b - a).sum::<i64>();
            cum.push(total);
            first.push(u32::try_from(windows.len()).unwrap_or(u32::MAX));
        }
        Ok(Timeline {
            schedule,
            cum,
            windows,
            first,
        })
    }

    fn timeline(&self, schedule: Schedule) -> Option<&Timeline> {
        self.timelines.iter().find(|t| t.schedule == schedule)
    }

    fn timeline_or_err(&self, schedule: Schedule) -> Result<&Timeline, CalendarError> {
        self.timeline(schedule)
            .ok_or_else(|| CalendarError::UnpreparedSchedule(schedule.to_string()))
    }

    /// The calendar these rules use.
    ///
    /// # Example
    /// ```
    /// # use std::sync::Arc;
    /// # use tierdesk_calendar::{Calendar, TimeRules};
    /// let rules = TimeRules::chinese_statutory_shanghai();
    /// assert!(rules.calendar().is_official_year(2025));
    /// ```
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The time zone days are judged in.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_calendar::TimeRules;
    /// let rules = TimeRules::chinese_statutory_shanghai();
    /// assert_eq!(rules.time_zone().iana_name(), Some("Asia/Shanghai"));
    /// ```
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The shipped Chinese statutory calendar in `Asia/Shanghai`, for examples and tests.
    ///
    /// # Panics
    /// Never with the bundled time zone database.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_calendar::TimeRules;
    /// let rules = TimeRules::chinese_statutory_shanghai();
    /// assert_eq!(rules.calendar().name(), "cn-statutory");
    /// ```
    pub fn chinese_statutory_shanghai() -> TimeRules {
        let tz = TimeZone::get("Asia/Shanghai").expect("the bundled tz database has Asia/Shanghai");
        TimeRules::new(Arc::new(Calendar::chinese_statutory().clone()), tz, &[])
            .expect("Asia/Shanghai midnights resolve")
    }

    fn day_index(&self, t: i64) -> Result<usize, CalendarError> {
        let starts = &self.day_starts;
        let n = starts.len() - 1;
        if t < starts[0] || t >= starts[n] {
            let date = self.tz.to_datetime(ts(t)).date();
            return Err(self.calendar.out_of_range(date));
        }
        let guess = usize::try_from((t - starts[0]) / 86_400_000_000_000)
            .unwrap_or(0)
            .min(n - 1);
        let mut i = guess;
        while starts[i] > t {
            i -= 1;
        }
        while starts[i + 1] <= t {
            i += 1;
        }
        Ok(i)
    }

    /// The local date of an instant.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] outside the calendar's tables.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_calendar::TimeRules;
    /// let rules = TimeRules::chinese_statutory_shanghai();
    /// let t: jiff::Timestamp = "2025-09-30T17:00:00Z".parse().unwrap();
    /// assert_eq!(rules.local_date(t).unwrap(), jiff::civil::date(2025, 10, 1));
    /// ```
    pub fn local_date(&self, t: Timestamp) -> Result<Date, CalendarError> {
        Ok(self.calendar.date_at(self.day_index(ns(t))?))
    }

    /// Local midnight at the start of `date`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] outside the calendar's tables.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_calendar::TimeRules;
    /// let rules = TimeRules::chinese_statutory_shanghai();
    /// let t = rules.start_of_day(jiff::civil::date(2025, 10, 1)).unwrap();
    /// assert_eq!(t.to_string(), "2025-09-30T16:00:00Z");
    /// ```
    pub fn start_of_day(&self, date: Date) -> Result<Timestamp, CalendarError> {
        Ok(ts(self.day_starts[self.calendar.index(date)?]))
    }

    /// 24:00 of `date`, which is local midnight of the next day.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] outside the calendar's tables.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_calendar::TimeRules;
    /// let rules = TimeRules::chinese_statutory_shanghai();
    /// let t = rules.end_of_day(jiff::civil::date(2025, 9, 30)).unwrap();
    /// assert_eq!(t.to_string(), "2025-09-30T16:00:00Z");
    /// ```
    pub fn end_of_day(&self, date: Date) -> Result<Timestamp, CalendarError> {
        Ok(ts(self.day_starts[self.calendar.index(date)? + 1]))
    }

    fn cum_at(&self, tl: &Timeline, t: i64) -> Result<i64, CalendarError> {
        let i = self.day_index(t)?;
        let within: i64 = tl.windows[tl.first[i] as usize..tl.first[i + 1] as usize]
            .iter()
            .map(|&(a, b)| (t.clamp(a, b)) - a)
            .sum();
        Ok(tl.cum[i] + within)
    }

    /// Counted time from `a` to `b` on `schedule` (zero if `b` is not after `a`).
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] outside the tables; [`CalendarError::UnpreparedSchedule`]
    /// for a business-hours schedule not given to [`TimeRules::new`].
    ///
    /// # Example
    /// ```
    /// # use tierdesk_calendar::{Schedule, TimeRules};
    /// let rules = TimeRules::chinese_statutory_shanghai();
    /// let a = "2025-09-30T12:00:00+08:00".parse().unwrap();
    /// let b = "2025-10-09T12:00:00+08:00".parse().unwrap();
    /// // Half of Sep 30 and half of Oct 9 are working time; Oct 1-8 is a holiday.
    /// assert_eq!(rules.counted(Schedule::WorkingDays, a, b).unwrap().as_hours(), 24);
    /// ```
    pub fn counted(
        &self,
        schedule: Schedule,
        a: Timestamp,
        b: Timestamp,
    ) -> Result<SignedDuration, CalendarError> {
        if b <= a {
            return Ok(SignedDuration::ZERO);
        }
        if schedule == Schedule::Always {
            return Ok(b.duration_since(a));
        }
        let tl = self.timeline_or_err(schedule)?;
        Ok(dur(self.cum_at(tl, ns(b))? - self.cum_at(tl, ns(a))?))
    }

    /// The earliest instant at which `amount` of counted time on `schedule` has run since `a`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when the result lies beyond the tables;
    /// [`CalendarError::UnpreparedSchedule`] for an unknown business-hours schedule.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_calendar::{Schedule, TimeRules};
    /// let rules = TimeRules::with_schedules(&["09:00-18:00".parse().unwrap()]);
    /// let friday_5pm = "2025-09-26T17:00:00+08:00".parse().unwrap();
    /// let due = rules.add("09:00-18:00".parse().unwrap(), friday_5pm, jiff::SignedDuration::from_hours(2)).unwrap();
    /// // One hour on Friday, then Sunday 2025-09-28 is a make-up working day.
    /// assert_eq!(due.to_string(), "2025-09-28T02:00:00Z");
    /// ```
    pub fn add(
        &self,
        schedule: Schedule,
        a: Timestamp,
        amount: SignedDuration,
    ) -> Result<Timestamp, CalendarError> {
        if amount <= SignedDuration::ZERO {
            return Ok(a);
        }
        if schedule == Schedule::Always {
            return a
                .checked_add(amount)
                .map_err(|_| self.calendar.out_of_range(self.calendar.last_date()));
        }
        let tl = self.timeline_or_err(schedule)?;
        let target = self.cum_at(tl, ns(a))?.saturating_add(dur_ns(amount));
        let n = tl.cum.len() - 1;
        if target > tl.cum[n] {
            return Err(self.calendar.out_of_range(self.calendar.last_date()));
        }
        // Smallest day i whose end reaches the target.
        let i = tl.cum[1..].partition_point(|&c| c < target);
        let mut remaining = target - tl.cum[i];
        for &(w0, w1) in &tl.windows[tl.first[i] as usize..tl.first[i + 1] as usize] {
            if remaining <= w1 - w0 {
                return Ok(ts(w0 + remaining));
            }
            remaining -= w1 - w0;
        }
        Err(self.calendar.out_of_range(self.calendar.last_date()))
    }

    /// The instant from which a target's counted time runs: the start itself for clock
    /// time, 00:00 of the day after the start day for working days (the start day never counts).
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] outside the tables.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_calendar::{Target, TimeRules};
    /// let rules = TimeRules::chinese_statutory_shanghai();
    /// let start = "2025-09-26T15:00:00+08:00".parse().unwrap();
    /// let origin = rules.clock_origin(&Target::WorkingDays(3), start).unwrap();
    /// assert_eq!(origin.to_string(), "2025-09-26T16:00:00Z"); // 2025-09-27 00:00 +08:00
    /// ```
    pub fn clock_origin(
        &self,
        target: &Target,
        start: Timestamp,
    ) -> Result<Timestamp, CalendarError> {
        match target {
            Target::WorkingDays(_) => Ok(ts(self.day_starts[self.day_index(ns(start))? + 1])),
            _ => Ok(start),
        }
    }

    /// When a target that started at `start` is due, pushed later by `pauses`
    /// (sorted by start) where the target can be paused.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when the start or the deadline lies outside the tables.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_calendar::{Due, Pause, Target, TimeRules};
    /// let rules = TimeRules::chinese_statutory_shanghai();
    /// let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    /// // The SPEC example: issued Friday 2025-09-26 15:00, 3 working days.
    /// let due = rules.due(&Target::WorkingDays(3), at("2025-09-26T15:00:00+08:00"), &[]).unwrap();
    /// // Due at 24:00 on Tuesday 2025-09-30: Sunday 2025-09-28 was a make-up working day.
    /// assert_eq!(due, Due::At(at("2025-10-01T00:00:00+08:00")));
    /// // A 4-hour clock with one hour paused is due an hour later.
    /// let pause = Pause { start: at("2025-09-30T17:00:00+08:00"), end: Some(at("2025-09-30T18:00:00+08:00")) };
    /// let target = Target::Clock { amount: jiff::SignedDuration::from_hours(4), schedule: tierdesk_calendar::Schedule::Always };
    /// let due = rules.due(&target, at("2025-09-30T16:00:00+08:00"), &[pause]).unwrap();
    /// assert_eq!(due, Due::At(at("2025-09-30T21:00:00+08:00")));
    /// ```
    pub fn due(
        &self,
        target: &Target,
        start: Timestamp,
        pauses: &[Pause],
    ) -> Result<Due, CalendarError> {
        match *target {
            Target::Clock { amount, schedule } => self.due_counted(schedule, start, amount, pauses),
            Target::WorkingDays(n) => {
                let origin = self.clock_origin(target, start)?;
                let start_date = self.local_date(start)?;
                let last = self
                    .calendar
                    .add_working_days(start_date, i32::try_from(n).unwrap_or(i32::MAX))?;
                let unpaused = if n == 0 {
                    origin
                } else {
                    self.end_of_day(last)?
                };
                let amount = self.counted(Schedule::WorkingDays, origin, unpaused)?;
                self.due_counted(Schedule::WorkingDays, origin, amount, pauses)
            }
            Target::Days { days, roll } => {
                let date = self.local_date(start)?;
                let last = date
                    .checked_add(jiff::Span::new().days(i64::from(days)))
                    .map_err(|_| self.calendar.out_of_range(date))?;
                Ok(Due::At(self.end_of_day(self.roll(last, roll)?)?))
            }
            Target::Months(months) => {
                let date = self.local_date(start)?;
                let last = date
                    .checked_add(jiff::Span::new().months(i64::from(months)))
                    .map_err(|_| self.calendar.out_of_range(date))?;
                Ok(Due::At(self.end_of_day(last)?))
            }
        }
    }

    fn roll(&self, date: Date, roll: Roll) -> Result<Date, CalendarError> {
        match roll {
            Roll::None => Ok(date),
            Roll::NextWorkingDay => self.calendar.workday_on_or_after(date),
            Roll::HolidaysOnly => {
                let kind = self.calendar.day(date)?.kind;
                if matches!(kind, DayKind::Holiday | DayKind::OperatorRestDay) {
                    self.calendar.workday_on_or_after(date)
                } else {
                    Ok(date)
                }
            }
        }
    }

    fn due_counted(
        &self,
        schedule: Schedule,
        start: Timestamp,
        amount: SignedDuration,
        pauses: &[Pause],
    ) -> Result<Due, CalendarError> {
        let mut remaining = amount;
        let mut cursor = start;
        for pause in pauses {
            if pause.end.is_some_and(|e| e <= cursor) {
                continue;
            }
            let paused_from = pause.start.max(cursor);
            let run = self.counted(schedule, cursor, paused_from)?;
            if run >= remaining {
                break;
            }
            remaining -= run;
            match pause.end {
                Some(end) => cursor = end,
                None => {
                    return Ok(Due::Paused {
                        since: paused_from,
                        remaining,
                    });
                }
            }
        }
        Ok(Due::At(self.add(schedule, cursor, remaining)?))
    }

    /// The latest instant by which advance notice of `working_days` must be sent for
    /// work that starts at `work_start`: 24:00 of the n-th working day before the work's
    /// day (which itself does not count).
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] outside the tables.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_calendar::TimeRules;
    /// let rules = TimeRules::chinese_statutory_shanghai();
    /// let work = "2025-10-20T09:00:00+08:00".parse().unwrap();
    /// let by = rules.notice_deadline(work, 7).unwrap();
    /// assert_eq!(by.to_string(), "2025-10-10T16:00:00Z"); // end of Friday 2025-10-10, Beijing time
    /// ```
    pub fn notice_deadline(
        &self,
        work_start: Timestamp,
        working_days: u32,
    ) -> Result<Timestamp, CalendarError> {
        let day = self.local_date(work_start)?;
        let n = i32::try_from(working_days).unwrap_or(i32::MAX);
        self.end_of_day(self.calendar.add_working_days(day, -n)?)
    }

    /// The latest instant by which notice of `days` calendar days must be sent for
    /// work at `work_start`: 24:00 of the n-th day before the work's day (emergency work).
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] outside the tables.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_calendar::TimeRules;
    /// let rules = TimeRules::chinese_statutory_shanghai();
    /// let work = "2025-10-20T09:00:00+08:00".parse().unwrap();
    /// assert_eq!(rules.notice_deadline_days(work, 1).unwrap().to_string(), "2025-10-19T16:00:00Z");
    /// ```
    pub fn notice_deadline_days(
        &self,
        work_start: Timestamp,
        days: u32,
    ) -> Result<Timestamp, CalendarError> {
        let day = self.local_date(work_start)?;
        let before = day
            .checked_sub(jiff::Span::new().days(i64::from(days)))
            .map_err(|_| self.calendar.out_of_range(day))?;
        self.end_of_day(before)
    }
}

impl TimeRules {
    /// The shipped calendar in `Asia/Shanghai` with extra business-hours schedules compiled.
    ///
    /// # Panics
    /// Never with the bundled time zone database.
    ///
    /// # Example
    /// ```
    /// # use tierdesk_calendar::TimeRules;
    /// let rules = TimeRules::with_schedules(&["09:00-18:00".parse().unwrap()]);
    /// assert!(rules.counted("09:00-18:00".parse().unwrap(),
    ///     "2025-09-29T00:00:00+08:00".parse().unwrap(),
    ///     "2025-09-30T00:00:00+08:00".parse().unwrap()).unwrap().as_hours() == 9);
    /// ```
    pub fn with_schedules(schedules: &[Schedule]) -> TimeRules {
        let tz = TimeZone::get("Asia/Shanghai").expect("the bundled tz database has Asia/Shanghai");
        TimeRules::new(
            Arc::new(Calendar::chinese_statutory().clone()),
            tz,
            schedules,
        )
        .expect("Asia/Shanghai midnights resolve")
    }
}

fn local_ns(tz: &TimeZone, date: Date, seconds: u32) -> Result<i64, CalendarError> {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let time = Time::new(
        i8::try_from(h).unwrap_or(0),
        i8::try_from(m).unwrap_or(0),
        i8::try_from(s).unwrap_or(0),
        0,
    )
    .map_err(|e| CalendarError::TimeZone(e.to_string()))?;
    tz.to_timestamp(date.to_datetime(time))
        .map(ns)
        .map_err(|e| CalendarError::TimeZone(e.to_string()))
}
