"""The move-capped stage of placement: a Lagrangian search, then a mixed-integer programme.

A cap on the number of incumbents who move (``max_moves``) is one side constraint, which breaks
the total unimodularity the assignment solvers rely on. When the placement found without the cap
moves too many, :func:`~asn_match.kernels.seating.solve_placement` hands the problem here: the
transportation form of the same problem (one binary variable per allowed employee-position pair,
seats as capacities; identical seats make it equivalent to the expanded problem), with at least
``min_stays`` stay pairs, solved by :func:`scipy.optimize.milp` (HiGHS, relative gap 0).
Lexicographic objectives run in stages (count, then the bottleneck level by binary search, then
the total); with the stay tie-break, :func:`milp_most_stays` then asks for one more stay at a
time with the objective held.

Lagrangian search first
-----------------------
Under ``objective="total"`` the capacity path first prices the cap (:func:`lagrangian_stays`):
with ``t`` quanta added to every stay pair, the best placement of ``V + t * stays`` keeps more
incumbents as ``t`` grows. For every ``t >= 0`` and every placement ``y`` with at least
``min_stays`` stays, ``V(y) <= V(y) + t (stays(y) - min_stays) <= L(t) = max_x [V(x) +
t stays(x)] - t min_stays``: each solve gives an upper bound. The search (intersections of the
lines ``V(x) + t stays(x)`` of the two nearest solves, bisection as a guard) finds the least
``t`` whose placement ``x`` meets the cap. If ``x`` keeps exactly ``min_stays`` incumbents, its
bound equals its total and it is optimal (the cap is met with equality, so the relaxation is
tight); otherwise ``x`` is feasible, its bound says how far from optimal it can be, and the
MILP below starts with that bound. Each step is one exact capacity solve, warm-started from the
prices of the last.

Time limit
----------
All MILP calls of one solve share one clock (``time_limit`` seconds, passed to HiGHS as its
``time_limit`` option). When a stage stops on the limit, the best placement found so far is kept
and the result says so (:attr:`MilpOutcome.time_limit_reached`) with an upper bound on the
objective (:attr:`MilpOutcome.bound`): for ``objective="total"`` the smaller of HiGHS's dual
bound and the optimum without the cap (which no capped placement can beat). If HiGHS found no
placement at all in time, a feasible one is built here (:func:`feasible_placement`: the stays the
cap needs, the best ones first, and the best matching of everyone else). When only the stay
tie-break stage stops, the total is optimal and only the number of stays is not proven maximal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, vstack

from .lap import Objective, expand_seats, max_weight_matching
from .transport import max_weight_transport

__all__ = [
    "Clock",
    "MilpOutcome",
    "feasible_placement",
    "lagrangian_stays",
    "milp_most_stays",
    "milp_objective",
]

_EMPTY = np.empty(0, np.intp)


class Clock:
    """The time left to the MILP stages of one solve; ``None``: no limit.

    Examples
    --------
    >>> Clock(None).left() is None, Clock(60.0).left() > 59.0
    (True, True)
    """

    def __init__(self, time_limit: float | None) -> None:
        self.deadline = None if time_limit is None else time.monotonic() + time_limit
        self.stopped = False  # a stage stopped on the limit

    def left(self) -> float | None:
        """Seconds left (never negative), or None without a limit."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def out(self) -> bool:
        """True once the time is spent."""
        left = self.left()
        return left is not None and left <= 0.0


@dataclass(frozen=True, eq=False)
class MilpOutcome:
    """A placement of the move-capped stage and how far it is proven optimal.

    Attributes
    ----------
    rows, cols : ndarray of shape (n_pairs,), intp
        The placed pairs, in the indices of the arrays given.
    time_limit_reached : bool
        A stage stopped on the time limit.
    bound : float or None
        An upper bound on the optimised total (in the units of the weights). Equal to the total
        found when it is proven optimal; None when a stage before the total one stopped (no
        bound on the total is then known).
    """

    rows: np.ndarray
    cols: np.ndarray
    time_limit_reached: bool = False
    bound: float | None = None


