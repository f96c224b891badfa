//! Hostile inputs at scale: a 100 MB single-line JSON file, huge IAM policy documents, a
//! million-element list under raised limits, and files that cannot be read.

use super::*;

#[test]
fn a_100_mb_single_line_json_file_is_refused_then_read_with_a_raised_limit() {
    let dir = tempdir();
    let path = dir.path().join("big.json");
    let mut text =
        String::from(r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"}, "#);
    text.push_str(r#""data": {"k": ""#);
    text.push_str(&"x".repeat(100 * 1024 * 1024));
    text.push_str(r#""}}"#);
    write(&path, text.as_bytes());
    drop(text);
    let snapshot = ingest_paths(
        "100 MB default",
        vec![path.clone()],
        IngestOptions::default(),
    );
    let error = the_error(&snapshot, &shown(&path));
    assert_eq!(
        error.message,
        "file is larger than the limit of 67108864 bytes"
    );
    let raised = IngestOptions {
        max_file_bytes: 128 * 1024 * 1024,
        ..IngestOptions::default()
    };
    let snapshot = ingest_paths("100 MB raised", vec![path], raised);
    assert!(!snapshot.has_errors(), "{:?}", snapshot.diagnostics);
    assert_eq!(snapshot.kube.config_maps.len(), 1);
}

#[test]
fn a_million_element_list_is_read_with_a_raised_node_limit() {
    let mut text = String::from("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [");
    text.push_str(&"0,".repeat(1_000_000));
    text.push_str("0]}");
    let raised = IngestOptions {
        limits: Limits {
            max_nodes: 2_000_000,
            ..Limits::default()
        },
        ..IngestOptions::default()
    };
    let snapshot = bounded("1M list raised", HANG_LIMIT_SECS, move || {
        read_bytes(
            "staging",
            "list.json",
            text.as_bytes(),
            &Fingerprinter::new(b"adversarial"),
            &raised,
        )
    });
    assert!(!snapshot.has_errors(), "{:?}", snapshot.diagnostics);
}

/// An authorization-details dump with one role whose inline policy has `statements`
/// statements (distinct actions on distinct buckets); `extra` adds one more to staging.
fn huge_policy_dump(account: &str, prefix: &str, statements: usize, extra: bool) -> String {
    let mut list: Vec<String> = (0..statements)
        .map(|i| {
            format!(
                r#"{{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::{prefix}-bucket-{i}/*"}}"#
            )
        })
        .collect();
    if extra {
        list.push(r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}"#.into());
    }
    format!(
        r#"{{"RoleDetailList": [{{"RoleName": "{prefix}-app", "Arn": "arn:aws:iam::{account}:role/{prefix}-app", "Path": "/",
  "AssumeRolePolicyDocument": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Service": "lambda.amazonaws.com"}}, "Action": "sts:AssumeRole"}}]}},
  "RolePolicyList": [{{"PolicyName": "huge", "PolicyDocument": {{"Version": "2012-10-17", "Statement": [{}]}}}}],
  "AttachedManagedPolicies": []}}], "UserDetailList": [], "GroupDetailList": [], "Policies": []}}"#,
        list.join(",\n")
    )
}

#[test]
fn a_huge_policy_document_compares_in_bounded_time() {
    let dir = tempdir();
    let staging = dir.path().join("staging");
    let production = dir.path().join("production");
    for d in [&staging, &production] {
        if let Err(e) = std::fs::create_dir_all(d) {
            panic!("cannot create {}: {e}", d.display());
        }
    }
    let statements = 1_000;
    write(
        &staging.join("gaad.json"),
        huge_policy_dump("111111111111", "stg", statements, true).as_bytes(),
    );
    write(
        &production.join("gaad.json"),
        huge_policy_dump("222222222222", "prod", statements, false).as_bytes(),
    );
    let options = Options {
        staging: vec![staging],
        production: vec![production],
        mappings: vec![
            ("111111111111".into(), "222222222222".into()),
            ("stg".into(), "prod".into()),
        ],
        fingerprint_key: b"adversarial".to_vec(),
        ingest: IngestOptions::default(),
        fail_on: None,
    };
    let (errors, rules) = bounded("huge policy", HANG_LIMIT_SECS, move || {
        let outcome = run_compare(&options);
        (outcome.input_errors, outcome.report.rule_ids())
    });
    assert!(!errors);
    // Either the engine proves the extra grant or it says it cannot decide: never silence.
    assert!(
        rules
            .iter()
            .any(|r| r == "access-broader-in-staging" || r == "access-unknown"),
        "{rules:?}"
    );
}

#[test]
fn unreadable_files_are_errors_and_the_other_files_are_still_read() {
    let dir = tempdir();
    write(&dir.path().join("app.yaml"), CONFIG_MAP.as_bytes());
    // A link to nothing cannot be read by anyone, root included.
    symlink(
        &dir.path().join("missing.yaml"),
        &dir.path().join("dangling.yaml"),
    );
    // A file without read permission cannot be read except by root.
    let locked = dir.path().join("locked.yaml");
    write(&locked, CONFIG_MAP.as_bytes());
    let unreadable = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).is_ok()
            && std::fs::File::open(&locked).is_err()
    };
    let snapshot = ingest_paths(
        "unreadable",
        vec![dir.path().to_path_buf()],
        IngestOptions::default(),
    );
    assert!(!snapshot.kube.config_maps.is_empty());
    let dangling = shown(&dir.path().join("dangling.yaml"));
    assert!(
        snapshot.diagnostics.iter().any(|d| d.path == dangling
            && d.level == Level::Error
            && d.message.starts_with("cannot read")
            && !d.message.contains('\n')),
        "{:?}",
        snapshot.diagnostics
    );
    if unreadable {
        let locked = shown(&locked);
        assert!(
            snapshot.diagnostics.iter().any(|d| d.path == locked
                && d.level == Level::Error
                && d.message.starts_with("cannot read")),
            "{:?}",
            snapshot.diagnostics
        );
    }
}
