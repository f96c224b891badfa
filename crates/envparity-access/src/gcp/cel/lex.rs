//! Tokens of the Common Expression Language as IAM conditions write it: identifiers,
//! numbers, quoted strings (single, double, triple-quoted and raw), operators, punctuation.

/// One token with its byte offset in the expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    Ident(String),
    /// A number literal exactly as written (`1`, `2u`, `0.5`, `0x1f`).
    Number(String),
    Str(String),
    /// Operators and punctuation: `|| && ! == != < <= > >= + - * / % ( ) [ ] { } . , ? :`.
    Symbol(&'static str),
}

const SYMBOLS: [&str; 23] = [
    "||", "&&", "==", "!=", "<=", ">=", "!", "<", ">", "+", "-", "*", "/", "%", "(", ")", "[", "]",
    "{", "}", ".", ",", "?",
];

/// Splits an expression into tokens; `Err` with a one-line reason at the first bad character.
pub(crate) fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let quote = chars.get(i).copied();
            if matches!(word.as_str(), "r" | "R" | "b" | "B" | "br" | "rb")
                && matches!(quote, Some('"' | '\''))
            {
                let raw = word.contains(['r', 'R']);
                let (value, next) = string(&chars, i, raw)?;
                out.push(Token::Str(value));
                i = next;
                continue;
            }
            out.push(Token::Ident(word));
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.')
            {
                i += 1;
            }
            out.push(Token::Number(chars[start..i].iter().collect()));
            continue;
        }
        if c == '"' || c == '\'' {
            let (value, next) = string(&chars, i, false)?;
            out.push(Token::Str(value));
            i = next;
            continue;
        }
        if c == ':' {
            out.push(Token::Symbol(":"));
            i += 1;
            continue;
        }
        let two: String = chars
            .get(i..i + 2)
            .map(|s| s.iter().collect())
            .unwrap_or_default();
        if let Some(symbol) = SYMBOLS.iter().find(|s| s.len() == 2 && **s == two) {
            out.push(Token::Symbol(symbol));
            i += 2;
            continue;
        }
        if let Some(symbol) = SYMBOLS.iter().find(|s| s.len() == 1 && s.starts_with(c)) {
            out.push(Token::Symbol(symbol));
            i += 1;
            continue;
        }
        return Err(format!("unexpected character `{c}`"));
    }
    Ok(out)
}

/// A string literal starting at `start` (the opening quote); returns its value and the index
/// after the closing quote.
fn string(chars: &[char], start: usize, raw: bool) -> Result<(String, usize), String> {
    let quote = chars.get(start).copied().unwrap_or('"');
    let triple = chars.get(start + 1) == Some(&quote) && chars.get(start + 2) == Some(&quote);
    let mut i = start + if triple { 3 } else { 1 };
    let mut value = String::new();
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("unterminated string literal".to_string());
        };
        if c == quote
            && (!triple || (chars.get(i + 1) == Some(&quote) && chars.get(i + 2) == Some(&quote)))
        {
            return Ok((value, i + if triple { 3 } else { 1 }));
        }
        if !triple && (c == '\n' || c == '\r') {
            return Err("newline in a string literal".to_string());
        }
        if c == '\\' && !raw {
            let (decoded, next) = escape(chars, i)?;
            value.push(decoded);
            i = next;
            continue;
        }
        value.push(c);
        i += 1;
    }
}

/// The character of the escape sequence at `at` (a backslash) and the index after it.
fn escape(chars: &[char], at: usize) -> Result<(char, usize), String> {
    let Some(&kind) = chars.get(at + 1) else {
        return Err("unterminated escape sequence".to_string());
    };
    let simple = match kind {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'v' => Some('\u{b}'),
        '\\' | '\'' | '"' | '`' | '?' => Some(kind),
        _ => None,
    };
    if let Some(c) = simple {
        return Ok((c, at + 2));
    }
    let (len, radix) = match kind {
        'x' | 'X' => (2, 16),
        'u' => (4, 16),
        'U' => (8, 16),
        '0'..='3' => (3, 8),
        _ => return Err(format!("unknown escape sequence `\\{kind}`")),
    };
    let from = if radix == 8 { at + 1 } else { at + 2 };
    let digits: String = chars
        .get(from..from + len)
        .ok_or("unterminated escape sequence")?
        .iter()
        .collect();
    let code = u32::from_str_radix(&digits, radix)
        .map_err(|_| format!("bad escape sequence `\\{kind}{digits}`"))?;
    let c = char::from_u32(code).ok_or("escape sequence is not a character")?;
    Ok((c, from + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_symbols() {
        let t = tokens(r#"resource.name.startsWith('a\'b') && r"x\y" != """q"q""""#).unwrap();
        assert!(t.contains(&Token::Str("a'b".into())));
        assert!(t.contains(&Token::Str("x\\y".into())));
        assert!(t.contains(&Token::Str("q\"q".into())));
        assert!(t.contains(&Token::Symbol("&&")));
        assert!(tokens("'open").is_err());
        assert!(tokens("a # b").is_err());
    }
}
