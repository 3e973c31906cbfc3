"""Assignment kernels against brute force, an LP solver and the OR-Library optima."""

from __future__ import annotations

import itertools
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment, linprog

from asn_match.errors import InfeasibleError
from asn_match.kernels.lap import (
    OBJECTIVES,
    assignment_prices,
    capacity_prices,
    expand_seats,
    lexicographic_matching,
    max_cardinality_matching,
    max_weight_matching,
    seat_number,
    solve_assignment,
)
from orlib import KNOWN_OPTIMA, load_assignment, missing_reason
from strategies import cost_matrices

SMALL = settings(deadline=None, max_examples=150)

# ----------------------------------------------------------------------------- references


def brute_full_total(cost: np.ndarray, *, maximize: bool) -> float | None:
    """Best total over every matching of size min(n, m) of finite pairs; None if there is none."""
    n, m = cost.shape
    if n == 0 or m == 0:
        return 0.0
    matrix = cost if n <= m else cost.T
    small, big = matrix.shape
    perms = np.array(list(itertools.permutations(range(big), small)))
    totals = matrix[np.arange(small), perms].sum(axis=1)
    totals = totals[np.isfinite(totals)]
    if totals.size == 0:
        return None
    return float(totals.max() if maximize else totals.min())


def partial_matchings(allowed: np.ndarray):
    """Every matching of allowed pairs (including the empty one), as tuples of (row, col)."""
    n, m = allowed.shape
    options = [[j for j in range(m) if allowed[i, j]] for i in range(n)]

    def extend(i, used, pairs):
        if i == n:
            yield pairs
            return
        yield from extend(i + 1, used, pairs)
        for j in options[i]:
            if not used >> j & 1:
                yield from extend(i + 1, used | 1 << j, (*pairs, (i, j)))

    yield from extend(0, 0, ())


def objective_key(weights: np.ndarray, pairs, objective: str) -> tuple:
    values = [float(weights[i, j]) for i, j in pairs]
    total = sum(values)
    if objective == "total":
        return (total,)
    if objective == "fill_first":
        return (len(values), total)
    return (len(values), min(values, default=np.inf), total)


def brute_best(weights: np.ndarray, allowed: np.ndarray, objective: str = "total") -> tuple:
    return max(objective_key(weights, pairs, objective) for pairs in partial_matchings(allowed))


def assert_valid_matching(row_ind, col_ind, allowed, *, size=None):
    assert row_ind.dtype == np.intp and col_ind.dtype == np.intp
    assert row_ind.shape == col_ind.shape
    assert np.all(np.diff(row_ind) > 0), "rows must be sorted and distinct"
    assert np.unique(col_ind).size == col_ind.size, "columns must be distinct"
    assert allowed[row_ind, col_ind].all(), "only allowed pairs may be matched"
    if size is not None:
        assert row_ind.size == size


def assert_hall_certificate(error: InfeasibleError, allowed: np.ndarray) -> None:
    """The named set really is short of partners: all its allowed pairs lead into fewer vertices."""
    n, m = allowed.shape
    rows, cols = np.array(error.rows, dtype=int), np.array(error.cols, dtype=int)
    if n <= m:
        deficient, partners, graph, side = rows, cols, allowed, "row"
    else:
        deficient, partners, graph, side = cols, rows, allowed.T, "column"
    assert deficient.size > partners.size
    outside = np.ones(graph.shape[1], dtype=bool)
    outside[partners] = False
    assert not graph[np.ix_(deficient, outside)].any()
    named = (
        f"{side} {deficient[0]} has"
        if deficient.size == 1 and partners.size == 0
        else f"{side}s {deficient.tolist()}"
    )
    assert named in str(error)


def read_only(array: np.ndarray) -> np.ndarray:
    array = np.array(array)
    array.setflags(write=False)
    return array


# ----------------------------------------------------------------------------- solve_assignment


