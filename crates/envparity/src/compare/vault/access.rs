//! `access-*` for one pair of Vault subjects (roles, or policies on their own): ask the ACL
//! engine with staging's names mapped into production's, report the proven directions with
//! witness requests and the rules that decided them, and `access-unknown` with what to export
//! when a policy is not among the inputs or the engine could not decide.

use std::collections::{BTreeMap, BTreeSet};

use envparity_access::Verdict;
use envparity_access::vault::{self, Request, one_line, renamed};
use serde_json::Value;

use super::effective::{Effective, deciding_rules, token_map};
use crate::compare::{Context, Results};
use crate::findings::{Confidence, Evidence, Finding, Rule, Side, Subject, Witness};

/// Witnesses shown per direction in a finding.
const SHOWN_WITNESSES: usize = 5;

/// One pair to compare: how to name it, and both sides' effective ACLs.
pub struct Pair<'a> {
    pub subject: Subject,
    /// `Vault role `auth/jwt/role/ci`` (user values quoted).
    pub what: String,
    pub staging: Effective<'a>,
    pub production: Effective<'a>,
    pub confidence: Confidence,
}

pub fn compare_pair(ctx: &Context<'_>, pair: &Pair<'_>, results: &mut Results) {
    let (stg_acl, prd_acl) = match (&pair.staging.acl, &pair.production.acl) {
        (Ok(s), Ok(p)) => (s, p),
        (s, p) => {
            let mut reasons = Vec::new();
            if let Err(e) = s {
                reasons.push(format!("staging: {e}"));
            }
            if let Err(e) = p {
                reasons.push(format!("production: {e}"));
            }
            unknown(pair, reasons, results);
            return;
        }
    };
    let map = token_map(ctx.names);
    let stg_missing: BTreeSet<String> = pair
        .staging
        .missing
        .iter()
        .map(|m| ctx.names.to_production(m).text)
        .collect();
    let prd_missing: BTreeSet<String> = pair.production.missing.iter().cloned().collect();
    if !stg_missing.is_empty() || !prd_missing.is_empty() {
        let mut reasons = Vec::new();
        for name in stg_missing.difference(&prd_missing) {
            reasons.push(export_hint("staging", &ctx.names.to_staging(name)));
        }
        for name in prd_missing.difference(&stg_missing) {
            reasons.push(export_hint("production", name));
        }
        if reasons.is_empty() {
            // The same policies are missing on both sides: the ACLs are equal only if the
            // known rules are the very same, key for key.
            let same = renamed(stg_acl, &map)
                .is_ok_and(|(acl, inexact)| inexact.is_empty() && acl.same_rules(prd_acl));
            if same {
                return;
            }
            for name in &stg_missing {
                reasons.push(format!(
                    "policy `{name}` is not among the inputs of either environment and the other policies differ; export it with `vault read -format=json sys/policies/acl/{name}`"
                ));
            }
        }
        unknown(pair, reasons, results);
        return;
    }
    let comparison = vault::compare(stg_acl, prd_acl, &map);
    let rule = match Verdict::from_differences(
        !comparison.staging_only.is_empty(),
        !comparison.production_only.is_empty(),
    ) {
        Verdict::Broader => Some(Rule::AccessBroaderInStaging),
        Verdict::Narrower => Some(Rule::AccessNarrowerInStaging),
        Verdict::Divergent => Some(Rule::AccessDivergent),
        Verdict::Equal | Verdict::Unknown => None,
    };
    if let Some(rule) = rule {
        let message = message(&pair.what, &comparison);
        let mut finding =
            Finding::new(rule, pair.subject.clone(), message).confidence(pair.confidence);
        let mut seen: BTreeSet<Evidence> = BTreeSet::new();
        for (side, list) in [
            (Side::Staging, &comparison.staging_only),
            (Side::Production, &comparison.production_only),
        ] {
            for w in list.iter().take(SHOWN_WITNESSES) {
                finding = finding.witness(witness(side, w));
            }
            if let Some(w) = list.first() {
                let evidence = [
                    (
                        Side::Staging,
                        deciding_rules(
                            &pair.staging,
                            w.staging_request.operation,
                            &w.staging_request.path,
                            &pair.what,
                        ),
                    ),
                    (
                        Side::Production,
                        deciding_rules(
                            &pair.production,
                            w.request.operation,
                            &w.request.path,
                            &pair.what,
                        ),
                    ),
                ];
                for (on, items) in evidence {
                    for e in items {
                        if seen.insert(e.clone()) {
                            finding = finding.evidence_on(on, e);
                        }
                    }
                }
            }
        }
        results.add(finding);
    }
    if comparison.verdict == Verdict::Unknown {
        unknown(pair, comparison.unknown.clone(), results);
    }
}

