"""Fuzzed readers: whatever a file holds, reading it ends in a faithful table or a named problem.

Hypothesis damages valid employees and positions files the ways files get damaged (random bytes,
cut short, other encodings, mixed separators, decimal commas, ids mangled by Excel, huge, NaN and
infinite numbers, duplicated headers, very long cells, a CSV saved as .xlsx) and reads them with
:func:`asn_match.read_employees`, :func:`asn_match.read_positions` and the command line. Each
read must

- end in a table or :class:`asn_match.InputError` whose problems each carry a code and a message,
  never another exception;
- end in time (a per-example deadline, and an alarm that fails a hang);
- never misread silently: a table that is returned holds exactly the values written (every
  scored field of every row compared with the undamaged file), and an id mangled by Excel is an
  error, never a different id.

The default run draws a bounded number of examples per test; the ``slow`` twins draw many more.
"""

from __future__ import annotations

import contextlib
import signal
import warnings
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import asn_match as am
from asn_match import cli
from asn_match.errors import DataQualityWarning

#: Seconds one read may take before the alarm calls it a hang.
HANG_SECONDS = 60
#: The per-example deadline (generous: CI machines are shared).
DEADLINE = timedelta(seconds=20)

FUZZ = settings(
    max_examples=12,
    deadline=DEADLINE,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ_MANY = settings(FUZZ, max_examples=400)

EMPLOYEES, POSITIONS = am.datasets.synthetic_workforce(8, 3, seed=5)
EMPLOYEES = EMPLOYEES.assign(name=[f"Pegawai {i}, S.E." for i in range(len(EMPLOYEES))])
READERS = {"employees": (am.read_employees, EMPLOYEES), "positions": (am.read_positions, POSITIONS)}
#: Fields every read table must hold exactly as written (scored or placed on).
FIELDS = {
    "employees": ("levels", "rank", "education", "performance", "potential", "training_hours"),
    "positions": ("standard", "weights", "seats", "min_rank", "min_education"),
}


@contextlib.contextmanager
def no_hang(seconds: int = HANG_SECONDS):
    """Fail, instead of waiting forever, when the block runs past ``seconds``."""

    def stop(signum, frame):
        raise AssertionError(f"a read ran past {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def read(kind: str, path: Path):
    """The table read from ``path``, or the InputError; any other exception fails the test."""
    reader = READERS[kind][0]
    with no_hang(), warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        try:
            return reader(path)
        except am.InputError as error:
            assert error.problems, "an InputError names at least one problem"
            for problem in error.problems:
                assert problem.code and problem.message, problem
            assert str(error)
            return error


def reference(kind: str, frame: pd.DataFrame | None = None):
    """The table of the undamaged data, read from the DataFrame itself."""
    reader, original = READERS[kind]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return reader(original if frame is None else frame)


def assert_faithful(kind: str, table, expected=None) -> None:
    """Every row of ``table`` holds exactly the values of the same id in ``expected``."""
    expected = reference(kind) if expected is None else expected
    index = pd.Index(expected.ids)
    rows = index.get_indexer(table.ids)
    assert (rows >= 0).all(), f"ids that were never written: {table.ids[rows < 0]}"
    for name in FIELDS[kind]:
        np.testing.assert_array_equal(
            getattr(table, name), getattr(expected, name)[rows], err_msg=name
        )


def write(tmp_path: Path, data: bytes | str, suffix: str = ".csv", encoding="utf-8") -> Path:
    path = tmp_path / f"fuzzed{suffix}"
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def csv_text(frame: pd.DataFrame, **options) -> str:
    return frame.to_csv(index=False, lineterminator="\n", **options)


kinds = st.sampled_from(sorted(READERS))


def _twins(check):
    """The check as a bounded default test and a many-example slow test."""

    @FUZZ
    @given(data=st.data())
    def bounded(tmp_path, data):
        check(tmp_path, data)

    @pytest.mark.slow
    @FUZZ_MANY
    @given(data=st.data())
    def many(tmp_path, data):
        check(tmp_path, data)

    return bounded, many


# ----------------------------------------------------------------------------- bytes and files


def check_random_bytes(tmp_path, data):
    kind = data.draw(kinds)
    suffix = data.draw(st.sampled_from([".csv", ".xlsx", ".json", ".parquet"]))
    junk = data.draw(st.binary(max_size=2000))
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    outcome = read(kind, write(tmp_path, junk, suffix))
    assert isinstance(outcome, am.InputError)


def check_truncated(tmp_path, data):
    kind = data.draw(kinds)
    full = csv_text(READERS[kind][1]).encode()
    cut = data.draw(st.integers(0, len(full) - 1))
    outcome = read(kind, write(tmp_path, full[:cut]))
    if isinstance(outcome, am.InputError):
        return
    if full[:cut].endswith(b"\n"):
        assert_faithful(kind, outcome)
        return
    # Cut inside the last row's last cell ("2.5" -> "2", or "3" -> ""): nothing in the file
    # tells, so the reader warns that the last row may be incomplete; the rows above are exact.
    assert "no_final_line_break" in {w.code for w in outcome.warnings}
    assert_faithful(kind, outcome.take(np.arange(len(outcome) - 1)))


#: Names with the letters that Windows-1252 and UTF-16 files carry.
NAMES = (
    st.text(alphabet="aeiouSTÉéñÑüçÀ -.,'’", min_size=1, max_size=30).map(str.strip).filter(bool)
)


def check_encodings(tmp_path, data):
    names = data.draw(st.lists(NAMES, min_size=len(EMPLOYEES), max_size=len(EMPLOYEES)))
    frame = EMPLOYEES.assign(name=names)
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    try:
        raw = csv_text(frame).encode(encoding)
    except UnicodeEncodeError:  # a name Windows-1252 cannot hold
        return
    outcome = read("employees", write(tmp_path, raw))
    assert not isinstance(outcome, am.InputError), outcome
    assert outcome.info["name"].tolist() == names
    assert_faithful("employees", outcome)


def check_mixed_separators(tmp_path, data):
    kind = data.draw(kinds)
    lines = csv_text(READERS[kind][1]).splitlines()
    switched = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    other = data.draw(st.sampled_from([";", "\t"]))
    # The separators outside quotes change; quoted text (names with commas) stays as written.
    mixed = [
        _swap_outside_quotes(line, ",", other) if swap else line
        for line, swap in zip(lines, switched, strict=True)
    ]
    outcome = read(kind, write(tmp_path, "\n".join(mixed) + "\n"))
    if not isinstance(outcome, am.InputError):
        assert_faithful(kind, outcome)


def _swap_outside_quotes(line: str, old: str, new: str) -> str:
    parts = line.split('"')
    parts[::2] = [part.replace(old, new) for part in parts[::2]]
    return '"'.join(parts)


def check_decimal_commas(tmp_path, data):
    fractions = data.draw(
        st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.1]), min_size=len(EMPLOYEES), max_size=8)
    )
    frame = EMPLOYEES.assign(potential=(EMPLOYEES["potential"] // 1 + fractions).clip(0, 100))
    text = csv_text(frame, sep=";", decimal=",")
    outcome = read("employees", write(tmp_path, text))
    assert not isinstance(outcome, am.InputError), outcome
    assert_faithful("employees", outcome, reference("employees", frame))


# ----------------------------------------------------------------------------- cells


def check_excel_mangled_ids(tmp_path, data):
    rows = data.draw(st.lists(st.integers(0, len(EMPLOYEES) - 1), min_size=1, unique=True))
    style = data.draw(st.sampled_from(["scientific", "padded"]))
    frame = EMPLOYEES.copy()
    ids = frame["employee_id"].to_numpy(dtype=object, copy=True)
    for row in rows:
        nip = ids[row]
        ids[row] = f"{int(nip):.5E}" if style == "scientific" else nip[:15] + "000"
    frame["employee_id"] = ids
    outcome = read("employees", write(tmp_path, csv_text(frame)))
    assert isinstance(outcome, am.InputError), "an Excel-mangled NIP must not read as an id"
    flagged = {p.row for p in outcome.problems if p.column == "employee_id"}
    assert len(flagged) >= len(rows)


#: Numbers no column accepts, and spellings of "not a number".
ODD_NUMBERS = st.sampled_from(
    ["1e308", "-1e308", "99999999999999999999999", "1e-300", "nan", "NaN", "NAN", "inf",
     "-inf", "Infinity", "-Infinity", "+inf", "1e999", "0x10", "1_000", "--3", "3..5"]
)  # fmt: skip
NUMERIC_COLUMNS = {
    "employees": ["performance", "potential", "training_hours", "integritas", "komunikasi"],
    "positions": ["seats", "integritas", "integritas_weight", "perekat_bangsa"],
}


def _as_number(cell: str) -> float | None:
    """What the cell means as a number (NaN: not given), None where it means none."""
    try:
        value = float(cell)
    except ValueError:
        return None
    return None if np.isinf(value) else value


def check_odd_numbers(tmp_path, data):
    kind = data.draw(kinds)
    frame = READERS[kind][1].copy().astype(object)
    column = data.draw(st.sampled_from(NUMERIC_COLUMNS[kind]))
    row = data.draw(st.integers(0, len(frame) - 1))
    cell = data.draw(ODD_NUMBERS)
    frame.iloc[row, frame.columns.get_loc(column)] = cell
    outcome = read(kind, write(tmp_path, csv_text(frame)))
    if isinstance(outcome, am.InputError):
        assert any(p.column == column for p in outcome.problems), outcome
        return
    # Read: then only as the number written ("nan": not given), never as infinity, and the
    # same table as the DataFrame holding that number gives.
    number = _as_number(cell)
    assert number is not None, f"{cell!r} read as a number"
    frame.iloc[row, frame.columns.get_loc(column)] = number
    assert_faithful(kind, outcome, reference(kind, frame))


def check_duplicated_headers(tmp_path, data):
    kind = data.draw(kinds)
    frame = READERS[kind][1]
    column = data.draw(st.sampled_from(list(frame.columns)))
    spelling = data.draw(st.sampled_from([column, column.upper(), f" {column} ", column.title()]))
    doubled = pd.concat([frame, frame[[column]].set_axis([spelling], axis=1)], axis=1)
    outcome = read(kind, write(tmp_path, csv_text(doubled)))
    assert isinstance(outcome, am.InputError)
    assert any(p.code == "duplicate_column" for p in outcome.problems), outcome


def check_long_cells(tmp_path, data):
    size = data.draw(st.integers(1_000, 200_000))
    row = data.draw(st.integers(0, len(EMPLOYEES) - 1))
    frame = EMPLOYEES.copy().astype(object)
    column = data.draw(st.sampled_from(["name", "unit", "integritas", "rank"]))
    cell = ("x" if column in ("name", "unit") else "4") * size
    frame.iloc[row, frame.columns.get_loc(column)] = cell
    outcome = read("employees", write(tmp_path, csv_text(frame)))
    if column in ("name", "unit"):
        assert not isinstance(outcome, am.InputError), outcome
        assert outcome.info[column].iloc[row] == cell
        assert_faithful("employees", outcome)
    else:
        assert isinstance(outcome, am.InputError)
        assert {p.column for p in outcome.problems} == {column}


def check_xlsx_that_is_csv(tmp_path, data):
    kind = data.draw(kinds)
    separator = data.draw(st.sampled_from([",", ";"]))
    path = write(tmp_path, csv_text(READERS[kind][1], sep=separator), ".xlsx")
    outcome = read(kind, path)
    assert isinstance(outcome, am.InputError)
    assert "Excel" in str(outcome)


test_random_bytes, test_random_bytes_many = _twins(check_random_bytes)
test_truncated_files, test_truncated_files_many = _twins(check_truncated)
test_encodings, test_encodings_many = _twins(check_encodings)
test_mixed_separators, test_mixed_separators_many = _twins(check_mixed_separators)
test_decimal_commas, test_decimal_commas_many = _twins(check_decimal_commas)
test_excel_mangled_ids, test_excel_mangled_ids_many = _twins(check_excel_mangled_ids)
test_odd_numbers, test_odd_numbers_many = _twins(check_odd_numbers)
test_duplicated_headers, test_duplicated_headers_many = _twins(check_duplicated_headers)
test_long_cells, test_long_cells_many = _twins(check_long_cells)
test_xlsx_that_is_csv, test_xlsx_that_is_csv_many = _twins(check_xlsx_that_is_csv)


def test_utf16_without_a_byte_order_mark_is_named(tmp_path):
    outcome = read("employees", write(tmp_path, csv_text(EMPLOYEES), encoding="utf-16-le"))
    assert isinstance(outcome, am.InputError)
    assert outcome.problems[0].code == "undecodable"


def test_short_rows_are_refused_by_row(tmp_path):
    lines = csv_text(EMPLOYEES).splitlines()
    lines[3] = lines[3].rsplit(",", 2)[0]  # the row lost its last two cells
    outcome = read("employees", write(tmp_path, "\n".join(lines) + "\n"))
    assert isinstance(outcome, am.InputError)
    assert [(p.code, p.row) for p in outcome.problems] == [("short_row", 4)]


# ----------------------------------------------------------------------------- command line

DAMAGES = {
    "truncate": lambda text, draw: text[: draw(st.integers(0, len(text)))],
    "bytes": lambda text, draw: draw(st.binary(max_size=300)).decode("latin-1"),
    "odd number": lambda text, draw: text.replace(",3,", f",{draw(ODD_NUMBERS)},", 1),
    "semicolons": lambda text, draw: text.replace(",", ";", draw(st.integers(1, 40))),
    "padded nip": lambda text, draw: text.replace(
        EMPLOYEES["employee_id"][0], EMPLOYEES["employee_id"][0][:15] + "000"
    ),
}


def check_cli(tmp_path, data):
    employees, positions = tmp_path / "employees.csv", tmp_path / "positions.csv"
    texts = {employees: csv_text(EMPLOYEES), positions: csv_text(POSITIONS)}
    target = data.draw(st.sampled_from(sorted(texts)))
    damage = data.draw(st.sampled_from(sorted(DAMAGES)))
    texts[target] = DAMAGES[damage](texts[target], data.draw)
    for path, text in texts.items():
        path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    out = tmp_path / "placement.csv"
    out.unlink(missing_ok=True)
    with no_hang():
        code = cli.main(["match", str(employees), str(positions), "-o", str(out)])
    assert code in (0, 2), f"exit {code}: neither success nor invalid input"
    assert out.exists() == (code == 0)


@settings(FUZZ, max_examples=10)
@given(data=st.data())
def test_cli_match_on_damaged_files(tmp_path, data, capsys):
    check_cli(tmp_path, data)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error:" not in err


@pytest.mark.slow
@settings(FUZZ, max_examples=200)
@given(data=st.data())
def test_cli_match_on_damaged_files_many(tmp_path, data, capsys):
    check_cli(tmp_path, data)
    assert "Traceback" not in capsys.readouterr().err


def test_a_file_without_a_final_line_break_warns_about_its_last_row(tmp_path):
    # Found by test_truncated_files_many: a file cut inside its last cell read that cell short.
    text = csv_text(EMPLOYEES)[:-2]  # "...,4,3\n" cut to "...,4,": the last level reads empty
    with pytest.warns(DataQualityWarning, match="does not end with a line break"):
        table = am.read_employees(write(tmp_path, text))
    (warning,) = [w for w in table.warnings if w.code == "no_final_line_break"]
    assert warning.row == len(EMPLOYEES) + 1


@pytest.mark.parametrize("seats", ["1e308", "99999999999999999999", "1000001"])
def test_huge_seats_are_refused_not_wrapped(tmp_path, seats):
    # Found by test_odd_numbers: seats of 1e308 passed as a whole number and wrapped in int64.
    frame = POSITIONS.astype(object).assign(seats=[seats] + [1] * (len(POSITIONS) - 1))
    outcome = read("positions", write(tmp_path, csv_text(frame)))
    assert isinstance(outcome, am.InputError)
    assert [(p.code, p.row) for p in outcome.problems] == [("invalid_seats", 2)]
