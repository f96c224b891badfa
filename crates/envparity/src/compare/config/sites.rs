//! Value sites shared by the config, secrets and tls dimensions: every ConfigMap entry, Secret
//! entry and workload env literal of a snapshot, named `<ns>/<kind>/<name>:<key path>`; the
//! settings of a config file held in one key are sites of their own (`<key>#<setting>`).

use std::borrow::Cow;

use crate::findings::Evidence;
use crate::model::embedded::settings;
use crate::model::redact::markers;
use crate::model::{ConfigFile, Literal, Meta, Provenance, Snapshot, Workload};

/// A site's value: its text for comparisons inside the engine only, and whether it must be
/// redacted in every output.
#[derive(Debug, Clone)]
pub(in crate::compare) struct Value<'a> {
    text: Cow<'a, str>,
    pub sensitive: bool,
}

impl<'a> Value<'a> {
    pub fn of(literal: &'a Literal) -> Value<'a> {
        Value {
            text: Cow::Borrowed(literal.text()),
            sensitive: literal.sensitive,
        }
    }

    /// The text, for comparisons only. Never print it: use `shown`.
    pub fn raw(&self) -> &str {
        &self.text
    }

    /// The value as outputs may show it (the same rules as `Literal::shown`).
    pub fn shown(&self) -> String {
        if self.sensitive {
            return "(redacted secret value)".to_string();
        }
        let mut text: String = self.text.chars().take(120).collect();
        if self.text.chars().count() > 120 {
            text.push('…');
        }
        format!("`{}`", text.replace('\n', "\\n"))
    }
}

/// Where a value is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::compare) enum Holder {
    ConfigMap,
    Secret,
    /// A literal `env` value of a workload container.
    Env,
    /// A setting of a config file (Helm values, `.env`, properties, tfvars, YAML/JSON).
    File,
}

/// One key with its value, in one environment.
#[derive(Debug, Clone)]
pub(in crate::compare) struct Site<'a> {
    /// The subject name: `<ns>/configmap/<name>:<key>`, `<ns>/secret/<name>:<key>` or
    /// `<ns>/<workload kind>/<name>:containers.<container>.env.<VAR>` (no `<ns>/` prefix for
    /// objects without a namespace).
    pub name: String,
    /// The holding object's subject name (`<ns>/<kind>/<name>`), for pairing objects.
    pub object: String,
    /// The holding object, as a person reads it: ``ConfigMap `ns/app` ``.
    pub described: String,
    /// The key; for a setting of an embedded config file `<key>#<setting path>`.
    pub key: String,
    pub value: Value<'a>,
    pub provenance: &'a Provenance,
    pub line: Option<u32>,
    pub holder: Holder,
    /// True for a key whose value is a config file whose settings are sites of their own.
    pub has_settings: bool,
    /// True for a setting of an embedded config file.
    pub nested: bool,
    /// True when the value holds template actions: unknown until rendered.
    pub template: bool,
}

impl Site<'_> {
    pub fn evidence(&self, detail: impl Into<String>) -> Evidence {
        Evidence::at(self.provenance, self.line, detail)
    }

    /// ``key `K` of ConfigMap `ns/app` `` or ``env `K` of container `c` of Deployment `ns/api` ``.
    pub fn phrase(&self) -> String {
        match self.holder {
            Holder::Env => format!("env `{}` of {}", self.key, self.described),
            Holder::ConfigMap | Holder::Secret | Holder::File => {
                format!("key `{}` of {}", self.key, self.described)
            }
        }
    }
}

/// True when `suffix` looks like the content hash kustomize appends to generated names.
fn is_kustomize_hash(suffix: &str) -> bool {
    suffix.len() == 10
        && suffix.chars().all(|c| {
            matches!(
                c,
                '2' | '4'..='9' | 'b' | 'c' | 'd' | 'f' | 'g' | 'h' | 'k' | 'm' | 't'
            )
        })
}

/// A ConfigMap or Secret name without the content-hash suffix of kustomize generators, so that
/// `app-config-5b8kf2d7m4` in staging pairs with `app-config-t9hf4c6g2b` in production.
pub(in crate::compare) fn base_name(name: &str) -> &str {
    match name.rsplit_once('-') {
        Some((base, suffix)) if !base.is_empty() && is_kustomize_hash(suffix) => base,
        _ => name,
    }
}

/// `<ns>/<kind>/<name>`, or `<kind>/<name>` without a namespace.
pub(in crate::compare) fn object_name(namespace: Option<&str>, kind: &str, name: &str) -> String {
    match namespace {
        Some(ns) => format!("{ns}/{kind}/{name}"),
        None => format!("{kind}/{name}"),
    }
}

/// The subject name of a workload object: `<ns>/<kind>/<name>` with the kind in lower case.
pub(in crate::compare) fn workload_object(meta: &Meta) -> String {
    object_name(
        meta.namespace.as_deref(),
        &meta.kind.to_ascii_lowercase(),
        &meta.name,
    )
}

fn described(kind: &str, meta: &Meta, name: &str) -> String {
    match &meta.namespace {
        Some(ns) => format!("{kind} `{ns}/{name}`"),
        None => format!("{kind} `{name}`"),
    }
}

