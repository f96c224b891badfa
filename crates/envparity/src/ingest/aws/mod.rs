//! AWS CLI / SDK dumps → the model: detect which command's output a parsed file is (by its
//! top-level keys; the credential report also as CSV text), then dispatch to one lowering per
//! format. Facts that span files (trail status and event selectors, GuardDuty detector status)
//! wait in [`Pending`] until [`finish`] runs after every file of the environment is read.
//!
//! Detection rules, in order (first match wins; the document must be a mapping):
//! - `RoleDetailList` / `UserDetailList` / `GroupDetailList`, or a `Policies` list whose items
//!   all carry `PolicyVersionList`: `iam get-account-authorization-details`;
//! - `SecretList`: `secretsmanager list-secrets`; `trailList`: `cloudtrail describe-trails`;
//! - `EventSelectors` / `AdvancedEventSelectors` with `TrailARN`: `cloudtrail
//!   get-event-selectors`; `IsLogging`: `cloudtrail get-trail-status`;
//! - `SecurityGroups`: `ec2 describe-security-groups`; `MetricAlarms`: `cloudwatch
//!   describe-alarms`; `logGroups`: `logs describe-log-groups`;
//! - `DetectorIds`: `guardduty list-detectors`; `Status` with `ServiceRole` or
//!   `FindingPublishingFrequency`: `guardduty get-detector`;
//! - `ConfigurationRecordersStatus`: `configservice describe-configuration-recorder-status`;
//! - `Policy.PolicySummary.Type` = `SERVICE_CONTROL_POLICY`: `organizations describe-policy`
//!   of an SCP; a bare policy document (top-level `Statement`) is an SCP only when the file's
//!   name contains `scp` (any case): other bare policies are not recorded;
//! - `Content` with `ReportFormat`, or `Content` starting with the report header:
//!   `iam get-credential-report`. CSV text whose first line starts with
//!   `user,arn,user_creation_time` is the credential report itself ([`is_credential_report`]).

mod cloudtrail;
mod cloudwatch;
mod config;
mod credential_report;
mod date;
mod ec2;
mod finish;
mod guardduty;
mod iam;
mod logs;
mod policy;
mod scp;
mod secrets;

pub use credential_report::is_credential_report;
pub use finish::{Pending, finish};
/// Shared with the Terraform lowering, which reads the same documents and dates.
pub(in crate::ingest) use {
    cloudtrail::advanced_selector, date::normalize_text, policy::parse_text,
};

use std::collections::BTreeMap;

use super::node::{ShapeError, Shaped, list};
use super::yaml::{Node, Value};
use crate::model::{AwsObjects, Diagnostic, Level, Provenance, Snapshot, Source};

/// The AWS dump formats, one per command family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    AuthorizationDetails,
    Secrets,
    Trails,
    EventSelectors,
    TrailStatus,
    SecurityGroups,
    Alarms,
    Detectors,
    Detector,
    ConfigRecorders,
    LogGroups,
    OrganizationsScp,
    BareScp,
    CredentialReportJson,
}

impl Format {
    /// The format name recorded on the file's [`crate::model::Source`].
    pub fn name(self) -> &'static str {
        match self {
            Format::AuthorizationDetails => "aws-iam-authorization-details",
            Format::Secrets => "aws-secretsmanager",
            Format::Trails | Format::EventSelectors | Format::TrailStatus => "aws-cloudtrail",
            Format::SecurityGroups => "aws-ec2-security-groups",
            Format::Alarms => "aws-cloudwatch-alarms",
            Format::Detectors | Format::Detector => "aws-guardduty",
            Format::ConfigRecorders => "aws-config",
            Format::LogGroups => "aws-logs",
            Format::OrganizationsScp | Format::BareScp => "aws-scp",
            Format::CredentialReportJson => "aws-credential-report",
        }
    }
}

fn has(node: &Node, key: &str) -> bool {
    node.entries()
        .is_some_and(|entries| entries.iter().any(|(k, _)| k == key))
}

