//! What needs every file of an environment: trail status and event selectors attached to
//! their trail, GuardDuty detector status attached to its detector (whatever the order the
//! files were read in), duplicates across per-account dumps dropped, and the account ids.

use std::collections::{BTreeMap, BTreeSet};

use super::cloudtrail::trail_name;
use super::policy::percent_decode;
use super::{arn_account, file_name};
use crate::model::{AwsObjects, Diagnostic, EventSelector, GuardDutyDetector, Level, Provenance};

/// Facts read from one file that belong to an object of another.
#[derive(Debug, Default)]
pub struct Pending {
    pub(super) statuses: Vec<TrailStatus>,
    pub(super) selectors: Vec<TrailSelectors>,
    pub(super) detectors: Vec<DetectorStatus>,
}

/// `get-trail-status`: the output names no trail; the file's path must.
#[derive(Debug)]
pub struct TrailStatus {
    pub is_logging: bool,
    pub provenance: Provenance,
}

/// `get-event-selectors`, for the trail ARN (or name) it names.
#[derive(Debug)]
pub struct TrailSelectors {
    pub trail: String,
    pub selectors: Vec<EventSelector>,
    pub provenance: Provenance,
}

/// `get-detector`: the output names no detector; the file's path may.
#[derive(Debug)]
pub struct DetectorStatus {
    pub status: Option<String>,
    pub provenance: Provenance,
}

/// Completes the AWS objects once every file is read.
pub fn finish(pending: Pending, aws: &mut AwsObjects, diagnostics: &mut Vec<Diagnostic>) {
    dedupe(aws, diagnostics);
    for selectors in pending.selectors {
        let name = trail_name(&selectors.trail);
        let trail = aws
            .trails
            .iter_mut()
            .find(|t| t.arn.as_deref() == Some(selectors.trail.as_str()) || t.name == name);
        match trail {
            Some(trail) if trail.event_selectors.is_none() => {
                trail.event_selectors = Some(selectors.selectors);
            }
            Some(_) => {}
            None => warn(
                diagnostics,
                &selectors.provenance,
                format!(
                    "ignored the event selectors of trail `{}`: no trail of that name is among \
                     the `describe-trails` inputs",
                    selectors.trail
                ),
            ),
        }
    }
    for status in pending.statuses {
        let keys = path_keys(&status.provenance.path);
        let index = match_by_path(
            &keys,
            aws.trails
                .iter()
                .map(|t| (t.name.as_str(), t.arn.as_deref())),
        )
        .or_else(|| (names_nothing(&keys) && aws.trails.len() == 1).then_some(0));
        match index.and_then(|i| aws.trails.get_mut(i)) {
            Some(trail) if trail.is_logging.is_none() => trail.is_logging = Some(status.is_logging),
            Some(_) => {}
            None => warn(
                diagnostics,
                &status.provenance,
                "ignored a `get-trail-status` output: cannot tell which trail it belongs to; \
                 name the file after the trail (e.g. `get-trail-status-<name>.json`)",
            ),
        }
    }
    for status in pending.detectors {
        let keys = path_keys(&status.provenance.path);
        let index = match_by_path(&keys, aws.detectors.iter().map(|d| (d.id.as_str(), None)))
            .or_else(|| (names_nothing(&keys) && aws.detectors.len() == 1).then_some(0));
        match index.and_then(|i| aws.detectors.get_mut(i)) {
            Some(detector) => {
                if detector.status.is_none() {
                    detector.status = status.status;
                }
            }
            None => {
                let stem = keys
                    .iter()
                    .find(|k| !k.is_empty())
                    .map_or("", String::as_str);
                aws.detectors.push(GuardDutyDetector {
                    id: detector_id(stem).unwrap_or(stem).to_string(),
                    status: status.status,
                    provenance: status.provenance,
                });
            }
        }
    }
    aws.accounts = accounts(aws);
}

