"""Validation of employee and position tables: every problem reported, with row and column.

Problem cases go through CSV files and ``read_employees`` / ``read_positions``, the way analysts
meet them; the vectorized parsers are checked against naive per-cell references with Hypothesis.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_match.errors import DataQualityWarning, InputError, Problem
from asn_match.framework import CompetencyFramework
from asn_match.io import read_employees, read_pairs, read_positions
from asn_match.ordinals import PERFORMANCE_PREDICATES, RANKS
from asn_match.tables import Employees, Positions
from asn_match.validation import (
    build_employees,
    build_pairs,
    build_positions,
    normalize_header,
)

NIP_MALE = "198609262015051001"  # born 1986-09-26, male
NIP_FEMALE = "199001312014032007"  # born 1990-01-31, female
PPPK = "199104122021212001"  # a contract number: does not parse as a PNS NIP

EMPLOYEE_HEADER = "employee_id,name,unit,rank,education,performance,potential,training_hours"
POSITION_HEADER = "position_id,title,unit,class,seats,min_rank,min_education"


def employee_row(
    employee_id: str = NIP_MALE,
    *,
    rank: str = "III/c",
    education: str = "S1",
    performance: str = "85",
    potential: str = "70",
    training_hours: str = "20",
) -> str:
    return (
        f"{employee_id},Ani,Bappeda,{rank},{education},{performance},{potential},{training_hours}"
    )


def position_row(
    position_id: str = "P1",
    *,
    klass: str = "Administrator",
    seats: str = "1",
    min_rank: str = "III/d",
    min_education: str = "S1",
) -> str:
    return f"{position_id},Kepala Bidang,Bappeda,{klass},{seats},{min_rank},{min_education}"


def write(tmp_path, name: str, lines: list[str], *, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return str(path)


def employees_csv(tmp_path, rows: list[str], extra_header: str = ",integritas,kerja_sama") -> str:
    return write(tmp_path, "employees.csv", [EMPLOYEE_HEADER + extra_header, *rows])


def positions_csv(tmp_path, rows: list[str], extra_header: str = ",integritas,kerja_sama") -> str:
    return write(tmp_path, "positions.csv", [POSITION_HEADER + extra_header, *rows])


def problems_of(call, *args, **kwargs) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    return info.value.problems


def only(problems, code: str) -> list[Problem]:
    return [p for p in problems if p.code == code]


def assert_located(problem: Problem, *, row: int | None, column: str | None, source: str):
    """The problem's text names the file, the row and the column, as the CLI prints it."""
    text = str(problem)
    assert problem.source == source
    assert source in text
    assert problem.row == row
    assert problem.column == column
    if row is not None:
        assert f"row {row}" in text
    if column is not None:
        assert repr(column) in text


# ---------------------------------------------------------------------------------------------
# Valid input
# ---------------------------------------------------------------------------------------------
def test_valid_employees_are_parsed(tmp_path):
    path = employees_csv(
        tmp_path,
        [
            employee_row(NIP_MALE, performance="Sangat Baik", potential="tinggi") + ",3,4",
            employee_row("P-002", rank="iv a", education="D-IV", training_hours="") + ",5,",
            employee_row("  P-003 ", performance="", potential="") + ",,1",
        ],
    )
    employees = read_employees(path)
    assert isinstance(employees, Employees)
    assert employees.ids.tolist() == [NIP_MALE, "P-002", "P-003"]
    assert employees.rank.tolist() == [RANKS.index("III/c"), RANKS.index("IV/a"), 10]
    assert employees.education.tolist() == [6, 6, 6]
    np.testing.assert_array_equal(employees.performance, [95.0, 85.0, np.nan])
    np.testing.assert_array_equal(employees.potential, [90.0, 70.0, np.nan])
    np.testing.assert_array_equal(employees.training_hours, [20.0, np.nan, 20.0])
    integritas = employees.framework.index("integritas")
    kerja_sama = employees.framework.index("kerja_sama")
    np.testing.assert_array_equal(employees.levels[:, integritas], [3.0, 5.0, np.nan])
    np.testing.assert_array_equal(employees.levels[:, kerja_sama], [4.0, np.nan, 1.0])
    assert employees.current_position_id.tolist() == [None, None, None]
    assert list(employees.info.columns) == ["name", "unit"]
    assert employees.protected.shape == (3, 0)
    assert employees.source == path
    assert employees.warnings == ()
    assert not employees.levels.flags.writeable


