"""Succession pools: the succession group of each position or class (PP 11/2017 art. 199-200).

A member of the pool of a position is a successor of :func:`asn_match.succession` (eligible
and in a JPM category that is ready now or ready after development, by the
:class:`~asn_match.recommend.ReadinessPolicy`: the competency fit for the position's class) who
also:

- sits in one of the talent boxes (7, 8 and 9 by default) of :func:`~asn_match.talent.nine_box`;
- meets the performance rule: performance at least "baik" in each of the last two years. The
  current year is the ``performance`` column; the year before is an optional descriptive
  column (``info_performance_previous`` in the input file, a number 0-100 or an SKP
  predicate), checked where the
  data has it: an employee with an empty cell, or data without the column, is judged on the
  current year alone, and ``years_checked`` says which. "Baik" is ``min_performance`` = 76,
  the lower bound of "baik" on the numeric SKP scale (76-90): the predicates "baik" and
  "sangat baik" pass (read as 83 and 95), "butuh perbaikan" does not (68);
- has met the development obligation (at least ``min_training_hours`` = 20 JP in the year,
  PP 11/2017 art. 203(4)) where ``training_hours`` is known.

Members are ranked as :func:`asn_match.succession` ranks them (readiness band, then composite,
ties by the neutral tie-break), and :func:`pool_strength` adds the pool's bench to
:func:`asn_match.bench_strength` of each position: "ready now", "ready later" or "none".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from .._checks import check_choice, check_int, check_real
from ..errors import InputError, InvalidParameterError, Problem
from ..ordinals import PERFORMANCE_PREDICATES
from ..pairs import id_index
from ..recommend import READINESS_BANDS, ReadinessPolicy, bench_strength, succession
from ..rules import RANK_DECIMALS
from ..scoring import CandidateScores, DenseScores, Scores
from ..tables import Employees
from ..validation._cells import _scores
from ._common import EmployeesLike, as_employees, check_policy, info_column
from .nine_box import NineBoxPolicy, nine_box

__all__ = ["BENCH_LEVELS", "pool_strength", "succession_pools"]

#: Bench of a position's pool, best first.
BENCH_LEVELS: tuple[str, str, str] = ("ready now", "ready later", "none")

#: Lower bound of "baik" on the numeric SKP scale (76-90).
MIN_PERFORMANCE = 76.0


def _check_boxes(boxes: object, caller: str) -> tuple[int, ...]:
    values = (boxes,) if isinstance(boxes, (int, np.integer)) else boxes
    if not isinstance(values, Sequence) or isinstance(values, str) or not values:
        raise InvalidParameterError("boxes", caller, "a sequence of box numbers 1-9", boxes)
    return tuple(sorted({check_int(b, "boxes", caller, minimum=1, maximum=9) for b in values}))


def _previous(table: Employees, column: str) -> np.ndarray:
    """Last year's performance (0-100, NaN where not given) from an employees column."""
    column, cells = info_column(table, column)
    if cells is None:
        return np.full(len(table), np.nan)
    values, bad = _scores(cells, PERFORMANCE_PREDICATES, decimal_comma=False)
    bad = bad | (values < 0) | (values > 100)
    if bad.any():
        predicates = ", ".join(PERFORMANCE_PREDICATES)
        raise InputError(
            Problem(
                table.source,
                f"{column} {cells.iloc[i]!r} is neither a number from 0 to 100 nor an SKP "
                f"predicate ({predicates}); correct it or leave it empty if not known.",
                column=column,
                value=cells.iloc[i],
                expected=f"a number from 0 to 100 or an SKP predicate ({predicates})",
                code=f"invalid_{column}",
                record_id=str(table.ids[i]),
            )
            for i in np.flatnonzero(bad)
        )
    return values


class _Members:
    """Per employee of the scores: box, the performance of both years and the rule verdicts."""

    def __init__(self, scores: Scores, employees, boxes, policy, min_performance,
                 min_training_hours, previous_column, caller):  # fmt: skip
        table = scores.employees
        if employees is not None:
            given = as_employees(employees, "employees", caller)
            where = id_index(given.ids).get_indexer(pd.Index(table.ids))
            if len(given) != len(table) or (where < 0).any():
                raise InvalidParameterError(
                    "employees", caller, "the employees that were scored (the same ids)",
                    f"a table of {len(given)} employees",
                    fix="Pass None to use scores.employees.",
                )  # fmt: skip
            box_frame = nine_box(employees, policy=policy).iloc[where].reset_index(drop=True)
            table = given.take(where)
        else:
            box_frame = nine_box(table, policy=policy)
        self.box = box_frame["box"].to_numpy(dtype=np.float64, na_value=np.nan)
        self.label = box_frame["label"].to_numpy(dtype=object)
        self.performance = np.asarray(table.performance, dtype=np.float64)
        self.previous = _previous(table, previous_column)
        self.hours = np.asarray(table.training_hours, dtype=np.float64)
        in_box = np.isin(self.box, boxes)
        # a score on the bound meets it: compare at the ranking precision
        floor = round(min_performance, RANK_DECIMALS)
        now_ok = np.round(np.nan_to_num(self.performance, nan=-1.0), RANK_DECIMALS) >= floor
        before = np.round(self.previous, RANK_DECIMALS)
        before_ok = np.isnan(before) | (before >= floor)
        self.years = np.where(np.isnan(self.previous), 1, 2).astype(np.int64)
        known = ~np.isnan(self.hours)
        if min_training_hours is None:
            known = np.zeros(len(table), dtype=bool)
        met = known & (np.nan_to_num(self.hours) >= (min_training_hours or 0.0))
        # None: the rule is off; otherwise unknown hours are not held against anyone
        self.developed = pd.arrays.BooleanArray(met, ~known)
        dev_ok = met | ~known
        self.member = in_box & now_ok & before_ok & dev_ok


