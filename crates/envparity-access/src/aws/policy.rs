//! IAM policy documents: the statement model and the parser from JSON (`Version`, `Statement`
//! with `Sid`, `Effect`, `Action`/`NotAction`, `Resource`/`NotResource`,
//! `Principal`/`NotPrincipal`, `Condition`).

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::trust::PrincipalKind;

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Policy variables (`${aws:username}`) are substituted: `Version` is `2012-10-17`. With
    /// `Version` missing or `2008-10-17`, `${...}` is literal text.
    pub variables: bool,
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: patterns, and whether the statement
/// applies to values matching none of them (`Not...`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Targets {
    pub negated: bool,
    pub patterns: Vec<String>,
}

/// `Principal`/`NotPrincipal` (trust and resource policies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principals {
    pub negated: bool,
    pub entries: Vec<(PrincipalKind, String)>,
}

/// One `operator: { key: values }` entry of a `Condition` block. Operator and key as written;
/// values as strings (JSON numbers and booleans are written out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// Position in the document, counted from 1.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub actions: Targets,
    /// `None` when the statement has neither `Resource` nor `NotResource` (trust policies);
    /// evaluated as `Resource: "*"`.
    pub resources: Option<Targets>,
    pub principals: Option<Principals>,
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// `statement 2 (`AllowS3`)`, for messages.
    pub fn label(&self) -> String {
        label(self.index, self.sid.as_deref())
    }
}

fn label(index: usize, sid: Option<&str>) -> String {
    match sid {
        Some(sid) if !sid.is_empty() => format!("statement {index} (`{sid}`)"),
        _ => format!("statement {index}"),
    }
}

/// Why a document is not a policy: one line naming the statement and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PolicyError {}

fn error(message: impl Into<String>) -> PolicyError {
    PolicyError {
        message: message.into(),
    }
}

const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

/// Parses a policy document (`{"Version": ..., "Statement": [...]}`; `Statement` may be a
/// single object).
pub fn parse_policy(doc: &Value) -> Result<Policy, PolicyError> {
    let Some(object) = doc.as_object() else {
        return Err(error("a policy document must be a JSON object"));
    };
    for key in object.keys() {
        if !["Version", "Id", "Statement"].contains(&key.as_str()) {
            return Err(error(format!("unknown policy key `{key}`")));
        }
    }
    let variables = match object.get("Version") {
        None => false,
        Some(Value::String(v)) if v == "2008-10-17" => false,
        Some(Value::String(v)) if v == "2012-10-17" => true,
        Some(Value::String(v)) => return Err(error(format!("unknown policy `Version` `{v}`"))),
        Some(_) => return Err(error("`Version` must be a string")),
    };
    let statements = match object.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(item @ Value::Object(_)) => vec![item],
        Some(_) => return Err(error("`Statement` must be an object or a list of objects")),
        None => return Err(error("the policy has no `Statement`")),
    };
    let statements = statements
        .into_iter()
        .enumerate()
        .map(|(i, s)| parse_statement(i + 1, s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Policy {
        variables,
        statements,
    })
}

