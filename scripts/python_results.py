#!/usr/bin/env python3
"""Writes crates/boardroom-py/python/boardroom/_results.py: one typed class
per JSON output, its fields and their Python types read from the output's
checked-in JSON Schema (schema/NAME.schema.json), so that editors and type
checkers know what `structure.state()` returns.

    python3 scripts/python_results.py            # rewrite the file
    python3 scripts/python_results.py --check    # fail if it is stale

The Python package's tests run the check.
"""

from __future__ import annotations

import json
import keyword
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "crates/boardroom-py/python/boardroom/_results.py"

OUTPUTS = {
    "state": "State",
    "replay": "Replay",
    "what-if": "WhatIf",
    "control": "Control",
    "block": "Block",
    "power": "Power",
    "waterfall": "Waterfall",
    "waterfall-cumulative": "WaterfallCumulative",
    "waterfall-comparison": "WaterfallComparison",
    "fund-ledger": "FundLedger",
    "lookthrough": "LookThrough",
    "diff": "Diff",
    "graph": "Graph",
    "report": "Report",
}
ENVELOPE = {"output", "version", "sources", "caveats"}
DECIMAL = r"^-?\d+(\.\d+)?([eE]\d+)?$"
FRACTION = r"^-?[0-9]+(/[0-9]+)?$"
COUNT = r"^[0-9]+$"


def python_type(s: object, defs: dict, depth: int = 0) -> str:
    if not isinstance(s, dict) or depth > 8:
        return "Any"
    if "$ref" in s:
        name = s["$ref"].rsplit("/", 1)[-1]
        target = defs.get(name, {})
        props = set(target.get("properties", {}))
        if props in ({"exact", "decimal"}, {"rational", "decimal"}):
            return "Fraction"
        return python_type({**target, **{k: v for k, v in s.items() if k != "$ref"}}, defs, depth + 1)
    for key in ("anyOf", "oneOf"):
        if key in s:
            parts = []
            for b in s[key]:
                t = python_type(b, defs, depth + 1)
                if t not in parts:
                    parts.append(t)
            return "Any" if "Any" in parts else " | ".join(parts)
    if "const" in s:
        return "str" if isinstance(s["const"], str) else "Any"
    types = s.get("type", [])
    types = types if isinstance(types, list) else [types]
    nullable = "null" in types
    types = [t for t in types if t != "null"]
    pattern = s.get("pattern")
    if pattern == DECIMAL:
        t = "Decimal"
    elif pattern == FRACTION:
        t = "Fraction"
    elif pattern == COUNT:
        t = "int"
    elif s.get("format") == "date":
        t = "datetime.date"
    elif types == ["string"] or "enum" in s:
        t = "str"
    elif types == ["integer"]:
        t = "int"
    elif types == ["number"]:
        t = "float"
    elif types == ["boolean"]:
        t = "bool"
    elif types == ["array"]:
        t = f"list[{python_type(s.get('items', {}), defs, depth + 1)}]"
    elif types == ["object"] or "properties" in s:
        t = "Record"
    else:
        t = "Any"
    return f"{t} | None" if nullable and t != "Any" else t


def generate() -> str:
    lines = [
        '"""Typed results: one class per JSON output, generated from the',
        "checked-in JSON Schemas by scripts/python_results.py. Do not edit.",
        "",
        "Each is a :class:`Result`: a ``dict`` of the output's fields, which",
        "are also attributes, with exact values (``Decimal``, ``Fraction``,",
        "``int``, ``datetime.date``).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import datetime",
        "from decimal import Decimal",
        "from fractions import Fraction",
        "from typing import Any",
        "",
        "from ._exact import Record",
        "from ._result import Result",
        "",
        "__all__ = [",
    ]
    lines += [f'    "{c}",' for c in OUTPUTS.values()]
    lines += ["]", ""]
    for output, cls in OUTPUTS.items():
        schema = json.loads((ROOT / f"schema/{output}.schema.json").read_text())
        defs = schema.get("$defs", {})
        title = schema.get("title", output)
        lines += ["", f"class {cls}(Result):", f'    """{title[0].upper() + title[1:]} (output ``{output}``)."""', ""]
        props = dict(schema.get("properties", {}))
        for part in schema.get("allOf", []):
            props.update(part.get("properties", {}))
        for name in sorted(props):
            if name in ENVELOPE:
                continue
            t = python_type(props[name], defs)
            if keyword.iskeyword(name):
                # Not an attribute name in Python: read it as result["from"].
                lines.append(f'    # {name}: {t} (a Python keyword: result["{name}"])')
            else:
                lines.append(f"    {name}: {t}")
        lines.append("")
    lines.append("")
    lines.append("BY_OUTPUT: dict[str, type[Result]] = {")
    lines += [f'    "{o}": {c},' for o, c in OUTPUTS.items()]
    lines.append("}")
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    text = generate()
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT} is stale: run python3 scripts/python_results.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
