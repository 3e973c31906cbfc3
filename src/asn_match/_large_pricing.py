"""Pricing every pair of a streamed workforce against the positions' prices, block by block.

The check of :mod:`asn_match.large`'s certified loop: after each candidate solve every allowed
pair that may violate the prices is scored again (its block's JPM product, then one compiled
pass, :func:`~asn_match.kernels.certify.price_block`), never held whole; its employees' values
sum to the dual objective and its violators join the candidates. Each check leaves every
employee a bound on its pairs outside the candidates, with which the next check prices in full
only the employees it leaves open, and the others on the few positions whose prices fell most.
The same pass, without a candidate solve, gives the first candidates (each employee's best pairs
at learnt prices).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ._scoring_stream import BlockScorer
from .kernels.certify import ColumnViolators, PairRules, price_block
from .rules import JPM_DECIMALS

if TYPE_CHECKING:
    from .scoring import CandidateScores

#: Pairs of one block scored in the check (about 64 MiB of float64 per array), and its most
#: rows (a check of a few columns: each row's candidates are gathered block by block).
BLOCK_PAIRS, BLOCK_ROWS = 2**23, 2**16
#: A margin above every reduced cost: every allowed pair is "near" its row's best.
ANY_PAIR = 2**58
#: What a row priced on a few columns costs besides them, in pairs (its share of the block's
#: product and of its candidates' columns): see _to_price.
_NARROW_ROW = 256
_NONE = np.empty(0, np.int64)


@dataclass(frozen=True, eq=False)
class CanonicalProblem:
    """The problem in canonical indices: rules, incumbents and forbidden pairs."""

    rules: PairRules
    position_order: np.ndarray  # (m,) input index of each canonical column
    employee_order: np.ndarray  # (n,) input index of each canonical row
    stay_column: np.ndarray  # (n,) canonical column held now by each canonical row, -1 if none
    forbidden_keys: np.ndarray  # (k,) canonical row * width + column of forbidden pairs, sorted

    @property
    def width(self) -> int:
        return int(self.position_order.size)

    def forbidden_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """CSR of the forbidden columns of the canonical ``rows``, one after the other."""
        return columns_of(self.forbidden_keys, self.width, rows)


def columns_of(keys: np.ndarray, width: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR of the columns of each of ``rows`` among pairs given as sorted ``row * width + col``.

    Examples
    --------
    >>> indptr, cols = columns_of(np.array([1, 4, 5, 9]), 4, np.array([1, 0, 2]))
    >>> indptr.tolist(), cols.tolist()
    ([0, 2, 3, 4], [0, 1, 1, 1])
    """
    low = np.searchsorted(keys, rows * width)
    count = np.searchsorted(keys, (rows + 1) * width) - low
    indptr = np.concatenate([[0], np.cumsum(count)]).astype(np.int64)
    within = np.arange(indptr[-1]) - np.repeat(indptr[:-1], count)
    return indptr, keys[np.repeat(low, count) + within] % width


def _narrowed(indptr: np.ndarray, cols: np.ndarray, narrow: np.ndarray) -> tuple:
    """The CSR ``(indptr, cols)`` on the selected columns: ``narrow[c]``, -1 dropped."""
    mapped = narrow[cols]
    keep = mapped >= 0
    row = np.repeat(np.arange(indptr.size - 1), np.diff(indptr))
    count = np.bincount(row[keep], minlength=indptr.size - 1)
    return np.concatenate([[0], np.cumsum(count)]).astype(np.int64), mapped[keep]


@dataclass(frozen=True, eq=False)
class Check:
    """The check of the full problem against the prices of one candidate solve."""

    values_sum: int
    rows: np.ndarray  # canonical rows of the violators kept
    cols: np.ndarray
    weights: np.ndarray
    jpm_of: np.ndarray  # rounded as scored
    largest_violation: int
    pairs: int
    outside: np.ndarray | None = None  # each priced row's best pair outside the candidates
    values: np.ndarray | None = None  # each priced row's value over its pairs priced
    scanned: int = 0  # rows priced in full


