//! The identity dimension: pair the non-human identities (Kubernetes service accounts) of the
//! two environments; unpaired ones are `identity-missing-in-staging` / `-in-production`. Also
//! lists every other unpaired object in the report's `unmatched` section.

use std::collections::BTreeMap;

use super::access::own_service_accounts;
use super::{Context, Results};
use crate::findings::{Confidence, Dimension, Finding, Rule, Side, Subject};
use crate::model::{KubeObjects, Meta};

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    let staging = own_service_accounts(ctx, Side::Staging);
    let mut production = own_service_accounts(ctx, Side::Production);
    let mut compared = 0;
    for ((ns, name), evidence) in &staging {
        let mapped_ns = ctx.names.to_production(ns);
        let mapped_name = ctx.names.to_production(name);
        let key = (mapped_ns.text.clone(), mapped_name.text.clone());
        if production.remove(&key).is_some() {
            compared += 1;
            continue;
        }
        let qualified = format!("{ns}/{name}");
        results
            .staging_only
            .push(format!("k8s-serviceaccount:{qualified}"));
        let mut finding = Finding::new(
            Rule::IdentityMissingInProduction,
            Subject {
                kind: "k8s-serviceaccount".into(),
                staging: Some(qualified.clone()),
                production: None,
            },
            format!(
                "ServiceAccount `{qualified}` exists only in staging (expected `{}/{}` in production)",
                mapped_ns.text, mapped_name.text
            ),
        );
        if mapped_ns.inferred || mapped_name.inferred {
            finding = finding.confidence(Confidence::Likely);
        }
        for e in evidence {
            finding = finding.staging_evidence(e.evidence());
        }
        results.add(finding);
    }
    for ((ns, name), evidence) in &production {
        let qualified = format!("{ns}/{name}");
        let expected = format!(
            "{}/{}",
            ctx.names.to_staging(ns),
            ctx.names.to_staging(name)
        );
        results
            .production_only
            .push(format!("k8s-serviceaccount:{qualified}"));
        let mut finding = Finding::new(
            Rule::IdentityMissingInStaging,
            Subject {
                kind: "k8s-serviceaccount".into(),
                staging: None,
                production: Some(qualified.clone()),
            },
            format!(
                "ServiceAccount `{qualified}` of production has no staging counterpart (expected `{expected}`), so its controls are never exercised before release"
            ),
        );
        for e in evidence {
            finding = finding.production_evidence(e.evidence());
        }
        results.add(finding);
    }
    // The identity score counts every identity, paired or not.
    let total = compared + staging.len() - compared + production.len();
    results.count_compared(Dimension::Identity, total);
    unmatched_objects(ctx, results);
}

fn metas(kube: &KubeObjects) -> Vec<(&'static str, &Meta)> {
    let mut out: Vec<(&'static str, &Meta)> = Vec::new();
    out.extend(kube.workloads.iter().map(|o| ("workload", &o.meta)));
    out.extend(kube.roles.iter().map(|o| {
        (
            if o.cluster {
                "k8s-clusterrole"
            } else {
                "k8s-role"
            },
            &o.meta,
        )
    }));
    out.extend(kube.bindings.iter().map(|o| {
        (
            if o.cluster {
                "k8s-clusterrolebinding"
            } else {
                "k8s-rolebinding"
            },
            &o.meta,
        )
    }));
    out.extend(kube.secrets.iter().map(|o| ("k8s-secret", &o.meta)));
    out.extend(kube.config_maps.iter().map(|o| ("k8s-configmap", &o.meta)));
    out.extend(
        kube.network_policies
            .iter()
            .map(|o| ("k8s-networkpolicy", &o.meta)),
    );
    out
}

/// Lists objects (other than service accounts) with no counterpart, by kind and name.
fn unmatched_objects(ctx: &Context<'_>, results: &mut Results) {
    let key = |kind: &str, meta: &Meta| format!("{kind}:{}", qualified_with_kind(meta));
    let mut production: BTreeMap<String, usize> = BTreeMap::new();
    for (kind, meta) in metas(&ctx.production.kube) {
        *production.entry(key(kind, meta)).or_insert(0) += 1;
    }
    for (kind, meta) in metas(&ctx.staging.kube) {
        let mapped = ctx.names.to_production(&key(kind, meta)).text;
        match production.get_mut(&mapped) {
            Some(count) if *count > 0 => *count -= 1,
            _ => results.staging_only.push(key(kind, meta)),
        }
    }
    for (name, count) in production {
        if count > 0 {
            results.production_only.push(name);
        }
    }
}

fn qualified_with_kind(meta: &Meta) -> String {
    if meta.kind.is_empty() {
        meta.qualified_name()
    } else {
        match &meta.namespace {
            Some(ns) => format!("{ns}/{}/{}", meta.kind.to_ascii_lowercase(), meta.name),
            None => format!("{}/{}", meta.kind.to_ascii_lowercase(), meta.name),
        }
    }
}
