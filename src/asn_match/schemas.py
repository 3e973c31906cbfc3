"""The contract with HR systems: JSON Schemas of what goes in, what decides, and what comes out.

An HR system that embeds asn_match exchanges JSON with it: employee and position records in
(:class:`~asn_match.records.EmployeeRecord`, :class:`~asn_match.records.PositionRecord`), a
scoring policy and placement options that decide (:class:`~asn_match.config.ScoringConfig`,
:class:`AssignOptions`), and a placement out (:class:`PlacementDocument`, written by
``Placement.to_json()`` and read back by ``Placement.from_json``). :func:`schemas` gives the JSON
Schema of each, generated from these pydantic models, so that the schemas an integrator publishes
can never drift from the code.

The result format is versioned: every document says ``"format": "asn_match.placement"`` and
``"version": 1``. A reader refuses a document of another format or of a version it does not know,
by name, rather than guessing. Fields are added within a version only where a reader of the
version may ignore them; anything else raises the version.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_serializer,
    model_validator,
)

from .config import ScoringConfig
from .framework import CompetencyFramework
from .records import EmployeeRecord, PositionRecord

__all__ = [
    "FORMAT",
    "VERSION",
    "AssignOptions",
    "CertificateState",
    "CandidateState",
    "PlacementDocument",
    "PlacementInputs",
    "PlacementRow",
    "SolutionState",
    "schemas",
]

#: The ``format`` of every placement document.
FORMAT: Final = "asn_match.placement"
#: The version of the placement document this package writes (and the only one it reads).
VERSION: Final = 1

#: A cell of an input-schema row: text, a number, a flag, or empty.
Cell = str | float | int | bool | None
#: A number that may be NaN or infinite. JSON has no such numbers: they are written as the
#: strings "NaN", "Infinity" and "-Infinity" (``ser_json_inf_nan="strings"``), and the schema
#: says so.
Real = Annotated[
    float,
    WithJsonSchema({"anyOf": [{"type": "number"}, {"enum": ["NaN", "Infinity", "-Infinity"]}]}),
]
_FLOATS = ConfigDict(ser_json_inf_nan="strings", frozen=True)


class AssignOptions(BaseModel):
    """The options of :func:`asn_match.assign` as a placement records them.

    Keys a placement did not record are absent. ``tie_break_key`` is the BLAKE2b key of the
    neutral tie order in hexadecimal (``bytes.hex()``).

    Examples
    --------
    >>> AssignOptions(objective="total", prefer_stay=True).objective
    'total'
    """

    model_config = ConfigDict(ser_json_inf_nan="strings", frozen=True, extra="allow")

    objective: Literal["total", "fill_first", "bottleneck"] | None = None
    min_score: int | Real | None = None
    min_category: str | None = None
    minimum: str | None = Field(None, description="The minimum in words, as reasons cite it.")
    incumbent_bonus: Real | None = None
    max_moves: int | None = None
    prefer_stay: bool | None = None
    time_limit: int | Real | None = None
    method: str | None = None
    locked: int | None = Field(None, description="How many pairs were locked.")
    forbidden: int | None = Field(None, description="How many pairs were forbidden.")
    tie_break_key: str | None = Field(None, description="The tie-break key, hexadecimal.")
    score_quantum: Real | None = None
    max_rounds: int | None = None

    @model_serializer(mode="wrap")
    def _recorded_only(self, handler):
        # The keys the placement recorded, no others: a reader gets back the same options.
        return {key: value for key, value in handler(self).items() if key in self.model_fields_set}


class PlacementRow(BaseModel):
    """One row of the decision table (``Placement.to_frame()``): an employee or an unfilled seat.

    The columns named here are in every placement; the others of ``to_frame`` (``seat``,
    ``option_rank``, ``reason``, ...) come along as further keys.
    """

    model_config = ConfigDict(ser_json_inf_nan="strings", frozen=True, extra="allow")

    employee_id: str | None = Field(description="None on the row of an unfilled seat.")
    position_id: str | None = Field(description="None when the employee is not placed.")
    jpm: Real | None
    category: str | None
    composite: Real | None
    status: Literal["placed", "unplaced", "unfilled"]


class PlacementInputs(BaseModel):
    """What was scored: the tables in their input schema and the policy that scored them.

    Protected attributes (gender, religion, birth date, ...) are not written: a placement never
    depended on them, and a document that travels between systems should not carry them.
    """

    model_config = _FLOATS

    framework: CompetencyFramework
    config: ScoringConfig
    employees: list[dict[str, Cell]] = Field(
        description="One row per employee in the input schema, protected columns left out."
    )
    positions: list[dict[str, Cell]] = Field(
        description="One row per position in the positions input schema."
    )
    top_k: int | None = Field(None, description="The top_k of streamed scores; None when dense.")
    scores_digest: str = Field(
        description="BLAKE2b of the score arrays: the reader checks it scores alike."
    )


class SolutionState(BaseModel):
    """A placement of dense scores as arrays (see ``asn_match.kernels.seating.PlacementSolution``).

    Indices are rows of the employees and positions of ``inputs``, 0-based; -1 means none.
    """

    model_config = _FLOATS

    employee_position: list[int]
    employee_seat: list[int]
    employee_locked: list[bool]
    seat_position: list[int]
    seat_number: list[int]
    seat_employee: list[int]
    objective_value: Real
    method: str
    score_quantum: Real | None
    time_limit_reached: bool
    objective_bound: Real | None
    optimality_gap: Real | None
    solver_prices: list[Real] | None
    incumbent: list[int]
    seats: list[int]
    employee_order: list[int]
    position_order: list[int]
    forbidden: list[tuple[int, int]] | None = Field(
        description="(employee, position) index pairs the caller forbade; None when none were."
    )


class CertificateState(BaseModel):
    """The certificate of optimality of a placement of streamed scores."""

    model_config = _FLOATS

    optimal: bool
    duality_gap: Real
    largest_violation: Real
    rounds: int
    pairs_checked: int
    candidate_pairs: int
    stopped: Literal["rounds", "time"] | None = None


class CandidateState(BaseModel):
    """A placement of streamed scores as arrays, one entry per employee or position."""

    model_config = _FLOATS

    employee_position: list[int]
    jpm: list[Real]
    composite: list[Real]
    category_code: list[int]
    seats: list[int]
    incumbent: list[int]
    shadow_prices: list[Real]
    objective_value: Real
    certificate: CertificateState


class PlacementDocument(BaseModel):
    """A placement as JSON, version 1: the decision table, its headline figures, and its state.

    ``rows`` and ``summary`` are what a reader shows; ``inputs`` with ``solution`` (a placement of
    dense scores) or ``candidates`` (of streamed scores, with the certificate) let
    ``Placement.from_json`` give back the same placement, equal in every table and array.

    Examples
    --------
    >>> PlacementDocument.model_json_schema()["properties"]["format"]["const"]
    'asn_match.placement'
    """

    model_config = _FLOATS

    format: Literal["asn_match.placement"] = FORMAT
    version: Literal[1] = VERSION
    kind: Literal["placement", "candidate_placement"]
    producer: str = Field(description="The asn_match version that wrote the document.")
    summary: dict[str, Any]
    options: AssignOptions
    rows: list[PlacementRow]
    inputs: PlacementInputs
    solution: SolutionState | None = None
    candidates: CandidateState | None = None

    @model_validator(mode="after")
    def _state_of_kind(self) -> PlacementDocument:
        if self.kind == "placement" and self.solution is None:
            raise ValueError("a document of kind 'placement' needs 'solution'")
        if self.kind == "candidate_placement" and self.candidates is None:
            raise ValueError("a document of kind 'candidate_placement' needs 'candidates'")
        return self


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of the input records, the configuration and the placement result.

    Generated from the pydantic models the library validates with, so they always match the
    code. Publish them to the systems that send records or read placements.

    Returns
    -------
    dict of {str: dict}
        ``"employee_record"`` (:class:`~asn_match.records.EmployeeRecord`),
        ``"position_record"`` (:class:`~asn_match.records.PositionRecord`),
        ``"scoring_config"`` (:class:`~asn_match.config.ScoringConfig`), ``"assign_options"``
        (:class:`AssignOptions`) and ``"placement"`` (:class:`PlacementDocument`, the versioned
        result format of ``Placement.to_json()``), each a JSON Schema (draft 2020-12) as a dict.

    Examples
    --------
    >>> import asn_match as am
    >>> found = am.schemas()
    >>> sorted(found)
    ['assign_options', 'employee_record', 'placement', 'position_record', 'scoring_config']
    >>> found["placement"]["properties"]["version"]["const"]
    1
    >>> "employee_id" in found["employee_record"]["required"]
    True
    """
    return {
        "employee_record": EmployeeRecord.model_json_schema(),
        "position_record": PositionRecord.model_json_schema(),
        "scoring_config": ScoringConfig.model_json_schema(),
        "assign_options": AssignOptions.model_json_schema(),
        "placement": PlacementDocument.model_json_schema(),
    }
