"""``am.assign`` on many small positions, every objective, against POT's ``ot.emd``.

Run ``python -m benchmarks.bench_objectives`` (``--employees 5000 --positions 1000 --repeat 3``).

The case of issue 9's targets: ``synthetic_workforce(5000, 1000)``, 4,750 seats, about 5 a
position, where the expanded-seat path took 47 s. Scored once, untimed; then, interleaved
``repeat`` times, medians reported:

- ``assign (defaults)``: ``am.assign(scores)`` (fewest-moves tie-break);
- ``assign``: ``am.assign(scores, prefer_stay=False)``;
- ``assign, no auction``: the same with the capacity solver started from zero prices (the cold
  start before :mod:`asn_match.kernels.auction`), to show what the auction's prices save;
- ``bottleneck``: ``am.assign(scores, objective="bottleneck")``;
- ``max_moves = moves / 2`` and ``/ 4``: ``am.assign(scores, max_moves=cap)`` with the cap at
  a half and a quarter of the incumbents the default placement moves (a binding cap);
- ``ot.emd``: POT's network simplex on the same transportation form (if installed).

Checks before any time is printed: every ``"total"`` placement's gain equals ``ot.emd``'s (or,
without POT, the others agree) within 1e-9 relative; the bottleneck placement places as many
employees as the total one and its weakest pair is at least the total placement's weakest; each
capped placement moves at most its cap, is proven optimal (its bound equals its objective, no
time limit reached) and is worth no more than the placement without the cap.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import asn_match as am
from asn_match.datasets import synthetic_workforce
from asn_match.kernels import transport
from benchmarks.solvers import assign_total, gain_matrix, missing, placement_total, pot_emd


def _no_auction(scores, gain):
    old = transport.AUCTION_MIN_PAIRS
    transport.AUCTION_MIN_PAIRS = 2**62
    try:
        return assign_total(scores, gain, prefer_stay=False)
    finally:
        transport.AUCTION_MIN_PAIRS = old


def _bottleneck(scores, gain):
    placement = am.assign(scores, objective="bottleneck")
    position = np.asarray(placement.solution.employee_position)
    placed = np.flatnonzero(position >= 0)
    return placed.size, float(gain[placed, position[placed]].min())


def _capped(scores, cap: int) -> dict:
    return am.assign(scores, max_moves=cap).summary()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--positions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    employees, positions = synthetic_workforce(args.employees, args.positions, seed=0)
    scores = am.score(employees, positions)
    gain = gain_matrix(scores)
    seats = np.asarray(positions.seats, dtype=np.int64)
    solvers = {
        "assign (defaults)": lambda: assign_total(scores, gain),
        "assign": lambda: assign_total(scores, gain, prefer_stay=False),
        "assign, no auction": lambda: _no_auction(scores, gain),
        "bottleneck": lambda: _bottleneck(scores, gain),
    }
    moves = am.assign(scores).summary()["moves"]
    caps = {"max_moves = moves / 2": moves // 2, "max_moves = moves / 4": moves // 4}
    for name, cap in caps.items():
        solvers[name] = lambda cap=cap: _capped(scores, cap)
    if missing("ot") is None:
        solvers["ot.emd"] = lambda: pot_emd(gain, seats)
    else:
        print("ot.emd: skipped (POT not installed: pip install pot)")
    for solve in solvers.values():  # compile or load numba's cache, untimed
        solve()
    times: dict[str, list[float]] = {name: [] for name in solvers}
    answers: dict[str, object] = {}
    for _ in range(args.repeat):
        for name, solve in solvers.items():
            start = time.perf_counter()
            answers[name] = solve()
            times[name].append(time.perf_counter() - start)
    reference = answers.get("ot.emd", answers["assign"])
    assert isinstance(reference, float)
    for name in ("assign (defaults)", "assign", "assign, no auction"):
        total = answers[name]
        assert isinstance(total, float)
        assert abs(total - reference) <= 1e-9 * abs(reference), (name, total, reference)
    total_position = am.assign(scores, prefer_stay=False).solution.employee_position
    total_position = np.asarray(total_position)
    placed = np.flatnonzero(total_position >= 0)
    count, weakest = answers["bottleneck"]  # type: ignore[misc]
    assert count == placed.size, "bottleneck: fewer placed than the total objective"
    assert weakest >= gain[placed, total_position[placed]].min(), "bottleneck: a weaker pair"
    unconstrained = am.assign(scores).summary()["objective_value"]
    for name, cap in caps.items():
        summary = answers[name]
        assert isinstance(summary, dict)
        assert summary["moves"] <= cap, (name, summary["moves"], cap)
        assert not summary["time_limit_reached"], name
        assert summary["objective_bound"] == summary["objective_value"], name
        assert summary["objective_value"] <= unconstrained, name
    print(
        f"{args.employees:,} employees x {args.positions:,} positions, "
        f"{int(seats.sum()):,} seats; total {placement_total(gain, total_position):,.6f}; "
        f"{moves:,} moves without a cap; "
        f"medians of {args.repeat}, interleaved"
    )
    for name, values in times.items():
        runs = [round(t, 2) for t in values]
        print(f"  {name:22s} {statistics.median(values):8.3f} s   runs {runs}")


if __name__ == "__main__":
    main()
