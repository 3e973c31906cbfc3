"""Shadow prices of a placement: what each seat is worth.

The price of a seat is the drop in the optimal objective if that seat were removed (the largest
dual price of the assignment problem, :func:`~asn_match.kernels.lap.assignment_prices`),
computed on the problem :func:`~asn_match.kernels.seating.solve_placement` saw. Prices exist for
the assignment solver's placements (``objective="total"`` without a binding ``max_moves``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .._checks import check_real
from ..tiebreak import TIEBREAK_KEY
from .inputs import canonical_orders, check_index_vector, check_placement_arrays
from .lap import assignment_prices, capacity_prices, seat_number
from .seating import PlacementSolution, SeatingProblem, build_problem
from .transport import max_weight_transport

__all__ = ["shadow_prices", "shadow_prices_ordered"]


def _prices(problem: SeatingProblem, solution: PlacementSolution) -> np.ndarray:
    """Shadow price of every seat of ``solution`` (see :func:`shadow_prices`)."""
    price = np.full(solution.seat_position.size, np.nan)
    if problem.capacity.sum() == 0:
        return price
    m = problem.weights.shape[1]
    position_price = np.empty(m)
    if solution.method == "capacity" and solution.solver_prices is not None:
        position_price[problem.position_order] = _capacity_prices(problem, solution)
    elif solution.method == "linear_sum_assignment":
        position_price[problem.position_order] = _expanded_prices(problem, solution)
    else:
        return price
    price = position_price[solution.seat_position]
    held = solution.seat_employee >= 0
    locked = np.zeros(price.size, dtype=bool)
    locked[held] = solution.employee_locked[solution.seat_employee[held]]
    price[locked] = np.nan
    return price


def _capacity_prices(problem: SeatingProblem, solution: PlacementSolution) -> np.ndarray:
    """Prices of the positions (canonical columns) from the capacity solver's duals.

    Without the stay tie-break the solver maximised the values themselves: its largest dual
    prices are the answer. With it, the solver's prices are those of ``W`` and within one
    quantum of the values' prices; the values' own largest prices follow from one capacity
    solve on the integer values started from them (every employee then already gets nearly
    their best position: the solve is a repair of the prices, not a new search).
    """
    solver_prices = np.asarray(solution.solver_prices)[problem.position_order]
    quantum = solution.score_quantum
    if quantum is None:
        return solver_prices
    gain = problem.gain()
    integer = np.rint(gain / quantum).astype(np.int64)
    warm = np.floor(solver_prices / quantum + 1e-9).clip(min=0).astype(np.int64)
    repaired = max_weight_transport(integer, problem.capacity, allowed=gain > 0, prices=warm)
    return repaired.position_prices * quantum


def _expanded_prices(problem: SeatingProblem, solution: PlacementSolution) -> np.ndarray:
    """Prices of the positions (canonical columns) on one column per seat (the dense path)."""
    m = problem.weights.shape[1]
    column_of = np.empty(m, dtype=np.intp)
    column_of[problem.position_order] = np.arange(m)
    row_of = np.full(solution.employee_position.size, -1, dtype=np.intp)
    row_of[problem.free_rows] = np.arange(problem.free_rows.size)
    # The solver's matching, re-expressed on its seat columns: identical seats are
    # interchangeable, so the k-th free holder of a position takes its k-th solver seat.
    holders = np.flatnonzero((row_of >= 0) & (solution.employee_position >= 0))
    cols = np.sort(column_of[solution.employee_position[holders]], kind="stable")
    holders = holders[np.argsort(column_of[solution.employee_position[holders]], kind="stable")]
    first_seat = np.cumsum(problem.capacity) - problem.capacity
    seat_c = first_seat[cols] + seat_number(np.bincount(cols, minlength=m))
    _, v = assignment_prices(problem.expand(problem.gain()), row_of[holders], seat_c)
    # Identical seats share one price (0 when one of them is empty): one per position.
    return capacity_prices(v, problem.capacity)


def shadow_prices(
    values: npt.ArrayLike,
    allowed: npt.ArrayLike,
    seats: npt.ArrayLike,
    solution: PlacementSolution,
    *,
    employee_ids: npt.ArrayLike | None = None,
    position_ids: npt.ArrayLike | None = None,
    incumbent: npt.ArrayLike | None = None,
    incumbent_bonus: float = 0.0,
    tie_break_key: bytes = TIEBREAK_KEY,
) -> np.ndarray:
    """Shadow price of every seat of an optimal placement (objective ``"total"``).

    The price of a seat is the drop in the optimal objective if that seat were removed (the
    largest dual price, Shapley and Shubik's assignment game; see
    :func:`~asn_match.kernels.lap.assignment_prices`), computed on the problem the solver saw:
    locked employees and their seats removed, the stay bonus included, the values quantised as
    the solver compared them (``solution.score_quantum``), in score units. The stay
    tie-break (``prefer_stay``) only chooses among optimal placements, so it does not enter the
    prices. Identical seats of a position share one price
    (:func:`~asn_match.kernels.lap.capacity_prices`); an empty seat is worth 0.

    Parameters
    ----------
    values, allowed, seats
        As given to :func:`~asn_match.kernels.seating.solve_placement`.
    solution : PlacementSolution
        Its result.
    employee_ids, position_ids, incumbent, incumbent_bonus, tie_break_key
        As given to :func:`~asn_match.kernels.seating.solve_placement`.

    Returns
    -------
    ndarray of shape (n_seats,), float64
        In the seat order of ``solution``. NaN for locked seats, and everywhere when the solution
        did not come from one assignment solve (objectives ``"fill_first"`` and
        ``"bottleneck"``, or a binding ``max_moves``): prices of those problems are not
        defined by a linear programme. From the capacity solver (the default) the prices are
        its dual prices, not a second solve.

    Examples
    --------
    >>> import numpy as np
    >>> from asn_match.kernels.seating import solve_placement
    >>> values = np.array([[90.0, 70.0], [85.0, 60.0], [50.0, 80.0]])
    >>> allowed = np.ones((3, 2), dtype=bool)
    >>> sol = solve_placement(values, allowed, [1, 1])
    >>> shadow_prices(values, allowed, [1, 1], sol).tolist()
    [90.0, 80.0]

    Without seat 0 the best total would be 80 (employee 2 in seat 1), 90 less than 170.
    """
    caller = "shadow_prices"
    bonus = check_real(incumbent_bonus, "incumbent_bonus", caller, minimum=0.0)
    values, allowed, seats = check_placement_arrays(values, allowed, seats, caller)
    n, m = values.shape
    incumbent = check_index_vector(incumbent, "incumbent", n, m, caller)
    employee_order, position_order = canonical_orders(
        n, m, employee_ids, position_ids, tie_break_key, caller
    )
    return shadow_prices_ordered(
        values, allowed, seats, solution, employee_order, position_order, incumbent, bonus
    )


def shadow_prices_ordered(
    values: np.ndarray,
    allowed: np.ndarray,
    seats: np.ndarray,
    solution: PlacementSolution,
    employee_order: np.ndarray,
    position_order: np.ndarray,
    incumbent: np.ndarray,
    bonus: float,
) -> np.ndarray:
    """:func:`shadow_prices` on checked inputs and the canonical orders the solve used.

    Returns a read-only array of shape (n_seats,).
    """
    is_locked = solution.employee_locked
    problem = build_problem(
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
    price = _prices(problem, solution)
    price.setflags(write=False)
    return price
