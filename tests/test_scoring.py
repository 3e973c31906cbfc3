from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_match as am
from asn_match.config import (
    FUNCTIONAL_GRADE_WEIGHTING,
    ClassWeighting,
    CompositeWeights,
    EligibilityPolicy,
    RequirementRule,
    ScoringConfig,
)
from asn_match.datasets import synthetic_workforce
from asn_match.errors import DataQualityWarning, InputError, InvalidParameterError
from asn_match.io import read_employees, read_positions, write_table
from asn_match.kernels.composite import composite, employee_merit, normalise_weights
from asn_match.kernels.eligibility import REASON_CLASS_EDUCATION, REASON_RANK
from asn_match.kernels.jpm import jpm as jpm_kernel
from asn_match.scoring import (
    REASONS,
    CandidateScores,
    DenseScores,
    Scores,
    expectation_weights,
    score,
)

# ------------------------------------------------------------------------------------------------
# helpers


def employees_frame(rows: list[dict]) -> pd.DataFrame:
    base = {"name": "x", "unit": "u", "rank": "III/c", "education": "S1",
            "performance": 80.0, "potential": 70.0}  # fmt: skip
    return pd.DataFrame([{**base, **row} for row in rows])


def positions_frame(rows: list[dict]) -> pd.DataFrame:
    base = {"title": "t", "unit": "u", "class": "Administrator", "seats": 1,
            "min_rank": "III/a", "min_education": "D3"}  # fmt: skip
    return pd.DataFrame([{**base, **row} for row in rows])


def pair_table(scores: Scores) -> pd.DataFrame:
    """Every pair's values keyed by ids, independent of row order (ids sort as text)."""
    return scores.to_frame().set_index(["employee_id", "position_id"]).sort_index()


@pytest.fixture(scope="module")
def workforce():
    employees, positions = synthetic_workforce(90, 14, seed=7)
    return read_employees(employees), read_positions(positions)


# ------------------------------------------------------------------------------------------------
# composite kernel


def naive_composite(jpm, performance, potential, experience, weights):
    w = np.asarray(weights, float) / np.sum(weights)
    out = np.empty_like(jpm)
    for i in range(jpm.shape[0]):
        for j in range(jpm.shape[1]):
            value = w[0] * min(jpm[i, j], 100.0)
            value += w[1] * performance[i] if w[1] else 0.0
            value += w[2] * potential[i] if w[2] else 0.0
            value += w[3] * experience[i] if w[3] else 0.0
            out[i, j] = value
    return out


scores_0_100 = st.floats(0, 100, allow_nan=False)


@st.composite
def composite_cases(draw):
    n, m = draw(st.integers(0, 5)), draw(st.integers(0, 5))
    jpm = np.array(draw(st.lists(st.floats(0, 150), min_size=n * m, max_size=n * m)))
    vectors = [np.array(draw(st.lists(scores_0_100, min_size=n, max_size=n))) for _ in range(3)]
    weights = draw(st.lists(st.floats(0, 5), min_size=4, max_size=4).filter(lambda w: sum(w) > 0))
    return jpm.reshape(n, m), vectors, weights


@given(composite_cases())
@settings(deadline=None, max_examples=100)
def test_composite_equals_naive_formula(case):
    jpm, (performance, potential, experience), weights = case
    got = composite(jpm, performance, potential, experience, weights=weights)
    want = naive_composite(jpm, performance, potential, experience, weights)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)
    assert (got <= 100 + 1e-9).all() and (got >= 0).all()


def test_composite_ignores_missing_values_of_a_zero_weight_and_writes_in_place():
    jpm = np.array([[50.0, 120.0]])
    out = composite(jpm, [np.nan], [80.0], weights=(1, 0, 1, 0), out=jpm)
    assert out is jpm
    assert out.tolist() == [[65.0, 90.0]]
    assert employee_merit([np.nan], [40.0], weights=(1, 0, 1, 0)).tolist() == [20.0]


