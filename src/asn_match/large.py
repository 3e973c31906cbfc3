"""Placement of workforces beyond dense memory: candidate pairs, certified optimal.

When :func:`asn_match.score` streams (``dense=False``, or a workforce whose dense scores would not
fit), it keeps only *candidate* pairs: the ``top_k`` best eligible positions of every employee and
the ``top_k`` best eligible employees of every position. :func:`asn_match.assign` then places the
workforce with :func:`place_candidates`:

1. the first candidates. On a small workforce, the pairs the stream kept. On a large one (more
   than ``_DIRECT_PAIRS`` pairs) these place badly: correlated scores put the same strong
   employees at the top of every position's list, and at 30,000 employees 70% of them were left
   unplaced by the first solve. Instead, prices of the positions are learnt on a sample (every
   4th employee, seats scaled alike; placed the same way, recursively, down to a sample small
   enough to place on all its pairs), and the candidates are each employee's best pairs *at
   those prices* (largest ``w_ij - v_j``), each position's pairs of least reduced cost at them
   (the employees whose bids set its price) and a greedy placement of everyone at them;
2. the placement is solved on the candidate pairs with seats as capacities
   (:func:`~asn_match.kernels.transport.max_weight_transport_sparse`), which also gives the
   positions' prices: the middle of the smallest and the largest optimal ones, with which the
   next step's violators brought the duality gap down fastest;
3. every eligible pair of the full problem is scored again, block by block (its JPM product,
   then one compiled pass, :func:`~asn_match.kernels.certify.price_block`; never held whole) and
   priced: by weak duality the placement is optimal when no pair is worth more to its employee
   at these prices than what the employee got (a later check prices only the pairs its bounds
   leave open: :mod:`asn_match._large_pricing`);
4. pairs that are worth more (*violators*: each employee's and each position's most violating,
   no position taking the employees' violators of more than a few times its seats, and a free
   seat claimed by each unplaced employee) join the candidates and the problem is solved again
   (from the last prices and placement once the violations are small), until none is left.

The result says how far it is proven (:attr:`CandidatePlacement.certificate`): optimal, or, when a
round or time limit stopped the loop, the duality gap that bounds what could still be gained.
Pruning without this check is not exact: the top pairs of correlated scores crowd into the same
positions, and the best placement uses pairs far down the lists.

The objective is the one of ``objective="total"`` with the same rules as the dense path: eligible
pairs only, ``min_score``, ``min_category``, ``forbidden``, ``seats``, ``incumbent_bonus``, and
the fewest-moves tie-break (``prefer_stay``) on integer weights ``W = V * (S + 1) + stay``. Here
``S`` is the number of incumbents (a bound on the stays, which keeps the tie-break exact without
a pass over their pairs) and the quantum ``q`` of ``V`` the finest power of ten from 1e-9 at which
every weight stays below 2**55, the exact range of the capacity solver. ``locked`` pairs,
``max_moves`` and the lexicographic objectives need the dense path.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import placement_views
from ._checks import check_bool, check_int, check_real, freeze_arrays
from ._large_pricing import (
    ANY_PAIR,
    BLOCK_PAIRS,
    CanonicalProblem,
    check_rows,
    price_rows,
)
from ._placement_rules import incumbent_positions, minimum_rules, seat_vector
from ._progress import progress_bar
from ._scoring_policy import pair_composite
from ._scoring_stream import BlockScorer
from .errors import InputError, InvalidParameterError, Problem
from .io import write_table
from .kernels.certify import Certificate, ColumnViolators, PairRules, pair_weights
from .kernels.jpm import categorize
from .kernels.transport import (
    EXCHANGE_POOL,
    MAX_MATRIX_POSITIONS,
    max_weight_transport_sparse,
)
from .pairs import PairIndex
from .pseudonym import check_key, pseudonymize_frame
from .scoring import _machine_memory
from .tiebreak import TIEBREAK_KEY, canonical_order

if TYPE_CHECKING:
    from .scoring import CandidateScores

__all__ = ["CandidatePlacement", "memory_estimate", "place_candidates"]

_CALLER = "assign"
#: Finest quantum of the values (the resolution of the dense path) and the coarsest tried.
_FINEST_DECIMALS, _COARSEST_DECIMALS = 9, 4
#: Largest integer weight handed to the capacity solver (its exact range is 2**56).
_WEIGHT_LIMIT = 2**55
#: Prices are learnt on every _SAMPLE_STEP-th employee of a workforce of more than _DIRECT_PAIRS
#: pairs (recursively, down to a sample of at most _EVERY_PAIR pairs, placed on all of them), in
#: _SAMPLE_ROUNDS candidate solves; the first candidates then hold each employee's
#: _FIRST_PER_ROW best pairs at those prices (score + assign, 10,000 x 200: 0.79 s, against
#: 1.99 s from the stream's pairs). Stopping a sample's rounds once a round did not halve its
#: largest violation cost more (125,000 x 2,500: 12 rounds and 316 s instead of 4 and 72 s).
_SAMPLE_STEP, _DIRECT_PAIRS, _EVERY_PAIR, _SAMPLE_ROUNDS, _FIRST_PER_ROW = 4, 2**16, 2**23, 5, 24
#: Warm solves from a duality gap of at most _WARM_GAP of the total, times _WARM_POSITIONS over
#: the positions when there are more (see _rounds).
_WARM_GAP, _WARM_POSITIONS = 1e-3, 5_000
#: Rounds from the first solve's tie-break tail on (the largest violation at most the largest
#: weight over _TAIL_SHARE) keep _TAIL_PER_ROW violators per employee (see _rounds).
_TAIL_SHARE, _TAIL_PER_ROW = 256, 128
#: Bytes a candidate pair takes (three 8-byte arrays, twice over while violators join) and how
#: many times the first candidates the last ones hold, with a margin (2.6 M first, 4.2-4.7 M
#: last at 100,000 x 2,000 employees x positions): the memory estimate of place_candidates.
_PAIR_BYTES, _GROWTH = 48, 3
#: The first candidates also hold, for each position, _COLUMN_SHARE times its seats plus
#: _FIRST_PER_ROW pairs of least reduced cost at the learnt prices (see _priced_pairs).
_COLUMN_SHARE = 2


@dataclass(frozen=True, eq=False)
class CandidatePlacement:
    """The placement of streamed scores, with its certificate of optimality.

    Built by :func:`asn_match.assign` on scores that kept candidate pairs only; arrays are
    read-only.

    Attributes
    ----------
    scores : CandidateScores
        The streamed scores.
    employee_position : ndarray of shape (n_employees,), intp
        Position (row of ``scores.positions``) of each employee, -1 when unplaced.
    jpm, composite : ndarray of shape (n_employees,), float64
        JPM and composite of each employee's placed pair (NaN when unplaced).
    category_code : ndarray of shape (n_employees,), int8
        Category of the placed pair (-1 when unplaced).
    seats : ndarray of shape (n_positions,), intp
        Seats per position as used.
    incumbent : ndarray of shape (n_employees,), intp
        Current position of each employee among the scored positions, -1 if none.
    shadow_prices : ndarray of shape (n_positions,), float64
        The positions' dual prices of the certified solve, in score units: 0 with a free seat.
    objective_value : float
        The optimised total: composites of the placed pairs plus the incumbent bonus of stays.
    certificate : Certificate
        Optimal or not, the duality gap, the largest violation, rounds and pairs checked.
    options : dict
        The options of :func:`asn_match.assign`.
    """

    scores: CandidateScores
    employee_position: np.ndarray
    jpm: np.ndarray
    composite: np.ndarray
    category_code: np.ndarray
    seats: np.ndarray
    incumbent: np.ndarray
    shadow_prices: np.ndarray
    objective_value: float
    certificate: Certificate
    options: dict

    def __post_init__(self) -> None:
        freeze_arrays(self)

    def __repr__(self) -> str:
        placed = int(np.count_nonzero(self.employee_position >= 0))
        proof = "certified optimal" if self.certificate.optimal else "not proven optimal"
        return (
            f"<CandidatePlacement: {placed} of {self.employee_position.size} employees placed in "
            f"{int(self.seats.sum())} seats, total {self.objective_value:.2f}, {proof}>"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per employee and one per unfilled seat, ids as categoricals.

        Columns: ``employee_id``, ``position_id``, ``jpm``, ``category``, ``composite``,
        ``status`` ("placed", "unplaced", "unfilled"), ``current_position_id``, ``moved``.
        """
        e_ids = np.asarray(self.scores.employees.ids, dtype=object)
        p_ids = np.asarray(self.scores.positions.ids, dtype=object)
        pos = self.employee_position
        placed = pos >= 0
        labels = np.asarray(self.scores.config.category_labels, dtype=object)
        incumbent = self.incumbent >= 0
        people = pd.DataFrame(
            {
                "employee_id": e_ids,
                "position_id": np.where(placed, p_ids[np.maximum(pos, 0)], None),
                "jpm": self.jpm,
                "category": np.where(placed, labels[np.maximum(self.category_code, 0)], None),
                "composite": self.composite,
                "status": np.where(placed, "placed", "unplaced").astype(object),
                "current_position_id": np.where(
                    incumbent, p_ids[np.maximum(self.incumbent, 0)], None
                ),
                "moved": pd.array(np.where(incumbent, pos != self.incumbent, False), "boolean"),
            }
        )
        people.loc[~incumbent, "moved"] = pd.NA
        open_seats = self.seats - np.bincount(pos[placed], minlength=self.seats.size)
        empty = np.repeat(np.arange(self.seats.size), np.maximum(open_seats, 0))
        seats = pd.DataFrame(
            {
                "employee_id": None,
                "position_id": p_ids[empty],
                "jpm": np.nan,
                "category": None,
                "composite": np.nan,
                "status": "unfilled",
                "current_position_id": None,
                "moved": pd.array([pd.NA] * empty.size, dtype="boolean"),
            }
        )
        frame = pd.concat([people, seats], ignore_index=True) if empty.size else people
        for column in ("employee_id", "position_id", "current_position_id", "category", "status"):
            frame[column] = frame[column].astype("category")
        return frame

    def summary(self) -> dict[str, Any]:
        """Headline figures, the keys of :meth:`asn_match.Placement.summary` and the certificate.

        Examples
        --------
        >>> from asn_match.datasets import synthetic_workforce
        >>> from asn_match.scoring import score
        >>> s = place_candidates(score(*synthetic_workforce(80, 8, seed=1), dense=False)).summary()
        >>> s["placed"] + s["unplaced"], s["optimal"], s["duality_gap"]
        (80, True, 0.0)
        """
        pos = self.employee_position
        placed = np.flatnonzero(pos >= 0)
        incumbent = self.incumbent >= 0
        stays = int(np.count_nonzero(incumbent & (pos == self.incumbent)))
        labels = self.scores.config.category_labels
        counts = np.bincount(self.category_code[placed].astype(np.intp), minlength=len(labels))
        cert = self.certificate
        seats = int(self.seats.sum())
        return {
            "objective": "total",
            "method": "capacity (candidate pairs, certified)",
            "employees": int(pos.size),
            "placed": int(placed.size),
            "unplaced": int(pos.size - placed.size),
            "locked": 0,
            "seats": seats,
            "filled_seats": int(placed.size),
            "unfilled_seats": seats - int(placed.size),
            "total_score": float(self.composite[placed].sum()),
            "mean_score": float(self.composite[placed].mean()) if placed.size else None,
            "mean_jpm": float(self.jpm[placed].mean()) if placed.size else None,
            "objective_value": self.objective_value,
            "categories": {label: int(c) for label, c in zip(labels, counts, strict=True)},
            "incumbents": int(np.count_nonzero(incumbent)),
            "stays": stays,
            "moves": int(np.count_nonzero(incumbent)) - stays,
            "prefer_stay": self.options["prefer_stay"],
            "score_quantum": self.options["score_quantum"],
            "optimal": cert.optimal,
            "duality_gap": cert.duality_gap,
            "largest_violation": cert.largest_violation,
            "rounds": cert.rounds,
            "pairs_checked": cert.pairs_checked,
            "candidate_pairs": cert.candidate_pairs,
        }

    def export(
        self,
        path: str | os.PathLike[str],
        *,
        escape_formulas: bool | None = None,
        pseudonymize: bytes | str | None = None,
        decimals: int | None = 2,
        csv_dialect: str = "standard",
    ) -> Path:
        """Write :meth:`to_frame` atomically (.csv, .xlsx, .json or .parquet).

        See :meth:`asn_match.Placement.export`; ``pseudonymize`` (a secret key) writes every
        employee id as its keyed pseudonym; scores are rounded to ``decimals`` (None: full
        precision); ``csv_dialect="excel-id"`` writes a CSV for Indonesian Excel.
        """
        decimals = check_int(
            decimals, "decimals", "CandidatePlacement.export", minimum=0, allow_none=True
        )
        frame = placement_views.rounded(self.to_frame(), decimals)
        if pseudonymize is not None:
            key = check_key(pseudonymize, "pseudonymize", "CandidatePlacement.export")
            frame = pseudonymize_frame(frame, self.scores.employees.ids, key)
        return write_table(frame, path, escape_formulas=escape_formulas, csv_dialect=csv_dialect)

    def to_json(self) -> str:
        """The placement as a versioned JSON document, with its certificate.

        See :meth:`asn_match.Placement.to_json`; :meth:`asn_match.Placement.from_json` reads it
        back as a CandidatePlacement equal in every table and array.

        Examples
        --------
        >>> from asn_match.datasets import synthetic_workforce
        >>> from asn_match.placement import Placement
        >>> from asn_match.scoring import score
        >>> placed = place_candidates(score(*synthetic_workforce(30, 5, seed=1), dense=False))
        >>> Placement.from_json(placed.to_json()).certificate == placed.certificate
        True
        """
        from . import placement_json

        return placement_json.to_json(self)


