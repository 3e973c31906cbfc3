"""The embedded default: administrator-level officials of a regency and their positions.

Modelled on a regency such as Kabupaten Tegal (Central Java), whose 2022 mentoring cohort had 153
administrator-level officials: the positions are the administrator posts (Sekretaris, Kepala
Bidang, Kepala Bagian, Inspektur Pembantu, Camat, Sekretaris Kecamatan, ...) of about thirty
regional agencies, named as regencies name them. The people are fictitious, drawn by a seeded
model (:func:`_build_tegal`), with fit-correlated incumbency, vacancies and misfits
(:func:`_incumbency`); the CSV files under ``data/`` are that build, written once, and a
test checks that a fresh build still equals them. After a deliberate change to the model,
regenerate them with ``python -c "from asn_match.datasets._tegal import _write_shipped;
_write_shipped()"``.
"""

from __future__ import annotations

import functools
import io
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..framework import SKJ_MANAGERIAL, SKJ_SOCIO_CULTURAL
from ..kernels.jpm import jpm
from ..kernels.lap import max_weight_matching
from ..rules import EDUCATION_LEVELS, PLACEMENT_THRESHOLDS, RANKS
from ._synthetic import (
    EMPLOYEE_COLUMNS,
    POSITION_COLUMNS,
    career_dates,
    competency_levels,
    employee_nips,
    iso_dates,
    performance_column,
    person_names,
    potential_column,
    religions,
    technical_codes,
    training_hours_column,
)

__all__ = ["tegal_administrators"]

EMPLOYEES_FILE = "tegal_employees.csv"
POSITIONS_FILE = "tegal_positions.csv"

_N_EMPLOYEES = 153
#: Posts without a holder today, and posts held by a misfit (see :func:`_incumbency`).
_N_VACANT = 12
_N_MISFITS = 7
#: The technical competencies the regency's job profiles use (the first 20 of the shared list).
_TECHNICAL = [code for code, _ in technical_codes(20)]
_SKJ_CODES = [code for code, _ in SKJ_MANAGERIAL + SKJ_SOCIO_CULTURAL]
_CODES = _SKJ_CODES + _TECHNICAL

# Technical competencies of the secretariat posts every agency has.
_SECRETARIAT = ("perencanaan", "keuangan", "kepegawaian")
_KECAMATAN = ("Slawi", "Adiwerna", "Dukuhturi", "Talang", "Tarub", "Pangkah", "Lebaksiu", "Kramat")

