//! Condition operators and their concrete evaluation against a request context, following
//! iam-simulate: operator names case-insensitive; a missing key makes `...IfExists` and bare
//! negated operators true and positive operators false; `ForAnyValue` on a missing key is false,
//! `ForAllValues` true; a single-valued operator on a multivalued value does not match.
//!
//! Context convention: a key with exactly one value is single-valued; an empty list or a list
//! of two or more values is multivalued. Set operators read a single value as a set of one.

use std::collections::BTreeMap;

use super::glob::{Pattern, Wild};
use super::policy::Condition;
use super::template::{Template, lookup};
use super::values;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Qualifier {
    ForAllValues,
    ForAnyValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn test<T: PartialOrd>(self, request: T, policy: T) -> bool {
        match self {
            Cmp::Eq => request == policy,
            Cmp::Lt => request < policy,
            Cmp::Le => request <= policy,
            Cmp::Gt => request > policy,
            Cmp::Ge => request >= policy,
        }
    }
}

/// The operator without qualifier, `IfExists` and negation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    /// `String*` and `Arn*`.
    Str {
        wild: Wild,
        fold: bool,
    },
    Numeric(Cmp),
    Date(Cmp),
    Ip,
    Bool,
    Null,
}

/// The value types whose operators can share one key in the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Str,
    Numeric,
    Date,
    Ip,
    Bool,
    Null,
}

