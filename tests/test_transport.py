"""Capacitated max-weight assignment (kernels.transport) against brute force and scipy."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_array

from asn_match.kernels import transport
from asn_match.kernels.transport import (
    TransportSolution,
    max_weight_transport,
    max_weight_transport_sparse,
)
from orlib import KNOWN_OPTIMA, load_assignment, missing_reason

# ----------------------------------------------------------------------------- references


def expanded_reference(weights, capacities, allowed=None):
    """Optimal total by scipy on one column per seat (0 for forbidden or non-positive pairs)."""
    weights = np.asarray(weights)
    capacities = np.asarray(capacities, dtype=int)
    n = weights.shape[0]
    usable = weights > 0 if allowed is None else (weights > 0) & allowed
    gain = np.where(usable, weights, 0)
    seats = np.repeat(np.arange(capacities.size), np.minimum(capacities, n))
    matrix = gain[:, seats]
    if matrix.size == 0:
        return 0
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    picked = matrix[rows, cols]
    return picked[picked > 0].sum()


def brute_force(weights, capacities, allowed):
    """Optimal total by enumerating every placement (tiny cases only)."""
    n, m = weights.shape
    best = 0
    for choice in itertools.product(range(-1, m), repeat=n):
        counts = np.bincount([c for c in choice if c >= 0], minlength=m)
        if (counts > capacities).any():
            continue
        if any(c >= 0 and not allowed[i, c] for i, c in enumerate(choice)):
            continue
        best = max(best, sum(weights[i, c] for i, c in enumerate(choice) if c >= 0))
    return best


def check_solution(solution, weights, capacities, allowed=None, *, rtol=0.0):
    """Feasibility, dual feasibility, complementary slackness and strong duality."""
    weights = np.asarray(weights)
    capacities = np.asarray(capacities)
    n, m = weights.shape
    allowed = np.ones((n, m), bool) if allowed is None else np.asarray(allowed)
    usable = allowed & (weights > 0)
    position = solution.employee_position
    v, u = solution.position_prices, solution.employee_values
    assert position.shape == (n,) and position.dtype == np.int64
    assert v.shape == (m,) and u.shape == (n,)
    assert v.dtype == u.dtype == (np.int64 if weights.dtype.kind in "iu" else np.float64)
    placed = np.flatnonzero(position >= 0)
    assert (np.bincount(position[placed], minlength=m) <= capacities).all()
    assert usable[placed, position[placed]].all()
    total = weights[placed, position[placed]].sum()
    scale = max(1.0, float(np.abs(weights).max(initial=0)))
    tol = rtol * scale * max(1, n)
    assert abs(solution.total - total) <= tol
    assert (v >= 0).all() and (u >= 0).all()
    # Dual feasibility on usable pairs; tight on placed pairs; zero on slack.
    slack = u[:, None] + v[None, :] - weights
    assert (slack[usable] >= -tol).all()
    assert (np.abs(slack[placed, position[placed]]) <= tol).all()
    assert (np.abs(u[position < 0]) <= tol).all()
    free = np.bincount(position[placed], minlength=m) < capacities
    assert (np.abs(v[free]) <= tol).all()
    dual = u.sum() + (capacities.astype(v.dtype) * v).sum()
    assert abs(dual - solution.total) <= tol
    return total


def random_case(rng, n, m, *, integer=True, max_cap=3, density=0.8, low=-2, high=6):
    weights = rng.integers(low, high, size=(n, m))
    if not integer:
        weights = weights + rng.random((n, m))
    capacities = rng.integers(0, max_cap + 1, size=m)
    allowed = rng.random((n, m)) < density
    return weights, capacities, allowed


# ----------------------------------------------------------------------------- small exact cases


def test_docstring_example_and_fields():
    solution = max_weight_transport([[5, 3], [4, 1], [2, 2]], [1, 2])
    assert isinstance(solution, TransportSolution)
    assert solution.employee_position.tolist() == [1, 0, 1]
    assert solution.total == 9 and isinstance(solution.total, int)
    # Largest prices: the drop in the total if the position lost one seat.
    assert solution.position_prices.tolist() == [4, 2]
    with pytest.raises(AttributeError):
        solution.total = 0  # type: ignore[misc]


@pytest.mark.parametrize("seed", range(40))
def test_brute_force_tiny(seed):
    rng = np.random.default_rng(seed)
    n, m = rng.integers(0, 5), rng.integers(0, 4)
    weights, capacities, allowed = random_case(rng, n, m, integer=seed % 2 == 0)
    solution = max_weight_transport(weights, capacities, allowed=allowed)
    total = check_solution(solution, weights, capacities, allowed, rtol=1e-12)
    assert total == pytest.approx(brute_force(weights, capacities, allowed), rel=1e-12, abs=0)


@pytest.mark.parametrize(
    ("n", "m", "max_cap"),
    [(60, 8, 10), (60, 8, 3), (40, 30, 2), (100, 5, 40), (30, 4, 1)],
)
@pytest.mark.parametrize("integer", [True, False])
def test_against_expanded_scipy(n, m, max_cap, integer):
    rng = np.random.default_rng(n * m + max_cap)
    for _ in range(5):
        weights, capacities, allowed = random_case(rng, n, m, integer=integer, max_cap=max_cap)
        solution = max_weight_transport(weights, capacities, allowed=allowed)
        check_solution(solution, weights, capacities, allowed, rtol=1e-12)
        expected = expanded_reference(weights, capacities, allowed)
        if integer:
            assert solution.total == int(expected)
        else:
            assert solution.total == pytest.approx(expected, rel=1e-9)


def test_heavy_ties_integer():
    """Small integer weights: many optimal placements; the total and the duals stay exact."""
    rng = np.random.default_rng(1)
    for _ in range(20):
        weights = rng.integers(0, 3, size=(50, 6))
        capacities = rng.integers(0, 12, size=6)
        solution = max_weight_transport(weights, capacities)
        check_solution(solution, weights, capacities)
        assert solution.total == int(expanded_reference(weights, capacities))


def test_int64_exact_lexicographic_weights():
    """W = V * 3 * 2**42 + stay (up to 2**53): exact, though float64 would round the stay."""
    rng = np.random.default_rng(2)
    n, m = 80, 7
    value = rng.integers(0, 1000, size=(n, m)).astype(np.int64)
    stay = rng.integers(0, 2, size=(n, m)).astype(np.int64)
    capacities = rng.integers(1, 15, size=m)
    weights = value * (3 * 2**42) + stay
    solution = max_weight_transport(weights, capacities)
    check_solution(solution, weights, capacities)
    # Lexicographic (value first, then stay): the same optimum as value * (n + 1) + stay.
    small = value * (n + 1) + stay
    reference = int(expanded_reference(small, capacities))
    best_value, best_stay = divmod(reference, n + 1)
    assert solution.total == best_value * 3 * 2**42 + best_stay


@pytest.mark.parametrize(
    ("n", "m"),
    [(0, 0), (0, 3), (4, 0)],
)
def test_empty_shapes(n, m):
    solution = max_weight_transport(np.zeros((n, m)), np.ones(m, dtype=int))
    assert solution.employee_position.tolist() == [-1] * n
    assert solution.position_prices.shape == (m,)
    assert solution.employee_values.shape == (n,)
    assert solution.total == 0


def test_zero_capacities_and_all_forbidden():
    weights = np.array([[3.0, 5.0], [4.0, 1.0]])
    solution = max_weight_transport(weights, [0, 0])
    assert solution.employee_position.tolist() == [-1, -1]
    assert solution.total == 0
    # A position without seats is priced so that nobody wants it.
    assert solution.position_prices.tolist() == [4.0, 5.0]
    check_solution(solution, weights, np.array([0, 0]))
    solution = max_weight_transport(weights, [1, 1], allowed=np.zeros((2, 2), bool))
    assert solution.employee_position.tolist() == [-1, -1]
    assert solution.position_prices.tolist() == [0.0, 0.0]


def test_non_positive_weights_never_placed():
    weights = np.array([[0, -1], [-5, 0], [2, -3]])
    solution = max_weight_transport(weights, [5, 5])
    assert solution.employee_position.tolist() == [-1, -1, 0]
    assert solution.total == 2


def test_more_seats_than_people_and_huge_capacities():
    rng = np.random.default_rng(3)
    weights = rng.random((10, 3))
    capacities = np.array([10**12, 10**12, 0])
    solution = max_weight_transport(weights, capacities)
    assert (solution.employee_position == weights[:, :2].argmax(axis=1)).all()
    assert (solution.position_prices[:2] == 0).all()
    check_solution(solution, weights, capacities, rtol=1e-12)


# ----------------------------------------------------------------------------- property tests

case = st.tuples(st.integers(0, 12), st.integers(0, 5), st.integers(0, 10**6), st.booleans())


@given(case)
def test_property_against_expanded_scipy(params):
    n, m, seed, integer = params
    rng = np.random.default_rng(seed)
    weights, capacities, allowed = random_case(rng, n, m, integer=integer, max_cap=4)
    solution = max_weight_transport(weights, capacities, allowed=allowed)
    check_solution(solution, weights, capacities, allowed, rtol=1e-12)
    expected = expanded_reference(weights, capacities, allowed)
    assert solution.total == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(case, st.integers(0, 10**6))
def test_property_warm_start_and_sparse(params, price_seed):
    n, m, seed, integer = params
    rng = np.random.default_rng(seed)
    weights, capacities, allowed = random_case(rng, n, m, integer=integer, max_cap=4)
    cold = max_weight_transport(weights, capacities, allowed=allowed)
    prices = np.random.default_rng(price_seed).integers(0, 8, size=m)
    warm = max_weight_transport(weights, capacities, allowed=allowed, prices=prices)
    check_solution(warm, weights, capacities, allowed, rtol=1e-12)
    assert warm.total == pytest.approx(cold.total, rel=1e-12, abs=1e-12)
    # Largest optimal prices are unique: the warm start does not change them.
    np.testing.assert_allclose(warm.position_prices, cold.position_prices, rtol=1e-9, atol=1e-9)
    sparse = csr_array(np.where(allowed, weights, 0))
    rows, cols = np.nonzero(allowed)
    matrix = csr_array((weights[rows, cols], (rows, cols)), shape=(n, m))
    result = max_weight_transport_sparse(matrix.indptr, matrix.indices, matrix.data, capacities)
    assert result.total == pytest.approx(cold.total, rel=1e-12, abs=1e-12)
    assert sparse.shape == (n, m)


@given(case, st.integers(0, 10**6))
def test_property_smallest_and_largest_prices_are_a_seat_s_worth(params, price_seed):
    """Largest price: what the last seat adds; smallest: what one more seat would add.

    Both against the optimal totals of the same problem with a seat less and a seat more
    (scipy on expanded seats), from a cold and a warm start; both, and their middle, optimal
    duals.
    """
    n, m, seed, integer = params
    rng = np.random.default_rng(seed)
    weights, capacities, allowed = random_case(rng, n, m, integer=integer, max_cap=4)
    base = expanded_reference(weights, capacities, allowed)
    prices = np.random.default_rng(price_seed).integers(0, 8, size=m)
    for start in (None, prices):
        largest = max_weight_transport(weights, capacities, allowed=allowed, prices=start)
        smallest = max_weight_transport(
            weights, capacities, allowed=allowed, prices=start, dual="smallest"
        )
        middle = max_weight_transport(
            weights, capacities, allowed=allowed, prices=start, dual="middle"
        )
        for solution in (largest, smallest, middle):
            check_solution(solution, weights, capacities, allowed, rtol=1e-12)
        assert (smallest.position_prices <= largest.position_prices + 1e-9).all()
        # (a position without seats is priced where nobody wants it, at the returned values)
        seated = capacities > 0
        half = (smallest.position_prices + largest.position_prices)[seated] / 2
        np.testing.assert_allclose(
            middle.position_prices[seated], np.floor(half) if integer else half, atol=1e-9
        )
        for j in np.flatnonzero(capacities > 0):
            one = np.eye(m, dtype=int)[j]
            less = base - expanded_reference(weights, capacities - one, allowed)
            more = expanded_reference(weights, capacities + one, allowed) - base
            assert largest.position_prices[j] == pytest.approx(less, abs=1e-9)
            assert smallest.position_prices[j] == pytest.approx(more, abs=1e-9)


def test_smallest_prices_docstring_case_and_bad_dual():
    smallest = max_weight_transport([[5, 3], [4, 1], [2, 2]], [1, 2], dual="smallest")
    # a second seat of position 0 seats employee 0 there (5 instead of 3): 9 -> 11; a third of
    # position 1 seats nobody better
    assert smallest.position_prices.tolist() == [2, 0]
    assert smallest.employee_values.tolist() == [3, 2, 2]
    assert smallest.total == 9
    message = "'dual' parameter of max_weight_transport_sparse must be a str among {'largest'"
    with pytest.raises(ValueError, match=message):
        max_weight_transport_sparse([0, 1], [0], [1], [1], dual="least")


# ----------------------------------------------------------------------------- warm start, sparse


def test_warm_start_from_previous_prices_after_adding_pairs():
    rng = np.random.default_rng(4)
    weights = rng.random((300, 12))
    capacities = rng.integers(5, 30, size=12)
    allowed = rng.random((300, 12)) < 0.3
    first = max_weight_transport(weights, capacities, allowed=allowed)
    more = allowed | (rng.random((300, 12)) < 0.2)
    cold = max_weight_transport(weights, capacities, allowed=more)
    warm = max_weight_transport(weights, capacities, allowed=more, prices=first.position_prices)
    check_solution(warm, weights, capacities, more, rtol=1e-12)
    assert warm.total == pytest.approx(cold.total, rel=1e-12)
    assert warm.total == pytest.approx(expanded_reference(weights, capacities, more), rel=1e-9)
    # Optimal prices in, optimal prices out; the solve moves almost nobody.
    again = max_weight_transport(weights, capacities, allowed=more, prices=cold.position_prices)
    assert again.total == pytest.approx(cold.total, rel=1e-12)


def _assert_same_optimum(warm, cold, weights, capacities, allowed):
    check_solution(warm, weights, capacities, allowed, rtol=1e-12)
    if weights.dtype.kind in "iu":
        assert warm.total == cold.total
        np.testing.assert_array_equal(warm.position_prices, cold.position_prices)
        np.testing.assert_array_equal(warm.employee_values, cold.employee_values)
    else:
        assert warm.total == pytest.approx(cold.total, rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(warm.position_prices, cold.position_prices, atol=1e-9)


warm_case = st.tuples(
    st.integers(0, 40), st.integers(1, 8), st.integers(0, 10**6), st.booleans(), st.booleans()
)


@given(warm_case, st.sampled_from([0, transport.REPAIR_WORK, 10**6]))
def test_property_warm_starts_equal_cold(params, repair_work):
    """Warm starts from optimal, random and subproblem prices give the cold optimum exactly.

    ``repair_work``: 0 restarts cold whenever a seat needs repair, 10**6 always repairs.
    """
    n, m, seed, integer, small_matrix = params
    rng = np.random.default_rng(seed)
    weights, capacities, allowed = random_case(
        rng, n, m, integer=integer, max_cap=int(rng.integers(1, 8)), high=int(rng.integers(3, 60))
    )
    old, old_work = transport.MAX_MATRIX_POSITIONS, transport.REPAIR_WORK
    transport.MAX_MATRIX_POSITIONS = -1 if small_matrix else old
    transport.REPAIR_WORK = repair_work
    try:
        cold = max_weight_transport(weights, capacities, allowed=allowed)
        expected = expanded_reference(weights, capacities, allowed)
        assert cold.total == pytest.approx(expected, rel=1e-9, abs=1e-12)
        fewer = allowed & (rng.random(allowed.shape) < 0.7)
        sub = max_weight_transport(weights, capacities, allowed=fewer)
        high = int(np.abs(weights).max(initial=1)) * 3
        starts = [
            cold.position_prices,  # optimal (the largest duals)
            rng.integers(0, high + 1, size=m),  # random, often far too high
            rng.integers(0, 3, size=m) * rng.integers(0, high + 1, size=m),  # some zeros
            sub.position_prices,  # a subproblem with fewer pairs
        ]
        for prices in starts:
            if not integer:
                prices = prices + rng.random(m) * (prices > 0)
            warm = max_weight_transport(weights, capacities, allowed=allowed, prices=prices)
            _assert_same_optimum(warm, cold, weights, capacities, allowed)
    finally:
        transport.MAX_MATRIX_POSITIONS, transport.REPAIR_WORK = old, old_work


@given(warm_case)
def test_property_warm_placements_equal_cold(params):
    """A warm placement (hints, kept only where tight) gives the cold optimum exactly.

    The certified loop's use (a subproblem's placement and prices after pairs were added), the
    optimum's own, and random placements at random prices (mostly not tight, so searched).
    """
    n, m, seed, integer, small_matrix = params
    rng = np.random.default_rng(seed)
    weights, capacities, allowed = random_case(
        rng, n, m, integer=integer, max_cap=int(rng.integers(1, 8)), high=int(rng.integers(3, 60))
    )
    old = transport.MAX_MATRIX_POSITIONS
    transport.MAX_MATRIX_POSITIONS = -1 if small_matrix else old
    try:
        cold = max_weight_transport(weights, capacities, allowed=allowed)
        sub = max_weight_transport(
            weights, capacities, allowed=allowed & (rng.random((n, m)) < 0.7)
        )
        high = int(np.abs(weights).max(initial=1)) * 3
        starts = [
            (sub.position_prices, sub.employee_position),
            (cold.position_prices, cold.employee_position),
            (rng.integers(0, high + 1, size=m), rng.integers(-1, m, size=n)),
        ]
        for prices, placement in starts:
            if not integer:
                prices = prices + rng.random(m) * (prices > 0)
            warm = max_weight_transport(
                weights, capacities, allowed=allowed, prices=prices, placement=placement
            )
            _assert_same_optimum(warm, cold, weights, capacities, allowed)
        # from the optimum itself every employee keeps its seat: no search moves anybody
        again = max_weight_transport(
            weights, capacities, allowed=allowed, prices=cold.position_prices,
            placement=cold.employee_position,
        )  # fmt: skip
        assert again.n_moves == 0
        np.testing.assert_array_equal(again.employee_position, cold.employee_position)
    finally:
        transport.MAX_MATRIX_POSITIONS = old


def test_warm_placement_after_adding_pairs():
    """Pairs added to a solved subproblem: its placement and prices re-solve it exactly."""
    rng = np.random.default_rng(11)
    n, m = 600, 30
    weights = rng.integers(1, 10**6, size=(n, m))
    capacities = rng.integers(5, 30, size=m)
    allowed = rng.random((n, m)) < 0.1
    more = allowed | (rng.random((n, m)) < 0.02)
    first = max_weight_transport(weights, capacities, allowed=allowed)
    cold = max_weight_transport(weights, capacities, allowed=more)
    hinted = max_weight_transport(
        weights, capacities, allowed=more, prices=first.position_prices,
        placement=first.employee_position,
    )  # fmt: skip
    _assert_same_optimum(hinted, cold, weights, capacities, more)
    assert hinted.total == expanded_reference(weights, capacities, more)


@pytest.mark.parametrize("seed", range(12))
def test_warm_start_from_subproblem_prices_sparse_many_seats(seed):
    """The certified loop's use: pairs added to a candidate set, re-solved from its prices."""
    rng = np.random.default_rng(seed)
    n, m = 400, int(rng.integers(5, 40))
    weights = rng.integers(1, 10**6, size=(n, m))
    capacities = rng.integers(0, 25, size=m)
    allowed = rng.random((n, m)) < 0.15
    full = allowed | (rng.random((n, m)) < 0.05)
    rows, cols = np.nonzero(full)
    matrix = csr_array((weights[rows, cols], (rows, cols)), shape=(n, m))
    cold = max_weight_transport_sparse(matrix.indptr, matrix.indices, matrix.data, capacities)
    first = max_weight_transport(weights, capacities, allowed=allowed)
    for prices in (first.position_prices, cold.position_prices):
        warm = max_weight_transport_sparse(
            matrix.indptr, matrix.indices, matrix.data, capacities, prices=prices
        )
        _assert_same_optimum(warm, cold, weights, capacities, full)
    assert cold.total == expanded_reference(weights, capacities, full)
    # From its own optimal prices, a solve moves far fewer employees than from scratch.
    again = max_weight_transport_sparse(
        matrix.indptr, matrix.indices, matrix.data, capacities, prices=cold.position_prices
    )
    assert again.n_moves <= cold.n_moves


