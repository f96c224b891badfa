//! The command-line grammar of `envparity` (clap derive), exactly as CONTRACT.md states it.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use envparity::findings::Severity;
use envparity::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "envparity",
    version,
    about = "Prove that staging enforces the same identity controls as production and stays isolated from it",
    after_help = "Exit codes: 0 no counting finding at or above --fail-on; 1 some; \
                  2 a usage error or an input that could not be read or parsed."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare a staging snapshot with a production snapshot.
    Compare(CompareArgs),
    /// Compare every environment of the parity contract with its reference.
    Check(CheckArgs),
    /// Print the normalized snapshot of one environment.
    Inventory(InventoryArgs),
    /// List the rule catalog with severities and frameworks.
    Rules(RulesArgs),
    /// Explain a rule: what it means, why it matters, how to fix it.
    Explain(ExplainArgs),
    /// Write a commented starter envparity.toml inferred from snapshot directories.
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(hide = true)]
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a directory.
    #[command(hide = true)]
    Man(ManArgs),
    /// Write the rule reference pages (docs/rules) into a directory.
    #[command(hide = true)]
    Docs(DocsArgs),
}

/// Options shared by `compare` and `check`.
#[derive(Debug, clap::Args)]
pub struct ReportOptions {
    /// The parity contract (default: ./envparity.toml when it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A staging token and its production counterpart, applied to whole tokens (repeatable).
    #[arg(long = "map", value_name = "FROM=TO")]
    pub maps: Vec<String>,
    /// The report format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::High, value_name = "SEVERITY")]
    pub fail_on: FailOn,
    /// A previous JSON report; findings whose fingerprint is in it do not count for --fail-on.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// A test-purpose profile (repeatable); overrides the contract's.
    #[arg(long = "purpose", value_name = "P")]
    pub purposes: Vec<String>,
    /// Today's date for waiver expiry, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else the clock).
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The staging snapshot: a file or a directory.
    #[arg(value_name = "STAGING")]
    pub staging: PathBuf,
    /// The production snapshot: a file or a directory.
    #[arg(value_name = "PRODUCTION")]
    pub production: PathBuf,
    /// The name of the environment under test: selects its per-environment files
    /// (`values-<name>.yaml`, `<name>.env`, `.Environment.Name` branches of templates).
    #[arg(long, value_name = "NAME", default_value = "staging")]
    pub staging_name: String,
    /// The name of the reference environment (for example `prod`, `eqiad`).
    #[arg(long, value_name = "NAME", default_value = "production")]
    pub production_name: String,
    #[command(flatten)]
    pub report: ReportOptions,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub report: ReportOptions,
}

#[derive(Debug, clap::Args)]
pub struct InventoryArgs {
    /// A file or a directory holding one environment's snapshot.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// JSON (secret values only as fingerprints) or a text summary.
    #[arg(long, value_enum, default_value_t = DataFormat::Json)]
    pub format: DataFormat,
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// An aligned table or a JSON array.
    #[arg(long, value_enum, default_value_t = DataFormat::Text)]
    pub format: DataFormat,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Snapshot directories, one per environment, named after it (e.g. `dev staging production`).
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Where to write the contract; an existing file is never overwritten.
    #[arg(long, value_name = "FILE", default_value = "envparity.toml")]
    pub output: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A rule id, e.g. `access-broader-in-staging`.
    #[arg(value_name = "RULE-ID")]
    pub rule: String,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write envparity.1 and envparity-<command>.1 into DIR instead of printing envparity.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct DocsArgs {
    /// The directory to write the pages into.
    #[arg(long, value_name = "DIR", default_value = "docs/rules")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Text,
    Json,
    Sarif,
    Markdown,
    Junit,
    Html,
}

impl FormatArg {
    pub fn format(self) -> Format {
        match self {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Junit => Format::Junit,
            FormatArg::Html => Format::Html,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FormatArg::Text => "text",
            FormatArg::Json => "json",
            FormatArg::Sarif => "sarif",
            FormatArg::Markdown => "markdown",
            FormatArg::Junit => "junit",
            FormatArg::Html => "html",
        }
    }
}

/// `json` or `text`, for the commands that print data rather than a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Json,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Info,
    Low,
    Medium,
    High,
    Critical,
    Never,
}

impl FailOn {
    /// `None` for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Info => Some(Severity::Info),
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
            FailOn::Never => None,
        }
    }
}

/// Splits `--map FROM=TO` values; the error names the offending value.
pub fn parse_maps(values: &[String]) -> Result<Vec<(String, String)>, String> {
    values
        .iter()
        .map(|value| match value.split_once('=') {
            Some((from, to)) if !from.is_empty() && !to.is_empty() => {
                Ok((from.to_string(), to.to_string()))
            }
            _ => Err(format!(
                "`--map {value}` is not of the form FROM=TO (a staging token, `=`, its production counterpart)"
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_need_both_sides() {
        assert_eq!(
            parse_maps(&["stg=prod".to_string()]),
            Ok(vec![("stg".to_string(), "prod".to_string())])
        );
        assert!(parse_maps(&["stg".to_string()]).is_err());
        assert!(parse_maps(&["=prod".to_string()]).is_err());
    }
}
