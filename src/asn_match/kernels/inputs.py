"""Checks of the arrays the placement kernels take, and of locked pairs: one place each.

:func:`check_placement_arrays` checks ``values``, ``allowed`` and ``seats``;
:func:`lock_problems` is the one check of locked pairs, used by
:func:`~asn_match.kernels.seating.solve_placement` and :func:`asn_match.assign` alike (an
employee locked twice is an :class:`~asn_match.errors.InputError` naming the ids wherever it is
found).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ..errors import InvalidParameterError, Problem
from ..tiebreak import canonical_order

__all__ = [
    "canonical_orders",
    "check_index_vector",
    "check_placement_arrays",
    "lock_pairs",
    "lock_problems",
]


def check_placement_arrays(
    values: npt.ArrayLike, allowed: npt.ArrayLike, seats: npt.ArrayLike, caller: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``values`` as float64, ``allowed`` and ``seats`` as intp, checked against each other."""
    values = np.asarray(values)
    if values.ndim != 2 or values.dtype.kind not in "iuf":
        raise InvalidParameterError(
            "values",
            caller,
            "a real matrix of shape (n_employees, n_positions)",
            f"an array of dtype {values.dtype} and shape {values.shape}",
        )
    n, m = values.shape
    allowed = np.asarray(allowed)
    if allowed.dtype != np.bool_ or allowed.shape != (n, m):
        raise InvalidParameterError(
            "allowed",
            caller,
            f"a boolean array of shape {(n, m)}",
            f"an array of dtype {allowed.dtype} and shape {allowed.shape}",
        )
    seats = np.asarray(seats)
    if seats.shape != (m,) or seats.dtype.kind not in "iu" or (seats < 0).any():
        raise InvalidParameterError(
            "seats",
            caller,
            f"an array of {m} non-negative integers (one per position)",
            seats.tolist() if seats.size <= 10 else f"an array of shape {seats.shape}",
        )
    values = values.astype(np.float64, copy=False)
    bad = allowed & ~np.isfinite(values)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise ValueError(
            f"The 'values' parameter of {caller} must be finite on allowed pairs. Got "
            f"{values[i, j]!r} at employee {i}, position {j}. Mark the pair as not allowed "
            "instead of giving it a non-finite score."
        )
    return values, allowed, seats.astype(np.intp)


def check_index_vector(
    array: npt.ArrayLike | None, name: str, n: int, upper: int, caller: str
) -> np.ndarray:
    """An int vector of shape (n,) with values in [-1, upper); all -1 for None."""
    if array is None:
        return np.full(n, -1, dtype=np.intp)
    array = np.asarray(array)
    if (
        array.shape != (n,)
        or array.dtype.kind not in "iu"
        or (array.size and (array.min() < -1 or array.max() >= upper))
    ):
        raise InvalidParameterError(
            name,
            caller,
            f"None or an int array of shape ({n},) with values in [-1, {upper})",
            f"an array of dtype {array.dtype} and shape {array.shape}",
        )
    return array.astype(np.intp)


def _id_strings(ids: npt.ArrayLike) -> np.ndarray:
    """Ids as an object array of Python strings (problems carry plain str)."""
    return np.array([str(x) for x in np.asarray(ids, dtype=object).tolist()], dtype=object)


