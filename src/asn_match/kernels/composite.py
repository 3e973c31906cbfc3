"""The merit composite: competency fit, performance, potential and experience on one 0-100 scale.

For employee ``i`` and position ``j`` with normalised weights ``w`` (summing to 1)::

    composite[i, j] = w_competency * min(jpm[i, j], 100)
                      + w_performance * performance[i]
                      + w_potential * potential[i]
                      + w_experience * experience[i]

The JPM enters capped at 100: an uncapped JPM above 100 (surplus competency) may offset a deficit
inside the JPM, but it does not lift merit beyond full marks, so the composite stays on 0-100 when
its inputs do. Only the competency term depends on the position; the rest is one number per
employee, added as a column.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ..rules import COMPOSITE_WEIGHTS

__all__ = ["composite", "employee_merit", "normalise_weights"]


def normalise_weights(weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Composite weights scaled to sum to 1.

    Parameters
    ----------
    weights : sequence of 4 float
        Competency, performance, potential and experience weights, each finite and >= 0 with a
        positive sum.

    Returns
    -------
    ndarray of shape (4,), float64

    Examples
    --------
    >>> normalise_weights([3, 1, 1, 0]).tolist()
    [0.6, 0.2, 0.2, 0.0]
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (4,) or not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
        raise ValueError(
            "The 'weights' parameter of normalise_weights must be 4 finite numbers >= 0 with a "
            f"positive sum (competency, performance, potential, experience). Got {weights!r} "
            "instead."
        )
    return w / w.sum()


def _vector(values, name: str, n: int, weight: float) -> np.ndarray:
    if values is None:
        if weight > 0:
            raise ValueError(
                f"The {name!r} parameter of composite is required when its weight is positive "
                f"(weight {weight:g}). Pass the values or set the weight to 0."
            )
        return np.zeros(n)
    arr = np.asarray(values, dtype=np.float64)
    if arr.shape != (n,):
        raise ValueError(
            f"The {name!r} parameter of composite must have shape ({n},). "
            f"Got shape {arr.shape} instead."
        )
    if weight > 0 and not np.isfinite(arr).all():
        bad = np.flatnonzero(~np.isfinite(arr))
        raise ValueError(
            f"The {name!r} parameter of composite must be finite where its weight is positive; "
            f"rows {bad[:10].tolist()} are not. Resolve missing values first (e.g. a neutral "
            "value) or set the weight to 0."
        )
    return arr


def employee_merit(
    performance: ArrayLike,
    potential: ArrayLike,
    experience: ArrayLike | None = None,
    *,
    weights: Sequence[float] | np.ndarray = COMPOSITE_WEIGHTS,
) -> np.ndarray:
    """The position-independent part of the composite, one value per employee.

    Parameters
    ----------
    performance, potential : array-like of shape (n_employees,)
        On 0-100; must be finite where the weight is positive (values are ignored otherwise).
    experience : array-like of shape (n_employees,), optional
        On 0-100; required when the experience weight is positive.
    weights : sequence of 4 float, default COMPOSITE_WEIGHTS (0.6, 0.25, 0.15, 0.0)
        Competency, performance, potential and experience weights (normalised to sum to 1).

    Returns
    -------
    ndarray of shape (n_employees,), float64
        ``w_performance * performance + w_potential * potential + w_experience * experience``.

    Examples
    --------
    >>> employee_merit([80.0], [60.0], weights=(0.5, 0.25, 0.25, 0.0)).tolist()
    [35.0]
    """
    w = normalise_weights(weights)
    performance = np.asarray(performance, dtype=np.float64)
    if performance.ndim != 1:
        raise ValueError(
            "The 'performance' parameter of employee_merit must be 1-D. "
            f"Got shape {performance.shape} instead."
        )
    n = performance.shape[0]
    perf = _vector(performance, "performance", n, w[1])
    pot = _vector(potential, "potential", n, w[2])
    exp = _vector(experience, "experience", n, w[3])
    merit = np.zeros(n)
    # a zero weight must ignore NaN values, so a term is added only when it counts
    for weight, values in ((w[1], perf), (w[2], pot), (w[3], exp)):
        if weight > 0:
            merit += weight * values
    return merit


def composite(
    jpm: ArrayLike,
    performance: ArrayLike,
    potential: ArrayLike,
    experience: ArrayLike | None = None,
    *,
    weights: Sequence[float] = COMPOSITE_WEIGHTS,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Merit composite of every employee for every position, on 0-100.

    Parameters
    ----------
    jpm : array-like of shape (n_employees, n_positions)
        Job Person Match in percent (finite); values above 100 count as 100.
    performance, potential : array-like of shape (n_employees,)
        On 0-100; must be finite where their weight is positive.
    experience : array-like of shape (n_employees,), optional
        On 0-100; required when the experience weight is positive.
    weights : sequence of 4 float, default COMPOSITE_WEIGHTS (0.6, 0.25, 0.15, 0.0)
        Competency, performance, potential and experience weights; normalised to sum to 1.
    out : ndarray of shape (n_employees, n_positions), float64, optional
        Where to write the result (may be ``jpm`` itself to save memory).

    Returns
    -------
    ndarray of shape (n_employees, n_positions), float64

    Examples
    --------
    >>> composite([[90.0, 120.0]], [80.0], [60.0], weights=(0.5, 0.25, 0.25, 0)).tolist()
    [[80.0, 85.0]]
    """
    w = normalise_weights(weights)
    jpm = np.asarray(jpm, dtype=np.float64)
    if jpm.ndim != 2:
        raise ValueError(
            f"The 'jpm' parameter of composite must be a 2-D array. Got shape {jpm.shape} instead."
        )
    n = jpm.shape[0]
    merit = employee_merit(
        _vector(performance, "performance", n, w[1]),
        _vector(potential, "potential", n, w[2]),
        None if experience is None else _vector(experience, "experience", n, w[3]),
        weights=w,
    )
    if out is None:
        out = np.empty(jpm.shape, dtype=np.float64)
    elif out.shape != jpm.shape or out.dtype != np.float64:
        raise ValueError(
            f"The 'out' parameter of composite must be a float64 array of shape {jpm.shape}. "
            f"Got {out.dtype} of shape {out.shape} instead."
        )
    np.minimum(jpm, 100.0, out=out)
    out *= w[0]
    out += merit[:, None]
    return out
