//! Files → [`Snapshot`]: walk the inputs, detect each file's format by content, parse it and
//! lower it into the model (Kubernetes manifests in `kube`, AWS CLI/SDK dumps in `aws`). The only
//! part of the library that touches the file system.

mod aws;
mod config;
mod gcp;
mod kube;
mod kustomize;
mod node;
mod scalar;
mod sigma;
mod terraform;
mod text;
mod vault;
mod walk;
mod x509;
mod yaml;

use std::path::{Path, PathBuf};

pub use kube::decode_base64;
pub use node::ShapeError;
pub use yaml::{Limits, Node, ParseError, Value, parse_documents};

use crate::model::{Diagnostic, Fingerprinter, Level, Snapshot, Source};
use walk::Unit;

/// Limits and switches of ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Render directories holding `kustomization.yaml` with `kustomize` / `kubectl kustomize`.
    pub render_kustomize: bool,
    /// Directories searched for `kustomize` and `kubectl`; `None` searches `PATH`.
    pub tool_search_path: Option<Vec<PathBuf>>,
    /// Bounds on each file's YAML (alias expansion, nesting).
    pub limits: Limits,
    /// Files larger than this are not read (an error diagnostic).
    pub max_file_bytes: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            render_kustomize: true,
            tool_search_path: None,
            limits: Limits::default(),
            max_file_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Reads every input of one environment. Never fails as a whole: unreadable or unparsable
/// files become error diagnostics on the snapshot, and the other files are still read.
pub fn read_environment(
    environment: &str,
    inputs: &[PathBuf],
    fingerprinter: &Fingerprinter,
    options: &IngestOptions,
) -> Snapshot {
    let mut snapshot = Snapshot::new(environment);
    let mut pending = aws::Pending::default();
    let mut config = config::Pending::default();
    let mut tool: Option<Option<kustomize::Tool>> = None;
    for input in inputs {
        config.set_root(&walk::shown(input));
        for unit in walk::units(input, options.render_kustomize, &mut snapshot.diagnostics) {
            match unit {
                Unit::File { path, shown } => {
                    let at = (path.as_path(), shown.as_str());
                    let pending = (&mut pending, &mut config);
                    read_file(at, fingerprinter, options, &mut snapshot, pending);
                }
                Unit::Kustomization { dir, shown } => {
                    let tool = tool.get_or_insert_with(|| {
                        kustomize::find_tool(options.tool_search_path.as_deref())
                    });
                    render(
                        &dir,
                        &shown,
                        tool.as_ref(),
                        fingerprinter,
                        options,
                        &mut snapshot,
                    );
                }
            }
        }
    }
    aws::finish(pending, &mut snapshot.aws, &mut snapshot.diagnostics);
    config::finish(config, fingerprinter, &mut snapshot);
    x509::finish(&mut snapshot, inputs);
    snapshot.kube.shrink_to_fit();
    snapshot
}

/// What ingest collects across files before lowering it: AWS dumps (joined across files) and
/// config files (merged with their per-environment overlays).
type Pending<'p> = (&'p mut aws::Pending, &'p mut config::Pending);

fn error(snapshot: &mut Snapshot, path: &str, line: Option<u32>, message: impl Into<String>) {
    snapshot
        .diagnostics
        .push(Diagnostic::new(Level::Error, path, line, message));
}

fn read_file(
    (path, shown): (&Path, &str),
    fingerprinter: &Fingerprinter,
    options: &IngestOptions,
    snapshot: &mut Snapshot,
    pending: Pending<'_>,
) {
    let size = std::fs::metadata(path).map_or(0, |meta| meta.len());
    if size > options.max_file_bytes {
        too_large(snapshot, shown, options.max_file_bytes);
        return;
    }
    // Read at most one byte past the limit: a file that grows, or reports no size (as
    // files under `/proc` do), still cannot make ingest read without bound. The buffer
    // starts at the reported size (plus the byte that tells end of file), not doubled up.
    let mut bytes = Vec::with_capacity(usize::try_from(size).map_or(0, |s| s.saturating_add(1)));
    let read = std::fs::File::open(path).and_then(|file| {
        let limit = options.max_file_bytes.saturating_add(1);
        std::io::Read::read_to_end(&mut std::io::Read::take(file, limit), &mut bytes)
    });
    if let Err(e) = read {
        let message = format!("cannot read file: {}", walk::io_message(&e));
        error(snapshot, shown, None, message);
        return;
    }
    read_bytes_into(bytes, shown, fingerprinter, options, snapshot, pending);
}

