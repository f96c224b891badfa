//! Test certificates made at test time with rcgen (ECDSA P-256 CAs and leaves, leaves with
//! given RSA public keys), two fixed SHA-1/SHA-256 certificates made once with openssl (rcgen
//! cannot sign with SHA-1), and a staging/production folder pair run through the library.

use std::path::{Path, PathBuf};

use envparity::contract::Date;
use envparity::findings::Severity;
use envparity::govern::Governance;
use envparity::ingest::IngestOptions;
use envparity::run::run_governed;
use envparity::{Options, Outcome};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, PublicKeyData,
    SerialNumber, SignatureAlgorithm, date_time_ymd,
};

/// A throwaway RSA-1024 public key (PKCS#1), made with `openssl genrsa 1024`; its private
/// half was never kept.
pub const RSA_1024: &str = "MIGJAoGBAMKug7StjyTjhhNq4Ibm8vNgqyO+A3j/REKCoa5uwamLMYPecWsid2WvAw+WSQsssUpCn3wguebL0LxkDKqBhtVhL6bD35/5zPuGj3X/6KMoXSvFrR+uNgsHex9UB5lqwHVouAXpuqthAoCfYFAhAokFcl/A9Ul2Xu0dXGYM+8dBAgMBAAE=";

/// A throwaway RSA-2048 public key (PKCS#1), made the same way.
pub const RSA_2048: &str = "MIIBCgKCAQEAnKroa1j8qRSutaV5q0b14a+M/Zz1qMT8BVdZ4lBJxBynDvYSojk3qkqKorV9sPejvg56XJgn4G+3XDec7pB/kGHq/ek2OKlzDY+nv3mvkacmy2Ztya1dD1S70R3GidCaidvFD1tDiqqDFMUKmGbQWwZFk1SjByaiSCRhWDHBrXOIyv0Y1cO6dUFdWF4XF9j4GcnVG9C7s9/y+oQU9Ta3PLeUKeAyh9WK7IJTuqw+d/kiQxAhUpiZOW+qfWthFdxTzoecL7hF4wcGJPrsurdM39n38QswZs4v+O3DdAeERNrfhjTE/gVrKBVVesCOOXO+K7TpbR+ONg0vU4f1lUBqywIDAQAB";

/// Self-signed `CN=legacy.example.com` signed with ecdsa-with-SHA1 (openssl `req -x509 -sha1`,
/// 36500 days from 2026-11-28).
pub const LEGACY_SHA1: &str = "-----BEGIN CERTIFICATE-----
MIIBzjCCAXagAwIBAgIUP3cTuGQOwOYd8+zPF77/c0jmo8MwCQYHKoZIzj0EATAv
MRAwDgYDVQQKDAdFeGFtcGxlMRswGQYDVQQDDBJsZWdhY3kuZXhhbXBsZS5jb20w
IBcNMjYxMTI4MTgyMzQ3WhgPMjEyNjExMDQxODIzNDdaMC8xEDAOBgNVBAoMB0V4
YW1wbGUxGzAZBgNVBAMMEmxlZ2FjeS5leGFtcGxlLmNvbTBZMBMGByqGSM49AgEG
CCqGSM49AwEHA0IABAK2HWgaE5qnBiY1gyt0VF7VqrVe4M8qxVNInM7qAvcZ3Cld
TNiFoUjCwVwWxRfu+1LKCxO8PdBkSMXGkDleZfWjbzBtMB0GA1UdDgQWBBTbgjw0
L1kePFwTqWmOm2GPVydKpzAfBgNVHSMEGDAWgBTbgjw0L1kePFwTqWmOm2GPVydK
pzAMBgNVHRMBAf8EAjAAMB0GA1UdEQQWMBSCEmxlZ2FjeS5leGFtcGxlLmNvbTAJ
BgcqhkjOPQQBA0cAMEQCIA6cGpefzJMXIXiCHuyAYBfUS8JQn0OMsbZqSwumAIHE
AiAK1zgicKhf5q6c9xohRhBKtdS5TTtL5xwq58S7trGuKw==
-----END CERTIFICATE-----
";

/// The same subject and validity signed with ecdsa-with-SHA256.
pub const LEGACY_SHA256: &str = "-----BEGIN CERTIFICATE-----
MIIB0DCCAXegAwIBAgIUQqwUxYWsIQTmOa/A5UQbaoke27gwCgYIKoZIzj0EAwIw
LzEQMA4GA1UECgwHRXhhbXBsZTEbMBkGA1UEAwwSbGVnYWN5LmV4YW1wbGUuY29t
MCAXDTI2MTEyODE4MjM0N1oYDzIxMjYxMTA0MTgyMzQ3WjAvMRAwDgYDVQQKDAdF
eGFtcGxlMRswGQYDVQQDDBJsZWdhY3kuZXhhbXBsZS5jb20wWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAQBcQ4dHM6vCGA9UEPZKhto7EDvrUZWT7Wug3wt/CkCRyO4
LehM5z86dwnEHv5oianIWRo9laBIGaK6za3mFLYgo28wbTAdBgNVHQ4EFgQU/uwL
ODLg3vtm4YKNJg02Q0JJeUMwHwYDVR0jBBgwFoAU/uwLODLg3vtm4YKNJg02Q0JJ
eUMwDAYDVR0TAQH/BAIwADAdBgNVHREEFjAUghJsZWdhY3kuZXhhbXBsZS5jb20w
CgYIKoZIzj0EAwIDRwAwRAIgKqBLAOIR7hZwqN1KcQPBEl0o5ds+Lc4I/kCwVxTB
t2ICIFZMUBlSyp6h7UxWW5O0JK+yCCF6XgiwIQ5BxFcH20zo
-----END CERTIFICATE-----
";

