//! The state file itself (`terraform.tfstate`, as `terraform state pull` prints it; format
//! version 4): `resources[].instances[].attributes`, with `sensitive_attributes` paths turned
//! into the same mark trees `terraform show -json` writes as `sensitive_values`, so the state
//! file lowers exactly like its `show -json` form.

use super::super::node::{ShapeError, map_list, opt_str};
use super::super::yaml::{Node, Value};
use super::attrs::{Mark, View};
use super::document::{Collected, Resource};

/// Longest sensitive path followed step by step (the recursion depth of [`insert`]); a
/// longer one marks its first steps whole.
const MAX_STEPS: usize = 64;
/// Largest list index a sensitive path may name; a larger one marks the whole list.
const MAX_INDEX: i64 = 4096;

fn has(doc: &Node, key: &str) -> bool {
    doc.entries()
        .is_some_and(|entries| entries.iter().any(|(k, _)| k == key))
}

/// A state file: `version`, `terraform_version`, `lineage` and `resources`.
pub fn detect(doc: &Node) -> bool {
    ["version", "terraform_version", "lineage", "resources"]
        .iter()
        .all(|k| has(doc, k))
}

/// The mark tree of every instance's `sensitive_attributes`, per resource and instance.
pub fn marks(doc: &Node) -> Vec<Vec<Option<Node>>> {
    let Ok(resources) = map_list(doc, "resources") else {
        return Vec::new();
    };
    resources
        .iter()
        .map(|r| {
            map_list(r, "instances")
                .unwrap_or(&[])
                .iter()
                .map(|i| i.get("sensitive_attributes").and_then(tree))
                .collect()
        })
        .collect()
}

/// One step of a sensitive path: an attribute name or a map key, or a list index.
enum Step {
    Key(String),
    Index(usize),
}

fn step(node: &Node) -> Option<Step> {
    let value = node.get("value")?;
    match node.text_at("type").as_deref() {
        Some("get_attr") => value.text().map(Step::Key),
        Some("index") => match &value.get("value").unwrap_or(value).value {
            Value::Int(i) if (0..=MAX_INDEX).contains(i) => {
                usize::try_from(*i).ok().map(Step::Index)
            }
            Value::String(s) => Some(Step::Key(s.clone())),
            _ => None,
        },
        _ => None,
    }
}

fn tree(paths: &Node) -> Option<Node> {
    let Value::Seq(paths) = &paths.value else {
        return None;
    };
    let mut root = Node {
        value: Value::Map(Vec::new()),
        line: paths.first().map_or(1, |p| p.line),
    };
    for path in paths {
        let Value::Seq(raw) = &path.value else {
            continue;
        };
        // The readable steps; a path cut short (unreadable step, too long) marks its prefix.
        let steps: Vec<Step> = raw.iter().take(MAX_STEPS).map_while(step).collect();
        insert(&mut root, &steps);
    }
    Some(root)
}

/// Marks the value at `steps` below `node` (a node already marked whole stays so).
fn insert(node: &mut Node, steps: &[Step]) {
    if node.value == Value::Bool(true) {
        return;
    }
    let Some((first, rest)) = steps.split_first() else {
        node.value = Value::Bool(true);
        return;
    };
    let empty = Node {
        value: Value::Null,
        line: node.line,
    };
    match first {
        Step::Key(key) => {
            if !matches!(node.value, Value::Map(_)) {
                node.value = Value::Map(Vec::new());
            }
            if let Value::Map(entries) = &mut node.value {
                let at = match entries.iter().position(|(k, _)| k == key) {
                    Some(at) => at,
                    None => {
                        entries.push((key.clone(), empty));
                        entries.len() - 1
                    }
                };
                if let Some((_, child)) = entries.get_mut(at) {
                    insert(child, rest);
                }
            }
        }
        Step::Index(index) => {
            if !matches!(node.value, Value::Seq(_)) {
                node.value = Value::Seq(Vec::new());
            }
            if let Value::Seq(items) = &mut node.value {
                while items.len() <= *index {
                    items.push(empty.clone());
                }
                if let Some(child) = items.get_mut(*index) {
                    insert(child, rest);
                }
            }
        }
    }
}

/// Every instance of a state file, with its marks from [`marks`].
pub fn resources<'a>(doc: &'a Node, marks: &'a [Vec<Option<Node>>], out: &mut Collected<'a>) {
    let items = match map_list(doc, "resources") {
        Ok(items) => items,
        Err(e) => {
            out.problems.push(("`resources`".to_string(), e));
            return;
        }
    };
    for (at, item) in items.iter().enumerate() {
        if let Err((what, e)) = resource(item, marks.get(at).map_or(&[], Vec::as_slice), out) {
            out.problems.push((what, e));
        }
    }
}

