//! `envparity check`: every environment of the parity contract against its reference, one
//! report, one exit code.

use std::process::ExitCode;

use envparity::govern::{CheckOptions, run_check};

use crate::args::{CheckArgs, parse_maps};
use crate::{Failure, contract, output};

pub fn run(args: &CheckArgs) -> Result<ExitCode, Failure> {
    let report_options = &args.report;
    let path = contract::contract_path(report_options).ok_or_else(|| {
        Failure::new(
            "no parity contract: `./envparity.toml` does not exist; pass `--config FILE` or run `envparity init`",
        )
    })?;
    let loaded = contract::load(&path)?;
    for (name, environment) in &loaded.environments {
        for source in &environment.sources {
            if !source.exists() {
                return Err(Failure::new(format!(
                    "`{}` (a source of environment `{name}` in `{}`) does not exist",
                    source.display(),
                    path.display()
                )));
            }
        }
    }
    let governance = contract::governance(report_options, Some(&loaded))?;
    let options = CheckOptions {
        mappings: parse_maps(&report_options.maps).map_err(Failure)?,
        purposes: contract::purposes(report_options)?,
        contract: loaded,
        fingerprint_key: output::fingerprint_key(),
        ingest: report_options.limits.ingest(),
        fail_on: report_options.fail_on.threshold(),
        governance,
    };
    let outcome = {
        let _progress = crate::progress::Progress::start("checking");
        run_check(&options)
    };
    crate::compare::finish(
        &outcome.report,
        outcome.input_errors,
        outcome.failing,
        report_options,
    )
}
