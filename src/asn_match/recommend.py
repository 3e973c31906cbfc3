"""Ranked candidates, succession lists with readiness bands, and bench strength.

Everything here ranks by the composite score (the merit score placement maximises) rounded to
:data:`~asn_match.rules.RANK_DECIMALS` decimals, ties by the neutral tie-break of
:mod:`asn_match.tiebreak` (a keyed hash of the id): the ranking of :meth:`Scores.top_k
<asn_match.scoring.Scores.top_k>`, so the two never disagree, and the order never depends on the
row order of the input nor on the digits of a NIP.

Pair options ``allowed`` and ``forbidden`` are read by :class:`asn_match.pairs.PairIndex`:
``(employee_id, position_id)`` pairs, a dict ``{employee_id: position_id or [position_id,
...]}`` (pairs), a DataFrame or file of pairs, or a bare employee (position) id for all its pairs.

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

Streamed scores
---------------
Every function here accepts both kinds of :class:`~asn_match.scoring.Scores`. On
:class:`~asn_match.scoring.CandidateScores` (a streamed scoring) they rank among the candidate
pairs, the ``top_k`` best eligible positions of each employee and eligible employees of each
position that the stream kept, and never score the full matrix:

- :func:`recommend` with ``k <= top_k`` gives the very rows dense scores give (every list of at
  most ``top_k`` is whole among the candidates); ``allowed`` and ``forbidden`` filter the
  candidates, so a list they shorten is not refilled from pairs the stream did not keep;
- :func:`succession` ranks each position's candidates by band, then composite: a successor
  outside the ``top_k`` by composite of the position and of the employee is not listed;
- :func:`bench_strength` counts the candidates of each band: lower bounds of the dense counts.

Lists longer than the ``top_k`` of the scoring are refused (score again with a larger
``top_k``), and so are ineligible pairs (``eligible_only=False``), which a stream never keeps.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping
from typing import NamedTuple, Union

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from ._checks import check_bool, check_choice, check_int
from .errors import InvalidParameterError
from .kernels.topk import rank_values, top_k_per_column
from .pairs import PairIndex, id_index
from .scoring import CandidateScores, DenseScores, RankedBy, Scores

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

#: What ``allowed`` and ``forbidden`` accept (see :mod:`asn_match.pairs`).
Pairs = Union[Iterable[object], Mapping[str, object], pd.DataFrame, str, "os.PathLike[str]", None]


def _check_scores(scores: object, caller: str) -> DenseScores | CandidateScores:
    if not isinstance(scores, (DenseScores, CandidateScores)):
        raise InvalidParameterError(
            "scores", caller, "Scores from asn_match.score", type(scores).__name__
        )
    return scores


def _check_policy(policy: object, caller: str) -> ReadinessPolicy:
    if policy is None:
        return ReadinessPolicy()
    if isinstance(policy, Mapping):
        return ReadinessPolicy.model_validate(dict(policy))
    if not isinstance(policy, ReadinessPolicy):
        raise InvalidParameterError("policy", caller, "None, a ReadinessPolicy or a dict", policy)
    return policy


def _pair_options(
    allowed: Pairs, forbidden: Pairs, allow: Pairs, block: Pairs, caller: str
) -> tuple[Pairs, Pairs]:
    """``allowed`` and ``forbidden``, with the deprecated ``allow`` and ``block`` folded in."""
    for old, new, value, current in (
        ("allow", "allowed", allow, allowed),
        ("block", "forbidden", block, forbidden),
    ):
        if value is None:
            continue
        warnings.warn(
            f"The {old!r} parameter of {caller} is deprecated and will be removed in 0.3; use "
            f"{new!r} instead.",
            DeprecationWarning,
            stacklevel=3,
        )
        if current is not None:
            raise InvalidParameterError(
                old, caller, f"None when {new!r} is given", value, fix=f"Give {new!r} only."
            )
    return (allow if allow is not None else allowed), (block if block is not None else forbidden)


def _candidate_mask(
    scores: DenseScores, allowed: Pairs, forbidden: Pairs, eligible_only: bool, caller: str
) -> np.ndarray:
    """The pairs a dense list may hold, shape (n_employees, n_positions)."""
    mask = np.array(scores.eligible, dtype=bool) if eligible_only else np.ones(scores.shape, bool)
    index = PairIndex(scores.employees.ids, scores.positions.ids)
    if allowed is not None:
        mask &= index.mask(allowed, "allowed", caller, bare_ids=True)
    if forbidden is not None:
        mask &= ~index.mask(forbidden, "forbidden", caller, bare_ids=True)
    return mask


def _kept_mask(
    scores: CandidateScores, allowed: Pairs, forbidden: Pairs, caller: str
) -> np.ndarray:
    """The candidate pairs a list may hold, shape (n_pairs,): ``allowed`` and not ``forbidden``."""
    c = scores.candidates
    keep = np.ones(len(c), dtype=bool)
    if allowed is None and forbidden is None:
        return keep
    m = scores.shape[1]
    key = c.employee_index.astype(np.int64) * m + c.position_index
    index = PairIndex(scores.employees.ids, scores.positions.ids)
    for items, name, wanted in ((allowed, "allowed", True), (forbidden, "forbidden", False)):
        if items is not None:
            rows, cols = index.pairs(items, name, caller, bare_ids=True)
            listed = np.isin(key, rows.astype(np.int64) * m + cols)
            keep &= listed if wanted else ~listed
    return keep


def _not_eligible_only(caller: str) -> ValueError:
    return ValueError(
        f"{caller}(eligible_only=False) needs dense scores: a streamed scoring keeps eligible "
        "pairs only. Score again with dense=True."
    )


def _holders(scores: Scores) -> np.ndarray:
    """Current position index of each employee among the scored positions, -1 if none."""
    current = pd.Series(scores.employees.current_position_id, dtype=object)
    index = id_index(scores.positions.ids).get_indexer(pd.Index(current.astype(str)))
    index = index.astype(np.intp)
    index[current.isna().to_numpy()] = -1
    return index


def _pair_columns(
    scores: DenseScores | CandidateScores, rows: np.ndarray, cols: np.ndarray, index: np.ndarray
) -> dict[str, np.ndarray]:
    """The per-pair arrays of a list: dense at ``(rows, cols)``, or candidates ``index``."""
    if isinstance(scores, DenseScores):
        return {name: values[rows, cols] for name, values in scores._dense_columns().items()}
    return scores._pair_columns(index)


def _pairs_frame(
    scores: Scores,
    rows: np.ndarray,
    cols: np.ndarray,
    rank: np.ndarray,
    columns: dict[str, np.ndarray],
    extra: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """The pair frame of :meth:`Scores.top_k`, with the holder columns of these lists."""
    current = np.asarray(scores.employees.current_position_id, dtype=object)
    tail = {"current_position_id": current[rows], "incumbent": _holders(scores)[rows] == cols}
    return scores._pair_frame(rows, cols, columns, rank=rank, extra=extra, tail=tail)


# ----------------------------------------------------------------------------- public API


def recommend(
    scores: Scores,
    *,
    k: int = 5,
    by: RankedBy = "position",
    allowed: Pairs = None,
    forbidden: Pairs = None,
    eligible_only: bool = True,
    allow: Pairs = None,
    block: Pairs = None,
) -> pd.DataFrame:
    """The ``k`` best candidates of each position, or the ``k`` best positions of each employee.

    Parameters
    ----------
    scores : DenseScores or CandidateScores
        Scores from :func:`asn_match.score`; on streamed scores, the lists rank the candidate
        pairs (module docstring) and ``k`` is at most their ``top_k``.
    k : int, default=5
        How many per position (or per employee).
    by : {"position", "employee"}, default="position"
        Rank employees for each position, or positions for each employee.
    allowed : pairs, dict, DataFrame or path, optional
        Only these pairs may be listed: (employee_id, position_id) pairs, a dict
        ``{employee_id: position_id or [position_id, ...]}``, a DataFrame or file with columns
        ``employee_id`` and ``position_id``, or bare employee (position) ids for all their pairs.
    forbidden : optional
        Pairs never listed, in the same forms as ``allowed``.
    eligible_only : bool, default=True
        List eligible pairs only. ``False`` ranks every pair; ineligible ones carry their
        ``reasons`` (dense scores only).
    allow, block : optional
        Deprecated aliases of ``allowed`` and ``forbidden`` (removed in 0.3).

    Returns
    -------
    DataFrame
        ``employee_id``, ``position_id``, ``rank`` (1 = best), ``jpm``, ``category``,
        ``composite``, ``eligible``, ``reasons`` (why ineligible, empty otherwise),
        ``current_position_id`` and ``incumbent`` (the employee holds this position now).
        Positions (``by="position"``) or employees (``by="employee"``) in table order, each by
        rank: the ranking of :meth:`Scores.top_k <asn_match.scoring.Scores.top_k>` (composite to
        ``RANK_DECIMALS`` decimals, descending, ties by the neutral tie-break).

    Examples
    --------
    >>> from asn_match.scoring import score
    >>> from asn_match.datasets import synthetic_workforce
    >>> scores = score(*synthetic_workforce(40, 6, seed=3))
    >>> best = recommend(scores, k=3)
    >>> best.columns[:6].tolist()
    ['employee_id', 'position_id', 'rank', 'jpm', 'category', 'composite']
    >>> bool((best.groupby("position_id", observed=True).size() <= 3).all())
    True
    >>> mine = recommend(scores, k=2, by="employee", forbidden=[scores.positions.ids[0]])
    >>> scores.positions.ids[0] in set(mine["position_id"])
    False
    """
    caller = "recommend"
    scores = _check_scores(scores, caller)
    k = check_int(k, "k", caller, minimum=1)
    by = check_choice(by, "by", caller, ("position", "employee"))
    eligible_only = check_bool(eligible_only, "eligible_only", caller)
    allowed, forbidden = _pair_options(allowed, forbidden, allow, block, caller)
    if isinstance(scores, DenseScores):
        mask = _candidate_mask(scores, allowed, forbidden, eligible_only, caller)
        rows, cols, rank = scores._ranked_pairs(k, by, mask)
        index = np.empty(0, dtype=np.intp)
    else:
        if not eligible_only:
            raise _not_eligible_only(caller)
        scores._check_kept(k, caller)
        index, rank = scores._ranked(k, by, _kept_mask(scores, allowed, forbidden, caller))
        rows, cols = (
            scores.candidates.employee_index[index],
            scores.candidates.position_index[index],
        )
    return _pairs_frame(scores, rows, cols, rank, _pair_columns(scores, rows, cols, index))


def competency_gaps(scores: Scores) -> np.ndarray:
    """Largest competency gap of every pair, in levels.

    Parameters
    ----------
    scores : Scores
        Dense or streamed: the gaps need only the levels and standards, for every pair.

    Returns
    -------
    ndarray of shape (n_employees, n_positions), float64
        max over the competencies the position requires of (standard - level), at least 0,
        with the levels as scored (:attr:`Scores.levels <asn_match.scoring.Scores.levels>`: a
        missing level resolved by ``config.missing_level``), the shortfalls of
        :meth:`Scores.breakdown <asn_match.scoring.Scores.breakdown>`.

    Examples
    --------
    >>> from asn_match.scoring import score
    >>> from asn_match.datasets import synthetic_workforce
    >>> gaps = competency_gaps(score(*synthetic_workforce(10, 3, seed=1)))
    >>> gaps.shape, bool((gaps >= 0).all())
    ((10, 3), True)
    """
    levels, standard = scores.levels, scores.standard_levels
    standard0 = _standard_or_none(standard)
    n, m = levels.shape[0], standard.shape[0]
    gaps = np.zeros((n, m))
    step = max(1, _GAP_CHUNK // max(m * max(standard.shape[1], 1), 1))
    for start in range(0, n, step):
        gaps[start : start + step] = _largest_gap(levels[start : start + step, None, :], standard0)
    return gaps


# Elements of the (pairs, competencies) differences a gap computation holds at once.
_GAP_CHUNK = 1 << 22


def _standard_or_none(standard: np.ndarray) -> np.ndarray:
    """Standards with -inf where not required: such a competency never makes a gap."""
    return np.where(np.isnan(standard), -np.inf, standard)


def _largest_gap(levels: np.ndarray, standard0: np.ndarray) -> np.ndarray:
    """max(standard - level, 0) over the last axis of broadcastable arrays."""
    return np.maximum((standard0 - levels).max(axis=-1, initial=0.0), 0.0)


def _pair_gaps(scores: Scores, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """:func:`competency_gaps` of the pairs ``(rows, cols)`` only, shape (n_pairs,)."""
    levels, standard0 = scores.levels, _standard_or_none(scores.standard_levels)
    gaps = np.zeros(len(rows))
    step = max(1, _GAP_CHUNK // max(levels.shape[1], 1))
    for start in range(0, len(rows), step):
        part = slice(start, start + step)
        gaps[part] = _largest_gap(levels[rows[part]], standard0[cols[part]])
    return gaps


def readiness_bands(
    eligible: ArrayLike,
    category_code: ArrayLike,
    *,
    policy: ReadinessPolicy | Mapping[str, object] | None = None,
    gaps: ArrayLike | None = None,
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


class _Bench(NamedTuple):
    """The pairs a succession list or bench may hold, with their band and gap.

    Dense: (n_employees, n_positions) arrays, ``rows`` and ``cols`` None. Streamed: one value per
    candidate pair, ``rows`` and ``cols`` their employee and position rows.
    """

    bands: np.ndarray
    gaps: np.ndarray
    mask: np.ndarray  # allowed, not forbidden, not the holder (and ready, when asked)
    rows: np.ndarray | None
    cols: np.ndarray | None


def _bench(
    scores: DenseScores | CandidateScores,
    policy: ReadinessPolicy,
    allowed: Pairs,
    forbidden: Pairs,
    caller: str,
    *,
    with_gaps: bool,
) -> _Bench:
    holders = _holders(scores)
    if isinstance(scores, DenseScores):
        need_gaps = with_gaps or policy.max_gap_levels is not None
        gaps = competency_gaps(scores) if need_gaps else np.zeros(0)
        bands = readiness_bands(
            scores.eligible,
            scores.category_code,
            policy=policy,
            gaps=gaps if policy.max_gap_levels is not None else None,
        )
        not_holder = holders[:, None] != np.arange(scores.shape[1])[None, :]
        mask = _candidate_mask(scores, allowed, forbidden, False, caller) & not_holder
        return _Bench(bands, gaps, mask, None, None)
    c = scores.candidates
    rows, cols = c.employee_index, c.position_index
    gaps = _pair_gaps(scores, rows, cols)
    bands = readiness_bands(c.eligible, c.category_code, policy=policy, gaps=gaps)
    mask = _kept_mask(scores, allowed, forbidden, caller) & (holders[rows] != cols)
    return _Bench(bands, gaps, mask, rows, cols)


def succession(
    scores: Scores,
    *,
    k: int = 5,
    policy: ReadinessPolicy | Mapping[str, object] | None = None,
    allowed: Pairs = None,
    forbidden: Pairs = None,
    include_not_ready: bool = False,
    allow: Pairs = None,
    block: Pairs = None,
) -> pd.DataFrame:
    """Succession list of every position: the best ``k`` successors with their readiness.

    Parameters
    ----------
    scores : DenseScores or CandidateScores
        Scores from :func:`asn_match.score`; on streamed scores, each position's list ranks
        its candidate pairs (module docstring) and ``k`` is at most their ``top_k``.
    k : int, default=5
        Successors per position.
    policy : ReadinessPolicy or dict, optional
        The band rules (module docstring); default ``ReadinessPolicy()``.
    allowed, forbidden : optional
        Restrict or exclude candidates, as in :func:`recommend`.
    include_not_ready : bool, default=False
        Also list "not ready" candidates when a position has fewer than ``k`` ready ones.
    allow, block : optional
        Deprecated aliases of ``allowed`` and ``forbidden`` (removed in 0.3).

    Returns
    -------
    DataFrame
        The columns of :func:`recommend`, with ``readiness`` (a label of
        :data:`READINESS_BANDS`) and ``gap`` (largest competency gap in levels) after
        ``composite``. Positions in table order, each ranked by band, then composite (to
        ``RANK_DECIMALS`` decimals) descending, ties by the neutral tie-break; current holders
        of the position are left out.

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
    scores = _check_scores(scores, caller)
    k = check_int(k, "k", caller, minimum=1)
    policy = _check_policy(policy, caller)
    include_not_ready = check_bool(include_not_ready, "include_not_ready", caller)
    allowed, forbidden = _pair_options(allowed, forbidden, allow, block, caller)
    if isinstance(scores, CandidateScores):
        scores._check_kept(k, caller)
    bench = _bench(scores, policy, allowed, forbidden, caller, with_gaps=True)
    mask = bench.mask if include_not_ready else bench.mask & (bench.bands < 2)
    labels = np.array(READINESS_BANDS, dtype=object)
    if isinstance(scores, DenseScores):
        # one ranking, bands first: a band apart is more than any composite (0-100) spans
        key = rank_values(scores.composite) - _BAND_OFFSET * bench.bands
        tiebreak = scores._prepared.employee_tiebreak
        top, _ = top_k_per_column(key, k, mask=mask, tiebreak=tiebreak)
        owner, slot = np.nonzero(top >= 0)
        rows, cols = top[owner, slot].astype(np.intp), owner.astype(np.intp)
        rank = (slot + 1).astype(np.int64)
        index = np.empty(0, dtype=np.intp)
        band, gap = bench.bands[rows, cols], bench.gaps[rows, cols]
    else:
        key = rank_values(scores.candidates.composite) - _BAND_OFFSET * bench.bands
        index, rank = scores._ranked(k, "position", mask, key)
        assert bench.rows is not None and bench.cols is not None
        rows, cols = bench.rows[index], bench.cols[index]
        band, gap = bench.bands[index], bench.gaps[index]
    extra = {"readiness": labels[band], "gap": gap}
    columns = _pair_columns(scores, rows, cols, index)
    return _pairs_frame(scores, rows, cols, rank, columns, extra)


