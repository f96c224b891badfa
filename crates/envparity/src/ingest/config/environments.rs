//! Environment names in file names and templates: which per-environment overlay
//! (`values-staging.yaml`, `production.env`, `.env.prod`) belongs to the environment being
//! read, with the usual short forms (`prod`, `stg`) meaning the same environment.

use crate::correlate::ENVIRONMENT_TOKENS;

/// Groups of names that denote one environment.
const ALIASES: &[&[&str]] = &[
    &["production", "prod", "prd", "live"],
    &["staging", "stage", "stg"],
    &["development", "dev"],
    &["preproduction", "preprod"],
];

/// True when `a` and `b` name the same environment (case-insensitive, with short forms).
pub(crate) fn same_environment(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    a == b
        || ALIASES
            .iter()
            .any(|group| group.contains(&a.as_str()) && group.contains(&b.as_str()))
}

/// Environment names common in file and directory names beyond the tokens names are mapped by.
const MORE_ENVIRONMENT_WORDS: &[&str] = &["integration", "local", "minikube", "perf", "demo"];

/// True when `word` is a well-known environment name.
pub(super) fn is_environment_word(word: &str) -> bool {
    let word = word.to_ascii_lowercase();
    ENVIRONMENT_TOKENS.contains(&word.as_str()) || MORE_ENVIRONMENT_WORDS.contains(&word.as_str())
}

/// A file stem split into a family stem and an environment suffix: `values-staging` →
/// (`values`, `staging`), `tempo-values-production` → (`tempo-values`, `production`),
/// `production` → (``, `production`), `.env.prod` → (`.env`, `prod`). The suffix is the last
/// `-`, `_` or `.` separated word.
pub(super) fn split_suffix(stem: &str) -> Option<(&str, &str)> {
    let at = stem.rfind(['-', '_', '.']);
    match at {
        Some(index) if index + 1 < stem.len() => Some((&stem[..index], &stem[index + 1..])),
        Some(_) => None,
        None => Some(("", stem)),
    }
}

/// A file stem split after its first word: `staging_config` → (`staging`, `_config`).
pub(super) fn split_prefix(stem: &str) -> Option<(&str, &str)> {
    let at = stem.find(['-', '_', '.'])?;
    (at > 0 && at + 1 < stem.len()).then(|| (&stem[..at], &stem[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases() {
        assert!(same_environment("production", "prod"));
        assert!(same_environment("Staging", "stg"));
        assert!(!same_environment("staging", "production"));
        assert!(same_environment("eqiad", "eqiad"));
    }

    #[test]
    fn suffixes() {
        assert_eq!(split_suffix("values-staging"), Some(("values", "staging")));
        assert_eq!(
            split_suffix("tempo-values-production"),
            Some(("tempo-values", "production"))
        );
        assert_eq!(split_suffix("production"), Some(("", "production")));
        assert_eq!(split_suffix(".env.prod"), Some((".env", "prod")));
        assert_eq!(split_suffix("values-"), None);
    }
}