def test_valid_positions_are_parsed(tmp_path):
    path = positions_csv(
        tmp_path,
        [
            position_row("P1", seats="2") + ",3,2,2,",
            position_row("P2", klass="", min_rank="", min_education="") + ",4,,,0",
        ],
        extra_header=",integritas,kerja_sama,integritas_weight,kerja_sama_weight",
    )
    positions = read_positions(path)
    assert isinstance(positions, Positions)
    assert positions.ids.tolist() == ["P1", "P2"]
    assert positions.seats.tolist() == [2, 1]
    assert positions.seats.dtype == np.int64
    assert positions.min_rank.tolist() == [RANKS.index("III/d"), -1]
    assert positions.min_education.tolist() == [6, -1]
    assert positions.position_class.tolist() == ["Administrator", None]
    i, k = positions.framework.index("integritas"), positions.framework.index("kerja_sama")
    np.testing.assert_array_equal(positions.standard[:, [i, k]], [[3, 2], [4, np.nan]])
    # Given weight; default 1; 0 where not required (even when a weight is given).
    np.testing.assert_array_equal(positions.weights[:, [i, k]], [[2, 1], [1, 0]])
    others = [j for j in range(len(positions.framework)) if j not in (i, k)]
    assert (positions.weights[:, others] == 0).all()
    assert np.isnan(positions.standard[:, others]).all()


def test_headers_are_matched_case_insensitively(tmp_path):
    header = " Employee ID ,NAME,Unit,Rank , EDUCATION,Integritas,Kerja Sama"
    path = write(tmp_path, "e.csv", [header, f"{NIP_MALE},Ani,Bappeda,III/c,S1,3,4"])
    employees = read_employees(path)
    assert employees.ids.tolist() == [NIP_MALE]
    assert employees.levels[0, employees.framework.index("kerja_sama")] == 4.0
    assert normalize_header("Min-Rank") == "min_rank"


def test_optional_merit_columns_may_be_absent(tmp_path):
    path = write(tmp_path, "e.csv", ["employee_id,name,unit,rank,education,integritas",
                                     f"{NIP_MALE},Ani,Bappeda,III/c,S1,3"])  # fmt: skip
    employees = read_employees(path)
    assert np.isnan(employees.performance).all()
    assert np.isnan(employees.potential).all()
    assert np.isnan(employees.training_hours).all()


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    path = employees_csv(
        tmp_path, [employee_row("A") + ",3,4", "", ",,,,,,,,,", employee_row("B") + ",9,4"]
    )
    problems = problems_of(read_employees, path)
    assert [(p.row, p.code) for p in problems] == [(5, "level_out_of_scale")]


def test_protected_attributes_go_only_to_protected(tmp_path):
    header = EMPLOYEE_HEADER + ",gender,religion,birth_date,age,integritas"
    path = write(tmp_path, "e.csv", [header, employee_row(NIP_MALE) + ",L,Islam,1986-09-26,40,3"])
    employees = read_employees(path)
    assert list(employees.protected.columns) == ["gender", "religion", "birth_date", "age"]
    assert employees.protected.iloc[0].tolist() == ["L", "Islam", "1986-09-26", "40"]
    assert not set(employees.protected.columns) & set(employees.info.columns)
    assert not set(employees.protected.columns) & set(employees.codes)
    assert employees.levels.shape == (1, len(employees.framework))


def test_info_columns_are_kept_as_text(tmp_path):
    path = employees_csv(
        tmp_path, [employee_row() + ",Kepala Seksi,3"], extra_header=",info_jabatan,integritas"
    )
    employees = read_employees(path)
    assert employees.info["info_jabatan"].tolist() == ["Kepala Seksi"]
    assert "info_jabatan" not in employees.codes


def test_current_position_ids_stay_text(tmp_path):
    path = employees_csv(
        tmp_path,
        [employee_row("A") + ",0012,3", employee_row("B") + ",,3"],
        extra_header=",current_position_id,integritas",
    )
    assert read_employees(path).current_position_id.tolist() == ["0012", None]


# ---------------------------------------------------------------------------------------------
# Problems, one test each
# ---------------------------------------------------------------------------------------------
def test_missing_required_column_names_found_columns_and_suggests(tmp_path):
    path = write(tmp_path, "e.csv", ["employee_id,name,unit,rnak,education,integritas",
                                     f"{NIP_MALE},Ani,Bappeda,III/c,S1,3"])  # fmt: skip
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "missing_column"
    assert_located(problem, row=None, column="rank", source=path)
    assert "did you mean 'rnak'" in problem.message
    assert "Columns found: employee_id, name, unit, rnak, education, integritas" in str(problem)


