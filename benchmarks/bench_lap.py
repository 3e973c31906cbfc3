"""Assignment kernels against bare scipy ``linear_sum_assignment`` on the same matrices.

Run ``python benchmarks/bench_lap.py`` (``--repeat N`` to change the number of timed runs).
Suites follow asv's naming (``setup``, ``time_*``, ``peakmem_*``, ``track_*``); the small runner
below times each ``time_*`` ``repeat`` times, interleaved so drift hits all alike, reports the
median, measures peak memory with tracemalloc in a separate run, and asserts every answer is
optimal before printing a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment

from asn_match.kernels.lap import assignment_prices, max_weight_matching, solve_assignment

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from orlib import KNOWN_OPTIMA, load_assignment, missing_reason  # noqa: E402


class DenseWeights:
    """Positive weights (JPM-like, 0-100), maximised; a share of pairs forbidden with -inf."""

    params = [
        ((1000, 1000), 0.0),
        ((2000, 2000), 0.0),
        ((2000, 3000), 0.0),
        ((1000, 1000), 0.1),
        ((2000, 2000), 0.1),
        ((2000, 3000), 0.1),
    ]

    def setup(self, shape, forbidden_share):
        rng = np.random.default_rng(0)
        self.weights = rng.uniform(0.0, 100.0, shape)
        self.weights[rng.random(shape) < forbidden_share] = -np.inf
        rows, cols = linear_sum_assignment(self.weights, maximize=True)
        self.optimum = self.weights[rows, cols].sum()
        self.matching = max_weight_matching(self.weights)

    def time_scipy_linear_sum_assignment(self, shape, forbidden_share):
        return linear_sum_assignment(self.weights, maximize=True)

    def time_solve_assignment(self, shape, forbidden_share):
        return solve_assignment(self.weights, maximize=True)

    def time_max_weight_matching(self, shape, forbidden_share):
        return max_weight_matching(self.weights)

    def track_totals_agree(self, shape, forbidden_share):
        """Every solver reaches scipy's optimum (all weights positive, so the best is full)."""
        for solve in (self.time_solve_assignment, self.time_max_weight_matching):
            rows, cols = solve(shape, forbidden_share)
            total = self.weights[rows, cols].sum()
            assert rows.size == min(shape), solve.__name__
            assert np.isclose(total, self.optimum, rtol=1e-12, atol=0), (solve.__name__, total)
        return True

    def time_assignment_prices(self, shape, forbidden_share):
        return assignment_prices(self.weights, *self.matching)


class ORLibrary:
    """OR-Library assignment instances (minimisation), checked against the published optima."""

    params = sorted(KNOWN_OPTIMA)

    def setup(self, name):
        reason = missing_reason(name)
        if reason:
            raise NotImplementedError(reason)  # asv's way of skipping a parameter
        self.cost = load_assignment(name)

    def time_scipy_linear_sum_assignment(self, name):
        return linear_sum_assignment(self.cost)

    def time_solve_assignment(self, name):
        return solve_assignment(self.cost)

    def track_optimum(self, name):
        rows, cols = solve_assignment(self.cost)
        total = int(self.cost[rows, cols].sum())
        assert total == KNOWN_OPTIMA[name], (name, total)
        return total


def timed(functions, repeat):
    """Median seconds of each function, runs interleaved."""
    runs = {f.__name__: [] for f in functions}
    for _ in range(repeat):
        for f in functions:
            start = time.perf_counter()
            f()
            runs[f.__name__].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in runs.items()}