class _OutOfTime(Exception):
    """HiGHS stopped on the time limit before finding any placement."""

    def __init__(self, bound: float) -> None:
        super().__init__(bound)
        self.bound = bound


def lagrangian_stays(
    weights: np.ndarray,
    useful: np.ndarray,
    capacity: np.ndarray,
    stay: np.ndarray,
    min_stays: int,
    values: np.ndarray,
    *,
    unit: float,
    quantum: float,
    clock: Clock,
) -> MilpOutcome:
    """The least Lagrangian price of a stay that meets the cap (see the module docstring).

    Parameters
    ----------
    weights : ndarray of shape (n, m), int64 (or float64)
        The capacity solver's weights (:func:`~asn_match.kernels.seating.solver_weights`).
    useful : ndarray of bool of shape (n, m)
        Pairs that may be placed: allowed, and worth placing or a stay.
    capacity : ndarray of int of shape (m,)
    stay : ndarray of bool of shape (n, m)
        Pairs that keep an incumbent in place.
    min_stays : int
        Fewest stays; no more than can fit (checked by the caller).
    values : ndarray of shape (n, m)
        The values in score units, as the weights encode them (the bound is given in them).
    unit : float
        One quantum of the values in weight units (``S + 1`` with the stay tie-break's
        ``W = V * (S + 1) + stay``, 1 on plain integer quanta).
    quantum : float
        One quantum of the values in score units (``q``, or 1e-9).
    clock : Clock
        Stops the search, with the feasible placement of the last price, when time is spent.

    Returns
    -------
    MilpOutcome
        The placement of the least price found that meets the cap, and the smallest Lagrangian
        bound on the capped optimum; ``bound`` equals its total when it is proven optimal.

    Examples
    --------
    Employee 1 holds position 1; the best total (17) moves them, keeping them costs 1 point.

    >>> weights = np.array([[9, 5], [8, 1]])
    >>> stay = np.array([[False, False], [False, True]])
    >>> found = lagrangian_stays(weights, np.ones((2, 2), bool), np.array([1, 1]), stay, 1,
    ...                          weights.astype(float), unit=1, quantum=1.0, clock=Clock(None))
    >>> found.rows.tolist(), found.cols.tolist(), found.bound
    ([0, 1], [0, 1], 10.0)
    """
    lift = stay & useful
    exact = weights.dtype.kind != "f"
    # the values in integer quanta (the stay bit of the tie-break taken off), to compare exactly
    tie_bit = (lift & (unit > 1)).astype(weights.dtype)
    steps = (weights - tie_bit) // unit if exact else None

    def solve(t, prices=None, fewest=False):
        lifted = weights + (t * unit) * lift if t else weights
        if fewest:  # among the optima of V + t * stays, the fewest stays (tie bit reversed)
            lifted = lifted - 2 * tie_bit if unit > 1 else 2 * lifted - lift
        elif unit == 1 and exact:  # the most stays among them
            lifted = 2 * lifted + lift
        solution = max_weight_transport(lifted, capacity, allowed=useful, prices=prices)
        rows = np.flatnonzero(solution.employee_position >= 0).astype(np.intp)
        cols = solution.employee_position[rows].astype(np.intp)
        stays = int(np.count_nonzero(stay[rows, cols]))
        total = int(steps[rows, cols].sum()) if exact else float(values[rows, cols].sum())
        return _Point(t, rows, cols, stays, total, solution)

    def bound(point: _Point) -> float:  # L(t) in score units
        score = point.total * quantum if exact else point.total
        return float(score + point.t * quantum * (point.stays - min_stays))

    low = solve(0)
    # A price above any total the weights reach keeps every incumbent who can stay.
    reach = np.abs(weights).max(axis=1, where=useful, initial=0).sum() + 1
    high = solve(int(np.ceil(reach / unit)), low.solution.position_prices)
    best = bound(high)
    while high.t - low.t > 1 and high.stays > min_stays and not clock.out():
        # Where the lines total + t * stays of the two ends cross (exact on integer quanta):
        # often the breakpoint itself, where both are optimal; bisection as a guard.
        gap, rise = low.total - high.total, high.stays - low.stays
        t = int(-(-gap // rise)) + low.t if exact else int(np.ceil(gap / (quantum * rise))) + low.t
        if not low.t < t < high.t:
            t = (low.t + high.t) // 2
        trial = solve(t, high.solution.position_prices)
        best = min(best, bound(trial))
        if trial.stays >= min_stays:
            high = trial
        else:
            low = trial
    rows, cols = high.rows, high.cols
    if high.stays > min_stays and exact and not clock.out():
        fewest = solve(high.t, high.solution.position_prices, fewest=True)
        if fewest.stays <= min_stays:
            walked = _walk_to_cap(fewest, high, stay, min_stays)
            if walked is not None:
                rows, cols = walked
    found = float(values[rows, cols].sum())
    if int(np.count_nonzero(stay[rows, cols])) == min_stays:
        best = found
    return MilpOutcome(rows, cols, clock.out(), float(max(best, found)))


def _walk_to_cap(fewest: _Point, most: _Point, stay: np.ndarray, min_stays: int):
    """A placement with exactly ``min_stays`` stays between two optima of one Lagrangian.

    ``fewest`` and ``most`` are optimal for the same price ``t`` (fewest and most stays). Their
    difference splits into alternating chains (an employee leaves a position another one of the
    chain enters): applying one chain to ``fewest`` keeps the seats within capacity, and it
    changes the Lagrangian objective by 0, since neither placement can be improved. Chains are
    applied, those adding the most stays first, while they do not pass the cap; landing on it
    exactly gives a placement optimal for the Lagrangian with the cap met with equality, hence
    optimal for the capped problem. None when no subset of chains lands on it (greedily).
    """
    n = stay.shape[0]
    before = np.full(n, -1, dtype=np.intp)
    after = np.full(n, -1, dtype=np.intp)
    before[fewest.rows], after[most.rows] = fewest.cols, most.cols
    changed = np.flatnonzero(before != after)
    parent = np.arange(n)

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    # at each position, pair an employee who enters it with one who leaves it: same chain
    entering: dict[int, list[int]] = {}
    leaving: dict[int, list[int]] = {}
    for e in changed.tolist():
        if after[e] >= 0:
            entering.setdefault(int(after[e]), []).append(e)
        if before[e] >= 0:
            leaving.setdefault(int(before[e]), []).append(e)
    for j, comers in entering.items():
        for a, b in zip(comers, leaving.get(j, []), strict=False):
            parent[find(a)] = find(b)
    chains: dict[int, list[int]] = {}
    for e in changed.tolist():
        chains.setdefault(find(e), []).append(e)

    def stays_of(place: np.ndarray, members: np.ndarray) -> int:
        held = place[members]
        ok = held >= 0
        return int(np.count_nonzero(stay[members[ok], held[ok]]))

    effects = []
    for members in chains.values():
        group = np.asarray(members, dtype=np.intp)
        effects.append((stays_of(after, group) - stays_of(before, group), group))
    effects.sort(key=lambda item: -item[0])
    need = min_stays - fewest.stays
    place = before.copy()
    for delta, group in effects:
        if need == 0:
            break
        if 0 < delta <= need:
            place[group] = after[group]
            need -= delta
    if need != 0:
        return None
    rows = np.flatnonzero(place >= 0).astype(np.intp)
    return rows, place[rows]


@dataclass(frozen=True, eq=False)
class _Point:
    """One solve of the Lagrangian search: price, placement, stays and total (score units)."""

    t: int
    rows: np.ndarray
    cols: np.ndarray
    stays: int
    total: int | float  # integer quanta of the values (score units with float weights)
    solution: Any


def _transport_form(allowed, capacity, stay, min_stays: int, min_count: int):
    """Pairs and constraints of the transportation form: one variable per allowed pair.

    Rows hold at most one seat, positions at most ``capacity``; at least ``min_stays`` stay
    pairs and ``min_count`` pairs. Returns (rows, cols, constraint), or None without pairs.
    """
    n, m = allowed.shape
    rows, cols = np.nonzero(allowed)
    k = rows.size
    if k == 0:
        return None
    ones = np.ones(k)
    # 32-bit indices: the HiGHS wrapper of scipy < 1.15 accepts no other (and k is far below 2**31).
    arange = np.arange(k, dtype=np.int32)
    blocks = [
        csr_array((ones, (rows.astype(np.int32), arange)), shape=(n, k)),
        csr_array((ones, (cols.astype(np.int32), arange)), shape=(m, k)),
    ]
    lower = [np.zeros(n), np.zeros(m)]
    upper = [np.ones(n), capacity.astype(float)]
    if min_stays > 0:
        blocks.append(csr_array(stay[rows, cols].astype(float).reshape(1, k)))
        lower.append(np.array([float(min_stays)]))
        upper.append(np.array([np.inf]))
    if min_count > 0:
        blocks.append(csr_array(ones.reshape(1, k)))
        lower.append(np.array([float(min_count)]))
        upper.append(np.array([np.inf]))
    constraint = LinearConstraint(
        vstack(blocks, format="csr"), np.concatenate(lower), np.concatenate(upper)
    )
    return rows, cols, constraint


def _milp_matching(
    weights: np.ndarray,
    allowed: np.ndarray,
    capacity: np.ndarray,
    stay: np.ndarray,
    min_stays: int,
    clock: Clock,
    *,
    maximize: Literal["total", "count"],
    min_count: int = 0,
) -> MilpOutcome | None:
    """Best matching in transportation form with at least ``min_stays`` stay pairs (HiGHS MILP).

    weights, allowed, stay : (n, m); capacity : (m,). Returns the placed pairs with the bound on
    the maximised quantity, None when no solution meets the constraints; raises
    :class:`_OutOfTime` when the limit passed before any solution was found.
    """
    form = _transport_form(allowed, capacity, stay, min_stays, min_count)
    if form is None:
        return MilpOutcome(_EMPTY, _EMPTY, bound=0.0) if min_stays <= 0 >= min_count else None
    rows, cols, constraint = form
    gain = weights[rows, cols] if maximize == "total" else np.ones(rows.size)
    options: dict[str, object] = {"mip_rel_gap": 0.0, "presolve": True}
    left = clock.left()
    if left is not None:
        options["time_limit"] = left
    result = milp(
        -gain,
        constraints=constraint,
        integrality=np.ones(rows.size),
        bounds=Bounds(0.0, 1.0),
        options=options,
    )
    if result.status == 2:  # infeasible
        return None
    dual = getattr(result, "mip_dual_bound", None)
    bound = np.inf if dual is None or not np.isfinite(dual) else -float(dual)
    if result.status == 1:  # time (or iteration) limit
        clock.stopped = True
        if result.x is None:
            raise _OutOfTime(bound)
    elif result.status != 0 or result.x is None:
        raise RuntimeError(
            f"The move-limited placement could not be solved ({result.message}). "
            "Raise max_moves or split the problem by agency."
        )
    chosen = result.x > 0.5
    found = float(gain[chosen].sum())
    return MilpOutcome(
        rows[chosen].astype(np.intp),
        cols[chosen].astype(np.intp),
        time_limit_reached=result.status == 1,
        bound=found if result.status == 0 else max(bound, found),
    )


def _lp_total_bound(weights, allowed, capacity, stay, min_stays: int, min_count: int) -> float:
    """Optimum of the LP relaxation of the total-maximising MILP: an upper bound on its total.

    -inf when even the relaxation is infeasible.
    """
    form = _transport_form(allowed, capacity, stay, min_stays, min_count)
    if form is None:
        return 0.0 if min_stays <= 0 >= min_count else -np.inf
    rows, cols, constraint = form
    result = milp(-weights[rows, cols], constraints=constraint, bounds=Bounds(0.0, 1.0))
    if result.status == 2:
        return -np.inf
    if result.status != 0:
        return np.inf  # no bound proven: let the MILP decide
    return -float(result.fun)


def feasible_placement(
    weights: np.ndarray,
    allowed: np.ndarray,
    capacity: np.ndarray,
    stay: np.ndarray,
    min_stays: int,
) -> tuple[np.ndarray, np.ndarray] | None:
    """A placement with at least ``min_stays`` stays, good but not proven optimal.

    The stays with the highest weights are fixed first (each position up to its capacity), then
    everyone else is matched for the greatest total over the seats left. None when fewer than
    ``min_stays`` stays fit.

    Parameters
    ----------
    weights, allowed, stay : ndarray of shape (n, m)
        Values, allowed pairs and stay pairs (at most one per row).
    capacity : ndarray of int of shape (m,)
    min_stays : int

    Returns
    -------
    (rows, cols) or None

    Examples
    --------
    >>> weights = np.array([[10.0, 90.0], [90.0, 10.0]])
    >>> stay = np.eye(2, dtype=bool)
    >>> rows, cols = feasible_placement(weights, np.ones((2, 2), bool), np.array([1, 1]), stay, 2)
    >>> rows.tolist(), cols.tolist()
    ([0, 1], [0, 1])
    """
    n, m = allowed.shape
    stay_rows, stay_cols = np.nonzero(stay & allowed)
    order = np.argsort(-weights[stay_rows, stay_cols], kind="stable")
    taken = np.zeros(m, dtype=np.intp)
    fixed: list[int] = []
    for t in order.tolist():
        if len(fixed) >= min_stays:
            break
        if taken[stay_cols[t]] < capacity[stay_cols[t]]:
            taken[stay_cols[t]] += 1
            fixed.append(t)
    if len(fixed) < min_stays:
        return None
    fixed_rows, fixed_cols = stay_rows[fixed], stay_cols[fixed]
    rest = np.setdiff1d(np.arange(n), fixed_rows)
    seat_column = expand_seats(capacity - taken)
    matrix = np.where(allowed[rest], weights[rest], -np.inf)[:, seat_column]
    r, s = max_weight_matching(matrix)
    rows = np.concatenate([fixed_rows, rest[r]]).astype(np.intp)
    cols = np.concatenate([fixed_cols, seat_column[s]]).astype(np.intp)
    order = np.argsort(rows, kind="stable")
    return rows[order], cols[order]


def milp_objective(
    weights: np.ndarray,
    allowed: np.ndarray,
    capacity: np.ndarray,
    stay: np.ndarray,
    min_stays: int,
    objective: Objective,
    clock: Clock,
    *,
    upper: float = np.inf,
) -> MilpOutcome | None:
    """The move-limited problem for any objective, by MILP stages; None if infeasible.

    Parameters
    ----------
    weights, allowed, stay : ndarray of shape (n, m)
        Values (bonus included), allowed pairs and the pairs that keep an incumbent in place.
    capacity : ndarray of int of shape (m,)
        Seats per position.
    min_stays : int
        Fewest stay pairs (incumbents minus ``max_moves``).
    objective : {"total", "fill_first", "bottleneck"}
    clock : Clock
        The time left to the MILP stages.
    upper : float, default=inf
        A known upper bound on the total (the optimum without the cap), for ``"total"``.

    Returns
    -------
    MilpOutcome or None
    """
    if objective == "total":
        useful = allowed & (stay | (weights > 0))
        try:
            found = _milp_matching(
                weights, useful, capacity, stay, min_stays, clock, maximize="total"
            )
        except _OutOfTime as stop:
            fallback = feasible_placement(weights, useful, capacity, stay, min_stays)
            if fallback is None:  # excluded by the caller's check of the possible stays
                return None
            total = float(weights[fallback].sum())
            return MilpOutcome(*fallback, True, max(total, min(stop.bound, upper)))
        if found is None or found.bound is None:
            return found
        return MilpOutcome(
            found.rows, found.cols, found.time_limit_reached, min(found.bound, max(upper, 0.0))
        )
    try:
        best = _milp_matching(weights, allowed, capacity, stay, min_stays, clock, maximize="count")
    except _OutOfTime:
        raise _time_limit_error() from None
    if best is None:
        return None
    count = best.rows.size
    stopped = best.time_limit_reached
    if objective == "bottleneck" and count:
        levels = np.unique(weights[allowed])
        low, high = 0, levels.size - 1
        while low < high and not clock.out():  # highest level at which full count remains
            middle = (low + high + 1) // 2
            strong = allowed & (weights >= levels[middle])
            try:
                trial = _milp_matching(
                    weights, strong, capacity, stay, min_stays, clock, maximize="count"
                )
            except _OutOfTime:
                trial = None
            if trial is not None and trial.rows.size == count:
                low, best = middle, trial
            else:
                high = middle - 1
        stopped = stopped or low < high
        allowed = allowed & (weights >= levels[low])
    try:
        final = _milp_matching(
            weights, allowed, capacity, stay, min_stays, clock, maximize="total", min_count=count
        )
    except _OutOfTime:
        final = None
    if final is None:  # out of time: the last stage's matching is feasible
        return MilpOutcome(best.rows, best.cols, True, None)
    if stopped:
        return MilpOutcome(final.rows, final.cols, True, None)
    return final


def _time_limit_error() -> RuntimeError:
    return RuntimeError(
        "The move-limited placement found no placement within time_limit. Raise time_limit, "
        "raise max_moves, or split the problem by agency."
    )


def milp_most_stays(
    weights: np.ndarray,
    allowed: np.ndarray,
    capacity: np.ndarray,
    stay: np.ndarray,
    found: MilpOutcome,
    objective: Objective,
    quantum: float,
    clock: Clock,
) -> MilpOutcome:
    """Most stays with the first MILP stage's objective held (the stay tie-break).

    Asks for one more stay at a time (max total with the count and bottleneck level held),
    which HiGHS solves far faster than maximising the stays under a total constraint; usually
    the LP relaxation alone already proves that one more stay loses total. Each MILP answer is
    kept only if its quantised total (on ``quantum``) is not lower, as HiGHS works to
    tolerances. Stops, keeping the best so far, when the clock runs out.
    """
    rows, cols = found.rows, found.cols
    count = rows.size
    if objective == "total":
        allowed = allowed & (stay | (weights > 0))
    elif objective == "bottleneck" and count:
        allowed = allowed & (weights >= weights[rows, cols].min())
    scale = 10.0 ** round(-np.log10(quantum))

    def quantised_total(r, c) -> int:
        return int(np.rint(weights[r, c] * scale).astype(np.int64).sum())

    target = quantised_total(rows, cols)
    # Margin for the LP solver's tolerances: a bound this far below proves that no placement
    # with one more stay keeps the total.
    margin = 1e-7 * max(1.0, abs(target / scale))
    best = found
    min_count = 0 if objective == "total" else count
    while not clock.out():
        stays = int(np.count_nonzero(stay[best.rows, best.cols]))
        bound = _lp_total_bound(weights, allowed, capacity, stay, stays + 1, min_count)
        if bound < target / scale - margin:
            return best
        try:
            trial = _milp_matching(
                weights,
                allowed,
                capacity,
                stay,
                stays + 1,
                clock,
                maximize="total",
                min_count=min_count,
            )
        except _OutOfTime:
            break
        if (
            trial is None
            or trial.rows.size < count
            or quantised_total(trial.rows, trial.cols) < target
        ):
            return best
        best = MilpOutcome(trial.rows, trial.cols, found.time_limit_reached, found.bound)
    return MilpOutcome(best.rows, best.cols, True, found.bound)
