//! Properties of the embedded scenario and of structure files.

use boardroom::{State, replay, state_as_of};
use boardroom_formats::{SCENARIOS, load, to_toml};
use chrono::NaiveDate;
use proptest::prelude::*;

fn openai() -> boardroom::Structure {
    let sc = SCENARIOS[0];
    load(sc.id, sc.text)
        .expect("the embedded scenario loads")
        .structure
}

#[test]
fn every_embedded_scenario_loads_without_warnings() {
    for sc in SCENARIOS {
        let loaded = load(sc.id, sc.text).expect("loads");
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    }
}

#[test]
fn replay_is_deterministic() {
    let s = openai();
    assert_eq!(replay(&s), replay(&s));
}

#[test]
fn a_structure_written_as_toml_reads_back_the_same() {
    let s = openai();
    let text = to_toml(&s).expect("serialises");
    let back = load("roundtrip.toml", &text).expect("reads back").structure;
    assert_eq!(back, s);
}

fn date(day_offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 11, 10).expect("date") + chrono::Duration::days(day_offset)
}

proptest! {
    /// The state folded to a date equals the state folded in two steps.
    #[test]
    fn folding_in_two_steps_equals_folding_in_one(a in 0i64..30, b in 0i64..30) {
        let s = openai();
        let (d1, d2) = (date(a.min(b)), date(a.max(b)));
        let (once, v_once) = state_as_of(&s, d2);
        let mut twice = State::initial(&s);
        let mut v_twice = twice.advance(&s, Some(d1));
        v_twice.extend(twice.advance(&s, Some(d2)));
        prop_assert_eq!(once, twice);
        prop_assert_eq!(v_once, v_twice);
    }
}
