"""Policy preparation of scoring: the tables and a ScoringConfig turned into kernel inputs.

:func:`prepare` aligns the competency columns of the two tables by code (a competency some
position requires and the employees lack is an error with a "did you mean"), resolves missing
levels (``config.missing_level``) and missing merit values (``config.missing_merit``), applies the
class weighting policy to the job-expectation weights, reads the descriptive columns the
eligibility rules name and builds the neutral tie-break ranks. Everything downstream (the dense
and streamed paths, :meth:`~asn_match.scoring.Scores.breakdown`, readiness gaps in
:mod:`asn_match.recommend`) reads this one :class:`Prepared` and never aligns again.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import RequirementRule, ScoringConfig
from .errors import InputError, Problem
from .kernels.composite import composite, employee_merit
from .kernels.eligibility import EmployeeQualifications, PositionRequirements
from .kernels.jpm import JPMOperator, prepare_positions
from .ordinals import education_code, rank_code
from .tables import Employees, Positions
from .tiebreak import tiebreak_rank

__all__ = ["Prepared", "expectation_weights", "prepare"]


@dataclass(frozen=True, eq=False)
class Prepared:
    """Everything the kernels need, derived once from the tables and the policy."""

    codes: tuple[str, ...]  # competencies some position requires, in the positions' order
    kinds: np.ndarray  # (K,)
    levels: np.ndarray  # (n, K), missing levels filled per policy
    assessed: np.ndarray  # (n, K) bool
    standard: np.ndarray  # (m, K), NaN = not required
    weights: np.ndarray  # (m, K) effective expectation weights
    performance: np.ndarray  # (n,) missing values resolved where the weight counts
    potential: np.ndarray
    experience: np.ndarray | None
    merit: np.ndarray  # (n,)
    composite_weights: tuple[float, float, float, float]
    qualifications: EmployeeQualifications
    requirements: PositionRequirements
    employee_tiebreak: np.ndarray  # (n,) rank in the neutral order
    position_tiebreak: np.ndarray  # (m,)
    level_floor: float | None


def expectation_weights(
    standard: np.ndarray,
    weights: np.ndarray,
    kinds: np.ndarray,
    position_class: np.ndarray,
    config: ScoringConfig,
) -> np.ndarray:
    """Job-expectation weights after the class weighting policy.

    With ``config.class_weighting``, the weights of each position of a listed class are rescaled
    so that ``JPM = s * JPM_technical + (1 - s) * JPM_other`` for its technical share ``s``: the
    technical competencies carry the share ``s`` of the JPM's denominator (``sum w * standard``
    for ``sum_ratio``, ``sum w`` for ``mean_ratio``); the position's total weight is kept.
    Positions that require competencies of one part only keep their weights.

    Parameters
    ----------
    standard : ndarray of shape (n_positions, n_competencies)
        NaN where not required.
    weights : ndarray of shape (n_positions, n_competencies)
        Job-expectation weights as given.
    kinds : ndarray of shape (n_competencies,)
        ``"managerial"``, ``"socio_cultural"`` or ``"technical"``.
    position_class : ndarray of shape (n_positions,)
        Class names (or None).
    config : ScoringConfig

    Returns
    -------
    ndarray of shape (n_positions, n_competencies), float64
        0 where not required.

    Examples
    --------
    >>> from asn_match.config import FUNCTIONAL_GRADE_WEIGHTING
    >>> cfg = ScoringConfig(class_weighting=FUNCTIONAL_GRADE_WEIGHTING)
    >>> w = expectation_weights(np.array([[3.0, 3.0, 3.0]]), np.ones((1, 3)),
    ...                         np.array(["managerial", "technical", "technical"]),
    ...                         np.array(["Ahli Madya"], dtype=object), cfg)
    >>> w.round(2).tolist()
    [[1.8, 0.6, 0.6]]
    """
    required = ~np.isnan(standard)
    w = np.where(required, weights, 0.0)
    policy = config.class_weighting
    if policy is None or w.size == 0:
        return w
    share = np.array(
        [policy.technical_share.get(c, np.nan) if c else np.nan for c in position_class],
        dtype=np.float64,
    )
    technical = np.asarray(kinds) == "technical"
    mass = w * np.where(required, standard, 0.0) if config.method == "sum_ratio" else w
    tech_mass = mass[:, technical].sum(axis=1)
    other_mass = mass[:, ~technical].sum(axis=1)
    total = tech_mass + other_mass
    apply = ~np.isnan(share) & (tech_mass > 0) & (other_mass > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        tech_scale = np.where(apply, share * total / tech_mass, 1.0)
        other_scale = np.where(apply, (1.0 - share) * total / other_mass, 1.0)
    rescaled = w * np.where(technical[None, :], tech_scale[:, None], other_scale[:, None])
    # one factor per position changes no score; it keeps the position's total weight
    with np.errstate(divide="ignore", invalid="ignore"):
        keep_total = np.where(apply, w.sum(axis=1) / rescaled.sum(axis=1), 1.0)
    return rescaled * keep_total[:, None]


def _info_column(info: pd.DataFrame, name: str, source: str, owner: str) -> pd.Series:
    for candidate in (name, f"info_{name}"):
        if candidate in info.columns:
            return info[candidate]
    close = difflib.get_close_matches(name, [str(c) for c in info.columns], n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise InputError([Problem(
        source,
        f"the scoring policy ({owner}) reads the column {name!r}, which the table does not have "
        f"among its descriptive columns {sorted(map(str, info.columns))}.{hint} Add it (as "
        f"{'info_' + name!r}) or change the policy.",
        column=name,
        code="missing_column",
    )])  # fmt: skip


def _tokens(cells: pd.Series, separator: str) -> list[list[tuple[str, str]]]:
    out: list[list[tuple[str, str]]] = []
    for cell in cells.tolist():
        if cell is None or (isinstance(cell, float) and math.isnan(cell)):
            out.append([])
            continue
        parts = (p.strip() for p in str(cell).split(separator))
        out.append([(p.casefold(), p) for p in parts if p])
    return out


def _requirement_matrices(
    employees: Employees, positions: Positions, rule: RequirementRule, owner: str
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    wanted = _tokens(
        _info_column(positions.info, rule.position_column, positions.source, owner),
        rule.separator,
    )
    held = _tokens(
        _info_column(employees.info, rule.employee_column, employees.source, owner),
        rule.separator,
    )
    names: dict[str, str] = {}
    for cell in wanted:
        for key, text in cell:
            names.setdefault(key, text)
    vocabulary = {key: t for t, key in enumerate(sorted(names))}
    pos_matrix = np.zeros((len(wanted), len(vocabulary)), dtype=bool)
    emp_matrix = np.zeros((len(held), len(vocabulary)), dtype=bool)
    for matrix, cells in ((pos_matrix, wanted), (emp_matrix, held)):
        for row, cell in enumerate(cells):
            for key, _ in cell:
                if key in vocabulary:
                    matrix[row, vocabulary[key]] = True
    return emp_matrix, pos_matrix, tuple(names[k] for k in sorted(names))


def _class_minimums(
    position_class: np.ndarray, rules: dict[str, str], parse: Callable[[str], int]
) -> np.ndarray:
    codes = {klass: parse(label) for klass, label in rules.items()}
    return np.array([codes.get(c, -1) if c else -1 for c in position_class], dtype=np.int16)


def _eligibility_inputs(
    employees: Employees, positions: Positions, config: ScoringConfig
) -> tuple[EmployeeQualifications, PositionRequirements]:
    policy = config.eligibility
    m = len(positions)
    none = np.full(m, -1, dtype=np.int16)
    families = certifications = None
    pos_families = pos_certifications = None
    family_names: tuple[str, ...] = ()
    certification_names: tuple[str, ...] = ()
    if policy.job_family is not None:
        families, pos_families, family_names = _requirement_matrices(
            employees, positions, policy.job_family, "eligibility.job_family"
        )
    if policy.certification is not None:
        certifications, pos_certifications, certification_names = _requirement_matrices(
            employees, positions, policy.certification, "eligibility.certification"
        )
    qualifications = EmployeeQualifications(
        rank=employees.rank,
        education=employees.education,
        families=families,
        certifications=certifications,
    )
    requirements = PositionRequirements(
        min_rank=positions.min_rank if policy.min_rank else none,
        min_education=positions.min_education if policy.min_education else none,
        class_min_rank=_class_minimums(positions.position_class, policy.class_min_rank, rank_code),
        class_min_education=_class_minimums(
            positions.position_class, policy.class_min_education, education_code
        ),
        position_class=positions.position_class,
        families=pos_families,
        certifications=pos_certifications,
        family_names=family_names,
        certification_names=certification_names,
    )
    return qualifications, requirements


def _align_levels(
    employees: Employees, positions: Positions, config: ScoringConfig
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Competencies some position requires, and the employees' levels for them."""
    required_by = positions.required.sum(axis=0)
    codes = tuple(c for c, count in zip(positions.codes, required_by, strict=True) if count)
    column = {c: k for k, c in enumerate(employees.codes)}
    problems = [
        Problem(
            positions.source,
            f"competency {code!r} is required by {int(required_by[positions.codes.index(code)])} "
            f"position(s) but the employees table has no {code!r} column"
            f"{employees.framework.suggest(code)} Rename the column in one of the tables, or "
            "add the employees' levels.",
            column=code,
            code="unknown_competency",
            expected="a competency column of the employees table",
        )
        for code in codes
        if code not in column
    ]
    if problems:
        raise InputError(problems)
    pos_cols = [positions.codes.index(c) for c in codes]
    levels = employees.levels[:, [column[c] for c in codes]]
    assessed = ~np.isnan(levels)
    if not assessed.all():
        if config.missing_level == "error":
            counts = required_by[pos_cols]
            k_idx, i_idx = np.nonzero(~assessed.T)  # by column, then row
            raise InputError(
                Problem(
                    employees.source,
                    f"no level for competency {codes[k]!r}, which {int(counts[k])} position(s) "
                    "require. Fill in the assessed level, or score with "
                    "ScoringConfig(missing_level='zero') to count it as 0.",
                    row=int(i) + 2,
                    column=codes[k],
                    record_id=str(employees.ids[i]),
                    expected=employees.framework.scale.describe(),
                    code="missing_level",
                )
                for k, i in zip(k_idx.tolist(), i_idx.tolist(), strict=True)
            )
        levels = np.where(assessed, levels, 0.0)
    kinds = positions.framework.kinds[pos_cols]
    return codes, kinds, levels, assessed, pos_cols


