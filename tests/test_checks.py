"""The option checks of asn_match._checks and the one error they raise, InvalidParameterError."""

import math
import pickle
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from asn_match._checks import (
    check_bool,
    check_choice,
    check_int,
    check_real,
    freeze_arrays,
    is_integral,
    is_real,
)
from asn_match.errors import InvalidParameterError

# ----------------------------------------------------------------------------- the error


def test_message_form_is_verbatim():
    err = InvalidParameterError("k", "recommend", "an int >= 1", 0)
    assert str(err) == "The 'k' parameter of recommend must be an int >= 1. Got 0 instead."


def test_message_shows_the_value_with_repr_and_appends_the_fix():
    err = InvalidParameterError("by", "recommend", "a str among {'position', 'employee'}", "pos",
                                fix="Did you mean 'position'?")  # fmt: skip
    assert str(err) == (
        "The 'by' parameter of recommend must be a str among {'position', 'employee'}. "
        "Got 'pos' instead. Did you mean 'position'?"
    )


def test_is_both_value_error_and_type_error():
    err = InvalidParameterError("k", "recommend", "an int", "3")
    assert isinstance(err, ValueError) and isinstance(err, TypeError)
    for caught in (ValueError, TypeError):
        with pytest.raises(caught):
            check_int("3", "k", "recommend")


def test_carries_its_fields():
    err = InvalidParameterError("k", "recommend", "an int >= 1", -2, fix="Use k=1.")
    assert (err.name, err.caller, err.constraint, err.value, err.fix) == (
        "k", "recommend", "an int >= 1", -2, "Use k=1."
    )  # fmt: skip


@pytest.mark.parametrize("fix", ["", "Use k=1."])
def test_pickling_keeps_fields_and_message(fix):
    err = InvalidParameterError("k", "recommend", "an int >= 1", [0, 1], fix=fix)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is InvalidParameterError
    assert (back.name, back.caller, back.constraint, back.value, back.fix) == (
        "k", "recommend", "an int >= 1", [0, 1], fix
    )  # fmt: skip
    assert str(back) == str(err)


# ----------------------------------------------------------------------------- is_integral, is_real


@pytest.mark.parametrize("value", [0, -3, 10**30, np.int8(1), np.uint64(7), np.intp(2)])
def test_integral_values(value):
    assert is_integral(value) and is_real(value)


@pytest.mark.parametrize("value", [True, False, np.bool_(True)])
def test_bools_are_neither_integral_nor_real(value):
    assert not is_integral(value) and not is_real(value)


@pytest.mark.parametrize("value", [1.0, np.float32(2.0), "1", None, 1 + 0j, [1]])
def test_not_integral(value):
    assert not is_integral(value)


@pytest.mark.parametrize("value", [1.5, np.float32(2.5), float("nan"), math.inf])
def test_real_values(value):
    assert is_real(value)  # finiteness is check_real's concern


# ----------------------------------------------------------------------------- check_bool


@pytest.mark.parametrize("value", [True, False, np.bool_(True), np.bool_(False)])
def test_check_bool_accepts_python_and_numpy_bools(value):
    out = check_bool(value, "prefer_stay", "assign")
    assert type(out) is bool and out == bool(value)


@pytest.mark.parametrize("value", [0, 1, "yes", "True", None, 1.0, np.int64(1)])
def test_check_bool_refuses_everything_else(value):
    with pytest.raises(InvalidParameterError) as info:
        check_bool(value, "prefer_stay", "assign")
    assert str(info.value) == (
        "The 'prefer_stay' parameter of assign must be a bool (True or False). "
        f"Got {value!r} instead."
    )
    assert info.value.value is value


# ----------------------------------------------------------------------------- check_int


@pytest.mark.parametrize("value", [0, 5, np.int64(5), np.uint8(5)])
def test_check_int_returns_a_python_int(value):
    out = check_int(value, "k", "recommend")
    assert type(out) is int and out == value


@pytest.mark.parametrize("value", [True, False, np.bool_(True)])
def test_check_int_refuses_bools(value):
    with pytest.raises(InvalidParameterError) as info:
        check_int(value, "k", "recommend", minimum=1)
    assert str(info.value) == (
        f"The 'k' parameter of recommend must be an int >= 1. Got {value!r} instead."
    )


@pytest.mark.parametrize("value", [2.0, 2.5, "2", None, float("nan")])
def test_check_int_refuses_non_integers(value):
    with pytest.raises(InvalidParameterError):
        check_int(value, "k", "recommend")


