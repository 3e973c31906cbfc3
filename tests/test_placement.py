"""Placement: the array core against brute force and an LP, then the Scores-level API."""

from __future__ import annotations

import functools
import itertools
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment, linprog

from asn_match.datasets import synthetic_workforce, tegal_administrators
from asn_match.errors import InfeasibleError, InputError
from asn_match.kernels import capacity as capacity_path
from asn_match.kernels import seating
from asn_match.kernels.lap import expand_seats
from asn_match.kernels.prices import shadow_prices
from asn_match.kernels.reasons import (
    EMPLOYEE_REASONS,
    SEAT_REASONS,
    EmployeeReason,
    SeatReason,
    option_rank,
    placement_reasons,
    runner_up,
)
from asn_match.kernels.seating import METHODS, solve_placement
from asn_match.kernels.transport import max_weight_transport
from asn_match.placement import Placement, assign
from asn_match.scoring import score
from asn_match.tiebreak import canonical_order
from strategies import placement_problems

FAST = settings(deadline=None, max_examples=60)
FEW = settings(deadline=None, max_examples=25)

# ----------------------------------------------------------------------------- references


def brute_best(
    values, allowed, seats, *, incumbent=None, max_moves=None, bonus=0.0, objective="total"
):
    """Best objective over every placement, by exhaustive search (memoised for "total").

    Returns the objective as a tuple: (total,), (count, total) or (count, worst, total).
    """
    n, m = values.shape
    inc = [-1] * n if incumbent is None else list(incumbent)
    cap0 = tuple(int(s) for s in seats)
    n_inc = sum(1 for x in inc if x >= 0)
    limit = n_inc if max_moves is None else max_moves

    if objective == "total":

        @functools.cache
        def best(i, caps, moves):
            if moves > limit:
                return -np.inf
            if i == n:
                return 0.0
            out = best(i + 1, caps, moves + (inc[i] >= 0))
            for j in range(m):
                if allowed[i, j] and caps[j] > 0:
                    stay = inc[i] == j
                    c = list(caps)
                    c[j] -= 1
                    out = max(
                        out,
                        values[i, j]
                        + (bonus if stay else 0.0)
                        + best(i + 1, tuple(c), moves + (inc[i] >= 0 and not stay)),
                    )
            return out

        return (best(0, cap0, 0),)

    best_key = None
    for choice in itertools.product(range(-1, m), repeat=n):
        caps = list(cap0)
        ok, moves, total, placed_values = True, 0, 0.0, []
        for i, j in enumerate(choice):
            if j >= 0:
                if not allowed[i, j] or caps[j] == 0:
                    ok = False
                    break
                caps[j] -= 1
                total += values[i, j] + (bonus if inc[i] == j else 0.0)
                placed_values.append(values[i, j] + (bonus if inc[i] == j else 0.0))
            moves += inc[i] >= 0 and inc[i] != j
        if not ok or moves > limit:
            continue
        if objective == "fill_first":
            key = (len(placed_values), round(total, 6))
        else:
            worst = min(placed_values) if placed_values else np.inf
            key = (len(placed_values), round(worst, 6), round(total, 6))
        best_key = key if best_key is None or key > best_key else best_key
    return best_key


def objective_key(values, solution, *, incumbent=None, bonus=0.0, objective="total"):
    pos = solution.employee_position
    placed = np.flatnonzero(pos >= 0)
    inc = np.full(pos.size, -1) if incumbent is None else np.asarray(incumbent)
    w = values[placed, pos[placed]] + bonus * (inc[placed] == pos[placed])
    if objective == "total":
        return (float(w.sum()),)
    if objective == "fill_first":
        return (placed.size, round(float(w.sum()), 6))
    worst = float(w.min()) if placed.size else np.inf
    return (placed.size, round(worst, 6), round(float(w.sum()), 6))


def lp_total(values, allowed, seats):
    """Optimum of the transportation LP (HiGHS): integral, as its matrix is totally unimodular."""
    n, m = values.shape
    rows, cols = np.nonzero(allowed & (values > 0))
    if rows.size == 0:
        return 0.0
    a = np.zeros((n + m, rows.size))
    a[rows, np.arange(rows.size)] = 1
    a[n + cols, np.arange(rows.size)] = 1
    result = linprog(
        -values[rows, cols], A_ub=a, b_ub=np.r_[np.ones(n), seats], bounds=(0, 1), method="highs"
    )
    assert result.status == 0
    return -result.fun


def check_invariants(solution, allowed, seats, *, locked=()):
    pos = solution.employee_position
    n = pos.size
    # capacity and accounting: every seat once, every employee at most once, both views agree
    assert solution.seat_position.size == int(np.sum(seats))
    assert np.array_equal(np.bincount(solution.seat_position, minlength=len(seats)), seats)
    filled = solution.seat_employee >= 0
    holders = solution.seat_employee[filled]
    assert np.unique(holders).size == holders.size
    assert set(holders.tolist()) == set(np.flatnonzero(pos >= 0).tolist())
    assert np.array_equal(pos[holders], solution.seat_position[filled])
    assert np.array_equal(solution.employee_seat[holders], solution.seat_number[filled])
    assert np.all(np.bincount(pos[pos >= 0], minlength=len(seats)) <= seats)
    # only allowed pairs, every lock placed
    placed = np.flatnonzero(pos >= 0)
    assert allowed[placed, pos[placed]].all()
    for i, j in locked:
        assert pos[i] == j and solution.employee_locked[i]
    assert (pos[~solution.employee_locked] >= -1).all() and pos.size == n


def ids(n, prefix):
    return np.array([f"{prefix}{i:03d}" for i in range(n)], dtype=object)


# ----------------------------------------------------------------------------- array core


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(placement_problems())
def test_total_equals_brute_force_and_invariants(method, problem):
    solve = functools.partial(solve_placement, method=method)
    values, allowed, seats, _ = problem
    n, m = values.shape
    sol = solve(values, allowed, seats, employee_ids=ids(n, "e"), position_ids=ids(m, "p"))
    check_invariants(sol, allowed, seats)
    assert objective_key(values, sol)[0] == pytest.approx(brute_best(values, allowed, seats)[0])
    assert sol.objective_value == pytest.approx(objective_key(values, sol)[0])


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(
    placement_problems(max_n=5, max_m=3, max_seats=2), st.sampled_from(["fill_first", "bottleneck"])
)
def test_lexicographic_objectives_equal_brute_force(method, problem, objective):
    solve = functools.partial(solve_placement, method=method)
    values, allowed, seats, _ = problem
    sol = solve(values, allowed, seats, objective=objective)
    check_invariants(sol, allowed, seats)
    assert sol.method == ("lexicographic" if method == "dense" else "capacity")
    assert objective_key(values, sol, objective=objective) == brute_best(
        values, allowed, seats, objective=objective
    )


@pytest.mark.parametrize("method", METHODS)
@FEW
@given(st.integers(0, 2**32 - 1))
def test_total_equals_lp_optimum_on_medium_problems(method, seed):
    solve = functools.partial(solve_placement, method=method)
    rng = np.random.default_rng(seed)
    n, m = rng.integers(15, 40), rng.integers(3, 10)
    values = np.round(rng.normal(70, 12, size=(n, m)), 2)
    allowed = rng.random((n, m)) < 0.6
    seats = rng.integers(0, 6, size=m)
    sol = solve(values, allowed, seats)
    check_invariants(sol, allowed, seats)
    assert sol.objective_value == pytest.approx(lp_total(values, allowed, seats), abs=1e-6)


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(placement_problems())
def test_locked_pairs_are_placed_and_rest_is_optimal(method, problem):
    solve = functools.partial(solve_placement, method=method)
    values, allowed, seats, rng = problem
    n, m = values.shape
    cand = [(i, j) for i, j in zip(*np.nonzero(allowed), strict=True) if seats[j] > 0]
    rng.shuffle(cand)
    locks, used_rows, used = [], set(), np.zeros(m, int)
    for i, j in cand[:2]:
        if i not in used_rows and used[j] < seats[j]:
            locks.append((int(i), int(j)))
            used_rows.add(i)
            used[j] += 1
    sol = solve(values, allowed, seats, locked=np.array(locks, dtype=int).reshape(-1, 2))
    check_invariants(sol, allowed, seats, locked=locks)
    # the free part is optimal for the seats the locks leave
    free = np.ones(n, bool)
    free[[i for i, _ in locks]] = False
    rest = brute_best(values[free], allowed[free], seats - used)[0]
    lock_total = sum(values[i, j] for i, j in locks)
    assert sol.objective_value == pytest.approx(rest + lock_total)


