//! Kubernetes objects as envparity needs them: RBAC, service accounts, workloads, secrets,
//! config, network policies, ingresses, cert-manager, alert rules and audit policies.

use std::borrow::Cow;
use std::sync::Arc;

use envparity_access::k8s::PolicyRule;
use serde::Serialize;

use super::Literal;
use super::{Provenance, StringMap};

/// All Kubernetes objects of one environment, in input order (sorted later where needed).
#[derive(Debug, Clone, Default, Serialize)]
pub struct KubeObjects {
    pub service_accounts: Vec<ServiceAccount>,
    /// Roles and ClusterRoles.
    pub roles: Vec<RoleDef>,
    /// RoleBindings and ClusterRoleBindings.
    pub bindings: Vec<Binding>,
    pub secrets: Vec<SecretObject>,
    pub config_maps: Vec<ConfigMapObject>,
    pub workloads: Vec<Workload>,
    pub network_policies: Vec<NetworkPolicyObject>,
    pub ingresses: Vec<IngressObject>,
    pub issuers: Vec<IssuerObject>,
    pub certificates: Vec<CertificateObject>,
    pub alert_rules: Vec<AlertRule>,
    pub secret_store_refs: Vec<SecretStoreRef>,
    pub audit_policies: Vec<AuditPolicy>,
    /// Namespace objects seen (names).
    pub namespaces: Vec<Meta>,
    /// Objects of recognised Kubernetes shape whose kind envparity does not model (counted,
    /// listed in the inventory, never compared).
    pub other: Vec<OtherObject>,
}

impl KubeObjects {
    /// Gives back the room left by growing the lists while reading: at 100k objects the
    /// doubling growth left tens of megabytes unused for the whole comparison.
    pub fn shrink_to_fit(&mut self) {
        self.service_accounts.shrink_to_fit();
        self.roles.shrink_to_fit();
        self.bindings.shrink_to_fit();
        self.secrets.shrink_to_fit();
        self.config_maps.shrink_to_fit();
        self.workloads.shrink_to_fit();
        self.network_policies.shrink_to_fit();
        self.ingresses.shrink_to_fit();
        self.issuers.shrink_to_fit();
        self.certificates.shrink_to_fit();
        self.alert_rules.shrink_to_fit();
        self.secret_store_refs.shrink_to_fit();
        self.audit_policies.shrink_to_fit();
        self.namespaces.shrink_to_fit();
        self.other.shrink_to_fit();
    }
}

/// The identifying part of an object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Meta {
    /// Borrowed for the kinds and API versions envparity knows (no copy per object).
    pub kind: Cow<'static, str>,
    pub api_version: Cow<'static, str>,
    /// `None` for cluster-scoped objects (and namespaced ones written without a namespace).
    pub namespace: Option<String>,
    pub name: String,
    pub labels: StringMap,
    pub annotations: StringMap,
    pub provenance: Provenance,
}

