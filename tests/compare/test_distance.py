"""Tests for rocu_compare.compare.distance."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rocu_compare.compare import (
    NoCommonAttributesWarning,
    default_kinds,
    gower_distance,
    hamming_distance,
    jaccard_distance,
    standardised_euclidean,
)

NAN = float("nan")


def at(d: pd.DataFrame, a, b) -> float:
    return float(d.loc[a, b])


# ---------------------------------------------------------------------------
# A plain per-pair reference implementation, written from the definition
# ---------------------------------------------------------------------------


def reference_gower(frame: pd.DataFrame, kinds: dict, col_weights: dict) -> pd.DataFrame:
    """Gower (1971) by double loop over pairs, attribute by attribute."""
    labels = list(frame.index)
    n = len(labels)
    prepared = {}
    for col in frame.columns:
        kind = kinds[col]
        raw = list(frame[col])
        if kind == "ordinal":
            cats = list(frame[col].cat.categories)
            vals = [NAN if pd.isna(v) else float(cats.index(v)) for v in raw]
        elif kind == "numeric":
            vals = [NAN if pd.isna(v) else float(v) for v in raw]
        else:
            vals = [None if pd.isna(v) else v for v in raw]
        if kind in ("numeric", "ordinal"):
            observed = [v for v in vals if not math.isnan(v)]
            rng = (max(observed) - min(observed)) if observed else 0.0
        else:
            rng = None
        prepared[col] = (kind, vals, rng)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            num = den = 0.0
            for col, (kind, vals, rng) in prepared.items():
                w = col_weights[col]
                if w == 0:
                    continue
                a, b = vals[i], vals[j]
                if kind in ("numeric", "ordinal"):
                    if math.isnan(a) or math.isnan(b):
                        continue
                    dk = abs(a - b) / rng if rng > 0 else 0.0
                else:
                    if a is None or b is None:
                        continue
                    dk = 0.0 if a == b else 1.0
                num += w * dk
                den += w
            out[i, j] = num / den if den > 0 else NAN
    return pd.DataFrame(out, index=frame.index, columns=frame.index)


def reference_gower_per_pair(frame: pd.DataFrame, kinds: dict, groups: dict, group_weights: dict) -> pd.DataFrame:
    """Per-pair renormalised groups, from the definition.

    Each group's distance is Gower on its own columns (equal weights, so the
    mean over the columns observed for both units); the pair's distance is
    the weighted mean over the groups where that is defined.
    """
    num = np.zeros((len(frame), len(frame)))
    den = np.zeros((len(frame), len(frame)))
    for g, w in group_weights.items():
        cols = [c for c in frame.columns if groups.get(c, c) == g]
        if w == 0 or not cols:
            continue
        d_g = reference_gower(frame[cols], kinds, {c: 1.0 for c in cols}).to_numpy()
        num += w * np.nan_to_num(d_g, nan=0.0)
        den += w * ~np.isnan(d_g)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / den
    out[den == 0] = NAN
    np.fill_diagonal(out, 0.0)
    return pd.DataFrame(out, index=frame.index, columns=frame.index)


def assert_same_matrix(a: pd.DataFrame, b: pd.DataFrame, tol: float = 1e-10) -> None:
    assert list(a.index) == list(b.index)
    assert list(a.columns) == list(b.columns)
    x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
    assert np.array_equal(np.isnan(x), np.isnan(y))
    ok = ~np.isnan(x)
    np.testing.assert_allclose(x[ok], y[ok], rtol=1e-9, atol=tol)


# ---------------------------------------------------------------------------
# Hand-computed distances
# ---------------------------------------------------------------------------


def test_numeric_only_hand_computed():
    df = pd.DataFrame({"x": [1.0, 3.0, 5.0], "y": [0.0, 10.0, 5.0]}, index=["A", "B", "C"])
    d = gower_distance(df)
    assert at(d, "A", "B") == pytest.approx((abs(1 - 3) / 4 + abs(0 - 10) / 10) / 2)
    assert at(d, "A", "C") == pytest.approx((abs(1 - 5) / 4 + abs(0 - 5) / 10) / 2)
    assert at(d, "B", "C") == pytest.approx((abs(3 - 5) / 4 + abs(10 - 5) / 10) / 2)
    assert list(d.index) == ["A", "B", "C"] and list(d.columns) == ["A", "B", "C"]
    assert (np.diag(d.to_numpy()) == 0).all()


def test_integer_columns_are_numeric():
    df = pd.DataFrame({"x": [1, 2, 5]}, index=list("ABC"))
    d = gower_distance(df)
    assert at(d, "A", "B") == pytest.approx(abs(1 - 2) / 4)


def test_ordinal_uses_codes_scaled_by_observed_range():
    cats = ["low", "mid", "high", "top"]  # "top" declared but never observed
    df = pd.DataFrame(
        {"grade": pd.Categorical(["low", "high", "mid"], categories=cats, ordered=True)},
        index=["A", "B", "C"],
    )
    assert default_kinds(df) == {"grade": "ordinal"}
    d = gower_distance(df)
    # codes 0, 2, 1; range of observed codes = 2 - 0 = 2
    assert at(d, "A", "B") == pytest.approx(abs(0 - 2) / 2)
    assert at(d, "A", "C") == pytest.approx(abs(0 - 1) / 2)
    assert at(d, "B", "C") == pytest.approx(abs(2 - 1) / 2)


def test_ordinal_order_is_declared_order_not_alphabetical():
    df = pd.DataFrame(
        {"g": pd.Categorical(["c", "a", "b"], categories=["c", "a", "b"], ordered=True)},
        index=list("XYZ"),
    )
    d = gower_distance(df)
    # codes: c=0, a=1, b=2
    assert at(d, "X", "Z") == pytest.approx(1.0)
    assert at(d, "X", "Y") == pytest.approx(0.5)


def test_numeric_column_declared_ordinal_uses_dense_ranks():
    df = pd.DataFrame({"level": [1, 2, 10]}, index=list("ABC"))
    d = gower_distance(df, kinds={"level": "ordinal"})
    # distinct observed values 1 < 2 < 10 -> ranks 0, 1, 2
    assert at(d, "A", "B") == pytest.approx(1 / 2)
    assert at(d, "B", "C") == pytest.approx(1 / 2)
    assert at(d, "A", "C") == pytest.approx(2 / 2)


def test_categorical_matching():
    df = pd.DataFrame(
        {"region": ["n", "s", "n"], "type": pd.Categorical(["x", "x", "y"])},
        index=["A", "B", "C"],
    )
    assert default_kinds(df) == {"region": "categorical", "type": "categorical"}
    d = gower_distance(df)
    assert at(d, "A", "B") == pytest.approx((1 + 0) / 2)
    assert at(d, "A", "C") == pytest.approx((0 + 1) / 2)
    assert at(d, "B", "C") == pytest.approx((1 + 1) / 2)


def test_binary_simple_matching():
    df = pd.DataFrame(
        {"lab": [True, False, False], "dogs": pd.array([False, False, True], dtype="boolean")},
        index=["A", "B", "C"],
    )
    assert default_kinds(df) == {"lab": "binary", "dogs": "binary"}
    d = gower_distance(df)
    assert at(d, "A", "B") == pytest.approx((1 + 0) / 2)
    # shared absence of "lab" counts as agreement (symmetric binary)
    assert at(d, "B", "C") == pytest.approx((0 + 1) / 2)
    assert at(d, "A", "C") == pytest.approx((1 + 1) / 2)


def test_binary_with_more_than_two_values_rejected():
    df = pd.DataFrame({"b": ["x", "y", "z"]})
    with pytest.raises(ValueError, match="declared binary but has 3 distinct values"):
        gower_distance(df, kinds={"b": "binary"})


def test_mixed_with_column_weights():
    df = pd.DataFrame(
        {"x": [1.0, 3.0, 5.0], "c": ["a", "b", "a"], "b": [True, True, False]},
        index=["A", "B", "C"],
    )
    d = gower_distance(df, weights={"x": 2.0, "c": 1.0, "b": 0.5})
    assert at(d, "A", "B") == pytest.approx((2 * abs(1 - 3) / 4 + 1 * 1 + 0.5 * 0) / (2 + 1 + 0.5))
    assert at(d, "A", "C") == pytest.approx((2 * abs(1 - 5) / 4 + 1 * 0 + 0.5 * 1) / (2 + 1 + 0.5))
    assert at(d, "B", "C") == pytest.approx((2 * abs(3 - 5) / 4 + 1 * 1 + 0.5 * 1) / (2 + 1 + 0.5))


def test_group_weights_are_shared_within_group():
    df = pd.DataFrame(
        {"x": [1.0, 3.0, 5.0], "y": [0.0, 10.0, 5.0], "c": ["a", "b", "a"]},
        index=["A", "B", "C"],
    )
    groups = {"x": "size", "y": "size", "c": "type"}
    d = gower_distance(df, weights={"size": 3.0, "type": 1.0}, groups=groups)
    wx = wy = 3.0 / 2
    wc = 1.0
    expected = (wx * abs(1 - 3) / 4 + wy * abs(0 - 10) / 10 + wc * 1) / (wx + wy + wc)
    assert at(d, "A", "B") == pytest.approx(expected)
    # equal group weights by default: the two "size" columns together weigh as much as "c"
    d_eq = gower_distance(df, groups=groups)
    expected_eq = (0.5 * abs(1 - 5) / 4 + 0.5 * abs(0 - 5) / 10 + 1 * 0) / (0.5 + 0.5 + 1)
    assert at(d_eq, "A", "C") == pytest.approx(expected_eq)


def test_ungrouped_column_is_its_own_group():
    df = pd.DataFrame({"x": [1.0, 3.0], "y": [0.0, 10.0], "c": ["a", "b"]}, index=["A", "B"])
    d = gower_distance(df, groups={"x": "size", "y": "size"}, weights={"c": 2.0})
    expected = (0.5 * 1 + 0.5 * 1 + 2.0 * 1) / (0.5 + 0.5 + 2.0)
    assert at(d, "A", "B") == pytest.approx(expected)
    d2 = gower_distance(
        pd.DataFrame({"x": [1.0, 3.0, 2.0], "c": ["a", "b", "b"]}, index=list("ABC")),
        groups={"x": "size"},
        weights={"c": 3.0},
    )
    assert at(d2, "A", "C") == pytest.approx((1 * abs(1 - 2) / 2 + 3 * 1) / (1 + 3))


def test_missing_values_drop_out_of_numerator_and_denominator():
    df = pd.DataFrame(
        {"x": [1.0, NAN, 5.0, 3.0], "c": ["a", "b", None, "a"]},
        index=["A", "B", "C", "D"],
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        d = gower_distance(df)
    # range of x over observed values: 5 - 1 = 4
    assert at(d, "A", "B") == pytest.approx(1 / 1)  # only c in common
    assert at(d, "A", "C") == pytest.approx((abs(1 - 5) / 4) / 1)  # only x in common
    assert at(d, "A", "D") == pytest.approx((abs(1 - 3) / 4 + 0) / 2)
    assert at(d, "C", "D") == pytest.approx((abs(5 - 3) / 4) / 1)
    assert at(d, "B", "D") == pytest.approx(1 / 1)
    # B has only c, C has only x: nothing in common
    assert math.isnan(at(d, "B", "C")) and math.isnan(at(d, "C", "B"))
    ours = [w for w in caught if issubclass(w.category, NoCommonAttributesWarning)]
    assert len(ours) == 1
    assert ours[0].message.pairs == [("B", "C")]
    assert "'B'" in str(ours[0].message) and "'C'" in str(ours[0].message)


def test_constant_column_contributes_zero_but_counts():
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "k": [7.0, 7.0, 7.0]}, index=list("ABC"))
    d = gower_distance(df)
    assert at(d, "A", "B") == pytest.approx((abs(1 - 2) / 2 + 0) / 2)
    assert at(d, "A", "C") == pytest.approx((abs(1 - 3) / 2 + 0) / 2)
    # constant column with a gap: counts only where both present
    df2 = pd.DataFrame({"x": [1.0, 2.0, 3.0], "k": [7.0, NAN, 7.0]}, index=list("ABC"))
    d2 = gower_distance(df2)
    assert at(d2, "A", "B") == pytest.approx((abs(1 - 2) / 2) / 1)
    assert at(d2, "A", "C") == pytest.approx((abs(1 - 3) / 2 + 0) / 2)
    # a constant categorical behaves the same way
    df3 = pd.DataFrame({"x": [1.0, 2.0, 3.0], "c": ["z", "z", "z"]}, index=list("ABC"))
    assert at(gower_distance(df3), "A", "C") == pytest.approx((1 + 0) / 2)


def test_no_common_attribute_gives_nan_and_warning():
    df = pd.DataFrame({"x": [1.0, NAN, 2.0], "y": [NAN, 2.0, 3.0]}, index=["A", "B", "C"])
    with pytest.warns(NoCommonAttributesWarning, match=r"1 pair\(s\).*\('A', 'B'\)") as rec:
        d = gower_distance(df)
    assert math.isnan(at(d, "A", "B")) and math.isnan(at(d, "B", "A"))
    assert rec[0].message.pairs == [("A", "B")]
    assert at(d, "A", "C") == pytest.approx(abs(1 - 2) / 1)
    assert at(d, "A", "A") == 0 and at(d, "B", "B") == 0


def test_diagonal_zero_for_all_missing_row():
    df = pd.DataFrame({"x": [1.0, NAN, 3.0], "c": ["a", None, "b"]}, index=list("ABC"))
    with pytest.warns(NoCommonAttributesWarning):
        d = gower_distance(df)
    assert at(d, "B", "B") == 0.0
    assert math.isnan(at(d, "A", "B")) and math.isnan(at(d, "B", "C"))


def test_zero_weight_column_is_ignored():
    df = pd.DataFrame(
        {"x": [1.0, 3.0, 5.0], "noise": ["p", "q", "r"], "y": [2.0, 0.0, 1.0]},
        index=list("ABC"),
    )
    d0 = gower_distance(df, weights={"noise": 0})
    d_drop = gower_distance(df.drop(columns="noise"))
    assert_same_matrix(d0, d_drop)


def test_zero_weight_column_does_not_rescue_nan_pair():
    df = pd.DataFrame({"x": [1.0, NAN], "y": [NAN, 2.0], "z": [1.0, 1.0]}, index=["A", "B"])
    with pytest.warns(NoCommonAttributesWarning):
        d = gower_distance(df, weights={"z": 0.0})
    assert math.isnan(at(d, "A", "B"))


def test_extreme_weight_ratios_keep_precision_with_missing_values():
    # A and B share only "x", whose weight is tiny next to the others'
    df = pd.DataFrame(
        {"x": [0.0, 1.0, 2.0], "y": [NAN, 1.0, 3.0], "z": [1.0, NAN, 2.0]},
        index=list("ABC"),
    )
    weights = {"x": 1e-20, "y": 1.0, "z": 1.0}
    d = gower_distance(df, weights=weights)
    assert at(d, "A", "B") == pytest.approx(abs(0 - 1) / 2, rel=1e-12)
    assert_same_matrix(d, reference_gower(df, default_kinds(df), weights), tol=1e-14)


def test_kinds_override_numeric_as_categorical():
    df = pd.DataFrame({"code": [10, 20, 10]}, index=list("ABC"))
    d = gower_distance(df, kinds={"code": "categorical"})
    assert at(d, "A", "B") == 1.0 and at(d, "A", "C") == 0.0


def test_weights_are_scale_invariant():
    df = pd.DataFrame({"x": [1.0, 3.0, 5.0], "c": ["a", "b", "a"]}, index=list("ABC"))
    assert_same_matrix(gower_distance(df, weights={"x": 2, "c": 1}), gower_distance(df, weights={"x": 20, "c": 10}))


def test_result_is_labelled_symmetric_float():
    df = pd.DataFrame({"x": [3.0, 1.0, 2.0]}, index=pd.Index(["u", "v", "w"], name="unit"))
    d = gower_distance(df)
    assert d.dtypes.eq(np.float64).all()
    assert d.index.equals(df.index) and d.columns.equals(df.index)
    assert np.array_equal(d.to_numpy(), d.to_numpy().T)


def test_empty_frame():
    df = pd.DataFrame({"x": pd.Series([], dtype=float)})
    assert gower_distance(df).shape == (0, 0)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def test_unknown_kind_rejected():
    df = pd.DataFrame({"x": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"unknown kind.*'x': 'interval'.*numeric, ordinal"):
        gower_distance(df, kinds={"x": "interval"})


def test_unknown_column_in_kinds_rejected():
    df = pd.DataFrame({"x": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"`kinds` names column\(s\) not in the frame: \['nope'\]"):
        gower_distance(df, kinds={"nope": "numeric"})


def test_negative_weight_rejected():
    df = pd.DataFrame({"x": [1.0, 2.0], "y": [1.0, 0.0]})
    with pytest.raises(ValueError, match=r"weight for column 'y' must be >= 0, got -1.0"):
        gower_distance(df, weights={"y": -1})


@pytest.mark.parametrize("bad", [float("inf"), float("nan")])
def test_non_finite_weight_rejected(bad):
    df = pd.DataFrame({"x": [1.0, 2.0]})
    with pytest.raises(ValueError, match="must be finite"):
        gower_distance(df, weights={"x": bad})


def test_non_numeric_numeric_column_rejected():
    df = pd.DataFrame({"x": ["1", "2", "3"]})
    with pytest.raises(TypeError, match=r"column 'x' is declared numeric but has non-numeric dtype (object|str)"):
        gower_distance(df, kinds={"x": "numeric"})


def test_unknown_weight_key_rejected():
    df = pd.DataFrame({"x": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"`weights` names column\(s\) not in the frame: \['z'\]"):
        gower_distance(df, weights={"z": 1})
    with pytest.raises(ValueError, match=r"`weights` names group\(s\) that do not exist: \['z'\]"):
        gower_distance(df, weights={"z": 1}, groups={"x": "g"})
    with pytest.raises(ValueError, match=r"`groups` names column\(s\) not in the frame"):
        gower_distance(df, groups={"q": "g"})


def test_unordered_categorical_declared_ordinal_rejected():
    df = pd.DataFrame({"g": pd.Categorical(["a", "b"])})
    with pytest.raises(TypeError, match="unordered categorical"):
        gower_distance(df, kinds={"g": "ordinal"})


def test_all_zero_weights_rejected():
    df = pd.DataFrame({"x": [1.0, 2.0]})
    with pytest.raises(ValueError, match="no attribute with positive weight"):
        gower_distance(df, weights={"x": 0})


def test_duplicate_index_rejected():
    df = pd.DataFrame({"x": [1.0, 2.0]}, index=["A", "A"])
    with pytest.raises(ValueError, match="uniquely"):
        gower_distance(df)


def test_datetime_column_needs_a_declared_kind():
    df = pd.DataFrame({"t": pd.to_datetime(["2020-01-01", "2021-01-01"])})
    with pytest.raises(TypeError, match="cannot infer the kind of column 't'"):
        gower_distance(df)


def test_infinite_values_rejected():
    df = pd.DataFrame({"x": [1.0, np.inf]})
    with pytest.raises(ValueError, match="infinite"):
        gower_distance(df)


# ---------------------------------------------------------------------------
# Property tests against the reference implementation
# ---------------------------------------------------------------------------

KIND_CHOICES = ["numeric", "ordinal", "categorical", "binary"]
ORD_LEVELS = ["lo", "mid", "hi", "max"]


@st.composite
def mixed_frames(draw, max_rows: int = 8, max_cols: int = 6):
    n = draw(st.integers(1, max_rows))
    k = draw(st.integers(1, max_cols))
    labels = draw(st.lists(st.text("abcdefgh", min_size=1, max_size=3), min_size=n, max_size=n, unique=True))
    cols, kinds = {}, {}
    for c in range(k):
        kind = draw(st.sampled_from(KIND_CHOICES))
        name = f"{kind[:3]}{c}"
        missing = st.booleans() if draw(st.booleans()) else st.just(False)
        miss = draw(st.lists(missing, min_size=n, max_size=n))
        if kind == "numeric":
            pool = draw(st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=1, max_size=4))
            vals = [NAN if m else draw(st.sampled_from(pool)) for m in miss]
            cols[name] = pd.Series(vals, dtype=float)
        elif kind == "ordinal":
            vals = [None if m else draw(st.sampled_from(ORD_LEVELS)) for m in miss]
            cols[name] = pd.Series(pd.Categorical(vals, categories=ORD_LEVELS, ordered=True))
        elif kind == "categorical":
            vals = [None if m else draw(st.sampled_from(["r", "g", "b"])) for m in miss]
            cols[name] = pd.Series(vals, dtype=object)
        else:
            vals = [None if m else draw(st.booleans()) for m in miss]
            cols[name] = pd.Series(vals, dtype="boolean")
        kinds[name] = kind
    frame = pd.DataFrame(cols)
    frame.index = pd.Index(labels)
    weights = {
        c: draw(st.one_of(st.just(0.0), st.just(1.0), st.floats(0.01, 10.0), st.floats(1e-15, 1e-3)))
        for c in frame.columns
    }
    assume(any(w > 0 for w in weights.values()))
    return frame, kinds, weights


def quiet_gower(*args, **kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoCommonAttributesWarning)
        return gower_distance(*args, **kwargs)


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(mixed_frames())
def test_property_matches_reference(case):
    frame, kinds, weights = case
    ours = quiet_gower(frame, kinds=kinds, weights=weights)
    ref = reference_gower(frame, kinds, weights)
    assert_same_matrix(ours, ref)


@PROPERTY_SETTINGS
@given(mixed_frames())
def test_property_symmetric_zero_diagonal_unit_interval(case):
    frame, kinds, weights = case
    d = quiet_gower(frame, kinds=kinds, weights=weights).to_numpy()
    assert np.array_equal(d, d.T, equal_nan=True)
    assert (np.diag(d) == 0).all()
    ok = ~np.isnan(d)
    assert ((d[ok] >= 0) & (d[ok] <= 1)).all()


@PROPERTY_SETTINGS
@given(mixed_frames(), st.randoms(use_true_random=False))
def test_property_row_order_invariant(case, rnd):
    frame, kinds, weights = case
    order = list(range(len(frame)))
    rnd.shuffle(order)
    d = quiet_gower(frame, kinds=kinds, weights=weights)
    d_perm = quiet_gower(frame.iloc[order], kinds=kinds, weights=weights)
    assert_same_matrix(d_perm.loc[frame.index, frame.index], d, tol=1e-12)


@PROPERTY_SETTINGS
@given(mixed_frames(max_cols=5), st.data())
def test_property_group_weights_match_reference(case, data):
    frame, kinds, _ = case
    cols = list(frame.columns)
    groups = {c: data.draw(st.sampled_from(["g1", "g2"])) for c in cols}
    group_w = {g: data.draw(st.floats(0.1, 5.0)) for g in set(groups.values())}
    size = {g: list(groups.values()).count(g) for g in group_w}
    col_w = {c: group_w[groups[c]] / size[groups[c]] for c in cols}
    ours = quiet_gower(frame, kinds=kinds, weights=group_w, groups=groups, group_weighting="fixed")
    assert_same_matrix(ours, reference_gower(frame, kinds, col_w))


@PROPERTY_SETTINGS
@given(mixed_frames(max_cols=5), st.data())
def test_property_per_pair_group_weights_match_reference(case, data):
    frame, kinds, _ = case
    cols = list(frame.columns)
    groups = {c: data.draw(st.sampled_from(["g1", "g2"])) for c in cols}
    group_w = {g: data.draw(st.floats(0.1, 5.0)) for g in set(groups.values())}
    ours = quiet_gower(frame, kinds=kinds, weights=group_w, groups=groups)
    assert_same_matrix(ours, reference_gower_per_pair(frame, kinds, groups, group_w))
    # with a single column per group the two weightings are the same thing
    singles = quiet_gower(frame, kinds=kinds, groups={c: f"g_{c}" for c in cols})
    fixed = quiet_gower(frame, kinds=kinds, groups={c: f"g_{c}" for c in cols}, group_weighting="fixed")
    assert_same_matrix(singles, fixed, tol=1e-12)


def test_per_pair_keeps_a_group_whole_when_a_pair_misses_part_of_it():
    # B has no budget: under fixed shares the "size" group would count half for (A, B)
    df = pd.DataFrame(
        {"staff": [10.0, 30.0, 20.0], "budget": [1.0, NAN, 3.0], "region": ["n", "n", "s"]},
        index=["A", "B", "C"],
    )
    groups = {"staff": "size", "budget": "size"}
    per_pair = gower_distance(df, groups=groups)
    fixed = gower_distance(df, groups=groups, group_weighting="fixed")
    # (A, B): size = staff only = |10 - 30| / 20 = 1; region equal = 0 -> (1 + 0) / 2
    assert at(per_pair, "A", "B") == pytest.approx(0.5)
    # fixed shares: staff 1/2, budget absent, region 1 -> (0.5 * 1 + 1 * 0) / (0.5 + 1)
    assert at(fixed, "A", "B") == pytest.approx(1 / 3)
    # (A, C): both size columns present: size = (10/20 + 2/2) / 2 = 0.75, region 1 -> (0.75 + 1) / 2
    assert at(per_pair, "A", "C") == pytest.approx(0.875)
    assert at(fixed, "A", "C") == pytest.approx(0.875)
    # group weights apply to whole groups in both: size weighted 3
    w = {"size": 3.0, "region": 1.0}
    assert at(gower_distance(df, groups=groups, weights=w), "A", "B") == pytest.approx((3 * 1 + 0) / 4)
    assert at(gower_distance(df, groups=groups, weights=w, group_weighting="fixed"), "A", "B") == pytest.approx(
        (1.5 * 1 + 0) / (1.5 + 1)
    )
    # a pair sharing nothing in a group just drops that group
    df2 = df.assign(budget=[NAN, NAN, 3.0], staff=[10.0, NAN, 20.0])
    d2 = gower_distance(df2, groups=groups)
    assert at(d2, "A", "B") == pytest.approx(0.0)  # only region, equal
    with pytest.raises(ValueError, match="group_weighting must be one of"):
        gower_distance(df, groups=groups, group_weighting="pairwise")


def larger_random_frame(n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(42)
    df = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.integers(0, 5, n).astype(float),
            "c": rng.choice(list("xyz"), n).astype(object),
            "o": pd.Categorical(rng.choice(ORD_LEVELS, n), categories=ORD_LEVELS, ordered=True),
            "t": rng.random(n) < 0.3,
        },
        index=[f"u{i}" for i in range(n)],
    )
    df.loc[rng.random(n) < 0.1, "a"] = NAN
    df.loc[rng.random(n) < 0.1, "c"] = None
    df.loc[rng.random(n) < 0.2, "b"] = NAN
    return df


def test_reference_agrees_on_larger_random_frame(monkeypatch):
    n = 300  # more than one block of rows is not needed for correctness, but exercise several
    df = larger_random_frame(n)
    kinds = default_kinds(df)
    weights = {"a": 1.0, "b": 0.5, "c": 2.0, "o": 1.5, "t": 1.0}
    from rocu_compare.compare import distance as dist_mod

    with monkeypatch.context() as m:
        m.setattr(dist_mod, "_SMALL_PATH_CELLS", 1 << 30)  # force the one-shot per-pair path
        small_path = gower_distance(df, weights=weights)
    with monkeypatch.context() as m:
        m.setattr(dist_mod, "_SMALL_PATH_CELLS", 0)  # force the block kernel
        m.setattr(dist_mod, "_BLOCK_CELLS", 7 * n)  # with many uneven row blocks
        ours = gower_distance(df, weights=weights)
    assert_same_matrix(ours, reference_gower(df, kinds, weights))
    assert_same_matrix(small_path, ours, tol=1e-12)


@pytest.mark.parametrize("group_weighting", ["per_pair", "fixed"])
def test_block_kernel_groups_agree_with_reference(monkeypatch, group_weighting):
    n = 120
    df = larger_random_frame(n)
    kinds = default_kinds(df)
    groups = {"a": "size", "b": "size", "c": "kind", "t": "kind"}  # "o" on its own
    group_w = {"size": 2.0, "kind": 1.0, "o": 0.5}
    from rocu_compare.compare import distance as dist_mod

    with monkeypatch.context() as m:
        m.setattr(dist_mod, "_SMALL_PATH_CELLS", 1 << 30)
        small_path = gower_distance(df, weights=group_w, groups=groups, group_weighting=group_weighting)
    with monkeypatch.context() as m:
        m.setattr(dist_mod, "_SMALL_PATH_CELLS", 0)
        m.setattr(dist_mod, "_BLOCK_CELLS", 7 * n)
        ours = gower_distance(df, weights=group_w, groups=groups, group_weighting=group_weighting)
    if group_weighting == "per_pair":
        expected = reference_gower_per_pair(df, kinds, groups, group_w)
    else:
        expected = reference_gower(df, kinds, {"a": 1.0, "b": 1.0, "c": 0.5, "t": 0.5, "o": 0.5})
    assert_same_matrix(ours, expected)
    assert_same_matrix(small_path, ours, tol=1e-12)


# ---------------------------------------------------------------------------
# Jaccard and Hamming
# ---------------------------------------------------------------------------


def test_jaccard_hand_computed():
    caps = pd.DataFrame(
        {
            "c1": [True, True, False, False],
            "c2": [True, False, False, False],
            "c3": [False, True, False, pd.NA],
            "c4": [True, True, False, pd.NA],
        },
        index=list("ABCD"),
    ).astype("boolean")
    d = jaccard_distance(caps)
    # A=(1,1,0,1), B=(1,0,1,1): a=2, b+c=2
    assert at(d, "A", "B") == pytest.approx(2 / (2 + 2))
    # A vs C (all False): a=0, b+c=3
    assert at(d, "A", "C") == pytest.approx(3 / 3)
    # C vs D: common c1, c2 both False -> no positive in either -> 0 by convention
    assert at(d, "C", "D") == 0.0
    # A vs D on c1, c2 only: A=(1,1), D=(0,0)
    assert at(d, "A", "D") == pytest.approx(2 / 2)


def test_hamming_hand_computed_with_missing():
    caps = pd.DataFrame(
        {"c1": [1, 1, 0], "c2": [1, 0, NAN], "c3": [0, 0, 0], "c4": [1, 1, NAN]},
        index=list("ABC"),
    )
    d = hamming_distance(caps)
    assert at(d, "A", "B") == pytest.approx(1 / 4)
    # A vs C on c1, c3: differs on c1 only
    assert at(d, "A", "C") == pytest.approx(1 / 2)
    assert at(d, "B", "C") == pytest.approx(1 / 2)


def test_binary_distances_nan_when_nothing_in_common():
    caps = pd.DataFrame({"c1": [True, None], "c2": [None, False]}, index=["A", "B"]).astype("boolean")
    with pytest.warns(NoCommonAttributesWarning):
        dj = jaccard_distance(caps)
    with pytest.warns(NoCommonAttributesWarning):
        dh = hamming_distance(caps)
    assert math.isnan(at(dj, "A", "B")) and math.isnan(at(dh, "A", "B"))
    assert at(dj, "A", "A") == 0 and at(dh, "B", "B") == 0


def test_binary_distances_reject_non_binary():
    with pytest.raises(ValueError, match=r"column 'c' is not binary.*found \[2"):
        jaccard_distance(pd.DataFrame({"c": [0, 1, 2]}))
    with pytest.raises(ValueError, match="column 'c' is not binary"):
        hamming_distance(pd.DataFrame({"c": ["yes", "no"]}))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([True, False, None]), min_size=4, max_size=4),
        min_size=2,
        max_size=6,
    )
)
def test_property_binary_distances_match_pairwise_definition(rows):
    df = pd.DataFrame(rows, columns=list("pqrs"), index=[f"u{i}" for i in range(len(rows))])
    df = df.astype("boolean")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoCommonAttributesWarning)
        dj = jaccard_distance(df).to_numpy()
        dh = hamming_distance(df).to_numpy()
    for i, ri in enumerate(rows):
        for j, rj in enumerate(rows):
            if i == j:
                assert dj[i, j] == 0 and dh[i, j] == 0
                continue
            common = [(a, b) for a, b in zip(ri, rj) if a is not None and b is not None]
            if not common:
                assert math.isnan(dj[i, j]) and math.isnan(dh[i, j])
                continue
            diff = sum(a != b for a, b in common)
            both = sum(a and b for a, b in common)
            assert dh[i, j] == pytest.approx(diff / len(common))
            expected_j = diff / (diff + both) if diff + both else 0.0
            assert dj[i, j] == pytest.approx(expected_j)


# ---------------------------------------------------------------------------
# Standardised Euclidean
# ---------------------------------------------------------------------------


def test_standardised_euclidean_hand_computed():
    df = pd.DataFrame({"x": [0.0, 2.0, 4.0], "y": [1.0, 1.0, 4.0]}, index=list("ABC"))
    sx = np.std([0, 2, 4], ddof=1)  # = 2
    sy = np.std([1, 1, 4], ddof=1)  # = sqrt(3)
    d = standardised_euclidean(df)
    assert at(d, "A", "B") == pytest.approx(math.sqrt((2 / sx) ** 2 + 0))
    assert at(d, "A", "C") == pytest.approx(math.sqrt((4 / sx) ** 2 + (3 / sy) ** 2))


def test_standardised_euclidean_missing_rescaled():
    df = pd.DataFrame({"x": [0.0, 2.0, 4.0], "y": [1.0, NAN, 4.0]}, index=list("ABC"))
    sx = np.std([0, 2, 4], ddof=1)
    d = standardised_euclidean(df)
    # A-B: only x observed in both, k=2, k_obs=1
    assert at(d, "A", "B") == pytest.approx(math.sqrt(2 / 1 * (2 / sx) ** 2))
    sy = np.std([1, 4], ddof=1)
    assert at(d, "A", "C") == pytest.approx(math.sqrt((4 / sx) ** 2 + (3 / sy) ** 2))


def test_standardised_euclidean_constant_column_and_nan_pair():
    df = pd.DataFrame({"x": [1.0, 2.0, NAN], "k": [5.0, 5.0, NAN], "y": [NAN, NAN, 3.0]}, index=list("ABC"))
    with pytest.warns(NoCommonAttributesWarning):
        d = standardised_euclidean(df)
    sx = np.std([1, 2], ddof=1)
    # A-B: x and k observed (k constant -> z = 0); 3 columns, 2 observed
    assert at(d, "A", "B") == pytest.approx(math.sqrt(3 / 2 * (1 / sx) ** 2))
    assert math.isnan(at(d, "A", "C"))


def test_standardised_euclidean_rejects_text():
    with pytest.raises(TypeError, match="non-numeric dtype"):
        standardised_euclidean(pd.DataFrame({"x": ["a", "b"]}))
