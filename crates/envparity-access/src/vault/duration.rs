//! Durations as the servers read them in policies (`min_wrapping_ttl`, `max_wrapping_ttl`):
//! integer seconds, `<n>d` days, or Go's duration syntax; held in nanoseconds like Go's
//! `time.Duration`.

use std::fmt;

use serde::{Serialize, Serializer};

/// A wrapping TTL in nanoseconds, as the servers hold it (a Go `time.Duration`); 0 = unset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ttl(pub i64);

impl Ttl {
    pub fn seconds(s: i64) -> Ttl {
        Ttl(s.saturating_mul(1_000_000_000))
    }

    pub fn is_set(self) -> bool {
        self.0 != 0
    }

    /// For serialization: an unset TTL is left out.
    pub fn is_unset(&self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for Ttl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 % 1_000_000_000 == 0 {
            write!(f, "{}s", self.0 / 1_000_000_000)
        } else {
            write!(f, "{}ns", self.0)
        }
    }
}

impl Serialize for Ttl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A duration as the servers read TTLs: an integer is seconds, `<n>d` is days, otherwise Go's
/// duration syntax (`1h30m`, `300ms`, `1.5h`).
pub fn parse_duration_second(text: &str) -> Option<Ttl> {
    if text.is_empty() {
        return Some(Ttl::default());
    }
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(Ttl::seconds(seconds));
    }
    if let Some(days) = text.strip_suffix('d') {
        return days
            .parse::<i64>()
            .ok()
            .map(|d| Ttl::seconds(d.saturating_mul(86_400)));
    }
    go_duration(text).map(Ttl)
}

/// Go's `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or `0`.
fn go_duration(text: &str) -> Option<i64> {
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_end];
        if number.is_empty() || number == "." {
            return None;
        }
        let value: f64 = number.parse().ok()?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_end..];
        total += value * scale;
    }
    if !total.is_finite() || total > i64::MAX as f64 {
        return None;
    }
    let nanos = total.round() as i64;
    Some(if negative { -nanos } else { nanos })
}