impl Meta {
    /// `namespace/name`, or `name` for cluster-scoped objects (the contract's subject form).
    pub fn qualified_name(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}/{}", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherObject {
    pub meta: Meta,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceAccount {
    pub meta: Meta,
    pub automount_token: Option<bool>,
    pub secrets: Vec<String>,
    pub image_pull_secrets: Vec<String>,
}

/// A rule with the line it was written on.
#[derive(Debug, Clone, Serialize)]
pub struct RuleAt {
    pub rule: PolicyRule,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleDef {
    pub meta: Meta,
    /// True for a ClusterRole.
    pub cluster: bool,
    pub rules: Vec<RuleAt>,
    /// `aggregationRule.clusterRoleSelectors` of a ClusterRole.
    pub aggregation: Option<Vec<LabelSelector>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct LabelSelector {
    pub match_labels: StringMap,
    pub match_expressions: Vec<LabelExpression>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct LabelExpression {
    pub key: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`.
    pub operator: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleRef {
    /// `Role` or `ClusterRole`.
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SubjectRef {
    /// `ServiceAccount`, `User` or `Group`.
    pub kind: String,
    pub name: String,
    /// For ServiceAccounts: the subject's namespace (defaulted to the binding's when empty).
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Binding {
    pub meta: Meta,
    /// True for a ClusterRoleBinding.
    pub cluster: bool,
    pub role_ref: RoleRef,
    pub subjects: Vec<SubjectRef>,
}

/// One entry of a Secret's `data`/`stringData`: the value only as a keyed fingerprint.
#[derive(Debug, Clone, Serialize)]
pub struct SecretEntry {
    pub key: String,
    pub value: Literal,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecretObject {
    pub meta: Meta,
    pub secret_type: String,
    pub entries: Vec<SecretEntry>,
}

/// One entry of a ConfigMap's `data`.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigEntry {
    pub key: String,
    pub value: Literal,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfigMapObject {
    pub meta: Meta,
    pub entries: Vec<ConfigEntry>,
}

/// Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod.
#[derive(Debug, Clone, Serialize)]
pub struct Workload {
    pub meta: Meta,
    /// `serviceAccountName` (Kubernetes defaults it to `default`).
    pub service_account: Option<String>,
    pub automount_token: Option<bool>,
    pub replicas: Option<i64>,
    pub containers: Vec<Container>,
    pub projected_tokens: Vec<ProjectedToken>,
    /// Secrets mounted as volumes.
    pub secret_volumes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Container {
    pub name: String,
    pub image: Option<String>,
    pub env: Vec<EnvVar>,
    pub env_from: Vec<EnvFrom>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvVar {
    pub name: String,
    pub source: EnvSource,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum EnvSource {
    Literal {
        value: Literal,
    },
    SecretKeyRef {
        name: String,
        key: String,
    },
    ConfigMapKeyRef {
        name: String,
        key: String,
    },
    /// `fieldRef` / `resourceFieldRef`.
    Field {
        path: String,
    },
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum EnvFrom {
    Secret { name: String },
    ConfigMap { name: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectedToken {
    pub audience: Option<String>,
    pub expiration_seconds: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NetworkPolicyObject {
    pub meta: Meta,
    pub pod_selector: LabelSelector,
    /// `Ingress`, `Egress`, as written or defaulted by Kubernetes' rules.
    pub policy_types: Vec<String>,
    pub ingress: Vec<NetworkRule>,
    pub egress: Vec<NetworkRule>,
}

/// One ingress or egress rule: an empty `peers` list means every peer, an empty `ports` list
/// every port.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct NetworkRule {
    pub peers: Vec<NetworkPeer>,
    pub ports: Vec<NetworkPort>,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct NetworkPeer {
    pub pod_selector: Option<LabelSelector>,
    pub namespace_selector: Option<LabelSelector>,
    pub ip_block: Option<IpBlock>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct IpBlock {
    pub cidr: String,
    pub except: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct NetworkPort {
    /// `TCP` (default), `UDP`, `SCTP`.
    pub protocol: String,
    /// A number or a named port; `None` means every port.
    pub port: Option<String>,
    pub end_port: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IngressObject {
    pub meta: Meta,
    pub class: Option<String>,
    pub hosts: Vec<String>,
    pub tls: Vec<IngressTls>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IngressTls {
    pub hosts: Vec<String>,
    pub secret_name: Option<String>,
}

/// A cert-manager Issuer or ClusterIssuer.
#[derive(Debug, Clone, Serialize)]
pub struct IssuerObject {
    pub meta: Meta,
    pub cluster: bool,
    pub issuer: IssuerKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum IssuerKind {
    Acme { server: String },
    Ca { secret_name: String },
    SelfSigned,
    Vault { server: String, path: String },
    Other { name: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct CertificateObject {
    pub meta: Meta,
    pub issuer_kind: String,
    pub issuer_name: String,
    pub dns_names: Vec<String>,
    pub secret_name: Option<String>,
    pub duration: Option<String>,
    pub key_algorithm: Option<String>,
    pub key_size: Option<i64>,
}

/// One alerting rule of a PrometheusRule (recording rules are not detection rules).
#[derive(Debug, Clone, Serialize)]
pub struct AlertRule {
    /// The PrometheusRule object holding it (shared by all its alerts).
    pub meta: Arc<Meta>,
    pub group: String,
    pub alert: String,
    pub expr: String,
    pub for_duration: Option<String>,
    pub severity: Option<String>,
    pub line: Option<u32>,
}

/// An ExternalSecret or SealedSecret: the secret comes from a store, not from a literal.
#[derive(Debug, Clone, Serialize)]
pub struct SecretStoreRef {
    pub meta: Meta,
    /// The name of the Kubernetes Secret it produces.
    pub target: String,
    /// `SecretStore/name`, `ClusterSecretStore/name`, or `sealed-secrets`.
    pub store: String,
    /// Remote keys (ExternalSecret) or encrypted data keys (SealedSecret).
    pub keys: Vec<String>,
}

/// A Kubernetes audit policy (`audit.k8s.io/v1` `Policy`).
#[derive(Debug, Clone, Serialize)]
pub struct AuditPolicy {
    pub meta: Meta,
    pub omit_stages: Vec<String>,
    pub rules: Vec<AuditRule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditRule {
    /// `None`, `Metadata`, `Request`, `RequestResponse`.
    pub level: String,
    pub users: Vec<String>,
    pub user_groups: Vec<String>,
    pub verbs: Vec<String>,
    pub namespaces: Vec<String>,
    pub resources: Vec<AuditGroupResources>,
    pub non_resource_urls: Vec<String>,
    pub omit_stages: Vec<String>,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditGroupResources {
    pub group: String,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
}
