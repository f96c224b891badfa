//! The `--max-file-size`, `--max-depth` and `--max-nodes` flags: the bounds on what one input
//! file may cost, raisable for very large exports (the defaults stop alias bombs and runaway
//! files, not real organisations).

use envparity::ingest::{IngestOptions, Limits};

/// Limits on each input file, shared by `compare`, `check` and `inventory`.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Input limits")]
pub struct LimitArgs {
    /// Files larger than this are not read (an input error): bytes, or with a K, M or G suffix
    /// (powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Deepest nesting of lists and mappings in one YAML or JSON file.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth)]
    pub max_depth: usize,
    /// Most nodes in one YAML or JSON file, counting every alias expansion in full.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_nodes)]
    pub max_nodes: usize,
}

impl LimitArgs {
    /// Ingest options with these limits (everything else at its default).
    pub fn ingest(&self) -> IngestOptions {
        IngestOptions {
            limits: Limits {
                max_nodes: self.max_nodes,
                max_depth: self.max_depth,
            },
            max_file_bytes: self.max_file_size,
            ..IngestOptions::default()
        }
    }
}

/// `123`, `64K`, `64M`, `2G` (also `64MiB`, `64mb`: the unit is a power of 1024).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (digits, unit) = trimmed.split_at(split);
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => {
            return Err(format!(
                "`{text}` is not a size (e.g. `512M`, `2G`, `1048576`)"
            ));
        }
    };
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size (e.g. `512M`, `2G`, `1048576`)"))?;
    number
        .checked_mul(1u64 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_units() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("512KiB"), Ok(512 << 10));
        assert!(parse_size("").is_err());
        assert!(parse_size("12Q").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("99999999999G").is_err());
    }

    #[test]
    fn defaults_match_the_library() {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct Probe {
            #[command(flatten)]
            limits: LimitArgs,
        }
        let probe = Probe::parse_from(["probe"]);
        let options = probe.limits.ingest();
        let defaults = IngestOptions::default();
        assert_eq!(options.max_file_bytes, defaults.max_file_bytes);
        assert_eq!(options.limits, defaults.limits);
    }
}
