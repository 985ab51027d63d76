//! Fast, exact writers and readers for the two text forms the JSON carries most:
//! RFC 3339 instants (`2025-09-30T16:00:00+08:00`) and ISO 8601 durations (`PT1H30M`).
//! They cover the common shapes and hand everything else to jiff; tests compare
//! them with jiff over many values.

use jiff::Timestamp;
use jiff::tz::Offset;

/// Remembers the date text of the last local day written: the instants of one
/// ticket mostly fall on a few days.
#[derive(Default)]
pub(crate) struct DayCache {
    day: Option<i64>,
    text: [u8; 10],
}

/// Appends `t` at `offset` as RFC 3339 to `out`. Sub-second instants and
/// offsets with seconds go through jiff.
pub(crate) fn write_instant(t: Timestamp, offset: Offset, cache: &mut DayCache, out: &mut Vec<u8>) {
    let local = t.as_second() + i64::from(offset.seconds());
    let (days, sod) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let two = |v: i64| [b'0' + (v / 10) as u8, b'0' + (v % 10) as u8];
    if cache.day != Some(days) {
        let (y, mo, d) = civil_from_days(days);
        if !(0..=9999).contains(&y) {
            out.extend_from_slice(t.display_with_offset(offset).to_string().as_bytes());
            return;
        }
        let [y1, y2] = two(y / 100);
        let [y3, y4] = two(y % 100);
        let [m1, m2] = two(i64::from(mo));
        let [d1, d2] = two(i64::from(d));
        cache.text = [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2];
        cache.day = Some(days);
    }
    if t.subsec_nanosecond() != 0 || offset.seconds() % 60 != 0 {
        out.extend_from_slice(t.display_with_offset(offset).to_string().as_bytes());
        return;
    }
    let (h, mi, s) = (sod / 3600, sod % 3600 / 60, sod % 60);
    let abs = i64::from(offset.seconds().unsigned_abs());
    let [h1, h2] = two(h);
    let [i1, i2] = two(mi);
    let [s1, s2] = two(s);
    let [oh1, oh2] = two(abs / 3600);
    let [om1, om2] = two(abs % 3600 / 60);
    let sign = if offset.seconds() < 0 { b'-' } else { b'+' };
    out.extend_from_slice(&cache.text);
    out.extend_from_slice(&[
        b'T', h1, h2, b':', i1, i2, b':', s1, s2, sign, oh1, oh2, b':', om1, om2,
    ]);
}

/// Howard Hinnant's civil_from_days: (year, month, day) of days since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i8, i8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m as i8, d as i8)
}

/// Reads an RFC 3339 instant of the common shape `YYYY-MM-DDTHH:MM:SS` followed by
/// `Z` or `±HH:MM`; `None` for anything else (the caller then asks jiff).
pub(crate) fn parse_instant(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() != 20 && b.len() != 25 {
        return None;
    }
    let digit = |i: usize| -> Option<i64> { b[i].is_ascii_digit().then(|| i64::from(b[i] - b'0')) };
    let num2 = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let year = num2(0)? * 100 + num2(2)?;
    let (month, day) = (num2(5)?, num2(8)?);
    let (hour, minute, second) = (num2(11)?, num2(14)?, num2(17)?);
    let offset = match b[19] {
        b'Z' | b'z' if b.len() == 20 => 0,
        sign @ (b'+' | b'-') if b.len() == 25 && b[22] == b':' => {
            let (oh, om) = (num2(20)?, num2(23)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if sign == b'-' { -o } else { o }
        }
        _ => return None,
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Timestamp::from_second(days * 86_400 + hour * 3600 + minute * 60 + second - offset).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_instants_match_jiff_in_both_directions() {
        let offsets = [
            Offset::constant(8),
            Offset::UTC,
            Offset::constant(-5),
            Offset::from_seconds(19_800).unwrap(),
        ];
        let mut t: i64 = 946_684_800 - 86_400 * 400;
        while t < 4_102_444_800 {
            let ts = Timestamp::from_second(t).unwrap();
            for offset in offsets {
                let mut buf = Vec::new();
                write_instant(ts, offset, &mut DayCache::default(), &mut buf);
                let fast = String::from_utf8(buf).unwrap();
                assert_eq!(fast, ts.display_with_offset(offset).to_string());
                assert_eq!(parse_instant(&fast), Some(ts), "{fast}");
                assert_eq!(fast.parse::<Timestamp>().unwrap(), ts);
            }
            t += 86_400 * 3 + 3_671;
        }
    }

    #[test]
    fn fast_parser_declines_what_it_does_not_know_and_rejects_impossible_dates() {
        for s in [
            "2025-09-30T16:00:00.5+08:00",
            "2025-09-30 16:00:00+08:00",
            "2025-09-30T16:00+08:00",
            "20250930T160000Z",
        ] {
            assert_eq!(parse_instant(s), None, "{s}");
        }
        for s in [
            "2025-02-29T00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-01-01T24:00:00Z",
            "2025-01-01T00:00:60Z",
            "2025-01-01T00:00:00+24:00",
        ] {
            assert_eq!(parse_instant(s), None, "{s}");
        }
        assert_eq!(
            parse_instant("2024-02-29T23:59:59-00:30")
                .unwrap()
                .to_string(),
            "2024-03-01T00:29:59Z"
        );
    }
}
