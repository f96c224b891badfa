//! Java `.properties` files: `key=value`, `key: value` or `key value`, `#`/`!` comments,
//! backslash line continuations and the escapes of `java.util.Properties`.

use super::Flat;

/// Parses a properties file into (key, value, line) settings; a later key wins. Never fails:
/// every line is either blank, a comment or a (possibly empty-valued) key.
pub(super) fn parse(text: &str) -> Vec<Flat> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<Flat> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let first = lines[index].trim_start_matches('\u{feff}').trim_start();
        index += 1;
        if first.is_empty() || first.starts_with('#') || first.starts_with('!') {
            continue;
        }
        // A logical line: physical lines joined while one ends in an odd number of `\`.
        let mut logical = String::from(first);
        while ends_with_continuation(&logical) {
            logical.pop();
            match lines.get(index) {
                Some(next) => {
                    logical.push_str(next.trim_start());
                    index += 1;
                }
                None => break,
            }
        }
        let (key, value) = split(&logical);
        let key = unescape(key);
        if key.is_empty() {
            continue;
        }
        out.retain(|f| f.key != key);
        out.push(Flat {
            key,
            value: unescape(value),
            line: number,
        });
    }
    out
}

fn ends_with_continuation(line: &str) -> bool {
    line.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1
}

/// The key (up to the first unescaped `=`, `:` or whitespace) and the raw value.
fn split(line: &str) -> (&str, &str) {
    let mut escaped = false;
    for (index, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        if c == '=' || c == ':' || c.is_whitespace() {
            let key = &line[..index];
            let mut rest = line[index..].trim_start();
            if !c.is_whitespace() || rest.starts_with(['=', ':']) {
                rest = rest.strip_prefix(['=', ':']).map_or(rest, str::trim_start);
            }
            return (key, rest);
        }
    }
    (line, "")
}

/// Backslash escapes (`\n`, `\t`, `\r`, `\f`, `\uXXXX`, any other character as itself), as
/// Java properties and double-quoted `.env` values write them.
pub(super) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) if hex.len() == 4 => {
                        out.push(decoded);
                        for _ in 0..4 {
                            chars.next();
                        }
                    }
                    _ => out.push('u'),
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String, u32)> {
        parse(text)
            .into_iter()
            .map(|f| (f.key, f.value, f.line))
            .collect()
    }

    #[test]
    fn separators_comments_and_continuations() {
        let text =
            "# c\n! c\na=1\nb : two\nc three\nd = long \\\n    value\ne\\=x=y\nf=caf\\u00e9\n";
        let got = pairs(text);
        assert_eq!(got[0], ("a".into(), "1".into(), 3));
        assert_eq!(got[1], ("b".into(), "two".into(), 4));
        assert_eq!(got[2], ("c".into(), "three".into(), 5));
        assert_eq!(got[3], ("d".into(), "long value".into(), 6));
        assert_eq!(got[4], ("e=x".into(), "y".into(), 8));
        assert_eq!(got[5], ("f".into(), "café".into(), 9));
    }

    #[test]
    fn later_keys_win_and_bad_escapes_do_not_panic() {
        let got = pairs("a=1\na=2\nb=\\u12\nc=\\");
        assert_eq!(got[0], ("a".into(), "2".into(), 2));
        assert_eq!(got.len(), 3);
    }
}
