//! `google_project_iam_policy`, `google_project_iam_binding` and `google_project_iam_member`
//! → the model's GCP allow policies (custom roles, service accounts and their keys:
//! [`gcp_identity`]), one per project, as `gcloud projects get-iam-policy`
//! shows the bindings Terraform manages (members of one role and condition grouped into one
//! binding). A condition known only after apply keeps a placeholder expression, which the
//! access engine reads as an opaque fact, so what depends on it is `access-unknown`; a role
//! or member known only after apply cannot be placed and is left out with a warning.

use std::collections::BTreeMap;

use super::super::node::Shaped;
use super::Lowering;
use super::attrs::{Field, View};
use super::document::Resource;
use super::gcp_identity;
use crate::model::{GcpBinding, GcpCondition, GcpPolicy, Provenance};

const TYPES: &[&str] = &[
    "google_project_iam_policy",
    "google_project_iam_binding",
    "google_project_iam_member",
];

pub fn handles(r: &Resource<'_>) -> bool {
    !r.data && (TYPES.contains(&r.kind.as_str()) || gcp_identity::TYPES.contains(&r.kind.as_str()))
}

/// One project's policy as it is built: bindings by (role, condition).
struct Building {
    provenance: Provenance,
    etag: Option<String>,
    bindings: Vec<GcpBinding>,
}

impl Building {
    fn add(
        &mut self,
        role: String,
        members: Vec<String>,
        condition: Option<GcpCondition>,
        line: u32,
    ) {
        let same = |b: &&mut GcpBinding| {
            b.role == role
                && b.condition.as_ref().map(|c| (&c.expression, &c.title))
                    == condition.as_ref().map(|c| (&c.expression, &c.title))
        };
        match self.bindings.iter_mut().find(same) {
            Some(binding) => {
                for member in members {
                    if !binding.members.contains(&member) {
                        binding.members.push(member);
                    }
                }
            }
            None => self.bindings.push(GcpBinding {
                role,
                members,
                condition,
                line: Some(line),
            }),
        }
    }
}

pub fn lower(lw: &mut Lowering<'_, '_>) {
    gcp_identity::lower(lw);
    let mut projects: BTreeMap<String, Building> = BTreeMap::new();
    let resources = lw.resources;
    for r in resources
        .iter()
        .filter(|r| !r.data && TYPES.contains(&r.kind.as_str()))
    {
        if let Err(e) = resource(lw, r, &mut projects) {
            lw.skipped(r, &e);
        }
    }
    for (project, building) in projects {
        lw.objects += 1;
        lw.snapshot.gcp.policies.push(GcpPolicy {
            resource: Some(format!("projects/{project}")),
            etag: building.etag,
            version: Some(3),
            bindings: building.bindings,
            provenance: building.provenance,
        });
    }
}

fn resource(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
    projects: &mut BTreeMap<String, Building>,
) -> Shaped<()> {
    let project_view = r.values.at("project");
    let project = match project_view.text()? {
        Field::Known(p) if !p.is_empty() => p,
        Field::Unknown => {
            lw.unknown(r, &project_view, "its bindings are not compared");
            return Ok(());
        }
        Field::Known(_) | Field::Absent => {
            lw.warn(
                Some(r.line),
                format!("ignored `{}`: it names no project", r.address),
            );
            return Ok(());
        }
    };
    let provenance = lw.provenance(r.line);
    let building = projects.entry(project).or_insert_with(|| Building {
        provenance,
        etag: None,
        bindings: Vec::new(),
    });
    match r.kind.as_str() {
        "google_project_iam_policy" => policy_data(lw, r, building),
        _ => {
            let role_view = r.values.at("role");
            let role = match role_view.text()? {
                Field::Known(role) => role,
                _ => {
                    // A role nothing defines: the engine cannot decide what it grants.
                    lw.unknown(r, &role_view, "what the binding grants is unknown");
                    let tag = lw.placeholder(r, &role_view, "known after apply");
                    let key: String = tag.chars().filter(char::is_ascii_alphanumeric).collect();
                    format!("roles/knownAfterApply.{key}")
                }
            };
            let (key, members) = if r.kind == "google_project_iam_member" {
                let member = match r.values.string("member")? {
                    Field::Known(m) => Field::Known(vec![m]),
                    Field::Unknown => Field::Unknown,
                    Field::Absent => Field::Absent,
                };
                ("member", member)
            } else {
                ("members", r.values.strings("members")?)
            };
            let Field::Known(members) = members else {
                lw.unknown(r, &r.values.at(key), "the binding is not compared");
                return Ok(());
            };
            let condition = condition(lw, r)?;
            building.add(role, members, condition, role_view.line);
            Ok(())
        }
    }
}

/// The `condition` block: its expression (a placeholder when known only after apply) and
/// title.
fn condition(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<Option<GcpCondition>> {
    let block = match r.values.block("condition")? {
        Field::Known(block) => block,
        Field::Absent => return Ok(None),
        Field::Unknown => r.values.at("condition"),
    };
    let view = block.at("expression");
    let expression = match view.text()? {
        Field::Known(e) => e,
        Field::Absent if !block.is_unknown() => return Ok(None),
        _ => {
            lw.unknown(r, &view, "what the binding grants is unknown");
            opaque(lw, r, &view)
        }
    };
    Ok(Some(GcpCondition {
        expression,
        title: block.string("title")?.known().filter(|t| !t.is_empty()),
    }))
}

/// A CEL expression the engine cannot decide (an opaque atom), naming what it stands for,
/// distinct per environment.
fn opaque(lw: &Lowering<'_, '_>, r: &Resource<'_>, view: &View<'_>) -> String {
    let tag = lw.placeholder(r, view, "known after apply");
    let text: String = tag
        .chars()
        .map(|c| if c == '"' || c == '\\' { '\'' } else { c })
        .collect();
    format!("api.getAttribute(\"{text}\", \"\") == \"\"")
}

/// `policy_data`: the whole policy as JSON text (authoritative for the project).
fn policy_data(lw: &mut Lowering<'_, '_>, r: &Resource<'_>, building: &mut Building) -> Shaped<()> {
    let view = r.values.at("policy_data");
    let text = match view.text()? {
        Field::Known(text) => text,
        Field::Unknown => {
            lw.unknown(r, &view, "the project's policy is not compared");
            return Ok(());
        }
        Field::Absent => return Ok(()),
    };
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(e) => {
            lw.warn(
                Some(view.line),
                format!(
                    "cannot parse `policy_data` of `{}`: invalid JSON at column {}; the project's policy is not compared",
                    r.address,
                    e.column()
                ),
            );
            return Ok(());
        }
    };
    building.etag = value
        .get("etag")
        .and_then(|e| e.as_str())
        .map(str::to_string);
    let bindings = value
        .get("bindings")
        .and_then(|b| b.as_array())
        .cloned()
        .unwrap_or_default();
    for binding in bindings {
        let Some(role) = binding.get("role").and_then(|r| r.as_str()) else {
            lw.warn(
                Some(view.line),
                format!("skipped a binding of `{}` without a `role`", r.address),
            );
            continue;
        };
        let members = binding
            .get("members")
            .and_then(|m| m.as_array())
            .map(|m| {
                m.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let condition = binding.get("condition").and_then(|c| {
            Some(GcpCondition {
                expression: c.get("expression")?.as_str()?.to_string(),
                title: c.get("title").and_then(|t| t.as_str()).map(str::to_string),
            })
        });
        building.add(role.to_string(), members, condition, view.line);
    }
    Ok(())
}
