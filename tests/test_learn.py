"""The learned job expectation: history reading, job families, and the ExpectationLearner.

The learner's numerics (JPM of every record, the moments and gradients the optimiser uses) are
checked against naive per-record references with Hypothesis; its statistical promises (the
order of known weights recovered, a held-out gain over the prior, the prior kept on noise) on
synthetic histories whose truth is known.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from scipy.stats import spearmanr

import asn_match as am
from asn_match.learn import ExpectationLearner, History, job_families, learn_expectation
from asn_match.learn.families import require_sklearn
from asn_match.learn.learner import SELECTION_BIAS, _FamilyData, _fit_family, _moments
from strategies import expectation_problems

# ------------------------------------------------------------------------------------ history


def _history_frame():
    return pd.DataFrame(
        {
            "employee_id": ["198609262015051001", "198609262015051001", "E-2"],
            "position_id": ["P1", "P2", "P1"],
            "start": ["2019-01-02", "02/03/2022", "2020-06-01"],
            "end": ["2022-03-01", None, ""],
            "outcome": ["Baik", "sangat  baik", "70.5"],
            "info_note": ["a", "b", "c"],
            "integritas": [3, 4, 2],
            "komunikasi": [2, 3, 5],
        }
    )


def test_read_history_from_csv_maps_predicates_dates_and_keeps_ids_exact(tmp_path):
    path = tmp_path / "history.csv"
    frame = _history_frame()
    frame.loc[2, "outcome"] = "70,5"  # a decimal comma, as semicolon-separated files hold
    frame.to_csv(path, sep=";", index=False)
    history = am.read_history(path)
    assert isinstance(history, History)
    assert history.employee_ids.tolist() == ["198609262015051001"] * 2 + ["E-2"]
    expected = [am.ordinals.PERFORMANCE_PREDICATES["baik"], 95.0, 70.5]
    assert history.outcome.tolist() == expected
    assert history.start.tolist()[1] == np.datetime64("2022-03-02", "D").item()
    assert np.isnat(history.end[1]) and np.isnat(history.end[2])
    k = history.codes.index("komunikasi")
    assert history.levels[:, k].tolist() == [2.0, 3.0, 5.0]
    assert history.info["info_note"].tolist() == ["a", "b", "c"]
    assert not history.levels.flags.writeable
    assert am.read_history(history) is history


def test_read_history_does_not_change_the_callers_frame():
    frame = _history_frame()
    before = frame.copy()
    am.read_history(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_read_history_reports_every_problem_at_once():
    frame = _history_frame()
    frame.loc[0, "outcome"] = "luar biasa"
    frame.loc[1, "outcome"] = None
    frame.loc[2, "employee_id"] = None
    frame.loc[1, "end"] = "2001-01-01"
    frame.loc[2, "start"] = "someday"
    frame.loc[0, "integritas"] = 9
    frame["gender"] = "L"
    frame["integritas_weight"] = 2
    with pytest.raises(am.InputError) as caught:
        am.read_history(frame)
    codes = {p.code for p in caught.value.problems}
    assert {
        "invalid_outcome",
        "empty_outcome",
        "empty_id",
        "invalid_start",
        "level_out_of_scale",
        "protected_column",
        "unexpected_weight_column",
    } <= codes
    rows = {(p.code, p.row) for p in caught.value.problems}
    assert ("invalid_outcome", 2) in rows and ("empty_outcome", 3) in rows
    outcome = next(p for p in caught.value.problems if p.code == "invalid_outcome")
    assert "empty" not in outcome.message and "SKP predicate" in outcome.message


def test_read_history_flags_repeated_records_and_backwards_periods():
    frame = _history_frame()
    frame = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    frame.loc[2, "end"] = "2019-01-01"
    with pytest.raises(am.InputError) as caught:
        am.read_history(frame)
    found = {(p.code, p.row) for p in caught.value.problems}
    assert ("duplicate_record", 5) in found
    assert ("end_before_start", 4) in found


def test_read_history_needs_its_columns():
    with pytest.raises(am.InputError) as caught:
        am.read_history(pd.DataFrame({"nip": ["1"], "integritas": [3]}))
    missing = {p.column for p in caught.value.problems if p.code == "missing_column"}
    assert {"employee_id", "position_id", "outcome"} <= missing


# ----------------------------------------------------------------------------------- families


def test_families_by_standard_recover_the_generating_families_in_any_row_order():
    _, positions, truth = am.datasets.synthetic_history(50, 40, seed=3)
    families = job_families(am.read_positions(positions))
    assert len(families) == len(truth)
    table = pd.crosstab(families.labels, positions["info_family"])
    assert ((table > 0).sum(axis=1) == 1).all()  # every found family is one true family
    shuffled = positions.sample(frac=1, random_state=1).reset_index(drop=True)
    again = job_families(am.read_positions(shuffled))
    assert dict(zip(again.position_ids, again.labels, strict=True)) == dict(
        zip(families.position_ids, families.labels, strict=True)
    )
    assert families.silhouette is not None
    best = families.silhouette.loc[families.silhouette["silhouette"].idxmax(), "n_families"]
    assert best == len(families)


def test_families_by_class_and_one_family_without_structure():
    _, positions, _ = am.datasets.synthetic_history(20, 12, seed=0)
    by_class = job_families(am.read_positions(positions), by="class")
    assert by_class.labels.tolist() == positions["class"].tolist()
    same = positions.copy()
    codes = [c for c in positions.columns if c in am.read_positions(positions).codes]
    same[codes] = positions[codes].iloc[0].to_numpy()
    assert len(job_families(am.read_positions(same))) == 1
    with pytest.raises(am.InvalidParameterError):
        job_families(am.read_positions(positions), by="unit")
    with pytest.raises(KeyError):
        by_class.of(["nope"])


# ----------------------------------------------------------------------------- the numerics


def _family_data(levels, standard, outcome):
    active = np.flatnonzero((~np.isnan(standard)).any(axis=0))
    terms = am.kernels.jpm.jpm_contributions(levels, standard)[:, active]
    standard0 = np.nan_to_num(standard[:, active])
    profiles, profile = np.unique(standard0, axis=0, return_inverse=True)
    data = _FamilyData(
        terms, outcome, np.arange(len(outcome)), profile.ravel(), profiles, profiles.sum(axis=1)
    )
    return data, active


@given(expectation_problems())
def test_record_jpm_equals_the_jpm_kernel_pair_by_pair(problem):
    levels, standard, outcome, weights = problem
    data, active = _family_data(levels, standard, outcome)
    naive = [
        am.jpm(levels[i : i + 1], standard[i : i + 1], weights=weights)[0, 0]
        for i in range(len(levels))
    ]
    np.testing.assert_allclose(data.jpm(weights[active]), naive, rtol=1e-10, atol=1e-9)


@given(expectation_problems())
def test_moments_and_gradients_equal_the_naive_computation(problem):
    levels, standard, outcome, weights = problem
    data, active = _family_data(levels, standard, outcome)
    w = weights[active]
    score = data.jpm(w)
    var, cov, d_var, d_cov = _moments(data.stats(), w, gradient=True)
    n = len(outcome)
    np.testing.assert_allclose(var, n * np.var(score), rtol=1e-8, atol=1e-6)
    np.testing.assert_allclose(cov, n * np.cov(score, outcome, bias=True)[0, 1], atol=1e-5)
    step = 1e-6
    for k in range(len(w)):
        up, down = w.copy(), w.copy()
        up[k] += step
        down[k] -= step
        v_up, c_up, _, _ = _moments(data.stats(), up, gradient=False)
        v_down, c_down, _, _ = _moments(data.stats(), down, gradient=False)
        scale = 1 + abs(var) + abs(cov)
        assert abs((v_up - v_down) / (2 * step) - d_var[k]) < 1e-4 * scale
        assert abs((c_up - c_down) / (2 * step) - d_cov[k]) < 1e-4 * scale


@given(expectation_problems())
def test_multiplicities_are_repeated_records(problem):
    levels, standard, outcome, _ = problem
    data, _ = _family_data(levels, standard, outcome)
    times = np.arange(len(outcome)) % 3
    weighted = data.stats(times.astype(float))
    repeated = data.take(np.repeat(np.arange(len(outcome)), times)).stats()
    for name in ("n", "y_sum", "yy_sum", "t_sum", "tt", "ty"):
        np.testing.assert_allclose(getattr(weighted, name), getattr(repeated, name), atol=1e-8)


def test_the_fit_minimises_the_squared_error_of_the_jpm_model():
    # With no shrinkage the fitted weights beat the true ones and random ones in-sample, and
    # intercept and slope are the least-squares line on the fitted JPM.
    rng = np.random.default_rng(5)
    levels = rng.integers(1, 6, (400, 4)).astype(float)
    standard = np.tile([4.0, 3.0, 4.0, np.nan], (400, 1))
    standard[::3, 1] = 5.0
    true = np.array([2.0, 0.5, 1.0])
    data, _ = _family_data(levels, standard, np.zeros(400))
    data.y = 20 + 0.7 * data.jpm(true) + rng.normal(0, 3, 400)
    fit = _fit_family(data.stats(), 0.0, np.ones(3))
    sse = float(np.sum((data.y - data.predict(fit)) ** 2))
    for w in (true, *rng.uniform(0.1, 3, (20, 3))):
        score = data.jpm(w)
        slope, intercept = np.polyfit(score, data.y, 1)
        assert sse <= float(np.sum((data.y - intercept - slope * score) ** 2)) + 1e-6
    slope, intercept = np.polyfit(data.jpm(fit.weights), data.y, 1)
    assert fit.slope == pytest.approx(slope) and fit.intercept == pytest.approx(intercept)
    assert fit.weights.mean() == pytest.approx(1.0)


# ------------------------------------------------------------------------------ the learner


def _true_family(learned, positions):
    table = pd.crosstab(learned.families.labels, positions["info_family"])
    return table.idxmax(axis=1).to_dict()


def test_recovers_the_order_of_known_weights_and_beats_the_prior_held_out():
    history, positions, truth = am.datasets.synthetic_history(3000, 30, seed=0)
    learned = learn_expectation(history, positions, n_bootstrap=0, random_state=0)
    assert (learned.summary["n_outcomes"] >= 2500).all()
    mapping = _true_family(learned, positions)
    assert sorted(mapping.values()) == sorted(truth.index)
    for family, true_family in mapping.items():
        weights = learned.weights[learned.weights["family"] == family].set_index("competency")
        expected = truth.loc[true_family].dropna()
        rho = spearmanr(weights.loc[expected.index, "weight"], expected).statistic
        assert rho >= 0.9, (family, rho)
    assert (learned.summary["status"] == "learned").all()
    assert (learned.summary["gain"] > 0).all()
    assert learned.heldout_gain > 0


@pytest.mark.parametrize("seed", [0, 1])
def test_pure_noise_outcomes_keep_the_prior(seed):
    history, positions, _ = am.datasets.synthetic_history(800, 24, seed=seed, signal=False)
    learned = learn_expectation(history, positions, n_bootstrap=0, random_state=seed)
    assert (learned.summary["status"] == "prior kept").all()
    assert np.isinf(learned.summary["shrinkage"]).all()
    np.testing.assert_allclose(learned.weights["weight"], learned.weights["prior"])
    assert (learned.summary["gain"].abs() < 1e-12).all()


def test_typed_in_weights_are_the_prior_that_thin_evidence_keeps():
    history, positions, _ = am.datasets.synthetic_history(60, 12, seed=2)
    typed = positions.copy()
    codes = am.read_positions(positions).codes
    typed[f"{codes[0]}_weight"] = 4.0
    learned = learn_expectation(history, typed, n_bootstrap=0, min_outcomes=10_000)
    assert (learned.summary["status"] == "prior kept").all()
    assert learned.summary["note"].str.contains("min_outcomes=10000").all()
    first = learned.weights[learned.weights["competency"] == codes[0]]
    others = learned.weights[learned.weights["competency"] != codes[0]]
    # Scale-free: the typed 4 against 1 elsewhere, on the mean-1 scale of each family.
    for family, row in first.set_index("family").iterrows():
        rest = others[others["family"] == family]["weight"]
        assert row["weight"] == pytest.approx(4 * rest.iloc[0])
    assert learned.weights["includes_prior"].all()


def test_weights_are_scale_free_and_drop_into_the_positions_input():
    history, positions, _ = am.datasets.synthetic_history(400, 15, seed=4)
    learned = learn_expectation(history, positions, n_bootstrap=0, min_outcomes=50)
    table = am.read_positions(learned.positions)
    employees, _ = am.datasets.synthetic_workforce(30, 5, seed=0)
    levels = np.nan_to_num(am.read_employees(employees).levels[:, : len(table.codes)], nan=1.0)
    levels = np.clip(levels, 1, 5)
    base = am.jpm(levels, table.standard, weights=np.nan_to_num(table.weights))
    scaled = am.jpm(levels, table.standard, weights=7.5 * np.nan_to_num(table.weights))
    np.testing.assert_allclose(base, scaled)
    # Each position carries its family's weights where it requires a competency.
    family_of = dict(zip(learned.families.position_ids, learned.families.labels, strict=True))
    weights = learned.weights.set_index(["family", "competency"])["weight"]
    for j, position in enumerate(table.ids):
        for k in np.flatnonzero(table.required[j]):
            key = (family_of[position], table.codes[k])
            assert table.weights[j, k] == pytest.approx(weights[key])
    # Scaling the prior changes no learned weight; the predictions stay the same.
    rng = np.random.default_rng(0)
    X, y = rng.integers(1, 6, (300, 3)).astype(float), rng.uniform(50, 90, 300)
    standard = np.tile([4.0, 4.0, 3.0], (300, 1))
    one = ExpectationLearner(prior=[1.0, 2.0, 3.0], shrinkage=30.0, n_bootstrap=0, test_size=0)
    ten = ExpectationLearner(prior=[10.0, 20.0, 30.0], shrinkage=30.0, n_bootstrap=0, test_size=0)
    one.fit(X, y, standard=standard)
    ten.fit(X, y, standard=standard)
    np.testing.assert_allclose(one.weights_, ten.weights_, rtol=1e-6)
    np.testing.assert_allclose(
        one.predict(X, standard=standard), ten.predict(X, standard=standard), rtol=1e-9
    )


def test_bootstrap_intervals_and_their_prior_flag():
    history, positions, _ = am.datasets.synthetic_history(300, 15, seed=1, n_families=1)
    learned = learn_expectation(history, positions, n_bootstrap=20, random_state=0)
    table = learned.weights
    assert (table["low"] <= table["high"]).all()
    inside = (table["low"] <= table["prior"]) & (table["prior"] <= table["high"])
    assert (table["includes_prior"] == inside).all()
    assert np.isfinite(table[["low", "high"]].to_numpy()).all()
    assert (table["weight"] >= 0).all()


def test_cross_validation_never_splits_an_employee():
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(50), 3)
    data = _FamilyData(
        np.ones((150, 1)), rng.normal(size=150), groups, np.zeros(150, dtype=np.intp),
        np.ones((1, 1)), np.ones(1),
    )  # fmt: skip
    folds = ExpectationLearner(cv=5)._folds(data)
    assert len(folds) == 5
    for train, test in folds:
        assert not set(groups[train]) & set(groups[test])


def test_fixed_shrinkage_is_row_order_invariant():
    history, positions, _ = am.datasets.synthetic_history(300, 12, seed=6)
    options = {"shrinkage": 30.0, "n_bootstrap": 0, "test_size": 0.0, "min_outcomes": 10}
    first = learn_expectation(history, positions, **options).weights
    shuffled = history.sample(frac=1, random_state=3).reset_index(drop=True)
    second = learn_expectation(shuffled, positions, **options).weights
    np.testing.assert_allclose(first["weight"], second["weight"], rtol=1e-5, atol=1e-6)


def test_history_that_does_not_match_the_positions_is_refused_with_every_record():
    history, positions, _ = am.datasets.synthetic_history(20, 6, seed=0)
    history = history.copy()
    history.loc[0, "position_id"] = "POS-99999"
    code = am.read_positions(positions).codes[0]
    history.loc[1, code] = None
    with pytest.raises(am.InputError) as caught:
        learn_expectation(history, positions)
    codes = [(p.code, p.row) for p in caught.value.problems]
    assert ("unknown_position", 2) in codes and ("missing_level", 3) in codes


def test_options_are_checked_by_name():
    X, y = np.ones((10, 2)), np.arange(10.0)
    for options in ({"shrinkage": "auto"}, {"shrinkage": -1.0}, {"cv": 1}, {"confidence": 1.0},
                    {"test_size": 1.0}, {"shrinkage_grid": ()}):  # fmt: skip
        with pytest.raises(am.InvalidParameterError):
            ExpectationLearner(**options).fit(X, y)
    with pytest.raises(am.InvalidParameterError):
        ExpectationLearner(prior=[1.0]).fit(X, y)
    with pytest.raises(ValueError, match="must be >= 0"):
        ExpectationLearner().fit(-X, y)
    fitted = ExpectationLearner(n_bootstrap=0).fit(X, y, family=["a"] * 10)
    with pytest.raises(ValueError, match="families not seen in fit"):
        fitted.predict(X, family=["b"] * 10)


def test_the_selection_bias_is_stated():
    assert "placed" in SELECTION_BIAS and "not what a different placement" in SELECTION_BIAS
    assert "Selection bias" in (am.learn.learner.__doc__ or "")


def test_missing_scikit_learn_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(ImportError, match=r"asn_match\[learn\]"):
        require_sklearn("ExpectationLearner")


def test_the_learner_is_imported_on_first_use(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.delitem(sys.modules, "asn_match.learn.learner")
    with pytest.raises(ImportError, match=r"asn_match\[learn\]"):
        am.ExpectationLearner  # noqa: B018


@pytest.mark.slow  # a fresh interpreter imports the whole package: seconds
def test_the_package_imports_without_scikit_learn():
    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "import asn_match as am\n"
        "assert callable(am.read_history)\n"
        "try:\n    am.ExpectationLearner\nexcept ImportError as e:\n    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'asn_match[learn]'" in done.stdout


def test_synthetic_history_checks_its_options_and_honours_given_weights():
    _, _, truth = am.datasets.synthetic_history(10, 6, seed=0)
    given_weights = truth.fillna(0) * 3
    _, _, again = am.datasets.synthetic_history(10, 6, seed=0, true_weights=given_weights)
    np.testing.assert_allclose(again.to_numpy(), (truth * 3).to_numpy())
    with pytest.raises(am.InvalidParameterError):
        am.datasets.synthetic_history(10, 2, n_families=3)
    with pytest.raises(am.InvalidParameterError):
        am.datasets.synthetic_history(10, 6, true_weights=-given_weights)
    history, _, _ = am.datasets.synthetic_history(10, 6, seed=0, stints=2)
    assert len(history) == 20 and math.isfinite(history["outcome"].sum())


def test_a_position_whose_competencies_all_learn_weight_zero_keeps_its_own(monkeypatch):
    history, positions, _ = am.datasets.synthetic_history(100, 6, seed=0, n_families=1)
    positions = positions.copy()
    codes = list(am.read_positions(positions).codes)
    only = codes[-1]
    positions.loc[0, [c for c in codes if c != only]] = np.nan  # position 0 requires one code
    positions[f"{only}_weight"] = 2.0
    original = ExpectationLearner.expectation

    def zero_last(self):
        weights = original(self).copy()
        weights[:, -1] = 0.0
        return weights

    monkeypatch.setattr(ExpectationLearner, "expectation", zero_last)
    learned = learn_expectation(history, positions, n_bootstrap=0, min_outcomes=10)
    table = am.read_positions(learned.positions)
    assert table.weights[0, codes.index(only)] == 2.0
    assert "POS-00001" in learned.summary["note"].iloc[0]
    assert table.weights[1, codes.index(only)] == 0.0


def test_learning_changes_none_of_the_callers_data():
    history, positions, _ = am.datasets.synthetic_history(120, 6, seed=1)
    saved = history.copy(), positions.copy()
    learn_expectation(history, positions, n_bootstrap=2, min_outcomes=10)
    pd.testing.assert_frame_equal(history, saved[0])
    pd.testing.assert_frame_equal(positions, saved[1])
    X = np.random.default_rng(0).integers(1, 6, (50, 2)).astype(float)
    standard = np.full((50, 2), 3.0)
    before = X.copy(), standard.copy()
    ExpectationLearner(n_bootstrap=2).fit(X, X.sum(axis=1), standard=standard)
    np.testing.assert_array_equal(X, before[0])
    np.testing.assert_array_equal(standard, before[1])
