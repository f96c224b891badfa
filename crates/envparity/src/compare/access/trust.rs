//! `trust-cross-environment` for Kubernetes: a binding of one environment that grants a role
//! to a service account (or the service-account group of a namespace) of the other one.

use std::collections::BTreeSet;

use super::SubjectKey;
use crate::compare::{Context, Results};
use crate::correlate::NameMap;
use crate::findings::{Dimension, Evidence, Finding, Rule, Side, Subject};
use crate::model::Snapshot;

/// Every namespace an environment's objects live in or declare.
pub fn namespaces(snapshot: &Snapshot) -> BTreeSet<String> {
    let kube = &snapshot.kube;
    let mut out: BTreeSet<String> = kube.namespaces.iter().map(|m| m.name.clone()).collect();
    let metas = kube
        .service_accounts
        .iter()
        .map(|o| &o.meta)
        .chain(kube.roles.iter().map(|o| &o.meta))
        .chain(kube.bindings.iter().map(|o| &o.meta))
        .chain(kube.workloads.iter().map(|o| &o.meta))
        .chain(kube.config_maps.iter().map(|o| &o.meta))
        .chain(kube.secrets.iter().map(|o| &o.meta))
        .chain(kube.network_policies.iter().map(|o| &o.meta));
    out.extend(metas.filter_map(|m| m.namespace.clone()));
    out
}

fn tokens(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// The namespaces of one side that belong to the other environment (named there, e.g. in a
/// binding subject, but not this side's own).
pub fn foreign_namespaces(ctx: &Context<'_>, side: Side) -> BTreeSet<String> {
    let stg = namespaces(ctx.staging);
    let prd = namespaces(ctx.production);
    let (snapshot, own, other) = match side {
        Side::Staging => (ctx.staging, &stg, &prd),
        Side::Production => (ctx.production, &prd, &stg),
    };
    let mut out = BTreeSet::new();
    for binding in &snapshot.kube.bindings {
        let binding_ns =
            (!binding.cluster).then(|| binding.meta.namespace.as_deref().unwrap_or("default"));
        for subject_ref in &binding.subjects {
            if let Some(ns) =
                SubjectKey::from_ref(subject_ref, binding_ns).and_then(|k| subject_namespace(&k))
                && belongs_to_other(&ns, side, own, other, ctx.names)
            {
                out.insert(ns);
            }
        }
    }
    out
}

/// Whether namespace `ns`, named on `side`, belongs to the other environment: it is not one
/// of this side's namespaces, and it is one of the other side's or carries one of the other
/// side's environment tokens.
fn belongs_to_other(
    ns: &str,
    side: Side,
    own: &BTreeSet<String>,
    other: &BTreeSet<String>,
    names: &NameMap,
) -> bool {
    if own.contains(ns) {
        return false;
    }
    if other.contains(ns) {
        return true;
    }
    let other_tokens: BTreeSet<&str> = names
        .entries()
        .map(|(from, to, _)| match side {
            Side::Staging => to,
            Side::Production => from,
        })
        .collect();
    let own_tokens: BTreeSet<&str> = names
        .entries()
        .map(|(from, to, _)| match side {
            Side::Staging => from,
            Side::Production => to,
        })
        .collect();
    tokens(ns).any(|t| other_tokens.contains(t) && !own_tokens.contains(t))
}

/// The namespace a subject lives in, when it is a service account or a namespace's group.
fn subject_namespace(key: &SubjectKey) -> Option<String> {
    match key {
        SubjectKey::ServiceAccount { namespace, .. } => Some(namespace.clone()),
        SubjectKey::User(u) => u
            .strip_prefix("system:serviceaccount:")
            .and_then(|rest| rest.split(':').next())
            .map(str::to_string),
        SubjectKey::Group(g) => g
            .strip_prefix("system:serviceaccounts:")
            .map(str::to_string),
    }
}

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    let stg_ns = namespaces(ctx.staging);
    let prd_ns = namespaces(ctx.production);
    // Every binding of either side is checked for subjects of the other environment.
    let checked = ctx.staging.kube.bindings.len() + ctx.production.kube.bindings.len();
    results.count_compared(Dimension::Trust, checked);
    for (side, snapshot, own, other) in [
        (Side::Staging, ctx.staging, &stg_ns, &prd_ns),
        (Side::Production, ctx.production, &prd_ns, &stg_ns),
    ] {
        for binding in &snapshot.kube.bindings {
            let binding_ns =
                (!binding.cluster).then(|| binding.meta.namespace.as_deref().unwrap_or("default"));
            for subject_ref in &binding.subjects {
                let Some(key) = SubjectKey::from_ref(subject_ref, binding_ns) else {
                    continue;
                };
                let Some(ns) = subject_namespace(&key) else {
                    continue;
                };
                if !belongs_to_other(&ns, side, own, other, ctx.names) {
                    continue;
                }
                let (this, that) = match side {
                    Side::Staging => ("staging", "production"),
                    Side::Production => ("production", "staging"),
                };
                let name = key.name();
                let subject = Subject {
                    kind: "k8s-rolebinding".to_string(),
                    staging: (side == Side::Staging).then(|| binding.meta.qualified_name()),
                    production: (side == Side::Production).then(|| binding.meta.qualified_name()),
                };
                let message = format!(
                    "{this} {} `{}` grants {} `{}` to {} `{name}` of the {that} namespace `{ns}`",
                    binding.meta.kind,
                    binding.meta.qualified_name(),
                    binding.role_ref.kind,
                    binding.role_ref.name,
                    subject_ref.kind,
                );
                let evidence = Evidence::at(
                    &binding.meta.provenance,
                    None,
                    format!("subject {} `{name}`", subject_ref.kind),
                );
                results.add(
                    Finding::new(Rule::TrustCrossEnvironment, subject, message)
                        .key(format!("{this}|{name}"))
                        .evidence_on(side, evidence),
                );
            }
        }
    }
}
