from dataclasses import fields

import numpy as np
import pandas as pd
import pytest

import asn_match as am
from asn_match.tables import RecordTable
from asn_match.validation import EMPLOYEE_COLUMNS, POSITION_COLUMNS


@pytest.fixture(scope="module")
def tables():
    employees_df, positions_df = am.datasets.synthetic_workforce(40, 8, seed=3)
    return am.read_employees(employees_df), am.read_positions(positions_df)


def test_arrays_are_read_only(tables):
    employees, positions = tables
    with pytest.raises(ValueError, match="read-only"):
        employees.levels[0, 0] = 5
    with pytest.raises(ValueError, match="read-only"):
        positions.seats[0] = 9


def test_take_selects_rows_of_every_field(tables):
    employees, positions = tables
    idx = [5, 0, 7]
    sub = employees.take(idx)
    assert sub.ids.tolist() == employees.ids[idx].tolist()
    np.testing.assert_array_equal(sub.levels, employees.levels[idx])
    np.testing.assert_array_equal(sub.rank, employees.rank[idx])
    assert sub.info["name"].tolist() == employees.info["name"].iloc[idx].tolist()
    assert sub.protected["gender"].tolist() == employees.protected["gender"].iloc[idx].tolist()
    psub = positions.take([2, 1])
    np.testing.assert_array_equal(psub.standard, positions.standard[[2, 1]])
    assert psub.info["title"].tolist() == positions.info["title"].iloc[[2, 1]].tolist()


def test_protected_attributes_stay_out_of_info_and_arrays(tables):
    employees, _ = tables
    assert set(employees.protected.columns) >= {"gender", "religion", "birth_date"}
    assert not set(employees.protected.columns) & set(employees.info.columns)
    assert not set(employees.protected.columns) & set(employees.codes)
    assert "gender" not in employees.to_frame().columns
    assert "gender" in employees.to_frame(include_protected=True).columns


def test_to_frame_reads_back_to_equal_tables(tables):
    employees, positions = tables
    again = am.read_employees(employees.to_frame(include_protected=True))
    assert again.ids.tolist() == employees.ids.tolist()
    np.testing.assert_array_equal(again.levels, employees.levels)
    np.testing.assert_array_equal(again.education, employees.education)
    pos_again = am.read_positions(positions.to_frame())
    np.testing.assert_array_equal(pos_again.standard, positions.standard)
    np.testing.assert_array_equal(pos_again.weights, positions.weights)
    np.testing.assert_array_equal(pos_again.seats, positions.seats)


def test_repr_and_required(tables):
    employees, positions = tables
    assert repr(employees).startswith("<Employees: 40 employees")
    assert f"({int(positions.seats.sum())} seats)" in repr(positions)
    np.testing.assert_array_equal(positions.required, ~np.isnan(positions.standard))


def test_to_frame_gives_the_input_schema_back(tables):
    employees, positions = tables
    employees_df, positions_df = am.datasets.synthetic_workforce(40, 8, seed=3)
    frame = employees.to_frame()
    assert list(frame.columns) == [*EMPLOYEE_COLUMNS, *employees.codes]
    for column in ("employee_id", "name", "unit", "rank", "education"):
        assert frame[column].tolist() == employees_df[column].tolist(), column
    np.testing.assert_array_equal(frame[list(employees.codes)].to_numpy(), employees.levels)
    frame = positions.to_frame()
    weights = [f"{code}_weight" for code in positions.codes]
    assert list(frame.columns) == [*POSITION_COLUMNS, *positions.codes, *weights]
    for column in ("position_id", "title", "class", "seats", "min_rank", "min_education"):
        assert frame[column].tolist() == positions_df[column].tolist(), column
    np.testing.assert_array_equal(frame[weights].to_numpy(), positions.weights)


def test_every_table_field_is_per_record_and_read_only(tables):
    # take() and freezing rely on this: each array or frame field has one entry per record.
    for table in tables:
        assert isinstance(table, RecordTable)
        for f in fields(table):
            value = getattr(table, f.name)
            if isinstance(value, (np.ndarray, pd.DataFrame)):
                assert len(value) == len(table), f.name
            if isinstance(value, np.ndarray):
                assert not value.flags.writeable, f.name
