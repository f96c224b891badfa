//! Config files → [`ConfigFile`]s: `.env`, Java properties, tfvars, Go-template values and any
//! YAML/JSON that is not a manifest or a dump of another known kind. Files are collected while
//! the inputs are walked; at the end, each base file is merged with the overlay of the
//! environment being read (`values.yaml` + `values-staging.yaml`, Helm's merge), overlays of
//! other environments are set aside, and every value becomes a [`Literal`] (a fingerprint when
//! it may be secret) before it enters the model.

mod dotenv;
mod environments;
mod family;
mod properties;
mod template;
mod tfvars;
mod tree;

use std::path::Path;

use self::tree::{Tree, flatten, merge};
use super::yaml::{Limits, Node, Value};
use crate::model::{
    ConfigFile, ConfigSetting, ConfigValue, Diagnostic, Fingerprinter, Level, Provenance, Snapshot,
    Source,
};

/// One setting of a flat file (`.env`, properties): key, value and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Flat {
    pub key: String,
    pub value: String,
    pub line: u32,
}

/// A config file read but not yet merged with its overlays.
#[derive(Debug, Clone)]
struct Candidate {
    shown: String,
    /// The input root the file was found under (`shown` of the input).
    root: String,
    format: &'static str,
    tree: Tree,
}

/// Config files collected while an environment's inputs are read.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    root: String,
    files: Vec<Candidate>,
}

impl Pending {
    /// Sets the input root of the files that follow.
    pub fn set_root(&mut self, root: &str) {
        self.root = root.trim_end_matches('/').to_string();
    }

    fn push(&mut self, shown: &str, format: &'static str, tree: Tree) {
        self.files.push(Candidate {
            shown: shown.to_string(),
            root: self.root.clone(),
            format,
            tree,
        });
    }
}

fn lower_name(shown: &str) -> String {
    Path::new(shown)
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// True for names of `.env` files: `.env`, `.env.staging`, `staging.env`, `app.env`.
fn dotenv_name(name: &str) -> bool {
    name == ".env" || name.starts_with(".env.") || name.ends_with(".env")
}

/// Reads `.env`, properties and tfvars files, which are not YAML. Returns true when the file
/// was one of them (read, or reported as malformed).
pub(crate) fn read_flat(
    text: &str,
    shown: &str,
    snapshot: &mut Snapshot,
    pending: &mut Pending,
) -> bool {
    let name = lower_name(shown);
    if name.ends_with(".properties") {
        let settings = properties::parse(text);
        pending.push(shown, "properties", Tree::from_flat(&settings, 0));
        return true;
    }
    if name.ends_with(".tfvars") {
        match tfvars::parse(text) {
            Ok(tree) => pending.push(shown, "tfvars", tree),
            Err(e) => error(snapshot, shown, e.line, e.message),
        }
        return true;
    }
    if dotenv_name(&name) && dotenv::looks_like_dotenv(text) {
        match dotenv::parse(text) {
            Ok(settings) => pending.push(shown, "dotenv", Tree::from_flat(&settings, 0)),
            Err(e) => error(snapshot, shown, Some(e.line), e.message),
        }
        return true;
    }
    false
}

/// Reads a Go-template values file (`*.gotmpl`, or YAML with `{{` that does not parse as is)
/// rendered for the snapshot's environment. Returns false when it cannot be rendered.
pub(crate) fn read_template(
    text: &str,
    shown: &str,
    limits: &Limits,
    snapshot: &mut Snapshot,
    pending: &mut Pending,
) -> bool {
    let Some(rendered) = template::render(text, &snapshot.environment) else {
        return false;
    };
    let Ok(docs) = super::text::documents(&rendered.text, limits) else {
        return false;
    };
    // A chart's manifest template is no values file: it must be rendered by Helm.
    if super::kube::has_objects(&docs) {
        return false;
    }
    match config_root(&docs) {
        Some(mut tree) => {
            restore(&mut tree, &rendered);
            pending.push(shown, "go-template", tree);
            if rendered.undecided > 0 {
                let message = format!(
                    "{} template block(s) depend on values other than the environment name; their settings are not compared",
                    rendered.undecided
                );
                snapshot
                    .diagnostics
                    .push(Diagnostic::new(Level::Info, shown, None, message));
            }
            true
        }
        None => false,
    }
}

/// Puts the template actions back into keys and values (they are unknown until rendered).
fn restore(tree: &mut Tree, rendered: &template::Rendered) {
    match &mut tree.kind {
        tree::Kind::Scalar(text) => *text = rendered.restore(text),
        tree::Kind::Map(entries) => {
            for (key, value) in entries.iter_mut() {
                *key = rendered.restore(key);
                restore(value, rendered);
            }
        }
        tree::Kind::List(items) => items.iter_mut().for_each(|i| restore(i, rendered)),
        tree::Kind::Null => {}
    }
}

/// Takes parsed YAML/JSON documents that are no other kind of input as a config file. Only
/// documents whose root is a mapping are config; returns false otherwise.
pub(crate) fn read_documents(
    docs: &[Node],
    shown: &str,
    json: bool,
    pending: &mut Pending,
) -> bool {
    // An IAM policy document that no dump attaches to a principal is not configuration.
    if let [doc] = docs
        && doc.get("Statement").is_some()
        && doc.get("Version").is_some()
    {
        return false;
    }
    match config_root(docs) {
        Some(tree) => {
            pending.push(shown, if json { "json" } else { "yaml" }, tree);
            true
        }
        None => false,
    }
}

/// The tree of a config file: its single mapping document, or its mapping documents keyed
/// `(document N)` when there are several.
fn config_root(docs: &[Node]) -> Option<Tree> {
    let maps: Vec<&Node> = docs
        .iter()
        .filter(|d| !matches!(d.value, Value::Null))
        .collect();
    if maps.is_empty() || !maps.iter().all(|d| matches!(d.value, Value::Map(_))) {
        return None;
    }
    if let [only] = maps.as_slice() {
        return Some(Tree::from_node(only, 0));
    }
    let entries = maps
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("(document {})", i + 1), Tree::from_node(d, 0)))
        .collect();
    Some(Tree {
        kind: tree::Kind::Map(entries),
        line: 1,
        layer: 0,
    })
}

