//! IAM resources that attach something to a role, user or group: inline-policy resources,
//! policy attachments, group memberships, access keys and login profiles (the last two
//! become the user's credential-report row, as `get-credential-report` would show it). The
//! owner is found by the name written in the attribute, or, when the plan knows it only
//! after apply, by the configuration reference to the owning resource.

use std::collections::BTreeMap;

use super::super::aws::normalize_text;
use super::super::node::{ShapeError, Shaped};
use super::Lowering;
use super::attrs::{Field, View};
use super::document::Resource;
use super::iam::Placed;
use crate::model::{AccessKeyInfo, CredentialReportRow, NamedPolicy};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Role,
    User,
    Group,
}

impl Owner {
    fn word(self) -> &'static str {
        match self {
            Owner::Role => "role",
            Owner::User => "user",
            Owner::Group => "group",
        }
    }

    fn resource_type(self) -> &'static str {
        match self {
            Owner::Role => "aws_iam_role",
            Owner::User => "aws_iam_user",
            Owner::Group => "aws_iam_group",
        }
    }
}

/// An access key of a user, before slots are given.
struct Key {
    user: usize,
    active: bool,
    created: Option<String>,
    address: String,
}

pub fn lower(lw: &mut Lowering<'_, '_>, placed: &Placed) {
    let mut keys: Vec<Key> = Vec::new();
    let mut passwords: BTreeMap<usize, bool> = BTreeMap::new();
    let resources = lw.resources;
    for r in resources.iter().filter(|r| !r.data) {
        let result = match r.kind.as_str() {
            "aws_iam_role_policy" => inline(lw, r, placed, Owner::Role),
            "aws_iam_user_policy" => inline(lw, r, placed, Owner::User),
            "aws_iam_group_policy" => inline(lw, r, placed, Owner::Group),
            "aws_iam_role_policy_attachment" => attachment(lw, r, placed, Owner::Role),
            "aws_iam_user_policy_attachment" => attachment(lw, r, placed, Owner::User),
            "aws_iam_group_policy_attachment" => attachment(lw, r, placed, Owner::Group),
            "aws_iam_policy_attachment" => exclusive_attachment(lw, r),
            "aws_iam_user_group_membership" => user_groups(lw, r, placed),
            "aws_iam_group_membership" => group_users(lw, r, placed),
            "aws_iam_access_key" => access_key(lw, r, placed).map(|k| keys.extend(k)),
            "aws_iam_user_login_profile" => owner(lw, r, "user", placed, Owner::User).map(|u| {
                if let Some(u) = u {
                    passwords.insert(u, true);
                }
            }),
            _ => continue,
        };
        if let Err(e) = result {
            lw.skipped(r, &e);
        }
    }
    report_rows(lw, placed, keys, &passwords);
}

/// The snapshot position of the role, user or group the attribute `key` of `r` names.
fn owner(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
    key: &str,
    placed: &Placed,
    kind: Owner,
) -> Shaped<Option<usize>> {
    let view = r.values.at(key);
    match view.text()? {
        Field::Known(name) => {
            let found = find(lw, kind, &name);
            if found.is_none() {
                lw.warn(
                    Some(view.line),
                    format!(
                        "ignored `{}`: {} `{name}` is not among the inputs read so far",
                        r.address,
                        kind.word()
                    ),
                );
            }
            Ok(found)
        }
        Field::Unknown => Ok(linked(lw, r, &view, placed, kind)),
        Field::Absent => Err(ShapeError {
            field: view.path,
            expected: "a string",
            line: view.line,
        }),
    }
}

/// The owner named by a name or ARN, latest read first (this document's own entities).
fn find(lw: &Lowering<'_, '_>, kind: Owner, name: &str) -> Option<usize> {
    let aws = &lw.snapshot.aws;
    let matches = |n: &str, arn: &str| n == name || arn == name;
    match kind {
        Owner::Role => aws.roles.iter().rposition(|x| matches(&x.name, &x.arn)),
        Owner::User => aws.users.iter().rposition(|x| matches(&x.name, &x.arn)),
        Owner::Group => aws.groups.iter().rposition(|x| matches(&x.name, &x.arn)),
    }
}

/// The owner through the configuration's reference, for a name known only after apply.
fn linked(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
    view: &View<'_>,
    placed: &Placed,
    kind: Owner,
) -> Option<usize> {
    let at = lw
        .index
        .linked(lw.resources, r, view, &[kind.resource_type()]);
    let map = match kind {
        Owner::Role => &placed.roles,
        Owner::User => &placed.users,
        Owner::Group => &placed.groups,
    };
    let found = at.and_then(|at| map.get(&at).copied());
    if found.is_none() {
        let consequence = format!("the {} it applies to cannot be determined", kind.word());
        lw.unknown(r, view, &consequence);
    }
    found
}

