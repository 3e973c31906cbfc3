"""The most employees that can be placed, with seats as capacities (Hopcroft-Karp, compiled).

The bottleneck objective searches for the highest score level at which as many employees can
still be placed as with every allowed pair (:func:`~asn_match.kernels.lap.bottleneck_level`):
a count at each step of a binary search, on the pairs at or above the level. Weights play no
part in a count, so it needs no prices and no shortest paths: a maximum-cardinality matching in
which position ``j`` takes up to ``capacities[j]`` employees (a *b-matching*) answers it.

Hopcroft-Karp [1]_ with capacities: each phase is one breadth-first search from every unplaced
employee at once, along pairs to positions and from a full position back to its occupants, that
stops at the first layer holding a position with a free seat; then a depth-first search from each
unplaced employee along the layers (each pair tried at most once a phase) moves every chain it
finds: "``i`` takes a seat of ``j1``, an occupant of ``j1`` moves to ``j2``, ..., someone takes a
free seat". The chains of a phase are disjoint, each phase places at least one more employee, and
``O(sqrt(n))`` phases suffice, so a count costs ``O(pairs x sqrt(n))`` at most and a few passes
over the pairs in practice. A greedy pass (each employee to its first position with a free seat)
places most employees before the first phase.

References
----------
.. [1] J.E. Hopcroft and R.M. Karp, "An n^(5/2) algorithm for maximum matchings in bipartite
   graphs", SIAM Journal on Computing 2 (1973) 225-231.
"""

from __future__ import annotations

import numpy as np

from ._compile import jit
from ._occupants import join, leave

__all__ = ["max_cardinality_placement"]

_UNSEEN = np.int64(2**62)


@jit
def _hopcroft_karp(indptr, indices, cap):
    n = indptr.size - 1
    m = cap.size
    col_of = np.full(n, -1, np.int64)
    count = np.zeros(m, np.int64)
    head = np.full(m, -1, np.int64)
    nxt = np.full(n, -1, np.int64)
    prv = np.full(n, -1, np.int64)
    for i in range(n):  # greedy start
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            if count[j] < cap[j]:
                col_of[i] = j
                join(i, j, head, nxt, prv, count)
                break
    layer_emp = np.empty(n, np.int64)
    layer_pos = np.empty(m, np.int64)
    queue = np.empty(n, np.int64)
    arc = np.empty(n, np.int64)  # each employee's next pair to try in this phase
    visited = np.zeros(n, np.bool_)  # entered by a chain in this phase (or a dead end)
    stack_emp = np.empty(n + 1, np.int64)
    stack_pos = np.empty(n + 1, np.int64)
    while True:
        # Breadth-first layers from every unplaced employee.
        layer_emp[:] = _UNSEEN
        layer_pos[:] = _UNSEEN
        tail = 0
        for i in range(n):
            if col_of[i] < 0 and indptr[i + 1] > indptr[i]:
                layer_emp[i] = 0
                queue[tail] = i
                tail += 1
        limit = _UNSEEN
        head_q = 0
        while head_q < tail:
            i = queue[head_q]
            head_q += 1
            if layer_emp[i] >= limit:
                break
            for e in range(indptr[i], indptr[i + 1]):
                j = indices[e]
                if j == col_of[i] or layer_pos[j] != _UNSEEN:
                    continue
                layer_pos[j] = layer_emp[i] + 1
                if count[j] < cap[j]:
                    limit = min(limit, layer_pos[j])
                elif layer_pos[j] < limit:
                    r = head[j]
                    while r >= 0:
                        if layer_emp[r] == _UNSEEN:
                            layer_emp[r] = layer_pos[j] + 1
                            queue[tail] = r
                            tail += 1
                        r = nxt[r]
        if limit == _UNSEEN:
            return col_of  # no chain ends at a free seat: the placement is maximum
        # Depth-first chains along the layers, each pair tried at most once a phase.
        for i in range(n):
            arc[i] = indptr[i]
            visited[i] = False
        for source in range(n):
            if col_of[source] >= 0 or layer_emp[source] != 0:
                continue
            depth = 0
            stack_emp[0] = source
            visited[source] = True
            while depth >= 0:
                i = stack_emp[depth]
                advanced = False
                while arc[i] < indptr[i + 1]:
                    j = indices[arc[i]]
                    if j == col_of[i] or layer_pos[j] != layer_emp[i] + 1:
                        arc[i] += 1
                        continue
                    if count[j] < cap[j]:
                        # A free seat: every employee on the stack moves one step along.
                        stack_pos[depth] = j
                        for t in range(depth, -1, -1):
                            r, k = stack_emp[t], stack_pos[t]
                            if col_of[r] >= 0:
                                leave(r, col_of[r], head, nxt, prv, count)
                            col_of[r] = k
                            join(r, k, head, nxt, prv, count)
                        depth = -1
                        advanced = True
                        break
                    # A full position: go on through an occupant on the next layer not tried
                    # yet (the pair is tried again with the next one if this one leads nowhere).
                    r = head[j]
                    while r >= 0 and (visited[r] or layer_emp[r] != layer_pos[j] + 1):
                        r = nxt[r]
                    if r < 0 or layer_pos[j] >= limit:
                        arc[i] += 1
                        continue
                    visited[r] = True
                    stack_pos[depth] = j
                    depth += 1
                    stack_emp[depth] = r
                    advanced = True
                    break
                if not advanced:
                    depth -= 1  # a dead end (it stays visited for the rest of the phase)


def max_cardinality_placement(indptr, indices, capacities) -> np.ndarray:
    """Place as many employees as possible on their allowed pairs within the capacities.

    Parameters
    ----------
    indptr, indices : ndarray of int64
        The allowed pairs, row by row (CSR): employee ``i``'s positions are
        ``indices[indptr[i]:indptr[i + 1]]``.
    capacities : ndarray of shape (n_positions,), non-negative int64
        The seats of each position.

    Returns
    -------
    ndarray of shape (n_employees,), int64
        The position of each employee in one placement of the most employees, or -1.

    Examples
    --------
    >>> import numpy as np
    >>> indptr, indices = np.array([0, 2, 3, 4]), np.array([0, 1, 0, 0])
    >>> max_cardinality_placement(indptr, indices, np.array([2, 1])).tolist()
    [1, 0, 0]
    """
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    capacities = np.asarray(capacities, dtype=np.int64)
    return _hopcroft_karp(indptr, indices, capacities)
