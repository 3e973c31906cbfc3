r"""Capacitated max-weight assignment (transportation form), exact, compiled with numba.

Rows are employees, columns are positions; position ``j`` has ``capacities[j]`` seats. Unlike
:mod:`asn_match.kernels.lap`, a position is *one* column with a capacity, not one column per seat,
so the problem size is the number of allowed pairs, not employees x seats.

The problem
-----------
For weights ``w`` and a set ``A`` of allowed pairs, the linear programme

    maximise  sum_ij w_ij x_ij   subject to  sum_j x_ij <= 1,  sum_i x_ij <= cap_j,  x >= 0,

with ``x_ij = 0`` outside ``A``. Its constraint matrix is totally unimodular, so an optimal vertex
is integral: an assignment. An employee may stay unplaced (value 0), so a pair with
``w_ij <= 0`` is never worth using: such pairs are treated as not allowed, and never placed.
Positions with capacity 0 take nobody.

The dual (``v_j`` is the price of position ``j``, ``u_i`` the value of employee ``i``) is

    minimise  sum_i u_i + sum_j cap_j v_j   subject to  u_i + v_j >= w_ij on A,  u, v >= 0.

Given ``v``, the best ``u`` is ``u_i = max(0, max_{j: (i,j) in A} w_ij - v_j)``. A placement and
prices are both optimal iff (complementary slackness): every placed employee gets its best
``w_ij - v_j`` (so ``u_i + v_j = w_ij``), an unplaced employee has ``u_i = 0``, and a position
with a free seat has ``v_j = 0``; then ``sum(u) + sum(cap * v)`` equals the placed total.

The algorithm
-------------
Successive shortest paths (the Hungarian method, one employee at a time). In min-cost form a
dummy column ``D`` ("unplaced", weight 0, unlimited capacity) makes every employee placed
somewhere. The state is a placement of the employees seen so far in which each of them gets its
best utility ``w_ij - v_j`` (``w_iD - v_D = -v_D``): the reduced costs of the residual graph are
non-negative, so the placement has the least cost among those of these employees.

Adding employee ``i`` is a Dijkstra search over the *position* nodes, not the seats: the distance
of ``k`` is the least utility loss of a chain "``i`` takes a seat of ``j1``, an occupant of ``j1``
moves to ``j2``, ..., someone takes a seat of ``k``". Moving occupant ``r`` from ``j`` to ``k``
loses ``(w_rj - v_j) - (w_rk - v_k) >= 0``. A position with a free seat (or ``D``) ends a chain.
The least such loss over the occupants of ``j`` is ``min_r (w_rj - w_rk) - v_j + v_k``, and
``best[j, k] = min_r (w_rj - w_rk)`` does not depend on the prices: it is kept in an
``(m, m + 1)`` *exchange matrix*, updated when someone joins ``j`` (``O(degree)``) and kept
exact when someone leaves: the entries that came from the leaver are recomputed over the other
occupants, or the row is rebuilt from their pairs, whichever is cheaper. So settling a full
position relaxes the columns still to settle in one pass over a shrinking list (``O(m)``),
whatever its number of seats, with no check of who is still there, and a search costs
``O(m^2)`` at most (scanning the occupants' pairs instead would cost ``O(cap_j x degree)`` per
settled position; the seat-expanded matrix, ``O(seats)`` per seat).
Most employees, moreover, end at their first popped column (their best position has a free
seat at current prices): ``O(degree)``. With more than :data:`MAX_MATRIX_POSITIONS` positions
the matrix is not kept: each position keeps only its sparse row, the columns its occupants can
move to (:mod:`._exchange_rows`, rebuilt lazily once someone joins it), and a search keeps the
columns it reached in a heap (:mod:`._column_heap`), so a search costs what it touches, not
``O(m)``.

After the search the prices of the positions settled before the end rise by how much closer they
were than the end (Johnson's potentials, ``v_k += d_end - d_k``): every placed employee still gets
its best utility, the chain becomes tight, and prices only rise, on full positions only; a full
position stays full. Starting from ``v = 0`` (cold start), positions with a free seat therefore
keep price 0. With warm-start prices a position with a free seat may carry a price; a chain still
ends at the nearest position with a free seat, at its distance (its price included), as if that
price were the seat's reserve price: from good prices most employees then end at their first
popped column and few move. The placement is then optimal for the problem in which each priced
position with free seats had only the seats it fills, and a final *repair* restores
complementary slackness (the reverse phase of a forward/reverse auction): for each such position
``j``, a backward Dijkstra search over the employees' pairs transposed (the unplaced employees
included) finds the least loss ``d_l`` of a chain "someone leaves ``l``, ..., someone joins
``j``", and the chain ending at the least ``d_l + v_l`` (``l`` keeps the freed seat, at price 0;
``l = j``: no move) is applied after the prices settled before it fall by the difference. Each
step fills a seat of ``j`` or zeroes its price, and never makes another position priced with a
free seat, so the result is optimal. Cold starts never need it. From the optimal prices of the
same problem a warm solve is about 7x faster than a cold one at 5,000 x 1,000.

A warm start may also give a *placement* (that of the earlier solve): before any search, each
employee takes its position at once where that pair is still worth its best utility at the
starting prices and a seat is left, which is all the searches' invariant asks; only the others
are searched for. Any placement is safe (a pair that is not tight is simply searched for); after
pairs were added to a solved problem, its placement and prices leave only the employees a new
pair draws away (measured on the certified loop's third solve at 100,000 x 2,000: 1.1 s with the
placement, 5.6 s with the prices alone).

The returned prices are recomputed at the end from the optimal placement, by a second Dijkstra
run backwards from the positions with a free seat (price 0) and ``D``: ``v_j`` is the least loss
of freeing one seat of ``j`` by a chain of moves ending at a free seat or at "unplaced". These
are the **largest** optimal prices: ``v_j`` is the drop in the optimal total if position ``j``
lost one seat (its shadow price), as :func:`~asn_match.kernels.lap.capacity_prices` gives from
the seat prices of ``assignment_prices``. They do not depend on the order of rows or on the warm
start. Positions with capacity 0 get the least price at which nobody would want them,
``max(0, max_i w_ij - u_i)``.

On request a forward Dijkstra run instead gives the **smallest** optimal prices
(``dual="smallest"``): ``v_j`` is the least price at which nobody wants ``j`` more than what they
got, the gain in the optimal total if ``j`` had one more seat; or both runs give the **middle**
of the two (``dual="middle"``), an optimal dual inside their range. The certified loop of
:mod:`asn_match.large` prices the pairs left out of its candidate solves at the middle, which
closed its duality gap fastest (measured at 62,500 x 20,000, the loop and its samples at the
same prices, the gap over the full problem after 1, 2, 4 and 6 candidate solves: largest 1.8%,
1.2%, 0.78%, 0.44%; smallest 0.77%, 0.72%, 0.63%, 0.60%; middle 1.2%, 0.68%, 0.44%, 0.32%).

Exactness
---------
With int64 weights all arithmetic is int64 additions and comparisons of weights and prices
(prices and distances are sums of weight differences along chains and stay within a few times
the largest weight): no rounding, so lexicographic objectives encoded as
``W = V * (S + 1) + stay`` are solved exactly. Weights (and warm-start prices) must be at most
``2**56`` in absolute value, far below the int64 sentinels used for "unreached" (``2**61``) and
"impossible" (``2**62``), so no sum overflows; the total is summed exactly (as a Python int when
it could overflow int64). With float weights the result is optimal up to rounding (about 1e-12
relative) and the prices satisfy the optimality conditions up to rounding.

Ties
----
Employees are added in row order and a search prefers, among equally near positions, one with a
free seat (which ends the chain there, moving nobody else), then the lower index; "unplaced" is
the last column, so a free real seat wins a tie with it. Which of several optimal placements is
returned therefore depends on the order of rows and columns (deterministically): an earlier row
tends to keep what it took first, but no rule stronger than optimality is promised. Callers that
need a particular optimum among ties should encode the preference in integer weights (e.g.
``W = V * (S + 1) + stay``). The prices do not depend on the order: they are the largest (or the
smallest, or their middle) ones.

One unit although past 1,000 lines: the warm placement's hints, the forward search, the
warm-start repair and the largest and smallest prices share the residual graph's state
(occupants, exchange matrix, potentials) and its invariants, which a reader checks across them;
the maths above is a third of the file (the search without matrix keeps its heap and its
exchange rows apart).

References
----------
.. [1] R.K. Ahuja, T.L. Magnanti and J.B. Orlin, *Network Flows*, Prentice Hall (1993), ch. 9
   (successive shortest paths with reduced costs).
.. [2] R. Jonker and A. Volgenant, "A shortest augmenting path algorithm for dense and sparse
   linear assignment problems", Computing 38 (1987) 325-340.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import check_choice
from ._column_heap import clear, pop, precedes, push
from ._compile import jit
from ._exchange_rows import exchange_row, new_rows
from ._occupants import join, leave
from .auction import auction_prices

__all__ = ["TransportSolution", "max_weight_transport", "max_weight_transport_sparse"]

#: Largest integer weight or price accepted (2**56): prices and distances then stay far below
#: the integer path's sentinels, so no int64 sum overflows.
MAX_INT_WEIGHT = 2**56
#: Up to this many positions the solver keeps an (m, m + 1) exchange matrix (2 arrays of 8-byte
#: numbers) so that a search costs O(m) per position it passes; above it, each position's sparse
#: exchange row (:mod:`._exchange_rows`), which costs what it holds. Measured (assign, medians of
#: 3): 10,000 x 200, matrix 0.59 s, rows 0.77 s; 5,000 x 1,000, 1.63 / 1.46 s; a cold solve at
#: 100,000 x 2,000, 7.4 / 5.9 s.
MAX_MATRIX_POSITIONS = 512
#: The exchange rows share a pool of this many entries per pair (16 bytes each; a row holds the
#: distinct columns of its occupants' pairs, about a ninth of them at 250,000 x 5,000), emptied
#: and refilled when full.
EXCHANGE_POOL = 0.5
#: A warm start's final repair may do this many times the work of the pairs and the positions
#: squared before the solve starts again from the next prices (an auction's, then zeros): prices
#: far from optimal can leave many seats to fill, one backward search each.
REPAIR_WORK = 32
#: A solve on at least this many pairs without starting prices (or whose starting prices leave
#: too many seats to repair) starts from the prices of an auction instead of 0
#: (:mod:`asn_match.kernels.auction`): a fraction of the work on many small positions; below it
#: the cold solve takes milliseconds anyway.
AUCTION_MIN_PAIRS = 50_000
#: Without the exchange matrix a long search costs more (a heap, exchange rows), and on many
#: pairs the searches' tail grows fastest: from FINE_AUCTION_PAIRS pairs on, the auction runs
#: down to FINE_AUCTION of the weights' spread (4 more phases than
#: :data:`~asn_match.kernels.auction.FINAL_EPSILON`), which leaves the searches short. Measured
#: on cold solves (auction + searches): 1,000,000 x 20,000 on 28.1 M pairs, 180 s (59 + 112)
#: at 1e-9 against more than 1,660 s at 1e-3; on the first solve of 1,000,000 x 20,000 (26.9 M
#: pairs, one process, a shared machine) 274 s (178 + 96) at 1e-9, 199 s (118 + 81) at 1e-6,
#: 153 s (66 + 88) at 1e-5, 143 s (48 + 95) at 1e-4: the last phases are the auction's
#: dearest (price wars among near-equal bids) and buy the searches little. On the first and
#: third solves of 250,000 x 20,000: 38.6 s and 87 s at 1e-9, 25.2 s and 52 s at 1e-5, 20.6 s
#: and 72 s at 1e-4.
FINE_AUCTION, FINE_AUCTION_PAIRS = 1e-5, 2**22
#: The optimal prices a solve can return (``dual``).
_DUALS = ("largest", "smallest", "middle")
#: Sentinels of the integer path: "not reached yet" (a distance) and "impossible" (a loss).
_INT_INF = np.int64(2**61)
_INT_BIG = np.int64(2**62)


# ----------------------------------------------------------------------------- compiled kernels


@jit
def _pop_nearest(front, n_front, dist, count, cap):
    """The column of least distance among the first ``n_front`` of ``front``.

    Ties go to a column with a free seat (which ends the search at once, moving nobody), then to
    the lower index. The first pop of a search only looks at the employee's own pairs: O(degree).
    """
    k = front[0]
    for t in range(1, n_front):
        a = front[t]
        if precedes(dist[a], count[a] < cap[a], a, dist[k], count[k] < cap[k], k):
            k = a
    return k


@jit
def _move(r, k, e, m, col_of, ent_of, count, head, nxt, prv):
    """Move employee ``r`` to column ``k`` by CSR entry ``e`` (k == m, e == -1: unplaced).

    Occupants of each real position are a doubly linked list, so leaving and joining are O(1).
    """
    j = col_of[r]
    if 0 <= j < m:  # out of its position's list (j == -1: a new employee)
        leave(r, j, head, nxt, prv, count)
    elif j == m:  # "unplaced" keeps no list
        count[j] -= 1
    col_of[r] = k
    ent_of[r] = e
    if k < m:
        join(r, k, head, nxt, prv, count)
    else:
        count[k] += 1


@jit
def _add_to_exchange(j, r, wrj, indptr, indices, w, m, best, who):
    """Occupant ``r`` (weight ``wrj`` in ``j``) joins row ``j`` of the exchange matrix.

    ``best[j, k]`` is the least loss ``w_rj - w_rk`` over occupants ``r`` of ``j`` that may go
    to ``k`` (``k == m``: unplaced, ``w_rk = 0``), ``who[j, k]`` such an occupant. Prices do not
    enter it, so it only changes when ``j``'s occupants change: a search then relaxes from ``j``
    in O(m), whatever the number of occupants.
    """
    for e in range(indptr[r], indptr[r + 1]):
        k = indices[e]
        if k != j and wrj - w[e] < best[j, k]:
            best[j, k] = wrj - w[e]
            who[j, k] = r
    if wrj < best[j, m]:
        best[j, m] = wrj
        who[j, m] = r


@jit
def _repair_exchange(j, k, head, nxt, ent_of, indptr, indices, w, m, best, who, big):
    """Recompute ``best[j, k]`` over the present occupants of ``j``.

    Called for the entries that came from an occupant who has left. Weights of the occupants at
    ``k`` are found by binary search (no dense weights kept).
    """
    best[j, k] = big
    who[j, k] = -1
    q = head[j]
    while q >= 0:
        loss = w[ent_of[q]]
        if k < m:
            f = _entry_of(q, k, indptr, indices)
            if f == indptr[q + 1] or indices[f] != k:
                q = nxt[q]
                continue  # q may not go to k
            loss -= w[f]
        if loss < best[j, k]:
            best[j, k] = loss
            who[j, k] = q
        q = nxt[q]


@jit
def _entry_of(r, k, indptr, indices):
    """The CSR entry of pair (r, k), by binary search (columns ascend within a row)."""
    lo, hi = indptr[r], indptr[r + 1]
    while lo < hi:
        mid = (lo + hi) // 2
        if indices[mid] < k:
            lo = mid + 1
        else:
            hi = mid
    return lo


@jit
def _remove_from_exchange(j, r, head, nxt, ent_of, indptr, indices, w, m, best, who, big):
    """Occupant ``r`` has left ``j``: recompute the entries of row ``j`` that came from it.

    Keeping the matrix exact when someone leaves (rather than repairing entries lazily when a
    search relies on them) lets a search relax a whole row without checking who is still there.
    Either every stale entry is recomputed over the remaining occupants (binary searches) or the
    row is rebuilt from their pairs, whichever touches fewer entries: few stale entries and many
    occupants (large positions) favour the first, many stale entries and few occupants the second.
    """
    n_stale = 0
    for k in range(m + 1):
        if who[j, k] == r:
            n_stale += 1
    if n_stale == 0:
        return
    n_occupants = 0
    pairs = 0
    q = head[j]
    while q >= 0:
        n_occupants += 1
        pairs += indptr[q + 1] - indptr[q]
        q = nxt[q]
    # A binary search costs about log2(degree) + 1 probes; a rebuild, the row plus every pair.
    probes = 1
    while n_occupants > 0 and (1 << probes) < pairs // n_occupants:
        probes += 1
    if n_stale * n_occupants * (probes + 1) <= m + 1 + pairs:
        for k in range(m + 1):
            if who[j, k] == r:
                _repair_exchange(j, k, head, nxt, ent_of, indptr, indices, w, m, best, who, big)
    else:
        for k in range(m + 1):
            best[j, k] = big
            who[j, k] = -1
        q = head[j]
        while q >= 0:
            _add_to_exchange(j, q, w[ent_of[q]], indptr, indices, w, m, best, who)
            q = nxt[q]


@jit
def _ssp(indptr, indices, w, cap, v, big, inf, use_matrix, budget, hint, rows):
    """Successive shortest paths over position nodes; returns (col_of, ent_of, v, moves).

    ``cap`` and ``v`` have m + 1 entries, the last being the dummy "unplaced" column (capacity
    above n, so never full). ``v`` is updated in place. ``inf`` is the distance of a column not
    reached yet and ``big`` the loss of an impossible exchange (above ``inf``, so relaxing
    through it never improves a distance).
    ``use_matrix``: relax through the (m, m + 1) exchange matrix (O(m) per settled position)
    rather than each position's sparse exchange row (no O(m^2) memory).
    ``budget``: the most work the final repair may do (see :func:`_repair`); -1 moves are
    returned past it.
    ``hint``: a column per employee (``m``: unplaced, -1: none) taken at once, before any
    search, where it gives the employee its best utility at ``v`` and keeps a seat (see
    :func:`_take_hints`); the other employees are then added by searches.
    ``rows``: the exchange rows of the search without matrix (:mod:`._exchange_rows`).
    """
    n = indptr.size - 1
    m = cap.size - 1
    col_of = np.full(n, -1, np.int64)  # -1: not yet added
    ent_of = np.full(n, -1, np.int64)
    count = np.zeros(m + 1, np.int64)
    head = np.full(m, -1, np.int64)
    nxt = np.full(n, -1, np.int64)
    prv = np.full(n, -1, np.int64)
    size = m if use_matrix else 0
    best = np.full((size, m + 1), big)
    who = np.full((size, m + 1), -1, np.int64)
    dist = np.full(m + 1, inf)
    pred_col = np.zeros(m + 1, np.int64)  # previous column on the chain, -1: from employee i
    pred_emp = np.zeros(m + 1, np.int64)  # who moves into the column (unless read from ``who``)
    pred_ent = np.zeros(m + 1, np.int64)  # by which CSR entry (-1: into the dummy)
    reached = np.full(m + 1, -1, np.int64)  # stamp: a direct pair of the current employee
    order = np.zeros(m + 1, np.int64)  # settled columns, in order, and their distances
    order_dist = np.zeros(m + 1, w.dtype)
    front = np.zeros(m + 1, np.int64)
    # The columns not settled yet in a long search: a list (with the matrix, scanned as it is
    # relaxed) or a heap of those reached (without; :mod:`._column_heap`), and their places.
    todo = np.zeros(m + 1, np.int64)
    where = np.full(m + 1, -1, np.int64)
    heap, size = todo, 0
    row_start, row_length, row_room, row_counters, row_column, row_who = rows[:6]
    row_loss, row_stamp, row_slot = rows[6:]
    # The dummy's price stays 0, and a column with a free seat ends a chain at its distance
    # (its price included): the dummy ends a search whenever reached first, so no chain passes
    # through "unplaced" and its occupants never need scanning. A priced column left with free
    # seats is repaired afterwards (:func:`_repair`).
    v[m] = 0
    moves = 0
    state = (col_of, ent_of, count, head, nxt, prv)
    _take_hints(hint, indptr, indices, w, cap, v, state, m, use_matrix, best, who)
    for i in range(n):
        if col_of[i] >= 0:
            continue  # placed by its hint
        # Direct chains i -> k: distance v_k - w_ik (any sign is fine for first edges).
        n_front = 0
        for e in range(indptr[i], indptr[i + 1]):
            k = indices[e]
            dist[k] = v[k] - w[e]
            pred_col[k] = -1
            pred_ent[k] = e
            reached[k] = i
            front[n_front] = k
            n_front += 1
        dist[m] = v[m]
        pred_col[m] = -1
        pred_ent[m] = -1
        reached[m] = i
        front[n_front] = m
        n_front += 1

        d_end = inf
        end = -1
        n_order = 0
        n_todo = 0
        # The first pop only looks at i's own pairs: most employees end here, in O(degree).
        k = _pop_nearest(front, n_front, dist, count, cap)
        while True:
            order[n_order] = k
            order_dist[n_order] = dist[k]
            n_order += 1
            if count[k] < cap[k]:
                # Free seat: the chain ends here (nothing left is nearer).
                d_end = dist[k]
                end = k
                break
            if not use_matrix:
                if n_order == 1:  # a longer search: the other columns i reached, in the heap
                    for t in range(n_front):
                        if front[t] != k:
                            size = push(front[t], heap, where, size, dist, count, cap)
                base = dist[k] - v[k]
                dist[k] = -big  # settled: no relaxation through the occupants can lower it
                at, length = exchange_row(
                    k, row_start, row_length, row_room, row_counters, row_column, row_who,
                    row_loss, row_stamp, row_slot, w, indptr, indices, head, nxt, ent_of, m,
                )  # fmt: skip
                # Occupant row_who[t] moves to row_column[t]: base + loss + its price.
                for t in range(at, at + length):
                    c = row_column[t]
                    nd = base + row_loss[t] + v[c]
                    if nd < (dist[c] if reached[c] == i else inf):
                        dist[c] = nd
                        reached[c] = i
                        pred_col[c] = k
                        pred_emp[c] = row_who[t]
                        size = push(c, heap, where, size, dist, count, cap)
                k, size = pop(heap, where, size, dist, count, cap)
                if k < 0:
                    break
                continue
            if n_order == 1:
                # A longer search: columns not paired with i are not reached yet; all but k are
                # still to settle.
                for t in range(m + 1):
                    if reached[t] != i:
                        dist[t] = inf
                    todo[n_todo] = t
                    where[t] = n_todo
                    n_todo += 1
            # k is settled: out of the list (the last one takes its place).
            n_todo -= 1
            last = todo[n_todo]
            todo[where[k]] = last
            where[last] = where[k]
            base = dist[k] - v[k]
            dist[k] = -big  # settled: no relaxation through the occupants can lower it
            k = _relax_row(k, base, best[k], v, dist, pred_col, todo, n_todo, count, cap, inf)
            if k < 0 or dist[k] >= inf:
                break

        size = clear(heap, where, size)
        # Prices of the columns settled before the end rise (Johnson's potentials).
        for t in range(n_order):
            k = order[t]
            if order_dist[t] < d_end:
                v[k] += d_end - order_dist[t]
        # Augment along the chain, from the end back to employee i. Each step reads the row of
        # the column before it, which no earlier step has changed (a chain visits a column once).
        k = end
        while True:
            from_col = pred_col[k]
            if from_col < 0:
                r, e = i, pred_ent[k]
            else:
                r = who[from_col, k] if use_matrix else pred_emp[k]
                e = -1 if k == m else _entry_of(r, k, indptr, indices)
            _move(r, k, e, m, col_of, ent_of, count, head, nxt, prv)
            if k < m and not use_matrix:
                # k's exchange row is out of date; the position r left is the next step's k
                row_length[k] = -1
            if use_matrix:
                if k < m:
                    _add_to_exchange(k, r, w[e], indptr, indices, w, m, best, who)
                if from_col >= 0:
                    _remove_from_exchange(
                        from_col, r, head, nxt, ent_of, indptr, indices, w, m, best, who, big
                    )
            if from_col < 0:
                break
            moves += 1
            k = from_col
    repaired = _repair(
        indptr, indices, w, cap, v, col_of, ent_of, count, head, nxt, prv, inf, budget
    )
    if repaired < 0:
        return col_of, ent_of, v, np.int64(-1)  # too many seats to repair: start again
    return col_of, ent_of, v, moves + repaired


@jit
def _take_hints(hint, indptr, indices, w, cap, v, state, m, use_matrix, best, who):
    """Place each employee in its hinted column where that keeps the searches' invariant.

    The invariant is that every placed employee gets its best utility ``w_ij - v_j`` (0 for
    "unplaced", column ``m``), so an employee takes its hint only when the hinted pair is worth
    that best and the column has a seat left. From the placement and prices of an earlier solve
    on fewer pairs, only the employees a new pair draws away are left to search for.
    ``state``: the placement's arrays ``(col_of, ent_of, count, head, nxt, prv)``.
    """
    col_of, ent_of, count, head, nxt, prv = state
    for i in range(hint.size):
        k = hint[i]
        if k < 0:
            continue
        utility = -v[m]
        entry = -1
        for e in range(indptr[i], indptr[i + 1]):
            g = w[e] - v[indices[e]]
            if g > utility:
                utility = g
            if indices[e] == k:
                entry = e
        if k < m and (entry < 0 or w[entry] - v[k] != utility or count[k] >= cap[k]):
            continue
        if k == m and utility > -v[m]:
            continue
        _move(i, k, entry, m, col_of, ent_of, count, head, nxt, prv)
        if use_matrix and k < m:
            _add_to_exchange(k, i, w[entry], indptr, indices, w, m, best, who)


@jit
def _repair(indptr, indices, w, cap, v, col_of, ent_of, count, head, nxt, prv, inf, budget):
    """Give every position with a free seat price 0, keeping every employee's best utility.

    After the forward searches a position may keep free seats at a (warm-start) price, which
    complementary slackness forbids. For each such position ``j``, a backward Dijkstra search
    finds the least loss ``d_l`` of a chain "an occupant of ``l`` (or an unplaced employee, for
    the dummy) moves to ..., someone moves into ``j``", over the employees' pairs transposed.
    Ending the chain at ``l`` (``l`` keeps the vacated seat, at price 0) costs ``d_l + v_l``;
    with ``t`` the least such key, the prices of the positions settled nearer than ``t`` fall
    by ``t - d_l`` (the mirror of the forward update: every employee keeps its best utility,
    prices stay non-negative, the chain becomes tight and the end's price 0), and the chain is
    applied (no move when ``j`` itself is the end: its price is 0). Each step fills a seat of
    ``j`` or zeroes its price, and never makes another position priced with a free seat, so
    the placement ends optimal. Returns the number of moves. Cold starts never get here.

    Each search fills one seat, so prices far from optimal can leave many to fill: past a work
    budget (:data:`REPAIR_WORK` times the pairs and the columns squared, about what a cold
    solve's searches may cost; settling a column costs its pairs) -1 is returned, and the
    caller solves from the next start. The columns reached wait in a heap
    (:mod:`._column_heap`): a search costs what it reaches, not ``O(m)`` per column settled
    (1,000,000 x 20,000 from an auction's prices to whole units: 101 seats at 59 positions to
    fill, which a scan of every column per settled one could not within the budget).
    """
    n = indptr.size - 1
    m = cap.size - 1
    first = -1
    for k in range(m):
        if count[k] < cap[k] and v[k] > 0:
            first = k
            break
    if first < 0:
        return 0
    # For each column, the employees that may move into it and by which entry.
    start = np.zeros(m + 2, np.int64)
    for e in range(indices.size):
        start[indices[e] + 1] += 1
    for k in range(m + 1):
        start[k + 1] += start[k]
    fill = start[:-1].copy()
    in_emp = np.zeros(indices.size, np.int64)
    in_ent = np.zeros(indices.size, np.int64)
    for r in range(n):
        for e in range(indptr[r], indptr[r + 1]):
            c = indices[e]
            in_emp[fill[c]] = r
            in_ent[fill[c]] = e
            fill[c] += 1
    dist = np.full(m + 1, inf)
    settled = np.zeros(m + 1, np.bool_)
    pred_emp = np.zeros(m + 1, np.int64)  # who leaves the column along the chain
    pred_ent = np.zeros(m + 1, np.int64)  # by which entry
    pred_to = np.zeros(m + 1, np.int64)  # into which column
    order = np.zeros(m + 1, np.int64)
    heap = np.zeros(m + 1, np.int64)  # the columns reached, nearest first (._column_heap)
    where = np.full(m + 1, -1, np.int64)
    size = 0
    moves = 0
    work = 0
    for j in range(first, m):
        while count[j] < cap[j] and v[j] > 0:
            dist[j] = 0
            n_order = 0
            t_end = inf
            end = -1
            k = j
            while k >= 0 and dist[k] < t_end:
                settled[k] = True
                order[n_order] = k
                n_order += 1
                key = dist[k] + v[k]  # v[m] == 0: the dummy ends a chain at its distance
                if key < t_end:
                    t_end = key
                    end = k
                if t_end <= dist[k]:
                    break
                # Who could move into k: an occupant of src, losing its utility difference.
                work += start[k + 1] - start[k] + 1
                if work > budget:
                    return -1
                base = dist[k] + v[k]
                for t in range(start[k], start[k + 1]):
                    r = in_emp[t]
                    src = col_of[r]
                    if settled[src]:
                        continue
                    nd = base - w[in_ent[t]] - v[src]
                    if src < m:
                        nd += w[ent_of[r]]
                    if nd < dist[src]:
                        dist[src] = nd
                        pred_emp[src] = r
                        pred_ent[src] = in_ent[t]
                        pred_to[src] = k
                        size = push(src, heap, where, size, dist, count, cap)
                k, size = pop(heap, where, size, dist, count, cap)
            for t in range(n_order):
                c = order[t]
                if c < m and dist[c] < t_end:
                    v[c] -= t_end - dist[c]
                    if v[c] < 0:  # float rounding only
                        v[c] = 0
            if end < m:
                v[end] = 0
            c = end
            while c != j:
                _move(
                    pred_emp[c], pred_to[c], pred_ent[c], m, col_of, ent_of, count, head, nxt, prv
                )
                moves += 1
                c = pred_to[c]
            # only the columns this search reached: those it settled, the last one it popped
            # (nearer than none) and those left in the heap
            for t in range(n_order):
                dist[order[t]] = inf
                settled[order[t]] = False
            if k >= 0:
                dist[k] = inf
            for t in range(size):
                dist[heap[t]] = inf
            size = clear(heap, where, size)
    return moves


@jit
def _better(c, d, nearest, d_min, count, cap):
    """Whether column ``c`` at distance ``d`` is popped before ``nearest`` at ``d_min``.

    The nearer first; among equally near columns, one with a free seat (it ends the search at
    once, moving nobody), then the lower index.
    """
    if nearest < 0:
        return d < d_min  # none reached yet
    return precedes(d, count[c] < cap[c], c, d_min, count[nearest] < cap[nearest], nearest)


@jit
def _relax_row(k, base, row, v, dist, pred_col, todo, n_todo, count, cap, inf):
    """Relax the columns still to settle through full position ``k``; return the nearest.

    ``row[c] = best[k, c]``; -1 is returned when no column left is reached. One pass over the
    unsettled columns only: a long search settles most of them, so the list shrinks as it goes.
    Impossible exchanges cost more than ``inf``, so the comparison alone tells which columns
    improve (selects rather than branches: which do is unpredictable). Exact ties in distance
    are rare with real weights: the tie rule runs only on them.
    """
    nearest = -1
    d_min = inf
    for t in range(n_todo):
        c = todo[t]
        d = dist[c]
        nd = base + row[c] + v[c]
        better = nd < d
        d = nd if better else d
        dist[c] = d
        pred_col[c] = k if better else pred_col[c]
        if d < d_min:
            nearest = c
            d_min = d
        elif d == d_min and _better(c, d, nearest, d_min, count, cap):
            nearest = c
    return nearest


@jit
def _largest_prices(indptr, indices, w, cap, col_of, ent_of, p, inf):
    """The largest optimal prices of an optimal placement, by a backward Dijkstra search.

    ``v_j`` is the least loss of freeing a seat of ``j``: 0 with a free seat; else the least over
    its occupants ``r`` of ``w_rj`` (r leaves) and of ``w_rj - w_rl + v_l`` (r moves to ``l``).
    Those lengths may be negative, so the search runs on lengths reduced by the solver's final
    potentials ``p``, non-negative since every employee gets its best utility at ``p``. The
    distances stay in the weights' dtype: exact for integers.
    """
    n = indptr.size - 1
    m = cap.size - 1
    # The pairs of placed employees, transposed: for each column c, who could move into it.
    start = np.zeros(m + 2, np.int64)
    for r in range(n):
        if col_of[r] < m:
            for e in range(indptr[r], indptr[r + 1]):
                start[indices[e] + 1] += 1
    for k in range(m + 1):
        start[k + 1] += start[k]
    fill = start[:-1].copy()
    in_ent = np.zeros(start[m + 1], np.int64)
    in_emp = np.zeros(start[m + 1], np.int64)
    for r in range(n):
        if col_of[r] < m:
            for e in range(indptr[r], indptr[r + 1]):
                c = indices[e]
                in_ent[fill[c]] = e
                in_emp[fill[c]] = r
                fill[c] += 1
    count = np.zeros(m + 1, np.int64)
    for r in range(n):
        count[col_of[r]] += 1

    # Reduced distances d_j = v_j - p_j. Sources: columns with a free seat (and the dummy), v = 0.
    dred = np.full(m + 1, inf)
    for k in range(m + 1):
        if count[k] < cap[k]:
            dred[k] = -p[k]
    # An occupant r of j may leave (to the dummy, price 0): v_j <= w_rj.
    for r in range(n):
        j = col_of[r]
        if j < m and w[ent_of[r]] - p[j] < dred[j]:
            dred[j] = w[ent_of[r]] - p[j]
    done = np.zeros(m + 1, np.bool_)
    value = np.zeros(m + 1, w.dtype)
    for _ in range(m + 1):
        k = -1
        for t in range(m + 1):
            if not done[t] and dred[t] < inf and (k < 0 or dred[t] < dred[k]):
                k = t
        if k < 0:
            break  # the rest (capacity 0) is never reached
        done[k] = True
        # Free seat: 0 exactly; else >= 0 at an optimum (the max absorbs float rounding).
        value[k] = 0 if count[k] < cap[k] else max(dred[k] + p[k], 0)
        # Relax the full positions whose occupants could move into k.
        for t in range(start[k], start[k + 1]):
            r = in_emp[t]
            j = col_of[r]
            if done[j]:
                continue
            cand = (w[ent_of[r]] - w[in_ent[t]] + value[k]) - p[j]
            if cand < dred[j]:
                dred[j] = cand
    return value


@jit
def _smallest_prices(indptr, indices, w, cap, col_of, ent_of, p):
    """The smallest optimal prices of an optimal placement, by a forward Dijkstra search.

    ``v_k`` is the least price at which nobody wants ``k`` more than what they have: 0, ``w_rk``
    for an unplaced ``r``, ``w_rk - (w_rl - v_l)`` for ``r`` placed at ``l``. As drops
    ``d = p - v`` from the solver's final potentials ``p`` these are shortest paths: ``d_k`` at
    most ``p_k`` (and ``p_k - w_rk``), and at most ``d_l`` plus the reduced length
    ``(w_rl - p_l) - (w_rk - p_k) >= 0`` of an occupant ``r`` of ``l`` with a pair to ``k``.
    The distances stay in the weights' dtype: exact for integers.
    """
    n = indptr.size - 1
    m = cap.size - 1
    start = np.zeros(m + 2, np.int64)  # the occupants of each position (CSR)
    for r in range(n):
        start[col_of[r] + 1] += 1
    for k in range(m + 1):
        start[k + 1] += start[k]
    fill = start[:-1].copy()
    occupant = np.empty(n, np.int64)
    for r in range(n):
        occupant[fill[col_of[r]]] = r
        fill[col_of[r]] += 1
    drop = p[:m].copy()
    for t in range(start[m], start[m + 1]):  # the unplaced must still want nothing
        r = occupant[t]
        for e in range(indptr[r], indptr[r + 1]):
            drop[indices[e]] = min(drop[indices[e]], p[indices[e]] - w[e])
    done = np.zeros(m, np.bool_)
    for _ in range(m):
        k = -1
        for t in range(m):
            if not done[t] and (k < 0 or drop[t] < drop[k]):
                k = t
        done[k] = True
        for t in range(start[k], start[k + 1]):
            r = occupant[t]
            base = drop[k] + w[ent_of[r]] - p[k]  # d_k plus r's utility at p
            for e in range(indptr[r], indptr[r + 1]):
                c = indices[e]
                if not done[c] and base - (w[e] - p[c]) < drop[c]:
                    drop[c] = base - (w[e] - p[c])
    value = np.zeros(m, w.dtype)
    for k in range(m):
        value[k] = max(p[k] - drop[k], 0)  # >= 0 at an optimum (the max absorbs float rounding)
    return value


@jit
def _employee_values(indptr, indices, w, v):
    """u_i = max(0, max over i's pairs of w_ij - v_j)."""
    n = indptr.size - 1
    u = np.zeros(n, w.dtype)
    for i in range(n):
        for e in range(indptr[i], indptr[i + 1]):
            g = w[e] - v[indices[e]]
            if g > u[i]:
                u[i] = g
    return u


@jit
def _price_unwanted(indptr, indices, w, capacities, u, v):
    """v_j = max(0, max_i w_ij - u_i) for the positions without a seat, in place."""
    for i in range(indptr.size - 1):
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            if capacities[j] == 0 and w[e] - u[i] > v[j]:
                v[j] = w[e] - u[i]


# ----------------------------------------------------------------------------- Python interface


@dataclass(frozen=True)
class TransportSolution:
    """An optimal capacitated assignment and its dual prices.

    Attributes
    ----------
    employee_position : ndarray of shape (n_employees,), int64
        The position of each employee, -1 when unplaced.
    position_prices : ndarray of shape (n_positions,), int64 or float64 like the weights
        The largest optimal dual price ``v_j >= 0`` of each position: 0 when it has a free seat;
        otherwise the drop in the optimal total if it lost one seat. Or, when asked for, the
        smallest (0 with a free seat, otherwise the gain in the optimal total if the position
        had one more seat) or the middle of the two (see ``dual``).
    employee_values : ndarray of shape (n_employees,), like the weights
        ``u_i = max(0, max_j w_ij - v_j)`` over allowed pairs: what employee ``i`` gets at these
        prices; ``u_i + v_j = w_ij`` where placed, 0 when unplaced.
    total : int or float
        The optimal total weight of the placed pairs (a Python int for integer weights, exact).
    n_moves : int
        How many times an already placed employee moved during the solve (0 when everybody got
        their best position at the prices of the moment); a measure of the work done.
    """

    employee_position: np.ndarray
    position_prices: np.ndarray
    employee_values: np.ndarray
    total: int | float
    n_moves: int


def _weights_dtype(array: np.ndarray, name: str, caller: str) -> np.ndarray:
    if array.dtype == np.bool_ or array.dtype.kind not in "iuf":
        raise ValueError(
            f"The {name!r} parameter of {caller} must hold real numbers (integers or floats). "
            f"Got an array of dtype {array.dtype} instead."
        )
    return array.astype(np.float64 if array.dtype.kind == "f" else np.int64, copy=False)


def _check_values(values: np.ndarray, name: str, caller: str) -> None:
    """Reject NaN, infinities and integers too large for exact int64 arithmetic."""
    if values.dtype.kind == "f":
        bad = ~np.isfinite(values)
        if bad.any():
            raise ValueError(
                f"The {name!r} parameter of {caller} must be finite on allowed pairs. Got "
                f"{values[bad][0]!r} instead; forbid a pair with allowed=False (or leave it out)."
            )
    elif values.size and int(np.abs(values).max()) > MAX_INT_WEIGHT:
        raise ValueError(
            f"The {name!r} parameter of {caller} must have integer values of at most 2**56 in "
            f"absolute value (for exact int64 arithmetic). Got {int(np.abs(values).max())} "
            "instead."
        )


def _check_capacities(capacities, caller: str) -> np.ndarray:
    array = np.asarray(capacities)
    if array.ndim != 1 or array.dtype == np.bool_ or array.dtype.kind not in "iuf":
        raise ValueError(
            f"The 'capacities' parameter of {caller} must be a 1-D array of non-negative whole "
            f"numbers of shape (n_positions,). Got an array of dtype {array.dtype} and shape "
            f"{array.shape} instead."
        )
    if array.dtype.kind == "f":
        bad = ~np.isfinite(array) | (array != np.round(array))
        if bad.any():
            raise ValueError(
                f"The 'capacities' parameter of {caller} must hold whole numbers of seats. Got "
                f"{array[bad][0]!r} instead."
            )
    if (array < 0).any():
        raise ValueError(
            f"The 'capacities' parameter of {caller} must be non-negative (a number of seats). "
            f"Got {array[array < 0][0]!r} instead."
        )
    return array


def _check_prices(prices, m: int, dtype, caller: str) -> np.ndarray:
    if prices is None:
        return np.zeros(m + 1, dtype=dtype)
    array = np.asarray(prices)
    if array.shape != (m,) or array.dtype == np.bool_ or array.dtype.kind not in "iuf":
        raise ValueError(
            f"The 'prices' parameter of {caller} must be None or a 1-D array of shape ({m},), "
            f"one price per position. Got an array of dtype {array.dtype} and shape "
            f"{array.shape} instead."
        )
    if np.dtype(dtype).kind == "i" and array.dtype.kind == "f":
        if not (np.isfinite(array) & (array == np.round(array))).all():
            raise ValueError(
                f"The 'prices' parameter of {caller} must hold whole numbers with integer "
                f"weights. Got {array!r} instead."
            )
    array = array.astype(dtype)
    _check_values(array, "prices", caller)
    if (array < 0).any():
        raise ValueError(
            f"The 'prices' parameter of {caller} must be non-negative. Got "
            f"{array[array < 0][0]!r} instead."
        )
    return np.concatenate([array, np.zeros(1, dtype=dtype)])


def _check_placement(placement, prices, n: int, m: int, caller: str) -> np.ndarray:
    """The hint of each employee for :func:`_ssp`: its position, ``m`` when unplaced."""
    if placement is None:
        return np.full(n, -1, np.int64)
    if prices is None:
        raise ValueError(
            f"The 'placement' parameter of {caller} needs the 'prices' it was placed at: a warm "
            "start is the placement and the prices of an earlier solve. Pass both, or neither."
        )
    array = np.asarray(placement)
    if array.shape != (n,) or array.dtype.kind not in "iu":
        raise ValueError(
            f"The 'placement' parameter of {caller} must be None or a 1-D array of integers of "
            f"shape ({n},), one position per employee (-1: unplaced). Got an array of dtype "
            f"{array.dtype} and shape {array.shape} instead."
        )
    if array.size and (array.min() < -1 or array.max() >= m):
        raise ValueError(
            f"The 'placement' parameter of {caller} must hold positions in [0, {m}) or -1 "
            f"(unplaced). Got values from {array.min()} to {array.max()} instead."
        )
    return np.where(array < 0, m, array).astype(np.int64)


def _solve(
    indptr, indices, weights, capacities, prices, caller: str, placement=None, dual="largest"
) -> TransportSolution:
    """Solve on validated CSR arrays (int64 indptr/indices, int64 or float64 weights)."""
    n, m = indptr.size - 1, capacities.size
    dtype = weights.dtype
    v = _check_prices(prices, m, dtype, caller)
    # Pairs worth placing: positive weight, into a position with a seat.
    indptr0, indices0, weights0 = indptr, indices, weights
    keep = (weights > 0) & (capacities[indices] > 0)
    if not keep.all():
        kept = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
        indptr = kept[indptr]
        indices, weights = indices[keep], weights[keep]
    # A position never holds more than n, so capacities above n are as good as n + 1.
    cap = np.minimum(capacities, n + 1).astype(np.int64)
    cap = np.concatenate([cap, np.array([n + 1], dtype=np.int64)])  # the dummy: never full
    if dtype.kind == "i":
        inf, big = _INT_INF, _INT_BIG
    else:
        inf = big = np.float64(np.inf)
    use_matrix = m <= MAX_MATRIX_POSITIONS
    budget = REPAIR_WORK * (indices.size + (m + 1) ** 2)
    pool = int(EXCHANGE_POOL * indices.size)
    given = v if prices is not None else None
    hint, no_hint = _check_placement(placement, prices, n, m, caller), np.full(n, -1, np.int64)
    for start in _starts(given, indptr, indices, weights, cap):
        # the placement hints only go with the prices they were optimal at
        hint = hint if start is given else no_hint
        rows = new_rows(0, 0, weights.dtype) if use_matrix else new_rows(m, pool, weights.dtype)
        col_of, ent_of, potentials, moves = _ssp(
            indptr, indices, weights, cap, start, big, inf, use_matrix, budget, hint, rows
        )
        if moves >= 0:
            break
    if dual in ("smallest", "middle"):
        low = _smallest_prices(indptr, indices, weights, cap, col_of, ent_of, potentials)
    if dual in ("largest", "middle"):
        value = _largest_prices(indptr, indices, weights, cap, col_of, ent_of, potentials, inf)
        high = value[:m].copy()
    if dual == "middle":
        prices_out = (low + high) // 2 if dtype.kind == "i" else (low + high) / 2
    else:
        prices_out = low if dual == "smallest" else high
    position = np.where(col_of < m, col_of, -1)
    placed = ent_of[position >= 0]
    u = _employee_values(indptr, indices, weights, prices_out)
    if (capacities == 0).any():
        # Capacity 0: the least price at which nobody wants the position (pairs not filtered).
        _price_unwanted(indptr0, indices0, weights0, capacities, u, prices_out)
    total = _exact_sum(weights[placed])
    return TransportSolution(
        employee_position=position.astype(np.int64),
        position_prices=prices_out,
        employee_values=u,
        total=total,
        n_moves=int(moves),
    )


def _starts(given, indptr, indices, weights, cap):
    """Starting prices (m + 1 of them), best first: the caller's, an auction's, zeros.

    A start that leaves too many seats to repair gives way to the next (each made only when
    needed); zeros never need a repair.
    """
    if given is not None:
        yield given
    if indices.size >= AUCTION_MIN_PAIRS:
        # without the matrix long searches are costly, and on many pairs they are many
        fine = cap.size > MAX_MATRIX_POSITIONS + 1 and indices.size >= FINE_AUCTION_PAIRS
        auction = auction_prices(indptr, indices, weights, cap[:-1], FINE_AUCTION if fine else None)
        if auction.any():
            yield np.concatenate([auction, np.zeros(1, dtype=auction.dtype)])
    yield np.zeros(cap.size, dtype=weights.dtype)


def _exact_sum(values: np.ndarray) -> int | float:
    if values.dtype.kind == "f":
        return float(values.sum())
    if values.size and int(np.abs(values).max()) * values.size >= 2**63:
        return sum(int(x) for x in values)
    return int(values.sum())


def max_weight_transport(
    weights, capacities, *, allowed=None, prices=None, placement=None, dual="largest"
) -> TransportSolution:
    """Place employees in positions with capacities, maximising the total weight.

    Each employee goes to at most one position, position ``j`` takes at most ``capacities[j]``
    employees, only allowed pairs are used, and pairs with weight <= 0 are never placed (an
    unplaced employee counts 0). Exact for int64 weights. See the module docstring for the
    algorithm and the dual.

    Parameters
    ----------
    weights : array-like of shape (n_employees, n_positions), int or float
        The value of each pair. Integer weights (at most ``2**56`` in absolute value) are solved
        exactly in int64; float weights must be finite on allowed pairs.
    capacities : array-like of shape (n_positions,), non-negative whole numbers
        The seats of each position.
    allowed : array-like of bool of shape (n_employees, n_positions), optional
        The pairs that may be placed; all when None. Weights of forbidden pairs are ignored.
    prices : array-like of shape (n_positions,), optional
        Warm start: non-negative starting prices, e.g. those of a previous solve before pairs
        were added. Any prices give the same optimal total and the same returned prices; good
        ones save most of the work (see the module docstring).
    placement : array-like of int of shape (n_employees,), optional
        Warm start with ``prices``: the position of each employee (-1: unplaced) in that earlier
        solve. An employee keeps it at once where it is still worth the employee's best at
        ``prices`` (and the position has a seat); only the others are searched for. Any
        placement gives the same optimal total: after pairs were added, with the prices of the
        earlier solve, it spares the searches of everyone the new pairs do not draw away.
    dual : {"largest", "smallest", "middle"}, default="largest"
        Which optimal prices to return: the largest (what each position's last seat is
        worth), the smallest (what one more seat would add) or the middle of the two (rounded
        down for integer weights; optimal too, as every price between them that keeps the
        placement's pairs tight). Each is unique, whatever the start or the order of rows.

    Returns
    -------
    TransportSolution
        The placement, the optimal prices asked for, the employees' values and the total.

    Examples
    --------
    >>> solution = max_weight_transport([[5, 3], [4, 1], [2, 2]], [1, 2])
    >>> solution.employee_position.tolist(), solution.total
    ([1, 0, 1], 9)
    >>> solution.position_prices.tolist(), solution.employee_values.tolist()
    ([4, 2], [1, 0, 0])
    """
    caller = "max_weight_transport"
    capacities = _check_capacities(capacities, caller)
    dual = check_choice(dual, "dual", caller, _DUALS)
    array = np.asarray(weights)
    if array.ndim != 2 or array.shape[1] != capacities.size:
        raise ValueError(
            f"The 'weights' parameter of {caller} must be a matrix of shape (n_employees, "
            f"{capacities.size}), one column per capacity. Got shape {array.shape} instead."
        )
    array = _weights_dtype(array, "weights", caller)
    mask = array > 0
    if allowed is not None:
        allowed = np.asarray(allowed)
        if allowed.dtype != np.bool_ or allowed.shape != array.shape:
            raise ValueError(
                f"The 'allowed' parameter of {caller} must be None or a boolean array of shape "
                f"{array.shape}. Got an array of dtype {allowed.dtype} and shape "
                f"{allowed.shape} instead."
            )
        if array.dtype.kind == "f":
            _check_values(array[allowed], "weights", caller)
        mask &= allowed
    elif array.dtype.kind == "f":
        _check_values(array, "weights", caller)
    if array.dtype.kind == "i":
        _check_values(array[mask], "weights", caller)
    # CSR of the pairs worth placing (row-major, so column indices ascend within a row).
    indptr = np.zeros(array.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.count_nonzero(mask, axis=1), out=indptr[1:])
    indices = np.nonzero(mask)[1].astype(np.int64)
    return _solve(indptr, indices, array[mask], capacities, prices, caller, placement, dual)


def max_weight_transport_sparse(
    indptr, indices, weights, capacities, *, prices=None, placement=None, dual="largest"
) -> TransportSolution:
    """:func:`max_weight_transport` with the allowed pairs given row by row (CSR).

    The allowed pairs of employee ``i`` are ``indices[indptr[i]:indptr[i + 1]]`` with weights
    ``weights[indptr[i]:indptr[i + 1]]`` (e.g. the ``indptr``, ``indices`` and ``data`` of a
    ``scipy.sparse.csr_array``, whose explicit zeros count as allowed pairs of weight 0, so
    never placed). A position may appear at most once per employee.

    Parameters
    ----------
    indptr : array-like of int of shape (n_employees + 1,)
        Where each employee's pairs start, non-decreasing from 0 to ``len(indices)``.
    indices : array-like of int of shape (n_pairs,)
        The position of each pair, in ``[0, n_positions)``.
    weights : array-like of shape (n_pairs,), int or float
        The value of each pair (see :func:`max_weight_transport` for the dtypes).
    capacities : array-like of shape (n_positions,), non-negative whole numbers
        The seats of each position.
    prices, placement : array-like, optional
        Warm start prices and placement, as in :func:`max_weight_transport`.
    dual : {"largest", "smallest", "middle"}, default="largest"
        Which optimal prices to return, as in :func:`max_weight_transport`.

    Returns
    -------
    TransportSolution
        As :func:`max_weight_transport`.

    Examples
    --------
    >>> solution = max_weight_transport_sparse([0, 2, 3, 4], [0, 1, 0, 1], [5, 3, 4, 2], [1, 2])
    >>> solution.employee_position.tolist(), solution.total, solution.position_prices.tolist()
    ([1, 0, 1], 9, [4, 2])
    """
    caller = "max_weight_transport_sparse"
    capacities = _check_capacities(capacities, caller)
    dual = check_choice(dual, "dual", caller, _DUALS)
    m = capacities.size
    indptr = np.asarray(indptr)
    indices = np.asarray(indices)
    values = np.asarray(weights)
    for name, array in (("indptr", indptr), ("indices", indices)):
        if array.ndim != 1 or array.dtype.kind not in "iu":
            raise ValueError(
                f"The {name!r} parameter of {caller} must be a 1-D array of integers. Got an "
                f"array of dtype {array.dtype} and shape {array.shape} instead."
            )
    if values.ndim != 1 or values.shape != indices.shape:
        raise ValueError(
            f"The 'weights' parameter of {caller} must be a 1-D array of shape "
            f"{indices.shape}, like 'indices'. Got shape {values.shape} instead."
        )
    if (
        indptr.size == 0
        or indptr[0] != 0
        or indptr[-1] != indices.size
        or (np.diff(indptr) < 0).any()
    ):
        raise ValueError(
            f"The 'indptr' parameter of {caller} must start at 0, never decrease and end at "
            f"len(indices) = {indices.size}. Got {indptr!r} instead."
        )
    if indices.size and (indices.min() < 0 or indices.max() >= m):
        raise ValueError(
            f"The 'indices' parameter of {caller} must hold positions in [0, {m}) (one per "
            f"capacity). Got values from {indices.min()} to {indices.max()} instead."
        )
    indptr = indptr.astype(np.int64)
    indices = indices.astype(np.int64)
    values = _weights_dtype(values, "weights", caller)
    _check_values(values if values.dtype.kind == "f" else values[values > 0], "weights", caller)
    # The solver looks pairs up by binary search: positions must ascend within each row.
    rows = np.repeat(np.arange(indptr.size - 1), np.diff(indptr))
    key = rows * m + indices
    if key.size > 1 and (np.diff(key) <= 0).any():
        order = np.argsort(key, kind="stable")
        key, indices, values = key[order], indices[order], values[order]
        if (np.diff(key) == 0).any():
            raise ValueError(
                f"The 'indices' parameter of {caller} must list each position at most once per "
                "employee. Got a repeated (employee, position) pair instead; sum_duplicates() "
                "or keep one weight per pair."
            )
    return _solve(indptr, indices, values, capacities, prices, caller, placement, dual)
