//! One environment's model rewritten into the other's names: resources, members, custom
//! roles, deny policies and the string literals of conditions pass through the caller's
//! renaming; permissions and predefined role names are the same everywhere and stay.

use super::condition::rename_expression;
use super::types::{AllowPolicy, Binding, Condition, DenyPolicy, DenyRule, Model, Node, Role};

fn condition(c: &Option<Condition>, rename: &dyn Fn(&str) -> String) -> Option<Condition> {
    c.as_ref().map(|c| Condition {
        expression: rename_expression(&c.expression, rename),
        title: c.title.clone(),
    })
}

fn role_name(name: &str, rename: &dyn Fn(&str) -> String) -> String {
    if Role::is_predefined(name) {
        name.to_string()
    } else {
        rename(name)
    }
}

fn all(values: &[String], rename: &dyn Fn(&str) -> String) -> Vec<String> {
    values.iter().map(|v| rename(v)).collect()
}

impl Model {
    /// The model with every environment-specific name passed through `rename`.
    pub fn renamed(&self, rename: &dyn Fn(&str) -> String) -> Model {
        Model {
            nodes: self
                .nodes
                .iter()
                .map(|n| Node {
                    name: rename(&n.name),
                    parent: n.parent.as_ref().map(|p| rename(p)),
                    aliases: all(&n.aliases, rename),
                })
                .collect(),
            allow: self
                .allow
                .iter()
                .map(|p| AllowPolicy {
                    resource: rename(&p.resource),
                    bindings: p
                        .bindings
                        .iter()
                        .map(|b| Binding {
                            role: role_name(&b.role, rename),
                            members: all(&b.members, rename),
                            condition: condition(&b.condition, rename),
                            origin: b.origin,
                        })
                        .collect(),
                })
                .collect(),
            deny: self
                .deny
                .iter()
                .map(|p| DenyPolicy {
                    name: rename(&p.name),
                    attachment: rename(&p.attachment),
                    rules: p.rules.as_ref().map(|rules| {
                        rules
                            .iter()
                            .map(|r| DenyRule {
                                denied_principals: all(&r.denied_principals, rename),
                                exception_principals: all(&r.exception_principals, rename),
                                denied_permissions: r.denied_permissions.clone(),
                                exception_permissions: r.exception_permissions.clone(),
                                condition: condition(&r.condition, rename),
                                origin: r.origin,
                            })
                            .collect()
                    }),
                })
                .collect(),
            roles: self
                .roles
                .iter()
                .map(|(name, role)| {
                    let name = role_name(name, rename);
                    let role = Role {
                        name: name.clone(),
                        permissions: role.permissions.clone(),
                    };
                    (name, role)
                })
                .collect(),
        }
    }
}
