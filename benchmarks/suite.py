"""Placement benchmark suite: asn_match against the solvers a user would pick instead.

Run from the repository root::

    python -m benchmarks --suite quick            # 1k and 10k employees, under 2 minutes
    python -m benchmarks --suite full --out benchmarks   # 1k to 1M; writes placement.png/.json

Options: ``--sizes N ...`` (employees; overrides the suite's), ``--repeat R`` (timed runs per
solver), ``--budget S`` (seconds one run of a solver may be expected to take; longer ones are
skipped up front, with their estimate), ``--memory-limit GiB`` (default 24, or the memory available
now if less), ``--out DIR`` (where the JSON results and the log-log plot go; none by default).

Cases
-----
A case of ``n`` employees is ``synthetic_workforce(n, n // 50, seed=0, seat_share=1.0)``: one
position per 50 employees, and seats summing to exactly ``n`` (every position at least one
seat, structural posts one, staff and functional positions the rest). It is scored once, dense,
untimed (``am.score(..., dense=True)``, reported apart) where the dense scores fit; then every
solver places it from the same scores, maximising the same objective: the sum of the eligible
composite scores, rounded to 9 decimals, of the placed pairs (see :mod:`benchmarks.solvers`):

- ``assign``: ``am.assign(scores, prefer_stay=False)`` (``method="capacity"``, the default);
- ``assign (defaults)``: ``am.assign(scores)``, with the fewest-moves tie-break, whose total may
  lie below the optimum by at most the tie-break's quantum per placed pair;
- ``assign dense``: ``am.assign(scores, method="dense", prefer_stay=False)``: scipy on seats;
- ``scipy LSAP``, ``lapx lapjv``: on the expanded (employees x seats) matrix;
- ``ot.emd`` (POT), ``OR-Tools``: on the transportation form (positions with capacities);
- ``streamed``: from the DataFrames, ``am.score(..., dense=False)`` then ``am.assign`` (its
  defaults): the placement solved on candidate pairs and certified against every eligible pair.

Checks (before any time is reported)
------------------------------------
Every total equals the reference's within 1e-9 relative; the reference is the first of POT
``ot.emd``, scipy LSAP, OR-Tools and lapjv that ran. Independently of any anchor, the placement of
``assign`` is proven optimal by weak duality: from its position prices ``v >= 0`` the benchmark
computes ``u_i = max(0, max_j(g_ij - v_j))`` and checks ``sum(u) + seats @ v`` equal to its total
(within 1e-9 relative; for the defaults, within one quantum per placed pair). A streamed
placement must carry ``certificate.optimal``. A failed check is reported as FAILED (no time) and
the run exits with status 1.

Measures
--------
Time: the median of ``--repeat`` runs in this process, interleaved across solvers so that drift on
a shared machine hits all alike, after one untimed warm-up of every solver on a small case
(imports, numba's cache). Memory: one more run per solver, apart, under tracemalloc (numpy and
Python allocations) and with the peak resident set reset before it (``/proc/self/clear_refs``):
the growth of the peak resident memory over the memory held before the call counts what
tracemalloc cannot see, the allocations of compiled code (numba's kernels, scipy's and lapx's
solvers, POT's and OR-Tools' C++). A solver whose memory run takes more than a quarter of the
budget is not run again: that run's time is reported (runs = 1).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy

import asn_match as am
from asn_match.large import memory_estimate
from benchmarks import solvers

SUITES = {
    "quick": {"sizes": [1_000, 10_000], "repeat": 3, "budget": 15.0},
    "full": {"sizes": [1_000, 10_000, 100_000, 1_000_000], "repeat": 3, "budget": 600.0},
}
#: Employees per position.
RATIO = 50
#: Expanded-seat solvers run only where one run is expected within this (about a minute).
EXPANDED_BUDGET = 90.0
GIB = 2.0**30
MIB = 2.0**20
#: Relative tolerance of equal totals.
RTOL = 1e-9


# memory ----------------------------------------------------------------------------------------


def _status_kib(field_name: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Reset the peak resident set size (Linux >= 4.0); False where the system does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


def available_bytes() -> float | None:
    try:
        with open("/proc/meminfo") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024.0
    except OSError:
        return None
    return None


@dataclass
class Peak:
    """Peak memory of one call: traced (numpy and Python) and resident growth (everything)."""

    traced: float = math.nan
    resident: float = math.nan
    exact_resident: bool = True


def peak_bytes(peak: Peak) -> float:
    """The peak of a call: its resident growth, or what tracemalloc saw where that is more."""
    return max(peak.resident, peak.traced)


def measure_peak(function: Callable[[], object]) -> tuple[Peak, float, object]:
    gc.collect()
    exact = _reset_peak()
    before_kib = _status_kib("VmRSS") if exact else None
    if before_kib is None:  # no /proc: growth of the process's max RSS (a lower bound)
        exact = False
        before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = function()
        elapsed = time.perf_counter() - start
        traced = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    peak_kib = _status_kib("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    resident = max(0, (peak_kib or 0) - before_kib) * 1024.0
    return Peak(float(traced), float(resident), exact), elapsed, result


# solvers ---------------------------------------------------------------------------------------


@dataclass
class Case:
    n: int
    employees: pd.DataFrame
    positions: pd.DataFrame
    scores: object = None
    gain: np.ndarray | None = None
    seats: np.ndarray | None = None


@dataclass
class Outcome:
    total: float
    bound: float | None = None  # a proven upper bound on the optimum, when the solver gives one
    slack: float = 0.0  # how far below the optimum the total may lie by design (a tie-break)
    note: str = ""
    placement: object = None  # kept from the memory run of assign, for the duality check


@dataclass
class Solver:
    name: str
    run: Callable[[Case], Outcome]
    #: (seconds, bytes) one run is expected to take at n employees, m positions; rough.
    estimate: Callable[[int, int], tuple[float, float]]
    module: str | None = None
    dense: bool = True  # needs the dense scores
    expanded: bool = False  # one column per seat (skipped beyond EXPANDED_BUDGET)
    reference_rank: int | None = None  # lower: preferred as the reference


def _power(seconds_at_10k: float, exponent: float) -> Callable[[int], float]:
    return lambda n: seconds_at_10k * (n / 10_000) ** exponent


def duality_bound(gain: np.ndarray, seats: np.ndarray, prices: np.ndarray) -> float:
    """``sum_i max(0, max_j g_ij - v_j) + seats @ v``: an upper bound on the optimum (v >= 0)."""
    values = np.zeros(gain.shape[0])
    for start in range(0, gain.shape[0], 4096):
        block = gain[start : start + 4096] - prices
        values[start : start + 4096] = np.maximum(block.max(axis=1), 0.0)
    return float(values.sum() + seats @ prices)


def _position_prices(placement, n_positions: int) -> np.ndarray:
    """Position prices from the seat prices of a placement (the smallest seat price of each)."""
    seat_prices = np.asarray(placement.shadow_prices, dtype=np.float64)
    seat_position = np.asarray(placement.solution.seat_position)
    prices = np.full(n_positions, np.inf)
    np.minimum.at(prices, seat_position, seat_prices)
    prices[~np.isfinite(prices)] = 0.0
    return np.maximum(prices, 0.0)


def _assign(case: Case, **options) -> Outcome:
    placement = am.assign(case.scores, **options)
    pos = np.asarray(placement.solution.employee_position)
    quantum = placement.summary()["score_quantum"]
    return Outcome(
        solvers.placement_total(case.gain, pos),
        slack=0.0 if quantum is None else quantum * int(np.count_nonzero(pos >= 0)),
        note="" if quantum is None else f"stay tie-break quantum {quantum:g}",
        placement=placement,
    )


def _streamed(case: Case) -> Outcome:
    scores = am.score(case.employees, case.positions, dense=False)
    placement = am.assign(scores)
    cert = placement.certificate
    pos = np.asarray(placement.employee_position)
    total = (
        solvers.placement_total(case.gain, pos)
        if case.gain is not None
        else float(placement.objective_value)
    )
    # The stay tie-break's quantum is at most 1e-4 (asn_match.large).
    quantum = 1e-4 if placement.options.get("prefer_stay") else 0.0
    note = (
        f"certificate: optimal={cert.optimal}, gap={cert.duality_gap:.3g}, "
        f"largest violation={cert.largest_violation:.3g}, rounds={cert.rounds}, "
        f"pairs checked={cert.pairs_checked:,}, candidates={cert.candidate_pairs:,}"
        + (f", stopped on {cert.stopped}" if cert.stopped else "")
    )
    if not cert.optimal:
        raise AssertionError("streamed placement not certified optimal: " + note)
    return Outcome(total, slack=quantum * int(np.count_nonzero(pos >= 0)), note=note)


def _scores_bytes(n: int, m: int) -> float:
    """Dense scores (20 bytes a pair) and the gain matrix (8) held during a dense case."""
    return 28.0 * n * m


SOLVERS = [
    Solver(
        "assign",
        lambda c: _assign(c, prefer_stay=False),
        lambda n, m: (_power(0.75, 2.5)(n), 40.0 * n * m),
    ),
    Solver(
        "assign (defaults)",
        lambda c: _assign(c),
        lambda n, m: (_power(1.0, 2.7)(n), 48.0 * n * m),
    ),
    Solver(
        "assign dense",
        lambda c: _assign(c, method="dense", prefer_stay=False),
        lambda n, m: (_power(330.0, 3.0)(n), 24.0 * n * n),
        expanded=True,
    ),
    Solver(
        "scipy LSAP",
        lambda c: Outcome(solvers.scipy_lsap(c.gain, c.seats)),
        lambda n, m: (_power(330.0, 3.0)(n), 16.0 * n * n),
        expanded=True,
        reference_rank=1,
    ),
    Solver(
        "lapx lapjv",
        lambda c: Outcome(solvers.lapjv(c.gain, c.seats)),
        lambda n, m: (_power(150.0, 3.0)(n), 24.0 * n * n),
        module="lap",
        expanded=True,
        reference_rank=3,
    ),
    Solver(
        "ot.emd",
        lambda c: Outcome(solvers.pot_emd(c.gain, c.seats)),
        lambda n, m: (_power(0.86, 2.4)(n), 50.0 * n * m),
        module="ot",
        reference_rank=0,
    ),
    Solver(
        "OR-Tools",
        lambda c: Outcome(solvers.ortools_flow(c.gain, c.seats)),
        lambda n, m: (_power(2.0, 2.6)(n), 100.0 * n * m),
        module="ortools",
        reference_rank=2,
    ),
    Solver(
        "streamed",
        _streamed,
        # Measured: 0.80 s at 10,000 and 32 s at 100,000 (time exponent 1.60); memory: the
        # placement's own estimate and the stream's candidates (top 50 both ways).
        lambda n, m: (0.80 * (n / 10_000) ** 1.60, memory_estimate(n, m) + 4096.0 * n + GIB),
        dense=False,
    ),
]


# running ---------------------------------------------------------------------------------------


@dataclass
class Row:
    solver: str
    times: list[float] = field(default_factory=list)
    peak: Peak | None = None
    total: float | None = None
    note: str = ""
    skipped: str = ""
    failed: str = ""
    slack: float = 0.0

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None


def log(message: str) -> None:
    print(message, flush=True)


def skip_reason(solver: Solver, n: int, m: int, args, dense_fits: bool) -> str:
    if args.solvers and solver.name not in args.solvers:
        return "not asked (--solvers)"
    if solver.module and (why := solvers.missing(solver.module)):
        return why
    if solver.dense and not dense_fits:
        return "dense scores do not fit in memory"
    seconds, needed = solver.estimate(n, m)
    if solver.dense:
        needed += _scores_bytes(n, m)
    if needed > args.memory_limit:
        return f"needs about {needed / GIB:.0f} GiB (limit {args.memory_limit / GIB:.0f} GiB)"
    budget = min(args.budget, EXPANDED_BUDGET) if solver.expanded else args.budget
    if seconds > budget:
        which = "expanded seats: about a minute at most" if solver.expanded else "--budget"
        return f"expected about {seconds:,.0f} s a run (budget {budget:.0f} s, {which})"
    return ""


def run_case(n: int, args) -> dict:
    m = max(1, n // RATIO)
    log(f"\n== {n:,} employees x {m:,} positions")
    dense_fits = _scores_bytes(n, m) <= args.memory_limit / 2
    rows = {s.name: Row(s.name) for s in SOLVERS}
    active = []
    for solver in SOLVERS:
        why = skip_reason(solver, n, m, args, dense_fits)
        if why:
            rows[solver.name].skipped = why
            log(f"  skip {solver.name}: {why}")
        else:
            active.append(solver)
    info: dict = {"employees": n, "positions": m}
    if not active:
        return {**info, "rows": rows}

    start = time.perf_counter()
    employees, positions = am.datasets.synthetic_workforce(n, m, seed=0, seat_share=1.0)
    info["generate_s"] = time.perf_counter() - start
    info["seats"] = int(positions["seats"].sum())
    case = Case(n, employees, positions)
    if any(s.dense for s in active):
        peak, elapsed, scores = measure_peak(
            lambda: am.score(employees, positions, dense=True, memory_limit=2**62)
        )
        info["score_dense_s"], info["score_dense_peak"] = elapsed, peak.resident
        case.scores = scores
        case.gain = solvers.gain_matrix(scores)
        case.seats = np.asarray(scores.positions.seats, dtype=np.int64)
        info["eligible_pairs"] = int(np.count_nonzero(case.gain))
        log(
            f"  generated in {info['generate_s']:.1f} s, {info['seats']:,} seats; dense scores "
            f"in {elapsed:.1f} s; {info['eligible_pairs']:,} eligible pairs of positive score"
        )

    # Memory run (one per solver, apart), then the timed runs, interleaved.
    slow = set()
    for solver in active:
        row = rows[solver.name]
        try:
            row.peak, elapsed, outcome = measure_peak(lambda solver=solver: solver.run(case))
        except Exception as error:  # a failed check or a solver error: reported, not timed
            row.failed = f"{type(error).__name__}: {error}"
            log(f"  FAILED {solver.name}: {row.failed}")
            continue
        row.total, row.note, row.slack = outcome.total, outcome.note, outcome.slack
        if solver.name == "assign":  # its own proof, from its prices (untimed)
            prices = _position_prices(outcome.placement, case.seats.size)
            info["duality_bound"] = duality_bound(case.gain, case.seats, prices)
        del outcome
        log(f"  {solver.name}: first run {elapsed:.2f} s, total {row.total!r}")
        if elapsed > args.budget / 4 or args.repeat == 0:
            row.times.append(elapsed)
            slow.add(solver.name)
    for _ in range(args.repeat):
        for solver in active:
            row = rows[solver.name]
            if row.failed or solver.name in slow:
                continue
            gc.collect()
            start = time.perf_counter()
            outcome = solver.run(case)
            row.times.append(time.perf_counter() - start)
            if outcome.total != row.total and solver.name != "streamed":
                row.failed = f"total changed between runs: {row.total!r} then {outcome.total!r}"

    check(case, rows, info)
    for row in rows.values():
        if row.failed:
            row.times = []
    return {**info, "rows": rows}


def check(case: Case, rows: dict[str, Row], info: dict) -> None:
    """Every total equal to the reference's; assign proven optimal by its own prices."""
    ranked = sorted(
        (s for s in SOLVERS if s.reference_rank is not None),
        key=lambda s: s.reference_rank,
    )
    reference = next(
        (s.name for s in ranked if rows[s.name].total is not None and not rows[s.name].failed),
        None,
    )
    info["reference"] = reference
    if "duality_bound" in info and not rows["assign"].failed:
        total, bound = rows["assign"].total, info["duality_bound"]
        if abs(bound - total) > RTOL * abs(bound):
            rows["assign"].failed = f"duality bound {bound!r} above its total {total!r}"
        elif reference is None:
            reference = "assign"  # proven optimal by its prices: the reference when no anchor ran
            info["reference"] = "assign (proven by its prices)"
    if reference is None:
        return
    optimum = rows[reference].total
    for row in rows.values():
        if row.total is None or row.failed or row.solver == reference:
            continue
        tolerance = RTOL * abs(optimum)
        if row.total > optimum + tolerance or row.total < optimum - tolerance - row.slack:
            row.failed = (
                f"total {row.total!r} differs from {reference}'s {optimum!r} "
                f"(allowed below it: {row.slack:.3g})"
            )


