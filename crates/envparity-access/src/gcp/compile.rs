//! A [`Model`] prepared for evaluation: resource names canonical (aliases resolved), the
//! ancestry of each resource, members parsed, roles resolved, conditions and deny-rule
//! permissions lowered. What the inputs leave open (a role without definition, a deny policy
//! without rules, an ancestry not exported) becomes a `Missing` atom, so that the evaluator
//! answers `Unknown` and the comparison never proves anything that depends on it.

use std::collections::{BTreeMap, BTreeSet};

use super::condition::{Atom, Atoms, Cond, lower};
use super::member::Member;
use super::permission::{glob, v1_pattern};
use super::types::{Model, Role};

/// A binding's role: its definition, or an atom standing for "the permission is in it".
#[derive(Debug, Clone)]
pub(crate) enum RoleRef<'m> {
    Known(&'m Role),
    Missing(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct CBinding<'m> {
    /// Canonical resource; `None` when the policy's resource is unknown.
    pub node: Option<String>,
    pub role_name: String,
    pub role: RoleRef<'m>,
    pub members: Vec<Member>,
    pub cond: Cond,
    pub origin: usize,
}

impl CBinding<'_> {
    /// Whether the role holds `permission` (`None`: a permission no known role holds).
    pub fn grants(&self, permission: Option<&str>) -> Cond {
        match (&self.role, permission) {
            (RoleRef::Known(role), Some(p)) => Cond::Const(role.permissions.contains(p)),
            (RoleRef::Known(_), None) => Cond::Const(false),
            (RoleRef::Missing(atom), _) => Cond::Atom(*atom),
        }
    }
}

/// The permissions of a deny rule's list: v1 patterns, an atom for entries that could not be
/// read (any permission may match), and an atom for "a permission outside the known roles
/// matches".
#[derive(Debug, Clone)]
pub(crate) struct PermMatch {
    pub patterns: Vec<String>,
    pub maybe: Option<usize>,
    pub other: Option<usize>,
}

