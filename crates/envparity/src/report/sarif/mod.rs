//! `--format sarif`: a SARIF 2.1.0 log for code scanning. One run whose driver lists the rules
//! that appear (descriptions, help with remediation, default level, framework tags, numeric
//! security severity) and one result per finding with its input-file locations, a partial
//! fingerprint and a suppression when waived or expected. The run's invocation says whether
//! every input was read (`executionSuccessful` is false when an input error made the exit
//! code 2) and carries the inputs' errors and warnings as tool execution notifications, which
//! code scanning shows beside the results. A pure function of the report.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Report;
use crate::findings::{Evidence, Finding, Rule, Severity};
use crate::model::{Diagnostic, Level};
use model::{
    ArtifactLocation, Configuration, Driver, Help, Invocation, Location, Log, Notification,
    PhysicalLocation, Region, RuleDescriptor, Run, SarifResult, Text, Tool,
};

mod model;

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const FINGERPRINT_KEY: &str = "envparityFingerprint/v1";
/// The project's address when the crate's manifest does not name one.
const FALLBACK_URI: &str = "https://example.invalid/envparity";

fn information_uri() -> &'static str {
    match env!("CARGO_PKG_REPOSITORY") {
        "" => FALLBACK_URI,
        uri => uri,
    }
}

/// The SARIF level of a severity: critical/high are errors, medium a warning, the rest notes.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// The code-scanning `security-severity` (a CVSS-like score) of a severity.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// A path as a relative URI reference: `/` separators, percent-encoded outside the unreserved
/// characters; absolute paths become `file://` URIs.
pub fn path_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    let windows_drive =
        path.len() >= 2 && path.as_bytes()[1] == b':' && path.as_bytes()[0].is_ascii_alphabetic();
    let (prefix, rest) = if path.starts_with('/') {
        ("file://", path)
    } else if windows_drive {
        ("file:///", path)
    } else {
        ("", path)
    };
    let mut uri = String::from(prefix);
    for (index, byte) in rest.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
            || (windows_drive && index == 1 && byte == b':');
        if keep {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// `access-broader-in-staging` → `AccessBroaderInStaging`.
fn pascal_name(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `access-broader-in-staging` → `Access broader in staging`.
fn short_text(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn descriptor(rule: Rule) -> RuleDescriptor {
    let severity = rule.default_severity();
    let frameworks = rule.frameworks();
    let mut tags = vec![
        "security".to_string(),
        rule.dimension().as_str().to_string(),
    ];
    tags.extend(frameworks.iter().map(|f| f.to_string()));
    let help_text = format!(
        "{}\n\nHow to fix: {}\n\nFrameworks: {}",
        rule.summary(),
        rule.remediation(),
        frameworks.join(", ")
    );
    let framework_list: Vec<String> = frameworks.iter().map(|f| format!("- `{f}`")).collect();
    let help_markdown = format!(
        "{}\n\n**How to fix:** {}\n\n**Frameworks:**\n\n{}\n\nMore: `envparity explain {}`",
        rule.summary(),
        rule.remediation(),
        framework_list.join("\n"),
        rule.id()
    );
    RuleDescriptor {
        id: rule.id(),
        name: pascal_name(rule.id()),
        short_description: Text {
            text: short_text(rule.id()),
        },
        full_description: Text {
            text: rule.summary().to_string(),
        },
        help: Help {
            text: help_text,
            markdown: help_markdown,
        },
        default_configuration: Configuration {
            level: level(severity),
        },
        properties: json!({
            "tags": tags,
            "dimension": rule.dimension().as_str(),
            "default-severity": severity.as_str(),
            "security-severity": security_severity(severity),
        }),
    }
}

/// A file and, when known, a line of it.
fn physical(path: &str, line: Option<u32>) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: path_uri(path),
        },
        region: line
            .filter(|line| *line >= 1)
            .map(|start_line| Region { start_line }),
    }
}

fn location(evidence: &Evidence, id: Option<usize>, side: &str) -> Location {
    let text = if evidence.detail.is_empty() {
        side.to_string()
    } else {
        format!("{side}: {}", evidence.detail)
    };
    Location {
        id,
        physical_location: physical(&evidence.path, evidence.line),
        message: Some(Text { text }),
    }
}

