"""Exceptions and warnings that carry their data.

Every problem in the input is reported at once, as a :class:`Problem` that names the source, the
spreadsheet row, the column, the offending value and what was expected, so an HR system can show
the list in its own interface and an analyst can fix the file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DataQualityWarning",
    "InfeasibleError",
    "InputError",
    "InvalidParameterError",
    "Problem",
]


@dataclass(frozen=True)
class Problem:
    """One problem found in the input.

    Parameters
    ----------
    source : str
        Where the data came from: a file name, or ``"<DataFrame>"`` / ``"employees"`` for
        in-memory input.
    message : str
        What is wrong and how to fix it, in one sentence.
    row : int or None
        The spreadsheet row of the record: the header is row 1, the first record row 2 (the same
        number Excel shows). ``None`` for problems with a whole column or file.
    column : str or None
        The column at fault, if any.
    value : object
        The offending value as read (``None`` when the value is missing).
    expected : str
        What a valid value looks like.
    code : str
        A short machine-readable reason, e.g. ``"missing_column"``, ``"duplicate_id"``.
    record_id : str or None
        The id (employee_id or position_id) of the record, when it is known.
    """

    source: str
    message: str
    row: int | None = None
    column: str | None = None
    value: Any = None
    expected: str = ""
    code: str = "invalid"
    record_id: str | None = None

    def __str__(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.record_id is not None:
            where.append(f"id {self.record_id}")
        text = f"{', '.join(where)}: {self.message}"
        if self.expected:
            text += f" Expected {self.expected}."
        return text

    def to_dict(self) -> dict[str, Any]:
        """The problem as a JSON-ready dictionary."""
        value = self.value
        if value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        return {
            "source": self.source,
            "row": self.row,
            "column": self.column,
            "record_id": self.record_id,
            "value": value,
            "expected": self.expected,
            "code": self.code,
            "message": self.message,
        }


class InputError(ValueError):
    """Invalid input: every problem found, at once.

    Parameters
    ----------
    problems : sequence of Problem
        The problems, in the order they were found (by column, then row).

    Attributes
    ----------
    problems : tuple of Problem

    Examples
    --------
    >>> err = InputError([Problem("employees.csv", "Duplicate id.", row=3, column="employee_id")])
    >>> print(err)
    1 problem in the input:
      - employees.csv, row 3, column 'employee_id': Duplicate id.
    """

    #: Most problems shown in the message; all of them stay in ``.problems``.
    max_shown = 50

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__(self._format(self.problems))

    @classmethod
    def _format(cls, problems: Sequence[Problem]) -> str:
        n = len(problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} in the input:"]
        lines += [f"  - {p}" for p in problems[: cls.max_shown]]
        if n > cls.max_shown:
            lines.append(f"  ... and {n - cls.max_shown} more (see the .problems attribute)")
        return "\n".join(lines)

    def __reduce__(self):  # keep .problems through pickling (dask, multiprocessing)
        return (type(self), (self.problems,))


class InvalidParameterError(ValueError, TypeError):
    """An option of a function has a wrong type or value.

    Both a :class:`ValueError` and a :class:`TypeError`, as scikit-learn's
    ``InvalidParameterError``: callers may catch either, whichever way the value was wrong. The
    message has one form everywhere: "The {name!r} parameter of {caller} must be
    {constraint}. Got {value!r} instead."

    Parameters
    ----------
    name : str
        The parameter.
    caller : str
        The public function or method that received it.
    constraint : str
        What a valid value is.
    value : object
        What was given (shown with ``repr``).
    fix : str, default=""
        An extra sentence saying how to fix it, appended to the message.

    Attributes
    ----------
    name, caller, constraint : str
    value : object

    Examples
    --------
    >>> err = InvalidParameterError("k", "recommend", "an int >= 1", 0)
    >>> print(err)
    The 'k' parameter of recommend must be an int >= 1. Got 0 instead.
    >>> isinstance(err, ValueError) and isinstance(err, TypeError)
    True
    """

    def __init__(self, name: str, caller: str, constraint: str, value: Any, fix: str = ""):
        self.name, self.caller, self.constraint, self.value = name, caller, constraint, value
        self.fix = fix
        message = f"The {name!r} parameter of {caller} must be {constraint}. Got {value!r} instead."
        super().__init__(f"{message} {fix}" if fix else message)

    def __reduce__(self):
        return (type(self), (self.name, self.caller, self.constraint, self.value, self.fix))


class InfeasibleError(ValueError):
    """An assignment problem with no feasible solution of the requested size.

    Parameters
    ----------
    message : str
        What cannot be matched and why.
    rows, cols : sequence of int
        The rows (e.g. employees) and columns (e.g. seats) that cannot be matched.
    """

    def __init__(self, message: str, *, rows: Iterable[int] = (), cols: Iterable[int] = ()):
        super().__init__(message)
        self.rows = tuple(int(r) for r in rows)
        self.cols = tuple(int(c) for c in cols)

    def __reduce__(self):
        return (_rebuild_infeasible, (str(self), self.rows, self.cols))


def _rebuild_infeasible(message: str, rows: tuple[int, ...], cols: tuple[int, ...]):
    return InfeasibleError(message, rows=rows, cols=cols)


class DataQualityWarning(UserWarning):
    """Suspicious but usable input, e.g. a NIP that contradicts the row's birth date.

    Real exports contain such rows, so they are not errors; the analyst must still see them.
    The problems are available as ``.problems``.
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        lines = [f"{n} data-quality warning{'s' if n != 1 else ''}:"]
        lines += [f"  - {p}" for p in self.problems[: InputError.max_shown]]
        if n > InputError.max_shown:
            lines.append(f"  ... and {n - InputError.max_shown} more (see .problems)")
        super().__init__("\n".join(lines))
