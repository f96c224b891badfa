//! DER → [`CertificateFacts`] with x509-parser: names, serial, SHA-256, SANs, basic
//! constraints, key algorithm and size, signature digest, validity and key identifiers.

use sha2::{Digest, Sha256};
use x509_parser::certificate::X509Certificate;
use x509_parser::error::X509Error;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::public_key::PublicKey;
use x509_parser::signature_algorithm::RsaSsaPssParams;
use x509_parser::x509::{AlgorithmIdentifier, X509Name};

use crate::model::{
    CertificateFacts, CertificateOrigin, ChainFacts, KeyAlgorithm, KeyFacts, SignatureFacts,
};

/// The longest text kept from a certificate field (names, SANs): a hostile certificate cannot
/// make messages arbitrarily long.
const MAX_FIELD_CHARS: usize = 512;

/// Control characters out, backticks (which quote values in messages) replaced, length capped.
fn clean(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(MAX_FIELD_CHARS)
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect();
    if text.chars().count() > MAX_FIELD_CHARS {
        out.push('…');
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses one DER certificate. Trailing bytes are allowed (OpenSSL's `TRUSTED CERTIFICATE`
/// appends trust settings). The error is a phrase: "not an X.509 certificate (…)".
pub fn certificate(der: &[u8], origin: CertificateOrigin) -> Result<CertificateFacts, String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).map_err(|e| {
        let reason = match e {
            x509_parser::nom::Err::Incomplete(_) => "the data is truncated".to_string(),
            x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => match e {
                X509Error::NomError(_) | X509Error::Der(_) => "malformed DER".to_string(),
                e => e.to_string(),
            },
        };
        format!(
            "not an X.509 certificate ({})",
            clean(&reason).replace('\n', " ")
        )
    })?;
    let used = der.len().min(cert.as_raw().len());
    Ok(facts(&cert, &der[..used], origin))
}

fn name(name: &X509Name<'_>) -> String {
    clean(&name.to_string())
}

fn facts(cert: &X509Certificate<'_>, der: &[u8], origin: CertificateOrigin) -> CertificateFacts {
    let subject = name(cert.subject());
    let issuer = name(cert.issuer());
    let common_name = cert
        .subject()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(clean);
    let (is_ca, path_len) = match cert.basic_constraints() {
        Ok(Some(bc)) => (bc.value.ca, bc.value.path_len_constraint),
        _ => (false, None),
    };
    let mut subject_key_id = None;
    let mut authority_key_id = None;
    for extension in cert.extensions() {
        match extension.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => subject_key_id = Some(hex(id.0)),
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                authority_key_id = aki.key_identifier.as_ref().map(|id| hex(id.0));
            }
            _ => {}
        }
    }
    let same_name = cert.subject().as_raw() == cert.issuer().as_raw();
    let ids_agree = match (&subject_key_id, &authority_key_id) {
        (Some(s), Some(a)) => s == a,
        _ => true,
    };
    let validity = cert.validity();
    let not_before = validity.not_before.timestamp();
    let not_after = validity.not_after.timestamp();
    CertificateFacts {
        subject,
        issuer,
        common_name,
        serial: hex(cert.raw_serial()),
        sha256: hex(&Sha256::digest(der)),
        sans: sans(cert),
        is_ca,
        path_len,
        key: key(&cert.tbs_certificate.subject_pki.algorithm, cert),
        signature: signature(&cert.signature_algorithm),
        not_before,
        not_after,
        not_before_rfc3339: rfc3339(not_before),
        not_after_rfc3339: rfc3339(not_after),
        self_signed: same_name && ids_agree,
        subject_key_id,
        authority_key_id,
        origin,
        chain: ChainFacts::default(),
    }
}

