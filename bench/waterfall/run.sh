#!/usr/bin/env bash
# Reproduces crates/boardroom-waterfall/BENCH-RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo run --release -p boardroom-waterfall --example waterfall_bench
