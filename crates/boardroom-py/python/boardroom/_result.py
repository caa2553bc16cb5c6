"""The base of every answer."""

from __future__ import annotations

import json
from typing import Any

from ._exact import Record


class Result(Record):
    """An answer: the command line's ``--format json`` envelope, read
    exactly. Its fields are keys and attributes; ``output`` names the
    output (and its schema), ``sources`` lists every source it cites and
    ``caveats`` what the whole answer rests on that is assumed or
    unchecked."""

    __slots__ = ("_text", "_words")

    output: str
    version: int
    sources: list[Record]
    _text: str
    _words: str | None

    @property
    def caveats(self) -> list[str]:
        """What the whole answer rests on that is reported, assumed or not
        checkable (empty when each item carries its own)."""
        return self.get("caveats", [])

    def to_json(self) -> str:
        """The answer as the command line prints it with ``--format json``
        (compact)."""
        return self._text

    def __str__(self) -> str:
        """The answer as the command line prints it as text: for people,
        each fact with its numbered source and the list at the end."""
        return self._words if self._words is not None else repr(self)

    def __repr__(self) -> str:
        fields = [k for k in self if k not in ("output", "version", "sources", "caveats")]
        cited = len(self.get("sources", []))
        return f"<boardroom.{type(self).__name__}: {', '.join(fields)}; {cited} sources cited>"


def make(cls: type[Result], record: Record, text: str, words: str | None = None) -> Result:
    r = cls(record)
    r._text = text
    r._words = words
    return r


def body(text: str) -> Any:
    return json.loads(text)
