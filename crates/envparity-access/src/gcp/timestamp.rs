//! Instants of `request.time` and CEL `timestamp("…")` literals: RFC 3339 text parsed into
//! nanoseconds since the Unix epoch, and written back in UTC.

use std::fmt;

use serde::{Serialize, Serializer};

const NANOS_PER_SECOND: i128 = 1_000_000_000;
const SECONDS_PER_DAY: i128 = 86_400;

/// An instant, in nanoseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(pub i128);

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

fn days_in_month(year: i64, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn digits(text: &str, from: usize, len: usize) -> Option<u32> {
    let part = text.get(from..from + len)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

impl Timestamp {
    /// Parses RFC 3339 (`2024-01-31T12:00:00Z`, fractional seconds and `+hh:mm` offsets
    /// allowed; `t`/`z` in either case). `None` for anything else.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let t = text.trim();
        let year = digits(t, 0, 4)?;
        let month = digits(t, 5, 2)?;
        let day = digits(t, 8, 2)?;
        let (hour, minute, second) = (digits(t, 11, 2)?, digits(t, 14, 2)?, digits(t, 17, 2)?);
        let seps = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
        let bytes = t.as_bytes();
        if seps.iter().any(|(i, c)| bytes.get(*i) != Some(c))
            || !matches!(bytes.get(10), Some(b'T' | b't' | b' '))
        {
            return None;
        }
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(i64::from(year), month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut rest = t.get(19..)?;
        let mut nanos: i128 = 0;
        if let Some(fraction) = rest.strip_prefix('.') {
            let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if len == 0 || len > 9 {
                return None;
            }
            let value: i128 = fraction.get(..len)?.parse().ok()?;
            nanos = value * 10i128.pow(9 - u32::try_from(len).ok()?);
            rest = fraction.get(len..)?;
        }
        let offset_seconds: i128 = match rest {
            "Z" | "z" => 0,
            _ => {
                let sign = match rest.as_bytes().first() {
                    Some(b'+') => 1,
                    Some(b'-') => -1,
                    _ => return None,
                };
                if rest.len() != 6 || rest.as_bytes().get(3) != Some(&b':') {
                    return None;
                }
                let (h, m) = (digits(rest, 1, 2)?, digits(rest, 4, 2)?);
                if h > 23 || m > 59 {
                    return None;
                }
                sign * i128::from(h * 3600 + m * 60)
            }
        };
        let days = i128::from(days_from_civil(i64::from(year), month, day));
        let seconds = days * SECONDS_PER_DAY
            + i128::from(hour * 3600 + minute * 60 + second.min(59))
            - offset_seconds;
        Some(Timestamp(seconds * NANOS_PER_SECOND + nanos))
    }

    /// The instant `nanos` nanoseconds later (earlier when negative).
    pub fn plus_nanos(self, nanos: i128) -> Timestamp {
        Timestamp(self.0.saturating_add(nanos))
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC, with as many fractional digits as needed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0.div_euclid(NANOS_PER_SECOND);
        let nanos = self.0.rem_euclid(NANOS_PER_SECOND);
        let days = seconds.div_euclid(SECONDS_PER_DAY);
        let in_day = seconds.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(i64::try_from(days).unwrap_or(0));
        let (h, m, s) = (in_day / 3600, (in_day / 60) % 60, in_day % 60);
        write!(f, "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}")?;
        if nanos != 0 {
            let fraction = format!("{nanos:09}");
            write!(f, ".{}", fraction.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2020-10-01T00:00:00Z",
            "2024-02-29T23:59:59.5Z",
            "1969-12-31T23:59:59.000000001Z",
            "2399-12-31T00:00:00Z",
        ] {
            let t = Timestamp::parse(text).unwrap();
            assert_eq!(t.to_string(), text);
        }
    }

    #[test]
    fn offsets_and_errors() {
        let a = Timestamp::parse("2020-01-01T01:00:00+01:00").unwrap();
        assert_eq!(a, Timestamp::parse("2020-01-01T00:00:00.000Z").unwrap());
        for bad in [
            "2020-13-01T00:00:00Z",
            "2021-02-29T00:00:00Z",
            "2020-01-01",
            "x",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
    }
}
