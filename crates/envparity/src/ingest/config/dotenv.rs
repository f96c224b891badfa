//! `.env` files: `KEY=value` lines with optional `export`, comments, single and double quotes
//! (double quotes with escapes), and quoted values continued over several lines.

use super::Flat;
use super::properties::unescape;

/// Why a `.env` file could not be read: the 1-based line and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DotenvError {
    pub line: u32,
    pub message: String,
}

fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Parses a `.env` file into (key, value, line) settings; a later assignment of a key wins.
pub(super) fn parse(text: &str) -> Result<Vec<Flat>, DotenvError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<Flat> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let line = lines[index].trim_start_matches('\u{feff}').trim();
        index += 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line
            .strip_prefix("export ")
            .map(str::trim_start)
            .unwrap_or(line);
        let Some((key, rest)) = line.split_once('=') else {
            return Err(DotenvError {
                line: number,
                message: "expected `KEY=value`".to_string(),
            });
        };
        let key = key.trim();
        if !valid_key(key) {
            return Err(DotenvError {
                line: number,
                message: format!("expected a variable name before `=`, found `{key}`"),
            });
        }
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let mut body = rest[1..].to_string();
                loop {
                    if let Some(end) = closing(&body, quote) {
                        let value = &body[..end];
                        let after = body[end + 1..].trim();
                        if !after.is_empty() && !after.starts_with('#') {
                            return Err(DotenvError {
                                line: number,
                                message: "expected the end of the line after the closing quote"
                                    .to_string(),
                            });
                        }
                        break if quote == '"' {
                            unescape(value)
                        } else {
                            value.to_string()
                        };
                    }
                    let Some(next) = lines.get(index) else {
                        return Err(DotenvError {
                            line: number,
                            message: format!("expected a closing {quote} for this value"),
                        });
                    };
                    body.push('\n');
                    body.push_str(next);
                    index += 1;
                }
            }
            _ => match rest.find(" #") {
                Some(at) => rest[..at].trim_end().to_string(),
                None => rest.trim_end().to_string(),
            },
        };
        out.retain(|f| f.key != key);
        out.push(Flat {
            key: key.to_string(),
            value,
            line: number,
        });
    }
    Ok(out)
}

/// The byte index of the first unescaped `quote` in `body`.
fn closing(body: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (index, c) in body.char_indices() {
        if quote == '"' && c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        if c == quote && !escaped {
            return Some(index);
        }
        escaped = false;
    }
    None
}

/// True when most non-comment lines of `text` are `KEY=value` assignments: a `.env` file,
/// whatever its name (YAML saved as `*.env` fails this).
pub(super) fn looks_like_dotenv(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let assignments = lines
        .iter()
        .filter(|l| {
            let l = l.strip_prefix("export ").unwrap_or(l);
            l.split_once('=')
                .is_some_and(|(k, _)| valid_key(k.trim()) && !k.contains(':'))
        })
        .count();
    !lines.is_empty() && assignments * 3 >= lines.len() * 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String, u32)> {
        match parse(text) {
            Ok(flat) => flat.into_iter().map(|f| (f.key, f.value, f.line)).collect(),
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn reads_quotes_export_comments_and_multiline() {
        let text =
            "# comment\nexport A=1\nB=\"two\\nlines\"\nD=plain # note\nE=\"multi\nline\"\nF=\n";
        let got = pairs(text);
        assert_eq!(got[0], ("A".into(), "1".into(), 2));
        assert_eq!(got[1], ("B".into(), "two\nlines".into(), 3));
        assert_eq!(got[2], ("D".into(), "plain".into(), 4));
        assert_eq!(got[3], ("E".into(), "multi\nline".into(), 5));
        assert_eq!(got[4], ("F".into(), String::new(), 7));
    }

    #[test]
    fn single_quoted_stops_at_first_quote() {
        assert!(parse("C='it''s'\n").is_err());
        assert_eq!(pairs("C='a b'\n")[0].1, "a b");
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("A=1\nnot an assignment\n").err();
        assert_eq!(e.map(|e| e.line), Some(2));
        let e = parse("A=\"open\n").err();
        assert_eq!(e.map(|e| e.line), Some(1));
    }

    #[test]
    fn yaml_is_not_dotenv() {
        assert!(!looks_like_dotenv("A: \"1\"\nB: two\n"));
        assert!(looks_like_dotenv("A=1\nB=two\n"));
    }
}
