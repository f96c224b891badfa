//! X.509 certificates of one environment (PEM and DER files, bundles, certificates embedded in
//! Kubernetes objects) as public facts, and the private-key blocks seen beside them, held only
//! as keyed fingerprints.

use serde::Serialize;

use super::Provenance;

/// Certificates and private-key blocks read from one environment's inputs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TlsObjects {
    /// Every certificate, in input order (files sorted, blocks in file order).
    pub certificates: Vec<CertificateFacts>,
    /// PEM private-key blocks of certificate files: never parsed, never kept as text.
    pub private_keys: Vec<PrivateKeyBlock>,
}

impl TlsObjects {
    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty() && self.private_keys.is_empty()
    }
}

/// The public facts of one certificate. Nothing here is secret: a certificate is sent to
/// every client that connects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateFacts {
    /// Subject distinguished name, RFC 4514 style (`CN=api.example.com, O=Example`).
    pub subject: String,
    /// Issuer distinguished name, same form.
    pub issuer: String,
    /// The first common name of the subject, when it has one.
    pub common_name: Option<String>,
    /// Serial number, lowercase hex.
    pub serial: String,
    /// SHA-256 of the DER encoding, lowercase hex (the usual certificate fingerprint).
    pub sha256: String,
    /// Subject alternative names: `DNS:…`, `IP:…`, `URI:…`, `email:…`.
    pub sans: Vec<String>,
    /// `basicConstraints` `cA`.
    pub is_ca: bool,
    /// `basicConstraints` `pathLenConstraint`.
    pub path_len: Option<u32>,
    pub key: KeyFacts,
    pub signature: SignatureFacts,
    /// Validity start and end, Unix seconds and RFC 3339 (UTC).
    pub not_before: i64,
    pub not_after: i64,
    pub not_before_rfc3339: String,
    pub not_after_rfc3339: String,
    /// Subject and issuer are the same name and, where both key identifiers are present,
    /// the authority key identifier is the subject key identifier.
    pub self_signed: bool,
    /// Subject and authority key identifiers, lowercase hex.
    pub subject_key_id: Option<String>,
    pub authority_key_id: Option<String>,
    pub origin: CertificateOrigin,
    /// Where the certificate's chain ends among the environment's own certificates.
    pub chain: ChainFacts,
}

impl CertificateFacts {
    /// The common name, else the whole subject: how messages name a certificate.
    pub fn name(&self) -> &str {
        self.common_name.as_deref().unwrap_or(&self.subject)
    }

    /// Seconds between `not_before` and `not_after`.
    pub fn validity_seconds(&self) -> i64 {
        self.not_after.saturating_sub(self.not_before)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyAlgorithm {
    Rsa,
    Ec,
    Ed25519,
    Ed448,
    Dsa,
    Other,
}

impl KeyAlgorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyAlgorithm::Rsa => "RSA",
            KeyAlgorithm::Ec => "EC",
            KeyAlgorithm::Ed25519 => "Ed25519",
            KeyAlgorithm::Ed448 => "Ed448",
            KeyAlgorithm::Dsa => "DSA",
            KeyAlgorithm::Other => "unknown",
        }
    }
}

/// The subject public key: algorithm, size in bits (RSA, DSA, EC) and curve (EC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyFacts {
    pub algorithm: KeyAlgorithm,
    pub bits: Option<u32>,
    /// `P-256`, `P-384`, `P-521`, `secp256k1`, or the curve's OID.
    pub curve: Option<String>,
    /// The key algorithm's OID when it is not one of the above.
    pub oid: Option<String>,
}

impl KeyFacts {
    /// `RSA 2048`, `EC P-256`, `Ed25519`.
    pub fn describe(&self) -> String {
        match (self.algorithm, &self.curve, self.bits) {
            (KeyAlgorithm::Ec, Some(curve), _) => format!("EC {curve}"),
            (KeyAlgorithm::Other, _, _) => match &self.oid {
                Some(oid) => format!("key algorithm {oid}"),
                None => "unknown key algorithm".to_string(),
            },
            (algorithm, _, Some(bits)) => format!("{} {bits}", algorithm.as_str()),
            (algorithm, _, None) => algorithm.as_str().to_string(),
        }
    }

