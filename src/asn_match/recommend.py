"""Ranked candidates, succession lists with readiness bands, and bench strength.

Everything here ranks by the composite score (the merit score placement maximises), ties by the
neutral tie-break of :mod:`asn_match.tiebreak` (a keyed hash of the id): the order never depends on
the row order of the input nor on the digits of a NIP.

Readiness bands
---------------
A succession candidate for a position is in one of three bands (:data:`READINESS_BANDS`), by the
rules of a :class:`ReadinessPolicy` (defaults in brackets):

- **ready now**: eligible for the position and in a JPM category at least as good as
  ``ready_now_category`` [0, the top category, e.g. "Memenuhi Syarat"];
- **ready after development**: not ready now, eligible (unless ``require_eligible=False``
  [True]; rank and education minimums are not closed by training), and either in a category at
  least as good as ``development_category`` [1, the middle category] or with every competency
  gap at most ``max_gap_levels`` levels [None: off] (gaps that development closes; DOMAIN.md:
  at least 20 lesson hours a year);
- **not ready**: everyone else.

The current holders of a position are not its successors and are left out of its list.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from .kernels.topk import top_k_per_column, top_k_per_row

__all__ = [
    "READINESS_BANDS",
    "ReadinessPolicy",
    "bench_strength",
    "competency_gaps",
    "readiness_bands",
    "recommend",
    "succession",
]

#: Readiness band labels, best first; band codes index this tuple.
READINESS_BANDS: tuple[str, str, str] = ("ready now", "ready after development", "not ready")

# Ranking keys put bands apart by more than any composite (0-100) can span.
_BAND_OFFSET = 1000.0


class ReadinessPolicy(BaseModel):
    """Rules of the readiness bands (see the module docstring).

    Parameters
    ----------
    ready_now_category : int, default=0
        Worst category code (0 = best of ``config.category_labels``) that is ready now.
    development_category : int, default=1
        Worst category code that is ready after development; >= ``ready_now_category``.
    max_gap_levels : float or None, default=None
        When set, a candidate whose largest competency gap (standard minus assessed level,
        over the competencies the position requires) is at most this many levels is also ready
        after development, whatever the category.
    require_eligible : bool, default=True
        Only eligible candidates can be ready after development. ``False`` lets a candidate who
        misses a minimum (rank, education, ...) count as ready after development on competence.

    Examples
    --------
    >>> policy = ReadinessPolicy(max_gap_levels=1)
    >>> policy.ready_now_category, policy.max_gap_levels
    (0, 1.0)
    >>> ReadinessPolicy.model_validate_json(policy.model_dump_json()) == policy
    True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ready_now_category: int = Field(default=0, ge=0, le=2)
    development_category: int = Field(default=1, ge=0, le=2)
    max_gap_levels: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    require_eligible: StrictBool = True

    @model_validator(mode="after")
    def _ordered(self) -> ReadinessPolicy:
        if self.development_category < self.ready_now_category:
            raise ValueError(
                "The 'development_category' parameter of ReadinessPolicy must be >= "
                f"ready_now_category ({self.ready_now_category}). Got "
                f"{self.development_category!r} instead."
            )
        return self


# ----------------------------------------------------------------------------- helpers


def _bad_param(name: str, caller: str, constraint: str, value) -> ValueError:
    return ValueError(
        f"The {name!r} parameter of {caller} must be {constraint}. Got {value!r} instead."
    )


def _check_dense(scores, caller: str) -> None:
    if not getattr(scores, "is_dense", False):
        raise ValueError(
            f"{caller} needs dense scores (every pair kept); these scores are streamed or not a "
            "Scores object. Score with am.score(..., dense=True), or use Scores.top_k for the "
            "candidates a streamed scoring kept."
        )


def _check_k(k, caller: str) -> int:
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
        raise _bad_param("k", caller, "an int >= 1", k)
    return int(k)


def _check_by(by, caller: str) -> str:
    if by not in ("position", "employee"):
        raise _bad_param("by", caller, "a str among {'position', 'employee'}", by)
    return by


def _check_policy(policy, caller: str) -> ReadinessPolicy:
    if policy is None:
        return ReadinessPolicy()
    if isinstance(policy, Mapping):
        return ReadinessPolicy.model_validate(dict(policy))
    if not isinstance(policy, ReadinessPolicy):
        raise _bad_param("policy", caller, "None, a ReadinessPolicy or a dict", policy)
    return policy