fn error(snapshot: &mut Snapshot, shown: &str, line: Option<u32>, message: String) {
    snapshot
        .diagnostics
        .push(Diagnostic::new(Level::Error, shown, line, message));
}

/// Merges each base file with this environment's overlays and lowers every logical file into
/// the snapshot, values as literals (fingerprints when they may be secret).
pub(crate) fn finish(pending: Pending, fingerprinter: &Fingerprinter, snapshot: &mut Snapshot) {
    let environment = snapshot.environment.clone();
    let plan = family::plan(&pending.files, &environment);
    for skipped in &plan.skipped {
        let message = format!(
            "overlay for environment `{}`, not read for `{environment}`",
            skipped.environment
        );
        snapshot.diagnostics.push(Diagnostic::new(
            Level::Info,
            &pending.files[skipped.index].shown,
            None,
            message,
        ));
    }
    for logical in plan.files {
        let layers: Vec<&Candidate> = logical.layers.iter().map(|&i| &pending.files[i]).collect();
        let Some((first, rest)) = layers.split_first() else {
            continue;
        };
        let mut tree = first.tree.clone();
        for (index, layer) in rest.iter().enumerate() {
            let mut overlay = layer.tree.clone();
            relayer(&mut overlay, index + 1);
            tree = merge(tree, overlay);
        }
        if layers.len() > 1 {
            // After a merge, `null` means unset, as it does for Helm's templates.
            tree = tree::without_nulls(tree);
        }
        let mut settings = Vec::new();
        flatten(&tree, "", &mut settings);
        let entries: Vec<ConfigSetting> = settings
            .into_iter()
            .map(|s| {
                let path = layers
                    .get(s.layer)
                    .map_or(first.shown.as_str(), |c| c.shown.as_str());
                let value = if s.value.contains("{{") {
                    ConfigValue::Template {
                        value: fingerprinter.literal(&s.key, &s.value),
                    }
                } else {
                    ConfigValue::Scalar {
                        value: fingerprinter.literal(&s.key, &s.value),
                    }
                };
                ConfigSetting {
                    key: s.key,
                    value,
                    provenance: Provenance::new(path, Some(s.line)),
                }
            })
            .collect();
        for layer in &layers {
            snapshot.sources.push(Source {
                path: layer.shown.clone(),
                format: format!("config-{}", layer.format),
                objects: entries.len(),
            });
        }
        let format = if layers.len() > 1 || logical.helm {
            "helm-values"
        } else {
            first.format
        };
        snapshot.config_files.push(ConfigFile {
            name: logical.name,
            format: format.to_string(),
            layers: layers.iter().map(|c| c.shown.clone()).collect(),
            provenance: Provenance::new(&first.shown, None),
            entries,
        });
    }
}

fn relayer(tree: &mut Tree, layer: usize) {
    tree.layer = layer;
    match &mut tree.kind {
        tree::Kind::Map(entries) => entries.iter_mut().for_each(|(_, t)| relayer(t, layer)),
        tree::Kind::List(items) => items.iter_mut().for_each(|t| relayer(t, layer)),
        tree::Kind::Null | tree::Kind::Scalar(_) => {}
    }
}