# reporting -------------------------------------------------------------------------------------


def exponents(results: list[dict]) -> dict[str, dict[str, float]]:
    """Least-squares slopes of log(time) and log(peak memory, :func:`peak_bytes`) on log(n)."""
    slopes: dict[str, dict[str, float]] = {}
    for solver in SOLVERS:
        points = [
            (r["employees"], r["rows"][solver.name].median, r["rows"][solver.name].peak)
            for r in results
            if r["rows"][solver.name].median
        ]
        if len(points) < 2:
            continue
        x = np.log([p[0] for p in points])
        entry = {"time": float(np.polyfit(x, np.log([p[1] for p in points]), 1)[0])}
        memory = [peak_bytes(p[2]) for p in points if p[2] is not None]
        if len(memory) == len(points) and min(memory) > 0:
            entry["memory"] = float(np.polyfit(x, np.log(memory), 1)[0])
        entry["sizes"] = [int(p[0]) for p in points]
        slopes[solver.name] = entry
    return slopes


def environment() -> dict:
    versions = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "numba": solvers.version("numba"),
        "asn_match": am.__version__ if hasattr(am, "__version__") else "?",
        "POT": solvers.version("ot"),
        "ortools": solvers.version("ortools"),
        "lapx": solvers.version("lap"),
    }
    return {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "versions": versions,
    }


