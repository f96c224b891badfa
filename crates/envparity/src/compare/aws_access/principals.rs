//! The IAM principals of one snapshot (roles and users) with the policies that decide what
//! they may do: identity policies (inline, attached managed, and for users their groups'),
//! the permissions boundary and the SCPs. Anything that cannot be resolved is kept as a
//! reason, so the comparison says `access-unknown` instead of guessing.

use std::collections::BTreeMap;

use envparity_access::aws::{Policy, PrincipalPolicies, parse_policy};
use serde_json::Value;

use crate::correlate::NameMap;
use crate::findings::Evidence;
use crate::model::{AwsObjects, NamedPolicy, PolicyDocument, Provenance};

/// Which kind of IAM principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalKind {
    Role,
    User,
}

impl PrincipalKind {
    pub fn subject_kind(self) -> &'static str {
        match self {
            PrincipalKind::Role => "aws-iam-role",
            PrincipalKind::User => "aws-iam-user",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            PrincipalKind::Role => "role",
            PrincipalKind::User => "user",
        }
    }
}

/// One principal, ready for the engine; its documents are borrowed from the snapshot (a
/// managed policy attached to many principals is held once).
#[derive(Debug, Clone)]
pub struct Principal<'a> {
    pub kind: PrincipalKind,
    pub name: String,
    pub arn: String,
    pub provenance: Provenance,
    /// The documents, by name, as read (before any renaming).
    pub documents: Vec<&'a PolicyDocument>,
    pub boundary: Option<&'a PolicyDocument>,
    pub trust: Option<&'a PolicyDocument>,
    /// Why the principal's policies are incomplete or unparsable.
    pub unresolved: Vec<String>,
}

fn inline(policies: &[NamedPolicy]) -> impl Iterator<Item = &PolicyDocument> + '_ {
    policies.iter().map(|p| &p.document)
}

/// Every role and user of `aws`, by kind and name.
pub fn principals<'a>(aws: &'a AwsObjects) -> BTreeMap<(PrincipalKind, String), Principal<'a>> {
    let managed: BTreeMap<&str, &'a PolicyDocument> = aws
        .managed_policies
        .iter()
        .map(|p| (p.arn.as_str(), &p.document))
        .collect();
    let resolve = |arns: &[String],
                   documents: &mut Vec<&'a PolicyDocument>,
                   unresolved: &mut Vec<String>| {
        for arn in arns {
            match managed.get(arn.as_str()) {
                Some(doc) => documents.push(*doc),
                None => unresolved.push(format!("managed policy `{arn}` is not among the inputs")),
            }
        }
    };
    let boundary_of = |arn: &Option<String>, unresolved: &mut Vec<String>| {
        arn.as_ref()
            .and_then(|arn| match managed.get(arn.as_str()) {
                Some(doc) => Some(*doc),
                None => {
                    unresolved.push(format!(
                        "permissions boundary `{arn}` is not among the inputs"
                    ));
                    None
                }
            })
    };
    let mut out = BTreeMap::new();
    for role in &aws.roles {
        let mut documents: Vec<&PolicyDocument> = inline(&role.inline_policies).collect();
        let mut unresolved = Vec::new();
        resolve(&role.attached_policies, &mut documents, &mut unresolved);
        let boundary = boundary_of(&role.permissions_boundary, &mut unresolved);
        out.insert(
            (PrincipalKind::Role, role.name.clone()),
            Principal {
                kind: PrincipalKind::Role,
                name: role.name.clone(),
                arn: role.arn.clone(),
                provenance: role.provenance.clone(),
                documents,
                boundary,
                trust: role.trust_policy.as_ref(),
                unresolved,
            },
        );
    }
    let groups: BTreeMap<&str, _> = aws.groups.iter().map(|g| (g.name.as_str(), g)).collect();
    for user in &aws.users {
        let mut documents: Vec<&PolicyDocument> = inline(&user.inline_policies).collect();
        let mut unresolved = Vec::new();
        resolve(&user.attached_policies, &mut documents, &mut unresolved);
        for group_name in &user.groups {
            match groups.get(group_name.as_str()) {
                Some(group) => {
                    documents.extend(inline(&group.inline_policies));
                    resolve(&group.attached_policies, &mut documents, &mut unresolved);
                }
                None => unresolved.push(format!("group `{group_name}` is not among the inputs")),
            }
        }
        let boundary = boundary_of(&user.permissions_boundary, &mut unresolved);
        out.insert(
            (PrincipalKind::User, user.name.clone()),
            Principal {
                kind: PrincipalKind::User,
                name: user.name.clone(),
                arn: user.arn.clone(),
                provenance: user.provenance.clone(),
                documents,
                boundary,
                trust: None,
                unresolved,
            },
        );
    }
    out
}

