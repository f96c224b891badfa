//! Unit tests of the config dimension on model objects.

use super::compare;
use super::testing::{
    config_map, container, deployment, env_config_map, env_literal, run, snapshot_with_config,
};
use crate::findings::{Finding, Rule};
use crate::model::{EnvFrom, Snapshot};

fn rules(findings: &[Finding]) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = findings
        .iter()
        .map(|f| {
            let name = f
                .subject
                .staging
                .clone()
                .or_else(|| f.subject.production.clone());
            (f.rule.id(), name.unwrap_or_default())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn config_map_keys_values_and_placeholders() {
    let staging = snapshot_with_config(vec![config_map(
        "shop-staging",
        "app",
        &[
            ("DB_HOST", "db.shop-staging.svc"),
            ("ENVIRONMENT", "staging"),
            ("LOG_LEVEL", "debug"),
            ("API_URL", "TODO"),
            ("ONLY_STAGING", "1"),
        ],
    )]);
    let production = snapshot_with_config(vec![config_map(
        "shop-production",
        "app",
        &[
            ("DB_HOST", "db.shop-production.svc"),
            ("ENVIRONMENT", "production"),
            ("LOG_LEVEL", "info"),
            ("API_URL", "https://api.example.com"),
            ("ONLY_PRODUCTION", "2"),
        ],
    )]);
    let findings = run(&staging, &production, compare);
    assert_eq!(
        rules(&findings),
        vec![
            (
                "config-key-missing",
                "shop-production/configmap/app:ONLY_PRODUCTION".to_string()
            ),
            (
                "config-key-missing",
                "shop-staging/configmap/app:ONLY_STAGING".to_string()
            ),
            (
                "config-placeholder-value",
                "shop-staging/configmap/app:API_URL".to_string()
            ),
            (
                "config-value-drift",
                "shop-staging/configmap/app:LOG_LEVEL".to_string()
            ),
        ]
    );
    let missing = findings
        .iter()
        .find(|f| f.subject.staging.as_deref() == Some("shop-staging/configmap/app:ONLY_STAGING"));
    assert!(missing.is_some_and(|f| {
        f.subject.production.is_none()
            && f.message
                .starts_with("Production ConfigMap `shop-production/app` lacks `ONLY_STAGING`")
    }));
    let drift = findings.iter().find(|f| f.rule == Rule::ConfigValueDrift);
    assert!(drift.is_some_and(|f| f.message.contains("`debug`") && f.message.contains("`info`")));
}

#[test]
fn same_snapshot_is_quiet_and_swapping_keeps_counts() {
    let a = snapshot_with_config(vec![config_map(
        "shop-staging",
        "app",
        &[("A", "1"), ("B", "x")],
    )]);
    let b = snapshot_with_config(vec![config_map(
        "shop-production",
        "app",
        &[("A", "2"), ("C", "y")],
    )]);
    assert!(run(&a, &a, compare).is_empty());
    let forward = run(&a, &b, compare);
    let backward = run(&b, &a, compare);
    assert_eq!(forward.len(), 3);
    assert_eq!(backward.len(), 3);
}

#[test]
fn sensitive_values_are_not_drift() {
    let staging = snapshot_with_config(vec![config_map(
        "shop-staging",
        "app",
        &[("DB_PASSWORD", "staging-pass-1")],
    )]);
    let production = snapshot_with_config(vec![config_map(
        "shop-production",
        "app",
        &[("DB_PASSWORD", "prod-pass-2")],
    )]);
    let findings = run(&staging, &production, compare);
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn kustomize_hashed_names_pair() {
    let staging = snapshot_with_config(vec![config_map(
        "",
        "app-config-5b8kf2d7m4",
        &[("MODE", "a")],
    )]);
    let production = snapshot_with_config(vec![config_map(
        "",
        "app-config-t9hf4c6g2b",
        &[("MODE", "b")],
    )]);
    let findings = run(&staging, &production, compare);
    assert_eq!(
        rules(&findings),
        vec![(
            "config-value-drift",
            "configmap/app-config:MODE".to_string()
        )]
    );
}

fn with_workload(
    namespace: &str,
    env: Vec<crate::model::EnvVar>,
    env_from: Vec<EnvFrom>,
    replicas: i64,
) -> Snapshot {
    let mut snapshot = Snapshot::new("test");
    let mut workload = deployment(namespace, "api", vec![container("app", env, env_from)]);
    workload.replicas = Some(replicas);
    snapshot.kube.workloads.push(workload);
    snapshot
}

#[test]
fn env_literals_and_replicas() {
    let staging = with_workload(
        "shop-staging",
        vec![
            env_literal("LOG_LEVEL", "debug"),
            env_literal("ONLY_HERE", "x"),
            env_literal("URL", "http://svc.shop-staging"),
        ],
        Vec::new(),
        1,
    );
    let production = with_workload(
        "shop-production",
        vec![
            env_literal("LOG_LEVEL", "info"),
            env_literal("URL", "http://svc.shop-production"),
        ],
        Vec::new(),
        3,
    );
    let findings = run(&staging, &production, compare);
    assert_eq!(
        rules(&findings),
        vec![
            (
                "config-key-missing",
                "shop-staging/deployment/api:containers.app.env.ONLY_HERE".to_string()
            ),
            (
                "config-value-drift",
                "shop-staging/deployment/api:containers.app.env.LOG_LEVEL".to_string()
            ),
            (
                "config-value-drift",
                "shop-staging/deployment/api:spec.replicas".to_string()
            ),
        ]
    );
}

#[test]
fn env_from_counts_as_present_and_unexpanded_env_from_is_open() {
    let mut staging = with_workload(
        "shop-staging",
        vec![env_literal("MODE", "a")],
        Vec::new(),
        2,
    );
    let mut production = with_workload(
        "shop-production",
        Vec::new(),
        vec![EnvFrom::ConfigMap {
            name: "app".to_string(),
        }],
        2,
    );
    production
        .kube
        .config_maps
        .push(config_map("shop-production", "app", &[("MODE", "a")]));
    assert!(run(&staging, &production, compare).is_empty());
    // An envFrom Secret that is not in the inputs may set anything: nothing is missing.
    production.kube.config_maps.clear();
    production.kube.workloads[0].containers[0].env_from = vec![EnvFrom::Secret {
        name: "unseen".to_string(),
    }];
    assert!(run(&staging, &production, compare).is_empty());
    // A var read from a ConfigMap on one side and a literal on the other is not compared.
    staging.kube.workloads[0].containers[0].env = vec![env_config_map("MODE", "app")];
    production.kube.workloads[0].containers[0].env = vec![env_literal("MODE", "b")];
    assert!(run(&staging, &production, compare).is_empty());
}

#[test]
fn duplicate_keys_keep_the_last_value() {
    let a = snapshot_with_config(vec![config_map(
        "shop-staging",
        "app",
        &[("A", "1"), ("A", "2")],
    )]);
    let b = snapshot_with_config(vec![config_map("shop-production", "app", &[("A", "2")])]);
    assert!(run(&a, &a, compare).is_empty());
    assert!(run(&a, &b, compare).is_empty());
}