def place_candidates(
    scores: CandidateScores,
    *,
    seats: Mapping[str, int] | None = None,
    min_score: float | None = None,
    min_category: str | int | None = None,
    forbidden: Any = None,
    incumbent_bonus: float = 0.0,
    prefer_stay: bool = True,
    time_limit: float | None = None,
    max_rounds: int = 50,
    violators_per_employee: int = 8,
    progress: bool = False,
    tie_break_key: bytes = TIEBREAK_KEY,
) -> CandidatePlacement:
    """Place a workforce scored as candidate pairs, and certify it against every pair.

    Called by :func:`asn_match.assign` for streamed scores; see the module docstring for the
    method and :func:`asn_match.assign` for the options they share.

    Parameters
    ----------
    scores : CandidateScores
        Streamed scores (``scores.is_dense`` False).
    seats, min_score, min_category, forbidden, incumbent_bonus, prefer_stay, tie_break_key
        As for :func:`asn_match.assign`.
    time_limit : float, optional
        Seconds after which no new round starts; the result then says it is not proven.
    max_rounds : int, default=50
        Most candidate solves.
    violators_per_employee : int, default=8
        Most violating pairs added per employee and round.
    progress : bool, default=False
        Show a progress bar (tqdm, the ``progress`` extra) of the pricing of every pair, round
        after round, on standard error.

    Returns
    -------
    CandidatePlacement

    Examples
    --------
    >>> from asn_match.datasets import synthetic_workforce
    >>> from asn_match.scoring import score
    >>> streamed = score(*synthetic_workforce(300, 12, seed=2), dense=False, top_k=3)
    >>> placed = place_candidates(streamed)
    >>> placed.certificate.optimal
    True
    """
    incumbent_bonus = check_real(incumbent_bonus, "incumbent_bonus", _CALLER, minimum=0.0)
    prefer_stay = check_bool(prefer_stay, "prefer_stay", _CALLER)
    time_limit = check_real(time_limit, "time_limit", _CALLER, minimum=0.0, allow_none=True)
    max_rounds = check_int(max_rounds, "max_rounds", _CALLER, minimum=1)
    per_row = check_int(violators_per_employee, "violators_per_employee", _CALLER, minimum=1)
    bar = progress_bar(
        check_bool(progress, "progress", _CALLER), len(scores.employees), "employee", _CALLER
    )
    _refuse_beyond_memory(*scores.shape)
    index = PairIndex(scores.employees.ids, scores.positions.ids)
    problems: list[Problem] = []
    seat_count = seat_vector(scores, seats, index.positions, problems, _CALLER)
    min_score, worst, _ = minimum_rules(scores, min_score, min_category, _CALLER)
    f_rows, f_cols = index.pairs(forbidden, "forbidden", _CALLER, bare_ids=True, problems=problems)
    if problems:
        raise InputError(problems)

    n, m = scores.shape
    employee_order = canonical_order(index.employees, key=tie_break_key)
    position_order = canonical_order(index.positions, key=tie_break_key)
    column_of = np.empty(m, dtype=np.intp)
    column_of[position_order] = np.arange(m)
    held = incumbent_positions(scores, index.positions)
    incumbent_c = np.where(held >= 0, column_of[np.maximum(held, 0)], -1)
    candidates = scores.candidates
    top = float(candidates.composite.max(initial=0.0)) + incumbent_bonus
    stayers = int(np.count_nonzero(held >= 0)) if prefer_stay else 0
    rank = np.empty(n, dtype=np.intp)
    rank[employee_order] = np.arange(n)
    f_rank, f_col = rank[f_rows], column_of[f_cols]
    f_order = np.lexsort((f_col, f_rank))
    problem = CanonicalProblem(
        rules=PairRules(
            min_score=-np.inf if min_score is None else min_score,
            worst_category=np.iinfo(np.int32).max if worst is None else worst,
            thresholds=np.asarray(scores.config.category_thresholds, dtype=np.float64),
            bonus=incumbent_bonus,
            quantum=_quantum(top, stayers),
            stay_unit=stayers + 1,
        ),
        position_order=position_order,
        employee_order=employee_order,
        stay_column=incumbent_c[employee_order],
        forbidden_keys=f_rank[f_order].astype(np.int64) * m + f_col[f_order],
    )
    rules = problem.rules
    capacity = seat_count[position_order].astype(np.int64)

    scorer = BlockScorer(scores._prepared, scores.config, position_order)
    everyone = np.arange(n)
    deadline = None if time_limit is None else time.monotonic() + time_limit
    # The first candidates: on a workforce large enough, each employee's best pairs at prices
    # learnt on a sample of it and a greedy placement at them (see _learnt_prices); otherwise
    # the pairs the stream kept.
    learnt = _learnt_prices(scores, problem, scorer, everyone, capacity, per_row)
    bound = None
    if learnt is None:
        pairs = _Pairs.of_candidates(candidates, rank, column_of, problem)
    else:
        pairs, outside = _priced_pairs(
            scores, problem, scorer, everyone, capacity, learnt, fewest_first=True
        )
        bound = (outside, learnt)
    outcome = _rounds(
        scores, problem, scorer, everyone, capacity, pairs, max_rounds, deadline, per_row, bar,
        bound=bound,
    )  # fmt: skip
    solution, pairs, dual, violation = (
        outcome.solution, outcome.pairs, outcome.dual, outcome.violation
    )  # fmt: skip
    rounds, checked, stopped = outcome.rounds, outcome.checked, outcome.stopped

    if bar is not None:
        bar.close()
    # shadow prices are the largest optimal ones, as on the dense path (a pass: nobody moves)
    solution = max_weight_transport_sparse(
        pairs.indptr(n), pairs.cols, pairs.weights, capacity,
        prices=solution.position_prices, placement=solution.employee_position,
    )  # fmt: skip
    step = rules.quantum / rules.stay_unit
    # the loop of the whole workforce always checks its last solve
    assert dual is not None and violation is not None
    gap = max(0.0, (dual - int(solution.total)) * step)
    certificate = Certificate(
        optimal=stopped is None,
        duality_gap=gap,
        largest_violation=float(violation) * step,
        rounds=rounds,
        pairs_checked=checked,
        candidate_pairs=pairs.size,
        stopped=stopped,
    )
    return _result(
        scores, solution, pairs, problem, held, seat_count, certificate,
        {
            "objective": "total",
            "min_score": min_score,
            "min_category": min_category,
            "incumbent_bonus": incumbent_bonus,
            "prefer_stay": prefer_stay,
            "score_quantum": rules.quantum,
            "forbidden": int(f_rows.size),
            "time_limit": time_limit,
            "max_rounds": max_rounds,
        },
    )  # fmt: skip


