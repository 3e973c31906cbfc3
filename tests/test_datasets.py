from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

import asn_match.datasets as datasets
from asn_match.datasets import synthetic_workforce, tegal_administrators
from asn_match.datasets._synthetic import (
    EMPLOYEE_COLUMNS,
    POSITION_COLUMNS,
    TECHNICAL_COMPETENCIES,
    employee_nips,
)
from asn_match.datasets._tegal import (
    EMPLOYEES_FILE,
    POSITIONS_FILE,
    _build_tegal,
    _csv_text,
)
from asn_match.framework import SKJ_MANAGERIAL, SKJ_SOCIO_CULTURAL
from asn_match.nip import parse_nip
from asn_match.ordinals import POSITION_CLASSES, parse_education, parse_rank

SKJ_CODES = [c for c, _ in SKJ_MANAGERIAL + SKJ_SOCIO_CULTURAL]
PREDICATES = {"sangat baik", "baik", "butuh perbaikan", "kurang", "sangat kurang"}


def competency_codes(employees: pd.DataFrame) -> list[str]:
    return list(employees.columns[len(EMPLOYEE_COLUMNS) :])


def naive_jpm(levels: np.ndarray, standard: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted capped sum_ratio JPM of every pair, one pair at a time."""
    out = np.empty((levels.shape[0], standard.shape[0]))
    for i, a in enumerate(levels):
        for j, (r, w) in enumerate(zip(standard, weights, strict=True)):
            req = ~np.isnan(r)
            out[i, j] = 100 * np.sum(w[req] * np.minimum(a[req], r[req])) / np.sum(w[req] * r[req])
    return out


# -- invariants every generated workforce satisfies --------------------------------------------
def check_schema(employees: pd.DataFrame, positions: pd.DataFrame, n_technical: int) -> None:
    codes = SKJ_CODES + [c for c, _ in TECHNICAL_COMPETENCIES][:n_technical]
    if n_technical > len(TECHNICAL_COMPETENCIES):
        codes += [f"teknis_bidang_{i:03d}" for i in range(26, n_technical + 1)]
    assert list(employees.columns) == [*EMPLOYEE_COLUMNS, *codes]
    assert list(positions.columns) == [*POSITION_COLUMNS, *codes, *(f"{c}_weight" for c in codes)]
    for column in ("employee_id", "name", "unit", "rank", "education", "gender", "religion"):
        assert pd.api.types.is_string_dtype(employees[column]), column
    for column in ("position_id", "title", "unit", "class", "min_rank", "min_education"):
        assert pd.api.types.is_string_dtype(positions[column]), column
    assert pd.api.types.is_integer_dtype(positions["seats"])
    assert pd.api.types.is_integer_dtype(employees["training_hours"])
    for column in ("performance", "potential"):
        dtype = employees[column].dtype
        assert dtype == np.float64 or pd.api.types.is_string_dtype(dtype), column
    for code in codes:
        assert pd.api.types.is_integer_dtype(employees[code]), code
        assert positions[code].dtype == np.float64
        assert positions[f"{code}_weight"].dtype == np.float64


def check_invariants(employees: pd.DataFrame, positions: pd.DataFrame) -> None:
    codes = competency_codes(employees)
    levels = employees[codes].to_numpy()
    assert ((levels >= 1) & (levels <= 5)).all()
    standard = positions[codes].to_numpy()
    weights = positions[[f"{c}_weight" for c in codes]].to_numpy()
    required = ~np.isnan(standard)
    assert np.array_equal(required, ~np.isnan(weights))
    assert np.isin(standard[required], [1, 2, 3, 4, 5]).all()
    assert (weights[required] > 0).all()
    # The SKJ competencies are required of every position.
    assert required[:, : len(SKJ_CODES)].all()
    assert set(positions["class"]) <= set(POSITION_CLASSES)
    assert (parse_rank(positions["min_rank"]) >= 0).all()
    assert (parse_education(positions["min_education"]) >= 0).all()
    assert (positions["seats"] >= 1).all()
    assert positions["position_id"].is_unique

    # Ids: unique, valid NIPs that agree with the birth date and gender columns.
    assert employees["employee_id"].is_unique
    parts = parse_nip(employees["employee_id"])
    assert parts.valid.all()
    birth = employees["birth_date"].to_numpy(dtype="datetime64[D]")
    assert (parts.birth_date == birth).all()
    assert (parts.gender == np.where(employees["gender"] == "P", 2, 1)).all()
    assert set(employees["gender"]) <= {"L", "P"}

    # Incumbents hold existing positions, never more than the seats, and meet the minimums.
    current = employees["current_position_id"]
    held = current.dropna()
    assert held.isin(positions["position_id"]).all()
    holders = held.value_counts()
    seats = positions.set_index("position_id")["seats"]
    assert (holders <= seats.reindex(holders.index)).all()
    incumbents = employees[current.notna()]
    post = positions.set_index("position_id").loc[incumbents["current_position_id"]]
    assert (parse_rank(incumbents["rank"]) >= parse_rank(post["min_rank"])).all()
    assert (
        parse_education(incumbents["education"]) >= parse_education(post["min_education"])
    ).all()
    assert (parse_rank(employees["rank"]) >= 0).all()
    assert (parse_education(employees["education"]) >= 0).all()


# -- synthetic_workforce ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workforce():
    return synthetic_workforce(2000, 400, seed=7)


def test_synthetic_schema_and_invariants(workforce):
    employees, positions = workforce
    assert employees.shape == (2000, len(EMPLOYEE_COLUMNS) + 9 + 15)
    assert positions.shape == (400, len(POSITION_COLUMNS) + 2 * (9 + 15))
    check_schema(employees, positions, 15)
    check_invariants(employees, positions)


def test_synthetic_realistic_mix(workforce):
    employees, positions = workforce
    total_seats = positions["seats"].sum()
    assert 0.9 * len(employees) <= total_seats < len(employees)
    assert (positions["seats"] >= 2).mean() > 0.2  # multi-seat positions exist
    assert employees["current_position_id"].notna().mean() == pytest.approx(0.7, abs=0.01)
    assert set(employees["performance"]) <= PREDICATES
    assert employees["potential"].between(0, 100).all()
    assert employees["religion"].value_counts(normalize=True)["Islam"] == pytest.approx(
        0.87, abs=0.04
    )
    assert employees["gender"].value_counts(normalize=True)["P"] == pytest.approx(0.5, abs=0.05)
    assert positions["position_id"].str.fullmatch(r"POS-\d{5}").all()
    # Administrators are mostly group III/IV.
    admin_ids = positions.loc[positions["class"] == "Administrator", "position_id"]
    admin_rank = employees.loc[employees["current_position_id"].isin(admin_ids), "rank"]
    assert admin_rank.str.startswith(("III/", "IV/")).mean() > 0.9


def test_synthetic_rank_follows_age(workforce):
    employees, _ = workforce
    rank = parse_rank(employees["rank"])
    birth_year = employees["birth_date"].str[:4].astype(int)
    appointment_year = parse_nip(employees["employee_id"]).appointment.astype("datetime64[Y]")
    assert np.corrcoef(rank, -birth_year)[0, 1] > 0.3
    assert np.corrcoef(rank, -appointment_year.astype(int))[0, 1] > 0.3
    age = 2025 - birth_year
    assert age.between(18, 60).all()


def test_synthetic_competencies_correlate_within_a_person(workforce):
    employees, _ = workforce
    for a, b in (("integritas", "komunikasi"), ("kerja_sama", "teknis_keuangan")):
        assert np.corrcoef(employees[a], employees[b])[0, 1] > 0.3, (a, b)
    # Not uniform noise: the middle levels dominate.
    values = employees[competency_codes(employees)].to_numpy().ravel()
    share = np.bincount(values, minlength=6)[1:] / values.size
    assert share[1] + share[2] > 0.5


def test_synthetic_is_deterministic_per_seed():
    first = synthetic_workforce(300, 60, seed=3)
    second = synthetic_workforce(300, 60, seed=3)
    for a, b in zip(first, second, strict=True):
        pd.testing.assert_frame_equal(a, b)
    other = synthetic_workforce(300, 60, seed=4)
    assert not first[0].equals(other[0])
    assert not first[1].equals(other[1])


@settings(deadline=None, max_examples=15)
@given(
    n_employees=st.integers(0, 120),
    n_positions=st.integers(0, 40),
    seed=st.integers(0, 2**32),
    n_technical=st.integers(0, 30),
)
def test_synthetic_invariants_for_any_size(n_employees, n_positions, seed, n_technical):
    employees, positions = synthetic_workforce(
        n_employees, n_positions, seed=seed, n_technical=n_technical
    )
    assert len(employees) == n_employees and len(positions) == n_positions
    check_schema(employees, positions, n_technical)
    check_invariants(employees, positions)


def test_synthetic_options():
    employees, _ = synthetic_workforce(200, 30, performance="score", potential="band")
    assert pd.api.types.is_string_dtype(employees["potential"])
    assert employees["performance"].dtype == np.float64
    assert employees["performance"].between(0, 100).all()
    assert set(employees["potential"]) <= {"rendah", "menengah", "tinggi"}
    employees, positions = synthetic_workforce(200, 30, incumbent_share=0.0, seat_share=0.5)
    assert employees["current_position_id"].isna().all()
    assert positions["seats"].sum() == 100


def test_synthetic_incumbents_capped_by_seats():
    # More would-be incumbents than seats: every seat filled, nobody over.
    employees, positions = synthetic_workforce(100, 10, seat_share=0.2, incumbent_share=1.0)
    assert positions["seats"].sum() == 20
    assert employees["current_position_id"].notna().sum() == 20
    check_invariants(employees, positions)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_employees": -1}, r"The 'n_employees' parameter of synthetic_workforce must be an int"),
        ({"n_employees": 2.5}, r"'n_employees' .* Got 2.5 instead"),
        ({"n_employees": True}, r"'n_employees' .* Got True instead"),
        ({"n_positions": "10"}, r"The 'n_positions' parameter .* Got '10' instead"),
        ({"seed": -3}, r"The 'seed' parameter"),
        ({"n_technical": -1}, r"The 'n_technical' parameter"),
        ({"incumbent_share": 1.5}, r"The 'incumbent_share' parameter .* range \[0.0, 1.0\]"),
        ({"seat_share": -0.1}, r"The 'seat_share' parameter"),
        (
            {"performance": "scores"},
            r"'performance' .* among \{'predicate', 'score'\}. Got 'scores'",
        ),
        ({"potential": "bands"}, r"The 'potential' parameter"),
    ],
)
def test_synthetic_rejects_bad_arguments(kwargs, match):
    args = {"n_employees": 10, "n_positions": 5, **kwargs}
    with pytest.raises(ValueError, match=match):
        synthetic_workforce(args.pop("n_employees"), args.pop("n_positions"), **args)


def test_synthetic_accepts_numpy_integers():
    employees, positions = synthetic_workforce(np.int64(20), np.int32(5), seed=np.uint8(1))
    assert len(employees) == 20 and len(positions) == 5


def test_employee_nips_unique_even_when_everything_else_collides():
    rng = np.random.default_rng(0)
    n = 50
    birth = np.full(n, np.datetime64("1980-05-17"))
    appointment = np.full(n, np.datetime64("2005-03", "M"))
    female = np.zeros(n, dtype=bool)
    ids = employee_nips(rng, birth, appointment, female)
    assert len(set(ids.tolist())) == n
    parts = parse_nip(ids)
    assert parts.valid.all() and (parts.birth_date == birth).all()


@pytest.mark.slow
def test_synthetic_benchmark_size():
    # The time to generate it is measured in benchmarks/bench_stream.py, not here.
    employees, positions = synthetic_workforce(100_000, 20_000, seed=0)
    assert employees.shape[0] == 100_000 and positions.shape[0] == 20_000
    assert employees["employee_id"].is_unique
    assert 90_000 <= positions["seats"].sum() < 100_000
    check_invariants(employees, positions)


# -- tegal_administrators -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def tegal():
    return tegal_administrators()


def test_tegal_sizes_and_schema(tegal):
    employees, positions = tegal
    assert len(employees) == 153
    assert 130 <= len(positions) <= 150
    assert 25 <= positions["unit"].nunique() <= 40
    assert set(employees["unit"]) <= set(positions["unit"])
    check_schema(employees, positions, 20)
    check_invariants(employees, positions)
    assert (positions["class"] == "Administrator").all()
    assert (positions["seats"] == 1).all()
    assert positions["position_id"].str.fullmatch(r"TGL-\d{3}").all()
    for unit in ("Sekretariat Daerah", "BKPSDM", "BPKAD", "Dinas Kesehatan", "Kecamatan Slawi"):
        assert unit in set(positions["unit"]), unit
    assert positions["title"].str.startswith(("Sekretaris", "Kepala Bidang", "Camat")).any()


def test_tegal_levels_and_standards(tegal):
    employees, positions = tegal
    codes = competency_codes(employees)
    levels = employees[codes].to_numpy()
    assert not np.isnan(levels.astype(float)).any()  # the assessment covers every competency
    assert levels.min() >= 1 and levels.max() <= 5
    managerial = positions[SKJ_CODES].to_numpy()
    assert np.isin(managerial, [3, 4]).all() and (managerial == 3).mean() > 0.9
    technical = positions[codes[len(SKJ_CODES) :]]
    assert technical.notna().sum(axis=1).between(1, 3).all()
    assert set(positions["min_rank"]) == {"III/c", "III/d"}
    assert (positions["min_education"] == "S1").mean() > 0.9
    assert (positions["min_education"] == "D3").any()
    assert set(employees["performance"]) <= PREDICATES


def test_tegal_placement_is_interesting(tegal):
    employees, positions = tegal
    codes = competency_codes(employees)
    jpm = naive_jpm(
        employees[codes].to_numpy(float),
        positions[codes].to_numpy(),
        positions[[f"{c}_weight" for c in codes]].to_numpy(),
    )
    for share in ((jpm >= 80).mean(), ((jpm >= 68) & (jpm < 80)).mean(), (jpm < 68).mean()):
        assert 0.15 < share < 0.65
    eligible = (
        parse_rank(employees["rank"]).reshape(-1, 1) >= parse_rank(positions["min_rank"])
    ) & (
        parse_education(employees["education"]).reshape(-1, 1)
        >= parse_education(positions["min_education"])
    )
    assert eligible.mean() > 0.7
    incumbents = employees["current_position_id"].notna().sum()
    assert 100 <= incumbents < len(positions)


def test_tegal_incumbency_is_realistic(tegal):
    """Issue 10: incumbents were seated at random. A regency's incumbents mostly fit their
    posts, some posts are vacant and some incumbents are misfits; each vacancy or misfit post
    has someone who could fill it at Masih Memenuhi Syarat or better."""
    employees, positions = tegal
    codes = competency_codes(employees)
    jpm = naive_jpm(
        employees[codes].to_numpy(float),
        positions[codes].to_numpy(),
        positions[[f"{c}_weight" for c in codes]].to_numpy(),
    )
    held = employees["current_position_id"]
    row = np.flatnonzero(held.notna().to_numpy())
    col = positions.reset_index().set_index("position_id").loc[held.dropna(), "index"].to_numpy()
    own = jpm[row, col]
    vacant = 1 - held.notna().sum() / len(positions)
    assert 0.05 <= vacant <= 0.2
    misfits = (own < 68).mean()
    assert 0.02 <= misfits <= 0.12
    assert (own >= 80).mean() > 0.6
    # Fit-correlated: an incumbent fits their own post better than most other posts.
    assert own.mean() > jpm[row].mean() + 2
    assert (own > np.median(jpm[row], axis=1)).mean() > 0.6
    # Incumbents work in the unit of their post.
    units = positions.set_index("position_id").loc[held.dropna(), "unit"].to_numpy()
    assert (employees.loc[held.notna(), "unit"].to_numpy() == units).all()
    # Every post could be filled at Masih Memenuhi Syarat or better at once (a matching).
    eligible = (
        parse_rank(employees["rank"]).reshape(-1, 1) >= parse_rank(positions["min_rank"])
    ) & (
        parse_education(employees["education"]).reshape(-1, 1)
        >= parse_education(positions["min_education"])
    )
    fits = eligible & (jpm >= 68)
    rows, cols = linear_sum_assignment(-fits.astype(float))
    assert fits[rows, cols].sum() == len(positions)


def test_tegal_ids_stay_strings(tegal):
    employees, positions = tegal
    assert employees["employee_id"].map(type).eq(str).all()
    assert employees["employee_id"].str.fullmatch(r"\d{18}").all()
    assert positions["position_id"].map(type).eq(str).all()


def test_tegal_returns_fresh_frames():
    employees, positions = tegal_administrators()
    employees.loc[0, "name"] = "changed"
    positions["seats"] = 99
    again_employees, again_positions = tegal_administrators()
    assert again_employees.loc[0, "name"] != "changed"
    assert (again_positions["seats"] == 1).all()


def test_tegal_csvs_are_reproducible():
    built_employees, built_positions = _build_tegal(seed=2022)
    data = resources.files(datasets).joinpath("data")
    for name, frame in ((EMPLOYEES_FILE, built_employees), (POSITIONS_FILE, built_positions)):
        shipped = data.joinpath(name).read_bytes().decode("utf-8")
        assert shipped == _csv_text(frame), f"{name} differs from a fresh build; regenerate it"
    employees, positions = tegal_administrators()
    pd.testing.assert_frame_equal(employees, built_employees)
    pd.testing.assert_frame_equal(positions, built_positions)


def test_tegal_build_depends_on_seed():
    other_employees, _ = _build_tegal(seed=1)
    employees, _ = tegal_administrators()
    assert not employees["employee_id"].equals(other_employees["employee_id"])
