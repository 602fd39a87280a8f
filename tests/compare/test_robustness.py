"""Tests for rocu_compare.compare.robustness."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rocu_compare.compare import (
    adjusted_rand_index,
    gower_distance,
    nearest_peers,
    robustness,
)


def comb2(x: int) -> int:
    return x * (x - 1) // 2


def ari_by_pair_counting(a, b) -> float:
    """ARI from the pair-counting definition, over all pairs of units."""
    n = len(a)
    pairs = list(combinations(range(n), 2))
    same_a = [a[i] == a[j] for i, j in pairs]
    same_b = [b[i] == b[j] for i, j in pairs]
    both = sum(x and y for x, y in zip(same_a, same_b))
    na, nb, total = sum(same_a), sum(same_b), len(pairs)
    expected = na * nb / total
    maximum = (na + nb) / 2
    return (both - expected) / (maximum - expected)


# ---------------------------------------------------------------------------
# ARI
# ---------------------------------------------------------------------------


def test_ari_hand_computed():
    a = [0, 0, 0, 1, 1, 1]
    b = [0, 0, 1, 1, 2, 2]
    # contingency: [[2, 1, 0], [0, 1, 2]]
    sum_ij = comb2(2) + comb2(1) + comb2(1) + comb2(2)
    sum_a = comb2(3) + comb2(3)
    sum_b = comb2(2) * 3
    expected = sum_a * sum_b / comb2(6)
    assert adjusted_rand_index(a, b) == pytest.approx((sum_ij - expected) / ((sum_a + sum_b) / 2 - expected))
    assert adjusted_rand_index(a, ["x", "x", "x", "y", "y", "y"]) == 1.0
    assert adjusted_rand_index([1, 1, 2, 2], [1, 2, 1, 2]) == -0.5


def test_ari_degenerate_partitions():
    assert adjusted_rand_index([1, 1, 1], [2, 2, 2]) == 1.0
    assert adjusted_rand_index([1, 2, 3], [3, 1, 2]) == 1.0
    assert adjusted_rand_index([1, 1, 1], [1, 2, 3]) == 0.0
    with pytest.raises(ValueError, match="same length"):
        adjusted_rand_index([1, 2], [1])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=12))
def test_property_ari_matches_pair_counting(pairs):
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    na = sum(a[i] == a[j] for i, j in combinations(range(len(a)), 2))
    nb = sum(b[i] == b[j] for i, j in combinations(range(len(b)), 2))
    total = comb2(len(a))
    if (na + nb) / 2 == na * nb / total:  # undefined: covered by the degenerate test
        return
    assert adjusted_rand_index(a, b) == pytest.approx(ari_by_pair_counting(a, b))
    assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_index(b, a))


# ---------------------------------------------------------------------------
# robustness()
# ---------------------------------------------------------------------------


@pytest.fixture
def mixed_frame() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 9
    df = pd.DataFrame(
        {
            "staff": rng.normal(100, 30, n),
            "budget": rng.normal(10, 3, n),
            "cases": rng.poisson(20, n).astype(float),
            "region": rng.choice(["n", "s", "w"], n),
            "lab": rng.random(n) < 0.5,
        },
        index=[f"U{i}" for i in range(n)],
    )
    df.loc["U3", "budget"] = np.nan
    return df


def test_reproducible_with_seed(mixed_frame):
    r1 = robustness(mixed_frame, n_draws=30, seed=3)
    r2 = robustness(mixed_frame, n_draws=30, seed=3)
    for name in ("pair_rank_stability", "peer_stability", "cluster_stability", "draws", "weights", "summary"):
        pd.testing.assert_frame_equal(getattr(r1, name), getattr(r2, name))
    r3 = robustness(mixed_frame, n_draws=30, seed=4)
    assert not np.allclose(r1.weights.to_numpy()[:30], r3.weights.to_numpy()[:30])


def test_draw_structure_and_weights(mixed_frame):
    res = robustness(mixed_frame, n_draws=25, seed=1, concentration=2.0)
    draws = res.draws
    assert list(draws.columns) == [
        "kind",
        "left_out",
        "spearman_vs_baseline",
        "all_tied",
        "ari_vs_baseline",
        "mean_pairwise_distance",
        "n_pairs_skipped",
    ]
    assert (draws["kind"] == "dirichlet").sum() == 25
    lo = draws[draws["kind"] == "leave-out"]
    assert list(lo["left_out"]) == list(mixed_frame.columns)
    assert draws.loc[draws["kind"] == "dirichlet", "left_out"].isna().all()
    # Dirichlet weights average 1 over the columns; leave-outs are 0/1
    w = res.weights
    assert list(w.columns) == list(mixed_frame.columns)
    np.testing.assert_allclose(w[draws["kind"] == "dirichlet"].mean(axis=1), 1.0)
    for i, col in zip(lo.index, lo["left_out"]):
        assert w.loc[i, col] == 0 and (w.loc[i].drop(col) == 1).all()
    # the baseline is the equal-weight Gower matrix
    pd.testing.assert_frame_equal(res.baseline, gower_distance(mixed_frame))
    # each draw's mean pairwise distance is that of the Gower matrix with its weights
    i = 7
    d = gower_distance(mixed_frame, weights=w.loc[i].to_dict()).to_numpy()
    iu = np.triu_indices(len(mixed_frame), 1)
    assert draws.loc[i, "mean_pairwise_distance"] == pytest.approx(d[iu].mean())
    n = len(mixed_frame)
    assert len(res.pair_rank_stability) == n * (n - 1) // 2
    assert res.pair_rank_stability["baseline_rank"].is_monotonic_increasing
    assert (res.pair_rank_stability["n_used"] == len(draws)).all()
    s = res.summary.iloc[0]
    assert s["n_dirichlet"] == 25 and s["n_leave_out"] == 5 and s["weighted_over"] == "columns"
    assert s["spearman_min"] == pytest.approx(draws["spearman_vs_baseline"].min())
    assert s["ari_median"] == pytest.approx(draws["ari_vs_baseline"].median())
    assert -1 <= s["spearman_min"] <= s["spearman_median"] <= 1


def decisive_frame() -> pd.DataFrame:
    # "key" pairs A with B and C with D; x and y (copies) pair A with C and B with D
    return pd.DataFrame(
        {
            "key": ["p", "p", "q", "q", "r"],
            "x": [0.0, 0.2, 0.1, 0.3, 1.0],
            "y": [0.0, 0.2, 0.1, 0.3, 1.0],
        },
        index=list("ABCDE"),
    )


def test_leaving_out_decisive_attribute_changes_peers():
    df = decisive_frame()
    res = robustness(df, n_draws=0, k_peers=1, n_clusters=3)
    # baseline (equal weights): d(A,B) = (0 + .2 + .2)/3, d(A,C) = (1 + .1 + .1)/3
    base_peer = {u: p[0] for u, p in res.peer_stability["baseline_peers"].items()}
    assert base_peer["A"] == "B" and base_peer["B"] == "A"
    assert base_peer["C"] == "D" and base_peer["D"] == "C"
    # without "key": A's nearest is C (0.1 < 0.2)
    without_key = nearest_peers(gower_distance(df.drop(columns="key")), k=1)
    assert without_key.set_index("unit").loc["A", "peer"] == "C"
    # three leave-outs; only dropping "key" changes A's peer
    assert res.peer_stability.loc["A", "share_same_peers"] == pytest.approx(2 / 3)
    assert res.peer_stability.loc["A", "n_used"] == 3
    draws = res.draws.set_index("left_out")
    assert draws.loc["key", "spearman_vs_baseline"] < draws.loc["x", "spearman_vs_baseline"]
    assert res.summary.loc[0, "least_stable_leave_out"] == "key"
    assert res.summary.loc[0, "least_stable_leave_out_spearman"] == pytest.approx(
        draws.loc["key", "spearman_vs_baseline"]
    )


def test_duplicated_identical_attributes_are_fully_stable():
    pos = [0.0, 1.0, 3.0, 7.0, 15.0, 31.0]  # all pairwise gaps distinct
    df = pd.DataFrame({f"copy{i}": pos for i in range(4)}, index=[f"U{i}" for i in range(6)])
    res = robustness(df, n_draws=50, seed=9, concentration=0.3, k_peers=2, n_clusters=2)
    np.testing.assert_allclose(res.draws["spearman_vs_baseline"], 1.0)
    assert (res.draws["ari_vs_baseline"] == 1.0).all()
    assert (res.peer_stability["share_same_peers"] == 1.0).all()
    assert (res.peer_stability["mean_peer_overlap"] == 1.0).all()
    assert (res.cluster_stability["share_same_comembers"] == 1.0).all()
    assert (res.cluster_stability["mean_comember_jaccard"] == 1.0).all()
    prs = res.pair_rank_stability
    assert (prs["share_within_1_rank"] == 1.0).all()
    assert (prs["median_rank"] == prs["baseline_rank"]).all()
    assert (prs["min_rank"] == prs["max_rank"]).all()
    np.testing.assert_allclose(res.draws["mean_pairwise_distance"], res.draws["mean_pairwise_distance"].iloc[0])


def test_groups_are_perturbed_as_wholes():
    df = decisive_frame()
    groups = {"x": "size", "y": "size", "key": "type"}
    res = robustness(df, groups=groups, n_draws=10, seed=2)
    assert list(res.weights.columns) == ["type", "size"]
    lo = res.draws[res.draws["kind"] == "leave-out"]
    assert sorted(lo["left_out"]) == ["size", "type"]
    assert res.summary.loc[0, "weighted_over"] == "groups"
    pd.testing.assert_frame_equal(res.baseline, gower_distance(df, groups=groups))


def test_nan_pairs_in_a_perturbation_are_skipped_and_counted():
    # A and B share only "x"; leaving "x" out leaves them with nothing in common
    df = pd.DataFrame(
        {
            "x": [1.0, 2.0, 3.0, 4.0],
            "y": [np.nan, 1.0, 2.0, 5.0],
            "z": [0.0, np.nan, 1.0, 3.0],
        },
        index=list("ABCD"),
    )
    res = robustness(df, n_draws=0, n_clusters=2)
    draws = res.draws.set_index("left_out")
    assert draws.loc["x", "n_pairs_skipped"] == 1
    assert math.isnan(draws.loc["x", "ari_vs_baseline"])  # cannot cluster with a NaN
    assert draws.loc["y", "n_pairs_skipped"] == 0 and not math.isnan(draws.loc["y", "ari_vs_baseline"])
    ab = res.pair_rank_stability.query("unit_a == 'A' and unit_b == 'B'").iloc[0]
    assert ab["n_used"] == 2
    assert res.summary.loc[0, "pairs_skipped_total"] == 1
    assert (res.cluster_stability["n_used"] == 2).all()


def test_robustness_bad_input():
    df = decisive_frame()
    with pytest.raises(ValueError, match="at least 3 units"):
        robustness(df.iloc[:2])
    with pytest.raises(ValueError, match="concentration must be a positive"):
        robustness(df, concentration=0)
    with pytest.raises(ValueError, match="nothing to perturb"):
        robustness(df[["x"]], n_draws=0)
    with pytest.raises(ValueError, match="k_peers must be between 1 and 4"):
        robustness(df, k_peers=5)
    with pytest.raises(ValueError, match="n_clusters must be between 1 and 5"):
        robustness(df, n_clusters=6)


def test_perturbation_with_all_distances_tied_is_reported_as_least_stable():
    # without "x" only the constant "c" is left: every pair is at distance 0 and the
    # leave-out keeps none of the baseline order (Spearman undefined)
    df = pd.DataFrame({"x": [0.0, 1.0, 3.0, 7.0], "c": [5.0, 5.0, 5.0, 5.0]}, index=list("ABCD"))
    res = robustness(df, n_draws=0, n_clusters=2)
    draws = res.draws.set_index("left_out")
    assert draws.loc["x", "all_tied"] and not draws.loc["c", "all_tied"]
    assert math.isnan(draws.loc["x", "spearman_vs_baseline"])
    assert draws.loc["c", "spearman_vs_baseline"] == pytest.approx(1.0)  # x alone orders pairs as before
    s = res.summary.iloc[0]
    assert s["n_all_tied"] == 1
    assert s["least_stable_leave_out"] == "x" and s["least_stable_leave_out_all_tied"]
    assert math.isnan(s["least_stable_leave_out_spearman"])
    # min and median are over the defined correlations, with the tied one counted beside them
    assert s["spearman_min"] == pytest.approx(1.0) and s["spearman_median"] == pytest.approx(1.0)
    # the previous implementation named "c" the least stable: the tied "x" was dropped silently
    from . import _reference_robustness as reference

    assert reference.robustness(df, n_draws=0, n_clusters=2).summary.loc[0, "least_stable_leave_out"] == "c"


def test_other_group_weighting_is_reported_beside_the_baseline():
    # B has no s2. Ranges of s1 and s2 are both [0, 1]; groups: size = {s1, s2}, t alone.
    df = pd.DataFrame(
        {"s1": [0.0, 1.0, 1.0, 0.5], "s2": [0.0, np.nan, 0.5, 1.0], "t": ["p", "p", "p", "q"]},
        index=list("ABCD"),
    )
    groups = {"s1": "size", "s2": "size"}
    res = robustness(df, groups=groups, n_draws=5, seed=1, n_clusters=2)
    # per pair: d(A,B) = (size 1 + t 0) / 2 = 0.5; d(A,C) = ((1 + 0.5) / 2 + 0) / 2 = 0.375
    # fixed:    d(A,B) = (0.5 * 1 + 1 * 0) / 1.5 = 1/3;  d(A,C) = 0.375 (complete data)
    assert res.baseline.loc["A", "B"] == pytest.approx(0.5)
    assert res.other_baseline.loc["A", "B"] == pytest.approx(1 / 3)
    assert res.baseline.loc["A", "C"] == pytest.approx(0.375) == res.other_baseline.loc["A", "C"]
    # d(D,B): per pair (0.5 + 1) / 2 = 0.75 = d(D,C) = ((0.5 + 0.5) / 2 + 1) / 2, tie broken by label;
    # fixed (0.5 * 0.5 + 1) / 1.5 = 5/6 > 0.75
    w = res.weighting
    assert w.loc["A", "peers_per_pair"] == ("C",) and w.loc["A", "peers_fixed"] == ("B",)
    assert w.loc["D", "peers_per_pair"] == ("B",) and w.loc["D", "peers_fixed"] == ("C",)
    assert w.loc[["B", "C"], "same_peers"].all() and not w.loc[["A", "D"], "same_peers"].any()
    s = res.summary.iloc[0]
    assert s["group_weighting"] == "per_pair" and s["other_weighting"] == "fixed"
    assert s["other_weighting_n_units_peers_differ"] == 2
    assert s["other_weighting_max_abs_difference"] == pytest.approx(1 / 6)
    pd.testing.assert_frame_equal(res.baseline, gower_distance(df, groups=groups))
    pd.testing.assert_frame_equal(res.other_baseline, gower_distance(df, groups=groups, group_weighting="fixed"))
    fixed = robustness(df, groups=groups, n_draws=5, seed=1, n_clusters=2, group_weighting="fixed")
    pd.testing.assert_frame_equal(fixed.baseline, res.other_baseline)
    assert fixed.weighting.loc["A", "peers_fixed"] == ("B",)
    with pytest.raises(ValueError, match="group_weighting must be one of"):
        robustness(df, group_weighting="both")


def test_rank_rows_matches_scipy_rankdata():
    from scipy.stats import rankdata

    from rocu_compare.compare.robustness import _rank_rows

    rng = np.random.default_rng(3)
    v = rng.integers(0, 5, size=(30, 12)).astype(float)
    v[rng.random(v.shape) < 0.2] = np.nan
    got = _rank_rows(v)
    for row, ranks in zip(v, got):
        ok = ~np.isnan(row)
        np.testing.assert_array_equal(ranks[ok], rankdata(row[ok], method="average"))
        assert np.isnan(ranks[~ok]).all()
