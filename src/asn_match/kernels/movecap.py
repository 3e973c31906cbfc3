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
t stays(x)] - t min_stays``: each solve gives an upper bound, and the least of them over ``t``
is the optimum of the LP relaxation of the capped problem. Each step is one exact capacity
solve; how the search goes, and why it is exact:

- *The breakpoint, exactly.* Each solve ``x`` is a line ``V(x) + t stays(x)``; ``L`` is their
  upper envelope. With a solve below the cap (``low``) and one above (``high``), the next ``t``
  is where their lines cross, a fraction ``p / r``: the weights are scaled by ``r`` (``r * W +
  p * stay``, exact in int64), so the solve there is exact too. Either it finds a line above
  both (more stays than ``low``, fewer than ``high``: it replaces one of them) or ``t`` is the
  breakpoint ``t*`` where ``low`` and ``high`` are both optimal. At integer ``t`` alone, a
  breakpoint at a half quantum (two stays for an odd gain) is never reached.
- *Guesses first.* The first prices come from the duals of the last solve, as Newton's step
  would: the reduced cost of each moving incumbent's stay pair says how far ``t`` must rise
  before they would stay (or, above the cap, what a staying one would lose by moving), and the
  share the cap needs gives the next ``t``. While the two ends are far apart (their lines then
  cross far from the breakpoint), the stays are interpolated between them (regula falsi, with
  the Illinois rule); the exact crossings take over once they differ by a few stays. Each
  solve near both ends is warm-started from their prices interpolated (optimal prices are
  linear in ``t`` between breakpoints).
- *The walk to the cap.* ``low`` and ``high`` optimal at the same ``t*``: their difference
  splits into simple cycles of moves (:func:`_simple_cycles`), each of zero Lagrangian cost, so
  any set of them applied to ``low`` is optimal at ``t*`` too. A set whose changes of stays add
  up to what ``low`` lacks (:func:`_subset_with_sum`) meets the cap with equality: its total
  equals the bound, so it is optimal (and no optimum keeps more incumbents, since ``t* > 0``).
- *A genuine gap.* When no such set exists (say one swap of two incumbents: 0 or 2 stay, the
  cap asks for 1) the relaxation is not tight. The MILP then runs on the pairs that the
  reduced costs at ``t*`` allow (:func:`_reduced_milp`): a placement worth at least a known
  one can only use pairs whose reduced cost is within the bound's gap over it (reduced-cost
  fixing, exact on integers), a few percent of the pairs; widened until the optimum proves
  itself, its answer is the optimum of the whole problem.

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
from fractions import Fraction
from typing import Any, Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, vstack

from .lap import Objective, expand_seats, max_weight_matching
from .transport import TransportSolution, max_weight_transport_sparse

__all__ = [
    "Clock",
    "MilpOutcome",
    "feasible_placement",
    "lagrangian_stays",
    "milp_most_stays",
    "milp_objective",
]

_EMPTY = np.empty(0, np.intp)

#: Lifted integer weights stay below this, half the capacity solver's exact range (doubled for
#: the most-stays tie on plain integers).
_EXACT_LIMIT = 2**54

#: The reduced MILP first takes the pairs of reduced cost within 1/64 of the known slack, and
#: widens as much while that does not prove the optimum (ties at zero reduced cost, between
#: positions of the same profile, make most of the pairs kept; a smaller share saves little).
_FIRST_SHARE = 64
_GROWTH = 64

#: Guesses of the price from the reduced costs of the stays before the search brackets it.
_GUESSES = 4

#: The search crosses the lines of its two ends (exact) once they differ by at most this many
#: stays or 2% of the price; before, it interpolates the stays.
_NARROW_STAYS = 8

