"""Reading and writing tables: exact ids in every format, unreadable files, safe writers."""

from __future__ import annotations

import datetime
import json
import os
import sys

import numpy as np
import pandas as pd
import pytest

from asn_match.errors import DataQualityWarning, InputError
from asn_match.framework import CompetencyFramework
from asn_match.io import (
    READ_SUFFIXES,
    read_employees,
    read_positions,
    read_table,
    write_table,
)
from asn_match.validation import build_employees, build_positions

NIP = "198609262015051001"
NIP_2 = "199001312014032007"
FORMATS = [".csv", ".xlsx", ".parquet", ".json"]


def employees_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "employee_id": [NIP, NIP_2, "0042"],
        "name": ["Ani", "Siti Nur'aini", "José"],
        "unit": ["Bappeda", "Dinkes", "Bappeda"],
        "rank": ["III/c", "III/d", "IV/a"],
        "education": ["S1", "S2", "D4"],
        "performance": ["baik", 91.5, None],
        "potential": [70, None, "tinggi"],
        "training_hours": [24, 0, None],
        "current_position_id": ["P1", None, "0012"],
        "integritas": [3, 4, None],
        "kerja_sama": [4, None, 5],
        "teknis_perencanaan": [2, 3, 1],
    })  # fmt: skip


def positions_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "position_id": ["P1", "0012"],
        "title": ["Kepala Bidang", "Kepala Seksi"],
        "unit": ["Bappeda", "Dinkes"],
        "class": ["Administrator", "Pengawas"],
        "seats": [1, 3],
        "min_rank": ["III/d", None],
        "min_education": ["S1", "D3"],
        "integritas": [3, 2],
        "kerja_sama": [None, 2],
        "integritas_weight": [2.5, None],
    })  # fmt: skip


def write_frame(frame: pd.DataFrame, path) -> None:
    """Write a test input with pandas itself, not with the writer under test."""
    suffix = path.suffix
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False)
    elif suffix == ".parquet":
        text = {c: "string" for c in frame.columns if frame[c].dtype == object}
        frame.astype(text).to_parquet(path)  # missing cells stay missing (not "None")
    else:
        frame.to_json(path, orient="records")


