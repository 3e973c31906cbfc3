"""The array core of placement: employees into seats, with rules and prices.

Pure numpy/scipy on arrays: ``values`` of shape (n_employees, n_positions), ``allowed`` pairs,
``seats`` per position and optional incumbents and locks. :func:`solve_placement` finds the
placement and :func:`~asn_match.kernels.prices.shadow_prices` what each seat is worth;
:mod:`asn_match.kernels.reasons` says why each employee and seat ended as it did, and
:mod:`asn_match.kernels.movecap` solves the move-capped stage. :func:`asn_match.assign` turns
an analyst's rules on a :class:`~asn_match.scoring.Scores` into these arrays and words the result.

How the code runs: :func:`solve_placement` checks its inputs and the locks
(:func:`~asn_match.kernels.inputs.lock_problems`), puts rows and columns in canonical order,
then calls :func:`solve_ordered`, which builds the :class:`SeatingProblem` the solver sees (free
employees x positions, capacities, weights, the stay tie-break) and hands it to
:func:`solve_problem`, the one place where a solver is chosen.

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
:class:`~asn_match.errors.InfeasibleError` naming the incumbents who cannot stay. The MILP runs
under a time limit (``time_limit``, seconds); when it stops there, the best placement found is
returned with a proven upper bound on the objective and the relative gap
(:attr:`PlacementSolution.time_limit_reached`, :attr:`PlacementSolution.objective_bound`,
:attr:`PlacementSolution.optimality_gap`; see :mod:`asn_match.kernels.movecap`).

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
Every employee and every seat gets a reason code
(:func:`~asn_match.kernels.reasons.placement_reasons`) and
:class:`~asn_match.placement.Placement` words it with the ids involved. Under
``objective="total"`` each seat also has a shadow price
(:func:`~asn_match.kernels.prices.shadow_prices`): what the optimal objective would lose without
it.

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
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from .._checks import check_bool, check_choice, check_int, check_real, freeze_arrays
from ..errors import InfeasibleError, InputError
from ..rules import SCORE_DECIMALS
from ..tiebreak import TIEBREAK_KEY
from .capacity import solve_capacity, solver_weights
from .inputs import (
    canonical_orders,
    check_index_vector,
    check_placement_arrays,
    lock_pairs,
    lock_problems,
)
from .lap import (
    OBJECTIVES,
    Objective,
    bottleneck_level,
    expand_seats,
    lexicographic_matching,
    max_cardinality_matching,
    seat_number,
    solve_assignment,
)
from .movecap import Clock, MilpOutcome, lagrangian_stays, milp_most_stays, milp_objective

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "METHODS",
    "Method",
    "Objective",
    "PlacementSolution",
    "SeatingProblem",
    "Solved",
    "build_problem",
    "solve_ordered",
    "solve_placement",
    "solve_problem",
    "stay_quantum",
]


#: Scores are compared at this resolution (see the module docstring, "Determinism"), or more
#: coarsely by the stay tie-break ("Fewest moves among equal totals"): :data:`asn_match.rules.
#: SCORE_DECIMALS`, re-exported here.
#: Coarsest quantum of the stay tie-break (see the module docstring, "Fewest moves").
COARSEST_QUANTUM_DECIMALS = 4
#: Integers below this are exact in float64 sums with a factor 2 to spare.
_EXACT_INTEGER_LIMIT = 2.0**52
#: Default time limit, in seconds, of the move-capped MILP stage (see :mod:`.movecap`).
DEFAULT_TIME_LIMIT = 60.0
#: Solvers of a placement: positions with capacities (:mod:`.transport`), or one column per
#: seat on scipy's dense solver (the reference).
Method = Literal["capacity", "dense"]
METHODS: tuple[Method, ...] = get_args(Method)

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
    method : {"capacity", "linear_sum_assignment", "lexicographic", "lagrangian", "milp"}
        How it was solved: the capacity solver, scipy's dense solver (``method="dense"``),
        its lexicographic stages, the Lagrangian search of a binding ``max_moves`` or the MILP.
        Shadow prices exist for ``"capacity"`` and ``"linear_sum_assignment"`` under
        ``objective="total"`` only.
    score_quantum : float or None
        The quantum ``q`` on which the stay tie-break (``prefer_stay``) compared the values:
        scores closer than ``q`` counted as tied. None when the tie-break was off or no
        incumbent could stay; values were then compared at 1e-9 as floats.
    time_limit_reached : bool
        The move-capped MILP stage stopped on its time limit: the placement is the best found,
        not proven optimal (see :attr:`optimality_gap`).
    objective_bound : float or None
        A proven upper bound on the objective (the same units as :attr:`objective_value`):
        equal to it when the placement is optimal, None when a lexicographic stage stopped on
        the time limit before the total stage (no bound on the total is known then).
    optimality_gap : float or None
        ``(objective_bound - objective_value) / max(|objective_bound|, 1e-9)``: 0.0 when the
        placement is proven optimal, None when the bound is unknown.
    solver_prices : ndarray of shape (n_positions,), float64, or None
        The capacity solver's dual prices of the positions (input order, score units, locked
        seats removed), under ``objective="total"`` without a binding cap: the largest optimal
        prices of the values when the stay tie-break was off or idle (``score_quantum`` None),
        those of the tie-break weights over ``S + 1`` (within one quantum) when it was on.
        :func:`~asn_match.kernels.prices.shadow_prices` turns them into the seats' prices.
    """

    employee_position: np.ndarray
    employee_seat: np.ndarray
    employee_locked: np.ndarray
    seat_position: np.ndarray
    seat_number: np.ndarray
    seat_employee: np.ndarray
    objective_value: float
    method: str
    score_quantum: float | None = None
    time_limit_reached: bool = False
    objective_bound: float | None = None
    optimality_gap: float | None = 0.0
    solver_prices: np.ndarray | None = None

    def __post_init__(self) -> None:
        freeze_arrays(self)


