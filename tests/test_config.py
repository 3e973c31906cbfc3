from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from asn_match.config import (
    FUNCTIONAL_GRADE_WEIGHTING,
    JPT_MIN_EDUCATION,
    ClassWeighting,
    CompositeWeights,
    EligibilityPolicy,
    RequirementRule,
    ScoringConfig,
)
from asn_match.errors import InvalidParameterError


def test_documented_defaults():
    cfg = ScoringConfig()
    assert (cfg.method, cfg.cap, cfg.category_scale, cfg.thresholds) == (
        "sum_ratio",
        True,
        "placement",
        None,
    )
    assert cfg.category_thresholds == (80.0, 68.0)
    assert cfg.category_labels == (
        "Memenuhi Syarat",
        "Masih Memenuhi Syarat",
        "Kurang Memenuhi Syarat",
    )
    assert cfg.class_weighting is None
    assert cfg.composite_weights.normalised() == pytest.approx((0.6, 0.25, 0.15, 0.0))
    assert (cfg.missing_merit, cfg.neutral_merit, cfg.missing_level) == ("neutral", 50.0, "error")
    assert cfg.eligibility.min_rank and cfg.eligibility.min_education
    assert cfg.eligibility.class_min_education == JPT_MIN_EDUCATION
    assert cfg.eligibility.job_family is None and cfg.eligibility.certification is None


def test_mapping_scale_and_custom_thresholds():
    cfg = ScoringConfig(category_scale="mapping")
    assert cfg.category_thresholds == (90.0, 78.0)
    assert cfg.category_labels == ("Optimal", "Cukup Optimal", "Kurang Optimal")
    assert ScoringConfig(category_scale="mapping", thresholds=[85, 70]).category_thresholds == (
        85.0,
        70.0,
    )


def test_functional_grade_weighting_is_the_published_rule():
    assert FUNCTIONAL_GRADE_WEIGHTING.technical_share == {
        "Ahli Madya": 0.4,
        "Ahli Muda": 0.5,
        "Ahli Pertama": 0.6,
    }


def test_json_round_trip_of_every_option():
    cfg = ScoringConfig(
        method="mean_ratio",
        cap=False,
        category_scale="mapping",
        thresholds=(92.5, 75.0),
        class_weighting=FUNCTIONAL_GRADE_WEIGHTING,
        composite_weights=CompositeWeights(competency=5, performance=2, potential=2,
                                           experience=1),
        missing_merit="error",
        neutral_merit=40,
        experience_column="info_masa_kerja",
        experience_full_years=20,
        missing_level="zero",
        eligibility=EligibilityPolicy(
            min_rank=False,
            class_min_education={"JPT Pratama": "S2"},
            class_min_rank={"JPT Pratama": "IV/b"},
            job_family=RequirementRule(position_column="rumpun", employee_column="rumpun"),
            certification=RequirementRule(position_column="sertifikat",
                                          employee_column="sertifikat", separator="|"),
        ),
    )  # fmt: skip
    text = cfg.model_dump_json()
    assert json.loads(text)["eligibility"]["class_min_rank"] == {"JPT Pratama": "IV/b"}
    back = ScoringConfig.model_validate_json(text)
    assert back == cfg
    assert back.model_dump_json() == text
    assert ScoringConfig.model_validate(json.loads(text)) == cfg
    assert "properties" in ScoringConfig.model_json_schema()


def test_spellings_are_normalised():
    policy = EligibilityPolicy(class_min_education={"jpt pratama": "D-IV"},
                               class_min_rank={"ADMINISTRATOR": "iii d"})  # fmt: skip
    assert policy.class_min_education == {"JPT Pratama": "S1"}
    assert policy.class_min_rank == {"Administrator": "III/d"}
    assert ClassWeighting(technical_share={"ahli pertama": 1}).technical_share == {
        "Ahli Pertama": 1.0
    }


def test_frozen_and_extra_forbidden():
    cfg = ScoringConfig()
    with pytest.raises(ValidationError, match="Instance is frozen"):
        cfg.method = "mean_ratio"
    # Issue 10: an unknown key is refused by name, with the valid keys, not pydantic's raw error.
    with pytest.raises(
        InvalidParameterError, match=r"'metod' parameter of ScoringConfig .*method, cap"
    ):
        ScoringConfig(metod="mean_ratio")
    with pytest.raises(InvalidParameterError, match=r"Did you mean 'min_rank'\?"):
        EligibilityPolicy(min_ranks=False)


