"""The occupants of each position as doubly linked lists: leaving and joining in O(1).

``head[j]`` is the first occupant of position ``j`` (-1: none), ``nxt[r]`` and ``prv[r]`` the
occupants after and before employee ``r`` in its position's list, ``count[j]`` their number.
Shared by the compiled solvers that move employees between positions (:mod:`.transport`,
:mod:`.cardinality`).
"""

from __future__ import annotations

from ._compile import jit

__all__ = ["join", "leave"]


@jit
def leave(r, j, head, nxt, prv, count):
    """Take employee ``r`` out of the occupants of ``j``."""
    if prv[r] >= 0:
        nxt[prv[r]] = nxt[r]
    else:
        head[j] = nxt[r]
    if nxt[r] >= 0:
        prv[nxt[r]] = prv[r]
    count[j] -= 1


@jit
def join(r, j, head, nxt, prv, count):
    """Make employee ``r`` the first occupant of ``j``."""
    prv[r] = -1
    nxt[r] = head[j]
    if head[j] >= 0:
        prv[head[j]] = r
    head[j] = r
    count[j] += 1
