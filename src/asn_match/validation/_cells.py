"""Cell parsers: whole columns of raw cells to numbers, ids, dates and codes, vectorized.

Every parser works on the distinct cells of a column (columns hold few distinct values: levels,
ranks, predicates) and spreads the result back to every row with one take. Nothing here reports:
the parsers return values and masks of bad cells, which the column checks turn into problems.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
from pandas.api import types as pdt

# Cell spellings of "no value" in spreadsheet exports.
_MISSING_MARKERS = frozenset({"", "-", "na", "n/a", "nan", "null", "none"})
_DECIMAL_COMMA = r"^([+-]?\d*),(\d+)$"
# "1.98609E+17": a number Excel shortened before the file was saved as text.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d*)?[eE][+-]?\d+$")
_EXACT_FLOAT_LIMIT = 2.0**53
# ="0012": how a CSV for Excel keeps an id as text (asn_match.io.write_table, csv_dialect).
_EXCEL_TEXT = r'^="(.*)"$'
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

    Ids are text: ``"0012"`` keeps its zeros, and so does ``="0012"`` (how a CSV written for
    Excel holds it). A number cell (Excel, Parquet, JSON) converts through
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
        if stripped.str.startswith('="', na=False).any():
            stripped = stripped.str.replace(_EXCEL_TEXT, r"\1", regex=True)
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


def _raw(col: pd.Series) -> np.ndarray:
    """Cell values for messages: numbers as numbers, text stripped."""
    if _is_number_dtype(col):
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    return _text(col)


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
