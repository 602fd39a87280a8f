"""The vectorised robustness() against the implementation it replaced (issue 11).

``_reference_robustness`` is the previous implementation, kept verbatim: one
Gower matrix, peer table and clustering per perturbation, through pandas. With
``group_weighting="fixed"`` (the only weighting it knew) and the same seed, every
table must agree to 1e-12.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rocu_compare.compare import NoCommonAttributesWarning, robustness
from rocu_compare.compare.analysis import _numeric_ready
from rocu_compare.compare.profiles import Profiles, profiles

from . import _reference_robustness as reference

TABLES = ("baseline", "pair_rank_stability", "peer_stability", "cluster_stability", "draws", "weights", "summary")


def assert_matches_reference(frame: pd.DataFrame, **kwargs) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoCommonAttributesWarning)
        ours = robustness(frame, group_weighting="fixed", **kwargs)
        ref = reference.robustness(frame, **kwargs)
    for name in TABLES:
        expected = getattr(ref, name)
        got = getattr(ours, name)
        if name in ("draws", "summary"):
            got = got[list(expected.columns)]  # the new output has more columns
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=0, atol=1e-12, obj=name)


def mixed(n: int, seed: int, missing: float = 0.15) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "staff": rng.normal(100, 30, n),
            "budget": rng.normal(10, 3, n),
            "cases": rng.poisson(20, n).astype(float),
            "grade": pd.Categorical(
                rng.choice(["low", "mid", "high"], n), categories=["low", "mid", "high"], ordered=True
            ),
            "region": rng.choice(["n", "s", "w"], n).astype(object),
            "lab": rng.random(n) < 0.5,
        },
        index=[f"U{i}" for i in range(n)],
    )
    for col in ("staff", "budget", "cases"):
        df.loc[rng.random(n) < missing, col] = np.nan
    df.loc[rng.random(n) < missing, "region"] = None
    return df


@pytest.mark.parametrize(
    "seed, kwargs",
    [
        (1, {"n_draws": 60, "seed": 3}),
        (2, {"n_draws": 40, "seed": 11, "concentration": 0.2, "k_peers": 2}),
        (3, {"n_draws": 30, "seed": 5, "method": "complete", "n_clusters": 4}),
        (4, {"n_draws": 0, "k_peers": 3}),
    ],
)
def test_matches_reference_on_mixed_frames(seed, kwargs):
    assert_matches_reference(mixed(12, seed), **kwargs)


def test_matches_reference_with_groups():
    groups = {"staff": "size", "budget": "size", "cases": "size", "region": "where", "lab": "kit"}
    assert_matches_reference(mixed(15, 8, missing=0.3), groups=groups, n_draws=80, seed=2)


def test_matches_reference_with_nan_pairs_in_perturbations():
    df = pd.DataFrame(
        {"x": [1.0, 2.0, 3.0, 4.0, 6.0], "y": [np.nan, 1.0, 2.0, 5.0, 1.0], "z": [0.0, np.nan, 1.0, 3.0, 2.0]},
        index=list("ABCDE"),
    )
    assert_matches_reference(df, n_draws=20, seed=4, n_clusters=2)


def test_matches_reference_on_the_bundled_comparison(ds):
    # the frame, kinds and groups compare_rocus gives robustness on the bundled data
    prof = profiles(ds, "2015-06-30")
    keep = [c for c in prof.frame.columns if prof.frame[c].notna().sum() >= 2]
    prof = Profiles(
        prof.frame[keep],
        {c: prof.kinds[c] for c in keep},
        {c: prof.groups[c] for c in keep},
        {c: prof.notes[c] for c in keep},
        prof.as_at,
    )
    frame = _numeric_ready(prof)
    assert_matches_reference(frame, kinds=prof.kinds, groups=prof.groups, n_draws=200, seed=0)