def test_missing_column_suggests_indonesian_header(tmp_path):
    header = "position_id,title,unit,class,formasi,min_rank,min_education,integritas"
    path = write(tmp_path, "p.csv", [header, "P1,Kabid,Bappeda,Administrator,1,III/d,S1,3"])
    (problem,) = problems_of(read_positions, path)
    assert_located(problem, row=None, column="seats", source=path)
    assert "did you mean 'formasi'" in problem.message


def test_misspelt_optional_column_is_reported(tmp_path):
    header = "employee_id,name,unit,rank,education,performence,integritas"
    path = write(tmp_path, "e.csv", [header, f"{NIP_MALE},Ani,Bappeda,III/c,S1,80,3"])
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "unknown_column"
    assert_located(problem, row=None, column="performence", source=path)
    assert "did you mean 'performance'" in problem.message


def test_duplicate_id_names_both_rows(tmp_path):
    path = employees_csv(
        tmp_path,
        [employee_row("A") + ",3,4", employee_row("B") + ",3,4", employee_row("A") + ",3,4"],
    )
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "duplicate_id"
    assert_located(problem, row=4, column="employee_id", source=path)
    assert "row 2" in problem.message
    assert problem.record_id == "A"


def test_empty_id(tmp_path):
    path = positions_csv(tmp_path, [position_row("P1") + ",3,", position_row("  ") + ",3,"])
    (problem,) = problems_of(read_positions, path)
    assert problem.code == "empty_id"
    assert_located(problem, row=3, column="position_id", source=path)


def test_id_shortened_by_excel_is_reported(tmp_path):
    path = employees_csv(tmp_path, [employee_row("1.98609E+17") + ",3,4"])
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "id_precision_lost"
    assert_located(problem, row=2, column="employee_id", source=path)
    assert "Text" in problem.message


@pytest.mark.parametrize(
    ("level", "code", "words"),
    [
        ("tiga", "invalid_level", "not a number"),
        ("6", "level_out_of_scale", "outside"),
        ("0", "level_out_of_scale", "outside"),
        ("2.5", "level_out_of_scale", "whole number"),
        ("inf", "invalid_level", "not a number"),
    ],
)
def test_bad_level(tmp_path, level, code, words):
    path = employees_csv(tmp_path, [employee_row("A") + ",3,4", employee_row("B") + f",3,{level}"])
    (problem,) = problems_of(read_employees, path)
    assert problem.code == code
    assert_located(problem, row=3, column="kerja_sama", source=path)
    assert words in problem.message
    assert problem.record_id == "B"
    assert "from 1 to 5" in problem.expected


@pytest.mark.parametrize(
    ("standard", "code"),
    [
        ("tinggi", "invalid_standard_level"),
        ("0", "standard_not_positive"),
        ("-1", "standard_not_positive"),
        ("7", "standard_level_out_of_scale"),
        ("3.5", "standard_level_out_of_scale"),
    ],
)
def test_bad_standard(tmp_path, standard, code):
    path = positions_csv(
        tmp_path, [position_row("P1") + ",3,", position_row("P2") + f",3,{standard}"]
    )
    (problem,) = problems_of(read_positions, path)
    assert problem.code == code
    assert_located(problem, row=3, column="kerja_sama", source=path)
    assert problem.record_id == "P2"


def test_misspelt_skj_competency_in_positions(tmp_path):
    path = positions_csv(
        tmp_path, [position_row() + ",3,2"], extra_header=",integritass,kerja_sama"
    )
    (problem,) = problems_of(read_positions, path)
    assert problem.code == "unknown_competency"
    assert_located(problem, row=None, column="integritass", source=path)
    assert "did you mean the SKJ competency 'integritas'" in problem.message


def test_unknown_competency_of_given_framework(tmp_path):
    framework = CompetencyFramework.skj(technical=["teknis_perencanaan"])
    path = positions_csv(
        tmp_path, [position_row() + ",3,2"], extra_header=",integritas,teknis_perencanan"
    )
    (problem,) = problems_of(read_positions, path, framework=framework)
    assert problem.code == "unknown_competency"
    assert_located(problem, row=None, column="teknis_perencanan", source=path)
    assert "did you mean 'teknis_perencanaan'" in problem.message


