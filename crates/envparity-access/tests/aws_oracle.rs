//! Differential test of the AWS engine against the independent IAM simulator: the engine's
//! decisions on the hand-written ground truth; then seeded random principal pairs, where every
//! witness of `compare` must be allowed on its side and denied on the other by the simulator,
//! pairs called `Equal` must decide sampled requests alike, and `evaluate` must agree with
//! the simulator on sampled requests. Deterministic (fixed seed) and batched through one
//! `node` process.

#[path = "oracle/mod.rs"]
mod oracle;

use std::collections::BTreeMap;
use std::time::Instant;

use envparity_access::Verdict;
use envparity_access::aws::{
    ActionCatalog, Decision, PrincipalPolicies, Request, compare, evaluate, parse_policy,
};
use oracle::random::{self, Principal, REQUESTS, Rng};
use oracle::repair::{repaired, small_catalog};
use oracle::{SimCase, SimDecision, Simulator};

const SEED: u64 = 0x0e57_a11c_e5ee_d001;
/// 1,000 pairs keep the run near 45 s in a debug build (the comparison takes ~25 ms a pair,
/// the simulator ~1.3 ms a request).
const PAIRS: usize = 1_000;
/// Witnesses checked per direction and pair.
const WITNESSES: usize = 3;
/// Pool requests per pair checked against `evaluate`, and more for `Equal` pairs.
const SAMPLES: usize = 3;
const EQUAL_SAMPLES: usize = 8;
fn parse(doc: &str) -> Result<envparity_access::aws::Policy, String> {
    let value: serde_json::Value = serde_json::from_str(doc).map_err(|e| e.to_string())?;
    parse_policy(&value).map_err(|e| e.to_string())
}

fn engine_policies(p: &Principal) -> Result<PrincipalPolicies, String> {
    let all = |docs: &[String]| docs.iter().map(|d| parse(d)).collect::<Result<Vec<_>, _>>();
    if p.boundary.len() > 1 {
        return Err("the engine takes one boundary policy".to_string());
    }
    Ok(PrincipalPolicies {
        identity: all(&p.identity)?,
        boundary: p.boundary.first().map(|d| parse(d)).transpose()?,
        scps: p.scps.iter().map(|l| all(l)).collect::<Result<_, _>>()?,
    })
}

fn to_sim(d: Decision) -> SimDecision {
    match d {
        Decision::Allow => SimDecision::Allowed,
        Decision::ExplicitDeny => SimDecision::ExplicitlyDenied,
        Decision::ImplicitDeny => SimDecision::ImplicitlyDenied,
    }
}

fn principal_of(case: &SimCase) -> Principal {
    Principal {
        identity: case.identity.clone(),
        boundary: case.boundary.clone(),
        scps: case.scps.clone(),
    }
}

fn request_of(case: &SimCase) -> Request {
    Request {
        action: case.action.clone(),
        resource: case.resource.clone(),
        context: case.context.clone(),
    }
}

