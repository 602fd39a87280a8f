"""Benchmark: Gower distance on 2,000 units x 40 mixed attributes.

Run with::

    python -m pytest benchmarks -q -p no:cacheprovider --benchmark-only

Compares, on the same seeded data,

* ``rocu_compare.compare.gower_distance`` (vectorised, n = 2000);
* a plain per-pair Python reference implementation (n = 150, its cost per
  pair extrapolated to n = 2000);
* the ``gower`` PyPI package (``gower.gower_matrix``, n = 2000), fed an
  all-float encoding (its fastest input);

and measures the peak memory of ours with :mod:`tracemalloc`. A summary
table is printed at the end of the module. Nothing is written to disk.
"""

from __future__ import annotations

import math
import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest

from rocu_compare.compare import NoCommonAttributesWarning, default_kinds, gower_distance

N_BIG = 2000
N_REF = 150
SEED = 20240601
MISSING = 0.10
N_NUMERIC, N_ORDINAL, N_CATEGORICAL, N_BINARY = 20, 8, 8, 4
ORD_LEVELS = ["none", "low", "medium", "high", "very high"]

RESULTS: dict = {}


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def make_frames(n: int, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (complete, with 10% missing) frames of n units x 40 attributes."""
    rng = np.random.default_rng(seed)
    cols: dict = {}
    for i in range(N_NUMERIC):
        cols[f"num{i:02d}"] = rng.lognormal(mean=2.0, sigma=0.8, size=n)  # positive
    for i in range(N_ORDINAL):
        cols[f"ord{i:02d}"] = pd.Categorical(rng.choice(ORD_LEVELS, n), categories=ORD_LEVELS, ordered=True)
    for i in range(N_CATEGORICAL):
        levels = [f"c{j}" for j in range(3 + i % 4)]
        cols[f"cat{i:02d}"] = rng.choice(levels, n).astype(object)
    for i in range(N_BINARY):
        cols[f"bin{i:02d}"] = pd.array(rng.random(n) < 0.4, dtype="boolean")
    complete = pd.DataFrame(cols, index=pd.Index([f"u{i:04d}" for i in range(n)], name="unit"))
    holed = complete.copy()
    for col in holed.columns:
        mask = rng.random(n) < MISSING
        if isinstance(holed[col].dtype, pd.CategoricalDtype) or holed[col].dtype == object:
            holed.loc[mask, col] = None
        else:
            holed.loc[mask, col] = np.nan if holed[col].dtype.kind == "f" else pd.NA
    return complete, holed


def float_encoding(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """All-float encoding for the gower package plus its cat_features mask.

    Numeric columns as they are; ordinal columns as their integer codes
    treated as *numeric* (so the package scales them by their range, like our
    ordinal kind); categorical and binary columns as codes treated as
    categorical. Missing values are NaN.
    """
    kinds = default_kinds(frame)
    arrays, is_cat = [], []
    for col in frame.columns:
        s = frame[col]
        if kinds[col] == "numeric":
            arrays.append(s.to_numpy(dtype=float, na_value=np.nan))
            is_cat.append(False)
        elif kinds[col] == "ordinal":
            codes = s.cat.codes.to_numpy().astype(float)
            arrays.append(np.where(codes < 0, np.nan, codes))
            is_cat.append(False)
        else:
            codes = pd.factorize(s, use_na_sentinel=True)[0].astype(float)
            arrays.append(np.where(codes < 0, np.nan, codes))
            is_cat.append(True)
    return np.column_stack(arrays), np.array(is_cat)


# ---------------------------------------------------------------------------
# Per-pair reference implementation (plain Python, from the definition)
# ---------------------------------------------------------------------------


def reference_gower(frame: pd.DataFrame) -> np.ndarray:
    kinds = default_kinds(frame)
    prepared = []
    for col in frame.columns:
        s = frame[col]
        if kinds[col] == "ordinal":
            codes = s.cat.codes.tolist()
            vals = [None if c < 0 else float(c) for c in codes]
        elif kinds[col] == "numeric":
            vals = [None if pd.isna(v) else float(v) for v in s]
        else:
            vals = [None if pd.isna(v) else v for v in s]
        if kinds[col] in ("numeric", "ordinal"):
            observed = [v for v in vals if v is not None]
            rng = max(observed) - min(observed) if observed else 0.0
            prepared.append((True, vals, rng))
        else:
            prepared.append((False, vals, None))
    n = len(frame)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            num = den = 0.0
            for numeric, vals, rng in prepared:
                a, b = vals[i], vals[j]
                if a is None or b is None:
                    continue
                if numeric:
                    num += abs(a - b) / rng if rng > 0 else 0.0
                else:
                    num += 0.0 if a == b else 1.0
                den += 1.0
            out[i, j] = out[j, i] = num / den if den else math.nan
    return out


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def frames():
    return make_frames(N_BIG)


def _write(request, lines: list[str]) -> None:
    """Print past pytest's output capture (like ``capsys.disabled()``)."""
    capman = request.config.pluginmanager.get_plugin("capturemanager")
    if capman is not None:
        with capman.global_and_fixture_disabled():
            print("\n".join(lines), flush=True)
    else:  # pragma: no cover
        print("\n".join(lines))


@pytest.fixture(scope="module", autouse=True)
def summary_table(request):
    yield
    if not {"ours", "reference_per_pair", "gower_pkg"} <= RESULTS.keys():
        return
    ours = RESULTS["ours"]
    ref = RESULTS["reference_per_pair"] * N_BIG * (N_BIG - 1) / 2
    pkg = RESULTS["gower_pkg"]
    lines = [
        "",
        f"Gower distance, {N_BIG} units x 40 attributes "
        f"({N_NUMERIC} numeric, {N_ORDINAL} ordinal, {N_CATEGORICAL} categorical, "
        f"{N_BINARY} binary), {MISSING:.0%} missing, median of rounds",
        f"  {'implementation':<44}{'time (s)':>10}{'ours is x faster':>18}",
        f"  {'rocu_compare gower_distance':<44}{ours:>10.3f}{1.0:>18.1f}",
        f"  {'per-pair Python reference (extrapolated)':<44}{ref:>10.1f}{ref / ours:>18.0f}",
        f"  {'gower 0.1.2 gower_matrix (float input)':<44}{pkg:>10.3f}{pkg / ours:>18.1f}",
        f"  reference: {RESULTS['reference_per_pair'] * 1e6:.1f} us/pair measured at n={N_REF}",
        f"  peak memory (tracemalloc) of ours: {RESULTS['peak_mib']:.1f} MiB = "
        f"{RESULTS['peak_ratio']:.2f} x the n x n float64 result ({RESULTS['result_mib']:.1f} MiB)",
    ]
    if "agree_max_abs_diff" in RESULTS:
        lines.append(
            f"  agreement with gower package, complete data: max |diff| = "
            f"{RESULTS['agree_max_abs_diff']:.2e} (float32 output)"
        )
    if "pkg_nan_share" in RESULTS:
        lines.append(
            f"  with missing values: gower package NaN for {RESULTS['pkg_nan_share']:.1%} of pairs "
            f"(ours: {RESULTS['ours_nan_share']:.1%}); on the pairs it does return, max |diff| = "
            f"{RESULTS['pkg_missing_max_abs_diff']:.3f}"
        )
    _write(request, lines)


# ---------------------------------------------------------------------------
# Benchmarks
# ---------------------------------------------------------------------------


def test_bench_ours_2000(benchmark, frames):
    _, holed = frames
    benchmark.group = "gower 2000x40"
    result = benchmark.pedantic(gower_distance, args=(holed,), rounds=5, iterations=1, warmup_rounds=1)
    assert result.shape == (N_BIG, N_BIG)
    RESULTS["ours"] = benchmark.stats.stats.median

    # peak memory of one call, relative to the n x n float64 result
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        again = gower_distance(holed)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    result_bytes = N_BIG * N_BIG * 8
    RESULTS.update(peak_mib=peak / 2**20, result_mib=result_bytes / 2**20, peak_ratio=peak / result_bytes)
    benchmark.extra_info.update(peak_memory_mib=round(peak / 2**20, 1), peak_over_result=round(peak / result_bytes, 2))
    assert np.array_equal(again.to_numpy(), result.to_numpy(), equal_nan=True)
    RESULTS["ours_nan_share"] = float(np.isnan(result.to_numpy()[np.triu_indices(N_BIG, 1)]).mean())


def test_bench_reference_per_pair(benchmark, frames):
    _, holed = frames
    small = holed.iloc[:N_REF]
    benchmark.group = "gower reference"
    ref = benchmark.pedantic(reference_gower, args=(small,), rounds=3, iterations=1)
    n_pairs = N_REF * (N_REF - 1) / 2
    per_pair = benchmark.stats.stats.median / n_pairs
    RESULTS["reference_per_pair"] = per_pair
    extrapolated = per_pair * N_BIG * (N_BIG - 1) / 2
    benchmark.extra_info.update(
        n=N_REF,
        seconds_per_pair=per_pair,
        extrapolated_seconds_n2000=round(extrapolated, 1),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoCommonAttributesWarning)
        ours = gower_distance(small).to_numpy()
    np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-12)


