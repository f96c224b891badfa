//! Translating staging's names into production's: a caller-supplied [`PathMapping`] (a pair of
//! functions, or [`TokenMap`], whole-token substitutions like `staging=production`), applied
//! to staging's path patterns and parameter values before the comparison. Renaming a glob is
//! exact only when no substituted token can straddle the glob; patterns where it could are
//! reported, as are distinct patterns the mapping merges into one and patterns that do not
//! translate back to themselves (they already hold production's names).

use std::collections::BTreeMap;

use serde_json::Value;

use super::acl::{Acl, AclError};
use super::policy::{Policy, key_of, one_line};

/// Staging names to production names and back.
pub trait PathMapping {
    fn to_production(&self, staging: &str) -> String;
    fn to_staging(&self, production: &str) -> String;
    /// Why renaming the staging pattern `pattern` may change which paths it matches, if it
    /// may. The default knows nothing and trusts the functions.
    fn inexact(&self, _pattern: &str) -> Option<String> {
        None
    }
}

/// The same names on both sides.
#[derive(Debug, Clone, Copy, Default)]
pub struct Identity;

impl PathMapping for Identity {
    fn to_production(&self, staging: &str) -> String {
        staging.to_string()
    }

    fn to_staging(&self, production: &str) -> String {
        production.to_string()
    }
}

/// A mapping given as two functions.
pub struct FnMapping<F, G>(pub F, pub G);

impl<F: Fn(&str) -> String, G: Fn(&str) -> String> PathMapping for FnMapping<F, G> {
    fn to_production(&self, staging: &str) -> String {
        (self.0)(staging)
    }

    fn to_staging(&self, production: &str) -> String {
        (self.1)(production)
    }
}

/// Whole-token substitutions (tokens are runs of ASCII letters and digits; a substituted text
/// may span several tokens, e.g. `app-staging=app`), longest first.
#[derive(Debug, Clone, Default)]
pub struct TokenMap {
    /// (staging text, production text), longest staging text first.
    forward: Vec<(String, String)>,
    /// (production text, staging text), longest production text first; first pair wins.
    backward: Vec<(String, String)>,
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

impl TokenMap {
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> TokenMap {
        let mut forward: Vec<(String, String)> = Vec::new();
        for (from, to) in pairs {
            if !from.is_empty() && !forward.iter().any(|(f, _)| *f == from) {
                forward.push((from, to));
            }
        }
        let order = |a: &(String, String), b: &(String, String)| {
            b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0))
        };
        forward.sort_by(order);
        let mut backward: Vec<(String, String)> = Vec::new();
        for (from, to) in &forward {
            if !to.is_empty() && !backward.iter().any(|(f, _)| f == to) {
                backward.push((to.clone(), from.clone()));
            }
        }
        backward.sort_by(order);
        TokenMap { forward, backward }
    }

    pub fn is_empty(&self) -> bool {
        self.forward.is_empty()
    }
}

/// Replaces every occurrence of a `from` that starts and ends on token boundaries.
fn rewrite(name: &str, entries: &[(String, String)]) -> String {
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    'outer: while i < name.len() {
        let before = name[..i].chars().next_back();
        if before.is_none_or(|c| !is_token_char(c)) {
            for (from, to) in entries {
                if name[i..].starts_with(from.as_str()) {
                    let end = i + from.len();
                    if name[end..].chars().next().is_none_or(|c| !is_token_char(c)) {
                        out.push_str(to);
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

impl PathMapping for TokenMap {
    fn to_production(&self, staging: &str) -> String {
        rewrite(staging, &self.forward)
    }

    fn to_staging(&self, production: &str) -> String {
        rewrite(production, &self.backward)
    }

    fn inexact(&self, pattern: &str) -> Option<String> {
        let segment = key_of(pattern).0 == super::policy::KeyKind::Segment;
        if segment && let Some((from, _)) = self.forward.iter().find(|(f, _)| f.contains('/')) {
            return Some(format!(
                "the mapping of `{}` spans a `/`, which `+` segments of `{}` may split",
                one_line(from),
                one_line(pattern)
            ));
        }
        let base = pattern.strip_suffix('*')?;
        // A substituted text that starts on a token boundary inside the glob's literal part
        // and reaches its end could continue past it into the paths the glob matches.
        for (i, _) in base.char_indices() {
            let before = base[..i].chars().next_back();
            if before.is_some_and(is_token_char) {
                continue;
            }
            let tail = &base[i..];
            if let Some((from, _)) = self.forward.iter().find(|(f, _)| f.starts_with(tail)) {
                return Some(format!(
                    "the glob `{}` ends inside `{}`, which the mapping renames",
                    one_line(pattern),
                    one_line(from)
                ));
            }
        }
        None
    }
}

/// `policies` with every path pattern and string parameter value renamed into production's
/// names, merged into an ACL; with the reasons the renaming may not be exact.
pub fn renamed(acl: &Acl, mapping: &dyn PathMapping) -> Result<(Acl, Vec<String>), AclError> {
    let mut reasons = Vec::new();
    let mut origin: BTreeMap<(super::policy::KeyKind, String), String> = BTreeMap::new();
    let policies: Vec<Policy> = acl
        .policies
        .iter()
        .map(|policy| {
            let mut policy = policy.clone();
            for rule in &mut policy.rules {
                if let Some(reason) = mapping.inexact(&rule.pattern) {
                    reasons.push(reason);
                }
                let original = rule.pattern.clone();
                rule.pattern = mapping.to_production(&rule.pattern);
                // A pattern that already holds production's names would stand for other
                // staging paths once translated back.
                if mapping.to_staging(&rule.pattern) != original {
                    reasons.push(format!(
                        "staging's `{}` holds a name the mapping gives to production",
                        one_line(&original)
                    ));
                }
                let key = key_of(&rule.pattern);
                match origin.get(&key) {
                    Some(other) if *other != original => reasons.push(format!(
                        "the mapping renames both `{}` and `{}` to `{}`",
                        one_line(other),
                        one_line(&original),
                        one_line(&rule.pattern)
                    )),
                    Some(_) => {}
                    None => {
                        origin.insert(key, original);
                    }
                }
                for values in rule
                    .allowed_parameters
                    .values_mut()
                    .chain(rule.denied_parameters.values_mut())
                {
                    for v in values.iter_mut() {
                        if let Value::String(s) = v {
                            *s = mapping.to_production(s);
                        }
                    }
                }
            }
            policy
        })
        .collect();
    reasons.sort();
    reasons.dedup();
    Ok((Acl::new(&policies, acl.flavor)?, reasons))
}
