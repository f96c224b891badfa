//! `envparity compare <STAGING> <PRODUCTION>`: run the pipeline, render the report, print
//! input errors on standard error and choose the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use envparity::ingest::IngestOptions;
use envparity::model::{Diagnostic, Level};
use envparity::report::{TextStyle, render};
use envparity::{Options, run_compare};

use crate::args::{CompareArgs, FormatArg, ReportOptions, parse_maps};
use crate::{EXIT_ERROR, Failure, output};

/// Refuses the options that belong to the parity contract (a later version).
fn refuse_unsupported(options: &ReportOptions) -> Result<(), Failure> {
    if options.config.is_some() {
        return Err(Failure::new(
            "`--config` needs the parity contract support, not in this version",
        ));
    }
    if options.baseline.is_some() {
        return Err(Failure::new(
            "`--baseline` needs baseline support, not in this version",
        ));
    }
    if !options.purposes.is_empty() {
        return Err(Failure::new(
            "`--purpose` needs the parity contract support, not in this version",
        ));
    }
    match options.format {
        FormatArg::Text | FormatArg::Json => Ok(()),
        other => Err(Failure::new(format!(
            "the `{}` report format is not available in this version; use `text` or `json`",
            other.name()
        ))),
    }
}

/// An input path must exist before anything is read.
pub fn require_input(path: &Path) -> Result<(), Failure> {
    if path.exists() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "`{}` does not exist (expected a file or a directory)",
            path.display()
        )))
    }
}

/// Prints every error diagnostic as one line on standard error.
pub fn print_errors<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) {
    for diagnostic in diagnostics {
        if diagnostic.level == Level::Error {
            eprintln!("envparity: error: {}", diagnostic.one_line());
        }
    }
}

pub fn run(args: &CompareArgs) -> Result<ExitCode, Failure> {
    let report_options = &args.report;
    refuse_unsupported(report_options)?;
    let mappings = parse_maps(&report_options.maps).map_err(Failure)?;
    require_input(&args.staging)?;
    require_input(&args.production)?;
    let options = Options {
        staging: vec![PathBuf::from(&args.staging)],
        production: vec![PathBuf::from(&args.production)],
        mappings,
        fingerprint_key: output::fingerprint_key(),
        ingest: IngestOptions::default(),
        fail_on: report_options.fail_on.threshold(),
    };
    let outcome = run_compare(&options);
    let format = report_options.format;
    let style = TextStyle {
        color: output::use_color(format == FormatArg::Text, report_options.output.is_some()),
    };
    let text = render(&outcome.report, format.format(), style).map_err(Failure)?;
    output::write(&text, report_options.output.as_deref())?;
    if outcome.input_errors {
        print_errors(&outcome.report.diagnostics);
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    Ok(if outcome.failing > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
