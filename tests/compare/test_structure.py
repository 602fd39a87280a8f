"""Tests for rocu_compare.compare.structure."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rocu_compare.compare import (
    classical_mds,
    cluster,
    gower_distance,
    nearest_peers,
    spread_summary,
)


def line_distance(positions: dict) -> pd.DataFrame:
    labels = list(positions)
    x = np.array([positions[k] for k in labels], dtype=float)
    return pd.DataFrame(np.abs(x[:, None] - x[None, :]), index=labels, columns=labels)


def euclid(points: pd.DataFrame) -> pd.DataFrame:
    p = points.to_numpy(dtype=float)
    d = np.sqrt(((p[:, None, :] - p[None, :, :]) ** 2).sum(axis=2))
    return pd.DataFrame(d, index=points.index, columns=points.index)


@pytest.fixture
def two_groups() -> pd.DataFrame:
    """Two well-separated groups of units on mixed attributes."""
    rng = np.random.default_rng(3)
    n = 6
    left = pd.DataFrame(
        {
            "size": rng.normal(10, 0.5, n),
            "budget": rng.normal(100, 2, n),
            "region": ["north"] * n,
            "lab": [True] * n,
        }
    )
    right = pd.DataFrame(
        {
            "size": rng.normal(50, 0.5, n),
            "budget": rng.normal(300, 2, n),
            "region": ["south"] * n,
            "lab": [False] * n,
        }
    )
    df = pd.concat([left, right], ignore_index=True)
    df.index = [f"L{i}" for i in range(n)] + [f"R{i}" for i in range(n)]
    # shuffle rows so that the structure is not given away by the order
    return df.sample(frac=1.0, random_state=1)


# ---------------------------------------------------------------------------
# Clustering
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["average", "single", "complete", "weighted"])
def test_cluster_recovers_two_groups(two_groups, method):
    res = cluster(gower_distance(two_groups), method=method)
    labels = res.labels(2)
    assert list(labels.index) == list(two_groups.index)
    groups = {name[0] for name in two_groups.index}
    for g in groups:
        ids = labels[[u for u in labels.index if u.startswith(g)]]
        assert ids.nunique() == 1
    assert labels.nunique() == 2
    assert res.method == method
    assert sorted(res.order) == sorted(two_groups.index)
    assert res.linkage.shape == (len(two_groups) - 1, 4)
    assert res.cophenetic_correlation > 0.9


def test_cluster_ids_follow_leaf_order():
    d = line_distance({"A": 0.0, "B": 0.2, "C": 10.0, "D": 10.1, "E": 30.0})
    res = cluster(d)
    lab = res.labels(3)
    first_seen = list(dict.fromkeys(lab[res.order]))
    assert first_seen == [1, 2, 3]
    assert lab["A"] == lab["B"] and lab["C"] == lab["D"] and lab["E"] not in (lab["A"], lab["C"])
    assert res.labels(1).eq(1).all()
    assert res.labels(5).nunique() == 5


def test_cophenetic_correlation_of_ultrametric_is_one():
    # an ultrametric: ((A,B) at 1, (C,D) at 2) joined at 5
    labels = list("ABCD")
    u = np.array([[0, 1, 5, 5], [1, 0, 5, 5], [5, 5, 0, 2], [5, 5, 2, 0]], dtype=float)
    for method in ("average", "single", "complete"):
        res = cluster(pd.DataFrame(u, index=labels, columns=labels), method=method)
        assert res.cophenetic_correlation == pytest.approx(1.0)


def test_cluster_refuses_nan_and_names_pairs():
    d = line_distance({"A": 0.0, "B": 1.0, "C": 2.0})
    d.loc["A", "C"] = d.loc["C", "A"] = np.nan
    with pytest.raises(ValueError, match=r"1 NaN pair\(s\): \('A', 'C'\)"):
        cluster(d)


def test_cluster_warns_for_euclidean_methods():
    d = line_distance({"A": 0.0, "B": 1.0, "C": 3.0})
    for method in ("ward", "centroid", "median"):
        with pytest.warns(UserWarning, match="assumes Euclidean distances"):
            cluster(d, method=method)


def test_cluster_bad_input():
    d = line_distance({"A": 0.0, "B": 1.0, "C": 3.0})
    with pytest.raises(ValueError, match="unknown linkage method 'nearest'"):
        cluster(d, method="nearest")
    with pytest.raises(ValueError, match="k must be an integer between 1 and 3"):
        cluster(d).labels(4)
    asym = d.copy()
    asym.loc["A", "B"] = 5.0
    with pytest.raises(ValueError, match="not symmetric"):
        cluster(asym)
    with pytest.raises(ValueError, match="same labels"):
        cluster(d.loc[:, ["B", "A", "C"]])


# ---------------------------------------------------------------------------
# Classical MDS
# ---------------------------------------------------------------------------


def test_mds_points_on_a_line_recover_distances():
    pos = {"A": 0.0, "B": 1.0, "C": 3.0, "D": 7.0, "E": 7.5}
    d = line_distance(pos)
    res = classical_mds(d, n_components=2)
    assert res.variance_explained["dim1"] == pytest.approx(1.0)
    assert res.variance_explained["dim2"] == pytest.approx(0.0, abs=1e-12)
    assert res.total_variance_explained == pytest.approx(1.0)
    assert res.negative_eigen_share == pytest.approx(0.0, abs=1e-12)
    x = res.coordinates["dim1"]
    recon = np.abs(x.to_numpy()[:, None] - x.to_numpy()[None, :])
    np.testing.assert_allclose(recon, d.to_numpy(), atol=1e-9)
    # centred coordinates, so they equal the positions minus their mean (up to sign)
    centred = np.array(list(pos.values())) - np.mean(list(pos.values()))
    np.testing.assert_allclose(np.abs(x.to_numpy()), np.abs(centred), atol=1e-9)
    assert (res.coordinates["dim2"] == 0).all()


def test_mds_recovers_planar_configuration_and_sign_convention():
    pts = pd.DataFrame({"a": [0.0, 4.0, 0.0, 1.0, 3.0], "b": [0.0, 0.0, 2.0, 1.0, 1.5]}, index=list("PQRST"))
    d = euclid(pts)
    res = classical_mds(d, n_components=2)
    np.testing.assert_allclose(euclid(res.coordinates).to_numpy(), d.to_numpy(), atol=1e-9)
    assert res.total_variance_explained == pytest.approx(1.0)
    for col in res.coordinates:
        v = res.coordinates[col].to_numpy()
        assert v[np.argmax(np.abs(v))] > 0
    assert list(res.coordinates.columns) == ["dim1", "dim2"]
    assert list(res.coordinates.index) == list("PQRST")
    assert res.eigenvalues[0] >= res.eigenvalues[1] >= res.eigenvalues[2]


def test_mds_is_deterministic_under_row_order():
    pts = pd.DataFrame({"a": [0.0, 4.0, 0.0, 1.0], "b": [0.0, 0.0, 2.0, 1.0]}, index=list("PQRS"))
    d = euclid(pts)
    r1 = classical_mds(d).coordinates
    perm = ["S", "Q", "P", "R"]
    r2 = classical_mds(d.loc[perm, perm]).coordinates.loc[r1.index]
    np.testing.assert_allclose(r1.to_numpy(), r2.to_numpy(), atol=1e-9)


def test_mds_flags_non_euclidean_distances():
    # violates the triangle inequality -> negative eigenvalues
    labels = list("ABCD")
    d = np.array([[0, 1, 1, 5], [1, 0, 1, 1], [1, 1, 0, 1], [5, 1, 1, 0]], dtype=float)
    res = classical_mds(pd.DataFrame(d, index=labels, columns=labels))
    neg = res.eigenvalues[res.eigenvalues < 0]
    assert neg.size > 0
    assert res.negative_eigen_share == pytest.approx(np.abs(neg).sum() / np.abs(res.eigenvalues).sum())
    assert 0 < res.negative_eigen_share < 1
    pos = res.eigenvalues[res.eigenvalues > 0]
    assert res.variance_explained["dim1"] == pytest.approx(pos[0] / pos.sum())


def test_mds_bad_input():
    d = line_distance({"A": 0.0, "B": 1.0})
    with pytest.raises(ValueError, match="n_components"):
        classical_mds(d, n_components=3)
    d.loc["A", "B"] = d.loc["B", "A"] = np.nan
    with pytest.raises(ValueError, match="NaN pair"):
        classical_mds(d)


# ---------------------------------------------------------------------------
# Peers
# ---------------------------------------------------------------------------


def test_nearest_peers_ranks_and_tie_break():
    d = line_distance({"D": 0.0, "B": 1.0, "A": -1.0, "C": 3.0})
    peers = nearest_peers(d, k=2)
    assert list(peers.columns) == ["unit", "rank", "peer", "distance"]
    # D is at distance 1 from both A and B: tie broken by label -> A first
    d_rows = peers[peers["unit"] == "D"]
    assert list(d_rows["peer"]) == ["A", "B"]
    assert list(d_rows["rank"]) == [1, 2]
    assert list(d_rows["distance"]) == [1.0, 1.0]
    # units in distance-matrix order, ranks 1..k
    assert list(dict.fromkeys(peers["unit"])) == ["D", "B", "A", "C"]
    assert (peers.groupby("unit")["rank"].apply(list) == pd.Series([[1, 2]] * 4, index=list("ABCD"))).all()
    c_rows = peers[peers["unit"] == "C"]
    assert list(c_rows["peer"]) == ["B", "D"]
    assert list(c_rows["distance"]) == [2.0, 3.0]


def test_nearest_peers_ties_within_float_noise_broken_by_label():
    d = line_distance({"A": 0.0, "B": 0.3, "C": 1.0})
    d.loc["C", "B"] = d.loc["B", "C"] = 0.7 + 1e-15  # |1.0 - 0.3| up to noise
    d.loc["C", "A"] = d.loc["A", "C"] = 0.7
    d.loc["A", "B"] = d.loc["B", "A"] = 0.7
    peers = nearest_peers(d, k=1)
    assert peers.set_index("unit")["peer"].to_dict() == {"A": "B", "B": "A", "C": "A"}


def test_nearest_peers_skip_nan_and_k_larger_than_available():
    d = line_distance({"A": 0.0, "B": 1.0, "C": 3.0})
    d.loc["A", "B"] = d.loc["B", "A"] = np.nan
    peers = nearest_peers(d, k=5)
    assert peers[peers["unit"] == "A"]["peer"].tolist() == ["C"]
    assert peers[peers["unit"] == "C"]["peer"].tolist() == ["B", "A"]
    assert not peers["distance"].isna().any()
    with pytest.raises(ValueError, match="positive integer"):
        nearest_peers(d, k=0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=2, max_size=7), st.integers(1, 4))
def test_property_peers_are_the_k_smallest(xs, k):
    labels = [f"u{i}" for i in range(len(xs))]
    d = line_distance(dict(zip(labels, map(float, xs))))
    peers = nearest_peers(d, k=k)
    for u in labels:
        rows = peers[peers["unit"] == u]
        others = d.loc[u].drop(u)
        expected = sorted(others.items(), key=lambda kv: (kv[1], kv[0]))[:k]
        assert list(rows["peer"]) == [p for p, _ in expected]
        assert list(rows["rank"]) == list(range(1, len(expected) + 1))


# ---------------------------------------------------------------------------
# Spread
# ---------------------------------------------------------------------------


def test_spread_summary_hand_computed():
    d = line_distance({"A": 0.0, "B": 1.0, "C": 3.0, "D": 7.0})
    s = spread_summary(d)
    pair_d = [1, 3, 7, 2, 6, 4]
    assert s["n_units"] == 4 and s["n_pairs"] == 6 and s["n_pairs_used"] == 6
    assert s["mean_distance"] == pytest.approx(sum(pair_d) / 6)
    assert s["median_distance"] == pytest.approx((3 + 4) / 2)
    assert s["max_distance"] == 7 and s["max_pair"] == ("A", "D")
    assert s["min_distance"] == 1 and s["min_pair"] == ("A", "B")


def test_spread_summary_ignores_nan_pairs():
    d = line_distance({"A": 0.0, "B": 1.0, "C": 3.0})
    d.loc["A", "C"] = d.loc["C", "A"] = np.nan
    s = spread_summary(d)
    assert s["n_pairs"] == 3 and s["n_pairs_used"] == 2
    assert s["mean_distance"] == pytest.approx((1 + 2) / 2)
    assert s["max_pair"] == ("B", "C")


def test_spread_summary_attribute_agreement():
    frame = pd.DataFrame(
        {
            "same_num": [5.0, 5.0, np.nan],  # agree among observed
            "diff_num": [1.0, 2.0, 3.0],
            "same_cat": ["x", "x", "x"],
            "diff_cat": ["x", "y", None],
            "one_value": [np.nan, np.nan, 4.0],  # < 2 observed: excluded
            "empty": [np.nan, np.nan, np.nan],  # excluded
        },
        index=list("ABC"),
    )
    d = gower_distance(frame[["diff_num", "diff_cat"]])
    s = spread_summary(d, frame=frame)
    assert s["n_attributes_assessed"] == 4
    assert s["n_attributes_agree"] == 2
    assert s["share_attributes_agree"] == pytest.approx(2 / 4)
    assert s["n_attributes_too_few_values"] == 2
    assert s["attributes_agree"] == ["same_num", "same_cat"]
    # restricted to the columns named in kinds
    s2 = spread_summary(d, frame=frame, kinds={"diff_num": "numeric", "same_cat": "categorical"})
    assert s2["n_attributes_assessed"] == 2 and s2["n_attributes_agree"] == 1
    with pytest.raises(ValueError, match="exactly the units"):
        spread_summary(d, frame=frame.iloc[:2])


def test_spread_summary_all_nan():
    d = pd.DataFrame([[0.0, np.nan], [np.nan, 0.0]], index=["A", "B"], columns=["A", "B"])
    s = spread_summary(d)
    assert s["n_pairs_used"] == 0 and math.isnan(s["mean_distance"]) and s["max_pair"] is None
