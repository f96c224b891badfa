//! Workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
//! CronJob): the identity they run as, their env and envFrom, mounted secrets and projected
//! service-account tokens.

use super::super::node::{Shaped, map_list, opt_bool, opt_int, opt_map, opt_str};
use super::super::yaml::Node;
use crate::model::{
    Container, EnvFrom, EnvSource, EnvVar, Fingerprinter, KubeObjects, Meta, ProjectedToken,
    Workload,
};

pub fn workload(
    node: &Node,
    meta: Meta,
    fingerprinter: &Fingerprinter,
    kube: &mut KubeObjects,
) -> Shaped<()> {
    let spec = opt_map(node, "spec")?;
    let replicas = match (meta.kind.as_ref(), spec) {
        ("Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController", Some(spec)) => {
            opt_int(spec, "replicas")?
        }
        _ => None,
    };
    let pod = match meta.kind.as_ref() {
        "Pod" => spec,
        "CronJob" => match spec
            .map(|s| opt_map(s, "jobTemplate"))
            .transpose()?
            .flatten()
        {
            Some(job) => template_spec(job)?,
            None => None,
        },
        _ => match spec {
            Some(spec) => template_spec(spec)?,
            None => None,
        },
    };
    let mut workload = Workload {
        meta,
        service_account: None,
        automount_token: None,
        replicas,
        containers: Vec::new(),
        projected_tokens: Vec::new(),
        secret_volumes: Vec::new(),
    };
    if let Some(pod) = pod {
        read_pod_spec(pod, fingerprinter, &mut workload)?;
    }
    kube.workloads.push(workload);
    Ok(())
}

/// `X.spec.template.spec` given `X.spec`.
fn template_spec(spec: &Node) -> Shaped<Option<&Node>> {
    let spec = match opt_map(spec, "spec")? {
        Some(inner) if spec.get("template").is_none() => inner,
        _ => spec,
    };
    match opt_map(spec, "template")? {
        Some(template) => opt_map(template, "spec"),
        None => Ok(None),
    }
}

fn read_pod_spec(pod: &Node, fingerprinter: &Fingerprinter, out: &mut Workload) -> Shaped<()> {
    out.service_account = match opt_str(pod, "serviceAccountName")? {
        Some(name) => Some(name),
        None => opt_str(pod, "serviceAccount")?,
    };
    out.automount_token = opt_bool(pod, "automountServiceAccountToken")?;
    for field in ["initContainers", "containers"] {
        for c in map_list(pod, field)? {
            out.containers.push(container(c, fingerprinter)?);
        }
    }
    for volume in map_list(pod, "volumes")? {
        if let Some(secret) = opt_map(volume, "secret")?
            && let Some(name) = opt_str(secret, "secretName")?
        {
            out.secret_volumes.push(name);
        }
        if let Some(projected) = opt_map(volume, "projected")? {
            for source in map_list(projected, "sources")? {
                if let Some(token) = opt_map(source, "serviceAccountToken")? {
                    out.projected_tokens.push(ProjectedToken {
                        audience: opt_str(token, "audience")?,
                        expiration_seconds: opt_int(token, "expirationSeconds")?,
                    });
                }
                if let Some(secret) = opt_map(source, "secret")?
                    && let Some(name) = opt_str(secret, "name")?
                {
                    out.secret_volumes.push(name);
                }
            }
        }
    }
    Ok(())
}

fn container(node: &Node, fingerprinter: &Fingerprinter) -> Shaped<Container> {
    let mut env = Vec::new();
    for var in map_list(node, "env")? {
        let name = opt_str(var, "name")?.unwrap_or_default();
        let source = match opt_map(var, "valueFrom")? {
            Some(from) => value_from(from)?,
            None => {
                let value = opt_str(var, "value")?.unwrap_or_default();
                EnvSource::Literal {
                    value: fingerprinter.literal(&name, &value),
                }
            }
        };
        env.push(EnvVar {
            name,
            source,
            line: Some(var.line),
        });
    }
    let mut env_from = Vec::new();
    for from in map_list(node, "envFrom")? {
        if let Some(r) = opt_map(from, "secretRef")? {
            env_from.push(EnvFrom::Secret {
                name: opt_str(r, "name")?.unwrap_or_default(),
            });
        }
        if let Some(r) = opt_map(from, "configMapRef")? {
            env_from.push(EnvFrom::ConfigMap {
                name: opt_str(r, "name")?.unwrap_or_default(),
            });
        }
    }
    Ok(Container {
        name: opt_str(node, "name")?.unwrap_or_default(),
        image: opt_str(node, "image")?,
        env,
        env_from,
    })
}

fn value_from(from: &Node) -> Shaped<EnvSource> {
    let key_ref = |r: &Node| -> Shaped<(String, String)> {
        Ok((
            opt_str(r, "name")?.unwrap_or_default(),
            opt_str(r, "key")?.unwrap_or_default(),
        ))
    };
    if let Some(r) = opt_map(from, "secretKeyRef")? {
        let (name, key) = key_ref(r)?;
        return Ok(EnvSource::SecretKeyRef { name, key });
    }
    if let Some(r) = opt_map(from, "configMapKeyRef")? {
        let (name, key) = key_ref(r)?;
        return Ok(EnvSource::ConfigMapKeyRef { name, key });
    }
    if let Some(r) = opt_map(from, "fieldRef")? {
        return Ok(EnvSource::Field {
            path: opt_str(r, "fieldPath")?.unwrap_or_default(),
        });
    }
    if let Some(r) = opt_map(from, "resourceFieldRef")? {
        let resource = opt_str(r, "resource")?.unwrap_or_default();
        let path = match opt_str(r, "containerName")? {
            Some(container) => format!("{container}/{resource}"),
            None => resource,
        };
        return Ok(EnvSource::Field { path });
    }
    Ok(EnvSource::Field {
        path: String::new(),
    })
}
