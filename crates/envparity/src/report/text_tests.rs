//! Tests of the text renderer.

use std::collections::BTreeMap;

use serde_json::Value;

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