#: Agencies as (unit, whether it has a Sekretaris post, its other administrator posts), each post
#: as (title, technical competencies). A technical code may carry a level after a colon (default
#: 3); the first code of a post weighs 2, the second 1.5, the rest 1.
_AGENCIES: tuple[tuple[str, bool, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    ("Sekretariat Daerah", False, (
        ("Kepala Bagian Tata Pemerintahan", ("pemerintahan", "hukum")),
        ("Kepala Bagian Hukum", ("hukum:4", "pemerintahan")),
        ("Kepala Bagian Organisasi", ("kepegawaian", "pemerintahan")),
        ("Kepala Bagian Perekonomian dan Sumber Daya Alam", ("perekonomian", "perencanaan")),
        ("Kepala Bagian Kesejahteraan Rakyat", ("sosial", "pemerintahan")),
        ("Kepala Bagian Administrasi Pembangunan", ("perencanaan", "pengawasan")),
        ("Kepala Bagian Pengadaan Barang dan Jasa", ("pengadaan:4", "hukum")),
        ("Kepala Bagian Umum", ("keuangan", "kepegawaian")),
        ("Kepala Bagian Protokol dan Komunikasi Pimpinan", ("informatika", "pemerintahan")),
        ("Kepala Bagian Perencanaan dan Keuangan", ("perencanaan", "keuangan")),
        ("Kepala Bagian Kerja Sama", ("pemerintahan", "hukum")),
    )),
    ("Sekretariat DPRD", False, (
        ("Kepala Bagian Umum dan Keuangan", ("keuangan", "kepegawaian")),
        ("Kepala Bagian Persidangan dan Perundang-undangan", ("hukum", "pemerintahan")),
        ("Kepala Bagian Fasilitasi Penganggaran dan Pengawasan", ("keuangan", "pengawasan")),
    )),
    ("Inspektorat", True, (
        ("Inspektur Pembantu Wilayah I", ("pengawasan:4", "keuangan")),
        ("Inspektur Pembantu Wilayah II", ("pengawasan:4", "keuangan")),
        ("Inspektur Pembantu Wilayah III", ("pengawasan:4", "pengadaan")),
        ("Inspektur Pembantu Wilayah IV", ("pengawasan:4", "pemerintahan")),
    )),
    ("Bappeda", True, (
        ("Kepala Bidang Perencanaan, Pengendalian dan Evaluasi Pembangunan",
         ("perencanaan:4", "pengawasan")),
        ("Kepala Bidang Perekonomian dan Sumber Daya Alam", ("perencanaan", "perekonomian")),
        ("Kepala Bidang Infrastruktur dan Kewilayahan", ("perencanaan", "infrastruktur")),
        ("Kepala Bidang Pemerintahan dan Pembangunan Manusia", ("perencanaan", "pemerintahan")),
        ("Kepala Bidang Penelitian dan Pengembangan", ("perencanaan", "perekonomian")),
    )),
    ("BKPSDM", True, (
        ("Kepala Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian",
         ("kepegawaian", "informatika")),
        ("Kepala Bidang Mutasi dan Promosi", ("kepegawaian:4", "hukum")),
        ("Kepala Bidang Pengembangan Kompetensi Aparatur", ("kepegawaian", "perencanaan")),
        ("Kepala Bidang Penilaian Kinerja Aparatur dan Penghargaan", ("kepegawaian", "pengawasan")),
    )),
    ("BPKAD", True, (
        ("Kepala Bidang Anggaran", ("keuangan:4", "perencanaan")),
        ("Kepala Bidang Perbendaharaan", ("keuangan",)),
        ("Kepala Bidang Akuntansi dan Pelaporan", ("keuangan:4",)),
        ("Kepala Bidang Pengelolaan Barang Milik Daerah", ("keuangan", "pengadaan")),
    )),
    ("Bapenda", True, (
        ("Kepala Bidang Pendataan dan Penetapan", ("pendapatan", "informatika")),
        ("Kepala Bidang Penagihan dan Keberatan", ("pendapatan", "hukum")),
        ("Kepala Bidang Pengembangan dan Pengendalian Pendapatan", ("pendapatan", "perencanaan")),
        ("Kepala Bidang Pelayanan dan Penyuluhan Pajak Daerah", ("pendapatan",)),
    )),
    ("BPBD", True, (
        ("Kepala Bidang Pencegahan dan Kesiapsiagaan", ("kebencanaan",)),
        ("Kepala Bidang Kedaruratan dan Logistik", ("kebencanaan", "ketertiban")),
        ("Kepala Bidang Rehabilitasi dan Rekonstruksi", ("kebencanaan", "infrastruktur")),
    )),
    ("Badan Kesatuan Bangsa dan Politik", True, (
        ("Kepala Bidang Ideologi dan Wawasan Kebangsaan", ("pemerintahan",)),
        ("Kepala Bidang Politik Dalam Negeri dan Organisasi Kemasyarakatan", ("pemerintahan",)),
        ("Kepala Bidang Kewaspadaan Nasional dan Penanganan Konflik",
         ("pemerintahan", "ketertiban")),
    )),
    ("Dinas Pendidikan dan Kebudayaan", True, (
        ("Kepala Bidang Pembinaan Pendidikan Anak Usia Dini", ("pendidikan",)),
        ("Kepala Bidang Pembinaan Pendidikan Nonformal", ("pendidikan",)),
        ("Kepala Bidang Pembinaan Sekolah Dasar", ("pendidikan:4",)),
        ("Kepala Bidang Pembinaan Sekolah Menengah Pertama", ("pendidikan:4",)),
        ("Kepala Bidang Pendidik dan Tenaga Kependidikan", ("pendidikan", "kepegawaian")),
        ("Kepala Bidang Kebudayaan", ("pendidikan",)),
    )),
    ("Dinas Kesehatan", True, (
        ("Kepala Bidang Kesehatan Masyarakat", ("kesehatan",)),
        ("Kepala Bidang Pencegahan dan Pengendalian Penyakit", ("kesehatan:4",)),
        ("Kepala Bidang Pelayanan Kesehatan", ("kesehatan",)),
        ("Kepala Bidang Sumber Daya Kesehatan", ("kesehatan", "kepegawaian")),
    )),
    ("RSUD dr. Soeselo", False, (
        ("Wakil Direktur Umum dan Keuangan", ("keuangan", "kepegawaian", "kesehatan")),
        ("Wakil Direktur Pelayanan", ("kesehatan:4",)),
        ("Kepala Bagian Umum dan Kepegawaian", ("kepegawaian", "pengadaan")),
        ("Kepala Bagian Keuangan", ("keuangan",)),
        ("Kepala Bidang Pelayanan Medik", ("kesehatan:4",)),
        ("Kepala Bidang Keperawatan", ("kesehatan",)),
        ("Kepala Bidang Penunjang Medik", ("kesehatan",)),
    )),
    ("Dinas Sosial", True, (
        ("Kepala Bidang Rehabilitasi Sosial", ("sosial",)),
        ("Kepala Bidang Perlindungan dan Jaminan Sosial", ("sosial",)),
        ("Kepala Bidang Pemberdayaan Sosial", ("sosial", "perekonomian")),
        ("Kepala Bidang Penanganan Fakir Miskin", ("sosial", "perencanaan")),
    )),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", True, (
        ("Kepala Bidang Bina Marga", ("infrastruktur:4",)),
        ("Kepala Bidang Sumber Daya Air", ("infrastruktur", "lingkungan")),
        ("Kepala Bidang Cipta Karya", ("infrastruktur",)),
        ("Kepala Bidang Penataan Ruang", ("infrastruktur", "perencanaan")),
        ("Kepala Bidang Jasa Konstruksi", ("infrastruktur", "pengadaan")),
    )),
    ("Dinas Perumahan Rakyat dan Kawasan Permukiman", True, (
        ("Kepala Bidang Perumahan", ("infrastruktur",)),
        ("Kepala Bidang Kawasan Permukiman", ("infrastruktur", "lingkungan")),
    )),
    ("Satpol PP", True, (
        ("Kepala Bidang Penegakan Peraturan Daerah", ("ketertiban", "hukum")),
        ("Kepala Bidang Ketertiban Umum dan Ketenteraman Masyarakat", ("ketertiban",)),
        ("Kepala Bidang Perlindungan Masyarakat", ("ketertiban", "kebencanaan")),
        ("Kepala Bidang Pemadam Kebakaran", ("kebencanaan", "ketertiban")),
    )),
    ("Dinas Lingkungan Hidup", True, (
        ("Kepala Bidang Tata Lingkungan", ("lingkungan", "perencanaan")),
        ("Kepala Bidang Pengelolaan Sampah dan Limbah B3", ("lingkungan",)),
        ("Kepala Bidang Pengendalian Pencemaran dan Kerusakan Lingkungan", ("lingkungan:4",)),
        ("Kepala Bidang Penaatan dan Peningkatan Kapasitas Lingkungan", ("lingkungan", "hukum")),
    )),
    ("Dinas Kependudukan dan Pencatatan Sipil", True, (
        ("Kepala Bidang Pelayanan Pendaftaran Penduduk", ("kependudukan",)),
        ("Kepala Bidang Pelayanan Pencatatan Sipil", ("kependudukan", "hukum")),
        ("Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan",
         ("kependudukan", "informatika")),
    )),
    ("Dinas Perhubungan", True, (
        ("Kepala Bidang Lalu Lintas", ("perhubungan",)),
        ("Kepala Bidang Angkutan", ("perhubungan",)),
        ("Kepala Bidang Sarana dan Prasarana", ("perhubungan", "infrastruktur")),
    )),
    ("Dinas Komunikasi dan Informatika", True, (
        ("Kepala Bidang Informasi dan Komunikasi Publik", ("informatika",)),
        ("Kepala Bidang Aplikasi Informatika", ("informatika:4",)),
        ("Kepala Bidang Statistik dan Persandian", ("informatika",)),
    )),
    ("Dinas Pemberdayaan Masyarakat dan Desa", True, (
        ("Kepala Bidang Pemerintahan Desa", ("pemerintahan",)),
        ("Kepala Bidang Pemberdayaan Masyarakat dan Kelembagaan Desa",
         ("pemerintahan", "perekonomian")),
    )),
    ("Dinas Pertanian dan Ketahanan Pangan", True, (
        ("Kepala Bidang Tanaman Pangan dan Hortikultura", ("pertanian",)),
        ("Kepala Bidang Peternakan dan Kesehatan Hewan", ("pertanian",)),
        ("Kepala Bidang Ketahanan Pangan", ("pertanian", "perekonomian")),
        ("Kepala Bidang Penyuluhan Pertanian", ("pertanian",)),
    )),
    ("Dinas Koperasi, Usaha Kecil dan Menengah dan Perdagangan", True, (
        ("Kepala Bidang Perdagangan", ("perekonomian",)),
        ("Kepala Bidang Koperasi", ("perekonomian", "hukum")),
        ("Kepala Bidang Usaha Mikro", ("perekonomian",)),
    )),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", True, (
        ("Kepala Bidang Penanaman Modal", ("perekonomian",)),
        ("Kepala Bidang Pelayanan Perizinan", ("hukum", "perekonomian")),
    )),
)  # fmt: skip

