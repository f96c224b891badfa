//! ACL policies: the `path` rule model and its normalization from the policy's structure
//! (`name`, `path "<pattern>" { capabilities, policy, allowed_parameters, denied_parameters,
//! required_parameters, min_wrapping_ttl, max_wrapping_ttl, ... }`), as the servers' parsers
//! do it: one leading `/` stripped, `+*` refused, legacy `policy = "read"` mapped to
//! capabilities, `deny` collapsing the list, parameter names lower-cased, TTLs parsed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::capability::{Capabilities, Capability};
use super::duration::{Ttl, parse_duration_second};

/// How a normalized pattern is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyKind {
    /// The request path must equal the key.
    Exact,
    /// A trailing `*`: the request path must start with the key (stored without the `*`).
    Prefix,
    /// Has `+` segments (`+`, `+/...`, `.../+...`); a trailing `*` is kept in the key.
    Segment,
}

/// One `path` block after normalization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathRule {
    /// The pattern as written, one leading `/` stripped (a trailing `*` kept).
    pub pattern: String,
    pub capabilities: Capabilities,
    /// Lower-cased parameter name → accepted values (empty: any value).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub allowed_parameters: BTreeMap<String, Vec<Value>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub denied_parameters: BTreeMap<String, Vec<Value>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required_parameters: Vec<String>,
    #[serde(skip_serializing_if = "Ttl::is_unset")]
    pub min_wrapping_ttl: Ttl,
    #[serde(skip_serializing_if = "Ttl::is_unset")]
    pub max_wrapping_ttl: Ttl,
    /// Settings the ACL evaluator does not decide (`mfa_methods`, `control_group`,
    /// `pagination_limit`, ...): key → canonical JSON of each value.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extras: BTreeMap<String, BTreeSet<String>>,
}

impl PathRule {
    /// A rule granting `capabilities` on `pattern` and nothing more (leading `/` stripped).
    pub fn new(pattern: &str, capabilities: &[Capability]) -> PathRule {
        let pattern = pattern.strip_prefix('/').unwrap_or(pattern);
        let mut caps = Capabilities::of(capabilities);
        if caps.is_deny() {
            caps = Capabilities::only(Capability::Deny);
        }
        PathRule {
            pattern: pattern.to_string(),
            capabilities: caps,
            allowed_parameters: BTreeMap::new(),
            denied_parameters: BTreeMap::new(),
            required_parameters: Vec::new(),
            min_wrapping_ttl: Ttl::default(),
            max_wrapping_ttl: Ttl::default(),
            extras: BTreeMap::new(),
        }
    }

    /// The lookup kind and key of the pattern.
    pub fn key(&self) -> (KeyKind, String) {
        key_of(&self.pattern)
    }

    /// Whether the pattern uses identity templating (`{{identity.entity.id}}`), which the
    /// server resolves per token.
    pub fn templated(&self) -> bool {
        self.pattern.contains("{{")
    }
}

/// The lookup kind and key of a normalized pattern.
pub fn key_of(pattern: &str) -> (KeyKind, String) {
    let segment = pattern == "+" || pattern.contains("/+") || pattern.starts_with("+/");
    if segment {
        (KeyKind::Segment, pattern.to_string())
    } else if let Some(base) = pattern.strip_suffix('*') {
        (KeyKind::Prefix, base.to_string())
    } else {
        (KeyKind::Exact, pattern.to_string())
    }
}

/// A named ACL policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub name: String,
    pub rules: Vec<PathRule>,
}

/// Why a policy could not be read: one line, naming the `path` block where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub path: Option<String>,
    pub message: String,
}

impl PolicyError {
    fn at(path: &str, message: impl Into<String>) -> PolicyError {
        PolicyError {
            path: Some(path.to_string()),
            message: message.into(),
        }
    }

