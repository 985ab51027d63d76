//! ISO 8601 durations as jiff writes them (`PT4H`, `PT1H30M`, `PT0S`, `-PT5M`),
//! with a fast path for whole seconds: tierdesk writes millions of them.

use std::fmt;

use jiff::SignedDuration;

/// Displays a duration in jiff's ISO 8601 form.
///
/// # Example
/// ```
/// use tierdesk_calendar::IsoDuration;
/// use jiff::SignedDuration;
/// assert_eq!(IsoDuration(SignedDuration::from_mins(90)).to_string(), "PT1H30M");
/// assert_eq!(IsoDuration(SignedDuration::ZERO).to_string(), "PT0S");
/// assert_eq!(IsoDuration(SignedDuration::from_millis(-1500)).to_string(), "-PT1.5S");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IsoDuration(pub SignedDuration);

impl IsoDuration {
    /// Appends the ISO 8601 text to `out` without going through `fmt`.
    ///
    /// # Example
    /// ```
    /// use tierdesk_calendar::IsoDuration;
    /// let mut out = Vec::new();
    /// IsoDuration(jiff::SignedDuration::from_hours(4)).write_to(&mut out);
    /// assert_eq!(out, b"PT4H");
    /// ```
    pub fn write_to(self, out: &mut Vec<u8>) {
        let d = self.0;
        if d.subsec_nanos() != 0 {
            out.extend_from_slice(d.to_string().as_bytes());
            return;
        }
        let secs = d.as_secs();
        if secs < 0 {
            out.push(b'-');
        }
        out.extend_from_slice(b"PT");
        let abs = secs.unsigned_abs();
        let (h, m, s) = (abs / 3600, abs % 3600 / 60, abs % 60);
        let mut num = itoa::Buffer::new();
        if h > 0 {
            out.extend_from_slice(num.format(h).as_bytes());
            out.push(b'H');
        }
        if m > 0 {
            out.extend_from_slice(num.format(m).as_bytes());
            out.push(b'M');
        }
        if s > 0 || abs == 0 {
            out.extend_from_slice(num.format(s).as_bytes());
            out.push(b'S');
        }
    }
}

impl fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Vec::with_capacity(24);
        self.write_to(&mut out);
        f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_jiff_for_whole_and_fractional_durations() {
        for secs in (-200_000i64..200_000).step_by(37).chain([
            0,
            59,
            60,
            3600,
            86_400,
            172_800,
            i64::from(i32::MAX),
        ]) {
            let d = SignedDuration::from_secs(secs);
            assert_eq!(IsoDuration(d).to_string(), d.to_string());
        }
        for ms in [1, 999, 1500, -2500, 3_600_001] {
            let d = SignedDuration::from_millis(ms);
            assert_eq!(IsoDuration(d).to_string(), d.to_string());
        }
    }
}
