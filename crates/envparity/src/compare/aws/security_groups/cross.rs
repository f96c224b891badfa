//! `network-cross-environment-path` for security groups: a rule of one environment that
//! references a group of the other (an id only the other snapshot has, or an owner account
//! only the other environment has), or a private (RFC 1918) range that only the other
//! environment's groups use.
//!
//! VPC CIDRs are not in `describe-security-groups` output, so "the other environment's
//! range" is inferred conservatively: a private block is the other environment's own when,
//! in some paired group, the other side admits it and this side does not, and no paired
//! group on this side admits it where the other side does not. A rule is reported only
//! when its block lies inside such a range and overlaps none of this side's own ranges;
//! a supernet such as `10.0.0.0/8` is never reported. Those findings are `likely`.

use std::collections::BTreeSet;

use super::space::{Peer, parse_cidr};
use super::{Direction, KIND, Pair, group_detail, reference_id, rule_text};
use crate::compare::aws::{evidence, side_label, side_title};
use crate::compare::{Context, Results};
use crate::findings::{Confidence, Finding, Rule, Side, Subject};
use crate::model::{SecurityGroup, SecurityGroupRule, Snapshot};

pub(super) fn compare(ctx: &Context<'_>, pairs: &[Pair<'_>], results: &mut Results) {
    let (staging_own, production_own) = own_ranges(pairs);
    for side in [Side::Staging, Side::Production] {
        let (own, other, other_ranges, own_ranges) = match side {
            Side::Staging => (ctx.staging, ctx.production, &production_own, &staging_own),
            Side::Production => (ctx.production, ctx.staging, &staging_own, &production_own),
        };
        let foreign = foreign_accounts(own, other);
        for group in &own.aws.security_groups {
            for direction in [Direction::Ingress, Direction::Egress] {
                for rule in direction.rules(group) {
                    for reference in &rule.groups {
                        if let Some(finding) = group_reference(
                            side, group, rule, reference, direction, own, other, &foreign,
                        ) {
                            results.add(finding);
                        }
                    }
                    for cidr in &rule.ipv4 {
                        if let Some(finding) = range_reference(
                            side,
                            group,
                            rule,
                            cidr,
                            direction,
                            other_ranges,
                            own_ranges,
                        ) {
                            results.add(finding);
                        }
                    }
                }
            }
        }
    }
}

fn accounts(snapshot: &Snapshot) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = snapshot.aws.accounts.iter().cloned().collect();
    out.extend(
        snapshot
            .aws
            .security_groups
            .iter()
            .filter_map(|g| g.owner_id.clone()),
    );
    out
}