/// The run's date in every test: 2030-06-01.
pub fn now() -> Date {
    Date::parse("2030-06-01").expect("date")
}

/// A year-long validity inside which `now` falls.
pub const YEAR: Validity = ((2030, 1, 1), (2031, 1, 1));

pub type Validity = ((i32, u8, u8), (i32, u8, u8));

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An RSA public key whose private half the test never has.
pub struct RsaPublic(Vec<u8>);

impl RsaPublic {
    pub fn new(pkcs1_base64: &str) -> RsaPublic {
        RsaPublic(envparity::ingest::decode_base64(pkcs1_base64).expect("base64"))
    }
}

impl PublicKeyData for RsaPublic {
    fn der_bytes(&self) -> &[u8] {
        &self.0
    }

    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &rcgen::PKCS_RSA_SHA256
    }
}

/// A CA made at test time.
pub struct Ca {
    pub params: CertificateParams,
    pub key: KeyPair,
    pub pem: String,
}

fn params(cn: &str, validity: Validity, serial: u8) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Example");
    params.distinguished_name.push(DnType::CommonName, cn);
    let ((y1, m1, d1), (y2, m2, d2)) = validity;
    params.not_before = date_time_ymd(y1, m1, d1);
    params.not_after = date_time_ymd(y2, m2, d2);
    params.serial_number = Some(SerialNumber::from_slice(&[serial]));
    params
}

/// A self-signed root CA valid from 2029 to 2040.
pub fn ca(cn: &str) -> Ca {
    let mut params = params(cn, ((2029, 1, 1), (2040, 1, 1)), 1);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let key = KeyPair::generate().expect("key");
    let pem = params.self_signed(&key).expect("self-signed").pem();
    Ca { params, key, pem }
}

/// A leaf for `host` signed by `ca`, with a fresh P-256 key or the given RSA public key.
pub fn leaf(
    ca: &Ca,
    host: &str,
    validity: Validity,
    rsa: Option<&RsaPublic>,
) -> rcgen::Certificate {
    let mut params = params(host, validity, 2);
    params.subject_alt_names = vec![rcgen::SanType::DnsName(host.try_into().expect("dns"))];
    params.use_authority_key_identifier_extension = true;
    let issuer = Issuer::from_params(&ca.params, &ca.key);
    match rsa {
        Some(public) => params.signed_by(public, &issuer),
        None => params.signed_by(&KeyPair::generate().expect("key"), &issuer),
    }
    .expect("signed")
}

/// A staging and a production folder in a temporary directory.
pub struct Pair {
    dir: tempfile::TempDir,
}

impl Pair {
    pub fn new() -> Pair {
        Pair {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn side(&self, side: &str) -> PathBuf {
        self.dir.path().join(side)
    }

    pub fn write(&self, side: &str, path: &str, contents: impl AsRef<[u8]>) -> &Pair {
        let file = self.side(side).join(path);
        std::fs::create_dir_all(file.parent().unwrap_or(Path::new("."))).expect("mkdir");
        std::fs::write(file, contents).expect("write");
        self
    }

    /// Compares the two folders at [`now`].
    pub fn run(&self) -> Outcome {
        let options = Options {
            staging: vec![self.side("staging")],
            production: vec![self.side("production")],
            mappings: Vec::new(),
            fingerprint_key: b"certificate-test-key".to_vec(),
            ingest: IngestOptions::default(),
            fail_on: Some(Severity::High),
        };
        run_governed(&options, Some(&Governance::none(now())), &[])
    }

    /// A rendered report with the temporary directory replaced by `<tmp>`.
    pub fn render(&self, outcome: &Outcome, format: envparity::report::Format) -> String {
        let style = envparity::report::TextStyle::default();
        let text = envparity::report::render(&outcome.report, format, style).expect("render");
        let root = self.dir.path().to_string_lossy().replace('\\', "/");
        text.replace(&root, "<tmp>")
    }
}

/// Validates a JSON report against the contract's schema.
pub fn assert_valid_report(json: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas/envparity-report-v1.schema.json");
    let text = std::fs::read_to_string(&path).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::draft7::new(&schema).expect("schema compiles");
    let report: serde_json::Value = serde_json::from_str(json).expect("report is JSON");
    if let Err(error) = validator.validate(&report) {
        panic!("the report violates the schema: {error}");
    }
}

/// The rule ids of an outcome's findings, sorted.
pub fn rules(outcome: &Outcome) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = outcome
        .report
        .findings
        .iter()
        .map(|f| f.rule.id())
        .collect();
    ids.sort();
    ids
}
