//! Findings → output. [`build_report`] assembles the report (score, unmatched, diagnostics);
//! one small renderer per [`Format`] turns it into text.

mod build;
mod json;
mod text;
mod wording;

pub use build::{DimensionSummary, EnvironmentInfo, Report, Summary, Unmatched, build_report};

/// Every output format of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Markdown,
    Junit,
    Html,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "markdown" => Some(Format::Markdown),
            "junit" => Some(Format::Junit),
            "html" => Some(Format::Html),
            _ => None,
        }
    }
}

/// How text output may decorate itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    pub color: bool,
}

/// Renders the report. Formats not yet implemented are an error naming the format.
pub fn render(report: &Report, format: Format, style: TextStyle) -> Result<String, String> {
    match format {
        Format::Text => Ok(text::render(report, style)),
        Format::Json => Ok(json::render(report)),
        Format::Sarif | Format::Markdown | Format::Junit | Format::Html => Err(format!(
            "the {format:?} report format is not available in this version; use text or json"
        )),
    }
}