def peak_mib(function):
    """Peak memory traced by tracemalloc (numpy buffers included) during one call, in MiB."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _proc_status_mib(field):
    match = re.search(rf"{field}:\s+(\d+) kB", Path("/proc/self/status").read_text())
    return int(match.group(1)) / 1024


def peak_rss_mib(suite, params, method):
    """Rise of the resident set's high-water mark during one call, in MiB (Linux only).

    tracemalloc does not see the solver's own C++ buffers (e.g. the negated copy scipy makes when
    maximising); the resident set does. Each call runs in a fresh process whose allocator returns
    every large buffer to the system when freed, so an earlier buffer cannot hide a later one.
    None where the high-water mark cannot be reset.
    """
    if not Path("/proc/self/clear_refs").exists():
        return None
    probe = json.dumps([type(suite).__name__, params, method.__name__])
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "131072"}
    done = subprocess.run(
        [sys.executable, __file__, "--rss-probe", probe], env=env, capture_output=True, text=True
    )
    return float(done.stdout) if done.returncode == 0 else None


def _rss_probe(probe):
    suite_name, params, method_name = json.loads(probe)
    params = [tuple(p) if isinstance(p, list) else p for p in params]
    suite = globals()[suite_name]()
    suite.setup(*params)
    method = getattr(suite, method_name)
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    before = _proc_status_mib("VmRSS")
    method(*params)
    print(_proc_status_mib("VmHWM") - before)


def _mib(values):
    return " / ".join("n/a" if v is None else f"{v:.0f}" for v in values)


def dense_table(repeat):
    suite = DenseWeights()
    lines = [
        "| weights | forbidden | scipy LSA (s) | solve_assignment (s) | ratio "
        "| max_weight_matching (s) | ratio | tracemalloc peak MiB scipy / solve / mwm "
        "| RSS peak MiB scipy / solve / mwm | assignment_prices (s) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for shape, share in suite.params:
        suite.setup(shape, share)
        assert suite.track_totals_agree(shape, share)
        methods = [
            suite.time_scipy_linear_sum_assignment,
            suite.time_solve_assignment,
            suite.time_max_weight_matching,
        ]
        calls = [_bound(m, shape, share) for m in methods]
        seconds = timed(calls, repeat)
        bare, ours, partial = (seconds[c.__name__] for c in calls)
        peaks = [peak_mib(c) for c in calls]
        rss_peaks = [peak_rss_mib(suite, [shape, share], m) for m in methods]
        prices = timed([_bound(suite.time_assignment_prices, shape, share)], 1)
        lines.append(
            f"| {shape[0]}x{shape[1]} | {share:.0%} | {bare:.3f} | {ours:.3f} | {ours / bare:.2f} "
            f"| {partial:.3f} | {partial / bare:.2f} "
            f"| {_mib(peaks)} | {_mib(rss_peaks)} "
            f"| {next(iter(prices.values())):.3f} |"
        )
    return lines


def orlib_table(repeat):
    suite = ORLibrary()
    lines = [
        "| instance | n | known optimum | found | scipy LSA (s) | solve_assignment (s) | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in suite.params:
        try:
            suite.setup(name)
        except NotImplementedError as skipped:
            lines.append(f"| {name} | | {KNOWN_OPTIMA[name]} | skipped: {skipped} | | | |")
            continue
        found = suite.track_optimum(name)
        calls = [
            _bound(suite.time_scipy_linear_sum_assignment, name),
            _bound(suite.time_solve_assignment, name),
        ]
        seconds = timed(calls, repeat)
        bare, ours = (seconds[c.__name__] for c in calls)
        lines.append(
            f"| {name} | {len(suite.cost)} | {KNOWN_OPTIMA[name]} | {found} "
            f"| {bare:.4f} | {ours:.4f} | {ours / bare:.2f} |"
        )
    return lines


def _bound(method, *params):
    def call():
        return method(*params)

    call.__name__ = method.__name__
    return call


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per function (median)")
    parser.add_argument("--rss-probe", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_probe:
        _rss_probe(args.rss_probe)
        return
    print(
        f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}; "
        f"median of {args.repeat} runs; ratio = ours / scipy on the same matrix."
    )
    print()
    print("\n".join(dense_table(args.repeat)))
    print()
    print("\n".join(orlib_table(args.repeat)))


if __name__ == "__main__":
    main()
