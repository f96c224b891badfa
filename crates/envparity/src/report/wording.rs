//! Witness requests as short sentences, for the text report (and later Markdown and HTML):
//! Kubernetes requests, network flows, and the AWS, Vault and GCP request shapes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) if text.is_empty() => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// `{app=api}`, or `any pod` for an empty selector.
fn pods_text(labels: Option<&Value>) -> String {
    match labels {
        Some(Value::Object(map)) if !map.is_empty() => {
            let pairs: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}={}", value_text(v).unwrap_or_default()))
                .collect();
            format!("pods {{{}}}", pairs.join(","))
        }
        _ => "any pod".to_string(),
    }
}

/// A network peer: an address, or pods in a namespace.
fn peer_text(peer: Option<&Value>) -> String {
    let Some(peer) = peer else {
        return "anywhere".to_string();
    };
    if let Some(ip) = peer.get("ip").and_then(value_text) {
        return format!("address {ip}");
    }
    let mut text = pods_text(peer.get("pod_labels"));
    if let Some(namespace) = peer.get("namespace").and_then(value_text) {
        let _ = write!(text, " in namespace {namespace}");
    }
    // The namespace's own name label says nothing new; other labels tell peers apart.
    if let Some(Value::Object(labels)) = peer.get("namespace_labels") {
        let shown: Vec<String> = labels
            .iter()
            .filter(|(k, _)| k.as_str() != "kubernetes.io/metadata.name")
            .map(|(k, v)| format!("{k}={}", value_text(v).unwrap_or_default()))
            .collect();
        if !shown.is_empty() {
            let _ = write!(text, " labelled {{{}}}", shown.join(","));
        }
    }
    text
}

/// A network flow: `ingress TCP/8080 from address 203.0.113.7 to pods {app=api} in shop`.
fn flow_text(direction: &str, request: &BTreeMap<String, Value>) -> String {
    let port = request
        .get("port")
        .and_then(value_text)
        .unwrap_or_else(|| "any port".to_string());
    let mut target = pods_text(request.get("pod_labels"));
    if let Some(namespace) = request.get("namespace").and_then(value_text) {
        let _ = write!(target, " in namespace {namespace}");
    }
    let peer = peer_text(request.get("peer"));
    if direction == "egress" {
        format!("egress {port} from {target} to {peer}")
    } else {
        format!("{direction} {port} from {peer} to {target}")
    }
}

/// A witness request as a sentence: `get secrets "db" in namespace shop-staging`.
pub fn request_text(request: &BTreeMap<String, Value>) -> String {
    let field = |key: &str| request.get(key).and_then(value_text);
    if let Some(url) = field("nonResourceURL") {
        return format!("{} {url}", field("verb").unwrap_or_else(|| "*".into()));
    }
    if let (Some(verb), Some(resource)) = (field("verb"), field("resource")) {
        let mut text = format!("{verb} {resource}");
        if let Some(group) = field("apiGroup") {
            let _ = write!(text, ".{group}");
        }
        if let Some(sub) = field("subresource") {
            let _ = write!(text, "/{sub}");
        }
        if let Some(name) = field("name") {
            let _ = write!(text, " \"{name}\"");
        }
        match field("namespace") {
            Some(namespace) => {
                let _ = write!(text, " in namespace {namespace}");
            }
            None => text.push_str(" cluster-wide"),
        }
        return text;
    }
    if let Some(direction) = field("direction") {
        return flow_text(&direction, request);
    }
    let pairs = |keys: &[&str]| keys.iter().map(|k| field(k)).collect::<Option<Vec<_>>>();
    if let Some(v) = pairs(&["action", "resource"]) {
        let mut text = format!("{} on {}", v[0], v[1]);
        if let Some(Value::Object(context)) = request.get("context")
            && !context.is_empty()
        {
            let conditions: Vec<String> = context
                .iter()
                .map(|(k, v)| format!("{k}={}", value_text(v).unwrap_or_default()))
                .collect();
            let _ = write!(text, " when {}", conditions.join(", "));
        }
        return text;
    }
    if let Some(v) = pairs(&["operation", "path"]) {
        return format!("{} {}", v[0], v[1]);
    }
    if let Some(v) = pairs(&["permission", "resource"]) {
        return format!("{} on {}", v[0], v[1]);
    }
    request
        .iter()
        .filter_map(|(k, v)| value_text(v).map(|v| format!("{k}={v}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The verdict a report's headline states: at parity or not, the counting findings per
/// severity, and how many findings are waived or expected.
pub struct Verdict {
    pub at_parity: bool,
    /// `2 findings (1 high, 1 low)`, empty at parity.
    pub findings: String,
    pub waived: usize,
}

impl Verdict {
    pub fn of(report: &super::Report) -> Verdict {
        use crate::findings::Severity;
        let counting: Vec<&crate::findings::Finding> =
            report.findings.iter().filter(|f| f.counts()).collect();
        let waived = report.findings.len() - counting.len();
        let by_severity: Vec<String> = Severity::ALL
            .iter()
            .filter_map(|severity| {
                let n = counting.iter().filter(|f| f.severity == *severity).count();
                (n > 0).then(|| format!("{n} {}", severity.as_str()))
            })
            .collect();
        let findings = if counting.is_empty() {
            String::new()
        } else {
            let noun = if counting.len() == 1 {
                "finding"
            } else {
                "findings"
            };
            format!("{} {noun} ({})", counting.len(), by_severity.join(", "))
        };
        Verdict {
            at_parity: counting.is_empty(),
            findings,
            waived,
        }
    }

    /// `at parity` / `not at parity: …`, with the two labels given decorated by the caller.
    pub fn sentence(&self, at_parity: &str, not_at_parity: &str) -> String {
        let mut text = if self.at_parity {
            at_parity.to_string()
        } else {
            format!("{not_at_parity}: {}", self.findings)
        };
        if self.waived > 0 {
            let _ = write!(text, ", {} waived or expected", self.waived);
        }
        text
    }
}

/// Tool prose whose quoted values are in backticks: quoted parts go through `code`, the rest
/// through `plain`. With unbalanced backticks the whole text goes through `plain`.
pub fn prose_with(
    text: &str,
    plain: impl Fn(&str) -> String,
    code: impl Fn(&str) -> String,
) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return plain(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(index, part)| {
            if index % 2 == 1 {
                code(part)
            } else {
                plain(part)
            }
        })
        .collect()
}
