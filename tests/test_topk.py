from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_match.kernels.topk import (
    _SCAN,
    _heap_offer,
    _heap_sort_descending,
    key_bits,
    quantize,
    ranking_keys,
    select_block,
    split_keys,
    top_k_keys,
    top_k_per_column,
    top_k_per_row,
    top_k_ranked,
)
from strategies import score_matrices


def naive_top_k_rows(values, k, mask=None, tiebreak=None):
    """Full sort of every row by (value desc, tiebreak asc, index asc); NaN, -inf, masked out."""
    values = np.asarray(values, dtype=float)
    n, m = values.shape
    keys = np.arange(m) if tiebreak is None else np.asarray(tiebreak)
    kk = min(k, m)
    index = np.full((n, kk), -1)
    value = np.full((n, kk), -np.inf)
    for i in range(n):
        entries = [
            (-values[i, j], keys[j], j)
            for j in range(m)
            if not np.isnan(values[i, j])
            and values[i, j] > -np.inf
            and (mask is None or mask[i, j])
        ]
        for slot, (neg, _, j) in enumerate(sorted(entries)[:kk]):
            index[i, slot] = j
            value[i, slot] = -neg
    return index, value


def permutation(draw, size):
    return np.array(draw(st.permutations(range(size))), dtype=np.int64)


@given(score_matrices(), st.integers(1, 12), st.data())
@settings(deadline=None, max_examples=200)
def test_top_k_per_row_equals_full_sort(values, k, data):
    tiebreak = permutation(data.draw, values.shape[1]) if data.draw(st.booleans()) else None
    mask = None
    if data.draw(st.booleans()):
        flat = data.draw(st.lists(st.booleans(), min_size=values.size, max_size=values.size))
        mask = np.array(flat, dtype=bool).reshape(values.shape)
    before = values.copy()
    index, value = top_k_per_row(values, k, mask=mask, tiebreak=tiebreak)
    want_index, want_value = naive_top_k_rows(values, k, mask, tiebreak)
    np.testing.assert_array_equal(index, want_index)
    np.testing.assert_array_equal(value, want_value)
    np.testing.assert_array_equal(values, before)  # never mutates the caller's array


@given(score_matrices(), st.integers(1, 12), st.data())
@settings(deadline=None, max_examples=150)
def test_top_k_per_column_equals_full_sort_of_transpose(values, k, data):
    tiebreak = permutation(data.draw, values.shape[0]) if data.draw(st.booleans()) else None
    index, value = top_k_per_column(values, k, tiebreak=tiebreak)
    want_index, want_value = naive_top_k_rows(values.T, k, None, tiebreak)
    np.testing.assert_array_equal(index, want_index)
    np.testing.assert_array_equal(value, want_value)


@given(score_matrices(max_rows=12), st.integers(1, 6), st.integers(1, 11), st.data())
@settings(deadline=None, max_examples=150)
def test_blockwise_merge_of_keys_equals_top_k_of_whole(values, k, block, data):
    """Top-k keys per column, kept block by block of rows and merged, equal the whole at once.

    The streamed scoring merges the best employees of each position this way.
    """
    n, m = values.shape
    tiebreak = permutation(data.draw, n)
    bits = key_bits(n)
    quantized = quantize(values, decimals=3)
    run = np.full((m, 0), -1.0)
    for start in range(0, n, block):
        stop = min(n, start + block)
        keys = ranking_keys(quantized[start:stop], tiebreak[start:stop], axis=0, bits=bits)
        run = top_k_keys(np.concatenate([run, top_k_keys(keys, k, axis=0)], axis=1), k)
    whole = top_k_keys(ranking_keys(quantized, tiebreak, axis=0, bits=bits), k, axis=0)
    np.testing.assert_array_equal(run[:, : whole.shape[1]], whole)


def test_ties_at_the_boundary_follow_the_tiebreak_not_the_partition():
    values = np.full((1, 50), 3.0)
    tiebreak = np.arange(50)[::-1].copy()
    index, _ = top_k_per_row(values, 5, tiebreak=tiebreak)
    assert index.tolist() == [[49, 48, 47, 46, 45]]
    index, _ = top_k_per_row(values, 5)
    assert index.tolist() == [[0, 1, 2, 3, 4]]


def test_k_larger_than_the_row_and_padding():
    index, value = top_k_per_row([[1.0, -np.inf, np.nan]], 10)
    assert index.shape == (1, 3)
    assert index.tolist() == [[0, -1, -1]]
    assert value[0, 0] == 1.0 and np.isneginf(value[0, 1:]).all()


@pytest.mark.parametrize("shape", [(0, 0), (2, 0), (0, 3)])
def test_empty_shapes(shape):
    index, value = top_k_per_row(np.zeros(shape), 2)
    assert index.shape == value.shape == (shape[0], min(2, shape[1]))
    index, value = top_k_per_column(np.zeros(shape), 2)
    assert index.shape == (shape[1], min(2, shape[0]))