/// The ARN of the managed policy an unknown `policy_arn`-like attribute refers to: the
/// referenced `aws_iam_policy`'s ARN (derived the way IAM builds it), else a placeholder
/// that never resolves.
pub fn policy_arn(lw: &mut Lowering<'_, '_>, r: &Resource<'_>, view: &View<'_>) -> String {
    let target = lw
        .index
        .linked(lw.resources, r, view, &["aws_iam_policy"])
        .and_then(|at| lw.resources.get(at));
    if let Some(policy) = target {
        let name = policy.values.string("name").ok().and_then(Field::known);
        let path = policy
            .values
            .string("path")
            .ok()
            .and_then(Field::known)
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "/".to_string());
        if let Some(name) = name {
            return lw.iam_arn(policy, "policy", &path, &name);
        }
    }
    lw.unknown_arn(r, view)
}

/// The attribute `key` as a policy ARN (known, or resolved as [`policy_arn`]).
fn arn_at(lw: &mut Lowering<'_, '_>, r: &Resource<'_>, key: &str) -> Shaped<String> {
    let view = r.values.at(key);
    match view.text()? {
        Field::Known(arn) => Ok(arn),
        Field::Unknown => Ok(policy_arn(lw, r, &view)),
        Field::Absent => Err(ShapeError {
            field: view.path,
            expected: "a string",
            line: view.line,
        }),
    }
}

/// `aws_iam_{role,user,group}_policy`: one inline policy, replacing a same-named one read
/// from the owner's computed `inline_policy`.
fn inline(lw: &mut Lowering<'_, '_>, r: &Resource<'_>, placed: &Placed, kind: Owner) -> Shaped<()> {
    let Some(at) = owner(lw, r, kind.word(), placed, kind)? else {
        return Ok(());
    };
    let name = match r.values.string("name")? {
        Field::Known(name) => name,
        _ => "(known after apply)".to_string(),
    };
    let owner_name = match kind {
        Owner::Role => lw.snapshot.aws.roles.get(at).map(|x| x.name.clone()),
        Owner::User => lw.snapshot.aws.users.get(at).map(|x| x.name.clone()),
        Owner::Group => lw.snapshot.aws.groups.get(at).map(|x| x.name.clone()),
    }
    .unwrap_or_default();
    let label = format!("inline policy {name} of {} {owner_name}", kind.word());
    let document = lw.document(r, &r.values.at("policy"), &label)?;
    let policy = NamedPolicy { name, document };
    let aws = &mut lw.snapshot.aws;
    let list = match kind {
        Owner::Role => aws.roles.get_mut(at).map(|x| &mut x.inline_policies),
        Owner::User => aws.users.get_mut(at).map(|x| &mut x.inline_policies),
        Owner::Group => aws.groups.get_mut(at).map(|x| &mut x.inline_policies),
    };
    if let Some(list) = list {
        match list.iter_mut().find(|p| p.name == policy.name) {
            Some(slot) => *slot = policy,
            None => list.push(policy),
        }
    }
    Ok(())
}

fn attach(lw: &mut Lowering<'_, '_>, kind: Owner, at: usize, arn: String) {
    let aws = &mut lw.snapshot.aws;
    let list = match kind {
        Owner::Role => aws.roles.get_mut(at).map(|x| &mut x.attached_policies),
        Owner::User => aws.users.get_mut(at).map(|x| &mut x.attached_policies),
        Owner::Group => aws.groups.get_mut(at).map(|x| &mut x.attached_policies),
    };
    if let Some(list) = list
        && !list.contains(&arn)
    {
        list.push(arn);
    }
}

/// `aws_iam_{role,user,group}_policy_attachment`.
fn attachment(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
    placed: &Placed,
    kind: Owner,
) -> Shaped<()> {
    let Some(at) = owner(lw, r, kind.word(), placed, kind)? else {
        return Ok(());
    };
    let arn = arn_at(lw, r, "policy_arn")?;
    attach(lw, kind, at, arn);
    Ok(())
}

