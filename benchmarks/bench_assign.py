"""``am.assign`` against bare scipy ``linear_sum_assignment`` on the same expanded matrix.

Run ``python benchmarks/bench_assign.py`` (``--sizes 2000 5000``, ``--repeat N``).

For each size a synthetic workforce (``synthetic_workforce(n, n // 5)``: seats about 0.95 of the
employees, realistic ties from capped JPM) is scored once, untimed. Then, interleaved so that drift
on a shared machine hits both alike, ``repeat`` times each:

- ``scipy``: ``linear_sum_assignment(W, maximize=True)`` on ``W``, the eligible composite scores
  with 0 elsewhere, one column per seat, rows and columns in the canonical order that ``assign``
  solves in: exactly the matrix the library hands the solver;
- ``scipy (input order)``: the same matrix in the input's row and column order (the solver's speed
  varies with the order of equal entries, so this shows the spread a user sees);
- ``assign``: ``am.assign(scores)`` with its defaults: validation, tie-break order, the solve
  (with ``prefer_stay=True`` the solver gets this matrix quantised, plus a stay bonus below the
  quantum, so that among optimal placements the fewest incumbents move), reasons, runner-ups and
  option ranks (shadow prices are computed on first use);
- ``prices``: the shadow prices of that placement (``Placement.shadow_prices``), reported apart;
- ``scipy (assign's matrix)``: ``linear_sum_assignment`` on the very cost matrix ``assign`` hands
  the solver (captured in an untimed call), so ``assign`` over it is the library's own overhead.

Before any time is printed, the totals are asserted equal. Peak memory is measured with
tracemalloc in a separate, untimed run (numpy allocations; scipy's solver allocates in C++ and is
not traced, in either column). The ratio reported is the median ``assign`` time over the median
``scipy`` time on the same matrix; the target is at most 1.2.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import tracemalloc

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment

from asn_match.datasets import synthetic_workforce
from asn_match.kernels import seating
from asn_match.kernels.lap import expand_seats
from asn_match.placement import assign
from asn_match.scoring import score
from asn_match.tiebreak import canonical_order

TARGET_RATIO = 1.2


def expanded_gain(scores, *, canonical: bool) -> np.ndarray:
    """(n_employees, n_seats): eligible composite, 0 elsewhere; one column per seat."""
    composite = np.round(np.asarray(scores.composite, dtype=np.float64), 9)
    gain = np.where(scores.eligible & (composite > 0), composite, 0.0)
    seats = np.asarray(scores.positions.seats)
    if canonical:
        rows = canonical_order(scores.employees.ids)
        cols = canonical_order(scores.positions.ids)
        gain, seats = gain[np.ix_(rows, cols)], seats[cols]
    return np.ascontiguousarray(gain[:, expand_seats(seats)])


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def peak_bytes(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def solver_matrix(scores) -> tuple[np.ndarray, float]:
    """The cost matrix ``assign(scores)`` hands the solver, and the optimal cost it got there.

    Captured in one untimed call.
    """
    captured = []
    solve = seating.solve_assignment

    def capture(cost, **options):
        copy = np.array(cost, copy=True)
        rows, cols = solve(cost, **options)
        captured.append((copy, float(copy[rows, cols].sum())))
        return rows, cols

    seating.solve_assignment = capture
    try:
        assign(scores)
    finally:
        seating.solve_assignment = solve
    (result,) = captured
    return result


def run(n_employees: int, repeat: int) -> dict:
    employees, positions = synthetic_workforce(n_employees, max(1, n_employees // 5), seed=0)
    scores = score(employees, positions)
    canonical = expanded_gain(scores, canonical=True)
    input_order = expanded_gain(scores, canonical=False)
    own, own_optimum = solver_matrix(scores)

    times = {"scipy": [], "scipy (input order)": [], "assign": [], "prices": [], "own": []}
    totals = {}
    for _ in range(repeat):
        t, (r, c) = timed(lambda: linear_sum_assignment(own))
        times["own"].append(t)
        assert abs(own[r, c].sum() - own_optimum) <= 1e-9 * max(1.0, abs(own_optimum))
        t, (r, c) = timed(lambda: linear_sum_assignment(canonical, maximize=True))
        times["scipy"].append(t)
        totals["scipy"] = float(canonical[r, c].sum())
        t, (r, c) = timed(lambda: linear_sum_assignment(input_order, maximize=True))
        times["scipy (input order)"].append(t)
        totals["scipy (input order)"] = float(input_order[r, c].sum())
        t, placement = timed(lambda: assign(scores))
        times["assign"].append(t)
        totals["assign"] = placement.summary()["total_score"]
        t, prices = timed(lambda placement=placement: placement.shadow_prices)
        times["prices"].append(t)
        assert np.isfinite(prices).all() and (prices >= -1e-9).all()

    # Right before fast: every solver reached the same optimum.
    for name, total in totals.items():
        assert abs(total - totals["scipy"]) <= 1e-6 * max(1.0, abs(totals["scipy"])), (
            name,
            total,
            totals["scipy"],
        )

    memory = {
        "scipy": peak_bytes(lambda: linear_sum_assignment(canonical, maximize=True)),
        "assign": peak_bytes(lambda: assign(scores)),
    }
    median = {name: statistics.median(values) for name, values in times.items()}
    return {
        "n_employees": n_employees,
        "n_positions": len(scores.positions),
        "n_seats": int(canonical.shape[1]),
        "median": median,
        "memory": memory,
        "ratio": median["assign"] / median["scipy"],
        "ratio_input_order": median["assign"] / median["scipy (input order)"],
        "ratio_with_prices": (median["assign"] + median["prices"]) / median["scipy"],
        "overhead": median["assign"] / median["own"],
        "total": totals["assign"],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    results = [run(n, args.repeat) for n in args.sizes]
    mib = 2.0**20
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}"
    )
    print(f"median of {args.repeat} interleaved runs; peak memory by tracemalloc (numpy only)\n")
    print(
        "| employees | positions | seats | scipy LSAP s | scipy LSAP, input order s | "
        "assign s | ratio | ratio vs input order | prices s | ratio with prices | "
        "peak MiB scipy | peak MiB assign | scipy on assign's matrix s | assign / that |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        t = r["median"]
        print(
            f"| {r['n_employees']} | {r['n_positions']} | {r['n_seats']} | {t['scipy']:.3f} | "
            f"{t['scipy (input order)']:.3f} | {t['assign']:.3f} | {r['ratio']:.3f} | "
            f"{r['ratio_input_order']:.3f} | {t['prices']:.3f} | "
            f"{r['ratio_with_prices']:.3f} | {r['memory']['scipy'] / mib:.0f} | "
            f"{r['memory']['assign'] / mib:.0f} | {t['own']:.3f} | {r['overhead']:.3f} |"
        )
    failed = [r["n_employees"] for r in results if r["ratio"] > TARGET_RATIO]
    if failed:
        print(f"\nratio above {TARGET_RATIO} for {failed}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
