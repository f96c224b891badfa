//! Custom resources envparity understands: cert-manager Issuers and Certificates, Prometheus
//! Operator alert rules, ExternalSecrets, SealedSecrets, and the API server's audit Policy.

use super::super::node::{Shaped, entries, map_list, opt_int, opt_map, opt_str, str_list};
use super::super::yaml::Node;
use crate::model::{
    AlertRule, AuditGroupResources, AuditPolicy, AuditRule, CertificateObject, IssuerKind,
    IssuerObject, KubeObjects, Meta, SecretStoreRef,
};

pub fn issuer(node: &Node, meta: Meta, kube: &mut KubeObjects) -> Shaped<()> {
    let cluster = meta.kind == "ClusterIssuer";
    let issuer = match opt_map(node, "spec")? {
        Some(spec) => issuer_kind(spec)?,
        None => IssuerKind::Other {
            name: String::new(),
        },
    };
    kube.issuers.push(IssuerObject {
        meta,
        cluster,
        issuer,
    });
    Ok(())
}

fn issuer_kind(spec: &Node) -> Shaped<IssuerKind> {
    if let Some(acme) = opt_map(spec, "acme")? {
        return Ok(IssuerKind::Acme {
            server: opt_str(acme, "server")?.unwrap_or_default(),
        });
    }
    if let Some(ca) = opt_map(spec, "ca")? {
        return Ok(IssuerKind::Ca {
            secret_name: opt_str(ca, "secretName")?.unwrap_or_default(),
        });
    }
    // `selfSigned: {}` is written empty, so look for the key itself.
    if spec
        .entries()
        .is_some_and(|e| e.iter().any(|(k, _)| k == "selfSigned"))
    {
        return Ok(IssuerKind::SelfSigned);
    }
    if let Some(vault) = opt_map(spec, "vault")? {
        return Ok(IssuerKind::Vault {
            server: opt_str(vault, "server")?.unwrap_or_default(),
            path: opt_str(vault, "path")?.unwrap_or_default(),
        });
    }
    let name = spec
        .entries()
        .and_then(|e| e.first())
        .map(|(k, _)| k.clone())
        .unwrap_or_default();
    Ok(IssuerKind::Other { name })
}

pub fn certificate(node: &Node, meta: Meta, kube: &mut KubeObjects) -> Shaped<()> {
    let mut cert = CertificateObject {
        meta,
        issuer_kind: "Issuer".to_string(),
        issuer_name: String::new(),
        dns_names: Vec::new(),
        secret_name: None,
        duration: None,
        key_algorithm: None,
        key_size: None,
    };
    if let Some(spec) = opt_map(node, "spec")? {
        if let Some(issuer) = opt_map(spec, "issuerRef")? {
            if let Some(kind) = opt_str(issuer, "kind")? {
                cert.issuer_kind = kind;
            }
            cert.issuer_name = opt_str(issuer, "name")?.unwrap_or_default();
        }
        cert.dns_names = str_list(spec, "dnsNames")?;
        cert.secret_name = opt_str(spec, "secretName")?;
        cert.duration = opt_str(spec, "duration")?;
        // cert-manager before v1 wrote `keyAlgorithm`/`keySize` on the spec itself.
        cert.key_algorithm = opt_str(spec, "keyAlgorithm")?;
        cert.key_size = opt_int(spec, "keySize")?;
        if let Some(key) = opt_map(spec, "privateKey")? {
            cert.key_algorithm = opt_str(key, "algorithm")?.or(cert.key_algorithm);
            cert.key_size = opt_int(key, "size")?.or(cert.key_size);
        }
    }
    kube.certificates.push(cert);
    Ok(())
}

