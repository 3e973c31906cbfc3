"""Reading input files into validated tables, and writing result tables safely.

Readers accept a path (``.csv``, ``.xlsx``, ``.parquet``, ``.json``) or a pandas DataFrame and
return the validated :class:`~asn_match.tables.Employees` / :class:`~asn_match.tables.Positions`
(see :mod:`asn_match.validation` for the column rules). Ids are always read as text, so an 18-digit
NIP such as ``198609262015051001`` survives every round trip exactly.

CSV files
    Comma-, semicolon- or tab-separated (sniffed from the header line). In a semicolon-separated
    file, as Indonesian-locale Excel writes them, ``3,5`` reads as 3.5. Text is decoded as UTF-8
    (with or without a byte-order mark); a file that is not valid UTF-8 is decoded as Windows-1252
    (what Excel on Windows writes for "CSV"), and the table carries a data-quality warning saying
    so. A file that is neither is rejected.
Excel files
    The first worksheet; needs the ``excel`` extra (openpyxl). Cells are read as stored, so an id
    typed as text stays exact, and an id Excel stored as a number is checked for lost digits.
Parquet files
    Needs the ``parquet`` extra (pyarrow).
JSON files
    An array of records (``DataFrame.to_json(orient="records")``), UTF-8.

Writers are atomic (a temporary file in the same directory, then :func:`os.replace`), and for
CSV, Excel and JSON neutralise formula injection.
"""

from __future__ import annotations

import contextlib
import io as _stdio
import json
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import pandas as pd
from pandas.api import types as pdt

from .errors import InputError, InvalidParameterError, Problem
from .framework import CompetencyFramework
from .records import records_frame
from .tables import Employees, Positions, RecordTable
from .validation import build_employees, build_pairs, build_positions, warn_quality

__all__ = [
    "READ_SUFFIXES",
    "WRITE_SUFFIXES",
    "read_employees",
    "read_pairs",
    "read_positions",
    "read_table",
    "write_table",
]

#: File types the readers accept.
READ_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".parquet", ".json")
#: File types :func:`write_table` writes.
WRITE_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".parquet", ".json")

_Records = TypeVar("_Records", bound=RecordTable)

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text that is a plain number ("-3", "+1.5e3") is not a formula, and stays as written.
_PLAIN_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


@dataclass(frozen=True)
class _Loaded:
    """A raw table as read, and what the reader learned about it."""

    frame: pd.DataFrame
    source: str
    decimal_comma: bool = False
    warnings: tuple[Problem, ...] = ()


