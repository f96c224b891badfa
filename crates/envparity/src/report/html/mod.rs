//! `--format html`: one self-contained page (inline CSS and script, a Content-Security-Policy
//! that forbids every fetch). Scores per dimension and environment pair, findings with
//! staging and production evidence and witnesses side by side, filters by severity, dimension
//! and pair (script only; without it everything shows), the framework mapping, unmatched
//! entities and diagnostics. Responsive and printable. Every input value goes through
//! [`escape`].

mod findings;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Report;
use super::wording::Verdict;
use crate::findings::{Finding, Severity};
use crate::model::Level;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("filter.js");

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

fn environment_name(report: &Report, role: &str) -> String {
    report
        .environments
        .get(role)
        .map_or_else(|| role.to_string(), |e| e.name.clone())
}

/// The environment pair a finding belongs to: its own, or the report's.
fn pair_label(report: &Report, finding: &Finding) -> String {
    match &finding.pair {
        Some(pair) => format!("{} → {}", pair.environment, pair.reference),
        None => default_pair(report),
    }
}

fn default_pair(report: &Report) -> String {
    format!(
        "{} → {}",
        environment_name(report, "staging"),
        environment_name(report, "production")
    )
}

fn verdict(report: &Report) -> (bool, String) {
    let verdict = Verdict::of(report);
    (
        verdict.at_parity,
        verdict.sentence("at parity", "not at parity"),
    )
}

/// `staging compared with production`, naming environments whose names differ from the role.
fn compared(report: &Report) -> String {
    let side = |role: &str| {
        let name = environment_name(report, role);
        if name == role {
            role.to_string()
        } else {
            format!("{role} <code>{}</code>", escape(&name))
        }
    };
    format!("{} compared with {}", side("staging"), side("production"))
}

fn header(out: &mut String, report: &Report) {
    let (ok, text) = verdict(report);
    let _ = writeln!(
        out,
        "<header><h1>envparity report</h1><p class=\"muted\">{}</p><div class=\"headline\"><span class=\"score\">{:.1}\
         <span class=\"muted\">/100</span></span><span class=\"verdict {}\">{}</span></div>\
         </header>",
        compared(report),
        report.summary.score,
        if ok { "ok" } else { "bad" },
        escape(&text)
    );
}

fn scores(out: &mut String, report: &Report) {
    out.push_str("<section><h2>Scores</h2>\n");
    if report.summary.dimensions.is_empty() {
        out.push_str("<p>Nothing was compared.</p></section>\n");
        return;
    }
    out.push_str(
        "<div class=\"table-wrap\"><table class=\"scores\"><thead><tr><th>pair</th>\
         <th>dimension</th><th class=\"num\">score</th><th class=\"bar-cell\"></th><th class=\"num\">compared</th>\
         <th class=\"num\">findings</th></tr></thead><tbody>\n",
    );
    // A `check` report has one summary per environment pair; a `compare` report one.
    let default = (escape(&default_pair(report)), &report.summary);
    let rows: Vec<(String, &super::Summary)> = if report.pairs.is_empty() {
        vec![default]
    } else {
        report
            .pairs
            .iter()
            .map(|(key, summary)| {
                let label = match key.split_once('/') {
                    Some((environment, reference)) => format!(
                        "<code>{}</code> compared with <code>{}</code>",
                        escape(environment),
                        escape(reference)
                    ),
                    None => escape(key),
                };
                (label, summary)
            })
            .collect()
    };
    for (pair, summary) in &rows {
        pair_rows(out, pair, summary);
    }
    out.push_str("</tbody></table></div></section>\n");
}

fn pair_rows(out: &mut String, pair: &str, summary: &super::Summary) {
    for (name, dimension) in &summary.dimensions {
        let _ = writeln!(
            out,
            "<tr><td>{pair}</td><td>{}</td><td class=\"num\">{:.1}</td><td class=\"bar-cell\"><div class=\"bar\">\
             <span style=\"width:{:.0}%\"></span></div></td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td></tr>",
            escape(name),
            dimension.score,
            dimension.score.clamp(0.0, 100.0),
            dimension.compared,
            dimension.findings
        );
    }
}

