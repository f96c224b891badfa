//! AWS access, identity and trust: pair the IAM roles and users of the two environments,
//! let the IAM engine decide equal / broader / narrower / divergent with witness requests,
//! re-check every witness with the concrete evaluator, and report principals present on one
//! side only, shared identities, administrator-equivalent principals and trust that crosses
//! environments.

mod principals;
mod trust;

use std::collections::BTreeMap;

use envparity_access::Verdict;
use envparity_access::aws::{self, ActionCatalog, Decision, PrincipalPolicies, Request};
use rayon::prelude::*;
use serde_json::Value;

use super::{Context, Results};
use crate::correlate::NameMap;
use crate::findings::{Confidence, Dimension, Evidence, Finding, Rule, Side, Subject, Witness};
use principals::{Principal, PrincipalKind, document_evidence, policies, principals};

/// Witnesses shown per direction in a finding.
const SHOWN_WITNESSES: usize = 5;

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    let staging = principals(&ctx.staging.aws);
    let production = principals(&ctx.production.aws);
    if staging.is_empty() && production.is_empty() {
        return;
    }
    let mut unpaired_production: BTreeMap<(PrincipalKind, String), &Principal> =
        production.iter().map(|(k, v)| (k.clone(), v)).collect();
    let mut compared = 0;
    let mut identities = 0;
    let mut pairs: Vec<(&Principal, &Principal, Confidence)> = Vec::new();
    for ((kind, name), stg) in &staging {
        identities += 1;
        let mapped = ctx.names.to_production(name);
        let Some(prd) = unpaired_production.remove(&(*kind, mapped.text.clone())) else {
            missing(
                Side::Staging,
                stg,
                &ctx.names.to_production(&stg.arn).text,
                results,
            );
            continue;
        };
        compared += 1;
        let confidence = if mapped.inferred || ctx.names.to_production(&stg.arn).inferred {
            Confidence::Likely
        } else {
            Confidence::Proven
        };
        pairs.push((stg, prd, confidence));
        if stg.arn == prd.arn {
            shared(stg, prd, results);
        }
    }
    let scps_equal = scps_equal(ctx);
    // The engine's work dominates: pairs are compared in parallel, and their findings are
    // added in pairing order, so the report does not depend on scheduling.
    let per_pair: Vec<Vec<Finding>> = pairs
        .par_iter()
        .map(|(stg, prd, confidence)| {
            let mut local = Results::default();
            compare_pair(ctx, scps_equal, (stg, prd), *confidence, &mut local);
            local.findings
        })
        .collect();
    for findings in per_pair {
        for finding in findings {
            results.add(finding);
        }
    }
    for prd in unpaired_production.values() {
        identities += 1;
        missing(
            Side::Production,
            prd,
            &ctx.names.to_staging(&prd.arn),
            results,
        );
    }
    results.count_compared(Dimension::Access, compared);
    results.count_compared(Dimension::Identity, identities);
    for (side, all, scps) in [
        (Side::Staging, &staging, &ctx.staging.aws.scps),
        (Side::Production, &production, &ctx.production.aws.scps),
    ] {
        for principal in all.values() {
            wildcard_admin(side, principal, scps, results);
        }
    }
    trust::compare(ctx, &staging, &production, results);
}

fn side_word(side: Side) -> &'static str {
    match side {
        Side::Staging => "staging",
        Side::Production => "production",
    }
}

/// `identity-missing-in-production` (present in staging only) or `-in-staging`.
fn missing(present_in: Side, principal: &Principal, expected: &str, results: &mut Results) {
    let (rule, message) = match present_in {
        Side::Staging => (
            Rule::IdentityMissingInProduction,
            format!(
                "IAM {} `{}` exists only in staging (expected `{expected}` in production)",
                principal.kind.word(),
                principal.arn
            ),
        ),
        Side::Production => (
            Rule::IdentityMissingInStaging,
            format!(
                "IAM {} `{}` of production has no staging counterpart (expected `{expected}`), so its controls are never exercised before release",
                principal.kind.word(),
                principal.arn
            ),
        ),
    };
    let entry = format!("{}:{}", principal.kind.subject_kind(), principal.arn);
    match present_in {
        Side::Staging => results.staging_only.push(entry),
        Side::Production => results.production_only.push(entry),
    }
    let subject = Subject::one_side(
        principal.kind.subject_kind(),
        present_in,
        principal.arn.clone(),
    );
    let evidence = Evidence::at(
        &principal.provenance,
        None,
        format!(
            "{} `{}` is defined here",
            principal.kind.word(),
            principal.name
        ),
    );
    results.add(Finding::new(rule, subject, message).evidence_on(present_in, evidence));
}