@SMALL
@given(case=cost_matrices(max_side=7), maximize=st.booleans())
def test_solve_assignment_matches_brute_force(case, maximize):
    values, forbidden = case
    cost = values.copy()
    cost[forbidden] = -np.inf if maximize else np.inf
    best = brute_full_total(cost, maximize=maximize)
    if best is None:
        with pytest.raises(InfeasibleError) as info:
            solve_assignment(cost, maximize=maximize)
        assert_hall_certificate(info.value, ~forbidden)
        return
    row_ind, col_ind = solve_assignment(read_only(cost), maximize=maximize)
    assert_valid_matching(row_ind, col_ind, ~forbidden, size=min(cost.shape))
    assert cost[row_ind, col_ind].sum() == best


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("shape", [(6, 6), (5, 9), (9, 5)])
def test_solve_assignment_is_scipy_compatible(seed, shape):
    rng = np.random.default_rng(seed)
    cost = rng.uniform(0, 10, shape)
    for maximize in (False, True):
        ours = solve_assignment(cost, maximize=maximize)
        theirs = linear_sum_assignment(cost, maximize=maximize)
        np.testing.assert_array_equal(ours[0], theirs[0])
        np.testing.assert_array_equal(ours[1], theirs[1])


@pytest.mark.parametrize("shape", [(0, 0), (2, 0), (0, 3)])
def test_empty_shapes_give_empty_matchings(shape):
    empty = np.zeros(shape)
    results = [
        solve_assignment(empty),
        solve_assignment(empty, maximize=True),
        max_weight_matching(empty),
        max_cardinality_matching(np.zeros(shape, dtype=bool)),
        *(lexicographic_matching(empty, objective=o) for o in OBJECTIVES),
    ]
    for row_ind, col_ind in results:
        assert row_ind.shape == col_ind.shape == (0,)
        assert row_ind.dtype == col_ind.dtype == np.intp
    u, v = assignment_prices(empty, [], [])
    assert u.shape == (shape[0],) and v.shape == (shape[1],)


def test_infeasible_error_names_the_rows_short_of_columns():
    inf = np.inf
    cost = np.array(
        [
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            [2.0, 1.0, 3.0, 4.0, 5.0, 6.0],
            [inf, inf, 1.0, inf, inf, inf],
            [inf, inf, inf, 1.0, 2.0, 2.0],
            [inf, inf, inf, 4.0, 1.0, 2.0],
            [inf, inf, 2.0, inf, inf, inf],
        ]
    )
    with pytest.raises(InfeasibleError) as info:
        solve_assignment(cost)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.__suppress_context__, "the scipy error must not show as the cause"
    assert error.rows == (2, 5) and error.cols == (2,)
    assert str(error) == (
        "No assignment of size 6 exists: rows [2, 5] have only 1 allowed column between them "
        "([2]), so at most 1 of these 2 rows can be matched; at most 5 pairs can be formed. "
        "Allow more pairs for these rows (a finite cost instead of the forbidden marker), "
        "leave 1 of them out, or use max_weight_matching, which leaves rows unmatched."
    )


def test_infeasible_error_with_more_rows_names_columns():
    allowed = np.array([[1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 1]], dtype=bool)
    cost = np.where(allowed, 1.0, np.inf)
    with pytest.raises(InfeasibleError) as info:
        solve_assignment(cost)
    assert info.value.cols == (1,) and info.value.rows == ()
    assert "column 1 has no allowed row" in str(info.value)


def test_infeasible_error_pickles_with_its_data():
    cost = np.array([[1.0, np.inf], [2.0, np.inf]])
    with pytest.raises(InfeasibleError) as info:
        solve_assignment(cost)
    restored = pickle.loads(pickle.dumps(info.value))
    assert type(restored) is InfeasibleError
    assert str(restored) == str(info.value)
    assert (restored.rows, restored.cols) == (info.value.rows, info.value.cols) == ((0, 1), (0,))


def test_solver_failure_on_extreme_costs_is_explained_not_bare():
    # The solver overflows on costs near the float limit although a full assignment exists.
    big, inf = 1.7e308, np.inf
    cost = np.array([[big, big, inf], [big, inf, inf], [inf, -big, big]])
    with pytest.raises(ValueError, match="Rescale the costs") as info:
        solve_assignment(cost)
    assert not isinstance(info.value, InfeasibleError)


