import importlib
import math
from fractions import Fraction

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_match.kernels.jpm import (
    LEVELS_NOT_FINITE,
    MAPPING_CATEGORIES,
    MAPPING_THRESHOLDS,
    PLACEMENT_CATEGORIES,
    PLACEMENT_THRESHOLDS,
    JPMOperator,
    categorize,
    jpm,
    jpm_contributions,
    prepare_positions,
)
from strategies import jpm_problems

# By import path: a package-level re-export of the function `jpm` would shadow the attribute.
jpm_module = importlib.import_module("asn_match.kernels.jpm")

METHODS = ("sum_ratio", "mean_ratio")


# ---------------------------------------------------------------------------------------------
# naive references: one pair, one competency at a time


def naive_jpm(levels, standard, weights=None, method="sum_ratio", cap=True):
    levels = np.asarray(levels, dtype=float)
    standard = np.asarray(standard, dtype=float)
    n, n_comp = levels.shape
    m = standard.shape[0]
    w = np.ones((m, n_comp)) if weights is None else np.asarray(weights, dtype=float)
    w = np.broadcast_to(w, (m, n_comp))
    out = np.empty((n, m))
    for i in range(n):
        for j in range(m):
            num = den = 0.0
            for k in range(n_comp):
                r = standard[j, k]
                if math.isnan(r):
                    continue
                a = levels[i, k]
                got = min(a, r) if cap else a
                if method == "sum_ratio":
                    num += w[j, k] * got
                    den += w[j, k] * r
                else:
                    num += w[j, k] * got / r
                    den += w[j, k]
            out[i, j] = 100.0 * num / den
    return out


def exact_jpm(levels, standard, weights, method, cap):
    """The JPM of each pair as an exact fraction (integer inputs)."""
    out = []
    for a_row in levels:
        row = []
        for r_row, w_row in zip(standard, weights, strict=True):
            num = den = Fraction(0)
            for a, r, w in zip(a_row, r_row, w_row, strict=True):
                if math.isnan(r):
                    continue
                a, r, w = Fraction(int(a)), Fraction(int(r)), Fraction(int(w))
                got = min(a, r) if cap else a
                if method == "sum_ratio":
                    num, den = num + w * got, den + w * r
                else:
                    num, den = num + w * got / r, den + w
            row.append(100 * num / den)
        out.append(row)
    return out


def exact_category(value, thresholds):
    return sum(value < Fraction(t) for t in thresholds)


def assert_matches_naive(levels, standard, weights, method, cap, **options):
    got = jpm(levels, standard, weights=weights, method=method, cap=cap, **options)
    want = naive_jpm(levels, standard, weights, method, cap)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


# ---------------------------------------------------------------------------------------------
# equality with the naive loop


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("cap", [True, False])
@pytest.mark.parametrize("strategy", ["auto", "direct"])
@settings(deadline=None, max_examples=40)
@given(data=st.data())
def test_integer_levels_match_naive_loop(method, cap, strategy, data):
    levels, standard, weights = data.draw(jpm_problems(method=method))
    assert_matches_naive(levels, standard, weights, method, cap, strategy=strategy)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("cap", [True, False])
@settings(deadline=None, max_examples=40)
@given(data=st.data())
def test_float_levels_and_standards_match_naive_loop(method, cap, data):
    levels, standard, weights = data.draw(
        jpm_problems(method=method, integer_levels=False, many_standard_values=True)
    )
    for strategy in ("auto", "layered", "direct"):
        assert_matches_naive(levels, standard, weights, method, cap, strategy=strategy)


