"""Placement of workforces beyond dense memory: candidate pairs, certified optimal.

When :func:`asn_match.score` streams (``dense=False``, or a workforce whose dense scores would not
fit), it keeps only *candidate* pairs: the ``top_k`` best eligible positions of every employee and
the ``top_k`` best eligible employees of every position. :func:`asn_match.assign` then places the
workforce with :func:`place_candidates`:

1. the placement is solved on the candidate pairs with seats as capacities
   (:func:`~asn_match.kernels.transport.max_weight_transport_sparse`), which also gives the
   positions' prices;
2. every eligible pair of the full problem is scored again, block by block (at scoring speed,
   never held whole), and priced (:func:`~asn_match.kernels.certify.block_violations`): by weak
   duality the placement is optimal when no pair is worth more to its employee at these prices
   than what the employee got;
3. pairs that are worth more (*violators*) join the candidates and the problem is solved again
   from the last prices, until none is left.

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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import placement_views
from ._checks import check_bool, check_int, check_real, freeze_arrays
from ._placement_rules import incumbent_positions, minimum_rules, seat_vector
from ._progress import progress_bar
from ._scoring_policy import block_composite, jpm_operator
from .errors import InputError, Problem
from .io import write_table
from .kernels.certify import Certificate, PairRules, pair_weights, price_block
from .kernels.eligibility import eligibility
from .kernels.jpm import categorize
from .kernels.transport import max_weight_transport_sparse
from .pairs import PairIndex
from .pseudonym import check_key, pseudonymize_frame
from .rules import JPM_DECIMALS
from .tiebreak import TIEBREAK_KEY, canonical_order

if TYPE_CHECKING:
    from .scoring import CandidateScores

__all__ = ["CandidatePlacement", "place_candidates"]

_CALLER = "assign"
#: Finest quantum of the values (the resolution of the dense path) and the coarsest tried.
_FINEST_DECIMALS, _COARSEST_DECIMALS = 9, 4
#: Largest integer weight handed to the capacity solver (its exact range is 2**56).
_WEIGHT_LIMIT = 2**55
#: Pairs of one block scored in the check (about 64 MiB of float64 per array).
_BLOCK_PAIRS = 2**23


@dataclass(frozen=True, eq=False)
class _Problem:
    """The problem in canonical indices: rules, incumbents and forbidden pairs."""

    rules: PairRules
    position_order: np.ndarray  # (m,) input index of each canonical column
    employee_order: np.ndarray  # (n,) input index of each canonical row
    stay_column: np.ndarray  # (n,) canonical column held now by each canonical row, -1 if none
    forbidden_rows: np.ndarray  # (k,) canonical rows of forbidden pairs, sorted with ...
    forbidden_cols: np.ndarray  # (k,) ... their canonical columns

    def forbidden_block(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """CSR of the forbidden columns of canonical rows ``start:stop``."""
        bounds = np.searchsorted(self.forbidden_rows, np.arange(start, stop + 1))
        return (bounds - bounds[0]).astype(np.int64), self.forbidden_cols[bounds[0] : bounds[-1]]


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
    problem = _Problem(
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
        forbidden_rows=f_rank[f_order].astype(np.int64),
        forbidden_cols=f_col[f_order].astype(np.int64),
    )
    rules = problem.rules
    capacity = seat_count[position_order].astype(np.int64)

    # The first candidates: the pairs the stream kept, in canonical rows and columns.
    pairs = _Pairs.of_candidates(candidates, rank, column_of, problem)
    deadline = None if time_limit is None else time.monotonic() + time_limit
    prices = None
    rounds = checked = 0
    stopped = None
    while True:
        rounds += 1
        solution = max_weight_transport_sparse(
            pairs.indptr(n), pairs.cols, pairs.weights, capacity, prices=prices
        )
        prices = solution.position_prices
        check = _check(scores, problem, prices, solution.employee_values, per_row, bar, rounds)
        checked += check.pairs
        # Python ints: the weights reach 2**55, their sums pass int64
        dual = check.values_sum + _exact_dot(capacity, prices)
        violation = check.largest_violation
        if check.rows.size == 0:
            break
        if rounds >= max_rounds:
            stopped = "rounds"
            break
        if deadline is not None and time.monotonic() >= deadline:
            stopped = "time"
            break
        pairs = pairs.add(check.rows, check.cols, check.weights, check.values_of, check.jpm_of, m)

    if bar is not None:
        bar.close()
    step = rules.quantum / rules.stay_unit
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
    """The candidate pairs, sorted by canonical row then column, with their weights."""

    rows: np.ndarray
    cols: np.ndarray
    weights: np.ndarray
    values: np.ndarray  # score units (composite + bonus)
    jpm: np.ndarray

    @property
    def size(self) -> int:
        return int(self.rows.size)

    def indptr(self, n: int) -> np.ndarray:
        return np.searchsorted(self.rows, np.arange(n + 1)).astype(np.int64)

    @classmethod
    def of_candidates(cls, candidates, rank, column_of, problem: _Problem) -> _Pairs:
        """The stream's pairs that the rules allow, weighed."""
        rows = rank[np.asarray(candidates.employee_index, dtype=np.intp)]
        cols = column_of[np.asarray(candidates.position_index, dtype=np.intp)]
        jpm = np.asarray(candidates.jpm, dtype=np.float64)
        stay = problem.stay_column[rows] == cols
        values, weights = pair_weights(candidates.composite, jpm, stay, problem.rules)
        keep = weights > 0
        if problem.forbidden_rows.size:
            m = column_of.size
            keys = problem.forbidden_rows * m + problem.forbidden_cols
            keep &= ~np.isin(rows.astype(np.int64) * m + cols, keys)
        return cls._sorted(rows[keep], cols[keep], weights[keep], values[keep], jpm[keep])

    @classmethod
    def _sorted(cls, rows, cols, weights, values, jpm) -> _Pairs:
        order = np.lexsort((cols, rows))
        return cls(
            rows[order].astype(np.int64),
            cols[order].astype(np.int64),
            weights[order].astype(np.int64),
            values[order],
            jpm[order],
        )

    def add(self, rows, cols, weights, values, jpm, m: int) -> _Pairs:
        """The union with new pairs; a pair already here takes the new (freshly scored) values."""
        joined = _Pairs._sorted(
            np.concatenate([rows, self.rows]),
            np.concatenate([cols, self.cols]),
            np.concatenate([weights, self.weights]),
            np.concatenate([values, self.values]),
            np.concatenate([jpm, self.jpm]),
        )  # the sort is stable: of two equal pairs the new one comes first
        keys = joined.rows * m + joined.cols
        first = np.r_[True, keys[1:] != keys[:-1]]
        return _Pairs(
            joined.rows[first],
            joined.cols[first],
            joined.weights[first],
            joined.values[first],
            joined.jpm[first],
        )


