//! `secret-storage-mismatch`: a paired env var read from a Secret on one side and from plain
//! config on the other, and a paired Secret produced by a secret store (ExternalSecret,
//! SealedSecret) on one side but written as a manifest with its data on the other.

use crate::compare::config::entries::{capitalized, side_name};
use crate::compare::config::env::{
    Origin, pair_containers, pair_workloads, resolve_env, same_object,
};
use crate::compare::config::sites::{base_name, describe_container, env_site_name};
use crate::compare::{Context, Results};
use crate::correlate::pair_by;
use crate::findings::{Evidence, Finding, Rule, Side, Subject};
use crate::model::{Provenance, SecretObject, SecretStoreRef, Snapshot};

/// Where a Secret of one environment comes from.
#[derive(Debug)]
enum SecretSource<'a> {
    /// A Secret manifest with its data in the inputs: the secret is in git.
    Manifest(&'a SecretObject),
    /// Produced by an ExternalSecret or a SealedSecret.
    Store(&'a SecretStoreRef),
}

#[derive(Debug)]
struct NamedSource<'a> {
    namespace: Option<&'a str>,
    name: &'a str,
    source: SecretSource<'a>,
}

impl NamedSource<'_> {
    fn qualified(&self) -> String {
        match self.namespace {
            Some(ns) => format!("{ns}/{}", base_name(self.name)),
            None => base_name(self.name).to_string(),
        }
    }

    fn provenance(&self) -> &Provenance {
        match self.source {
            SecretSource::Manifest(s) => &s.meta.provenance,
            SecretSource::Store(r) => &r.meta.provenance,
        }
    }

    fn describe(&self) -> String {
        match self.source {
            SecretSource::Manifest(_) => {
                "a Secret manifest with its data in the inputs".to_string()
            }
            SecretSource::Store(r) => format!(
                "{} `{}` (store `{}`)",
                r.meta.kind,
                r.meta.qualified_name(),
                r.store
            ),
        }
    }
}

/// Every Secret of one environment with its source; a store wins over a manifest of the same
/// name (a SealedSecret's rendered Secret), and manifests without data are left out.
fn sources(snapshot: &Snapshot) -> Vec<NamedSource<'_>> {
    let refs = &snapshot.kube.secret_store_refs;
    let mut out: Vec<NamedSource<'_>> = refs
        .iter()
        .map(|r| NamedSource {
            namespace: r.meta.namespace.as_deref(),
            name: &r.target,
            source: SecretSource::Store(r),
        })
        .collect();
    for secret in &snapshot.kube.secrets {
        let namespace = secret.meta.namespace.as_deref();
        let produced = refs.iter().any(|r| {
            r.meta.namespace.as_deref() == namespace && same_object(&secret.meta.name, &r.target)
        });
        if !produced && !secret.entries.is_empty() {
            out.push(NamedSource {
                namespace,
                name: &secret.meta.name,
                source: SecretSource::Manifest(secret),
            });
        }
    }
    out
}

/// True when a secret named `name` in `namespace` is produced by a secret store.
fn store_backed(snapshot: &Snapshot, namespace: Option<&str>, name: &str) -> Option<String> {
    snapshot
        .kube
        .secret_store_refs
        .iter()
        .find(|r| r.meta.namespace.as_deref() == namespace && same_object(&r.target, name))
        .map(|r| format!(" (from {} `{}`)", r.meta.kind, r.meta.qualified_name()))
}

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) -> usize {
    compare_secret_objects(ctx, results) + compare_env_vars(ctx, results)
}

