"""Placement of streamed scores: candidate pairs, certified against every pair."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_match as am
from asn_match.datasets import synthetic_workforce
from asn_match.errors import InvalidParameterError
from asn_match.kernels.certify import (
    ColumnViolators,
    PairRules,
    block_violations,
    pair_weights,
    price_block,
)
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


@given(
    st.one_of(
        st.floats(-1e5, 1e6, allow_nan=False),
        st.integers(-(2**49), 2**49).map(lambda k: (k + 0.5) / 1e9),  # halfway at 1e-9
    )
)
def test_weighing_at_the_finest_quantum_takes_one_rounding(composite):
    """price_block's shortcut: at quantum 1e-9 the rounding to 1e-9 and the division by the
    quantum leave rint(c * 1e9) itself."""
    full = np.rint((np.rint(composite * 1e9) / 1e9) / 1e-9)
    assert full == np.rint(composite * 1e9)


@settings(deadline=None, max_examples=40)
@given(
    st.integers(1, 6),
    st.integers(1, 5),
    st.integers(0, 2**16),
    st.booleans(),
    st.sampled_from([1, 4]),
    st.sampled_from([1e-3, 1e-9]),
)
def test_price_block_equals_weights_then_block_violations(
    b, m, seed, with_rules, stay_unit, quantum
):
    """The compiled pass against its reference: scoring's rounding and composite, pair_weights
    on every pair, then the numpy check; the positions' lists and the claimed free seats (at
    the finest quantum the pass weighs by fewer roundings, to the same integers)."""
    rng = np.random.default_rng(seed)
    jpm = rng.uniform(50, 110, (b, m))  # canonical columns, not rounded
    merit = np.round(rng.uniform(10, 40, b), 3)
    jpm_weight = 0.6
    profiles = rng.random((3, m)) < 0.8
    profile = rng.integers(0, 3, b)
    stay_col = np.where(rng.random(b) < 0.5, rng.integers(0, m, b), -1)
    forbidden = rng.random((b, m)) < (0.2 if with_rules else 0.0)
    rules = PairRules(
        min_score=60.0 if with_rules else -np.inf,
        worst_category=1 if with_rules else 99,
        thresholds=np.array([80.0, 68.0]),
        bonus=2.5,
        quantum=quantum,
        stay_unit=stay_unit,
    )
    steps = round(1e-3 / quantum)  # quanta of 0.001 score units
    prices = rng.integers(0, 60_000 * stay_unit * steps, m)
    candidate = rng.integers(0, 40_000 * stay_unit * steps, b)
    assigned = np.where(rng.random(b) < 0.4, -1, 0)
    free = rng.integers(0, 3, m)
    indptr = np.r_[0, np.cumsum(forbidden.sum(axis=1))]
    cols = np.concatenate([np.flatnonzero(row) for row in forbidden] + [np.empty(0, int)])
    gathered = ColumnViolators(np.full(m, b), free)
    fast = price_block(
        jpm, merit, jpm_weight, (profiles, profile), stay_col, (indptr, cols), prices, candidate,
        rules, jpm_decimals=2, per_row=m, columns=gathered, assigned=assigned, keep_stay=True,
        row_offset=10,
    )  # fmt: skip
    # reference: every pair rounded, composed and weighed alone
    rounded = np.round(jpm, 2)
    composite = np.minimum(rounded, 100.0) * jpm_weight + merit[:, None]
    stay = stay_col[:, None] == np.arange(m)[None, :]
    _, weights = pair_weights(composite.ravel(), rounded.ravel(), stay.ravel(), rules)
    weights = weights.reshape(b, m)
    allowed = profiles[profile] & ~forbidden & (weights > 0)
    slow = block_violations(weights, allowed, prices, candidate, per_row=m)
    assert fast.values.tolist() == slow.values.tolist()
    assert fast.largest_violation == slow.largest_violation and fast.pairs == slow.pairs
    violators = set(zip(slow.rows.tolist(), slow.cols.tolist(), slow.weights.tolist(), strict=True))
    got = set(zip(fast.rows.tolist(), fast.cols.tolist(), fast.weights.tolist(), strict=True))
    # the lists of the positions hold every violator (their limits are not reached here)
    by_column = set(
        zip((gathered.rows - 10).tolist(), gathered.cols.tolist(), gathered.weights.tolist(),
            strict=True)
    )  # fmt: skip
    assert by_column == violators
    assert np.array_equal(gathered.raw_jpm, jpm[gathered.rows - 10, gathered.cols])
    # claims: unplaced rows, in order, each take the best allowed column with a seat left
    left = free.copy()
    claims = set()
    for r in range(b):
        if assigned[r] >= 0:
            continue
        options = np.flatnonzero(allowed[r] & (left > 0))
        if options.size:
            c = options[np.argmax(weights[r, options] - prices[options])]  # first of the best
            left[c] -= 1
            claims.add((r, int(c), int(weights[r, c])))
    # kept stays: every incumbent's allowed pair with its own position
    stays = {
        (r, int(stay_col[r]), int(weights[r, stay_col[r]]))
        for r in range(b)
        if stay_col[r] >= 0 and allowed[r, stay_col[r]]
    }
    assert got == violators | claims | stays
    assert gathered.free.tolist() == left.tolist()
    # with room for two per row, each row keeps its two largest slacks
    few = price_block(
        jpm, merit, jpm_weight, (profiles, profile), stay_col, (indptr, cols), prices, candidate,
        rules, jpm_decimals=2, per_row=2,
    )  # fmt: skip
    slack = np.where(allowed, weights - prices[None, :] - candidate[:, None], 0)
    for r in range(b):
        mine = few.rows == r
        kept = few.weights[mine] - prices[few.cols[mine]] - candidate[r]
        assert sorted(kept.tolist()) == sorted(slack[r][slack[r] > 0].tolist())[-2:]
    # with candidates: each row's best w_ij - v_j over its allowed pairs neither candidates
    # nor among its own kept violators (the positions' lists are not the row's)
    known = rng.random((b, m)) < 0.4
    known_ptr = np.r_[0, np.cumsum(known.sum(axis=1))]
    known_cols = np.concatenate([np.flatnonzero(row) for row in known] + [np.empty(0, int)])
    seen = price_block(
        jpm, merit, jpm_weight, (profiles, profile), stay_col, (indptr, cols), prices, candidate,
        rules, jpm_decimals=2, candidates=(known_ptr, known_cols),
    )  # fmt: skip
    assert few.outside is None and seen.values.tolist() == fast.values.tolist()
    kept = np.zeros((b, m), bool)
    kept[seen.rows, seen.cols] = True  # all placed, no stays kept: the rows' violators only
    reduced = np.where(allowed & ~known & ~kept, weights - prices[None, :], np.iinfo(np.int64).min)
    outside = reduced.max(axis=1)
    assert np.array_equal(seen.outside[outside > -(2**60)], outside[outside > -(2**60)])
    assert (seen.outside[outside <= -(2**60)] < -(2**60)).all()  # no pair outside


@settings(deadline=None, max_examples=40)
@given(st.integers(1, 6), st.integers(1, 5), st.integers(0, 2**16), st.integers(0, 30_000))
def test_price_block_near_best_keeps_the_pairs_near_each_rows_best(b, m, seed, near):
    """near_best: the pairs within ``near`` of their row's best w - v "violate", by the numpy
    check from those values; a position's list keeps its pairs of least reduced cost."""
    rng = np.random.default_rng(seed)
    jpm = rng.uniform(50, 110, (b, m))
    merit = np.round(rng.uniform(10, 40, b), 3)
    profiles = rng.random((2, m)) < 0.7
    profile = rng.integers(0, 2, b)
    rules = PairRules(-np.inf, 99, np.array([80.0, 68.0]), 0.0, 1e-3, 1)
    prices = rng.integers(0, 60_000, m)
    limit = rng.integers(0, b + 1, m)
    gathered = ColumnViolators(limit)
    none = (np.zeros(b + 1, np.int64), np.zeros(0, np.int64))
    fast = price_block(
        jpm, merit, 0.6, (profiles, profile), np.full(b, -1), none, prices,
        np.zeros(b, np.int64), rules, jpm_decimals=2, per_row=m, columns=gathered,
        near_best=near,
    )  # fmt: skip
    rounded = np.round(jpm, 2)
    composite = np.minimum(rounded, 100.0) * 0.6 + merit[:, None]
    _, weights = pair_weights(composite.ravel(), rounded.ravel(), np.zeros(b * m, bool), rules)
    weights = weights.reshape(b, m)
    allowed = profiles[profile] & (weights > 0)
    reduced = np.where(allowed, weights - prices[None, :], np.iinfo(np.int64).min // 4)
    best = reduced.max(axis=1)
    candidate = np.where(allowed.any(axis=1), best - near, np.iinfo(np.int64).max // 4)
    slow = block_violations(weights, allowed, prices, candidate, per_row=m)
    assert fast.values.tolist() == slow.values.tolist()
    got = set(zip(fast.rows.tolist(), fast.cols.tolist(), fast.weights.tolist(), strict=True))
    assert got == set(
        zip(slow.rows.tolist(), slow.cols.tolist(), slow.weights.tolist(), strict=True)
    )
    # each position: its `limit` pairs of least reduced cost best - (w - v) among those near
    rc = best[:, None] - reduced
    for c in range(m):
        near_c = np.flatnonzero(allowed[:, c] & (rc[:, c] < near))
        kept = gathered.rows[gathered.cols == c]
        assert kept.size == min(limit[c], near_c.size)
        assert sorted(rc[kept, c].tolist()) == sorted(rc[near_c, c].tolist())[: kept.size]


def test_positions_keep_their_most_violating_pairs():
    """A position's list keeps its largest slacks when more pairs violate than it may keep."""
    rng = np.random.default_rng(3)
    b, m = 40, 3
    jpm = rng.uniform(60, 100, (b, m))
    rules = PairRules(-np.inf, 99, np.array([80.0, 68.0]), 0.0, 1e-2, 1)
    prices = np.zeros(m, np.int64)
    candidate = np.zeros(b, np.int64)  # every allowed pair violates
    gathered = ColumnViolators(np.array([0, 1, 5]))
    everyone = (np.ones((1, m), bool), np.zeros(b, np.int64))
    none = (np.zeros(b + 1, np.int64), np.zeros(0, np.int64))
    for start in range(0, b, 7):  # blocks: the lists carry over
        block = slice(start, start + 7)
        price_block(
            jpm[block], np.zeros(jpm[block].shape[0]), 1.0, everyone,
            np.full(jpm[block].shape[0], -1), (none[0][: jpm[block].shape[0] + 1], none[1]),
            prices, candidate[block], rules, jpm_decimals=2, columns=gathered, row_offset=start,
        )  # fmt: skip
    weights = np.rint(np.round(jpm, 2) / 1e-2).astype(np.int64)
    assert gathered.cols.tolist() == [1] + [2] * 5
    for c, limit in ((1, 1), (2, 5)):
        kept = np.sort(gathered.slacks[gathered.cols == c])
        assert kept.tolist() == np.sort(weights[:, c])[-limit:].tolist()


def test_spread_rows_violators_over_the_positions_they_tie_on():
    """Rows that all rank the same positions first keep them up to a position's share.

    Every employee is worth the same at positions 0-3 (the tied "easy" positions of a wide
    market) and position 0 is the cheapest: without spreading each row keeps the same
    cheapest positions; with a share of 4 a position, only the first four rows keep each one and
    the others keep the positions left, blocks carrying the counts over. The rows' values and
    largest violation are those of every pair either way.
    """
    b, m, per_row = 10, 6, 2
    jpm = np.tile([90.0, 90.0, 90.0, 90.0, 50.0, 40.0], (b, 1))
    rules = PairRules(-np.inf, 99, np.array([80.0, 68.0]), 0.0, 1.0, 1)
    prices = np.array([0, 1, 2, 3, 0, 0], np.int64)
    candidate = np.zeros(b, np.int64)  # every allowed pair violates
    everyone = (np.ones((1, m), bool), np.zeros(b, np.int64))
    none = (np.zeros(b + 1, np.int64), np.zeros(0, np.int64))

    def check(spread):
        gathered = ColumnViolators(np.zeros(m, np.int64), spread=spread)
        kept, values, largest = [], [], 0
        for start in range(0, b, 4):
            block = slice(start, start + 4)
            k = jpm[block].shape[0]
            found = price_block(
                jpm[block], np.zeros(k), 1.0, (everyone[0], everyone[1][:k]), np.full(k, -1),
                (none[0][: k + 1], none[1]), prices, candidate[block], rules, jpm_decimals=2,
                per_row=per_row, columns=gathered, row_offset=start,
            )  # fmt: skip
            kept.append(np.stack([found.rows + start, found.cols], axis=1))
            values.append(found.values)
            largest = max(largest, found.largest_violation)
        return np.concatenate(kept), np.concatenate(values), largest

    crowded, values, largest = check(None)
    assert sorted(set(crowded[:, 1].tolist())) == [0, 1]  # everyone keeps the two cheapest
    spread, spread_values, spread_largest = check(np.full(m, 4))
    assert np.bincount(spread[:, 1], minlength=m).tolist() == [4, 4, 4, 4, 2, 2]
    for rows, cols in ((range(0, 4), [0, 1]), (range(4, 8), [2, 3]), (range(8, 10), [4, 5])):
        for row in rows:  # each row keeps its best positions among those not yet taken
            assert sorted(spread[spread[:, 0] == row, 1].tolist()) == cols
    np.testing.assert_array_equal(spread_values, values)
    assert spread_largest == largest == 90


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


@FEW
@given(
    st.integers(60, 300),
    st.integers(3, 20),
    st.integers(0, 2**16),
    st.sampled_from(OPTIONS),
)
def test_candidates_from_sampled_prices_end_certified_optimal(n, m, seed, options):
    """The first candidates of a large workforce come from prices learnt on samples of it
    (recursively); forced here on small ones, the placement is still the dense optimum."""
    from unittest import mock

    dense, streamed = both(n, m, seed, top_k=2)
    exact = am.assign(dense, **options).summary()
    small = {"_DIRECT_PAIRS": 64, "_EVERY_PAIR": 64, "_SAMPLE_ROUNDS": 2, "_FIRST_PER_ROW": 1}
    with mock.patch.multiple("asn_match.large", **small):
        certified = am.assign(streamed, **options)
    s = certified.summary()
    assert s["optimal"] and certified.certificate.stopped is None
    assert s["objective_value"] == pytest.approx(exact["objective_value"], rel=1e-9, abs=1e-6)
    if options.get("prefer_stay", True):
        assert s["moves"] == exact["moves"]


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(0, 50), min_size=1, max_size=30), st.floats(0.01, 1.0))
def test_scaled_seats_keep_the_share_of_every_position(capacity, share):
    from asn_match.large import _scaled_seats

    capacity = np.array(capacity, dtype=np.int64)
    seats = _scaled_seats(capacity, share)
    assert seats.sum() == round(capacity.sum() * share)
    assert (seats >= np.floor(capacity * share)).all() and (
        seats <= np.ceil(capacity * share)
    ).all()


