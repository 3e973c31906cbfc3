"""Pydantic models of one employee and one position, for HR systems that speak JSON.

A record is checked on its own when it is built (types, ranges, known ranks and education levels),
and gives a JSON Schema (``EmployeeRecord.model_json_schema()``) an HR system can publish. Many
records become a validated table through :func:`asn_match.read_employees` /
:func:`asn_match.read_positions`, which accept a list of records and check the table as a whole
(duplicate ids, the level scale of the framework) in one vectorized pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from .errors import InputError, Problem
from .ordinals import (
    PERFORMANCE_PREDICATES,
    POTENTIAL_BANDS,
    education_code,
    parse_position_class,
    rank_code,
)
from .rules import PROTECTED_ATTRIBUTES

__all__ = ["EmployeeRecord", "PositionRecord", "record_rows", "records_frame"]

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Level = Annotated[float, Field(ge=0, allow_inf_nan=False)]


def _check_band(value: float | str | None, bands: Mapping[str, float], what: str):
    if isinstance(value, str):
        if value.strip().lower() not in bands:
            raise ValueError(f"unknown {what} {value!r}; expected 0-100 or one of {list(bands)}")
        return value.strip().lower()
    if value is not None and not 0 <= value <= 100:
        raise ValueError(f"{what} must be between 0 and 100; got {value}")
    return value


class EmployeeRecord(BaseModel):
    """One employee, as an HR system sends it.

    Parameters
    ----------
    employee_id : str
        E.g. an 18-digit NIP; always a string.
    name, unit : str
    rank : str
        Pangkat/golongan, e.g. ``"III/c"``.
    education : str
        ``"SD"`` .. ``"S3"``; D4 equals S1.
    performance : float or str, optional
        0-100 or an SKP predicate (``"sangat baik"`` .. ``"sangat kurang"``).
    potential : float or str, optional
        0-100 or ``"rendah"`` / ``"menengah"`` / ``"tinggi"``.
    training_hours : float, optional
        Competency development hours (JP) in the last year.
    current_position_id : str, optional
    levels : dict of {str: float}
        Assessed level per competency code.
    protected : dict of {str: str}
        Protected attributes (``gender``, ``religion``, ``birth_date``, ...): kept apart from
        scoring, used only by the fairness audit.

    Examples
    --------
    >>> record = EmployeeRecord(
    ...     employee_id="198609262015051001", name="Siti Rahayu", unit="Bappeda", rank="III/d",
    ...     education="S1", performance="baik", levels={"integritas": 4, "komunikasi": 3},
    ...     protected={"gender": "P"})
    >>> record.to_row()["integritas"], record.to_row()["gender"]
    (4.0, 'P')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    employee_id: Id
    name: str = ""
    unit: str = ""
    rank: str
    education: str
    performance: float | str | None = None
    potential: float | str | None = None
    training_hours: Annotated[float, Field(ge=0)] | None = None
    current_position_id: Id | None = None
    levels: dict[str, Level]
    protected: dict[str, str] = Field(default_factory=dict)

    @field_validator("rank")
    @classmethod
    def _rank(cls, value: str) -> str:
        rank_code(value)
        return value

    @field_validator("education")
    @classmethod
    def _education(cls, value: str) -> str:
        education_code(value)
        return value

    @field_validator("performance")
    @classmethod
    def _performance(cls, value):
        return _check_band(value, PERFORMANCE_PREDICATES, "performance")

    @field_validator("potential")
    @classmethod
    def _potential(cls, value):
        return _check_band(value, POTENTIAL_BANDS, "potential")

    @field_validator("protected")
    @classmethod
    def _protected(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(PROTECTED_ATTRIBUTES))
        if unknown:
            raise ValueError(
                f"unknown protected attributes {unknown}; expected some of {PROTECTED_ATTRIBUTES}"
            )
        return value

    def to_row(self) -> dict[str, Any]:
        """The record as one flat row of the employees input schema."""
        row = self.model_dump(exclude={"levels", "protected"})
        return {**row, **self.protected, **self.levels}


class PositionRecord(BaseModel):
    """One position: its job profile (standard levels) and job expectation (weights).

    Parameters
    ----------
    position_id : str
    title, unit : str
    position_class : str
        E.g. ``"Administrator"``, ``"JPT Pratama"``, ``"Ahli Muda"``; ``class`` in files and JSON.
    seats : int, default 1
        Identical seats (>= 1).
    min_rank, min_education : str, optional
    standard : dict of {str: float}
        Standard level per required competency code (codes absent are not required).
    weights : dict of {str: float}
        Importance per competency code (>= 0; default 1).

    Examples
    --------
    >>> record = PositionRecord.model_validate({
    ...     "position_id": "TGL-001", "title": "Kepala Bidang", "unit": "Bappeda",
    ...     "class": "Administrator", "min_rank": "III/d", "min_education": "S1",
    ...     "standard": {"integritas": 3}, "weights": {"integritas": 2}})
    >>> record.to_row()["integritas_weight"], record.to_row()["class"]
    (2.0, 'Administrator')
    """

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    position_id: Id
    title: str = ""
    unit: str = ""
    position_class: str = Field(alias="class")
    seats: Annotated[int, Field(ge=1)] = 1
    min_rank: str | None = None
    min_education: str | None = None
    standard: dict[str, Annotated[float, Field(gt=0, allow_inf_nan=False)]]
    weights: dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False)]] = Field(
        default_factory=dict
    )

    @field_validator("position_class")
    @classmethod
    def _class(cls, value: str) -> str:
        canonical = parse_position_class([value])[0]
        if canonical is None:
            raise ValueError(f"unknown position class {value!r}")
        return canonical

    @field_validator("min_rank")
    @classmethod
    def _min_rank(cls, value: str | None) -> str | None:
        if value is not None:
            rank_code(value)
        return value

    @field_validator("min_education")
    @classmethod
    def _min_education(cls, value: str | None) -> str | None:
        if value is not None:
            education_code(value)
        return value

    @field_validator("standard")
    @classmethod
    def _some_required(cls, value: dict[str, float]) -> dict[str, float]:
        if not value:
            raise ValueError("a position needs at least one required competency")
        return value

    def to_row(self) -> dict[str, Any]:
        """The record as one flat row of the positions input schema."""
        row = self.model_dump(exclude={"standard", "weights", "position_class"})
        row["class"] = self.position_class
        weights = {f"{code}_weight": w for code, w in self.weights.items()}
        return {**row, **self.standard, **weights}


