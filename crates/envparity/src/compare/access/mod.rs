//! The access dimension for Kubernetes RBAC: for each paired subject, the semantic engine of
//! `envparity-access` decides equal / broader / narrower / divergent; every witness is
//! re-checked with the concrete authorizer before it is reported. Also
//! `privilege-wildcard-admin` per environment.

mod admin;
mod grants;
mod trust;
mod witness;

use std::collections::{BTreeMap, BTreeSet};

use envparity_access::Verdict;
use envparity_access::k8s::{self, Request, Scope, ScopedRule};

use super::{Context, Results};
use crate::correlate::NameMap;
use crate::findings::{Confidence, Dimension, Evidence, Finding, Rule, Side, Subject};
use crate::model::{KubeObjects, Meta, Workload};
pub use grants::SubjectKey;
use grants::{Grants, OpaqueRole, binding_evidence, grants_by_subject, memberships};

/// Witnesses shown per direction in a finding.
const SHOWN_WITNESSES: usize = 5;

/// Rules of one subject (both environments together) beyond which the exact comparison is not
/// attempted: its time grows faster than the square of the rule count (2,000 distinct rules
/// take about a second in a release build), so a huge policy is `access-unknown` instead.
const MAX_COMPARED_RULES: usize = 2_000;

/// Where a service account was seen; made into evidence only when a finding cites it.
#[derive(Debug, Clone, Copy)]
pub enum Sighting<'a> {
    Defined(&'a Meta),
    RunBy(&'a Workload),
    NamedBy(&'a Meta),
}

impl Sighting<'_> {
    pub fn evidence(&self) -> Evidence {
        match self {
            Sighting::Defined(meta) => Evidence::at(
                &meta.provenance,
                None,
                format!("ServiceAccount `{}` is defined here", meta.qualified_name()),
            ),
            Sighting::RunBy(workload) => Evidence::at(
                &workload.meta.provenance,
                None,
                format!(
                    "{} `{}` runs as ServiceAccount `{}`",
                    workload.meta.kind,
                    workload.meta.qualified_name(),
                    workload.service_account.as_deref().unwrap_or("default")
                ),
            ),
            Sighting::NamedBy(binding) => Evidence::at(
                &binding.provenance,
                None,
                format!(
                    "{} `{}` names this ServiceAccount",
                    binding.kind,
                    binding.qualified_name()
                ),
            ),
        }
    }
}

/// Every service account of a snapshot: defined, used by a workload, or named in a binding,
/// with where it was seen.
pub fn service_accounts(kube: &KubeObjects) -> BTreeMap<(String, String), Vec<Sighting<'_>>> {
    let mut out: BTreeMap<(String, String), Vec<Sighting<'_>>> = BTreeMap::new();
    for sa in &kube.service_accounts {
        let ns = sa
            .meta
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        out.entry((ns, sa.meta.name.clone()))
            .or_default()
            .push(Sighting::Defined(&sa.meta));
    }
    for workload in &kube.workloads {
        let ns = workload
            .meta
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let name = workload
            .service_account
            .clone()
            .unwrap_or_else(|| "default".into());
        out.entry((ns, name))
            .or_default()
            .push(Sighting::RunBy(workload));
    }
    for binding in &kube.bindings {
        let binding_ns =
            (!binding.cluster).then(|| binding.meta.namespace.as_deref().unwrap_or("default"));
        for subject in &binding.subjects {
            if let Some(SubjectKey::ServiceAccount { namespace, name }) =
                SubjectKey::from_ref(subject, binding_ns)
            {
                out.entry((namespace, name))
                    .or_default()
                    .push(Sighting::NamedBy(&binding.meta));
            }
        }
    }
    out
}

