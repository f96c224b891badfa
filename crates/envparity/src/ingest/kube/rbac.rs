//! ServiceAccounts, Roles, ClusterRoles and their bindings.

use envparity_access::k8s::PolicyRule;

use super::super::node::{Shaped, map_list, opt_bool, opt_map, opt_str, str_list, string_map};
use super::super::yaml::Node;
use crate::model::{
    Binding, KubeObjects, LabelExpression, LabelSelector, Meta, RoleDef, RoleRef, RuleAt,
    ServiceAccount, SubjectRef,
};

pub fn service_account(node: &Node, meta: Meta, kube: &mut KubeObjects) -> Shaped<()> {
    let automount_token = opt_bool(node, "automountServiceAccountToken")?;
    let secrets = names(node, "secrets")?;
    let image_pull_secrets = names(node, "imagePullSecrets")?;
    kube.service_accounts.push(ServiceAccount {
        meta,
        automount_token,
        secrets,
        image_pull_secrets,
    });
    Ok(())
}

/// The `name`s of a list of object references.
fn names(node: &Node, key: &str) -> Shaped<Vec<String>> {
    let mut out = Vec::new();
    for item in map_list(node, key)? {
        if let Some(name) = opt_str(item, "name")? {
            out.push(name);
        }
    }
    Ok(out)
}

pub fn role(node: &Node, meta: Meta, kube: &mut KubeObjects) -> Shaped<()> {
    let cluster = meta.kind == "ClusterRole";
    let mut rules = Vec::new();
    for item in map_list(node, "rules")? {
        rules.push(RuleAt {
            rule: PolicyRule {
                verbs: str_list(item, "verbs")?,
                api_groups: str_list(item, "apiGroups")?,
                resources: str_list(item, "resources")?,
                resource_names: str_list(item, "resourceNames")?,
                non_resource_urls: str_list(item, "nonResourceURLs")?,
            },
            line: Some(item.line),
        });
    }
    let aggregation = match opt_map(node, "aggregationRule")? {
        Some(agg) => {
            let mut selectors = Vec::new();
            for sel in map_list(agg, "clusterRoleSelectors")? {
                selectors.push(label_selector(sel)?);
            }
            Some(selectors)
        }
        None => None,
    };
    kube.roles.push(RoleDef {
        meta,
        cluster,
        rules,
        aggregation,
    });
    Ok(())
}

/// A `metav1.LabelSelector` (matchLabels and matchExpressions).
pub fn label_selector(node: &Node) -> Shaped<LabelSelector> {
    let match_labels = string_map(node, "matchLabels")?;
    let mut match_expressions = Vec::new();
    for expr in map_list(node, "matchExpressions")? {
        match_expressions.push(LabelExpression {
            key: opt_str(expr, "key")?.unwrap_or_default(),
            operator: opt_str(expr, "operator")?.unwrap_or_default(),
            values: str_list(expr, "values")?,
        });
    }
    Ok(LabelSelector {
        match_labels,
        match_expressions,
    })
}

pub fn binding(node: &Node, meta: Meta, kube: &mut KubeObjects) -> Shaped<()> {
    let cluster = meta.kind == "ClusterRoleBinding";
    let role_ref = match opt_map(node, "roleRef")? {
        Some(r) => RoleRef {
            kind: opt_str(r, "kind")?.unwrap_or_default(),
            name: opt_str(r, "name")?.unwrap_or_default(),
        },
        None => RoleRef {
            kind: String::new(),
            name: String::new(),
        },
    };
    let mut subjects = Vec::new();
    for s in map_list(node, "subjects")? {
        let kind = opt_str(s, "kind")?.unwrap_or_default();
        let mut namespace = opt_str(s, "namespace")?.filter(|ns| !ns.is_empty());
        if kind == "ServiceAccount" && namespace.is_none() {
            namespace.clone_from(&meta.namespace);
        }
        subjects.push(SubjectRef {
            kind,
            name: opt_str(s, "name")?.unwrap_or_default(),
            namespace,
        });
    }
    kube.bindings.push(Binding {
        meta,
        cluster,
        role_ref,
        subjects,
    });
    Ok(())
}
