//! Whole-token name mapping between two environments, in both directions.

use std::collections::{BTreeMap, BTreeSet};

/// Tokens that name an environment; used to infer a mapping when the user gives none.
pub const ENVIRONMENT_TOKENS: &[&str] = &[
    "production",
    "prod",
    "prd",
    "live",
    "staging",
    "stg",
    "stage",
    "preprod",
    "preproduction",
    "uat",
    "qa",
    "test",
    "dev",
    "development",
    "sandbox",
];

/// A staging name rewritten into production's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    pub text: String,
    /// True when an inferred (not user-given) mapping changed the name.
    pub inferred: bool,
}

/// Token mappings from staging (the environment under test) to production (the reference).
#[derive(Debug, Clone, Default)]
pub struct NameMap {
    /// (staging token, production token, inferred), longest staging token first.
    entries: Vec<(String, String, bool)>,
}

impl NameMap {
    /// A map of the user's explicit `FROM=TO` pairs.
    pub fn new(explicit: &[(String, String)]) -> NameMap {
        let mut map = NameMap::default();
        for (from, to) in explicit {
            map.add(from, to, false);
        }
        map
    }

    fn add(&mut self, from: &str, to: &str, inferred: bool) {
        if from.is_empty() || self.entries.iter().any(|(f, _, _)| f == from) {
            return;
        }
        self.entries
            .push((from.to_string(), to.to_string(), inferred));
        self.entries
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    }

    /// The explicit and inferred mappings, for reports and `init`.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str, bool)> {
        self.entries
            .iter()
            .map(|(f, t, i)| (f.as_str(), t.as_str(), *i))
    }

    /// Infers environment-token mappings from the names seen on each side: every environment
    /// token used by staging but never by production maps to the environment token production
    /// uses most (ties broken alphabetically).
    pub fn infer<'a>(
        &mut self,
        staging_names: impl IntoIterator<Item = &'a str>,
        production_names: impl IntoIterator<Item = &'a str>,
    ) {
        let staging = env_token_counts(staging_names);
        let production = env_token_counts(production_names);
        let target = production
            .iter()
            .filter(|(token, _)| !staging.contains_key(*token))
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(token, _)| token.clone());
        let Some(target) = target else { return };
        let explicit_targets: BTreeSet<&str> =
            self.entries.iter().map(|(_, t, _)| t.as_str()).collect();
        if explicit_targets.contains(target.as_str()) {
            return;
        }
        for token in staging.keys() {
            if !production.contains_key(token) {
                self.add(token, &target, true);
            }
        }
    }

    /// Infers that the staging account id maps to the production one when each environment
    /// has exactly one account and the user mapped neither.
    pub fn infer_accounts(&mut self, staging: &[String], production: &[String]) {
        if let ([from], [to]) = (staging, production)
            && from != to
            && !self.entries.iter().any(|(f, t, _)| f == from || t == to)
        {
            self.add(from, to, true);
        }
    }

    /// Rewrites a staging name into production's vocabulary.
    pub fn to_production(&self, name: &str) -> Mapped {
        let mut inferred = false;
        let text = rewrite(
            name,
            self.entries.iter().map(|(f, t, i)| (f, t, *i)),
            &mut inferred,
        );
        Mapped { text, inferred }
    }

    /// Rewrites a production name into staging's vocabulary (the inverse mapping).
    pub fn to_staging(&self, name: &str) -> String {
        let mut inverse: Vec<(&String, &String, bool)> =
            self.entries.iter().map(|(f, t, i)| (t, f, *i)).collect();
        inverse.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(b.0)));
        let mut seen = BTreeSet::new();
        inverse.retain(|(from, _, _)| seen.insert(from.as_str()));
        let mut ignored = false;
        rewrite(name, inverse.into_iter(), &mut ignored)
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Replaces every occurrence of a `from` that starts and ends on token boundaries.
fn rewrite<'a>(
    name: &str,
    entries: impl Iterator<Item = (&'a String, &'a String, bool)> + Clone,
    inferred: &mut bool,
) -> String {
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    let bytes = name.as_bytes();
    'outer: while i < name.len() {
        let at_boundary = i == 0 || !is_token_char(bytes[i - 1] as char);
        if at_boundary {
            for (from, to, was_inferred) in entries.clone() {
                if name[i..].starts_with(from.as_str()) {
                    let end = i + from.len();
                    let ends_on_boundary = end == name.len() || !is_token_char(bytes[end] as char);
                    if ends_on_boundary {
                        out.push_str(to);
                        *inferred |= was_inferred && from != to;
                        i = end;
                        continue 'outer;
                    }
                }
            }
        }
        let Some(c) = name[i..].chars().next() else {
            break;
        };
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn env_token_counts<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for name in names {
        for token in name.split(|c: char| !is_token_char(c)) {
            let lower = token.to_ascii_lowercase();
            if ENVIRONMENT_TOKENS.contains(&lower.as_str()) && lower == token {
                *counts.entry(lower).or_insert(0) += 1;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> NameMap {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        NameMap::new(&owned)
    }

    #[test]
    fn whole_tokens_only() {
        let m = map(&[("stg", "prod")]);
        assert_eq!(m.to_production("stg-api").text, "prod-api");
        assert_eq!(m.to_production("stgx-api").text, "stgx-api");
        assert_eq!(m.to_production("app/stg").text, "app/prod");
        assert_eq!(m.to_staging("prod-api"), "stg-api");
    }

    #[test]
    fn multi_token_and_ids() {
        let m = map(&[("111111111111", "222222222222"), ("app-staging", "app")]);
        assert_eq!(
            m.to_production("arn:aws:iam::111111111111:role/x").text,
            "arn:aws:iam::222222222222:role/x"
        );
        assert_eq!(m.to_production("app-staging/api").text, "app/api");
    }

    #[test]
    fn infers_environment_tokens() {
        let mut m = NameMap::default();
        m.infer(
            ["shop-staging/api", "shop-staging/web"],
            ["shop-production/api", "shop-production/web"],
        );
        let mapped = m.to_production("shop-staging/api");
        assert_eq!(mapped.text, "shop-production/api");
        assert!(mapped.inferred);
        assert_eq!(m.to_staging("shop-production/web"), "shop-staging/web");
    }

    #[test]
    fn infers_one_account_per_side() {
        let mut m = NameMap::default();
        m.infer_accounts(&["111111111111".into()], &["222222222222".into()]);
        let mapped = m.to_production("arn:aws:iam::111111111111:role/api");
        assert_eq!(mapped.text, "arn:aws:iam::222222222222:role/api");
        assert!(mapped.inferred);
        let mut several = NameMap::default();
        several.infer_accounts(&["1".into(), "2".into()], &["3".into()]);
        assert_eq!(several.entries().count(), 0);
    }

    #[test]
    fn explicit_beats_inferred() {
        let mut m = map(&[("stg", "prd")]);
        m.infer(["stg-api"], ["prd-api"]);
        let mapped = m.to_production("stg-api");
        assert_eq!(mapped.text, "prd-api");
        assert!(!mapped.inferred);
    }
}