def test_composite_errors_name_the_fix():
    with pytest.raises(
        ValueError,
        match="The 'experience' parameter of composite is required when its weight is positive",
    ):
        composite([[50.0]], [1.0], [1.0], weights=(1, 1, 1, 1))
    with pytest.raises(ValueError, match=r"finite where its weight is positive; rows \[1\]"):
        composite([[50.0], [60.0]], [1.0, np.nan], [1.0, 1.0])
    with pytest.raises(ValueError, match="must be 4 finite numbers >= 0 with a positive sum"):
        normalise_weights([0, 0, 0, 0])
    with pytest.raises(
        ValueError,
        match=r"The 'performance' parameter of composite must have "
        r"shape \(2,\)",
    ):
        composite([[50.0], [60.0]], [1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="The 'out' parameter of composite must be a float64"):
        composite([[50.0]], [1.0], [1.0], out=np.empty((2, 2)))
    with pytest.raises(ValueError, match="The 'jpm' parameter of composite must be a 2-D array"):
        composite([50.0], [1.0], [1.0])


# ------------------------------------------------------------------------------------------------
# dense scores


def test_dense_scores_match_the_kernels(workforce):
    employees, positions = workforce
    s = score(employees, positions)
    assert s.is_dense and isinstance(s, DenseScores) and isinstance(s, Scores)
    assert s.jpm.shape == s.composite.shape == s.eligible.shape == (90, 14)
    assert s.reasons.dtype == np.uint16 and s.category_code.dtype == np.int8
    cols = [positions.codes.index(c) for c in s.codes]
    emp_cols = [employees.codes.index(c) for c in s.codes]
    want = jpm_kernel(employees.levels[:, emp_cols], positions.standard[:, cols],
                      weights=positions.weights[:, cols])  # fmt: skip
    np.testing.assert_allclose(s.jpm, want, atol=1e-8)
    w = ScoringConfig().composite_weights.normalised()
    merit = w[1] * employees.performance + w[2] * employees.potential
    np.testing.assert_allclose(s.composite, w[0] * np.minimum(s.jpm, 100) + merit[:, None])
    np.testing.assert_array_equal(s.eligible, s.reasons == 0)
    assert set(np.unique(s.category_code)) <= {0, 1, 2}
    for array in (s.jpm, s.composite, s.eligible, s.reasons, s.category_code):
        assert not array.flags.writeable
    assert s.category()[0, 0] in ScoringConfig().category_labels
    assert "dense" in repr(s)


def test_categories_follow_the_configured_scale(workforce):
    employees, positions = workforce
    mapping = score(employees, positions, config={"category_scale": "mapping"})
    want = np.where(mapping.jpm >= 90, 0, np.where(mapping.jpm >= 78, 1, 2))
    np.testing.assert_array_equal(mapping.category_code, want)
    assert set(mapping.category().ravel()) <= {"Optimal", "Cukup Optimal", "Kurang Optimal"}
    strict = score(employees, positions, config=ScoringConfig(thresholds=(95.0, 85.0)))
    np.testing.assert_array_equal(
        strict.category_code, np.where(strict.jpm >= 95, 0, np.where(strict.jpm >= 85, 1, 2))
    )


def test_to_frame_lists_every_pair_with_readable_reasons(workforce):
    employees, positions = workforce
    s = score(employees, positions)
    frame = s.to_frame()
    assert frame.columns.tolist() == ["employee_id", "position_id", "jpm", "category",
                                      "composite", "eligible", "reasons"]  # fmt: skip
    assert len(frame) == 90 * 14
    assert (frame["reasons"] == "").equals(frame["eligible"])
    i, j = map(int, np.argwhere(~s.eligible)[0])
    row = frame[(frame.employee_id == employees.ids[i]) & (frame.position_id == positions.ids[j])]
    assert row["reasons"].item() == "; ".join(s.reason_text(i, j))
    assert s.reason_text(i, j)


def test_reasons_are_readable_and_policies_switch_rules_off():
    employees = read_employees(employees_frame([
        {"employee_id": "E1", "rank": "III/b", "education": "D3", "integritas": 3},
        {"employee_id": "E2", "rank": "IV/a", "education": "S2", "integritas": 3},
    ]))  # fmt: skip
    positions = read_positions(positions_frame([
        {"position_id": "P1", "class": "JPT Pratama", "min_rank": "III/d",
         "min_education": "D3", "integritas": 4},
        {"position_id": "P2", "class": "Pengawas", "min_rank": "III/a",
         "min_education": "D3", "integritas": 3},
    ]))  # fmt: skip
    s = score(employees, positions)
    assert s.reasons[0, 0] == REASON_RANK | REASON_CLASS_EDUCATION
    assert s.reason_text(0, 0) == [
        "rank III/b below minimum III/d",
        "JPT Pratama requires at least S1/D4",
    ]
    assert s.eligible.tolist() == [[False, True], [True, True]]
    assert REASONS[REASON_RANK] == "rank_below_minimum"
    off = ScoringConfig(eligibility=EligibilityPolicy(min_rank=False, class_min_education={}))
    assert score(employees, positions, config=off).eligible.all()
    with pytest.raises(
        ValueError,
        match=r"The 'i' parameter of Scores.reason_text must be an int "
        r"in the range \[0, 1\]",
    ):
        s.reason_text(5, 0)


def test_job_family_and_certification_rules_read_descriptive_columns():
    employees = read_employees(employees_frame([
        {"employee_id": "E1", "integritas": 3, "info_job_family": "Keuangan",
         "info_certifications": "PBJ"},
        {"employee_id": "E2", "integritas": 3, "info_job_family": "hukum; perencanaan",
         "info_certifications": "PBJ; Auditor"},
    ]))  # fmt: skip
    positions = read_positions(positions_frame([
        {"position_id": "P1", "integritas": 3, "info_family": "keuangan",
         "info_required_certifications": "PBJ; auditor"},
        {"position_id": "P2", "integritas": 3, "info_family": None,
         "info_required_certifications": None},
    ]))  # fmt: skip
    policy = EligibilityPolicy(
        job_family=RequirementRule(position_column="family", employee_column="job_family"),
        certification=RequirementRule(position_column="info_required_certifications",
                                      employee_column="certifications"),
    )  # fmt: skip
    s = score(employees, positions, config=ScoringConfig(eligibility=policy))
    assert s.eligible.tolist() == [[False, True], [False, True]]
    assert s.reason_text(0, 0) == ["certification auditor missing"]
    assert s.reason_text(1, 0) == ["job family keuangan required"]
    bad = EligibilityPolicy(
        job_family=RequirementRule(position_column="famly", employee_column="job_family")
    )
    with pytest.raises(InputError, match="reads the column 'famly'.*Did you mean 'info_family'"):
        score(employees, positions, config=ScoringConfig(eligibility=bad))


# ------------------------------------------------------------------------------------------------
# class weighting


def _weighting_tables(position_class: str):
    employees = read_employees(employees_frame([
        {"employee_id": "E1", "integritas": 2, "komunikasi": 4, "teknis_a": 1, "teknis_b": 3},
        {"employee_id": "E2", "integritas": 5, "komunikasi": 1, "teknis_a": 4, "teknis_b": 4},
    ]))  # fmt: skip
    positions = read_positions(positions_frame([
        {"position_id": "P1", "class": position_class, "integritas": 3, "komunikasi": 4,
         "teknis_a": 4, "teknis_b": 2, "integritas_weight": 3.0},
        {"position_id": "P2", "class": position_class, "integritas": 3, "komunikasi": 3},
    ]))  # fmt: skip
    return employees, positions


@pytest.mark.parametrize("method", ["sum_ratio", "mean_ratio"])
@pytest.mark.parametrize("cap", [True, False])
def test_class_weighting_gives_the_technical_part_its_share(method, cap):
    employees, positions = _weighting_tables("Ahli Madya")
    base = ScoringConfig(method=method, cap=cap)
    weighted = base.model_copy(update={"class_weighting": FUNCTIONAL_GRADE_WEIGHTING})
    plain = score(employees, positions, config=base)
    s = score(employees, positions, config=weighted)
    # JPM = 0.4 * JPM(technical) + 0.6 * JPM(managerial), each part scored on its own
    lv, std, w = np.nan_to_num(employees.levels), positions.standard, positions.weights
    tech = np.array([c.startswith("teknis") for c in positions.codes])
    parts = []
    for keep in (tech, ~tech):
        standard = np.where(keep[None, :], std, np.nan)[:1]
        parts.append(jpm_kernel(lv, standard, weights=w[:1], method=method, cap=cap)[:, 0])
    np.testing.assert_allclose(s.jpm[:, 0], 0.4 * parts[0] + 0.6 * parts[1], atol=1e-8)
    # a position requiring managerial competencies only keeps its weights
    np.testing.assert_allclose(s.jpm[:, 1], plain.jpm[:, 1])
    assert not np.allclose(s.jpm[:, 0], plain.jpm[:, 0])
    # the total weight is kept
    total = np.nansum(np.where(positions.required, positions.weights, 0), axis=1)
    np.testing.assert_allclose(s.expectation_weights.sum(axis=1), total)


def test_class_weighting_leaves_unlisted_classes_alone():
    employees, positions = _weighting_tables("Administrator")
    cfg = ScoringConfig(class_weighting=FUNCTIONAL_GRADE_WEIGHTING)
    np.testing.assert_array_equal(score(employees, positions, config=cfg).jpm,
                                  score(employees, positions).jpm)  # fmt: skip


def test_expectation_weights_example_rescales_by_share():
    cfg = ScoringConfig(class_weighting=ClassWeighting(technical_share={"Ahli Muda": 0.5}))
    w = expectation_weights(
        np.array([[2.0, 4.0, np.nan]]), np.ones((1, 3)),
        np.array(["managerial", "technical", "technical"]), np.array(["Ahli Muda"], object), cfg,
    )  # fmt: skip
    # sum_ratio: each part carries half of sum(w * standard), then the total weight (2) is kept
    np.testing.assert_allclose(w, [[4 / 3, 2 / 3, 0.0]])


# ------------------------------------------------------------------------------------------------
# alignment and missing data


def test_positions_competency_missing_from_employees_suggests_a_name():
    employees = read_employees(employees_frame([{"employee_id": "E1", "teknis_keuangan": 3}]))
    positions = read_positions(positions_frame([{"position_id": "P1", "teknis_keuanga": 3}]))
    with pytest.raises(InputError) as info:
        score(employees, positions)
    problem = info.value.problems[0]
    assert problem.column == "teknis_keuanga" and problem.code == "unknown_competency"
    assert "did you mean 'teknis_keuangan'?" in problem.message


def test_employee_only_competencies_are_not_required():
    employees = read_employees(employees_frame([{"employee_id": "E1", "integritas": 3,
                                                 "teknis_x": 1}]))  # fmt: skip
    positions = read_positions(positions_frame([{"position_id": "P1", "integritas": 3}]))
    s = score(employees, positions)
    assert s.codes == ("integritas",) and s.jpm.tolist() == [[100.0]]


def test_missing_level_error_names_row_column_and_id_and_zero_counts_nothing():
    employees = read_employees(employees_frame([
        {"employee_id": "E1", "integritas": 3, "komunikasi": 4},
        {"employee_id": "E2", "integritas": None, "komunikasi": 4},
    ]))  # fmt: skip
    positions = read_positions(positions_frame([
        {"position_id": "P1", "integritas": 4, "komunikasi": 4},
    ]))  # fmt: skip
    with pytest.raises(InputError) as info:
        score(employees, positions)
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.record_id) == (3, "integritas", "E2")
    assert "missing_level='zero'" in problem.message
    s = score(employees, positions, config=ScoringConfig(missing_level="zero"))
    assert s.jpm[:, 0].tolist() == [87.5, 50.0]
    table = s.breakdown("E2", "P1").set_index("competency")
    assert table.loc["integritas", "level"] == 0.0 and not table.loc["integritas", "assessed"]
    assert table.loc["integritas", "shortfall"] == 4.0