def memory_estimate(n_employees: int, n_positions: int) -> int:
    """Bytes that placing streamed scores adds to what the scores hold, about.

    The candidate pairs (each employee's best pairs at the learnt prices, each position's, about
    as many seats as employees, and the violators that join them), the capacity solver's
    exchange matrix or rows of the positions and the check's blocks.

    Examples
    --------
    >>> round(memory_estimate(100_000, 2_000) / 1e9, 1)
    0.7
    """
    n, m = n_employees, n_positions
    first = n * (_FIRST_PER_ROW + 2 + _COLUMN_SHARE) + m * _FIRST_PER_ROW
    pairs = first * _GROWTH * _PAIR_BYTES
    # the exchange matrix, or the rows' pool: EXCHANGE_POOL entries of 16 bytes a pair
    rows = int(16 * EXCHANGE_POOL * first * _GROWTH)
    exchange = 16 * m * (m + 1) if m <= MAX_MATRIX_POSITIONS else rows
    return pairs + exchange + 3 * 8 * BLOCK_PAIRS + 200 * n


def _refuse_beyond_memory(n: int, m: int) -> None:
    """Refuse, before any work, a placement that cannot fit in this machine's memory."""
    need, physical = memory_estimate(n, m), _machine_memory()
    if physical is None or need <= physical:
        return
    raise InvalidParameterError(
        "scores",
        _CALLER,
        f"a workforce this machine can place: {n} employees x {m} positions from streamed "
        f"scores need about {need / 1e9:.1f} GB for the placement alone, more than its memory "
        f"({physical / 1e9:.1f} GB)",
        f"CandidateScores of shape {(n, m)}",
        fix="Place independent parts apart (e.g. one agency or class at a time: pairs between "
        "them are not eligible) or use a machine with more memory.",
    )


