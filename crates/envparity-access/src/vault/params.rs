//! Request checks beyond capabilities: response wrapping TTLs and parameters (required,
//! denied, allowed, with the servers' value matching: empty list = any value, `nil` matches
//! only `nil`, strings by `GlobbedStringsMatch`, other values by deep equality; Vault also
//! splits comma-separated strings and matches list values element by element).

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

use super::acl::Permissions;
use super::capability::Flavor;

/// Whether the wrapping TTL (`None`: the response is not wrapped) satisfies the permission's
/// `min_wrapping_ttl` / `max_wrapping_ttl`.
pub fn wrapping_allows(perms: &Permissions, wrap_ttl: Option<Duration>) -> bool {
    let ttl = wrap_ttl.map(|d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX));
    let (min, max) = (
        i128::from(perms.min_wrapping_ttl.0),
        i128::from(perms.max_wrapping_ttl.0),
    );
    if max > 0 && ttl.is_none_or(|t| t > max) {
        return false;
    }
    if min > 0 && ttl.is_none_or(|t| t < min) {
        return false;
    }
    // Possible after merging two rules, even though one rule cannot say it.
    !(min != 0 && max != 0 && max < min)
}

/// Whether the request data passes the permission's parameter rules.
pub fn parameters_allow(
    perms: &Permissions,
    data: &BTreeMap<String, Value>,
    flavor: Flavor,
) -> bool {
    for required in &perms.required_parameters {
        if !data.contains_key(&required.to_lowercase()) {
            return false;
        }
    }
    if data.is_empty() {
        return true;
    }
    if !perms.denied_parameters.is_empty() {
        if perms.denied_parameters.contains_key("*") {
            return false;
        }
        for (name, value) in data {
            if let Some(list) = perms.denied_parameters.get(&name.to_lowercase())
                && value_denied(value, list, flavor)
            {
                return false;
            }
        }
    }
    if perms.allowed_parameters.is_empty() {
        return true;
    }
    let allowed_all = perms.allowed_parameters.contains_key("*");
    if perms.allowed_parameters.len() == 1 && allowed_all {
        return true;
    }
    for (name, value) in data {
        match perms.allowed_parameters.get(&name.to_lowercase()) {
            None if !allowed_all => return false,
            Some(list) if !value_allowed(value, list, flavor) => return false,
            _ => {}
        }
    }
    true
}

fn value_allowed(value: &Value, list: &[Value], flavor: Flavor) -> bool {
    if list.is_empty() || value_in_list(value, list) {
        return true;
    }
    if flavor == Flavor::OpenBao {
        return false;
    }
    match value {
        Value::Array(items) => items.iter().all(|v| value_in_list(v, list)),
        Value::String(s) => comma_split(s)
            .iter()
            .all(|part| value_in_list(&Value::String(part.clone()), list)),
        _ => false,
    }
}

fn value_denied(value: &Value, list: &[Value], flavor: Flavor) -> bool {
    if list.is_empty() || value_in_list(value, list) {
        return true;
    }
    if flavor == Flavor::OpenBao {
        return false;
    }
    match value {
        Value::Array(items) => items.iter().any(|v| value_in_list(v, list)),
        Value::String(s) => comma_split(s)
            .iter()
            .any(|part| value_in_list(&Value::String(part.clone()), list)),
        _ => false,
    }
}

/// Vault's `ParseCommaStringSlice` on a string: empty → no items; otherwise split at commas
/// and trim white space.
fn comma_split(s: &str) -> Vec<String> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split(',').map(|p| p.trim().to_string()).collect()
}

/// The servers' `valueInParameterList` over a non-empty list.
fn value_in_list(value: &Value, list: &[Value]) -> bool {
    list.iter().any(|item| match (item, value) {
        (Value::Null, _) | (_, Value::Null) => item == value,
        (Value::String(pattern), Value::String(v)) => globbed_strings_match(pattern, v),
        (Value::String(_), _) => false,
        _ => item == value,
    })
}

/// `GlobbedStringsMatch`: a leading and/or trailing `*` is a glob; patterns shorter than two
/// bytes are literal (so `*` matches only `*`).
pub fn globbed_strings_match(pattern: &str, value: &str) -> bool {
    if pattern.len() < 2 {
        return pattern == value;
    }
    let (prefix, suffix) = (pattern.starts_with('*'), pattern.ends_with('*'));
    match (prefix, suffix) {
        (true, true) => value.contains(&pattern[1..pattern.len() - 1]),
        (true, false) => value.ends_with(&pattern[1..]),
        (false, true) => value.starts_with(&pattern[..pattern.len() - 1]),
        (false, false) => value == pattern,
    }
}
