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
    The first worksheet, or the one named by ``sheet=`` (a workbook whose first sheet holds no
    table while another does is refused with the sheet names). Cells are read as stored, so an
    id typed as text stays exact, and an id Excel stored as a number is checked for lost digits.
Title rows
    In CSV and Excel files, rows above the header (a report title) are skipped with a warning
    naming the header row, which ``header_row=`` can also give.
Parquet files
    Needs the ``parquet`` extra (pyarrow).
JSON files
    An array of records (``DataFrame.to_json(orient="records")``), UTF-8.

Writers are atomic (a temporary file in the same directory, then :func:`os.replace`), and for
CSV, Excel and JSON neutralise formula injection.
"""

from __future__ import annotations

import contextlib
import csv
import io as _stdio
import json
import os
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import pandas as pd
from pandas.api import types as pdt

from ._checks import check_bool, check_choice
from .errors import InputError, InvalidParameterError, Problem
from .framework import CompetencyFramework
from .records import record_rows
from .rules import EMPLOYEE_REQUIRED, POSITION_REQUIRED
from .tables import Employees, Positions, RecordTable
from .validation import (
    build_employees,
    build_pairs,
    build_positions,
    normalize_header,
    warn_quality,
)

__all__ = [
    "CSV_DIALECTS",
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
    header_row: int = 1
    # Problems of single records (a list of records) that leave a row to check with the table.
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class _Shape:
    """What the reader is told about the table it looks for in a file.

    ``expected`` holds header names (normalised) that mark the header row of this kind of table;
    ``header_row`` (1-based) and ``sheet`` are the caller's choices, None to detect them.
    """

    expected: frozenset[str] = frozenset()
    header_row: int | None = None
    sheet: str | int | None = None
    # The command-line option that chooses the sheet of this kind of table, for messages.
    sheet_option: str = "--sheet"


# How far down a sheet the header row is looked for (title blocks are a few rows high).
_HEADER_SEARCH_ROWS = 30


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


def _sniff_separator(text: str) -> tuple[str, bool]:
    """The separator, and whether the first line lacks it (a title line above the header).

    The separator is the most frequent of ``,``, ``;`` and tab in the first line that holds any
    of them, within the first lines (a title line above the header holds none).
    """
    lines = [re.sub(r'"[^"]*"', "", line) for line in text.split("\n", _HEADER_SEARCH_ROWS)[:-1]]
    lines = lines or [re.sub(r'"[^"]*"', "", text)]
    for line in lines:
        counts = {sep: line.count(sep) for sep in (",", ";", "\t")}
        best = max(counts, key=lambda sep: counts[sep])
        if counts[best] > 0:
            # A title typed above the header holds no separator; Excel pads its own with them.
            return best, lines[0].count(best) == 0
    return ",", False


def _read_csv(path: Path, source: str, shape: _Shape) -> _Loaded:
    text, notes = _decode(path.read_bytes(), source)
    if not text.strip():
        return _Loaded(pd.DataFrame(), source, False, notes)
    separator, wider_below = _sniff_separator(text)
    width = None
    if wider_below:
        # A title line above the header has fewer fields: size the table by the widest line.
        head = text.split("\n", _HEADER_SEARCH_ROWS)[:_HEADER_SEARCH_ROWS]
        width = max(len(row) for row in csv.reader(head, delimiter=separator))
    decimal_hint = (
        " A number with a decimal comma (3,5) in a comma-separated file splits into two cells:"
        " write 3.5, or save the file separated by semicolons, where 3,5 reads as 3.5."
        if separator == ","
        else ""
    )
    try:
        # No header and no NA parsing: the header row is taken as written (pandas would rename
        # duplicates) and every cell stays text ("0012", "NA" as typed).
        cells = pd.read_csv(
            _stdio.StringIO(text),
            sep=separator,
            header=None,
            names=None if width is None else range(width),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise _unreadable(
            source,
            f"the file could not be read as CSV ({str(exc).strip()}); check that every row has as "
            f"many separators as the header and that every quote is closed.{decimal_hint}",
            expected=f"a CSV file separated by {separator!r}",
        ) from None
    rows = cells.to_numpy(dtype=object)
    start, found = _header_index(rows, shape, source)
    _refuse_short_rows(text, separator, start, source)
    frame = pd.DataFrame(rows[start + 1 :], columns=rows[start].tolist(), dtype=object)
    notes += found + _cut_short(text, source)
    return _Loaded(frame, source, separator == ";", notes, start + 1)


def _cut_short(text: str, source: str) -> tuple[Problem, ...]:
    """A warning when the text does not end with a line break: it may have been cut short.

    Every CSV writer ends its last row with a line break. Without one, the last cell may have
    lost digits (2.5 read as 2) or its value (read as empty) where the file was cut, and nothing
    else in the file can tell.
    """
    if text.endswith(("\n", "\r")):
        return ()
    last = len(text.rstrip().split("\n"))
    return (
        Problem(
            source,
            f"the file does not end with a line break, as a complete CSV file does: if it was "
            f"cut short, the last cell of row {last} may be incomplete. Check that row, or "
            "export the file again.",
            row=last,
            code="no_final_line_break",
            expected="a line break after the last row",
        ),
    )


def _refuse_short_rows(text: str, separator: str, header: int, source: str) -> None:
    """Refuse data rows with fewer cells than the header (a file cut short, lost separators).

    pandas fills the missing cells with empty text, which would read as "not assessed": a cut
    file would silently lose levels. Counted per line, outside quotes; a file whose quoted cells
    span lines is not checked (its lines are not its rows).
    """
    lines = pd.Series(text.split("\n"), dtype=object)
    if (lines.str.count('"') % 2).any():
        return
    fields = lines.str.replace(r'"[^"]*"', "", regex=True).str.count(re.escape(separator)) + 1
    blank = lines.str.strip().str.len() == 0
    short = (fields < fields.iloc[header]) & ~blank
    short.iloc[: header + 1] = False
    if not short.any():
        return
    width = int(fields.iloc[header])
    raise InputError(
        [
            Problem(
                source,
                f"row {line + 1} has {int(fields.iloc[line])} cells where the header has "
                f"{width}: the file looks cut short, or the row lost its separators. Restore "
                "the complete file (or add the empty cells).",
                row=line + 1,
                code="short_row",
                expected=f"{width} cells, as the header",
            )
            for line in short[short].index.tolist()
        ]
    )


def _header_index(rows, shape: _Shape, source: str) -> tuple[int, tuple[Problem, ...]]:
    """The 0-based index of the header row of a grid of cells, and a note when it is not the first.

    An explicit ``header_row`` wins. Otherwise the header is the first row, unless that row holds
    none of the expected names and a row below it (within the first rows) does: then the rows
    above are a title block, skipped with a warning that says where the header is.
    """
    if shape.header_row is not None:
        if shape.header_row > len(rows):
            raise _unreadable(
                source,
                f"header_row={shape.header_row} is below the last row ({len(rows)}); give the "
                "row that holds the column names, as the spreadsheet numbers it.",
                code="header_row",
                expected=f"a header row from 1 to {len(rows)}",
            )
        return shape.header_row - 1, ()
    if not shape.expected or len(rows) == 0:
        return 0, ()

    def names(row) -> set[str]:
        return {normalize_header(cell) for cell in row}

    if names(rows[0]) & shape.expected:
        return 0, ()
    for index in range(1, min(len(rows), _HEADER_SEARCH_ROWS)):
        if names(rows[index]) & shape.expected:
            title = next((str(c).strip() for r in rows[:index] for c in r if _filled(c)), "")
            shown = f" (starting {title[:40]!r})" if title else ""
            note = Problem(
                source,
                f"the header is on row {index + 1}: the {index} row(s) above it{shown} were read "
                f"as a title and skipped. Delete them, or pass header_row={index + 1} to say so.",
                code="header_below_title",
                expected="the column names on row 1",
            )
            return index, (note,)
    return 0, ()


def _filled(cell: object) -> bool:
    return (
        cell is not None
        and not (isinstance(cell, float) and cell != cell)
        and str(cell).strip() != ""
    )


def _read_xlsx(path: Path, source: str, shape: _Shape) -> _Loaded:
    # Imported here: openpyxl takes a while to import and most runs read CSV.
    import openpyxl

    try:
        # openpyxl (unlike pandas.read_excel) hands over a number cell as int or float as stored,
        # which tells an exact id from one Excel already rounded.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheets = {sheet.title: sheet for sheet in workbook.worksheets}
            title = _sheet_title(list(sheets), shape, source)
            rows = [list(row) for row in sheets[title].iter_rows(values_only=True)]
            if shape.sheet is None and len(sheets) > 1:
                _check_first_sheet(rows, sheets, shape, source)
        finally:
            workbook.close()
    except InputError:
        raise
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
    start, found = _header_index(rows, shape, source)
    frame = pd.DataFrame(rows[start + 1 :], columns=rows[start], dtype=object)
    return _Loaded(frame, source, warnings=found, header_row=start + 1)


def _sheet_title(titles: list[str], shape: _Shape, source: str) -> str:
    """The worksheet to read: ``shape.sheet`` (a name or 0-based index), or the first."""
    if shape.sheet is None:
        return titles[0]
    if isinstance(shape.sheet, str) and shape.sheet in titles:
        return shape.sheet
    if isinstance(shape.sheet, int) and 0 <= shape.sheet < len(titles):
        return titles[shape.sheet]
    raise _unreadable(
        source,
        f"the workbook has no sheet {shape.sheet!r}; it has {_sheet_list(titles)}. Pass one of "
        f"these names (sheet= in Python, {shape.sheet_option} in asn-match).",
        code="unknown_sheet",
        expected=f"one of {_sheet_list(titles)}",
    )


def _sheet_list(titles: list[str]) -> str:
    quoted = [repr(t) for t in titles]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _check_first_sheet(rows: list[list], sheets: dict, shape: _Shape, source: str) -> None:
    """Refuse a first sheet without the table's header when another sheet of the workbook has it."""
    if not shape.expected or _has_header(rows, shape.expected):
        return
    titles = list(sheets)
    for title in titles[1:]:
        head = [
            list(r) for r in sheets[title].iter_rows(max_row=_HEADER_SEARCH_ROWS, values_only=True)
        ]
        if _has_header(head, shape.expected):
            raise _unreadable(
                source,
                f"the first sheet {titles[0]!r} holds no table header, and sheet {title!r} does: "
                f"the workbook has sheets {_sheet_list(titles)}. Pass sheet={title!r} (asn-match: "
                f"{shape.sheet_option} {title!r}), or move the table to the first sheet.",
                code="data_on_other_sheet",
                expected=f"the table on sheet {titles[0]!r}, or sheet= naming its sheet",
            )


