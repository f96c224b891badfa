//! CloudTrail coverage, alarms, detectors, recorders and log retention.

use super::*;
use crate::findings::Severity;
use crate::model::{ConfigRecorder, GuardDutyDetector, LogGroup};

fn with_trails(env: &str, trails: Vec<Trail>) -> Snapshot {
    let mut s = snapshot(env);
    s.aws.trails = trails;
    s
}

#[test]
fn no_trail_and_no_multi_region_trail() {
    let p = with_trails("production", vec![trail("org-trail", true, Some(true))]);
    let results = run(&snapshot("staging"), &p);
    assert_eq!(rules(&results), ["audit-logging-missing-in-staging"]);
    assert!(results.findings[0].message.contains("no CloudTrail trail"));
    let s = with_trails("staging", vec![trail("org-trail", false, Some(true))]);
    let results = run(&s, &p);
    assert_eq!(rules(&results), ["audit-logging-missing-in-staging"]);
    assert!(
        results.findings[0]
            .message
            .contains("no multi-region trail")
    );
    // Production without trails: nothing to mirror.
    assert!(run(&p, &snapshot("production")).findings.is_empty());
    assert_self_quiet(&p);
}

#[test]
fn staging_trail_not_logging() {
    let s = with_trails(
        "staging",
        vec![trail("app-staging-trail", true, Some(false))],
    );
    let p = with_trails(
        "production",
        vec![trail("app-production-trail", true, Some(true))],
    );
    let results = run(&s, &p);
    assert_eq!(rules(&results), ["audit-logging-missing-in-staging"]);
    assert!(results.findings[0].message.contains("IsLogging false"));
    assert!(is_likely(&results.findings[0]));
    // Unknown logging status in staging: nothing proven.
    let s = with_trails("staging", vec![trail("app-staging-trail", true, None)]);
    assert!(run(&s, &p).findings.is_empty());
}

#[test]
fn event_selectors_compared_as_coverage() {
    let mut s_trail = trail("main", true, Some(true));
    let mut p_trail = trail("main", true, Some(true));
    p_trail.event_selectors = Some(vec![selector(
        "All",
        true,
        &[("AWS::S3::Object", "arn:aws:s3:::app-production-data/")],
    )]);
    s_trail.event_selectors = Some(vec![selector("WriteOnly", true, &[])]);
    let s = with_trails("staging", vec![s_trail.clone()]);
    let p = with_trails("production", vec![p_trail.clone()]);
    let results = run(&s, &p);
    let messages: Vec<&str> = results
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(results.findings.len(), 2, "{messages:#?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("read management events"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("read and write `AWS::S3::Object` data events"))
    );
    // Staging covers all S3 objects (a prefix of production's), mapped bucket names too.
    s_trail.event_selectors = Some(vec![selector(
        "All",
        true,
        &[("AWS::S3::Object", "arn:aws:s3:::app-staging-data/")],
    )]);
    let s = with_trails("staging", vec![s_trail.clone()]);
    assert!(run(&s, &p).findings.is_empty());
    s_trail.event_selectors = Some(vec![selector(
        "All",
        true,
        &[("AWS::S3::Object", "arn:aws:s3")],
    )]);
    let s = with_trails("staging", vec![s_trail.clone()]);
    assert!(run_with(&s, &p, &[], false).findings.is_empty());
    // Unknown staging selectors: nothing is said.
    s_trail.event_selectors = None;
    let s = with_trails("staging", vec![s_trail]);
    assert!(run(&s, &p).findings.is_empty());
    assert_self_quiet(&p);
}

#[test]
fn integrity_controls_are_medium() {
    let mut s_trail = trail("main", true, Some(true));
    s_trail.log_file_validation = false;
    let mut p_trail = trail("main", true, Some(true));
    p_trail.kms_key = Some("arn:aws:kms:us-east-1:222222222222:key/1".to_string());
    let results = run(
        &with_trails("staging", vec![s_trail]),
        &with_trails("production", vec![p_trail]),
    );
    assert_eq!(results.findings.len(), 2);
    assert!(
        results
            .findings
            .iter()
            .all(|f| f.severity == Severity::Medium)
    );
}

