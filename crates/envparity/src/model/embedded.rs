//! Config files held in one ConfigMap or Secret key (`application.properties`, `config.yaml`,
//! `.env`): their settings as (dotted path, value, line offset), so that each setting is
//! compared, checked for credentials and redacted on its own.

/// One setting of an embedded config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Setting {
    pub path: String,
    pub value: String,
    /// 0-based line of the setting within the value.
    pub offset: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Properties,
    Yaml,
}

fn format_of(key: &str, text: &str) -> Option<Format> {
    let lower = key.to_ascii_lowercase();
    for (suffix, format) in [
        (".properties", Format::Properties),
        (".env", Format::Properties),
        (".conf", Format::Properties),
        (".cfg", Format::Properties),
        (".ini", Format::Properties),
        (".yaml", Format::Yaml),
        (".yml", Format::Yaml),
    ] {
        if lower.ends_with(suffix) {
            return Some(format);
        }
    }
    // Unnamed files: properties when most setting lines are `k=v`, YAML when they are `k: v`.
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    if lines.len() < 2 {
        return None;
    }
    let assignments = lines.iter().filter(|l| assignment(l).is_some()).count();
    let mappings = lines.iter().filter(|l| mapping(l).is_some()).count();
    if assignments * 3 >= lines.len() * 2 {
        Some(Format::Properties)
    } else if mappings * 3 >= lines.len() * 2 {
        Some(Format::Yaml)
    } else {
        None
    }
}

/// `key=value` (or `export key=value`) with a plain key.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let line = line.strip_prefix("export ").unwrap_or(line);
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    plain_key(key).then_some((key, value.trim()))
}

/// `key: value` with a plain key (value may be empty: a parent mapping).
fn mapping(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    if !plain_key(key) || !(value.is_empty() || value.starts_with(' ')) {
        return None;
    }
    Some((key, value.trim()))
}

fn plain_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 120
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
}

/// A scalar as written: without quotes and trailing comments.
fn scalar(value: &str) -> String {
    let v = value.trim();
    if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        return v[1..v.len() - 1].to_string();
    }
    match v.find(" #") {
        Some(index) => v[..index].trim_end().to_string(),
        None => v.to_string(),
    }
}

/// The settings of an embedded config file, or `None` when the value is not one (a single
/// line, or text in no recognised format).
pub(crate) fn settings(key: &str, text: &str) -> Option<Vec<Setting>> {
    if !text.trim_end().contains('\n') {
        return None;
    }
    let settings = match format_of(key, text)? {
        Format::Properties => properties(text),
        Format::Yaml => yaml(text),
    };
    (!settings.is_empty()).then_some(settings)
}

fn properties(text: &str) -> Vec<Setting> {
    let mut out = Vec::new();
    let mut section = String::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.starts_with('!') {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            section = format!("{}.", &line[1..line.len() - 1]);
            continue;
        }
        if let Some((key, value)) = assignment(line).or_else(|| mapping(line)) {
            out.push(Setting {
                path: format!("{section}{key}"),
                value: scalar(value),
                offset: index as u32,
            });
        }
    }
    out
}

/// Block mappings by indentation; sequences and block scalars are skipped (not settings
/// with a stable path).
fn yaml(text: &str) -> Vec<Setting> {
    let mut out = Vec::new();
    // (indent, key); `None` marks a sequence or block scalar whose content is skipped.
    let mut stack: Vec<(usize, Option<String>)> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let content = raw.trim_start();
        if content.is_empty() || content.starts_with('#') || content == "---" {
            continue;
        }
        let indent = raw.len() - content.len();
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        if stack.iter().any(|(_, key)| key.is_none()) {
            continue;
        }
        if content.starts_with("- ") || content == "-" {
            stack.push((indent, None));
            continue;
        }
        let Some((key, value)) = mapping(content) else {
            continue;
        };
        if value.is_empty() {
            stack.push((indent, Some(key.to_string())));
            continue;
        }
        if value.starts_with('|') || value.starts_with('>') {
            stack.push((indent, None));
            continue;
        }
        let mut path: Vec<&str> = stack.iter().filter_map(|(_, k)| k.as_deref()).collect();
        path.push(key);
        out.push(Setting {
            path: path.join("."),
            value: scalar(value),
            offset: index as u32,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(settings: Option<Vec<Setting>>) -> Vec<(String, String)> {
        settings
            .unwrap_or_default()
            .into_iter()
            .map(|s| (s.path, s.value))
            .collect()
    }

    #[test]
    fn properties_files() {
        let text = "app.name=Demo\n# comment\nspring.datasource.password=admin\n";
        assert_eq!(
            paths(settings("application.properties", text)),
            vec![
                ("app.name".to_string(), "Demo".to_string()),
                (
                    "spring.datasource.password".to_string(),
                    "admin".to_string()
                ),
            ]
        );
        assert_eq!(
            paths(settings("staging.env", "export A=1\nB=\"two\"\n")),
            vec![
                ("A".to_string(), "1".to_string()),
                ("B".to_string(), "two".to_string())
            ]
        );
    }

    #[test]
    fn yaml_files() {
        let text = "server:\n  port: 8080\n  tls:\n    insecureSkipVerify: true # test\nitems:\n  - name: a\n    value: b\nscript: |\n  key: not-a-setting\nlast: 'x'\n";
        assert_eq!(
            paths(settings("config.yaml", text)),
            vec![
                ("server.port".to_string(), "8080".to_string()),
                (
                    "server.tls.insecureSkipVerify".to_string(),
                    "true".to_string()
                ),
                ("last".to_string(), "x".to_string()),
            ]
        );
    }

    #[test]
    fn not_config_files() {
        assert_eq!(settings("LOG_LEVEL", "debug"), None);
        assert_eq!(
            settings("script.sh", "#!/bin/sh\necho hello\nexit 0\n"),
            None
        );
        assert_eq!(
            settings(
                "tls.crt",
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
            ),
            None
        );
    }
}
