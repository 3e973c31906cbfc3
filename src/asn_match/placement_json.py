"""A placement as a versioned JSON document, and back: the lossless round trip.

:func:`to_json` writes a :class:`~asn_match.schemas.PlacementDocument` (format
``"asn_match.placement"``, version 1): the decision table and summary a reader shows, and the
state that gives the placement back. :func:`from_json` reads it and returns a placement equal to
the one written in every table and array (reasons, shadow prices and the certificate included).

The state is small: the inputs in their input schema (protected attributes left out), the scoring
policy and the solution arrays, not the (n_employees, n_positions) score matrices. The reader
scores the inputs again (scoring is deterministic: tests/test_determinism.py) and checks a digest
of the score arrays against the one written, so a document read by a release that scores
differently is refused by name instead of yielding a placement its own scores contradict.
"""

from __future__ import annotations

import hashlib
import json
import math
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from .errors import InputError, Problem
from .io import read_employees, read_positions
from .kernels.certify import Certificate
from .kernels.seating import PlacementSolution
from .large import CandidatePlacement
from .placement import Placement, ScoreArrays, _minimum_mask
from .schemas import (
    FORMAT,
    VERSION,
    AssignOptions,
    CandidateState,
    CertificateState,
    PlacementDocument,
    PlacementInputs,
    SolutionState,
)
from .scoring import CandidateScores, DenseScores, Scores, score

__all__ = ["from_json", "placement_document", "to_json"]

_SOURCE = "<placement json>"


def package_version() -> str:
    """The installed asn_match version, as the package root gives it in ``__version__``."""
    try:
        return version("asn_match")
    except PackageNotFoundError:
        return "0+unknown"


# ----------------------------------------------------------------------------- writing


def _plain(value: object) -> object:
    """A cell as a JSON value: numpy scalars as Python ones, missing values as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame as JSON-ready dicts (categoricals as their values)."""
    columns = [str(c) for c in frame.columns]
    values = [frame.iloc[:, j].astype(object).tolist() for j in range(frame.shape[1])]
    return [
        {name: _plain(column[i]) for name, column in zip(columns, values, strict=True)}
        for i in range(len(frame))
    ]


def _ints(array: np.ndarray) -> list[int]:
    return np.asarray(array, dtype=np.int64).tolist()


def _floats(array: np.ndarray) -> list[float]:
    return np.asarray(array, dtype=np.float64).tolist()


def scores_digest(scores: Scores) -> str:
    """BLAKE2b of every score array (dense) or of every kept candidate (streamed), in hex."""
    digest = hashlib.blake2b(digest_size=16)
    if isinstance(scores, DenseScores):
        arrays = [scores.jpm, scores.composite, scores.eligible, scores.reasons]
        arrays.append(scores.category_code)
    else:
        assert isinstance(scores, CandidateScores)
        c = scores.candidates
        arrays = [c.employee_index, c.position_index, *c._columns().values()]
    for array in arrays:
        contiguous = np.ascontiguousarray(array)
        digest.update(f"{contiguous.dtype.str}{contiguous.shape}".encode())
        digest.update(contiguous.tobytes())
    return digest.hexdigest()


def _options(options: dict[str, Any]) -> AssignOptions:
    written = dict(options)
    if isinstance(written.get("tie_break_key"), bytes):
        written["tie_break_key"] = written["tie_break_key"].hex()
    return AssignOptions(**written)


def _inputs(scores: Scores) -> PlacementInputs:
    return PlacementInputs(
        framework=scores.employees.framework,
        config=scores.config,
        employees=_records(scores.employees.to_frame()),
        positions=_records(scores.positions.to_frame()),
        top_k=scores.top_k_kept if isinstance(scores, CandidateScores) else None,
        scores_digest=scores_digest(scores),
    )