@pytest.mark.parametrize("cap", [True, False])
@pytest.mark.parametrize("strategy", ["layered", "direct"])
@settings(deadline=None, max_examples=40)
@given(data=st.data())
def test_an_operator_of_some_columns_scores_them_as_the_whole(cap, strategy, data):
    """``columns`` keeps the layers of the whole: the same scores (up to the product's last
    bit), in the order asked, repeats and one column included; the naive loop agrees."""
    levels, standard, weights = data.draw(jpm_problems(method="sum_ratio"))
    whole = prepare_positions(standard, weights, cap=cap, strategy=strategy)
    m = standard.shape[0]
    chosen = data.draw(st.lists(st.integers(0, m - 1), min_size=1, max_size=2 * m))
    part = whole.columns(chosen)
    assert (part.n_positions, part.strategy) == (len(chosen), whole.strategy)
    got = part.apply(levels)
    np.testing.assert_allclose(got, whole.apply(levels)[:, chosen], rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(
        got, naive_jpm(levels, standard, weights, cap=cap)[:, chosen], rtol=1e-9, atol=1e-9
    )


def test_strategy_auto_picks_layers_for_few_standard_values_and_direct_for_many():
    rng = np.random.default_rng(0)
    integer_standard = rng.integers(1, 6, (200, 4)).astype(float)
    assert prepare_positions(integer_standard).strategy == "layered"
    assert prepare_positions(integer_standard, cap=False).strategy == "linear"
    continuous_standard = rng.uniform(1, 5, (200, 4))
    assert prepare_positions(continuous_standard).strategy == "direct"
    levels = rng.uniform(0, 6, (7, 4))
    np.testing.assert_allclose(
        jpm(levels, continuous_standard), naive_jpm(levels, continuous_standard), rtol=1e-12
    )


def test_layered_inner_size_is_one_per_level_above_the_lowest_plus_one():
    standard = np.repeat(np.arange(1.0, 6.0)[:, None], 24, axis=1)
    op = prepare_positions(standard, level_floor=1, dtype=np.float32)
    assert op.strategy == "layered"
    assert op.inner_size == 24 * 4 + 1


def test_known_values():
    levels = [[3, 2, 4], [5, 5, 1]]
    standard = [[3, 3, np.nan], [4, 4, 2]]
    np.testing.assert_allclose(jpm(levels, standard), [[500 / 6, 70.0], [100.0, 90.0]])
    np.testing.assert_allclose(
        jpm(levels, standard, cap=False), [[500 / 6, 90.0], [500 / 3, 110.0]]
    )
    np.testing.assert_allclose(
        jpm(levels, standard, method="mean_ratio"), [[500 / 6, 75.0], [100.0, 250 / 3]]
    )
    # Weights make the important competency count more: 2*min(3,3) + 1*2 over 2*3 + 1*3.
    np.testing.assert_allclose(jpm([[3, 2]], [[3, 3]], weights=[2, 1]), [[800 / 9]])


def test_nan_standard_is_the_same_as_weight_zero():
    rng = np.random.default_rng(1)
    levels = rng.integers(1, 6, (9, 4)).astype(float)
    standard = rng.integers(1, 6, (6, 4)).astype(float)
    weights = rng.uniform(0.5, 2, (6, 4))
    weights[:, 2] = 0.0
    with_nan = standard.copy()
    with_nan[:, 2] = np.nan
    for method in METHODS:
        for cap in (True, False):
            np.testing.assert_allclose(
                jpm(levels, standard, weights=weights, method=method, cap=cap),
                jpm(levels, with_nan, weights=weights, method=method, cap=cap),
                rtol=1e-12,
            )


@pytest.mark.parametrize(
    ("n", "m", "n_comp"), [(0, 3, 2), (1, 3, 2), (4, 1, 2), (4, 3, 1), (1, 1, 1), (5, 0, 3)]
)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("cap", [True, False])
def test_small_and_empty_shapes(n, m, n_comp, method, cap):
    rng = np.random.default_rng(n * 100 + m * 10 + n_comp)
    levels = rng.integers(1, 6, (n, n_comp)).astype(float)
    standard = rng.integers(1, 6, (m, n_comp)).astype(float)
    got = jpm(levels, standard, method=method, cap=cap, dtype=np.float32)
    assert got.shape == (n, m)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, naive_jpm(levels, standard, None, method, cap), atol=1e-3)


def test_integer_and_list_inputs_are_accepted():
    np.testing.assert_allclose(
        jpm(np.array([[2, 4]], dtype=np.int8), [[4, 4]], weights=(1, 1)), [[75.0]]
    )


