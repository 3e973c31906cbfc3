"""The move-capped stage: the Lagrangian search, its walk to the cap and the reduced MILP.

The end results are checked against brute force (tests/test_placement.py) and here against the
MILP on the whole problem (``method="dense"``), on problems where the relaxation is tight (the
walk lands on the cap) and where it is not (the MILP on the pairs the reduced costs allow).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_match as am
from asn_match.kernels import movecap
from asn_match.kernels.movecap import (
    Clock,
    _simple_cycles,
    _subset_with_sum,
    lagrangian_stays,
    milp_objective,
)
from asn_match.kernels.seating import solve_placement
from strategies import seeds

FAST = settings(deadline=None, max_examples=60)
FEW = settings(deadline=None, max_examples=30)


# ----------------------------------------------------------------------------- building blocks


@FAST
@given(st.lists(st.integers(-4, 4), max_size=8), st.integers(-12, 12))
def test_subset_with_sum_matches_exhaustive_search(items, target):
    found = _subset_with_sum(items, target)
    sums = {
        sum(items[k] for k in chosen)
        for size in range(len(items) + 1)
        for chosen in itertools.combinations(range(len(items)), size)
    }
    if target not in sums:
        assert found is None
        return
    assert found is not None
    assert found == sorted(set(found)) and all(0 <= k < len(items) for k in found)
    assert sum(items[k] for k in found) == target


@FAST
@given(seeds, st.integers(1, 6), st.integers(1, 8))
def test_simple_cycles_split_a_balanced_graph_exactly(seed, n_nodes, n_walks):
    rng = np.random.default_rng(seed)
    tails, heads = [], []
    for _ in range(n_walks):  # closed walks (nodes may repeat): every node stays balanced
        walk = rng.integers(0, n_nodes, rng.integers(1, 7)).tolist()
        tails += walk
        heads += walk[1:] + walk[:1]
    tails_a, heads_a = np.array(tails), np.array(heads)
    order = rng.permutation(tails_a.size)
    cycles = _simple_cycles(tails_a, heads_a, order, n_nodes)
    every = np.sort(np.concatenate(cycles))
    assert every.tolist() == list(range(tails_a.size))  # each edge in exactly one cycle
    for cycle in cycles:
        t, h = tails_a[cycle], heads_a[cycle]
        assert np.array_equal(h, np.roll(t, -1))  # consecutive and closed
        assert np.unique(t).size == t.size  # simple: no node twice


# ----------------------------------------------------------------------------- small cases


def _swap_pairs(copies: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``copies`` pairs of incumbents who gain 10 points by swapping (20 against 10 each)."""
    block = np.array([[5.0, 10.0, 1.0], [10.0, 5.0, 1.0]])
    values = np.zeros((2 * copies, 3 * copies))
    incumbent = np.empty(2 * copies, dtype=np.intp)
    for k in range(copies):
        values[2 * k : 2 * k + 2, 3 * k : 3 * k + 3] = block
        incumbent[2 * k : 2 * k + 2] = [3 * k, 3 * k + 1]
    return values, values > 0, incumbent


@pytest.mark.parametrize("method", ["capacity", "dense"])
def test_cap_between_two_swaps_lands_on_it_exactly(method):
    # Two independent swaps of two incumbents each: at the price of 5 points a stay, keeping
    # all four and moving all four are both optimal; one swap undone keeps exactly two.
    values, allowed, incumbent = _swap_pairs(2)
    seats = np.ones(6, dtype=int)
    capped = solve_placement(
        values, allowed, seats, incumbent=incumbent, max_moves=2, method=method
    )
    stays = int(np.count_nonzero(capped.employee_position == incumbent))
    assert stays == 2 and capped.objective_value == pytest.approx(30.0)
    assert capped.optimality_gap == 0.0 and not capped.time_limit_reached
    if method == "capacity":
        assert capped.method == "lagrangian"  # no MILP needed


@pytest.mark.parametrize("method", ["capacity", "dense"])
def test_cap_inside_an_indivisible_swap_is_solved_by_the_reduced_milp(method):
    # One swap: the relaxation's optimum keeps "half" the pair (15 points), but only 0 or 2 of
    # them can stay together; keeping one and moving the other to position 2 gives 6, so the
    # capped optimum (at most one move) keeps both: 10 points. A genuine integrality gap.
    values, allowed, incumbent = _swap_pairs(1)
    capped = solve_placement(
        values, allowed, np.ones(3, dtype=int), incumbent=incumbent, max_moves=1, method=method
    )
    assert capped.employee_position.tolist() == [0, 1]
    assert capped.objective_value == pytest.approx(10.0)
    assert capped.objective_bound == pytest.approx(10.0) and not capped.time_limit_reached
    assert capped.method == "milp"


@st.composite
def capped_problems(draw, max_n=14, max_m=5, levels=4):
    """(values, allowed, seats, incumbent): incumbents who can mostly stay, scores with ties."""
    rng = np.random.default_rng(draw(seeds))
    n, m = draw(st.integers(3, max_n)), draw(st.integers(2, max_m))
    values = rng.integers(0, levels, size=(n, m)).astype(float) * 10.0
    incumbent = np.where(rng.random(n) < 0.8, rng.integers(0, m, n), -1)
    allowed = rng.random((n, m)) < draw(st.sampled_from([0.6, 1.0]))
    holders = np.flatnonzero(incumbent >= 0)
    allowed[holders, incumbent[holders]] = True
    seats = rng.integers(1, 4, size=m)
    return values, allowed, seats, incumbent


