//! The JSON that `gcloud … --format=json` prints, read into the engine's types: allow
//! policies (`get-iam-policy`), deny policies (`iam policies get`, or `list` without rules),
//! role definitions (`iam roles describe`). Errors are one line naming what was expected.

use std::fmt;

use serde_json::Value;

use super::types::{AllowPolicy, Binding, Condition, DenyPolicy, DenyRule, Role};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError(pub String);

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PolicyError {}

fn err<T>(message: String) -> Result<T, PolicyError> {
    Err(PolicyError(message))
}

fn strings(value: Option<&Value>, what: &str) -> Result<Vec<String>, PolicyError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                _ => err(format!("`{what}` must be a list of strings")),
            })
            .collect(),
        Some(_) => err(format!("`{what}` must be a list of strings")),
    }
}

fn condition(value: Option<&Value>, what: &str) -> Result<Option<Condition>, PolicyError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => match map.get("expression") {
            Some(Value::String(e)) => Ok(Some(Condition {
                expression: e.clone(),
                title: map.get("title").and_then(Value::as_str).map(str::to_string),
            })),
            _ => err(format!("`{what}` has no `expression` string")),
        },
        Some(_) => err(format!("`{what}` must be an object")),
    }
}

/// An allow policy (`{"bindings": [...], "etag": ..., "version": ...}`) attached to
/// `resource`.
pub fn parse_allow_policy(resource: &str, value: &Value) -> Result<AllowPolicy, PolicyError> {
    let Value::Object(map) = value else {
        return err("an IAM policy must be a JSON object".to_string());
    };
    let items = match map.get("bindings") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => return err("`bindings` must be a list".to_string()),
    };
    let mut bindings = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let what = format!("binding {}", i + 1);
        let Some(role) = item.get("role").and_then(Value::as_str) else {
            return err(format!("{what} has no `role` string"));
        };
        bindings.push(Binding {
            role: role.to_string(),
            members: strings(item.get("members"), &format!("{what}: members"))?,
            condition: condition(item.get("condition"), &format!("{what}: condition"))?,
            origin: i,
        });
    }
    Ok(AllowPolicy {
        resource: resource.to_string(),
        bindings,
    })
}

/// Decodes `%XX` escapes (the attachment point inside a deny policy's name).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The resource a deny policy is attached to, from its name
/// (`policies/cloudresourcemanager.googleapis.com%2Fprojects%2F123/denypolicies/x`).
pub fn deny_attachment(name: &str) -> Option<String> {
    let rest = name.strip_prefix("policies/")?;
    let (encoded, _) = rest.split_once("/denypolicies/")?;
    let decoded = percent_decode(encoded);
    let relative = decoded
        .split_once(".googleapis.com/")
        .map_or(decoded.as_str(), |(_, r)| r);
    Some(relative.to_string())
}

/// A deny policy (`gcloud iam policies get … --format=json`). A policy listed without its
/// `rules` (`gcloud iam policies list`) has `rules: None`.
pub fn parse_deny_policy(value: &Value) -> Result<DenyPolicy, PolicyError> {
    let Some(name) = value.get("name").and_then(Value::as_str) else {
        return err("a deny policy has no `name` string".to_string());
    };
    let Some(attachment) = deny_attachment(name) else {
        return err(format!(
            "deny policy name `{name}` is not of the form `policies/<attachment point>/denypolicies/<id>`"
        ));
    };
    let rules = match value.get("rules") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            let mut rules = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let what = format!("rule {}", i + 1);
                let Some(rule) = item.get("denyRule") else {
                    return err(format!("{what} has no `denyRule`"));
                };
                let list = |key: &str| strings(rule.get(key), &format!("{what}: {key}"));
                rules.push(DenyRule {
                    denied_principals: list("deniedPrincipals")?,
                    exception_principals: list("exceptionPrincipals")?,
                    denied_permissions: list("deniedPermissions")?,
                    exception_permissions: list("exceptionPermissions")?,
                    condition: condition(
                        rule.get("denialCondition"),
                        &format!("{what}: denialCondition"),
                    )?,
                    origin: i,
                });
            }
            Some(rules)
        }
        Some(_) => return err("`rules` must be a list".to_string()),
    };
    Ok(DenyPolicy {
        name: name.to_string(),
        attachment,
        rules,
    })
}

/// A role definition (`gcloud iam roles describe … --format=json`); `None` for a role listed
/// without its permissions (`gcloud iam roles list`).
pub fn parse_role(value: &Value) -> Result<Option<Role>, PolicyError> {
    let Some(name) = value.get("name").and_then(Value::as_str) else {
        return err("a role has no `name` string".to_string());
    };
    if value.get("includedPermissions").is_none() {
        return Ok(None);
    }
    let permissions = strings(value.get("includedPermissions"), "includedPermissions")?;
    Ok(Some(Role {
        name: name.to_string(),
        permissions: permissions.into_iter().collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deny_attachments() {
        assert_eq!(
            deny_attachment(
                "policies/cloudresourcemanager.googleapis.com%2Fprojects%2F123/denypolicies/x"
            )
            .as_deref(),
            Some("projects/123")
        );
        assert_eq!(
            deny_attachment(
                "policies/cloudresourcemanager.googleapis.com%2Forganizations%2F9/denypolicies/y"
            )
            .as_deref(),
            Some("organizations/9")
        );
        assert_eq!(deny_attachment("denypolicies/x"), None);
    }
}
