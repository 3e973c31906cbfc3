from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_match.nip import MIN_APPOINTMENT_AGE, NipParts, excel_rounded, format_nip, parse_nip


def naive_parse(nip: object) -> tuple[bool, object, object, int, int]:
    """One id at a time with the standard library: the reference for the vectorized parser."""
    if not isinstance(nip, str):
        return (False, None, None, 0, -1)
    s = nip.replace(" ", "")
    if len(s) != 18 or not all(c in "0123456789" for c in s):
        return (False, None, None, 0, -1)
    by, bm, bd = int(s[0:4]), int(s[4:6]), int(s[6:8])
    ay, am, g, seq = int(s[8:12]), int(s[12:14]), int(s[14]), int(s[15:18])
    try:
        birth = dt.date(by, bm, bd)
    except ValueError:
        return (False, None, None, 0, -1)
    if by < 1900 or not 1 <= am <= 12 or ay < by + MIN_APPOINTMENT_AGE or g not in (1, 2):
        return (False, None, None, 0, -1)
    if seq == 0:
        return (False, None, None, 0, -1)
    return (True, birth, (ay, am), g, seq)


def as_tuples(parts: NipParts) -> list[tuple]:
    out = []
    for i in range(len(parts.valid)):
        if not parts.valid[i]:
            out.append((False, None, None, int(parts.gender[i]), int(parts.sequence[i])))
            continue
        birth = parts.birth_date[i].astype(dt.date)
        month = parts.appointment[i].astype(dt.date)
        out.append(
            (True, birth, (month.year, month.month), int(parts.gender[i]), int(parts.sequence[i]))
        )
    return out


def test_parse_domain_example():
    parts = parse_nip(["198609262015051001"])
    assert parts.valid.tolist() == [True]
    assert parts.birth_date[0] == np.datetime64("1986-09-26")
    assert parts.appointment[0] == np.datetime64("2015-05")
    assert parts.gender[0] == 1
    assert parts.sequence[0] == 1
    assert parts.birth_date.dtype == np.dtype("datetime64[D]")
    assert parts.appointment.dtype == np.dtype("datetime64[M]")
    assert parts.gender.dtype == np.int8
    assert parts.sequence.dtype == np.int16


def test_spaces_inside_an_id_are_ignored():
    parts = parse_nip(["19860926 201505 1 001", " 198609262015051001 "])
    assert parts.valid.all()
    assert (parts.birth_date == np.datetime64("1986-09-26")).all()


@pytest.mark.parametrize(
    "nip, why",
    [
        ("19860926201505100", "17 digits"),
        ("1986092620150510011", "19 digits"),
        ("198609262015131001", "appointment month 13"),
        ("198609262015001001", "appointment month 0"),
        ("198602302015051001", "February 30"),
        ("198613012015051001", "birth month 13"),
        ("198609002015051001", "birth day 0"),
        ("198609262015053001", "gender digit 3"),
        ("198609262015050001", "gender digit 0"),
        ("198609262015051000", "sequence 000 (what Excel's rounding leaves)"),
        ("19860926201505100a", "a letter"),
        ("ABCDEFGHIJKLMNOPQR", "letters"),
        ("199104122021212001", "a PPPK number"),
        ("198609261995051001", "appointed at 9"),
        ("189909262015051001", "born before 1900"),
        ("19860926-201505-1001", "dashes"),
        ("", "empty"),
        ("１９８６０９２６２０１５０５１００１", "full-width digits"),
    ],
)
def test_invalid_ids_are_not_valid(nip, why):
    parts = parse_nip([nip, "198609262015051001"])
    assert parts.valid.tolist() == [False, True], why
    assert np.isnat(parts.birth_date[0]) and np.isnat(parts.appointment[0])
    assert parts.gender[0] == 0 and parts.sequence[0] == -1


def test_leap_days():
    parts = parse_nip(["200002292020011001", "190002292020011001", "198802292010012001"])
    # 2000 and 1988 are leap years; 1900 is not.
    assert parts.valid.tolist() == [True, False, True]


def test_missing_and_non_string_values_are_not_valid():
    parts = parse_nip(pd.Series(["198609262015051001", None, np.nan], dtype=object))
    assert parts.valid.tolist() == [True, False, False]
    assert parse_nip(pd.Series(["198609262015051001", None], dtype="str")).valid.tolist() == [
        True,
        False,
    ]


def test_empty_and_scalar_input():
    parts = parse_nip([])
    assert all(field.shape == (0,) for field in parts)
    assert parse_nip("198609262015051001").valid.tolist() == [True]


def test_two_dimensional_input_is_rejected():
    with pytest.raises(ValueError, match=r"The 'ids' parameter of parse_nip must be a 1-D"):
        parse_nip([["198609262015051001"]])


def test_input_is_not_mutated():
    ids = np.array(["19860926 201505 1 001", "x"], dtype=object)
    before = ids.copy()
    parse_nip(ids)
    assert (ids == before).all()


