"""Streamed scoring: employees in blocks, only the top-k candidates of each side kept.

Used by :func:`asn_match.scoring.score` when the dense result would pass its memory limit.
Employees are scored in blocks of at most :data:`STREAM_BLOCK_BYTES` of JPM (one matrix product
each), and one compiled pass over each block (:func:`asn_match.kernels.topk.select_block`) ranks
every pair by its packed key: the composite quantized to :data:`~asn_match.rules.RANK_DECIMALS`
decimals, then the neutral tie-break, the order of every other ranking of the library.

- Per employee, a block holds whole rows, so the ``k`` best positions of an employee are final
  after one block.
- Per position, a min-heap keeps the ``k`` best employees so far; its root, the k-th best key so
  far, is the bar a later pair must pass, so few pairs are looked at twice once it has risen.

The positions are scored in tie-break order (the matrix product's columns permuted): among
positions of equal composite for an employee, the ones that rank first then come first, so the
employee's bar is final early and the rest of the row passes no test. The permutation changes no
score: a product entry may differ in its last bit with the column it lands in, as with the
block it lands in, and the JPM is rounded to :data:`~asn_match.rules.JPM_DECIMALS` decimals
before any use, which the dense path does too.

The result, a :class:`Candidates`, is the union of both selections, eligible pairs only.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import freeze_arrays
from ._scoring_policy import Prepared, block_composite, jpm_operator, pair_composite
from .config import ScoringConfig
from .kernels.composite import normalise_weights
from .kernels.eligibility import eligibility
from .kernels.jpm import categorize
from .kernels.topk import key_bits, select_block, split_keys
from .rules import JPM_DECIMALS, RANK_DECIMALS

__all__ = ["STREAM_BLOCK_BYTES", "BlockScorer", "Candidates", "stream_candidates"]

#: Memory of the JPM of one streamed block of employees (64 MiB): the default block holds
#: ``STREAM_BLOCK_BYTES // (8 * n_positions)`` employees.
STREAM_BLOCK_BYTES = 2**26
# Largest (qualification profiles x positions) eligibility table the stream precomputes.
_PROFILE_TABLE_PAIRS = 2**23
# Least number of column keys held pending before a merge into the heaps.
_PENDING = 2**18


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


class _EligibleRows:
    """Which positions each employee of a block may take: a table, and each employee's row of it.

    Eligibility depends on the employee only through rank, education, job families and
    certifications: with few distinct profiles (the usual case) each profile is ruled on once,
    and a block reads its employees' rows of that table; otherwise each block is ruled on.
    Columns are positions in the order ``columns``.
    """

    def __init__(self, prep: Prepared, columns: np.ndarray):
        self.prep = prep
        self.columns = columns
        q = prep.qualifications
        parts = [q.rank[:, None], q.education[:, None]]
        parts += [a for a in (q.families, q.certifications) if a is not None]
        profile = np.concatenate([np.asarray(a, dtype=np.int16) for a in parts], axis=1)
        unique, first, inverse = np.unique(profile, axis=0, return_index=True, return_inverse=True)
        self._table: np.ndarray | None = None
        if len(unique) * len(columns) <= _PROFILE_TABLE_PAIRS:
            self._table = self._rule(first)
            self._profile = inverse.ravel().astype(np.int64)

    def _rule(self, employees: np.ndarray) -> np.ndarray:
        eligible, _ = eligibility(self.prep.qualifications.rows(employees), self.prep.requirements)
        return np.ascontiguousarray(eligible[:, self.columns])

    def block(self, rows: slice | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The eligibility of the employees ``rows`` (a slice or indices): ``(table, profile)``.

        Employee ``i`` of the block may take column ``t`` if ``table[profile[i], t]``.
        """
        if self._table is not None:
            return self._table, self._profile[rows]
        employees = np.arange(rows.start, rows.stop) if isinstance(rows, slice) else rows
        table = self._rule(employees)
        return table, np.arange(len(table), dtype=np.int64)

    def restricted(self, selected: np.ndarray) -> _EligibleRows:
        """The eligibility of the columns ``selected`` (indices into ``columns``) only."""
        narrow = copy.copy(self)
        narrow.columns = self.columns[selected]
        if self._table is not None:
            narrow._table = np.ascontiguousarray(self._table[:, selected])
        return narrow

    def seats_open_to(self, rows: np.ndarray, seats: np.ndarray) -> np.ndarray | None:
        """Seats of the positions each employee of ``rows`` may take (None: no profile table).

        ``seats`` of shape (n_columns,), in the order ``columns``.
        """
        if self._table is None:
            return None
        per_profile = self._table.astype(np.int64) @ np.asarray(seats, dtype=np.int64)
        return per_profile[self._profile[rows]]


class BlockScorer:
    """What the compiled passes over blocks of pairs need, positions in the order ``columns``.

    The JPM operator of the positions in that order (so a block's product comes out in it), the
    eligibility of any block of employees, and the two parts of the composite: the composite is
    ``min(jpm, 100) * jpm_weight + merit[i]`` by the operations of kernels.composite, whose value
    at JPM 0 is the merit. Streamed scoring and the certificate's check (asn_match.large) score
    by this one object, so a pair weighs the same in both.
    """

    def __init__(self, prep: Prepared, config: ScoringConfig, columns: np.ndarray):
        in_order = dataclasses.replace(
            prep, standard=prep.standard[columns], weights=prep.weights[columns]
        )
        self.operator = jpm_operator(in_order, config)
        self.eligible = _EligibleRows(prep, columns)
        self.jpm_weight = float(normalise_weights(prep.composite_weights)[0])
        n = prep.levels.shape[0]
        self.merit = block_composite(prep, np.zeros((n, 1)), slice(None))[:, 0]

    def restricted(self, selected: np.ndarray) -> BlockScorer:
        """The scorer of the columns ``selected`` (indices into its columns) only.

        Its operator is this one's restricted to them (``JPMOperator.columns``): a pair scores
        as here (up to the product's last bit), at the cost of these columns.
        """
        narrow = copy.copy(self)
        narrow.operator = self.operator.columns(selected)
        narrow.eligible = self.eligible.restricted(selected)
        return narrow


