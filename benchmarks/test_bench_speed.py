"""Benchmark: the comparison before and after issue 11, side by side in one run.

Run with::

    python -m pytest benchmarks/test_bench_speed.py -q -p no:cacheprovider --benchmark-only

"Previous" is the implementation this work replaced, kept in
``tests/compare/_reference_robustness.py``, ``tests/compare/_reference_distance.py`` and
``tests/_reference_model_codes.py`` (the tests check that the new code reproduces it).
``compare_rocus`` is timed with the previous Gower, robustness and operating-model codes
patched in, and as it is: on a dataset already used (what an analyst's session does) and
on a freshly loaded one (nothing derived from it yet). The other profile speed-ups
(nearest-year picks, the ROCU context) kept no reference copy, so "previous" understates
what the comparison cost before; their outputs were checked equal to the previous
commit's at six dates, three tolerances and three datasets.
The previous code knew only fixed group shares, so the "previous" timings use
``group_weighting="fixed"``; "new" uses the default, ``"per_pair"`` (same cost).

A summary table (median seconds per call) is printed at the end of the module;
it is the source of the speed table in the README.
"""

from __future__ import annotations

import sys
import tracemalloc
import warnings
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest

import rocu_compare as rc
from rocu_compare.compare import NoCommonAttributesWarning, analysis, gower_distance, profiles, robustness
from rocu_compare.compare.analysis import _numeric_ready
from rocu_compare.compare.profiles import Profiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_bench_gower import make_frames  # noqa: E402

from tests import _reference_model_codes as previous_model_codes  # noqa: E402
from tests.compare import _reference_distance as previous_distance  # noqa: E402
from tests.compare import _reference_robustness as previous_robustness  # noqa: E402

RESULTS: dict[str, float] = {}
SIZES = (10, 100, 1000)
SCALING_DRAWS = 20


def _previous_gower(frame, kinds=None, weights=None, groups=None, group_weighting="fixed"):
    return previous_distance.gower_distance(frame, kinds, weights, groups)


def _previous_robustness(frame, *args, group_weighting="fixed", **kwargs):
    return previous_robustness.robustness(frame, *args, **kwargs)


@contextmanager
def previous_implementation():
    """compare_rocus with the Gower, robustness and model-code implementations this work replaced."""
    import rocu_compare.operating_model as operating_model

    with (
        mock.patch.object(analysis, "gower_distance", _previous_gower),
        mock.patch.object(analysis, "robustness", _previous_robustness),
        mock.patch.object(operating_model, "model_codes", previous_model_codes.model_codes),
    ):
        yield


def median(benchmark) -> float:
    return benchmark.stats.stats.median


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ds():
    return rc.load()


@pytest.fixture(scope="module")
def bundled_frame(ds):
    """The frame, kinds and groups compare_rocus hands to robustness on the bundled data."""
    prof = profiles(ds, "2015-06-30")
    keep = [c for c in prof.frame.columns if prof.frame[c].notna().sum() >= 2]
    prof = Profiles(
        prof.frame[keep],
        {c: prof.kinds[c] for c in keep},
        {c: prof.groups[c] for c in keep},
        {c: prof.notes[c] for c in keep},
        prof.as_at,
    )
    return _numeric_ready(prof), prof.kinds, prof.groups


def grouped(n: int) -> tuple[pd.DataFrame, dict]:
    """n units x 40 mixed attributes with 10% missing, in four groups of ten columns."""
    _, holed = make_frames(n)
    groups = {c: f"g{i % 4}" for i, c in enumerate(holed.columns)}
    return holed, groups


# ---------------------------------------------------------------------------
# compare_rocus on the bundled data, 200 draws
# ---------------------------------------------------------------------------


def test_bench_compare_rocus_new(benchmark, ds):
    benchmark.group = "compare_rocus, bundled data, 200 draws"
    cmp = benchmark.pedantic(
        analysis.compare_rocus, args=(ds,), kwargs={"n_draws": 200}, rounds=7, iterations=1, warmup_rounds=1
    )
    assert cmp.robustness.summary.loc[0, "n_dirichlet"] == 200
    RESULTS["compare_rocus new"] = median(benchmark)


def test_bench_compare_rocus_fresh_dataset(benchmark):
    """The first comparison on a dataset: nothing derived from it is remembered yet."""
    benchmark.group = "compare_rocus, bundled data, 200 draws"
    cmp = benchmark.pedantic(
        analysis.compare_rocus,
        setup=lambda: ((rc.load(),), {"n_draws": 200}),
        rounds=7,
        iterations=1,
        warmup_rounds=1,
    )
    assert cmp.robustness.summary.loc[0, "n_dirichlet"] == 200
    RESULTS["compare_rocus new fresh"] = median(benchmark)