def test_a_placement_beyond_memory_is_refused_before_any_work(monkeypatch):
    from asn_match import large

    _, streamed = both(50, 5, 1, top_k=2)
    monkeypatch.setattr(large, "_machine_memory", lambda: 10**6)  # a 1 MB machine
    monkeypatch.setattr(large, "_priced_pairs", None)  # any work would fail otherwise
    with pytest.raises(InvalidParameterError, match=r"need about 0\.\d GB .* more than its memory"):
        am.assign(streamed)
    assert large.memory_estimate(100_000, 2_000) < large.memory_estimate(1_000_000, 20_000)


def test_default_time_limit_lets_streamed_rounds_reach_their_certificate(monkeypatch):
    """time_limit="auto": no limit on the certification rounds, 60 s on the MILP stage."""
    from asn_match import placement as placement_module

    dense, streamed = both(60, 5, 2, top_k=2)
    assert am.assign(dense).options["time_limit"] == 60.0
    assert am.assign(streamed).options["time_limit"] is None
    assert am.assign(streamed, time_limit=5.0).options["time_limit"] == 5.0
    seen = []
    real = placement_module.place_candidates
    monkeypatch.setattr(
        placement_module,
        "place_candidates",
        lambda scores, **kw: seen.append(kw["time_limit"]) or real(scores, **kw),
    )
    am.assign(streamed)
    assert seen == [None]


