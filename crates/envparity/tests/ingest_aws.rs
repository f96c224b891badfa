//! AWS ingest on the fixtures under `testdata/aws/`: the moto dumps (`moto/`, made by the real
//! AWS CLI against moto), the CLI and SDK forms of the same account (`forms/`), detection,
//! cross-file matching, and the diagnostics of broken inputs. The shared corpus is read by
//! `ingest_aws_corpus.rs`.

mod reading;

use envparity::model::{Level, Snapshot};
use reading::{read, read_one};

/// The AWS section as JSON without provenance (which differs between forms by design).
fn without_provenance(snapshot: &Snapshot) -> serde_json::Value {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("provenance");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(&snapshot.aws).unwrap_or_default();
    strip(&mut value);
    value
}

fn formats(snapshot: &Snapshot) -> Vec<(String, String)> {
    let mut out: Vec<_> = snapshot
        .sources
        .iter()
        .map(|s| {
            (
                s.path.rsplit('/').next().unwrap_or("").to_string(),
                s.format.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn moto_inventory_snapshot() {
    let snapshot = read(&["testdata/aws/moto"]);
    assert!(
        snapshot.diagnostics.is_empty(),
        "{:?}",
        snapshot.diagnostics
    );
    insta::assert_json_snapshot!("aws_moto_inventory", snapshot);
}

#[test]
fn no_secret_value_of_the_moto_seed_is_read() {
    let json = serde_json::to_string(&read(&["testdata/aws/moto"])).unwrap_or_default();
    assert!(json.contains("staging/db/password"));
    assert!(!json.contains("CANARY"));
}

#[test]
fn url_encoded_and_decoded_forms_give_the_same_model() {
    let cli = read(&["testdata/aws/forms/cli"]);
    let sdk = read(&["testdata/aws/forms/sdk"]);
    assert!(cli.diagnostics.is_empty(), "{:?}", cli.diagnostics);
    assert!(sdk.diagnostics.is_empty(), "{:?}", sdk.diagnostics);
    assert_eq!(without_provenance(&cli), without_provenance(&sdk));
    let role = &cli.aws.roles[0];
    assert_eq!(role.last_used.as_deref(), Some("2024-03-01T10:00:00Z"));
    assert_eq!(role.max_session_duration, Some(7200));
    assert_eq!(
        role.trust_policy
            .as_ref()
            .map(|t| t.document.value()["Statement"][0]["Principal"]["Service"].clone()),
        Some(serde_json::json!("ecs-tasks.amazonaws.com"))
    );
    let policy = &sdk.aws.managed_policies[0];
    assert_eq!(
        policy.document.document.value()["Statement"][1]["Effect"],
        "Deny",
        "the default version (v2)"
    );
    assert_eq!(
        sdk.aws.secrets[0].last_rotated.as_deref(),
        Some("2024-03-01T10:00:00Z")
    );
    assert_eq!(sdk.aws.accounts, vec!["111111111111".to_string()]);
    assert_eq!(
        formats(&cli),
        vec![
            (
                "credential-report.csv".into(),
                "aws-credential-report".into()
            ),
            (
                "iam-get-account-authorization-details.json".into(),
                "aws-iam-authorization-details".into()
            ),
            (
                "secretsmanager-list-secrets.json".into(),
                "aws-secretsmanager".into()
            ),
        ]
    );
}

#[test]
fn epoch_seconds_milliseconds_and_iso_dates_agree() {
    let dates = [
        "1709287200",
        "1709287200000",
        "1709287200.75",
        "\"2024-03-01T10:00:00Z\"",
        "\"2024-03-01T04:00:00.000000-06:00\"",
        "\"1709287200\"",
    ];
    for date in dates {
        let text = format!(
            r#"{{"SecretList": [{{"ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:a", "Name": "a", "LastRotatedDate": {date}}}]}}"#
        );
        let snapshot = read_one("secrets.json", &text);
        assert_eq!(
            snapshot.aws.secrets[0].last_rotated.as_deref(),
            Some("2024-03-01T10:00:00Z"),
            "{date}"
        );
    }
    let snapshot = read_one(
        "secrets.json",
        r#"{"SecretList": [{"Name": "a", "LastRotatedDate": "last tuesday"}]}"#,
    );
    assert_eq!(
        snapshot.aws.secrets[0].last_rotated.as_deref(),
        Some("last tuesday")
    );
    assert_eq!(snapshot.diagnostics[0].level, Level::Warning);
    assert!(
        snapshot.diagnostics[0]
            .message
            .contains("`LastRotatedDate` is not a date")
    );
}

#[test]
fn a_malformed_policy_document_warns_and_keeps_the_role() {
    let text = r#"{
    "RoleDetailList": [
        {
            "RoleName": "broken",
            "Arn": "arn:aws:iam::111111111111:role/broken",
            "AssumeRolePolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B",
            "RolePolicyList": [
                {"PolicyName": "half", "PolicyDocument": "{\"Statement\": [}"}
            ]
        }
    ]
}
"#;
    let snapshot = read_one("gaad.json", text);
    let role = &snapshot.aws.roles[0];
    assert_eq!(role.name, "broken");
    let inline = &role.inline_policies[0].document;
    assert_eq!(
        inline.document.value(),
        serde_json::json!("{\"Statement\": [}")
    );
    assert_eq!(inline.provenance.line, Some(8));
    let trust = role
        .trust_policy
        .as_ref()
        .map(|t| t.document.value().is_string());
    assert_eq!(trust, Some(true));
    let lines: Vec<_> = snapshot
        .diagnostics
        .iter()
        .map(|d| (d.level, d.path.as_str(), d.line, d.message.as_str()))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines
            .iter()
            .all(|(level, path, ..)| *level == Level::Warning && *path == "gaad.json")
    );
    assert_eq!(lines[0].2, Some(8));
    assert!(
        lines[0].3.contains("inline policy `half` of role `broken`"),
        "{}",
        lines[0].3
    );
    assert_eq!(lines[1].2, Some(6));
    assert!(
        lines[1].3.contains("trust policy of role `broken`"),
        "{}",
        lines[1].3
    );
    assert!(lines[1].3.ends_with("access through it is unknown"));
    assert!(!snapshot.has_errors());
}

#[test]
fn a_bad_credential_report_row_is_an_error_with_its_line() {
    let header = "user,arn,user_creation_time,password_enabled,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date";
    let text = format!(
        "{header}\nok,arn:aws:iam::1:user/ok,N/A,true,true,2024-01-01T00:00:00+00:00,N/A,false,N/A,N/A\nshort,arn:aws:iam::1:user/short,N/A\n\"quoted,name\",arn:aws:iam::1:user/q,N/A,false,false,N/A,N/A,false,N/A,N/A\n"
    );
    let snapshot = read_one("report.csv", &text);
    let users: Vec<_> = snapshot
        .aws
        .credential_report
        .iter()
        .map(|r| r.user.as_str())
        .collect();
    assert_eq!(users, ["ok", "quoted,name"]);
    assert_eq!(snapshot.aws.credential_report[1].provenance.line, Some(4));
    let errors: Vec<_> = snapshot
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, Some(3));
    assert!(
        errors[0]
            .message
            .contains("3 fields where the header has 10")
    );

    let unterminated = format!("{header}\n\"open,arn\n");
    let snapshot = read_one("report.csv", &unterminated);
    assert_eq!(snapshot.diagnostics[0].level, Level::Error);
    assert_eq!(snapshot.diagnostics[0].line, Some(2));
    assert_eq!(
        snapshot.diagnostics[0].message,
        "unterminated quoted field in CSV"
    );
}

#[test]
fn trail_facts_attach_whatever_the_input_order() {
    let dir = "testdata/aws/moto";
    let files = [
        "cloudtrail-get-trail-status-disabled-trail.json",
        "cloudtrail-get-event-selectors-org-trail.json",
        "cloudtrail-get-trail-status-org-trail.json",
        "cloudtrail-get-event-selectors-disabled-trail.json",
        "cloudtrail-describe-trails.json",
    ];
    let paths: Vec<String> = files.iter().map(|f| format!("{dir}/{f}")).collect();
    let forward: Vec<&str> = paths.iter().map(String::as_str).collect();
    let backward: Vec<&str> = forward.iter().rev().copied().collect();
    let (a, b) = (read(&forward), read(&backward));
    assert_eq!(without_provenance(&a), without_provenance(&b));
    let org = a.aws.trails.iter().find(|t| t.name == "org-trail");
    assert_eq!(org.and_then(|t| t.is_logging), Some(true));
    let disabled = a.aws.trails.iter().find(|t| t.name == "disabled-trail");
    assert_eq!(disabled.and_then(|t| t.is_logging), Some(false));
    let selectors = disabled
        .and_then(|t| t.event_selectors.clone())
        .unwrap_or_default();
    assert_eq!(selectors[0].read_write_type, "WriteOnly");
}

#[test]
fn unmatched_trail_status_is_a_warning() {
    let snapshot = read_one("status.json", r#"{"IsLogging": true}"#);
    assert!(snapshot.aws.trails.is_empty());
    assert_eq!(snapshot.diagnostics[0].level, Level::Warning);
    assert!(
        snapshot.diagnostics[0]
            .message
            .contains("cannot tell which trail")
    );
}

#[test]
fn detection_by_content_and_the_scp_file_name_rule() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}"#;
    let scp = read_one("policies/deny-all-SCP.json", policy);
    assert_eq!(scp.sources[0].format, "aws-scp");
    assert_eq!(scp.aws.scps[0].name, "deny-all-SCP");
    let other = read_one("policies/bucket-policy.json", policy);
    assert!(other.sources.is_empty());
    assert!(other.aws.scps.is_empty());
    assert_eq!(other.diagnostics[0].level, Level::Info);
    let tag_policy =
        r#"{"Policy": {"PolicySummary": {"Name": "tags", "Type": "TAG_POLICY"}, "Content": "{}"}}"#;
    assert!(read_one("org-policy.json", tag_policy).aws.scps.is_empty());
    // `iam list-policies` also has `Policies`, without documents: not an authorization dump.
    let listing = r#"{"Policies": [{"PolicyName": "p", "Arn": "arn:aws:iam::1:policy/p", "DefaultVersionId": "v1"}]}"#;
    let listing = read_one("list-policies.json", listing);
    assert!(listing.aws.managed_policies.is_empty() && listing.aws.roles.is_empty());
    // JSON of no known kind is read as a config file, nothing more.
    assert!(listing.sources.iter().all(|s| s.format == "config-json"));
    // The same dumps as YAML (`--output yaml`) are recognised too.
    let yaml = "logGroups:\n- logGroupName: /app\n  retentionInDays: 30\n";
    let logs = read_one("logs.yaml", yaml);
    assert_eq!(logs.sources[0].format, "aws-logs");
    assert_eq!(logs.aws.log_groups[0].retention_days, Some(30));
    assert_eq!(logs.aws.log_groups[0].provenance.line, Some(2));
}

