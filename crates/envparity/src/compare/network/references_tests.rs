//! Config values naming the other environment: URLs, hosts and embedded config files, both
//! directions, redaction of sensitive values, and what stays quiet.

use super::*;
use crate::compare::config::testing::{
    config_map, container, deployment, env_literal, run, snapshot_with_config,
};
use crate::findings::Finding;

fn shop(env: &str, entries: &[(&str, &str)]) -> Snapshot {
    let ns = format!("shop-{env}");
    let mut s = snapshot_with_config(vec![config_map(&ns, "api-config", entries)]);
    s.kube.workloads.push(deployment(
        &ns,
        "api",
        vec![container("api", Vec::new(), Vec::new())],
    ));
    s
}

fn found(staging: &Snapshot, production: &Snapshot) -> Vec<Finding> {
    run(staging, production, compare)
}

#[test]
fn staging_url_naming_a_production_namespace_fires() {
    let staging = shop(
        "staging",
        &[(
            "PAYMENTS_URL",
            "https://payments.shop-production.svc.cluster.local",
        )],
    );
    let production = shop(
        "production",
        &[(
            "PAYMENTS_URL",
            "https://payments.shop-production.svc.cluster.local",
        )],
    );
    let findings = found(&staging, &production);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f.rule, Rule::NetworkCrossEnvironmentPath);
    assert_eq!(f.subject.kind, "config-key");
    assert_eq!(
        f.subject.staging.as_deref(),
        Some("shop-staging/configmap/api-config:PAYMENTS_URL")
    );
    assert_eq!(f.confidence, Confidence::Proven);
    assert!(
        f.message.contains("production namespace `shop-production`"),
        "{}",
        f.message
    );
}

#[test]
fn own_namespace_and_free_text_stay_quiet() {
    let staging = shop(
        "staging",
        &[
            (
                "PAYMENTS_URL",
                "https://payments.shop-staging.svc.cluster.local",
            ),
            ("NOTE", "mirrors production traffic patterns"),
            ("METRICS", "http://prometheus.monitoring.svc:9090"),
        ],
    );
    let production = shop(
        "production",
        &[("METRICS", "http://prometheus.monitoring.svc:9090")],
    );
    assert!(found(&staging, &production).is_empty());
}

#[test]
fn production_value_naming_staging_and_tokens() {
    let staging = shop("staging", &[]);
    let production = shop(
        "production",
        &[
            ("CACHE", "redis.shop-staging.svc:6379"),
            ("DB", "postgres://db.staging.internal/x"),
        ],
    );
    let findings = found(&staging, &production);
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert!(findings.iter().all(|f| f.subject.production.is_some()));
    let token = findings
        .iter()
        .find(|f| f.key.contains(":staging"))
        .map(|f| f.confidence);
    assert_eq!(token, Some(Confidence::Likely));
}

#[test]
fn sensitive_values_are_never_shown() {
    let staging = shop(
        "staging",
        &[(
            "DATABASE_URL",
            "postgres://app:hunter2@db.shop-production.svc:5432/shop",
        )],
    );
    let production = shop("production", &[]);
    let findings = found(&staging, &production);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let text = format!("{findings:?}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(findings[0].message.contains("not shown"));
}

#[test]
fn settings_of_embedded_files_and_env_literals() {
    let mut staging = shop(
        "staging",
        &[(
            "application.yaml",
            "server:\n  port: 8080\npayments:\n  url: https://payments.shop-production.svc\n",
        )],
    );
    staging.kube.workloads[0].containers[0]
        .env
        .push(env_literal("UPSTREAM", "orders.shop-production:8080"));
    let production = shop("production", &[]);
    let findings = found(&staging, &production);
    let subjects: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.subject.staging.as_deref())
        .collect();
    assert_eq!(
        subjects,
        vec![
            "shop-staging/configmap/api-config:application.yaml#payments.url",
            "shop-staging/deployment/api:containers.api.env.UPSTREAM",
        ]
    );
}