def _exact_dot(a: np.ndarray, b: np.ndarray) -> int:
    """``sum(a * b)`` of integer arrays as an exact Python int (no int64 overflow)."""
    return sum(int(x) * int(y) for x, y in zip(a.tolist(), b.tolist(), strict=True))


def _quantum(top: float, stayers: int) -> float:
    """The finest power of ten (1e-9 .. 1e-4) at which every weight stays below 2**55."""
    for decimals in range(_FINEST_DECIMALS, _COARSEST_DECIMALS - 1, -1):
        if (stayers + 1) * (top * 10.0**decimals + 1) + 1 < _WEIGHT_LIMIT:
            return 10.0**-decimals
    raise ValueError(
        f"The 'prefer_stay' parameter of {_CALLER} must be False for this workforce: "
        f"{stayers} incumbents with scores up to {top:.6g} pass the exact range of the "
        "tie-break weights even at a quantum of 1e-4. Pass prefer_stay=False or split the "
        "workforce (e.g. by agency)."
    )


@dataclass(frozen=True, eq=False)
class _Pairs:
    """The candidate pairs as ascending keys ``row * width + column``, with weights and JPM.

    24 bytes a pair (1,000,000 x 20,000 ends on 34-36 M of them); the values of the placed
    pairs are recomputed from their JPM (:func:`_result`), the columns from the keys.
    """

    keys: np.ndarray  # int64, ascending, distinct
    weights: np.ndarray  # int64
    jpm: np.ndarray  # float64, as scored (rounded to JPM_DECIMALS)
    width: int  # positions

    @property
    def size(self) -> int:
        return int(self.keys.size)

    @property
    def cols(self) -> np.ndarray:
        return self.keys % self.width

    @classmethod
    def empty(cls, width: int) -> _Pairs:
        return cls(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0), width)

    def indptr(self, n: int) -> np.ndarray:
        return np.searchsorted(self.keys, np.arange(n + 1) * self.width).astype(np.int64)

    @classmethod
    def of_candidates(cls, candidates, rank, column_of, problem: CanonicalProblem) -> _Pairs:
        """The stream's pairs that the rules allow, weighed."""
        rows = rank[np.asarray(candidates.employee_index, dtype=np.intp)]
        cols = column_of[np.asarray(candidates.position_index, dtype=np.intp)]
        jpm = np.asarray(candidates.jpm, dtype=np.float64)
        stay = problem.stay_column[rows] == cols
        _, weights = pair_weights(candidates.composite, jpm, stay, problem.rules)
        keep = weights > 0
        if problem.forbidden_keys.size:
            keep &= ~np.isin(rows.astype(np.int64) * column_of.size + cols, problem.forbidden_keys)
        return cls.empty(column_of.size).add(rows[keep], cols[keep], weights[keep], jpm[keep])

    def add(self, rows, cols, weights, jpm) -> _Pairs:
        """The union with new pairs; a pair already here takes the new (freshly scored) weight.

        Of equal new pairs the first given counts. The new pairs are merged in (one
        ``np.insert`` per array): no sort of the pairs already here, and no copy of them but
        the result.
        """
        new = np.asarray(rows, dtype=np.int64) * self.width + cols
        order = np.argsort(new, kind="stable")
        new = new[order]
        first = np.r_[True, new[1:] != new[:-1]] if new.size else np.zeros(0, bool)
        if not first.all():
            order, new = order[first], new[first]
        del first
        weights, jpm = np.asarray(weights)[order], np.asarray(jpm, dtype=np.float64)[order]
        del order
        if self.size == 0:
            return _Pairs(new, weights.astype(np.int64, copy=False), jpm, self.width)
        at = np.searchsorted(self.keys, new)
        known = at < self.size
        known[known] = self.keys[at[known]] == new[known]
        fresh = ~known
        keys = np.insert(self.keys, at[fresh], new[fresh])
        merged = _Pairs(
            keys,
            np.insert(self.weights, at[fresh], weights[fresh]),
            np.insert(self.jpm, at[fresh], jpm[fresh]),
            self.width,
        )
        if known.any():  # the arrays are new: updating them changes no one else's
            where = np.searchsorted(keys, new[known])
            merged.weights[where] = weights[known]
            merged.jpm[where] = jpm[known]
        return merged