def test_conflicting_locks_raise_input_error_naming_them():
    values = np.full((3, 2), 50.0)
    allowed = np.array([[True, False], [True, True], [True, True]])
    e, p = ["e0", "e1", "e2"], ["p0", "p1"]
    with pytest.raises(InputError, match=r"\(e0, p1\) is not allowed") as err:
        solve_placement(values, allowed, [1, 1], locked=[[0, 1]], employee_ids=e, position_ids=p)
    assert [q.code for q in err.value.problems] == ["locked_not_allowed"]
    with pytest.raises(InputError, match=r"more locked employees|2 locked employees") as err:
        solve_placement(values, allowed, [1, 1], locked=[[1, 0], [2, 0]])
    assert [q.code for q in err.value.problems] == ["locks_exceed_seats"]
    assert err.value.problems[0].record_id == "0"  # positions named by index without ids


def test_duplicate_lock_is_one_input_error_in_kernel_and_assign(scores):
    """Regression: the same mistake raised InfeasibleError in the kernel, InputError in assign."""
    values = np.full((3, 2), 50.0)
    allowed = np.ones((3, 2), bool)
    with pytest.raises(InputError, match=r"employee e1 is locked to 2 positions") as kernel:
        solve_placement(
            values, allowed, [1, 1], locked=[[1, 0], [1, 1]], employee_ids=["e0", "e1", "e2"]
        )
    e_ids, p_ids = scores.employees.ids, scores.positions.ids
    a = int(np.flatnonzero(scores.eligible.sum(axis=1) >= 2)[0])
    b, c = np.flatnonzero(scores.eligible[a])[:2]
    with pytest.raises(InputError) as api:
        assign(scores, locked=[(e_ids[a], p_ids[b]), (e_ids[a], p_ids[c])])
    for error, who in ((kernel.value, "e1"), (api.value, e_ids[a])):
        duplicate = [q for q in error.problems if q.code == "duplicate_lock"]
        assert len(duplicate) == 1 and duplicate[0].record_id == who


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(placement_problems(max_n=6, max_m=3), st.integers(0, 3), st.sampled_from([0.0, 5.0]))
def test_max_moves_is_respected_and_optimal(method, problem, max_moves, bonus):
    solve = functools.partial(solve_placement, method=method)
    values, allowed, seats, rng = problem
    n, m = values.shape
    incumbent = (
        np.where(rng.random(n) < 0.7, rng.integers(0, max(m, 1), n), -1) if m else np.full(n, -1)
    )
    try:
        sol = solve(
            values, allowed, seats, incumbent=incumbent, max_moves=max_moves, incumbent_bonus=bonus
        )
    except InfeasibleError:
        assert (
            brute_best(
                values, allowed, seats, incumbent=incumbent, max_moves=max_moves, bonus=bonus
            )[0]
            == -np.inf
        )
        return
    check_invariants(sol, allowed, seats)
    pos = sol.employee_position
    moves = int(np.count_nonzero((incumbent >= 0) & (pos != incumbent)))
    assert moves <= max_moves
    expected = brute_best(
        values, allowed, seats, incumbent=incumbent, max_moves=max_moves, bonus=bonus
    )[0]
    assert sol.objective_value == pytest.approx(expected)


@pytest.mark.parametrize("method", METHODS)
@FEW
@given(
    placement_problems(max_n=5, max_m=3, max_seats=2),
    st.integers(0, 2),
    st.sampled_from(["fill_first", "bottleneck"]),
)
def test_max_moves_with_lexicographic_objectives(method, problem, max_moves, objective):
    solve = functools.partial(solve_placement, method=method)
    values, allowed, seats, rng = problem
    n, m = values.shape
    if m == 0:
        return
    incumbent = np.where(rng.random(n) < 0.8, rng.integers(0, m, n), -1)
    expected = brute_best(
        values, allowed, seats, incumbent=incumbent, max_moves=max_moves, objective=objective
    )
    if expected is None:
        with pytest.raises(InfeasibleError):
            solve(
                values,
                allowed,
                seats,
                incumbent=incumbent,
                max_moves=max_moves,
                objective=objective,
            )
        return
    sol = solve(
        values, allowed, seats, incumbent=incumbent, max_moves=max_moves, objective=objective
    )
    check_invariants(sol, allowed, seats)
    assert objective_key(values, sol, objective=objective) == expected


@pytest.mark.parametrize(("method", "stage"), [("dense", "milp"), ("capacity", "lagrangian")])
def test_binding_move_cap_is_exact_and_names_impossible_stays(method, stage):
    values = np.array([[10.0, 90.0], [90.0, 10.0]])
    allowed = np.ones((2, 2), bool)
    free = solve_placement(values, allowed, [1, 1], incumbent=[0, 1], method=method)
    assert free.employee_position.tolist() == [1, 0]
    capped = solve_placement(values, allowed, [1, 1], incumbent=[0, 1], max_moves=0, method=method)
    # The Lagrangian search lands on the cap exactly: proven optimal without a MILP.
    assert capped.employee_position.tolist() == [0, 1] and capped.method == stage
    prices = shadow_prices(values, allowed, [1, 1], capped, incumbent=[0, 1])
    assert np.isnan(prices).all()  # no LP prices under a side constraint
    assert capped.optimality_gap == 0.0 and not capped.time_limit_reached
    blocked = np.array([[False, True], [True, True]])
    with pytest.raises(InfeasibleError, match=r"max_moves=0 cannot be met") as err:
        solve_placement(values, blocked, [1, 1], incumbent=[0, 1], max_moves=0)
    assert err.value.rows == (0,)


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(placement_problems(max_n=6, max_m=3))
def test_invariant_under_shuffled_rows_and_columns(method, problem):
    solve = functools.partial(solve_placement, method=method)
    values, allowed, seats, rng = problem
    n, m = values.shape
    e, p = ids(n, "e"), ids(m, "p")
    base = solve(values, allowed, seats, employee_ids=e, position_ids=p)
    rp, cp = rng.permutation(n), rng.permutation(m)
    shuffled = solve(
        values[rp][:, cp], allowed[rp][:, cp], seats[cp], employee_ids=e[rp], position_ids=p[cp]
    )

    def pairs(sol, e_ids, p_ids):
        pos = sol.employee_position
        return {
            (e_ids[i], p_ids[pos[i]] if pos[i] >= 0 else None, int(sol.employee_seat[i]))
            for i in range(len(e_ids))
        }

    assert pairs(base, e, p) == pairs(shuffled, e[rp], p[cp])
    base_price = shadow_prices(values, allowed, seats, base, employee_ids=e, position_ids=p)
    shuffled_price = shadow_prices(
        values[rp][:, cp],
        allowed[rp][:, cp],
        seats[cp],
        shuffled,
        employee_ids=e[rp],
        position_ids=p[cp],
    )
    by_seat = dict(
        zip(zip(p[base.seat_position], base.seat_number, strict=True), base_price, strict=True)
    )
    for key, price in zip(
        zip(p[cp][shuffled.seat_position], shuffled.seat_number, strict=True),
        shuffled_price,
        strict=True,
    ):
        assert price == pytest.approx(by_seat[key], nan_ok=True)


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(placement_problems(max_n=6, max_m=3))
def test_seat_prices_are_marginal_values(method, problem):
    solve = functools.partial(solve_placement, method=method)
    values, allowed, seats, _ = problem
    sol = solve(values, allowed, seats)
    price = shadow_prices(values, allowed, seats, sol)
    total = brute_best(values, allowed, seats)[0]
    assert price.shape == (int(seats.sum()),)
    assert (price >= -1e-9).all()
    assert np.all(price[sol.seat_employee < 0] == 0)
    for j in np.flatnonzero(seats > 0):
        fewer = seats.copy()
        fewer[j] -= 1
        drop = total - brute_best(values, allowed, fewer)[0]
        prices = price[sol.seat_position == j]
        filled = sol.seat_employee[sol.seat_position == j] >= 0
        if filled.all():  # a fully used position: each seat is worth what losing one costs
            assert prices == pytest.approx(np.full(prices.size, drop))
        else:
            assert drop == pytest.approx(0.0)