@pytest.mark.parametrize(
    "minimum, maximum, constraint",
    [
        (1, None, "an int >= 1"),
        (None, 9, "an int <= 9"),
        (1, 9, "an int in the range [1, 9]"),
        (None, None, "an int"),
    ],
)
def test_check_int_bounds_are_inclusive_and_named(minimum, maximum, constraint):
    low = -(10**6) if minimum is None else minimum
    high = 10**6 if maximum is None else maximum
    assert check_int(low, "k", "f", minimum=minimum, maximum=maximum) == low
    assert check_int(high, "k", "f", minimum=minimum, maximum=maximum) == high
    for outside in ([low - 1] if minimum is not None else []) + (
        [high + 1] if maximum is not None else []
    ):
        with pytest.raises(InvalidParameterError) as info:
            check_int(outside, "k", "f", minimum=minimum, maximum=maximum)
        want = f"The 'k' parameter of f must be {constraint}. Got {outside} instead."
        assert str(info.value) == want
    bad = "x"
    with pytest.raises(InvalidParameterError) as info:
        check_int(bad, "k", "f", minimum=minimum, maximum=maximum)
    assert info.value.constraint == constraint


def test_check_int_allow_none():
    assert check_int(None, "top_k", "score", minimum=1, allow_none=True) is None
    with pytest.raises(InvalidParameterError) as info:
        check_int(0, "top_k", "score", minimum=1, allow_none=True)
    assert str(info.value) == (
        "The 'top_k' parameter of score must be None or an int >= 1. Got 0 instead."
    )
    with pytest.raises(InvalidParameterError, match=r"must be an int >= 1\. Got None instead\."):
        check_int(None, "top_k", "score", minimum=1)


@given(st.integers(), st.integers(-50, 50), st.integers(0, 100))
def test_check_int_agrees_with_the_bounds(value, minimum, width):
    maximum = minimum + width
    inside = minimum <= value <= maximum
    if inside:
        assert check_int(value, "n", "f", minimum=minimum, maximum=maximum) == value
    else:
        with pytest.raises(InvalidParameterError):
            check_int(value, "n", "f", minimum=minimum, maximum=maximum)


# ----------------------------------------------------------------------------- check_real


@pytest.mark.parametrize("value", [0, 3, 2.5, np.float32(0.5), np.int16(4), -1e300])
def test_check_real_returns_a_python_float(value):
    out = check_real(value, "floor", "jpm")
    assert type(out) is float and out == float(value)


@pytest.mark.parametrize(
    "value", [float("nan"), math.inf, -math.inf, np.float64("nan"), np.float32("inf")]
)
def test_check_real_refuses_nan_and_infinities(value):
    with pytest.raises(InvalidParameterError) as info:
        check_real(value, "floor", "jpm")
    assert str(info.value) == (
        f"The 'floor' parameter of jpm must be a finite number. Got {value!r} instead."
    )


@pytest.mark.parametrize("value", [True, np.bool_(False), "1.5", None, 1j, [1.0]])
def test_check_real_refuses_bools_and_non_numbers(value):
    with pytest.raises(InvalidParameterError):
        check_real(value, "floor", "jpm")


@pytest.mark.parametrize(
    "minimum, maximum, constraint",
    [
        (0.0, None, "a finite number >= 0.0"),
        (None, 1.0, "a finite number <= 1.0"),
        (0, 1.0, "a finite number in the range [0, 1.0]"),
    ],
)
def test_check_real_bounds_are_inclusive_and_named(minimum, maximum, constraint):
    for edge in (minimum, maximum):
        if edge is not None:
            assert check_real(edge, "share", "f", minimum=minimum, maximum=maximum) == edge
    for outside in (-0.001, 1.001):
        if (minimum is not None and outside < minimum) or (
            maximum is not None and outside > maximum
        ):
            with pytest.raises(InvalidParameterError) as info:
                check_real(outside, "share", "f", minimum=minimum, maximum=maximum)
            assert str(info.value) == (
                f"The 'share' parameter of f must be {constraint}. Got {outside!r} instead."
            )


def test_check_real_allow_none():
    assert check_real(None, "max_gap", "f", minimum=0.0, allow_none=True) is None
    with pytest.raises(InvalidParameterError, match=r"must be None or a finite number >= 0\.0\."):
        check_real(math.nan, "max_gap", "f", minimum=0.0, allow_none=True)


# ----------------------------------------------------------------------------- check_choice


def test_check_choice_returns_the_choice():
    objectives = ("total", "bottleneck")
    assert check_choice("bottleneck", "objective", "assign", objectives) == "bottleneck"


@pytest.mark.parametrize("value", ["Total", "", None, 1, ("total",)])
def test_check_choice_names_every_choice(value):
    with pytest.raises(InvalidParameterError) as info:
        check_choice(value, "objective", "assign", ["total", "bottleneck"])
    assert str(info.value) == (
        "The 'objective' parameter of assign must be a str among {'total', 'bottleneck'}. "
        f"Got {value!r} instead."
    )


def test_check_choice_accepts_any_iterable_of_choices():
    assert check_choice("b", "x", "f", iter(["a", "b"])) == "b"
    assert check_choice("a", "x", "f", {"a": 1}) == "a"


# ----------------------------------------------------------------------------- freeze_arrays


def test_freeze_arrays_makes_every_array_field_read_only():
    @dataclass
    class Holder:
        values: np.ndarray
        label: str
        other: object

    base = np.arange(6.0)
    holder = Holder(values=base[:3], label="x", other=np.zeros(2))
    freeze_arrays(holder)
    for array in (holder.values, holder.other):
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 1.0
    assert holder.label == "x"
