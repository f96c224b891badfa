//! Unit tests of the AWS comparisons over snapshots built in code: builders and a runner.

mod monitoring;
mod network;
mod secrets;

use std::collections::BTreeMap;

use crate::compare::{Context, Results};
use crate::correlate::NameMap;
use crate::findings::{Confidence, Finding};
use crate::model::{
    Alarm, AwsSecret, EventSelector, Provenance, SecurityGroup, SecurityGroupRule, Snapshot, Trail,
};

pub(super) fn prov(path: &str) -> Provenance {
    Provenance::new(path, Some(1))
}

pub(super) fn snapshot(environment: &str) -> Snapshot {
    Snapshot::new(environment)
}

/// Runs the AWS comparisons with `map` as explicit mappings and `inferred` as inferred
/// environment tokens (staging names first).
pub(super) fn run_with(
    staging: &Snapshot,
    production: &Snapshot,
    map: &[(&str, &str)],
    infer: bool,
) -> Results {
    let owned: Vec<(String, String)> = map
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let mut names = NameMap::new(&owned);
    if infer {
        names.infer(["app-staging"], ["app-production"]);
    }
    let ctx = Context {
        staging,
        production,
        names: &names,
    };
    let mut results = Results::default();
    super::compare(&ctx, &mut results);
    results
}

pub(super) fn run(staging: &Snapshot, production: &Snapshot) -> Results {
    run_with(staging, production, &[], true)
}

pub(super) fn rules(results: &Results) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = results.findings.iter().map(|f| f.rule.id()).collect();
    out.sort();
    out
}

pub(super) fn only<'a>(results: &'a Results, rule: &str) -> Vec<&'a Finding> {
    results
        .findings
        .iter()
        .filter(|f| f.rule.id() == rule)
        .collect()
}

/// `compare(x, x)` has no parity finding (isolation findings such as a secret listed by
/// both are left out of a self-comparison by `run_compare`, as here).
pub(super) fn assert_self_quiet(snapshot: &Snapshot) {
    let mut results = run_with(snapshot, snapshot, &[], false);
    results.findings.retain(|f| f.rule.is_parity_rule());
    assert!(
        results.findings.is_empty(),
        "compare(x, x) found {:#?}",
        results.findings
    );
}

pub(super) fn secret(account: &str, name: &str, days: Option<i64>) -> AwsSecret {
    AwsSecret {
        arn: format!("arn:aws:secretsmanager:us-east-1:{account}:secret:{name}-AbCdEf"),
        name: name.to_string(),
        rotation_enabled: days.is_some(),
        rotation_days: days,
        rotation_schedule: None,
        rotation_lambda: None,
        kms_key: None,
        last_rotated: None,
        tags: BTreeMap::new(),
        provenance: prov("secrets.json"),
    }
}

pub(super) fn trail(name: &str, multi_region: bool, logging: Option<bool>) -> Trail {
    Trail {
        name: name.to_string(),
        arn: None,
        home_region: Some("us-east-1".to_string()),
        multi_region,
        organization_trail: false,
        include_global_events: true,
        log_file_validation: true,
        kms_key: None,
        s3_bucket: None,
        cloudwatch_log_group: None,
        is_logging: logging,
        event_selectors: Some(vec![selector("All", true, &[])]),
        provenance: prov("trails.json"),
    }
}

pub(super) fn selector(rw: &str, management: bool, data: &[(&str, &str)]) -> EventSelector {
    EventSelector {
        read_write_type: rw.to_string(),
        include_management_events: management,
        data_resources: data
            .iter()
            .map(|(kind, value)| (kind.to_string(), vec![value.to_string()]))
            .collect(),
    }
}

pub(super) fn alarm(name: &str, threshold: f64) -> Alarm {
    Alarm {
        name: name.to_string(),
        namespace: Some("CloudTrailMetrics".to_string()),
        metric: Some("RootAccountUsage".to_string()),
        comparison: Some("GreaterThanOrEqualToThreshold".to_string()),
        threshold: Some(threshold),
        evaluation_periods: Some(1),
        actions_enabled: true,
        provenance: prov("alarms.json"),
    }
}

pub(super) fn group(id: &str, name: &str, ingress: Vec<SecurityGroupRule>) -> SecurityGroup {
    SecurityGroup {
        id: id.to_string(),
        name: name.to_string(),
        vpc_id: Some("vpc-1".to_string()),
        owner_id: None,
        ingress,
        egress: vec![rule("-1", None, None, &["0.0.0.0/0"])],
        provenance: prov("sg.json"),
    }
}

pub(super) fn rule(
    protocol: &str,
    from: Option<i64>,
    to: Option<i64>,
    cidrs: &[&str],
) -> SecurityGroupRule {
    SecurityGroupRule {
        protocol: protocol.to_string(),
        from_port: from,
        to_port: to,
        ipv4: cidrs
            .iter()
            .filter(|c| !c.contains(':'))
            .map(|c| c.to_string())
            .collect(),
        ipv6: cidrs
            .iter()
            .filter(|c| c.contains(':'))
            .map(|c| c.to_string())
            .collect(),
        groups: Vec::new(),
        prefix_lists: Vec::new(),
    }
}

pub(super) fn tcp(port: i64, cidrs: &[&str]) -> SecurityGroupRule {
    rule("tcp", Some(port), Some(port), cidrs)
}

pub(super) fn is_likely(finding: &Finding) -> bool {
    finding.confidence == Confidence::Likely
}