/// `identity-shared-across-environments`: both environments list the very same ARN.
fn shared(stg: &Principal, prd: &Principal, results: &mut Results) {
    let subject = Subject {
        kind: stg.kind.subject_kind().to_string(),
        staging: Some(stg.arn.clone()),
        production: Some(prd.arn.clone()),
    };
    let message = format!(
        "IAM {} `{}` is the same identity in staging and production: a staging compromise is a production compromise",
        stg.kind.word(),
        stg.arn
    );
    results.add(
        Finding::new(Rule::IdentitySharedAcrossEnvironments, subject, message)
            .staging_evidence(Evidence::at(&stg.provenance, None, "defined here"))
            .production_evidence(Evidence::at(&prd.provenance, None, "defined here")),
    );
}

/// Whether both environments' SCPs are the same documents once staging's are renamed.
fn scps_equal(ctx: &Context<'_>) -> bool {
    let rename = |s: &str| ctx.names.to_production(s).text;
    let same = |s: &str| s.to_string();
    let render = |docs: &[crate::model::PolicyDocument], f: &dyn Fn(&str) -> String| {
        let mut v: Vec<String> = docs
            .iter()
            .map(|d| principals::rename_strings(&d.document.value(), f).to_string())
            .collect();
        v.sort();
        v
    };
    render(&ctx.staging.aws.scps, &rename) == render(&ctx.production.aws.scps, &same)
}

