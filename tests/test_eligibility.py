from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_match.kernels.eligibility import (
    REASON_CERTIFICATION,
    REASON_CLASS_EDUCATION,
    REASON_CLASS_RANK,
    REASON_EDUCATION,
    REASON_JOB_FAMILY,
    REASON_RANK,
    REASONS,
    EligibilityReason,
    EmployeeQualifications,
    PositionRequirements,
    describe_reasons,
    eligibility,
    pair_eligibility,
)


def naive_eligibility(emp: EmployeeQualifications, pos: PositionRequirements):
    n, m = len(emp), len(pos)
    reasons = np.zeros((n, m), dtype=np.uint16)
    for i in range(n):
        for j in range(m):
            bits = 0
            if emp.rank[i] < pos.min_rank[j]:
                bits |= REASON_RANK
            if emp.education[i] < pos.min_education[j]:
                bits |= REASON_EDUCATION
            class_edu = pos.class_min_education
            if class_edu is not None and emp.education[i] < class_edu[j]:
                bits |= REASON_CLASS_EDUCATION
            if pos.class_min_rank is not None and emp.rank[i] < pos.class_min_rank[j]:
                bits |= REASON_CLASS_RANK
            if pos.families is not None:
                accepted = [f for f in range(pos.families.shape[1]) if pos.families[j, f]]
                if accepted and not any(emp.families[i, f] for f in accepted):
                    bits |= REASON_JOB_FAMILY
            if pos.certifications is not None:
                for c in range(pos.certifications.shape[1]):
                    if pos.certifications[j, c] and not emp.certifications[i, c]:
                        bits |= REASON_CERTIFICATION
            reasons[i, j] = bits
    return reasons == 0, reasons


@st.composite
def cases(draw):
    n = draw(st.integers(0, 6))
    m = draw(st.integers(0, 6))
    n_fam = draw(st.integers(0, 3))
    n_cert = draw(st.integers(0, 3))
    with_tokens = draw(st.booleans())

    def codes(size, low, high):
        return np.array(
            draw(st.lists(st.integers(low, high), min_size=size, max_size=size)), dtype=np.int16
        )

    def bools(rows, cols):
        flat = draw(st.lists(st.booleans(), min_size=rows * cols, max_size=rows * cols))
        return np.array(flat, dtype=bool).reshape(rows, cols)

    emp = EmployeeQualifications(
        rank=codes(n, -1, 16),
        education=codes(n, -1, 8),
        families=bools(n, n_fam) if with_tokens else None,
        certifications=bools(n, n_cert) if with_tokens else None,
    )
    pos = PositionRequirements(
        min_rank=codes(m, -1, 16),
        min_education=codes(m, -1, 8),
        class_min_rank=codes(m, -1, 16) if draw(st.booleans()) else None,
        class_min_education=codes(m, -1, 8) if draw(st.booleans()) else None,
        families=bools(m, n_fam) if with_tokens else None,
        certifications=bools(m, n_cert) if with_tokens else None,
        family_names=tuple(f"fam{f}" for f in range(n_fam)),
        certification_names=tuple(f"cert{c}" for c in range(n_cert)),
    )
    return emp, pos


@given(cases())
@settings(deadline=None, max_examples=150)
def test_eligibility_matches_naive_loop(case):
    emp, pos = case
    eligible, reasons = eligibility(emp, pos)
    want_eligible, want_reasons = naive_eligibility(emp, pos)
    assert eligible.dtype == np.bool_ and reasons.dtype == np.uint16
    assert eligible.shape == reasons.shape == (len(emp), len(pos))
    np.testing.assert_array_equal(reasons, want_reasons)
    np.testing.assert_array_equal(eligible, want_eligible)


@given(cases(), st.data())
@settings(deadline=None, max_examples=80)
def test_pair_eligibility_equals_entries_of_the_matrix(case, data):
    emp, pos = case
    eligible, reasons = eligibility(emp, pos)
    n, m = len(emp), len(pos)
    size = data.draw(st.integers(0, 10)) if n and m else 0
    rows = np.array(
        data.draw(st.lists(st.integers(0, max(n - 1, 0)), min_size=size, max_size=size)),
        dtype=np.intp,
    )
    cols = np.array(
        data.draw(st.lists(st.integers(0, max(m - 1, 0)), min_size=size, max_size=size)),
        dtype=np.intp,
    )
    pair_ok, pair_reasons = pair_eligibility(emp, pos, rows, cols)
    np.testing.assert_array_equal(pair_reasons, reasons[rows, cols])
    np.testing.assert_array_equal(pair_ok, eligible[rows, cols])


@given(cases())
@settings(deadline=None, max_examples=40)
def test_every_set_bit_has_one_text(case):
    emp, pos = case
    _, reasons = eligibility(emp, pos)
    rows, cols = np.nonzero(np.ones_like(reasons, dtype=bool))
    texts = describe_reasons(reasons[rows, cols], rows, cols, emp, pos)
    for bits, text in zip(reasons[rows, cols].tolist(), texts, strict=True):
        assert len(text) == bin(bits).count("1")