#[test]
fn engine_matches_ground_truth() {
    let mut failures = Vec::new();
    for truth in oracle::cases::ground_truth() {
        let decided = engine_policies(&principal_of(&truth.case))
            .map(|p| to_sim(evaluate(&p, &request_of(&truth.case))));
        if decided != Ok(truth.expected) {
            failures.push(format!(
                "{}: expected {:?}, engine said {:?}",
                truth.name, truth.expected, decided
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What one simulator answer (or a pair of them) must satisfy.
enum Check {
    /// The witness must be allowed by side `allow` (answer `allowing`) and denied by the other.
    Witness {
        request: Request,
        allow: usize,
        allowing: usize,
        denying: usize,
    },
    /// The simulator must decide as the engine's `evaluate` did.
    Evaluate { answer: usize, engine: SimDecision },
    /// Both sides of an `Equal` pair must agree on being allowed.
    Equal { staging: usize, production: usize },
}

struct Pending {
    pair: usize,
    label: String,
    check: Check,
}

/// Everything sent to the simulator, and what to check on the answers.
#[derive(Default)]
struct Plan {
    cases: Vec<SimCase>,
    pending: Vec<Pending>,
}

impl Plan {
    fn push(&mut self, case: SimCase) -> usize {
        self.cases.push(case);
        self.cases.len() - 1
    }

    /// Queues a witness: the request against the allowing and the denying side.
    fn witness(
        &mut self,
        pair: &Pair,
        index: usize,
        allow: usize,
        request: Request,
        label: String,
    ) {
        let case = |p: &Principal| p.case(&request.action, &request.resource, &request.context);
        let allowing = self.push(case(&pair.sources[allow]));
        let denying = self.push(case(&pair.sources[1 - allow]));
        self.pending.push(Pending {
            pair: index,
            label,
            check: Check::Witness {
                request,
                allow,
                allowing,
                denying,
            },
        });
    }
}

struct Pair {
    sources: [Principal; 2],
    policies: [PrincipalPolicies; 2],
    verdict: Verdict,
}

fn request_text(r: &Request) -> String {
    let parts: Vec<String> = r
        .context
        .iter()
        .map(|(k, v)| format!("{k}={}", v.join("|")))
        .collect();
    format!(
        "{} on `{}` with {{{}}}",
        r.action,
        r.resource,
        parts.join(", ")
    )
}

fn describe(pair: &Pair, label: &str, problem: &str) -> String {
    format!(
        "{label}: {problem}\n  verdict: {:?}\n  staging: {:?}\n  production: {:?}",
        pair.verdict, pair.sources[0], pair.sources[1]
    )
}

/// Whether a simulator error means the request itself is outside what it accepts (an action
/// it does not know, a resource of the wrong type, a context value of the wrong type), so the
/// witness cannot be checked as it is.
fn unverifiable(error: &str) -> bool {
    [
        "invalid.action",
        "no.resource.types",
        "must.use.wildcard",
        "resource",
        "context",
    ]
    .iter()
    .any(|e| error.contains(e))
}

/// Runs the engine on every pair and queues the simulator cases.
fn plan_pairs(catalog: &ActionCatalog) -> (Vec<Pair>, Plan, BTreeMap<String, usize>) {
    let contexts = random::contexts();
    let mut rng = Rng::new(SEED);
    let mut plan = Plan::default();
    let mut pairs = Vec::new();
    let mut verdicts: BTreeMap<String, usize> = BTreeMap::new();
    for index in 0..PAIRS {
        let staging = random::principal(&mut rng);
        let production = random::counterpart(&mut rng, &staging);
        let (Ok(stg), Ok(prd)) = (engine_policies(&staging), engine_policies(&production)) else {
            panic!("pair {index}: a generated policy does not parse: {staging:?} / {production:?}");
        };
        let comparison = compare(&stg, &prd, catalog);
        *verdicts
            .entry(format!("{:?}", comparison.verdict))
            .or_default() += 1;
        let pair = Pair {
            sources: [staging, production],
            policies: [stg, prd],
            verdict: comparison.verdict,
        };
        let directions = [
            (0, &comparison.staging_only, "staging-only"),
            (1, &comparison.production_only, "production-only"),
        ];
        for (allow, witnesses, name) in directions {
            for (n, w) in witnesses.iter().take(WITNESSES).enumerate() {
                let label = format!(
                    "pair {index} {name} witness {n}: {}",
                    request_text(&w.request)
                );
                plan.witness(&pair, index, allow, w.request.clone(), label);
            }
        }
        let equal = comparison.verdict == Verdict::Equal;
        for _ in 0..if equal { EQUAL_SAMPLES } else { SAMPLES } {
            let (action, resource) = *rng.pick(REQUESTS);
            let request = Request {
                action: action.to_string(),
                resource: resource.to_string(),
                context: rng.pick(&contexts).clone(),
            };
            let label = format!("pair {index} sample: {}", request_text(&request));
            let mut answers = [0usize; 2];
            for side in 0..2 {
                answers[side] =
                    plan.push(pair.sources[side].case(action, resource, &request.context));
                plan.pending.push(Pending {
                    pair: index,
                    label: format!("{label} ({})", ["staging", "production"][side]),
                    check: Check::Evaluate {
                        answer: answers[side],
                        engine: to_sim(evaluate(&pair.policies[side], &request)),
                    },
                });
            }
            if equal {
                plan.pending.push(Pending {
                    pair: index,
                    label,
                    check: Check::Equal {
                        staging: answers[0],
                        production: answers[1],
                    },
                });
            }
        }
        pairs.push(pair);
    }
    (pairs, plan, verdicts)
}

#[derive(Default)]
struct Tally {
    failures: Vec<String>,
    unverified: Vec<String>,
    confirmed: usize,
}

/// Checks the answers; witnesses the simulator refuses as they are go into `retry` on a
/// repaired resource (or count as unverifiable when there is none or this is the retry).
fn check(
    pairs: &[Pair],
    plan: &Plan,
    answers: &[Result<SimDecision, String>],
    catalog: &ActionCatalog,
    tally: &mut Tally,
    mut retry: Option<&mut Plan>,
) {
    let answer = |i: usize| answers.get(i).cloned().unwrap_or(Err("no answer".into()));
    for p in &plan.pending {
        let pair = &pairs[p.pair];
        match &p.check {
            Check::Witness {
                request,
                allow,
                allowing,
                denying,
            } => match (answer(*allowing), answer(*denying)) {
                (Ok(a), Ok(d)) if a.is_allowed() && !d.is_allowed() => tally.confirmed += 1,
                (Ok(a), Ok(d)) => tally.failures.push(describe(
                    pair,
                    &p.label,
                    &format!("simulator: allowing side {a:?}, denying side {d:?}"),
                )),
                (Err(e), _) | (_, Err(e)) if unverifiable(&e) => {
                    let policies = &pair.policies;
                    let fixed = retry.as_mut().and_then(|r| {
                        let fixed =
                            repaired(catalog, request, &policies[*allow], &policies[1 - allow])?;
                        let label = format!("{} (as {})", p.label, request_text(&fixed));
                        r.witness(pair, p.pair, *allow, fixed, label);
                        Some(())
                    });
                    if fixed.is_none() {
                        tally.unverified.push(format!("{}: {e}", p.label));
                    }
                }
                (Err(e), _) | (_, Err(e)) => {
                    let problem = format!("simulator error {e}");
                    tally.failures.push(describe(pair, &p.label, &problem));
                }
            },
            Check::Evaluate { answer: i, engine } => match answer(*i) {
                Ok(sim) if sim == *engine => {}
                other => tally.failures.push(describe(
                    pair,
                    &p.label,
                    &format!("engine evaluate {engine:?}, simulator {other:?}"),
                )),
            },
            Check::Equal {
                staging,
                production,
            } => {
                if let (Ok(s), Ok(d)) = (answer(*staging), answer(*production))
                    && s.is_allowed() != d.is_allowed()
                {
                    let problem =
                        format!("engine says equal, simulator: staging {s:?}, production {d:?}");
                    tally.failures.push(describe(pair, &p.label, &problem));
                }
            }
        }
    }
}

#[test]
fn engine_agrees_with_simulator_on_random_pairs() {
    let Some(mut simulator) = Simulator::start() else {
        eprintln!(
            "skipped engine_agrees_with_simulator_on_random_pairs: the IAM simulator is unavailable"
        );
        return;
    };
    let started = Instant::now();
    let catalog = small_catalog();
    let (pairs, plan, verdicts) = plan_pairs(&catalog);
    let engine_time = started.elapsed();
    let mut tally = Tally::default();
    let mut retry = Plan::default();
    let answers = simulator.decide_all(&plan.cases);
    check(
        &pairs,
        &plan,
        &answers,
        &catalog,
        &mut tally,
        Some(&mut retry),
    );
    let answers = simulator.decide_all(&retry.cases);
    check(&pairs, &retry, &answers, &catalog, &mut tally, None);
    let witnesses = plan
        .pending
        .iter()
        .filter(|p| matches!(p.check, Check::Witness { .. }))
        .count();
    eprintln!(
        "aws oracle: {PAIRS} pairs, verdicts {verdicts:?}; {} simulations; {witnesses} witnesses: \
         {} confirmed ({} on a repaired resource), {} unverifiable; engine {engine_time:.1?}, \
         total {:.1?}",
        plan.cases.len() + retry.cases.len(),
        tally.confirmed,
        retry.pending.len(),
        tally.unverified.len(),
        started.elapsed()
    );
    for u in tally.unverified.iter().take(5) {
        eprintln!("  unverifiable: {u}");
    }
    assert!(
        tally.failures.is_empty(),
        "{} disagreements between the engine and the simulator (first 15):\n{}",
        tally.failures.len(),
        tally
            .failures
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Guard against a vacuous run: most witnesses must reach the simulator. (The rest are
    // differences the engine finds only on resources of a type the action does not take, such
    // as a bucket action on an object ARN, which the simulator refuses to evaluate.)
    assert!(
        tally.confirmed * 2 >= witnesses,
        "only {} of {witnesses} witnesses could be checked by the simulator",
        tally.confirmed
    );
}