fn too_large(snapshot: &mut Snapshot, shown: &str, limit: u64) {
    let message = format!("file is larger than the limit of {limit} bytes");
    error(snapshot, shown, None, message);
}

/// Ingests one file's content as if read from a file shown as `shown`: the pure part of
/// [`read_environment`] (decoding, parsing, lowering), for tests and fuzzing. Content larger
/// than `max_file_bytes` is refused as a file would be.
pub fn read_bytes(
    environment: &str,
    shown: &str,
    bytes: &[u8],
    fingerprinter: &Fingerprinter,
    options: &IngestOptions,
) -> Snapshot {
    let mut snapshot = Snapshot::new(environment);
    let mut pending = aws::Pending::default();
    let mut config = config::Pending::default();
    read_bytes_into(
        bytes.to_vec(),
        shown,
        fingerprinter,
        options,
        &mut snapshot,
        (&mut pending, &mut config),
    );
    aws::finish(pending, &mut snapshot.aws, &mut snapshot.diagnostics);
    config::finish(config, fingerprinter, &mut snapshot);
    x509::finish(&mut snapshot, &[]);
    snapshot
}

fn read_bytes_into(
    bytes: Vec<u8>,
    shown: &str,
    fingerprinter: &Fingerprinter,
    options: &IngestOptions,
    snapshot: &mut Snapshot,
    (pending, config): Pending<'_>,
) {
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > options.max_file_bytes {
        too_large(snapshot, shown, options.max_file_bytes);
        return;
    }
    if x509::read_file(&bytes, shown, fingerprinter, snapshot) {
        return;
    }
    let text = match text::decode(&bytes) {
        Ok(text) => text,
        Err(e) => {
            // A binary file of another kind is not an error; a manifest with bad bytes is.
            if manifest_extension(Path::new(shown)) || bytes.windows(10).any(|w| w == b"apiVersion")
            {
                error(snapshot, shown, e.line, e.message);
            } else {
                ignored(snapshot, shown, None, "ignored: not a text file");
            }
            return;
        }
    };
    if aws::read_csv(&text, shown, snapshot, pending) {
        return;
    }
    if config::read_flat(&text, shown, snapshot, config) {
        return;
    }
    if vault::read_text(&text, shown, snapshot) {
        return;
    }
    let template = shown.ends_with(".gotmpl");
    if template && config::read_template(&text, shown, &options.limits, snapshot, config) {
        return;
    }
    let docs = match text::documents(&text, &options.limits) {
        Ok(docs) => docs,
        Err(_)
            if text.contains("{{")
                && config::read_template(&text, shown, &options.limits, snapshot, config) =>
        {
            return;
        }
        Err(e) if text.contains("{{") => {
            let message = format!(
                "skipped an unrendered template ({}); render it first, e.g. with `helm template`",
                e.message
            );
            snapshot
                .diagnostics
                .push(Diagnostic::new(Level::Warning, shown, e.line, message));
            return;
        }
        Err(e) if !manifest_extension(Path::new(shown)) && !text.contains("apiVersion") => {
            let message = "ignored: not a Kubernetes manifest (nor valid YAML or JSON)";
            ignored(snapshot, shown, e.line, message);
            return;
        }
        Err(e) => {
            error(snapshot, shown, e.line, e.message);
            return;
        }
    };
    if aws::is_dump(&docs, shown) {
        // An org-scale dump is hundreds of megabytes: its text is not needed any more, so
        // it is freed before the documents are lowered into the model.
        drop(text);
        drop(bytes);
        aws::read_documents(&docs, shown, snapshot, pending);
        return;
    }
    if vault::read_documents(&docs, shown, snapshot) {
        return;
    }
    if gcp::read_documents(&docs, shown, snapshot) {
        return;
    }
    if terraform::read_documents(&docs, shown, fingerprinter, snapshot) {
        return;
    }
    if sigma::read_documents(&docs, shown, fingerprinter, &options.limits, snapshot) {
        return;
    }
    if !kube::has_objects(&docs) {
        let json = text::looks_like_json(&text);
        if config::read_documents(&docs, shown, json, config) {
            return;
        }
    }
    let format = "kubernetes";
    x509::scan_documents(
        &docs,
        Some(&text),
        shown,
        &mut snapshot.tls,
        &mut snapshot.diagnostics,
    );
    lower(&docs, shown, format, fingerprinter, snapshot);
}

