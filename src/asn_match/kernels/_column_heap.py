"""The capacity solver's search over many positions: a heap of the columns reached, nearest first.

With more positions than :data:`~asn_match.kernels.transport.MAX_MATRIX_POSITIONS` the solver
keeps no exchange matrix; settling a full position then relaxes the pairs of its occupants
(:func:`relax_occupants`), which reach few columns. Picking the nearest column by a scan of every
column still to settle would cost ``O(m)`` per settled column and again to start each search
(20,000 positions: a cold solve of 62,500 employees on 2.2 M pairs took 51 s); a binary heap of
the columns reached costs ``O(log m)`` per change and nothing for the columns never reached.

Columns are ordered as the scan ordered them, so the solver's choices do not change: the nearer
first, among equally near ones one with a free seat (it ends the search, moving nobody), then the
lower index. A column's free seats do not change during a search, so the order of two columns
only changes with their distances, and the heap stays valid.

``heap[:size]`` holds the columns, ``where[c]`` the place of column ``c`` in it (-1: not in it).
A column's distance is valid in the current search only where ``reached[c]`` is the searching
employee (others count as unreached), so no search pays to reset the columns it never reached.
"""

from __future__ import annotations

from ._compile import jit

__all__ = ["clear", "pop", "push", "relax_occupants"]


@jit
def _before(a, b, dist, count, cap):
    """Whether column ``a`` is settled before column ``b``."""
    if dist[a] != dist[b]:
        return dist[a] < dist[b]
    free_a = count[a] < cap[a]
    if free_a != (count[b] < cap[b]):
        return free_a
    return a < b


@jit
def _sift_up(t, heap, where, dist, count, cap):
    c = heap[t]
    while t > 0:
        parent = (t - 1) // 2
        p = heap[parent]
        if not _before(c, p, dist, count, cap):
            break
        heap[t] = p
        where[p] = t
        t = parent
    heap[t] = c
    where[c] = t


@jit
def push(c, heap, where, size, dist, count, cap):
    """Put column ``c`` in the heap, or move it up after its distance fell; returns the size."""
    t = where[c]
    if t < 0:
        t = size
        heap[t] = c
        size += 1
    _sift_up(t, heap, where, dist, count, cap)
    return size


@jit
def pop(heap, where, size, dist, count, cap):
    """Take the nearest column out of the heap; returns ``(column, size)``, -1 when empty."""
    if size == 0:
        return -1, size
    top = heap[0]
    where[top] = -1
    size -= 1
    if size == 0:
        return top, size
    c = heap[size]
    t = 0
    while True:
        child = 2 * t + 1
        if child >= size:
            break
        if child + 1 < size and _before(heap[child + 1], heap[child], dist, count, cap):
            child += 1
        if not _before(heap[child], c, dist, count, cap):
            break
        heap[t] = heap[child]
        where[heap[t]] = t
        t = child
    heap[t] = c
    where[c] = t
    return top, size


@jit
def clear(heap, where, size):
    """Empty the heap (the columns a search reached and did not settle); returns 0."""
    for t in range(size):
        where[heap[t]] = -1
    return 0


@jit
def relax_occupants(
    k, base, v, w, indptr, indices, head, nxt, ent_of, dist, reached, i, pred_col, pred_emp,
    pred_ent, m, heap, where, size, count, cap, inf,
):  # fmt: skip
    """Relax through each occupant r of ``k``: r moves to c, losing (w_rk - v_k) - (w_rc - v_c).

    ``O(sum of the occupants' pairs x log m)`` per settled position; returns the heap's size.
    Settled columns carry a distance below any other, so they are never relaxed again.
    """
    r = head[k]
    while r >= 0:
        base_r = base + w[ent_of[r]]
        for e in range(indptr[r], indptr[r + 1]):
            c = indices[e]
            nd = base_r + v[c] - w[e]
            if nd < (dist[c] if reached[c] == i else inf):
                dist[c] = nd
                reached[c] = i
                pred_col[c] = k
                pred_emp[c] = r
                pred_ent[c] = e
                size = push(c, heap, where, size, dist, count, cap)
        nd = base_r + v[m]  # r becomes unplaced (the dummy is reached from the start)
        if nd < dist[m]:
            dist[m] = nd
            pred_col[m] = k
            pred_emp[m] = r
            pred_ent[m] = -1
            size = push(m, heap, where, size, dist, count, cap)
        r = nxt[r]
    return size