def test_missing_merit_is_neutral_by_default_or_an_error():
    employees = read_employees(employees_frame([
        {"employee_id": "E1", "integritas": 3, "performance": None, "potential": 90},
    ]))  # fmt: skip
    positions = read_positions(positions_frame([{"position_id": "P1", "integritas": 3}]))
    s = score(employees, positions)
    w = CompositeWeights().normalised()
    assert s.composite[0, 0] == pytest.approx(w[0] * 100 + w[1] * 50 + w[2] * 90)
    with pytest.raises(InputError, match="no performance value") as info:
        score(employees, positions, config=ScoringConfig(missing_merit="error"))
    assert info.value.problems[0].column == "performance"
    no_perf = ScoringConfig(missing_merit="error",
                            composite_weights=CompositeWeights(performance=0))  # fmt: skip
    assert score(employees, positions, config=no_perf).composite[0, 0] == pytest.approx(
        (0.6 * 100 + 0.15 * 90) / 0.75
    )


def test_experience_is_read_from_a_descriptive_column():
    employees = read_employees(employees_frame([
        {"employee_id": "E1", "integritas": 3, "info_experience_years": "5"},
        {"employee_id": "E2", "integritas": 3, "info_experience_years": "25"},
        {"employee_id": "E3", "integritas": 3, "info_experience_years": None},
    ]))  # fmt: skip
    positions = read_positions(positions_frame([{"position_id": "P1", "integritas": 3}]))
    cfg = ScoringConfig(
        composite_weights=CompositeWeights(competency=0, performance=0, potential=0, experience=1)
    )
    assert score(employees, positions, config=cfg).composite[:, 0].tolist() == [50.0, 100.0, 50.0]
    with pytest.raises(InputError, match="no years of experience"):
        score(employees, positions, config=cfg.model_copy(update={"missing_merit": "error"}))
    wrong = cfg.model_copy(update={"experience_column": "experiance_years"})
    with pytest.raises(InputError, match="Did you mean 'info_experience_years'"):
        score(employees, positions, config=wrong)