fn export_hint(side: &str, name: &str) -> String {
    format!(
        "{side}: policy `{name}` is not among the inputs; export it with `vault read -format=json sys/policies/acl/{name}`"
    )
}

fn unknown(pair: &Pair<'_>, mut reasons: Vec<String>, results: &mut Results) {
    reasons.sort();
    reasons.dedup();
    let message = format!(
        "cannot decide whether {} has the same access in both environments: {}",
        pair.what,
        reasons.join("; ")
    );
    let finding = Finding::new(Rule::AccessUnknown, pair.subject.clone(), message)
        .confidence(Confidence::Unknown)
        .key(reasons.join("|"))
        .staging_evidence(Evidence::at(&pair.staging.provenance, None, "defined here"))
        .production_evidence(Evidence::at(
            &pair.production.provenance,
            None,
            "defined here",
        ));
    results.add(finding);
}

/// The contract's JSON shape of a Vault request: `operation`, `path`, and the parameters and
/// wrapping TTL when they decide.
fn request_json(request: &Request) -> BTreeMap<String, Value> {
    let mut map = BTreeMap::new();
    map.insert(
        "operation".into(),
        Value::String(request.operation.name().into()),
    );
    map.insert("path".into(), Value::String(request.path.clone()));
    if !request.parameters.is_empty() {
        let parameters: serde_json::Map<String, Value> = request
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        map.insert("parameters".into(), Value::Object(parameters));
    }
    if let Some(ttl) = request.wrap_ttl {
        map.insert(
            "wrap_ttl".into(),
            Value::String(format!("{}s", ttl.as_secs())),
        );
    }
    map
}

fn witness(allowed_in: Side, w: &vault::Witness) -> Witness {
    let (staging, production) = (request_json(&w.staging_request), request_json(&w.request));
    Witness::between(allowed_in, staging, production, false)
}

fn describe(request: &Request) -> String {
    let mut text = format!(
        "`{}` on `{}`",
        request.operation.name(),
        one_line(&request.path)
    );
    if !request.parameters.is_empty() {
        let names: Vec<String> = request
            .parameters
            .keys()
            .map(|k| format!("`{}`", one_line(k)))
            .collect();
        text.push_str(&format!(" with parameters {}", names.join(", ")));
    }
    if let Some(ttl) = request.wrap_ttl {
        text.push_str(&format!(" wrapped for {}s", ttl.as_secs()));
    }
    text
}

fn message(what: &str, c: &vault::Comparison) -> String {
    match (c.staging_only.first(), c.production_only.first()) {
        (Some(s), Some(p)) => format!(
            "{what} may do things in staging that production denies (e.g. {}) and in production that staging denies (e.g. {})",
            describe(&s.staging_request),
            describe(&p.request)
        ),
        (Some(s), None) => format!(
            "{what} is granted more in staging than in production, e.g. {} is allowed in staging and denied in production",
            describe(&s.staging_request)
        ),
        (None, Some(p)) => format!(
            "{what} is granted less in staging than in production, e.g. {} is allowed in production and denied in staging",
            describe(&p.request)
        ),
        (None, None) => format!("{what} has the same access in both environments"),
    }
}
