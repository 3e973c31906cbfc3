"""Professionalism index (IP ASN): every category boundary, the 20 JP rule, the dimensions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import asn_match as am
from asn_match.rules import EDUCATION_LEVELS
from asn_match.talent import (
    ProfessionalismPolicy,
    professionalism_by_unit,
    professionalism_index,
)
from asn_match.talent.professionalism import PROFESSIONALISM_CATEGORIES


def naive_category(index: float) -> str:
    """DOMAIN.md: Sangat Tinggi 91-100, Tinggi 81-90, Sedang 71-80, Rendah 61-70, else <= 60."""
    if index > 90:
        return "Sangat Tinggi"
    if index > 80:
        return "Tinggi"
    if index > 70:
        return "Sedang"
    if index > 60:
        return "Rendah"
    return "Sangat Rendah"


def employees_frame(n, **columns) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "employee_id": [f"E{i:04d}" for i in range(n)],
            "name": [f"Person {i}" for i in range(n)],
            "unit": ["Bappeda"] * n,
            "rank": ["III/c"] * n,
            "education": ["S1"] * n,
            "performance": [80.0] * n,
            "training_hours": [20.0] * n,
            "integritas": [3] * n,
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (100.0, "Sangat Tinggi"), (91.0, "Sangat Tinggi"), (90.01, "Sangat Tinggi"),
        (90.0, "Tinggi"), (81.0, "Tinggi"), (80.5, "Tinggi"),
        (80.0, "Sedang"), (71.0, "Sedang"),
        (70.0, "Rendah"), (61.0, "Rendah"), (60.01, "Rendah"),
        (60.0, "Sangat Rendah"), (0.0, "Sangat Rendah"),
    ],
)  # fmt: skip
def test_every_category_boundary(index, expected):
    assert ProfessionalismPolicy().category([index]).tolist() == [expected]
    assert naive_category(index) == expected


@pytest.mark.parametrize("bound", [60.0, 70.0, 80.0, 90.0])
def test_category_boundaries_through_the_index(bound):
    # performance alone (other weights 0) carries the index onto each bound and either side of it
    values = [bound - 0.5, bound, bound + 0.5]
    frame = employees_frame(3, performance=values)
    weights = {"qualification": 0, "competency": 0, "performance": 1, "discipline": 0}
    ip = professionalism_index(frame, policy={"weights": weights})
    assert ip["index"].tolist() == values
    assert ip["category"].astype(str).tolist() == [naive_category(v) for v in values]


def test_an_index_of_a_bound_in_exact_arithmetic_is_that_bound():
    # 0.1 + 0.2 style round-off must not lift 80 into Tinggi
    policy = ProfessionalismPolicy()
    assert policy.category([80.00000000000001, 79.99999999999999]).tolist() == ["Sedang"] * 2


@given(st.lists(st.floats(0, 100), min_size=1, max_size=30))
def test_categories_equal_the_naive_reference(values):
    values = [round(v, 6) for v in values]
    assert ProfessionalismPolicy().category(values).tolist() == [naive_category(v) for v in values]


@pytest.mark.parametrize(
    ("hours", "partial", "expected"),
    [
        (0.0, True, 0.0), (10.0, True, 50.0), (19.99, True, 99.95), (20.0, True, 100.0),
        (45.0, True, 100.0), (19.99, False, 0.0), (20.0, False, 100.0), (None, True, np.nan),
    ],
)  # fmt: skip
def test_the_20_jp_rule(hours, partial, expected):
    frame = employees_frame(1, training_hours=[hours])
    ip = professionalism_index(frame, policy={"partial_credit": partial})
    np.testing.assert_allclose(ip["competency"], [expected])
    if hours is None:
        assert ip.loc[0, "missing"] == "competency" and np.isnan(ip.loc[0, "index"])
        assert pd.isna(ip.loc[0, "category"])


def test_required_jp_is_configurable():
    frame = employees_frame(2, training_hours=[20.0, 40.0])
    ip = professionalism_index(frame, policy={"required_jp": 40})
    assert ip["competency"].tolist() == [50.0, 100.0]


def test_index_is_the_weighted_mean_of_the_dimensions():
    rng = np.random.default_rng(3)
    n = 25
    frame = employees_frame(
        n,
        performance=rng.uniform(0, 100, n).round(1),
        training_hours=rng.uniform(0, 40, n).round(0),
        education=rng.choice(["SMA", "D3", "S1", "S2", "S3"], n),
        info_discipline=rng.choice(["", "ringan", "sedang", "berat", "tidak ada", "75"], n),
    )
    ip = professionalism_index(frame)
    w = {"qualification": 25, "competency": 40, "performance": 30, "discipline": 5}
    ladder = {"SMA": 4, "D3": 40, "S1": 60, "S2": 80, "S3": 100}
    penalty = {"": 100, "tidak ada": 100, "ringan": 60, "sedang": 40, "berat": 20, "75": 75}
    for i, row in frame.iterrows():
        dims = {
            "qualification": ladder[row["education"]],  # no positions: the ladder
            "competency": min(row["training_hours"] / 20, 1) * 100,
            "performance": row["performance"],
            "discipline": penalty[row["info_discipline"]],
        }
        expected = sum(w[d] * dims[d] for d in w) / 100
        assert ip.loc[i, "index"] == pytest.approx(expected)
        for d in w:
            assert ip.loc[i, d] == pytest.approx(dims[d])
    assert (ip["qualification_basis"] == "ladder").all()


def test_weights_are_configurable_and_partial_dicts_keep_the_others():
    policy = ProfessionalismPolicy(weights={"performance": 0, "discipline": 0})
    assert policy.weights == {
        "qualification": 25.0, "competency": 40.0, "performance": 0.0, "discipline": 0.0,
    }  # fmt: skip
    frame = employees_frame(1, performance=[None], education=["S2"], training_hours=[10.0])
    ip = professionalism_index(frame, policy=policy)
    # a dimension of weight 0 is never missing
    assert ip.loc[0, "missing"] == ""
    assert ip.loc[0, "index"] == pytest.approx((25 * 80 + 40 * 50) / 65)


def test_qualification_against_the_current_position_requirement():
    employees, positions = am.datasets.synthetic_workforce(30, 8, seed=11)
    table = am.read_employees(employees)
    pos = am.read_positions(positions)
    ip = professionalism_index(table, pos)
    ladder = ProfessionalismPolicy().education_scores
    levels = EDUCATION_LEVELS
    where = {p: j for j, p in enumerate(pos.ids)}
    for i in range(len(table)):
        current = table.current_position_id[i]
        edu = int(table.education[i])
        j = where.get(current) if current is not None else None
        need = int(pos.min_education[j]) if j is not None else -1
        if j is None or need < 0:
            expected, basis = ladder[levels[edu]], "ladder"
        elif edu >= need:
            expected, basis = 100.0, "requirement"
        else:
            expected = min(100.0 * ladder[levels[edu]] / ladder[levels[need]], 100.0)
            basis = "requirement"
        assert ip.loc[i, "qualification"] == pytest.approx(expected)
        assert ip.loc[i, "qualification_basis"] == basis
    ladder_only = professionalism_index(table, pos, policy={"qualification": "ladder"})
    assert (ladder_only["qualification_basis"] == "ladder").all()


def test_below_the_requirement_scores_the_ladder_ratio():
    employees = employees_frame(2, education=["D3", "S2"], current_position_id=["P1", "P1"])
    positions = pd.DataFrame(
        {"position_id": ["P1"], "title": ["Kepala"], "unit": ["Bappeda"],
         "class": ["Administrator"], "seats": [1], "min_rank": ["III/a"],
         "min_education": ["S1"], "integritas": [3]}
    )  # fmt: skip
    ip = professionalism_index(employees, positions)
    assert ip["qualification"].tolist() == pytest.approx([40 / 60 * 100, 100.0])


def test_discipline_errors_name_every_bad_cell():
    frame = employees_frame(3, info_discipline=["ringan", "parah", "150"])
    with pytest.raises(am.InputError) as caught:
        professionalism_index(frame)
    problems = caught.value.problems
    assert [p.record_id for p in problems] == ["E0001", "E0002"]
    assert all(p.column == "info_discipline" for p in problems)
    assert "parah" in str(caught.value)


def test_discipline_column_and_scores_are_configurable():
    frame = employees_frame(2, info_hukuman=["berat", "ringan"])
    ip = professionalism_index(
        frame, policy={"discipline_column": "hukuman", "discipline_scores": {"berat": 0}}
    )
    assert ip["discipline"].tolist() == [0.0, 60.0]


def test_by_unit_equals_a_naive_summary():
    rng = np.random.default_rng(5)
    n = 40
    perf = rng.uniform(30, 100, n).round(1).tolist()
    perf[0] = None
    frame = employees_frame(n, performance=perf, unit=rng.choice(["X", "Y", "Z"], n))
    ip = professionalism_index(frame)
    by_unit = professionalism_by_unit(ip)
    assert by_unit.index.tolist() == ["X", "Y", "Z"]
    assert by_unit.columns.tolist() == [
        "employees", "mean_index", *PROFESSIONALISM_CATEGORIES, "no_index",
    ]  # fmt: skip
    for unit, group in ip.groupby("unit"):
        assert by_unit.loc[unit, "employees"] == len(group)
        assert by_unit.loc[unit, "mean_index"] == pytest.approx(group["index"].mean())
        for category in PROFESSIONALISM_CATEGORIES:
            assert by_unit.loc[unit, category] == (group["category"] == category).sum()
        assert by_unit.loc[unit, "no_index"] == group["index"].isna().sum()


@pytest.mark.parametrize(
    "bad",
    [
        {"weights": {"loyalty": 10}},
        {"weights": {"performance": -1}},
        {"weights": {"qualification": 0, "competency": 0, "performance": 0, "discipline": 0}},
        {"education_scores": {"PhD": 100}},
        {"education_scores": {"S3": 120}},
        {"category_bounds": (60, 80, 70, 90)},
        {"required_jp": 0},
        {"discipline_scores": {"ringan": -5}},
    ],
)
def test_invalid_policies_are_refused(bad):
    with pytest.raises(ValidationError):
        ProfessionalismPolicy(**bad)


def test_invalid_arguments():
    frame = employees_frame(1)
    with pytest.raises(am.InvalidParameterError, match="'policy' parameter"):
        professionalism_index(frame, policy="strict")
    with pytest.raises(am.InvalidParameterError, match="'index_frame' parameter"):
        professionalism_by_unit(frame)