def bench_strength(
    scores: Scores,
    *,
    policy: ReadinessPolicy | Mapping[str, object] | None = None,
    allowed: Pairs = None,
    forbidden: Pairs = None,
    allow: Pairs = None,
    block: Pairs = None,
) -> pd.DataFrame:
    """How many successors each position has in each readiness band.

    Parameters
    ----------
    scores : DenseScores or CandidateScores
        Scores from :func:`asn_match.score`; on streamed scores the counts are of the
        candidate pairs, lower bounds of the dense counts (module docstring).
    policy : ReadinessPolicy or dict, optional
        The band rules; default ``ReadinessPolicy()``.
    allowed, forbidden : optional
        Restrict or exclude candidates, as in :func:`recommend`.
    allow, block : optional
        Deprecated aliases of ``allowed`` and ``forbidden`` (removed in 0.3).

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
    scores = _check_scores(scores, caller)
    policy = _check_policy(policy, caller)
    allowed, forbidden = _pair_options(allowed, forbidden, allow, block, caller)
    m = scores.shape[1]
    bench = _bench(scores, policy, allowed, forbidden, caller, with_gaps=False)
    if bench.cols is None:
        counts = [np.count_nonzero(bench.mask & (bench.bands == b), axis=0) for b in range(3)]
    else:
        cols = bench.cols
        counts = [np.bincount(cols[bench.mask & (bench.bands == b)], minlength=m) for b in range(3)]
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
