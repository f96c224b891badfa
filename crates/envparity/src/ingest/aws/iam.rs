//! `aws iam get-account-authorization-details` → roles, users, groups and managed policies
//! (customer- and AWS-managed, each with its default version's document).

use super::super::node::{
    ShapeError, Shaped, map_list, opt_bool, opt_int, opt_map, opt_str, str_list,
};
use super::super::yaml::{Node, Value};
use super::policy::{self, Label};
use super::{Sink, each_item, tags};
use crate::model::{IamGroup, IamRole, IamUser, ManagedPolicy, NamedPolicy};

pub fn authorization_details(doc: &Node, sink: &mut Sink<'_>) -> usize {
    each_item(doc, "RoleDetailList", "role", "RoleName", sink, role)
        + each_item(doc, "UserDetailList", "user", "UserName", sink, user)
        + each_item(doc, "GroupDetailList", "group", "GroupName", sink, group)
        + each_item(
            doc,
            "Policies",
            "managed policy",
            "Arn",
            sink,
            managed_policy,
        )
}

/// The entity's name (from `name_key`, else the ARN's last path segment), its ARN, and the
/// line it is reported at (the name's line, else the object's).
fn identity(node: &Node, name_key: &str) -> Shaped<(String, String, u32)> {
    let arn = opt_str(node, "Arn")?.unwrap_or_default();
    let line = node.get(name_key).map_or(node.line, |n| n.line);
    let name = match opt_str(node, name_key)? {
        Some(name) => name,
        None => match arn.rsplit_once('/') {
            Some((_, last)) if !last.is_empty() => last.to_string(),
            _ => {
                return Err(ShapeError {
                    field: name_key.to_string(),
                    expected: "a string",
                    line: node.line,
                });
            }
        },
    };
    Ok((name, arn, line))
}

fn role(node: &Node, sink: &mut Sink<'_>) -> Shaped<()> {
    let (name, arn, line) = identity(node, "RoleName")?;
    let path = opt_str(node, "Path")?.unwrap_or_else(|| "/".to_string());
    let attached_policies = attached(node)?;
    let permissions_boundary = boundary(node)?;
    let tags = tags(node, "Tags")?;
    let max_session_duration = match opt_int(node, "MaxSessionDuration")? {
        Some(seconds) => Some(seconds),
        None => profile_session_duration(node, &arn)?,
    };
    let mut instance_profiles = Vec::new();
    for profile in map_list(node, "InstanceProfileList")? {
        if let Some(id) = opt_str(profile, "Arn")?.or(opt_str(profile, "InstanceProfileName")?) {
            instance_profiles.push(id);
        }
    }
    let last_used = match opt_map(node, "RoleLastUsed")? {
        Some(used) => sink.date(used, "LastUsedDate"),
        None => None,
    };
    let inline_policies = inline(node, "RolePolicyList", "role", &name, sink)?;
    let trust_policy = node
        .get("AssumeRolePolicyDocument")
        .map(|d| policy::document(d, &Label::trust(&name), sink));
    let provenance = sink.provenance(line);
    sink.aws.roles.push(IamRole {
        arn,
        name,
        path,
        trust_policy,
        inline_policies,
        attached_policies,
        permissions_boundary,
        tags,
        max_session_duration,
        last_used,
        instance_profiles,
        provenance,
    });
    Ok(())
}

/// GAAD omits `MaxSessionDuration` on the role itself; the copy of the role inside its
/// instance profiles may carry it.
fn profile_session_duration(node: &Node, arn: &str) -> Shaped<Option<i64>> {
    for profile in map_list(node, "InstanceProfileList")? {
        for copy in map_list(profile, "Roles")? {
            if opt_str(copy, "Arn")?.as_deref() == Some(arn)
                && let Some(seconds) = opt_int(copy, "MaxSessionDuration")?
            {
                return Ok(Some(seconds));
            }
        }
    }
    Ok(None)
}

