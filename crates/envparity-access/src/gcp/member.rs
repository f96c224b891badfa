//! Principals as allow policies (`user:`, `serviceAccount:`, `group:`, `domain:`, `allUsers`,
//! `allAuthenticatedUsers`, `principal://`, `principalSet://`) and deny policies (the v2
//! identifiers `principal://goog/subject/…`, `principalSet://goog/group/…`,
//! `principalSet://goog/public:all`, …) write them, in one canonical form, and which member
//! includes which principal.
//!
//! Membership is decided by definition only: everyone is in `allUsers` (and in
//! `principalSet://goog/public:all`), every signed-in principal in `allAuthenticatedUsers`,
//! a user in the `domain:` of its e-mail address, a workload or workforce identity in the
//! `…/*` set of its pool. Group membership is not part of the inputs: a group includes only
//! itself, and is compared as a subject of its own.

use std::fmt;

/// A member of a binding or a deny rule, canonical.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Member {
    /// Anyone on the internet, signed in or not (`allUsers`, `principalSet://goog/public:all`).
    AllUsers,
    /// Anyone signed in (`allAuthenticatedUsers`).
    AllAuthenticatedUsers,
    User(String),
    ServiceAccount(String),
    Group(String),
    Domain(String),
    /// One federated identity: `principal://iam.googleapis.com/…/subject/…`.
    Principal(String),
    /// Every identity of a workload or workforce pool: the pool's path ending in `/`, without
    /// scheme (`iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/`).
    Pool(String),
    /// Anything else (groups of a pool, customer ids, deleted principals, convenience values
    /// such as `projectOwner:`): includes only itself.
    Other(String),
}

impl Member {
    /// Reads an allow-policy member or a deny-policy principal.
    pub fn parse(text: &str) -> Member {
        let t = text.trim();
        match t {
            "allUsers" | "principalSet://goog/public:all" => return Member::AllUsers,
            "allAuthenticatedUsers" => return Member::AllAuthenticatedUsers,
            _ => {}
        }
        let email = |s: &str| s.to_ascii_lowercase();
        let prefixed = [
            ("user:", 0),
            ("serviceAccount:", 1),
            ("group:", 2),
            ("domain:", 3),
            ("principal://goog/subject/", 0),
            (
                "principal://iam.googleapis.com/projects/-/serviceAccounts/",
                1,
            ),
            ("principalSet://goog/group/", 2),
        ];
        for (prefix, kind) in prefixed {
            if let Some(rest) = t.strip_prefix(prefix)
                && !rest.is_empty()
            {
                return match kind {
                    0 => Member::User(email(rest)),
                    1 => Member::ServiceAccount(email(rest)),
                    2 => Member::Group(email(rest)),
                    _ => Member::Domain(email(rest)),
                };
            }
        }
        if let Some(rest) = t.strip_prefix("principal://")
            && rest.contains("/subject/")
        {
            return Member::Principal(t.to_string());
        }
        if let Some(pool) = t
            .strip_prefix("principalSet://")
            .and_then(|r| r.strip_suffix("/*"))
            && (pool.contains("/workloadIdentityPools/") || pool.contains("/workforcePools/"))
            && pool
                .rsplit('/')
                .nth(1)
                .is_some_and(|k| k.ends_with("Pools"))
        {
            return Member::Pool(format!("{pool}/"));
        }
        Member::Other(t.to_string())
    }

    /// Whether this member (of a binding or rule) includes `principal`.
    pub fn includes(&self, principal: &Member) -> bool {
        if self == principal {
            return true;
        }
        match (self, principal) {
            (Member::AllUsers, _) => true,
            (Member::AllAuthenticatedUsers, p) => *p != Member::AllUsers,
            (Member::Domain(domain), Member::User(email)) => {
                email.rsplit_once('@').is_some_and(|(_, d)| d == domain)
            }
            (Member::Pool(pool), Member::Principal(p)) => p
                .strip_prefix("principal://")
                .is_some_and(|rest| rest.starts_with(pool.as_str())),
            (Member::Pool(pool), Member::Other(set)) => set
                .strip_prefix("principalSet://")
                .is_some_and(|rest| rest.starts_with(pool.as_str())),
            _ => false,
        }
    }

    /// The e-mail of a service account member.
    pub fn service_account(&self) -> Option<&str> {
        match self {
            Member::ServiceAccount(email) => Some(email),
            _ => None,
        }
    }

    /// The kind of subject, for reports: `gcp-service-account`, `gcp-user`, `gcp-group`,
    /// `gcp-domain`, `gcp-public`, `gcp-principal`.
    pub fn kind(&self) -> &'static str {
        match self {
            Member::ServiceAccount(_) => "gcp-service-account",
            Member::User(_) => "gcp-user",
            Member::Group(_) => "gcp-group",
            Member::Domain(_) => "gcp-domain",
            Member::AllUsers | Member::AllAuthenticatedUsers => "gcp-public",
            Member::Principal(_) | Member::Pool(_) | Member::Other(_) => "gcp-principal",
        }
    }

    /// The name shown for a subject: the e-mail or domain for Google identities, the
    /// identifier as written for the others.
    pub fn name(&self) -> String {
        match self {
            Member::User(s) | Member::ServiceAccount(s) | Member::Group(s) | Member::Domain(s) => {
                s.clone()
            }
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Member {
    /// The allow-policy spelling (`serviceAccount:x@p.iam.gserviceaccount.com`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Member::AllUsers => f.write_str("allUsers"),
            Member::AllAuthenticatedUsers => f.write_str("allAuthenticatedUsers"),
            Member::User(e) => write!(f, "user:{e}"),
            Member::ServiceAccount(e) => write!(f, "serviceAccount:{e}"),
            Member::Group(e) => write!(f, "group:{e}"),
            Member::Domain(d) => write!(f, "domain:{d}"),
            Member::Pool(p) => write!(f, "principalSet://{p}*"),
            Member::Principal(s) | Member::Other(s) => f.write_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_and_v2_spellings_agree() {
        let pairs = [
            (
                "user:Alice@Example.com",
                "principal://goog/subject/alice@example.com",
            ),
            (
                "serviceAccount:sa@p.iam.gserviceaccount.com",
                "principal://iam.googleapis.com/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com",
            ),
            (
                "group:g@example.com",
                "principalSet://goog/group/g@example.com",
            ),
            ("allUsers", "principalSet://goog/public:all"),
        ];
        for (v1, v2) in pairs {
            assert_eq!(Member::parse(v1), Member::parse(v2), "{v1}");
            assert_eq!(
                Member::parse(&Member::parse(v1).to_string()),
                Member::parse(v1)
            );
        }
    }

    #[test]
    fn inclusion_by_definition() {
        let user = Member::parse("user:a@example.com");
        let sa = Member::parse("serviceAccount:s@p.iam.gserviceaccount.com");
        assert!(Member::AllUsers.includes(&Member::AllAuthenticatedUsers));
        assert!(!Member::AllAuthenticatedUsers.includes(&Member::AllUsers));
        assert!(Member::parse("domain:example.com").includes(&user));
        assert!(!Member::parse("domain:example.com").includes(&sa));
        assert!(!Member::parse("group:g@example.com").includes(&user));
        let pool = Member::parse(
            "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/gh/*",
        );
        let one = Member::parse(
            "principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/gh/subject/repo:x",
        );
        let other = Member::parse(
            "principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/gh2/subject/repo:x",
        );
        assert!(pool.includes(&one));
        assert!(!pool.includes(&other));
    }
}
