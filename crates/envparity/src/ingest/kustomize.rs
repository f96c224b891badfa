//! Rendering a kustomization directory with `kustomize build` or `kubectl kustomize`, found
//! on a search path the caller gives (or `PATH`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A rendering tool found on the search path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tool {
    pub program: PathBuf,
    /// `kustomize build` or `kubectl kustomize`.
    pub subcommand: &'static str,
}

/// Finds `kustomize` (preferred) or `kubectl` in `search` (`None`: the `PATH` variable).
pub fn find_tool(search: Option<&[PathBuf]>) -> Option<Tool> {
    let dirs: Vec<PathBuf> = match search {
        Some(dirs) => dirs.to_vec(),
        None => std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect())
            .unwrap_or_default(),
    };
    for (name, subcommand) in [("kustomize", "build"), ("kubectl", "kustomize")] {
        for dir in &dirs {
            let candidate = dir.join(name);
            if is_executable(&candidate) {
                return Some(Tool {
                    program: candidate,
                    subcommand,
                });
            }
        }
    }
    None
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file() || path.with_extension("exe").is_file()
}

/// The tool's name as the user would type it.
pub fn command_line(tool: &Tool, shown_dir: &str) -> String {
    let name = tool
        .program
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name} {} {shown_dir}", tool.subcommand)
}

/// Renders `dir`; the error is one line made of the tool's standard error.
pub fn render(tool: &Tool, dir: &Path, shown_dir: &str) -> Result<Vec<u8>, String> {
    let output = Command::new(&tool.program)
        .arg(tool.subcommand)
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run: {}", super::walk::io_message(&e)))?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut line = stderr
        .lines()
        .map(clean_log_line)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    // The tool names the directory by its absolute path; show it as the user gave it.
    if let Ok(absolute) = dir.canonicalize() {
        line = line.replace(&absolute.to_string_lossy().into_owned(), shown_dir);
    }
    if line.chars().count() > 400 {
        line = line.chars().take(400).collect::<String>() + "…";
    }
    if line.is_empty() {
        line = format!("exit status {}", output.status);
    }
    Err(line)
}

/// One line of a tool's standard error without the klog header (`E1128 15:53:42.820035
/// 25472 run.go:72] `, which holds a timestamp) and the `"command failed" err=` wrapper.
fn clean_log_line(line: &str) -> String {
    let line = line.trim();
    let bytes = line.as_bytes();
    let klog = bytes.len() > 5
        && matches!(bytes[0], b'I' | b'W' | b'E' | b'F')
        && bytes[1..5].iter().all(u8::is_ascii_digit);
    let line = match line.split_once("] ") {
        Some((_, rest)) if klog => rest,
        _ => line,
    };
    let line = line.strip_prefix("\"command failed\" err=").unwrap_or(line);
    let line = line
        .strip_prefix('"')
        .and_then(|l| l.strip_suffix('"'))
        .unwrap_or(line);
    line.replace("\\\"", "\"").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::clean_log_line;

    #[test]
    fn strips_klog_header_and_wrapper() {
        let line = r#"E1128 15:53:42.820035   25472 run.go:72] "command failed" err="accumulating resources: missing""#;
        assert_eq!(clean_log_line(line), "accumulating resources: missing");
        assert_eq!(clean_log_line("Error: no such file"), "Error: no such file");
    }
}
