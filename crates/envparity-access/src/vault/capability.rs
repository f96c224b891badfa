//! Vault / OpenBao capabilities, the operations a request performs, and the two server
//! flavours whose evaluators differ in a few places.

use std::fmt;

use serde::{Serialize, Serializer};

/// Which server's evaluator to follow where HashiCorp Vault and OpenBao differ: Vault knows
/// `recover` and `subscribe`, OpenBao `scan`; Vault retries a LIST on `path/` without the slash
/// *before* the wildcard rules for `path/`, OpenBao *after* them (and for SCAN too); Vault
/// splits comma-separated string parameters when matching allowed and denied values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Flavor {
    #[default]
    Vault,
    OpenBao,
}

/// One capability of a `path` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Capability {
    Deny,
    Create,
    Read,
    Update,
    Delete,
    List,
    Sudo,
    Patch,
    /// Vault: event subscriptions.
    Subscribe,
    /// Vault: recovering a snapshot's data.
    Recover,
    /// OpenBao: recursive listing.
    Scan,
}

impl Capability {
    pub const ALL: [Capability; 11] = [
        Capability::Deny,
        Capability::Create,
        Capability::Read,
        Capability::Update,
        Capability::Delete,
        Capability::List,
        Capability::Sudo,
        Capability::Patch,
        Capability::Subscribe,
        Capability::Recover,
        Capability::Scan,
    ];

    /// The capability named `name` (exact spelling, as the servers require).
    pub fn parse(name: &str) -> Option<Capability> {
        Capability::ALL.into_iter().find(|c| c.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Capability::Deny => "deny",
            Capability::Create => "create",
            Capability::Read => "read",
            Capability::Update => "update",
            Capability::Delete => "delete",
            Capability::List => "list",
            Capability::Sudo => "sudo",
            Capability::Patch => "patch",
            Capability::Subscribe => "subscribe",
            Capability::Recover => "recover",
            Capability::Scan => "scan",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of capabilities. A set holding `deny` holds nothing else once parsed or merged.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Capabilities(u16);

impl Capabilities {
    pub fn empty() -> Capabilities {
        Capabilities(0)
    }

    pub fn only(capability: Capability) -> Capabilities {
        Capabilities(capability.bit())
    }

    pub fn of(capabilities: &[Capability]) -> Capabilities {
        let mut set = Capabilities::empty();
        for c in capabilities {
            set.insert(*c);
        }
        set
    }

    pub fn insert(&mut self, capability: Capability) {
        self.0 |= capability.bit();
    }

    pub fn contains(self, capability: Capability) -> bool {
        self.0 & capability.bit() != 0
    }

    pub fn is_deny(self) -> bool {
        self.contains(Capability::Deny)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn union(self, other: Capabilities) -> Capabilities {
        Capabilities(self.0 | other.0)
    }

    /// The members in declaration order.
    pub fn iter(self) -> impl Iterator<Item = Capability> {
        Capability::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }
}

impl fmt::Debug for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.iter().map(Capability::name))
            .finish()
    }
}

impl fmt::Display for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Capability::name).collect();
        write!(f, "[{}]", names.join(", "))
    }
}

impl Serialize for Capabilities {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Capability::name))
    }
}

/// What a request does. `Sudo` and `Subscribe` are not request operations of their own: they
/// stand for "a request needing root privileges (`sudo`) on this path" and "subscribing to
/// events of this path", which the servers decide from the rule's capabilities alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    Read,
    List,
    Create,
    Update,
    Patch,
    Delete,
    Scan,
    Recover,
    Revoke,
    Renew,
    Rollback,
    Help,
    Sudo,
    Subscribe,
}

impl Operation {
    pub const ALL: [Operation; 14] = [
        Operation::Read,
        Operation::List,
        Operation::Create,
        Operation::Update,
        Operation::Patch,
        Operation::Delete,
        Operation::Scan,
        Operation::Recover,
        Operation::Revoke,
        Operation::Renew,
        Operation::Rollback,
        Operation::Help,
        Operation::Sudo,
        Operation::Subscribe,
    ];

    pub fn parse(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Operation::Read => "read",
            Operation::List => "list",
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Patch => "patch",
            Operation::Delete => "delete",
            Operation::Scan => "scan",
            Operation::Recover => "recover",
            Operation::Revoke => "revoke",
            Operation::Renew => "renew",
            Operation::Rollback => "rollback",
            Operation::Help => "help",
            Operation::Sudo => "sudo",
            Operation::Subscribe => "subscribe",
        }
    }

    /// The capability the operation needs under `flavor`; `None` when the flavour has no such
    /// operation (it is then always denied) or for `help` (always allowed).
    pub fn capability(self, flavor: Flavor) -> Option<Capability> {
        match (self, flavor) {
            (Operation::Read, _) => Some(Capability::Read),
            (Operation::List, _) => Some(Capability::List),
            (Operation::Create, _) => Some(Capability::Create),
            (Operation::Update | Operation::Revoke | Operation::Renew | Operation::Rollback, _) => {
                Some(Capability::Update)
            }
            (Operation::Patch, _) => Some(Capability::Patch),
            (Operation::Delete, _) => Some(Capability::Delete),
            (Operation::Sudo, _) => Some(Capability::Sudo),
            (Operation::Scan, Flavor::OpenBao) => Some(Capability::Scan),
            (Operation::Recover, Flavor::Vault) => Some(Capability::Recover),
            (Operation::Subscribe, Flavor::Vault) => Some(Capability::Subscribe),
            (Operation::Scan, Flavor::Vault)
            | (Operation::Recover | Operation::Subscribe, Flavor::OpenBao)
            | (Operation::Help, _) => None,
        }
    }

    /// Whether the servers check the request's parameters (allowed, denied, required) for it.
    pub fn checks_parameters(self, flavor: Flavor) -> bool {
        match self {
            Operation::Read | Operation::Update | Operation::Create | Operation::Patch => true,
            Operation::Recover => flavor == Flavor::Vault,
            _ => false,
        }
    }

    /// Whether the lookup follows the LIST rules (a trailing `/` may be dropped): LIST, and
    /// SCAN under OpenBao; `Subscribe` looks up like the capabilities endpoint, which uses
    /// LIST.
    pub fn looks_up_as_list(self, flavor: Flavor) -> bool {
        match self {
            Operation::List | Operation::Subscribe => true,
            Operation::Scan => flavor == Flavor::OpenBao,
            _ => false,
        }
    }

    /// Whether only the rule's capabilities decide (no wrapping or parameter checks).
    pub fn capability_only(self) -> bool {
        matches!(self, Operation::Sudo | Operation::Subscribe)
    }

    /// The operations a comparison checks under `flavor` (`revoke`, `renew` and `rollback`
    /// decide exactly like `update`; `help` is always allowed).
    pub fn compared(flavor: Flavor) -> &'static [Operation] {
        match flavor {
            Flavor::Vault => &[
                Operation::Read,
                Operation::List,
                Operation::Create,
                Operation::Update,
                Operation::Patch,
                Operation::Delete,
                Operation::Recover,
                Operation::Sudo,
                Operation::Subscribe,
            ],
            Flavor::OpenBao => &[
                Operation::Read,
                Operation::List,
                Operation::Create,
                Operation::Update,
                Operation::Patch,
                Operation::Delete,
                Operation::Scan,
                Operation::Sudo,
            ],
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
