//! Role trust policies: which principals an `Allow` statement lets assume the role.

use serde::Serialize;

use super::catalog::glob_match;
use super::policy::{Effect, Policy};

/// The type of a principal named in `Principal`/`NotPrincipal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum PrincipalKind {
    /// `AWS`: an account id, `arn:aws:iam::N:root`, a role or user ARN.
    Aws,
    Service,
    Federated,
    CanonicalUser,
    /// `"*"` or `{"AWS": "*"}`: anyone.
    Any,
}

/// One principal a trust policy lets assume the role, through one action.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TrustedPrincipal {
    pub kind: PrincipalKind,
    /// As written: an ARN, an account id, a service name, a provider ARN, or `*`.
    pub value: String,
    /// The statement has a `Condition`.
    pub conditional: bool,
    /// The action pattern as written (`sts:AssumeRole`, `sts:*`, `*`); for a `NotAction`
    /// statement, the trust action it leaves allowed.
    pub action: String,
}

/// The actions that let a principal into a role.
const TRUST_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
    "sts:TagSession",
];

fn grants_trust(pattern: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    TRUST_ACTIONS
        .iter()
        .any(|a| glob_match(&pattern, &a.to_ascii_lowercase()))
}

/// The principals the `Allow` statements of a trust policy name for a trust action, sorted and
/// deduplicated. A `NotPrincipal` in an `Allow` statement trusts everyone it does not name and
/// is reported as [`PrincipalKind::Any`]. `Deny` statements are not subtracted.
pub fn trusted_principals(trust: &Policy) -> Vec<TrustedPrincipal> {
    let mut out = Vec::new();
    for statement in &trust.statements {
        if statement.effect != Effect::Allow {
            continue;
        }
        let Some(principals) = &statement.principals else {
            continue;
        };
        let actions: Vec<String> = if statement.actions.negated {
            TRUST_ACTIONS
                .iter()
                .filter(|a| {
                    let name = a.to_ascii_lowercase();
                    !statement
                        .actions
                        .patterns
                        .iter()
                        .any(|p| glob_match(&p.to_ascii_lowercase(), &name))
                })
                .map(|a| a.to_string())
                .collect()
        } else {
            statement
                .actions
                .patterns
                .iter()
                .filter(|p| grants_trust(p))
                .cloned()
                .collect()
        };
        let conditional = !statement.conditions.is_empty();
        let entries: Vec<(PrincipalKind, String)> = if principals.negated {
            vec![(PrincipalKind::Any, "*".to_string())]
        } else {
            principals.entries.clone()
        };
        for action in &actions {
            for (kind, value) in &entries {
                out.push(TrustedPrincipal {
                    kind: *kind,
                    value: value.clone(),
                    conditional,
                    action: action.clone(),
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
