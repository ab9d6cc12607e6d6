#!/usr/bin/env python3
"""NumPy (BLAS) float32 matmul throughput, for comparison with the project's gemm.

Prints one JSON object: {"MxKxN": gflops, ..., "threads": n, "blas": "..."}.
The thread count is fixed before NumPy is imported (and again through threadpoolctl
when it is installed), so the BLAS really uses `--threads` threads.

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set, can make OpenBLAS pick a slower
kernel; pass --keep-env to measure with them anyway.
"""
import argparse
import json
import os
import sys
import time

SIZES = [(12, 16, 16), (64, 384, 384), (64, 384, 1536), (64, 1536, 384), (512, 512, 512)]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="BLAS threads (default 2)")
    parser.add_argument("--min-seconds", type=float, default=0.5,
                        help="minimum timed duration per size (default 0.5)")
    parser.add_argument("--keep-env", action="store_true",
                        help="keep OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE if set")
    return parser.parse_args()


def limit_threads(n):
    """Must run before NumPy is imported: BLAS libraries read these once, at load."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
        os.environ[var] = str(n)


def gflops(np, m, k, n, min_seconds):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(a, b, out=c)  # warm up
    reps, best = 1, float("inf")
    # Grow the batch until one batch lasts a few milliseconds, then keep the best batch rate.
    while True:
        start = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        elapsed = time.perf_counter() - start
        if elapsed > 0.002:
            break
        reps *= 2
    deadline = time.perf_counter() + min_seconds
    while True:
        start = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        best = min(best, (time.perf_counter() - start) / reps)
        if time.perf_counter() >= deadline:
            break
    return 2.0 * m * k * n / best / 1e9


def build_blas(np, threads):
    """The BLAS NumPy was built with, from its build configuration (without threadpoolctl)."""
    try:
        info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return "%s %s (%s), %d threads (OPENBLAS_NUM_THREADS)" % (
            info.get("name"), info.get("version"), info.get("openblas configuration", "").strip(), threads)
    except Exception:  # older NumPy: show_config prints and returns None
        return "unknown"


def main():
    args = parse_args()
    if not args.keep_env:
        os.environ.pop("OPENBLAS_CORETYPE", None)
        os.environ.pop("OPENBLAS_L2_SIZE", None)
    limit_threads(args.threads)
    import numpy as np

    result = {}
    blas = "unknown"
    limiter = None
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
        limiter = threadpool_limits(limits=args.threads, user_api="blas")
        info = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if info:
            blas = "%s %s (%s), %d threads" % (
                info[0].get("internal_api"), info[0].get("version"),
                info[0].get("architecture"), info[0].get("num_threads"))
    except ImportError:
        blas = build_blas(np, args.threads)
    for m, k, n in SIZES:
        result["%dx%dx%d" % (m, k, n)] = round(gflops(np, m, k, n, args.min_seconds), 2)
    result["threads"] = args.threads
    result["blas"] = blas
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    del limiter


if __name__ == "__main__":
    main()
