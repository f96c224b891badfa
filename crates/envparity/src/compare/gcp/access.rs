//! GCP access per member: every member bound in either environment (in production's names)
//! is compared by the engine; proven witnesses become `access-broader-in-staging`,
//! `access-narrower-in-staging` or `access-divergent`, anything undecided `access-unknown`
//! naming the role, condition or hierarchy fact to export. Service accounts listed on one
//! side only are left to the identity rules.

use std::collections::{BTreeMap, BTreeSet};

use envparity_access::Verdict;
use envparity_access::gcp::{self, Comparator, Member};
use rayon::prelude::*;
use serde_json::Value;

use super::model::{Built, Renamer};
use super::{evidence, identity};
use crate::compare::{Context, Results};
use crate::findings::{Confidence, Dimension, Finding, Rule, Side, Subject, Witness};

/// Marks a member of the other environment's vocabulary.
const FOREIGN: &str = "foreign:";

/// Whether a name is a member or deny-rule principal (as opposed to a resource or literal).
fn is_member(name: &str) -> bool {
    [
        "user:",
        "serviceAccount:",
        "group:",
        "domain:",
        "principal://",
        "principalSet://",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

/// Witnesses shown per direction in a finding.
const SHOWN_WITNESSES: usize = 5;
/// Evidence items per side.
const SHOWN_EVIDENCE: usize = 6;

pub fn compare(
    ctx: &Context<'_>,
    renamer: &Renamer<'_>,
    built: &[Built; 2],
    results: &mut Results,
) {
    // Members named in the other environment's vocabulary (a production account bound in
    // staging, or the reverse) would collide with the renamed own ones: they stay apart, are
    // not compared, and are reported by the trust rules.
    let staging_names = |s: &str| {
        if is_member(s) && renamer.to_staging(&renamer.to_production(s).0) != s {
            format!("{FOREIGN}{s}")
        } else {
            renamer.to_production(s).0
        }
    };
    let production_names = |p: &str| {
        if is_member(p) && renamer.to_production(&renamer.to_staging(p)).0 != p {
            format!("{FOREIGN}{p}")
        } else {
            p.to_string()
        }
    };
    let staging = built[0].model.renamed(&staging_names);
    let production = built[1].model.renamed(&production_names);
    // A custom role named alike in both environments without renaming (an organization's
    // role, or a project both environments use) is one object.
    let unchanged: BTreeSet<String> = built[0]
        .model
        .allow
        .iter()
        .flat_map(|p| &p.bindings)
        .map(|b| b.role.clone())
        .filter(|r| renamer.to_production(r).0 == *r)
        .collect();
    let shared = |role: &str| unchanged.contains(role);
    let comparator = Comparator::with_shared_roles(&staging, &production, &shared);
    let one_sided = identity::one_sided_accounts(ctx, renamer);
    let subjects: Vec<Member> = comparator
        .members()
        .into_iter()
        .filter(|m| {
            !matches!(m, Member::Other(s) if s.starts_with("deleted:") || s.starts_with(FOREIGN))
        })
        .filter(|m| m.service_account().is_none_or(|e| !one_sided.contains(e)))
        .collect();
    let per_subject: Vec<Vec<Finding>> = subjects
        .par_iter()
        .map(|member| {
            let comparison = comparator.compare(&member.to_string());
            findings(member, &comparison, renamer, built)
        })
        .collect();
    for finding in per_subject.into_iter().flatten() {
        results.add(finding);
    }
    results.count_compared(Dimension::Access, subjects.len());
}

fn subject(member: &Member, renamer: &Renamer<'_>) -> (Subject, Confidence, String) {
    let production = member.name();
    let staging = renamer.to_staging(&production);
    let inferred = renamer.to_production(&staging).1;
    let confidence = if inferred {
        Confidence::Likely
    } else {
        Confidence::Proven
    };
    let who = match member {
        Member::ServiceAccount(_) => format!("GCP service account `{staging}`"),
        Member::User(_) => format!("GCP user `{staging}`"),
        Member::Group(_) => format!("GCP group `{staging}`"),
        Member::Domain(_) => format!("GCP domain `{staging}`"),
        _ => format!("GCP principal `{staging}`"),
    };
    let subject = Subject {
        kind: member.kind().to_string(),
        staging: Some(staging),
        production: Some(production),
    };
    (subject, confidence, who)
}

/// The contract's JSON shape of a GCP request: `permission`, `resource`, and where they
/// matter `within` (the hierarchy resource holding it), `type`, `service`, `tags`, `time`.
fn request_json(w: &gcp::Witness, rename: &dyn Fn(&str) -> String) -> BTreeMap<String, Value> {
    let r = &w.request.resource;
    let mut map = BTreeMap::new();
    map.insert(
        "permission".into(),
        Value::String(w.request.permission.clone()),
    );
    map.insert("resource".into(), Value::String(rename(&r.name)));
    if r.name != r.node {
        map.insert("within".into(), Value::String(rename(&r.node)));
    }
    if w.shown.kind {
        map.insert("type".into(), Value::String(r.kind.clone()));
    }
    if w.shown.service {
        map.insert("service".into(), Value::String(r.service.clone()));
    }
    if !r.tags.is_empty() {
        let tags = r
            .tags
            .iter()
            .map(|(k, v)| (rename(k), Value::String(rename(v))))
            .collect();
        map.insert("tags".into(), Value::Object(tags));
    }
    if w.shown.time {
        map.insert("time".into(), Value::String(w.request.time.to_string()));
    }
    map
}

fn witness(allowed_in: Side, w: &gcp::Witness, renamer: &Renamer<'_>) -> Witness {
    let to_staging = |s: &str| renamer.to_staging(s);
    let same = |s: &str| s.to_string();
    let staging = request_json(w, &to_staging);
    let production = request_json(w, &same);
    Witness::between(allowed_in, staging, production, false)
}

fn describe(w: &gcp::Witness, rename: &dyn Fn(&str) -> String) -> String {
    let r = &w.request.resource;
    let mut text = format!("`{}` on `{}`", w.request.permission, rename(&r.name));
    if r.name != r.node {
        text.push_str(&format!(" in `{}`", rename(&r.node)));
    }
    if w.shown.time {
        text.push_str(&format!(" at {}", w.request.time));
    }
    text
}

fn message(who: &str, stg: &[gcp::Witness], prd: &[gcp::Witness], renamer: &Renamer<'_>) -> String {
    let to_staging = |s: &str| renamer.to_staging(s);
    let same = |s: &str| s.to_string();
    match (stg.first(), prd.first()) {
        (Some(s), Some(p)) => format!(
            "{who} may do things in staging that production denies (e.g. {}) and in production that staging denies (e.g. {})",
            describe(s, &to_staging),
            describe(p, &same)
        ),
        (Some(s), None) => format!(
            "{who} is granted more in staging than in production, e.g. {} is allowed in staging and denied in production",
            describe(s, &to_staging)
        ),
        (None, Some(p)) => format!(
            "{who} is granted less in staging than in production, e.g. {} is allowed in production and denied in staging",
            describe(p, &same)
        ),
        (None, None) => format!("{who} has the same access in both environments"),
    }
}

/// Evidence of one side: the bindings granting its witnesses and the deny rules denying the
/// other side's, else the member's bindings there.
fn side_evidence(
    side: usize,
    comparison: &gcp::Comparison,
    built: &Built,
    member: &str,
) -> Vec<crate::findings::Evidence> {
    let (own, other) = match side {
        0 => (&comparison.staging_only, &comparison.production_only),
        _ => (&comparison.production_only, &comparison.staging_only),
    };
    let mut origins: BTreeSet<usize> = own
        .iter()
        .flat_map(|w| w.granted_by.iter().copied())
        .collect();
    let mut out: Vec<_> = origins
        .iter()
        .filter_map(|o| built.bindings.get(*o))
        .map(evidence)
        .collect();
    let rules: BTreeSet<usize> = other
        .iter()
        .flat_map(|w| w.denied_by.iter().copied())
        .collect();
    out.extend(
        rules
            .iter()
            .filter_map(|o| built.rules.get(*o))
            .map(evidence),
    );
    if out.is_empty() {
        origins.clear();
        out.extend(super::bindings_of(built, member).map(evidence));
    }
    out.truncate(SHOWN_EVIDENCE);
    out
}

fn findings(
    member: &Member,
    comparison: &gcp::Comparison,
    renamer: &Renamer<'_>,
    built: &[Built; 2],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let (subject, confidence, who) = subject(member, renamer);
    let production_member = member.to_string();
    let staging_member = renamer.to_staging(&production_member);
    let (stg, prd) = (&comparison.staging_only, &comparison.production_only);
    let rule = match Verdict::from_differences(!stg.is_empty(), !prd.is_empty()) {
        Verdict::Broader => Some(Rule::AccessBroaderInStaging),
        Verdict::Narrower => Some(Rule::AccessNarrowerInStaging),
        Verdict::Divergent => Some(Rule::AccessDivergent),
        Verdict::Equal | Verdict::Unknown => None,
    };
    let attach = |mut finding: Finding| {
        for e in side_evidence(0, comparison, &built[0], &staging_member) {
            finding = finding.staging_evidence(e);
        }
        for e in side_evidence(1, comparison, &built[1], &production_member) {
            finding = finding.production_evidence(e);
        }
        finding
    };
    if let Some(rule) = rule {
        let mut finding = Finding::new(rule, subject.clone(), message(&who, stg, prd, renamer))
            .confidence(confidence);
        for w in stg.iter().take(SHOWN_WITNESSES) {
            finding = finding.witness(witness(Side::Staging, w, renamer));
        }
        for w in prd.iter().take(SHOWN_WITNESSES) {
            finding = finding.witness(witness(Side::Production, w, renamer));
        }
        out.push(attach(finding));
    }
    if !comparison.unknown.is_empty() {
        let reasons = comparison.unknown.join("; ");
        let message = format!(
            "cannot decide whether {who} has the same access in both environments: {reasons}"
        );
        let finding = Finding::new(Rule::AccessUnknown, subject, message)
            .confidence(Confidence::Unknown)
            .key(comparison.unknown.join("|"));
        out.push(attach(finding));
    }
    out
}
