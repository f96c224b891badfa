//! `--format markdown`: a pull-request comment. Headline score and verdict, one table of
//! dimensions, findings grouped by severity with a collapsible `<details>` per finding, then
//! unmatched entities and diagnostics. At most [`LIMIT`] bytes: findings that do not fit are
//! summarized as counts per rule. Every input value is escaped ([`escape`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Report;
use super::wording::request_text;
use super::wording::{Verdict, prose_with};
use crate::findings::{Confidence, Evidence, Finding, Severity, Side, Witness};
use crate::model::Level;

/// The size budget of a comment (GitHub accepts 65 536 characters).
pub const LIMIT: usize = 60_000;

/// Longest value shown before it is clipped with `…`.
const CLIP: usize = 400;

/// Names listed per unmatched side and diagnostics listed before "and N more".
const LISTED: usize = 30;

/// Escapes a value for Markdown and inline HTML alike: HTML specials, table pipes, code and
/// emphasis marks, links, mentions and issue references become character references; line
/// breaks become spaces and control characters `?`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '|' | '`' | '*' | '_' | '[' | ']' | '\\' | '~' | '@' | '#' | '!' | '$' => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// `text` cut to [`CLIP`] characters (with `…`), then escaped.
fn value(text: &str) -> String {
    if text.chars().count() <= CLIP {
        return escape(text);
    }
    let cut: String = text.chars().take(CLIP).collect();
    format!("{}…", escape(&cut))
}

fn code(text: &str) -> String {
    format!("<code>{}</code>", value(text))
}

/// Tool prose whose quoted values are in backticks: the quoted parts become `<code>`, all
/// parts escaped. With unbalanced backticks the whole text is escaped as is.
fn prose(text: &str) -> String {
    prose_with(text, value, code)
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn verdict(report: &Report) -> String {
    Verdict::of(report).sentence("✅ **at parity**", "❌ **not at parity**")
}

fn head(report: &Report) -> String {
    let mut out = format!(
        "## envparity: score {:.1}/100\n\n{}\n\n",
        report.summary.score,
        verdict(report)
    );
    let name = |role: &str| {
        report
            .environments
            .get(role)
            .map_or_else(|| role.to_string(), |e| e.name.clone())
    };
    let (staging, production) = (name("staging"), name("production"));
    if staging == "staging" && production == "production" {
        out.push_str("Compared staging with production.\n\n");
    } else {
        let _ = writeln!(
            out,
            "Compared {} (staging) with {} (production).\n",
            code(&staging),
            code(&production)
        );
    }
    if report.summary.dimensions.is_empty() {
        out.push_str("Nothing was compared.\n\n");
        return out;
    }
    out.push_str("| dimension | score | compared | findings |\n|---|---:|---:|---:|\n");
    for (name, dimension) in &report.summary.dimensions {
        let _ = writeln!(
            out,
            "| {} | {:.1} | {} | {} |",
            escape(name),
            dimension.score,
            dimension.compared,
            dimension.findings
        );
    }
    out.push('\n');
    out
}

fn place(evidence: &Evidence) -> String {
    match evidence.line {
        Some(line) => format!("{}:{line}", evidence.path),
        None => evidence.path.clone(),
    }
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Staging => "staging",
        Side::Production => "production",
    }
}

fn witness_line(out: &mut String, witness: &Witness) {
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
    let _ = writeln!(
        out,
        "- **witness**: {} allows {}{synthetic}; {} denies {}",
        side_name(witness.allowed_in),
        code(&request_text(&witness.request)),
        side_name(witness.denied_in),
        code(&request_text(translated))
    );
}