def records_frame(records: Iterable[EmployeeRecord | PositionRecord | Mapping]) -> pd.DataFrame:
    """A DataFrame in the input schema from records (or plain mappings).

    All records must be of one kind: employees or positions. A mapping with the nested fields of
    a record (``levels`` or ``standard``) is validated as a record; a flat mapping is already a
    row of the input schema (``{"employee_id": ..., "integritas": 3}``) and is checked with the
    table. A competency a record does not mention is empty in its row (not assessed, or not
    required). Every invalid record is reported at once, as an
    :class:`~asn_match.errors.InputError` whose problems give the ``row`` (index + 2, as if the
    records were written to a sheet under a header: the numbering of every other source) and
    the field.

    Parameters
    ----------
    records : iterable of EmployeeRecord, PositionRecord or dict

    Returns
    -------
    DataFrame of shape (n_records, n_columns)

    Raises
    ------
    InputError
        Every field of every record that is invalid.

    Examples
    --------
    >>> frame = records_frame([
    ...     {"employee_id": "1", "rank": "III/a", "education": "S1", "levels": {"integritas": 3}},
    ...     {"employee_id": "2", "rank": "III/b", "education": "S2", "levels": {"komunikasi": 4}}])
    >>> frame[["employee_id", "integritas", "komunikasi"]].to_dict("list")
    {'employee_id': ['1', '2'], 'integritas': [3.0, nan], 'komunikasi': [nan, 4.0]}
    """
    frame, problems = record_rows(records)
    if problems:
        raise InputError(problems)
    return frame


def record_rows(records: Iterable[object]) -> tuple[pd.DataFrame, list[Problem]]:
    """The rows of :func:`records_frame` and the problems of the records, without raising.

    A record that fails its own checks still gives a row (its fields as sent), so that the
    table checks (duplicate ids, the level scale) can run on every record in the same pass.
    """
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    kinds: set[type[BaseModel]] = set()
    for i, record in enumerate(records):
        if isinstance(record, (EmployeeRecord, PositionRecord)):
            kinds.add(type(record))
            rows.append(record.to_row())
            continue
        if not isinstance(record, Mapping):
            problems.append(
                Problem(
                    "<records>",
                    f"{record!r} (of type {type(record).__name__}) is not a record; pass dicts of "
                    "the record's fields, EmployeeRecord / PositionRecord objects, a DataFrame or "
                    "a file path.",
                    row=i + 2,
                    code="not_a_record",
                    expected="a dict, an EmployeeRecord or a PositionRecord",
                )
            )
            rows.append({})
            continue
        model = PositionRecord if "position_id" in record else EmployeeRecord
        kinds.add(model)
        if "levels" not in record and "standard" not in record:
            rows.append(dict(record))  # a flat row of the input schema: checked with the table
            continue
        try:
            rows.append(model.model_validate(record).to_row())
        except ValidationError as exc:
            problems += [_problem(i, error) for error in exc.errors()]
            rows.append(_flat(record))
    if len(kinds) > 1:
        raise TypeError("records must all be employees or all be positions; got both")
    return pd.DataFrame(rows), problems


def _flat(record: Mapping) -> dict[str, Any]:
    """A record's fields as one row of the input schema, as sent (nested dicts spread out)."""
    row = {k: v for k, v in record.items() if not isinstance(v, Mapping)}
    for key in ("levels", "standard", "protected"):
        value = record.get(key)
        if isinstance(value, Mapping):
            row.update(value)
    weights = record.get("weights")
    if isinstance(weights, Mapping):
        row.update({f"{code}_weight": w for code, w in weights.items()})
    return row


def _problem(index: int, error: Mapping[str, Any]) -> Problem:
    """A pydantic error of record ``index`` as a Problem (row = index + 2, as in a sheet)."""
    location = [str(part) for part in error["loc"]]
    value = error.get("input")
    return Problem(
        source="<records>",
        message=f"{error['msg']}.",
        row=index + 2,
        column=".".join(location) or None,
        value=value if isinstance(value, (str, int, float, bool)) else None,
        code=error["type"],
    )
