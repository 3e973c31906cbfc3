"""Indeks Profesionalitas ASN (IP ASN): professionalism of each civil servant on 0-100.

PermenPANRB 38/2018 and Peraturan BKN 8/2019 measure four dimensions, each scored here on 0-100
and combined as a weighted mean:

- **qualification** (weight 25): education. ``"requirement"`` (the default) scores it against
  the education the employee's current position requires: 100 when met, otherwise the ladder
  score of the education over that of the requirement. ``"ladder"`` scores the education
  alone on the ladder of the BKN instrument (S3 25, S2 20, S1/D4 15, D3 10, D1/D2 5, SMA and
  below 1 of 25 points, here x4). Rows without a known requirement use the ladder.
- **competency** (weight 40): competency development taken, against the right of at least
  20 JP a year (PP 11/2017 art. 203(4)): 100 from 20 JP on, proportional below (or 0 below with
  ``partial_credit=False``), from the ``training_hours`` column.
- **performance** (weight 30): the ``performance`` column (0-100; SKP predicates were mapped to
  numbers when read).
- **discipline** (weight 5): disciplinary penalties of the year, from an optional employees
  descriptive column (``info_discipline`` in the input file: "tidak ada", "ringan",
  "sedang", "berat" or a number 0-100; an empty cell is no penalty). Without the column every
  employee counts as having no penalty.

The qualification and competency weights are confirmed; **the performance and discipline
weights, the discipline scores and the education ladder are unconfirmed** (docs/DOMAIN.md) and
are policy: :class:`ProfessionalismPolicy`. Categories: Sangat Tinggi 91-100, Tinggi 81-90,
Sedang 71-80, Rendah 61-70, Sangat Rendah up to 60; an index between two bounds (80.5) takes
the category above the bound it passes (Tinggi).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..errors import InputError, InvalidParameterError, Problem
from ..ordinals import parse_education
from ..rules import EDUCATION_LEVELS, RANK_DECIMALS
from ..tables import Employees, Positions
from ..validation._cells import _scores
from ._common import (
    EmployeesLike,
    PositionsLike,
    as_employees,
    as_positions,
    check_policy,
    info_column,
    units,
)

__all__ = [
    "PROFESSIONALISM_CATEGORIES",
    "ProfessionalismPolicy",
    "professionalism_by_unit",
    "professionalism_index",
]

#: IP ASN categories, best first (PermenPANRB 38/2018).
PROFESSIONALISM_CATEGORIES: tuple[str, ...] = (
    "Sangat Tinggi",
    "Tinggi",
    "Sedang",
    "Rendah",
    "Sangat Rendah",
)

#: The four dimensions, in the order of the result's columns.
DIMENSIONS: tuple[str, ...] = ("qualification", "competency", "performance", "discipline")

# BKN instrument: S3 25, S2 20, S1/D4 15, D3 10, D1/D2 5, SMA and below 1 (of 25), on 0-100.
_EDUCATION_SCORES: dict[str, float] = {
    "SD": 4.0, "SMP": 4.0, "SMA": 4.0, "D1": 20.0, "D2": 20.0, "D3": 40.0,
    "S1": 60.0, "S2": 80.0, "S3": 100.0,
}  # fmt: skip

# No penalty 5, light 3, medium 2, heavy 1 (of 5), on 0-100.
_DISCIPLINE_SCORES: dict[str, float] = {
    "tidak ada": 100.0, "none": 100.0, "ringan": 60.0, "sedang": 40.0, "berat": 20.0,
}  # fmt: skip


class ProfessionalismPolicy(BaseModel):
    """Weights, scores and categories of the professionalism index.

    Parameters
    ----------
    weights : dict of str to float
        Default: qualification 25, competency 40, performance 30, discipline 5. A dict naming
        some dimensions changes those and keeps the others. The index is the weighted mean of
        the dimensions, so only the ratios count.
        Qualification 25 and competency 40 are the regulation's; **performance 30 and
        discipline 5 are unconfirmed** (docs/DOMAIN.md).
    qualification : {"requirement", "ladder"}, default="requirement"
        Score education against the current position's minimum education, or on the ladder
        alone (module docstring).
    education_scores : dict of str to float
        0-100 score of each education level (keys of :data:`asn_match.rules.EDUCATION_LEVELS`);
        default the BKN instrument's points x4 (unconfirmed).
    required_jp : float, default=20
        Lesson hours (JP) a year that give the full competency score (PP 11/2017 art. 203(4)).
    partial_credit : bool, default=True
        Below ``required_jp``, score hours / required_jp x 100; False scores 0.
    discipline_column : str, default="discipline"
        Descriptive employees column of the year's disciplinary penalty (``info_discipline``
        in the input; the ``info_`` prefix may be left out): a label of
        ``discipline_scores`` or a number 0-100.
    discipline_scores : dict of str to float
        Score of each penalty label (lower case); default "tidak ada"/"none" 100, "ringan" 60,
        "sedang" 40, "berat" 20 (unconfirmed). A dict naming some labels changes or adds
        those and keeps the others.
    category_bounds : (float, float, float, float), default=(60, 70, 80, 90)
        The highest index of Sangat Rendah, Rendah, Sedang and Tinggi: an index above 90 is
        Sangat Tinggi, above 80 Tinggi, above 70 Sedang, above 60 Rendah.

    Examples
    --------
    >>> policy = ProfessionalismPolicy(weights={"discipline": 0})
    >>> policy.weights["competency"], policy.weights["discipline"]
    (40.0, 0.0)
    >>> ProfessionalismPolicy.model_validate_json(policy.model_dump_json()) == policy
    True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    weights: dict[str, float] = Field(
        default_factory=lambda: {
            "qualification": 25.0,
            "competency": 40.0,
            "performance": 30.0,
            "discipline": 5.0,
        }  # fmt: skip
    )
    qualification: Literal["requirement", "ladder"] = "requirement"
    education_scores: dict[str, float] = Field(default_factory=lambda: dict(_EDUCATION_SCORES))
    required_jp: float = Field(default=20.0, gt=0, allow_inf_nan=False)
    partial_credit: bool = True
    discipline_column: str = "discipline"
    discipline_scores: dict[str, float] = Field(default_factory=lambda: dict(_DISCIPLINE_SCORES))
    category_bounds: tuple[float, float, float, float] = (60.0, 70.0, 80.0, 90.0)

    @field_validator("weights", mode="before")
    @classmethod
    def _fill_weights(cls, weights: object) -> object:
        # a partial dict changes the dimensions it names; the others keep their defaults
        if isinstance(weights, Mapping):
            unknown = sorted(set(map(str, weights)) - set(DIMENSIONS))
            if unknown:
                raise ValueError(
                    "The 'weights' parameter of ProfessionalismPolicy must name dimensions "
                    f"among {', '.join(DIMENSIONS)}. Got {unknown!r} instead."
                )
            base = {"qualification": 25.0, "competency": 40.0, "performance": 30.0,
                    "discipline": 5.0}  # fmt: skip
            return {**base, **{str(k): v for k, v in weights.items()}}
        return weights

    @field_validator("weights")
    @classmethod
    def _check_weights(cls, weights: dict[str, float]) -> dict[str, float]:
        values = np.array([weights[d] for d in DIMENSIONS], dtype=np.float64)
        if not (np.isfinite(values).all() and (values >= 0).all() and values.sum() > 0):
            raise ValueError(
                "The 'weights' parameter of ProfessionalismPolicy must hold finite weights >= 0 "
                f"with a positive sum. Got {weights!r} instead."
            )
        return {d: float(weights[d]) for d in DIMENSIONS}

    @field_validator("education_scores")
    @classmethod
    def _check_education(cls, scores: dict[str, float]) -> dict[str, float]:
        codes = parse_education(list(scores))
        bad = [k for k, c in zip(scores, codes, strict=True) if c < 0]
        out_of_range = [k for k, v in scores.items() if not 0 <= v <= 100]
        if bad or out_of_range:
            raise ValueError(
                "The 'education_scores' parameter of ProfessionalismPolicy must map education "
                f"levels ({', '.join(EDUCATION_LEVELS)}) to scores in [0, 100]. Got "
                f"{sorted(bad + out_of_range)!r} instead."
            )
        merged = dict(_EDUCATION_SCORES)
        for key, code in zip(scores, codes, strict=True):
            merged[EDUCATION_LEVELS[int(code)]] = float(scores[key])
        return merged

    @field_validator("discipline_scores")
    @classmethod
    def _check_discipline(cls, scores: dict[str, float]) -> dict[str, float]:
        if any(not 0 <= v <= 100 for v in scores.values()):
            raise ValueError(
                "The 'discipline_scores' parameter of ProfessionalismPolicy must hold scores in "
                f"[0, 100]. Got {scores!r} instead."
            )
        # a partial dict changes the labels it names; the others keep their defaults
        given = {" ".join(k.lower().split()): float(v) for k, v in scores.items()}
        return {**_DISCIPLINE_SCORES, **given}

    @model_validator(mode="after")
    def _check_bounds(self) -> ProfessionalismPolicy:
        b = self.category_bounds
        if not all(0 <= x <= 100 for x in b) or list(b) != sorted(set(b)):
            raise ValueError(
                "The 'category_bounds' parameter of ProfessionalismPolicy must be four strictly "
                f"increasing numbers in [0, 100]. Got {b!r} instead."
            )
        return self

    def category(self, index) -> np.ndarray:
        """Category labels of index values (None where NaN), shape of ``index``.

        The index is compared at :data:`~asn_match.rules.RANK_DECIMALS` decimals, so a weighted
        mean that is 80 in exact arithmetic is 80, not 80.00000000000001.

        Examples
        --------
        >>> ProfessionalismPolicy().category([91, 90, 80.5, 61, 60]).tolist()
        ['Sangat Tinggi', 'Tinggi', 'Tinggi', 'Rendah', 'Sangat Rendah']
        """
        values = np.round(np.asarray(index, dtype=np.float64), RANK_DECIMALS)
        passed = np.searchsorted(np.asarray(self.category_bounds), values, side="left")
        labels = np.array((*PROFESSIONALISM_CATEGORIES[::-1], None), dtype=object)
        return labels[np.where(np.isnan(values), len(PROFESSIONALISM_CATEGORIES), passed)]


