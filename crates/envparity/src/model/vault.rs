//! HashiCorp Vault / OpenBao facts of one environment: ACL policies (each `path` rule with the
//! line it was written on) and auth-method roles (the policies their tokens get, token TTLs,
//! and what may log in: Kubernetes service accounts and namespaces, JWT/OIDC claims).

use std::collections::BTreeMap;

use envparity_access::vault::PathRule;
use serde::Serialize;

use super::Provenance;

#[derive(Debug, Clone, Default, Serialize)]
pub struct VaultObjects {
    pub policies: Vec<VaultPolicy>,
    pub roles: Vec<VaultRole>,
}

impl VaultObjects {
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty() && self.roles.is_empty()
    }

    /// Names correlation may learn environment tokens from: policies, roles, mounts and the
    /// identities roles are bound to.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.policies.iter().map(|p| p.name.clone()).collect();
        for role in &self.roles {
            names.push(role.qualified_name());
            names.extend(role.bound_service_account_namespaces.iter().cloned());
        }
        names.sort();
        names.dedup();
        names
    }
}

/// One ACL policy.
#[derive(Debug, Clone, Serialize)]
pub struct VaultPolicy {
    pub name: String,
    pub rules: Vec<VaultRule>,
    /// Where the policy is defined (its first line).
    pub provenance: Provenance,
}

/// One `path` block, normalized, where it was written.
#[derive(Debug, Clone, Serialize)]
pub struct VaultRule {
    pub rule: PathRule,
    pub provenance: Provenance,
}

/// An auth-method role (`vault read auth/<mount>/role/<name>`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct VaultRole {
    /// The auth mount path without `auth/` (`kubernetes`, `jwt`, `approle`).
    pub mount: String,
    pub name: String,
    /// `role_type` of JWT/OIDC roles (`jwt`, `oidc`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_type: Option<String>,
    /// `token_policies` and the legacy `policies`, in order, without duplicates.
    pub policies: Vec<String>,
    /// `token_no_default_policy`: the `default` policy is not attached.
    pub no_default_policy: bool,
    /// TTLs in seconds (`token_ttl`/`ttl`, `token_max_ttl`/`max_ttl`,
    /// `token_period`/`period`, `token_explicit_max_ttl`); `None` when unset or 0.
    pub token_ttl: Option<u64>,
    pub token_max_ttl: Option<u64>,
    pub token_period: Option<u64>,
    pub token_explicit_max_ttl: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bound_service_account_names: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bound_service_account_namespaces: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bound_audiences: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound_subject: Option<String>,
    /// `bound_claims`: claim → accepted values.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub bound_claims: BTreeMap<String, Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_claim: Option<String>,
    /// Where the role is defined.
    pub provenance: Provenance,
    /// The line of each field read, for evidence.
    #[serde(skip)]
    pub lines: BTreeMap<String, u32>,
}

impl VaultRole {
    /// `auth/<mount>/role/<name>`.
    pub fn qualified_name(&self) -> String {
        format!("auth/{}/role/{}", self.mount, self.name)
    }

    /// The provenance of field `key` (its own line when known).
    pub fn at(&self, key: &str) -> Provenance {
        Provenance::new(
            &self.provenance.path,
            self.lines.get(key).copied().or(self.provenance.line),
        )
    }

    /// Every identity the role admits, as `kind value` pairs (service accounts, namespaces,
    /// subject, audiences, claims).
    pub fn bindings(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut push = |kind: &str, values: &[String]| {
            out.extend(values.iter().map(|v| (kind.to_string(), v.clone())));
        };
        push(
            "bound_service_account_names",
            &self.bound_service_account_names,
        );
        push(
            "bound_service_account_namespaces",
            &self.bound_service_account_namespaces,
        );
        push("bound_audiences", &self.bound_audiences);
        if let Some(subject) = &self.bound_subject {
            push("bound_subject", std::slice::from_ref(subject));
        }
        for (claim, values) in &self.bound_claims {
            push(&format!("bound_claims.{claim}"), values);
        }
        out
    }
}
