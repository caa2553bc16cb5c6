#!/usr/bin/env python3
"""Doubles each adversarial input shape and fails if time or memory grows
faster than n log n (issue 20). Not a timed test: a script, run by hand,
whose ratios go in BENCHMARKS.md.

    cargo build --release
    python3 scripts/scaling.py            # every shape, three sizes each
    python3 scripts/scaling.py star chain # some shapes

For each shape it writes inputs of size n, 2n and 4n to a temporary
directory, runs the release binary on each (the best of three runs for
time; peak RSS from the kernel), and prints the growth ratio of each
doubling. A doubling may grow by at most 2 * log2(2n)/log2(n) (n log n),
times a slack of 1.5 for a noisy machine; times under 0.1 s are too short
to judge and are shown but not judged. Exit code 1 if any ratio is over.
"""

import json
import math
import os
import subprocess
import sys
import tempfile

BIN = os.path.join(os.path.dirname(__file__), "..", "target", "release", "boardroom")
SLACK = 1.5
MIN_SECONDS = 0.1


def party(i, kind="corporation"):
    return {"id": f"c{i}", "name": f"C{i}", "kind": kind}


def holding(k, holder, subject, share):
    return {
        "id": f"i{k}",
        "holder": f"c{holder}",
        "subject": f"c{subject}",
        "type": "shareholding",
        "share": {"exact": share},
    }


def structure(parties, interests):
    return json.dumps({"party": parties, "interest": interests})


def star(n):
    """One company held by n people, each 1/n."""
    ps = [party(0)] + [party(i, "person") for i in range(1, n + 1)]
    share = f"{100 / n:.6f}".rstrip("0")
    return structure(ps, [holding(i, i, 0, share) for i in range(1, n + 1)])


def chain(n):
    """c(i+1) holds 60% of c(i)."""
    return structure(
        [party(i) for i in range(n + 1)], [holding(i, i + 1, i, 60) for i in range(n)]
    )


def ring(n):
    """A ring of 40% holdings: no control, a cycle of ownership."""
    return structure(
        [party(i) for i in range(n)], [holding(i, (i + 1) % n, i, 40) for i in range(n)]
    )


def complete(edges):
    """Every company holds a small share of every other: about `edges`
    holdings among sqrt(edges) companies."""
    n = max(2, round(math.sqrt(edges)))
    share = f"{50 / n:.6f}".rstrip("0")
    interests = []
    for a in range(n):
        for b in range(n):
            if a != b:
                interests.append(holding(len(interests), a, b, share))
    return structure([party(i) for i in range(n)], interests)


def many_errors(n):
    """n bad values on one minified line."""
    ps = [{"id": f"p{i}", "name": f"P{i}", "kind": 123} for i in range(n)]
    return json.dumps({"party": ps}, separators=(",", ":"))


def bods_chain(n):
    """A BODS chain: entity i+1 owns 60% of entity i (JSON Lines)."""
    lines = []
    for i in range(n + 1):
        lines.append(
            {
                "statementId": f"e{i:012d}-0000-0000-0000-000000000000",
                "declarationSubject": f"e{i}",
                "recordId": f"e{i}",
                "recordType": "entity",
                "recordDetails": {"isComponent": False, "entityType": {"type": "registeredEntity"}, "name": f"E{i}"},
            }
        )
    for i in range(n):
        lines.append(
            {
                "statementId": f"r{i:012d}-0000-0000-0000-000000000000",
                "declarationSubject": f"e{i}",
                "recordId": f"r{i}",
                "recordType": "relationship",
                "recordDetails": {
                    "isComponent": False,
                    "subject": f"e{i}",
                    "interestedParty": f"e{i + 1}",
                    "interests": [{"type": "shareholding", "share": {"exact": 60}}],
                },
            }
        )
    return "\n".join(json.dumps(x) for x in lines) + "\n"


def bods_ring(n):
    """A BODS ring of ownership among n entities."""
    text = bods_chain(n)
    return text.replace(f'"interestedParty": "e{n}"', '"interestedParty": "e0"')


def bods_ring_held(n):
    """The BODS ring, with a person holding 10% of one member: every member
    is ultimately owned by that person, through the ring."""
    person = {
        "statementId": "p00000000000-0000-0000-0000-000000000000",
        "declarationSubject": "p0",
        "recordId": "p0",
        "recordType": "person",
        "recordDetails": {"isComponent": False, "personType": "knownPerson", "names": [{"fullName": "P0"}]},
    }
    holds = {
        "statementId": "q00000000000-0000-0000-0000-000000000000",
        "declarationSubject": "e0",
        "recordId": "q0",
        "recordType": "relationship",
        "recordDetails": {
            "isComponent": False,
            "subject": "e0",
            "interestedParty": "p0",
            "interests": [{"type": "shareholding", "share": {"exact": 10}}],
        },
    }
    return bods_ring(n) + json.dumps(person) + "\n" + json.dumps(holds) + "\n"


