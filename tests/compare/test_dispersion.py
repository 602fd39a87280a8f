"""Tests for rocu_compare.compare.dispersion."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rocu_compare.compare import dispersion, gini


def gini_by_definition(x) -> float:
    """Mean absolute difference over all n^2 ordered pairs / (2 * mean)."""
    x = list(x)
    n = len(x)
    mad = sum(abs(a - b) for a in x for b in x) / n**2
    return mad / (2 * (sum(x) / n))


def test_gini_hand_computed():
    assert gini([1, 1, 1, 1]) == 0.0
    # sum |xi - xj| over ordered pairs = 2 * 3 * 1 = 6; n^2 = 16; mean = 1/4
    assert gini([0, 0, 0, 1]) == pytest.approx(6 / 16 / (2 * 0.25))
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)  # = (n - 1) / n
    assert gini([1, 2, 3]) == pytest.approx((2 * (1 + 2 + 1)) / 9 / (2 * 2))


def test_gini_undefined_cases():
    assert math.isnan(gini([]))
    assert math.isnan(gini([-1, 2, 3]))
    assert math.isnan(gini([0, 0]))
    assert gini([2, np.nan, 2]) == 0.0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=12))
def test_property_gini_matches_definition(xs):
    if sum(xs) == 0:
        assert math.isnan(gini(xs))
    else:
        assert gini(xs) == pytest.approx(gini_by_definition(xs), rel=1e-9, abs=1e-12)
        assert 0 <= gini(xs) <= (len(xs) - 1) / len(xs) + 1e-12


def test_dispersion_hand_computed_columns():
    df = pd.DataFrame(
        {
            "staff": [10.0, 20.0, 30.0, 40.0, np.nan, 50.0],
            "flat": [3, 3, 3, 3, 3, 3],
            "label": list("abcdef"),  # ignored
            "flag": [True, False, True, True, False, True],  # ignored
        }
    )
    out = dispersion(df, n_boot=500, seed=1)
    assert list(out.index) == ["staff", "flat"]
    assert out.index.name == "attribute"
    s = out.loc["staff"]
    x = [10, 20, 30, 40, 50]
    mean = sum(x) / 5
    sd = math.sqrt(sum((v - mean) ** 2 for v in x) / 4)
    assert s["n"] == 5
    assert s["mean"] == pytest.approx(30.0)
    assert s["std"] == pytest.approx(sd)
    assert s["cv"] == pytest.approx(sd / 30)
    assert s["max_min_ratio"] == pytest.approx(50 / 10)
    assert s["range"] == pytest.approx(50 - 10)
    assert s["gini"] == pytest.approx(gini_by_definition(x))
    assert not s["small_n"]
    assert s["cv_ci_low"] <= s["cv"] <= s["cv_ci_high"]
    assert s["gini_ci_low"] <= s["gini"] <= s["gini_ci_high"]
    assert s["note"] == ""
    f = out.loc["flat"]
    assert f["cv"] == 0 and f["gini"] == 0 and f["max_min_ratio"] == 1 and f["range"] == 0
    assert f["cv_ci_low"] == 0 and f["cv_ci_high"] == 0


def test_dispersion_small_n_and_undefined_statistics():
    df = pd.DataFrame(
        {
            "few": [1.0, 2.0, 4.0, np.nan, np.nan],
            "zero_min": [0.0, 1.0, 2.0, 3.0, 4.0],
            "negative": [-1.0, 1.0, 2.0, 3.0, 4.0],
            "zeros": [0.0, 0.0, 0.0, 0.0, 0.0],
        }
    )
    out = dispersion(df, n_boot=200, min_n=4)
    few = out.loc["few"]
    assert few["n"] == 3 and few["small_n"]
    assert math.isnan(few["cv_ci_low"]) and math.isnan(few["gini_ci_high"])
    assert "n < 4" in few["note"]
    assert few["cv"] == pytest.approx(np.std([1, 2, 4], ddof=1) / (7 / 3))
    zm = out.loc["zero_min"]
    assert math.isnan(zm["max_min_ratio"]) and "max/min ratio undefined" in zm["note"]
    assert zm["gini"] == pytest.approx(gini_by_definition([0, 1, 2, 3, 4]))
    assert not zm["small_n"] and not math.isnan(zm["gini_ci_low"])
    neg = out.loc["negative"]
    assert math.isnan(neg["gini"]) and math.isnan(neg["gini_ci_low"])
    assert "negative values" in neg["note"]
    assert neg["cv"] == pytest.approx(np.std([-1, 1, 2, 3, 4], ddof=1) / 1.8)
    z = out.loc["zeros"]
    assert math.isnan(z["cv"]) and math.isnan(z["gini"]) and z["range"] == 0


def test_dispersion_all_missing_column():
    out = dispersion(pd.DataFrame({"x": [np.nan, np.nan]}))
    row = out.loc["x"]
    assert row["n"] == 0 and row["small_n"] and row["note"] == "no observed values"
    assert math.isnan(row["mean"])


def test_dispersion_bootstrap_reproducible_and_seed_sensitive():
    rng = np.random.default_rng(7)
    df = pd.DataFrame({"a": rng.gamma(2.0, 10.0, 30), "b": rng.gamma(1.0, 5.0, 30)})
    a = dispersion(df, n_boot=300, seed=11)
    b = dispersion(df, n_boot=300, seed=11)
    pd.testing.assert_frame_equal(a, b)
    c = dispersion(df, n_boot=300, seed=12)
    assert not np.allclose(a["cv_ci_low"], c["cv_ci_low"])
    # point estimates do not depend on the seed
    pd.testing.assert_series_equal(a["gini"], c["gini"])


def test_dispersion_ci_width_grows_with_coverage():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": rng.gamma(2.0, 10.0, 40)})
    narrow = dispersion(df, n_boot=1000, ci=0.5).loc["a"]
    wide = dispersion(df, n_boot=1000, ci=0.99).loc["a"]
    assert wide["cv_ci_low"] < narrow["cv_ci_low"] < narrow["cv_ci_high"] < wide["cv_ci_high"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_boot": 0}, "n_boot must be a positive integer"),
        ({"min_n": 1}, "min_n must be an integer >= 2"),
        ({"ci": 1.0}, "ci must be strictly between 0 and 1"),
    ],
)
def test_dispersion_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        dispersion(pd.DataFrame({"x": [1.0, 2.0]}), **kwargs)