def _has_header(rows: list[list], expected: frozenset[str]) -> bool:
    return any(
        {normalize_header(cell) for cell in row} & expected for row in rows[:_HEADER_SEARCH_ROWS]
    )


def _read_parquet(path: Path, source: str, shape: _Shape) -> _Loaded:
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


def _read_json(path: Path, source: str, shape: _Shape) -> _Loaded:
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


_READERS: dict[str, Callable[[Path, str, _Shape], _Loaded]] = {
    ".csv": _read_csv,
    ".xlsx": _read_xlsx,
    ".parquet": _read_parquet,
    ".json": _read_json,
}


def _load(
    source: object, *, caller: str, shape: _Shape = _Shape(), checked_later: bool = False
) -> _Loaded:
    """The raw table of a path or DataFrame; raises InputError for a file that cannot be used.

    Problems of single records in a list are raised here, unless ``checked_later`` (the caller
    reports them together with the table's own, in one pass).
    """
    _check_shape(source, shape, caller)
    if isinstance(source, pd.DataFrame):
        return _Loaded(source, "<DataFrame>")
    if isinstance(source, (list, tuple)):
        frame, problems = record_rows(source)
        if problems and not checked_later:
            raise InputError(problems)
        return _Loaded(frame, "<records>", problems=tuple(problems))
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
        return _READERS[suffix](path, name, shape)
    except OSError as exc:
        raise _unreadable(
            name,
            f"the file could not be opened ({exc.strerror or exc}); check its permissions and "
            "that no other program locks it.",
        ) from None


