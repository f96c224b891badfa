//! Go-template values files (`*.yaml.gotmpl`, helmfile overrides) rendered for one
//! environment: `if`/`else if`/`else`/`end` on `.Environment.Name` are decided, and
//! `{{ .Environment.Name }}` is replaced; every other action is kept as text, which later
//! makes its value a template (unknown until rendered). Skipped text keeps its line breaks,
//! so lines still point into the file.

use super::environments::same_environment;

struct Frame {
    /// True when the enclosing text is emitted.
    parent: bool,
    /// True when a branch of this `if` was already taken.
    taken: bool,
    /// True while the current branch is emitted.
    current: bool,
}

/// A template rendered for one environment: the text, where each action that could not be
/// evaluated stands as `__envparity_action_<n>__` (so the text parses as YAML), and those
/// actions' texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Rendered {
    pub text: String,
    pub actions: Vec<String>,
    /// Blocks left out because their condition depends on more than the environment name
    /// (`if .Values.x`, `range`, `with`): their settings are unknown.
    pub undecided: usize,
}

impl Rendered {
    /// `text` with the placeholders put back as the actions they stand for.
    pub fn restore(&self, text: &str) -> String {
        if !text.contains(PLACEHOLDER) {
            return text.to_string();
        }
        let mut out = text.to_string();
        for (index, action) in self.actions.iter().enumerate().rev() {
            out = out.replace(&placeholder(index), action);
        }
        out
    }
}

const PLACEHOLDER: &str = "__envparity_action_";

fn placeholder(index: usize) -> String {
    format!("{PLACEHOLDER}{index}__")
}

/// The text as rendered for `environment`; blocks whose condition depends on anything but the
/// environment name are left out and counted. `None` when the actions are unbalanced.
pub(super) fn render(text: &str, environment: &str) -> Option<Rendered> {
    let mut actions: Vec<String> = Vec::new();
    let mut undecided = 0;
    let mut out = String::with_capacity(text.len());
    let mut frames: Vec<Frame> = Vec::new();
    let mut rest = text;
    let emitting = |frames: &[Frame]| frames.last().is_none_or(|f| f.parent && f.current);
    while let Some(start) = rest.find("{{") {
        let (before, after) = rest.split_at(start);
        push(&mut out, before, emitting(&frames));
        let end = after.find("}}")?;
        let action = &after[2..end];
        rest = &after[end + 2..];
        let inner = action.trim_start_matches('-').trim_end_matches('-').trim();
        let words: Vec<&str> = inner.split_whitespace().collect();
        match words.first().copied() {
            Some("if") => {
                let on = emitting(&frames);
                let value = condition(&words[1..], environment);
                undecided += usize::from(value.is_none() && on);
                frames.push(Frame {
                    parent: on,
                    // An undecided block is left out whole: no branch is taken.
                    taken: value.unwrap_or(true),
                    current: value.unwrap_or(false),
                });
            }
            Some("else") => {
                let frame = frames.last_mut()?;
                if words.get(1) == Some(&"if") {
                    match condition(&words[2..], environment) {
                        Some(value) => {
                            frame.current = !frame.taken && value;
                            frame.taken |= value;
                        }
                        None => {
                            undecided += usize::from(frame.parent && !frame.taken);
                            frame.current = false;
                            frame.taken = true;
                        }
                    }
                } else {
                    frame.current = !frame.taken;
                    frame.taken = true;
                }
            }
            Some("end") => {
                frames.pop()?;
            }
            Some("range" | "with" | "define" | "block") => {
                undecided += usize::from(emitting(&frames));
                frames.push(Frame {
                    parent: emitting(&frames),
                    taken: true,
                    current: false,
                });
            }
            _ if inner == ".Environment.Name" => push(&mut out, environment, emitting(&frames)),
            _ => {
                let kept = placeholder(actions.len());
                actions.push(after[..end + 2].to_string());
                push(&mut out, &kept, emitting(&frames));
            }
        }
    }
    push(&mut out, rest, emitting(&frames));
    frames.is_empty().then_some(Rendered {
        text: out,
        actions,
        undecided,
    })
}

/// Emits `text`, or only its line breaks when it is skipped.
fn push(out: &mut String, text: &str, emit: bool) {
    if emit {
        out.push_str(text);
    } else {
        out.extend(text.chars().filter(|&c| c == '\n'));
    }
}

/// Decides a condition over the environment name: `eq .Environment.Name "a" ["b"...]`,
/// `ne ...`, `not (...)`, `and`/`or` of parenthesized conditions.
fn condition(words: &[&str], environment: &str) -> Option<bool> {
    let text = words.join(" ");
    let tokens = tokenize(&text)?;
    let mut position = 0;
    let value = expression(&tokens, &mut position, environment)?;
    (position == tokens.len()).then_some(value)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Word(String),
    Quoted(String),
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Token::Open);
            }
            ')' => {
                chars.next();
                out.push(Token::Close);
            }
            '"' => {
                chars.next();
                let mut value = String::new();
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => value.push(chars.next()?),
                        other => value.push(other),
                    }
                }
                out.push(Token::Quoted(value));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if matches!(c, ' ' | '\t' | '(' | ')' | '"') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                out.push(Token::Word(word));
            }
        }
    }
    Some(out)
}

