"""Speed of the everyday calls: loading (with full validation), context and the comparison."""

from __future__ import annotations

import subprocess
import sys

import rocu_compare as rc
from rocu_compare.compare import compare_rocus


def test_bench_load_bundled(benchmark):
    ds = benchmark(rc.load)
    assert len(ds.forces) == 43


def test_bench_rocu_context(benchmark):
    ds = rc.load()
    ctx = benchmark(ds.rocu_context, "2015-06-30")
    assert len(ctx) == 10


def test_bench_compare_rocus(benchmark):
    ds = rc.load()
    cmp = benchmark.pedantic(compare_rocus, args=(ds,), kwargs={"n_draws": 200}, rounds=3, iterations=1)
    assert cmp.distance.shape == (10, 10)


def test_bench_import_time(benchmark):
    code = "import time; t = time.perf_counter(); import rocu_compare; print(time.perf_counter() - t)"

    def run():
        return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)

    seconds = benchmark.pedantic(run, rounds=5, iterations=1)
    benchmark.extra_info["import_seconds_last"] = seconds
    leaked = subprocess.run(
        [sys.executable, "-c", "import sys, rocu_compare; print('matplotlib' in sys.modules, 'scipy' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert leaked == ["False", "False"]  # heavy libraries load lazily
