//! One finding as an `<article>`: severity badge, rule, subject and message, then staging and
//! production columns (evidence and witness requests, each in its own environment's names),
//! then confidence, frameworks, remediation, waiver and expected marks.

use std::fmt::Write as _;

use super::escape;
use crate::findings::{Confidence, Evidence, Finding, Side, Witness};
use crate::report::wording::prose_with;
use crate::report::wording::request_text;

fn code(text: &str) -> String {
    format!("<code>{}</code>", escape(text))
}

/// Tool prose whose quoted values are in backticks: the quoted parts become `<code>`, all
/// parts escaped. With unbalanced backticks the whole text is escaped as is.
fn prose(text: &str) -> String {
    prose_with(text, escape, code)
}

/// The request of `witness` as seen from `side`, and whether `side` allows it.
fn seen_from(witness: &Witness, side: Side) -> (bool, String) {
    let allowed = witness.allowed_in == side;
    let request = if allowed {
        &witness.request
    } else {
        match side {
            Side::Staging => witness.staging_request.as_ref(),
            Side::Production => witness.production_request.as_ref(),
        }
        .unwrap_or(&witness.request)
    };
    (allowed, request_text(request))
}

fn evidence_item(out: &mut String, evidence: &Evidence) {
    let place = match evidence.line {
        Some(line) => format!("{}:{line}", evidence.path),
        None => evidence.path.clone(),
    };
    let _ = write!(out, "<li>{} {}</li>", code(&place), prose(&evidence.detail));
}

fn side_column(out: &mut String, finding: &Finding, side: Side) {
    let (staging, production) = finding.side_names();
    let (title, name, evidence) = match side {
        Side::Staging => (staging, &finding.subject.staging, &finding.evidence.staging),
        Side::Production => (
            production,
            &finding.subject.production,
            &finding.evidence.production,
        ),
    };
    let _ = write!(
        out,
        "<div class=\"side\"><h4>{}</h4><p>{}</p>",
        escape(title),
        name.as_deref()
            .map_or_else(|| "<span class=\"muted\">(none)</span>".to_string(), code)
    );
    if !evidence.is_empty() {
        out.push_str("<ul>");
        for item in evidence {
            evidence_item(out, item);
        }
        out.push_str("</ul>");
    }
    if !finding.witnesses.is_empty() {
        out.push_str("<ul>");
        for witness in &finding.witnesses {
            let (allowed, text) = seen_from(witness, side);
            let verb = if allowed { "allows" } else { "denies" };
            let synthetic = if witness.synthetic && allowed {
                " <span class=\"muted\">(synthetic example)</span>"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<li><span class=\"{verb}\">{verb}</span> {}{synthetic}</li>",
                code(&text)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</div>");
}

fn marks(finding: &Finding) -> String {
    let mut out = String::new();
    if let Some(waiver) = &finding.waiver {
        out.push_str(if waiver.expired {
            "<span class=\"mark expired\">waiver expired</span>"
        } else {
            "<span class=\"mark\">waived</span>"
        });
    }
    if finding.expected.is_some() {
        out.push_str("<span class=\"mark\">expected</span>");
    }
    out
}

fn details(out: &mut String, finding: &Finding) {
    out.push_str("<dl>");
    match finding.confidence {
        Confidence::Proven => {}
        Confidence::Likely => out.push_str("<dt>confidence</dt><dd>likely (heuristic)</dd>"),
        Confidence::Unknown => out.push_str("<dt>confidence</dt><dd>unknown</dd>"),
    }
    if !finding.frameworks.is_empty() {
        let tags: Vec<String> = finding.frameworks.iter().map(|f| code(f)).collect();
        let _ = write!(out, "<dt>frameworks</dt><dd>{}</dd>", tags.join(" "));
    }
    let _ = write!(
        out,
        "<dt>remediation</dt><dd>{}</dd>",
        prose(&finding.remediation)
    );
    if let Some(waiver) = &finding.waiver {
        let state = if waiver.expired {
            "waiver expired"
        } else {
            "waived"
        };
        let _ = write!(
            out,
            "<dt>{state}</dt><dd>by {} until {}: {}</dd>",
            escape(&waiver.owner),
            escape(&waiver.expires),
            escape(&waiver.reason)
        );
    }
    if let Some(expected) = &finding.expected {
        let _ = write!(
            out,
            "<dt>expected</dt><dd>{}</dd>",
            escape(&expected.reason)
        );
    }
    let _ = write!(
        out,
        "<dt>fingerprint</dt><dd>{}</dd></dl>",
        code(&finding.fingerprint)
    );
}

/// Appends the article of `finding`, tagged with its severity, dimension and `pair`.
pub fn block(out: &mut String, finding: &Finding, pair: &str) {
    let severity = finding.severity.as_str();
    let _ = write!(
        out,
        "<article class=\"finding {severity}\" data-severity=\"{severity}\" \
         data-dimension=\"{}\" data-pair=\"{}\"><h3><span class=\"badge {severity}\">\
         {severity}</span> <code>{}</code>{}</h3><p class=\"muted\">{} · {} · {}</p><p>{}</p>\
         <div class=\"sides\">",
        finding.dimension.as_str(),
        escape(pair),
        escape(finding.rule.id()),
        marks(finding),
        escape(&finding.subject.kind),
        finding.dimension.as_str(),
        escape(pair),
        prose(&finding.message)
    );
    side_column(out, finding, Side::Staging);
    side_column(out, finding, Side::Production);
    out.push_str("</div>");
    details(out, finding);
    out.push_str("</article>\n");
}