/// The service accounts of one side that are its own: those of namespaces that belong to the
/// other environment (named by a cross-environment binding) are left out, so that they are
/// neither paired nor reported missing; `trust-cross-environment` reports them.
pub fn own_service_accounts<'a>(
    ctx: &Context<'a>,
    side: Side,
) -> BTreeMap<(String, String), Vec<Sighting<'a>>> {
    let snapshot = match side {
        Side::Staging => ctx.staging,
        Side::Production => ctx.production,
    };
    let foreign = trust::foreign_namespaces(ctx, side);
    let mut accounts = service_accounts(&snapshot.kube);
    accounts.retain(|(ns, _), _| !foreign.contains(ns));
    accounts
}

/// Effective grants of every subject: service accounts include their groups' grants.
fn effective<'a>(ctx: &Context<'a>, side: Side) -> BTreeMap<SubjectKey, Grants<'a>> {
    let kube = match side {
        Side::Staging => &ctx.staging.kube,
        Side::Production => &ctx.production.kube,
    };
    let mut direct = grants_by_subject(kube);
    let foreign = trust::foreign_namespaces(ctx, side);
    let mut out: BTreeMap<SubjectKey, Grants> = BTreeMap::new();
    for (namespace, name) in own_service_accounts(ctx, side).into_keys() {
        let key = SubjectKey::ServiceAccount {
            namespace: namespace.clone(),
            name: name.clone(),
        };
        // Taken, not copied: service-account keys are never anyone's group, and the loop
        // below drops the ones left (service accounts of namespaces that are not ours).
        let mut merged = direct.remove(&key).unwrap_or_default();
        for member_of in memberships(&namespace, &name) {
            if let Some(extra) = direct.get(&member_of) {
                append(&mut merged, extra);
            }
        }
        out.insert(key, merged);
    }
    for (key, grants) in direct {
        let is_foreign = match &key {
            SubjectKey::ServiceAccount { .. } => true,
            SubjectKey::User(u) => u
                .strip_prefix("system:serviceaccount:")
                .and_then(|rest| rest.split(':').next())
                .is_some_and(|ns| foreign.contains(ns)),
            SubjectKey::Group(g) => g
                .strip_prefix("system:serviceaccounts:")
                .is_some_and(|ns| foreign.contains(ns)),
        };
        if !is_foreign {
            out.insert(key, grants);
        }
    }
    out
}

fn append<'a>(into: &mut Grants<'a>, from: &Grants<'a>) {
    let offset = into.origins.len();
    into.origins.extend(from.origins.iter().cloned());
    into.rules.extend(from.rules.iter().map(|r| ScopedRule {
        origin: r.origin + offset,
        ..r.clone()
    }));
    into.bindings.extend(from.bindings.iter().cloned());
    into.opaque.extend(from.opaque.iter().cloned());
    into.unresolved.extend(from.unresolved.iter().cloned());
}

/// The staging subject's name in production's vocabulary, and whether that needed inference.
fn map_key(key: &SubjectKey, names: &NameMap) -> (SubjectKey, bool) {
    match key {
        SubjectKey::ServiceAccount { namespace, name } => {
            let ns = names.to_production(namespace);
            let n = names.to_production(name);
            (
                SubjectKey::ServiceAccount {
                    namespace: ns.text,
                    name: n.text,
                },
                ns.inferred || n.inferred,
            )
        }
        SubjectKey::User(name) => {
            let m = names.to_production(name);
            (SubjectKey::User(m.text), m.inferred)
        }
        SubjectKey::Group(name) => {
            let m = names.to_production(name);
            (SubjectKey::Group(m.text), m.inferred)
        }
    }
}

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    let staging = effective(ctx, Side::Staging);
    let production = effective(ctx, Side::Production);
    let mut compared = 0;
    for (key, stg) in &staging {
        let (mapped, inferred) = map_key(key, ctx.names);
        let Some(prd) = production.get(&mapped) else {
            continue;
        };
        compared += 1;
        let confidence = if inferred {
            Confidence::Likely
        } else {
            Confidence::Proven
        };
        let subject = Subject {
            kind: key.kind().to_string(),
            staging: Some(key.name()),
            production: Some(mapped.name()),
        };
        compare_pair(ctx.names, subject, confidence, stg, prd, results);
    }
    results.count_compared(Dimension::Access, compared);
    for (side, subjects) in [(Side::Staging, &staging), (Side::Production, &production)] {
        admin::wildcard_admin(side, subjects, results);
    }
    trust::compare(ctx, results);
}