# ------------------------------------------------------------------------------------------------
# explanations


def test_breakdown_shares_sum_to_the_jpm_for_every_variant(workforce):
    employees, positions = workforce
    for method in ("sum_ratio", "mean_ratio"):
        for cap in (True, False):
            cfg = ScoringConfig(method=method, cap=cap, class_weighting=FUNCTIONAL_GRADE_WEIGHTING)
            s = score(employees, positions, config=cfg)
            table = s.breakdown(employees.ids[:5].tolist())
            assert len(table.groupby(["employee_id", "position_id"], observed=True)) == 5 * len(
                positions
            )
            sums = table.groupby(["employee_id", "position_id"], sort=False, observed=True)[
                "share"
            ].sum()
            rows = [employees.ids.tolist().index(e) for e, _ in sums.index]
            cols = [positions.ids.tolist().index(p) for _, p in sums.index]
            np.testing.assert_allclose(sums.to_numpy(), s.jpm[rows, cols], atol=1e-8)
            first = table.drop_duplicates(["employee_id", "position_id"])
            np.testing.assert_allclose(first["jpm"], s.jpm[rows, cols], atol=1e-8)
            np.testing.assert_allclose(first["composite"], s.composite[rows, cols], atol=1e-8)


def test_breakdown_columns_pairs_and_errors(workforce):
    employees, positions = workforce
    s = score(employees, positions)
    e, p = employees.ids[3], positions.ids[2]
    one = s.breakdown(e, p)
    required = positions.required[2, [positions.codes.index(c) for c in s.codes]]
    assert len(one) == required.sum()
    assert one.columns.tolist() == [
        "employee_id",
        "position_id",
        "jpm",
        "category",
        "composite",
        "competency",
        "kind",
        "level",
        "assessed",
        "standard",
        "weight",
        "shortfall",
        "surplus",
        "share",
        "eligible",
        "reasons",
    ]
    np.testing.assert_allclose(one["shortfall"] - one["surplus"], one["standard"] - one["level"])
    assert ((one["shortfall"] == 0) | (one["surplus"] == 0)).all()
    assert one["eligible"].iloc[0] == s.eligible[3, 2]
    assert one["reasons"].iloc[0] == "; ".join(s.reason_text(3, 2))
    pairs = s.breakdown([e, employees.ids[4]], [p, positions.ids[0]])
    assert pairs.drop_duplicates(["employee_id", "position_id"]).shape[0] == 2
    broadcast = s.breakdown(e, positions.ids[:3].tolist())
    assert broadcast["position_id"].nunique() == 3
    with pytest.raises(
        ValueError,
        match=r"The 'employee_id' parameter of Scores.breakdown must be ids of the scored table\. "
        r"Got \['nobody'\] instead",
    ):
        s.breakdown("nobody")
    with pytest.raises(ValueError, match="must have one length"):
        s.breakdown(employees.ids[:2].tolist(), positions.ids[:3].tolist())


