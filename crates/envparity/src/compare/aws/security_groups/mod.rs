//! Security groups: paired groups (by mapped VPC and group name, then by name alone) are
//! compared by effect, ingress and egress separately: the flows (protocol, port, peer) one
//! side admits and the other does not become `network-broader-in-staging` /
//! `network-narrower-in-staging` with concrete witness flows; a rule that cannot be read is
//! `network-unknown`. References to the other environment's groups or private ranges are
//! `network-cross-environment-path` (see `cross`).

mod cross;
mod report;
mod space;

use std::collections::BTreeMap;

use super::evidence;
use crate::compare::{Context, Results};
use crate::correlate::pair_by;
use crate::findings::{Confidence, Dimension, Finding, Rule, Side, Subject};
use crate::model::{SecurityGroup, SecurityGroupRule, Snapshot};
use report::{Groups, differs};
use space::{RuleBox, difference, rule_box};

pub(super) const KIND: &str = "aws-security-group";

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    let staging = &ctx.staging.aws.security_groups;
    let production = &ctx.production.aws.security_groups;
    if staging.is_empty() && production.is_empty() {
        return;
    }
    let pairs = pair_groups(ctx, results);
    results.count_compared(Dimension::Network, pairs.len());
    for (s, p, confidence) in &pairs {
        for direction in [Direction::Ingress, Direction::Egress] {
            compare_pair(ctx, s, p, *confidence, direction, results);
        }
    }
    cross::compare(ctx, &pairs, results);
}

pub(super) type Pair<'a> = (&'a SecurityGroup, &'a SecurityGroup, Confidence);

/// Pairs by (mapped VPC id, mapped name), then the rest by mapped name where that name is
/// unique on each side.
fn pair_groups<'a>(ctx: &Context<'a>, results: &mut Results) -> Vec<Pair<'a>> {
    let vpc_name = |g: &SecurityGroup| format!("{}/{}", g.vpc_id.as_deref().unwrap_or(""), g.name);
    let first = pair_by(
        &ctx.staging.aws.security_groups,
        &ctx.production.aws.security_groups,
        vpc_name,
        ctx.names,
    );
    let mut pairs = first.pairs;
    let unique = |list: &[&'a SecurityGroup], name: &dyn Fn(&str) -> String| {
        let mut by: BTreeMap<String, Vec<&'a SecurityGroup>> = BTreeMap::new();
        for g in list {
            by.entry(name(&g.name)).or_default().push(g);
        }
        by
    };
    let s_by = unique(&first.staging_only, &|n| ctx.names.to_production(n).text);
    let mut p_by = unique(&first.production_only, &|n| n.to_string());
    for (name, s_list) in s_by {
        match (s_list.as_slice(), p_by.get(&name).map(Vec::as_slice)) {
            ([s], Some([p])) => {
                let inferred = ctx.names.to_production(&s.name).inferred;
                pairs.push((*s, *p, super::pairing_confidence(inferred)));
                p_by.remove(&name);
            }
            _ => results.staging_only.extend(
                s_list
                    .iter()
                    .map(|g| format!("{KIND}:{} ({})", g.name, g.id)),
            ),
        }
    }
    for g in p_by.into_values().flatten() {
        results
            .production_only
            .push(format!("{KIND}:{} ({})", g.name, g.id));
    }
    pairs.sort_by(|a, b| (&a.0.name, &a.0.id).cmp(&(&b.0.name, &b.0.id)));
    pairs
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    fn word(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    /// The request key naming the peer.
    fn peer_key(self) -> &'static str {
        match self {
            Direction::Ingress => "source",
            Direction::Egress => "destination",
        }
    }

    fn preposition(self) -> &'static str {
        match self {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        }
    }

    fn rules(self, group: &SecurityGroup) -> &[SecurityGroupRule] {
        match self {
            Direction::Ingress => &group.ingress,
            Direction::Egress => &group.egress,
        }
    }
}