def naive_runner_up(values, allowed, position, order):
    n, m = values.shape
    cand, best = np.full(m, -1), np.full(m, np.nan)
    for j in range(m):
        for i in order:  # first in order wins ties
            if allowed[i, j] and position[i] != j and (cand[j] < 0 or values[i, j] > best[j]):
                cand[j], best[j] = i, values[i, j]
    return cand, best


@FAST
@given(placement_problems(max_n=7, max_m=4))
def test_runner_up_and_option_rank_match_naive_loops(problem):
    values, allowed, seats, rng = problem
    n, m = values.shape
    sol = solve_placement(values, allowed, seats)
    pos = sol.employee_position
    order = rng.permutation(n)
    cand, best = runner_up(values, allowed, pos, order=order)
    ref_cand, ref_best = naive_runner_up(values, allowed, pos, order)
    assert np.array_equal(cand, ref_cand)
    assert np.array_equal(best, ref_best, equal_nan=True)
    ranks = option_rank(values, allowed, pos)
    for i in range(n):
        if pos[i] < 0:
            assert ranks[i] == 0
        else:
            better = [j for j in range(m) if allowed[i, j] and values[i, j] > values[i, pos[i]]]
            assert ranks[i] == 1 + len(better)


@FAST
@given(placement_problems(max_n=7, max_m=4))
def test_reasons_are_consistent_with_the_placement(problem):
    values, allowed, seats, rng = problem
    n, m = values.shape
    eligible = allowed | (rng.random((n, m)) < 0.2)
    forbidden = eligible & ~allowed & (rng.random((n, m)) < 0.5)
    sol = solve_placement(values, allowed, seats)
    r = placement_reasons(values, eligible, allowed, sol, forbidden=forbidden)
    pos = sol.employee_position
    has_seats = seats > 0
    eligible, forbidden, allowed = eligible & has_seats, forbidden & has_seats, allowed & has_seats
    for i in range(n):
        code = EMPLOYEE_REASONS[r.employee_code[i]]
        if pos[i] >= 0:
            assert code == "placed"
            continue
        if not eligible[i].any():
            assert code == "no eligible position"
        elif not (eligible[i] & ~forbidden[i]).any():
            assert code == "all eligible positions forbidden"
        elif not allowed[i].any():
            assert code == "below minimum"
        else:
            at, other = r.employee_at[i], r.employee_other[i]
            assert allowed[i, at] and values[i, at] == values[i, allowed[i]].max()
            if code == "outscored":  # under "total" the holder always scores at least as much
                assert pos[other] == at and values[other, at] >= values[i, at]
            else:
                assert code == "no gain" and values[i, at] <= 0
    for s in np.flatnonzero(sol.seat_employee < 0):
        j = sol.seat_position[s]
        code = SEAT_REASONS[r.seat_code[s]]
        others = pos != j
        if not (eligible[:, j] & others).any():
            assert code == "no eligible candidate"
        elif not (allowed[:, j] & others).any():
            assert code in ("all eligible candidates forbidden", "all candidates below minimum")
        else:
            cand = r.seat_other[s]
            assert allowed[cand, j] and pos[cand] != j
            if code == "candidates placed elsewhere":
                assert pos[cand] >= 0 and r.seat_at[s] == pos[cand]
            else:
                assert code == "no gain" and pos[cand] < 0 and values[cand, j] <= 0


@pytest.mark.parametrize(
    ("n", "m", "seats"),
    [(0, 0, []), (0, 3, [1, 2, 0]), (4, 0, []), (1, 1, [1]), (1, 3, [2, 2, 2]), (2, 2, [0, 0])],
)
def test_edge_shapes(n, m, seats):
    values = np.full((n, m), 70.0)
    allowed = np.ones((n, m), bool)
    sol = solve_placement(values, allowed, np.array(seats, dtype=int))
    check_invariants(sol, allowed, np.array(seats, dtype=int))
    assert int((sol.employee_position >= 0).sum()) == min(n, sum(seats))
    r = placement_reasons(values, allowed, allowed, sol)
    assert r.employee_code.shape == (n,) and r.seat_code.shape == (sum(seats),)
    if n == 0:
        assert all(SEAT_REASONS[c] == "no eligible candidate" for c in r.seat_code)


def test_all_ineligible_places_nobody_and_says_why():
    values = np.full((3, 2), 80.0)
    allowed = np.zeros((3, 2), bool)
    sol = solve_placement(values, allowed, [2, 1])
    assert (sol.employee_position == -1).all() and (sol.seat_employee == -1).all()
    r = placement_reasons(values, allowed, allowed, sol)
    assert {EMPLOYEE_REASONS[c] for c in r.employee_code} == {"no eligible position"}
    assert {SEAT_REASONS[c] for c in r.seat_code} == {"no eligible candidate"}


def test_more_seats_than_people_and_one_employee():
    values = np.array([[60.0, 70.0, 65.0]])
    sol = solve_placement(values, np.ones((1, 3), bool), [2, 1, 3])
    assert sol.employee_position.tolist() == [1]
    prices = shadow_prices(values, np.ones((1, 3), bool), [2, 1, 3], sol)
    assert prices.tolist() == [0.0, 0.0, 70.0 - 65.0, 0.0, 0.0, 0.0]


def test_ties_are_broken_by_hash_not_by_row_order():
    values = np.full((4, 1), 50.0)
    allowed = np.ones((4, 1), bool)
    e = np.array(["d", "c", "b", "a"], dtype=object)
    sol = solve_placement(values, allowed, [1], employee_ids=e)
    winner = e[sol.seat_employee[0]]
    for perm in itertools.permutations(range(4)):
        again = solve_placement(values, allowed, [1], employee_ids=e[list(perm)])
        assert e[list(perm)][again.seat_employee[0]] == winner
    assert winner == e[canonical_order(e)[0]]  # the first id in the hash order wins


def test_non_finite_allowed_value_and_bad_options_are_rejected():
    values = np.array([[np.nan, 1.0]])
    with pytest.raises(ValueError, match=r"must be finite on allowed pairs"):
        solve_placement(values, np.ones((1, 2), bool), [1, 1])
    ok = solve_placement(values, np.array([[False, True]]), [1, 1])
    assert ok.employee_position.tolist() == [1]
    with pytest.raises(ValueError, match=r"The 'objective' parameter of solve_placement"):
        solve_placement(np.ones((1, 1)), np.ones((1, 1), bool), [1], objective="best")
    with pytest.raises(ValueError, match=r"The 'max_moves' parameter"):
        solve_placement(np.ones((1, 1)), np.ones((1, 1), bool), [1], max_moves=-1)
    with pytest.raises(ValueError, match=r"The 'incumbent_bonus' parameter"):
        solve_placement(np.ones((1, 1)), np.ones((1, 1), bool), [1], incumbent_bonus=-2)
    with pytest.raises(ValueError, match=r"The 'seats' parameter"):
        solve_placement(np.ones((1, 2)), np.ones((1, 2), bool), [1])


# ----------------------------------------------------------------------------- Scores-level API


@pytest.fixture(scope="module")
def workforce():
    return synthetic_workforce(80, 16, seed=7)


@pytest.fixture(scope="module")
def scores(workforce):
    return score(*workforce)


