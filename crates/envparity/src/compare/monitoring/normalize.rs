//! Normal forms for comparing alert rules: alert names with their environment tokens
//! abstracted, PromQL expressions without layout whitespace, and Prometheus durations.

use crate::correlate::ENVIRONMENT_TOKENS;

/// The alert name with every environment token (a whole CamelCase or separator-delimited
/// word, any case) replaced by `{env}`, lowercased: `KubeQuotaStaging` → `kube-quota-{env}`.
pub(super) fn canonical_alert_name(name: &str) -> String {
    words(name)
        .into_iter()
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            if ENVIRONMENT_TOKENS.contains(&lower.as_str()) {
                "{env}".to_string()
            } else {
                lower
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Splits on non-alphanumeric characters, CamelCase boundaries and where digits follow a
/// letter (`HTTPErrorsProd` → `HTTP`, `Errors`, `Prod`; `Production5xx` → `Production`, `5xx`).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_digit()
            && chars[i.saturating_sub(1)].is_ascii_alphabetic()
            && !current.is_empty()
        {
            out.push(std::mem::take(&mut current));
        } else if c.is_ascii_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let starts_word = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower);
            if starts_word {
                out.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The expression without `#` comments (outside string literals).
pub(super) fn strip_comments(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut quote: Option<char> = None;
    let mut in_comment = false;
    let mut escaped = false;
    for c in expr.chars() {
        if in_comment {
            if c == '\n' {
                in_comment = false;
                out.push(c);
            }
            continue;
        }
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' || c == '`' => quote = Some(c),
            None if c == '#' => {
                in_comment = true;
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

/// The expression without comments and layout: whitespace runs are dropped, except a single
/// space kept between two word characters (`sum by (x) (y)` and `sum by(x)(y)` agree).
pub(super) fn expression(expr: &str) -> String {
    let expr = strip_comments(expr);
    let mut out = String::with_capacity(expr.len());
    let mut pending_space = false;
    for c in expr.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            let prev_word = out.chars().last().is_some_and(is_word_char);
            if prev_word && is_word_char(c) {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == ':'
}

/// A Prometheus duration (`1h30m`, `300s`, `5m`) in milliseconds; `None` when malformed.
pub(super) fn duration_ms(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let number: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        let factor: u64 = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            "y" => 31_536_000_000,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total = total.checked_add(number.checked_mul(factor)?)?;
    }
    Some(total)
}

/// True when two optional `for` durations mean the same wait (absent means zero).
pub(super) fn same_duration(a: Option<&str>, b: Option<&str>) -> bool {
    let parse = |d: Option<&str>| match d {
        None => Some(0),
        Some(text) => duration_ms(text),
    };
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.map(str::trim) == b.map(str::trim),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_environment_tokens() {
        assert_eq!(canonical_alert_name("KubeQuotaStaging"), "kube-quota-{env}");
        assert_eq!(
            canonical_alert_name("KubeQuotaProduction"),
            canonical_alert_name("KubeQuotaStaging")
        );
        assert_eq!(canonical_alert_name("HTTPErrorsProd"), "http-errors-{env}");
        assert_eq!(canonical_alert_name("LivenessFailing"), "liveness-failing");
        assert_eq!(canonical_alert_name("shop_staging_down"), "shop-{env}-down");
        assert_eq!(
            canonical_alert_name("FalaProduction5xxIngressResponses"),
            canonical_alert_name("FalaStaging5xxIngressResponses")
        );
    }

    #[test]
    fn expression_layout() {
        assert_eq!(
            expression("sum by (ns) (\n  rate(x[5m])\n) > 0"),
            expression("sum by(ns)(rate(x[5m]))>0")
        );
        assert_ne!(expression("a or b"), expression("aorb"));
        assert_eq!(
            expression("# note\nmax(x{a=\"#1\"}) # trailing\n> 1"),
            expression("max(x{a=\"#1\"}) > 1")
        );
    }

    #[test]
    fn durations() {
        assert_eq!(duration_ms("5m"), Some(300_000));
        assert_eq!(duration_ms("1h30m"), Some(5_400_000));
        assert_eq!(duration_ms("5x"), None);
        assert!(same_duration(Some("300s"), Some("5m")));
        assert!(same_duration(None, Some("0s")));
        assert!(!same_duration(Some("10m"), Some("5m")));
    }
}
