"""Hypothesis strategies shared by the tests: one name per kind of input, defined once.

Randomness comes from Hypothesis only: a strategy that needs a numpy generator draws its seed
(``st.integers``), so every example reproduces and the profile's ``derandomize`` holds.

- :func:`score_matrices`: (n, m) float matrices with many ties, NaN and -inf (ranking inputs);
- :func:`cost_matrices`: (n, m) integer weights and a mask of forbidden pairs (solver inputs);
- :func:`jpm_problems`: (levels, standard, weights) of the Job Person Match kernel;
- :func:`seat_vectors`: seats per position;
- :func:`placement_problems`: (values, allowed, seats, rng) of the placement core;
- :func:`pair_lists`: (employee index, position index) pairs of given shape;
- :func:`workforces`: (employees, positions) DataFrames of ``synthetic_workforce`` of drawn size.
- :func:`expectation_problems`: (levels, standard, outcome, weights) of the expectation learner.
"""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from asn_match.datasets import synthetic_workforce

__all__ = [
    "cost_matrices",
    "expectation_problems",
    "jpm_problems",
    "pair_lists",
    "placement_problems",
    "score_matrices",
    "seat_vectors",
    "seeds",
    "tied_values",
    "workforces",
]

#: A seed for numpy's generator, drawn by Hypothesis.
seeds = st.integers(0, 2**32 - 1)

#: Few distinct values, so ties (also at the k-th place) are the common case.
tied_values = st.sampled_from([0.0, 1.0, 2.5, 2.5, 70.0, -np.inf, np.nan])


@st.composite
def score_matrices(draw, max_rows=7, max_cols=9):
    """(n, m) float matrices: either tied values with NaN and -inf, or finite floats."""
    n = draw(st.integers(0, max_rows))
    m = draw(st.integers(0, max_cols))
    if draw(st.booleans()):
        flat = draw(st.lists(tied_values, min_size=n * m, max_size=n * m))
    else:
        flat = draw(st.lists(st.floats(-5, 100), min_size=n * m, max_size=n * m))
    return np.array(flat, dtype=float).reshape(n, m)


@st.composite
def cost_matrices(draw, max_side: int, low: int = -5, high: int = 10):
    """(values, forbidden): integer weights as floats and a random set of forbidden pairs.

    About one pair in four is forbidden.
    """
    n = draw(st.integers(0, max_side))
    m = draw(st.integers(0, max_side))
    values = draw(hnp.arrays(np.int64, (n, m), elements=st.integers(low, high)))
    forbidden = draw(hnp.arrays(np.bool_, (n, m), elements=st.integers(0, 3).map(lambda k: k == 0)))
    return values.astype(float), forbidden


@st.composite
def jpm_problems(draw, *, method, integer_levels=True, many_standard_values=False, max_n=6):
    """(levels, standard, weights) with every position's JPM defined for ``method``."""
    n = draw(st.integers(0, max_n))
    m = draw(st.integers(1, 5))
    n_comp = draw(st.integers(1, 5))
    if integer_levels:
        level_values = st.integers(0, 6).map(float)
    else:
        level_values = st.floats(0, 7, allow_nan=False, allow_infinity=False)
    levels = draw(hnp.arrays(np.float64, (n, n_comp), elements=level_values))
    low = 0 if method == "sum_ratio" else 1
    if many_standard_values:
        std_values = st.one_of(st.just(np.nan), st.floats(0.5, 6.0))
    else:
        std_values = st.sampled_from([np.nan] + [float(v) for v in range(low, 6)])
    standard = draw(hnp.arrays(np.float64, (m, n_comp), elements=std_values))
    weight_kind = draw(st.sampled_from(["none", "vector", "matrix"]))
    weight_values = st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.7])
    if weight_kind == "none":
        weights = None
    elif weight_kind == "vector":
        weights = draw(hnp.arrays(np.float64, (n_comp,), elements=weight_values))
    else:
        weights = draw(hnp.arrays(np.float64, (m, n_comp), elements=weight_values))
    # Each position needs one competency that takes part with a positive standard.
    full_w = np.ones((m, n_comp)) if weights is None else np.broadcast_to(weights, (m, n_comp))
    takes_part = ~np.isnan(standard) & (standard > 0) & (full_w > 0)
    for j in np.flatnonzero(~takes_part.any(axis=1)):
        k = draw(st.integers(0, n_comp - 1))
        standard[j, k] = draw(st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0]))
        if weights is not None and weights.ndim == 2:
            weights[j, k] = 1.0
        elif weights is not None:
            weights[k] = 1.0
    return levels, standard, weights


