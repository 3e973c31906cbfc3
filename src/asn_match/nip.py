"""The structure of the civil-servant id (NIP, Peraturan Kepala BKN 22/2007).

An 18-digit NIP of a PNS is the birth date ``YYYYMMDD``, the month of first appointment as CPNS
``YYYYMM``, a gender digit (1 male, 2 female) and a three-digit sequence number from 001, e.g.
``19860926 201505 1 001``. The id therefore carries age and gender: it is personal data, and it must
never be used to order, tie-break or sample employees. Its structure is useful for one thing: a
data-quality check of the ``birth_date`` and ``gender`` columns.

Contract employees (PPPK) also have 18-digit numbers that do not follow this layout (the digits
after the birth date hold the appointment year and a code, e.g. ``199104122021212001``), so an id
that does not parse is reported as ``valid=False``, never as an error.

Excel damages NIPs in one recognisable way: a cell holding the id as a number keeps 15 significant
digits, so ``198209282012121686`` is saved as ``198209282012121000``. Sequence numbers start at 001,
so an id ending in 000 is not a NIP; :func:`excel_rounded` finds these ids.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = [
    "NIP_LENGTH",
    "MIN_APPOINTMENT_AGE",
    "NipParts",
    "excel_rounded",
    "format_nip",
    "parse_nip",
]

#: Number of digits in a NIP.
NIP_LENGTH = 18

#: Fewest years between birth and first appointment that a NIP may show (a CPNS is at least 18;
#: 15 leaves room for rounding to whole years and for old records without rejecting real ids).
MIN_APPOINTMENT_AGE = 15

#: Earliest birth year accepted: anything before is a typo, not a serving civil servant.
_MIN_BIRTH_YEAR = 1900

_ZERO = ord("0")


class NipParts(NamedTuple):
    """The fields of parsed NIPs, one array entry per id.

    Attributes
    ----------
    valid : ndarray of shape (n,), bool
        Whether the id is 18 digits with a real birth date, an appointment month 1-12 at least
        ``MIN_APPOINTMENT_AGE`` years after the birth year, a gender digit 1 or 2 and a sequence
        number from 001.
    birth_date : ndarray of shape (n,), datetime64[D]
        ``NaT`` where not valid.
    appointment : ndarray of shape (n,), datetime64[M]
        Month of first appointment as CPNS; ``NaT`` where not valid.
    gender : ndarray of shape (n,), int8
        1 male, 2 female, 0 where not valid.
    sequence : ndarray of shape (n,), int16
        1-999; -1 where not valid.
    """

    valid: np.ndarray
    birth_date: np.ndarray
    appointment: np.ndarray
    gender: np.ndarray
    sequence: np.ndarray


def _as_strings(ids) -> np.ndarray:
    """The ids as a 1-D unicode array without spaces (``"19860926 201505 1 001"`` is common)."""
    arr = np.asarray(ids)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(
            "The 'ids' parameter of parse_nip must be a 1-D array-like of strings. "
            f"Got an array of shape {arr.shape} instead; pass a column, e.g. df['employee_id']."
        )
    if arr.dtype.kind != "U":
        # Missing values become "None"/"nan": not digits, so they simply parse as not valid.
        arr = arr.astype(object).astype(str)
    if arr.size == 0:
        # numpy's string replace cannot size its output for an empty array.
        return np.empty(0, dtype=f"U{NIP_LENGTH}")
    return np.strings.replace(arr, " ", "")


def _number(digits: np.ndarray, start: int, stop: int) -> np.ndarray:
    """The integer spelled by columns ``start:stop`` of an (n, 18) digit matrix."""
    powers = 10 ** np.arange(stop - start - 1, -1, -1, dtype=np.int64)
    return digits[:, start:stop] @ powers


def _month_start(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """First day of each (year, month) as datetime64[M]; inputs must already be in range."""
    return ((year - 1970) * 12 + (month - 1)).astype("datetime64[M]")


def parse_nip(ids) -> NipParts:
    """Split NIPs into birth date, appointment month, gender and sequence number.

    Vectorized: a million ids take well under a second or two. Spaces inside an id are ignored,
    so ``"19860926 201505 1 001"`` parses like ``"198609262015051001"``.

    Parameters
    ----------
    ids : array-like of shape (n,)
        Employee ids as strings. Anything else (None, NaN, a number in scientific notation, a
        PPPK number) is simply not valid.

    Returns
    -------
    NipParts
        Named tuple of arrays of shape (n,): ``valid``, ``birth_date`` (datetime64[D]),
        ``appointment`` (datetime64[M]), ``gender`` (int8: 1 male, 2 female, 0 not valid) and
        ``sequence`` (int16, -1 not valid). Fields of ids that are not valid hold NaT / 0 / -1.

    See Also
    --------
    format_nip : The inverse.

    Examples
    --------
    >>> parts = parse_nip(["198609262015051001", "199104122021212001", "12345"])
    >>> parts.valid.tolist()
    [True, False, False]
    >>> str(parts.birth_date[0]), str(parts.appointment[0]), int(parts.gender[0])
    ('1986-09-26', '2015-05', 1)
    """
    strings = _as_strings(ids)
    n = strings.shape[0]
    valid = np.strings.str_len(strings) == NIP_LENGTH

    # Rows of other lengths are masked out below, so truncating or padding them is harmless.
    fixed = strings.astype(f"U{NIP_LENGTH}")
    codes = fixed.view(np.uint32).reshape(n, NIP_LENGTH)
    # Unsigned wrap-around makes every code below "0" a large number, so one comparison suffices.
    digits = (codes - np.uint32(_ZERO)).astype(np.int64)
    valid &= (digits <= 9).all(axis=1)
    digits[~valid] = 0

    birth_year = _number(digits, 0, 4)
    birth_month = _number(digits, 4, 6)
    birth_day = _number(digits, 6, 8)
    appointment_year = _number(digits, 8, 12)
    appointment_month = _number(digits, 12, 14)
    gender = _number(digits, 14, 15)
    sequence = _number(digits, 15, 18)

    valid &= (birth_year >= _MIN_BIRTH_YEAR) & (birth_month >= 1) & (birth_month <= 12)
    valid &= (appointment_month >= 1) & (appointment_month <= 12)
    valid &= appointment_year >= birth_year + MIN_APPOINTMENT_AGE
    valid &= (gender == 1) | (gender == 2)
    # Sequence numbers start at 001; 000 is what Excel's rounding leaves (see excel_rounded).
    valid &= sequence >= 1

    # Compute the calendar only on rows still valid, so out-of-range months cannot overflow.
    safe_month = np.where(valid, birth_month, 1)
    safe_year = np.where(valid, birth_year, 1970)
    first = _month_start(safe_year, safe_month)
    days_in_month = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(
        np.int64
    )
    valid &= (birth_day >= 1) & (birth_day <= days_in_month)

    birth_date = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    birth_date[valid] = first[valid].astype("datetime64[D]") + (birth_day[valid] - 1)
    appointment = np.full(n, np.datetime64("NaT"), dtype="datetime64[M]")
    appointment[valid] = _month_start(appointment_year[valid], appointment_month[valid])
    return NipParts(
        valid=valid,
        birth_date=birth_date,
        appointment=appointment,
        gender=np.where(valid, gender, 0).astype(np.int8),
        sequence=np.where(valid, sequence, -1).astype(np.int16),
    )


def excel_rounded(ids) -> np.ndarray:
    """Which ids look like a NIP that Excel stored as a number and padded with zeros.

    Excel keeps 15 significant digits of a number, so an 18-digit NIP typed into a number cell
    comes back with its sequence number replaced by ``000`` (``198209282012121686`` becomes
    ``198209282012121000``). No NIP has sequence 000, so an id is flagged when it is 18 digits
    ending in ``000`` whose first 15 digits are those of a NIP (a real birth date, appointment
    month and gender digit). Such an id cannot be repaired: the digits are gone.

    Parameters
    ----------
    ids : array-like of shape (n,)
        Employee ids as strings; spaces inside an id are ignored, as in :func:`parse_nip`.

    Returns
    -------
    ndarray of shape (n,), bool

    Examples
    --------
    >>> excel_rounded(["198209282012121000", "198209282012121686", "P-000", "100000000000000000"])
    array([ True, False, False, False])
    """
    strings = _as_strings(ids)
    candidates = (np.strings.str_len(strings) == NIP_LENGTH) & np.strings.endswith(strings, "000")
    flagged = np.zeros(strings.shape[0], dtype=bool)
    if candidates.any():
        # The first 15 digits with a real sequence number: a NIP whose last digits Excel dropped.
        head = strings[candidates].astype(f"U{NIP_LENGTH - 3}")
        flagged[candidates] = parse_nip(np.strings.add(head, "001")).valid
    return flagged


def _bad(name: str, constraint: str, value) -> ValueError:
    return ValueError(
        f"The {name!r} parameter of format_nip must be {constraint}. Got {value!r} instead."
    )


def _calendar(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12) and day (1-31) of a datetime64[D] array."""
    months = dates.astype("datetime64[M]")
    year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (dates - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def format_nip(birth_date, appointment, gender, sequence) -> np.ndarray:
    """Build 18-digit NIPs from their parts (the inverse of :func:`parse_nip`).

    The arguments broadcast against each other, like numpy operands.

    Parameters
    ----------
    birth_date : array-like of datetime64[D] or ISO date strings
        Birth dates, year 1900-9999.
    appointment : array-like of datetime64[M] or ISO month strings
        Month of first appointment as CPNS, at least ``MIN_APPOINTMENT_AGE`` years after the
        birth year (a full date is truncated to its month).
    gender : array-like of int
        1 male, 2 female.
    sequence : array-like of int
        Sequence number 1-999.

    Returns
    -------
    ndarray of str (dtype ``<U18``), of the broadcast shape
        Ids that :func:`parse_nip` reads back as valid with the same parts.

    Raises
    ------
    ValueError
        If a part is missing (NaT) or out of range, naming the first offending value.

    Examples
    --------
    >>> format_nip("1986-09-26", "2015-05", 1, 1).tolist()
    '198609262015051001'
    >>> format_nip(["1990-01-31", "1975-12-01"], ["2014-03", "2001-07"], [2, 1], [7, 120]).tolist()
    ['199001312014032007', '197512012001071120']
    """
    birth = np.asarray(birth_date, dtype="datetime64[D]")
    appointed = np.asarray(appointment, dtype="datetime64[M]")
    gender_arr = np.asarray(gender)
    sequence_arr = np.asarray(sequence)
    for name, arr in (("gender", gender_arr), ("sequence", sequence_arr)):
        if arr.dtype.kind not in "iub":
            raise _bad(name, "an array-like of integers", arr.dtype.name + " values")
    birth, appointed, gender_arr, sequence_arr = np.broadcast_arrays(
        birth, appointed, gender_arr.astype(np.int64), sequence_arr.astype(np.int64)
    )
    shape = birth.shape
    birth, appointed = birth.ravel(), appointed.ravel()
    gender_arr, sequence_arr = gender_arr.ravel(), sequence_arr.ravel()

    def first_bad(mask: np.ndarray, values: np.ndarray):
        return values[np.flatnonzero(mask)[0]]

    if np.isnat(birth).any():
        raise _bad("birth_date", "a date for every id", first_bad(np.isnat(birth), birth))
    if np.isnat(appointed).any():
        raise _bad("appointment", "a month for every id", first_bad(np.isnat(appointed), appointed))
    bad_gender = (gender_arr != 1) & (gender_arr != 2)
    if bad_gender.any():
        raise _bad("gender", "1 (male) or 2 (female)", int(first_bad(bad_gender, gender_arr)))
    bad_sequence = (sequence_arr < 1) | (sequence_arr > 999)
    if bad_sequence.any():
        raise _bad(
            "sequence", "an integer from 1 to 999", int(first_bad(bad_sequence, sequence_arr))
        )

    birth_year, birth_month, birth_day = _calendar(birth)
    bad_year = (birth_year < _MIN_BIRTH_YEAR) | (birth_year > 9999)
    if bad_year.any():
        raise _bad("birth_date", "in the years 1900-9999", str(first_bad(bad_year, birth)))
    appointment_year = appointed.astype("datetime64[Y]").astype(np.int64) + 1970
    appointment_month = appointed.astype(np.int64) % 12 + 1
    too_early = appointment_year < birth_year + MIN_APPOINTMENT_AGE
    if too_early.any():
        i = np.flatnonzero(too_early)[0]
        raise _bad(
            "appointment",
            f"at least {MIN_APPOINTMENT_AGE} years after the birth year (a NIP with an earlier "
            "appointment does not parse as valid)",
            f"{appointed[i]} for birth date {birth[i]}",
        )

    # Fill an (n, 18) matrix of code points and view it as 18-character strings: no Python loop.
    n = birth.shape[0]
    digits = np.empty((n, NIP_LENGTH), dtype=np.uint32)
    fields = (
        (birth_year, 0, 4),
        (birth_month, 4, 6),
        (birth_day, 6, 8),
        (appointment_year, 8, 12),
        (appointment_month, 12, 14),
        (gender_arr, 14, 15),
        (sequence_arr, 15, 18),
    )
    for values, start, stop in fields:
        width = stop - start
        powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
        digits[:, start:stop] = (values[:, None] // powers) % 10 + _ZERO
    return digits.view(f"U{NIP_LENGTH}").reshape(shape)