fn parse_statement(index: usize, value: &Value) -> Result<Statement, PolicyError> {
    let Some(object) = value.as_object() else {
        return Err(error(format!("statement {index}: must be an object")));
    };
    let sid = match object.get("Sid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(error(format!("statement {index}: `Sid` must be a string"))),
    };
    let at = label(index, sid.as_deref());
    let fail = |what: String| error(format!("{at}: {what}"));
    for key in object.keys() {
        if !STATEMENT_KEYS.contains(&key.as_str()) {
            return Err(fail(format!("unknown key `{key}`")));
        }
    }
    let effect = match object.get("Effect") {
        Some(Value::String(e)) if e == "Allow" => Effect::Allow,
        Some(Value::String(e)) if e == "Deny" => Effect::Deny,
        Some(Value::String(e)) => return Err(fail(format!("unknown `Effect` `{e}`"))),
        Some(_) => return Err(fail("`Effect` must be a string".into())),
        None => return Err(fail("has no `Effect`".into())),
    };
    let actions = targets(object, "Action", "NotAction").map_err(&fail)?;
    let Some(actions) = actions else {
        return Err(fail("has neither `Action` nor `NotAction`".into()));
    };
    let resources = targets(object, "Resource", "NotResource").map_err(&fail)?;
    let principals = principals(object).map_err(&fail)?;
    let conditions = match object.get("Condition") {
        None => Vec::new(),
        Some(Value::Object(block)) => conditions(block).map_err(&fail)?,
        Some(_) => return Err(fail("`Condition` must be an object".into())),
    };
    Ok(Statement {
        index,
        sid,
        effect,
        actions,
        resources,
        principals,
        conditions,
    })
}

fn string_list(value: &Value, key: &str) -> Result<Vec<String>, String> {
    let bad = || format!("`{key}` must be a string or a list of strings");
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string).ok_or_else(bad))
            .collect(),
        _ => Err(bad()),
    }
}

fn targets(
    object: &Map<String, Value>,
    positive: &str,
    negative: &str,
) -> Result<Option<Targets>, String> {
    match (object.get(positive), object.get(negative)) {
        (Some(_), Some(_)) => Err(format!("has both `{positive}` and `{negative}`")),
        (Some(v), None) => Ok(Some(Targets {
            negated: false,
            patterns: string_list(v, positive)?,
        })),
        (None, Some(v)) => Ok(Some(Targets {
            negated: true,
            patterns: string_list(v, negative)?,
        })),
        (None, None) => Ok(None),
    }
}

fn principals(object: &Map<String, Value>) -> Result<Option<Principals>, String> {
    let (key, value, negated) = match (object.get("Principal"), object.get("NotPrincipal")) {
        (Some(_), Some(_)) => return Err("has both `Principal` and `NotPrincipal`".into()),
        (Some(v), None) => ("Principal", v, false),
        (None, Some(v)) => ("NotPrincipal", v, true),
        (None, None) => return Ok(None),
    };
    let mut entries = Vec::new();
    match value {
        Value::String(s) if s == "*" => entries.push((PrincipalKind::Any, "*".to_string())),
        Value::Object(map) => {
            for (kind_name, values) in map {
                let kind = match kind_name.as_str() {
                    "AWS" => PrincipalKind::Aws,
                    "Service" => PrincipalKind::Service,
                    "Federated" => PrincipalKind::Federated,
                    "CanonicalUser" => PrincipalKind::CanonicalUser,
                    other => return Err(format!("unknown `{key}` type `{other}`")),
                };
                for v in string_list(values, &format!("{key}.{kind_name}"))? {
                    let kind = if kind == PrincipalKind::Aws && v == "*" {
                        PrincipalKind::Any
                    } else {
                        kind
                    };
                    entries.push((kind, v));
                }
            }
        }
        _ => return Err(format!("`{key}` must be `*` or an object")),
    }
    Ok(Some(Principals { negated, entries }))
}

fn condition_values(value: &Value, key: &str) -> Result<Vec<String>, String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let bad = || format!("condition values of `{key}` must be strings, numbers or booleans");
    match value {
        Value::Array(items) => items.iter().map(|i| one(i).ok_or_else(bad)).collect(),
        other => one(other).map(|v| vec![v]).ok_or_else(bad),
    }
}

fn conditions(block: &Map<String, Value>) -> Result<Vec<Condition>, String> {
    let mut out = Vec::new();
    for (operator, entries) in block {
        let Value::Object(entries) = entries else {
            return Err(format!("condition `{operator}` must map keys to values"));
        };
        for (key, values) in entries {
            out.push(Condition {
                operator: operator.clone(),
                key: key.clone(),
                values: condition_values(values, key)?,
            });
        }
    }
    Ok(out)
}