#: Posts whose job expectation asks managerial level 4 on these competencies (senior secretaries,
#: hospital deputies and the regency's legal and procurement heads).
_SENIOR_UNITS = ("Bappeda", "BKPSDM", "BPKAD", "Dinas Pendidikan dan Kebudayaan", "Dinas Kesehatan",
                 "Dinas Pekerjaan Umum dan Penataan Ruang")  # fmt: skip
_SENIOR_COMPETENCIES = ("integritas", "orientasi_hasil", "pengambilan_keputusan")
#: Units whose work handles money or oversight, where integrity weighs 1.5.
_INTEGRITY_UNITS = ("Inspektorat", "BPKAD", "Bapenda")
#: Posts open to a diploma (D3) holder.
_D3_TITLES = ("Kepala Bidang Keperawatan", "Kepala Bagian Umum dan Keuangan")


def _post_table() -> list[tuple[str, str, tuple[str, ...]]]:
    """All posts as (unit, title, technical specs), agencies first, then the kecamatan."""
    posts: list[tuple[str, str, tuple[str, ...]]] = []
    for unit, has_secretary, unit_posts in _AGENCIES:
        if has_secretary:
            posts.append((unit, "Sekretaris", _SECRETARIAT))
        posts += [(unit, title, techs) for title, techs in unit_posts]
    for kecamatan in _KECAMATAN:
        unit = f"Kecamatan {kecamatan}"
        posts.append((unit, "Camat", ("pemerintahan", "ketertiban", "kependudukan")))
        posts.append((unit, "Sekretaris Kecamatan", ("pemerintahan", "keuangan", "perencanaan")))
    return posts


