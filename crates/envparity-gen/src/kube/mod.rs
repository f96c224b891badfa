//! `envparity-gen kube`: Kubernetes manifests of many application namespaces
//! (`orders-staging` / `orders-production`), production being staging renamed plus planted
//! divergences of known kinds, and the answer key.

mod objects;
mod plant;

use std::path::Path;

use serde_json::{Value, json};

use crate::output::{AnswerKey, Planted, write_text, yaml_documents};
use crate::rng::Rng;
pub use plant::Plant;

/// One side: the namespace suffix and its secret-value stream.
#[derive(Debug, Clone, Copy)]
pub struct Side {
    pub name: &'static str,
}

pub const STAGING: Side = Side { name: "staging" };
pub const PRODUCTION: Side = Side { name: "production" };

const APPS: &[&str] = &[
    "shop",
    "orders",
    "payments",
    "billing",
    "catalog",
    "search",
    "inventory",
    "shipping",
    "accounts",
    "notify",
    "reports",
    "ledger",
    "media",
    "checkout",
    "pricing",
    "fraud",
    "reviews",
    "cart",
    "loyalty",
    "returns",
];

/// One application namespace, environment-neutral.
#[derive(Debug, Clone)]
pub struct NamespaceSpec {
    pub app: String,
    pub team: &'static str,
    pub image_tag: String,
    pub cluster_role: bool,
    pub alerts: usize,
    pub plant: Option<Plant>,
}

impl NamespaceSpec {
    fn random(rng: &mut Rng, index: usize) -> NamespaceSpec {
        let base = APPS[index % APPS.len()];
        let app = match index / APPS.len() {
            0 => base.to_string(),
            n => format!("{base}{n}"),
        };
        NamespaceSpec {
            app,
            team: rng.pick(&["core", "growth", "platform", "finance"]),
            image_tag: format!("1.{}.{}", rng.below(30), rng.below(10)),
            cluster_role: index.is_multiple_of(10),
            alerts: rng.range(2, 3),
            plant: None,
        }
    }

    pub fn namespace(&self, side: Side) -> String {
        format!("{}-{}", self.app, side.name)
    }
}

/// Generates both sides and the answer key under `out`.
pub fn generate(
    namespaces: usize,
    seed: u64,
    divergence: f64,
    out: &Path,
) -> Result<AnswerKey, String> {
    let mut rng = Rng::new(seed);
    let mut specs: Vec<NamespaceSpec> = (0..namespaces)
        .map(|i| NamespaceSpec::random(&mut rng, i))
        .collect();
    let planted: Vec<Planted> = plant::choose(&mut rng, &mut specs, divergence);
    let mut objects = 0;
    for side in [STAGING, PRODUCTION] {
        let mut count = 0;
        let cluster = objects::cluster_wide();
        count += cluster.len();
        write_text(
            &out.join(side.name).join("cluster.yaml"),
            &yaml_documents(&cluster),
        )?;
        for spec in &specs {
            let mut secrets = Rng::derived(seed, &format!("{}/{}", side.name, spec.app));
            let docs = objects::namespace_docs(spec, side, &mut secrets);
            count += docs.len();
            let path = out
                .join(side.name)
                .join(format!("{}.yaml", spec.namespace(side)));
            write_text(&path, &yaml_documents(&docs))?;
        }
        objects = objects.max(count);
    }
    Ok(AnswerKey {
        generator: "envparity-gen",
        source: "kube",
        seed,
        objects_per_side: objects,
        map: vec![format!("{}={}", STAGING.name, PRODUCTION.name)],
        planted,
    })
}

/// `metadata` of a namespaced object.
pub fn meta(name: &str, namespace: &str, labels: Value) -> Value {
    json!({"name": name, "namespace": namespace, "labels": labels})
}
