#!/usr/bin/env bash
# Peer comparison on one generated register, all in one run:
#   boardroom (ingest + full analysis), DuckDB recursive CTE, networkx.
# usage: bench/register/run.sh [STATEMENTS] (default 1000000)
# Data, venv and outputs live under $BENCH_DATA (default target/bench-data).
set -euo pipefail
N=${1:-1000000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${BENCH_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/target/bench-data}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/target}
mkdir -p "$DATA"
cd "$ROOT"
cargo build --release -q -p boardroom-register --examples
BIN=$CARGO_TARGET_DIR/release/examples
[ -x "$DATA/venv/bin/python" ] || { python3 -m venv "$DATA/venv"; "$DATA/venv/bin/pip" install -q duckdb networkx; }
IN=$DATA/reg-$N.jsonl
[ -f "$IN" ] || "$BIN/gen_register" --statements "$N" --seed 7 --out "$IN"
peak() { grep -E 'Maximum resident' "$1" | awk '{printf "%.0f MB", $6/1024}'; }
echo "== boardroom (read JSONL + build graph + analyse every entity + cycles)"
/usr/bin/time -v "$BIN/register_bench" "$IN" --edges "$DATA/edges-$N.csv" --pairs "$DATA/pairs-$N.csv" 2> "$DATA/time-boardroom-$N.txt"
echo "boardroom peak memory: $(peak "$DATA/time-boardroom-$N.txt")"
for tool in duckdb networkx; do
  echo "== $tool (from the exported edge list)"
  /usr/bin/time -v "$DATA/venv/bin/python" "$ROOT/bench/register/peers.py" "$tool" "$DATA/edges-$N.csv" "$DATA/pairs-$N.csv" 2> "$DATA/time-$tool-$N.txt"
  echo "$tool peak memory: $(peak "$DATA/time-$tool-$N.txt")"
done
