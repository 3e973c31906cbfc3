"""The input schema: column lists, the spellings that hint at them, and one spec per table kind."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..framework import SKJ_MANAGERIAL, SKJ_SOCIO_CULTURAL
from ..rules import (
    EMPLOYEE_COLUMNS,
    EMPLOYEE_REQUIRED,
    POSITION_COLUMNS,
    POSITION_REQUIRED,
)

# Spellings met in Indonesian exports, used only to suggest the schema name in an error message;
# nothing is renamed silently.
_EMPLOYEE_ALIASES: dict[str, str] = {
    "nip": "employee_id",
    "id": "employee_id",
    "id_pegawai": "employee_id",
    "nama": "name",
    "nama_pegawai": "name",
    "unit_kerja": "unit",
    "pangkat": "rank",
    "golongan": "rank",
    "pangkat_golongan": "rank",
    "gol": "rank",
    "pendidikan": "education",
    "pendidikan_terakhir": "education",
    "kinerja": "performance",
    "skp": "performance",
    "nilai_kinerja": "performance",
    "potensi": "potential",
    "nilai_potensi": "potential",
    "jp": "training_hours",
    "jam_pelajaran": "training_hours",
    "jam_pelatihan": "training_hours",
    "position_id": "current_position_id",
    "jabatan_saat_ini": "current_position_id",
}
_POSITION_ALIASES: dict[str, str] = {
    "id": "position_id",
    "id_jabatan": "position_id",
    "kode_jabatan": "position_id",
    "jabatan": "title",
    "nama_jabatan": "title",
    "unit_kerja": "unit",
    "kelas": "class",
    "kelas_jabatan": "class",
    "jenis_jabatan": "class",
    "formasi": "seats",
    "kebutuhan": "seats",
    "jumlah_formasi": "seats",
    "pangkat_minimal": "min_rank",
    "golongan_minimal": "min_rank",
    "pendidikan_minimal": "min_education",
}
# Background data under another name: an error wherever it appears in an employees file.
_PROTECTED_ALIASES: dict[str, str] = {
    "jenis_kelamin": "gender",
    "jk": "gender",
    "sex": "gender",
    "kelamin": "gender",
    "agama": "religion",
    "tanggal_lahir": "birth_date",
    "tgl_lahir": "birth_date",
    "date_of_birth": "birth_date",
    "dob": "birth_date",
    "suku": "ethnicity",
    "etnis": "ethnicity",
    "asal": "origin",
    "daerah_asal": "origin",
    "tempat_lahir": "origin",
    "status_perkawinan": "marital_status",
    "status_kawin": "marital_status",
    "usia": "age",
    "umur": "age",
    "disabilitas": "disability",
    "difabel": "disability",
}


_SKJ_CODES: tuple[str, ...] = tuple(c for c, _ in SKJ_MANAGERIAL + SKJ_SOCIO_CULTURAL)
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
# Closer than this to an SKJ code, a column of an inferred framework is read as a typo of it.
_SKJ_TYPO_CUTOFF = 0.85
_SCHEMA_TYPO_CUTOFF = 0.8
_REQUIRED_HINT_CUTOFF = 0.6


@dataclass(frozen=True)
class TableSpec:
    """What one kind of input table holds, for the builder shared by employees and positions.

    Attributes
    ----------
    kind : str
        ``"employees"`` or ``"positions"``, as named in messages.
    id_column : str
        The column of unique record ids.
    columns : tuple of str
        Schema columns, in the order of the input schema.
    required : tuple of str
        Schema columns a file must have; the others may be absent.
    aliases : mapping of str to str
        Header spellings met in exports and the schema column each most likely means (used in
        messages only: nothing is renamed silently).
    info_columns : tuple of str
        Schema columns kept as text in ``.info`` (before any ``info_*`` column).
    protected : bool
        Whether the table may hold protected attributes, kept apart from everything scored; a
        protected attribute under another name is then an error.
    weights : bool
        Whether ``<code>_weight`` columns belong in the table (positions), or are an error.
    """

    kind: str
    id_column: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    aliases: Mapping[str, str]
    info_columns: tuple[str, ...]
    protected: bool
    weights: bool

    @property
    def optional(self) -> tuple[str, ...]:
        """Schema columns that may be absent, in schema order."""
        return tuple(c for c in self.columns if c not in self.required)


EMPLOYEES = TableSpec(
    kind="employees",
    id_column="employee_id",
    columns=EMPLOYEE_COLUMNS,
    required=EMPLOYEE_REQUIRED,
    aliases=_EMPLOYEE_ALIASES,
    info_columns=("name", "unit"),
    protected=True,
    weights=False,
)
POSITIONS = TableSpec(
    kind="positions",
    id_column="position_id",
    columns=POSITION_COLUMNS,
    required=POSITION_REQUIRED,
    aliases=_POSITION_ALIASES,
    info_columns=("title", "unit"),
    protected=False,
    weights=True,
)