fn ignored(snapshot: &mut Snapshot, shown: &str, line: Option<u32>, message: &str) {
    snapshot
        .diagnostics
        .push(Diagnostic::new(Level::Info, shown, line, message));
}

fn lower(
    docs: &[Node],
    shown: &str,
    format: &str,
    fingerprinter: &Fingerprinter,
    snapshot: &mut Snapshot,
) {
    let mut sink = kube::Sink {
        path: shown,
        fingerprinter,
        kube: &mut snapshot.kube,
        diagnostics: &mut snapshot.diagnostics,
    };
    let lowered = kube::lower_documents(docs, &mut sink);
    if lowered.objects == 0 {
        ignored(snapshot, shown, None, "ignored: not a Kubernetes manifest");
        return;
    }
    for line in &lowered.not_objects {
        snapshot.diagnostics.push(Diagnostic::new(
            Level::Warning,
            shown,
            Some(*line),
            "ignored a document that is not a Kubernetes object (no `apiVersion` and `kind`)",
        ));
    }
    let format = if format == "kubernetes" && lowered.audit_policies == lowered.objects {
        "kubernetes-audit-policy"
    } else {
        format
    };
    snapshot.sources.push(Source {
        path: shown.to_string(),
        format: format.to_string(),
        objects: lowered.objects,
    });
}

fn render(
    dir: &Path,
    shown_dir: &str,
    tool: Option<&kustomize::Tool>,
    fingerprinter: &Fingerprinter,
    options: &IngestOptions,
    snapshot: &mut Snapshot,
) {
    let Some(tool) = tool else {
        let message = format!(
            "cannot render this kustomization: neither `kustomize` nor `kubectl` is on PATH; \
             render it with `kubectl kustomize {shown_dir} > rendered.yaml` and pass that file"
        );
        error(snapshot, shown_dir, None, message);
        return;
    };
    let shown = format!("{shown_dir} (kustomize)");
    let bytes = match kustomize::render(tool, dir, shown_dir) {
        Ok(bytes) => bytes,
        Err(stderr) => {
            let command = kustomize::command_line(tool, shown_dir);
            error(
                snapshot,
                shown_dir,
                None,
                format!("`{command}` failed: {stderr}"),
            );
            return;
        }
    };
    let docs = match text::decode(&bytes).and_then(|t| text::documents(&t, &options.limits)) {
        Ok(docs) => docs,
        Err(e) => {
            error(snapshot, &shown, e.line, e.message);
            return;
        }
    };
    x509::scan_documents(
        &docs,
        None,
        &shown,
        &mut snapshot.tls,
        &mut snapshot.diagnostics,
    );
    lower(&docs, &shown, "kustomize", fingerprinter, snapshot);
}

/// Files whose name says they hold YAML or JSON (a Terraform `.tfstate` is JSON): failing to
/// parse them is an input error, whatever they contain. Other files that fail to parse are
/// simply not inputs.
fn manifest_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "yaml" | "yml" | "json" | "tfstate"
        )
    })
}
