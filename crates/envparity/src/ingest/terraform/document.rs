//! The shape of a `terraform show -json` document: whether it is a state or a plan, and its
//! resource instances with everything known about each (values, plan marks, sensitivity,
//! configuration expressions), gathered from the root module and every nested child module.

use std::collections::BTreeMap;

use super::super::node::{ShapeError, Shaped, map_list, opt_map, opt_str};
use super::super::yaml::{Node, Value};
use super::attrs::{Mark, View};
use super::raw;
use super::refs::Configuration;

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `terraform show -json` of a state: `values.root_module`.
    State,
    /// `terraform show -json` of a saved plan: `planned_values` and `resource_changes`.
    Plan,
    /// The state file itself (`terraform.tfstate`, format version 4).
    StateFile,
}

impl Kind {
    /// The format name recorded on the file's source.
    pub fn format(self) -> &'static str {
        match self {
            Kind::State => "terraform-state",
            Kind::Plan => "terraform-plan",
            Kind::StateFile => "terraform-state-file",
        }
    }
}

fn has(doc: &Node, key: &str) -> bool {
    doc.entries()
        .is_some_and(|entries| entries.iter().any(|(k, _)| k == key))
}

/// Which Terraform document `doc` is: it has `format_version`, and `planned_values`,
/// `resource_changes` or `prior_state` (a plan) or `values` (a state); or it is a state file
/// (see [`raw::detect`]).
pub fn detect(doc: &Node) -> Option<Kind> {
    if !has(doc, "format_version") {
        return raw::detect(doc).then_some(Kind::StateFile);
    }
    if ["planned_values", "resource_changes", "prior_state"]
        .iter()
        .any(|k| has(doc, k))
    {
        return Some(Kind::Plan);
    }
    has(doc, "values").then_some(Kind::State)
}

/// One resource instance.
#[derive(Debug, Clone)]
pub struct Resource<'a> {
    /// `module.net.aws_security_group.web[0]`.
    pub address: String,
    /// The module instance holding it (`module.net`), empty for the root module.
    pub module: String,
    /// A data source (`mode` `data`).
    pub data: bool,
    /// The resource type (`aws_iam_role`).
    pub kind: String,
    pub name: String,
    /// The `count` or `for_each` key, as text.
    pub index: Option<String>,
    pub line: u32,
    /// The attribute values (`values` of a state or of a plan's `planned_values`), with the
    /// plan's marks and the configuration's expressions.
    pub values: View<'a>,
}

/// The resources of a document, in document order, and the problems met reading them.
pub struct Collected<'a> {
    pub resources: Vec<Resource<'a>>,
    pub problems: Vec<(String, ShapeError)>,
}

/// Every resource instance of a state's `values` or a plan's `planned_values`, with the
/// plan's `after_unknown`/`after_sensitive` marks and configuration expressions attached (or
/// of a state file, with its sensitivity `marks` from [`raw::marks`]).
pub fn resources<'a>(doc: &'a Node, kind: Kind, marks: &'a [Vec<Option<Node>>]) -> Collected<'a> {
    let mut out = Collected {
        resources: Vec::new(),
        problems: Vec::new(),
    };
    let key = match kind {
        Kind::State => "values",
        Kind::Plan => "planned_values",
        Kind::StateFile => {
            raw::resources(doc, marks, &mut out);
            return out;
        }
    };
    let root = match opt_map(doc, key) {
        Ok(Some(values)) => match opt_map(values, "root_module") {
            Ok(root) => root,
            Err(e) => {
                out.problems.push((format!("`{key}`"), e));
                None
            }
        },
        Ok(None) => None,
        Err(e) => {
            out.problems.push((format!("`{key}`"), e));
            None
        }
    };
    let changes = match kind {
        Kind::Plan => changes(doc, &mut out.problems),
        Kind::State | Kind::StateFile => BTreeMap::new(),
    };
    let configuration = Configuration::new(doc);
    let mut pending: Vec<&Node> = root.into_iter().collect();
    while let Some(module) = pending.pop() {
        match map_list(module, "resources") {
            Ok(items) => {
                for item in items {
                    match resource(item, &changes, &configuration) {
                        Ok(r) => out.resources.push(r),
                        Err(e) => {
                            let address = item.text_at("address").unwrap_or_default();
                            out.problems.push((format!("resource `{address}`"), e));
                        }
                    }
                }
            }
            Err(e) => out.problems.push(("`resources`".to_string(), e)),
        }
        match map_list(module, "child_modules") {
            // Pushed in reverse so that modules are read in document order.
            Ok(children) => pending.extend(children.iter().rev()),
            Err(e) => out.problems.push(("`child_modules`".to_string(), e)),
        }
    }
    out
}

