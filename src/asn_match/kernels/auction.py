r"""Starting prices for the capacity solver, by a forward auction with epsilon-scaling.

:func:`~asn_match.kernels.transport.max_weight_transport` is exact from any starting prices, and
fast from good ones: from zero prices (a cold start) its searches grow long when the last seats
run out, because every position's price is still too low to tell the late employees where the
free seats are (on many small positions, e.g. 5,000 employees and 1,000 positions, a search
passes two thirds of the positions). An auction [1]_ finds approximate prices at a fraction of
that cost; the exact solver then finishes from them. This module only proposes prices: the
placement, its optimality and the returned prices are the exact solver's, whatever it proposes.

The auction
-----------
Each position is a group of identical seats, each seat with its own price (a min-heap per
position, so a bidder always bids for the cheapest seat). An employee without a seat scans its
pairs for the best value ``w_ij - p_j`` (``p_j`` the cheapest seat of ``j``) and the second best
(the outside option "unplaced" is worth 0, and the second-cheapest seat of the best position
counts as a second best), then raises that seat's price by the difference plus ``epsilon`` and
takes it, evicting its holder, who bids again. An employee whose best value is not positive
stays unplaced. A phase ends when nobody is left to bid; then ``epsilon`` shrinks by
:data:`THETA`, every seat is released and the next phase starts from the prices reached.

Forward bidding only raises prices, and the first phases (large ``epsilon``) overshoot: the
employees that drop out to "unplaced" do so at inflated prices, which later phases cannot lower.
So each new phase starts by lowering every price by :data:`DROP` times the previous
``epsilon``: the phase then raises the prices back only where the demand is. The last phase
runs at :data:`FINAL_EPSILON` of the spread of the weights (or the caller's share), and the
prices handed on are lowered by two such steps (and set to 0 where a position kept a free seat):
prices slightly below the optimal ones cost the exact solver a few short searches, prices above
them a repair per position. Integer weights bid in whole units, so their prices are exact
integers whatever the range (up to the solver's ``2**56``).

How far to go is a trade: each phase costs about as much as the first ones (every employee bids
again, 7 to 9 times on average at 250,000 x 5,000), and each makes the exact solver's searches
shorter. With few positions a long search is cheap and :data:`FINAL_EPSILON` is enough; with
many, the solver asks for finer prices
(:data:`~asn_match.kernels.transport.FINE_AUCTION`).

Measured on ``synthetic_workforce(5000, 1000)`` (see benchmarks/RESULTS.md): the work of the
auction and the warm solve together is about half that of the cold solve.

References
----------
.. [1] D.P. Bertsekas and D.A. Castanon, "The auction algorithm for the transportation problem",
   Annals of Operations Research 20 (1989) 67-96.
"""

from __future__ import annotations

import numpy as np

from ._compile import jit

__all__ = ["auction_prices"]

#: ``epsilon`` shrinks by this factor from one phase to the next.
THETA = 4
#: The first phase's ``epsilon``, as a fraction of the spread of the weights.
FIRST_EPSILON = 0.25
#: The last phase's ``epsilon``, as a fraction of the spread of the weights (by default).
FINAL_EPSILON = 1e-3
#: At the start of each phase after the first, prices fall by this many previous ``epsilon``.
DROP = 3
#: The cheapest seat of a position without seats: no bid reaches it.
_NO_SEAT = 2**62


@jit
def _sift_down(price, holder, start, size):
    """Restore the min-heap of seat prices ``price[start:start + size]`` from its root down."""
    t = 0
    while True:
        child = 2 * t + 1
        if child >= size:
            return
        if child + 1 < size and price[start + child + 1] < price[start + child]:
            child += 1
        if price[start + child] >= price[start + t]:
            return
        a, b = start + child, start + t
        price[a], price[b] = price[b], price[a]
        holder[a], holder[b] = holder[b], holder[a]
        t = child


