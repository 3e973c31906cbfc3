"""Score every employee against every position: JPM, category, merit composite and eligibility.

:func:`score` aligns the competency columns of the two tables by code, applies the policy of a
:class:`~asn_match.config.ScoringConfig` and returns :class:`Scores`.

Dense or streamed
-----------------
The full result takes :data:`RESULT_BYTES_PER_PAIR` (20) bytes per pair: the JPM and the composite
(float64), the reason mask (uint16), eligibility and category (1 byte each). When
``n_employees * n_positions * 20 <= memory_limit`` (default :data:`DENSE_MEMORY_LIMIT`, 1 GiB,
about 53 million pairs) every pair is kept (``Scores.is_dense``). Otherwise employees are scored
in blocks and only the ``top_k`` best eligible positions of each employee and the ``top_k`` best
eligible employees of each position (by composite) are kept, in ``Scores.candidates``; the full
matrix never exists. A block's JPM takes at most :data:`STREAM_BLOCK_BYTES`; the selection runs on
cache-sized chunks of it. Each position keeps a threshold, a lower bound of its final k-th best
(seeded by a pilot pass over a fixed pseudo-random sample of employees), and only pairs at or above
it are merged into its list. Measured on a 2-core machine: 100,000 employees x 20,000 positions,
top 50, in well under a minute and under 1 GB (``benchmarks/bench_stream.py``).

JPM values are rounded to :data:`JPM_DECIMALS` (9) decimals, far below any meaningful difference,
so that a pair scores the same in a dense and in a streamed run whatever the block shapes (the
round-off of a matrix product depends on them).

Ranking order everywhere (top-k lists, the streamed candidate set): composite rounded to
:data:`RANK_DECIMALS` (6) decimals, descending, then the neutral tie-break of
:mod:`asn_match.tiebreak` (a keyed hash of the id), so results do not depend on the input's row
order, nor on any digit of an id.

Fairness by construction: scoring reads levels, standards, weights, rank, education, performance,
potential and the descriptive columns a policy names; never ``Employees.protected``.
"""

from __future__ import annotations

import difflib
import math
import numbers
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from .config import RequirementRule, ScoringConfig
from .errors import InputError, Problem
from .kernels.composite import composite, employee_merit
from .kernels.eligibility import (
    REASONS,
    EmployeeQualifications,
    PositionRequirements,
    describe_reasons,
    eligibility,
    pair_eligibility,
)
from .kernels.jpm import JPMOperator, categorize, prepare_positions
from .kernels.topk import (
    key_bits,
    quantize,
    ranking_keys,
    split_keys,
    top_k_keys,
    top_k_per_column,
    top_k_per_row,
)
from .ordinals import education_code, rank_code
from .tables import Employees, Positions
from .tiebreak import tiebreak_rank

__all__ = [
    "DENSE_MEMORY_LIMIT",
    "JPM_DECIMALS",
    "RANK_DECIMALS",
    "REASONS",
    "RESULT_BYTES_PER_PAIR",
    "STREAM_BLOCK_BYTES",
    "Candidates",
    "Scores",
    "expectation_weights",
    "score",
]

#: Bytes a dense result takes per pair: jpm and composite (8 + 8), reasons (2), eligible and
#: category (1 + 1).
RESULT_BYTES_PER_PAIR = 20
#: Default bound on the dense result (1 GiB); larger problems are streamed.
DENSE_MEMORY_LIMIT = 2**30
#: Memory of the JPM of one streamed block of employees (64 MiB): the default block holds
#: ``STREAM_BLOCK_BYTES // (8 * n_positions)`` employees.
STREAM_BLOCK_BYTES = 2**26
# Pairs per selection chunk: the composite, keys and masks of a chunk stay in cache (4 MiB each).
_CHUNK_PAIRS = 2**19
# Employees per kept slot scored in the pilot pass that seeds the per-position thresholds.
_PILOT_PER_SLOT = 20
# Largest (qualification profiles x positions) eligibility table the stream precomputes.
_PROFILE_TABLE_PAIRS = 2**23
#: JPM values are rounded to this many decimals: the matrix product's round-off depends on the
#: block shape (BLAS picks kernels by size), and without rounding the same pair could score
#: 99.99999999999999 in one block and 100.0 in another, breaking ties differently.
JPM_DECIMALS = 9
#: Composites (0-100) are ranked to this many decimals, then by the neutral tie-break: in dense
#: top-k lists, streamed selection and candidate lists alike.
RANK_DECIMALS = 6


# ------------------------------------------------------------------------------------------------
# results


def _freeze(obj) -> None:
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, np.ndarray):
            value.setflags(write=False)


@dataclass(frozen=True, eq=False)
class Candidates:
    """The pairs a streamed :class:`Scores` kept, as 1-D arrays of one length.

    Every kept pair is eligible and is among the ``top_k`` best (by composite) of its employee or
    of its position. Sorted by employee row, then position row.

    Attributes
    ----------
    employee_index, position_index : ndarray of shape (n_pairs,), int64
        Rows in ``Scores.employees`` and ``Scores.positions``.
    jpm, composite : ndarray of shape (n_pairs,), float64
    eligible : ndarray of shape (n_pairs,), bool
    reasons : ndarray of shape (n_pairs,), uint16
    category_code : ndarray of shape (n_pairs,), int8
    """

    employee_index: np.ndarray
    position_index: np.ndarray
    jpm: np.ndarray
    composite: np.ndarray
    eligible: np.ndarray
    reasons: np.ndarray
    category_code: np.ndarray

    def __post_init__(self) -> None:
        _freeze(self)

    def __len__(self) -> int:
        return len(self.employee_index)

    def _columns(self) -> dict[str, np.ndarray]:
        """The per-pair arrays by their pair-table name (as :meth:`Scores._dense_columns`)."""
        return {
            "jpm": self.jpm,
            "composite": self.composite,
            "eligible": self.eligible,
            "reason_bits": self.reasons,
            "category_code": self.category_code,
        }


@dataclass(frozen=True, eq=False)
class _Prepared:
    """Everything the kernels need, derived once from the tables and the policy."""

    codes: tuple[str, ...]  # competencies some position requires, in the positions' order
    kinds: np.ndarray  # (K,)
    levels: np.ndarray  # (n, K), missing levels filled per policy
    assessed: np.ndarray  # (n, K) bool
    standard: np.ndarray  # (m, K), NaN = not required
    weights: np.ndarray  # (m, K) effective expectation weights
    performance: np.ndarray  # (n,) missing values resolved where the weight counts
    potential: np.ndarray
    experience: np.ndarray | None
    merit: np.ndarray  # (n,)
    composite_weights: tuple[float, float, float, float]
    qualifications: EmployeeQualifications
    requirements: PositionRequirements
    employee_tiebreak: np.ndarray  # (n,) rank in the neutral order
    position_tiebreak: np.ndarray  # (m,)
    level_floor: float | None