def pairs_of(placement):
    frame = placement.to_frame()
    placed = frame[frame["status"] == "placed"]
    return set(zip(placed["employee_id"], placed["position_id"], strict=True))


def test_frame_accounts_for_every_employee_and_every_seat(scores):
    placement = assign(scores)
    frame = placement.to_frame()
    employees = frame[frame["status"] != "unfilled"]
    assert employees["employee_id"].tolist() == list(scores.employees.ids)
    seats = dict(zip(scores.positions.ids, scores.positions.seats, strict=True))
    taken = frame[frame["status"] != "unplaced"].groupby("position_id", observed=True)["seat"]
    for position_id, numbers in taken:
        assert sorted(numbers.tolist()) == list(range(1, seats[position_id] + 1))
    assert taken.size().sum() == sum(seats.values())
    i = scores.employees.ids.tolist()
    j = scores.positions.ids.tolist()
    placed = employees[employees["status"] == "placed"]
    rows = [i.index(e) for e in placed["employee_id"]]
    cols = [j.index(p) for p in placed["position_id"]]
    assert scores.eligible[rows, cols].all()
    assert np.allclose(placed["composite"], scores.composite[rows, cols])
    assert np.allclose(placed["jpm"], scores.jpm[rows, cols])
    assert (placed["option_rank"] >= 1).all()
    assert frame["reason"].notna().all() and frame["reason_code"].notna().all()
    summary = placement.summary()
    assert summary["placed"] == len(placed)
    assert summary["total_score"] == pytest.approx(placed["composite"].sum())
    assert sum(summary["categories"].values()) == len(placed)
    assert summary["unfilled_seats"] == int((frame["status"] == "unfilled").sum())


def test_total_matches_lp_on_scored_data(scores):
    placement = assign(scores)
    seats = np.asarray(scores.positions.seats)
    lp = lp_total(np.asarray(scores.composite), np.asarray(scores.eligible), seats)
    assert placement.summary()["total_score"] == pytest.approx(lp, abs=1e-6)


def test_minimum_category_and_score_are_respected(scores):
    labels = scores.config.category_labels
    by_category = assign(scores, min_category=labels[0])
    frame = by_category.to_frame()
    assert set(frame.loc[frame["status"] == "placed", "category"]) <= {labels[0]}
    by_score = assign(scores, min_score=85)
    frame = by_score.to_frame()
    assert (frame.loc[frame["status"] == "placed", "composite"] >= 85 - 1e-9).all()
    below = frame[frame["reason_code"] == "below minimum"]
    assert below["reason"].str.contains("composite >= 85").all()
    assert (
        assign(scores, min_category=1).summary() == assign(scores, min_category=labels[1]).summary()
    )
    with pytest.raises(ValueError, match=r"The 'min_category' parameter of assign"):
        assign(scores, min_category="Excellent")


def test_locked_and_forbidden_pairs(scores):
    base = assign(scores)
    placed = sorted(pairs_of(base))
    # forbid every pair of the optimum: none may come back
    forbidden = assign(scores, forbidden=placed)
    assert not (pairs_of(forbidden) & set(placed))
    # lock an eligible pair the optimum did not choose
    e_ids, p_ids = scores.employees.ids, scores.positions.ids
    i, j = next(
        (i, j)
        for i, j in zip(*np.nonzero(scores.eligible), strict=True)
        if (e_ids[i], p_ids[j]) not in set(placed)
    )
    locked = assign(scores, locked={e_ids[i]: p_ids[j]})
    frame = locked.to_frame().set_index("employee_id")
    assert frame.loc[e_ids[i], "position_id"] == p_ids[j] and frame.loc[e_ids[i], "locked"]
    assert frame.loc[e_ids[i], "reason_code"] == "locked"
    as_frame = assign(
        scores, locked=pd.DataFrame({"employee_id": [e_ids[i]], "position_id": [p_ids[j]]})
    )
    assert pairs_of(as_frame) == pairs_of(locked)
    assert locked.summary()["total_score"] <= base.summary()["total_score"] + 1e-9


def test_bad_locks_report_every_problem_by_id(scores):
    e_ids, p_ids = scores.employees.ids, scores.positions.ids
    i, j = map(int, np.argwhere(~scores.eligible)[0])
    single = int(np.flatnonzero(scores.positions.seats == 1)[0])
    ok = np.flatnonzero(scores.eligible[:, single])
    locks = [
        (e_ids[i], p_ids[j]),
        ("NOPE", p_ids[0]),
        (e_ids[ok[0]], p_ids[single]),
        (e_ids[ok[1]], p_ids[single]),
    ]
    with pytest.raises(InputError) as err:
        assign(scores, locked=locks)
    codes = [p.code for p in err.value.problems]
    assert codes.count("locked_ineligible") == 1 and codes.count("unknown_id") == 1
    assert codes.count("locks_exceed_seats") == 1
    text = str(err.value)
    assert e_ids[i] in text and "NOPE" in text and p_ids[single] in text
    assert any(reason in text for reason in scores.reason_text(i, j))
    with pytest.raises(InputError, match=r"is also forbidden"):
        a, b = map(int, np.argwhere(scores.eligible)[0])
        assign(scores, locked=[(e_ids[a], p_ids[b])], forbidden=[(e_ids[a], p_ids[b])])
    with pytest.raises(InputError, match=r"locked to 2 positions"):
        a = int(np.flatnonzero(scores.eligible.sum(axis=1) >= 2)[0])
        b, c = np.flatnonzero(scores.eligible[a])[:2]
        assign(scores, locked=[(e_ids[a], p_ids[b]), (e_ids[a], p_ids[c])])


def test_seats_override_and_closed_positions(scores):
    p_ids = scores.positions.ids
    closed = assign(scores, seats={p_ids[0]: 0, p_ids[1]: 4})
    frame = closed.to_frame()
    assert p_ids[0] not in set(frame["position_id"].dropna())
    assert (frame["position_id"] == p_ids[1]).sum() == 4
    with pytest.raises(InputError, match=r"not in the scored positions"):
        assign(scores, seats={"P-404": 1})
    with pytest.raises(InputError, match=r"whole number >= 0"):
        assign(scores, seats={p_ids[0]: 1.5})


def test_incumbents_bonus_and_move_cap(scores):
    free = assign(scores)
    assert free.summary()["moves"] > 0
    capped = assign(scores, max_moves=3)
    assert capped.summary()["moves"] <= 3
    assert capped.summary()["total_score"] <= free.summary()["total_score"] + 1e-9
    loyal = assign(scores, incumbent_bonus=100.0)
    s = loyal.summary()
    assert s["stays"] >= capped.summary()["stays"]
    assert s["objective_value"] == pytest.approx(s["total_score"] + 100.0 * s["stays"])
    compare = loyal.compare_current()
    assert (compare["change"] == "stays").sum() == s["stays"]
    moved = compare[compare["change"].isin(["moves", "leaves"])]
    assert len(moved) == s["moves"]
    stays = compare[compare["change"] == "stays"]
    assert np.allclose(stays["composite_change"], 0.0)
    per_unit = loyal.compare_current(by="unit")
    assert per_unit["holders_after"].sum() == s["placed"]
    assert per_unit["holders_before"].sum() == s["incumbents"]
    assert per_unit["composite_after"].sum() == pytest.approx(s["total_score"])


def test_impossible_move_cap_names_employees(scores):
    incumbent_rows = np.flatnonzero(
        pd.Index(scores.positions.ids).get_indexer(
            pd.Series(scores.employees.current_position_id, dtype=object).astype(str)
        )
        >= 0
    )
    e_ids = scores.employees.ids
    p_of = dict(zip(e_ids, scores.employees.current_position_id, strict=True))
    forbid = [(e_ids[i], p_of[e_ids[i]]) for i in incumbent_rows[:3]]
    with pytest.raises(InfeasibleError, match=r"max_moves=0 cannot be met") as err:
        assign(scores, max_moves=0, forbidden=forbid)
    assert e_ids[incumbent_rows[0]] in str(err.value)