def _ladder(policy: ProfessionalismPolicy, education: np.ndarray) -> np.ndarray:
    table = np.array([policy.education_scores[level] for level in EDUCATION_LEVELS] + [np.nan])
    return table[np.where(education >= 0, education, len(EDUCATION_LEVELS))]


def _qualification(
    table: Employees, positions: Positions | None, policy: ProfessionalismPolicy
) -> tuple[np.ndarray, np.ndarray]:
    """Qualification scores and the basis of each ("requirement" or "ladder")."""
    education = np.asarray(table.education, dtype=np.int64)
    ladder = _ladder(policy, education)
    basis = np.full(len(table), "ladder", dtype=object)
    if policy.qualification == "ladder" or positions is None:
        return ladder, basis
    where = pd.Index(positions.ids).get_indexer(
        pd.Index(pd.Series(table.current_position_id, dtype=object).astype(str))
    )
    held = (where >= 0) & pd.notna(np.asarray(table.current_position_id, dtype=object))
    required = np.full(len(table), -1, dtype=np.int64)
    required[held] = np.asarray(positions.min_education, dtype=np.int64)[where[held]]
    known = required >= 0
    needed = _ladder(policy, required)
    with np.errstate(divide="ignore", invalid="ignore"):
        short = np.where(needed > 0, 100.0 * ladder / needed, 0.0)
    score = np.where(education >= required, 100.0, np.minimum(short, 100.0))
    basis[known] = "requirement"
    return np.where(known, score, ladder), basis