def test_top_k_ranked_ties_values_equal_to_the_ranking_decimals():
    values = [[80.0000004, 80.0000001, 79.0]]
    # equal to 6 decimals: the tie-break decides, not the 7th decimal
    assert top_k_ranked(values, 2, tiebreak=[1, 0, 2])[0].tolist() == [[1, 0]]
    assert top_k_ranked(values, 2, tiebreak=[1, 0, 2], decimals=9)[0].tolist() == [[0, 1]]
    index, _ = top_k_ranked(np.array(values).T, 1, axis=0, tiebreak=[1, 0, 2])
    assert index.tolist() == [[1]]


def test_invalid_parameters_are_named():
    with pytest.raises(
        ValueError,
        match=r"The 'k' parameter of top_k_per_row must be an int >= 1"
        r"\. Got 0 instead\.",
    ):
        top_k_per_row([[1.0]], 0)
    with pytest.raises(ValueError, match="The 'k' parameter of top_k_per_column must be an int"):
        top_k_per_column([[1.0]], 2.5)
    with pytest.raises(ValueError, match="The 'values' parameter of top_k_per_row must be a 2-D"):
        top_k_per_row([1.0, 2.0], 1)
    with pytest.raises(
        ValueError,
        match=r"The 'tiebreak' parameter of top_k_per_row must be an "
        r"integer array of shape \(2,\)",
    ):
        top_k_per_row([[1.0, 2.0]], 1, tiebreak=[0.5, 1.5])
    with pytest.raises(ValueError, match="The 'axis' parameter of top_k_ranked must be 0 or 1"):
        top_k_ranked([[1.0]], 1, axis=2)


# ------------------------------------------------------------------------------------------------
# packed keys


@given(st.integers(0, 6), st.integers(0, 9), st.integers(1, 12), st.integers(0, 1), st.data())
@settings(deadline=None, max_examples=150)
def test_packed_keys_select_like_top_k_on_rounded_values(n, m, k, axis, data):
    # values on 0-100 with few distinct values, ties and excluded entries (NaN, -inf)
    pool = [0.0, 12.5, 80.0, 80.0000001, 80.0000004, 99.999999, 100.0, np.nan, -np.inf]
    flat = data.draw(st.lists(st.sampled_from(pool), min_size=n * m, max_size=n * m))
    values = np.array(flat, dtype=float).reshape(n, m)
    length = values.shape[axis]
    tiebreak = np.array(data.draw(st.permutations(range(length))), dtype=np.int64)
    bits = key_bits(length)
    quantized = quantize(values, decimals=6)
    keys = ranking_keys(quantized, tiebreak, axis=axis)
    best = top_k_keys(keys, k, axis=axis)
    value, rank = split_keys(best, bits)
    order = np.argsort(tiebreak)
    index = np.where(rank >= 0, order[np.maximum(rank, 0)], -1)
    rounded = np.round(values, 6)
    want_index, want_value = (
        top_k_per_row(rounded, k, tiebreak=tiebreak) if axis == 1
        else top_k_per_column(rounded, k, tiebreak=tiebreak)
    )  # fmt: skip
    np.testing.assert_array_equal(index, want_index)
    np.testing.assert_array_equal(np.where(value >= 0, value / 1e6, -np.inf), want_value)


def test_quantize_writes_in_place_and_marks_excluded_entries():
    values = np.array([[1.2345674, np.nan, -3.0, 100.0]])
    out = quantize(values, out=values)
    assert out is values
    assert values.tolist() == [[1234567.0, -1.0, -1.0, 100_000_000.0]]


def test_key_kernels_reject_what_they_cannot_pack():
    with pytest.raises(ValueError, match="keys must stay below 2\\*\\*53"):
        ranking_keys(np.array([[2.0**50]]), [0], bits=4)
    with pytest.raises(ValueError, match=r"must hold ranks in \[0, 2\*\*1\)"):
        ranking_keys(np.array([[1.0, 2.0]]), [0, 2], bits=1)
    with pytest.raises(ValueError, match=r"must be an integer array of shape \(2,\)"):
        ranking_keys(np.array([[1.0, 2.0]]), [0])
    with pytest.raises(ValueError, match="must be a 2-D float64 or int64 array"):
        top_k_keys(np.array([[1, 2]], dtype=np.int32), 1)
    with pytest.raises(ValueError, match="The 'out' parameter of quantize must be a float64"):
        quantize(np.ones((1, 2)), out=np.ones((1, 2), dtype=np.int64))


# ------------------------------------------------------------------------------------------------
# compiled selection of streamed blocks


@given(st.lists(st.integers(0, 40), max_size=60, unique=True), st.integers(1, 8), st.data())
@settings(deadline=None, max_examples=150)
def test_heap_keeps_and_sorts_the_largest_keys_offered(offered, size, data):
    """The heap offered every key above its root holds the ``size`` largest, then sorts them."""
    offered = data.draw(st.permutations(offered))
    keys = np.full(size, -1.0)
    payload = np.full(size, -1, dtype=np.int64)
    for key in offered:
        if key > keys[0]:
            _heap_offer(keys, payload, float(key), key * 10)
    _heap_sort_descending(keys, payload)
    want = sorted(offered, reverse=True)[:size]
    want += [-1] * (size - len(want))
    assert keys.tolist() == want
    assert payload.tolist() == [k * 10 if k >= 0 else -1 for k in want]


