"""The scoring policy: one validated, frozen, JSON-serialisable object.

An HR system stores the :class:`ScoringConfig` it used next to the decision, so the same scores can
be reproduced and audited later (``config.model_dump_json()``, then
``ScoringConfig.model_validate_json``).
Every option has a documented default; where the regulation leaves a choice open (DOMAIN.md marks it
"unconfirmed") the default is the most common reading and the alternative is one option away.

Examples
--------
>>> cfg = ScoringConfig(category_scale="mapping", class_weighting=FUNCTIONAL_GRADE_WEIGHTING)
>>> cfg.category_labels
('Optimal', 'Cukup Optimal', 'Kurang Optimal')
>>> ScoringConfig.model_validate_json(cfg.model_dump_json()) == cfg
True
"""

from __future__ import annotations

import difflib
import math
import typing
from typing import Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)

from ._checks import check_real, is_real
from .errors import InvalidParameterError
from .kernels.jpm import (
    MAPPING_CATEGORIES,
    MAPPING_THRESHOLDS,
    PLACEMENT_CATEGORIES,
    PLACEMENT_THRESHOLDS,
)
from .ordinals import parse_education, parse_rank
from .rules import (
    COMPOSITE_WEIGHTS,
    EDUCATION_LEVELS,
    JPT_MIN_EDUCATION,
    POSITION_CLASSES,
    PROTECTED_ATTRIBUTES,
    RANKS,
)

__all__ = [
    "FUNCTIONAL_GRADE_WEIGHTING",
    "JPT_MIN_EDUCATION",
    "ClassWeighting",
    "CompositeWeights",
    "EligibilityPolicy",
    "RequirementRule",
    "ScoringConfig",
]

_STRICT = ConfigDict(frozen=True, extra="forbid")


def _canonical_class(label, owner: str, name: str) -> str:
    key = str(label).upper().replace(" ", "")
    for klass in POSITION_CLASSES:
        if klass.upper().replace(" ", "") == key:
            return klass
    close = difflib.get_close_matches(str(label), POSITION_CLASSES, n=1, cutoff=0.6)
    raise InvalidParameterError(
        name,
        owner,
        f"keyed by position classes among {', '.join(POSITION_CLASSES)}",
        label,
        fix=f"Did you mean {close[0]!r}?" if close else "",
    )


def _model_at(model: type[BaseModel], path: tuple) -> type[BaseModel] | None:
    """The model class a nested key path leads to (``("eligibility",)`` -> EligibilityPolicy)."""
    for part in path:
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        candidates = [field.annotation, *typing.get_args(field.annotation)]
        nested = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if not nested:
            return None
        model = nested[0]
    return model


# Marks the InvalidParameterError of an unknown key, to unwrap it from pydantic's wrapper.
_UNKNOWN_OPTION = "_asn_match_unknown_option"


def _unknown_key(model: type[BaseModel], exc: ValidationError) -> InvalidParameterError | None:
    """An unknown option as the package's parameter error, listing the valid keys; else None.

    Pydantic's own message ("Extra inputs are not permitted", with a link) names neither the
    valid options nor the likely typo, which is what a user needs. A nested model refuses its
    own unknown keys the same way; pydantic wraps that error, which is unwrapped here.
    """
    for error in exc.errors():
        inner = error.get("ctx", {}).get("error")
        if isinstance(inner, InvalidParameterError) and getattr(inner, _UNKNOWN_OPTION, False):
            return inner
    unknown = [e["loc"] for e in exc.errors() if e["type"] == "extra_forbidden"]
    if not unknown:
        return None
    loc = unknown[0]
    owner = _model_at(model, loc[:-1])
    key = str(loc[-1])
    dotted = ".".join(str(part) for part in loc)
    valid = list(owner.model_fields) if owner is not None else []
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    others = [".".join(str(p) for p in u) for u in unknown[1:]]
    fix = f"Did you mean {close[0]!r}?" if close else ""
    if others:
        fix += f" Also unknown: {', '.join(others)}."
    where = owner.__name__ if owner is not None else model.__name__
    refused = InvalidParameterError(
        dotted,
        model.__name__,
        f"a known option of {where} ({', '.join(valid)})" if valid else "a known option",
        key,
        fix=fix.strip(),
    )
    setattr(refused, _UNKNOWN_OPTION, True)
    return refused


_P = TypeVar("_P", bound="_Policy")


