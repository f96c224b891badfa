//! Quoted scalars continued on lines indented no deeper than their key, which PyYAML and
//! go-yaml (Prometheus rule tests, Helm values) accept and the YAML parser rejects: such lines
//! are indented one column past the key. Leading spaces of a continuation line are folded
//! away, so no value changes, and no line moves.

/// The text with short continuation lines of quoted scalars indented, or `None` when no line
/// needed it.
pub fn reindent_quoted_continuations(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut changed = false;
    // The quote being continued and the column continuation lines must pass.
    let mut open: Option<(char, usize)> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches(' ').len();
        let (line, scan_from) = match open {
            Some((_, min)) if !body.trim().is_empty() && indent <= min => {
                changed = true;
                let padded = format!("{}{line}", " ".repeat(min + 1 - indent));
                (padded, min + 1)
            }
            _ => (line.to_string(), indent),
        };
        open = scan(&line, scan_from, open);
        out.push_str(&line);
    }
    changed.then_some(out)
}

/// Follows quotes through one line; returns the quote still open at its end, with the column
/// of the line's content (the key) that continuation lines must pass.
fn scan(line: &str, from: usize, open: Option<(char, usize)>) -> Option<(char, usize)> {
    let chars: Vec<char> = line.trim_end_matches(['\n', '\r']).chars().collect();
    let content = {
        let mut column = from.min(chars.len());
        while column < chars.len() && (chars[column] == ' ' || chars[column] == '-') {
            column += 1;
        }
        column
    };
    let mut quote = open;
    let mut index = from.min(chars.len());
    let mut previous = ' ';
    while index < chars.len() {
        let c = chars[index];
        match quote {
            Some((q, min)) => {
                if q == '"' && c == '\\' {
                    index += 2;
                    continue;
                }
                if c == q {
                    if q == '\'' && chars.get(index + 1) == Some(&'\'') {
                        index += 2;
                        continue;
                    }
                    quote = None;
                } else {
                    quote = Some((q, min));
                }
            }
            None => {
                if c == '#' && previous == ' ' {
                    break;
                }
                // A quote opens a scalar only where a value starts.
                let starts_value =
                    previous == ' ' || previous == '[' || previous == '{' || previous == ',';
                if (c == '\'' || c == '"') && starts_value && at_value_start(&chars, index) {
                    quote = Some((c, content.max(from)));
                }
            }
        }
        previous = c;
        index += 1;
    }
    quote
}

/// True when only spaces, `- ` and a `key:` come before `index` on the line, or a flow
/// indicator just before it.
fn at_value_start(chars: &[char], index: usize) -> bool {
    let before: String = chars[..index].iter().collect();
    let trimmed = before.trim_end();
    trimmed.is_empty()
        || trimmed.ends_with(':')
        || trimmed.ends_with('-')
        || trimmed.ends_with(['[', '{', ','])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_short_continuations_only() {
        let text = "t:\n  - s: 'h{\n      n\n    }'\n    v: don't\n";
        let fixed = reindent_quoted_continuations(text).unwrap_or_default();
        assert_eq!(fixed, "t:\n  - s: 'h{\n      n\n     }'\n    v: don't\n");
        assert_eq!(reindent_quoted_continuations("a: 'x'\nb: \"y\"\n"), None);
        assert_eq!(reindent_quoted_continuations("a: it's # 'q\nb: 1\n"), None);
    }
}