#: Orders of the edges tried when splitting two Lagrangian optima into cycles.
_WALK_ORDERS = 4


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
    candidates : ndarray of bool of shape (n, m) or None
        From the Lagrangian search when it stops short of a proof: the only pairs an optimal
        placement can use (reduced-cost fixing), for the MILP that follows; None: all pairs.
    """

    rows: np.ndarray
    cols: np.ndarray
    time_limit_reached: bool = False
    bound: float | None = None
    candidates: np.ndarray | None = None


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
    prices: np.ndarray | None = None,
    placed: tuple[np.ndarray, np.ndarray] | None = None,
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
    prices : ndarray of shape (m,), optional
        Prices of the positions in score units from the solve without the cap: a warm start of
        the first solve (any prices give the same result).
    placed : (rows, cols), optional
        With ``prices``: the placement without the cap, optimal for ``weights`` (the solve at
        ``t = 0``, which is then not repeated; its prices only guide the search).

    Returns
    -------
    MilpOutcome
        The placement of the least price found that meets the cap, and the smallest Lagrangian
        bound on the capped optimum; ``bound`` equals its total when it is proven optimal.
        When it is not, ``candidates`` holds the pairs that an optimal placement can use (the
        others are excluded by their reduced cost at the breakpoint's prices).

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
    tie = unit > 1  # the weights carry the stay tie-break's bit
    tie_bit = (lift & tie).astype(weights.dtype)
    steps = (weights - tie_bit) // unit if exact else weights  # (only read when exact)
    top = int(np.abs(weights).max(initial=0)) if exact else 0

    def representable(t: Fraction) -> bool:
        # r * W + p * unit * stay within the solver's exact integers, with room to double it
        return t.denominator * top + abs(t.numerator) * int(unit) < _EXACT_LIMIT

    def lifted_weights(t: Fraction, pairs: bool = False) -> np.ndarray:
        """``weights`` for ``V + t * stays`` (times its denominator r on integer weights).

        Among the optima of ``V + t * stays``, the most stays (the tie-break's bit, or
        ``2 * x + stay`` on plain integers). Of the ``useful`` pairs in CSR order, or of all.
        """
        base, raised = (pair_weights, pair_lift) if pairs else (weights, lift)
        if not exact:
            return base + (float(t) * unit) * raised
        r = t.denominator
        lifted = base * r if r > 1 else base
        if t:
            lifted = lifted + (t.numerator * int(unit)) * raised
        return lifted if tie else 2 * lifted + raised

    # the useful pairs row by row, for the solver (CSR)
    pair_rows, pair_cols = np.nonzero(useful)
    indptr = np.concatenate([[0], np.cumsum(np.count_nonzero(useful, axis=1))])
    pair_weights, pair_lift = weights[pair_rows, pair_cols], lift[pair_rows, pair_cols]

    def solve(t: Fraction, prices: np.ndarray | None = None) -> _Point:
        solution = max_weight_transport_sparse(
            indptr, pair_cols, lifted_weights(t, pairs=True), capacity, prices=prices
        )
        rows = np.flatnonzero(solution.employee_position >= 0).astype(np.intp)
        cols = solution.employee_position[rows].astype(np.intp)
        stays = int(np.count_nonzero(stay[rows, cols]))
        total = int(steps[rows, cols].sum()) if exact else float(values[rows, cols].sum())
        return _Point(t, rows, cols, stays, total, solution)

    def known(rows: np.ndarray, cols: np.ndarray, prices: np.ndarray) -> _Point:
        # The placement without the cap as the solve at t = 0 (optimal for V, not always the
        # most stays among the optima on plain integers, which nothing below needs), with the
        # employees' values at its prices for the guesses.
        lifted = lifted_weights(Fraction(0))
        offers = np.where(useful & (lifted > 0), lifted - prices, 0).max(axis=1, initial=0)
        position = np.full(weights.shape[0], -1, dtype=np.int64)
        position[rows] = cols
        solution = TransportSolution(
            employee_position=position,
            position_prices=prices,
            employee_values=np.maximum(offers, 0),
            total=int(lifted[rows, cols].sum()),
            n_moves=0,
        )
        stays = int(np.count_nonzero(stay[rows, cols]))
        return _Point(Fraction(0), rows, cols, stays, int(steps[rows, cols].sum()), solution)

    def bound(point: _Point) -> float:  # L(t) in score units
        score = point.total * quantum if exact else point.total
        return float(score + float(point.t * (point.stays - min_stays)) * quantum)

    def guess(point: _Point) -> float | None:
        # Newton's step from the duals of a solve: how far t must move before each incumbent
        # would change sides (the reduced cost of a moving incumbent's stay pair, or what a
        # staying one would lose by its best other choice, over what one unit of t adds to a
        # stay); the share of them the cap needs, as if they did not compete for seats (ties
        # at 0 are held by that competition: left out). The new price, or None.
        need = min_stays - point.stays
        solution = point.solution
        rows, cols = np.nonzero(lift)
        kept = solution.employee_position[rows] == cols
        rows, cols = (rows[~kept], cols[~kept]) if need > 0 else (rows[kept], cols[kept])
        lifted = lifted_weights(point.t)
        if need > 0:
            gaps = (
                solution.employee_values[rows] + solution.position_prices[cols] - lifted[rows, cols]
            )
        else:
            others = np.where(useful[rows], lifted[rows] - solution.position_prices, 0)
            others[np.arange(rows.size), cols] = 0
            gaps = solution.employee_values[rows] - np.maximum(others.max(axis=1), 0)
        gaps = np.sort(gaps[gaps > 0].astype(float))
        if need == 0 or gaps.size < abs(need):
            return None
        per_t = float(unit) * (point.t.denominator * (1 if tie or not exact else 2))
        move = float(gaps[abs(need) - 1]) / per_t
        if need > 0:  # at least an eighth more: from below the guesses tend to fall short
            return float(point.t) + max(move, float(point.t) / 8, 1.0)
        return float(point.t) - move

    def between(low: _Point, high: _Point | None, t: Fraction) -> np.ndarray | None:
        # Warm start at t (None: the solver's own start). Optimal prices are linear in t
        # between breakpoints, so near both ends their prices interpolated.
        def per_denominator(point: _Point) -> np.ndarray:
            return point.solution.position_prices / float(point.t.denominator)

        if high is None:
            # Above the one solve: its prices, if t adds little to a stay against them; else
            # the solver's own start (an auction) does better.
            guessed = per_denominator(low)
            priced = guessed[guessed > 0]
            shift = float(t - low.t) * float(unit) * (1 if tie or not exact else 2)
            if not priced.size or shift > 0.05 * float(np.median(priced)):
                return None
        elif 2 * (high.t - low.t) > t:  # far from both ends: as above
            return None
        else:
            share = float((t - low.t) / (high.t - low.t))
            guessed = (1 - share) * per_denominator(low) + share * per_denominator(high)
        guessed = np.maximum(guessed * t.denominator, 0.0)
        if exact:  # any prices give the same optimum: keep them in the exact range
            return np.minimum(np.rint(guessed), _EXACT_LIMIT).astype(np.int64)
        return guessed

    if prices is not None:  # in the units of the weights (doubled on plain integers)
        prices = np.maximum(prices, 0) * (unit / quantum * (1 if tie or not exact else 2))
        prices = np.minimum(np.rint(prices), _EXACT_LIMIT).astype(np.int64) if exact else prices
    if placed is not None and prices is not None and exact:
        low = known(*placed, prices)
    else:
        low = solve(Fraction(0), prices=prices)
    if low.stays >= min_stays:  # the cap does not bind: the optimum without it
        found = float(values[low.rows, low.cols].sum())
        return MilpOutcome(low.rows, low.cols, False, found)
    high: _Point | None = None
    best = np.inf
    guesses = _GUESSES
    scale_low = scale_high = 1.0  # Illinois weights of the two ends' distances to the cap
    replaced = ""  # the end the last solve replaced
    breakpoint = None  # a solve at a price where low and high are both optimal
    while (high is None or high.stays > min_stays) and not clock.out():
        t, crossing = None, False
        if guesses and (high is None or replaced == "high"):
            # (from above too once bracketed; from below they fall short near the cap)
            guesses -= 1
            estimate = guess(low if high is None else high)
            if estimate is not None:
                t = Fraction(int(np.ceil(estimate)))
                if not low.t < t < (np.inf if high is None else high.t):
                    t = None
        if (
            t is None
            and high is not None
            and not (high.stays - low.stays <= _NARROW_STAYS or 50 * (high.t - low.t) <= high.t)
        ):
            # Far from the breakpoint, where the lines of the ends cross far from it too: the
            # price at which the stays would meet the cap if they grew linearly between the
            # ends (regula falsi with the Illinois rule: an end kept twice counts half).
            below = (min_stays - low.stays) * scale_low
            above = (high.stays - min_stays) * scale_high
            estimate = float(low.t) + float(high.t - low.t) * below / (below + above)
            t = Fraction(int(np.ceil(estimate)))
            if not low.t < t < high.t:
                t = None
        if t is None and high is None:
            # A price above any total the weights reach keeps every incumbent who can stay.
            reach = np.abs(weights).max(axis=1, where=useful, initial=0).sum() + 1
            t = Fraction(int(np.ceil(reach / unit)))
        elif t is None:
            assert high is not None
            # Where the lines total + t * stays of the two ends cross: a new line above both
            # there (more stays than low, fewer than high), or the breakpoint itself.
            gap, rise = low.total - high.total, high.stays - low.stays
            if exact:
                t = Fraction(int(gap), rise)
                crossing = representable(t)
                if not crossing:  # rounded up, bisection as a guard
                    t = Fraction(-(-int(gap) // rise))
            else:
                t = Fraction(int(np.ceil(gap / (quantum * rise))))
            if not crossing and not low.t < t < high.t:
                t = Fraction((low.t + high.t) // 2)
                if not low.t < t < high.t:
                    break
        trial = solve(t, prices=between(low, high, t))
        best = min(best, bound(trial))
        if crossing and trial.total + t * trial.stays == low.total + t * low.stays:
            breakpoint = trial
            break
        if trial.stays >= min_stays:
            high, scale_high = trial, 1.0
            scale_low = scale_low / 2 if replaced == "high" else scale_low
            replaced = "high"
        else:
            low, scale_low = trial, 1.0
            scale_high = scale_high / 2 if replaced == "low" else scale_high
            replaced = "low"
    if high is None:  # out of time before any placement met the cap
        reach = np.abs(weights).max(axis=1, where=useful, initial=0).sum() + 1
        high = solve(Fraction(int(np.ceil(reach / unit))))
        best = min(best, bound(high))
    rows, cols = high.rows, high.cols
    candidates = None
    if breakpoint is not None and high.stays > min_stays:
        walked = _walk_to_cap(low, high, stay, min_stays)
        if walked is not None:
            rows, cols = walked
        elif not clock.out():
            # a gap of the relaxation: the MILP, on the pairs the breakpoint's prices allow
            exact_found = _reduced_milp(
                breakpoint,
                lifted_weights(breakpoint.t),
                useful,
                capacity,
                stay,
                min_stays,
                values,
                steps,
                high,
                int(unit) if tie else 2,
                clock,
            )
            if exact_found is not None:
                rows, cols, candidates = exact_found
                found = float(values[rows, cols].sum())
                return MilpOutcome(rows, cols, False, found, candidates)
    found = float(values[rows, cols].sum())
    if int(np.count_nonzero(stay[rows, cols])) == min_stays:
        best = found
    return MilpOutcome(rows, cols, clock.out(), float(max(best, found)), candidates)


def _reduced_costs(
    point: _Point, lifted: np.ndarray, useful: np.ndarray, capacity: np.ndarray
) -> tuple[np.ndarray, int] | None:
    """Reduced costs of the pairs at the duals of a Lagrangian solve, and the dual objective.

    ``c_ij = u_i + v_j - lifted_ij`` (``u`` the employees' values, ``v`` the positions' prices
    of ``point``'s solve of ``lifted``) and ``D = sum(u) + sum(capacity * v)``: by weak duality
    every placement ``x`` has ``sum_x lifted <= D - sum_x c``. None when the duals are not
    feasible (a negative reduced cost), which an exact solve never gives.
    """
    u = point.solution.employee_values
    v = point.solution.position_prices
    dual = int(u.sum()) + int((capacity.astype(np.int64) * v).sum())
    reduced = u[:, None] + v[None, :] - lifted
    if (reduced[useful & (lifted > 0)] < 0).any():
        return None
    return reduced, dual


def _reduced_milp(
    point: _Point,
    lifted: np.ndarray,
    useful: np.ndarray,
    capacity: np.ndarray,
    stay: np.ndarray,
    min_stays: int,
    values: np.ndarray,
    steps: np.ndarray,
    known: _Point,
    scale: int,
    clock: Clock,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The capped optimum by MILP on the pairs its reduced costs allow (reduced-cost fixing).

    ``point`` solves the Lagrangian at the breakpoint ``t = p / r`` on ``lifted`` (``scale *
    (r * V + p * stay) + b * stay``, ``b >= 0``). A placement ``x`` with at least
    ``min_stays`` stays and a total of at least ``V`` (in integer quanta of the values,
    ``steps``) has ``sum_x lifted >= scale * (r * V + p * min_stays)``, so each of its pairs
    has a reduced cost ``c_ij <= slack(V) = D - scale * (r * V + p * min_stays)``; pairs above
    cannot be in it. Starting from the total of ``known`` (a capped placement), the MILP is
    solved on the pairs of reduced cost at most ``delta``, first a small share of the known
    slack (the optimum is usually close to the bound); its optimum ``V`` is the optimum of the
    whole problem as soon as ``slack(V) <= delta`` (a better placement would use only pairs
    that were there), else ``delta`` grows, up to ``slack(V)``, which then proves it.

    Returns the optimal placement and the pairs an optimal placement can use (for the stay
    tie-break that follows), or None when the duals give no reduction or time ran out.
    """
    priced = _reduced_costs(point, lifted, useful, capacity)
    if priced is None:
        return None
    reduced, dual = priced
    t = point.t

    def slack(total: int) -> int:
        return dual - scale * (t.denominator * total + t.numerator * min_stays)

    rows, cols, floor = known.rows, known.cols, int(known.total)
    # A small share of the known slack first: the optimum is usually close to the bound.
    delta = slack(floor) // _FIRST_SHARE
    while not clock.out():
        try:
            found = _milp_matching(
                values,
                useful & (reduced <= delta),
                capacity,
                stay,
                min_stays,
                clock,
                maximize="total",
            )
        except _OutOfTime:
            return None
        if found is None or found.time_limit_reached:  # None: excluded, known is in the set
            return None
        total = int(steps[found.rows, found.cols].sum())
        if total > floor:  # HiGHS works to tolerances: kept only if better in exact quanta
            rows, cols, floor = found.rows, found.cols, total
        if slack(floor) <= delta:
            return rows, cols, useful & (reduced <= slack(floor))
        delta = min(slack(floor), max(delta * _GROWTH, 1))  # grows: ends by slack(floor)
    return None


def _walk_to_cap(fewer: _Point, more: _Point, stay: np.ndarray, min_stays: int):
    """A placement with exactly ``min_stays`` stays between two optima of one Lagrangian.

    ``fewer`` and ``more`` are optimal for the same price ``t`` (fewer and more stays than the
    cap asks). Their difference is a flow: each employee who changes is an edge from the
    position they hold in ``fewer`` to the one in ``more`` (a node ``Z`` stands for "unplaced"
    and for the free seats that absorb a position's change of load). It splits into simple
    cycles (:func:`_simple_cycles`): applying any set of them to ``fewer`` keeps the seats
    within capacity, and each changes the Lagrangian objective by 0, since neither placement
    can be improved (a cycle applied to one, or taken back from the other, would otherwise
    improve it). A set of cycles whose stays add up to exactly what is missing (a subset sum
    over the cycles' changes, positive and negative) gives a placement optimal for the
    Lagrangian with the cap met with equality, hence optimal for the capped problem. The
    split is not unique: a few orders of the edges are tried. None when none lands on it.
    """
    n, m = stay.shape
    before = np.full(n, -1, dtype=np.intp)
    after = np.full(n, -1, dtype=np.intp)
    before[fewer.rows], after[more.rows] = fewer.cols, more.cols
    changed = np.flatnonzero(before != after)
    tail = np.where(before[changed] >= 0, before[changed], m)
    head = np.where(after[changed] >= 0, after[changed], m)
    gained = np.zeros(changed.size, dtype=np.int64)
    ok = after[changed] >= 0
    gained[ok] += stay[changed[ok], after[changed][ok]]
    ok = before[changed] >= 0
    gained[ok] -= stay[changed[ok], before[changed][ok]]
    # a position that gains (loses) load sends (takes) the difference to (from) Z
    load = np.bincount(head, minlength=m + 1)[:m] - np.bincount(tail, minlength=m + 1)[:m]
    extra_tail = np.concatenate(
        [np.repeat(np.arange(m), np.maximum(load, 0)), np.full(int(np.maximum(-load, 0).sum()), m)]
    )
    extra_head = np.concatenate(
        [np.full(int(np.maximum(load, 0).sum()), m), np.repeat(np.arange(m), np.maximum(-load, 0))]
    )
    tails = np.concatenate([tail, extra_tail]).astype(np.intp)
    heads = np.concatenate([head, extra_head]).astype(np.intp)
    need = min_stays - fewer.stays
    for attempt in range(_WALK_ORDERS):
        order = (
            np.arange(tails.size)
            if attempt == 0
            else (np.random.default_rng(attempt).permutation(tails.size))
        )
        cycles = [c for c in _simple_cycles(tails, heads, order, m + 1)]
        real = [c[c < changed.size] for c in cycles]
        deltas = [int(gained[c].sum()) for c in real]
        moving = [k for k, d in enumerate(deltas) if d]
        chosen = _subset_with_sum([deltas[k] for k in moving], need)
        if chosen is not None:
            place = before.copy()
            for k in chosen:
                members = changed[real[moving[k]]]
                place[members] = after[members]
            rows = np.flatnonzero(place >= 0).astype(np.intp)
            return rows, place[rows]
    return None


def _simple_cycles(
    tails: np.ndarray, heads: np.ndarray, order: np.ndarray, n_nodes: int
) -> list[np.ndarray]:
    """Split the edges of a balanced directed multigraph into simple cycles (edge indices).

    Every node has as many edges in as out. A walk from any node can only stop where it
    started; each time it meets a node already on it, the loop since then is cut off as a
    cycle. ``order`` is the order in which each node's edges are taken.

    Examples
    --------
    >>> cycles = _simple_cycles(np.array([0, 1, 1, 2]), np.array([1, 0, 2, 1]), np.arange(4), 3)
    >>> sorted(sorted(c.tolist()) for c in cycles)
    [[0, 1], [2, 3]]
    """
    outgoing: list[list[int]] = [[] for _ in range(n_nodes)]
    for e in order[::-1].tolist():  # popped from the end: taken in ``order``
        outgoing[int(tails[e])].append(e)
    cycles = []
    for start in range(n_nodes):
        while outgoing[start]:
            nodes, edges, where = [start], [], {start: 0}
            node = start
            while True:
                e = outgoing[node].pop()
                edges.append(e)
                node = int(heads[e])
                if node in where:
                    k = where[node]
                    cycles.append(np.asarray(edges[k:], dtype=np.intp))
                    for dropped in nodes[k + 1 :]:
                        del where[dropped]
                    del nodes[k + 1 :], edges[k:]
                    if not edges and not outgoing[node]:
                        break
                    continue
                where[node] = len(nodes)
                nodes.append(node)
    return cycles


def _subset_with_sum(items: list[int], target: int) -> list[int] | None:
    """Indices of a subset of ``items`` (integers of any sign) adding up to ``target``, or None.

    Dynamic programming over the reachable sums, ``O(len(items) * spread)``, where the spread
    is the sum of the absolute values (small here: the chains' changes of stays).

    Examples
    --------
    >>> _subset_with_sum([2, 2, -1, 3], 1), _subset_with_sum([2, 4], 3)
    ([0, 2], None)
    """
    low = sum(d for d in items if d < 0)
    high = sum(d for d in items if d > 0)
    if not low <= target <= high:
        return None
    width = high - low + 1
    reach = np.zeros((len(items) + 1, width), dtype=bool)
    reach[0, -low] = True
    for k, d in enumerate(items):
        reach[k + 1] = reach[k]
        if d > 0:
            reach[k + 1, d:] |= reach[k, :-d]
        elif d < 0:
            reach[k + 1, :d] |= reach[k, -d:]
    at = target - low
    if not reach[-1, at]:
        return None
    chosen = []
    for k in range(len(items), 0, -1):  # back through the table: an item taken or not
        if not reach[k - 1, at]:
            chosen.append(k - 1)
            at -= items[k - 1]
    return sorted(chosen)


@dataclass(frozen=True, eq=False)
class _Point:
    """One solve of the Lagrangian search: price, placement, stays and total (score units)."""

    t: Fraction
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
