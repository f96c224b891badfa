//! RBAC parts of `kubernetes_*` resources as manifest fields: a Role's or ClusterRole's
//! `rule` and `aggregation_rule` blocks, a binding's `role_ref` and `subject` blocks. Names
//! known only after apply are followed to the resource they come from; a role whose rules
//! stay unknown is withheld, and a binding to a role nothing defines keeps a placeholder
//! name, so the subjects' access reads as `access-unknown`.

use super::super::node::Shaped;
use super::super::yaml::{Node, Value};
use super::Lowering;
use super::attrs::Field;
use super::document::Resource;
use super::kube::{NAMESPACES, linked_name, map, seq, strings, text};

pub(super) fn rules(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
) -> Shaped<Option<Vec<(&'static str, Node)>>> {
    let rules_view = r.values.at("rule");
    if rules_view.has_unknown() {
        lw.unknown(
            r,
            &rules_view,
            "the role is not compared, so access through it is unknown",
        );
        return Ok(None);
    }
    let mut items = Vec::new();
    for rule in r.values.blocks("rule")?.known().unwrap_or_default() {
        let list = |key: &str| -> Shaped<Node> {
            Ok(strings(
                rule.line,
                rule.strings(key)?.known().unwrap_or_default(),
            ))
        };
        items.push(map(
            rule.line,
            vec![
                ("apiGroups", list("api_groups")?),
                ("resources", list("resources")?),
                ("resourceNames", list("resource_names")?),
                ("verbs", list("verbs")?),
                ("nonResourceURLs", list("non_resource_urls")?),
            ],
        ));
    }
    let mut out = vec![("rules", seq(r.line, items))];
    if let Field::Known(aggregation) = r.values.block("aggregation_rule")? {
        let mut selectors = Vec::new();
        for selector in aggregation
            .blocks("cluster_role_selectors")?
            .known()
            .unwrap_or_default()
        {
            let labels = selector
                .string_map("match_labels")?
                .into_iter()
                .map(|(k, v)| (k, text(selector.line, v)))
                .collect();
            let mut expressions = Vec::new();
            for e in selector
                .blocks("match_expressions")?
                .known()
                .unwrap_or_default()
            {
                expressions.push(map(
                    e.line,
                    vec![
                        (
                            "key",
                            text(e.line, e.string("key")?.known().unwrap_or_default()),
                        ),
                        (
                            "operator",
                            text(e.line, e.string("operator")?.known().unwrap_or_default()),
                        ),
                        (
                            "values",
                            strings(e.line, e.strings("values")?.known().unwrap_or_default()),
                        ),
                    ],
                ));
            }
            selectors.push(map(
                selector.line,
                vec![
                    (
                        "matchLabels",
                        Node {
                            value: Value::Map(labels),
                            line: selector.line,
                        },
                    ),
                    ("matchExpressions", seq(selector.line, expressions)),
                ],
            ));
        }
        out.push((
            "aggregationRule",
            map(
                aggregation.line,
                vec![("clusterRoleSelectors", seq(aggregation.line, selectors))],
            ),
        ));
    }
    Ok(Some(out))
}

const ROLES: &[&str] = &[
    "kubernetes_role",
    "kubernetes_role_v1",
    "kubernetes_cluster_role",
    "kubernetes_cluster_role_v1",
];
const ACCOUNTS: &[&str] = &[
    "kubernetes_service_account",
    "kubernetes_service_account_v1",
];

pub(super) fn binding(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
) -> Shaped<Option<Vec<(&'static str, Node)>>> {
    let Field::Known(role_ref) = r.values.block("role_ref")? else {
        lw.unknown(r, &r.values.at("role_ref"), "the binding is not compared");
        return Ok(None);
    };
    let name_view = role_ref.at("name");
    let role_name = match linked_name(
        lw,
        r,
        &name_view,
        ROLES,
        "the bound role is unknown, so access through it is unknown",
    )? {
        Some(name) => name,
        // A role name nothing defines: the subjects' access reads as unknown.
        None => lw.placeholder(r, &name_view, "known after apply"),
    };
    let role_kind = role_ref.string("kind")?.known().unwrap_or_default();
    let api_group = role_ref
        .string("api_group")?
        .known()
        .unwrap_or_else(|| "rbac.authorization.k8s.io".to_string());
    let subject_view = r.values.at("subject");
    let mut subjects = Vec::new();
    match r.values.blocks("subject")? {
        Field::Known(items) => {
            for s in items {
                let withheld = "the binding is not compared";
                let Some(name) = linked_name(lw, r, &s.at("name"), ACCOUNTS, withheld)? else {
                    return Ok(None);
                };
                let mut fields = vec![
                    (
                        "kind",
                        text(s.line, s.string("kind")?.known().unwrap_or_default()),
                    ),
                    ("name", text(s.line, name)),
                ];
                let ns = s.at("namespace");
                if ns.node.is_some() || ns.is_unknown() {
                    let Some(ns) = linked_name(lw, r, &ns, NAMESPACES, withheld)? else {
                        return Ok(None);
                    };
                    fields.push(("namespace", text(s.line, ns)));
                }
                if let Some(group) = s.string("api_group")?.known().filter(|g| !g.is_empty()) {
                    fields.push(("apiGroup", text(s.line, group)));
                }
                subjects.push(map(s.line, fields));
            }
        }
        Field::Unknown => {
            lw.unknown(r, &subject_view, "the binding is not compared");
            return Ok(None);
        }
        Field::Absent => {}
    }
    Ok(Some(vec![
        (
            "roleRef",
            map(
                role_ref.line,
                vec![
                    ("apiGroup", text(role_ref.line, api_group)),
                    ("kind", text(role_ref.line, role_kind)),
                    ("name", text(role_ref.line, role_name)),
                ],
            ),
        ),
        ("subjects", seq(subject_view.line, subjects)),
    ]))
}