@pytest.mark.parametrize("objective", ["fill_first", "bottleneck"])
def test_objectives_fill_at_least_as_many_seats(scores, objective):
    total = assign(scores).summary()
    other = assign(scores, objective=objective).summary()
    assert other["filled_seats"] >= total["filled_seats"]
    assert other["total_score"] <= total["total_score"] + 1e-9
    if objective == "bottleneck":
        frame = assign(scores, objective=objective).to_frame()
        worst = frame.loc[frame["status"] == "placed", "composite"].min()
        fill = assign(scores, objective="fill_first").to_frame()
        assert worst >= fill.loc[fill["status"] == "placed", "composite"].min() - 1e-9


def test_same_placement_for_shuffled_input_tables(workforce):
    employees, positions = workforce
    base = assign(score(employees, positions), incumbent_bonus=1.0)
    rng = np.random.default_rng(3)
    e2 = employees.iloc[rng.permutation(len(employees))].reset_index(drop=True)
    p2 = positions.iloc[rng.permutation(len(positions))].reset_index(drop=True)
    again = assign(score(e2, p2), incumbent_bonus=1.0)
    key = ["employee_id", "position_id", "seat", "status", "next_available_id", "reason"]

    def canonical(frame):
        return frame[key].astype(str).sort_values(key).reset_index(drop=True)

    pd.testing.assert_frame_equal(canonical(base.to_frame()), canonical(again.to_frame()))


def test_explain_placed_and_unplaced(scores):
    placement = assign(scores, min_category=scores.config.category_labels[0])
    frame = placement.to_frame()
    placed_id = frame.loc[frame["status"] == "placed", "employee_id"].iloc[0]
    why = placement.explain(placed_id, k=None)
    assert why["status"] == "placed" and why["position_id"] in why["text"]
    alternatives = why["alternatives"]
    assert len(alternatives) == len(scores.positions)
    assert (alternatives["outcome"] == "placed here").sum() == 1
    assert alternatives["composite"].is_monotonic_decreasing
    ineligible = alternatives[~alternatives["eligible"]]
    assert ineligible["outcome"].str.startswith("ineligible: ").all()
    unplaced = frame.loc[frame["status"] == "unplaced", "employee_id"]
    if len(unplaced):
        why = placement.explain(unplaced.iloc[0], k=3)
        assert why["reason"] in why["text"] and len(why["alternatives"]) <= 3
    with pytest.raises(ValueError, match=r"The 'employee_id' parameter of Placement.explain"):
        placement.explain("0000")


def test_shadow_prices_in_frame(scores):
    placement = assign(scores)
    frame = placement.to_frame()
    prices = frame.loc[frame["status"] == "placed", "shadow_price"]
    assert prices.notna().all() and (prices >= -1e-9).all()
    assert (frame.loc[frame["status"] == "unfilled", "shadow_price"] == 0).all()
    assert frame.loc[frame["status"] == "unplaced", "shadow_price"].isna().all()
    fill = assign(scores, objective="fill_first").to_frame()
    assert fill["shadow_price"].isna().all()


def test_export_round_trips(scores, tmp_path):
    placement = assign(scores)
    frame = placement.to_frame()
    ids = {"employee_id": str, "next_available_id": str, "current_position_id": str}
    text = ["employee_id", "position_id", "status", "reason_code", "reason"]
    numbers = ["jpm", "composite", "next_available_score", "shadow_price"]

    def same_content(back: pd.DataFrame) -> None:
        assert back.columns.tolist() == frame.columns.tolist()

        def missing_as_none(values: pd.Series) -> list:
            # a missing text cell reads back as None or NaN depending on the pandas version
            return [None if pd.isna(v) else v for v in values.tolist()]

        for column in text:
            assert missing_as_none(back[column]) == missing_as_none(frame[column]), column
        for column in numbers:
            assert np.allclose(
                back[column].astype(float), frame[column].astype(float), equal_nan=True
            ), column
        assert back["seat"].astype("Int64").tolist() == frame["seat"].tolist()

    same_content(
        pd.read_csv(
            placement.export(tmp_path / "placement.csv", decimals=None),
            dtype=ids,
            keep_default_na=False,
        )
        .replace("", None)
        .astype({c: float for c in numbers})
    )
    records = json.loads(placement.export(tmp_path / "placement.json", decimals=None).read_text())
    same_content(pd.DataFrame.from_records(records))
    xlsx = placement.export(tmp_path / "placement.xlsx", decimals=None)
    same_content(pd.read_excel(xlsx, dtype=ids))
    with pytest.warns(DeprecationWarning, match=r"Placement.to_csv is deprecated"):
        assert (
            placement.to_csv(tmp_path / "old.csv").read_text()
            == placement.export(tmp_path / "rounded.csv").read_text()
        )
    for method, suffix in (("to_excel", ".xlsx"), ("to_json", ".json")):
        with pytest.warns(DeprecationWarning, match=rf"Placement.{method} is deprecated"):
            assert getattr(placement, method)(tmp_path / f"old{suffix}").suffix == suffix
    with (
        pytest.warns(DeprecationWarning),
        pytest.raises(ValueError, match=r"The 'path' parameter of Placement.to_csv"),
    ):
        placement.to_csv(tmp_path / "placement.xlsx")


def test_written_scores_are_rounded_for_people(scores, tmp_path):
    """Issue 10: written files said 69.87222222300001; two decimals by default, full precision
    on request and always in Python frames."""
    placement = assign(scores)
    frame = placement.to_frame()
    numbers = ["jpm", "composite", "next_available_score", "shadow_price"]
    back = pd.read_csv(placement.export(tmp_path / "p.csv"), dtype={"employee_id": str})
    for column in numbers:
        expected = frame[column].astype(float).round(2)
        assert np.allclose(back[column], expected, equal_nan=True, rtol=0, atol=1e-12), column
        written = back[column].dropna().astype(str)
        assert (written.str.split(".").str[-1].str.len() <= 2).all(), column
    assert not np.allclose(frame["composite"].dropna(), frame["composite"].dropna().round(2))
    full = pd.read_csv(placement.export(tmp_path / "f.csv", decimals=None))
    assert np.allclose(full["composite"], frame["composite"], equal_nan=True, rtol=0, atol=1e-9)
    with pytest.raises(ValueError, match=r"The 'decimals' parameter of Placement.export"):
        placement.export(tmp_path / "x.csv", decimals=-1)


def test_streamed_scores_are_placed_and_bad_options_rejected(workforce, scores):
    streamed = score(*workforce, dense=False, top_k=3)
    certified = assign(streamed)  # candidate pairs, certified (tests/test_large.py)
    assert certified.certificate.optimal
    assert certified.objective_value == pytest.approx(assign(scores).summary()["objective_value"])
    with pytest.raises(ValueError, match=r"The 'objective' parameter of assign"):
        assign(scores, objective="fair")
    with pytest.raises(ValueError, match=r"The 'min_score' parameter of assign"):
        assign(scores, min_score=float("nan"))
    with pytest.raises(ValueError, match=r"The 'locked' parameter of assign"):
        assign(scores, locked=["abc"])
    assert isinstance(assign(scores), Placement)


def test_small_workforce_edge_cases():
    employees, positions = synthetic_workforce(1, 3, seed=2)
    placement = assign(score(employees, positions))
    summary = placement.summary()
    assert summary["employees"] == 1 and summary["placed"] <= 1
    assert summary["unfilled_seats"] == summary["seats"] - summary["placed"]
    assert len(placement.to_frame()) == 1 + summary["unfilled_seats"]


def test_everyone_below_minimum_and_more_seats_than_people(scores):
    nobody = assign(scores, min_score=101)
    frame = nobody.to_frame()
    assert (frame["status"] != "placed").all()
    eligible_somewhere = scores.eligible.any(axis=1)
    unplaced = frame[frame["status"] == "unplaced"]
    assert (unplaced["reason_code"][eligible_somewhere] == "below minimum").all()
    assert (unplaced["reason_code"][~eligible_somewhere] == "no eligible position").all()
    seats = frame[frame["status"] == "unfilled"]
    assert set(seats["reason_code"]) <= {"all candidates below minimum", "no eligible candidate"}
    many = {p: 50 for p in scores.positions.ids}
    roomy = assign(scores, seats=many).summary()
    assert roomy["unfilled_seats"] == 50 * len(scores.positions) - roomy["placed"]
    assert roomy["placed"] == int(scores.eligible.any(axis=1).sum())  # everyone who can be