def test_bench_load_first_and_again(benchmark):
    """``rc.load()``: read and validated once per process, then a copy."""
    import rocu_compare.dataset as dataset

    benchmark.group = "load the bundled data"

    def first():
        dataset._BUNDLED = None
        return rc.load()

    benchmark.pedantic(first, rounds=5, iterations=1, warmup_rounds=1)
    RESULTS["load first"] = median(benchmark)
    import time

    rc.load()
    times = []
    for _ in range(20):
        t = time.perf_counter()
        rc.load()
        times.append(time.perf_counter() - t)
    RESULTS["load again"] = float(np.median(times))


def test_bench_compare_rocus_previous(benchmark, ds):
    benchmark.group = "compare_rocus, bundled data, 200 draws"
    with previous_implementation():
        cmp = benchmark.pedantic(analysis.compare_rocus, args=(ds,), kwargs={"n_draws": 200}, rounds=3, iterations=1)
    assert cmp.robustness.summary.loc[0, "n_dirichlet"] == 200
    RESULTS["compare_rocus previous"] = median(benchmark)


def test_bench_profiles_bundled(benchmark, ds):
    """The profiles alone (ROCU context, operating-model codes, history, capabilities, grades)."""
    benchmark.group = "compare_rocus, bundled data, 200 draws"
    benchmark.pedantic(profiles, args=(ds, "2015-06-30"), rounds=7, iterations=1, warmup_rounds=1)
    RESULTS["profiles new"] = median(benchmark)


def test_bench_profiles_bundled_previous(benchmark, ds):
    benchmark.group = "compare_rocus, bundled data, 200 draws"
    with previous_implementation():
        benchmark.pedantic(profiles, args=(ds, "2015-06-30"), rounds=7, iterations=1, warmup_rounds=1)
    RESULTS["profiles previous"] = median(benchmark)


def test_bench_robustness_bundled_new(benchmark, bundled_frame):
    frame, kinds, groups = bundled_frame
    benchmark.group = "robustness, bundled data, 200 draws"
    benchmark.pedantic(
        robustness,
        args=(frame,),
        kwargs={"kinds": kinds, "groups": groups, "n_draws": 200},
        rounds=7,
        iterations=1,
        warmup_rounds=1,
    )
    RESULTS["robustness new"] = median(benchmark)


def test_bench_robustness_bundled_previous(benchmark, bundled_frame):
    frame, kinds, groups = bundled_frame
    benchmark.group = "robustness, bundled data, 200 draws"
    benchmark.pedantic(
        previous_robustness.robustness,
        args=(frame,),
        kwargs={"kinds": kinds, "groups": groups, "n_draws": 200},
        rounds=3,
        iterations=1,
    )
    RESULTS["robustness previous"] = median(benchmark)


# ---------------------------------------------------------------------------
# Gower: 10 x 20 (fixed cost per call) and 2,000 x 40
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_frame():
    _, holed = make_frames(10)
    return holed.iloc[:, ::2]  # 10 numeric, 4 ordinal, 4 categorical, 2 binary


@pytest.mark.parametrize("impl", ["new", "previous"])
def test_bench_gower_10x20(benchmark, small_frame, impl):
    fn = gower_distance if impl == "new" else previous_distance.gower_distance
    benchmark.group = "gower 10 x 20"
    benchmark.pedantic(fn, args=(small_frame,), rounds=200, iterations=5, warmup_rounds=5)
    RESULTS[f"gower 10x20 {impl}"] = median(benchmark)


@pytest.fixture(scope="module")
def big_frame():
    return make_frames(2000)[1]


@pytest.mark.parametrize("impl", ["new", "previous"])
def test_bench_gower_2000x40(benchmark, big_frame, impl):
    fn = gower_distance if impl == "new" else previous_distance.gower_distance
    benchmark.group = "gower 2000 x 40, 10% missing"
    result = benchmark.pedantic(fn, args=(big_frame,), rounds=5, iterations=1, warmup_rounds=1)
    RESULTS[f"gower 2000x40 {impl}"] = median(benchmark)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn(big_frame)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    RESULTS[f"gower 2000x40 {impl} peak/result"] = peak / result.to_numpy().nbytes
    benchmark.extra_info["peak_over_result"] = round(peak / result.to_numpy().nbytes, 2)


