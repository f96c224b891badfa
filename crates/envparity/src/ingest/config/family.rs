//! Which config files make one logical file for an environment: a base file and the overlays
//! named after environments beside it (`values.yaml` + `values-<env>.yaml`,
//! `.env` + `.env.<env>`, helmfile's `<env>.env`). Overlays of other environments are set
//! aside; an overlay without a base stands alone under the base's name, so that
//! `values-staging.yaml` and `values-production.yaml` pair with each other.

use std::collections::{BTreeMap, BTreeSet};

use super::Candidate;
use super::environments::{is_environment_word, same_environment, split_prefix, split_suffix};

/// A logical file: indices of its layers in merge order, and the name it pairs by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Logical {
    pub name: String,
    pub layers: Vec<usize>,
    /// True for Helm-style values (a `values` family, or a base with an overlay).
    pub helm: bool,
}

/// An overlay of another environment, not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Skipped {
    pub index: usize,
    pub environment: String,
}

#[derive(Debug, Default)]
pub(super) struct Plan {
    pub files: Vec<Logical>,
    pub skipped: Vec<Skipped>,
}

const EXTENSIONS: &[&str] = &[
    ".yaml.gotmpl",
    ".yml.gotmpl",
    ".gotmpl",
    ".tfvars.json",
    ".tfvars",
    ".properties",
    ".yaml",
    ".yml",
    ".json",
    ".env",
];

/// A file name as (stem, extension): `values-staging.yaml` → (`values-staging`, `.yaml`).
fn split_extension(name: &str) -> (&str, &str) {
    EXTENSIONS
        .iter()
        .find(|ext| name.len() > ext.len() && name.to_ascii_lowercase().ends_with(*ext))
        .map_or((name, ""), |ext| name.split_at(name.len() - ext.len()))
}

