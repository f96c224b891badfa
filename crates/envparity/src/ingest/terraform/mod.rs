//! `terraform show -json` documents (state and saved plan) → the model: the resources a
//! native dump would show (IAM, Secrets Manager, CloudTrail, CloudWatch Logs, security
//! groups, Kubernetes RBAC/Secrets/ConfigMaps, GCP project IAM, Vault policies) are lowered
//! into the same `aws`/`kube`/`gcp`/`vault` objects, so a team with only Terraform gets the
//! same findings as one with CLI dumps.
//!
//! - State: `values.root_module` and nested `child_modules` (or the state file itself,
//!   [`raw`]). Plan: `planned_values` (what will
//!   be deployed; `prior_state` is only noted), with `resource_changes[].change.after_unknown`
//!   marking values known only after apply. Those never read as equal: an unknown policy
//!   document becomes a document the access engine cannot evaluate (so the principal's
//!   access is `access-unknown`), an unknown attachment an unresolved one; other objects whose
//!   compared attributes are unknown are withheld with a warning saying so.
//! - Links known only after apply (a policy's ARN, a role's name from another resource) are
//!   followed through the plan's `configuration` references ([`refs`]).
//! - Sensitive values (`sensitive_values`, `after_sensitive`) are never stored: Kubernetes
//!   Secret data becomes keyed fingerprints, access-key secrets are not read at all.
//! - Other resource types are counted in one info diagnostic.

mod attrs;
mod document;
mod gcp;
mod gcp_identity;
mod iam;
mod iam_links;
mod kube;
mod kube_rbac;
mod network;
mod raw;
mod refs;
mod services;
mod vault;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_random;

use std::collections::BTreeMap;

use super::node::ShapeError;
use super::yaml::{Node, Value};
use crate::model::{Diagnostic, Fingerprinter, Level, Provenance, Snapshot, Source};
use attrs::View;
pub use document::Kind;
use document::Resource;
use refs::Index;

/// Lowers a file's documents when they are one Terraform state or plan, recording its
/// [`Source`]; false when the file is not one.
pub fn read_documents(
    docs: &[Node],
    shown: &str,
    fingerprinter: &Fingerprinter,
    snapshot: &mut Snapshot,
) -> bool {
    let mut present = docs.iter().filter(|d| d.value != Value::Null);
    let (Some(doc), None) = (present.next(), present.next()) else {
        return false;
    };
    let Some(kind) = document::detect(doc) else {
        return false;
    };
    let marks = match kind {
        Kind::StateFile => raw::marks(doc),
        Kind::State | Kind::Plan => Vec::new(),
    };
    let collected = document::resources(doc, kind, &marks);
    let index = Index::new(&collected.resources);
    let environment = snapshot.environment.clone();
    let mut lowering = Lowering {
        path: shown,
        environment: &environment,
        fingerprinter,
        snapshot,
        resources: &collected.resources,
        index: &index,
        kind,
        account: None,
        partition: "aws".to_string(),
        objects: 0,
    };
    for (what, error) in &collected.problems {
        lowering.warn(Some(error.line), format!("skipped {what}: {error}"));
    }
    if kind == Kind::Plan && doc.get("prior_state").is_some() {
        let line = doc.entries().and_then(|e| {
            e.iter()
                .find(|(k, _)| k == "prior_state")
                .map(|(_, n)| n.line)
        });
        lowering.note(
            line,
            "the plan's `prior_state` is not compared: its `planned_values` are what will be deployed",
        );
    }
    lowering.lower_all();
    let objects = lowering.objects;
    snapshot.sources.push(Source {
        path: shown.to_string(),
        format: kind.format().to_string(),
        objects,
    });
    true
}

/// Where one document's resources are lowered to, and what the lowering shares.
pub struct Lowering<'a, 'd> {
    pub path: &'a str,
    pub environment: &'a str,
    pub fingerprinter: &'a Fingerprinter,
    pub snapshot: &'a mut Snapshot,
    pub resources: &'d [Resource<'d>],
    pub index: &'d Index,
    pub kind: Kind,
    /// The AWS account the document describes, from its ARNs.
    pub account: Option<String>,
    pub partition: String,
    /// Model objects produced.
    pub objects: usize,
}

/// Resource types that are read (some only to follow references), by provider prefix.
fn handled(r: &Resource<'_>) -> bool {
    iam::handles(r)
        || services::handles(r)
        || network::handles(r)
        || kube::handles(r)
        || gcp::handles(r)
        || vault::handles(r)
}

impl Lowering<'_, '_> {
    fn lower_all(&mut self) {
        self.account = iam::account(self.resources);
        if let Some(partition) = iam::partition(self.resources) {
            self.partition = partition;
        }
        iam::lower(self);
        services::lower(self);
        network::lower(self);
        kube::lower(self);
        gcp::lower(self);
        vault::lower(self);
        let mut other: BTreeMap<String, usize> = BTreeMap::new();
        for r in self.resources.iter().filter(|r| !handled(r)) {
            let kind = if r.data {
                format!("data.{}", r.kind)
            } else {
                r.kind.clone()
            };
            *other.entry(kind).or_default() += 1;
        }
        if !other.is_empty() {
            let count: usize = other.values().sum();
            let kinds: Vec<String> = other.iter().map(|(k, n)| format!("`{k}` ({n})")).collect();
            self.note(
                None,
                format!(
                    "{count} resource(s) of types not compared: {}",
                    kinds.join(", ")
                ),
            );
        }
    }

    pub fn provenance(&self, line: u32) -> Provenance {
        Provenance::new(self.path, Some(line))
    }

    fn push(&mut self, level: Level, line: Option<u32>, message: String) {
        self.snapshot
            .diagnostics
            .push(Diagnostic::new(level, self.path, line, message));
    }

    pub fn warn(&mut self, line: Option<u32>, message: impl Into<String>) {
        self.push(Level::Warning, line, message.into());
    }

    pub fn note(&mut self, line: Option<u32>, message: impl Into<String>) {
        self.push(Level::Info, line, message.into());
    }

    /// A resource skipped for the shape of one of its attributes.
    pub fn skipped(&mut self, r: &Resource<'_>, error: &ShapeError) {
        self.warn(
            Some(error.line),
            format!("skipped `{}`: {error}", r.address),
        );
    }

    /// A value known only after apply, and what follows from it.
    pub fn unknown(&mut self, r: &Resource<'_>, view: &View<'_>, consequence: &str) {
        self.warn(
            Some(view.line),
            format!(
                "`{}` of `{}` is known only after apply: {consequence}",
                view.path, r.address
            ),
        );
    }

    /// A value marked sensitive that is not read, and what follows from it.
    pub fn sensitive(&mut self, r: &Resource<'_>, view: &View<'_>, consequence: &str) {
        self.warn(
            Some(view.line),
            format!(
                "`{}` of `{}` is marked sensitive and is not read: {consequence}",
                view.path, r.address
            ),
        );
    }

    /// A text that stands for a value this document does not give (unknown until apply, or
    /// sensitive), distinct per environment and attribute so that two such values never
    /// compare equal.
    pub fn placeholder(&self, r: &Resource<'_>, view: &View<'_>, why: &str) -> String {
        let tag = self.fingerprinter.fingerprint(&format!(
            "{}\u{0}{}\u{0}{}",
            self.environment, r.address, view.path
        ));
        format!(
            "({why}: {} of {} #{})",
            view.path,
            r.address,
            tag.get(..12).unwrap_or(&tag)
        )
    }
}
