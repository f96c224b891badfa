//! The HTML report rendered by headless Chromium: no console error, a screenshot written.
//! Without Chromium the test skips with a reason, except in CI (`CI` set) where it fails.

use std::path::Path;
use std::process::Command;

use crate::{LONG, SHOP, compare};

/// True when `chromium` runs; in CI its absence is a failure.
fn chromium_available() -> bool {
    let found = Command::new("chromium").arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is not on PATH and CI is set: .ci/run installs it (apt-get install chromium)"
        );
        eprintln!("skipped: chromium is not on PATH (set CI to make this a failure)");
    }
    found
}

/// Renders `html` at `width`×`height`; returns Chromium's stderr after checking the shot.
fn render(dir: &Path, html: &str, width: u32, height: u32) -> String {
    let page = dir.join("report.html");
    std::fs::write(&page, html).expect("the page is written");
    let shot = dir.join("shot.png");
    let profile = dir.join("profile");
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 0,
        "no screenshot was written; chromium said:\n{stderr}"
    );
    stderr
}

/// Console messages and uncaught exceptions in Chromium's log. Chromium 156 logs
/// `console.error` at level INFO, and the report's script logs nothing, so every console line
/// counts: errors, uncaught exceptions and Content-Security-Policy refusals (a blocked fetch).
fn console_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.contains("CONSOLE") || line.contains("Uncaught"))
        .collect()
}

#[test]
fn html_renders_in_headless_chromium_without_console_errors() {
    if !chromium_available() {
        return;
    }
    for pair in [SHOP, LONG] {
        let (_, html) = compare(pair.0, pair.1, "html");
        let dir = tempfile::tempdir().expect("a temporary directory");
        for (width, height) in [(1200, 2000), (400, 2000)] {
            let stderr = render(dir.path(), &html, width, height);
            let errors = console_errors(&stderr);
            assert!(
                errors.is_empty(),
                "console errors for {pair:?} at {width}px:\n{}",
                errors.join("\n")
            );
        }
    }
}

#[test]
fn console_errors_are_recognized() {
    let log = "[1:2:INFO:CONSOLE:7] \"Uncaught TypeError: x\"\n\
               [1:2:ERROR:dbus/bus.cc:405] Failed to connect to the bus";
    assert_eq!(console_errors(log).len(), 1);
    assert!(console_errors("[1:2:ERROR:dbus/bus.cc:405] no bus").is_empty());
}
