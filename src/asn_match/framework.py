"""Competency frameworks: which competencies exist, of which kind, on which level scale.

The default is the civil-service standard (Standar Kompetensi Jabatan, PermenPANRB 38/2017): eight
managerial competencies, one socio-cultural competency (Perekat Bangsa) and technical competencies
that each agency defines, on levels 1-5 (Paham .. Ahli). Custom frameworks take any competency codes
and any numeric scale (e.g. 0-7, or continuous 0-100).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "SKJ_LEVEL_NAMES",
    "SKJ_MANAGERIAL",
    "SKJ_SOCIO_CULTURAL",
    "Competency",
    "CompetencyFramework",
    "CompetencyKind",
    "LevelScale",
]

CompetencyKind = Literal["managerial", "socio_cultural", "technical"]

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")

#: The eight managerial competencies of PermenPANRB 38/2017, as (code, name).
SKJ_MANAGERIAL: tuple[tuple[str, str], ...] = (
    ("integritas", "Integritas"),
    ("kerja_sama", "Kerja Sama"),
    ("komunikasi", "Komunikasi"),
    ("orientasi_hasil", "Orientasi pada Hasil"),
    ("pelayanan_publik", "Pelayanan Publik"),
    ("pengembangan_diri", "Pengembangan Diri dan Orang Lain"),
    ("mengelola_perubahan", "Mengelola Perubahan"),
    ("pengambilan_keputusan", "Pengambilan Keputusan"),
)

#: The socio-cultural competency of PermenPANRB 38/2017.
SKJ_SOCIO_CULTURAL: tuple[tuple[str, str], ...] = (("perekat_bangsa", "Perekat Bangsa"),)

#: Level names of the SKJ scale.
SKJ_LEVEL_NAMES: dict[int, str] = {1: "Paham", 2: "Dasar", 3: "Menengah", 4: "Mumpuni", 5: "Ahli"}


class Competency(BaseModel):
    """One competency of a framework.

    Parameters
    ----------
    code : str
        Column name in input files: lower case letters, digits and underscores, starting with a
        letter (e.g. ``"integritas"``, ``"teknis_perencanaan"``).
    name : str
        Human-readable name; defaults to the code.
    kind : {"managerial", "socio_cultural", "technical"}, default "technical"
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name: str = ""
    kind: CompetencyKind = "technical"

    @field_validator("code")
    @classmethod
    def _check_code(cls, code: str) -> str:
        if not _CODE.match(code):
            raise ValueError(
                f"competency code {code!r} must be lower case letters, digits and underscores, "
                "starting with a letter (e.g. 'teknis_perencanaan')"
            )
        if code.endswith("_weight"):
            raise ValueError(
                f"competency code {code!r} must not end in '_weight': that suffix marks the "
                "job-expectation weight columns of a positions file"
            )
        return code

    @model_validator(mode="after")
    def _default_name(self) -> Competency:
        if not self.name:
            object.__setattr__(self, "name", self.code)
        return self