@jit
def _auction(indptr, indices, w, seats, schedule):
    """Forward auction with epsilon-scaling; returns the price of each position.

    ``seats[j]``: the seats of position ``j`` in the auction (at most the employees paired with
    it, so the seat arrays never exceed the pairs). ``schedule``: the ``epsilon`` of each phase,
    decreasing, of the weights' dtype (int64 weights: integer prices, exact bids).
    """
    n = indptr.size - 1
    m = seats.size
    start = np.zeros(m + 1, np.int64)
    for j in range(m):
        start[j + 1] = start[j] + seats[j]
    zero = schedule[0] - schedule[0]  # 0 of the weights' dtype
    price = np.zeros(start[m], dtype=w.dtype)
    # the cheapest seat of each position (the root of its heap), read by every bid's scan
    low = np.zeros(m, dtype=w.dtype)
    holder = np.full(start[m], -1, np.int64)
    queue = np.empty(n, np.int64)
    for phase in range(schedule.size):
        eps = schedule[phase]
        drop = DROP * schedule[phase - 1] if phase > 0 else zero
        for s in range(start[m]):
            holder[s] = -1
            price[s] = max(zero, price[s] - drop)
        for j in range(m):
            low[j] = price[start[j]] if seats[j] > 0 else _NO_SEAT
        head, tail = 0, 0
        for i in range(n):
            queue[tail] = i
            tail += 1
        while head != tail:
            i = queue[head % n]
            head += 1
            best, second, best_entry = zero, zero, -1
            for e in range(indptr[i], indptr[i + 1]):
                value = w[e] - low[indices[e]]
                if value > best:
                    second, best, best_entry = best, value, e
                elif value > second:
                    second = value
            if best_entry < 0:
                continue  # nothing worth more than staying unplaced
            j = indices[best_entry]
            root, size = start[j], seats[j]
            if size > 1:  # the next-cheapest seat of the same position is a second best too
                next_price = price[root + 1]
                if size > 2 and price[root + 2] < next_price:
                    next_price = price[root + 2]
                second = max(second, w[best_entry] - next_price)
            evicted = holder[root]
            price[root] += best - second + eps
            holder[root] = i
            _sift_down(price, holder, root, size)
            low[j] = price[root]
            if evicted >= 0:
                queue[tail % n] = evicted
                tail += 1
    last = schedule[schedule.size - 1]
    result = np.zeros(m, dtype=w.dtype)
    for j in range(m):
        free = seats[j] == 0
        for s in range(start[j], start[j + 1]):
            free = free or holder[s] < 0
        if not free:  # a position with a free seat is not scarce: price 0
            result[j] = max(zero, low[j] - 2 * last)
    return result


def auction_prices(indptr, indices, weights, capacities, final_epsilon=None):
    """Approximate optimal prices of the positions, as a warm start for the exact solver.

    Parameters
    ----------
    indptr, indices : ndarray of int64
        The pairs worth placing, row by row (CSR): employee ``i``'s positions are
        ``indices[indptr[i]:indptr[i + 1]]``.
    weights : ndarray of shape (n_pairs,), int64 or float64
        Their weights, all positive.
    capacities : ndarray of shape (n_positions,), int64
        The seats of each position.
    final_epsilon : float, optional
        The last phase's ``epsilon``, as a fraction of the weights' spread (integer weights: at
        least 1); default :data:`FINAL_EPSILON`. Each phase costs about as much as the first
        ones, and ends with every employee within ``epsilon`` of its best at the prices
        reached.

    Returns
    -------
    ndarray of shape (n_positions,)
        Non-negative prices of ``weights``' dtype (int64 prices are rounded down); zeros (a cold
        start) when the smallest weight exceeds their spread, where bidding would be slow.

    Examples
    --------
    >>> import numpy as np
    >>> indptr = np.array([0, 2, 4, 5])
    >>> indices = np.array([0, 1, 0, 1, 0])
    >>> weights = np.array([50, 30, 40, 10, 20])
    >>> prices = auction_prices(indptr, indices, weights, np.array([1, 2]))
    >>> prices.shape, bool((prices >= 0).all())
    ((2,), True)
    """
    m = capacities.size
    if indices.size == 0:
        return np.zeros(m, dtype=weights.dtype)
    paired = np.bincount(indices, minlength=m)
    seats = np.minimum(capacities, paired).astype(np.int64)
    scale = weights.max() - weights.min()
    if not scale or weights.min() > scale:
        # Weights dominated by a constant (the fill-first shift, unit weights): prices would
        # have to climb to that constant in steps of the spread before anybody gave up a seat.
        return np.zeros(m, dtype=weights.dtype)
    share = FINAL_EPSILON if final_epsilon is None else final_epsilon
    return _auction(indptr, indices, weights, seats, _schedule(scale, share * scale))


def _schedule(scale, last) -> np.ndarray:
    """The ``epsilon`` of each phase, :data:`FIRST_EPSILON` of the spread ``scale`` to ``last``.

    Of the weights' dtype: integer weights bid in whole units (exact prices).
    """
    if isinstance(scale, np.integer):  # whole units, at least 1
        last = max(int(last), 1)
        phases = [max(int(FIRST_EPSILON * scale), last)]
        while phases[-1] > last:
            phases.append(max(phases[-1] // THETA, last))
        return np.array(phases, dtype=np.int64)
    phases = [max(FIRST_EPSILON * float(scale), last)]
    while phases[-1] > last:
        phases.append(max(phases[-1] / THETA, last))
    return np.array(phases)