def _priced_pairs(
    scores: CandidateScores,
    problem: CanonicalProblem,
    scorer: BlockScorer,
    rows: np.ndarray,
    capacity: np.ndarray,
    prices: np.ndarray,
    per_row: int = 0,
    fewest_first: bool = False,
) -> tuple[_Pairs, np.ndarray]:
    """Each employee's ``per_row`` best pairs at ``prices``, each position's, a greedy placement.

    The rows' best pairs by ``w_ij - v_j``; each position's pairs of least reduced cost
    ``u_i + v_j - w_ij`` at ``prices`` (``u_i`` the employee's best): its likely occupants and
    the employees whose bids set its price (without them a position in demand keeps about as
    many candidates as seats and its price collapses in the candidate solve). And each
    employee, in canonical order, claiming its best position with a seat left, so the
    candidates can fill the seats. With ``fewest_first``, employees claim in order of the seats
    open to them, fewest first: canonical greed left seats free that the employees it left
    unplaced could not take, and a free seat prices its position at 0, which pulls every price
    down (62,500 x 20,000: 1,125 unplaced and a first gap of 18%; fewest first, none and 3.1%).
    In a sample it did worse (12% against 3.3%): only the whole workforce claims this way.

    Returns the pairs (rows as indices into ``rows``) and each row's best ``w_ij - v_j`` on the
    pairs it did not keep: the first check's bounds (see :func:`_rounds`).
    """
    per_row = per_row or _FIRST_PER_ROW
    k = rows.size
    # a row keeping every pair already holds what the positions' lists would
    share = 0 if per_row >= capacity.size else _COLUMN_SHARE * capacity + _FIRST_PER_ROW
    columns = ColumnViolators(np.broadcast_to(share, capacity.shape), capacity)
    order = np.arange(k)
    if fewest_first:
        open_seats = scorer.eligible.seats_open_to(problem.employee_order[rows], capacity)
        if open_seats is not None:
            order = np.argsort(open_seats, kind="stable")
    check = price_rows(
        scores, problem, scorer, rows[order], prices, np.zeros(k, np.int64),
        np.full(k, -1, np.int64), columns, per_row, keep_stay=True, near_best=ANY_PAIR,
        known=(np.empty(0, np.int64), order),
    )  # fmt: skip
    assert check.outside is not None
    bound = np.empty(k, np.int64)
    bound[order] = check.outside
    pairs = _Pairs.empty(capacity.size).add(
        order[check.rows], check.cols, check.weights, check.jpm_of
    )
    return pairs, bound


