//! Representatives of ordered condition values: numbers, dates and IP addresses. The policy
//! values cut the line into points and open intervals; one value of each piece, written so that
//! the evaluator reads it back exactly, plus one value of the wrong type.

use super::values::{self, Family};

/// Every boundary, one point between consecutive boundaries, one below and one above, and a
/// non-number.
pub(crate) fn number_reps(bounds: &[f64], what: &str, unknown: &mut Vec<String>) -> Vec<String> {
    let mut sorted: Vec<f64> = bounds.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.dedup();
    let mut points = Vec::new();
    match (sorted.first(), sorted.last()) {
        (Some(lo), Some(hi)) => {
            points.push(lo - lo.abs().max(1.0));
            points.push(hi + hi.abs().max(1.0));
        }
        _ => points.push(0.0),
    }
    for pair in sorted.windows(2) {
        if let [a, b] = pair {
            points.push(a + (b - a) / 2.0);
        }
    }
    points.extend(&sorted);
    points.sort_by(f64::total_cmp);
    points.dedup();
    let mut out = Vec::new();
    for p in points {
        let text = values::format_number(p);
        if values::number(&text) == Some(p) && p.is_finite() {
            out.push(text);
        } else {
            unknown.push(format!("{what}: cannot write a number near `{p}`"));
        }
    }
    check_between(&sorted, &out, what, unknown);
    out.push("not-a-number".to_string());
    out
}

/// Every open interval between consecutive numbers (and beyond both ends) must hold a
/// representative.
fn check_between(sorted: &[f64], reps: &[String], what: &str, unknown: &mut Vec<String>) {
    let mut fenced = vec![f64::NEG_INFINITY];
    fenced.extend(sorted);
    fenced.push(f64::INFINITY);
    for pair in fenced.windows(2) {
        if let [a, b] = pair {
            let inside = reps
                .iter()
                .filter_map(|r| values::number(r))
                .any(|x| *a < x && x < *b);
            if !inside {
                unknown.push(format!("{what}: no number between `{a}` and `{b}`"));
            }
        }
    }
}

/// Dates in milliseconds: every boundary, the millisecond before the first and after the last,
/// a point between consecutive boundaries, and a non-date.
pub(crate) fn date_reps(bounds: &[i64], what: &str, unknown: &mut Vec<String>) -> Vec<String> {
    let mut sorted: Vec<i64> = bounds.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut points = Vec::new();
    match (sorted.first(), sorted.last()) {
        (Some(lo), Some(hi)) => {
            points.push(lo.saturating_sub(1));
            points.push(hi.saturating_add(1));
        }
        _ => points.push(1_704_067_200_000),
    }
    for pair in sorted.windows(2) {
        if let [a, b] = pair
            && b - a > 1
        {
            points.push(a + (b - a) / 2);
        }
    }
    points.extend(&sorted);
    points.sort_unstable();
    points.dedup();
    let mut out = Vec::new();
    for p in points {
        match values::format_date(p) {
            Some(text) if values::date(&text) == Some(p) => out.push(text),
            _ => unknown.push(format!("{what}: cannot write a date near epoch ms `{p}`")),
        }
    }
    out.push("not-a-date".to_string());
    out
}

/// Addresses: in each family, the start of every interval the blocks cut it into (a
/// documentation address when it falls in the interval), and a non-address.
pub(crate) fn address_reps(blocks: &[(Family, u128, u128)]) -> Vec<String> {
    let mut out = Vec::new();
    for (family, nice) in [
        (Family::V4, 0xc000_020a_u128),
        (Family::V6, 0x2001_0db8 << 96 | 0x10),
    ] {
        let mut cuts: Vec<u128> = vec![0];
        for (f, lo, hi) in blocks {
            if *f == family {
                cuts.push(*lo);
                if *hi < family.max() {
                    cuts.push(hi + 1);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for (i, start) in cuts.iter().enumerate() {
            let end = cuts.get(i + 1).map_or(family.max(), |n| n - 1);
            let pick = if *start <= nice && nice <= end {
                nice
            } else {
                *start
            };
            out.push(values::format_address(family, pick));
        }
    }
    out.push("not-an-ip".to_string());
    out
}