def table(results: list[dict]) -> str:
    lines = [
        "| employees | positions | solver | runs | median s | peak RSS growth MiB "
        "| peak traced MiB | total | check |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for row in r["rows"].values():
            head = f"| {r['employees']:,} | {r['positions']:,} | {row.solver} |"
            if row.skipped:
                lines.append(f"{head} - | - | - | - | - | skipped: {row.skipped} |")
            elif row.failed:
                lines.append(f"{head} - | - | - | - | - | **FAILED**: {row.failed} |")
            elif row.median is not None:
                peak = row.peak or Peak()
                reference = r.get("reference")
                if reference is None:  # e.g. --solvers streamed alone
                    verdict = "no reference ran"
                elif reference.startswith(row.solver):
                    verdict = "reference"
                else:
                    verdict = f"= {reference}"
                if row.solver == "assign" and "duality_bound" in r:
                    verdict += ", proven by its prices"
                if row.solver == "streamed":
                    verdict += ", certified optimal"
                lines.append(
                    f"{head} {len(row.times)} | {row.median:.3f} | {peak.resident / MIB:,.0f} | "
                    f"{peak.traced / MIB:,.0f} | {row.total:,.6f} | {verdict} |"
                )
    return "\n".join(lines)


def plot(results: list[dict], path: Path) -> str | None:
    if why := solvers.missing("matplotlib"):
        return why
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    for solver in SOLVERS:
        points = [
            (r["employees"], r["rows"][solver.name])
            for r in results
            if r["rows"][solver.name].median
        ]
        if not points:
            continue
        n = [p[0] for p in points]
        left.plot(n, [p[1].median for p in points], marker="o", label=solver.name)
        right.plot(n, [peak_bytes(p[1].peak) / MIB for p in points], marker="o", label=solver.name)
    for axis, label in ((left, "median seconds"), (right, "peak memory of the call, MiB")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel(f"employees (positions = employees / {RATIO}, seats = employees)")
        axis.set_ylabel(label)
        axis.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)
    figure.suptitle("Placement: time and memory against employees (log-log)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return None


def warm_up(args) -> None:
    """One untimed run of every solver on a small case: imports, numba's cache, allocators."""
    employees, positions = am.datasets.synthetic_workforce(300, 6, seed=1, seat_share=1.0)
    scores = am.score(employees, positions)
    case = Case(300, employees, positions, scores, solvers.gain_matrix(scores))
    case.seats = np.asarray(scores.positions.seats, dtype=np.int64)
    start = time.perf_counter()
    for solver in SOLVERS:
        if not (solver.module and solvers.missing(solver.module)):
            solver.run(case)
    log(f"warm-up (imports, numba cache) {time.perf_counter() - start:.1f} s, untimed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--suite", choices=sorted(SUITES), default="quick")
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--repeat", type=int)
    parser.add_argument("--budget", type=float, help="seconds one run of a solver may take")
    parser.add_argument("--memory-limit", type=float, default=24.0, help="GiB")
    parser.add_argument("--out", type=Path, help="folder for placement.json and placement.png")
    parser.add_argument(
        "--solvers", nargs="+", choices=[s.name for s in SOLVERS], help="run only these solvers"
    )
    args = parser.parse_args(argv)
    suite = SUITES[args.suite]
    args.sizes = args.sizes or suite["sizes"]
    args.repeat = suite["repeat"] if args.repeat is None else args.repeat
    args.budget = args.budget or suite["budget"]
    available = available_bytes()
    args.memory_limit = args.memory_limit * GIB
    if available is not None and available < args.memory_limit:
        log(f"memory limit: {available / GIB:.1f} GiB available now (below the limit asked)")
        args.memory_limit = available

    env = environment()
    log(
        f"{env['date']}, {env['machine']}; "
        + ", ".join(f"{k} {v}" for k, v in env["versions"].items())
    )
    for module in ("ot", "ortools", "lap"):
        if why := solvers.missing(module):
            log(f"anchor skipped: {why}")
    started = time.perf_counter()
    warm_up(args)
    results = [run_case(n, args) for n in args.sizes]
    slopes = exponents(results)
    log(f"\nmedian of up to {args.repeat} runs per solver, in one process, interleaved\n")
    log(table(results))
    if slopes:
        log("\ngrowth exponents against employees (least squares on log-log)")
        for name, entry in slopes.items():
            memory = f"{entry['memory']:.2f}" if "memory" in entry else "-"
            log(f"  {name}: time {entry['time']:.2f}, memory {memory} (sizes {entry['sizes']})")
    log(f"\nsuite ran in {time.perf_counter() - started:.0f} s")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        record = {
            **env,
            "suite": args.suite,
            "repeat": args.repeat,
            "budget_s": args.budget,
            "exponents": slopes,
            "cases": [
                {
                    **{k: v for k, v in r.items() if k != "rows"},
                    "solvers": {
                        name: {
                            "times_s": row.times,
                            "peak_resident_bytes": row.peak.resident if row.peak else None,
                            "peak_traced_bytes": row.peak.traced if row.peak else None,
                            "total": row.total,
                            "note": row.note,
                            "skipped": row.skipped,
                            "failed": row.failed,
                        }
                        for name, row in r["rows"].items()
                    },
                }
                for r in results
            ],
        }
        (args.out / "placement.json").write_text(json.dumps(record, indent=1) + "\n")
        why = plot(results, args.out / "placement.png")
        log(
            f"wrote {args.out / 'placement.json'}"
            + (f"; no plot: {why}" if why else " and placement.png")
        )
    failed = [
        (r["employees"], row.solver) for r in results for row in r["rows"].values() if row.failed
    ]
    if failed:
        log(f"FAILED: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
