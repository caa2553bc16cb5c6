"""Turn the register generator's JSON Lines into schema-valid BODS 0.4.

The generator (crates/boardroom-register/examples/gen_register.rs) writes
register-shaped statements with short ids and a few fields the schema
requires missing. This adds what the schema needs (32+ character
statementIds, declarationSubject, jurisdiction and nationality names, a
name type from the codelist) and clears beneficial-ownership flags on
entities, so that both validators see valid data and do all their work.

Usage: python valid_bods.py IN.jsonl OUT.jsonl [OUT.json N]
  OUT.json, when given, holds the first N statements as a JSON array
  (libcovebods reads arrays).
"""

import json
import sys
import uuid

NS = uuid.UUID("6f0b1c0e-7f3a-4b55-9c1d-b0a2d5e40b0d")
NAME_TYPES = {"legal", "translation", "transliteration", "former", "alternative", "birth"}


def fix(s, kinds):
    s["statementId"] = str(uuid.uuid5(NS, s["statementId"]))
    d = s.get("recordDetails", {})
    kinds[s.get("recordId")] = s.get("recordType")
    if s.get("recordType") == "relationship" and isinstance(d.get("subject"), str):
        s["declarationSubject"] = d["subject"]
        party = d.get("interestedParty")
        if isinstance(party, str) and kinds.get(party) != "person":
            for i in d.get("interests", []):
                if i.get("beneficialOwnershipOrControl"):
                    i["beneficialOwnershipOrControl"] = False
    else:
        s["declarationSubject"] = s["recordId"]
    j = d.get("jurisdiction")
    if isinstance(j, dict) and "name" not in j:
        j["name"] = j.get("code", "unknown")
    for n in d.get("names", []) or []:
        if n.get("type") not in NAME_TYPES:
            n["type"] = "legal"
    for c in d.get("nationalities", []) or []:
        c.setdefault("name", c.get("code", "unknown"))
    s.setdefault("statementDate", "2024-01-01")
    return s


def main(src, dst, array=None, n=None):
    kinds = {}
    first = []
    limit = int(n) if n else 0
    with open(src) as f, open(dst, "w") as out:
        for line in f:
            s = fix(json.loads(line), kinds)
            out.write(json.dumps(s) + "\n")
            if len(first) < limit:
                first.append(s)
    if array:
        with open(array, "w") as out:
            json.dump(first, out)


if __name__ == "__main__":
    main(*sys.argv[1:])
