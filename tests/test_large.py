"""Placement of streamed scores: candidate pairs, certified against every pair."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_match as am
from asn_match.datasets import synthetic_workforce
from asn_match.errors import InvalidParameterError
from asn_match.kernels.certify import PairRules, block_violations, pair_weights, price_block
from asn_match.large import CandidatePlacement, place_candidates

FEW = settings(deadline=None, max_examples=12)

OPTIONS = [
    {},
    {"prefer_stay": False},
    {"incumbent_bonus": 3.0},
    {"min_category": "Masih Memenuhi Syarat", "min_score": 60.0},
]


def both(n, m, seed, top_k):
    employees, positions = synthetic_workforce(n, m, seed=seed)
    return am.score(employees, positions), am.score(employees, positions, dense=False, top_k=top_k)


@FEW
@given(
    st.integers(30, 250),
    st.integers(2, 25),
    st.integers(0, 2**16),
    st.integers(1, 4),
    st.sampled_from(OPTIONS),
)
def test_certified_placement_equals_the_dense_optimum(n, m, seed, top_k, options):
    dense, streamed = both(n, m, seed, top_k)
    exact = am.assign(dense, **options).summary()
    certified = am.assign(streamed, **options)
    assert isinstance(certified, CandidatePlacement)
    s = certified.summary()
    assert s["optimal"] and certified.certificate.stopped is None
    assert s["objective_value"] == pytest.approx(exact["objective_value"], rel=1e-9, abs=1e-6)
    assert s["duality_gap"] == pytest.approx(0.0, abs=1e-6)
    if options.get("prefer_stay", True):
        assert s["moves"] == exact["moves"]  # the same fewest-moves tie-break
    # every seat and every employee accounted for, capacities respected
    pos = certified.employee_position
    assert (np.bincount(pos[pos >= 0], minlength=m) <= certified.seats).all()
    allowed = np.asarray(dense.eligible)
    placed = np.flatnonzero(pos >= 0)
    assert allowed[placed, pos[placed]].all()


def test_too_small_candidates_still_end_certified_optimal():
    dense, streamed = both(600, 30, 7, top_k=1)
    certified = am.assign(streamed)
    assert certified.certificate.optimal
    assert certified.certificate.rounds > 1  # the first candidates were not enough
    assert certified.objective_value == pytest.approx(
        am.assign(dense).summary()["objective_value"], rel=1e-9
    )


def test_stopped_early_says_so_and_its_gap_bounds_the_loss():
    dense, streamed = both(600, 30, 7, top_k=1)
    stopped = place_candidates(streamed, max_rounds=1)
    cert = stopped.certificate
    assert not cert.optimal and cert.stopped == "rounds" and cert.largest_violation > 0
    best = am.assign(dense).summary()["objective_value"]
    assert stopped.objective_value <= best + 1e-6
    assert best - stopped.objective_value <= cert.duality_gap + 1e-6  # weak duality


def test_a_planted_violating_pair_is_caught():
    rng = np.random.default_rng(0)
    weights = rng.integers(1, 100, size=(6, 4))
    prices = np.array([50, 40, 30, 20])
    values = np.maximum((weights - prices).max(axis=1), 0)
    clean = block_violations(weights, np.ones_like(weights, bool), prices, values)
    assert clean.rows.size == 0 and clean.largest_violation == 0
    planted = weights.copy()
    planted[3, 2] = prices[2] + values[3] + 5  # worth 5 more than employee 3 gets
    caught = block_violations(planted, np.ones_like(weights, bool), prices, values)
    assert list(zip(caught.rows.tolist(), caught.cols.tolist(), strict=True)) == [(3, 2)]
    assert caught.largest_violation == 5 and caught.values[3] == values[3] + 5
    # a forbidden pair never violates
    mask = np.ones_like(weights, bool)
    mask[3, 2] = False
    assert block_violations(planted, mask, prices, values).rows.size == 0


def test_frame_and_export_of_a_certified_placement(tmp_path):
    _, streamed = both(200, 10, 3, top_k=2)
    placement = am.assign(streamed)
    frame = placement.to_frame()
    unfilled = int(placement.seats.sum() - np.count_nonzero(placement.employee_position >= 0))
    assert len(frame) == 200 + unfilled
    assert frame["employee_id"].dtype == "category"
    placed = frame[frame["status"] == "placed"]
    assert placed["composite"].sum() == pytest.approx(placement.summary()["total_score"])
    out = placement.export(tmp_path / "placement.csv")
    assert out.exists() and len(out.read_text(encoding="utf-8").splitlines()) == len(frame) + 1


@pytest.mark.parametrize(
    "option",
    [
        {"max_moves": 3},
        {"objective": "fill_first"},
        {"method": "dense"},
        {"locked": [("a", "b")]},
    ],
)
def test_options_that_need_dense_scores_are_refused_by_name(option):
    _, streamed = both(50, 5, 1, top_k=2)
    name = next(iter(option))
    with pytest.raises(InvalidParameterError, match=rf"'{name}' parameter of assign"):
        am.assign(streamed, **option)


@settings(deadline=None, max_examples=40)
@given(
    st.integers(1, 6),
    st.integers(1, 5),
    st.integers(0, 2**16),
    st.booleans(),
    st.sampled_from([1, 4]),
)
def test_price_block_equals_weights_then_block_violations(b, m, seed, with_rules, stay_unit):
    """The compiled pass against its reference: pair_weights on every pair, then the numpy check."""
    rng = np.random.default_rng(seed)
    composite = np.round(rng.uniform(40, 100, (b, m)), 3)
    jpm = np.round(rng.uniform(50, 100, (b, m)), 3)
    eligible = rng.random((b, m)) < 0.8
    order = rng.permutation(m)
    stay_col = np.where(rng.random(b) < 0.5, rng.integers(0, m, b), -1)
    forbidden = rng.random((b, m)) < (0.2 if with_rules else 0.0)  # canonical columns
    rules = PairRules(
        min_score=60.0 if with_rules else -np.inf,
        worst_category=1 if with_rules else 99,
        thresholds=np.array([80.0, 68.0]),
        bonus=2.5,
        quantum=1e-3,
        stay_unit=stay_unit,
    )
    prices = rng.integers(0, 60_000 * stay_unit, m)
    candidate = rng.integers(0, 40_000 * stay_unit, b)
    indptr = np.r_[0, np.cumsum(forbidden.sum(axis=1))]
    cols = np.concatenate([np.flatnonzero(row) for row in forbidden] + [np.empty(0, int)])
    fast = price_block(
        composite, jpm, eligible, order, stay_col, (indptr, cols), prices, candidate, rules,
        per_row=m,
    )  # fmt: skip
    # reference: canonical columns, every pair weighed alone
    c_comp, c_jpm, c_elig = composite[:, order], jpm[:, order], eligible[:, order]
    stay = stay_col[:, None] == np.arange(m)[None, :]
    _, weights = pair_weights(c_comp.ravel(), c_jpm.ravel(), stay.ravel(), rules)
    weights = weights.reshape(b, m)
    allowed = c_elig & ~forbidden & (weights > 0)
    slow = block_violations(weights, allowed, prices, candidate, per_row=m)
    assert fast.values.tolist() == slow.values.tolist()
    assert fast.largest_violation == slow.largest_violation and fast.pairs == slow.pairs
    assert set(zip(fast.rows.tolist(), fast.cols.tolist(), fast.weights.tolist(), strict=True)) == (
        set(zip(slow.rows.tolist(), slow.cols.tolist(), slow.weights.tolist(), strict=True))
    )


def test_progress_bars_of_streamed_scoring_and_certification(capsys, monkeypatch):
    employees, positions = synthetic_workforce(300, 12, seed=5)
    streamed = am.score(employees, positions, dense=False, top_k=1, block_size=50, progress=True)
    assert "/300 [" in capsys.readouterr().err  # a bar over the 300 employees, block by block
    placement = am.assign(streamed, progress=True)
    assert placement.certificate.optimal
    assert "pricing every pair" in capsys.readouterr().err
    monkeypatch.setitem(__import__("sys").modules, "tqdm.auto", None)  # tqdm not installed
    with pytest.raises(InvalidParameterError, match=r"asn_match\[progress\]"):
        am.assign(streamed, progress=True)
    with pytest.raises(InvalidParameterError, match=r"'progress' parameter of score"):
        am.score(employees, positions, dense=False, progress=True)


def test_duality_gap_is_exact_beyond_int64():
    """Regression: the dual sum passed int64 at scale (weights near 2**55), and a stopped run
    reported a gap of 0 while pairs still violated the prices."""
    from asn_match.large import _exact_dot

    big = np.full(4000, 2**55, dtype=np.int64)
    assert _exact_dot(np.ones_like(big), big) == 4000 * 2**55  # int64 would wrap
    _, streamed = both(600, 30, 7, top_k=1)
    stopped = place_candidates(streamed, max_rounds=1)
    assert stopped.certificate.duality_gap > 0
