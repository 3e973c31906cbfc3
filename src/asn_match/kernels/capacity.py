"""The capacity path of placement: seats as capacities, one node per position.

:func:`~asn_match.kernels.seating.solve_problem` hands the canonical problem here for
``method="capacity"`` (the default): the values become exact integer weights
(:func:`solver_weights`), the objectives become capacity solves
(:func:`~asn_match.kernels.transport.max_weight_transport`; :func:`solve_capacity`), and
independent blocks of employees and positions are solved apart (:func:`solve_blocks`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

from ..rules import SCORE_DECIMALS
from .cardinality import max_cardinality_placement
from .lap import Objective, bottleneck_level
from .transport import max_weight_transport

if TYPE_CHECKING:
    from .seating import SeatingProblem

__all__ = ["solve_blocks", "solve_capacity", "solver_weights"]

#: Integer weights handed to the capacity solver stay below this in absolute value, with room
#: for the fill-first shift (see :func:`solver_weights`).
_SOLVER_INTEGER_LIMIT = 2**55


def solver_weights(problem: SeatingProblem) -> np.ndarray:
    """The weights the capacity solver maximises, exact integers where they fit.

    With the stay tie-break, its integer weights ``W`` (below 2**52 by the choice of the
    quantum); otherwise the values (rounded to 1e-9) as integer multiples of 1e-9, so that ties
    are exact and the result does not depend on floating-point rounding; values too large for
    that (beyond about 3e7 points) stay floats. Pairs that are not allowed hold 0.

    Returns
    -------
    ndarray of shape (n_free, m), int64 (or float64)
    """
    allowed = problem.allowed
    if problem.tie_weights is not None:
        return np.where(allowed, problem.tie_weights, 0.0).astype(np.int64)
    values = np.where(allowed, problem.weights, 0.0)
    scaled = np.rint(values * 10.0**SCORE_DECIMALS)
    pairs = min(values.shape[0], int(problem.capacity.sum()))
    if scaled.size and float(np.abs(scaled).max()) * max(pairs, 1) >= _SOLVER_INTEGER_LIMIT:
        return values
    return scaled.astype(np.int64)


def solve_capacity(
    problem: SeatingProblem, objective: Objective
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Solve with seats as capacities (one node per position), in canonical indices.

    Returns the placed pairs (rows, cols) and the solver's largest dual prices of the positions
    in score units: exact for the values under ``"total"`` without the stay tie-break, within
    one quantum with it (the prices of ``W`` over ``S + 1``), meaningless for the other
    objectives (their weights carry the fill-first shift).

    - ``"total"``: the greatest total of :func:`solver_weights` over allowed pairs worth
      placing, one :func:`~asn_match.kernels.transport.max_weight_transport` call;
    - ``"fill_first"``: every allowed pair gets ``B`` more, ``B`` above any total the weights
      can reach, so that one more placed pair outweighs every difference of totals: the most
      pairs first, then the greatest total (exact in int64: ``B`` stays below 2**56);
    - ``"bottleneck"``: the highest level of the values at which the most pairs can still be
      placed (binary search, each step a count by the same solver on unit weights), then
      ``"fill_first"`` over the pairs at or above it.

    Rows are the problem's canonical rows, so ties go by the canonical order of the ids.
    """
    weights = solver_weights(problem)
    allowed = problem.allowed
    capacity = problem.capacity
    if objective == "bottleneck":
        # on the values alone, so that the stay tie-break cannot change the level
        level = bottleneck_level(
            problem.weights, allowed, lambda mask: _placed_count(mask, capacity)
        )
        allowed = allowed & (problem.weights >= (np.inf if level is None else level))
    if objective != "total":
        weights = np.where(allowed, weights + _fill_first_shift(weights, allowed, capacity), 0)
        position, prices = _transport(weights, capacity, allowed)
    else:
        position, prices = solve_blocks(weights, capacity, allowed & (weights > 0))
    rows = np.flatnonzero(position >= 0).astype(np.intp)
    cols = position[rows].astype(np.intp)
    if weights.dtype.kind == "f":
        return rows, cols, prices.astype(np.float64)
    quantum = problem.quantum or 10.0**-SCORE_DECIMALS
    return rows, cols, prices / problem.tie_unit * quantum


def _transport(weights, capacity, allowed) -> tuple[np.ndarray, np.ndarray]:
    solution = max_weight_transport(weights, capacity, allowed=allowed)
    return solution.employee_position, solution.position_prices


def solve_blocks(
    weights: np.ndarray, capacity: np.ndarray, allowed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The greatest total, block by block of employees and positions that can exchange nobody.

    The connected components of the graph of allowed pairs (e.g. classes or agencies between
    which no pair is allowed) are independent problems: a placement and prices optimal for each
    are optimal for the whole, so each is solved apart
    (:func:`~asn_match.kernels.transport.max_weight_transport`) and the results merged. Rows of a
    block keep their relative order, so ties are broken as in one solve of the same rows.

    Parameters
    ----------
    weights : ndarray of shape (n, m), int64 or float64
    capacity : ndarray of int of shape (m,)
    allowed : ndarray of bool of shape (n, m)

    Returns
    -------
    employee_position : ndarray of shape (n,), int64
        -1 when unplaced.
    position_prices : ndarray of shape (m,)
        The largest optimal prices (0 for positions no allowed pair reaches).

    Examples
    --------
    >>> w = np.array([[5, 0], [3, 0], [0, 7]])
    >>> position, prices = solve_blocks(w, np.array([1, 1]), w > 0)
    >>> position.tolist(), prices.tolist()
    ([0, -1, 1], [5, 7])
    """
    n, m = weights.shape
    rows, cols = np.nonzero(allowed)
    graph = csr_array(
        (np.ones(rows.size, dtype=np.int8), (rows.astype(np.int32), (cols + n).astype(np.int32))),
        shape=(n + m, n + m),
    )
    count, label = connected_components(graph, directed=False)
    paired = np.count_nonzero(allowed.any(axis=1)) + np.count_nonzero(allowed.any(axis=0))
    if count <= 1 + (n + m - paired):
        # one block (the other components are single nodes without pairs)
        return _transport(weights, capacity, allowed)
    position = np.full(n, -1, dtype=np.int64)
    prices = np.zeros(m, dtype=weights.dtype)
    employee_label, position_label = label[:n], label[n:]
    for block in np.unique(employee_label[rows]):
        block_rows = np.flatnonzero(employee_label == block)
        block_cols = np.flatnonzero(position_label == block)
        index = np.ix_(block_rows, block_cols)
        found, block_prices = _transport(weights[index], capacity[block_cols], allowed[index])
        placed = found >= 0
        position[block_rows[placed]] = block_cols[found[placed]]
        prices[block_cols] = block_prices
    return position, prices


def _fill_first_shift(weights: np.ndarray, allowed: np.ndarray, capacity: np.ndarray):
    """A number above the largest total |weight| any placement reaches (``B`` of fill-first)."""
    n = weights.shape[0]
    k = min(n, int(capacity.sum()))
    largest = np.abs(weights).max(axis=1, where=allowed, initial=0)
    if k < n:
        largest = np.partition(largest, n - k)[n - k :]
    return largest.sum() + 1


def _placed_count(allowed: np.ndarray, capacity: np.ndarray) -> int:
    """Most pairs of ``allowed`` that can be placed within the capacities."""
    indptr = np.zeros(allowed.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.count_nonzero(allowed, axis=1), out=indptr[1:])
    indices = np.nonzero(allowed)[1].astype(np.int64)
    return int(np.count_nonzero(max_cardinality_placement(indptr, indices, capacity) >= 0))
