#!/usr/bin/env bash
# The Spark engine against the local engine on one generated register, on a
# local cluster of N executors (one core, 1 GB each): wall time and peak
# memory of each, the rounds, the rows and bytes each round wrote, and a
# check that both give the same rows (count and checksum of the sorted
# rows; the script fails otherwise).
#
# The register is read on the cluster, by the boardroom package's reader on
# each executor: give its wheel, built optimised, in SPARK_WHEEL
# (`maturin build --release -m crates/boardroom-py/Cargo.toml -o
# target/wheels-release`), else scripts/spark.sh builds it.
#
# Usage: BENCH_DATA=DIR SPARK_WHEEL=WHL bash bench/spark/scale.sh STATEMENTS EXECUTORS
# Needs: cargo build --release --features boardroom-cli/spark, and the
# gen_register example (built here when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-100000}
executors=${2:-2}
data=${BENCH_DATA:-/work/bench-data}
bin=target/release/boardroom
file="$data/register-$n.jsonl"
if [ ! -f "$file" ]; then
  cargo build --release -q -p boardroom-register --example gen_register
  target/release/examples/gen_register --statements "$n" --seed 7 --out "$file"
fi
out=$(mktemp -d /tmp/boardroom-spark-bench.XXXXXX)
spark_dir="$out/cluster"
trap 'bash scripts/spark.sh stop "$spark_dir"' EXIT
url=$(SPARK_EXECUTORS="$executors" bash scripts/spark.sh start "$spark_dir")

/usr/bin/time -f "local: %e s, %M KB" "$bin" -q analyse --bods "$file" -o "$out/local.jsonl" \
  --cycles "$out/local-cycles.jsonl" 2> "$out/local.err" || true
grep -E "^local:" "$out/local.err"
/usr/bin/time -f "spark: %e s, %M KB (this process)" "$bin" analyse --engine spark --remote "$url" \
  --bods "$file" --work "$out/work" -o "$out/spark" --format jsonl --cycles "$out/spark-cycles" \
  2> "$out/spark.err" || true
grep -E "^spark|rounds|rows written|cycles" "$out/spark.err"

echo "bytes written by each round (Parquet):"
for d in "$out"/work/*/; do
  name=$(basename "$d")
  printf '  %-12s %s\n' "$name" "$(du -sb "$d" | cut -f1)"
done | sort -V | awk '{ printf "%s=%s ", $1, $2 } END { print "" }'

python3 - "$out/local.jsonl" "$out/spark" << 'EOF'
import hashlib, json, pathlib, sys
def norm(line):
    row = {k: v for k, v in json.loads(line).items() if v is not None and v != ""}
    return json.dumps(row, sort_keys=True)
local = sorted(norm(l) for l in open(sys.argv[1]) if l.strip())
spark = sorted(norm(l) for p in pathlib.Path(sys.argv[2]).glob("*.json") for l in open(p) if l.strip())
digest = lambda rows: hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
print(f"rows: local {len(local)}, spark {len(spark)}; checksum local {digest(local)}, spark {digest(spark)}")
if local != spark:
    diff = next((a, b) for a, b in zip(local, spark) if a != b) if len(local) == len(spark) else None
    print(f"the engines differ: {diff}")
    sys.exit(1)
EOF
rm -rf "$out/work" "$out/spark" "$out/local.jsonl"
