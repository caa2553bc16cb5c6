#!/usr/bin/env bash
# Benchmark boardroom-power's exact Banzhaf / Shapley-Shubik against the
# `powerindex` PyPI package on identical random games (weights 1..=1000,
# quota floor(W/2)+1, n = 50, 200, 1000, 5000; powerindex up to n = 1000).
# Usage: bench/power/run.sh [MAX_N_FOR_POWERINDEX]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/power-bench-venv"
games="$target/power-bench-games.json"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet powerindex==0.3.5
fi
cargo build --release -p boardroom-power --example power_bench
echo "== boardroom-power (exact; /usr/bin/time -v for peak memory)"
/usr/bin/time -v "$target/release/examples/power_bench" \
  --ns 50,200,1000,5000 --ss-ns 50,200,1000 --out "$games" 2> "$target/power-bench-time.txt"
grep -E "Maximum resident|Elapsed" "$target/power-bench-time.txt"
echo "== powerindex $("$venv/bin/pip" show powerindex | sed -n 's/^Version: //p') (calc_banzhaf)"
"$venv/bin/python" bench/power/powerindex_bench.py "$games" "${1:-1000}"