def _id_index(ids) -> pd.Index:
    return pd.Index(np.asarray(ids, dtype=object).astype(str))


def _pair_mask(scores, items, name: str, caller: str) -> np.ndarray:
    """Boolean (n_employees, n_positions) mask of the pairs ``items`` names.

    Items: an employee id (every position of that employee), a position id (every employee for
    that position), or an (employee_id, position_id) pair; or a DataFrame / path of pairs.
    """
    from .errors import InputError, Problem

    n, m = scores.shape
    employees, positions = _id_index(scores.employees.ids), _id_index(scores.positions.ids)
    if isinstance(items, (pd.DataFrame, str)) or hasattr(items, "__fspath__"):
        if isinstance(items, str) and (items in employees or items in positions):
            items = [items]
        else:
            from .io import read_pairs

            items = read_pairs(items, what=name)
    mask = np.zeros((n, m), dtype=bool)
    problems = []
    for t, item in enumerate(items):
        if isinstance(item, str) or not hasattr(item, "__len__"):
            key = str(item)
            target = pd.Index([key])
            i, j = employees.get_indexer(target)[0], positions.get_indexer(target)[0]
            if i >= 0 and j >= 0:
                raise ValueError(
                    f"The {name!r} parameter of {caller} names {key!r}, which is both an employee "
                    "and a position id. Give the pair (employee_id, position_id) instead."
                )
            if i >= 0:
                mask[i] = True
            elif j >= 0:
                mask[:, j] = True
            else:
                problems.append(
                    Problem(
                        name,
                        f"item {t + 1}: {key!r} is neither an employee id "
                        "nor a position id of the scores.",
                        value=key,
                        code="unknown_id",
                        expected="a scored id",
                        record_id=key,
                    )
                )
            continue
        if len(item) != 2:
            raise _bad_param(name, caller, "ids or (employee_id, position_id) pairs", item)
        e, p = str(item[0]), str(item[1])
        i, j = employees.get_indexer(pd.Index([e]))[0], positions.get_indexer(pd.Index([p]))[0]
        if i < 0 or j < 0:
            bad = e if i < 0 else p
            problems.append(
                Problem(
                    name,
                    f"item {t + 1}: {bad!r} is not an id of the scored "
                    f"{'employees' if i < 0 else 'positions'}.",
                    value=bad,
                    code="unknown_id",
                    expected="a scored id",
                    record_id=bad,
                )
            )
            continue
        mask[i, j] = True
    if problems:
        raise InputError(problems)
    return mask


def _candidate_mask(scores, allow, block, eligible_only: bool, caller: str) -> np.ndarray:
    mask = np.array(scores.eligible, dtype=bool) if eligible_only else np.ones(scores.shape, bool)
    if allow is not None:
        mask &= _pair_mask(scores, allow, "allow", caller)
    if block is not None:
        mask &= ~_pair_mask(scores, block, "block", caller)
    return mask


def _holders(scores) -> np.ndarray:
    """Current position index of each employee among the scored positions, -1 if none."""
    current = pd.Series(scores.employees.current_position_id, dtype=object)
    index = (
        _id_index(scores.positions.ids).get_indexer(pd.Index(current.astype(str))).astype(np.intp)
    )
    index[current.isna().to_numpy()] = -1
    return index


def _tiebreak(ids) -> np.ndarray:
    from .tiebreak import tiebreak_rank

    return tiebreak_rank(np.asarray(ids, dtype=object)).astype(np.int64)


def _pairs_frame(scores, rows, cols, rank, by: str, extra: dict | None = None) -> pd.DataFrame:
    labels = np.array(scores.config.category_labels, dtype=object)
    e_ids = np.asarray(scores.employees.ids, dtype=object)
    p_ids = np.asarray(scores.positions.ids, dtype=object)
    current = np.asarray(scores.employees.current_position_id, dtype=object)
    holders = _holders(scores)
    reasons = np.array(
        [
            "; ".join(scores.reason_text(int(i), int(j))) if not ok else ""
            for i, j, ok in zip(rows, cols, scores.eligible[rows, cols], strict=True)
        ],
        dtype=object,
    )
    lead = {"position_id": p_ids[cols], "rank": rank, "employee_id": e_ids[rows]}
    if by == "employee":
        lead = {"employee_id": e_ids[rows], "rank": rank, "position_id": p_ids[cols]}
    frame = {
        **lead,
        **(extra or {}),
        "composite": scores.composite[rows, cols],
        "jpm": scores.jpm[rows, cols],
        "category": labels[scores.category_code[rows, cols]],
        "eligible": scores.eligible[rows, cols],
        "reasons": reasons,
        "current_position_id": current[rows],
        "incumbent": holders[rows] == cols,
    }
    return pd.DataFrame(frame)