# ----------------------------------------------------------------------------- input validation


def test_rejects_a_3d_array():
    with pytest.raises(ValueError, match=r"expected a matrix \(2-D array\), got a 3-D array"):
        solve_assignment(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"expected a matrix \(2-D array\), got a 1-D array"):
        max_weight_matching(np.zeros(3))


@pytest.mark.parametrize(
    "cost", [np.array([["a", "b"]]), np.array([[1, None]], dtype=object), np.ones((2, 2)) * 1j]
)
def test_rejects_non_numeric_matrices(cost):
    message = (
        f"The 'cost' parameter of solve_assignment must be a matrix of real numbers. Got an array "
        f"of dtype {cost.dtype} instead. Convert it first, e.g. np.asarray(cost, dtype=float)."
    )
    with pytest.raises(ValueError) as info:
        solve_assignment(cost)
    assert str(info.value) == message


def test_rejects_ragged_rows():
    with pytest.raises(ValueError, match="its rows have different lengths"):
        solve_assignment([[1.0, 2.0], [3.0]])


def test_rejects_nan_with_its_position():
    cost = np.array([[1.0, 2.0], [np.nan, 3.0]])
    with pytest.raises(ValueError) as info:
        solve_assignment(cost)
    assert str(info.value) == (
        "The 'cost' parameter of solve_assignment contains NaN (first at row 1, column 0). "
        "Use +inf to forbid a pair, or give it a number."
    )
    # max_weight_matching has an 'allowed' mask, so its message offers it too.
    with pytest.raises(ValueError, match=r"at row 1, column 0\)\. Use -inf \(or allowed=False\)"):
        max_weight_matching(cost)


def test_rejects_the_infinity_that_cannot_mean_forbidden():
    cost = np.array([[1.0, -np.inf], [2.0, 3.0]])
    with pytest.raises(ValueError) as info:
        solve_assignment(cost)
    assert str(info.value) == (
        "The 'cost' parameter of solve_assignment contains -inf (first at row 0, column 1), "
        "which is not allowed when minimising: +inf marks a forbidden pair. "
        "Use +inf to forbid a pair, or a finite value."
    )
    # -inf is the forbidden marker when maximising, +inf is then rejected
    assert solve_assignment(cost, maximize=True)[1].tolist() == [0, 1]
    with pytest.raises(ValueError, match=r"contains \+inf .* not allowed when maximising"):
        solve_assignment(-cost, maximize=True)
    with pytest.raises(ValueError, match=r"contains \+inf \(first at row 0, column 1\)"):
        max_weight_matching(-cost)


def test_values_outside_allowed_are_ignored():
    weights = np.array([[np.nan, 2.0], [np.inf, 1.0]])
    allowed = np.array([[False, True], [False, True]])
    assert max_weight_matching(weights, allowed=allowed)[0].tolist() == [0]
    with pytest.raises(ValueError, match="contains NaN"):
        max_weight_matching(weights, allowed=~allowed)


def test_rejects_bad_options():
    weights = np.ones((2, 3))
    with pytest.raises(ValueError) as info:
        solve_assignment(weights, maximize="yes")
    assert str(info.value) == (
        "The 'maximize' parameter of solve_assignment must be a bool (True or False). "
        "Got 'yes' instead."
    )
    with pytest.raises(ValueError) as info:
        lexicographic_matching(weights, objective="fill")
    assert str(info.value) == (
        "The 'objective' parameter of lexicographic_matching must be a str among "
        "{'total', 'fill_first', 'bottleneck'}. Got 'fill' instead."
    )
    with pytest.raises(ValueError, match=r"must be None or a boolean array of shape \(2, 3\)"):
        max_weight_matching(weights, allowed=np.ones((2, 2), dtype=bool))
    with pytest.raises(ValueError, match="dtype int64"):
        max_weight_matching(weights, allowed=np.ones((2, 3), dtype=np.int64))
    with pytest.raises(ValueError, match="must be a boolean matrix"):
        max_cardinality_matching(np.ones((2, 3)))


