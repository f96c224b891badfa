//! `credential-long-lived` from the IAM credential reports: an active access key on a user
//! whose counterpart in the other environment (user by mapped name, else a role by mapped
//! name) has no active key; and an active key last rotated more than [`MAX_KEY_AGE_DAYS`]
//! before the reference date, unless the counterpart user's key is as old too (then both
//! environments agree and `compare(x, x)` stays empty; a user without counterpart is
//! always checked).
//!
//! The reference date: the report has no generation timestamp and the library reads no
//! clock, so each environment's reference is the newest date anywhere in its own report
//! (key rotations and last uses). The report was generated on or after that date, so the
//! age reported is a lower bound of the key's real age.

use std::collections::BTreeSet;

use super::dates::{date_part, day_number};
use super::{evidence, pairing_confidence, side_label, side_title};
use crate::compare::{Context, Results};
use crate::correlate::NameMap;
use crate::findings::{Confidence, Dimension, Finding, Rule, Side, Subject};
use crate::model::{AccessKeyInfo, AwsObjects, CredentialReportRow};

const KIND: &str = "aws-iam-user";

/// Keys older than this (in days) are reported.
pub(super) const MAX_KEY_AGE_DAYS: i64 = 90;

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    let staging = &ctx.staging.aws;
    let production = &ctx.production.aws;
    if staging.credential_report.is_empty() && production.credential_report.is_empty() {
        return;
    }
    let mut compared: BTreeSet<(String, String)> = BTreeSet::new();
    for side in [Side::Staging, Side::Production] {
        let (own, other) = match side {
            Side::Staging => (staging, production),
            Side::Production => (production, staging),
        };
        let reference = reference_date(own);
        let other_reference = reference_date(other);
        for row in &own.credential_report {
            let counterpart = counterpart(side, row, other, ctx.names);
            if let Some(found) = &counterpart {
                compared.insert(match side {
                    Side::Staging => (row.user.clone(), found.name().to_string()),
                    Side::Production => (found.name().to_string(), row.user.clone()),
                });
                if let Some(finding) = static_where_other_is_not(side, row, found) {
                    results.add(finding);
                }
            }
            // Both sides over the limit is parity: the pair is reported only when the
            // counterpart is not as old (or there is none).
            let counterpart_old = match (&counterpart, &other_reference) {
                (Some(Counterpart::User(found, _)), Some(date)) => {
                    active(found).any(|k| age(k, date).is_some_and(|a| a > MAX_KEY_AGE_DAYS))
                }
                _ => false,
            };
            let Some(reference) = reference.as_deref().filter(|_| !counterpart_old) else {
                continue;
            };
            for key in active(row) {
                if let Some(finding) = too_old(side, row, key, reference) {
                    results.add(finding);
                }
            }
        }
    }
    results.count_compared(Dimension::Secrets, compared.len());
}

fn active(row: &CredentialReportRow) -> impl Iterator<Item = &AccessKeyInfo> {
    row.access_keys.iter().filter(|k| k.active)
}

/// The other environment's counterpart of a report row.
enum Counterpart<'a> {
    User(&'a CredentialReportRow, Confidence),
    Role(&'a crate::model::IamRole, Confidence),
}

impl Counterpart<'_> {
    fn name(&self) -> &str {
        match self {
            Counterpart::User(row, _) => &row.user,
            Counterpart::Role(role, _) => &role.name,
        }
    }
}

/// The name in the other environment's vocabulary, and whether an inferred mapping was used.
fn translate(side: Side, name: &str, names: &NameMap) -> (String, Confidence) {
    let confidence = pairing_confidence;
    match side {
        Side::Staging => {
            let mapped = names.to_production(name);
            (mapped.text, confidence(mapped.inferred))
        }
        Side::Production => {
            let text = names.to_staging(name);
            let back = names.to_production(&text);
            (text, confidence(back.inferred))
        }
    }
}

