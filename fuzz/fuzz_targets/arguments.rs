//! The weights and quota of `power` and the terms of `waterfall` (a fund's
//! ledger included), from
//! text: refused with an error or computed, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (head, rest) = text.split_once('\n').unwrap_or((text, ""));
    if let Ok(weights) = boardroom_power::parse_weights(head) {
        let quota = rest.trim().parse::<u64>().unwrap_or(1);
        // Up to 16 players: Johnston's index enumerates every coalition up
        // to 25 players by design (24 players: 1.4 s in a release build, over
        // the 10 s limit under the fuzzer's instrumentation); the benches
        // measure that size, the fuzzer looks for wrong turns.
        let n = weights.len();
        if n <= 16
            && let Ok(game) = boardroom_power::WeightedGame::new(quota, weights)
        {
            let names: Vec<String> = (0..n).map(|i| format!("P{i}")).collect();
            let game = boardroom_power::Game::Weighted(game);
            // Within what the CLI computes without --approx.
            if boardroom_power::exact_work(&game, &Default::default()) < 1_000_000_000 {
                let _ = boardroom_power::analyse(&game, &names, &Default::default());
            }
        }
    }
    if let Ok(terms) = toml::from_str::<boardroom_waterfall::Terms>(text) {
        if terms.is_ledger() {
            let _ = boardroom_waterfall::ledger(&terms, &Default::default());
        } else {
            let _ = boardroom_waterfall::distribute(&terms, rust_decimal::Decimal::from(1_000_000));
        }
    }
});