    /// Security strength in bits (NIST SP 800-57 part 1, table 2); `None` when unknown.
    pub fn strength(&self) -> Option<u32> {
        match self.algorithm {
            KeyAlgorithm::Rsa | KeyAlgorithm::Dsa => {
                let bits = self.bits?;
                Some(match bits {
                    0..1024 => 0,
                    1024..2048 => 80,
                    2048..3072 => 112,
                    3072..7680 => 128,
                    7680..15360 => 192,
                    _ => 256,
                })
            }
            KeyAlgorithm::Ec => {
                let bits = self.bits?;
                Some(match bits {
                    0..160 => 0,
                    160..224 => 80,
                    224..256 => 112,
                    256..384 => 128,
                    384..512 => 192,
                    _ => 256,
                })
            }
            KeyAlgorithm::Ed25519 => Some(128),
            KeyAlgorithm::Ed448 => Some(224),
            KeyAlgorithm::Other => None,
        }
    }
}

/// The signature the issuer made: its algorithm name and digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureFacts {
    /// `sha256WithRSAEncryption`, `ecdsa-with-SHA384`, `ED25519`, or the OID.
    pub algorithm: String,
    /// `md2`, `md5`, `sha1`, `sha224`, `sha256`, `sha384`, `sha512`; `None` when the algorithm
    /// hashes internally (Ed25519) or is unknown.
    pub hash: Option<String>,
    /// True for MD2, MD5 and SHA-1 digests: collisions are practical.
    pub weak: bool,
}

/// Where a certificate was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateOrigin {
    /// The file, and the line of the PEM `BEGIN` line (or of the value holding it).
    pub provenance: Provenance,
    /// The bundle it belongs to: the file's path below the environment's input
    /// (`certs/ca-bundle.pem`), or `<namespace>/<kind>/<name>:<key>` for an embedded value.
    pub bundle: String,
    /// Position in the bundle, from 0.
    pub index: usize,
    /// `pem` or `der`.
    pub encoding: String,
    /// The Kubernetes object holding it, for embedded certificates.
    pub object: Option<EmbeddingObject>,
}

/// The Kubernetes object and key a certificate was embedded in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmbeddingObject {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    /// The data key (`tls.crt`, `ca.crt`) or field path (`webhooks[0].clientConfig.caBundle`).
    pub key: String,
}

/// Whose trust a certificate ends in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trust {
    /// The chain ends at a self-signed root present in the inputs (or at a known test root).
    Private,
    /// The chain ends at, or is issued by, a well-known public root CA.
    Public,
    /// Neither: the root is not among the inputs and its name is not a known public CA.
    Unknown,
}

impl Trust {
    pub fn as_str(self) -> &'static str {
        match self {
            Trust::Private => "private",
            Trust::Public => "public",
            Trust::Unknown => "unknown",
        }
    }
}

/// The chain built from the certificate to its root within the environment's certificates
/// (issuer name, and key identifiers where present).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainFacts {
    /// Subjects from the certificate's issuer up to the last certificate found.
    pub issuers: Vec<String>,
    /// The root's subject: the self-signed end of the chain, or the issuer name of the last
    /// certificate found when its issuer is not among the inputs.
    pub root: String,
    /// True when the root itself is among the inputs.
    pub root_in_inputs: bool,
    pub trust: Trust,
}

impl Default for ChainFacts {
    fn default() -> Self {
        ChainFacts {
            issuers: Vec::new(),
            root: String::new(),
            root_in_inputs: false,
            trust: Trust::Unknown,
        }
    }
}

/// A PEM private-key block: only where it is, its label and a keyed fingerprint of its
/// content, never the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrivateKeyBlock {
    pub provenance: Provenance,
    /// `PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, …
    pub label: String,
    /// Keyed HMAC of the block's base64 body (comparable within one run only).
    pub fingerprint: String,
}
