#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers and parsers (issue 20), with a
# time and memory limit per input so that a blow-up counts as a finding.
#
#   bash scripts/fuzz.sh            # each target for 30 s (what CI runs)
#   bash scripts/fuzz.sh 1800       # each target for 30 minutes
#
# Needs the nightly toolchain beside stable and cargo-fuzz (installed here
# when missing). Seeds come from the repository's own samples; findings are
# written to fuzz/artifacts/<target>/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: no nightly toolchain; skipped" >&2
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --quiet
fi
corpus=target/fuzz-corpus
mkdir -p "$corpus"/{structure_file,bods_statements,statement_scanner,gleif_rows,arguments,ocf_package}
cp examples/*.toml "$corpus/structure_file/"
cp fixtures/bods/examples/*.json "$corpus/bods_statements/"
# The same statements as JSON Lines: the readers and the scanner meet whole lines.
python3 -c 'import json, os, sys
for f in sys.argv[2:]:
    with open(os.path.join(sys.argv[1], os.path.basename(f) + "l"), "w") as out:
        for s in json.load(open(f)):
            out.write(json.dumps(s, ensure_ascii=False, separators=(",", ":")) + "\n")' \
  "$corpus/bods_statements" fixtures/bods/examples/*.json
cp "$corpus"/bods_statements/*.jsonl "$corpus/statement_scanner/"
head -c 20000 fixtures/gleif/rr-sample-400.csv > "$corpus/gleif_rows/rr.csv"
head -c 20000 fixtures/gleif/lei-sample-400.csv > "$corpus/gleif_rows/lei.csv"
printf '4,3,2,1\n6\n' > "$corpus/arguments/weights"
printf 'entity = "f"\n[fund]\ngeneral_partner = "gp"\ncommitment = [{ party = "lp", contributed = "100" }]\nhurdle = { rate_percent = 8, years = 5, compounding = "annual" }\ncarry_percent = 20\n' > "$corpus/arguments/fund.toml"
sed -n '/^\[variant.economics.fund\]/,$p' examples/fund.toml | sed -e 's/^\[variant.economics.fund\]/entity = "f"\n[fund]/' -e 's/\(date\|on\) = \([0-9-]*\)/\1 = "\2"/g' > "$corpus/arguments/fund-ledger.toml"
# An OCF package as one input: its files joined by NUL bytes.
for f in Manifest Stakeholders StockClasses Transactions; do
  cat "fixtures/ocf/small/$f.ocf.json"; printf '\0'
done > "$corpus/ocf_package/small"
cd fuzz
# Built first, unfiltered: a target that does not build fails the run
# (the runs below keep only their summary lines).
cargo +nightly fuzz build -O
for target in structure_file bods_statements statement_scanner gleif_rows arguments ocf_package; do
  echo "fuzz: $target for ${seconds}s"
  out=$(cargo +nightly fuzz run -O "$target" "../$corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1) || true
  grep -E "^(stat::number_of_executed_units|stat::new_units_added|==[0-9]+== ERROR|SUMMARY|Done)" <<< "$out" || true
  if [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
    echo "fuzz: $target found an input that fails: fuzz/artifacts/$target/" >&2
    exit 1
  fi
  # A here-string, not a pipe: grep -q stops at the first match, and under
  # pipefail the echo it cut short would fail the test.
  if ! grep -q "^Done" <<< "$out"; then
    echo "fuzz: $target did not run to its end:" >&2
    tail -20 <<< "$out" >&2
    exit 1
  fi
done
