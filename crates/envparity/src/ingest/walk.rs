//! Inputs → units to read: files, and kustomization directories rendered as one unit. Walks
//! directories recursively in sorted order, skipping hidden entries, symlink loops and special
//! files (FIFOs, sockets, devices: reading them could block or never end).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::model::{Diagnostic, Level};

/// Names that make a directory a kustomization root.
pub const KUSTOMIZATION_FILES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// One thing to read, with the path shown in provenance (`/` separators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    File { path: PathBuf, shown: String },
    Kustomization { dir: PathBuf, shown: String },
}

/// A path as provenance shows it: as given, with `/` separators.
pub fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

pub fn is_kustomization_dir(dir: &Path) -> bool {
    KUSTOMIZATION_FILES.iter().any(|f| dir.join(f).is_file())
}

/// `.env` and `.env.<environment>` files: hidden by name, read as config.
fn is_dotenv(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name == ".env" || name.starts_with(".env.")
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// The units of one input path. Problems (missing path, empty directory, unreadable
/// entries) become diagnostics.
pub fn units(input: &Path, kustomize: bool, diagnostics: &mut Vec<Diagnostic>) -> Vec<Unit> {
    let input_shown = shown(input);
    let metadata = match std::fs::metadata(input) {
        Ok(m) => m,
        Err(e) => {
            let message = if e.kind() == std::io::ErrorKind::NotFound {
                "input path does not exist".to_string()
            } else {
                format!("cannot read input path: {}", io_message(&e))
            };
            diagnostics.push(Diagnostic::new(Level::Error, &input_shown, None, message));
            return Vec::new();
        }
    };
    if metadata.is_file() {
        return vec![Unit::File {
            path: input.to_path_buf(),
            shown: input_shown,
        }];
    }
    if !metadata.is_dir() {
        // A FIFO, socket or device: reading it could block or never end.
        let message = "input path is neither a regular file nor a directory";
        diagnostics.push(Diagnostic::new(Level::Error, &input_shown, None, message));
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut walker = WalkDir::new(input)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(next) = walker.next() {
        let entry = match next {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map_or_else(|| input_shown.clone(), shown);
                let message = if e.loop_ancestor().is_some() {
                    "skipped a symbolic link that loops back to a parent directory".to_string()
                } else {
                    match e.io_error() {
                        Some(io) => format!("cannot read: {}", io_message(io)),
                        None => "cannot read".to_string(),
                    }
                };
                let level = if e.loop_ancestor().is_some() {
                    Level::Warning
                } else {
                    Level::Error
                };
                diagnostics.push(Diagnostic::new(level, &path, None, message));
                continue;
            }
        };
        if entry.depth() > 0 && is_hidden(entry.file_name()) && !is_dotenv(entry.file_name()) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_dir() {
            if kustomize && is_kustomization_dir(entry.path()) {
                out.push(Unit::Kustomization {
                    dir: entry.path().to_path_buf(),
                    shown: shown(entry.path()),
                });
                walker.skip_current_dir();
            }
        } else if entry.file_type().is_file() {
            out.push(Unit::File {
                path: entry.path().to_path_buf(),
                shown: shown(entry.path()),
            });
        } else {
            let path = shown(entry.path());
            let message = "skipped: not a regular file";
            diagnostics.push(Diagnostic::new(Level::Warning, &path, None, message));
        }
    }
    if out.is_empty() {
        diagnostics.push(Diagnostic::new(
            Level::Error,
            &input_shown,
            None,
            "no input files in directory",
        ));
    }
    out
}

/// An I/O error as a lowercase one-line message without the OS error number.
pub fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
