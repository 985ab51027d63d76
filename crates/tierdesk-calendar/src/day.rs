//! What the calendar knows about one day.

use jiff::civil::Date;

/// Why a day is or is not a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayKind {
    /// Monday to Friday with nothing declared: a working day.
    Weekday,
    /// Saturday or Sunday with nothing declared: a rest day.
    Weekend,
    /// A statutory public holiday (or a day of its block): a rest day.
    Holiday,
    /// A weekend day declared a working day to make up for a holiday (调休上班).
    MakeupWorkday,
    /// A rest day the operator's own calendar adds.
    OperatorRestDay,
    /// A working day the operator's own calendar adds.
    OperatorWorkday,
}

impl DayKind {
    /// Whether a day of this kind is a working day.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::DayKind;
    /// assert!(DayKind::MakeupWorkday.is_workday());
    /// assert!(!DayKind::Holiday.is_workday());
    /// ```
    pub const fn is_workday(self) -> bool {
        matches!(
            self,
            DayKind::Weekday | DayKind::MakeupWorkday | DayKind::OperatorWorkday
        )
    }

    /// The stable snake_case name used in files and JSON.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::DayKind;
    /// assert_eq!(DayKind::MakeupWorkday.as_str(), "makeup_workday");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            DayKind::Weekday => "weekday",
            DayKind::Weekend => "weekend",
            DayKind::Holiday => "holiday",
            DayKind::MakeupWorkday => "makeup_workday",
            DayKind::OperatorRestDay => "operator_rest_day",
            DayKind::OperatorWorkday => "operator_workday",
        }
    }
}

/// A holiday's name in English and Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HolidayName {
    /// English name, e.g. "National Day".
    pub en: String,
    /// Chinese name, e.g. "国庆节"; may be empty for operator days named in one language.
    pub zh: String,
}

/// One day as the calendar sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day<'c> {
    /// The civil date.
    pub date: Date,
    /// Why it is (or is not) a working day.
    pub kind: DayKind,
    /// The holiday this day belongs to (for holidays and make-up days), if any.
    pub holiday: Option<&'c HolidayName>,
    /// True when no official data covers the day's year and the plain weekend rule applied.
    pub provisional: bool,
}

impl Day<'_> {
    /// Whether the day is a working day.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// let cal = Calendar::chinese_statutory();
    /// let day = cal.day(jiff::civil::date(2025, 9, 28)).unwrap();
    /// assert!(day.is_workday()); // a Sunday, but a make-up working day
    /// ```
    pub fn is_workday(&self) -> bool {
        self.kind.is_workday()
    }

    /// The display name in English: the holiday's name, with "(make-up working day)"
    /// appended on make-up days; `None` on ordinary days.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// let cal = Calendar::chinese_statutory();
    /// let day = cal.day(jiff::civil::date(2025, 9, 28)).unwrap();
    /// assert_eq!(day.name_en().as_deref(), Some("National Day (make-up working day)"));
    /// ```
    pub fn name_en(&self) -> Option<String> {
        let holiday = self.holiday?;
        Some(match self.kind {
            DayKind::MakeupWorkday => format!("{} (make-up working day)", holiday.en),
            _ => holiday.en.clone(),
        })
    }

    /// The display name in Chinese, with "（调休上班）" appended on make-up days.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::Calendar;
    /// let cal = Calendar::chinese_statutory();
    /// let day = cal.day(jiff::civil::date(2025, 10, 1)).unwrap();
    /// assert_eq!(day.name_zh().as_deref(), Some("国庆节"));
    /// ```
    pub fn name_zh(&self) -> Option<String> {
        let holiday = self.holiday?;
        if holiday.zh.is_empty() {
            return None;
        }
        Some(match self.kind {
            DayKind::MakeupWorkday => format!("{}（调休上班）", holiday.zh),
            _ => holiday.zh.clone(),
        })
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub(crate) const fn epoch_day(year: i32, month: i32, day: i32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[inline]
pub(crate) fn epoch_day_of(date: Date) -> i32 {
    epoch_day(
        i32::from(date.year()),
        i32::from(date.month()),
        i32::from(date.day()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_day_matches_jiff_for_every_day_of_the_table() {
        let mut date = jiff::civil::date(1999, 12, 1);
        let origin = jiff::civil::date(1970, 1, 1);
        while date.year() < 2102 {
            let expected = origin.until(date).unwrap().get_days();
            assert_eq!(epoch_day_of(date), expected, "{date}");
            date = date.tomorrow().unwrap();
        }
    }
}
