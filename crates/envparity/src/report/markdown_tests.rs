//! Tests of the Markdown renderer: escaping, the size budget, the parts of a finding.

use super::*;
use crate::compare::Results;
use crate::findings::{Dimension, Rule, Subject, Waiver};
use crate::model::{Provenance, Snapshot};
use crate::report::build_report;

/// A report with `count` findings of a few rules, with long hostile names.
pub(in crate::report) fn many(count: usize) -> Report {
    let rules = [
        Rule::AccessBroaderInStaging,
        Rule::IdentityMissingInStaging,
        Rule::IdentityMissingInProduction,
    ];
    let mut results = Results::default();
    for index in 0..count {
        let rule = rules[index % rules.len()];
        let name = format!("svc-{index:04}-<b>|`x`|{}", "é".repeat(40));
        let subject = Subject {
            kind: "ServiceAccount".into(),
            staging: Some(format!("shop-staging/{name}")),
            production: Some(format!("shop/{name}")),
        };
        let prov = Provenance::new(&format!("staging/rbac-{index}.yaml"), Some(3));
        let finding = Finding::new(rule, subject, format!("finding {index} about {name}"))
            .key(format!("k{index}"))
            .staging_evidence(Evidence::at(&prov, Some(7), "binds role `edit`"));
        results.add(finding);
    }
    results.compared.insert(Dimension::Identity, count);
    results.compared.insert(Dimension::Access, count);
    build_report(
        &Snapshot::new("staging"),
        &Snapshot::new("production"),
        results,
    )
}

#[test]
fn escape_neutralizes_html_and_markdown() {
    let escaped = escape("<script>alert(1)</script> | `x` *y* [l](u) @me #1\nnext");
    assert!(!escaped.contains('<'));
    assert!(!escaped.contains('|'));
    assert!(!escaped.contains('`'));
    assert!(!escaped.contains('*'));
    assert!(!escaped.contains('@'));
    assert!(!escaped.contains('\n'));
    assert!(escaped.starts_with("&lt;script&gt;"));
    assert_eq!(escape("café-staging"), "café-staging");
}

#[test]
fn hundreds_of_findings_stay_under_the_limit() {
    for count in [1, 50, 300, 1200] {
        let report = many(count);
        let text = render(&report);
        assert!(
            text.len() <= LIMIT,
            "{count} findings: {} bytes",
            text.len()
        );
        assert!(text.contains("<details>"));
        if count >= 300 {
            assert!(text.contains("left out"), "{count} findings: no summary");
            let shown = text.matches("<summary><b>").count();
            assert!(shown > 10, "only {shown} findings shown");
            let left = format!("{} findings left out", count - shown);
            assert!(text.contains(&left), "missing `{left}`");
        } else {
            assert!(!text.contains("left out"));
        }
    }
}

#[test]
fn a_finding_shows_its_parts_and_marks() {
    let mut report = many(1);
    report.findings[0].waiver = Some(Waiver {
        owner: "team|a".into(),
        reason: "migrating <soon>".into(),
        expires: "2026-12-01".into(),
        expired: true,
    });
    let text = render(&report);
    assert!(text.contains("waiver expired"));
    assert!(text.contains("team&#124;a"));
    assert!(text.contains("migrating &lt;soon&gt;"));
    assert!(text.contains("<code>staging/rbac-0.yaml:7</code>"));
    assert!(text.contains("**frameworks**: OWASP-NHI:NHI5"));
    assert!(text.contains("**remediation**"));
    assert!(text.contains("| access | 0.0 | 1 | 1 |"));
    assert!(!text.contains("<b>|"), "a raw pipe or tag leaked");
}

#[test]
fn rendering_is_deterministic() {
    let report = many(40);
    assert_eq!(render(&report), render(&report));
}
