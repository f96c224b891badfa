//! `read_environment` on the fixtures under `testdata/ingest/`: what each Kubernetes kind
//! lowers to, provenance, and that secret values never reach the serialized snapshot.

mod reading;

use envparity::model::{EnvFrom, EnvSource, Fingerprinter, IssuerKind, Level};
use reading::read;

const SHOP: &str = "testdata/ingest/shop";

#[test]
fn shop_inventory_snapshot() {
    let snapshot = read(&[SHOP]);
    insta::assert_json_snapshot!("shop_inventory", snapshot);
}

#[test]
fn no_raw_secret_value_is_serialized() {
    let snapshot = read(&[SHOP]);
    let json = serde_json::to_string(&snapshot).unwrap_or_default();
    assert!(json.contains("shop-db"), "the snapshot serialized");
    for canary in [
        "CANARY",
        "Q0FOQVJZ",
        "hunter2-plaintext",
        "c2hvcA==",
        "not*base64",
    ] {
        assert!(
            !json.contains(canary),
            "`{canary}` leaked into the snapshot"
        );
    }
    // The values are there for comparison as keyed fingerprints only.
    let secret = &snapshot.kube.secrets[0];
    let password = secret.entries.iter().find(|e| e.key == "password");
    let fingerprinter = Fingerprinter::new(b"ingest-test-key");
    assert_eq!(
        password.map(|e| e.value.fingerprint.clone()),
        Some(fingerprinter.fingerprint("CANARY-data-value-0d9e"))
    );
    // Not even the model holds the secret: its text is a fingerprint marker.
    assert!(password.is_some_and(
        |e| !e.value.text().contains("CANARY") && e.value.text().starts_with("‹secret:")
    ));
    let raw = secret.entries.iter().find(|e| e.key == "raw");
    assert_eq!(
        raw.map(|e| e.value.fingerprint.clone()),
        Some(fingerprinter.fingerprint("not*base64"))
    );
    assert!(secret.entries.iter().all(|e| e.value.sensitive));
}

#[test]
fn provenance_paths_and_lines() {
    let snapshot = read(&[SHOP]);
    let sa = &snapshot.kube.service_accounts[0];
    assert_eq!(&*sa.meta.provenance.path, "testdata/ingest/shop/rbac.yaml");
    assert_eq!(sa.meta.provenance.line, Some(2));
    let role = &snapshot.kube.roles[0];
    assert_eq!(role.meta.provenance.line, Some(15));
    let lines: Vec<_> = role.rules.iter().map(|r| r.line).collect();
    assert_eq!(lines, [Some(21), Some(25)]);
    assert_eq!(role.rules[0].rule.resource_names, ["shop-config"]);
    let ns = &snapshot.kube.namespaces[0];
    assert_eq!(&*ns.provenance.path, "testdata/ingest/shop/namespaces.json");
    assert_eq!(ns.provenance.line, Some(5));
}

#[test]
fn rbac_lowering() {
    let snapshot = read(&[SHOP]);
    let kube = &snapshot.kube;
    let sa = &kube.service_accounts[0];
    assert_eq!(sa.automount_token, Some(false));
    assert_eq!(sa.secrets, ["shop-api-token"]);
    assert_eq!(sa.image_pull_secrets, ["registry-pull"]);
    let binding = &kube.bindings[0];
    let namespaces: Vec<_> = binding
        .subjects
        .iter()
        .map(|s| s.namespace.clone())
        .collect();
    assert_eq!(
        namespaces,
        [
            Some("shop-staging".into()),
            Some("observability".into()),
            None
        ]
    );
    let cluster_binding = &kube.bindings[1];
    assert!(cluster_binding.cluster);
    assert_eq!(cluster_binding.subjects[1].namespace, None);
    let aggregate = &kube.roles[1];
    assert!(aggregate.cluster);
    let selectors = aggregate.aggregation.clone().unwrap_or_default();
    assert_eq!(selectors.len(), 2);
    assert_eq!(selectors[1].match_expressions[0].values, ["backend"]);
    assert_eq!(
        kube.roles[2].rules[0].rule.non_resource_urls,
        ["/metrics", "/healthz/*"]
    );
}