@dataclass(frozen=True, eq=False)
class _Outcome:
    """The last candidate solve of :func:`_rounds` and how the loop ended."""

    solution: Any  # TransportSolution of the last candidate solve
    pairs: _Pairs
    dual: int | None  # sum(u) + capacity @ v over the checked rows, exact (None: unchecked)
    violation: int | None  # the largest violation of the last check (None: unchecked)
    rounds: int
    checked: int
    stopped: str | None


def _rounds(
    scores: CandidateScores,
    problem: CanonicalProblem,
    scorer: BlockScorer,
    rows: np.ndarray,
    capacity: np.ndarray,
    pairs: _Pairs,
    max_rounds: int,
    deadline: float | None,
    per_row: int,
    bar=None,
    certify: bool = True,
    bound: tuple[np.ndarray, np.ndarray] | None = None,
) -> _Outcome:
    """Solve on the candidates, price every pair of ``rows``, add the violators; repeat.

    Without ``certify`` (only the prices are wanted) the loop stops after ``max_rounds`` solves
    or once only the tie-break's last units violate (they do not move the prices), unchecked.
    ``bound`` gives the first check its bounds: each row's best ``w_ij - v_j`` outside the
    candidates at the prices that come with them (those the first candidates were chosen at).

    A solve starts from the last prices and placement (the employees no new pair draws away
    keep their seats without a search) once the last check's duality gap is at most
    :data:`_WARM_GAP` of the total, less beyond :data:`_WARM_POSITIONS` positions, where a warm
    start's searches grow longer (5.0e-4 off: 441 s warm against 228 s cold at 1,000,000 x
    20,000; 6.7e-4 off: 18-26 s against 35-52 s at 250,000 x 5,000; benchmarks/RESULTS.md).
    Once only the last few units of the stay tie-break violate, an employee can have dozens of
    violators of equal slack, and each round adding a handful of them gains a few stays: those
    rounds keep :data:`_TAIL_PER_ROW` per employee (32: four tail rounds of 3-9 s; 256: one of
    13 s on 3.9 M new pairs; 128: one of 2-4 s), without the positions' share of them (the
    stays are each employee's own position: nothing to spread).

    A check prices again only what may violate. Each check leaves every row a bound, its best
    ``w_ij - v_j`` outside the candidates and its kept violators (which join them) at that
    check's prices; candidates are only added, so at the next prices a column's pairs are
    bounded by the bound raised by that column's fall. Where the largest fall outside a few
    columns leaves a row's bound at most its value in the new solve, only those columns of the
    row are priced (:func:`~asn_match._large_pricing.check_rows`), and its value over every
    pair is the larger of theirs and its candidates': the check's dual objective stays exact
    without pricing the rest.
    """
    m = capacity.size
    top = int(pairs.weights.max(initial=1))
    prices: np.ndarray | None = None  # of the last solve
    placed = None
    violation: int | None = None  # of the last check
    warm = False  # the last check's duality gap is small
    rounds = checked = 0
    stopped = None
    # the rows' bounds on their pairs outside the candidates at the last check's prices
    outside, checked_prices = (None, None) if bound is None else bound
    while True:
        rounds += 1
        solution = max_weight_transport_sparse(
            pairs.indptr(rows.size), pairs.cols, pairs.weights, capacity,
            prices=prices if warm else None, placement=placed if warm else None, dual="middle",
        )  # fmt: skip
        placed = solution.employee_position
        prices = solution.position_prices
        tail = violation is not None and violation * _TAIL_SHARE <= top
        if not certify and (rounds >= max_rounds or tail):
            # only prices are wanted: the tie-break's last units do not move them
            return _Outcome(solution, pairs, None, violation, rounds, checked, "rounds")
        # a position without seats takes no one at any price: none of its pairs can violate
        now = np.where(capacity > 0, prices, ANY_PAIR)
        check = check_rows(
            scores, problem, scorer, rows, solution, capacity, now, pairs.keys,
            _TAIL_PER_ROW if tail else per_row, bar, rounds, spread=not tail, bound=outside,
            change=None if checked_prices is None else checked_prices - now,
        )  # fmt: skip
        outside, checked_prices = check.outside, now
        checked += check.pairs
        # Python ints: the weights reach 2**55, their sums pass int64
        dual = check.values_sum + _exact_dot(capacity, prices)
        warm = dual - int(solution.total) <= _WARM_GAP * int(solution.total) * min(
            1.0, _WARM_POSITIONS / m
        )
        violation = check.largest_violation
        if check.rows.size == 0:
            break
        if rounds >= max_rounds:
            stopped = "rounds"
            break
        if deadline is not None and time.monotonic() >= deadline:
            stopped = "time"
            break
        pairs = pairs.add(check.rows, check.cols, check.weights, check.jpm_of)
    return _Outcome(solution, pairs, dual, violation, rounds, checked, stopped)