def _build_positions(rng: np.random.Generator) -> pd.DataFrame:
    posts = _post_table()
    n = len(posts)
    n_skj = len(_SKJ_CODES)
    standard = np.full((n, len(_CODES)), np.nan)
    weight = np.full_like(standard, np.nan)
    standard[:, :n_skj] = 3.0
    weight[:, :n_skj] = 1.0
    min_rank = np.where(rng.random(n) < 0.5, RANKS.index("III/c"), RANKS.index("III/d"))
    min_education = np.full(n, "S1", dtype=object)
    for i, (unit, title, techs) in enumerate(posts):
        senior = (title == "Sekretaris" and unit in _SENIOR_UNITS) or title.startswith("Wakil")
        senior |= title in ("Kepala Bagian Hukum", "Kepala Bagian Pengadaan Barang dan Jasa")
        if senior:
            for code in _SENIOR_COMPETENCIES:
                standard[i, _CODES.index(code)] = 4.0
            min_rank[i] = RANKS.index("III/d")
        if unit in _INTEGRITY_UNITS:
            weight[i, _CODES.index("integritas")] = 1.5
        if title in _D3_TITLES or (title == "Sekretaris Kecamatan" and rng.random() < 0.25):
            min_education[i] = "D3"
        for rank_in_post, spec in enumerate(techs):
            code, _, level = spec.partition(":")
            j = _CODES.index(f"teknis_{code}")
            standard[i, j] = float(level or 3)
            weight[i, j] = (2.0, 1.5)[rank_in_post] if rank_in_post < 2 else 1.0

    frame = pd.DataFrame(
        {
            "position_id": [f"TGL-{i:03d}" for i in range(1, n + 1)],
            "title": [title for _, title, _ in posts],
            "unit": [unit for unit, _, _ in posts],
            "class": "Administrator",
            "seats": np.ones(n, dtype=np.int64),
            "min_rank": np.asarray(RANKS, dtype=object)[min_rank],
            "min_education": min_education,
        }
    )
    frame = frame.astype({c: "str" for c in POSITION_COLUMNS if c != "seats"})
    standards = pd.DataFrame(standard, columns=_CODES)
    weights = pd.DataFrame(weight, columns=[f"{c}_weight" for c in _CODES])
    return pd.concat([frame, standards, weights], axis=1)


