//! IAM entities of a Terraform document → the model's roles, users, groups and managed
//! policies, as `get-account-authorization-details` would show them: `aws_iam_role` (trust
//! policy, `inline_policy` blocks, `managed_policy_arns`, permissions boundary),
//! `aws_iam_user`, `aws_iam_group`, `aws_iam_policy`. Attachments and inline-policy
//! resources are applied afterwards by [`super::iam_links`]. Unknown documents become
//! placeholders the access engine cannot evaluate, so access through them is unknown.

use std::collections::BTreeMap;

use super::super::aws::{arn_account, parse_text};
use super::super::node::Shaped;
use super::attrs::{Field, View};
use super::document::{Kind, Resource};
use super::{Lowering, iam_links};
use crate::model::{IamGroup, IamRole, IamUser, ManagedPolicy, NamedPolicy, PolicyDocument};

/// IAM resource types read here or in [`iam_links`] (data sources only inform references).
const TYPES: &[&str] = &[
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_group",
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_user_policy",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy",
    "aws_iam_group_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_iam_user_group_membership",
    "aws_iam_group_membership",
    "aws_iam_access_key",
    "aws_iam_user_login_profile",
];

const DATA_TYPES: &[&str] = &[
    "aws_iam_policy_document",
    "aws_caller_identity",
    "aws_partition",
    "aws_region",
];

pub fn handles(r: &Resource<'_>) -> bool {
    if r.data {
        DATA_TYPES.contains(&r.kind.as_str())
    } else {
        TYPES.contains(&r.kind.as_str())
    }
}

/// Where this document's entities went in the snapshot: resource position → list position.
#[derive(Debug, Default)]
pub struct Placed {
    pub roles: BTreeMap<usize, usize>,
    pub users: BTreeMap<usize, usize>,
    pub groups: BTreeMap<usize, usize>,
    /// Resource position of an `aws_iam_policy` → its ARN (known or derived).
    pub policies: BTreeMap<usize, String>,
}

