"""Issue 10: files that went through Excel, read without silent damage, and the API's rough edges.

Each test reproduces one observation of the issue on data built here (a synthetic workforce with
real NIPs), never on figures of the embedded demo data.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_match as am
from asn_match import cli
from asn_match.errors import DataQualityWarning, InputError, InvalidParameterError
from asn_match.io import read_employees, read_positions, read_table, write_table
from asn_match.nip import excel_rounded, parse_nip


@pytest.fixture(scope="module")
def workforce() -> tuple[pd.DataFrame, pd.DataFrame]:
    return am.datasets.synthetic_workforce(40, 8, seed=3)


def quality_warnings(record) -> list:
    return [
        p for w in record if issubclass(w.category, DataQualityWarning) for p in w.message.problems
    ]


# ---------------------------------------------------------------------------------------------
# Ids that survive Excel
# ---------------------------------------------------------------------------------------------
def test_excel_padded_nips_are_an_error_naming_rows_issue_10(workforce, tmp_path):
    employees, _ = workforce
    damaged = employees.copy()
    # Excel keeps 15 significant digits and pads zeros (its rounding may also change digit 15).
    damaged["employee_id"] = damaged["employee_id"].str[:15] + "000"
    path = tmp_path / "employees.csv"
    damaged.to_csv(path, index=False)
    with pytest.raises(InputError) as info:
        read_employees(path)
    rounded = [p for p in info.value.problems if p.code == "nip_excel_rounded"]
    assert [p.row for p in rounded] == list(range(2, len(employees) + 2))
    message = rounded[0].message
    assert "formatted as Text" in message and "nip_check=False" in message
    assert f"{len(employees)} of {len(employees)} ids end in 000" in message
    # The explicit opt-out, for agencies whose ids are not NIPs.
    table = read_employees(path, nip_check=False)
    assert table.ids.tolist() == damaged["employee_id"].tolist()


def test_excel_padded_nips_stored_as_numbers_in_a_workbook(workforce, tmp_path):
    employees, _ = workforce
    damaged = employees.copy()
    damaged["employee_id"] = (damaged["employee_id"].str[:15] + "000").astype(np.int64)
    path = tmp_path / "employees.xlsx"
    damaged.to_excel(path, index=False)
    with pytest.raises(InputError) as info:
        read_employees(path)
    codes = {p.code for p in info.value.problems}
    assert codes & {"nip_excel_rounded", "id_precision_lost"}
    assert len({p.row for p in info.value.problems}) == len(employees)


def test_seventeen_digit_and_prefixed_nips_warn_naming_rows_issue_10(workforce):
    employees, _ = workforce
    frame = employees.copy()
    frame.loc[2, "employee_id"] = frame.loc[2, "employee_id"][:17]
    frame.loc[5, "employee_id"] = "NIP " + frame.loc[5, "employee_id"]
    frame.loc[7, "employee_id"] = "NIP." + frame.loc[7, "employee_id"]
    with pytest.warns(DataQualityWarning) as record:
        table = read_employees(frame)
    problems = quality_warnings(record)
    by_code = {}
    for p in problems:
        by_code.setdefault(p.code, []).append(p.row)
    assert by_code["nip_length"] == [4]
    assert by_code["nip_prefixed"] == [7, 9]
    assert table.ids.tolist() == frame["employee_id"].tolist()  # read as given, not rewritten
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        read_employees(frame.drop(columns=["gender", "birth_date"]), nip_check=False)


def test_nip_check_must_be_a_bool(workforce):
    with pytest.raises(InvalidParameterError, match="'nip_check' parameter of read_employees"):
        read_employees(workforce[0], nip_check="no")


def test_unknown_current_position_warns_with_the_closest_ids_issue_10(workforce):
    employees, positions = workforce
    frame = employees.copy()
    holders = np.flatnonzero(frame["current_position_id"].notna().to_numpy())
    i = int(holders[0])
    real = frame.loc[i, "current_position_id"]
    frame.loc[i, "current_position_id"] = real + "X"
    with pytest.warns(DataQualityWarning) as record:
        scores = am.score(frame, positions)
    (problem,) = [p for p in quality_warnings(record) if p.code == "unknown_current_position"]
    assert problem.row == i + 2 and problem.record_id == frame.loc[i, "employee_id"]
    # The suggestions are difflib's closest position ids; the real id is among them.
    expected = difflib.get_close_matches(real + "X", positions["position_id"].tolist(), 3, 0.6)
    assert real in expected
    assert all(repr(p) in problem.message for p in expected)
    # Everyone else's reference resolves: no warning for them.
    assert len(scores.employees) == len(frame)


def test_valid_references_give_no_warning(workforce):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        am.score(*workforce)


# ---------------------------------------------------------------------------------------------
# File shapes: row numbers, title rows, other sheets, decimal commas
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("header", ["No", "No.", "Nomor"])
def test_row_number_column_is_ignored_with_a_warning_issue_10(workforce, header):
    employees, _ = workforce
    numbered = employees.copy()
    numbered.insert(0, header, np.arange(1, len(numbered) + 1))
    plain = read_employees(employees)
    with pytest.warns(DataQualityWarning, match="holds the row numbers 1 to") as record:
        table = read_employees(numbered)
    assert [p.code for p in quality_warnings(record)] == ["row_number_column"]
    assert table.codes == plain.codes
    np.testing.assert_array_equal(table.levels, plain.levels)


def test_row_number_column_of_a_large_file_gives_no_scale_errors():
    employees, positions = am.datasets.synthetic_workforce(300, 5, seed=1)
    for frame, reader in ((employees, read_employees), (positions, read_positions)):
        numbered = frame.copy()
        numbered.insert(0, "No", np.arange(1, len(frame) + 1))
        with pytest.warns(DataQualityWarning, match="row numbers"):
            table = reader(numbered)
        assert "no" not in table.codes


def write_with_title(frame: pd.DataFrame, path, title_rows: int) -> None:
    """A CSV as report generators write it: title lines, a blank line, then the table."""
    lines = ["Daftar Pegawai Kabupaten Contoh", "Per 31 Desember"][: title_rows - 1] + [""]
    path.write_text("\n".join(lines) + "\n" + frame.to_csv(index=False), "utf-8")


def test_title_rows_above_the_header_are_detected_issue_10(workforce, tmp_path):
    employees, _ = workforce
    path = tmp_path / "employees.csv"
    write_with_title(employees, path, title_rows=3)
    with pytest.warns(DataQualityWarning, match=r"the header is on row 4") as record:
        table = read_employees(path)
    assert any("header_row=4" in p.message for p in quality_warnings(record))
    plain = read_employees(employees)
    assert table.ids.tolist() == plain.ids.tolist()
    np.testing.assert_array_equal(table.levels, plain.levels)
    # Rows are numbered as the spreadsheet shows them: the first record is on row 5.
    assert table.rows[0] == 5
    # Said explicitly, there is nothing to warn about.
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        again = read_employees(path, header_row=4)
    assert again.ids.tolist() == plain.ids.tolist()


def test_problems_below_title_rows_name_the_real_row(workforce, tmp_path):
    employees, _ = workforce
    broken = employees.copy()
    broken.loc[3, "rank"] = "V/z"
    path = tmp_path / "employees.csv"
    write_with_title(broken, path, title_rows=3)
    with pytest.raises(InputError) as info, pytest.warns(DataQualityWarning):
        read_employees(path)
    (problem,) = info.value.problems
    assert problem.row == 3 + 5 and problem.column == "rank"


def test_title_rows_in_a_workbook(workforce, tmp_path):
    employees, _ = workforce
    path = tmp_path / "employees.xlsx"
    employees.to_excel(path, index=False, startrow=2)
    workbook = openpyxl.load_workbook(path)
    workbook.active["A1"] = "Daftar Pegawai"
    workbook.save(path)
    with pytest.warns(DataQualityWarning, match="the header is on row 3"):
        table = read_employees(path)
    assert table.ids.tolist() == employees["employee_id"].tolist()


@pytest.mark.parametrize("bad", [0, -1, 2.0, True])
def test_header_row_must_be_a_positive_int(workforce, tmp_path, bad):
    path = tmp_path / "employees.csv"
    workforce[0].to_csv(path, index=False)
    with pytest.raises(InvalidParameterError, match="'header_row' parameter of read_employees"):
        read_employees(path, header_row=bad)


def test_header_row_only_for_files_with_rows(workforce):
    with pytest.raises(InvalidParameterError, match="DataFrame, Parquet or JSON"):
        read_employees(workforce[0], header_row=1)


def two_sheet_workbook(frame: pd.DataFrame, path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"Keterangan": ["Data pegawai per 31 Desember"]}).to_excel(
            writer, sheet_name="Sampul", index=False
        )
        frame.to_excel(writer, sheet_name="Data", index=False)


def test_data_on_a_second_sheet_is_refused_naming_the_sheets_issue_10(workforce, tmp_path):
    employees, positions = workforce
    path = tmp_path / "employees.xlsx"
    two_sheet_workbook(employees, path)
    with pytest.raises(InputError) as info:
        read_employees(path)
    (problem,) = info.value.problems
    assert problem.code == "data_on_other_sheet"
    assert "sheets 'Sampul' and 'Data'" in problem.message
    assert "sheet='Data'" in problem.message and "--sheet" in problem.message
    assert read_employees(path, sheet="Data").ids.tolist() == employees["employee_id"].tolist()
    assert read_employees(path, sheet=1).ids.tolist() == employees["employee_id"].tolist()
    positions_path = tmp_path / "positions.xlsx"
    two_sheet_workbook(positions, positions_path)
    with pytest.raises(InputError, match="--positions-sheet 'Data'"):
        read_positions(positions_path)
    assert len(read_positions(positions_path, sheet="Data")) == len(positions)


def test_unknown_sheet_lists_the_sheets(workforce, tmp_path):
    path = tmp_path / "employees.xlsx"
    two_sheet_workbook(workforce[0], path)
    with pytest.raises(InputError, match=r"no sheet 'Pegawai'; it has 'Sampul' and 'Data'"):
        read_employees(path, sheet="Pegawai")


def test_sheet_only_for_workbooks(workforce, tmp_path):
    path = tmp_path / "employees.csv"
    workforce[0].to_csv(path, index=False)
    with pytest.raises(InvalidParameterError, match="'sheet' parameter of read_employees"):
        read_employees(path, sheet="Data")


def test_decimal_comma_in_a_comma_separated_file_says_so_issue_10(tmp_path):
    path = tmp_path / "employees.csv"
    path.write_text(
        "employee_id,name,unit,rank,education,potential,integritas\n"
        'E1,Ani,Bappeda,III/c,S1,"70,5","3,0"\n',
        "utf-8",
    )
    with pytest.raises(InputError) as info:
        read_employees(path, nip_check=False)
    messages = {p.column: p.message for p in info.value.problems}
    assert set(messages) == {"potential", "integritas"}
    for column, value in (("potential", "70.5"), ("integritas", "3.0")):
        assert "looks like a decimal comma" in messages[column]
        assert repr(value) in messages[column] and "semicolons" in messages[column]
    # Unquoted, the comma splits the cell: the parse error says why.
    path.write_text(
        "employee_id,name,unit,rank,education,integritas\nE1,A,B,III/c,S1,3,0\n", "utf-8"
    )
    with pytest.raises(InputError, match="decimal comma"):
        read_employees(path)


# ---------------------------------------------------------------------------------------------
# Excel round trips
# ---------------------------------------------------------------------------------------------
def test_xlsx_round_trip_stores_nips_as_text(workforce, tmp_path):
    employees, _ = workforce
    path = write_table(employees, tmp_path / "employees.xlsx")
    sheet = openpyxl.load_workbook(path).active
    ids = [cell for cell in next(sheet.iter_cols(min_row=2, max_col=1))]
    assert all(cell.data_type == "s" for cell in ids)
    assert [cell.value for cell in ids] == employees["employee_id"].tolist()
    table = read_employees(path)
    assert table.ids.tolist() == employees["employee_id"].tolist()
    np.testing.assert_array_equal(table.levels, read_employees(employees).levels)


def test_excel_id_csv_dialect(workforce, tmp_path):
    employees, _ = workforce
    frame = employees.assign(current_position_id=employees["current_position_id"])
    frame.loc[0, "current_position_id"] = "0012"
    path = write_table(frame, tmp_path / "employees.csv", csv_dialect="excel-id")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads it as UTF-8
    header, first = raw.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("employee_id;name;")
    cells = first.split(";")
    # Every digit id as ="...", which Excel shows as that exact text.
    assert cells[0] == f'"=""{employees.loc[0, "employee_id"]}"""'
    assert '"=""0012"""' in cells
    potential = str(employees.loc[0, "potential"]).replace(".", ",")
    assert potential in cells  # decimal comma
    # The readers take it back exactly.
    table = read_employees(path)
    plain = read_employees(frame)
    assert table.ids.tolist() == plain.ids.tolist()
    assert table.current_position_id.tolist() == plain.current_position_id.tolist()
    np.testing.assert_allclose(table.potential, plain.potential)
    np.testing.assert_array_equal(table.levels, plain.levels)


