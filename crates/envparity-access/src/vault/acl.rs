//! The ACL of a token: several policies merged per identical lookup key, exactly as the
//! servers' `NewACL` does. Merging happens only between rules of the very same key: a `deny`
//! there wins (and clears the parameter maps), otherwise capabilities are OR-ed, the smaller
//! non-zero wrapping TTLs win, parameter value lists are concatenated (an empty list, "any
//! value", absorbs), required parameters are united. Rules of different keys are never
//! merged: the lookup picks one of them (see `evaluate`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::capability::{Capabilities, Capability, Flavor};
use super::duration::Ttl;
use super::policy::{KeyKind, PathRule, Policy};

/// What the rules of one key grant, merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Permissions {
    pub capabilities: Capabilities,
    pub min_wrapping_ttl: Ttl,
    pub max_wrapping_ttl: Ttl,
    pub allowed_parameters: BTreeMap<String, Vec<Value>>,
    pub denied_parameters: BTreeMap<String, Vec<Value>>,
    pub required_parameters: Vec<String>,
    pub extras: BTreeMap<String, BTreeSet<String>>,
}

impl Permissions {
    fn of(rule: &PathRule) -> Permissions {
        Permissions {
            capabilities: rule.capabilities,
            min_wrapping_ttl: rule.min_wrapping_ttl,
            max_wrapping_ttl: rule.max_wrapping_ttl,
            allowed_parameters: rule.allowed_parameters.clone(),
            denied_parameters: rule.denied_parameters.clone(),
            required_parameters: rule.required_parameters.clone(),
            extras: rule.extras.clone(),
        }
    }

    /// `NewACL`'s merge of a further rule for the same key.
    fn merge(&mut self, rule: &PathRule) {
        if self.capabilities.is_deny() {
            return;
        }
        if rule.capabilities.is_deny() {
            self.capabilities = Capabilities::only(Capability::Deny);
            self.allowed_parameters.clear();
            self.denied_parameters.clear();
            return;
        }
        self.capabilities = self.capabilities.union(rule.capabilities);
        let smaller = |mine: &mut Ttl, theirs: Ttl| {
            if theirs.0 > 0 && (mine.0 == 0 || theirs.0 < mine.0) {
                *mine = theirs;
            }
        };
        smaller(&mut self.max_wrapping_ttl, rule.max_wrapping_ttl);
        smaller(&mut self.min_wrapping_ttl, rule.min_wrapping_ttl);
        merge_values(&mut self.allowed_parameters, &rule.allowed_parameters);
        merge_values(&mut self.denied_parameters, &rule.denied_parameters);
        for name in &rule.required_parameters {
            if !self.required_parameters.contains(name) {
                self.required_parameters.push(name.clone());
            }
        }
        for (key, values) in &rule.extras {
            self.extras
                .entry(key.clone())
                .or_default()
                .extend(values.iter().cloned());
        }
    }

    /// The same requests pass both permissions' wrapping and parameter checks (the
    /// capabilities aside): the rules are the same up to order and duplicates.
    pub fn same_constraints(&self, other: &Permissions) -> bool {
        self.min_wrapping_ttl == other.min_wrapping_ttl
            && self.max_wrapping_ttl == other.max_wrapping_ttl
            && normalized_values(&self.allowed_parameters)
                == normalized_values(&other.allowed_parameters)
            && normalized_values(&self.denied_parameters)
                == normalized_values(&other.denied_parameters)
            && normalized_names(&self.required_parameters)
                == normalized_names(&other.required_parameters)
    }

    /// No wrapping or parameter rule: every request with the capability passes.
    pub fn unconstrained(&self) -> bool {
        !self.min_wrapping_ttl.is_set()
            && !self.max_wrapping_ttl.is_set()
            && self.allowed_parameters.is_empty()
            && self.denied_parameters.is_empty()
            && self.required_parameters.is_empty()
    }

    /// No parameter rule (wrapping aside).
    pub fn parameters_unconstrained(&self) -> bool {
        self.allowed_parameters.is_empty()
            && self.denied_parameters.is_empty()
            && self.required_parameters.is_empty()
    }
}

