//! Stable finding fingerprints: the same finding gets the same fingerprint across runs,
//! machines and input orders (no paths, lines or secret fingerprints go into it).

use sha2::{Digest, Sha256};

use super::Finding;

/// Hex SHA-256 (first 128 bits) of rule, subject and essential key.
pub fn fingerprint(finding: &Finding) -> String {
    let mut hasher = Sha256::new();
    for part in [
        finding.rule.id(),
        finding.subject.kind.as_str(),
        finding.subject.staging.as_deref().unwrap_or("-"),
        finding.subject.production.as_deref().unwrap_or("-"),
        finding.key.as_str(),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    if let Some(pair) = &finding.pair {
        hasher.update(pair.environment.as_bytes());
        hasher.update([0u8]);
        hasher.update(pair.reference.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
