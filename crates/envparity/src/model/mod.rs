//! The normalized snapshot of one environment. Every fact carries its [`Provenance`];
//! secret values are held only as keyed fingerprints.

mod aws;
mod config;
pub(crate) mod embedded;
mod gcp;
mod kube;
mod literal;
mod provenance;
pub(crate) mod redact;
pub mod sensitivity;
mod sigma;
mod string_map;
mod vault;
mod x509;

pub use aws::*;
pub use config::{ConfigFile, ConfigSetting, ConfigValue};
pub use gcp::*;
pub use kube::*;
pub use literal::{Fingerprinter, Literal};
pub use provenance::{Diagnostic, Level, Provenance, Source};
pub use sigma::*;
pub use string_map::StringMap;
pub use vault::{VaultObjects, VaultPolicy, VaultRole, VaultRule};
pub use x509::*;

use serde::Serialize;

/// Everything read from one environment's inputs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Snapshot {
    /// The environment's name (`staging`, `production`, or a contract's environment).
    pub environment: String,
    /// One entry per input file that contributed objects (or was recognised).
    pub sources: Vec<Source>,
    /// Files ignored, unknown kinds, parse errors: nothing is dropped silently.
    pub diagnostics: Vec<Diagnostic>,
    /// Kubernetes objects, normalized.
    pub kube: KubeObjects,
    /// AWS facts, normalized.
    pub aws: AwsObjects,
    /// Config files (Helm values, `.env`, properties, tfvars, plain YAML/JSON config).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub config_files: Vec<ConfigFile>,
    /// Sigma detection rules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub detection_rules: Vec<SigmaRule>,
    /// X.509 certificates (files, bundles, embedded in objects) and private-key blocks.
    #[serde(skip_serializing_if = "TlsObjects::is_empty")]
    pub tls: TlsObjects,
    /// GCP IAM facts, normalized.
    #[serde(skip_serializing_if = "GcpObjects::is_empty")]
    pub gcp: GcpObjects,
    /// Vault / OpenBao ACL policies and auth roles.
    #[serde(skip_serializing_if = "VaultObjects::is_empty")]
    pub vault: VaultObjects,
}

impl Snapshot {
    pub fn new(environment: &str) -> Snapshot {
        Snapshot {
            environment: environment.to_string(),
            ..Snapshot::default()
        }
    }

    /// True when some input of this environment could not be read or parsed.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}
