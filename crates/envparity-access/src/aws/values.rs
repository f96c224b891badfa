//! Typed condition values: numbers, dates (ISO 8601 or epoch seconds, kept as epoch
//! milliseconds), IP addresses and CIDR blocks (as integer ranges per address family), booleans.

use std::net::IpAddr;

/// A finite number (`NumericEquals` and friends). `inf`/`NaN` are not numbers.
pub(crate) fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty()
        || t.chars()
            .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Writes a number so that [`number`] reads it back exactly.
pub(crate) fn format_number(n: f64) -> String {
    format!("{n}")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn digits(text: &str, len: usize) -> Option<i64> {
    (text.len() == len && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// A date as epoch milliseconds: epoch seconds (`1700000000`), `YYYY-MM-DD`, or
/// `YYYY-MM-DDThh:mm[:ss[.fff]]` followed by `Z` or `±hh:mm`.
pub(crate) fn date(text: &str) -> Option<i64> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<i64>().ok()?.checked_mul(1000);
    }
    let (day, time) = match t.split_once(['T', 't']) {
        Some((d, rest)) => (d, Some(rest)),
        None => (t, None),
    };
    let mut parts = day.split('-');
    let (y, m, d) = (
        digits(parts.next()?, 4)?,
        digits(parts.next()?, 2)?,
        digits(parts.next()?, 2)?,
    );
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    if civil_from_days(days) != (y, m, d) {
        return None;
    }
    let mut millis = days * 86_400_000;
    let Some(time) = time else {
        return Some(millis);
    };
    let (clock, offset_ms) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else {
        let at = time.rfind(['+', '-'])?;
        let (c, off) = time.split_at(at);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (oh, om) = off.get(1..)?.split_once(':')?;
        (c, sign * (digits(oh, 2)? * 60 + digits(om, 2)?) * 60_000)
    };
    let (clock, fraction) = match clock.split_once('.') {
        Some((c, f)) if !f.is_empty() && f.len() <= 3 => {
            let scale = 10_i64.pow(3 - u32::try_from(f.len()).ok()?);
            (c, digits(f, f.len())? * scale)
        }
        Some(_) => return None,
        None => (clock, 0),
    };
    let fields: Vec<&str> = clock.split(':').collect();
    let (h, mi, s) = match fields.as_slice() {
        [h, mi] => (digits(h, 2)?, digits(mi, 2)?, 0),
        [h, mi, s] => (digits(h, 2)?, digits(mi, 2)?, digits(s, 2)?),
        _ => return None,
    };
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    millis += ((h * 60 + mi) * 60 + s) * 1000 + fraction - offset_ms;
    Some(millis)
}

/// Writes epoch milliseconds as `YYYY-MM-DDThh:mm:ss[.fff]Z` (years 0000–9999 only).
pub(crate) fn format_date(millis: i64) -> Option<String> {
    let days = millis.div_euclid(86_400_000);
    let rest = millis.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return None;
    }
    let (secs, ms) = (rest / 1000, rest % 1000);
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    Some(if ms == 0 {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
    })
}

/// An address family and an address within it as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Family {
    V4,
    V6,
}

impl Family {
    pub(crate) fn max(self) -> u128 {
        match self {
            Family::V4 => u128::from(u32::MAX),
            Family::V6 => u128::MAX,
        }
    }
}

/// A request's source address.
pub(crate) fn address(text: &str) -> Option<(Family, u128)> {
    match text.trim().parse::<IpAddr>().ok()? {
        IpAddr::V4(a) => Some((Family::V4, u128::from(u32::from(a)))),
        IpAddr::V6(a) => Some((Family::V6, u128::from(a))),
    }
}

pub(crate) fn format_address(family: Family, value: u128) -> String {
    match family {
        Family::V4 => {
            std::net::Ipv4Addr::from(u32::try_from(value).unwrap_or(u32::MAX)).to_string()
        }
        Family::V6 => std::net::Ipv6Addr::from(value).to_string(),
    }
}

/// A CIDR block (or a single address) as an inclusive range.
pub(crate) fn cidr(text: &str) -> Option<(Family, u128, u128)> {
    let (addr, bits) = match text.trim().split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u32>().ok()?)),
        None => (text.trim(), None),
    };
    let (family, value) = address(addr)?;
    let width = match family {
        Family::V4 => 32,
        Family::V6 => 128,
    };
    let bits = bits.unwrap_or(width);
    if bits > width {
        return None;
    }
    let host = width - bits;
    let span: u128 = if host >= 128 {
        u128::MAX
    } else {
        (1u128 << host) - 1
    };
    let start = value & !span;
    Some((family, start, start | (span & family.max())))
}

/// `true`/`false`, case-insensitively.
pub(crate) fn boolean(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        let t = date("2024-02-29T12:34:56Z");
        assert_eq!(t, Some(1_709_210_096_000));
        assert_eq!(date("1709210096"), t);
        assert_eq!(date("2024-02-29T13:34:56+01:00"), t);
        assert_eq!(date("2023-02-29"), None);
        let back = t.and_then(format_date);
        assert_eq!(back.as_deref(), Some("2024-02-29T12:34:56Z"));
        assert_eq!(date("2024-01-01T00:00:00.5Z"), Some(1_704_067_200_500));
        assert_eq!(
            format_date(1_704_067_200_005).as_deref(),
            Some("2024-01-01T00:00:00.005Z")
        );
        assert_eq!(date("2024-01-01T00:00:00.005Z"), Some(1_704_067_200_005));
    }

    #[test]
    fn cidrs() {
        assert_eq!(
            cidr("10.0.0.1/8"),
            Some((Family::V4, 0x0a00_0000, 0x0aff_ffff))
        );
        assert_eq!(
            cidr("0.0.0.0/0"),
            Some((Family::V4, 0, u128::from(u32::MAX)))
        );
        assert_eq!(cidr("::/0"), Some((Family::V6, 0, u128::MAX)));
        assert_eq!(cidr("10.0.0.1/33"), None);
        assert_eq!(number("1e3"), Some(1000.0));
        assert_eq!(number("inf"), None);
    }
}
