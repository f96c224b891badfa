//! GCP facts of one environment: allow policies with their bindings (one line each), deny
//! policies, role definitions, the resource hierarchy, service accounts and their keys.
//! Conditions are kept as their CEL text; the access engine interprets them when comparing.

use serde::Serialize;

use super::Provenance;

#[derive(Debug, Clone, Default, Serialize)]
pub struct GcpObjects {
    pub policies: Vec<GcpPolicy>,
    pub deny_policies: Vec<GcpDenyPolicy>,
    pub roles: Vec<GcpRole>,
    /// Resources of the hierarchy with their parent or other names (project numbers).
    pub resources: Vec<GcpResource>,
    pub service_accounts: Vec<GcpServiceAccount>,
    pub keys: Vec<GcpKey>,
    /// Service accounts whose keys were listed (also when the listing has no key).
    pub keys_listed: Vec<String>,
}

impl GcpObjects {
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
            && self.deny_policies.is_empty()
            && self.roles.is_empty()
            && self.resources.is_empty()
            && self.service_accounts.is_empty()
            && self.keys.is_empty()
            && self.keys_listed.is_empty()
    }

    /// Names correlation may learn environment tokens from: projects and service accounts.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        names.extend(self.policies.iter().filter_map(|p| p.resource.clone()));
        names.extend(self.resources.iter().map(|r| r.name.clone()));
        names.extend(self.service_accounts.iter().map(|s| s.email.clone()));
        names.sort();
        names.dedup();
        names
    }
}

/// An allow policy (`get-iam-policy`) and the resource it is attached to.
#[derive(Debug, Clone, Serialize)]
pub struct GcpPolicy {
    /// `projects/<id>`, `folders/<id>`, `organizations/<id>`,
    /// `projects/<id>/serviceAccounts/<email>`; `None` when neither a wrapper nor the file
    /// name says.
    pub resource: Option<String>,
    pub etag: Option<String>,
    pub version: Option<i64>,
    pub bindings: Vec<GcpBinding>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct GcpBinding {
    pub role: String,
    pub members: Vec<String>,
    pub condition: Option<GcpCondition>,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GcpCondition {
    pub expression: String,
    pub title: Option<String>,
}

/// A deny policy (`gcloud iam policies get`); `rules` is `None` when only its metadata was
/// exported (`gcloud iam policies list`).
#[derive(Debug, Clone, Serialize)]
pub struct GcpDenyPolicy {
    pub name: String,
    pub attachment: String,
    pub display_name: Option<String>,
    pub rules: Option<Vec<GcpDenyRule>>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct GcpDenyRule {
    pub denied_principals: Vec<String>,
    pub exception_principals: Vec<String>,
    pub denied_permissions: Vec<String>,
    pub exception_permissions: Vec<String>,
    pub condition: Option<GcpCondition>,
    pub line: Option<u32>,
}

/// A role definition; `permissions` is `None` for a role listed without them
/// (`gcloud iam roles list`).
#[derive(Debug, Clone, Serialize)]
pub struct GcpRole {
    pub name: String,
    pub title: Option<String>,
    pub stage: Option<String>,
    pub permissions: Option<Vec<String>>,
    pub deleted: bool,
    pub provenance: Provenance,
}

/// A resource of the hierarchy.
#[derive(Debug, Clone, Serialize)]
pub struct GcpResource {
    pub name: String,
    pub parent: Option<String>,
    /// Other names of the resource (`projects/<number>`).
    pub aliases: Vec<String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct GcpServiceAccount {
    pub email: String,
    pub project_id: Option<String>,
    pub unique_id: Option<String>,
    pub display_name: Option<String>,
    pub disabled: bool,
    pub provenance: Provenance,
}

/// A service-account key as `keys list` shows it (never key material).
#[derive(Debug, Clone, Serialize)]
pub struct GcpKey {
    pub service_account: String,
    pub key_id: String,
    /// `USER_MANAGED` or `SYSTEM_MANAGED`.
    pub key_type: String,
    pub valid_after: Option<String>,
    pub valid_before: Option<String>,
    pub disabled: bool,
    pub provenance: Provenance,
}

/// The project of a service account e-mail (`x@<project>.iam.gserviceaccount.com`,
/// `<project>@appspot.gserviceaccount.com`).
pub fn service_account_project(email: &str) -> Option<&str> {
    let (local, domain) = email.split_once('@')?;
    if let Some(project) = domain.strip_suffix(".iam.gserviceaccount.com") {
        return Some(project);
    }
    (domain == "appspot.gserviceaccount.com").then_some(local)
}

impl GcpKey {
    pub fn user_managed(&self) -> bool {
        self.key_type == "USER_MANAGED" && !self.disabled
    }
}