def seat_vectors(size: int, max_seats: int = 3):
    """Seats of ``size`` positions, each 0 to ``max_seats``, as an int64 array."""
    return hnp.arrays(np.int64, (size,), elements=st.integers(0, max_seats))


@st.composite
def placement_problems(draw, max_n=7, max_m=4, max_seats=3, levels=6):
    """(values, allowed, seats, rng): small placement problems with many ties.

    Values lie on a coarse grid (``levels`` values, 0 to 10 * (levels - 1)); ``rng`` is a numpy
    generator seeded by Hypothesis, for the test's own further draws (incumbents, locks).
    """
    n = draw(st.integers(0, max_n))
    m = draw(st.integers(0, max_m))
    rng = np.random.default_rng(draw(seeds))
    values = rng.integers(0, levels, size=(n, m)).astype(float) * 10.0
    density = draw(st.sampled_from([0.3, 0.7, 1.0]))
    allowed = rng.random((n, m)) < density
    seats = rng.integers(0, max_seats + 1, size=m)
    return values, allowed, seats, rng


@st.composite
def pair_lists(draw, n: int, m: int, *, max_size: int = 10, unique: bool = False):
    """(i, j) index pairs with ``0 <= i < n`` and ``0 <= j < m`` (empty when n or m is 0)."""
    if n == 0 or m == 0:
        return []
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, m - 1))
    return draw(st.lists(pair, max_size=max_size, unique=unique))


@st.composite
def workforces(
    draw, *, min_employees=0, max_employees=40, min_positions=0, max_positions=10, **options
):
    """(employees, positions) DataFrames of ``synthetic_workforce`` with drawn sizes and seed.

    ``options`` go to ``synthetic_workforce`` as they are (e.g. ``n_technical=0``).
    """
    n = draw(st.integers(min_employees, max_employees))
    m = draw(st.integers(min_positions, max_positions))
    return synthetic_workforce(n, m, seed=draw(seeds), **options)


@st.composite
def expectation_problems(draw, max_records: int = 30, max_competencies: int = 5):
    """(levels, standard, outcome, weights) of one job family's history.

    ``levels`` (n, K) integer levels 0-5; ``standard`` (n, K) the standard of the position each
    record held, drawn from a few profiles, NaN where not required and at least one competency
    required per record; ``outcome`` (n,) on 0-100; ``weights`` (K,) positive.
    """
    n = draw(st.integers(2, max_records))
    k = draw(st.integers(1, max_competencies))
    rng = np.random.default_rng(draw(seeds))
    n_profiles = draw(st.integers(1, 4))
    profiles = rng.integers(1, 6, (n_profiles, k)).astype(float)
    profiles[rng.random((n_profiles, k)) < 0.3] = np.nan
    profiles[np.arange(n_profiles), rng.integers(0, k, n_profiles)] = rng.integers(1, 6, n_profiles)
    standard = profiles[rng.integers(0, n_profiles, n)]
    levels = rng.integers(0, 6, (n, k)).astype(float)
    outcome = rng.uniform(0, 100, n)
    weights = rng.uniform(0.1, 3.0, k)
    return levels, standard, outcome, weights
