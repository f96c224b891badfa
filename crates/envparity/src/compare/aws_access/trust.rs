//! Role trust policies: `trust-cross-environment` when a role of one environment may be
//! assumed by an account or principal of the other, or both environments trust the same
//! federated workload identity; `trust-broader-in-staging` when staging's trust admits
//! principals production's does not.

use std::collections::{BTreeMap, BTreeSet};

use envparity_access::aws::{TrustedPrincipal, parse_policy, trusted_principals};
use serde_json::Value;

use super::principals::{Principal, PrincipalKind, rename_strings};
use crate::compare::{Context, Results};
use crate::findings::{Confidence, Dimension, Evidence, Finding, Rule, Side, Subject};

type Principals<'a> = BTreeMap<(PrincipalKind, String), Principal<'a>>;

/// The 12-digit account of an AWS principal value (`111111111111`, `arn:aws:iam::1…:root`,
/// `arn:aws:iam::1…:role/x`).
fn account_of(value: &str) -> Option<&str> {
    if value.len() == 12 && value.chars().all(|c| c.is_ascii_digit()) {
        return Some(value);
    }
    let account = value.strip_prefix("arn:")?.split(':').nth(3)?;
    (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit())).then_some(account)
}

fn trusted(
    principal: &Principal,
    rename: &dyn Fn(&str) -> String,
) -> Option<Vec<TrustedPrincipal>> {
    let doc = principal.trust.as_ref()?;
    let value = rename_strings(&doc.document.value(), rename);
    parse_policy(&value).ok().map(|p| trusted_principals(&p))
}