@FEW
@given(capped_problems(), st.floats(0.0, 0.99), st.booleans())
def test_capacity_path_equals_the_full_milp(problem, share, prefer_stay):
    values, allowed, seats, incumbent = problem
    n = incumbent.size
    free = solve_placement(values, allowed, seats, incumbent=incumbent)
    moves = int(np.count_nonzero((incumbent >= 0) & (free.employee_position != incumbent)))
    cap = int(share * moves)
    solved = {}
    for method in ("capacity", "dense"):
        try:
            solved[method] = solve_placement(
                values,
                allowed,
                seats,
                incumbent=incumbent,
                max_moves=cap,
                prefer_stay=prefer_stay,
                method=method,
                time_limit=None,
            )
        except am.InfeasibleError:
            solved[method] = None
    capacity, dense = solved["capacity"], solved["dense"]
    assert (capacity is None) == (dense is None)
    if capacity is None or dense is None:
        return
    assert capacity.objective_value == pytest.approx(dense.objective_value, abs=1e-6)
    assert capacity.objective_bound == pytest.approx(capacity.objective_value, abs=1e-6)
    assert not capacity.time_limit_reached
    stays = [
        int(np.count_nonzero((incumbent >= 0) & (s.employee_position == incumbent)))
        for s in (capacity, dense)
    ]
    assert n - np.count_nonzero(incumbent < 0) - stays[0] <= cap
    if prefer_stay:  # the most stays among the optima, on both paths
        assert stays[0] == stays[1]


@FEW
@given(capped_problems(), st.floats(0.0, 0.99))
def test_without_exact_crossings_the_answer_stays_exact(problem, share):
    # Prices too large for exact fractions: integer prices and bisection only, then the MILP
    # where the search stops short; the answer is the same optimum.
    values, allowed, seats, incumbent = problem
    free = solve_placement(values, allowed, seats, incumbent=incumbent)
    moves = int(np.count_nonzero((incumbent >= 0) & (free.employee_position != incumbent)))
    options = {"incumbent": incumbent, "max_moves": int(share * moves), "time_limit": None}
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(movecap, "_EXACT_LIMIT", 0)
            capacity = solve_placement(values, allowed, seats, **options)
    except am.InfeasibleError:
        return
    dense = solve_placement(values, allowed, seats, method="dense", **options)
    assert capacity.objective_value == pytest.approx(dense.objective_value, abs=1e-6)
    assert capacity.objective_bound == pytest.approx(capacity.objective_value, abs=1e-6)


@FEW
@given(capped_problems(max_n=10, max_m=4), st.floats(0.0, 1.0))
def test_lagrangian_bound_holds_even_when_stopped_at_once(problem, share):
    values, allowed, seats, incumbent = problem
    n, m = values.shape
    stay = np.zeros((n, m), dtype=bool)
    holders = np.flatnonzero(incumbent >= 0)
    stay[holders, incumbent[holders]] = True
    weights = values.astype(np.int64)
    useful = allowed & (stay | (weights > 0))
    can_stay = np.minimum(
        np.bincount(incumbent[holders][useful[holders, incumbent[holders]]], minlength=m), seats
    ).sum()
    min_stays = int(share * can_stay)
    exact = milp_objective(values, useful, seats, stay, min_stays, "total", Clock(None))
    assert exact is not None
    optimum = float(values[exact.rows, exact.cols].sum())
    for clock in (Clock(None), Clock(0.0)):
        found = lagrangian_stays(
            weights, useful, seats, stay, min_stays, values, unit=1, quantum=1.0, clock=clock
        )
        assert np.count_nonzero(stay[found.rows, found.cols]) >= min_stays
        assert (np.bincount(found.cols, minlength=m) <= seats).all()
        assert np.unique(found.rows).size == found.rows.size
        total = float(values[found.rows, found.cols].sum())
        assert total <= optimum + 1e-9 <= found.bound + 2e-9
        if found.bound <= total:  # proven: then it is the optimum
            assert total == pytest.approx(optimum)


# ----------------------------------------------------------------------------- workforces


@pytest.mark.parametrize("fraction", [2, 4])
def test_binding_max_moves_on_a_workforce_equals_the_full_milp(fraction):
    employees, positions = am.datasets.synthetic_workforce(400, 80, seed=1)
    scores = am.score(employees, positions)
    cap = am.assign(scores).summary()["moves"] // fraction
    fast = am.assign(scores, max_moves=cap).summary()
    reference = am.assign(scores, max_moves=cap, method="dense", time_limit=None).summary()
    assert fast["moves"] <= cap and not fast["time_limit_reached"]
    assert fast["objective_bound"] == pytest.approx(fast["objective_value"], rel=1e-12)
    assert fast["objective_value"] == pytest.approx(reference["objective_value"], rel=1e-12)
    assert fast["stays"] == reference["stays"]


@pytest.mark.slow
@pytest.mark.parametrize("share", ["half", "quarter", "one less", "fewest"])
def test_issue_9_binding_max_moves_at_5000_employees_is_proven_optimal(share):
    # Issue 9: a binding max_moves at 5,000 employees took minutes (MILP); the Lagrangian
    # search with its walk to the cap proves it with a few capacity solves.
    employees, positions = am.datasets.synthetic_workforce(5000, 1000, seed=0)
    scores = am.score(employees, positions)
    moves = am.assign(scores).summary()["moves"]
    summary = None
    for cap in {
        "half": [moves // 2],
        "quarter": [moves // 4],
        "one less": [moves - 1],
        "fewest": range(moves),
    }[share]:
        try:
            summary = am.assign(scores, max_moves=cap).summary()
        except am.InfeasibleError:  # some incumbents cannot stay at all
            continue
        break
    assert summary is not None
    assert summary["moves"] <= cap and not summary["time_limit_reached"]
    assert summary["objective_bound"] == pytest.approx(summary["objective_value"], rel=1e-12)
