#!/usr/bin/env bash
# End to end on one BODS JSON Lines file, boardroom against DuckDB and `cat`,
# in one run, taking turns: each reads the file and writes every company's
# ultimate owners as CSV. boardroom writes a row per (entity, owner or
# controller) with shares, paths and depths; DuckDB writes the (company,
# ultimate owner) pairs of a recursive query. The script then checks that
# the pairs agree (count and checksum) and fails if they do not.
#
# usage: bench/register/end_to_end.sh [STATEMENTS] [SHAPE] [ROUNDS]
#   STATEMENTS defaults to 4450000 in the `groups` shape: about 1.1M
#   companies, 2.2M ownership edges, 3.6M pairs (1.5 GB). ROUNDS (default
#   3) alternates the tools; the fastest and the median are printed.
# Data, venv and outputs live under $BENCH_DATA (default target/bench-data).
set -euo pipefail
N=${1:-4450000}
SHAPE=${2:-groups}
ROUNDS=${3:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${BENCH_DATA:-$ROOT/target/bench-data}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$DATA"
cd "$ROOT"
cargo build --release -q -p boardroom-cli -p boardroom-register --examples --bins
BR=$CARGO_TARGET_DIR/release/boardroom
[ -x "$DATA/venv/bin/python" ] || python3 -m venv "$DATA/venv"
"$DATA/venv/bin/python" -c 'import duckdb' 2>/dev/null || "$DATA/venv/bin/pip" install -q duckdb
IN=$DATA/$SHAPE-$N.jsonl
[ -f "$IN" ] || "$CARGO_TARGET_DIR/release/examples/gen_register" --statements "$N" --seed 7 --shape "$SHAPE" --out "$IN"
echo "input: $IN ($(du -h "$IN" | cut -f1)); $(nproc) cores; $(date -u +%FT%TZ)"
secs() { /usr/bin/time -f '%e %M' -o "$DATA/t" "$@" > "$DATA/stdout" 2>&1 || { cat "$DATA/stdout"; exit 1; }; cat "$DATA/t"; }
CAT="" BRS="" DKS="" MEM_BR="" MEM_DK=""
for r in $(seq "$ROUNDS"); do
  read -r t _ < <(secs sh -c "cat '$IN' > /dev/null"); CAT="$CAT $t"
  read -r t m < <(secs "$BR" -q analyse --bods "$IN" -o "$DATA/boardroom-$SHAPE-$N.csv"); BRS="$BRS $t"; MEM_BR="$MEM_BR $((m / 1024))"
  read -r t m < <(secs "$DATA/venv/bin/python" bench/register/end_to_end.py duckdb "$IN" "$DATA/duckdb-$SHAPE-$N.csv"); DKS="$DKS $t"; MEM_DK="$MEM_DK $((m / 1024))"
  echo "round $r: cat $(echo $CAT | awk '{print $NF}') s, boardroom $(echo $BRS | awk '{print $NF}') s, duckdb $(echo $DKS | awk '{print $NF}') s ($(cat "$DATA/stdout"))"
done
fastmed() { echo $1 | tr " " "\n" | sort -n | awk '{a[NR]=$1} END {printf "%s %s\n", a[1], a[int((NR+1)/2)]}'; }
read -r CF CM < <(fastmed "$CAT"); read -r BF BM < <(fastmed "$BRS"); read -r DF DM < <(fastmed "$DKS")
echo "fastest / median of $ROUNDS: cat $CF / $CM s; boardroom $BF / $BM s (peak$(fastmed "$MEM_BR" | awk '{print " " $2}') MB); duckdb $DF / $DM s (peak$(fastmed "$MEM_DK" | awk '{print " " $2}') MB)"
awk -v b="$BM" -v d="$DM" -v c="$CM" 'BEGIN { printf "ratios (medians): duckdb / boardroom %.2fx; boardroom / cat %.1fx\n", d / b, b / c }'
echo "== boardroom's split (register_bench: read + build, analyse, write CSV)"
"$CARGO_TARGET_DIR/release/examples/register_bench" "$IN" --out "$DATA/split" 2>/dev/null | grep -E '^(read|analyse|write|pairs)'
echo "== agreement"
"$DATA/venv/bin/python" bench/register/end_to_end.py check "$DATA/boardroom-$SHAPE-$N.csv" "$DATA/duckdb-$SHAPE-$N.csv"
