"""The auction's starting prices: a proposal only, so every solve from them equals the cold one."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from asn_match.kernels import transport
from asn_match.kernels.auction import auction_prices
from asn_match.kernels.transport import max_weight_transport
from test_transport import brute_force, check_solution, random_case


def _solve(
    weights, capacities, allowed, *, auction: bool, repair_work=None, matrix=True, fine=False
):
    """Solve with or without the auction's prices; ``fine``: its finer prices (no matrix)."""
    names = ("AUCTION_MIN_PAIRS", "REPAIR_WORK", "MAX_MATRIX_POSITIONS", "FINE_AUCTION_PAIRS")
    old = [getattr(transport, name) for name in names]
    transport.AUCTION_MIN_PAIRS = 0 if auction else 2**62
    transport.REPAIR_WORK = old[1] if repair_work is None else repair_work
    transport.MAX_MATRIX_POSITIONS = old[2] if matrix else -1
    transport.FINE_AUCTION_PAIRS = 0 if fine else 2**62
    try:
        return max_weight_transport(weights, capacities, allowed=allowed)
    finally:
        for name, value in zip(names, old, strict=True):
            setattr(transport, name, value)


def _csr(weights, allowed):
    usable = allowed & (weights > 0)
    indptr = np.concatenate([[0], np.cumsum(usable.sum(axis=1))]).astype(np.int64)
    indices = np.nonzero(usable)[1].astype(np.int64)
    return indptr, indices, weights[usable]


@pytest.mark.parametrize("seed", range(30))
def test_brute_force_tiny_from_auction_prices(seed):
    rng = np.random.default_rng(seed)
    weights, capacities, allowed = random_case(rng, 5, 3, max_cap=2)
    solution = _solve(weights, capacities, allowed, auction=True)
    check_solution(solution, weights, capacities, allowed)
    assert solution.total == brute_force(weights, capacities, allowed)


auction_case = st.tuples(
    st.integers(0, 60),  # employees
    st.integers(1, 12),  # positions
    st.integers(0, 10**6),  # seed
    st.booleans(),  # integer weights
    st.sampled_from([0, 10**9]),  # a constant added to every pair (the fill-first shift)
    st.sampled_from([None, 0]),  # repair budget: the default, or none (a cold restart)
    st.booleans(),  # the exchange matrix
    st.booleans(),  # the auction's finer prices (without the matrix)
)


@given(auction_case)
def test_property_solve_from_auction_prices_equals_cold(params):
    n, m, seed, integer, shift, repair_work, matrix, fine = params
    rng = np.random.default_rng(seed)
    weights, capacities, allowed = random_case(
        rng, n, m, integer=integer, max_cap=int(rng.integers(1, 9)), high=int(rng.integers(3, 60))
    )
    weights = weights + (shift if integer else 0)
    cold = _solve(weights, capacities, allowed, auction=False)
    warm = _solve(
        weights, capacities, allowed, auction=True, repair_work=repair_work, matrix=matrix,
        fine=fine,
    )  # fmt: skip
    check_solution(warm, weights, capacities, allowed, rtol=0.0 if integer else 1e-12)
    if integer:
        assert warm.total == cold.total
        np.testing.assert_array_equal(warm.position_prices, cold.position_prices)
    else:
        assert warm.total == pytest.approx(cold.total, rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(warm.position_prices, cold.position_prices, atol=1e-9)


@given(st.integers(1, 80), st.integers(1, 10), st.integers(0, 10**6), st.booleans())
def test_property_prices_non_negative_of_the_weights_dtype(n, m, seed, integer):
    rng = np.random.default_rng(seed)
    weights, capacities, allowed = random_case(rng, n, m, integer=integer, max_cap=5)
    indptr, indices, values = _csr(weights, allowed)
    prices = auction_prices(indptr, indices, values, capacities.astype(np.int64))
    assert prices.shape == (m,)
    assert prices.dtype == (np.int64 if integer else np.float64)
    assert (prices >= 0).all()
    # A position nobody can take, or with no seat, is not scarce.
    paired = np.bincount(indices, minlength=m)
    assert (prices[(paired == 0) | (capacities == 0)] == 0).all()


def test_no_pairs():
    empty = np.zeros(0, np.int64)
    prices = auction_prices(np.zeros(4, np.int64), empty, empty, np.array([2, 1]))
    assert prices.tolist() == [0, 0]


def _contested():
    """600 employees of one talent each wanting the same few of 60 positions."""
    rng = np.random.default_rng(7)
    n, m = 600, 60
    talent = rng.random(n)[:, None]
    weights = np.rint(1000 * (talent + 0.5 * rng.random((n, m)))).astype(np.int64)
    capacities = rng.integers(1, 12, size=m)
    allowed = rng.random((n, m)) < 0.7
    return weights, capacities, allowed


def test_prices_close_to_the_optimal_on_a_contested_workforce():
    """Many employees wanting the same few positions: the auction's prices are near optimal.

    A cold solve then has to discover every price by long searches; from the auction's prices
    the solve moves far fewer people (the measure of its work that does not depend on the
    machine's load).
    """
    weights, capacities, allowed = _contested()
    cold = _solve(weights, capacities, allowed, auction=False)
    warm = _solve(weights, capacities, allowed, auction=True)
    assert warm.total == cold.total
    assert warm.n_moves < cold.n_moves / 2
    indptr, indices, values = _csr(weights, allowed)
    proposed = auction_prices(indptr, indices, values, capacities.astype(np.int64))
    scale = float(values.max() - values.min())
    assert np.median(np.abs(proposed - cold.position_prices)) < 0.05 * scale


def test_weights_dominated_by_a_constant_start_cold():
    """Shifted (fill-first) or unit weights: no auction, whose prices would climb in tiny steps."""
    indptr, indices = np.array([0, 2, 4]), np.array([0, 1, 0, 1])
    shifted = np.array([10**15 + 3, 10**15 + 1, 10**15 + 2, 10**15])
    assert auction_prices(indptr, indices, shifted, np.array([1, 1])).tolist() == [0, 0]
    units = np.ones(4, np.int64)
    assert auction_prices(indptr, indices, units, np.array([1, 1])).tolist() == [0, 0]


def test_schedule_shrinks_to_the_final_epsilon():
    """Phases shrink by THETA down to the final share of the spread; integers in whole units."""
    from asn_match.kernels.auction import THETA, _schedule

    phases = _schedule(np.int64(10**12), 1e-9 * 10**12)
    assert phases.dtype == np.int64
    assert phases[0] == 10**12 // 4 and phases[-1] == 1000
    assert (np.diff(phases) < 0).all() and (phases[:-1] // THETA <= phases[1:]).all()
    assert _schedule(np.int64(40), 1e-9 * 40).tolist() == [10, 2, 1]  # never below 1 unit
    floats = _schedule(np.float64(8.0), 1e-3 * 8.0)
    assert floats[0] == 2.0 and floats[-1] == pytest.approx(8e-3)


def test_a_finer_final_epsilon_brings_the_prices_closer():
    """The contested workforce: down to whole units the prices are near the optimal ones."""
    weights, capacities, allowed = _contested()
    optimal = _solve(weights, capacities, allowed, auction=False).position_prices
    indptr, indices, values = _csr(weights, allowed)
    seats = capacities.astype(np.int64)
    coarse = auction_prices(indptr, indices, values, seats, final_epsilon=1e-1)
    fine = auction_prices(indptr, indices, values, seats, final_epsilon=1e-9)
    assert np.abs(fine - optimal).sum() < np.abs(coarse - optimal).sum() / 10
