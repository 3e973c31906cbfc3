"""Certificates of optimality for placements solved on candidate pairs.

A placement of a very large workforce is solved on *candidate* pairs (the top-k of each side kept
by streamed scoring) and then checked against every allowed pair of the full problem, scored again
block by block and never held whole. The check is linear-programming duality.

The certificate
---------------
For the capacitated assignment (maximise ``sum w_ij x_ij``, each employee at most once, position
``j`` at most ``cap_j`` times; see :mod:`asn_match.kernels.transport`) any prices ``v >= 0`` give a
dual solution of the *full* problem with the employee values

    u_i = max(0, max_j (w_ij - v_j))   over every allowed pair of employee i,

and by weak duality every placement's total is at most ``D = sum_i u_i + sum_j cap_j v_j``. The
candidate solve returns a placement of total ``P`` and its optimal prices ``v`` on the candidate
pairs, with the candidate values ``u^c_i`` (``P = sum u^c + sum cap v``, strong duality on the
candidates). Over the full problem ``u_i >= u^c_i``; a pair with ``w_ij - v_j > u^c_i`` is a
*violator*. With no violator, ``u = u^c``, so ``D = P``: the placement is optimal for the full
problem. Otherwise the violators are added to the candidates and the problem is solved again from
the last prices, until none is left; ``D - P`` bounds how far from optimal a placement stopped
early (by a round or time limit) can be.

:func:`block_violations` is the check of one block of employees; the loop lives with the caller
(:mod:`asn_match.large`), which knows how to score a block.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["BlockCheck", "Certificate", "block_violations"]


@dataclass(frozen=True)
class Certificate:
    """How far a placement solved on candidate pairs is proven optimal for the full problem.

    Attributes
    ----------
    optimal : bool
        No allowed pair of the full problem violates the prices: the placement is optimal.
    duality_gap : float
        ``D - P`` in score units: the most the objective could still gain (0 when optimal, up to
        the rounding of the score quantum).
    largest_violation : float
        The largest ``w_ij - v_j - u_i`` over the full problem in the last check, in score units
        (0 when optimal).
    rounds : int
        Candidate solves (1 when the first candidates were enough).
    pairs_checked : int
        Allowed pairs priced in the checks, all rounds together.
    candidate_pairs : int
        Pairs of the last candidate solve.
    stopped : {None, "rounds", "time"}
        Why the loop ended before proving optimality; None when it did not stop early.
    """

    optimal: bool
    duality_gap: float
    largest_violation: float
    rounds: int
    pairs_checked: int
    candidate_pairs: int
    stopped: str | None = None


@dataclass(frozen=True, eq=False)
class BlockCheck:
    """The check of one block of employees against the prices.

    Attributes
    ----------
    values : ndarray of shape (n_block,)
        ``u_i = max(0, max_j w_ij - v_j)`` over the allowed pairs of the block.
    rows, cols : ndarray of shape (n_violators,), intp
        The violating pairs kept (block rows, columns), the most violating first per row.
    weights : ndarray of shape (n_violators,)
        Their weights ``w_ij``.
    largest_violation : int or float
        ``max(w_ij - v_j - u^c_i)`` over the block, 0 when nothing violates.
    pairs : int
        Allowed pairs in the block.
    """

    values: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    weights: np.ndarray
    largest_violation: int | float
    pairs: int


def block_violations(
    weights: np.ndarray,
    allowed: np.ndarray,
    prices: np.ndarray,
    candidate_values: np.ndarray,
    *,
    per_row: int = 8,
) -> BlockCheck:
    """Price every allowed pair of a block of employees; keep the worst violators of each row.

    Parameters
    ----------
    weights : ndarray of shape (n_block, n_positions), int64 or float64
        The solver's weights of every pair of the block (any value where not allowed).
    allowed : ndarray of bool of shape (n_block, n_positions)
        Pairs that may be placed; pairs of weight <= 0 are never worth placing and not counted.
    prices : ndarray of shape (n_positions,)
        The prices ``v >= 0`` of the candidate solve.
    candidate_values : ndarray of shape (n_block,)
        The employees' values ``u^c`` in the candidate solve.
    per_row : int, default=8
        Most violators kept per employee (the most violating): enough to move the prices, few
        enough to keep the candidate problem small.

    Returns
    -------
    BlockCheck

    Examples
    --------
    >>> w = np.array([[5, 9, 1], [4, 2, 8]])
    >>> check = block_violations(w, w > 0, np.array([0, 3, 0]), np.array([6, 8]))
    >>> check.values.tolist(), check.rows.tolist(), check.cols.tolist(), check.largest_violation
    ([6, 8], [], [], 0)
    >>> check = block_violations(w, w > 0, np.array([0, 3, 0]), np.array([5, 8]))
    >>> check.rows.tolist(), check.cols.tolist(), check.largest_violation
    ([0], [1], 1)
    """
    useful = allowed & (weights > 0)
    kind = weights.dtype.kind
    floor = np.iinfo(np.int64).min // 4 if kind in "iu" else -np.inf
    reduced = np.where(useful, weights - prices[None, :], floor)
    values = np.maximum(reduced.max(axis=1, initial=floor), 0)
    slack = reduced - candidate_values[:, None]
    violating = useful & (slack > 0)
    counts = violating.sum(axis=1)
    largest = slack[violating].max() if violating.any() else 0
    rows_of = np.flatnonzero(counts)
    if rows_of.size == 0:
        empty = np.empty(0, np.intp)
        return BlockCheck(values, empty, empty, weights[:0, 0], 0, int(useful.sum()))
    sub = np.where(violating[rows_of], slack[rows_of], floor)
    keep = min(per_row, sub.shape[1])
    top = np.argpartition(-sub, keep - 1, axis=1)[:, :keep] if keep < sub.shape[1] else None
    cols = np.tile(np.arange(sub.shape[1]), (rows_of.size, 1)) if top is None else top
    chosen = np.take_along_axis(violating[rows_of], cols, axis=1)
    r_local, slot = np.nonzero(chosen)
    rows = rows_of[r_local].astype(np.intp)
    cols_out = cols[r_local, slot].astype(np.intp)
    return BlockCheck(
        values=values,
        rows=rows,
        cols=cols_out,
        weights=weights[rows, cols_out],
        largest_violation=largest.item() if hasattr(largest, "item") else largest,
        pairs=int(useful.sum()),
    )