def stream_candidates(
    prep: Prepared, config: ScoringConfig, k: int, block: int, bar: Any = None
) -> Candidates:
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
    bar : tqdm bar, optional
        Advanced by the employees of each block (:func:`asn_match._progress.progress_bar`).
    """
    n, m = prep.levels.shape[0], prep.standard.shape[0]
    e_bits, p_bits = key_bits(n), key_bits(m)
    # composites are on 0-100, so quantized values stay below 10**(RANK_DECIMALS + 2) + 1 and the
    # keys below 2**53: checked once here instead of on every pair
    if (10.0 ** (RANK_DECIMALS + 2) + 2) * 2.0 ** max(e_bits, p_bits) > 2.0**53:
        raise ValueError(
            f"{n} employees x {m} positions is beyond the exact ranking keys of streamed scoring "
            "(2**53); score the agencies separately."
        )
    # canonical order: the employee (position) holding each tie-break rank; column t of the
    # stream is position p_order[t]
    e_order = np.argsort(prep.employee_tiebreak)
    p_order = np.argsort(prep.position_tiebreak)
    # each column's k best employees so far (min-heaps of keys, -1 for an empty slot), with the
    # raw JPM of each, and the heaps' roots
    col_keys = np.full((m, min(k, n)), -1.0)
    col_jpm = np.zeros_like(col_keys)
    col_threshold = np.full(m, -1.0)
    # the kept pairs, written block by block into arrays of their largest size (the pages
    # never written are never resident): a list of every block's small arrays stayed resident
    # after scoring (freed small blocks are not given back to the system)
    most = n * min(k, m) + m * min(k, n)
    kept = [np.empty(most, dtype=np.int64), np.empty(most, dtype=np.int64), np.empty(most)]
    filled = 0

    def keep(*pairs: np.ndarray) -> None:  # rows, columns, raw JPM
        nonlocal filled
        stop = filled + pairs[0].size
        for into, values in zip(kept, pairs, strict=True):
            into[filled:stop] = values
        filled = stop

    if n and m:
        block = min(block, n)
        scorer = BlockScorer(prep, config, p_order)
        operator, eligible = scorer.operator, scorer.eligible
        jpm_weight, merit = scorer.jpm_weight, scorer.merit
        position_low = 2.0**p_bits - 1 - np.arange(m, dtype=np.float64)
        employee_low = (2.0**e_bits - 1 - prep.employee_tiebreak).astype(np.float64)
        # buffers reused by every block: a fresh large array costs a page fault per 4 KiB
        jpm_buffer = np.empty((block, m))
        row_keys = np.empty((block, min(k, m)))
        row_positions = np.empty(row_keys.shape, dtype=np.int64)
        # column keys pending a merge into the heaps, and the scratch of the merge
        capacity = max(4 * m, _PENDING)
        pending_position = np.empty(capacity, dtype=np.int64)
        pending = np.empty((4, capacity))
        runs = np.empty(m + 1, dtype=np.int64)
        for start in range(0, n, block):
            rows = slice(start, min(n, start + block))
            jpm = operator.apply(prep.levels[rows], out=jpm_buffer[: rows.stop - start])
            table, profile = eligible.block(rows)
            select_block(
                jpm, merit[rows], jpm_weight, table, profile, position_low, employee_low[rows],
                2.0**p_bits, 2.0**e_bits, 10.0**JPM_DECIMALS, 10.0**RANK_DECIMALS,
                row_keys, row_positions, col_keys, col_jpm, col_threshold,
                pending_position, *pending, runs,
            )  # fmt: skip
            if bar is not None:
                bar.update(len(jpm))
            # per employee: a block holds whole rows, so its selection is final
            r_local, slot = np.nonzero(row_keys[: len(jpm)] >= 0)
            columns = row_positions[r_local, slot]
            keep(r_local + start, p_order[columns], jpm[r_local, columns])
    # per position: the heaps hold the final k best
    columns, slot = np.nonzero(col_keys >= 0)
    keep(
        e_order[split_keys(col_keys[columns, slot], e_bits)[1]],
        p_order[columns],
        col_jpm[columns, slot],
    )

    rows_all, cols_all, jpm_all = kept
    _, first = np.unique(rows_all[:filled] * max(m, 1) + cols_all[:filled], return_index=True)
    rows_kept, cols_kept = rows_all[first], cols_all[first]
    jpm_kept = np.round(jpm_all[first], JPM_DECIMALS)
    kept.clear()  # 1,000,000 x 20,000: 51 M pairs, 1.2 GB
    del rows_all, cols_all, jpm_all
    return Candidates(
        employee_index=rows_kept,
        position_index=cols_kept,
        jpm=jpm_kept,
        composite=pair_composite(prep, jpm_kept, rows_kept),
        eligible=np.ones(len(first), dtype=bool),
        reasons=np.zeros(len(first), dtype=np.uint16),
        category_code=categorize(jpm_kept, config.category_thresholds),
    )