def test_rejects_invalid_matchings_given_for_prices():
    weights = np.array([[4.0, 3.0], [3.0, -np.inf]])
    with pytest.raises(ValueError, match=r"must not repeat an index .* Got repeats \[0\]"):
        assignment_prices(weights, [0, 0], [0, 1])
    with pytest.raises(ValueError, match=r"must hold indices in \[0, 2\). Got \[5\]"):
        assignment_prices(weights, [0], [5])
    with pytest.raises(ValueError, match="must have the same length. Got 2 and 1"):
        assignment_prices(weights, [0, 1], [0])
    with pytest.raises(ValueError, match=r"uses the forbidden pair \(row 1, column 1\)"):
        assignment_prices(weights, [0, 1], [0, 1])
    with pytest.raises(ValueError, match="1-D array of integer indices"):
        assignment_prices(weights, [0.0], [1.0])


def test_inputs_are_never_modified():
    rng = np.random.default_rng(3)
    weights = rng.uniform(-5, 10, (6, 8))
    weights[rng.random(weights.shape) < 0.2] = -np.inf
    frozen, allowed = read_only(weights), read_only(np.isfinite(weights))
    row_ind, col_ind = max_weight_matching(frozen, allowed=allowed)
    for objective in OBJECTIVES:
        lexicographic_matching(frozen, allowed=allowed, objective=objective)
    assignment_prices(frozen, read_only(row_ind), read_only(col_ind), allowed=allowed)
    solve_assignment(frozen, maximize=True)
    max_cardinality_matching(allowed)
    np.testing.assert_array_equal(frozen, weights)


# ----------------------------------------------------------------------------- partial matchings


@SMALL
@given(case=cost_matrices(max_side=6), explicit_mask=st.booleans())
def test_max_weight_matching_matches_brute_force(case, explicit_mask):
    values, forbidden = case
    weights = values.copy()
    if explicit_mask:
        weights[forbidden] = np.nan  # ignored: outside allowed
        row_ind, col_ind = max_weight_matching(read_only(weights), allowed=~forbidden)
    else:
        weights[forbidden] = -np.inf
        row_ind, col_ind = max_weight_matching(read_only(weights))
    assert_valid_matching(row_ind, col_ind, ~forbidden)
    assert np.all(weights[row_ind, col_ind] > 0), "pairs of weight <= 0 are never used"
    (best,) = brute_best(values, ~forbidden, "total")
    assert weights[row_ind, col_ind].sum() == best


@SMALL
@given(
    case=cost_matrices(max_side=6),
    objective=st.sampled_from(OBJECTIVES),
    explicit_mask=st.booleans(),
)
def test_lexicographic_matching_matches_brute_force(case, objective, explicit_mask):
    values, forbidden = case
    if explicit_mask:
        weights = np.where(forbidden, np.nan, values)
        row_ind, col_ind = lexicographic_matching(
            read_only(weights), allowed=~forbidden, objective=objective
        )
    else:
        weights = np.where(forbidden, -np.inf, values)
        row_ind, col_ind = lexicographic_matching(read_only(weights), objective=objective)
    assert_valid_matching(row_ind, col_ind, ~forbidden)
    found = objective_key(values, zip(row_ind, col_ind, strict=True), objective)
    assert found == brute_best(values, ~forbidden, objective)


@SMALL
@given(case=cost_matrices(max_side=6))
def test_max_cardinality_matching_matches_brute_force(case):
    _, forbidden = case
    row_ind, col_ind = max_cardinality_matching(~forbidden)
    assert_valid_matching(row_ind, col_ind, ~forbidden)
    assert row_ind.size == max(len(pairs) for pairs in partial_matchings(~forbidden))