def _pool_rows(
    scores: Scores,
    members: _Members,
    readiness: ReadinessPolicy,
    allowed,
    forbidden,
) -> pd.DataFrame:
    """Every successor of every position who is a pool member, in succession order."""
    count = int(members.member.sum())
    if allowed is None and count:
        # only members can be listed: the lists need be no longer than the members
        allowed = list(np.asarray(scores.employees.ids, dtype=object)[members.member])
        depth = count
    else:
        depth = max(scores.shape[0], 1)
    if isinstance(scores, CandidateScores):
        depth = min(depth, scores.top_k_kept)
    listed = succession(scores, k=depth, policy=readiness, allowed=allowed, forbidden=forbidden)
    rows = id_index(scores.employees.ids).get_indexer(pd.Index(listed["employee_id"].astype(str)))
    keep = members.member[rows]
    pool = listed[keep].reset_index(drop=True)
    rows = rows[keep]
    pool["box"] = pd.array(members.box[rows].astype(np.int64), dtype="Int64")
    pool["box_label"] = members.label[rows]
    pool["performance"] = members.performance[rows]
    pool["performance_previous"] = members.previous[rows]
    pool["years_checked"] = members.years[rows]
    pool["training_hours"] = members.hours[rows]
    pool["development_met"] = members.developed[rows]
    return pool


def succession_pools(
    scores: Scores,
    employees: EmployeesLike | None = None,
    *,
    boxes: Sequence[int] = (7, 8, 9),
    k: int | None = None,
    by: Literal["position", "class"] = "position",
    nine_box_policy: NineBoxPolicy | dict | None = None,
    readiness: ReadinessPolicy | dict | None = None,
    min_performance: float = MIN_PERFORMANCE,
    min_training_hours: float | None = 20.0,
    previous_performance: str = "performance_previous",
    allowed=None,
    forbidden=None,
) -> pd.DataFrame:
    """The succession pool of every position (or position class), ranked.

    Parameters
    ----------
    scores : DenseScores or CandidateScores
        Scores from :func:`asn_match.score`. On streamed scores the pools draw on each
        position's candidates, as :func:`asn_match.succession` does.
    employees : Employees, DataFrame or path, optional
        The scored employees again, for the 9-box: a raw table lets ``nine_box_policy``
        band SKP predicates by meaning. Default None: ``scores.employees``.
    boxes : sequence of int, default=(7, 8, 9)
        The talent boxes whose employees may join a pool.
    k : int, optional
        Members per position (or class); default all.
    by : {"position", "class"}, default="position"
        One pool per position, or per position class: the members of the pools of the
        class's positions, each once, at the position where they rank best.
    nine_box_policy : NineBoxPolicy or dict, optional
        The 9-box cut-offs and numbering; default ``NineBoxPolicy()``.
    readiness : ReadinessPolicy or dict, optional
        The readiness bands of :func:`asn_match.succession` (the class fit).
    min_performance : float, default=76
        The performance (0-100) of "baik" that both years must reach (module docstring).
    min_training_hours : float or None, default=20
        Development hours of the year a member must have taken where known; None: no rule.
    previous_performance : str, default="performance_previous"
        The descriptive employees column of last year's performance (``info_`` prefix optional);
        absent or empty: not checked.
    allowed, forbidden : optional
        Restrict or exclude pairs, as in :func:`asn_match.recommend`.

    Returns
    -------
    DataFrame
        The columns of :func:`asn_match.succession` (``rank`` renumbered within the pool),
        then ``box``, ``box_label``, ``performance``, ``performance_previous``,
        ``years_checked`` (1 or 2: years of the performance rule the data allowed),
        ``training_hours`` and ``development_met``. With ``by="class"``, a first column
        ``position_class``; ``position_id`` is the member's best position of the class.

    Examples
    --------
    >>> import asn_match as am
    >>> scores = am.score(*am.datasets.synthetic_workforce(60, 6, seed=3))
    >>> pools = succession_pools(scores)
    >>> set(pools["box"].dropna()) <= {7, 8, 9}
    True
    >>> bool((pools["performance"] >= 76).all())
    True
    """
    caller = "succession_pools"
    if not isinstance(scores, (DenseScores, CandidateScores)):
        raise InvalidParameterError(
            "scores", caller, "Scores from asn_match.score", type(scores).__name__
        )
    chosen = _check_boxes(boxes, caller)
    k = check_int(k, "k", caller, minimum=1, allow_none=True)
    by = check_choice(by, "by", caller, ("position", "class"))
    box_policy = check_policy(nine_box_policy, NineBoxPolicy, caller)
    bands = check_policy(readiness, ReadinessPolicy, caller)
    min_performance = check_real(min_performance, "min_performance", caller, minimum=0, maximum=100)
    min_training_hours = check_real(
        min_training_hours, "min_training_hours", caller, minimum=0, allow_none=True
    )
    if not isinstance(previous_performance, str):
        raise InvalidParameterError(
            "previous_performance", caller, "a column name (str)", previous_performance
        )
    members = _Members(scores, employees, chosen, box_policy, min_performance,
                       min_training_hours, previous_performance, caller)  # fmt: skip
    pool = _pool_rows(scores, members, bands, allowed, forbidden)
    if by == "class":
        pool = _by_class(scores, pool)
        group = "position_class"
    else:
        group = "position_id"
    pool["rank"] = pool.groupby(group, observed=True, sort=False).cumcount().astype(np.int64) + 1
    if k is not None:
        pool = pool[pool["rank"] <= k].reset_index(drop=True)
    return pool


