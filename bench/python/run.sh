#!/usr/bin/env bash
# The Python package against the command line on the same register, and
# against DuckDB and networkx from Python, in one run, taking turns; then
# checks that all four give the same (company, ultimate owner) pairs.
#
# usage: bench/python/run.sh [STATEMENTS] [ROUNDS]
#   STATEMENTS defaults to 1000000 statements in the `groups` shape (two
#   owners per company, holding companies in chains); ROUNDS defaults to 3
#   (networkx runs once: it is the slowest by far).
# Data and venv live under $BENCH_DATA (default target/bench-data); the
# package is built optimised into that venv (`pip install ./crates/boardroom-py`).
set -euo pipefail
N=${1:-1000000}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${BENCH_DATA:-$ROOT/target/bench-data}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$DATA"
cd "$ROOT"
cargo build --release -q -p boardroom-cli -p boardroom-register --examples --bins
BR=$CARGO_TARGET_DIR/release/boardroom
PY=$DATA/venv/bin/python
[ -x "$PY" ] || python3 -m venv "$DATA/venv"
"$PY" -c 'import duckdb, networkx, pyarrow' 2>/dev/null || "$DATA/venv/bin/pip" install -q duckdb networkx pyarrow
"$DATA/venv/bin/pip" install -q --disable-pip-version-check ./crates/boardroom-py
IN=$DATA/groups-$N.jsonl
[ -f "$IN" ] || "$CARGO_TARGET_DIR/release/examples/gen_register" --statements "$N" --seed 7 --shape groups --out "$IN"
echo "input: $IN ($(du -h "$IN" | cut -f1)); $(nproc) cores; $(date -u +%FT%TZ)"
F=$DATA/fp
mkdir -p "$F"
CLI="" PYT="" DK=""
for r in $(seq "$ROUNDS"); do
  s=$(date +%s.%N); "$BR" -q analyse --bods "$IN" -o "$DATA/cli-$N.parquet"; e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc); CLI="$CLI $t"
  line=$("$PY" bench/python/bench.py boardroom "$IN" "$F/python"); PYT="$PYT $(echo "$line" | awk '{print $2}')"
  dline=$("$PY" bench/python/bench.py duckdb "$IN" "$F/duckdb"); DK="$DK $(echo "$dline" | awk '{print $2}')"
  printf 'round %s: cli %.2f s (analyse to Parquet, whole process); %s; %s\n' "$r" "$t" "$line" "$dline"
done
nline=$("$PY" bench/python/bench.py networkx "$IN" "$F/networkx"); echo "$nline"
NX=$(echo "$nline" | awk '{print $2}')
"$PY" bench/python/bench.py cli-pairs "$DATA/cli-$N.parquet" "$F/cli"
med() { echo $1 | tr " " "\n" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "medians of $ROUNDS: cli $(med "$CLI") s, python $(med "$PYT") s, duckdb $(med "$DK") s"
awk -v c="$(med "$CLI")" -v p="$(med "$PYT")" -v d="$(med "$DK")" \
  -v n="$NX" 'BEGIN { printf "ratios: python / cli %.2fx (the package'"'"'s overhead); duckdb / python %.2fx; networkx / python %.1fx\n", p / c, d / p, n / p }'
"$PY" bench/python/bench.py check "$F/cli" "$F/python" "$F/duckdb" "$F/networkx"