# ----------------------------------------------------------------------------- public API


def recommend(
    scores,
    *,
    k: int = 5,
    by: str = "position",
    allow=None,
    block=None,
    eligible_only: bool = True,
) -> pd.DataFrame:
    """The ``k`` best candidates of each position, or the ``k`` best positions of each employee.

    Parameters
    ----------
    scores : Scores
        Dense scores from :func:`asn_match.score`.
    k : int, default=5
        How many per position (or per employee).
    by : {"position", "employee"}, default="position"
        Rank employees for each position, or positions for each employee.
    allow : iterable, DataFrame or path, optional
        Only these pairs may be listed: employee ids (all their pairs), position ids, or
        (employee_id, position_id) pairs; a DataFrame or file with columns ``employee_id`` and
        ``position_id``.
    block : iterable, DataFrame or path, optional
        Pairs never listed, in the same forms as ``allow``.
    eligible_only : bool, default=True
        List eligible pairs only. ``False`` ranks every pair; ineligible ones carry their
        ``reasons``.

    Returns
    -------
    DataFrame
        ``by="position"``: ``position_id``, ``rank`` (1 = best), ``employee_id``, then
        ``composite``, ``jpm``, ``category``, ``eligible``, ``reasons`` (why ineligible, empty
        otherwise), ``current_position_id`` and ``incumbent`` (the employee holds this position
        now). ``by="employee"``: ``employee_id``, ``rank``, ``position_id``, then the same.
        Positions (or employees) in table order, each by rank: composite descending, ties by
        the neutral tie-break.

    Examples
    --------
    >>> from asn_match.scoring import score
    >>> from asn_match.datasets import synthetic_workforce
    >>> scores = score(*synthetic_workforce(40, 6, seed=3))
    >>> best = recommend(scores, k=3)
    >>> best.columns[:3].tolist(), bool((best.groupby("position_id").size() <= 3).all())
    (['position_id', 'rank', 'employee_id'], True)
    >>> mine = recommend(scores, k=2, by="employee", block=[scores.positions.ids[0]])
    >>> scores.positions.ids[0] in set(mine["position_id"])
    False
    """
    caller = "recommend"
    _check_dense(scores, caller)
    k = _check_k(k, caller)
    by = _check_by(by, caller)
    if not isinstance(eligible_only, (bool, np.bool_)):
        raise _bad_param("eligible_only", caller, "True or False", eligible_only)
    mask = _candidate_mask(scores, allow, block, bool(eligible_only), caller)
    n, m = scores.shape
    if n == 0 or m == 0:
        return _pairs_frame(
            scores, np.empty(0, np.intp), np.empty(0, np.intp), np.empty(0, np.int64), by
        )
    values = np.round(np.asarray(scores.composite, dtype=np.float64), 9)
    if by == "position":
        index, _ = top_k_per_column(values, k, mask=mask, tiebreak=_tiebreak(scores.employees.ids))
    else:
        index, _ = top_k_per_row(values, k, mask=mask, tiebreak=_tiebreak(scores.positions.ids))
    owner, slot = np.nonzero(index >= 0)
    other = index[owner, slot]
    rows, cols = (other, owner) if by == "position" else (owner, other)
    return _pairs_frame(
        scores, rows.astype(np.intp), cols.astype(np.intp), (slot + 1).astype(np.int64), by
    )


def _aligned_levels(scores) -> tuple[np.ndarray, np.ndarray]:
    """Levels (n, K) and standards (m, K) over the positions' competency codes."""
    employees, positions = scores.employees, scores.positions
    where = {code: t for t, code in enumerate(employees.codes)}
    levels = np.full((len(employees), len(positions.codes)), np.nan)
    for t, code in enumerate(positions.codes):
        if code in where:
            levels[:, t] = employees.levels[:, where[code]]
    return levels, np.asarray(positions.standard, dtype=np.float64)