def test_bench_gower_package_2000(benchmark, frames):
    gower = pytest.importorskip("gower")
    complete, holed = frames
    x_holed, is_cat = float_encoding(holed)
    benchmark.group = "gower 2000x40"
    pkg = benchmark.pedantic(
        gower.gower_matrix,
        args=(x_holed,),
        kwargs={"cat_features": is_cat},
        rounds=3,
        iterations=1,
        warmup_rounds=1,
    )
    RESULTS["gower_pkg"] = benchmark.stats.stats.median

    # Where conventions match (no missing values, positive numeric columns,
    # ordinal codes passed as numeric) the results must agree.
    x_complete, is_cat = float_encoding(complete)
    pkg_complete = gower.gower_matrix(x_complete, cat_features=is_cat).astype(np.float64)
    ours_complete = gower_distance(complete).to_numpy()
    max_diff = float(np.max(np.abs(pkg_complete - ours_complete)))
    RESULTS["agree_max_abs_diff"] = max_diff
    assert max_diff < 1e-5  # float32 output and float32 ranges in the package

    # With missing values the conventions differ: the package has no
    # delta_ijk (it divides by the total weight), lets a missing numeric value
    # turn the whole pair into NaN, and counts a missing category as a mismatch.
    iu = np.triu_indices(N_BIG, 1)
    pkg_vals = pkg.astype(np.float64)[iu]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoCommonAttributesWarning)
        ours_vals = gower_distance(holed).to_numpy()[iu]
    ok = ~np.isnan(pkg_vals)
    RESULTS["pkg_nan_share"] = float(1 - ok.mean())
    RESULTS["pkg_missing_max_abs_diff"] = float(np.max(np.abs(pkg_vals[ok] - ours_vals[ok]))) if ok.any() else math.nan
    benchmark.extra_info.update(
        agree_complete_max_abs_diff=max_diff,
        nan_share_with_missing=RESULTS["pkg_nan_share"],
    )


def test_data_is_seeded():
    a, _ = make_frames(50)
    b, _ = make_frames(50)
    pd.testing.assert_frame_equal(a, b)
    assert not a.isna().any().any()
