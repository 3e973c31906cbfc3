"""What the talent modules share: reading employees, checking policies, unit labels."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel

from .. import io
from ..errors import InvalidParameterError
from ..rules import INFO_PREFIX
from ..tables import Employees, Positions

_Policy = TypeVar("_Policy", bound=BaseModel)

#: What the talent functions accept as employees: the validated table, or input to read.
EmployeesLike = Employees | pd.DataFrame | str | os.PathLike[str]
#: What they accept as positions.
PositionsLike = Positions | pd.DataFrame | str | os.PathLike[str]


def _as_table(value: object, kind: type, other: type, read, name: str, caller: str):
    """``value`` as a validated ``kind`` table: the table itself, or a DataFrame or path read."""
    if isinstance(value, kind):
        return value
    expected = f"{kind.__name__}, a DataFrame or a path"
    if isinstance(value, other):
        raise InvalidParameterError(
            name, caller, expected, other.__name__, fix="Check the order of the arguments."
        )
    if not isinstance(value, (pd.DataFrame, str, os.PathLike, list)):
        raise InvalidParameterError(name, caller, expected, type(value).__name__)
    return read(value)


def as_employees(value: object, name: str, caller: str) -> Employees:
    """``value`` as validated employees: the table itself, or a DataFrame or path read."""
    return _as_table(value, Employees, Positions, io.read_employees, name, caller)


def as_positions(value: object, name: str, caller: str) -> Positions:
    """``value`` as validated positions: the table itself, or a DataFrame or path read."""
    return _as_table(value, Positions, Employees, io.read_positions, name, caller)


def check_policy(policy: object, kind: type[_Policy], caller: str) -> _Policy:
    """``policy`` as a ``kind``: None gives the default, a dict is validated."""
    if policy is None:
        return kind()
    if isinstance(policy, Mapping):
        return kind.model_validate(dict(policy))
    if not isinstance(policy, kind):
        raise InvalidParameterError(
            "policy", caller, f"None, a {kind.__name__} or a dict", type(policy).__name__
        )
    return policy


def info_column(employees: Employees, name: str) -> tuple[str, pd.Series | None]:
    """A descriptive column of employees and its name, found with or without ``info_``."""
    for candidate in (name, f"{INFO_PREFIX}{name}"):
        if candidate in employees.info.columns:
            return candidate, employees.info[candidate].reset_index(drop=True)
    return name, None


def units(employees: Employees) -> np.ndarray:
    """The unit of each employee (``None`` where the table has no unit), shape (n_employees,)."""
    if "unit" in employees.info.columns:
        return employees.info["unit"].to_numpy(dtype=object)
    return np.full(len(employees), None, dtype=object)
