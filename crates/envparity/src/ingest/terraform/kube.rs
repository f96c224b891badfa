//! `kubernetes_*` resources → the manifests they stand for, lowered by the Kubernetes
//! manifest reader itself, so they give exactly the objects a rendered manifest gives:
//! ServiceAccounts, Roles, ClusterRoles, their bindings, Secrets (data only as keyed
//! fingerprints), ConfigMaps and Namespaces. Before apply, a namespace or role name taken
//! from another resource is followed through the configuration's references; an object
//! whose identity or rules stay unknown is withheld with a warning (a binding to a withheld
//! role then reads as `access-unknown`).

use super::super::kube::{Sink, lower_documents};
use super::super::node::Shaped;
use super::super::yaml::{Node, Value};
use super::Lowering;
use super::attrs::{Field, View};
use super::document::Resource;
use super::kube_rbac;

/// Terraform type (without `_v1`) → (apiVersion, kind).
const KINDS: &[(&str, &str, &str)] = &[
    ("kubernetes_service_account", "v1", "ServiceAccount"),
    ("kubernetes_role", "rbac.authorization.k8s.io/v1", "Role"),
    (
        "kubernetes_cluster_role",
        "rbac.authorization.k8s.io/v1",
        "ClusterRole",
    ),
    (
        "kubernetes_role_binding",
        "rbac.authorization.k8s.io/v1",
        "RoleBinding",
    ),
    (
        "kubernetes_cluster_role_binding",
        "rbac.authorization.k8s.io/v1",
        "ClusterRoleBinding",
    ),
    ("kubernetes_secret", "v1", "Secret"),
    ("kubernetes_config_map", "v1", "ConfigMap"),
    ("kubernetes_namespace", "v1", "Namespace"),
];

fn kind_of(r: &Resource<'_>) -> Option<(&'static str, &'static str)> {
    let base = r.kind.strip_suffix("_v1").unwrap_or(&r.kind);
    KINDS
        .iter()
        .find(|(t, _, _)| *t == base)
        .map(|(_, api, kind)| (*api, *kind))
}

pub fn handles(r: &Resource<'_>) -> bool {
    !r.data && kind_of(r).is_some()
}

pub fn lower(lw: &mut Lowering<'_, '_>) {
    let resources = lw.resources;
    for r in resources.iter().filter(|r| !r.data) {
        let Some((api, kind)) = kind_of(r) else {
            continue;
        };
        match manifest(lw, r, api, kind) {
            Ok(Some((node, sensitive_config))) => {
                let before = lw.snapshot.kube.config_maps.len();
                let mut sink = Sink {
                    path: lw.path,
                    fingerprinter: lw.fingerprinter,
                    kube: &mut lw.snapshot.kube,
                    diagnostics: &mut lw.snapshot.diagnostics,
                };
                lw.objects += lower_documents(std::slice::from_ref(&node), &mut sink).objects;
                // ConfigMap entries Terraform marks sensitive are held as secrets are.
                if let Some(map) = lw.snapshot.kube.config_maps.get_mut(before) {
                    for entry in &mut map.entries {
                        if let Some((key, raw)) =
                            sensitive_config.iter().find(|(k, _)| *k == entry.key)
                        {
                            entry.value = lw.fingerprinter.secret_literal(key, raw);
                        }
                    }
                }
            }
            Ok(None) => {}
            Err(e) => lw.skipped(r, &e),
        }
    }
}

pub(super) fn text(line: u32, text: String) -> Node {
    Node {
        value: Value::String(text),
        line,
    }
}

pub(super) fn map(line: u32, entries: Vec<(&str, Node)>) -> Node {
    Node {
        value: Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        ),
        line,
    }
}

pub(super) fn seq(line: u32, items: Vec<Node>) -> Node {
    Node {
        value: Value::Seq(items),
        line,
    }
}

pub(super) fn strings(line: u32, items: Vec<String>) -> Node {
    seq(line, items.into_iter().map(|s| text(line, s)).collect())
}

/// A name-like attribute: known, or the name of the resource of `kinds` its expression
/// refers to (`metadata[0].name`), or `None` with a warning.
pub(super) fn linked_name(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
    view: &View<'_>,
    kinds: &[&str],
    consequence: &str,
) -> Shaped<Option<String>> {
    match view.text()? {
        Field::Known(name) => Ok(Some(name)),
        Field::Absent => Ok(None),
        Field::Unknown => {
            let found = lw
                .index
                .linked(lw.resources, r, view, kinds)
                .and_then(|at| lw.resources.get(at))
                .and_then(|t| t.values.block("metadata").ok()?.known())
                .and_then(|m| m.string("name").ok()?.known());
            if found.is_none() {
                lw.unknown(r, view, consequence);
            }
            Ok(found)
        }
    }
}

pub(super) const NAMESPACES: &[&str] = &["kubernetes_namespace", "kubernetes_namespace_v1"];

/// A manifest, and the ConfigMap entries Terraform marks sensitive (key, value).
type Manifest = (Node, Vec<(String, String)>);

