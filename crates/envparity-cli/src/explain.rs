//! The "why it matters" text of every rule (a table by design), word wrapping for the terminal,
//! and the close-id suggestions of `envparity explain`.

use envparity::findings::Rule;

/// Why a finding of `rule` matters: the risk it stands for.
pub fn why(rule: Rule) -> &'static str {
    match rule {
        Rule::IdentityMissingInStaging => {
            "Staging is where an identity's grants, bindings and credentials are exercised before a release. An identity that exists only in production ships untested: a missing permission shows up as an outage, an excessive one is never noticed, and its credentials' rotation is first tried on the live system."
        }
        Rule::IdentityMissingInProduction => {
            "Identities that exist only in staging are often test helpers or leftovers that nobody offboarded (OWASP NHI1). They keep credentials and grants alive without an owner, and tests that rely on them prove nothing about production."
        }
        Rule::IdentitySharedAcrossEnvironments => {
            "When staging and production use the same identity, whoever controls staging - with its weaker reviews, broader access and test data - can act as production. Environment isolation (OWASP NHI8) and no reuse of non-human identities (NHI9) exist to stop exactly that."
        }
        Rule::AccessBroaderInStaging => {
            "Tests pass in staging because the workload holds privileges it will not have in production, so the first denied request happens after the release. Broader staging grants also make staging a better target: an attacker there gets more than the production design allows."
        }
        Rule::AccessNarrowerInStaging => {
            "Requests that production allows and staging denies are never exercised before a release, so nobody knows whether production needs them. They are either untested paths or privilege creep that least privilege (NIST CSF 2.0 PR.AA-05, PR.AC-4 in CSF 1.1) says to remove."
        }
        Rule::AccessDivergent => {
            "Each environment allows requests the other denies, so staging neither proves that production's access works nor that it is minimal. Both the outage risk of a narrower side and the exposure of a broader side apply."
        }
        Rule::AccessUnknown => {
            "envparity reports parity only when it can prove it. When a grant depends on something it could not resolve or model, treating it as equal would hide a real difference, so the pair is reported instead and does not count as at parity."
        }
        Rule::PrivilegeWildcardAdmin => {
            "A non-human identity with administrator-equivalent access turns any compromise of its workload, token or pipeline into a compromise of the whole cluster or account (OWASP NHI5). Machine identities rarely need wildcards; they accumulate them because nobody narrows them."
        }
        Rule::TrustCrossEnvironment => {
            "A principal of one environment that can assume, bind to or impersonate an identity of the other breaks the boundary between them: a compromise of staging becomes a compromise of production. It is the most direct violation of environment isolation (OWASP NHI8)."
        }
        Rule::TrustBroaderInStaging => {
            "Staging admitting more principals than production means tests run with callers production will reject, and the staging identity can be taken over by more parties than its production twin. Either way the trust design is not the one being tested."
        }
        Rule::SecretSharedAcrossEnvironments => {
            "A secret used by both environments is only as safe as the weaker one. Staging secrets are read by more people, copied into more tools and logged more often; sharing them hands production access to anyone who reaches staging (OWASP NHI2, NHI8)."
        }
        Rule::SecretPlaintext => {
            "Credentials in ConfigMaps, environment literals or values files end up in version control, CI logs and every reader of the namespace. They bypass the secret store's access control, audit and rotation (OWASP NHI2)."
        }
        Rule::SecretStorageMismatch => {
            "If the environments read a credential from different places, staging does not test how production obtains it: the secret store's permissions, the mount or the injection can fail first in production, and the weaker side leaks more easily."
        }
        Rule::SecretRotationMismatch => {
            "Rotation is a workflow: the new value must be issued, distributed and picked up without an outage. If staging does not rotate the way production does, that workflow is first exercised in production, where a failure is an incident (OWASP NHI7)."
        }
        Rule::CredentialLongLived => {
            "Static long-lived credentials stay valid long after they leak, and an environment that uses them does not test the short-lived issuance the other one relies on (OWASP NHI7, NIST SP 800-207 tenet 3)."
        }
        Rule::TokenTtlMismatch => {
            "Token lifetimes decide how long a stolen credential works and how often clients must refresh. Different lifetimes hide refresh bugs until production and change the exposure window between the environments."
        }
        Rule::TlsTrustMismatch => {
            "Services in staging that trust a different issuer or skip verification do not test the certificate chain production depends on. Disabled verification also makes staging traffic open to interception (OWASP NHI4, NIST SP 800-207 tenet 2)."
        }
        Rule::CertificateWeakerInStaging => {
            "A weaker key, algorithm or longer validity in staging means clients are never tested against production's certificate profile, and staging's certificates are easier to abuse if they are trusted anywhere else."
        }
        Rule::CertificateExpired => {
            "An expired certificate fails every client that verifies it: in production that is an outage, in staging it trains teams to turn verification off. Finding it in the exported inputs, before a deploy, is cheaper than finding it in a handshake error (OWASP NHI4, NIST SP 800-207 tenet 2)."
        }
        Rule::CertificateExpiring => {
            "A certificate that expires within 30 days needs renewal now; when renewal is automated this is a sign the automation did not run. Staging's certificates expiring first is how a broken renewal job is caught before production's certificates expire too."
        }
        Rule::AuditLoggingMissingInStaging => {
            "Detections are built and tested on audit events. If staging does not record what production records, detection rules cannot be validated before they are needed, and activity in staging - including attacks that start there - goes unseen."
        }
        Rule::DetectionRuleMissingInStaging => {
            "An alert that exists only in production cannot be tested in staging: nobody knows whether it fires, routes or pages correctly until a real incident. Testing detections is part of what staging is for (NIST SP 800-207 tenet 5)."
        }
        Rule::DetectionRuleDiffers => {
            "A paired alert with a different expression, duration or severity tests something other than what production runs, so a passing staging test says little about whether the production alert works."
        }
        Rule::LogRetentionMismatch => {
            "Retention decides how far back an investigation can look. A difference is usually a cost decision; when it is not declared, it can hide a misconfiguration that only shows during an incident."
        }
        Rule::NetworkBroaderInStaging => {
            "Flows that staging admits and production denies let tests pass over paths production will block, and give an attacker in staging reach that the production design does not allow (OWASP NHI6)."
        }
        Rule::NetworkNarrowerInStaging => {
            "Flows that only production admits are never exercised before a release. They are either untested dependencies or openings nobody needs that should be closed."
        }
        Rule::NetworkUnknown => {
            "envparity reports network parity only when it can prove it. When a policy holds something it cannot evaluate (a malformed CIDR, an operator or port Kubernetes would reject), names a port whose number only the running pods know, or distinguishes more cases than it compares, a quiet result would be a guess; the namespace pair is reported instead and does not count as at parity."
        }
        Rule::NetworkCrossEnvironmentPath => {
            "A reference or network path from one environment into the other breaks isolation: staging workloads can read, write or disturb production data and services, and a staging compromise can spread (OWASP NHI8)."
        }
        Rule::ConfigValueDrift => {
            "Configuration that differs without a reason means staging does not run what production runs. Some drift is intended; declaring it as expected keeps the report to the differences that need attention."
        }
        Rule::ConfigKeyMissing => {
            "A key present in one environment only means a feature, limit or endpoint that is configured on one side and defaulted on the other, so the behaviour tested in staging is not the behaviour shipped."
        }
        Rule::ConfigPlaceholderValue => {
            "A placeholder such as changeme or TODO where the other environment has a real value is often a forgotten credential or endpoint: the service starts with a known default or fails only at run time."
        }
        Rule::WaiverExpired => {
            "Waivers are temporary by design. Once the date passes, the accepted risk is active again and the finding counts, so the exception is either fixed or consciously renewed by its owner."
        }
        Rule::WaiverUnused => {
            "A waiver or expected difference that matches nothing is stale. Left in place, it may silently cover a future, different problem with the same name."
        }
    }
}

