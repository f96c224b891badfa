//! Sigma conditions: the normalized text (single spaces, lowercase keywords, no redundant
//! outer parentheses) and a parse into a small tree (`and`, `or`, `not`, `1 of`, `all of`),
//! with a nesting limit so that no condition can exhaust the stack.

/// Deepest nesting of parentheses and `not` a condition may have.
const MAX_DEPTH: usize = 64;

const KEYWORDS: [&str; 7] = ["and", "or", "not", "of", "all", "them", "any"];

/// A parsed condition (the part before an aggregation pipe `|`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigmaCondition {
    /// A search identifier.
    Search(String),
    /// `1 of <pattern>` (`them`: every search).
    AnyOf(String),
    /// `all of <pattern>`.
    AllOf(String),
    Not(Box<SigmaCondition>),
    And(Vec<SigmaCondition>),
    Or(Vec<SigmaCondition>),
}

impl SigmaCondition {
    /// The search identifiers and `of` patterns it names, in order of appearance.
    pub fn references(&self) -> Vec<&str> {
        let mut out = Vec::new();
        let mut pending = vec![self];
        while let Some(c) = pending.pop() {
            match c {
                SigmaCondition::Search(name)
                | SigmaCondition::AnyOf(name)
                | SigmaCondition::AllOf(name) => {
                    out.push(name.as_str());
                }
                SigmaCondition::Not(inner) => pending.push(inner),
                SigmaCondition::And(items) | SigmaCondition::Or(items) => {
                    pending.extend(items.iter().rev())
                }
            }
        }
        out
    }
}

/// Splits a condition into words, parentheses and pipes; keywords lowercased.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, out: &mut Vec<String>| {
        if !current.is_empty() {
            let word = std::mem::take(current);
            let lower = word.to_ascii_lowercase();
            out.push(if KEYWORDS.contains(&lower.as_str()) {
                lower
            } else {
                word
            });
        }
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut current, &mut out);
        } else if matches!(c, '(' | ')' | '|') {
            flush(&mut current, &mut out);
            out.push(c.to_string());
        } else {
            current.push(c);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// The condition as text in one normal form: `(Selection  AND not filter)` and
/// `selection and not filter` agree.
pub fn normalize_sigma_condition(text: &str) -> String {
    let mut tokens = tokens(text);
    let end = tokens.iter().position(|t| t == "|").unwrap_or(tokens.len());
    let (mut start, mut stop) = (0, end);
    while stop > start + 1
        && tokens[start] == "("
        && closing(&tokens[start..stop]) == Some(stop - start - 1)
    {
        start += 1;
        stop -= 1;
    }
    if (start, stop) != (0, end) {
        tokens.drain(stop..end);
        tokens.drain(..start);
    }
    let mut out = String::new();
    for (i, token) in tokens.iter().enumerate() {
        let glued = i == 0 || tokens[i - 1] == "(" || token == ")";
        if !glued {
            out.push(' ');
        }
        out.push_str(token);
    }
    out
}

/// The index of the parenthesis closing the one at index 0.
fn closing(tokens: &[String]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        match token.as_str() {
            "(" => depth += 1,
            ")" => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Parses a condition; the aggregation after `|` (if any) is returned normalized beside it.
/// Errors are one lowercase sentence.
pub fn parse_sigma_condition(text: &str) -> Result<(SigmaCondition, Option<String>), String> {
    let tokens = tokens(text);
    let end = tokens.iter().position(|t| t == "|").unwrap_or(tokens.len());
    let mut parser = Parser {
        tokens: &tokens[..end],
        at: 0,
        depth: 0,
    };
    let condition = parser.or()?;
    if let Some(extra) = parser.peek() {
        return Err(format!("unexpected `{extra}` in the condition"));
    }
    let aggregation = (end < tokens.len()).then(|| tokens[end + 1..].join(" "));
    Ok((condition, aggregation))
}

/// The search names a pattern of `1 of` / `all of` stands for: `them` is every search not
/// starting with `_`; `*` matches any run of characters.
pub fn expand_sigma_pattern<'a>(
    pattern: &str,
    names: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    names
        .into_iter()
        .filter(|name| {
            if pattern == "them" {
                !name.starts_with('_')
            } else {
                glob(pattern, name)
            }
        })
        .collect()
}

/// `*`-only glob matching, iterative (no backtracking blow-up beyond one saved position).
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

struct Parser<'a> {
    tokens: &'a [String],
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn next(&mut self) -> Option<&str> {
        let token = self.tokens.get(self.at).map(String::as_str);
        self.at += 1;
        token
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "the condition nests deeper than {MAX_DEPTH} levels"
            ));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<SigmaCondition, String> {
        self.enter()?;
        let mut items = vec![self.and()?];
        while self.peek() == Some("or") {
            self.at += 1;
            items.push(self.and()?);
        }
        self.depth -= 1;
        Ok(one_or(items, SigmaCondition::Or))
    }

    fn and(&mut self) -> Result<SigmaCondition, String> {
        let mut items = vec![self.unary()?];
        while self.peek() == Some("and") {
            self.at += 1;
            items.push(self.unary()?);
        }
        Ok(one_or(items, SigmaCondition::And))
    }

    fn unary(&mut self) -> Result<SigmaCondition, String> {
        if self.peek() != Some("not") {
            return self.atom();
        }
        self.at += 1;
        self.enter()?;
        let inner = self.unary()?;
        self.depth -= 1;
        Ok(SigmaCondition::Not(Box::new(inner)))
    }

    fn atom(&mut self) -> Result<SigmaCondition, String> {
        let token = match self.next() {
            None => return Err("the condition ends early".to_string()),
            Some(token) => token.to_string(),
        };
        match token.as_str() {
            "(" => {
                let inner = self.or()?;
                match self.next() {
                    Some(")") => Ok(inner),
                    _ => Err("expected `)` in the condition".to_string()),
                }
            }
            "1" | "any" | "all" if self.peek() == Some("of") => {
                self.at += 1;
                let pattern = match self.next() {
                    Some(p) if p != "(" && p != ")" && (p == "them" || !KEYWORDS.contains(&p)) => {
                        p.to_string()
                    }
                    _ => return Err(format!("expected a pattern after `{token} of`")),
                };
                Ok(if token == "all" {
                    SigmaCondition::AllOf(pattern)
                } else {
                    SigmaCondition::AnyOf(pattern)
                })
            }
            ")" => Err("unexpected `)` in the condition".to_string()),
            word if KEYWORDS.contains(&word) => {
                Err(format!("unexpected `{word}` in the condition"))
            }
            word => Ok(SigmaCondition::Search(word.to_string())),
        }
    }
}

