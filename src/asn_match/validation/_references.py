"""Checks where two validated tables meet: references from employees to positions."""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from ..errors import Problem
from ..tables import Employees, Positions

# Closest position ids are looked up for this many distinct unknown ids at most: past that the
# file is most likely paired with the wrong positions file, which the message says anyway.
_MAX_SUGGESTED = 200


def unknown_current_positions(employees: Employees, positions: Positions) -> list[Problem]:
    """Warnings for employees whose ``current_position_id`` matches no position.

    Such an employee does not count as the incumbent of any position (no stay bonus, no move
    counted), which changes the placement without a word unless the analyst is told. Each
    warning names the employee's row and id and the closest position ids (difflib).

    Parameters
    ----------
    employees : Employees
    positions : Positions

    Returns
    -------
    list of Problem
        One per employee with an unknown current position, in employee order (code
        ``"unknown_current_position"``); empty when every reference resolves.

    Examples
    --------
    >>> import pandas as pd
    >>> from asn_match.validation import build_employees, build_positions
    >>> employees = build_employees(pd.DataFrame({
    ...     "employee_id": ["E1", "E2"], "name": ["Ani", "Budi"], "unit": ["Bappeda"] * 2,
    ...     "rank": ["III/c", "III/d"], "education": ["S1", "S1"],
    ...     "current_position_id": ["KABID-01", "KABID-1"], "integritas": [3, 4]}))
    >>> positions = build_positions(pd.DataFrame({
    ...     "position_id": ["KABID-01", "KABID-02"], "title": ["Kepala Bidang"] * 2,
    ...     "unit": ["Bappeda"] * 2, "class": ["Administrator"] * 2, "seats": [1, 1],
    ...     "min_rank": ["III/c"] * 2, "min_education": ["S1"] * 2, "integritas": [3, 3]}))
    >>> [(p.row, p.record_id, p.value) for p in unknown_current_positions(employees, positions)]
    [(3, 'E2', 'KABID-1')]
    """
    current = employees.current_position_id
    present = ~pd.isna(current)
    if not present.any():
        return []
    known = np.asarray(positions.ids, dtype=object)
    unknown = present & ~pd.Series(current, dtype=object).isin(known).to_numpy()
    if not unknown.any():
        return []
    distinct = pd.unique(pd.Series(current[unknown], dtype=object).astype(str))
    choices = [str(p) for p in known]
    closest = {
        value: difflib.get_close_matches(value, choices, n=3, cutoff=0.6)
        for value in distinct[:_MAX_SUGGESTED]
    }
    n_unknown, n_present = int(unknown.sum()), int(present.sum())
    share = (
        f" {n_unknown} of {n_present} current positions match nothing: is this the positions "
        "file of the same agency and date?"
        if n_unknown > n_present // 2
        else ""
    )
    table = "the positions table" if positions.source.startswith("<") else positions.source
    problems = []
    for i in np.flatnonzero(unknown):
        value = str(current[i])
        near = closest.get(value)
        hint = (
            f" Closest position ids: {', '.join(repr(p) for p in near)}."
            if near
            else " No position id is close to it."
            if near is not None
            else ""
        )
        problems.append(
            Problem(
                employees.source,
                f"current_position_id {value!r} matches no position_id of {table}, so "
                "this employee counts as the incumbent of no position (no stay bonus, no move "
                f"counted).{hint} Correct the id, or leave the cell empty if the person holds "
                f"none of these positions.{share}",
                row=None if employees.rows is None else int(employees.rows[i]),
                column="current_position_id",
                value=value,
                expected="a position_id of the positions table, or empty",
                code="unknown_current_position",
                record_id=str(employees.ids[i]),
            )
        )
    return problems
