//! The moto server of the AWS scenario suite: started once on a free loopback port, reset
//! between scenarios, killed on drop; plus the seeding of one environment through `env.sh`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The tools the suite runs; all must be on PATH.
const TOOLS: &[&str] = &["moto_server", "aws", "bash", "python3", "base64"];

/// The first tool missing from PATH, if any.
pub fn missing_tool() -> Option<&'static str> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    TOOLS
        .iter()
        .copied()
        .find(|tool| !std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
}

/// A running `moto_server`, killed when dropped.
pub struct Moto {
    child: Child,
    port: u16,
    pub log: PathBuf,
}

impl Moto {
    /// Starts moto on a free loopback port and waits (up to 30 s) until it answers.
    pub fn start(dir: &Path) -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let log = dir.join("moto.log");
        let file = std::fs::File::create(&log).expect("moto log file");
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            // Set, it would route every request to one account whatever the credentials.
            .env_remove("MOTO_ACCOUNT_ID")
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("moto log file"))
            .stderr(file)
            .spawn()
            .expect("moto_server starts");
        let moto = Moto { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(30);
        while moto.request("GET", "/moto-api/", "").is_none() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not answer on port {port} within 30 s; log: {}",
                std::fs::read_to_string(&moto.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        // Lambda functions are only needed as rotation targets: never start Docker for them.
        moto.post("/moto-api/config", r#"{"lambda":{"use_docker":false}}"#);
        moto
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Wipes every account's state.
    pub fn reset(&self) {
        self.post("/moto-api/reset", "");
    }

    fn post(&self, path: &str, body: &str) {
        let status = self.request("POST", path, body);
        assert!(
            status.is_some_and(|code| (200..300).contains(&code)),
            "moto `POST {path}` failed: status {status:?}"
        );
    }

    /// One plain HTTP/1.1 request; the status code, or `None` when nothing answered.
    fn request(&self, method: &str, path: &str, body: &str) -> Option<u16> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .ok()?;
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream.write_all(request.as_bytes()).ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        response.split_whitespace().nth(1)?.parse().ok()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Seeds one account with a scenario script and dumps it into `out` (`env.sh`), without
/// waiting: the two environments of a scenario are seeded at the same time.
pub fn seed(moto: &Moto, suite: &Path, script: &Path, account: &str, out: &Path) -> Child {
    Command::new("bash")
        .arg(suite.join("env.sh"))
        .arg(script)
        .arg(account)
        .arg(out)
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_PAGER", "")
        // Nothing of the user's own AWS configuration may leak in.
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash starts")
}

/// Waits for a seeding; the error names the script and carries its standard error.
pub fn finish(child: Child, what: &str) -> Result<(), String> {
    let Output { status, stderr, .. } = child.wait_with_output().expect("seeding finishes");
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what}: seeding failed ({status}): {}",
            String::from_utf8_lossy(&stderr).trim()
        ))
    }
}