def _unreadable(source: str, message: str, *, code: str = "unreadable", expected: str = ""):
    return InputError([Problem(source, message, code=code, expected=expected)])


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def _decode(raw: bytes, source: str) -> tuple[str, tuple[Problem, ...]]:
    """Text of a CSV file and any warning about its encoding."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), ()
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in raw:
        try:
            return raw.decode("utf-8-sig"), ()
        except UnicodeDecodeError as exc:
            position = exc.start
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            note = Problem(
                source,
                f"the file is not valid UTF-8 (byte {position}), so it was read as Windows-1252; "
                "check that names with accents read correctly, or save it as 'CSV UTF-8'.",
                code="encoding_fallback",
                expected="a UTF-8 text file",
            )
            return text, (note,)
    raise _unreadable(
        source,
        "the file is not readable text (neither UTF-8 nor Windows-1252; is it a binary file "
        "renamed to .csv?). Save it from the spreadsheet program as 'CSV UTF-8'.",
        code="undecodable",
        expected="a UTF-8 CSV file",
    )


def _sniff_separator(text: str) -> str:
    """The separator of the header line: the most frequent of ``,``, ``;`` and tab."""
    header = text.split("\n", 1)[0]
    header = re.sub(r'"[^"]*"', "", header)
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _read_csv(path: Path, source: str) -> _Loaded:
    text, notes = _decode(path.read_bytes(), source)
    if not text.strip():
        return _Loaded(pd.DataFrame(), source, False, notes)
    separator = _sniff_separator(text)
    try:
        # No header and no NA parsing: the header row is taken as written (pandas would rename
        # duplicates) and every cell stays text ("0012", "NA" as typed).
        cells = pd.read_csv(
            _stdio.StringIO(text),
            sep=separator,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise _unreadable(
            source,
            f"the file could not be read as CSV ({str(exc).strip()}); check that every row has as "
            "many separators as the header and that every quote is closed.",
            expected=f"a CSV file separated by {separator!r}",
        ) from None
    frame = pd.DataFrame(
        cells.iloc[1:].to_numpy(dtype=object), columns=cells.iloc[0].tolist(), dtype=object
    )
    return _Loaded(frame, source, separator == ";", notes)


def _read_xlsx(path: Path, source: str) -> _Loaded:
    try:
        import openpyxl
    except ImportError:
        raise _unreadable(
            source,
            'reading Excel files needs openpyxl: pip install "asn_match[excel]" (or save the '
            "sheet as CSV UTF-8).",
            code="missing_dependency",
        ) from None
    try:
        # openpyxl (unlike pandas.read_excel) hands over a number cell as int or float as stored,
        # which tells an exact id from one Excel already rounded.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    except Exception as exc:  # noqa: BLE001 - any failure here means the file cannot be used
        raise _unreadable(
            source,
            f"the file could not be read as an Excel workbook ({type(exc).__name__}: {exc}); "
            "open it in Excel and save it again as .xlsx (Excel Workbook).",
            expected="an .xlsx workbook",
        ) from None
    if not rows:
        return _Loaded(pd.DataFrame(), source)
    width = max(len(row) for row in rows)
    rows = [row + [None] * (width - len(row)) for row in rows]
    frame = pd.DataFrame(rows[1:], columns=rows[0], dtype=object)
    return _Loaded(frame, source)


def _read_parquet(path: Path, source: str) -> _Loaded:
    try:
        import pyarrow  # noqa: F401 - only to give the install hint
    except ImportError:
        raise _unreadable(
            source,
            'reading Parquet files needs pyarrow: pip install "asn_match[parquet]".',
            code="missing_dependency",
        ) from None
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001
        raise _unreadable(
            source,
            f"the file could not be read as Parquet ({type(exc).__name__}: {exc}); write it again "
            "or export the table as CSV.",
            expected="a Parquet file",
        ) from None
    return _Loaded(frame, source)


def _read_json(path: Path, source: str) -> _Loaded:
    expected = 'a JSON array of records, e.g. [{"employee_id": "198609262015051001", ...}]'
    try:
        records = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _unreadable(
            source,
            f"the file is not valid UTF-8 JSON ({exc}); write it with "
            "DataFrame.to_json(orient='records') or json.dump.",
            expected=expected,
        ) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise _unreadable(
            source,
            "the JSON is not an array of records (objects); write it with "
            "DataFrame.to_json(orient='records').",
            expected=expected,
        )
    # dtype=object keeps JSON integers as Python ints: a NIP never passes through float.
    return _Loaded(pd.DataFrame(records, dtype=object), source)


_READERS: dict[str, Callable[[Path, str], _Loaded]] = {
    ".csv": _read_csv,
    ".xlsx": _read_xlsx,
    ".parquet": _read_parquet,
    ".json": _read_json,
}


def _load(source: object, *, caller: str) -> _Loaded:
    """The raw table of a path or DataFrame; raises InputError for a file that cannot be used."""
    if isinstance(source, pd.DataFrame):
        return _Loaded(source, "<DataFrame>")
    if isinstance(source, (list, tuple)):
        return _Loaded(records_frame(source), "<records>")
    if not isinstance(source, (str, os.PathLike)):
        raise InvalidParameterError(
            "source",
            caller,
            "a path (str or os.PathLike), a pandas DataFrame or a list of records",
            type(source),
        )
    path = Path(source)
    name = os.fspath(source)
    suffix = path.suffix.lower()
    supported = ", ".join(READ_SUFFIXES)
    if suffix == ".xls":
        raise _unreadable(
            name,
            "the old Excel .xls format is not supported; open the file in Excel and save it as "
            ".xlsx (Excel Workbook).",
            code="unsupported_format",
            expected=f"a file ending in {supported}",
        )
    if suffix not in _READERS:
        raise _unreadable(
            name,
            f"unsupported file type {suffix or '(no extension)'!r}; save the table as one of "
            f"{supported}.",
            code="unsupported_format",
            expected=f"a file ending in {supported}",
        )
    if not path.exists():
        raise _unreadable(
            name, "file not found; check the path and the current directory.",
            code="file_not_found", expected="an existing file",
        )  # fmt: skip
    if not path.is_file():
        raise _unreadable(
            name, "this is a directory, not a file; give the path of the table file.",
            code="unreadable", expected="a file",
        )  # fmt: skip
    try:
        return _READERS[suffix](path, name)
    except OSError as exc:
        raise _unreadable(
            name,
            f"the file could not be opened ({exc.strerror or exc}); check its permissions and "
            "that no other program locks it.",
        ) from None


@dataclass(frozen=True)
class _Kind(Generic[_Records]):
    """One kind of record table: its class, its builder and the reader that names it."""

    table: type[_Records]
    build: Callable[..., _Records]
    caller: str


_EMPLOYEES = _Kind(Employees, build_employees, "read_employees")
_POSITIONS = _Kind(Positions, build_positions, "read_positions")


def _read_records(
    source: object, framework: CompetencyFramework | None, kind: _Kind[_Records]
) -> _Records:
    """The validated table of ``source``: the one reader path of every record kind.

    A table of the kind is returned unchanged when it already uses ``framework``, and read again
    from its input frame otherwise. Data-quality warnings are emitted once, pointing at the
    caller of the public reader.
    """
    if isinstance(source, kind.table):
        if framework is None or framework == source.framework:
            return source
        source = source._input_frame()
    loaded = _load(source, caller=kind.caller)
    table = kind.build(
        loaded.frame,
        framework=framework,
        source=loaded.source,
        decimal_comma=loaded.decimal_comma,
        read_warnings=loaded.warnings,
        warn=False,
    )
    warn_quality(table.warnings, stacklevel=3)
    return table


def read_table(source: str | os.PathLike | pd.DataFrame) -> pd.DataFrame:
    r"""The raw table of a file, cells as stored (CSV cells as text), without validation.

    Parameters
    ----------
    source : str, os.PathLike or DataFrame
        A ``.csv``, ``.xlsx``, ``.parquet`` or ``.json`` file; a DataFrame is returned as is.

    Returns
    -------
    DataFrame
        Headers as written; a CSV file gives text cells (decimal commas unconverted).

    Raises
    ------
    InputError
        If the file is missing, of an unsupported type, or cannot be read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("employee_id;level\n198609262015051001;3,5\n")
    >>> read_table(path).to_dict("records")
    [{'employee_id': '198609262015051001', 'level': '3,5'}]
    """
    return _load(source, caller="read_table").frame


def read_employees(
    source: str | os.PathLike | pd.DataFrame | list | Employees,
    *,
    framework: CompetencyFramework | None = None,
) -> Employees:
    """Read and validate employees from a file or a DataFrame.

    Parameters
    ----------
    source : str, os.PathLike, DataFrame, list of EmployeeRecord or dict, or Employees
        A ``.csv``, ``.xlsx``, ``.parquet`` or ``.json`` file, a list of
        :class:`~asn_match.records.EmployeeRecord` (or dicts of their fields), or a DataFrame
        (never modified), in
        the employees schema: ``employee_id``, ``name``, ``unit``, ``rank``, ``education``,
        optional ``performance``, ``potential``, ``training_hours``, ``current_position_id``,
        optional protected attributes (``gender``, ``religion``, ``birth_date``, ...), optional
        ``info_*`` descriptive columns, then one column per competency code holding the assessed
        level. An :class:`~asn_match.tables.Employees` is returned unchanged when it already uses
        ``framework``.
    framework : CompetencyFramework, optional
        Default None: inferred from the competency columns (SKJ codes plus technical ones,
        levels 1-5). With a framework, every competency column must be one of its codes.

    Returns
    -------
    Employees
        Data-quality warnings (e.g. a NIP that contradicts the birth_date column) are in
        ``.warnings`` and are emitted once as a :class:`~asn_match.errors.DataQualityWarning`.

    Raises
    ------
    InputError
        Every problem found, each naming the file, spreadsheet row (header = row 1), column,
        value and what was expected; or one problem if the file cannot be read at all.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({
    ...     "employee_id": ["198609262015051001"], "name": ["Ani"], "unit": ["Bappeda"],
    ...     "rank": ["III/c"], "education": ["S1"], "integritas": [3], "kerja_sama": [4]})
    >>> employees = read_employees(frame)
    >>> employees.ids.tolist(), employees.levels[0, :2].tolist()
    (['198609262015051001'], [3.0, 4.0])
    """
    return _read_records(source, framework, _EMPLOYEES)


def read_positions(
    source: str | os.PathLike | pd.DataFrame | list | Positions,
    *,
    framework: CompetencyFramework | None = None,
) -> Positions:
    """Read and validate positions from a file or a DataFrame.

    Parameters
    ----------
    source : str, os.PathLike, DataFrame, list of PositionRecord or dict, or Positions
        A ``.csv``, ``.xlsx``, ``.parquet`` or ``.json`` file, a list of
        :class:`~asn_match.records.PositionRecord` (or dicts of their fields), or a DataFrame
        (never modified), in
        the positions schema: ``position_id``, ``title``, ``unit``, ``class``, ``seats``,
        ``min_rank``, ``min_education``, optional ``info_*`` columns, one column per competency
        code holding the standard level (empty = not required), and optional ``<code>_weight``
        columns (job-expectation importance, default 1). A
        :class:`~asn_match.tables.Positions` is returned unchanged when it already uses
        ``framework``.
    framework : CompetencyFramework, optional
        Default None: inferred from the competency columns.

    Returns
    -------
    Positions

    Raises
    ------
    InputError
        Every problem found, or one problem if the file cannot be read at all.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({
    ...     "position_id": ["P1"], "title": ["Kepala Bidang"], "unit": ["Bappeda"],
    ...     "class": ["Administrator"], "seats": [1], "min_rank": ["III/d"],
    ...     "min_education": ["S1"], "integritas": [3], "integritas_weight": [2]})
    >>> positions = read_positions(frame)
    >>> positions.standard[0, 0], positions.weights[0, 0]
    (np.float64(3.0), np.float64(2.0))
    """
    return _read_records(source, framework, _POSITIONS)


def read_pairs(
    source: str | os.PathLike | pd.DataFrame, *, what: str = "pairs"
) -> list[tuple[str, str]]:
    """Read (employee_id, position_id) pairs, e.g. locked or forbidden placements.

    Parameters
    ----------
    source : str, os.PathLike or DataFrame
        A table with columns ``employee_id`` and ``position_id``; other columns are ignored.
    what : str, default "pairs"
        What the pairs are, for messages (e.g. ``"locks"``).

    Returns
    -------
    list of (str, str)
        Ids as exact strings, in file order.

    Raises
    ------
    InputError
        A missing column, an empty id, or a file that cannot be read.

    Examples
    --------
    >>> import pandas as pd
    >>> read_pairs(pd.DataFrame({"employee_id": ["198609262015051001"], "position_id": ["P1"]}))
    [('198609262015051001', 'P1')]
    """
    loaded = _load(source, caller="read_pairs")
    return build_pairs(loaded.frame, source=loaded.source, what=what)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def _escape_formulas(column: pd.Series) -> pd.Series:
    """Text cells that a spreadsheet would run as a formula, prefixed with an apostrophe.

    Numbers (including negative ones) and text that is a plain number are left as they are.
    A Categorical (the ids of pair tables) is escaped in its categories, each written once.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = pd.Series(column.cat.categories, dtype=object)
        escaped = _escape_formulas(categories)
        if escaped is categories:
            return column
        if escaped.is_unique:
            return column.cat.rename_categories(escaped.tolist())
        return _escape_formulas(column.astype(object))
    if not (pdt.is_object_dtype(column.dtype) or pdt.is_string_dtype(column.dtype)):
        return column
    if pdt.infer_dtype(column, skipna=True) not in ("string", "mixed", "mixed-integer"):
        return column
    # Non-text cells (numbers, None) in an object column count as False: never escaped.
    starts = column.str.startswith(_FORMULA_START, na=False).astype(bool)
    plain = column.str.match(_PLAIN_NUMBER, na=False).astype(bool)
    risky = starts & ~plain
    if not risky.any():
        return column
    escaped = column.astype(object).copy()
    escaped[risky] = "'" + column[risky].astype(str)
    return escaped