impl Base {
    pub(crate) fn kind(self) -> Kind {
        match self {
            Base::Str { .. } => Kind::Str,
            Base::Numeric(_) => Kind::Numeric,
            Base::Date(_) => Kind::Date,
            Base::Ip => Kind::Ip,
            Base::Bool => Kind::Bool,
            Base::Null => Kind::Null,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Operator {
    pub qualifier: Option<Qualifier>,
    pub base: Base,
    pub negated: bool,
    pub if_exists: bool,
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

impl Operator {
    /// `None` for operators outside the supported fragment (`BinaryEquals`, unknown names,
    /// qualified or `IfExists` forms of `Null`).
    pub(crate) fn parse(name: &str) -> Option<Operator> {
        let (qualifier, rest) = if let Some(r) = strip_prefix_ci(name, "ForAllValues:") {
            (Some(Qualifier::ForAllValues), r)
        } else if let Some(r) = strip_prefix_ci(name, "ForAnyValue:") {
            (Some(Qualifier::ForAnyValue), r)
        } else {
            (None, name)
        };
        let lower = rest.to_ascii_lowercase();
        let (base_name, if_exists) = match lower.strip_suffix("ifexists") {
            Some(b) => (b, true),
            None => (lower.as_str(), false),
        };
        let str_op = |wild, fold| Base::Str { wild, fold };
        let (base, negated) = match base_name {
            "stringequals" => (str_op(Wild::Exact, false), false),
            "stringnotequals" => (str_op(Wild::Exact, false), true),
            "stringequalsignorecase" => (str_op(Wild::Exact, true), false),
            "stringnotequalsignorecase" => (str_op(Wild::Exact, true), true),
            "stringlike" => (str_op(Wild::Glob, false), false),
            "stringnotlike" => (str_op(Wild::Glob, false), true),
            "arnequals" | "arnlike" => (str_op(Wild::Arn, false), false),
            "arnnotequals" | "arnnotlike" => (str_op(Wild::Arn, false), true),
            "numericequals" => (Base::Numeric(Cmp::Eq), false),
            "numericnotequals" => (Base::Numeric(Cmp::Eq), true),
            "numericlessthan" => (Base::Numeric(Cmp::Lt), false),
            "numericlessthanequals" => (Base::Numeric(Cmp::Le), false),
            "numericgreaterthan" => (Base::Numeric(Cmp::Gt), false),
            "numericgreaterthanequals" => (Base::Numeric(Cmp::Ge), false),
            "dateequals" => (Base::Date(Cmp::Eq), false),
            "datenotequals" => (Base::Date(Cmp::Eq), true),
            "datelessthan" => (Base::Date(Cmp::Lt), false),
            "datelessthanequals" => (Base::Date(Cmp::Le), false),
            "dategreaterthan" => (Base::Date(Cmp::Gt), false),
            "dategreaterthanequals" => (Base::Date(Cmp::Ge), false),
            "bool" => (Base::Bool, false),
            "ipaddress" => (Base::Ip, false),
            "notipaddress" => (Base::Ip, true),
            "null" if qualifier.is_none() && !if_exists => (Base::Null, false),
            _ => return None,
        };
        Some(Operator {
            qualifier,
            base,
            negated,
            if_exists,
        })
    }
}

/// The policy values of a condition, resolved against `context`: unresolvable values (a
/// variable without value) and values that do not parse for the operator are left out.
pub(crate) enum Values {
    Patterns(Vec<Pattern>),
    Numbers(Vec<f64>),
    Dates(Vec<i64>),
    Ranges(Vec<(values::Family, u128, u128)>),
    Bools(Vec<bool>),
}

pub(crate) fn policy_values(
    base: Base,
    raw: &[String],
    variables: bool,
    context: &BTreeMap<String, Vec<String>>,
) -> Values {
    let resolved = raw
        .iter()
        .filter_map(|v| Template::parse(v, variables).resolve(context));
    let text = |chars: Vec<(char, bool)>| chars.into_iter().map(|(c, _)| c).collect::<String>();
    match base {
        Base::Str { wild, fold } => {
            Values::Patterns(resolved.map(|c| Pattern::new(&c, wild, fold)).collect())
        }
        Base::Numeric(_) => {
            Values::Numbers(resolved.filter_map(|c| values::number(&text(c))).collect())
        }
        Base::Date(_) => Values::Dates(resolved.filter_map(|c| values::date(&text(c))).collect()),
        Base::Ip => Values::Ranges(resolved.filter_map(|c| values::cidr(&text(c))).collect()),
        Base::Bool | Base::Null => {
            Values::Bools(resolved.filter_map(|c| values::boolean(&text(c))).collect())
        }
    }
}

/// Whether one request value satisfies the positive form of the operator for some policy
/// value; `None` when the value is not of the operator's type.
pub(crate) fn value_matches(base: Base, values: &Values, v: &str) -> Option<bool> {
    match (base, values) {
        (Base::Str { .. }, Values::Patterns(ps)) => Some(ps.iter().any(|p| p.matches(v))),
        (Base::Numeric(cmp), Values::Numbers(ns)) => {
            let x = values::number(v)?;
            Some(ns.iter().any(|n| cmp.test(x, *n)))
        }
        (Base::Date(cmp), Values::Dates(ds)) => {
            let x = values::date(v)?;
            Some(ds.iter().any(|d| cmp.test(x, *d)))
        }
        (Base::Ip, Values::Ranges(rs)) => {
            let (family, a) = values::address(v)?;
            Some(
                rs.iter()
                    .any(|(f, lo, hi)| *f == family && *lo <= a && a <= *hi),
            )
        }
        (Base::Bool, Values::Bools(bs)) => {
            let b = values::boolean(v)?;
            Some(bs.contains(&b))
        }
        _ => None,
    }
}

/// Whether the condition holds for the request context. Unsupported operators never hold.
pub(crate) fn holds(
    condition: &Condition,
    variables: bool,
    context: &BTreeMap<String, Vec<String>>,
) -> bool {
    let Some(op) = Operator::parse(&condition.operator) else {
        return false;
    };
    let entry = lookup(context, &condition.key);
    let values = policy_values(op.base, &condition.values, variables, context);
    if op.base == Base::Null {
        let Values::Bools(bs) = values else {
            return false;
        };
        return bs.iter().any(|b| *b == entry.is_none());
    }
    let single = |v: &str| match value_matches(op.base, &values, v) {
        None => false,
        Some(m) => m != op.negated,
    };
    match (op.qualifier, entry) {
        (None, None) => op.if_exists || op.negated,
        (None, Some([one])) => single(one),
        (None, Some(_)) => false,
        (Some(Qualifier::ForAnyValue), None) => op.if_exists,
        (Some(Qualifier::ForAnyValue), Some(vs)) => vs.iter().any(|v| single(v)),
        (Some(Qualifier::ForAllValues), None) => true,
        (Some(Qualifier::ForAllValues), Some(vs)) => vs.iter().all(|v| single(v)),
    }
}
