"""Synthetic workforces in the input schema, for examples, tests and benchmarks at any size.

Every column is drawn from a small generative model, fully vectorized, so that 100,000 employees
take about a second:

- a career level (rank) drawn from the position an employee holds or resembles, which fixes the
  years of service and hence the appointment month and birth date (and the NIP built from them);
- competency levels from a latent general ability, one factor per competency kind and noise, shifted
  up by seniority and, for technical competencies, by the employee's unit focus, then rounded and
  clipped to the 1-5 scale, so the levels of one person are correlated as in real assessments;
- performance and potential correlated with the general ability;
- protected attributes (gender, religion) drawn independently of everything merit-related.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from .. import rules
from .._checks import check_choice, check_int, check_real
from ..framework import SKJ_MANAGERIAL, SKJ_SOCIO_CULTURAL
from ..nip import format_nip
from ..rules import EDUCATION_LEVELS, POSITION_CLASSES, RANKS

__all__ = [
    "EMPLOYEE_COLUMNS",
    "POSITION_COLUMNS",
    "TECHNICAL_COMPETENCIES",
    "synthetic_workforce",
    "technical_codes",
]

#: Leading employee columns, in order (the input schema, then the protected attributes the
#: generator draws); competency columns follow.
EMPLOYEE_COLUMNS: tuple[str, ...] = (
    *rules.EMPLOYEE_COLUMNS,
    "gender",
    "religion",
    "birth_date",
)

#: Leading position columns, in order; standard levels, then ``<code>_weight`` columns follow.
POSITION_COLUMNS: tuple[str, ...] = rules.POSITION_COLUMNS

#: Technical competencies of regional government work, as (code, field name used in titles).
TECHNICAL_COMPETENCIES: tuple[tuple[str, str], ...] = (
    ("teknis_perencanaan", "Perencanaan"),
    ("teknis_keuangan", "Keuangan"),
    ("teknis_kepegawaian", "Kepegawaian"),
    ("teknis_hukum", "Hukum"),
    ("teknis_pengadaan", "Pengadaan Barang dan Jasa"),
    ("teknis_pengawasan", "Pengawasan"),
    ("teknis_pemerintahan", "Pemerintahan"),
    ("teknis_pendapatan", "Pendapatan Daerah"),
    ("teknis_pendidikan", "Pendidikan"),
    ("teknis_kesehatan", "Kesehatan"),
    ("teknis_sosial", "Kesejahteraan Sosial"),
    ("teknis_infrastruktur", "Infrastruktur"),
    ("teknis_lingkungan", "Lingkungan Hidup"),
    ("teknis_kependudukan", "Administrasi Kependudukan"),
    ("teknis_perhubungan", "Perhubungan"),
    ("teknis_informatika", "Informatika"),
    ("teknis_kebencanaan", "Penanggulangan Bencana"),
    ("teknis_ketertiban", "Ketertiban Umum"),
    ("teknis_perekonomian", "Perekonomian"),
    ("teknis_pertanian", "Pertanian"),
    ("teknis_statistik", "Statistik"),
    ("teknis_kearsipan", "Kearsipan"),
    ("teknis_pariwisata", "Pariwisata"),
    ("teknis_perumahan", "Perumahan dan Permukiman"),
    ("teknis_ketenagakerjaan", "Ketenagakerjaan"),
)

#: The reference date of every synthetic record: ages and years of service are counted to it.
AS_OF = np.datetime64("2025-01-01")

_SKJ_CODES: tuple[str, ...] = tuple(c for c, _ in SKJ_MANAGERIAL + SKJ_SOCIO_CULTURAL)
_N_MANAGERIAL = len(SKJ_MANAGERIAL)

RELIGIONS: tuple[str, ...] = ("Islam", "Kristen", "Katolik", "Hindu", "Buddha", "Konghucu")
#: Shares close to the national census, which civil-service rosters follow.
RELIGION_SHARES: tuple[float, ...] = (0.869, 0.074, 0.031, 0.017, 0.0085, 0.0005)

_MALE_FIRST = (
    "Agus", "Ahmad", "Andi", "Arif", "Bambang", "Budi", "Dedi", "Dwi", "Eko", "Fajar", "Hadi",
    "Hendra", "Heru", "Imam", "Iwan", "Joko", "Kurniawan", "Muhammad", "Nur", "Rahmat", "Rizki",
    "Rudi", "Slamet", "Sigit", "Sugeng", "Suharto", "Teguh", "Tri", "Wahyu", "Yusuf",
)  # fmt: skip
_FEMALE_FIRST = (
    "Ani", "Dewi", "Dian", "Eka", "Endang", "Fitri", "Heni", "Indah", "Kartika", "Lestari",
    "Lina", "Mega", "Nining", "Nurul", "Puji", "Ratna", "Retno", "Rina", "Siti", "Sri",
    "Tri", "Umi", "Wati", "Wulan", "Yanti", "Yuli", "Yuni", "Nur", "Ika", "Diah",
)  # fmt: skip
_MALE_LAST = (
    "Hidayat", "Kurniawan", "Nugroho", "Prasetyo", "Pratama", "Purnomo", "Saputra", "Santoso",
    "Setiawan", "Sulistyo", "Susanto", "Wibowo", "Widodo", "Wijaya", "Firmansyah", "Gunawan",
    "Hermawan", "Irawan", "Mulyono", "Riyanto", "Sutrisno", "Haryanto", "Suryadi", "Rohman",
)  # fmt: skip
_FEMALE_LAST = (
    "Astuti", "Handayani", "Kusumawati", "Lestari", "Maharani", "Ningsih", "Novitasari",
    "Purwanti", "Rahayu", "Rahmawati", "Safitri", "Suryani", "Utami", "Wahyuni", "Wulandari",
    "Yuliani", "Susanti", "Fitriani", "Anggraini", "Permatasari", "Setyowati", "Hartati",
)  # fmt: skip
#: Bachelor's and master's titles written after a name, as on civil-service rosters.
_BACHELOR_TITLES = ("S.E.", "S.H.", "S.Sos.", "S.T.", "S.Kom.", "S.Pd.", "S.IP.", "S.Ak.", "S.P.")
_MASTER_TITLES = ("M.Si.", "M.M.", "M.H.", "M.Pd.", "M.T.", "M.Kes.", "M.A.P.", "M.Ak.")

#: Each class: share of positions, usual minimum rank code, minimum education code, managerial
#: standard level (DOMAIN.md), title prefix and how strongly it draws extra seats (0 for the
#: one-holder structural posts; functional posts such as teachers and nurses draw the most).
_CLASS_TABLE: dict[str, tuple[float, int, int, int, str, float]] = {
    "JPT Pratama": (0.02, 13, 6, 4, "Kepala Dinas", 0.0),
    "Administrator": (0.08, 11, 6, 3, "Kepala Bidang", 0.0),
    "Pengawas": (0.20, 9, 6, 2, "Kepala Seksi", 0.0),
    "Pelaksana": (0.40, 4, 2, 1, "Pengelola", 1.0),
    "Ahli Pertama": (0.12, 8, 6, 2, "Analis", 1.5),
    "Ahli Muda": (0.12, 10, 6, 3, "Analis", 1.5),
    "Ahli Madya": (0.06, 12, 6, 4, "Analis", 0.8),
}
_CLASS_NAMES = tuple(_CLASS_TABLE)
_CLASS_SHARES = np.array([row[0] for row in _CLASS_TABLE.values()])
_CLASS_MIN_RANK = np.array([row[1] for row in _CLASS_TABLE.values()])
_CLASS_MIN_EDUCATION = np.array([row[2] for row in _CLASS_TABLE.values()])
_CLASS_STANDARD = np.array([row[3] for row in _CLASS_TABLE.values()])
_CLASS_PREFIX = np.array([row[4] for row in _CLASS_TABLE.values()])
_CLASS_SEAT_DEMAND = np.array([row[5] for row in _CLASS_TABLE.values()])
assert set(_CLASS_NAMES) <= set(POSITION_CLASSES)

#: Rank a new CPNS starts at, by education code (SD .. S3), and the age band of appointment.
#: Next education level of a career ladder (SMA -> D3 -> S1 -> S2 -> S3), by education code.
_NEXT_EDUCATION = np.array([1, 2, 5, 5, 5, 6, 7, 8, 8])
_START_RANK = np.array([0, 1, 4, 4, 5, 6, 8, 9, 10])
_APPOINTMENT_AGE = np.array([[18, 26], [18, 26], [19, 27], [20, 28], [20, 28], [21, 29],
                             [22, 32], [25, 34], [28, 36]])  # fmt: skip
#: Years per promotion step (regular promotion is every four years; many are faster).
_YEARS_PER_RANK = 3.5
_RETIREMENT_AGE = 58.0

_PERFORMANCE_PREDICATES = ("sangat kurang", "kurang", "butuh perbaikan", "baik", "sangat baik")
#: Cut-offs on a standard-normal performance score between the five predicates (1/3/11/70/15 %).
_PERFORMANCE_CUTS = (-2.33, -1.75, -1.04, 1.04)

_UNIT_AGENCIES = (
    "Sekretariat Daerah", "Sekretariat DPRD", "Inspektorat", "Bappeda", "BKPSDM", "BPKAD",
    "Bapenda", "BPBD", "Dinas Pendidikan dan Kebudayaan", "Dinas Kesehatan", "Dinas Sosial",
    "Dinas PUPR", "Satpol PP", "Dinas Lingkungan Hidup",
    "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Perhubungan",
    "Dinas Komunikasi dan Informatika", "RSUD", "Dinas Pertanian dan Ketahanan Pangan",
    "Dinas Pemberdayaan Masyarakat dan Desa", "Dinas Penanaman Modal dan PTSP",
    "Dinas Koperasi, UKM dan Perdagangan", "Dinas Perpustakaan dan Kearsipan",
    "Dinas Pariwisata, Pemuda dan Olahraga", "Badan Kesatuan Bangsa dan Politik",
)  # fmt: skip


# -- building blocks shared with the embedded dataset ------------------------------------------
def technical_codes(n_technical: int) -> list[tuple[str, str]]:
    """The first ``n_technical`` technical competencies as (code, field name).

    Beyond the named list, codes continue as ``teknis_bidang_026``, ``teknis_bidang_027``, ...

    Examples
    --------
    >>> [code for code, _ in technical_codes(2)]
    ['teknis_perencanaan', 'teknis_keuangan']
    """
    named = list(TECHNICAL_COMPETENCIES[:n_technical])
    extra = [
        (f"teknis_bidang_{i:03d}", f"Bidang {i}")
        for i in range(len(TECHNICAL_COMPETENCIES) + 1, n_technical + 1)
    ]
    return named + extra


def serial_ids(prefix: str, n: int, *, width: int) -> np.ndarray:
    """Ids ``prefix`` + 1..n zero-padded to ``width`` digits, e.g. ``POS-00001``; shape (n,)."""
    if n == 0:  # numpy's string functions cannot size an empty result
        return np.empty(0, dtype=str)
    return np.strings.add(prefix, np.strings.zfill(np.arange(1, n + 1).astype(str), width))


def _pick(rng: np.random.Generator, options, size: int, p=None) -> np.ndarray:
    """Draw ``size`` entries of ``options`` (a unicode array, so string ops stay vectorized)."""
    table = np.asarray(options, dtype=str)
    return table[rng.choice(len(table), size=size, p=p)]


def person_names(rng: np.random.Generator, female: np.ndarray, education: np.ndarray) -> np.ndarray:
    """Generic Indonesian names with the academic titles of each person's education.

    Parameters
    ----------
    rng : numpy.random.Generator
    female : ndarray of shape (n,), bool
    education : ndarray of shape (n,), int
        Education codes; S1 adds a bachelor's title, S2 also a master's title, S3 a "Dr." prefix.

    Returns
    -------
    ndarray of shape (n,), str
    """
    n = female.shape[0]
    if n == 0:
        return np.empty(0, dtype=str)
    first = np.where(female, _pick(rng, _FEMALE_FIRST, n), _pick(rng, _MALE_FIRST, n))
    last = np.where(female, _pick(rng, _FEMALE_LAST, n), _pick(rng, _MALE_LAST, n))
    names = np.strings.add(np.strings.add(first, " "), last)
    bachelor = np.strings.add(", ", _pick(rng, _BACHELOR_TITLES, n))
    master = np.strings.add(", ", _pick(rng, _MASTER_TITLES, n))
    s1, s2, s3 = (EDUCATION_LEVELS.index(level) for level in ("S1", "S2", "S3"))
    names = np.where(education >= s1, np.strings.add(names, bachelor), names)
    names = np.where(education >= s2, np.strings.add(names, master), names)
    return np.where(education >= s3, np.strings.add("Dr. ", names), names)


def religions(
    rng: np.random.Generator, n: int, *, shares: tuple[float, ...] = RELIGION_SHARES
) -> np.ndarray:
    """Religions, shape (n,), in the given shares of ``RELIGIONS`` (default the national mix)."""
    return _pick(rng, RELIGIONS, n, p=np.asarray(shares) / sum(shares))


def career_dates(
    rng: np.random.Generator,
    rank: np.ndarray,
    education: np.ndarray,
    *,
    years_per_rank: float = _YEARS_PER_RANK,
) -> tuple[np.ndarray, np.ndarray]:
    """Birth dates and first-appointment months consistent with rank and education.

    Seniority follows rank: each step above the entry rank of the person's education stands for
    about ``years_per_rank`` years of service; nobody is past the retirement age at ``AS_OF``.

    Returns
    -------
    birth_date : ndarray of shape (n,), datetime64[D]
    appointment : ndarray of shape (n,), datetime64[M]
    """
    n = rank.shape[0]
    steps = rank - _START_RANK[education]
    service = np.where(
        steps > 0,
        years_per_rank * steps + rng.uniform(0.0, 4.0, n),
        rng.uniform(0.5, 8.0, n),  # at or below the entry rank: early career or a late degree
    )
    lo, hi = _APPOINTMENT_AGE[education, 0], _APPOINTMENT_AGE[education, 1]
    appointment_age = lo + rng.uniform(0.0, 1.0, n) * (hi - lo)
    too_old = appointment_age + service > _RETIREMENT_AGE - 0.5
    service = np.where(
        too_old, _RETIREMENT_AGE - 0.5 - appointment_age - rng.uniform(0.0, 3.0, n), service
    )
    service = np.maximum(service, 0.0)
    appointment = AS_OF.astype("datetime64[M]") - np.floor(service * 12).astype(np.int64) - 1
    birth_offset = np.round(appointment_age * 365.25).astype(np.int64) + rng.integers(0, 28, n)
    birth_date = appointment.astype("datetime64[D]") - birth_offset
    return birth_date, appointment


def employee_nips(
    rng: np.random.Generator, birth_date: np.ndarray, appointment: np.ndarray, female: np.ndarray
) -> np.ndarray:
    """Unique valid NIPs for the given people, shape (n,), str.

    People who share birth date, appointment month and gender get consecutive sequence numbers
    from a random start, as one appointment batch does, so ids never collide.
    """
    n = birth_date.shape[0]
    gender = np.where(female, 2, 1)
    key = (birth_date.astype(np.int64) + 100_000) * 10_000 + (appointment.astype(np.int64) + 5_000)
    key = key * 3 + gender
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = sorted_key[1:] != sorted_key[:-1]
    group_start = np.flatnonzero(new_group)
    group_of = np.cumsum(new_group) - 1
    rank_in_group = np.arange(n) - group_start[group_of]
    start = rng.integers(1, 900, size=max(len(group_start), 1))[group_of]
    sequence = np.empty(n, dtype=np.int64)
    sequence[order] = start + rank_in_group
    if n and sequence.max() > 999:  # pragma: no cover - needs ~100 identical birth/appointment keys
        raise RuntimeError("too many people share a birth date and appointment month")
    return format_nip(birth_date, appointment, gender, sequence)


def competency_levels(
    rng: np.random.Generator,
    seniority: np.ndarray,
    technical_focus: np.ndarray,
    *,
    n_managerial: int = _N_MANAGERIAL,
    n_socio_cultural: int = 1,
    managerial_base: float = 1.4,
    managerial_slope: float = 0.2,
    technical_base: float = 1.8,
    technical_slope: float = 0.1,
    focus_boost: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Correlated integer levels 1-5 and the general ability behind them.

    level = base + slope * seniority + 0.55 g + 0.35 f_kind + 0.45 e (+ focus_boost on the
    technical competencies of the person's field), rounded and clipped to 1-5, where g is a
    general ability shared by all competencies, f_kind a factor per kind and e noise.

    Parameters
    ----------
    seniority : ndarray of shape (n,)
        Rank code minus the II/a code (4).
    technical_focus : ndarray of shape (n, n_technical), bool
        Technical competencies of the person's field.

    Returns
    -------
    levels : ndarray of shape (n, n_managerial + n_socio_cultural + n_technical), int64
    ability : ndarray of shape (n,), float64
    """
    n: int
    n, n_technical = technical_focus.shape
    ability = rng.standard_normal(n)
    kinds = rng.standard_normal((n, 3))
    n_skj = n_managerial + n_socio_cultural
    kind_of = np.repeat([0, 1, 2], [n_managerial, n_socio_cultural, n_technical])
    base = np.empty((n, n_skj + n_technical))
    base[:, :n_skj] = managerial_base + managerial_slope * seniority[:, None]
    base[:, n_skj:] = (
        technical_base + technical_slope * seniority[:, None] + focus_boost * technical_focus
    )
    noise = rng.standard_normal(base.shape)
    latent = base + 0.55 * ability[:, None] + 0.35 * kinds[:, kind_of] + 0.45 * noise
    return np.clip(np.rint(latent), 1, 5).astype(np.int64), ability


