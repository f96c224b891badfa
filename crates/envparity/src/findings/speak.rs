//! Findings speak of the environments by their names. Every check is written about "staging"
//! (the environment checked) and "production" (its reference); when the two are named
//! otherwise (`check` over `dev`, `qa` and `prod`, or `compare --staging-name`), those words in
//! a finding's prose become the names. Text in backticks is a user value and is left as it is,
//! as are hyphenated words (rule ids such as `access-broader-in-staging`).

use super::Finding;

/// Rewrites the message and remediation of `finding` to name `environment` and `reference`.
pub fn name_environments(finding: &mut Finding, environment: &str, reference: &str) {
    if environment == "staging" && reference == "production" {
        return;
    }
    finding.message = renamed(&finding.message, environment, reference);
    finding.remediation = renamed(&finding.remediation, environment, reference);
}

/// `text` with the words `staging`/`Staging` and `production`/`Production` outside backticks
/// replaced by `environment` and `reference`.
pub fn renamed(text: &str, environment: &str, reference: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, quoted: bool| {
        let replacement = match word.as_str() {
            "staging" | "Staging" if !quoted => environment,
            "production" | "Production" if !quoted => reference,
            other => other,
        };
        out.push_str(replacement);
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out, quoted);
        if c == '`' {
            quoted = !quoted;
        }
        out.push(c);
    }
    flush(&mut word, &mut out, quoted);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_outside_backticks_become_the_names() {
        assert_eq!(
            renamed(
                "serviceaccount `shop-staging/api` is granted more in staging than in production, e.g. `staging`",
                "qa",
                "prod"
            ),
            "serviceaccount `shop-staging/api` is granted more in qa than in prod, e.g. `staging`"
        );
        assert_eq!(
            renamed("Staging trusts production's CA.", "dev", "prod"),
            "dev trusts prod's CA."
        );
        assert_eq!(
            renamed("see access-broader-in-staging; stagingX", "dev", "prod"),
            "see access-broader-in-staging; stagingX"
        );
    }

    proptest! {
        /// The default names change nothing, and text without the two words is unchanged.
        #[test]
        fn only_the_two_words_change(text in "[a-z `'.,:/-]{0,60}") {
            prop_assert_eq!(renamed(&text, "staging", "production"), text.clone());
            if !text.contains("staging") && !text.contains("production") {
                prop_assert_eq!(renamed(&text, "dev", "prod"), text);
            }
        }
    }
}
