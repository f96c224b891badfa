//! When two values of one key are the same configuration: equal text, equal once the staging
//! value is rewritten into production's names, or differing only in environment words.

use crate::correlate::{ENVIRONMENT_TOKENS, NameMap};
use crate::model::sensitivity::is_placeholder;

/// True when `staging` and `production` say the same thing in each environment's vocabulary:
/// `db.staging.svc` and `db.production.svc` are the same setting.
pub(in crate::compare) fn same_value(names: &NameMap, staging: &str, production: &str) -> bool {
    staging == production
        || names.to_production(staging).text == production
        || differs_only_in_environment_words(staging, production)
}

/// Splits text into runs of ASCII alphanumerics and runs of everything else.
fn runs(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut previous: Option<bool> = None;
    for (index, c) in text.char_indices() {
        let alnum = c.is_ascii_alphanumeric();
        if previous.is_some_and(|p| p != alnum) {
            out.push(&text[start..index]);
            start = index;
        }
        previous = Some(alnum);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn is_environment_word(word: &str) -> bool {
    ENVIRONMENT_TOKENS.contains(&word.to_ascii_lowercase().as_str())
}

/// True when the two texts have the same shape and every differing word names an environment
/// on both sides (`ENV=staging` and `ENV=production`).
fn differs_only_in_environment_words(staging: &str, production: &str) -> bool {
    let a = runs(staging);
    let b = runs(production);
    a.len() == b.len()
        && a.iter().zip(&b).any(|(x, y)| x != y)
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x == y || (is_environment_word(x) && is_environment_word(y)))
}

/// True when the value is a placeholder rather than a real value.
pub(in crate::compare) fn placeholder(key: &str, value: &str) -> bool {
    !value.trim().is_empty() && is_placeholder(key, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inferred() -> NameMap {
        let mut names = NameMap::default();
        names.infer(["shop-staging/api"], ["shop-production/api"]);
        names
    }

    #[test]
    fn mapped_environment_tokens_are_the_same_value() {
        let names = inferred();
        assert!(same_value(
            &names,
            "db.shop-staging.svc",
            "db.shop-production.svc"
        ));
        assert!(same_value(&names, "info", "info"));
        assert!(!same_value(&names, "debug", "info"));
        assert!(!same_value(&names, "db.shop-staging.svc", "db.other.svc"));
    }

    #[test]
    fn environment_words_differ_without_a_mapping() {
        let names = NameMap::default();
        assert!(same_value(
            &names,
            "https://api.stg.example.com",
            "https://api.prod.example.com"
        ));
        assert!(same_value(&names, "Staging", "Production"));
        assert!(!same_value(
            &names,
            "https://api.stg.example.com",
            "https://api.example.com"
        ));
        assert!(!same_value(&names, "3", "5"));
    }

    #[test]
    fn placeholders_are_not_empty() {
        assert!(placeholder("API_URL", "TODO"));
        assert!(placeholder("DB_PASSWORD", "changeme"));
        assert!(!placeholder("API_URL", ""));
        assert!(!placeholder("API_URL", "https://api.example.com"));
    }
}
