//! Reading calendar files: statutory year files, operator day lists (TOML) and
//! iCalendar (.ics) files. Every problem is reported with line and column, and a
//! file with any problem contributes nothing.

use std::io::BufReader;

use ical::LineReader;
use ical::line::LineRead;
use ical::property::PropertyParser;
use jiff::civil::Date;
use tierdesk_source::{LineIndex, Node, SourceErrors, TomlSource};

use crate::day::{DayKind, HolidayName};

/// One declared day from a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assignment {
    pub date: Date,
    pub kind: DayKind,
    pub name: HolidayName,
}

/// What one calendar file declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Declared {
    /// One year of the statutory calendar: the year is covered by official data.
    StatutoryYear { year: i16, days: Vec<Assignment> },
    /// Operator additions and removals on top of whatever else is loaded.
    OperatorDays { days: Vec<Assignment> },
}

/// Reads any supported calendar file, telling the format from its content.
pub(crate) fn parse(source_name: &str, text: &str) -> Result<Declared, SourceErrors> {
    if text.trim_start().starts_with("BEGIN:VCALENDAR") {
        return parse_ics(source_name, text).map(|days| Declared::OperatorDays { days });
    }
    let src = TomlSource::parse(source_name, text)?;
    let root = src.root();
    let declared = if root.get("year").is_some() {
        root.reject_unknown(&["year", "notice", "published", "holiday"]);
        parse_year(&src).map(|(year, days)| Declared::StatutoryYear { year, days })
    } else {
        root.reject_unknown(&["name", "day"]);
        if root.get("day").is_none() {
            root.error("a calendar file needs `year` and `[[holiday]]` tables (a statutory year) or `[[day]]` tables (operator days)");
        }
        parse_operator_days(&src).map(|days| Declared::OperatorDays { days })
    };
    src.finish()?;
    // finish() succeeded, so every reader returned Some.
    declared.ok_or_else(|| SourceErrors(Vec::new()))
}

fn parse_year(src: &TomlSource<'_>) -> Option<(i16, Vec<Assignment>)> {
    let root = src.root();
    let year_node = root.require("year")?;
    let year = year_node.as_int().and_then(|y| {
        let ok = (2000..=2100).contains(&y);
        if !ok {
            year_node.error(format!("`year` must be between 2000 and 2100, not {y}"));
        }
        i16::try_from(y).ok().filter(|_| ok)
    });
    if let Some(n) = root.get("notice") {
        n.as_str();
    }
    if let Some(n) = root.get("published") {
        n.parse_str(|s| s.parse::<Date>());
    }
    let mut days = Vec::new();
    let holidays = root
        .get("holiday")
        .and_then(|h| h.as_array())
        .unwrap_or_default();
    for holiday in holidays {
        let Some(table) = holiday.as_table() else {
            continue;
        };
        table.reject_unknown(&["name", "name_zh", "also", "also_zh", "off", "work"]);
        let en = table.require("name").and_then(|n| n.as_str());
        let zh = table.require("name_zh").and_then(|n| n.as_str());
        for key in ["also", "also_zh"] {
            if let Some(list) = table.get(key).and_then(|n| n.as_array()) {
                list.iter().for_each(|n| {
                    n.as_str();
                });
            }
        }
        let (Some(en), Some(zh)) = (en, zh) else {
            continue;
        };
        let name = HolidayName {
            en: en.to_owned(),
            zh: zh.to_owned(),
        };
        for (key, kind) in [("off", DayKind::Holiday), ("work", DayKind::MakeupWorkday)] {
            let Some(list) = table.require(key).and_then(|n| n.as_array()) else {
                continue;
            };
            for item in list {
                for date in parse_dates(&item) {
                    let weekend = is_weekend(date);
                    if kind == DayKind::MakeupWorkday && !weekend {
                        item.error(format!("{date} is a {}, already a working day: a make-up working day must fall on a weekend", date.weekday_name()));
                    }
                    days.push(Assignment {
                        date,
                        kind,
                        name: name.clone(),
                    });
                }
            }
        }
    }
    check_no_duplicates(src, &days);
    Some((year?, days))
}

