"""Placement on scored tables: :func:`assign` and its self-explaining :class:`Placement`.

:func:`assign` reads a :class:`~asn_match.scoring.Scores`, turns the analyst's rules (seats,
minimum score or category, locked and forbidden pairs, incumbents, objective) into arrays, solves
them with the array core :mod:`asn_match.kernels.seating` (whose docstring gives the optimisation,
the handling of incumbents, the fewest-moves tie-break and the determinism rules) and returns a
:class:`Placement` that lists every employee and every seat with its reason.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, cast

import numpy as np
import pandas as pd

from .errors import InfeasibleError, InputError, Problem
from .kernels.lap import Objective
from .kernels.seating import (
    EMPLOYEE_REASONS,
    SCORE_DECIMALS,
    SEAT_REASONS,
    _bad_param,
    _seat_prices_ordered,
    _solve_ordered,
    option_rank,
    placement_reasons,
    runner_up,
)
from .tiebreak import TIEBREAK_KEY, canonical_order

__all__ = ["Placement", "assign"]


_CALLER = "assign"
#: The fill of object columns: np.where takes a bare None as this too, numpy's stubs do not.
_NONE = np.array(None, dtype=object)


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
        pd.Index(pd.Series(scores.employees.current_position_id, dtype=object).astype(str))
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
            prices = _seat_prices_ordered(
                np.asarray(self.scores.composite, dtype=np.float64),
                self.allowed,
                self.seats,
                self.solution,
                self._employee_order,
                self._position_order,
                self.incumbent,
                self.options["incumbent_bonus"],
            )
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
            "position_id": np.where(placed, p_ids[safe] if p_ids.size else _NONE, _NONE),
            "seat": pd.array(np.where(placed, sol.employee_seat + 1, 0), dtype="Int64"),
            "status": np.where(placed, "placed", "unplaced").astype(object),
            "score": on_placed(scores.composite, np.nan),
            "jpm": on_placed(scores.jpm, np.nan),
            "category": np.where(
                placed, labels[on_placed(scores.category_code, 0).astype(int)], _NONE
            ),
            "option_rank": pd.array(self.option_rank, dtype="Int64"),
            "runner_up_id": np.where(
                runner >= 0, e_ids[np.maximum(runner, 0)] if n else _NONE, _NONE
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
                "runner_up_id": np.where(has, e_ids[np.maximum(cand, 0)] if n else _NONE, _NONE),
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
        # the columns are unique (built above), so get_loc gives an int
        at = cast(int, result.columns.get_loc("position_id")) + 1
        position_of_row = _id_index(p_ids).get_indexer(pd.Index(result["position_id"].astype(str)))
        for column in ("unit", "title"):
            if column in info_p.columns:
                values = np.asarray(info_p[column], dtype=object)
                result.insert(
                    at,
                    column,
                    np.where(
                        position_of_row >= 0,
                        values[np.maximum(position_of_row, 0)] if values.size else _NONE,
                        _NONE,
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
        i = index.get_indexer(pd.Index([str(employee_id)]))[0]
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
                        placed, p_ids[np.maximum(new, 0)] if p_ids.size else _NONE, _NONE
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
    def export(self, path, *, escape_formulas: bool | None = None) -> object:
        """Write :meth:`to_frame` to ``.csv``, ``.xlsx``, ``.json`` or ``.parquet``, atomically.

        Text cells that a spreadsheet would run as formulas are escaped in CSV, Excel and JSON
        (:func:`asn_match.io.write_table`).

        Parameters
        ----------
        path : str or os.PathLike
            The file; its extension chooses the format.
        escape_formulas : bool, optional
            Passed to :func:`asn_match.io.write_table`: by default True except for Parquet.

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

        return write_table(self.to_frame(), path, escape_formulas=escape_formulas)

    def _export_as(self, path, suffixes: tuple[str, ...], method: str, **options):
        if Path(path).suffix.lower() not in suffixes:
            raise _bad_param(
                "path", f"Placement.{method}", f"a path ending in {suffixes[0]}", str(path)
            )
        return self.export(path, **options)

    def to_csv(self, path, *, escape_formulas: bool | None = None):
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
        return self._export_as(path, (".csv",), "to_csv", escape_formulas=escape_formulas)

    def to_excel(self, path, *, escape_formulas: bool | None = None):
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
        return self._export_as(path, (".xlsx",), "to_excel", escape_formulas=escape_formulas)

    def to_json(self, path, *, escape_formulas: bool | None = None):
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
        return self._export_as(path, (".json",), "to_json", escape_formulas=escape_formulas)