@pytest.mark.parametrize("seats", ["0", "-2", "two", "1.5", ""])
def test_seats_must_be_a_positive_integer(tmp_path, seats):
    path = positions_csv(tmp_path, [position_row("P1", seats=seats) + ",3,2"])
    (problem,) = problems_of(read_positions, path)
    assert problem.code == "invalid_seats"
    assert_located(problem, row=2, column="seats", source=path)


def test_unknown_rank_lists_valid_ranks(tmp_path):
    path = employees_csv(tmp_path, [employee_row(rank="III/z") + ",3,4"])
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "unknown_rank"
    assert_located(problem, row=2, column="rank", source=path)
    assert "'III/z'" in problem.message
    assert "I/a" in problem.expected and "IV/e" in problem.expected


def test_empty_rank_of_an_employee_is_a_problem(tmp_path):
    path = employees_csv(tmp_path, [employee_row(rank="") + ",3,4"])
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "unknown_rank"
    assert "empty" in problem.message


def test_unknown_education_lists_valid_levels(tmp_path):
    path = employees_csv(tmp_path, [employee_row(education="PhD") + ",3,4"])
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "unknown_education"
    assert_located(problem, row=2, column="education", source=path)
    assert "SMA" in problem.expected and "S3" in problem.expected


def test_unknown_minimums_of_a_position(tmp_path):
    path = positions_csv(tmp_path, [position_row(min_rank="V/a", min_education="S4") + ",3,"])
    problems = problems_of(read_positions, path)
    assert [p.code for p in problems] == ["unknown_rank", "unknown_education"]
    assert_located(problems[0], row=2, column="min_rank", source=path)
    assert_located(problems[1], row=2, column="min_education", source=path)


def test_unknown_position_class(tmp_path):
    path = positions_csv(tmp_path, [position_row(klass="Eselon III") + ",3,"])
    (problem,) = problems_of(read_positions, path)
    assert problem.code == "unknown_class"
    assert_located(problem, row=2, column="class", source=path)
    assert "Administrator" in problem.expected


@pytest.mark.parametrize(
    ("weight", "code"), [("-1", "negative_weight"), ("berat", "invalid_weight")]
)
def test_bad_weight(tmp_path, weight, code):
    path = positions_csv(
        tmp_path,
        [position_row() + f",3,2,{weight}"],
        extra_header=",integritas,kerja_sama,kerja_sama_weight",
    )
    (problem,) = problems_of(read_positions, path)
    assert problem.code == code
    assert_located(problem, row=2, column="kerja_sama_weight", source=path)


def test_all_zero_weights(tmp_path):
    path = positions_csv(
        tmp_path,
        [position_row("P1") + ",3,2,0,1", position_row("P2") + ",3,,0,"],
        extra_header=",integritas,kerja_sama,integritas_weight,kerja_sama_weight",
    )
    (problem,) = problems_of(read_positions, path)
    assert problem.code == "all_zero_weights"
    assert_located(problem, row=3, column=None, source=path)
    assert "all-zero weights" in str(problem)
    assert "integritas_weight" in problem.message


def test_position_without_required_competency(tmp_path):
    path = positions_csv(tmp_path, [position_row("P1") + ",3,", position_row("P2") + ",,"])
    (problem,) = problems_of(read_positions, path)
    assert problem.code == "no_required_competency"
    assert_located(problem, row=3, column=None, source=path)
    assert "integritas, kerja_sama" in problem.message


def test_weight_column_without_its_competency(tmp_path):
    path = positions_csv(
        tmp_path, [position_row() + ",3,2"], extra_header=",integritas,komunikasi_weight"
    )
    (problem,) = problems_of(read_positions, path)
    assert problem.code == "weight_without_competency"
    assert_located(problem, row=None, column="komunikasi_weight", source=path)
    assert "'komunikasi'" in problem.message


def test_employees_file_passed_as_positions(tmp_path):
    path = employees_csv(tmp_path, [employee_row() + ",3,4"])
    (problem,) = problems_of(read_positions, path)
    assert problem.code == "wrong_table"
    assert (
        "this looks like an employees file; pass it to read_employees"
        in problem.message.replace(" (it has 'employee_id' but no 'position_id')", "")
    )


def test_positions_file_passed_as_employees(tmp_path):
    path = positions_csv(tmp_path, [position_row() + ",3,"])
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "wrong_table"
    assert "looks like a positions file" in problem.message
    assert "pass it to read_positions" in problem.message