class LevelScale(BaseModel):
    """The numeric scale competency levels are assessed on.

    Parameters
    ----------
    minimum, maximum : float
        Inclusive bounds of a valid level. The SKJ scale is 1-5.
    integer : bool, default True
        Whether levels must be whole numbers. Integer scales allow the fast bilinear scoring path.
    names : dict of int to str
        Optional names of the levels, e.g. ``{1: "Paham", ..., 5: "Ahli"}``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    minimum: float = 1
    maximum: float = 5
    integer: bool = True
    names: dict[int, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_bounds(self) -> LevelScale:
        if not (np.isfinite(self.minimum) and np.isfinite(self.maximum)):
            raise ValueError("level scale bounds must be finite numbers")
        if self.minimum < 0:
            raise ValueError(
                f"level scale minimum must be >= 0 (levels are ratios); got {self.minimum}"
            )
        if self.maximum <= self.minimum:
            raise ValueError(
                f"level scale maximum ({self.maximum}) must be greater than "
                f"minimum ({self.minimum})"
            )
        if self.integer and (
            self.minimum != int(self.minimum) or self.maximum != int(self.maximum)
        ):
            raise ValueError("an integer level scale needs whole-number bounds")
        return self

    def describe(self) -> str:
        """The scale in words, for error messages, e.g. ``"a whole number from 1 to 5"``."""
        lo, hi = _fmt(self.minimum), _fmt(self.maximum)
        return (
            f"a whole number from {lo} to {hi}" if self.integer else f"a number from {lo} to {hi}"
        )


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


class CompetencyFramework(BaseModel):
    """A set of competencies and the level scale they are assessed on.

    Parameters
    ----------
    name : str
        A label, e.g. ``"SKJ"``.
    competencies : sequence of Competency
        In a fixed order: the column order of every level, standard and weight matrix.
    scale : LevelScale

    Examples
    --------
    >>> fw = CompetencyFramework.skj(technical=["teknis_perencanaan"])
    >>> fw.codes[:2], len(fw)
    (('integritas', 'kerja_sama'), 10)
    >>> custom = CompetencyFramework.custom(["analysis", "writing"], minimum=0, maximum=7)
    >>> custom.scale.describe()
    'a whole number from 0 to 7'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = "custom"
    competencies: tuple[Competency, ...]
    scale: LevelScale = Field(default_factory=LevelScale)

    @model_validator(mode="after")
    def _check_unique(self) -> CompetencyFramework:
        if not self.competencies:
            raise ValueError("a competency framework needs at least one competency")
        seen: set[str] = set()
        dupes = []
        for c in self.competencies:
            if c.code in seen:
                dupes.append(c.code)
            seen.add(c.code)
        if dupes:
            raise ValueError(f"duplicate competency codes: {sorted(set(dupes))}")
        return self

    # -- constructors -------------------------------------------------------------------------
    @classmethod
    def skj(cls, technical: Iterable[str | Competency] = ()) -> CompetencyFramework:
        """The SKJ framework: 8 managerial, Perekat Bangsa, then the agency's technical ones.

        Parameters
        ----------
        technical : iterable of str or Competency
            Technical competency codes (or full :class:`Competency` objects), in column order.
        """
        comps = [Competency(code=c, name=n, kind="managerial") for c, n in SKJ_MANAGERIAL]
        comps += [Competency(code=c, name=n, kind="socio_cultural") for c, n in SKJ_SOCIO_CULTURAL]
        comps += [t if isinstance(t, Competency) else Competency(code=t) for t in technical]
        return cls(name="SKJ", competencies=tuple(comps), scale=LevelScale(names=SKJ_LEVEL_NAMES))

    @classmethod
    def custom(
        cls,
        codes: Sequence[str],
        *,
        minimum: float = 1,
        maximum: float = 5,
        integer: bool = True,
        kinds: Sequence[CompetencyKind] | None = None,
        name: str = "custom",
    ) -> CompetencyFramework:
        """A framework with any competency codes on any numeric scale.

        Parameters
        ----------
        codes : sequence of str
        minimum, maximum : float, default 1 and 5
        integer : bool, default True
        kinds : sequence of {"managerial", "socio_cultural", "technical"}, optional
            One per code; default all ``"technical"``.
        name : str, default "custom"
        """
        kinds = list(kinds) if kinds is not None else ["technical"] * len(codes)
        if len(kinds) != len(codes):
            raise ValueError(f"got {len(kinds)} kinds for {len(codes)} competency codes")
        comps = tuple(Competency(code=c, kind=k) for c, k in zip(codes, kinds, strict=True))
        scale = LevelScale(minimum=minimum, maximum=maximum, integer=integer)
        return cls(name=name, competencies=comps, scale=scale)

    @classmethod
    def from_columns(cls, columns: Iterable[str]) -> CompetencyFramework:
        """Infer an SKJ framework from competency column names.

        SKJ codes keep their kind; every other code becomes a technical competency, in the order
        given. Used when a file is read without an explicit framework.
        """
        known = {c for c, _ in SKJ_MANAGERIAL + SKJ_SOCIO_CULTURAL}
        return cls.skj(technical=[c for c in columns if c not in known])

    # -- queries ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.competencies)

    @property
    def codes(self) -> tuple[str, ...]:
        """Competency codes in column order."""
        return tuple(c.code for c in self.competencies)

    @property
    def kinds(self) -> np.ndarray:
        """Kind of each competency, shape (n_competencies,), dtype object."""
        return np.array([c.kind for c in self.competencies], dtype=object)

    def index(self, code: str) -> int:
        """Column index of a competency code; raises KeyError with a suggestion if unknown."""
        try:
            return self.codes.index(code)
        except ValueError:
            raise KeyError(f"unknown competency {code!r}{self.suggest(code)}") from None

    def suggest(self, code: str) -> str:
        """A "did you mean" hint for a mistyped code, or an empty string."""
        close = difflib.get_close_matches(code, self.codes, n=1, cutoff=0.75)
        return f"; did you mean {close[0]!r}?" if close else ""

    def subset(self, codes: Sequence[str]) -> CompetencyFramework:
        """A framework with only the given codes, in the given order."""
        by_code = {c.code: c for c in self.competencies}
        return type(self)(
            name=self.name,
            competencies=tuple(by_code[c] for c in codes),
            scale=self.scale,
        )