@FEW
@given(st.integers(40, 250), st.integers(3, 20), st.integers(0, 2**16), st.sampled_from(OPTIONS))
def test_rows_proven_by_their_bounds_change_nothing_in_a_check(n, m, seed, options):
    """A check prices in full only the rows whose bound (their best pair outside the candidates,
    raised by the prices' falls since) passes their value, and the others on the columns whose
    prices fell most; each check equals a check of every pair: the same dual objective and
    largest violation."""
    from unittest import mock

    from asn_match import _large_pricing, large

    checks = []
    original = large.check_rows

    def both_checks(*given, **k):
        every = {**k, "bound": None, "change": None}
        partial, full = original(*given, **k), original(*given, **every)
        checks.append((partial.scanned, full.scanned))
        assert partial.values_sum == full.values_sum
        assert partial.largest_violation == full.largest_violation
        # without the positions' shares (taken by the rows that come first), the rows keeping
        # violators in a partial check keep them in a full one
        alone, every_alone = {**k, "spread": False}, {**every, "spread": False}
        partial, full = original(*given, **alone), original(*given, **every_alone)
        assert set(np.unique(partial.rows)) <= set(np.unique(full.rows))
        return original(*given, **k)

    _, streamed = both(n, m, seed, top_k=1)
    # a row priced on a few columns costs only them: small problems take that path too
    with (
        mock.patch.object(large, "check_rows", both_checks),
        mock.patch.object(_large_pricing, "_NARROW_ROW", 0),
    ):
        certified = am.assign(streamed, **options)
    assert certified.certificate.optimal
    assert checks and checks[0][0] == checks[0][1]  # the first check prices every row


