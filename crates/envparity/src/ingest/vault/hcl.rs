//! Vault policies written in HCL: the top-level `name` attribute and `path "<pattern>" { ... }`
//! blocks, parsed with `hcl-rs`'s span-keeping parser so that every rule keeps its line.
//! Attribute values become JSON (nested blocks, as older policies write `allowed_parameters
//! { ... }`, become objects) and are normalized by the engine's rule parser.

use std::ops::Range;

use envparity_access::vault::{PolicyError, parse_rule};
use hcl::edit::Span;
use hcl::edit::structure::{Block, Body, Structure};
use serde_json::{Map, Value};

/// A policy read from text: its name (when it says one), rules with their lines.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPolicy {
    pub name: Option<String>,
    /// The line of `name`, or 1.
    pub line: u32,
    pub rules: Vec<(envparity_access::vault::PathRule, u32)>,
}

/// Why a policy could not be read: one line, with the line of the input where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    pub line: Option<u32>,
    pub message: String,
}

/// Whether HCL text is a Vault policy: it has `path` blocks (or is nothing but `name`).
pub fn is_policy(body: &Body) -> bool {
    let mut any_path = false;
    for structure in body.iter() {
        match structure {
            Structure::Block(b) if b.ident.as_str() == "path" => any_path = true,
            Structure::Attribute(a) if a.key.as_str() == "name" => {}
            _ => return any_path,
        }
    }
    any_path
}

/// Parses HCL text. `Ok(None)` when it is HCL but not a Vault policy.
pub fn parse(text: &str) -> Result<Option<ParsedPolicy>, TextError> {
    let body: Body = text.parse().map_err(|e: hcl::edit::parser::Error| {
        let location = e.location();
        TextError {
            line: u32::try_from(location.line()).ok(),
            message: format!(
                "invalid HCL at line {} column {}: {}",
                location.line(),
                location.column(),
                e.message()
            ),
        }
    })?;
    if !is_policy(&body) {
        return Ok(None);
    }
    let lines = Lines::new(text);
    let mut policy = ParsedPolicy {
        name: None,
        line: 1,
        rules: Vec::new(),
    };
    for structure in body.iter() {
        let line = lines.of(structure.span());
        match structure {
            Structure::Attribute(a) if a.key.as_str() == "name" => {
                match json(&a.value) {
                    Value::String(name) => policy.name = Some(name),
                    _ => return Err(at(line, "`name` must be a string".into())),
                }
                policy.line = line.unwrap_or(1);
            }
            Structure::Attribute(a) => {
                return Err(at(line, format!("invalid key `{}`", a.key.as_str())));
            }
            Structure::Block(block) if block.ident.as_str() == "path" => {
                let [label] = block.labels.as_slice() else {
                    return Err(at(line, "a `path` block needs exactly one pattern".into()));
                };
                let pattern = label.as_str().to_string();
                let fields = fields(&block.body);
                let rule = parse_rule(&pattern, &fields).map_err(|e| policy_error(line, &e))?;
                policy.rules.push((rule, line.unwrap_or(1)));
            }
            Structure::Block(block) => {
                return Err(at(line, format!("invalid key `{}`", block.ident.as_str())));
            }
        }
    }
    Ok(Some(policy))
}

fn at(line: Option<u32>, message: String) -> TextError {
    TextError { line, message }
}

fn policy_error(line: Option<u32>, e: &PolicyError) -> TextError {
    at(line, e.to_string())
}

/// A block body's attributes (and nested blocks, as objects) as JSON fields, in order.
fn fields(body: &Body) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(a) => out.push((a.key.as_str().to_string(), json(&a.value))),
            Structure::Block(b) => out.push((b.ident.as_str().to_string(), block_json(b))),
        }
    }
    out
}

/// A nested block as an object: `factor "ops" { ... }` → `{"ops": {...}}`.
fn block_json(block: &Block) -> Value {
    let mut value = Value::Object(fields(&block.body).into_iter().collect::<Map<_, _>>());
    for label in block.labels.iter().rev() {
        let mut wrapper = Map::new();
        wrapper.insert(label.as_str().to_string(), value);
        value = Value::Object(wrapper);
    }
    value
}

/// An expression's value as JSON; expressions that are not literals keep their text.
fn json(expr: &hcl::edit::expr::Expression) -> Value {
    let value = hcl::Value::from(hcl::Expression::from(expr.clone()));
    serde_json::to_value(&value).unwrap_or(Value::Null)
}

/// Byte offsets to 1-based line numbers.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    fn of(&self, span: Option<Range<usize>>) -> Option<u32> {
        let offset = span?.start;
        let line = self.starts.partition_point(|s| *s <= offset);
        u32::try_from(line).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_keep_their_lines() {
        let text = "# app policy\nname = \"app\"\n\npath \"secret/data/app/*\" {\n  capabilities = [\"read\", \"list\"]\n}\n\npath \"pki/issue/web\" {\n  capabilities = [\"update\"]\n  allowed_parameters {\n    ttl = [\"1h\"]\n  }\n}\n";
        let policy = parse(text).ok().flatten().expect("a policy");
        assert_eq!(policy.name.as_deref(), Some("app"));
        assert_eq!(policy.line, 2);
        let lines: Vec<u32> = policy.rules.iter().map(|(_, l)| *l).collect();
        assert_eq!(lines, [4, 8]);
        let ttl = &policy.rules[1].0.allowed_parameters["ttl"];
        assert_eq!(ttl, &vec![Value::String("1h".into())]);
    }

    #[test]
    fn errors_name_a_line() {
        let e = parse("path \"a\" {\n  capabilities = [\"read\"\n}\n").err();
        assert!(e.is_some_and(|e| e.line == Some(3) && e.message.starts_with("invalid HCL")));
        let e = parse("path \"a\" {\n  capabilities = [\"read\"]\n}\npath \"b\" {\n  capabilites = [\"read\"]\n}\n").err();
        assert_eq!(
            e,
            Some(TextError {
                line: Some(4),
                message: "path `b`: invalid key `capabilites`".into()
            })
        );
    }

    #[test]
    fn other_hcl_is_not_a_policy() {
        assert_eq!(
            parse("job \"web\" {\n  datacenters = [\"dc1\"]\n}\n"),
            Ok(None)
        );
    }
}
