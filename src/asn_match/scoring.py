"""Score every employee against every position: JPM, category, merit composite and eligibility.

:func:`score` aligns the competency columns of the two tables by code, applies the policy of a
:class:`~asn_match.config.ScoringConfig` and returns :class:`DenseScores` or
:class:`CandidateScores`, the two kinds of :class:`Scores`.

Dense or streamed
-----------------
The full result takes :data:`RESULT_BYTES_PER_PAIR` (20) bytes per pair: the JPM and the composite
(float64), the reason mask (uint16), eligibility and category (1 byte each). When
``n_employees * n_positions * 20 <= memory_limit`` (default :data:`DENSE_MEMORY_LIMIT`, 1 GiB,
about 53 million pairs) every pair is kept: a :class:`DenseScores`. Otherwise (logged at INFO
level) employees are scored in blocks and only the ``top_k`` best eligible positions of each
employee and the ``top_k`` best eligible employees of each position (by composite) are kept: a
:class:`CandidateScores`, whose ``candidates`` hold the kept pairs; the full matrix never exists.
``dense=True`` on a size whose dense result cannot fit (``memory_limit`` when given, else the
machine's physical memory) is refused before any work. A block's JPM takes at most
:data:`STREAM_BLOCK_BYTES`; the selection runs on cache-sized chunks of it. Each position keeps a
threshold, a lower bound of its final k-th best (seeded by a pilot pass over a fixed
pseudo-random sample of employees), and only pairs at or above it are merged into its list.
Measured on a 2-core machine: 100,000 employees x 20,000 positions, top 50, in well under a minute
and under 1 GB (``benchmarks/bench_stream.py``).

JPM values are rounded to :data:`JPM_DECIMALS` (9) decimals, far below any meaningful difference,
so that a pair scores the same in a dense and in a streamed run whatever the block shapes (the
round-off of a matrix product depends on them).

Ranking order everywhere (top-k lists, the streamed candidate set): composite rounded to
:data:`RANK_DECIMALS` (6) decimals, descending, then the neutral tie-break of
:mod:`asn_match.tiebreak` (a keyed hash of the id), so results do not depend on the input's row
order, nor on any digit of an id.

Fairness by construction: scoring reads levels, standards, weights, rank, education, performance,
potential and the descriptive columns a policy names; never ``Employees.protected``.

Layout: policy preparation (alignment, missing values, weights, eligibility inputs) lives in
:mod:`asn_match._scoring_policy`, the streamed path in :mod:`asn_match._scoring_stream`; this
module holds the result and the entry point. It is one unit although past 800 lines: the base
:class:`Scores` and its two kinds share every method (pair frames, rankings, breakdowns), and a
reader checks one against the others; most of the length is their docstrings and examples.
"""

from __future__ import annotations

import abc
import difflib
import logging
import os
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from . import io
from ._checks import check_bool, check_choice, check_int
from ._progress import progress_bar
from ._scoring_policy import (
    Prepared,
    block_composite,
    expectation_weights,
    jpm_operator,
    pair_composite,
    prepare,
)
from ._scoring_stream import STREAM_BLOCK_BYTES, Candidates, stream_candidates
from .config import ScoringConfig
from .errors import InvalidParameterError
from .kernels.eligibility import REASONS, describe_reasons, eligibility, pair_eligibility
from .kernels.jpm import categorize, jpm_contributions
from .kernels.topk import rank_values, top_k_ranked
from .pairs import id_index
from .rules import JPM_DECIMALS, RANK_DECIMALS
from .tables import Employees, Positions
from .validation import unknown_current_positions, warn_quality

__all__ = [
    "DENSE_MEMORY_LIMIT",
    "JPM_DECIMALS",
    "RANK_DECIMALS",
    "REASONS",
    "RESULT_BYTES_PER_PAIR",
    "STREAM_BLOCK_BYTES",
    "CandidateScores",
    "Candidates",
    "DenseScores",
    "Scores",
    "expectation_weights",
    "score",
]

#: Bytes a dense result takes per pair: jpm and composite (8 + 8), reasons (2), eligible and
#: category (1 + 1).
RESULT_BYTES_PER_PAIR = 20
#: Default bound on the dense result (1 GiB); larger problems are streamed.
DENSE_MEMORY_LIMIT = 2**30

_log = logging.getLogger(__name__)

#: Whose lists a ranking gives: the best positions of each employee, or employees of each position.
RankedBy = Literal["employee", "position"]


