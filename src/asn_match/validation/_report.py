"""The problem report of one table: every problem found, each naming its row, column and record."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike

from ..errors import DataQualityWarning, InputError, Problem
from ._cells import _plain


class _Message(Protocol):
    """``message(i, value)``: the text of a cell problem of record ``i``.

    A protocol, not a Callable, so that lambdas may bind loop variables as defaults
    (``lambda i, v, name=name: ...``), which mypy cannot infer against a Callable.
    """

    def __call__(self, i: int, value: object, /) -> str: ...


@dataclass
class _Report:
    """Problems of one table; rows and ids let each cell problem name its record."""

    source: str
    rows: np.ndarray
    ids: np.ndarray | None = None
    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        message: str,
        *,
        code: str,
        column: str | None = None,
        expected: str = "",
        value: object = None,
    ) -> None:
        self.problems.append(
            Problem(
                self.source,
                message,
                column=column,
                value=_plain(value),
                expected=expected,
                code=code,
            )
        )

    def raise_problems(self) -> None:
        """Raise :class:`~asn_match.errors.InputError` with every problem, if there is any."""
        if self.problems:
            raise InputError(self.problems)

    def sort_rows(self, start: int) -> None:
        """Put the problems added since ``start`` (all in one column) in row order."""
        self.problems[start:] = sorted(self.problems[start:], key=lambda p: p.row or 0)

    def cells(
        self,
        mask: ArrayLike,
        column: str | None,
        values: np.ndarray | Callable[[], np.ndarray],
        message: _Message,
        *,
        code: str,
        expected: str,
    ) -> None:
        """One problem per True entry of ``mask``; ``message(i, value)`` describes record i.

        ``values`` (the cells shown in messages) may be a function, called only when some entry
        of ``mask`` is True: most columns have no problem, and need no message values.
        """
        bad = np.flatnonzero(mask)
        if not bad.size:
            return
        if callable(values):
            values = values()
        for i in bad:
            value = _plain(values[i])
            record = None if self.ids is None else self.ids[i]
            self.problems.append(
                Problem(
                    self.source,
                    message(int(i), value),
                    row=int(self.rows[i]),
                    column=column,
                    value=value,
                    expected=expected,
                    code=code,
                    record_id=None if record is None else str(record),
                )
            )


def warn_quality(problems: Sequence[Problem], *, stacklevel: int = 2) -> None:
    """Emit data-quality problems once, as one :class:`~asn_match.errors.DataQualityWarning`.

    Parameters
    ----------
    problems : sequence of Problem
        Nothing is emitted when empty.
    stacklevel : int, default 2
        As for :func:`warnings.warn`, counted from the caller of this function.
    """
    if problems:
        warnings.warn(DataQualityWarning(problems), stacklevel=stacklevel + 1)