/// Which AWS dump `doc` is, if any (see the module documentation for the rules).
pub fn detect(doc: &Node, shown: &str) -> Option<Format> {
    doc.entries()?;
    if has(doc, "apiVersion") && has(doc, "kind") {
        return None;
    }
    let gaad_lists = ["RoleDetailList", "UserDetailList", "GroupDetailList"];
    if gaad_lists.iter().any(|k| has(doc, k)) || gaad_policies(doc) {
        return Some(Format::AuthorizationDetails);
    }
    let by_key = [
        ("SecretList", Format::Secrets),
        ("trailList", Format::Trails),
        ("IsLogging", Format::TrailStatus),
        ("SecurityGroups", Format::SecurityGroups),
        ("MetricAlarms", Format::Alarms),
        ("DetectorIds", Format::Detectors),
        ("ConfigurationRecordersStatus", Format::ConfigRecorders),
        ("logGroups", Format::LogGroups),
    ];
    if has(doc, "TrailARN") && (has(doc, "EventSelectors") || has(doc, "AdvancedEventSelectors")) {
        return Some(Format::EventSelectors);
    }
    if let Some((_, format)) = by_key.iter().find(|(key, _)| has(doc, key)) {
        return Some(*format);
    }
    if has(doc, "Status") && (has(doc, "ServiceRole") || has(doc, "FindingPublishingFrequency")) {
        return Some(Format::Detector);
    }
    if let Some(kind) = doc
        .get("Policy")
        .and_then(|p| p.get("PolicySummary"))
        .and_then(|s| s.text_at("Type"))
    {
        return (kind == "SERVICE_CONTROL_POLICY").then_some(Format::OrganizationsScp);
    }
    if has(doc, "Statement") && file_name(shown).to_ascii_lowercase().contains("scp") {
        return Some(Format::BareScp);
    }
    if let Some(content) = doc.text_at("Content")
        && (has(doc, "ReportFormat") || is_credential_report(&content))
    {
        return Some(Format::CredentialReportJson);
    }
    None
}

/// A `Policies` list of GAAD shape (every item has `PolicyVersionList`), not `list-policies`.
fn gaad_policies(doc: &Node) -> bool {
    match doc.get("Policies").map(|p| &p.value) {
        Some(Value::Seq(items)) => items.iter().all(|i| has(i, "PolicyVersionList")),
        _ => false,
    }
}

/// The last component of a shown path.
pub fn file_name(shown: &str) -> &str {
    shown.rsplit('/').next().unwrap_or(shown)
}

/// Where lowering writes: the snapshot's AWS objects, its diagnostics, and facts that wait
/// for other files.
pub struct Sink<'a> {
    pub path: &'a str,
    pub aws: &'a mut AwsObjects,
    pub diagnostics: &'a mut Vec<Diagnostic>,
    pub pending: &'a mut Pending,
}

impl Sink<'_> {
    pub fn provenance(&self, line: u32) -> Provenance {
        Provenance::new(self.path, Some(line))
    }

    pub fn diagnostic(&mut self, level: Level, line: Option<u32>, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(level, self.path, line, message));
    }

    /// A warning that one object (`what`, already quoted) was skipped for its shape.
    pub fn skipped(&mut self, what: &str, error: &ShapeError) {
        self.diagnostic(
            Level::Warning,
            Some(error.line),
            format!("skipped {what}: {error}"),
        );
    }

    /// The date under `key` as ISO-8601 UTC; text that is no date is kept as found, with a
    /// warning.
    pub fn date(&mut self, node: &Node, key: &str) -> Option<String> {
        let value = node.get(key)?;
        match date::normalize(&value.value) {
            Ok(date) => date,
            Err(()) => {
                let raw = value.text().unwrap_or_default();
                self.diagnostic(
                    Level::Warning,
                    Some(value.line),
                    format!("`{key}` is not a date: `{raw}`; kept as found"),
                );
                Some(raw).filter(|r| !r.is_empty())
            }
        }
    }
}

/// Lowers one detected document; returns how many facts it gave.
pub fn lower(format: Format, doc: &Node, sink: &mut Sink<'_>) -> usize {
    match format {
        Format::AuthorizationDetails => iam::authorization_details(doc, sink),
        Format::Secrets => secrets::list_secrets(doc, sink),
        Format::Trails => cloudtrail::describe_trails(doc, sink),
        Format::EventSelectors => cloudtrail::event_selectors(doc, sink),
        Format::TrailStatus => cloudtrail::trail_status(doc, sink),
        Format::SecurityGroups => ec2::security_groups(doc, sink),
        Format::Alarms => cloudwatch::alarms(doc, sink),
        Format::Detectors => guardduty::list_detectors(doc, sink),
        Format::Detector => guardduty::get_detector(doc, sink),
        Format::ConfigRecorders => config::recorder_status(doc, sink),
        Format::LogGroups => logs::log_groups(doc, sink),
        Format::OrganizationsScp => scp::describe_policy(doc, sink),
        Format::BareScp => scp::bare_policy(doc, sink),
        Format::CredentialReportJson => credential_report::from_json(doc, sink),
    }
}