def lock_problems(
    lock_rows: np.ndarray,
    lock_cols: np.ndarray,
    seats: np.ndarray,
    *,
    allowed: np.ndarray | None = None,
    employee_ids: Sequence | np.ndarray | None = None,
    position_ids: Sequence | np.ndarray | None = None,
) -> list[Problem]:
    """Every mistake in a set of locked pairs, as problems naming the ids: the one lock check.

    A lock must be allowed, an employee may be locked once, and a position may not get more
    locks than seats. :func:`asn_match.assign` adds its own words on why a lock is not allowed
    (ineligible, forbidden, below the minimum) and passes ``allowed=None``.

    Parameters
    ----------
    lock_rows, lock_cols : ndarray of int of shape (n_locked,)
        The (employee, position) index of each lock.
    seats : ndarray of int of shape (n_positions,)
    allowed : ndarray of bool of shape (n_employees, n_positions), optional
        Check that every lock is allowed.
    employee_ids, position_ids : array-like, optional
        Ids for the messages; indices are named without them.

    Returns
    -------
    list of Problem
        Empty when the locks are valid. Codes ``"duplicate_lock"``, ``"locked_not_allowed"``,
        ``"locks_exceed_seats"``.

    Examples
    --------
    >>> found = lock_problems(np.array([0, 0]), np.array([0, 1]), np.array([1, 1]),
    ...                       employee_ids=["e1"], position_ids=["p1", "p2"])
    >>> [p.code for p in found], found[0].record_id
    (['duplicate_lock'], 'e1')
    """
    e_ids = _id_strings(
        np.arange(int(lock_rows.max(initial=-1)) + 1) if employee_ids is None else employee_ids
    )
    p_ids = _id_strings(np.arange(seats.size) if position_ids is None else position_ids)
    found: list[Problem] = []
    uniq, counts = np.unique(lock_rows, return_counts=True)
    for i in uniq[counts > 1].tolist():
        where = p_ids[lock_cols[lock_rows == i]].tolist()
        found.append(
            Problem(
                "locked",
                f"employee {e_ids[i]} is locked to {len(where)} positions {where}; an "
                "employee holds one seat. Keep one lock per employee.",
                column="employee_id",
                value=e_ids[i],
                code="duplicate_lock",
                record_id=e_ids[i],
            )
        )
    if allowed is not None:
        for i, j in zip(lock_rows.tolist(), lock_cols.tolist(), strict=True):
            if not allowed[i, j]:
                found.append(
                    Problem(
                        "locked",
                        f"the locked pair ({e_ids[i]}, {p_ids[j]}) is not allowed (ineligible, "
                        "forbidden or below the minimum). Remove the lock or relax the rule.",
                        value=f"{e_ids[i]} -> {p_ids[j]}",
                        code="locked_not_allowed",
                        record_id=e_ids[i],
                    )
                )
    per_position = np.bincount(lock_cols, minlength=seats.size)
    for j in np.flatnonzero(per_position > seats).tolist():
        who = e_ids[lock_rows[lock_cols == j]].tolist()
        found.append(
            Problem(
                "locked",
                f"position {p_ids[j]} has {seats[j]} seat(s) but {per_position[j]} locked "
                f"employees {who}. Remove locks or add seats.",
                column="position_id",
                value=p_ids[j],
                code="locks_exceed_seats",
                record_id=p_ids[j],
            )
        )
    return found


def lock_pairs(
    locked: npt.ArrayLike | None, shape: tuple[int, int], caller: str
) -> tuple[np.ndarray, np.ndarray]:
    """Locked (employee, position) index pairs as two arrays, checked for range."""
    n, m = shape
    if locked is None:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    locked = np.asarray(locked)
    if locked.size == 0:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    if locked.ndim != 2 or locked.shape[1] != 2 or locked.dtype.kind not in "iu":
        raise InvalidParameterError(
            "locked",
            caller,
            "None or an int array of shape (n_locked, 2) of (employee, position) indices",
            f"an array of shape {locked.shape}",
        )
    rows, cols = locked[:, 0].astype(np.intp), locked[:, 1].astype(np.intp)
    if rows.min() < 0 or rows.max() >= n or cols.min() < 0 or cols.max() >= m:
        raise InvalidParameterError(
            "locked",
            caller,
            f"pairs with employee in [0, {n}) and position in [0, {m})",
            locked.tolist(),
        )
    return rows, cols


def canonical_orders(
    n: int,
    m: int,
    employee_ids: npt.ArrayLike | None,
    position_ids: npt.ArrayLike | None,
    key: bytes,
    caller: str,
) -> tuple[np.ndarray, np.ndarray]:
    """The canonical orders of employees and positions; input order without ids."""
    for ids, size, name in ((employee_ids, n, "employee_ids"), (position_ids, m, "position_ids")):
        if ids is not None and (count := np.asarray(ids, dtype=object).size) != size:
            raise InvalidParameterError(
                name, caller, f"None or an array of {size} ids", f"{count} ids"
            )
    employee_order = (
        np.arange(n, dtype=np.intp)
        if employee_ids is None
        else canonical_order(employee_ids, key=key)
    )
    position_order = (
        np.arange(m, dtype=np.intp)
        if position_ids is None
        else canonical_order(position_ids, key=key)
    )
    return employee_order, position_order
