//! The config dimension: paired ConfigMaps key by key, paired config files (Helm values, `.env`,
//! properties, tfvars, YAML/JSON) setting by setting, paired containers' env vars and paired
//! workloads' replicas (`config-value-drift`, `config-key-missing`, `config-placeholder-value`).
//! Also home of the value sites and container environments the secrets and tls dimensions use.

pub(in crate::compare) mod entries;
pub(in crate::compare) mod env;
mod files;
pub(in crate::compare) mod keys;
pub(in crate::compare) mod sites;
mod storage;
#[cfg(test)]
pub(in crate::compare) mod testing;
pub(in crate::compare) mod values;
mod workloads;

use std::collections::BTreeMap;

use self::entries::{Present, compare_values, key_missing};
use self::sites::{Site, base_name, config_map_sites, object_name};
use super::{Context, Results};
use crate::correlate::pair_by;
use crate::findings::{Confidence, Dimension, Evidence, Side};

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    let mut compared = 0;
    compare_config_maps(ctx, results, &mut compared);
    workloads::compare(ctx, results, &mut compared);
    files::compare(ctx, results, &mut compared);
    results.count_compared(Dimension::Config, compared);
}

fn by_object<'a>(sites: Vec<Site<'a>>) -> BTreeMap<String, Vec<Site<'a>>> {
    let mut out: BTreeMap<String, Vec<Site<'a>>> = BTreeMap::new();
    for site in sites {
        out.entry(site.object.clone()).or_default().push(site);
    }
    out
}

fn compare_config_maps(ctx: &Context<'_>, results: &mut Results, compared: &mut usize) {
    let object = |c: &crate::model::ConfigMapObject| {
        object_name(
            c.meta.namespace.as_deref(),
            "configmap",
            base_name(&c.meta.name),
        )
    };
    let paired = pair_by(
        &ctx.staging.kube.config_maps,
        &ctx.production.kube.config_maps,
        object,
        ctx.names,
    );
    let staging_sites = by_object(config_map_sites(ctx.staging));
    let production_sites = by_object(config_map_sites(ctx.production));
    let none: Vec<Site<'_>> = Vec::new();
    for (s, p, confidence) in paired.pairs {
        let s_all = staging_sites.get(&object(s)).unwrap_or(&none);
        let p_all = production_sites.get(&object(p)).unwrap_or(&none);
        let s_sites = &comparable(s_all, p_all);
        let p_sites = &comparable(p_all, s_all);
        let s_described = format!("ConfigMap `{}`", s.meta.qualified_name());
        let p_described = format!("ConfigMap `{}`", p.meta.qualified_name());
        let s_evidence = |key: &str| {
            Evidence::at(
                &s.meta.provenance,
                None,
                format!("ConfigMap has no key `{key}`"),
            )
        };
        let p_evidence = |key: &str| {
            Evidence::at(
                &p.meta.provenance,
                None,
                format!("ConfigMap has no key `{key}`"),
            )
        };
        *compared += compare_keyed(
            ctx,
            KeyedSides {
                staging: s_sites,
                production: p_sites,
                staging_object: &s_described,
                production_object: &p_described,
                staging_open: false,
                production_open: false,
            },
            &s_evidence,
            &p_evidence,
            confidence,
            results,
        );
    }
}

/// The sites of one side worth comparing with the other side's: a config file held in a key
/// is compared setting by setting when both sides hold one, as a whole otherwise.
fn comparable<'a>(own: &[Site<'a>], other: &[Site<'_>]) -> Vec<Site<'a>> {
    let expanded_on_both = |key: &str| {
        let expanded = |sites: &[Site<'_>]| sites.iter().any(|s| s.key == key && s.has_settings);
        expanded(own) && expanded(other)
    };
    // A key written twice keeps its last value, as Kubernetes does.
    let last = |index: usize, key: &str| !own[index + 1..].iter().any(|s| s.key == key);
    own.iter()
        .enumerate()
        .filter(|(index, site)| last(*index, &site.key))
        .map(|(_, site)| site)
        .filter(|site| {
            if site.nested {
                let parent = site
                    .key
                    .split_once('#')
                    .map_or(site.key.as_str(), |(p, _)| p);
                expanded_on_both(parent)
            } else {
                !expanded_on_both(&site.key)
            }
        })
        .cloned()
        .collect()
}

/// The keys of one paired object (ConfigMap or container) on both sides.
pub(in crate::compare) struct KeyedSides<'s, 'a> {
    pub staging: &'s [Site<'a>],
    pub production: &'s [Site<'a>],
    /// How each side's object reads in a message.
    pub staging_object: &'s str,
    pub production_object: &'s str,
    /// True when a side may set keys envparity cannot see (an unexpanded `envFrom`).
    pub staging_open: bool,
    pub production_open: bool,
}

/// Compares two keyed objects; returns the number of keys compared.
pub(in crate::compare) fn compare_keyed(
    ctx: &Context<'_>,
    sides: KeyedSides<'_, '_>,
    staging_lacks: &dyn Fn(&str) -> Evidence,
    production_lacks: &dyn Fn(&str) -> Evidence,
    confidence: Confidence,
    results: &mut Results,
) -> usize {
    let mut matched_production = vec![false; sides.production.len()];
    let mut compared = 0;
    for s in sides.staging {
        let mapped = ctx.names.to_production(&s.key);
        let found = sides
            .production
            .iter()
            .position(|p| p.key == s.key)
            .or_else(|| sides.production.iter().position(|p| p.key == mapped.text));
        compared += 1;
        match found {
            Some(index) => {
                matched_production[index] = true;
                compare_values(ctx, s, &sides.production[index], confidence, results);
            }
            None if !sides.production_open => key_missing(
                present(Side::Staging, s),
                sides.production_object,
                production_lacks(&s.key),
                confidence,
                results,
            ),
            None => {}
        }
    }
    for (p, matched) in sides.production.iter().zip(matched_production) {
        if matched {
            continue;
        }
        compared += 1;
        if !sides.staging_open {
            key_missing(
                present(Side::Production, p),
                sides.staging_object,
                staging_lacks(&p.key),
                confidence,
                results,
            );
        }
    }
    compared
}

fn present<'s>(side: Side, site: &'s Site<'_>) -> Present<'s> {
    Present {
        side,
        name: &site.name,
        key: &site.key,
        described: &site.described,
        evidence: site.evidence(format!("`{}` set here", site.key)),
    }
}
#[cfg(test)]
mod tests;