def performance_column(
    rng: np.random.Generator, ability: np.ndarray, kind: Literal["predicate", "score"]
) -> np.ndarray:
    """SKP predicates (object array of str) or 0-100 scores, mildly correlated with ability."""
    z = 0.4 * ability + np.sqrt(1 - 0.4**2) * rng.standard_normal(ability.shape[0])
    if kind == "score":
        return np.clip(np.round(80.0 + 8.0 * z, 1), 0.0, 100.0)
    return np.asarray(_PERFORMANCE_PREDICATES, dtype=object)[np.searchsorted(_PERFORMANCE_CUTS, z)]


def potential_column(
    rng: np.random.Generator, ability: np.ndarray, kind: Literal["score", "band"]
) -> np.ndarray:
    """Potential as a 0-100 score, or its band ("rendah" < 60 <= "menengah" < 80 <= "tinggi")."""
    z = 0.6 * ability + 0.8 * rng.standard_normal(ability.shape[0])
    score = np.clip(np.round(66.0 + 12.0 * z, 1), 0.0, 100.0)
    if kind == "score":
        return score
    bands = np.asarray(("rendah", "menengah", "tinggi"), dtype=object)
    return bands[np.searchsorted((60.0, 80.0), score, side="right")]


def training_hours_column(rng: np.random.Generator, n: int) -> np.ndarray:
    """Lesson hours (JP) of development in the last year; over a quarter fall short of 20."""
    return np.minimum(rng.negative_binomial(3, 3 / (3 + 32.0), n), 160).astype(np.int64)