fn user(node: &Node, sink: &mut Sink<'_>) -> Shaped<()> {
    let (name, arn, line) = identity(node, "UserName")?;
    let path = opt_str(node, "Path")?.unwrap_or_else(|| "/".to_string());
    let attached_policies = attached(node)?;
    let permissions_boundary = boundary(node)?;
    let groups = str_list(node, "GroupList")?;
    let tags = tags(node, "Tags")?;
    let inline_policies = inline(node, "UserPolicyList", "user", &name, sink)?;
    let provenance = sink.provenance(line);
    sink.aws.users.push(IamUser {
        arn,
        name,
        path,
        inline_policies,
        attached_policies,
        permissions_boundary,
        groups,
        tags,
        provenance,
    });
    Ok(())
}

fn group(node: &Node, sink: &mut Sink<'_>) -> Shaped<()> {
    let (name, arn, line) = identity(node, "GroupName")?;
    let attached_policies = attached(node)?;
    let inline_policies = inline(node, "GroupPolicyList", "group", &name, sink)?;
    let provenance = sink.provenance(line);
    sink.aws.groups.push(IamGroup {
        arn,
        name,
        inline_policies,
        attached_policies,
        provenance,
    });
    Ok(())
}

fn managed_policy(node: &Node, sink: &mut Sink<'_>) -> Shaped<()> {
    let (name, arn, _) = identity(node, "PolicyName")?;
    let versions = map_list(node, "PolicyVersionList")?;
    let default_id = opt_str(node, "DefaultVersionId")?;
    let mut chosen = None;
    for version in versions {
        if opt_bool(version, "IsDefaultVersion")? == Some(true) {
            chosen = Some(version);
            break;
        }
    }
    if chosen.is_none() {
        chosen = match &default_id {
            Some(id) => versions
                .iter()
                .find(|v| v.text_at("VersionId").as_deref() == Some(id.as_str())),
            None if versions.len() == 1 => versions.first(),
            None => None,
        };
    }
    let Some(document) = chosen.and_then(|v| v.get("Document")) else {
        let line = node.get("PolicyVersionList").map_or(node.line, |n| n.line);
        return Err(ShapeError {
            field: "PolicyVersionList".to_string(),
            expected: "a list holding the default version's `Document`",
            line,
        });
    };
    let document = policy::document(document, &Label::named(&arn, "managed policy"), sink);
    sink.aws.managed_policies.push(ManagedPolicy {
        arn,
        name,
        document,
    });
    Ok(())
}

/// `AttachedManagedPolicies[].PolicyArn`.
fn attached(node: &Node) -> Shaped<Vec<String>> {
    let mut out = Vec::new();
    for item in map_list(node, "AttachedManagedPolicies")? {
        if let Some(arn) = opt_str(item, "PolicyArn")? {
            out.push(arn);
        }
    }
    Ok(out)
}

/// `PermissionsBoundary.PermissionsBoundaryArn`.
fn boundary(node: &Node) -> Shaped<Option<String>> {
    match opt_map(node, "PermissionsBoundary")? {
        Some(b) => opt_str(b, "PermissionsBoundaryArn"),
        None => Ok(None),
    }
}

/// Inline policies (`PolicyName`, `PolicyDocument`) of one principal, in document order.
fn inline(
    node: &Node,
    key: &str,
    owner_kind: &str,
    owner: &str,
    sink: &mut Sink<'_>,
) -> Shaped<Vec<NamedPolicy>> {
    let mut out = Vec::new();
    for item in map_list(node, key)? {
        let name = opt_str(item, "PolicyName")?.unwrap_or_default();
        let missing = Node {
            value: Value::Null,
            line: item.line,
        };
        let doc_node = item.get("PolicyDocument").unwrap_or(&missing);
        let document = policy::document(doc_node, &Label::inline(&name, owner_kind, owner), sink);
        out.push(NamedPolicy { name, document });
    }
    Ok(out)
}