/// `aws_iam_policy_attachment`: one policy, attached to lists of roles, users and groups
/// (by name).
fn exclusive_attachment(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<()> {
    let arn = arn_at(lw, r, "policy_arn")?;
    for (key, kind) in [
        ("roles", Owner::Role),
        ("users", Owner::User),
        ("groups", Owner::Group),
    ] {
        match r.values.strings(key)? {
            Field::Known(names) => {
                for name in names {
                    match find(lw, kind, &name) {
                        Some(at) => attach(lw, kind, at, arn.clone()),
                        None => lw.warn(
                            Some(r.line),
                            format!(
                                "`{}` attaches to {} `{name}`, which is not among the inputs read so far",
                                r.address,
                                kind.word()
                            ),
                        ),
                    }
                }
            }
            Field::Unknown => {
                let view = r.values.at(key);
                let consequence = format!("the {}s it attaches to are not known", kind.word());
                lw.unknown(r, &view, &consequence);
            }
            Field::Absent => {}
        }
    }
    Ok(())
}

fn add_group(lw: &mut Lowering<'_, '_>, user: usize, group: String) {
    if let Some(u) = lw.snapshot.aws.users.get_mut(user)
        && !u.groups.contains(&group)
    {
        u.groups.push(group);
    }
}

/// `aws_iam_user_group_membership`: a user and the names of its groups.
fn user_groups(lw: &mut Lowering<'_, '_>, r: &Resource<'_>, placed: &Placed) -> Shaped<()> {
    let Some(user) = owner(lw, r, "user", placed, Owner::User)? else {
        return Ok(());
    };
    match r.values.strings("groups")? {
        Field::Known(groups) => groups.into_iter().for_each(|g| add_group(lw, user, g)),
        Field::Unknown => {
            let view = r.values.at("groups");
            let placeholder = lw.placeholder(r, &view, "known after apply");
            lw.unknown(r, &view, "access through those groups is unknown");
            add_group(lw, user, placeholder);
        }
        Field::Absent => {}
    }
    Ok(())
}

/// `aws_iam_group_membership`: a group and the names of its users.
fn group_users(lw: &mut Lowering<'_, '_>, r: &Resource<'_>, placed: &Placed) -> Shaped<()> {
    let group = match owner(lw, r, "group", placed, Owner::Group)? {
        Some(at) => lw.snapshot.aws.groups.get(at).map(|g| g.name.clone()),
        None => None,
    };
    let Some(group) = group else {
        return Ok(());
    };
    match r.values.strings("users")? {
        Field::Known(users) => {
            for name in users {
                match find(lw, Owner::User, &name) {
                    Some(user) => add_group(lw, user, group.clone()),
                    None => lw.warn(
                        Some(r.line),
                        format!(
                            "`{}` adds user `{name}`, which is not among the inputs read so far",
                            r.address
                        ),
                    ),
                }
            }
        }
        Field::Unknown => {
            let view = r.values.at("users");
            lw.unknown(r, &view, "the group's members are not known");
        }
        Field::Absent => {}
    }
    Ok(())
}

/// `aws_iam_access_key`: a long-lived key of its user. Only its status and creation date are
/// read; its secret, SMTP password and encrypted secret never are.
fn access_key(lw: &mut Lowering<'_, '_>, r: &Resource<'_>, placed: &Placed) -> Shaped<Option<Key>> {
    let Some(user) = owner(lw, r, "user", placed, Owner::User)? else {
        return Ok(None);
    };
    let active = r.values.string("status")?.known().as_deref() != Some("Inactive");
    let created = match r.values.string("create_date")? {
        Field::Known(text) => match normalize_text(text.trim()) {
            Ok(date) => date,
            Err(()) => {
                lw.warn(
                    Some(r.values.at("create_date").line),
                    format!("`create_date` of `{}` is not a date: `{text}`", r.address),
                );
                None
            }
        },
        _ => None,
    };
    Ok(Some(Key {
        user,
        active,
        created,
        address: r.address.clone(),
    }))
}

/// One credential-report row per user of this document: its keys in creation order
/// (slots 1 and 2, as IAM numbers them), and whether it has a console password.
fn report_rows(
    lw: &mut Lowering<'_, '_>,
    placed: &Placed,
    mut keys: Vec<Key>,
    passwords: &BTreeMap<usize, bool>,
) {
    keys.sort_by(|a, b| (&a.created, &a.address).cmp(&(&b.created, &b.address)));
    let users: Vec<usize> = placed.users.values().copied().collect();
    for key in keys.iter().filter(|k| !users.contains(&k.user)) {
        let name = lw.snapshot.aws.users.get(key.user).map(|u| u.name.clone());
        lw.warn(
            None,
            format!(
                "ignored `{}`: its user `{}` is not defined in this document, so its \
                 credential-report row is not known",
                key.address,
                name.unwrap_or_default()
            ),
        );
    }
    for user in users {
        let Some(u) = lw.snapshot.aws.users.get(user) else {
            continue;
        };
        let (name, arn, provenance) = (u.name.clone(), u.arn.clone(), u.provenance.clone());
        let access_keys: Vec<AccessKeyInfo> = keys
            .iter()
            .filter(|k| k.user == user)
            .enumerate()
            .map(|(i, k)| AccessKeyInfo {
                slot: u8::try_from(i + 1).unwrap_or(u8::MAX).min(2),
                active: k.active,
                last_rotated: k.created.clone(),
                last_used: None,
            })
            .collect();
        lw.snapshot.aws.credential_report.push(CredentialReportRow {
            user: name,
            arn,
            password_enabled: passwords.get(&user).copied().unwrap_or(false),
            access_keys,
            provenance,
        });
    }
}
