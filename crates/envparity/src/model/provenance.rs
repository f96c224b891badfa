//! Where a fact comes from, and what could not be understood.

use std::cell::RefCell;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Serialize;

/// A file (as given or relative to the input root) and a 1-based line where known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Provenance {
    /// Shared by every fact of the same file: a cluster's objects, rules and entries carry
    /// hundreds of thousands of provenances, which would otherwise each copy the path.
    pub path: Arc<str>,
    pub line: Option<u32>,
}

thread_local! {
    /// The path of the last provenance made on this thread: ingest reads one file at a time
    /// per thread, so consecutive provenances nearly always name the same file.
    static LAST_PATH: RefCell<Option<Arc<str>>> = const { RefCell::new(None) };
}

impl Provenance {
    pub fn new(path: &str, line: Option<u32>) -> Provenance {
        let path = LAST_PATH.with(|last| {
            let mut last = last.borrow_mut();
            match last.as_ref() {
                Some(shared) if **shared == *path => Arc::clone(shared),
                _ => {
                    let shared: Arc<str> = Arc::from(path);
                    *last = Some(Arc::clone(&shared));
                    shared
                }
            }
        });
        Provenance { path, line }
    }
}

/// An input file that was read, its detected format and how many objects it gave.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct Source {
    pub path: String,
    pub format: String,
    pub objects: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
}

/// A message about an input: an error (unreadable, unparsable), a warning (unknown kind,
/// unresolved reference) or information (a file that is not an input of any known format).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct Diagnostic {
    pub level: Level,
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(level: Level, path: &str, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic {
            level,
            path: path.to_string(),
            line,
            message: message.into(),
        }
    }

    /// The one-line form used on standard error: `path:line: message`.
    pub fn one_line(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{}: {}", self.path, line, self.message),
            None => format!("{}: {}", self.path, self.message),
        }
    }
}
