//! Configuration files as envparity compares them: Helm values (merged with their
//! per-environment overlays), helmfile environment values, `.env`, Java properties, tfvars and
//! plain YAML/JSON config, flattened to one entry per key path.

use serde::Serialize;

use super::{Literal, Provenance, Snapshot};

/// One logical config file of an environment: a file, or a base file with the overlay of this
/// environment merged onto it the way Helm merges values.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigFile {
    /// The name both environments' files are paired by: the path relative to the input root,
    /// without an environment overlay suffix (`charts/app/values.yaml`).
    pub name: String,
    /// `helm-values`, `helmfile-values`, `dotenv`, `properties`, `tfvars`, `yaml`, `json`.
    pub format: String,
    /// The files merged into this one, base first.
    pub layers: Vec<String>,
    pub provenance: Provenance,
    pub entries: Vec<ConfigSetting>,
}

/// One key path and its value.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigSetting {
    /// Dotted path: `app.ingress.annotations."alb.ingress.kubernetes.io/scheme"`, list items
    /// as `[0]` or `[name=api]` when every item of the list has a distinct `name`.
    pub key: String,
    pub value: ConfigValue,
    /// The file (base or overlay) and line that set the value.
    pub provenance: Provenance,
}

/// A value as read. Templated values (`{{ ... }}`) are kept apart: their rendered value is
/// unknown until the chart is rendered, so they are never called equal or different on
/// their text alone.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ConfigValue {
    /// A scalar (strings as written; numbers, booleans and `null` in their YAML spelling), an
    /// empty map `{}` or empty list `[]`, or a list of scalars written `[a, b]`.
    Scalar { value: Literal },
    /// Text holding Go-template actions.
    Template { value: Literal },
}

impl ConfigValue {
    pub fn literal(&self) -> &Literal {
        match self {
            ConfigValue::Scalar { value } | ConfigValue::Template { value } => value,
        }
    }

    pub fn is_template(&self) -> bool {
        matches!(self, ConfigValue::Template { .. })
    }
}

impl Snapshot {
    /// The AWS account ids that are this environment's own: its dumps' accounts and the
    /// values of its config keys that declare one (`account_id`, `AWS_ACCOUNT_ID`), sorted.
    /// ARNs in values are not enough: they may name another environment's account.
    pub fn accounts(&self) -> Vec<String> {
        let mut out: Vec<String> = self.aws.accounts.clone();
        for file in &self.config_files {
            for setting in &file.entries {
                let last: String = setting
                    .key
                    .rsplit('.')
                    .next()
                    .unwrap_or(&setting.key)
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                let value = setting.value.literal().text().trim();
                if last.ends_with("accountid")
                    && value.len() == 12
                    && value.chars().all(|c| c.is_ascii_digit())
                {
                    out.push(value.to_string());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }
}