def test_explain_is_a_deprecated_alias_of_breakdown(workforce):
    employees, positions = workforce
    s = score(employees, positions)
    e, p = employees.ids[3], positions.ids[2]
    with pytest.warns(DeprecationWarning, match=r"Scores.explain is deprecated.*Scores.breakdown"):
        old = s.explain(e, p)
    pd.testing.assert_frame_equal(old, s.breakdown(e, p))


# ------------------------------------------------------------------------------------------------
# streamed scores


def _assert_streamed_equals_dense(dense: Scores, streamed: Scores, k: int) -> None:
    for by in ("employee", "position"):
        want = dense.top_k(k, by=by).reset_index(drop=True)
        got = streamed.top_k(k, by=by).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want)
    c = streamed.candidates
    assert c.eligible.all() and (c.reasons == 0).all()
    np.testing.assert_array_equal(c.jpm, dense.jpm[c.employee_index, c.position_index])
    np.testing.assert_array_equal(c.composite, dense.composite[c.employee_index, c.position_index])
    np.testing.assert_array_equal(
        c.category_code, dense.category_code[c.employee_index, c.position_index]
    )


@pytest.mark.parametrize(("k", "block_size"), [(1, 7), (3, 16), (5, 1), (20, 50), (200, 13)])
def test_streamed_top_k_equals_dense_top_k(workforce, k, block_size):
    employees, positions = workforce
    dense = score(employees, positions)
    streamed = score(employees, positions, dense=False, top_k=k, block_size=block_size)
    assert isinstance(streamed, CandidateScores) and isinstance(streamed, Scores)
    assert not streamed.is_dense and streamed.top_k_kept == k
    _assert_streamed_equals_dense(dense, streamed, k)
    assert len(streamed.to_frame()) == len(streamed.candidates)


@given(st.integers(1, 70), st.integers(1, 25), st.integers(0, 10_000), st.integers(1, 8),
       st.integers(1, 40))  # fmt: skip
