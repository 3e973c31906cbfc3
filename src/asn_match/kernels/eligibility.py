"""Eligibility of every employee for every position, with the reasons a pair is ruled out.

A pair is eligible when no rule rules it out. Each rule that fails sets one bit of a ``uint16``
reason mask, so an analyst can read why ("rank III/b below minimum III/d") and an HR system can
filter by code. The bits (:class:`EligibilityReason`; :data:`REASONS` maps each to its code):

=====  ===========================  ===========================================================
bit    code                         meaning
=====  ===========================  ===========================================================
1      ``rank_below_minimum``       the employee's rank is below the position's ``min_rank``
2      ``education_below_minimum``  the employee's education is below ``min_education``
4      ``class_requires_education`` the position's class sets a higher minimum education
                                    (e.g. JPT Pratama needs at least S1/D4)
8      ``class_requires_rank``      the position's class sets a higher minimum rank
16     ``job_family_mismatch``      the employee belongs to none of the required job families
32     ``certification_missing``    the employee lacks a certification the position requires
=====  ===========================  ===========================================================

An unknown rank or education (code ``-1``) is below every minimum; a minimum of ``-1`` means the
position sets none. Everything here is pure numpy on arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntFlag
from typing import cast

import numpy as np
from numpy.typing import ArrayLike

from ..rules import EDUCATION_LEVELS, RANKS

__all__ = [
    "REASONS",
    "REASON_CERTIFICATION",
    "REASON_CLASS_EDUCATION",
    "REASON_CLASS_RANK",
    "REASON_EDUCATION",
    "REASON_JOB_FAMILY",
    "REASON_RANK",
    "EligibilityReason",
    "EmployeeQualifications",
    "PositionRequirements",
    "describe_reasons",
    "eligibility",
    "pair_eligibility",
]


class EligibilityReason(IntFlag):
    """The bits of the reason mask: why a pair is not eligible (module docstring)."""

    RANK = 1
    EDUCATION = 2
    CLASS_EDUCATION = 4
    CLASS_RANK = 8
    JOB_FAMILY = 16
    CERTIFICATION = 32


REASON_RANK = EligibilityReason.RANK
REASON_EDUCATION = EligibilityReason.EDUCATION
REASON_CLASS_EDUCATION = EligibilityReason.CLASS_EDUCATION
REASON_CLASS_RANK = EligibilityReason.CLASS_RANK
REASON_JOB_FAMILY = EligibilityReason.JOB_FAMILY
REASON_CERTIFICATION = EligibilityReason.CERTIFICATION

#: Reason bit -> machine-readable code, the one table of codes.
REASONS: dict[EligibilityReason, str] = {
    REASON_RANK: "rank_below_minimum",
    REASON_EDUCATION: "education_below_minimum",
    REASON_CLASS_EDUCATION: "class_requires_education",
    REASON_CLASS_RANK: "class_requires_rank",
    REASON_JOB_FAMILY: "job_family_mismatch",
    REASON_CERTIFICATION: "certification_missing",
}


def _codes(values, name: str, length: int | None = None) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(
            f"The {name!r} parameter must be a 1-D array of integer codes. "
            f"Got an array of shape {arr.shape} and dtype {arr.dtype} instead."
        )
    if length is not None and len(arr) != length:
        raise ValueError(
            f"The {name!r} parameter must have length {length}. Got length {len(arr)} instead."
        )
    return arr.astype(np.int16, copy=False)


def _tokens(values, name: str, rows: int, names: Sequence[str]) -> np.ndarray | None:
    if values is None:
        return None
    arr = np.asarray(values)
    if arr.dtype != np.bool_ or arr.ndim != 2 or arr.shape != (rows, len(names)):
        raise ValueError(
            f"The {name!r} parameter must be a boolean array of shape ({rows}, {len(names)}). "
            f"Got an array of shape {arr.shape} and dtype {arr.dtype} instead."
        )
    return arr


@dataclass(frozen=True, eq=False)
class EmployeeQualifications:
    """What each employee brings to the eligibility rules.

    Parameters
    ----------
    rank : ndarray of shape (n_employees,), integer
        Rank codes (0 = I/a .. 16 = IV/e); -1 when unknown.
    education : ndarray of shape (n_employees,), integer
        Education codes (0 = SD .. 8 = S3, D4 = S1 = 6); -1 when unknown.
    families : ndarray of shape (n_employees, n_families), bool, optional
        ``families[i, f]``: employee ``i`` belongs to job family ``f`` (same column order as
        :attr:`PositionRequirements.families`).
    certifications : ndarray of shape (n_employees, n_certifications), bool, optional
        ``certifications[i, c]``: employee ``i`` holds certification ``c``.

    Examples
    --------
    >>> q = EmployeeQualifications(rank=np.array([9, 12]), education=np.array([5, 6]))
    >>> len(q)
    2
    """

    rank: np.ndarray
    education: np.ndarray
    families: np.ndarray | None = None
    certifications: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.rank)

    def rows(self, index) -> EmployeeQualifications:
        """The qualifications of a subset of employees (a slice or an index array)."""
        return EmployeeQualifications(
            rank=self.rank[index],
            education=self.education[index],
            families=None if self.families is None else self.families[index],
            certifications=None if self.certifications is None else self.certifications[index],
        )


@dataclass(frozen=True, eq=False)
class PositionRequirements:
    """What each position requires.

    Parameters
    ----------
    min_rank, min_education : ndarray of shape (n_positions,), integer
        The position's own minimums; -1 where it sets none.
    class_min_rank, class_min_education : ndarray of shape (n_positions,), integer, optional
        Minimums that the position's class imposes (e.g. 6 = S1/D4 for JPT Pratama); -1 where
        the class sets none. Default: none.
    position_class : ndarray of shape (n_positions,), dtype object, optional
        Class names, used only to word the reasons.
    families : ndarray of shape (n_positions, n_families), bool, optional
        ``families[j, f]``: position ``j`` accepts job family ``f``. A position with no ``True``
        accepts every family; otherwise the employee must belong to at least one accepted family.
    certifications : ndarray of shape (n_positions, n_certifications), bool, optional
        ``certifications[j, c]``: position ``j`` requires certification ``c`` (all of them).
    family_names, certification_names : sequence of str
        Names of the family and certification columns, for the reasons.

    Examples
    --------
    >>> req = PositionRequirements(min_rank=np.array([11, -1]), min_education=np.array([6, 5]))
    >>> len(req)
    2
    """

    min_rank: np.ndarray
    min_education: np.ndarray
    class_min_rank: np.ndarray | None = None
    class_min_education: np.ndarray | None = None
    position_class: np.ndarray | None = None
    families: np.ndarray | None = None
    certifications: np.ndarray | None = None
    family_names: tuple[str, ...] = field(default=())
    certification_names: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.min_rank)


def _check(employees: EmployeeQualifications, positions: PositionRequirements):
    n, m = len(employees.rank), len(positions.min_rank)
    e_rank = _codes(employees.rank, "rank")
    e_edu = _codes(employees.education, "education", n)
    p_rank = _codes(positions.min_rank, "min_rank")
    p_edu = _codes(positions.min_education, "min_education", m)
    minus = np.full(m, -1, dtype=np.int16)
    c_rank = (
        minus
        if positions.class_min_rank is None
        else _codes(positions.class_min_rank, "class_min_rank", m)
    )
    c_edu = (
        minus
        if positions.class_min_education is None
        else _codes(positions.class_min_education, "class_min_education", m)
    )
    e_fam = _tokens(employees.families, "families", n, positions.family_names)
    p_fam = _tokens(positions.families, "families", m, positions.family_names)
    e_cert = _tokens(employees.certifications, "certifications", n, positions.certification_names)
    p_cert = _tokens(positions.certifications, "certifications", m, positions.certification_names)
    if (e_fam is None) != (p_fam is None) or (e_cert is None) != (p_cert is None):
        raise ValueError(
            "Job families and certifications must be given for both employees and positions, "
            "or for neither."
        )
    return e_rank, e_edu, p_rank, p_edu, c_rank, c_edu, e_fam, p_fam, e_cert, p_cert


def _set_bit(reasons: np.ndarray, failed: np.ndarray, bit: int) -> None:
    # failed is bool (n, m); multiplying by a uint16 scalar keeps the temporary at 2 bytes a pair
    reasons |= failed * np.uint16(bit)


def eligibility(
    employees: EmployeeQualifications, positions: PositionRequirements
) -> tuple[np.ndarray, np.ndarray]:
    """Eligibility of every employee for every position, with reason bits.

    Parameters
    ----------
    employees : EmployeeQualifications
        ``n_employees`` rows.
    positions : PositionRequirements
        ``n_positions`` rows.

    Returns
    -------
    eligible : ndarray of shape (n_employees, n_positions), bool
        True where no rule rules the pair out.
    reasons : ndarray of shape (n_employees, n_positions), uint16
        Bitwise OR of the failed rules (see :data:`REASONS`); 0 exactly where eligible.

    Examples
    --------
    >>> emp = EmployeeQualifications(rank=np.array([9, 11]), education=np.array([5, 6]))
    >>> pos = PositionRequirements(
    ...     min_rank=np.array([11, -1]), min_education=np.array([-1, -1]),
    ...     class_min_education=np.array([-1, 6]))
    >>> eligible, reasons = eligibility(emp, pos)
    >>> eligible.tolist()
    [[False, False], [True, True]]
    >>> reasons.tolist()
    [[1, 4], [0, 0]]
    """
    e_rank, e_edu, p_rank, p_edu, c_rank, c_edu, e_fam, p_fam, e_cert, p_cert = _check(
        employees, positions
    )
    n, m = len(e_rank), len(p_rank)
    reasons = np.zeros((n, m), dtype=np.uint16)
    _set_bit(reasons, e_rank[:, None] < p_rank[None, :], REASON_RANK)
    _set_bit(reasons, e_edu[:, None] < p_edu[None, :], REASON_EDUCATION)
    if (c_edu >= 0).any():
        _set_bit(reasons, e_edu[:, None] < c_edu[None, :], REASON_CLASS_EDUCATION)
    if (c_rank >= 0).any():
        _set_bit(reasons, e_rank[:, None] < c_rank[None, :], REASON_CLASS_RANK)
    if p_fam is not None and p_fam.shape[1] and p_fam.any():
        # overlap counts by a float32 product: exact for fewer than 2**24 families
        overlap = e_fam.astype(np.float32) @ p_fam.T.astype(np.float32)
        restricted = p_fam.any(axis=1)
        _set_bit(reasons, (overlap < 0.5) & restricted[None, :], REASON_JOB_FAMILY)
    if p_cert is not None and p_cert.shape[1] and p_cert.any():
        missing = (~e_cert).astype(np.float32) @ p_cert.T.astype(np.float32)
        _set_bit(reasons, missing > 0.5, REASON_CERTIFICATION)
    return reasons == 0, reasons


def pair_eligibility(
    employees: EmployeeQualifications,
    positions: PositionRequirements,
    employee_index: ArrayLike,
    position_index: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """Eligibility of chosen pairs only, without building the full matrix.

    The result equals ``eligibility(employees, positions)`` at ``[employee_index,
    position_index]``.

    Parameters
    ----------
    employees : EmployeeQualifications
    positions : PositionRequirements
    employee_index, position_index : array-like of shape (n_pairs,), int
        Row of each pair in ``employees`` and ``positions``.

    Returns
    -------
    eligible : ndarray of shape (n_pairs,), bool
    reasons : ndarray of shape (n_pairs,), uint16

    Examples
    --------
    >>> emp = EmployeeQualifications(rank=np.array([9, 11]), education=np.array([5, 6]))
    >>> pos = PositionRequirements(min_rank=np.array([11, -1]), min_education=np.array([-1, 6]))
    >>> pair_eligibility(emp, pos, [0, 1, 0], [0, 0, 1])[1].tolist()
    [1, 0, 2]
    """
    e_rank, e_edu, p_rank, p_edu, c_rank, c_edu, e_fam, p_fam, e_cert, p_cert = _check(
        employees, positions
    )
    rows = np.asarray(employee_index, dtype=np.intp).ravel()
    cols = np.asarray(position_index, dtype=np.intp).ravel()
    if rows.shape != cols.shape:
        raise ValueError(
            "The 'employee_index' and 'position_index' parameters of pair_eligibility must have "
            f"one length. Got {rows.shape} and {cols.shape} instead."
        )
    reasons = np.zeros(len(rows), dtype=np.uint16)
    _set_bit(reasons, e_rank[rows] < p_rank[cols], REASON_RANK)
    _set_bit(reasons, e_edu[rows] < p_edu[cols], REASON_EDUCATION)
    _set_bit(reasons, e_edu[rows] < c_edu[cols], REASON_CLASS_EDUCATION)
    _set_bit(reasons, e_rank[rows] < c_rank[cols], REASON_CLASS_RANK)
    if p_fam is not None:
        wanted = p_fam[cols]
        _set_bit(
            reasons, wanted.any(axis=1) & ~(wanted & e_fam[rows]).any(axis=1), REASON_JOB_FAMILY
        )
    if p_cert is not None:
        _set_bit(reasons, (p_cert[cols] & ~e_cert[rows]).any(axis=1), REASON_CERTIFICATION)
    return reasons == 0, reasons


def _rank_text(code: int) -> str:
    return RANKS[code] if 0 <= code < len(RANKS) else "unknown"


def _education_text(code: int, *, with_d4: bool = False) -> str:
    if not 0 <= code < len(EDUCATION_LEVELS):
        return "unknown"
    label = EDUCATION_LEVELS[code]
    return "S1/D4" if with_d4 and label == "S1" else label


def describe_reasons(
    reasons: ArrayLike,
    employee_index: ArrayLike,
    position_index: ArrayLike,
    employees: EmployeeQualifications,
    positions: PositionRequirements,
) -> list[list[str]]:
    """Readable reasons for a list of pairs.

    Parameters
    ----------
    reasons : array-like of shape (n_pairs,), uint16
        Reason masks of the pairs, as returned by :func:`eligibility`.
    employee_index, position_index : array-like of shape (n_pairs,), int
        Row of each pair in ``employees`` and ``positions``.
    employees : EmployeeQualifications
    positions : PositionRequirements

    Returns
    -------
    list of list of str
        One list per pair, in bit order; empty for an eligible pair.

    Examples
    --------
    >>> emp = EmployeeQualifications(rank=np.array([9]), education=np.array([5]))
    >>> pos = PositionRequirements(
    ...     min_rank=np.array([11]), min_education=np.array([6]),
    ...     class_min_education=np.array([6]), position_class=np.array(["JPT Pratama"], object))
    >>> _, reasons = eligibility(emp, pos)
    >>> for text in describe_reasons(reasons[0], [0], [0], emp, pos)[0]:
    ...     print(text)
    rank III/b below minimum III/d
    education D3 below minimum S1
    JPT Pratama requires at least S1/D4
    """
    reasons = np.atleast_1d(np.asarray(reasons)).astype(np.int64)
    rows = np.atleast_1d(np.asarray(employee_index, dtype=np.intp))
    cols = np.atleast_1d(np.asarray(position_index, dtype=np.intp))
    if not (reasons.shape == rows.shape == cols.shape) or reasons.ndim != 1:
        raise ValueError(
            "The 'reasons', 'employee_index' and 'position_index' parameters of describe_reasons "
            f"must be 1-D of one length. Got shapes {reasons.shape}, {rows.shape} and "
            f"{cols.shape} instead."
        )
    n_pos = len(positions)
    minus = np.full(n_pos, -1, dtype=np.int16)
    c_rank = minus if positions.class_min_rank is None else np.asarray(positions.class_min_rank)
    c_edu = (
        minus if positions.class_min_education is None
        else np.asarray(positions.class_min_education)
    )  # fmt: skip
    out: list[list[str]] = []
    for bits, i, j in zip(reasons.tolist(), rows.tolist(), cols.tolist(), strict=True):
        texts: list[str] = []
        if bits:
            klass = None if positions.position_class is None else positions.position_class[j]
            klass = klass or "the position's class"
            if bits & REASON_RANK:
                texts.append(
                    f"rank {_rank_text(int(employees.rank[i]))} below minimum "
                    f"{_rank_text(int(positions.min_rank[j]))}"
                )
            if bits & REASON_EDUCATION:
                texts.append(
                    f"education {_education_text(int(employees.education[i]))} below minimum "
                    f"{_education_text(int(positions.min_education[j]))}"
                )
            if bits & REASON_CLASS_EDUCATION:
                texts.append(
                    f"{klass} requires at least {_education_text(int(c_edu[j]), with_d4=True)}"
                )
            if bits & REASON_CLASS_RANK:
                texts.append(f"{klass} requires at least rank {_rank_text(int(c_rank[j]))}")
            # eligibility sets the next two bits only where both tables give the arrays
            if bits & REASON_JOB_FAMILY:
                names = positions.family_names
                families = cast(np.ndarray, positions.families)
                wanted = [names[f] for f in np.flatnonzero(families[j])]
                texts.append(f"job family {' or '.join(wanted)} required")
            if bits & REASON_CERTIFICATION:
                names = positions.certification_names
                required = cast(np.ndarray, positions.certifications)
                held = cast(np.ndarray, employees.certifications)
                lacking = np.flatnonzero(required[j] & ~held[i])
                texts.append(f"certification {', '.join(names[c] for c in lacking)} missing")
        out.append(texts)
    return out
