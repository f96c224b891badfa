//! IAM conditions lowered to the fragment the engine decides: predicates on `resource.name`,
//! `resource.type` and `resource.service` (`==`, `!=`, `in`, `startsWith`, `endsWith`),
//! `request.time` compared with `timestamp("…")`, `resource.matchTag(key, value)` and
//! `resource.hasTagKey(key)`, combined with `&&`, `||`, `!` and parentheses. Every other
//! sub-expression is an opaque atom named by its canonical text: its truth is unknown, the
//! same text means the same truth on both sides, and nothing depending on it is ever proven.

use std::collections::BTreeMap;

use super::cel::{self, Expr};
use super::timestamp::Timestamp;

/// A string attribute of the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Attr {
    Name,
    Type,
    Service,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StrOp {
    Eq,
    Prefix,
    Suffix,
}

/// `request.time <op> at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimeOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

/// A predicate the engine decides, or an opaque one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Atom {
    Str {
        attr: Attr,
        op: StrOp,
        value: String,
    },
    Time {
        op: TimeOp,
        at: Timestamp,
    },
    /// `matchTag(key, value)` with a value, `hasTagKey(key)` without.
    Tag {
        key: String,
        value: Option<String>,
    },
    /// A sub-expression outside the fragment, by its canonical text.
    Opaque(String),
    /// A fact the inputs do not settle (a role without definition, a deny policy without its
    /// rules, an unknown ancestry), described by its text.
    Missing(String),
    /// "A permission no known role holds matches these deny patterns": open only together
    /// with a role without definition, which is the fact to report.
    Pattern(String),
}

/// A condition over atoms (indexes into an [`Atoms`] table).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cond {
    Const(bool),
    Atom(usize),
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
}

/// The atoms of one or more conditions, interned.
#[derive(Debug, Clone, Default)]
pub struct Atoms {
    pub list: Vec<Atom>,
    index: BTreeMap<Atom, usize>,
}

impl Atoms {
    pub fn intern(&mut self, atom: Atom) -> usize {
        if let Some(i) = self.index.get(&atom) {
            return *i;
        }
        let i = self.list.len();
        self.index.insert(atom.clone(), i);
        self.list.push(atom);
        i
    }

    pub fn get(&self, i: usize) -> Option<&Atom> {
        self.list.get(i)
    }
}

/// The canonical text of a condition expression: parsed and printed, or the trimmed text
/// when it does not parse.
pub fn canonical(expression: &str) -> String {
    match cel::parse(expression) {
        Ok(e) => cel::print(&e),
        Err(_) => expression.trim().to_string(),
    }
}

/// The expression with its string literals renamed (or, when it does not parse, the whole
/// text passed through `rename`).
pub fn rename_expression(expression: &str, rename: &dyn Fn(&str) -> String) -> String {
    match cel::parse(expression) {
        Ok(e) => cel::print(&cel::rename_strings(&e, rename)),
        Err(_) => rename(expression),
    }
}

/// Lowers an expression; text that does not parse is one opaque atom.
pub fn lower(expression: &str, atoms: &mut Atoms) -> Cond {
    match cel::parse(expression) {
        Ok(e) => lower_expr(&e, atoms),
        Err(_) => Cond::Atom(atoms.intern(Atom::Opaque(expression.trim().to_string()))),
    }
}

fn path(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Ident(name) => Some(name.clone()),
        Expr::Select(target, field) => Some(format!("{}.{field}", path(target)?)),
        _ => None,
    }
}

fn attr(expr: &Expr) -> Option<Attr> {
    match path(expr)?.as_str() {
        "resource.name" => Some(Attr::Name),
        "resource.type" => Some(Attr::Type),
        "resource.service" => Some(Attr::Service),
        _ => None,
    }
}

fn is_request_time(expr: &Expr) -> bool {
    path(expr).as_deref() == Some("request.time")
}

/// `timestamp("…")` with a valid RFC 3339 argument.
fn timestamp(expr: &Expr) -> Option<Timestamp> {
    match expr {
        Expr::Call {
            target: None,
            function,
            args,
        } if function == "timestamp" => match args.as_slice() {
            [Expr::Str(text)] => Timestamp::parse(text),
            _ => None,
        },
        _ => None,
    }
}

fn string(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Str(s) => Some(s),
        _ => None,
    }
}