#[test]
fn workload_lowering() {
    let snapshot = read(&[SHOP]);
    let workloads = &snapshot.kube.workloads;
    let deployment = &workloads[0];
    assert_eq!(deployment.service_account.as_deref(), Some("shop-api"));
    assert_eq!(deployment.replicas, Some(2));
    assert_eq!(deployment.automount_token, Some(true));
    let names: Vec<_> = deployment
        .containers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["migrate", "api"]);
    assert!(
        matches!(&deployment.containers[0].env_from[0], EnvFrom::Secret { name } if name == "shop-db")
    );
    let env = &deployment.containers[1].env;
    assert!(
        matches!(&env[0].source, EnvSource::Literal { value } if value.text() == "debug" && !value.sensitive)
    );
    assert!(matches!(&env[1].source, EnvSource::Literal { value } if value.sensitive));
    assert!(
        matches!(&env[2].source, EnvSource::SecretKeyRef { name, key } if name == "shop-db" && key == "username")
    );
    assert!(
        matches!(&env[3].source, EnvSource::ConfigMapKeyRef { name, .. } if name == "shop-config")
    );
    assert!(matches!(&env[4].source, EnvSource::Field { path } if path == "metadata.namespace"));
    assert!(matches!(&env[5].source, EnvSource::Field { path } if path == "api/limits.cpu"));
    assert!(matches!(&env[6].source, EnvSource::Literal { value } if value.text().is_empty()));
    assert_eq!(env[0].line, Some(28));
    assert_eq!(deployment.secret_volumes, ["shop-tls", "shop-ca"]);
    assert_eq!(
        deployment.projected_tokens[0].audience.as_deref(),
        Some("vault")
    );
    assert_eq!(deployment.projected_tokens[0].expiration_seconds, Some(600));
    let cron = &workloads[1];
    assert_eq!(cron.service_account.as_deref(), Some("shop-report"));
    assert_eq!(cron.replicas, None);
    assert_eq!(cron.containers[0].env[0].name, "REPORT_BUCKET");
    assert_eq!(
        workloads[2].service_account.as_deref(),
        Some("legacy-debug")
    );
}

#[test]
fn network_and_ingress_lowering() {
    let snapshot = read(&[SHOP]);
    let policies = &snapshot.kube.network_policies;
    assert_eq!(policies[0].policy_types, ["Ingress"]);
    assert!(policies[0].ingress.is_empty());
    let api = &policies[1];
    assert_eq!(api.policy_types, ["Ingress", "Egress"]);
    let peer = &api.ingress[0].peers[0];
    assert!(peer.namespace_selector.is_some() && peer.pod_selector.is_some());
    let ports = &api.ingress[0].ports;
    assert_eq!(
        (ports[0].protocol.as_str(), ports[0].port.as_deref()),
        ("TCP", Some("8080"))
    );
    assert_eq!(
        (ports[1].protocol.as_str(), ports[1].port.as_deref()),
        ("UDP", Some("metrics"))
    );
    let egress = &api.egress;
    assert_eq!(
        egress[0].peers[0]
            .ip_block
            .as_ref()
            .map(|b| b.except.clone()),
        Some(vec!["10.1.0.0/16".to_string()])
    );
    assert_eq!(egress[0].ports[0].end_port, Some(5440));
    assert!(egress[1].peers.is_empty() && egress[1].ports.is_empty());
    let ingress = &snapshot.kube.ingresses[0];
    assert_eq!(ingress.class.as_deref(), Some("nginx"));
    assert_eq!(ingress.hosts, ["shop.staging.example.com"]);
    assert_eq!(ingress.tls[0].secret_name.as_deref(), Some("shop-tls"));
    assert!(
        ingress
            .meta
            .annotations
            .contains_key("cert-manager.io/cluster-issuer")
    );
}