impl PermMatch {
    pub fn matches(&self, permission: Option<&str>) -> Cond {
        let certain = match permission {
            Some(p) => Cond::Const(self.patterns.iter().any(|pat| glob(pat, p))),
            None => self.other.map_or(Cond::Const(false), Cond::Atom),
        };
        match self.maybe {
            Some(atom) => Cond::Or(vec![certain, Cond::Atom(atom)]),
            None => certain,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct CDeny {
    pub node: String,
    pub principals: Vec<Member>,
    pub exceptions: Vec<Member>,
    pub denied: PermMatch,
    pub excepted: PermMatch,
    pub cond: Cond,
    pub origin: Option<usize>,
}

impl CDeny {
    pub fn applies_to(&self, principal: &Member) -> bool {
        self.principals.iter().any(|m| m.includes(principal))
            && !self.exceptions.iter().any(|m| m.includes(principal))
    }

    /// The rule's permissions hold `permission` (its condition aside).
    pub fn covers(&self, permission: Option<&str>) -> Cond {
        Cond::And(vec![
            self.denied.matches(permission),
            Cond::Not(Box::new(self.excepted.matches(permission))),
        ])
    }

    /// The rule denies `permission` (under its condition).
    pub fn denies(&self, permission: Option<&str>) -> Cond {
        Cond::And(vec![self.cond.clone(), self.covers(permission)])
    }
}

/// Whether a policy attached to one resource applies to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Applies {
    Yes,
    No,
    Maybe(usize),
}

#[derive(Debug)]
pub(crate) struct Compiled<'m> {
    canonical: BTreeMap<String, String>,
    parents: BTreeMap<String, String>,
    /// Projects (canonical) whose number form is known.
    numbered: BTreeSet<String>,
    /// Every canonical resource the model names.
    pub nodes: BTreeSet<String>,
    pub bindings: Vec<CBinding<'m>>,
    pub denies: Vec<CDeny>,
    /// Prefix of side-specific `Missing` atoms (`staging: `), empty for one model alone.
    side: String,
}

/// A full resource name (`//cloudresourcemanager.googleapis.com/projects/p`) in the
/// relative form; other names unchanged.
pub(crate) fn relative_name(name: &str) -> &str {
    let t = name.trim();
    match t.strip_prefix("//") {
        Some(rest) => rest.split_once('/').map_or(t, |(_, r)| r),
        None => t,
    }
}

fn numeric_project(name: &str) -> bool {
    name.strip_prefix("projects/")
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

fn is_project(name: &str) -> bool {
    name.strip_prefix("projects/")
        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

impl<'m> Compiled<'m> {
    /// Prepares `model`. Roles that are the same object in both environments (`shared`:
    /// predefined roles always, custom roles the caller knows to be one) and missing from it
    /// are looked up in `fallback`, the other environment's definitions. `side` prefixes the
    /// text of facts that belong to this model only.
    pub fn new(
        model: &'m Model,
        fallback: Option<&'m Model>,
        shared: &dyn Fn(&str) -> bool,
        side: &str,
        atoms: &mut Atoms,
    ) -> Compiled<'m> {
        let shared = |role: &str| Role::is_predefined(role) || shared(role);
        let mut c = Compiled {
            canonical: BTreeMap::new(),
            parents: BTreeMap::new(),
            numbered: BTreeSet::new(),
            nodes: BTreeSet::new(),
            bindings: Vec::new(),
            denies: Vec::new(),
            side: side.to_string(),
        };
        for node in &model.nodes {
            let name = relative_name(&node.name).to_string();
            for alias in &node.aliases {
                let alias = relative_name(alias).to_string();
                if numeric_project(&alias) {
                    c.numbered.insert(name.clone());
                }
                c.canonical.entry(alias).or_insert_with(|| name.clone());
            }
        }
        for node in &model.nodes {
            let name = c.canon(&node.name);
            if let Some(parent) = &node.parent {
                let parent = c.canon(parent);
                c.nodes.insert(parent.clone());
                c.parents.insert(name.clone(), parent);
            }
            c.nodes.insert(name);
        }
        for policy in &model.allow {
            let node = (!policy.resource.trim().is_empty()).then(|| c.canon(&policy.resource));
            if let Some(n) = &node {
                c.nodes.insert(n.clone());
            }
            for b in &policy.bindings {
                let role = match model.roles.get(&b.role).or_else(|| {
                    fallback
                        .filter(|_| shared(&b.role))
                        .and_then(|f| f.roles.get(&b.role))
                }) {
                    Some(role) => RoleRef::Known(role),
                    None => {
                        RoleRef::Missing(atoms.intern(c.missing_role(&b.role, shared(&b.role))))
                    }
                };
                let cond = b
                    .condition
                    .as_ref()
                    .map_or(Cond::Const(true), |k| lower(&k.expression, atoms));
                c.bindings.push(CBinding {
                    node: node.clone(),
                    role_name: b.role.clone(),
                    role,
                    members: b.members.iter().map(|m| Member::parse(m)).collect(),
                    cond,
                    origin: b.origin,
                });
            }
        }
        for policy in &model.deny {
            let node = c.canon(&policy.attachment);
            c.nodes.insert(node.clone());
            let Some(rules) = &policy.rules else {
                let id = policy.name.rsplit('/').next().unwrap_or(&policy.name);
                let text = format!(
                    "{}the rules of deny policy `{id}` on `{node}` are not among the inputs (export them with `gcloud iam policies get {id} --kind=denypolicies --format=json`)",
                    c.side
                );
                let atom = atoms.intern(Atom::Missing(text));
                c.denies.push(CDeny {
                    node,
                    principals: vec![Member::AllUsers],
                    exceptions: Vec::new(),
                    denied: PermMatch {
                        patterns: Vec::new(),
                        maybe: Some(atom),
                        other: None,
                    },
                    excepted: PermMatch {
                        patterns: Vec::new(),
                        maybe: None,
                        other: None,
                    },
                    cond: Cond::Const(true),
                    origin: None,
                });
                continue;
            };
            for rule in rules {
                let what = format!(
                    "deny policy `{}` on `{node}`",
                    policy.name.rsplit('/').next().unwrap_or(&policy.name)
                );
                let cond = rule
                    .condition
                    .as_ref()
                    .map_or(Cond::Const(true), |k| lower(&k.expression, atoms));
                c.denies.push(CDeny {
                    node: node.clone(),
                    principals: rule
                        .denied_principals
                        .iter()
                        .map(|m| Member::parse(m))
                        .collect(),
                    exceptions: rule
                        .exception_principals
                        .iter()
                        .map(|m| Member::parse(m))
                        .collect(),
                    denied: c.perm_match(&rule.denied_permissions, &what, atoms),
                    excepted: c.perm_match(&rule.exception_permissions, &what, atoms),
                    cond,
                    origin: Some(rule.origin),
                });
            }
        }
        c
    }

    fn missing_role(&self, role: &str, shared: bool) -> Atom {
        let side = if shared { "" } else { &self.side };
        Atom::Missing(format!(
            "{side}the definition of role `{role}` is not among the inputs (export it with `gcloud iam roles describe {role} --format=json`)"
        ))
    }

    fn perm_match(&self, list: &[String], what: &str, atoms: &mut Atoms) -> PermMatch {
        let mut patterns = Vec::new();
        let mut bad = Vec::new();
        for p in list {
            match v1_pattern(p) {
                Ok(v1) => patterns.push(v1),
                Err(e) => bad.push(e),
            }
        }
        patterns.sort();
        patterns.dedup();
        let maybe = bad.first().map(|e| {
            atoms.intern(Atom::Missing(format!(
                "{}{what} cannot be read: {e}",
                self.side
            )))
        });
        let other = (!patterns.is_empty()).then(|| atoms.intern(Atom::Pattern(patterns.join(" "))));
        PermMatch {
            patterns,
            maybe,
            other,
        }
    }

    /// The canonical form of a resource name (relative form, aliases resolved).
    pub fn canon(&self, name: &str) -> String {
        let relative = relative_name(name);
        self.canonical
            .get(relative)
            .cloned()
            .unwrap_or_else(|| relative.to_string())
    }

    /// The parent of a resource: the recorded one, else for a resource inside a project,
    /// folder or organization (`projects/p/serviceAccounts/x`) that container.
    fn parent(&self, node: &str) -> Option<String> {
        if let Some(parent) = self.parents.get(node) {
            return Some(parent.clone());
        }
        let mut parts = node.splitn(3, '/');
        let (kind, id, rest) = (parts.next()?, parts.next()?, parts.next()?);
        let container = matches!(kind, "projects" | "folders" | "organizations");
        // `projects/_/buckets/b` and `projects/-/serviceAccounts/x` do not name their project.
        let named = !id.is_empty() && id != "_" && id != "-";
        (container && named && !rest.is_empty()).then(|| self.canon(&format!("{kind}/{id}")))
    }

    /// The resource and its known ancestors, innermost first.
    pub fn chain(&self, node: &str) -> Vec<String> {
        let mut out = vec![node.to_string()];
        while let Some(parent) = out.last().and_then(|at| self.parent(at)) {
            if out.contains(&parent) || out.len() > 64 {
                break;
            }
            out.push(parent);
        }
        out
    }

    /// Whether a policy attached to `attachment` applies to resources in `node` (both
    /// canonical): certainly when it is in the chain of ancestors; possibly when the chain
    /// is incomplete (it does not reach an organization) and the attachment is a folder or
    /// organization, or a project while the chain holds none; or when a project is named by
    /// number on one side of the question and by id on the other without the relation being
    /// known.
    pub fn applies(&self, attachment: &str, node: &str, atoms: &mut Atoms) -> Applies {
        let chain = self.chain(node);
        if chain.iter().any(|n| n == attachment) {
            return Applies::Yes;
        }
        let complete = chain
            .last()
            .is_some_and(|n| n.starts_with("organizations/"));
        let unresolved_number = |n: &str| numeric_project(n);
        let unnumbered =
            |n: &str| is_project(n) && !numeric_project(n) && !self.numbered.contains(n);
        // An organization has no ancestor; a project or folder is inside no project.
        let container = |n: &str| {
            let mut parts = n.split('/');
            matches!(
                (parts.next(), parts.next(), parts.next()),
                (
                    Some("projects" | "folders" | "organizations"),
                    Some(_),
                    None
                )
            )
        };
        let possible = if node.starts_with("organizations/") {
            false
        } else if attachment.starts_with("organizations/") || attachment.starts_with("folders/") {
            !complete
        } else if is_project(attachment)
            && !complete
            && !container(node)
            && !chain.iter().any(|n| is_project(n))
        {
            true
        } else if unresolved_number(attachment) {
            chain.iter().any(|n| unnumbered(n))
        } else if unnumbered(attachment) {
            chain.iter().any(|n| unresolved_number(n))
        } else {
            false
        };
        if !possible {
            return Applies::No;
        }
        Applies::Maybe(atoms.intern(Atom::Missing(format!(
            "{}whether policies of `{attachment}` apply to `{node}` is not known: the resource hierarchy is not among the inputs (export it with `gcloud projects get-ancestors` and `gcloud projects describe`)",
            self.side
        ))))
    }

    /// Where an allow binding applies relative to `node`.
    pub fn binding_applies(
        &self,
        binding: &CBinding<'_>,
        node: &str,
        atoms: &mut Atoms,
    ) -> Applies {
        match &binding.node {
            Some(at) => self.applies(at, node, atoms),
            None => Applies::Maybe(atoms.intern(Atom::Missing(format!(
                "{}an allow policy granting `{}` is attached to a resource that is not known (name its file after the resource, e.g. `projects-<id>.iam.json`)",
                self.side, binding.role_name
            )))),
        }
    }
}

impl Applies {
    /// The condition form: true, false, or the atom.
    pub fn cond(self) -> Cond {
        match self {
            Applies::Yes => Cond::Const(true),
            Applies::No => Cond::Const(false),
            Applies::Maybe(atom) => Cond::Atom(atom),
        }
    }
}
