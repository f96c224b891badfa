//! `aws ec2 describe-security-groups` → security groups with their ingress and egress
//! rules.

use super::super::node::{Shaped, map_list, opt_int, opt_str};
use super::super::yaml::Node;
use super::{Sink, each_item};
use crate::model::{SecurityGroup, SecurityGroupRule};

pub fn security_groups(doc: &Node, sink: &mut Sink<'_>) -> usize {
    each_item(
        doc,
        "SecurityGroups",
        "security group",
        "GroupId",
        sink,
        group,
    )
}

fn group(node: &Node, sink: &mut Sink<'_>) -> Shaped<()> {
    let id = opt_str(node, "GroupId")?.unwrap_or_default();
    let line = node.get("GroupId").map_or(node.line, |n| n.line);
    let group = SecurityGroup {
        name: opt_str(node, "GroupName")?.unwrap_or_else(|| id.clone()),
        id,
        vpc_id: opt_str(node, "VpcId")?,
        owner_id: opt_str(node, "OwnerId")?,
        ingress: rules(node, "IpPermissions")?,
        egress: rules(node, "IpPermissionsEgress")?,
        provenance: sink.provenance(line),
    };
    sink.aws.security_groups.push(group);
    Ok(())
}

/// One `IpPermissions` list; protocol `-1` (all traffic) has no ports.
fn rules(node: &Node, key: &str) -> Shaped<Vec<SecurityGroupRule>> {
    let mut out = Vec::new();
    for item in map_list(node, key)? {
        let protocol = opt_str(item, "IpProtocol")?.unwrap_or_else(|| "-1".to_string());
        let all = protocol == "-1";
        let mut groups = Vec::new();
        for pair in map_list(item, "UserIdGroupPairs")? {
            let Some(group) = opt_str(pair, "GroupId")?.or(opt_str(pair, "GroupName")?) else {
                continue;
            };
            groups.push(match opt_str(pair, "UserId")? {
                Some(account) => format!("{account}/{group}"),
                None => group,
            });
        }
        out.push(SecurityGroupRule {
            from_port: if all {
                None
            } else {
                opt_int(item, "FromPort")?
            },
            to_port: if all { None } else { opt_int(item, "ToPort")? },
            protocol,
            ipv4: field_of_each(item, "IpRanges", "CidrIp")?,
            ipv6: field_of_each(item, "Ipv6Ranges", "CidrIpv6")?,
            groups,
            prefix_lists: field_of_each(item, "PrefixListIds", "PrefixListId")?,
        });
    }
    Ok(out)
}

/// `node[key][].field`, skipping items without it.
fn field_of_each(node: &Node, key: &str, field: &str) -> Shaped<Vec<String>> {
    let mut out = Vec::new();
    for item in map_list(node, key)? {
        if let Some(value) = opt_str(item, field)? {
            out.push(value);
        }
    }
    Ok(out)
}