def test_sparse_equals_dense_unsorted_rows():
    rng = np.random.default_rng(5)
    n, m = 200, 15
    weights = rng.integers(-3, 50, size=(n, m))
    allowed = rng.random((n, m)) < 0.4
    capacities = rng.integers(0, 20, size=m)
    dense = max_weight_transport(weights, capacities, allowed=allowed)
    # CSR with the pairs of each row in a shuffled order.
    indptr = np.concatenate([[0], np.cumsum(allowed.sum(axis=1))])
    indices = np.concatenate([rng.permutation(np.flatnonzero(row)) for row in allowed])
    rows = np.repeat(np.arange(n), allowed.sum(axis=1))
    values = weights[rows, indices]
    sparse = max_weight_transport_sparse(indptr, indices, values, capacities)
    assert sparse.total == dense.total
    np.testing.assert_array_equal(sparse.position_prices, dense.position_prices)
    np.testing.assert_array_equal(sparse.employee_values, dense.employee_values)


@pytest.mark.parametrize("max_matrix", [-1, 4096])
def test_both_relaxations_agree(monkeypatch, max_matrix):
    """The exchange matrix and the exchange rows (used above MAX_MATRIX_POSITIONS) agree."""
    monkeypatch.setattr(transport, "MAX_MATRIX_POSITIONS", max_matrix)
    rng = np.random.default_rng(6)
    for integer in (True, False):
        for _ in range(5):
            weights, capacities, allowed = random_case(
                rng, 80, 9, integer=integer, max_cap=12, high=40
            )
            solution = max_weight_transport(weights, capacities, allowed=allowed)
            check_solution(solution, weights, capacities, allowed, rtol=1e-12)
            expected = expanded_reference(weights, capacities, allowed)
            assert solution.total == pytest.approx(expected, rel=1e-9)


