//! A parser for the Common Expression Language (CEL) of IAM conditions into a plain syntax
//! tree, and a printer of that tree in one canonical form (the identity of an expression the
//! engine does not interpret). Precedence as in the CEL specification: `?:`, `||`, `&&`,
//! relations (`== != < <= > >= in`), `+ -`, `* / %`, unary `! -`, member access and calls.

mod lex;
mod print;

use lex::Token;
pub(crate) use print::{print, rename_strings};

/// Nesting beyond this is refused (a stack bound for hostile input).
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Expr {
    Bool(bool),
    Null,
    /// A number literal as written.
    Number(String),
    Str(String),
    Ident(String),
    Select(Box<Expr>, String),
    Call {
        target: Option<Box<Expr>>,
        function: String,
        args: Vec<Expr>,
    },
    Index(Box<Expr>, Box<Expr>),
    Unary(&'static str, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    List(Vec<Expr>),
    Map(Vec<(Expr, Expr)>),
}

/// Parses one expression; `Err` is a one-line reason.
pub(crate) fn parse(text: &str) -> Result<Expr, String> {
    let tokens = lex::tokens(text)?;
    let mut parser = Parser {
        tokens,
        at: 0,
        depth: 0,
    };
    let expr = parser.expr()?;
    match parser.tokens.get(parser.at) {
        None => Ok(expr),
        Some(t) => Err(format!("unexpected {} after the expression", describe(t))),
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Ident(s) | Token::Number(s) => format!("`{s}`"),
        Token::Str(_) => "string".to_string(),
        Token::Symbol(s) => format!("`{s}`"),
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

const RELATIONS: [&str; 6] = ["==", "!=", "<", "<=", ">", ">="];

impl Parser {
    fn peek_symbol(&self, symbol: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Symbol(s)) if *s == symbol)
    }

    fn eat(&mut self, symbol: &str) -> bool {
        let found = self.peek_symbol(symbol);
        if found {
            self.at += 1;
        }
        found
    }

    fn expect(&mut self, symbol: &str) -> Result<(), String> {
        if self.eat(symbol) {
            return Ok(());
        }
        match self.tokens.get(self.at) {
            Some(t) => Err(format!("expected `{symbol}`, found {}", describe(t))),
            None => Err(format!("expected `{symbol}` at the end of the expression")),
        }
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("the expression is nested too deeply".to_string());
        }
        let condition = self.binary(0)?;
        let out = if self.eat("?") {
            let then = self.expr()?;
            self.expect(":")?;
            let otherwise = self.expr()?;
            Expr::Ternary(Box::new(condition), Box::new(then), Box::new(otherwise))
        } else {
            condition
        };
        self.depth -= 1;
        Ok(out)
    }

    /// Binary levels: 0 `||`, 1 `&&`, 2 relations, 3 additive, 4 multiplicative.
    fn binary(&mut self, level: usize) -> Result<Expr, String> {
        if level > 4 {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        loop {
            let op = match (level, self.tokens.get(self.at)) {
                (0, Some(Token::Symbol("||"))) => "||",
                (1, Some(Token::Symbol("&&"))) => "&&",
                (2, Some(Token::Symbol(s))) if RELATIONS.contains(s) => s,
                (2, Some(Token::Ident(w))) if w == "in" => "in",
                (3, Some(Token::Symbol(s))) if matches!(*s, "+" | "-") => s,
                (4, Some(Token::Symbol(s))) if matches!(*s, "*" | "/" | "%") => s,
                _ => return Ok(left),
            };
            self.at += 1;
            let right = self.binary(level + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        for op in ["!", "-"] {
            if self.eat(op) {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err("the expression is nested too deeply".to_string());
                }
                let inner = self.unary()?;
                self.depth -= 1;
                return Ok(Expr::Unary(op, Box::new(inner)));
            }
        }
        self.member()
    }

    fn member(&mut self) -> Result<Expr, String> {
        let mut expr = self.primary()?;
        loop {
            if self.eat(".") {
                let Some(Token::Ident(name)) = self.tokens.get(self.at).cloned() else {
                    return Err("expected a field name after `.`".to_string());
                };
                self.at += 1;
                if self.eat("(") {
                    let args = self.list_until(")")?;
                    expr = Expr::Call {
                        target: Some(Box::new(expr)),
                        function: name,
                        args,
                    };
                } else {
                    expr = Expr::Select(Box::new(expr), name);
                }
            } else if self.eat("[") {
                let index = self.expr()?;
                self.expect("]")?;
                expr = Expr::Index(Box::new(expr), Box::new(index));
            } else {
                return Ok(expr);
            }
        }
    }

    /// Comma-separated expressions up to `close` (consumed); a trailing comma is allowed.
    fn list_until(&mut self, close: &str) -> Result<Vec<Expr>, String> {
        let mut items = Vec::new();
        while !self.eat(close) {
            items.push(self.expr()?);
            if !self.eat(",") {
                self.expect(close)?;
                break;
            }
        }
        Ok(items)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let Some(token) = self.tokens.get(self.at).cloned() else {
            return Err("the expression ends too early".to_string());
        };
        self.at += 1;
        match token {
            Token::Number(n) => Ok(Expr::Number(n)),
            Token::Str(s) => Ok(Expr::Str(s)),
            Token::Ident(word) => match word.as_str() {
                "true" => Ok(Expr::Bool(true)),
                "false" => Ok(Expr::Bool(false)),
                "null" => Ok(Expr::Null),
                _ if self.eat("(") => {
                    let args = self.list_until(")")?;
                    Ok(Expr::Call {
                        target: None,
                        function: word,
                        args,
                    })
                }
                _ => Ok(Expr::Ident(word)),
            },
            Token::Symbol("(") => {
                let inner = self.expr()?;
                self.expect(")")?;
                Ok(inner)
            }
            Token::Symbol("[") => Ok(Expr::List(self.list_until("]")?)),
            Token::Symbol("{") => {
                let mut entries = Vec::new();
                while !self.eat("}") {
                    let key = self.expr()?;
                    self.expect(":")?;
                    entries.push((key, self.expr()?));
                    if !self.eat(",") {
                        self.expect("}")?;
                        break;
                    }
                }
                Ok(Expr::Map(entries))
            }
            other => Err(format!("unexpected {}", describe(&other))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_printing() {
        let e = parse("a || b && !c == d").unwrap();
        assert_eq!(print(&e), "a || b && !c == d");
        let e = parse("(a || b) && c").unwrap();
        assert_eq!(print(&e), "(a || b) && c");
        let e = parse(
            "resource.name.startsWith('x')&&request.time<timestamp(\"2020-01-01T00:00:00Z\")",
        )
        .unwrap();
        assert_eq!(
            print(&e),
            "resource.name.startsWith(\"x\") && request.time < timestamp(\"2020-01-01T00:00:00Z\")"
        );
        let e = parse("x in ['a', 'b',] ? 1 : {'k': 2}[0]").unwrap();
        assert_eq!(print(&e), "x in [\"a\", \"b\"] ? 1 : {\"k\": 2}[0]");
    }

    #[test]
    fn printing_round_trips() {
        for text in [
            "a - (b - c)",
            "(a - b) - c",
            "!(a && b)",
            "-x.y[1]",
            "(a ? b : c) || d",
        ] {
            let once = print(&parse(text).unwrap());
            assert_eq!(print(&parse(&once).unwrap()), once, "{text}");
            assert_eq!(parse(&once).unwrap(), parse(text).unwrap(), "{text}");
        }
    }

    #[test]
    fn errors_are_one_line() {
        for bad in ["a &&", "(a", "a b", "f(", ".x", ""] {
            let e = parse(bad).unwrap_err();
            assert!(!e.contains('\n'), "{e}");
        }
        let deep = format!("{}a{}", "(".repeat(200), ")".repeat(200));
        assert!(parse(&deep).is_err());
        let deep = format!("{}a", "!".repeat(200));
        assert!(parse(&deep).is_err());
    }
}