# ----------------------------------------------------------------------------- fewest moves


def brute_with_stays(
    values, allowed, seats, incumbent, *, objective="total", bonus=0.0, max_moves=None, locked=()
):
    """Best (objective..., stays) over every placement, by memoised exhaustive search.

    The key is (total, stays), (count, total, stays) or (count, worst, total, stays), values
    with the bonus on stay pairs; (0,) for an empty bottleneck placement. None if infeasible.
    Lexicographic maxima of sums are additive, so the search is a dynamic programme over
    (employee, seats left, moves); the bottleneck tries every threshold t: restricted to pairs
    >= t, the best (count, total, stays) at t = the optimal worst value is the optimum.
    """
    n, m = values.shape
    inc = [int(x) for x in incumbent]
    lock = dict(locked)
    limit = n if max_moves is None else max_moves
    w = values + bonus * (np.asarray(inc)[:, None] == np.arange(m)[None, :])

    def search(floor):
        @functools.cache
        def best(i, caps, moves):
            if moves > limit:
                return None
            if i == n:
                return (0, 0.0, 0)
            choices = [lock[i]] if i in lock else [-1, *range(m)]
            out = None
            for j in choices:
                if j >= 0 and not (allowed[i, j] and caps[j] > 0 and w[i, j] >= floor):
                    continue
                c = list(caps)
                if j >= 0:
                    c[j] -= 1
                moved = inc[i] >= 0 and inc[i] != j
                rest = best(i + 1, tuple(c), moves + moved)
                if rest is None:
                    continue
                here = (0, 0.0, 0) if j < 0 else (1, float(w[i, j]), int(inc[i] == j))
                cand = tuple(a + b for a, b in zip(here, rest, strict=True))
                if objective == "total":
                    better = out is None or (cand[1], cand[2]) > (out[1], out[2])
                else:
                    better = out is None or cand > out
                out = cand if better else out
            return out

        return best(0, tuple(int(s) for s in seats), 0)

    if objective != "bottleneck":
        found = search(-np.inf)
        if found is None:
            return None
        count, total, stays = found
        return (round(total, 6), stays) if objective == "total" else (count, round(total, 6), stays)
    found = search(-np.inf)
    if found is None:
        return None
    if found[0] == 0:
        return (0,)
    keys = []
    for t in np.unique(w[allowed]):
        at = search(t)
        if at is not None and at[0] == found[0]:
            keys.append((at[0], round(float(t), 6), round(at[1], 6), at[2]))
    return max(keys)


def stay_key(values, solution, incumbent, *, objective="total", bonus=0.0):
    pos = solution.employee_position
    inc = np.asarray(incumbent)
    placed = np.flatnonzero(pos >= 0)
    w = values[placed, pos[placed]] + bonus * (inc[placed] == pos[placed])
    stays = int(np.count_nonzero((inc >= 0) & (pos == inc)))
    total = round(float(w.sum()), 6)
    if objective == "total":
        return (total, stays)
    if objective == "fill_first":
        return (placed.size, total, stays)
    return (0,) if placed.size == 0 else (placed.size, round(float(w.min()), 6), total, stays)


def with_incumbents(rng, n, m, share=0.8):
    if m == 0:
        return np.full(n, -1, dtype=np.intp)
    return np.where(rng.random(n) < share, rng.integers(0, m, n), -1).astype(np.intp)


def some_locks(rng, allowed, seats, most=2):
    m = seats.size
    cand = [(int(i), int(j)) for i, j in zip(*np.nonzero(allowed), strict=True) if seats[j] > 0]
    rng.shuffle(cand)
    locks, rows, used = [], set(), np.zeros(m, int)
    for i, j in cand[: rng.integers(0, most + 1)]:
        if i not in rows and used[j] < seats[j]:
            locks.append((i, j))
            rows.add(i)
            used[j] += 1
    return locks


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(
    placement_problems(max_n=7, max_m=4, max_seats=2, levels=4),
    st.sampled_from(["total", "fill_first", "bottleneck"]),
    st.sampled_from([0.0, 5.0]),
    st.booleans(),
)
def test_prefer_stay_maximises_stays_among_optimal_placements(
    method, problem, objective, bonus, lock
):
    solve = functools.partial(solve_placement, method=method)
    values, allowed, seats, rng = problem
    n, m = values.shape
    incumbent = with_incumbents(rng, n, m)
    locks = some_locks(rng, allowed, seats) if lock else []
    sol = solve(
        values,
        allowed,
        seats,
        employee_ids=ids(n, "e"),
        position_ids=ids(m, "p"),
        incumbent=incumbent,
        incumbent_bonus=bonus,
        objective=objective,
        locked=np.array(locks, dtype=int).reshape(-1, 2),
    )
    check_invariants(sol, allowed, seats, locked=locks)
    expected = brute_with_stays(
        values, allowed, seats, incumbent, objective=objective, bonus=bonus, locked=locks
    )
    assert stay_key(values, sol, incumbent, objective=objective, bonus=bonus) == expected
    # the primary objective is the one found without the tie-break
    plain = solve(
        values,
        allowed,
        seats,
        incumbent=incumbent,
        incumbent_bonus=bonus,
        objective=objective,
        locked=np.array(locks, dtype=int).reshape(-1, 2),
        prefer_stay=False,
    )
    plain_key = stay_key(values, plain, incumbent, objective=objective, bonus=bonus)
    assert plain_key[:-1] == expected[:-1] and plain_key[-1:] <= expected[-1:]


@pytest.mark.parametrize("method", METHODS)
@FEW
@given(
    placement_problems(max_n=6, max_m=3, max_seats=2, levels=4),
    st.integers(0, 3),
    st.sampled_from(["total", "fill_first", "bottleneck"]),
)
def test_prefer_stay_under_a_move_cap(method, problem, max_moves, objective):
    solve = functools.partial(solve_placement, method=method)
    values, allowed, seats, rng = problem
    n, m = values.shape
    incumbent = with_incumbents(rng, n, m, share=0.9)
    expected = brute_with_stays(
        values, allowed, seats, incumbent, objective=objective, max_moves=max_moves
    )
    if expected is None:
        with pytest.raises(InfeasibleError):
            solve(
                values,
                allowed,
                seats,
                incumbent=incumbent,
                max_moves=max_moves,
                objective=objective,
            )
        return
    sol = solve(
        values, allowed, seats, incumbent=incumbent, max_moves=max_moves, objective=objective
    )
    check_invariants(sol, allowed, seats)
    assert int(np.count_nonzero((incumbent >= 0) & (sol.employee_position != incumbent))) <= (
        max_moves
    )
    assert stay_key(values, sol, incumbent, objective=objective) == expected


