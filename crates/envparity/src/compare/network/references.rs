//! Configuration values that reach the other environment (`network-cross-environment-path`):
//! a ConfigMap entry (or a setting of a config file it holds) or a workload env literal whose
//! endpoint names one of the other environment's namespaces (`https://payments.shop-production.svc`
//! in staging) or an environment token only the other side's mapping uses (`db.prod.internal`).

use std::collections::BTreeSet;

use super::cross::tokens_of;
use super::endpoints::hosts;
use super::known_namespaces;
use crate::compare::config::entries::side_name;
use crate::compare::config::sites::{Site, plain_sites};
use crate::compare::{Context, Results};
use crate::correlate::ENVIRONMENT_TOKENS;
use crate::findings::{Confidence, Finding, Rule, Side, Subject};
use crate::model::Snapshot;

/// What one side's values must not name.
struct Foreign {
    side: Side,
    /// Namespaces of the other environment this side does not have, with whether the other
    /// snapshot shows them (rather than only the name mapping implying them).
    namespaces: Vec<(String, bool)>,
    /// Environment tokens of the other side's mapping (and of the other environment's name)
    /// that this side never uses.
    tokens: BTreeSet<String>,
    /// AWS account ids of the other environment that are not this one's.
    accounts: BTreeSet<String>,
}

/// One name of the other environment found in a value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Reference {
    Namespace { name: String, shown_there: bool },
    Token(String),
    Account(String),
}

impl Reference {
    fn describe(&self, other: &str) -> String {
        match self {
            Reference::Namespace { name, .. } => format!("{other} namespace `{name}`"),
            Reference::Token(token) => format!("the {other} environment (`{token}`)"),
            Reference::Account(id) => format!("{other} AWS account `{id}`"),
        }
    }

    fn name(&self) -> &str {
        match self {
            Reference::Namespace { name, .. }
            | Reference::Token(name)
            | Reference::Account(name) => name,
        }
    }
}

fn foreign(ctx: &Context<'_>, side: Side) -> Foreign {
    let (own, other) = match side {
        Side::Staging => (ctx.staging, ctx.production),
        Side::Production => (ctx.production, ctx.staging),
    };
    let away = |name: &str| match side {
        Side::Staging => ctx.names.to_production(name).text,
        Side::Production => ctx.names.to_staging(name),
    };
    let back = |name: &str| match side {
        Side::Staging => ctx.names.to_staging(name),
        Side::Production => ctx.names.to_production(name).text,
    };
    let own_ns = known_namespaces(own);
    let other_ns = known_namespaces(other);
    let mut names: BTreeSet<String> = own_ns.iter().map(|n| away(n)).collect();
    names.extend(other_ns.iter().cloned());
    // Only names that carry the other environment: shared ones (`monitoring`) never count.
    let namespaces = names
        .into_iter()
        .filter(|n| !own_ns.contains(n) && back(n) != *n)
        .map(|n| {
            let shown = other_ns.contains(&n);
            (n, shown)
        })
        .collect();
    let entries: Vec<(String, String)> = ctx
        .names
        .entries()
        .map(|(f, t, _)| (f.to_string(), t.to_string()))
        .collect();
    let (own_extra, other_side): (Vec<String>, Vec<String>) = match side {
        Side::Staging => entries.iter().cloned().unzip(),
        Side::Production => entries.iter().map(|(f, t)| (t.clone(), f.clone())).unzip(),
    };
    let own_tokens = tokens_of(
        own,
        own_extra
            .into_iter()
            .chain(environment_words(&own.environment)),
    );
    // The other environment's own name counts even when it is no well-known word (`eqiad`).
    let own_words = environment_words(&own.environment);
    let tokens = other_side
        .into_iter()
        .map(|t| t.to_ascii_lowercase())
        .filter(|t| ENVIRONMENT_TOKENS.contains(&t.as_str()))
        .chain(environment_words(&other.environment))
        .filter(|t| !own_tokens.contains(t) && !own_words.contains(t))
        .collect();
    let own_accounts = own.accounts();
    let accounts = other
        .accounts()
        .into_iter()
        .filter(|a| !own_accounts.contains(a))
        .collect();
    Foreign {
        side,
        namespaces,
        tokens,
        accounts,
    }
}

/// The lower-case alphanumeric words of a text.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// An environment's name and its usual short forms (`production`: `prod`, `prd`).
fn environment_words(name: &str) -> Vec<String> {
    let name = name.to_ascii_lowercase();
    let group: &[&str] = match name.as_str() {
        "production" | "prod" | "prd" => &["production", "prod", "prd"],
        "staging" | "stage" | "stg" => &["staging", "stage", "stg"],
        "development" | "dev" => &["development", "dev"],
        _ => &[],
    };
    let mut out: Vec<String> = group.iter().map(|w| w.to_string()).collect();
    out.push(name);
    out
}

/// The (account id, resource) of every ARN in a value.
fn arns(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find("arn:") {
        let text = &rest[start..];
        let end = text
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | ')' | ']'))
            .unwrap_or(text.len());
        let arn = &text[..end];
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        if let [_, _, _, _, account, resource] = parts.as_slice() {
            let account = if account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()) {
                account.to_string()
            } else {
                String::new()
            };
            out.push((account, resource.to_string()));
        }
        rest = &text[end.max(4)..];
    }
    out.retain(|(a, r)| !a.is_empty() || !r.is_empty());
    out
}

