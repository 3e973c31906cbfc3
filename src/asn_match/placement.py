"""Placement on scored tables: :func:`assign` and its self-explaining :class:`Placement`.

:func:`assign` reads a :class:`~asn_match.scoring.Scores`, turns the analyst's rules (seats,
minimum score or category, locked and forbidden pairs, incumbents, objective) into arrays, solves
them with the array core :mod:`asn_match.kernels.seating` (whose docstring gives the optimisation,
the handling of incumbents, the fewest-moves tie-break and the determinism rules) and returns a
:class:`Placement` that lists every employee and every seat with its reason. The words, tables
and comparisons a Placement gives are built in :mod:`asn_match.placement_views`.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, NamedTuple, overload

import numpy as np
import pandas as pd

from . import placement_views
from ._checks import check_bool, check_int, freeze_arrays
from ._placement_rules import incumbent_positions, minimum_rules, seat_vector
from .errors import InfeasibleError, InputError, InvalidParameterError, Problem
from .io import write_table
from .kernels.inputs import lock_problems
from .kernels.lap import Objective
from .kernels.prices import shadow_prices_ordered
from .kernels.reasons import candidate_standing, option_rank, placement_reasons, runner_up
from .kernels.seating import (
    DEFAULT_TIME_LIMIT,
    SCORE_DECIMALS,
    Method,
    PlacementSolution,
    solve_ordered,
)
from .large import CandidatePlacement, place_candidates
from .pairs import PairIndex
from .pseudonym import check_key, pseudonymize_frame
from .scoring import CandidateScores, DenseScores, Scores
from .tiebreak import TIEBREAK_KEY, canonical_order

__all__ = ["Placement", "assign"]


_CALLER = "assign"


class ScoreArrays(NamedTuple):
    """The (n_employees, n_positions) arrays of dense scores that placement reads."""

    jpm: np.ndarray
    composite: np.ndarray
    eligible: np.ndarray
    category_code: np.ndarray

    @classmethod
    def of(cls, scores: Scores) -> ScoreArrays:
        """The arrays of dense ``scores`` (a :class:`~asn_match.scoring.DenseScores`)."""
        if not isinstance(scores, DenseScores):
            raise ValueError(
                "this placement needs dense scores (every pair kept); these scores are "
                f"{type(scores).__name__}. Score with score(..., dense=True), or split the "
                "workforce by agency."
            )
        return cls(scores.jpm, scores.composite, scores.eligible, scores.category_code)


#: What ``locked`` and ``forbidden`` may be (see :mod:`asn_match.pairs`).
PairsLike = Any


def _minimum_mask(
    scores: Scores, dense: ScoreArrays, min_score: float | None, min_category: str | int | None
) -> tuple[np.ndarray | None, str]:
    """Pairs at or above the minimum (None when no minimum is set), and a description."""
    floor, worst, text = minimum_rules(scores, min_score, min_category, _CALLER)
    mask: np.ndarray | None = None
    if floor is not None:
        mask = dense.composite >= floor - 10.0**-SCORE_DECIMALS
    if worst is not None:
        category_ok = dense.category_code <= worst
        mask = category_ok if mask is None else mask & category_ok
    return mask, text


def _check_locks(
    scores: Scores,
    dense: ScoreArrays,
    lock_rows: np.ndarray,
    lock_cols: np.ndarray,
    seats: np.ndarray,
    forbidden: np.ndarray | None,
    meets_minimum: np.ndarray | None,
    problems: list[Problem],
) -> None:
    """Every mistake in the locks, appended to ``problems``.

    Why a lock is not allowed, in words, then the checks of
    :func:`~asn_match.kernels.inputs.lock_problems` (one lock per employee, locks <= seats).
    """
    e_ids, p_ids = scores.employees.ids, scores.positions.ids
    for i, j in zip(lock_rows.tolist(), lock_cols.tolist(), strict=True):
        pair = f"the locked pair ({e_ids[i]}, {p_ids[j]})"
        if not dense.eligible[i, j]:
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
                    f"{dense.composite[i, j]:.2f}, category "
                    f"{scores.config.category_labels[dense.category_code[i, j]]!r}). Remove the "
                    "lock or lower the minimum.",
                    value=f"{e_ids[i]} -> {p_ids[j]}",
                    code="locked_below_minimum",
                    record_id=e_ids[i],
                )
            )
    problems.extend(
        lock_problems(lock_rows, lock_cols, seats, employee_ids=e_ids, position_ids=p_ids)
    )


def assign(
    scores: Scores,
    *,
    seats: Mapping[str, int] | None = None,
    min_score: float | None = None,
    min_category: str | int | None = None,
    locked: PairsLike = None,
    forbidden: PairsLike = None,
    incumbent_bonus: float = 0.0,
    max_moves: int | None = None,
    prefer_stay: bool = True,
    objective: Objective = "total",
    time_limit: float | Literal["auto"] | None = "auto",
    method: Method = "capacity",
    progress: bool = False,
    tie_break_key: bytes = TIEBREAK_KEY,
) -> Placement | CandidatePlacement:
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
        Pairs that must be placed (read by :class:`asn_match.pairs.PairIndex`: a dict
        ``{employee_id: position_id}`` works too). Each must be eligible, not forbidden and at
        or above the minimum; an employee may be locked once; a position may not get more locks
        than seats.
    forbidden : dict, DataFrame, path or iterable of pairs or ids, optional
        Pairs that must not be placed; a bare employee (position) id forbids all its pairs.
    incumbent_bonus : float, default=0.0
        Points added to an incumbent's composite for their own position
        (``employees.current_position_id``) in the objective: a preference for stability.
        Reported scores stay the composite.
    max_moves : int, optional
        Most incumbents (employees whose current position is among the scored positions) who
        may leave their position, moved elsewhere or left unplaced. Solved exactly, as a
        mixed-integer programme when the cap binds (see :mod:`asn_match.kernels.seating`),
        within ``time_limit``.
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
    time_limit : float, "auto" or None, default="auto"
        Seconds the mixed-integer stage of a binding ``max_moves`` may run; None: no limit;
        ``"auto"``: 60 s there, and no limit on streamed scores.
        When it stops there, the placement is the best found and says so honestly:
        ``placement.summary()`` gives ``time_limit_reached=True``, ``objective_bound`` (a proven
        upper bound on ``objective_value``) and ``optimality_gap`` (relative). The result then
        depends on the machine's speed; raise the limit for a proven optimum. On streamed
        scores, the seconds after which no new certification round starts: a placement stopped
        there says so in ``certificate`` (``optimal=False``, the duality gap that bounds the
        loss).
    method : {"capacity", "dense"}, default="capacity"
        The solver. ``"capacity"``: each position is one node with its seats as capacity, solved
        exactly by successive shortest paths over the positions
        (:mod:`asn_match.kernels.transport`); a binding ``max_moves`` under ``"total"`` is first
        tried by a Lagrangian search, exact when it lands on the cap. ``"dense"``: one column per
        seat on scipy's dense solver, the reference (much slower for thousands of seats). Both
        give the same optimum for every option (ties may be broken differently).
    progress : bool, default=False
        On streamed scores, a progress bar (tqdm, the ``progress`` extra) of the certification
        rounds, which price every pair of the workforce again; dense solves take one call.
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
    RuntimeError
        The mixed-integer stage of a lexicographic objective found no placement within
        ``time_limit``.
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
    if not isinstance(scores, Scores):
        raise InvalidParameterError(
            "scores",
            _CALLER,
            "Scores from asn_match.score",
            type(scores).__name__,
            fix="Score the tables first: assign(score(employees, positions), ...).",
        )
    progress = check_bool(progress, "progress", _CALLER)
    if isinstance(time_limit, str) and time_limit == "auto":
        # a long workforce's certificate takes its rounds; the MILP stage has a bound to report
        time_limit = None if isinstance(scores, CandidateScores) else DEFAULT_TIME_LIMIT
    if isinstance(scores, CandidateScores):
        needs_dense = {
            "locked": locked is not None,
            "max_moves": max_moves is not None,
            "objective": objective != "total",
            "method": method != "capacity",
        }
        for name, given in needs_dense.items():
            if given:
                raise InvalidParameterError(
                    name,
                    _CALLER,
                    "left at its default for streamed scores (candidate pairs)",
                    {"locked": locked, "max_moves": max_moves, "objective": objective,
                     "method": method}[name],
                    fix="Score with score(..., dense=True) (split the workforce by agency so "
                    "that each part fits in memory) to use it.",
                )  # fmt: skip
        return place_candidates(
            scores,
            seats=seats,
            min_score=min_score,
            min_category=min_category,
            forbidden=forbidden,
            incumbent_bonus=incumbent_bonus,
            prefer_stay=prefer_stay,
            time_limit=time_limit,
            progress=progress,
            tie_break_key=tie_break_key,
        )
    dense = ScoreArrays.of(scores)
    index = PairIndex(scores.employees.ids, scores.positions.ids)
    problems: list[Problem] = []
    seat_count = seat_vector(scores, seats, index.positions, problems, _CALLER)
    meets_minimum, minimum_text = _minimum_mask(scores, dense, min_score, min_category)
    f_rows, f_cols = index.pairs(forbidden, "forbidden", _CALLER, bare_ids=True, problems=problems)
    forbidden_mask = None
    if f_rows.size:
        forbidden_mask = np.zeros(index.shape, dtype=bool)
        forbidden_mask[f_rows, f_cols] = True
    lock_rows, lock_cols = index.pairs(locked, "locked", _CALLER, problems=problems)
    _check_locks(
        scores, dense, lock_rows, lock_cols, seat_count, forbidden_mask, meets_minimum, problems
    )
    if problems:
        raise InputError(problems)

    allowed = dense.eligible
    if forbidden_mask is not None:
        allowed = allowed & ~forbidden_mask
    if meets_minimum is not None:
        allowed = allowed & meets_minimum
    incumbent = incumbent_positions(scores, index.positions)

    employee_order = canonical_order(index.employees, key=tie_break_key)
    position_order = canonical_order(index.positions, key=tie_break_key)
    values = np.asarray(dense.composite, dtype=np.float64)
    try:
        solution = solve_ordered(
            values,
            allowed,
            seat_count,
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
        dense=dense,
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
            "time_limit": time_limit,
            "method": method,
            "locked": int(lock_rows.size),
            "forbidden": int(f_rows.size),
            "tie_break_key": tie_break_key,
        },
    )


class Placement:
    """The result of :func:`assign`: who holds which seat, why, and what it is worth.

    Built by :func:`assign`; not meant to be constructed directly. Arrays are read-only.

    Attributes
    ----------
    scores : Scores
        The scores the placement used.
    dense : ScoreArrays
        Their (n_employees, n_positions) arrays: ``jpm``, ``composite``, ``eligible``,
        ``category_code``.
    solution : PlacementSolution
        The placement as arrays (employee -> position and seat, seat -> employee).
    reasons : PlacementReasons
        Reason codes of every employee and every seat.
    option_rank : ndarray of shape (n_employees,), int64
        Rank of the employee's position among their allowed options by composite (1 = best);
        0 when unplaced.
    runner_up : ndarray of shape (n_positions,), intp
        For each position, the best allowed candidate not placed there (-1 if none); they may
        be placed elsewhere.
    runner_up_score : ndarray of shape (n_positions,), float64
        Their composite score (NaN if none).
    next_available : ndarray of shape (n_positions,), intp
        For each position, the best allowed candidate placed nowhere (-1 if none): who could
        take the seat without emptying another.
    next_available_score : ndarray of shape (n_positions,), float64
        Their composite score (NaN if none).
    candidate_rank, candidates, higher_placed_elsewhere : ndarray of shape (n_employees,), int64
        For each placed employee: their rank among the allowed candidates of their position
        (1 = best), how many allowed candidates it has, and how many candidates with a higher
        composite there were placed in other positions; 0 when unplaced
        (:func:`~asn_match.kernels.reasons.candidate_standing`).
    allowed : ndarray of shape (n_employees, n_positions), bool
        The pairs the placement could use: eligible, not forbidden, at or above the minimum.
    incumbent : ndarray of shape (n_employees,), intp
        Current position of each employee among the scored positions, -1 if none.
    seats : ndarray of shape (n_positions,), intp
        Seats per position as used (after the ``seats`` override).
    forbidden : ndarray of shape (n_employees, n_positions), bool, or None
        The pairs forbidden by the caller (None when none were).
    meets_minimum : ndarray of shape (n_employees, n_positions), bool, or None
        The pairs at or above ``min_score`` / ``min_category`` (None without a minimum).
    employee_order, position_order : ndarray of int
        The canonical orders (:func:`~asn_match.tiebreak.canonical_order`) ties were broken by.
    options : dict
        The options of :func:`assign`.
    """

    def __init__(
        self,
        *,
        scores: Scores,
        dense: ScoreArrays,
        solution: PlacementSolution,
        allowed: np.ndarray,
        forbidden: np.ndarray | None,
        meets_minimum: np.ndarray | None,
        incumbent: np.ndarray,
        seats: np.ndarray,
        employee_order: np.ndarray,
        position_order: np.ndarray,
        options: Mapping[str, Any],
    ) -> None:
        self.scores = scores
        self.dense = dense
        self.solution = solution
        self.allowed = allowed
        self.incumbent = incumbent
        self.seats = seats
        self.options = dict(options)
        self.forbidden = forbidden
        self.meets_minimum = meets_minimum
        self.employee_order = employee_order
        self.position_order = position_order
        self._prices: np.ndarray | None = None
        values = dense.composite
        position = solution.employee_position
        self.option_rank = option_rank(values, allowed, position)
        self.runner_up, self.runner_up_score = runner_up(
            values, allowed, position, order=employee_order
        )
        self.next_available, self.next_available_score = runner_up(
            values, allowed, position, order=employee_order, available_only=True
        )
        self._standing: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._justification: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.reasons = placement_reasons(
            values,
            dense.eligible,
            allowed,
            solution,
            forbidden=forbidden,
            incumbent=incumbent,
            employee_order=employee_order,
            position_order=position_order,
        )
        # Every array a Placement holds is read-only: a write would silently change what
        # explain() and to_frame() report (e.g. the allowed pairs behind the reasons).
        for array in (
            allowed,
            forbidden,
            meets_minimum,
            incumbent,
            seats,
            employee_order,
            position_order,
            self.option_rank,
            self.runner_up,
            self.runner_up_score,
            self.next_available,
            self.next_available_score,
        ):
            if array is not None:
                array.setflags(write=False)
        freeze_arrays(self.reasons)

    # -- arrays -------------------------------------------------------------------------------
    def _candidate_standing(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # Computed on first use: O(employees x placed), a good part of a large solve's time,
        # and only the decision table and explain() read it.
        if self._standing is None:
            standing = candidate_standing(
                self.dense.composite, self.allowed, self.solution.employee_position
            )
            for array in standing:
                array.setflags(write=False)
            self._standing = standing
        return self._standing

    @property
    def candidate_rank(self) -> np.ndarray:
        """Rank of each placed employee among their position's allowed candidates (1 = best).

        Shape (n_employees,), int64; 0 when unplaced.
        """
        return self._candidate_standing()[0]

    @property
    def candidates(self) -> np.ndarray:
        """How many allowed candidates each placed employee's position has (0 when unplaced)."""
        return self._candidate_standing()[1]

    @property
    def higher_placed_elsewhere(self) -> np.ndarray:
        """How many of a placed employee's higher-scoring rivals were placed in other posts."""
        return self._candidate_standing()[2]

    @property
    def employee_position(self) -> np.ndarray:
        """Position index of each employee, -1 when unplaced: shape (n_employees,)."""
        return self.solution.employee_position

    @property
    def shadow_prices(self) -> np.ndarray:
        """Shadow price of every seat, shape (n_seats,) in the order of ``solution``.

        The drop in the optimal objective if the seat were removed (see
        :func:`~asn_match.kernels.prices.shadow_prices`); NaN for locked seats and when the
        objective is not ``"total"`` or ``max_moves`` binds. Computed on first use (a
        Bellman-Ford pass over the seats, about a tenth of the solve at 2,000 to 5,000
        employees), so a placement that is never explained does not pay it.
        """
        if self._prices is None:
            self._prices = shadow_prices_ordered(
                np.asarray(self.dense.composite, dtype=np.float64),
                self.allowed,
                self.seats,
                self.solution,
                self.employee_order,
                self.position_order,
                self.incumbent,
                self.options["incumbent_bonus"],
            )
        return self._prices

    @property
    def seat_prices(self) -> np.ndarray:
        """Deprecated alias of :attr:`shadow_prices` (removed in 0.3)."""
        warnings.warn(
            "Placement.seat_prices is deprecated and will be removed in 0.3; use "
            "Placement.shadow_prices instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.shadow_prices

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"<Placement: {s['placed']} of {s['employees']} employees placed in "
            f"{s['filled_seats']} of {s['seats']} seats, total score {s['total_score']:.2f}, "
            f"objective={s['objective']!r}>"
        )

    # -- presentation (placement_views) ------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """The decision table: one row per employee, then one per unfilled seat.

        Returns
        -------
        DataFrame
            Columns: ``employee_id``, ``name`` (if the employees have it), ``position_id``,
            ``title`` and ``unit`` (if the positions have them), ``jpm``, ``category``,
            ``composite`` (the merit composite), ``seat`` (1-based within the position),
            ``status`` ("placed", "unplaced", "unfilled"), ``option_rank`` (rank of the
            position among the employee's allowed options by composite, 1 = best),
            ``candidate_rank`` (the employee's rank among the position's allowed candidates),
            ``higher_placed_elsewhere`` (how many who rank higher there were placed in other
            positions), ``next_available_id`` and ``next_available_score`` (the best allowed
            candidate placed nowhere: who could take the seat without emptying another),
            ``shadow_price`` (what the seat is worth: how much lower the best placement's total
            would be without it, see :attr:`shadow_prices`),
            ``current_position_id``, ``moved`` (incumbents only), ``locked``, ``reason_code``
            (the short text of an :class:`~asn_match.kernels.reasons.EmployeeReason` or
            :class:`~asn_match.kernels.reasons.SeatReason`) and ``reason`` (readable, naming
            the ids involved; for a placed employee their standing, their option rank and,
            when a move lowers their own score or gives them a distant option, what the
            alternative would cost the total, solved again with that pair locked:
            :func:`asn_match.placement_views.justification`). Employees in table order,
            then unfilled seats in position order.

        Examples
        --------
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> placement = assign(score(*synthetic_workforce(30, 6, seed=1)))
        >>> frame = placement.to_frame()
        >>> len(frame) == 30 + int((placement.solution.seat_employee < 0).sum())
        True
        """
        return placement_views.to_frame(self)

    def summary(self) -> dict[str, Any]:
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
            placements of the same objective), of which ``moved`` (placed in another position)
            and ``left_without_post`` (unplaced), ``vacant_seats`` (seats no incumbent held
            before), ``vacancies_filled`` (of those, how many are filled now), ``minimum`` (the
            minimum in words, None without one), ``below_minimum`` (placed pairs under it: 0,
            None without a minimum), ``prefer_stay``, ``score_quantum`` (the
            quantum of the stay tie-break, None when it was not used), and how far the
            placement is proven optimal: ``time_limit_reached`` (the move-capped MILP stage
            stopped on ``time_limit``), ``objective_bound`` (a proven upper bound on
            ``objective_value``; equal to it when optimal, None when unknown) and
            ``optimality_gap`` (``(bound - value) / |bound|``: 0.0 when optimal, None when
            unknown).

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
        composite = self.dense.composite[placed, pos[placed]]
        jpm = self.dense.jpm[placed, pos[placed]]
        labels = scores.config.category_labels
        counts = np.bincount(
            self.dense.category_code[placed, pos[placed]].astype(np.intp), minlength=len(labels)
        )
        incumbent = self.incumbent >= 0
        stays = int(np.count_nonzero(incumbent & (pos == self.incumbent)))
        m = self.seats.size
        held_before = np.bincount(self.incumbent[incumbent], minlength=m)
        filled_after = np.bincount(pos[placed], minlength=m)
        vacant_before = np.maximum(self.seats - held_before, 0)
        # A seat counts as a filled vacancy when its position gained holders beyond those it had.
        vacancies_filled = np.minimum(vacant_before, np.maximum(filled_after - held_before, 0))
        below = (
            None
            if self.meets_minimum is None
            else int(np.count_nonzero(~self.meets_minimum[placed, pos[placed]]))
        )
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
            "moved": int(np.count_nonzero(incumbent & (pos >= 0) & (pos != self.incumbent))),
            "left_without_post": int(np.count_nonzero(incumbent & (pos < 0))),
            "vacant_seats": int(vacant_before.sum()),
            "vacancies_filled": int(vacancies_filled.sum()),
            "minimum": self.options["minimum"] or None,
            "below_minimum": below,
            "prefer_stay": self.options["prefer_stay"],
            "score_quantum": sol.score_quantum,
            "time_limit_reached": sol.time_limit_reached,
            "objective_bound": sol.objective_bound,
            "optimality_gap": sol.optimality_gap,
        }

    def summary_text(self) -> str:
        """The headline figures of :meth:`summary` in words, as ``asn-match`` prints them.

        Examples
        --------
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> text = assign(score(*synthetic_workforce(30, 6, seed=1))).summary_text()
        >>> text.splitlines()[0]
        'placed employees:   28 of 30'
        """
        return placement_views.summary_text(self.summary())

    def explain(self, employee_id: object, *, k: int | None = 10) -> dict[str, Any]:
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
            The employee's row of :meth:`to_frame` (``position_id``, ``jpm``, ``category``,
            ``composite``, ``option_rank``, ``candidate_rank``, ``higher_placed_elsewhere``,
            ``next_available_id``, ``next_available_score``,
            ``shadow_price``, ``reason_code``, ``reason``, ...) plus ``alternatives``, a
            DataFrame with one row per position (``position_id``, ``jpm``, ``category``,
            ``composite``, ``eligible``, ``outcome``: why the employee is not there, e.g. the
            eligibility reasons, "forbidden", "below minimum", "outscored by ..."), and
            ``text``, a readable account: why, who ranked higher and where they went, the best
            candidate placed nowhere, the seat's shadow price in words; for an unplaced
            incumbent, who took their post and why.

        Examples
        --------
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> scores = score(*synthetic_workforce(30, 6, seed=1))
        >>> why = assign(scores).explain(scores.employees.ids[0], k=3)
        >>> sorted(why)[:3], len(why["alternatives"]) <= 3
        (['alternatives', 'candidate_rank', 'category'], True)
        """
        return placement_views.explain(self, employee_id, k=k)

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
            ``current_composite`` (composite in the current position), ``new_composite`` and
            ``composite_change`` (new - current; NaN where either side is missing).
            ``by="unit"``: ``unit``, ``holders_before``, ``holders_after``,
            ``composite_before``, ``composite_after`` (sums of the holders' composites),
            ``composite_change``, ``mean_before``,
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
        return placement_views.compare_current(self, by=by)

    # -- export -------------------------------------------------------------------------------
    def export(
        self,
        path: str | os.PathLike[str],
        *,
        escape_formulas: bool | None = None,
        pseudonymize: bytes | str | None = None,
        decimals: int | None = 2,
        csv_dialect: str = "standard",
    ) -> Path:
        """Write :meth:`to_frame` to ``.csv``, ``.xlsx``, ``.json`` or ``.parquet``, atomically.

        Text cells that a spreadsheet would run as formulas are escaped in CSV, Excel and JSON
        (:func:`asn_match.io.write_table`). The table holds no protected attribute (gender,
        religion, birth date, ...).

        Parameters
        ----------
        path : str or os.PathLike
            The file; its extension chooses the format.
        escape_formulas : bool, optional
            Passed to :func:`asn_match.io.write_table`: by default True except for Parquet.
        pseudonymize : bytes or str, optional
            A secret key (at least 16 bytes): every employee id, in every column and inside the
            reasons, is written as its keyed pseudonym (:func:`asn_match.pseudonymize`) and the
            ``name`` column is left out. The key itself is never written.
        decimals : int or None, default=2
            Scores and prices are written rounded to this many decimals, for people; None
            writes full precision (:meth:`to_frame` always keeps it).
        csv_dialect : {"standard", "excel-id"}, default "standard"
            Passed to :func:`asn_match.io.write_table`: ``"excel-id"`` writes a CSV for Excel in
            an Indonesian locale (semicolons, decimal comma, ids kept as text).

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
        decimals = check_int(decimals, "decimals", "Placement.export", minimum=0, allow_none=True)
        frame = placement_views.rounded(self.to_frame(), decimals)
        if pseudonymize is not None:
            key = check_key(pseudonymize, "pseudonymize", "Placement.export")
            frame = pseudonymize_frame(frame, self.scores.employees.ids, key)
        return write_table(frame, path, escape_formulas=escape_formulas, csv_dialect=csv_dialect)

    def _deprecated_export(
        self, path: str | os.PathLike[str], suffix: str, method: str, **options: Any
    ) -> Path:
        warnings.warn(
            f"Placement.{method} is deprecated and will be removed in 0.3; use "
            "Placement.export instead.",
            DeprecationWarning,
            stacklevel=3,
        )
        if Path(path).suffix.lower() != suffix:
            raise InvalidParameterError(
                "path", f"Placement.{method}", f"a path ending in {suffix}", str(path)
            )
        return self.export(path, **options)

    def to_csv(self, path: str | os.PathLike[str], *, escape_formulas: bool | None = None) -> Path:
        """Deprecated (removed in 0.3): use :meth:`export` with a ``.csv`` path."""
        return self._deprecated_export(path, ".csv", "to_csv", escape_formulas=escape_formulas)

    def to_excel(
        self, path: str | os.PathLike[str], *, escape_formulas: bool | None = None
    ) -> Path:
        """Deprecated (removed in 0.3): use :meth:`export` with a ``.xlsx`` path."""
        return self._deprecated_export(path, ".xlsx", "to_excel", escape_formulas=escape_formulas)

    @overload
    def to_json(self, path: None = None, *, escape_formulas: bool | None = None) -> str: ...

    @overload
    def to_json(
        self, path: str | os.PathLike[str], *, escape_formulas: bool | None = None
    ) -> Path: ...

    def to_json(
        self, path: str | os.PathLike[str] | None = None, *, escape_formulas: bool | None = None
    ) -> str | Path:
        """The placement as a versioned JSON document, which :meth:`from_json` reads back.

        The document (:class:`~asn_match.schemas.PlacementDocument`, ``"format":
        "asn_match.placement"``, ``"version": 1``, JSON Schema in :func:`asn_match.schemas`)
        holds the decision table (``rows``, as :meth:`to_frame`), the ``summary``, the
        ``options``, and the state that gives the placement back: the inputs in their input
        schema (protected attributes left out), the scoring policy and the solution arrays.

        Parameters
        ----------
        path : None
            Deprecated (removed in 0.3): with a path, writes :meth:`to_frame` as
            :meth:`export` does (use :meth:`export` with a ``.json`` path).
        escape_formulas : bool, optional
            Only with the deprecated ``path``.

        Returns
        -------
        str
            The JSON document.

        Examples
        --------
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> placement = assign(score(*synthetic_workforce(20, 4, seed=1)))
        >>> again = Placement.from_json(placement.to_json())
        >>> again.to_frame().equals(placement.to_frame())
        True
        """
        if path is not None:
            return self._deprecated_export(
                path, ".json", "to_json", escape_formulas=escape_formulas
            )
        from . import placement_json

        return placement_json.to_json(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> Placement | CandidatePlacement:
        """The placement of a document written by :meth:`to_json`, equal in every table and array.

        The inputs are scored again (scoring is deterministic) and checked against the digest of
        the scores written; the solution is read, not solved again. A document of streamed
        scores (``CandidatePlacement.to_json()``) gives back a
        :class:`~asn_match.large.CandidatePlacement` with its certificate.

        Parameters
        ----------
        text : str or bytes
            The JSON document.

        Returns
        -------
        Placement or CandidatePlacement
            By the document's ``kind``.

        Raises
        ------
        InputError
            Not JSON, not a placement document, a version this release does not read, a field
            of the wrong type, or inputs this release scores differently (each named).

        Examples
        --------
        >>> from asn_match.scoring import score
        >>> from asn_match.datasets import synthetic_workforce
        >>> placement = assign(score(*synthetic_workforce(20, 4, seed=1)))
        >>> Placement.from_json(placement.to_json()).summary() == placement.summary()
        True
        """
        from . import placement_json

        return placement_json.from_json(text)