def _competency(table: Employees, policy: ProfessionalismPolicy) -> np.ndarray:
    hours = np.asarray(table.training_hours, dtype=np.float64)
    met = hours >= policy.required_jp
    partial = 100.0 * hours / policy.required_jp if policy.partial_credit else 0.0
    return np.where(np.isnan(hours), np.nan, np.where(met, 100.0, partial))


def _discipline(table: Employees, policy: ProfessionalismPolicy, caller: str) -> np.ndarray:
    column = policy.discipline_column
    column, cells = info_column(table, column)
    if cells is None:
        return np.full(len(table), 100.0)
    values, bad = _scores(cells, policy.discipline_scores, decimal_comma=False)
    bad = bad | (values < 0) | (values > 100)
    if bad.any():
        labels = ", ".join(policy.discipline_scores)
        raise InputError(
            Problem(
                table.source,
                f"{column} {cells.iloc[i]!r} is not a penalty label nor a number from 0 to 100; "
                f"use one of {labels}, or leave it empty for no penalty.",
                column=column,
                value=cells.iloc[i],
                expected=f"one of {labels} or a number 0-100",
                code=f"invalid_{column}",
                record_id=str(table.ids[i]),
            )
            for i in np.flatnonzero(bad)
        )
    # an empty cell is the usual record of no penalty
    return np.where(np.isnan(values), 100.0, values)


