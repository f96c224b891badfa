//! Snapshots of the text and JSON reports of one small fixture pair: exit code, stderr and
//! stdout, with a fixed fingerprint key and paths relative to the crate.

use crate::common::{envparity, validate};

const STAGING: &str = "tests/fixtures/shop/staging";
const PRODUCTION: &str = "tests/fixtures/shop/production";

#[test]
fn shop_text_report() {
    let run = envparity(&["compare", STAGING, PRODUCTION]);
    insta::assert_snapshot!("shop_text", run.transcript());
}

#[test]
fn shop_json_report() {
    let run = envparity(&["compare", STAGING, PRODUCTION, "--format", "json"]);
    validate(&run.json());
    insta::assert_snapshot!("shop_json", run.transcript());
}

#[test]
fn shop_inventory() {
    let run = envparity(&["inventory", STAGING, "--format", "text"]);
    insta::assert_snapshot!("shop_inventory_text", run.transcript());
}
