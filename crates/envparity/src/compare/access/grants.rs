//! Effective RBAC grants of every subject of one snapshot: bindings → roles (with ClusterRole
//! aggregation resolved), RoleBinding-to-ClusterRole namespace scoping, group membership of
//! service accounts, and roles that are not among the inputs kept as opaque references.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use envparity_access::k8s::{
    ClusterRoleDef, LabelSelector, LabelSelectorRequirement, PolicyRule, Scope, ScopedRule,
    SelectorOperator, aggregate_cluster_roles,
};

use crate::findings::Evidence;
use crate::model::{Binding, KubeObjects, LabelSelector as ModelSelector, Meta, SubjectRef};

/// An RBAC subject: what bindings name and what holds permissions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SubjectKey {
    ServiceAccount { namespace: String, name: String },
    User(String),
    Group(String),
}

impl SubjectKey {
    pub fn kind(&self) -> &'static str {
        match self {
            SubjectKey::ServiceAccount { .. } => "k8s-serviceaccount",
            SubjectKey::User(_) => "k8s-user",
            SubjectKey::Group(_) => "k8s-group",
        }
    }

    /// `namespace/name` for service accounts, the name for users and groups.
    pub fn name(&self) -> String {
        match self {
            SubjectKey::ServiceAccount { namespace, name } => format!("{namespace}/{name}"),
            SubjectKey::User(name) | SubjectKey::Group(name) => name.clone(),
        }
    }

    pub fn from_ref(subject: &SubjectRef, binding_namespace: Option<&str>) -> Option<SubjectKey> {
        match subject.kind.as_str() {
            "ServiceAccount" => Some(SubjectKey::ServiceAccount {
                namespace: subject
                    .namespace
                    .clone()
                    .filter(|ns| !ns.is_empty())
                    .or_else(|| binding_namespace.map(str::to_string))?,
                name: subject.name.clone(),
            }),
            "User" => Some(SubjectKey::User(subject.name.clone())),
            "Group" => Some(SubjectKey::Group(subject.name.clone())),
            _ => None,
        }
    }
}

/// A role that a binding references but the inputs do not define (e.g. the built-in `view`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpaqueRole {
    pub kind: String,
    pub name: String,
    pub scope: Scope,
}

/// What one subject is granted in one environment.
#[derive(Debug, Clone, Default)]
pub struct Grants<'a> {
    pub rules: Vec<ScopedRule>,
    /// Where each rule comes from: `rules[i].origin` indexes this.
    pub origins: Vec<Origin<'a>>,
    /// The bindings that name the subject (directly or through a group).
    pub bindings: Vec<&'a Binding>,
    pub opaque: BTreeSet<OpaqueRole>,
    /// Why the grants could not be fully determined (besides opaque roles).
    pub unresolved: Vec<String>,
}

/// Where a subject's rule comes from. It becomes evidence only when a finding cites it: a
/// cluster's subjects hold hundreds of thousands of rules, and few are ever cited.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// A rule of a role (at its line, when known) that `binding` references.
    Role {
        role: &'a Meta,
        line: Option<u32>,
        binding: &'a Meta,
    },
    /// A rule of the built-in `cluster-admin`, which `binding` references.
    ClusterAdmin { binding: &'a Meta },
}

impl Origin<'_> {
    /// The evidence for `rule`, the rule this origin gave.
    pub fn evidence(&self, rule: &PolicyRule) -> Evidence {
        match self {
            Origin::Role {
                role,
                line,
                binding,
            } => Evidence::at(
                &role.provenance,
                *line,
                format!(
                    "{} `{}` (via {} `{}`) allows {}",
                    role.kind,
                    role.qualified_name(),
                    binding.kind,
                    binding.qualified_name(),
                    describe_rule(rule)
                ),
            ),
            Origin::ClusterAdmin { binding } => Evidence::at(
                &binding.provenance,
                None,
                format!(
                    "built-in ClusterRole `cluster-admin` (via {} `{}`) allows {}",
                    binding.kind,
                    binding.qualified_name(),
                    describe_rule(rule)
                ),
            ),
        }
    }
}