fn compare_pair(
    names: &NameMap,
    subject: Subject,
    confidence: Confidence,
    stg: &Grants,
    prd: &Grants,
    results: &mut Results,
) {
    let rules = stg.rules.len().saturating_add(prd.rules.len());
    if rules > MAX_COMPARED_RULES {
        let message = format!(
            "cannot decide whether `{}` has the same access in both environments: its roles hold \
             {rules} rules, more than the {MAX_COMPARED_RULES} the access comparison handles",
            subject.staging.as_deref().unwrap_or("-"),
        );
        let finding = Finding::new(Rule::AccessUnknown, subject, message)
            .confidence(Confidence::Unknown)
            .key("too many rules");
        results.add(add_bindings(finding, stg, prd));
        return;
    }
    let stg_rules = witness::rules_to_production(&stg.rules, names);
    let comparison = k8s::compare(&stg_rules, &prd.rules);
    let stg_opaque: BTreeSet<OpaqueRole> = stg
        .opaque
        .iter()
        .map(|o| OpaqueRole {
            scope: match &o.scope {
                Scope::Namespace(ns) => Scope::Namespace(names.to_production(ns).text),
                Scope::Cluster => Scope::Cluster,
            },
            ..o.clone()
        })
        .collect();
    // A witness is proven only when no role missing from the inputs could grant it on the
    // denying side; the concrete authorizer re-checks it on both sides.
    let confirm = |request: &Request,
                   allowing: &[ScopedRule],
                   denying: &[ScopedRule],
                   opaque: &BTreeSet<OpaqueRole>| {
        k8s::allows(allowing, request)
            && !k8s::allows(denying, request)
            && !opaque
                .iter()
                .any(|o| witness::scope_covers(&o.scope, request))
    };
    let stg_only: Vec<&k8s::Witness> = comparison
        .staging_only
        .iter()
        .filter(|w| confirm(&w.request, &stg_rules, &prd.rules, &prd.opaque))
        .collect();
    let prd_only: Vec<&k8s::Witness> = comparison
        .production_only
        .iter()
        .filter(|w| confirm(&w.request, &prd.rules, &stg_rules, &stg_opaque))
        .collect();

    let mut unknown: Vec<String> = Vec::new();
    for o in stg_opaque.difference(&prd.opaque) {
        let scope = match &o.scope {
            Scope::Namespace(ns) => Scope::Namespace(names.to_staging(ns)),
            Scope::Cluster => Scope::Cluster,
        };
        unknown.push(format!(
            "staging binds {} `{}` {}, which is not among the inputs and has no production counterpart",
            o.kind,
            o.name,
            scope_text(&scope)
        ));
    }
    for o in prd.opaque.difference(&stg_opaque) {
        unknown.push(format!(
            "production binds {} `{}` {}, which is not among the inputs and has no staging counterpart",
            o.kind,
            o.name,
            scope_text(&o.scope)
        ));
    }
    for reason in stg.unresolved.iter().chain(prd.unresolved.iter()) {
        unknown.push(reason.clone());
    }
    let undecided_witnesses = (comparison.staging_only.len() > stg_only.len())
        || (comparison.production_only.len() > prd_only.len());
    if undecided_witnesses && unknown.is_empty() {
        unknown
            .push("a role that is not among the inputs could grant the differing requests".into());
    }

    let verdict = Verdict::from_differences(!stg_only.is_empty(), !prd_only.is_empty());
    let rule = match verdict {
        Verdict::Broader => Some(Rule::AccessBroaderInStaging),
        Verdict::Narrower => Some(Rule::AccessNarrowerInStaging),
        Verdict::Divergent => Some(Rule::AccessDivergent),
        Verdict::Equal | Verdict::Unknown => None,
    };
    if let Some(rule) = rule {
        let message = message(&subject, &stg_only, &prd_only, names);
        let mut finding = Finding::new(rule, subject.clone(), message).confidence(confidence);
        for w in stg_only.iter().take(SHOWN_WITNESSES) {
            finding = finding.witness(witness::witness(
                Side::Staging,
                &w.request,
                w.synthetic,
                names,
            ));
            if let Some(e) = granting_rule(&stg_rules, stg, &w.request) {
                finding = finding.staging_evidence(e);
            }
        }
        for w in prd_only.iter().take(SHOWN_WITNESSES) {
            finding = finding.witness(witness::witness(
                Side::Production,
                &w.request,
                w.synthetic,
                names,
            ));
            if let Some(e) = granting_rule(&prd.rules, prd, &w.request) {
                finding = finding.production_evidence(e);
            }
        }
        finding = add_bindings(finding, stg, prd);
        results.add(finding);
    }
    if !unknown.is_empty() {
        unknown.sort();
        unknown.dedup();
        let message = format!(
            "cannot decide whether `{}` has the same access in both environments: {}",
            subject.staging.as_deref().unwrap_or("-"),
            unknown.join("; ")
        );
        let finding = Finding::new(Rule::AccessUnknown, subject, message)
            .confidence(Confidence::Unknown)
            .key(unknown.join("|"));
        results.add(add_bindings(finding, stg, prd));
    }
}

