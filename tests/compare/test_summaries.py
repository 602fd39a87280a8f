"""Short repr and _repr_html_ of the result objects."""

import pytest

import rocu_compare as rc
from rocu_compare.compare.analysis import compare_rocus


@pytest.fixture(scope="module")
def comparison():
    return compare_rocus(rc.load(), n_draws=3)


def test_comparison_repr_is_one_short_line(comparison):
    r = repr(comparison)
    n = comparison.distance.shape[0]
    assert r.startswith(f"<Comparison: {n} ROCUs compared on {comparison.profiles.frame.shape[1]} attributes")
    assert "\n" not in r and len(r) < 200
    assert f"mean Gower distance {comparison.spread['mean_distance']:.2f}" in r


def test_comparison_html_is_a_few_lines_and_a_small_table(comparison):
    h = comparison._repr_html_()
    assert h.startswith("<div><strong>Comparison of the ROCUs</strong>")
    assert h.count("<table") == 1
    assert h.count("<tr>") <= 13  # header + at most 12 rows
    assert len(h) < 3000
    first = comparison.peers[comparison.peers["rank"] == 1].iloc[0]
    assert f"<th>{rc.labels.rocu_label(first['unit'])}</th>" in h  # display names, not ids


@pytest.mark.parametrize("attr", ["profiles", "mds", "cluster"])
def test_other_results_are_short(comparison, attr):
    obj = getattr(comparison, attr)
    r = repr(obj)
    assert r.startswith(f"<{type(obj).__name__}: ") and "\n" not in r and len(r) < 250
    h = obj._repr_html_()
    assert h.startswith("<div><strong>") and h.count("<table") <= 1 and len(h) < 3000


def test_profiles_summary_counts_by_hand():
    import pandas as pd

    from rocu_compare.compare.profiles import Profiles

    p = Profiles(
        frame=pd.DataFrame({"a": [1.0, None], "b": [None, None]}, index=["x", "y"]),
        kinds={"a": "numeric", "b": "numeric"},
        groups={"a": "structure", "b": "demand"},
        as_at=pd.Timestamp("2015-06-30"),
    )
    assert repr(p) == (
        "<Profiles: 2 ROCUs x 2 attributes at 2015-06-30; 25% of values present; "
        "attributes per group: structure 1, demand 1>"
    )
    assert "<td>0.50</td>" in p._repr_html_() and "<td>0.00</td>" in p._repr_html_()
