//! `envparity-gen`: writes org-scale staging/production snapshot pairs with planted
//! divergences (`planted.json`) for benchmarks and recall checks.

mod aws;
mod kube;
mod output;
mod rng;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "envparity-gen",
    version,
    about = "Generate staging/production snapshot pairs with planted divergences"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// `aws iam get-account-authorization-details` dumps: DIR/staging/gaad.json, DIR/production/gaad.json.
    Aws {
        /// IAM roles per side.
        #[arg(long, default_value_t = 100)]
        roles: usize,
        #[command(flatten)]
        common: Common,
    },
    /// Kubernetes manifests: DIR/staging/<namespace>.yaml, DIR/production/<namespace>.yaml.
    Kube {
        /// Application namespaces per side (about 20 objects each).
        #[arg(long, default_value_t = 10)]
        namespaces: usize,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Debug, clap::Args)]
struct Common {
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Fraction of entities given a planted divergence.
    #[arg(long, default_value_t = 0.05)]
    divergence: f64,
    /// Output directory (created; existing files with the same names are overwritten).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (result, out) = match &cli.command {
        Command::Aws { roles, common } => (
            aws::generate(*roles, common.seed, common.divergence, &common.out),
            &common.out,
        ),
        Command::Kube { namespaces, common } => (
            kube::generate(*namespaces, common.seed, common.divergence, &common.out),
            &common.out,
        ),
    };
    let written = result.and_then(|key| {
        output::write_json(&out.join("planted.json"), &key)?;
        Ok(key)
    });
    match written {
        Ok(key) => {
            eprintln!(
                "wrote {} objects per side, {} planted divergences, to `{}`",
                key.objects_per_side,
                key.planted.len(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