@given(seed=st.integers(0, 2**31), integer=st.booleans())
def test_exchange_rows_emptied_pool_same_solve(seed, integer):
    """A pool too small for every row (emptied again and again) changes nothing.

    Exchange rows only cache what a scan of the occupants would find, so the searches make the
    same choices from any pool size; and the result equals the expanded optimum.
    """
    rng = np.random.default_rng(seed)
    weights, capacities, allowed = random_case(
        rng, int(rng.integers(1, 90)), int(rng.integers(1, 14)), integer=integer, max_cap=9
    )
    solve = lambda: max_weight_transport(weights, capacities, allowed=allowed)  # noqa: E731
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transport, "MAX_MATRIX_POSITIONS", -1)
        roomy = solve()
        patch.setattr(transport, "EXCHANGE_POOL", 0.0)  # room for two rows: emptied often
        tight = solve()
    np.testing.assert_array_equal(tight.employee_position, roomy.employee_position)
    np.testing.assert_array_equal(tight.position_prices, roomy.position_prices)
    assert tight.n_moves == roomy.n_moves
    check_solution(tight, weights, capacities, allowed, rtol=1e-12)
    expected = expanded_reference(weights, capacities, allowed)
    assert tight.total == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_many_moves_small_and_large_positions():
    """Occupants leave positions of one seat and of many: the exchange rows stay exact."""
    rng = np.random.default_rng(7)
    for integer in (True, False):
        for _ in range(4):
            weights, _, allowed = random_case(rng, 150, 25, integer=integer, high=8)
            capacities = np.where(rng.random(25) < 0.5, 1, rng.integers(10, 40, size=25))
            solution = max_weight_transport(weights, capacities, allowed=allowed)
            assert solution.n_moves > 0
            check_solution(solution, weights, capacities, allowed, rtol=1e-12)
            expected = expanded_reference(weights, capacities, allowed)
            assert solution.total == pytest.approx(expected, rel=1e-9)