def _merit_inputs(
    employees: Employees, config: ScoringConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, tuple[float, float, float, float]]:
    w = config.composite_weights.normalised()
    problems: list[Problem] = []
    resolved = {}
    for name, weight in (("performance", w[1]), ("potential", w[2])):
        values = np.array(getattr(employees, name), dtype=np.float64)
        missing = np.isnan(values)
        if weight > 0 and missing.any():
            if config.missing_merit == "error":
                problems += [
                    Problem(
                        employees.source,
                        f"no {name} value, which the merit composite weighs at {weight:.2f}. "
                        "Fill it in, or score with ScoringConfig(missing_merit='neutral').",
                        row=int(i) + 2,
                        column=name,
                        record_id=str(employees.ids[i]),
                        expected="a number from 0 to 100",
                        code="missing_merit",
                    )
                    for i in np.flatnonzero(missing)
                ]
            values[missing] = config.neutral_merit
        resolved[name] = values
    experience = None
    if w[3] > 0:
        experience = _experience(employees, config, problems)
    if problems:
        raise InputError(problems)
    return resolved["performance"], resolved["potential"], experience, w


def _experience(employees: Employees, config: ScoringConfig, problems: list[Problem]) -> np.ndarray:
    cells = _info_column(
        employees.info, config.experience_column, employees.source, "experience_column"
    )
    column = str(cells.name)
    text = cells.astype(object).where(cells.notna(), None)
    years = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    blank = np.array([v is None or str(v).strip() == "" for v in text.tolist()])
    bad = (np.isnan(years) & ~blank) | (years < 0)
    problems += [
        Problem(
            employees.source,
            "years of experience must be a number >= 0.",
            row=int(i) + 2,
            column=column,
            value=text.iloc[i],
            record_id=str(employees.ids[i]),
            expected="a number of years >= 0",
            code="invalid_experience",
        )
        for i in np.flatnonzero(bad)
    ]
    missing = np.isnan(years) & blank
    if missing.any() and config.missing_merit == "error":
        problems += [
            Problem(
                employees.source,
                "no years of experience, which the merit composite weighs. Fill it in, or score "
                "with ScoringConfig(missing_merit='neutral').",
                row=int(i) + 2,
                column=column,
                record_id=str(employees.ids[i]),
                expected="a number of years >= 0",
                code="missing_merit",
            )
            for i in np.flatnonzero(missing)
        ]
    experience = np.minimum(np.where(bad, 0.0, years) / config.experience_full_years, 1.0) * 100
    return np.where(missing, config.neutral_merit, experience)