/// One key of a ConfigMap or Secret, followed by the settings of the config file it holds.
fn keyed_sites<'a>(
    out: &mut Vec<Site<'a>>,
    object: &str,
    described: &str,
    entry: (&'a str, &'a Literal, Option<u32>),
    provenance: &'a Provenance,
    holder: Holder,
) {
    let (key, literal, line) = entry;
    let template = holder == Holder::File && literal.text().contains("{{");
    let nested = if template {
        Vec::new()
    } else {
        settings(key, literal.text()).unwrap_or_default()
    };
    let secret_holder = holder == Holder::Secret;
    let mut any_sensitive = false;
    let mut children = Vec::new();
    for setting in nested {
        let sensitive = secret_holder || !markers(&setting.value).is_empty();
        any_sensitive |= sensitive;
        children.push(Site {
            name: format!("{object}:{key}#{}", setting.path),
            object: object.to_string(),
            described: described.to_string(),
            key: format!("{key}#{}", setting.path),
            value: Value {
                text: Cow::Owned(setting.value),
                sensitive,
            },
            provenance,
            // A block scalar's line is its first content line, where offset 0 starts.
            line: line.map(|l| l + setting.offset),
            holder,
            has_settings: false,
            nested: true,
            template: false,
        });
    }
    let mut value = Value::of(literal);
    value.sensitive |= any_sensitive;
    out.push(Site {
        name: format!("{object}:{key}"),
        object: object.to_string(),
        described: described.to_string(),
        key: key.to_string(),
        value,
        provenance,
        line,
        holder,
        has_settings: !children.is_empty(),
        nested: false,
        template,
    });
    out.extend(children);
}

/// Every ConfigMap entry (and the settings of the config files they hold).
pub(in crate::compare) fn config_map_sites(snapshot: &Snapshot) -> Vec<Site<'_>> {
    let mut out = Vec::new();
    for map in &snapshot.kube.config_maps {
        let base = base_name(&map.meta.name);
        let object = object_name(map.meta.namespace.as_deref(), "configmap", base);
        let described = described("ConfigMap", &map.meta, &map.meta.name);
        for entry in &map.entries {
            let parts = (entry.key.as_str(), &entry.value, entry.line);
            keyed_sites(
                &mut out,
                &object,
                &described,
                parts,
                &map.meta.provenance,
                Holder::ConfigMap,
            );
        }
    }
    out
}

/// Every Secret entry (and the settings of the config files they hold).
pub(in crate::compare) fn secret_sites(snapshot: &Snapshot) -> Vec<Site<'_>> {
    let mut out = Vec::new();
    for secret in &snapshot.kube.secrets {
        let base = base_name(&secret.meta.name);
        let object = object_name(secret.meta.namespace.as_deref(), "secret", base);
        let described = described("Secret", &secret.meta, &secret.meta.name);
        for entry in &secret.entries {
            let parts = (entry.key.as_str(), &entry.value, entry.line);
            keyed_sites(
                &mut out,
                &object,
                &described,
                parts,
                &secret.meta.provenance,
                Holder::Secret,
            );
        }
    }
    out
}

/// The subject name of one env var of one container.
pub(in crate::compare) fn env_site_name(workload: &Workload, container: &str, var: &str) -> String {
    format!(
        "{}:containers.{container}.env.{var}",
        workload_object(&workload.meta)
    )
}

/// How a person reads a container of a workload: ``container `app` of Deployment `ns/api` ``.
pub(in crate::compare) fn describe_container(workload: &Workload, container: &str) -> String {
    format!(
        "container `{container}` of {}",
        described(&workload.meta.kind, &workload.meta, &workload.meta.name)
    )
}

/// Every literal `env` value of every container.
pub(in crate::compare) fn env_literal_sites(snapshot: &Snapshot) -> Vec<Site<'_>> {
    let mut out = Vec::new();
    for workload in &snapshot.kube.workloads {
        let object = workload_object(&workload.meta);
        for container in &workload.containers {
            for var in &container.env {
                if let crate::model::EnvSource::Literal { value } = &var.source {
                    out.push(Site {
                        name: env_site_name(workload, &container.name, &var.name),
                        object: object.clone(),
                        described: describe_container(workload, &container.name),
                        key: var.name.clone(),
                        value: Value::of(value),
                        provenance: &workload.meta.provenance,
                        line: var.line,
                        holder: Holder::Env,
                        has_settings: false,
                        nested: false,
                        template: false,
                    });
                }
            }
        }
    }
    out
}

/// The subject name of a config file: `file/<name>`.
pub(in crate::compare) fn config_file_object(file: &ConfigFile) -> String {
    format!("file/{}", file.name)
}

/// Every setting of every config file (and the settings of config files held in a value).
pub(in crate::compare) fn config_file_sites(snapshot: &Snapshot) -> Vec<Site<'_>> {
    let mut out = Vec::new();
    for file in &snapshot.config_files {
        let object = config_file_object(file);
        let described = format!("config file `{}`", file.name);
        for setting in &file.entries {
            let literal = setting.value.literal();
            let parts = (setting.key.as_str(), literal, setting.provenance.line);
            keyed_sites(
                &mut out,
                &object,
                &described,
                parts,
                &setting.provenance,
                Holder::File,
            );
        }
    }
    out
}

/// ConfigMap entries, env literals and config files: the places plain configuration lives.
pub(in crate::compare) fn plain_sites(snapshot: &Snapshot) -> Vec<Site<'_>> {
    let mut out = config_map_sites(snapshot);
    out.extend(env_literal_sites(snapshot));
    out.extend(config_file_sites(snapshot));
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_kustomize_hash_only() {
        assert_eq!(base_name("app-config-5b8kf2d7m4"), "app-config");
        assert_eq!(base_name("app-config"), "app-config");
        assert_eq!(base_name("app-production"), "app-production");
        assert_eq!(base_name("-5b8kf2d7m4"), "-5b8kf2d7m4");
        assert_eq!(base_name("cm-abcdefghij"), "cm-abcdefghij");
    }

    #[test]
    fn object_names() {
        assert_eq!(
            object_name(Some("ns"), "configmap", "app"),
            "ns/configmap/app"
        );
        assert_eq!(object_name(None, "configmap", "app"), "configmap/app");
    }
}