fn one_or(
    mut items: Vec<SigmaCondition>,
    many: fn(Vec<SigmaCondition>) -> SigmaCondition,
) -> SigmaCondition {
    match (items.pop(), items.is_empty()) {
        (Some(only), true) => only,
        (Some(last), false) => {
            items.push(last);
            many(items)
        }
        (None, _) => many(items),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(name: &str) -> SigmaCondition {
        SigmaCondition::Search(name.to_string())
    }

    #[test]
    fn normal_form() {
        assert_eq!(
            normalize_sigma_condition("  selection\tAND  NOT 1 OF filter_* "),
            "selection and not 1 of filter_*"
        );
        assert_eq!(normalize_sigma_condition("((a or b))"), "a or b");
        assert_eq!(normalize_sigma_condition("(a) and (b)"), "(a) and (b)");
        assert_eq!(
            normalize_sigma_condition("( sel )| count( x ) by Y > 5"),
            "sel | count (x) by Y > 5"
        );
        assert_eq!(normalize_sigma_condition("Selection"), "Selection");
    }

    #[test]
    fn precedence_not_and_or() {
        let (parsed, aggregation) = parse_sigma_condition("a or not b and c").unwrap();
        assert_eq!(
            parsed,
            SigmaCondition::Or(vec![
                search("a"),
                SigmaCondition::And(vec![
                    SigmaCondition::Not(Box::new(search("b"))),
                    search("c")
                ]),
            ])
        );
        assert_eq!(aggregation, None);
        let (parsed, _) = parse_sigma_condition("(a or b) and all of filter*").unwrap();
        assert_eq!(
            parsed,
            SigmaCondition::And(vec![
                SigmaCondition::Or(vec![search("a"), search("b")]),
                SigmaCondition::AllOf("filter*".into()),
            ])
        );
        assert_eq!(parsed.references(), vec!["a", "b", "filter*"]);
        let (_, aggregation) = parse_sigma_condition("sel | count() > 5").unwrap();
        assert_eq!(aggregation.as_deref(), Some("count ( ) > 5"));
    }

    #[test]
    fn malformed_conditions_are_errors() {
        assert!(parse_sigma_condition("").is_err());
        assert!(parse_sigma_condition("a and").is_err());
        assert!(parse_sigma_condition("(a or b").is_err());
        assert!(parse_sigma_condition("a b").is_err());
        assert!(parse_sigma_condition("1 of").is_err());
        let deep = format!("{}a{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(parse_sigma_condition(&deep).is_err());
        let nots = format!("{}a", "not ".repeat(100_000));
        assert!(parse_sigma_condition(&nots).is_err());
    }

    #[test]
    fn patterns() {
        let names = ["selection", "filter_main_a", "filter_optional", "_hidden"];
        assert_eq!(
            expand_sigma_pattern("filter_*", names),
            vec!["filter_main_a", "filter_optional"]
        );
        assert_eq!(expand_sigma_pattern("them", names).len(), 3);
        assert_eq!(expand_sigma_pattern("sel*ion", names), vec!["selection"]);
        assert!(expand_sigma_pattern("nothing*", names).is_empty());
        assert!(glob("*a*b*", "xxaxxbxx"));
        assert!(!glob("*a*b", "xxaxxbxx"));
    }
}
