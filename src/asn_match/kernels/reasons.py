"""Why each employee and seat of a placement ended as it did: reason codes, runner-ups, ranks.

Pure numpy on arrays, after :func:`~asn_match.kernels.seating.solve_placement`: every employee
gets an :class:`EmployeeReason` and every seat a :class:`SeatReason` (:func:`placement_reasons`),
each position its best candidate not placed there, or not placed at all (:func:`runner_up`), each
placed employee the rank of their position among their options (:func:`option_rank`) and their
standing among the position's candidates (:func:`candidate_standing`).
:class:`~asn_match.placement.Placement` words the codes with the ids involved, e.g. "outscored by
198609262015051001 at POS-00012 (91.20 vs 88.75)"; the short texts are :data:`EMPLOYEE_REASONS`
and :data:`SEAT_REASONS`, one table each.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

from ..rules import RANK_DECIMALS

if TYPE_CHECKING:
    from .seating import PlacementSolution

__all__ = [
    "EMPLOYEE_REASONS",
    "SEAT_REASONS",
    "EmployeeReason",
    "PlacementReasons",
    "SeatReason",
    "candidate_standing",
    "option_rank",
    "placement_reasons",
    "reason_texts",
    "runner_up",
]


class EmployeeReason(IntEnum):
    """Why an employee is placed or not (:attr:`PlacementReasons.employee_code`)."""

    #: Placed by the optimisation.
    PLACED = 0
    #: Placed because the pair was locked.
    LOCKED = 1
    #: Eligible nowhere (among positions with seats).
    NO_ELIGIBLE_POSITION = 2
    #: Every eligible position is forbidden.
    ALL_FORBIDDEN = 3
    #: Every eligible, non-forbidden pair is under ``min_score`` / ``min_category``.
    BELOW_MINIMUM = 4
    #: The seats of the best option went to someone with at least the same score.
    OUTSCORED = 5
    #: The best option's seats are held by locked pairs.
    SEAT_LOCKED = 6
    #: An incumbent kept the seat (bonus or move limit) over a higher score.
    INCUMBENT_KEPT = 7
    #: The seats went to others because the total is higher that way.
    TAKEN_BY_HIGHER_TOTAL = 8
    #: An allowed seat is free, but the pair adds nothing to the objective.
    NO_GAIN = 9


class SeatReason(IntEnum):
    """Why a seat is filled or not (:attr:`PlacementReasons.seat_code`)."""

    FILLED = 0
    LOCKED = 1
    NO_ELIGIBLE_CANDIDATE = 2
    ALL_FORBIDDEN = 3
    ALL_BELOW_MINIMUM = 4
    #: Every allowed candidate holds a seat elsewhere.
    PLACED_ELSEWHERE = 5
    #: An allowed candidate is free, but the pair adds nothing to the objective.
    NO_GAIN = 6


#: The short text of each employee reason (the ``reason_code`` column of placement frames).
EMPLOYEE_REASONS: dict[EmployeeReason, str] = {
    EmployeeReason.PLACED: "placed",
    EmployeeReason.LOCKED: "locked",
    EmployeeReason.NO_ELIGIBLE_POSITION: "no eligible position",
    EmployeeReason.ALL_FORBIDDEN: "all eligible positions forbidden",
    EmployeeReason.BELOW_MINIMUM: "below minimum",
    EmployeeReason.OUTSCORED: "outscored",
    EmployeeReason.SEAT_LOCKED: "seat locked",
    EmployeeReason.INCUMBENT_KEPT: "incumbent kept",
    EmployeeReason.TAKEN_BY_HIGHER_TOTAL: "taken by higher total",
    EmployeeReason.NO_GAIN: "no gain",
}
#: The short text of each seat reason (the ``reason_code`` column of unfilled seats).
SEAT_REASONS: dict[SeatReason, str] = {
    SeatReason.FILLED: "filled",
    SeatReason.LOCKED: "locked",
    SeatReason.NO_ELIGIBLE_CANDIDATE: "no eligible candidate",
    SeatReason.ALL_FORBIDDEN: "all eligible candidates forbidden",
    SeatReason.ALL_BELOW_MINIMUM: "all candidates below minimum",
    SeatReason.PLACED_ELSEWHERE: "candidates placed elsewhere",
    SeatReason.NO_GAIN: "no gain",
}


def reason_texts(codes: np.ndarray, table: dict) -> np.ndarray:
    """The short text of every code, as an object array of the shape of ``codes``.

    Examples
    --------
    >>> reason_texts(np.array([0, 5], np.int8), EMPLOYEE_REASONS).tolist()
    ['placed', 'outscored']
    """
    lookup = np.array([table[code] for code in sorted(table)], dtype=object)
    return lookup[np.asarray(codes, dtype=np.intp)]


def _column_blocks(n_rows: int, n_cols: int, budget: int = 1 << 22):
    """Column slices whose (n_rows, width) blocks hold about ``budget`` elements."""
    width = max(1, budget // max(n_rows, 1))
    for start in range(0, n_cols, width):
        yield slice(start, min(start + width, n_cols))


def runner_up(values, allowed, employee_position, *, order=None, available_only=False):
    """For each position, the best allowed candidate not placed there (or not placed at all).

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
    available_only : bool, default=False
        Skip every placed candidate, not only those placed at the position: the best candidate
        who is still available (what a panel asks for when the holder cannot serve).

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
    >>> cand, score = runner_up(values, np.ones((3, 2), bool), np.array([0, -1, 1]),
    ...                         available_only=True)
    >>> cand.tolist(), score.tolist()
    ([1, 1], [85.0, 60.0])
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
        if available_only:
            masked[rank[placed]] = -np.inf
        best = np.argmax(masked, axis=0)
        best_score = masked[best, np.arange(best.size)]
        found = best_score > -np.inf
        candidate[block][found] = rows[best[found]]
        score[block][found] = best_score[found]
    return candidate, score


