//! A plan's `configuration`: the expressions each resource was written with, and the links
//! they make. A value the plan knows only after apply (a role's name taken from another
//! resource, a policy ARN not created yet) still names the resource it comes from through
//! the expression's `references`; [`Index::linked`] follows such a reference to the resource
//! instance of an expected type, so attachments and rules find their owner before apply.

use std::collections::BTreeMap;

use super::super::yaml::Node;
use super::attrs::View;
use super::document::Resource;

/// The configuration section of a plan (absent in states).
pub struct Configuration<'a> {
    root: Option<&'a Node>,
}

impl<'a> Configuration<'a> {
    pub fn new(doc: &'a Node) -> Configuration<'a> {
        Configuration {
            root: doc.get("configuration").and_then(|c| c.get("root_module")),
        }
    }

    /// The `expressions` of the resource `type.name` (or `data.type.name`) in the module
    /// instance `module` (`module.a[0].module.b`: module calls `a`, then `b`).
    pub fn expressions(
        &self,
        module: &str,
        data: bool,
        kind: &str,
        name: &str,
    ) -> Option<&'a Node> {
        let mut current = self.root?;
        for call in module_calls(module) {
            current = current.get("module_calls")?.get(&call)?.get("module")?;
        }
        let wanted = if data {
            format!("data.{kind}.{name}")
        } else {
            format!("{kind}.{name}")
        };
        let resources = match &current.get("resources")?.value {
            super::super::yaml::Value::Seq(items) => items,
            _ => return None,
        };
        resources
            .iter()
            .find(|r| r.text_at("address").as_deref() == Some(wanted.as_str()))
            .and_then(|r| r.get("expressions"))
    }
}

/// The module call names of a module instance address, without instance keys.
fn module_calls(module: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = module;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['.', '[']).unwrap_or(after.len());
        out.push(after[..end].to_string());
        rest = &after[end..];
        if rest.starts_with('[') {
            // Skip the instance key, which may itself hold dots inside quotes.
            let close = closing_bracket(rest).unwrap_or(rest.len().saturating_sub(1));
            rest = &rest[(close + 1).min(rest.len())..];
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    out
}

/// The position of the `]` closing the `[` at the start of `text`, quotes respected.
fn closing_bracket(text: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ']' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// A reference to a resource: `data.`? `type.name`, then an optional instance key and the
/// rest of the attribute path.
struct Reference {
    data: bool,
    kind: String,
    name: String,
    index: Option<String>,
}

fn parse_reference(text: &str) -> Option<Reference> {
    let (data, rest) = match text.strip_prefix("data.") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (kind, rest) = rest.split_once('.')?;
    if kind.is_empty() || matches!(kind, "var" | "local" | "module" | "each" | "count" | "path") {
        return None;
    }
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    let name = &rest[..end];
    let after = &rest[end..];
    let index = if after.starts_with('[') {
        closing_bracket(after).map(|close| after[1..close].trim_matches('"').to_string())
    } else {
        None
    };
    (!name.is_empty()).then(|| Reference {
        data,
        kind: kind.to_string(),
        name: name.to_string(),
        index,
    })
}

/// Resource instances by module, mode, type and name, for following references.
pub struct Index {
    by_name: BTreeMap<(String, bool, String, String), Vec<usize>>,
}

impl Index {
    pub fn new(resources: &[Resource<'_>]) -> Index {
        let mut by_name: BTreeMap<_, Vec<usize>> = BTreeMap::new();
        for (i, r) in resources.iter().enumerate() {
            by_name
                .entry((r.module.clone(), r.data, r.kind.clone(), r.name.clone()))
                .or_default()
                .push(i);
        }
        Index { by_name }
    }

    /// The instance (by position in `resources`) of one of `kinds` that the expression at
    /// `view` of `from` refers to: the referenced instance key when the reference names one,
    /// else the only instance, else the instance with `from`'s own key (resources created
    /// side by side with the same `count`/`for_each`).
    pub fn linked(
        &self,
        resources: &[Resource<'_>],
        from: &Resource<'_>,
        view: &View<'_>,
        kinds: &[&str],
    ) -> Option<usize> {
        for text in view.references() {
            let Some(reference) = parse_reference(&text) else {
                continue;
            };
            if !kinds.contains(&reference.kind.as_str()) {
                continue;
            }
            let key = (
                from.module.clone(),
                reference.data,
                reference.kind.clone(),
                reference.name.clone(),
            );
            let Some(candidates) = self.by_name.get(&key) else {
                continue;
            };
            let found = match (&reference.index, candidates.as_slice()) {
                (Some(index), _) => candidates
                    .iter()
                    .find(|&&i| resources.get(i).and_then(|r| r.index.as_ref()) == Some(index)),
                (None, [only]) => Some(only),
                (None, _) => candidates.iter().find(|&&i| {
                    from.index.is_some() && resources.get(i).map(|r| &r.index) == Some(&from.index)
                }),
            };
            if let Some(found) = found {
                return Some(*found);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_call_names() {
        assert_eq!(module_calls(""), Vec::<String>::new());
        assert_eq!(module_calls("module.a"), vec!["a"]);
        assert_eq!(
            module_calls("module.a[\"x.y\"].module.b[0]"),
            vec!["a", "b"]
        );
    }

    #[test]
    fn references() {
        let r = parse_reference("aws_iam_role.app.name").expect("parses");
        assert_eq!(
            (r.kind.as_str(), r.name.as_str(), r.data),
            ("aws_iam_role", "app", false)
        );
        let r = parse_reference("data.aws_iam_policy_document.d.json").expect("parses");
        assert!(r.data);
        let r = parse_reference("aws_iam_role.app[\"k\"].arn").expect("parses");
        assert_eq!(r.index.as_deref(), Some("k"));
        assert!(parse_reference("var.role_name").is_none());
        assert!(parse_reference("module.m.out").is_none());
    }
}