def test_header_only_file_has_no_records(tmp_path):
    path = write(tmp_path, "e.csv", [EMPLOYEE_HEADER + ",integritas"])
    problems = problems_of(read_employees, path)
    assert [p.code for p in problems] == ["no_records"]
    assert "no records" in str(problems[0])


def test_empty_file_has_no_records(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"")
    (problem,) = problems_of(read_positions, path)
    assert problem.code == "no_records"
    assert "no records" in str(problem)


def test_text_column_in_competency_place_names_the_fix(tmp_path):
    path = employees_csv(
        tmp_path,
        [employee_row("A") + ",Kepala,3", employee_row("B") + ",Staf,3"],
        extra_header=",jabatan,integritas",
    )
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "non_numeric_column"
    assert_located(problem, row=None, column="jabatan", source=path)
    assert "'info_jabatan'" in problem.message


def test_header_that_cannot_be_a_code(tmp_path):
    path = employees_csv(tmp_path, [employee_row() + ",1,3"], extra_header=",Nilai (%),integritas")
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "invalid_column_name"
    assert problem.column == "nilai_(%)"
    assert "info_nilai" in problem.message


def test_protected_attribute_under_another_name_is_an_error(tmp_path):
    # Coded 1/2 it would otherwise pass as a "competency" and reach scoring.
    path = employees_csv(
        tmp_path, [employee_row() + ",1,3"], extra_header=",jenis_kelamin,integritas"
    )
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "protected_alias"
    assert_located(problem, row=None, column="jenis_kelamin", source=path)
    assert "'gender'" in problem.message


def test_weight_column_in_employees_file(tmp_path):
    path = employees_csv(
        tmp_path, [employee_row() + ",1,3"], extra_header=",integritas_weight,integritas"
    )
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "unexpected_weight_column"
    assert problem.column == "integritas_weight"


def test_duplicate_column(tmp_path):
    path = employees_csv(tmp_path, [employee_row() + ",3,4"], extra_header=",integritas,Integritas")
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "duplicate_column"
    assert problem.column == "integritas"
    assert "column I" in problem.message and "column J" in problem.message


def test_header_missing_over_values(tmp_path):
    path = employees_csv(tmp_path, [employee_row() + ",3,4"], extra_header=",integritas,")
    (problem,) = problems_of(read_employees, path)
    assert problem.code == "empty_header"
    assert "column J" in problem.message


def test_trailing_empty_columns_are_ignored(tmp_path):
    path = employees_csv(tmp_path, [employee_row() + ",3,,"], extra_header=",integritas,,")
    assert read_employees(path).ids.tolist() == [NIP_MALE]


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("performance", "101", "invalid_performance"),
        ("performance", "luar biasa", "invalid_performance"),
        ("potential", "-5", "invalid_potential"),
        ("potential", "sedang", "invalid_potential"),
        ("training_hours", "-1", "invalid_training_hours"),
        ("training_hours", "dua puluh", "invalid_training_hours"),
    ],
)
def test_bad_merit_inputs(tmp_path, column, value, code):
    path = employees_csv(
        tmp_path, [employee_row("A") + ",3,4", employee_row("B", **{column: value}) + ",3,4"]
    )
    (problem,) = problems_of(read_employees, path)
    assert problem.code == code
    assert_located(problem, row=3, column=column, source=path)


def test_performance_predicates_are_case_insensitive(tmp_path):
    rows = [
        employee_row(f"E{i}", performance=p.upper()) + ",3,4"
        for i, p in enumerate(PERFORMANCE_PREDICATES)
    ]
    employees = read_employees(employees_csv(tmp_path, rows))
    assert employees.performance.tolist() == list(PERFORMANCE_PREDICATES.values())


def test_many_problems_are_reported_together(tmp_path):
    path = employees_csv(
        tmp_path,
        [
            employee_row("A") + ",3,4",
            employee_row("B") + ",3,x",
            employee_row("C", rank="III/q") + ",3,4",
            employee_row("D") + ",8,4",
        ],
    )
    problems = problems_of(read_employees, path)
    assert [(p.row, p.column, p.code) for p in problems] == [
        (4, "rank", "unknown_rank"),
        (5, "integritas", "level_out_of_scale"),
        (3, "kerja_sama", "invalid_level"),
    ]
    text = str(InputError(problems))
    assert text.startswith("3 problems in the input:")


