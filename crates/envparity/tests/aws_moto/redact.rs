//! Redaction of what moto makes up on every run (resource ids, secret ARN suffixes, dates)
//! so that the findings of a scenario snapshot the same on every machine and every run.

use serde_json::Value;

/// Resource-id prefixes moto fills with random hex digits.
const HEX_ID_PREFIXES: &[&str] = &["sg-", "sgr-", "vpc-", "subnet-", "igw-", "acl-", "rtb-"];
/// Unique-id prefixes of IAM and STS (followed by random upper-case letters and digits).
const IAM_ID_PREFIXES: &[&str] = &["AROA", "AIDA", "AGPA", "ANPA", "ASIA", "AKIA"];

/// Rewrites every string of `value` with [`redact_text`]; a finding that needed any
/// redaction also gets its fingerprint redacted, since the fingerprint digests those ids.
pub fn redact_findings(findings: &mut Value) {
    if let Value::Array(items) = findings {
        for finding in items {
            if redact_value(finding)
                && let Some(print) = finding.get_mut("fingerprint")
            {
                *print = Value::String("[fingerprint of redacted ids]".to_string());
            }
        }
    }
}

/// Redacts in place; true when something changed.
pub fn redact_value(value: &mut Value) -> bool {
    match value {
        Value::String(text) => {
            let redacted = redact_text(text);
            let changed = redacted != *text;
            *text = redacted;
            changed
        }
        Value::Array(items) => items.iter_mut().fold(false, |c, v| redact_value(v) | c),
        Value::Object(map) => map.values_mut().fold(false, |c, v| redact_value(v) | c),
        _ => false,
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Replaces random ids, secret ARN suffixes and ISO-8601 date-times in one string.
pub fn redact_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !is_word(chars[i - 1]) || chars[i] == ':';
        if boundary && let Some((len, replacement)) = random_token(&chars[i..]) {
            out.push_str(&replacement);
            i += len;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A random token starting at the beginning of `rest`: its length and its replacement.
fn random_token(rest: &[char]) -> Option<(usize, String)> {
    let starts = |prefix: &str| {
        rest.len() > prefix.len() && rest.iter().zip(prefix.chars()).all(|(a, b)| *a == b)
    };
    let run =
        |from: usize, ok: fn(char) -> bool| rest[from..].iter().take_while(|c| ok(**c)).count();
    for prefix in HEX_ID_PREFIXES {
        if starts(prefix) {
            let n = run(prefix.len(), |c| c.is_ascii_hexdigit());
            if n >= 8 && rest.get(prefix.len() + n).is_none_or(|c| !is_word(*c)) {
                return Some((prefix.len() + n, format!("{prefix}[id]")));
            }
        }
    }
    for prefix in IAM_ID_PREFIXES {
        if starts(prefix) {
            let n = run(prefix.len(), |c| {
                c.is_ascii_uppercase() || c.is_ascii_digit()
            });
            if n >= 12 {
                return Some((prefix.len() + n, format!("{prefix}[id]")));
            }
        }
    }
    if starts(":secret:") {
        // `…:secret:NAME-AbCdEf`: the six characters after the last dash are random.
        let len = 8 + run(8, |c| {
            !c.is_whitespace() && !matches!(c, '`' | '"' | ',' | ')')
        });
        let arn: String = rest[..len].iter().collect();
        if let Some((name, suffix)) = arn.rsplit_once('-')
            && suffix.len() == 6
            && suffix.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Some((len, format!("{name}-[random]")));
        }
    }
    date_time(rest).map(|len| (len, "[date-time]".to_string()))
}

/// The length of an ISO-8601 date-time (`2026-11-28T16:31:12`, optional fraction and zone).
fn date_time(rest: &[char]) -> Option<usize> {
    let shape = "dddd-dd-ddTdd:dd:dd";
    if rest.len() < shape.len()
        || !shape.chars().zip(rest).all(|(s, c)| match s {
            'd' => c.is_ascii_digit(),
            _ => s == *c,
        })
    {
        return None;
    }
    let mut len = shape.len();
    if rest.get(len) == Some(&'.') {
        len += 1 + rest[len + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
    }
    match rest.get(len) {
        Some('Z') => len += 1,
        Some('+' | '-') if rest.len() >= len + 6 && rest[len + 3] == ':' => len += 6,
        _ => {}
    }
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::redact_text;

    #[test]
    fn redacts_moto_ids_and_dates() {
        assert_eq!(
            redact_text("group `sg-0a1b2c3d4e5f67890` in vpc-12345678abcdef01"),
            "group `sg-[id]` in vpc-[id]"
        );
        assert_eq!(
            redact_text("arn:aws:secretsmanager:us-east-1:1:secret:stg/db/password-TEsPVJ"),
            "arn:aws:secretsmanager:us-east-1:1:secret:stg/db/password-[random]"
        );
        assert_eq!(
            redact_text("rotated 2026-11-28T16:31:12.123456Z, id AROARTXV5AHDRI6SCCI6E"),
            "rotated [date-time], id AROA[id]"
        );
        // Names that merely look alike stay.
        assert_eq!(
            redact_text("stg-web sg-web vpce-0a1b2c3d4e5f60718"),
            "stg-web sg-web vpce-0a1b2c3d4e5f60718"
        );
    }
}