fn compare_secret_objects(ctx: &Context<'_>, results: &mut Results) -> usize {
    let staging = sources(ctx.staging);
    let production = sources(ctx.production);
    let paired = pair_by(&staging, &production, NamedSource::qualified, ctx.names);
    let compared = paired.pairs.len();
    for (s, p, confidence) in paired.pairs {
        let (weak_side, weak, strong) = match (&s.source, &p.source) {
            (SecretSource::Manifest(_), SecretSource::Store(_)) => (Side::Staging, s, p),
            (SecretSource::Store(_), SecretSource::Manifest(_)) => (Side::Production, p, s),
            _ => continue,
        };
        let subject = Subject {
            kind: "k8s-secret".to_string(),
            staging: Some(s.qualified()),
            production: Some(p.qualified()),
        };
        let message = format!(
            "{} gets Secret `{}` from {} but {} holds it as a Secret manifest with its data in the inputs (secrets in git); produce it from a secret store in {} too.",
            capitalized(side_name(weak_side.other())),
            strong.qualified(),
            strong.describe(),
            side_name(weak_side),
            side_name(weak_side),
        );
        results.add(
            Finding::new(Rule::SecretStorageMismatch, subject, message)
                .confidence(confidence)
                .key(format!("secret-object:weaker-in:{}", side_name(weak_side)))
                .evidence_on(
                    weak_side,
                    Evidence::at(weak.provenance(), None, weak.describe()),
                )
                .evidence_on(
                    weak_side.other(),
                    Evidence::at(strong.provenance(), None, strong.describe()),
                ),
        );
    }
    compared
}

/// How a var is stored, for messages: (is a Secret, description).
fn storage(
    snapshot: &Snapshot,
    namespace: Option<&str>,
    origin: &Origin<'_>,
) -> Option<(bool, String)> {
    match origin {
        Origin::Literal(_) => Some((false, "a literal value".to_string())),
        Origin::ConfigMap { name } => Some((false, format!("ConfigMap `{name}`"))),
        Origin::Secret { name } => {
            let store = store_backed(snapshot, namespace, name).unwrap_or_default();
            Some((true, format!("Secret `{name}`{store}")))
        }
        Origin::Field => None,
    }
}

fn compare_env_vars(ctx: &Context<'_>, results: &mut Results) -> usize {
    let mut compared = 0;
    for (s, p, confidence) in pair_workloads(ctx).pairs {
        for (sc, pc) in pair_containers(ctx, s, p) {
            let s_env = resolve_env(ctx.staging, s, sc);
            let p_env = resolve_env(ctx.production, p, pc);
            for (var, s_value) in &s_env.vars {
                let Some(p_value) = p_env.vars.get(var) else {
                    continue;
                };
                let s_ns = s.meta.namespace.as_deref();
                let p_ns = p.meta.namespace.as_deref();
                let (Some((s_secret, s_how)), Some((p_secret, p_how))) = (
                    storage(ctx.staging, s_ns, &s_value.origin),
                    storage(ctx.production, p_ns, &p_value.origin),
                ) else {
                    continue;
                };
                compared += 1;
                if s_secret == p_secret {
                    continue;
                }
                let weak_side = if s_secret {
                    Side::Production
                } else {
                    Side::Staging
                };
                let (weak_how, strong_how) = if s_secret {
                    (&p_how, &s_how)
                } else {
                    (&s_how, &p_how)
                };
                let subject = Subject {
                    kind: "config-key".to_string(),
                    staging: Some(env_site_name(s, &sc.name, var)),
                    production: Some(env_site_name(p, &pc.name, var)),
                };
                let message = format!(
                    "{} reads `{var}` of {} from {strong_how} but {} sets it from {weak_how}; read it from a Secret in {} too.",
                    capitalized(side_name(weak_side.other())),
                    describe_container(p, &pc.name),
                    side_name(weak_side),
                    side_name(weak_side),
                );
                results.add(
                    Finding::new(Rule::SecretStorageMismatch, subject, message)
                        .confidence(confidence)
                        .key(format!("env:weaker-in:{}", side_name(weak_side)))
                        .staging_evidence(Evidence::at(
                            &s.meta.provenance,
                            s_value.line,
                            format!("`{var}` from {s_how}"),
                        ))
                        .production_evidence(Evidence::at(
                            &p.meta.provenance,
                            p_value.line,
                            format!("`{var}` from {p_how}"),
                        )),
                );
            }
        }
    }
    compared
}
