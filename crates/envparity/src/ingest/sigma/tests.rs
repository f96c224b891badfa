//! Unit tests of Sigma detection, collections and the canonical form of detection logic.

use super::*;
use crate::ingest::yaml::parse_documents;
use crate::model::{Fingerprinter, SIGMA_NULL, SigmaRule};

fn read(text: &str) -> (bool, Snapshot) {
    let docs = parse_documents(text, &Limits::default()).unwrap_or_default();
    let mut snapshot = Snapshot::new("staging");
    let read = read_documents(
        &docs,
        "rules/r.yml",
        &fingerprinter(),
        &Limits::default(),
        &mut snapshot,
    );
    (read, snapshot)
}

fn fingerprinter() -> Fingerprinter {
    Fingerprinter::new(b"test-key")
}

fn rules(text: &str) -> Vec<SigmaRule> {
    read(text).1.detection_rules
}

const RULE: &str = "\
title: Secret Read
id: 0D5A9C3E-1111-4A4A-9B9B-000000000001
status: Test
level: High
logsource:
  product: Kubernetes
  service: audit
tags: [attack.t1552, attack.credential-access]
detection:
  selection:
    verb: [list, get]
    objectRef.resource: secrets
  filter:
    - user.username|startswith: 'system:'
    - user.username: null
  condition:   Selection   AND NOT filter
";

#[test]
fn reads_a_rule_in_canonical_form() {
    let (read, snapshot) = read(&RULE.replace("Selection", "selection"));
    assert!(read);
    assert_eq!(snapshot.sources.len(), 1);
    assert_eq!(snapshot.sources[0].format, "sigma");
    assert_eq!(snapshot.sources[0].objects, 1);
    assert!(
        snapshot.diagnostics.is_empty(),
        "{:?}",
        snapshot.diagnostics
    );
    let rule = &snapshot.detection_rules[0];
    assert_eq!(
        rule.id.as_deref(),
        Some("0d5a9c3e-1111-4a4a-9b9b-000000000001")
    );
    assert_eq!(rule.status.as_deref(), Some("test"));
    assert_eq!(rule.level.as_deref(), Some("high"));
    assert_eq!(rule.logsource.to_string(), "kubernetes/audit/-");
    assert_eq!(rule.tags, vec!["attack.credential-access", "attack.t1552"]);
    assert_eq!(rule.provenance.line, Some(1));
    assert_eq!(rule.detection.conditions, vec!["selection and not filter"]);
    assert_eq!(rule.detection.condition_line, Some(16));
    let names: Vec<&str> = rule
        .detection
        .searches
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, vec!["filter", "selection"]);
    let selection = &rule.detection.searches[1];
    assert_eq!(selection.alternatives.len(), 1);
    let keys: Vec<&str> = selection.alternatives[0]
        .iter()
        .map(|f| f.key.as_str())
        .collect();
    assert_eq!(keys, vec!["objectRef.resource", "verb"]);
    assert_eq!(selection.alternatives[0][1].values, vec!["get", "list"]);
    assert_eq!(selection.alternatives[0][1].line, Some(11));
    let filter = &rule.detection.searches[0];
    assert_eq!(filter.alternatives.len(), 2);
    assert_eq!(filter.alternatives[0][0].values, vec![SIGMA_NULL]);
}

#[test]
fn reordering_and_layout_give_the_same_canonical_form() {
    let reordered = "\
level: high
detection:
  condition: selection and not filter
  filter:
  - user.username: ~
  - {user.username|startswith: 'system:'}
  selection: {objectRef.resource: secrets, verb: [get, list, get]}
logsource: {service: audit, product: kubernetes}
title: Secret Read
";
    let a = &rules(&RULE.replace("Selection", "selection"))[0];
    let b = &rules(reordered)[0];
    let without_lines = |rule: &SigmaRule| {
        let mut value = serde_json::to_value(&rule.detection.searches).unwrap();
        strip_lines(&mut value);
        value
    };
    assert_eq!(without_lines(a), without_lines(b));
    assert_eq!(a.detection.conditions, b.detection.conditions);
    assert_eq!(a.logsource, b.logsource);
}

fn strip_lines(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("line");
            map.values_mut().for_each(strip_lines);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_lines),
        _ => {}
    }
}

#[test]
fn keyword_lists_and_single_keywords() {
    let text = "\
title: Keywords
logsource: {product: aws}
detection:
  keywords: [b, a]
  one: alone
  condition: keywords or one
";
    let rule = &rules(text)[0];
    let keywords = &rule.detection.searches[0];
    assert_eq!(keywords.alternatives[0][0].key, "");
    assert_eq!(keywords.alternatives[0][0].values, vec!["a", "b"]);
    assert_eq!(
        rule.detection.searches[1].alternatives[0][0].values,
        vec!["alone"]
    );
}

