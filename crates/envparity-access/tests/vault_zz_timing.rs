mod vault_common;
use envparity_access::vault::*;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
#[test]
fn timing() {
    let mut runner = TestRunner::deterministic();
    let strat = (vault_common::strategies::side(&["a","b","ab","+",""], true), vault_common::strategies::side(&["a","b","ab","+",""], true));
    let mut engine = std::time::Duration::ZERO;
    let mut max = std::time::Duration::ZERO;
    for _ in 0..600 {
        let (s, p) = strat.new_tree(&mut runner).unwrap().current();
        let (s, p) = (Acl::new(&vault_common::build(&s), Flavor::Vault).unwrap(), Acl::new(&vault_common::build(&p), Flavor::Vault).unwrap());
        let t = std::time::Instant::now();
        let _ = compare(&s, &p, &Identity);
        let e = t.elapsed();
        engine += e; max = max.max(e);
    }
    println!("engine {engine:?} max {max:?}");
}
