"""JSON answers into Python values, exactly, guided by each output's JSON
Schema (the same schemas as ``boardroom schema NAME``):

- money, shares and percentages (decimal text) become ``decimal.Decimal``;
- exact rationals (``{"exact": "1/3", "decimal": ...}``,
  ``{"rational": ..., "decimal": ...}`` and ``p/q`` text) become
  ``fractions.Fraction``;
- big counts written as digits become ``int``;
- dates become ``datetime.date``;
- objects become :class:`Record` (a ``dict`` whose keys are also
  attributes).

Nothing is guessed from a value alone: an id that looks like a number stays
text, because its schema says it is a name.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from . import _native

_DECIMAL = r"^-?\d+(\.\d+)?([eE]\d+)?$"
_FRACTION = r"^-?[0-9]+(/[0-9]+)?$"
_COUNT = r"^[0-9]+$"
_EXACT_SHAPES = ({"exact", "decimal"}, {"rational", "decimal"})


class Record(dict):
    """A JSON object: a ``dict`` whose keys are also attributes
    (``payout.party`` is ``payout["party"]``)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__} has no field {name!r}; fields: {', '.join(self)}"
            ) from None

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self))

    def to_dict(self) -> dict[str, Any]:
        """A plain ``dict`` (nested objects too), exact values kept."""
        return _plain(self)


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


@lru_cache(maxsize=None)
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of an output, as a dict."""
    return json.loads(_native.schema(name))


class _Reader:
    def __init__(self, root: dict[str, Any]):
        self.defs = root.get("$defs", {})

    def resolve(self, s: Any) -> Any:
        seen = 0
        while isinstance(s, dict) and "$ref" in s and seen < 64:
            name = s["$ref"].rsplit("/", 1)[-1]
            rest = {k: v for k, v in s.items() if k != "$ref"}
            s = {**self.defs.get(name, {}), **rest}
            seen += 1
        return s

    def properties(self, s: dict[str, Any]) -> dict[str, Any]:
        props = dict(s.get("properties", {}))
        for part in s.get("allOf", []):
            props.update(self.properties(self.resolve(part)))
        return props

    def fits(self, v: Any, s: Any) -> bool:
        """Whether ``v`` can be an instance of ``s``, looking one level
        deep: enough to choose a branch of ``anyOf``/``oneOf``."""
        s = self.resolve(s)
        if not isinstance(s, dict):
            return True
        if "const" in s:
            return v == s["const"]
        if "enum" in s:
            return v in s["enum"]
        types = s.get("type")
        if types is not None:
            types = types if isinstance(types, list) else [types]
            kind = {
                dict: "object",
                list: "array",
                str: "string",
                bool: "boolean",
                type(None): "null",
            }.get(type(v))
            if kind is None:
                kind = "integer" if isinstance(v, int) else "number"
            ok = kind in types or (kind == "integer" and "number" in types)
            if not ok:
                return False
        if isinstance(v, str) and "pattern" in s and not re.search(s["pattern"], v):
            return False
        if isinstance(v, dict):
            if any(k not in v for k in s.get("required", [])):
                return False
            props = self.properties(s)
            for k, p in props.items():
                p = self.resolve(p)
                if k in v and isinstance(p, dict) and ("const" in p or "enum" in p):
                    if not self.fits(v[k], p):
                        return False
            if s.get("additionalProperties") is False and any(k not in props for k in v):
                return False
        for key in ("anyOf", "oneOf"):
            if key in s and not any(self.fits(v, b) for b in s[key]):
                return False
        return True

    def read(self, v: Any, s: Any) -> Any:
        s = self.resolve(s)
        if v is None:
            return None
        if not isinstance(s, dict) or not s:
            return _records(v)
        for key in ("anyOf", "oneOf"):
            if key in s:
                for branch in s[key]:
                    if self.fits(v, branch):
                        merged = {k: x for k, x in s.items() if k != key}
                        return self.read(v, {**merged, **self.resolve(branch)})
                return _records(v)
        if isinstance(v, dict):
            props = self.properties(s)
            if set(props) in _EXACT_SHAPES and set(v) <= set(props):
                exact = v.get("exact", v.get("rational"))
                if isinstance(exact, str):
                    return Fraction(exact)
            extra = s.get("additionalProperties")
            return Record(
                (k, self.read(x, props.get(k, extra if isinstance(extra, dict) else None)))
                for k, x in v.items()
            )
        if isinstance(v, list):
            items = s.get("items")
            return [self.read(x, items) for x in v]
        pattern = s.get("pattern")
        if pattern == _DECIMAL and isinstance(v, (str, int, float, Decimal)) and not isinstance(v, bool):
            return Decimal(str(v))
        if pattern == _FRACTION and isinstance(v, str):
            return Fraction(v)
        if pattern == _COUNT and isinstance(v, str):
            return int(v)
        if s.get("format") == "date" and isinstance(v, str):
            return datetime.date.fromisoformat(v)
        return v


def _records(v: Any) -> Any:
    if isinstance(v, dict):
        return Record((k, _records(x)) for k, x in v.items())
    if isinstance(v, list):
        return [_records(x) for x in v]
    return v


def read(output: str, text: str) -> Record:
    """An envelope's JSON text, read by the schema of ``output``."""
    value = json.loads(text, parse_float=Decimal)
    return _Reader(schema(output)).read(value, schema(output))
