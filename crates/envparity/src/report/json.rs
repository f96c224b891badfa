//! `--format json`: the `envparity.report/v1` document.

use super::Report;

pub fn render(report: &Report) -> String {
    match serde_json::to_string_pretty(report) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        Err(error) => format!("{{\"error\": \"{error}\"}}\n"),
    }
}
