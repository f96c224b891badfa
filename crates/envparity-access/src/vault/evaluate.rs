//! The concrete evaluator, written plainly after the servers' `AllowOperation`: the exact rule
//! for the path (for LIST also the path without its trailing `/`), else the highest-priority
//! of the longest matching prefix rule and every matching `+` rule, with the LIST (and
//! OpenBao SCAN) retry without the trailing `/`; then the capability the operation needs,
//! wrapping TTLs and parameters. It is the oracle every witness is re-checked against.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::acl::{Acl, Permissions};
use super::capability::{Capability, Flavor, Operation};
use super::params::{parameters_allow, wrapping_allows};
use super::policy::KeyKind;

/// One request to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    pub operation: Operation,
    /// The API path after `/v1/` (leading `/`s are ignored).
    pub path: String,
    /// The request's data (parameter name → value).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, Value>,
    /// The response-wrapping TTL asked for (`X-Vault-Wrap-TTL`); `None` when not wrapped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrap_ttl: Option<Duration>,
}

impl Request {
    /// A request without parameters or wrapping.
    pub fn new(operation: Operation, path: &str) -> Request {
        Request {
            operation,
            path: path.to_string(),
            parameters: BTreeMap::new(),
            wrap_ttl: None,
        }
    }
}

/// The evaluator's answer: allowed, and whether the matched rule grants root privileges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub root_privs: bool,
}

/// Whether `acl` allows `request`.
pub fn allows(acl: &Acl, request: &Request) -> bool {
    decide(acl, request).allowed
}

/// The full decision for `request`.
pub fn decide(acl: &Acl, request: &Request) -> Decision {
    let denied = |root_privs| Decision {
        allowed: false,
        root_privs,
    };
    if acl.root {
        return Decision {
            allowed: true,
            root_privs: true,
        };
    }
    let op = request.operation;
    if op == Operation::Help {
        return Decision {
            allowed: true,
            root_privs: false,
        };
    }
    let Some((_, _, perms)) = lookup(acl, op, &request.path) else {
        return denied(false);
    };
    let root_privs = perms.capabilities.contains(Capability::Sudo);
    Decision {
        allowed: permits(perms, request, acl.flavor),
        root_privs,
    }
}

/// Whether the matched permissions let `request` through (capability, wrapping, parameters).
pub fn permits(perms: &Permissions, request: &Request, flavor: Flavor) -> bool {
    let op = request.operation;
    let Some(needed) = op.capability(flavor) else {
        return op == Operation::Help;
    };
    if !perms.capabilities.contains(needed) {
        return false;
    }
    if op.capability_only() {
        return true;
    }
    if !wrapping_allows(perms, request.wrap_ttl) {
        return false;
    }
    if op.checks_parameters(flavor) {
        return parameters_allow(perms, &request.parameters, flavor);
    }
    true
}

/// The capabilities the ACL holds on `path`, as the capabilities endpoint reports them
/// (looked up like a LIST): `["root"]` for the root policy, `["deny"]` when nothing.
pub fn capabilities(acl: &Acl, path: &str) -> Vec<String> {
    if acl.root {
        return vec!["root".to_string()];
    }
    let caps = lookup(acl, Operation::List, path)
        .map(|(_, _, p)| p.capabilities)
        .unwrap_or_default();
    // The endpoint's order: sudo, read, list, update, delete, create, patch, then the rest.
    let order = [
        Capability::Sudo,
        Capability::Read,
        Capability::List,
        Capability::Update,
        Capability::Delete,
        Capability::Create,
        Capability::Patch,
        Capability::Scan,
        Capability::Subscribe,
        Capability::Recover,
    ];
    let names: Vec<String> = order
        .iter()
        .filter(|c| caps.contains(**c))
        .map(|c| c.name().to_string())
        .collect();
    if caps.is_deny() || names.is_empty() {
        vec!["deny".to_string()]
    } else {
        names
    }
}