fn compare_pair(
    ctx: &Context<'_>,
    scps_equal: bool,
    (stg, prd): (&Principal, &Principal),
    confidence: Confidence,
    results: &mut Results,
) {
    // Fast path: the same documents (after renaming) grant the same requests, whatever
    // they contain, as long as both sides' unresolved parts are the same too.
    let rename = |s: &str| ctx.names.to_production(s).text;
    let same = |s: &str| s.to_string();
    let mapped_unresolved: Vec<String> =
        stg.unresolved.iter().map(|r| rename(r)).collect::<Vec<_>>();
    if scps_equal
        && mapped_unresolved == prd.unresolved
        && principals::syntactic_key(stg, &rename) == principals::syntactic_key(prd, &same)
    {
        if !prd.unresolved.is_empty() {
            // Identical known parts and identical missing parts: equal, but only if the
            // missing parts are the same objects, which a name cannot prove for
            // customer-managed policies; AWS-managed ones are global.
            let all_aws_managed = prd
                .unresolved
                .iter()
                .all(|r| r.contains("arn:aws:iam::aws:policy/"));
            if all_aws_managed {
                return;
            }
        } else {
            return;
        }
    }
    let (stg_policies, stg_unresolved) = policies(stg, &ctx.staging.aws.scps, Some(ctx.names));
    let (prd_policies, prd_unresolved) = policies(prd, &ctx.production.aws.scps, None);
    let comparison = aws::compare(&stg_policies, &prd_policies, ActionCatalog::embedded());
    // A witness is proven when the allowing side is fully known and the denying side either
    // denies it explicitly or is fully known too; the concrete evaluator re-checks both.
    let proven = |request: &Request,
                  allowing: &PrincipalPolicies,
                  allowing_unresolved: &[String],
                  denying: &PrincipalPolicies,
                  denying_unresolved: &[String]| {
        let denied = aws::evaluate(denying, request);
        allowing_unresolved.is_empty()
            && aws::evaluate(allowing, request) == Decision::Allow
            && (denied == Decision::ExplicitDeny
                || (denied == Decision::ImplicitDeny && denying_unresolved.is_empty()))
    };
    // Where the engine met something outside its fragment, the concrete evaluator is not
    // exact either (an unsupported condition never holds there), so no witness is proven.
    let exact = comparison.unknown.is_empty();
    let stg_only: Vec<&aws::Witness> = comparison
        .staging_only
        .iter()
        .filter(|w| {
            exact
                && proven(
                    &w.request,
                    &stg_policies,
                    &stg_unresolved,
                    &prd_policies,
                    &prd_unresolved,
                )
        })
        .collect();
    let prd_only: Vec<&aws::Witness> = comparison
        .production_only
        .iter()
        .filter(|w| {
            exact
                && proven(
                    &w.request,
                    &prd_policies,
                    &prd_unresolved,
                    &stg_policies,
                    &stg_unresolved,
                )
        })
        .collect();
    let subject = Subject {
        kind: stg.kind.subject_kind().to_string(),
        staging: Some(stg.arn.clone()),
        production: Some(prd.arn.clone()),
    };
    let rule = match Verdict::from_differences(!stg_only.is_empty(), !prd_only.is_empty()) {
        Verdict::Broader => Some(Rule::AccessBroaderInStaging),
        Verdict::Narrower => Some(Rule::AccessNarrowerInStaging),
        Verdict::Divergent => Some(Rule::AccessDivergent),
        Verdict::Equal | Verdict::Unknown => None,
    };
    if let Some(rule) = rule {
        let mut finding = Finding::new(
            rule,
            subject.clone(),
            message(stg, &stg_only, &prd_only, ctx.names),
        )
        .confidence(confidence);
        for w in stg_only.iter().take(SHOWN_WITNESSES) {
            finding = finding.witness(witness(Side::Staging, w, ctx.names));
        }
        for w in prd_only.iter().take(SHOWN_WITNESSES) {
            finding = finding.witness(witness(Side::Production, w, ctx.names));
        }
        for e in document_evidence(stg) {
            finding = finding.staging_evidence(e);
        }
        for e in document_evidence(prd) {
            finding = finding.production_evidence(e);
        }
        results.add(finding);
    }
    let mut reasons: Vec<String> = Vec::new();
    reasons.extend(stg_unresolved.iter().map(|r| format!("staging: {r}")));
    reasons.extend(prd_unresolved.iter().map(|r| format!("production: {r}")));
    // The engine numbers identity policies; name them with their documents where the
    // numbering is certain (every document parsed).
    let named = |reason: &str| -> String {
        let mut text = reason.to_string();
        for (side, principal, unresolved) in [
            ("staging", stg, &stg_unresolved),
            ("production", prd, &prd_unresolved),
        ] {
            if !unresolved.is_empty() {
                continue;
            }
            for (i, doc) in principal.documents.iter().enumerate().rev() {
                let from = format!("{side} identity policy {},", i + 1);
                let line = doc
                    .provenance
                    .line
                    .map(|l| format!(":{l}"))
                    .unwrap_or_default();
                let to = format!(
                    "{side} policy `{}` ({}{line}),",
                    doc.name, doc.provenance.path
                );
                text = text.replace(&from, &to);
            }
        }
        text
    };
    reasons.extend(comparison.unknown.iter().map(|r| named(r)));
    let undecided = comparison.verdict != Verdict::Equal
        && comparison.staging_only.len() + comparison.production_only.len()
            > stg_only.len() + prd_only.len();
    if undecided && reasons.is_empty() {
        reasons.push("a difference could not be confirmed by the concrete evaluator".into());
    }
    let equal_but_incomplete = comparison.verdict == Verdict::Equal && !reasons.is_empty();
    if !reasons.is_empty()
        && (undecided || equal_but_incomplete || comparison.verdict == Verdict::Unknown)
    {
        reasons.sort();
        reasons.dedup();
        let message = format!(
            "cannot decide whether IAM {} `{}` has the same access in both environments: {}",
            stg.kind.word(),
            stg.name,
            reasons.join("; ")
        );
        let mut finding = Finding::new(Rule::AccessUnknown, subject, message)
            .confidence(Confidence::Unknown)
            .key(reasons.join("|"));
        for e in document_evidence(stg) {
            finding = finding.staging_evidence(e);
        }
        for e in document_evidence(prd) {
            finding = finding.production_evidence(e);
        }
        results.add(finding);
    }
}

/// The contract's JSON shape of an AWS request.
fn request_json(request: &Request, rename: &dyn Fn(&str) -> String) -> BTreeMap<String, Value> {
    let mut map = BTreeMap::new();
    map.insert("action".into(), Value::String(request.action.clone()));
    map.insert("resource".into(), Value::String(rename(&request.resource)));
    let context: serde_json::Map<String, Value> = request
        .context
        .iter()
        .map(|(k, values)| {
            let value = match values.as_slice() {
                [one] => Value::String(rename(one)),
                many => Value::Array(many.iter().map(|v| Value::String(rename(v))).collect()),
            };
            (k.clone(), value)
        })
        .collect();
    map.insert("context".into(), Value::Object(context));
    map
}

