"""Employees: the employee columns (rank, education, merit, current position) and NIP checks."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import pandas as pd

from ..errors import Problem
from ..framework import CompetencyFramework
from ..nip import NIP_LENGTH, excel_rounded, parse_nip
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


# An 18-digit NIP inside other text ("NIP 198209282012121686", "NIP.1982...").
_EMBEDDED_NIP = r"(?<!\d)(\d{18})(?!\d)"


def _id_shape_problems(
    ids: np.ndarray, rows: np.ndarray, source: str
) -> tuple[list[Problem], list[Problem]]:
    """Errors and warnings about employee ids that look like damaged NIPs.

    Errors: ids that Excel rounded to 15 significant digits and padded with zeros (the digits
    are gone, and every output row would carry a wrong id). Warnings: a NIP one digit short or
    long, and a NIP with other text around it (``"NIP 1982..."``).
    """
    present = ~pd.isna(ids)
    if not present.any():
        return [], []
    # numpy's string functions: a few times faster than pandas' .str on millions of ids.
    text = np.strings.replace(np.where(present, ids, "").astype(str), " ", "")
    errors = _Report(source, rows, ids)
    warnings_ = _Report(source, rows, ids)
    padded = present & excel_rounded(text)
    n_padded, n_ids = int(padded.sum()), int(present.sum())
    errors.cells(
        padded,
        "employee_id",
        ids,
        lambda i, v: (
            f"employee_id {v!r} ends in 000, which no NIP does: Excel stored the NIP as a number, "
            f"kept 15 significant digits and padded zeros ({n_padded} of {n_ids} ids end in 000), "
            "so the real id is lost. Export the file again with the employee_id column formatted "
            "as Text (or saved as 'CSV UTF-8' from a sheet that holds the ids as text). If these "
            "ids are not NIPs, pass nip_check=False (asn-match: --no-nip-check)."
        ),
        code="nip_excel_rounded",
        expected="the 18-digit NIP as text, every digit kept",
    )
    digits = np.strings.isdigit(text)
    length = np.strings.str_len(text)
    near = present & digits & ((length == NIP_LENGTH - 1) | (length == NIP_LENGTH + 1))
    warnings_.cells(
        near,
        "employee_id",
        ids,
        lambda i, v: (
            f"employee_id {v!r} has {length[i]} digits; a NIP has {NIP_LENGTH}. Check for a "
            "missing or extra digit (pass nip_check=False if these ids are not NIPs)."
        ),
        code="nip_length",
        expected=f"an {NIP_LENGTH}-digit NIP",
    )
    # Only ids with text and at least 18 characters can hold a NIP among other text.
    maybe = np.flatnonzero(present & ~digits & (length > NIP_LENGTH))
    found = np.full(len(ids), None, dtype=object)
    if maybe.size:
        embedded = pd.Series(text[maybe], dtype=object).str.extract(_EMBEDDED_NIP, expand=False)
        found[maybe] = embedded.to_numpy(dtype=object)
    inside = ~pd.isna(found)
    if inside.any():
        nip_valid = np.zeros(len(ids), dtype=bool)
        nip_valid[inside] = parse_nip(found[inside].astype(str)).valid
        warnings_.cells(
            nip_valid,
            "employee_id",
            ids,
            lambda i, v: (
                f"employee_id {v!r} holds the NIP {found[i]} with other text around it; write "
                "the NIP alone, so that it matches the same person in other files."
            ),
            code="nip_prefixed",
            expected="the NIP alone, e.g. 198609262015051001",
        )
    return errors.problems, sorted(warnings_.problems, key=lambda p: p.row or 0)


def build_employees(
    frame: pd.DataFrame,
    *,
    framework: CompetencyFramework | None = None,
    source: str = "<DataFrame>",
    decimal_comma: bool = False,
    read_warnings: Sequence[Problem] = (),
    warn: bool = True,
    header_row: int = 1,
    nip_check: bool = True,
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
    header_row : int, default 1
        The spreadsheet row the column names were read from (set by the reader when title rows
        sit above the header), so that problems name the rows the spreadsheet shows.
    nip_check : bool, default True
        Whether to check ``employee_id`` for NIPs damaged by Excel: an 18-digit id ending in
        ``000`` (rounded to 15 significant digits) is an error; a NIP one digit short or long, or
        with other text around it, is a warning. Pass False when the ids are not NIPs.

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
        NIPs padded with zeros by Excel, unknown ranks or education, levels that are not numbers
        or outside the scale, ...

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
        frame,
        EMPLOYEES,
        framework=framework,
        source=source,
        caller="build_employees",
        header_row=header_row,
    )
    table, report, ids, n = layout.table, layout.report, layout.ids, layout.n
    id_warnings: list[Problem] = []
    if nip_check:
        id_errors, id_warnings = _id_shape_problems(ids, table.rows, source)
        report.problems.extend(id_errors)
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

    quality = (
        tuple(read_warnings)
        + tuple(layout.notes)
        + tuple(id_warnings)
        + tuple(_nip_warnings(table, ids, source))
    )
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
        rows=table.rows,
    )
    if warn:
        warn_quality(quality)
    return employees