def _learnt_prices(
    scores: CandidateScores,
    problem: CanonicalProblem,
    scorer: BlockScorer,
    rows: np.ndarray,
    capacity: np.ndarray,
    per_row: int,
) -> np.ndarray | None:
    """Prices of the positions learnt on a sample of the canonical ``rows`` (None if small).

    Every :data:`_SAMPLE_STEP`-th employee with the seats scaled alike is a smaller market of
    the same kind: its prices are close to those of the whole, and from them each employee's
    best pairs hold its place in the optimum far more often than its best scores do (strong
    employees top every position's list). The sample is placed the same way, from the prices of
    its own sample, in a few rounds (only prices are wanted: no certificate), down to a sample
    small enough to place on every allowed pair, however thin: its positions without a seat are
    priced where none of its employees wants them, which the rounds above correct. Measured at
    250,000 x 5,000: from a chain ending on all pairs of 977 employees (0.2 a position), the
    samples settled in 2 rounds each and the whole workforce's first two solves left duality
    gaps of 6.7e-4 and 2.5e-7 of the total; from prices 0 at a sample of 15,625 (3 a position;
    its gap was still 14% after 5 rounds), 2.7e-3 and 3.4e-4. The prices only choose
    candidates: a solve from them as a warm start was slower than a cold one (they are not
    lower bounds).
    """
    m = capacity.size
    if rows.size * m <= _DIRECT_PAIRS or rows.size < 2 * _SAMPLE_STEP:
        return None
    sample = rows[::_SAMPLE_STEP]
    seats = _scaled_seats(capacity, sample.size / rows.size)
    if sample.size * m <= _EVERY_PAIR:  # small: every allowed pair of the sample, one solve
        pairs, _ = _priced_pairs(scores, problem, scorer, sample, seats, np.zeros(m, np.int64), m)
        return max_weight_transport_sparse(
            pairs.indptr(sample.size), pairs.cols, pairs.weights, seats, dual="middle"
        ).position_prices
    prices = _learnt_prices(scores, problem, scorer, sample, seats, per_row)
    if prices is None:  # a sample too small to sample again
        prices = np.zeros(m, np.int64)
    pairs, outside = _priced_pairs(scores, problem, scorer, sample, seats, prices)
    outcome = _rounds(
        scores, problem, scorer, sample, seats, pairs, _SAMPLE_ROUNDS, None, per_row,
        certify=False, bound=(outside, prices),
    )  # fmt: skip
    return outcome.solution.position_prices