def test_every_bad_row_of_a_large_table_is_reported():
    n = 2_000
    frame = pd.DataFrame({
        "employee_id": [f"E{i}" for i in range(n)], "name": "x", "unit": "u", "rank": "III/a",
        "education": "S1", "integritas": np.where(np.arange(n) % 100 == 7, 9, 3),
    })  # fmt: skip
    problems = problems_of(build_employees, frame)
    assert [p.row for p in problems] == [i + 2 for i in range(n) if i % 100 == 7]
    assert {p.source for p in problems} == {"<DataFrame>"}


# ---------------------------------------------------------------------------------------------
# Custom frameworks and scales
# ---------------------------------------------------------------------------------------------
def _custom_frame(levels) -> pd.DataFrame:
    return pd.DataFrame({
        "employee_id": [f"E{i}" for i in range(len(levels))], "name": "x", "unit": "u",
        "rank": "III/a", "education": "S1", "analysis": levels,
    })  # fmt: skip


def test_custom_scale_0_to_7():
    framework = CompetencyFramework.custom(["analysis", "writing"], minimum=0, maximum=7)
    employees = build_employees(_custom_frame([0, 7, None]), framework=framework)
    assert employees.framework is framework
    np.testing.assert_array_equal(employees.levels, [[0, np.nan], [7, np.nan], [np.nan, np.nan]])
    problems = problems_of(build_employees, _custom_frame([8, 3.5, 2]), framework=framework)
    assert [(p.row, p.code) for p in problems] == [
        (2, "level_out_of_scale"),
        (3, "level_out_of_scale"),
    ]
    assert "from 0 to 7" in problems[0].expected


def test_custom_scale_standard_zero_is_not_positive():
    framework = CompetencyFramework.custom(["analysis"], minimum=0, maximum=7)
    frame = pd.DataFrame({
        "position_id": ["P1", "P2"], "title": "t", "unit": "u", "class": None, "seats": 1,
        "min_rank": None, "min_education": None, "analysis": [0, 7],
    })  # fmt: skip
    (problem,) = problems_of(build_positions, frame, framework=framework)
    assert (problem.row, problem.code) == (2, "standard_not_positive")
    frame["analysis"] = [0.5, 7]
    continuous = CompetencyFramework.custom(["analysis"], minimum=0, maximum=7, integer=False)
    positions = build_positions(frame, framework=continuous)
    assert positions.standard[:, 0].tolist() == [0.5, 7.0]


def test_float_scale():
    framework = CompetencyFramework.custom(["analysis"], minimum=0, maximum=100, integer=False)
    employees = build_employees(_custom_frame([12.5, 99.9]), framework=framework)
    assert employees.levels[:, 0].tolist() == [12.5, 99.9]
    problems = problems_of(build_employees, _custom_frame([100.5, 50]), framework=framework)
    assert [(p.row, p.code) for p in problems] == [(2, "level_out_of_scale")]
    assert "a number from 0 to 100" in problems[0].expected


def test_framework_codes_absent_from_the_file_are_not_assessed():
    framework = CompetencyFramework.custom(["analysis", "writing"], minimum=0, maximum=7)
    employees = build_employees(_custom_frame([3]), framework=framework)
    assert employees.codes == ("analysis", "writing")
    assert np.isnan(employees.levels[0, 1])


def test_no_competency_columns():
    frame = _custom_frame([3]).drop(columns="analysis")
    (problem,) = problems_of(build_employees, frame)
    assert problem.code == "no_competencies"
    framework = CompetencyFramework.custom(["writing"])
    problems = problems_of(build_employees, _custom_frame([3]), framework=framework)
    assert [p.code for p in problems] == ["unknown_competency", "no_competencies"]
    assert "'writing'" not in problems[0].message and "writing" in problems[1].expected


def test_framework_must_be_a_framework():
    with pytest.raises(TypeError, match="'framework' parameter of build_employees"):
        build_employees(_custom_frame([3]), framework={"analysis": 1})


# ---------------------------------------------------------------------------------------------
# NIP data-quality warnings
# ---------------------------------------------------------------------------------------------
def _nip_frame(rows):
    ids, genders, births = zip(*rows, strict=True)
    return pd.DataFrame({
        "employee_id": ids, "name": "x", "unit": "u", "rank": "III/a", "education": "S1",
        "gender": genders, "birth_date": births, "integritas": 3,
    })  # fmt: skip