/// Concatenates value lists per name; an empty list on either side yields an empty list.
fn merge_values(into: &mut BTreeMap<String, Vec<Value>>, from: &BTreeMap<String, Vec<Value>>) {
    for (name, values) in from {
        match into.get_mut(name) {
            Some(existing) if existing.is_empty() => {}
            Some(_) if values.is_empty() => {
                into.insert(name.clone(), Vec::new());
            }
            Some(existing) => {
                let mut merged = values.clone();
                merged.append(existing);
                *existing = merged;
            }
            None => {
                into.insert(name.clone(), values.clone());
            }
        }
    }
}

fn normalized_values(map: &BTreeMap<String, Vec<Value>>) -> BTreeMap<&str, BTreeSet<String>> {
    map.iter()
        .map(|(k, v)| (k.as_str(), v.iter().map(Value::to_string).collect()))
        .collect()
}

fn normalized_names(names: &[String]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_lowercase()).collect()
}

/// One lookup key with its merged permissions and the policies that wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub permissions: Permissions,
    pub policies: BTreeSet<String>,
}

/// Why an ACL cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclError(pub String);

impl fmt::Display for AclError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AclError {}

/// The merged rules of a token's policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acl {
    pub flavor: Flavor,
    /// The `root` policy: everything is allowed.
    pub root: bool,
    pub exact: BTreeMap<String, Entry>,
    /// Keys without the trailing `*`.
    pub prefix: BTreeMap<String, Entry>,
    /// Keys with `+` segments, a trailing `*` kept.
    pub segment: BTreeMap<String, Entry>,
    /// The policies, as given (for renaming).
    #[serde(skip)]
    pub policies: Vec<Policy>,
}

impl Acl {
    /// Merges `policies` in order. A policy named `root` must be alone.
    pub fn new(policies: &[Policy], flavor: Flavor) -> Result<Acl, AclError> {
        let mut acl = Acl {
            flavor,
            root: false,
            exact: BTreeMap::new(),
            prefix: BTreeMap::new(),
            segment: BTreeMap::new(),
            policies: policies.to_vec(),
        };
        for policy in policies {
            if policy.name == "root" {
                if policies.len() != 1 {
                    return Err(AclError(
                        "the `root` policy cannot be combined with other policies".into(),
                    ));
                }
                acl.root = true;
            }
            for rule in &policy.rules {
                let (kind, key) = rule.key();
                let map = match kind {
                    KeyKind::Exact => &mut acl.exact,
                    KeyKind::Prefix => &mut acl.prefix,
                    KeyKind::Segment => &mut acl.segment,
                };
                match map.get_mut(&key) {
                    Some(entry) => {
                        entry.permissions.merge(rule);
                        entry.policies.insert(policy.name.clone());
                    }
                    None => {
                        let entry = Entry {
                            permissions: Permissions::of(rule),
                            policies: BTreeSet::from([policy.name.clone()]),
                        };
                        map.insert(key, entry);
                    }
                }
            }
        }
        Ok(acl)
    }

    /// Every key with its kind, in a stable order.
    pub fn keys(&self) -> impl Iterator<Item = (KeyKind, &str, &Entry)> {
        let exact = self
            .exact
            .iter()
            .map(|(k, e)| (KeyKind::Exact, k.as_str(), e));
        let prefix = self
            .prefix
            .iter()
            .map(|(k, e)| (KeyKind::Prefix, k.as_str(), e));
        let segment = self
            .segment
            .iter()
            .map(|(k, e)| (KeyKind::Segment, k.as_str(), e));
        exact.chain(prefix).chain(segment)
    }

    /// The same keys with the same permissions (policy names aside).
    pub fn same_rules(&self, other: &Acl) -> bool {
        let perms = |acl: &Acl| -> Vec<(KeyKind, String, Permissions)> {
            acl.keys()
                .map(|(kind, key, entry)| (kind, key.to_string(), entry.permissions.clone()))
                .collect()
        };
        self.root == other.root && perms(self) == perms(other)
    }
}
