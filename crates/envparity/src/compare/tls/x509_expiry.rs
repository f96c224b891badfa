//! `certificate-expired` and `certificate-expiring`: every certificate of either environment
//! checked against the run's date (`--now`, `SOURCE_DATE_EPOCH` or the clock, the same date
//! waivers expire by). The date is taken at 00:00 UTC; a certificate is expired when its
//! `notAfter` is before that instant, and expiring when `notAfter` falls within the
//! following 30 days. One finding per distinct certificate (by SHA-256) per environment,
//! with every place it was read as evidence.

use std::collections::BTreeMap;

use crate::contract::Date;
use crate::findings::{Evidence, Finding, Rule, Side, Subject};
use crate::model::{CertificateFacts, Snapshot};

/// How far ahead `certificate-expiring` looks.
pub const EXPIRING_WITHIN_DAYS: i64 = 30;

const DAY: i64 = 86_400;

/// Days from 1970-01-01 to `date` (proleptic Gregorian).
fn days_from_civil(date: Date) -> i64 {
    let (year, month, day) = (
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The findings of both environments at `now`.
pub fn certificate_expiry(staging: &Snapshot, production: &Snapshot, now: Date) -> Vec<Finding> {
    let at = days_from_civil(now).saturating_mul(DAY);
    let mut out = Vec::new();
    for (side, snapshot) in [(Side::Staging, staging), (Side::Production, production)] {
        let mut distinct: BTreeMap<&str, Vec<&CertificateFacts>> = BTreeMap::new();
        for cert in &snapshot.tls.certificates {
            distinct.entry(cert.sha256.as_str()).or_default().push(cert);
        }
        for mut places in distinct.into_values() {
            places.sort_by(|a, b| {
                (&a.origin.bundle, &a.origin.provenance)
                    .cmp(&(&b.origin.bundle, &b.origin.provenance))
            });
            if let Some(finding) = check(side, &places, at, now) {
                out.push(finding);
            }
        }
    }
    out
}

fn check(side: Side, places: &[&CertificateFacts], at: i64, now: Date) -> Option<Finding> {
    let cert = places.first()?;
    let left = cert.not_after.saturating_sub(at);
    let date = cert
        .not_after_rfc3339
        .get(..10)
        .unwrap_or(&cert.not_after_rfc3339);
    let (rule, state) = if left < 0 {
        let when = match (-left).div_euclid(DAY) {
            0 => String::new(),
            n => format!("{n} day(s) "),
        };
        (
            Rule::CertificateExpired,
            format!("expired on {date}, {when}before the run's date {now}"),
        )
    } else if left < EXPIRING_WITHIN_DAYS * DAY {
        let days = left.div_euclid(DAY);
        (
            Rule::CertificateExpiring,
            format!("expires on {date}, {days} day(s) after the run's date {now}"),
        )
    } else {
        return None;
    };
    let side_name = match side {
        Side::Staging => "staging",
        Side::Production => "production",
    };
    let role = if cert.is_ca {
        "CA certificate"
    } else {
        "Certificate"
    };
    let also = match places.len() {
        1 => String::new(),
        n => format!(" (read in {n} places)"),
    };
    let message = format!(
        "{role} `{}` of `{}` in {side_name} {state}{also}; renew it and automate its renewal.",
        cert.name(),
        cert.origin.bundle,
    );
    let name = format!("{}#{}", cert.origin.bundle, cert.name());
    let mut finding = Finding::new(rule, Subject::one_side("certificate", side, name), message)
        .key(format!("notAfter:{}", cert.not_after_rfc3339));
    for place in places {
        let detail = format!(
            "`{}` issued by `{}`, notAfter {}",
            place.name(),
            place.issuer,
            place.not_after_rfc3339
        );
        finding = finding.evidence_on(side, Evidence::at(&place.origin.provenance, None, detail));
    }
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        let date = |text| {
            Date::parse(text).unwrap_or(Date {
                year: 1970,
                month: 1,
                day: 1,
            })
        };
        assert_eq!(days_from_civil(date("1970-01-01")), 0);
        assert_eq!(days_from_civil(date("2000-03-01")), 11_017);
        for seconds in [0i64, 951_782_400, 1_767_225_599, 4_102_444_800] {
            let d = Date::from_unix_seconds(seconds);
            assert_eq!(days_from_civil(d), seconds / DAY, "{d}");
        }
    }
}
