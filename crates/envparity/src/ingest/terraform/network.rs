//! Security groups → the model's groups with their ingress and egress rules, as
//! `describe-security-groups` would show them: `aws_security_group` (inline `ingress` and
//! `egress` blocks), `aws_security_group_rule`, and `aws_vpc_security_group_ingress_rule` /
//! `_egress_rule`. A rule whose values are known only after apply keeps a placeholder
//! protocol, which the comparison cannot read, so the group pair is `network-unknown`.

use std::collections::BTreeMap;

use super::super::node::Shaped;
use super::Lowering;
use super::attrs::{Field, View};
use super::document::Resource;
use crate::model::{SecurityGroup, SecurityGroupRule};

const TYPES: &[&str] = &[
    "aws_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
];

pub fn handles(r: &Resource<'_>) -> bool {
    !r.data && TYPES.contains(&r.kind.as_str())
}

pub fn lower(lw: &mut Lowering<'_, '_>) {
    let resources = lw.resources;
    let mut placed: BTreeMap<usize, usize> = BTreeMap::new();
    for (at, r) in resources.iter().enumerate() {
        if r.data || r.kind != "aws_security_group" {
            continue;
        }
        match group(lw, r) {
            Ok(Some(i)) => {
                placed.insert(at, i);
                lw.objects += 1;
            }
            Ok(None) => {}
            Err(e) => lw.skipped(r, &e),
        }
    }
    for r in resources.iter().filter(|r| !r.data) {
        let result = match r.kind.as_str() {
            "aws_security_group_rule" => separate_rule(lw, r, &placed, None),
            "aws_vpc_security_group_ingress_rule" => {
                separate_rule(lw, r, &placed, Some(Direction::Ingress))
            }
            "aws_vpc_security_group_egress_rule" => {
                separate_rule(lw, r, &placed, Some(Direction::Egress))
            }
            _ => continue,
        };
        if let Err(e) = result {
            lw.skipped(r, &e);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Ingress,
    Egress,
}

/// The group's id: as known, else a placeholder that other rules' references resolve to.
fn group_id(lw: &Lowering<'_, '_>, r: &Resource<'_>) -> String {
    match r.values.string("id").ok().and_then(Field::known) {
        Some(id) if !id.is_empty() => id,
        _ => lw.placeholder(r, &r.values.at("id"), "known after apply"),
    }
}

fn group(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<Option<usize>> {
    let view = r.values.at("name");
    let name = match view.text()? {
        Field::Known(name) => name,
        Field::Unknown | Field::Absent => {
            lw.unknown(r, &view, "the group cannot be paired and is not compared");
            return Ok(None);
        }
    };
    let id = group_id(lw, r);
    let owner_id = r
        .values
        .string("owner_id")?
        .known()
        .filter(|o| !o.is_empty())
        .or_else(|| lw.account.clone());
    let mut rules = [Vec::new(), Vec::new()];
    for (slot, key) in [(0, "ingress"), (1, "egress")] {
        match r.values.blocks(key)? {
            Field::Known(blocks) => {
                for block in blocks {
                    let rule = inline_rule(lw, r, &block, &id, owner_id.as_deref())?;
                    rules[slot].push(rule);
                }
            }
            Field::Unknown => {
                let view = r.values.at(key);
                rules[slot].push(unknown_rule(lw, r, &view));
            }
            Field::Absent => {}
        }
    }
    let [ingress, egress] = rules;
    let provenance = lw.provenance(view.line);
    let groups = &mut lw.snapshot.aws.security_groups;
    groups.push(SecurityGroup {
        id,
        name,
        vpc_id: r.values.string("vpc_id")?.known().filter(|v| !v.is_empty()),
        owner_id,
        ingress,
        egress,
        provenance,
    });
    Ok(Some(groups.len() - 1))
}

/// A rule standing for rules known only after apply: its protocol cannot be read.
fn unknown_rule(lw: &mut Lowering<'_, '_>, r: &Resource<'_>, view: &View<'_>) -> SecurityGroupRule {
    lw.unknown(r, view, "the group's flows are unknown");
    SecurityGroupRule {
        protocol: lw.placeholder(r, view, "known after apply"),
        from_port: None,
        to_port: None,
        ipv4: Vec::new(),
        ipv6: Vec::new(),
        groups: Vec::new(),
        prefix_lists: Vec::new(),
    }
}

/// `tcp`/`6` → `tcp`, `-1`/`all` → `-1`, as the EC2 API reports protocols.
fn protocol(text: &str) -> String {
    match text.trim().to_ascii_lowercase().as_str() {
        "-1" | "all" => "-1".to_string(),
        "6" => "tcp".to_string(),
        "17" => "udp".to_string(),
        "1" => "icmp".to_string(),
        "58" => "icmpv6".to_string(),
        other => other.to_string(),
    }
}

/// A group reference as the EC2 API writes it (`owner/sg-…`).
fn reference(id: &str, owner: Option<&str>) -> String {
    match owner {
        Some(owner) if !id.contains('/') => format!("{owner}/{id}"),
        _ => id.to_string(),
    }
}

/// The fields of one rule, whichever resource writes it; any value known only after apply
/// makes the whole rule a placeholder.
struct Parts<'k> {
    protocol: &'k str,
    from: &'k str,
    to: &'k str,
    ipv4: &'k [&'k str],
    ipv6: &'k [&'k str],
    prefix_lists: &'k [&'k str],
    groups: &'k [&'k str],
}

