//! Snapshots of `--format markdown` and `--format html` for the shop example, a directory
//! compared with itself (no findings) and a fixture with long and non-ASCII values.

use crate::{LONG, SAME, SHOP, compare};

fn snapshot(name: &str, pair: (&str, &str), format: &str) {
    let (code, stdout) = compare(pair.0, pair.1, format);
    insta::assert_snapshot!(name, format!("exit: {code}\n{stdout}"));
}

#[test]
fn shop_markdown() {
    snapshot("shop_markdown", SHOP, "markdown");
}

#[test]
fn shop_html() {
    snapshot("shop_html", SHOP, "html");
}

#[test]
fn empty_markdown() {
    snapshot("empty_markdown", SAME, "markdown");
}

#[test]
fn empty_html() {
    snapshot("empty_html", SAME, "html");
}

#[test]
fn long_unicode_markdown() {
    snapshot("long_unicode_markdown", LONG, "markdown");
}

#[test]
fn long_unicode_html() {
    snapshot("long_unicode_html", LONG, "html");
}

/// Values are escaped: the fixture's `<b>`, pipes and backticks never reach the output raw.
#[test]
fn long_unicode_values_are_escaped() {
    let (_, markdown) = compare(LONG.0, LONG.1, "markdown");
    assert!(markdown.contains("café-staging"));
    assert!(!markdown.contains("<b>`x`</b>"));
    assert!(!markdown.contains("<staging>"));
    let (_, html) = compare(LONG.0, LONG.1, "html");
    assert!(html.contains("réglages-日本語"));
    assert!(!html.contains("<staging>"));
    assert!(!html.contains("<b>`x`"));
}
