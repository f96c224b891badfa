//! Builders of model objects for the unit tests of the config, secrets and tls dimensions.

use crate::compare::{Context, Results};
use crate::correlate::NameMap;
use crate::findings::Finding;
use crate::model::{
    CertificateObject, ConfigEntry, ConfigMapObject, Container, EnvFrom, EnvSource, EnvVar,
    Fingerprinter, IngressObject, IngressTls, IssuerKind, IssuerObject, Literal, Meta, Provenance,
    SecretEntry, SecretObject, SecretStoreRef, ServiceAccount, Snapshot, Workload,
};

pub fn fingerprinter() -> Fingerprinter {
    Fingerprinter::new(b"unit-test-key")
}

pub fn literal(key: &str, value: &str) -> Literal {
    fingerprinter().literal(key, value)
}

pub fn meta(kind: &str, namespace: &str, name: &str) -> Meta {
    Meta {
        kind: kind.to_string().into(),
        api_version: "v1".into(),
        namespace: (!namespace.is_empty()).then(|| namespace.to_string()),
        name: name.to_string(),
        provenance: Provenance::new(&format!("{namespace}/{name}.yaml"), Some(1)),
        ..Meta::default()
    }
}

pub fn config_map(namespace: &str, name: &str, entries: &[(&str, &str)]) -> ConfigMapObject {
    ConfigMapObject {
        meta: meta("ConfigMap", namespace, name),
        entries: entries
            .iter()
            .enumerate()
            .map(|(i, (k, v))| ConfigEntry {
                key: k.to_string(),
                value: literal(k, v),
                line: Some(7 + i as u32),
            })
            .collect(),
    }
}

pub fn secret(namespace: &str, name: &str, entries: &[(&str, &str)]) -> SecretObject {
    SecretObject {
        meta: meta("Secret", namespace, name),
        secret_type: "Opaque".to_string(),
        entries: entries
            .iter()
            .enumerate()
            .map(|(i, (k, v))| SecretEntry {
                key: k.to_string(),
                value: fingerprinter().secret_literal(k, v),
                line: Some(7 + i as u32),
            })
            .collect(),
    }
}

pub fn env_literal(name: &str, value: &str) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        source: EnvSource::Literal {
            value: literal(name, value),
        },
        line: Some(20),
    }
}

pub fn env_secret(name: &str, secret: &str) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        source: EnvSource::SecretKeyRef {
            name: secret.to_string(),
            key: name.to_ascii_lowercase(),
        },
        line: Some(21),
    }
}

pub fn env_config_map(name: &str, config_map: &str) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        source: EnvSource::ConfigMapKeyRef {
            name: config_map.to_string(),
            key: name.to_string(),
        },
        line: Some(22),
    }
}

pub fn container(name: &str, env: Vec<EnvVar>, env_from: Vec<EnvFrom>) -> Container {
    Container {
        name: name.to_string(),
        image: Some("example/app:1".to_string()),
        env,
        env_from,
    }
}

pub fn deployment(namespace: &str, name: &str, containers: Vec<Container>) -> Workload {
    Workload {
        meta: meta("Deployment", namespace, name),
        service_account: None,
        automount_token: None,
        replicas: Some(2),
        containers,
        projected_tokens: Vec::new(),
        secret_volumes: Vec::new(),
    }
}

pub fn external_secret(
    namespace: &str,
    target: &str,
    store: &str,
    keys: &[&str],
) -> SecretStoreRef {
    SecretStoreRef {
        meta: meta("ExternalSecret", namespace, target),
        target: target.to_string(),
        store: store.to_string(),
        keys: keys.iter().map(|k| k.to_string()).collect(),
    }
}

pub fn service_account(namespace: &str, name: &str, automount: Option<bool>) -> ServiceAccount {
    ServiceAccount {
        meta: meta("ServiceAccount", namespace, name),
        automount_token: automount,
        secrets: Vec::new(),
        image_pull_secrets: Vec::new(),
    }
}

pub fn cluster_issuer(name: &str, issuer: IssuerKind) -> IssuerObject {
    IssuerObject {
        meta: meta("ClusterIssuer", "", name),
        cluster: true,
        issuer,
    }
}

pub fn certificate(namespace: &str, name: &str, issuer: &str) -> CertificateObject {
    CertificateObject {
        meta: meta("Certificate", namespace, name),
        issuer_kind: "ClusterIssuer".to_string(),
        issuer_name: issuer.to_string(),
        dns_names: vec![format!("{name}.example.com")],
        secret_name: Some(format!("{name}-tls")),
        duration: None,
        key_algorithm: None,
        key_size: None,
    }
}

pub fn ingress(namespace: &str, name: &str, host: &str, tls: bool) -> IngressObject {
    IngressObject {
        meta: meta("Ingress", namespace, name),
        class: Some("nginx".to_string()),
        hosts: vec![host.to_string()],
        tls: if tls {
            vec![IngressTls {
                hosts: vec![host.to_string()],
                secret_name: Some(format!("{name}-tls")),
            }]
        } else {
            Vec::new()
        },
    }
}

pub fn snapshot_with_config(config_maps: Vec<ConfigMapObject>) -> Snapshot {
    let mut snapshot = Snapshot::new("test");
    snapshot.kube.config_maps = config_maps;
    snapshot
}

/// The names every object of a test snapshot has, for the inferred mapping.
fn names_of(snapshot: &Snapshot) -> Vec<String> {
    let kube = &snapshot.kube;
    let mut names: Vec<String> = Vec::new();
    names.extend(kube.config_maps.iter().map(|c| c.meta.qualified_name()));
    names.extend(kube.secrets.iter().map(|c| c.meta.qualified_name()));
    names.extend(kube.workloads.iter().map(|c| c.meta.qualified_name()));
    names.extend(
        kube.service_accounts
            .iter()
            .map(|c| c.meta.qualified_name()),
    );
    names.extend(kube.certificates.iter().map(|c| c.meta.qualified_name()));
    names.extend(kube.ingresses.iter().map(|c| c.meta.qualified_name()));
    names.extend(kube.issuers.iter().map(|c| c.meta.qualified_name()));
    names.extend(
        kube.secret_store_refs
            .iter()
            .map(|c| c.meta.qualified_name()),
    );
    names
}

/// Runs `dimension` over two snapshots with an inferred name mapping.
pub fn run(
    staging: &Snapshot,
    production: &Snapshot,
    dimension: fn(&Context<'_>, &mut Results),
) -> Vec<Finding> {
    let mut names = NameMap::default();
    let (s, p) = (names_of(staging), names_of(production));
    names.infer(s.iter().map(String::as_str), p.iter().map(String::as_str));
    let ctx = Context {
        staging,
        production,
        names: &names,
    };
    let mut results = Results::default();
    dimension(&ctx, &mut results);
    results.findings
}
