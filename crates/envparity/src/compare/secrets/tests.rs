//! Unit tests of the secrets dimension on model objects.

use super::compare;
use crate::compare::config::testing::{
    config_map, container, deployment, env_literal, env_secret, external_secret, run, secret,
    service_account,
};
use crate::findings::{Confidence, Finding, Rule};
use crate::model::{ProjectedToken, Snapshot};

fn of(findings: &[Finding], rule: Rule) -> Vec<&Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

fn no_value_leaks(findings: &[Finding], values: &[&str]) {
    for finding in findings {
        let text = format!("{} {:?} {}", finding.message, finding.evidence, finding.key);
        for value in values {
            assert!(!text.contains(value), "`{value}` leaked in {text}");
        }
    }
}

fn with_env(namespace: &str, env: Vec<crate::model::EnvVar>) -> Snapshot {
    let mut snapshot = Snapshot::new("test");
    snapshot.kube.workloads.push(deployment(
        namespace,
        "api",
        vec![container("app", env, Vec::new())],
    ));
    snapshot
}

#[test]
fn storage_mismatch_in_both_directions() {
    let literal = with_env(
        "shop-staging",
        vec![env_literal("DB_PASSWORD", "s3cret-staging-1")],
    );
    let mut from_secret = with_env("shop-production", vec![env_secret("DB_PASSWORD", "db")]);
    from_secret.kube.secret_store_refs.push(external_secret(
        "shop-production",
        "db",
        "ClusterSecretStore/vault",
        &["shop/db"],
    ));
    let findings = run(&literal, &from_secret, compare);
    let storage = of(&findings, Rule::SecretStorageMismatch);
    assert_eq!(storage.len(), 1);
    assert!(
        storage[0]
            .message
            .starts_with("Production reads `DB_PASSWORD`")
    );
    assert!(storage[0].message.contains("ExternalSecret"));
    assert_eq!(storage[0].key, "env:weaker-in:staging");
    no_value_leaks(&findings, &["s3cret-staging-1"]);

    let literal_prod = with_env(
        "shop-production",
        vec![env_literal("DB_PASSWORD", "s3cret-prod-1")],
    );
    let secret_staging = with_env("shop-staging", vec![env_secret("DB_PASSWORD", "db")]);
    let reverse = run(&secret_staging, &literal_prod, compare);
    let storage = of(&reverse, Rule::SecretStorageMismatch);
    assert_eq!(storage.len(), 1);
    assert_eq!(storage[0].key, "env:weaker-in:production");
    // Plain-text credentials are reported per environment, with the other side empty.
    let plaintext = of(&reverse, Rule::SecretPlaintext);
    assert_eq!(plaintext.len(), 1);
    assert!(plaintext[0].subject.staging.is_none());
    assert!(plaintext[0].message.starts_with("In production,"));
}

#[test]
fn secret_manifest_versus_store() {
    let mut staging = Snapshot::new("s");
    staging.kube.secrets.push(secret(
        "shop-staging",
        "db",
        &[("password", "pw-staging-123")],
    ));
    let mut production = Snapshot::new("p");
    production.kube.secret_store_refs.push(external_secret(
        "shop-production",
        "db",
        "ClusterSecretStore/vault",
        &["production/db"],
    ));
    let findings = run(&staging, &production, compare);
    let storage = of(&findings, Rule::SecretStorageMismatch);
    assert_eq!(storage.len(), 1);
    assert_eq!(
        storage[0].subject.staging.as_deref(),
        Some("shop-staging/db")
    );
    assert_eq!(
        storage[0].subject.production.as_deref(),
        Some("shop-production/db")
    );
    assert_eq!(storage[0].confidence, Confidence::Likely);
    no_value_leaks(&findings, &["pw-staging-123"]);
}

#[test]
fn shared_values_and_remote_keys() {
    let mut staging = Snapshot::new("s");
    staging.kube.secrets.push(secret(
        "shop-staging",
        "db",
        &[
            ("password", "same-Passw0rd-xyz"),
            ("username", "app"),
            ("token", "changeme"),
        ],
    ));
    staging.kube.config_maps.push(config_map(
        "shop-staging",
        "app",
        &[("API_KEY", "same-Passw0rd-xyz")],
    ));
    let mut production = Snapshot::new("p");
    production.kube.secrets.push(secret(
        "shop-production",
        "db",
        &[
            ("password", "same-Passw0rd-xyz"),
            ("username", "app"),
            ("token", "changeme"),
        ],
    ));
    let findings = run(&staging, &production, compare);
    let shared = of(&findings, Rule::SecretSharedAcrossEnvironments);
    assert_eq!(shared.len(), 1, "{shared:?}");
    assert_eq!(shared[0].evidence.staging.len(), 2);
    assert!(shared[0].message.contains("(and in 1 other place)"));
    no_value_leaks(&findings, &["same-Passw0rd-xyz"]);

    let mut staging = Snapshot::new("s");
    staging.kube.secret_store_refs.push(external_secret(
        "shop-staging",
        "db",
        "ClusterSecretStore/vault",
        &["shop/db", "shop-staging/api"],
    ));
    let mut production = Snapshot::new("p");
    production.kube.secret_store_refs.push(external_secret(
        "shop-production",
        "db",
        "ClusterSecretStore/vault",
        &["shop/db", "shop-production/api"],
    ));
    let findings = run(&staging, &production, compare);
    let shared = of(&findings, Rule::SecretSharedAcrossEnvironments);
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].key, "remote-key:shop/db");
    // Another store: another backend, nothing shared.
    production.kube.secret_store_refs[0].store = "ClusterSecretStore/vault-production".to_string();
    assert!(
        of(
            &run(&staging, &production, compare),
            Rule::SecretSharedAcrossEnvironments
        )
        .is_empty()
    );
}

#[test]
fn token_settings() {
    let mut staging = with_env("shop-staging", Vec::new());
    let mut production = with_env("shop-production", Vec::new());
    production.kube.workloads[0].automount_token = Some(false);
    let findings = run(&staging, &production, compare);
    assert_eq!(of(&findings, Rule::TokenTtlMismatch).len(), 1);

    // Decided by paired ServiceAccounts: reported once, on the ServiceAccount.
    production.kube.workloads[0].automount_token = None;
    staging
        .kube
        .service_accounts
        .push(service_account("shop-staging", "default", None));
    production.kube.service_accounts.push(service_account(
        "shop-production",
        "default",
        Some(false),
    ));
    let findings = run(&staging, &production, compare);
    let tokens = of(&findings, Rule::TokenTtlMismatch);
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].subject.kind, "k8s-serviceaccount");

    production.kube.service_accounts.clear();
    staging.kube.service_accounts.clear();
    staging.kube.workloads[0]
        .projected_tokens
        .push(ProjectedToken {
            audience: Some("vault".to_string()),
            expiration_seconds: Some(86_400),
        });
    production.kube.workloads[0]
        .projected_tokens
        .push(ProjectedToken {
            audience: Some("vault".to_string()),
            expiration_seconds: None,
        });
    let findings = run(&staging, &production, compare);
    let tokens = of(&findings, Rule::TokenTtlMismatch);
    assert_eq!(tokens.len(), 1);
    assert!(tokens[0].message.contains("86400s") && tokens[0].message.contains("3600s"));
    production.kube.workloads[0].projected_tokens[0].expiration_seconds = Some(86_400);
    assert!(run(&staging, &production, compare).is_empty());
}
