//! `certificate-weaker-in-staging` for paired X.509 certificates: a smaller key of the same
//! algorithm (or, across algorithms, one below 112-bit security where production's is
//! stronger), a signature with a broken digest (MD5, SHA-1) where production's is sound, and
//! for served certificates a validity period more than a day longer than production's.

use crate::compare::Results;
use crate::findings::{Confidence, Evidence, Finding, Rule, Subject};
use crate::model::CertificateFacts;

/// Below this security strength (bits) a key is weak whatever the other side uses
/// (NIST SP 800-57: 112 bits is the minimum since 2014).
const MIN_STRENGTH: u32 = 112;

/// Validity periods within this many seconds are the same period (issuers round differently).
const VALIDITY_SLACK: i64 = 86_400;

fn days(seconds: i64) -> String {
    let days = seconds as f64 / 86_400.0;
    if (days - days.round()).abs() < 0.01 {
        format!("{} days", days.round())
    } else {
        format!("{days:.1} days")
    }
}

/// Why staging's key is weaker, or `None`.
fn weaker_key(s: &CertificateFacts, p: &CertificateFacts) -> Option<String> {
    let (sk, pk) = (&s.key, &p.key);
    let weaker = if sk.algorithm == pk.algorithm {
        matches!((sk.bits, pk.bits), (Some(a), Some(b)) if a < b)
    } else {
        matches!((sk.strength(), pk.strength()), (Some(a), Some(b)) if a < b && a < MIN_STRENGTH)
    };
    weaker.then(|| {
        format!(
            "uses an {} key in staging but {} in production",
            sk.describe(),
            pk.describe()
        )
    })
}

fn signature_detail(cert: &CertificateFacts) -> String {
    match &cert.signature.hash {
        Some(hash) => format!("signed with {} ({hash})", cert.signature.algorithm),
        None => format!("signed with {}", cert.signature.algorithm),
    }
}

/// Compares one pair; `served` adds the validity period (not compared for CAs, whose
/// lifetimes follow other rules).
pub(super) fn compare(
    (s, p): (&CertificateFacts, &CertificateFacts),
    subject: &Subject,
    confidence: Confidence,
    served: bool,
    results: &mut Results,
) {
    let add = |results: &mut Results, why: String, key: String, details: (String, String)| {
        let message = format!(
            "Certificate `{}` of `{}` {why}; issue staging's certificate with production's profile.",
            p.name(),
            p.origin.bundle,
        );
        results.add(
            Finding::new(Rule::CertificateWeakerInStaging, subject.clone(), message)
                .confidence(confidence)
                .key(key)
                .staging_evidence(Evidence::at(&s.origin.provenance, None, details.0))
                .production_evidence(Evidence::at(&p.origin.provenance, None, details.1)),
        );
    };
    if let Some(why) = weaker_key(s, p) {
        let key = format!("key:{}->{}", s.key.describe(), p.key.describe());
        let details = (
            format!("`{}` key {}", s.name(), s.key.describe()),
            format!("`{}` key {}", p.name(), p.key.describe()),
        );
        add(results, why, key, details);
    }
    if s.signature.weak && !p.signature.weak {
        let hash = s.signature.hash.as_deref().unwrap_or("weak").to_uppercase();
        let why = format!(
            "is signed with {} in staging, a {hash} digest for which collisions are practical, but with {} in production",
            s.signature.algorithm, p.signature.algorithm
        );
        let key = format!(
            "signature:{}->{}",
            s.signature.algorithm, p.signature.algorithm
        );
        add(
            results,
            why,
            key,
            (signature_detail(s), signature_detail(p)),
        );
    }
    let (s_period, p_period) = (s.validity_seconds(), p.validity_seconds());
    if served && s_period > p_period.saturating_add(VALIDITY_SLACK) {
        let why = format!(
            "is valid for {} in staging but {} in production",
            days(s_period),
            days(p_period)
        );
        let key = format!("validity:{}->{}", days(s_period), days(p_period));
        let detail = |c: &CertificateFacts| {
            format!(
                "valid {} to {} ({})",
                c.not_before_rfc3339,
                c.not_after_rfc3339,
                days(c.validity_seconds())
            )
        };
        add(results, why, key, (detail(s), detail(p)));
    }
}

#[cfg(test)]
mod tests {
    use super::days;

    #[test]
    fn day_counts() {
        assert_eq!(days(90 * 86_400), "90 days");
        assert_eq!(days(36 * 3600), "1.5 days");
    }
}