fn parse_operator_days(src: &TomlSource<'_>) -> Option<Vec<Assignment>> {
    let root = src.root();
    if let Some(n) = root.get("name") {
        n.as_str();
    }
    let mut days = Vec::new();
    for entry in root
        .get("day")
        .and_then(|d| d.as_array())
        .unwrap_or_default()
    {
        let Some(table) = entry.as_table() else {
            continue;
        };
        table.reject_unknown(&["date", "workday", "name", "name_zh"]);
        let workday = table.require("workday").and_then(|n| n.as_bool());
        let en = table
            .require("name")
            .and_then(|n| n.as_str())
            .unwrap_or_default();
        let zh = table
            .get("name_zh")
            .and_then(|n| n.as_str())
            .unwrap_or_default();
        let dates = table
            .require("date")
            .map(|n| parse_dates(&n))
            .unwrap_or_default();
        let Some(workday) = workday else { continue };
        let kind = if workday {
            DayKind::OperatorWorkday
        } else {
            DayKind::OperatorRestDay
        };
        let name = HolidayName {
            en: en.to_owned(),
            zh: zh.to_owned(),
        };
        days.extend(dates.into_iter().map(|date| Assignment {
            date,
            kind,
            name: name.clone(),
        }));
    }
    check_no_duplicates(src, &days);
    Some(days)
}

