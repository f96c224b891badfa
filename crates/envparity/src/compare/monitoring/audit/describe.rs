//! Audit levels and stages, and a one-phrase description of a class of requests
//! ("a `delete` of `secrets` in namespace `shop` by `system:serviceaccount:shop:api`").

use super::space::{Kind, Partial, Rep, Universe};
use crate::model::{AuditPolicy, AuditRule};

/// Audit levels in increasing order of what they record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Level {
    None,
    Metadata,
    Request,
    RequestResponse,
}

impl Level {
    /// The level a rule writes; an unknown level text is read as `None` (records nothing).
    pub fn parse(text: &str) -> Level {
        match text {
            "Metadata" => Level::Metadata,
            "Request" => Level::Request,
            "RequestResponse" => Level::RequestResponse,
            _ => Level::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "None",
            Level::Metadata => "Metadata",
            Level::Request => "Request",
            Level::RequestResponse => "RequestResponse",
        }
    }
}

pub(super) const STAGES: [&str; 4] = [
    "RequestReceived",
    "ResponseStarted",
    "ResponseComplete",
    "Panic",
];

/// The level a policy gives requests decided by rule `rule` (`None`: no rule matched).
pub(super) fn level(policy: &AuditPolicy, rule: Option<usize>) -> Level {
    rule.and_then(|i| policy.rules.get(i))
        .map_or(Level::None, |r| Level::parse(&r.level))
}

/// The stages recorded for requests decided by `rule` (empty when nothing is logged).
pub(super) fn recorded_stages(policy: &AuditPolicy, rule: Option<usize>) -> Vec<&'static str> {
    let Some(r) = rule.and_then(|i| policy.rules.get(i)) else {
        return Vec::new();
    };
    if Level::parse(&r.level) == Level::None {
        return Vec::new();
    }
    STAGES
        .into_iter()
        .filter(|s| !omits(policy, r, s))
        .collect()
}

fn omits(policy: &AuditPolicy, rule: &AuditRule, stage: &str) -> bool {
    policy.omit_stages.iter().any(|s| s == stage) || rule.omit_stages.iter().any(|s| s == stage)
}

fn shown(rep: &Rep, other: &str) -> String {
    match rep {
        Some(v) => format!("`{v}`"),
        None => other.to_string(),
    }
}

/// A phrase for a class of requests; dimensions the policies ignore are left out.
pub(super) fn describe(q: &Partial, universe: &Universe) -> String {
    let mut out = match &q.verb {
        None => "any request".to_string(),
        Some(Some(v)) => format!("a `{v}`"),
        Some(None) => "a request with another verb".to_string(),
    };
    match q.kind {
        Some(Kind::Resource) => {
            let resource = match (&q.resource, &q.subresource) {
                (Some(Some(r)), Some(Some(sub))) if !sub.is_empty() => format!("`{r}/{sub}`"),
                (Some(None), Some(Some(sub))) if !sub.is_empty() => {
                    format!("subresource `{sub}` of another resource")
                }
                (Some(r), Some(None)) => {
                    format!("{} with another subresource", shown(r, "another resource"))
                }
                (Some(r), _) => shown(r, "another resource"),
                (None, _) => "any resource".to_string(),
            };
            let group = match &q.api_group {
                Some(Some(g)) if g.is_empty() => " (core group)".to_string(),
                Some(Some(g)) => format!(" of API group `{g}`"),
                Some(None) => " of another API group".to_string(),
                None => String::new(),
            };
            out.push_str(&format!(" on {resource}{group}"));
            if let Some(name) = &q.name {
                out.push_str(&format!(" named {}", shown(name, "otherwise")));
            }
            match &q.namespace {
                Some(Some(ns)) if ns.is_empty() => out.push_str(" (cluster-scoped)"),
                Some(ns) => out.push_str(&format!(" in namespace {}", shown(ns, "another"))),
                None => {}
            }
        }
        Some(Kind::NonResource) => match &q.path {
            Some(path) => out.push_str(&format!(" to non-resource URL `{path}`")),
            None => out.push_str(" to any non-resource URL"),
        },
        None => {}
    }
    if let Some(user) = &q.user {
        out.push_str(&format!(" by {}", shown(user, "another user")));
    }
    let member: Vec<String> = universe
        .groups
        .iter()
        .zip(&q.groups)
        .filter(|(_, m)| **m == Some(true))
        .map(|(g, _)| format!("`{g}`"))
        .collect();
    if !member.is_empty() {
        out.push_str(&format!(" in group {}", member.join(", ")));
    }
    let not_member = universe
        .groups
        .iter()
        .zip(&q.groups)
        .filter(|(_, m)| **m == Some(false))
        .count();
    if member.is_empty() && not_member > 0 {
        out.push_str(" outside the groups the policies name");
    }
    out
}