fn opaque(expr: &Expr, atoms: &mut Atoms) -> Cond {
    Cond::Atom(atoms.intern(Atom::Opaque(cel::print(expr))))
}

fn time_op(op: &str, flipped: bool) -> Option<TimeOp> {
    let op = match (op, flipped) {
        ("<", false) | (">", true) => TimeOp::Lt,
        ("<=", false) | (">=", true) => TimeOp::Le,
        (">", false) | ("<", true) => TimeOp::Gt,
        (">=", false) | ("<=", true) => TimeOp::Ge,
        ("==", _) => TimeOp::Eq,
        _ => return None,
    };
    Some(op)
}

fn lower_expr(expr: &Expr, atoms: &mut Atoms) -> Cond {
    match expr {
        Expr::Bool(b) => Cond::Const(*b),
        Expr::Unary("!", inner) => Cond::Not(Box::new(lower_expr(inner, atoms))),
        Expr::Binary("&&", a, b) => Cond::And(vec![lower_expr(a, atoms), lower_expr(b, atoms)]),
        Expr::Binary("||", a, b) => Cond::Or(vec![lower_expr(a, atoms), lower_expr(b, atoms)]),
        Expr::Binary(op @ ("==" | "!="), a, b) => {
            let pair = match (attr(a), string(b), attr(b), string(a)) {
                (Some(at), Some(v), _, _) | (_, _, Some(at), Some(v)) => Some((at, v)),
                _ => None,
            };
            let atom = match pair {
                Some((attr, value)) => Some(Atom::Str {
                    attr,
                    op: StrOp::Eq,
                    value: value.to_string(),
                }),
                None if time_comparison("==", a, b).is_some() => timestamp(a)
                    .or_else(|| timestamp(b))
                    .map(|at| Atom::Time { op: TimeOp::Eq, at }),
                None => None,
            };
            match atom {
                Some(atom) if *op == "==" => Cond::Atom(atoms.intern(atom)),
                Some(atom) => Cond::Not(Box::new(Cond::Atom(atoms.intern(atom)))),
                None => opaque(expr, atoms),
            }
        }
        Expr::Binary(op @ ("<" | "<=" | ">" | ">="), a, b) => {
            time_atom(op, a, b, atoms).unwrap_or_else(|| opaque(expr, atoms))
        }
        Expr::Binary("in", a, b) => match (attr(a), &**b) {
            (Some(attr), Expr::List(items)) if items.iter().all(|i| string(i).is_some()) => {
                Cond::Or(
                    items
                        .iter()
                        .filter_map(string)
                        .map(|v| {
                            Cond::Atom(atoms.intern(Atom::Str {
                                attr,
                                op: StrOp::Eq,
                                value: v.to_string(),
                            }))
                        })
                        .collect(),
                )
            }
            _ => opaque(expr, atoms),
        },
        Expr::Call {
            target: Some(target),
            function,
            args,
        } => call(expr, target, function, args, atoms),
        _ => opaque(expr, atoms),
    }
}

fn time_comparison(op: &str, a: &Expr, b: &Expr) -> Option<TimeOp> {
    if is_request_time(a) && timestamp(b).is_some() {
        time_op(op, false)
    } else if is_request_time(b) && timestamp(a).is_some() {
        time_op(op, true)
    } else {
        None
    }
}

fn time_atom(op: &str, a: &Expr, b: &Expr, atoms: &mut Atoms) -> Option<Cond> {
    let time_op = time_comparison(op, a, b)?;
    let at = timestamp(b).or_else(|| timestamp(a))?;
    Some(Cond::Atom(atoms.intern(Atom::Time { op: time_op, at })))
}

fn call(expr: &Expr, target: &Expr, function: &str, args: &[Expr], atoms: &mut Atoms) -> Cond {
    let strings: Option<Vec<&str>> = args.iter().map(string).collect();
    let Some(strings) = strings else {
        return opaque(expr, atoms);
    };
    if let (Some(attr), [value]) = (attr(target), strings.as_slice()) {
        let op = match function {
            "startsWith" => Some(StrOp::Prefix),
            "endsWith" => Some(StrOp::Suffix),
            _ => None,
        };
        if let Some(op) = op {
            let atom = Atom::Str {
                attr,
                op,
                value: value.to_string(),
            };
            return Cond::Atom(atoms.intern(atom));
        }
    }
    if path(target).as_deref() == Some("resource") {
        let atom = match (function, strings.as_slice()) {
            ("matchTag", [key, value]) => Some(Atom::Tag {
                key: key.to_string(),
                value: Some(value.to_string()),
            }),
            ("hasTagKey", [key]) => Some(Atom::Tag {
                key: key.to_string(),
                value: None,
            }),
            _ => None,
        };
        if let Some(atom) = atom {
            return Cond::Atom(atoms.intern(atom));
        }
    }
    opaque(expr, atoms)
}

