//! One environment's GCP facts as the access engine's [`Model`], with the provenance of every
//! binding and deny rule (by the engine's `origin` index), and the renaming of names between
//! the environments: the name map, plus project numbers paired through their projects.

use std::collections::BTreeMap;

use envparity_access::gcp::{
    AllowPolicy, Binding, Condition, DenyPolicy, DenyRule, Model, Node, Role,
};

use crate::correlate::NameMap;
use crate::model::{GcpCondition, GcpObjects, Provenance};

/// Where a binding or deny rule of the model comes from, and what it says.
#[derive(Debug, Clone)]
pub struct Origin {
    pub provenance: Provenance,
    /// `binds `roles/x` on `projects/p`` / `denies … on …`.
    pub detail: String,
    pub role: String,
    pub resource: Option<String>,
    pub members: Vec<String>,
    pub conditional: bool,
}

/// The engine model of one environment, and the origin of each binding and deny rule.
#[derive(Debug, Clone, Default)]
pub struct Built {
    pub model: Model,
    pub bindings: Vec<Origin>,
    pub rules: Vec<Origin>,
}

fn condition(c: &Option<GcpCondition>) -> Option<Condition> {
    c.as_ref().map(|c| Condition {
        expression: c.expression.clone(),
        title: c.title.clone(),
    })
}

/// ` (if `title`)` for a conditional binding.
fn when(c: &Option<GcpCondition>) -> String {
    match c {
        Some(c) => format!(
            " if `{}`",
            c.title.clone().unwrap_or_else(|| c.expression.clone())
        ),
        None => String::new(),
    }
}

pub fn build(gcp: &GcpObjects) -> Built {
    let mut built = Built::default();
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    for r in &gcp.resources {
        let node = nodes.entry(r.name.clone()).or_insert_with(|| Node {
            name: r.name.clone(),
            ..Node::default()
        });
        if node.parent.is_none() {
            node.parent.clone_from(&r.parent);
        }
        for alias in &r.aliases {
            if !node.aliases.contains(alias) {
                node.aliases.push(alias.clone());
            }
        }
    }
    built.model.nodes = nodes.into_values().collect();
    for policy in &gcp.policies {
        let resource = policy.resource.clone().unwrap_or_default();
        let shown = policy.resource.as_deref().unwrap_or("an unknown resource");
        let mut bindings = Vec::new();
        for b in &policy.bindings {
            bindings.push(Binding {
                role: b.role.clone(),
                members: b.members.clone(),
                condition: condition(&b.condition),
                origin: built.bindings.len(),
            });
            built.bindings.push(Origin {
                provenance: Provenance::new(&policy.provenance.path, b.line),
                detail: format!("binds `{}` on `{shown}`{}", b.role, when(&b.condition)),
                role: b.role.clone(),
                resource: policy.resource.clone(),
                members: b.members.clone(),
                conditional: b.condition.is_some(),
            });
        }
        built.model.allow.push(AllowPolicy { resource, bindings });
    }
    for policy in &gcp.deny_policies {
        let rules = policy.rules.as_ref().map(|rules| {
            rules
                .iter()
                .map(|r| {
                    let origin = built.rules.len();
                    built.rules.push(Origin {
                        provenance: Provenance::new(&policy.provenance.path, r.line),
                        detail: format!(
                            "deny policy `{}` denies `{}` on `{}`{}",
                            policy.name,
                            r.denied_permissions.join("`, `"),
                            policy.attachment,
                            when(&r.condition)
                        ),
                        role: String::new(),
                        resource: Some(policy.attachment.clone()),
                        members: r.denied_principals.clone(),
                        conditional: r.condition.is_some(),
                    });
                    DenyRule {
                        denied_principals: r.denied_principals.clone(),
                        exception_principals: r.exception_principals.clone(),
                        denied_permissions: r.denied_permissions.clone(),
                        exception_permissions: r.exception_permissions.clone(),
                        condition: condition(&r.condition),
                        origin,
                    }
                })
                .collect()
        });
        built.model.deny.push(DenyPolicy {
            name: policy.name.clone(),
            attachment: policy.attachment.clone(),
            rules,
        });
    }
    for role in &gcp.roles {
        let Some(permissions) = &role.permissions else {
            continue;
        };
        // A deleted custom role stays bound but grants nothing.
        let permissions = if role.deleted {
            Default::default()
        } else {
            permissions.iter().cloned().collect()
        };
        built.model.roles.insert(
            role.name.clone(),
            Role {
                name: role.name.clone(),
                permissions,
            },
        );
    }
    built
}

/// Renames staging names into production's and back: the name map's whole-token pairs,
/// then staging project numbers into the numbers of the production projects they map to.
pub struct Renamer<'a> {
    names: &'a NameMap,
    /// (staging number, production number).
    numbers: Vec<(String, String)>,
}

/// Project id → number, from the hierarchy's aliases.
fn project_numbers(gcp: &GcpObjects) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for r in &gcp.resources {
        let Some(id) = r.name.strip_prefix("projects/") else {
            continue;
        };
        for alias in &r.aliases {
            if let Some(number) = alias.strip_prefix("projects/") {
                out.insert(id.to_string(), number.to_string());
            }
        }
    }
    out
}

fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Replaces whole-token occurrences of `from` by `to`.
fn replace_token(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + from.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_none_or(|c| !token_char(c)) && after.is_none_or(|c| !token_char(c)) {
            out.push_str(to);
        } else {
            out.push_str(from);
        }
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

impl<'a> Renamer<'a> {
    pub fn new(names: &'a NameMap, staging: &GcpObjects, production: &GcpObjects) -> Renamer<'a> {
        let production_numbers = project_numbers(production);
        let mut numbers = Vec::new();
        for (id, number) in project_numbers(staging) {
            let mapped = names.to_production(&id).text;
            if let Some(theirs) = production_numbers.get(&mapped)
                && theirs != &number
            {
                numbers.push((number, theirs.clone()));
            }
        }
        Renamer { names, numbers }
    }

    /// A staging name in production's vocabulary, and whether an inferred mapping changed it.
    pub fn to_production(&self, name: &str) -> (String, bool) {
        let mapped = self.names.to_production(name);
        let mut text = mapped.text;
        for (from, to) in &self.numbers {
            text = replace_token(&text, from, to);
        }
        (text, mapped.inferred)
    }

    /// A production name in staging's vocabulary.
    pub fn to_staging(&self, name: &str) -> String {
        let mut text = name.to_string();
        for (from, to) in &self.numbers {
            text = replace_token(&text, to, from);
        }
        self.names.to_staging(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_tokens() {
        assert_eq!(
            replace_token("projects/123/x", "123", "456"),
            "projects/456/x"
        );
        assert_eq!(
            replace_token("1234-compute@x", "123", "456"),
            "1234-compute@x"
        );
        assert_eq!(
            replace_token("123-compute@x 123", "123", "9"),
            "9-compute@x 9"
        );
    }
}
