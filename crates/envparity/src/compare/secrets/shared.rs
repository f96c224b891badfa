//! `secret-shared-across-environments`: the same credential (compared by the keyed fingerprints
//! redaction left in the values, never shown) in both environments, and the same secret-store remote key read by both from one store.

use std::collections::BTreeMap;

use super::heuristics::shareable_fingerprints;
use crate::compare::config::sites::{Site, plain_sites, secret_sites};
use crate::compare::{Context, Results};
use crate::findings::{Confidence, Evidence, Finding, Rule, Subject};
use crate::model::Snapshot;

/// The credentials of one environment, grouped by the fingerprints of their secret parts
/// (so a connection string shares its password even when its host differs).
fn credentials(snapshot: &Snapshot) -> BTreeMap<String, Vec<Site<'_>>> {
    let mut out: BTreeMap<String, Vec<Site<'_>>> = BTreeMap::new();
    let mut sites = secret_sites(snapshot);
    sites.extend(
        plain_sites(snapshot)
            .into_iter()
            .filter(|s| s.value.sensitive),
    );
    for site in sites {
        let fingerprints = shareable_fingerprints(site.value.raw());
        if !site.has_settings && !fingerprints.is_empty() {
            out.entry(fingerprints.join(",")).or_default().push(site);
        }
    }
    for group in out.values_mut() {
        group.sort_by(|a, b| a.name.cmp(&b.name));
    }
    out
}

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    shared_values(ctx, results);
    shared_remote_keys(ctx, results);
}

fn shared_values(ctx: &Context<'_>, results: &mut Results) {
    let staging = credentials(ctx.staging);
    let production = credentials(ctx.production);
    for (value, s_sites) in &staging {
        let Some(p_sites) = production.get(value) else {
            continue;
        };
        let (Some(s), Some(p)) = (s_sites.first(), p_sites.first()) else {
            continue;
        };
        let others = s_sites.len() + p_sites.len() - 2;
        let more = match others {
            0 => String::new(),
            1 => " (and in 1 other place)".to_string(),
            n => format!(" (and in {n} other places)"),
        };
        let message = format!(
            "Staging's {} and production's {} hold the same credential value{more}; issue a distinct credential per environment and rotate the shared one.",
            s.phrase(),
            p.phrase(),
        );
        let subject = Subject {
            kind: "config-key".to_string(),
            staging: Some(s.name.clone()),
            production: Some(p.name.clone()),
        };
        let mut finding =
            Finding::new(Rule::SecretSharedAcrossEnvironments, subject, message).key("same-value");
        for site in s_sites {
            finding =
                finding.staging_evidence(site.evidence("same value as production (not shown)"));
        }
        for site in p_sites {
            finding =
                finding.production_evidence(site.evidence("same value as staging (not shown)"));
        }
        results.add(finding);
    }
}

/// ExternalSecrets of both environments reading the same remote key, unmapped, from the same
/// store: both environments share one secret (likely: the store's backend is not visible).
fn shared_remote_keys(ctx: &Context<'_>, results: &mut Results) {
    let production = &ctx.production.kube.secret_store_refs;
    for s in &ctx.staging.kube.secret_store_refs {
        if s.store == "sealed-secrets" {
            continue;
        }
        for p in production.iter().filter(|p| p.store == s.store) {
            let mut shared: Vec<&str> = s
                .keys
                .iter()
                .filter(|k| ctx.names.to_production(k).text == **k && p.keys.contains(k))
                .map(String::as_str)
                .collect();
            if shared.is_empty() {
                continue;
            }
            shared.sort();
            shared.dedup();
            let listed: Vec<String> = shared.iter().map(|k| format!("`{k}`")).collect();
            let message = format!(
                "Staging's {} `{}` and production's `{}` read the same remote key {} from store `{}`; give each environment its own secret in the store.",
                s.meta.kind,
                s.meta.qualified_name(),
                p.meta.qualified_name(),
                listed.join(", "),
                s.store,
            );
            let subject = Subject {
                kind: "external-secret".to_string(),
                staging: Some(s.meta.qualified_name()),
                production: Some(p.meta.qualified_name()),
            };
            let detail = format!("remote key {} in store `{}`", listed.join(", "), s.store);
            results.add(
                Finding::new(Rule::SecretSharedAcrossEnvironments, subject, message)
                    .confidence(Confidence::Likely)
                    .key(format!("remote-key:{}", shared.join(",")))
                    .staging_evidence(Evidence::at(&s.meta.provenance, None, detail.clone()))
                    .production_evidence(Evidence::at(&p.meta.provenance, None, detail)),
            );
        }
    }
}
