//! `envparity rules` (the catalog as a table or JSON) and `envparity explain <RULE-ID>`.

use std::fmt::Write as _;
use std::process::ExitCode;

use envparity::findings::Rule;
use serde_json::json;

use crate::args::{DataFormat, ExplainArgs, RulesArgs};
use crate::{Failure, explain, output};

/// The catalog as an aligned table (id, dimension, severity) with the summary and the
/// frameworks indented under each rule, so that lines fit a 100-column terminal.
fn rules_table() -> String {
    let id_width = Rule::ALL.iter().map(|r| r.id().len()).max().unwrap_or(0);
    let mut out = String::new();
    let _ = writeln!(out, "{:<id_width$}  {:<10}  SEVERITY", "RULE", "DIMENSION");
    for rule in Rule::ALL {
        let _ = writeln!(
            out,
            "{:<id_width$}  {:<10}  {}",
            rule.id(),
            rule.dimension().as_str(),
            rule.default_severity().as_str(),
        );
        for line in explain::wrap(rule.summary(), 92) {
            let _ = writeln!(out, "    {line}");
        }
        let frameworks = format!("frameworks: {}", rule.frameworks().join(", "));
        for line in explain::wrap(&frameworks, 92) {
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}

fn rules_json() -> String {
    let rules: Vec<_> = Rule::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id(),
                "dimension": rule.dimension().as_str(),
                "default_severity": rule.default_severity().as_str(),
                "frameworks": rule.frameworks(),
                "summary": rule.summary(),
                "remediation": rule.remediation(),
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rules).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

pub fn rules(args: &RulesArgs) -> Result<ExitCode, Failure> {
    let text = match args.format {
        DataFormat::Text => rules_table(),
        DataFormat::Json => rules_json(),
    };
    output::write(&text, None)?;
    Ok(ExitCode::SUCCESS)
}

/// A framework id, with the CSF 1.1 name where the source text used the old one.
fn framework_line(framework: &str) -> String {
    if framework == "NIST-CSF-2.0:PR.AA-05" {
        format!("{framework} (least privilege; it was PR.AC-4 in NIST CSF 1.1)")
    } else {
        framework.to_string()
    }
}

fn explanation(rule: Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", rule.id());
    let _ = writeln!(out, "  dimension:        {}", rule.dimension().as_str());
    let _ = writeln!(
        out,
        "  default severity: {}",
        rule.default_severity().as_str()
    );
    let _ = writeln!(out, "  frameworks:");
    for framework in rule.frameworks() {
        let _ = writeln!(out, "    {}", framework_line(framework));
    }
    let sections = [
        ("What it means", rule.summary()),
        ("Why it matters", explain::why(rule)),
        ("How to fix it", rule.remediation()),
    ];
    for (title, body) in sections {
        let _ = writeln!(out, "\n{title}:");
        for line in explain::wrap(body, 96) {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

pub fn explain(args: &ExplainArgs) -> Result<ExitCode, Failure> {
    let id = args.rule.trim().to_ascii_lowercase();
    match Rule::from_id(&id) {
        Some(rule) => {
            output::write(&explanation(rule), None)?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let close = explain::close_ids(&id);
            let hint = if close.is_empty() {
                "run `envparity rules` for the list".to_string()
            } else {
                format!("did you mean {}?", close.join(", "))
            };
            Err(Failure::new(format!(
                "unknown rule `{}`; {hint}",
                args.rule
            )))
        }
    }
}