/// The group id of a reference (`sg-1` or `111111111111/sg-1`).
pub(super) fn reference_id(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// A referenced group in production's vocabulary: `group:<name>` when the group is in the
/// snapshot (staging names mapped), else `id:<reference>` (staging references mapped).
fn canonical(snapshot: &Snapshot, reference: &str, map: &dyn Fn(&str) -> String) -> String {
    let id = reference_id(reference);
    match snapshot.aws.security_groups.iter().find(|g| g.id == id) {
        Some(group) => format!("group:{}", map(&group.name)),
        None => format!("id:{}", map(reference)),
    }
}

/// The boxes of a group's rules in one direction, or why they cannot be read.
fn boxes(
    snapshot: &Snapshot,
    rules: &[SecurityGroupRule],
    map: &dyn Fn(&str) -> String,
) -> Result<Vec<RuleBox>, String> {
    let group = |r: &str| canonical(snapshot, r, map);
    rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            // CIDRs are rewritten too, so `--map 10.10.0.0/16=10.20.0.0/16` pairs VPC ranges.
            let mut mapped = rule.clone();
            mapped.ipv4 = rule.ipv4.iter().map(|c| map(c)).collect();
            mapped.ipv6 = rule.ipv6.iter().map(|c| map(c)).collect();
            rule_box(i, &mapped, &group)
        })
        .collect()
}

fn compare_pair(
    ctx: &Context<'_>,
    s: &SecurityGroup,
    p: &SecurityGroup,
    confidence: Confidence,
    direction: Direction,
    results: &mut Results,
) {
    let to_production = |t: &str| ctx.names.to_production(t).text;
    let same = |t: &str| t.to_string();
    let staging = boxes(ctx.staging, direction.rules(s), &to_production);
    let production = boxes(ctx.production, direction.rules(p), &same);
    let (staging, production) = match (staging, production) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(why), _) | (_, Err(why)) => {
            results.add(unknown(s, p, direction, &why));
            return;
        }
    };
    let groups = Groups { ctx, s, p };
    let broader = difference(&staging, &production);
    if !broader.is_empty() {
        results.add(differs(
            &groups,
            Side::Staging,
            direction,
            &broader,
            confidence,
        ));
    }
    let narrower = difference(&production, &staging);
    if !narrower.is_empty() {
        results.add(differs(
            &groups,
            Side::Production,
            direction,
            &narrower,
            confidence,
        ));
    }
}

fn unknown(s: &SecurityGroup, p: &SecurityGroup, direction: Direction, why: &str) -> Finding {
    Finding::new(
        Rule::NetworkUnknown,
        subject(s, p),
        format!(
            "The {} rules of security groups `{}` and `{}` could not be compared: {why}.",
            direction.word(),
            s.name,
            p.name
        ),
    )
    .confidence(Confidence::Unknown)
    .key(format!("{}:{why}", direction.word()))
    .staging_evidence(evidence(&s.provenance, group_detail(s)))
    .production_evidence(evidence(&p.provenance, group_detail(p)))
}

fn subject(s: &SecurityGroup, p: &SecurityGroup) -> Subject {
    Subject {
        kind: KIND.to_string(),
        staging: Some(s.name.clone()),
        production: Some(p.name.clone()),
    }
}

fn group_detail(g: &SecurityGroup) -> String {
    format!("security group `{}` ({})", g.name, g.id)
}

/// A rule as written: `tcp 22 from 0.0.0.0/0, sg-1`.
pub(super) fn rule_text(rule: &SecurityGroupRule) -> String {
    let ports = match (rule.from_port, rule.to_port) {
        (Some(a), Some(b)) if a == b => format!(" {a}"),
        (Some(a), Some(b)) => format!(" {a}-{b}"),
        _ => String::new(),
    };
    let mut peers: Vec<&str> = Vec::new();
    peers.extend(rule.ipv4.iter().map(String::as_str));
    peers.extend(rule.ipv6.iter().map(String::as_str));
    peers.extend(rule.groups.iter().map(String::as_str));
    peers.extend(rule.prefix_lists.iter().map(String::as_str));
    format!("`{}{ports} {}`", rule.protocol, peers.join(", "))
}
