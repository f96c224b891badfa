//! Unit tests of alert-rule pairing and comparison on model objects.

use super::*;
use crate::model::{Meta, Provenance, Snapshot};

fn alert(ns: &str, name: &str, expr: &str, for_: Option<&str>, severity: &str) -> AlertRule {
    AlertRule {
        meta: Meta {
            kind: "PrometheusRule".into(),
            api_version: "monitoring.coreos.com/v1".into(),
            namespace: Some(ns.into()),
            name: "rules".into(),
            provenance: Provenance::new("rules.yaml", Some(1)),
            ..Meta::default()
        }
        .into(),
        group: "g".into(),
        alert: name.into(),
        expr: expr.into(),
        for_duration: for_.map(str::to_string),
        severity: Some(severity.into()),
        line: Some(7),
    }
}

fn run(staging: Vec<AlertRule>, production: Vec<AlertRule>) -> Results {
    let mut s = Snapshot::new("staging");
    s.kube.alert_rules = staging;
    let mut p = Snapshot::new("production");
    p.kube.alert_rules = production;
    let mut names = NameMap::default();
    names.infer(["shop-staging"], ["shop-production"]);
    let ctx = Context {
        staging: &s,
        production: &p,
        names: &names,
    };
    let mut results = Results::default();
    compare(&ctx, &mut results);
    results
}

fn rules(results: &Results) -> Vec<&'static str> {
    results.findings.iter().map(|f| f.rule.id()).collect()
}

#[test]
fn identical_after_mapping_is_quiet() {
    let results = run(
        vec![alert(
            "shop-staging",
            "KubeQuotaStaging",
            "kube_resourcequota{namespace=\"shop-staging\"} > 0.9",
            Some("15m"),
            "warning",
        )],
        vec![alert(
            "shop-production",
            "KubeQuotaProduction",
            "kube_resourcequota{namespace=\"shop-production\"}>0.9",
            Some("900s"),
            "warning",
        )],
    );
    assert!(results.findings.is_empty(), "{:?}", results.findings);
    assert_eq!(results.compared.get(&Dimension::Monitoring), Some(&1));
}

#[test]
fn missing_and_differs() {
    let results = run(
        vec![alert(
            "shop-staging",
            "HighErrors",
            "rate(x[5m]) > 1",
            None,
            "info",
        )],
        vec![
            alert(
                "shop-production",
                "HighErrors",
                "rate(x[5m]) > 0.1",
                Some("5m"),
                "page",
            ),
            alert(
                "shop-production",
                "PodCrashLooping",
                "y > 0",
                None,
                "warning",
            ),
        ],
    );
    assert_eq!(
        rules(&results),
        vec![
            "detection-rule-differs",
            "detection-rule-missing-in-staging"
        ]
    );
    let message = &results.findings[0].message;
    assert!(message.contains("expr") && message.contains("for") && message.contains("severity"));
    assert!(message.contains("`rate(x[5m]) > 1`") && message.contains("`page`"));
}

#[test]
fn staging_only_alert_is_not_a_finding() {
    let results = run(
        vec![alert("shop-staging", "Extra", "z > 0", None, "info")],
        Vec::new(),
    );
    assert!(results.findings.is_empty());
    assert_eq!(results.staging_only, vec!["alert-rule:shop-staging/Extra"]);
}

#[test]
fn duplicate_names_pair_by_severity() {
    let results = run(
        vec![
            alert("shop-staging", "VolumeFull", "a < 0.03", None, "critical"),
            alert("shop-staging", "VolumeFull", "a < 0.15", None, "warning"),
        ],
        vec![
            alert("shop-production", "VolumeFull", "a < 0.15", None, "warning"),
            alert(
                "shop-production",
                "VolumeFull",
                "a < 0.03",
                None,
                "critical",
            ),
        ],
    );
    assert!(results.findings.is_empty(), "{:?}", results.findings);
}

#[test]
fn neither_side_has_alerts() {
    let results = run(Vec::new(), Vec::new());
    assert!(results.findings.is_empty());
    assert!(results.compared.is_empty());
}