/// One finding as a `<details>` block.
fn finding_block(finding: &Finding) -> String {
    let name = |side: &Option<String>| side.as_deref().map_or_else(|| "(none)".into(), code);
    let mut out = String::new();
    let mut marks = String::new();
    if let Some(waiver) = &finding.waiver {
        marks.push_str(if waiver.expired {
            " · ⚠️ waiver expired"
        } else {
            " · waived"
        });
    }
    if finding.expected.is_some() {
        marks.push_str(" · expected");
    }
    let _ = writeln!(
        out,
        "<details>\n<summary><b>{}</b> {}: {} → {}{marks}</summary>\n",
        escape(finding.rule.id()),
        escape(&finding.subject.kind),
        name(&finding.subject.staging),
        name(&finding.subject.production),
    );
    let _ = writeln!(out, "{}\n", prose(&finding.message));
    let (staging, production) = finding.side_names();
    let sides = [
        (staging, &finding.evidence.staging),
        (production, &finding.evidence.production),
    ];
    for (side, evidence) in sides {
        for item in evidence {
            let _ = writeln!(
                out,
                "- **{}**: {} {}",
                prose(side),
                code(&place(item)),
                prose(&item.detail)
            );
        }
    }
    for witness in &finding.witnesses {
        witness_line(&mut out, witness);
    }
    match finding.confidence {
        Confidence::Proven => {}
        Confidence::Likely => out.push_str("- **confidence**: likely (heuristic)\n"),
        Confidence::Unknown => out.push_str("- **confidence**: unknown\n"),
    }
    if !finding.frameworks.is_empty() {
        let frameworks: Vec<String> = finding.frameworks.iter().map(|f| value(f)).collect();
        let _ = writeln!(out, "- **frameworks**: {}", frameworks.join(", "));
    }
    let _ = writeln!(out, "- **remediation**: {}", prose(&finding.remediation));
    if let Some(waiver) = &finding.waiver {
        let state = if waiver.expired {
            "waiver expired"
        } else {
            "waived"
        };
        let _ = writeln!(
            out,
            "- **{state}** by {} until {}: {}",
            value(&waiver.owner),
            value(&waiver.expires),
            value(&waiver.reason)
        );
    }
    if let Some(expected) = &finding.expected {
        let _ = writeln!(out, "- **expected**: {}", value(&expected.reason));
    }
    let _ = writeln!(out, "- fingerprint {}", code(&finding.fingerprint));
    out.push_str("\n</details>\n\n");
    out
}

/// Counts per rule of the findings left out, as a table.
fn left_out(findings: &[&Finding]) -> String {
    let mut counts: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for finding in findings {
        *counts
            .entry((finding.severity, finding.rule.id()))
            .or_default() += 1;
    }
    let mut out = format!(
        "**{} left out** to keep this comment under {} KB; \
         run with `--format json` or `--format html` for all of them.\n\n\
         | rule | severity | findings |\n|---|---|---:|\n",
        plural(findings.len(), "finding", "findings"),
        LIMIT / 1000
    );
    for ((severity, rule), count) in counts {
        let _ = writeln!(
            out,
            "| {} | {} | {count} |",
            escape(rule),
            severity.as_str()
        );
    }
    out.push('\n');
    out
}

fn listed(out: &mut String, title: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<details>\n<summary>{title} ({})</summary>\n",
        lines.len()
    );
    for line in lines.iter().take(LISTED) {
        let _ = writeln!(out, "- {line}");
    }
    if lines.len() > LISTED {
        let _ = writeln!(out, "- and {} more", lines.len() - LISTED);
    }
    out.push_str("\n</details>\n\n");
}

fn tail(report: &Report) -> String {
    let mut out = String::new();
    let code_all = |names: &[String]| names.iter().map(|n| code(n)).collect::<Vec<_>>();
    listed(
        &mut out,
        "Only in staging",
        &code_all(&report.unmatched.staging_only),
    );
    listed(
        &mut out,
        "Only in production",
        &code_all(&report.unmatched.production_only),
    );
    let diagnostics: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.level != Level::Info)
        .map(|d| {
            let level = if d.level == Level::Error {
                "error"
            } else {
                "warning"
            };
            format!("**{level}**: {}", value(&d.one_line()))
        })
        .collect();
    listed(&mut out, "Diagnostics", &diagnostics);
    let _ = writeln!(
        out,
        "<sub>{} {} · run <code>envparity explain &lt;rule&gt;</code> for why a rule \
         matters and how to fix it</sub>",
        report.tool.name, report.tool.version
    );
    out
}

/// Findings by severity, as many as fit in `room` bytes with the left-out summary.
fn findings(report: &Report, room: usize) -> String {
    if report.findings.is_empty() {
        return "No findings.\n\n".to_string();
    }
    let all: Vec<&Finding> = report.findings.iter().collect();
    let reserve = left_out(&all).len();
    let mut out = String::from("### Findings\n\n");
    let mut shown = 0;
    'groups: for severity in Severity::ALL {
        let group: Vec<&Finding> = all
            .iter()
            .copied()
            .filter(|f| f.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let title = format!("#### {} ({})\n\n", severity.as_str(), group.len());
        for (index, finding) in group.iter().enumerate() {
            let block = finding_block(finding);
            let heading = if index == 0 { title.as_str() } else { "" };
            if out.len() + heading.len() + block.len() + reserve > room {
                break 'groups;
            }
            out.push_str(heading);
            out.push_str(&block);
            shown += 1;
        }
    }
    if shown < all.len() {
        // Findings are in severity order, so the ones left out are the tail.
        out.push_str(&left_out(&all[shown..]));
    }
    out
}

pub fn render(report: &Report) -> String {
    let head = head(report);
    let tail = tail(report);
    let room = LIMIT.saturating_sub(head.len() + tail.len());
    format!("{head}{}{tail}", findings(report, room))
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
pub(in crate::report) mod tests;