/// The rule that decides `op` on `path`: its kind, key and merged permissions.
pub fn lookup<'a>(
    acl: &'a Acl,
    op: Operation,
    path: &str,
) -> Option<(KeyKind, &'a str, &'a Permissions)> {
    let path = path.trim_start_matches('/');
    let as_list = op.looks_up_as_list(acl.flavor);
    let exact = |p: &str| {
        acl.exact
            .get_key_value(p)
            .map(|(k, e)| (KeyKind::Exact, k.as_str(), &e.permissions))
    };
    if let Some(found) = exact(path) {
        return Some(found);
    }
    let trimmed = path.strip_suffix('/');
    if as_list && let Some(found) = exact(trimmed.unwrap_or(path)) {
        return Some(found);
    }
    let retry = if as_list { trimmed } else { None };
    match acl.flavor {
        Flavor::Vault => retry
            .and_then(|t| non_exact(acl, t))
            .or_else(|| non_exact(acl, path)),
        Flavor::OpenBao => non_exact(acl, path).or_else(|| retry.and_then(|t| non_exact(acl, t))),
    }
}

/// A candidate of the non-exact lookup, ordered by priority (greater wins): later first
/// wildcard or glob, not a prefix, fewer `+` segments, longer, lexicographically greater.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Priority<'a> {
    first_wildcard: usize,
    not_prefix: bool,
    fewer_wildcards: std::cmp::Reverse<usize>,
    length: usize,
    path: &'a str,
}

/// `CheckAllowedFromNonExactPaths`: the longest prefix rule and every matching `+` rule, the
/// one of highest priority.
fn non_exact<'a>(acl: &'a Acl, path: &str) -> Option<(KeyKind, &'a str, &'a Permissions)> {
    let prefix = longest_prefix(acl, path);
    if acl.segment.is_empty() {
        return prefix.map(|(k, p)| (KeyKind::Prefix, k, p));
    }
    let mut best: Option<(Priority<'a>, KeyKind, &'a str, &'a Permissions)> = None;
    let mut offer = |priority: Priority<'a>, kind, key: &'a str, perms| {
        if best.as_ref().is_none_or(|(b, ..)| priority > *b) {
            best = Some((priority, kind, key, perms));
        }
    };
    if let Some((key, perms)) = prefix {
        let priority = Priority {
            first_wildcard: key.len(),
            not_prefix: false,
            fewer_wildcards: std::cmp::Reverse(0),
            length: key.len(),
            path: key,
        };
        offer(priority, KeyKind::Prefix, key, perms);
    }
    let parts: Vec<&str> = path.split('/').collect();
    for (full, entry) in &acl.segment {
        if let Some(priority) = segment_match(full, &parts) {
            offer(priority, KeyKind::Segment, full, &entry.permissions);
        }
    }
    best.map(|(_, kind, key, perms)| (kind, key, perms))
}

fn longest_prefix<'a>(acl: &'a Acl, path: &str) -> Option<(&'a str, &'a Permissions)> {
    if acl.prefix.is_empty() {
        return None;
    }
    (0..=path.len())
        .rev()
        .filter(|end| path.is_char_boundary(*end))
        .find_map(|end| {
            acl.prefix
                .get_key_value(&path[..end])
                .map(|(k, e)| (k.as_str(), &e.permissions))
        })
}

/// Whether the `+` pattern `full` matches the path split at `/`, with its priority.
fn segment_match<'a>(full: &'a str, parts: &[&str]) -> Option<Priority<'a>> {
    if full.is_empty() {
        return None;
    }
    let first_wildcard = full.find('+').unwrap_or(0);
    let (body, is_prefix) = match full.strip_suffix('*') {
        Some(body) => (body, true),
        None => (full, false),
    };
    let count = body.split('/').count();
    if parts.len() < count || (!is_prefix && count != parts.len()) {
        return None;
    }
    let mut wildcards = 0;
    for (i, (acl_part, part)) in body.split('/').zip(parts).enumerate() {
        let matches = if acl_part == "+" {
            wildcards += 1;
            true
        } else {
            acl_part == *part || (is_prefix && i + 1 == count && part.starts_with(acl_part))
        };
        if !matches {
            return None;
        }
    }
    Some(Priority {
        first_wildcard,
        not_prefix: !is_prefix,
        fewer_wildcards: std::cmp::Reverse(wildcards),
        length: body.len(),
        path: body,
    })
}