/// What a concrete request offers the condition's atoms.
pub trait Facts {
    fn string(&self, attr: Attr) -> &str;
    fn time(&self) -> Timestamp;
    fn tag(&self, key: &str) -> Option<&str>;
}

/// The truth of a decided atom for a request; `None` for opaque atoms.
pub fn atom_holds(atom: &Atom, facts: &dyn Facts) -> Option<bool> {
    match atom {
        Atom::Str { attr, op, value } => {
            let s = facts.string(*attr);
            Some(match op {
                StrOp::Eq => s == value,
                StrOp::Prefix => s.starts_with(value.as_str()),
                StrOp::Suffix => s.ends_with(value.as_str()),
            })
        }
        Atom::Time { op, at } => {
            let t = facts.time();
            Some(match op {
                TimeOp::Lt => t < *at,
                TimeOp::Le => t <= *at,
                TimeOp::Gt => t > *at,
                TimeOp::Ge => t >= *at,
                TimeOp::Eq => t == *at,
            })
        }
        Atom::Tag { key, value } => Some(match (facts.tag(key), value) {
            (Some(found), Some(wanted)) => found == wanted,
            (Some(_), None) => true,
            (None, _) => false,
        }),
        Atom::Opaque(_) | Atom::Missing(_) | Atom::Pattern(_) => None,
    }
}

impl Cond {
    /// Three-valued evaluation (`None`: depends on an atom `value` cannot decide).
    pub fn eval(&self, value: &dyn Fn(usize) -> Option<bool>) -> Option<bool> {
        match self {
            Cond::Const(b) => Some(*b),
            Cond::Atom(i) => value(*i),
            Cond::Not(inner) => inner.eval(value).map(|b| !b),
            Cond::And(items) => {
                let mut unknown = false;
                for item in items {
                    match item.eval(value) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                (!unknown).then_some(true)
            }
            Cond::Or(items) => {
                let mut unknown = false;
                for item in items {
                    match item.eval(value) {
                        Some(true) => return Some(true),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                (!unknown).then_some(false)
            }
        }
    }

    /// The condition with every atom `value` decides replaced by its truth, simplified.
    pub fn partial(&self, value: &dyn Fn(usize) -> Option<bool>) -> Cond {
        match self {
            Cond::Const(b) => Cond::Const(*b),
            Cond::Atom(i) => match value(*i) {
                Some(b) => Cond::Const(b),
                None => Cond::Atom(*i),
            },
            Cond::Not(inner) => match inner.partial(value) {
                Cond::Const(b) => Cond::Const(!b),
                other => Cond::Not(Box::new(other)),
            },
            Cond::And(items) => junction(items, value, false),
            Cond::Or(items) => junction(items, value, true),
        }
    }

    /// Every atom the condition mentions.
    pub fn atoms(&self, out: &mut Vec<usize>) {
        match self {
            Cond::Const(_) => {}
            Cond::Atom(i) => out.push(*i),
            Cond::Not(inner) => inner.atoms(out),
            Cond::And(items) | Cond::Or(items) => items.iter().for_each(|i| i.atoms(out)),
        }
    }
}

/// `And` (`absorbing` false) or `Or` (`absorbing` true) of partially evaluated items.
fn junction(items: &[Cond], value: &dyn Fn(usize) -> Option<bool>, absorbing: bool) -> Cond {
    let mut rest = Vec::new();
    for item in items {
        match item.partial(value) {
            Cond::Const(b) if b == absorbing => return Cond::Const(absorbing),
            Cond::Const(_) => {}
            other => rest.push(other),
        }
    }
    match rest.len() {
        0 => Cond::Const(!absorbing),
        1 => rest.pop().unwrap_or(Cond::Const(!absorbing)),
        _ if absorbing => Cond::Or(rest),
        _ => Cond::And(rest),
    }
}