/// A plan's marks per resource address: `after_unknown`, `after_sensitive`.
type Changes<'a> = BTreeMap<String, (Option<&'a Node>, Option<&'a Node>)>;

fn changes<'a>(doc: &'a Node, problems: &mut Vec<(String, ShapeError)>) -> Changes<'a> {
    let mut out = BTreeMap::new();
    let items = match map_list(doc, "resource_changes") {
        Ok(items) => items,
        Err(e) => {
            problems.push(("`resource_changes`".to_string(), e));
            return out;
        }
    };
    for item in items {
        let Some(address) = item.text_at("address") else {
            continue;
        };
        let Some(change) = item.get("change") else {
            continue;
        };
        out.insert(
            address,
            (change.get("after_unknown"), change.get("after_sensitive")),
        );
    }
    out
}

fn resource<'a>(
    item: &'a Node,
    changes: &Changes<'a>,
    configuration: &Configuration<'a>,
) -> Shaped<Resource<'a>> {
    let required = |key: &str| -> Shaped<String> {
        opt_str(item, key)?.ok_or_else(|| ShapeError {
            field: key.to_string(),
            expected: "a string",
            line: item.line,
        })
    };
    let address = required("address")?;
    let kind = required("type")?;
    let name = required("name")?;
    let data = opt_str(item, "mode")?.as_deref() == Some("data");
    let index = match item.get("index").map(|n| &n.value) {
        None => None,
        Some(Value::Int(i)) => Some(i.to_string()),
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(ShapeError {
                field: "index".to_string(),
                expected: "a number or a string",
                line: item.line,
            });
        }
    };
    let values = item.get("values");
    if let Some(v) = values
        && !matches!(v.value, Value::Map(_))
    {
        return Err(ShapeError {
            field: "values".to_string(),
            expected: "an object",
            line: v.line,
        });
    }
    let (unknown, after_sensitive) = changes.get(&address).copied().unwrap_or((None, None));
    let sensitive = match after_sensitive {
        Some(marks) if marks.value != Value::Bool(false) => Some(marks),
        _ => item.get("sensitive_values"),
    };
    let module = module_of(&address, data, &kind, &name);
    let config = configuration.expressions(&module, data, &kind, &name);
    let line = item.get("address").map_or(item.line, |n| n.line);
    Ok(Resource {
        values: View::root(values, line, Mark::of(unknown), Mark::of(sensitive), config),
        address,
        module,
        data,
        kind,
        name,
        index,
        line,
    })
}

/// The module part of a resource address (`module.a["x"].module.b`), found by cutting the
/// resource's own `type.name` (or `data.type.name`) and index off the end.
fn module_of(address: &str, data: bool, kind: &str, name: &str) -> String {
    let own = if data {
        format!("data.{kind}.{name}")
    } else {
        format!("{kind}.{name}")
    };
    let cut = address
        .rfind(&format!(".{own}"))
        .filter(|at| address[..*at].starts_with("module."));
    match cut {
        Some(at) => address[..at].to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_addresses() {
        assert_eq!(module_of("aws_iam_role.a", false, "aws_iam_role", "a"), "");
        assert_eq!(
            module_of(
                "module.x[\"k\"].module.y.aws_iam_role.a[0]",
                false,
                "aws_iam_role",
                "a"
            ),
            "module.x[\"k\"].module.y"
        );
        assert_eq!(
            module_of(
                "module.x.data.aws_iam_policy_document.d",
                true,
                "aws_iam_policy_document",
                "d"
            ),
            "module.x"
        );
    }
}