@dataclass(frozen=True, eq=False)
class _Check:
    """The check of the full problem against the prices of one candidate solve."""

    values_sum: int
    rows: np.ndarray  # canonical rows of the violators kept
    cols: np.ndarray
    weights: np.ndarray
    values_of: np.ndarray
    jpm_of: np.ndarray
    largest_violation: int
    pairs: int


_Block = tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _blocks(scores: CandidateScores, employee_order: np.ndarray) -> Iterator[_Block]:
    """Every pair scored again, by blocks of canonical rows: (start, rows, jpm, composite, ok).

    The same operations as scoring (JPM rounded to JPM_DECIMALS, then the composite), so a pair
    weighs here what it weighed among the candidates.
    """
    prep = scores._prepared
    operator = jpm_operator(prep, scores.config)
    n, m = scores.shape
    block = max(1, _BLOCK_PAIRS // max(m, 1))
    for start in range(0, n, block):
        rows = employee_order[start : start + block]
        jpm = operator.apply(prep.levels[rows])
        np.round(jpm, JPM_DECIMALS, out=jpm)
        composite = block_composite(prep, jpm, rows)
        eligible, _ = eligibility(prep.qualifications.rows(rows), prep.requirements)
        yield start, rows, jpm, composite, eligible


def _check(scores, problem: _Problem, prices, candidate_values, per_row, bar, round_) -> _Check:
    """Price every allowed pair of the full problem, block by block (see kernels.certify)."""
    if bar is not None:
        bar.reset()
        bar.set_description(f"round {round_}: pricing every pair")
    total = 0
    found_rows, found_cols, found_w, found_v, found_j = [], [], [], [], []
    largest, pairs = 0, 0
    order = problem.position_order
    for start, rows, jpm, composite, eligible in _blocks(scores, problem.employee_order):
        stop = start + rows.size
        check = price_block(
            composite,
            jpm,
            eligible,
            order,
            problem.stay_column[start:stop],
            problem.forbidden_block(start, stop),
            prices,
            candidate_values[start:stop],
            problem.rules,
            per_row=per_row,
        )
        total += _exact_dot(np.ones_like(check.values), check.values)
        pairs += check.pairs
        if bar is not None:
            bar.update(rows.size)
        largest = max(largest, int(check.largest_violation))
        if check.rows.size:
            j = order[check.cols]
            stay = problem.stay_column[start + check.rows] == check.cols
            values, _ = pair_weights(
                composite[check.rows, j], jpm[check.rows, j], stay, problem.rules
            )
            found_rows.append(check.rows + start)
            found_cols.append(check.cols)
            found_w.append(check.weights)
            found_v.append(values)
            found_j.append(jpm[check.rows, j])
    empty_i, empty_f = np.empty(0, np.int64), np.empty(0)
    return _Check(
        values_sum=total,
        rows=np.concatenate(found_rows) if found_rows else empty_i,
        cols=np.concatenate(found_cols) if found_cols else empty_i,
        weights=np.concatenate(found_w) if found_w else empty_i,
        values_of=np.concatenate(found_v) if found_v else empty_f,
        jpm_of=np.concatenate(found_j) if found_j else empty_f,
        largest_violation=largest,
        pairs=pairs,
    )


def _result(
    scores, solution, pairs: _Pairs, problem: _Problem, held, seat_count, certificate, options
) -> CandidatePlacement:
    n, m = scores.shape
    employee_order, position_order = problem.employee_order, problem.position_order
    rules = problem.rules
    column = np.asarray(solution.employee_position)  # per canonical row
    placed_rows = np.flatnonzero(column >= 0)
    # the placed pair's entry among the candidates (sorted by row, then column)
    entry = np.searchsorted(pairs.rows * m + pairs.cols, placed_rows * m + column[placed_rows])
    employee_position = np.full(n, -1, dtype=np.intp)
    who = employee_order[placed_rows]
    employee_position[who] = position_order[column[placed_rows]]
    jpm = np.full(n, np.nan)
    jpm[who] = pairs.jpm[entry]
    values = np.full(n, np.nan)
    values[who] = pairs.values[entry]
    stays = held[who] == employee_position[who]
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
