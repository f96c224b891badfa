//! The YAML reader on YAML as found in the wild: anchors, merge keys, odd indentation,
//! multi-document streams, and its limits.

use envparity::ingest::{Limits, Node, Value, parse_documents};

fn parse(text: &str) -> Vec<Node> {
    match parse_documents(text, &Limits::default()) {
        Ok(docs) => docs,
        Err(e) => panic!("parse failed: {e}"),
    }
}

fn one(text: &str) -> Node {
    let mut docs = parse(text);
    assert_eq!(docs.len(), 1, "expected one document");
    docs.remove(0)
}

fn text(node: &Node, path: &[&str]) -> Option<String> {
    let mut at = node;
    for key in path {
        at = at.get(key)?;
    }
    at.text()
}

fn keys(node: &Node) -> Vec<&str> {
    node.entries()
        .unwrap_or_default()
        .iter()
        .map(|(k, _)| k.as_str())
        .collect()
}

#[test]
fn anchors_and_aliases_expand() {
    let doc = one("base: &b\n  x: 1\ncopy: *b\nlist: &l [a, b]\nagain: *l\n");
    assert_eq!(text(&doc, &["copy", "x"]).as_deref(), Some("1"));
    let again = doc.get("again").map(|n| n.value.clone());
    assert!(matches!(again, Some(Value::Seq(items)) if items.len() == 2));
}

#[test]
fn merge_key_with_one_alias_and_explicit_override() {
    let doc = one("d: &d\n  a: 1\n  b: 2\nm:\n  <<: *d\n  b: 3\n  c: 4\n");
    let m = doc.get("m").cloned().unwrap_or(Node {
        value: Value::Null,
        line: 0,
    });
    assert_eq!(keys(&m), ["a", "b", "c"]);
    assert_eq!(text(&m, &["a"]).as_deref(), Some("1"));
    assert_eq!(text(&m, &["b"]).as_deref(), Some("3"));
}

#[test]
fn explicit_key_before_merge_still_wins() {
    let doc = one("d: &d {a: 1, b: 2}\nm:\n  b: 9\n  <<: *d\n");
    assert_eq!(text(&doc, &["m", "b"]).as_deref(), Some("9"));
    assert_eq!(text(&doc, &["m", "a"]).as_deref(), Some("1"));
}

#[test]
fn merge_key_with_a_list_of_aliases_first_wins() {
    let doc = one("a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nm:\n  <<: [*a, *b]\n  w: 0\n");
    assert_eq!(text(&doc, &["m", "y"]).as_deref(), Some("1"));
    assert_eq!(text(&doc, &["m", "z"]).as_deref(), Some("2"));
    assert_eq!(text(&doc, &["m", "w"]).as_deref(), Some("0"));
}

#[test]
fn tagged_merge_key() {
    let doc = one("a: &a {x: 1}\nm:\n  !!merge <<: *a\n  y: 2\n");
    assert_eq!(text(&doc, &["m", "x"]).as_deref(), Some("1"));
    let quoted = one("a: &a {x: 1}\nm:\n  \"<<\": *a\n");
    assert!(quoted.get("m").is_some_and(|m| m.get("<<").is_some()));
}

#[test]
fn redefined_anchor_latest_wins() {
    let doc = one("a: &x one\nb: *x\nc: &x two\nd: *x\n");
    assert_eq!(text(&doc, &["b"]).as_deref(), Some("one"));
    assert_eq!(text(&doc, &["d"]).as_deref(), Some("two"));
}

#[test]
fn document_indented_at_the_root() {
    let doc = one("    apiVersion: v1\n    kind: ConfigMap\n    data:\n      k: v\n");
    assert_eq!(text(&doc, &["kind"]).as_deref(), Some("ConfigMap"));
    assert_eq!(text(&doc, &["data", "k"]).as_deref(), Some("v"));
    assert_eq!(doc.get("data").map(|d| d.line), Some(4));
}

#[test]
fn double_quoted_continuation() {
    let doc = one("k: \"abc\\\n  def\"\nj: \"one\n  two\"\n");
    assert_eq!(text(&doc, &["k"]).as_deref(), Some("abcdef"));
    assert_eq!(text(&doc, &["j"]).as_deref(), Some("one two"));
}

#[test]
fn separators_end_markers_empty_documents_and_comments() {
    let docs = parse("# head\n---\na: 1\n...\n---\n# only a comment\n---\n---\nb: 2 # trailing\n");
    let maps: Vec<&Node> = docs.iter().filter(|d| d.value != Value::Null).collect();
    assert_eq!(maps.len(), 2);
    assert_eq!(text(maps[0], &["a"]).as_deref(), Some("1"));
    assert_eq!(maps[0].line, 3);
    assert_eq!(text(maps[1], &["b"]).as_deref(), Some("2"));
    assert_eq!(maps[1].line, 9);
    assert!(parse("").iter().all(|d| d.value == Value::Null));
}

