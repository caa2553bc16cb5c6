"""boardroom: governance as code.

Read a structure of people and organisations (who owns what, who sits on
which board, the rules each body votes by, who holds which economic rights,
what happened on which day) and ask what it implies::

    import boardroom

    s = boardroom.default()                  # OpenAI, November 2023
    s.state(as_of="2023-11-18").bodies       # the board on that day
    s.replay().verdicts                      # was each act valid, and why
    s.control().entities                     # who controls each entity
    s.power(body="openai-board", decision="remove-director")
    s.waterfall(amount="100B").payouts       # who receives what, exactly

    table = boardroom.analyse(bods="register.jsonl")   # a pyarrow.Table

Every answer is the command line's ``--format json`` output, read exactly:
money and shares are ``Decimal``, exact ratios ``Fraction``, big counts
``int`` and dates ``datetime.date``. Every answer lists the sources it cites
and the caveats it rests on. Bad input raises :class:`StructureError` (every
problem, located in the file) or :class:`QuestionError` (a ``ValueError``
with a hint). Long calls release the GIL and stop on Ctrl-C.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import warnings
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable, Sequence, Union, cast

from . import _native
from ._errors import BoardroomError, PartialInput, QuestionError, StructureError
from ._exact import Record, read as _read, schema
from ._result import Result, make as _make
from ._results import (
    BY_OUTPUT as _BY_OUTPUT,
    Block,
    Control,
    Diff,
    FundLedger,
    Graph,
    LookThrough,
    Power,
    Replay,
    Report,
    State,
    Waterfall,
    WaterfallComparison,
    WaterfallCumulative,
    WhatIf,
)

if TYPE_CHECKING:
    import pyarrow

__all__ = [
    "Block",
    "BoardroomError",
    "Control",
    "Diff",
    "FundLedger",
    "Graph",
    "LookThrough",
    "PartialInput",
    "Power",
    "QuestionError",
    "Record",
    "Replay",
    "Report",
    "Result",
    "State",
    "Structure",
    "StructureError",
    "Waterfall",
    "WaterfallComparison",
    "WaterfallCumulative",
    "WhatIf",
    "analyse",
    "default",
    "load",
    "power",
    "scenario",
    "scenarios",
    "schema",
    "summary",
]

__version__: str = _native.VERSION

DateLike = Union[datetime.date, str]
Amount = Union[Decimal, int, str]


def _date(d: DateLike | None, what: str = "as_of") -> str | None:
    if d is None:
        return None
    if isinstance(d, datetime.datetime):
        raise QuestionError(
            f"{what} is a datetime ({d}), not a date",
            "give a datetime.date or YYYY-MM-DD: a structure's record is by day",
        )
    if isinstance(d, datetime.date):
        return d.isoformat()
    if isinstance(d, str):
        return d
    raise QuestionError(
        f"{what} is a {type(d).__name__}, not a date", "give a datetime.date or YYYY-MM-DD"
    )


def _amount(a: Amount | None, what: str) -> str | None:
    if a is None:
        return None
    if isinstance(a, bool) or isinstance(a, float):
        raise QuestionError(
            f"{what} is a {type(a).__name__} ({a!r}), which is not exact",
            "give a Decimal, an int or text such as '1.5e9' or '150B'",
        )
    if isinstance(a, (Decimal, int, str)):
        return str(a)
    raise QuestionError(f"{what} is a {type(a).__name__}", "give a Decimal, an int or text")


def _ids(xs: Iterable[str] | str | None, what: str) -> list[str]:
    if xs is None:
        return []
    if isinstance(xs, str):
        return [x for x in xs.split(",") if x]
    out = list(xs)
    for x in out:
        if not isinstance(x, str):
            raise QuestionError(f"{what} holds {x!r}, not an id", "give ids as text")
    return out


def _answer(answer: str | tuple[str, str]) -> Result:
    # The engine answers with the envelope, or the envelope and its text.
    text, words = (answer, None) if isinstance(answer, str) else answer
    # The envelope's first field names the output.
    head = re.match(r'\{"output":"([a-z-]+)"', text)
    if head is None or head.group(1) not in _BY_OUTPUT:
        raise BoardroomError(f"the engine's answer names no known output: {text[:80]!r}")
    output = head.group(1)
    return _make(_BY_OUTPUT[output], _read(output, text), text, words)


class Structure:
    """A structure, read and validated. Its methods are the command line's
    questions, with the same arguments and the same answers."""

    __slots__ = ("_s",)

    def __init__(self, native: Any):
        self._s = native

    @property
    def title(self) -> str:
        return self._s.title

    @property
    def name(self) -> str:
        """Where the structure was read from."""
        return self._s.name

    @property
    def variants(self) -> list[str]:
        """The ids of the variants (other term sheets, boards, rules) the
        structure states."""
        return self._s.variants

    @property
    def warnings(self) -> list[dict[str, Any]]:
        """Warnings found while reading it, each located."""
        return json.loads(self._s.warnings)

    def variant(self, id: str) -> Structure:
        """The same structure under its variant ``id``."""
        return Structure(self._s.variant(id))

    def state(self, as_of: DateLike | None = None) -> State:
        """Who holds what and who sits where at the end of ``as_of`` (default:
        the scenario's date, else the last event's)."""
        return _answer(self._s.state(_date(as_of)))  # type: ignore[return-value]

    def replay(
        self, against: Sequence[str] | str | None = None, absent: Sequence[str] | None = None
    ) -> Replay | WhatIf:
        """Every act judged against the rule in force, with its reasons. With
        ``against`` (they attended and voted against) or ``absent`` (they
        stayed away), the timeline as it would have run: a :class:`WhatIf`."""
        return _answer(self._s.replay(_ids(against, "against"), _ids(absent, "absent")))  # type: ignore[return-value]

    def control(
        self, as_of: DateLike | None = None, senior_official_fallback: bool = False
    ) -> Control:
        """Who controls each entity on ``as_of``, directly and through chains,
        with the basis of each finding."""
        return _answer(self._s.control(_date(as_of), senior_official_fallback))  # type: ignore[return-value]

    def block(self, event: str, group: Sequence[str] | str) -> Block:
        """Could ``group`` (party or group ids) have blocked the act of
        ``event``? If not, who would have had to join them."""
        return _answer(self._s.block(event, _ids(group, "group")))  # type: ignore[return-value]

    def power(
        self,
        body: str,
        decision: str,
        as_of: DateLike | None = None,
        subject: str | None = None,
        indices: Sequence[str] | None = None,
        coalitions: bool = False,
        limit: int = 20,
        approx: int | None = None,
        seed: int = 1,
        can_block: Sequence[str] | str | None = None,
    ) -> Power:
        """The voting game ``body`` plays for ``decision`` on ``as_of``: each
        member's power indices (exact fractions), and minimal winning and
        blocking coalitions (always for at most 25 players; otherwise with
        ``coalitions=True``)."""
        return _answer(
            self._s.power(
                body,
                decision,
                subject,
                _date(as_of),
                list(indices or []),
                coalitions,
                limit,
                approx,
                seed,
                _ids(can_block, "can_block"),
            )
        )  # type: ignore[return-value]

    def waterfall(
        self,
        amount: Amount | None = None,
        entity: str | None = None,
        as_of: DateLike | None = None,
        cumulative_to: Amount | None = None,
        compare: bool = False,
    ) -> Waterfall | WaterfallCumulative | WaterfallComparison | FundLedger:
        """Who receives what: one ``amount`` to the cent, every amount up to
        ``cumulative_to`` (breakpoints, exactly), the terms beside every
        variant (``compare=True``), or, for a fund, its ledger of dated
        distributions (no amount). Amounts are ``Decimal``, ``int`` or text
        (``"1.5e9"``, ``"150B"``); a float is refused, being inexact."""
        return _answer(
            self._s.waterfall(
                _amount(amount, "amount"),
                entity,
                _date(as_of),
                _amount(cumulative_to, "cumulative_to"),
                compare,
            )
        )  # type: ignore[return-value]

    def lookthrough(self, as_of: DateLike | None = None) -> LookThrough:
        """Each party's economic interest in each entity, through every
        chain, exactly."""
        return _answer(self._s.lookthrough(_date(as_of)))  # type: ignore[return-value]

    def diff(self, start: DateLike, end: DateLike) -> Diff:
        """What changed between the end of ``start`` and the end of ``end``:
        seats, holdings, control and power, with the acts in between."""
        s, e = _date(start, "start"), _date(end, "end")
        if s is None or e is None:
            raise QuestionError("diff needs two dates", "diff(start, end)")
        return _answer(self._s.diff(s, e))  # type: ignore[return-value]

    def graph(self, as_of: DateLike | None = None, format: str = "json") -> Graph | str:
        """The ownership and control graph on ``as_of`` (default: the key
        event's date): a :class:`Graph`, or ``format="dot"``, ``"mermaid"``
        or ``"svg"`` text."""
        text = self._s.graph(_date(as_of), format)
        return cast(Graph, _answer(text)) if format == "json" else text

    def report(self, as_of: DateLike | None = None, format: str = "json") -> Report | str:
        """The whole report: a :class:`Report`, or ``format="text"``,
        ``"markdown"`` or ``"html"`` (a self-contained page)."""
        text = self._s.report(_date(as_of), format)
        return cast(Report, _answer(text)) if format == "json" else text

    def to_bods(self) -> list[dict[str, Any]]:
        """The structure as BODS 0.4 statements."""
        return json.loads(self._s.to_bods(), parse_float=Decimal)

    def to_toml(self) -> str:
        """The structure as a TOML structure file."""
        return self._s.to_toml()

    def analyse(self, as_of: DateLike | None = None) -> pyarrow.Table:
        """The structure read as a register (exported to BODS): every
        entity's ultimate owners and controllers, as :func:`analyse` gives
        them for a register."""
        table, summary = _native.analyse_structure(self._s, _date(as_of))
        return _with_summary(table, summary)

    def __repr__(self) -> str:
        return repr(self._s)


def load(source: str | os.PathLike[str]) -> Structure:
    """Reads a structure file (TOML or JSON) from a path, or from text.

    A path-like object is always a path; a ``str`` is text when it holds a
    newline or starts with ``{``, else a path. Raises
    :class:`StructureError` with every problem located in the file."""
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and not source.lstrip().startswith("{")
    ):
        path = os.fspath(source)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            raise FileNotFoundError(
                f"no structure file at {path!r}; load() takes a path or the text of a structure"
            ) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise StructureError(
                path,
                [f"error: not UTF-8 text (invalid byte at offset {e.start})"],
                [{"file": path, "line": 0, "column": 0, "severity": "error",
                  "message": f"not UTF-8 text (invalid byte at offset {e.start})",
                  "hint": "structure files are TOML or JSON, saved as UTF-8"}],
            ) from None
        return Structure(_native.load(path, text))
    if not isinstance(source, str):
        raise TypeError(f"load() takes a path or text, not {type(source).__name__}")
    name = "<text.json>" if source.lstrip().startswith("{") else "<text>"
    return Structure(_native.load(name, source))


def scenarios() -> list[str]:
    """The embedded scenarios' ids, the default first."""
    return _native.scenarios()


def scenario(id: str) -> Structure:
    """An embedded scenario (see :func:`scenarios`)."""
    return Structure(_native.load(f"<embedded {id}>", _native.scenario_text(id)))


def default() -> Structure:
    """The embedded default: OpenAI's governance in November 2023, every fact
    with its source."""
    return scenario(scenarios()[0])


def power(
    weights: Sequence[int],
    quota: int,
    names: Sequence[str] | None = None,
    indices: Sequence[str] | None = None,
    coalitions: bool = False,
    limit: int = 20,
    approx: int | None = None,
    seed: int = 1,
    can_block: Sequence[str] | str | None = None,
) -> Power:
    """Any weighted voting game ``[quota; weights]``: exact power indices
    (fractions), and minimal winning and blocking coalitions (always for at
    most 25 players; otherwise with ``coalitions=True``)."""
    ws = list(weights)
    for w in ws:
        if isinstance(w, bool) or not isinstance(w, int) or w < 0:
            raise QuestionError(f"weight {w!r} is not a non-negative integer", "weights are whole votes")
    if isinstance(quota, bool) or not isinstance(quota, int) or quota < 0:
        raise QuestionError(f"quota {quota!r} is not a non-negative integer", "the quota is whole votes")
    return _answer(
        _native.power_weights(
            quota, ws, list(names or []), list(indices or []), coalitions, limit, approx, seed,
            _ids(can_block, "can_block"),
        )
    )  # type: ignore[return-value]


def analyse(
    bods: str | os.PathLike[str] | None = None,
    gleif: str | os.PathLike[str] | tuple[str | os.PathLike[str], str | os.PathLike[str]] | None = None,
    lei: str | os.PathLike[str] | None = None,
    repex: str | os.PathLike[str] | None = None,
    as_of: DateLike | None = None,
    strict: bool = False,
    max_statement_bytes: int | None = None,
    max_cycle_steps: int | None = None,
    senior_official_fallback: bool = False,
) -> pyarrow.Table:
    """Every entity's ultimate owners and controllers in a whole register:
    BODS 0.4 (``bods=``, a JSON array or JSON Lines) or GLEIF Level 2
    relationships (``gleif=RR.csv``, or ``gleif=(RR.csv, LEI.csv)`` with
    Level 1 names; ``repex=`` for reporting exceptions).

    Returns a ``pyarrow.Table``, one row per (entity, ultimate party), with
    the columns of ``boardroom analyse``'s Parquet output (shares as exact
    decimal text). Zero-copy into pandas (``table.to_pandas()``) and polars
    (``polars.from_arrow(table)``). :func:`summary` gives what was read and
    every problem. Damaged statements are skipped with a
    :class:`PartialInput` warning; ``strict=True`` raises instead."""
    if isinstance(gleif, tuple):
        if lei is not None:
            raise QuestionError("lei= given twice", "gleif=(RR, LEI) or gleif=RR, lei=LEI")
        gleif, lei = gleif
    path = lambda p: None if p is None else os.fspath(p)  # noqa: E731
    kwargs: dict[str, Any] = {}
    if max_statement_bytes is not None:
        kwargs["max_statement_bytes"] = max_statement_bytes
    if max_cycle_steps is not None:
        kwargs["max_cycle_steps"] = max_cycle_steps
    table, summ = _native.analyse(
        bods=path(bods),
        gleif=path(gleif),
        lei=path(lei),
        repex=path(repex),
        as_of=_date(as_of),
        strict=strict,
        senior_official_fallback=senior_official_fallback,
        **kwargs,
    )
    return _with_summary(table, summ)


def _with_summary(table: Any, text: str) -> Any:
    s = json.loads(text)
    if s["skipped"] or s["truncated"]:
        what = []
        if s["skipped"]:
            what.append(f"{s['skipped']} damaged {'statement' if s['input'] != 'gleif' else 'row'}"
                        f"{'s' if s['skipped'] != 1 else ''} skipped")
        if s["truncated"]:
            what.append("the file is cut short")
        first = "; ".join(s["problems"][:3])
        warnings.warn(
            PartialInput(f"{', '.join(what)}: the table covers what was read ({first})"),
            stacklevel=3,
        )
    meta = dict(table.schema.metadata or {})
    meta[b"boardroom"] = text.encode()
    return table.replace_schema_metadata(meta)


def summary(table: pyarrow.Table) -> dict[str, Any]:
    """What :func:`analyse` read to make ``table``: statements or rows read,
    skipped (with each problem located), warnings, and the analysis's
    figures (entities, parties, cycles, depths)."""
    meta = table.schema.metadata or {}
    if b"boardroom" not in meta:
        raise QuestionError("this table did not come from boardroom.analyse", "pass the table analyse() returned")
    return json.loads(meta[b"boardroom"])
