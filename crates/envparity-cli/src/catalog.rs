//! `envparity rules` (the catalog as a table or JSON) and `envparity explain <RULE-ID>`.

use std::fmt::Write as _;
use std::process::ExitCode;

use envparity::findings::Rule;
use serde_json::json;

use crate::args::{DataFormat, ExplainArgs, RulesArgs};
use crate::{Failure, explain, frameworks, output};

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

/// One framework id with its names, for `envparity rules --format json`.
fn framework_json(id: &str) -> serde_json::Value {
    match frameworks::describe(id) {
        Some(item) => json!({
            "id": id,
            "framework": item.framework,
            "item": item.item,
            "title": item.title,
            "note": item.note,
        }),
        None => json!({"id": id}),
    }
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
                "framework_details": rule
                    .frameworks()
                    .iter()
                    .map(|id| framework_json(id))
                    .collect::<Vec<_>>(),
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

/// What a framework id stands for: framework, item and title, and the CSF 1.1 id of least
/// privilege; empty for an id of no known framework.
fn framework_description(framework: &str) -> String {
    match frameworks::describe(framework) {
        Some(item) => {
            let note = item.note.map(|n| format!(" ({n})")).unwrap_or_default();
            format!("{}, {}: {}{note}", item.framework, item.item, item.title)
        }
        None => String::new(),
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
        let _ = writeln!(out, "    {framework}");
        for line in explain::wrap(&framework_description(framework), 90) {
            let _ = writeln!(out, "      {line}");
        }
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
