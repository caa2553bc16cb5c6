"""Compare `boardroom validate bods` with libcovebods on the official BODS
examples and on deliberately broken copies of them.

Each file gets a verdict from both (valid or not) and the set of check types
each reports (libcovebods' schema errors count as `schema`). The verdicts
must agree on every file; the script prints a table and exits 1 otherwise.

Usage: python scripts/compare_validators.py BOARDROOM_BINARY EXAMPLES_DIR WORK_DIR
"""

import copy
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def first(statements, record_type):
    for s in statements:
        if s.get("recordType") == record_type:
            return s
    return None


def relationship_with_interest(statements):
    for s in statements:
        if s.get("recordType") == "relationship" and s["recordDetails"].get("interests"):
            return s
    return None


def breakages(statements):
    """(name, broken copy) for each way of breaking a file that applies."""
    out = []

    def variant(name, fn):
        c = copy.deepcopy(statements)
        if fn(c) is not False:
            out.append((name, c))

    def dup_id(c):
        if len(c) < 2:
            return False
        c[1]["statementId"] = c[0]["statementId"]

    def no_date(c):
        del c[0]["statementDate"]

    def bad_type(c):
        c[0]["recordType"] = "company"

    def future(c):
        c[0]["statementDate"] = "2999-01-01"

    def start_after_end(c):
        r = relationship_with_interest(c)
        if r is None:
            return False
        i = r["recordDetails"]["interests"][0]
        i["startDate"], i["endDate"] = "2020-01-02", "2020-01-01"

    def unknown_subject(c):
        r = relationship_with_interest(c)
        if r is None:
            return False
        r["recordDetails"]["subject"] = "no-such-record"

    def min_above_max(c):
        r = relationship_with_interest(c)
        if r is None:
            return False
        r["recordDetails"]["interests"][0]["share"] = {"minimum": 60, "maximum": 40}

    def bo_on_entity(c):
        for r in c:
            if r.get("recordType") != "relationship" or not r["recordDetails"].get("interests"):
                continue
            party = r["recordDetails"].get("interestedParty")
            kinds = {s["recordId"]: s["recordType"] for s in c}
            if isinstance(party, str) and kinds.get(party) == "entity":
                r["recordDetails"]["interests"][0]["beneficialOwnershipOrControl"] = True
                return None
        return False

    def updated_first(c):
        c[0]["recordStatus"] = "updated"

    for name, fn in [
        ("duplicate-statement-id", dup_id),
        ("missing-statement-date", no_date),
        ("bad-record-type", bad_type),
        ("future-statement-date", future),
        ("start-after-end", start_after_end),
        ("unknown-subject", unknown_subject),
        ("share-min-above-max", min_above_max),
        ("bo-flag-on-entity", bo_on_entity),
        ("updated-first", updated_first),
    ]:
        variant(name, fn)
    return out


def cove(path):
    r = subprocess.run([sys.executable, os.path.join(HERE, "cove.py"), path], capture_output=True, text=True)
    if r.returncode not in (0, 1) or not r.stdout.strip():
        last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "no output"
        return None, {"crashed: " + last}
    d = json.loads(r.stdout)
    checks = {c["type"] for c in d["additional_checks"]}
    if d["schema_errors"]:
        checks.add("schema")
    return not checks, checks


def boardroom(binary, path):
    r = subprocess.run([binary, "validate", "bods", path, "--format", "json"], capture_output=True, text=True)
    if r.returncode == 2:
        return False, {"unreadable"}
    d = json.loads(r.stdout)
    return d["total_problems"] == 0, set(d["counts"])


def main(binary, examples, work):
    os.makedirs(work, exist_ok=True)
    files = []
    for name in sorted(os.listdir(examples)):
        if not name.endswith(".json"):
            continue
        path = os.path.join(examples, name)
        files.append((name, path))
        with open(path) as f:
            statements = json.load(f)
        for bname, broken in breakages(statements):
            bpath = os.path.join(work, f"{name[:-5]}--{bname}.json")
            with open(bpath, "w") as f:
                json.dump(broken, f, indent=1)
            files.append((os.path.basename(bpath), bpath))
    disagreements = 0
    crashes = 0
    print(f"{'file':<72} {'libcovebods':<12} {'boardroom':<10}")
    for name, path in files:
        cv, cchecks = cove(path)
        bv, bchecks = boardroom(binary, path)
        if cv is None:
            crashes += 1
            verdict = "crashed"
            agree = True
        else:
            verdict = "valid" if cv else "invalid"
            agree = cv == bv
        disagreements += not agree
        mark = "" if agree else "   <-- DISAGREE"
        print(f"{name:<72} {verdict:<12} {('valid' if bv else 'invalid'):<10}{mark}")
        if not agree or (cchecks - {"schema"}) != (bchecks - {"schema"}):
            print(f"    libcovebods: {sorted(cchecks)}\n    boardroom:   {sorted(bchecks)}")
    agreed = len(files) - disagreements - crashes
    print(f"\n{len(files)} files: {agreed} verdicts agree, {disagreements} disagree, libcovebods crashed on {crashes}")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
