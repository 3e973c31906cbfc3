"""Succession pools: the succession lists filtered by box, performance history and development."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_match as am
from asn_match.talent import nine_box, pool_strength, succession_pools
from strategies import seeds, workforces


@pytest.fixture(scope="module")
def workforce():
    employees, positions = am.datasets.synthetic_workforce(60, 6, seed=3)
    employees = employees.copy()
    rng = np.random.default_rng(3)
    # last year's performance for most: numbers and predicates, some below "baik", some empty
    previous = rng.choice(["baik", "sangat baik", "butuh perbaikan", "90", "70", ""], 60)
    employees["info_performance_previous"] = previous
    return employees, positions, am.score(employees, positions)


def naive_members(scores, employees, *, boxes=(7, 8, 9), min_performance=76.0, hours=20.0):
    """Ids passing the pool rules, by plain Python over the rows."""
    box = nine_box(scores.employees)["box"]
    table = scores.employees
    previous_map = {"baik": 83.0, "sangat baik": 95.0, "butuh perbaikan": 68.0, "": np.nan}
    ok = set()
    for i, e in enumerate(table.ids):
        b = box[i]
        if pd.isna(b) or int(b) not in boxes:
            continue
        if not table.performance[i] >= min_performance:
            continue
        text = employees["info_performance_previous"].iloc[i]
        before = previous_map[text] if text in previous_map else float(text)
        if not np.isnan(before) and before < min_performance:
            continue
        if hours is not None and not np.isnan(table.training_hours[i]):
            if table.training_hours[i] < hours:
                continue
        ok.add(e)
    return ok


def test_pool_is_the_succession_list_filtered_by_the_rules(workforce):
    employees, _, scores = workforce
    pools = succession_pools(scores)
    listed = am.succession(scores, k=len(employees))
    members = naive_members(scores, employees)
    expected = listed[listed["employee_id"].astype(str).isin(members)]
    got = pools[list(listed.columns)].drop(columns="rank").reset_index(drop=True)
    want = expected.drop(columns="rank").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    assert len(pools) > 0
    # ranks renumbered 1..n within each position, in succession order
    for _, group in pools.groupby("position_id", observed=True):
        assert group["rank"].tolist() == list(range(1, len(group) + 1))
    assert set(pools["box"]) <= {7, 8, 9}
    assert (pools["years_checked"] == np.where(pools["performance_previous"].isna(), 1, 2)).all()


def test_history_rule_excludes_a_weak_previous_year(workforce):
    employees, _, scores = workforce
    pools = succession_pools(scores)
    assert (pools["performance_previous"].dropna() >= 76).all()
    weak = employees.loc[
        employees["info_performance_previous"].isin(["butuh perbaikan", "70"]), "employee_id"
    ]
    assert not set(pools["employee_id"].astype(str)) & set(weak)
    # without the history column, the same people may join on this year alone
    without = succession_pools(scores, previous_performance="not_a_column")
    assert (without["years_checked"] == 1).all()
    assert set(pools["employee_id"]) <= set(without["employee_id"])


@pytest.mark.parametrize("boxes", [(9,), (7, 8, 9), (5, 6, 7, 8, 9)])
def test_boxes_option(workforce, boxes):
    employees, _, scores = workforce
    pools = succession_pools(scores, boxes=boxes, min_training_hours=None)
    assert set(pools["box"]) <= set(boxes)
    members = naive_members(scores, employees, boxes=boxes, hours=None)
    listed = am.succession(scores, k=len(employees))
    assert set(pools["employee_id"].astype(str)) == members & set(listed["employee_id"].astype(str))


def test_k_and_by_class(workforce):
    _, _, scores = workforce
    top = succession_pools(scores, k=2)
    assert (top.groupby("position_id", observed=True).size() <= 2).all()
    assert (top["rank"] <= 2).all()
    by_class = succession_pools(scores, by="class")
    assert by_class.columns[0] == "position_class"
    assert not by_class.duplicated(["position_class", "employee_id"]).any()
    full = succession_pools(scores)
    classes = dict(zip(scores.positions.ids, scores.positions.position_class, strict=True))
    full["position_class"] = full["position_id"].astype(str).map(classes)
    # each member of a class pool sits at the position where they rank best of the class
    band = {"ready now": 0, "ready after development": 1}
    for row in by_class.itertuples():
        options = full[
            (full["position_class"] == row.position_class)
            & (full["employee_id"].astype(str) == str(row.employee_id))
        ]
        best = min(zip(options["readiness"].map(band), -options["composite"], strict=True))
        assert (band[row.readiness], -row.composite) == best
    for _, group in by_class.groupby("position_class"):
        assert group["rank"].tolist() == list(range(1, len(group) + 1))


def test_pool_strength_is_bench_strength_plus_the_pool(workforce):
    _, _, scores = workforce
    strength = pool_strength(scores)
    bench = am.bench_strength(scores)
    pd.testing.assert_frame_equal(strength[bench.columns.tolist()], bench)
    pools = succession_pools(scores)
    for row in strength.itertuples():
        members = pools[pools["position_id"].astype(str) == row.position_id]
        now = int((members["readiness"] == "ready now").sum())
        later = len(members) - now
        assert (row.pool_ready_now, row.pool_ready_later) == (now, later)
        expected = "ready now" if now else ("ready later" if later else "none")
        assert row.bench == expected
        assert row.pool_ready_now <= row.ready_now
    nobody = pool_strength(scores, boxes=(1,), min_performance=100)
    assert (nobody["bench"] == "none").all()


def test_streamed_scores_draw_on_the_candidates(workforce):
    employees, positions, dense = workforce
    streamed = am.score(employees, positions, dense=False, top_k=10, block_size=16)
    pools = succession_pools(streamed)
    full = succession_pools(dense)
    # every streamed member is a dense member with the same readiness
    key = ["employee_id", "position_id", "readiness"]
    merged = pools[key].astype(str).merge(full[key].astype(str), how="left", indicator=True)
    assert (merged["_merge"] == "both").all()
    assert set(pool_strength(streamed)["bench"]) <= {"ready now", "ready later", "none"}


def test_raw_employees_band_predicates_by_meaning(workforce):
    employees, _, scores = workforce
    policy = {"predicate_bands": {"baik": "meets"}}
    pools = succession_pools(scores, employees, nine_box_policy=policy)
    # with "baik" meaning "meets", a "baik" member must be in box 8 (meets, high)
    baik = set(employees.loc[employees["performance"] == "baik", "employee_id"])
    rows = pools[pools["employee_id"].astype(str).isin(baik)]
    assert (rows["box"] == 8).all()
    assert len(pools) <= len(succession_pools(scores))


def test_bad_options_and_data(workforce):
    employees, positions, scores = workforce
    with pytest.raises(am.InvalidParameterError, match="'boxes' parameter"):
        succession_pools(scores, boxes=(0, 10))
    with pytest.raises(am.InvalidParameterError, match="'by' parameter"):
        succession_pools(scores, by="unit")
    with pytest.raises(am.InvalidParameterError, match="'scores' parameter"):
        succession_pools(employees)
    with pytest.raises(am.InvalidParameterError, match="'employees' parameter"):
        succession_pools(scores, employees.iloc[:10])
    with pytest.raises(am.InvalidParameterError, match="'k' parameter of pool_strength"):
        pool_strength(scores, k=3)
    broken = employees.copy()
    broken.loc[[2, 5], "info_performance_previous"] = ["istimewa", "120"]
    with pytest.raises(am.InputError) as caught:
        succession_pools(am.score(broken, positions))
    ids = [p.record_id for p in caught.value.problems]
    assert ids == [broken["employee_id"][2], broken["employee_id"][5]]


@settings(max_examples=10)
@given(
    workforces(min_employees=1, max_employees=25, min_positions=1, max_positions=4),
    seeds,
    st.sampled_from([(7, 8, 9), (9,), (4, 5, 7, 8, 9)]),
)
def test_pools_equal_the_naive_filter_on_random_workforces(data, seed, boxes):
    employees, positions = data
    employees = employees.copy()
    rng = np.random.default_rng(seed)
    choices = ["baik", "sangat baik", "butuh perbaikan", "90", "70", ""]
    employees["info_performance_previous"] = rng.choice(choices, len(employees))
    scores = am.score(employees, positions)
    pools = succession_pools(scores, boxes=boxes)
    listed = am.succession(scores, k=len(employees))
    members = naive_members(scores, employees, boxes=boxes)
    expected = listed[listed["employee_id"].astype(str).isin(members)]
    assert pools["employee_id"].astype(str).tolist() == expected["employee_id"].astype(str).tolist()
    assert pools["position_id"].astype(str).tolist() == expected["position_id"].astype(str).tolist()


def test_allowed_and_forbidden_restrict_the_pools(workforce):
    _, _, scores = workforce
    full = succession_pools(scores)
    someone = str(full["employee_id"].iloc[0])
    without = succession_pools(scores, forbidden=[someone])
    assert someone not in set(without["employee_id"].astype(str))
    assert len(without) == len(full) - int((full["employee_id"].astype(str) == someone).sum())
    position = str(full["position_id"].iloc[0])
    only = succession_pools(scores, allowed=[position])
    assert set(only["position_id"].astype(str)) == {position}
    assert len(only) == int((full["position_id"].astype(str) == position).sum())
