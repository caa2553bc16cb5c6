"""Typed results: one class per JSON output, generated from the
checked-in JSON Schemas by scripts/python_results.py. Do not edit.

Each is a :class:`Result`: a ``dict`` of the output's fields, which
are also attributes, with exact values (``Decimal``, ``Fraction``,
``int``, ``datetime.date``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ._exact import Record
from ._result import Result

__all__ = [
    "State",
    "Replay",
    "WhatIf",
    "Control",
    "Block",
    "Power",
    "Waterfall",
    "WaterfallCumulative",
    "WaterfallComparison",
    "FundLedger",
    "LookThrough",
    "Diff",
    "Graph",
    "Report",
]


class State(Result):
    """Boardroom state on a date (output ``state``)."""

    bodies: list[Record]
    date: datetime.date | None
    declarations: list[Record]
    events_applied: int
    interests: list[Record]
    offices: list[Record]
    record: Record
    vacant_offices: list[str]


class Replay(Result):
    """Boardroom verdicts (output ``replay``)."""

    verdicts: list[Record]


class WhatIf(Result):
    """Boardroom replay with votes changed (output ``what-if``)."""

    verdicts: list[Record]
    what_if: Record


class Control(Result):
    """Boardroom control (output ``control``)."""

    date: datetime.date | None
    divergences: list[Record]
    entities: list[Record]
    record: Record


class Block(Result):
    """Boardroom block question (output ``block``)."""

    could_block: bool
    event: str
    explanation: str
    group: list[str]
    needed: Any
    strategies: list[Record]
    summary: str


class Power(Result):
    """Boardroom voting power of a game (output ``power``)."""

    analysis: Record
    block: Any
    game: Any


class Waterfall(Result):
    """Boardroom waterfall of one amount (output ``waterfall``)."""

    amount: Decimal
    classes: list[Record]
    currency: str
    entity: str
    events: list[Record]
    notes: list[str]
    payouts: list[Record]
    rounding: str
    tiers: list[Record]


class WaterfallCumulative(Result):
    """Boardroom cumulative waterfall (output ``waterfall-cumulative``)."""

    breakpoints: list[Record]
    currency: str
    entity: str
    notes: list[str]
    parties: list[str]
    segments: list[Record]
    to: Fraction
    totals: list[Record]


class WaterfallComparison(Result):
    """Term sheets compared at one amount (output ``waterfall-comparison``)."""

    amount: Decimal
    currency: str
    entity: str
    names: Record
    sheets: list[Record]


class FundLedger(Result):
    """Boardroom fund ledger: calls and distributions through the waterfall (output ``fund-ledger``)."""

    calls: list[Record]
    carried_interest: Decimal
    carry_percent: Decimal
    clawback: Any
    currency: str
    distributions: list[Record]
    entity: str
    fees: Decimal
    general_partner: str
    manager: str
    parties: list[Record]
    promote_irrs: list[Decimal]
    style: str
    terms: list[str]


class LookThrough(Result):
    """Boardroom look-through interests (output ``lookthrough``)."""

    error_bound: float | None
    interests: list[Record]
    left_out: list[str]
    method: str
    why_iterative: str | None


class Diff(Result):
    """Boardroom changes between two dates (output ``diff``)."""

    acts: list[Record]
    chairs: list[Record]
    control: list[Record]
    # from: datetime.date (a Python keyword: result["from"])
    interests: list[Record]
    notes: list[str]
    offices: list[Record]
    power: list[Record]
    seats: list[Record]
    to: datetime.date


class Graph(Result):
    """Boardroom graph (output ``graph``)."""

    date: datetime.date | None
    edges: list[Record]
    nodes: list[Record]
    omitted: list[Record]
    record: Record


class Report(Result):
    """Boardroom report (output ``report``)."""

    assumptions: list[Record]
    charter: list[Record]
    control: Any
    economics: list[Record]
    economics_readings: list[Record]
    findings: list[Record]
    power: list[Record]
    questions: list[Record]
    rights_at_risk: list[Record]
    scenario: Record
    sensitivity: list[Record]
    states: list[Record]
    verdicts: list[Record]


BY_OUTPUT: dict[str, type[Result]] = {
    "state": State,
    "replay": Replay,
    "what-if": WhatIf,
    "control": Control,
    "block": Block,
    "power": Power,
    "waterfall": Waterfall,
    "waterfall-cumulative": WaterfallCumulative,
    "waterfall-comparison": WaterfallComparison,
    "fund-ledger": FundLedger,
    "lookthrough": LookThrough,
    "diff": Diff,
    "graph": Graph,
    "report": Report,
}