@pytest.mark.parametrize("dtype", [np.bool_, np.int32, np.int64, np.uint8, np.float32])
def test_accepts_boolean_integer_and_single_precision_weights(dtype):
    rng = np.random.default_rng(7)
    weights = rng.integers(0, 2 if dtype is np.bool_ else 9, (5, 7)).astype(dtype)
    as_float = weights.astype(float)
    for matrix in (weights, weights.T):
        reference = max_weight_matching(matrix.astype(float))
        row_ind, col_ind = max_weight_matching(matrix)
        assert matrix[row_ind, col_ind].astype(float).sum() == pytest.approx(
            matrix.astype(float)[reference].sum()
        )
        for objective in OBJECTIVES:
            lexicographic_matching(matrix, objective=objective)
    row_ind, col_ind = max_weight_matching(weights)
    u, v = assignment_prices(weights, row_ind, col_ind)
    assert_dual_prices(as_float, np.ones(weights.shape, dtype=bool), row_ind, col_ind, u, v)
    row_ind, col_ind = solve_assignment(weights, maximize=True)
    assert as_float[row_ind, col_ind].sum() == brute_full_total(as_float, maximize=True)


def test_zero_weight_pairs_are_left_unmatched():
    weights = np.array([[0.0, 0.0], [0.0, 2.0]])
    assert max_weight_matching(weights)[0].tolist() == [1]
    assert lexicographic_matching(weights, objective="fill_first")[0].tolist() == [0, 1]


def test_fill_first_prefers_more_pairs_over_a_larger_total():
    weights = np.array([[100.0, 1.0], [99.0, -np.inf]])
    assert max_weight_matching(weights)[1].tolist() == [0]
    assert lexicographic_matching(weights, objective="fill_first")[1].tolist() == [1, 0]


def test_bottleneck_raises_the_weakest_pair_before_the_total():
    # Both full matchings fill 2 seats; {90 + 10} has the larger total, {50 + 45} the better worst.
    weights = np.array([[90.0, 50.0], [45.0, 10.0]])
    assert lexicographic_matching(weights, objective="fill_first")[1].tolist() == [0, 1]
    assert lexicographic_matching(weights, objective="bottleneck")[1].tolist() == [1, 0]


def test_fill_first_is_exact_where_a_big_constant_would_round():
    weights = np.array([[1e12, 1e12], [1e12, 1e12 + 5e-4], [1.0, -np.inf]])
    # Adding a constant B larger than any total difference rounds the two full matchings equal:
    big = 1 + 2 * 2 * 1e12
    diagonal = (weights[0, 0] + big) + (weights[1, 1] + big)
    assert diagonal == (weights[0, 1] + big) + (weights[1, 0] + big)
    # the padded exact method still tells them apart.
    row_ind, col_ind = lexicographic_matching(weights, objective="fill_first")
    assert row_ind.tolist() == [0, 1] and col_ind.tolist() == [0, 1]


# ----------------------------------------------------------------------------- dual prices


def assert_dual_prices(weights, allowed, row_ind, col_ind, u, v, *, atol=1e-7):
    gain = np.where(allowed, weights, -np.inf)
    assert np.all(u >= 0) and np.all(v >= 0)
    assert np.all(u[:, None] + v[None, :] >= gain - atol), "dual feasibility"
    np.testing.assert_allclose(u[row_ind] + v[col_ind], weights[row_ind, col_ind], atol=atol)
    unmatched_rows = np.setdiff1d(np.arange(weights.shape[0]), row_ind)
    unmatched_cols = np.setdiff1d(np.arange(weights.shape[1]), col_ind)
    assert np.all(u[unmatched_rows] == 0) and np.all(v[unmatched_cols] == 0)
    assert u.sum() + v.sum() == pytest.approx(weights[row_ind, col_ind].sum(), abs=atol)