/// The items of a top-level list, each lowered by `each`; an item of the wrong shape is
/// skipped with a warning naming `what` and the item's name under `name_key`.
pub fn each_item(
    doc: &Node,
    key: &str,
    what: &str,
    name_key: &str,
    sink: &mut Sink<'_>,
    mut each: impl FnMut(&Node, &mut Sink<'_>) -> Shaped<()>,
) -> usize {
    let items = match list(doc, key) {
        Ok(items) => items,
        Err(e) => {
            sink.skipped(&format!("`{key}`"), &e);
            return 0;
        }
    };
    let mut count = 0;
    for item in items {
        match each(item, sink) {
            Ok(()) => count += 1,
            Err(e) => {
                let name = item.text_at(name_key).unwrap_or_default();
                sink.skipped(&format!("{what} `{name}`"), &e);
            }
        }
    }
    count
}

/// AWS tags: a list of `{Key, Value}` (most services) or a plain mapping (GuardDuty).
pub fn tags(node: &Node, key: &str) -> Shaped<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    match node.get(key).map(|n| &n.value) {
        Some(Value::Seq(items)) => {
            for item in items {
                let (Some(k), v) = (item.text_at("Key"), item.text_at("Value")) else {
                    return Err(ShapeError {
                        field: key.to_string(),
                        expected: "a list of `Key`/`Value` pairs",
                        line: item.line,
                    });
                };
                out.insert(k, v.unwrap_or_default());
            }
        }
        Some(Value::Map(_)) => return super::node::string_map(node, key),
        Some(_) => {
            let line = node.get(key).map_or(node.line, |n| n.line);
            return Err(ShapeError {
                field: key.to_string(),
                expected: "a list of `Key`/`Value` pairs",
                line,
            });
        }
        None => {}
    }
    Ok(out)
}

/// The account id of an ARN (`arn:partition:service:region:account:…`), when numeric.
pub fn arn_account(arn: &str) -> Option<&str> {
    let account = arn.strip_prefix("arn:")?.split(':').nth(3)?;
    (!account.is_empty() && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// Lowers a file's documents when they are one AWS dump, recording its [`Source`]; false
/// when the file is not an AWS dump (it is then read as Kubernetes).
pub fn read_documents(
    docs: &[Node],
    shown: &str,
    snapshot: &mut Snapshot,
    pending: &mut Pending,
) -> bool {
    let Some((doc, format)) = dump(docs, shown) else {
        return false;
    };
    let mut sink = Sink {
        path: shown,
        aws: &mut snapshot.aws,
        diagnostics: &mut snapshot.diagnostics,
        pending,
    };
    let objects = lower(format, doc, &mut sink);
    push_source(snapshot, shown, format.name(), objects);
    true
}

/// True when the file's documents are one AWS dump, which [`read_documents`] reads.
pub fn is_dump(docs: &[Node], shown: &str) -> bool {
    dump(docs, shown).is_some()
}

/// The one non-null document of a file and its format, when it is an AWS dump.
fn dump<'d>(docs: &'d [Node], shown: &str) -> Option<(&'d Node, Format)> {
    let mut present = docs.iter().filter(|d| d.value != Value::Null);
    let (Some(doc), None) = (present.next(), present.next()) else {
        return None;
    };
    detect(doc, shown).map(|format| (doc, format))
}

/// Lowers a credential report CSV file, recording its [`Source`]; false when the text is not
/// one.
pub fn read_csv(text: &str, shown: &str, snapshot: &mut Snapshot, pending: &mut Pending) -> bool {
    if !is_credential_report(text) {
        return false;
    }
    let mut sink = Sink {
        path: shown,
        aws: &mut snapshot.aws,
        diagnostics: &mut snapshot.diagnostics,
        pending,
    };
    let objects = credential_report::from_csv(text, &mut sink);
    push_source(snapshot, shown, "aws-credential-report", objects);
    true
}

fn push_source(snapshot: &mut Snapshot, shown: &str, format: &str, objects: usize) {
    snapshot.sources.push(Source {
        path: shown.to_string(),
        format: format.to_string(),
        objects,
    });
}
