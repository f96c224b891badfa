//! Permission names: the v1 form roles use (`storage.objects.get`) and the v2 form deny
//! rules use (`storage.googleapis.com/objects.get`), and deny-rule patterns (`*` matches any
//! run of characters, so `storage.googleapis.com/objects.*` is every object permission).

/// The v1 service of a v2 service domain, where they differ.
const SERVICE_ALIASES: [(&str, &str); 1] = [("cloudresourcemanager", "resourcemanager")];

/// A deny-rule permission read into the v1 form, with `*` kept as a wildcard. `Err` for text
/// that is not `<service>.googleapis.com/<resource>.<verb>` (with wildcards).
pub fn v1_pattern(v2: &str) -> Result<String, String> {
    let t = v2.trim();
    let Some((domain, rest)) = t.split_once('/') else {
        return Err(format!(
            "permission `{t}` is not in the v2 form `service.googleapis.com/resource.verb`"
        ));
    };
    let Some(service) = domain.strip_suffix(".googleapis.com") else {
        return Err(format!(
            "permission `{t}` does not name a `*.googleapis.com` service"
        ));
    };
    if service.is_empty() || rest.is_empty() || service.contains(['.', '/']) || rest.contains('/') {
        return Err(format!(
            "permission `{t}` is not in the v2 form `service.googleapis.com/resource.verb`"
        ));
    }
    let service = SERVICE_ALIASES
        .iter()
        .find(|(v2, _)| *v2 == service)
        .map_or(service, |(_, v1)| v1);
    Ok(format!("{service}.{rest}"))
}

/// The v2 spelling of a v1 permission (`resourcemanager.projects.get` →
/// `cloudresourcemanager.googleapis.com/projects.get`).
pub fn v2_name(v1: &str) -> String {
    match v1.split_once('.') {
        Some((service, rest)) => {
            let domain = SERVICE_ALIASES
                .iter()
                .find(|(_, alias)| *alias == service)
                .map_or(service, |(v2, _)| v2);
            format!("{domain}.googleapis.com/{rest}")
        }
        None => v1.to_string(),
    }
}

/// Whether `pattern` (`*` any run of characters) matches all of `text`.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == b'*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(
            v1_pattern("cloudresourcemanager.googleapis.com/projects.delete").unwrap(),
            "resourcemanager.projects.delete"
        );
        assert_eq!(
            v1_pattern("iam.googleapis.com/roles.*").unwrap(),
            "iam.roles.*"
        );
        assert_eq!(
            v2_name("resourcemanager.projects.delete"),
            "cloudresourcemanager.googleapis.com/projects.delete"
        );
        assert_eq!(v2_name("iam.roles.list"), "iam.googleapis.com/roles.list");
        assert!(v1_pattern("iam.roles.list").is_err());
        assert!(v1_pattern("example.com/roles.list").is_err());
    }

    #[test]
    fn globs() {
        assert!(glob("iam.roles.*", "iam.roles.list"));
        assert!(glob("*", ""));
        assert!(glob("a*b*c", "aXbYbc"));
        assert!(!glob("a*b", "ab-"));
        assert!(glob("iam.*.list", "iam.roles.list"));
        assert!(!glob("iam.roles.list", "iam.roles.lis"));
    }
}
