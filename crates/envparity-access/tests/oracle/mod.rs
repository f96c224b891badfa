//! Test-time bridge to the independent AWS IAM simulator `@cloud-copilot/iam-simulate`
//! (AGPL, installed by `install.sh` into the git-ignored `.oracle/`, never vendored), run as
//! one long-lived `node simulate.mjs` process that answers one JSON line per request.
//! Use from a test file with `#[path = "oracle/mod.rs"] mod oracle;`.
#![allow(dead_code)]

pub mod cases;
pub mod random;
pub mod repair;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::OnceLock;

use serde_json::{Value, json};

/// The principal a case uses unless it names one.
pub const DEFAULT_PRINCIPAL: &str = "arn:aws:iam::123456789012:role/app";

/// One request against one principal's policies. Policies are IAM policy documents as
/// JSON text. An empty `boundary` means no permissions boundary; `scps` lists the levels of
/// the organization, root first: the policies of one level are unioned and every level must
/// allow; no level means no SCP applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimCase {
    pub identity: Vec<String>,
    pub boundary: Vec<String>,
    pub scps: Vec<Vec<String>>,
    pub action: String,
    pub resource: String,
    pub principal: Option<String>,
    /// A key with one value is sent single-valued, with several as a multivalued key.
    pub context: BTreeMap<String, Vec<String>>,
}

impl SimCase {
    pub fn new(action: &str, resource: &str) -> SimCase {
        SimCase {
            action: action.to_string(),
            resource: resource.to_string(),
            ..SimCase::default()
        }
    }

    pub fn identity(mut self, policy: &str) -> SimCase {
        self.identity.push(policy.to_string());
        self
    }

    pub fn boundary(mut self, policy: &str) -> SimCase {
        self.boundary.push(policy.to_string());
        self
    }

    /// Adds one SCP level (below the ones already added) holding these policies.
    pub fn scp_level(mut self, policies: &[&str]) -> SimCase {
        self.scps
            .push(policies.iter().map(|p| p.to_string()).collect());
        self
    }

    pub fn context(mut self, key: &str, values: &[&str]) -> SimCase {
        self.context.insert(
            key.to_string(),
            values.iter().map(|v| v.to_string()).collect(),
        );
        self
    }

    /// The JSON line `simulate.mjs` reads.
    pub fn to_json(&self) -> Result<String, String> {
        let docs = |policies: &[String]| -> Result<Vec<Value>, String> {
            policies
                .iter()
                .map(|p| serde_json::from_str(p).map_err(|e| format!("policy is not json: {e}")))
                .collect()
        };
        let scps = self
            .scps
            .iter()
            .map(|level| docs(level).map(Value::from))
            .collect::<Result<Vec<Value>, String>>()?;
        let context: serde_json::Map<String, Value> = self
            .context
            .iter()
            .map(|(key, values)| {
                let value = match values.as_slice() {
                    [one] => json!(one),
                    many => json!(many),
                };
                (key.clone(), value)
            })
            .collect();
        let line = json!({
            "identityPolicies": docs(&self.identity)?,
            "permissionBoundaryPolicies": docs(&self.boundary)?,
            "serviceControlPolicies": scps,
            "request": {
                "action": self.action,
                "resource": self.resource,
                "principal": self.principal.as_deref().unwrap_or(DEFAULT_PRINCIPAL),
                "context": context,
            },
        });
        Ok(line.to_string())
    }
}

/// The simulator's overall decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimDecision {
    Allowed,
    ExplicitlyDenied,
    ImplicitlyDenied,
}

impl SimDecision {
    pub fn is_allowed(self) -> bool {
        self == SimDecision::Allowed
    }
}

/// A running `node simulate.mjs`.
pub struct Simulator {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// This folder, from any crate of the workspace that includes this module (envparity's AWS
/// scenario suite does too): the crates are siblings.
fn harness_dir() -> PathBuf {
    manifest_dir().join("../envparity-access/tests/oracle")
}

/// The folder the simulator is installed into (same rule as `install.sh`).
pub fn oracle_dir() -> PathBuf {
    match std::env::var_os("ENVPARITY_ORACLE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => manifest_dir().join("../../.oracle"),
    }
}

fn runs(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `install.sh` once per test process.
fn install() -> &'static Result<(), String> {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let script = harness_dir().join("install.sh");
        let status = Command::new("bash")
            .arg(&script)
            .status()
            .map_err(|e| format!("cannot run `{}`: {e}", script.display()))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!(
                "`{}` failed ({status}); it needs the npm registry once",
                script.display()
            ))
        }
    })
}

