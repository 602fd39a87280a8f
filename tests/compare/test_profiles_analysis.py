"""Profiles and compare_rocus on the bundled data and on a fuller, analyst-style dataset."""

from __future__ import annotations

import pandas as pd
import pytest

import rocu_compare as rc
from rocu_compare.compare import compare_rocus, gower_distance, profiles


def test_profile_kinds_groups_and_coverage(ds):
    p = profiles(ds, "2015-06-30")
    assert list(p.frame.index) == list(ds.rocus["rocu_id"].astype(str))
    assert set(p.kinds) == set(p.frame.columns) == set(p.groups)
    assert set(p.kinds.values()) <= {"numeric", "ordinal", "categorical", "binary"}
    assert p.kinds["latest_grade"] == "ordinal" and p.frame["latest_grade"].cat.ordered
    assert p.kinds["collaboration_instrument"] == "categorical"
    cov = p.coverage
    assert cov.loc["london", "latest_grade"] == False  # noqa: E712  London has no ROCU grade
    assert cov.loc["tarian", "latest_grade"] == False  # noqa: E712  Tarian's is not published
    assert not cov["budget_gbp"].any()  # not public


def test_profile_values_come_from_the_data(ds):
    p = profiles(ds, "2015-06-30").frame
    assert p.loc["emsou", "year_established"] == 2001  # earliest of 2001/2002
    assert pd.isna(p.loc["yhrocu", "year_established"])
    assert p.loc["swrocu", "capabilities_delivered_n"] == 13 - 3
    assert p["capabilities_delivered_n"].notna().sum() == 1
    ctx = ds.rocu_context("2015-06-30")
    assert p.loc["nwrocu", "officers_fte"] == ctx.loc["nwrocu", "officers_fte"]
    assert pd.isna(p.loc["emsou", "latest_grade"])  # graded in 2023: not known in 2015
    later = profiles(ds, "2015-06-30", later_outcomes=True)
    assert later.frame.loc["emsou", "latest_grade"] == "inadequate"
    assert later.notes["latest_grade"].startswith("later grade")


def test_compare_rocus_on_bundled_data(ds):
    c = compare_rocus(ds, n_draws=20)
    d = c.distance
    assert d.shape == (10, 10) and (d.values.diagonal() == 0).all()
    assert not c.nan_pairs
    # every attribute kept is observed for at least two ROCUs
    assert (c.profiles.frame.notna().sum() >= 2).all()
    assert "resourcing" not in c.profiles.group_names
    assert c.cluster is not None and 0 < c.cluster.cophenetic_correlation <= 1
    assert set(c.peers["unit"]) == set(d.index)
    assert len(c.robustness.draws) == 20 + len(c.profiles.group_names)
    assert "year_established" not in c.dispersion.index  # years are not ratio-scale
    assert "officers_per_100k_population" in c.dispersion.index


def _fuller(ds):
    """The bundled data plus analyst-style resourcing and capability status for every ROCU."""
    tables = dict(ds.tables)
    rocus = [r for r in ds.rocus["rocu_id"].astype(str)]
    res = pd.DataFrame(
        {
            "rocu_id": pd.Categorical(rocus, categories=ds.rocus["rocu_id"].cat.categories),
            "financial_year": pd.array(["2015-16"] * 10, dtype="string"),
            "budget_gbp": pd.array([1e6 * (i + 5) for i in range(10)], dtype="Float64"),
            "home_office_grant_gbp": pd.array([None] * 10, dtype="Float64"),
            "officers_fte": pd.array([50.0 + 10 * i for i in range(10)], dtype="Float64"),
            "staff_fte": pd.array([None] * 10, dtype="Float64"),
            "is_estimate": pd.array([True] * 10, dtype="boolean"),
            "estimate_method": pd.array(["synthetic test data"] * 10, dtype="string"),
            "source_id": pd.array(["hmic-2015-news"] * 10, dtype="string"),
            "notes": pd.array([None] * 10, dtype="string"),
        }
    )
    caps = ["undercover policing", "specialist surveillance", "cyber-crime investigation"]
    statuses = ["delivered", "partly delivered", "not delivered"]
    rows = [(r, c, 2015, statuses[(i + j) % 3]) for i, r in enumerate(rocus) for j, c in enumerate(caps)]
    st = pd.DataFrame(rows, columns=["rocu_id", "capability", "year", "status"])
    st["rocu_id"] = pd.Categorical(st["rocu_id"], categories=ds.rocus["rocu_id"].cat.categories)
    st["capability"] = pd.Categorical(st["capability"], categories=ds.capabilities["capability"].astype(str))
    st["year"] = st["year"].astype("Int64")
    st["status"] = pd.Categorical(
        st["status"], categories=["not delivered", "partly delivered", "delivered"], ordered=True
    )
    st["source_id"] = pd.array(["hmic-2015-news"] * len(st), dtype="string")
    st["notes"] = pd.array([None] * len(st), dtype="string")
    tables["rocu_resources"], tables["capability_status"] = res, st
    return rc.Dataset(tables)


@pytest.mark.slow
def test_compare_rocus_on_fuller_analyst_data(ds, tmp_path):
    full = _fuller(ds)
    # the same tables survive the analyst path: export → validate → load
    from rocu_compare.workbook import export

    export(full, tmp_path / "full.xlsx")
    back = rc.load(tmp_path / "full.xlsx")
    c = compare_rocus(back, n_draws=10)
    assert {"resourcing", "capabilities"} <= set(c.profiles.group_names)
    assert c.profiles.kinds["capability: undercover policing"] == "ordinal"
    p = c.profiles.frame
    assert p.loc["nersou", "budget_gbp"] == 5e6
    assert p.loc["nersou", "budget_gbp_per_100k_population"] == pytest.approx(
        5e6 / float(p.loc["nersou", "population_persons"]) * 1e5
    )
    # capabilities_delivered_n counts 'delivered' statuses: rocu i, capability j delivered when (i + j) % 3 == 0
    assert p.loc["nersou", "capabilities_delivered_n"] == 1
    # the resourcing group changes the distances relative to public data only
    public = compare_rocus(ds, n_draws=0)
    assert not c.distance.equals(public.distance)


def test_group_weight_zero_equals_dropping_the_group(ds):
    p = profiles(ds).select(groups=["structure", "history"])
    frame = p.frame.astype({c: "float64" for c, k in p.kinds.items() if k == "numeric"})
    with_zero = gower_distance(frame, kinds=p.kinds, groups=p.groups, weights={"history": 0.0})
    only = p.select(groups=["structure"])
    alone = gower_distance(frame[only.frame.columns], kinds=only.kinds, groups=only.groups)
    pd.testing.assert_frame_equal(with_zero, alone)
