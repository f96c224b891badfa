//! Where reports go: standard output or `--output FILE`, and whether text may use colour.

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::Failure;

/// Writes `text` to `path`, or to standard output when `path` is `None`. A closed pipe on
/// standard output (`envparity … | head`) is not an error.
pub fn write(text: &str, path: Option<&Path>) -> Result<(), Failure> {
    match path {
        Some(path) => std::fs::write(path, text).map_err(|error| {
            Failure::new(format!(
                "cannot write the report to `{}`: {}",
                path.display(),
                lowercase_first(&error.to_string())
            ))
        }),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => Ok(()),
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(error) => Err(Failure::new(format!(
                    "cannot write to standard output: {}",
                    lowercase_first(&error.to_string())
                ))),
            }
        }
    }
}

/// Colour only for text on a terminal, never with `--output` or when `NO_COLOR` is set.
pub fn use_color(text_format: bool, to_file: bool) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    text_format && !to_file && !no_color && std::io::stdout().is_terminal()
}

/// The fingerprint key: `ENVPARITY_FINGERPRINT_KEY` when set (its bytes), else 32 random bytes.
pub fn fingerprint_key() -> Vec<u8> {
    match std::env::var_os("ENVPARITY_FINGERPRINT_KEY") {
        Some(key) => key.as_encoded_bytes().to_vec(),
        None => rand::random::<[u8; 32]>().to_vec(),
    }
}

/// OS error texts start with a capital; our messages are lowercase.
pub fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