def _check_shape(source: object, shape: _Shape, caller: str) -> None:
    """Refuse ``sheet`` and ``header_row`` where they cannot apply, and values of a wrong type."""
    suffix = Path(source).suffix.lower() if isinstance(source, (str, os.PathLike)) else None
    if shape.sheet is not None:
        if isinstance(shape.sheet, bool) or not isinstance(shape.sheet, (str, int)):
            raise InvalidParameterError(
                "sheet", caller, "None, a sheet name (str) or a 0-based sheet index", shape.sheet
            )
        if suffix != ".xlsx":
            raise InvalidParameterError(
                "sheet", caller, "None unless the source is an .xlsx workbook", shape.sheet
            )
    if shape.header_row is not None:
        if isinstance(shape.header_row, bool) or not isinstance(shape.header_row, int):
            raise InvalidParameterError(
                "header_row", caller, "None or an int >= 1", shape.header_row
            )
        if shape.header_row < 1:
            raise InvalidParameterError(
                "header_row", caller, "None or an int >= 1", shape.header_row
            )
        if suffix not in (".csv", ".xlsx"):
            raise InvalidParameterError(
                "header_row",
                caller,
                "None unless the source is a .csv or .xlsx file",
                shape.header_row,
                fix="A DataFrame, Parquet or JSON table has its column names already.",
            )


