//! Cycles of control, found once per knot of the control graph: checked
//! against a plain search for a path back to each entity.

use std::collections::BTreeSet;

use boardroom::{Structure, validate};
use proptest::prelude::*;

/// Entities `e0..en`, each edge (a, b) a 60% shareholding of `a` in `b`
/// (control of `b`).
fn structure(n: usize, edges: &[(usize, usize)]) -> Structure {
    let party: Vec<_> = (0..n)
        .map(|i| serde_json::json!({"id": format!("e{i}"), "name": format!("E{i}"), "kind": "corporation"}))
        .collect();
    let mut seen = BTreeSet::new();
    let interest: Vec<_> = edges
        .iter()
        .filter(|e| seen.insert(**e))
        .enumerate()
        .map(|(k, (a, b))| {
            serde_json::json!({
                "id": format!("i{k}"), "holder": format!("e{a}"), "subject": format!("e{b}"),
                "type": "shareholding", "share": {"exact": 60}
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({"party": party, "interest": interest}))
        .expect("a structure")
}

/// The entities that reach themselves, by a search from each.
fn on_cycles(n: usize, edges: &[(usize, usize)]) -> BTreeSet<usize> {
    (0..n)
        .filter(|&s| {
            let mut seen = BTreeSet::new();
            let mut todo = vec![s];
            while let Some(x) = todo.pop() {
                for &(a, b) in edges {
                    if a == x {
                        if b == s {
                            return true;
                        }
                        if seen.insert(b) {
                            todo.push(b);
                        }
                    }
                }
            }
            false
        })
        .collect()
}

proptest! {
    /// Every entity on a cycle is named in a reported cycle, every reported
    /// cycle is one, and a knot of control is reported once.
    #[test]
    fn every_cycle_of_control_is_reported_once_per_knot(
        n in 1usize..9,
        raw in proptest::collection::vec((0usize..9, 0usize..9), 0..14),
    ) {
        // One holder of 60% per subject: the rest would be refused as over 100%.
        let mut taken = BTreeSet::new();
        let edges: Vec<(usize, usize)> = raw
            .into_iter()
            .map(|(a, b)| (a % n, b % n))
            .filter(|&(_, b)| taken.insert(b))
            .collect();
        let s = structure(n, &edges);
        let cycles: Vec<String> = validate(&s)
            .into_iter()
            .filter(|d| d.message.starts_with("cycle of control"))
            .map(|d| d.message)
            .collect();
        let expected = on_cycles(n, &edges);
        let named: BTreeSet<usize> = cycles
            .iter()
            .flat_map(|m| m.trim_start_matches("cycle of control: ").split(" → "))
            .map(|e| e.trim_start_matches('E').parse::<usize>().expect("an entity"))
            .collect();
        prop_assert_eq!(&named, &expected, "{:?} on {:?}", cycles, edges);
        // With one controller per entity, each knot is a single ring: one
        // message per ring, each entity in exactly one.
        let mentions: usize = cycles
            .iter()
            .map(|m| m.split(" → ").count() - 1)
            .sum();
        prop_assert_eq!(mentions, expected.len());
    }
}
