//! `vault_policy` → the model's Vault ACL policies: its `policy` attribute is the policy's
//! HCL (or JSON) text, read by the Vault policy reader itself; every rule keeps the line of
//! that attribute. A policy known only after apply is withheld with a warning (a role that
//! names it then reads as not resolved).

use super::super::node::Shaped;
use super::super::vault::parse_policy_text;
use super::Lowering;
use super::attrs::Field;
use super::document::Resource;
use crate::model::{Provenance, VaultPolicy, VaultRule};

pub fn handles(r: &Resource<'_>) -> bool {
    !r.data && r.kind == "vault_policy"
}

pub fn lower(lw: &mut Lowering<'_, '_>) {
    let resources = lw.resources;
    for r in resources.iter().filter(|r| handles(r)) {
        match policy(lw, r) {
            Ok(true) => lw.objects += 1,
            Ok(false) => {}
            Err(e) => lw.skipped(r, &e),
        }
    }
}

fn policy(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<bool> {
    let name_view = r.values.at("name");
    let name = match name_view.text()? {
        Field::Known(name) if !name.is_empty() => name,
        Field::Unknown => {
            lw.unknown(r, &name_view, "the policy is not compared");
            return Ok(false);
        }
        Field::Known(_) | Field::Absent => {
            lw.warn(
                Some(r.line),
                format!("ignored `{}`: it has no `name`", r.address),
            );
            return Ok(false);
        }
    };
    let view = r.values.at("policy");
    let text = match view.text()? {
        Field::Known(text) => text,
        Field::Unknown => {
            lw.unknown(r, &view, "the policy is not compared");
            return Ok(false);
        }
        Field::Absent => String::new(),
    };
    let parsed = match parse_policy_text(&text) {
        Ok(Some(parsed)) => parsed,
        Ok(None) => {
            lw.warn(
                Some(view.line),
                format!("ignored `{}`: its `policy` has no `path` rule", r.address),
            );
            return Ok(false);
        }
        Err(e) => {
            let at = e
                .line
                .map(|l| format!(" (line {l} of the policy)"))
                .unwrap_or_default();
            lw.warn(
                Some(view.line),
                format!(
                    "ignored `{}`: its `policy` cannot be read{at}: {}",
                    r.address, e.message
                ),
            );
            return Ok(false);
        }
    };
    let provenance = Provenance::new(lw.path, Some(view.line));
    if let Some(earlier) = lw.snapshot.vault.policies.iter().find(|p| p.name == name) {
        let message = format!(
            "ignored `{}`: a policy named `{name}` was already read from `{}`",
            r.address, earlier.provenance.path
        );
        lw.warn(Some(r.line), message);
        return Ok(false);
    }
    let rules = parsed
        .rules
        .into_iter()
        .map(|(rule, _)| VaultRule {
            rule,
            provenance: provenance.clone(),
        })
        .collect();
    lw.snapshot.vault.policies.push(VaultPolicy {
        name,
        rules,
        provenance,
    });
    Ok(true)
}