def check_rows(
    scores: CandidateScores,
    problem: CanonicalProblem,
    scorer: BlockScorer,
    rows: np.ndarray,
    solution,
    capacity: np.ndarray,
    prices: np.ndarray,
    candidates: np.ndarray,
    per_row: int,
    bar=None,
    round_: int = 0,
    spread: bool = True,
    bound: np.ndarray | None = None,
    change: np.ndarray | None = None,
) -> Check:
    """Price the pairs of ``rows`` that may violate the prices of a candidate solve.

    ``candidates`` are the candidate pairs as sorted keys ``row * width + column`` (rows index
    ``rows``); ``solution`` the candidate solve (its placement and the employees' values). Without
    ``bound``, every allowed pair is priced. With ``bound`` (each row's bound on ``w_ij - v_j``
    over its pairs outside the candidates at the last check's prices) and ``change`` (those
    prices less ``prices``), a row's pairs outside a few columns of falling prices are known
    not to violate when its bound, plus the largest fall elsewhere, is at most its value: only
    these columns of it are priced, and the other rows in full (:func:`_to_price`).

    Violators are kept per employee and per position: a position with free seats keeps
    ``per_row`` plus as many as it has free seats, and unplaced employees claim the free seats
    (kernels.certify.ColumnViolators), so the next solve can fill them. With ``spread``, a
    position takes the rows' violators of at most ``per_row`` plus its seats employees (the
    first come), and the others keep their next most violating pairs. Rows of the result index
    ``rows``; ``outside`` is every row's bound at ``prices``, for the next check.
    """
    if bar is not None:
        bar.reset()
        bar.set_description(f"round {round_}: pricing every pair")
    column = np.asarray(solution.employee_position)
    values = np.asarray(solution.employee_values)
    free = np.maximum(capacity - np.bincount(column[column >= 0], minlength=capacity.size), 0)
    everyone = np.arange(rows.size)
    scan, selected, rest_bound = (
        (everyone, None, None)
        if bound is None or change is None
        else _to_price(bound, change, values, capacity.size)
    )
    parts: list[tuple[np.ndarray, np.ndarray | None]] = [(scan, None)]
    if selected is not None and selected.size:
        parts.append((np.setdiff1d(everyone, scan, assume_unique=True), selected))
    checks = []
    outside = np.empty(rows.size, np.int64) if rest_bound is None else rest_bound.copy()
    row_values = values.copy()
    for part, columns in parts:
        if part.size == 0:
            continue
        within = slice(None) if columns is None else columns
        check = price_rows(
            scores, problem, scorer, rows[part], prices, values[part], column[part],
            ColumnViolators(
                per_row + free[within], free[within],
                per_row + capacity[within] if spread else None,
            ),
            per_row, bar if columns is None else None,
            known=(candidates, part), selected=columns,
        )  # fmt: skip
        assert check.outside is not None and check.values is not None
        found = np.maximum(check.outside, -ANY_PAIR)
        if columns is None:
            outside[part] = found
            row_values[part] = check.values
        else:  # the other columns are bounded as before, the rows' values are the candidates'
            outside[part] = np.maximum(outside[part], found)
            row_values[part] = np.maximum(values[part], check.values)
        checks.append(dataclasses.replace(check, rows=part[check.rows]))
    if bar is not None:
        bar.update(rows.size - scan.size)
    return Check(
        values_sum=sum(row_values.tolist()),  # exact beyond int64
        values=row_values,
        rows=np.concatenate([c.rows for c in checks] + [_NONE]),
        cols=np.concatenate([c.cols for c in checks] + [_NONE]),
        weights=np.concatenate([c.weights for c in checks] + [_NONE]),
        jpm_of=np.concatenate([c.jpm_of for c in checks] + [np.empty(0)]),
        largest_violation=max([c.largest_violation for c in checks], default=0),
        pairs=sum(c.pairs for c in checks),
        outside=outside,
        scanned=int(scan.size),
    )


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """The ``parts`` concatenated, the list emptied (so they can be freed)."""
    joined = np.concatenate(parts)
    parts.clear()
    return joined