/// A witness allowed in `allowed_in`; the engine's request is in production's names.
fn witness(allowed_in: Side, w: &aws::Witness, names: &NameMap) -> Witness {
    let to_staging = |s: &str| names.to_staging(s);
    let same = |s: &str| s.to_string();
    let staging = request_json(&w.request, &to_staging);
    let production = request_json(&w.request, &same);
    Witness::between(allowed_in, staging, production, w.synthetic)
}

fn describe(request: &Request, rename: &dyn Fn(&str) -> String) -> String {
    let mut text = format!("`{}` on `{}`", request.action, rename(&request.resource));
    if request.context.is_empty() {
        text.push_str(" with no request context");
    } else {
        let pairs: Vec<String> = request
            .context
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    v.iter().map(|x| rename(x)).collect::<Vec<_>>().join("|")
                )
            })
            .collect();
        text.push_str(&format!(" when {}", pairs.join(", ")));
    }
    text
}

fn message(
    stg: &Principal,
    stg_only: &[&aws::Witness],
    prd_only: &[&aws::Witness],
    names: &NameMap,
) -> String {
    let who = format!("IAM {} `{}`", stg.kind.word(), stg.name);
    let to_staging = |s: &str| names.to_staging(s);
    let same = |s: &str| s.to_string();
    match (stg_only.first(), prd_only.first()) {
        (Some(s), Some(p)) => format!(
            "{who} may do things in staging that production denies (e.g. {}) and in production that staging denies (e.g. {})",
            describe(&s.request, &to_staging),
            describe(&p.request, &same)
        ),
        (Some(s), None) => format!(
            "{who} is granted more in staging than in production, e.g. {} is allowed in staging and denied in production",
            describe(&s.request, &to_staging)
        ),
        (None, Some(p)) => format!(
            "{who} is granted less in staging than in production, e.g. {} is allowed in production and denied in staging",
            describe(&p.request, &same)
        ),
        (None, None) => format!("{who} has the same access in both environments"),
    }
}

/// `privilege-wildcard-admin` for an IAM role or user, per environment.
fn wildcard_admin(
    side: Side,
    principal: &Principal,
    scps: &[crate::model::PolicyDocument],
    results: &mut Results,
) {
    // Cheap test first: in an open world of actions, only a statement whose action and
    // resource patterns match everything can grant everything.
    if !principal
        .documents
        .iter()
        .any(|d| grants_everything(&d.document.value()))
    {
        return;
    }
    let (policies, unresolved) = policies(principal, scps, None);
    if !unresolved.is_empty() || !aws::admin_equivalent(&policies) {
        return;
    }
    let subject = Subject::one_side(principal.kind.subject_kind(), side, principal.arn.clone());
    let message = format!(
        "IAM {} `{}` holds administrator-equivalent access (every action on every resource) in {}",
        principal.kind.word(),
        principal.name,
        side_word(side)
    );
    let mut finding =
        Finding::new(Rule::PrivilegeWildcardAdmin, subject, message).key(side_word(side));
    for e in document_evidence(principal) {
        finding = finding.evidence_on(side, e);
    }
    results.add(finding);
}

/// Whether a policy document has an unconditioned `Allow` statement whose `Action` and
/// `Resource` patterns match every string (`*`, `*:*`, `arn:*`...).
fn grants_everything(document: &Value) -> bool {
    let list = |value: Option<&Value>| -> Vec<String> {
        match value {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    let universal = |pattern: &str| {
        let rest = pattern.strip_prefix("arn:").unwrap_or(pattern);
        !rest.is_empty() && rest.chars().all(|c| c == '*' || c == ':')
    };
    let statements = match document.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect::<Vec<_>>(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    statements.iter().any(|st| {
        st.get("Effect").and_then(Value::as_str) == Some("Allow")
            && st.get("Condition").is_none()
            && list(st.get("Action")).iter().any(|a| universal(a))
            && (st.get("Resource").is_none() && st.get("NotResource").is_none()
                || list(st.get("Resource")).iter().any(|r| universal(r)))
    })
}
