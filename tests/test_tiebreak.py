"""The neutral tie-break: reproducible, order-free, and blind to birth date and gender."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from asn_match.kernels.seating import solve_placement
from asn_match.tiebreak import TIEBREAK_KEY, canonical_order, tiebreak_keys, tiebreak_rank

FAST = settings(deadline=None, max_examples=60)


def naive_key(identifier: str, key: bytes = TIEBREAK_KEY) -> int:
    digest = hashlib.blake2b(identifier.encode("utf-8"), key=key, digest_size=8).digest()
    return int.from_bytes(digest, "big")


def synthetic_nips(n: int, rng: np.random.Generator, *, same_cohort: bool = False):
    """Valid-looking 18-digit NIPs with known birth dates and genders."""
    if same_cohort:  # one birth date and one appointment month: only gender and sequence vary
        birth = np.full(n, np.datetime64("1985-06-15"))
        appointed = np.full(n, np.datetime64("2010-03", "M"))
    else:
        birth = np.datetime64("1965-01-01") + rng.integers(0, 35 * 365, n).astype("timedelta64[D]")
        years = rng.integers(22, 36, n)
        appointed = birth.astype("datetime64[M]") + (12 * years).astype("timedelta64[M]")
    gender = rng.integers(1, 3, n)
    sequence = rng.permutation(999)[:n] + 1 if same_cohort else rng.integers(1, 1000, n)
    nips = np.array(
        [
            f"{str(b).replace('-', '')}{str(a).replace('-', '')}{g}{s:03d}"
            for b, a, g, s in zip(birth, appointed, gender, sequence, strict=True)
        ],
        dtype=object,
    )
    unique = np.unique(nips, return_index=True)[1]
    return nips[unique], birth[unique], gender[unique]


def selection_p_value(selected: np.ndarray, group: np.ndarray) -> float:
    table = np.array(
        [
            [np.sum(selected & group), np.sum(selected & ~group)],
            [np.sum(~selected & group), np.sum(~selected & ~group)],
        ]
    )
    return float(chi2_contingency(table)[1])


def four_fifths(selected: np.ndarray, group: np.ndarray) -> float:
    rates = selected[group].mean(), selected[~group].mean()
    return min(rates) / max(rates)


# ----------------------------------------------------------------------------- the keys


@FAST
@given(st.lists(st.text(min_size=1, max_size=20), max_size=20))
def test_keys_equal_keyed_blake2b(identifiers):
    keys = tiebreak_keys(identifiers)
    assert keys.dtype == np.uint64 and keys.shape == (len(identifiers),)
    assert [int(k) for k in keys] == [naive_key(s) for s in identifiers]


def test_key_is_documented_and_fixed():
    # The key is part of the contract: a change must be a new version, never silent.
    assert TIEBREAK_KEY == b"asn_match-tiebreak-v1"
    assert int(tiebreak_keys(["198609262015051001"])[0]) == naive_key("198609262015051001")
    other = tiebreak_keys(["198609262015051001"], key=b"another-key")
    assert int(other[0]) != naive_key("198609262015051001")


@FAST
@given(st.lists(st.text(min_size=1, max_size=12), unique=True, max_size=30), st.randoms())
def test_canonical_order_is_independent_of_input_order(identifiers, random):
    shuffled = list(identifiers)
    random.shuffle(shuffled)
    first = [identifiers[i] for i in canonical_order(identifiers)]
    second = [shuffled[i] for i in canonical_order(shuffled)]
    assert first == second
    # it sorts by the key, and the rank is its inverse permutation
    assert [naive_key(s) for s in first] == sorted(naive_key(s) for s in identifiers)
    rank = tiebreak_rank(identifiers)
    assert [identifiers[i] for i in np.argsort(rank)] == first


def test_numbers_and_strings_give_the_same_key():
    assert tiebreak_keys([198609262015051001])[0] == tiebreak_keys(["198609262015051001"])[0]


def test_bad_inputs_are_rejected():
    with pytest.raises(ValueError, match=r"The 'ids' parameter of canonical_order"):
        canonical_order(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match=r"The 'key' parameter of tiebreak_keys"):
        tiebreak_keys(["a"], key="text")
    with pytest.raises(ValueError, match=r"The 'key' parameter"):
        tiebreak_keys(["a"], key=b"x" * 65)
    assert canonical_order([]).shape == (0,)


# ----------------------------------------------------------------------------- fairness


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_equal_scores_select_independently_of_birth_date_and_gender(seed):
    rng = np.random.default_rng(seed)
    nips, birth, gender = synthetic_nips(3000, rng)
    n = nips.size
    # Rows sorted by raw NIP: the worst case for a rule that falls back to row order.
    order = np.argsort(nips.astype(str))
    nips, birth, gender = nips[order], birth[order], gender[order]
    seats = np.full(40, 15)  # 600 seats for 3000 equally good candidates
    values = np.full((n, seats.size), 70.0)
    allowed = np.ones((n, seats.size), dtype=bool)
    sol = solve_placement(values, allowed, seats, employee_ids=nips)
    selected = sol.employee_position >= 0
    assert selected.sum() == seats.sum()
    women = gender == 2
    older = birth < np.sort(birth)[n // 2]
    for group in (women, older):
        assert selection_p_value(selected, group) > 1e-3
        assert four_fifths(selected, group) >= 0.8
        assert abs(selected[group].mean() - selected.mean()) < 0.05

    # The rule the hash replaces, "smallest NIP first", selects by age: it fails the same test.
    by_nip = np.zeros(n, dtype=bool)
    by_nip[np.argsort(nips.astype(str))[: seats.sum()]] = True
    assert selection_p_value(by_nip, older) < 1e-10
    assert four_fifths(by_nip, older) < 0.8
    # And so does the solver left to the row order of a NIP-sorted file (no ids given).
    by_row = solve_placement(values, allowed, seats).employee_position >= 0
    assert selection_p_value(by_row, older) < 1e-10


def test_equal_scores_in_one_cohort_do_not_favour_men():
    # Within one birth date and appointment month the NIP orders men (digit 1) before women.
    rng = np.random.default_rng(11)
    nips, _, gender = synthetic_nips(900, rng, same_cohort=True)
    order = np.argsort(nips.astype(str))
    nips, gender = nips[order], gender[order]
    n = nips.size
    values = np.full((n, 3), 55.0)
    sol = solve_placement(
        values, np.ones((n, 3), bool), np.array([100, 100, 100]), employee_ids=nips
    )
    selected = sol.employee_position >= 0
    women = gender == 2
    assert selection_p_value(selected, women) > 1e-3
    assert four_fifths(selected, women) >= 0.8
    by_nip = np.zeros(n, dtype=bool)
    by_nip[np.argsort(nips.astype(str))[:300]] = True
    assert selection_p_value(by_nip, women) < 1e-10
    assert four_fifths(by_nip, women) < 0.8