/// Where the finding has no evidence: the first source of its environment (of staging
/// without a pair), else of its reference, else of any environment.
fn fallback_location(report: &Report, finding: &Finding) -> Option<Location> {
    let (environment, reference) = finding.side_names();
    [environment, reference]
        .iter()
        .filter_map(|role| report.environments.get(*role))
        .chain(report.environments.values())
        .find_map(|env| env.sources.first())
        .map(|source| Location {
            id: None,
            physical_location: physical(&source.path, None),
            message: None,
        })
}

/// The primary location (staging evidence first) and every other piece of evidence.
fn locations(report: &Report, finding: &Finding) -> (Vec<Location>, Vec<Location>) {
    let (staging, production) = finding.side_names();
    let sides = finding
        .evidence
        .staging
        .iter()
        .map(|e| (e, staging))
        .chain(finding.evidence.production.iter().map(|e| (e, production)));
    let mut primary = Vec::new();
    let mut related = Vec::new();
    for (index, (evidence, side)) in sides.enumerate() {
        if index == 0 {
            primary.push(location(evidence, None, side));
        } else {
            related.push(location(evidence, Some(index), side));
        }
    }
    if primary.is_empty() {
        primary.extend(fallback_location(report, finding));
    }
    (primary, related)
}

fn suppressions(finding: &Finding) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(waiver) = finding.waiver.as_ref().filter(|w| !w.expired) {
        out.push(json!({
            "kind": "external",
            "status": "accepted",
            "justification": waiver.reason,
            "properties": {"owner": waiver.owner, "expires": waiver.expires, "type": "waiver"},
        }));
    }
    if let Some(expected) = &finding.expected {
        out.push(json!({
            "kind": "external",
            "status": "accepted",
            "justification": expected.reason,
            "properties": {"type": "expected"},
        }));
    }
    out
}

fn result(report: &Report, finding: &Finding, rule_index: usize) -> SarifResult {
    let (locations, related_locations) = locations(report, finding);
    let mut properties = json!({
        "severity": finding.severity.as_str(),
        "security-severity": security_severity(finding.severity),
        "dimension": finding.dimension.as_str(),
        "confidence": finding.confidence,
        "subject": finding.subject,
        "witnesses": finding.witnesses,
        "frameworks": finding.frameworks,
    });
    if let (Some(pair), Value::Object(map)) = (&finding.pair, &mut properties) {
        map.insert("pair".into(), json!(pair));
    }
    SarifResult {
        rule_id: finding.rule.id(),
        rule_index,
        level: level(finding.severity),
        message: Text {
            text: finding.message.clone(),
        },
        locations,
        related_locations,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, finding.fingerprint.clone())]),
        suppressions: suppressions(finding),
        properties,
    }
}

/// An input error or warning as a notification at its file and line. Information
/// diagnostics (files that are no input of a known format, kinds read but not compared) stay
/// in the JSON report: as notifications they would bury the two levels that need action.
fn notification(diagnostic: &Diagnostic) -> Option<Notification> {
    let level = match diagnostic.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => return None,
    };
    Some(Notification {
        level,
        message: Text {
            text: diagnostic.message.clone(),
        },
        locations: vec![Location {
            id: None,
            physical_location: physical(&diagnostic.path, diagnostic.line),
            message: None,
        }],
    })
}

fn invocation(report: &Report) -> Invocation {
    Invocation {
        execution_successful: !report.diagnostics.iter().any(|d| d.level == Level::Error),
        tool_execution_notifications: report.diagnostics.iter().filter_map(notification).collect(),
    }
}

pub fn render(report: &Report) -> String {
    let mut rules: Vec<Rule> = report.findings.iter().map(|f| f.rule).collect();
    rules.sort_by_key(|rule| rule.id());
    rules.dedup();
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.id(), i))
        .collect();
    let results = report
        .findings
        .iter()
        .map(|f| result(report, f, index.get(f.rule.id()).copied().unwrap_or(0)))
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: report.tool.name,
                    version: report.tool.version,
                    semantic_version: report.tool.version,
                    information_uri: information_uri(),
                    rules: rules.into_iter().map(descriptor).collect(),
                },
            },
            invocations: vec![invocation(report)],
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    match serde_json::to_string_pretty(&log) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        Err(error) => format!("{{\"error\": \"{error}\"}}\n"),
    }
}

#[cfg(test)]
mod tests;