def _escape_header(name: object) -> object:
    if isinstance(name, str) and name.startswith(_FORMULA_START):
        return "'" + name
    return name


def _prepared(frame: pd.DataFrame, *, escape_formulas: bool) -> pd.DataFrame:
    """A copy ready to write: integer id columns as text, formulas neutralised if asked."""
    out = frame.copy()
    for j, name in enumerate(out.columns):
        column = out.iloc[:, j]
        is_id = isinstance(name, str) and (name == "id" or name.endswith("_id"))
        if is_id and pdt.is_integer_dtype(column.dtype):
            # Exact digits as text: JSON readers and Excel would take a long number as a float.
            column = column.astype(object).where(column.isna(), column.astype(str))
        if escape_formulas:
            column = _escape_formulas(column)
        # pandas-stubs leave out a Series, which isetitem takes (aligned on the index)
        out.isetitem(j, column)  # type: ignore[arg-type]
    if escape_formulas:
        out.columns = [_escape_header(name) for name in out.columns]
    return out


def _write_csv(frame: pd.DataFrame, path: str) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _write_xlsx(frame: pd.DataFrame, path: str) -> None:
    try:
        import openpyxl  # noqa: F401 - only to give the install hint
    except ImportError:
        raise ImportError(
            'writing .xlsx files needs openpyxl: pip install "asn_match[excel]"'
        ) from None
    frame.to_excel(path, index=False, engine="openpyxl")


