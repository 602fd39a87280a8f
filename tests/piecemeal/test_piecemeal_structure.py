"""ROCU structure in 2015 against the latest date in the data."""

from __future__ import annotations

import pandas as pd

from rocu_compare.piecemeal import latest_data_date, structure_2015_vs_latest
from rocu_compare.validate import parse_partial_date


def test_counts_then_and_now(ds):
    r = structure_2015_vs_latest(ds)
    c = r.counts.set_index("as_at")
    then, now = c.loc[r.then], c.loc[r.now]
    assert then["n_units_with_members"] == 10 and then["n_formal_rocus"] == 9
    assert then["rocu_count_published"] == 10 and then["rocu_count_source_id"] == "hmic-2015-news"
    assert bool(then["published_count_includes_london"])
    f = ds.facts
    latest = f[(f["measure"] == "rocu_count") & (f["period"] == now["rocu_count_period"])].iloc[0]
    assert now["rocu_count_published"] == int(latest["value"]) == 9
    assert now["rocu_count_source_id"] == latest["source_id"]
    assert not bool(now["published_count_includes_london"])
    assert now["informal_units"] == "london"


def test_default_now_is_latest_date_in_data(ds):
    r = structure_2015_vs_latest(ds)
    latest_event = max(pd.Timestamp(parse_partial_date(d)[0]) for d in ds.events["date"])
    assert r.now == latest_data_date(ds) >= latest_event
    assert "latest date" in r.now_rule


def test_kent_is_the_only_change(ds):
    r = structure_2015_vs_latest(ds)
    assert len(r.changes) == 1
    k = r.changes.iloc[0]
    assert (k["force"], k["rocu_then"], k["rocu_now"], k["change_date"]) == ("Kent", "serocu", "ersou", "2016-11-10")
    fpr = r.forces_per_rocu
    assert (fpr.at["ersou", "n_forces_then"], fpr.at["ersou", "n_forces_now"]) == (6, 7)
    assert (fpr.at["serocu", "n_forces_then"], fpr.at["serocu", "n_forces_now"]) == (5, 4)
    assert fpr["change"].sum() == 0 and fpr["n_forces_now"].sum() == 43
    assert not fpr.at["london", "is_formal_rocu"]


def test_explicit_now_before_the_change(ds):
    r = structure_2015_vs_latest(ds, now="2016-01-01")
    assert r.changes.empty
    assert r.now_rule == "given by the caller"