/// One function call: `eq|ne .Environment.Name "x"...`, `not X`, `and|or X Y...`, or a
/// parenthesized call.
fn expression(tokens: &[Token], position: &mut usize, environment: &str) -> Option<bool> {
    match tokens.get(*position)? {
        Token::Open => {
            *position += 1;
            let value = expression(tokens, position, environment)?;
            (tokens.get(*position)? == &Token::Close).then_some(())?;
            *position += 1;
            Some(value)
        }
        Token::Word(function) => {
            *position += 1;
            match function.as_str() {
                "eq" | "ne" => {
                    (tokens.get(*position)? == &Token::Word(".Environment.Name".into()))
                        .then_some(())?;
                    *position += 1;
                    let mut any = false;
                    let mut count = 0;
                    while let Some(Token::Quoted(name)) = tokens.get(*position) {
                        any |= same_environment(environment, name);
                        count += 1;
                        *position += 1;
                    }
                    (count > 0).then_some(())?;
                    Some(if function == "eq" { any } else { !any })
                }
                "not" => expression(tokens, position, environment).map(|v| !v),
                "and" | "or" => {
                    let mut values = Vec::new();
                    while matches!(tokens.get(*position), Some(Token::Open)) {
                        values.push(expression(tokens, position, environment)?);
                    }
                    (values.len() >= 2).then_some(())?;
                    Some(if function == "and" {
                        values.iter().all(|v| *v)
                    } else {
                        values.iter().any(|v| *v)
                    })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a: 1\n{{ if eq .Environment.Name \"production\" }}\nb: prod\n{{ else if eq .Environment.Name \"staging\" \"dev\" }}\nb: stg\n{{ else }}\nb: other\n{{ end }}\nname: \"{{ .Environment.Name }}-x\"\nc: \"{{ requiredEnv \"X\" }}\"\n";

    #[test]
    fn decides_branches_and_keeps_lines() {
        let rendered = render(TEXT, "staging");
        let staging = rendered
            .as_ref()
            .map(|r| r.text.clone())
            .unwrap_or_default();
        assert!(staging.contains("b: stg") && !staging.contains("b: prod"));
        assert_eq!(staging.lines().count(), TEXT.lines().count());
        assert_eq!(staging.lines().nth(4), Some("b: stg"));
        assert!(staging.contains("name: \"staging-x\""));
        assert!(staging.contains("c: \"__envparity_action_0__\""));
        let restored = rendered.map(|r| r.restore(&staging)).unwrap_or_default();
        assert!(restored.contains("{{ requiredEnv \"X\" }}"));
        let production = render(TEXT, "production")
            .map(|r| r.text)
            .unwrap_or_default();
        assert!(production.contains("b: prod") && !production.contains("b: stg"));
        let other = render(TEXT, "qa").map(|r| r.text).unwrap_or_default();
        assert!(other.contains("b: other"));
    }

    #[test]
    fn combinators_and_aliases() {
        let text = "{{- if or (eq .Environment.Name \"prod\") (eq .Environment.Name \"dev\") -}}\nx: 1\n{{- end }}\n{{ if not (eq .Environment.Name \"production\") }}y: 2{{ end }}\n";
        let production = render(text, "production")
            .map(|r| r.text)
            .unwrap_or_default();
        assert!(production.contains("x: 1") && !production.contains("y: 2"));
        let staging = render(text, "staging").map(|r| r.text).unwrap_or_default();
        assert!(!staging.contains("x: 1") && staging.contains("y: 2"));
    }

    #[test]
    fn undecided_blocks_are_left_out_and_counted() {
        let text = "a: 1\n{{ if eq .Values.x \"true\" }}\nb: 2\n{{ else }}\nb: 3\n{{ end }}\n{{ range .list }}\nc: 4\n{{ end }}\nd: 5\n";
        let rendered = render(text, "staging");
        assert_eq!(rendered.as_ref().map(|r| r.undecided), Some(2));
        let out = rendered.map(|r| r.text).unwrap_or_default();
        assert!(out.contains("a: 1") && out.contains("d: 5"));
        assert!(!out.contains("b: ") && !out.contains("c: 4"));
    }

    #[test]
    fn unbalanced_actions_are_none() {
        assert_eq!(
            render("{{ if eq .Environment.Name \"a\" }}a", "staging"),
            None
        );
        assert_eq!(render("{{ end }}", "staging"), None);
        assert_eq!(render("a: {{ oops", "staging"), None);
    }
}
