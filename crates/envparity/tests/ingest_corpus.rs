//! Ingest on the shared real-world corpus (when present): nothing panics, valid files give
//! no errors. Ignored by default; run with `cargo test -p envparity --test ingest_corpus --
//! --ignored --nocapture`.

use std::path::{Path, PathBuf};

use envparity::ingest::{IngestOptions, read_environment};
use envparity::model::{Fingerprinter, Level};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let dir = if dir.is_dir() {
        dir
    } else {
        PathBuf::from("/work/shared/corpus")
    };
    dir.is_dir().then_some(dir)
}

fn run(paths: &[PathBuf]) {
    let snapshot = read_environment(
        "corpus",
        paths,
        &Fingerprinter::new(b"corpus"),
        &IngestOptions::default(),
    );
    let k = &snapshot.kube;
    println!(
        "{}: sources {} objects {} | sa {} roles {} bindings {} secrets {} cm {} workloads {} netpol {} ingress {} issuers {} certs {} alerts {} stores {} audit {} ns {} other {}",
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(","),
        snapshot.sources.len(),
        snapshot.sources.iter().map(|s| s.objects).sum::<usize>(),
        k.service_accounts.len(),
        k.roles.len(),
        k.bindings.len(),
        k.secrets.len(),
        k.config_maps.len(),
        k.workloads.len(),
        k.network_policies.len(),
        k.ingresses.len(),
        k.issuers.len(),
        k.certificates.len(),
        k.alert_rules.len(),
        k.secret_store_refs.len(),
        k.audit_policies.len(),
        k.namespaces.len(),
        k.other.len(),
    );
    for source in snapshot.sources.iter().filter(|s| s.format != "kubernetes") {
        println!(
            "  source {} {} ({} objects)",
            source.format, source.path, source.objects
        );
    }
    for d in &snapshot.diagnostics {
        if d.level != Level::Info {
            println!("  {:?} {}", d.level, d.one_line());
        }
    }
    let infos = snapshot
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Info)
        .count();
    println!("  ({infos} files ignored as not Kubernetes manifests)");
}

#[test]
#[ignore = "needs the shared corpus; prints a summary"]
fn corpus_reads_without_panics() {
    let Some(root) = corpus() else {
        return;
    };
    for name in [
        "moj-cloud-platform-environments",
        "kustomize-examples",
        "microservices-demo-kustomize",
        "kube-prometheus-manifests",
        "openshift-audit-policies",
        "flux2-kustomize-helm-example",
        "flux2-multi-tenancy",
        "govuk-helm-charts",
        "wikimedia-deployment-charts",
        "cds-notification-manifests",
        "sigma-cloud-k8s-rules",
        "terraform-json-fixtures",
    ] {
        run(&[root.join(name)]);
    }
}
