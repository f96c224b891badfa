//! AWS timestamps → ISO-8601 UTC (`2024-05-01T12:00:00Z`): ISO strings with any offset,
//! epoch seconds (awscli v1 prints JSON-protocol services so) and epoch milliseconds
//! (CloudWatch Logs), converted with the days-from-civil algorithm; no clock is read.

use super::super::yaml::Value;

/// Epoch values at or beyond this are milliseconds (it is year 5138 in seconds).
const MILLIS_FROM: i64 = 100_000_000_000;

/// Placeholders the credential report and some APIs use for "no date".
fn is_placeholder(text: &str) -> bool {
    matches!(
        text,
        "" | "N/A" | "no_information" | "not_supported" | "null" | "None"
    )
}

/// The timestamp in `value` as ISO-8601 UTC; `Ok(None)` for an absent date (empty text or
/// a placeholder such as `N/A`); `Err` for text that is no timestamp.
pub fn normalize(value: &Value) -> Result<Option<String>, ()> {
    match value {
        Value::Null => Ok(None),
        Value::Int(n) => from_epoch(*n).map(Some),
        // Fractions of a second are dropped (toward the past).
        Value::Float(f) if f.is_finite() && f.abs() < 1e15 => {
            from_epoch(f.floor() as i64).map(Some)
        }
        Value::String(s) => normalize_text(s.trim()),
        _ => Err(()),
    }
}

/// [`normalize`] for text (credential report cells, epoch numbers written as strings).
pub fn normalize_text(text: &str) -> Result<Option<String>, ()> {
    if is_placeholder(text) {
        return Ok(None);
    }
    let whole = text.split_once('.').map_or(text, |(w, _)| w);
    if !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && !text.contains('-') {
        let seconds: i64 = whole.parse().map_err(|_| ())?;
        return from_epoch(seconds).map(Some);
    }
    parse_iso(text).map(Some)
}

fn from_epoch(value: i64) -> Result<String, ()> {
    let seconds = if value.abs() >= MILLIS_FROM {
        value.div_euclid(1000)
    } else {
        value
    };
    format_utc(seconds)
}

/// `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM[:SS[.fff]]` and an
/// offset (`Z`, `±HH:MM`, `±HHMM`, `±HH`); no offset means UTC.
fn parse_iso(text: &str) -> Result<String, ()> {
    let bytes = text.as_bytes();
    let number = |from: usize, len: usize| -> Result<i64, ()> {
        let part = bytes.get(from..from + len).ok_or(())?;
        if !part.iter().all(u8::is_ascii_digit) {
            return Err(());
        }
        std::str::from_utf8(part)
            .map_err(|_| ())?
            .parse()
            .map_err(|_| ())
    };
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return Err(());
    }
    let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(());
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let mut rest = &text[10..];
    if let Some(time) = rest.strip_prefix(['T', 't', ' ']) {
        let tb = time.as_bytes();
        let field = |from: usize| -> Result<i64, ()> {
            let part = tb.get(from..from + 2).ok_or(())?;
            if !part.iter().all(u8::is_ascii_digit) {
                return Err(());
            }
            Ok(i64::from(part[0] - b'0') * 10 + i64::from(part[1] - b'0'))
        };
        let (hour, minute) = (field(0)?, field(3)?);
        if tb.get(2) != Some(&b':') {
            return Err(());
        }
        let mut used = 5;
        let mut second = 0;
        if tb.get(5) == Some(&b':') {
            second = field(6)?;
            used = 8;
        }
        if hour > 23 || minute > 59 || second > 60 {
            return Err(());
        }
        seconds += hour * 3600 + minute * 60 + second;
        rest = &time[used..];
        if let Some(fraction) = rest.strip_prefix(['.', ',']) {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(());
            }
            rest = &fraction[digits..];
        }
    }
    seconds -= offset_seconds(rest)?;
    format_utc(seconds)
}

/// The offset of an ISO timestamp's tail, in seconds east of UTC.
fn offset_seconds(tail: &str) -> Result<i64, ()> {
    if tail.is_empty() || tail == "Z" || tail == "z" {
        return Ok(0);
    }
    let (sign, body) = match tail.as_bytes().first() {
        Some(b'+') => (1, &tail[1..]),
        Some(b'-') => (-1, &tail[1..]),
        _ => return Err(()),
    };
    let digits: String = body.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return Err(());
    }
    let hours: i64 = digits[..2].parse().map_err(|_| ())?;
    let minutes: i64 = if digits.len() == 4 {
        digits[2..].parse().map_err(|_| ())?
    } else {
        0
    };
    if hours > 23 || minutes > 59 {
        return Err(());
    }
    Ok(sign * (hours * 3600 + minutes * 60))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn format_utc(seconds: i64) -> Result<String, ()> {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return Err(());
    }
    Ok(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Option<String> {
        normalize_text(s).ok().flatten()
    }

    #[test]
    fn epoch_seconds_millis_and_iso_agree() {
        let iso = Some("2026-11-28T16:29:38Z".to_string());
        assert_eq!(normalize(&Value::Int(1_795_883_378)).ok().flatten(), iso);
        assert_eq!(
            normalize(&Value::Int(1_795_883_378_678)).ok().flatten(),
            iso
        );
        assert_eq!(
            normalize(&Value::Float(1_795_883_378.9)).ok().flatten(),
            iso
        );
        assert_eq!(text("1795883378"), iso);
        assert_eq!(text("2026-11-28T16:29:38Z"), iso);
        assert_eq!(text("2026-11-28T16:29:38.123456Z"), iso);
        assert_eq!(text("2026-11-28T17:29:38+01:00"), iso);
        assert_eq!(text("2026-11-28T10:29:38.587000-06:00"), iso);
        assert_eq!(text("2026-11-28 16:29:38+0000"), iso);
    }

    #[test]
    fn dates_alone_placeholders_and_garbage() {
        assert_eq!(text("2020-02-29"), Some("2020-02-29T00:00:00Z".to_string()));
        assert_eq!(
            text("1970-01-01T00:00:00Z"),
            Some("1970-01-01T00:00:00Z".to_string())
        );
        assert_eq!(
            text("1969-12-31T23:59:59Z"),
            Some("1969-12-31T23:59:59Z".to_string())
        );
        assert_eq!(normalize_text("N/A"), Ok(None));
        assert_eq!(normalize_text("no_information"), Ok(None));
        assert_eq!(normalize_text("2021-02-29"), Err(()));
        assert_eq!(normalize_text("yesterday"), Err(()));
        assert_eq!(normalize_text("2021-01-01T25:00:00Z"), Err(()));
        assert_eq!(normalize_text("2021-01-01T10:00:00+5"), Err(()));
    }

    #[test]
    fn civil_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
