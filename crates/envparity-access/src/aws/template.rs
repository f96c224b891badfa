//! Policy variables in `Resource` and condition values: `${aws:username}`,
//! `${aws:PrincipalTag/team}`, `${key, 'default'}`, and the escapes `${*}`, `${?}`, `${$}`.

use std::collections::BTreeMap;

use super::glob::Char;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Text of the pattern; `*` and `?` may be wildcards.
    Text(char),
    /// A literal character from an escape.
    Escaped(char),
    Variable {
        key: String,
        default: Option<String>,
    },
}

/// A pattern's text with its variables located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template(Vec<Part>);

fn variable(inner: &str) -> Part {
    match inner.trim() {
        "*" => Part::Escaped('*'),
        "?" => Part::Escaped('?'),
        "$" => Part::Escaped('$'),
        other => match other.split_once(',') {
            Some((key, default)) => {
                let default = default.trim();
                let default = default
                    .strip_prefix('\'')
                    .and_then(|d| d.strip_suffix('\''))
                    .unwrap_or(default);
                Part::Variable {
                    key: key.trim().to_string(),
                    default: Some(default.to_string()),
                }
            }
            None => Part::Variable {
                key: other.to_string(),
                default: None,
            },
        },
    }
}

impl Template {
    /// Reads `text`; with `variables` off (policy `Version` 2008-10-17 or none), `${...}` is
    /// plain text.
    pub(crate) fn parse(text: &str, variables: bool) -> Template {
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if variables
                && let Some(after) = rest.strip_prefix("${")
                && let Some(end) = after.find('}')
            {
                parts.push(variable(after.get(..end).unwrap_or("")));
                rest = after.get(end + 1..).unwrap_or("");
                continue;
            }
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                parts.push(Part::Text(c));
            }
            rest = chars.as_str();
        }
        Template(parts)
    }

    /// The context keys the template reads.
    pub(crate) fn variables(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Part::Variable { key, .. } => Some(key.as_str()),
            _ => None,
        })
    }

    /// The characters after substitution from `context`; `None` when a variable has no single
    /// value in the context and no default (the pattern then matches nothing).
    pub(crate) fn resolve(&self, context: &BTreeMap<String, Vec<String>>) -> Option<Vec<Char>> {
        let mut out = Vec::with_capacity(self.0.len());
        for part in &self.0 {
            match part {
                Part::Text(c) => out.push((*c, true)),
                Part::Escaped(c) => out.push((*c, false)),
                Part::Variable { key, default } => {
                    let value = match lookup(context, key) {
                        Some([one]) => one.as_str(),
                        _ => default.as_deref()?,
                    };
                    out.extend(value.chars().map(|c| (c, false)));
                }
            }
        }
        Some(out)
    }
}

/// A context entry by key, compared ASCII case-insensitively (condition keys are
/// case-insensitive); with several spellings of one key, the first in map order.
pub(crate) fn lookup<'a>(
    context: &'a BTreeMap<String, Vec<String>>,
    key: &str,
) -> Option<&'a [String]> {
    context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes() {
        let mut ctx = BTreeMap::new();
        ctx.insert("aws:UserName".to_string(), vec!["bob".to_string()]);
        let t = Template::parse("a/${aws:username}/${*}${x, 'd'}", true);
        let chars: Option<String> = t.resolve(&ctx).map(|c| c.iter().map(|(c, _)| c).collect());
        assert_eq!(chars.as_deref(), Some("a/bob/*d"));
        assert_eq!(t.variables().collect::<Vec<_>>(), ["aws:username", "x"]);
        let off = Template::parse("${aws:username}", false);
        assert_eq!(off.variables().count(), 0);
        assert_eq!(Template::parse("${y}", true).resolve(&ctx), None);
    }
}