def _build_employees(rng: np.random.Generator, positions: pd.DataFrame) -> pd.DataFrame:
    n = _N_EMPLOYEES
    n_positions = len(positions)
    units = positions["unit"].to_numpy(dtype=object)
    unit_names = np.unique(units)

    # Which posts are vacant and which are held by a misfit today (see _incumbency).
    posts = rng.permutation(n_positions)
    open_posts = posts[: _N_VACANT + _N_MISFITS]
    # Each person made their career in a home unit: one per post, plus, for each vacant or
    # misfit post, a successor from its unit (a head of section ready to step up), as
    # regencies fill posts from within the agency first. Rows are shuffled at the end.
    home = units[np.concatenate([rng.permutation(n_positions), open_posts])]
    assert home.size == n
    step = rng.choice([-1, 0, 1, 2, 3], size=n, p=[0.06, 0.3, 0.34, 0.2, 0.1])
    rank = np.clip(RANKS.index("III/d") + step, RANKS.index("III/c"), RANKS.index("IV/c"))
    s1, s2 = EDUCATION_LEVELS.index("S1"), EDUCATION_LEVELS.index("S2")
    d3 = EDUCATION_LEVELS.index("D3")
    education = rng.choice([d3, s1, s2, s2 + 1], size=n, p=[0.04, 0.5, 0.45, 0.01])

    # The technical focus of a person is the field of their home unit's posts.
    required = positions[_TECHNICAL].notna().to_numpy()
    unit_focus = {u: required[units == u].any(axis=0) for u in unit_names}
    focus = np.stack([unit_focus[u] for u in home])
    levels, ability = competency_levels(
        rng,
        rank - RANKS.index("III/c"),
        focus,
        managerial_base=2.5,
        managerial_slope=0.12,
        technical_base=1.8,
        technical_slope=0.05,
        focus_boost=0.9,
    )
    # A successor has been developed toward their post (a succession plan): eligible for it,
    # and at most one level short of its standard on about a third of its competencies.
    successor = np.arange(n_positions, n)
    target = positions.iloc[open_posts]
    rank[successor] = np.maximum(rank[successor], target["min_rank"].map(RANKS.index))
    education[successor] = np.maximum(
        education[successor], target["min_education"].map(EDUCATION_LEVELS.index)
    )
    standard = target[_CODES].to_numpy(dtype=float)
    short = rng.random(standard.shape) < 1 / 3
    developed = np.fmax(levels[successor], standard - short).astype(np.int64)
    levels[successor] = np.where(np.isnan(standard), levels[successor], developed)
    held_position = _incumbency(rng, positions, levels, rank, education, home, posts)
    unit = np.where(held_position >= 0, units[np.maximum(held_position, 0)], home)

    female = rng.random(n) < 0.4
    # Master's degrees are mostly earned in service, so seniority counts from the S1 entry rank.
    birth_date, appointment = career_dates(rng, rank, np.minimum(education, s1), years_per_rank=5.0)
    ids = employee_nips(rng, birth_date, appointment, female)
    position_ids = positions["position_id"].to_numpy(dtype=object)
    current = np.where(held_position >= 0, position_ids[np.maximum(held_position, 0)], None)

    frame = pd.DataFrame(
        {
            "employee_id": ids,
            "name": person_names(rng, female, education),
            "unit": unit,
            "rank": np.asarray(RANKS, dtype=object)[rank],
            "education": np.asarray(EDUCATION_LEVELS, dtype=object)[education],
            "performance": performance_column(rng, ability, "predicate"),
            "potential": potential_column(rng, ability, "score"),
            "training_hours": training_hours_column(rng, n),
            "current_position_id": current,
            "gender": np.where(female, "P", "L"),
            "religion": religions(rng, n, shares=_REGIONAL_RELIGION_SHARES),
            "birth_date": iso_dates(birth_date),
        }
    )
    frame = pd.concat([frame, pd.DataFrame(levels, columns=_CODES)], axis=1)
    dtypes = _employee_dtypes()
    text = [c for c, dtype in dtypes.items() if dtype == "str"]
    # pandas < 3 casts a missing cell to the text "None": keep it missing (NaN, as read_csv
    # gives it) in every version.
    frame = frame.astype(dtypes).where(frame.notna() | ~frame.columns.isin(text), np.nan)
    return frame.iloc[rng.permutation(n)].reset_index(drop=True)


