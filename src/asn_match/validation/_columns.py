"""Column checks shared by the table kinds: ids, ordinal codes, merit scores, competency levels.

Each check reads one column (or the competency columns) of a :class:`_Table`, adds a problem per
bad cell to the :class:`_Report`, and returns the parsed values with bad cells as missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache, partial

import numpy as np
import pandas as pd

from ..framework import CompetencyFramework, LevelScale
from ..rules import INFO_PREFIX
from ._cells import _DECIMAL_COMMA, _NONE, _blank, _ids, _numbers, _parsed, _raw, _scores, _text
from ._report import _Report
from ._table import _Table


def _not_a_number(value: object, *, decimal_comma: bool) -> str:
    """Why a cell is not a number; a decimal comma in a comma-separated file gets its fix."""
    if not decimal_comma and isinstance(value, str) and re.match(_DECIMAL_COMMA, value):
        return (
            f"not a number: {value!r} looks like a decimal comma, which reads as a number only in "
            f"a semicolon-separated file. Write {value.replace(',', '.')!r}, or save the file "
            "from Excel as CSV separated by semicolons (the Indonesian-locale default)."
        )
    return "not a number."


def _check_ids(table: _Table, report: _Report, column: str) -> np.ndarray:
    """Validated ids of a table's id column (object array); reports empty, lost and duplicates."""
    n = len(table.rows)
    if column not in table.columns:
        return np.full(n, None, dtype=object)
    ids, lost = _ids(table.columns[column])
    report.ids = ids
    start = len(report.problems)
    report.cells(
        lost,
        column,
        partial(_raw, table.columns[column]),
        lambda i, v: (
            f"{column} {v!r} has lost its last digits: it was stored as a number, which "
            "keeps only 15-16 significant digits. Format the column as Text and enter the ids "
            "again."
        ),
        code="id_precision_lost",
        expected="the id as text, every digit kept",
    )
    empty = pd.isna(ids)
    report.cells(
        empty,
        column,
        ids,
        lambda i, v: f"{column} is empty; every record needs a unique id.",
        code="empty_id",
        expected="a non-empty, unique id",
    )
    usable = ~empty & ~lost
    if usable.any():
        codes, _ = pd.factorize(pd.Series(np.where(usable, ids, _NONE), dtype=object))
        index = np.arange(n)
        first = pd.Series(index).groupby(codes).transform("min").to_numpy()
        repeated = usable & (first != index)
        rows = table.rows
        report.cells(
            repeated,
            column,
            ids,
            lambda i, v: (
                f"duplicate {column} {v!r}: it is also in row {rows[first[i]]}; ids must be unique."
            ),
            code="duplicate_id",
            expected="a unique id",
        )
    report.sort_rows(start)
    return ids


def _ordinal(
    table: _Table,
    report: _Report,
    column: str,
    parse: Callable[[np.ndarray], np.ndarray],
    *,
    labels: str,
    what: str,
    allow_empty: bool,
) -> np.ndarray:
    n = len(table.rows)
    if column not in table.columns:
        return np.full(n, -1, dtype=np.int16)
    col = table.columns[column]
    codes = _parsed(col, parse, -1)
    bad = codes < 0
    if allow_empty:
        bad &= ~_blank(col)
    expected = f"one of {labels}" + (", or empty for no minimum" if allow_empty else "")
    report.cells(
        bad,
        column,
        partial(_text, col),
        lambda i, v: f"{what} is empty." if v is None else f"unknown {what} {v!r}.",
        code=f"unknown_{what.split()[-1]}",
        expected=expected,
    )
    return np.where(bad, -1, codes).astype(np.int16)


