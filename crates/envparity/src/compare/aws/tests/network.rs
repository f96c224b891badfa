//! Security groups: semantic flow comparison, witnesses and cross-environment references.

use super::*;
use crate::model::SecurityGroup;

fn with_groups(env: &str, groups: Vec<SecurityGroup>) -> Snapshot {
    let mut s = snapshot(env);
    s.aws.security_groups = groups;
    s
}

fn request_of<'a>(finding: &'a Finding, key: &str) -> Option<&'a serde_json::Value> {
    finding.witnesses.first().and_then(|w| w.request.get(key))
}

#[test]
fn world_open_ssh_in_staging_only_is_broader_with_a_witness() {
    let s = with_groups(
        "staging",
        vec![group(
            "sg-s",
            "app-staging-web",
            vec![tcp(22, &["0.0.0.0/0"])],
        )],
    );
    let p = with_groups(
        "production",
        vec![group(
            "sg-p",
            "app-production-web",
            vec![tcp(22, &["10.0.0.0/8"])],
        )],
    );
    let results = run(&s, &p);
    assert_eq!(rules(&results), ["network-broader-in-staging"]);
    let finding = &results.findings[0];
    assert!(is_likely(finding));
    assert_eq!(
        request_of(finding, "source"),
        Some(&serde_json::json!("203.0.113.9"))
    );
    assert_eq!(request_of(finding, "port"), Some(&serde_json::json!(22)));
    assert_eq!(
        request_of(finding, "direction"),
        Some(&serde_json::json!("ingress"))
    );
    assert!(
        finding.message.contains("tcp/22 from 203.0.113.9"),
        "{}",
        finding.message
    );
    // The reverse is narrower.
    let reversed = run_with(&p, &s, &[("app-production", "app-staging")], false);
    assert_eq!(rules(&reversed), ["network-narrower-in-staging"]);
    assert_self_quiet(&s);
}

#[test]
fn equal_by_effect_although_written_differently() {
    // One range rule against two adjacent rules; two CIDRs against their union.
    let s = with_groups(
        "staging",
        vec![group(
            "sg-s",
            "web",
            vec![
                rule("tcp", Some(80), Some(443), &["10.0.0.0/9", "10.128.0.0/9"]),
                tcp(22, &["::/0"]),
            ],
        )],
    );
    let p = with_groups(
        "production",
        vec![group(
            "sg-p",
            "web",
            vec![
                rule("tcp", Some(80), Some(100), &["10.0.0.0/8"]),
                rule("tcp", Some(101), Some(443), &["10.0.0.0/8"]),
                tcp(22, &["::/0"]),
            ],
        )],
    );
    assert!(run(&s, &p).findings.is_empty());
}

#[test]
fn all_traffic_against_tcp_and_ipv6_world() {
    let s = with_groups(
        "staging",
        vec![group(
            "sg-s",
            "web",
            vec![rule("-1", None, None, &["10.0.0.0/8"]), tcp(443, &["::/0"])],
        )],
    );
    let p = with_groups(
        "production",
        vec![group(
            "sg-p",
            "web",
            vec![rule("tcp", Some(0), Some(65535), &["10.0.0.0/8"])],
        )],
    );
    let results = run(&s, &p);
    assert_eq!(rules(&results), ["network-broader-in-staging"]);
    let finding = &results.findings[0];
    let sources: Vec<String> = finding
        .witnesses
        .iter()
        .filter_map(|w| w.request.get("source").map(|v| v.to_string()))
        .collect();
    assert!(
        sources.iter().any(|s| s.contains("2001:db8::9")),
        "{sources:?}"
    );
    assert!(
        finding
            .witnesses
            .iter()
            .any(|w| w.request.get("protocol") != Some(&serde_json::json!("tcp"))),
        "a non-TCP protocol witness"
    );
}