def _incumbency(
    rng: np.random.Generator,
    positions: pd.DataFrame,
    levels: np.ndarray,
    rank: np.ndarray,
    education: np.ndarray,
    home: np.ndarray,
    posts: np.ndarray,
) -> np.ndarray:
    """The post each person holds now, -1 for none: fit-correlated, with vacancies and misfits.

    A regency seats its officials where they fit, in their own agency first, but not perfectly
    and not all at once. So, with ``posts`` a random order of the posts: the first
    :data:`_N_VACANT` have no holder (a retirement, a promotion, a new post); the next
    :data:`_N_MISFITS` are held by someone whose Job Person Match there is below Masih Memenuhi
    Syarat (seated years ago on other grounds, or the post's profile changed since); every other
    post is held by one person of an assignment that maximises, over eligible pairs at Masih
    Memenuhi Syarat or better, JPM + 12 points for a post in the person's home unit + Gumbel
    noise of scale 4 (the judgement of past panels); a post nobody fitting can take is held by
    a misfit too. Each vacant or misfit post has a successor in its unit who fits it (see
    :func:`_build_employees`). Incumbents fit their posts on the
    whole, yet a full reshuffle by merit alone would still move many of them.

    Returns
    -------
    ndarray of shape (n_employees,), intp
        The index of the held post, -1 for none.
    """
    n, m = rank.size, len(positions)
    units = positions["unit"].to_numpy(dtype=object)
    standard = positions[_CODES].to_numpy(dtype=float)
    weights = positions[[f"{c}_weight" for c in _CODES]].to_numpy(dtype=float)
    fit = jpm(levels, standard, weights=np.nan_to_num(weights))
    min_rank = positions["min_rank"].map(RANKS.index).to_numpy()
    min_education = positions["min_education"].map(EDUCATION_LEVELS.index).to_numpy()
    eligible = (rank[:, None] >= min_rank) & (education[:, None] >= min_education)

    held = np.full(n, -1, dtype=np.intp)
    # The successors (the rows after one per post) hold no administrator post yet.
    serving = np.arange(n) < m
    fitted_posts = posts[_N_VACANT + _N_MISFITS :]
    preference = fit + 12.0 * (home[:, None] == units[None, :]) + rng.gumbel(0.0, 4.0, (n, m))
    fits = eligible & (fit >= PLACEMENT_THRESHOLDS[1]) & serving[:, None]
    rows, cols = max_weight_matching(preference[:, fitted_posts], allowed=fits[:, fitted_posts])
    held[rows] = fitted_posts[cols]
    # A post nobody fitting could take is held by a misfit too.
    misfit_posts = np.setdiff1d(posts[_N_VACANT:], held[rows], assume_unique=True)
    for j in misfit_posts.tolist():
        pool = eligible[:, j] & (fit[:, j] < PLACEMENT_THRESHOLDS[1]) & serving & (held < 0)
        held[rng.choice(np.flatnonzero(pool))] = j
    return held


#: Central Java is overwhelmingly Muslim; the small minorities stay in the data.
_REGIONAL_RELIGION_SHARES = (0.965, 0.017, 0.012, 0.001, 0.005, 0.0)


def _employee_dtypes() -> dict[str, str]:
    dtypes = {c: "str" for c in EMPLOYEE_COLUMNS}
    dtypes.update(potential="float64", training_hours="int64")
    dtypes.update({c: "int64" for c in _CODES})
    return dtypes


