"""The capacity solver's heap of reached columns (kernels._column_heap) against sorting."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_match.kernels._column_heap import clear, pop, push


def scan_order(dist, count, cap, columns):
    """The order of the solver's linear scan: nearer, then a free seat, then the lower index."""
    return sorted(columns, key=lambda c: (dist[c], not count[c] < cap[c], c))


@settings(deadline=None, max_examples=200)
@given(st.integers(1, 40), st.integers(0, 2**16), st.integers(0, 60))
def test_pops_in_the_scans_order_after_pushes_and_decreases(m, seed, changes):
    rng = np.random.default_rng(seed)
    dist = rng.integers(0, 6, m).astype(np.int64)  # few values: many ties
    count = rng.integers(0, 3, m).astype(np.int64)
    cap = rng.integers(1, 3, m).astype(np.int64)
    heap = np.zeros(m, np.int64)
    where = np.full(m, -1, np.int64)
    size = 0
    pushed = set()
    for c in rng.permutation(m)[: rng.integers(1, m + 1)]:
        size = push(c, heap, where, size, dist, count, cap)
        pushed.add(int(c))
    for _ in range(changes):  # distances only fall, as in a search
        c = int(rng.choice(sorted(pushed)))
        dist[c] -= rng.integers(0, 3)
        size = push(c, heap, where, size, dist, count, cap)
    assert size == len(pushed)
    assert sorted(heap[:size].tolist()) == sorted(pushed)
    assert all(where[heap[t]] == t for t in range(size))
    expected = scan_order(dist, count, cap, pushed)
    popped = []
    while True:
        c, size = pop(heap, where, size, dist, count, cap)
        if c < 0:
            break
        popped.append(int(c))
    assert popped == expected
    assert (where == -1).all()


def test_clear_forgets_every_column():
    dist = np.array([3, 1, 2], np.int64)
    count, cap = np.zeros(3, np.int64), np.ones(3, np.int64)
    heap, where = np.zeros(3, np.int64), np.full(3, -1, np.int64)
    size = 0
    for c in (0, 2):
        size = push(c, heap, where, size, dist, count, cap)
    assert clear(heap, where, size) == 0
    assert (where == -1).all()
    assert pop(heap, where, 0, dist, count, cap) == (-1, 0)
