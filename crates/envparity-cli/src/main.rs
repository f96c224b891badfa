//! The `envparity` command line: parses arguments, runs one command, maps the outcome to an
//! exit code (0 at parity, 1 failing findings, 2 usage or input errors).

mod args;
mod catalog;
mod check;
mod compare;
mod contract;
mod docs;
mod explain;
mod frameworks;
mod init;
mod inventory;
mod limits;
mod manual;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// Why a command stopped early: printed as one line on standard error, exit code 2.
#[derive(Debug)]
pub struct Failure(pub String);

impl Failure {
    pub fn new(message: impl Into<String>) -> Failure {
        Failure(message.into())
    }
}

/// Exit code 2: a usage error or an input that could not be read or parsed.
pub const EXIT_ERROR: u8 = 2;

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Compare(compare_args) => compare::run(&compare_args),
        Command::Check(check_args) => check::run(&check_args),
        Command::Init(init_args) => init::run(&init_args),
        Command::Inventory(inventory_args) => inventory::run(&inventory_args),
        Command::Rules(rules_args) => catalog::rules(&rules_args),
        Command::Explain(explain_args) => catalog::explain(&explain_args),
        Command::Completions(completions_args) => manual::completions(&completions_args),
        Command::Man(man_args) => manual::man(&man_args),
        Command::Docs(docs_args) => docs::run(&docs_args),
    }
}

/// A last resort: a bug must still end in one plain line and exit code 2, not a backtrace.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("envparity: internal error{location}; please report it");
    }));
}

/// mimalloc instead of the system allocator: ingest frees millions of small parse-tree
/// allocations on two threads, which glibc's per-thread arenas keep as resident memory.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(EXIT_ERROR)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(Failure(message))) => {
            eprintln!("envparity: error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
        Err(_) => ExitCode::from(EXIT_ERROR),
    }
}