def test_csv_dialect_must_be_known(workforce, tmp_path):
    with pytest.raises(InvalidParameterError, match="'csv_dialect' parameter of write_table"):
        write_table(workforce[0], tmp_path / "e.csv", csv_dialect="excel")


def test_cli_excel_writes_the_excel_dialect(workforce, tmp_path):
    employees, positions = workforce
    inputs = [tmp_path / "employees.csv", tmp_path / "positions.csv"]
    employees.to_csv(inputs[0], index=False)
    positions.to_csv(inputs[1], index=False)
    out = tmp_path / "placement.csv"
    args = ["match", *map(str, inputs), "-o", str(out)]
    assert cli.main([*args, "--excel"]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    excel = read_table(out)
    assert excel.columns[0] == "employee_id"
    ids = excel["employee_id"][excel["employee_id"] != ""]
    assert ids.str.fullmatch(r'="\d{18}"').all()
    plain_out = tmp_path / "plain.csv"
    assert cli.main([*args[:-1], str(plain_out)]) == 0
    plain = pd.read_csv(plain_out, dtype=str)
    unwrapped = excel["employee_id"].str.replace(r'^="(.*)"$', r"\1", regex=True)
    assert unwrapped.fillna("").tolist() == plain["employee_id"].fillna("").tolist()


# ---------------------------------------------------------------------------------------------
# The command line: --problems, --sheet, --no-nip-check, example --force
# ---------------------------------------------------------------------------------------------
def test_cli_problems_file_holds_every_problem_issue_10(workforce, tmp_path, capsys):
    employees, positions = am.datasets.synthetic_workforce(70, 5, seed=2)
    damaged = employees.assign(employee_id=employees["employee_id"].str[:15] + "000")
    inputs = [tmp_path / "employees.csv", tmp_path / "positions.csv"]
    damaged.to_csv(inputs[0], index=False)
    positions.to_csv(inputs[1], index=False)
    with pytest.raises(InputError) as info:
        read_employees(inputs[0])
    n = len(info.value.problems)
    assert n > InputError.max_shown  # the terminal shows only part of them
    out = tmp_path / "placement.csv"
    args = ["match", *map(str, inputs), "-o", str(out)]
    assert cli.main(args) == 2
    assert "--problems FILE writes them all" in capsys.readouterr().err
    problems = tmp_path / "problems.csv"
    assert cli.main([*args, "--problems", str(problems)]) == 2
    err = capsys.readouterr().err
    assert f"all {n} problems written to" in err and "see the .problems attribute" not in err
    table = pd.read_csv(problems, dtype=str)
    assert table.columns[:5].tolist() == ["file", "row", "column", "id", "message"]
    assert len(table) == n
    assert table["id"].tolist() == [p.record_id for p in info.value.problems]
    assert not out.exists()
    # The opt-out for ids that are not NIPs runs the job.
    assert cli.main([*args, "--no-nip-check"]) == 0
    assert out.exists()


def test_cli_sheet_options(workforce, tmp_path, capsys):
    employees, positions = workforce
    inputs = [tmp_path / "employees.xlsx", tmp_path / "positions.xlsx"]
    two_sheet_workbook(employees, inputs[0])
    two_sheet_workbook(positions, inputs[1])
    out = tmp_path / "placement.csv"
    args = ["match", *map(str, inputs), "-o", str(out)]
    assert cli.main(args) == 2
    assert "--sheet 'Data'" in capsys.readouterr().err
    assert cli.main([*args, "--sheet", "Data", "--positions-sheet", "Data"]) == 0


def test_cli_example_refuses_to_overwrite_without_force_issue_10(tmp_path, capsys):
    assert cli.main(["example", str(tmp_path)]) == 0
    employees = tmp_path / "employees.csv"
    employees.write_text("my own work\n", "utf-8")
    assert cli.main(["example", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--force" in err and "employees.csv" in err
    assert employees.read_text("utf-8") == "my own work\n"
    assert cli.main(["example", str(tmp_path), "--force"]) == 0
    assert employees.read_text("utf-8") != "my own work\n"


def test_cli_export_into_a_missing_folder_exits_2(workforce, tmp_path, capsys):
    employees, positions = workforce
    inputs = [tmp_path / "employees.csv", tmp_path / "positions.csv"]
    employees.to_csv(inputs[0], index=False)
    positions.to_csv(inputs[1], index=False)
    missing = tmp_path / "missing"
    args = ["match", *map(str, inputs), "-o", str(tmp_path / "out.csv")]
    assert cli.main([*args, "--problems", str(missing / "p.csv")]) == 0  # valid: nothing to write
    assert cli.main(["match", *map(str, inputs), "-o", str(missing / "out.csv")]) == 2
    assert str(missing) in capsys.readouterr().err
    assert not missing.exists()


# ---------------------------------------------------------------------------------------------
# API rough edges
# ---------------------------------------------------------------------------------------------
def test_score_of_a_list_of_numbers_is_a_clear_error_issue_10(workforce):
    positions = read_positions(workforce[1])
    with pytest.raises(InputError) as info:
        am.score([1, 2, 3], positions)
    assert [p.row for p in info.value.problems] == [2, 3, 4]
    assert all(p.code == "not_a_record" for p in info.value.problems)
    assert "is not a record" in info.value.problems[0].message


def test_assign_of_a_dataframe_says_to_score_first_issue_10(workforce):
    with pytest.raises(InvalidParameterError) as info:
        am.assign(workforce[0])
    message = str(info.value)
    assert "score(employees, positions)" in message and "DataFrame" in message
    assert "streamed" not in message and len(message) < 300


def test_write_into_a_missing_folder_names_the_folder_issue_10(workforce, tmp_path):
    missing = tmp_path / "missing"
    with pytest.raises(InvalidParameterError, match=re.escape(repr(str(missing)))):
        write_table(workforce[0], missing / "out.csv")
    placement = am.assign(am.score(*workforce))
    with pytest.raises(InvalidParameterError, match="does not exist; create it first"):
        placement.export(missing / "placement.xlsx")
    assert not missing.exists() and list(tmp_path.iterdir()) == []


def test_min_category_spellings_are_one_parser_issue_10(workforce):
    scores = am.score(*workforce)
    labels = scores.config.category_labels
    expected = am.assign(scores, min_category=labels[1]).to_frame()
    for spelling in (1, "1", labels[1].upper(), f"  {labels[1].lower()} "):
        pd.testing.assert_frame_equal(am.assign(scores, min_category=spelling).to_frame(), expected)
    for bad in (3, "Baik", True, 1.0):
        with pytest.raises(InvalidParameterError, match="'min_category' parameter of assign"):
            am.assign(scores, min_category=bad)


def test_records_are_checked_in_one_pass_with_one_wording_issue_10(workforce):
    employees, _ = workforce
    records = employees.drop(columns=["gender", "religion", "birth_date"]).head(4)
    records = records.astype(object).where(records.notna(), None).to_dict("records")
    records[1] = {**records[1], "rank": "V/z"}
    records[3] = {**records[3], "employee_id": records[0]["employee_id"]}  # a repeated id
    with pytest.raises(InputError) as info:
        read_employees(records)
    problems = info.value.problems
    assert {(p.row, p.column) for p in problems} == {(3, "rank"), (5, "employee_id")}
    assert all(str(p).startswith(f"<records>, row {p.row}") for p in problems)
    assert not any(re.search(r"\brecord \d", p.message) for p in problems)


def test_nested_record_errors_and_table_errors_come_together():
    good = {
        "employee_id": "E1",
        "rank": "III/c",
        "education": "S1",
        "levels": {"integritas": 3},
    }
    records = [good, {**good, "rank": "V/z"}, {**good, "levels": {"integritas": 9}}]
    with pytest.raises(InputError) as info:
        read_employees(records, nip_check=False)
    found = {(p.row, p.column, p.code) for p in info.value.problems}
    assert (3, "rank", "value_error") in found
    assert (3, "employee_id", "duplicate_id") in found and (
        4,
        "employee_id",
        "duplicate_id",
    ) in found
    assert any(p.row == 4 and p.column == "integritas" for p in info.value.problems)


def test_parse_nip_and_the_padding_check_agree_on_real_ids(workforce):
    ids = workforce[0]["employee_id"].to_numpy(dtype=str)
    assert parse_nip(ids).valid.all()
    assert not excel_rounded(ids).any()
    assert excel_rounded(np.char.add(np.char.ljust(ids, 15).astype("U15"), "000")).all()


def naive_id_codes(nip: str | None) -> str | None:
    """One id at a time: the NIP shape code the reader gives it (None: nothing to say)."""
    if nip is None:
        return None
    s = nip.replace(" ", "")
    if len(s) == 18 and s.isdigit() and s.endswith("000") and parse_nip([s[:15] + "001"]).valid[0]:
        return "nip_excel_rounded"
    if s.isdigit() and len(s) in (17, 19):
        return "nip_length"
    if not s.isdigit():
        runs = re.findall(r"(?<!\d)\d{18}(?!\d)", s)
        if runs and parse_nip([runs[0]]).valid[0]:
            return "nip_prefixed"
    return None


nip_like = st.builds(
    lambda b, a, g, s: f"{b:%Y%m%d}{a[0]:04d}{a[1]:02d}{g}{s:03d}",
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2000, 12, 31)),
    st.tuples(st.integers(1970, 2024), st.integers(1, 12)),
    st.integers(1, 2),
    st.integers(0, 999),
)
id_text = st.one_of(
    nip_like,
    nip_like.map(lambda s: s[:15] + "000"),
    nip_like.map(lambda s: s[:17]),
    nip_like.map(lambda s: "NIP " + s),
    nip_like.map(lambda s: s + "-x"),
    st.text(alphabet="0123456789 ", min_size=15, max_size=21),
    st.text(max_size=25),
    st.none(),
)


@settings(deadline=None, max_examples=200)
@given(st.lists(id_text, min_size=1, max_size=25))
def test_id_shape_checks_match_a_naive_reference(ids):
    from asn_match.validation._employees import _id_shape_problems

    ids = [None if i is None or not i.strip() else i.strip() for i in ids]
    array = np.array(ids, dtype=object)
    errors, warned = _id_shape_problems(array, np.arange(len(ids)) + 2, "<test>")
    got = {p.row - 2: p.code for p in [*errors, *warned]}
    expected = {i: naive_id_codes(s) for i, s in enumerate(ids) if naive_id_codes(s)}
    assert got == expected
