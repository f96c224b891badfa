//! The parity contract on the command line: finding and reading `envparity.toml`, the
//! current date (`--now`, `SOURCE_DATE_EPOCH`, the clock), `--baseline` and `--purpose`.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use envparity::contract::{self, Contract, Date, Purpose};
use envparity::govern::{Governance, parse_baseline};

use crate::Failure;
use crate::args::ReportOptions;
use crate::output::lowercase_first;

/// `--config FILE`, else `./envparity.toml` when it exists, else no contract.
pub fn contract_path(options: &ReportOptions) -> Option<PathBuf> {
    match &options.config {
        Some(path) => Some(path.clone()),
        None => {
            let default = PathBuf::from(contract::FILE_NAME);
            default.is_file().then_some(default)
        }
    }
}

fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|error| {
        Failure::new(format!(
            "cannot read the {what} `{}`: {}",
            path.display(),
            lowercase_first(&error.to_string())
        ))
    })
}

/// Reads and validates the contract; errors name file, line and column.
pub fn load(path: &Path) -> Result<Contract, Failure> {
    let text = read_text(path, "parity contract")?;
    contract::parse(&text, path).map_err(|error| Failure::new(error.to_string()))
}

/// Today's date for waiver expiry: `--now`, else `SOURCE_DATE_EPOCH`, else the system clock.
pub fn now(options: &ReportOptions) -> Result<Date, Failure> {
    if let Some(text) = &options.now {
        return Date::parse(text).ok_or_else(|| {
            Failure::new(format!("`--now {text}` is not a date written YYYY-MM-DD"))
        });
    }
    if let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") {
        let text = value.to_string_lossy();
        let seconds: i64 = text.trim().parse().map_err(|_| {
            Failure::new(format!(
                "`SOURCE_DATE_EPOCH={text}` is not a number of seconds since 1970-01-01"
            ))
        })?;
        return Ok(Date::from_unix_seconds(seconds));
    }
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Ok(Date::from_unix_seconds(seconds))
}

/// `--purpose` values; an unknown one is a usage error listing the known ones.
pub fn purposes(options: &ReportOptions) -> Result<Vec<Purpose>, Failure> {
    options
        .purposes
        .iter()
        .map(|text| {
            Purpose::parse(text).ok_or_else(|| {
                let known: Vec<&str> = Purpose::ALL.iter().map(|p| p.as_str()).collect();
                Failure::new(format!(
                    "unknown purpose `{text}`, expected one of {}",
                    known.join(", ")
                ))
            })
        })
        .collect()
}

/// The governance of one run: the contract's entries (if any), the date and the baseline.
pub fn governance(
    options: &ReportOptions,
    contract: Option<&Contract>,
) -> Result<Governance, Failure> {
    let mut governance = Governance::none(now(options)?);
    if let Some(contract) = contract {
        governance.expected = contract.expected.clone();
        governance.waivers = contract.waivers.clone();
    }
    if let Some(path) = &options.baseline {
        let text = read_text(path, "baseline report")?;
        let known = parse_baseline(&text)
            .map_err(|error| Failure::new(format!("the baseline `{}` {error}", path.display())))?;
        governance.baseline = Some(known);
    }
    Ok(governance)
}

/// The purposes of `compare`'s staging side: `--purpose`, else the contract environment
/// named `staging`, else the contract's only environment besides the reference.
pub fn compare_purposes(
    options: &ReportOptions,
    contract: Option<&Contract>,
) -> Result<Vec<Purpose>, Failure> {
    let given = purposes(options)?;
    if !given.is_empty() {
        return Ok(given);
    }
    let Some(contract) = contract else {
        return Ok(Vec::new());
    };
    let others: Vec<_> = contract
        .environments
        .iter()
        .filter(|(name, _)| **name != contract.reference)
        .collect();
    let chosen = contract
        .environments
        .get("staging")
        .filter(|_| contract.reference != "staging")
        .or(match others.as_slice() {
            [(_, only)] => Some(*only),
            _ => None,
        });
    Ok(chosen.map(|e| e.purposes.clone()).unwrap_or_default())
}
