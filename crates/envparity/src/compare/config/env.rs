//! Workload pairing and each container's effective environment (`envFrom` expanded from the
//! ConfigMaps and Secrets of the same snapshot, `env` on top), shared by config and secrets.

use std::collections::BTreeMap;

use super::sites::base_name;
use crate::compare::Context;
use crate::correlate::{Paired, pair_by};
use crate::model::{Container, EnvFrom, EnvSource, Literal, Snapshot, Workload};

/// Pairs the workloads of both environments by kind, namespace and name.
pub(in crate::compare) fn pair_workloads<'a>(ctx: &Context<'a>) -> Paired<'a, Workload> {
    pair_by(
        &ctx.staging.kube.workloads,
        &ctx.production.kube.workloads,
        |w| format!("{}/{}", w.meta.kind, w.meta.qualified_name()),
        ctx.names,
    )
}

/// Pairs the containers of two paired workloads by (mapped) name, in staging name order.
pub(in crate::compare) fn pair_containers<'a>(
    ctx: &Context<'_>,
    staging: &'a Workload,
    production: &'a Workload,
) -> Vec<(&'a Container, &'a Container)> {
    let mut out: Vec<(&Container, &Container)> = staging
        .containers
        .iter()
        .filter_map(|s| {
            let mapped = ctx.names.to_production(&s.name).text;
            production
                .containers
                .iter()
                .find(|p| p.name == s.name)
                .or_else(|| production.containers.iter().find(|p| p.name == mapped))
                .map(|p| (s, p))
        })
        .collect();
    out.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    out
}

/// Where one env var's value comes from.
#[derive(Debug, Clone, Copy)]
pub(in crate::compare) enum Origin<'a> {
    Literal(&'a Literal),
    ConfigMap { name: &'a str },
    Secret { name: &'a str },
    Field,
}

/// One env var of a container, as Kubernetes resolves it.
#[derive(Debug, Clone, Copy)]
pub(in crate::compare) struct EnvValue<'a> {
    pub origin: Origin<'a>,
    /// The line of the `env` entry, or `None` for a var that comes from `envFrom`.
    pub line: Option<u32>,
    pub from_env_from: bool,
}

/// A container's env vars by name, and whether some `envFrom` source could not be expanded
/// (its keys are unknown, so a var absent here may still be set).
#[derive(Debug, Default)]
pub(in crate::compare) struct ResolvedEnv<'a> {
    pub vars: BTreeMap<&'a str, EnvValue<'a>>,
    pub open: bool,
}

/// The effective environment of `container` of `workload`.
pub(in crate::compare) fn resolve_env<'a>(
    snapshot: &'a Snapshot,
    workload: &'a Workload,
    container: &'a Container,
) -> ResolvedEnv<'a> {
    let namespace = workload.meta.namespace.as_deref();
    let mut resolved = ResolvedEnv::default();
    for source in &container.env_from {
        match source {
            EnvFrom::ConfigMap { name } => {
                let found = snapshot.kube.config_maps.iter().find(|c| {
                    c.meta.namespace.as_deref() == namespace && same_object(&c.meta.name, name)
                });
                match found {
                    Some(map) => {
                        for entry in &map.entries {
                            resolved.vars.insert(
                                &entry.key,
                                EnvValue {
                                    origin: Origin::ConfigMap { name },
                                    line: None,
                                    from_env_from: true,
                                },
                            );
                        }
                    }
                    None => resolved.open = true,
                }
            }
            EnvFrom::Secret { name } => {
                let found = snapshot.kube.secrets.iter().find(|s| {
                    s.meta.namespace.as_deref() == namespace && same_object(&s.meta.name, name)
                });
                match found {
                    Some(secret) if !secret.entries.is_empty() => {
                        for entry in &secret.entries {
                            resolved.vars.insert(
                                &entry.key,
                                EnvValue {
                                    origin: Origin::Secret { name },
                                    line: None,
                                    from_env_from: true,
                                },
                            );
                        }
                    }
                    _ => resolved.open = true,
                }
            }
        }
    }
    for var in &container.env {
        let origin = match &var.source {
            EnvSource::Literal { value } => Origin::Literal(value),
            EnvSource::ConfigMapKeyRef { name, .. } => Origin::ConfigMap { name },
            EnvSource::SecretKeyRef { name, .. } => Origin::Secret { name },
            EnvSource::Field { .. } => Origin::Field,
        };
        resolved.vars.insert(
            &var.name,
            EnvValue {
                origin,
                line: var.line,
                from_env_from: false,
            },
        );
    }
    resolved
}

/// True when a reference `wanted` names the object `actual` (directly or as the generator's
/// base name of a kustomize-hashed name).
pub(in crate::compare) fn same_object(actual: &str, wanted: &str) -> bool {
    actual == wanted || base_name(actual) == base_name(wanted)
}