def _write_parquet(frame: pd.DataFrame, path: str) -> None:
    try:
        import pyarrow  # noqa: F401 - only to give the install hint
    except ImportError:
        raise ImportError(
            'writing .parquet files needs pyarrow: pip install "asn_match[parquet]"'
        ) from None
    frame.to_parquet(path, index=False)


def _write_json(frame: pd.DataFrame, path: str) -> None:
    frame.to_json(
        path, orient="records", force_ascii=False, date_format="iso", indent=2, index=False
    )


_WRITERS: dict[str, Callable[[pd.DataFrame, str], None]] = {
    ".csv": _write_csv,
    ".xlsx": _write_xlsx,
    ".parquet": _write_parquet,
    ".json": _write_json,
}


def write_table(
    frame: pd.DataFrame, path: str | os.PathLike, *, escape_formulas: bool | None = None
) -> Path:
    """Write a table to ``.csv``, ``.xlsx``, ``.parquet`` or ``.json``, atomically.

    The table is written to a temporary file in the target directory and moved into place with
    :func:`os.replace`, so a failure leaves no partial output (and an existing file untouched).
    For CSV, Excel and JSON (all of which end up opened in spreadsheet programs), text cells and
    headers starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading
    apostrophe, so the program shows them instead of running them as formulas; numbers, and text
    that is a plain number such as ``"-3"``, are written as they are. Integer id columns (``id``
    or ending in ``_id``) are written as text, keeping every digit. CSV is UTF-8 without a
    byte-order mark, comma-separated; JSON is an array of records.

    Parameters
    ----------
    frame : DataFrame
        The table; never modified. Its index is not written.
    path : str or os.PathLike
        The file to write; its extension chooses the format.
    escape_formulas : bool, optional
        Whether to neutralise formulas. By default True for CSV, Excel and JSON and False for
        Parquet (a typed format read by programs, not spreadsheets). Pass False to hand text to
        another system exactly as it is, when no spreadsheet will open the file.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InvalidParameterError
        A ``ValueError`` and a ``TypeError``: ``frame`` is not a DataFrame, the extension is not
        supported, or ``escape_formulas`` is not a bool or None.
    ImportError
        If ``.xlsx`` or ``.parquet`` is asked for without its optional dependency.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> table = pd.DataFrame({"employee_id": ["198609262015051001"], "note": ["=1+1"]})
    >>> _ = write_table(table, path)
    >>> print(path.read_text().strip())
    employee_id,note
    198609262015051001,'=1+1
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidParameterError("frame", "write_table", "a pandas DataFrame", type(frame))
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _WRITERS:
        raise InvalidParameterError(
            "path", "write_table", f"a path ending in {', '.join(WRITE_SUFFIXES)}", os.fspath(path)
        )
    if escape_formulas is None:
        escape_formulas = suffix != ".parquet"
    elif not isinstance(escape_formulas, bool):
        raise InvalidParameterError(
            "escape_formulas", "write_table", "True, False or None", escape_formulas
        )
    prepared = _prepared(frame, escape_formulas=escape_formulas)
    return write_atomic(target, lambda temporary: _WRITERS[suffix](prepared, temporary))


def write_atomic(target: Path, write: Callable[[str], object]) -> Path:
    """Write a file through ``write(temporary_path)``, then move it onto ``target`` at once.

    A failure (or an interrupt) leaves no partial output, and an existing ``target``
    untouched. The writer of every output file: tables (:func:`write_table`) and the HTML
    report alike.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> _ = write_atomic(target, lambda p: pathlib.Path(p).write_text("ok", encoding="utf-8"))
    >>> target.read_text(encoding="utf-8")
    'ok'
    """
    # Same directory (os.replace cannot cross file systems), same suffix (pandas checks it).
    suffix = target.suffix.lower()
    temporary = target.with_name(f".{target.stem}.{secrets.token_hex(6)}.tmp{suffix}")
    # O_EXCL: never write through a file or link someone else placed there; 0o666 lets the
    # umask give the usual permissions (mkstemp would leave the output private to its owner).
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        write(os.fspath(temporary))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target
