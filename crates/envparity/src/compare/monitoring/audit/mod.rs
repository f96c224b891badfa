//! Kubernetes audit policies compared by effect: for every class of requests, the level (and
//! stages) production records must also be recorded by staging. A production policy without a
//! staging counterpart is compared with "no policy" (nothing is logged).

mod describe;
mod space;

use std::collections::BTreeSet;

use describe::{describe, level, recorded_stages};
use space::{Leaf, Universe, partition};

use crate::compare::{Context, Results};
use crate::correlate::pair_by;
use crate::findings::{Confidence, Dimension, Evidence, Finding, Rule, Subject};
use crate::model::AuditPolicy;

const KIND: &str = "k8s-audit-policy";
/// Classes of requests beyond which a comparison is reported as undecided.
const BUDGET: usize = 500_000;
const EXAMPLES: usize = 5;

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    let staging = &ctx.staging.kube.audit_policies;
    let production = &ctx.production.kube.audit_policies;
    if staging.is_empty() && production.is_empty() {
        return;
    }
    let paired = pair_by(staging, production, |p| p.meta.name.clone(), ctx.names);
    let mut pairs = paired.pairs;
    let mut staging_only = paired.staging_only;
    let mut production_only = paired.production_only;
    if pairs.is_empty() && staging.len() == 1 && production.len() == 1 {
        pairs.push((&staging[0], &production[0], Confidence::Proven));
        staging_only.clear();
        production_only.clear();
    }
    results.count_compared(Dimension::Monitoring, pairs.len() + production_only.len());
    for (s, p, confidence) in pairs {
        compare_pair(Some(s), p, confidence, results);
    }
    for p in production_only {
        compare_pair(None, p, Confidence::Proven, results);
    }
    for s in staging_only {
        results
            .staging_only
            .push(format!("{KIND}:{}", s.meta.qualified_name()));
    }
}

fn compare_pair(
    staging: Option<&AuditPolicy>,
    production: &AuditPolicy,
    confidence: Confidence,
    results: &mut Results,
) {
    let none = AuditPolicy {
        meta: production.meta.clone(),
        omit_stages: Vec::new(),
        rules: Vec::new(),
    };
    let s_policy = staging.unwrap_or(&none);
    let subject = Subject {
        kind: KIND.into(),
        staging: staging.map(|s| s.meta.qualified_name()),
        production: Some(production.meta.qualified_name()),
    };
    let Some(leaves) = partition(s_policy, production, BUDGET) else {
        let message = format!(
            "the audit policies `{}` could not be compared: they distinguish more than {BUDGET} classes of requests.",
            production.meta.qualified_name()
        );
        results.add(
            Finding::new(Rule::AuditLoggingMissingInStaging, subject, message)
                .confidence(Confidence::Unknown)
                .key("undecided")
                .production_evidence(Evidence::at(&production.meta.provenance, None, "policy")),
        );
        return;
    };
    let universe = Universe::of(&[s_policy, production]);
    let ctx = Pair {
        staging,
        s_policy,
        production,
        universe: &universe,
        subject,
        confidence,
    };
    let mut lower: Vec<&Leaf> = leaves
        .iter()
        .filter(|l| level(production, l.production) > level(s_policy, l.staging))
        .collect();
    lower.sort_by_key(|l| {
        let gap = level(production, l.production) as u8 - level(s_policy, l.staging) as u8;
        (std::cmp::Reverse(gap), literals(&l.request))
    });
    let lower = diverse(lower);
    if !lower.is_empty() {
        results.add(ctx.level_finding(&lower));
    }
    if staging.is_none() {
        return;
    }
    let mut omitted: Vec<(&Leaf, Vec<&'static str>)> = Vec::new();
    for leaf in &leaves {
        let staging_stages = recorded_stages(s_policy, leaf.staging);
        if staging_stages.is_empty() {
            continue;
        }
        let missing: Vec<&'static str> = recorded_stages(production, leaf.production)
            .into_iter()
            .filter(|s| !staging_stages.contains(s))
            .collect();
        if !missing.is_empty() {
            omitted.push((leaf, missing));
        }
    }
    if !omitted.is_empty() {
        results.add(ctx.stage_finding(&omitted));
    }
}

/// How awkward a class is as an example: fresh values where a reader expects a name (verb,
/// resource, API group, subresource) and literals where "anyone" reads better (user, groups,
/// namespace, object name) each count one.
fn literals(q: &space::Partial) -> usize {
    let fresh = |r: &Option<space::Rep>| usize::from(matches!(r, Some(None)));
    let fixed = |r: &Option<space::Rep>| usize::from(matches!(r, Some(Some(_))));
    fresh(&q.verb)
        + fresh(&q.resource)
        + fresh(&q.api_group)
        + fresh(&q.subresource)
        + fixed(&q.user)
        + fixed(&q.namespace)
        + fixed(&q.name)
        + q.groups.iter().filter(|g| **g == Some(true)).count()
}

/// The classes reordered so that each (staging rule, production rule) pair shows once before
/// any repeats.
fn diverse(leaves: Vec<&Leaf>) -> Vec<&Leaf> {
    let mut seen = BTreeSet::new();
    let (first, rest): (Vec<&Leaf>, Vec<&Leaf>) = leaves
        .into_iter()
        .partition(|l| seen.insert((l.staging, l.production)));
    first.into_iter().chain(rest).collect()
}

/// One compared pair of policies and what findings about it need.
struct Pair<'a> {
    staging: Option<&'a AuditPolicy>,
    s_policy: &'a AuditPolicy,
    production: &'a AuditPolicy,
    universe: &'a Universe,
    subject: Subject,
    confidence: Confidence,
}

