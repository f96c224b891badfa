//! `secret-shared-across-environments` for Secrets Manager: the same secret ARN listed by
//! both environments, and one environment's IAM policies, ConfigMaps, environment literals
//! or ExternalSecret keys referencing the other environment's secrets. A reference counts
//! when it is a secret ARN of the other environment, a `secretsmanager` ARN in an account
//! only the other environment has (`proven`), or exactly a secret name only the other
//! environment has (`likely`: the account is not visible).

use std::collections::BTreeSet;

use serde_json::Value;

use super::{evidence, side_label, side_title};
use crate::compare::{Context, Results};
use crate::findings::{Confidence, Finding, Rule, Side, Subject};
use crate::model::{AwsSecret, EnvSource, Provenance, Snapshot};

const KIND: &str = "aws-secret";

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    same_arn(ctx, results);
    for side in [Side::Staging, Side::Production] {
        let (own, other) = match side {
            Side::Staging => (ctx.staging, ctx.production),
            Side::Production => (ctx.production, ctx.staging),
        };
        if other.aws.secrets.is_empty() && other.aws.accounts.is_empty() {
            continue;
        }
        let targets = Targets::of(own, other);
        for site in sites(own) {
            if let Some(hit) = targets.resolve(&site.text) {
                results.add(reference_finding(side, &site, &hit));
            }
        }
    }
}

fn same_arn(ctx: &Context<'_>, results: &mut Results) {
    for s in &ctx.staging.aws.secrets {
        for p in ctx.production.aws.secrets.iter().filter(|p| p.arn == s.arn) {
            results.add(
                Finding::new(
                    Rule::SecretSharedAcrossEnvironments,
                    Subject {
                        kind: KIND.to_string(),
                        staging: Some(s.name.clone()),
                        production: Some(p.name.clone()),
                    },
                    format!(
                        "Staging and production list the same secret `{}`: both environments read one credential.",
                        s.arn
                    ),
                )
                .key(format!("arn:{}", s.arn))
                .staging_evidence(evidence(&s.provenance, format!("secret `{}`", s.arn)))
                .production_evidence(evidence(&p.provenance, format!("secret `{}`", p.arn))),
            );
        }
    }
}

/// What of the other environment a string may reference.
struct Targets<'a> {
    secrets: &'a [AwsSecret],
    /// Accounts of the other environment that the own environment does not have.
    foreign_accounts: BTreeSet<String>,
    /// Secret names of the other environment that the own environment does not have.
    foreign_names: BTreeSet<&'a str>,
    /// The own environment's secret ARNs: one listed by both is reported once, as shared.
    own_arns: BTreeSet<String>,
}

/// What a reference points at.
struct Hit {
    /// The other environment's secret, when one is identified.
    secret: Option<AwsSecret>,
    /// What was matched, for the message and key (an ARN, an account or a name).
    target: String,
    confidence: Confidence,
}

/// The account field of an ARN (`arn:partition:service:region:account:…`).
fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

fn accounts(snapshot: &Snapshot) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = snapshot.aws.accounts.iter().cloned().collect();
    out.extend(
        snapshot
            .aws
            .secrets
            .iter()
            .filter_map(|s| arn_account(&s.arn).map(str::to_string)),
    );
    out
}

impl<'a> Targets<'a> {
    fn of(own: &Snapshot, other: &'a Snapshot) -> Targets<'a> {
        let own_accounts = accounts(own);
        let own_names: BTreeSet<&str> = own.aws.secrets.iter().map(|s| s.name.as_str()).collect();
        Targets {
            own_arns: own.aws.secrets.iter().map(|s| s.arn.clone()).collect(),
            secrets: &other.aws.secrets,
            foreign_accounts: accounts(other)
                .into_iter()
                .filter(|a| !own_accounts.contains(a))
                .collect(),
            foreign_names: other
                .aws
                .secrets
                .iter()
                .map(|s| s.name.as_str())
                .filter(|n| !own_names.contains(n))
                .collect(),
        }
    }

    fn resolve(&self, text: &str) -> Option<Hit> {
        let text = text.trim();
        if let Some(secret) = self
            .secrets
            .iter()
            .filter(|s| !s.arn.is_empty() && !self.own_arns.contains(s.arn.as_str()))
            .find(|s| text.contains(s.arn.as_str()))
        {
            return Some(Hit {
                secret: Some(secret.clone()),
                target: secret.arn.clone(),
                confidence: Confidence::Proven,
            });
        }
        for arn in secret_arns(text) {
            if let Some(account) = arn_account(arn).filter(|a| self.foreign_accounts.contains(*a)) {
                let name = arn.splitn(7, ':').nth(6).unwrap_or("");
                return Some(Hit {
                    secret: self.by_pattern(name).cloned(),
                    target: format!("account `{account}`"),
                    confidence: Confidence::Proven,
                });
            }
            let name = arn.splitn(7, ':').nth(6).unwrap_or("");
            if let Some(secret) = self.by_pattern(name) {
                return Some(self.name_hit(secret));
            }
        }
        let secret = self
            .secrets
            .iter()
            .find(|s| s.name == text && self.foreign_names.contains(s.name.as_str()))?;
        Some(self.name_hit(secret))
    }

    fn name_hit(&self, secret: &AwsSecret) -> Hit {
        Hit {
            secret: Some(secret.clone()),
            target: format!("name `{}`", secret.name),
            confidence: Confidence::Likely,
        }
    }

    /// The foreign secret a resource name (`prod/db`, `prod/db-AbCdEf`, `prod/db-*`,
    /// `prod/db-??????`) designates exactly; wildcards elsewhere never match.
    fn by_pattern(&self, resource: &str) -> Option<&AwsSecret> {
        let base = ["-??????", "-*", "*"]
            .iter()
            .find_map(|suffix| resource.strip_suffix(suffix))
            .unwrap_or(resource);
        if base.is_empty() || base.contains(['*', '?']) {
            return None;
        }
        self.secrets.iter().find(|s| {
            self.foreign_names.contains(s.name.as_str())
                && (s.name == base || suffixed(base, &s.name))
        })
    }
}

/// `prod/db-AbCdEf` is `prod/db` with Secrets Manager's six-character suffix.
fn suffixed(resource: &str, name: &str) -> bool {
    resource
        .strip_prefix(name)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|rest| rest.len() == 6 && rest.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The `arn:…:secretsmanager:…` ARNs inside a string.
fn secret_arns(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';'))
        .filter(|part| part.starts_with("arn:") && part.contains(":secretsmanager:"))
        .collect()
}