nip_text = st.one_of(
    st.text(alphabet="0123456789", min_size=16, max_size=20),
    st.builds(
        lambda b, a, g, s: f"{b:%Y%m%d}{a[0]:04d}{a[1]:02d}{g}{s:03d}",
        st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2010, 12, 31)),
        st.tuples(st.integers(1880, 2040), st.integers(0, 13)),
        st.integers(0, 9),
        st.integers(0, 999),
    ),
    st.text(max_size=20),
)


@settings(deadline=None, max_examples=300)
@given(st.lists(nip_text, max_size=30))
def test_parse_matches_naive_reference(ids):
    assert as_tuples(parse_nip(np.array(ids, dtype=object))) == [naive_parse(s) for s in ids]


@st.composite
def nip_parts(draw):
    birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2008, 12, 31)))
    year = draw(st.integers(birth.year + MIN_APPOINTMENT_AGE, 9999))
    month = draw(st.integers(1, 12))
    return birth, f"{year:04d}-{month:02d}", draw(st.integers(1, 2)), draw(st.integers(1, 999))


@settings(deadline=None, max_examples=200)
@given(st.lists(nip_parts(), min_size=1, max_size=25))
def test_format_parse_round_trip(records):
    births, months, genders, sequences = map(list, zip(*records, strict=True))
    ids = format_nip(np.array(births, dtype="datetime64[D]"), months, genders, sequences)
    assert ids.dtype == np.dtype("<U18")
    assert all(len(s) == 18 and s.isdigit() for s in ids)
    parts = parse_nip(ids)
    assert parts.valid.all()
    assert (parts.birth_date == np.array(births, dtype="datetime64[D]")).all()
    assert (parts.appointment == np.array(months, dtype="datetime64[M]")).all()
    assert parts.gender.tolist() == genders
    assert parts.sequence.tolist() == sequences
    # And back again: formatting the parsed parts gives the same ids.
    again = format_nip(parts.birth_date, parts.appointment, parts.gender, parts.sequence)
    assert again.tolist() == ids.tolist()


def test_format_domain_example_and_broadcasting():
    assert format_nip("1986-09-26", "2015-05", 1, 1).tolist() == "198609262015051001"
    ids = format_nip(np.datetime64("1990-01-31"), ["2014-03", "2015-12"], [2, 1], 7)
    assert ids.tolist() == ["199001312014032007", "199001312015121007"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"gender": 3}, r"The 'gender' parameter of format_nip must be 1 \(male\) or 2 "),
        ({"gender": 1.0}, r"The 'gender' parameter of format_nip must be an array-like of int"),
        ({"sequence": 1000}, r"The 'sequence' parameter of format_nip must be an integer from 1"),
        ({"sequence": 0}, r"The 'sequence' parameter"),
        ({"birth_date": "NaT"}, r"The 'birth_date' parameter of format_nip must be a date"),
        ({"birth_date": "1850-01-01"}, r"The 'birth_date' parameter .* 1900-9999"),
        ({"appointment": "NaT"}, r"The 'appointment' parameter of format_nip must be a month"),
        ({"appointment": "1995-01"}, r"at least 15 years after the birth year"),
    ],
)
def test_format_rejects_bad_parts(kwargs, match):
    args = {"birth_date": "1986-09-26", "appointment": "2015-05", "gender": 1, "sequence": 1}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        format_nip(**args)


def test_million_ids_parse_quickly():
    rng = np.random.default_rng(0)
    n = 1_000_000
    births = np.datetime64("1960-01-01") + rng.integers(0, 15_000, n)
    months = (births.astype("datetime64[Y]") + rng.integers(19, 35, n)).astype("datetime64[M]")
    genders = rng.integers(1, 3, n)
    sequences = rng.integers(1, 1000, n)
    ids = format_nip(births, months, genders, sequences)
    parts = parse_nip(ids)
    assert parts.valid.all()
    assert (parts.birth_date == births).all() and (parts.gender == genders).all()


def naive_excel_rounded(nip: object) -> bool:
    """One id at a time: 18 digits ending in 000 whose first 15 digits begin a valid NIP."""
    if not isinstance(nip, str):
        return False
    s = nip.replace(" ", "")
    if len(s) != 18 or not s.endswith("000"):
        return False
    return naive_parse(s[:15] + "001")[0]


def test_excel_rounded_issue_10_padded_nip():
    # 198209282012121686 saved from a number cell: 15 significant digits, then zeros.
    ids = ["198209282012121000", "198209282012121686", "1982 0928 2012 12 1 000", None, "P-000"]
    assert excel_rounded(ids).tolist() == [True, False, True, False, False]
    # An 18-digit number ending in 000 that is no NIP at all (birth month 00) is not flagged.
    assert excel_rounded(["198200002012121000"]).tolist() == [False]
    assert excel_rounded([]).shape == (0,)


@settings(deadline=None, max_examples=300)
@given(st.lists(st.one_of(nip_text, nip_text.map(lambda s: s[:15] + "000")), max_size=30))
def test_excel_rounded_matches_naive_reference(ids):
    got = excel_rounded(np.array(ids, dtype=object)).tolist()
    assert got == [naive_excel_rounded(s) for s in ids]
