"""The contract for HR systems: JSON Schemas, the versioned placement format, the JSON round trip.

A placement written with ``to_json`` and read with ``Placement.from_json`` must be the same
placement: every array it holds, every frame it shows (decision table, explanations, the
comparison with today), its summary, options and certificate. Documents validate against the
published schema; damaged or foreign documents are refused as :class:`asn_match.InputError`.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import asn_match as am
from asn_match.large import CandidatePlacement
from asn_match.rules import PROTECTED_ATTRIBUTES
from asn_match.schemas import FORMAT, VERSION, PlacementDocument
from strategies import workforces


@pytest.fixture(scope="module")
def workforce():
    employees_df, positions_df = am.datasets.synthetic_workforce(45, 9, seed=17)
    employees_df = employees_df.assign(religion="Islam", ethnicity="Jawa", marital_status="kawin")
    return employees_df, positions_df


@pytest.fixture(scope="module")
def dense(workforce):
    return am.score(*workforce)


def _no_nan_constants(text: str) -> dict:
    """The document parsed as strict JSON: NaN and Infinity are not JSON numbers."""

    def refuse(name):
        raise AssertionError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def assert_same_placement(a, b) -> None:
    """Equal in every array and frame a placement holds or shows."""
    assert type(a) is type(b)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    assert a.summary() == b.summary()
    assert a.options == b.options
    assert repr(a) == repr(b)
    np.testing.assert_array_equal(a.shadow_prices, b.shadow_prices)
    for name, value in vars(a).items():
        other = vars(b)[name]
        if isinstance(value, np.ndarray):
            assert value.dtype == other.dtype, name
            np.testing.assert_array_equal(value, other, err_msg=name)
        elif value is None:
            assert other is None, name
    if isinstance(a, CandidatePlacement):
        assert a.certificate == b.certificate
        return
    for field in a.solution.__dataclass_fields__:
        x, y = getattr(a.solution, field), getattr(b.solution, field)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype, field
            np.testing.assert_array_equal(x, y, err_msg=field)
        else:
            assert x == y, field
    for field in a.reasons.__dataclass_fields__:
        np.testing.assert_array_equal(getattr(a.reasons, field), getattr(b.reasons, field))
    for name in ("jpm", "composite", "eligible", "reasons", "category_code"):
        np.testing.assert_array_equal(getattr(a.scores, name), getattr(b.scores, name))
    pd.testing.assert_frame_equal(a.compare_current(), b.compare_current())
    pd.testing.assert_frame_equal(a.compare_current(by="unit"), b.compare_current(by="unit"))
    first = a.scores.employees.ids[0]
    why_a, why_b = a.explain(first), b.explain(first)
    pd.testing.assert_frame_equal(why_a.pop("alternatives"), why_b.pop("alternatives"))
    assert why_a == why_b or str(why_a) == str(why_b)


def _round_trip(placement):
    text = placement.to_json()
    _no_nan_constants(text)
    return am.Placement.from_json(text)


# ----------------------------------------------------------------------------- round trip

OPTIONS = {
    "default": {},
    "rules": {"min_category": "Masih Memenuhi Syarat", "incumbent_bonus": 2.5},
    "floor": {"min_score": 60},
    "fill_first": {"objective": "fill_first"},
    "bottleneck": {"objective": "bottleneck", "prefer_stay": False},
    "dense_method": {"method": "dense"},
    "max_moves": {"max_moves": 3},
    "key": {"tie_break_key": b"another key"},
}


@pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())
def test_placement_round_trip_is_lossless(dense, options):
    placement = am.assign(dense, **options)
    assert_same_placement(placement, _round_trip(placement))


def test_round_trip_keeps_locked_forbidden_and_seats(dense):
    e, p = dense.employees.ids, dense.positions.ids
    placement = am.assign(
        dense,
        locked=[(e[0], p[int(np.flatnonzero(dense.eligible[0])[0])])],
        forbidden=[(e[1], p[0]), e[2]],
        seats={p[1]: 3},
    )
    again = _round_trip(placement)
    assert_same_placement(placement, again)
    np.testing.assert_array_equal(again.forbidden, placement.forbidden)


def test_candidate_placement_round_trip_keeps_the_certificate(workforce):
    streamed = am.score(*workforce, dense=False, top_k=4)
    placement = am.assign(streamed, incumbent_bonus=1.0)
    again = am.Placement.from_json(placement.to_json())
    assert isinstance(again, CandidatePlacement)
    assert again.certificate == placement.certificate and again.certificate.optimal
    assert_same_placement(placement, again)


@settings(max_examples=5)
@given(workforce=workforces(min_employees=1, max_employees=15, min_positions=1, max_positions=5))
def test_round_trip_of_any_workforce(workforce):
    placement = am.assign(am.score(*workforce))
    assert_same_placement(placement, _round_trip(placement))


def test_document_holds_no_protected_attribute(workforce, dense):
    text = am.assign(dense).to_json()
    document = _no_nan_constants(text)
    for row in document["inputs"]["employees"]:
        assert not set(row) & set(PROTECTED_ATTRIBUTES)
    for attribute in PROTECTED_ATTRIBUTES:
        assert f'"{attribute}"' not in text
    assert '"Jawa"' not in text and '"kawin"' not in text


def test_document_is_versioned_and_readable(dense):
    placement = am.assign(dense)
    document = _no_nan_constants(placement.to_json())
    assert (
        (document["format"], document["version"]) == (FORMAT, VERSION) == ("asn_match.placement", 1)
    )
    assert document["kind"] == "placement"
    assert document["producer"] == am.__version__
    assert document["summary"] == json.loads(json.dumps(placement.summary()))
    frame = placement.to_frame()
    assert [row["employee_id"] for row in document["rows"]] == [
        None if pd.isna(v) else v for v in frame["employee_id"].astype(object)
    ]
    assert set(document["rows"][0]) == set(frame.columns)


def test_deprecated_to_json_with_a_path_still_writes_the_table(dense, tmp_path):
    placement = am.assign(dense)
    with pytest.warns(DeprecationWarning, match="to_json is deprecated"):
        path = placement.to_json(tmp_path / "placement.json")
    assert len(pd.read_json(path, dtype=False)) == len(placement.to_frame())


# ----------------------------------------------------------------------------- refusals


def _problem_codes(text) -> list[str]:
    with pytest.raises(am.InputError) as caught:
        am.Placement.from_json(text)
    return [p.code for p in caught.value.problems]


def test_refuses_what_is_not_a_placement_document(dense):
    document = json.loads(am.assign(dense).to_json())
    assert _problem_codes("{not json") == ["not_json"]
    assert _problem_codes(b"\xff\xfe\x00") == ["not_json"]
    assert _problem_codes("[1, 2]") == ["format"]
    assert _problem_codes(json.dumps({**document, "format": "other"})) == ["format"]
    assert _problem_codes(json.dumps({**document, "version": 2})) == ["version"]
    broken = {**document, "solution": {**document["solution"], "employee_position": "x"}}
    assert _problem_codes(json.dumps(broken)) == ["list_type"]
    missing = {k: v for k, v in document.items() if k != "solution"}
    assert _problem_codes(json.dumps(missing)) == ["value_error"]


def test_refuses_inputs_that_score_differently(dense):
    document = json.loads(am.assign(dense).to_json())
    row = document["inputs"]["employees"][0]
    level = next(code for code in dense.employees.codes if row.get(code) is not None)
    row[level] = 1.0 if row[level] != 1.0 else 2.0
    assert _problem_codes(json.dumps(document)) == ["scores_digest"]


# ----------------------------------------------------------------------------- schemas


def test_schemas_cover_inputs_configuration_and_result():
    found = am.schemas()
    assert sorted(found) == [
        "assign_options",
        "employee_record",
        "placement",
        "position_record",
        "scoring_config",
    ]
    assert found["placement"] == PlacementDocument.model_json_schema()
    assert found["scoring_config"] == am.ScoringConfig.model_json_schema()
    assert found["placement"]["properties"]["format"]["const"] == FORMAT
    json.dumps(found)  # every schema is plain JSON


def test_documents_and_records_validate_against_the_schemas(workforce, dense):
    jsonschema = pytest.importorskip("jsonschema")
    found = am.schemas()
    for schema in found.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    document = _no_nan_constants(am.assign(dense, min_score=50).to_json())
    jsonschema.validate(document, found["placement"])
    streamed = am.assign(am.score(*workforce, dense=False, top_k=3))
    jsonschema.validate(json.loads(streamed.to_json()), found["placement"])
    record = am.EmployeeRecord(
        employee_id="198609262015051001",
        rank="III/d",
        education="S1",
        levels={"integritas": 4},
        protected={"gender": "P"},
    )
    jsonschema.validate(record.model_dump(mode="json"), found["employee_record"])
    jsonschema.validate(am.ScoringConfig().model_dump(mode="json"), found["scoring_config"])
    bad = {**document, "version": 2}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, found["placement"])