#[test]
fn cert_manager_lowering() {
    let snapshot = read(&[SHOP]);
    let kinds: Vec<_> = snapshot
        .kube
        .issuers
        .iter()
        .map(|i| i.issuer.clone())
        .collect();
    assert!(matches!(&kinds[0], IssuerKind::Acme { server } if server.contains("acme-staging")));
    assert!(
        matches!(&kinds[1], IssuerKind::Ca { secret_name } if secret_name == "shop-ca-keypair")
    );
    assert_eq!(kinds[2], IssuerKind::SelfSigned);
    assert!(matches!(&kinds[3], IssuerKind::Vault { path, .. } if path == "pki_int/sign/shop"));
    assert!(snapshot.kube.issuers[0].cluster);
    let cert = &snapshot.kube.certificates[0];
    assert_eq!(cert.issuer_kind, "Issuer");
    assert_eq!(cert.issuer_name, "shop-ca");
    assert_eq!(cert.key_algorithm.as_deref(), Some("ECDSA"));
    assert_eq!(cert.key_size, Some(256));
    assert_eq!(cert.duration.as_deref(), Some("2160h"));
}

#[test]
fn alerts_stores_and_audit_lowering() {
    let snapshot = read(&[SHOP]);
    let alerts = &snapshot.kube.alert_rules;
    assert_eq!(alerts.len(), 2, "the recording rule is skipped");
    assert_eq!(alerts[0].alert, "ShopHighErrorRate");
    assert_eq!(alerts[0].for_duration.as_deref(), Some("10m"));
    assert_eq!(alerts[0].severity.as_deref(), Some("critical"));
    assert_eq!(alerts[0].line, Some(12));
    assert_eq!(alerts[1].expr, "1");
    let stores = &snapshot.kube.secret_store_refs;
    assert_eq!(stores[0].store, "ClusterSecretStore/aws-staging");
    assert_eq!(stores[0].target, "shop-payments-creds");
    assert_eq!(
        stores[0].keys,
        ["staging/shop/payments", "staging/shop/common"]
    );
    assert_eq!(stores[1].store, "SecretStore/vault-staging");
    assert_eq!(stores[1].target, "shop-smtp");
    assert_eq!(stores[2].store, "sealed-secrets");
    assert_eq!(stores[2].target, "shop-webhook-token");
    assert_eq!(stores[2].keys, ["token"]);
    let audit = &snapshot.kube.audit_policies[0];
    assert_eq!(audit.omit_stages, ["RequestReceived"]);
    assert_eq!(audit.rules.len(), 4);
    assert_eq!(audit.rules[1].resources[0].resource_names, ["shop-db"]);
    assert_eq!(audit.rules[2].non_resource_urls, ["/healthz*", "/version"]);
    let source = snapshot
        .sources
        .iter()
        .find(|s| s.path.ends_with("audit-policy.yaml"));
    assert_eq!(
        source.map(|s| s.format.as_str()),
        Some("kubernetes-audit-policy")
    );
}

#[test]
fn lists_unknown_kinds_hidden_files_and_non_manifests() {
    let snapshot = read(&[SHOP]);
    let other: Vec<_> = snapshot
        .kube
        .other
        .iter()
        .map(|o| o.meta.kind.as_ref())
        .collect();
    assert_eq!(other, ["RateLimit", "Service"]);
    let list = snapshot
        .sources
        .iter()
        .find(|s| s.path.ends_with("namespaces.json"));
    assert_eq!(list.map(|s| s.objects), Some(2));
    let crd = snapshot
        .sources
        .iter()
        .find(|s| s.path.ends_with("crd-objects.yaml"));
    assert_eq!(crd.map(|s| s.objects), Some(1));
    assert!(snapshot.sources.iter().all(|s| !s.path.contains(".hidden")));
    let infos: Vec<_> = snapshot
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Info)
        .map(|d| d.path.as_str())
        .collect();
    assert_eq!(infos, ["testdata/ingest/shop/notes/README.md"]);
    // YAML that is not a manifest is read as a config file.
    assert!(
        snapshot
            .config_files
            .iter()
            .any(|f| f.name == "notes/values.yaml")
    );
    assert!(!snapshot.has_errors(), "{:?}", snapshot.diagnostics);
}