@SMALL
@given(case=cost_matrices(max_side=5, low=-3, high=9))
def test_seat_prices_are_marginal_values(case):
    values, forbidden = case
    weights = np.where(forbidden, -np.inf, values)
    row_ind, col_ind = max_weight_matching(weights)
    u, v = assignment_prices(read_only(weights), row_ind, col_ind)
    assert_dual_prices(values, ~forbidden, row_ind, col_ind, u, v)
    # Shapley-Shubik: the largest seat price is the drop of the optimum without that seat.
    (optimum,) = brute_best(values, ~forbidden)
    for seat in range(values.shape[1]):
        without = ~forbidden
        without[:, seat] = False
        (rest,) = brute_best(values, without)
        assert v[seat] == pytest.approx(optimum - rest, abs=1e-7)
    # The same matching, read as a minimum-cost problem, has the negated prices.
    cost = np.where(forbidden, np.inf, -values)
    u_min, v_min = assignment_prices(cost, row_ind, col_ind, maximize=False)
    np.testing.assert_allclose(u_min, -u, atol=1e-9)
    np.testing.assert_allclose(v_min, -v, atol=1e-9)


@SMALL
@given(case=cost_matrices(max_side=4, low=-3, high=9), pick=st.integers(0, 10**6))
def test_prices_exist_exactly_for_optimal_matchings(case, pick):
    values, forbidden = case
    matchings = list(partial_matchings(~forbidden))
    pairs = matchings[pick % len(matchings)]
    row_ind = np.array([i for i, _ in pairs], dtype=int)
    col_ind = np.array([j for _, j in pairs], dtype=int)
    allowed = ~forbidden
    (optimum,) = brute_best(values, allowed)
    if values[row_ind, col_ind].sum() == optimum:
        u, v = assignment_prices(values, row_ind, col_ind, allowed=allowed)
        assert_dual_prices(values, allowed, row_ind, col_ind, u, v)
    else:
        with pytest.raises(ValueError, match="is not optimal for these weights"):
            assignment_prices(values, row_ind, col_ind, allowed=allowed)


def test_prices_of_a_suboptimal_matching_are_refused():
    weights = np.array([[4.0, 3.0], [3.0, 1.0]])
    with pytest.raises(ValueError) as info:
        assignment_prices(weights, [0, 1], [0, 1])
    assert str(info.value).startswith("The assignment is not optimal for these weights (")
    assert "max_weight_matching" in str(info.value)
    with pytest.raises(ValueError, match="unmatched row 0 is worth more in column 0"):
        assignment_prices(np.array([[5.0]]), [], [])
    with pytest.raises(ValueError, match=r"the pair \(row 0, column 0\) has a negative weight"):
        assignment_prices(np.array([[-5.0]]), [0], [0])


@pytest.mark.parametrize("seed", range(4))
def test_totals_and_prices_match_linprog_on_positions_with_seats(seed):
    rng = np.random.default_rng(seed)
    n_employees, n_positions = 30, 12
    seats = rng.integers(0, 5, n_positions)
    weights = rng.uniform(-20.0, 100.0, (n_employees, n_positions)).round(1)
    allowed = rng.random((n_employees, n_positions)) > 0.3
    seat_position = expand_seats(seats)
    seat_weights = weights[:, seat_position]
    seat_allowed = allowed[:, seat_position]
    row_ind, col_ind = max_weight_matching(seat_weights, allowed=seat_allowed)
    total = seat_weights[row_ind, col_ind].sum()

    # The transportation LP on positions: sum_p x_ip <= 1, sum_i x_ip <= seats_p.
    employee, position = np.nonzero(allowed)
    arcs = np.arange(employee.size)
    constraints = np.zeros((n_employees + n_positions, arcs.size))
    constraints[employee, arcs] = 1.0
    constraints[n_employees + position, arcs] = 1.0
    lp = linprog(
        -weights[employee, position],
        A_ub=constraints,
        b_ub=np.r_[np.ones(n_employees), seats],
        bounds=(0, None),
        method="highs",
    )
    assert lp.status == 0
    assert total == pytest.approx(-lp.fun, abs=1e-6)

    u, v = assignment_prices(seat_weights, row_ind, col_ind, allowed=seat_allowed)
    assert_dual_prices(seat_weights, seat_allowed, row_ind, col_ind, u, v)
    price = capacity_prices(v, seats)
    has_seats = seats > 0
    assert np.isnan(price[~has_seats]).all()
    np.testing.assert_allclose(v, price[seat_position], atol=1e-7)  # one price per position
    # (u, price) is an optimal dual of the position LP: feasible, slack-complementary, same value.
    feasible = u[:, None] + price[None, has_seats] >= weights[:, has_seats] - 1e-7
    assert feasible[allowed[:, has_seats]].all()
    filled = np.bincount(seat_position[col_ind], minlength=n_positions)
    assert np.all(price[has_seats & (filled < seats)] == 0)
    assert u.sum() + (seats[has_seats] * price[has_seats]).sum() == pytest.approx(-lp.fun)
    # HiGHS returns another optimal dual; ours has the largest position prices.
    highs_price = -lp.ineqlin.marginals[n_employees:]
    assert np.all(price[has_seats] >= highs_price[has_seats] - 1e-6)


