//! Secrets Manager rotation and sharing, and access-key findings.

use serde_json::json;

use super::*;
use crate::model::{AccessKeyInfo, CredentialReportRow, IamRole, NamedPolicy, PolicyDocument};

const STG: &str = "111111111111";
const PRD: &str = "222222222222";

fn with_secrets(env: &str, secrets: Vec<AwsSecret>, account: &str) -> Snapshot {
    let mut s = snapshot(env);
    s.aws.accounts = vec![account.to_string()];
    s.aws.secrets = secrets;
    s
}

#[test]
fn rotation_on_in_production_only_fires_both_directions() {
    let s = with_secrets("staging", vec![secret(STG, "app-staging/db", None)], STG);
    let p = with_secrets(
        "production",
        vec![secret(PRD, "app-production/db", Some(30))],
        PRD,
    );
    let results = run(&s, &p);
    let found = only(&results, "secret-rotation-mismatch");
    assert_eq!(found.len(), 1);
    assert!(is_likely(found[0]), "inferred pairing is likely");
    assert!(found[0].message.contains("no automatic rotation"));
    assert!(found[0].message.contains("every 30 days"));
    assert_eq!(
        results.compared.get(&crate::findings::Dimension::Secrets),
        Some(&1)
    );
    let reversed = run_with(&p, &s, &[("app-production", "app-staging")], false);
    assert_eq!(only(&reversed, "secret-rotation-mismatch").len(), 1);
}

#[test]
fn rotation_periods_and_schedules() {
    let mut a = secret(STG, "db", Some(30));
    let mut b = secret(PRD, "db", None);
    b.rotation_enabled = true;
    b.rotation_schedule = Some("rate(30 days)".to_string());
    let s = with_secrets("staging", vec![a.clone()], STG);
    let p = with_secrets("production", vec![b.clone()], PRD);
    assert!(rules(&run(&s, &p)).is_empty(), "rate(30 days) is 30 days");
    a.rotation_days = Some(7);
    let s = with_secrets("staging", vec![a.clone()], STG);
    let found = run(&s, &p);
    assert_eq!(rules(&found), ["secret-rotation-mismatch"]);
    // Enabled without a period: only on/off is known, so nothing is said.
    a.rotation_days = None;
    let s = with_secrets("staging", vec![a], STG);
    assert!(rules(&run(&s, &p)).is_empty());
    assert_self_quiet(&p);
}

#[test]
fn same_arn_in_both_lists_is_shared() {
    let shared = secret(STG, "db", Some(30));
    let mut s = with_secrets("staging", vec![shared.clone()], STG);
    let p = with_secrets("production", vec![shared.clone()], STG);
    // A policy reading it is not reported again: the secret is reported once, as listed by both.
    s.aws.roles = vec![role_with_policy("api", &shared.arn)];
    let results = run(&s, &p);
    assert_eq!(rules(&results), ["secret-shared-across-environments"]);
}

fn role_with_policy(name: &str, resource: &str) -> IamRole {
    let document = PolicyDocument {
        name: format!("inline policy read of role {name}"),
        document: json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": [resource]}
        ]})
        .into(),
        provenance: prov("iam.json"),
    };
    IamRole {
        arn: format!("arn:aws:iam::{STG}:role/{name}"),
        name: name.to_string(),
        path: "/".to_string(),
        trust_policy: None,
        inline_policies: vec![NamedPolicy {
            name: "read".to_string(),
            document,
        }],
        attached_policies: Vec::new(),
        permissions_boundary: None,
        tags: BTreeMap::new(),
        max_session_duration: None,
        last_used: None,
        instance_profiles: Vec::new(),
        provenance: prov("iam.json"),
    }
}