def _to_price(
    bound: np.ndarray, change: np.ndarray, values: np.ndarray, m: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows a check prices in full, the columns it prices of the others, their bounds.

    A row's pairs outside its candidates were worth at most ``bound`` at the last check; at
    prices fallen by ``change`` since (rising prices only lower them), those of the columns
    that fell least are worth at most ``bound + tau``, ``tau`` the largest fall among them.
    Where that is at most the row's ``values``, none of them violates: only the columns that
    fell most need pricing. The number of those is chosen for the fewest pairs priced, rows in
    full and the others' selected columns (plus a row's fixed cost, :data:`_NARROW_ROW`).
    In the late rounds of a wide market a few hundred prices fall and every row was priced
    again (the largest fall against a row's bound); at 62,500 x 20,000 this priced in full
    in its last six checks 0-54% of the rows (and the others on 1-8,192 columns) instead of
    88-100%; the last three took 0.1-0.3 s instead of 8.5 s.
    """
    fall = np.maximum(change, 0)
    order = np.argsort(-fall, kind="stable")
    falling = int(np.count_nonzero(fall))
    sizes = sorted({0, falling, *(2**e for e in range(falling.bit_length()))})
    best: tuple[int, int, int] | None = None  # pairs priced, columns, the others' largest fall
    for k in sizes:
        tau = int(fall[order[k]]) if k < fall.size else 0
        full = int(np.count_nonzero(bound + tau > values))
        cost = full * m + (bound.size - full) * (k + _NARROW_ROW if k else 0)
        if best is None or cost < best[0]:
            best = (cost, k, tau)
    assert best is not None
    _, k, tau = best
    return np.flatnonzero(bound + tau > values), np.sort(order[:k]), bound + tau


def price_rows(
    scores: CandidateScores,
    problem: CanonicalProblem,
    scorer: BlockScorer,
    rows: np.ndarray,
    prices: np.ndarray,
    candidate_values: np.ndarray,
    assigned: np.ndarray,
    by_column: ColumnViolators,
    per_row: int,
    bar=None,
    keep_stay: bool = False,
    near_best: int | None = None,
    known: tuple[np.ndarray, np.ndarray] | None = None,
    selected: np.ndarray | None = None,
) -> Check:
    """Every pair of the canonical ``rows`` scored again, block by block, and priced.

    Each block's JPM product, then one compiled pass that rounds, composes, rules and prices
    each pair as streamed scoring does (kernels.certify.price_block). Rows of the result are
    indices into ``rows``; columns are canonical. With ``known`` (the candidates' sorted keys
    ``row * width + column`` and the candidates' row of each of ``rows``), the result's
    ``outside`` holds each row's best ``w_ij - v_j`` among its pairs that are not candidates
    (nor its kept violators). With ``selected`` (canonical columns, ascending) only the pairs
    of these columns are scored and priced; ``by_column`` then has one list per selected
    column.
    """
    prep = scores._prepared
    # each selected column's index among them (-1: not selected), to narrow the rows' columns
    narrow = None
    if selected is not None:
        narrow = np.full(prices.size, -1, np.int64)
        narrow[selected] = np.arange(selected.size)
        scorer, prices = scorer.restricted(selected), prices[selected]
    m = prices.size
    block = max(1, min(BLOCK_ROWS, BLOCK_PAIRS // max(m, 1)))
    buffer = np.empty((min(block, rows.size), m), dtype=scorer.operator.dtype)
    values = np.empty(rows.size, np.int64)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    largest, pairs = 0, 0
    outside = None if known is None else np.empty(rows.size, np.int64)
    for start in range(0, rows.size, block):
        canonical = rows[start : start + block]
        stop = start + canonical.size
        who = problem.employee_order[canonical]
        jpm = scorer.operator.apply(prep.levels[who], out=buffer[: canonical.size])
        held = problem.stay_column[canonical]
        forbidden = problem.forbidden_of(canonical)
        candidates = (
            None if known is None else columns_of(known[0], problem.width, known[1][start:stop])
        )
        if narrow is not None:
            held = np.where(held >= 0, narrow[held], -1)
            forbidden = _narrowed(*forbidden, narrow)
            candidates = None if candidates is None else _narrowed(*candidates, narrow)
        check = price_block(
            jpm,
            scorer.merit[who],
            scorer.jpm_weight,
            scorer.eligible.block(who),
            held,
            forbidden,
            prices,
            candidate_values[start:stop],
            problem.rules,
            jpm_decimals=JPM_DECIMALS,
            per_row=per_row,
            columns=by_column,
            assigned=assigned[start:stop],
            keep_stay=keep_stay,
            row_offset=start,
            near_best=near_best,
            candidates=candidates,
        )
        if outside is not None and check.outside is not None:
            outside[start:stop] = check.outside
        values[start:stop] = check.values
        pairs += check.pairs
        largest = max(largest, int(check.largest_violation))
        if check.rows.size:
            found.append(
                (check.rows + start, check.cols, check.weights, jpm[check.rows, check.cols])
            )
        if bar is not None:
            bar.update(canonical.size)
    found.append((by_column.rows, by_column.cols, by_column.weights, by_column.raw_jpm))
    # one field joined at a time, its blocks' parts let go: the first candidates' pass keeps
    # about 30 M pairs at 1,000,000 x 20,000
    fields = [list(field) for field in zip(*found, strict=True)]
    found.clear()
    rows_of, cols_of, weights_of, raw_jpm = (_joined(field) for field in fields)
    if selected is not None:
        cols_of = selected[cols_of]
    jpm_of = np.round(raw_jpm.astype(np.float64, copy=False), JPM_DECIMALS)
    del raw_jpm
    return Check(
        values_sum=sum(values.tolist()),  # Python ints: exact beyond int64
        values=values,
        rows=rows_of.astype(np.int64, copy=False),
        cols=cols_of.astype(np.int64, copy=False),
        weights=weights_of.astype(np.int64, copy=False),
        jpm_of=jpm_of,
        largest_violation=largest,
        pairs=pairs,
        outside=outside,
    )