class _Policy(BaseModel):
    """The base of the policy models: frozen, unknown keys refused by name with the valid ones."""

    model_config = _STRICT

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            error = _unknown_key(type(self), exc)
            if error is None:
                raise
            raise error from None

    @classmethod
    def model_validate(  # type: ignore[override]
        cls: type[_P], obj: Any, *args: Any, **kwargs: Any
    ) -> _P:
        """As pydantic's, with an unknown key refused as :class:`InvalidParameterError`."""
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            error = _unknown_key(cls, exc)
            if error is None:
                raise
            raise error from None

    @classmethod
    def model_validate_json(  # type: ignore[override]
        cls: type[_P], json_data: Any, *args: Any, **kwargs: Any
    ) -> _P:
        """As pydantic's, with an unknown key refused as :class:`InvalidParameterError`."""
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        except ValidationError as exc:
            error = _unknown_key(cls, exc)
            if error is None:
                raise
            raise error from None


def _finite(value: object) -> bool:
    return is_real(value) and math.isfinite(value)  # type: ignore[arg-type]


def _not_protected(value: str, owner: str, name: str) -> str:
    if value in PROTECTED_ATTRIBUTES:
        raise InvalidParameterError(
            name,
            owner,
            f"a descriptive column, not a protected attribute ({', '.join(PROTECTED_ATTRIBUTES)}"
            "): scoring never uses them",
            value,
        )
    return value


class ClassWeighting(_Policy):
    """Per-class share of the technical competencies in the JPM.

    For a position whose class has a share ``s``, the job-expectation weights are rescaled so that
    ``JPM = s * JPM_technical + (1 - s) * JPM_managerial_and_socio_cultural``, each part computed
    with the configured method over that kind's required competencies (the published form "40%
    technical, 60% managerial and socio-cultural"). The rescaling keeps each position's total
    weight and the relative weights within each part. A position whose class is not listed, or
    that requires competencies of only one of the two parts, keeps its weights.

    Parameters
    ----------
    technical_share : dict of str to float
        Position class (see :data:`asn_match.rules.POSITION_CLASSES`; spelling is normalised)
        to the technical share, in [0, 1].

    Examples
    --------
    >>> ClassWeighting(technical_share={"ahli muda": 0.5}).technical_share
    {'Ahli Muda': 0.5}
    """

    technical_share: dict[str, float]

    @field_validator("technical_share")
    @classmethod
    def _check_shares(cls, shares: dict[str, float]) -> dict[str, float]:
        out: dict[str, float] = {}
        for label, share in shares.items():
            klass = _canonical_class(label, "ClassWeighting", "technical_share")
            if not _finite(share) or not 0 <= share <= 1:
                raise InvalidParameterError(
                    "technical_share", "ClassWeighting", f"a share in [0, 1] for {klass!r}", share
                )
            out[klass] = float(share)
        return out


#: The published functional-grade rule (DOMAIN.md): technical vs managerial + socio-cultural,
#: Ahli Madya 40/60, Ahli Muda 50/50, Ahli Pertama 60/40. Not applied unless configured.
FUNCTIONAL_GRADE_WEIGHTING = ClassWeighting(
    technical_share={"Ahli Madya": 0.4, "Ahli Muda": 0.5, "Ahli Pertama": 0.6}
)


class CompositeWeights(_Policy):
    """Weights of the merit composite; normalised to sum to 1 when used.

    Parameters
    ----------
    competency : float, default 0.6
        Weight of the competency fit (the JPM, capped at 100).
    performance : float, default 0.25
        Weight of performance (SKP, 0-100).
    potential : float, default 0.15
        Weight of potential (0-100).
    experience : float, default 0.0
        Weight of relevant experience (years, scaled to 0-100; see
        :attr:`ScoringConfig.experience_column`). Off by default: the input schema has no
        experience column.

    Examples
    --------
    >>> CompositeWeights(competency=3, performance=1, potential=1).normalised()
    (0.6, 0.2, 0.2, 0.0)
    """

    competency: float = COMPOSITE_WEIGHTS[0]
    performance: float = COMPOSITE_WEIGHTS[1]
    potential: float = COMPOSITE_WEIGHTS[2]
    experience: float = COMPOSITE_WEIGHTS[3]

    @field_validator("competency", "performance", "potential", "experience")
    @classmethod
    def _check_weight(cls, value: float, info) -> float:
        return check_real(value, info.field_name, "CompositeWeights", minimum=0)

    @model_validator(mode="after")
    def _check_sum(self) -> CompositeWeights:
        if self.competency + self.performance + self.potential + self.experience <= 0:
            raise ValueError(
                "The weights of CompositeWeights must have a positive sum. Got all zero instead; "
                "give at least the competency weight a positive value."
            )
        return self

    def normalised(self) -> tuple[float, float, float, float]:
        """(competency, performance, potential, experience), scaled to sum to 1."""
        raw = (self.competency, self.performance, self.potential, self.experience)
        total = sum(raw)
        return tuple(w / total for w in raw)  # type: ignore[return-value]