    fn top(message: impl Into<String>) -> PolicyError {
        PolicyError {
            path: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "path `{}`: {}", one_line(path), self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A user value for a one-line message: control characters (line breaks) escaped.
pub fn one_line(value: &str) -> String {
    value
        .chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

impl std::error::Error for PolicyError {}

/// Keys a `path` block may hold (Vault's and OpenBao's together).
const RULE_KEYS: [&str; 14] = [
    "comment",
    "policy",
    "capabilities",
    "allowed_parameters",
    "denied_parameters",
    "required_parameters",
    "min_wrapping_ttl",
    "max_wrapping_ttl",
    "mfa_methods",
    "control_group",
    "pagination_limit",
    "list_scan_response_keys_filter_path",
    "expiration",
    "subscribe_event_types",
];

/// Settings kept as extras (not decided by the evaluator).
const EXTRA_KEYS: [&str; 6] = [
    "mfa_methods",
    "control_group",
    "pagination_limit",
    "list_scan_response_keys_filter_path",
    "expiration",
    "subscribe_event_types",
];

/// Normalizes one `path` block: `pattern` as written in the block's label, `fields` its
/// attributes (values in JSON form).
pub fn parse_rule(pattern: &str, fields: &[(String, Value)]) -> Result<PathRule, PolicyError> {
    let get = |key: &str| fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v);
    if let Some((key, _)) = fields
        .iter()
        .find(|(k, _)| !RULE_KEYS.contains(&k.as_str()))
    {
        return Err(PolicyError::at(
            pattern,
            format!("invalid key `{}`", one_line(key)),
        ));
    }
    let normalized = pattern.strip_prefix('/').unwrap_or(pattern);
    if normalized.contains("+*") {
        return Err(PolicyError::at(
            pattern,
            "invalid use of wildcards (`+*` is forbidden)",
        ));
    }
    let mut names: Vec<String> = match get("capabilities") {
        None | Some(Value::Null) => Vec::new(),
        Some(value) => strings(value)
            .ok_or_else(|| PolicyError::at(pattern, "`capabilities` must be a list of strings"))?,
    };
    if let Some(policy) = get("policy") {
        let legacy: &[&str] = match policy.as_str() {
            Some("deny") => &["deny"],
            Some("read") => &["read", "list"],
            Some("write") => &["create", "read", "update", "delete", "list"],
            Some("sudo") => &["create", "read", "update", "delete", "list", "sudo"],
            _ => {
                let shown = policy.as_str().map_or(policy.to_string(), str::to_string);
                return Err(PolicyError::at(
                    pattern,
                    format!("invalid policy `{}`", one_line(&shown)),
                ));
            }
        };
        if legacy == ["deny"] {
            names = vec!["deny".to_string()];
        } else {
            names.extend(legacy.iter().map(|s| s.to_string()));
        }
    }
    let mut rule = PathRule::new(normalized, &[]);
    for name in &names {
        match Capability::parse(name) {
            Some(Capability::Deny) => {
                rule.capabilities = Capabilities::only(Capability::Deny);
                return Ok(rule);
            }
            Some(c) => rule.capabilities.insert(c),
            None => {
                return Err(PolicyError::at(
                    pattern,
                    format!("invalid capability `{}`", one_line(name)),
                ));
            }
        }
    }
    rule.allowed_parameters = parameters(get("allowed_parameters"), pattern, "allowed_parameters")?;
    rule.denied_parameters = parameters(get("denied_parameters"), pattern, "denied_parameters")?;
    rule.min_wrapping_ttl = ttl(get("min_wrapping_ttl"), pattern, "min_wrapping_ttl")?;
    rule.max_wrapping_ttl = ttl(get("max_wrapping_ttl"), pattern, "max_wrapping_ttl")?;
    if rule.min_wrapping_ttl.is_set()
        && rule.max_wrapping_ttl.is_set()
        && rule.max_wrapping_ttl < rule.min_wrapping_ttl
    {
        return Err(PolicyError::at(
            pattern,
            "`max_wrapping_ttl` cannot be less than `min_wrapping_ttl`",
        ));
    }
    if let Some(value) = get("required_parameters").filter(|v| !v.is_null()) {
        rule.required_parameters = strings(value).ok_or_else(|| {
            PolicyError::at(pattern, "`required_parameters` must be a list of strings")
        })?;
    }
    for key in EXTRA_KEYS {
        if let Some(value) = get(key).filter(|v| !v.is_null()) {
            let values: BTreeSet<String> = match value {
                Value::Array(items) => items.iter().map(Value::to_string).collect(),
                other => BTreeSet::from([other.to_string()]),
            };
            rule.extras.insert(key.to_string(), values);
        }
    }
    Ok(rule)
}

/// A list of strings (a single string counts as a list of one).
fn strings(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

/// `allowed_parameters` / `denied_parameters`: a mapping (or a list of mappings, as HCL's JSON
/// form writes blocks) of names to value lists; a single value counts as a list of one.
fn parameters(
    value: Option<&Value>,
    pattern: &str,
    field: &str,
) -> Result<BTreeMap<String, Vec<Value>>, PolicyError> {
    let mut out = BTreeMap::new();
    let maps: Vec<&serde_json::Map<String, Value>> = match value {
        None | Some(Value::Null) => return Ok(out),
        Some(Value::Object(map)) => vec![map],
        Some(Value::Array(items)) if items.iter().all(Value::is_object) => {
            items.iter().filter_map(Value::as_object).collect()
        }
        Some(_) => {
            return Err(PolicyError::at(
                pattern,
                format!("`{field}` must map parameter names to lists of values"),
            ));
        }
    };
    for map in maps {
        for (name, values) in map {
            let list = match values {
                Value::Array(items) => items.clone(),
                Value::Null => Vec::new(),
                one => vec![one.clone()],
            };
            out.insert(name.to_lowercase(), list);
        }
    }
    Ok(out)
}

fn ttl(value: Option<&Value>, pattern: &str, field: &str) -> Result<Ttl, PolicyError> {
    let bad = |shown: String| {
        PolicyError::at(
            pattern,
            format!("`{field}` is not a duration: `{}`", one_line(&shown)),
        )
    };
    match value {
        None | Some(Value::Null) => Ok(Ttl::default()),
        Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Ok(Ttl::seconds(i)),
            (None, Some(f)) if f.is_finite() => Ok(Ttl::seconds(f.trunc() as i64)),
            _ => Err(bad(n.to_string())),
        },
        Some(Value::String(s)) => parse_duration_second(s).ok_or_else(|| bad(s.clone())),
        Some(other) => Err(bad(other.to_string())),
    }
}

/// Reads a policy from its JSON form: `{"name": ..., "path": {"<pattern>": {...}}}` (or
/// `"path"` as a list of such mappings). `name` defaults to `default_name`.
pub fn parse_policy_json(default_name: &str, doc: &Value) -> Result<Policy, PolicyError> {
    let Some(map) = doc.as_object() else {
        return Err(PolicyError::top(
            "a policy must be a mapping with `path` rules",
        ));
    };
    if let Some(key) = map.keys().find(|k| *k != "name" && *k != "path") {
        return Err(PolicyError::top(format!("invalid key `{}`", one_line(key))));
    }
    let name = match map.get("name") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(PolicyError::top("`name` must be a string")),
        None => default_name.to_string(),
    };
    let blocks: Vec<&serde_json::Map<String, Value>> = match map.get("path") {
        None => Vec::new(),
        Some(Value::Object(paths)) => vec![paths],
        Some(Value::Array(items)) if items.iter().all(Value::is_object) => {
            items.iter().filter_map(Value::as_object).collect()
        }
        Some(_) => return Err(PolicyError::top("`path` must map patterns to rules")),
    };
    let mut rules = Vec::new();
    for paths in blocks {
        for (pattern, body) in paths {
            let bodies: Vec<&serde_json::Map<String, Value>> = match body {
                Value::Object(fields) => vec![fields],
                Value::Array(items) if items.iter().all(Value::is_object) => {
                    items.iter().filter_map(Value::as_object).collect()
                }
                _ => return Err(PolicyError::at(pattern, "a rule must be a mapping")),
            };
            for fields in bodies {
                let fields: Vec<(String, Value)> =
                    fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                rules.push(parse_rule(pattern, &fields)?);
            }
        }
    }
    Ok(Policy { name, rules })
}