def _by_class(scores: Scores, pool: pd.DataFrame) -> pd.DataFrame:
    """One pool per position class: each member once, at their best position of the class."""
    classes = np.asarray(scores.positions.position_class, dtype=object)
    cols = id_index(scores.positions.ids).get_indexer(pd.Index(pool["position_id"].astype(str)))
    rows = id_index(scores.employees.ids).get_indexer(pd.Index(pool["employee_id"].astype(str)))
    label = np.where(pd.isna(classes[cols]), "(no class)", classes[cols]).astype(object)
    band = pd.Series(pool["readiness"]).map({b: i for i, b in enumerate(READINESS_BANDS)})
    composite = np.round(pool["composite"].to_numpy(dtype=np.float64), RANK_DECIMALS)
    tiebreak = scores._prepared.employee_tiebreak[rows]
    order = np.lexsort((tiebreak, -composite, band.to_numpy(), label))
    ranked = pool.iloc[order].reset_index(drop=True)
    ranked.insert(0, "position_class", label[order])
    return ranked.drop_duplicates(["position_class", "employee_id"]).reset_index(drop=True)


def pool_strength(
    scores: Scores,
    employees: EmployeesLike | None = None,
    **options: object,
) -> pd.DataFrame:
    """Bench strength of every position, with the bench of its succession pool.

    Parameters
    ----------
    scores : DenseScores or CandidateScores
    employees : Employees, DataFrame or path, optional
        As in :func:`succession_pools`.
    **options
        The options of :func:`succession_pools` (``boxes``, ``nine_box_policy``,
        ``readiness``, ``min_performance``, ``min_training_hours``,
        ``previous_performance``, ``allowed``, ``forbidden``); ``k`` and ``by`` are not
        taken.

    Returns
    -------
    DataFrame
        The columns of :func:`asn_match.bench_strength` (one row per position in table order:
        every successor, pool or not), then ``pool_ready_now`` and ``pool_ready_later`` (pool
        members ready now and ready after development) and ``bench``: "ready now" when the pool
        holds a member ready now, "ready later" when it holds only members ready after
        development, "none" when it is empty.

    Examples
    --------
    >>> import asn_match as am
    >>> scores = am.score(*am.datasets.synthetic_workforce(60, 6, seed=3))
    >>> strength = pool_strength(scores)
    >>> set(strength["bench"]) <= {"ready now", "ready later", "none"}
    True
    >>> bool((strength["pool_ready_now"] <= strength["ready_now"]).all())
    True
    """
    caller = "pool_strength"
    for name in ("k", "by"):
        if name in options:
            raise InvalidParameterError(
                name, caller, "not given (a bench counts every member of each position)",
                options[name],
            )  # fmt: skip
    pool = succession_pools(scores, employees, **options)  # type: ignore[arg-type]
    bench = bench_strength(
        scores,
        policy=options.get("readiness"),  # type: ignore[arg-type]
        allowed=options.get("allowed"),  # type: ignore[arg-type]
        forbidden=options.get("forbidden"),  # type: ignore[arg-type]
    )
    m = scores.shape[1]
    cols = id_index(scores.positions.ids).get_indexer(pd.Index(pool["position_id"].astype(str)))
    now = pool["readiness"].to_numpy(dtype=object) == READINESS_BANDS[0]
    bench["pool_ready_now"] = np.bincount(cols[now], minlength=m).astype(np.int64)
    bench["pool_ready_later"] = np.bincount(cols[~now], minlength=m).astype(np.int64)
    level = np.where(bench["pool_ready_now"] > 0, 0, np.where(bench["pool_ready_later"] > 0, 1, 2))
    bench["bench"] = np.array(BENCH_LEVELS, dtype=object)[level]
    return bench
