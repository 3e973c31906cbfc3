"""Streamed top-k scoring at scale: time and peak memory, with the answer checked first.

Scores a synthetic workforce (24 competencies: 8 managerial, Perekat Bangsa and 15 technical;
integer levels 1-5; weights; rank, education and class eligibility) without ever holding the full
(n_employees, n_positions) matrix, keeping the top k eligible positions of every employee and the
top k eligible employees of every position.

Before any figure is printed the result is checked against dense scoring: the lists of a sample
of employees (dense scoring of those rows against every position) and of a sample of positions
(dense scoring of every employee against those positions) must be identical.

Figures, measured in one child process (so its peak memory is the scoring's own), the median of
``--repeat`` runs (the first call, which loads or compiles the numba kernels, apart):
- wall time of ``score(..., dense=False, top_k=k)``;
- the same against the anchor: the bare JPM matrix product of every pair, in the same blocks
  (``JPMOperator.apply``), whose output is discarded; the runs alternate with the scoring's, so
  that a busy machine weighs on both alike;
- peak memory: ``tracemalloc`` peak (numpy reports its buffers to it) and the growth of the
  process's maximum resident set size (``resource.getrusage(...).ru_maxrss``). Both must stay
  under 2 GB;
- the time to generate the data with ``synthetic_workforce``: at most 10 s at the default size.

Usage::

    python benchmarks/bench_stream.py            # 100,000 employees x 20,000 positions, top 50
    python benchmarks/bench_stream.py --quick    # 5,000 x 2,000, seconds
    python benchmarks/bench_stream.py --employees 40000 --repeat 5
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

from asn_match._scoring_policy import jpm_operator, prepare
from asn_match.datasets import synthetic_workforce
from asn_match.errors import DataQualityWarning
from asn_match.io import read_employees, read_positions
from asn_match.scoring import STREAM_BLOCK_BYTES, score

GB = 10**9
MEMORY_LIMIT = 2 * GB
GENERATE_TARGET = 10.0  # seconds for synthetic_workforce at the default size

_DATA: dict = {}


def _maxrss_bytes() -> int:
    # Linux reports kilobytes (macOS bytes); the benchmark targets Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as plain values: a subset's categories differ from the whole's."""
    categorical = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    return frame.astype({c: object for c in categorical})