@dataclass(frozen=True, eq=False)
class SeatingProblem:
    """The problem the solver sees: free employees x positions, both in canonical order.

    Built by :func:`solve_ordered` (locked employees and their seats removed, values rounded or
    quantised, the stay bonus added) and solved by :func:`solve_problem`.
    """

    free_rows: np.ndarray  # (n_free,) employee index of each canonical row
    position_order: np.ndarray  # (m,) position index of each canonical column
    capacity: np.ndarray  # (m,) seats left after the locks, canonical order
    weights: np.ndarray  # (n_free, m) rounded (or quantised) values plus the stay bonus
    allowed: np.ndarray  # (n_free, m) bool
    stay: np.ndarray  # (n_free, m) bool: the pair keeps an incumbent in place
    quantum: float | None = None  # q of the stay tie-break; None: rounded to 1e-9, floats
    tie_weights: np.ndarray | None = None  # (n_free, m) V * (S + 1) + stay, or None
    tie_unit: int = 1  # S + 1: one quantum of V in tie_weights (1 without them)

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


def build_problem(
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
) -> SeatingProblem:
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
                quantum = stay_quantum(weights, allowed_free, capacity, stayers.size, caller)
    tie_weights = None
    tie_unit = 1
    if quantum is not None:
        scale = 10.0 ** round(-np.log10(quantum))
        # Pairs that are not allowed may hold anything (NaN, huge numbers): never read.
        with np.errstate(over="ignore", invalid="ignore"):
            np.multiply(weights, scale, out=weights)
            np.rint(weights, out=weights)
            if prefer_stay and stayers.size:
                # W = V * (S + 1) + stay: all stays together weigh less than one quantum of V.
                tie_unit = stayers.size + 1
                tie_weights = weights * float(tie_unit)
                tie_weights[stayers, own] += 1.0
            np.divide(weights, scale, out=weights)
    return SeatingProblem(
        free_rows,
        position_order,
        capacity,
        weights,
        allowed_free,
        stay,
        quantum=quantum,
        tie_weights=tie_weights,
        tie_unit=tie_unit,
    )


