//! The hidden ecosystem commands run from the binary: shell completions, the man page and the
//! rule reference pages; and `envparity rules --format json` carries the framework mapping.

use std::time::Duration;

fn envparity(args: &[&str]) -> (i32, String, String) {
    let output = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("envparity"))
        .args(args)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60))
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn completions_for_every_shell_mention_compare() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let (code, stdout, stderr) = envparity(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stdout.contains("compare"), "{shell}: no `compare`");
        assert!(stdout.contains("envparity"), "{shell}: no binary name");
    }
    let (code, _, stderr) = envparity(&["completions", "cmd.exe"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cmd.exe"), "{stderr}");
}

#[test]
fn man_page_is_roff_and_mentions_compare() {
    let (code, stdout, stderr) = envparity(&["man"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(".TH envparity"),
        "not a man page:\n{stdout}"
    );
    assert!(stdout.contains("compare"));
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().to_string_lossy().into_owned();
    let (code, _, stderr) = envparity(&["man", "--out", &out]);
    assert_eq!(code, 0, "{stderr}");
    let compare = std::fs::read_to_string(dir.path().join("envparity-compare.1"))
        .expect("a page for compare");
    assert!(compare.contains("fail\\-on"), "{compare}");
    assert!(dir.path().join("envparity.1").exists());
    assert!(!dir.path().join("envparity-completions.1").exists());
}

#[test]
fn hidden_commands_stay_out_of_the_help() {
    let (code, stdout, _) = envparity(&["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("compare"));
    assert!(!stdout.contains("completions"), "{stdout}");
}

#[test]
fn docs_command_writes_one_page_per_rule_and_an_index() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().join("rules");
    let out_text = out.to_string_lossy().into_owned();
    let (code, _, stderr) = envparity(&["docs", "--out", &out_text]);
    assert_eq!(code, 0, "{stderr}");
    let (_, rules, _) = envparity(&["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&rules).expect("rules JSON");
    let rules = rules.as_array().expect("an array");
    for rule in rules {
        let id = rule["id"].as_str().expect("an id");
        let page = std::fs::read_to_string(out.join(format!("{id}.md")))
            .unwrap_or_else(|e| panic!("no page for {id}: {e}"));
        assert!(page.contains("## Why it matters"), "{id}");
        let frameworks = rule["frameworks"].as_array().expect("frameworks listed");
        assert!(!frameworks.is_empty(), "{id}: no framework");
        let details = rule["framework_details"]
            .as_array()
            .expect("framework details");
        assert_eq!(details.len(), frameworks.len(), "{id}");
        assert!(details.iter().all(|d| d["title"].is_string()), "{id}");
        for framework in frameworks {
            let framework = framework.as_str().expect("a string");
            assert!(page.contains(framework), "{id}: page lacks {framework}");
        }
    }
    let index = std::fs::read_to_string(out.join("README.md")).expect("the index");
    assert_eq!(index.matches("](").count(), rules.len());
}
