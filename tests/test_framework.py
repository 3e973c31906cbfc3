import numpy as np
import pytest
from pydantic import ValidationError

from asn_match.framework import (
    SKJ_LEVEL_NAMES,
    Competency,
    CompetencyFramework,
    LevelScale,
)


def test_skj_has_eight_managerial_one_socio_cultural_then_technical():
    fw = CompetencyFramework.skj(technical=["teknis_perencanaan", "teknis_keuangan"])
    kinds = fw.kinds.tolist()
    assert kinds.count("managerial") == 8
    assert kinds.count("socio_cultural") == 1
    assert fw.codes[8] == "perekat_bangsa"
    assert fw.codes[-2:] == ("teknis_perencanaan", "teknis_keuangan")
    assert fw.scale.names == SKJ_LEVEL_NAMES
    assert (fw.scale.minimum, fw.scale.maximum, fw.scale.integer) == (1, 5, True)


def test_custom_framework_any_scale():
    fw = CompetencyFramework.custom(["analysis", "writing"], minimum=0, maximum=7)
    assert fw.scale.describe() == "a whole number from 0 to 7"
    flt = CompetencyFramework.custom(["a"], minimum=0, maximum=100, integer=False)
    assert flt.scale.describe() == "a number from 0 to 100"


def test_from_columns_keeps_skj_kinds_and_marks_others_technical():
    fw = CompetencyFramework.from_columns(["integritas", "teknis_hukum", "komunikasi"])
    by_code = {c.code: c.kind for c in fw.competencies}
    assert by_code["integritas"] == "managerial"
    assert by_code["teknis_hukum"] == "technical"
    assert len(fw) == 10


@pytest.mark.parametrize(
    "code, fragment",
    [("Integritas", "lower case"), ("1abc", "starting with a letter"), ("x_weight", "_weight")],
)
def test_competency_code_rules(code, fragment):
    with pytest.raises(ValidationError, match=fragment):
        Competency(code=code)


def test_duplicate_codes_rejected():
    with pytest.raises(ValidationError, match="duplicate competency codes"):
        CompetencyFramework.custom(["a", "b", "a"])


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"minimum": 5, "maximum": 1}, "must be greater than minimum"),
        ({"minimum": -1, "maximum": 5}, ">= 0"),
        ({"minimum": 0.5, "maximum": 5}, "whole-number bounds"),
        ({"minimum": 0, "maximum": float("inf")}, "finite"),
    ],
)
def test_level_scale_validation(kwargs, fragment):
    with pytest.raises(ValidationError, match=fragment):
        LevelScale(**kwargs)


def test_index_suggests_close_code():
    fw = CompetencyFramework.skj()
    assert fw.index("komunikasi") == 2
    with pytest.raises(KeyError, match="did you mean 'integritas'"):
        fw.index("integritass")
    assert fw.suggest("zzz") == ""


def test_subset_keeps_order_and_scale():
    fw = CompetencyFramework.custom(["a", "b", "c"], minimum=0, maximum=7)
    sub = fw.subset(["c", "a"])
    assert sub.codes == ("c", "a")
    assert sub.scale == fw.scale


def test_framework_json_round_trip():
    fw = CompetencyFramework.skj(technical=["teknis_x"])
    again = CompetencyFramework.model_validate_json(fw.model_dump_json())
    assert again == fw
    assert isinstance(again.kinds, np.ndarray)
