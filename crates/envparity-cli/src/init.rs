//! `envparity init DIR...`: writes a commented starter `envparity.toml`, never over an
//! existing file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use envparity::contract::starter;

use crate::Failure;
use crate::args::InitArgs;
use crate::compare::require_input;
use crate::output::{self, lowercase_first};

pub fn run(args: &InitArgs) -> Result<ExitCode, Failure> {
    for dir in &args.dirs {
        require_input(dir)?;
    }
    let target = &args.output;
    // Sources are relative to the contract's directory: when the contract goes elsewhere,
    // relative directories are written as absolute paths so that they still resolve.
    let elsewhere = target
        .parent()
        .is_some_and(|p| !p.as_os_str().is_empty() && p != Path::new("."));
    let dirs: Vec<PathBuf> = args
        .dirs
        .iter()
        .map(|dir| {
            if elsewhere && dir.is_relative() {
                std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone())
            } else {
                dir.clone()
            }
        })
        .collect();
    let text = starter(&dirs, &output::fingerprint_key()).map_err(Failure)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)
        .map_err(|error| {
            if error.kind() == std::io::ErrorKind::AlreadyExists {
                Failure::new(format!(
                    "`{}` already exists; remove it or pass `--output` with another file",
                    target.display()
                ))
            } else {
                Failure::new(format!(
                    "cannot create `{}`: {}",
                    target.display(),
                    lowercase_first(&error.to_string())
                ))
            }
        })?;
    file.write_all(text.as_bytes()).map_err(|error| {
        Failure::new(format!(
            "cannot write `{}`: {}",
            target.display(),
            lowercase_first(&error.to_string())
        ))
    })?;
    eprintln!(
        "envparity: wrote `{}`; review it, then run `envparity check`",
        target.display()
    );
    Ok(ExitCode::SUCCESS)
}