#[test]
fn staging_policy_reading_a_production_secret() {
    let mut s = with_secrets("staging", vec![secret(STG, "app-staging/db", None)], STG);
    let p = with_secrets(
        "production",
        vec![secret(PRD, "app-production/db", None)],
        PRD,
    );
    // By the other account.
    s.aws.roles = vec![role_with_policy(
        "api",
        &format!("arn:aws:secretsmanager:us-east-1:{PRD}:secret:app-production/db-*"),
    )];
    let results = run(&s, &p);
    let found = only(&results, "secret-shared-across-environments");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].confidence, Confidence::Proven);
    assert_eq!(
        found[0].subject.production.as_deref(),
        Some("app-production/db")
    );
    // By name only, in the own account: likely.
    s.aws.roles = vec![role_with_policy(
        "api",
        &format!("arn:aws:secretsmanager:us-east-1:{STG}:secret:app-production/db-??????"),
    )];
    let found = run(&s, &p);
    let found = only(&found, "secret-shared-across-environments");
    assert_eq!(found.len(), 1);
    assert!(is_likely(found[0]));
    // The own secret, or a wildcard over names: nothing.
    for resource in [
        format!("arn:aws:secretsmanager:us-east-1:{STG}:secret:app-staging/db-*"),
        format!("arn:aws:secretsmanager:us-east-1:{STG}:secret:*"),
    ] {
        s.aws.roles = vec![role_with_policy("api", &resource)];
        assert!(rules(&run(&s, &p)).is_empty(), "{resource}");
    }
    assert_self_quiet(&s);
}

fn report_row(user: &str, key: Option<(&str, &str)>) -> CredentialReportRow {
    CredentialReportRow {
        user: user.to_string(),
        arn: format!("arn:aws:iam::{STG}:user/{user}"),
        password_enabled: false,
        access_keys: key
            .map(|(rotated, used)| AccessKeyInfo {
                slot: 1,
                active: true,
                last_rotated: Some(rotated.to_string()),
                last_used: Some(used.to_string()),
            })
            .into_iter()
            .collect(),
        provenance: prov("credential-report.csv"),
    }
}

#[test]
fn static_key_where_production_uses_a_role() {
    let mut s = snapshot("staging");
    s.aws.credential_report = vec![report_row(
        "deploy-staging",
        Some(("2024-01-10T00:00:00+00:00", "2024-02-01T00:00:00+00:00")),
    )];
    let mut p = snapshot("production");
    let mut role = role_with_policy("deploy-production", "*");
    role.inline_policies.clear();
    p.aws.roles = vec![role];
    let results = run_with(&s, &p, &[("staging", "production")], false);
    let found = only(&results, "credential-long-lived");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains("uses role `deploy-production`"));
    assert_eq!(found[0].confidence, Confidence::Proven);
    // Production user without keys: the same finding against the user.
    p.aws.credential_report = vec![report_row("deploy-production", None)];
    let results = run_with(&s, &p, &[("staging", "production")], false);
    let found = only(&results, "credential-long-lived");
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("has no active access key"));
    // Reverse direction: production holds the static key.
    let results = run_with(&p, &s, &[("production", "staging")], false);
    assert_eq!(only(&results, "credential-long-lived").len(), 1);
    assert_self_quiet(&s);
}

#[test]
fn key_age_against_the_newest_report_date() {
    let mut s = snapshot("staging");
    s.aws.credential_report = vec![
        report_row(
            "old",
            Some(("2023-01-01T00:00:00+00:00", "2023-02-01T00:00:00+00:00")),
        ),
        report_row(
            "fresh",
            Some(("2024-03-01T00:00:00+00:00", "2024-03-02T00:00:00+00:00")),
        ),
    ];
    let results = run(&s, &snapshot("production"));
    let found = only(&results, "credential-long-lived");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].subject.staging.as_deref(), Some("old"));
    assert!(
        found[0].message.contains("2024-03-02"),
        "{}",
        found[0].message
    );
    assert!(
        found[0].message.contains("426 days"),
        "{}",
        found[0].message
    );
}
