"""The raw table: headers normalised, columns split, blank rows dropped, rows numbered."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError, InvalidParameterError, Problem
from ..rules import INFO_PREFIX
from ._cells import _blank, _letter, normalize_header
from ._report import _Report


@dataclass
class _Table:
    """A raw table split into normalised columns, with blank rows dropped."""

    columns: dict[str, pd.Series]
    headers: dict[str, str]
    rows: np.ndarray
    n_raw_rows: int
    problems: list[Problem]


def _split_columns(frame: pd.DataFrame, source: str, *, caller: str, header_row: int = 1) -> _Table:
    """The columns of ``frame`` under their schema names, without blank rows.

    Records are numbered as the spreadsheet shows them: the first is on the row below
    ``header_row``.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidParameterError("frame", caller, "a pandas DataFrame", type(frame))
    problems: list[Problem] = []
    columns: dict[str, pd.Series] = {}
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    for j in range(frame.shape[1]):
        header = frame.columns[j]
        col = frame.iloc[:, j]
        name = normalize_header(header)
        if not name:
            if not _blank(col).all():
                problems.append(
                    Problem(
                        source,
                        f"column {_letter(j)} holds values but has no header; give it one (a "
                        f"schema column, a competency code or an '{INFO_PREFIX}' name) or delete "
                        "it.",
                        code="empty_header",
                    )
                )
            continue
        if name in columns:
            problems.append(
                Problem(
                    source,
                    f"column {name!r} appears twice (header {headers[name]!r} in column "
                    f"{_letter(positions[name])} and {str(header)!r} in column {_letter(j)}); "
                    "keep one of them.",
                    column=name,
                    code="duplicate_column",
                )
            )
            continue
        columns[name], headers[name], positions[name] = col, str(header), j
    # A row is blank when every cell is; each column only needs checking on the rows still blank
    # so far, which after the first filled column are few.
    blank_rows = np.arange(len(frame))
    for col in columns.values():
        if blank_rows.size == 0:
            break
        blank_rows = blank_rows[_blank(col.iloc[blank_rows])]
    keep = np.setdiff1d(np.arange(len(frame)), blank_rows, assume_unique=True)
    kept = {name: col.iloc[keep].reset_index(drop=True) for name, col in columns.items()}
    return _Table(kept, headers, keep + header_row + 1, len(frame), problems)


def _wrong_table(table: _Table, source: str, *, expected: str) -> Problem | None:
    has_employee = "employee_id" in table.columns
    has_position = "position_id" in table.columns
    if expected == "positions" and has_employee and not has_position:
        return Problem(
            source,
            "this looks like an employees file (it has 'employee_id' but no 'position_id'); "
            "pass it to read_employees.",
            column="position_id",
            code="wrong_table",
            expected="a positions file with a 'position_id' column",
        )
    if expected == "employees" and has_position and not has_employee:
        return Problem(
            source,
            "this looks like a positions file (it has 'position_id' but no 'employee_id'); "
            "pass it to read_positions.",
            column="employee_id",
            code="wrong_table",
            expected="an employees file with an 'employee_id' column",
        )
    return None


def _start(
    frame: pd.DataFrame, source: str, *, kind: str, caller: str, header_row: int = 1
) -> tuple[_Table, _Report]:
    """Split the columns and report what makes every further check pointless."""
    table = _split_columns(frame, source, caller=caller, header_row=header_row)
    report = _Report(source, table.rows)
    report.problems.extend(table.problems)
    if not table.columns and table.n_raw_rows == 0:
        raise InputError(
            [
                Problem(
                    source,
                    f"no records: the table is empty (no header, no rows); expected a {kind} "
                    "table.",
                    code="no_records",
                    expected="a header row and at least one record",
                )
            ]
        )
    wrong = _wrong_table(table, source, expected=kind)
    if wrong is not None:
        raise InputError([wrong])
    if len(table.rows) == 0:
        report.add(
            "no records: the table has a header but no data rows.",
            code="no_records",
            expected="at least one record below the header",
        )
    return table, report