def test_nip_contradicting_birth_date_and_gender_warns_once():
    frame = _nip_frame([
        (NIP_MALE, "L", "1986-09-26"),  # consistent
        (NIP_FEMALE, "laki-laki", "31/01/1990"),  # gender contradicts
        ("198609262015051002", "Pria", "1986-09-27"),  # birth date contradicts
        (PPPK, "P", "2000-01-01"),  # not a PNS NIP: never checked
        ("E-5", "F", ""),
    ])  # fmt: skip
    with pytest.warns(DataQualityWarning) as record:
        employees = build_employees(frame)
    assert len(record) == 1
    found = record[0].message.problems
    assert found == employees.warnings
    assert [(p.row, p.column, p.code) for p in found] == [
        (3, "gender", "nip_mismatch"),
        (4, "birth_date", "nip_mismatch"),
    ]
    assert "1986-09-26" in found[1].message and "'1986-09-27'" in found[1].message
    assert found[0].record_id == NIP_FEMALE


@pytest.mark.parametrize("male", ["L", "laki-laki", "Laki Laki", "pria", "M", "male", "1", 1])
def test_gender_spellings_agree_with_a_male_nip(male):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        employees = build_employees(_nip_frame([(NIP_MALE, male, "1986-09-26")]))
    assert employees.warnings == ()


@pytest.mark.parametrize("female", ["P", "perempuan", "Wanita", "F", "female", "2"])
def test_gender_spellings_contradict_a_male_nip(female):
    with pytest.warns(DataQualityWarning):
        employees = build_employees(_nip_frame([(NIP_MALE, female, "1986-09-26")]))
    assert [p.column for p in employees.warnings] == ["gender"]


def test_nip_warnings_through_a_csv_file(tmp_path):
    path = employees_csv(
        tmp_path,
        [employee_row(NIP_MALE) + ",P,26-09-1986,3"],
        extra_header=",gender,birth_date,integritas",
    )
    with pytest.warns(DataQualityWarning, match="gender digit says male"):
        employees = read_employees(path)
    (problem,) = employees.warnings
    assert_located(problem, row=2, column="gender", source=path)


def test_warnings_can_be_kept_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        employees = build_employees(_nip_frame([(NIP_MALE, "P", "1986-09-26")]), warn=False)
    assert [p.code for p in employees.warnings] == ["nip_mismatch"]


# ---------------------------------------------------------------------------------------------
# DataFrames: never mutated, any dtypes
# ---------------------------------------------------------------------------------------------
def test_caller_frames_are_not_mutated():
    employees = pd.DataFrame({
        " Employee_ID": [198609262015051001, 198609262015051002], "name": [" Ani", "Budi "],
        "unit": "u", "rank": ["III/c", "iii c"], "education": ["S1", "D4"],
        "performance": ["baik", None], "integritas": [3, np.nan], "gender": ["L", "P"],
    })  # fmt: skip
    positions = pd.DataFrame({
        "position_id": ["P1"], "title": "t", "unit": "u", "class": "administrator", "seats": 2.0,
        "min_rank": None, "min_education": "s1", "integritas": ["3"], "integritas_weight": [None],
    })  # fmt: skip
    before = employees.copy(deep=True), positions.copy(deep=True)
    with pytest.warns(DataQualityWarning):  # the second NIP says male, the row says "P"
        built = build_employees(employees)
    build_positions(positions)
    pd.testing.assert_frame_equal(employees, before[0])
    pd.testing.assert_frame_equal(positions, before[1])
    assert built.ids.tolist() == ["198609262015051001", "198609262015051002"]
    assert built.info["name"].tolist() == ["Ani", "Budi"]


def test_numeric_id_columns_convert_exactly():
    ids = np.array([198609262015051001, 199001312014032007], dtype=np.int64)
    frame = _custom_frame([3, 4]).assign(employee_id=ids)
    assert build_employees(frame).ids.tolist() == ["198609262015051001", "199001312014032007"]
    nullable = frame.assign(employee_id=pd.array([198609262015051001, None], dtype="Int64"))
    (problem,) = problems_of(build_employees, nullable)
    assert (problem.code, problem.row) == ("empty_id", 3)


def test_float_ids_beyond_2_53_are_reported():
    frame = _custom_frame([3, 4]).assign(employee_id=[1.98609262015051e17, 12345.0])
    (problem,) = problems_of(build_employees, frame)
    assert (problem.code, problem.row) == ("id_precision_lost", 2)
    assert build_employees(frame.iloc[[1]]).ids.tolist() == ["12345"]


