//! `envparity compare <STAGING> <PRODUCTION>`: run the pipeline, render the report, print
//! input errors on standard error and choose the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use envparity::Options;
use envparity::model::{Diagnostic, Level};
use envparity::report::{RenderOptions, TextStyle, render_with};
use envparity::run::{EnvironmentNames, run_governed_as};

use crate::args::{CompareArgs, FormatArg, parse_maps};
use crate::{EXIT_ERROR, Failure, contract, output};

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
    let loaded = match contract::contract_path(report_options) {
        Some(path) => Some(contract::load(&path)?),
        None => None,
    };
    let mut mappings = loaded
        .as_ref()
        .map(|c| c.mapping.clone())
        .unwrap_or_default();
    mappings.extend(parse_maps(&report_options.maps).map_err(Failure)?);
    let purposes = contract::compare_purposes(report_options, loaded.as_ref())?;
    // Always present: besides the contract's entries it carries the run's date, which
    // certificate expiry is checked against.
    let governance = Some(contract::governance(report_options, loaded.as_ref())?);
    require_input(&args.staging)?;
    require_input(&args.production)?;
    let options = Options {
        staging: vec![PathBuf::from(&args.staging)],
        production: vec![PathBuf::from(&args.production)],
        mappings,
        fingerprint_key: output::fingerprint_key(),
        ingest: report_options.limits.ingest(),
        fail_on: report_options.fail_on.threshold(),
    };
    let outcome = {
        let _progress = crate::progress::Progress::start("comparing");
        let names = EnvironmentNames {
            staging: args.staging_name.clone(),
            production: args.production_name.clone(),
        };
        run_governed_as(&options, &names, governance.as_ref(), &purposes)
    };
    crate::compare::finish(
        &outcome.report,
        outcome.input_errors,
        outcome.failing,
        report_options,
    )
}

/// Renders the report, writes it, prints input errors, and maps the outcome to the exit
/// code: shared by `compare` and `check`.
pub fn finish(
    report: &envparity::report::Report,
    input_errors: bool,
    failing: usize,
    report_options: &crate::args::ReportOptions,
) -> Result<ExitCode, Failure> {
    let format = report_options.format;
    let style = TextStyle {
        color: output::use_color(format == FormatArg::Text, report_options.output.is_some()),
    };
    let render_options = RenderOptions {
        style,
        fail_on: report_options.fail_on.threshold(),
    };
    let text = render_with(report, format.format(), &render_options)
        .map_err(|error| Failure(format!("the `{}` report: {error}", format.name())))?;
    output::write(&text, report_options.output.as_deref())?;
    if input_errors {
        print_errors(&report.diagnostics);
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    Ok(if failing > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
