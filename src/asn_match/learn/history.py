"""Placement history: who held which position, their assessed levels then, and how they performed.

One row per employee and position held (a *stint*):

- ``employee_id``, ``position_id`` (required): ids as text, as in the employees and positions
  files; an employee appears once per position held.
- ``start``, ``end`` (optional): the period, as dates (ISO ``2021-01-04``, Excel dates or
  day-first ``04/01/2021``); an empty ``end`` means the stint is still running.
- ``outcome`` (required): the performance rating that followed, an SKP predicate (``baik``,
  ``sangat baik``, ...; mapped to 0-100 as for employees) or a number from 0 to 100.
- ``potential`` (optional): the later potential, a band or a number from 0 to 100.
- ``info_*`` columns: descriptive, carried along, never learned from.
- every other column: a competency code holding the level assessed at the time of placement.

The file is validated like the employees and positions files, with the same cell parsers and
column checks (:mod:`asn_match.validation`): every problem is reported at once in one
:class:`~asn_match.errors.InputError`, each naming its file, row, column and record. Protected
attributes (gender, religion, ...) do not belong in a history: learning uses competencies and
outcomes only, so such a column is an error rather than a silent drop.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .._checks import freeze_arrays
from ..errors import InvalidParameterError, Problem
from ..framework import CompetencyFramework
from ..io import _load
from ..ordinals import PERFORMANCE_PREDICATES, POTENTIAL_BANDS
from ..rules import INFO_PREFIX, PROTECTED_ATTRIBUTES, WEIGHT_SUFFIX
from ..validation._build import _framework_for, _schema_problems
from ..validation._cells import _NONE, _blank, _dates, _ids, _raw
from ..validation._columns import _info, _level_matrix, _score_column
from ..validation._report import _Report, warn_quality
from ..validation._table import _start

__all__ = ["HISTORY_COLUMNS", "HISTORY_REQUIRED", "History", "build_history", "read_history"]

#: Schema columns of a history table, in order; competency columns follow.
HISTORY_COLUMNS: tuple[str, ...] = (
    "employee_id",
    "position_id",
    "start",
    "end",
    "outcome",
    "potential",
)
#: The columns a history table must have.
HISTORY_REQUIRED: tuple[str, ...] = ("employee_id", "position_id", "outcome")

_LEAVE_EMPTY = "Leave the cell empty if it is not known."
_GIVE_OUTCOME = "Give the SKP predicate or the 0-100 score, or drop the record."

# Spellings met in Indonesian exports, used only to suggest the schema name in a message.
_HISTORY_ALIASES: dict[str, str] = {
    "nip": "employee_id",
    "id_pegawai": "employee_id",
    "id_jabatan": "position_id",
    "kode_jabatan": "position_id",
    "jabatan": "position_id",
    "tmt": "start",
    "mulai": "start",
    "tanggal_mulai": "start",
    "selesai": "end",
    "tanggal_selesai": "end",
    "skp": "outcome",
    "kinerja": "outcome",
    "predikat_kinerja": "outcome",
    "nilai_skp": "outcome",
    "performance": "outcome",
    "potensi": "potential",
}


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class History:
    """Validated placement history: one record per employee and position held.

    Built by :func:`read_history` (which validates); arrays are read-only.

    Attributes
    ----------
    employee_ids, position_ids : ndarray of shape (n_records,), dtype object
        Ids as exact strings.
    start, end : ndarray of shape (n_records,), datetime64[D]
        The period; NaT where not given (an empty ``end``: still running).
    outcome : ndarray of shape (n_records,), float64
        The performance rating that followed, on 0-100 (predicates mapped).
    potential : ndarray of shape (n_records,), float64
        The later potential on 0-100; NaN where not given.
    levels : ndarray of shape (n_records, n_competencies), float64
        Levels assessed at the time of placement; NaN where not assessed.
    framework : CompetencyFramework
        The competencies, in the column order of ``levels``.
    rows : ndarray of shape (n_records,), int
        The spreadsheet row of each record (header = row 1), for messages.
    info : DataFrame
        The ``info_*`` columns as text, one row per record.
    source : str
    warnings : tuple of Problem
    """

    employee_ids: np.ndarray
    position_ids: np.ndarray
    start: np.ndarray
    end: np.ndarray
    outcome: np.ndarray
    potential: np.ndarray
    levels: np.ndarray
    framework: CompetencyFramework
    rows: np.ndarray
    info: pd.DataFrame
    source: str = "history"
    warnings: tuple[Problem, ...] = field(default=())

    def __post_init__(self) -> None:
        freeze_arrays(self)

    def __len__(self) -> int:
        return len(self.employee_ids)

    def __repr__(self) -> str:
        n_employees = len(pd.unique(self.employee_ids))
        return (
            f"<History: {len(self)} records of {n_employees} employees x "
            f"{len(self.framework)} competencies from {self.source}>"
        )

    @property
    def codes(self) -> tuple[str, ...]:
        """Competency codes, in the column order of ``levels``."""
        return self.framework.codes

    def to_frame(self) -> pd.DataFrame:
        """The history in the input schema, one row per record (outcomes as numbers)."""
        leading = pd.DataFrame(
            {
                "employee_id": self.employee_ids,
                "position_id": self.position_ids,
                "start": self.start,
                "end": self.end,
                "outcome": self.outcome,
                "potential": self.potential,
            }
        )
        levels = pd.DataFrame(self.levels, columns=list(self.codes))
        return pd.concat([leading, self.info.reset_index(drop=True), levels], axis=1)


def _id_column(table, report: _Report, name: str) -> np.ndarray:
    """Ids of one id column; reports empty and truncated ids."""
    n = len(table.rows)
    if name not in table.columns:
        return np.full(n, None, dtype=object)
    ids, lost = _ids(table.columns[name])
    report.cells(
        lost,
        name,
        ids,
        lambda i, v: (
            f"{name} {v!r} has lost its last digits: it was stored as a number. Format the "
            "column as Text and enter the ids again."
        ),
        code="id_precision_lost",
        expected="the id as text, every digit kept",
    )
    report.cells(
        pd.isna(ids) & ~lost,
        name,
        ids,
        lambda i, v: f"{name} is empty; every record names the employee and the position held.",
        code="empty_id",
        expected="a non-empty id",
    )
    return np.where(lost, _NONE, ids)


def _date_column(table, report: _Report, name: str) -> np.ndarray:
    n = len(table.rows)
    if name not in table.columns:
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    col = table.columns[name]
    dates = _dates(col)
    bad = np.isnat(dates) & ~_blank(col)
    report.cells(
        bad,
        name,
        lambda: _raw(col),
        lambda i, v: f"{name} {v!r} is not a date.",
        code=f"invalid_{name}",
        expected="a date such as 2021-01-04 or 04/01/2021, or empty",
    )
    return dates


def build_history(
    frame: pd.DataFrame,
    *,
    framework: CompetencyFramework | None = None,
    source: str = "<DataFrame>",
    decimal_comma: bool = False,
    read_warnings: tuple[Problem, ...] = (),
) -> History:
    """Validate a raw history table and build :class:`History`.

    Parameters
    ----------
    frame : DataFrame of shape (n_rows, n_columns)
        One row per employee and position held, in the history schema (module docstring),
        cells as read. Never modified.
    framework : CompetencyFramework, optional
        Default None: inferred from the competency columns.
    source : str, default "<DataFrame>"
        Name of the data in problem messages, e.g. the file path.
    decimal_comma : bool, default False
        Whether ``"3,5"`` means 3.5.
    read_warnings : tuple of Problem, default ()
        Data-quality warnings of the reader, kept in ``.warnings``.

    Returns
    -------
    History

    Raises
    ------
    InputError
        Every problem found: missing columns, empty or truncated ids, outcomes that are not an
        SKP predicate or a number in 0-100, dates that are not dates or end before they start,
        levels outside the scale, a record given twice, protected or weight columns.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "employee_id": ["198609262015051001", "198609262015051001"],
    ...     "position_id": ["P1", "P2"], "start": ["2019-01-02", "2022-03-01"],
    ...     "outcome": ["baik", 91], "integritas": [3, 4], "komunikasi": [2, 3]})
    >>> history = build_history(frame)
    >>> history.outcome.tolist(), history.levels[:, [0, 2]].tolist()
    ([83.0, 91.0], [[3.0, 2.0], [4.0, 3.0]])
    """
    caller = "build_history"
    if framework is not None and not isinstance(framework, CompetencyFramework):
        raise InvalidParameterError("framework", caller, "a CompetencyFramework or None", framework)
    table, report = _start(frame, source, kind="history", caller=caller)
    claimed = _schema_problems(
        table,
        report,
        required=HISTORY_REQUIRED,
        optional=tuple(c for c in HISTORY_COLUMNS if c not in HISTORY_REQUIRED),
        aliases=_HISTORY_ALIASES,
        protected=True,
    )
    n = len(table.rows)
    competency_columns = []
    for name in table.columns:
        if name in HISTORY_COLUMNS or name in claimed or name.startswith(INFO_PREFIX):
            continue
        if name in PROTECTED_ATTRIBUTES:
            report.add(
                f"column {table.headers[name]!r} is a protected attribute; the history is "
                "learned from competencies and outcomes only. Drop the column.",
                code="protected_column",
                column=name,
            )
        elif name.endswith(WEIGHT_SUFFIX):
            report.add(
                f"column {table.headers[name]!r} is a job-expectation weight; weights belong in "
                "the positions file (they are what the history is learned into). Drop it.",
                code="unexpected_weight_column",
                column=name,
            )
        else:
            competency_columns.append(name)

    employee_ids = _id_column(table, report, "employee_id")
    report.ids = employee_ids
    position_ids = _id_column(table, report, "position_id")
    predicates = ", ".join(PERFORMANCE_PREDICATES)
    expected_outcome = f"an SKP predicate ({predicates}) or a number from 0 to 100"
    start_outcome = len(report.problems)
    outcome = _score_column(
        table,
        report,
        "outcome",
        PERFORMANCE_PREDICATES,
        decimal_comma=decimal_comma,
        expected=expected_outcome,
        upper=100,
    )
    # The shared column check suggests leaving an unknown cell empty; an outcome is required.
    report.problems[start_outcome:] = [
        replace(p, message=p.message.replace(_LEAVE_EMPTY, _GIVE_OUTCOME))
        for p in report.problems[start_outcome:]
    ]
    if "outcome" in table.columns:
        report.cells(
            _blank(table.columns["outcome"]),
            "outcome",
            np.full(n, None),
            lambda i, v: "outcome is empty; drop records whose rating is not known yet.",
            code="empty_outcome",
            expected=expected_outcome,
        )
    potential = _score_column(
        table,
        report,
        "potential",
        POTENTIAL_BANDS,
        decimal_comma=decimal_comma,
        expected=f"a number from 0 to 100 or a band ({', '.join(POTENTIAL_BANDS)})",
        upper=100,
    )
    start = _date_column(table, report, "start")
    end = _date_column(table, report, "end")
    backwards = ~np.isnat(start) & ~np.isnat(end) & (end < start)
    report.cells(
        backwards,
        "end",
        end.astype(str),
        lambda i, v: f"end {v} is before start {start[i]}.",
        code="end_before_start",
        expected="an end date on or after the start date",
    )
    usable = ~pd.isna(employee_ids) & ~pd.isna(position_ids)
    if usable.any():
        key = pd.DataFrame({"e": employee_ids, "p": position_ids, "s": start.astype(str)})
        repeated = usable & key.duplicated(keep="first").to_numpy()
        report.cells(
            repeated,
            "position_id",
            position_ids,
            lambda i, v: (
                f"record of employee {employee_ids[i]!r} in position {v!r}"
                f" (start {start[i]}) is given twice; keep one."
            ),
            code="duplicate_record",
            expected="one record per employee, position and start",
        )
    resolved = _framework_for(competency_columns, framework, report, table.headers)
    levels = np.empty((n, 0))
    if resolved is not None:
        levels, _ = _level_matrix(
            table, report, resolved, decimal_comma=decimal_comma, kind="level"
        )
    report.raise_problems()
    assert resolved is not None  # no competencies is a reported problem
    info_columns = [c for c in table.columns if c.startswith(INFO_PREFIX)]
    return History(
        employee_ids=employee_ids,
        position_ids=position_ids,
        start=start,
        end=end,
        outcome=outcome,
        potential=potential,
        levels=levels,
        framework=resolved,
        rows=np.asarray(table.rows),
        info=_info(table, info_columns, n),
        source=source,
        warnings=tuple(read_warnings),
    )


def read_history(
    source: str | os.PathLike | pd.DataFrame | History,
    *,
    framework: CompetencyFramework | None = None,
) -> History:
    """Read and validate a placement history from a file or a DataFrame.

    Parameters
    ----------
    source : str, os.PathLike, DataFrame or History
        A ``.csv``, ``.xlsx``, ``.parquet`` or ``.json`` file or a DataFrame (never modified),
        one row per employee and position held: ``employee_id``, ``position_id``, optional
        ``start`` and ``end`` dates, ``outcome`` (SKP predicate or 0-100), optional
        ``potential``, optional ``info_*`` columns, then one column per competency code holding
        the level assessed at the time of placement. A :class:`History` is returned unchanged.
    framework : CompetencyFramework, optional
        Default None: inferred from the competency columns (SKJ codes plus technical ones).

    Returns
    -------
    History

    Raises
    ------
    InputError
        Every problem found, each naming the file, spreadsheet row, column, record and what was
        expected; or one problem if the file cannot be read at all.

    Examples
    --------
    >>> import asn_match as am
    >>> frame = pd.DataFrame({
    ...     "employee_id": ["E1", "E1", "E2"], "position_id": ["P1", "P2", "P1"],
    ...     "outcome": ["baik", "sangat baik", 70], "integritas": [3, 4, 2]})
    >>> history = am.read_history(frame)
    >>> len(history), history.outcome.tolist()
    (3, [83.0, 95.0, 70.0])
    """
    if isinstance(source, History):
        return source
    loaded = _load(source, caller="read_history")
    history = build_history(
        loaded.frame,
        framework=framework,
        source=loaded.source,
        decimal_comma=loaded.decimal_comma,
        read_warnings=loaded.warnings,
    )
    warn_quality(history.warnings, stacklevel=2)
    return history