@FEW
@given(st.integers(30, 200), st.integers(2, 20), st.integers(0, 2**16), st.integers(1, 40))
def test_many_blocks_of_a_check_equal_one_block(n, m, seed, block_rows):
    """Many blocks of rows (the positions' lists and claimed seats carried from one to the
    next) give the placement and certificate of one block of every row."""
    from unittest import mock

    from asn_match import _large_pricing

    _, streamed = both(n, m, seed, top_k=1)
    one = place_candidates(streamed)
    with mock.patch.object(_large_pricing, "BLOCK_PAIRS", block_rows * m):
        many = place_candidates(streamed)
    assert np.array_equal(many.employee_position, one.employee_position)
    assert many.certificate == one.certificate


def test_a_check_skips_the_rows_its_bounds_prove():
    """At 2,000 x 40 from the stream's top pair only (the first candidates chosen at prices
    learnt on a sample, with each row's bound on the pairs it did not keep), every check,
    the first included, prices fewer rows in full and fewer pairs than a check of every pair,
    and equals it."""
    from unittest import mock

    from asn_match import large

    scanned = []
    original = large.check_rows

    def counted(scores, problem, scorer, rows, *a, **k):
        check = original(scores, problem, scorer, rows, *a, **k)
        full = original(scores, problem, scorer, rows, *a, **{**k, "bound": None, "change": None})
        assert check.values_sum == full.values_sum
        assert check.largest_violation == full.largest_violation
        scanned.append((check.scanned / rows.size, check.pairs / full.pairs))
        return check

    _, streamed = both(2000, 40, 3, top_k=1)
    with mock.patch.object(large, "check_rows", counted):
        certified = place_candidates(streamed)
    assert certified.certificate.optimal and len(scanned) >= 2
    assert scanned[0][0] < 0.9 and scanned[0][1] < 0.9
    assert max(share for share, _ in scanned) < 1.0 and max(p for _, p in scanned) < 1.0


