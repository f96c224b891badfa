//! Tests of the HTML renderer: escaping, self-containment, the parts of a finding.

use super::*;
use crate::report::markdown::tests::many;

#[test]
fn escape_neutralizes_markup() {
    assert_eq!(
        escape("<script>alert('x')</script> & \"q\""),
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
    );
    assert_eq!(escape("café-staging"), "café-staging");
}

#[test]
fn a_script_in_a_value_stays_text() {
    let mut report = many(3);
    report.findings[0].message = "<script>alert(1)</script>".into();
    report.findings[1].subject.staging = Some("\"><img src=x onerror=alert(1)>".into());
    let html = render(&report);
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only the report's own script"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<img"));
}

#[test]
fn the_page_fetches_nothing() {
    let html = render(&many(5));
    assert!(html.contains("default-src 'none'"));
    for needle in ["http://", "https://", "src=\"", "@import", "url("] {
        assert!(!html.contains(needle), "the page contains `{needle}`");
    }
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("@media print"));
}

#[test]
fn findings_carry_filter_data_and_both_sides() {
    let html = render(&many(3));
    assert_eq!(html.matches("<article class=\"finding").count(), 3);
    assert!(html.contains("data-dimension=\"access\""));
    assert!(html.contains("data-pair=\"staging → production\""));
    assert!(html.contains("<form id=\"filters\" class=\"filters\" hidden>"));
    assert!(html.contains("<h4>staging</h4>"));
    assert!(html.contains("<h4>production</h4>"));
    assert!(html.contains("Framework mapping"));
    assert_eq!(render(&many(3)), html);
}