/// A detector id (32 hexadecimal digits) inside a file stem such as
/// `guardduty-get-detector-<id>`.
fn detector_id(stem: &str) -> Option<&str> {
    stem.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|token| token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn warn(diagnostics: &mut Vec<Diagnostic>, at: &Provenance, message: impl Into<String>) {
    diagnostics.push(Diagnostic::new(Level::Warning, &at.path, at.line, message));
}

/// Command names that prefix per-object output files (`get-trail-status-<name>.json`).
const COMMANDS: [&str; 4] = [
    "cloudtrail-get-trail-status",
    "get-trail-status",
    "guardduty-get-detector",
    "get-detector",
];

/// The names a file's path gives an object: its URL-decoded stem without the command's name
/// (first: it is searched for names), the whole stem, and the name of its parent directory
/// (collectors store per-object outputs as `<command>/<url-encoded id>`).
fn path_keys(path: &str) -> Vec<String> {
    let decode = |s: &str| String::from_utf8_lossy(&percent_decode(s)).into_owned();
    let name = file_name(path);
    let stem = decode(name.strip_suffix(".json").unwrap_or(name));
    let mut rest = stem.clone();
    if let Some(command) = COMMANDS.iter().find(|c| rest.contains(*c)) {
        rest = rest.replacen(command, "", 1);
    }
    let rest = rest.trim_matches(['-', '_', '.', ' ']).to_string();
    let mut keys = vec![rest, stem];
    let parent = path[..path.len() - name.len()].trim_end_matches('/');
    if !parent.is_empty() {
        keys.push(decode(file_name(parent)));
    }
    keys
}

/// True when a file's name is only the command's (`get-trail-status.json`): the only object
/// of its kind is then the one meant; a file that names anything else is not guessed at.
fn names_nothing(keys: &[String]) -> bool {
    keys.first().is_none_or(String::is_empty)
}

/// The object whose name (or ARN) is a key, else whose name appears in the file's stem
/// between separators (longest name first, so `org-trail` wins over `trail`).
fn match_by_path<'a>(
    keys: &[String],
    objects: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> Option<usize> {
    let objects: Vec<_> = objects.collect();
    let exact = objects
        .iter()
        .position(|(name, arn)| keys.iter().any(|k| k == name || Some(k.as_str()) == *arn));
    if exact.is_some() {
        return exact;
    }
    let stem = keys.first()?;
    let bounded = |name: &str| {
        !name.is_empty()
            && stem.match_indices(name).any(|(at, _)| {
                let before = stem[..at].chars().next_back();
                let after = stem[at + name.len()..].chars().next();
                let separator =
                    |c: Option<char>| c.is_none_or(|c| matches!(c, '-' | '_' | '.' | ' '));
                separator(before) && separator(after)
            })
    };
    objects
        .iter()
        .enumerate()
        .filter(|(_, (name, _))| bounded(name))
        .max_by_key(|(i, (name, _))| (name.len(), std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
}

/// Drops objects read twice (the same ARN in two dumps), keeping the first; AWS-managed
/// policies and multi-region trails repeat across dumps by nature and are dropped silently.
fn dedupe(aws: &mut AwsObjects, diagnostics: &mut Vec<Diagnostic>) {
    let mut report = |kind: &str, arn: &str, first: &Provenance, again: &Provenance| {
        let message = format!(
            "ignored {kind} `{arn}` read again (first read at {}); kept the first",
            at_text(first)
        );
        warn(diagnostics, again, message);
    };
    let mut seen: BTreeMap<String, Provenance> = BTreeMap::new();
    aws.roles
        .retain(|r| keep(&mut seen, &r.arn, &r.provenance, "role", &mut report));
    aws.users
        .retain(|u| keep(&mut seen, &u.arn, &u.provenance, "user", &mut report));
    aws.groups
        .retain(|g| keep(&mut seen, &g.arn, &g.provenance, "group", &mut report));
    aws.secrets
        .retain(|s| keep(&mut seen, &s.arn, &s.provenance, "secret", &mut report));
    let mut silent = |_: &str, _: &str, _: &Provenance, _: &Provenance| {};
    aws.managed_policies.retain(|p| {
        let prov = &p.document.provenance;
        if p.arn.starts_with("arn:aws:iam::aws:") {
            keep(&mut seen, &p.arn, prov, "managed policy", &mut silent)
        } else {
            keep(&mut seen, &p.arn, prov, "managed policy", &mut report)
        }
    });
    aws.trails.retain(|t| match &t.arn {
        Some(arn) => keep(&mut seen, arn, &t.provenance, "trail", &mut silent),
        None => true,
    });
}

fn keep(
    seen: &mut BTreeMap<String, Provenance>,
    arn: &str,
    provenance: &Provenance,
    kind: &str,
    report: &mut impl FnMut(&str, &str, &Provenance, &Provenance),
) -> bool {
    if arn.is_empty() {
        return true;
    }
    match seen.get(arn) {
        Some(first) => {
            report(kind, arn, first, provenance);
            false
        }
        None => {
            seen.insert(arn.to_string(), provenance.clone());
            true
        }
    }
}

fn at_text(p: &Provenance) -> String {
    match p.line {
        Some(line) => format!("{}:{line}", p.path),
        None => p.path.to_string(),
    }
}

/// Distinct account ids of every ARN read, sorted.
fn accounts(aws: &AwsObjects) -> Vec<String> {
    let arns = aws
        .roles
        .iter()
        .map(|r| r.arn.as_str())
        .chain(aws.users.iter().map(|u| u.arn.as_str()))
        .chain(aws.groups.iter().map(|g| g.arn.as_str()))
        .chain(aws.managed_policies.iter().map(|p| p.arn.as_str()))
        .chain(aws.credential_report.iter().map(|r| r.arn.as_str()))
        .chain(aws.secrets.iter().map(|s| s.arn.as_str()))
        .chain(aws.trails.iter().filter_map(|t| t.arn.as_deref()));
    let set: BTreeSet<&str> = arns.filter_map(arn_account).collect();
    set.into_iter().map(str::to_string).collect()
}