def _scaled_seats(capacity: np.ndarray, share: float) -> np.ndarray:
    """Seats times ``share`` in whole seats (largest remainders first, ties to the first)."""
    exact = capacity * share
    seats = np.floor(exact).astype(np.int64)
    short = int(round(float(capacity.sum()) * share)) - int(seats.sum())
    if short > 0:
        seats[np.argsort(-(exact - seats), kind="stable")[:short]] += 1
    return seats


def _result(
    scores,
    solution,
    pairs: _Pairs,
    problem: CanonicalProblem,
    held,
    seat_count,
    certificate,
    options,
) -> CandidatePlacement:
    n, m = scores.shape
    employee_order, position_order = problem.employee_order, problem.position_order
    rules = problem.rules
    column = np.asarray(solution.employee_position)  # per canonical row
    placed_rows = np.flatnonzero(column >= 0)
    # the placed pair's entry among the candidates
    entry = np.searchsorted(pairs.keys, placed_rows * m + column[placed_rows])
    employee_position = np.full(n, -1, dtype=np.intp)
    who = employee_order[placed_rows]
    employee_position[who] = position_order[column[placed_rows]]
    jpm = np.full(n, np.nan)
    jpm[who] = pairs.jpm[entry]
    stays = held[who] == employee_position[who]
    # the values the weights were made of, by the same operations (same bits)
    values = np.full(n, np.nan)
    values[who], _ = pair_weights(
        pair_composite(scores._prepared, jpm[who], who), jpm[who], stays, rules
    )
    composite = values.copy()
    composite[who] = values[who] - rules.bonus * stays
    category = np.full(n, -1, dtype=np.int8)
    category[who] = categorize(jpm[who], tuple(rules.thresholds.tolist()))
    prices = np.empty(m)
    prices[position_order] = np.asarray(solution.position_prices) * (
        rules.quantum / rules.stay_unit
    )
    return CandidatePlacement(
        scores=scores,
        employee_position=employee_position,
        jpm=jpm,
        composite=composite,
        category_code=category,
        seats=seat_count,
        incumbent=held,
        shadow_prices=prices,
        objective_value=float(np.nansum(values)),
        certificate=certificate,
        options=options,
    )