def _one(rank="III/b", education="D3", **positions):
    from asn_match.ordinals import education_code, rank_code

    emp = EmployeeQualifications(
        rank=np.array([rank_code(rank)]), education=np.array([education_code(education)])
    )
    base = {"min_rank": np.array([-1]), "min_education": np.array([-1])}
    base.update(positions)
    pos = PositionRequirements(**base)
    _, reasons = eligibility(emp, pos)
    return int(reasons[0, 0]), describe_reasons(reasons[0], [0], [0], emp, pos)[0]


def test_reason_texts_name_the_values():
    assert _one(min_rank=np.array([11])) == (REASON_RANK, ["rank III/b below minimum III/d"])
    assert _one(min_education=np.array([6])) == (
        REASON_EDUCATION,
        ["education D3 below minimum S1"],
    )
    klass = np.array(["JPT Pratama"], dtype=object)
    assert _one(class_min_education=np.array([6]), position_class=klass) == (
        REASON_CLASS_EDUCATION,
        ["JPT Pratama requires at least S1/D4"],
    )
    assert _one(class_min_rank=np.array([12]), position_class=klass) == (
        REASON_CLASS_RANK,
        ["JPT Pratama requires at least rank IV/a"],
    )


def test_reason_texts_for_families_and_certifications():
    emp = EmployeeQualifications(
        rank=np.array([10]),
        education=np.array([6]),
        families=np.array([[False, False, True]]),
        certifications=np.array([[True, False]]),
    )
    pos = PositionRequirements(
        min_rank=np.array([-1]),
        min_education=np.array([-1]),
        families=np.array([[True, True, False]]),
        certifications=np.array([[True, True]]),
        family_names=("keuangan", "perencanaan", "hukum"),
        certification_names=("PBJ", "auditor"),
    )
    eligible, reasons = eligibility(emp, pos)
    assert not eligible[0, 0]
    assert reasons[0, 0] == REASON_JOB_FAMILY | REASON_CERTIFICATION
    assert describe_reasons(reasons[0], [0], [0], emp, pos)[0] == [
        "job family keuangan or perencanaan required",
        "certification auditor missing",
    ]


def test_unknown_rank_is_below_every_minimum_but_no_minimum_admits_it():
    emp = EmployeeQualifications(rank=np.array([-1]), education=np.array([-1]))
    pos = PositionRequirements(min_rank=np.array([0, -1]), min_education=np.array([-1, 0]))
    eligible, reasons = eligibility(emp, pos)
    assert reasons.tolist() == [[REASON_RANK, REASON_EDUCATION]]
    assert describe_reasons(reasons[0], [0, 0], [0, 1], emp, pos) == [
        ["rank unknown below minimum I/a"],
        ["education unknown below minimum SD"],
    ]
    assert eligibility(emp, PositionRequirements(np.array([-1]), np.array([-1])))[0].all()


def test_reason_codes_are_distinct_bits():
    bits = list(REASONS)
    assert all(b & (b - 1) == 0 for b in bits)
    assert sum(bits) < 2**16 and len(set(REASONS.values())) == len(bits)


def test_rows_selects_a_block():
    emp = EmployeeQualifications(
        rank=np.arange(5), education=np.arange(5), families=np.eye(5, dtype=bool)
    )
    block = emp.rows(slice(1, 3))
    assert block.rank.tolist() == [1, 2] and block.families.shape == (2, 5)


def test_invalid_inputs_are_named():
    pos = PositionRequirements(min_rank=np.array([1]), min_education=np.array([1]))
    with pytest.raises(ValueError, match="The 'rank' parameter must be a 1-D array of integer"):
        eligibility(EmployeeQualifications(rank=np.array([1.5]), education=np.array([1])), pos)
    with pytest.raises(ValueError, match="The 'education' parameter must have length 2"):
        eligibility(EmployeeQualifications(rank=np.array([1, 2]), education=np.array([1])), pos)
    with pytest.raises(ValueError, match="must be given for both employees and positions"):
        eligibility(
            EmployeeQualifications(
                rank=np.array([1]), education=np.array([1]), families=np.zeros((1, 0), bool)
            ),
            pos,
        )
    with pytest.raises(
        ValueError,
        match=r"The 'families' parameter must be a boolean array of "
        r"shape \(1, 2\)",
    ):
        eligibility(
            EmployeeQualifications(
                rank=np.array([1]), education=np.array([1]), families=np.zeros((1, 3), bool)
            ),
            PositionRequirements(
                min_rank=np.array([1]),
                min_education=np.array([1]),
                families=np.zeros((1, 2), bool),
                family_names=("a", "b"),
            ),
        )
    with pytest.raises(ValueError, match="must be 1-D of one length"):
        describe_reasons(
            [0, 0], [0], [0], EmployeeQualifications(np.array([1]), np.array([1])), pos
        )


def test_reason_codes_are_one_enum_with_one_table():
    assert set(REASONS) == set(EligibilityReason)
    assert len(set(REASONS.values())) == len(EligibilityReason)
    bits = [int(reason) for reason in EligibilityReason]
    assert bits == [1 << t for t in range(len(bits))]  # distinct bits of one uint16 mask
    assert REASON_RANK is EligibilityReason.RANK and REASONS[1] == "rank_below_minimum"
