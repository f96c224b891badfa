//! The concrete evaluator: the decision AWS makes for one request of one principal, from its
//! identity policies, permission boundary and service control policies.

use std::collections::BTreeMap;

use serde::Serialize;

use super::condition;
use super::glob::{Pattern, Wild};
use super::policy::{Effect, Policy, Statement, Targets};
use super::template::Template;

/// The policies that decide what one principal may do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrincipalPolicies {
    /// Inline and attached identity policies: any `Allow` grants (union).
    pub identity: Vec<Policy>,
    /// The permission boundary: when present, it must allow too.
    pub boundary: Option<Policy>,
    /// Service control policies, one list per level of the organization path (root, OUs,
    /// account): every level must allow (any policy of the level).
    pub scps: Vec<Vec<Policy>>,
}

/// One concrete request. Context keys are compared case-insensitively; a key with exactly one
/// value is single-valued, an empty list or two or more values make it multivalued.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Request {
    pub action: String,
    pub resource: String,
    pub context: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

/// `Action`/`NotAction` against `service:action`, case-insensitively.
pub(crate) fn action_matches(targets: &Targets, action: &str) -> bool {
    let any = targets.patterns.iter().any(|p| {
        // A pattern without wildcards matches its own text, ASCII case folded.
        if !p.contains(['*', '?']) {
            return p.eq_ignore_ascii_case(action);
        }
        Pattern::plain(p, Wild::Glob, true).matches(action)
    });
    any != targets.negated
}

/// `Resource`/`NotResource` against an ARN (ARN wildcard rule, case-sensitive); a pattern whose
/// variable cannot be resolved matches nothing. No element means `*`.
pub(crate) fn resource_matches(
    targets: Option<&Targets>,
    variables: bool,
    resource: &str,
    context: &BTreeMap<String, Vec<String>>,
) -> bool {
    let Some(targets) = targets else {
        return true;
    };
    let any = targets.patterns.iter().any(|p| {
        if !(variables && p.contains("${")) {
            // No variable to substitute: the text itself is the pattern, and without
            // wildcards it matches exactly itself.
            if !p.contains(['*', '?']) {
                return p == resource;
            }
            return Pattern::plain(p, Wild::Arn, false).matches(resource);
        }
        Template::parse(p, variables)
            .resolve(context)
            .is_some_and(|chars| Pattern::new(&chars, Wild::Arn, false).matches(resource))
    });
    any != targets.negated
}

/// Whether the statement applies to the request (its principal element is not consulted).
pub(crate) fn statement_matches(statement: &Statement, variables: bool, request: &Request) -> bool {
    action_matches(&statement.actions, &request.action)
        && resource_matches(
            statement.resources.as_ref(),
            variables,
            &request.resource,
            &request.context,
        )
        && statement
            .conditions
            .iter()
            .all(|c| condition::holds(c, variables, &request.context))
}

fn any_statement(policies: &[&Policy], effect: Effect, request: &Request) -> bool {
    policies.iter().any(|p| {
        p.statements
            .iter()
            .any(|s| s.effect == effect && statement_matches(s, p.variables, request))
    })
}

impl PrincipalPolicies {
    /// Every policy, in order: identity, boundary, SCP levels.
    pub(crate) fn all(&self) -> Vec<&Policy> {
        let mut all: Vec<&Policy> = self.identity.iter().collect();
        all.extend(self.boundary.iter());
        all.extend(self.scps.iter().flatten());
        all
    }
}

/// The action AWS allows whatever the policies say ("no permissions are required to perform
/// this operation", even against an explicit deny).
pub(crate) const ALWAYS_ALLOWED: &str = "sts:GetCallerIdentity";

/// The decision: `sts:GetCallerIdentity` is always allowed; an explicit `Deny` in any policy
/// wins; otherwise the request is allowed when
/// an identity policy allows it, the boundary (if any) allows it, and every SCP level allows it.
pub fn evaluate(policies: &PrincipalPolicies, request: &Request) -> Decision {
    if request.action.eq_ignore_ascii_case(ALWAYS_ALLOWED) {
        return Decision::Allow;
    }
    if any_statement(&policies.all(), Effect::Deny, request) {
        return Decision::ExplicitDeny;
    }
    let identity: Vec<&Policy> = policies.identity.iter().collect();
    let allowed = any_statement(&identity, Effect::Allow, request)
        && policies
            .boundary
            .as_ref()
            .is_none_or(|b| any_statement(&[b], Effect::Allow, request))
        && policies.scps.iter().all(|level| {
            let level: Vec<&Policy> = level.iter().collect();
            any_statement(&level, Effect::Allow, request)
        });
    if allowed {
        Decision::Allow
    } else {
        Decision::ImplicitDeny
    }
}
