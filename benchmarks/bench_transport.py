"""``max_weight_transport`` against POT's ``ot.emd``, OR-Tools min-cost flow and scipy on seats.

Run ``python benchmarks/bench_transport.py`` (``--sizes 3000 10000 30000``, ``--repeat N``,
``--per-position N``: employees per position, 50 by default, e.g. 5 for many small positions;
``--scipy-max N``: the largest workforce for scipy on expanded seats, 5000 by default since it
takes ~45 s there).

For each size ``n`` a synthetic workforce (``synthetic_workforce(n, n // per_position)``: ~50
employees per position by default, seats ~0.95 of the employees) is scored once, untimed. The
gain of a pair is its eligible composite score rounded to 9 decimals, 0 elsewhere (as
``expanded_gain`` of ``bench_assign.py``, without expanding the seats). Then, interleaved so
that drift on a shared machine hits all alike, ``repeat`` times each:

- ``ours (float)``: ``max_weight_transport(gain, seats)``: placement, largest dual prices and
  employee values;
- ``ours (int64)``: the same on ``W = rint(gain * 1e6)`` (int64, exact);
- ``ot.emd``: POT's network simplex on the balanced transportation form: employees (supply 1)
  and a slack row (supply = the seats) against positions (demand = seats) and an "unplaced"
  column (demand = employees), cost ``-gain`` (0 to "unplaced" and from the slack row);
- ``OR-Tools``: ``SimpleMinCostFlow`` on source -> employee -> position -> sink with an
  employee -> sink arc for "unplaced", integer costs ``-W``; graph building included;
- ``scipy``: ``linear_sum_assignment`` on the expanded seats (one column per seat), up to
  ``--scipy-max`` employees.

The first call of ours (numba compiles, or loads its on-disk cache) is timed apart and excluded
from the medians. Before any time is printed the totals are asserted equal: float ones within
1e-9 relative, the int64 ones exactly. Peak memory is measured with tracemalloc in a separate,
untimed run (Python and numpy allocations; memory allocated inside compiled code, numba's, POT's
C++ or OR-Tools', is not traced).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import tracemalloc

import numpy as np
import ot
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment

from asn_match.datasets import synthetic_workforce
from asn_match.kernels import transport
from asn_match.kernels.transport import max_weight_transport
from asn_match.scoring import score

#: Our median over ot.emd's, the most allowed.
TARGET_RATIO = 1.5


def problem(n_employees: int, per_position: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """(gain (n, m) float64, seats (m,)) of the synthetic workforce of this size."""
    n_positions = max(1, n_employees // per_position)
    employees, positions = synthetic_workforce(n_employees, n_positions, seed=0)
    scores = score(employees, positions)
    composite = np.round(np.asarray(scores.composite, dtype=np.float64), 9)
    gain = np.where(scores.eligible & (composite > 0), composite, 0.0)
    return np.ascontiguousarray(gain), np.asarray(scores.positions.seats, dtype=np.int64)


def solve_emd(gain: np.ndarray, seats: np.ndarray) -> float:
    n, m = gain.shape
    cost = np.zeros((n + 1, m + 1))
    cost[:n, :m] = -gain
    supply = np.concatenate([np.ones(n), [float(seats.sum())]])
    demand = np.concatenate([seats.astype(float), [float(n)]])
    plan = ot.emd(supply, demand, cost, numItermax=10**9)
    return float((plan[:n, :m] * gain).sum())


def solve_ortools(weights: np.ndarray, seats: np.ndarray) -> int:
    n, m = weights.shape
    source, sink = n + m, n + m + 1
    rows, cols = np.nonzero(weights > 0)
    employees = np.arange(n)
    tails = np.concatenate([np.full(n, source), rows, n + np.arange(m), employees])
    heads = np.concatenate([employees, n + cols, np.full(m, sink), np.full(n, sink)])
    capacities = np.concatenate([np.ones(n), np.ones(rows.size), seats, np.ones(n)])
    costs = np.concatenate([np.zeros(n), -weights[rows, cols], np.zeros(m), np.zeros(n)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        capacities.astype(np.int64),
        costs.astype(np.int64),
    )
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve()
    assert status == flow.OPTIMAL, status
    return -int(flow.optimal_cost())


def solve_scipy(gain: np.ndarray, seats: np.ndarray) -> float:
    expanded = gain[:, np.repeat(np.arange(seats.size), seats)]
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    return float(expanded[rows, cols].sum())


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


def first_calls() -> dict:
    """Seconds of the first float and int64 calls (numba compiles, or loads its disk cache)."""
    hits = sum(transport._ssp.stats.cache_hits.values())
    first = {}
    for dtype in (np.float64, np.int64):
        elapsed, _ = timed(lambda dtype=dtype: max_weight_transport(np.ones((2, 2), dtype), [1, 1]))
        first[np.dtype(dtype).name] = elapsed
    loaded = sum(transport._ssp.stats.cache_hits.values()) > hits
    first["how"] = "loaded from numba's cache" if loaded else "compiled"
    return first


def run(n_employees: int, repeat: int, scipy_max: int, per_position: int = 50) -> dict:
    gain, seats = problem(n_employees, per_position)
    quantised = np.rint(gain * 1e6).astype(np.int64)

    methods = {
        "ours (float)": lambda: max_weight_transport(gain, seats).total,
        "ours (int64)": lambda: max_weight_transport(quantised, seats).total,
        "ot.emd": lambda: solve_emd(gain, seats),
        "OR-Tools": lambda: solve_ortools(quantised, seats),
    }
    if n_employees <= scipy_max:
        methods["scipy (seats)"] = lambda: solve_scipy(gain, seats)
    times: dict[str, list[float]] = {name: [] for name in methods}
    totals = {}
    for _ in range(repeat):
        for name, method in methods.items():
            elapsed, totals[name] = timed(method)
            times[name].append(elapsed)

    # Right before fast: every solver reached the same optimum.
    reference = totals["ot.emd"]
    for name in ("ours (float)", "scipy (seats)"):
        if name in totals:
            assert abs(totals[name] - reference) <= 1e-9 * abs(reference), (name, totals)
    assert totals["ours (int64)"] == totals["OR-Tools"], totals
    assert abs(totals["ours (int64)"] / 1e6 - reference) <= 1e-6 * n_employees, totals

    memory = {
        name: peak_bytes(method) for name, method in methods.items() if name != "scipy (seats)"
    }
    median = {name: statistics.median(values) for name, values in times.items()}
    return {
        "n": n_employees,
        "m": int(seats.size),
        "seats": int(seats.sum()),
        "pairs": int(np.count_nonzero(gain)),
        "median": median,
        "memory": memory,
        "ratio": median["ours (float)"] / median["ot.emd"],
        "total": totals["ours (float)"],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--per-position", type=int, default=50)
    parser.add_argument("--scipy-max", type=int, default=5000)
    args = parser.parse_args(argv)

    first = first_calls()
    results = [run(n, args.repeat, args.scipy_max, args.per_position) for n in args.sizes]
    mib = 2.0**20
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}, POT {ot.__version__}"
    )
    print(
        f"first calls (JIT, {first['how']}, excluded below): float {first['float64']:.2f} s, "
        f"int64 {first['int64']:.2f} s"
    )
    print(f"median of {args.repeat} interleaved runs, seconds\n")
    names = ["ours (float)", "ours (int64)", "ot.emd", "OR-Tools", "scipy (seats)"]
    print(
        "| employees | positions | seats | pairs | "
        + " | ".join(names)
        + " | ours / emd | peak MiB ours / emd / OR-Tools |"
    )
    print("|---" * (4 + len(names) + 2) + "|")
    for r in results:
        t = r["median"]
        cells = " | ".join(f"{t[name]:.3f}" if name in t else "-" for name in names)
        mem = r["memory"]
        print(
            f"| {r['n']} | {r['m']} | {r['seats']} | {r['pairs']} | {cells} | {r['ratio']:.2f} | "
            f"{mem['ours (float)'] / mib:.0f} / {mem['ot.emd'] / mib:.0f} / "
            f"{mem['OR-Tools'] / mib:.0f} |"
        )
    failed = [r["n"] for r in results if r["ratio"] > TARGET_RATIO]
    if failed:
        print(f"\nours / ot.emd above {TARGET_RATIO} for {failed}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
