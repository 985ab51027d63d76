//! `tierdesk calendar`: list days and add working days, one at a time or in bulk.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use jiff::civil::Date;
use serde::Serialize;
use tierdesk_calendar::{Calendar, DayKind};

use crate::cli::CalendarCommand;
use crate::input::{bad, calendar, date, read_bytes};

#[derive(Serialize)]
struct DayJson<'a> {
    date: String,
    workday: bool,
    kind: &'a str,
    name: Option<String>,
    name_zh: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    provisional: bool,
}

pub fn run(cmd: CalendarCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        CalendarCommand::Days {
            from,
            to,
            json,
            special,
            calendar: args,
        } => {
            let cal = calendar(&args)?;
            let (from, to) = (date("FROM", &from)?, date("TO", &to)?);
            if to < from {
                return Err(bad(format!("TO ({to}) is before FROM ({from})")));
            }
            let days = cal.days(from, to).map_err(|e| bad(e.to_string()))?;
            let days =
                days.filter(|d| !special || !matches!(d.kind, DayKind::Weekday | DayKind::Weekend));
            let mut out = BufWriter::new(std::io::stdout().lock());
            if json {
                let list: Vec<DayJson<'_>> = days
                    .map(|d| DayJson {
                        date: d.date.to_string(),
                        workday: d.is_workday(),
                        kind: d.kind.as_str(),
                        name: d.name_en(),
                        name_zh: d.name_zh(),
                        provisional: d.provisional,
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                for d in days {
                    let name = match (d.name_en(), d.name_zh()) {
                        (Some(en), Some(zh)) if en != zh => format!("{en} / {zh}"),
                        (Some(en), _) => en,
                        _ => String::new(),
                    };
                    let status = if d.is_workday() { "working" } else { "rest" };
                    let provisional = if d.provisional {
                        " (provisional: no official data for this year)"
                    } else {
                        ""
                    };
                    writeln!(
                        out,
                        "{}  {:<3}  {:<7}  {:<17} {name}{provisional}",
                        d.date,
                        weekday(d.date),
                        status,
                        d.kind.as_str()
                    )?;
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        CalendarCommand::AddWorkingDays {
            date: Some(d),
            n: Some(n),
            batch: None,
            calendar: args,
        } => {
            let cal = calendar(&args)?;
            let d = date("DATE", &d)?;
            let result = cal.add_working_days(d, n).map_err(|e| bad(e.to_string()))?;
            println!("{result}");
            Ok(ExitCode::SUCCESS)
        }
        CalendarCommand::AddWorkingDays {
            batch: Some(path),
            calendar: args,
            ..
        } => {
            let cal = calendar(&args)?;
            let input = read_bytes(&path)?;
            let rejected = add_working_days_batch(
                &cal,
                &input,
                &mut std::io::stdout().lock(),
                &path.display().to_string(),
            )?;
            Ok(if rejected == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        CalendarCommand::AddWorkingDays { .. } => Err(bad("give DATE and N, or --batch FILE")),
    }
}

fn weekday(d: Date) -> &'static str {
    use jiff::civil::Weekday::*;
    match d.weekday() {
        Monday => "Mon",
        Tuesday => "Tue",
        Wednesday => "Wed",
        Thursday => "Thu",
        Friday => "Fri",
        Saturday => "Sat",
        Sunday => "Sun",
    }
}

/// Lines `YYYY-MM-DD,N` in, one `YYYY-MM-DD` a line out. A bad line gives an empty
/// output line (so output lines stay aligned with input lines) and a message on stderr.
/// Returns the number of rejected lines.
fn add_working_days_batch(
    cal: &Calendar,
    input: &[u8],
    out: &mut impl Write,
    name: &str,
) -> anyhow::Result<usize> {
    let mut out = BufWriter::with_capacity(1 << 16, out);
    let mut rejected = 0;
    let mut line_no = 0usize;
    let mut rest = input;
    while !rest.is_empty() {
        let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let mut line = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or_default();
        line_no += 1;
        if let [head @ .., b'\r'] = line {
            line = head;
        }
        if line.is_empty() {
            out.write_all(b"\n")?;
            continue;
        }
        match parse_line(line)
            .and_then(|(d, n)| cal.add_working_days(d, n).map_err(|e| e.to_string()))
        {
            Ok(result) => {
                let mut buf = [0u8; 11];
                write_date(&mut buf, result);
                out.write_all(&buf)?;
            }
            Err(message) => {
                rejected += 1;
                out.write_all(b"\n")?;
                eprintln!("{name}:{line_no}: {message}");
            }
        }
    }
    out.flush()?;
    Ok(rejected)
}

fn parse_line(line: &[u8]) -> Result<(Date, i32), String> {
    let shown = || String::from_utf8_lossy(line).into_owned();
    let comma =
        memchr::memchr(b',', line).ok_or_else(|| format!("expected DATE,N, got {:?}", shown()))?;
    let (d, n) = (&line[..comma], &line[comma + 1..]);
    let date = parse_date(d)
        .ok_or_else(|| format!("{:?} is not a date YYYY-MM-DD", String::from_utf8_lossy(d)))?;
    let n = std::str::from_utf8(n)
        .ok()
        .and_then(|s| s.trim().parse::<i32>().ok())
        .ok_or_else(|| {
            format!(
                "{:?} is not a whole number of working days",
                String::from_utf8_lossy(n)
            )
        })?;
    Ok((date, n))
}

fn parse_date(b: &[u8]) -> Option<Date> {
    let b = b.trim_ascii();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &[u8]| {
        s.iter().try_fold(0i32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i32::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(&b[..4])?, num(&b[5..7])?, num(&b[8..10])?);
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

fn write_date(buf: &mut [u8; 11], d: Date) {
    let (y, m, day) = (d.year() as u16, d.month() as u8, d.day() as u8);
    buf[0] = b'0' + (y / 1000 % 10) as u8;
    buf[1] = b'0' + (y / 100 % 10) as u8;
    buf[2] = b'0' + (y / 10 % 10) as u8;
    buf[3] = b'0' + (y % 10) as u8;
    buf[4] = b'-';
    buf[5] = b'0' + m / 10;
    buf[6] = b'0' + m % 10;
    buf[7] = b'-';
    buf[8] = b'0' + day / 10;
    buf[9] = b'0' + day % 10;
    buf[10] = b'\n';
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_keeps_lines_aligned_and_reports_bad_ones() {
        let cal = Calendar::chinese_statutory();
        let mut out = Vec::new();
        let rejected = add_working_days_batch(
            cal,
            b"2025-09-26,3\r\nnot a line\n2025-10-20,-7\n2025-02-30,1",
            &mut out,
            "t",
        )
        .unwrap();
        assert_eq!(rejected, 2);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "2025-09-30\n\n2025-10-10\n\n"
        );
    }
}