def _check(streamed, employees, positions, k: int, n_sample: int, seed: int) -> tuple[int, int]:
    """Streamed top-k lists equal dense scoring on samples of employees and positions."""
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(employees), size=min(n_sample, len(employees)), replace=False))
    dense = score(employees.take(rows), positions, dense=True)
    want = dense.top_k(k, by="employee").reset_index(drop=True)
    got = streamed.top_k(k, by="employee")
    got = got[got["employee_id"].isin(set(employees.ids[rows]))]
    order = {e: i for i, e in enumerate(employees.ids[rows])}
    got = got.sort_values(["employee_id", "rank"], key=lambda c: c.map(order) if c.name ==
                          "employee_id" else c).reset_index(drop=True)  # fmt: skip
    pd.testing.assert_frame_equal(_plain(got), _plain(want))

    n_positions = min(max(1, n_sample // 10), len(positions))
    cols = np.sort(rng.choice(len(positions), size=n_positions, replace=False))
    dense = score(employees, positions.take(cols), dense=True)
    want = dense.top_k(k, by="position").reset_index(drop=True)
    got = streamed.top_k(k, by="position")
    got = got[got["position_id"].isin(set(positions.ids[cols]))]
    order = {p: i for i, p in enumerate(positions.ids[cols])}
    got = got.sort_values(["position_id", "rank"], key=lambda c: c.map(order) if c.name ==
                          "position_id" else c).reset_index(drop=True)  # fmt: skip
    pd.testing.assert_frame_equal(_plain(got), _plain(want))
    return len(rows), len(cols)


def _anchor(employees, positions, config) -> float:
    """Seconds of the bare JPM product of every pair, in the blocks the stream uses."""
    prep = prepare(employees, positions, config)
    operator = jpm_operator(prep, config)
    block = max(1, STREAM_BLOCK_BYTES // (8 * len(positions)))
    buffer = np.empty((min(block, len(employees)), len(positions)))
    start = time.perf_counter()
    for first in range(0, len(employees), block):
        rows = prep.levels[first : first + block]
        operator.apply(rows, out=buffer[: len(rows)])
    return time.perf_counter() - start


def _measure(queue, k: int, n_sample: int, seed: int, repeat: int) -> None:
    employees, positions = _DATA["employees"], _DATA["positions"]
    rss_before = _maxrss_bytes()
    tracemalloc.start()
    start = time.perf_counter()
    streamed = score(employees, positions, dense=False, top_k=k)
    first_call = time.perf_counter() - start
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss_growth = _maxrss_bytes() - rss_before

    checked = _check(streamed, employees, positions, k, n_sample, seed)

    seconds, anchor = [], []
    for _ in range(repeat):
        anchor.append(_anchor(employees, positions, streamed.config))
        start = time.perf_counter()
        again = score(employees, positions, dense=False, top_k=k)
        seconds.append(time.perf_counter() - start)
        assert len(again.candidates) == len(streamed.candidates)

    queue.put({
        "first_call": first_call,
        "seconds": float(np.median(seconds)),
        "anchor": float(np.median(anchor)),
        "ratios": [s / a for s, a in zip(seconds, anchor, strict=True)],
        "traced_peak": traced_peak,
        "rss_growth": rss_growth,
        "candidates": len(streamed.candidates),
        "checked": checked,
    })  # fmt: skip


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--positions", type=int, default=20_000)
    parser.add_argument("--top-k", type=int, default=50)
    parser.add_argument(
        "--sample",
        type=int,
        default=200,
        help="employees checked against dense scoring (positions: a tenth)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (median reported)")
    parser.add_argument("--quick", action="store_true", help="5,000 employees x 2,000 positions")
    args = parser.parse_args(argv)
    if args.quick:
        args.employees, args.positions = 5_000, 2_000

    start = time.perf_counter()
    employees, positions = synthetic_workforce(args.employees, args.positions, seed=args.seed)
    generated = time.perf_counter() - start
    assert len(employees) == args.employees and len(positions) == args.positions
    assert employees["employee_id"].is_unique and positions["position_id"].is_unique
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        employees, positions = read_employees(employees), read_positions(positions)
    levels = employees.levels
    assert len(employees.codes) == 24, employees.codes
    assert np.isin(levels, [1, 2, 3, 4, 5]).all(), "levels must be integers 1-5"
    prepared = time.perf_counter() - start
    _DATA.update(employees=employees, positions=positions)

    # a forked child: its maximum resident set starts from the data alone
    context = mp.get_context("fork")
    queue = context.Queue()
    child = context.Process(
        target=_measure, args=(queue, args.top_k, args.sample, args.seed, args.repeat)
    )
    child.start()
    result = queue.get()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"the measuring process failed with exit code {child.exitcode}")

    n, m, k = args.employees, args.positions, args.top_k
    print(f"machine: {platform.machine()}, {mp.cpu_count()} cores, Python "
          f"{platform.python_version()}, numpy {np.__version__}")  # fmt: skip
    print(f"data: {n:,} employees x {m:,} positions x 24 competencies (levels 1-5), "
          f"generated in {generated:.1f} s (synthetic_workforce; target at the default size "
          f"<= {GENERATE_TARGET:.0f} s), generated and validated in {prepared:.1f} s")  # fmt: skip
    e_checked, p_checked = result["checked"]
    print(f"check: top-{k} lists of {e_checked} employees and {p_checked} positions equal dense "
          "scoring")  # fmt: skip
    print(f"streamed top-{k}: {result['seconds']:.1f} s "
          f"({result['seconds'] / (n * m) * 1e9:.2f} ns per pair, median of {args.repeat}; "
          f"first call {result['first_call']:.1f} s), "
          f"{result['candidates']:,} candidate pairs kept")  # fmt: skip
    ratios = ", ".join(f"{r:.2f}" for r in result["ratios"])
    print(f"anchor, bare JPM product of every pair: {result['anchor']:.1f} s (median); "
          f"ratio streamed / anchor: {result['seconds'] / result['anchor']:.2f} "
          f"(runs: {ratios})")  # fmt: skip
    print(
        f"peak memory: tracemalloc {result['traced_peak'] / GB:.3f} GB, "
        f"maxrss growth {result['rss_growth'] / GB:.3f} GB (limit {MEMORY_LIMIT / GB:.0f} GB)"
    )
    assert result["traced_peak"] < MEMORY_LIMIT, "tracemalloc peak over 2 GB"
    assert result["rss_growth"] < MEMORY_LIMIT, "resident set growth over 2 GB"
    if not args.quick:
        assert generated <= GENERATE_TARGET, f"synthetic_workforce took over {GENERATE_TARGET} s"


if __name__ == "__main__":
    main()
