"""The capacity solver's search over many positions: a heap of the columns reached, nearest first.

With more positions than :data:`~asn_match.kernels.transport.MAX_MATRIX_POSITIONS` the solver
keeps no exchange matrix; settling a full position then relaxes its sparse exchange row
(:mod:`._exchange_rows`), which reaches few columns. Picking the nearest column by a scan of every
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

__all__ = ["clear", "pop", "precedes", "push"]

# The functions are inlined into the solver's search, and none calls another with arrays: a
# call that passes arrays counts references on each of them, atomically, and inlined calls
# nested in inlined calls kept those counts (40% of a cold solve at 250,000 x 5,000).


@jit(inline=True)
def precedes(d_a, free_a, a, d_b, free_b, b):
    """Whether column ``a`` (distance, has a free seat, index) is settled before column ``b``.

    The solver's one order of columns, with or without the heap.
    """
    if d_a != d_b:
        return d_a < d_b
    if free_a != free_b:
        return free_a
    return a < b


@jit(inline=True)
def push(c, heap, where, size, dist, count, cap):
    """Put column ``c`` in the heap, or move it up after its distance fell; returns the size."""
    t = where[c]
    if t < 0:
        t = size
        size += 1
    d_c, free_c = dist[c], count[c] < cap[c]
    while t > 0:
        parent = (t - 1) // 2
        p = heap[parent]
        if not precedes(d_c, free_c, c, dist[p], count[p] < cap[p], p):
            break
        heap[t] = p
        where[p] = t
        t = parent
    heap[t] = c
    where[c] = t
    return size


@jit(inline=True)
def pop(heap, where, size, dist, count, cap):
    """Take the nearest column out of the heap; returns ``(column, size)``, -1 when empty."""
    if size == 0:
        return -1, size
    top = heap[0]
    where[top] = -1
    size -= 1
    if size == 0:
        return top, size
    c = heap[size]  # the last one sifts down from the root
    d_c, free_c = dist[c], count[c] < cap[c]
    t = 0
    while True:
        child = 2 * t + 1
        if child >= size:
            break
        a = heap[child]
        if child + 1 < size:
            b = heap[child + 1]
            if precedes(dist[b], count[b] < cap[b], b, dist[a], count[a] < cap[a], a):
                child += 1
                a = b
        if not precedes(dist[a], count[a] < cap[a], a, d_c, free_c, c):
            break
        heap[t] = a
        where[a] = t
        t = child
    heap[t] = c
    where[c] = t
    return top, size


@jit(inline=True)
def clear(heap, where, size):
    """Empty the heap (the columns a search reached and did not settle); returns 0."""
    for t in range(size):
        where[heap[t]] = -1
    return 0