def prepare(employees: Employees, positions: Positions, config: ScoringConfig) -> Prepared:
    """Everything the kernels need, derived once from the tables and the policy."""
    codes, kinds, levels, assessed, pos_cols = _align_levels(employees, positions, config)
    standard = positions.standard[:, pos_cols]
    weights = expectation_weights(
        standard, positions.weights[:, pos_cols], kinds, positions.position_class, config
    )
    performance, potential, experience, w = _merit_inputs(employees, config)
    merit = employee_merit(performance, potential, experience, weights=w)
    qualifications, requirements = _eligibility_inputs(employees, positions, config)
    floor = float(levels.min()) if levels.size else None
    return Prepared(
        codes=codes,
        kinds=kinds,
        levels=levels,
        assessed=assessed,
        standard=standard,
        weights=weights,
        performance=performance,
        potential=potential,
        experience=experience,
        merit=merit,
        composite_weights=w,
        qualifications=qualifications,
        requirements=requirements,
        employee_tiebreak=tiebreak_rank(employees.ids),
        position_tiebreak=tiebreak_rank(positions.ids),
        level_floor=floor,
    )


def jpm_operator(prep: Prepared, config: ScoringConfig) -> JPMOperator:
    """The position side of the JPM under the policy, built once per scoring."""
    return prepare_positions(
        prep.standard,
        prep.weights,
        method=config.method,
        cap=config.cap,
        level_floor=prep.level_floor,
    )


def block_composite(
    prep: Prepared, jpm: np.ndarray, rows: slice | np.ndarray, out: np.ndarray | None = None
) -> np.ndarray:
    """The composite of a block of employees ``rows`` for every position, shape (n_rows, m)."""
    return composite(
        jpm,
        prep.performance[rows],
        prep.potential[rows],
        None if prep.experience is None else prep.experience[rows],
        weights=prep.composite_weights,
        out=out,
    )


def pair_composite(prep: Prepared, jpm_values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The composite of single pairs, by the very operations of the block kernel (same bits)."""
    rows = np.asarray(rows, dtype=np.intp)
    return composite(
        np.asarray(jpm_values, dtype=np.float64).reshape(-1, 1),
        prep.performance[rows],
        prep.potential[rows],
        None if prep.experience is None else prep.experience[rows],
        weights=prep.composite_weights,
    )[:, 0]
