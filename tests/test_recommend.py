"""Recommendations, succession lists and bench strength against naive loops."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from asn_match.datasets import synthetic_workforce
from asn_match.errors import DataQualityWarning, InputError
from asn_match.io import read_employees, read_positions
from asn_match.recommend import (
    READINESS_BANDS,
    ReadinessPolicy,
    bench_strength,
    competency_gaps,
    readiness_bands,
    recommend,
    succession,
)
from asn_match.rules import RANK_DECIMALS
from asn_match.scoring import score
from asn_match.tiebreak import tiebreak_rank

FEW = settings(deadline=None, max_examples=15)
FAST = settings(deadline=None, max_examples=60)


@pytest.fixture(scope="module")
def workforce():
    return synthetic_workforce(70, 12, seed=5)


@pytest.fixture(scope="module")
def scores(workforce):
    return score(*workforce)


def holders_of(scores):
    index = pd.Index(scores.positions.ids)
    current = pd.Series(scores.employees.current_position_id, dtype=object)
    found = index.get_indexer(current.astype(str))
    found[current.isna().to_numpy()] = -1
    return found


def naive_top(scores, k, by, mask):
    """Per owner, the k best others by the documented rule, one pair at a time.

    The documented order: composite to RANK_DECIMALS (6) decimals, descending (Python's decimal
    rounding of each value, not the library's vectorized one), then the neutral tie-break rank
    of the id, ascending.
    """
    e_rank, p_rank = tiebreak_rank(scores.employees.ids), tiebreak_rank(scores.positions.ids)
    n, m = scores.shape

    def key(i, j, tie):
        return (-round(float(scores.composite[i, j]), RANK_DECIMALS), int(tie))

    out = []
    if by == "position":
        for j in range(m):
            cand = sorted((key(i, j, e_rank[i]), i) for i in range(n) if mask[i, j])
            out += [
                (scores.positions.ids[j], r + 1, scores.employees.ids[i])
                for r, (_, i) in enumerate(cand[:k])
            ]
    else:
        for i in range(n):
            cand = sorted((key(i, j, p_rank[j]), j) for j in range(m) if mask[i, j])
            out += [
                (scores.employees.ids[i], r + 1, scores.positions.ids[j])
                for r, (_, j) in enumerate(cand[:k])
            ]
    return out


@FEW
@given(
    st.integers(0, 10_000),
    st.integers(1, 6),
    st.sampled_from(["position", "employee"]),
    st.booleans(),
)
def test_recommend_equals_naive_ranking(seed, k, by, eligible_only):
    s = score(*synthetic_workforce(25, 5, seed=seed))
    table = recommend(s, k=k, by=by, eligible_only=eligible_only)
    mask = s.eligible if eligible_only else np.ones(s.shape, bool)
    owner = "position_id" if by == "position" else "employee_id"
    other = "employee_id" if by == "position" else "position_id"
    got = list(zip(table[owner], table["rank"], table[other], strict=True))
    expected = naive_top(s, k, by, mask)
    assert expected  # a non-empty reference: the comparison tests something
    assert got == expected
    if not eligible_only:
        bad = table[~table["eligible"]]
        assert (bad["reasons"].str.len() > 0).all()
    assert (table.loc[table["eligible"], "reasons"] == "").all()


def test_recommend_columns_and_values(scores):
    table = recommend(scores, k=4)
    i = pd.Index(scores.employees.ids).get_indexer(table["employee_id"])
    j = pd.Index(scores.positions.ids).get_indexer(table["position_id"])
    assert np.allclose(table["composite"], scores.composite[i, j])
    assert np.allclose(table["jpm"], scores.jpm[i, j])
    labels = np.array(scores.config.category_labels, dtype=object)
    assert (table["category"].to_numpy() == labels[scores.category_code[i, j]]).all()
    assert (table["incumbent"] == (holders_of(scores)[i] == j)).all()
    assert table["eligible"].all()


def pair_set(table):
    return set(zip(table["employee_id"], table["position_id"], strict=True))


def test_allowed_and_forbidden_lists(scores):
    e_ids, p_ids = scores.employees.ids, scores.positions.ids
    eligible = scores.eligible
    top = recommend(scores, k=3)
    first = top["employee_id"].iloc[0]
    blocked = recommend(scores, k=3, forbidden=[first])
    assert len(blocked) and first not in set(blocked["employee_id"])
    pair = (top["employee_id"].iloc[0], top["position_id"].iloc[0])
    without_pair = recommend(scores, k=3, forbidden=[pair])
    assert len(without_pair) and pair not in pair_set(without_pair)
    as_frame = recommend(
        scores, k=3, forbidden=pd.DataFrame({"employee_id": [pair[0]], "position_id": [pair[1]]})
    )
    assert as_frame.equals(without_pair)

    # allowed: exactly the listed employees' pairs, ranked as without the restriction
    allowed = list(e_ids[:10])
    only = recommend(scores, k=50, allowed=allowed)
    expected = {
        (e_ids[i], p_ids[j]) for i in range(10) for j in range(len(p_ids)) if eligible[i, j]
    }
    assert expected and pair_set(only) == expected
    one_position = recommend(scores, k=5, allowed=[p_ids[2]])
    pd.testing.assert_frame_equal(
        one_position.reset_index(drop=True),
        recommend(scores, k=5).query("position_id == @p_ids[2]").reset_index(drop=True),
    )
    with pytest.raises(InputError, match=r"neither an employee id nor a position id"):
        recommend(scores, allowed=["NOPE"])
    with pytest.raises(InputError, match=r"'P-404' is not in the scored positions"):
        recommend(scores, forbidden=[(e_ids[0], "P-404")])


def test_issue8_a_dict_of_pairs_forbids_those_pairs_only(scores):
    """Regression (issue 8): forbidden={e: p} forbade every pair of e, not the pair (e, p)."""
    e_ids, p_ids = scores.employees.ids, scores.positions.ids
    i = int(np.flatnonzero(scores.eligible.sum(axis=1) >= 2)[0])
    j, other = np.flatnonzero(scores.eligible[i])[:2]
    table = recommend(scores, k=len(e_ids), by="employee", forbidden={e_ids[i]: p_ids[j]})
    mine = set(table.loc[table["employee_id"] == e_ids[i], "position_id"])
    assert p_ids[j] not in mine and p_ids[other] in mine
    several = recommend(
        scores, k=len(e_ids), by="employee", forbidden={e_ids[i]: [p_ids[j], p_ids[other]]}
    )
    mine = set(several.loc[several["employee_id"] == e_ids[i], "position_id"])
    assert mine == {p_ids[c] for c in np.flatnonzero(scores.eligible[i])} - {p_ids[j], p_ids[other]}
    allowed = recommend(scores, k=len(e_ids), allowed={e_ids[i]: p_ids[j]})
    assert pair_set(allowed) == {(e_ids[i], p_ids[j])}


def test_allow_and_block_are_deprecated_aliases(scores):
    first = scores.employees.ids[0]
    with pytest.warns(DeprecationWarning, match=r"'block' parameter of recommend is deprecated"):
        old = recommend(scores, k=3, block=[first])
    pd.testing.assert_frame_equal(old, recommend(scores, k=3, forbidden=[first]))
    for function in (succession, bench_strength):
        with pytest.warns(DeprecationWarning, match=r"'allow' parameter of .* use 'allowed'"):
            old = function(scores, allow=[first])
        pd.testing.assert_frame_equal(old, function(scores, allowed=[first]))
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match=r"Give 'allowed' only"):
        recommend(scores, allowed=[first], allow=[first])


def test_issue8_recommend_and_top_k_agree_on_number_one():
    """Regression (issue 8): recommend ranked composites to 9 decimals, Scores.top_k to 6.

    Two employees alike but for a performance 1.6e-6 apart have composites 4e-7 apart: equal to
    the ranking precision, so the neutral tie-break decides, in both calls.
    """
    codes = {"integritas": 4, "kerja_sama": 4}
    base = {"name": "x", "unit": "u", "rank": "III/c", "education": "S1", "potential": 60.0}
    ids = [f"E{t}" for t in range(40)]
    rank = dict(zip(ids, tiebreak_rank(ids), strict=True))
    # the neutral order puts `low` (the lower composite) before `high`
    low, high = sorted(ids[:2], key=rank.get)
    employees = pd.DataFrame([
        {**base, **codes, "employee_id": low, "performance": 80.0},
        {**base, **codes, "employee_id": high, "performance": 80.0000016},
    ])  # fmt: skip
    positions = pd.DataFrame([{
        "position_id": "P1", "title": "t", "unit": "u", "class": "Administrator", "seats": 1,
        "min_rank": "III/a", "min_education": "D3", **codes,
    }])  # fmt: skip
    s = score(employees, positions)
    gap = s.composite[1, 0] - s.composite[0, 0]
    assert 3e-7 < gap < 5e-7
    assert recommend(s, k=1)["employee_id"].tolist() == [low]
    assert s.top_k(1, by="position")["employee_id"].tolist() == [low]


def test_same_lists_for_shuffled_tables(workforce):
    employees, positions = workforce
    base = score(employees, positions)
    rng = np.random.default_rng(1)
    again = score(
        employees.iloc[rng.permutation(len(employees))].reset_index(drop=True),
        positions.iloc[rng.permutation(len(positions))].reset_index(drop=True),
    )
    for by in ("position", "employee"):
        key = ["position_id", "employee_id", "rank"]
        a = recommend(base, k=3, by=by)[key].sort_values(key).reset_index(drop=True)
        b = recommend(again, k=3, by=by)[key].sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)
    a = succession(base, k=3)[["position_id", "rank", "employee_id", "readiness"]]
    b = succession(again, k=3)[["position_id", "rank", "employee_id", "readiness"]]
    sort = ["position_id", "rank"]
    pd.testing.assert_frame_equal(
        a.sort_values(sort).reset_index(drop=True), b.sort_values(sort).reset_index(drop=True)
    )


@FAST
@given(
    st.integers(0, 2**32 - 1),
    st.integers(0, 2),
    st.integers(0, 2),
    st.sampled_from([None, 0.0, 1.0, 2.5]),
    st.booleans(),
)
def test_readiness_bands_equal_the_rules(seed, now, develop, max_gap, require_eligible):
    if develop < now:
        with pytest.raises(ValidationError, match=r"development_category"):
            ReadinessPolicy(ready_now_category=now, development_category=develop)
        return
    policy = ReadinessPolicy(
        ready_now_category=now,
        development_category=develop,
        max_gap_levels=max_gap,
        require_eligible=require_eligible,
    )
    rng = np.random.default_rng(seed)
    eligible = rng.random((6, 4)) < 0.6
    category = rng.integers(0, 3, (6, 4))
    gaps = rng.integers(0, 4, (6, 4)).astype(float)
    bands = readiness_bands(eligible, category, policy=policy, gaps=gaps)
    for i in range(6):
        for j in range(4):
            if eligible[i, j] and category[i, j] <= now:
                expected = "ready now"
            elif (eligible[i, j] or not require_eligible) and (
                category[i, j] <= develop or (max_gap is not None and gaps[i, j] <= max_gap)
            ):
                expected = "ready after development"
            else:
                expected = "not ready"
            assert READINESS_BANDS[bands[i, j]] == expected


def test_competency_gaps_equal_a_naive_loop(scores):
    gaps = competency_gaps(scores)
    employees, positions = scores.employees, scores.positions
    col = {c: t for t, c in enumerate(employees.codes)}
    for i in range(0, len(employees), 7):
        for j in range(len(positions)):
            worst = 0.0
            for t, code in enumerate(positions.codes):
                standard = positions.standard[j, t]
                if np.isnan(standard):
                    continue
                level = employees.levels[i, col[code]] if code in col else np.nan
                worst = max(worst, standard - (0.0 if np.isnan(level) else level))
            assert gaps[i, j] == pytest.approx(worst)


def test_issue8_gaps_use_the_alignment_of_scoring():
    """Regression (issue 8): competency_gaps aligned levels on its own; it reads Scores.levels.

    The gaps are the largest shortfalls of Scores.breakdown, with missing levels resolved by the
    policy (``missing_level="zero"``).
    """
    base = {"name": "x", "unit": "u", "rank": "III/c", "education": "S1",
            "performance": 80.0, "potential": 60.0}  # fmt: skip
    employees = pd.DataFrame([
        {**base, "employee_id": "E1", "integritas": 3, "kerja_sama": 4, "komunikasi": 5},
        {**base, "employee_id": "E2", "integritas": None, "kerja_sama": 2, "komunikasi": None},
    ])  # fmt: skip
    position = {"title": "t", "unit": "u", "class": "Administrator", "seats": 1,
                "min_rank": "III/a", "min_education": "D3"}  # fmt: skip
    positions = pd.DataFrame([
        {**position, "position_id": "P1", "integritas": 4, "kerja_sama": 3, "komunikasi": None},
        {**position, "position_id": "P2", "integritas": None, "kerja_sama": 4, "komunikasi": 4},
    ])  # fmt: skip
    s = score(employees, positions, config={"missing_level": "zero"})
    gaps = competency_gaps(s)
    shortfall = s.breakdown(["E1", "E2"]).groupby(["employee_id", "position_id"], observed=True)[
        "shortfall"
    ]
    expected = shortfall.max().unstack().loc[["E1", "E2"], ["P1", "P2"]].to_numpy()
    np.testing.assert_array_equal(gaps, expected)
    assert gaps.tolist() == [[1.0, 0.0], [4.0, 4.0]]


@pytest.mark.parametrize(
    "policy",
    [None, {"max_gap_levels": 1}, {"require_eligible": False}, {"development_category": 0}],
)
def test_succession_and_bench_strength(scores, policy):
    table = succession(scores, k=4, policy=policy, include_not_ready=True)
    resolved = ReadinessPolicy.model_validate(policy or {})
    gaps = competency_gaps(scores)
    bands = readiness_bands(scores.eligible, scores.category_code, policy=resolved, gaps=gaps)
    holders = holders_of(scores)
    i = pd.Index(scores.employees.ids).get_indexer(table["employee_id"])
    j = pd.Index(scores.positions.ids).get_indexer(table["position_id"])
    assert (holders[i] != j).all()  # a holder is not their own successor
    assert (table["readiness"].to_numpy() == np.array(READINESS_BANDS)[bands[i, j]]).all()
    assert np.allclose(table["gap"], gaps[i, j])
    code = pd.Series(bands[i, j])
    for _, group in table.assign(code=code.to_numpy()).groupby("position_id", observed=True):
        assert group["rank"].tolist() == list(range(1, len(group) + 1))
        order = list(zip(group["code"], -group["composite"], strict=True))
        assert order == sorted(order)
    if resolved.development_category == 0 and resolved.max_gap_levels is None:
        assert "ready after development" not in set(table["readiness"])
    ready_only = succession(scores, k=4, policy=policy)
    assert len(ready_only) and "not ready" not in set(ready_only["readiness"])
    # the ready lists are the full lists without their "not ready" rows, re-ranked
    ready = table[table["readiness"] != "not ready"].drop(columns="rank")
    pd.testing.assert_frame_equal(
        ready_only.drop(columns="rank").reset_index(drop=True),
        ready.groupby("position_id", sort=False, observed=True).head(4).reset_index(drop=True),
    )

    bench = bench_strength(scores, policy=policy)
    m = len(scores.positions)
    others = holders[:, None] != np.arange(m)[None, :]
    for b, column in enumerate(["ready_now", "ready_after_development", "not_ready"]):
        assert bench[column].tolist() == np.count_nonzero(others & (bands == b), axis=0).tolist()
    assert bench["holders"].tolist() == np.bincount(holders[holders >= 0], minlength=m).tolist()
    assert np.allclose(bench["bench_strength"], bench["ready_now"] / bench["seats"])


def test_bad_options_are_rejected(workforce, scores):
    with pytest.raises(ValueError, match=r"The 'k' parameter of recommend"):
        recommend(scores, k=0)
    with pytest.raises(ValueError, match=r"The 'by' parameter of recommend"):
        recommend(scores, by="unit")
    with pytest.raises(ValueError, match=r"The 'policy' parameter of succession"):
        succession(scores, policy="strict")
    with pytest.raises(ValidationError):
        bench_strength(scores, policy={"ready_now": 1})
    with pytest.raises(ValueError, match=r"needs 'gaps'"):
        readiness_bands(
            np.ones((1, 1), bool), np.zeros((1, 1), int), policy=ReadinessPolicy(max_gap_levels=1)
        )
    for function in (recommend, succession, bench_strength):
        with pytest.raises(ValueError, match=rf"'scores' parameter of {function.__name__} must"):
            function(workforce[0])
    streamed = score(*workforce, dense=False, top_k=3)
    for function in (recommend, succession):
        with pytest.raises(ValueError, match=r"must be at most 3, the top_k this streamed"):
            function(streamed, k=4)
    with pytest.raises(ValueError, match=r"recommend\(eligible_only=False\) needs dense scores"):
        recommend(streamed, k=3, eligible_only=False)


# ----------------------------------------------------------------------------- streamed scores


@FEW
@given(
    st.integers(0, 10_000),
    st.integers(1, 40),
    st.integers(1, 12),
    st.integers(1, 6),
    st.sampled_from(["position", "employee"]),
)
def test_recommend_on_streamed_scores_gives_the_dense_rows(seed, n, m, top_k, by):
    """Issue 9: with k <= top_k, the candidate pairs hold every list whole."""
    employees, positions = synthetic_workforce(n, m, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        employees, positions = read_employees(employees), read_positions(positions)
    dense = score(employees, positions)
    streamed = score(employees, positions, dense=False, top_k=top_k, block_size=7)
    for k in range(1, top_k + 1):
        pd.testing.assert_frame_equal(recommend(streamed, k=k, by=by), recommend(dense, k=k, by=by))


def test_streamed_lists_rank_the_candidate_pairs(workforce):
    dense = score(*workforce)
    streamed = score(*workforce, dense=False, top_k=4)
    c = streamed.candidates
    kept = np.zeros(dense.shape, bool)
    kept[c.employee_index, c.position_index] = True
    # filters apply to the candidates: the dense ranking of the kept pairs, not refilled
    forbidden = list(dense.employees.ids[::3])
    got = recommend(streamed, k=4, forbidden=forbidden)
    allowed_kept = [(e, p) for e, p in zip(*np.nonzero(kept), strict=True) if e % 3]
    as_pairs = [(dense.employees.ids[e], dense.positions.ids[p]) for e, p in allowed_kept]
    want = recommend(dense, k=4, allowed=as_pairs)
    pd.testing.assert_frame_equal(got, want)
    assert not set(got["employee_id"]) & set(forbidden)
    # succession and bench strength: the dense bands, gaps and ranking of the kept pairs
    policy = {"max_gap_levels": 1}
    table = succession(streamed, k=4, policy=policy, include_not_ready=True)
    i = pd.Index(dense.employees.ids).get_indexer(table["employee_id"])
    j = pd.Index(dense.positions.ids).get_indexer(table["position_id"])
    assert kept[i, j].all()
    gaps = competency_gaps(dense)
    bands = readiness_bands(
        dense.eligible, dense.category_code, policy=ReadinessPolicy(**policy), gaps=gaps
    )
    holders = holders_of(dense)
    assert (table["readiness"].to_numpy() == np.array(READINESS_BANDS)[bands[i, j]]).all()
    assert np.allclose(table["gap"], gaps[i, j])
    expected = []
    for p in range(dense.shape[1]):
        mine = [e for e in np.flatnonzero(kept[:, p]) if holders[e] != p]
        tie = tiebreak_rank(dense.employees.ids)
        mine.sort(key=lambda e: (bands[e, p], -round(dense.composite[e, p], 6), tie[e]))
        expected += [(p, e) for e in mine[:4]]
    assert list(zip(j, i, strict=True)) == expected
    bench = bench_strength(streamed, policy=policy)
    others = kept & (holders[:, None] != np.arange(dense.shape[1])[None, :])
    dense_bench = bench_strength(dense, policy=policy)
    for b, column in enumerate(["ready_now", "ready_after_development", "not_ready"]):
        assert bench[column].tolist() == np.count_nonzero(others & (bands == b), axis=0).tolist()
        assert (bench[column] <= dense_bench[column]).all()


def test_streamed_scores_keeping_every_eligible_pair_give_the_dense_lists(workforce):
    dense = score(*workforce)
    everything = score(*workforce, dense=False, top_k=len(workforce[0]))
    assert len(everything.candidates) == int(dense.eligible.sum())
    ids = list(dense.employees.ids[:10])
    for options in ({}, {"allowed": ids}, {"forbidden": ids}):
        pd.testing.assert_frame_equal(
            recommend(everything, k=6, **options), recommend(dense, k=6, **options)
        )
    for policy in (None, {"max_gap_levels": 1}, {"development_category": 0}):
        pd.testing.assert_frame_equal(
            succession(everything, k=4, policy=policy), succession(dense, k=4, policy=policy)
        )
        got, want = bench_strength(everything, policy=policy), bench_strength(dense, policy=policy)
        # a stream keeps eligible pairs only: the ineligible "not ready" are not counted
        pd.testing.assert_frame_equal(got.drop(columns="not_ready"), want.drop(columns="not_ready"))


def test_recommend_frames_hold_categorical_ids(scores):
    table = recommend(scores, k=2)
    for name in ("employee_id", "position_id", "category", "reasons"):
        assert isinstance(table[name].dtype, pd.CategoricalDtype)
    assert table["employee_id"].cat.categories.tolist() == sorted(scores.employees.ids.tolist())
