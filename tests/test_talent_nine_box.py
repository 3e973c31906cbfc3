"""9-box: every band boundary under both cut-off policies, against a naive reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import asn_match as am
from asn_match.talent import NineBoxPolicy, nine_box, nine_box_counts

# DOMAIN.md's table, written out: (performance band, potential band) -> box
DOMAIN_BOXES = {
    ("below", "low"): 1,
    ("meets", "low"): 2,
    ("below", "medium"): 3,
    ("above", "low"): 4,
    ("meets", "medium"): 5,
    ("below", "high"): 6,
    ("above", "medium"): 7,
    ("meets", "high"): 8,
    ("above", "high"): 9,
}


def naive_band(value: float, cuts: tuple[float, float], names: tuple[str, str, str]) -> str:
    low, high = cuts
    if value < low:
        return names[0]
    if value < high:
        return names[1]
    return names[2]


def employees_frame(performance, potential, units=None) -> pd.DataFrame:
    n = len(performance)
    return pd.DataFrame(
        {
            "employee_id": [f"E{i:04d}" for i in range(n)],
            "name": [f"Person {i}" for i in range(n)],
            "unit": units if units is not None else ["Bappeda"] * n,
            "rank": ["III/c"] * n,
            "education": ["S1"] * n,
            "performance": performance,
            "potential": potential,
            "integritas": [3] * n,
        }
    )


@pytest.mark.parametrize("cuts", [(60.0, 80.0), (70.0, 90.0)])
def test_every_box_boundary_matches_the_domain_table(cuts):
    low, high = cuts
    # each side of each cut-off, the cut-offs themselves, and the ends of the scale
    values = [0.0, low - 0.01, low, high - 0.01, high, 100.0]
    perf, pot = np.meshgrid(values, values, indexing="ij")
    frame = employees_frame(perf.ravel(), pot.ravel())
    policy = NineBoxPolicy(performance_cuts=cuts, potential_cuts=cuts)
    boxes = nine_box(frame, policy=policy)
    for row, p, q in zip(boxes.itertuples(), perf.ravel(), pot.ravel(), strict=True):
        perf_band = naive_band(p, cuts, ("below", "meets", "above"))
        pot_band = naive_band(q, cuts, ("low", "medium", "high"))
        assert (row.performance_band, row.potential_band) == (perf_band, pot_band)
        assert row.box == DOMAIN_BOXES[perf_band, pot_band]
        assert row.action == policy.action(row.box)
    assert set(boxes["box"]) == set(range(1, 10))


def test_default_cuts_are_60_80_and_actions_follow_domain():
    policy = NineBoxPolicy()
    assert policy.performance_cuts == (60.0, 80.0) and policy.potential_cuts == (60.0, 80.0)
    assert policy.action(1).startswith("handle under the discipline")
    assert policy.action(9).startswith("promote and retain")
    assert policy.label(5) == "Kinerja sesuai ekspektasi, potensial menengah"


def test_axes_have_their_own_cuts():
    frame = employees_frame([75.0], [75.0])
    boxes = nine_box(frame, policy={"performance_cuts": (50, 70), "potential_cuts": (80, 90)})
    assert boxes.loc[0, "performance_band"] == "above"
    assert boxes.loc[0, "potential_band"] == "low"
    assert boxes.loc[0, "box"] == 4


@given(
    st.lists(st.floats(0, 100), min_size=1, max_size=20),
    st.lists(st.floats(0, 100), min_size=20, max_size=20),
    st.sampled_from([(60.0, 80.0), (70.0, 90.0), (33.5, 33.6)]),
)
def test_boxes_equal_the_naive_reference(perf, pot, cuts):
    pot = pot[: len(perf)]
    frame = employees_frame(perf, pot)
    boxes = nine_box(frame, policy={"performance_cuts": cuts, "potential_cuts": cuts})
    expected = [
        DOMAIN_BOXES[
            naive_band(p, cuts, ("below", "meets", "above")),
            naive_band(q, cuts, ("low", "medium", "high")),
        ]
        for p, q in zip(perf, pot, strict=True)
    ]
    assert boxes["box"].tolist() == expected


def test_missing_values_keep_the_row_with_a_reason():
    frame = employees_frame([90.0, None, 90.0, None], [90.0, 90.0, None, None])
    boxes = nine_box(frame)
    assert len(boxes) == 4
    assert boxes["box"].tolist()[0] == 9
    assert boxes["box"].isna().tolist() == [False, True, True, True]
    assert boxes["reason"].tolist() == [
        "",
        "no performance",
        "no potential",
        "no performance or potential",
    ]
    assert boxes.loc[1, "potential_band"] == "high" and pd.isna(boxes.loc[1, "performance_band"])
    assert pd.isna(boxes.loc[3, "label"]) and pd.isna(boxes.loc[3, "action"])


def test_input_frame_is_not_modified():
    frame = employees_frame(["baik", 50.0], [70.0, 90.0])
    before = frame.copy()
    nine_box(frame, policy={"predicate_bands": {"baik": "meets"}})
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(
    ("cuts", "expected"),
    [((60.0, 80.0), ["above", "above", "meets", "below", "below"]),
     ((70.0, 90.0), ["above", "meets", "below", "below", "below"])],
)  # fmt: skip
def test_predicates_band_by_their_score_by_default(cuts, expected):
    predicates = ["sangat baik", "baik", "butuh perbaikan", "kurang", "sangat kurang"]
    frame = employees_frame(predicates, [50.0] * 5)
    boxes = nine_box(frame, policy={"performance_cuts": cuts})
    assert boxes["performance_band"].tolist() == expected
    # the band each predicate gets from the policy is the band of its score
    policy = NineBoxPolicy(performance_cuts=cuts)
    assert [("below", "meets", "above")[policy.predicate_band(p)] for p in predicates] == expected


def test_predicate_bands_apply_to_the_raw_table(tmp_path):
    bands = {"sangat baik": "above", "baik": "meets", "Butuh  Perbaikan": "below"}
    frame = employees_frame(["Baik", "sangat baik", 83.0, "butuh perbaikan"], [90.0] * 4)
    boxes = nine_box(frame, policy={"predicate_bands": bands})
    # "baik" by meaning; the number 83 by the cut-offs
    assert boxes["performance_band"].tolist() == ["meets", "above", "above", "below"]
    assert boxes["box"].tolist() == [8, 9, 9, 6]
    path = tmp_path / "employees.csv"
    frame.to_csv(path, index=False)
    from_file = nine_box(path, policy={"predicate_bands": bands})
    assert from_file["box"].tolist() == [8, 9, 9, 6]
    # a validated table holds numbers only: banded by the cut-offs
    table = am.read_employees(frame)
    assert nine_box(table, policy={"predicate_bands": bands})["box"].tolist() == [9, 9, 9, 8]


def test_predicates_of_a_raw_table_with_blank_rows_match_by_id():
    frame = employees_frame(["baik", 95.0, "sangat baik"], [90.0] * 3)
    # a blank second row (a label the frame lacks reads as all missing)
    gapped = frame.reindex([0, len(frame), *range(1, len(frame))]).reset_index(drop=True)
    boxes = nine_box(gapped, policy={"predicate_bands": {"baik": "meets"}})
    assert boxes["employee_id"].tolist() == frame["employee_id"].tolist()
    assert boxes["performance_band"].tolist() == ["meets", "above", "above"]


def test_renumbered_grid_keeps_actions_with_their_cell():
    grid = ((7, 4, 1), (8, 5, 2), (9, 6, 3))  # another agency's numbering
    policy = NineBoxPolicy(grid=grid)
    frame = employees_frame([95.0, 10.0], [95.0, 10.0])
    boxes = nine_box(frame, policy=policy)
    assert boxes["box"].tolist() == [3, 7]
    default = NineBoxPolicy()
    assert boxes["action"].tolist() == [default.action(9), default.action(1)]
    assert boxes["label"].tolist() == [default.label(9), default.label(1)]


def test_custom_labels_and_actions():
    labels = {b: f"Kotak {b}" for b in range(1, 10)}
    actions = {b: f"tindakan {b}" for b in range(1, 10)}
    boxes = nine_box(employees_frame([95.0], [95.0]), policy={"labels": labels, "actions": actions})
    assert (boxes.loc[0, "label"], boxes.loc[0, "action"]) == ("Kotak 9", "tindakan 9")


@pytest.mark.parametrize(
    "bad",
    [
        {"performance_cuts": (80, 60)},
        {"potential_cuts": (60, 120)},
        {"performance_cuts": (60, 60)},
        {"grid": ((1, 2, 3), (4, 5, 6), (7, 8, 8))},
        {"labels": {1: "x"}},
        {"predicate_bands": {"excellent": "above"}},
        {"predicate_bands": {"baik": "great"}},
        {"cutoffs": (60, 80)},
    ],
)
def test_invalid_policies_are_refused(bad):
    with pytest.raises(ValidationError):
        NineBoxPolicy(**bad)


def test_invalid_arguments_name_the_parameter():
    with pytest.raises(am.InvalidParameterError, match="'policy' parameter of nine_box"):
        nine_box(employees_frame([90.0], [90.0]), policy=3)
    with pytest.raises(am.InvalidParameterError, match="'employees' parameter of nine_box"):
        nine_box(42)


def test_counts_per_unit_equal_a_naive_count():
    rng = np.random.default_rng(7)
    n = 80
    units = rng.choice(["A", "B", "C"], size=n).tolist()
    perf = rng.uniform(0, 100, n).round(1).tolist()
    perf[3] = None
    frame = employees_frame(perf, rng.uniform(0, 100, n).round(1), units)
    boxes = nine_box(frame)
    counts = nine_box_counts(boxes)
    assert counts.columns.tolist() == list(range(1, 10))
    assert counts.index.tolist() == ["A", "B", "C"]
    assert all(dtype == np.int64 for dtype in counts.dtypes)
    for unit in "ABC":
        for box in range(1, 10):
            expected = sum(
                1 for u, b in zip(boxes["unit"], boxes["box"], strict=True)
                if u == unit and not pd.isna(b) and b == box
            )  # fmt: skip
            assert counts.loc[unit, box] == expected
    assert int(counts.to_numpy().sum()) == n - 1
    total = nine_box_counts(boxes, by=None)
    assert total.index.tolist() == ["all"]
    assert total.loc["all"].tolist() == counts.sum().tolist()


def test_counts_refuse_a_missing_column():
    boxes = nine_box(employees_frame([90.0], [90.0]))
    with pytest.raises(am.InvalidParameterError, match="'by' parameter of nine_box_counts"):
        nine_box_counts(boxes, by="agency")
    with pytest.raises(am.InvalidParameterError, match="'boxes' parameter"):
        nine_box_counts(boxes.drop(columns="box"))


def test_policies_round_trip_through_json():
    from asn_match.talent import DevelopmentPolicy, ProfessionalismPolicy

    policies = [
        NineBoxPolicy(
            performance_cuts=(70, 90),
            grid=((7, 4, 1), (8, 5, 2), (9, 6, 3)),
            labels={b: f"Kotak {b}" for b in range(1, 10)},
            predicate_bands={"Baik": "meets"},
        ),
        ProfessionalismPolicy(education_scores={"D4": 70}, weights={"discipline": 0}),
        DevelopmentPolicy(hours_by_kind={"technical": 32}, annual_jp=24),
    ]
    for policy in policies:
        assert type(policy).model_validate_json(policy.model_dump_json()) == policy
