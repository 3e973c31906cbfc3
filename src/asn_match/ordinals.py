"""Ordinal scales of the civil service: rank, education, position class, SKP and potential.

Each scale maps the spellings found in real exports to one integer code, vectorized over a column.
Unknown spellings map to ``-1`` so the caller can report every bad row at once.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .rules import EDUCATION_LEVELS, PLACEMENT_CATEGORIES, POSITION_CLASSES, RANKS

__all__ = [
    "EDUCATION_LEVELS",
    "PERFORMANCE_PREDICATES",
    "POSITION_CLASSES",
    "POTENTIAL_BANDS",
    "RANKS",
    "category_code",
    "education_code",
    "education_label",
    "parse_education",
    "parse_position_class",
    "parse_rank",
    "rank_code",
    "rank_label",
]

_EDUCATION_ALIASES: dict[str, str] = {
    "SD": "SD", "MI": "SD",
    "SMP": "SMP", "SLTP": "SMP", "MTS": "SMP",
    "SMA": "SMA", "SMU": "SMA", "SMK": "SMA", "SLTA": "SMA", "MA": "SMA",
    "D1": "D1", "DI": "D1",
    "D2": "D2", "DII": "D2",
    "D3": "D3", "DIII": "D3",
    "S1": "S1", "D4": "S1", "DIV": "S1", "D4S1": "S1", "S1D4": "S1",
    "S2": "S2", "S3": "S3",
}  # fmt: skip

#: SKP performance predicates (PermenPANRB 6/2022) and the 0-100 score each maps to (a documented
#: policy default: the middle of the band each predicate covers on the earlier numeric SKP scale).
PERFORMANCE_PREDICATES: dict[str, float] = {
    "sangat baik": 95.0,
    "baik": 83.0,
    "butuh perbaikan": 68.0,
    "kurang": 55.0,
    "sangat kurang": 30.0,
}

#: Potential bands and the 0-100 score each maps to (middle of the 60/80 bands of the 9-box).
POTENTIAL_BANDS: dict[str, float] = {"rendah": 30.0, "menengah": 70.0, "tinggi": 90.0}


def _norm(values: pd.Series | np.ndarray | list) -> pd.Series:
    """Upper-case strings with spaces, dots, dashes and slashes removed; NaN stays NaN."""
    s = pd.Series(values, dtype="object")
    return s.where(s.isna(), s.astype(str).str.upper().str.replace(r"[\s.\-/_]", "", regex=True))


def parse_rank(values) -> np.ndarray:
    """Rank codes (0 = I/a .. 16 = IV/e) of a column; unknown or missing spellings give -1.

    Accepts ``"III/c"``, ``"III c"``, ``"IIIc"``, ``"iii/c"``, ``"III-C"``.

    Parameters
    ----------
    values : array-like of shape (n,)

    Returns
    -------
    ndarray of shape (n,), dtype int16

    Examples
    --------
    >>> parse_rank(["III/c", "iv a", "X/z"]).tolist()
    [10, 12, -1]
    """
    lookup = {re.sub(r"/", "", r).upper(): i for i, r in enumerate(RANKS)}
    return _norm(values).map(lookup).fillna(-1).to_numpy(dtype=np.int16)


def parse_education(values) -> np.ndarray:
    """Education codes (0 = SD .. 8 = S3; D4 and S1 are both 6); unknown or missing give -1.

    Examples
    --------
    >>> parse_education(["S1", "D-IV", "SLTA", "S2", "PhD"]).tolist()
    [6, 6, 2, 7, -1]
    """
    lookup = {alias: EDUCATION_LEVELS.index(level) for alias, level in _EDUCATION_ALIASES.items()}
    return _norm(values).map(lookup).fillna(-1).to_numpy(dtype=np.int16)


def parse_position_class(values) -> np.ndarray:
    """Canonical position class names (see POSITION_CLASSES); unknown or missing give ``None``.

    Examples
    --------
    >>> parse_position_class(["administrator", "JPT pratama", "eselon"]).tolist()
    ['Administrator', 'JPT Pratama', None]
    """
    lookup = {c.upper().replace(" ", ""): c for c in POSITION_CLASSES}
    mapped = _norm(values).map(lookup)
    return mapped.astype(object).where(mapped.notna(), None).to_numpy(dtype=object)


def rank_code(label: str) -> int:
    """The code of one rank label; raises ValueError naming the valid ranks if unknown."""
    code = int(parse_rank([label])[0])
    if code < 0:
        raise ValueError(f"unknown rank {label!r}; expected one of {', '.join(RANKS)}")
    return code


def education_code(label: str) -> int:
    """The code of one education label; raises ValueError naming the valid levels if unknown."""
    code = int(parse_education([label])[0])
    if code < 0:
        raise ValueError(
            f"unknown education {label!r}; expected one of {', '.join(EDUCATION_LEVELS)} (D4 = S1)"
        )
    return code


def category_code(value: object, labels: tuple[str, ...] = PLACEMENT_CATEGORIES) -> int | None:
    """The code of a JPM category (0 = best) spelled as a label or its index; None if unknown.

    The one parser of a category minimum, for ``assign(min_category=...)`` and
    ``asn-match match --min-category``: a label in any case and spacing, an int index, or the
    index as text (what a command line passes).

    Parameters
    ----------
    value : object
        E.g. ``"Memenuhi Syarat"``, ``"masih  memenuhi syarat"``, ``0`` or ``"2"``.
    labels : tuple of str, default PLACEMENT_CATEGORIES
        The category labels, best first (a ScoringConfig's ``category_labels``).

    Returns
    -------
    int or None

    Examples
    --------
    >>> category_code("masih memenuhi syarat"), category_code(0), category_code("2")
    (1, 0, 2)
    >>> category_code("Baik") is None, category_code(3) is None, category_code(True) is None
    (True, True, True)
    """
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, str):
        key = " ".join(value.split()).casefold()
        if key.isdigit():
            value = int(key)
        else:
            by_key = {label.casefold(): code for code, label in enumerate(labels)}
            return by_key.get(key)
    if isinstance(value, (int, np.integer)) and 0 <= value < len(labels):
        return int(value)
    return None


def rank_label(codes) -> np.ndarray:
    """Rank labels of codes; -1 gives ``None``."""
    table = np.array((*RANKS, None), dtype=object)
    return table[np.asarray(codes, dtype=np.int64)]


def education_label(codes) -> np.ndarray:
    """Education labels of codes (code 6 reads ``"S1"``, which equals D4); -1 gives ``None``."""
    table = np.array((*EDUCATION_LEVELS, None), dtype=object)
    return table[np.asarray(codes, dtype=np.int64)]