def test_seats_open_to_each_employee_are_those_of_its_eligible_positions():
    from asn_match._scoring_stream import BlockScorer

    dense, streamed = both(120, 9, 4, top_k=2)
    prep = streamed._prepared
    columns = np.arange(9)[::-1]  # any order of the positions
    scorer = BlockScorer(prep, streamed.config, columns)
    seats = np.arange(1, 10)
    rows = np.array([5, 0, 119, 5])
    expected = np.asarray(dense.eligible)[rows][:, columns].astype(np.int64) @ seats
    assert scorer.eligible.seats_open_to(rows, seats).tolist() == expected.tolist()


pair_lists = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 4), st.integers(1, 99)))


@settings(deadline=None, max_examples=200)
@given(pair_lists, pair_lists)
def test_adding_candidate_pairs_is_the_union_where_the_new_weigh(old, new):
    """_Pairs.add merges new pairs into the sorted keys: the union of both, each pair once,
    a pair given again taking its new weight (of equal new pairs, the first), and the pairs
    it was added to unchanged."""
    from asn_match.large import _Pairs

    def added(pairs, given):
        rows, cols, weights = np.array(given, dtype=np.int64).reshape(-1, 3).T
        return pairs.add(rows, cols, weights, weights / 100)

    before = added(_Pairs.empty(5), old)
    keys = before.keys.copy()
    after = added(before, new)
    expected: dict[tuple[int, int], int] = {}
    for row, col, weight in old:
        expected.setdefault((row, col), weight)
    fresh: dict[tuple[int, int], int] = {}
    for row, col, weight in new:
        fresh.setdefault((row, col), weight)
    expected.update(fresh)
    pairs = sorted(expected)
    assert after.keys.tolist() == [row * 5 + col for row, col in pairs]
    assert after.cols.tolist() == [col for _, col in pairs]
    assert after.weights.tolist() == [expected[p] for p in pairs]
    assert after.jpm.tolist() == [expected[p] / 100 for p in pairs]
    assert np.array_equal(before.keys, keys)
    assert (
        after.indptr(7).tolist()
        == np.searchsorted([row for row, _ in pairs], np.arange(8)).tolist()
    )
