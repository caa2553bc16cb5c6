#!/usr/bin/env python3
"""A fund ledger at scale: PARTNERS commitments, CALLS calls and DISTRIBUTIONS
distributions over ten years (seeded), through `boardroom waterfall`.

    cargo build --release && python3 bench/waterfall/fund.py [PARTNERS CALLS DISTRIBUTIONS]
"""
import datetime
import os
import random
import subprocess
import sys
import tempfile
import time

partners, calls, dists = (int(x) for x in (sys.argv[1:4] if len(sys.argv) > 3 else (100, 200, 200)))
random.seed(1)
out = ['[scenario]\nid = "big"\ntitle = "a large fund"\n',
       '[[party]]\nid = "fund"\nname = "Fund"\nkind = "fund"\n',
       '[[party]]\nid = "gp"\nname = "GP"\nkind = "llc"\n']
for i in range(partners):
    out.append(f'[[party]]\nid = "lp{i}"\nname = "LP {i}"\nkind = "trust"\n')
out.append('[[economics]]\nentity = "fund"\n[economics.fund]\ngeneral_partner = "gp"\n'
           'carry_percent = 20\ncatch_up_percent = 100\nclawback = {}\n'
           'hurdle = { rate_percent = 8, compounding = "annual" }\n'
           'promote = [{ above_irr_percent = 15, carry_percent = 30 }]\n')
out.append('commitment = [' + ', '.join(
    f'{{ party = "lp{i}", committed = "{random.randint(1, 100) * 100000}" }}' for i in range(partners)) + ']\n')
start = datetime.date(2010, 1, 1)
out.append('call = [' + ', '.join(
    f'{{ date = "{start + datetime.timedelta(days=k * 3650 // calls)}", amount = "{random.randint(1, 1000) * 1000}" }}'
    for k in range(calls)) + ']\n')
out.append('distribution = [' + ', '.join(
    f'{{ date = "{start + datetime.timedelta(days=365 + k * 3650 // dists)}", amount = "{random.randint(1, 2000) * 1000}" }}'
    for k in range(dists)) + ']\n')
with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
    f.write("".join(out))
binary = os.path.join(os.path.dirname(__file__), "../../target/release/boardroom")
t = time.perf_counter()
subprocess.run([binary, "waterfall", f.name], check=True, stdout=subprocess.DEVNULL)
print(f"{partners} partners, {calls} calls, {dists} distributions: {time.perf_counter() - t:.2f} s")
if os.environ.get("KEEP"):
    print(f.name)
else:
    os.unlink(f.name)