/// A string of one environment that may reference a secret, with where it is.
struct Site {
    text: String,
    provenance: Provenance,
    line: Option<u32>,
    what: String,
}

fn sites(snapshot: &Snapshot) -> Vec<Site> {
    let mut out = Vec::new();
    let aws = &snapshot.aws;
    let mut documents = Vec::new();
    for role in &aws.roles {
        documents.extend(role.inline_policies.iter().map(|p| &p.document));
    }
    for user in &aws.users {
        documents.extend(user.inline_policies.iter().map(|p| &p.document));
    }
    for group in &aws.groups {
        documents.extend(group.inline_policies.iter().map(|p| &p.document));
    }
    documents.extend(aws.managed_policies.iter().map(|p| &p.document));
    for document in documents {
        let mut strings = Vec::new();
        strings_of(&document.document.value(), &mut strings);
        for text in strings {
            out.push(Site {
                text,
                provenance: document.provenance.clone(),
                line: None,
                what: format!("policy {}", document.name),
            });
        }
    }
    let kube = &snapshot.kube;
    for map in &kube.config_maps {
        for entry in &map.entries {
            out.push(Site {
                text: entry.value.text().to_string(),
                provenance: map.meta.provenance.clone(),
                line: entry.line,
                what: format!(
                    "ConfigMap `{}` key `{}`",
                    map.meta.qualified_name(),
                    entry.key
                ),
            });
        }
    }
    for workload in &kube.workloads {
        for container in &workload.containers {
            for var in &container.env {
                if let EnvSource::Literal { value } = &var.source {
                    out.push(Site {
                        text: value.text().to_string(),
                        provenance: workload.meta.provenance.clone(),
                        line: var.line,
                        what: format!(
                            "{} `{}` container `{}` variable `{}`",
                            workload.meta.kind,
                            workload.meta.qualified_name(),
                            container.name,
                            var.name
                        ),
                    });
                }
            }
        }
    }
    for store_ref in &kube.secret_store_refs {
        for key in &store_ref.keys {
            out.push(Site {
                text: key.clone(),
                provenance: store_ref.meta.provenance.clone(),
                line: None,
                what: format!(
                    "{} `{}` remote key",
                    store_ref.meta.kind,
                    store_ref.meta.qualified_name()
                ),
            });
        }
    }
    out
}

fn strings_of(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings_of(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings_of(v, out)),
        _ => {}
    }
}

fn reference_finding(side: Side, site: &Site, hit: &Hit) -> Finding {
    let other = side.other();
    let secret_name = hit.secret.as_ref().map(|s| s.name.clone());
    let subject_other = secret_name.clone().unwrap_or_else(|| hit.target.clone());
    let mut subject = Subject::one_side(KIND, other, subject_other);
    match side {
        Side::Staging => subject.staging = Some(site.what.clone()),
        Side::Production => subject.production = Some(site.what.clone()),
    }
    let message = format!(
        "{}'s {} references {}: it reads the other environment's credential.",
        side_title(side),
        site.what,
        match &secret_name {
            Some(name) => format!("{}'s secret `{name}`", side_label(other)),
            None => format!("a secret in {}'s {}", side_label(other), hit.target),
        }
    );
    let mut finding = Finding::new(Rule::SecretSharedAcrossEnvironments, subject, message)
        .confidence(hit.confidence)
        .key(format!("reference:{}", hit.target))
        .evidence_on(
            side,
            crate::findings::Evidence::at(
                &site.provenance,
                site.line,
                format!("{} references {}", site.what, hit.target),
            ),
        );
    if let Some(secret) = &hit.secret {
        finding = finding.evidence_on(
            other,
            evidence(&secret.provenance, format!("secret `{}`", secret.arn)),
        );
    }
    finding
}
