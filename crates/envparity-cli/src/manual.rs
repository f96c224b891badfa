//! Shell completions (`envparity completions SHELL`) and the man page (`envparity man`),
//! both generated from the clap definition of the command line so they cannot drift from it.

use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs, ManArgs};
use crate::{Failure, output};

/// The completion script of `shell` for the `envparity` binary.
pub fn completion_script(shell: clap_complete::Shell) -> String {
    let mut command = Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut command, "envparity", &mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The roff source of `envparity(1)`.
pub fn man_page() -> Result<String, Failure> {
    let mut bytes = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut bytes)
        .map_err(|error| {
            Failure::new(format!(
                "cannot render the man page: {}",
                output::lowercase_first(&error.to_string())
            ))
        })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn completions(args: &CompletionsArgs) -> Result<ExitCode, Failure> {
    output::write(&completion_script(args.shell), None)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes `envparity.1` and one `envparity-<command>.1` per visible command into `dir`.
pub fn write_man_pages(dir: &Path) -> Result<(), Failure> {
    let failure = |error: std::io::Error| {
        Failure::new(format!(
            "cannot write the man pages into `{}`: {}",
            dir.display(),
            output::lowercase_first(&error.to_string())
        ))
    };
    std::fs::create_dir_all(dir).map_err(failure)?;
    clap_mangen::generate_to(Cli::command(), dir).map_err(failure)
}

pub fn man(args: &ManArgs) -> Result<ExitCode, Failure> {
    match &args.out {
        Some(dir) => write_man_pages(dir)?,
        None => output::write(&man_page()?, None)?,
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap_complete::Shell;

    #[test]
    fn every_shell_completes_the_commands() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell] {
            let script = completion_script(shell);
            assert!(script.contains("compare"), "{shell}: no `compare`");
            assert!(script.contains("fail-on"), "{shell}: no `--fail-on`");
        }
    }

    #[test]
    fn man_page_is_roff_naming_the_commands() {
        let page = man_page().map_err(|f| f.0).expect("renders");
        assert!(page.starts_with(".ie") || page.contains(".TH envparity"));
        assert!(page.contains("compare"));
    }
}
