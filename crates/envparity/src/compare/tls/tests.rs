//! Unit tests of the tls dimension on model objects.

use super::compare;
use crate::compare::config::testing::{certificate, cluster_issuer, config_map, ingress, run};
use crate::findings::{Finding, Rule};
use crate::model::{IssuerKind, Snapshot};

fn of(findings: &[Finding], rule: Rule) -> Vec<&Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

fn acme(server: &str) -> IssuerKind {
    IssuerKind::Acme {
        server: server.to_string(),
    }
}

#[test]
fn letsencrypt_staging_is_named() {
    let mut staging = Snapshot::new("s");
    staging.kube.issuers.push(cluster_issuer(
        "letsencrypt",
        acme("https://acme-staging-v02.api.letsencrypt.org/directory"),
    ));
    let mut production = Snapshot::new("p");
    production.kube.issuers.push(cluster_issuer(
        "letsencrypt",
        acme("https://acme-v02.api.letsencrypt.org/directory"),
    ));
    let findings = run(&staging, &production, compare);
    let trust = of(&findings, Rule::TlsTrustMismatch);
    assert_eq!(trust.len(), 1);
    assert!(
        trust[0]
            .message
            .contains("Let's Encrypt's staging ACME server")
    );
    assert!(run(&production, &production, compare).is_empty());
}

#[test]
fn certificates_issuers_keys_and_durations() {
    let mut staging = Snapshot::new("s");
    staging
        .kube
        .issuers
        .push(cluster_issuer("selfsigned", IssuerKind::SelfSigned));
    let mut cert = certificate("shop-staging", "web", "selfsigned");
    cert.key_size = Some(2048);
    cert.duration = Some("8760h".to_string());
    staging.kube.certificates.push(cert);
    let mut production = Snapshot::new("p");
    production.kube.issuers.push(cluster_issuer(
        "corporate-ca",
        IssuerKind::Ca {
            secret_name: "ca-key-pair".to_string(),
        },
    ));
    let mut cert = certificate("shop-production", "web", "corporate-ca");
    cert.key_size = Some(4096);
    cert.duration = Some("2160h".to_string());
    production.kube.certificates.push(cert);
    let findings = run(&staging, &production, compare);
    assert_eq!(of(&findings, Rule::TlsTrustMismatch).len(), 1);
    let weaker = of(&findings, Rule::CertificateWeakerInStaging);
    assert_eq!(weaker.len(), 2);
    // The other way round production is weaker: not this rule's business.
    let reverse = run(&production, &staging, compare);
    assert!(of(&reverse, Rule::CertificateWeakerInStaging).is_empty());
    // Another algorithm is not weaker per se.
    staging.kube.certificates[0].key_algorithm = Some("ECDSA".to_string());
    staging.kube.certificates[0].key_size = Some(256);
    staging.kube.certificates[0].duration = None;
    let findings = run(&staging, &production, compare);
    assert!(of(&findings, Rule::CertificateWeakerInStaging).is_empty());
}

#[test]
fn ingress_tls_and_verification() {
    let mut staging = Snapshot::new("s");
    staging.kube.ingresses.push(ingress(
        "shop-staging",
        "web",
        "shop.staging.example.com",
        false,
    ));
    staging.kube.config_maps.push(config_map(
        "shop-staging",
        "app",
        &[
            ("NODE_TLS_REJECT_UNAUTHORIZED", "0"),
            ("DATABASE_URL", "postgres://db/app?sslmode=verify-full"),
        ],
    ));
    let mut production = Snapshot::new("p");
    production
        .kube
        .ingresses
        .push(ingress("shop-production", "web", "shop.example.com", true));
    production.kube.config_maps.push(config_map(
        "shop-production",
        "app",
        &[
            ("NODE_TLS_REJECT_UNAUTHORIZED", "1"),
            ("DATABASE_URL", "postgres://db/app?sslmode=verify-full"),
        ],
    ));
    let findings = run(&staging, &production, compare);
    let trust = of(&findings, Rule::TlsTrustMismatch);
    assert_eq!(trust.len(), 2, "{trust:?}");
    assert!(trust.iter().any(
        |f| f.subject.kind == "k8s-ingress" && f.message.contains("no tls section in staging")
    ));
    assert!(trust.iter().any(|f| f.subject.kind == "config-key"
        && f.message.starts_with("Staging turns TLS verification off")));
    // Both sides disabling verification is parity (and another rule's concern).
    production.kube.config_maps[0] = config_map(
        "shop-production",
        "app",
        &[("NODE_TLS_REJECT_UNAUTHORIZED", "0")],
    );
    production.kube.ingresses[0].tls.clear();
    let findings = run(&staging, &production, compare);
    assert!(
        of(&findings, Rule::TlsTrustMismatch).is_empty(),
        "{findings:?}"
    );
}
