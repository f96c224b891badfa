//! Paired cert-manager Certificates: `certificate-weaker-in-staging` (smaller key of the same
//! algorithm, longer duration) and their issuers (`tls-trust-mismatch`).

use super::issuers::compare_issuer_refs;
use crate::compare::{Context, Results};
use crate::correlate::pair_by;
use crate::findings::{Evidence, Finding, Rule, Subject};
use crate::model::CertificateObject;

/// cert-manager's default certificate duration: 2160h (90 days).
const DEFAULT_DURATION_SECONDS: u64 = 2160 * 3600;

/// Seconds of a Go duration (`2160h`, `1h30m`, `90m0s`); `None` when it is not one.
pub(super) fn parse_duration(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total = 0f64;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let number: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "d" => 86_400.0,
            "h" => 3_600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "us" | "µs" => 0.000_001,
            "ns" => 0.000_000_001,
            _ => return None,
        };
        total += number * factor;
        rest = &rest[unit_len..];
    }
    Some(total.round() as u64)
}

/// The key algorithm and size cert-manager uses: RSA 2048 unless set, ECDSA 256.
fn key(cert: &CertificateObject) -> (String, Option<i64>) {
    let algorithm = cert
        .key_algorithm
        .as_deref()
        .unwrap_or("RSA")
        .to_ascii_uppercase();
    let default = match algorithm.as_str() {
        "RSA" => Some(2048),
        "ECDSA" => Some(256),
        _ => None,
    };
    let size = cert.key_size.or(default);
    (algorithm, size)
}

fn describe_key(algorithm: &str, size: Option<i64>) -> String {
    match size {
        Some(size) => format!("{algorithm} {size}"),
        None => algorithm.to_string(),
    }
}

fn days(seconds: u64) -> String {
    let days = seconds as f64 / 86_400.0;
    if (days - days.round()).abs() < 1e-9 {
        format!("{} days", days.round())
    } else {
        format!("{days:.1} days")
    }
}

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) -> usize {
    let paired = pair_by(
        &ctx.staging.kube.certificates,
        &ctx.production.kube.certificates,
        |c| c.meta.qualified_name(),
        ctx.names,
    );
    let compared = paired.pairs.len();
    for (s, p, confidence) in paired.pairs {
        compare_issuer_refs(ctx, s, p, confidence, results);
        let subject = || Subject {
            kind: "certificate".to_string(),
            staging: Some(s.meta.qualified_name()),
            production: Some(p.meta.qualified_name()),
        };
        let (s_algorithm, s_size) = key(s);
        let (p_algorithm, p_size) = key(p);
        if let (Some(s_bits), Some(p_bits)) = (s_size, p_size)
            && s_algorithm == p_algorithm
            && s_bits < p_bits
        {
            let s_key = describe_key(&s_algorithm, s_size);
            let p_key = describe_key(&p_algorithm, p_size);
            let message = format!(
                "Certificate `{}` uses an {s_key} key in staging but {p_key} in production; request the same key size in staging.",
                p.meta.qualified_name(),
            );
            results.add(
                Finding::new(Rule::CertificateWeakerInStaging, subject(), message)
                    .confidence(confidence)
                    .key(format!("key:{s_key}->{p_key}"))
                    .staging_evidence(Evidence::at(
                        &s.meta.provenance,
                        None,
                        format!("privateKey {s_key}"),
                    ))
                    .production_evidence(Evidence::at(
                        &p.meta.provenance,
                        None,
                        format!("privateKey {p_key}"),
                    )),
            );
        }
        let s_duration = s
            .duration
            .as_deref()
            .map_or(Some(DEFAULT_DURATION_SECONDS), parse_duration);
        let p_duration = p
            .duration
            .as_deref()
            .map_or(Some(DEFAULT_DURATION_SECONDS), parse_duration);
        if let (Some(s_seconds), Some(p_seconds)) = (s_duration, p_duration)
            && s_seconds > p_seconds
        {
            let written = |c: &CertificateObject| {
                c.duration
                    .clone()
                    .unwrap_or_else(|| "default 2160h".to_string())
            };
            let message = format!(
                "Certificate `{}` is valid for {} in staging but {} in production; request production's duration in staging.",
                p.meta.qualified_name(),
                days(s_seconds),
                days(p_seconds),
            );
            results.add(
                Finding::new(Rule::CertificateWeakerInStaging, subject(), message)
                    .confidence(confidence)
                    .key(format!("duration:{s_seconds}->{p_seconds}"))
                    .staging_evidence(Evidence::at(
                        &s.meta.provenance,
                        None,
                        format!("duration {}", written(s)),
                    ))
                    .production_evidence(Evidence::at(
                        &p.meta.provenance,
                        None,
                        format!("duration {}", written(p)),
                    )),
            );
        }
    }
    compared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration("2160h"), Some(2160 * 3600));
        assert_eq!(parse_duration("1h30m"), Some(5400));
        assert_eq!(parse_duration("90m0s"), Some(5400));
        assert_eq!(parse_duration("1.5h"), Some(5400));
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration("10y"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn day_counts() {
        assert_eq!(days(90 * 86_400), "90 days");
        assert_eq!(days(36 * 3600), "1.5 days");
    }
}
