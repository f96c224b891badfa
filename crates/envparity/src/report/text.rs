//! `--format text`: a header (environments, sources), the score and verdict, a table of
//! dimensions, findings grouped by severity with evidence and witness requests, then
//! unmatched entities and diagnostics. A pure function of the report; plain ASCII decorations,
//! ANSI colour only when [`TextStyle::color`] is set; lines sized for a 100-column terminal.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::{Report, TextStyle};
use crate::findings::{Confidence, Evidence, Finding, Severity, Side, Witness};
use crate::model::Level;

const WIDTH: usize = 100;

/// ANSI decorations, or none.
#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn severity(self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.wrap(code, text)
    }
}

/// Input text never carries control characters (terminal escapes) into the output.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// Splits a word longer than `room` characters into pieces that fit, after a `,` or `/`
/// where one is near the end of a piece.
fn pieces(word: &str, room: usize) -> Vec<String> {
    let room = room.max(20);
    let chars: Vec<char> = word.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    while chars.len() - start > room {
        let window = &chars[start..start + room];
        let cut = window
            .iter()
            .rposition(|c| matches!(c, ',' | '/'))
            .filter(|&at| at >= room / 2)
            .map_or(room, |at| at + 1);
        out.push(chars[start..start + cut].iter().collect());
        start += cut;
    }
    out.push(chars[start..].iter().collect());
    out
}

