"""The builder shared by employees and positions: one spec-driven pass from raw frame to layout.

:func:`_lay_out` does what every table kind needs before its own columns: it splits the raw
table, reports missing and misspelt schema columns, sorts the other columns into descriptive,
protected, weight and competency columns as the :class:`~._schema.TableSpec` says, and checks the
ids. :meth:`_Layout.framework` then resolves the competency framework from the competency columns.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError, Problem
from ..framework import CompetencyFramework
from ..rules import INFO_PREFIX, PROTECTED_ATTRIBUTES, WEIGHT_SUFFIX
from ._cells import _numbers
from ._columns import _check_ids, _info
from ._report import _Report
from ._schema import (
    _CODE,
    _PROTECTED_ALIASES,
    _REQUIRED_HINT_CUTOFF,
    _SCHEMA_TYPO_CUTOFF,
    _SKJ_CODES,
    _SKJ_TYPO_CUTOFF,
    TableSpec,
)
from ._table import _start, _Table


@dataclass
class _Layout:
    """A raw table sorted by what its columns are, with its report and its checked ids."""

    spec: TableSpec
    table: _Table
    report: _Report
    ids: np.ndarray
    info_columns: list[str]
    protected_columns: list[str]
    competency_columns: list[str]
    weight_columns: list[str]
    notes: list[Problem]

    @property
    def n(self) -> int:
        """Number of records (blank rows excluded)."""
        return len(self.table.rows)

    def framework(self, framework: CompetencyFramework | None) -> CompetencyFramework | None:
        """``framework``, or the one inferred from the competency columns; None if there are none.

        Reports competency columns that cannot be read (bad names, codes outside ``framework``,
        misspelt SKJ codes) and a table without any.
        """
        return _framework_for(self.competency_columns, framework, self.report, self.table.headers)

    def info(self) -> pd.DataFrame:
        """The descriptive columns as text, one row per record."""
        return _info(self.table, self.info_columns, self.n)


def _lay_out(
    frame: pd.DataFrame,
    spec: TableSpec,
    *,
    framework: CompetencyFramework | None,
    source: str,
    caller: str,
    header_row: int = 1,
) -> _Layout:
    """Split ``frame``, report its schema problems, sort its columns and check its ids."""
    if framework is not None and not isinstance(framework, CompetencyFramework):
        raise InvalidParameterError("framework", caller, "a CompetencyFramework or None", framework)
    table, report = _start(frame, source, kind=spec.kind, caller=caller, header_row=header_row)
    claimed = _schema_problems(
        table,
        report,
        required=spec.required,
        optional=spec.optional,
        aliases=spec.aliases,
        protected=spec.protected,
    )
    info_columns = [*spec.info_columns, *(c for c in table.columns if c.startswith(INFO_PREFIX))]
    protected_columns = (
        [c for c in table.columns if c in PROTECTED_ATTRIBUTES] if spec.protected else []
    )
    schema = set(spec.columns)
    other = [
        c
        for c in table.columns
        if c not in schema
        and c not in claimed
        and c not in protected_columns
        and not c.startswith(INFO_PREFIX)
    ]
    row_numbers = [c for c in other if c in _ROW_NUMBER_NAMES]
    notes = [_row_number_note(table, name, source) for name in row_numbers]
    other = [c for c in other if c not in row_numbers]
    weight_columns = [c for c in other if c.endswith(WEIGHT_SUFFIX)]
    if not spec.weights:
        for name in weight_columns:
            report.add(
                f"column {table.headers[name]!r} is a job-expectation weight; weights belong in "
                f"the positions file. Drop it from the {spec.kind} file.",
                code="unexpected_weight_column",
                column=name,
            )
        weight_columns = []
    competency_columns = [c for c in other if not c.endswith(WEIGHT_SUFFIX)]
    ids = _check_ids(table, report, spec.id_column)
    return _Layout(
        spec,
        table,
        report,
        ids,
        info_columns,
        protected_columns,
        competency_columns,
        weight_columns,
        notes,
    )


# Headers of the row-number column spreadsheets put first ("No", "No.", "Nomor", "#").
_ROW_NUMBER_NAMES = frozenset({"no", "no.", "nomor", "no_urut", "nomor_urut", "#", "nr", "nr."})


def _row_number_note(table: _Table, name: str, source: str) -> Problem:
    """The warning for a row-number column, which is ignored: never read as a competency.

    A column under one of these names is a row counter whatever it holds; its values only
    change what the warning says (1, 2, 3, ... or something else worth a look).
    """
    values, bad = _numbers(table.columns[name])
    n = len(values)
    counting = not bad.any() and n > 0 and bool(np.array_equal(values, values[0] + np.arange(n)))
    header = table.headers[name]
    what = (
        f"holds the row numbers {values[0]:g} to {values[-1]:g}"
        if counting
        else "is named like a row-number column"
    )
    return Problem(
        source,
        f"column {header!r} {what}, so it was ignored (never read as a competency). Delete it "
        f"to silence this warning, or rename it '{INFO_PREFIX}no' to keep it as a descriptive "
        "column.",
        column=name,
        code="row_number_column",
        expected="no row-number column",
    )


def _schema_problems(
    table: _Table,
    report: _Report,
    *,
    required: Sequence[str],
    optional: Sequence[str],
    aliases: Mapping[str, str],
    protected: bool,
) -> set[str]:
    """Report missing required columns and near-misses of schema names; return claimed columns.

    A claimed column is one the report already explains (e.g. a misspelt schema column), so it is
    not read as a competency as well. Fuzzy matching applies only to names of 5 or more letters:
    shorter ones ("age") match too many unrelated codes.
    """
    known = set(required) | set(optional) | (set(PROTECTED_ATTRIBUTES) if protected else set())
    claimed: set[str] = set()
    found = ", ".join(table.headers.values()) or "(none)"

    def unclaimed() -> list[str]:
        return [
            c
            for c in table.columns
            if c not in claimed and c not in known and not c.startswith(INFO_PREFIX)
        ]

    def candidate(name: str, *, cutoff: float) -> str | None:
        free = unclaimed()
        for column in free:
            if aliases.get(column) == name:
                return column
        if cutoff >= _SCHEMA_TYPO_CUTOFF and len(name) < 5:
            return None
        close = difflib.get_close_matches(name, free, n=1, cutoff=cutoff)
        return close[0] if close else None

    for name in required:
        if name in table.columns:
            continue
        # Loose: a required column is missing anyway, the match only names the likely culprit.
        match = candidate(name, cutoff=_REQUIRED_HINT_CUTOFF)
        hint = ""
        if match is not None:
            claimed.add(match)
            hint = f"; did you mean {table.headers[match]!r}? Rename that column {name!r}"
        report.add(
            f"missing required column {name!r}{hint}. Columns found: {found}.",
            code="missing_column",
            column=name,
            expected=f"a column named {name!r}",
        )
    for name in optional:
        if name in table.columns:
            continue
        match = candidate(name, cutoff=_SCHEMA_TYPO_CUTOFF)
        if match is not None:
            claimed.add(match)
            report.add(
                f"unknown column {table.headers[match]!r}; did you mean {name!r}? Rename it "
                f"{name!r}, or prefix it with {INFO_PREFIX!r} if it is descriptive.",
                code="unknown_column",
                column=match,
                expected=f"a column named {name!r}",
            )
    if protected:
        # Background data must never reach scoring as a "competency", so a protected attribute
        # under another name is an error even when the canonical column is also present.
        for column in unclaimed():
            target = _PROTECTED_ALIASES.get(column)
            if target is None and len(column) >= 5:
                close = difflib.get_close_matches(
                    column, PROTECTED_ATTRIBUTES, n=1, cutoff=_SCHEMA_TYPO_CUTOFF
                )
                target = close[0] if close else None
            if target is not None:
                claimed.add(column)
                report.add(
                    f"column {table.headers[column]!r} looks like the protected attribute "
                    f"{target!r}; rename it {target!r} (kept apart from scoring) or drop it, so "
                    "it is never read as a competency.",
                    code="protected_alias",
                    column=column,
                    expected=f"a column named {target!r}",
                )
    return claimed


def _competency_codes(
    names: Iterable[str],
    framework: CompetencyFramework | None,
    report: _Report,
    headers: dict[str, str],
) -> list[str]:
    """The valid competency columns, in file order; reports names that cannot be competencies."""
    valid: list[str] = []
    for name in names:
        header = headers.get(name, name)
        if not _CODE.match(name) or name.endswith(WEIGHT_SUFFIX):
            report.add(
                f"column {header!r} is not a valid competency code: every column that is not in "
                "the schema is read as a competency, named with lower case letters, digits and "
                f"underscores, starting with a letter. If it is descriptive, rename it "
                f"{INFO_PREFIX + re.sub(r'[^a-z0-9_]+', '_', name).strip('_')!r} or drop it.",
                code="invalid_column_name",
                column=name,
                expected="a competency code such as 'integritas' or 'teknis_perencanaan'",
            )
            continue
        if framework is not None:
            if name not in framework.codes:
                report.add(
                    f"column {header!r} is not a competency of the {framework.name!r} "
                    f"framework{framework.suggest(name) or '.'} If it is descriptive, rename it "
                    f"{INFO_PREFIX + name!r} or drop it.",
                    code="unknown_competency",
                    column=name,
                    expected=f"one of {', '.join(framework.codes)}",
                )
                continue
        elif name not in _SKJ_CODES:
            close = difflib.get_close_matches(name, _SKJ_CODES, n=1, cutoff=_SKJ_TYPO_CUTOFF)
            if close:
                report.add(
                    f"unknown competency column {header!r}; did you mean the SKJ competency "
                    f"{close[0]!r}? Rename it (a technical competency needs a clearly "
                    "different code).",
                    code="unknown_competency",
                    column=name,
                    expected=f"one of the SKJ codes {', '.join(_SKJ_CODES)} or a technical code",
                )
                continue
        valid.append(name)
    return valid


def _framework_for(
    names: Sequence[str],
    framework: CompetencyFramework | None,
    report: _Report,
    headers: dict[str, str],
) -> CompetencyFramework | None:
    codes = _competency_codes(names, framework, report, headers)
    if framework is not None:
        if not codes:
            report.add(
                f"no competency columns: no column is named after a competency of the "
                f"{framework.name!r} framework.",
                code="no_competencies",
                expected=f"columns named after competencies: {', '.join(framework.codes)}",
            )
        return framework
    if not codes:
        report.add(
            "no competency columns: every column outside the schema is read as a competency "
            "code holding a level (e.g. 'integritas', 'kerja_sama').",
            code="no_competencies",
            expected="at least one competency column",
        )
        return None
    return CompetencyFramework.from_columns(codes)