@dataclass(frozen=True)
class _Kind(Generic[_Records]):
    """One kind of record table: its class, builder, reader name, and header names in files."""

    table: type[_Records]
    build: Callable[..., _Records]
    caller: str
    headers: frozenset[str]
    sheet_option: str


_EMPLOYEES = _Kind(
    Employees, build_employees, "read_employees", frozenset(EMPLOYEE_REQUIRED), "--sheet"
)
_POSITIONS = _Kind(
    Positions,
    build_positions,
    "read_positions",
    frozenset(POSITION_REQUIRED),
    "--positions-sheet",
)


def _read_records(
    source: object,
    framework: CompetencyFramework | None,
    kind: _Kind[_Records],
    *,
    sheet: str | int | None = None,
    header_row: int | None = None,
    **options: object,
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
    shape = _Shape(kind.headers, header_row, sheet, kind.sheet_option)
    loaded = _load(source, caller=kind.caller, shape=shape, checked_later=True)
    if any(p.code == "not_a_record" for p in loaded.problems):
        # Not a list of records at all (e.g. a list of ids): the table checks would only add noise.
        raise InputError([p for p in loaded.problems if p.code == "not_a_record"])
    try:
        table = kind.build(
            loaded.frame,
            framework=framework,
            source=loaded.source,
            decimal_comma=loaded.decimal_comma,
            read_warnings=loaded.warnings,
            warn=False,
            header_row=loaded.header_row,
            **options,
        )
    except InputError as exc:
        # What the reader learned (title rows skipped, an encoding guessed) explains the rows
        # the problems name: say it before them.
        warn_quality(loaded.warnings, stacklevel=3)
        if not loaded.problems:
            raise
        raise InputError(_merged(loaded.problems, exc.problems)) from None
    if loaded.problems:
        raise InputError(loaded.problems)
    warn_quality(table.warnings, stacklevel=3)
    return table


def _merged(records: Sequence[Problem], table: Sequence[Problem]) -> list[Problem]:
    """The problems of single records and of the table, in row order, each cell reported once.

    A cell the record checks already explain (same row and column) is not reported again by the
    table checks.
    """
    seen = {(p.row, (p.column or "").split(".")[-1]) for p in records}
    extra = [p for p in table if p.row is None or (p.row, p.column or "") not in seen]
    return sorted([*records, *extra], key=lambda p: (p.row or 0, p.column or ""))


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
    sheet: str | int | None = None,
    header_row: int | None = None,
    nip_check: bool = True,
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
    sheet : str or int, optional
        The worksheet of an ``.xlsx`` file, by name or 0-based index. Default None: the first;
        when the first sheet holds no table header and another sheet does, the file is refused
        with the sheet names, since reading the wrong sheet gives only misleading problems.
    header_row : int, optional
        The spreadsheet row (1-based) of the column names in a ``.csv`` or ``.xlsx`` file.
        Default None: row 1, unless title rows sit above the header (a row below holds the
        schema's column names): then they are skipped with a data-quality warning naming the row.
    nip_check : bool, default True
        Whether to check ``employee_id`` for NIPs damaged by Excel: an 18-digit id ending in
        ``000`` (rounded to 15 significant digits, the real id lost) is an error; a NIP one digit
        short or long, or with text around it (``"NIP 1982..."``), is a warning. Pass False when
        the ids are not NIPs.

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
    check_bool(nip_check, "nip_check", "read_employees")
    return _read_records(
        source, framework, _EMPLOYEES, sheet=sheet, header_row=header_row, nip_check=nip_check
    )


def read_positions(
    source: str | os.PathLike | pd.DataFrame | list | Positions,
    *,
    framework: CompetencyFramework | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
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
    sheet : str or int, optional
        The worksheet of an ``.xlsx`` file, by name or 0-based index, as in
        :func:`read_employees`.
    header_row : int, optional
        The spreadsheet row of the column names, as in :func:`read_employees`.

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
    return _read_records(source, framework, _POSITIONS, sheet=sheet, header_row=header_row)


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
    loaded = _load(
        source, caller="read_pairs", shape=_Shape(frozenset({"employee_id", "position_id"}))
    )
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


#: CSV dialects :func:`write_table` writes.
CSV_DIALECTS: tuple[str, ...] = ("standard", "excel-id")
# A text id that Excel would turn into a number when it opens a CSV (dropping zeros and digits).
_DIGITS = r"^\d+$"


def _write_csv(frame: pd.DataFrame, path: str) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _excel_text_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """Id cells made of digits written as ``="..."``, which Excel shows as that exact text.

    Excel opens a CSV by guessing each cell's type: ``198609262015051001`` becomes a number shown
    as ``1.98609E+17`` (and saved back with zeros for its last digits), ``0012`` becomes 12. A
    cell ``="0012"`` is a formula whose result is the text ``0012``: Excel shows the id exactly,
    with nothing added to the cell's text, and the readers of this package unwrap it. (A leading
    tab or apostrophe also keeps the text, but stays in the cell: lookups against other sheets
    then fail.)
    """
    out = frame.copy()
    for j, name in enumerate(out.columns):
        if not (isinstance(name, str) and (name == "id" or name.endswith("_id"))):
            continue
        column = out.iloc[:, j]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        if not (pdt.is_object_dtype(column.dtype) or pdt.is_string_dtype(column.dtype)):
            continue
        digits = column.str.match(_DIGITS, na=False).astype(bool)
        if digits.any():
            column = column.astype(object).copy()
            column[digits] = '="' + column[digits].astype(str) + '"'
            out.isetitem(j, column)  # type: ignore[arg-type]
    return out


def _write_csv_excel_id(frame: pd.DataFrame, path: str) -> None:
    # What Excel in an Indonesian locale opens by double-click: semicolons between cells, a
    # decimal comma, and a byte-order mark so that it reads the text as UTF-8.
    _excel_text_ids(frame).to_csv(
        path, index=False, sep=";", decimal=",", encoding="utf-8-sig", lineterminator="\r\n"
    )


def _write_xlsx(frame: pd.DataFrame, path: str) -> None:
    # openpyxl is a core dependency; ids reach it as text (see _prepared), stored as text cells.
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
    frame: pd.DataFrame,
    path: str | os.PathLike,
    *,
    escape_formulas: bool | None = None,
    csv_dialect: str = "standard",
) -> Path:
    """Write a table to ``.csv``, ``.xlsx``, ``.parquet`` or ``.json``, atomically.

    The table is written to a temporary file in the target directory and moved into place with
    :func:`os.replace`, so a failure leaves no partial output (and an existing file untouched).
    For CSV, Excel and JSON (all of which end up opened in spreadsheet programs), text cells and
    headers starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading
    apostrophe, so the program shows them instead of running them as formulas; numbers, and text
    that is a plain number such as ``"-3"``, are written as they are. Integer id columns (``id``
    or ending in ``_id``) are written as text, keeping every digit (in Excel as text cells).
    CSV is UTF-8 without a byte-order mark, comma-separated, unless ``csv_dialect="excel-id"``;
    JSON is an array of records.

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
    csv_dialect : {"standard", "excel-id"}, default "standard"
        How a ``.csv`` is written. ``"standard"``: comma-separated UTF-8 with a decimal point,
        for programs (pandas, R, databases, this package). ``"excel-id"``: for Excel in an
        Indonesian locale, which opens it by double-click: semicolon-separated, decimal comma,
        UTF-8 with a byte-order mark, and every id made of digits written as ``="..."`` so that
        Excel shows it as text instead of rounding a NIP to 15 digits. The readers of this
        package read both.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InvalidParameterError
        A ``ValueError`` and a ``TypeError``: ``frame`` is not a DataFrame, the extension is not
        supported, the folder of ``path`` does not exist, ``escape_formulas`` is not a bool or
        None, or ``csv_dialect`` is not one of the dialects.
    ImportError
        If ``.parquet`` is asked for without its optional dependency (pyarrow).

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
    >>> _ = write_table(table.assign(level=[3.5]), path, csv_dialect="excel-id")
    >>> header, row = path.read_text(encoding="utf-8-sig").splitlines()
    >>> header, row.split(";")[1:], row.startswith('"=""198609262015051001""')
    ('employee_id;note;level', ["'=1+1", '3,5'], True)
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidParameterError("frame", "write_table", "a pandas DataFrame", type(frame))
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _WRITERS:
        raise InvalidParameterError(
            "path", "write_table", f"a path ending in {', '.join(WRITE_SUFFIXES)}", os.fspath(path)
        )
    csv_dialect = check_choice(csv_dialect, "csv_dialect", "write_table", CSV_DIALECTS)
    if not target.parent.is_dir():
        raise InvalidParameterError(
            "path",
            "write_table",
            "a file in an existing folder",
            os.fspath(path),
            fix=f"The folder {os.fspath(target.parent)!r} does not exist; create it first.",
        )
    if escape_formulas is None:
        escape_formulas = suffix != ".parquet"
    elif not isinstance(escape_formulas, bool):
        raise InvalidParameterError(
            "escape_formulas", "write_table", "True, False or None", escape_formulas
        )
    prepared = _prepared(frame, escape_formulas=escape_formulas)
    write = _WRITERS[suffix]
    if suffix == ".csv" and csv_dialect == "excel-id":
        write = _write_csv_excel_id
    return write_atomic(target, lambda temporary: write(prepared, temporary))


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