def _position_dtypes() -> dict[str, str]:
    dtypes = {c: "str" for c in POSITION_COLUMNS}
    dtypes["seats"] = "int64"
    dtypes.update({c: "float64" for c in _CODES})
    dtypes.update({f"{c}_weight": "float64" for c in _CODES})
    return dtypes


def _build_tegal(seed: int = 2022) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the embedded employees and positions from scratch (the shipped CSVs are this build)."""
    rng = np.random.default_rng(seed)
    positions = _build_positions(rng)
    employees = _build_employees(rng, positions)
    return employees, positions


def _csv_text(frame: pd.DataFrame) -> str:
    """The frame as the shipped CSV text: comma-separated, Unix line ends, shortest numbers."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%g")
    return buffer.getvalue()


def _read(text_or_path, dtypes: dict[str, str]) -> pd.DataFrame:
    # Only an empty cell is missing: "NA" or "null" inside a name must stay text.
    return pd.read_csv(
        text_or_path, dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8"
    )


@functools.lru_cache(maxsize=1)
def _load() -> tuple[pd.DataFrame, pd.DataFrame]:
    data = resources.files(__package__).joinpath("data")
    with data.joinpath(EMPLOYEES_FILE).open("r", encoding="utf-8") as handle:
        employees = _read(handle, _employee_dtypes())
    with data.joinpath(POSITIONS_FILE).open("r", encoding="utf-8") as handle:
        positions = _read(handle, _position_dtypes())
    return employees, positions


def tegal_administrators() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The embedded default: a regency's administrator-level officials and positions.

    153 fictitious officials (the size of Kabupaten Tegal's 2022 administrator cohort) and the
    administrator posts of about thirty regional agencies and sub-districts (kecamatan), in the
    input schema. Standards follow the SKJ: managerial level 3 for administrators (4 on some
    competencies for senior posts), technical standards from each post's field; levels are spread
    so that the Job Person Match of the pairs falls in all three placement categories.

    Incumbency is what a regency has, not random: 12 posts are vacant; 7 are held by misfits
    (Job Person Match below Masih Memenuhi Syarat in their own post); every other post is held
    by someone who fits it (Masih Memenuhi Syarat or better), seated mostly in their own agency
    with some noise; and each vacant or misfit post has a successor in its unit, eligible for
    it and close to its standard. So the job a BKPSDM runs (fill the vacancies, fix the misfits,
    keep who fits: ``asn-match demo``) has an answer, while a reshuffle on merit alone would
    still move most incumbents. The model is :func:`_incumbency`.

    Returns
    -------
    employees : DataFrame of shape (153, 41)
        ``employee_id`` (18-digit NIP, as str), ``name``, ``unit``, ``rank``, ``education``,
        ``performance`` (SKP predicate), ``potential`` (0-100), ``training_hours`` (JP),
        ``current_position_id`` (missing when none), ``gender`` ("L"/"P"), ``religion``,
        ``birth_date`` (YYYY-MM-DD), then the assessed level 1-5 of 29 competencies (8 managerial,
        ``perekat_bangsa`` and 20 technical).
    positions : DataFrame of shape (n_positions, 65)
        ``position_id``, ``title``, ``unit``, ``class`` ("Administrator"), ``seats`` (1),
        ``min_rank``, ``min_education``, the standard level of each competency (NaN = not
        required), then ``<code>_weight`` job-expectation weights (NaN where not required).

    Each call returns new frames, so callers may modify them.

    Examples
    --------
    >>> employees, positions = tegal_administrators()
    >>> len(employees), positions["class"].unique().tolist()
    (153, ['Administrator'])
    >>> employees["employee_id"].str.len().eq(18).all()
    np.True_
    """
    employees, positions = _load()
    return employees.copy(deep=True), positions.copy(deep=True)


def _write_shipped(directory: Path | None = None) -> None:
    """Write a fresh build as the shipped CSVs (into ``data/`` next to this module by default)."""
    directory = Path(__file__).parent / "data" if directory is None else Path(directory)
    employees, positions = _build_tegal()
    for name, frame in ((EMPLOYEES_FILE, employees), (POSITIONS_FILE, positions)):
        (directory / name).write_text(_csv_text(frame), encoding="utf-8", newline="")
