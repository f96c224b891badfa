//! Cases of a paired key decided before value drift: a value empty in one environment and set
//! in the other (`config-placeholder-value`), a credential read from a secret store in one
//! environment but written as a literal in the other (`secret-storage-mismatch`), and a log
//! retention setting that differs (`log-retention-mismatch`).

use super::entries::{capitalized, side_name};
use super::sites::Site;
use crate::compare::Results;
use crate::findings::{Confidence, Finding, Rule, Side, Subject};

/// Prefixes of values that point into a secret store rather than hold the secret.
const STORE_PREFIXES: &[&str] = &[
    "vault:",
    "ref+",
    "arn:aws:secretsmanager:",
    "arn:aws:ssm:",
    "secretsmanager:",
    "ssm:",
    "awssm:",
    "sm://",
    "gcpsm:",
    "azurekeyvault:",
    "akv:",
    "op://",
    "doppler:",
];

/// True when the value names a secret in a store (Vault, AWS Secrets Manager or Parameter
/// Store, Google Secret Manager, Azure Key Vault, 1Password) instead of holding it.
pub(in crate::compare) fn store_reference(value: &str) -> bool {
    let v = value.trim().trim_start_matches("${").to_ascii_lowercase();
    STORE_PREFIXES.iter().any(|p| v.starts_with(p))
        || (v.starts_with("projects/") && v.contains("/secrets/"))
}

/// Keys that set how long logs are kept (`log_retention_period_days`, `retentionInDays`).
fn retention_key(key: &str) -> bool {
    let own = key
        .rsplit(['.', '#'])
        .next()
        .unwrap_or(key)
        .to_ascii_lowercase();
    own.contains("retention") && !own.contains("backup") && !own.contains("snapshot")
}

/// `14 days`; `0` means forever for CloudWatch Logs.
fn days(n: i64) -> String {
    match n {
        0 => "forever (0)".to_string(),
        1 => "1 day".to_string(),
        n => format!("{n} days"),
    }
}

fn subject(staging: &Site<'_>, production: &Site<'_>) -> Subject {
    Subject {
        kind: "config-key".to_string(),
        staging: Some(staging.name.clone()),
        production: Some(production.name.clone()),
    }
}

/// Reports the two cases; returns true when the pair was one of them (nothing more to say).
pub(in crate::compare) fn empty_or_stored(
    staging: &Site<'_>,
    production: &Site<'_>,
    confidence: Confidence,
    results: &mut Results,
) -> bool {
    let (s, p) = (staging.value.raw(), production.value.raw());
    let (s_empty, p_empty) = (s.trim().is_empty(), p.trim().is_empty());
    if s_empty != p_empty {
        let (side, empty, set) = if s_empty {
            (Side::Staging, staging, production)
        } else {
            (Side::Production, production, staging)
        };
        let message = format!(
            "{} {} is empty where {} sets it; set a real value in {} or declare the difference as expected.",
            capitalized(side_name(side)),
            empty.phrase(),
            side_name(side.other()),
            side_name(side),
        );
        results.add(
            Finding::new(
                Rule::ConfigPlaceholderValue,
                subject(staging, production),
                message,
            )
            .confidence(confidence)
            .key(format!("empty:{}", side_name(side)))
            .evidence_on(side, empty.evidence("empty value"))
            .evidence_on(side.other(), set.evidence("value set")),
        );
        return true;
    }
    if retention_key(&production.key)
        && let (Ok(s_days), Ok(p_days)) = (s.trim().parse::<i64>(), p.trim().parse::<i64>())
    {
        let message = format!(
            "`{}` keeps logs {} in staging's {} but {} in production's {}; keep staging's logs as long as production's so investigations can be rehearsed.",
            production.key,
            days(s_days),
            staging.described,
            days(p_days),
            production.described,
        );
        results.add(
            Finding::new(
                Rule::LogRetentionMismatch,
                subject(staging, production),
                message,
            )
            .confidence(confidence)
            .key("retention")
            .staging_evidence(staging.evidence(format!("retention {}", days(s_days))))
            .production_evidence(production.evidence(format!("retention {}", days(p_days)))),
        );
        return true;
    }
    let (s_store, p_store) = (store_reference(s), store_reference(p));
    let literal = |site: &Site<'_>| site.value.sensitive;
    if (s_store && literal(production)) || (p_store && literal(staging)) {
        let (store_side, stored, written) = if s_store {
            (Side::Staging, staging, production)
        } else {
            (Side::Production, production, staging)
        };
        let message = format!(
            "{} {} reads the credential from a secret store, but {}'s {} holds it as a literal; read it from the store in both environments and rotate the literal.",
            capitalized(side_name(store_side)),
            stored.phrase(),
            side_name(store_side.other()),
            written.phrase(),
        );
        results.add(
            Finding::new(
                Rule::SecretStorageMismatch,
                subject(staging, production),
                message,
            )
            .confidence(confidence)
            .key(format!("literal-in:{}", side_name(store_side.other())))
            .evidence_on(
                store_side,
                stored.evidence(format!("secret store reference {}", stored.value.shown())),
            )
            .evidence_on(
                store_side.other(),
                written.evidence("literal credential (not shown)"),
            ),
        );
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_references() {
        assert!(store_reference("vault:secret/data/app#password"));
        assert!(store_reference("ref+vault://secret/app#/password"));
        assert!(store_reference(
            "arn:aws:secretsmanager:ca-central-1:1:secret:x"
        ));
        assert!(store_reference("projects/p/secrets/db/versions/latest"));
        assert!(!store_reference("${DB_PASSWORD}"));
        assert!(!store_reference("hunter2"));
    }
}