/// A date `YYYY-MM-DD` or an inclusive range `YYYY-MM-DD..YYYY-MM-DD`.
fn parse_dates(node: &Node<'_>) -> Vec<Date> {
    let Some(text) = node.as_str() else {
        return Vec::new();
    };
    let (first, last) = match text.split_once("..") {
        Some((a, b)) => (a, b),
        None => (text, text),
    };
    let parse = |s: &str| {
        s.trim().parse::<Date>().map_err(|e| {
            node.error(format!(
                "`{}`: {s:?} is not a date YYYY-MM-DD ({e})",
                node.path()
            ));
        })
    };
    let (Ok(first), Ok(last)) = (parse(first), parse(last)) else {
        return Vec::new();
    };
    if last < first {
        node.error(format!(
            "`{}`: the range {text:?} ends before it starts",
            node.path()
        ));
        return Vec::new();
    }
    if first.year() < 2000 || last.year() > 2100 {
        node.error(format!(
            "`{}`: {text:?} lies outside 2000..=2100",
            node.path()
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut d = first;
    while d <= last {
        out.push(d);
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    out
}

fn check_no_duplicates(src: &TomlSource<'_>, days: &[Assignment]) {
    let mut seen = std::collections::HashSet::new();
    for a in days {
        if !seen.insert(a.date) {
            src.error_at(0, format!("{} is declared more than once", a.date));
        }
    }
}

pub(crate) fn is_weekend(date: Date) -> bool {
    matches!(
        date.weekday(),
        jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
    )
}

trait WeekdayName {
    fn weekday_name(self) -> &'static str;
}

impl WeekdayName for Date {
    fn weekday_name(self) -> &'static str {
        use jiff::civil::Weekday::*;
        match self.weekday() {
            Monday => "Monday",
            Tuesday => "Tuesday",
            Wednesday => "Wednesday",
            Thursday => "Thursday",
            Friday => "Friday",
            Saturday => "Saturday",
            Sunday => "Sunday",
        }
    }
}

/// Reads VEVENTs of whole days from an iCalendar file. An event is a rest day
/// unless it is marked as a working day: `X-TIERDESK-WORKDAY:TRUE`, a `CATEGORIES`
/// value `WORKDAY`, or a summary containing "班" (补班, 上班) as Chinese holiday
/// calendars write make-up days.
fn parse_ics(source_name: &str, text: &str) -> Result<Vec<Assignment>, SourceErrors> {
    let index = LineIndex::new(text);
    let mut errors = Vec::new();
    let mut days = Vec::new();
    let mut event: Option<IcsEvent> = None;
    let mut reader = LineReader::new(BufReader::new(text.as_bytes()));
    while let Some(line) = reader.next_line() {
        let number = line.number();
        let error_here = |errors: &mut Vec<_>, message: String| {
            errors.push(index.error(source_name, line_offset(text, number), message));
        };
        let content = format!("{}\r\n", line.as_str());
        let mut parser = PropertyParser::from_reader(BufReader::new(content.as_bytes()));
        let property = match parser.next() {
            Some(Ok(p)) => p,
            Some(Err(e)) => {
                error_here(&mut errors, format!("not an iCalendar content line: {e}"));
                continue;
            }
            None => continue,
        };
        let name = property.name.to_ascii_uppercase();
        let value = property.value.clone().unwrap_or_default();
        match (name.as_str(), value.to_ascii_uppercase().as_str()) {
            ("BEGIN", "VEVENT") => {
                event = Some(IcsEvent {
                    line: number,
                    ..IcsEvent::default()
                })
            }
            ("END", "VEVENT") => {
                if let Some(ev) = event.take() {
                    let begin = ev.line;
                    match ev.into_days() {
                        Ok(mut d) => days.append(&mut d),
                        Err(message) => {
                            errors.push(index.error(source_name, line_offset(text, begin), message))
                        }
                    }
                }
            }
            _ => {
                let Some(ev) = event.as_mut() else { continue };
                match name.as_str() {
                    "DTSTART" | "DTEND" => match parse_ics_date(&value) {
                        Some(d) if name == "DTSTART" => ev.start = Some(d),
                        Some(d) => ev.end = Some(d),
                        None => error_here(
                            &mut errors,
                            format!("{name} must be a date (VALUE=DATE, YYYYMMDD), not {value:?}"),
                        ),
                    },
                    "SUMMARY" => ev.summary = value,
                    "CATEGORIES" => {
                        ev.workday |= value
                            .split(',')
                            .any(|c| c.trim().eq_ignore_ascii_case("WORKDAY"))
                    }
                    "X-TIERDESK-WORKDAY" => ev.workday |= value.eq_ignore_ascii_case("TRUE"),
                    "RRULE" => error_here(
                        &mut errors,
                        "recurring events (RRULE) are not supported: list each day".to_owned(),
                    ),
                    _ => {}
                }
            }
        }
    }
    if event.is_some() {
        errors.push(index.error(source_name, text.len(), "BEGIN:VEVENT without END:VEVENT"));
    }
    if errors.is_empty() {
        Ok(days)
    } else {
        Err(SourceErrors(errors))
    }
}

/// Byte offset of the start of 1-based physical line `number`.
fn line_offset(text: &str, number: usize) -> usize {
    text.split_inclusive('\n')
        .take(number.saturating_sub(1))
        .map(str::len)
        .sum()
}

#[derive(Default)]
struct IcsEvent {
    line: usize,
    start: Option<Date>,
    end: Option<Date>,
    summary: String,
    workday: bool,
}

impl IcsEvent {
    fn into_days(self) -> Result<Vec<Assignment>, String> {
        let start = self
            .start
            .ok_or_else(|| "this VEVENT has no DTSTART".to_owned())?;
        // DTEND of an all-day event is exclusive; without it the event lasts one day.
        let end = match self.end {
            Some(end) if end <= start => {
                return Err("this VEVENT ends (DTEND) before it starts (DTSTART)".to_owned());
            }
            Some(end) => end,
            None => start.tomorrow().map_err(|e| e.to_string())?,
        };
        let workday = self.workday || self.summary.contains('班');
        let kind = if workday {
            DayKind::OperatorWorkday
        } else {
            DayKind::OperatorRestDay
        };
        let name = if self.summary.is_ascii() {
            HolidayName {
                en: self.summary,
                zh: String::new(),
            }
        } else {
            HolidayName {
                en: self.summary.clone(),
                zh: self.summary,
            }
        };
        let mut out = Vec::new();
        let mut d = start;
        while d < end {
            out.push(Assignment {
                date: d,
                kind,
                name: name.clone(),
            });
            d = d.tomorrow().map_err(|e| e.to_string())?;
        }
        Ok(out)
    }
}

fn parse_ics_date(value: &str) -> Option<Date> {
    let digits = value.get(..8)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) || value.len() != 8 {
        return None;
    }
    let y = digits[..4].parse().ok()?;
    let m = digits[4..6].parse().ok()?;
    let d = digits[6..8].parse().ok()?;
    Date::new(y, m, d).ok()
}
