"""Domain rules as plain constants: one place for every label, ladder, threshold and default.

The civil-service facts the library reasons with (category scales, rank and education ladders,
position classes, the input schema, the attributes scoring must never see, the default merit
composite and the ranking precision) are defined here once and imported downward: by the kernels
(pure numpy), by the tables and validation, by the configuration models. A leaf module: it
imports nothing, so every layer may use it.

Examples
--------
>>> PLACEMENT_CATEGORIES[0], PLACEMENT_THRESHOLDS[0]
('Memenuhi Syarat', 80.0)
>>> RANKS.index("III/c"), EDUCATION_LEVELS.index("S1")
(10, 6)
"""

from __future__ import annotations

__all__ = [
    "CLASS_LEVELS",
    "COMPOSITE_WEIGHTS",
    "EDUCATION_LEVELS",
    "EMPLOYEE_COLUMNS",
    "EMPLOYEE_REQUIRED",
    "INFO_PREFIX",
    "JPM_DECIMALS",
    "JPT_MIN_EDUCATION",
    "MAPPING_CATEGORIES",
    "MAPPING_THRESHOLDS",
    "PLACEMENT_CATEGORIES",
    "PLACEMENT_THRESHOLDS",
    "POSITION_CLASSES",
    "POSITION_COLUMNS",
    "POSITION_REQUIRED",
    "PROTECTED_ATTRIBUTES",
    "RANKS",
    "RANK_DECIMALS",
    "SCORE_DECIMALS",
    "WEIGHT_SUFFIX",
]

# ------------------------------------------------------------------------------------------------
# JPM categories

#: Categories of the placement scale (filling a position), best first.
PLACEMENT_CATEGORIES: tuple[str, str, str] = (
    "Memenuhi Syarat",
    "Masih Memenuhi Syarat",
    "Kurang Memenuhi Syarat",
)
#: Lower bounds, in percent, of the first two placement categories.
PLACEMENT_THRESHOLDS: tuple[float, float] = (80.0, 68.0)
#: Categories of the competency-mapping scale, best first.
MAPPING_CATEGORIES: tuple[str, str, str] = ("Optimal", "Cukup Optimal", "Kurang Optimal")
#: Lower bounds, in percent, of the first two mapping categories.
MAPPING_THRESHOLDS: tuple[float, float] = (90.0, 78.0)

# ------------------------------------------------------------------------------------------------
# ladders and classes

#: Ranks (pangkat/golongan) in increasing order: I/a .. I/d, II/a .. II/d, III/a .. III/d,
#: IV/a .. IV/e. A rank's code is its index.
RANKS: tuple[str, ...] = tuple(
    f"{g}/{r}"
    for g, letters in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
    for r in letters
)

#: Education levels in increasing order; D4 and S1 share one level. A level's code is its index.
EDUCATION_LEVELS: tuple[str, ...] = ("SD", "SMP", "SMA", "D1", "D2", "D3", "S1", "S2", "S3")

#: Position classes: structural (JPT, administrator, pengawas), pelaksana and functional grades.
POSITION_CLASSES: tuple[str, ...] = (
    "JPT Utama",
    "JPT Madya",
    "JPT Pratama",
    "Administrator",
    "Pengawas",
    "Pelaksana",
    "Ahli Utama",
    "Ahli Madya",
    "Ahli Muda",
    "Ahli Pertama",
    "Penyelia",
    "Mahir",
    "Terampil",
    "Pemula",
)

#: Class rule of DOMAIN.md: the senior executive (JPT) classes need at least S1/D4.
JPT_MIN_EDUCATION: dict[str, str] = {"JPT Utama": "S1", "JPT Madya": "S1", "JPT Pratama": "S1"}

#: Seniority of each position class, for "placed in a higher class than today": the typical
#: required managerial level of DOMAIN.md (JPT Madya 5, JPT Pratama 4, Administrator 3, Pengawas 2,
#: Pelaksana 1; functional utama 5 .. pertama 2, pemula 1), JPT Utama above JPT Madya. The skilled
#: functional grades (terampil < mahir < penyelia) are **unconfirmed**: placed between pemula and
#: the expert grades, never above Ahli Pertama.
CLASS_LEVELS: dict[str, float] = {
    "JPT Utama": 6,
    "JPT Madya": 5,
    "JPT Pratama": 4,
    "Administrator": 3,
    "Pengawas": 2,
    "Pelaksana": 1,
    "Ahli Utama": 5,
    "Ahli Madya": 4,
    "Ahli Muda": 3,
    "Ahli Pertama": 2,
    "Penyelia": 1.75,
    "Mahir": 1.5,
    "Terampil": 1.25,
    "Pemula": 1,
}

# ------------------------------------------------------------------------------------------------
# input schema

#: Employee schema columns, in the order of the input schema.
EMPLOYEE_COLUMNS: tuple[str, ...] = (
    "employee_id",
    "name",
    "unit",
    "rank",
    "education",
    "performance",
    "potential",
    "training_hours",
    "current_position_id",
)
#: Employee columns a file must have; performance, potential, training_hours and
#: current_position_id may be absent (read as not given).
EMPLOYEE_REQUIRED: tuple[str, ...] = ("employee_id", "name", "unit", "rank", "education")

#: Position schema columns, all required.
POSITION_COLUMNS: tuple[str, ...] = (
    "position_id",
    "title",
    "unit",
    "class",
    "seats",
    "min_rank",
    "min_education",
)
#: Position columns a file must have.
POSITION_REQUIRED: tuple[str, ...] = POSITION_COLUMNS

#: Prefix of descriptive columns: kept as text in ``.info``, never read as competencies.
INFO_PREFIX = "info_"

#: Suffix of the job-expectation weight columns of a positions file.
WEIGHT_SUFFIX = "_weight"

#: Employee columns that describe background, never merit: kept apart from everything scoring sees.
PROTECTED_ATTRIBUTES: tuple[str, ...] = (
    "gender",
    "religion",
    "birth_date",
    "ethnicity",
    "origin",
    "marital_status",
    "age",
    "disability",
)

# ------------------------------------------------------------------------------------------------
# merit composite and ranking

#: Default weights of the merit composite: competency (the JPM, capped at 100), performance,
#: potential and experience.
COMPOSITE_WEIGHTS: tuple[float, float, float, float] = (0.6, 0.25, 0.15, 0.0)

#: JPM values are rounded to this many decimals: the matrix product's round-off depends on the
#: block shape (BLAS picks kernels by size), and without rounding the same pair could score
#: 99.99999999999999 in one block and 100.0 in another, breaking ties differently.
JPM_DECIMALS = 9

#: Composites (0-100) are ranked to this many decimals, then by the neutral tie-break of
#: :mod:`asn_match.tiebreak`: in every ranking (Scores.top_k, recommend, succession, the
#: streamed candidate selection), so two calls never disagree on who is first.
RANK_DECIMALS = 6
#: Placement compares scores at this resolution (1e-9): last-bit differences of floating point
#: are ties, broken the same way every time (see :mod:`asn_match.kernels.seating`).
SCORE_DECIMALS = 9
