#!/usr/bin/env bash
# The cap-table and look-through figures in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo run --release -p boardroom-waterfall --example waterfall_bench
