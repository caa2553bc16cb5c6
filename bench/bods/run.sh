#!/usr/bin/env bash
# `boardroom validate bods` against libcovebods on the same generated,
# schema-valid BODS data, in one run. Usage: bench/bods/run.sh [N] [M]
#   N: statements generated (default 1,000,000); M: the first M of them as
#   a JSON array for both tools (default 200,000; libcovebods reads arrays).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000000}
m=${2:-200000}
data=${BENCH_DATA:-target/bench-data}
mkdir -p "$data"
cargo build --release -q -p boardroom-cli
cargo build --release -q -p boardroom-register --example gen_register
venv="$data/venv"
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv"; "$venv/bin/pip" install -q 'libcovebods==0.16.0'; }
target/release/examples/gen_register --statements "$n" --seed 7 --out "$data/gen-$n.jsonl"
python3 bench/bods/valid_bods.py "$data/gen-$n.jsonl" "$data/bods-$n.jsonl" "$data/bods-$m.json" "$m"
echo "== boardroom, $n statements, JSON Lines"
/usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB" target/release/boardroom validate bods "$data/bods-$n.jsonl"
echo "== boardroom, first $m statements, JSON array"
/usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB" target/release/boardroom validate bods "$data/bods-$m.json"
echo "== libcovebods 0.16, first $m statements, JSON array"
/usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB" "$venv/bin/python" scripts/cove.py "$data/bods-$m.json" > "$data/cove-$m.json"
