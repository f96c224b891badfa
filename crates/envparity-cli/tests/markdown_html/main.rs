//! The Markdown and HTML reports end to end: snapshots of a sample, an empty and a long,
//! non-ASCII report, and the HTML rendered in headless Chromium without console errors.

mod chromium;
mod snapshots;

use std::path::PathBuf;
use std::time::Duration;

pub const KEY: &str = "envparity-test-fingerprint-key";

/// The repository root: the binary runs from here so evidence paths read `examples/…`.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `envparity compare <staging> <production> --format <format>`: the exit code and stdout.
pub fn compare(staging: &str, production: &str, format: &str) -> (i32, String) {
    let output = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("envparity"))
        .args(["compare", staging, production, "--format", format])
        .current_dir(repo_root())
        .env("ENVPARITY_FINGERPRINT_KEY", KEY)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .timeout(Duration::from_secs(60))
        .output()
        .expect("the binary runs");
    let code = output.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        code == 0 || code == 1,
        "envparity exited with {code}:\n{stderr}"
    );
    (code, String::from_utf8_lossy(&output.stdout).into_owned())
}

pub const SHOP: (&str, &str) = ("examples/shop/staging", "examples/shop/production");
pub const SAME: (&str, &str) = ("examples/shop/staging", "examples/shop/staging");
pub const LONG: (&str, &str) = (
    "crates/envparity-cli/tests/fixtures/long-unicode/staging",
    "crates/envparity-cli/tests/fixtures/long-unicode/production",
);
