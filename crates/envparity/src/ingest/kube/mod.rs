//! Kubernetes objects → the model: read each document's identity (`apiVersion`, `kind`,
//! `metadata`), unwrap `List`s, and dispatch on API group and kind to one lowering per kind.
//! Objects of other kinds are kept as [`OtherObject`]s; a known kind of the wrong shape is a
//! warning and the object is skipped.

mod crds;
mod data;
mod network;
mod rbac;
mod workload;

pub use data::decode_base64;

use std::borrow::Cow;

use super::node::{Shaped, opt_map, opt_str, string_map};
use super::yaml::{Node, Value};
use crate::model::{Diagnostic, Fingerprinter, KubeObjects, Level, Meta, OtherObject, Provenance};

/// What the documents of one file gave.
#[derive(Debug, Default)]
pub struct Lowered {
    /// Kubernetes objects found (of any kind, `List` items counted one by one).
    pub objects: usize,
    /// Of which audit Policies.
    pub audit_policies: usize,
    /// Lines of non-empty documents that are not Kubernetes objects.
    pub not_objects: Vec<u32>,
}

/// Where lowering writes: the snapshot's objects and diagnostics.
pub struct Sink<'a> {
    pub path: &'a str,
    pub fingerprinter: &'a Fingerprinter,
    pub kube: &'a mut KubeObjects,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

/// Lowers every document of one file.
pub fn lower_documents(docs: &[Node], sink: &mut Sink<'_>) -> Lowered {
    let mut lowered = Lowered::default();
    for doc in docs {
        if doc.value == Value::Null {
            continue;
        }
        if !lower_object(doc, sink, &mut lowered) {
            lowered.not_objects.push(doc.line);
        }
    }
    lowered
}

/// True when some document has `apiVersion` and `kind`: a manifest, not a config file.
pub fn has_objects(docs: &[Node]) -> bool {
    docs.iter()
        .any(|d| d.text_at("apiVersion").is_some() && d.text_at("kind").is_some())
}

/// Lowers one object (or `List`); false when the node is not a Kubernetes object.
fn lower_object(node: &Node, sink: &mut Sink<'_>, lowered: &mut Lowered) -> bool {
    let (Some(api_version), Some(kind)) = (node.text_at("apiVersion"), node.text_at("kind")) else {
        return false;
    };
    if kind.ends_with("List")
        && let Some(Node {
            value: Value::Seq(items),
            ..
        }) = node.get("items")
    {
        for item in items {
            if !lower_object(item, sink, lowered) {
                sink.diagnostics.push(Diagnostic::new(
                    Level::Warning,
                    sink.path,
                    Some(item.line),
                    format!("skipped an item of `{kind}` that is not a Kubernetes object"),
                ));
            }
        }
        return true;
    }
    lowered.objects += 1;
    let meta = match read_meta(node, &kind, &api_version, sink.path) {
        Ok(meta) => meta,
        Err(e) => {
            skip_warning(sink, &kind, "", &e);
            return true;
        }
    };
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let result = dispatch(group, node, meta.clone(), sink, lowered);
    if let Err(e) = result {
        skip_warning(sink, &kind, &meta.qualified_name(), &e);
    }
    true
}

fn dispatch(
    group: &str,
    node: &Node,
    meta: Meta,
    sink: &mut Sink<'_>,
    lowered: &mut Lowered,
) -> Shaped<()> {
    let kube = &mut *sink.kube;
    let fp = sink.fingerprinter;
    match (group, meta.kind.as_ref()) {
        ("", "ServiceAccount") => rbac::service_account(node, meta, kube),
        ("rbac.authorization.k8s.io", "Role" | "ClusterRole") => rbac::role(node, meta, kube),
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => {
            rbac::binding(node, meta, kube)
        }
        ("", "Secret") => data::secret(node, meta, fp, kube),
        ("", "ConfigMap") => data::config_map(node, meta, fp, kube),
        ("", "Namespace") => {
            kube.namespaces.push(meta);
            Ok(())
        }
        ("", "Pod" | "ReplicationController")
        | ("apps" | "extensions", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        | ("batch", "Job" | "CronJob") => workload::workload(node, meta, fp, kube),
        ("networking.k8s.io" | "extensions", "NetworkPolicy") => {
            network::network_policy(node, meta, kube)
        }
        ("networking.k8s.io" | "extensions", "Ingress") => network::ingress(node, meta, kube),
        ("cert-manager.io" | "certmanager.k8s.io", "Issuer" | "ClusterIssuer") => {
            crds::issuer(node, meta, kube)
        }
        ("cert-manager.io" | "certmanager.k8s.io", "Certificate") => {
            crds::certificate(node, meta, kube)
        }
        ("monitoring.coreos.com", "PrometheusRule") => crds::prometheus_rule(node, meta, kube),
        ("external-secrets.io", "ExternalSecret") => crds::external_secret(node, meta, kube),
        ("bitnami.com", "SealedSecret") => crds::sealed_secret(node, meta, kube),
        ("audit.k8s.io", "Policy") => {
            lowered.audit_policies += 1;
            crds::audit_policy(node, meta, kube)
        }
        _ => {
            kube.other.push(OtherObject { meta });
            Ok(())
        }
    }
}

/// Kinds and API versions held without a copy per object.
const KINDS: &[&str] = &[
    "ClusterRole",
    "ClusterRoleBinding",
    "ConfigMap",
    "CronJob",
    "DaemonSet",
    "Deployment",
    "Ingress",
    "Job",
    "Namespace",
    "NetworkPolicy",
    "Pod",
    "PrometheusRule",
    "ReplicaSet",
    "Role",
    "RoleBinding",
    "Secret",
    "Service",
    "ServiceAccount",
    "StatefulSet",
];
const API_VERSIONS: &[&str] = &[
    "apps/v1",
    "batch/v1",
    "monitoring.coreos.com/v1",
    "networking.k8s.io/v1",
    "rbac.authorization.k8s.io/v1",
    "v1",
];

/// `text` borrowed from `table` when it is there, else copied.
fn known(text: &str, table: &[&'static str]) -> Cow<'static, str> {
    match table.binary_search(&text) {
        Ok(at) => Cow::Borrowed(table[at]),
        Err(_) => Cow::Owned(text.to_string()),
    }
}

fn read_meta(node: &Node, kind: &str, api_version: &str, path: &str) -> Shaped<Meta> {
    let mut meta = Meta {
        kind: known(kind, KINDS),
        api_version: known(api_version, API_VERSIONS),
        provenance: Provenance::new(path, Some(node.line)),
        ..Meta::default()
    };
    if let Some(metadata) = opt_map(node, "metadata")? {
        meta.name = match opt_str(metadata, "name")? {
            Some(name) => name,
            None => opt_str(metadata, "generateName")?.unwrap_or_default(),
        };
        meta.namespace = opt_str(metadata, "namespace")?.filter(|ns| !ns.is_empty());
        meta.labels = string_map(metadata, "labels")?;
        meta.annotations = string_map(metadata, "annotations")?;
    }
    Ok(meta)
}

fn skip_warning(sink: &mut Sink<'_>, kind: &str, name: &str, error: &super::node::ShapeError) {
    let what = if name.is_empty() {
        format!("`{kind}`")
    } else {
        format!("`{kind}` `{name}`")
    };
    sink.diagnostics.push(Diagnostic::new(
        Level::Warning,
        sink.path,
        Some(error.line),
        format!("skipped {what}: {error}"),
    ));
}