impl Simulator {
    /// Starts the simulator, installing it first if needed. `None` (with the reason on
    /// stderr) only when Node.js or npm is missing, or `ENVPARITY_SKIP_ORACLE` is set; an
    /// install or start failure panics, so CI never passes without the oracle silently.
    pub fn start() -> Option<Simulator> {
        if std::env::var_os("ENVPARITY_SKIP_ORACLE").is_some() {
            eprintln!("oracle skipped: ENVPARITY_SKIP_ORACLE is set");
            return None;
        }
        for tool in ["node", "npm"] {
            if !runs(tool) {
                eprintln!(
                    "oracle skipped: `{tool}` is not on PATH (install Node.js >= 20 to run the IAM simulator tests)"
                );
                return None;
            }
        }
        if let Err(message) = install() {
            panic!("oracle install failed: {message}");
        }
        let script = harness_dir().join("simulate.mjs");
        let mut child = Command::new("node")
            .arg(&script)
            .arg(oracle_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `node {}`: {e}", script.display()));
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            panic!("node started without pipes");
        };
        Some(Simulator {
            child,
            stdin: Some(stdin),
            stdout: BufReader::new(stdout),
        })
    }

    /// One request, one answer.
    pub fn decide(&mut self, case: &SimCase) -> Result<SimDecision, String> {
        let mut answers = self.decide_all(std::slice::from_ref(case));
        answers
            .pop()
            .unwrap_or_else(|| Err("no answer".to_string()))
    }

    /// Many requests through the one process: a writer thread feeds stdin while this thread
    /// reads the answers, so neither pipe fills up. Answers come back in input order.
    pub fn decide_all(&mut self, cases: &[SimCase]) -> Vec<Result<SimDecision, String>> {
        let lines: Vec<Result<String, String>> = cases.iter().map(SimCase::to_json).collect();
        let sent = lines.iter().filter(|l| l.is_ok()).count();
        let Some(stdin) = self.stdin.as_mut() else {
            return lines
                .iter()
                .map(|_| Err("simulator closed".to_string()))
                .collect();
        };
        let stdout = &mut self.stdout;
        let mut answers: Vec<Result<SimDecision, String>> = Vec::with_capacity(sent);
        std::thread::scope(|scope| {
            let writer = scope.spawn(|| -> std::io::Result<()> {
                let mut out = std::io::BufWriter::new(&mut *stdin);
                for line in lines.iter().flatten() {
                    out.write_all(line.as_bytes())?;
                    out.write_all(b"\n")?;
                }
                out.flush()
            });
            for _ in 0..sent {
                let mut line = String::new();
                answers.push(match stdout.read_line(&mut line) {
                    Ok(0) => Err("simulator exited".to_string()),
                    Ok(_) => parse_answer(&line),
                    Err(e) => Err(format!("cannot read the simulator: {e}")),
                });
            }
            if let Ok(Err(e)) = writer.join() {
                answers.push(Err(format!("cannot write to the simulator: {e}")));
            }
        });
        let mut answers = answers.into_iter();
        lines
            .into_iter()
            .map(|line| match line {
                Ok(_) => answers
                    .next()
                    .unwrap_or_else(|| Err("no answer".to_string())),
                Err(e) => Err(e),
            })
            .collect()
    }
}

fn parse_answer(line: &str) -> Result<SimDecision, String> {
    let value: Value =
        serde_json::from_str(line).map_err(|e| format!("bad simulator line `{line}`: {e}"))?;
    if let Some(error) = value["error"].as_str() {
        return Err(error.to_string());
    }
    match value["decision"].as_str() {
        Some("Allowed") => Ok(SimDecision::Allowed),
        Some("ExplicitlyDenied") => Ok(SimDecision::ExplicitlyDenied),
        Some("ImplicitlyDenied") => Ok(SimDecision::ImplicitlyDenied),
        _ => Err(format!("unexpected simulator answer `{}`", line.trim())),
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        // Closing stdin ends the script's input loop; then reap the process.
        drop(self.stdin.take());
        if self.child.wait().is_err() {
            let _ = self.child.kill();
        }
    }
}
