"""The most employees placeable with seats as capacities, against brute force and scipy."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_bipartite_matching

from asn_match.kernels.cardinality import max_cardinality_placement


def _csr(allowed):
    indptr = np.concatenate([[0], np.cumsum(allowed.sum(axis=1))]).astype(np.int64)
    return indptr, np.nonzero(allowed)[1].astype(np.int64)


def brute_force_count(allowed, capacities):
    """The most employees placed, by enumerating every placement (tiny cases only)."""
    n, m = allowed.shape
    best = 0
    for choice in itertools.product(range(-1, m), repeat=n):
        if any(c >= 0 and not allowed[i, c] for i, c in enumerate(choice)):
            continue
        if (np.bincount([c for c in choice if c >= 0], minlength=m) > capacities).any():
            continue
        best = max(best, sum(c >= 0 for c in choice))
    return best


def expanded_count(allowed, capacities):
    """The same count by scipy's Hopcroft-Karp on one column per seat."""
    seats = np.repeat(np.arange(capacities.size), capacities)
    if allowed.shape[0] == 0 or seats.size == 0:
        return 0
    graph = csr_array(allowed[:, seats].astype(np.int8))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())


def check_placement(position, allowed, capacities):
    n, m = allowed.shape
    assert position.shape == (n,) and position.dtype == np.int64
    placed = np.flatnonzero(position >= 0)
    assert allowed[placed, position[placed]].all()
    assert (np.bincount(position[placed], minlength=m) <= capacities).all()
    return placed.size


@pytest.mark.parametrize("seed", range(40))
def test_brute_force_tiny(seed):
    rng = np.random.default_rng(seed)
    allowed = rng.random((5, 3)) < rng.random()
    capacities = rng.integers(0, 3, size=3)
    position = max_cardinality_placement(*_csr(allowed), capacities)
    assert check_placement(position, allowed, capacities) == brute_force_count(allowed, capacities)


@given(
    st.integers(0, 60),
    st.integers(1, 12),
    st.integers(0, 10**6),
    st.floats(0.0, 1.0),
    st.integers(0, 6),
)
def test_property_equals_expanded_hopcroft_karp(n, m, seed, density, max_cap):
    rng = np.random.default_rng(seed)
    allowed = rng.random((n, m)) < density
    capacities = rng.integers(0, max_cap + 1, size=m)
    position = max_cardinality_placement(*_csr(allowed), capacities)
    assert check_placement(position, allowed, capacities) == expanded_count(allowed, capacities)


def test_long_chains():
    """A staircase where the greedy start blocks everyone: only long chains place them all."""
    n = 200
    allowed = np.zeros((n, n), bool)
    allowed[np.arange(n), np.arange(n)] = True
    allowed[np.arange(1, n), np.arange(n - 1)] = True
    order = np.arange(n)[::-1]  # the greedy pass takes the diagonal's neighbour first
    allowed = allowed[order]
    capacities = np.ones(n, np.int64)
    position = max_cardinality_placement(*_csr(allowed), capacities)
    assert check_placement(position, allowed, capacities) == n


def test_empty_and_no_seats():
    empty = np.zeros(0, np.int64)
    assert max_cardinality_placement(np.zeros(1, np.int64), empty, np.array([3])).size == 0
    allowed = np.ones((4, 2), bool)
    position = max_cardinality_placement(*_csr(allowed), np.array([0, 0]))
    assert (position == -1).all()
