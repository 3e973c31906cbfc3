"""Development plans: the order of the gaps equals recomputing the JPM after each closure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import asn_match as am
from asn_match.talent import DevelopmentPolicy, development_plan, training_needs
from strategies import workforces


def gaps_left(level, standard) -> list[int]:
    """Competencies the position requires where the level is still below the standard."""
    return [k for k in range(len(level)) if not np.isnan(standard[k]) and level[k] < standard[k]]


def naive_plan(scores, i: int, j: int) -> list[tuple[str, float]]:
    """Close the gaps of pair (i, j) one at a time, each time the one whose closure raises the
    JPM most, recomputing the JPM with the kernel after every closure. Returns (competency,
    rise) in closing order."""
    cfg = scores.config
    level = scores.levels[i].copy()
    standard = scores.standard_levels[j]
    weights = scores.expectation_weights[j]

    def jpm_of(levels):
        return float(
            am.jpm(levels[None], standard[None], weights=weights[None], method=cfg.method,
                   cap=cfg.cap)[0, 0]
        )  # fmt: skip

    open_gaps = [
        k for k in range(len(level)) if not np.isnan(standard[k]) and level[k] < standard[k]
    ]
    steps = []
    current = jpm_of(level)
    while open_gaps:
        rises = []
        for k in open_gaps:
            trial = level.copy()
            trial[k] = standard[k]
            rises.append(jpm_of(trial) - current)
        best = max(rises)
        steps.append((open_gaps, rises, best))
        # the plan may take any competency whose rise ties the best: return every step's options
        chosen = open_gaps[int(np.argmax(rises))]
        level[chosen] = standard[chosen]
        current = jpm_of(level)
        open_gaps = [k for k in open_gaps if k != chosen]
    return steps


def check_against_naive(scores, plan):
    codes = list(scores.codes)
    rows = {e: i for i, e in enumerate(scores.employees.ids)}
    cols = {p: j for j, p in enumerate(scores.positions.ids)}
    for (employee, position, _), group in plan.groupby(
        ["employee_id", "position_id", "against"], sort=False
    ):
        i, j = rows[employee], cols[position]
        group = group.sort_values("order")
        assert group["order"].tolist() == list(range(1, len(group) + 1))
        assert group["jpm_before"].iloc[0] == pytest.approx(scores.jpm[i, j], abs=1e-6)
        level = scores.levels[i].copy()
        standard = scores.standard_levels[j]
        weights = scores.expectation_weights[j]
        cfg = scores.config
        before = scores.jpm[i, j]
        for row in group.itertuples():
            # the row closes one of the gaps whose closure raises the JPM most right now
            remaining = gaps_left(level, standard)
            rises = {}
            for k in remaining:
                trial = level.copy()
                trial[k] = standard[k]
                rises[codes[k]] = float(
                    am.jpm(trial[None], standard[None], weights=weights[None],
                           method=cfg.method, cap=cfg.cap)[0, 0]
                ) - before  # fmt: skip
            assert row.competency in rises
            assert rises[row.competency] == pytest.approx(max(rises.values()), abs=1e-6)
            assert row.jpm_gain == pytest.approx(rises[row.competency], abs=1e-6)
            k = codes.index(row.competency)
            assert row.gap == pytest.approx(standard[k] - level[k])
            level[k] = standard[k]
            before += rises[row.competency]
            assert row.jpm_after == pytest.approx(before, abs=1e-6)
        # every gap of the pair is in the plan
        assert not [
            k for k in range(len(codes)) if not np.isnan(standard[k]) and level[k] < standard[k]
        ]


CONFIGS = [
    {},
    {"method": "mean_ratio"},
    {"cap": False},
    {"method": "mean_ratio", "cap": False},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_order_equals_recomputing_jpm_after_each_closure(config):
    employees, positions = am.datasets.synthetic_workforce(20, 6, seed=21)
    scores = am.score(employees, positions, config=config)
    rng = np.random.default_rng(0)
    target = {
        e: scores.positions.ids[j]
        for e, j in zip(scores.employees.ids, rng.integers(0, 6, 20), strict=True)
    }
    plan = development_plan(employees, positions, target=target, config=config)
    assert set(plan["against"]) == {"current", "target"}
    check_against_naive(scores, plan)


@settings(max_examples=10)
@given(workforces(min_employees=1, max_employees=8, min_positions=1, max_positions=4),
       st.integers(0, 2**16))  # fmt: skip
def test_order_property_on_random_workforces(data, seed):
    employees, positions = data
    scores = am.score(employees, positions)
    rng = np.random.default_rng(seed)
    target = {
        e: scores.positions.ids[j]
        for e, j in zip(
            scores.employees.ids, rng.integers(0, len(positions), len(employees)), strict=True
        )
    }
    plan = development_plan(employees, positions, target=target)
    check_against_naive(scores, plan)
    # the plan holds exactly the gaps of every pair it covers: sum of rises = 100 - jpm (capped)
    for _, group in plan.groupby(["employee_id", "against"], sort=False):
        assert group["jpm_after"].iloc[-1] == pytest.approx(100.0, abs=1e-6)


def test_naive_reference_agrees_on_one_pair():
    # the self-contained greedy search above and the plan agree on closing order and rises
    employees, positions = am.datasets.synthetic_workforce(10, 4, seed=8)
    scores = am.score(employees, positions)
    i, j = np.unravel_index(np.argmin(scores.jpm), scores.jpm.shape)
    e, p = scores.employees.ids[i], scores.positions.ids[j]
    plan = development_plan(employees, positions, target={e: p})
    rows = plan[(plan["employee_id"] == e) & (plan["position_id"] == p)]
    steps = naive_plan(scores, i, j)
    assert len(rows) == len(steps) > 0
    assert rows["jpm_gain"].to_numpy() == pytest.approx([best for *_, best in steps], abs=1e-6)


def test_hours_and_years_follow_the_policy():
    employees, positions = am.datasets.synthetic_workforce(30, 6, seed=4)
    policy = DevelopmentPolicy(hours_per_level=16, hours_by_kind={"technical": 32}, annual_jp=24)
    plan = development_plan(employees, positions, policy=policy)
    assert len(plan) > 0
    per_level = np.where(plan["kind"] == "technical", 32.0, 16.0)
    np.testing.assert_allclose(plan["hours"], plan["gap"] * per_level)
    for _, group in plan.groupby(["employee_id", "against"], sort=False):
        np.testing.assert_allclose(group["cumulative_hours"], group["hours"].cumsum())
        np.testing.assert_allclose(group["years_at_20jp"], group["hours"].cumsum() / 24)


def test_default_hours_are_20_jp_a_level_and_a_year():
    policy = DevelopmentPolicy()
    assert policy.hours_per_level == 20.0 and policy.annual_jp == 20.0
    employees, positions = am.datasets.synthetic_workforce(20, 5, seed=4)
    plan = development_plan(employees, positions)
    np.testing.assert_allclose(plan["hours"], plan["gap"] * 20)


def test_targets_from_a_placement():
    employees, positions = am.datasets.synthetic_workforce(30, 6, seed=9)
    scores = am.score(employees, positions)
    placement = am.assign(scores)
    plan = development_plan(employees, positions, target=placement)
    moved = {
        e: scores.positions.ids[j]
        for e, j in zip(scores.employees.ids, placement.employee_position, strict=True)
        if j >= 0 and scores.positions.ids[j] != scores.employees.current_position_id[
            list(scores.employees.ids).index(e)]
    }  # fmt: skip
    target_rows = plan[plan["against"] == "target"]
    assert set(target_rows["employee_id"]) <= set(moved)
    for e, p in target_rows.groupby("employee_id")["position_id"].first().items():
        assert moved[e] == p
    by_dict = development_plan(employees, positions, target=moved)
    pd.testing.assert_frame_equal(by_dict, plan)


def test_a_target_equal_to_the_current_position_adds_nothing():
    employees, positions = am.datasets.synthetic_workforce(20, 5, seed=2)
    table = am.read_employees(employees)
    held = {
        e: c for e, c in zip(table.ids, table.current_position_id, strict=True) if c is not None
    }
    plan = development_plan(employees, positions, target=held)
    assert not (plan["against"] == "target").any()


def test_unknown_ids_in_target_are_all_reported():
    employees, positions = am.datasets.synthetic_workforce(10, 3, seed=1)
    someone = employees["employee_id"][0]
    with pytest.raises(am.InputError) as caught:
        development_plan(employees, positions, target={"NOBODY": "P1", someone: "NOWHERE"})
    codes = [p.code for p in caught.value.problems]
    assert codes == ["unknown_employee", "unknown_position"]
    assert "NOWHERE" in str(caught.value)


def test_inputs_are_not_modified():
    employees, positions = am.datasets.synthetic_workforce(10, 3, seed=1)
    before = employees.copy(), positions.copy()
    target = {employees["employee_id"][0]: positions["position_id"][1]}
    kept = dict(target)
    development_plan(employees, positions, target=target)
    pd.testing.assert_frame_equal(employees, before[0])
    pd.testing.assert_frame_equal(positions, before[1])
    assert target == kept


def test_invalid_options():
    employees, positions = am.datasets.synthetic_workforce(5, 2, seed=1)
    with pytest.raises(am.InvalidParameterError, match="'target' parameter"):
        development_plan(employees, positions, target=["x"])
    with pytest.raises(am.InvalidParameterError, match="'positions' parameter"):
        development_plan(employees, am.read_employees(employees))
    for bad in ({"hours_per_level": 0}, {"hours_by_kind": {"soft": 3}}, {"annual_jp": -1}):
        with pytest.raises(ValidationError):
            DevelopmentPolicy(**bad)


def test_training_needs_equal_a_naive_summary():
    employees, positions = am.datasets.synthetic_workforce(60, 8, seed=13)
    scores = am.score(employees, positions)
    rng = np.random.default_rng(1)
    target = {e: scores.positions.ids[rng.integers(0, 8)] for e in scores.employees.ids}
    plan = development_plan(employees, positions, target=target)
    needs = training_needs(plan)
    assert needs.columns.tolist() == [
        "unit", "competency", "people", "total_gap", "total_hours", "jpm_gain",
    ]  # fmt: skip
    naive = {}
    for (unit, competency), group in plan.groupby(["unit", "competency"]):
        per_person = group.groupby("employee_id").agg(
            gap=("gap", "max"), hours=("hours", "max"), gain=("jpm_gain", "sum")
        )
        naive[unit, competency] = (
            len(per_person), per_person["gap"].sum(), per_person["hours"].sum(),
            per_person["gain"].sum(),
        )  # fmt: skip
    assert len(needs) == len(naive)
    for row in needs.itertuples():
        people, gap, hours, gain = naive[row.unit, row.competency]
        assert row.people == people
        assert row.total_gap == pytest.approx(gap)
        assert row.total_hours == pytest.approx(hours)
        assert row.jpm_gain == pytest.approx(gain)
    # most common first, then most costly
    keys = list(zip(-needs["people"], -needs["total_hours"], strict=True))
    assert keys == sorted(keys)
    by_position = training_needs(plan, by="position_id")
    triples = plan[["position_id", "competency", "employee_id"]].drop_duplicates()
    assert by_position["people"].sum() == len(triples)


def test_training_needs_refuses_bad_input():
    with pytest.raises(am.InvalidParameterError, match="'plan' parameter"):
        training_needs(pd.DataFrame({"x": [1]}))
    employees, positions = am.datasets.synthetic_workforce(10, 3, seed=1)
    plan = development_plan(employees, positions)
    with pytest.raises(am.InvalidParameterError, match="'by' parameter"):
        training_needs(plan, by="agency")


def test_no_positions_held_and_no_target_gives_an_empty_plan_with_its_columns():
    employees, positions = am.datasets.synthetic_workforce(10, 3, seed=1)
    plan = development_plan(employees.drop(columns="current_position_id"), positions)
    assert plan.empty and plan.columns[:3].tolist() == ["employee_id", "position_id", "against"]
    needs = training_needs(plan)
    assert needs.empty and needs.columns[:3].tolist() == ["unit", "competency", "people"]