fn foreign_accounts(own: &Snapshot, other: &Snapshot) -> BTreeSet<String> {
    let mine = accounts(own);
    accounts(other)
        .into_iter()
        .filter(|a| !mine.contains(a))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn group_reference(
    side: Side,
    group: &SecurityGroup,
    rule: &SecurityGroupRule,
    reference: &str,
    direction: Direction,
    own: &Snapshot,
    other: &Snapshot,
    foreign: &BTreeSet<String>,
) -> Option<Finding> {
    let id = reference_id(reference);
    let owner = reference.split_once('/').map(|(account, _)| account);
    let in_own = own.aws.security_groups.iter().any(|g| g.id == id);
    let target = other.aws.security_groups.iter().find(|g| g.id == id);
    let by_account = owner.is_some_and(|a| foreign.contains(a));
    let by_id = target.is_some() && !in_own;
    if !by_account && !by_id {
        return None;
    }
    let other_side = side.other();
    let named = match target {
        Some(t) => format!(
            "{}'s security group `{}` ({})",
            side_label(other_side),
            t.name,
            t.id
        ),
        None => format!(
            "security group `{id}` of {}'s account `{}`",
            side_label(other_side),
            owner.unwrap_or("")
        ),
    };
    let mut subject = Subject::one_side(KIND, side, group.name.clone());
    let other_name = target.map_or(reference.to_string(), |t| t.name.clone());
    match other_side {
        Side::Staging => subject.staging = Some(other_name),
        Side::Production => subject.production = Some(other_name),
    }
    let mut finding = Finding::new(
        Rule::NetworkCrossEnvironmentPath,
        subject,
        format!(
            "{} security group `{}` admits {} {} {named}.",
            side_title(side),
            group.name,
            direction.word(),
            direction.preposition(),
        ),
    )
    .key(format!("{}:group:{reference}", direction.word()))
    .evidence_on(
        side,
        evidence(
            &group.provenance,
            format!(
                "{} rule {} of `{}`",
                direction.word(),
                rule_text(rule),
                group.name
            ),
        ),
    );
    if let Some(t) = target {
        finding = finding.evidence_on(other_side, evidence(&t.provenance, group_detail(t)));
    }
    Some(finding)
}

fn is_private(peer: &Peer) -> bool {
    let ranges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
    ranges
        .iter()
        .filter_map(|r| parse_cidr(r))
        .any(|r| inside(peer, &r))
}

fn inside(inner: &Peer, outer: &Peer) -> bool {
    match (inner, outer) {
        (Peer::V4(a, b), Peer::V4(c, d)) | (Peer::V6(a, b), Peer::V6(c, d)) => c <= a && b <= d,
        _ => false,
    }
}

fn overlaps(x: &Peer, y: &Peer) -> bool {
    match (x, y) {
        (Peer::V4(a, b), Peer::V4(c, d)) | (Peer::V6(a, b), Peer::V6(c, d)) => a <= d && c <= b,
        _ => false,
    }
}

fn private_blocks(group: &SecurityGroup) -> BTreeSet<Peer> {
    group
        .ingress
        .iter()
        .chain(&group.egress)
        .flat_map(|r| &r.ipv4)
        .filter_map(|c| parse_cidr(c))
        .filter(is_private)
        .collect()
}

/// The private ranges each environment's paired groups admit where the counterpart does not
/// (staging's, production's), without the ranges both sides claim that way.
fn own_ranges(pairs: &[Pair<'_>]) -> (Vec<Peer>, Vec<Peer>) {
    let mut staging = BTreeSet::new();
    let mut production = BTreeSet::new();
    for (s, p, _) in pairs {
        let (sb, pb) = (private_blocks(s), private_blocks(p));
        staging.extend(sb.difference(&pb).cloned());
        production.extend(pb.difference(&sb).cloned());
    }
    let both: BTreeSet<Peer> = staging.intersection(&production).cloned().collect();
    (
        staging.difference(&both).cloned().collect(),
        production.difference(&both).cloned().collect(),
    )
}

fn range_reference(
    side: Side,
    group: &SecurityGroup,
    rule: &SecurityGroupRule,
    cidr: &str,
    direction: Direction,
    other_ranges: &[Peer],
    own_ranges: &[Peer],
) -> Option<Finding> {
    let block = parse_cidr(cidr)?;
    if !is_private(&block) || own_ranges.iter().any(|r| overlaps(&block, r)) {
        return None;
    }
    other_ranges.iter().find(|r| inside(&block, r))?;
    Some(
        Finding::new(
            Rule::NetworkCrossEnvironmentPath,
            Subject::one_side(KIND, side, group.name.clone()),
            format!(
                "{} security group `{}` admits {} {} `{cidr}`, a private range only {}'s security groups use (likely {}'s network).",
                side_title(side),
                group.name,
                direction.word(),
                direction.preposition(),
                side_label(side.other()),
                side_label(side.other()),
            ),
        )
        .confidence(Confidence::Likely)
        .key(format!("{}:range:{cidr}", direction.word()))
        .evidence_on(
            side,
            evidence(
                &group.provenance,
                format!("{} rule {} of `{}`", direction.word(), rule_text(rule), group.name),
            ),
        ),
    )
}
