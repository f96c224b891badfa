//! The IAM credential report: the CSV itself (`aws iam get-credential-report --query Content
//! --output text | base64 -d`) or the JSON output of `aws iam get-credential-report` whose
//! `Content` is base64 of it (or, as some collectors store it, the CSV text). Rows of the CSV
//! form are located at their CSV line; rows of the JSON form at the `Content` line, with the
//! CSV line named in messages.

use super::super::kube::decode_base64;
use super::super::yaml::Node;
use super::{Sink, date};
use crate::model::{AccessKeyInfo, CredentialReportRow, Level, Provenance};

const HEADER: &str = "user,arn,user_creation_time";

/// True when `text` starts with the credential report's header line.
pub fn is_credential_report(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with(HEADER)
}

/// Lowers a CSV file; returns the rows read.
pub fn from_csv(text: &str, sink: &mut Sink<'_>) -> usize {
    rows(text, None, sink)
}

pub fn from_json(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let Some(content) = doc.get("Content") else {
        return 0;
    };
    let text = content.text().unwrap_or_default();
    let csv = if is_credential_report(&text) {
        Some(text)
    } else {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        decode_base64(&compact)
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|csv| is_credential_report(csv))
    };
    match csv {
        Some(csv) => rows(&csv, Some(content.line), sink),
        None => {
            sink.diagnostic(
                Level::Error,
                Some(content.line),
                "`Content` is neither the credential report CSV nor base64 of it",
            );
            0
        }
    }
}

/// Where a CSV line is reported: at itself, or at the JSON `Content` line.
fn at(csv_line: u32, content_line: Option<u32>) -> (u32, String) {
    match content_line {
        Some(line) => (line, format!("credential report line {csv_line}: ")),
        None => (csv_line, String::new()),
    }
}

fn rows(text: &str, content_line: Option<u32>, sink: &mut Sink<'_>) -> usize {
    let records = match parse_csv(text.trim_start_matches('\u{feff}')) {
        Ok(records) => records,
        Err((line, message)) => {
            let (line, prefix) = at(line, content_line);
            sink.diagnostic(Level::Error, Some(line), format!("{prefix}{message}"));
            return 0;
        }
    };
    let Some((_, header)) = records.first() else {
        return 0;
    };
    let column = |name: &str| header.iter().position(|h| h == name);
    let (Some(user_at), Some(arn_at)) = (column("user"), column("arn")) else {
        let (line, prefix) = at(1, content_line);
        let message = format!("{prefix}the credential report header has no `user` or `arn` column");
        sink.diagnostic(Level::Error, Some(line), message);
        return 0;
    };
    let mut count = 0;
    for (csv_line, fields) in records.iter().skip(1) {
        let (line, prefix) = at(*csv_line, content_line);
        if fields.len() != header.len() {
            sink.diagnostic(
                Level::Error,
                Some(line),
                format!(
                    "{prefix}invalid credential report row: {} fields where the header has {}",
                    fields.len(),
                    header.len()
                ),
            );
            continue;
        }
        let cell = |name: &str| column(name).and_then(|i| fields.get(i)).map(String::as_str);
        let mut date_at = |name: &str| -> Option<String> {
            let text = cell(name)?.trim();
            match date::normalize_text(text) {
                Ok(date) => date,
                Err(()) => {
                    sink.diagnostics.push(crate::model::Diagnostic::new(
                        Level::Warning,
                        sink.path,
                        Some(line),
                        format!("{prefix}`{name}` is not a date: `{text}`; kept as found"),
                    ));
                    Some(text.to_string())
                }
            }
        };
        let mut access_keys = Vec::new();
        for slot in [1u8, 2] {
            let active = cell(&format!("access_key_{slot}_active")) == Some("true");
            let last_rotated = date_at(&format!("access_key_{slot}_last_rotated"));
            let last_used = date_at(&format!("access_key_{slot}_last_used_date"));
            if active || last_rotated.is_some() {
                access_keys.push(AccessKeyInfo {
                    slot,
                    active,
                    last_rotated,
                    last_used,
                });
            }
        }
        sink.aws.credential_report.push(CredentialReportRow {
            user: fields[user_at].clone(),
            arn: fields[arn_at].clone(),
            password_enabled: cell("password_enabled") == Some("true"),
            access_keys,
            provenance: Provenance::new(sink.path, Some(line)),
        });
        count += 1;
    }
    count
}

/// A CSV record: the 1-based line it starts on, and its fields.
type Record = (u32, Vec<String>);

/// RFC 4180 records; blank lines are skipped. An error names the line.
pub fn parse_csv(text: &str) -> Result<Vec<Record>, (u32, String)> {
    let mut records = Vec::new();
    let mut line: u32 = 1;
    let mut chars = text.chars().peekable();
    while chars.peek().is_some() {
        let start = line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut was_quoted = false;
        loop {
            let Some(c) = chars.next() else {
                if quoted {
                    return Err((start, "unterminated quoted field in CSV".to_string()));
                }
                break;
            };
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    '\n' => {
                        line += 1;
                        field.push(c);
                    }
                    _ => field.push(c),
                }
                continue;
            }
            match c {
                '"' if field.is_empty() && !was_quoted => {
                    quoted = true;
                    was_quoted = true;
                }
                '"' => {
                    return Err((line, "unexpected `\"` inside an unquoted CSV field".into()));
                }
                ',' => {
                    fields.push(std::mem::take(&mut field));
                    was_quoted = false;
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' => {
                    line += 1;
                    break;
                }
                _ if was_quoted => {
                    return Err((line, "unexpected text after a quoted CSV field".into()));
                }
                _ => field.push(c),
            }
        }
        fields.push(field);
        if !(fields.len() == 1 && fields[0].is_empty() && !was_quoted) {
            records.push((start, fields));
        }
    }
    Ok(records)
}