def _score_column(
    table: _Table,
    report: _Report,
    column: str,
    labels: dict[str, float] | None,
    *,
    decimal_comma: bool,
    expected: str,
    upper: float | None,
) -> np.ndarray:
    """A 0-100 (or >= 0 when ``upper`` is None) merit column; NaN where not given."""
    n = len(table.rows)
    if column not in table.columns:
        return np.full(n, np.nan)
    col = table.columns[column]
    if labels is None:
        values, bad = _numbers(col, decimal_comma=decimal_comma)
    else:
        values, bad = _scores(col, labels, decimal_comma=decimal_comma)
    out_of_range = (values < 0) | (values > upper if upper is not None else False)
    report.cells(
        bad | out_of_range,
        column,
        partial(_raw, col),
        lambda i, v: (
            f"{column} {v!r} is "
            + (_not_a_number(v, decimal_comma=decimal_comma) if bad[i] else "out of range.")
            + " Leave the cell empty if it is not known."
        ),
        code=f"invalid_{column}",
        expected=expected,
    )
    return np.where(bad | out_of_range, np.nan, values)


def _info(table: _Table, names: Sequence[str], n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            name: _text(table.columns[name]) if name in table.columns else np.full(n, None)
            for name in names
        },
        index=pd.RangeIndex(n),
    )


def _level_matrix(
    table: _Table,
    report: _Report,
    framework: CompetencyFramework,
    *,
    decimal_comma: bool,
    kind: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Levels (employees) or standard levels (positions) of shape (n, K), and filled cells.

    The second array marks cells holding anything (a number or not), for per-record checks.
    """
    n = len(table.rows)
    scale: LevelScale = framework.scale
    matrix = np.full((n, len(framework)), np.nan)
    filled = np.zeros((n, len(framework)), dtype=bool)
    is_standard = kind == "standard"
    word = "standard level" if is_standard else "level"
    expected = scale.describe() + (
        ", or empty if not required" if is_standard else ", or empty if not assessed"
    )
    if is_standard and scale.minimum == 0:
        expected = expected.replace("from 0", "above 0 up")
    for k, code in enumerate(framework.codes):
        if code not in table.columns:
            continue
        col = table.columns[code]
        values, bad = _numbers(col, decimal_comma=decimal_comma)
        raw = cache(partial(_raw, col))
        numeric = ~np.isnan(values)
        start = len(report.problems)
        filled[:, k] = numeric | bad
        if bad.sum() >= 2 and not numeric.any():
            first = int(np.flatnonzero(bad)[0])
            report.add(
                f"column {table.headers[code]!r} holds text, not {word}s (e.g. {raw()[first]!r} in "
                f"row {table.rows[first]}); every column outside the schema is read as a "
                f"competency. If it is descriptive, rename it {INFO_PREFIX + code!r} (kept in "
                ".info) or drop it.",
                code="non_numeric_column",
                column=code,
                value=raw()[first],
                expected=expected,
            )
            continue
        report.cells(
            bad,
            code,
            raw,
            lambda i, v: f"{word} {v!r} is {_not_a_number(v, decimal_comma=decimal_comma)}",
            code=f"invalid_{word.replace(' ', '_')}",
            expected=expected,
        )
        not_positive = is_standard & numeric & (values <= 0)
        with np.errstate(invalid="ignore"):
            outside = (
                numeric
                & ~not_positive
                & (
                    (values < scale.minimum)
                    | (values > scale.maximum)
                    | (scale.integer & (values != np.round(values)))
                )
            )
        report.cells(
            not_positive,
            code,
            raw,
            lambda i, v: (
                f"standard level {v!r} must be greater than 0; leave the cell empty if "
                "the position does not require this competency."
            ),
            code="standard_not_positive",
            expected=expected,
        )
        with np.errstate(invalid="ignore"):
            in_range = (values >= scale.minimum) & (values <= scale.maximum)
        report.cells(
            outside,
            code,
            raw,
            lambda i, v, in_range=in_range: (
                f"{word} {v!r} is "
                + (
                    f"outside the {framework.name} scale."
                    if not in_range[i]
                    else f"not a whole number, which the {framework.name} scale requires."
                )
            ),
            code=f"{word.replace(' ', '_')}_out_of_scale",
            expected=expected,
        )
        report.sort_rows(start)
        matrix[:, k] = np.where(not_positive | outside, np.nan, values)
    return matrix, filled