/// The path of a file relative to its input root, split into directory and file name.
fn relative(candidate: &Candidate) -> (String, String) {
    let shown = candidate.shown.as_str();
    let rel = shown
        .strip_prefix(&candidate.root)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(shown);
    let rel = if rel.is_empty() { shown } else { rel };
    match rel.rsplit_once('/') {
        Some((dir, name)) if shown != candidate.root => (dir.to_string(), name.to_string()),
        Some((_, name)) => (String::new(), name.to_string()),
        None => (String::new(), rel.to_string()),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// A directory path with its environment-named segments resolved: a segment naming this
/// environment reads `(environment)` (so `tags/staging/app` pairs with `tags/production/app`);
/// a segment naming another environment puts the file aside, and is returned.
fn environment_dir(dir: &str, environment: &str) -> (String, Option<String>) {
    let mut out = Vec::new();
    for segment in dir.split('/').filter(|s| !s.is_empty()) {
        if same_environment(segment, environment) {
            out.push("(environment)");
        } else if is_environment_word(segment) {
            return (dir.to_string(), Some(segment.to_string()));
        } else {
            out.push(segment);
        }
    }
    (out.join("/"), None)
}

/// A family being collected: its base file, its overlays (index, environment) and the
/// extension its logical name takes.
type Family = (Option<usize>, Vec<(usize, String)>, String);

/// Groups the candidates into logical files for `environment`.
pub(super) fn plan(files: &[Candidate], environment: &str) -> Plan {
    let mut plan = Plan::default();
    let mut parts: Vec<(String, String, String)> = Vec::with_capacity(files.len());
    let mut other_environment: Vec<bool> = Vec::with_capacity(files.len());
    for (index, candidate) in files.iter().enumerate() {
        let (dir, name) = relative(candidate);
        let (stem, ext) = split_extension(&name);
        let (dir, other) = environment_dir(&dir, environment);
        if let Some(other) = &other {
            plan.skipped.push(Skipped {
                index,
                environment: other.clone(),
            });
        }
        other_environment.push(other.is_some());
        parts.push((dir, stem.to_string(), ext.to_string()));
    }
    let stems: BTreeSet<(&str, &str)> = parts
        .iter()
        .map(|(d, s, _)| (d.as_str(), s.as_str()))
        .collect();
    // Family (dir, family stem) → (base index, overlays (index, environment)).
    let mut families: BTreeMap<(String, String), Family> = BTreeMap::new();
    for (index, (dir, stem, ext)) in parts.iter().enumerate() {
        if other_environment[index] {
            continue;
        }
        // `staging_config.tfvars`, `prod-values.yaml`: the environment named first.
        if let Some((prefix, rest)) = split_prefix(stem)
            && is_environment_word(prefix)
        {
            if same_environment(prefix, environment) {
                plan.files.push(Logical {
                    name: join(dir, &format!("(environment){rest}{ext}")),
                    layers: vec![index],
                    helm: rest.ends_with("values"),
                });
            } else {
                plan.skipped.push(Skipped {
                    index,
                    environment: prefix.to_string(),
                });
            }
            continue;
        }
        let overlay = split_suffix(stem).filter(|(family, suffix)| {
            is_environment_word(suffix)
                || same_environment(suffix, environment)
                || (family.ends_with("values") && stems.contains(&(dir.as_str(), *family)))
        });
        match overlay {
            Some((family, suffix)) => {
                let entry = families
                    .entry((dir.clone(), family.to_string()))
                    .or_insert((None, Vec::new(), ext.clone()));
                entry.1.push((index, suffix.to_string()));
            }
            None => {
                let key = (dir.clone(), stem.clone());
                match families.get_mut(&key) {
                    Some(entry) if entry.0.is_none() => {
                        entry.0 = Some(index);
                        entry.2 = ext.clone();
                    }
                    // Two bases of one stem (`app.yaml`, `app.json`): separate files.
                    Some(_) => plan.files.push(Logical {
                        name: join(dir, &format!("{stem}{ext}")),
                        layers: vec![index],
                        helm: false,
                    }),
                    None => {
                        families.insert(key, (Some(index), Vec::new(), ext.clone()));
                    }
                }
            }
        }
    }
    for ((dir, family), (base, overlays, ext)) in families {
        let mut layers: Vec<usize> = base.into_iter().collect();
        let mut mine: Vec<usize> = Vec::new();
        for (index, suffix) in overlays {
            if same_environment(&suffix, environment) {
                mine.push(index);
            } else {
                plan.skipped.push(Skipped {
                    index,
                    environment: suffix,
                });
            }
        }
        mine.sort_by(|a, b| files[*a].shown.cmp(&files[*b].shown));
        let merged = base.is_some() && !mine.is_empty();
        layers.extend(mine);
        if layers.is_empty() {
            continue;
        }
        let stem = if family.is_empty() {
            "(environment)"
        } else {
            family.as_str()
        };
        plan.files.push(Logical {
            name: join(&dir, &format!("{stem}{ext}")),
            layers,
            helm: merged || family.ends_with("values"),
        });
    }
    plan.files
        .sort_by(|a, b| a.name.cmp(&b.name).then(a.layers.cmp(&b.layers)));
    plan.skipped.sort_by_key(|s| s.index);
    plan
}

#[cfg(test)]
mod tests {
    use super::super::tree::{Kind, Tree};
    use super::*;

    fn candidate(root: &str, shown: &str) -> Candidate {
        Candidate {
            shown: shown.to_string(),
            root: root.to_string(),
            format: "yaml",
            tree: Tree {
                kind: Kind::Null,
                line: 1,
                layer: 0,
            },
        }
    }

    fn names(plan: &Plan, files: &[Candidate]) -> Vec<(String, Vec<String>)> {
        plan.files
            .iter()
            .map(|l| {
                let layers = l.layers.iter().map(|&i| files[i].shown.clone()).collect();
                (l.name.clone(), layers)
            })
            .collect()
    }

    #[test]
    fn base_and_own_overlay_merge_others_are_skipped() {
        let files = vec![
            candidate("charts", "charts/app/values.yaml"),
            candidate("charts", "charts/app/values-staging.yaml"),
            candidate("charts", "charts/app/values-production.yaml"),
            candidate("charts", "charts/app/values-eqiad.yaml"),
            candidate("charts", "charts/app/Chart.yaml"),
        ];
        let plan = plan(&files, "staging");
        assert_eq!(
            names(&plan, &files),
            vec![
                (
                    "app/Chart.yaml".to_string(),
                    vec!["charts/app/Chart.yaml".to_string()]
                ),
                (
                    "app/values.yaml".to_string(),
                    vec![
                        "charts/app/values.yaml".to_string(),
                        "charts/app/values-staging.yaml".to_string()
                    ]
                ),
            ]
        );
        let skipped: Vec<&str> = plan
            .skipped
            .iter()
            .map(|s| s.environment.as_str())
            .collect();
        assert_eq!(skipped, vec!["production", "eqiad"]);
        let production = super::plan(&files, "prod");
        assert_eq!(
            names(&production, &files)[1].1,
            vec![
                "charts/app/values.yaml",
                "charts/app/values-production.yaml"
            ]
        );
    }

    #[test]
    fn helmfile_environment_files_pair_by_directory() {
        let files = vec![
            candidate("h", "h/overrides/staging.env"),
            candidate("h", "h/overrides/production.env"),
        ];
        let staging = plan(&files, "staging");
        assert_eq!(
            names(&staging, &files),
            vec![(
                "overrides/(environment).env".to_string(),
                vec!["h/overrides/staging.env".to_string()]
            )]
        );
        let production = plan(&files, "production");
        assert_eq!(production.files[0].name, "overrides/(environment).env");
    }

    #[test]
    fn separate_roots_pair_by_relative_path() {
        let files = vec![candidate("envs/staging", "envs/staging/app/config.yaml")];
        assert_eq!(plan(&files, "staging").files[0].name, "app/config.yaml");
        let single = vec![candidate("a/values.yaml", "a/values.yaml")];
        assert_eq!(plan(&single, "staging").files[0].name, "values.yaml");
        let unrelated = vec![
            candidate("w", "w/helmfile.yaml"),
            candidate("w", "w/helmfile_rbac.yaml"),
        ];
        assert_eq!(plan(&unrelated, "staging").files.len(), 2);
    }

    #[test]
    fn environment_named_first_pairs() {
        let files = vec![
            candidate("env", "env/staging_config.tfvars"),
            candidate("env", "env/production_config.tfvars"),
            candidate("env", "env/dev_config.tfvars"),
        ];
        let staging = plan(&files, "staging");
        assert_eq!(
            names(&staging, &files),
            vec![(
                "(environment)_config.tfvars".to_string(),
                vec!["env/staging_config.tfvars".to_string()]
            )]
        );
        assert_eq!(
            plan(&files, "prod").files[0].name,
            "(environment)_config.tfvars"
        );
    }

    #[test]
    fn environment_directories_select_and_pair() {
        let files = vec![
            candidate("c", "c/tags/staging/api"),
            candidate("c", "c/tags/production/api"),
            candidate("c", "c/tags/integration/api"),
        ];
        let staging = plan(&files, "staging");
        assert_eq!(
            names(&staging, &files),
            vec![(
                "tags/(environment)/api".to_string(),
                vec!["c/tags/staging/api".to_string()]
            )]
        );
        let production = plan(&files, "production");
        assert_eq!(production.files[0].name, "tags/(environment)/api");
        assert_eq!(production.skipped.len(), 2);
    }
}