/// Rewrites every string of a policy document with `rename` (used to put staging's
/// documents into production's names).
pub fn rename_strings(value: &Value, rename: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::String(text) => Value::String(rename(text)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| rename_strings(v, rename)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), rename_strings(v, rename)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The engine's view of a principal, with documents renamed by `rename` (identity for
/// production), plus reasons for anything that could not be parsed.
pub fn policies(
    principal: &Principal,
    scps: &[PolicyDocument],
    names: Option<&NameMap>,
) -> (PrincipalPolicies, Vec<String>) {
    let mut unresolved = principal.unresolved.clone();
    let rename = |text: &str| match names {
        Some(names) => names.to_production(text).text,
        None => text.to_string(),
    };
    let mut parse = |doc: &PolicyDocument| -> Option<Policy> {
        let value = rename_strings(&doc.document.value(), &rename);
        match parse_policy(&value) {
            Ok(policy) => Some(policy),
            Err(error) => {
                unresolved.push(format!(
                    "policy `{}` ({}{}) cannot be evaluated: {error}",
                    doc.name,
                    doc.provenance.path,
                    doc.provenance
                        .line
                        .map(|l| format!(":{l}"))
                        .unwrap_or_default()
                ));
                None
            }
        }
    };
    let identity: Vec<Policy> = principal
        .documents
        .iter()
        .copied()
        .filter_map(&mut parse)
        .collect();
    let boundary = principal.boundary.and_then(&mut parse);
    let scp_level: Vec<Policy> = scps.iter().filter_map(&mut parse).collect();
    let policies = PrincipalPolicies {
        identity,
        boundary,
        scps: if scps.is_empty() {
            Vec::new()
        } else {
            vec![scp_level]
        },
    };
    (policies, unresolved)
}

/// The principal's documents (identity, boundary) renamed by `rename`, as canonical JSON
/// text in sorted order: two principals with the same key grant exactly the same requests.
pub fn syntactic_key(
    principal: &Principal,
    rename: &dyn Fn(&str) -> String,
) -> (Vec<String>, Option<String>) {
    let mut identity: Vec<String> = principal
        .documents
        .iter()
        .map(|d| rename_strings(&d.document.value(), rename).to_string())
        .collect();
    identity.sort();
    let boundary = principal
        .boundary
        .as_ref()
        .map(|d| rename_strings(&d.document.value(), rename).to_string());
    (identity, boundary)
}

/// Evidence for every document of a principal.
pub fn document_evidence(principal: &Principal) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = principal
        .documents
        .iter()
        .map(|d| Evidence::at(&d.provenance, None, format!("identity policy `{}`", d.name)))
        .collect();
    if let Some(b) = &principal.boundary {
        out.push(Evidence::at(
            &b.provenance,
            None,
            format!("permissions boundary `{}`", b.name),
        ));
    }
    if out.is_empty() {
        out.push(Evidence::at(
            &principal.provenance,
            None,
            format!(
                "{} `{}` has no identity policy",
                principal.kind.word(),
                principal.name
            ),
        ));
    }
    out
}