/// The evidence that `binding` binds its role.
pub fn binding_evidence(binding: &Binding) -> Evidence {
    Evidence::at(
        &binding.meta.provenance,
        None,
        format!(
            "{} `{}` binds {} `{}`",
            binding.meta.kind,
            binding.meta.qualified_name(),
            binding.role_ref.kind,
            binding.role_ref.name
        ),
    )
}

/// The rules of `cluster-admin`, the one built-in role whose content every cluster shares
/// and that matters most.
fn cluster_admin() -> Vec<PolicyRule> {
    vec![
        PolicyRule {
            verbs: vec!["*".into()],
            api_groups: vec!["*".into()],
            resources: vec!["*".into()],
            ..PolicyRule::default()
        },
        PolicyRule {
            verbs: vec!["*".into()],
            non_resource_urls: vec!["*".into()],
            ..PolicyRule::default()
        },
    ]
}

fn selector(model: &ModelSelector) -> LabelSelector {
    LabelSelector {
        match_labels: model.match_labels.to_btree(),
        match_expressions: model
            .match_expressions
            .iter()
            .map(|e| LabelSelectorRequirement {
                key: e.key.clone(),
                operator: match e.operator.as_str() {
                    "In" => SelectorOperator::In,
                    "NotIn" => SelectorOperator::NotIn,
                    "Exists" => SelectorOperator::Exists,
                    _ => SelectorOperator::DoesNotExist,
                },
                values: e.values.clone(),
            })
            .collect(),
    }
}

/// Rules of a role as found: its definition site, and the rules with their lines.
struct RoleRules<'a> {
    meta: &'a Meta,
    /// The role's own rules borrowed; an aggregated ClusterRole's rules are computed.
    rules: Vec<(Cow<'a, PolicyRule>, Option<u32>)>,
    error: Option<String>,
}

/// The grants of every subject named by a binding in `kube`.
pub fn grants_by_subject(kube: &KubeObjects) -> BTreeMap<SubjectKey, Grants<'_>> {
    let defs: Vec<ClusterRoleDef> = kube
        .roles
        .iter()
        .filter(|r| r.cluster)
        .map(|r| ClusterRoleDef {
            name: r.meta.name.clone(),
            labels: r.meta.labels.to_btree(),
            rules: r.rules.iter().map(|at| at.rule.clone()).collect(),
            aggregation: r
                .aggregation
                .as_ref()
                .map(|sels| sels.iter().map(selector).collect()),
        })
        .collect();
    let aggregated = aggregate_cluster_roles(&defs);
    let mut cluster_roles: BTreeMap<&str, RoleRules<'_>> = BTreeMap::new();
    let mut roles: BTreeMap<(&str, &str), RoleRules<'_>> = BTreeMap::new();
    for role in &kube.roles {
        let own: Vec<(Cow<'_, PolicyRule>, Option<u32>)> = role
            .rules
            .iter()
            .map(|at| (Cow::Borrowed(&at.rule), at.line))
            .collect();
        if role.cluster {
            let (rules, error) = match (&role.aggregation, aggregated.get(&role.meta.name)) {
                (Some(_), Some(Ok(rules))) => {
                    let rules = rules.iter().map(|r| (Cow::Owned(r.clone()), None));
                    (rules.collect(), None)
                }
                (_, Some(Err(error))) => (Vec::new(), Some(error.to_string())),
                _ => (own, None),
            };
            cluster_roles.insert(
                &role.meta.name,
                RoleRules {
                    meta: &role.meta,
                    rules,
                    error,
                },
            );
        } else {
            let namespace = role.meta.namespace.as_deref().unwrap_or("default");
            roles.insert(
                (namespace, &role.meta.name),
                RoleRules {
                    meta: &role.meta,
                    rules: own,
                    error: None,
                },
            );
        }
    }

    let mut out: BTreeMap<SubjectKey, Grants<'_>> = BTreeMap::new();
    for binding in &kube.bindings {
        grant_binding(binding, &cluster_roles, &roles, &mut out);
    }
    out
}