/// Splits `text` into lines of at most `width` characters, breaking at spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(20);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Rule ids close to `query`: a small edit distance, or sharing a word of the id.
pub fn close_ids(query: &str) -> Vec<&'static str> {
    let words: Vec<&str> = query
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 3)
        .collect();
    let mut scored: Vec<(usize, &'static str)> = Rule::ALL
        .iter()
        .filter_map(|rule| {
            let id = rule.id();
            let distance = edit_distance(query, id);
            let shares_word = id.split('-').any(|part| {
                words
                    .iter()
                    .any(|word| edit_distance(word, part) <= usize::from(word.len() > 5) + 1)
            }) || (query.len() >= 4 && id.contains(query));
            (distance <= 3.max(query.len() / 3) || shares_word).then_some((distance, id))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_respects_width() {
        let lines = wrap("one two three four five six seven eight nine ten", 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 20));
        assert_eq!(
            lines.join(" "),
            "one two three four five six seven eight nine ten"
        );
    }

    #[test]
    fn close_ids_find_typos_and_words() {
        assert_eq!(
            close_ids("access-broader-in-stagin")[0],
            "access-broader-in-staging"
        );
        assert!(close_ids("waiver").contains(&"waiver-expired"));
        assert!(close_ids("acess").contains(&"access-divergent"));
        assert!(close_ids("zzzzzzzzzzzzzzzzzzzzzz").is_empty());
    }

    #[test]
    fn every_rule_has_a_why() {
        for rule in Rule::ALL {
            assert!(why(*rule).len() > 80, "{}", rule.id());
        }
    }
}
