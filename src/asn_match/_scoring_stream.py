"""Streamed scoring: employees in blocks, only the top-k candidates of each side kept.

Used by :func:`asn_match.scoring.score` when the dense result would pass its memory limit.
Employees are scored in blocks of at most :data:`STREAM_BLOCK_BYTES` of JPM; the selection runs on
cache-sized chunks of a block. Every pair is ranked by its packed key
(:mod:`asn_match.kernels.topk`): the composite quantized to
:data:`~asn_match.rules.RANK_DECIMALS` decimals, then the neutral tie-break, the order of every
other ranking of the library.

- Per employee, a chunk holds whole rows, so the ``k`` best positions of an employee are final
  after one chunk.
- Per position, the list of its best employees so far grows chunk after chunk. Each position keeps
  a threshold, a lower bound of its final k-th key (seeded by a pilot pass over a fixed
  pseudo-random sample of employees), and only pairs at or above it enter the list.

The result, a :class:`Candidates`, is the union of both selections, eligible pairs only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ._checks import freeze_arrays
from ._scoring_policy import Prepared, block_composite, jpm_operator, pair_composite
from .config import ScoringConfig
from .kernels.eligibility import EmployeeQualifications, eligibility
from .kernels.jpm import JPMOperator, categorize
from .kernels.topk import key_bits, quantize, ranking_keys, split_keys, top_k_keys
from .rules import JPM_DECIMALS, RANK_DECIMALS

__all__ = ["STREAM_BLOCK_BYTES", "Candidates", "stream_candidates"]

#: Memory of the JPM of one streamed block of employees (64 MiB): the default block holds
#: ``STREAM_BLOCK_BYTES // (8 * n_positions)`` employees.
STREAM_BLOCK_BYTES = 2**26
# Pairs per selection chunk: the composite, keys and masks of a chunk stay in cache (4 MiB each).
_CHUNK_PAIRS = 2**19
# Employees per kept slot scored in the pilot pass that seeds the per-position thresholds.
_PILOT_PER_SLOT = 20
# Largest (qualification profiles x positions) eligibility table the stream precomputes.
_PROFILE_TABLE_PAIRS = 2**23


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
        freeze_arrays(self)

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

    prep: Prepared
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

    def chunks(self, employees: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
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
                value = block_composite(prep, jpm, rows, out=self._value[: len(rows)])
                value += self._penalty_rows(rows)
                quantize(value, decimals=RANK_DECIMALS, out=value)  # ineligible: -1
                yield rows, jpm, value


def stream_candidates(prep: Prepared, config: ScoringConfig, k: int, block: int) -> Candidates:
    """The candidate pairs of a streamed scoring: the ``k`` best eligible of each side.

    Parameters
    ----------
    prep : Prepared
        From :func:`asn_match._scoring_policy.prepare`.
    config : ScoringConfig
    k : int
        Positions kept per employee and employees kept per position, >= 1.
    block : int
        Employees per block, >= 1.
    """
    n, m = prep.levels.shape[0], prep.standard.shape[0]
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
        stream = _Stream(
            prep, jpm_operator(prep, config), min(block, n), max(1, _CHUNK_PAIRS // m), m
        )

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
    return Candidates(
        employee_index=rows_kept,
        position_index=cols_kept,
        jpm=jpm_kept,
        composite=pair_composite(prep, jpm_kept, rows_kept),
        eligible=np.ones(len(first), dtype=bool),
        reasons=np.zeros(len(first), dtype=np.uint16),
        category_code=categorize(jpm_kept, config.category_thresholds),
    )
