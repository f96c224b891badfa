//! The network dimension: NetworkPolicies compared by effect per paired namespace (flows each
//! side allows and the other denies, or `network-unknown` when that cannot be decided), and
//! policies or config values (URLs, hosts) reaching the other environment.

mod cross;
mod effect;
mod endpoints;
mod ip;
mod labels;
mod ports;
mod references;
mod report;
mod validate;

use std::collections::{BTreeMap, BTreeSet};

use super::{Context, Results};
use crate::correlate::NameMap;
use crate::findings::{Dimension, Evidence, Side};
use crate::model::{KubeObjects, LabelSelector, NetworkPeer, NetworkPolicyObject, Snapshot};

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    let staging = &ctx.staging.kube.network_policies;
    let production = &ctx.production.kube.network_policies;
    if !(staging.is_empty() && production.is_empty()) {
        compare_effects(ctx, results);
        cross::compare(ctx, results);
    }
    references::compare(ctx, results);
}

/// The namespace a policy applies in (`default` when written without one).
pub(super) fn namespace_of(policy: &NetworkPolicyObject) -> &str {
    policy.meta.namespace.as_deref().unwrap_or("default")
}

/// Every namespace a snapshot shows: Namespace objects and the namespaces of all objects
/// (namespaced objects written without one are in `default`, as `kubectl apply` puts them).
pub(super) fn known_namespaces(snapshot: &Snapshot) -> BTreeSet<String> {
    let k: &KubeObjects = &snapshot.kube;
    let namespaced = k
        .service_accounts
        .iter()
        .map(|o| &o.meta)
        .chain(k.secrets.iter().map(|o| &o.meta))
        .chain(k.config_maps.iter().map(|o| &o.meta))
        .chain(k.workloads.iter().map(|o| &o.meta))
        .chain(k.network_policies.iter().map(|o| &o.meta))
        .chain(k.ingresses.iter().map(|o| &o.meta))
        .chain(k.certificates.iter().map(|o| &o.meta))
        .chain(k.alert_rules.iter().map(|o| &*o.meta))
        .chain(k.secret_store_refs.iter().map(|o| &o.meta))
        .chain(k.roles.iter().filter(|r| !r.cluster).map(|o| &o.meta))
        .chain(k.bindings.iter().filter(|b| !b.cluster).map(|o| &o.meta))
        .chain(k.issuers.iter().filter(|i| !i.cluster).map(|o| &o.meta));
    let mut out: BTreeSet<String> = namespaced
        .map(|m| m.namespace.clone().unwrap_or_else(|| "default".to_string()))
        .collect();
    out.extend(k.other.iter().filter_map(|o| o.meta.namespace.clone()));
    out.extend(k.namespaces.iter().map(|m| m.name.clone()));
    out
}

fn map_selector(selector: &LabelSelector, names: &NameMap, inferred: &mut bool) -> LabelSelector {
    let mut map = |v: &String| {
        let mapped = names.to_production(v);
        *inferred |= mapped.inferred;
        mapped.text
    };
    let mut out = selector.clone();
    for value in out.match_labels.values_mut() {
        *value = map(value);
    }
    for expression in &mut out.match_expressions {
        for value in &mut expression.values {
            *value = map(value);
        }
    }
    out
}

/// A staging policy in production's vocabulary: namespace and label values mapped. The flag
/// says whether an inferred mapping changed something.
fn translate(policy: &NetworkPolicyObject, names: &NameMap) -> (NetworkPolicyObject, bool) {
    let mut inferred = false;
    let mut out = policy.clone();
    let ns = names.to_production(namespace_of(policy));
    inferred |= ns.inferred;
    out.meta.namespace = Some(ns.text);
    out.pod_selector = map_selector(&policy.pod_selector, names, &mut inferred);
    for rule in out.ingress.iter_mut().chain(out.egress.iter_mut()) {
        for peer in &mut rule.peers {
            let NetworkPeer {
                pod_selector,
                namespace_selector,
                ..
            } = peer;
            for sel in [pod_selector, namespace_selector].into_iter().flatten() {
                *sel = map_selector(sel, names, &mut inferred);
            }
        }
    }
    (out, inferred)
}

