r"""Job Person Match (JPM): how far employees' competency levels meet positions' standards.

For an employee with assessed levels :math:`a_k` and a position with standard levels :math:`r_k`
and job-expectation weights :math:`w_k`, over the competencies the position requires (standard
given, i.e. not NaN):

- ``sum_ratio``, capped (the default): ``100 * sum_k w_k min(a_k, r_k) / sum_k w_k r_k``;
- ``sum_ratio``, uncapped: ``100 * sum_k w_k a_k / sum_k w_k r_k``;
- ``mean_ratio``, capped: ``100 * sum_k w_k min(a_k, r_k) / r_k / sum_k w_k``;
- ``mean_ratio``, uncapped: ``100 * sum_k w_k a_k / r_k / sum_k w_k``.

Capping keeps a surplus in one competency from hiding a deficit in another, which is why it is
the merit-sound default.

How it is computed fast. The uncapped score is bilinear: one matrix product
``levels @ coef.T``. The capped score becomes bilinear through the layer-cake identity: with
the distinct positive standard levels of competency :math:`k` sorted as
:math:`0 = t_0 < t_1 < \dots < t_S`,

.. math::

    \min(a, r) = \sum_{s=1}^{S} \operatorname{clip}(a - t_{s-1},\, 0,\, t_s - t_{s-1})\,[r \ge t_s]

for every :math:`a \ge 0` and every :math:`r` among the :math:`t_s` (or 0). The left factor depends
only on the employee, the right factor only on the position, so the weighted capped JPM of every
pair is ONE matrix product with inner size :math:`\sum_k S_k` (``K x 5`` for levels 1-5). The
position-side weights, the denominator and the factor 100 are folded into the right factor, and
when every employee is at or above the lowest layer (the usual case: nobody is below level 1),
the lowest layers of all competencies are a constant, folded into one column of ones. The
output is written once, by the matrix product, with no pass over it afterwards.

When the standards hold many distinct values (continuous scales), the layers would outnumber
the gain and an exact direct formula is used instead, in row blocks bounded in memory.

The scoring layer streams employees in row blocks: :func:`prepare_positions` builds the
position-side factor once as a :class:`JPMOperator`, whose :meth:`JPMOperator.apply` scores
any block of employees. :func:`jpm` is that pair in one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from .._checks import check_bool, check_choice, check_real
from ..errors import InvalidParameterError
from ..rules import (
    MAPPING_CATEGORIES,
    MAPPING_THRESHOLDS,
    PLACEMENT_CATEGORIES,
    PLACEMENT_THRESHOLDS,
)

__all__ = [
    "MAPPING_CATEGORIES",
    "MAPPING_THRESHOLDS",
    "PLACEMENT_CATEGORIES",
    "PLACEMENT_THRESHOLDS",
    "JPMMethod",
    "JPMOperator",
    "JPMStrategy",
    "categorize",
    "jpm",
    "jpm_contributions",
    "prepare_positions",
]

JPMMethod = Literal["sum_ratio", "mean_ratio"]
JPMStrategy = Literal["auto", "layered", "direct"]

LEVELS_NOT_FINITE = "levels must be finite; fill or drop unassessed competencies first"

# Above this many layers per competency on average the layered product costs more than the
# direct formula (measured: BLAS does ~50 multiply-adds in the time numpy does one broadcast
# element op), and the right factor grows large.
_MAX_MEAN_LAYERS = 32
# Memory bounds of the per-block temporaries: the left factor of the layered product, and the
# (rows, positions, competencies) broadcast of the direct formula.
_LEFT_BLOCK_BYTES = 32 * 2**20
_DIRECT_BLOCK_BYTES = 64 * 2**20
# Row indices shown in an error message; the rest are counted.
_SHOWN = 10

_TOL_FLOAT64 = 1e-9
# A float32 JPM carries a relative error of a few 1e-7 per term; 1e-4 is ~13 float32 steps at 80.
_TOL_FLOAT32 = 1e-4


# --------------------------------------------------------------------------------------------
# validation helpers


def _indices_text(indices: ArrayLike) -> str:
    idx = [int(i) for i in np.asarray(indices).ravel()]
    text = ", ".join(str(i) for i in idx[:_SHOWN])
    if len(idx) > _SHOWN:
        text += f", ... ({len(idx) - _SHOWN} more)"
    return f"[{text}]"


def _cells_text(mask: NDArray[np.bool_]) -> str:
    rows, cols = np.nonzero(mask)
    pairs = [f"({int(r)}, {int(c)})" for r, c in zip(rows[:_SHOWN], cols[:_SHOWN], strict=True)]
    text = ", ".join(pairs)
    if len(rows) > _SHOWN:
        text += f", ... ({len(rows) - _SHOWN} more)"
    return f"[{text}]"


def _check_dtype(dtype: DTypeLike, caller: str) -> np.dtype:
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise InvalidParameterError("dtype", caller, "np.float32 or np.float64", dtype)
    return resolved


def _as_float_array(name: str, value: ArrayLike, ndims: tuple[int, ...], caller: str):
    """A float64 view or copy of ``value``; never written to."""
    shapes = {1: "(n,)", 2: "(n_rows, n_competencies)"}
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"The {name!r} parameter of {caller} must be an array-like of numbers. "
            f"Got {type(value).__name__} that cannot be read as numbers instead."
        ) from None
    if array.ndim not in ndims:
        expected = " or ".join(f"a {d}-D array of shape {shapes[d]}" for d in ndims)
        raise ValueError(
            f"The {name!r} parameter of {caller} must be {expected}. "
            f"Got an array of shape {array.shape} instead."
        )
    return array


def _check_levels(levels: ArrayLike, n_competencies: int, caller: str) -> NDArray[np.float64]:
    array = _as_float_array("levels", levels, (2,), caller)
    if array.shape[1] != n_competencies:
        raise ValueError(
            f"levels has {array.shape[1]} competency columns but the standard has "
            f"{n_competencies}; both must list the same competencies in the same order."
        )
    finite = np.isfinite(array)
    if not finite.all():
        rows = np.flatnonzero(~finite.all(axis=1))
        raise ValueError(f"{LEVELS_NOT_FINITE}. Non-finite levels in rows {_indices_text(rows)}.")
    negative = array < 0
    if negative.any():
        rows = np.flatnonzero(negative.any(axis=1))
        raise ValueError(
            f"The 'levels' parameter of {caller} must be >= 0. "
            f"Got negative levels in rows {_indices_text(rows)} instead."
        )
    return array


def _position_coefficients(
    standard: ArrayLike, weights: ArrayLike | None, method: str, caller: str
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Validate the position side; return (standard with 0 where not taking part, coefficients).

    The coefficient of (position j, competency k) carries the weight, the denominator and the
    factor 100, so that the score is ``sum_k coef[j, k] * min(a_k, r[j, k])`` (capped) or
    ``sum_k coef[j, k] * a_k`` (uncapped). It is 0 where the competency takes no part.
    """
    std = _as_float_array("standard", standard, (2,), caller)
    n_positions, n_competencies = std.shape
    required = ~np.isnan(std)
    bad = required & ~np.isfinite(std)
    if bad.any():
        raise ValueError(
            f"The 'standard' parameter of {caller} must hold finite levels or NaN (not required). "
            f"Got infinite values at (row, column) {_cells_text(bad)} instead."
        )
    bad = required & (std < 0)
    if bad.any():
        raise ValueError(
            f"The 'standard' parameter of {caller} must be >= 0 or NaN (not required). "
            f"Got negative values at (row, column) {_cells_text(bad)} instead."
        )
    if method == "mean_ratio":
        bad = required & (std == 0)
        if bad.any():
            raise ValueError(
                f"The 'standard' parameter of {caller} must be > 0 where a competency is required "
                "when method='mean_ratio' (the ratio level/standard is undefined at 0). "
                f"Got 0 at (row, column) {_cells_text(bad)} instead. Mark a competency that is "
                "not required with NaN, or use method='sum_ratio'."
            )

    if weights is None:
        w = np.ones_like(std)
    else:
        w = _as_float_array("weights", weights, (1, 2), caller)
        expected = f"({n_competencies},) or ({n_positions}, {n_competencies})"
        if w.ndim == 1 and w.shape != (n_competencies,) or w.ndim == 2 and w.shape != std.shape:
            raise ValueError(
                f"The 'weights' parameter of {caller} must have shape {expected} to match the "
                f"standard of shape {std.shape}. Got shape {w.shape} instead."
            )
        if not np.isfinite(w).all():
            raise ValueError(
                f"The 'weights' parameter of {caller} must be finite. Got NaN or infinite "
                "weights instead; give a weight of 0 to a competency that should not count."
            )
        if (w < 0).any():
            raise ValueError(
                f"The 'weights' parameter of {caller} must be >= 0. Got negative weights "
                f"{np.unique(w[w < 0])[:_SHOWN].tolist()} instead."
            )
        w = np.broadcast_to(w, std.shape)

    takes_part = required & (w > 0)
    w = np.where(takes_part, w, 0.0)
    std_fill = np.where(takes_part, std, 0.0)
    if method == "sum_ratio":
        denominator = (w * std_fill).sum(axis=1)
        what = "a positive total of weight x standard over its required competencies"
    else:
        denominator = w.sum(axis=1)
        what = "a positive total weight over its required competencies"
    empty = np.flatnonzero(denominator <= 0)
    if empty.size:
        raise ValueError(
            f"The JPM is undefined (0/0) for positions in rows {_indices_text(empty)}: each "
            f"position needs {what}. Give these positions at least one required competency "
            "with a positive weight and standard level, or drop them."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "sum_ratio":
            coef = 100.0 * w / denominator[:, None]
        else:
            coef = np.where(takes_part, 100.0 * w / std_fill / denominator[:, None], 0.0)
    return std_fill, coef


# --------------------------------------------------------------------------------------------
# the operator


class JPMOperator:
    """The position side of the JPM, precomputed; scores any block of employees.

    Build it with :func:`prepare_positions`, not directly. It holds no reference to the
    caller's arrays and never changes after it is built, so one operator can serve many
    threads or dask tasks.

    Attributes
    ----------
    n_positions : int
    n_competencies : int
        K, the number of competency columns that ``levels`` must have.
    method : {"sum_ratio", "mean_ratio"}
    cap : bool
    dtype : numpy.dtype
        float32 or float64: the dtype of the scores and of the matrix product.
    strategy : {"layered", "direct", "linear"}
        How the scores are computed: ``"layered"`` (capped, one matrix product through the
        layer-cake identity), ``"direct"`` (capped, the exact broadcast formula in row blocks)
        or ``"linear"`` (uncapped, one matrix product).
    inner_size : int
        The inner dimension of the matrix product when nobody is below the lowest standard
        layer (0 for ``"direct"``).

    Examples
    --------
    >>> standard = np.tile([1.0, 2.0, 3.0, 4.0, 5.0], (3, 1)).T  # 5 positions, 3 competencies
    >>> op = prepare_positions(standard, dtype=np.float32)
    >>> op.strategy, op.inner_size  # 3 competencies x 4 layers above level 1, plus one column
    ('layered', 13)
    >>> op.apply(np.full((2, 3), 3.0)).round(1)
    array([[100., 100., 100.,  75.,  60.],
           [100., 100., 100.,  75.,  60.]], dtype=float32)
    """

    def __init__(
        self,
        *,
        method: str,
        cap: bool,
        dtype: np.dtype,
        strategy: str,
        n_competencies: int,
        right: NDArray,
        low_k: NDArray[np.intp],
        low_width: NDArray[np.float64],
        rest_k: NDArray[np.intp],
        rest_lo: NDArray[np.float64],
        rest_width: NDArray[np.float64],
        direct_k: NDArray[np.intp],
        direct_standard: NDArray[np.float64],
        direct_coef: NDArray[np.float64],
        n_positions: int,
    ):
        self.method = method
        self.cap = cap
        self.dtype = dtype
        self.strategy = strategy
        self.n_competencies = n_competencies
        self.n_positions = n_positions
        # right: (has_fold + n_rest + n_low, n_positions), C-contiguous in `dtype`; rows are
        # [the lowest layers of all competencies folded, the other layers, the lowest layer of
        # each competency]. A block where everyone fills every lowest layer uses the prefix
        # (left columns [1, layers]); otherwise all rows, with left columns
        # [0, layers, min(a, t_1)], so every term stays >= 0 and a score is never below 0.
        self._right = right
        self._low_k, self._low_width = low_k, low_width
        self._rest_k, self._rest_lo, self._rest_width = rest_k, rest_lo, rest_width
        self._direct_k = direct_k
        self._direct_standard = direct_standard
        self._direct_coef = direct_coef
        for array in (right, direct_standard, direct_coef):
            array.setflags(write=False)
        self.inner_size = 0 if strategy == "direct" else right.shape[0] - low_k.size

    def __repr__(self) -> str:
        return (
            f"JPMOperator(n_positions={self.n_positions}, n_competencies={self.n_competencies}, "
            f"method={self.method!r}, cap={self.cap}, dtype={self.dtype.name}, "
            f"strategy={self.strategy!r}, inner_size={self.inner_size})"
        )

    def columns(self, positions: ArrayLike) -> JPMOperator:
        """The operator of some of the positions, scoring them exactly as this one does.

        Same layers and factors, restricted to ``positions`` (an operator prepared from these
        positions alone could choose other layers): a pair scores the same here up to the
        matrix product's last bit, which, as between blocks of rows, may differ.

        Parameters
        ----------
        positions : array-like of int of shape (n_selected,)
            Indices of the positions kept, in the order of the new operator's columns.

        Returns
        -------
        JPMOperator

        Examples
        --------
        >>> op = prepare_positions([[3.0, 2.0], [4.0, 1.0], [2.0, 5.0]])
        >>> levels = [[3, 1], [5, 5]]
        >>> np.allclose(op.columns([2, 0]).apply(levels), op.apply(levels)[:, [2, 0]])
        True
        """
        cols = np.asarray(positions, dtype=np.intp)
        direct = self.strategy == "direct"  # the other strategies keep empty direct factors
        return JPMOperator(
            method=self.method,
            cap=self.cap,
            dtype=self.dtype,
            strategy=self.strategy,
            n_competencies=self.n_competencies,
            right=self._right if direct else np.ascontiguousarray(self._right[:, cols]),
            low_k=self._low_k,
            low_width=self._low_width,
            rest_k=self._rest_k,
            rest_lo=self._rest_lo,
            rest_width=self._rest_width,
            direct_k=self._direct_k,
            direct_standard=self._direct_standard[cols] if direct else self._direct_standard,
            direct_coef=self._direct_coef[cols] if direct else self._direct_coef,
            n_positions=int(cols.size),
        )

    def apply(self, levels: ArrayLike, *, out: NDArray | None = None) -> NDArray:
        """Score a block of employees against every position.

        Parameters
        ----------
        levels : array-like of shape (n_employees, n_competencies)
            Assessed levels, finite and >= 0; any number of rows (a block of the workforce).
        out : ndarray of shape (n_employees, n_positions), optional
            C-contiguous array of the operator's dtype to write the scores into (e.g. a slice
            of a larger result or a memory map).

        Returns
        -------
        ndarray of shape (n_employees, n_positions)
            JPM in percent, in the operator's dtype (``out`` when given).

        Examples
        --------
        >>> op = prepare_positions([[3.0, 2.0], [4.0, np.nan]])
        >>> op.apply([[3, 1], [5, 5]]).round(2)
        array([[ 80.,  75.],
               [100., 100.]])
        """
        array = _check_levels(levels, self.n_competencies, "JPMOperator.apply")
        return self._apply(array, out)

    def _apply(self, levels: NDArray[np.float64], out: NDArray | None) -> NDArray:
        shape = (levels.shape[0], self.n_positions)
        if out is None:
            out = np.empty(shape, dtype=self.dtype)
        elif (
            not isinstance(out, np.ndarray)
            or out.shape != shape
            or out.dtype != self.dtype
            or not out.flags.c_contiguous
            or not out.flags.writeable
        ):
            got = (
                f"an array of shape {out.shape} and dtype {out.dtype}"
                if isinstance(out, np.ndarray)
                else type(out).__name__
            )
            raise ValueError(
                "The 'out' parameter of JPMOperator.apply must be a writeable C-contiguous "
                f"array of shape {shape} and dtype {self.dtype.name}. Got {got} instead."
            )
        if self.strategy == "direct":
            self._apply_direct(levels, out)
        else:
            self._apply_product(levels, out)
        return out

    def _apply_product(self, levels: NDArray[np.float64], out: NDArray) -> None:
        n_low = self._low_k.size
        n_head = self._right.shape[0] - n_low
        # Levels below the lowest layer are rare (levels start at 1 on most scales), so the
        # folded form is the fast path and the per-competency lowest layers the exception.
        short = bool(np.any(levels[:, self._low_k] < self._low_width))
        right = self._right if short else self._right[:n_head]
        inner = right.shape[0]
        rows = max(1, _LEFT_BLOCK_BYTES // max(1, inner * self.dtype.itemsize))
        linear = self.strategy == "linear"
        # The left factor is built in the product's dtype: half the memory traffic in float32,
        # and exact there for levels on a grid such as integers or halves.
        low_width = self._low_width.astype(self.dtype)
        rest_lo = self._rest_lo.astype(self.dtype)
        rest_width = self._rest_width.astype(self.dtype)
        for start in range(0, levels.shape[0], rows):
            block = levels[start : start + rows].astype(self.dtype)
            left = np.empty((block.shape[0], inner), dtype=self.dtype)
            rest = left[:, 1:n_head] if n_low else left[:, :n_head]
            if n_low:
                left[:, 0] = 0.0 if short else 1.0
            if short:
                np.minimum(np.take(block, self._low_k, axis=1), low_width, out=left[:, n_head:])
            taken = np.take(block, self._rest_k, axis=1)
            if linear:
                rest[...] = taken
            else:
                np.subtract(taken, rest_lo, out=taken)
                np.maximum(taken, 0.0, out=taken)
                np.minimum(taken, rest_width, out=rest)
            np.matmul(left, right, out=out[start : start + rows])

    def _apply_direct(self, levels: NDArray[np.float64], out: NDArray) -> None:
        n_active = self._direct_k.size
        per_row = 8 * max(1, self.n_positions * n_active)
        rows = max(1, _DIRECT_BLOCK_BYTES // per_row)
        for start in range(0, levels.shape[0], rows):
            block = levels[start : start + rows][:, self._direct_k]
            capped = np.minimum(block[:, None, :], self._direct_standard[None, :, :])
            out[start : start + rows] = np.einsum("ipk,pk->ip", capped, self._direct_coef)


def prepare_positions(
    standard: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    method: JPMMethod = "sum_ratio",
    cap: bool = True,
    dtype: DTypeLike = np.float64,
    level_floor: float | None = None,
    strategy: JPMStrategy = "auto",
) -> JPMOperator:
    """Precompute the position side of the JPM once, to score employees block by block.

    Parameters
    ----------
    standard : array-like of shape (n_positions, n_competencies)
        Standard (required) level of each competency for each position, >= 0; NaN means not
        required (the competency then takes no part). Must be > 0 where required for
        ``method="mean_ratio"``.
    weights : array-like of shape (n_positions, n_competencies) or (n_competencies,), optional
        Job-expectation weights (importance), finite and >= 0; one row for all positions when
        1-D. Default None: every weight is 1. A weight of 0 is the same as not required.
    method : {"sum_ratio", "mean_ratio"}, default "sum_ratio"
        ``sum_ratio``: weighted sum of levels over weighted sum of standards;
        ``mean_ratio``: weighted mean of level/standard.
    cap : bool, default True
        Count a level above the standard as the standard (``min(a, r)``), so surplus in one
        competency cannot hide a deficit in another.
    dtype : {np.float64, np.float32}, default np.float64
        Dtype of the scores and of the matrix product; float32 halves memory and time at a
        relative error of about 1e-6.
    level_floor : float, optional
        The lowest level any employee can have (e.g. 1 on the 1-5 scale). Adding it as a layer
        boundary lets the product fold the lowest layers into one column even where a
        competency is never required at that level. Scores are exact whatever the levels are;
        this only affects speed.
    strategy : {"auto", "layered", "direct"}, default "auto"
        How capped scores are computed: ``"layered"``, one matrix product (fast when the
        standards take few distinct values, e.g. integer levels); ``"direct"``, the broadcast
        formula in row blocks (exact for any values, much slower); ``"auto"``, layered unless
        the competencies average more than 32 distinct standard levels. Uncapped scores are
        bilinear and always one matrix product (the operator's strategy is then ``"linear"``).

    Returns
    -------
    JPMOperator
        ``.apply(levels_block)`` returns the (n_block, n_positions) JPM in percent.

    Raises
    ------
    ValueError
        On shapes that do not match, negative or non-finite values, a standard of 0 where
        required with ``mean_ratio``, or a position whose JPM is undefined because nothing
        takes part (the message names the position rows).

    Examples
    --------
    >>> standard = np.array([[3.0, 3.0, np.nan], [2.0, 4.0, 5.0]])
    >>> op = prepare_positions(standard, [2.0, 1.0, 1.0], level_floor=1)
    >>> op.apply([[3, 2, 5], [1, 5, 5]]).round(2)
    array([[88.89, 84.62],
           [55.56, 84.62]])
    """
    caller = "prepare_positions"
    method = check_choice(method, "method", caller, get_args(JPMMethod))
    strategy = check_choice(strategy, "strategy", caller, get_args(JPMStrategy))
    cap = check_bool(cap, "cap", caller)
    resolved_dtype = _check_dtype(dtype, caller)
    level_floor = check_real(level_floor, "level_floor", caller, minimum=0, allow_none=True)
    return _build_operator(
        standard, weights, method, cap, resolved_dtype, level_floor, strategy, caller
    )


def _build_operator(
    standard: ArrayLike,
    weights: ArrayLike | None,
    method: str,
    cap: bool,
    dtype: np.dtype,
    level_floor: float | None,
    strategy: str,
    caller: str,
) -> JPMOperator:
    std_fill, coef = _position_coefficients(standard, weights, method, caller)
    n_positions, n_competencies = std_fill.shape
    active = np.flatnonzero((coef > 0).any(axis=0))
    empty_k = np.empty(0, dtype=np.intp)
    empty_f = np.empty(0, dtype=np.float64)
    common = {
        "method": method,
        "cap": cap,
        "dtype": dtype,
        "n_competencies": n_competencies,
        "n_positions": n_positions,
    }

    if not cap:
        return JPMOperator(
            strategy="linear",
            right=np.ascontiguousarray(coef[:, active].T, dtype=dtype),
            low_k=empty_k,
            low_width=empty_f,
            rest_k=active,
            rest_lo=np.zeros(active.size),
            rest_width=np.full(active.size, np.inf),
            direct_k=empty_k,
            direct_standard=np.empty((0, 0)),
            direct_coef=np.empty((0, 0)),
            **common,
        )

    # Layer boundaries of each competency: its distinct positive standard levels, plus the
    # level floor where it falls inside them.
    boundaries = []
    for k in active:
        values = std_fill[coef[:, k] > 0, k]
        values = np.unique(values[values > 0])
        if level_floor is not None and values.size and 0 < level_floor < values[-1]:
            values = np.union1d(values, [level_floor])
        boundaries.append(values)
    n_layers = sum(b.size for b in boundaries)
    if strategy == "auto":
        strategy = "layered" if n_layers <= _MAX_MEAN_LAYERS * max(1, active.size) else "direct"

    if strategy == "direct":
        return JPMOperator(
            strategy="direct",
            right=np.empty((0, 0), dtype=dtype),
            low_k=empty_k,
            low_width=empty_f,
            rest_k=empty_k,
            rest_lo=empty_f,
            rest_width=empty_f,
            direct_k=active,
            direct_standard=np.ascontiguousarray(std_fill[:, active]),
            direct_coef=np.ascontiguousarray(coef[:, active]),
            **common,
        )

    low_k = np.array([k for k, b in zip(active, boundaries, strict=True) if b.size], dtype=np.intp)
    low_width = np.array([b[0] for b in boundaries if b.size], dtype=np.float64)
    rest = [
        (k, b[s - 1], b[s])
        for k, b in zip(active, boundaries, strict=True)
        for s in range(1, b.size)
    ]
    rest_k = np.array([k for k, _, _ in rest], dtype=np.intp)
    rest_lo = np.array([lo for _, lo, _ in rest], dtype=np.float64)
    rest_hi = np.array([hi for _, _, hi in rest], dtype=np.float64)

    # Row (k, t) of the right factor: coef[:, k] * [r[:, k] >= t], the position's share of a
    # layer that ends at t.
    low_rows = coef[:, low_k].T * (std_fill[:, low_k].T >= low_width[:, None])
    rest_rows = coef[:, rest_k].T * (std_fill[:, rest_k].T >= rest_hi[:, None])
    fold_row = (low_width[:, None] * low_rows).sum(axis=0, keepdims=True)
    parts = [fold_row, rest_rows, low_rows] if low_k.size else [rest_rows]
    right = np.ascontiguousarray(np.concatenate(parts, axis=0), dtype=dtype)
    return JPMOperator(
        strategy="layered",
        right=right,
        low_k=low_k,
        low_width=low_width,
        rest_k=rest_k,
        rest_lo=rest_lo,
        rest_width=rest_hi - rest_lo,
        direct_k=empty_k,
        direct_standard=np.empty((0, 0)),
        direct_coef=np.empty((0, 0)),
        **common,
    )


# --------------------------------------------------------------------------------------------
# one-call form


def jpm(
    levels: ArrayLike,
    standard: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    method: JPMMethod = "sum_ratio",
    cap: bool = True,
    dtype: DTypeLike = np.float64,
    strategy: JPMStrategy = "auto",
) -> NDArray:
    """Job Person Match of every employee for every position, in percent.

    Parameters
    ----------
    levels : array-like of shape (n_employees, n_competencies)
        Assessed competency levels, finite and >= 0.
    standard : array-like of shape (n_positions, n_competencies)
        Standard level of each competency for each position, >= 0; NaN means not required
        (the competency then takes no part, as with weight 0). Must be > 0 where required for
        ``method="mean_ratio"``.
    weights : array-like of shape (n_positions, n_competencies) or (n_competencies,), optional
        Job-expectation weights, finite and >= 0. Default None: all 1.
    method : {"sum_ratio", "mean_ratio"}, default "sum_ratio"
        ``sum_ratio``: 100 * sum_k w*min(a, r) / sum_k w*r;
        ``mean_ratio``: 100 * sum_k w*min(a, r)/r / sum_k w (sums over required competencies).
    cap : bool, default True
        Use ``min(a, r)``; with False the level ``a`` itself counts, so scores can pass 100.
    dtype : {np.float64, np.float32}, default np.float64
        Dtype of the result and of the matrix product.
    strategy : {"auto", "layered", "direct"}, default "auto"
        See :func:`prepare_positions`; the result is the same up to round-off.

    Returns
    -------
    ndarray of shape (n_employees, n_positions)
        JPM in percent.

    Raises
    ------
    ValueError
        On invalid input, naming what is wrong and where (see :func:`prepare_positions`).

    See Also
    --------
    prepare_positions : the same computation for employees streamed in blocks.
    categorize : JPM to placement or mapping categories.

    Examples
    --------
    >>> levels = [[3, 2, 4], [5, 5, 1]]
    >>> standard = [[3, 3, np.nan], [4, 4, 2]]
    >>> jpm(levels, standard).round(2)
    array([[ 83.33,  70.  ],
           [100.  ,  90.  ]])
    >>> jpm(levels, standard, method="mean_ratio", cap=False).round(2)
    array([[ 83.33, 108.33],
           [166.67, 100.  ]])
    """
    caller = "jpm"
    method = check_choice(method, "method", caller, get_args(JPMMethod))
    strategy = check_choice(strategy, "strategy", caller, get_args(JPMStrategy))
    cap = check_bool(cap, "cap", caller)
    resolved_dtype = _check_dtype(dtype, caller)
    std = _as_float_array("standard", standard, (2,), caller)
    array = _check_levels(levels, std.shape[1], caller)
    floor = float(array.min()) if array.size else None
    operator = _build_operator(std, weights, method, cap, resolved_dtype, floor, strategy, caller)
    return operator._apply(array, None)


def jpm_contributions(
    levels: ArrayLike,
    standard: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    method: JPMMethod = "sum_ratio",
    cap: bool = True,
) -> NDArray[np.float64]:
    """Each competency's contribution to the JPM of each pair, in points.

    The per-competency terms of the formulas in the module docstring: for ``sum_ratio``,
    ``100 * w_k * min(a_k, r_k) / sum_k w_k r_k``; for ``mean_ratio``,
    ``100 * w_k * min(a_k, r_k) / r_k / sum_k w_k`` (``a_k`` instead of the minimum when
    uncapped). The terms of a pair sum to its JPM; the coefficients are those of the operator
    that :func:`prepare_positions` builds, so the two never disagree on the formula.

    Parameters
    ----------
    levels : array-like of shape (n_pairs, n_competencies)
        Assessed levels of the pair's employee, finite and >= 0.
    standard : array-like of shape (n_pairs, n_competencies)
        Standard levels of the pair's position; NaN means not required.
    weights : array-like of shape (n_pairs, n_competencies) or (n_competencies,), optional
        Job-expectation weights of the pair's position; default all 1.
    method : {"sum_ratio", "mean_ratio"}, default "sum_ratio"
    cap : bool, default True

    Returns
    -------
    ndarray of shape (n_pairs, n_competencies), float64
        0 where the competency takes no part (not required, or weight 0).

    Examples
    --------
    >>> parts = jpm_contributions([[3, 2, 4]], [[3, 3, np.nan]])
    >>> parts.round(2).tolist(), float(parts.sum().round(2))
    ([[50.0, 33.33, 0.0]], 83.33)
    """
    caller = "jpm_contributions"
    method = check_choice(method, "method", caller, get_args(JPMMethod))
    cap = check_bool(cap, "cap", caller)
    std_fill, coef = _position_coefficients(standard, weights, method, caller)
    array = _check_levels(levels, std_fill.shape[1], caller)
    if array.shape[0] != std_fill.shape[0]:
        raise ValueError(
            f"The 'levels' and 'standard' parameters of {caller} must have one row per pair. "
            f"Got {array.shape[0]} and {std_fill.shape[0]} rows instead."
        )
    counted = np.minimum(array, std_fill) if cap else array
    return coef * counted


# --------------------------------------------------------------------------------------------
# categories


def categorize(
    jpm: ArrayLike,
    thresholds: Sequence[float] = PLACEMENT_THRESHOLDS,
    *,
    tol: float | None = None,
) -> NDArray[np.int8]:
    """Category codes of JPM scores: 0 for the best category, then 1, 2, ...

    Parameters
    ----------
    jpm : array-like of any shape
        JPM scores in percent (no NaN).
    thresholds : sequence of float, default PLACEMENT_THRESHOLDS (80.0, 68.0)
        Lower bounds of the categories, best first, strictly decreasing. A score ``>=
        thresholds[0]`` gets code 0, a score in ``[thresholds[1], thresholds[0])`` code 1, and
        so on; below the last threshold, code ``len(thresholds)``. Use MAPPING_THRESHOLDS
        (90.0, 78.0) for the competency-mapping scale.
    tol : float, optional
        A score at most ``tol`` below a threshold counts as reaching it, so that a score that
        is exactly 80 in exact arithmetic but 79.99999999999999 after round-off lands in the
        top category. Default: 1e-9 for float64 (and integer) scores, 1e-4 for float32 and
        float16 scores, well above their round-off and well below any score difference that
        matters.

    Returns
    -------
    ndarray of int8, the shape of ``jpm``
        Codes; ``PLACEMENT_CATEGORIES[code]`` (or ``MAPPING_CATEGORIES[code]``) is the name.

    Examples
    --------
    >>> codes = categorize([95.0, 80.0, 79.99999999999999, 70.0, 50.0])
    >>> codes
    array([0, 0, 0, 1, 2], dtype=int8)
    >>> [PLACEMENT_CATEGORIES[c] for c in codes[-2:]]
    ['Masih Memenuhi Syarat', 'Kurang Memenuhi Syarat']
    >>> categorize([91.0, 85.0], MAPPING_THRESHOLDS)
    array([0, 1], dtype=int8)
    """
    caller = "categorize"
    scores = np.asarray(jpm)
    if scores.dtype.kind not in "iuf":
        try:
            scores = scores.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                f"The 'jpm' parameter of {caller} must be an array-like of numbers. "
                f"Got {type(jpm).__name__} that cannot be read as numbers instead."
            ) from None
    if np.isnan(scores).any():
        raise ValueError(
            f"The 'jpm' parameter of {caller} must not contain NaN. Got NaN at flat positions "
            f"{_indices_text(np.flatnonzero(np.isnan(scores)))} instead."
        )
    try:
        bounds = np.asarray(thresholds, dtype=np.float64)
    except (TypeError, ValueError):
        bounds = None
    if (
        bounds is None
        or bounds.ndim != 1
        or not 1 <= bounds.size <= 100
        or not np.isfinite(bounds).all()
        or (np.diff(bounds) >= 0).any()
    ):
        raise ValueError(
            f"The 'thresholds' parameter of {caller} must be a sequence of 1 to 100 finite "
            f"numbers in strictly decreasing order, best category first, e.g. (80.0, 68.0). "
            f"Got {thresholds!r} instead."
        )
    tol = check_real(tol, "tol", caller, minimum=0, allow_none=True)
    if tol is None:
        low_precision = scores.dtype.kind == "f" and scores.dtype.itemsize < 8
        tol = _TOL_FLOAT32 if low_precision else _TOL_FLOAT64
    codes = np.zeros(scores.shape, dtype=np.int8)
    for bound in bounds:
        codes += scores < bound - tol
    return codes