#[test]
fn alarms_missing_disabled_and_different() {
    let mut s = snapshot("staging");
    let mut p = snapshot("production");
    p.aws.alarms = vec![
        alarm("app-production-root-usage", 1.0),
        alarm("app-production-console-failures", 3.0),
        alarm("app-production-iam-changes", 1.0),
    ];
    let mut disabled = alarm("app-staging-console-failures", 3.0);
    disabled.actions_enabled = false;
    let mut different = alarm("app-staging-iam-changes", 5.0);
    different.metric = Some("IAMPolicyEventCount".to_string());
    s.aws.alarms = vec![disabled, different];
    let results = run(&s, &p);
    assert_eq!(
        rules(&results),
        [
            "detection-rule-differs",
            "detection-rule-missing-in-staging",
            "detection-rule-missing-in-staging"
        ]
    );
    let differs = only(&results, "detection-rule-differs");
    assert!(
        differs[0]
            .message
            .contains("threshold `5` in staging, `1` in production")
    );
    assert!(differs[0].message.contains("metric"));
    assert_self_quiet(&p);
    // A staging-only alarm is not a finding.
    assert!(run(&p, &snapshot("production")).findings.is_empty());
}

#[test]
fn guardduty_and_config_recorders() {
    let detector = |id: &str, status: Option<&str>| GuardDutyDetector {
        id: id.to_string(),
        status: status.map(str::to_string),
        provenance: prov("guardduty.json"),
    };
    let recorder = |name: &str, recording: bool| ConfigRecorder {
        name: name.to_string(),
        recording,
        last_status: None,
        provenance: prov("config.json"),
    };
    let mut s = snapshot("staging");
    let mut p = snapshot("production");
    p.aws.detectors = vec![detector("d-prod", Some("ENABLED"))];
    p.aws.config_recorders = vec![recorder("default", true)];
    s.aws.detectors = vec![detector("d-stg", Some("DISABLED"))];
    s.aws.config_recorders = vec![recorder("default", false)];
    let results = run(&s, &p);
    let kinds: Vec<&str> = results
        .findings
        .iter()
        .map(|f| f.subject.kind.as_str())
        .collect();
    assert_eq!(kinds, ["aws-guardduty", "aws-config-recorder"]);
    // Status unknown in staging: nothing proven.
    s.aws.detectors = vec![detector("d-stg", None)];
    s.aws.config_recorders = vec![recorder("default", true)];
    assert!(run(&s, &p).findings.is_empty());
    assert_self_quiet(&p);
}

#[test]
fn log_retention_differs() {
    let group = |name: &str, days: Option<i64>| LogGroup {
        name: name.to_string(),
        retention_days: days,
        kms_key: None,
        provenance: prov("logs.json"),
    };
    let mut s = snapshot("staging");
    let mut p = snapshot("production");
    s.aws.log_groups = vec![group("/app-staging/api", Some(7)), group("/same", None)];
    p.aws.log_groups = vec![group("/app-production/api", None), group("/same", None)];
    let results = run(&s, &p);
    assert_eq!(rules(&results), ["log-retention-mismatch"]);
    assert!(results.findings[0].message.contains("never expire"));
    // Trails delivering to log groups with different names.
    let mut s_trail = trail("main", true, Some(true));
    s_trail.cloudwatch_log_group =
        Some("arn:aws:logs:us-east-1:111111111111:log-group:stg-trail:*".to_string());
    let mut p_trail = trail("main", true, Some(true));
    p_trail.cloudwatch_log_group =
        Some("arn:aws:logs:us-east-1:222222222222:log-group:prd-trail:*".to_string());
    s.aws.trails = vec![s_trail];
    p.aws.trails = vec![p_trail];
    s.aws.log_groups.push(group("stg-trail", Some(30)));
    p.aws.log_groups.push(group("prd-trail", Some(365)));
    let results = run(&s, &p);
    let found = only(&results, "log-retention-mismatch");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().any(|f| f.subject.kind == "aws-cloudtrail"));
    assert_self_quiet(&p);
}