class RequirementRule(_Policy):
    """A requirement read from the input tables: what a position requires, what an employee has.

    Both columns hold names (e.g. job families ``"perencanaan"``, certifications ``"PBJ"``);
    several names in one cell are separated by ``separator``. Names are compared case-insensitively
    with surrounding spaces removed. An empty cell in the position column means no requirement.
    The columns are read from the tables' descriptive columns (``Positions.info`` and
    ``Employees.info``, i.e. the input's ``info_*`` columns; the prefix may be left out), never
    from the protected attributes.

    Parameters
    ----------
    position_column : str
        Column of the positions table.
    employee_column : str
        Column of the employees table.
    separator : str, default ";"

    Examples
    --------
    >>> RequirementRule(position_column="job_family", employee_column="job_family").separator
    ';'
    """

    position_column: str
    employee_column: str
    separator: str = ";"

    @field_validator("position_column", "employee_column", "separator")
    @classmethod
    def _check_text(cls, value: str, info) -> str:
        if not value.strip():
            raise InvalidParameterError(
                info.field_name, "RequirementRule", "a non-blank string", value
            )
        return value

    @field_validator("employee_column")
    @classmethod
    def _check_employee_column(cls, value: str) -> str:
        return _not_protected(value, "RequirementRule", "employee_column")


