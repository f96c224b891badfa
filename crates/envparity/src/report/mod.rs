//! Findings → output. [`build_report`] assembles the report (score, unmatched, diagnostics);
//! one small renderer per [`Format`] turns it into text.

mod build;
mod html;
mod json;
mod junit;
mod markdown;
mod sarif;
mod text;
mod wording;

pub use build::{
    DimensionSummary, EnvironmentInfo, Report, Summary, Unmatched, build_report, build_report_for,
    summarize,
};

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

/// What renderers may need beyond the report: text decoration and the `--fail-on` threshold
/// (`None` for `never`).
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub style: TextStyle,
    pub fail_on: Option<crate::findings::Severity>,
}

impl Default for RenderOptions {
    /// Plain text and the contract's default threshold, `high`.
    fn default() -> Self {
        RenderOptions {
            style: TextStyle::default(),
            fail_on: Some(crate::findings::Severity::High),
        }
    }
}

/// Renders the report with the default `--fail-on` threshold.
pub fn render(report: &Report, format: Format, style: TextStyle) -> Result<String, String> {
    let options = RenderOptions {
        style,
        ..RenderOptions::default()
    };
    render_with(report, format, &options)
}

/// Renders the report in `format`.
pub fn render_with(
    report: &Report,
    format: Format,
    options: &RenderOptions,
) -> Result<String, String> {
    let style = options.style;
    match format {
        Format::Text => Ok(text::render(report, style)),
        Format::Json => Ok(json::render(report)),
        Format::Markdown => Ok(markdown::render(report)),
        Format::Html => Ok(html::render(report)),
        Format::Sarif => Ok(sarif::render(report)),
        Format::Junit => Ok(junit::render(report, options.fail_on)),
    }
}