def assert_same_employees(a, b):
    assert a.ids.tolist() == b.ids.tolist()
    assert a.codes == b.codes
    np.testing.assert_array_equal(a.levels, b.levels)
    for name in ("rank", "education", "performance", "potential", "training_hours"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.current_position_id.tolist() == b.current_position_id.tolist()
    assert a.info.to_dict("list") == b.info.to_dict("list")


def problem_of(call, *args, **kwargs):
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    (problem,) = info.value.problems
    return problem


# ---------------------------------------------------------------------------------------------
# Round trips keep an 18-digit NIP exact
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", FORMATS)
def test_employees_round_trip_through_each_format(tmp_path, suffix):
    frame = employees_frame()
    expected = build_employees(frame)
    path = tmp_path / f"employees{suffix}"
    write_frame(frame, path)
    employees = read_employees(path)
    assert employees.ids.tolist() == [NIP, NIP_2, "0042"]
    assert_same_employees(employees, expected)
    assert employees.source == str(path)


@pytest.mark.parametrize("suffix", FORMATS)
def test_validated_tables_round_trip_through_write_table(tmp_path, suffix):
    employees = build_employees(employees_frame())
    positions = build_positions(positions_frame())
    employees_path = write_table(employees.to_frame(), tmp_path / f"e{suffix}")
    positions_path = write_table(positions.to_frame(), tmp_path / f"p{suffix}")
    assert_same_employees(read_employees(employees_path), employees)
    again = read_positions(positions_path)
    assert again.ids.tolist() == ["P1", "0012"]
    np.testing.assert_array_equal(again.standard, positions.standard)
    np.testing.assert_array_equal(again.weights, positions.weights)
    assert again.seats.tolist() == [1, 3]
    assert again.position_class.tolist() == ["Administrator", "Pengawas"]


def test_dataframe_source(tmp_path):
    frame = employees_frame()
    before = frame.copy(deep=True)
    employees = read_employees(frame)
    assert employees.source == "<DataFrame>"
    assert employees.ids.tolist() == [NIP, NIP_2, "0042"]
    pd.testing.assert_frame_equal(frame, before)


def test_semicolon_csv_with_bom_and_decimal_commas(tmp_path):
    text = (
        "employee_id;name;unit;rank;education;performance;training_hours;analysis\n"
        f"{NIP};Ani;Bappeda;III/c;S1;85,5;12,5;2,75\n"
        f"{NIP_2};Budi;Bappeda;III/d;S2;90;0;4\n"
    )
    path = tmp_path / "employees.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    framework = CompetencyFramework.custom(["analysis"], minimum=0, maximum=5, integer=False)
    employees = read_employees(path, framework=framework)
    assert employees.ids.tolist() == [NIP, NIP_2]
    assert employees.performance.tolist() == [85.5, 90.0]
    assert employees.training_hours.tolist() == [12.5, 0.0]
    assert employees.levels[:, 0].tolist() == [2.75, 4.0]


def test_decimal_comma_is_not_accepted_in_comma_separated_files(tmp_path):
    path = tmp_path / "employees.csv"
    path.write_text(
        'employee_id,name,unit,rank,education,integritas\nA,Ani,B,III/c,S1,"3,5"\n', "utf-8"
    )
    assert problem_of(read_employees, path).code == "invalid_level"


def test_tab_separated_utf16_text(tmp_path):
    # Excel's "Unicode Text" export.
    text = (
        "employee_id\tname\tunit\trank\teducation\tintegritas\r\n"
        + f"{NIP}\tAni\tB\tIII/c\tS1\t3\r\n"
    )
    path = tmp_path / "employees.csv"
    path.write_bytes(text.encode("utf-16"))
    assert read_employees(path).ids.tolist() == [NIP]


def test_excel_ids_typed_as_text_stay_exact_and_rounded_numbers_are_reported(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Employee ID", "Name", "Unit", "Rank", "Education", "Integritas", None])
    sheet.append([NIP, "Ani", "Bappeda", "III/c", "S1", 3, None])
    sheet.append([12345, "Budi", "Bappeda", "III/d", "S2", 4.0, None])  # a short numeric id
    sheet.append([None] * 7)  # Excel keeps formatted empty rows
    path = tmp_path / "employees.xlsx"
    workbook.save(path)
    employees = read_employees(path)
    assert employees.ids.tolist() == [NIP, "12345"]
    assert employees.levels[:, employees.framework.index("integritas")].tolist() == [3.0, 4.0]

    # A NIP stored as a number is kept as a double (by Excel and by openpyxl alike): the last
    # digits are gone, and reading must say so instead of inventing them.
    sheet.append([int(NIP_2), "Cici", "Dinkes", "III/a", "S1", 2, None])
    workbook.save(path)
    problem = problem_of(read_employees, path)
    assert (problem.code, problem.row, problem.column) == ("id_precision_lost", 5, "employee_id")
    assert "lost its last digits" in str(problem)


def test_parquet_integer_ids_are_exact(tmp_path):
    pytest.importorskip("pyarrow")
    frame = employees_frame().iloc[:2].assign(employee_id=[int(NIP), int(NIP_2)])
    frame = frame.astype({"employee_id": np.int64, "name": str})
    frame = frame[["employee_id", "name", "unit", "rank", "education", "integritas"]]
    path = tmp_path / "employees.parquet"
    frame.to_parquet(path)
    assert read_employees(path).ids.tolist() == [NIP, NIP_2]


def test_json_number_ids_are_exact(tmp_path):
    records = [
        {"employee_id": int(NIP), "name": "Ani", "unit": "B", "rank": "III/c", "education": "S1",
         "integritas": 3},
        {"employee_id": NIP_2, "name": "Budi", "unit": "B", "rank": "III/c", "education": "S1",
         "integritas": None},
    ]  # fmt: skip
    path = tmp_path / "employees.json"
    path.write_text(json.dumps(records), "utf-8")
    employees = read_employees(path)
    assert employees.ids.tolist() == [NIP, NIP_2]
    assert json.loads(path.read_text())[0]["employee_id"] == int(NIP)


def test_written_json_holds_ids_as_strings(tmp_path):
    frame = pd.DataFrame({"employee_id": np.array([int(NIP)], dtype=np.int64), "x": [1.5]})
    path = write_table(frame, tmp_path / "out.json")
    assert json.loads(path.read_text("utf-8")) == [{"employee_id": NIP, "x": 1.5}]


def test_written_xlsx_holds_integer_ids_as_text(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    frame = pd.DataFrame({"employee_id": np.array([int(NIP)], dtype=np.int64)})
    path = write_table(frame, tmp_path / "out.xlsx")
    cell = openpyxl.load_workbook(path).active["A2"]
    assert (cell.value, cell.data_type) == (NIP, "s")


def test_validated_tables_are_returned_unchanged():
    employees = build_employees(employees_frame())
    assert read_employees(employees) is employees
    positions = build_positions(positions_frame())
    assert read_positions(positions) is positions
    custom = CompetencyFramework.skj(technical=["teknis_perencanaan", "teknis_lain"])
    again = read_positions(positions, framework=custom)
    assert again.codes == custom.codes
    np.testing.assert_array_equal(again.standard[:, :9], positions.standard)
    assert np.isnan(again.standard[:, 9:]).all()


# ---------------------------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------------------------
def test_windows_1252_text_is_read_with_a_warning(tmp_path):
    text = "employee_id,name,unit,rank,education,integritas\nA,José,Bappeda,III/c,S1,3\n"
    path = tmp_path / "employees.csv"
    path.write_bytes(text.encode("cp1252"))
    with pytest.warns(DataQualityWarning, match="Windows-1252") as record:
        employees = read_employees(path)
    assert len(record) == 1
    # The warning points at the line that called the reader, not into the library.
    assert record[0].filename == __file__
    assert employees.info["name"].tolist() == ["José"]
    (problem,) = employees.warnings
    assert problem.code == "encoding_fallback"
    assert problem.source == str(path)


def test_undecodable_text_is_an_input_error(tmp_path):
    path = tmp_path / "employees.csv"
    path.write_bytes(b"employee_id,name\nA,\x81\x8d\x90\n")
    problem = problem_of(read_employees, path)
    assert problem.code == "undecodable"
    assert str(path) in str(problem)
    assert "CSV UTF-8" in problem.message


def test_binary_file_renamed_to_csv(tmp_path):
    path = tmp_path / "employees.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    assert problem_of(read_employees, path).code == "undecodable"


# ---------------------------------------------------------------------------------------------
# Files that cannot be used: one problem naming the file and the fix
# ---------------------------------------------------------------------------------------------
def test_missing_file(tmp_path):
    path = tmp_path / "nowhere" / "employees.csv"
    problem = problem_of(read_employees, path)
    assert problem.code == "file_not_found"
    assert str(path) in str(problem)
    assert "check the path" in problem.message


@pytest.mark.parametrize("name", ["employees.txt", "employees", "employees.ods"])
def test_unsupported_extension(tmp_path, name):
    path = tmp_path / name
    path.write_text("x")
    problem = problem_of(read_positions, path)
    assert problem.code == "unsupported_format"
    assert all(suffix in problem.message for suffix in READ_SUFFIXES)


def test_old_excel_format(tmp_path):
    path = tmp_path / "employees.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    problem = problem_of(read_employees, path)
    assert problem.code == "unsupported_format"
    assert "save it as .xlsx" in problem.message


def test_directory_instead_of_file(tmp_path):
    path = tmp_path / "data.csv"
    path.mkdir()
    problem = problem_of(read_employees, path)
    assert "directory" in problem.message


@pytest.mark.parametrize(("name", "content"), [("e.xlsx", b"not a zip"), ("e.parquet", b"PAR1xx")])
def test_corrupt_binary_files(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    problem = problem_of(read_employees, path)
    assert problem.code == "unreadable"
    assert str(path) in str(problem)
    assert "could not be read" in problem.message


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"[{", "not valid UTF-8 JSON"), (b'{"employee_id": ["A"]}', "not an array of records")],
)
def test_bad_json(tmp_path, content, words):
    path = tmp_path / "employees.json"
    path.write_bytes(content)
    problem = problem_of(read_employees, path)
    assert words in problem.message
    assert "orient='records'" in problem.message


def test_ragged_csv(tmp_path):
    path = tmp_path / "employees.csv"
    path.write_text("employee_id,name\nA,Ani\nB,Budi,extra,cells\n", "utf-8")
    problem = problem_of(read_employees, path)
    assert problem.code == "unreadable"
    assert "as many separators as the header" in problem.message


@pytest.mark.parametrize(("module", "suffix", "extra"), [("pyarrow", ".parquet", "parquet")])
def test_missing_optional_dependency(tmp_path, monkeypatch, module, suffix, extra):
    path = tmp_path / f"employees{suffix}"
    path.write_bytes(b"whatever")
    monkeypatch.setitem(sys.modules, module, None)  # makes "import module" fail
    problem = problem_of(read_employees, path)
    assert problem.code == "missing_dependency"
    assert f'pip install "asn_match[{extra}]"' in problem.message


def test_source_of_the_wrong_type():
    with pytest.raises(TypeError, match="'source' parameter of read_employees"):
        read_employees(42)
    with pytest.raises(ValueError, match="'source' parameter of read_positions"):
        read_positions(42)


def test_a_table_of_another_framework_is_read_again():
    employees = read_employees(employees_frame())
    assert read_employees(employees) is employees
    wider = CompetencyFramework.from_columns([*employees.codes, "teknis_statistik"])
    again = read_employees(employees, framework=wider)
    assert again.codes == wider.codes
    assert again.ids.tolist() == employees.ids.tolist()
    np.testing.assert_array_equal(again.levels[:, : len(employees.codes)], employees.levels)
    assert np.isnan(again.levels[:, -1]).all()
    assert again.info.equals(employees.info)


def test_read_table_keeps_cells_as_text(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("employee_id,level,note\n0012,3,NA\n", "utf-8")
    assert read_table(path).to_dict("records") == [
        {"employee_id": "0012", "level": "3", "note": "NA"}
    ]


# ---------------------------------------------------------------------------------------------
# Writing: formula injection, atomicity
# ---------------------------------------------------------------------------------------------
def risky_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "employee_id": [NIP, NIP_2, "E3", "E4", "E5", "E6", "E7"],
        "note": ["=HYPERLINK(\"x\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "-3", "plain"],
        "score": [-5.0, 1.5, 0.0, -0.25, 2.0, 3.0, None],
        "count": [-1, 2, 3, 4, 5, 6, 7],
    })  # fmt: skip


ESCAPED = ['\'=HYPERLINK("x")', "'+1+2", "'-2+3", "'@SUM(A1)", "'\tx", "-3", "plain"]


def test_csv_formulas_are_neutralised(tmp_path):
    frame = risky_frame()
    before = frame.copy(deep=True)
    path = write_table(frame, tmp_path / "out.csv")
    pd.testing.assert_frame_equal(frame, before)
    back = read_table(path)
    assert back["note"].tolist() == ESCAPED
    assert back["employee_id"].tolist()[:2] == [NIP, NIP_2]
    assert back["score"].tolist() == ["-5.0", "1.5", "0.0", "-0.25", "2.0", "3.0", ""]
    assert back["count"].tolist()[0] == "-1"
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_xlsx_formulas_are_neutralised(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    frame = risky_frame().rename(columns={"note": "=note"})
    path = write_table(frame, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet["B1"].value == "'=note"
    notes = [sheet.cell(row=r, column=2) for r in range(2, 9)]
    assert [c.value for c in notes] == ESCAPED
    assert all(c.data_type == "s" for c in notes)
    assert (sheet["C2"].value, sheet["C2"].data_type) == (-5, "n")
    assert (sheet["D2"].value, sheet["D2"].data_type) == (-1, "n")
    assert (sheet["A2"].value, sheet["A2"].data_type) == (NIP, "s")


def test_json_formulas_are_neutralised(tmp_path):
    frame = risky_frame().rename(columns={"note": "@note"})
    path = write_table(frame, tmp_path / "out.json")
    records = json.loads(path.read_text("utf-8"))
    assert [r["'@note"] for r in records] == ESCAPED
    assert [r["employee_id"] for r in records[:2]] == [NIP, NIP_2]
    assert [r["score"] for r in records] == [-5.0, 1.5, 0.0, -0.25, 2.0, 3.0, None]
    assert records[0]["count"] == -1


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_escape_formulas_false_writes_text_exactly(tmp_path, suffix):
    path = write_table(risky_frame(), tmp_path / f"out{suffix}", escape_formulas=False)
    assert read_table(path)["note"].tolist()[:5] == [
        '=HYPERLINK("x")',
        "+1+2",
        "-2+3",
        "@SUM(A1)",
        "\tx",
    ]


def test_parquet_is_not_escaped_unless_asked(tmp_path):
    pytest.importorskip("pyarrow")
    plain = write_table(risky_frame(), tmp_path / "plain.parquet")
    assert pd.read_parquet(plain)["note"].tolist()[0] == '=HYPERLINK("x")'
    escaped = write_table(risky_frame(), tmp_path / "escaped.parquet", escape_formulas=True)
    assert pd.read_parquet(escaped)["note"].tolist() == ESCAPED


def test_escape_formulas_must_be_a_bool(tmp_path):
    with pytest.raises(TypeError, match="escape_formulas.*True, False or None.*'yes'"):
        write_table(risky_frame(), tmp_path / "out.csv", escape_formulas="yes")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("suffix", "method"), [(".csv", "to_csv"), (".xlsx", "to_excel")])
@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_failed_write_leaves_nothing_behind(tmp_path, monkeypatch, suffix, method, error):
    def write_half_then_fail(self, path, *args, **kwargs):
        with open(path, "w") as handle:
            handle.write("employee_id\n1986")
        raise error

    monkeypatch.setattr(pd.DataFrame, method, write_half_then_fail)
    target = tmp_path / f"placement{suffix}"
    with pytest.raises(type(error)):
        write_table(risky_frame(), target)
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "placement.csv"
    write_table(pd.DataFrame({"employee_id": [NIP]}), target)
    old = target.read_bytes()

    def fail(self, path, *args, **kwargs):
        with open(path, "w") as handle:
            handle.write("partial")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail)
    with pytest.raises(OSError, match="disk full"):
        write_table(risky_frame(), target)
    assert target.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["placement.csv"]


def test_written_file_has_the_usual_permissions(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    path = write_table(pd.DataFrame({"a": [1]}), tmp_path / "out.csv")
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_unsupported_output_extension(tmp_path):
    with pytest.raises(ValueError, match=r"\.csv, \.xlsx, \.parquet, \.json\. Got '.*out\.txt'"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "out.txt")
    assert list(tmp_path.iterdir()) == []


def test_write_table_needs_a_dataframe(tmp_path):
    with pytest.raises(TypeError, match="'frame' parameter of write_table"):
        write_table([{"a": 1}], tmp_path / "out.csv")


def test_excel_dates_are_checked_against_the_nip_and_kept_as_dates(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["employee_id", "name", "unit", "rank", "education", "birth_date", "integritas"])
    sheet.append([NIP, "Ani", "B", "III/c", "S1", datetime.datetime(1986, 9, 26), 3])
    sheet.append([NIP_2, "Budi", "B", "III/c", "S1", datetime.datetime(1990, 2, 1), 3])
    sheet.append(["E3", "Cici", "B", "III/c", "S1", " 01/02/1990 ", 3])
    path = tmp_path / "employees.xlsx"
    workbook.save(path)
    with pytest.warns(DataQualityWarning):
        employees = read_employees(path)
    (problem,) = employees.warnings
    assert (problem.code, problem.row, problem.column) == ("nip_mismatch", 3, "birth_date")
    births = employees.protected["birth_date"].tolist()
    assert births[:2] == [datetime.datetime(1986, 9, 26), datetime.datetime(1990, 2, 1)]
    assert births[2] == "01/02/1990"


def test_formula_escaping_of_mixed_object_column(tmp_path):
    # Regression: a column mixing text, numbers and None (as in a placement table with unfilled
    # seats) made the formula check fail with "bad operand type for unary ~".
    frame = pd.DataFrame({"note": ["=1+1", None, 3, "-2", "@x", "ok"]})
    path = write_table(frame, tmp_path / "mixed.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [line.strip('"') for line in lines[1:]] == ["'=1+1", "", "3", "-2", "'@x", "ok"]