def bods_complete(edges):
    """Every entity holds 1% of every other, in BODS: about `edges`
    relationships among sqrt(edges) entities, more simple paths than can
    be followed."""
    n = max(2, round(math.sqrt(edges)))
    lines = bods_chain(n).splitlines()[: n + 1]
    k = 0
    for a in range(n):
        for b in range(n):
            if a != b:
                lines.append(
                    json.dumps(
                        {
                            "statementId": f"r{k:012d}-0000-0000-0000-000000000000",
                            "declarationSubject": f"e{b}",
                            "recordId": f"r{k}",
                            "recordType": "relationship",
                            "recordDetails": {
                                "isComponent": False,
                                "subject": f"e{b}",
                                "interestedParty": f"e{a}",
                                "interests": [{"type": "shareholding", "share": {"exact": 1}}],
                            },
                        }
                    )
                )
                k += 1
    return "\n".join(lines) + "\n"


def long_line(n):
    """A BODS statement of n bytes (a name that long) between two small
    ones, in JSON Lines."""
    lines = bods_chain(1).splitlines()
    big = json.loads(lines[0])
    big["recordDetails"]["name"] = "x" * n
    return "\n".join([json.dumps(big)] + lines[1:]) + "\n"


# name: (make input, suffix, command, base size)
SHAPES = {
    "star": (star, ".json", ["check"], 32_000),
    "chain": (chain, ".json", ["check"], 16_000),
    "chain-control": (chain, ".json", ["control"], 8_000),
    "chain-lookthrough": (chain, ".json", ["lookthrough"], 4_000),
    "ring": (ring, ".json", ["check"], 16_000),
    "complete": (complete, ".json", ["check"], 20_000),
    "many-errors": (many_errors, ".json", ["check"], 20_000),
    "long-line": (long_line, ".jsonl", ["analyse", "--output", os.devnull, "--bods"], 16_000_000),
    "bods-chain": (bods_chain, ".jsonl", ["analyse", "--output", os.devnull, "--bods"], 100_000),
    "bods-import": (bods_chain, ".jsonl", ["import", "bods", "--format", "json"], 25_000),
    "bods-ring": (bods_ring, ".jsonl", ["analyse", "--output", os.devnull, "--bods"], 64_000),
    "bods-ring-held": (bods_ring_held, ".jsonl", ["analyse", "--output", os.devnull, "--bods"], 64_000),
    "bods-complete": (bods_complete, ".jsonl", ["analyse", "--output", os.devnull, "--bods"], 20_000),
}


def run(args):
    """Wall seconds and peak RSS (KB) of one run, as GNU time measures
    them (the peak of this script's own children would count the Python
    process they were forked from)."""
    p = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M"] + args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds, kb = p.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kb), p.returncode


def main():
    names = sys.argv[1:] or list(SHAPES)
    failed = []
    print(f"{'shape':<18} {'n':>9} {'seconds':>9} {'MB':>8} {'time x':>7} {'mem x':>7} {'bound':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            make, suffix, command, base = SHAPES[name]
            prev = None
            for n in (base, 2 * base, 4 * base):
                path = os.path.join(tmp, f"{name}-{n}{suffix}")
                with open(path, "w") as f:
                    f.write(make(n))
                args = [BIN] + command + [path]
                runs = [run(args) for _ in range(3)]
                seconds = min(r[0] for r in runs)
                kb = max(r[1] for r in runs)
                bound = 2 * math.log2(n) / math.log2(n / 2) * SLACK
                if prev:
                    tx, mx = seconds / prev[0], kb / prev[1]
                    judged = prev[0] >= MIN_SECONDS
                    over = (judged and tx > bound) or mx > bound
                    if over:
                        failed.append(f"{name} at n={n}: time x{tx:.2f}, memory x{mx:.2f}")
                    mark = " OVER" if over else ("" if judged else " (too short to judge time)")
                    print(f"{name:<18} {n:>9} {seconds:>9.3f} {kb / 1024:>8.1f} {tx:>7.2f} {mx:>7.2f} {bound:>6.2f}{mark}")
                else:
                    print(f"{name:<18} {n:>9} {seconds:>9.3f} {kb / 1024:>8.1f}")
                prev = (seconds, kb)
    if failed:
        print("\ngrowing faster than n log n:\n  " + "\n  ".join(failed))
        sys.exit(1)
    print("\nevery shape grows within n log n")


if __name__ == "__main__":
    main()