def placement_document(placement: Placement | CandidatePlacement) -> PlacementDocument:
    """The :class:`~asn_match.schemas.PlacementDocument` of a placement.

    Parameters
    ----------
    placement : Placement or CandidatePlacement
        What :func:`asn_match.assign` returned.

    Returns
    -------
    PlacementDocument
        ``kind`` is ``"placement"`` (with ``solution``) or ``"candidate_placement"`` (with
        ``candidates`` and the certificate).

    Examples
    --------
    >>> from asn_match import assign, score
    >>> from asn_match.datasets import synthetic_workforce
    >>> document = placement_document(assign(score(*synthetic_workforce(12, 3, seed=1))))
    >>> document.format, document.version, document.kind, len(document.inputs.employees)
    ('asn_match.placement', 1, 'placement', 12)
    """
    common: dict[str, Any] = {
        "producer": package_version(),
        "summary": json.loads(json.dumps(placement.summary(), default=_plain)),
        "options": _options(placement.options),
        "rows": _records(placement.to_frame()),
        "inputs": _inputs(placement.scores),
    }
    if isinstance(placement, CandidatePlacement):
        cert = placement.certificate
        return PlacementDocument(
            kind="candidate_placement",
            candidates=CandidateState(
                employee_position=_ints(placement.employee_position),
                jpm=_floats(placement.jpm),
                composite=_floats(placement.composite),
                category_code=_ints(placement.category_code),
                seats=_ints(placement.seats),
                incumbent=_ints(placement.incumbent),
                shadow_prices=_floats(placement.shadow_prices),
                objective_value=float(placement.objective_value),
                certificate=CertificateState(
                    optimal=cert.optimal,
                    duality_gap=cert.duality_gap,
                    largest_violation=cert.largest_violation,
                    rounds=cert.rounds,
                    pairs_checked=cert.pairs_checked,
                    candidate_pairs=cert.candidate_pairs,
                    stopped=cert.stopped,  # type: ignore[arg-type]
                ),
            ),
            **common,
        )
    sol = placement.solution
    forbidden = None
    if placement.forbidden is not None:
        rows, cols = np.nonzero(placement.forbidden)
        forbidden = list(zip(_ints(rows), _ints(cols), strict=True))
    return PlacementDocument(
        kind="placement",
        solution=SolutionState(
            employee_position=_ints(sol.employee_position),
            employee_seat=_ints(sol.employee_seat),
            employee_locked=np.asarray(sol.employee_locked, dtype=bool).tolist(),
            seat_position=_ints(sol.seat_position),
            seat_number=_ints(sol.seat_number),
            seat_employee=_ints(sol.seat_employee),
            objective_value=float(sol.objective_value),
            method=sol.method,
            score_quantum=sol.score_quantum,
            time_limit_reached=bool(sol.time_limit_reached),
            objective_bound=sol.objective_bound,
            optimality_gap=sol.optimality_gap,
            solver_prices=None if sol.solver_prices is None else _floats(sol.solver_prices),
            incumbent=_ints(placement.incumbent),
            seats=_ints(placement.seats),
            employee_order=_ints(placement.employee_order),
            position_order=_ints(placement.position_order),
            forbidden=forbidden,
        ),
        **common,
    )


def to_json(placement: Placement | CandidatePlacement, *, indent: int | None = None) -> str:
    """The placement as a JSON document (see :func:`placement_document`).

    NaN and infinite numbers are written as the strings ``"NaN"``, ``"Infinity"`` and
    ``"-Infinity"`` (JSON has no such numbers); every other float exactly, so that
    :func:`from_json` gives back the same bits.
    """
    return placement_document(placement).model_dump_json(indent=indent)


# ----------------------------------------------------------------------------- reading


def _refuse(message: str, *, column: str | None = None, value: object = None, code: str) -> None:
    raise InputError(
        [Problem(source=_SOURCE, message=message, column=column, value=value, code=code)]
    )


def _document(text: str | bytes) -> PlacementDocument:
    """The validated document of ``text``; every problem as an :class:`InputError`."""
    try:
        raw = json.loads(text)
    except (ValueError, TypeError, RecursionError) as error:
        _refuse(f"not JSON: {error}.", code="not_json")
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        found = raw.get("format") if isinstance(raw, dict) else type(raw).__name__
        _refuse(
            f'not a placement document: expected an object with "format": {FORMAT!r}, '
            f"found {found!r}. Write it with Placement.to_json().",
            column="format",
            value=found if isinstance(found, str) else None,
            code="format",
        )
    if raw.get("version") != VERSION:
        _refuse(
            f"placement document version {raw.get('version')!r} is not one this release "
            f"reads (version {VERSION}); read it with the asn_match release that wrote it "
            f"({raw.get('producer')!r}).",
            column="version",
            value=raw.get("version"),
            code="version",
        )
    try:
        return PlacementDocument.model_validate(raw)
    except ValidationError as error:
        raise InputError(
            [
                Problem(
                    source=_SOURCE,
                    message=f"{e['msg']}.",
                    column=".".join(str(part) for part in e["loc"]) or None,
                    code=e["type"],
                )
                for e in error.errors()
            ]
        ) from None