@settings(deadline=None, max_examples=12)
def test_streamed_equals_dense_on_random_workforces(n, m, seed, k, block_size):
    employees, positions = synthetic_workforce(n, m, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        employees, positions = read_employees(employees), read_positions(positions)
    dense = score(employees, positions)
    streamed = score(employees, positions, dense=False, top_k=k, block_size=block_size)
    _assert_streamed_equals_dense(dense, streamed, k)


def test_streamed_without_the_profile_table_and_with_family_rules(workforce, monkeypatch):
    employees, positions = workforce
    dense = score(employees, positions)
    monkeypatch.setattr("asn_match._scoring_stream._PROFILE_TABLE_PAIRS", 0)
    _assert_streamed_equals_dense(
        dense, score(employees, positions, dense=False, top_k=4, block_size=10), 4
    )
    emp = employees.to_frame()
    emp["info_family"] = np.where(np.arange(len(emp)) % 3 == 0, "keuangan", "hukum; umum")
    pos = positions.to_frame()
    pos["info_family"] = np.where(np.arange(len(pos)) % 2 == 0, "Keuangan", None)
    rule = RequirementRule(position_column="family", employee_column="family")
    cfg = ScoringConfig(eligibility=EligibilityPolicy(job_family=rule))
    dense = score(emp, pos, config=cfg)
    assert not dense.eligible[1::3, 0].any()
    for table in (0, 2**23):
        monkeypatch.setattr("asn_match._scoring_stream._PROFILE_TABLE_PAIRS", table)
        streamed = score(emp, pos, config=cfg, dense=False, top_k=3, block_size=17)
        _assert_streamed_equals_dense(dense, streamed, 3)


def test_streamed_scores_refuse_what_they_did_not_keep(workforce):
    employees, positions = workforce
    s = score(employees, positions, dense=False, top_k=4)
    with pytest.raises(ValueError, match="must be at most 4, the top_k this streamed scoring kept"):
        s.top_k(5)
    with pytest.raises(ValueError, match="needs dense scores"):
        s.top_k(2, eligible_only=False)
    assert s.category().shape == (len(s.candidates),)
    e = employees.ids[int(s.candidates.employee_index[0])]
    table = s.breakdown(e)
    c = s.candidates
    kept = c.position_index[c.employee_index == c.employee_index[0]]
    assert set(table["position_id"]) == set(positions.ids[kept])


def test_dense_choice_follows_the_memory_rule(workforce):
    employees, positions = workforce
    assert score(employees, positions, memory_limit=90 * 14 * 20).is_dense
    assert not score(employees, positions, memory_limit=90 * 14 * 20 - 1).is_dense
    assert score(employees, positions, dense=True, memory_limit=90 * 14 * 20).is_dense


def test_dense_true_that_cannot_fit_is_refused_before_any_work(workforce, monkeypatch):
    employees, positions = workforce

    def no_work(*args, **kwargs):
        raise AssertionError("scoring started")

    monkeypatch.setattr("asn_match.scoring.prepare", no_work)
    with pytest.raises(InvalidParameterError) as info:
        score(employees, positions, dense=True, memory_limit=90 * 14 * 20 - 1)
    message = str(info.value)
    assert info.value.name == "dense"
    assert "needs about 0.0 GB" in message and "more than memory_limit" in message
    assert "dense=False" in message and "top_k=50" in message
    assert f"raise memory_limit to at least {90 * 14 * 20} bytes" in message
    # without memory_limit, the machine's physical memory is the bound
    monkeypatch.setattr("asn_match.scoring._machine_memory", lambda: 10_000)
    with pytest.raises(InvalidParameterError, match=r"more than this machine's memory") as info:
        score(employees, positions, dense=True, top_k=7)
    assert "top_k=7" in str(info.value) and "memory_limit" not in str(info.value)
    # tables not yet read are refused before they are read (and validated)
    monkeypatch.setattr("asn_match.io.read_employees", no_work)
    with pytest.raises(InvalidParameterError, match=r"100000 employees x 20000 positions"):
        score(pd.DataFrame(index=range(100_000)), pd.DataFrame(index=range(20_000)), dense=True)


def test_refusal_uses_the_real_memory_of_this_machine():
    from asn_match.scoring import _machine_memory

    physical = _machine_memory()
    assert physical is None or physical > 2**26
    if physical is not None:
        n = physical // (20 * 1000) + 1  # a dense result just past this machine's memory
        with pytest.raises(InvalidParameterError, match=r"needs about \d+\.\d GB"):
            score(pd.DataFrame(index=range(n)), pd.DataFrame(index=range(1000)), dense=True)


def test_the_choice_never_goes_dense_past_the_machine_memory(workforce, monkeypatch, caplog):
    employees, positions = workforce
    monkeypatch.setattr("asn_match.scoring._machine_memory", lambda: 90 * 14 * 20 - 1)
    with caplog.at_level(logging.INFO, logger="asn_match.scoring"):
        s = score(employees, positions, memory_limit=10**12)
    assert not s.is_dense
    assert "more than this machine's memory" in caplog.records[0].getMessage()
    monkeypatch.setattr("asn_match.scoring._machine_memory", lambda: None)
    assert score(employees, positions, memory_limit=10**12).is_dense


def test_score_logs_when_it_switches_to_streaming(workforce, caplog):
    employees, positions = workforce
    with caplog.at_level(logging.INFO, logger="asn_match.scoring"):
        dense = score(employees, positions)
    assert not caplog.records
    with caplog.at_level(logging.INFO, logger="asn_match.scoring"):
        streamed = score(employees, positions, memory_limit=1000, top_k=6)
    (record,) = caplog.records
    assert record.levelno == logging.INFO
    assert "streaming, keeping the top 6 candidates" in record.getMessage()
    assert "dense=True keeps every pair" in record.getMessage()
    assert "more than memory_limit (0.0 GB)" in record.getMessage()
    assert repr(dense).startswith("<DenseScores: 90 employees x 14 positions (dense)")
    assert repr(streamed).startswith(
        "<CandidateScores: 90 employees x 14 positions (streamed: top-6 candidates, "
    )


def test_one_type_per_kind_of_scores(workforce):
    employees, positions = workforce
    dense = score(employees, positions)
    streamed = score(employees, positions, dense=False, top_k=4)
    assert type(dense) is am.DenseScores and type(streamed) is am.CandidateScores
    assert isinstance(dense, am.Scores) and isinstance(streamed, am.Scores)
    assert dense.is_dense and not streamed.is_dense
    assert not hasattr(dense, "candidates") and not hasattr(streamed, "jpm")
    with pytest.raises(AttributeError, match=r"CandidateScores has no 'composite'.*candidates"):
        _ = streamed.composite
    with pytest.raises(AttributeError, match=r"no attribute 'nothing'"):
        _ = streamed.nothing
    with pytest.raises(TypeError, match=r"build scores with asn_match.score"):
        Scores(employees=employees, positions=positions, config=dense.config, prepared=None)


def test_every_method_of_the_base_works_on_both_kinds(workforce):
    """Nothing downstream fails after a long scoring run because it streamed."""
    employees, positions = workforce
    dense = score(employees, positions)
    streamed = score(employees, positions, dense=False, top_k=5)
    c = streamed.candidates
    i, j = int(c.employee_index[3]), int(c.position_index[3])
    e, p = employees.ids[i], positions.ids[j]
    for name in ("shape", "codes", "levels", "standard_levels", "expectation_weights", "merit"):
        np.testing.assert_array_equal(getattr(streamed, name), getattr(dense, name))
    assert streamed.reason_text(0, 1) == dense.reason_text(0, 1)
    np.testing.assert_array_equal(
        streamed.category(), dense.category()[c.employee_index, c.position_index]
    )
    pd.testing.assert_frame_equal(streamed.breakdown(e, p), dense.breakdown(e, p))
    with pytest.warns(DeprecationWarning):
        pd.testing.assert_frame_equal(streamed.explain(e, p), dense.breakdown(e, p))
    kept = streamed.breakdown(e)
    assert set(kept["position_id"]) == set(positions.ids[c.position_index[c.employee_index == i]])
    frame = streamed.to_frame()
    assert frame.columns.tolist() == dense.to_frame().columns.tolist()
    keys = list(zip(frame["employee_id"], frame["position_id"], strict=True))
    want = pair_table(dense).loc[keys].astype({"reasons": str})  # reasons: categories differ
    got = frame.set_index(["employee_id", "position_id"]).astype({"reasons": str})
    pd.testing.assert_frame_equal(got, want, check_index_type=False)
    pd.testing.assert_frame_equal(streamed.top_k(5), dense.top_k(5))


def test_pair_tables_hold_categorical_ids_with_the_same_values(workforce):
    employees, positions = workforce
    s = score(employees, positions)
    frame = s.to_frame()
    assert frame.columns.tolist() == [
        "employee_id", "position_id", "jpm", "category", "composite", "eligible", "reasons"
    ]  # fmt: skip
    for name in ("employee_id", "position_id", "category", "reasons"):
        assert isinstance(frame[name].dtype, pd.CategoricalDtype)
    n, m = s.shape
    assert frame["employee_id"].astype(str).tolist() == np.repeat(employees.ids, m).tolist()
    assert frame["position_id"].astype(str).tolist() == np.tile(positions.ids, n).tolist()
    labels = np.array(s.config.category_labels, dtype=object)
    assert frame["category"].astype(str).tolist() == labels[s.category_code.ravel()].tolist()
    assert frame["category"].cat.categories.tolist() == list(s.config.category_labels)
    assert frame["jpm"].dtype == np.float64 and frame["eligible"].dtype == bool
    texts = [
        "; ".join(s.reason_text(i, j)) for i in range(0, n, 11) for j in range(m)
    ]  # fmt: skip
    rows = frame.set_index(["employee_id", "position_id"]).loc[
        [(employees.ids[i], positions.ids[j]) for i in range(0, n, 11) for j in range(m)]
    ]
    assert rows["reasons"].astype(str).tolist() == texts
    assert frame["reasons"].cat.categories.is_unique
    # ids sort as text, and the categories are every id of the table
    ordered = frame.sort_values(["employee_id", "position_id"])
    as_text = frame.astype({"employee_id": str, "position_id": str})
    expected = as_text.sort_values(["employee_id", "position_id"])
    assert ordered.index.tolist() == expected.index.tolist()
    best = s.top_k(1)
    assert best["employee_id"].cat.categories.tolist() == sorted(employees.ids.tolist())


def test_a_pair_table_takes_a_fraction_of_the_text_one():
    """Issue 9: categorical ids, category and reasons; measured 110 -> 24 bytes a pair."""
    s = score(*synthetic_workforce(300, 60, seed=2))
    frame = s.to_frame()
    per_pair = frame.memory_usage(deep=True).sum() / len(frame)
    as_text = frame.astype({c: str for c in ("employee_id", "position_id", "category", "reasons")})
    text_per_pair = as_text.memory_usage(deep=True).sum() / len(frame)
    assert per_pair < 30 < 70 < text_per_pair


def test_categorical_text_is_escaped_when_written(tmp_path):
    frame = pd.DataFrame({"employee_id": pd.Categorical(["=HYPERLINK(1)", "E2", "=HYPERLINK(1)"])})
    path = write_table(frame, tmp_path / "pairs.csv")
    assert path.read_text().splitlines()[1:] == ["'=HYPERLINK(1)", "E2", "'=HYPERLINK(1)"]


def test_top_k_dense_options(workforce):
    employees, positions = workforce
    s = score(employees, positions)
    best = s.top_k(3)
    assert best.columns.tolist() == [
        "employee_id", "position_id", "rank", "jpm", "category", "composite", "eligible", "reasons"
    ]  # fmt: skip
    assert best["eligible"].all()
    ranked = best.groupby("employee_id", sort=False, observed=True)["composite"].apply(
        lambda c: bool((np.diff(c.to_numpy()) <= 1e-9).all())
    )
    assert ranked.all()
    everyone = s.top_k(len(positions), eligible_only=False)
    assert len(everyone) == len(employees) * len(positions)
    with pytest.raises(ValueError, match=r"The 'by' parameter of Scores.top_k must be a str among"):
        s.top_k(3, by="unit")
    with pytest.raises(ValueError, match=r"The 'k' parameter of Scores.top_k must be an int >= 1"):
        s.top_k(0)


# ------------------------------------------------------------------------------------------------
# fairness and determinism


def test_scores_ignore_protected_attributes():
    employees, positions = synthetic_workforce(60, 9, seed=11)
    changed = employees.copy()
    rng = np.random.default_rng(0)
    changed["gender"] = rng.permutation(changed["gender"].to_numpy())
    changed["religion"] = rng.permutation(changed["religion"].to_numpy())
    changed["birth_date"] = rng.permutation(changed["birth_date"].to_numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)  # NIPs now contradict birth dates
        a = score(read_employees(employees), read_positions(positions))
        b = score(read_employees(changed), read_positions(positions))
    assert not a.employees.protected.equals(b.employees.protected)
    for name in ("jpm", "composite", "eligible", "reasons", "category_code"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    pd.testing.assert_frame_equal(a.top_k(3, by="position"), b.top_k(3, by="position"))


def test_scores_do_not_depend_on_row_order():
    employees, positions = synthetic_workforce(70, 12, seed=5)
    shuffled_e = employees.sample(frac=1, random_state=1).reset_index(drop=True)
    shuffled_p = positions.sample(frac=1, random_state=2).reset_index(drop=True)
    a = score(employees, positions)
    b = score(shuffled_e, shuffled_p)
    pd.testing.assert_frame_equal(pair_table(a), pair_table(b))
    for by in ("employee", "position"):
        key = ["employee_id", "rank"] if by == "employee" else ["position_id", "rank"]
        got = b.top_k(3, by=by).sort_values(key).reset_index(drop=True)
        want = a.top_k(3, by=by).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want)
    sa = score(employees, positions, dense=False, top_k=2, block_size=9)
    sb = score(shuffled_e, shuffled_p, dense=False, top_k=2, block_size=4)
    pd.testing.assert_frame_equal(
        sa.to_frame().sort_values(["employee_id", "position_id"]).reset_index(drop=True),
        sb.to_frame().sort_values(["employee_id", "position_id"]).reset_index(drop=True),
    )


# ------------------------------------------------------------------------------------------------
# parameters


def test_score_accepts_frames_and_rejects_bad_options(workforce):
    employees, positions = workforce
    frames = synthetic_workforce(10, 3, seed=1)
    assert score(*frames).shape == (10, 3)
    with pytest.raises(ValueError, match="The 'employees' parameter of score must be Employees"):
        score(positions, employees)
    with pytest.raises(ValueError, match="The 'dense' parameter of score must be True, False or"):
        score(employees, positions, dense="yes")
    with pytest.raises(
        ValueError,
        match=r"The 'top_k' parameter of score must be an int >= 1\. "
        r"Got 0 instead\.",
    ):
        score(employees, positions, top_k=0)
    with pytest.raises(
        ValueError, match="The 'block_size' parameter of score must be None or an int >= 1"
    ):
        score(employees, positions, block_size=2.5)
    with pytest.raises(ValueError, match="The 'config' parameter of score must be a ScoringConfig"):
        score(employees, positions, config="sum_ratio")
    with pytest.raises(ValueError, match="Input should be 'sum_ratio' or 'mean_ratio'"):
        score(employees, positions, config={"method": "median"})
