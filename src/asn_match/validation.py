"""Column-wise validation of employee and position tables.

:func:`build_employees` and :func:`build_positions` turn a raw table (cells as read from a file,
or a caller's DataFrame) into the validated :class:`~asn_match.tables.Employees` /
:class:`~asn_match.tables.Positions`, or raise :class:`~asn_match.errors.InputError` listing every
problem at once. Each check runs on a whole column (pandas/numpy); Python loops run only over
columns and over the rows already found bad, to describe them.

Column rules
------------
Headers are matched case-insensitively after stripping whitespace; inner spaces and hyphens become
underscores (``"Min Rank"`` reads as ``min_rank``, ``"Kerja Sama"`` as ``kerja_sama``).

- Schema columns (:data:`EMPLOYEE_COLUMNS`, :data:`POSITION_COLUMNS`) are parsed as documented.
- Employees: the protected attributes (:data:`asn_match.tables.PROTECTED_ATTRIBUTES`) go to
  ``Employees.protected`` only. A column that looks like one under another name (``jenis_kelamin``,
  ``tanggal_lahir``, ``agama``, ...) is an error, so background data can never be read as a
  competency.
- Columns whose name starts with :data:`INFO_PREFIX` (``info_``) are descriptive: kept as text in
  ``.info`` and never scored.
- Positions: ``<code>_weight`` columns are the job-expectation weights of competency ``<code>``.
- Every other column is a competency code holding levels (employees) or standard levels
  (positions). A descriptive column must therefore be renamed with the ``info_`` prefix or dropped;
  a text column in competency position is reported as such, with that fix.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2 (for a
DataFrame, as if it were written to a sheet). Rows whose cells are all empty are skipped.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Protocol

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from pandas.api import types as pdt

from .errors import DataQualityWarning, InputError, Problem
from .framework import SKJ_MANAGERIAL, SKJ_SOCIO_CULTURAL, CompetencyFramework, LevelScale
from .nip import parse_nip
from .ordinals import (
    EDUCATION_LEVELS,
    PERFORMANCE_PREDICATES,
    POSITION_CLASSES,
    POTENTIAL_BANDS,
    RANKS,
    parse_education,
    parse_position_class,
    parse_rank,
)
from .tables import PROTECTED_ATTRIBUTES, Employees, Positions

__all__ = [
    "EMPLOYEE_COLUMNS",
    "EMPLOYEE_REQUIRED",
    "INFO_PREFIX",
    "POSITION_COLUMNS",
    "POSITION_REQUIRED",
    "WEIGHT_SUFFIX",
    "build_employees",
    "build_pairs",
    "build_positions",
    "normalize_header",
    "warn_quality",
]

#: Employee schema columns, in the order of the input schema.
EMPLOYEE_COLUMNS: tuple[str, ...] = (
    "employee_id",
    "name",
    "unit",
    "rank",
    "education",
    "performance",
    "potential",
    "training_hours",
    "current_position_id",
)
#: Employee columns a file must have; performance, potential, training_hours and
#: current_position_id may be absent (read as not given).
EMPLOYEE_REQUIRED: tuple[str, ...] = ("employee_id", "name", "unit", "rank", "education")

#: Position schema columns, all required.
POSITION_COLUMNS: tuple[str, ...] = (
    "position_id",
    "title",
    "unit",
    "class",
    "seats",
    "min_rank",
    "min_education",
)
POSITION_REQUIRED: tuple[str, ...] = POSITION_COLUMNS

#: Prefix of descriptive columns: kept as text in ``.info``, never read as competencies.
INFO_PREFIX = "info_"

#: Suffix of the job-expectation weight columns of a positions file.
WEIGHT_SUFFIX = "_weight"

# Spellings met in Indonesian exports, used only to suggest the schema name in an error message;
# nothing is renamed silently.
_EMPLOYEE_ALIASES: dict[str, str] = {
    "nip": "employee_id",
    "id": "employee_id",
    "id_pegawai": "employee_id",
    "nama": "name",
    "nama_pegawai": "name",
    "unit_kerja": "unit",
    "pangkat": "rank",
    "golongan": "rank",
    "pangkat_golongan": "rank",
    "gol": "rank",
    "pendidikan": "education",
    "pendidikan_terakhir": "education",
    "kinerja": "performance",
    "skp": "performance",
    "nilai_kinerja": "performance",
    "potensi": "potential",
    "nilai_potensi": "potential",
    "jp": "training_hours",
    "jam_pelajaran": "training_hours",
    "jam_pelatihan": "training_hours",
    "position_id": "current_position_id",
    "jabatan_saat_ini": "current_position_id",
}
_POSITION_ALIASES: dict[str, str] = {
    "id": "position_id",
    "id_jabatan": "position_id",
    "kode_jabatan": "position_id",
    "jabatan": "title",
    "nama_jabatan": "title",
    "unit_kerja": "unit",
    "kelas": "class",
    "kelas_jabatan": "class",
    "jenis_jabatan": "class",
    "formasi": "seats",
    "kebutuhan": "seats",
    "jumlah_formasi": "seats",
    "pangkat_minimal": "min_rank",
    "golongan_minimal": "min_rank",
    "pendidikan_minimal": "min_education",
}
# Background data under another name: an error wherever it appears in an employees file.
_PROTECTED_ALIASES: dict[str, str] = {
    "jenis_kelamin": "gender",
    "jk": "gender",
    "sex": "gender",
    "kelamin": "gender",
    "agama": "religion",
    "tanggal_lahir": "birth_date",
    "tgl_lahir": "birth_date",
    "date_of_birth": "birth_date",
    "dob": "birth_date",
    "suku": "ethnicity",
    "etnis": "ethnicity",
    "asal": "origin",
    "daerah_asal": "origin",
    "tempat_lahir": "origin",
    "status_perkawinan": "marital_status",
    "status_kawin": "marital_status",
    "usia": "age",
    "umur": "age",
    "disabilitas": "disability",
    "difabel": "disability",
}

_SKJ_CODES: tuple[str, ...] = tuple(c for c, _ in SKJ_MANAGERIAL + SKJ_SOCIO_CULTURAL)
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
# Cell spellings of "no value" in spreadsheet exports.
_MISSING_MARKERS = frozenset({"", "-", "na", "n/a", "nan", "null", "none"})
_DECIMAL_COMMA = r"^([+-]?\d*),(\d+)$"
# "1.98609E+17": a number Excel shortened before the file was saved as text.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d*)?[eE][+-]?\d+$")
_EXACT_FLOAT_LIMIT = 2.0**53
# An empty object cell for np.where: it takes a bare None as this too, numpy's stubs do not.
_NONE = np.array(None, dtype=object)
_GENDER_CODES: dict[str, int] = {
    "l": 1,
    "lakilaki": 1,
    "laki": 1,
    "pria": 1,
    "m": 1,
    "male": 1,
    "1": 1,
    "1.0": 1,
    "p": 2,
    "perempuan": 2,
    "wanita": 2,
    "f": 2,
    "female": 2,
    "2": 2,
    "2.0": 2,
}
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
# Closer than this to an SKJ code, a column of an inferred framework is read as a typo of it.
_SKJ_TYPO_CUTOFF = 0.85
_SCHEMA_TYPO_CUTOFF = 0.8
_REQUIRED_HINT_CUTOFF = 0.6


# ---------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------
def normalize_header(header: object) -> str:
    """The schema name of a column header: stripped, lower case, inner spaces as underscores.

    Parameters
    ----------
    header : object
        A header as read (Excel may give numbers or ``None``).

    Returns
    -------
    str
        ``""`` for a missing header.

    Examples
    --------
    >>> normalize_header("  Employee ID "), normalize_header("Kerja-Sama"), normalize_header(None)
    ('employee_id', 'kerja_sama', '')
    """
    if header is None or (isinstance(header, float) and np.isnan(header)):
        return ""
    return re.sub(r"[\s\-]+", "_", str(header).strip().lower())


def _strip(values: np.ndarray) -> np.ndarray:
    """Stripped strings of an object array; ``None`` where missing or blank."""
    out = np.full(len(values), None, dtype=object)
    present = ~pd.isna(values)
    if present.any():
        text = pd.Series(values[present], dtype=object).astype(str).str.strip()
        stripped = text.to_numpy(dtype=object, copy=True)
        stripped[stripped == ""] = None
        out[present] = stripped
    return out


def _distinct(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The column as codes into its distinct cells, and those cells as stripped text.

    Columns hold few distinct values (levels, ranks, predicates), so every parser works on the
    distinct cells and the result is spread back with one take.

    Returns
    -------
    codes : ndarray of shape (n,), int
        Index into ``text``; -1 where the cell is missing.
    text : ndarray of shape (n_distinct,), dtype object
        Stripped strings, ``None`` where blank.
    """
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    return codes, _strip(np.asarray(uniques, dtype=object))