/// The filter form: hidden until the script shows it, so without script all findings show.
fn filters(out: &mut String, report: &Report) {
    let mut severities: Vec<Severity> = report.findings.iter().map(|f| f.severity).collect();
    severities.sort();
    severities.dedup();
    let mut dimensions: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.dimension.as_str())
        .collect();
    dimensions.sort_unstable();
    dimensions.dedup();
    let mut pairs: Vec<String> = report
        .findings
        .iter()
        .map(|f| pair_label(report, f))
        .collect();
    pairs.sort();
    pairs.dedup();
    out.push_str(
        "<form id=\"filters\" class=\"filters\" hidden>\n<fieldset><legend>severity</legend>",
    );
    for severity in severities {
        let name = severity.as_str();
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"severity\" value=\"{name}\" checked> \
             {name}</label>"
        );
    }
    out.push_str("</fieldset>\n<fieldset><legend>dimension</legend>");
    for name in dimensions {
        let name = escape(name);
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"dimension\" value=\"{name}\" checked> \
             {name}</label>"
        );
    }
    out.push_str(
        "</fieldset>\n<label>environment <select name=\"pair\"><option value=\"\">all pairs\
         </option>",
    );
    for pair in pairs {
        let pair = escape(&pair);
        let _ = write!(out, "<option value=\"{pair}\">{pair}</option>");
    }
    out.push_str("</select></label> <span id=\"shown\" class=\"muted\"></span></form>\n");
}

/// Rules that produced findings, with their dimension, framework tags and count.
fn frameworks(out: &mut String, report: &Report) {
    let mut rules: BTreeMap<&str, (&Finding, usize)> = BTreeMap::new();
    for finding in &report.findings {
        rules.entry(finding.rule.id()).or_insert((finding, 0)).1 += 1;
    }
    if rules.is_empty() {
        return;
    }
    out.push_str(
        "<section><h2>Framework mapping</h2><div class=\"table-wrap\"><table><thead><tr>\
         <th>rule</th><th>dimension</th><th>frameworks</th><th class=\"num\">findings</th>\
         </tr></thead><tbody>\n",
    );
    for (rule, (finding, count)) in rules {
        let tags: Vec<String> = finding
            .frameworks
            .iter()
            .map(|f| format!("<code>{}</code>", escape(f)))
            .collect();
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"num\">{count}</td></tr>",
            escape(rule),
            finding.dimension.as_str(),
            tags.join(" ")
        );
    }
    out.push_str("</tbody></table></div></section>\n");
}

fn list(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = write!(out, "<section><h2>{title} ({})</h2><ul>", items.len());
    for item in items {
        let _ = write!(out, "<li>{item}</li>");
    }
    out.push_str("</ul></section>\n");
}

fn rest(out: &mut String, report: &Report) {
    let code = |names: &[String]| -> Vec<String> {
        names
            .iter()
            .map(|n| format!("<code>{}</code>", escape(n)))
            .collect()
    };
    list(
        out,
        "Only in staging",
        &code(&report.unmatched.staging_only),
    );
    list(
        out,
        "Only in production",
        &code(&report.unmatched.production_only),
    );
    let diagnostics: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            let level = match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
                _ => "info",
            };
            format!("<b>{level}</b>: {}", escape(&d.one_line()))
        })
        .collect();
    list(out, "Diagnostics", &diagnostics);
}

pub fn render(report: &Report) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <link rel=\"icon\" href=\"data:,\">\n<title>envparity report</title>\n<style>\n",
    );
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
    header(&mut out, report);
    scores(&mut out, report);
    let _ = writeln!(
        out,
        "<section><h2>Findings ({})</h2>",
        report.findings.len()
    );
    if report.findings.is_empty() {
        out.push_str("<p>No findings.</p>\n");
    } else {
        filters(&mut out, report);
        for finding in &report.findings {
            findings::block(&mut out, finding, &pair_label(report, finding));
        }
    }
    out.push_str("</section>\n");
    frameworks(&mut out, report);
    rest(&mut out, report);
    let _ = write!(
        out,
        "<footer><p class=\"muted\">{} {} · run <code>envparity explain &lt;rule&gt;</code> \
         for why a rule matters and how to fix it</p></footer>\n</main>\n<script>\n{SCRIPT}\
         </script>\n</body>\n</html>\n",
        escape(report.tool.name),
        escape(report.tool.version)
    );
    out
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