fn counterpart<'a>(
    side: Side,
    row: &CredentialReportRow,
    other: &'a AwsObjects,
    names: &NameMap,
) -> Option<Counterpart<'a>> {
    let (name, confidence) = translate(side, &row.user, names);
    if let Some(found) = other.credential_report.iter().find(|r| r.user == name) {
        return Some(Counterpart::User(found, confidence));
    }
    if other.users.iter().any(|u| u.name == name) {
        // A user without a report row: its keys are unknown.
        return None;
    }
    other
        .roles
        .iter()
        .find(|r| r.name == name)
        .map(|role| Counterpart::Role(role, confidence))
}

fn static_where_other_is_not(
    side: Side,
    row: &CredentialReportRow,
    counterpart: &Counterpart<'_>,
) -> Option<Finding> {
    let key = active(row).next()?;
    let other = side.other();
    let (confidence, what, other_evidence) = match counterpart {
        Counterpart::User(found, confidence) => {
            if active(found).next().is_some() {
                return None;
            }
            (
                *confidence,
                format!(
                    "{}'s user `{}` has no active access key",
                    side_label(other),
                    found.user
                ),
                evidence(
                    &found.provenance,
                    format!("user `{}`: no active access key", found.user),
                ),
            )
        }
        Counterpart::Role(role, confidence) => (
            *confidence,
            format!(
                "{} uses role `{}` (temporary credentials) instead",
                side_label(other),
                role.name
            ),
            evidence(&role.provenance, format!("role `{}`", role.arn)),
        ),
    };
    let mut subject = Subject::one_side(KIND, side, row.user.clone());
    match other {
        Side::Staging => subject.staging = Some(counterpart.name().to_string()),
        Side::Production => subject.production = Some(counterpart.name().to_string()),
    }
    let message = format!(
        "{} IAM user `{}` authenticates with active access key {} while {}.",
        side_title(side),
        row.user,
        key.slot,
        what
    );
    Some(
        Finding::new(Rule::CredentialLongLived, subject, message)
            .confidence(confidence)
            .key(format!("static-key-in:{}", side_label(side)))
            .evidence_on(side, evidence(&row.provenance, key_detail(row, key)))
            .evidence_on(other, other_evidence),
    )
}

/// The newest date in an environment's credential report.
fn reference_date(aws: &AwsObjects) -> Option<String> {
    aws.credential_report
        .iter()
        .flat_map(|r| r.access_keys.iter())
        .flat_map(|k| [k.last_rotated.as_deref(), k.last_used.as_deref()])
        .flatten()
        .filter(|d| day_number(d).is_some())
        .map(|d| date_part(d).to_string())
        .max()
}

/// Days between a key's last rotation and the reference date.
fn age(key: &AccessKeyInfo, reference: &str) -> Option<i64> {
    Some(day_number(reference)? - day_number(key.last_rotated.as_deref()?)?)
}

fn too_old(
    side: Side,
    row: &CredentialReportRow,
    key: &AccessKeyInfo,
    reference: &str,
) -> Option<Finding> {
    let rotated = key.last_rotated.as_deref()?;
    let age = age(key, reference)?;
    if age <= MAX_KEY_AGE_DAYS {
        return None;
    }
    let message = format!(
        "{} IAM user `{}` has active access key {} last rotated on {}, at least {age} days before {reference} (the newest date in {}'s credential report), beyond {MAX_KEY_AGE_DAYS} days.",
        side_title(side),
        row.user,
        key.slot,
        date_part(rotated),
        side_label(side)
    );
    Some(
        Finding::new(
            Rule::CredentialLongLived,
            Subject::one_side(KIND, side, row.user.clone()),
            message,
        )
        .key(format!("key-age:{}:{}", key.slot, date_part(rotated)))
        .evidence_on(side, evidence(&row.provenance, key_detail(row, key))),
    )
}

fn key_detail(row: &CredentialReportRow, key: &AccessKeyInfo) -> String {
    format!(
        "user `{}`: access_key_{}_active true, last rotated {}",
        row.user,
        key.slot,
        key.last_rotated.as_deref().map(date_part).unwrap_or("N/A")
    )
}