fn resource<'a>(
    item: &'a Node,
    marks: &'a [Option<Node>],
    out: &mut Collected<'a>,
) -> Result<(), (String, ShapeError)> {
    let field = |key: &str| -> Result<String, (String, ShapeError)> {
        let what = || "a resource of the state file".to_string();
        opt_str(item, key).map_err(|e| (what(), e))?.ok_or_else(|| {
            let error = ShapeError {
                field: key.to_string(),
                expected: "a string",
                line: item.line,
            };
            (what(), error)
        })
    };
    let (kind, name) = (field("type")?, field("name")?);
    let data = opt_str(item, "mode").ok().flatten().as_deref() == Some("data");
    let module = opt_str(item, "module").ok().flatten().unwrap_or_default();
    let own = if data {
        format!("data.{kind}.{name}")
    } else {
        format!("{kind}.{name}")
    };
    let base = if module.is_empty() {
        own
    } else {
        format!("{module}.{own}")
    };
    let instances = map_list(item, "instances").map_err(|e| (format!("resource `{base}`"), e))?;
    for (i, instance) in instances.iter().enumerate() {
        let index = match instance.get("index_key").map(|n| &n.value) {
            Some(Value::Int(n)) => Some(n.to_string()),
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        let address = match &index {
            Some(key)
                if instance
                    .get("index_key")
                    .is_some_and(|n| matches!(n.value, Value::Int(_))) =>
            {
                format!("{base}[{key}]")
            }
            Some(key) => format!("{base}[{key:?}]"),
            None => base.clone(),
        };
        let values = instance.get("attributes");
        if let Some(v) = values
            && !matches!(v.value, Value::Map(_))
        {
            let error = ShapeError {
                field: "attributes".to_string(),
                expected: "an object",
                line: v.line,
            };
            out.problems.push((format!("resource `{address}`"), error));
            continue;
        }
        let sensitive = marks.get(i).and_then(Option::as_ref);
        out.resources.push(Resource {
            values: View::root(values, instance.line, Mark::None, Mark::of(sensitive), None),
            address,
            module: module.clone(),
            data,
            kind: kind.clone(),
            name: name.clone(),
            index,
            line: instance.line,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::yaml::{Limits, parse_documents};

    #[test]
    fn sensitive_paths_become_mark_trees() {
        let text = r#"[[{"type":"get_attr","value":"data"},{"type":"index","value":{"value":"password","type":"string"}}],
                       [{"type":"get_attr","value":"secret"}],
                       [{"type":"get_attr","value":"list"},{"type":"index","value":{"value":2,"type":"number"}}]]"#;
        let paths = parse_documents(text, &Limits::default()).expect("parses");
        let tree = tree(&paths[0]).expect("a tree");
        let view = View::root(None, 1, Mark::None, Mark::of(Some(&tree)), None);
        assert!(view.at("data").at("password").is_sensitive());
        assert!(!view.at("data").at("user").is_sensitive());
        assert!(view.at("secret").is_sensitive());
        assert!(view.at("list").item(2).is_sensitive());
        assert!(!view.at("list").item(1).is_sensitive());
    }

    #[test]
    fn state_files_lower_like_show_json_and_keep_secrets_out() {
        let secret = "s3cr3t-value-never-shown";
        let text = format!(
            r#"{{"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "x",
               "outputs": {{}}, "resources": [
                 {{"module": "module.app", "mode": "managed", "type": "kubernetes_config_map_v1",
                   "name": "cfg", "provider": "p", "instances": [{{"schema_version": 0,
                   "attributes": {{"metadata": [{{"name": "cfg", "namespace": "app"}}],
                                   "data": {{"token": "{secret}", "mode": "fast"}}}},
                   "sensitive_attributes": [[{{"type": "get_attr", "value": "data"}},
                     {{"type": "index", "value": {{"value": "token", "type": "string"}}}}]]}}]}},
                 {{"mode": "managed", "type": "aws_iam_role", "name": "app", "provider": "p",
                   "instances": [{{"index_key": "a", "schema_version": 0,
                   "attributes": {{"name": "stg-app", "arn": "arn:aws:iam::111111111111:role/stg-app",
                                   "assume_role_policy": "", "path": "/"}}}}]}}]}}"#
        );
        let snapshot = crate::ingest::read_bytes(
            "staging",
            "terraform.tfstate",
            text.as_bytes(),
            &crate::model::Fingerprinter::new(b"k"),
            &crate::ingest::IngestOptions::default(),
        );
        assert!(
            snapshot.diagnostics.is_empty(),
            "{:?}",
            snapshot.diagnostics
        );
        assert_eq!(snapshot.sources[0].format, "terraform-state-file");
        assert_eq!(snapshot.aws.roles[0].name, "stg-app");
        let entries = &snapshot.kube.config_maps[0].entries;
        assert!(
            entries
                .iter()
                .any(|e| e.key == "token" && e.value.sensitive)
        );
        assert!(
            entries
                .iter()
                .any(|e| e.key == "mode" && !e.value.sensitive)
        );
        let out = serde_json::to_string(&snapshot).expect("serializes");
        assert!(!out.contains(secret));
    }
}