#[test]
fn lines_of_nested_nodes() {
    let doc = one("a: 1\nlist:\n  - x: 1\n  - x: 2\n    y: 3\n");
    let Some(Value::Seq(items)) = doc.get("list").map(|l| l.value.clone()) else {
        panic!("not a list")
    };
    assert_eq!(items.iter().map(|i| i.line).collect::<Vec<_>>(), [3, 4]);
    assert_eq!(doc.get("list").and_then(|l| l.entries()).map(|_| ()), None);
}

#[test]
fn scalar_types_follow_the_core_schema() {
    let doc = one("i: 42\nf: 1.5\nb: true\nn: ~\ns: '42'\nh: 0x1f\nv: yes\n");
    assert_eq!(doc.get("i").map(|n| &n.value), Some(&Value::Int(42)));
    assert_eq!(doc.get("f").map(|n| &n.value), Some(&Value::Float(1.5)));
    assert_eq!(doc.get("b").map(|n| &n.value), Some(&Value::Bool(true)));
    assert!(doc.get("n").is_none());
    assert_eq!(
        doc.get("s").map(|n| &n.value),
        Some(&Value::String("42".into()))
    );
    assert_eq!(doc.get("h").map(|n| &n.value), Some(&Value::Int(31)));
    assert_eq!(
        doc.get("v").map(|n| &n.value),
        Some(&Value::String("yes".into()))
    );
}

#[test]
fn alias_bomb_is_stopped() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let err = parse_documents(&text, &Limits::default()).err();
    let message = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("too many nodes"), "{message}");
}

#[test]
fn deep_nesting_is_stopped() {
    let text = format!("{}{}", "[".repeat(300), "]".repeat(300));
    // The scanner has a recursion limit of its own; either stops the document.
    assert!(parse_documents(&text, &Limits::default()).is_err());
    let nested = format!("{}{}", "[".repeat(20), "]".repeat(20));
    assert!(parse_documents(&nested, &Limits::default()).is_ok());
    let limits = Limits {
        max_nodes: 1000,
        max_depth: 16,
    };
    let err = parse_documents(&nested, &limits).err();
    let message = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("nesting deeper than 16 levels"),
        "{message}"
    );
}

#[test]
fn syntax_error_has_line_and_column() {
    let err = parse_documents("a: 1\nb: [1, 2\nc: 3\n", &Limits::default()).err();
    let Some(err) = err else {
        panic!("expected an error")
    };
    assert!(err.line >= 2, "{err}");
    assert!(err.to_string().contains(" at line "), "{err}");
}

#[test]
fn json_is_read_with_lines() {
    let docs = parse(
        "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n    {\"a\": 1}\n  ]\n}\n",
    );
    assert_eq!(text(&docs[0], &["kind"]).as_deref(), Some("List"));
    let items = docs[0].get("items").map(|i| i.value.clone());
    assert!(
        matches!(items, Some(Value::Seq(ref v)) if v[0].line == 5),
        "{items:?}"
    );
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse_documents(&text, &Limits::default());
        }

        #[test]
        fn yamlish_text_never_panics(text in "[-:&*<>!\\[\\]{},'\"#|?. \nax0-9]{0,120}") {
            let _ = parse_documents(&text, &Limits { max_nodes: 10_000, max_depth: 32 });
        }
    }
}

#[test]
fn quoted_scalars_continued_at_their_keys_column_are_read() {
    // Prometheus rule tests written this way load with PyYAML and go-yaml.
    let text = "tests:\n  - interval: 1m\n    input_series:\n      - series: 'http{\n          ns=\"a\"\n        }'\n        values: '1x5'\n  - s: 'h{\n      n\n    }'\n";
    let fingerprinter = envparity::model::Fingerprinter::new(b"k");
    let snapshot = envparity::ingest::read_bytes(
        "staging",
        "rules_tests.yaml",
        text.as_bytes(),
        &fingerprinter,
        &envparity::ingest::IngestOptions::default(),
    );
    assert!(!snapshot.has_errors(), "{:?}", snapshot.diagnostics);
    let keys: Vec<String> = snapshot.config_files[0]
        .entries
        .iter()
        .map(|e| format!("{}={}", e.key, e.value.literal().text()))
        .collect();
    assert!(
        keys.contains(&"tests[0].input_series[0].series=http{ ns=\"a\" }".to_string()),
        "{keys:?}"
    );
    assert!(keys.contains(&"tests[1].s=h{ n }".to_string()), "{keys:?}");
}