/// The other environment's names among the hosts `value` addresses, the ARNs it holds, and
/// (for keys that name a resource: endpoints, buckets, queues, namespaces, roles) the value
/// itself.
fn references(foreign: &Foreign, key: &str, value: &str) -> Vec<Reference> {
    let mut out = BTreeSet::new();
    let token_refs = |text: &str| -> Vec<Reference> {
        words(text)
            .into_iter()
            .filter(|t| foreign.tokens.contains(t))
            .map(Reference::Token)
            .collect()
    };
    for host in hosts(value) {
        let mut by_namespace = false;
        for label in host.split('.') {
            if let Some((name, shown)) = foreign.namespaces.iter().find(|(n, _)| n == label) {
                by_namespace = true;
                out.insert(Reference::Namespace {
                    name: name.clone(),
                    shown_there: *shown,
                });
            }
        }
        if !by_namespace {
            out.extend(token_refs(&host));
        }
    }
    // Names outside hosts count only when no host already named the other environment.
    let by_host = !out.is_empty();
    for (account, resource) in arns(value) {
        if foreign.accounts.contains(&account) {
            out.insert(Reference::Account(account));
        }
        if !by_host {
            out.extend(token_refs(&resource));
        }
    }
    if !by_host && names_a_resource(key) && !value.contains(' ') {
        let whole = value.trim();
        match foreign.namespaces.iter().find(|(n, _)| n == whole) {
            Some((name, shown)) => {
                out.insert(Reference::Namespace {
                    name: name.clone(),
                    shown_there: *shown,
                });
            }
            None => out.extend(token_refs(whole)),
        }
    }
    out.into_iter().collect()
}

fn finding(foreign: &Foreign, site: &Site<'_>, refs: &[Reference]) -> Finding {
    let (this, other) = (side_name(foreign.side), side_name(foreign.side.other()));
    let described: Vec<String> = refs.iter().map(|r| r.describe(other)).collect();
    let described = described.join(" and ");
    let holds = if site.value.sensitive {
        "holds a value (not shown) that addresses".to_string()
    } else {
        format!("is {}, which addresses", site.value.shown())
    };
    let message = format!(
        "In {this}, {} {holds} {described}; {this} must not reach {other}'s services.",
        site.phrase()
    );
    let subject = Subject {
        kind: "config-key".to_string(),
        staging: (foreign.side == Side::Staging).then(|| site.name.clone()),
        production: (foreign.side == Side::Production).then(|| site.name.clone()),
    };
    let proven = refs.iter().all(|r| {
        matches!(
            r,
            Reference::Namespace {
                shown_there: true,
                ..
            }
        )
    });
    let keys: Vec<&str> = refs.iter().map(Reference::name).collect();
    Finding::new(Rule::NetworkCrossEnvironmentPath, subject, message)
        .confidence(if proven {
            Confidence::Proven
        } else {
            Confidence::Likely
        })
        .key(format!("reference:{this}:{}", keys.join(",")))
        .evidence_on(
            foreign.side,
            site.evidence(format!("value addresses {described}")),
        )
}

/// Keys whose value is the name of a resource: a bucket, queue, topic, host, namespace, role.
fn names_a_resource(key: &str) -> bool {
    const RESOURCE_WORDS: &[&str] = &[
        "bucket",
        "queue",
        "topic",
        "host",
        "hostname",
        "endpoint",
        "url",
        "uri",
        "server",
        "broker",
        "brokers",
        "namespace",
        "arn",
        "role",
        "dsn",
        "address",
        "domain",
        "cluster",
        "database",
        "db",
        "stream",
        "table",
        "vpc",
        "subnet",
        "project",
        "account",
    ];
    let own = key.rsplit(['.', '#']).next().unwrap_or(key);
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in own.chars() {
        if !c.is_ascii_alphanumeric() {
            previous_lower = false;
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
        .last()
        .is_some_and(|last| RESOURCE_WORDS.contains(&last.as_str()))
}

fn check(snapshot: &Snapshot, foreign: &Foreign, results: &mut Results) {
    if foreign.namespaces.is_empty() && foreign.tokens.is_empty() && foreign.accounts.is_empty() {
        return;
    }
    let sites = plain_sites(snapshot);
    let found: Vec<(&Site<'_>, Vec<Reference>)> = sites
        .iter()
        .map(|s| (s, references(foreign, &s.key, s.value.raw())))
        .filter(|(_, refs)| !refs.is_empty())
        .collect();
    // A config file held in one key is reported by its settings when one of them is found.
    let by_setting: BTreeSet<(String, String)> = found
        .iter()
        .filter(|(s, _)| s.nested)
        .filter_map(|(s, _)| {
            let (parent, _) = s.key.split_once('#')?;
            Some((s.object.clone(), parent.to_string()))
        })
        .collect();
    for (site, refs) in &found {
        if site.has_settings && by_setting.contains(&(site.object.clone(), site.key.clone())) {
            continue;
        }
        results.add(finding(foreign, site, refs));
    }
}

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    check(ctx.staging, &foreign(ctx, Side::Staging), results);
    check(ctx.production, &foreign(ctx, Side::Production), results);
}

#[cfg(test)]
#[path = "references_tests.rs"]
mod tests;