# ----------------------------------------------------------------------------- seats


@settings(deadline=None, max_examples=100)
@given(capacities=st.lists(st.integers(0, 4), max_size=8), as_float=st.booleans())
def test_seat_helpers_match_a_loop(capacities, as_float):
    given_capacities = np.array(capacities, dtype=float if as_float else np.int64)
    expected_position = [p for p, c in enumerate(capacities) for _ in range(c)]
    expected_number = [s for c in capacities for s in range(c)]
    assert expand_seats(given_capacities).tolist() == expected_position
    assert seat_number(given_capacities).tolist() == expected_number
    assert expand_seats(given_capacities).dtype == np.intp


@settings(deadline=None, max_examples=100)
@given(capacities=st.lists(st.integers(0, 4), max_size=8), seed=st.integers(0, 99))
def test_capacity_prices_match_a_loop(capacities, seed):
    prices = np.random.default_rng(seed).uniform(0, 10, sum(capacities))
    expected, start = [], 0
    for c in capacities:
        expected.append(min(prices[start : start + c]) if c else np.nan)
        start += c
    np.testing.assert_array_equal(capacity_prices(prices, capacities), expected)


@pytest.mark.parametrize(
    ("capacities", "match"),
    [
        ([2, -1], r"must be non-negative \(a number of seats\). Got -1 at position 1"),
        ([1.5, 2], r"must hold whole numbers of seats. Got 1.5 at position 0"),
        ([np.nan], r"must hold whole numbers of seats. Got nan at position 0"),
        ([[1, 2]], r"must be a 1-D array of non-negative integers of shape \(n_positions,\)"),
        (["2"], r"Got an array of dtype <U1"),
    ],
)
def test_seat_helpers_reject_invalid_capacities(capacities, match):
    for helper in (expand_seats, seat_number):
        with pytest.raises(ValueError, match=match):
            helper(capacities)


def test_capacity_prices_checks_the_number_of_seat_prices():
    with pytest.raises(ValueError, match=r"must have shape \(3,\), one price per seat"):
        capacity_prices([1.0, 2.0], [2, 1])


# ----------------------------------------------------------------------------- OR-Library


@pytest.mark.parametrize("name", sorted(KNOWN_OPTIMA))
def test_orlib_known_optima(name):
    reason = missing_reason(name)
    if reason:
        pytest.skip(reason)
    cost = load_assignment(name)
    row_ind, col_ind = solve_assignment(cost)
    assert cost[row_ind, col_ind].sum() == KNOWN_OPTIMA[name]
    # As weights 101 - cost (all positive), the best partial matching is full and optimal too.
    weights = 101 - cost
    row_ind, col_ind = max_weight_matching(weights)
    assert row_ind.size == len(cost)
    assert cost[row_ind, col_ind].sum() == KNOWN_OPTIMA[name]
    if name == "assign100":
        u, v = assignment_prices(weights, row_ind, col_ind)
        assert_dual_prices(weights, np.ones(cost.shape, dtype=bool), row_ind, col_ind, u, v)