class Scores(abc.ABC):
    """Scores of employees for positions, built by :func:`score`: the base of both kinds.

    :func:`score` keeps every pair when the result fits its memory limit (a
    :class:`DenseScores`, with (n_employees, n_positions) arrays) and otherwise streams, keeping
    the ``top_k`` best candidates of each employee and each position (a
    :class:`CandidateScores`). ``isinstance(s, DenseScores)`` or ``s.is_dense`` tells which,
    to a reader and to a type checker alike. Every method of this base works on both kinds:
    on candidate scores it reads the kept pairs (:meth:`to_frame`, :meth:`top_k`,
    :meth:`category`, :meth:`breakdown` of an employee's candidates) or scores a pair again
    (:meth:`breakdown` of a given pair, :meth:`reason_text`).

    Attributes
    ----------
    employees : Employees
    positions : Positions
    config : ScoringConfig
    is_dense : bool
        True for :class:`DenseScores`, False for :class:`CandidateScores`.
    codes : tuple of str
        The competencies that take part (required by at least one position).
    expectation_weights : ndarray of shape (n_positions, len(codes)), float64
        Job-expectation weights after the class weighting policy; 0 where not required.
    merit : ndarray of shape (n_employees,), float64
        The position-independent part of the composite (performance, potential, experience).

    Pair tables (:meth:`to_frame`, :meth:`top_k`, :meth:`breakdown`, and the frames of
    :mod:`asn_match.recommend`) hold ``employee_id``, ``position_id``, ``category`` and
    ``reasons`` as pandas Categoricals: the ids' categories are every id of the table in sorted
    order (sorting a frame by id sorts as text does), the categories of ``category`` are
    ``config.category_labels`` (best first). A pair then takes 24 to 28 bytes (by the number
    of ids), not 110 as text, so a table of 100 million pairs fits in under 3 GB. Group such a
    frame with ``groupby(..., observed=True)`` (the default from pandas 3 on): pandas 2 warns
    without it and lists every category, pairs or not.

    Examples
    --------
    >>> from asn_match.datasets import synthetic_workforce
    >>> s = score(*synthetic_workforce(30, 5, seed=4))
    >>> isinstance(s, Scores), type(s).__name__, s.is_dense
    (True, 'DenseScores', True)
    >>> s.top_k(1, by="position")[["position_id", "rank"]].shape
    (5, 2)
    """

    def __new__(cls, *args: object, **kwargs: object) -> Scores:
        """Refuse the base itself, naming the way to build scores (before the abstract check)."""
        if cls is Scores:
            raise TypeError(
                "Scores is the base of DenseScores and CandidateScores; build scores with "
                "asn_match.score."
            )
        return super().__new__(cls)

    def __init__(
        self,
        *,
        employees: Employees,
        positions: Positions,
        config: ScoringConfig,
        prepared: Prepared,
    ):
        self.employees = employees
        self.positions = positions
        self.config = config
        self._prepared = prepared
        # per table: the Categorical dtype of its ids (sorted) and each row's code in it
        self._id_dtypes: dict[str, tuple[pd.CategoricalDtype, np.ndarray]] = {}

    # -- simple views ---------------------------------------------------------------------------
    @property
    @abc.abstractmethod
    def is_dense(self) -> bool:
        """Whether every pair is kept (:class:`DenseScores`)."""

    @property
    def shape(self) -> tuple[int, int]:
        """(n_employees, n_positions)."""
        return len(self.employees), len(self.positions)

    @property
    def codes(self) -> tuple[str, ...]:
        """Competencies that take part, in the column order of ``expectation_weights``."""
        return self._prepared.codes

    @property
    def levels(self) -> np.ndarray:
        """Employees' levels as scored, shape (n_employees, len(codes)).

        Aligned by competency code with the positions' standards; a missing level resolved by
        ``config.missing_level`` (0 with ``"zero"``). Every use of levels against standards
        (the JPM, :meth:`breakdown`, :func:`asn_match.recommend.competency_gaps`) reads these.
        """
        return self._prepared.levels

    @property
    def standard_levels(self) -> np.ndarray:
        """Positions' standard levels over ``codes``, shape (n_positions, len(codes)).

        NaN where the position does not require the competency.
        """
        return self._prepared.standard

    @property
    def expectation_weights(self) -> np.ndarray:
        """Effective job-expectation weights, shape (n_positions, len(codes))."""
        return self._prepared.weights

    @property
    def merit(self) -> np.ndarray:
        """Position-independent part of the composite, shape (n_employees,)."""
        return self._prepared.merit

    @abc.abstractmethod
    def _kind(self) -> str:
        """How the kind shows in the repr: ``"dense"``, or ``"streamed: ..."`` with its counts."""

    def __repr__(self) -> str:
        n, m = self.shape
        return (
            f"<{type(self).__name__}: {n} employees x {m} positions ({self._kind()}), "
            f"method={self.config.method!r}, scale={self.config.category_scale!r}>"
        )

    @abc.abstractmethod
    def _category_codes(self) -> np.ndarray:
        """Category codes of the kept pairs: (n_employees, n_positions), or (n_pairs,)."""

    def category(self) -> np.ndarray:
        """Category labels: shape (n_employees, n_positions), or (n_pairs,) when streamed.

        Streamed: one label per kept pair, in the order of ``candidates``.

        Examples
        --------
        >>> from asn_match.datasets import synthetic_workforce
        >>> s = score(*synthetic_workforce(20, 4, seed=1))
        >>> s.category().shape
        (20, 4)
        """
        labels = np.array(self.config.category_labels, dtype=object)
        return labels[self._category_codes()]

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
        caller = "Scores.reason_text"
        i = check_int(i, "i", caller, minimum=0, maximum=n - 1)
        j = check_int(j, "j", caller, minimum=0, maximum=m - 1)
        prep = self._prepared
        _, bits = pair_eligibility(prep.qualifications, prep.requirements, [i], [j])
        return describe_reasons(bits, [i], [j], prep.qualifications, prep.requirements)[0]

    # -- long tables ----------------------------------------------------------------------------
    def _id_categorical(self, table: Employees | Positions, rows: np.ndarray) -> pd.Categorical:
        """The ids of ``rows`` as a Categorical over every id of ``table``, sorted."""
        name = "employee" if table is self.employees else "position"
        if name not in self._id_dtypes:
            ids = np.asarray(table.ids, dtype=object)
            order = np.argsort(ids, kind="stable")
            code_of_row = np.empty(len(ids), dtype=np.int64)
            code_of_row[order] = np.arange(len(ids))
            self._id_dtypes[name] = pd.CategoricalDtype(pd.Index(ids[order])), code_of_row
        dtype, code_of_row = self._id_dtypes[name]
        return pd.Categorical.from_codes(code_of_row[rows], dtype=dtype, validate=False)

    def _pair_frame(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        columns: dict[str, np.ndarray],
        *,
        rank: np.ndarray | None = None,
        extra: dict[str, np.ndarray] | None = None,
        tail: dict[str, np.ndarray] | None = None,
    ) -> pd.DataFrame:
        """The one layout of every pair frame (ids, the three scores, then the rest).

        Columns ``employee_id``, ``position_id``, (``rank``), ``jpm``, ``category``,
        ``composite``, then ``extra``, ``eligible``, ``reasons`` and ``tail``; ids, category
        and reasons as Categoricals (the class docstring).

        ``columns`` holds the per-pair arrays by their pair-table name (``jpm``, ``composite``,
        ``eligible``, ``reason_bits``, ``category_code``) for the pairs ``(rows, cols)``.
        """
        labels = pd.CategoricalDtype(pd.Index(list(self.config.category_labels)))
        frame: dict[str, object] = {
            "employee_id": self._id_categorical(self.employees, rows),
            "position_id": self._id_categorical(self.positions, cols),
        }
        if rank is not None:
            frame["rank"] = np.asarray(rank, dtype=np.int64)
        frame["jpm"] = columns["jpm"]
        frame["category"] = pd.Categorical.from_codes(
            np.asarray(columns["category_code"]), dtype=labels, validate=False
        )
        frame["composite"] = columns["composite"]
        frame.update(extra or {})
        frame["eligible"] = columns["eligible"]
        frame["reasons"] = self._reason_categorical(columns["reason_bits"], rows, cols)
        frame.update(tail or {})
        return pd.DataFrame(frame)

    @abc.abstractmethod
    def _all_pairs(self) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """``(rows, cols, columns)`` of every kept pair (:meth:`_pair_frame`'s ``columns``)."""

    def to_frame(self) -> pd.DataFrame:
        """One row per kept pair (every pair when dense), in long format.

        Dense scores give ``n_employees * n_positions`` rows, 24 to 28 bytes each (ids,
        category and reasons are Categoricals; 100 million pairs: under 3 GB); for a large
        workforce, :meth:`top_k` gives the pairs that matter.

        Returns
        -------
        DataFrame
            Columns ``employee_id``, ``position_id``, ``jpm``, ``category``, ``composite``,
            ``eligible``, ``reasons`` (readable, ``"; "``-separated, empty when eligible).
            Dense: employees in table order, each with every position in table order.
            Streamed: the candidate pairs, by employee row, then position row.

        Examples
        --------
        >>> from asn_match.datasets import synthetic_workforce
        >>> s = score(*synthetic_workforce(20, 4, seed=1))
        >>> s.to_frame().columns.tolist()
        ['employee_id', 'position_id', 'jpm', 'category', 'composite', 'eligible', 'reasons']
        >>> len(s.to_frame()), s.to_frame()["employee_id"].dtype.name
        (80, 'category')
        """
        rows, cols, columns = self._all_pairs()
        return self._pair_frame(rows, cols, columns)

    @abc.abstractmethod
    def _top_pairs(
        self, k: int, by: RankedBy, eligible_only: bool, caller: str
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray]:
        """``(rows, cols, columns, rank)`` of the ``k`` best pairs of each owner."""

    def top_k(
        self, k: int, *, by: RankedBy = "employee", eligible_only: bool = True
    ) -> pd.DataFrame:
        """The ``k`` best positions of each employee, or the ``k`` best employees of each position.

        Parameters
        ----------
        k : int
            How many per employee (or position), >= 1. When streamed, at most the ``top_k``
            scoring kept (the lists are then the same as dense scores give).
        by : {"employee", "position"}, default "employee"
        eligible_only : bool, default True
            Rank only eligible pairs. ``False`` needs dense scores (a streamed scoring keeps
            eligible pairs only).

        Returns
        -------
        DataFrame
            Columns ``employee_id``, ``position_id``, ``rank`` (1 = best), ``jpm``,
            ``category``, ``composite``, ``eligible``, ``reasons``. Employees (``by="employee"``)
            or positions (``by="position"``) in table order, each by rank: composite rounded to
            :data:`RANK_DECIMALS` decimals, descending, ties by the neutral tie-break of the id.

        Examples
        --------
        >>> from asn_match.datasets import synthetic_workforce
        >>> s = score(*synthetic_workforce(30, 6, seed=2))
        >>> best = s.top_k(2, by="position")
        >>> best.columns[:6].tolist()
        ['employee_id', 'position_id', 'rank', 'jpm', 'category', 'composite']
        """
        caller = "Scores.top_k"
        k = check_int(k, "k", caller, minimum=1)
        by = check_choice(by, "by", caller, ("employee", "position"))
        eligible_only = check_bool(eligible_only, "eligible_only", caller)
        rows, cols, columns, rank = self._top_pairs(k, by, eligible_only, caller)
        return self._pair_frame(rows, cols, columns, rank=rank)

    # -- explanations ---------------------------------------------------------------------------
    def _lookup(self, ids: object, table: Employees | Positions, name: str) -> np.ndarray:
        wanted = np.atleast_1d(np.asarray(ids, dtype=object)).astype(str)
        index = id_index(table.ids)
        found = index.get_indexer(pd.Index(wanted))
        if (found < 0).any():
            unknown = [str(x) for x in wanted[found < 0][:5]]
            hint = difflib.get_close_matches(unknown[0], index.tolist(), n=1, cutoff=0.8)
            raise InvalidParameterError(
                name,
                "Scores.breakdown",
                "ids of the scored table",
                unknown,
                fix=f"Did you mean {hint[0]!r}?" if hint else "",
            )
        return found.astype(np.int64)

    def _pairs(self, employee_id: object, position_id: object) -> tuple[np.ndarray, np.ndarray]:
        rows = self._lookup(employee_id, self.employees, "employee_id")
        if position_id is None:
            return self._employee_pairs(rows)
        cols = self._lookup(position_id, self.positions, "position_id")
        if len(rows) != len(cols):
            if len(rows) == 1:
                rows = np.repeat(rows, len(cols))
            elif len(cols) == 1:
                cols = np.repeat(cols, len(rows))
            else:
                raise ValueError(
                    "The 'employee_id' and 'position_id' parameters of Scores.breakdown must have "
                    f"one length (pairs), or one of them a single id. Got {len(rows)} and "
                    f"{len(cols)} ids instead."
                )
        return rows, cols

    def breakdown(
        self,
        employee_id: str | Sequence[str],
        position_id: str | Sequence[str] | None = None,
    ) -> pd.DataFrame:
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
            ``employee_id``, ``position_id``, ``jpm``, ``category``, ``composite`` (of the
            pair), ``competency``, ``kind``, ``level`` (as scored), ``assessed`` (False where a
            missing level counted as 0), ``standard``, ``weight`` (effective job-expectation
            weight), ``shortfall`` (standard - level, if positive), ``surplus`` (level -
            standard, if positive), ``share`` (the competency's contribution to the JPM in
            points, :func:`~asn_match.kernels.jpm.jpm_contributions`; the shares of a pair sum
            to its JPM), then ``eligible`` and ``reasons``.

        Examples
        --------
        >>> from asn_match.datasets import synthetic_workforce
        >>> employees, positions = synthetic_workforce(10, 3, seed=3)
        >>> s = score(employees, positions)
        >>> e, p = s.employees.ids[0], s.positions.ids[0]
        >>> table = s.breakdown(e, p)
        >>> bool(abs(table["share"].sum() - s.jpm[0, 0]) < 1e-9)
        True
        """
        rows, cols = self._pairs(employee_id, position_id)
        prep = self._prepared
        cfg = self.config
        level = prep.levels[rows]
        standard = prep.standard[cols]
        weight = prep.weights[cols]
        share = jpm_contributions(level, standard, weights=weight, method=cfg.method, cap=cfg.cap)
        jpm = np.round(share.sum(axis=1), JPM_DECIMALS)
        eligible, bits = pair_eligibility(prep.qualifications, prep.requirements, rows, cols)
        columns = {
            "jpm": jpm,
            "composite": pair_composite(prep, jpm, rows),
            "eligible": eligible,
            "reason_bits": bits,
            "category_code": categorize(jpm, cfg.category_thresholds),
        }
        pairs = self._pair_frame(rows, cols, columns)
        pair, k = np.nonzero(~np.isnan(standard))
        codes = np.array(prep.codes, dtype=object)
        per_competency = {
            "competency": codes[k],
            "kind": prep.kinds[k],
            "level": level[pair, k],
            "assessed": prep.assessed[rows][pair, k],
            "standard": standard[pair, k],
            "weight": weight[pair, k],
            "shortfall": np.maximum(standard[pair, k] - level[pair, k], 0.0),
            "surplus": np.maximum(level[pair, k] - standard[pair, k], 0.0),
            "share": share[pair, k],
        }
        table = pairs.iloc[pair].reset_index(drop=True)
        head = table.loc[:, :"composite"]
        rest = table.loc[:, "eligible":]
        return pd.concat([head, pd.DataFrame(per_competency), rest], axis=1)

    def explain(
        self,
        employee_id: str | Sequence[str],
        position_id: str | Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Deprecated alias of :meth:`breakdown` (removed in 0.3).

        Examples
        --------
        >>> import warnings
        >>> from asn_match.datasets import synthetic_workforce
        >>> s = score(*synthetic_workforce(10, 3, seed=3))
        >>> with warnings.catch_warnings(record=True):
        ...     warnings.simplefilter("always")
        ...     len(s.explain(s.employees.ids[0], s.positions.ids[0])) > 0
        True
        """
        warnings.warn(
            "Scores.explain is deprecated and will be removed in 0.3; use Scores.breakdown "
            "instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.breakdown(employee_id, position_id)

    @abc.abstractmethod
    def _employee_pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(rows, cols)`` of every kept pair of the employees ``rows``."""

    # -- readable reasons, vectorized -----------------------------------------------------------
    def _reason_categorical(
        self, bits: np.ndarray, rows: np.ndarray, cols: np.ndarray
    ) -> pd.Categorical:
        """``"; "``-joined reasons of each pair, a Categorical; every distinct case is worded once.

        The categories are the distinct texts, sorted ("" first: eligible).
        """
        bits = np.asarray(bits)
        codes = np.zeros(len(bits), dtype=np.int64)
        bad = np.flatnonzero(bits != 0)
        if bad.size == 0:
            return pd.Categorical.from_codes(codes, categories=pd.Index([""]), validate=False)
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
        words = np.array([""] + ["; ".join(t) for t in texts], dtype=object)
        # two cases may read alike: one category per distinct text
        categories, word_code = np.unique(words, return_inverse=True)
        codes[bad] = word_code.ravel()[1:][inverse.ravel()]  # "" sorts first: code 0
        return pd.Categorical.from_codes(
            codes, categories=pd.Index(categories.tolist()), validate=False
        )


def _rank_groups(
    group: np.ndarray, value: np.ndarray, tiebreak: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best entries of each group: ``value`` descending, then ``tiebreak`` ascending.

    All arrays of shape (n_entries,). Returns the entries' indices, groups ascending and each by
    rank, and their ranks (1 = best).
    """
    order = np.lexsort((tiebreak, -value, group))
    sorted_group = group[order]
    first = np.searchsorted(sorted_group, sorted_group, side="left")
    place = np.arange(len(order)) - first
    top = place < k
    return order[top], (place[top] + 1).astype(np.int64)


class DenseScores(Scores):
    """Scores of every pair: what :func:`score` returns when the result fits in memory.

    Attributes
    ----------
    employees, positions, config, codes, expectation_weights, merit
        As :class:`Scores`.
    jpm : ndarray of shape (n_employees, n_positions), float64
        Job Person Match in percent, for every pair, eligible or not.
    composite : ndarray of shape (n_employees, n_positions), float64
        The merit composite on 0-100 that placement maximises. Ineligible pairs keep a value;
        never place them.
    eligible : ndarray of shape (n_employees, n_positions), bool
    reasons : ndarray of shape (n_employees, n_positions), uint16
        Bitmask of ineligibility reasons (0 = eligible); :data:`REASONS` maps bit to code.
    category_code : ndarray of shape (n_employees, n_positions), int8
        0 = best category .. 2 = lowest, on ``config.category_scale``.

    All arrays are read-only.

    Examples
    --------
    >>> from asn_match.datasets import synthetic_workforce
    >>> s = score(*synthetic_workforce(30, 5, seed=4))
    >>> s
    <DenseScores: 30 employees x 5 positions (dense), method='sum_ratio', scale='placement'>
    >>> s.shape, s.jpm.dtype.name, s.reasons.dtype.name
    ((30, 5), 'float64', 'uint16')
    """

    def __init__(
        self,
        *,
        employees: Employees,
        positions: Positions,
        config: ScoringConfig,
        prepared: Prepared,
        jpm: np.ndarray,
        composite: np.ndarray,
        eligible: np.ndarray,
        reasons: np.ndarray,
        category_code: np.ndarray,
    ):
        super().__init__(employees=employees, positions=positions, config=config, prepared=prepared)
        self.jpm = jpm
        self.composite = composite
        self.eligible = eligible
        self.reasons = reasons
        self.category_code = category_code
        for array in (jpm, composite, eligible, reasons, category_code):
            array.setflags(write=False)

    @property
    def is_dense(self) -> Literal[True]:
        """Whether every pair is kept: True."""
        return True

    def _kind(self) -> str:
        return "dense"

    def _category_codes(self) -> np.ndarray:
        return self.category_code

    def _dense_columns(self) -> dict[str, np.ndarray]:
        """The (n_employees, n_positions) arrays by their pair-table name."""
        return {
            "jpm": self.jpm,
            "composite": self.composite,
            "eligible": self.eligible,
            "reason_bits": self.reasons,
            "category_code": self.category_code,
        }

    def _ranked_pairs(
        self, k: int, by: RankedBy, mask: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The ``k`` best pairs of each employee (``by="employee"``) or position.

        The one ranking of composites (:func:`~asn_match.kernels.topk.top_k_ranked`: rounded to
        :data:`RANK_DECIMALS`, ties by the neutral tie-break), for :meth:`top_k` and
        :func:`asn_match.recommend`. Returns ``(rows, cols, rank)``, owners in table order,
        each by rank (1 = best).
        """
        prep = self._prepared
        if by == "employee":
            index, _ = top_k_ranked(
                self.composite, k, axis=1, mask=mask, tiebreak=prep.position_tiebreak
            )
        else:
            index, _ = top_k_ranked(
                self.composite, k, axis=0, mask=mask, tiebreak=prep.employee_tiebreak
            )
        owner, slot = np.nonzero(index >= 0)
        other = index[owner, slot]
        rows, cols = (owner, other) if by == "employee" else (other, owner)
        return rows.astype(np.intp), cols.astype(np.intp), (slot + 1).astype(np.int64)

    def _all_pairs(self) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        n, m = self.shape
        rows = np.repeat(np.arange(n), m)
        cols = np.tile(np.arange(m), n)
        return rows, cols, {name: a.ravel() for name, a in self._dense_columns().items()}

    def _top_pairs(
        self, k: int, by: RankedBy, eligible_only: bool, caller: str
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray]:
        rows, cols, rank = self._ranked_pairs(k, by, self.eligible if eligible_only else None)
        columns = {name: a[rows, cols] for name, a in self._dense_columns().items()}
        return rows, cols, columns, rank

    def _employee_pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m = len(self.positions)
        return np.repeat(rows, m), np.tile(np.arange(m), len(rows))


#: Attributes of :class:`DenseScores` that candidate scores do not have, and where to look.
_DENSE_ONLY = ("jpm", "composite", "eligible", "reasons", "category_code")


class CandidateScores(Scores):
    """Scores of the candidate pairs a streamed scoring kept.

    What :func:`score` returns when the dense result would not fit, or with ``dense=False``.

    The full (n_employees, n_positions) matrix never exists: employees are scored in blocks and
    only the ``top_k`` best eligible positions of each employee and the ``top_k`` best eligible
    employees of each position (by composite) are kept, in ``candidates``. Rankings of at most
    ``top_k`` per employee or per position (:meth:`top_k`, :func:`asn_match.recommend`) are the
    same as dense scores give.

    Attributes
    ----------
    employees, positions, config, codes, expectation_weights, merit
        As :class:`Scores`.
    candidates : Candidates
        The kept pairs as 1-D arrays (``employee_index``, ``position_index``, ``jpm``,
        ``composite``, ``eligible``, ``reasons``, ``category_code``), by employee row, then
        position row; every kept pair is eligible.
    top_k_kept : int
        The ``top_k`` of the scoring.

    Examples
    --------
    >>> from asn_match.datasets import synthetic_workforce
    >>> s = score(*synthetic_workforce(40, 8, seed=0), dense=False, top_k=3)
    >>> s  # doctest: +ELLIPSIS
    <CandidateScores: 40 employees x 8 positions (streamed: top-3 candidates, ... pairs), ...>
    >>> s.is_dense, s.top_k_kept, len(s.top_k(3, by="position")) <= 8 * 3
    (False, 3, True)
    """

    def __init__(
        self,
        *,
        employees: Employees,
        positions: Positions,
        config: ScoringConfig,
        prepared: Prepared,
        candidates: Candidates,
        top_k_kept: int,
    ):
        super().__init__(employees=employees, positions=positions, config=config, prepared=prepared)
        self.candidates = candidates
        self.top_k_kept = top_k_kept

    if not TYPE_CHECKING:  # a clear error, unseen by type checkers (they see no such attribute)

        def __getattr__(self, name: str) -> object:
            if name in _DENSE_ONLY:
                raise AttributeError(
                    f"CandidateScores has no {name!r}: a streamed scoring keeps the top "
                    f"{self.top_k_kept} candidates of each side, not every pair. Read "
                    f"candidates.{name} (one value per kept pair), or score again with "
                    "dense=True (if it fits in memory)."
                )
            raise AttributeError(f"'CandidateScores' object has no attribute {name!r}")

    @property
    def is_dense(self) -> Literal[False]:
        """Whether every pair is kept: False."""
        return False

    def _kind(self) -> str:
        return f"streamed: top-{self.top_k_kept} candidates, {len(self.candidates):,} pairs"

    def _category_codes(self) -> np.ndarray:
        return self.candidates.category_code

    def _check_kept(self, k: int, caller: str) -> None:
        """Refuse a list longer than the scoring kept."""
        if k > self.top_k_kept:
            raise InvalidParameterError(
                "k",
                caller,
                f"at most {self.top_k_kept}, the top_k this streamed scoring kept",
                k,
                fix=f"Score again with top_k={k} or dense=True.",
            )

    def _ranked(
        self,
        k: int,
        by: RankedBy,
        keep: np.ndarray | None = None,
        value: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` best candidate pairs of each employee (``by="employee"``) or position.

        Among the pairs where ``keep`` (shape (n_pairs,)) is True, by ``value`` (default the
        composite as every ranking compares it, :func:`~asn_match.kernels.topk.rank_values`)
        descending, ties by the neutral tie-break of the other side. Returns indices into
        ``candidates``, owners in table order, each by rank, and the ranks (1 = best).
        """
        c, prep = self.candidates, self._prepared
        if by == "employee":
            group, tiebreak = c.employee_index, prep.position_tiebreak[c.position_index]
        else:
            group, tiebreak = c.position_index, prep.employee_tiebreak[c.employee_index]
        if value is None:
            value = rank_values(c.composite)
        if keep is None:
            return _rank_groups(group, value, tiebreak, k)
        kept = np.flatnonzero(keep)
        index, rank = _rank_groups(group[kept], value[kept], tiebreak[kept], k)
        return kept[index], rank

    def _pair_columns(self, index: np.ndarray | slice) -> dict[str, np.ndarray]:
        """The per-pair arrays of the candidates ``index``, by their pair-table name."""
        return {name: values[index] for name, values in self.candidates._columns().items()}

    def _all_pairs(self) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        c = self.candidates
        return c.employee_index, c.position_index, c._columns()

    def _top_pairs(
        self, k: int, by: RankedBy, eligible_only: bool, caller: str
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray]:
        if not eligible_only:
            raise ValueError(
                f"{caller}(eligible_only=False) needs dense scores: a streamed scoring keeps "
                "eligible pairs only. Score again with dense=True."
            )
        self._check_kept(k, caller)
        index, rank = self._ranked(k, by)
        c = self.candidates
        return c.employee_index[index], c.position_index[index], self._pair_columns(index), rank

    def _employee_pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c = self.candidates
        hit = np.isin(c.employee_index, rows)
        return c.employee_index[hit], c.position_index[hit]


# ------------------------------------------------------------------------------------------------
# the dense path


def _score_dense(
    employees: Employees, positions: Positions, config: ScoringConfig, prep: Prepared
) -> DenseScores:
    n, m = len(employees), len(positions)
    if n and m:
        jpm = jpm_operator(prep, config).apply(prep.levels)
        np.round(jpm, JPM_DECIMALS, out=jpm)
    else:
        jpm = np.zeros((n, m))
    comp = block_composite(prep, jpm, slice(None))
    eligible, reasons = eligibility(prep.qualifications, prep.requirements)
    codes = categorize(jpm, config.category_thresholds)
    return DenseScores(
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


def _machine_memory() -> int | None:
    """Physical memory of this machine in bytes, or None where the system does not say."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):  # not POSIX, or the name is unknown
        return None


def _gb(size: float) -> str:
    return f"{size / 1e9:.1f} GB"


def _refuse_dense(n: int, m: int, memory_limit: int | None, top_k: int) -> None:
    """Refuse ``dense=True`` before any work when the dense result cannot fit."""
    need = n * m * RESULT_BYTES_PER_PAIR
    if memory_limit is not None:
        limit, what = memory_limit, f"memory_limit ({_gb(memory_limit)})"
    else:
        physical = _machine_memory()
        if physical is None:
            return
        limit, what = physical, f"this machine's memory ({_gb(physical)})"
    if need <= limit:
        return
    raising = f", or raise memory_limit to at least {need} bytes" if memory_limit else ""
    raise InvalidParameterError(
        "dense",
        "score",
        f"False or None for {n} employees x {m} positions: their dense result needs about "
        f"{_gb(need)} ({RESULT_BYTES_PER_PAIR} bytes a pair), more than {what}",
        True,
        fix=f"Score with dense=False (streamed: the top_k={top_k} best candidates of each "
        f"employee and each position are kept; assign and recommend accept them){raising}.",
    )


# ------------------------------------------------------------------------------------------------
# public entry point


def _as_table(value: object, kind: str) -> Employees | Positions:
    expected, other = (Employees, Positions) if kind == "employees" else (Positions, Employees)
    if isinstance(value, expected):
        return value
    if isinstance(value, other):
        raise InvalidParameterError(
            kind,
            "score",
            f"{expected.__name__}, a DataFrame or a path",
            other.__name__,
            fix="Check the order of the arguments.",
        )
    reader = io.read_employees if kind == "employees" else io.read_positions
    return reader(value)  # type: ignore[arg-type]


def score(
    employees: Employees | pd.DataFrame | str | os.PathLike[str],
    positions: Positions | pd.DataFrame | str | os.PathLike[str],
    *,
    config: ScoringConfig | dict | None = None,
    dense: bool | None = None,
    top_k: int = 50,
    block_size: int | None = None,
    memory_limit: int | None = None,
    progress: bool = False,
) -> DenseScores | CandidateScores:
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
        True keeps every pair, False streams; default None chooses by size: dense when
        ``n_employees * n_positions * RESULT_BYTES_PER_PAIR <= memory_limit`` (and within this
        machine's physical memory), streamed otherwise (logged at INFO level by the
        ``asn_match.scoring`` logger). True on a size whose dense result passes
        ``memory_limit`` (when given) or this machine's physical memory is refused before any
        work, with the estimate in GB.
    top_k : int, default 50
        When streamed: how many eligible positions per employee and eligible employees per
        position to keep.
    block_size : int, optional
        When streamed: employees per block; default the largest block whose JPM takes at most
        :data:`STREAM_BLOCK_BYTES`.
    memory_limit : int, optional
        Bytes the dense result may take; default :data:`DENSE_MEMORY_LIMIT` (1 GiB) for the
        choice, and no bound but the machine's memory with ``dense=True``.
    progress : bool, default=False
        When streamed: a progress bar (tqdm, the ``progress`` extra) of the employees scored.
        Dense scoring is one matrix product and shows none.

    Returns
    -------
    DenseScores or CandidateScores
        Both are :class:`Scores`. :class:`DenseScores` holds the (n_employees, n_positions)
        arrays; :class:`CandidateScores` (streamed) the kept pairs, ``candidates``.
        ``is_dense`` tells which.

    Raises
    ------
    InputError
        A competency positions require that the employees table lacks ("did you mean"); a
        missing level with ``missing_level="error"``; a missing merit value with
        ``missing_merit="error"``; a column a policy names that the tables do not have.
    InvalidParameterError
        An invalid option, or ``dense=True`` on a size whose dense result cannot fit.

    Warns
    -----
    DataQualityWarning
        Employees whose ``current_position_id`` matches no position (they count as the
        incumbent of none), each with its row and the closest position ids.

    Examples
    --------
    >>> from asn_match.datasets import synthetic_workforce
    >>> employees, positions = synthetic_workforce(40, 8, seed=0)
    >>> s = score(employees, positions)
    >>> s.is_dense, s.jpm.shape
    (True, (40, 8))
    >>> streamed = score(employees, positions, dense=False, top_k=3, block_size=16)
    >>> type(streamed).__name__, len(streamed.top_k(3))
    ('CandidateScores', 120)
    """
    caller = "score"
    if config is None:
        config = ScoringConfig()
    elif isinstance(config, dict):
        config = ScoringConfig.model_validate(config)
    elif not isinstance(config, ScoringConfig):
        raise InvalidParameterError(
            "config", caller, "a ScoringConfig, a dict or None", type(config).__name__
        )
    if dense is not None and not isinstance(dense, (bool, np.bool_)):
        raise InvalidParameterError("dense", caller, "True, False or None", dense)
    top_k = check_int(top_k, "top_k", caller, minimum=1)
    progress = check_bool(progress, "progress", caller)
    block_size = check_int(block_size, "block_size", caller, minimum=1, allow_none=True)
    memory_limit = check_int(memory_limit, "memory_limit", caller, minimum=0, allow_none=True)
    if dense and all(
        isinstance(t, (Employees, Positions, pd.DataFrame)) for t in (employees, positions)
    ):
        # sizes known before reading: refuse before validating a large table
        _refuse_dense(len(employees), len(positions), memory_limit, top_k)  # type: ignore[arg-type]
    employee_table = _as_table(employees, "employees")
    position_table = _as_table(positions, "positions")
    assert isinstance(employee_table, Employees) and isinstance(position_table, Positions)
    # Where employees meet positions: an unknown current position silently drops an incumbent.
    warn_quality(unknown_current_positions(employee_table, position_table))
    n, m = len(employee_table), len(position_table)
    if dense:
        _refuse_dense(n, m, memory_limit, top_k)
    if dense is None:
        need = n * m * RESULT_BYTES_PER_PAIR
        limit = DENSE_MEMORY_LIMIT if memory_limit is None else memory_limit
        bound = f"memory_limit ({_gb(limit)})"
        physical = _machine_memory()
        if physical is not None and physical < limit:  # a memory_limit past the machine's
            limit, bound = physical, f"this machine's memory ({_gb(physical)})"
        dense = need <= limit
        if not dense:
            _log.info(
                "score: the dense result of %d employees x %d positions would take %s, more "
                "than %s; streaming, keeping the top %d candidates of each employee and each "
                "position (a CandidateScores). dense=True keeps every pair.",
                n,
                m,
                _gb(need),
                bound,
                top_k,
            )

    prep = prepare(employee_table, position_table, config)
    if dense:
        return _score_dense(employee_table, position_table, config, prep)
    if block_size is None:
        block_size = max(1, STREAM_BLOCK_BYTES // (8 * max(m, 1)))
    bar = progress_bar(progress, n, "employee", caller)
    candidates = stream_candidates(prep, config, top_k, block_size, bar)
    if bar is not None:
        bar.close()
    return CandidateScores(
        employees=employee_table,
        positions=position_table,
        config=config,
        prepared=prep,
        candidates=candidates,
        top_k_kept=top_k,
    )
