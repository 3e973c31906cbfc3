"""Assignment kernels: optimal matchings of employees (rows) to seats (columns).

Every function here works on plain arrays. Rows are employees, columns are seats (one column per
seat: a position with ``c`` seats is ``c`` identical columns, see :func:`expand_seats`).

The problems solved, for a weight (or cost) matrix ``w`` of shape ``(n, m)`` and a set of allowed
pairs ``A``:

- **full assignment** (:func:`solve_assignment`): a matching of size ``min(n, m)`` using allowed
  pairs only, of least total cost (or greatest total weight), as
  :func:`scipy.optimize.linear_sum_assignment` defines it;
- **partial matching** (:func:`max_weight_matching`): any matching using allowed pairs, of greatest
  total weight; nobody is forced into a seat, so pairs with weight <= 0 are never worth using;
- **lexicographic objectives** (:func:`lexicographic_matching`): fill as many seats as possible
  first, then maximise the total; or first make the weakest match of a fullest matching as strong
  as possible;
- **dual prices** (:func:`assignment_prices`): the linear-programming duals of an optimal partial
  matching, the shadow price of each seat.

The partial matching problem is the linear programme

    maximise  sum_ij w_ij x_ij   subject to  sum_j x_ij <= 1,  sum_i x_ij <= 1,  x >= 0,

with ``x_ij = 0`` outside ``A``; its constraint matrix is totally unimodular, so an optimal vertex
is a matching. The dual is

    minimise  sum_i u_i + sum_j v_j   subject to  u_i + v_j >= w_ij on A,  u >= 0,  v >= 0.

References
----------
.. [1] D.F. Crouse, "On implementing 2D rectangular assignment algorithms", IEEE Transactions on
   Aerospace and Electronic Systems 52(4) (2016) 1679-1696 (the solver behind scipy).
.. [2] L.S. Shapley and M. Shubik, "The assignment game I: the core", International Journal of
   Game Theory 1 (1971) 111-130 (dual prices as a seat's marginal value).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, get_args

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_bipartite_matching

from .._checks import check_bool, check_choice
from ..errors import InfeasibleError

__all__ = [
    "bottleneck_level",
    "OBJECTIVES",
    "Objective",
    "assignment_prices",
    "capacity_prices",
    "expand_seats",
    "lexicographic_matching",
    "max_cardinality_matching",
    "max_weight_matching",
    "seat_number",
    "solve_assignment",
]

Objective = Literal["total", "fill_first", "bottleneck"]
#: The objectives :func:`lexicographic_matching` accepts.
OBJECTIVES: tuple[Objective, ...] = get_args(Objective)

#: Most indices listed in one error message; errors keep all of them as attributes.
_MAX_LISTED = 20
#: Relative tolerance of the dual-price recovery on float weights.
_PRICE_RTOL = 1e-9


# ----------------------------------------------------------------------------- validation helpers


def _empty_pair() -> tuple[np.ndarray, np.ndarray]:
    return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)


def _as_matrix(values, name: str, caller: str) -> np.ndarray:
    try:
        array = np.asarray(values)
    except ValueError:  # ragged nested lists
        raise ValueError(
            f"The {name!r} parameter of {caller} must be a matrix (2-D array) of numbers; "
            "its rows have different lengths. Pass a rectangular array of shape (n_rows, n_cols)."
        ) from None
    if array.ndim != 2:
        raise ValueError(
            f"expected a matrix (2-D array), got a {array.ndim}-D array of shape {array.shape} "
            f"as the {name!r} parameter of {caller}. Pass one matrix of shape (n_rows, n_cols)."
        )
    if not (array.dtype == np.bool_ or array.dtype.kind in "iuf"):
        raise ValueError(
            f"The {name!r} parameter of {caller} must be a matrix of real numbers. Got an array "
            f"of dtype {array.dtype} instead. Convert it first, e.g. "
            f"np.asarray({name}, dtype=float)."
        )
    return array


def _first_index(mask: np.ndarray) -> tuple[int, int]:
    row, col = divmod(int(np.flatnonzero(mask)[0]), mask.shape[1])
    return row, col


def _check_allowed(allowed, shape: tuple[int, int], caller: str) -> np.ndarray | None:
    if allowed is None:
        return None
    allowed = np.asarray(allowed)
    if allowed.dtype != np.bool_ or allowed.shape != shape:
        raise ValueError(
            f"The 'allowed' parameter of {caller} must be None or a boolean array of shape "
            f"{shape} (the shape of the weights). Got an array of dtype {allowed.dtype} and "
            f"shape {allowed.shape} instead. Build it with a comparison, e.g. eligible_mask == 1."
        )
    return allowed


def _reject_non_finite(
    weights: np.ndarray,
    allowed: np.ndarray | None,
    name: str,
    caller: str,
    *,
    maximize: bool,
    takes_allowed: bool = True,
) -> None:
    """Raise on NaN, and on the infinity that cannot mean "forbidden", among the allowed pairs.

    ``takes_allowed``: whether ``caller`` has an ``allowed`` parameter the message may suggest.
    """
    if weights.dtype.kind != "f":
        return
    nan = np.isnan(weights)
    if allowed is not None:
        nan &= allowed
    if nan.any():
        row, col = _first_index(nan)
        forbid = "-inf" if maximize else "+inf"
        alternative = " (or allowed=False)" if takes_allowed else ""
        raise ValueError(
            f"The {name!r} parameter of {caller} contains NaN (first at row {row}, column {col}). "
            f"Use {forbid}{alternative} to forbid a pair, or give it a number."
        )
    wrong = np.isposinf(weights) if maximize else np.isneginf(weights)
    if allowed is not None:
        wrong &= allowed
    if wrong.any():
        row, col = _first_index(wrong)
        sign, forbid = ("+inf", "-inf") if maximize else ("-inf", "+inf")
        goal = "maximising" if maximize else "minimising"
        raise ValueError(
            f"The {name!r} parameter of {caller} contains {sign} (first at row {row}, column "
            f"{col}), which is not allowed when {goal}: {forbid} marks a forbidden pair. "
            f"Use {forbid} to forbid a pair, or a finite value."
        )


def _allowed_mask(
    weights: np.ndarray, allowed: np.ndarray | None, caller: str, *, maximize: bool = True
) -> np.ndarray:
    """The full boolean mask of allowed pairs, after rejecting NaN and the wrong infinity."""
    _reject_non_finite(weights, allowed, "weights", caller, maximize=maximize)
    if allowed is not None:
        return allowed
    if weights.dtype.kind != "f":
        return np.ones(weights.shape, dtype=bool)
    return np.isfinite(weights)


def _listed(indices) -> str:
    indices = [int(i) for i in indices]
    text = ", ".join(str(i) for i in indices[:_MAX_LISTED])
    if len(indices) > _MAX_LISTED:
        text += f", ... ({len(indices)} in all)"
    return f"[{text}]"


# ----------------------------------------------------------------------------- matchings on graphs


def _row_mates(allowed: np.ndarray) -> np.ndarray:
    """For each row, the column of a maximum-cardinality matching of allowed pairs, or -1."""
    n, m = allowed.shape
    if n == 0 or m == 0:
        return np.full(n, -1, dtype=np.intp)
    # Built by hand: scipy's dense-to-sparse conversion is several times slower than this.
    flat = np.flatnonzero(allowed)
    # csgraph in scipy < 1.15 takes 32-bit indices only; later versions take 64-bit ones too.
    index = np.int32 if flat.size < np.iinfo(np.int32).max else np.int64
    indptr = np.zeros(n + 1, dtype=index)
    np.cumsum(np.count_nonzero(allowed, axis=1), out=indptr[1:])
    indices = (flat % m).astype(index, copy=False)
    graph = csr_array((np.ones(flat.size, dtype=np.int8), indices, indptr), shape=(n, m))
    return maximum_bipartite_matching(graph, perm_type="column").astype(np.intp, copy=False)


def _infeasibility(allowed: np.ndarray) -> InfeasibleError | None:
    """Name a set of rows (or columns) that Hall's condition shows cannot all be matched.

    The side that must be matched in full is the smaller one, S. From the vertices of S that a
    maximum matching leaves unmatched, alternating paths (any allowed pair from S, the matched pair
    back) reach the sets Z_S and Z_T. Every vertex of Z_T is matched (else an augmenting path would
    exist) and its mate is in Z_S, and every allowed neighbour of Z_S is in Z_T, so Z_S has only
    |Z_S| - (number unmatched) allowed neighbours: a Hall violator (Koenig's theorem). Z_S is the
    same for every maximum matching: the vertices of S that some maximum matching leaves unmatched.
    """
    n, m = allowed.shape
    rows_side = n <= m
    graph = allowed if rows_side else allowed.T
    mate_s = _row_mates(graph)
    matched = mate_s >= 0
    if matched.all():
        return None
    mate_t = np.full(graph.shape[1], -1, dtype=np.intp)
    mate_t[mate_s[matched]] = np.flatnonzero(matched)
    seen_s = ~matched
    seen_t = np.zeros(graph.shape[1], dtype=bool)
    frontier = np.flatnonzero(seen_s)
    while frontier.size:
        reached = graph[frontier].any(axis=0) & ~seen_t
        seen_t |= reached
        frontier = mate_t[reached]
        seen_s[frontier] = True
    deficient, neighbours = np.flatnonzero(seen_s), np.flatnonzero(seen_t)

    side, other = ("row", "column") if rows_side else ("column", "row")
    size, best = min(n, m), int(matched.sum())
    d, c = deficient.size, neighbours.size
    if c == 0:
        which = f"{side} {deficient[0]} has" if d == 1 else f"{side}s {_listed(deficient)} have"
        reason = f"{which} no allowed {other}"
    else:
        reason = (
            f"{side}s {_listed(deficient)} have only {c} allowed {other}{'s' if c != 1 else ''} "
            f"between them ({_listed(neighbours)}), so at most {c} of these {d} {side}s "
            "can be matched"
        )
    message = (
        f"No assignment of size {size} exists: {reason}; at most {best} "
        f"pair{'s' if best != 1 else ''} can be formed. "
        f"Allow more pairs for these {side}s (a finite cost instead of the forbidden marker), "
        f"leave {d - c} of them out, or use max_weight_matching, which leaves {side}s unmatched."
    )
    rows, cols = (deficient, neighbours) if rows_side else (neighbours, deficient)
    return InfeasibleError(message, rows=rows, cols=cols)


# ----------------------------------------------------------------------------- public solvers


def solve_assignment(cost, *, maximize: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Solve the linear sum assignment problem, with forbidden pairs and clear errors.

    A drop-in for :func:`scipy.optimize.linear_sum_assignment`: every row is matched to a
    distinct column (or every column to a distinct row when there are more rows than columns),
    minimising ``cost[row_ind, col_ind].sum()`` (maximising with ``maximize=True``). ``+inf``
    marks a forbidden pair (``-inf`` with ``maximize=True``). Inputs are checked before they
    reach the solver, and an impossible problem raises :class:`~asn_match.errors.InfeasibleError`
    naming the rows or columns that cannot be matched.

    Parameters
    ----------
    cost : array-like of shape (n_rows, n_cols)
        The cost (or, with ``maximize=True``, weight) of each pair. Integers, floats or bools.
        NaN is rejected, and so is ``-inf`` when minimising (``+inf`` when maximising).
    maximize : bool, default=False
        Maximise the total instead of minimising it.

    Returns
    -------
    row_ind : ndarray of shape (min(n_rows, n_cols),), dtype intp
        Matched rows, sorted.
    col_ind : ndarray of shape (min(n_rows, n_cols),), dtype intp
        The column matched to each row of ``row_ind``. The optimal total is
        ``cost[row_ind, col_ind].sum()``.

    Raises
    ------
    ValueError
        If ``cost`` is not a real 2-D matrix, or contains NaN or the wrong infinity.
    InfeasibleError
        If no matching of size ``min(n_rows, n_cols)`` uses allowed pairs only; ``.rows`` and
        ``.cols`` name a set that Hall's theorem shows to be short of partners.

    See Also
    --------
    max_weight_matching : the best partial matching, which never fails for lack of partners.

    Examples
    --------
    >>> import numpy as np
    >>> cost = np.array([[4, 1, 3], [2, 0, 5], [3, 2, 2]])
    >>> row_ind, col_ind = solve_assignment(cost)
    >>> col_ind.tolist(), int(cost[row_ind, col_ind].sum())
    ([1, 0, 2], 5)
    """
    caller = "solve_assignment"
    maximize = check_bool(maximize, "maximize", caller)
    cost = _as_matrix(cost, "cost", caller)
    if cost.size == 0:
        return _empty_pair()
    if cost.dtype.kind == "f":
        # One reduction finds both problems: NaN propagates through max/min, and the wrong
        # infinity is the extreme value itself.
        extreme = cost.max() if maximize else cost.min()
        if np.isnan(extreme) or extreme == (np.inf if maximize else -np.inf):
            _reject_non_finite(cost, None, "cost", caller, maximize=maximize, takes_allowed=False)
    try:
        row_ind, col_ind = linear_sum_assignment(cost, maximize=maximize)
    except ValueError as exc:
        # Inputs were checked above, so the solver fails only for want of allowed pairs.
        error = _infeasibility(~np.isinf(cost))
        if error is None:
            low, high = cost[np.isfinite(cost)].min(), cost[np.isfinite(cost)].max()
            raise ValueError(
                f"The assignment solver failed although a full assignment of allowed pairs "
                f"exists; the finite costs range from {low!r} to {high!r}. Rescale the costs "
                f"to a moderate range (e.g. divide by their largest magnitude)."
            ) from exc
        raise error from None
    return row_ind.astype(np.intp, copy=False), col_ind.astype(np.intp, copy=False)


def max_weight_matching(weights, *, allowed=None) -> tuple[np.ndarray, np.ndarray]:
    """A matching of allowed pairs with the greatest total weight; nobody is forced in.

    Unlike :func:`solve_assignment`, rows and columns may stay unmatched: a seat is left empty
    rather than filled by a pair of weight <= 0 or a forbidden pair. Costs about one call of
    :func:`scipy.optimize.linear_sum_assignment` on a matrix of the same shape.

    Parameters
    ----------
    weights : array-like of shape (n_rows, n_cols)
        The value of each pair (e.g. the JPM of an employee in a seat). ``-inf`` forbids a pair;
        NaN and ``+inf`` on allowed pairs are rejected.
    allowed : array-like of bool of shape (n_rows, n_cols) or None, default=None
        The pairs that may be matched (e.g. eligibility). ``None`` allows every finite weight.
        Weights outside ``allowed`` are ignored, whatever they hold.

    Returns
    -------
    row_ind : ndarray of shape (n_pairs,), dtype intp
        Matched rows, sorted; ``n_pairs <= min(n_rows, n_cols)``.
    col_ind : ndarray of shape (n_pairs,), dtype intp
        The column of each matched row. Every pair is allowed and has a positive weight.

    See Also
    --------
    lexicographic_matching : fill as many seats as possible before maximising the total.
    assignment_prices : the shadow price of each seat in the returned matching.

    Examples
    --------
    >>> import numpy as np
    >>> weights = np.array([[5.0, -np.inf], [3.0, -1.0], [4.0, 0.0]])
    >>> row_ind, col_ind = max_weight_matching(weights)
    >>> row_ind.tolist(), col_ind.tolist()
    ([0], [0])
    """
    caller = "max_weight_matching"
    weights = _as_matrix(weights, "weights", caller)
    allowed = _check_allowed(allowed, weights.shape, caller)
    if weights.size == 0:
        return _empty_pair()
    # Why one full rectangular solve gives the best partial matching: let p = w on allowed pairs
    # with w > 0, and p = 0 elsewhere. (a) A matching F of size min(n, m) is worth p(F) =
    # w(F ∩ P), where P are the allowed positive pairs, and F ∩ P is a valid partial matching;
    # so max p(F) <= OPT. (b) An optimal partial matching M uses only pairs of P (dropping others
    # cannot lower its total), and pairing its unmatched rows with its unmatched columns in any
    # order completes it to a full F with p(F) = w(M) + 0 = OPT, as p >= 0. Hence the full
    # optimum F* has p(F*) = OPT, and F* ∩ P, found by dropping the zero-profit pairs, is optimal.
    # The solver copies any matrix that is not a C-ordered float64 cost matrix with no more rows
    # than columns (to negate or transpose it); writing -p in that layout ourselves keeps the
    # memory at one matrix, the same as scipy's own copy.
    transposed = weights.shape[0] > weights.shape[1]
    source = weights.T if transposed else weights
    where = True if allowed is None else (allowed.T if transposed else allowed)
    cost = np.empty(source.shape) if allowed is None else np.zeros(source.shape)
    np.negative(source, out=cost, where=where, dtype=float)  # dtype: bools cannot be negated
    # np.minimum keeps NaN and -inf (from +inf weights, caught below) and sends +inf, from the
    # forbidden marker -inf, to 0.
    np.minimum(cost, 0.0, out=cost)
    lowest = cost.min()
    if not np.isfinite(lowest):
        _reject_non_finite(weights, allowed, "weights", caller, maximize=True)
    if lowest >= 0.0:
        return _empty_pair()
    row_ind, col_ind = linear_sum_assignment(cost)
    used = cost[row_ind, col_ind] < 0.0
    row_ind, col_ind = row_ind[used], col_ind[used]
    if transposed:
        order = np.argsort(col_ind)
        row_ind, col_ind = col_ind[order], row_ind[order]
    return row_ind.astype(np.intp, copy=False), col_ind.astype(np.intp, copy=False)


def max_cardinality_matching(allowed) -> tuple[np.ndarray, np.ndarray]:
    """A matching of allowed pairs with as many pairs as possible (Hopcroft-Karp).

    Parameters
    ----------
    allowed : array-like of bool of shape (n_rows, n_cols)
        The pairs that may be matched.

    Returns
    -------
    row_ind : ndarray of shape (n_pairs,), dtype intp
        Matched rows, sorted.
    col_ind : ndarray of shape (n_pairs,), dtype intp
        The column of each matched row.

    Examples
    --------
    >>> import numpy as np
    >>> allowed = np.array([[True, True], [True, False], [True, False]])
    >>> row_ind, col_ind = max_cardinality_matching(allowed)
    >>> len(row_ind)
    2
    """
    caller = "max_cardinality_matching"
    allowed = np.asarray(allowed)
    if allowed.ndim != 2:
        raise ValueError(
            f"expected a matrix (2-D array), got a {allowed.ndim}-D array of shape "
            f"{allowed.shape} as the 'allowed' parameter of {caller}. "
            "Pass one boolean matrix of shape (n_rows, n_cols)."
        )
    if allowed.dtype != np.bool_:
        raise ValueError(
            f"The 'allowed' parameter of {caller} must be a boolean matrix. Got an array of "
            f"dtype {allowed.dtype} instead. Build it with a comparison, e.g. eligible == 1."
        )
    mates = _row_mates(allowed)
    row_ind = np.flatnonzero(mates >= 0)
    return row_ind, mates[row_ind]


def _best_full_cardinality(gain: np.ndarray, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Among the matchings of allowed pairs of maximum cardinality, one of greatest total gain.

    Exact, without the large additive constant that would cost precision: let k be the maximum
    cardinality, S the smaller side (size r) and T the other. Add r - k dummy vertices to T,
    each free to pair with any vertex of S at gain 0, and forbid nothing else new. A full
    assignment of the padded matrix matches all of S, at most r - k of it to dummies, so it has
    at least k real pairs, and at most k since they form an allowed matching: exactly k. Any
    k-matching, conversely, extends to a full assignment with the dummies. The full optimum is
    therefore a maximum-cardinality matching of greatest total.
    """
    n, m = allowed.shape
    cardinality = int(np.count_nonzero(_row_mates(allowed) >= 0))
    if cardinality == 0:
        return _empty_pair()
    dummies = min(n, m) - cardinality
    if n <= m:
        cost = np.zeros((n, m + dummies))
        cost[:, :m] = np.inf
        np.negative(gain, out=cost[:, :m], where=allowed)
    else:
        cost = np.zeros((n + dummies, m))
        cost[:n] = np.inf
        np.negative(gain, out=cost[:n], where=allowed)
    row_ind, col_ind = linear_sum_assignment(cost)
    real = (row_ind < n) & (col_ind < m)
    return row_ind[real].astype(np.intp, copy=False), col_ind[real].astype(np.intp, copy=False)


def bottleneck_level(
    weights: np.ndarray, allowed: np.ndarray, count: Callable[[np.ndarray], int]
) -> float | None:
    """Highest value t such that the allowed pairs >= t still place as many as all of them.

    The number of pairs that can be placed with pairs of weight >= t falls as t rises: a binary
    search over the distinct weights for the highest level that keeps the full count.

    Parameters
    ----------
    weights : ndarray of shape (n, m)
    allowed : ndarray of bool of shape (n, m)
    count : callable
        The most pairs of a boolean (n, m) mask that can be placed (a matching size), e.g. one
        column per seat or with seats as capacities.

    Returns
    -------
    float or None
        None when nothing can be placed.

    Examples
    --------
    >>> w = np.array([[9.0, 2.0], [8.0, 1.0]])
    >>> count = lambda mask: int(np.count_nonzero(_row_mates(mask) >= 0))
    >>> bottleneck_level(w, w > 0, count)    # both placed: the weaker gets at most 2
    2.0
    """
    cardinality = count(allowed)
    if cardinality == 0:
        return None
    levels = np.unique(weights[allowed])
    low, high = 0, levels.size - 1
    while low < high:
        middle = (low + high + 1) // 2
        if count(allowed & (weights >= levels[middle])) == cardinality:
            low = middle
        else:
            high = middle - 1
    return float(levels[low])


def _matched_count(allowed: np.ndarray) -> int:
    return int(np.count_nonzero(_row_mates(allowed) >= 0))


def _bottleneck(gain: np.ndarray, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    level = bottleneck_level(gain, allowed, _matched_count)
    if level is None:
        return _empty_pair()
    return _best_full_cardinality(gain, allowed & (gain >= level))


def lexicographic_matching(
    weights, *, allowed=None, objective: Objective = "total"
) -> tuple[np.ndarray, np.ndarray]:
    """A matching that optimises several goals in order of priority.

    Parameters
    ----------
    weights : array-like of shape (n_rows, n_cols)
        The value of each pair. ``-inf`` forbids a pair; NaN and ``+inf`` on allowed pairs are
        rejected.
    allowed : array-like of bool of shape (n_rows, n_cols) or None, default=None
        The pairs that may be matched; ``None`` allows every finite weight.
    objective : {"total", "fill_first", "bottleneck"}, default="total"
        - ``"total"``: the greatest total weight (:func:`max_weight_matching`); pairs of weight
          <= 0 are never used.
        - ``"fill_first"``: the greatest number of pairs, then the greatest total. Pairs of any
          weight may be used if they let one more seat be filled.
        - ``"bottleneck"``: the greatest number of pairs, then the greatest smallest weight among
          them (the weakest match as strong as possible), then the greatest total.

    Returns
    -------
    row_ind : ndarray of shape (n_pairs,), dtype intp
        Matched rows, sorted.
    col_ind : ndarray of shape (n_pairs,), dtype intp
        The column of each matched row.

    Notes
    -----
    ``"fill_first"`` is exact (no large additive constant): the solver runs on the matrix padded
    with ``min(n, m) - k`` zero-weight dummy rows or columns, ``k`` being the maximum cardinality,
    which forces exactly ``k`` real pairs. ``"bottleneck"`` binary-searches the distinct weights
    with maximum-cardinality matchings (about ``log2(n_distinct)`` Hopcroft-Karp runs) and then
    solves ``"fill_first"`` on the pairs at or above the threshold found.

    Examples
    --------
    >>> import numpy as np
    >>> weights = np.array([[9.0, 1.0], [7.0, -np.inf]])
    >>> lexicographic_matching(weights, objective="total")[1].tolist()
    [0]
    >>> lexicographic_matching(weights, objective="fill_first")[1].tolist()
    [1, 0]
    """
    caller = "lexicographic_matching"
    objective = check_choice(objective, "objective", caller, OBJECTIVES)
    if objective == "total":
        return max_weight_matching(weights, allowed=allowed)
    weights = _as_matrix(weights, "weights", caller)
    allowed = _check_allowed(allowed, weights.shape, caller)
    if weights.size == 0:
        return _empty_pair()
    mask = _allowed_mask(weights, allowed, caller)
    gain = weights.astype(float, copy=False)  # bool weights cannot be negated
    if objective == "fill_first":
        return _best_full_cardinality(gain, mask)
    return _bottleneck(gain, mask)


# ----------------------------------------------------------------------------- seats


def _check_capacities(capacities, caller: str) -> np.ndarray:
    array = np.asarray(capacities)
    if array.ndim != 1 or array.dtype.kind not in "iuf":
        raise ValueError(
            f"The 'capacities' parameter of {caller} must be a 1-D array of non-negative "
            f"integers of shape (n_positions,). Got an array of dtype {array.dtype} and shape "
            f"{array.shape} instead."
        )
    bad = ~np.isfinite(array) | (array != np.round(array)) if array.dtype.kind == "f" else None
    if bad is not None and bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"The 'capacities' parameter of {caller} must hold whole numbers of seats. Got "
            f"{array[first].item()!r} at position {first} instead."
        )
    if (array < 0).any():
        first = int(np.flatnonzero(array < 0)[0])
        raise ValueError(
            f"The 'capacities' parameter of {caller} must be non-negative (a number of seats). "
            f"Got {array[first].item()!r} at position {first} instead."
        )
    return array.astype(np.intp)


def expand_seats(capacities) -> np.ndarray:
    """The position of each seat, a position with ``c`` seats repeated ``c`` times in order.

    Parameters
    ----------
    capacities : array-like of int of shape (n_positions,)
        The number of seats of each position (non-negative whole numbers).

    Returns
    -------
    seat_position : ndarray of shape (n_seats,), dtype intp
        ``n_seats = capacities.sum()``; ``weights[:, seat_position]`` turns a per-position matrix
        into the per-seat matrix the solvers take.

    Examples
    --------
    >>> expand_seats([2, 0, 1]).tolist()
    [0, 0, 2]
    """
    capacities = _check_capacities(capacities, "expand_seats")
    return np.repeat(np.arange(capacities.size, dtype=np.intp), capacities)


def seat_number(capacities) -> np.ndarray:
    """The 0-based number of each seat within its position, in the order of :func:`expand_seats`.

    Parameters
    ----------
    capacities : array-like of int of shape (n_positions,)
        The number of seats of each position (non-negative whole numbers).

    Returns
    -------
    seat_number : ndarray of shape (n_seats,), dtype intp

    Examples
    --------
    >>> seat_number([2, 0, 3]).tolist()
    [0, 1, 0, 1, 2]
    """
    capacities = _check_capacities(capacities, "seat_number")
    first_seat = np.cumsum(capacities) - capacities
    return np.arange(capacities.sum(), dtype=np.intp) - np.repeat(first_seat, capacities)


# ----------------------------------------------------------------------------- dual prices


def _check_pairs(row_ind, col_ind, allowed: np.ndarray, caller: str) -> tuple[np.ndarray, ...]:
    n, m = allowed.shape
    pairs = []
    for name, values, size in (("row_ind", row_ind, n), ("col_ind", col_ind, m)):
        array = np.asarray(values)
        if array.ndim != 1 or not (array.dtype.kind in "iu" or array.size == 0):
            raise ValueError(
                f"The {name!r} parameter of {caller} must be a 1-D array of integer indices. "
                f"Got an array of dtype {array.dtype} and shape {array.shape} instead."
            )
        array = array.astype(np.intp)
        if array.size and (array.min() < 0 or array.max() >= size):
            raise ValueError(
                f"The {name!r} parameter of {caller} must hold indices in [0, {size}). "
                f"Got {_listed(array[(array < 0) | (array >= size)])} instead."
            )
        values_seen, counts = np.unique(array, return_counts=True)
        if (counts > 1).any():
            raise ValueError(
                f"The {name!r} parameter of {caller} must not repeat an index (each row and "
                f"column is matched at most once). Got repeats {_listed(values_seen[counts > 1])}."
            )
        pairs.append(array)
    rows, cols = pairs
    if rows.size != cols.size:
        raise ValueError(
            f"The 'row_ind' and 'col_ind' parameters of {caller} must have the same length. "
            f"Got {rows.size} and {cols.size} instead."
        )
    forbidden = ~allowed[rows, cols]
    if forbidden.any():
        t = int(np.flatnonzero(forbidden)[0])
        raise ValueError(
            f"The assignment given to {caller} uses the forbidden pair (row {rows[t]}, column "
            f"{cols[t]}). Pass a matching of allowed pairs, such as max_weight_matching returns."
        )
    return rows, cols


def _not_optimal(detail: str) -> ValueError:
    return ValueError(
        f"The assignment is not optimal for these weights ({detail}), so it has no dual prices. "
        "Pass an optimal partial matching, such as the one max_weight_matching returns."
    )


def assignment_prices(
    weights, row_ind, col_ind, *, allowed=None, maximize: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Dual prices of an optimal partial matching: each employee's surplus, each seat's worth.

    For weights ``w`` and an optimal matching of :func:`max_weight_matching`, returns ``u`` and
    ``v`` with ``u >= 0``, ``v >= 0``, ``u[i] + v[j] >= w[i, j]`` on every allowed pair, equality
    on matched pairs, ``u = 0`` on unmatched rows and ``v = 0`` on unmatched columns
    (complementary slackness), so ``u.sum() + v.sum()`` equals the matched total.

    Among all such prices, ``v`` is the largest (componentwise): ``v[j]`` is the **marginal value
    of seat j**, the drop in the optimal total if seat ``j`` were removed (Shapley and Shubik's
    assignment game). A seat left empty, or one whose occupant could move to an equally good
    empty seat, is worth 0.

    Parameters
    ----------
    weights : array-like of shape (n_rows, n_cols)
        The weights the matching was optimised for. ``-inf`` forbids a pair (``+inf`` with
        ``maximize=False``).
    row_ind, col_ind : array-like of int of shape (n_pairs,)
        The matching, as :func:`max_weight_matching` returns it.
    allowed : array-like of bool of shape (n_rows, n_cols) or None, default=None
        The pairs that were allowed; ``None`` allows every finite weight.
    maximize : bool, default=True
        ``False`` reads ``weights`` as costs of a minimum-cost partial matching; the prices are
        then those of the negated weights, negated: ``u, v <= 0`` and ``u[i] + v[j] <= cost[i, j]``.

    Returns
    -------
    u : ndarray of shape (n_rows,), float64
        Row (employee) prices: the surplus of each employee in the matching.
    v : ndarray of shape (n_cols,), float64
        Column (seat) prices: the shadow price of each seat.

    Raises
    ------
    ValueError
        If the matching uses a forbidden pair or is not optimal (no such prices exist then).

    Notes
    -----
    With ``u[i] = w[i, j] - v[j]`` on matched pairs, the conditions are difference constraints on
    the seat prices alone: ``v[j] - v[l] <= w[i, j] - w[i, l]`` for row ``i`` matched to ``j`` and
    allowed at ``l``, ``v[j] <= w[i, j]``, ``v >= 0``, ``v[l] >= w[i, l]`` for unmatched rows and
    ``v = 0`` on empty seats. Shortest paths from a zero source give their largest solution; they
    are found by a Bellman-Ford iteration vectorised over the matched rows, relaxing only from
    the seats whose price fell in the previous round. Float weights are compared with a relative
    tolerance of 1e-9.

    Examples
    --------
    >>> import numpy as np
    >>> weights = np.array([[4.0, 3.0], [3.0, 1.0]])
    >>> row_ind, col_ind = max_weight_matching(weights)
    >>> u, v = assignment_prices(weights, row_ind, col_ind)
    >>> u.tolist(), v.tolist()
    ([1.0, 0.0], [3.0, 2.0])

    The optimal total is 6; without seat 0 it would be 3, so seat 0 is worth 3.
    """
    caller = "assignment_prices"
    maximize = check_bool(maximize, "maximize", caller)
    weights = _as_matrix(weights, "weights", caller)
    allowed = _check_allowed(allowed, weights.shape, caller)
    mask = _allowed_mask(weights, allowed, caller, maximize=maximize)
    rows, cols = _check_pairs(row_ind, col_ind, mask, caller)
    n, m = weights.shape
    gain = weights.astype(float) if maximize else -(weights.astype(float))
    if weights.dtype.kind == "f" and mask.any():
        tol = _PRICE_RTOL * max(1.0, float(np.abs(gain[mask]).max()))
    else:
        tol = 0.0  # integer weights: every sum below is exact

    seat_price = np.zeros(m)
    if rows.size:
        matched_gain = gain[rows, cols]
        if matched_gain.min() < -tol:
            t = int(np.argmin(matched_gain))
            raise _not_optimal(f"the pair (row {rows[t]}, column {cols[t]}) has a negative weight")
        # opportunity[t, l] = -w[rows[t], l] on allowed pairs, +inf elsewhere, so that
        # matched_gain + min_l(v[l] + opportunity[t, l]) is the tightest bound on v[cols[t]].
        opportunity = np.full((rows.size, m), np.inf)
        np.negative(gain[rows], out=opportunity, where=mask[rows])
        seat_price[cols] = matched_gain  # u >= 0 on matched rows
        changed = np.arange(m)
        for _ in range(m + 1):
            bound = matched_gain + (seat_price[changed] + opportunity[:, changed]).min(axis=1)
            lower = bound < seat_price[cols] - tol
            if not lower.any():
                break
            seat_price[cols[lower]] = bound[lower]
            changed = cols[lower]
            if seat_price[changed].min() < -tol:
                j = int(changed[np.argmin(seat_price[changed])])
                raise _not_optimal(f"seat {j} would need a negative price")
        else:
            raise _not_optimal("a cycle of exchanges raises the total")

    unmatched = np.ones(n, dtype=bool)
    unmatched[rows] = False
    if unmatched.any() and m:
        spare = np.where(mask[unmatched], gain[unmatched], -np.inf) - seat_price
        if spare.max() > tol:
            t, j = _first_index(spare == spare.max())
            i = int(np.flatnonzero(unmatched)[t])
            raise _not_optimal(f"unmatched row {i} is worth more in column {j} than its price")
    np.maximum(seat_price, 0.0, out=seat_price)
    row_price = np.zeros(n)
    if rows.size:
        row_price[rows] = np.maximum(matched_gain - seat_price[cols], 0.0)
    if not maximize:
        return 0.0 - row_price, 0.0 - seat_price
    return row_price, seat_price


def capacity_prices(seat_prices, capacities) -> np.ndarray:
    """One price per position from the prices of its seats.

    In every optimal dual solution, identical seats of one position have the same price: if a
    row matched to seat ``a`` is allowed at seat ``b`` of the same position, ``u + v[a] = w`` and
    ``u + v[b] >= w`` give ``v[b] >= v[a]``, and symmetrically; an empty seat has price 0, which
    then forces 0 on every seat of its position. So the position's price is the common price of
    its seats (0 whenever a seat is left empty); the minimum over its seats is taken to absorb
    rounding. With the prices of :func:`assignment_prices` it is the drop in the optimal total if
    the position lost one seat.

    Parameters
    ----------
    seat_prices : array-like of shape (n_seats,)
        Seat prices in the order of :func:`expand_seats`, e.g. ``v`` of :func:`assignment_prices`.
    capacities : array-like of int of shape (n_positions,)
        The number of seats of each position.

    Returns
    -------
    position_prices : ndarray of shape (n_positions,), float64
        The price of each position; NaN for positions without seats.

    Examples
    --------
    >>> capacity_prices([3.0, 3.0, 0.5], [2, 0, 1]).tolist()
    [3.0, nan, 0.5]
    """
    caller = "capacity_prices"
    capacities = _check_capacities(capacities, caller)
    prices = np.asarray(seat_prices, dtype=float)
    if prices.shape != (int(capacities.sum()),):
        raise ValueError(
            f"The 'seat_prices' parameter of {caller} must have shape ({int(capacities.sum())},), "
            f"one price per seat (the sum of the capacities). Got shape {prices.shape} instead."
        )
    position_prices = np.full(capacities.size, np.nan)
    has_seats = capacities > 0
    if has_seats.any():
        first_seat = (np.cumsum(capacities) - capacities)[has_seats]
        position_prices[has_seats] = np.minimum.reduceat(prices, first_seat)
    return position_prices
