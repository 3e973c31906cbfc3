import numpy as np
import pytest

from asn_match.ordinals import (
    EDUCATION_LEVELS,
    RANKS,
    education_code,
    education_label,
    parse_education,
    parse_position_class,
    parse_rank,
    rank_code,
    rank_label,
)


def test_ranks_are_ordered_i_a_to_iv_e():
    assert len(RANKS) == 17
    assert RANKS[0] == "I/a" and RANKS[-1] == "IV/e"
    assert RANKS.index("III/d") < RANKS.index("IV/a")


@pytest.mark.parametrize("spelling", ["III/c", "iii/c", "III c", "IIIc", "III-C", " III / c "])
def test_rank_spellings(spelling):
    assert parse_rank([spelling])[0] == RANKS.index("III/c")


def test_unknown_and_missing_rank_give_minus_one():
    assert parse_rank(["V/a", None, np.nan, ""]).tolist() == [-1, -1, -1, -1]


def test_d4_equals_s1_and_aliases():
    codes = parse_education(["D4", "S1", "D-IV", "DIV", "SLTA", "SMK", "S3", "s2"])
    assert codes.tolist() == [6, 6, 6, 6, 2, 2, 8, 7]
    assert EDUCATION_LEVELS[6] == "S1"


def test_labels_round_trip_and_minus_one_is_none():
    codes = np.arange(len(RANKS))
    assert parse_rank(rank_label(codes)).tolist() == codes.tolist()
    assert rank_label([-1])[0] is None
    assert education_label([-1, 6]).tolist() == [None, "S1"]


def test_single_label_codes_raise_with_the_valid_list():
    assert rank_code("IV/a") == 12
    assert education_code("D4") == 6
    with pytest.raises(ValueError, match="expected one of I/a"):
        rank_code("IIII/x")
    with pytest.raises(ValueError, match="D4 = S1"):
        education_code("MBA")


def test_position_class():
    out = parse_position_class(["jpt pratama", "Ahli Muda", "kepala"])
    assert out.tolist() == ["JPT Pratama", "Ahli Muda", None]
