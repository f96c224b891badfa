//! Paired workloads: `spec.replicas`, and each paired container's env vars (literal values
//! compared, vars set on one side only reported).

use super::entries::{Present, compare_values, key_missing};
use super::env::{EnvValue, Origin, ResolvedEnv, pair_containers, pair_workloads, resolve_env};
use super::sites::{Holder, Site, Value, describe_container, env_site_name, workload_object};
use crate::compare::{Context, Results};
use crate::findings::{Confidence, Evidence, Finding, Rule, Side, Subject};
use crate::model::{Container, Workload};

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results, compared: &mut usize) {
    let paired = pair_workloads(ctx);
    for (s, p, confidence) in paired.pairs {
        if compare_replicas(s, p, confidence, results) {
            *compared += 1;
        }
        for (sc, pc) in pair_containers(ctx, s, p) {
            let s_env = resolve_env(ctx.staging, s, sc);
            let p_env = resolve_env(ctx.production, p, pc);
            let sides = ContainerSides {
                staging: (s, sc, &s_env),
                production: (p, pc, &p_env),
            };
            *compared += compare_env(ctx, &sides, confidence, results);
        }
    }
}

/// Replicas as Kubernetes applies them: the default is 1 for the kinds that have replicas.
fn effective_replicas(workload: &Workload) -> Option<i64> {
    match workload.meta.kind.as_ref() {
        "Deployment" | "StatefulSet" | "ReplicaSet" => Some(workload.replicas.unwrap_or(1)),
        _ => workload.replicas,
    }
}

/// Reports different replica counts; returns whether the pair had replicas to compare.
fn compare_replicas(
    s: &Workload,
    p: &Workload,
    confidence: Confidence,
    results: &mut Results,
) -> bool {
    let (Some(s_replicas), Some(p_replicas)) = (effective_replicas(s), effective_replicas(p))
    else {
        return false;
    };
    if s_replicas != p_replicas {
        let subject = Subject {
            kind: "config-key".to_string(),
            staging: Some(format!("{}:spec.replicas", workload_object(&s.meta))),
            production: Some(format!("{}:spec.replicas", workload_object(&p.meta))),
        };
        let message = format!(
            "{} `{}` runs {s_replicas} replica(s) in staging but {p_replicas} in production; align them or declare the difference as expected.",
            s.meta.kind,
            s.meta.qualified_name(),
        );
        results.add(
            Finding::new(Rule::ConfigValueDrift, subject, message)
                .confidence(confidence)
                .key("replicas")
                .staging_evidence(Evidence::at(
                    &s.meta.provenance,
                    None,
                    format!("replicas: {s_replicas}"),
                ))
                .production_evidence(Evidence::at(
                    &p.meta.provenance,
                    None,
                    format!("replicas: {p_replicas}"),
                )),
        );
    }
    true
}

type ContainerSide<'s, 'a> = (&'a Workload, &'a Container, &'s ResolvedEnv<'a>);

struct ContainerSides<'s, 'a> {
    staging: ContainerSide<'s, 'a>,
    production: ContainerSide<'s, 'a>,
}

fn literal_site<'a>(
    side: ContainerSide<'_, 'a>,
    var: &'a str,
    value: &EnvValue<'a>,
) -> Option<Site<'a>> {
    let (workload, container, _) = side;
    let Origin::Literal(literal) = value.origin else {
        return None;
    };
    Some(Site {
        name: env_site_name(workload, &container.name, var),
        object: workload_object(&workload.meta),
        described: describe_container(workload, &container.name),
        key: var.to_string(),
        value: Value::of(literal),
        provenance: &workload.meta.provenance,
        line: value.line,
        holder: Holder::Env,
        has_settings: false,
        nested: false,
        template: false,
    })
}

/// Compares one paired container's env vars; returns the number of vars compared.
fn compare_env(
    ctx: &Context<'_>,
    sides: &ContainerSides<'_, '_>,
    confidence: Confidence,
    results: &mut Results,
) -> usize {
    let s_env = sides.staging.2;
    let p_env = sides.production.2;
    let mut compared = 0;
    for (var, s_value) in &s_env.vars {
        let mapped = ctx.names.to_production(var).text;
        let p_entry = p_env
            .vars
            .get_key_value(var)
            .or_else(|| p_env.vars.get_key_value(mapped.as_str()));
        match p_entry {
            Some((p_var, p_value)) => {
                compared += 1;
                let s_site = literal_site(sides.staging, var, s_value);
                let p_site = literal_site(sides.production, p_var, p_value);
                if let (Some(s_site), Some(p_site)) = (s_site, p_site) {
                    compare_values(ctx, &s_site, &p_site, confidence, results);
                }
            }
            None => {
                if !s_value.from_env_from && !p_env.open {
                    compared += 1;
                    env_missing(Side::Staging, sides, var, s_value, confidence, results);
                }
            }
        }
    }
    for (var, p_value) in &p_env.vars {
        let present_in_staging = s_env
            .vars
            .keys()
            .any(|s| s == var || ctx.names.to_production(s).text == *var);
        if !present_in_staging && !p_value.from_env_from && !s_env.open {
            compared += 1;
            env_missing(Side::Production, sides, var, p_value, confidence, results);
        }
    }
    compared
}

fn env_missing(
    side: Side,
    sides: &ContainerSides<'_, '_>,
    var: &str,
    value: &EnvValue<'_>,
    confidence: Confidence,
    results: &mut Results,
) {
    let (present, other) = match side {
        Side::Staging => (sides.staging, sides.production),
        Side::Production => (sides.production, sides.staging),
    };
    let name = env_site_name(present.0, &present.1.name, var);
    let described = describe_container(present.0, &present.1.name);
    let other_described = describe_container(other.0, &other.1.name);
    key_missing(
        Present {
            side,
            name: &name,
            key: var,
            described: &described,
            evidence: Evidence::at(
                &present.0.meta.provenance,
                value.line,
                format!("env `{var}` set here"),
            ),
        },
        &other_described,
        Evidence::at(
            &other.0.meta.provenance,
            None,
            format!("container `{}` has no env `{var}`", other.1.name),
        ),
        confidence,
        results,
    );
}
