//! Paired config files (Helm values merged per environment, `.env`, properties, tfvars,
//! YAML/JSON config): setting by setting, by key path.

use super::entries::{capitalized, side_name};
use super::sites::{Site, config_file_object, config_file_sites};
use super::{KeyedSides, by_object, comparable, compare_keyed};
use crate::compare::{Context, Results};
use crate::correlate::pair_by;
use crate::findings::{Evidence, Finding, Rule, Side, Subject};
use crate::model::ConfigFile;

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results, compared: &mut usize) {
    let paired = pair_by(
        &ctx.staging.config_files,
        &ctx.production.config_files,
        config_file_object,
        ctx.names,
    );
    let staging_sites = by_object(config_file_sites(ctx.staging));
    let production_sites = by_object(config_file_sites(ctx.production));
    let none: Vec<Site<'_>> = Vec::new();
    for file in &paired.staging_only {
        missing_file(Side::Staging, file, results);
    }
    for file in &paired.production_only {
        missing_file(Side::Production, file, results);
    }
    *compared += paired.staging_only.len() + paired.production_only.len();
    for (s, p, confidence) in paired.pairs {
        let s_all = staging_sites.get(&config_file_object(s)).unwrap_or(&none);
        let p_all = production_sites
            .get(&config_file_object(p))
            .unwrap_or(&none);
        let s_sites = &comparable(s_all, p_all);
        let p_sites = &comparable(p_all, s_all);
        let s_described = described(s);
        let p_described = described(p);
        let lacks = |file: &ConfigFile| {
            let file = file.clone();
            move |key: &str| {
                Evidence::at(
                    &file.provenance,
                    None,
                    format!("`{key}` is not set in {}", layers(&file)),
                )
            }
        };
        let s_evidence = lacks(s);
        let p_evidence = lacks(p);
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

/// A config file of one environment with no counterpart in the other.
fn missing_file(side: Side, file: &ConfigFile, results: &mut Results) {
    let name = config_file_object(file);
    let message = format!(
        "{} has no config file `{}`, which {} has ({} setting(s)); add it or declare the difference as expected.",
        capitalized(side_name(side.other())),
        file.name,
        side_name(side),
        file.entries.len(),
    );
    results.add(
        Finding::new(
            Rule::ConfigKeyMissing,
            Subject::one_side("config-file", side, name),
            message,
        )
        .key(format!("file-missing-in:{}", side_name(side.other())))
        .evidence_on(
            side,
            Evidence::at(&file.provenance, None, "config file present here"),
        ),
    );
}

/// ``config file `app/values.yaml` (values.yaml + values-staging.yaml)``.
fn described(file: &ConfigFile) -> String {
    if file.layers.len() > 1 {
        format!("config file `{}` ({})", file.name, layers(file))
    } else {
        format!("config file `{}`", file.name)
    }
}

/// The files merged into one logical file, by file name: `values.yaml + values-staging.yaml`.
fn layers(file: &ConfigFile) -> String {
    file.layers
        .iter()
        .map(|l| l.rsplit('/').next().unwrap_or(l).to_string())
        .collect::<Vec<_>>()
        .join(" + ")
}