def professionalism_index(
    employees: EmployeesLike,
    positions: PositionsLike | None = None,
    *,
    policy: ProfessionalismPolicy | dict | None = None,
) -> pd.DataFrame:
    """The professionalism index (IP ASN) of every employee, with its four dimensions.

    Parameters
    ----------
    employees : Employees, DataFrame or path
        Uses ``education``, ``training_hours``, ``performance``, ``current_position_id`` and
        the optional discipline column (``policy.discipline_column``).
    positions : Positions, DataFrame or path, optional
        The positions, for the education each current position requires; without them the
        qualification is scored on the ladder.
    policy : ProfessionalismPolicy or dict, optional
        Weights, scores and categories; default ``ProfessionalismPolicy()``: weights
        qualification 25, competency 40, performance 30, discipline 5 (**the last two
        unconfirmed**, module docstring).

    Returns
    -------
    DataFrame
        One row per employee in table order: ``employee_id``, ``unit``, ``qualification``,
        ``competency``, ``performance``, ``discipline`` (each 0-100), ``index`` (their weighted
        mean, 0-100), ``category`` (an ordered Categorical of
        :data:`PROFESSIONALISM_CATEGORIES`, best first), ``qualification_basis``
        ("requirement" or "ladder") and ``missing`` (the dimensions without data, for which
        ``index`` and ``category`` are empty; "" otherwise). A dimension of weight 0 is
        never missing.

    Raises
    ------
    InputError
        A discipline cell that is neither a penalty label nor a number 0-100, each named by
        employee id and column.

    Examples
    --------
    >>> import asn_match as am
    >>> employees, positions = am.datasets.synthetic_workforce(30, 5, seed=2)
    >>> ip = professionalism_index(employees, positions)
    >>> ip.columns[:6].tolist()
    ['employee_id', 'unit', 'qualification', 'competency', 'performance', 'discipline']
    >>> ip.columns[6:8].tolist()
    ['index', 'category']
    >>> bool(ip["index"].dropna().between(0, 100).all())
    True
    """
    caller = "professionalism_index"
    policy = check_policy(policy, ProfessionalismPolicy, caller)
    table = as_employees(employees, "employees", caller)
    position_table = None if positions is None else as_positions(positions, "positions", caller)
    qualification, basis = _qualification(table, position_table, policy)
    dims = {
        "qualification": qualification,
        "competency": _competency(table, policy),
        "performance": np.array(table.performance, dtype=np.float64),
        "discipline": _discipline(table, policy, caller),
    }
    weights = policy.weights
    counted = [d for d in DIMENSIONS if weights[d] > 0]
    total = sum(weights[d] for d in counted)
    index = sum(weights[d] * np.nan_to_num(dims[d]) for d in counted) / total
    lacking = np.column_stack([np.isnan(dims[d]) for d in counted])
    # the text of every combination of missing dimensions, indexed by its bit mask
    texts = np.array(
        [", ".join(d for b, d in enumerate(counted) if mask >> b & 1) for mask in
         range(2 ** len(counted))],
        dtype=object,
    )  # fmt: skip
    missing = texts[lacking.astype(np.int64) @ (1 << np.arange(len(counted)))]
    index = np.where(lacking.any(axis=1), np.nan, index)
    frame = pd.DataFrame(
        {"employee_id": np.asarray(table.ids, dtype=object), "unit": units(table), **dims}
    )
    frame["index"] = index
    frame["category"] = pd.Categorical(
        policy.category(index), categories=list(PROFESSIONALISM_CATEGORIES), ordered=True
    )
    frame["qualification_basis"] = basis
    frame["missing"] = missing
    return frame