/// The `sub` claims a federated trust statement accepts (StringEquals/StringLike on a key
/// ending in `:sub`), read from the raw document; `None` when unrestricted.
fn subjects(document: &Value) -> Option<BTreeSet<String>> {
    let statements = match document.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(one) => vec![one.clone()],
        None => return None,
    };
    let mut out = BTreeSet::new();
    for statement in &statements {
        let Some(Value::Object(condition)) = statement.get("Condition") else {
            continue;
        };
        for (_, keys) in condition {
            let Value::Object(keys) = keys else { continue };
            for (key, values) in keys {
                if !key.to_ascii_lowercase().ends_with(":sub") {
                    continue;
                }
                match values {
                    Value::String(s) => {
                        out.insert(s.clone());
                    }
                    Value::Array(items) => {
                        out.extend(items.iter().filter_map(|v| v.as_str().map(str::to_string)))
                    }
                    _ => {}
                }
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

pub fn compare(
    ctx: &Context<'_>,
    staging: &Principals<'_>,
    production: &Principals<'_>,
    results: &mut Results,
) {
    let stg_accounts: BTreeSet<&str> = ctx
        .staging
        .aws
        .accounts
        .iter()
        .map(String::as_str)
        .collect();
    let prd_accounts: BTreeSet<&str> = ctx
        .production
        .aws
        .accounts
        .iter()
        .map(String::as_str)
        .collect();
    let same = |s: &str| s.to_string();
    let mut checked = 0;
    for (side, own, other_accounts, own_accounts) in [
        (Side::Staging, staging, &prd_accounts, &stg_accounts),
        (Side::Production, production, &stg_accounts, &prd_accounts),
    ] {
        for principal in own.values() {
            let Some(trusts) = trusted(principal, &same) else {
                continue;
            };
            checked += 1;
            for t in &trusts {
                let crosses = match account_of(&t.value) {
                    Some(account) => {
                        other_accounts.contains(account) && !own_accounts.contains(account)
                    }
                    None => t.value == "*" && !t.conditional,
                };
                if crosses {
                    cross(side, principal, t, results);
                }
            }
        }
    }
    results.count_compared(Dimension::Trust, checked);
    // Paired roles: broader trust in staging, and federated identities trusted by both.
    for ((kind, name), stg) in staging {
        let Some(prd) = production.get(&(*kind, ctx.names.to_production(name).text)) else {
            continue;
        };
        let rename = |s: &str| ctx.names.to_production(s).text;
        let (Some(stg_trust), Some(prd_trust)) = (trusted(stg, &rename), trusted(prd, &same))
        else {
            continue;
        };
        let key = |t: &TrustedPrincipal| (format!("{:?}", t.kind), t.value.clone());
        let prd_set: BTreeSet<(String, String)> = prd_trust.iter().map(key).collect();
        let extra: Vec<&TrustedPrincipal> = stg_trust
            .iter()
            .filter(|t| !prd_set.contains(&key(t)))
            .collect();
        if !extra.is_empty() {
            let listed: Vec<String> = extra
                .iter()
                .map(|t| format!("`{}`", ctx.names.to_staging(&t.value)))
                .collect();
            let subject = Subject {
                kind: "aws-iam-role".into(),
                staging: Some(stg.arn.clone()),
                production: Some(prd.arn.clone()),
            };
            let message = format!(
                "staging role `{}` may be assumed by {} which production's `{}` does not trust",
                stg.name,
                listed.join(", "),
                prd.name
            );
            let mut finding =
                Finding::new(Rule::TrustBroaderInStaging, subject, message).key(listed.join(","));
            if let Some(doc) = &stg.trust {
                finding =
                    finding.staging_evidence(Evidence::at(&doc.provenance, None, "trust policy"));
            }
            if let Some(doc) = &prd.trust {
                finding = finding.production_evidence(Evidence::at(
                    &doc.provenance,
                    None,
                    "trust policy",
                ));
            }
            results.add(finding);
        }
        shared_federation(stg, prd, &stg_trust, &prd_trust, results);
    }
}

fn cross(side: Side, principal: &Principal, t: &TrustedPrincipal, results: &mut Results) {
    let (this, that) = match side {
        Side::Staging => ("staging", "production"),
        Side::Production => ("production", "staging"),
    };
    let subject = Subject::one_side("aws-iam-role", side, principal.arn.clone());
    let who = if t.value == "*" {
        "any AWS principal (including the other environment's)".to_string()
    } else {
        format!("`{}` of the {that} account", t.value)
    };
    let message = format!(
        "{this} role `{}` may be assumed by {who} ({})",
        principal.name, t.action
    );
    let mut finding = Finding::new(Rule::TrustCrossEnvironment, subject, message)
        .key(format!("{this}|{}", t.value));
    if let Some(doc) = &principal.trust {
        finding = finding.evidence_on(
            side,
            Evidence::at(&doc.provenance, None, format!("trusts `{}`", t.value)),
        );
    }
    results.add(finding);
}

/// Both environments trust the same OIDC issuer for the same (or any) subject: one CI job or
/// workload identity can act in both.
fn shared_federation(
    stg: &Principal,
    prd: &Principal,
    stg_trust: &[TrustedPrincipal],
    prd_trust: &[TrustedPrincipal],
    results: &mut Results,
) {
    let host = |value: &str| {
        value
            .rsplit(":oidc-provider/")
            .next()
            .unwrap_or(value)
            .to_string()
    };
    let federated = |trust: &[TrustedPrincipal]| -> BTreeSet<String> {
        trust
            .iter()
            // Only OIDC issuers are shared identities: a SAML provider or an account's own
            // provider object is distinct per account even when it has the same name.
            .filter(|t| {
                format!("{:?}", t.kind) == "Federated" && t.value.contains(":oidc-provider/")
            })
            .map(|t| host(&t.value))
            .collect()
    };
    let common: Vec<String> = federated(stg_trust)
        .intersection(&federated(prd_trust))
        .cloned()
        .collect();
    if common.is_empty() {
        return;
    }
    let (Some(stg_doc), Some(prd_doc)) = (&stg.trust, &prd.trust) else {
        return;
    };
    let (stg_sub, prd_sub) = (
        subjects(&stg_doc.document.value()),
        subjects(&prd_doc.document.value()),
    );
    let overlap = match (&stg_sub, &prd_sub) {
        (Some(a), Some(b)) => a.intersection(b).next().is_some(),
        _ => true,
    };
    if !overlap {
        return;
    }
    let subject = Subject {
        kind: "aws-iam-role".into(),
        staging: Some(stg.arn.clone()),
        production: Some(prd.arn.clone()),
    };
    let message = format!(
        "staging role `{}` and production role `{}` trust the same federated identity ({}) for the same subject, so one workload or CI job can act in both environments",
        stg.name,
        prd.name,
        common.join(", ")
    );
    results.add(
        Finding::new(Rule::TrustCrossEnvironment, subject, message)
            .confidence(Confidence::Likely)
            .key(format!("federated|{}", common.join(",")))
            .staging_evidence(Evidence::at(&stg_doc.provenance, None, "trust policy"))
            .production_evidence(Evidence::at(&prd_doc.provenance, None, "trust policy")),
    );
}
