//! `secret-plaintext`: a credential held in a ConfigMap entry or a workload env literal,
//! reported per environment.

use super::heuristics::plaintext_reason;
use crate::compare::Results;
use crate::compare::config::entries::side_name;
use crate::compare::config::sites::plain_sites;
use crate::findings::{Finding, Rule, Side, Subject};
use crate::model::Snapshot;

/// Reports every plain-text credential of one environment.
pub(super) fn report(snapshot: &Snapshot, side: Side, results: &mut Results) {
    for site in plain_sites(snapshot)
        .into_iter()
        .filter(|s| !s.has_settings)
    {
        let Some(reason) = plaintext_reason(&site.key, site.value.raw()) else {
            continue;
        };
        let name = site.name.clone();
        let subject = Subject::one_side("config-key", side, name);
        let message = format!(
            "In {}, {} holds a credential in plain text ({reason}); move it to a Secret or a secret store and rotate it.",
            side_name(side),
            site.phrase(),
        );
        results.add(
            Finding::new(Rule::SecretPlaintext, subject, message)
                .key(format!("plaintext:{}", side_name(side)))
                .evidence_on(
                    side,
                    site.evidence(format!(
                        "credential in plain text ({reason}); value not shown"
                    )),
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::config::testing::{config_map, snapshot_with_config};

    #[test]
    fn reports_each_environment_separately() {
        let snapshot = snapshot_with_config(vec![config_map(
            "shop-staging",
            "app",
            &[
                ("DB_PASSWORD", "hunter2-staging"),
                ("LOG_LEVEL", "info"),
                ("API_TOKEN", "TODO"),
            ],
        )]);
        let mut results = Results::default();
        report(&snapshot, Side::Staging, &mut results);
        assert_eq!(results.findings.len(), 1);
        let finding = &results.findings[0];
        assert_eq!(
            finding.subject.staging.as_deref(),
            Some("shop-staging/configmap/app:DB_PASSWORD")
        );
        assert_eq!(finding.subject.production, None);
        assert!(finding.message.starts_with("In staging,"));
        assert!(!finding.message.contains("hunter2"));
        assert!(!format!("{:?}", finding.evidence).contains("hunter2"));
    }
}
