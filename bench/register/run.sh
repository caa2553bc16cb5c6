#!/usr/bin/env bash
# Peer comparison on one generated register, all in one run:
#   boardroom (ingest + full analysis), DuckDB recursive CTE, networkx.
# usage: bench/register/run.sh [STATEMENTS] [SHAPE]
#   STATEMENTS defaults to 1000000; SHAPE is register (default) or groups
#   (the brief's peer measurement: two owners per company; 4450000
#   statements give about 1M companies).
# Data, venv and outputs live under $BENCH_DATA (default target/bench-data).
set -euo pipefail
N=${1:-1000000}
SHAPE=${2:-register}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${BENCH_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/target/bench-data}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/target}
mkdir -p "$DATA"
cd "$ROOT"
cargo build --release -q -p boardroom-register --examples
BIN=$CARGO_TARGET_DIR/release/examples
[ -x "$DATA/venv/bin/python" ] || { python3 -m venv "$DATA/venv"; "$DATA/venv/bin/pip" install -q duckdb networkx; }
TAG=$SHAPE-$N
IN=$DATA/$TAG.jsonl
[ -f "$IN" ] || "$BIN/gen_register" --statements "$N" --seed 7 --shape "$SHAPE" --out "$IN"
peak() { grep -E 'Maximum resident' "$1" | awk '{printf "%.0f MB", $6/1024}'; }
echo "== boardroom (read JSONL + build graph + analyse every entity + cycles; the analysis is then rerun 20 times)"
/usr/bin/time -v "$BIN/register_bench" "$IN" --repeat 20 --edges "$DATA/edges-$TAG.csv" --pairs "$DATA/pairs-$TAG.csv" 2> "$DATA/time-boardroom-$TAG.txt" | tee "$DATA/stdout-boardroom-$TAG.txt"
echo "boardroom peak memory: $(peak "$DATA/time-boardroom-$TAG.txt")"
# One cold first run says little on a VM whose huge-page faults sometimes
# stall on compaction: four more fresh processes, and the five cold runs.
COLD=$(awk '/^analyse  /{print $2}' "$DATA/stdout-boardroom-$TAG.txt")
for _ in 1 2 3 4; do
  COLD="$COLD $("$BIN/register_bench" "$IN" --repeat 0 2>/dev/null | awk '/^analyse  /{print $2}')"
done
COLD=$(echo $COLD | tr ' ' '\n' | sort -n | tr '\n' ' ')
echo "boardroom cold first runs (5 processes): $COLD"
COLD_MEDIAN=$(echo $COLD | awk '{print $3}')
FASTEST=$(awk '/^analyse again/{print $4}' "$DATA/stdout-boardroom-$TAG.txt")
MEDIAN=$(awk '/^analyse again/{print $7}' "$DATA/stdout-boardroom-$TAG.txt")
for tool in duckdb networkx; do
  echo "== $tool (from the exported edge list)"
  /usr/bin/time -v "$DATA/venv/bin/python" "$ROOT/bench/register/peers.py" "$tool" "$DATA/edges-$TAG.csv" "$DATA/pairs-$TAG.csv" 2> "$DATA/time-$tool-$TAG.txt" | tee "$DATA/stdout-$tool-$TAG.txt"
  echo "$tool peak memory: $(peak "$DATA/time-$tool-$TAG.txt")"
done
echo "== ratios: the peer's resolution time over boardroom's analysis"
echo "   (cold: the peer's first run over boardroom's median cold first run of 5 processes;"
echo "    fastest: fastest over fastest; median: the peer's fastest over boardroom's median rerun)"
for tool in duckdb networkx; do
  awk -v c="$COLD_MEDIAN" -v f="$FASTEST" -v m="$MEDIAN" -v t="$tool" \
    '/resolve first/{first=$7; best=$10; printf "%s: %.1fx cold, %.1fx fastest, %.1fx median\n", t, first/c, best/f, best/m}' \
    "$DATA/stdout-$tool-$TAG.txt"
done