#[test]
fn several_accounts_merge_and_shared_managed_policies_are_kept_once() {
    let snapshot = read(&["testdata/aws/moto"]);
    assert_eq!(snapshot.aws.accounts, ["123456789012", "222222222222"]);
    let admin = snapshot
        .aws
        .managed_policies
        .iter()
        .filter(|p| p.arn == "arn:aws:iam::aws:policy/AdministratorAccess")
        .count();
    assert_eq!(admin, 1);
    // The same account read twice: the copy is dropped with a warning.
    let gaad = "testdata/aws/moto/iam-get-account-authorization-details-222222222222.json";
    let twice = read(&[gaad, gaad]);
    assert_eq!(twice.aws.roles.len(), 1);
    assert!(
        twice
            .diagnostics
            .iter()
            .any(|d| d.message.contains("read again"))
    );
}

#[test]
fn a_detector_status_without_a_listing_names_the_detector_by_its_file() {
    let text = r#"{"Status": "DISABLED", "ServiceRole": "arn:aws:iam::1:role/x", "FindingPublishingFrequency": "SIX_HOURS"}"#;
    let id = "0123456789abcdef0123456789abcdef";
    let snapshot = read_one(&format!("eu-west-1/guardduty-get-detector-{id}.json"), text);
    assert_eq!(snapshot.sources[0].format, "aws-guardduty");
    assert_eq!(snapshot.aws.detectors[0].id, id);
    assert_eq!(
        snapshot.aws.detectors[0].status.as_deref(),
        Some("DISABLED")
    );
}

#[test]
fn a_trail_status_naming_another_trail_is_not_guessed() {
    let trails = r#"{"trailList": [{"Name": "trail", "TrailARN": "arn:aws:cloudtrail:us-east-1:1:trail/trail"}]}"#;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text);
    let written = write("describe-trails.json", trails)
        .and_then(|()| write("get-trail-status-other.json", r#"{"IsLogging": true}"#));
    assert!(written.is_ok());
    let snapshot = read(&[dir.path().to_str().unwrap_or_default()]);
    assert_eq!(snapshot.aws.trails[0].is_logging, None);
    assert!(
        snapshot
            .diagnostics
            .iter()
            .any(|d| d.message.contains("cannot tell which trail"))
    );
    // A file named only after the command belongs to the only trail.
    let written = std::fs::remove_file(dir.path().join("get-trail-status-other.json"))
        .and_then(|()| write("get-trail-status.json", r#"{"IsLogging": false}"#));
    assert!(written.is_ok());
    let snapshot = read(&[dir.path().to_str().unwrap_or_default()]);
    assert_eq!(snapshot.aws.trails[0].is_logging, Some(false));
}