@pytest.mark.parametrize(
    "build",
    [
        lambda: ScoringConfig(eligibility={"min_ranks": False}),
        lambda: ScoringConfig.model_validate({"eligibility": {"min_ranks": False}}),
        lambda: ScoringConfig.model_validate_json('{"eligibility": {"min_ranks": false}}'),
    ],
)
def test_unknown_nested_key_is_refused_by_name_issue_10(build):
    with pytest.raises(InvalidParameterError) as info:
        build()
    message = str(info.value)
    assert "'min_ranks' parameter of EligibilityPolicy" in message
    assert "min_rank, min_education" in message and "errors.pydantic.dev" not in message


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"method": "median"}, "Input should be 'sum_ratio' or 'mean_ratio'"),
        ({"cap": "yes"}, "Input should be a valid boolean"),
        ({"category_scale": "placment"}, "Input should be 'placement' or 'mapping'"),
        (
            {"thresholds": (68, 80)},
            "The 'thresholds' parameter of ScoringConfig must be two finite numbers >= 0 in "
            "strictly decreasing order, best category first, e.g. (80.0, 68.0). Got (68.0, 80.0) "
            "instead.",
        ),
        ({"thresholds": (80, 80)}, "strictly decreasing order"),
        ({"thresholds": (float("nan"), 68)}, "two finite numbers >= 0"),
        ({"thresholds": (80, -1)}, "two finite numbers >= 0"),
        ({"thresholds": (80,)}, "Field required"),
        ({"missing_merit": "zero"}, "Input should be 'neutral' or 'error'"),
        ({"missing_level": "skip"}, "Input should be 'error' or 'zero'"),
        (
            {"neutral_merit": 120},
            "The 'neutral_merit' parameter of ScoringConfig must be a finite number in the range "
            "[0, 100]. Got 120.0 instead.",
        ),
        (
            {"experience_full_years": 0},
            "The 'experience_full_years' parameter of ScoringConfig must be a finite number > 0. "
            "Got 0.0 instead.",
        ),
        (
            {"experience_column": " "},
            "The 'experience_column' parameter of ScoringConfig must be a non-blank string.",
        ),
        (
            {"experience_column": "birth_date"},
            "The 'experience_column' parameter of ScoringConfig must be a descriptive column, not "
            "a protected attribute",
        ),
        (
            {"composite_weights": {"performance": -1}},
            "The 'performance' parameter of CompositeWeights must be a finite number >= 0. "
            "Got -1.0 instead.",
        ),
        (
            {"composite_weights": {"competency": float("inf")}},
            "The 'competency' parameter of CompositeWeights must be a finite number >= 0.",
        ),
        (
            {"composite_weights": {"competency": 0, "performance": 0, "potential": 0}},
            "The weights of CompositeWeights must have a positive sum. Got all zero instead; give "
            "at least the competency weight a positive value.",
        ),
        (
            {"class_weighting": {"technical_share": {"Ahli Mudda": 0.5}}},
            "The 'technical_share' parameter of ClassWeighting must be keyed by position classes "
            "among JPT Utama, ",
        ),
        (
            {"class_weighting": {"technical_share": {"Ahli Mudda": 0.5}}},
            "Got 'Ahli Mudda' instead. Did you mean 'Ahli Muda'?",
        ),
        (
            {"class_weighting": {"technical_share": {"Ahli Muda": 1.5}}},
            "The 'technical_share' parameter of ClassWeighting must be a share in [0, 1] for "
            "'Ahli Muda'. Got 1.5 instead.",
        ),
        ({"eligibility": {"min_rank": "no"}}, "Input should be a valid boolean"),
        (
            {"eligibility": {"class_min_education": {"JPT Pratama": "PhD"}}},
            "The 'class_min_education' parameter of EligibilityPolicy must be an education level "
            "among SD, SMP, SMA, D1, D2, D3, S1, S2, S3 (D4 = S1) for 'JPT Pratama'. Got 'PhD' "
            "instead.",
        ),
        (
            {"eligibility": {"class_min_education": {"Eselon II": "S1"}}},
            "The 'class_min_education' parameter of EligibilityPolicy must be keyed by position "
            "classes",
        ),
        (
            {"eligibility": {"class_min_rank": {"JPT Pratama": "V/a"}}},
            "The 'class_min_rank' parameter of EligibilityPolicy must be a rank among I/a, ",
        ),
        (
            {"eligibility": {"job_family": {"position_column": "", "employee_column": "x"}}},
            "The 'position_column' parameter of RequirementRule must be a non-blank string. "
            "Got '' instead.",
        ),
        (
            {"eligibility": {"job_family": {"position_column": "x", "employee_column": "gender"}}},
            "The 'employee_column' parameter of RequirementRule must be a descriptive column, "
            "not a protected attribute",
        ),
        ({"eligibility": {"certification": {"position_column": "x"}}}, "Field required"),
    ],
)
def test_every_invalid_option_is_named(options, message):
    with pytest.raises(ValidationError) as info:
        ScoringConfig(**options)
    assert message in str(info.value)