def iso_dates(dates: np.ndarray) -> np.ndarray:
    """YYYY-MM-DD strings of a datetime64[D] array."""
    return np.datetime_as_string(dates.astype("datetime64[D]"), unit="D")


def _column(values: np.ndarray) -> pd.Series:
    """Numbers stay float64; labels become pandas strings even when there are none."""
    return pd.Series(values, dtype="float64" if values.dtype.kind == "f" else "str")


# -- the generator ------------------------------------------------------------------------------
def _unit_names(n_units: int) -> np.ndarray:
    agencies = np.asarray(_UNIT_AGENCIES, dtype=str)
    index = np.arange(n_units)
    names = agencies[index % len(agencies)]
    if n_units <= len(agencies):
        return names
    # Beyond one government's agencies, units repeat across numbered regions.
    region = np.char.zfill((index // len(agencies) + 1).astype(str), 3)
    return np.strings.add(np.strings.add(names, " Wilayah "), region)


def _positions(
    rng: np.random.Generator,
    n_positions: int,
    n_employees: int,
    technical: list[tuple[str, str]],
    unit_focus: np.ndarray,
    unit_names: np.ndarray,
    seat_share: float,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Positions frame plus class index, unit index and seats of each position."""
    n_technical = len(technical)
    n_units = unit_focus.shape[0]
    class_index = rng.choice(len(_CLASS_NAMES), size=n_positions, p=_CLASS_SHARES)
    unit = rng.integers(0, n_units, n_positions) if n_units else np.zeros(0, dtype=np.int64)

    # One-holder posts keep one seat; the rest of the target spreads over staff and functional
    # positions with uneven demand, as in a real staffing table.
    target = max(n_positions, round(seat_share * n_employees))
    seats = np.ones(n_positions, dtype=np.int64)
    if target > n_positions and n_positions:
        demand = rng.gamma(0.7, 1.0, n_positions) * _CLASS_SEAT_DEMAND[class_index]
        if demand.sum() == 0:
            demand = np.ones(n_positions)
        seats += rng.multinomial(target - n_positions, demand / demand.sum())

    # Some posts accept one grade lower; group I (primary-school entry) no longer applies.
    lowest = RANKS.index("II/a")
    min_rank = np.maximum(_CLASS_MIN_RANK[class_index] - (rng.random(n_positions) < 0.3), lowest)
    min_education = _CLASS_MIN_EDUCATION[class_index].copy()
    # A few structural posts accept a diploma (D3), as real job profiles do.
    d3 = EDUCATION_LEVELS.index("D3")
    min_education[(min_education > d3) & (rng.random(n_positions) < 0.08)] = d3

    managerial = _CLASS_STANDARD[class_index] + (rng.random(n_positions) < 0.15)
    managerial = np.minimum(managerial, 5).astype(float)
    n_skj = len(_SKJ_CODES)
    standard = np.full((n_positions, n_skj + n_technical), np.nan)
    standard[:, :n_skj] = managerial[:, None]
    weight = np.full_like(standard, np.nan)
    weight[:, :n_skj] = 1.0
    # Integrity and decisions weigh more in senior posts' job expectations.
    senior = managerial >= 3
    weight[senior, 0] = 1.5
    weight[senior, _N_MANAGERIAL - 1] = 1.5

    title_field = np.full(n_positions, "Umum", dtype=object)
    if n_technical and n_positions:
        # 1-3 of the unit's focus competencies, in random order; the first names the post.
        scores = rng.random((n_positions, n_technical)) + 2.0 * unit_focus[unit]
        n_required = np.minimum(rng.integers(1, 4, n_positions), unit_focus.sum(axis=1)[unit])
        n_required = np.maximum(n_required, 1)
        order = np.argsort(-scores, axis=1)
        rows = np.repeat(np.arange(n_positions), n_required)
        cols = order[rows, np.arange(rows.size) - np.repeat(np.cumsum(n_required) - n_required,
                                                            n_required)]  # fmt: skip
        level = np.clip(managerial[rows] + rng.integers(-1, 2, rows.size), 1, 5)
        standard[rows, n_skj + cols] = level
        weight[rows, n_skj + cols] = rng.choice([1.0, 1.5, 2.0], size=rows.size, p=[0.4, 0.4, 0.2])
        fields = np.asarray([name for _, name in technical], dtype=object)
        title_field = fields[order[:, 0]]

    prefix = _CLASS_PREFIX[class_index].astype(object)
    functional = np.char.startswith(np.asarray(_CLASS_NAMES)[class_index], "Ahli")
    title = prefix + " " + title_field
    title = np.where(functional, title + " " + np.asarray(_CLASS_NAMES, dtype=object)[class_index],
                     title)  # fmt: skip

    codes = [*_SKJ_CODES, *(code for code, _ in technical)]
    frame = pd.DataFrame(
        {
            "position_id": serial_ids("POS-", n_positions, width=5),
            "title": title.astype(str),
            "unit": unit_names[unit] if n_units else np.zeros(0, dtype=str),
            "class": np.asarray(_CLASS_NAMES, dtype=str)[class_index],
            "seats": seats,
            "min_rank": np.asarray(RANKS, dtype=str)[min_rank],
            "min_education": np.asarray(EDUCATION_LEVELS, dtype=str)[min_education],
        }
    )
    frame = pd.concat(
        [
            frame,
            pd.DataFrame(standard, columns=codes),
            pd.DataFrame(weight, columns=[f"{c}_weight" for c in codes]),
        ],
        axis=1,
    )
    return frame, class_index, unit, seats


def synthetic_workforce(
    n_employees: int,
    n_positions: int,
    *,
    seed: int = 0,
    n_technical: int = 15,
    incumbent_share: float = 0.7,
    seat_share: float = 0.95,
    performance: Literal["predicate", "score"] = "predicate",
    potential: Literal["score", "band"] = "score",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A realistic synthetic workforce and staffing table in the input schema, of any size.

    Parameters
    ----------
    n_employees : int
        Number of employees (>= 0).
    n_positions : int
        Number of positions (>= 0).
    seed : int, default 0
        Seed of the random generator; the same seed gives the same frames.
    n_technical : int, default 15
        Number of technical competency columns (see ``TECHNICAL_COMPETENCIES``); the eight
        managerial and the socio-cultural competency columns always come first.
    incumbent_share : float, default 0.7
        Share of employees who currently hold a position (never more than the seats).
    seat_share : float, default 0.95
        Total seats as a share of ``n_employees``; every position has at least one seat, structural
        posts exactly one, and staff and functional positions share the rest.
    performance : {"predicate", "score"}, default "predicate"
        SKP predicates ("sangat baik" .. "sangat kurang") or numbers 0-100.
    potential : {"score", "band"}, default "score"
        Numbers 0-100 or the bands "rendah", "menengah", "tinggi".

    Returns
    -------
    employees : DataFrame of shape (n_employees, 12 + n_competencies)
        Columns ``EMPLOYEE_COLUMNS`` then one integer level 1-5 per competency code. Ids are unique
        valid NIPs consistent with ``birth_date`` and ``gender`` ("L"/"P");
        ``current_position_id`` is missing for employees without a position.
    positions : DataFrame of shape (n_positions, 7 + 2 * n_competencies)
        Columns ``POSITION_COLUMNS``, the standard level per competency (NaN = not required), then
        ``<code>_weight`` columns (NaN where not required).

    Examples
    --------
    >>> employees, positions = synthetic_workforce(50, 10, seed=1)
    >>> employees.shape, positions.shape
    ((50, 36), (10, 55))
    >>> int(positions["seats"].sum()) <= 50
    True
    """
    caller = "synthetic_workforce"
    n_employees = check_int(n_employees, "n_employees", caller, minimum=0)
    n_positions = check_int(n_positions, "n_positions", caller, minimum=0)
    seed = check_int(seed, "seed", caller, minimum=0)
    n_technical = check_int(n_technical, "n_technical", caller, minimum=0)
    incumbent_share = check_real(
        incumbent_share, "incumbent_share", caller, minimum=0.0, maximum=1.0
    )
    seat_share = check_real(seat_share, "seat_share", caller, minimum=0.0, maximum=10.0)
    check_choice(performance, "performance", caller, ("predicate", "score"))
    check_choice(potential, "potential", caller, ("score", "band"))

    rng = np.random.default_rng(seed)
    technical = technical_codes(n_technical)
    n_units = max(1, -(-n_positions // 25))
    unit_names = _unit_names(n_units)
    unit_focus = np.zeros((n_units, n_technical), dtype=bool)
    if n_technical:
        focus_size = min(3, n_technical)
        picks = np.argsort(rng.random((n_units, n_technical)), axis=1)[:, :focus_size]
        np.put_along_axis(unit_focus, picks, True, axis=1)

    positions, class_index, position_unit, seats = _positions(
        rng, n_positions, n_employees, technical, unit_focus, unit_names, seat_share
    )

    # Incumbents take distinct seat slots, so no position ever has more holders than seats.
    total_seats = int(seats.sum())
    n_incumbents = min(round(incumbent_share * n_employees), total_seats)
    slot_position = np.repeat(np.arange(n_positions), seats)
    held = slot_position[rng.choice(total_seats, size=n_incumbents, replace=False)]
    incumbent = np.zeros(n_employees, dtype=bool)
    incumbent[rng.permutation(n_employees)[:n_incumbents]] = True
    held_position = np.full(n_employees, -1)
    held_position[incumbent] = held

    # Career level: incumbents meet their post's minimums; others resemble a random post.
    reference_class = rng.choice(len(_CLASS_NAMES), size=n_employees, p=_CLASS_SHARES)
    reference_rank = np.maximum(
        _CLASS_MIN_RANK[reference_class] - (rng.random(n_employees) < 0.3), RANKS.index("II/a")
    )
    reference_education = _CLASS_MIN_EDUCATION[reference_class]
    if n_incumbents:
        held_min_rank = positions["min_rank"].map({r: i for i, r in enumerate(RANKS)}).to_numpy()
        held_min_edu = (
            positions["min_education"]
            .map({e: i for i, e in enumerate(EDUCATION_LEVELS)})
            .to_numpy()
        )
        reference_rank[incumbent] = held_min_rank[held_position[incumbent]]
        reference_education[incumbent] = held_min_edu[held_position[incumbent]]
    rank_step = rng.choice(
        [-1, 0, 1, 2, 3, 4], size=n_employees, p=[0.08, 0.25, 0.27, 0.2, 0.12, 0.08]
    )
    rank_step = np.where(incumbent, np.maximum(rank_step, 0), rank_step)
    rank = np.clip(reference_rank + rank_step, RANKS.index("II/a"), len(RANKS) - 1)
    education_step = rng.choice([0, 1, 2], size=n_employees, p=[0.58, 0.37, 0.05])
    education = np.where(
        education_step >= 1, _NEXT_EDUCATION[reference_education], reference_education
    )
    # A doctorate stays rare: the second step stops at S2 for most.
    second = np.where(
        rng.random(n_employees) < 0.15,
        _NEXT_EDUCATION[education],
        np.minimum(_NEXT_EDUCATION[education], EDUCATION_LEVELS.index("S2")),
    )
    education = np.where(education_step >= 2, second, education)

    unit = rng.integers(0, n_units, n_employees)
    unit[incumbent] = position_unit[held_position[incumbent]]
    levels, ability = competency_levels(rng, rank - 4.0, unit_focus[unit])

    female = rng.random(n_employees) < 0.5
    birth_date, appointment = career_dates(rng, rank, education)
    ids = employee_nips(rng, birth_date, appointment, female)
    position_ids = positions["position_id"].to_numpy(dtype=object)
    current = np.full(n_employees, None, dtype=object)
    current[incumbent] = position_ids[held_position[incumbent]]

    codes = [*_SKJ_CODES, *(code for code, _ in technical)]
    employees = pd.DataFrame(
        {
            "employee_id": ids,
            "name": person_names(rng, female, education),
            "unit": unit_names[unit],
            "rank": np.asarray(RANKS, dtype=str)[rank],
            "education": np.asarray(EDUCATION_LEVELS, dtype=str)[education],
            "performance": _column(performance_column(rng, ability, performance)),
            "potential": _column(potential_column(rng, ability, potential)),
            "training_hours": training_hours_column(rng, n_employees),
            "current_position_id": pd.Series(current, dtype="str"),
            "gender": np.where(female, "P", "L"),
            "religion": religions(rng, n_employees),
            "birth_date": iso_dates(birth_date),
        }
    )
    employees = pd.concat([employees, pd.DataFrame(levels, columns=codes)], axis=1)
    return employees, positions