class EligibilityPolicy(_Policy):
    """Which rules decide that an employee may not hold a position.

    Parameters
    ----------
    min_rank : bool, default True
        Apply each position's ``min_rank``.
    min_education : bool, default True
        Apply each position's ``min_education``.
    class_min_education : dict of str to str, default JPT_MIN_EDUCATION
        Position class to the minimum education the class imposes on top of the position's own
        minimum. Default: JPT Utama, Madya and Pratama need at least S1/D4 (DOMAIN.md). Pass
        ``{}`` to switch the class rule off.
    class_min_rank : dict of str to str, default {}
        Position class to a minimum rank (e.g. ``{"JPT Pratama": "IV/a"}``). Off by default: the
        echelon-to-rank table is historical, minimum rank is per-position data.
    job_family : RequirementRule or None, default None
        Job family rule: the position column lists accepted families; the employee must belong
        to at least one.
    certification : RequirementRule or None, default None
        Certification rule: the employee must hold every certification the position lists.

    Examples
    --------
    >>> EligibilityPolicy(class_min_rank={"jpt pratama": "iv a"}).class_min_rank
    {'JPT Pratama': 'IV/a'}
    """

    min_rank: StrictBool = True
    min_education: StrictBool = True
    class_min_education: dict[str, str] = Field(default_factory=lambda: dict(JPT_MIN_EDUCATION))
    class_min_rank: dict[str, str] = Field(default_factory=dict)
    job_family: RequirementRule | None = None
    certification: RequirementRule | None = None

    @field_validator("class_min_education")
    @classmethod
    def _check_education(cls, rules: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for label, level in rules.items():
            klass = _canonical_class(label, "EligibilityPolicy", "class_min_education")
            code = int(parse_education([level])[0])
            if code < 0:
                raise InvalidParameterError(
                    "class_min_education",
                    "EligibilityPolicy",
                    f"an education level among {', '.join(EDUCATION_LEVELS)} (D4 = S1) for "
                    f"{klass!r}",
                    level,
                )
            out[klass] = EDUCATION_LEVELS[code]
        return out

    @field_validator("class_min_rank")
    @classmethod
    def _check_rank(cls, rules: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for label, rank in rules.items():
            klass = _canonical_class(label, "EligibilityPolicy", "class_min_rank")
            code = int(parse_rank([rank])[0])
            if code < 0:
                raise InvalidParameterError(
                    "class_min_rank",
                    "EligibilityPolicy",
                    f"a rank among {', '.join(RANKS)} for {klass!r}",
                    rank,
                )
            out[klass] = RANKS[code]
        return out


class ScoringConfig(_Policy):
    """Everything that decides the scores: JPM variant, categories, weighting, merit, eligibility.

    Frozen and strict: an unknown option is an error, never ignored.

    Parameters
    ----------
    method : {"sum_ratio", "mean_ratio"}, default "sum_ratio"
        JPM formula (DOMAIN.md): weighted sum of levels over weighted sum of standards, or
        weighted mean of level/standard.
    cap : bool, default True
        Count a level above the standard as the standard, so a surplus cannot hide a deficit.
    category_scale : {"placement", "mapping"}, default "placement"
        Category labels and default thresholds: placement (Memenuhi Syarat >= 80, Masih Memenuhi
        Syarat >= 68, Kurang Memenuhi Syarat) or mapping (Optimal >= 90, Cukup Optimal >= 78,
        Kurang Optimal).
    thresholds : tuple of 2 float or None, default None
        Lower bounds of the two upper categories, strictly decreasing; None takes the scale's
        published thresholds.
    class_weighting : ClassWeighting or None, default None
        Per-class technical share (e.g. :data:`FUNCTIONAL_GRADE_WEIGHTING`). Off by default: the
        published rule covers functional grades only and is applied when an agency adopts it.
    composite_weights : CompositeWeights, default 0.6 / 0.25 / 0.15 / 0
        Competency fit, performance, potential, experience.
    missing_merit : {"neutral", "error"}, default "neutral"
        What a missing performance, potential or experience value counts as when its weight is
        positive: ``neutral_merit`` (so a missing appraisal neither helps nor hurts relative to
        the middle of the scale), or an :class:`~asn_match.errors.InputError` naming the rows.
    neutral_merit : float, default 50.0
        The 0-100 value a missing merit component counts as under ``missing_merit="neutral"``.
    experience_column : str, default "experience_years"
        Descriptive employees column (``Employees.info``; the ``info_`` prefix may be left out,
        never a protected attribute) with years of relevant experience; read only when the
        experience weight is positive.
    experience_full_years : float, default 10.0
        Years of experience that earn the full 100 (linear from 0, capped).
    missing_level : {"error", "zero"}, default "error"
        An employee without a level in a competency some position requires: an
        :class:`~asn_match.errors.InputError` naming each row and column, or level 0 (counts
        nothing towards the JPM; the standard still counts in full).
    eligibility : EligibilityPolicy, default EligibilityPolicy()
        Minimum rank and education of positions, class rules, job family, certifications.

    Examples
    --------
    >>> cfg = ScoringConfig(thresholds=(85, 70))
    >>> cfg.category_thresholds, cfg.category_labels[0]
    ((85.0, 70.0), 'Memenuhi Syarat')
    >>> ScoringConfig(method="mean_ratio", cap=False).model_dump()["method"]
    'mean_ratio'
    """

    method: Literal["sum_ratio", "mean_ratio"] = "sum_ratio"
    cap: StrictBool = True
    category_scale: Literal["placement", "mapping"] = "placement"
    thresholds: tuple[float, float] | None = None
    class_weighting: ClassWeighting | None = None
    composite_weights: CompositeWeights = Field(default_factory=CompositeWeights)
    missing_merit: Literal["neutral", "error"] = "neutral"
    neutral_merit: float = 50.0
    experience_column: str = "experience_years"
    experience_full_years: float = 10.0
    missing_level: Literal["error", "zero"] = "error"
    eligibility: EligibilityPolicy = Field(default_factory=EligibilityPolicy)

    @field_validator("thresholds")
    @classmethod
    def _check_thresholds(cls, value: tuple[float, float] | None):
        if value is None:
            return value
        first, second = value
        if not (_finite(first) and _finite(second) and first > second >= 0):
            raise InvalidParameterError(
                "thresholds",
                "ScoringConfig",
                "two finite numbers >= 0 in strictly decreasing order, best category first, "
                "e.g. (80.0, 68.0)",
                value,
            )
        return (float(first), float(second))

    @field_validator("neutral_merit")
    @classmethod
    def _check_neutral(cls, value: float) -> float:
        return check_real(value, "neutral_merit", "ScoringConfig", minimum=0, maximum=100)

    @field_validator("experience_full_years")
    @classmethod
    def _check_years(cls, value: float) -> float:
        if not _finite(value) or value <= 0:
            raise InvalidParameterError(
                "experience_full_years", "ScoringConfig", "a finite number > 0", value
            )
        return float(value)

    @field_validator("experience_column")
    @classmethod
    def _check_column(cls, value: str) -> str:
        if not value.strip():
            raise InvalidParameterError(
                "experience_column", "ScoringConfig", "a non-blank string", value
            )
        return _not_protected(value, "ScoringConfig", "experience_column")

    @property
    def category_thresholds(self) -> tuple[float, float]:
        """The thresholds in force: ``thresholds`` or the scale's published ones."""
        if self.thresholds is not None:
            return self.thresholds
        return PLACEMENT_THRESHOLDS if self.category_scale == "placement" else MAPPING_THRESHOLDS

    @property
    def category_labels(self) -> tuple[str, str, str]:
        """The three category labels of ``category_scale``, best first."""
        return PLACEMENT_CATEGORIES if self.category_scale == "placement" else MAPPING_CATEGORIES
