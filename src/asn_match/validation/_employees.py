"""Employees: the employee columns (rank, education, merit, current position) and NIP checks."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import pandas as pd

from ..errors import Problem
from ..framework import CompetencyFramework
from ..nip import parse_nip
from ..ordinals import PERFORMANCE_PREDICATES, POTENTIAL_BANDS, parse_education, parse_rank
from ..rules import EDUCATION_LEVELS, RANKS
from ..tables import Employees
from ._build import _lay_out
from ._cells import _dates, _gender_codes, _ids, _parsed, _raw, _tidy
from ._columns import _level_matrix, _ordinal, _score_column
from ._report import _Report, warn_quality
from ._schema import EMPLOYEES
from ._table import _Table


def _nip_warnings(table: _Table, ids: np.ndarray, source: str) -> list[Problem]:
    """Rows whose NIP contradicts their own birth_date or gender column."""
    has_birth = "birth_date" in table.columns
    has_gender = "gender" in table.columns
    if not (has_birth or has_gender) or len(ids) == 0:
        return []
    parts = parse_nip(np.where(pd.isna(ids), "", ids).astype(str))
    report = _Report(source, table.rows, ids)
    if has_birth:
        col = table.columns["birth_date"]
        stated = _dates(col)
        nip_birth = parts.birth_date
        differs = parts.valid & ~np.isnat(stated) & (stated != nip_birth)
        report.cells(
            differs,
            "birth_date",
            partial(_raw, col),
            lambda i, v: (
                f"the NIP gives birth date {nip_birth[i]}, the birth_date column {v!r}; check both."
            ),
            code="nip_mismatch",
            expected="the birth date encoded in the NIP (digits 1-8, YYYYMMDD)",
        )
    if has_gender:
        col = table.columns["gender"]
        stated_gender = _parsed(col, _gender_codes, 0)
        differs = parts.valid & (stated_gender > 0) & (stated_gender != parts.gender)
        words = {1: "male (1)", 2: "female (2)"}
        report.cells(
            differs,
            "gender",
            partial(_raw, col),
            lambda i, v: (
                f"the NIP's gender digit says {words[int(parts.gender[i])]}, the gender "
                f"column {v!r}; check both."
            ),
            code="nip_mismatch",
            expected="the gender encoded in the NIP (digit 15: 1 male, 2 female)",
        )
    # Keep the warnings in row order, whichever column they concern.
    return sorted(report.problems, key=lambda p: (p.row or 0, p.column or ""))


def build_employees(
    frame: pd.DataFrame,
    *,
    framework: CompetencyFramework | None = None,
    source: str = "<DataFrame>",
    decimal_comma: bool = False,
    read_warnings: Sequence[Problem] = (),
    warn: bool = True,
) -> Employees:
    """Validate a raw employees table and build :class:`~asn_match.tables.Employees`.

    Parameters
    ----------
    frame : DataFrame of shape (n_rows, n_columns)
        One row per employee in the input schema (see the module docstring), cells as read. Never
        modified.
    framework : CompetencyFramework, optional
        The competencies and level scale. Default None: inferred from the competency columns with
        :meth:`CompetencyFramework.from_columns` (SKJ codes plus technical ones, scale 1-5).
    source : str, default "<DataFrame>"
        Name of the data in problem messages, e.g. the file path.
    decimal_comma : bool, default False
        Whether ``"3,5"`` means 3.5 (set by the reader for semicolon-separated CSV files).
    read_warnings : sequence of Problem, default ()
        Data-quality warnings found while reading the file (e.g. an encoding fallback), reported
        together with the table's own.
    warn : bool, default True
        Whether to emit the data-quality warnings as one
        :class:`~asn_match.errors.DataQualityWarning`; they are in ``.warnings`` either way.

    Returns
    -------
    Employees
        With ``levels`` in the column order of ``framework.codes`` (NaN where not assessed or the
        column is absent) and ``.warnings`` holding the data-quality warnings, which are also
        emitted once as a :class:`~asn_match.errors.DataQualityWarning`.

    Raises
    ------
    InputError
        Listing every problem: missing or misspelt columns, empty, duplicate or truncated ids,
        unknown ranks or education, levels that are not numbers or outside the scale, ...

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({
    ...     "employee_id": ["198609262015051001", "P-002"], "name": ["Ani", "Budi"],
    ...     "unit": ["Bappeda", "Dinkes"], "rank": ["III/c", "IV/a"], "education": ["S1", "S2"],
    ...     "performance": ["baik", 91], "integritas": [3, 4], "komunikasi": [2, None]})
    >>> employees = build_employees(frame)
    >>> employees.ids.tolist(), employees.performance.tolist()
    (['198609262015051001', 'P-002'], [83.0, 91.0])
    >>> employees.levels[:, :3].tolist()
    [[3.0, nan, 2.0], [4.0, nan, nan]]
    """
    layout = _lay_out(
        frame, EMPLOYEES, framework=framework, source=source, caller="build_employees"
    )
    table, report, ids, n = layout.table, layout.report, layout.ids, layout.n
    rank = _ordinal(
        table, report, "rank", parse_rank, labels=", ".join(RANKS), what="rank", allow_empty=False
    )
    education = _ordinal(
        table,
        report,
        "education",
        parse_education,
        labels=", ".join(EDUCATION_LEVELS) + " (D4 = S1)",
        what="education",
        allow_empty=False,
    )
    predicates = ", ".join(PERFORMANCE_PREDICATES)
    performance = _score_column(
        table,
        report,
        "performance",
        PERFORMANCE_PREDICATES,
        decimal_comma=decimal_comma,
        expected=f"a number from 0 to 100 or an SKP predicate ({predicates})",
        upper=100,
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
    training_hours = _score_column(
        table,
        report,
        "training_hours",
        None,
        decimal_comma=decimal_comma,
        expected="a number of lesson hours (JP) >= 0",
        upper=None,
    )
    current = np.full(n, None, dtype=object)
    if "current_position_id" in table.columns:
        current, lost = _ids(table.columns["current_position_id"])
        report.cells(
            lost,
            "current_position_id",
            current,
            lambda i, v: (
                f"current_position_id {v!r} has lost its last digits: it was stored as a "
                "number. Format the column as Text and enter the ids again."
            ),
            code="id_precision_lost",
            expected="the id as text, every digit kept",
        )

    resolved = layout.framework(framework)
    levels = np.empty((n, 0))
    if resolved is not None:
        levels, _ = _level_matrix(
            table, report, resolved, decimal_comma=decimal_comma, kind="level"
        )
    report.raise_problems()
    assert resolved is not None  # no competencies is a reported problem

    quality = tuple(read_warnings) + tuple(_nip_warnings(table, ids, source))
    protected = pd.DataFrame(
        {name: _tidy(table.columns[name]) for name in layout.protected_columns},
        index=pd.RangeIndex(n),
    )
    employees = Employees(
        ids=ids,
        framework=resolved,
        levels=levels,
        rank=rank,
        education=education,
        performance=performance,
        potential=potential,
        training_hours=training_hours,
        current_position_id=current,
        info=layout.info(),
        protected=protected,
        source=source,
        warnings=quality,
    )
    if warn:
        warn_quality(quality)
    return employees
