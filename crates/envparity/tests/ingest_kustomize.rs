//! Kustomization directories: rendered with `kubectl kustomize` / `kustomize build` when one
//! is on the search path, and a clear error saying how to render them when none is.

use std::path::PathBuf;

use envparity::ingest::{IngestOptions, read_environment};
use envparity::model::{Fingerprinter, Level, Snapshot};

const OVERLAY: &str = "testdata/ingest/kustomize/overlays/staging";

fn read_with(paths: &[&str], options: &IngestOptions) -> Snapshot {
    let inputs: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    read_environment(
        "staging",
        &inputs,
        &Fingerprinter::new(b"ingest-test-key"),
        options,
    )
}

/// True when a rendering tool is on `PATH`; the rendering tests need one.
fn tool_on_path() -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    let found = std::env::split_paths(&path)
        .any(|dir| dir.join("kubectl").is_file() || dir.join("kustomize").is_file());
    if !found {
        eprintln!("skipped: neither kubectl nor kustomize is on PATH");
    }
    found
}

#[test]
fn overlay_is_rendered_as_one_unit() {
    if !tool_on_path() {
        return;
    }
    let snapshot = read_with(&[OVERLAY], &IngestOptions::default());
    assert!(!snapshot.has_errors(), "{:?}", snapshot.diagnostics);
    assert_eq!(snapshot.sources.len(), 1);
    let source = &snapshot.sources[0];
    assert_eq!(source.path, format!("{OVERLAY} (kustomize)"));
    assert_eq!(source.format, "kustomize");
    assert_eq!(source.objects, 3);
    let deployment = &snapshot.kube.workloads[0];
    assert_eq!(deployment.replicas, Some(1), "the overlay's patch applied");
    assert_eq!(deployment.meta.namespace.as_deref(), Some("shop-staging"));
    assert_eq!(&*deployment.meta.provenance.path, source.path.as_str());
    assert!(deployment.meta.provenance.line.is_some_and(|l| l > 1));
    let config = &snapshot.kube.config_maps[0];
    assert!(
        config.meta.name.starts_with("shop-config-"),
        "generated name with hash"
    );
}

#[test]
fn walking_a_tree_renders_each_kustomization_and_reports_failures() {
    if !tool_on_path() {
        return;
    }
    let snapshot = read_with(&["testdata/ingest/kustomize"], &IngestOptions::default());
    let paths: Vec<_> = snapshot.sources.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "testdata/ingest/kustomize/base (kustomize)",
            "testdata/ingest/kustomize/overlays/staging (kustomize)",
        ]
    );
    let errors: Vec<_> = snapshot
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, "testdata/ingest/kustomize/broken");
    let message = &errors[0].message;
    assert!(message.contains("failed: "), "{message}");
    assert!(message.contains("does-not-exist.yaml"), "{message}");
    assert!(!message.contains('\n'), "one line: {message}");
    assert!(!message.contains("/work/"), "no absolute path: {message}");
}

#[test]
fn without_a_tool_the_error_says_how_to_render() {
    let options = IngestOptions {
        tool_search_path: Some(Vec::new()),
        ..IngestOptions::default()
    };
    let snapshot = read_with(&[OVERLAY], &options);
    assert!(snapshot.sources.is_empty());
    assert_eq!(snapshot.diagnostics.len(), 1);
    let diagnostic = &snapshot.diagnostics[0];
    assert_eq!(diagnostic.level, Level::Error);
    assert_eq!(diagnostic.path, OVERLAY);
    assert!(
        diagnostic
            .message
            .contains(&format!("`kubectl kustomize {OVERLAY} > rendered.yaml`")),
        "{}",
        diagnostic.message
    );
}

#[test]
fn rendering_can_be_switched_off() {
    let options = IngestOptions {
        render_kustomize: false,
        tool_search_path: Some(Vec::new()),
        ..IngestOptions::default()
    };
    let snapshot = read_with(&["testdata/ingest/kustomize/base"], &options);
    assert!(!snapshot.has_errors(), "{:?}", snapshot.diagnostics);
    let kinds: Vec<_> = snapshot
        .kube
        .other
        .iter()
        .map(|o| o.meta.kind.as_ref())
        .collect();
    assert_eq!(kinds, ["Kustomization"]);
    assert_eq!(snapshot.kube.workloads.len(), 1);
}
