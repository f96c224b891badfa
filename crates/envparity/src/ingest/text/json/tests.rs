//! The JSON fast path against the YAML path: the same trees and lines wherever the fast path
//! answers, and no answer wherever the careful path must decide.

use proptest::prelude::*;

use super::parse;
use crate::ingest::yaml::{Limits, Node, parse_documents};

fn careful(text: &str) -> Node {
    let mut docs = parse_documents(text, &Limits::default()).expect("the YAML path parses it");
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

fn same_as_yaml(text: &str) {
    let fast = parse(text, &Limits::default()).expect("the fast path parses it");
    assert_eq!(fast, careful(text), "{text}");
}

#[test]
fn ordinary_json_gives_the_yaml_tree_with_lines() {
    same_as_yaml(r#"{"a": 1, "b": [true, false, null], "c": {"d": "e"}}"#);
    same_as_yaml(
        "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"s3:GetObject\",\n \"s3:*\"]\n    }\n  ],\n  \"n\": -0,\n  \"f\": 1.5e3\n}\n",
    );
    same_as_yaml("[\r\n 1,\r\n 2.25,\r\n \"x\"\r\n]");
    same_as_yaml(r#"{"esc": "a\"b\\c\/d\n\t\u00e9\u4e2d", "empty": "", "list": []}"#);
    same_as_yaml(r#"{"big": 123456789012345678901234, "neg": -9223372036854775808, "e": 1E-2}"#);
    same_as_yaml("\n\n  {\"late\": {}}  \n");
}

#[test]
fn unusual_input_is_left_to_the_careful_path() {
    let limits = Limits::default();
    for text in [
        r#"{"a": 1, "a": 2}"#,
        r#"{"a": 1,}"#,
        r#"[1 2]"#,
        r#"{"a": 01}"#,
        r#"{"a": 1.}"#,
        r#"{"a": 1e400}"#,
        r#"{"a": "\ud83d\ude00"}"#,
        "{\"a\": \"tab\there\"}",
        "{\"a\":\r1}",
        r#"{"a": tru}"#,
        r#"{"a": 1} x"#,
        r#"{'a': 1}"#,
    ] {
        assert_eq!(parse(text, &limits), None, "{text}");
    }
    let deep = format!("{}{}", "[".repeat(121), "]".repeat(121));
    assert_eq!(parse(&deep, &limits), None);
    let small = Limits {
        max_nodes: 3,
        max_depth: 256,
    };
    assert!(parse("[1, 2]", &small).is_some());
    assert_eq!(parse("[1, 2, 3]", &small), None);
}

#[test]
fn many_keys_find_duplicates_too() {
    let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
    let text = format!("{{{}}}", keys.join(", "));
    same_as_yaml(&text);
    let repeated = format!("{{{}, \"k3\": 0}}", keys.join(", "));
    assert_eq!(parse(&repeated, &Limits::default()), None);
}

/// A JSON value to print.
#[derive(Debug, Clone)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<Json>),
    Object(Vec<(String, Json)>),
}

fn json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::Int),
        (-1.0e6f64..1.0e6).prop_map(Json::Float),
        "[a-zA-Z0-9 :*/é\"\\\\-]{0,12}".prop_map(Json::Text),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Json::List),
            prop::collection::btree_map("[a-zA-Z:]{1,6}", inner, 0..5)
                .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

fn gap(breaks: &mut impl Iterator<Item = bool>, out: &mut String) {
    out.push_str(if breaks.next().unwrap_or(false) {
        "\n  "
    } else {
        " "
    });
}

/// Prints `value` with a line break after each separator chosen by `breaks`.
fn print(value: &Json, breaks: &mut impl Iterator<Item = bool>, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(&b.to_string()),
        Json::Int(i) => out.push_str(&i.to_string()),
        Json::Float(f) => out.push_str(&serde_json::to_string(f).unwrap_or_default()),
        Json::Text(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
        Json::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                gap(breaks, out);
                print(item, breaks, out);
            }
            out.push(']');
        }
        Json::Object(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                gap(breaks, out);
                out.push_str(&serde_json::to_string(key).unwrap_or_default());
                out.push(':');
                gap(breaks, out);
                print(item, breaks, out);
            }
            out.push('}');
        }
    }
}

proptest! {
    #[test]
    fn generated_json_parses_as_the_yaml_path_does(
        value in json(),
        breaks in prop::collection::vec(any::<bool>(), 0..64),
    ) {
        let mut text = String::new();
        print(&value, &mut breaks.into_iter().cycle(), &mut text);
        if let Ok(docs) = parse_documents(&text, &Limits::default()) {
            prop_assert_eq!(parse(&text, &Limits::default()), docs.into_iter().next());
        }
    }
}
