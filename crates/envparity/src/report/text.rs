//! `--format text`: a header (environments, sources), the score and verdict, a table of
//! dimensions, findings grouped by severity with evidence and witness requests, then
//! unmatched entities and diagnostics. A pure function of the report; plain ASCII decorations,
//! ANSI colour only when [`TextStyle::color`] is set; lines sized for a 100-column terminal.

use std::fmt::Write as _;

use super::wording::request_text;
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
    // `compare` reports key the two environments by role, `check` reports by name: staging
    // and production first, then every other environment in name order.
    let mut roles: Vec<&str> = ["staging", "production"]
        .into_iter()
        .filter(|r| report.environments.contains_key(*r))
        .collect();
    roles.extend(
        report
            .environments
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "staging" && *k != "production"),
    );
    for role in roles {
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
    for (pair, pair_summary) in &report.pairs {
        let label = pair.replacen('/', " vs ", 1);
        let findings: usize = pair_summary.findings_by_severity.values().sum();
        let _ = writeln!(
            out,
            "  {}: score {:.1}/100, {}",
            clean(&label),
            pair_summary.score,
            plural(findings, "finding", "findings")
        );
    }
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
    let (staging, production) = finding.side_names();
    evidence_lines(out, &format!("{staging}:"), &finding.evidence.staging);
    evidence_lines(out, &format!("{production}:"), &finding.evidence.production);
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
#[path = "text_tests.rs"]
mod tests;
