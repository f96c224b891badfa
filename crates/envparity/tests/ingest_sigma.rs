//! `read_environment` on the Sigma fixtures under `testdata/ingest/sigma/`: rule files and
//! collections are read whatever their extension, and broken rules become one-line
//! diagnostics naming the file and line while the other files are still read.

use std::path::PathBuf;

use envparity::ingest::{IngestOptions, read_environment};
use envparity::model::{Diagnostic, Fingerprinter, Level, Snapshot};

fn read(dir: &str) -> Snapshot {
    read_environment(
        "staging",
        &[PathBuf::from(dir)],
        &Fingerprinter::new(b"ingest-test-key"),
        &IngestOptions::default(),
    )
}

fn diagnostics<'a>(snapshot: &'a Snapshot, file: &str) -> Vec<&'a Diagnostic> {
    let path = format!("testdata/ingest/sigma/broken/{file}");
    snapshot
        .diagnostics
        .iter()
        .filter(|d| d.path == path)
        .collect()
}

#[test]
fn rule_files_and_collections_are_read() {
    let snapshot = read("testdata/ingest/sigma/rules");
    assert!(
        snapshot.diagnostics.is_empty(),
        "{:?}",
        snapshot.diagnostics
    );
    let sources: Vec<(&str, &str, usize)> = snapshot
        .sources
        .iter()
        .map(|s| (s.path.as_str(), s.format.as_str(), s.objects))
        .collect();
    assert_eq!(
        sources,
        vec![
            (
                "testdata/ingest/sigma/rules/gcp_collection.yaml",
                "sigma",
                2
            ),
            ("testdata/ingest/sigma/rules/iam_rules.yml", "sigma", 2),
        ]
    );
    let summary: Vec<String> = snapshot
        .detection_rules
        .iter()
        .map(|r| {
            format!(
                "{}:{} {} level={} status={} conditions={:?}",
                r.provenance.path.rsplit('/').next().unwrap_or_default(),
                r.provenance.line.unwrap_or_default(),
                r.title,
                r.level.as_deref().unwrap_or("-"),
                r.status.as_deref().unwrap_or("-"),
                r.detection.conditions
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            "gcp_collection.yaml:12 GCP Service Account Key Created level=high status=test conditions=[\"selection\"]",
            "gcp_collection.yaml:18 GCP Service Account Key Deleted level=medium status=test conditions=[\"selection\"]",
            "iam_rules.yml:1 IAM Access Key Created For Another User level=medium status=test conditions=[\"selection and not 1 of filter_main_*\"]",
            "iam_rules.yml:24 IAM Login Profile Removed level=low status=experimental conditions=[\"selection and not keywords\"]",
        ]
    );
    let deleted = &snapshot.detection_rules[1].detection.searches[0];
    assert_eq!(
        deleted.alternatives[0][0].values,
        vec!["google.iam.admin.v1.DeleteServiceAccountKey"]
    );
    assert!(snapshot.detection_rules.iter().all(|r| r.id.is_some()));
}

#[test]
fn bad_yaml_is_one_error_with_file_and_line() {
    let snapshot = read("testdata/ingest/sigma/broken");
    let found = diagnostics(&snapshot, "bad-yaml.yml");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].level, Level::Error);
    assert_eq!(found[0].line, Some(8));
    assert!(
        found[0].message.starts_with("invalid YAML: "),
        "{}",
        found[0].message
    );
    assert!(!found[0].one_line().contains('\n'));
}

#[test]
fn rule_without_condition_is_a_warning_with_its_line() {
    let snapshot = read("testdata/ingest/sigma/broken");
    let found = diagnostics(&snapshot, "no-condition.yml");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].level, Level::Warning);
    assert_eq!(
        found[0].one_line(),
        "testdata/ingest/sigma/broken/no-condition.yml:8: skipped sigma rule `Forgotten Condition`: `detection` has no `condition`"
    );
}

#[test]
fn unparsable_condition_is_a_warning_and_the_rule_is_kept() {
    let snapshot = read("testdata/ingest/sigma/broken");
    let found = diagnostics(&snapshot, "bad-condition.yml");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].level, Level::Warning);
    assert_eq!(
        found[0].one_line(),
        "testdata/ingest/sigma/broken/bad-condition.yml:10: sigma rule `Unbalanced Condition`: the condition ends early; it is compared as written"
    );
    let titles: Vec<&str> = snapshot
        .detection_rules
        .iter()
        .map(|r| r.title.as_str())
        .collect();
    assert_eq!(titles, vec!["Unbalanced Condition"]);
    // The file without a condition is still recognised as Sigma, with no rule.
    let sources: Vec<(&str, usize)> = snapshot
        .sources
        .iter()
        .map(|s| (s.path.rsplit('/').next().unwrap_or_default(), s.objects))
        .collect();
    assert_eq!(
        sources,
        vec![("bad-condition.yml", 1), ("no-condition.yml", 0)]
    );
}

mod random {
    //! Random Sigma-shaped documents (rules, collections, broken shapes and conditions) never
    //! panic ingest, and every diagnostic stays one line naming the file.

    use envparity::ingest::{IngestOptions, read_bytes};
    use envparity::model::Fingerprinter;
    use proptest::prelude::*;
    use serde_json::{Map, Value, json};

    const KEYS: [&str; 12] = [
        "title",
        "id",
        "status",
        "level",
        "logsource",
        "detection",
        "condition",
        "selection",
        "filter_a",
        "action",
        "related",
        "tags",
    ];
    const WORDS: [&str; 16] = [
        "selection",
        "filter_*",
        "filter_a",
        "and",
        "or",
        "not",
        "1",
        "of",
        "all",
        "them",
        "(",
        ")",
        "|",
        "count()",
        "global",
        "repeat",
    ];

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(|i| json!(i)),
            prop::collection::vec(prop::sample::select(&WORDS[..]), 0..6)
                .prop_map(|w| Value::String(w.join(" "))),
        ]
    }

    fn tree() -> impl Strategy<Value = Value> {
        leaf().prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((prop::sample::select(&KEYS[..]), inner), 0..6).prop_map(
                    |entries| {
                        let map: Map<String, Value> = entries
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect();
                        Value::Object(map)
                    }
                ),
            ]
        })
    }

    /// A document that is Sigma-shaped, with random parts.
    fn rule() -> impl Strategy<Value = Value> {
        (tree(), tree(), tree(), tree()).prop_map(|(title, detection, condition, action)| {
            let mut detection = match detection {
                Value::Object(map) => map,
                other => [("selection".to_string(), other)].into_iter().collect(),
            };
            detection.insert("condition".into(), condition);
            json!({"title": title, "logsource": {"product": "aws"}, "detection": detection, "action": action})
        })
    }

    proptest! {
        #[test]
        fn random_sigma_documents_never_panic(docs in prop::collection::vec(prop_oneof![rule(), tree()], 1..5)) {
            let text: Vec<String> = docs.iter().map(|d| d.to_string()).collect();
            let text = text.join("\n---\n");
            let snapshot = read_bytes(
                "staging",
                "random.yml",
                text.as_bytes(),
                &Fingerprinter::new(b"k"),
                &IngestOptions::default(),
            );
            for d in &snapshot.diagnostics {
                prop_assert!(!d.message.contains('\n'), "{d:?}");
                prop_assert_eq!(&d.path, "random.yml");
            }
        }
    }
}
