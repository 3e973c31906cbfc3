"""Benchmark of the Job Person Match kernel against numpy's matmul of the same shape.

Workload: 20,000 employees x 5,000 positions x 24 competencies, integer levels 1-5, random
integer standards 1-5 with about a quarter not required (NaN), random job-expectation weights.

Checks, in this order:
1. correctness: the float32 and float64 scores of a row subset equal the naive broadcast formula
   (computed here, independently of the library, in row chunks);
2. time of the full weighted capped JPM in float32 / time of a numpy float32 matmul
   (20,000 x 96) @ (96 x 5,000), the same output and about the same inner size: <= 1.5;
3. speed-up over the broadcast formula: the broadcast is timed on a row subset and scaled
   linearly to all rows (it is linear in rows): >= 20x;
4. peak traced memory of one full JPM call minus the output's own size: <= 300 MB.

Every time is the median of ``--repeat`` runs (>= 5), the JPM and the matmul interleaved so
that load from other processes hits both alike. Exits 1 when a target is missed.

Usage: ``python benchmarks/bench_jpm.py [--quick] [--repeat 5] [--seed 0]``. ``--quick`` runs
small sizes and checks correctness only (timings at that size are dominated by overheads).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc

import numpy as np

from asn_match.kernels.jpm import jpm

N_COMPETENCIES = 24
ANCHOR_INNER = 96  # K x 4 layers above the folded lowest one, for levels 1-5
RATIO_TARGET = 1.5
SPEEDUP_TARGET = 20.0
MEMORY_TARGET_MB = 300.0
CHUNK_BYTES = 64 * 2**20


def make_workload(n_employees: int, n_positions: int, seed: int):
    rng = np.random.default_rng(seed)
    levels = rng.integers(1, 6, (n_employees, N_COMPETENCIES)).astype(np.float64)
    standard = rng.integers(1, 6, (n_positions, N_COMPETENCIES)).astype(np.float64)
    standard[rng.random(standard.shape) < 0.25] = np.nan
    standard[:, 0] = rng.integers(1, 6, n_positions)  # every position requires something
    weights = rng.uniform(0.5, 2.0, (n_positions, N_COMPETENCIES))
    return levels, standard, weights


def broadcast_jpm(levels, standard, weights):
    """The capped sum_ratio JPM by its definition, broadcast over (rows, positions, K) in chunks."""
    required = ~np.isnan(standard)
    w = np.where(required, weights, 0.0)
    r = np.where(required, standard, 0.0)
    denominator = (w * r).sum(axis=1)
    out = np.empty((levels.shape[0], standard.shape[0]))
    rows = max(1, CHUNK_BYTES // (8 * standard.size))
    for start in range(0, levels.shape[0], rows):
        a = levels[start : start + rows, None, :]
        numerator = (w[None] * np.minimum(a, r[None])).sum(axis=2)
        out[start : start + rows] = 100.0 * numerator / denominator
    return out


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def machine_rows():
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas_text = f"{blas.get('name')} {blas.get('version')}"
        config = blas.get("openblas configuration")
        if config:
            blas_text = config
    except Exception:  # show_config's layout differs across numpy versions
        blas_text = "unknown"
    threads = {
        name: os.environ[name]
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        if name in os.environ
    }
    return [
        ("platform", platform.platform()),
        ("processor", platform.processor() or platform.machine()),
        ("cores (os.cpu_count)", str(os.cpu_count())),
        ("python", platform.python_version()),
        ("numpy", np.__version__),
        ("BLAS", blas_text),
        ("thread variables", str(threads or "unset")),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; correctness only")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measure (>= 5)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    repeat = max(5, args.repeat)
    n, m = (2_000, 500) if args.quick else (20_000, 5_000)
    subset_rows = 200 if args.quick else 1_000

    levels, standard, weights = make_workload(n, m, args.seed)
    rng = np.random.default_rng(args.seed + 1)
    subset = np.sort(rng.choice(n, size=subset_rows, replace=False))

    # 1. correctness, before any time is reported
    full32 = jpm(levels, standard, weights=weights, dtype=np.float32)
    assert full32.shape == (n, m) and full32.dtype == np.float32
    reference = broadcast_jpm(levels[subset], standard, weights)
    np.testing.assert_allclose(full32[subset], reference, rtol=1e-5, atol=1e-3)
    part64 = jpm(levels[subset], standard, weights=weights)
    np.testing.assert_allclose(part64, reference, rtol=1e-10, atol=1e-10)
    del full32, part64

    # 2. the JPM against the matmul anchor, interleaved
    left = rng.random((n, ANCHOR_INNER), dtype=np.float32)
    right = rng.random((ANCHOR_INNER, m), dtype=np.float32)
    anchor_times, jpm_times = [], []
    for _ in range(repeat):
        seconds, product = timed(lambda: left @ right)
        anchor_times.append(seconds)
        del product
        seconds, scores = timed(lambda: jpm(levels, standard, weights=weights, dtype=np.float32))
        jpm_times.append(seconds)
        del scores
    t_anchor = statistics.median(anchor_times)
    t_jpm = statistics.median(jpm_times)
    ratio = t_jpm / t_anchor

    # other variants, for information
    variants = {}
    for label, options in [
        ("capped mean_ratio, float32", {"method": "mean_ratio"}),
        ("uncapped sum_ratio, float32", {"cap": False}),
    ]:
        times = []
        for _ in range(repeat):
            seconds, scores = timed(
                lambda o=options: jpm(levels, standard, weights=weights, dtype=np.float32, **o)
            )
            times.append(seconds)
            del scores
        variants[label] = statistics.median(times)

    # 3. the broadcast formula on the subset, scaled linearly to all rows
    broadcast_times = [
        timed(lambda: broadcast_jpm(levels[subset], standard, weights))[0] for _ in range(repeat)
    ]
    t_broadcast = statistics.median(broadcast_times) * n / subset_rows
    speedup = t_broadcast / t_jpm

    # 4. peak memory of one call, beyond its output
    tracemalloc.start()
    tracemalloc.reset_peak()
    scores = jpm(levels, standard, weights=weights, dtype=np.float32)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    extra_mb = (peak - scores.nbytes) / 2**20
    output_mb = scores.nbytes / 2**20
    del scores

    enforce = not args.quick
    checks = [
        ("JPM / matmul time", f"{ratio:.2f}", f"<= {RATIO_TARGET}", ratio <= RATIO_TARGET),
        (
            "speed-up over broadcast",
            f"{speedup:.1f}x",
            f">= {SPEEDUP_TARGET:.0f}x",
            speedup >= SPEEDUP_TARGET,
        ),
        (
            "peak memory - output (MB)",
            f"{extra_mb:.1f}",
            f"<= {MEMORY_TARGET_MB:.0f}",
            extra_mb <= MEMORY_TARGET_MB,
        ),
    ]

    print(f"## Job Person Match: {n:,} employees x {m:,} positions x {N_COMPETENCIES} competencies")
    print()
    print(
        "levels 1-5, standards 1-5 with ~25% not required, random weights; "
        f"median of {repeat} runs{' (--quick: targets not enforced)' if args.quick else ''}"
    )
    print()
    print("| measure | value | target | met |")
    print("|---|---|---|---|")
    print(
        f"| correctness vs broadcast formula ({subset_rows:,} rows, all positions) "
        "| float32 atol 1e-3, float64 rtol 1e-10 | equal | yes |"
    )
    print(f"| full weighted capped JPM, float32 (s) | {t_jpm:.3f} | | |")
    print(
        f"| numpy float32 matmul ({n:,}x{ANCHOR_INNER}) @ ({ANCHOR_INNER}x{m:,}) (s) "
        f"| {t_anchor:.3f} | | |"
    )
    for label, seconds in variants.items():
        print(f"| {label} (s) | {seconds:.3f} | | |")
    print(
        f"| broadcast formula, {subset_rows:,} rows scaled linearly to {n:,} (s) "
        f"| {t_broadcast:.2f} | | |"
    )
    print(f"| output size (MB) | {output_mb:.1f} | | |")
    for name, value, target, met in checks:
        print(f"| {name} | {value} | {target} | {'yes' if met else 'NO'} |")
    print()
    print("| machine | |")
    print("|---|---|")
    for name, value in machine_rows():
        print(f"| {name} | {value} |")

    missed = [name for name, _, _, met in checks if not met]
    if enforce and missed:
        print(f"\nTargets missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