fn grant_binding<'a>(
    binding: &'a Binding,
    cluster_roles: &BTreeMap<&str, RoleRules<'a>>,
    roles: &BTreeMap<(&str, &str), RoleRules<'a>>,
    out: &mut BTreeMap<SubjectKey, Grants<'a>>,
) {
    let binding_ns = if binding.cluster {
        None
    } else {
        Some(binding.meta.namespace.as_deref().unwrap_or("default"))
    };
    let scope = match binding_ns {
        Some(ns) => Scope::Namespace(ns.to_string()),
        None => Scope::Cluster,
    };
    let role_ref = &binding.role_ref;
    let found = match (role_ref.kind.as_str(), binding_ns) {
        ("ClusterRole", _) => cluster_roles.get(role_ref.name.as_str()),
        ("Role", Some(ns)) => roles.get(&(ns, role_ref.name.as_str())),
        _ => None,
    };
    for subject in &binding.subjects {
        let Some(key) = SubjectKey::from_ref(subject, binding_ns) else {
            continue;
        };
        let grants = out.entry(key).or_default();
        grants.bindings.push(binding);
        match found {
            Some(role) => {
                if let Some(error) = &role.error {
                    grants.unresolved.push(error.clone());
                }
                for (rule, line) in &role.rules {
                    let origin = grants.origins.len();
                    grants.origins.push(Origin::Role {
                        role: role.meta,
                        line: *line,
                        binding: &binding.meta,
                    });
                    grants.rules.push(ScopedRule {
                        scope: scope.clone(),
                        rule: rule.clone().into_owned(),
                        origin,
                    });
                }
            }
            None if role_ref.kind == "ClusterRole" && role_ref.name == "cluster-admin" => {
                for rule in cluster_admin() {
                    let origin = grants.origins.len();
                    grants.origins.push(Origin::ClusterAdmin {
                        binding: &binding.meta,
                    });
                    grants.rules.push(ScopedRule {
                        scope: scope.clone(),
                        rule,
                        origin,
                    });
                }
            }
            None => {
                grants.opaque.insert(OpaqueRole {
                    kind: role_ref.kind.clone(),
                    name: role_ref.name.clone(),
                    scope: scope.clone(),
                });
            }
        }
    }
}

/// `verbs [get list] on pods, pods/log in group ""` in one line.
pub fn describe_rule(rule: &PolicyRule) -> String {
    let list = |values: &[String]| {
        values
            .iter()
            .map(|v| {
                if v.is_empty() {
                    "\"\"".to_string()
                } else {
                    v.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    if !rule.non_resource_urls.is_empty() {
        return format!(
            "[{}] on non-resource URLs [{}]",
            list(&rule.verbs),
            list(&rule.non_resource_urls)
        );
    }
    let mut text = format!(
        "[{}] on [{}] in API groups [{}]",
        list(&rule.verbs),
        list(&rule.resources),
        list(&rule.api_groups)
    );
    if !rule.resource_names.is_empty() {
        text.push_str(&format!(" named [{}]", list(&rule.resource_names)));
    }
    text
}

/// The subjects whose grants also apply to a service account: the groups every service
/// account belongs to, and its user name.
pub fn memberships(namespace: &str, name: &str) -> Vec<SubjectKey> {
    vec![
        SubjectKey::User(format!("system:serviceaccount:{namespace}:{name}")),
        SubjectKey::Group("system:serviceaccounts".to_string()),
        SubjectKey::Group(format!("system:serviceaccounts:{namespace}")),
        SubjectKey::Group("system:authenticated".to_string()),
    ]
}