def candidate_standing(values, allowed, employee_position):
    """Where each placed employee stands among the candidates of their position.

    Scores are compared at :data:`~asn_match.rules.RANK_DECIMALS` decimals, as every ranking.

    Parameters
    ----------
    values : array-like of shape (n_employees, n_positions)
    allowed : array-like of bool of shape (n_employees, n_positions)
    employee_position : array-like of int of shape (n_employees,)
        Position of each employee, -1 when unplaced.

    Returns
    -------
    rank : ndarray of shape (n_employees,), int64
        1 + the number of allowed candidates of the position with a strictly higher score
        (competition ranking; 1 = best); 0 for unplaced employees.
    candidates : ndarray of shape (n_employees,), int64
        How many allowed candidates the position has (the employee included); 0 when unplaced.
    higher_elsewhere : ndarray of shape (n_employees,), int64
        How many of the candidates with a strictly higher score were placed in other positions;
        0 when unplaced.

    Examples
    --------
    >>> import numpy as np
    >>> values = np.array([[90.0, 70.0], [85.0, 60.0], [50.0, 80.0]])
    >>> rank, candidates, higher = candidate_standing(
    ...     values, np.ones((3, 2), bool), np.array([1, 0, -1]))
    >>> rank.tolist(), candidates.tolist(), higher.tolist()
    ([2, 2, 0], [3, 3, 0], [0, 1, 0])
    """
    values = np.round(np.asarray(values, dtype=np.float64), RANK_DECIMALS)
    allowed = np.asarray(allowed, dtype=bool)
    employee_position = np.asarray(employee_position, dtype=np.intp)
    n, m = values.shape
    rank = np.zeros(n, dtype=np.int64)
    candidates = np.zeros(n, dtype=np.int64)
    higher_elsewhere = np.zeros(n, dtype=np.int64)
    placed = np.flatnonzero(employee_position >= 0)
    elsewhere_of = employee_position >= 0
    step = max(1, (1 << 22) // max(n, 1))
    for start in range(0, placed.size, step):
        rows = placed[start : start + step]
        cols = employee_position[rows]
        column = values[:, cols]  # (n, block): every candidate's score at each row's position
        can = allowed[:, cols]
        higher = can & (column > values[rows, cols][None, :])
        rank[rows] = 1 + np.count_nonzero(higher, axis=0)
        candidates[rows] = np.count_nonzero(can, axis=0)
        elsewhere = elsewhere_of[:, None] & (employee_position[:, None] != cols[None, :])
        higher_elsewhere[rows] = np.count_nonzero(higher & elsewhere, axis=0)
    return rank, candidates, higher_elsewhere


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
        An :class:`EmployeeReason` code.
    employee_other : ndarray of shape (n_employees,), intp
        The employee the reason names (who outscored them, who holds the locked seat, ...), -1
        if none.
    employee_at : ndarray of shape (n_employees,), intp
        The position the reason is about (the employee's best allowed option), -1 if none.
    seat_code : ndarray of shape (n_seats,), int8
        A :class:`SeatReason` code.
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
    >>> from asn_match.kernels.seating import solve_placement
    >>> sol = solve_placement(values, allowed, [1, 1])
    >>> reasons = placement_reasons(values, allowed, allowed, sol)
    >>> [EmployeeReason(c).name for c in reasons.employee_code]
    ['PLACED', 'OUTSCORED', 'PLACED']
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

    employee_code = np.where(locked, EmployeeReason.LOCKED, EmployeeReason.PLACED).astype(np.int8)
    employee_other = np.full(n, -1, dtype=np.intp)
    employee_at = np.full(n, -1, dtype=np.intp)
    unplaced = np.flatnonzero(position < 0)
    if unplaced.size:
        # Only positions with seats count as options: a closed position is no alternative.
        has_seats = np.bincount(seat_position, minlength=m) > 0
        eligible_u = eligible[unplaced] & has_seats
        open_u = eligible_u if forbidden is None else eligible_u & ~np.asarray(forbidden)[unplaced]
        allowed_u = allowed[unplaced] & has_seats
        code = np.full(unplaced.size, EmployeeReason.TAKEN_BY_HIGHER_TOTAL, dtype=np.int8)
        code[~allowed_u.any(axis=1)] = EmployeeReason.BELOW_MINIMUM
        code[~open_u.any(axis=1)] = EmployeeReason.ALL_FORBIDDEN
        code[~eligible_u.any(axis=1)] = EmployeeReason.NO_ELIGIBLE_POSITION
        contested = np.flatnonzero(code == EmployeeReason.TAKEN_BY_HIGHER_TOTAL)
        if contested.size:
            masked = np.where(allowed_u[contested], values[unplaced[contested]], -np.inf)
            best = _canonical_argmax(masked, p_order, axis=1)
            own = values[unplaced[contested], best]
            weakest, weakest_value, free, all_locked = _occupancy(values, solution, e_rank, m)
            sub = np.full(contested.size, EmployeeReason.TAKEN_BY_HIGHER_TOTAL, dtype=np.int8)
            holder = weakest[best]
            holder_value = weakest_value[best]
            stays = (holder >= 0) & (incumbent[np.maximum(holder, 0)] == best)
            sub[stays] = EmployeeReason.INCUMBENT_KEPT
            sub[holder_value >= own] = EmployeeReason.OUTSCORED
            sub[all_locked[best]] = EmployeeReason.SEAT_LOCKED
            sub[free[best] > 0] = EmployeeReason.NO_GAIN
            code[contested] = sub
            other = np.where(sub == EmployeeReason.NO_GAIN, -1, holder)
            if all_locked[best].any():
                locked_holder = _any_holder(solution, m)
                other = np.where(sub == EmployeeReason.SEAT_LOCKED, locked_holder[best], other)
            employee_other[unplaced[contested]] = other
            employee_at[unplaced[contested]] = best
        employee_code[unplaced] = code

    seat_code = np.where(
        seat_employee >= 0, SeatReason.FILLED, SeatReason.NO_ELIGIBLE_CANDIDATE
    ).astype(np.int8)
    if n:
        seat_code[(seat_employee >= 0) & locked[np.maximum(seat_employee, 0)]] = SeatReason.LOCKED
    seat_other = np.full(seat_position.size, -1, dtype=np.intp)
    seat_at = np.full(seat_position.size, -1, dtype=np.intp)
    open_seats = np.flatnonzero(seat_employee < 0)
    if open_seats.size and n == 0:
        seat_code[open_seats] = SeatReason.NO_ELIGIBLE_CANDIDATE
    elif open_seats.size:
        cols = np.unique(seat_position[open_seats])
        # Candidates are the employees not already holding a seat of the same position.
        elsewhere = position[:, None] != cols[None, :]
        eligible_c = eligible[:, cols] & elsewhere
        open_c = eligible_c if forbidden is None else eligible_c & ~np.asarray(forbidden)[:, cols]
        allowed_c = allowed[:, cols] & elsewhere
        code = np.full(cols.size, SeatReason.PLACED_ELSEWHERE, dtype=np.int8)
        code[~allowed_c.any(axis=0)] = SeatReason.ALL_BELOW_MINIMUM
        code[~open_c.any(axis=0)] = SeatReason.ALL_FORBIDDEN
        code[~eligible_c.any(axis=0)] = SeatReason.NO_ELIGIBLE_CANDIDATE
        masked = np.where(allowed_c, values[:, cols], -np.inf)
        best = _canonical_argmax(masked, e_order, axis=0)
        free_candidate = (allowed_c & (position < 0)[:, None]).any(axis=0)
        code[(code == SeatReason.PLACED_ELSEWHERE) & free_candidate] = SeatReason.NO_GAIN
        has_candidate = (code == SeatReason.PLACED_ELSEWHERE) | (code == SeatReason.NO_GAIN)
        col_index = np.searchsorted(cols, seat_position[open_seats])
        seat_code[open_seats] = code[col_index]
        best_cand = np.where(has_candidate, best, -1)
        if free_candidate.any():  # name the best free candidate, the one who could take it
            masked[position >= 0, :] = -np.inf
            best_free = _canonical_argmax(masked, e_order, axis=0)
            best_cand = np.where(code == SeatReason.NO_GAIN, best_free, best_cand)
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