def professionalism_by_unit(index_frame: pd.DataFrame) -> pd.DataFrame:
    """The professionalism index per unit: mean index and employees per category.

    Parameters
    ----------
    index_frame : DataFrame
        The result of :func:`professionalism_index`.

    Returns
    -------
    DataFrame
        Index: unit (sorted). Columns: ``employees``, ``mean_index`` (over the employees with
        an index; NaN if none), one int64 count per category of
        :data:`PROFESSIONALISM_CATEGORIES` (best first), and ``no_index`` (employees with a
        missing dimension).

    Examples
    --------
    >>> import asn_match as am
    >>> employees, positions = am.datasets.synthetic_workforce(30, 5, seed=2)
    >>> by_unit = professionalism_by_unit(professionalism_index(employees, positions))
    >>> int(by_unit["employees"].sum())
    30
    >>> by_unit.columns[2:].tolist()
    ['Sangat Tinggi', 'Tinggi', 'Sedang', 'Rendah', 'Sangat Rendah', 'no_index']
    """
    caller = "professionalism_by_unit"
    needed = {"unit", "index", "category"}
    if not isinstance(index_frame, pd.DataFrame) or not needed <= set(index_frame.columns):
        raise InvalidParameterError(
            "index_frame", caller, "the DataFrame of professionalism_index", type(index_frame)
        )
    unit = index_frame["unit"].astype(object).where(index_frame["unit"].notna(), "(no unit)")
    frame = pd.DataFrame(
        {
            "unit": unit.to_numpy(dtype=object),
            "index": index_frame["index"].to_numpy(dtype=np.float64),
            "category": pd.Categorical(
                index_frame["category"], categories=list(PROFESSIONALISM_CATEGORIES)
            ),
        }
    )
    grouped = frame.groupby("unit", sort=True)
    result = pd.DataFrame(
        {"employees": grouped.size().astype(np.int64), "mean_index": grouped["index"].mean()}
    )
    counts = (
        frame.groupby(["unit", "category"], observed=False).size().unstack(fill_value=0)
        if len(frame)
        else pd.DataFrame(columns=list(PROFESSIONALISM_CATEGORIES))
    )
    counts = counts.reindex(index=result.index, columns=list(PROFESSIONALISM_CATEGORIES))
    result = pd.concat([result, counts.fillna(0).astype(np.int64)], axis=1)
    result["no_index"] = grouped["index"].apply(lambda s: int(s.isna().sum())).astype(np.int64)
    result.columns.name = None
    return result
