"""The capacity solver's exchange rows: where the occupants of a full position can move, sparse.

Settling a full position ``k`` in a search relaxes every column its occupants can move to: an
occupant ``r`` moving to ``c`` loses ``(w_rk - v_k) - (w_rc - v_c)``, and only the least
``x_kc = min_r (w_rk - w_rc)`` over the occupants matters (it does not depend on the prices).
Without the exchange matrix (over :data:`~asn_match.kernels.transport.MAX_MATRIX_POSITIONS`
positions) the solver scanned the occupants' pairs at every settle: at 250,000 employees x 5,000
positions, 7.5 billion pairs touched in one cold solve (68 occupants a settle, scattered in
memory), for rows of 145 distinct columns on average (the occupants of one position want much
the same). So each position keeps its *exchange row*, the sparse row ``x_k.`` with the occupant
that attains each entry (the first in the occupants' list among equal losses, as the scan
chose), built when the position is settled and kept until its occupants change: the solver
settles positions far more often than it moves people (that solve: 4.1 million settles, 152,000
builds; 150 s before, 24 s with the rows).

Rows live in one pool. ``start[k]`` and ``length[k]`` locate row ``k`` (length -1: not built or
out of date; the solver sets it when the occupants change), ``room[k]`` the pool entries it may
use. A rebuilt row longer than its room moves to the end of the pool; a full pool is emptied
(every row out of date) and filled again as positions are settled. A row has at most ``m + 1``
entries (the last column is "unplaced": the occupant with the least weight leaves to it at a
loss of that weight).
"""

from __future__ import annotations

import numpy as np

from ._compile import jit

__all__ = ["exchange_row", "new_rows"]


def new_rows(m: int, pool: int, dtype) -> tuple:
    """Empty exchange rows of ``m`` positions in a pool of ``pool`` entries of losses ``dtype``.

    Returns the arrays :func:`exchange_row` takes, as a tuple: ``(start, length, room,
    counters, column, who, loss, stamp, slot)``; ``counters`` holds the pool's first unused
    entry and the number of builds so far. Columns and occupants are int32 (half the memory;
    a solve holds far fewer than 2**31 employees).
    """
    pool = max(int(pool), 2 * (m + 1))
    return (
        np.zeros(m, np.int64),
        np.full(m, -1, np.int64),
        np.zeros(m, np.int64),
        np.zeros(2, np.int64),
        np.empty(pool, np.int32),  # column (m: unplaced)
        np.empty(pool, np.int32),  # the occupant that moves there
        np.empty(pool, dtype),  # its loss w_rk - w_rc (w_rk: to unplaced), without prices
        np.full(m + 1, -1, np.int64),  # scratch of a build: the last build that met a column
        np.zeros(m + 1, np.int64),  # ... and where in the pool it put it
    )


@jit(inline=True)
def exchange_row(
    k, start, length, room, counters, column, who, loss, stamp, slot, w, indptr, indices, head,
    nxt, ent_of, m,
):  # fmt: skip
    """Row ``k``, built first if out of date; returns ``(start, length)`` in the pool.

    Free when up to date; a build costs the occupants' pairs. The arrays are those of
    :func:`new_rows`, one by one, and the build calls no function with arrays (inlined into
    the search, such calls counted references on every pair).
    """
    if length[k] >= 0:
        return start[k], length[k]
    # Built at the end of the pool (emptied first when the longest row, m + 1, might not fit),
    # then moved back to where the row was if it fits there.
    if counters[0] + m + 1 > column.size:
        length[:] = -1
        room[:] = 0
        counters[0] = 0
    at = counters[0]
    build = counters[1]
    counters[1] += 1
    size = 0
    r = head[k]
    while r >= 0:
        wrk = w[ent_of[r]]
        stop = indptr[r + 1]
        for e in range(indptr[r], stop + 1):  # the occupant's pairs, then "unplaced"
            if e < stop:
                c, x = indices[e], wrk - w[e]
                if c == k:
                    continue
            else:
                c, x = m, wrk
            if stamp[c] != build:  # a column new to the row
                stamp[c] = build
                slot[c] = at + size
                column[at + size] = c
                who[at + size] = r
                loss[at + size] = x
                size += 1
            elif x < loss[slot[c]]:  # strict: of equal losses the first occupant, as scanned
                who[slot[c]] = r
                loss[slot[c]] = x
        r = nxt[r]
    if size <= room[k]:
        for t in range(size):
            column[start[k] + t] = column[at + t]
            who[start[k] + t] = who[at + t]
            loss[start[k] + t] = loss[at + t]
    else:
        start[k] = at
        room[k] = size
        counters[0] = at + size
    length[k] = size
    return start[k], size
