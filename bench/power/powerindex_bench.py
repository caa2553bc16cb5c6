"""Time the `powerindex` package (exact, Python big integers) on the games
written by the Rust example `power_bench`, check that both agree, and print
times and ratios.

Usage: python powerindex_bench.py GAMES.json [MAX_N]
"""
import json
import sys
import time
from fractions import Fraction

import powerindex

games = json.load(open(sys.argv[1]))
max_n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
print(f"{'n':>6} {'W':>9} {'boardroom s':>12} {'powerindex s':>13} {'ratio':>8}  agree")
for g in games:
    n = g["n"]
    if n > max_n:
        print(f"{n:>6} {sum(g['weights']):>9} {g['banzhaf_seconds']:>12.3f} {'(skipped)':>13}")
        continue
    game = powerindex.Game(g["quota"], g["weights"])
    t = time.perf_counter()
    game.calc_banzhaf()
    secs = time.perf_counter() - t
    ours = [float(Fraction(x)) for x in g["banzhaf_normalised"]]
    worst = max(abs(a - b) for a, b in zip(ours, game.banzhaf))
    agree = worst < 1e-12
    ratio = secs / max(g["banzhaf_seconds"], 1e-9)
    print(f"{n:>6} {sum(g['weights']):>9} {g['banzhaf_seconds']:>12.3f} {secs:>13.3f} {ratio:>8.1f}  "
          f"{'yes' if agree else 'NO'} (max |diff| {worst:.1e})")
    if not agree:
        sys.exit(1)
