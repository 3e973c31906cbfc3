"""Certificates of optimality for placements solved on candidate pairs.

A placement of a very large workforce is solved on *candidate* pairs (the top-k of each side kept
by streamed scoring) and then checked against every allowed pair of the full problem, scored again
block by block and never held whole. The check is linear-programming duality.

The certificate
---------------
For the capacitated assignment (maximise ``sum w_ij x_ij``, each employee at most once, position
``j`` at most ``cap_j`` times; see :mod:`asn_match.kernels.transport`) any prices ``v >= 0`` give a
dual solution of the *full* problem with the employee values

    u_i = max(0, max_j (w_ij - v_j))   over every allowed pair of employee i,

and by weak duality every placement's total is at most ``D = sum_i u_i + sum_j cap_j v_j``. The
candidate solve returns a placement of total ``P`` and its optimal prices ``v`` on the candidate
pairs, with the candidate values ``u^c_i`` (``P = sum u^c + sum cap v``, strong duality on the
candidates). Over the full problem ``u_i >= u^c_i``; a pair with ``w_ij - v_j > u^c_i`` is a
*violator*. With no violator, ``u = u^c``, so ``D = P``: the placement is optimal for the full
problem. Otherwise the violators are added to the candidates and the problem is solved again from
the last prices, until none is left; ``D - P`` bounds how far from optimal a placement stopped
early (by a round or time limit) can be.

:func:`block_violations` is the check of one block of employees on given weights (numpy, the
reference); :func:`price_block` takes a block's JPM product, rounds it, composes each pair and
weighs it under the placement rules (:class:`PairRules`) and checks it, in one compiled pass that
never holds the block's composites or weights (and :class:`ColumnViolators` gathers each
position's most violating pairs across blocks);
:func:`pair_weights` weighs single pairs by the very same arithmetic, so a candidate pair and the
same pair met in a check always weigh the same. The loop lives with the caller
(:mod:`asn_match.large`), which knows how to score a block.

Weights
-------
A pair is allowed when eligible, not forbidden, with a composite at or above ``min_score``
(1e-9 tolerance) and a JPM category at or better than ``worst_category``. Its value is the
composite rounded to 1e-9 plus ``bonus`` on an incumbent's own position; its weight the value in
integer quanta ``q``, times ``stay_unit`` (``S + 1`` under the fewest-moves tie-break), plus one on
an incumbent's own position when ``stay_unit > 1``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._compile import jit

__all__ = [
    "BlockCheck",
    "Certificate",
    "ColumnViolators",
    "PairRules",
    "block_violations",
    "pair_weights",
    "price_block",
]


@dataclass(frozen=True)
class Certificate:
    """How far a placement solved on candidate pairs is proven optimal for the full problem.

    Attributes
    ----------
    optimal : bool
        No allowed pair of the full problem violates the prices: the placement is optimal.
    duality_gap : float
        ``D - P`` in score units: the most the objective could still gain (0 when optimal, up to
        the rounding of the score quantum).
    largest_violation : float
        The largest ``w_ij - v_j - u_i`` over the full problem in the last check, in score units
        (0 when optimal).
    rounds : int
        Candidate solves (1 when the first candidates were enough).
    pairs_checked : int
        Allowed pairs priced in the checks, all rounds together (a later check prices only the
        employees that an earlier one does not prove free of violators).
    candidate_pairs : int
        Pairs of the last candidate solve.
    stopped : {None, "rounds", "time"}
        Why the loop ended before proving optimality; None when it did not stop early.
    """

    optimal: bool
    duality_gap: float
    largest_violation: float
    rounds: int
    pairs_checked: int
    candidate_pairs: int
    stopped: str | None = None


@dataclass(frozen=True, eq=False)
class BlockCheck:
    """The check of one block of employees against the prices.

    Attributes
    ----------
    values : ndarray of shape (n_block,)
        ``u_i = max(0, max_j w_ij - v_j)`` over the allowed pairs of the block.
    rows, cols : ndarray of shape (n_violators,), intp
        The violating pairs kept (block rows, columns), the most violating first per row.
    weights : ndarray of shape (n_violators,)
        Their weights ``w_ij``.
    largest_violation : int or float
        ``max(w_ij - v_j - u^c_i)`` over the block, 0 when nothing violates.
    pairs : int
        Allowed pairs in the block.
    outside : ndarray of shape (n_block,), optional
        ``max w_ij - v_j`` over the allowed pairs of each employee that are neither among the
        ``candidates`` of :func:`price_block` nor its kept violators (a very negative number
        when there are none); None when no candidates were given.
    """

    values: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    weights: np.ndarray
    largest_violation: int | float
    pairs: int
    outside: np.ndarray | None = None


def block_violations(
    weights: np.ndarray,
    allowed: np.ndarray,
    prices: np.ndarray,
    candidate_values: np.ndarray,
    *,
    per_row: int = 8,
) -> BlockCheck:
    """Price every allowed pair of a block of employees; keep the worst violators of each row.

    Parameters
    ----------
    weights : ndarray of shape (n_block, n_positions), int64 or float64
        The solver's weights of every pair of the block (any value where not allowed).
    allowed : ndarray of bool of shape (n_block, n_positions)
        Pairs that may be placed; pairs of weight <= 0 are never worth placing and not counted.
    prices : ndarray of shape (n_positions,)
        The prices ``v >= 0`` of the candidate solve.
    candidate_values : ndarray of shape (n_block,)
        The employees' values ``u^c`` in the candidate solve.
    per_row : int, default=8
        Most violators kept per employee (the most violating): enough to move the prices, few
        enough to keep the candidate problem small.

    Returns
    -------
    BlockCheck

    Examples
    --------
    >>> w = np.array([[5, 9, 1], [4, 2, 8]])
    >>> check = block_violations(w, w > 0, np.array([0, 3, 0]), np.array([6, 8]))
    >>> check.values.tolist(), check.rows.tolist(), check.cols.tolist(), check.largest_violation
    ([6, 8], [], [], 0)
    >>> check = block_violations(w, w > 0, np.array([0, 3, 0]), np.array([5, 8]))
    >>> check.rows.tolist(), check.cols.tolist(), check.largest_violation
    ([0], [1], 1)
    """
    useful = allowed & (weights > 0)
    kind = weights.dtype.kind
    floor = np.iinfo(np.int64).min // 4 if kind in "iu" else -np.inf
    reduced = np.where(useful, weights - prices[None, :], floor)
    values = np.maximum(reduced.max(axis=1, initial=floor), 0)
    slack = reduced - candidate_values[:, None]
    violating = useful & (slack > 0)
    counts = violating.sum(axis=1)
    largest = slack[violating].max() if violating.any() else 0
    rows_of = np.flatnonzero(counts)
    if rows_of.size == 0:
        empty = np.empty(0, np.intp)
        return BlockCheck(values, empty, empty, weights[:0, 0], 0, int(useful.sum()))
    sub = np.where(violating[rows_of], slack[rows_of], floor)
    keep = min(per_row, sub.shape[1])
    top = np.argpartition(-sub, keep - 1, axis=1)[:, :keep] if keep < sub.shape[1] else None
    cols = np.tile(np.arange(sub.shape[1]), (rows_of.size, 1)) if top is None else top
    chosen = np.take_along_axis(violating[rows_of], cols, axis=1)
    r_local, slot = np.nonzero(chosen)
    rows = rows_of[r_local].astype(np.intp)
    cols_out = cols[r_local, slot].astype(np.intp)
    return BlockCheck(
        values=values,
        rows=rows,
        cols=cols_out,
        weights=weights[rows, cols_out],
        largest_violation=largest.item() if hasattr(largest, "item") else largest,
        pairs=int(useful.sum()),
    )


@dataclass(frozen=True)
class PairRules:
    """The placement rules that make a pair allowed and give its weight (see "Weights").

    Attributes
    ----------
    min_score : float
        Composite floor; -inf for none.
    worst_category : int
        Largest category code allowed; a large number for none.
    thresholds : ndarray of shape (n_thresholds,), float64
        JPM category thresholds, best first.
    bonus : float
        Added to the value of an incumbent's own position.
    quantum : float
        Score units of one integer step of the value.
    stay_unit : int
        Weight of one step (``S + 1`` with the tie-break, 1 without).
    """

    min_score: float
    worst_category: int
    thresholds: np.ndarray
    bonus: float
    quantum: float
    stay_unit: int

    def compiled(self) -> tuple:
        """The rules as the compiled kernels take them, in the order of their parameters."""
        return (
            float(self.min_score),
            int(self.worst_category),
            np.ascontiguousarray(self.thresholds, dtype=np.float64),
            float(self.bonus),
            float(self.quantum),
            int(self.stay_unit),
        )


@jit
def _category(jpm, thresholds):
    code = 0
    for t in range(thresholds.size):
        if jpm >= thresholds[t] - 1e-9:  # categorize's tolerance for float64
            return code
        code += 1
    return code


@jit
def _weigh(composite, jpm, stay, min_score, worst, thresholds, bonus, quantum, stay_unit):
    """Value and weight of one eligible, not forbidden pair; weight 0 when not allowed."""
    if composite < min_score - 1e-9 or _category(jpm, thresholds) > worst:
        return 0.0, 0
    # numpy's round(x, 9): multiply, round half to even, divide
    value = np.rint(composite * 1e9) / 1e9 + (bonus if stay else 0.0)
    weight = np.int64(np.rint(value / quantum)) * stay_unit
    if stay and stay_unit > 1:
        weight += 1
    return value, weight


@jit
def _pair_weights(composite, jpm, stay, min_score, worst, thresholds, bonus, quantum, unit):
    n = composite.size
    values = np.empty(n)
    weights = np.empty(n, np.int64)
    for t in range(n):
        values[t], weights[t] = _weigh(
            composite[t], jpm[t], stay[t], min_score, worst, thresholds, bonus, quantum, unit
        )
    return values, weights


def pair_weights(
    composite: np.ndarray, jpm: np.ndarray, stay: np.ndarray, rules: PairRules
) -> tuple[np.ndarray, np.ndarray]:
    """Values and integer weights of single eligible, not forbidden pairs (0 when not allowed).

    Parameters
    ----------
    composite, jpm : ndarray of shape (n_pairs,), float64
    stay : ndarray of bool of shape (n_pairs,)
        The pair keeps an incumbent in place.
    rules : PairRules

    Returns
    -------
    values : ndarray of shape (n_pairs,), float64
        Score units (composite rounded to 1e-9, plus the bonus of a stay).
    weights : ndarray of shape (n_pairs,), int64

    Examples
    --------
    >>> rules = PairRules(-np.inf, 9, np.array([80.0, 68.0]), 2.0, 1e-9, 1)
    >>> values, weights = pair_weights(np.array([70.5, 60.0]), np.array([81.0, 50.0]),
    ...                                np.array([True, False]), rules)
    >>> values.tolist(), weights.tolist()
    ([72.5, 60.0], [72500000000, 60000000000])
    """
    return _pair_weights(
        np.ascontiguousarray(composite, dtype=np.float64),
        np.ascontiguousarray(jpm, dtype=np.float64),
        np.ascontiguousarray(stay, dtype=np.bool_),
        *rules.compiled(),
    )


class ColumnViolators:
    """The most violating pairs of every position, gathered over the blocks of one check.

    A position that kept free seats in the candidate solve (price 0) is often wanted by many
    employees whose own lists never named it: the rows' violators alone refill it slowly, a
    few per round. Each position therefore keeps its own ``limit[j]`` most violating pairs
    (largest ``w_ij - v_j - u^c_i``), the same order as the rows' selection; give it
    ``per_row`` plus its free seats.

    Free seats are also handed out: an employee left unplaced by the candidate solve *claims*
    a free seat, its best (largest ``w_ij - v_j``) among the positions with seats not yet
    claimed in this check, so the next candidates hold a way to fill every seat with distinct
    employees (the positions' own lists name the same few strong employees).

    Parameters
    ----------
    limit : ndarray of int of shape (n_positions,)
        Most pairs kept per position (canonical columns), >= 0.
    free : ndarray of int of shape (n_positions,), optional
        Free seats of each position in the candidate solve (none when omitted).
    spread : ndarray of int of shape (n_positions,), optional
        The most *rows'* violators (``per_row`` of each employee) kept at each position over
        the check, in the order the rows come; a row passes over a position that has its share
        and keeps its next most violating pairs (no limit when omitted). In a wide market
        many positions are worth the same to the strong employees (JPM capped at 100 on
        positions asking little), and every row ranks the cheapest of them first: without a
        limit all rows add the same few positions and each round corrects a few prices
        (62,500 x 20,000: 67-83% of the duality gap on 10 positions, the gap 1.2%, 0.68%,
        0.53% after three solves; with a share of ``per_row`` plus the seats, 1.2%, 0.09%,
        0.011%).

    Examples
    --------
    >>> gathered = ColumnViolators(np.array([1, 2]))
    >>> gathered.rows.tolist(), gathered.cols.tolist()
    ([], [])
    """

    def __init__(
        self,
        limit: np.ndarray,
        free: np.ndarray | None = None,
        spread: np.ndarray | None = None,
    ):
        limit = np.asarray(limit, dtype=np.int64)
        # the most rows' violators kept at each position, and how many so far (none: no limit)
        self.spread = np.zeros(0, np.int64) if spread is None else np.array(spread, np.int64)
        self.taken = np.zeros(self.spread.size, np.int64)
        self.free = (
            np.zeros(limit.size, np.int64) if free is None else np.array(free, dtype=np.int64)
        )  # seats not yet claimed
        self.start = np.concatenate([[0], np.cumsum(limit)]).astype(np.int64)
        self.count = np.zeros(limit.size, np.int64)
        # the least slack kept in a full list (what a new pair must beat); 0 while not full,
        # and above any slack for a list of no pairs
        self.floor = np.where(limit > 0, 0, np.iinfo(np.int64).max).astype(np.int64)
        self.slack = np.zeros(int(self.start[-1]), np.int64)
        self.row = np.zeros(int(self.start[-1]), np.int64)
        self.weight = np.zeros(int(self.start[-1]), np.int64)
        self.jpm = np.zeros(int(self.start[-1]))  # raw JPM, as the block had it

    def _kept(self) -> np.ndarray:
        slot = np.arange(self.slack.size) - np.repeat(self.start[:-1], np.diff(self.start))
        return slot < np.repeat(self.count, np.diff(self.start))

    @property
    def rows(self) -> np.ndarray:
        """Rows (as given to :func:`price_block` plus its ``row_offset``) of the kept pairs."""
        return self.row[self._kept()]

    @property
    def cols(self) -> np.ndarray:
        """Canonical columns of the kept pairs."""
        return np.repeat(np.arange(self.count.size), self.count).astype(np.intp)

    @property
    def weights(self) -> np.ndarray:
        """Weights of the kept pairs."""
        return self.weight[self._kept()]

    @property
    def raw_jpm(self) -> np.ndarray:
        """The JPM of the kept pairs as scored (not rounded)."""
        return self.jpm[self._kept()]

    @property
    def slacks(self) -> np.ndarray:
        """``w_ij - v_j - u^c_i`` of the kept pairs."""
        return self.slack[self._kept()]


@jit
def _round_composite(jpm, jpm_scale, jpm_weight, merit):
    """The rounded JPM and the composite of one pair, by the operations of scoring."""
    x = np.rint(jpm * jpm_scale) / jpm_scale  # np.round(jpm, JPM_DECIMALS)
    return x, min(x, 100.0) * jpm_weight + merit  # kernels.composite


@jit
def _least(values):
    """Index of the first least entry."""
    low = 0
    for t in range(1, values.size):
        if values[t] < values[low]:
            low = t
    return low


@jit
def _price_block(
    jpm, merit, jpm_weight, jpm_scale, eligible, profile, stay_col, forbid_ptr, forbid_col,
    prices, candidate, assigned, row_offset, min_score, worst, thresholds, bonus, quantum, unit,
    per_row, keep_stay, near_best, values_out, cols, slack, claim, claim_weight, stay_weight,
    col_start, col_count, col_floor, col_slack, col_row, col_weight, col_jpm, col_free,
    col_spread, col_taken, known_ptr, known_col, outside_out,
):  # fmt: skip
    b, m = jpm.shape
    none = np.iinfo(np.int64).min // 4
    # the category test of _weigh in one comparison: categories are ordered best first
    jpm_floor = thresholds[worst] - 1e-9 if worst < thresholds.size else -np.inf
    score_floor = min_score - 1e-9
    reduced = np.empty(m, np.int64)
    largest = np.int64(0)
    pairs = 0
    for r in range(b):
        allowed = eligible[profile[r]]
        base = merit[r]
        # at the finest quantum _weigh's rint(rint(c * 1e9) / 1e9 / 1e-9) is rint(c * 1e9)
        # (three roundings of relative error 2**-53 each stay far below half a unit while
        # |c * 1e9| < 2**50), two divisions less a pair: the row's composites are at most
        # 100 * jpm_weight + base (JPM capped at 100)
        fine = quantum == 1e-9 and max(abs(base), abs(100.0 * jpm_weight + base)) < 2.0**50 / 1e9
        # every pair as a mover: no branch that stops the loop from being vectorized
        if fine:
            for c in range(m):
                x, composite = _round_composite(jpm[r, c], jpm_scale, jpm_weight, base)
                weight = np.int64(np.rint(composite * 1e9)) * unit
                ok = allowed[c] and composite >= score_floor and x >= jpm_floor and weight > 0
                reduced[c] = weight - prices[c] if ok else none
        else:
            for c in range(m):
                x, composite = _round_composite(jpm[r, c], jpm_scale, jpm_weight, base)
                weight = np.int64(np.rint((np.rint(composite * 1e9) / 1e9) / quantum)) * unit
                ok = allowed[c] and composite >= score_floor and x >= jpm_floor and weight > 0
                reduced[c] = weight - prices[c] if ok else none
        # the stay, weighed with its bonus, and the forbidden pairs
        s = stay_col[r]
        if s >= 0 and allowed[s]:
            x, composite = _round_composite(jpm[r, s], jpm_scale, jpm_weight, base)
            _, weight = _weigh(
                composite, x, True, min_score, worst, thresholds, bonus, quantum, unit
            )
            reduced[s] = weight - prices[s] if weight > 0 else none
        for f in range(forbid_ptr[r], forbid_ptr[r + 1]):
            reduced[forbid_col[f]] = none
        top = none  # the row's largest w_ij - v_j
        for c in range(m):
            if reduced[c] > top:
                top = reduced[c]
            if reduced[c] != none:
                pairs += 1
        best = max(top, np.int64(0))
        values_out[r] = best
        for t in range(per_row):
            cols[r, t] = -1
        claim[r] = -1
        stay_weight[r] = -1
        if keep_stay and s >= 0 and reduced[s] != none:
            stay_weight[r] = reduced[s] + prices[s]
        if assigned[r] < 0:  # unplaced: claim the best free seat left
            pick = -1
            high = none
            for c in range(m):
                # a select, not a branch: which pairs are allowed follows no pattern
                offer = reduced[c] if col_free[c] > 0 else none
                if offer > high:
                    high = offer
                    pick = c
            if pick >= 0:
                col_free[pick] -= 1
                claim[r] = pick
                claim_weight[r] = reduced[pick] + prices[pick]
        if near_best >= 0:  # pairs within near_best of the row's best "violate"
            if top == none:
                if outside_out.size:
                    outside_out[r] = none
                continue  # no allowed pair
            candidate[r] = top - near_best
        if best <= candidate[r]:
            # the common case once the prices settle: nothing violates in this row
            if outside_out.size:  # its best pair that is not a candidate yet
                outside_out[r] = _outside(reduced, known_col[known_ptr[r] : known_ptr[r + 1]])
            continue
        largest = max(largest, top - candidate[r])
        kept = 0
        low = 0
        bar = np.int64(0)  # a pair joins the row's list above it: 0 until full, then its least
        row = row_offset + r
        row_cols = cols[r]
        row_slack = slack[r]
        for c in range(m):
            over = reduced[c] - candidate[r]  # "none" pairs are far below any candidate value
            # one well predicted branch: joins neither list ("none" pairs included; a floor is
            # >= 0, and no pair enters a list of size 0)
            if over <= min(bar, col_floor[c]):
                continue
            # the row's per_row most violating: replace the least kept when full (the least
            # is found again only after a replacement, which random order makes rare)
            if over > bar and (col_taken.size == 0 or col_taken[c] < col_spread[c]):
                if kept < per_row:
                    row_cols[kept] = c
                    row_slack[kept] = over
                    kept += 1
                    if kept == per_row:
                        low = _least(row_slack)
                        bar = row_slack[low]
                else:
                    row_cols[low] = c
                    row_slack[low] = over
                    low = _least(row_slack)
                    bar = row_slack[low]
            # the column's most violating, the same way
            if over <= col_floor[c]:
                continue
            size = col_start[c + 1] - col_start[c]
            if col_count[c] < size:
                at = col_start[c] + col_count[c]
                col_count[c] += 1
            else:
                at = col_start[c]
                for t in range(col_start[c] + 1, col_start[c + 1]):
                    if col_slack[t] < col_slack[at]:
                        at = t
            col_slack[at] = over
            col_row[at] = row
            col_weight[at] = reduced[c] + prices[c]
            col_jpm[at] = jpm[r, c]
            if col_count[c] == size:
                low_slack = col_slack[col_start[c]]
                for t in range(col_start[c] + 1, col_start[c + 1]):
                    low_slack = min(low_slack, col_slack[t])
                col_floor[c] = low_slack
        for t in range(kept if col_taken.size else 0):
            col_taken[row_cols[t]] += 1
        if outside_out.size:  # the kept violators join the candidates: not outside either
            for t in range(kept):
                reduced[row_cols[t]] = none
            outside_out[r] = _outside(reduced, known_col[known_ptr[r] : known_ptr[r + 1]])
    return largest, pairs


@jit
def _outside(reduced, candidates):
    """The largest of ``reduced`` off the ``candidates`` columns (blanked: reduced is spent)."""
    none = np.iinfo(np.int64).min // 4
    for c in candidates:
        reduced[c] = none
    outside = none
    for c in range(reduced.size):
        outside = max(outside, reduced[c])
    return outside


def price_block(
    jpm: np.ndarray,
    merit: np.ndarray,
    jpm_weight: float,
    eligible: tuple[np.ndarray, np.ndarray],
    stay_column: np.ndarray,
    forbidden_columns: tuple[np.ndarray, np.ndarray],
    prices: np.ndarray,
    candidate_values: np.ndarray,
    rules: PairRules,
    *,
    jpm_decimals: int,
    assigned: np.ndarray | None = None,
    keep_stay: bool = False,
    per_row: int = 8,
    columns: ColumnViolators | None = None,
    row_offset: int = 0,
    near_best: int | None = None,
    candidates: tuple[np.ndarray, np.ndarray] | None = None,
) -> BlockCheck:
    """Weigh every pair of a scored block under ``rules`` and check it against the prices.

    :func:`block_violations` on the weights of :func:`pair_weights`, in one compiled pass over the
    block's JPM: each pair's JPM is rounded to ``jpm_decimals`` and its composite computed by the
    operations of scoring (``min(jpm, 100) * jpm_weight + merit``), so a pair weighs here what it
    weighs among the candidates. Neither composites nor weights of the block are stored.

    Parameters
    ----------
    jpm : ndarray of shape (n_block, n_positions), float64
        The block's JPM, not rounded, positions in canonical columns.
    merit : ndarray of shape (n_block,), float64
        The composite of each employee at JPM 0 (the merit part).
    jpm_weight : float
        The composite's (normalised) weight of the JPM.
    eligible : (table, profile)
        Employee ``r`` may take column ``c`` when ``table[profile[r], c]``; table of bool of shape
        (n_profiles, n_positions), profile of int of shape (n_block,).
    stay_column : ndarray of int of shape (n_block,)
        Canonical column each employee holds now, -1 if none.
    forbidden_columns : (indptr, columns)
        Per employee of the block, the canonical columns of its forbidden pairs (CSR,
        ``indptr`` of shape (n_block + 1,)).
    prices : ndarray of int64 of shape (n_positions,)
        Prices of the canonical columns.
    candidate_values : ndarray of int64 of shape (n_block,)
        The employees' values in the candidate solve.
    rules : PairRules
    jpm_decimals : int
        The JPM's rounding (:data:`asn_match.rules.JPM_DECIMALS`).
    assigned : ndarray of int of shape (n_block,), optional
        Canonical column of each employee in the candidate solve, -1 when unplaced (an
        unplaced employee claims a free seat of ``columns``); all placed when omitted.
    keep_stay : bool, default=False
        Also return each incumbent's allowed pair with its own position, violating or not.
    per_row : int, default=8
        Most violators kept per employee.
    columns : ColumnViolators, optional
        Also keep each position's most violating pairs there (updated in place; rows are
        ``row_offset`` plus the block's row).
    row_offset : int, default=0
    near_best : int, optional
        Instead of ``candidate_values`` (ignored), each employee's best ``w_ij - v_j`` less
        ``near_best``: the pairs within ``near_best`` of the best "violate", so the rows keep
        their best pairs at these prices and the positions (``columns``) the pairs of least
        reduced cost ``u_i + v_j - w_ij`` at them (the first candidates of learnt prices).
    candidates : (indptr, columns), optional
        Per employee of the block, the canonical columns of its candidate pairs (CSR, as
        ``forbidden_columns``): the result's ``outside`` is then each employee's best
        ``w_ij - v_j`` over its allowed pairs that are neither candidates nor kept violators
        (the rows' own: those the next candidates hold).

    Returns
    -------
    BlockCheck
        Violators with block rows and canonical columns, then the claimed free seats and the
        kept stays (a pair may come twice); ``weights`` their weights.

    Examples
    --------
    >>> rules = PairRules(-np.inf, 9, np.array([80.0, 68.0]), 0.0, 1.0, 1)
    >>> jpm = np.array([[5.0, 9.0, 1.0], [4.0, 2.0, 8.0]])
    >>> no_forbidden = (np.zeros(3, np.int64), np.zeros(0, np.int64))
    >>> check = price_block(jpm, np.zeros(2), 1.0, (np.ones((1, 3), bool), np.zeros(2, int)),
    ...                     np.array([-1, -1]), no_forbidden, np.array([0, 3, 0]),
    ...                     np.array([5, 8]), rules, jpm_decimals=2)
    >>> check.rows.tolist(), check.cols.tolist(), check.weights.tolist(), check.largest_violation
    ([0], [1], [9], 1)
    """
    b = jpm.shape[0]
    values = np.empty(b, np.int64)
    cols = np.empty((b, per_row), np.int64)
    slack = np.empty((b, per_row), np.int64)
    indptr, forbidden = forbidden_columns
    table, profile = eligible
    gathered = ColumnViolators(np.zeros(prices.size, np.int64)) if columns is None else columns
    claim = np.empty(b, np.int64)
    claim_weight = np.empty(b, np.int64)
    stay_weight = np.empty(b, np.int64)
    if assigned is None:
        assigned = np.zeros(b, np.int64)
    # the kernel writes the values it measured violations from, with near_best
    candidate = np.array(candidate_values, dtype=np.int64)
    if candidates is None:
        known_ptr, known_col, outside = np.zeros(1, np.int64), np.zeros(0, np.int64), values[:0]
    else:
        (known_ptr, known_col), outside = candidates, np.empty(b, np.int64)
    largest, pairs = _price_block(
        np.ascontiguousarray(jpm, dtype=np.float64),
        np.ascontiguousarray(merit, dtype=np.float64),
        float(jpm_weight),
        10.0**jpm_decimals,
        np.ascontiguousarray(table, dtype=np.bool_),
        np.ascontiguousarray(profile, dtype=np.int64),
        np.ascontiguousarray(stay_column, dtype=np.int64),
        np.ascontiguousarray(indptr, dtype=np.int64),
        np.ascontiguousarray(forbidden, dtype=np.int64),
        np.ascontiguousarray(prices, dtype=np.int64),
        candidate,
        np.ascontiguousarray(assigned, dtype=np.int64),
        int(row_offset),
        *rules.compiled(),
        int(per_row),
        bool(keep_stay),
        -1 if near_best is None else int(near_best),
        values,
        cols,
        slack,
        claim,
        claim_weight,
        stay_weight,
        gathered.start,
        gathered.count,
        gathered.floor,
        gathered.slack,
        gathered.row,
        gathered.weight,
        gathered.jpm,
        gathered.free,
        gathered.spread,
        gathered.taken,
        np.ascontiguousarray(known_ptr, dtype=np.int64),
        np.ascontiguousarray(known_col, dtype=np.int64),
        outside,
    )
    rows, slot = np.nonzero(cols >= 0)
    chosen = cols[rows, slot]
    weights = slack[rows, slot] + candidate[rows] + np.asarray(prices)[chosen]
    claimed = np.flatnonzero(claim >= 0)
    stays = np.flatnonzero(stay_weight >= 0)
    return BlockCheck(
        values=values,
        rows=np.concatenate([rows, claimed, stays]).astype(np.intp),
        cols=np.concatenate([chosen, claim[claimed], np.asarray(stay_column)[stays]]).astype(
            np.intp
        ),
        weights=np.concatenate([weights, claim_weight[claimed], stay_weight[stays]]).astype(
            np.int64
        ),
        largest_violation=int(largest),
        pairs=int(pairs),
        outside=None if candidates is None else outside,
    )
