"""The k best entries of each row or column of a score block, and merging them across blocks.

Streamed scoring never holds the full (n_employees, n_positions) matrix: it scores one block of
employees at a time, keeps the best positions of each employee (final after one block, since a block
holds whole rows) and the best employees of each position so far (merged block after block, as
packed keys: the k best keys of two lists are the k best of their concatenation).

Every ranking of composites (``Scores.top_k``, ``recommend``, ``succession``, the streamed
selection) compares values rounded to :data:`~asn_match.rules.RANK_DECIMALS` decimals
(:func:`rank_values`, :func:`top_k_ranked`, :func:`quantize`), so two rankings of the same scores
never disagree on who is first.

Order, the same everywhere: by value, descending; then by ``tiebreak`` ascending (default: the
index itself); then by index ascending. With a ``tiebreak`` that is a neutral permutation of the ids
(:func:`asn_match.tiebreak.tiebreak_rank`) the kept set and its order do not depend on the input's
row order. ``NaN`` and ``-inf`` mark entries that must never be kept (e.g. ineligible pairs); a row
with fewer than ``k`` such entries is padded with index ``-1`` and value ``-inf``.

Selection is ``np.partition`` (linear time) for the k-th value, then an exact sort of only the
entries at or above it, so ties at the boundary are resolved by the documented order, never by the
partition's arbitrary choice.

Packed keys, for speed. Scores often take few distinct values (positions share standard
profiles), so a row can tie with thousands of entries at its k-th value. For the streamed path the
value (quantized to a fixed number of decimals, :func:`quantize`) and the tie-break rank are packed
into one whole number, exact in a float64 (:func:`ranking_keys`): keys within a row are
distinct, their order is exactly (value desc, tie-break asc), and one in-place ``partition``
selects the k best (:func:`top_k_keys`), with the index recovered from the key
(:func:`split_keys`). The result equals :func:`top_k_per_row` on the values rounded to the same
decimals.

Streamed blocks, compiled (:func:`select_block`): one numba pass over a block of JPM computes
each pair's key with the operations of the numpy path above and keeps each row's and each
column's k best in min-heaps, so no (n, m) temporaries are written and nothing is partitioned.
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_int
from ..errors import InvalidParameterError
from ..rules import RANK_DECIMALS

__all__ = [
    "RANK_DECIMALS",
    "key_bits",
    "quantize",
    "rank_values",
    "ranking_keys",
    "split_keys",
    "top_k_keys",
    "top_k_per_column",
    "top_k_per_row",
    "top_k_ranked",
]

# Above this many candidates per kept slot, ties at the k-th value are trimmed by key first.
_TRIM_FACTOR = 4


def _check_values(values, caller: str, name: str = "values") -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(
            f"The {name!r} parameter of {caller} must be a 2-D array. "
            f"Got an array of shape {arr.shape} instead."
        )
    return arr


def _check_tiebreak(tiebreak, length: int, caller: str) -> np.ndarray:
    if tiebreak is None:
        return np.arange(length, dtype=np.int64)
    arr = np.asarray(tiebreak)
    if arr.shape != (length,) or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(
            f"The 'tiebreak' parameter of {caller} must be an integer array of shape ({length},). "
            f"Got an array of shape {arr.shape} and dtype {arr.dtype} instead."
        )
    return arr.astype(np.int64, copy=False)


def _excluded_as_minus_inf(values: np.ndarray, mask) -> np.ndarray:
    nan = np.isnan(values)
    if mask is None and not nan.any():
        return values
    keep = ~nan if mask is None else (np.asarray(mask, dtype=bool) & ~nan)
    return np.where(keep, values, -np.inf)


def _select(values: np.ndarray, keys: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``values`` (r, c): column positions and values of the k best, in order.

    ``keys`` is (c,) (shared by every row) or (r, c): the tie-break key of each entry.
    """
    r, c = values.shape
    kk = min(k, c)
    out_pos = np.full((r, kk), -1, dtype=np.int64)
    out_val = np.full((r, kk), -np.inf)
    if r == 0 or kk == 0:
        return out_pos, out_val
    if c > kk:
        kth = np.partition(values, c - kk, axis=1)[:, c - kk][:, None]
        candidate = values > kth  # fewer than kk per row
        tied = values == kth
        tied &= kth > -np.inf
        if tied.sum() + r * kk > _TRIM_FACTOR * r * kk:
            # scores with few distinct values (common: positions share standard profiles) tie
            # with thousands of entries at the k-th value; keep only the smallest keys among them
            # before the exact sort
            need = kk - candidate.sum(axis=1)
            q = int(need.max())
            tie_keys = np.where(tied, keys, np.iinfo(np.int64).max)
            smallest = np.partition(tie_keys, q - 1, axis=1)[:, :q]
            smallest.sort(axis=1)
            key_limit = smallest[np.arange(r), np.maximum(need - 1, 0)]
            tied &= tie_keys <= key_limit[:, None]
            tied[need == 0] = False
        candidate |= tied
    else:
        candidate = values > -np.inf
    rows, cols = np.nonzero(candidate)
    vals = values[rows, cols]
    entry_keys = keys[cols] if keys.ndim == 1 else keys[rows, cols]
    # lexsort is stable and np.nonzero lists columns in order, so equal keys fall back to index
    order = np.lexsort((entry_keys, -vals, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    first = np.searchsorted(rows, np.arange(r))
    place = np.arange(len(rows)) - first[rows]
    keep = place < kk
    out_pos[rows[keep], place[keep]] = cols[keep]
    out_val[rows[keep], place[keep]] = vals[keep]
    return out_pos, out_val


def top_k_per_row(
    values: ArrayLike, k: int, *, mask: ArrayLike | None = None, tiebreak: ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The k largest entries of each row.

    Parameters
    ----------
    values : array-like of shape (n_rows, n_columns)
        Scores; ``NaN`` and ``-inf`` are never selected.
    k : int
        How many to keep per row (>= 1); rows keep ``min(k, n_columns)`` slots.
    mask : array-like of shape (n_rows, n_columns), bool, optional
        Only entries where ``mask`` is True may be selected (e.g. eligible pairs).
    tiebreak : array-like of shape (n_columns,), int, optional
        Tie-break key of each column, smaller first among equal values; default the column
        index. Ties between equal keys go to the smaller column index.

    Returns
    -------
    index : ndarray of shape (n_rows, min(k, n_columns)), int64
        Column index of each kept entry, best first; ``-1`` pads rows with fewer valid entries.
    value : ndarray of shape (n_rows, min(k, n_columns)), float64
        The kept values; ``-inf`` in padded slots.

    Examples
    --------
    >>> index, value = top_k_per_row([[1.0, 3.0, 3.0, 2.0]], 2)
    >>> index.tolist(), value.tolist()
    ([[1, 2]], [[3.0, 3.0]])
    >>> top_k_per_row([[1.0, 3.0, 3.0, 2.0]], 2, tiebreak=[0, 9, 5, 1])[0].tolist()
    [[2, 1]]
    """
    values = _check_values(values, "top_k_per_row")
    k = check_int(k, "k", "top_k_per_row", minimum=1)
    keys = _check_tiebreak(tiebreak, values.shape[1], "top_k_per_row")
    return _select(_excluded_as_minus_inf(values, mask), keys, k)


def top_k_per_column(
    values: ArrayLike, k: int, *, mask: ArrayLike | None = None, tiebreak: ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The k largest entries of each column.

    Parameters
    ----------
    values : array-like of shape (n_rows, n_columns)
        Scores; ``NaN`` and ``-inf`` are never selected.
    k : int
        How many to keep per column (>= 1).
    mask : array-like of shape (n_rows, n_columns), bool, optional
        Only entries where ``mask`` is True may be selected.
    tiebreak : array-like of shape (n_rows,), int, optional
        Tie-break key of each row, smaller first among equal values; default the row index.

    Returns
    -------
    index : ndarray of shape (n_columns, min(k, n_rows)), int64
        Row index of each kept entry of each column, best first; ``-1`` pads.
    value : ndarray of shape (n_columns, min(k, n_rows)), float64
        The kept values; ``-inf`` in padded slots.

    Examples
    --------
    >>> index, value = top_k_per_column([[1.0, 5.0], [4.0, 5.0], [2.0, 0.0]], 2)
    >>> index.tolist()
    [[1, 2], [0, 1]]
    """
    values = _check_values(values, "top_k_per_column")
    k = check_int(k, "k", "top_k_per_column", minimum=1)
    keys = _check_tiebreak(tiebreak, values.shape[0], "top_k_per_column")
    if mask is not None:
        mask = np.asarray(mask, dtype=bool).T
    # a contiguous transpose makes the partition run along memory, several times faster
    return _select(_excluded_as_minus_inf(np.ascontiguousarray(values.T), mask), keys, k)


def rank_values(values: ArrayLike, *, decimals: int = RANK_DECIMALS) -> np.ndarray:
    """Values as every ranking compares them: rounded to ``decimals`` decimals.

    Parameters
    ----------
    values : array-like of any shape, float
    decimals : int, default RANK_DECIMALS (6)

    Returns
    -------
    ndarray of the shape of ``values``, float64

    Examples
    --------
    >>> rank_values([80.0000001, 80.0000004]).tolist()
    [80.0, 80.0]
    """
    return np.round(np.asarray(values, dtype=np.float64), decimals)


def top_k_ranked(
    values: ArrayLike,
    k: int,
    *,
    axis: int = 1,
    mask: ArrayLike | None = None,
    tiebreak: ArrayLike | None = None,
    decimals: int = RANK_DECIMALS,
) -> tuple[np.ndarray, np.ndarray]:
    """The k best entries of each row (``axis=1``) or column (``axis=0``) by ranked value.

    :func:`top_k_per_row` or :func:`top_k_per_column` on :func:`rank_values`: values equal to
    ``decimals`` decimals tie, and the tie-break decides.

    Parameters
    ----------
    values : array-like of shape (n_rows, n_columns)
    k : int
        >= 1.
    axis : {0, 1}, default 1
    mask : array-like of shape (n_rows, n_columns), bool, optional
    tiebreak : array-like of int, optional
        One key per column (``axis=1``) or per row (``axis=0``).
    decimals : int, default RANK_DECIMALS (6)

    Returns
    -------
    index, value : ndarray
        As :func:`top_k_per_row` / :func:`top_k_per_column`; ``value`` holds the rounded values.

    Examples
    --------
    >>> top_k_ranked([[80.0000004, 80.0000001]], 1, tiebreak=[1, 0])[0].tolist()
    [[1]]
    """
    if axis not in (0, 1):
        raise InvalidParameterError("axis", "top_k_ranked", "0 or 1", axis)
    ranked = rank_values(values, decimals=decimals)
    select = top_k_per_row if axis == 1 else top_k_per_column
    return select(ranked, k, mask=mask, tiebreak=tiebreak)


def key_bits(n: int) -> int:
    """Bits that hold a tie-break rank in ``[0, n)`` (at least 1).

    Examples
    --------
    >>> key_bits(1), key_bits(1024), key_bits(1025)
    (1, 10, 11)
    """
    return max(1, int(n - 1).bit_length())


def quantize(
    values: ArrayLike, *, decimals: int = RANK_DECIMALS, out: np.ndarray | None = None
) -> np.ndarray:
    """Values rounded to ``decimals`` decimals, as whole numbers: ``rint(values * 10**decimals)``.

    Two values get the same number exactly when ``np.round(values, decimals)`` makes them equal.
    NaN, negative and ``-inf`` values (never selectable) become ``-1``.

    Parameters
    ----------
    values : array-like of shape (n_rows, n_columns), float
    decimals : int, default RANK_DECIMALS (6)
    out : ndarray of shape (n_rows, n_columns), float64, optional
        Where to write; may be ``values`` itself (nothing is allocated then).

    Returns
    -------
    ndarray of shape (n_rows, n_columns), float64
        Whole numbers, exact while below ``2**53``.

    Examples
    --------
    >>> quantize([[1.5, 80.0000000001, np.nan, -2.0]], decimals=2).tolist()
    [[150.0, 8000.0, -1.0, -1.0]]
    """
    values = np.asarray(values, dtype=np.float64)
    if out is None:
        out = np.empty(values.shape)
    elif out.shape != values.shape or out.dtype != np.float64:
        raise ValueError(
            f"The 'out' parameter of quantize must be a float64 array of shape {values.shape}. "
            f"Got {out.dtype} of shape {out.shape} instead."
        )
    np.multiply(values, 10.0**decimals, out=out)
    np.rint(out, out=out)
    # fmax maps NaN and everything below -1 (negative, -inf) to -1 in one pass, in place
    np.fmax(out, -1.0, out=out)
    return out


def ranking_keys(
    quantized: ArrayLike,
    tiebreak: ArrayLike,
    *,
    axis: int = 1,
    bits: int | None = None,
    out: np.ndarray | None = None,
    check_input: bool = True,
) -> np.ndarray:
    """Pack quantized values and tie-break ranks into one sortable key per entry.

    ``key = quantized * 2**bits + (2**bits - 1 - tiebreak)``, a whole number held exactly in a
    float64: a larger key is a larger value, or an equal value with a smaller tie-break. An entry
    with ``quantized == -1`` (excluded) gets a negative key, below every valid key.

    Parameters
    ----------
    quantized : array-like of shape (n_rows, n_columns), float64
        From :func:`quantize`: whole numbers >= 0, or -1 for excluded entries.
    tiebreak : array-like of shape (n_columns,) for ``axis=1`` or (n_rows,) for ``axis=0``, int
        A distinct rank per column (row), e.g. :func:`asn_match.tiebreak.tiebreak_rank`.
    axis : {0, 1}, default 1
        1 to rank within rows (the tie-break is per column), 0 within columns.
    bits : int, optional
        Bits of the tie-break field; default ``key_bits(len(tiebreak))``. Give the bits of the
        whole index space when the keys of several blocks are compared (a block's ranks are
        then global ranks, below ``2**bits``).
    out : ndarray of shape (n_rows, n_columns), float64, optional
        Where to write (may be ``quantized`` itself).
    check_input : bool, default True
        Check that the keys stay exact (a pass over ``quantized``). Pass False only when the
        caller knows a bound, e.g. quantized composites on 0-100.

    Returns
    -------
    ndarray of shape (n_rows, n_columns), float64

    Raises
    ------
    ValueError
        If a key would pass ``2**53`` (no longer exact): use fewer decimals.

    Examples
    --------
    >>> keys = ranking_keys(np.array([[5.0, 5.0, 7.0, -1.0]]), [2, 0, 1, 3])
    >>> np.argsort(-keys, axis=1).tolist()
    [[2, 1, 0, 3]]
    """
    quantized = np.asarray(quantized, dtype=np.float64)
    tiebreak = np.asarray(tiebreak)
    if axis not in (0, 1) or quantized.ndim != 2:
        raise ValueError(
            "The 'axis' parameter of ranking_keys must be 0 or 1 for a 2-D array. "
            f"Got axis={axis!r} for shape {quantized.shape} instead."
        )
    length = quantized.shape[axis]
    if tiebreak.shape != (length,) or not np.issubdtype(tiebreak.dtype, np.integer):
        raise ValueError(
            f"The 'tiebreak' parameter of ranking_keys must be an integer array of shape "
            f"({length},). Got shape {tiebreak.shape} and dtype {tiebreak.dtype} instead."
        )
    if bits is None:
        bits = key_bits(length)
    if check_input and length and (int(tiebreak.min()) < 0 or int(tiebreak.max()) >= 2**bits):
        raise ValueError(
            f"The 'tiebreak' parameter of ranking_keys must hold ranks in [0, 2**{bits}). "
            f"Got values from {int(tiebreak.min())} to {int(tiebreak.max())} instead."
        )
    top = float(quantized.max(initial=0.0)) if check_input else 0.0
    if not (top + 1) * 2.0**bits <= 2.0**53:
        raise ValueError(
            f"ranking_keys cannot pack values up to {top!r} with {bits} tie-break bits exactly "
            "(keys must stay below 2**53); quantize with fewer decimals."
        )
    low = (2.0**bits - 1 - tiebreak).reshape((1, -1) if axis == 1 else (-1, 1))
    if out is None:
        out = np.empty(quantized.shape)
    np.multiply(quantized, 2.0**bits, out=out)
    out += low
    return out


def split_keys(keys: ArrayLike, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Unpack keys of :func:`ranking_keys`: (quantized value, tie-break rank), int64.

    Negative keys (excluded or padding) give ``(-1, -1)``.

    Examples
    --------
    >>> value, rank = split_keys(ranking_keys(np.array([[5.0, 7.0]]), [1, 0]), 1)
    >>> value.tolist(), rank.tolist()
    ([[5, 7]], [[1, 0]])
    """
    keys = np.asarray(keys)
    empty = keys < 0
    whole = np.where(empty, 0, keys).astype(np.int64)
    low = 2**bits - 1
    value = np.where(empty, -1, whole >> bits)
    rank = np.where(empty, -1, low - (whole & low))
    return value, rank


def top_k_keys(keys: np.ndarray, k: int, *, axis: int = 1, overwrite: bool = False) -> np.ndarray:
    """The k largest keys of each row (``axis=1``) or column (``axis=0``), largest first.

    Parameters
    ----------
    keys : ndarray of shape (n_rows, n_columns), float64 or int64
        From :func:`ranking_keys`: distinct within each row (column); negative = excluded.
    k : int
        >= 1.
    axis : {0, 1}, default 1
    overwrite : bool, default False
        Partition ``keys`` in place (its order is lost) instead of a copy: no allocation.

    Returns
    -------
    ndarray of shape (n_rows, min(k, n_columns)) for ``axis=1``, (n_columns, min(k, n_rows))
    for ``axis=0``, dtype of ``keys``
        Sorted descending; ``-1`` pads when fewer than k entries are selectable.

    Examples
    --------
    >>> top_k_keys(np.array([[3.0, -1.0, 9.0, 4.0]]), 2).tolist()
    [[9.0, 4.0]]
    >>> top_k_keys(np.array([[3.0, 1.0], [9.0, -5.0]]), 1, axis=0).tolist()
    [[9.0], [1.0]]
    """
    k = check_int(k, "k", "top_k_keys", minimum=1)
    keys = np.asarray(keys)
    if keys.ndim != 2 or keys.dtype not in (np.float64, np.int64) or axis not in (0, 1):
        raise ValueError(
            "The 'keys' parameter of top_k_keys must be a 2-D float64 or int64 array and 'axis' "
            f"0 or 1. Got {keys.dtype} of shape {keys.shape} and axis={axis!r} instead."
        )
    work = keys if overwrite else keys.copy()
    length = work.shape[axis]
    kk = min(k, length)
    if kk < length:
        work.partition(length - kk, axis=axis)
    top = work[:, length - kk :] if axis == 1 else work[length - kk :, :].T
    top = -np.sort(-top, axis=1)
    top[top < 0] = -1
    return top


# ------------------------------------------------------------------------------------------------
# compiled selection of streamed blocks

# Entries per scan of a row: one vectorized pass computes their values and counts those that
# pass a threshold; only scans with such entries are read again, one by one.
_SCAN = 512


def _jit(function):
    """``numba.njit(cache=True)``, or without the cache when no cache directory is writable.

    ``error_model="numpy"``: a division by zero gives inf or NaN, as in numpy, instead of
    raising, which spares a check per entry and lets the loops vectorize.
    """
    try:
        return numba.njit(cache=True, error_model="numpy")(function)
    except RuntimeError:
        return numba.njit(cache=False, error_model="numpy")(function)


@_jit
def _heap_offer(keys, payload, key, value):  # pragma: no cover - compiled
    """Replace the smallest key of a min-heap by ``key`` (with ``value``) and sift it down.

    Offered only keys above ``keys[0]``, the heap keeps the ``len(keys)`` largest keys offered.
    """
    size = keys.shape[0]
    slot = 0
    while True:
        child = 2 * slot + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= key:
            break
        keys[slot] = keys[child]
        payload[slot] = payload[child]
        slot = child
    keys[slot] = key
    payload[slot] = value


@_jit
def _heap_sort_descending(keys, payload):  # pragma: no cover - compiled
    """Sort a min-heap in place, largest key first (heapsort: the smallest goes to the end)."""
    for last in range(keys.shape[0] - 1, 0, -1):
        key, value = keys[last], payload[last]
        keys[last], payload[last] = keys[0], payload[0]
        _heap_offer(keys[:last], payload[:last], key, value)


@_jit
def _quantized(jpm, allowed, merit, jpm_weight, jpm_scale, rank_scale):  # pragma: no cover
    """The ranked value of one pair: its composite quantized, -1 when not ``allowed``.

    The operations of the dense path, one by one: ``np.round(jpm, JPM_DECIMALS)`` (numpy
    multiplies, rounds half to even and divides), :func:`asn_match.kernels.composite.composite`
    (``min(jpm, 100) * jpm_weight + merit``) and :func:`quantize`.
    """
    x = np.rint(jpm * jpm_scale) / jpm_scale
    q = np.rint((min(x, 100.0) * jpm_weight + merit) * rank_scale)
    return q if allowed and q >= -1.0 else -1.0


@_jit
def _merge_columns(
    count, pending_position, pending_key, pending_jpm, by_position_key, by_position_jpm, runs,
    col_keys, col_jpm, col_threshold,
):  # fmt: skip  # pragma: no cover - compiled
    """Offer ``count`` pending column keys to their columns' heaps, column by column.

    A counting sort groups the entries by column first: the heaps are then visited in memory
    order, once each, instead of one cache miss per level of a heap for every entry.
    """
    m = col_keys.shape[0]
    runs[:] = 0
    for c in range(count):
        runs[pending_position[c] + 1] += 1
    for t in range(m):
        runs[t + 1] += runs[t]
    for c in range(count):  # runs[t] is the write cursor of column t, then the end of its run
        t = pending_position[c]
        by_position_key[runs[t]] = pending_key[c]
        by_position_jpm[runs[t]] = pending_jpm[c]
        runs[t] += 1
    begin = 0
    for t in range(m):
        end = runs[t]
        if end > begin:
            keys, values = col_keys[t], col_jpm[t]
            for s in range(begin, end):
                if by_position_key[s] > keys[0]:
                    _heap_offer(keys, values, by_position_key[s], by_position_jpm[s])
            col_threshold[t] = keys[0]
        begin = end


@_jit
def select_block(
    jpm, merit, jpm_weight, eligible, profile, position_low, employee_low, position_scale,
    employee_scale, jpm_scale, rank_scale, row_keys, row_positions, col_keys, col_jpm,
    col_threshold, pending_position, pending_key, pending_jpm, by_position_key,
    by_position_jpm, runs,
):  # fmt: skip  # pragma: no cover - compiled
    """Rank a block of pairs by packed key, keep each row's k best and merge each column's.

    One pass over the block: per pair, the composite quantized like :func:`quantize` (-1 where
    ineligible), packed into a row key and a column key like :func:`ranking_keys`, offered to
    the row's and the column's selection. The selections are min-heaps of keys whose root is
    the bar a key must pass; a vectorized scan of each stretch of :data:`_SCAN` entries counts
    the keys above the bars, and only stretches with some are read again, entry by entry. Row
    keys go to the row's heap at once; column keys wait in a buffer and are merged column by
    column (:func:`_merge_columns`), which visits each heap once instead of missing the cache
    at every level of a heap for every key.

    Per pair ``(i, t)``, with the operations of the dense path (:func:`_quantized`)::

        x = np.rint(jpm[i, t] * jpm_scale) / jpm_scale          # np.round(jpm, JPM_DECIMALS)
        composite = min(x, 100) * jpm_weight + merit[i]            # kernels.composite
        q = np.rint(composite * rank_scale)                        # quantize (RANK_DECIMALS)
        q = q if eligible[profile[i], t] and q >= -1 else -1
        row key = q * position_scale + position_low[t]
        column key = q * employee_scale + employee_low[i]

    Parameters
    ----------
    jpm : ndarray of shape (r, m), float64
        The JPM of the block, not rounded. Fastest with the columns in tie-break order
        (``position_low`` descending): among entries of equal value the best come first, so the
        row's bar reaches its final value early and later entries rarely pass it.
    merit : ndarray of shape (r,), float64
        The composite of each row's employee at JPM 0.
    jpm_weight : float
        The composite's weight of the JPM (normalised).
    eligible : ndarray of shape (n_profiles, m), bool
    profile : ndarray of shape (r,), int
        Row ``i`` may take column ``t`` when ``eligible[profile[i], t]``.
    position_low, employee_low : ndarray of shape (m,) and (r,), float64
        ``2**bits - 1 - tiebreak`` of each column and row (:func:`ranking_keys`).
    position_scale, employee_scale : float
        ``2**bits`` of the row and column keys.
    jpm_scale, rank_scale : float
        ``10**JPM_DECIMALS`` and ``10**RANK_DECIMALS``.
    row_keys : ndarray of shape (>= r, kr), float64
        Out: rows ``:r`` get the ``kr`` largest row keys of each row, largest first, ``-1`` pads.
    row_positions : ndarray of shape (>= r, kr), int64
        Out: the column of each kept row key (``-1`` pads).
    col_keys, col_jpm : ndarray of shape (m, kc), float64
        In and out: each column's ``kc`` largest column keys so far (a min-heap, ``-1`` for empty
        slots; all ``-1`` before the first block) and the raw JPM of each.
    col_threshold : ndarray of shape (m,), float64
        In and out: ``col_keys[:, 0]``, kept apart so that the scan reads it contiguously.
    pending_position : ndarray of shape (capacity,), int64
    pending_key, pending_jpm, by_position_key, by_position_jpm : ndarray of shape (capacity,)
        Scratch, float64: column keys wait there (they passed their column's bar as it was when
        the last merge ran) and are merged into the heaps, column by column, when ``capacity``
        could be passed and at the end of the block. ``capacity >= min(m, _SCAN)``.
    runs : ndarray of shape (m + 1,), int64
        Scratch.

    Keys stay exact while ``(10**(RANK_DECIMALS + 2) + 2) * max(scales) <= 2**53``: the
    caller checks it.
    """
    r, m = jpm.shape
    capacity = pending_key.shape[0]
    if capacity < min(m, _SCAN):
        raise ValueError("the pending arrays of select_block must hold min(m, _SCAN) entries")
    count = 0
    for i in range(r):
        allowed = eligible[profile[i]]
        base = merit[i]
        low = employee_low[i]
        keys = row_keys[i]
        positions = row_positions[i]
        keys[:] = -1.0
        positions[:] = -1
        for start in range(0, m, _SCAN):
            stop = min(m, start + _SCAN)
            bar = keys[0]
            row_hits = 0
            col_hits = 0
            # vectorized: it stores nothing (a store here costs the loop its vector form), and
            # the rare stretches with hits compute their values again
            for t in range(start, stop):
                q = _quantized(jpm[i, t], allowed[t], base, jpm_weight, jpm_scale, rank_scale)
                row_hits += q * position_scale + position_low[t] > bar
                col_hits += q * employee_scale + low > col_threshold[t]
            if row_hits:
                for t in range(start, stop):
                    q = _quantized(jpm[i, t], allowed[t], base, jpm_weight, jpm_scale, rank_scale)
                    key = q * position_scale + position_low[t]
                    if key > keys[0]:
                        _heap_offer(keys, positions, key, t)
            if col_hits:
                if count + (stop - start) > capacity:
                    _merge_columns(
                        count, pending_position, pending_key, pending_jpm, by_position_key,
                        by_position_jpm, runs, col_keys, col_jpm, col_threshold,
                    )  # fmt: skip
                    count = 0
                for t in range(start, stop):
                    q = _quantized(jpm[i, t], allowed[t], base, jpm_weight, jpm_scale, rank_scale)
                    key = q * employee_scale + low
                    if key > col_threshold[t]:
                        pending_position[count] = t
                        pending_key[count] = key
                        pending_jpm[count] = jpm[i, t]
                        count += 1
        _heap_sort_descending(keys, positions)
    _merge_columns(
        count, pending_position, pending_key, pending_jpm, by_position_key, by_position_jpm, runs,
        col_keys, col_jpm, col_threshold,
    )  # fmt: skip