def stay_quantum(weights, allowed, capacity, n_stayers: int, caller: str) -> float:
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


def solve_placement(
    values: npt.ArrayLike,
    allowed: npt.ArrayLike,
    seats: npt.ArrayLike,
    *,
    employee_ids: npt.ArrayLike | None = None,
    position_ids: npt.ArrayLike | None = None,
    locked: npt.ArrayLike | None = None,
    incumbent: npt.ArrayLike | None = None,
    incumbent_bonus: float = 0.0,
    max_moves: int | None = None,
    prefer_stay: bool = True,
    objective: Objective = "total",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    method: Method = "capacity",
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
    time_limit : float or None, default=60.0
        Seconds the move-capped MILP stage may run (all its calls together); None: no limit.
        When it stops there, the best placement found is returned with
        :attr:`PlacementSolution.time_limit_reached` set and the bound and gap it has.
    method : {"capacity", "dense"}, default="capacity"
        The solver: ``"capacity"`` keeps each position one node with its seats as capacity
        (:mod:`asn_match.kernels.transport`, exact on integer weights); ``"dense"`` gives scipy's
        dense solver one column per seat (the reference; far slower for many seats). Both
        reach the same optimum for every option.
    tie_break_key : bytes, default=TIEBREAK_KEY
        Key of the tie-break hash.

    Returns
    -------
    PlacementSolution

    Raises
    ------
    InputError
        If a lock is not allowed, an employee is locked twice, or a position gets more locks
        than seats (every mistake at once, from :func:`~asn_match.kernels.inputs.lock_problems`).
    InfeasibleError
        If ``max_moves`` cannot be met (it names the incumbents who cannot stay).
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
    values, allowed, seats = check_placement_arrays(values, allowed, seats, caller)
    n, m = values.shape
    employee_order, position_order = canonical_orders(
        n, m, employee_ids, position_ids, tie_break_key, caller
    )
    lock_rows, lock_cols = lock_pairs(locked, (n, m), caller)
    found = lock_problems(
        lock_rows,
        lock_cols,
        seats,
        allowed=allowed,
        employee_ids=None if employee_ids is None else np.asarray(employee_ids, dtype=object),
        position_ids=None if position_ids is None else np.asarray(position_ids, dtype=object),
    )
    if found:
        raise InputError(found)
    return solve_ordered(
        values,
        allowed,
        seats,
        employee_order,
        position_order,
        lock_rows=lock_rows,
        lock_cols=lock_cols,
        incumbent=incumbent,
        incumbent_bonus=incumbent_bonus,
        max_moves=max_moves,
        prefer_stay=prefer_stay,
        objective=objective,
        time_limit=time_limit,
        method=method,
        caller=caller,
    )


def solve_ordered(
    values: np.ndarray,
    allowed: np.ndarray,
    seats: np.ndarray,
    employee_order: np.ndarray,
    position_order: np.ndarray,
    *,
    lock_rows: np.ndarray,
    lock_cols: np.ndarray,
    incumbent: npt.ArrayLike | None = None,
    incumbent_bonus: float = 0.0,
    max_moves: int | None = None,
    prefer_stay: bool = True,
    objective: Objective = "total",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    method: Method = "capacity",
    caller: str = "solve_placement",
) -> PlacementSolution:
    """:func:`solve_placement` on checked arrays, valid locks and the canonical orders.

    For callers that checked the locks themselves
    (:func:`~asn_match.kernels.inputs.lock_problems`) and computed the orders once (e.g.
    :func:`asn_match.assign`, which reuses them for reasons and prices).

    Parameters
    ----------
    values : ndarray of float64 of shape (n_employees, n_positions)
    allowed : ndarray of bool of shape (n_employees, n_positions)
    seats : ndarray of int of shape (n_positions,)
    employee_order, position_order : ndarray of int
        :func:`~asn_match.tiebreak.canonical_order` of the ids (or ``arange``).
    lock_rows, lock_cols : ndarray of int of shape (n_locked,)
        Valid locks (no mistake :func:`~asn_match.kernels.inputs.lock_problems` would report).
    incumbent, incumbent_bonus, max_moves, prefer_stay, objective, time_limit, method
        As for :func:`solve_placement`.
    caller : str
        The public function, for messages.

    Returns
    -------
    PlacementSolution
    """
    objective = check_choice(objective, "objective", caller, OBJECTIVES)
    bonus = check_real(incumbent_bonus, "incumbent_bonus", caller, minimum=0.0)
    max_moves = check_int(max_moves, "max_moves", caller, minimum=0, allow_none=True)
    prefer_stay = check_bool(prefer_stay, "prefer_stay", caller)
    time_limit = check_real(time_limit, "time_limit", caller, minimum=0.0, allow_none=True)
    method = check_choice(method, "method", caller, METHODS)
    n, m = values.shape
    incumbent = check_index_vector(incumbent, "incumbent", n, m, caller)
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

    problem = build_problem(
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
    solved = solve_problem(problem, min_stays, objective, Clock(time_limit), method)

    employee_position = np.full(n, -1, dtype=np.intp)
    employee_position[lock_rows] = lock_cols
    employee_position[problem.free_rows[solved.rows]] = problem.position_order[solved.cols]
    employee_rank = np.empty(n, dtype=np.intp)
    employee_rank[employee_order] = np.arange(n)
    seat_position, seat_numbers, seat_employee, employee_seat = _number_seats(
        employee_position, employee_rank, seats
    )
    placed = np.flatnonzero(employee_position >= 0)
    stays = int(np.count_nonzero(incumbent[placed] == employee_position[placed]))
    value = float(values[placed, employee_position[placed]].sum() + bonus * stays)
    bound: float | None = value
    gap: float | None = 0.0
    if solved.outcome is not None and solved.outcome.time_limit_reached:
        if solved.outcome.bound is None:
            bound, gap = None, None
        else:
            locked_value = float(values[lock_rows, lock_cols].sum()) + bonus * float(
                np.count_nonzero(incumbent[lock_rows] == lock_cols)
            )
            bound = max(value, solved.outcome.bound + locked_value)
            gap = (bound - value) / max(abs(bound), 1e-9)
    return PlacementSolution(
        employee_position=employee_position,
        employee_seat=employee_seat,
        employee_locked=is_locked,
        seat_position=seat_position,
        seat_number=seat_numbers,
        seat_employee=seat_employee,
        objective_value=value,
        method=solved.method,
        score_quantum=problem.quantum,
        time_limit_reached=solved.outcome is not None and solved.outcome.time_limit_reached,
        objective_bound=bound,
        optimality_gap=gap,
        solver_prices=_input_order(solved.prices, problem.position_order),
    )


def _input_order(prices: np.ndarray | None, position_order: np.ndarray) -> np.ndarray | None:
    """Canonical-column prices put back in the input order of the positions."""
    if prices is None:
        return None
    result = np.empty(position_order.size)
    result[position_order] = prices
    return result


def _stays_possible(free_rows, incumbent, allowed, capacity):
    """Most incumbents among ``free_rows`` who can stay, and those who cannot stay at all."""
    held = incumbent[free_rows]
    has = held >= 0
    rows, held = free_rows[has], held[has]
    can_stay = allowed[rows, held] & (capacity[held] > 0)
    per_position = np.bincount(held[can_stay], minlength=capacity.size)
    return int(np.minimum(per_position, capacity).sum()), np.sort(rows[~can_stay])


@dataclass(frozen=True, eq=False)
class Solved:
    """What :func:`solve_problem` found, in the canonical indices of the problem.

    Attributes
    ----------
    rows, cols : ndarray of shape (n_pairs,), intp
        The placed pairs: free employee (row of the problem) and position (canonical column).
    method : {"capacity", "linear_sum_assignment", "lexicographic", "lagrangian", "milp"}
    outcome : MilpOutcome or None
        The move-capped stage's result (time limit, bound) when it ran.
    prices : ndarray of shape (m,), float64, or None
        The capacity solver's largest dual prices of the positions (canonical columns), in score
        units (see :attr:`PlacementSolution.solver_prices`); None from the other solvers.
    """

    rows: np.ndarray
    cols: np.ndarray
    method: str
    outcome: MilpOutcome | None = None
    prices: np.ndarray | None = None


def solve_problem(
    problem: SeatingProblem,
    min_stays: int,
    objective: Objective,
    clock: Clock,
    method: Method = "capacity",
) -> Solved:
    """Solve the canonical problem: the one place where a solver is chosen.

    First without the move cap. ``method="capacity"``: the capacity solver
    (:func:`~asn_match.kernels.transport.max_weight_transport`) on exact integer weights, one
    node per position (see :func:`solve_capacity`). ``method="dense"``: one column per seat,
    one assignment solve on the gains for ``"total"`` and
    :func:`~asn_match.kernels.lap.lexicographic_matching` for the other objectives (on the tie
    weights W with ``prefer_stay``). When that placement keeps fewer than ``min_stays``
    incumbents in place, the move-capped stage of :mod:`asn_match.kernels.movecap` takes over:
    for ``"total"`` on the capacity path first a Lagrangian search (exact when it lands on the
    cap), then the MILP.

    Parameters
    ----------
    problem : SeatingProblem
    min_stays : int
        Fewest incumbents who must stay (0: no cap binds).
    objective : {"total", "fill_first", "bottleneck"}
    clock : Clock
        Time left to the MILP stage.
    method : {"capacity", "dense"}, default="capacity"

    Returns
    -------
    Solved
    """
    n, m = problem.weights.shape
    if method == "capacity":
        label = "capacity"
    else:
        label = "linear_sum_assignment" if objective == "total" else "lexicographic"
    if n == 0 or problem.capacity.sum() == 0:
        # Nobody to place or no seat: every seat is free, so every price is 0.
        prices = np.zeros(m) if method == "capacity" and objective == "total" else None
        return Solved(np.empty(0, np.intp), np.empty(0, np.intp), label, prices=prices)
    tie = problem.tie_weights is not None
    prices = None
    if method == "capacity":
        rows, cols, prices = solve_capacity(problem, objective)
    else:
        rows, cols = _solve_dense(problem, objective)
    if min_stays <= 0 or int(np.count_nonzero(problem.stay[rows, cols])) >= min_stays:
        return Solved(rows, cols, label, prices=prices if objective == "total" else None)
    upper = float(problem.weights[rows, cols].sum()) if objective == "total" else np.inf
    lagrangian = None
    if method == "capacity" and objective == "total":
        weights = solver_weights(problem)
        useful = problem.allowed & (problem.stay | (weights > 0))
        quantum = problem.quantum or 10.0**-SCORE_DECIMALS
        lagrangian = lagrangian_stays(
            weights,
            useful,
            problem.capacity,
            problem.stay,
            min_stays,
            problem.weights,
            unit=problem.tie_unit if weights.dtype.kind == "i" else quantum,
            quantum=quantum,
            clock=clock,
            prices=prices,
            placed=(rows, cols),
        )
        if lagrangian.bound is not None and lagrangian.bound <= float(
            problem.weights[lagrangian.rows, lagrangian.cols].sum()
        ):
            if lagrangian.candidates is None:  # landed on the cap: the most stays too
                return Solved(lagrangian.rows, lagrangian.cols, "lagrangian", lagrangian)
            # proven by the MILP on the pairs the reduced costs allow; then the most stays
            proven = lagrangian
            if tie:
                assert problem.quantum is not None  # the stay tie-break sets q
                proven = milp_most_stays(
                    problem.weights,
                    problem.allowed & lagrangian.candidates,
                    problem.capacity,
                    problem.stay,
                    proven,
                    objective,
                    problem.quantum,
                    clock,
                )
            return Solved(proven.rows, proven.cols, "milp", proven)
        if lagrangian.bound is not None:
            upper = min(upper, lagrangian.bound)
    found = milp_objective(
        problem.weights,
        problem.allowed,
        problem.capacity,
        problem.stay,
        min_stays,
        objective,
        clock,
        upper=upper,
    )
    if found is None:  # excluded by _stays_possible
        raise InfeasibleError(
            f"No placement keeps {min_stays} incumbents in place. Raise max_moves."
        )
    if tie:
        assert problem.quantum is not None  # the stay tie-break sets q
        found = milp_most_stays(
            problem.weights,
            problem.allowed,
            problem.capacity,
            problem.stay,
            found,
            objective,
            problem.quantum,
            clock,
        )
    if lagrangian is not None and found.time_limit_reached:
        # Out of time: the better of the two feasible placements, under the tighter bound.
        found_total = float(problem.weights[found.rows, found.cols].sum())
        lagrangian_total = float(problem.weights[lagrangian.rows, lagrangian.cols].sum())
        bound = found.bound if lagrangian.bound is None else lagrangian.bound
        if found.bound is not None and lagrangian.bound is not None:
            bound = min(found.bound, lagrangian.bound)
        if lagrangian_total > found_total:
            found = lagrangian
        found = MilpOutcome(found.rows, found.cols, True, bound)
    return Solved(found.rows, found.cols, "milp", found)


def _solve_dense(problem: SeatingProblem, objective: Objective) -> tuple[np.ndarray, np.ndarray]:
    """The reference path: one column per seat, scipy's dense solver; (rows, cols)."""
    seat_column = expand_seats(problem.capacity)
    if objective == "total":
        # The best partial matching is a full rectangular assignment on the gains (allowed
        # pairs worth > 0, others 0) with the zero-gain pairs dropped; the proof is in
        # max_weight_matching. Building the negated cost here saves two full-size copies.
        gain = problem.tie_gain() if problem.tie_weights is not None else problem.gain()
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
            # on the values alone, so that the stay tie-break cannot change the level
            level = bottleneck_level(
                problem.expand(problem.weights),
                problem.expand(allowed),
                lambda mask: max_cardinality_matching(mask)[0].size,
            )
            allowed = allowed & (problem.weights >= (np.inf if level is None else level))
        expanded = problem.expand(np.where(allowed, problem.tie_weights, -np.inf))
        rows, seats_c = lexicographic_matching(expanded, objective="fill_first")
    return rows, seat_column[seats_c]


def _number_seats(employee_position, employee_rank, seats):
    """Seat arrays: per position, filled seats first, in the canonical order of their holders."""
    seat_position = expand_seats(seats)
    first_seat = np.cumsum(seats) - seats
    seat_numbers = seat_number(seats)
    seat_employee = np.full(seat_position.size, -1, dtype=np.intp)
    employee_seat = np.full(employee_position.size, -1, dtype=np.intp)
    placed = np.flatnonzero(employee_position >= 0)
    if placed.size:
        order = placed[np.lexsort((employee_rank[placed], employee_position[placed]))]
        pos = employee_position[order]
        within = seat_number(np.bincount(pos, minlength=seats.size))
        seat_employee[first_seat[pos] + within] = order
        employee_seat[order] = within
    return seat_position, seat_numbers, seat_employee, employee_seat