pub fn prometheus_rule(node: &Node, meta: Meta, kube: &mut KubeObjects) -> Shaped<()> {
    let meta = std::sync::Arc::new(meta);
    let mut alerts = Vec::new();
    if let Some(spec) = opt_map(node, "spec")? {
        for group in map_list(spec, "groups")? {
            let group_name = opt_str(group, "name")?.unwrap_or_default();
            for rule in map_list(group, "rules")? {
                let Some(alert) = opt_str(rule, "alert")? else {
                    continue; // a recording rule
                };
                let severity = match opt_map(rule, "labels")? {
                    Some(labels) => opt_str(labels, "severity")?,
                    None => None,
                };
                alerts.push(AlertRule {
                    meta: std::sync::Arc::clone(&meta),
                    group: group_name.clone(),
                    alert,
                    expr: opt_str(rule, "expr")?.unwrap_or_default(),
                    for_duration: opt_str(rule, "for")?,
                    severity,
                    line: Some(rule.line),
                });
            }
        }
    }
    kube.alert_rules.extend(alerts);
    Ok(())
}

pub fn external_secret(node: &Node, meta: Meta, kube: &mut KubeObjects) -> Shaped<()> {
    let mut store = "SecretStore/".to_string();
    let mut target = meta.name.clone();
    let mut keys = Vec::new();
    if let Some(spec) = opt_map(node, "spec")? {
        if let Some(store_ref) = opt_map(spec, "secretStoreRef")? {
            let kind = opt_str(store_ref, "kind")?.unwrap_or_else(|| "SecretStore".to_string());
            let name = opt_str(store_ref, "name")?.unwrap_or_default();
            store = format!("{kind}/{name}");
        }
        if let Some(t) = opt_map(spec, "target")?
            && let Some(name) = opt_str(t, "name")?
        {
            target = name;
        }
        for item in map_list(spec, "data")? {
            if let Some(remote) = opt_map(item, "remoteRef")?
                && let Some(key) = opt_str(remote, "key")?
            {
                keys.push(key);
            }
        }
        for item in map_list(spec, "dataFrom")? {
            match opt_map(item, "extract")? {
                Some(extract) => keys.extend(opt_str(extract, "key")?),
                // `dataFrom: [{key: ...}]` of v1alpha1.
                None => keys.extend(opt_str(item, "key")?),
            }
            if let Some(find) = opt_map(item, "find")?
                && let Some(name) = opt_map(find, "name")?
            {
                keys.extend(opt_str(name, "regexp")?.map(|r| format!("find:{r}")));
            }
        }
    }
    kube.secret_store_refs.push(SecretStoreRef {
        meta,
        target,
        store,
        keys,
    });
    Ok(())
}

pub fn sealed_secret(node: &Node, meta: Meta, kube: &mut KubeObjects) -> Shaped<()> {
    let mut target = meta.name.clone();
    let mut keys = Vec::new();
    if let Some(spec) = opt_map(node, "spec")? {
        keys = entries(spec, "encryptedData")?
            .iter()
            .map(|(k, _)| k.clone())
            .collect();
        if let Some(template) = opt_map(spec, "template")?
            && let Some(metadata) = opt_map(template, "metadata")?
            && let Some(name) = opt_str(metadata, "name")?
        {
            target = name;
        }
    }
    kube.secret_store_refs.push(SecretStoreRef {
        meta,
        target,
        store: "sealed-secrets".to_string(),
        keys,
    });
    Ok(())
}

pub fn audit_policy(node: &Node, meta: Meta, kube: &mut KubeObjects) -> Shaped<()> {
    let omit_stages = str_list(node, "omitStages")?;
    let mut rules = Vec::new();
    for rule in map_list(node, "rules")? {
        let mut resources = Vec::new();
        for group in map_list(rule, "resources")? {
            resources.push(AuditGroupResources {
                group: opt_str(group, "group")?.unwrap_or_default(),
                resources: str_list(group, "resources")?,
                resource_names: str_list(group, "resourceNames")?,
            });
        }
        rules.push(AuditRule {
            level: opt_str(rule, "level")?.unwrap_or_default(),
            users: str_list(rule, "users")?,
            user_groups: str_list(rule, "userGroups")?,
            verbs: str_list(rule, "verbs")?,
            namespaces: str_list(rule, "namespaces")?,
            resources,
            non_resource_urls: str_list(rule, "nonResourceURLs")?,
            omit_stages: str_list(rule, "omitStages")?,
            line: Some(rule.line),
        });
    }
    kube.audit_policies.push(AuditPolicy {
        meta,
        omit_stages,
        rules,
    });
    Ok(())
}
