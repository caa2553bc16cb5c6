"""The exceptions boardroom raises. The engine raises them by name."""

from __future__ import annotations

import json
from typing import Any


class BoardroomError(Exception):
    """Every error boardroom raises on bad input."""


class StructureError(BoardroomError):
    """A structure file that cannot be read: every problem, located.

    ``diagnostics`` holds each one as a dict: ``file``, ``line``,
    ``column``, ``severity``, ``message``, ``path`` (where in the
    structure), ``expected`` and ``hint`` where known. ``str(error)`` is
    the same text the command line prints.
    """

    def __init__(self, file: str, rendered: list[str], diagnostics: list[dict[str, Any]]):
        self.file = file
        self.diagnostics = diagnostics
        n = len(diagnostics)
        head = f"{file}: {n} problem{'s' if n != 1 else ''}"
        super().__init__(head + "\n" + "\n".join(rendered))


class QuestionError(BoardroomError, ValueError):
    """An argument that does not fit the structure or the question: an
    unknown id, a date in the wrong form, terms that cannot be distributed.
    ``message`` says what was wrong, ``hint`` what would be right."""

    def __init__(self, message: str, hint: str | None = None):
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message}\n  = hint: {hint}")


class PartialInput(UserWarning):
    """A register had damaged statements or rows: they were skipped and the
    table covers what was read. The table's ``schema.metadata`` and
    :func:`boardroom.summary` list each problem with its place."""


def _structure(args: tuple[str, list[str], str]) -> StructureError:
    file, rendered, data = args
    return StructureError(file, rendered, json.loads(data))


def _question(args: tuple[str, str | None]) -> QuestionError:
    return QuestionError(*args)
