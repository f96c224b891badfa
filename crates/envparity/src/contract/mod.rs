//! The parity contract `envparity.toml`: parsed with `toml` and validated (unknown keys,
//! missing fields, dates, globs, rule ids, purposes) into a [`Contract`]; every error names
//! the file, line and column in one line. Reading the file is the caller's job.

mod date;
mod init;
mod purpose;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;

pub use date::Date;
pub use init::starter;
pub use purpose::Purpose;

use crate::findings::Rule;

/// The file name `compare` and `check` look for in the working directory.
pub const FILE_NAME: &str = "envparity.toml";

/// One environment of the contract, its sources resolved against the contract's directory.
#[derive(Debug, Clone)]
pub struct Environment {
    pub sources: Vec<PathBuf>,
    pub purposes: Vec<Purpose>,
}

/// Where an entry was written, for findings about the entry itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub line: u32,
}

/// A rule and a glob over subject names: what a waiver or expected difference covers.
#[derive(Debug, Clone)]
pub struct Selector {
    pub rule: Rule,
    pub subject: String,
    pub matcher: GlobMatcher,
}

#[derive(Debug, Clone)]
pub struct ExpectedEntry {
    pub selector: Selector,
    pub reason: String,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct WaiverEntry {
    pub selector: Selector,
    pub reason: String,
    pub owner: String,
    pub expires: Date,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct Contract {
    pub reference: String,
    pub environments: BTreeMap<String, Environment>,
    /// `[mapping]`: staging token, production token.
    pub mapping: Vec<(String, String)>,
    pub expected: Vec<ExpectedEntry>,
    pub waivers: Vec<WaiverEntry>,
}

/// A contract that could not be used: file, line, column and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractError {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` line {}, column {}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContract {
    reference: Spanned<String>,
    environments: Spanned<BTreeMap<String, RawEnvironment>>,
    #[serde(default)]
    mapping: BTreeMap<String, String>,
    #[serde(default)]
    expected: Vec<Spanned<RawExpected>>,
    #[serde(default)]
    waivers: Vec<Spanned<RawWaiver>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvironment {
    sources: Spanned<Vec<String>>,
    #[serde(default)]
    purpose: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpected {
    rule: Spanned<String>,
    subject: Spanned<String>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    rule: Spanned<String>,
    subject: Spanned<String>,
    reason: String,
    owner: String,
    expires: Spanned<toml::Value>,
}

/// Turns byte offsets of one file into errors with line and column.
struct Source<'a> {
    text: &'a str,
    path: String,
}

impl Source<'_> {
    fn line_column(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (line as u32, column as u32)
    }

    fn error(&self, span: Range<usize>, message: impl Into<String>) -> ContractError {
        let (line, column) = self.line_column(span.start);
        let message: String = message.into();
        ContractError {
            path: self.path.clone(),
            line,
            column,
            message: message.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }

    fn location(&self, span: &Range<usize>) -> Location {
        Location {
            path: self.path.clone(),
            line: self.line_column(span.start).0,
        }
    }

    fn selector(
        &self,
        rule: &Spanned<String>,
        subject: &Spanned<String>,
    ) -> Result<Selector, ContractError> {
        let rule_id = rule.get_ref();
        let found = Rule::from_id(rule_id).ok_or_else(|| {
            self.error(
                rule.span(),
                format!("unknown rule `{rule_id}` (see `envparity rules`)"),
            )
        })?;
        let pattern = subject.get_ref();
        let glob = Glob::new(pattern).map_err(|e| {
            self.error(
                subject.span(),
                format!("invalid subject glob `{pattern}`: {}", e.kind()),
            )
        })?;
        Ok(Selector {
            rule: found,
            subject: pattern.clone(),
            matcher: glob.compile_matcher(),
        })
    }
}

fn parse_expiry(source: &Source<'_>, value: &Spanned<toml::Value>) -> Result<Date, ContractError> {
    let text = match value.get_ref() {
        toml::Value::String(text) => text.clone(),
        toml::Value::Datetime(datetime) => datetime.to_string(),
        _ => String::new(),
    };
    Date::parse(&text).ok_or_else(|| {
        source.error(
            value.span(),
            format!("`expires` must be a date written YYYY-MM-DD, not `{text}`"),
        )
    })
}

/// Parses and validates the contract text; `path` is the file it was read from (sources are
/// resolved against its directory, and errors name it).
pub fn parse(text: &str, path: &Path) -> Result<Contract, ContractError> {
    let source = Source {
        text,
        path: path.to_string_lossy().replace('\\', "/"),
    };
    let raw: RawContract = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        source.error(span, e.message())
    })?;
    let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut environments = BTreeMap::new();
    let environments_span = raw.environments.span();
    for (name, env) in raw.environments.into_inner() {
        if env.sources.get_ref().is_empty() {
            return Err(source.error(
                env.sources.span(),
                format!("environment `{name}` needs at least one source"),
            ));
        }
        let mut purposes = Vec::new();
        for value in &env.purpose {
            let purpose = Purpose::parse(value.get_ref()).ok_or_else(|| {
                let known: Vec<&str> = Purpose::ALL.iter().map(|p| p.as_str()).collect();
                source.error(
                    value.span(),
                    format!(
                        "unknown purpose `{}`, expected one of {}",
                        value.get_ref(),
                        known.join(", ")
                    ),
                )
            })?;
            purposes.push(purpose);
        }
        let sources = env.sources.get_ref().iter().map(|s| base.join(s)).collect();
        environments.insert(name, Environment { sources, purposes });
    }
    let reference = raw.reference.get_ref().clone();
    if !environments.contains_key(&reference) {
        return Err(source.error(
            raw.reference.span(),
            format!("the reference `{reference}` is not one of the environments"),
        ));
    }
    if environments.len() < 2 {
        return Err(source.error(
            environments_span,
            "the contract needs at least one environment besides the reference",
        ));
    }
    let mut expected = Vec::new();
    for entry in &raw.expected {
        let inner = entry.get_ref();
        expected.push(ExpectedEntry {
            selector: source.selector(&inner.rule, &inner.subject)?,
            reason: inner.reason.clone(),
            location: source.location(&entry.span()),
        });
    }
    let mut waivers = Vec::new();
    for entry in &raw.waivers {
        let inner = entry.get_ref();
        waivers.push(WaiverEntry {
            selector: source.selector(&inner.rule, &inner.subject)?,
            reason: inner.reason.clone(),
            owner: inner.owner.clone(),
            expires: parse_expiry(&source, &inner.expires)?,
            location: source.location(&entry.span()),
        });
    }
    Ok(Contract {
        reference,
        environments,
        mapping: raw.mapping.into_iter().collect(),
        expected,
        waivers,
    })
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