/// The account of the document: the first account in a known IAM ARN, else
/// `aws_caller_identity`'s `account_id`.
pub fn account(resources: &[Resource<'_>]) -> Option<String> {
    let from_arn = resources
        .iter()
        .filter(|r| !r.data && r.kind.starts_with("aws_iam_"))
        .filter_map(|r| r.values.string("arn").ok()?.known())
        .find_map(|arn| arn_account(&arn).map(str::to_string));
    from_arn.or_else(|| {
        resources
            .iter()
            .filter(|r| r.data && r.kind == "aws_caller_identity")
            .find_map(|r| r.values.string("account_id").ok()?.known())
            .filter(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The partition of the first known ARN (`aws`, `aws-cn`, `aws-us-gov`).
pub fn partition(resources: &[Resource<'_>]) -> Option<String> {
    resources
        .iter()
        .filter_map(|r| r.values.string("arn").ok()?.known())
        .find_map(|arn| {
            arn.strip_prefix("arn:")?
                .split(':')
                .next()
                .map(str::to_string)
        })
        .filter(|p| !p.is_empty())
}

pub fn lower(lw: &mut Lowering<'_, '_>) {
    let mut placed = Placed::default();
    if lw.account.is_none()
        && lw
            .resources
            .iter()
            .any(|r| TYPES.contains(&r.kind.as_str()))
    {
        lw.note(
            None,
            "the AWS account id is unknown (no ARN in the document is known yet): ARNs are \
             written with a placeholder account and trust across accounts cannot be checked",
        );
    }
    let resources = lw.resources;
    for (at, r) in resources.iter().enumerate().filter(|(_, r)| !r.data) {
        let result = match r.kind.as_str() {
            "aws_iam_role" => role(lw, r).map(|i| i.map(|i| placed.roles.insert(at, i)).is_some()),
            "aws_iam_user" => user(lw, r).map(|i| i.map(|i| placed.users.insert(at, i)).is_some()),
            "aws_iam_group" => {
                group(lw, r).map(|i| i.map(|i| placed.groups.insert(at, i)).is_some())
            }
            "aws_iam_policy" => {
                policy(lw, r).map(|a| a.map(|a| placed.policies.insert(at, a)).is_some())
            }
            _ => continue,
        };
        match result {
            Ok(true) => lw.objects += 1,
            Ok(false) => {}
            Err(e) => lw.skipped(r, &e),
        }
    }
    iam_links::lower(lw, &placed);
}

/// The entity's name; `None` (with a warning) when it is known only after apply (a
/// `name_prefix` or a generated name), since it could not be paired.
fn name(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<Option<String>> {
    let view = r.values.at("name");
    match view.text()? {
        Field::Known(name) if view.is_sensitive() => {
            drop(name);
            lw.sensitive(r, &view, "the object is not compared");
            Ok(None)
        }
        Field::Known(name) => Ok(Some(name)),
        Field::Unknown => {
            lw.unknown(r, &view, "the object cannot be paired and is not compared");
            Ok(None)
        }
        Field::Absent => Err(super::super::node::ShapeError {
            field: "name".to_string(),
            expected: "a string",
            line: view.line,
        }),
    }
}

/// `path`, defaulting to `/`.
fn iam_path(r: &Resource<'_>) -> Shaped<String> {
    Ok(r.values
        .string("path")?
        .known()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "/".to_string()))
}

impl Lowering<'_, '_> {
    /// The entity's ARN: as known, else derived the way IAM builds it
    /// (`arn:aws:iam::ACCOUNT:role/PATH/NAME`), with a placeholder account when unknown.
    pub fn iam_arn(&self, r: &Resource<'_>, kind: &str, path: &str, name: &str) -> String {
        if let Ok(Field::Known(arn)) = r.values.string("arn")
            && !arn.is_empty()
        {
            return arn;
        }
        let account = match &self.account {
            Some(account) => account.clone(),
            None => {
                let tag = self
                    .fingerprinter
                    .fingerprint(&format!("account\u{0}{}", self.environment));
                format!("unknown-{}", tag.get(..8).unwrap_or(&tag))
            }
        };
        format!("arn:{}:iam::{account}:{kind}{path}{name}", self.partition)
    }

    /// The policy document in the string attribute at `view` (JSON text), labelled `label`.
    /// Unknown or sensitive documents become placeholders the access engine cannot evaluate.
    pub fn document(
        &mut self,
        r: &Resource<'_>,
        view: &View<'_>,
        label: &str,
    ) -> Shaped<PolicyDocument> {
        let provenance = self.provenance(view.line);
        let consequence = if label.starts_with("trust policy") {
            "the role's trust is not compared"
        } else {
            "access through it is unknown"
        };
        let placeholder = |lw: &mut Lowering<'_, '_>, why: &str, suffix: &str| PolicyDocument {
            name: format!("{label} ({suffix})"),
            document: serde_json::Value::String(lw.placeholder(r, view, why)).into(),
            provenance: provenance.clone(),
        };
        if view.is_unknown() {
            self.unknown(r, view, consequence);
            return Ok(placeholder(
                self,
                "known after apply",
                "known only after apply",
            ));
        }
        let text = view.text()?.known().unwrap_or_default();
        if view.is_sensitive() {
            drop(text);
            self.sensitive(r, view, consequence);
            return Ok(placeholder(self, "sensitive", "sensitive, not read"));
        }
        let document = match parse_text(&text) {
            Ok(value) => value,
            Err(reason) => {
                self.warn(
                    Some(view.line),
                    format!(
                        "cannot parse `{}` of `{}`: {reason}; {consequence}",
                        view.path, r.address
                    ),
                );
                serde_json::Value::String(text)
            }
        };
        Ok(PolicyDocument {
            name: label.to_string(),
            document: document.into(),
            provenance,
        })
    }

    /// A placeholder attachment for a managed policy ARN known only after apply: it never
    /// resolves, so the principal's access reads as unknown.
    pub fn unknown_arn(&mut self, r: &Resource<'_>, view: &View<'_>) -> String {
        self.unknown(r, view, "access through the policy is unknown");
        self.placeholder(r, view, "known after apply")
    }
}

fn role(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<Option<usize>> {
    let Some(name) = name(lw, r)? else {
        return Ok(None);
    };
    let path = iam_path(r)?;
    let arn = lw.iam_arn(r, "role", &path, &name);
    let trust_view = r.values.at("assume_role_policy");
    let trust_policy = match trust_view.text()? {
        Field::Absent => None,
        Field::Known(text) if text.trim().is_empty() => None,
        _ => {
            let label = format!("trust policy of role {name}");
            Some(lw.document(r, &trust_view, &label)?)
        }
    };
    let mut inline_policies = Vec::new();
    // A plan's computed lists (not written in the configuration) show the state before
    // apply; the inline-policy and attachment resources say what will be deployed.
    let computed_only = |key: &str| {
        lw.kind == Kind::Plan && r.values.configured() && !r.values.at(key).configured()
    };
    let (skip_inline, skip_managed) = (
        computed_only("inline_policy"),
        computed_only("managed_policy_arns"),
    );
    if !skip_inline {
        match r.values.blocks("inline_policy")? {
            Field::Known(blocks) => {
                for block in blocks {
                    let policy_name = block.string("name")?.known().unwrap_or_default();
                    let doc_view = block.at("policy");
                    if policy_name.is_empty()
                        && doc_view.text()?.known().unwrap_or_default().is_empty()
                    {
                        continue;
                    }
                    let label = format!("inline policy {policy_name} of role {name}");
                    let document = lw.document(r, &doc_view, &label)?;
                    inline_policies.push(NamedPolicy {
                        name: policy_name,
                        document,
                    });
                }
            }
            Field::Unknown => {
                let view = r.values.at("inline_policy");
                let label = format!("inline policies of role {name}");
                let document = lw.document(r, &view, &label)?;
                inline_policies.push(NamedPolicy {
                    name: "(known after apply)".to_string(),
                    document,
                });
            }
            Field::Absent => {}
        }
    }
    let mut attached_policies = Vec::new();
    if !skip_managed {
        match r.values.strings("managed_policy_arns")? {
            Field::Known(arns) => attached_policies.extend(arns),
            Field::Unknown => {
                let view = r.values.at("managed_policy_arns");
                attached_policies.push(lw.unknown_arn(r, &view));
            }
            Field::Absent => {}
        }
    }
    let permissions_boundary = boundary(lw, r)?;
    let tags = tags(r)?;
    let max_session_duration = r.values.int("max_session_duration")?.known();
    let line = r.values.at("name").line;
    let provenance = lw.provenance(line);
    let roles = &mut lw.snapshot.aws.roles;
    roles.push(IamRole {
        arn,
        name,
        path,
        trust_policy,
        inline_policies,
        attached_policies,
        permissions_boundary,
        tags,
        max_session_duration,
        last_used: None,
        instance_profiles: Vec::new(),
        provenance,
    });
    Ok(Some(roles.len() - 1))
}

/// `permissions_boundary`: an ARN, empty for none; unknown → a placeholder (via the
/// configuration's reference to an `aws_iam_policy` when there is one).
fn boundary(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<Option<String>> {
    let view = r.values.at("permissions_boundary");
    Ok(match view.text()? {
        Field::Known(arn) if !arn.is_empty() => Some(arn),
        Field::Known(_) | Field::Absent => None,
        Field::Unknown => Some(iam_links::policy_arn(lw, r, &view)),
    })
}

/// `tags_all` (every tag, with provider defaults) when known, else `tags`.
fn tags(r: &Resource<'_>) -> Shaped<BTreeMap<String, String>> {
    let all = r.values.at("tags_all");
    if all.node.is_some() && !all.has_unknown() {
        return r.values.string_map("tags_all");
    }
    r.values.string_map("tags")
}

fn user(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<Option<usize>> {
    let Some(name) = name(lw, r)? else {
        return Ok(None);
    };
    let path = iam_path(r)?;
    let arn = lw.iam_arn(r, "user", &path, &name);
    let permissions_boundary = boundary(lw, r)?;
    let tags = tags(r)?;
    let provenance = lw.provenance(r.values.at("name").line);
    let users = &mut lw.snapshot.aws.users;
    users.push(IamUser {
        arn,
        name,
        path,
        inline_policies: Vec::new(),
        attached_policies: Vec::new(),
        permissions_boundary,
        groups: Vec::new(),
        tags,
        provenance,
    });
    Ok(Some(users.len() - 1))
}

fn group(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<Option<usize>> {
    let Some(name) = name(lw, r)? else {
        return Ok(None);
    };
    let path = iam_path(r)?;
    let arn = lw.iam_arn(r, "group", &path, &name);
    let provenance = lw.provenance(r.values.at("name").line);
    let groups = &mut lw.snapshot.aws.groups;
    groups.push(IamGroup {
        arn,
        name,
        inline_policies: Vec::new(),
        attached_policies: Vec::new(),
        provenance,
    });
    Ok(Some(groups.len() - 1))
}

/// A customer-managed policy; returns its ARN (derived when known only after apply).
fn policy(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<Option<String>> {
    let Some(name) = name(lw, r)? else {
        return Ok(None);
    };
    let path = iam_path(r)?;
    let arn = lw.iam_arn(r, "policy", &path, &name);
    let view = r.values.at("policy");
    let document = lw.document(r, &view, &arn)?;
    lw.snapshot.aws.managed_policies.push(ManagedPolicy {
        arn: arn.clone(),
        name,
        document,
    });
    Ok(Some(arn))
}
