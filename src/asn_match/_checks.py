"""Checks of function options: one place, one message form, one error class.

Every public function checks its keyword options up front with these helpers and raises
:class:`~asn_match.errors.InvalidParameterError` (a ``ValueError`` and a ``TypeError``) with the
message "The {name!r} parameter of {caller} must be {constraint}. Got {value!r} instead.".
Checks of *data* (tables, files, records) are not here: they report
:class:`~asn_match.errors.Problem` lists through :mod:`asn_match.validation`.

A leaf module: it imports only numpy and :mod:`asn_match.errors`, so kernels may use it.

Examples
--------
>>> check_int(3, "k", "recommend", minimum=1)
3
>>> check_choice("total", "objective", "assign", ("total", "bottleneck"))
'total'
>>> try:
...     check_bool("yes", "prefer_stay", "assign")
... except InvalidParameterError as error:
...     print(error)
The 'prefer_stay' parameter of assign must be a bool (True or False). Got 'yes' instead.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import fields
from typing import Any, TypeVar

import numpy as np

from .errors import InvalidParameterError

__all__ = [
    "InvalidParameterError",
    "check_bool",
    "check_choice",
    "check_int",
    "check_real",
    "freeze_arrays",
    "is_integral",
    "is_real",
]

# The checked value has the type of the choices, e.g. an Objective literal.
_Choice = TypeVar("_Choice", bound=str)


def is_integral(value: object) -> bool:
    """True for an integer of any kind (numpy's too), False for a bool.

    A function rather than an inline isinstance: given an ``int`` annotation, mypy takes
    ``isinstance(value, numbers.Integral)`` to be impossible and skips the code after it.
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def is_real(value: object) -> bool:
    """True for a real number of any kind (numpy's too), False for a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def check_bool(value: object, name: str, caller: str) -> bool:
    """``value`` as a bool; a Python or numpy bool, nothing else (no 0/1, no strings)."""
    if not isinstance(value, (bool, np.bool_)):
        raise InvalidParameterError(name, caller, "a bool (True or False)", value)
    return bool(value)


def check_int(
    value: object,
    name: str,
    caller: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    allow_none: bool = False,
) -> Any:
    """``value`` as an int within ``[minimum, maximum]`` (or None when ``allow_none``)."""
    if value is None and allow_none:
        return None
    number = int(value) if is_integral(value) else None  # type: ignore[call-overload]
    if number is None or (
        (minimum is not None and number < minimum) or (maximum is not None and number > maximum)
    ):
        raise InvalidParameterError(
            name, caller, _range("an int", minimum, maximum, allow_none), value
        )
    return number


def check_real(
    value: object,
    name: str,
    caller: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    allow_none: bool = False,
) -> Any:
    """``value`` as a finite float within ``[minimum, maximum]`` (or None when ``allow_none``)."""
    if value is None and allow_none:
        return None
    ok = is_real(value) and math.isfinite(float(value))  # type: ignore[arg-type]
    if ok:
        number = float(value)  # type: ignore[arg-type]
        ok = (minimum is None or number >= minimum) and (maximum is None or number <= maximum)
    if not ok:
        raise InvalidParameterError(
            name, caller, _range("a finite number", minimum, maximum, allow_none), value
        )
    return number


def check_choice(value: object, name: str, caller: str, choices: Iterable[_Choice]) -> _Choice:
    """``value`` if it is one of the string ``choices``."""
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        options = "{" + ", ".join(repr(c) for c in choices) + "}"
        raise InvalidParameterError(name, caller, f"a str among {options}", value)
    return value  # type: ignore[return-value]


def freeze_arrays(obj: object) -> None:
    """Make every numpy array field of a dataclass instance read-only (views included)."""
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if isinstance(value, np.ndarray):
            value.setflags(write=False)


def _range(kind: str, minimum, maximum, allow_none: bool) -> str:
    if minimum is not None and maximum is not None:
        text = f"{kind} in the range [{minimum}, {maximum}]"
    elif minimum is not None:
        text = f"{kind} >= {minimum}"
    elif maximum is not None:
        text = f"{kind} <= {maximum}"
    else:
        text = kind
    return f"None or {text}" if allow_none else text
