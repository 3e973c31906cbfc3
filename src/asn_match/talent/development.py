"""Development plans: each employee's competency gaps, ordered by their weight on the JPM.

PP 11/2017 art. 206(2): the gap analysis compares the person's competency profile with the
standards of the current position and of a target position. For each of the two, every
competency whose assessed level is below the standard is one gap. The gaps of a pair are
ordered so that closing them in turn raises the JPM the most first: closing a gap raises the
level to the standard, and the rise is the competency's share of the JPM
(:func:`~asn_match.kernels.jpm.jpm_contributions`) at the standard minus its share now. Under
both JPM formulas, capped or not, the JPM is a sum of per-competency shares with coefficients
fixed by the position, so a gap's rise does not depend on the gaps closed before it and the
greedy order (largest rise first) is the order that recomputing the JPM after each closure
gives.

Hours: a :class:`DevelopmentPolicy` gives the lesson hours (JP) one level step takes (20 JP by
default, one year's right; **unconfirmed**, agencies set their own, per competency kind if
they like), and the years the plan takes at the right of at least 20 JP a year (PP 11/2017
art. 203(4)).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .._scoring_policy import prepare
from ..config import ScoringConfig
from ..errors import InputError, InvalidParameterError, Problem
from ..kernels.jpm import jpm_contributions
from ..pairs import id_index
from ..placement import Placement
from ..rules import JPM_DECIMALS
from ._common import EmployeesLike, PositionsLike, as_employees, as_positions, check_policy, units

__all__ = ["DevelopmentPolicy", "development_plan", "training_needs"]

#: Competency kinds of the frameworks (see :mod:`asn_match.framework`).
_KINDS = ("managerial", "socio-cultural", "technical")


class DevelopmentPolicy(BaseModel):
    """Lesson hours of closing a gap, and the yearly development right.

    Parameters
    ----------
    hours_per_level : float, default=20
        Lesson hours (JP) that raise one competency by one level (**unconfirmed**: one year's
        right per level step; set your agency's figure).
    hours_by_kind : dict of str to float, default={}
        Hours per level step of a competency kind ("managerial", "socio-cultural",
        "technical"), in place of ``hours_per_level``.
    annual_jp : float, default=20
        Development hours a year each civil servant has a right to (PP 11/2017 art. 203(4):
        at least 20 JP).

    Examples
    --------
    >>> policy = DevelopmentPolicy(hours_by_kind={"technical": 30})
    >>> policy.hours("technical"), policy.hours("managerial")
    (30.0, 20.0)
    >>> DevelopmentPolicy.model_validate_json(policy.model_dump_json()) == policy
    True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    hours_per_level: float = Field(default=20.0, gt=0, allow_inf_nan=False)
    hours_by_kind: dict[str, float] = Field(default_factory=dict)
    annual_jp: float = Field(default=20.0, gt=0, allow_inf_nan=False)

    @field_validator("hours_by_kind")
    @classmethod
    def _check_kinds(cls, hours: dict[str, float]) -> dict[str, float]:
        bad = sorted(k for k, v in hours.items() if k not in _KINDS or not 0 < v < float("inf"))
        if bad:
            raise ValueError(
                "The 'hours_by_kind' parameter of DevelopmentPolicy must map competency kinds "
                f"({', '.join(_KINDS)}) to hours > 0. Got {bad!r} instead."
            )
        return {k: float(v) for k, v in hours.items()}

    def hours(self, kind: str) -> float:
        """Hours per level step of a competency kind."""
        return self.hours_by_kind.get(kind, self.hours_per_level)


def _targets(
    target: object, employee_ids: np.ndarray, position_ids: np.ndarray, source: str
) -> np.ndarray:
    """Target position row of each employee (-1 for none), shape (n_employees,)."""
    caller = "development_plan"
    n = len(employee_ids)
    out = np.full(n, -1, dtype=np.intp)
    if target is None:
        return out
    if isinstance(target, Placement):
        placed = np.asarray(target.employee_position)
        ids = np.asarray(target.scores.positions.ids, dtype=object)
        mapping: dict[object, object] = {
            e: ids[j] for e, j in zip(target.scores.employees.ids, placed, strict=True) if j >= 0
        }
    elif isinstance(target, Mapping):
        mapping = dict(target)
    else:
        raise InvalidParameterError(
            "target", caller, "None, a dict {employee_id: position_id} or a Placement",
            type(target).__name__,
        )  # fmt: skip
    rows = id_index(employee_ids)
    cols = id_index(position_ids)
    problems = []
    for employee, position in mapping.items():
        i = rows.get_indexer(pd.Index([str(employee)]))[0]
        j = cols.get_indexer(pd.Index([str(position)]))[0] if position is not None else -2
        if i < 0:
            problems.append(
                Problem(
                    "target",
                    f"employee {employee!r} is not in the employees table; remove it "
                    "from target or add the employee.",
                    value=employee,
                    code="unknown_employee",
                    record_id=str(employee),
                )  # fmt: skip
            )
        elif j == -1:
            problems.append(
                Problem(
                    "target",
                    f"position {position!r} (target of employee {employee!r}) is not "
                    f"in the positions table ({source}); give a position id of the table.",
                    value=position,
                    code="unknown_position",
                    record_id=str(employee),
                )  # fmt: skip
            )
        elif j >= 0:
            out[i] = j
    if problems:
        raise InputError(problems)
    return out


def _current(employees_current: np.ndarray, position_ids: np.ndarray) -> np.ndarray:
    """Row of each employee's current position among ``position_ids``, -1 if none or absent."""
    current = pd.Series(employees_current, dtype=object)
    rows = id_index(position_ids).get_indexer(pd.Index(current.astype(str)))
    rows = rows.astype(np.intp)
    rows[current.isna().to_numpy()] = -1
    return rows


def development_plan(
    employees: EmployeesLike,
    positions: PositionsLike,
    *,
    target: Mapping[str, str] | Placement | None = None,
    policy: DevelopmentPolicy | dict | None = None,
    config: ScoringConfig | dict | None = None,
) -> pd.DataFrame:
    """The competency gaps of every employee to the current and the target position, in order.

    Parameters
    ----------
    employees : Employees, DataFrame or path
    positions : Positions, DataFrame or path
        The positions the current positions (``current_position_id``) and targets refer to; a
        current position not in this table gives no "current" rows.
    target : dict or Placement, optional
        ``{employee_id: position_id}``, or a :class:`~asn_match.placement.Placement` (each
        placed employee's new position). A target equal to the current position adds nothing.
    policy : DevelopmentPolicy or dict, optional
        Hours per level step and the yearly right; default ``DevelopmentPolicy()``.
    config : ScoringConfig or dict, optional
        The scoring policy whose JPM the plan raises (formula, cap, class weighting, missing
        levels); default ``ScoringConfig()``, as :func:`asn_match.score`.

    Returns
    -------
    DataFrame
        One row per employee x position x competency gap: ``employee_id``, ``position_id``,
        ``against`` ("current" or "target"), ``competency``, ``level`` (as scored),
        ``standard``, ``gap`` (standard - level), ``weight`` (effective job-expectation weight),
        ``jpm_gain`` (the rise of the JPM when this gap is closed after the ones before it),
        ``order`` (1 = closes the most JPM first), ``hours`` (gap x hours per level step),
        ``years_at_20jp`` (years until this gap is closed, the plan followed in order at
        ``policy.annual_jp`` a year), then ``unit``, ``kind``, ``jpm_before`` (the pair's JPM
        now), ``jpm_after`` (after closing this gap and the ones before) and
        ``cumulative_hours``. Employees in table order, "current" before "target", each by
        ``order``; ties in ``jpm_gain`` by competency order.

    Examples
    --------
    >>> import asn_match as am
    >>> employees, positions = am.datasets.synthetic_workforce(20, 6, seed=5)
    >>> import numpy as np
    >>> scores = am.score(employees, positions)
    >>> i, j = np.unravel_index(scores.jpm.argmin(), scores.jpm.shape)  # the widest gap
    >>> someone, goal = scores.employees.ids[i], scores.positions.ids[j]
    >>> plan = development_plan(employees, positions, target={someone: goal})
    >>> plan.columns[:8].tolist()
    ['employee_id', 'position_id', 'against', 'competency', 'level', 'standard', 'gap', 'weight']
    >>> first = plan[(plan["employee_id"] == someone) & (plan["against"] == "target")]
    >>> bool(first["jpm_gain"].is_monotonic_decreasing)
    True
    >>> bool(abs(first["jpm_after"].iloc[-1] - 100) < 1e-6)
    True
    """
    caller = "development_plan"
    policy = check_policy(policy, DevelopmentPolicy, caller)
    config = check_policy(config, ScoringConfig, caller) if config is not None else ScoringConfig()
    emp = as_employees(employees, "employees", caller)
    pos = as_positions(positions, "positions", caller)
    prep = prepare(emp, pos, config)
    current = _current(emp.current_position_id, pos.ids)
    goal = _targets(target, emp.ids, pos.ids, pos.source)
    goal = np.where(goal == current, -1, goal)
    n = len(emp)
    # pairs in output order: employee, then current before target
    rows = np.concatenate([np.arange(n), np.arange(n)])
    cols = np.concatenate([current, goal])
    against = np.repeat(np.array(["current", "target"], dtype=object), n)
    pair_order = np.lexsort((np.repeat([0, 1], n), rows))
    keep = pair_order[cols[pair_order] >= 0]
    rows, cols, against = rows[keep], cols[keep], against[keep]
    return _plan(emp, pos, prep, config, policy, rows, cols, against)


def _plan(emp, pos, prep, config, policy, rows, cols, against) -> pd.DataFrame:
    level = prep.levels[rows]
    standard = prep.standard[cols]
    weight = prep.weights[cols]
    share = jpm_contributions(level, standard, weights=weight, method=config.method, cap=config.cap)
    gap = np.where(np.isnan(standard), 0.0, np.maximum(standard - level, 0.0))
    closed = np.where(gap > 0, standard, level)
    share_closed = jpm_contributions(
        closed, standard, weights=weight, method=config.method, cap=config.cap
    )
    gain = np.round(share_closed - share, JPM_DECIMALS)
    jpm_before = np.round(share.sum(axis=1), JPM_DECIMALS)
    pair, k = np.nonzero(gap > 0)
    # one pass: pairs keep their order, gaps by rise (largest first), ties by competency order
    order = np.lexsort((k, -gain[pair, k], pair))
    pair, k = pair[order], k[order]
    hours_of_kind = np.array([policy.hours(str(kind)) for kind in prep.kinds], dtype=np.float64)
    hours = gap[pair, k] * hours_of_kind[k]
    starts = np.r_[True, pair[1:] != pair[:-1]] if len(pair) else np.zeros(0, bool)
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    position_in_pair = np.arange(len(pair)) - first[group] if len(pair) else np.zeros(0, int)

    def cumulative(values: np.ndarray) -> np.ndarray:
        total = np.cumsum(values)
        before = np.r_[0.0, total][first]
        return total - before[group] if len(values) else values

    cum_hours = cumulative(hours)
    cum_gain = cumulative(gain[pair, k])
    codes = np.array(prep.codes, dtype=object)
    unit = units(emp)
    frame: dict[str, Any] = {
        "employee_id": np.asarray(emp.ids, dtype=object)[rows[pair]],
        "position_id": np.asarray(pos.ids, dtype=object)[cols[pair]],
        "against": against[pair],
        "competency": codes[k],
        "level": level[pair, k],
        "standard": standard[pair, k],
        "gap": gap[pair, k],
        "weight": weight[pair, k],
        "jpm_gain": gain[pair, k],
        "order": (position_in_pair + 1).astype(np.int64),
        "hours": hours,
        "years_at_20jp": cum_hours / policy.annual_jp,
        "unit": unit[rows[pair]],
        "kind": np.asarray(prep.kinds, dtype=object)[k],
        "jpm_before": jpm_before[pair],
        "jpm_after": np.round(jpm_before[pair] + cum_gain, JPM_DECIMALS),
        "cumulative_hours": cum_hours,
    }
    return pd.DataFrame(frame)


def training_needs(plan: pd.DataFrame, by: str = "unit") -> pd.DataFrame:
    """Training needs per group and competency: which gaps are most common and most costly.

    An employee with a gap in one competency to both the current and the target position
    needs one course, to the higher standard: the person counts once, with the larger gap and
    hours, and the JPM gains of both positions.

    Parameters
    ----------
    plan : DataFrame
        The result of :func:`development_plan`.
    by : str, default="unit"
        The column of ``plan`` to group by (e.g. "unit", "position_id").

    Returns
    -------
    DataFrame
        One row per (``by`` value, ``competency``): ``by``'s column, ``competency``,
        ``people`` (employees with the gap), ``total_gap`` (levels), ``total_hours`` (JP) and
        ``jpm_gain`` (summed). Most people first, then most hours, then by name.

    Examples
    --------
    >>> import asn_match as am
    >>> employees, positions = am.datasets.synthetic_workforce(30, 6, seed=5)
    >>> needs = training_needs(development_plan(employees, positions))
    >>> needs.columns.tolist()
    ['unit', 'competency', 'people', 'total_gap', 'total_hours', 'jpm_gain']
    >>> bool(needs["people"].is_monotonic_decreasing)
    True
    """
    caller = "training_needs"
    needed = {"employee_id", "competency", "gap", "hours", "jpm_gain"}
    if not isinstance(plan, pd.DataFrame) or not needed <= set(plan.columns):
        raise InvalidParameterError(
            "plan", caller, "the DataFrame of development_plan", type(plan).__name__
        )
    if not isinstance(by, str) or by not in plan.columns or by in ("competency", "employee_id"):
        raise InvalidParameterError(
            "by", caller, "a column of plan other than competency and employee_id", by
        )
    groups = plan[by].astype(object).where(plan[by].notna(), "(none)")
    frame = pd.DataFrame(
        {
            by: groups.to_numpy(dtype=object),
            "employee_id": plan["employee_id"].astype(str).to_numpy(dtype=object),
            "competency": plan["competency"].astype(str).to_numpy(dtype=object),
            "gap": plan["gap"].to_numpy(dtype=np.float64),
            "hours": plan["hours"].to_numpy(dtype=np.float64),
            "jpm_gain": plan["jpm_gain"].to_numpy(dtype=np.float64),
        }
    )
    person = frame.groupby([by, "competency", "employee_id"], sort=False).agg(
        gap=("gap", "max"), hours=("hours", "max"), jpm_gain=("jpm_gain", "sum")
    )
    needs = person.groupby(level=[0, 1], sort=False).agg(
        people=("gap", "size"),
        total_gap=("gap", "sum"),
        total_hours=("hours", "sum"),
        jpm_gain=("jpm_gain", "sum"),
    )
    needs = needs.reset_index()
    needs["people"] = needs["people"].astype(np.int64)
    needs = needs.sort_values(
        ["people", "total_hours", by, "competency"],
        ascending=[False, False, True, True],
        kind="mergesort",
    )
    return needs.reset_index(drop=True)