/// A list attribute, or a single-string one (`cidr_ipv4`, `source_security_group_id`) as a
/// list of at most one.
fn strings(view: &View<'_>, key: &str) -> Shaped<Field<Vec<String>>> {
    if matches!(
        view.at(key).node.map(|n| &n.value),
        Some(super::super::yaml::Value::String(_))
    ) {
        return Ok(match view.string(key)? {
            Field::Known(s) if s.is_empty() => Field::Absent,
            Field::Known(s) => Field::Known(vec![s]),
            Field::Unknown => Field::Unknown,
            Field::Absent => Field::Absent,
        });
    }
    view.strings(key)
}

fn build(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
    view: &View<'_>,
    parts: &Parts<'_>,
    owner: Option<&str>,
    self_id: Option<&str>,
) -> Shaped<SecurityGroupRule> {
    let mut unknown = false;
    let mut text = |key: &str| -> Shaped<Option<String>> {
        Ok(match view.string(key)? {
            Field::Known(s) => Some(s),
            Field::Unknown => {
                unknown = true;
                None
            }
            Field::Absent => None,
        })
    };
    let protocol_text = text(parts.protocol)?.unwrap_or_else(|| "-1".to_string());
    let mut number = |key: &str| -> Shaped<Option<i64>> {
        Ok(match view.int(key)? {
            Field::Known(n) => Some(n),
            Field::Unknown => {
                unknown = true;
                None
            }
            Field::Absent => None,
        })
    };
    let (from, to) = (number(parts.from)?, number(parts.to)?);
    let mut lists: [Vec<String>; 4] = Default::default();
    for (slot, keys) in [parts.ipv4, parts.ipv6, parts.prefix_lists, parts.groups]
        .into_iter()
        .enumerate()
    {
        for key in keys {
            match strings(view, key)? {
                Field::Known(values) => lists[slot].extend(values),
                Field::Unknown => {
                    let at = view.at(key);
                    match lw
                        .index
                        .linked(lw.resources, r, &at, &["aws_security_group"])
                    {
                        Some(target) if slot == 3 => match lw.resources.get(target) {
                            Some(target) => lists[slot].push(group_id(lw, target)),
                            None => unknown = true,
                        },
                        _ => unknown = true,
                    }
                }
                Field::Absent => {}
            }
        }
    }
    if unknown {
        return Ok(unknown_rule(lw, r, view));
    }
    let [ipv4, ipv6, prefix_lists, mut groups] = lists;
    if view.bool("self")?.known() == Some(true)
        && let Some(id) = self_id
    {
        groups.push(id.to_string());
    }
    let protocol = protocol(&protocol_text);
    let all = protocol == "-1";
    Ok(SecurityGroupRule {
        from_port: if all { None } else { from },
        to_port: if all { None } else { to },
        protocol,
        ipv4,
        ipv6,
        groups: groups.iter().map(|g| reference(g, owner)).collect(),
        prefix_lists,
    })
}

const INLINE: Parts<'static> = Parts {
    protocol: "protocol",
    from: "from_port",
    to: "to_port",
    ipv4: &["cidr_blocks"],
    ipv6: &["ipv6_cidr_blocks"],
    prefix_lists: &["prefix_list_ids"],
    groups: &["security_groups"],
};

fn inline_rule(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
    block: &View<'_>,
    id: &str,
    owner: Option<&str>,
) -> Shaped<SecurityGroupRule> {
    build(lw, r, block, &INLINE, owner, Some(id))
}

/// `aws_security_group_rule` (`type` says the direction) or a VPC ingress/egress rule,
/// added to the group it names.
fn separate_rule(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
    placed: &BTreeMap<usize, usize>,
    direction: Option<Direction>,
) -> Shaped<()> {
    let direction = match direction {
        Some(d) => d,
        None => match r.values.string("type")?.known().as_deref() {
            Some("egress") => Direction::Egress,
            _ => Direction::Ingress,
        },
    };
    let view = r.values.at("security_group_id");
    let target = match view.text()? {
        Field::Known(id) => lw
            .snapshot
            .aws
            .security_groups
            .iter()
            .rposition(|g| g.id == id),
        Field::Unknown | Field::Absent => lw
            .index
            .linked(lw.resources, r, &view, &["aws_security_group"])
            .and_then(|at| placed.get(&at).copied()),
    };
    let Some(target) = target else {
        lw.warn(
            Some(view.line),
            format!(
                "ignored `{}`: the security group it belongs to is not among the inputs read so far",
                r.address
            ),
        );
        return Ok(());
    };
    let (owner, id) = match lw.snapshot.aws.security_groups.get(target) {
        Some(g) => (g.owner_id.clone(), g.id.clone()),
        None => return Ok(()),
    };
    let parts = if r.kind == "aws_security_group_rule" {
        Parts {
            protocol: "protocol",
            from: "from_port",
            to: "to_port",
            ipv4: &["cidr_blocks"],
            ipv6: &["ipv6_cidr_blocks"],
            prefix_lists: &["prefix_list_ids"],
            groups: &["source_security_group_id"],
        }
    } else {
        Parts {
            protocol: "ip_protocol",
            from: "from_port",
            to: "to_port",
            ipv4: &["cidr_ipv4"],
            ipv6: &["cidr_ipv6"],
            prefix_lists: &["prefix_list_id"],
            groups: &["referenced_security_group_id"],
        }
    };
    let rule = build(lw, r, &r.values, &parts, owner.as_deref(), Some(&id))?;
    if let Some(group) = lw.snapshot.aws.security_groups.get_mut(target) {
        match direction {
            Direction::Ingress => group.ingress.push(rule),
            Direction::Egress => group.egress.push(rule),
        }
    }
    Ok(())
}
