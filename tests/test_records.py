import json

import numpy as np
import pytest
from pydantic import ValidationError

import asn_match as am
from asn_match.records import EmployeeRecord, PositionRecord, records_frame

EMPLOYEE = {
    "employee_id": "198609262015051001",
    "name": "Siti Rahayu",
    "unit": "Bappeda",
    "rank": "III/d",
    "education": "S1",
    "performance": "baik",
    "potential": 70,
    "training_hours": 24,
    "levels": {"integritas": 4, "komunikasi": 3},
    "protected": {"gender": "L", "birth_date": "1986-09-26"},
}
POSITION = {
    "position_id": "TGL-001",
    "title": "Kepala Bidang",
    "unit": "Bappeda",
    "class": "Administrator",
    "min_rank": "III/c",
    "min_education": "S1",
    "standard": {"integritas": 3, "komunikasi": 3},
    "weights": {"integritas": 2},
}


def test_records_read_into_tables_and_score():
    second = {**EMPLOYEE, "employee_id": "2", "levels": {"integritas": 2, "komunikasi": 3},
              "protected": {}}  # fmt: skip
    employees = am.read_employees([EMPLOYEE, second])
    positions = am.read_positions([PositionRecord.model_validate(POSITION)])
    assert employees.ids.tolist() == ["198609262015051001", "2"]
    weights = dict(zip(positions.codes, positions.weights[0].tolist(), strict=True))
    assert (weights["integritas"], weights["komunikasi"], weights["kerja_sama"]) == (2.0, 1.0, 0.0)
    assert employees.protected["gender"].iloc[0] == "L"
    scores = am.score(employees, positions)
    # Capped weighted JPM against standards 3 and 3 with weights 2 and 1: the first employee
    # meets both; the second has 2 of 3 in the heavier one, so (2 * 2 + 1 * 3) / (2 * 3 + 1 * 3).
    np.testing.assert_allclose(scores.jpm, [[100.0], [100.0 * 7 / 9]])


def test_record_json_round_trip_and_schema():
    record = EmployeeRecord.model_validate(EMPLOYEE)
    assert EmployeeRecord.model_validate_json(record.model_dump_json()) == record
    schema = PositionRecord.model_json_schema(by_alias=True)
    assert "class" in schema["properties"]
    json.dumps(schema)


@pytest.mark.parametrize(
    "field, value, fragment",
    [
        ("rank", "V/z", "unknown rank"),
        ("education", "MBA", "unknown education"),
        ("performance", "luar biasa", "unknown performance"),
        ("potential", 120, "between 0 and 100"),
        ("training_hours", -1, "greater than or equal to 0"),
        ("employee_id", "  ", "at least 1 character"),
        ("protected", {"hobby": "x"}, "unknown protected attributes"),
    ],
)
def test_employee_record_validation(field, value, fragment):
    with pytest.raises(ValidationError, match=fragment):
        EmployeeRecord.model_validate({**EMPLOYEE, field: value})


@pytest.mark.parametrize(
    "field, value, fragment",
    [
        ("class", "Eselon", "unknown position class"),
        ("seats", 0, "greater than or equal to 1"),
        ("standard", {}, "at least one required competency"),
        ("weights", {"integritas": -1}, "greater than or equal to 0"),
        ("min_rank", "III/z", "unknown rank"),
    ],
)
def test_position_record_validation(field, value, fragment):
    with pytest.raises(ValidationError, match=fragment):
        PositionRecord.model_validate({**POSITION, field: value})


def test_every_bad_record_reported_at_once():
    bad = [
        EMPLOYEE,
        {**EMPLOYEE, "rank": "V/z"},
        {**EMPLOYEE, "education": "MBA", "potential": 500},
    ]
    with pytest.raises(am.InputError) as info:
        am.read_employees(bad)
    rows_columns = {(p.row, p.column) for p in info.value.problems}
    # One pass (issue 10): the table checks run too, so the repeated id is reported with them.
    assert rows_columns == {
        (3, "rank"),
        (4, "education"),
        (4, "potential"),
        (3, "employee_id"),
        (4, "employee_id"),
    }
    assert not any("record" in p.message for p in info.value.problems)


def test_mixed_records_rejected():
    with pytest.raises(TypeError, match="all be employees or all be positions"):
        records_frame([EMPLOYEE, POSITION])


def test_records_are_not_mutated():
    original = json.loads(json.dumps(EMPLOYEE))
    am.read_employees([EMPLOYEE])
    assert EMPLOYEE == original