def _rescore(doc: PlacementDocument) -> Scores:
    inputs = doc.inputs
    employees = read_employees(
        pd.DataFrame.from_records(inputs.employees), framework=inputs.framework
    )
    positions = read_positions(
        pd.DataFrame.from_records(inputs.positions), framework=inputs.framework
    )
    if inputs.top_k is None:
        scores: Scores = score(employees, positions, config=inputs.config, dense=True)
    else:
        scores = score(employees, positions, config=inputs.config, dense=False, top_k=inputs.top_k)
    if scores_digest(scores) != inputs.scores_digest:
        _refuse(
            "the inputs score differently in this release than in the one that wrote the "
            f"document ({doc.producer!r}, this is {package_version()!r}): the placement would "
            "not match its own scores. Read it with the release that wrote it, or place again.",
            column="inputs.scores_digest",
            code="scores_digest",
        )
    return scores


def _back_options(options: AssignOptions) -> dict[str, Any]:
    read = options.model_dump(exclude_unset=True)
    if isinstance(read.get("tie_break_key"), str):
        read["tie_break_key"] = bytes.fromhex(read["tie_break_key"])
    return read


def _array(values: list, dtype) -> np.ndarray:
    return np.asarray(values, dtype=dtype).reshape(-1)


def from_json(text: str | bytes) -> Placement | CandidatePlacement:
    """The placement of a document written by :func:`to_json`, equal to the one written.

    Parameters
    ----------
    text : str or bytes
        The JSON document.

    Returns
    -------
    Placement or CandidatePlacement
        By the document's ``kind``.

    Raises
    ------
    InputError
        Not JSON, not a placement document, a version this release does not read, a field of the
        wrong type, or inputs that this release scores differently (every problem named).

    Examples
    --------
    >>> from asn_match import assign, score
    >>> from asn_match.datasets import synthetic_workforce
    >>> placement = assign(score(*synthetic_workforce(12, 3, seed=1)))
    >>> again = from_json(to_json(placement))
    >>> again.to_frame().equals(placement.to_frame())
    True
    """
    doc = _document(text)
    scores = _rescore(doc)
    options = _back_options(doc.options)
    if doc.kind == "candidate_placement":
        assert doc.candidates is not None and isinstance(scores, CandidateScores)
        state = doc.candidates
        cert = state.certificate
        return CandidatePlacement(
            scores=scores,
            employee_position=_array(state.employee_position, np.intp),
            jpm=_array(state.jpm, np.float64),
            composite=_array(state.composite, np.float64),
            category_code=_array(state.category_code, np.int8),
            seats=_array(state.seats, np.intp),
            incumbent=_array(state.incumbent, np.intp),
            shadow_prices=_array(state.shadow_prices, np.float64),
            objective_value=state.objective_value,
            certificate=Certificate(**cert.model_dump()),
            options=options,
        )
    assert doc.solution is not None and isinstance(scores, DenseScores)
    sol = doc.solution
    dense = ScoreArrays.of(scores)
    n, m = scores.shape
    forbidden = None
    if sol.forbidden is not None:
        forbidden = np.zeros((n, m), dtype=bool)
        pairs = np.asarray(sol.forbidden, dtype=np.intp).reshape(-1, 2)
        forbidden[pairs[:, 0], pairs[:, 1]] = True
    meets_minimum, _ = _minimum_mask(
        scores, dense, options.get("min_score"), options.get("min_category")
    )
    allowed = dense.eligible
    if forbidden is not None:
        allowed = allowed & ~forbidden
    if meets_minimum is not None:
        allowed = allowed & meets_minimum
    solution = PlacementSolution(
        employee_position=_array(sol.employee_position, np.intp),
        employee_seat=_array(sol.employee_seat, np.intp),
        employee_locked=_array(sol.employee_locked, bool),
        seat_position=_array(sol.seat_position, np.intp),
        seat_number=_array(sol.seat_number, np.intp),
        seat_employee=_array(sol.seat_employee, np.intp),
        objective_value=sol.objective_value,
        method=sol.method,
        score_quantum=sol.score_quantum,
        time_limit_reached=sol.time_limit_reached,
        objective_bound=sol.objective_bound,
        optimality_gap=sol.optimality_gap,
        solver_prices=None if sol.solver_prices is None else _array(sol.solver_prices, np.float64),
    )
    return Placement(
        scores=scores,
        dense=dense,
        solution=solution,
        allowed=allowed,
        forbidden=forbidden,
        meets_minimum=meets_minimum,
        incumbent=_array(sol.incumbent, np.intp),
        seats=_array(sol.seats, np.intp),
        employee_order=_array(sol.employee_order, np.intp),
        position_order=_array(sol.position_order, np.intp),
        options=options,
    )
