//! `credential-long-lived` for GCP: a service account with active user-managed keys (static
//! credentials that live until deleted) in one environment whose counterpart, with its keys
//! listed too, has none. Accounts whose keys were not listed in both environments are not
//! compared.

use std::collections::BTreeMap;

use super::model::Renamer;
use super::{index, side_word};
use crate::compare::{Context, Results};
use crate::findings::{Confidence, Dimension, Evidence, Finding, Rule, Side, Subject};
use crate::model::{GcpKey, GcpObjects};

/// The first key listed for a service account (its listing's provenance).
fn listing(gcp: &GcpObjects, email: &str) -> Option<Evidence> {
    let key = gcp
        .keys
        .iter()
        .find(|k| k.service_account.eq_ignore_ascii_case(email))?;
    Some(Evidence::at(
        &key.provenance,
        None,
        format!("the keys of `{email}` are listed here: none is user-managed"),
    ))
}

/// Active user-managed keys per listed service account (e-mail as written).
fn user_keys(gcp: &GcpObjects) -> BTreeMap<String, Vec<&GcpKey>> {
    let mut out: BTreeMap<String, Vec<&GcpKey>> = gcp
        .keys_listed
        .iter()
        .map(|e| (e.to_ascii_lowercase(), Vec::new()))
        .collect();
    for key in gcp.keys.iter().filter(|k| k.user_managed()) {
        out.entry(key.service_account.to_ascii_lowercase())
            .or_default()
            .push(key);
    }
    out
}

pub fn compare(ctx: &Context<'_>, renamer: &Renamer<'_>, results: &mut Results) {
    let keys = [user_keys(&ctx.staging.gcp), user_keys(&ctx.production.gcp)];
    let mut compared = 0;
    for (staging_email, stg_keys) in &keys[0] {
        let (production_email, inferred) = renamer.to_production(staging_email);
        let Some(prd_keys) = keys[1].get(&production_email.to_ascii_lowercase()) else {
            continue;
        };
        compared += 1;
        let confidence = if inferred {
            Confidence::Likely
        } else {
            Confidence::Proven
        };
        for (side, own, other) in [
            (Side::Staging, stg_keys, prd_keys),
            (Side::Production, prd_keys, stg_keys),
        ] {
            if own.is_empty() || !other.is_empty() {
                continue;
            }
            let email = [staging_email, &production_email][index(side)];
            let ids: Vec<&str> = own.iter().map(|k| k.key_id.as_str()).collect();
            let message = format!(
                "GCP service account `{email}` authenticates with {} user-managed key(s) in {} where {} uses none: a static credential the other environment never exercises",
                own.len(),
                side_word(side),
                side_word(side.other())
            );
            let subject = Subject {
                kind: "gcp-service-account".to_string(),
                staging: Some(staging_email.clone()),
                production: Some(production_email.clone()),
            };
            let mut finding = Finding::new(Rule::CredentialLongLived, subject, message)
                .confidence(confidence)
                .key(format!("{}|{}", side_word(side), ids.join(",")));
            for key in own {
                let since = key
                    .valid_after
                    .as_deref()
                    .map(|d| format!(", valid since {d}"))
                    .unwrap_or_default();
                finding = finding.evidence_on(
                    side,
                    Evidence::at(
                        &key.provenance,
                        None,
                        format!("user-managed key `{}`{since}", key.key_id),
                    ),
                );
            }
            let other_gcp = match side {
                Side::Staging => &ctx.production.gcp,
                Side::Production => &ctx.staging.gcp,
            };
            let other_email = [staging_email, &production_email][index(side.other())];
            if let Some(e) = listing(other_gcp, other_email) {
                finding = finding.evidence_on(side.other(), e);
            }
            results.add(finding);
        }
    }
    results.count_compared(Dimension::Secrets, compared);
}