/// Appends `text` word-wrapped: the first line after the label `first` (and a space unless
/// the label is only indentation), the others after `indent` spaces. Words longer than a line
/// are split.
fn push_wrapped(out: &mut String, first: &str, indent: usize, text: &str) {
    let mut line = first.to_string();
    if !first.trim().is_empty() && !first.ends_with(' ') {
        line.push(' ');
    }
    let mut empty = true;
    let room = WIDTH.saturating_sub(indent);
    for word in clean(text).split_whitespace() {
        for piece in pieces(word, room) {
            let fits = line.chars().count() + 1 + piece.chars().count() <= WIDTH;
            if !empty && !fits {
                out.push_str(line.trim_end());
                out.push('\n');
                line = " ".repeat(indent);
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(&piece);
            empty = false;
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn header(out: &mut String, report: &Report, paint: Paint) {
    let _ = writeln!(out, "{}", paint.bold("envparity report"));
    for role in ["staging", "production"] {
        let Some(environment) = report.environments.get(role) else {
            continue;
        };
        let objects: usize = environment.sources.iter().map(|s| s.objects).sum();
        let label = if environment.name == role {
            format!("{role}:")
        } else {
            format!("{role} ({}):", clean(&environment.name))
        };
        let _ = writeln!(
            out,
            "  {label:<12} {}, {}",
            plural(environment.sources.len(), "source", "sources"),
            plural(objects, "object", "objects"),
        );
    }
}

fn verdict(report: &Report, paint: Paint) -> String {
    let counting: Vec<&Finding> = report.findings.iter().filter(|f| f.counts()).collect();
    let waived = report.findings.len() - counting.len();
    if counting.is_empty() {
        return match waived {
            0 => paint.bold("at parity"),
            n => format!(
                "{} ({} waived or expected)",
                paint.bold("at parity"),
                plural(n, "difference", "differences")
            ),
        };
    }
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|severity| {
            let n = counting.iter().filter(|f| f.severity == *severity).count();
            (n > 0).then(|| paint.severity(*severity, &format!("{n} {}", severity.as_str())))
        })
        .collect();
    let mut text = format!(
        "{}: {} ({})",
        paint.bold("not at parity"),
        plural(counting.len(), "finding", "findings"),
        by_severity.join(", ")
    );
    if waived > 0 {
        let _ = write!(text, ", {waived} waived or expected");
    }
    text
}

fn summary(out: &mut String, report: &Report, paint: Paint) {
    let _ = writeln!(
        out,
        "\nscore {:.1}/100, {}",
        report.summary.score,
        verdict(report, paint)
    );
    if report.summary.dimensions.is_empty() {
        let _ = writeln!(out, "\nnothing was compared");
        return;
    }
    let _ = writeln!(
        out,
        "\n  {:<12} {:>6} {:>9} {:>9}",
        "dimension", "score", "compared", "findings"
    );
    for (name, dimension) in &report.summary.dimensions {
        let _ = writeln!(
            out,
            "  {name:<12} {:>6.1} {:>9} {:>9}",
            dimension.score, dimension.compared, dimension.findings
        );
    }
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Staging => "staging",
        Side::Production => "production",
    }
}

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
pub(crate) fn request_text(request: &BTreeMap<String, Value>) -> String {
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

fn witness_lines(out: &mut String, witness: &Witness) {
    let allowed = side_name(witness.allowed_in);
    let denied = side_name(witness.denied_in);
    let translated = match witness.denied_in {
        Side::Staging => witness.staging_request.as_ref(),
        Side::Production => witness.production_request.as_ref(),
    }
    .unwrap_or(&witness.request);
    let synthetic = if witness.synthetic {
        " (synthetic example)"
    } else {
        ""
    };
    let first = format!("    {:<19}", format!("{allowed} allows:"));
    let text = format!("{}{synthetic}", request_text(&witness.request));
    push_wrapped(out, &first, 23, &text);
    let first = format!("    {:<19}", format!("{denied} denies:"));
    push_wrapped(out, &first, 23, &request_text(translated));
}

fn evidence_lines(out: &mut String, side: &str, evidence: &[Evidence]) {
    for item in evidence {
        let place = match item.line {
            Some(line) => format!("{}:{line}", item.path),
            None => item.path.clone(),
        };
        let text = format!("{place} {}", item.detail);
        push_wrapped(out, &format!("    {side:<12}"), 16, &text);
    }
}

fn finding_block(out: &mut String, finding: &Finding, paint: Paint) {
    let name = |side: &Option<String>| {
        side.as_deref()
            .map(clean)
            .unwrap_or_else(|| "(none)".into())
    };
    let _ = writeln!(
        out,
        "  {} [{}]",
        paint.bold(finding.rule.id()),
        clean(&finding.subject.kind)
    );
    let names = format!(
        "{} -> {}",
        name(&finding.subject.staging),
        name(&finding.subject.production)
    );
    push_wrapped(out, "    ", 6, &names);
    push_wrapped(out, "    ", 4, &finding.message);
    evidence_lines(out, "staging:", &finding.evidence.staging);
    evidence_lines(out, "production:", &finding.evidence.production);
    for witness in &finding.witnesses {
        witness_lines(out, witness);
    }
    match finding.confidence {
        Confidence::Proven => {}
        Confidence::Likely => out.push_str("    confidence: likely (heuristic)\n"),
        Confidence::Unknown => out.push_str("    confidence: unknown\n"),
    }
    if let Some(waiver) = &finding.waiver {
        let state = if waiver.expired {
            "EXPIRED waiver"
        } else {
            "waived"
        };
        let text = format!(
            "{state} by {} until {}: {}",
            waiver.owner, waiver.expires, waiver.reason
        );
        push_wrapped(out, "    ", 6, &text);
    }
    if let Some(expected) = &finding.expected {
        push_wrapped(out, "    expected:", 6, &expected.reason);
    }
}

fn findings(out: &mut String, report: &Report, paint: Paint) {
    if report.findings.is_empty() {
        let _ = writeln!(out, "\nno findings");
        return;
    }
    for severity in Severity::ALL {
        let group: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let title = format!("{} ({})", severity.as_str().to_uppercase(), group.len());
        let _ = writeln!(out, "\n{}", paint.severity(severity, &title));
        for (index, finding) in group.iter().enumerate() {
            if index > 0 {
                out.push('\n');
            }
            finding_block(out, finding, paint);
        }
    }
    let _ = writeln!(
        out,
        "\nrun `envparity explain <rule>` for why a rule matters and how to fix it"
    );
}

fn unmatched(out: &mut String, report: &Report) {
    let sides = [
        ("only in staging", &report.unmatched.staging_only),
        ("only in production", &report.unmatched.production_only),
    ];
    for (title, names) in sides {
        if names.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title} ({}):", names.len());
        for name in names {
            push_wrapped(out, "  ", 4, name);
        }
    }
}

fn diagnostics(out: &mut String, report: &Report, paint: Paint) {
    let shown: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.level != Level::Info)
        .collect();
    let info = report.diagnostics.len() - shown.len();
    if !shown.is_empty() {
        let _ = writeln!(out, "\ndiagnostics ({}):", shown.len());
        for diagnostic in shown {
            let level = match diagnostic.level {
                Level::Error => paint.severity(Severity::Critical, "error"),
                _ => paint.severity(Severity::Medium, "warning"),
            };
            push_wrapped(out, &format!("  {level}:"), 4, &diagnostic.one_line());
        }
    }
    if info > 0 {
        let _ = writeln!(
            out,
            "\n{} (see --format json)",
            plural(
                info,
                "informational diagnostic",
                "informational diagnostics"
            )
        );
    }
}

pub fn render(report: &Report, style: TextStyle) -> String {
    let paint = Paint { color: style.color };
    let mut out = String::new();
    header(&mut out, report, paint);
    summary(&mut out, report, paint);
    findings(&mut out, report, paint);
    unmatched(&mut out, report);
    diagnostics(&mut out, report, paint);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn kubernetes_requests_read_like_kubectl() {
        let r = request(&[
            ("verb", "get".into()),
            ("apiGroup", "".into()),
            ("resource", "secrets".into()),
            ("subresource", Value::Null),
            ("namespace", "shop-staging".into()),
            ("name", "db".into()),
        ]);
        assert_eq!(
            request_text(&r),
            "get secrets \"db\" in namespace shop-staging"
        );
        let r = request(&[
            ("verb", "list".into()),
            ("apiGroup", "apps".into()),
            ("resource", "deployments".into()),
            ("subresource", "scale".into()),
        ]);
        assert_eq!(request_text(&r), "list deployments.apps/scale cluster-wide");
        let r = request(&[
            ("verb", "get".into()),
            ("nonResourceURL", "/metrics".into()),
        ]);
        assert_eq!(request_text(&r), "get /metrics");
    }

    /// A report with every part the renderer shows.
    fn sample() -> Report {
        use crate::compare::Results;
        use crate::findings::{Expected, Rule, Subject, Waiver};
        use crate::model::{Diagnostic, Provenance, Snapshot, Source};

        let mut staging = Snapshot::new("staging");
        staging.sources.push(Source {
            path: "staging/rbac.yaml".into(),
            format: "kubernetes".into(),
            objects: 4,
        });
        staging.diagnostics.push(Diagnostic::new(
            Level::Warning,
            "staging/app.yaml",
            Some(31),
            "secret `db` is not defined in the inputs",
        ));
        staging.diagnostics.push(Diagnostic::new(
            Level::Info,
            "staging/README.md",
            None,
            "not an input",
        ));
        let mut production = Snapshot::new("production");
        production.sources.push(Source {
            path: "production/rbac.yaml".into(),
            format: "kubernetes".into(),
            objects: 4,
        });
        let at = |path: &str| Provenance::new(path, Some(7));
        let subject = |kind: &str, s: Option<&str>, p: Option<&str>| Subject {
            kind: kind.into(),
            staging: s.map(String::from),
            production: p.map(String::from),
        };
        let secrets = |ns: &str| {
            request(&[
                ("verb", "get".into()),
                ("apiGroup", "".into()),
                ("resource", "secrets".into()),
                ("subresource", Value::Null),
                ("namespace", ns.into()),
                ("name", "db".into()),
            ])
        };
        let broader = Finding::new(
            Rule::AccessBroaderInStaging,
            subject(
                "k8s-serviceaccount",
                Some("shop-staging/api"),
                Some("shop-production/api"),
            ),
            "Service account `shop-staging/api` may read every secret of its namespace in staging, \
             while production limits it to the secret `db`; tests pass with privileges production \
             will not have.",
        )
        .staging_evidence(Evidence::at(
            &at("staging/roles.yaml"),
            Some(12),
            "Role shop-staging/api rule 2",
        ))
        .production_evidence(Evidence::at(
            &at("production/roles.yaml"),
            None,
            "Role shop-production/api rule 2",
        ))
        .witness(Witness {
            allowed_in: Side::Staging,
            denied_in: Side::Production,
            request: secrets("shop-staging"),
            staging_request: None,
            production_request: Some(secrets("shop-production")),
            synthetic: false,
        });
        let mut waived = Finding::new(
            Rule::ConfigValueDrift,
            subject(
                "config-key",
                Some("shop-staging/api-config:LOG_LEVEL"),
                Some("shop-production/api-config:LOG_LEVEL"),
            ),
            "`LOG_LEVEL` is `debug` in staging and `info` in production.",
        )
        .confidence(Confidence::Likely);
        waived.waiver = Some(Waiver {
            owner: "team-shop".into(),
            reason: "debug logs while the checkout migrates".into(),
            expires: "2027-01-31".into(),
            expired: false,
        });
        let mut expected = Finding::new(
            Rule::ConfigValueDrift,
            subject(
                "workload",
                Some("shop-staging/api:spec.replicas"),
                Some("shop-production/api:spec.replicas"),
            ),
            "`spec.replicas` is `1` in staging and `3` in production.",
        );
        expected.expected = Some(Expected {
            reason: "one replica saves cost".into(),
        });
        let missing = Finding::new(
            Rule::IdentityMissingInStaging,
            subject("k8s-serviceaccount", None, Some("shop-production/batch")),
            "Service account `shop-production/batch` has no staging counterpart.",
        );
        let mut results = Results::default();
        for finding in [expected, waived, missing, broader] {
            results.add(finding);
        }
        results.count_compared(crate::findings::Dimension::Access, 2);
        results.count_compared(crate::findings::Dimension::Config, 4);
        results
            .production_only
            .push("k8s-serviceaccount shop-production/batch".into());
        super::super::build_report(&staging, &production, results)
    }

    #[test]
    fn a_full_report_reads_well() {
        let report = sample();
        let text = render(&report, TextStyle { color: false });
        assert_eq!(text, render(&report, TextStyle { color: false }));
        assert!(text.is_ascii(), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
        let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(squeezed.contains("staging allows: get secrets \"db\" in namespace shop-staging"));
        assert!(
            squeezed.contains("production denies: get secrets \"db\" in namespace shop-production")
        );
        assert!(text.contains("1 informational diagnostic"));
        let colored = render(&report, TextStyle { color: true });
        assert!(colored.contains("\x1b[31m"));
        insta::assert_snapshot!("text_full_report", text);
    }

    #[test]
    fn network_flows_read_as_sentences() {
        let peer = serde_json::json!({"namespace": "shop", "pod_labels": {}});
        let r = request(&[
            ("direction", "ingress".into()),
            ("namespace", "shop".into()),
            ("peer", peer),
            ("pod_labels", serde_json::json!({"app": "api"})),
            ("port", "TCP/8080".into()),
        ]);
        assert_eq!(
            request_text(&r),
            "ingress TCP/8080 from any pod in namespace shop to pods {app=api} in namespace shop"
        );
        let r = request(&[
            ("direction", "egress".into()),
            ("namespace", "shop".into()),
            ("peer", serde_json::json!({"ip": "10.0.0.0/8"})),
        ]);
        assert_eq!(
            request_text(&r),
            "egress any port from any pod in namespace shop to address 10.0.0.0/8"
        );
    }

    #[test]
    fn wrapping_keeps_lines_short_and_strips_escapes() {
        let mut out = String::new();
        push_wrapped(&mut out, "  x:", 4, &"word \x1b[31m ".repeat(60));
        let label = format!(
            "{{{}}}",
            "cloud-platform.justice.gov.uk/namespace=x,".repeat(5)
        );
        push_wrapped(
            &mut out,
            "    staging allows:",
            23,
            &format!("from {label} to pods"),
        );
        assert!(out.lines().all(|l| l.chars().count() <= WIDTH));
        assert!(!out.contains('\x1b'));
    }
}
