//! PEM text → blocks with their lines: `-----BEGIN <label>-----` … `-----END <label>-----`,
//! RFC 1421 headers skipped, the base64 body kept as text. Nothing is decoded here, so a
//! private key's body is never more than text the caller fingerprints.

/// One PEM block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The label between `BEGIN ` and the dashes (`CERTIFICATE`, `PRIVATE KEY`).
    pub label: String,
    /// 1-based line of the `BEGIN` line within the scanned text.
    pub line: u32,
    /// The base64 body without whitespace.
    pub body: String,
    /// The first body line holding a character outside the base64 alphabet, if any.
    pub bad_line: Option<u32>,
}

/// A block that does not close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unterminated {
    pub label: String,
    pub line: u32,
}

/// Where a block's scan is: just after `BEGIN`, in RFC 1421 headers, or in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Headers,
    Body,
}

fn begin_label(line: &str) -> Option<&str> {
    line.strip_prefix("-----BEGIN ")?.strip_suffix("-----")
}

fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// True when some line of `text` starts, at its first column, a PEM block: what makes a
/// file a PEM file. Indented blocks (inside YAML, say) do not count.
pub fn starts_a_block(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .lines()
        .any(|line| begin_label(line.trim_end()).is_some_and(|l| !l.is_empty()))
}

/// True when `text` holds a PEM block anywhere (indented or not).
pub fn holds_a_block(text: &str) -> bool {
    text.contains("-----BEGIN ")
}

fn is_base64(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')
}

/// The blocks of `text`, in order, and the blocks that never reach their `END` line.
pub fn blocks(text: &str) -> (Vec<Block>, Vec<Unterminated>) {
    let mut found = Vec::new();
    let mut open_ended = Vec::new();
    let mut current: Option<(Block, State)> = None;
    for (index, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = raw.trim();
        if let Some(label) = begin_label(line) {
            if let Some((block, _)) = current.take() {
                open_ended.push(Unterminated {
                    label: block.label,
                    line: block.line,
                });
            }
            let block = Block {
                label: label.to_string(),
                line: line_number(index),
                body: String::new(),
                bad_line: None,
            };
            current = Some((block, State::Start));
            continue;
        }
        let Some((block, state)) = current.as_mut() else {
            continue;
        };
        if let Some(label) = line
            .strip_prefix("-----END ")
            .and_then(|l| l.strip_suffix("-----"))
        {
            if label == block.label {
                if let Some((block, _)) = current.take() {
                    found.push(block);
                }
            } else {
                // An END of another label: the open block is broken.
                if let Some((block, _)) = current.take() {
                    open_ended.push(Unterminated {
                        label: block.label,
                        line: block.line,
                    });
                }
            }
            continue;
        }
        match *state {
            // RFC 1421 headers (`Proc-Type: …`) come first and end at a blank line.
            State::Start if line.contains(':') => {
                *state = State::Headers;
                continue;
            }
            State::Headers if line.is_empty() => {
                *state = State::Body;
                continue;
            }
            State::Headers if line.contains(':') || raw.starts_with([' ', '\t']) => continue,
            _ => *state = State::Body,
        }
        if block.bad_line.is_none() && !line.chars().all(is_base64) {
            block.bad_line = Some(line_number(index));
        }
        block
            .body
            .extend(line.chars().filter(|c| !c.is_whitespace()));
    }
    if let Some((block, _)) = current {
        open_ended.push(Unterminated {
            label: block.label,
            line: block.line,
        });
    }
    (found, open_ended)
}

/// True for labels holding a certificate (OpenSSL's trusted form included).
pub fn is_certificate(label: &str) -> bool {
    matches!(
        label,
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE"
    )
}

/// True for labels holding a private key (PKCS#1, PKCS#8, SEC 1, encrypted, OpenSSH, …).
pub fn is_private_key(label: &str) -> bool {
    label.contains("PRIVATE KEY")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blocks_with_lines() {
        let text = "subject=CN=x\n-----BEGIN CERTIFICATE-----\nAAAA\nBBBB\n-----END CERTIFICATE-----\n\n-----BEGIN PRIVATE KEY-----\nCCCC\n-----END PRIVATE KEY-----\n";
        let (found, open) = blocks(text);
        assert!(open.is_empty());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].label, "CERTIFICATE");
        assert_eq!(found[0].line, 2);
        assert_eq!(found[0].body, "AAAABBBB");
        assert_eq!(found[1].line, 7);
        assert!(starts_a_block(text));
    }

    #[test]
    fn headers_bad_characters_and_unterminated_blocks() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nQUJD\n-----END RSA PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nAB*D\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAAAA\n";
        let (found, open) = blocks(text);
        assert_eq!(found[0].body, "QUJD");
        assert_eq!(found[1].bad_line, Some(8));
        assert_eq!(
            open,
            vec![Unterminated {
                label: "CERTIFICATE".to_string(),
                line: 10
            }]
        );
    }

    #[test]
    fn indented_blocks_do_not_make_a_pem_file() {
        assert!(!starts_a_block("ca: |\n  -----BEGIN CERTIFICATE-----\n"));
        assert!(holds_a_block("ca: |\n  -----BEGIN CERTIFICATE-----\n"));
        assert!(!starts_a_block("-----BEGIN -----\n"));
    }
}
