//! Auth-method roles as `vault read -format=json auth/<mount>/role/<name>` prints them: the
//! role's settings under `data`. The output does not say which role it is, so the mount and
//! name come from the JSON when it carries them (`mount`, and `role` or `name`, beside
//! `data`; or `role_name` inside it), else from the file name `auth-<mount>-role-<name>.json`.

use std::collections::BTreeMap;

use envparity_access::vault::parse_duration_second;

use super::super::yaml::{Node, Value};
use crate::model::{Provenance, VaultRole};

/// Keys only a role has (a bare `policies` or `ttl` is also in token lookups).
pub const ROLE_KEYS: [&str; 14] = [
    "token_policies",
    "token_ttl",
    "token_max_ttl",
    "token_period",
    "token_type",
    "token_no_default_policy",
    "bound_service_account_names",
    "bound_service_account_namespaces",
    "bound_claims",
    "bound_audiences",
    "bound_subject",
    "role_type",
    "user_claim",
    "bind_secret_id",
];

/// Mount and name from a file name `auth-<mount>-role-<name>.<ext>`.
pub fn from_file_name(file: &str) -> Option<(String, String)> {
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let rest = stem.strip_prefix("auth-")?;
    let (mount, name) = rest.split_once("-role-")?;
    (!mount.is_empty() && !name.is_empty()).then(|| (mount.to_string(), name.to_string()))
}

/// Lowers the role settings in `data`; `mount` and `name` already decided.
pub fn lower(data: &Node, mount: &str, name: &str, path: &str) -> (VaultRole, Vec<String>) {
    let mut warnings = Vec::new();
    let mut role = VaultRole {
        mount: mount.trim_matches('/').to_string(),
        name: name.to_string(),
        provenance: Provenance::new(path, Some(data.line)),
        ..VaultRole::default()
    };
    for (key, value) in data.entries().unwrap_or_default() {
        role.lines.insert(key.clone(), value.line);
    }
    role.role_type = text(data, "role_type");
    role.token_type = text(data, "token_type");
    role.user_claim = text(data, "user_claim");
    role.bound_subject = text(data, "bound_subject").filter(|s| !s.is_empty());
    for key in ["token_policies", "policies"] {
        for policy in strings(data, key) {
            if !role.policies.contains(&policy) {
                role.policies.push(policy);
            }
        }
    }
    role.no_default_policy = matches!(
        data.get("token_no_default_policy").map(|n| &n.value),
        Some(Value::Bool(true))
    );
    let mut ttl = |keys: &[&str]| -> Option<u64> {
        let (key, node) = keys.iter().find_map(|k| data.get(k).map(|n| (*k, n)))?;
        match seconds(node) {
            Some(s) => Some(s).filter(|s| *s > 0),
            None => {
                warnings.push(format!("`{key}` is not a duration; ignored"));
                None
            }
        }
    };
    role.token_ttl = ttl(&["token_ttl", "ttl"]);
    role.token_max_ttl = ttl(&["token_max_ttl", "max_ttl"]);
    role.token_period = ttl(&["token_period", "period"]);
    role.token_explicit_max_ttl = ttl(&["token_explicit_max_ttl"]);
    role.bound_service_account_names = strings(data, "bound_service_account_names");
    role.bound_service_account_namespaces = strings(data, "bound_service_account_namespaces");
    role.bound_audiences = strings(data, "bound_audiences");
    role.bound_claims = claims(data);
    (role, warnings)
}

fn text(node: &Node, key: &str) -> Option<String> {
    node.get(key).and_then(Node::text)
}

/// A list of strings; a string is a comma-separated list (as the API accepts it).
fn strings(node: &Node, key: &str) -> Vec<String> {
    match node.get(key).map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().filter_map(Node::text).collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// `bound_claims`: each claim's value as a list (a comma-separated string is split, as the
/// server does by default).
fn claims(node: &Node) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for (claim, value) in node
        .get("bound_claims")
        .and_then(Node::entries)
        .unwrap_or_default()
    {
        let values: Vec<String> = match &value.value {
            Value::Seq(items) => items.iter().filter_map(Node::text).collect(),
            Value::Null => Vec::new(),
            _ => value
                .text()
                .map(|s| s.split(',').map(|p| p.trim().to_string()).collect())
                .unwrap_or_default(),
        };
        out.insert(claim.clone(), values);
    }
    out
}

/// A TTL in seconds: a number, or a duration string (`1h`, `3600`).
fn seconds(node: &Node) -> Option<u64> {
    match &node.value {
        Value::Int(i) => u64::try_from(*i).ok(),
        Value::Float(f) if f.is_finite() && *f >= 0.0 => Some(f.trunc() as u64),
        Value::String(s) => {
            let ttl = parse_duration_second(s)?;
            u64::try_from(ttl.0 / 1_000_000_000).ok()
        }
        Value::Null => Some(0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_mount_and_role() {
        assert_eq!(
            from_file_name("auth-kubernetes-role-payments.json"),
            Some(("kubernetes".into(), "payments".into()))
        );
        assert_eq!(
            from_file_name("auth-k8s-eu-role-api-role-x.json"),
            Some(("k8s-eu".into(), "api-role-x".into()))
        );
        assert_eq!(from_file_name("payments.json"), None);
        assert_eq!(from_file_name("auth--role-x.json"), None);
    }
}