fn scope_text(scope: &Scope) -> String {
    match scope {
        Scope::Cluster => "cluster-wide".to_string(),
        Scope::Namespace(ns) => format!("in namespace `{ns}`"),
    }
}

fn add_bindings(mut finding: Finding, stg: &Grants, prd: &Grants) -> Finding {
    for b in stg.bindings.iter().take(SHOWN_WITNESSES) {
        finding = finding.staging_evidence(binding_evidence(b));
    }
    for b in prd.bindings.iter().take(SHOWN_WITNESSES) {
        finding = finding.production_evidence(binding_evidence(b));
    }
    finding
}

/// The evidence of the first rule that grants `request`.
fn granting_rule(rules: &[ScopedRule], grants: &Grants, request: &Request) -> Option<Evidence> {
    rules
        .iter()
        .find(|r| k8s::allows(std::slice::from_ref(*r), request))
        .and_then(|r| grants.origins.get(r.origin).map(|o| o.evidence(&r.rule)))
}

fn message(
    subject: &Subject,
    stg_only: &[&k8s::Witness],
    prd_only: &[&k8s::Witness],
    names: &NameMap,
) -> String {
    let who = format!(
        "{} `{}`",
        subject.kind.trim_start_matches("k8s-"),
        subject.staging.as_deref().unwrap_or("-")
    );
    let example = |w: &k8s::Witness, side: Side| match side {
        Side::Staging => witness::describe(&witness::request_to_staging(&w.request, names)),
        Side::Production => witness::describe(&w.request),
    };
    match (stg_only.first(), prd_only.first()) {
        (Some(s), Some(p)) => format!(
            "{who} can do things in staging that production denies (e.g. {}) and in production that staging denies (e.g. {})",
            example(s, Side::Staging),
            example(p, Side::Production)
        ),
        (Some(s), None) => format!(
            "{who} is granted more in staging than in production, e.g. {} is allowed in staging and denied in production",
            example(s, Side::Staging)
        ),
        (None, Some(p)) => format!(
            "{who} is granted less in staging than in production, e.g. {} is allowed in production and denied in staging",
            example(p, Side::Production)
        ),
        (None, None) => format!("{who} has the same access in both environments"),
    }
}