#[test]
fn egress_compared_and_icmp_types() {
    let mut s_group = group(
        "sg-s",
        "web",
        vec![rule("icmp", Some(-1), Some(-1), &["10.0.0.0/8"])],
    );
    let mut p_group = group(
        "sg-p",
        "web",
        vec![rule("icmp", Some(8), Some(0), &["10.0.0.0/8"])],
    );
    p_group.egress = vec![tcp(443, &["0.0.0.0/0"])];
    let results = run(
        &with_groups("staging", vec![s_group.clone()]),
        &with_groups("production", vec![p_group.clone()]),
    );
    let found = only(&results, "network-broader-in-staging");
    assert_eq!(found.len(), 2, "ingress icmp and egress: {found:#?}");
    assert!(
        found
            .iter()
            .any(|f| f.witnesses[0].request.contains_key("destination"))
    );
    s_group.egress = p_group.egress.clone();
    s_group.ingress = p_group.ingress.clone();
    assert!(
        run(
            &with_groups("staging", vec![s_group]),
            &with_groups("production", vec![p_group])
        )
        .findings
        .is_empty()
    );
}

#[test]
fn referenced_groups_map_by_name() {
    let mut s_web = group("sg-s1", "web", vec![]);
    let mut p_web = group("sg-p1", "web", vec![]);
    let s_lb = group("sg-s2", "lb", vec![]);
    let p_lb = group("sg-p2", "lb", vec![]);
    let mut from_lb = tcp(8080, &[]);
    from_lb.groups = vec!["sg-s2".to_string()];
    s_web.ingress = vec![from_lb.clone()];
    from_lb.groups = vec!["sg-p2".to_string()];
    p_web.ingress = vec![from_lb];
    let s = with_groups("staging", vec![s_web, s_lb]);
    let p = with_groups("production", vec![p_web, p_lb]);
    assert!(run(&s, &p).findings.is_empty());
}

#[test]
fn malformed_rule_is_unknown() {
    let s = with_groups(
        "staging",
        vec![group("sg-s", "web", vec![tcp(22, &["10.0.0.300/8"])])],
    );
    let p = with_groups(
        "production",
        vec![group("sg-p", "web", vec![tcp(22, &["10.0.0.0/8"])])],
    );
    let results = run(&s, &p);
    assert_eq!(rules(&results), ["network-unknown"]);
    assert!(results.findings[0].message.contains("`10.0.0.300/8`"));
}

#[test]
fn references_to_the_other_environment() {
    let prod_db = group("sg-prod", "db", vec![]);
    let mut to_prod = tcp(5432, &[]);
    to_prod.groups = vec!["sg-prod".to_string()];
    let s = with_groups("staging", vec![group("sg-stg", "app", vec![to_prod])]);
    let p = with_groups("production", vec![prod_db]);
    let results = run(&s, &p);
    assert_eq!(rules(&results), ["network-cross-environment-path"]);
    // By owner account only the other environment has.
    let mut by_owner = tcp(5432, &[]);
    by_owner.groups = vec!["222222222222/sg-elsewhere".to_string()];
    let mut s = with_groups("staging", vec![group("sg-stg", "app", vec![by_owner])]);
    s.aws.accounts = vec!["111111111111".to_string()];
    let mut p = with_groups("production", vec![]);
    p.aws.accounts = vec!["222222222222".to_string()];
    assert_eq!(rules(&run(&s, &p)), ["network-cross-environment-path"]);
    assert_self_quiet(&s);
}

#[test]
fn private_range_only_production_uses() {
    // app pairs: staging admits 10.10/16, production 10.20/16 (their own VPC ranges).
    // Staging's db admits 10.20.0.0/16 too, as production's db does: production's range.
    let s = with_groups(
        "staging",
        vec![
            group("sg-s1", "app", vec![tcp(443, &["10.10.0.0/16"])]),
            group("sg-s2", "db", vec![tcp(5432, &["10.20.0.0/16"])]),
            group("sg-s3", "cache", vec![tcp(6379, &["10.0.0.0/8"])]),
        ],
    );
    let p = with_groups(
        "production",
        vec![
            group("sg-p1", "app", vec![tcp(443, &["10.20.0.0/16"])]),
            group("sg-p2", "db", vec![tcp(5432, &["10.20.0.0/16"])]),
            group("sg-p3", "cache", vec![tcp(6379, &["10.0.0.0/8"])]),
        ],
    );
    let results = run(&s, &p);
    let cross = only(&results, "network-cross-environment-path");
    assert_eq!(cross.len(), 1, "{:#?}", results.findings);
    assert_eq!(cross[0].subject.staging.as_deref(), Some("db"));
    assert!(is_likely(cross[0]));
}