def competency_gaps(scores) -> np.ndarray:
    """Largest competency gap of every pair, in levels.

    Parameters
    ----------
    scores : Scores
        Dense scores.

    Returns
    -------
    ndarray of shape (n_employees, n_positions), float64
        max over the competencies the position requires of (standard - assessed level), at
        least 0; a competency that was not assessed counts as level 0.

    Examples
    --------
    >>> from asn_match.scoring import score
    >>> from asn_match.datasets import synthetic_workforce
    >>> gaps = competency_gaps(score(*synthetic_workforce(10, 3, seed=1)))
    >>> gaps.shape, bool((gaps >= 0).all())
    ((10, 3), True)
    """
    levels, standard = _aligned_levels(scores)
    levels = np.nan_to_num(levels, nan=0.0)
    required = ~np.isnan(standard)
    standard0 = np.where(required, standard, -np.inf)
    n, m = levels.shape[0], standard.shape[0]
    gaps = np.zeros((n, m))
    step = max(1, (1 << 22) // max(m * max(standard.shape[1], 1), 1))
    for start in range(0, n, step):
        block = standard0[None, :, :] - levels[start : start + step, None, :]
        gaps[start : start + step] = np.maximum(block.max(axis=2, initial=0.0), 0.0)
    return gaps


def readiness_bands(
    eligible, category_code, *, policy: ReadinessPolicy | None = None, gaps=None
) -> np.ndarray:
    """Readiness band of every pair (array core of :func:`succession`).

    Parameters
    ----------
    eligible : array-like of bool of shape (n_employees, n_positions)
    category_code : array-like of int of shape (n_employees, n_positions)
        0 = best category.
    policy : ReadinessPolicy, optional
        The band rules; default ``ReadinessPolicy()``.
    gaps : array-like of shape (n_employees, n_positions), optional
        Largest competency gap of each pair (:func:`competency_gaps`); needed when
        ``policy.max_gap_levels`` is set.

    Returns
    -------
    ndarray of shape (n_employees, n_positions), int8
        Index into :data:`READINESS_BANDS`.

    Examples
    --------
    >>> import numpy as np
    >>> bands = readiness_bands(np.array([[True, True, False]]), np.array([[0, 1, 0]]))
    >>> [READINESS_BANDS[b] for b in bands[0]]
    ['ready now', 'ready after development', 'not ready']
    """
    policy = _check_policy(policy, "readiness_bands")
    eligible = np.asarray(eligible, dtype=bool)
    category_code = np.asarray(category_code)
    ready_now = eligible & (category_code <= policy.ready_now_category)
    developable = category_code <= policy.development_category
    if policy.max_gap_levels is not None:
        if gaps is None:
            raise ValueError(
                "readiness_bands needs 'gaps' when policy.max_gap_levels is set. Pass "
                "competency_gaps(scores)."
            )
        developable = developable | (np.asarray(gaps) <= policy.max_gap_levels + 1e-9)
    if policy.require_eligible:
        developable = developable & eligible
    return np.where(ready_now, 0, np.where(developable, 1, 2)).astype(np.int8)


def _bands(scores, policy: ReadinessPolicy) -> np.ndarray:
    gaps = competency_gaps(scores) if policy.max_gap_levels is not None else None
    return readiness_bands(scores.eligible, scores.category_code, policy=policy, gaps=gaps)


def _not_holder(scores) -> np.ndarray:
    holders = _holders(scores)
    return holders[:, None] != np.arange(scores.shape[1])[None, :]


def succession(
    scores,
    *,
    k: int = 5,
    policy: ReadinessPolicy | dict | None = None,
    allow=None,
    block=None,
    include_not_ready: bool = False,
) -> pd.DataFrame:
    """Succession list of every position: the best ``k`` successors with their readiness.

    Parameters
    ----------
    scores : Scores
        Dense scores from :func:`asn_match.score`.
    k : int, default=5
        Successors per position.
    policy : ReadinessPolicy or dict, optional
        The band rules (module docstring); default ``ReadinessPolicy()``.
    allow, block : optional
        Restrict or exclude candidates, as in :func:`recommend`.
    include_not_ready : bool, default=False
        Also list "not ready" candidates when a position has fewer than ``k`` ready ones.

    Returns
    -------
    DataFrame
        ``position_id``, ``rank``, ``employee_id``, ``readiness`` (a label of
        :data:`READINESS_BANDS`), ``gap`` (largest competency gap in levels), then the columns
        of :func:`recommend`. Ranked by band, then composite descending, ties by the neutral
        tie-break; current holders of the position are left out.

    Examples
    --------
    >>> from asn_match.scoring import score
    >>> from asn_match.datasets import synthetic_workforce
    >>> scores = score(*synthetic_workforce(40, 6, seed=3))
    >>> table = succession(scores, k=3)
    >>> set(table["readiness"]) <= {"ready now", "ready after development"}
    True
    """
    caller = "succession"
    _check_dense(scores, caller)
    k = _check_k(k, caller)
    policy = _check_policy(policy, caller)
    if not isinstance(include_not_ready, (bool, np.bool_)):
        raise _bad_param("include_not_ready", caller, "True or False", include_not_ready)
    n, m = scores.shape
    bands = _bands(scores, policy)
    mask = _candidate_mask(scores, allow, block, False, caller) & _not_holder(scores)
    if not include_not_ready:
        mask &= bands < 2
    gaps = competency_gaps(scores)
    if n == 0 or m == 0:
        rows = cols = np.empty(0, np.intp)
        rank = np.empty(0, np.int64)
    else:
        key = np.round(np.asarray(scores.composite, dtype=np.float64), 9) - _BAND_OFFSET * bands
        index, _ = top_k_per_column(key, k, mask=mask, tiebreak=_tiebreak(scores.employees.ids))
        owner, slot = np.nonzero(index >= 0)
        rows, cols = index[owner, slot].astype(np.intp), owner.astype(np.intp)
        rank = (slot + 1).astype(np.int64)
    extra = {
        "readiness": np.array(READINESS_BANDS, dtype=object)[bands[rows, cols]],
        "gap": gaps[rows, cols],
    }
    return _pairs_frame(scores, rows, cols, rank, "position", extra)


def bench_strength(
    scores,
    *,
    policy: ReadinessPolicy | dict | None = None,
    allow=None,
    block=None,
) -> pd.DataFrame:
    """How many successors each position has in each readiness band.

    Parameters
    ----------
    scores : Scores
        Dense scores from :func:`asn_match.score`.
    policy : ReadinessPolicy or dict, optional
        The band rules; default ``ReadinessPolicy()``.
    allow, block : optional
        Restrict or exclude candidates, as in :func:`recommend`.

    Returns
    -------
    DataFrame
        One row per position in table order: ``position_id``, ``seats``, ``holders`` (current
        holders), ``ready_now``, ``ready_after_development``, ``not_ready`` (candidates other
        than the holders), and ``bench_strength``: ready-now successors per seat.

    Examples
    --------
    >>> from asn_match.scoring import score
    >>> from asn_match.datasets import synthetic_workforce
    >>> scores = score(*synthetic_workforce(40, 6, seed=3))
    >>> bench = bench_strength(scores)
    >>> len(bench) == 6, bool((bench["ready_now"] >= 0).all())
    (True, True)
    """
    caller = "bench_strength"
    _check_dense(scores, caller)
    policy = _check_policy(policy, caller)
    n, m = scores.shape
    bands = _bands(scores, policy)
    mask = _candidate_mask(scores, allow, block, False, caller) & _not_holder(scores)
    counts = [np.count_nonzero(mask & (bands == b), axis=0) for b in range(3)]
    holders = _holders(scores)
    seats = np.asarray(scores.positions.seats, dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        strength = np.where(seats > 0, counts[0] / np.maximum(seats, 1), np.nan)
    return pd.DataFrame(
        {
            "position_id": np.asarray(scores.positions.ids, dtype=object),
            "seats": seats,
            "holders": np.bincount(holders[holders >= 0], minlength=m)[:m].astype(np.int64),
            "ready_now": counts[0].astype(np.int64),
            "ready_after_development": counts[1].astype(np.int64),
            "not_ready": counts[2].astype(np.int64),
            "bench_strength": strength,
        }
    )