# ----------------------------------------------------------------------------- OR-Library


@pytest.mark.parametrize("name", ["assign100", "assign500"])
def test_orlib_known_optima(name):
    reason = missing_reason(name)
    if reason:
        pytest.skip(reason)
    cost = load_assignment(name)
    n = cost.shape[0]
    # Minimum-cost perfect assignment; positive weights 101 - c make every row placed.
    solution = max_weight_transport(101 - cost, np.ones(n, dtype=int))
    assert (solution.employee_position >= 0).all()
    assert 101 * n - solution.total == KNOWN_OPTIMA[name]
    check_solution(solution, 101 - cost, np.ones(n, dtype=int))


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: max_weight_transport([[1.0]], [-1]), "'capacities' parameter of"),
        (lambda: max_weight_transport([[1.0]], [1.5]), "whole numbers of seats"),
        (lambda: max_weight_transport([[1.0]], [[1]]), "1-D array"),
        (lambda: max_weight_transport([[1.0, 2.0]], [1]), "shape \\(n_employees, 1\\)"),
        (lambda: max_weight_transport([[np.nan]], [1]), "finite"),
        (lambda: max_weight_transport([[np.inf]], [1]), "finite"),
        (lambda: max_weight_transport([["a"]], [1]), "real numbers"),
        (lambda: max_weight_transport([[2**57]], [1]), "2\\*\\*56"),
        (lambda: max_weight_transport([[1.0]], [1], allowed=[[1]]), "'allowed' parameter"),
        (lambda: max_weight_transport([[1.0]], [1], prices=[-1.0]), "non-negative"),
        (lambda: max_weight_transport([[1.0]], [1], prices=[1.0, 2.0]), "'prices' parameter"),
        (lambda: max_weight_transport([[1]], [1], prices=[0.5]), "whole numbers"),
        (lambda: max_weight_transport_sparse([0, 1], [3], [1.0], [1]), "'indices' parameter"),
        (lambda: max_weight_transport_sparse([0, 2], [0], [1.0], [1]), "'indptr' parameter"),
        (lambda: max_weight_transport_sparse([0, 1], [0], [1.0, 2.0], [1]), "'weights'"),
        (lambda: max_weight_transport_sparse([0, 2], [0, 0], [1.0, 2.0], [1]), "at most once"),
        (lambda: max_weight_transport([[1.0]], [1], placement=[0]), "needs the 'prices'"),
        (
            lambda: max_weight_transport([[1.0]], [1], prices=[0.0], placement=[0, 0]),
            "'placement' parameter",
        ),
        (
            lambda: max_weight_transport([[1.0]], [1], prices=[0.0], placement=[1]),
            "positions in \\[0, 1\\) or -1",
        ),
        (
            lambda: max_weight_transport([[1.0]], [1], prices=[0.0], placement=[0.0]),
            "1-D array of integers",
        ),
    ],
)
def test_validation_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_nan_on_forbidden_pairs_is_ignored():
    weights = np.array([[np.nan, 2.0], [1.0, np.inf]])
    allowed = np.array([[False, True], [True, False]])
    solution = max_weight_transport(weights, [1, 1], allowed=allowed)
    assert solution.employee_position.tolist() == [1, 0]
    assert solution.total == 3.0


# ----------------------------------------------------------------------------- numba caching


def test_call_emits_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        max_weight_transport(np.array([[1.0, 2.0]]), [1, 1])
        max_weight_transport(np.array([[1, 2]]), [1, 1])


def test_import_and_call_without_writable_cache_emit_no_warning(tmp_path):
    """Numba finds no writable cache directory: the module compiles without caching, quietly."""
    script = textwrap.dedent(
        """
        import warnings
        warnings.simplefilter("error")
        from numba.core import caching
        caching.CacheImpl._locator_classes = []  # no place to cache: as on a read-only install
        from asn_match.kernels.transport import max_weight_transport
        print(max_weight_transport([[1.0, 2.0], [3.0, 1.0]], [1, 1]).total)
        """
    )
    env = dict(os.environ, PYTHONWARNINGS="error", NUMBA_CACHE_DIR=str(tmp_path / "none"))
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "5.0"
    assert "Warning" not in result.stderr