def test_object_column_mixing_text_and_number_ids():
    frame = _custom_frame([3, 4, 5]).assign(
        employee_id=pd.Series([198609262015051001, " P-2 ", 1.98609262015051e17], dtype=object)
    )
    (problem,) = problems_of(build_employees, frame)
    assert (problem.code, problem.row) == ("id_precision_lost", 4)
    ok = build_employees(frame.iloc[:2])
    assert ok.ids.tolist() == ["198609262015051001", "P-2"]


def test_frame_must_be_a_dataframe():
    with pytest.raises(TypeError, match="DataFrame"):
        build_employees({"employee_id": ["A"]})


# ---------------------------------------------------------------------------------------------
# Pairs
# ---------------------------------------------------------------------------------------------
def test_pairs_keep_ids_exact(tmp_path):
    path = write(tmp_path, "locks.csv", ["employee_id,position_id,note", f"{NIP_MALE},0012,x"])
    assert read_pairs(path, what="locks") == [(NIP_MALE, "0012")]


def test_pairs_problems(tmp_path):
    path = write(tmp_path, "locks.csv", ["employee_id,posisi", f"{NIP_MALE},P1"])
    (problem,) = problems_of(read_pairs, path, what="locks")
    assert problem.code == "missing_column"
    assert "the locks table needs a column 'position_id'" in problem.message
    frame = pd.DataFrame({"employee_id": ["A", None], "position_id": ["P1", "P2"]})
    (problem,) = problems_of(build_pairs, frame)
    assert (problem.code, problem.row, problem.column) == ("empty_id", 3, "employee_id")


# ---------------------------------------------------------------------------------------------
# Vectorized parsing against naive per-cell references
# ---------------------------------------------------------------------------------------------
_EMPTY = {"", "-", "na", "n/a", "nan", "null", "none"}


def naive_number(cell) -> float | None:
    """The reference parser: one cell at a time, in plain Python; None if not a finite number."""
    try:
        value = float(str(cell).strip())
    except ValueError:
        return None
    return value if value not in (float("inf"), float("-inf")) and value == value else None


def naive_level_problems(column, *, minimum=1, maximum=5) -> list[tuple[int | None, str]]:
    found = []
    for i, cell in enumerate(column):
        if cell is None or str(cell).strip().lower() in _EMPTY:
            continue
        value = naive_number(cell)
        if value is None:
            found.append((i + 2, "invalid_level"))
        elif value < minimum or value > maximum or value != round(value):
            found.append((i + 2, "level_out_of_scale"))
    numbers = [c for c in column if c is not None and naive_number(c) is not None]
    if len(found) >= 2 and not numbers:
        return [(None, "non_numeric_column")]  # only text: one problem for the whole column
    return found


cells = st.one_of(
    st.none(),
    st.integers(-2, 8).map(str),
    st.sampled_from(["", " ", "-", "NA", "2.0", " 3 ", "2.5", "x", "1e0", "inf", "5,0", "+4"]),
    st.floats(-1, 7, allow_nan=False).map(lambda x: f"{x:.2f}"),
)


@settings(deadline=None, max_examples=60)
@given(st.lists(cells, min_size=1, max_size=12))
def test_level_checks_match_a_naive_reference(column):
    n = len(column)
    frame = pd.DataFrame({
        "employee_id": [f"E{i}" for i in range(n)], "name": "x", "unit": "u", "rank": "III/a",
        "education": "S1", "integritas": 3, "teknis": pd.Series(column, dtype=object),
    })  # fmt: skip
    expected = naive_level_problems(column)
    try:
        employees = build_employees(frame)
    except InputError as err:
        assert [(p.row, p.code) for p in err.problems] == expected
        return
    assert expected == []
    k = employees.framework.index("teknis")
    for i, cell in enumerate(column):
        value = None if cell is None else naive_number(cell)
        if value is None:
            assert np.isnan(employees.levels[i, k])
        else:
            assert employees.levels[i, k] == value


@settings(deadline=None, max_examples=60)
@given(
    st.lists(st.integers(10**17, 10**18 - 1), min_size=1, max_size=8, unique=True),
    st.sampled_from(["str", "int64", "object"]),
)
def test_18_digit_ids_survive_any_column_type(numbers, kind):
    if kind == "str":
        column = pd.Series([str(x) for x in numbers], dtype=object)
    elif kind == "int64":
        column = pd.Series(numbers, dtype=np.int64)
    else:
        column = pd.Series(numbers, dtype=object)  # Python ints, as JSON and openpyxl give them
    frame = _custom_frame([3] * len(numbers)).assign(employee_id=column)
    assert build_employees(frame).ids.tolist() == [str(x) for x in numbers]