fn compare_effects(ctx: &Context<'_>, results: &mut Results) {
    let names = ctx.names;
    let translated: Vec<(NetworkPolicyObject, bool)> = ctx
        .staging
        .kube
        .network_policies
        .iter()
        .map(|p| translate(p, names))
        .collect();
    // Production namespace name → staging namespace name, from what staging shows.
    let mut staging_name: BTreeMap<String, (String, bool)> = BTreeMap::new();
    for ns in known_namespaces(ctx.staging) {
        let mapped = names.to_production(&ns);
        staging_name
            .entry(mapped.text)
            .or_insert((ns, mapped.inferred));
    }
    let known_production = known_namespaces(ctx.production);
    let mut namespaces: BTreeSet<String> = translated
        .iter()
        .map(|(p, _)| namespace_of(p).to_string())
        .collect();
    namespaces.extend(
        ctx.production
            .kube
            .network_policies
            .iter()
            .map(|p| namespace_of(p).to_string()),
    );
    for ns in namespaces {
        let s_in: Vec<usize> = (0..translated.len())
            .filter(|&i| namespace_of(&translated[i].0) == ns)
            .collect();
        let p_in: Vec<&NetworkPolicyObject> = ctx
            .production
            .kube
            .network_policies
            .iter()
            .filter(|p| namespace_of(p) == ns)
            .collect();
        let Some((s_name, ns_inferred)) = staging_name.get(&ns).cloned() else {
            results.production_only.push(format!("k8s-namespace:{ns}"));
            continue;
        };
        if p_in.is_empty() && !known_production.contains(&ns) {
            results.staging_only.push(format!("k8s-namespace:{s_name}"));
            continue;
        }
        results.count_compared(Dimension::Network, 1);
        let s_policies: Vec<&NetworkPolicyObject> =
            s_in.iter().map(|&i| &translated[i].0).collect();
        let originals: Vec<&NetworkPolicyObject> = s_in
            .iter()
            .map(|&i| &ctx.staging.kube.network_policies[i])
            .collect();
        let inferred = ns_inferred || s_in.iter().any(|&i| translated[i].1);
        let differences = effect::compare_namespace(&ns, &s_policies, &p_in);
        let pair = report::NamespacePair {
            staging_ns: &s_name,
            production_ns: &ns,
            staging: &originals,
            production: &p_in,
            names,
            inferred,
        };
        for finding in pair.findings(&differences) {
            results.add(finding);
        }
        let (mut reasons, mut evidence) = undecidable(&originals, &p_in, &differences);
        reasons.extend(differences.unknown.iter().cloned());
        if !reasons.is_empty() {
            evidence.sort();
            evidence.dedup();
            results.add(pair.unknown(&reasons, evidence));
        }
    }
}

/// The policies' constructs envparity cannot evaluate, as reasons, and evidence for them and
/// for the named ports whose numbers would decide a difference.
fn undecidable(
    staging: &[&NetworkPolicyObject],
    production: &[&NetworkPolicyObject],
    differences: &effect::Differences,
) -> (Vec<String>, Vec<(Side, Evidence)>) {
    let mut reasons = Vec::new();
    let mut evidence = Vec::new();
    for (side, label, policies) in [
        (Side::Staging, "staging", staging),
        (Side::Production, "production", production),
    ] {
        for policy in policies {
            for problem in validate::problems(policy) {
                reasons.push(format!("{label} {}", validate::describe(policy, &problem)));
                evidence.push((
                    side,
                    Evidence::at(&policy.meta.provenance, problem.line, problem.text),
                ));
            }
            for rule in policy.ingress.iter().chain(policy.egress.iter()) {
                for (proto, name) in &differences.unresolved_ports {
                    let names_it = rule.ports.iter().any(|p| {
                        p.port.as_deref() == Some(name.as_str()) && ports::protocol(p) == *proto
                    });
                    if names_it {
                        let detail = format!(
                            "NetworkPolicy `{}` allows named port `{name}` ({proto})",
                            policy.meta.qualified_name()
                        );
                        evidence.push((
                            side,
                            Evidence::at(&policy.meta.provenance, rule.line, detail),
                        ));
                    }
                }
            }
        }
    }
    (reasons, evidence)
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

#[cfg(test)]
#[path = "unknown_tests.rs"]
mod unknown_tests;