impl Pair<'_> {
    fn rule_evidence(&self, policy: &AuditPolicy, rule: Option<usize>, example: &str) -> Evidence {
        match rule.and_then(|i| policy.rules.get(i).map(|r| (i, r))) {
            Some((i, r)) => Evidence::at(
                &policy.meta.provenance,
                r.line,
                format!(
                    "rule {} (level `{}`) is the first to match {example}",
                    i + 1,
                    r.level
                ),
            ),
            None => Evidence::at(
                &policy.meta.provenance,
                None,
                format!("no rule matches {example}, so it is not logged"),
            ),
        }
    }

    fn level_finding(&self, lower: &[&Leaf]) -> Finding {
        let first = lower[0];
        let example = describe(&first.request, self.universe);
        let p_level = level(self.production, first.production);
        let s_level = level(self.s_policy, first.staging);
        let message = match self.staging {
            Some(s) => format!(
                "staging audit policy `{}` logs less than production's `{}`: {example} is logged at `{}` in production and at `{}` in staging.",
                s.meta.qualified_name(),
                self.production.meta.qualified_name(),
                p_level.as_str(),
                s_level.as_str()
            ),
            None => format!(
                "production has audit policy `{}` and staging has none, so staging records no audit events: {example} is logged at `{}` in production only.",
                self.production.meta.qualified_name(),
                p_level.as_str()
            ),
        };
        let mut finding = Finding::new(
            Rule::AuditLoggingMissingInStaging,
            self.subject.clone(),
            message,
        )
        .confidence(self.confidence)
        .key(if self.staging.is_some() {
            "levels"
        } else {
            "missing"
        });
        // One piece of evidence per side and deciding rule, described by its first example.
        let mut seen = BTreeSet::new();
        for leaf in lower.iter().take(EXAMPLES) {
            let example = describe(&leaf.request, self.universe);
            if seen.insert(("p", leaf.production)) {
                finding = finding.production_evidence(self.rule_evidence(
                    self.production,
                    leaf.production,
                    &example,
                ));
            }
            if let Some(staging) = self.staging
                && seen.insert(("s", leaf.staging))
            {
                finding =
                    finding.staging_evidence(self.rule_evidence(staging, leaf.staging, &example));
            }
        }
        finding
    }

    fn stage_finding(&self, omitted: &[(&Leaf, Vec<&'static str>)]) -> Finding {
        let stages: BTreeSet<&'static str> = omitted
            .iter()
            .flat_map(|(_, s)| s.iter().copied())
            .collect();
        let stages: Vec<&'static str> = stages.into_iter().collect();
        let (first, first_missing) = &omitted[0];
        let example = describe(&first.request, self.universe);
        let message = format!(
            "staging audit policy `{}` omits stage {} that production's `{}` records, e.g. for {example}.",
            self.s_policy.meta.qualified_name(),
            first_missing
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", "),
            self.production.meta.qualified_name()
        );
        let mut finding = Finding::new(
            Rule::AuditLoggingMissingInStaging,
            self.subject.clone(),
            message,
        )
        .confidence(self.confidence)
        .key(format!("stages={}", stages.join(",")));
        for (leaf, missing) in omitted.iter().take(EXAMPLES) {
            let example = describe(&leaf.request, self.universe);
            let detail = format!("{example}: stage {} not recorded", missing.join(", "));
            finding = finding
                .production_evidence(self.rule_evidence(self.production, leaf.production, &example))
                .staging_evidence(Evidence::at(
                    &self.s_policy.meta.provenance,
                    leaf.staging
                        .and_then(|i| self.s_policy.rules.get(i))
                        .and_then(|r| r.line),
                    detail,
                ));
        }
        finding
    }
}

#[cfg(test)]
mod tests;