#[test]
fn collections_merge_the_global_document() {
    let text = "\
action: global
title: Shared
status: test
detection:
  condition: selection
---
id: 00000000-0000-0000-0000-00000000000a
logsource: {product: aws, service: cloudtrail}
detection:
  selection: {eventName: A}
---
action: repeat
id: 00000000-0000-0000-0000-00000000000b
detection:
  selection: {eventName: B}
---
action: reset
---
title: Alone
logsource: {product: gcp}
detection:
  selection: {x: 1}
  condition: selection
";
    let (read, snapshot) = read(text);
    assert!(read);
    assert!(
        snapshot.diagnostics.is_empty(),
        "{:?}",
        snapshot.diagnostics
    );
    let rules = &snapshot.detection_rules;
    assert_eq!(rules.len(), 3);
    assert_eq!(rules[0].title, "Shared");
    assert_eq!(rules[0].provenance.line, Some(7));
    assert_eq!(rules[0].detection.conditions, vec!["selection"]);
    assert_eq!(rules[1].title, "Shared");
    assert_eq!(rules[1].logsource.to_string(), "aws/cloudtrail/-");
    assert_eq!(
        rules[1].detection.searches[0].alternatives[0][0].values,
        vec!["B"]
    );
    assert_eq!(rules[2].title, "Alone");
    assert_eq!(rules[2].status, None);
}

#[test]
fn not_sigma() {
    assert!(!read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n").0);
    assert!(!read("detection: {condition: x}\n").0);
    assert!(!read("apiVersion: v1\nlogsource: {}\ndetection: {condition: x}\n").0);
    assert!(!read("- a\n- b\n").0);
}

#[test]
fn missing_condition_and_bad_shapes_are_warnings_with_lines() {
    let text = "\
title: No Condition
logsource: {product: aws}
detection:
  selection: {a: 1}
---
title: Nested Value
logsource: {product: aws}
detection:
  selection:
    a: {b: c}
  condition: selection
---
title: Unknown Search
logsource: {product: aws}
detection:
  selection: {a: 1}
  condition: selection and not filter_*
---
just: config
";
    let (read, snapshot) = read(text);
    assert!(read);
    let shown: Vec<String> = snapshot.diagnostics.iter().map(|d| d.one_line()).collect();
    assert_eq!(
        shown,
        vec![
            "rules/r.yml:4: skipped sigma rule `No Condition`: `detection` has no `condition`",
            "rules/r.yml:10: skipped sigma rule `Nested Value`: expected `detection.selection.a` to be a value or a list of values at line 10",
            "rules/r.yml:17: sigma rule `Unknown Search`: the condition names `filter_*`, which `detection` does not define",
            "rules/r.yml:19: ignored a document that is not a sigma rule (no `detection` and `logsource`)",
        ]
    );
    assert!(
        snapshot
            .diagnostics
            .iter()
            .all(|d| d.level == Level::Warning)
    );
    assert_eq!(snapshot.detection_rules.len(), 1);
    assert_eq!(snapshot.sources[0].objects, 1);
}

#[test]
fn collection_expansion_is_bounded() {
    let mut text = String::from(
        "action: global\ntitle: T\nlogsource: {product: aws}\ndetection:\n  condition: s\n  s: [",
    );
    text.push_str(&vec!["x"; 2000].join(", "));
    text.push_str("]\n");
    for _ in 0..600 {
        text.push_str("---\nlevel: low\n");
    }
    let docs = parse_documents(&text, &Limits::default()).unwrap_or_default();
    let mut snapshot = Snapshot::new("staging");
    let limits = Limits {
        max_nodes: 100_000,
        ..Limits::default()
    };
    assert!(read_documents(
        &docs,
        "r.yml",
        &fingerprinter(),
        &limits,
        &mut snapshot
    ));
    assert_eq!(snapshot.diagnostics.len(), 1);
    assert_eq!(snapshot.diagnostics[0].level, Level::Error);
    assert!(snapshot.detection_rules.is_empty());
}

#[test]
fn credentials_in_values_are_held_as_fingerprints() {
    let text = "\
title: Leaked Key Used
logsource: {product: aws}
detection:
  selection:
    userIdentity.accessKeyId: AKIAABCDEFGHIJKLMNOP
    eventName: GetCallerIdentity
  condition: selection
";
    let rule = &rules(text)[0];
    let fields = &rule.detection.searches[0].alternatives[0];
    assert_eq!(fields[1].key, "userIdentity.accessKeyId");
    assert!(
        fields[1].values[0].starts_with("‹secret:"),
        "{:?}",
        fields[1].values
    );
    assert!(!fields[1].values[0].contains("AKIAABCDEFGHIJKLMNOP"));
    assert_eq!(fields[0].values, vec!["GetCallerIdentity"]);
}

#[test]
fn diagnostics_stay_on_one_line() {
    let text = "title: |\n  Two\n  Lines\nlogsource: {product: aws}\ndetection:\n  s: {a: 1}\n";
    let (_, snapshot) = read(text);
    assert_eq!(snapshot.diagnostics.len(), 1);
    assert_eq!(
        snapshot.diagnostics[0].message,
        "skipped sigma rule `Two Lines`: `detection` has no `condition`"
    );
    let (_, snapshot) = read("title: [x]\nlogsource: {}\ndetection: {condition: s}\n");
    assert_eq!(
        snapshot.diagnostics[0].message,
        "skipped a sigma rule: expected `title` to be a string at line 1"
    );
}
