"""Validated columnar tables: ids plus numpy arrays, with pandas views for people.

:class:`Employees` and :class:`Positions` hold the state every later step trusts: they are built
only by :func:`asn_match.read_employees` / :func:`asn_match.read_positions` (which validate), their
arrays are read-only, and the protected attributes of employees (gender, religion, birth date, ...)
live in a separate frame that the scoring code never receives.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar, TypeVar

import numpy as np
import pandas as pd

from ._checks import freeze_arrays
from .errors import Problem
from .framework import CompetencyFramework
from .ordinals import education_label, rank_label
from .rules import PROTECTED_ATTRIBUTES

__all__ = ["PROTECTED_ATTRIBUTES", "Employees", "Positions", "RecordTable"]

_Table = TypeVar("_Table", bound="RecordTable")


def _take_arrays(obj, idx: np.ndarray) -> dict[str, Any]:
    """The rows ``idx`` of every per-record array field of a table.

    Typed Any: the dict is passed to ``dataclasses.replace``, whose keywords mypy checks
    against every field of the table, not only the array ones.
    """
    return {
        f.name: getattr(obj, f.name)[idx]
        for f in fields(obj)
        if isinstance(getattr(obj, f.name), np.ndarray)
    }


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class RecordTable(abc.ABC):
    """What every validated table holds: one record per id, on one competency framework.

    The base of :class:`Employees` and :class:`Positions`: built only by the readers (which
    validate), with read-only arrays. Every numpy array field holds one entry (or row) per record;
    every DataFrame field one row per record; :meth:`take` selects records in all of them at once.

    Attributes
    ----------
    ids : ndarray of shape (n_records,), dtype object
        Record ids as strings (an 18-digit NIP stays exact).
    framework : CompetencyFramework
        The competencies, in the column order of the competency matrices.
    info : DataFrame
        Descriptive columns, one row per record, in id order.
    source : str
        Where the data came from.
    warnings : tuple of Problem
        Data-quality warnings found when reading.
    rows : ndarray of shape (n_records,), int, or None
        The spreadsheet row of each record as read (header = row 1), for messages that point
        back into the file; None for a table built by hand.
    """

    #: Name of the id column in the input schema and in frames.
    id_column: ClassVar[str] = "id"

    ids: np.ndarray
    framework: CompetencyFramework
    info: pd.DataFrame
    source: str = ""
    warnings: tuple[Problem, ...] = field(default=())
    rows: np.ndarray | None = None

    def __post_init__(self) -> None:
        freeze_arrays(self)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def codes(self) -> tuple[str, ...]:
        """Competency codes, in the column order of the competency matrices."""
        return self.framework.codes

    def take(self: _Table, indices) -> _Table:
        """The records at the given positional indices, in that order."""
        idx = np.asarray(indices, dtype=np.intp)
        frames = {
            name: frame.iloc[idx].reset_index(drop=True)
            for name, frame in self._record_frames().items()
        }
        return replace(self, **_take_arrays(self, idx), **frames)

    def _record_frames(self) -> dict[str, pd.DataFrame]:
        """The DataFrame fields, one row per record, by field name."""
        return {"info": self.info}

    def _leading_frame(self) -> pd.DataFrame:
        """The id column and the descriptive columns: how every ``to_frame`` starts."""
        ids = pd.DataFrame({self.id_column: self.ids})
        return pd.concat([ids, self.info.reset_index(drop=True)], axis=1)

    @abc.abstractmethod
    def _input_frame(self) -> pd.DataFrame:
        """Every column the table was read from, in the input schema, to read it again."""


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Employees(RecordTable):
    """Validated employees: what scoring and placement see, plus a separate protected frame.

    Attributes
    ----------
    ids : ndarray of shape (n_employees,), dtype object
        Employee ids as strings (an 18-digit NIP stays exact).
    framework : CompetencyFramework
        The competencies, in the column order of ``levels``.
    info : DataFrame
        Descriptive columns (name, unit, any extra column), one row per employee, in id order.
    source : str
        Where the data came from.
    warnings : tuple of Problem
        Data-quality warnings found when reading (e.g. a NIP that contradicts the birth date).
    levels : ndarray of shape (n_employees, n_competencies), float64
        Assessed levels; NaN where a competency was not assessed.
    rank, education : ndarray of shape (n_employees,), int16
        Ordinal codes (see :mod:`asn_match.ordinals`).
    performance, potential : ndarray of shape (n_employees,), float64
        On 0-100; predicates and bands are mapped to numbers when read. NaN when not given.
    training_hours : ndarray of shape (n_employees,), float64
        Competency development hours (JP) in the last year. NaN when not given.
    current_position_id : ndarray of shape (n_employees,), dtype object
        The position each employee holds now, or ``None``.
    protected : DataFrame
        Protected attributes (gender, religion, birth_date, ...), one row per employee. Scoring and
        placement never receive it; only the fairness audit does.
    """

    id_column: ClassVar[str] = "employee_id"

    source: str = "employees"
    levels: np.ndarray
    rank: np.ndarray
    education: np.ndarray
    performance: np.ndarray
    potential: np.ndarray
    training_hours: np.ndarray
    current_position_id: np.ndarray
    protected: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"<Employees: {len(self)} employees x {len(self.framework)} competencies "
            f"from {self.source}>"
        )

    def _record_frames(self) -> dict[str, pd.DataFrame]:
        return {"info": self.info, "protected": self.protected}

    def _input_frame(self) -> pd.DataFrame:
        return self.to_frame(include_protected=True)

    def to_frame(self, *, include_protected: bool = False) -> pd.DataFrame:
        """The table in the input schema (ranks and education as labels), one row per employee."""
        df = self._leading_frame()
        df["rank"] = rank_label(self.rank)
        df["education"] = education_label(self.education)
        df["performance"] = self.performance
        df["potential"] = self.potential
        df["training_hours"] = self.training_hours
        df["current_position_id"] = self.current_position_id
        if include_protected:
            df = pd.concat([df, self.protected.reset_index(drop=True)], axis=1)
        levels = pd.DataFrame(self.levels, columns=list(self.codes))
        return pd.concat([df, levels], axis=1)


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Positions(RecordTable):
    """Validated positions: job profiles (standard levels) and job expectations (weights).

    Attributes
    ----------
    ids : ndarray of shape (n_positions,), dtype object
    framework : CompetencyFramework
        The competencies, in the column order of ``standard`` and ``weights``.
    info : DataFrame
        Descriptive columns (title, unit, any extra column), one row per position.
    source : str
    warnings : tuple of Problem
    standard : ndarray of shape (n_positions, n_competencies), float64
        Standard levels of the job profile; NaN where the position does not require the
        competency.
    weights : ndarray of shape (n_positions, n_competencies), float64
        Job-expectation importance of each competency (>= 0; default 1); 0 where not required.
    seats : ndarray of shape (n_positions,), int64
        How many identical seats the position has (>= 1).
    min_rank, min_education : ndarray of shape (n_positions,), int16
        Ordinal minimums; -1 where the position sets none.
    position_class : ndarray of shape (n_positions,), dtype object
        Canonical class names (see :data:`asn_match.rules.POSITION_CLASSES`) or ``None``.
    """

    id_column: ClassVar[str] = "position_id"

    source: str = "positions"
    standard: np.ndarray
    weights: np.ndarray
    seats: np.ndarray
    min_rank: np.ndarray
    min_education: np.ndarray
    position_class: np.ndarray

    def __repr__(self) -> str:
        return (
            f"<Positions: {len(self)} positions ({int(self.seats.sum())} seats) x "
            f"{len(self.framework)} competencies from {self.source}>"
        )

    @property
    def required(self) -> np.ndarray:
        """Boolean mask of shape (n_positions, n_competencies): the competency is required."""
        return ~np.isnan(self.standard)

    def _input_frame(self) -> pd.DataFrame:
        return self.to_frame()

    def to_frame(self) -> pd.DataFrame:
        """The table in the input schema, one row per position."""
        df = self._leading_frame()
        df["class"] = self.position_class
        df["seats"] = self.seats
        df["min_rank"] = rank_label(self.min_rank)
        df["min_education"] = education_label(self.min_education)
        standard = pd.DataFrame(self.standard, columns=list(self.codes))
        weights = pd.DataFrame(self.weights, columns=[f"{c}_weight" for c in self.codes])
        return pd.concat([df, standard, weights], axis=1)
