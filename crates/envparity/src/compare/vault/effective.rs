//! What a Vault token gets: the ACL merged from a role's policies (its `token_policies`, plus
//! `default` unless `token_no_default_policy`; `root` is built in), or from one policy alone;
//! with the policies that are not among the inputs.

use envparity_access::vault::{Acl, Flavor, PathRule, Policy, TokenMap, lookup, one_line};

use crate::correlate::NameMap;
use crate::findings::Evidence;
use crate::model::{Provenance, VaultPolicy, VaultRole};

/// The server flavour the comparison follows (Vault's LIST fallbacks and value matching).
pub const FLAVOR: Flavor = Flavor::Vault;

/// The effective ACL of one subject, and what it is made of.
pub struct Effective<'a> {
    /// `Err` when the policies cannot be combined (`root` with others).
    pub acl: Result<Acl, String>,
    /// The policies read from the inputs, in order.
    pub policies: Vec<&'a VaultPolicy>,
    /// Policy names that are not among the inputs (in the side's own names).
    pub missing: Vec<String>,
    /// Where the subject is defined.
    pub provenance: Provenance,
}

fn engine_policy(policy: &VaultPolicy) -> Policy {
    Policy {
        name: policy.name.clone(),
        rules: policy.rules.iter().map(|r| r.rule.clone()).collect(),
    }
}

/// The policy names a role's tokens carry.
pub fn role_policy_names(role: &VaultRole) -> Vec<String> {
    let mut names = role.policies.clone();
    if !role.no_default_policy && !names.iter().any(|n| n == "default") {
        names.push("default".to_string());
    }
    names
}

pub fn of_role<'a>(role: &VaultRole, inputs: &'a [VaultPolicy]) -> Effective<'a> {
    let mut policies = Vec::new();
    let mut engine = Vec::new();
    let mut missing = Vec::new();
    for name in role_policy_names(role) {
        if name == "root" {
            engine.push(Policy {
                name,
                rules: Vec::new(),
            });
            continue;
        }
        match inputs.iter().find(|p| p.name == name) {
            Some(p) => {
                engine.push(engine_policy(p));
                policies.push(p);
            }
            None => missing.push(name),
        }
    }
    Effective {
        acl: Acl::new(&engine, FLAVOR).map_err(|e| e.to_string()),
        policies,
        missing,
        provenance: role.provenance.clone(),
    }
}

pub fn of_policy(policy: &VaultPolicy) -> Effective<'_> {
    Effective {
        acl: Acl::new(&[engine_policy(policy)], FLAVOR).map_err(|e| e.to_string()),
        policies: vec![policy],
        missing: Vec::new(),
        provenance: policy.provenance.clone(),
    }
}

/// The engine's mapping: the name map's whole-token substitutions.
pub fn token_map(names: &NameMap) -> TokenMap {
    TokenMap::new(
        names
            .entries()
            .map(|(from, to, _)| (from.to_string(), to.to_string())),
    )
}

/// A rule as a person reads it in evidence.
fn rule_text(rule: &PathRule, policy: &str) -> String {
    let caps: Vec<&str> = rule.capabilities.iter().map(|c| c.name()).collect();
    let mut text = format!(
        "`path \"{}\"` grants [{}] (policy `{}`)",
        one_line(&rule.pattern),
        caps.join(", "),
        one_line(policy)
    );
    if !rule.allowed_parameters.is_empty()
        || !rule.denied_parameters.is_empty()
        || !rule.required_parameters.is_empty()
    {
        text.push_str(" with parameter rules");
    }
    if rule.min_wrapping_ttl.is_set() || rule.max_wrapping_ttl.is_set() {
        text.push_str(" with wrapping TTL rules");
    }
    text
}

/// Evidence for how `effective` decides `operation` on `path`: the rules of the matched key,
/// or the subject's definition when no rule matches.
pub fn deciding_rules(
    effective: &Effective<'_>,
    operation: envparity_access::vault::Operation,
    path: &str,
    what: &str,
) -> Vec<Evidence> {
    let Ok(acl) = &effective.acl else {
        return Vec::new();
    };
    if acl.root {
        return vec![Evidence::at(
            &effective.provenance,
            None,
            format!("{what} carries the `root` policy"),
        )];
    }
    let Some((kind, key, _)) = lookup(acl, operation, path) else {
        return vec![Evidence::at(
            &effective.provenance,
            None,
            format!("no rule of {what} matches `{}`", one_line(path)),
        )];
    };
    let mut out = Vec::new();
    for policy in &effective.policies {
        for at in &policy.rules {
            if at.rule.key() == (kind, key.to_string()) {
                out.push(Evidence::at(
                    &at.provenance,
                    None,
                    rule_text(&at.rule, &policy.name),
                ));
            }
        }
    }
    out
}