def _spread(per_distinct: np.ndarray, codes: np.ndarray, fill) -> np.ndarray:
    """Values of the distinct cells taken back to every row; ``fill`` where missing."""
    # Code -1 picks the appended fill value.
    return np.append(per_distinct, np.array([fill], dtype=per_distinct.dtype))[codes]


def _text(col: pd.Series) -> np.ndarray:
    """Cells as stripped strings, shape (n,), dtype object; ``None`` where empty."""
    codes, text = _distinct(col)
    return _spread(text, codes, None)


def _is_number_dtype(col: pd.Series) -> bool:
    return pdt.is_numeric_dtype(col.dtype) and not pdt.is_bool_dtype(col.dtype)


def _blank(col: pd.Series) -> np.ndarray:
    """Mask of empty cells, shape (n,)."""
    if _is_number_dtype(col) or pdt.is_datetime64_any_dtype(col.dtype):
        return col.isna().to_numpy()
    codes, text = _distinct(col)
    return _spread(pd.isna(text), codes, True)


def _parse_numbers(text: np.ndarray, *, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """Numbers of stripped cells (``None`` = empty): values and the mask of non-numbers."""
    cells = pd.Series(text, dtype=object)
    missing = cells.isna().to_numpy()
    if (~missing).any():
        missing = missing | cells.str.lower().isin(_MISSING_MARKERS).to_numpy()
    candidates = cells.where(~missing)
    if decimal_comma and (~missing).any():
        candidates = candidates.str.replace(_DECIMAL_COMMA, r"\1.\2", regex=True)
    values = pd.to_numeric(candidates, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~missing & ~np.isfinite(values)
    return np.where(bad, np.nan, values), bad


def _numbers(col: pd.Series, *, decimal_comma: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Float values of a column and the mask of cells holding something that is not a number.

    Empty cells and the usual "no value" markers (``-``, ``NA``, ``null``) give NaN and are not
    bad; infinities are bad.
    """
    if _is_number_dtype(col):
        values = col.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.isinf(values)
        return np.where(bad, np.nan, values), bad
    codes, text = _distinct(col)
    values, bad = _parse_numbers(text, decimal_comma=decimal_comma)
    return _spread(values, codes, np.nan), _spread(bad, codes, False)


def _scores(
    col: pd.Series, labels: dict[str, float], *, decimal_comma: bool
) -> tuple[np.ndarray, np.ndarray]:
    """A 0-100 score column that may also hold named bands (e.g. SKP predicates)."""
    if _is_number_dtype(col):
        return _numbers(col)
    codes, text = _distinct(col)
    cells = pd.Series(text, dtype=object)
    named = np.full(len(text), np.nan)
    if cells.notna().any():
        keys = cells.str.lower().str.split().str.join(" ")
        named = keys.map(labels).to_numpy(dtype=np.float64, na_value=np.nan)
    is_named = ~np.isnan(named)
    values, bad = _parse_numbers(np.where(is_named, _NONE, text), decimal_comma=decimal_comma)
    values = np.where(is_named, named, values)
    return _spread(values, codes, np.nan), _spread(bad, codes, False)


def _parsed(col: pd.Series, parse: Callable[[np.ndarray], np.ndarray], fill) -> np.ndarray:
    """``parse`` applied to the distinct stripped cells of a column, spread back to every row."""
    codes, text = _distinct(col)
    return _spread(np.asarray(parse(text)), codes, fill)


def _scalar_id(value: object) -> tuple[str, bool]:
    """The id text of one non-string cell and whether its digits were lost to a float."""
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if np.isfinite(v) and v.is_integer() and abs(v) <= _EXACT_FLOAT_LIMIT:
            return str(int(v)), False
        # Shown as the float it is, so no one takes the rounded digits for the real id.
        return repr(v), bool(np.isfinite(v) and v.is_integer())
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value)), False
    return str(value).strip(), False


def _ids(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Ids as exact strings and the mask of ids whose digits are lost.

    Ids are text: ``"0012"`` keeps its zeros. A number cell (Excel, Parquet, JSON) converts through
    ``int``, so an 18-digit NIP stays exact; a float above 2**53 (or text such as ``"1.98609E+17"``)
    has already lost digits and is flagged.

    Returns
    -------
    ids : ndarray of shape (n,), dtype object
        Strings; ``None`` where empty.
    lost : ndarray of shape (n,), bool
    """
    n = len(col)
    out = np.full(n, None, dtype=object)
    lost = np.zeros(n, dtype=bool)
    if pdt.is_integer_dtype(col.dtype):
        present = col.notna().to_numpy()
        out[present] = col[present].astype(str).to_numpy(dtype=object, copy=True)
        return out, lost
    if pdt.is_float_dtype(col.dtype):
        values = col.to_numpy(dtype=np.float64, na_value=np.nan)
        present = ~np.isnan(values)
        whole = present & np.isfinite(values) & (values == np.floor(values))
        lost = whole & (np.abs(values) > _EXACT_FLOAT_LIMIT)
        exact = whole & ~lost
        out[exact] = values[exact].astype(np.int64).astype(str).astype(object)
        # Shown as the float it is, so no one takes the rounded digits for the real id.
        shown = present & ~exact
        out[shown] = values[shown].astype(str).astype(object)
        return out, lost
    obj = col.astype(object)
    present = obj.notna().to_numpy()
    is_text = np.zeros(n, dtype=bool)
    # The .str accessor skips non-string cells (NaN), which separates text from number cells.
    if pdt.infer_dtype(obj, skipna=True) in ("string", "mixed", "mixed-integer"):
        stripped = obj.str.strip()
        is_text = stripped.notna().to_numpy()
        text = stripped[is_text].to_numpy(dtype=object, copy=True)
        text[text == ""] = None
        out[is_text] = text
        cells = pd.Series(text, dtype=object)
        # A plain substring test first: the pattern needs an "e", which few ids have.
        maybe = cells.str.contains("e", case=False, regex=False, na=False).to_numpy(dtype=bool)
        if maybe.any():
            scientific = cells[maybe].str.match(_SCIENTIFIC, na=False).to_numpy(dtype=bool)
            lost[np.flatnonzero(is_text)[maybe]] = scientific
    others = present & ~is_text
    if others.any():
        # Number cells (Excel, JSON): ints and floats each take their exact numeric path, so an
        # int never passes through float.
        cells = obj[others].reset_index(drop=True)
        kind = pdt.infer_dtype(cells, skipna=True)
        numeric: pd.Series | None = None
        if kind == "floating":
            numeric = cells.astype(np.float64)
        elif kind == "integer":
            with contextlib.suppress(OverflowError):
                numeric = cells.astype(np.int64)
        if numeric is not None:
            out[others], lost[others] = _ids(numeric)
        else:
            # Rare mixes (ints with floats, huge ints, dates): one object at a time.
            converted = cells.map(_scalar_id)
            out[others] = np.array([t for t, _ in converted], dtype=object)
            lost[others] = np.array([flag for _, flag in converted], dtype=bool)
    return out, lost


def _dates(col: pd.Series) -> np.ndarray:
    """Dates of a column as datetime64[D]; NaT where empty or not a date.

    Accepts ISO dates (``1986-09-26``), Excel dates, and day-first ``26/09/1986``,
    ``26-09-1986``, ``26.09.1986``.
    """
    if pdt.is_datetime64_any_dtype(col.dtype):
        if getattr(col.dt, "tz", None) is not None:
            col = col.dt.tz_localize(None)
        return col.to_numpy().astype("datetime64[D]")
    cells = pd.Series(_text(col), dtype=object)
    parsed = pd.to_datetime(cells, format="ISO8601", errors="coerce")
    for fmt in _DATE_FORMATS:
        todo = parsed.isna() & cells.notna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(cells[todo], format=fmt, errors="coerce")
    return parsed.to_numpy().astype("datetime64[D]")


def _gender_codes(text: np.ndarray) -> np.ndarray:
    """Gender codes of stripped cells, int8: 1 male, 2 female, 0 empty or unknown."""
    cells = pd.Series(text, dtype=object)
    if cells.isna().all():
        return np.zeros(len(cells), dtype=np.int8)
    keys = cells.str.lower().str.replace(r"[\s\-_]", "", regex=True)
    return keys.map(_GENDER_CODES).fillna(0).to_numpy(dtype=np.int8)


def _plain(value: object) -> object:
    """A cell value as a plain Python object for a Problem (NaN becomes None)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# ---------------------------------------------------------------------------------------------
# Problem collection
# ---------------------------------------------------------------------------------------------
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


@dataclass
class _Table:
    """A raw table split into normalised columns, with blank rows dropped."""

    columns: dict[str, pd.Series]
    headers: dict[str, str]
    rows: np.ndarray
    n_raw_rows: int
    problems: list[Problem]


def _split_columns(frame: pd.DataFrame, source: str) -> _Table:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"The 'frame' parameter must be a pandas DataFrame. Got {type(frame).__name__} instead."
        )
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
    return _Table(kept, headers, keep + 2, len(frame), problems)


def _schema_problems(
    table: _Table,
    report: _Report,
    *,
    required: Sequence[str],
    optional: Sequence[str],
    aliases: dict[str, str],
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


def _check_framework(framework: object, caller: str) -> None:
    if framework is not None and not isinstance(framework, CompetencyFramework):
        raise TypeError(
            f"The 'framework' parameter of {caller} must be a CompetencyFramework or None. "
            f"Got {framework!r} instead."
        )


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


def _start(frame: pd.DataFrame, source: str, *, kind: str) -> tuple[_Table, _Report]:
    """Split the columns and report what makes every further check pointless."""
    table = _split_columns(frame, source)
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
            + ("not a number." if bad[i] else "out of range.")
            + " Leave the cell empty if it is not known."
        ),
        code=f"invalid_{column}",
        expected=expected,
    )
    return np.where(bad | out_of_range, np.nan, values)


def _raw(col: pd.Series) -> np.ndarray:
    """Cell values for messages: numbers as numbers, text stripped."""
    if _is_number_dtype(col):
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    return _text(col)


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
            lambda i, v: f"{word} {v!r} is not a number.",
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


# ---------------------------------------------------------------------------------------------
# Employees
# ---------------------------------------------------------------------------------------------
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
    _check_framework(framework, "build_employees")
    table, report = _start(frame, source, kind="employees")
    n = len(table.rows)
    claimed = _schema_problems(
        table,
        report,
        required=EMPLOYEE_REQUIRED,
        optional=EMPLOYEE_COLUMNS[len(EMPLOYEE_REQUIRED) :],
        aliases=_EMPLOYEE_ALIASES,
        protected=True,
    )
    schema = set(EMPLOYEE_COLUMNS)
    info_names = ["name", "unit"] + [c for c in table.columns if c.startswith(INFO_PREFIX)]
    protected_names = [c for c in table.columns if c in PROTECTED_ATTRIBUTES]
    other = [
        c
        for c in table.columns
        if c not in schema
        and c not in claimed
        and c not in protected_names
        and not c.startswith(INFO_PREFIX)
    ]
    for name in [c for c in other if c.endswith(WEIGHT_SUFFIX)]:
        report.add(
            f"column {table.headers[name]!r} is a job-expectation weight; weights belong in the "
            "positions file. Drop it from the employees file.",
            code="unexpected_weight_column",
            column=name,
        )
    other = [c for c in other if not c.endswith(WEIGHT_SUFFIX)]

    ids = _check_ids(table, report, "employee_id")
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

    resolved = _framework_for(other, framework, report, table.headers)
    levels = np.empty((n, 0))
    if resolved is not None:
        levels, _ = _level_matrix(
            table, report, resolved, decimal_comma=decimal_comma, kind="level"
        )
    if report.problems:
        raise InputError(report.problems)
    assert resolved is not None  # no competencies is a reported problem

    quality = tuple(read_warnings) + tuple(_nip_warnings(table, ids, source))
    protected = pd.DataFrame(
        {name: _tidy(table.columns[name]) for name in protected_names}, index=pd.RangeIndex(n)
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
        info=_info(table, info_names, n),
        protected=protected,
        source=source,
        warnings=quality,
    )
    if warn:
        warn_quality(quality)
    return employees


def _tidy(col: pd.Series) -> np.ndarray:
    """A protected column as given: text stripped (empty text as None), other cells unchanged."""
    if not (pdt.is_object_dtype(col.dtype) or pdt.is_string_dtype(col.dtype)):
        return col.to_numpy()
    values = col.to_numpy(dtype=object, copy=True)
    if pdt.infer_dtype(values, skipna=True) in ("string", "mixed", "mixed-integer"):
        # Only the text cells change (.str gives NaN for the others): an Excel date stays a date.
        stripped = pd.Series(values, dtype=object).str.strip()
        is_text = stripped.notna().to_numpy()
        text = stripped[is_text].to_numpy(dtype=object, copy=True)
        text[text == ""] = None
        values[is_text] = text
    return values


# ---------------------------------------------------------------------------------------------
# Positions
# ---------------------------------------------------------------------------------------------
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
    _check_framework(framework, "build_positions")
    table, report = _start(frame, source, kind="positions")
    n = len(table.rows)
    claimed = _schema_problems(
        table,
        report,
        required=POSITION_REQUIRED,
        optional=(),
        aliases=_POSITION_ALIASES,
        protected=False,
    )
    schema = set(POSITION_COLUMNS)
    info_names = ["title", "unit"] + [c for c in table.columns if c.startswith(INFO_PREFIX)]
    other = [
        c
        for c in table.columns
        if c not in schema and c not in claimed and not c.startswith(INFO_PREFIX)
    ]
    weight_columns = [c for c in other if c.endswith(WEIGHT_SUFFIX)]
    competency_columns = [c for c in other if not c.endswith(WEIGHT_SUFFIX)]

    ids = _check_ids(table, report, "position_id")
    seats = np.zeros(n, dtype=np.int64)
    if "seats" in table.columns:
        col = table.columns["seats"]
        values, bad = _numbers(col, decimal_comma=decimal_comma)
        with np.errstate(invalid="ignore"):
            invalid = bad | np.isnan(values) | (values < 1) | (values != np.round(values))
        report.cells(
            invalid,
            "seats",
            partial(_raw, col),
            lambda i, v: (
                "seats is empty." if v is None else f"seats {v!r} is not a positive whole number."
            ),
            code="invalid_seats",
            expected="a whole number >= 1 (how many people the position takes)",
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

    resolved = _framework_for(competency_columns, framework, report, table.headers)
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
    if report.problems:
        raise InputError(report.problems)
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
        info=_info(table, info_names, n),
        source=source,
        warnings=tuple(read_warnings),
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


# ---------------------------------------------------------------------------------------------
# Pairs (locks, forbidden pairs)
# ---------------------------------------------------------------------------------------------
def build_pairs(
    frame: pd.DataFrame, *, source: str = "<DataFrame>", what: str = "pairs"
) -> list[tuple[str, str]]:
    """Validate an (employee_id, position_id) pairs table, e.g. locked or forbidden placements.

    Parameters
    ----------
    frame : DataFrame
        With columns ``employee_id`` and ``position_id`` (others are ignored). Never modified.
    source : str, default "<DataFrame>"
    what : str, default "pairs"
        What the pairs are, for messages (e.g. ``"locks"``).

    Returns
    -------
    list of (str, str)
        The pairs in file order, ids as exact strings.

    Raises
    ------
    InputError
        A missing column, an empty or truncated id.

    Examples
    --------
    >>> import pandas as pd
    >>> build_pairs(pd.DataFrame({"employee_id": [198609262015051001], "position_id": ["P1"]}))
    [('198609262015051001', 'P1')]
    """
    table = _split_columns(frame, source)
    report = _Report(source, table.rows)
    report.problems.extend(table.problems)
    n = len(table.rows)
    found = ", ".join(table.headers.values()) or "(none)"
    columns = {}
    for name in ("employee_id", "position_id"):
        if name not in table.columns:
            report.add(
                f"the {what} table needs a column {name!r}. Columns found: {found}.",
                code="missing_column",
                column=name,
                expected=f"a column named {name!r}",
            )
            continue
        ids, lost = _ids(table.columns[name])
        report.cells(
            lost,
            name,
            ids,
            lambda i, v, name=name: f"{name} {v!r} has lost its last digits.",
            code="id_precision_lost",
            expected="the id as text",
        )
        report.cells(
            pd.isna(ids) & ~lost,
            name,
            ids,
            lambda i, v, name=name: f"{name} is empty.",
            code="empty_id",
            expected="a non-empty id",
        )
        columns[name] = ids
    if report.problems:
        raise InputError(report.problems)
    if n == 0:
        return []
    return list(zip(columns["employee_id"].tolist(), columns["position_id"].tolist(), strict=True))
