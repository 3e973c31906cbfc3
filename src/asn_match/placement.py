"""Optimal placement of employees in seats, with rules, reasons and a reproducible tie-break.

Two layers, one module:

- the **array core** (:func:`solve_placement`, :func:`seat_prices`, :func:`runner_up`,
  :func:`option_rank`, :func:`placement_reasons`) works on plain arrays: ``values`` of shape
  (n_employees, n_positions), ``allowed`` pairs, ``seats`` per position;
- the **table API** (:func:`assign`, :class:`Placement`) reads a :class:`~asn_match.scoring.Scores`,
  turns the analyst's rules (minimum score or category, locked and forbidden pairs, incumbents) into
  arrays, calls the core and returns a result that explains itself.

The optimisation
----------------
Identical seats of a position are expanded into one column each
(:func:`~asn_match.kernels.lap.expand_seats`) and the problem is solved on the expanded matrix:

- ``objective="total"`` maximises the sum of the scores of the placed pairs over allowed pairs,
  with one :func:`scipy.optimize.linear_sum_assignment` call (through
  :func:`~asn_match.kernels.lap.solve_assignment`) on the gains: the score of an allowed pair worth
  more than 0, else 0; pairs of gain 0 are then dropped (the proof that this gives the best partial
  matching is in :func:`~asn_match.kernels.lap.max_weight_matching`). Nobody is forced into a
  seat: seats stay empty and employees unplaced when no allowed pair is left;
- ``"fill_first"``: as many filled seats as possible, then the greatest total;
- ``"bottleneck"``: as many filled seats as possible, then the weakest placed score as high as
  possible, then the greatest total (both through
  :func:`~asn_match.kernels.lap.lexicographic_matching`).

Incumbents and moves
--------------------
An incumbent is an employee whose current position is among the scored positions. They *stay*
when placed in that position (any of its seats) and *move* otherwise, whether placed elsewhere or
left unplaced (so that leaving someone out cannot dodge the cap). ``incumbent_bonus`` adds points
to the stay pair in the objective only; reported scores stay the composite.

A cap on the number of moves (``max_moves``) is one side constraint, which breaks the total
unimodularity the assignment solvers rely on. It is solved exactly: first without the cap (if that
optimum respects the cap, it is optimal); otherwise as a mixed-integer programme with
:func:`scipy.optimize.milp` (HiGHS, relative gap 0) on the transportation form of the same problem
(one binary variable per allowed employee-position pair, seats as capacities; identical seats make
it equivalent to the expanded problem). Lexicographic objectives run it in stages (count, then the
bottleneck level by binary search, then the total). A cap that no placement can meet raises
:class:`~asn_match.errors.InfeasibleError` naming the incumbents who cannot stay.

Fewest moves among equal totals
-------------------------------
Positions with identical job profiles give an employee identical scores, so many placements
reach the same optimum and the solver would pick one of them arbitrarily, moving incumbents for
no gain. With ``prefer_stay=True`` (the default) the objective is lexicographic: first the
objective above (``"total"``, ``"fill_first"`` or ``"bottleneck"``, with ``incumbent_bonus`` and
``max_moves`` as given), then as many incumbents as possible staying in their current position.
It is exact, not a small epsilon added for staying that could outweigh a real score difference:

- the values (bonus included) are quantised to integers ``V = rint(value / q)`` on a quantum
  ``q`` (scores closer than ``q`` count as tied);
- the solver gets integer weights ``W = V * (S + 1) + stay``, where ``stay`` is 1 on an
  incumbent's own position and ``S`` is the number of incumbents who could stay (own position
  allowed, a seat left after the locks). All stays together weigh at most ``S < S + 1``, less than
  one quantum of the objective, so every optimum of ``W`` is an optimum of ``V``, and the one
  with the most stays among them;
- ``q`` is the smallest power of ten from 1e-9 (the resolution used anyway, see "Determinism")
  to 1e-4 at which the largest total ``W`` can reach, ``(S + 1) * (R / q + k) + S`` (``k`` =
  min(free employees, free seats), ``R`` = the sum of the ``k`` largest per-employee maxima of
  ``|value|`` over allowed pairs), stays below 2**52, so that scipy's float64 arithmetic on these
  integers is exact. For composite scores (at most 100 points plus the bonus) that is q = 1e-9
  while ``k * S`` is below about 45,000 (the embedded Tegal example), 1e-7 up to 4.5e6
  (about 2,000 incumbents and seats), 1e-6 up to 4.5e7 (about 6,700) and 1e-4 up to 4.5e9
  (about 67,000, far past what one dense solve can handle). Beyond that a ``ValueError`` asks
  for ``prefer_stay=False`` or a split by agency. The total found is within ``k * q`` of the
  float optimum; :attr:`PlacementSolution.score_quantum` reports ``q``;
- ``"fill_first"`` gives ``W`` to :func:`~asn_match.kernels.lap.lexicographic_matching`.
  ``"bottleneck"`` first finds the highest level of ``V`` that still fills the most seats
  (binary search with Hopcroft-Karp), then solves ``"fill_first"`` on ``W`` over the pairs at or
  above it (a bottleneck on ``W`` itself would rank "the weakest pairs are stays" above the
  total);
- under a binding ``max_moves`` (MILP), a second MILP maximises the stays with the first stage's
  count, bottleneck level and total held; its answer is kept only if its quantised total is not
  lower;
- shadow prices are computed from the quantised values in score units (bonus included), never
  from ``W``.

With ``prefer_stay=False``, or when no incumbent could stay, the problem is solved as floats
rounded to 1e-9, exactly as without the option (:attr:`PlacementSolution.score_quantum` is None).

Reasons and prices
------------------
Every employee and every seat gets a reason code (:data:`EMPLOYEE_REASONS`,
:data:`SEAT_REASONS`; :func:`placement_reasons`) and :class:`Placement` words it with the ids
involved, e.g. "outscored by 198609262015051001 at POS-00012 (91.20 vs 88.75)". Under
``objective="total"`` each seat also has a shadow price (:func:`seat_prices`): what the optimal
objective would lose without it.

Determinism
-----------
Rows and columns are put in the canonical order of :func:`~asn_match.tiebreak.canonical_order`
(keyed BLAKE2b of the ids) before solving, and scores are rounded to 1e-9, or to the quantum of
the stay tie-break (so that last-bit differences of floating point cannot break a tie
differently), so the placement depends only on the data and the ids, never on the row order of
the input nor on the digits of a NIP.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, vstack

from .errors import InfeasibleError, InputError, Problem
from .kernels.lap import (
    OBJECTIVES,
    Objective,
    assignment_prices,
    expand_seats,
    lexicographic_matching,
    max_cardinality_matching,
    solve_assignment,
)
from .tiebreak import TIEBREAK_KEY, canonical_order

__all__ = [
    "EMPLOYEE_REASONS",
    "SEAT_REASONS",
    "Objective",
    "Placement",
    "PlacementSolution",
    "assign",
    "option_rank",
    "placement_reasons",
    "runner_up",
    "seat_prices",
    "solve_placement",
]

_OBJECTIVES: tuple[str, ...] = OBJECTIVES

#: Scores are compared at this resolution (see the module docstring, "Determinism"), or more
#: coarsely by the stay tie-break ("Fewest moves among equal totals").
SCORE_DECIMALS = 9
#: Coarsest quantum of the stay tie-break (see the module docstring, "Fewest moves").
COARSEST_QUANTUM_DECIMALS = 4
#: Integers below this are exact in float64 sums with a factor 2 to spare.
_EXACT_INTEGER_LIMIT = 2.0**52

#: Reason codes of employees, index = code number in :attr:`PlacementReasons.employee_code`.
EMPLOYEE_REASONS: tuple[str, ...] = (
    "placed",  # 0: placed by the optimisation
    "locked",  # 1: placed because the pair was locked
    "no eligible position",  # 2: eligible nowhere
    "all eligible positions forbidden",  # 3
    "below minimum",  # 4: every eligible, non-forbidden pair is under min_score / min_category
    "outscored",  # 5: the seats of the best option went to someone with at least the same score
    "seat locked",  # 6: the best option's seats are held by locked pairs
    "incumbent kept",  # 7: an incumbent kept the seat (bonus or move limit) over a higher score
    "taken by higher total",  # 8: the seats went to others because the total is higher that way
    "no gain",  # 9: an allowed seat is free, but the pair adds nothing to the objective
)
#: Reason codes of seats, index = code number in :attr:`PlacementReasons.seat_code`.
SEAT_REASONS: tuple[str, ...] = (
    "filled",  # 0
    "locked",  # 1
    "no eligible candidate",  # 2
    "all eligible candidates forbidden",  # 3
    "all candidates below minimum",  # 4
    "candidates placed elsewhere",  # 5
    "no gain",  # 6: an allowed candidate is free, but the pair adds nothing to the objective
)

_PLACED, _LOCKED = 0, 1


# ----------------------------------------------------------------------------- validation helpers


def _bad_param(name: str, caller: str, constraint: str, value) -> ValueError:
    return ValueError(
        f"The {name!r} parameter of {caller} must be {constraint}. Got {value!r} instead."
    )


def _check_objective(objective, caller: str) -> str:
    if not isinstance(objective, str) or objective not in _OBJECTIVES:
        raise _bad_param(
            "objective", caller, f"a str among {{{', '.join(map(repr, _OBJECTIVES))}}}", objective
        )
    return objective


def _check_bonus(bonus, caller: str) -> float:
    try:
        value = float(bonus)
    except (TypeError, ValueError):
        raise _bad_param("incumbent_bonus", caller, "a finite number >= 0", bonus) from None
    if isinstance(bonus, bool) or not np.isfinite(value) or value < 0:
        raise _bad_param("incumbent_bonus", caller, "a finite number >= 0", bonus)
    return value


def _check_flag(value, name: str, caller: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise _bad_param(name, caller, "a bool (True or False)", value)
    return bool(value)


def _check_max_moves(max_moves, caller: str) -> int | None:
    if max_moves is None:
        return None
    if isinstance(max_moves, (bool, np.bool_)) or not isinstance(max_moves, (int, np.integer)):
        raise _bad_param("max_moves", caller, "None or an int >= 0", max_moves)
    if max_moves < 0:
        raise _bad_param("max_moves", caller, "None or an int >= 0", max_moves)
    return int(max_moves)


def _check_core_inputs(values, allowed, seats, caller: str):
    values = np.asarray(values)
    if values.ndim != 2 or values.dtype.kind not in "iuf":
        raise _bad_param(
            "values",
            caller,
            "a real matrix of shape (n_employees, n_positions)",
            f"an array of dtype {values.dtype} and shape {values.shape}",
        )
    n, m = values.shape
    allowed = np.asarray(allowed)
    if allowed.dtype != np.bool_ or allowed.shape != (n, m):
        raise _bad_param(
            "allowed",
            caller,
            f"a boolean array of shape {(n, m)}",
            f"an array of dtype {allowed.dtype} and shape {allowed.shape}",
        )
    seats = np.asarray(seats)
    if seats.shape != (m,) or seats.dtype.kind not in "iu" or (seats < 0).any():
        raise _bad_param(
            "seats",
            caller,
            f"an array of {m} non-negative integers (one per position)",
            seats.tolist() if seats.size <= 10 else f"an array of shape {seats.shape}",
        )
    values = values.astype(np.float64, copy=False)
    bad = allowed & ~np.isfinite(values)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise ValueError(
            f"The 'values' parameter of {caller} must be finite on allowed pairs. Got "
            f"{values[i, j]!r} at employee {i}, position {j}. Mark the pair as not allowed "
            "instead of giving it a non-finite score."
        )
    return values, allowed, seats.astype(np.intp)


def _check_index_vector(array, name: str, n: int, upper: int, caller: str) -> np.ndarray:
    if array is None:
        return np.full(n, -1, dtype=np.intp)
    array = np.asarray(array)
    if (
        array.shape != (n,)
        or array.dtype.kind not in "iu"
        or (array.size and (array.min() < -1 or array.max() >= upper))
    ):
        raise _bad_param(
            name,
            caller,
            f"None or an int array of shape ({n},) with values in [-1, {upper})",
            f"an array of dtype {array.dtype} and shape {array.shape}",
        )
    return array.astype(np.intp)


# ----------------------------------------------------------------------------- array core


@dataclass(frozen=True, eq=False)
class PlacementSolution:
    """The placement found by :func:`solve_placement`, as arrays.

    Attributes
    ----------
    employee_position : ndarray of shape (n_employees,), intp
        Position of each employee; -1 when unplaced.
    employee_seat : ndarray of shape (n_employees,), intp
        0-based seat number within that position; -1 when unplaced.
    employee_locked : ndarray of shape (n_employees,), bool
        The employee was placed by a locked pair.
    seat_position, seat_number : ndarray of shape (n_seats,), intp
        Position and 0-based seat number of every seat (positions in input order; a position's
        filled seats come first, numbered in the canonical order of their holders).
    seat_employee : ndarray of shape (n_seats,), intp
        The holder of each seat; -1 when the seat is unfilled.
    objective_value : float
        The optimised total: the sum of ``values`` over placed pairs plus ``incumbent_bonus``
        for every incumbent who stays.
    method : {"linear_sum_assignment", "lexicographic", "milp"}
        How it was solved. Shadow prices exist for ``"linear_sum_assignment"`` only.
    seat_price : ndarray of shape (n_seats,), float64, or None
        Shadow price of each seat (see :func:`seat_prices`); None when not computed.
    score_quantum : float or None
        The quantum ``q`` on which the stay tie-break (``prefer_stay``) compared the values:
        scores closer than ``q`` counted as tied. None when the tie-break was off or no
        incumbent could stay; values were then compared at 1e-9 as floats.
    """

    employee_position: np.ndarray
    employee_seat: np.ndarray
    employee_locked: np.ndarray
    seat_position: np.ndarray
    seat_number: np.ndarray
    seat_employee: np.ndarray
    objective_value: float
    method: str
    seat_price: np.ndarray | None = None
    score_quantum: float | None = None


@dataclass(frozen=True, eq=False)
class _Problem:
    """The problem the solver sees: free employees x positions, both in canonical order."""

    free_rows: np.ndarray  # (n_free,) employee index of each canonical row
    position_order: np.ndarray  # (m,) position index of each canonical column
    capacity: np.ndarray  # (m,) seats left after the locks, canonical order
    weights: np.ndarray  # (n_free, m) rounded (or quantised) values plus the stay bonus
    allowed: np.ndarray  # (n_free, m) bool
    stay: np.ndarray  # (n_free, m) bool: the pair keeps an incumbent in place
    quantum: float | None = None  # q of the stay tie-break; None: rounded to 1e-9, floats
    tie_weights: np.ndarray | None = None  # (n_free, m) V * (S + 1) + stay, or None

    def gain(self) -> np.ndarray:
        """Weights where a pair is allowed and worth placing (> 0), else 0: shape (n_free, m)."""
        useful = self.allowed & (self.weights > 0)
        return np.where(useful, self.weights, 0.0)

    def tie_gain(self) -> np.ndarray:
        """Integer weights W where a pair is allowed and W > 0, else 0: shape (n_free, m)."""
        useful = self.allowed & (self.tie_weights > 0)
        return np.where(useful, self.tie_weights, 0.0)

    def expand(self, matrix: np.ndarray) -> np.ndarray:
        """One column per seat: shape (n_free, n_seats)."""
        if (self.capacity == 1).all():
            return matrix
        return np.repeat(matrix, self.capacity, axis=1)


def _resolve_locks(locked, allowed, seats, caller):
    """Validate locked (employee, position) index pairs; return them as two arrays."""
    n, m = allowed.shape
    if locked is None:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    locked = np.asarray(locked)
    if locked.size == 0:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    if locked.ndim != 2 or locked.shape[1] != 2 or locked.dtype.kind not in "iu":
        raise _bad_param(
            "locked",
            caller,
            "None or an int array of shape (n_locked, 2) of (employee, position) indices",
            f"an array of shape {locked.shape}",
        )
    rows, cols = locked[:, 0].astype(np.intp), locked[:, 1].astype(np.intp)
    if rows.min() < 0 or rows.max() >= n or cols.min() < 0 or cols.max() >= m:
        raise _bad_param(
            "locked",
            caller,
            f"pairs with employee in [0, {n}) and position in [0, {m})",
            locked.tolist(),
        )
    uniq, counts = np.unique(rows, return_counts=True)
    if (counts > 1).any():
        twice = uniq[counts > 1]
        raise InfeasibleError(
            f"Employees {twice.tolist()} are locked to more than one position; an employee "
            "holds one seat. Keep one lock per employee.",
            rows=twice,
        )
    not_allowed = ~allowed[rows, cols]
    if not_allowed.any():
        raise InfeasibleError(
            f"The locked pairs {locked[not_allowed].tolist()} are not allowed (ineligible, "
            "forbidden or below the minimum). Remove the locks or relax the rule.",
            rows=rows[not_allowed],
            cols=cols[not_allowed],
        )
    over = np.bincount(cols, minlength=m) > seats
    if over.any():
        raise InfeasibleError(
            f"Positions {np.flatnonzero(over).tolist()} have more locked employees than seats. "
            "Remove locks or add seats.",
            cols=np.flatnonzero(over),
        )
    return rows, cols


def _orders(n, m, employee_ids, position_ids, key, caller):
    for ids, size, name in ((employee_ids, n, "employee_ids"), (position_ids, m, "position_ids")):
        if ids is not None and len(ids) != size:
            raise _bad_param(name, caller, f"None or an array of {size} ids", f"{len(ids)} ids")
    employee_order = (
        np.arange(n, dtype=np.intp)
        if employee_ids is None
        else canonical_order(employee_ids, key=key)
    )
    position_order = (
        np.arange(m, dtype=np.intp)
        if position_ids is None
        else canonical_order(position_ids, key=key)
    )
    return employee_order, position_order


def _build_problem(
    values,
    allowed,
    seats,
    employee_order,
    position_order,
    is_locked,
    lock_cols,
    incumbent,
    bonus,
    *,
    prefer_stay: bool = False,
    quantum: float | None = None,
    caller: str = "solve_placement",
) -> _Problem:
    """The canonical problem; with ``prefer_stay``, also the integer weights of the tie-break.

    ``quantum`` re-creates the quantised values of an earlier solve (for its prices) without the
    tie-break weights; with ``prefer_stay`` it is chosen here (:func:`_stay_quantum`).
    """
    m = seats.size
    capacity = (seats - np.bincount(lock_cols, minlength=m))[position_order]
    free_rows = employee_order[~is_locked[employee_order]]
    index = np.ix_(free_rows, position_order)
    weights = values[index]
    allowed_free = allowed[index]
    # Rounding makes last-bit differences (e.g. from a different BLAS blocking) exact ties,
    # which the canonical order then breaks the same way every time.
    np.round(weights, SCORE_DECIMALS, out=weights)
    stay = np.zeros(weights.shape, dtype=bool)
    held = incumbent[free_rows]
    has = np.flatnonzero(held >= 0)
    stayers, own = has[:0], has[:0]
    if has.size:
        column_of = np.empty(m, dtype=np.intp)
        column_of[position_order] = np.arange(m)
        own = column_of[held[has]]
        stay[has, own] = True
        if bonus:
            weights[has, own] += bonus
        if prefer_stay:
            can_stay = allowed_free[has, own] & (capacity[own] > 0)
            stayers, own = has[can_stay], own[can_stay]
            if stayers.size:
                quantum = _stay_quantum(weights, allowed_free, capacity, stayers.size, caller)
    tie_weights = None
    if quantum is not None:
        scale = 10.0 ** round(-np.log10(quantum))
        # Pairs that are not allowed may hold anything (NaN, huge numbers): never read.
        with np.errstate(over="ignore", invalid="ignore"):
            np.multiply(weights, scale, out=weights)
            np.rint(weights, out=weights)
            if prefer_stay and stayers.size:
                # W = V * (S + 1) + stay: all stays together weigh less than one quantum of V.
                tie_weights = weights * float(stayers.size + 1)
                tie_weights[stayers, own] += 1.0
            np.divide(weights, scale, out=weights)
    return _Problem(
        free_rows,
        position_order,
        capacity,
        weights,
        allowed_free,
        stay,
        quantum=quantum,
        tie_weights=tie_weights,
    )


def _stay_quantum(weights, allowed, capacity, n_stayers: int, caller: str) -> float:
    """The finest power-of-ten quantum q (1e-9 to 1e-4) at which every total W stays exact.

    weights, allowed : (n_free, m); capacity : (m,). A matching has at most k = min(n_free,
    free seats) pairs, one per employee, so its total |W| is at most (S + 1) * (R / q + k) + S,
    R being the sum of the k largest per-employee maxima of |weight| over allowed pairs (the
    + k absorbs the rounding of V).
    """
    n = weights.shape[0]
    k = min(n, int(capacity.sum()))
    high = weights.max(axis=1, where=allowed, initial=0.0)
    low = weights.min(axis=1, where=allowed, initial=0.0)
    largest = np.maximum(high, -low)
    if k < n:
        largest = np.partition(largest, n - k)[n - k :]
    reach = float(largest.sum())
    for decimals in range(SCORE_DECIMALS, COARSEST_QUANTUM_DECIMALS - 1, -1):
        if (n_stayers + 1) * (reach * 10.0**decimals + k) + n_stayers < _EXACT_INTEGER_LIMIT:
            return 10.0**-decimals
    raise ValueError(
        f"The 'prefer_stay' parameter of {caller} must be False for this problem: "
        f"{n_stayers} incumbents could stay and up to {k} pairs can be placed, with values up "
        f"to {float(largest.max()):.6g}, so even at the coarsest quantum "
        f"(1e-{COARSEST_QUANTUM_DECIMALS}) the exact tie-break weights would pass 2**52. "
        "Pass prefer_stay=False, rescale the values, or split the problem (e.g. by agency)."
    )


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
    arange = np.arange(k)
    blocks = [
        csr_array((ones, (rows, arange)), shape=(n, k)),
        csr_array((ones, (cols, arange)), shape=(m, k)),
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
    *,
    maximize: Literal["total", "count"],
    min_count: int = 0,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Best matching in transportation form with at least ``min_stays`` stay pairs (HiGHS MILP).

    weights, allowed, stay : (n, m); capacity : (m,). Returns (rows, cols) of the placed pairs,
    or None when no solution meets the constraints.
    """
    form = _transport_form(allowed, capacity, stay, min_stays, min_count)
    if form is None:
        return (np.empty(0, np.intp), np.empty(0, np.intp)) if min_stays <= 0 >= min_count else None
    rows, cols, constraint = form
    gain = weights[rows, cols] if maximize == "total" else np.ones(rows.size)
    result = milp(
        -gain,
        constraints=constraint,
        integrality=np.ones(rows.size),
        bounds=Bounds(0.0, 1.0),
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if result.status == 2:  # infeasible
        return None
    if result.status != 0 or result.x is None:
        raise RuntimeError(
            f"The move-limited placement could not be solved to optimality ({result.message}). "
            "Raise max_moves or split the problem by agency."
        )
    chosen = result.x > 0.5
    return rows[chosen].astype(np.intp), cols[chosen].astype(np.intp)


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


def _milp_objective(weights, allowed, capacity, stay, min_stays, objective):
    """Solve the move-limited problem for any objective by MILP stages; None if infeasible."""
    if objective == "total":
        return _milp_matching(
            weights, allowed & (stay | (weights > 0)), capacity, stay, min_stays, maximize="total"
        )
    best = _milp_matching(weights, allowed, capacity, stay, min_stays, maximize="count")
    if best is None:
        return None
    count = best[0].size
    if objective == "bottleneck" and count:
        levels = np.unique(weights[allowed])
        low, high = 0, levels.size - 1
        while low < high:  # highest level at which a matching of full count still exists
            middle = (low + high + 1) // 2
            strong = allowed & (weights >= levels[middle])
            trial = _milp_matching(weights, strong, capacity, stay, min_stays, maximize="count")
            if trial is not None and trial[0].size == count:
                low = middle
            else:
                high = middle - 1
        allowed = allowed & (weights >= levels[low])
    return _milp_matching(
        weights, allowed, capacity, stay, min_stays, maximize="total", min_count=count
    )


def solve_placement(
    values,
    allowed,
    seats,
    *,
    employee_ids=None,
    position_ids=None,
    locked=None,
    incumbent=None,
    incumbent_bonus: float = 0.0,
    max_moves: int | None = None,
    prefer_stay: bool = True,
    objective: Objective = "total",
    prices: bool = True,
    tie_break_key: bytes = TIEBREAK_KEY,
) -> PlacementSolution:
    """Place employees in seats to maximise the objective over allowed pairs (array core).

    Among placements of equal objective, the one that keeps the most incumbents in place is
    chosen (``prefer_stay``), exactly; remaining ties go by the canonical order of the ids.

    Parameters
    ----------
    values : array-like of shape (n_employees, n_positions)
        The score of every pair (e.g. the composite score); only allowed pairs are read and they
        must be finite.
    allowed : array-like of bool of shape (n_employees, n_positions)
        Pairs that may be placed (eligible, not forbidden, at or above the minimum).
    seats : array-like of int of shape (n_positions,)
        Identical seats per position (0 closes a position).
    employee_ids, position_ids : array-like of shape (n_employees,) / (n_positions,), optional
        Ids that fix the canonical order in which ties are broken
        (:func:`~asn_match.tiebreak.canonical_order`). With them the placement does not depend on
        the order of rows or columns; without them the input order is used.
    locked : array-like of int of shape (n_locked, 2), optional
        (employee, position) index pairs that must be placed; each must be allowed, an employee
        may be locked once, and a position may not get more locks than seats.
    incumbent : array-like of int of shape (n_employees,), optional
        The position each employee holds now, or -1. Needed by ``incumbent_bonus`` and
        ``max_moves``.
    incumbent_bonus : float, default=0.0
        Added to an incumbent's value for their own position (a preference for staying).
    max_moves : int or None, default=None
        Most incumbents who may leave their position (moved elsewhere or left unplaced).
    prefer_stay : bool, default=True
        Second objective, below ``objective``, ``incumbent_bonus`` and ``max_moves``: among
        the placements that are optimal for those, keep as many incumbents as possible in
        their position. Exact on values quantised to ``q`` (1e-9 for small problems, at most
        1e-4; see the module docstring, "Fewest moves among equal totals", and
        :attr:`PlacementSolution.score_quantum`). False solves as without the option.
    objective : {"total", "fill_first", "bottleneck"}, default="total"
        See the module docstring.
    prices : bool, default=True
        Compute the seats' shadow prices (:func:`seat_prices`).
    tie_break_key : bytes, default=TIEBREAK_KEY
        Key of the tie-break hash.

    Returns
    -------
    PlacementSolution

    Raises
    ------
    InfeasibleError
        If the locks contradict ``allowed`` or the seats, or ``max_moves`` cannot be met (it
        names the incumbents who cannot stay).
    ValueError
        An invalid option, or ``prefer_stay=True`` on a problem too large for the exact
        tie-break even at the coarsest quantum (1e-4).

    Examples
    --------
    >>> import numpy as np
    >>> values = np.array([[90.0, 70.0], [85.0, 60.0], [50.0, 80.0]])
    >>> allowed = np.ones((3, 2), dtype=bool)
    >>> sol = solve_placement(values, allowed, [1, 1], employee_ids=["a", "b", "c"])
    >>> sol.employee_position.tolist(), sol.objective_value
    ([0, -1, 1], 170.0)

    Two identical positions and two incumbents who could swap: the total is the same either
    way, and both stay.

    >>> same = np.array([[80.0, 80.0], [75.0, 75.0]])
    >>> kept = solve_placement(same, np.ones((2, 2), bool), [1, 1], incumbent=[1, 0])
    >>> kept.employee_position.tolist(), kept.score_quantum
    ([1, 0], 1e-09)
    """
    caller = "solve_placement"
    values, allowed, seats = _check_core_inputs(values, allowed, seats, caller)
    n, m = values.shape
    employee_order, position_order = _orders(
        n, m, employee_ids, position_ids, tie_break_key, caller
    )
    return _solve_ordered(
        values,
        allowed,
        seats,
        employee_order,
        position_order,
        locked=locked,
        incumbent=incumbent,
        incumbent_bonus=incumbent_bonus,
        max_moves=max_moves,
        prefer_stay=prefer_stay,
        objective=objective,
        prices=prices,
        caller=caller,
    )


def _solve_ordered(
    values,
    allowed,
    seats,
    employee_order,
    position_order,
    *,
    locked,
    incumbent,
    incumbent_bonus,
    max_moves,
    prefer_stay,
    objective,
    prices,
    caller,
) -> PlacementSolution:
    """:func:`solve_placement` on checked arrays with the canonical orders already computed."""
    objective = _check_objective(objective, caller)
    bonus = _check_bonus(incumbent_bonus, caller)
    max_moves = _check_max_moves(max_moves, caller)
    prefer_stay = _check_flag(prefer_stay, "prefer_stay", caller)
    n, m = values.shape
    incumbent = _check_index_vector(incumbent, "incumbent", n, m, caller)
    lock_rows, lock_cols = _resolve_locks(locked, allowed, seats, caller)
    is_locked = np.zeros(n, dtype=bool)
    is_locked[lock_rows] = True

    min_stays = 0
    if max_moves is not None:
        locked_stays = int(np.count_nonzero(incumbent[lock_rows] == lock_cols))
        min_stays = int(np.count_nonzero(incumbent >= 0)) - max_moves - locked_stays
        possible, cannot = _stays_possible(
            employee_order[~is_locked[employee_order]],
            incumbent,
            allowed,
            seats - np.bincount(lock_cols, minlength=m),
        )
        if possible < min_stays:
            raise InfeasibleError(
                f"max_moves={max_moves} cannot be met: {min_stays} incumbents would have to "
                f"stay, but at most {possible} can (employees {cannot[:20].tolist()} are not "
                "allowed in their own position, or it has no seat left). Raise max_moves.",
                rows=cannot,
            )

    problem = _build_problem(
        values,
        allowed,
        seats,
        employee_order,
        position_order,
        is_locked,
        lock_cols,
        incumbent,
        bonus,
        prefer_stay=prefer_stay,
        caller=caller,
    )
    rows_c, cols_c, method = _solve_problem(problem, min_stays, objective)

    employee_position = np.full(n, -1, dtype=np.intp)
    employee_position[lock_rows] = lock_cols
    employee_position[problem.free_rows[rows_c]] = problem.position_order[cols_c]
    employee_rank = np.empty(n, dtype=np.intp)
    employee_rank[employee_order] = np.arange(n)
    seat_position, seat_number, seat_employee, employee_seat = _number_seats(
        employee_position, employee_rank, seats
    )
    placed = np.flatnonzero(employee_position >= 0)
    stays = int(np.count_nonzero(incumbent[placed] == employee_position[placed]))
    solution = PlacementSolution(
        employee_position=employee_position,
        employee_seat=employee_seat,
        employee_locked=is_locked,
        seat_position=seat_position,
        seat_number=seat_number,
        seat_employee=seat_employee,
        objective_value=float(values[placed, employee_position[placed]].sum() + bonus * stays),
        method=method,
        score_quantum=problem.quantum,
    )
    for array in (
        employee_position,
        employee_seat,
        is_locked,
        seat_position,
        seat_number,
        seat_employee,
    ):
        array.setflags(write=False)
    if not prices:
        return solution
    price = _seat_prices(problem, solution)
    price.setflags(write=False)
    return PlacementSolution(**{**solution.__dict__, "seat_price": price})


def _stays_possible(free_rows, incumbent, allowed, capacity):
    """Most incumbents among ``free_rows`` who can stay, and those who cannot stay at all."""
    held = incumbent[free_rows]
    has = held >= 0
    rows, held = free_rows[has], held[has]
    can_stay = allowed[rows, held] & (capacity[held] > 0)
    per_position = np.bincount(held[can_stay], minlength=capacity.size)
    return int(np.minimum(per_position, capacity).sum()), np.sort(rows[~can_stay])


def _bottleneck_level(weights: np.ndarray, allowed: np.ndarray) -> float | None:
    """Highest value t such that the pairs >= t still match as many rows as ``allowed`` does.

    weights, allowed : (n, n_seats), one column per seat. None when nothing can be matched.
    The same search as :func:`~asn_match.kernels.lap.lexicographic_matching` runs for
    ``"bottleneck"``, on the values alone, so that the stay tie-break cannot change the level.
    """
    cardinality = max_cardinality_matching(allowed)[0].size
    if cardinality == 0:
        return None
    levels = np.unique(weights[allowed])
    low, high = 0, levels.size - 1
    while low < high:
        middle = (low + high + 1) // 2
        strong = allowed & (weights >= levels[middle])
        if max_cardinality_matching(strong)[0].size == cardinality:
            low = middle
        else:
            high = middle - 1
    return float(levels[low])


def _solve_problem(problem: _Problem, min_stays: int, objective: str):
    """Solve the canonical problem; (rows, cols) in canonical indices and the method used."""
    n, m = problem.weights.shape
    method = "linear_sum_assignment" if objective == "total" else "lexicographic"
    if n == 0 or problem.capacity.sum() == 0:
        return np.empty(0, np.intp), np.empty(0, np.intp), method
    seat_column = expand_seats(problem.capacity)
    tie = problem.tie_weights is not None
    if objective == "total":
        # The best partial matching is a full rectangular assignment on the gains (allowed
        # pairs worth > 0, others 0) with the zero-gain pairs dropped; the proof is in
        # max_weight_matching. Building the negated cost here saves two full-size copies.
        gain = problem.tie_gain() if tie else problem.gain()
        cost = problem.expand(np.negative(gain, out=gain))
        rows, seats_c = solve_assignment(cost)
        useful = cost[rows, seats_c] < 0
        rows, seats_c = rows[useful], seats_c[useful]
    elif not tie:
        expanded = problem.expand(np.where(problem.allowed, problem.weights, -np.inf))
        rows, seats_c = lexicographic_matching(expanded, objective=objective)
    else:
        allowed = problem.allowed
        if objective == "bottleneck":
            level = _bottleneck_level(problem.expand(problem.weights), problem.expand(allowed))
            allowed = allowed & (problem.weights >= (np.inf if level is None else level))
        expanded = problem.expand(np.where(allowed, problem.tie_weights, -np.inf))
        rows, seats_c = lexicographic_matching(expanded, objective="fill_first")
    cols = seat_column[seats_c]
    if min_stays > 0 and int(np.count_nonzero(problem.stay[rows, cols])) < min_stays:
        found = _milp_objective(
            problem.weights, problem.allowed, problem.capacity, problem.stay, min_stays, objective
        )
        if found is None:  # excluded by _stays_possible
            raise InfeasibleError(
                f"No placement keeps {min_stays} incumbents in place. Raise max_moves."
            )
        if tie:
            found = _milp_most_stays(problem, found, objective)
        rows, cols = found
        method = "milp"
    return rows, cols, method


def _milp_most_stays(problem: _Problem, found, objective: str):
    """Most stays with the first MILP stage's objective held (see the module docstring).

    Asks for one more stay at a time (max total with the count and bottleneck level held),
    which HiGHS solves far faster than maximising the stays under a total constraint; usually
    the LP relaxation alone already proves that one more stay loses total. Each MILP answer is
    kept only if its quantised total is not lower, as HiGHS works to tolerances.
    """
    weights, allowed, stay = problem.weights, problem.allowed, problem.stay
    rows, cols = found
    count = rows.size
    if objective == "total":
        allowed = allowed & (stay | (weights > 0))
    elif objective == "bottleneck" and count:
        allowed = allowed & (weights >= weights[rows, cols].min())
    scale = 10.0 ** round(-np.log10(problem.quantum))

    def quantised_total(r, c) -> int:
        return int(np.rint(weights[r, c] * scale).astype(np.int64).sum())

    target = quantised_total(rows, cols)
    # Margin for the LP solver's tolerances: a bound this far below proves that no placement
    # with one more stay keeps the total.
    margin = 1e-7 * max(1.0, abs(target / scale))
    best = found
    while True:
        stays = int(np.count_nonzero(stay[best]))
        min_count = 0 if objective == "total" else count
        bound = _lp_total_bound(weights, allowed, problem.capacity, stay, stays + 1, min_count)
        if bound < target / scale - margin:
            return best
        trial = _milp_matching(
            weights,
            allowed,
            problem.capacity,
            stay,
            stays + 1,
            maximize="total",
            min_count=min_count,
        )
        if trial is None or trial[0].size < count or quantised_total(*trial) < target:
            return best
        best = trial


def _seat_prices(problem: _Problem, solution: PlacementSolution) -> np.ndarray:
    """Shadow price of every seat of ``solution`` (see :func:`seat_prices`)."""
    price = np.full(solution.seat_position.size, np.nan)
    if solution.method != "linear_sum_assignment" or problem.capacity.sum() == 0:
        return price
    n, m = problem.weights.shape
    column_of = np.empty(m, dtype=np.intp)
    column_of[problem.position_order] = np.arange(m)
    row_of = np.full(solution.employee_position.size, -1, dtype=np.intp)
    row_of[problem.free_rows] = np.arange(problem.free_rows.size)
    # The solver's matching, re-expressed on its seat columns: identical seats are
    # interchangeable, so the k-th free holder of a position takes its k-th solver seat.
    holders = np.flatnonzero((row_of >= 0) & (solution.employee_position >= 0))
    cols = column_of[solution.employee_position[holders]]
    order = np.argsort(cols, kind="stable")
    holders, cols = holders[order], cols[order]
    group_start = np.flatnonzero(np.r_[True, cols[1:] != cols[:-1]]) if cols.size else cols
    within = np.arange(cols.size) - np.repeat(group_start, np.diff(np.r_[group_start, cols.size]))
    first_seat = np.cumsum(problem.capacity) - problem.capacity
    _, v = assignment_prices(
        problem.expand(problem.gain()), row_of[holders], first_seat[cols] + within
    )
    holder_price = np.full(solution.employee_position.size, np.nan)
    holder_price[holders] = v[first_seat[cols] + within]
    filled = solution.seat_employee >= 0
    price[filled] = holder_price[solution.seat_employee[filled]]
    price[~filled] = 0.0  # an empty seat is worth nothing at the optimum
    return price


def seat_prices(
    values,
    allowed,
    seats,
    solution: PlacementSolution,
    *,
    employee_ids=None,
    position_ids=None,
    incumbent=None,
    incumbent_bonus: float = 0.0,
    tie_break_key: bytes = TIEBREAK_KEY,
) -> np.ndarray:
    """Shadow price of every seat of an optimal placement (objective ``"total"``).

    The price of a seat is the drop in the optimal objective if that seat were removed (the
    largest dual price, Shapley and Shubik's assignment game; see
    :func:`~asn_match.kernels.lap.assignment_prices`), computed on the problem the solver saw:
    locked employees and their seats removed, the stay bonus included, the values quantised as
    the solver compared them (:attr:`PlacementSolution.score_quantum`), in score units. The stay
    tie-break (``prefer_stay``) only chooses among optimal placements, so it does not enter the
    prices. Identical seats of a position share one price; an empty seat is worth 0.

    Parameters
    ----------
    values, allowed, seats
        As given to :func:`solve_placement`.
    solution : PlacementSolution
        Its result.
    employee_ids, position_ids, incumbent, incumbent_bonus, tie_break_key
        As given to :func:`solve_placement`.

    Returns
    -------
    ndarray of shape (n_seats,), float64
        In the seat order of ``solution``. NaN for locked seats, and everywhere when the solution
        did not come from the assignment solver (objectives ``"fill_first"`` and
        ``"bottleneck"``, or a binding ``max_moves``): prices of those problems are not
        defined by a linear programme.

    Examples
    --------
    >>> import numpy as np
    >>> values = np.array([[90.0, 70.0], [85.0, 60.0], [50.0, 80.0]])
    >>> allowed = np.ones((3, 2), dtype=bool)
    >>> sol = solve_placement(values, allowed, [1, 1], prices=False)
    >>> seat_prices(values, allowed, [1, 1], sol).tolist()
    [90.0, 80.0]

    Without seat 0 the best total would be 80 (employee 2 in seat 1), 90 less than 170.
    """
    caller = "seat_prices"
    bonus = _check_bonus(incumbent_bonus, caller)
    values, allowed, seats = _check_core_inputs(values, allowed, seats, caller)
    n, m = values.shape
    incumbent = _check_index_vector(incumbent, "incumbent", n, m, caller)
    employee_order, position_order = _orders(
        n, m, employee_ids, position_ids, tie_break_key, caller
    )
    is_locked = solution.employee_locked
    lock_cols = solution.employee_position[is_locked]
    problem = _build_problem(
        values,
        allowed,
        seats,
        employee_order,
        position_order,
        is_locked,
        lock_cols,
        incumbent,
        bonus,
        quantum=solution.score_quantum,
    )
    return _seat_prices(problem, solution)


def _number_seats(employee_position, employee_rank, seats):
    """Seat arrays: per position, filled seats first, in the canonical order of their holders."""
    seat_position = expand_seats(seats)
    first_seat = np.cumsum(seats) - seats
    seat_number = np.arange(seat_position.size, dtype=np.intp) - first_seat[seat_position]
    seat_employee = np.full(seat_position.size, -1, dtype=np.intp)
    employee_seat = np.full(employee_position.size, -1, dtype=np.intp)
    placed = np.flatnonzero(employee_position >= 0)
    if placed.size:
        order = placed[np.lexsort((employee_rank[placed], employee_position[placed]))]
        pos = employee_position[order]
        group_start = np.flatnonzero(np.r_[True, pos[1:] != pos[:-1]])
        within = np.arange(order.size) - np.repeat(
            group_start, np.diff(np.r_[group_start, order.size])
        )
        seat_employee[first_seat[pos] + within] = order
        employee_seat[order] = within
    return seat_position, seat_number, seat_employee, employee_seat


def _column_blocks(n_rows: int, n_cols: int, budget: int = 1 << 22):
    """Column slices whose (n_rows, width) blocks hold about ``budget`` elements."""
    width = max(1, budget // max(n_rows, 1))
    for start in range(0, n_cols, width):
        yield slice(start, min(start + width, n_cols))


def runner_up(values, allowed, employee_position, *, order=None):
    """For each position, the best allowed candidate not placed there.

    Parameters
    ----------
    values : array-like of shape (n_employees, n_positions)
        Scores (e.g. the composite).
    allowed : array-like of bool of shape (n_employees, n_positions)
        Pairs that could have been placed.
    employee_position : array-like of int of shape (n_employees,)
        The placement: position of each employee, -1 when unplaced.
    order : array-like of int of shape (n_employees,), optional
        Tie-break order of employees (e.g. :func:`~asn_match.tiebreak.canonical_order` of the
        ids): among equal scores the candidate first in ``order`` is named.

    Returns
    -------
    candidate : ndarray of shape (n_positions,), intp
        The runner-up's employee index, -1 when there is none.
    score : ndarray of shape (n_positions,), float64
        Their score; NaN when there is none.

    Examples
    --------
    >>> import numpy as np
    >>> values = np.array([[90.0, 70.0], [85.0, 60.0], [50.0, 80.0]])
    >>> cand, score = runner_up(values, np.ones((3, 2), bool), np.array([0, -1, 1]))
    >>> cand.tolist(), score.tolist()
    ([1, 0], [85.0, 70.0])
    """
    values = np.asarray(values, dtype=np.float64)
    allowed = np.asarray(allowed, dtype=bool)
    employee_position = np.asarray(employee_position, dtype=np.intp)
    n, m = values.shape
    rows = np.arange(n, dtype=np.intp) if order is None else np.asarray(order, dtype=np.intp)
    rank = np.empty(n, dtype=np.intp)
    rank[rows] = np.arange(n)
    placed = np.flatnonzero(employee_position >= 0)
    candidate = np.full(m, -1, dtype=np.intp)
    score = np.full(m, np.nan)
    if n == 0:
        return candidate, score
    for block in _column_blocks(n, m):
        masked = np.where(allowed[rows, block], values[rows, block], -np.inf)
        inside = placed[
            (employee_position[placed] >= block.start) & (employee_position[placed] < block.stop)
        ]
        masked[rank[inside], employee_position[inside] - block.start] = -np.inf
        best = np.argmax(masked, axis=0)
        best_score = masked[best, np.arange(best.size)]
        found = best_score > -np.inf
        candidate[block][found] = rows[best[found]]
        score[block][found] = best_score[found]
    return candidate, score


def option_rank(values, allowed, employee_position):
    """Rank of each employee's position among their allowed options (1 = best score).

    Competition ranking: 1 + the number of allowed positions with a strictly higher score.

    Parameters
    ----------
    values : array-like of shape (n_employees, n_positions)
    allowed : array-like of bool of shape (n_employees, n_positions)
    employee_position : array-like of int of shape (n_employees,)
        Position of each employee, -1 when unplaced.

    Returns
    -------
    ndarray of shape (n_employees,), int64
        The rank; 0 for unplaced employees.

    Examples
    --------
    >>> import numpy as np
    >>> values = np.array([[90.0, 70.0], [85.0, 60.0], [50.0, 80.0]])
    >>> option_rank(values, np.ones((3, 2), bool), np.array([1, -1, 1])).tolist()
    [2, 0, 1]
    """
    values = np.asarray(values, dtype=np.float64)
    allowed = np.asarray(allowed, dtype=bool)
    employee_position = np.asarray(employee_position, dtype=np.intp)
    n, m = values.shape
    result = np.zeros(n, dtype=np.int64)
    placed = np.flatnonzero(employee_position >= 0)
    step = max(1, (1 << 22) // max(m, 1))
    for start in range(0, placed.size, step):
        rows = placed[start : start + step]
        own = values[rows, employee_position[rows]]
        better = (values[rows] > own[:, None]) & allowed[rows]
        result[rows] = 1 + np.count_nonzero(better, axis=1)
    return result


@dataclass(frozen=True, eq=False)
class PlacementReasons:
    """Why each employee is (not) placed and each seat is (not) filled, as codes.

    Attributes
    ----------
    employee_code : ndarray of shape (n_employees,), int8
        Index into :data:`EMPLOYEE_REASONS`.
    employee_other : ndarray of shape (n_employees,), intp
        The employee the reason names (who outscored them, who holds the locked seat, ...), -1
        if none.
    employee_at : ndarray of shape (n_employees,), intp
        The position the reason is about (the employee's best allowed option), -1 if none.
    seat_code : ndarray of shape (n_seats,), int8
        Index into :data:`SEAT_REASONS`.
    seat_other : ndarray of shape (n_seats,), intp
        For an unfilled seat, its best allowed candidate; -1 if none. For a filled seat, -1.
    seat_at : ndarray of shape (n_seats,), intp
        Where that candidate was placed, -1 if unplaced or none.
    """

    employee_code: np.ndarray
    employee_other: np.ndarray
    employee_at: np.ndarray
    seat_code: np.ndarray
    seat_other: np.ndarray
    seat_at: np.ndarray


def _canonical_argmax(masked: np.ndarray, order: np.ndarray, axis: int) -> np.ndarray:
    """Argmax along ``axis`` where ties go to the first index in ``order``."""
    taken = np.take(masked, order, axis=axis)
    return order[np.argmax(taken, axis=axis)]


def placement_reasons(
    values,
    eligible,
    allowed,
    solution: PlacementSolution,
    *,
    forbidden=None,
    incumbent=None,
    employee_order=None,
    position_order=None,
) -> PlacementReasons:
    """Reason codes for every employee and every seat of a placement.

    Only positions with at least one seat count as options. For an unplaced employee who had
    allowed options, the reason is about their best allowed position (highest score; ties by
    ``position_order``): its seats are held by someone with at least the same score
    ("outscored"), by locked pairs ("seat locked"), by an incumbent kept by the bonus or the
    move cap ("incumbent kept"), or by someone with a lower score because the total is higher
    that way ("taken by higher total"); a free seat there means the pair adds nothing to the
    objective ("no gain"). For an unfilled seat with allowed candidates, its best candidate is
    named with where they went ("candidates placed elsewhere").

    Parameters
    ----------
    values : array-like of shape (n_employees, n_positions)
        The scores compared in the reasons (e.g. the composite).
    eligible, allowed : array-like of bool of shape (n_employees, n_positions)
        Eligibility, and the pairs the placement could use (eligible, not forbidden, at or
        above the minimum).
    solution : PlacementSolution
        The placement.
    forbidden : array-like of bool of shape (n_employees, n_positions), optional
        Pairs forbidden by the caller.
    incumbent : array-like of int of shape (n_employees,), optional
        The position each employee holds now, or -1.
    employee_order, position_order : array-like of int, optional
        Tie-break orders (:func:`~asn_match.tiebreak.canonical_order`); input order by default.

    Returns
    -------
    PlacementReasons

    Examples
    --------
    >>> import numpy as np
    >>> values = np.array([[90.0, 70.0], [85.0, 60.0], [50.0, 80.0]])
    >>> allowed = np.ones((3, 2), dtype=bool)
    >>> sol = solve_placement(values, allowed, [1, 1])
    >>> reasons = placement_reasons(values, allowed, allowed, sol)
    >>> [EMPLOYEE_REASONS[c] for c in reasons.employee_code]
    ['placed', 'outscored', 'placed']
    >>> int(reasons.employee_other[1])
    0
    """
    values = np.asarray(values, dtype=np.float64)
    eligible = np.asarray(eligible, dtype=bool)
    allowed = np.asarray(allowed, dtype=bool)
    n, m = values.shape
    e_order = np.arange(n) if employee_order is None else np.asarray(employee_order, np.intp)
    p_order = np.arange(m) if position_order is None else np.asarray(position_order, np.intp)
    incumbent = np.full(n, -1, np.intp) if incumbent is None else np.asarray(incumbent, np.intp)
    position = solution.employee_position
    seat_position, seat_employee = solution.seat_position, solution.seat_employee
    locked = solution.employee_locked
    e_rank = np.empty(n, dtype=np.intp)
    e_rank[e_order] = np.arange(n)

    employee_code = np.where(locked, _LOCKED, _PLACED).astype(np.int8)
    employee_other = np.full(n, -1, dtype=np.intp)
    employee_at = np.full(n, -1, dtype=np.intp)
    unplaced = np.flatnonzero(position < 0)
    if unplaced.size:
        # Only positions with seats count as options: a closed position is no alternative.
        has_seats = np.bincount(seat_position, minlength=m) > 0
        eligible_u = eligible[unplaced] & has_seats
        open_u = eligible_u if forbidden is None else eligible_u & ~np.asarray(forbidden)[unplaced]
        allowed_u = allowed[unplaced] & has_seats
        code = np.full(unplaced.size, 8, dtype=np.int8)
        code[~allowed_u.any(axis=1)] = 4
        code[~open_u.any(axis=1)] = 3
        code[~eligible_u.any(axis=1)] = 2
        contested = np.flatnonzero(code == 8)
        if contested.size:
            masked = np.where(allowed_u[contested], values[unplaced[contested]], -np.inf)
            best = _canonical_argmax(masked, p_order, axis=1)
            own = values[unplaced[contested], best]
            weakest, weakest_value, free, all_locked = _occupancy(values, solution, e_rank, m)
            sub = np.full(contested.size, 8, dtype=np.int8)
            holder = weakest[best]
            holder_value = weakest_value[best]
            stays = (holder >= 0) & (incumbent[np.maximum(holder, 0)] == best)
            sub[stays] = 7
            sub[holder_value >= own] = 5
            sub[all_locked[best]] = 6
            sub[free[best] > 0] = 9
            code[contested] = sub
            other = np.where(sub == 9, -1, holder)
            if all_locked[best].any():
                locked_holder = _any_holder(solution, m)
                other = np.where(sub == 6, locked_holder[best], other)
            employee_other[unplaced[contested]] = other
            employee_at[unplaced[contested]] = best
        employee_code[unplaced] = code

    seat_code = np.where(seat_employee >= 0, 0, 2).astype(np.int8)
    if n:
        seat_code[(seat_employee >= 0) & locked[np.maximum(seat_employee, 0)]] = 1
    seat_other = np.full(seat_position.size, -1, dtype=np.intp)
    seat_at = np.full(seat_position.size, -1, dtype=np.intp)
    open_seats = np.flatnonzero(seat_employee < 0)
    if open_seats.size and n == 0:
        seat_code[open_seats] = 2
    elif open_seats.size:
        cols = np.unique(seat_position[open_seats])
        # Candidates are the employees not already holding a seat of the same position.
        elsewhere = position[:, None] != cols[None, :]
        eligible_c = eligible[:, cols] & elsewhere
        open_c = eligible_c if forbidden is None else eligible_c & ~np.asarray(forbidden)[:, cols]
        allowed_c = allowed[:, cols] & elsewhere
        code = np.full(cols.size, 5, dtype=np.int8)
        code[~allowed_c.any(axis=0)] = 4
        code[~open_c.any(axis=0)] = 3
        code[~eligible_c.any(axis=0)] = 2
        masked = np.where(allowed_c, values[:, cols], -np.inf)
        best = _canonical_argmax(masked, e_order, axis=0)
        free_candidate = (allowed_c & (position < 0)[:, None]).any(axis=0)
        code[(code == 5) & free_candidate] = 6
        has_candidate = code >= 5
        col_index = np.searchsorted(cols, seat_position[open_seats])
        seat_code[open_seats] = code[col_index]
        best_cand = np.where(has_candidate, best, -1)
        if free_candidate.any():  # name the best free candidate, the one who could take it
            masked[position >= 0, :] = -np.inf
            best_free = _canonical_argmax(masked, e_order, axis=0)
            best_cand = np.where(code == 6, best_free, best_cand)
        seat_other[open_seats] = best_cand[col_index]
        cand = seat_other[open_seats]
        seat_at[open_seats] = np.where(cand >= 0, position[np.maximum(cand, 0)], -1)
    return PlacementReasons(
        employee_code, employee_other, employee_at, seat_code, seat_other, seat_at
    )


def _occupancy(values, solution, e_rank, m):
    """Per position: weakest non-locked holder (index, score), free seats, all seats locked."""
    seat_position, seat_employee = solution.seat_position, solution.seat_employee
    free = np.bincount(seat_position[seat_employee < 0], minlength=m)
    filled = np.flatnonzero(seat_employee >= 0)
    holders = seat_employee[filled]
    pos = seat_position[filled]
    movable = ~solution.employee_locked[holders]
    all_locked = (np.bincount(pos[~movable], minlength=m) == np.bincount(pos, minlength=m)) & (
        np.bincount(pos, minlength=m) > 0
    )
    weakest = np.full(m, -1, dtype=np.intp)
    weakest_value = np.full(m, np.inf)
    holders, pos = holders[movable], pos[movable]
    if holders.size:
        score = values[holders, pos]
        # lowest score first; among equal scores the holder last in the canonical order
        order = np.lexsort((-e_rank[holders], score, pos))
        first = np.r_[True, pos[order][1:] != pos[order][:-1]]
        weakest[pos[order][first]] = holders[order][first]
        weakest_value[pos[order][first]] = score[order][first]
    return weakest, weakest_value, free, all_locked


def _any_holder(solution, m):
    """One holder of each position (the first seat's), -1 for empty positions."""
    holder = np.full(m, -1, dtype=np.intp)
    filled = np.flatnonzero(solution.seat_employee >= 0)[::-1]
    holder[solution.seat_position[filled]] = solution.seat_employee[filled]
    return holder


# ----------------------------------------------------------------------------- table API

_CALLER = "assign"


def _id_index(ids) -> pd.Index:
    return pd.Index(np.asarray(ids, dtype=object).astype(str))


def _pair_list(pairs, name: str) -> list[tuple[str, str]]:
    """(employee_id, position_id) pairs from a mapping, a table, a path or an iterable."""
    if pairs is None:
        return []
    if isinstance(pairs, Mapping):
        return [(str(e), str(p)) for e, p in pairs.items()]
    if isinstance(pairs, (pd.DataFrame, str)) or hasattr(pairs, "__fspath__"):
        from .io import read_pairs  # the reader layer is only needed for tables and files

        return read_pairs(pairs, what=name)
    result = []
    for item in pairs:
        if isinstance(item, (str, bytes)) or len(item) != 2:
            raise _bad_param(
                name,
                _CALLER,
                "None, a dict {employee_id: position_id}, a DataFrame with "
                "columns employee_id and position_id, a file path, or an iterable of "
                "(employee_id, position_id) pairs",
                item,
            )
        result.append((str(item[0]), str(item[1])))
    return result


def _pair_indices(pairs, what, employee_index, position_index, problems):
    """Index arrays of the pairs; unknown ids become problems."""
    rows = employee_index.get_indexer([e for e, _ in pairs])
    cols = position_index.get_indexer([p for _, p in pairs])
    for t, (e, p) in enumerate(pairs):
        for found, value, column, table in (
            (rows[t], e, "employee_id", "employees"),
            (cols[t], p, "position_id", "positions"),
        ):
            if found < 0:
                problems.append(
                    Problem(
                        what,
                        f"{column} {value!r} is not in the scored {table}.",
                        row=t + 2,
                        column=column,
                        value=value,
                        expected=f"an id of the scored {table}",
                        code="unknown_id",
                        record_id=value,
                    )
                )
    known = (rows >= 0) & (cols >= 0)
    return rows[known].astype(np.intp), cols[known].astype(np.intp)


def _seat_vector(scores, seats, position_index, problems) -> np.ndarray:
    result = np.asarray(scores.positions.seats, dtype=np.intp).copy()
    if seats is None:
        return result
    if not isinstance(seats, Mapping):
        raise _bad_param("seats", _CALLER, "None or a dict {position_id: number of seats}", seats)
    for position_id, count in seats.items():
        j = position_index.get_indexer([str(position_id)])[0]
        whole = isinstance(count, (int, np.integer)) and not isinstance(count, (bool, np.bool_))
        if j < 0:
            problems.append(
                Problem(
                    "seats",
                    f"position_id {position_id!r} is not in the scored positions.",
                    column="position_id",
                    value=position_id,
                    code="unknown_id",
                    expected="an id of the scored positions",
                    record_id=str(position_id),
                )
            )
        elif not whole or count < 0:
            problems.append(
                Problem(
                    "seats",
                    f"the number of seats of {position_id!r} must be a whole number >= 0.",
                    column="seats",
                    value=count,
                    code="invalid_seats",
                    expected="an int >= 0 (0 closes the position)",
                    record_id=str(position_id),
                )
            )
        else:
            result[j] = int(count)
    return result


def _minimum_mask(scores, min_score, min_category):
    """Pairs at or above the minimum (None when no minimum is set), and a description."""
    mask, parts = None, []
    if min_score is not None:
        if (
            isinstance(min_score, bool)
            or not isinstance(min_score, (int, float, np.number))
            or not np.isfinite(min_score)
        ):
            raise _bad_param(
                "min_score", _CALLER, "None or a finite number (composite, 0-100)", min_score
            )
        mask = scores.composite >= float(min_score) - 10.0**-SCORE_DECIMALS
        parts.append(f"composite >= {float(min_score):g}")
    if min_category is not None:
        labels = tuple(scores.config.category_labels)
        if isinstance(min_category, str) and min_category in labels:
            worst = labels.index(min_category)
        elif (
            isinstance(min_category, (int, np.integer))
            and not isinstance(min_category, bool)
            and 0 <= min_category < len(labels)
        ):
            worst = int(min_category)
        else:
            raise _bad_param(
                "min_category",
                _CALLER,
                f"None, a category label among {labels} (best first) or its index 0-"
                f"{len(labels) - 1}",
                min_category,
            )
        category_ok = scores.category_code <= worst
        mask = category_ok if mask is None else mask & category_ok
        parts.append(f"category {labels[worst]!r} or better")
    return mask, " and ".join(parts)


def _check_locks(scores, lock_rows, lock_cols, seats, forbidden, meets_minimum, problems):
    e_ids, p_ids = scores.employees.ids, scores.positions.ids
    uniq, counts = np.unique(lock_rows, return_counts=True)
    for i in uniq[counts > 1]:
        where = p_ids[lock_cols[lock_rows == i]].tolist()
        problems.append(
            Problem(
                "locked",
                f"employee {e_ids[i]} is locked to {len(where)} positions {where}; an "
                "employee holds one seat. Keep one lock per employee.",
                column="employee_id",
                value=e_ids[i],
                code="duplicate_lock",
                record_id=e_ids[i],
            )
        )
    for i, j in zip(lock_rows.tolist(), lock_cols.tolist(), strict=True):
        pair = f"the locked pair ({e_ids[i]}, {p_ids[j]})"
        if not scores.eligible[i, j]:
            why = "; ".join(scores.reason_text(i, j))
            problems.append(
                Problem(
                    "locked",
                    f"{pair} is not eligible: {why}. Remove the lock.",
                    value=f"{e_ids[i]} -> {p_ids[j]}",
                    code="locked_ineligible",
                    record_id=e_ids[i],
                )
            )
        elif forbidden is not None and forbidden[i, j]:
            problems.append(
                Problem(
                    "locked",
                    f"{pair} is also forbidden. Remove the lock or the prohibition.",
                    value=f"{e_ids[i]} -> {p_ids[j]}",
                    code="locked_forbidden",
                    record_id=e_ids[i],
                )
            )
        elif meets_minimum is not None and not meets_minimum[i, j]:
            problems.append(
                Problem(
                    "locked",
                    f"{pair} is below the minimum (composite "
                    f"{scores.composite[i, j]:.2f}, category "
                    f"{scores.config.category_labels[scores.category_code[i, j]]!r}). Remove the "
                    "lock or lower the minimum.",
                    value=f"{e_ids[i]} -> {p_ids[j]}",
                    code="locked_below_minimum",
                    record_id=e_ids[i],
                )
            )
    per_position = np.bincount(lock_cols, minlength=seats.size)
    for j in np.flatnonzero(per_position > seats).tolist():
        who = e_ids[lock_rows[lock_cols == j]].tolist()
        problems.append(
            Problem(
                "locked",
                f"position {p_ids[j]} has {seats[j]} seat(s) but {per_position[j]} locked "
                f"employees {who}. Remove locks or add seats.",
                column="position_id",
                value=p_ids[j],
                code="locks_exceed_seats",
                record_id=p_ids[j],
            )
        )


def assign(
    scores,
    *,
    seats: Mapping[str, int] | None = None,
    min_score: float | None = None,
    min_category: str | int | None = None,
    locked=None,
    forbidden=None,
    incumbent_bonus: float = 0.0,
    max_moves: int | None = None,
    prefer_stay: bool = True,
    objective: Objective = "total",
    tie_break_key: bytes = TIEBREAK_KEY,
) -> Placement:
    """Place employees in positions to maximise the total composite score, under rules.

    Every seat is filled by at most one employee and every employee holds at most one seat;
    a pair is used only if it is eligible (``scores.eligible``), not forbidden, and at or above
    the minimum. Seats stay unfilled and employees unplaced when that is best, each with a reason.
    Among placements with the same objective, the one that moves the fewest incumbents is chosen
    (``prefer_stay``); the ties left are broken by the keyed hash of the ids
    (:mod:`asn_match.tiebreak`), so the result does not depend on the row order of the input nor
    on the digits of a NIP.

    Parameters
    ----------
    scores : Scores
        Dense scores from :func:`asn_match.score` (``scores.is_dense``).
    seats : dict of {str: int}, optional
        Seats per position id, overriding ``positions.seats`` (0 closes a position).
    min_score : float, optional
        Smallest **composite** score (0-100, the score being maximised) a placed pair may have.
        For a floor on the JPM, use ``min_category`` (categories are JPM bands).
    min_category : str or int, optional
        Worst category a placed pair may have: a label of ``scores.config.category_labels``
        (e.g. ``"Memenuhi Syarat"`` places only the top category) or its index (0 = best).
    locked : dict, DataFrame, path or iterable of (employee_id, position_id), optional
        Pairs that must be placed. Each must be eligible, not forbidden and at or above the
        minimum; an employee may be locked once; a position may not get more locks than seats.
    forbidden : dict, DataFrame, path or iterable of (employee_id, position_id), optional
        Pairs that must not be placed.
    incumbent_bonus : float, default=0.0
        Points added to an incumbent's composite for their own position
        (``employees.current_position_id``) in the objective: a preference for stability.
        Reported scores stay the composite.
    max_moves : int, optional
        Most incumbents (employees whose current position is among the scored positions) who
        may leave their position, moved elsewhere or left unplaced. Solved exactly (see the
        module docstring).
    prefer_stay : bool, default=True
        Among the placements that are best for ``objective`` (with ``incumbent_bonus`` and
        ``max_moves``), take one that keeps the most incumbents in their current position: a
        move must gain something. Exact, on composites quantised to ``q`` (1e-9 up to about
        200 incumbents and seats, 1e-7 up to about 2,000, 1e-6 up to about 6,700; the
        quantum used is ``placement.summary()["score_quantum"]``): the total never drops by
        more than ``q`` per placed pair. False places as without it. See the module
        docstring, "Fewest moves among equal totals".
    objective : {"total", "fill_first", "bottleneck"}, default="total"
        ``"total"``: the greatest sum of composite scores. ``"fill_first"``: as many filled seats
        as possible, then the greatest total. ``"bottleneck"``: as many filled seats as possible,
        then the weakest placed score as high as possible, then the greatest total.
    tie_break_key : bytes, default=TIEBREAK_KEY
        Key of the tie-break hash; keep the default, the documented rule.

    Returns
    -------
    Placement
        The decision with ``.to_frame()``, ``.summary()``, ``.explain(employee_id)``,
        ``.compare_current()`` and ``.export(path)``.

    Raises
    ------
    InputError
        Unknown ids in ``seats``, ``locked`` or ``forbidden``; a lock that is ineligible,
        forbidden, below the minimum, duplicated or beyond the seats of its position (every
        problem at once, naming the ids).
    InfeasibleError
        ``max_moves`` cannot be met (it names the incumbents who cannot stay).
    ValueError
        An invalid option, streamed (not dense) scores, or ``prefer_stay=True`` on a problem
        too large for its exact tie-break (about 67,000 incumbents and seats).

    Examples
    --------
    >>> from asn_match.scoring import score
    >>> from asn_match.datasets import synthetic_workforce
    >>> scores = score(*synthetic_workforce(60, 12, seed=4))
    >>> placement = assign(scores, min_category="Masih Memenuhi Syarat")
    >>> summary = placement.summary()
    >>> summary["placed"] + summary["unplaced"] == 60
    True
    >>> frame = placement.to_frame()
    >>> int((frame["status"] == "placed").sum()) == summary["placed"]
    True
    """
    if not getattr(scores, "is_dense", False):
        raise ValueError(
            "assign needs dense scores (every pair kept); these scores are streamed or not a "
            "Scores object. Score with score(..., dense=True), or split the workforce by "
            "agency so that each part fits in memory."
        )
    employee_index = _id_index(scores.employees.ids)
    position_index = _id_index(scores.positions.ids)
    n, m = scores.composite.shape
    problems: list[Problem] = []
    seat_count = _seat_vector(scores, seats, position_index, problems)
    meets_minimum, minimum_text = _minimum_mask(scores, min_score, min_category)

    forbidden_mask = None
    forbid_pairs = _pair_list(forbidden, "forbidden")
    f_rows, f_cols = _pair_indices(
        forbid_pairs, "forbidden", employee_index, position_index, problems
    )
    if f_rows.size:
        forbidden_mask = np.zeros((n, m), dtype=bool)
        forbidden_mask[f_rows, f_cols] = True
    lock_pairs = _pair_list(locked, "locked")
    lock_rows, lock_cols = _pair_indices(
        lock_pairs, "locked", employee_index, position_index, problems
    )
    _check_locks(scores, lock_rows, lock_cols, seat_count, forbidden_mask, meets_minimum, problems)
    if problems:
        raise InputError(problems)

    allowed = scores.eligible
    if forbidden_mask is not None:
        allowed = allowed & ~forbidden_mask
    if meets_minimum is not None:
        allowed = allowed & meets_minimum
    incumbent = position_index.get_indexer(
        pd.Series(scores.employees.current_position_id, dtype=object).astype(str)
    ).astype(np.intp)
    incumbent[pd.isna(pd.Series(scores.employees.current_position_id, dtype=object))] = -1

    employee_order = canonical_order(employee_index, key=tie_break_key)
    position_order = canonical_order(position_index, key=tie_break_key)
    values = np.asarray(scores.composite, dtype=np.float64)
    try:
        solution = _solve_ordered(
            values,
            allowed,
            seat_count,
            employee_order,
            position_order,
            locked=np.column_stack([lock_rows, lock_cols]) if lock_rows.size else None,
            incumbent=incumbent,
            incumbent_bonus=incumbent_bonus,
            max_moves=max_moves,
            prefer_stay=prefer_stay,
            objective=objective,
            prices=False,
            caller=_CALLER,
        )
    except InfeasibleError as error:
        if not error.rows:
            raise
        who = scores.employees.ids[list(error.rows)][:20].tolist()
        raise InfeasibleError(
            f"{error} Employees by id: {who}.", rows=error.rows, cols=error.cols
        ) from None
    return Placement(
        scores=scores,
        solution=solution,
        allowed=allowed,
        forbidden=forbidden_mask,
        meets_minimum=meets_minimum,
        incumbent=incumbent,
        seats=seat_count,
        employee_order=employee_order,
        position_order=position_order,
        options={
            "objective": objective,
            "min_score": min_score,
            "min_category": min_category,
            "minimum": minimum_text,
            "incumbent_bonus": float(incumbent_bonus),
            "max_moves": max_moves,
            "prefer_stay": bool(prefer_stay),
            "locked": len(lock_pairs),
            "forbidden": len(forbid_pairs),
            "tie_break_key": tie_break_key,
        },
    )


def _fmt(value: float) -> str:
    return f"{value:.2f}"


class Placement:
    """The result of :func:`assign`: who holds which seat, why, and what it is worth.

    Built by :func:`assign`; not meant to be constructed directly. Arrays are read-only.

    Attributes
    ----------
    scores : Scores
        The scores the placement used.
    solution : PlacementSolution
        The placement as arrays (employee -> position and seat, seat -> employee).
    reasons : PlacementReasons
        Reason codes of every employee and every seat.
    option_rank : ndarray of shape (n_employees,), int64
        Rank of the employee's position among their allowed options by composite (1 = best);
        0 when unplaced.
    runner_up : ndarray of shape (n_positions,), intp
        For each position, the best allowed candidate not placed there (-1 if none).
    runner_up_score : ndarray of shape (n_positions,), float64
        Their composite score (NaN if none).
    allowed : ndarray of shape (n_employees, n_positions), bool
        The pairs the placement could use: eligible, not forbidden, at or above the minimum.
    incumbent : ndarray of shape (n_employees,), intp
        Current position of each employee among the scored positions, -1 if none.
    seats : ndarray of shape (n_positions,), intp
        Seats per position as used (after the ``seats`` override).
    options : dict
        The options of :func:`assign`.
    """

    def __init__(
        self,
        *,
        scores,
        solution,
        allowed,
        forbidden,
        meets_minimum,
        incumbent,
        seats,
        employee_order,
        position_order,
        options,
    ):
        self.scores = scores
        self.solution = solution
        self.allowed = allowed
        self.incumbent = incumbent
        self.seats = seats
        self.options = dict(options)
        self._forbidden = forbidden
        self._meets_minimum = meets_minimum
        self._employee_order = employee_order
        self._position_order = position_order
        self._prices: np.ndarray | None = None
        values = scores.composite
        position = solution.employee_position
        self.option_rank = option_rank(values, allowed, position)
        self.runner_up, self.runner_up_score = runner_up(
            values, allowed, position, order=employee_order
        )
        self.reasons = placement_reasons(
            values,
            scores.eligible,
            allowed,
            solution,
            forbidden=forbidden,
            incumbent=incumbent,
            employee_order=employee_order,
            position_order=position_order,
        )
        for array in (incumbent, seats, self.option_rank, self.runner_up, self.runner_up_score):
            array.setflags(write=False)

    # -- arrays -------------------------------------------------------------------------------
    @property
    def employee_position(self) -> np.ndarray:
        """Position index of each employee, -1 when unplaced: shape (n_employees,)."""
        return self.solution.employee_position

    @property
    def seat_prices(self) -> np.ndarray:
        """Shadow price of every seat, shape (n_seats,) in the order of ``solution``.

        The drop in the optimal objective if the seat were removed (see :func:`seat_prices`);
        NaN for locked seats and when the objective is not ``"total"`` or ``max_moves`` binds.
        Computed on first use (a Bellman-Ford pass over the seats, about a tenth of the solve
        at 2,000 to 5,000 employees), so a placement that is never explained does not pay it.
        """
        if self._prices is None:
            problem = _build_problem(
                np.asarray(self.scores.composite, dtype=np.float64),
                self.allowed,
                self.seats,
                self._employee_order,
                self._position_order,
                self.solution.employee_locked,
                self.solution.employee_position[self.solution.employee_locked],
                self.incumbent,
                self.options["incumbent_bonus"],
                quantum=self.solution.score_quantum,
            )
            prices = _seat_prices(problem, self.solution)
            prices.setflags(write=False)
            self._prices = prices
        return self._prices

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"<Placement: {s['placed']} of {s['employees']} employees placed in "
            f"{s['filled_seats']} of {s['seats']} seats, total score {s['total_score']:.2f}, "
            f"objective={s['objective']!r}>"
        )

    # -- reasons as text ----------------------------------------------------------------------
    def _employee_reason_text(self) -> np.ndarray:
        r = self.reasons
        e_ids, p_ids = self.scores.employees.ids, self.scores.positions.ids
        values = self.scores.composite
        text = np.array(EMPLOYEE_REASONS, dtype=object)[r.employee_code]
        minimum = self.options["minimum"]
        below = np.flatnonzero(r.employee_code == 4)
        if below.size and minimum:
            text[below] = f"below minimum ({minimum})"
        for i in np.flatnonzero(r.employee_other >= 0).tolist():
            other, at, code = int(r.employee_other[i]), int(r.employee_at[i]), r.employee_code[i]
            own, theirs = _fmt(values[i, at]), _fmt(values[other, at])
            if code == 5:
                text[i] = f"outscored by {e_ids[other]} at {p_ids[at]} ({theirs} vs {own})"
            elif code == 6:
                text[i] = f"seat locked: {p_ids[at]} is locked for {e_ids[other]}"
            elif code == 7:
                text[i] = f"incumbent kept: {e_ids[other]} stays at {p_ids[at]} ({theirs} vs {own})"
            elif code == 8:
                text[i] = (
                    f"all eligible seats taken by higher total (best option {p_ids[at]} "
                    f"went to {e_ids[other]}, {theirs} vs {own})"
                )
        for i in np.flatnonzero(r.employee_code == 9).tolist():
            text[i] = (
                f"no gain: a seat at {p_ids[r.employee_at[i]]} is free, but the pair adds "
                "nothing to the objective"
            )
        return text

    def _seat_reason_text(self) -> np.ndarray:
        r = self.reasons
        e_ids, p_ids = self.scores.employees.ids, self.scores.positions.ids
        values = self.scores.composite
        sol = self.solution
        text = np.array(SEAT_REASONS, dtype=object)[r.seat_code]
        minimum = self.options["minimum"]
        below = np.flatnonzero(r.seat_code == 4)
        if below.size and minimum:
            text[below] = f"all candidates below minimum ({minimum})"
        for s in np.flatnonzero(r.seat_other >= 0).tolist():
            other, p = int(r.seat_other[s]), int(sol.seat_position[s])
            if r.seat_code[s] == 5:
                text[s] = (
                    f"candidates placed elsewhere (best candidate {e_ids[other]}, "
                    f"{_fmt(values[other, p])}, placed at {p_ids[r.seat_at[s]]})"
                )
            elif r.seat_code[s] == 6:
                text[s] = (
                    f"no gain: candidate {e_ids[other]} is free, but the pair adds "
                    "nothing to the objective"
                )
        return text

    # -- tables -------------------------------------------------------------------------------
    def _employee_price(self) -> np.ndarray:
        sol = self.solution
        first_seat = np.cumsum(self.seats) - self.seats
        price = np.full(sol.employee_position.size, np.nan)
        placed = np.flatnonzero(sol.employee_position >= 0)
        seat = first_seat[sol.employee_position[placed]] + sol.employee_seat[placed]
        price[placed] = self.seat_prices[seat]
        return price

    def to_frame(self) -> pd.DataFrame:
        """The decision table: one row per employee, then one per unfilled seat.

        Returns
        -------
        DataFrame
            Columns: ``employee_id``, ``name`` (if the employees have it), ``position_id``,
            ``title`` and ``unit`` (if the positions have them), ``seat`` (1-based within the
            position), ``status`` ("placed", "unplaced", "unfilled"), ``score`` (composite),
            ``jpm``, ``category``, ``option_rank`` (rank of the position among the employee's
            allowed options by composite, 1 = best), ``runner_up_id`` and ``runner_up_score``
            (the best allowed candidate for that position not placed there; for an unfilled
            seat, its best candidate), ``shadow_price`` (what the seat is worth, see
            :attr:`seat_prices`), ``current_position_id``, ``moved`` (incumbents only),
            ``locked``, ``reason_code`` (:data:`EMPLOYEE_REASONS` / :data:`SEAT_REASONS`) and
            ``reason`` (readable, naming the ids involved). Employees in table order, then
            unfilled seats in position order.

        Examples
        --------
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> placement = assign(score(*synthetic_workforce(30, 6, seed=1)))
        >>> frame = placement.to_frame()
        >>> len(frame) == 30 + int((placement.solution.seat_employee < 0).sum())
        True
        """
        scores, sol = self.scores, self.solution
        e_ids = np.asarray(scores.employees.ids, dtype=object)
        p_ids = np.asarray(scores.positions.ids, dtype=object)
        labels = np.array(scores.config.category_labels, dtype=object)
        n = e_ids.size
        pos = sol.employee_position
        placed = pos >= 0
        safe = np.where(placed, pos, 0)
        rows = np.arange(n)

        def on_placed(array, fill):
            if n == 0 or array.shape[1] == 0:
                return np.full(n, fill, dtype=object if fill is None else float)
            picked = array[rows, safe]
            return np.where(placed, picked, fill)

        runner = np.where(placed, self.runner_up[safe] if p_ids.size else -1, -1)
        current = np.asarray(scores.employees.current_position_id, dtype=object)
        incumbent = self.incumbent >= 0
        moved = pd.array(np.where(incumbent, pos != self.incumbent, False), dtype="boolean")
        moved[~incumbent] = pd.NA
        employees = {
            "employee_id": e_ids,
            "position_id": np.where(placed, p_ids[safe] if p_ids.size else None, None),
            "seat": pd.array(np.where(placed, sol.employee_seat + 1, 0), dtype="Int64"),
            "status": np.where(placed, "placed", "unplaced").astype(object),
            "score": on_placed(scores.composite, np.nan),
            "jpm": on_placed(scores.jpm, np.nan),
            "category": np.where(
                placed, labels[on_placed(scores.category_code, 0).astype(int)], None
            ),
            "option_rank": pd.array(self.option_rank, dtype="Int64"),
            "runner_up_id": np.where(
                runner >= 0, e_ids[np.maximum(runner, 0)] if n else None, None
            ),
            "runner_up_score": np.where(
                placed, self.runner_up_score[safe] if p_ids.size else np.nan, np.nan
            ),
            "shadow_price": self._employee_price(),
            "current_position_id": current,
            "moved": moved,
            "locked": sol.employee_locked.copy(),
            "reason_code": np.array(EMPLOYEE_REASONS, dtype=object)[self.reasons.employee_code],
            "reason": self._employee_reason_text(),
        }
        frame = pd.DataFrame(employees)
        frame.loc[~placed, ["seat", "option_rank"]] = pd.NA

        open_seat = np.flatnonzero(sol.seat_employee < 0)
        sp = sol.seat_position[open_seat]
        cand = self.reasons.seat_other[open_seat]
        has = cand >= 0
        seats = pd.DataFrame(
            {
                "employee_id": np.full(open_seat.size, None, dtype=object),
                "position_id": p_ids[sp],
                "seat": pd.array(sol.seat_number[open_seat] + 1, dtype="Int64"),
                "status": np.full(open_seat.size, "unfilled", dtype=object),
                "score": np.nan,
                "jpm": np.nan,
                "category": np.full(open_seat.size, None, dtype=object),
                "option_rank": pd.array(np.zeros(open_seat.size, dtype=np.int64), dtype="Int64"),
                "runner_up_id": np.where(has, e_ids[np.maximum(cand, 0)] if n else None, None),
                "runner_up_score": np.where(
                    has, scores.composite[np.maximum(cand, 0), sp] if n else np.nan, np.nan
                ),
                "shadow_price": self.seat_prices[open_seat],
                "current_position_id": np.full(open_seat.size, None, dtype=object),
                "moved": pd.array(np.zeros(open_seat.size, dtype=bool), dtype="boolean"),
                "locked": np.zeros(open_seat.size, dtype=bool),
                "reason_code": np.array(SEAT_REASONS, dtype=object)[
                    self.reasons.seat_code[open_seat]
                ],
                "reason": self._seat_reason_text()[open_seat],
            }
        )
        seats["option_rank"] = pd.array([pd.NA] * open_seat.size, dtype="Int64")
        seats["moved"] = pd.array([pd.NA] * open_seat.size, dtype="boolean")
        if open_seat.size == 0:
            result = frame
        elif n == 0:
            result = seats
        else:
            result = pd.concat([frame, seats], ignore_index=True)
        # Descriptive columns, where the tables have them, next to the ids they describe.
        info_e, info_p = scores.employees.info, scores.positions.info
        if "name" in info_e.columns:
            names = np.asarray(info_e["name"], dtype=object)
            result.insert(
                1,
                "name",
                np.r_[names, np.full(len(result) - n, None, dtype=object)]
                if n
                else np.full(len(result), None, dtype=object),
            )
        at = result.columns.get_loc("position_id") + 1
        position_of_row = _id_index(p_ids).get_indexer(result["position_id"].astype(str))
        for column in ("unit", "title"):
            if column in info_p.columns:
                values = np.asarray(info_p[column], dtype=object)
                result.insert(
                    at,
                    column,
                    np.where(
                        position_of_row >= 0,
                        values[np.maximum(position_of_row, 0)] if values.size else None,
                        None,
                    ),
                )
        return result.reset_index(drop=True)

    def summary(self) -> dict:
        """Headline figures of the placement, JSON-ready.

        Returns
        -------
        dict
            ``objective``, ``method``, ``employees``, ``placed``, ``unplaced``, ``locked``,
            ``seats``, ``filled_seats``, ``unfilled_seats``, ``total_score`` (sum of the placed
            composites), ``mean_score``, ``mean_jpm`` (of placed pairs; None if nobody is
            placed), ``objective_value`` (total plus the stay bonus), ``categories`` (label ->
            number of placed pairs), ``incumbents``, ``stays``, ``moves`` (incumbents who
            left their position, moved or unplaced; with ``prefer_stay`` the fewest among the
            placements of the same objective), ``prefer_stay`` and ``score_quantum`` (the
            quantum of the stay tie-break, None when it was not used).

        Examples
        --------
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> s = assign(score(*synthetic_workforce(30, 6, seed=1))).summary()
        >>> s["placed"] + s["unplaced"], s["filled_seats"] + s["unfilled_seats"] == s["seats"]
        (30, True)
        """
        scores, sol = self.scores, self.solution
        pos = sol.employee_position
        placed = np.flatnonzero(pos >= 0)
        composite = scores.composite[placed, pos[placed]]
        jpm = scores.jpm[placed, pos[placed]]
        labels = scores.config.category_labels
        counts = np.bincount(
            scores.category_code[placed, pos[placed]].astype(np.intp), minlength=len(labels)
        )
        incumbent = self.incumbent >= 0
        stays = int(np.count_nonzero(incumbent & (pos == self.incumbent)))
        return {
            "objective": self.options["objective"],
            "method": sol.method,
            "employees": int(pos.size),
            "placed": int(placed.size),
            "unplaced": int(pos.size - placed.size),
            "locked": int(np.count_nonzero(sol.employee_locked)),
            "seats": int(sol.seat_position.size),
            "filled_seats": int(np.count_nonzero(sol.seat_employee >= 0)),
            "unfilled_seats": int(np.count_nonzero(sol.seat_employee < 0)),
            "total_score": float(composite.sum()),
            "mean_score": float(composite.mean()) if placed.size else None,
            "mean_jpm": float(jpm.mean()) if placed.size else None,
            "objective_value": sol.objective_value,
            "categories": {label: int(c) for label, c in zip(labels, counts, strict=True)},
            "incumbents": int(np.count_nonzero(incumbent)),
            "stays": stays,
            "moves": int(np.count_nonzero(incumbent)) - stays,
            "prefer_stay": self.options["prefer_stay"],
            "score_quantum": sol.score_quantum,
        }

    def _employee_row(self, employee_id) -> int:
        index = _id_index(self.scores.employees.ids)
        i = index.get_indexer([str(employee_id)])[0]
        if i < 0:
            hint = difflib.get_close_matches(str(employee_id), index.tolist(), n=1, cutoff=0.8)
            raise ValueError(
                "The 'employee_id' parameter of Placement.explain must be an id of the scored "
                f"employees. Got {employee_id!r} instead."
                + (f" Did you mean {hint[0]!r}?" if hint else "")
            )
        return int(i)

    def explain(self, employee_id, *, k: int | None = 10) -> dict:
        """Why an employee is placed where they are (or not at all), with their alternatives.

        Parameters
        ----------
        employee_id : str
            An id of the scored employees.
        k : int or None, default=10
            How many alternatives to list, best composite first; None lists every position.

        Returns
        -------
        dict
            The employee's row of :meth:`to_frame` (``position_id``, ``score``, ``jpm``,
            ``category``, ``option_rank``, ``runner_up_id``, ``runner_up_score``,
            ``shadow_price``, ``reason_code``, ``reason``, ...) plus ``alternatives``, a
            DataFrame with one row per position (``position_id``, ``score``, ``jpm``,
            ``category``, ``eligible``, ``outcome``: why the employee is not there, e.g. the
            eligibility reasons, "forbidden", "below minimum", "outscored by ..."), and
            ``text``, a short readable account.

        Examples
        --------
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> scores = score(*synthetic_workforce(30, 6, seed=1))
        >>> why = assign(scores).explain(scores.employees.ids[0], k=3)
        >>> sorted(why)[:3], len(why["alternatives"]) <= 3
        (['alternatives', 'category', 'current_position_id'], True)
        """
        if k is not None and (isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1):
            raise _bad_param("k", "Placement.explain", "None or an int >= 1", k)
        i = self._employee_row(employee_id)
        frame = self.to_frame()
        row = frame.iloc[i].to_dict()
        row = {key: (None if value is pd.NA else value) for key, value in row.items()}
        row["alternatives"] = self._alternatives(i, k)
        row["text"] = self._story(i, row)
        return row

    def _alternatives(self, i: int, k: int | None) -> pd.DataFrame:
        scores, sol = self.scores, self.solution
        p_ids, e_ids = scores.positions.ids, scores.employees.ids
        m = p_ids.size
        values = scores.composite[i]
        p_rank = np.empty(m, dtype=np.intp)
        p_rank[self._position_order] = np.arange(m)
        order = np.lexsort((p_rank, -values))
        if k is not None:
            order = order[:k]
        own = sol.employee_position[i]
        filled = sol.seat_employee >= 0
        outcome = []
        for j in order.tolist():
            holders = sol.seat_employee[filled & (sol.seat_position == j)]
            free = int(np.count_nonzero(~filled & (sol.seat_position == j)))
            if j == own:
                outcome.append("placed here")
            elif not scores.eligible[i, j]:
                outcome.append("ineligible: " + "; ".join(scores.reason_text(i, int(j))))
            elif self._forbidden is not None and self._forbidden[i, j]:
                outcome.append("forbidden")
            elif not self.allowed[i, j]:
                outcome.append(f"below minimum ({self.options['minimum']})")
            elif self.seats[j] == 0:
                outcome.append("closed (0 seats)")
            elif free:
                outcome.append("a seat is free, but the placement scores higher overall")
            else:
                weakest = holders[np.argmin(scores.composite[holders, j])]
                theirs = scores.composite[weakest, j]
                if sol.employee_locked[weakest]:
                    outcome.append(f"seat locked for {e_ids[weakest]}")
                elif theirs >= values[j]:
                    outcome.append(
                        f"outscored by {e_ids[weakest]} ({_fmt(theirs)} vs {_fmt(values[j])})"
                    )
                else:
                    outcome.append(
                        f"held by {e_ids[weakest]} ({_fmt(theirs)}): the total is higher this way"
                    )
        labels = np.array(scores.config.category_labels, dtype=object)
        return pd.DataFrame(
            {
                "position_id": p_ids[order],
                "score": values[order],
                "jpm": scores.jpm[i, order],
                "category": labels[scores.category_code[i, order]],
                "eligible": scores.eligible[i, order],
                "outcome": outcome,
            }
        )

    def _story(self, i: int, row: dict) -> str:
        e_id = self.scores.employees.ids[i]
        if row["status"] == "placed":
            text = (
                f"{e_id} is placed at {row['position_id']} (seat {row['seat']}) with composite "
                f"{_fmt(row['score'])}, JPM {_fmt(row['jpm'])}% ({row['category']}); this is "
                f"option {row['option_rank']} of their allowed positions."
            )
            if row["locked"]:
                text += " The pair was locked."
            if row["runner_up_id"] is not None:
                text += (
                    f" The best other candidate for this position is {row['runner_up_id']} "
                    f"({_fmt(row['runner_up_score'])})."
                )
            if row["shadow_price"] is not None and np.isfinite(row["shadow_price"]):
                text += f" The seat's shadow price is {_fmt(row['shadow_price'])}."
            return text
        return f"{e_id} is not placed: {row['reason']}."

    def compare_current(self, *, by: Literal["employee", "unit"] = "employee") -> pd.DataFrame:
        """Compare the placement with who holds which position now.

        Parameters
        ----------
        by : {"employee", "unit"}, default="employee"
            One row per employee, or one per organisational unit of the positions (the
            positions' ``unit`` column).

        Returns
        -------
        DataFrame
            ``by="employee"``: ``employee_id``, ``current_position_id``, ``position_id`` (new),
            ``change`` ("stays", "moves", "leaves" = an incumbent left unplaced, "enters" = placed
            without a current position among the scored ones, "not placed"),
            ``current_score`` (composite in the current position), ``new_score`` and
            ``score_change`` (new - current; NaN where either side is missing).
            ``by="unit"``: ``unit``, ``holders_before``, ``holders_after``, ``score_before``,
            ``score_after`` (sums of the holders' composites), ``score_change``, ``mean_before``,
            ``mean_after``, ``stays``, ``moved_in``, ``moved_out``.

        Examples
        --------
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> placement = assign(score(*synthetic_workforce(40, 8, seed=2)))
        >>> per_unit = placement.compare_current(by="unit")
        >>> bool((per_unit["holders_after"] >= 0).all())
        True
        """
        if by not in ("employee", "unit"):
            raise _bad_param(
                "by", "Placement.compare_current", "a str among {'employee', 'unit'}", by
            )
        scores = self.scores
        values = scores.composite
        n = values.shape[0]
        rows = np.arange(n)
        new = self.solution.employee_position
        old = self.incumbent
        placed, incumbent = new >= 0, old >= 0
        current_score = (
            np.where(incumbent, values[rows, np.maximum(old, 0)], np.nan)
            if values.size
            else np.full(n, np.nan)
        )
        new_score = (
            np.where(placed, values[rows, np.maximum(new, 0)], np.nan)
            if values.size
            else np.full(n, np.nan)
        )
        change = np.select(
            [incumbent & (new == old), incumbent & placed, incumbent, placed],
            ["stays", "moves", "leaves", "enters"],
            default="not placed",
        ).astype(object)
        p_ids = np.asarray(scores.positions.ids, dtype=object)
        if by == "employee":
            return pd.DataFrame(
                {
                    "employee_id": np.asarray(scores.employees.ids, dtype=object),
                    "current_position_id": np.asarray(
                        scores.employees.current_position_id, dtype=object
                    ),
                    "position_id": np.where(
                        placed, p_ids[np.maximum(new, 0)] if p_ids.size else None, None
                    ),
                    "change": change,
                    "current_score": current_score,
                    "new_score": new_score,
                    "score_change": new_score - current_score,
                }
            )
        if "unit" not in scores.positions.info.columns:
            raise ValueError(
                "compare_current(by='unit') needs a 'unit' column in the positions table. Add "
                "it to the positions file, or use by='employee'."
            )
        unit_of = np.asarray(scores.positions.info["unit"], dtype=object)
        before = pd.DataFrame(
            {
                "unit": unit_of[old[incumbent]],
                "score": current_score[incumbent],
                "stays": (new == old)[incumbent],
            }
        )
        after = pd.DataFrame(
            {
                "unit": unit_of[new[placed]],
                "score": new_score[placed],
                "moved_in": (new != old)[placed],
            }
        )
        units = pd.Index(pd.unique(unit_of), name="unit")
        b = before.groupby("unit").agg(
            holders_before=("score", "size"), score_before=("score", "sum"), stays=("stays", "sum")
        )
        a = after.groupby("unit").agg(
            holders_after=("score", "size"),
            score_after=("score", "sum"),
            moved_in=("moved_in", "sum"),
        )
        table = pd.concat([b.reindex(units), a.reindex(units)], axis=1)
        counts = ["holders_before", "holders_after", "stays", "moved_in"]
        table[counts] = table[counts].fillna(0).astype(np.int64)
        table[["score_before", "score_after"]] = table[["score_before", "score_after"]].fillna(0.0)
        table["score_change"] = table["score_after"] - table["score_before"]
        for side in ("before", "after"):
            holders = table[f"holders_{side}"].to_numpy(dtype=float)
            with np.errstate(invalid="ignore", divide="ignore"):
                table[f"mean_{side}"] = table[f"score_{side}"].to_numpy() / holders
        table["moved_out"] = table["holders_before"] - table["stays"]
        columns = [
            "holders_before",
            "holders_after",
            "score_before",
            "score_after",
            "score_change",
            "mean_before",
            "mean_after",
            "stays",
            "moved_in",
            "moved_out",
        ]
        return table[columns].reset_index()

    # -- export -------------------------------------------------------------------------------
    def export(self, path) -> object:
        """Write :meth:`to_frame` to ``.csv``, ``.xlsx``, ``.json`` or ``.parquet``, atomically.

        Text cells that a spreadsheet would run as formulas are escaped
        (:func:`asn_match.io.write_table`).

        Parameters
        ----------
        path : str or os.PathLike
            The file; its extension chooses the format.

        Returns
        -------
        pathlib.Path
            The path written.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> placement = assign(score(*synthetic_workforce(20, 4, seed=1)))
        >>> out = placement.export(pathlib.Path(tempfile.mkdtemp()) / "placement.csv")
        >>> out.suffix
        '.csv'
        """
        from .io import write_table

        return write_table(self.to_frame(), path)

    def _export_as(self, path, suffixes: tuple[str, ...], method: str):
        if Path(path).suffix.lower() not in suffixes:
            raise _bad_param(
                "path", f"Placement.{method}", f"a path ending in {suffixes[0]}", str(path)
            )
        return self.export(path)

    def to_csv(self, path):
        """Write :meth:`to_frame` as CSV (see :meth:`export`); ``path`` must end in ``.csv``.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> placement = assign(score(*synthetic_workforce(20, 4, seed=1)))
        >>> placement.to_csv(pathlib.Path(tempfile.mkdtemp()) / "p.csv").name
        'p.csv'
        """
        return self._export_as(path, (".csv",), "to_csv")

    def to_excel(self, path):
        """Write :meth:`to_frame` as ``.xlsx`` (needs openpyxl; see :meth:`export`).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> placement = assign(score(*synthetic_workforce(20, 4, seed=1)))
        >>> placement.to_excel(pathlib.Path(tempfile.mkdtemp()) / "p.xlsx").name
        'p.xlsx'
        """
        return self._export_as(path, (".xlsx",), "to_excel")

    def to_json(self, path):
        """Write :meth:`to_frame` as a JSON array of records (see :meth:`export`).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> placement = assign(score(*synthetic_workforce(20, 4, seed=1)))
        >>> placement.to_json(pathlib.Path(tempfile.mkdtemp()) / "p.json").name
        'p.json'
        """
        return self._export_as(path, (".json",), "to_json")