fn sans(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(san)) = cert.subject_alternative_name() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for general in &san.value.general_names {
        let text = match general {
            GeneralName::DNSName(name) => format!("DNS:{name}"),
            GeneralName::RFC822Name(mail) => format!("email:{mail}"),
            GeneralName::URI(uri) => format!("URI:{uri}"),
            GeneralName::IPAddress(bytes) => match bytes.len() {
                4 => {
                    let octets: [u8; 4] = [bytes[0], bytes[1], bytes[2], bytes[3]];
                    format!("IP:{}", std::net::Ipv4Addr::from(octets))
                }
                16 => {
                    let mut octets = [0u8; 16];
                    octets.copy_from_slice(bytes);
                    format!("IP:{}", std::net::Ipv6Addr::from(octets))
                }
                _ => format!("IP:{}", hex(bytes)),
            },
            _ => continue,
        };
        out.push(clean(&text));
    }
    out
}

/// (curve name, bits) of the named curves in use.
fn curve(oid: &str) -> Option<(&'static str, u32)> {
    Some(match oid {
        "1.2.840.10045.3.1.1" => ("P-192", 192),
        "1.3.132.0.33" => ("P-224", 224),
        "1.2.840.10045.3.1.7" => ("P-256", 256),
        "1.3.132.0.34" => ("P-384", 384),
        "1.3.132.0.35" => ("P-521", 521),
        "1.3.132.0.10" => ("secp256k1", 256),
        "1.3.36.3.3.2.8.1.1.7" => ("brainpoolP256r1", 256),
        "1.3.36.3.3.2.8.1.1.11" => ("brainpoolP384r1", 384),
        "1.3.36.3.3.2.8.1.1.13" => ("brainpoolP512r1", 512),
        _ => return None,
    })
}

/// Bits of a big-endian unsigned integer (leading zero bytes ignored).
fn bit_length(bytes: &[u8]) -> u32 {
    let trimmed: &[u8] = match bytes.iter().position(|&b| b != 0) {
        Some(start) => &bytes[start..],
        None => return 0,
    };
    let whole = u32::try_from(trimmed.len().saturating_sub(1)).unwrap_or(u32::MAX / 16);
    whole.saturating_mul(8) + (8 - trimmed[0].leading_zeros())
}

fn key(algorithm: &AlgorithmIdentifier<'_>, cert: &X509Certificate<'_>) -> KeyFacts {
    let oid = algorithm.algorithm.to_id_string();
    let parsed = cert.public_key().parsed().ok();
    let mut facts = KeyFacts {
        algorithm: KeyAlgorithm::Other,
        bits: None,
        curve: None,
        oid: None,
    };
    match oid.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
            facts.algorithm = KeyAlgorithm::Rsa;
            if let Some(PublicKey::RSA(rsa)) = &parsed {
                facts.bits = Some(bit_length(rsa.modulus));
            }
        }
        "1.2.840.10045.2.1" => {
            facts.algorithm = KeyAlgorithm::Ec;
            let named = algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string());
            match named.as_deref().and_then(curve) {
                Some((name, bits)) => {
                    facts.curve = Some(name.to_string());
                    facts.bits = Some(bits);
                }
                None => facts.curve = Some(named.unwrap_or_else(|| "explicit".to_string())),
            }
        }
        "1.3.101.112" => facts.algorithm = KeyAlgorithm::Ed25519,
        "1.3.101.113" => facts.algorithm = KeyAlgorithm::Ed448,
        "1.2.840.10040.4.1" => {
            facts.algorithm = KeyAlgorithm::Dsa;
            if let Some(PublicKey::DSA(y)) = &parsed {
                facts.bits = Some(bit_length(y));
            }
        }
        _ => facts.oid = Some(oid),
    }
    facts
}

fn hash_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.2.2" => "md2",
        "1.2.840.113549.2.5" => "md5",
        "1.3.14.3.2.26" => "sha1",
        "2.16.840.1.101.3.4.2.4" => "sha224",
        "2.16.840.1.101.3.4.2.1" => "sha256",
        "2.16.840.1.101.3.4.2.2" => "sha384",
        "2.16.840.1.101.3.4.2.3" => "sha512",
        _ => return None,
    })
}