@pytest.mark.parametrize(("method", "stage"), [("dense", "milp"), ("capacity", "lagrangian")])
def test_stay_tiebreak_through_the_move_cap_stage(method, stage):
    # Employee 0 must stay (max_moves=1 with two incumbents); then 2 and 3 are tied for seat 1
    # and only the one who holds it now keeps the total and adds a stay.
    values = np.array([[10.0, 90.0], [90.0, 10.0], [50.0, 50.0], [50.0, 50.0]])
    allowed = np.array([[True, True], [True, True], [False, True], [False, True]])
    incumbent = np.array([0, -1, -1, 1])
    sol = solve_placement(values, allowed, [1, 1], incumbent=incumbent, max_moves=0, method=method)
    assert sol.method == stage
    assert sol.employee_position.tolist() == [0, -1, -1, 1]
    capped = brute_with_stays(values, allowed, [1, 1], incumbent, max_moves=0)
    assert stay_key(values, sol, incumbent) == capped


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(placement_problems(max_n=6, max_m=3), st.sampled_from([0.0, 5.0]))
def test_prefer_stay_is_invariant_under_shuffled_rows_and_columns(method, problem, bonus):
    solve = functools.partial(solve_placement, method=method)
    values, allowed, seats, rng = problem
    n, m = values.shape
    incumbent = with_incumbents(rng, n, m)
    e, p = ids(n, "e"), ids(m, "p")
    base = solve(
        values,
        allowed,
        seats,
        employee_ids=e,
        position_ids=p,
        incumbent=incumbent,
        incumbent_bonus=bonus,
    )
    rp, cp = rng.permutation(n), rng.permutation(m)
    inverse = np.empty(m, dtype=np.intp)
    inverse[cp] = np.arange(m)
    moved_incumbent = incumbent[rp].copy()
    held = moved_incumbent >= 0
    moved_incumbent[held] = inverse[moved_incumbent[held]]
    shuffled = solve(
        values[rp][:, cp],
        allowed[rp][:, cp],
        seats[cp],
        employee_ids=e[rp],
        position_ids=p[cp],
        incumbent=moved_incumbent,
        incumbent_bonus=bonus,
    )

    def pairs(sol, e_ids, p_ids):
        pos = sol.employee_position
        return {
            (e_ids[i], p_ids[pos[i]] if pos[i] >= 0 else None, int(sol.employee_seat[i]))
            for i in range(len(e_ids))
        }

    assert pairs(base, e, p) == pairs(shuffled, e[rp], p[cp])
    assert base.score_quantum == shuffled.score_quantum


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(placement_problems(max_n=6, max_m=3), st.sampled_from([0.0, 5.0]))
def test_prices_with_prefer_stay_are_marginal_values_of_the_scores(method, problem, bonus):
    solve = functools.partial(solve_placement, method=method)
    values, allowed, seats, rng = problem
    n, m = values.shape
    incumbent = with_incumbents(rng, n, m)
    sol = solve(values, allowed, seats, incumbent=incumbent, incumbent_bonus=bonus)
    assert sol.method == ("linear_sum_assignment" if method == "dense" else "capacity")
    total = brute_best(values, allowed, seats, incumbent=incumbent, bonus=bonus)[0]
    price = shadow_prices(values, allowed, seats, sol, incumbent=incumbent, incumbent_bonus=bonus)
    assert price.shape == (int(seats.sum()),) and (price >= -1e-9).all()
    for j in np.flatnonzero(seats > 0):
        fewer = seats.copy()
        fewer[j] -= 1
        drop = total - brute_best(values, allowed, fewer, incumbent=incumbent, bonus=bonus)[0]
        prices = price[sol.seat_position == j]
        if (sol.seat_employee[sol.seat_position == j] >= 0).all():
            assert prices == pytest.approx(np.full(prices.size, drop))
        else:
            assert drop == pytest.approx(0.0)


def test_identical_positions_keep_their_holders():
    # Four identical positions, four incumbents: every placement has the same total.
    values = np.tile(np.array([[80.0], [75.0], [70.0], [65.0]]), (1, 4))
    allowed = np.ones((4, 4), dtype=bool)
    incumbent = np.array([2, 0, 3, 1])
    e = np.array(["w", "x", "y", "z"], dtype=object)
    kept = solve_placement(values, allowed, [1] * 4, employee_ids=e, incumbent=incumbent)
    assert kept.employee_position.tolist() == incumbent.tolist()
    assert kept.score_quantum == 1e-9
    loose = solve_placement(
        values, allowed, [1] * 4, employee_ids=e, incumbent=incumbent, prefer_stay=False
    )
    assert loose.objective_value == kept.objective_value
    assert loose.score_quantum is None


def test_a_gain_of_one_quantum_still_beats_every_stay():
    # Moving both incumbents gains 2e-9 in total: the primary objective wins over two stays.
    q = 1e-9
    values = np.array([[50.0, 50.0 + q, 0.0], [50.0 + q, 50.0, 0.0], [0.0, 0.0, 10.0]])
    allowed = np.ones((3, 3), dtype=bool)
    sol = solve_placement(values, allowed, [1, 1, 1], incumbent=[0, 1, 2])
    assert sol.employee_position.tolist() == [1, 0, 2]
    # With the gain below the quantum the pairs are tied, and both stay.
    tied = values.copy()
    tied[0, 1] = tied[1, 0] = 50.0 + q / 4
    assert solve_placement(
        tied, allowed, [1, 1, 1], incumbent=[0, 1, 2]
    ).employee_position.tolist() == [
        0,
        1,
        2,
    ]


def stay_quantum(k, stayers, top=100.0):
    """The quantum chosen for k placeable employees (one seat each), ``stayers`` of whom could
    stay, with scores up to ``top``."""
    weights = np.full((k, 1), top)
    return seating.stay_quantum(weights, np.ones((k, 1), bool), np.array([k]), stayers, "test")


@pytest.mark.parametrize(
    ("size", "quantum"),
    [(150, 1e-9), (200, 1e-9), (600, 1e-8), (2_000, 1e-7), (6_000, 1e-6), (60_000, 1e-4)],
)
def test_documented_quantum_for_composite_scores(size, quantum):
    assert stay_quantum(size, size) == quantum


def test_quantum_keeps_every_total_below_2_to_the_52():
    for size, top in itertools.product((10, 150, 2_000, 6_000, 30_000), (1.0, 100.0, 250.0)):
        q = stay_quantum(size, size, top)
        largest_total = (size + 1) * (size * (top / q + 1)) + size
        assert largest_total < 2.0**52
        if q > 1e-9:  # the next finer quantum would not fit
            assert (size + 1) * (size * (top / (q / 10) + 1)) + size >= 2.0**52


def test_too_large_for_the_exact_tiebreak_raises_and_names_the_fix():
    with pytest.raises(ValueError, match=r"'prefer_stay' parameter of test must be False"):
        stay_quantum(70_000, 70_000)
    values = np.array([[4e11, 1e11], [1e11, 4e11]])
    allowed = np.ones((2, 2), dtype=bool)
    with pytest.raises(ValueError, match=r"Pass prefer_stay=False"):
        solve_placement(values, allowed, [1, 1], incumbent=[1, 0])
    sol = solve_placement(values, allowed, [1, 1], incumbent=[1, 0], prefer_stay=False)
    assert sol.employee_position.tolist() == [0, 1]
    coarse = solve_placement(values / 1e3, allowed, [1, 1], incumbent=[1, 0])
    assert coarse.score_quantum == 1e-6 and coarse.employee_position.tolist() == [0, 1]


def test_prefer_stay_must_be_a_bool():
    with pytest.raises(ValueError, match=r"The 'prefer_stay' parameter of solve_placement"):
        solve_placement(np.ones((1, 1)), np.ones((1, 1), bool), [1], prefer_stay="yes")


def old_placement(values, allowed, seats, employee_order, position_order):
    """The placement as solved before the stay tie-break: one scipy call on the rounded gains."""
    weights = np.round(values[np.ix_(employee_order, position_order)], 9)
    allowed = allowed[np.ix_(employee_order, position_order)]
    gain = np.where(allowed & (weights > 0), weights, 0.0)
    seat_column = expand_seats(seats[position_order])
    cost = -gain[:, seat_column]
    rows, cols = linear_sum_assignment(cost)
    useful = cost[rows, cols] < 0
    position = np.full(values.shape[0], -1, dtype=np.intp)
    position[employee_order[rows[useful]]] = position_order[seat_column[cols[useful]]]
    return position


@pytest.fixture(scope="module")
def tegal_scores():
    return score(*tegal_administrators())