class Scores:
    """Scores of employees for positions; built by :func:`score`.

    Attributes
    ----------
    employees : Employees
    positions : Positions
    config : ScoringConfig
    is_dense : bool
        Whether every pair is kept (the arrays below) or only candidates (``candidates``).
    jpm : ndarray of shape (n_employees, n_positions), float64, or None
        Job Person Match in percent, for every pair, eligible or not. None when streamed.
    composite : ndarray of shape (n_employees, n_positions), float64, or None
        The merit composite on 0-100 that placement maximises. Ineligible pairs keep a value;
        never place them. None when streamed.
    eligible : ndarray of shape (n_employees, n_positions), bool, or None
    reasons : ndarray of shape (n_employees, n_positions), uint16, or None
        Bitmask of ineligibility reasons (0 = eligible); :data:`REASONS` maps bit to code.
    category_code : ndarray of shape (n_employees, n_positions), int8, or None
        0 = best category .. 2 = lowest, on ``config.category_scale``.
    candidates : Candidates or None
        The kept pairs when streamed; None when dense.
    top_k_kept : int or None
        The ``top_k`` of a streamed scoring; None when dense.
    codes : tuple of str
        The competencies that take part (required by at least one position).
    expectation_weights : ndarray of shape (n_positions, len(codes)), float64
        Job-expectation weights after the class weighting policy; 0 where not required.
    merit : ndarray of shape (n_employees,), float64
        The position-independent part of the composite (performance, potential, experience).

    All arrays are read-only.

    Examples
    --------
    >>> from asn_match.datasets import synthetic_workforce
    >>> s = score(*synthetic_workforce(30, 5, seed=4))
    >>> s.shape, s.jpm.dtype.name, s.reasons.dtype.name
    ((30, 5), 'float64', 'uint16')
    >>> s.top_k(1, by="position")[["position_id", "rank"]].shape
    (5, 2)
    """

    def __init__(
        self,
        *,
        employees: Employees,
        positions: Positions,
        config: ScoringConfig,
        prepared: _Prepared,
        jpm: np.ndarray | None = None,
        composite: np.ndarray | None = None,
        eligible: np.ndarray | None = None,
        reasons: np.ndarray | None = None,
        category_code: np.ndarray | None = None,
        candidates: Candidates | None = None,
        top_k_kept: int | None = None,
    ):
        self.employees = employees
        self.positions = positions
        self.config = config
        self._prepared = prepared
        self.jpm = jpm
        self.composite = composite
        self.eligible = eligible
        self.reasons = reasons
        self.category_code = category_code
        self.candidates = candidates
        self.top_k_kept = top_k_kept
        for array in (jpm, composite, eligible, reasons, category_code):
            if array is not None:
                array.setflags(write=False)

    # -- simple views ---------------------------------------------------------------------------
    @property
    def is_dense(self) -> bool:
        """Whether every pair is kept."""
        return self.candidates is None

    @property
    def shape(self) -> tuple[int, int]:
        """(n_employees, n_positions)."""
        return len(self.employees), len(self.positions)

    @property
    def codes(self) -> tuple[str, ...]:
        """Competencies that take part, in the column order of ``expectation_weights``."""
        return self._prepared.codes

    @property
    def expectation_weights(self) -> np.ndarray:
        """Effective job-expectation weights, shape (n_positions, len(codes))."""
        return self._prepared.weights

    @property
    def merit(self) -> np.ndarray:
        """Position-independent part of the composite, shape (n_employees,)."""
        return self._prepared.merit

    def __repr__(self) -> str:
        n, m = self.shape
        kind = "dense" if self.is_dense else f"streamed, top {self.top_k_kept}"
        return (
            f"<Scores: {n} employees x {m} positions ({kind}), method={self.config.method!r}, "
            f"scale={self.config.category_scale!r}>"
        )

    def category(self) -> np.ndarray:
        """Category labels: shape (n_employees, n_positions) when dense, (n_pairs,) when streamed.

        Examples
        --------
        >>> from asn_match.datasets import synthetic_workforce
        >>> s = score(*synthetic_workforce(20, 4, seed=1))
        >>> s.category().shape
        (20, 4)
        """
        labels = np.array(self.config.category_labels, dtype=object)
        c = self.candidates
        codes = self.category_code if c is None else c.category_code
        return labels[codes]

    def reason_text(self, i: int, j: int) -> list[str]:
        """Readable reasons why employee row ``i`` may not hold position row ``j``; empty if it may.

        Examples
        --------
        >>> from asn_match.datasets import synthetic_workforce
        >>> s = score(*synthetic_workforce(20, 4, seed=1))
        >>> isinstance(s.reason_text(0, 0), list)
        True
        """
        n, m = self.shape
        for name, value, size in (("i", i, n), ("j", j, m)):
            if not _integral(value) or not 0 <= value < size:
                raise ValueError(
                    f"The {name!r} parameter of Scores.reason_text must be a row index in "
                    f"[0, {size}). Got {value!r} instead."
                )
        prep = self._prepared
        _, bits = pair_eligibility(prep.qualifications, prep.requirements, [i], [j])
        return describe_reasons(bits, [i], [j], prep.qualifications, prep.requirements)[0]

    # -- long tables ----------------------------------------------------------------------------
    def _pair_frame(self, rows: np.ndarray, cols: np.ndarray, columns: dict) -> pd.DataFrame:
        labels = np.array(self.config.category_labels, dtype=object)
        frame = {
            "employee_id": self.employees.ids[rows],
            "position_id": self.positions.ids[cols],
            **columns,
        }
        frame["category"] = labels[frame.pop("category_code")]
        frame["reasons"] = self._reason_strings(frame.pop("reason_bits"), rows, cols)
        order = ["employee_id", "position_id", "jpm", "category", "composite", "eligible",
                 "reasons"]  # fmt: skip
        head = [c for c in frame if c not in order]
        return pd.DataFrame({c: frame[c] for c in head + order})

    def to_frame(self) -> pd.DataFrame:
        """One row per kept pair (every pair when dense), in long format.

        Dense scores give ``n_employees * n_positions`` rows, about 110 bytes each (5 million
        pairs: some 0.6 GB and a few seconds); for a large workforce, :meth:`top_k` gives the
        pairs that matter.

        Returns
        -------
        DataFrame
            Columns ``employee_id``, ``position_id``, ``jpm``, ``category``, ``composite``,
            ``eligible``, ``reasons`` (readable, ``"; "``-separated, empty when eligible).
            Dense: employees in table order, each with every position in table order.

        Examples
        --------
        >>> from asn_match.datasets import synthetic_workforce
        >>> s = score(*synthetic_workforce(20, 4, seed=1))
        >>> s.to_frame().shape
        (80, 7)
        """
        c = self.candidates
        if c is None:
            n, m = self.shape
            rows = np.repeat(np.arange(n), m)
            cols = np.tile(np.arange(m), n)
            columns = {name: values.ravel() for name, values in self._dense_columns().items()}
        else:
            rows, cols = c.employee_index, c.position_index
            columns = c._columns()
        return self._pair_frame(rows, cols, columns)

    def _dense_columns(self) -> dict[str, np.ndarray]:
        """The (n_employees, n_positions) arrays of dense scores, by their pair-table name."""
        jpm, composite, eligible = self.jpm, self.composite, self.eligible
        reasons, category_code = self.reasons, self.category_code
        # score() fills every array when it keeps every pair
        assert jpm is not None and composite is not None and eligible is not None
        assert reasons is not None and category_code is not None
        return {
            "jpm": jpm,
            "composite": composite,
            "eligible": eligible,
            "reason_bits": reasons,
            "category_code": category_code,
        }

    def top_k(self, k: int, *, by: str = "employee", eligible_only: bool = True) -> pd.DataFrame:
        """The ``k`` best positions of each employee, or the ``k`` best employees of each position.

        Parameters
        ----------
        k : int
            How many per employee (or position), >= 1. When streamed, at most the ``top_k``
            scoring kept.
        by : {"employee", "position"}, default "employee"
        eligible_only : bool, default True
            Rank only eligible pairs. ``False`` needs dense scores (a streamed scoring keeps
            eligible pairs only).

        Returns
        -------
        DataFrame
            ``by="employee"``: columns ``employee_id``, ``rank`` (1 = best), ``position_id``,
            ``jpm``, ``category``, ``composite``, ``eligible``, ``reasons``; employees in table
            order. ``by="position"``: ``position_id``, ``rank``, ``employee_id``, then the same.
            Ordered by composite, ties by the neutral tie-break of the id.

        Examples
        --------
        >>> from asn_match.datasets import synthetic_workforce
        >>> s = score(*synthetic_workforce(30, 6, seed=2))
        >>> best = s.top_k(2, by="position")
        >>> best.columns[:3].tolist()
        ['position_id', 'rank', 'employee_id']
        """
        if isinstance(k, bool) or not _integral(k) or k < 1:
            raise ValueError(
                f"The 'k' parameter of Scores.top_k must be an int >= 1. Got {k!r} instead."
            )
        if by not in ("employee", "position"):
            raise ValueError(
                "The 'by' parameter of Scores.top_k must be a str among {'employee', 'position'}. "
                f"Got {by!r} instead."
            )
        if not isinstance(eligible_only, (bool, np.bool_)):
            raise ValueError(
                "The 'eligible_only' parameter of Scores.top_k must be an instance of 'bool'. "
                f"Got {eligible_only!r} instead."
            )
        prep = self._prepared
        c = self.candidates
        if c is None:
            dense = self._dense_columns()
            mask = dense["eligible"] if eligible_only else None
            ranked = np.round(dense["composite"], RANK_DECIMALS)
            if by == "employee":
                index, _ = top_k_per_row(ranked, k, mask=mask, tiebreak=prep.position_tiebreak)
            else:
                index, _ = top_k_per_column(ranked, k, mask=mask, tiebreak=prep.employee_tiebreak)
            owner, slot = np.nonzero(index >= 0)
            other = index[owner, slot]
            rows, cols = (owner, other) if by == "employee" else (other, owner)
            columns = {name: values[rows, cols] for name, values in dense.items()}
            rank = slot + 1
        else:
            if not eligible_only:
                raise ValueError(
                    "Scores.top_k(eligible_only=False) needs dense scores: a streamed scoring "
                    "keeps eligible pairs only. Score again with dense=True."
                )
            kept = self.top_k_kept
            if kept is not None and k > kept:
                raise ValueError(
                    f"The 'k' parameter of Scores.top_k must be at most {kept}, the "
                    f"top_k this streamed scoring kept. Got {k!r} instead. Score again with "
                    f"top_k={k} or dense=True."
                )
            if by == "employee":
                group, tiebreak = c.employee_index, prep.position_tiebreak[c.position_index]
            else:
                group, tiebreak = c.position_index, prep.employee_tiebreak[c.employee_index]
            order = np.lexsort((tiebreak, -np.round(c.composite, RANK_DECIMALS), group))
            sorted_group = group[order]
            first = np.searchsorted(sorted_group, sorted_group, side="left")
            place = np.arange(len(order)) - first
            keep = order[place < k]
            rank = place[place < k] + 1
            rows, cols = c.employee_index[keep], c.position_index[keep]
            columns = {name: values[keep] for name, values in c._columns().items()}
        frame = self._pair_frame(rows, cols, {"rank": rank, **columns})
        lead = ["employee_id", "rank", "position_id"]
        if by == "position":
            lead = ["position_id", "rank", "employee_id"]
        return frame[lead + [c for c in frame.columns if c not in lead]]

    # -- explanations ---------------------------------------------------------------------------
    def _lookup(self, ids, table, name: str) -> np.ndarray:
        wanted = np.atleast_1d(np.asarray(ids, dtype=object)).astype(str)
        index = pd.Index(table.ids.astype(str))
        found = index.get_indexer(wanted)
        if (found < 0).any():
            unknown = [str(x) for x in wanted[found < 0][:5]]
            hint = difflib.get_close_matches(unknown[0], index.tolist(), n=1, cutoff=0.8)
            raise ValueError(
                f"The {name!r} parameter of Scores.explain must hold ids of the scored table. "
                f"Got unknown ids {unknown} instead."
                + (f" Did you mean {hint[0]!r}?" if hint else "")
            )
        return found.astype(np.int64)

    def _pairs(self, employee_id, position_id) -> tuple[np.ndarray, np.ndarray]:
        rows = self._lookup(employee_id, self.employees, "employee_id")
        if position_id is None:
            c = self.candidates
            if c is None:  # dense
                m = len(self.positions)
                return np.repeat(rows, m), np.tile(np.arange(m), len(rows))
            hit = np.isin(c.employee_index, rows)
            return c.employee_index[hit], c.position_index[hit]
        cols = self._lookup(position_id, self.positions, "position_id")
        if len(rows) != len(cols):
            if len(rows) == 1:
                rows = np.repeat(rows, len(cols))
            elif len(cols) == 1:
                cols = np.repeat(cols, len(rows))
            else:
                raise ValueError(
                    "The 'employee_id' and 'position_id' parameters of Scores.explain must have "
                    f"one length (pairs), or one of them a single id. Got {len(rows)} and "
                    f"{len(cols)} ids instead."
                )
        return rows, cols

    def explain(self, employee_id, position_id=None) -> pd.DataFrame:
        """Why a pair scores what it scores: one row per required competency of each pair.

        Parameters
        ----------
        employee_id : str or sequence of str
        position_id : str, sequence of str or None, default None
            With sequences of one length, the pairs ``(employee_id[p], position_id[p])``; a
            single id pairs with every id of the other argument. None: every position (dense) or
            every kept candidate position (streamed) of the employees.

        Returns
        -------
        DataFrame
            One row per (pair, competency the position requires), with columns
            ``employee_id``, ``position_id``, ``competency``, ``kind``, ``level`` (as scored),
            ``assessed`` (False where a missing level counted as 0), ``standard``, ``weight``
            (effective job-expectation weight), ``shortfall`` (standard - level, if positive),
            ``surplus`` (level - standard, if positive), ``share`` (the competency's contribution
            to the JPM in points; the shares of a pair sum to its JPM), then per pair ``jpm``,
            ``category``, ``composite``, ``eligible``, ``reasons``.

        Examples
        --------
        >>> from asn_match.datasets import synthetic_workforce
        >>> employees, positions = synthetic_workforce(10, 3, seed=3)
        >>> s = score(employees, positions)
        >>> e, p = s.employees.ids[0], s.positions.ids[0]
        >>> table = s.explain(e, p)
        >>> bool(abs(table["share"].sum() - s.jpm[0, 0]) < 1e-9)
        True
        """
        rows, cols = self._pairs(employee_id, position_id)
        prep = self._prepared
        cfg = self.config
        level = prep.levels[rows]
        standard = prep.standard[cols]
        weight = prep.weights[cols]
        required = ~np.isnan(standard)
        std0 = np.where(required, standard, 0.0)
        counted = np.minimum(level, std0) if cfg.cap else level
        counted = np.where(required, counted, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            if cfg.method == "sum_ratio":
                share = 100.0 * weight * counted / (weight * std0).sum(axis=1, keepdims=True)
            else:
                ratio = np.where(required & (std0 > 0), counted / std0, 0.0)
                share = 100.0 * weight * ratio / weight.sum(axis=1, keepdims=True)
        share = np.where(required, share, 0.0)
        jpm = np.round(share.sum(axis=1), JPM_DECIMALS)
        comp = _pair_composite(prep, jpm, rows)
        eligible, bits = pair_eligibility(prep.qualifications, prep.requirements, rows, cols)
        category = np.array(cfg.category_labels, dtype=object)[
            categorize(jpm, cfg.category_thresholds)
        ]
        reasons = self._reason_strings(bits, rows, cols)

        pair, k = np.nonzero(required)
        codes = np.array(prep.codes, dtype=object)
        return pd.DataFrame(
            {
                "employee_id": self.employees.ids[rows][pair],
                "position_id": self.positions.ids[cols][pair],
                "competency": codes[k],
                "kind": prep.kinds[k],
                "level": level[pair, k],
                "assessed": prep.assessed[rows][pair, k],
                "standard": standard[pair, k],
                "weight": weight[pair, k],
                "shortfall": np.maximum(standard[pair, k] - level[pair, k], 0.0),
                "surplus": np.maximum(level[pair, k] - standard[pair, k], 0.0),
                "share": share[pair, k],
                "jpm": jpm[pair],
                "category": category[pair],
                "composite": comp[pair],
                "eligible": eligible[pair],
                "reasons": reasons[pair],
            }
        )

    # -- readable reasons, vectorized -----------------------------------------------------------
    def _reason_strings(self, bits, rows, cols) -> np.ndarray:
        """``"; "``-joined reasons of each pair; every distinct case is worded once."""
        bits = np.asarray(bits)
        out = np.full(len(bits), "", dtype=object)
        bad = np.flatnonzero(bits != 0)
        if bad.size == 0:
            return out
        prep = self._prepared
        q, r = prep.qualifications, prep.requirements
        b_rows, b_cols = np.asarray(rows)[bad], np.asarray(cols)[bad]
        # the wording depends on the bits, the employee's rank, education and certifications,
        # and on the position's requirements: group the pairs by those
        cert_profile = np.zeros(len(q), dtype=np.int64)
        if q.certifications is not None and q.certifications.shape[1]:
            cert_profile = np.unique(q.certifications, axis=0, return_inverse=True)[1].ravel()
        parts = [
            bits[bad].astype(np.int64),
            q.rank[b_rows].astype(np.int64) + 1,
            q.education[b_rows].astype(np.int64) + 1,
            cert_profile[b_rows],
            b_cols.astype(np.int64),
        ]
        key = np.zeros(len(bad), dtype=np.int64)
        for part in parts:
            key = key * (int(part.max()) + 1) + part
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        texts = describe_reasons(bits[bad][first], b_rows[first], b_cols[first], q, r)
        words = np.array(["; ".join(t) for t in texts], dtype=object)
        out[bad] = words[inverse.ravel()]
        return out


# ------------------------------------------------------------------------------------------------
# preparation: alignment, policies, validation


def expectation_weights(
    standard: np.ndarray,
    weights: np.ndarray,
    kinds: np.ndarray,
    position_class: np.ndarray,
    config: ScoringConfig,
) -> np.ndarray:
    """Job-expectation weights after the class weighting policy.

    With ``config.class_weighting``, the weights of each position of a listed class are rescaled
    so that ``JPM = s * JPM_technical + (1 - s) * JPM_other`` for its technical share ``s``: the
    technical competencies carry the share ``s`` of the JPM's denominator (``sum w * standard``
    for ``sum_ratio``, ``sum w`` for ``mean_ratio``); the position's total weight is kept.
    Positions that require competencies of one part only keep their weights.

    Parameters
    ----------
    standard : ndarray of shape (n_positions, n_competencies)
        NaN where not required.
    weights : ndarray of shape (n_positions, n_competencies)
        Job-expectation weights as given.
    kinds : ndarray of shape (n_competencies,)
        ``"managerial"``, ``"socio_cultural"`` or ``"technical"``.
    position_class : ndarray of shape (n_positions,)
        Class names (or None).
    config : ScoringConfig

    Returns
    -------
    ndarray of shape (n_positions, n_competencies), float64
        0 where not required.

    Examples
    --------
    >>> from asn_match.config import FUNCTIONAL_GRADE_WEIGHTING
    >>> cfg = ScoringConfig(class_weighting=FUNCTIONAL_GRADE_WEIGHTING)
    >>> w = expectation_weights(np.array([[3.0, 3.0, 3.0]]), np.ones((1, 3)),
    ...                         np.array(["managerial", "technical", "technical"]),
    ...                         np.array(["Ahli Madya"], dtype=object), cfg)
    >>> w.round(2).tolist()
    [[1.8, 0.6, 0.6]]
    """
    required = ~np.isnan(standard)
    w = np.where(required, weights, 0.0)
    policy = config.class_weighting
    if policy is None or w.size == 0:
        return w
    share = np.array(
        [policy.technical_share.get(c, np.nan) if c else np.nan for c in position_class],
        dtype=np.float64,
    )
    technical = np.asarray(kinds) == "technical"
    mass = w * np.where(required, standard, 0.0) if config.method == "sum_ratio" else w
    tech_mass = mass[:, technical].sum(axis=1)
    other_mass = mass[:, ~technical].sum(axis=1)
    total = tech_mass + other_mass
    apply = ~np.isnan(share) & (tech_mass > 0) & (other_mass > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        tech_scale = np.where(apply, share * total / tech_mass, 1.0)
        other_scale = np.where(apply, (1.0 - share) * total / other_mass, 1.0)
    rescaled = w * np.where(technical[None, :], tech_scale[:, None], other_scale[:, None])
    # one factor per position changes no score; it keeps the position's total weight
    with np.errstate(divide="ignore", invalid="ignore"):
        keep_total = np.where(apply, w.sum(axis=1) / rescaled.sum(axis=1), 1.0)
    return rescaled * keep_total[:, None]


def _info_column(info: pd.DataFrame, name: str, source: str, owner: str) -> pd.Series:
    for candidate in (name, f"info_{name}"):
        if candidate in info.columns:
            return info[candidate]
    close = difflib.get_close_matches(name, [str(c) for c in info.columns], n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise InputError([Problem(
        source,
        f"the scoring policy ({owner}) reads the column {name!r}, which the table does not have "
        f"among its descriptive columns {sorted(map(str, info.columns))}.{hint} Add it (as "
        f"{'info_' + name!r}) or change the policy.",
        column=name,
        code="missing_column",
    )])  # fmt: skip


def _tokens(cells: pd.Series, separator: str) -> list[list[tuple[str, str]]]:
    out: list[list[tuple[str, str]]] = []
    for cell in cells.tolist():
        if cell is None or (isinstance(cell, float) and math.isnan(cell)):
            out.append([])
            continue
        parts = (p.strip() for p in str(cell).split(separator))
        out.append([(p.casefold(), p) for p in parts if p])
    return out


def _requirement_matrices(
    employees: Employees, positions: Positions, rule: RequirementRule, owner: str
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    wanted = _tokens(
        _info_column(positions.info, rule.position_column, positions.source, owner),
        rule.separator,
    )
    held = _tokens(
        _info_column(employees.info, rule.employee_column, employees.source, owner),
        rule.separator,
    )
    names: dict[str, str] = {}
    for cell in wanted:
        for key, text in cell:
            names.setdefault(key, text)
    vocabulary = {key: t for t, key in enumerate(sorted(names))}
    pos_matrix = np.zeros((len(wanted), len(vocabulary)), dtype=bool)
    emp_matrix = np.zeros((len(held), len(vocabulary)), dtype=bool)
    for matrix, cells in ((pos_matrix, wanted), (emp_matrix, held)):
        for row, cell in enumerate(cells):
            for key, _ in cell:
                if key in vocabulary:
                    matrix[row, vocabulary[key]] = True
    return emp_matrix, pos_matrix, tuple(names[k] for k in sorted(names))


def _class_minimums(position_class: np.ndarray, rules: dict[str, str], parse) -> np.ndarray:
    codes = {klass: parse(label) for klass, label in rules.items()}
    return np.array([codes.get(c, -1) if c else -1 for c in position_class], dtype=np.int16)


def _eligibility_inputs(employees: Employees, positions: Positions, config: ScoringConfig):
    policy = config.eligibility
    m = len(positions)
    none = np.full(m, -1, dtype=np.int16)
    families = certifications = None
    pos_families = pos_certifications = None
    family_names: tuple[str, ...] = ()
    certification_names: tuple[str, ...] = ()
    if policy.job_family is not None:
        families, pos_families, family_names = _requirement_matrices(
            employees, positions, policy.job_family, "eligibility.job_family"
        )
    if policy.certification is not None:
        certifications, pos_certifications, certification_names = _requirement_matrices(
            employees, positions, policy.certification, "eligibility.certification"
        )
    qualifications = EmployeeQualifications(
        rank=employees.rank,
        education=employees.education,
        families=families,
        certifications=certifications,
    )
    requirements = PositionRequirements(
        min_rank=positions.min_rank if policy.min_rank else none,
        min_education=positions.min_education if policy.min_education else none,
        class_min_rank=_class_minimums(positions.position_class, policy.class_min_rank, rank_code),
        class_min_education=_class_minimums(
            positions.position_class, policy.class_min_education, education_code
        ),
        position_class=positions.position_class,
        families=pos_families,
        certifications=pos_certifications,
        family_names=family_names,
        certification_names=certification_names,
    )
    return qualifications, requirements


def _align_levels(employees: Employees, positions: Positions, config: ScoringConfig):
    """Competencies some position requires, and the employees' levels for them."""
    required_by = positions.required.sum(axis=0)
    codes = tuple(c for c, count in zip(positions.codes, required_by, strict=True) if count)
    column = {c: k for k, c in enumerate(employees.codes)}
    problems = [
        Problem(
            positions.source,
            f"competency {code!r} is required by {int(required_by[positions.codes.index(code)])} "
            f"position(s) but the employees table has no {code!r} column"
            f"{employees.framework.suggest(code)} Rename the column in one of the tables, or "
            "add the employees' levels.",
            column=code,
            code="unknown_competency",
            expected="a competency column of the employees table",
        )
        for code in codes
        if code not in column
    ]
    if problems:
        raise InputError(problems)
    pos_cols = [positions.codes.index(c) for c in codes]
    levels = employees.levels[:, [column[c] for c in codes]]
    assessed = ~np.isnan(levels)
    if not assessed.all():
        if config.missing_level == "error":
            counts = required_by[pos_cols]
            k_idx, i_idx = np.nonzero(~assessed.T)  # by column, then row
            raise InputError(
                Problem(
                    employees.source,
                    f"no level for competency {codes[k]!r}, which {int(counts[k])} position(s) "
                    "require. Fill in the assessed level, or score with "
                    "ScoringConfig(missing_level='zero') to count it as 0.",
                    row=int(i) + 2,
                    column=codes[k],
                    record_id=str(employees.ids[i]),
                    expected=employees.framework.scale.describe(),
                    code="missing_level",
                )
                for k, i in zip(k_idx.tolist(), i_idx.tolist(), strict=True)
            )
        levels = np.where(assessed, levels, 0.0)
    kinds = positions.framework.kinds[pos_cols]
    return codes, kinds, levels, assessed, pos_cols


def _merit_inputs(employees: Employees, config: ScoringConfig):
    w = config.composite_weights.normalised()
    problems: list[Problem] = []
    resolved = {}
    for name, weight in (("performance", w[1]), ("potential", w[2])):
        values = np.array(getattr(employees, name), dtype=np.float64)
        missing = np.isnan(values)
        if weight > 0 and missing.any():
            if config.missing_merit == "error":
                problems += [
                    Problem(
                        employees.source,
                        f"no {name} value, which the merit composite weighs at {weight:.2f}. "
                        "Fill it in, or score with ScoringConfig(missing_merit='neutral').",
                        row=int(i) + 2,
                        column=name,
                        record_id=str(employees.ids[i]),
                        expected="a number from 0 to 100",
                        code="missing_merit",
                    )
                    for i in np.flatnonzero(missing)
                ]
            values[missing] = config.neutral_merit
        resolved[name] = values
    experience = None
    if w[3] > 0:
        experience = _experience(employees, config, problems)
    if problems:
        raise InputError(problems)
    return resolved["performance"], resolved["potential"], experience, w


def _experience(employees: Employees, config: ScoringConfig, problems: list[Problem]):
    cells = _info_column(
        employees.info, config.experience_column, employees.source, "experience_column"
    )
    column = str(cells.name)
    text = cells.astype(object).where(cells.notna(), None)
    years = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    blank = np.array([v is None or str(v).strip() == "" for v in text.tolist()])
    bad = (np.isnan(years) & ~blank) | (years < 0)
    problems += [
        Problem(
            employees.source,
            "years of experience must be a number >= 0.",
            row=int(i) + 2,
            column=column,
            value=text.iloc[i],
            record_id=str(employees.ids[i]),
            expected="a number of years >= 0",
            code="invalid_experience",
        )
        for i in np.flatnonzero(bad)
    ]
    missing = np.isnan(years) & blank
    if missing.any() and config.missing_merit == "error":
        problems += [
            Problem(
                employees.source,
                "no years of experience, which the merit composite weighs. Fill it in, or score "
                "with ScoringConfig(missing_merit='neutral').",
                row=int(i) + 2,
                column=column,
                record_id=str(employees.ids[i]),
                expected="a number of years >= 0",
                code="missing_merit",
            )
            for i in np.flatnonzero(missing)
        ]
    experience = np.minimum(np.where(bad, 0.0, years) / config.experience_full_years, 1.0) * 100
    return np.where(missing, config.neutral_merit, experience)


def _prepare(employees: Employees, positions: Positions, config: ScoringConfig) -> _Prepared:
    codes, kinds, levels, assessed, pos_cols = _align_levels(employees, positions, config)
    standard = positions.standard[:, pos_cols]
    weights = expectation_weights(
        standard, positions.weights[:, pos_cols], kinds, positions.position_class, config
    )
    performance, potential, experience, w = _merit_inputs(employees, config)
    merit = employee_merit(performance, potential, experience, weights=w)
    qualifications, requirements = _eligibility_inputs(employees, positions, config)
    floor = float(levels.min()) if levels.size else None
    return _Prepared(
        codes=codes,
        kinds=kinds,
        levels=levels,
        assessed=assessed,
        standard=standard,
        weights=weights,
        performance=performance,
        potential=potential,
        experience=experience,
        merit=merit,
        composite_weights=w,
        qualifications=qualifications,
        requirements=requirements,
        employee_tiebreak=tiebreak_rank(employees.ids),
        position_tiebreak=tiebreak_rank(positions.ids),
        level_floor=floor,
    )


# ------------------------------------------------------------------------------------------------
# the two paths


def _operator(prep: _Prepared, config: ScoringConfig) -> JPMOperator:
    return prepare_positions(
        prep.standard,
        prep.weights,
        method=config.method,
        cap=config.cap,
        level_floor=prep.level_floor,
    )


def _block_composite(
    prep: _Prepared, jpm: np.ndarray, rows: slice | np.ndarray, out=None
) -> np.ndarray:
    return composite(
        jpm,
        prep.performance[rows],
        prep.potential[rows],
        None if prep.experience is None else prep.experience[rows],
        weights=prep.composite_weights,
        out=out,
    )


def _score_dense(employees, positions, config, prep: _Prepared) -> Scores:
    n, m = len(employees), len(positions)
    if n and m:
        jpm = _operator(prep, config).apply(prep.levels)
        np.round(jpm, JPM_DECIMALS, out=jpm)
    else:
        jpm = np.zeros((n, m))
    comp = _block_composite(prep, jpm, slice(None))
    eligible, reasons = eligibility(prep.qualifications, prep.requirements)
    codes = categorize(jpm, config.category_thresholds)
    return Scores(
        employees=employees,
        positions=positions,
        config=config,
        prepared=prep,
        jpm=jpm,
        composite=comp,
        eligible=eligible,
        reasons=reasons,
        category_code=codes,
    )


def _pair_composite(prep: _Prepared, jpm_values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The composite of single pairs, by the very operations of the block kernel (same bits)."""
    rows = np.asarray(rows, dtype=np.intp)
    return composite(
        np.asarray(jpm_values, dtype=np.float64).reshape(-1, 1),
        prep.performance[rows],
        prep.potential[rows],
        None if prep.experience is None else prep.experience[rows],
        weights=prep.composite_weights,
    )[:, 0]


class _PositionLists:
    """The best employees of every position so far, merged lazily.

    A chunk adds every eligible pair whose key reaches its position's threshold, a lower bound
    of the final k-th key (keys are distinct, and each employee is streamed once, so ``>=`` never
    adds a pair twice). Pending entrants are merged into the lists when they grow past a bound,
    which raises the thresholds, so later chunks add fewer and fewer.
    """

    def __init__(self, threshold: np.ndarray, k: int):
        m = len(threshold)
        self.k = k
        self.threshold = threshold
        self.position = np.empty(0, dtype=np.int64)
        self.key = np.empty(0)
        self.jpm = np.empty(0)
        self._pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._pending_size = 0
        self._merge_at = max(2 * m * k, 1 << 20)

    def add(self, position: np.ndarray, key: np.ndarray, jpm: np.ndarray) -> None:
        self._pending.append((position.astype(np.int64), key, jpm))
        self._pending_size += len(position)
        if self._pending_size > self._merge_at:
            self.merge()

    def merge(self) -> None:
        if not self._pending:
            return
        position = np.concatenate([self.position] + [p for p, _, _ in self._pending])
        key = np.concatenate([self.key] + [q for _, q, _ in self._pending])
        jpm = np.concatenate([self.jpm] + [j for _, _, j in self._pending])
        self._pending, self._pending_size = [], 0
        order = np.lexsort((-key, position))
        position, key, jpm = position[order], key[order], jpm[order]
        place = np.arange(len(position)) - np.searchsorted(position, position)
        keep = place < self.k
        self.position, self.key, self.jpm = position[keep], key[keep], jpm[keep]
        full = place[keep] == self.k - 1
        self.threshold[self.position[full]] = np.maximum(
            self.threshold[self.position[full]], self.key[full]
        )


@dataclass
class _Stream:
    """Scores employees chunk by chunk: JPM (rounded) and quantized, masked composites."""

    prep: _Prepared
    operator: JPMOperator
    block: int
    chunk: int
    m: int

    def __post_init__(self) -> None:
        # buffers reused by every block: a fresh large array costs a page fault per 4 KiB
        self._jpm = np.empty((self.block, self.m))
        self._value = np.empty((min(self.chunk, self.block), self.m))
        self.keys = np.empty_like(self._value)
        # eligibility depends on the employee only through rank, education, job families and
        # certifications: with few distinct profiles (the usual case), rule on each profile once
        q = self.prep.qualifications
        parts = [q.rank[:, None], q.education[:, None]]
        parts += [a for a in (q.families, q.certifications) if a is not None]
        profile = np.concatenate([np.asarray(a, dtype=np.int16) for a in parts], axis=1)
        unique, first, inverse = np.unique(profile, axis=0, return_index=True, return_inverse=True)
        self._penalty = None
        if len(unique) * self.m <= _PROFILE_TABLE_PAIRS:
            self._penalty = self._penalty_of(q.rows(first))
            self._profile = inverse.ravel()

    def _penalty_of(self, qualifications: EmployeeQualifications) -> np.ndarray:
        # -inf where ineligible, 0 where eligible: added to a composite it excludes the pair
        # (quantize maps -inf to -1) at the cost of one vectorized add, where a masked
        # assignment branches on every element
        eligible, _ = eligibility(qualifications, self.prep.requirements)
        return np.where(eligible, 0.0, -np.inf)

    def _penalty_rows(self, rows: np.ndarray) -> np.ndarray:
        if self._penalty is not None:
            return self._penalty[self._profile[rows]]
        return self._penalty_of(self.prep.qualifications.rows(rows))

    def chunks(self, employees: np.ndarray):
        """Yield ``(rows, jpm, value)`` for the employee rows ``employees`` (int array), in order.

        ``value`` holds the composite quantized to RANK_DECIMALS, -1 where ineligible. Both arrays
        are views of buffers that the next chunk overwrites.
        """
        prep = self.prep
        for block_start in range(0, len(employees), self.block):
            block_rows = employees[block_start : block_start + self.block]
            # the matrix product runs on the whole block (BLAS is fast on tall blocks) ...
            block_jpm = self.operator.apply(
                prep.levels[block_rows], out=self._jpm[: len(block_rows)]
            )
            # ... the selection on cache-sized chunks of it, which several passes then reuse
            for start in range(0, len(block_rows), self.chunk):
                rows = block_rows[start : start + self.chunk]
                jpm = block_jpm[start : start + len(rows)]
                np.round(jpm, JPM_DECIMALS, out=jpm)
                value = _block_composite(prep, jpm, rows, out=self._value[: len(rows)])
                value += self._penalty_rows(rows)
                quantize(value, decimals=RANK_DECIMALS, out=value)  # ineligible: -1
                yield rows, jpm, value


def _score_streamed(employees, positions, config, prep: _Prepared, k: int, block: int) -> Scores:
    n, m = len(employees), len(positions)
    e_bits, p_bits = key_bits(n), key_bits(m)
    # composites are on 0-100, so quantized values stay below 10**(RANK_DECIMALS + 2) + 1 and the
    # keys below 2**53: checked once here instead of on every chunk
    if (10.0 ** (RANK_DECIMALS + 2) + 2) * 2.0 ** max(e_bits, p_bits) > 2.0**53:
        raise ValueError(
            f"{n} employees x {m} positions is beyond the exact ranking keys of streamed scoring "
            "(2**53); score the agencies separately."
        )
    # canonical order: the employee (position) holding each tie-break rank
    e_order = np.argsort(prep.employee_tiebreak)
    p_order = np.argsort(prep.position_tiebreak)
    kept_rows: list[np.ndarray] = []
    kept_cols: list[np.ndarray] = []
    kept_jpm: list[np.ndarray] = []
    # thresholds start below every valid key (>= 0) and above every excluded one (<= -1)
    lists = _PositionLists(np.full(m, -0.5), k)
    if n and m:
        stream = _Stream(prep, _operator(prep, config), min(block, n), max(1, _CHUNK_PAIRS // m), m)

        # pilot: the k-th best key of each position among a sample of employees (the first in
        # the neutral order, so the sample is fixed and pseudo-random) is a lower bound of its
        # final k-th key; starting from it spares the stream a flood of early entrants
        pilot = e_order[: min(n, _PILOT_PER_SLOT * k)]
        best = np.full((m, 0), -1.0)
        for rows, _, value in stream.chunks(pilot):
            keys = ranking_keys(
                value, prep.employee_tiebreak[rows], axis=0, bits=e_bits,
                out=stream.keys[: len(rows)], check_input=False,
            )  # fmt: skip
            new = top_k_keys(keys, k, axis=0, overwrite=True)
            best = top_k_keys(np.concatenate([best, new], axis=1), k, axis=1, overwrite=True)
        if best.shape[1] == k:
            # two quanta lower: a pilot employee's key may differ by a quantum in its own block
            # (the JPM's round-off depends on the block), and a lower bound stays a bound
            lowered = best[:, -1] - 2.0 * 2.0**e_bits
            lists.threshold = np.where(lowered >= 0, lowered, -0.5)

        for rows, jpm, value in stream.chunks(np.arange(n)):
            start = rows[0]
            # per employee: a chunk holds whole rows, so its selection is final
            keys = ranking_keys(
                value, prep.position_tiebreak, axis=1, bits=p_bits, out=stream.keys[: len(rows)],
                check_input=False,
            )  # fmt: skip
            best = top_k_keys(keys, k, axis=1, overwrite=True)
            r_local, slot = np.nonzero(best >= 0)
            cols = p_order[split_keys(best[r_local, slot], p_bits)[1]]
            kept_rows.append(r_local + start)
            kept_cols.append(cols)
            kept_jpm.append(jpm[r_local, cols])

            # per position: every key at or above the position's threshold may enter; once the
            # lists fill, few positions have an entrant, found by column maxima
            keys = ranking_keys(
                value, prep.employee_tiebreak[rows], axis=0, bits=e_bits,
                out=stream.keys[: len(rows)], check_input=False,
            )  # fmt: skip
            touched = np.flatnonzero(keys.max(axis=0) >= lists.threshold)
            if touched.size:
                sub = keys[:, touched]
                i_local, t = np.nonzero(sub >= lists.threshold[touched])
                j = touched[t]
                lists.add(j, sub[i_local, t], jpm[i_local, j])
        lists.merge()

    rows_all = np.concatenate(kept_rows + [e_order[split_keys(lists.key, e_bits)[1]]]).astype(
        np.int64
    )
    cols_all = np.concatenate(kept_cols + [lists.position]).astype(np.int64)
    jpm_all = np.concatenate(kept_jpm + [lists.jpm])
    _, first = np.unique(rows_all * max(m, 1) + cols_all, return_index=True)
    rows_kept, cols_kept, jpm_kept = rows_all[first], cols_all[first], jpm_all[first]
    candidates = Candidates(
        employee_index=rows_kept,
        position_index=cols_kept,
        jpm=jpm_kept,
        composite=_pair_composite(prep, jpm_kept, rows_kept),
        eligible=np.ones(len(first), dtype=bool),
        reasons=np.zeros(len(first), dtype=np.uint16),
        category_code=categorize(jpm_kept, config.category_thresholds),
    )
    return Scores(
        employees=employees,
        positions=positions,
        config=config,
        prepared=prep,
        candidates=candidates,
        top_k_kept=k,
    )


# ------------------------------------------------------------------------------------------------
# public entry point


def _as_table(value, kind: str):
    expected, other = (Employees, Positions) if kind == "employees" else (Positions, Employees)
    if isinstance(value, expected):
        return value
    if isinstance(value, other):
        raise ValueError(
            f"The {kind!r} parameter of score must be {expected.__name__}, a DataFrame or a path. "
            f"Got {other.__name__} instead; check the order of the arguments."
        )
    from . import io  # lazily: io pulls in the file readers

    reader = io.read_employees if kind == "employees" else io.read_positions
    return reader(value)


def _integral(value: object) -> bool:
    """An integer of any kind (numpy's too).

    A function rather than an inline isinstance: given an ``int`` annotation, mypy takes
    ``isinstance(value, numbers.Integral)`` to be impossible and skips the code after it.
    """
    return isinstance(value, numbers.Integral)


def _check_int(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not _integral(value) or value < minimum:
        raise ValueError(
            f"The {name!r} parameter of score must be an int >= {minimum}. Got {value!r} instead."
        )
    return int(value)


def score(
    employees,
    positions,
    *,
    config: ScoringConfig | dict | None = None,
    dense: bool | None = None,
    top_k: int = 50,
    block_size: int | None = None,
    memory_limit: int | None = None,
) -> Scores:
    """Score every employee against every position.

    Parameters
    ----------
    employees : Employees, DataFrame or path
        Validated table, or input read with :func:`asn_match.read_employees`.
    positions : Positions, DataFrame or path
        Validated table, or input read with :func:`asn_match.read_positions`.
    config : ScoringConfig or dict, optional
        The scoring policy; default ``ScoringConfig()`` (capped ``sum_ratio`` JPM, placement
        categories, composite 0.6 / 0.25 / 0.15, minimum rank and education, JPT needs S1/D4).
    dense : bool, optional
        True keeps every pair, False streams; default None chooses by size:
        dense when ``n_employees * n_positions * RESULT_BYTES_PER_PAIR <= memory_limit``.
    top_k : int, default 50
        When streamed: how many eligible positions per employee and eligible employees per
        position to keep.
    block_size : int, optional
        When streamed: employees per block; default the largest block whose JPM takes at most
        :data:`STREAM_BLOCK_BYTES`.
    memory_limit : int, optional
        Bytes the dense result may take; default :data:`DENSE_MEMORY_LIMIT` (1 GiB).

    Returns
    -------
    Scores
        ``is_dense`` tells which form: the (n_employees, n_positions) arrays, or ``candidates``.

    Raises
    ------
    InputError
        A competency positions require that the employees table lacks ("did you mean"); a
        missing level with ``missing_level="error"``; a missing merit value with
        ``missing_merit="error"``; a column a policy names that the tables do not have.

    Examples
    --------
    >>> from asn_match.datasets import synthetic_workforce
    >>> employees, positions = synthetic_workforce(40, 8, seed=0)
    >>> s = score(employees, positions)
    >>> s.is_dense, s.jpm.shape
    (True, (40, 8))
    >>> streamed = score(employees, positions, dense=False, top_k=3, block_size=16)
    >>> streamed.is_dense, len(streamed.top_k(3))
    (False, 120)
    """
    employees = _as_table(employees, "employees")
    positions = _as_table(positions, "positions")
    if config is None:
        config = ScoringConfig()
    elif isinstance(config, dict):
        config = ScoringConfig.model_validate(config)
    elif not isinstance(config, ScoringConfig):
        raise ValueError(
            "The 'config' parameter of score must be a ScoringConfig, a dict or None. "
            f"Got {type(config).__name__} instead."
        )
    if dense is not None and not isinstance(dense, (bool, np.bool_)):
        raise ValueError(
            f"The 'dense' parameter of score must be True, False or None. Got {dense!r} instead."
        )
    top_k = _check_int("top_k", top_k, 1)
    if block_size is not None:
        block_size = _check_int("block_size", block_size, 1)
    limit = DENSE_MEMORY_LIMIT
    if memory_limit is not None:
        limit = _check_int("memory_limit", memory_limit, 0)

    prep = _prepare(employees, positions, config)
    n, m = len(employees), len(positions)
    if dense is None:
        dense = n * m * RESULT_BYTES_PER_PAIR <= limit
    if dense:
        return _score_dense(employees, positions, config, prep)
    if block_size is None:
        block_size = max(1, STREAM_BLOCK_BYTES // (8 * max(m, 1)))
    return _score_streamed(employees, positions, config, prep, top_k, block_size)