def naive_block_selection(
    jpm, merit, jpm_weight, eligible, position_tiebreak, employee_tiebreak, k
):
    """The numpy pipeline of the dense path on the whole matrix, then one top-k per side."""
    jpm = np.round(jpm, 9)
    value = np.minimum(jpm, 100.0) * jpm_weight + merit[:, None]
    value = quantize(np.where(eligible, value, -np.inf), decimals=6)
    n, m = value.shape
    rows = top_k_keys(ranking_keys(value, position_tiebreak, axis=1, bits=key_bits(m)), k)
    cols = top_k_keys(ranking_keys(value, employee_tiebreak, axis=0, bits=key_bits(n)), k, axis=0)
    return rows, cols


# JPM values at and next to the rounding boundaries of 9 and (through the composite) 6 decimals
_JPM_POOL = [0.0, 50.0, 62.5, 80.0000000005, 80.00000000049999, 83.3333333333, 99.9999995,
             100.0, 100.0000004, 120.0]  # fmt: skip


@given(st.integers(1, 9), st.integers(1, 9), st.integers(1, 12), st.data())
@settings(deadline=None, max_examples=200)
def test_select_block_equals_the_numpy_pipeline_and_full_top_k(n, m, k, data):
    """Rows' and columns' k best keys, block after block, equal top-k over the whole matrix."""
    jpm = np.array(data.draw(st.lists(st.sampled_from(_JPM_POOL) | st.floats(0, 130),
                                      min_size=n * m, max_size=n * m))).reshape(n, m)  # fmt: skip
    merit = np.array(data.draw(st.lists(st.sampled_from([0.0, 12.5, 33.3333333, 40.0000005]),
                                        min_size=n, max_size=n)))  # fmt: skip
    jpm_weight = data.draw(st.sampled_from([0.6, 1.0, 0.5, 1 / 3]))
    eligible = np.array(data.draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m)))
    eligible = eligible.reshape(n, m)
    position_tiebreak = np.array(data.draw(st.permutations(range(m))), dtype=np.int64)
    employee_tiebreak = np.array(data.draw(st.permutations(range(n))), dtype=np.int64)
    block = data.draw(st.integers(1, n))
    capacity = data.draw(st.sampled_from([min(m, _SCAN), 4 * m]))  # small: merges mid-block
    p_bits, e_bits = key_bits(m), key_bits(n)

    col_keys = np.full((m, min(k, n)), -1.0)
    col_jpm = np.zeros_like(col_keys)
    col_threshold = np.full(m, -1.0)
    pending_position = np.empty(capacity, dtype=np.int64)
    pending = np.empty((4, capacity))
    runs = np.empty(m + 1, dtype=np.int64)
    rows_keys, rows_positions = [], []
    for start in range(0, n, block):
        stop = min(n, start + block)
        row_keys = np.empty((block, min(k, m)))
        row_positions = np.empty(row_keys.shape, dtype=np.int64)
        select_block(
            jpm[start:stop], merit[start:stop], jpm_weight, eligible[start:stop],
            np.arange(stop - start), (2.0**p_bits - 1 - position_tiebreak).astype(float),
            (2.0**e_bits - 1 - employee_tiebreak[start:stop]).astype(float), 2.0**p_bits,
            2.0**e_bits, 1e9, 1e6, row_keys, row_positions, col_keys, col_jpm, col_threshold,
            pending_position, *pending, runs,
        )  # fmt: skip
        rows_keys.append(row_keys[: stop - start])
        rows_positions.append(row_positions[: stop - start])

    want_rows, want_cols = naive_block_selection(
        jpm, merit, jpm_weight, eligible, position_tiebreak, employee_tiebreak, k
    )
    got_rows = np.concatenate(rows_keys)
    np.testing.assert_array_equal(got_rows, want_rows)
    # each kept key names its position, padding names none
    positions = np.concatenate(rows_positions)
    rank = split_keys(got_rows, p_bits)[1]
    assert (positions == np.where(rank >= 0, np.argsort(position_tiebreak)[np.maximum(rank, 0)],
                                  -1)).all()  # fmt: skip
    # columns: heaps in any order, sorted here; the JPM kept is the raw JPM of the pair
    order = np.argsort(-col_keys, axis=1)
    got_cols = np.take_along_axis(col_keys, order, axis=1)
    np.testing.assert_array_equal(got_cols, want_cols)
    np.testing.assert_array_equal(col_threshold, col_keys[:, 0])
    kept_jpm = np.take_along_axis(col_jpm, order, axis=1)
    rank = split_keys(got_cols, e_bits)[1]
    employee = np.argsort(employee_tiebreak)[np.maximum(rank, 0)]
    full = rank >= 0
    np.testing.assert_array_equal(kept_jpm[full], jpm[employee[full], np.nonzero(full)[0]])
