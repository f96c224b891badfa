//! The canonical text of a CEL syntax tree: normalized spacing, double-quoted strings with
//! escapes, parentheses only where precedence needs them (so printing what was parsed from a
//! printed text gives that text back), and the renaming of string literals.

use std::fmt::Write as _;

use super::Expr;

/// Binding strength of a binary operator (higher binds tighter).
fn precedence(op: &str) -> u8 {
    match op {
        "||" => 1,
        "&&" => 2,
        "+" | "-" => 4,
        "*" | "/" | "%" => 5,
        _ => 3,
    }
}

/// A string literal in canonical form: double quotes, escapes for quote, backslash and
/// control characters.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The canonical text of an expression (normalized spacing, quotes and parentheses).
pub(crate) fn print(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(expr, 0, &mut out);
    out
}

fn join(items: &[Expr], out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_expr(item, 0, out);
    }
}

/// Writes `expr`; `min` is the least precedence it may have without parentheses.
fn write_expr(expr: &Expr, min: u8, out: &mut String) {
    match expr {
        Expr::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Expr::Null => out.push_str("null"),
        Expr::Number(n) => out.push_str(n),
        Expr::Str(s) => out.push_str(&quote(s)),
        Expr::Ident(name) => out.push_str(name),
        Expr::Select(target, field) => {
            write_expr(target, 7, out);
            out.push('.');
            out.push_str(field);
        }
        Expr::Call {
            target,
            function,
            args,
        } => {
            if let Some(target) = target {
                write_expr(target, 7, out);
                out.push('.');
            }
            out.push_str(function);
            out.push('(');
            join(args, out);
            out.push(')');
        }
        Expr::Index(target, index) => {
            write_expr(target, 7, out);
            out.push('[');
            write_expr(index, 0, out);
            out.push(']');
        }
        Expr::Unary(op, inner) => {
            out.push_str(op);
            write_expr(inner, 6, out);
        }
        Expr::Binary(op, left, right) => {
            let p = precedence(op);
            let wrap = p < min;
            if wrap {
                out.push('(');
            }
            write_expr(left, p, out);
            let _ = write!(out, " {op} ");
            write_expr(right, p + 1, out);
            if wrap {
                out.push(')');
            }
        }
        Expr::Ternary(c, a, b) => {
            if min != 0 {
                out.push('(');
            }
            write_expr(c, 1, out);
            out.push_str(" ? ");
            write_expr(a, 1, out);
            out.push_str(" : ");
            write_expr(b, 1, out);
            if min != 0 {
                out.push(')');
            }
        }
        Expr::List(items) => {
            out.push('[');
            join(items, out);
            out.push(']');
        }
        Expr::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(k, 0, out);
                out.push_str(": ");
                write_expr(v, 0, out);
            }
            out.push('}');
        }
    }
}

/// The expression with every string literal passed through `rename` (names of resources,
/// projects and tags written in the condition).
pub(crate) fn rename_strings(expr: &Expr, rename: &dyn Fn(&str) -> String) -> Expr {
    let r = |e: &Expr| Box::new(rename_strings(e, rename));
    let all = |items: &[Expr]| items.iter().map(|e| rename_strings(e, rename)).collect();
    match expr {
        Expr::Str(s) => Expr::Str(rename(s)),
        Expr::Select(t, f) => Expr::Select(r(t), f.clone()),
        Expr::Call {
            target,
            function,
            args,
        } => Expr::Call {
            target: target.as_ref().map(|t| r(t)),
            function: function.clone(),
            args: all(args),
        },
        Expr::Index(t, i) => Expr::Index(r(t), r(i)),
        Expr::Unary(op, e) => Expr::Unary(op, r(e)),
        Expr::Binary(op, a, b) => Expr::Binary(op, r(a), r(b)),
        Expr::Ternary(c, a, b) => Expr::Ternary(r(c), r(a), r(b)),
        Expr::List(items) => Expr::List(all(items)),
        Expr::Map(entries) => Expr::Map(
            entries
                .iter()
                .map(|(k, v)| (rename_strings(k, rename), rename_strings(v, rename)))
                .collect(),
        ),
        other => other.clone(),
    }
}
