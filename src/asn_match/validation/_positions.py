"""Positions: seats, minimums and class, job expectation weights, and per-position checks."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, partial

import numpy as np
import pandas as pd

from ..errors import Problem
from ..framework import CompetencyFramework
from ..ordinals import parse_education, parse_position_class, parse_rank
from ..rules import EDUCATION_LEVELS, POSITION_CLASSES, RANKS, WEIGHT_SUFFIX
from ..tables import Positions
from ._build import _lay_out
from ._cells import _blank, _numbers, _parsed, _raw, _text
from ._columns import _level_matrix, _ordinal
from ._report import _Report, warn_quality
from ._schema import POSITIONS
from ._table import _Table

#: Most seats one position may have: far above any real position, well inside int64.
MAX_SEATS = 1_000_000


def _weight_matrix(
    table: _Table,
    report: _Report,
    framework: CompetencyFramework,
    weight_columns: Sequence[str],
    *,
    decimal_comma: bool,
) -> np.ndarray:
    """Weights, shape (n, K): 1 where not given, NaN where invalid (already reported)."""
    n = len(table.rows)
    weights = np.ones((n, len(framework)))
    present = set(framework.codes) & set(table.columns)
    expected = "a number >= 0 (importance; empty means 1)"
    for name in weight_columns:
        code = name[: -len(WEIGHT_SUFFIX)]
        if code in table.columns and code not in present:
            continue  # the competency column itself is unknown, and already reported
        if code not in present:
            report.add(
                f"weight column {table.headers[name]!r} has no competency column {code!r}; add "
                f"the standard levels in a column {code!r} or drop the weight column.",
                code="weight_without_competency",
                column=name,
                expected=f"a column {code!r} next to {name!r}",
            )
            continue
        col = table.columns[name]
        values, bad = _numbers(col, decimal_comma=decimal_comma)
        raw = cache(partial(_raw, col))
        negative = values < 0
        start = len(report.problems)
        report.cells(
            bad,
            name,
            raw,
            lambda i, v: f"weight {v!r} is not a number.",
            code="invalid_weight",
            expected=expected,
        )
        report.cells(
            negative,
            name,
            raw,
            lambda i, v: f"weight {v!r} is negative.",
            code="negative_weight",
            expected=expected,
        )
        report.sort_rows(start)
        k = framework.codes.index(code)
        weights[:, k] = np.where(bad | negative, np.nan, np.where(np.isnan(values), 1.0, values))
    return weights


def build_positions(
    frame: pd.DataFrame,
    *,
    framework: CompetencyFramework | None = None,
    source: str = "<DataFrame>",
    decimal_comma: bool = False,
    read_warnings: Sequence[Problem] = (),
    warn: bool = True,
    header_row: int = 1,
) -> Positions:
    """Validate a raw positions table and build :class:`~asn_match.tables.Positions`.

    Parameters
    ----------
    frame : DataFrame of shape (n_rows, n_columns)
        One row per position: ``position_id``, ``title``, ``unit``, ``class``, ``seats``,
        ``min_rank``, ``min_education``, one column per competency code holding the standard level
        (empty = not required) and optional ``<code>_weight`` columns (importance, default 1).
        Never modified.
    framework : CompetencyFramework, optional
        Default None: inferred from the competency columns (SKJ codes plus technical ones).
    source : str, default "<DataFrame>"
        Name of the data in problem messages.
    decimal_comma : bool, default False
        Whether ``"3,5"`` means 3.5.
    read_warnings : sequence of Problem, default ()
        Data-quality warnings found while reading the file.
    warn : bool, default True
        Whether to emit the data-quality warnings as one
        :class:`~asn_match.errors.DataQualityWarning`; they are in ``.warnings`` either way.
    header_row : int, default 1
        The spreadsheet row the column names were read from (set by the reader when title rows
        sit above the header), so that problems name the rows the spreadsheet shows.

    Returns
    -------
    Positions
        ``standard`` NaN where not required; ``weights`` 0 where not required, 1 where required and
        no weight is given; ``min_rank`` / ``min_education`` -1 where empty (no minimum);
        ``position_class`` None where empty.

    Raises
    ------
    InputError
        Listing every problem: missing columns, bad ids, seats that are not a positive whole
        number, unknown class, rank or education, standards that are not numbers, not positive or
        outside the scale, negative or non-numeric weights, a position whose required competencies
        all weigh 0 or that requires none, a weight column without its competency, a misspelt
        SKJ code.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({
    ...     "position_id": ["P1"], "title": ["Kepala Bidang"], "unit": ["Bappeda"],
    ...     "class": ["Administrator"], "seats": [2], "min_rank": ["III/d"],
    ...     "min_education": ["S1"], "integritas": [3], "komunikasi": [None],
    ...     "integritas_weight": [2]})
    >>> positions = build_positions(frame)
    >>> positions.seats.tolist(), positions.weights[0, :3].tolist()
    ([2], [2.0, 0.0, 0.0])
    """
    layout = _lay_out(
        frame,
        POSITIONS,
        framework=framework,
        source=source,
        caller="build_positions",
        header_row=header_row,
    )
    table, report, ids, n = layout.table, layout.report, layout.ids, layout.n
    weight_columns = layout.weight_columns
    seats = np.zeros(n, dtype=np.int64)
    if "seats" in table.columns:
        col = table.columns["seats"]
        values, bad = _numbers(col, decimal_comma=decimal_comma)
        with np.errstate(invalid="ignore"):
            invalid = bad | np.isnan(values) | (values < 1) | (values != np.round(values))
            # A huge count (1e308) is whole too, but no int64 holds it: refused, never wrapped.
            invalid |= values > MAX_SEATS
        report.cells(
            invalid,
            "seats",
            partial(_raw, col),
            lambda i, v: (
                "seats is empty."
                if v is None
                else f"seats {v!r} is not a whole number from 1 to {MAX_SEATS:,}."
            ),
            code="invalid_seats",
            expected=f"a whole number from 1 to {MAX_SEATS:,} (how many people the position takes)",
        )
        seats = np.where(invalid, 0, values).astype(np.int64)
    min_rank = _ordinal(
        table,
        report,
        "min_rank",
        parse_rank,
        labels=", ".join(RANKS),
        what="minimum rank",
        allow_empty=True,
    )
    min_education = _ordinal(
        table,
        report,
        "min_education",
        parse_education,
        labels=", ".join(EDUCATION_LEVELS) + " (D4 = S1)",
        what="minimum education",
        allow_empty=True,
    )
    position_class = np.full(n, None, dtype=object)
    if "class" in table.columns:
        col = table.columns["class"]
        position_class = _parsed(col, parse_position_class, None)
        unknown = ~_blank(col) & pd.isna(position_class)
        report.cells(
            unknown,
            "class",
            partial(_text, col),
            lambda i, v: f"unknown position class {v!r}.",
            code="unknown_class",
            expected=f"one of {', '.join(POSITION_CLASSES)}, or empty",
        )

    resolved = layout.framework(framework)
    standard = np.empty((n, 0))
    weights = np.empty((n, 0))
    if resolved is not None:
        standard, filled = _level_matrix(
            table, report, resolved, decimal_comma=decimal_comma, kind="standard"
        )
        weights = _weight_matrix(
            table, report, resolved, weight_columns, decimal_comma=decimal_comma
        )
        _position_rows(table, report, resolved, filled, weights, weight_columns)
        weights = np.where(np.isnan(standard), 0.0, weights)
    report.raise_problems()
    assert resolved is not None

    positions = Positions(
        ids=ids,
        framework=resolved,
        standard=standard,
        weights=weights,
        seats=seats,
        min_rank=min_rank,
        min_education=min_education,
        position_class=position_class,
        info=layout.info(),
        source=source,
        warnings=tuple(read_warnings) + tuple(layout.notes),
        rows=table.rows,
    )
    if warn:
        warn_quality(positions.warnings)
    return positions


def _position_rows(
    table: _Table,
    report: _Report,
    framework: CompetencyFramework,
    filled: np.ndarray,
    weights: np.ndarray,
    weight_columns: Sequence[str],
) -> None:
    """Per-position checks across competencies: something required, not every weight zero."""
    codes = [c for c in framework.codes if c in table.columns]
    if not codes:
        return
    none_required = ~filled.any(axis=1)
    report.cells(
        none_required,
        None,
        np.full(len(table.rows), None),
        lambda i, v: (
            "the position requires no competency: every competency cell ("
            + ", ".join(codes)
            + ") is empty; give at least one standard level."
        ),
        code="no_required_competency",
        expected="a standard level in at least one competency column",
    )
    with np.errstate(invalid="ignore"):
        all_zero = filled.any(axis=1) & np.all(np.where(filled, weights == 0, True), axis=1)
    relevant = [c for c in weight_columns if c[: -len(WEIGHT_SUFFIX)] in codes]
    columns = ", ".join(relevant) or "(none)"
    report.cells(
        all_zero,
        None,
        np.full(len(table.rows), None),
        lambda i, v: (
            "all-zero weights: every required competency of the position has weight 0 "
            f"(columns {columns}); give at least one a positive weight."
        ),
        code="all_zero_weights",
        expected="at least one positive weight among the required competencies",
    )
