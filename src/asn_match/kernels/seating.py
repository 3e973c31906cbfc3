"""The array core of placement: employees into seats, with rules, reasons and prices.

Pure numpy/scipy on arrays: ``values`` of shape (n_employees, n_positions), ``allowed`` pairs,
``seats`` per position and optional incumbents and locks. :func:`solve_placement` finds the
placement, :func:`seat_prices` what each seat is worth, :func:`runner_up`, :func:`option_rank` and
:func:`placement_reasons` why each employee and seat ended as it did.
:func:`asn_match.assign` turns an analyst's rules on a :class:`~asn_match.scoring.Scores` into
these arrays and words the result.

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
:data:`SEAT_REASONS`; :func:`placement_reasons`) and :class:`~asn_match.placement.Placement`
words it with the ids involved, e.g. "outscored by 198609262015051001 at POS-00012 (91.20 vs
88.75)". Under ``objective="total"`` each seat also has a shadow price (:func:`seat_prices`):
what the optimal objective would lose without it.

Determinism
-----------
Rows and columns are put in the canonical order of :func:`~asn_match.tiebreak.canonical_order`
(keyed BLAKE2b of the ids) before solving, and scores are rounded to 1e-9, or to the quantum of
the stay tie-break (so that last-bit differences of floating point cannot break a tie
differently), so the placement depends only on the data and the ids, never on the row order of
the input nor on the digits of a NIP.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, vstack

from ..errors import InfeasibleError
from ..tiebreak import TIEBREAK_KEY, canonical_order
from .lap import (
    OBJECTIVES,
    Objective,
    assignment_prices,
    expand_seats,
    lexicographic_matching,
    max_cardinality_matching,
    solve_assignment,
)

__all__ = [
    "EMPLOYEE_REASONS",
    "SEAT_REASONS",
    "Objective",
    "PlacementReasons",
    "PlacementSolution",
    "option_rank",
    "placement_reasons",
    "runner_up",
    "seat_prices",
    "solve_placement",
]


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


def _check_objective(objective, caller: str) -> Objective:
    if not isinstance(objective, str) or objective not in OBJECTIVES:
        raise _bad_param(
            "objective", caller, f"a str among {{{', '.join(map(repr, OBJECTIVES))}}}", objective
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
        tie_weights = self.tie_weights
        assert tie_weights is not None  # called only with the stay tie-break on
        useful = self.allowed & (tie_weights > 0)
        return np.where(useful, tie_weights, 0.0)

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


def _solve_problem(problem: _Problem, min_stays: int, objective: Objective):
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
    elif problem.tie_weights is None:
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


def _milp_most_stays(problem: _Problem, found, objective: Objective):
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
    quantum = problem.quantum
    assert quantum is not None  # the stay tie-break, which alone calls this, sets q
    scale = 10.0 ** round(-np.log10(quantum))

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
    return _seat_prices_ordered(
        values, allowed, seats, solution, employee_order, position_order, incumbent, bonus
    )


def _seat_prices_ordered(
    values, allowed, seats, solution, employee_order, position_order, incumbent, bonus
) -> np.ndarray:
    """:func:`seat_prices` on checked inputs and the canonical orders the solve used."""
    is_locked = solution.employee_locked
    problem = _build_problem(
        values,
        allowed,
        seats,
        employee_order,
        position_order,
        is_locked,
        solution.employee_position[is_locked],
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
