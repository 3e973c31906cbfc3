"""Placement options shared by the dense and the candidate paths: seats, minimums, incumbents.

:func:`asn_match.assign` reads these options the same way whether the scores are dense
(:mod:`asn_match.placement`) or candidate pairs (:mod:`asn_match.large`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._checks import check_real, is_integral
from .errors import InvalidParameterError, Problem
from .ordinals import category_code

if TYPE_CHECKING:
    from .scoring import Scores

__all__ = ["incumbent_positions", "minimum_rules", "seat_vector"]


def seat_vector(
    scores: Scores,
    seats: Mapping[str, int] | None,
    position_index: pd.Index,
    problems: list[Problem],
    caller: str,
) -> np.ndarray:
    """Seats per position: ``positions.seats`` with the ``seats`` override applied.

    Unknown ids and bad counts are appended to ``problems``.
    """
    result = np.asarray(scores.positions.seats, dtype=np.intp).copy()
    if seats is None:
        return result
    if not isinstance(seats, Mapping):
        raise InvalidParameterError(
            "seats", caller, "None or a dict {position_id: number of seats}", seats
        )
    for position_id, count in seats.items():
        j = position_index.get_indexer(pd.Index([str(position_id)]))[0]
        whole = is_integral(count)
        if j < 0:
            problems.append(
                Problem(
                    "seats",
                    f"position_id {position_id!r} is not in the scored positions.",
                    column="position_id",
                    value=position_id,
                    code="unknown_id",
                    expected="an id of the scored positions",
                    record_id=str(position_id),
                )
            )
        elif not whole or count < 0:
            problems.append(
                Problem(
                    "seats",
                    f"the number of seats of {position_id!r} must be a whole number >= 0.",
                    column="seats",
                    value=count,
                    code="invalid_seats",
                    expected="an int >= 0 (0 closes the position)",
                    record_id=str(position_id),
                )
            )
        else:
            result[j] = int(count)
    return result


def minimum_rules(
    scores: Scores, min_score: float | None, min_category: str | int | None, caller: str
) -> tuple[float | None, int | None, str]:
    """The checked minimums: composite floor, worst category code, and a description.

    Examples
    --------
    >>> from asn_match.datasets import synthetic_workforce
    >>> from asn_match.scoring import score
    >>> s = score(*synthetic_workforce(10, 2, seed=0))
    >>> minimum_rules(s, 70, "Memenuhi Syarat", "assign")
    (70.0, 0, "composite >= 70 and category 'Memenuhi Syarat' or better")
    """
    parts: list[str] = []
    floor = None
    if min_score is not None:
        floor = float(check_real(min_score, "min_score", caller))
        parts.append(f"composite >= {floor:g}")
    worst = None
    if min_category is not None:
        labels = tuple(scores.config.category_labels)
        worst = category_code(min_category, labels)
        if worst is None:
            raise InvalidParameterError(
                "min_category",
                caller,
                f"None, a category label among {labels} (best first, any case) or its index 0-"
                f"{len(labels) - 1}",
                min_category,
            )
        parts.append(f"category {labels[worst]!r} or better")
    return floor, worst, " and ".join(parts)


def incumbent_positions(scores: Scores, position_index: pd.Index) -> np.ndarray:
    """The scored position each employee holds now (row of ``scores.positions``), -1 if none."""
    current = pd.Series(scores.employees.current_position_id, dtype=object)
    held = position_index.get_indexer(pd.Index(current.astype(str))).astype(np.intp)
    held[current.isna().to_numpy()] = -1
    return held