/// The manifest of one resource, and the ConfigMap entries marked sensitive (key, value);
/// `None` when the object's identity or rules are known only after apply.
fn manifest(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
    api: &str,
    kind: &str,
) -> Shaped<Option<Manifest>> {
    let line = r.line;
    let withheld = "the object is not compared";
    let Field::Known(meta) = r.values.block("metadata")? else {
        lw.unknown(r, &r.values.at("metadata"), withheld);
        return Ok(None);
    };
    let Some(name) = linked_name(lw, r, &meta.at("name"), &[], withheld)? else {
        return Ok(None);
    };
    let mut metadata = vec![("name", text(line, name))];
    let ns_view = meta.at("namespace");
    if ns_view.node.is_some() || ns_view.is_unknown() {
        match linked_name(lw, r, &ns_view, NAMESPACES, withheld)? {
            Some(ns) if !ns.is_empty() => metadata.push(("namespace", text(ns_view.line, ns))),
            Some(_) => {}
            None => return Ok(None),
        }
    }
    for (key, field) in [("labels", "labels"), ("annotations", "annotations")] {
        let entries = meta.string_map(field)?;
        let nodes = entries
            .into_iter()
            .map(|(k, v)| (k, text(line, v)))
            .collect::<Vec<_>>();
        metadata.push((
            key,
            Node {
                value: Value::Map(nodes),
                line,
            },
        ));
    }
    let mut entries = vec![
        ("apiVersion", text(line, api.to_string())),
        ("kind", text(line, kind.to_string())),
        ("metadata", map(line, metadata)),
    ];
    let mut sensitive_config = Vec::new();
    let body = match kind {
        "ServiceAccount" => service_account(r)?,
        "Role" | "ClusterRole" => match kube_rbac::rules(lw, r)? {
            Some(body) => body,
            None => return Ok(None),
        },
        "RoleBinding" | "ClusterRoleBinding" => match kube_rbac::binding(lw, r)? {
            Some(body) => body,
            None => return Ok(None),
        },
        "Secret" => secret(lw, r)?,
        "ConfigMap" => config_map(lw, r, &mut sensitive_config)?,
        _ => Vec::new(),
    };
    entries.extend(body);
    Ok(Some((map(line, entries), sensitive_config)))
}

fn names_of(blocks: Field<Vec<View<'_>>>, line: u32) -> Shaped<Node> {
    let mut items = Vec::new();
    for block in blocks.known().unwrap_or_default() {
        if let Some(name) = block.string("name")?.known() {
            items.push(map(block.line, vec![("name", text(block.line, name))]));
        }
    }
    Ok(seq(line, items))
}

fn service_account(r: &Resource<'_>) -> Shaped<Vec<(&'static str, Node)>> {
    let line = r.line;
    let mut out = vec![
        ("secrets", names_of(r.values.blocks("secret")?, line)?),
        (
            "imagePullSecrets",
            names_of(r.values.blocks("image_pull_secret")?, line)?,
        ),
    ];
    if let Field::Known(automount) = r.values.bool("automount_service_account_token")? {
        out.push((
            "automountServiceAccountToken",
            Node {
                value: Value::Bool(automount),
                line,
            },
        ));
    }
    Ok(out)
}

/// Secret data: `data` holds plain values (the manifest's `stringData`), `binary_data`
/// base64 (the manifest's `data`). Values known only after apply get a placeholder distinct
/// per environment, so they never match the other environment's value.
fn secret(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<Vec<(&'static str, Node)>> {
    let mut out = Vec::new();
    if let Some(kind) = r.values.string("type")?.known().filter(|t| !t.is_empty()) {
        out.push(("type", text(r.line, kind)));
    }
    for (key, field) in [("data", "stringData"), ("binary_data", "data")] {
        let view = r.values.at(key);
        let mut nodes = Vec::new();
        match r.values.entries(key)? {
            Field::Known(entries) => {
                for (k, v) in entries {
                    let value = match v.text()? {
                        Field::Known(value) => value,
                        Field::Unknown => lw.placeholder(r, &v, "known after apply"),
                        Field::Absent => continue,
                    };
                    nodes.push((k, text(v.line, value)));
                }
            }
            Field::Unknown => lw.unknown(r, &view, "the secret's values are not compared"),
            Field::Absent => {}
        }
        out.push((
            field,
            Node {
                value: Value::Map(nodes),
                line: view.line,
            },
        ));
    }
    Ok(out)
}

fn config_map(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
    sensitive: &mut Vec<(String, String)>,
) -> Shaped<Vec<(&'static str, Node)>> {
    let mut out = Vec::new();
    for (key, field) in [("data", "data"), ("binary_data", "binaryData")] {
        let view = r.values.at(key);
        let mut nodes = Vec::new();
        match r.values.entries(key)? {
            Field::Known(entries) => {
                for (k, v) in entries {
                    match v.text()? {
                        Field::Known(value) => {
                            if v.is_sensitive() {
                                sensitive.push((k.clone(), value.clone()));
                            }
                            nodes.push((k, text(v.line, value)));
                        }
                        Field::Unknown => lw.unknown(r, &v, "the entry is not compared"),
                        Field::Absent => {}
                    }
                }
            }
            Field::Unknown => lw.unknown(r, &view, "the entries are not compared"),
            Field::Absent => {}
        }
        out.push((
            field,
            Node {
                value: Value::Map(nodes),
                line: view.line,
            },
        ));
    }
    Ok(out)
}