def test_new_and_previous_gower_agree(big_frame):
    np.testing.assert_allclose(
        gower_distance(big_frame).to_numpy(), previous_distance.gower_distance(big_frame).to_numpy(), rtol=0, atol=1e-12
    )


# ---------------------------------------------------------------------------
# How cost grows with the number of units (40 attributes in four groups)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("impl", ["new", "new fixed", "previous"])
def test_bench_gower_units(benchmark, n, impl):
    frame, groups = grouped(n)
    benchmark.group = f"gower by units, {n} x 40, groups"
    if impl == "new":
        fn, kwargs = gower_distance, {"groups": groups}
    elif impl == "new fixed":  # like for like: the previous code only had fixed group shares
        fn, kwargs = gower_distance, {"groups": groups, "group_weighting": "fixed"}
    else:
        fn, kwargs = previous_distance.gower_distance, {"groups": groups}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoCommonAttributesWarning)
        benchmark.pedantic(
            fn, args=(frame,), kwargs=kwargs, rounds=5 if n == 1000 else 20, iterations=1, warmup_rounds=1
        )
    RESULTS[f"gower {n} units {impl}"] = median(benchmark)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("impl", ["new", "previous"])
def test_bench_robustness_units(benchmark, n, impl):
    frame, groups = grouped(n)
    benchmark.group = f"robustness by units, {n} x 40, {SCALING_DRAWS} draws"
    fn = robustness if impl == "new" else previous_robustness.robustness
    rounds = {"new": 3, "previous": 3 if n < 1000 else 1}[impl]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoCommonAttributesWarning)
        benchmark.pedantic(
            fn, args=(frame,), kwargs={"groups": groups, "n_draws": SCALING_DRAWS}, rounds=rounds, iterations=1
        )
    RESULTS[f"robustness {n} units {impl}"] = median(benchmark)


# ---------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def summary_table(request):
    yield
    r = RESULTS

    def row(label: str, prev: str, new: str, unit: float = 1.0, fmt: str = "{:.3g}") -> str:
        if prev not in r or new not in r:
            return f"| {label} | – | – | – |"
        ratio = r[prev] / r[new]
        return (
            f"| {label} | {fmt.format(r[prev] * unit)} | {fmt.format(r[new] * unit)} | {ratio:.0f}× |"
            if ratio >= 2
            else f"| {label} | {fmt.format(r[prev] * unit)} | {fmt.format(r[new] * unit)} | {ratio:.2f}× |"
        )

    lines = [
        "",
        "| what | previous | new | speed-up |",
        "|---|---:|---:|---:|",
        row("`compare_rocus`, bundled data, 200 draws (s)", "compare_rocus previous", "compare_rocus new"),
        row(
            "`compare_rocus`, first call on a freshly loaded dataset (s)",
            "compare_rocus previous",
            "compare_rocus new fresh",
        ),
        row("… of which `profiles()` (s)", "profiles previous", "profiles new"),
        row("`robustness` alone, same frame, 200 draws (s)", "robustness previous", "robustness new"),
        row("Gower 10 × 20, one call (ms)", "gower 10x20 previous", "gower 10x20 new", 1e3),
        row("Gower 2,000 × 40, 10% missing (s)", "gower 2000x40 previous", "gower 2000x40 new"),
    ]
    for n in SIZES:
        lines.append(
            row(
                f"Gower {n:,} units × 40, four groups, per-pair (s)",
                f"gower {n} units previous",
                f"gower {n} units new",
            )
        )
        lines.append(
            row(
                f"Gower {n:,} units × 40, four groups, fixed shares (s)",
                f"gower {n} units previous",
                f"gower {n} units new fixed",
            )
        )
    for n in SIZES:
        lines.append(
            row(
                f"`robustness` {n:,} units × 40, {SCALING_DRAWS} draws (s)",
                f"robustness {n} units previous",
                f"robustness {n} units new",
            )
        )
    if "load first" in r and "load again" in r:
        lines.append(f"`rc.load()`: {r['load first']:.3g} s the first time in a process, {r['load again']:.3g} s again")
    for impl in ("previous", "new"):
        key = f"gower 2000x40 {impl} peak/result"
        if key in r:
            lines.append(f"Gower 2,000 × 40 peak memory ({impl}): {r[key]:.2f} × the n × n result")
    capman = request.config.pluginmanager.get_plugin("capturemanager")
    if capman is not None:
        with capman.global_and_fixture_disabled():
            print("\n".join(lines), flush=True)