def test_prefer_stay_false_is_the_old_placement(tegal_scores, scores):
    for s in (tegal_scores, scores):
        placement = assign(s, prefer_stay=False, method="dense")
        capacity = assign(s, prefer_stay=False)
        assert capacity.summary()["objective_value"] == pytest.approx(
            placement.summary()["objective_value"], rel=1e-12
        )
        expected = old_placement(
            np.asarray(s.composite, dtype=float),
            placement.allowed,
            placement.seats,
            canonical_order(s.employees.ids),
            canonical_order(s.positions.ids),
        )
        assert np.array_equal(placement.employee_position, expected)
        assert placement.summary()["score_quantum"] is None
        assert placement.summary()["prefer_stay"] is False


@pytest.mark.parametrize("objective", ["total", "fill_first", "bottleneck"])
def test_tegal_moves_fewer_incumbents_at_the_same_objective(tegal_scores, objective):
    loose = assign(tegal_scores, objective=objective, prefer_stay=False).summary()
    kept_placement = assign(tegal_scores, objective=objective)
    kept = kept_placement.summary()
    assert kept["total_score"] == pytest.approx(loose["total_score"], abs=1e-6)
    assert kept["filled_seats"] == loose["filled_seats"]
    assert kept["prefer_stay"] is True and kept["score_quantum"] == 1e-9
    assert kept["moves"] < loose["moves"]
    if objective == "bottleneck":
        frames = (assign(tegal_scores, objective=objective, prefer_stay=False), kept_placement)
        worst = [f.to_frame().query("status == 'placed'")["composite"].min() for f in frames]
        assert worst[0] == pytest.approx(worst[1], abs=1e-9)
    compare = kept_placement.compare_current()
    assert (compare["change"] == "stays").sum() == kept["stays"]


def test_tegal_stays_are_proven_maximal_by_an_lp(tegal_scores):
    """Cross-check with HiGHS: the total is the LP optimum, and asking for one more stay
    lowers even the LP relaxation's optimum, so no placement with more stays reaches it."""
    placement = assign(tegal_scores)
    summary = placement.summary()
    values = np.round(np.asarray(tegal_scores.composite, dtype=float), 9)
    total = summary["total_score"]
    assert lp_total(values, placement.allowed, placement.seats) == pytest.approx(total, abs=1e-6)
    n, m = values.shape
    own = placement.incumbent[:, None] == np.arange(m)[None, :]
    rows, cols = np.nonzero(placement.allowed & ((values > 0) | own))
    k = rows.size
    stay = (placement.incumbent[rows] == cols).astype(float)
    a = np.zeros((n + m + 1, k))
    a[rows, np.arange(k)] = 1
    a[n + cols, np.arange(k)] = 1
    a[n + m] = -stay
    result = linprog(
        -values[rows, cols],
        A_ub=a,
        b_ub=np.r_[np.ones(n), placement.seats, -(summary["stays"] + 1)],
        bounds=(0, 1),
        method="highs",
    )
    assert result.status == 0 and -result.fun < total - 1e-6


def test_assign_options_and_shuffled_tables_with_prefer_stay(workforce):
    employees, positions = workforce
    base = assign(score(employees, positions))
    assert base.options["prefer_stay"] is True
    rng = np.random.default_rng(11)
    e2 = employees.iloc[rng.permutation(len(employees))].reset_index(drop=True)
    p2 = positions.iloc[rng.permutation(len(positions))].reset_index(drop=True)
    again = assign(score(e2, p2))
    assert pairs_of(base) == pairs_of(again)
    loose = assign(score(employees, positions), prefer_stay=False)
    assert base.summary()["moves"] <= loose.summary()["moves"]
    assert base.summary()["total_score"] == pytest.approx(loose.summary()["total_score"], abs=1e-6)
    assert np.isfinite(base.shadow_prices).all()
    with pytest.warns(DeprecationWarning, match=r"Placement.seat_prices is deprecated"):
        assert np.array_equal(base.seat_prices, base.shadow_prices)
    with pytest.raises(ValueError, match=r"The 'prefer_stay' parameter of assign"):
        assign(score(employees, positions), prefer_stay=None)


def test_placement_arrays_are_read_only(scores):
    """Regression: ``allowed`` stayed writable with min_score or forbidden, and writing to it
    changed what explain() reported."""
    e_ids, p_ids = scores.employees.ids, scores.positions.ids
    placement = assign(scores, min_score=60.0, forbidden=[(e_ids[0], p_ids[0])])
    before = placement.explain(e_ids[0], k=None)["alternatives"]
    arrays = {
        "allowed": placement.allowed,
        "forbidden": placement.forbidden,
        "meets_minimum": placement.meets_minimum,
        "incumbent": placement.incumbent,
        "seats": placement.seats,
        "employee_order": placement.employee_order,
        "option_rank": placement.option_rank,
        "runner_up": placement.runner_up,
        "runner_up_score": placement.runner_up_score,
        "shadow_prices": placement.shadow_prices,
        "employee_position": placement.solution.employee_position,
        "employee_code": placement.reasons.employee_code,
        "seat_other": placement.reasons.seat_other,
    }
    for name, array in arrays.items():
        assert array is not None, name
        with pytest.raises(ValueError, match="read-only"):
            array[(0,) * array.ndim] = array[(0,) * array.ndim]
    pd.testing.assert_frame_equal(placement.explain(e_ids[0], k=None)["alternatives"], before)


def test_reason_codes_are_enums_with_one_text_table():
    assert set(EMPLOYEE_REASONS) == set(EmployeeReason)
    assert set(SEAT_REASONS) == set(SeatReason)
    assert EMPLOYEE_REASONS[EmployeeReason.SEAT_LOCKED] == "seat locked"
    assert SEAT_REASONS[SeatReason.NO_GAIN] == "no gain"


def move_capped_workforce():
    employees, positions = synthetic_workforce(80, 16, seed=3)
    scores = score(employees, positions)
    free = assign(scores, prefer_stay=False).summary()
    assert free["moves"] >= 4  # the cap below binds
    return scores, free["moves"] // 2


def test_time_limit_reports_best_found_bound_and_gap():
    scores, cap = move_capped_workforce()
    rushed = assign(scores, max_moves=cap, time_limit=1e-9)
    s = rushed.summary()
    assert s["method"] == "milp" and s["time_limit_reached"] is True
    assert s["moves"] <= cap
    assert s["objective_bound"] >= s["objective_value"] - 1e-6
    assert s["optimality_gap"] == pytest.approx(
        (s["objective_bound"] - s["objective_value"]) / abs(s["objective_bound"])
    )
    proven = assign(scores, max_moves=cap, time_limit=None).summary()
    assert proven["time_limit_reached"] is False and proven["optimality_gap"] == 0.0
    assert proven["objective_bound"] == proven["objective_value"]
    # the bound holds: the optimum lies between the rushed placement and its bound
    assert s["objective_value"] - 1e-6 <= proven["objective_value"] <= s["objective_bound"] + 1e-6
    with pytest.raises(ValueError, match=r"The 'time_limit' parameter of assign"):
        assign(scores, max_moves=cap, time_limit=-1.0)


@FEW
@given(st.integers(0, 2**32 - 1), st.integers(2, 4))
def test_blocks_solved_apart_equal_one_solve(seed, n_blocks):
    """Agencies that cannot exchange people: solved apart and merged, the same as one solve."""
    rng = np.random.default_rng(seed)
    n, m = 40, 12
    weights = rng.integers(1, 50, size=(n, m)) * 1000  # ties within each block
    agency_of_employee = rng.integers(0, n_blocks, n)
    agency_of_position = rng.integers(0, n_blocks, m)
    allowed = (agency_of_employee[:, None] == agency_of_position[None, :]) & (
        rng.random((n, m)) < 0.7
    )
    capacity = rng.integers(0, 4, m)
    position, prices = capacity_path.solve_blocks(weights, capacity, allowed)
    whole = max_weight_transport(weights, capacity, allowed=allowed)
    placed = position >= 0
    assert int(weights[placed, position[placed]].sum()) == whole.total
    assert prices.tolist() == whole.position_prices.tolist()  # the largest prices are unique
    assert (np.bincount(position[placed], minlength=m) <= capacity).all()
    assert allowed[placed, position[placed]].all()