/// (name, digest) of the signature algorithms in use.
fn signature_name(oid: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match oid {
        "1.2.840.113549.1.1.2" => ("md2WithRSAEncryption", Some("md2")),
        "1.2.840.113549.1.1.4" => ("md5WithRSAEncryption", Some("md5")),
        "1.2.840.113549.1.1.5" => ("sha1WithRSAEncryption", Some("sha1")),
        "1.3.14.3.2.29" => ("sha1WithRSASignature", Some("sha1")),
        "1.2.840.113549.1.1.14" => ("sha224WithRSAEncryption", Some("sha224")),
        "1.2.840.113549.1.1.11" => ("sha256WithRSAEncryption", Some("sha256")),
        "1.2.840.113549.1.1.12" => ("sha384WithRSAEncryption", Some("sha384")),
        "1.2.840.113549.1.1.13" => ("sha512WithRSAEncryption", Some("sha512")),
        "1.2.840.10045.4.1" => ("ecdsa-with-SHA1", Some("sha1")),
        "1.2.840.10045.4.3.1" => ("ecdsa-with-SHA224", Some("sha224")),
        "1.2.840.10045.4.3.2" => ("ecdsa-with-SHA256", Some("sha256")),
        "1.2.840.10045.4.3.3" => ("ecdsa-with-SHA384", Some("sha384")),
        "1.2.840.10045.4.3.4" => ("ecdsa-with-SHA512", Some("sha512")),
        "1.2.840.10040.4.3" => ("dsa-with-sha1", Some("sha1")),
        "2.16.840.1.101.3.4.3.1" => ("dsa-with-sha224", Some("sha224")),
        "2.16.840.1.101.3.4.3.2" => ("dsa-with-sha256", Some("sha256")),
        "1.3.101.112" => ("ED25519", None),
        "1.3.101.113" => ("ED448", None),
        _ => return None,
    })
}

fn signature(algorithm: &AlgorithmIdentifier<'_>) -> SignatureFacts {
    let oid = algorithm.algorithm.to_id_string();
    let (name, hash) = if oid == "1.2.840.113549.1.1.10" {
        // RSASSA-PSS names its digest in the parameters (SHA-1 when absent, RFC 4055).
        let hash = algorithm
            .parameters
            .as_ref()
            .and_then(|p| RsaSsaPssParams::try_from(p).ok())
            .and_then(|p| hash_name(&p.hash_algorithm_oid().to_id_string()));
        ("rsassa-pss".to_string(), hash)
    } else {
        match signature_name(&oid) {
            Some((name, hash)) => (name.to_string(), hash),
            None => (oid, None),
        }
    };
    let weak = matches!(hash, Some("md2" | "md5" | "sha1"));
    SignatureFacts {
        algorithm: name,
        hash: hash.map(str::to_string),
        weak,
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix timestamp (proleptic Gregorian, UTC).
pub fn rfc3339(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm), shifted to start in March.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_timestamps() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_767_225_599), "2025-12-31T23:59:59Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[0x00]), 0);
    }

    #[test]
    fn cleans_hostile_text() {
        assert_eq!(clean("a`b\nc"), "a'b\u{fffd}c");
        assert_eq!(clean(&"x".repeat(600)).chars().count(), MAX_FIELD_CHARS + 1);
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        let origin = CertificateOrigin {
            provenance: crate::model::Provenance::new("x.der", None),
            bundle: "x.der".to_string(),
            index: 0,
            encoding: "der".to_string(),
            object: None,
        };
        let error = certificate(&[0x30, 0x03, 0x02, 0x01, 0x00], origin).unwrap_err();
        assert!(error.starts_with("not an X.509 certificate"), "{error}");
    }
}