# ---------------------------------------------------------------------------------------------
# properties


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("cap", [True, False])
@settings(deadline=None, max_examples=30)
@given(data=st.data())
def test_raising_a_level_never_lowers_the_jpm(method, cap, data):
    integer = data.draw(st.booleans())
    levels, standard, weights = data.draw(
        jpm_problems(method=method, integer_levels=integer, max_n=4).filter(lambda p: len(p[0]))
    )
    i = data.draw(st.integers(0, levels.shape[0] - 1))
    k = data.draw(st.integers(0, levels.shape[1] - 1))
    raised = levels.copy()
    raised[i, k] += data.draw(st.sampled_from([0.5, 1.0, 2.0, 3.25]))
    before = jpm(levels, standard, weights=weights, method=method, cap=cap)
    after = jpm(raised, standard, weights=weights, method=method, cap=cap)
    assert np.all(after[i] >= before[i] - 1e-9)
    np.testing.assert_allclose(
        np.delete(after, i, axis=0), np.delete(before, i, axis=0), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("cap", [True, False])
@settings(deadline=None, max_examples=30)
@given(data=st.data(), scale=st.sampled_from([0.001, 0.3, 7.0, 1e4]))
def test_scaling_all_weights_changes_no_score(method, cap, data, scale):
    levels, standard, weights = data.draw(jpm_problems(method=method))
    if weights is None:
        weights = np.ones_like(standard)
    base = jpm(levels, standard, weights=weights, method=method, cap=cap)
    scaled = jpm(levels, standard, weights=weights * scale, method=method, cap=cap)
    np.testing.assert_allclose(scaled, base, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("cap", [True, False])
@settings(deadline=None, max_examples=30)
@given(data=st.data())
def test_permuting_competencies_changes_no_score(method, cap, data):
    levels, standard, weights = data.draw(jpm_problems(method=method))
    order = np.asarray(data.draw(st.permutations(range(levels.shape[1]))), dtype=np.intp)
    permuted_weights = None if weights is None else weights[..., order]
    base = jpm(levels, standard, weights=weights, method=method, cap=cap)
    permuted = jpm(
        levels[:, order], standard[:, order], weights=permuted_weights, method=method, cap=cap
    )
    np.testing.assert_allclose(permuted, base, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("cap", [True, False])
@settings(deadline=None, max_examples=30)
@given(data=st.data())
def test_float32_matches_float64(method, cap, data):
    levels, standard, weights = data.draw(
        jpm_problems(method=method, integer_levels=data.draw(st.booleans()))
    )
    for strategy in ("auto", "direct"):
        got = jpm(
            levels,
            standard,
            weights=weights,
            method=method,
            cap=cap,
            dtype=np.float32,
            strategy=strategy,
        )
        assert got.dtype == np.float32
        want = naive_jpm(levels, standard, weights, method, cap)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("cap", [True, False])
@settings(deadline=None, max_examples=30)
@given(data=st.data())
def test_row_blocks_give_the_same_scores_as_one_call(method, cap, data):
    levels, standard, weights = data.draw(jpm_problems(method=method, max_n=8))
    floor = data.draw(st.sampled_from([None, 0.0, 1.0, 2.5]))
    op = prepare_positions(standard, weights, method=method, cap=cap, level_floor=floor)
    cut = data.draw(st.integers(0, levels.shape[0]))
    blocks = [op.apply(levels[:cut]), op.apply(levels[cut:])]
    np.testing.assert_allclose(
        np.concatenate(blocks, axis=0),
        naive_jpm(levels, standard, weights, method, cap),
        rtol=1e-9,
        atol=1e-9,
    )


def test_small_memory_blocks_give_the_same_scores(monkeypatch):
    rng = np.random.default_rng(3)
    levels = rng.integers(0, 6, (37, 5)).astype(float)
    standard = rng.integers(1, 6, (11, 5)).astype(float)
    standard[rng.random(standard.shape) < 0.3] = np.nan
    standard[:, 0] = 3.0
    weights = rng.uniform(0, 3, (11, 5))
    weights[:, 0] = 1.0
    want = naive_jpm(levels, standard, weights)
    monkeypatch.setattr(jpm_module, "_LEFT_BLOCK_BYTES", 100)
    monkeypatch.setattr(jpm_module, "_DIRECT_BLOCK_BYTES", 1000)
    for strategy in ("layered", "direct"):
        np.testing.assert_allclose(
            jpm(levels, standard, weights=weights, strategy=strategy), want, rtol=1e-12
        )


def test_levels_below_the_lowest_standard_layer_are_exact():
    # Nobody requires less than 3, yet some employees are at 0 or 1: no folding is possible.
    standard = np.array([[3.0, 4.0], [5.0, 3.0]])
    levels = np.array([[0.0, 1.0], [3.0, 4.0], [1.5, 6.0]])
    op = prepare_positions(standard)
    np.testing.assert_allclose(op.apply(levels), naive_jpm(levels, standard), rtol=1e-12)
    # With the floor as a layer boundary the same employees fold, and the scores stay exact.
    op = prepare_positions(standard, level_floor=1.0)
    np.testing.assert_allclose(op.apply(levels[1:]), naive_jpm(levels[1:], standard), rtol=1e-12)


def test_apply_writes_into_out():
    op = prepare_positions([[3.0, 2.0], [4.0, np.nan]], dtype=np.float32)
    out = np.full((2, 2), -1.0, dtype=np.float32)
    result = op.apply([[3, 1], [5, 5]], out=out)
    assert result is out
    np.testing.assert_allclose(out, [[80.0, 75.0], [100.0, 100.0]], rtol=1e-6)


def test_inputs_are_never_modified_and_read_only_inputs_work():
    rng = np.random.default_rng(4)
    levels = rng.integers(0, 6, (6, 3)).astype(float)
    standard = rng.integers(1, 6, (4, 3)).astype(float)
    standard[0, 1] = np.nan
    weights = rng.uniform(0.5, 2, (4, 3))
    copies = [levels.copy(), standard.copy(), weights.copy()]
    for array in (levels, standard, weights):
        array.setflags(write=False)
    for method in METHODS:
        for cap in (True, False):
            for strategy in ("layered", "direct"):
                jpm(levels, standard, weights=weights, method=method, cap=cap, strategy=strategy)
    for array, copy in zip((levels, standard, weights), copies, strict=True):
        np.testing.assert_array_equal(array, copy)


def test_operator_repr_and_attributes():
    op = prepare_positions(np.ones((3, 2)), method="mean_ratio", dtype=np.float32)
    assert isinstance(op, JPMOperator)
    assert (op.n_positions, op.n_competencies, op.method, op.cap) == (3, 2, "mean_ratio", True)
    assert op.dtype == np.float32
    assert "strategy='layered'" in repr(op)


# ---------------------------------------------------------------------------------------------
# validation messages


def test_invalid_options_are_named():
    with pytest.raises(
        ValueError,
        match=r"The 'method' parameter of jpm must be a str among "
        r"\{'sum_ratio', 'mean_ratio'\}\. Got 'sum' instead\.",
    ):
        jpm([[1.0]], [[1.0]], method="sum")
    with pytest.raises(ValueError, match=r"The 'strategy' parameter of prepare_positions must be"):
        prepare_positions([[1.0]], strategy="fast")
    with pytest.raises(
        ValueError,
        match=r"The 'cap' parameter of jpm must be a bool \(True or False\)\. "
        r"Got 'yes' instead\.",
    ):
        jpm([[1.0]], [[1.0]], cap="yes")
    with pytest.raises(
        ValueError,
        match=r"The 'dtype' parameter of jpm must be np\.float32 or "
        r"np\.float64\. Got <class 'numpy\.int64'> instead\.",
    ):
        jpm([[1.0]], [[1.0]], dtype=np.int64)
    with pytest.raises(
        ValueError,
        match=r"The 'level_floor' parameter of prepare_positions must "
        r"be None or a finite number >= 0\. Got -1 instead\.",
    ):
        prepare_positions([[1.0]], level_floor=-1)


def test_invalid_levels_are_named():
    with pytest.raises(
        ValueError,
        match=r"^levels must be finite; fill or drop unassessed "
        r"competencies first\. Non-finite levels in rows \[1, 3\]\.$",
    ):
        jpm([[1, 2], [np.nan, 2], [3, 3], [1, np.inf]], [[3, 3]])
    assert LEVELS_NOT_FINITE == (
        "levels must be finite; fill or drop unassessed competencies first"
    )
    with pytest.raises(
        ValueError,
        match=r"The 'levels' parameter of jpm must be >= 0\. "
        r"Got negative levels in rows \[0\] instead\.",
    ):
        jpm([[-1, 2]], [[3, 3]])
    with pytest.raises(
        ValueError,
        match=r"^levels has 3 competency columns but the standard has "
        r"2; both must list the same competencies in the same order\.$",
    ):
        jpm([[1, 2, 3]], [[3, 3]])
    with pytest.raises(
        ValueError,
        match=r"The 'levels' parameter of jpm must be a 2-D array of "
        r"shape \(n_rows, n_competencies\)\. Got an array of shape \(2,\) instead",
    ):
        jpm([1, 2], [[3, 3]])
    with pytest.raises(
        ValueError,
        match=r"The 'levels' parameter of jpm must be an array-like "
        r"of numbers",
    ):
        jpm([["a", "b"]], [[3, 3]])
    op = prepare_positions([[3.0, 3.0]])
    with pytest.raises(ValueError, match=r"^levels has 1 competency columns"):
        op.apply([[1.0]])
    with pytest.raises(ValueError, match=LEVELS_NOT_FINITE):
        op.apply([[1.0, np.nan]])


def test_invalid_out_is_named():
    op = prepare_positions([[3.0, 3.0]])
    with pytest.raises(
        ValueError,
        match=r"The 'out' parameter of JPMOperator\.apply must be a "
        r"writeable C-contiguous array of shape \(1, 1\) and dtype float64\. Got "
        r"an array of shape \(1, 1\) and dtype float32 instead\.",
    ):
        op.apply([[1.0, 2.0]], out=np.empty((1, 1), dtype=np.float32))


def test_invalid_standard_is_named():
    with pytest.raises(
        ValueError,
        match=r"The 'standard' parameter of jpm must be >= 0 or NaN "
        r"\(not required\)\. Got negative values at \(row, column\) \[\(1, 0\)\]",
    ):
        jpm([[1, 1]], [[3, 3], [-1, 2]])
    with pytest.raises(
        ValueError,
        match=r"must hold finite levels or NaN \(not required\)\. "
        r"Got infinite values at \(row, column\) \[\(0, 1\)\]",
    ):
        jpm([[1, 1]], [[3, np.inf]])
    with pytest.raises(
        ValueError,
        match=r"The 'standard' parameter of jpm must be > 0 where a "
        r"competency is required when method='mean_ratio' .* Got 0 at "
        r"\(row, column\) \[\(0, 1\)\] instead\. Mark a competency",
    ):
        jpm([[1, 1]], [[3, 0]], method="mean_ratio")
    # sum_ratio accepts a standard of 0: it adds nothing to either side when capped.
    np.testing.assert_allclose(jpm([[1, 1]], [[3, 0]]), [[100 / 3]])


def test_positions_with_an_undefined_jpm_are_named():
    standard = [[3, 3], [np.nan, np.nan], [3, 3], [np.nan, 2]]
    weights = [[1, 1], [1, 1], [0, 0], [1, 0]]
    with pytest.raises(
        ValueError,
        match=r"^The JPM is undefined \(0/0\) for positions in rows "
        r"\[1, 2, 3\]: each position needs a positive total weight over its "
        r"required competencies\. Give these positions",
    ):
        jpm([[1, 1]], standard, weights=weights, method="mean_ratio")
    with pytest.raises(
        ValueError,
        match=r"for positions in rows \[1\]: each position needs a "
        r"positive total of weight x standard",
    ):
        jpm([[1, 1]], [[3, 3], [0, 0]])


def test_many_bad_rows_are_counted_not_all_listed():
    levels = np.full((25, 2), np.nan)
    with pytest.raises(
        ValueError,
        match=r"rows \[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, \.\.\. "
        r"\(15 more\)\]",
    ):
        jpm(levels, [[3, 3]])


def test_invalid_weights_are_named():
    with pytest.raises(
        ValueError,
        match=r"The 'weights' parameter of jpm must have shape \(2,\) "
        r"or \(1, 2\) to match the standard of shape \(1, 2\)\. Got shape \(3,\) "
        r"instead\.",
    ):
        jpm([[1, 1]], [[3, 3]], weights=[1, 1, 1])
    with pytest.raises(
        ValueError,
        match=r"The 'weights' parameter of jpm must be >= 0\. Got "
        r"negative weights \[-2\.0\] instead\.",
    ):
        jpm([[1, 1]], [[3, 3]], weights=[1, -2])
    with pytest.raises(
        ValueError,
        match=r"The 'weights' parameter of jpm must be finite\. .*"
        r"give a weight of 0 to a competency that should not count\.",
    ):
        jpm([[1, 1]], [[3, 3]], weights=[1, np.nan])
    with pytest.raises(ValueError, match=r"must be a 1-D array of shape \(n,\) or a 2-D array"):
        jpm([[1, 1]], [[3, 3]], weights=np.ones((1, 1, 2)))


# ---------------------------------------------------------------------------------------------
# categories


def test_published_scales():
    assert PLACEMENT_CATEGORIES == (
        "Memenuhi Syarat",
        "Masih Memenuhi Syarat",
        "Kurang Memenuhi Syarat",
    )
    assert PLACEMENT_THRESHOLDS == (80.0, 68.0)
    assert MAPPING_CATEGORIES == ("Optimal", "Cukup Optimal", "Kurang Optimal")
    assert MAPPING_THRESHOLDS == (90.0, 78.0)


def test_categorize_boundaries():
    scores = np.array([100.0, 80.0, np.nextafter(80.0, 0), 79.999, 68.0, 67.99, 0.0])
    np.testing.assert_array_equal(categorize(scores), [0, 0, 0, 1, 1, 2, 2])
    assert categorize(scores).dtype == np.int8
    np.testing.assert_array_equal(
        categorize([90.0, 89.9, 78.0, 77.9], MAPPING_THRESHOLDS), [0, 1, 1, 2]
    )
    np.testing.assert_array_equal(categorize([79.99], tol=0.05), [0])
    np.testing.assert_array_equal(categorize(np.float32([80.0 - 5e-5, 79.99])), [0, 1])
    assert categorize(np.zeros((0, 3))).shape == (0, 3)
    np.testing.assert_array_equal(categorize([[85, 70], [10, 99]], (50.0,)), [[0, 0], [1, 0]])


def test_exactly_80_in_exact_arithmetic_lands_in_the_top_category():
    # 4 of 5 on every competency: 80% exactly, but the float sum need not be.
    levels = np.full((1, 7), 4.0)
    standard = np.full((1, 7), 5.0)
    weights = np.array([[0.1, 0.7, 0.3, 1.9, 0.2, 0.6, 0.9]])
    for dtype in (np.float64, np.float32):
        for method in METHODS:
            score = jpm(levels, standard, weights=weights, method=method, dtype=dtype)
            assert categorize(score)[0, 0] == 0


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("cap", [True, False])
@settings(deadline=None, max_examples=40)
@given(data=st.data())
def test_categories_agree_with_exact_arithmetic(method, cap, data):
    n_comp = data.draw(st.integers(1, 5))
    levels = data.draw(hnp.arrays(np.float64, (3, n_comp), elements=st.integers(0, 5).map(float)))
    standard = data.draw(hnp.arrays(np.float64, (4, n_comp), elements=st.integers(1, 5).map(float)))
    weights = data.draw(hnp.arrays(np.float64, (4, n_comp), elements=st.integers(1, 4).map(float)))
    exact = exact_jpm(levels, standard, weights, method, cap)
    for thresholds in (PLACEMENT_THRESHOLDS, MAPPING_THRESHOLDS, (100.0, 50.0, 25.0)):
        want = [[exact_category(v, thresholds) for v in row] for row in exact]
        for dtype in (np.float64, np.float32):
            score = jpm(levels, standard, weights=weights, method=method, cap=cap, dtype=dtype)
            np.testing.assert_array_equal(categorize(score, thresholds), want)


def test_categorize_validation():
    with pytest.raises(
        ValueError,
        match=r"The 'thresholds' parameter of categorize must be a "
        r"sequence of 1 to 100 finite numbers in strictly decreasing order, best "
        r"category first, e\.g\. \(80\.0, 68\.0\)\. Got \(68, 80\) instead\.",
    ):
        categorize([70.0], (68, 80))
    for bad in [(80, 80), (), (np.nan, 1), "80", [[80, 68]]]:
        with pytest.raises(ValueError, match=r"The 'thresholds' parameter of categorize"):
            categorize([70.0], bad)
    with pytest.raises(
        ValueError,
        match=r"The 'jpm' parameter of categorize must not contain "
        r"NaN\. Got NaN at flat positions \[1\] instead\.",
    ):
        categorize([70.0, np.nan])
    with pytest.raises(
        ValueError,
        match=r"The 'tol' parameter of categorize must be None or a "
        r"finite number >= 0\. Got -0\.1 instead\.",
    ):
        categorize([70.0], tol=-0.1)
    with pytest.raises(
        ValueError,
        match=r"The 'jpm' parameter of categorize must be an "
        r"array-like of numbers",
    ):
        categorize(["high"])


# ---------------------------------------------------------------------------------------------
# per-competency contributions


def naive_contributions(levels, standard, weights, method, cap):
    """Each competency's share of the JPM of each pair, one term at a time."""
    n_pairs, n_comp = levels.shape
    out = np.zeros((n_pairs, n_comp))
    for p in range(n_pairs):
        required = [k for k in range(n_comp) if not math.isnan(standard[p, k])]
        if method == "sum_ratio":
            den = sum(weights[p, k] * standard[p, k] for k in required)
        else:
            den = sum(weights[p, k] for k in required)
        for k in required:
            got = min(levels[p, k], standard[p, k]) if cap else levels[p, k]
            term = weights[p, k] * got
            if method == "mean_ratio":
                term /= standard[p, k]
            out[p, k] = 100.0 * term / den
    return out


@st.composite
def pair_problems(draw):
    n_pairs = draw(st.integers(1, 6))
    n_comp = draw(st.integers(1, 5))
    levels = draw(hnp.arrays(np.float64, (n_pairs, n_comp), elements=st.integers(0, 5)))
    standard = draw(hnp.arrays(np.float64, (n_pairs, n_comp), elements=st.integers(1, 5)))
    dropped = draw(hnp.arrays(np.bool_, (n_pairs, n_comp)))
    dropped[:, 0] = False  # every pair requires at least one competency
    standard[dropped] = np.nan
    weights = draw(hnp.arrays(np.float64, (n_pairs, n_comp), elements=st.integers(1, 3)))
    return levels, standard, weights


@settings(deadline=None, max_examples=80)
@given(pair_problems(), st.sampled_from(METHODS), st.booleans())
def test_contributions_equal_a_naive_loop_and_sum_to_the_jpm(problem, method, cap):
    levels, standard, weights = problem
    parts = jpm_contributions(levels, standard, weights=weights, method=method, cap=cap)
    assert parts.shape == levels.shape
    np.testing.assert_allclose(
        parts, naive_contributions(levels, standard, weights, method, cap), atol=1e-9
    )
    # the diagonal of the all-pairs JPM is the JPM of each pair
    full = np.diag(jpm(levels, standard, weights=weights, method=method, cap=cap))
    np.testing.assert_allclose(parts.sum(axis=1), full, atol=1e-9)


def test_contributions_reject_mismatched_rows():
    with pytest.raises(ValueError, match=r"must have one row per pair"):
        jpm_contributions([[1.0], [2.0]], [[1.0]])
