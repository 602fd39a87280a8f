"""Capability divergence on a constructed panel; what the bundled data can and cannot say."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import rocu_compare as rc
from rocu_compare.piecemeal import (
    capabilities_delivered_counts,
    divergence_by_year,
    divergence_status,
    status_order,
)

ND, PD, D = "not delivered", "partly delivered", "delivered"


def _panel(rows):
    return pd.DataFrame(rows, columns=["rocu_id", "capability", "year", "status"])


# Two years, three ROCUs (+ one with nothing in common in 2016). Codes: ND 0, PD 1, D 2; scale 2.
PANEL = _panel(
    [
        # 2015        c1          c2
        ("nersou", "c1", 2015, D),
        ("nersou", "c2", 2015, D),  # 2, 2
        ("emsou", "c1", 2015, ND),
        ("emsou", "c2", 2015, D),  # 0, 2
        ("swrocu", "c1", 2015, PD),
        ("swrocu", "c2", 2015, ND),  # 1, 0
        # 2016: everyone delivers c1; swrocu has no c2 status; tarian only c3
        ("nersou", "c1", 2016, D),
        ("nersou", "c2", 2016, D),
        ("emsou", "c1", 2016, D),
        ("emsou", "c2", 2016, D),
        ("swrocu", "c1", 2016, D),
        ("tarian", "c3", 2016, PD),
    ]
)


def test_status_order_from_schema():
    assert status_order() == (ND, PD, D)


def test_known_answer_two_years():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = divergence_by_year(PANEL).set_index("year")
    # 2015: nersou-emsou = (|2-0|/2 + |2-2|/2) / 2 = (1 + 0) / 2 = 0.5
    #       nersou-swrocu = (|2-1|/2 + |2-0|/2) / 2 = (0.5 + 1) / 2 = 0.75
    #       emsou-swrocu  = (|0-1|/2 + |2-0|/2) / 2 = (0.5 + 1) / 2 = 0.75
    #       mean = (0.5 + 0.75 + 0.75) / 3 = 2/3
    y15 = out.loc[2015]
    assert (y15["n_rocus"], y15["n_capabilities"], y15["n_pairs"], y15["n_pairs_undefined"]) == (3, 2, 3, 0)
    assert y15["mean_distance"] == pytest.approx(2 / 3)
    assert (y15["min_distance"], y15["max_distance"]) == (pytest.approx(0.5), pytest.approx(0.75))
    # 2016: nersou, emsou, swrocu all identical on what they share -> 0; tarian shares nothing
    #       with anyone -> 3 undefined pairs, left out of the mean
    y16 = out.loc[2016]
    assert (y16["n_rocus"], y16["n_capabilities"], y16["n_pairs"], y16["n_pairs_undefined"]) == (4, 3, 3, 3)
    assert y16["mean_distance"] == pytest.approx(0.0)


def test_observed_scale_is_gower_and_matches_compare_gower():
    from rocu_compare.compare import gower_distance

    p = _panel(
        [("nersou", "c1", 2015, PD), ("emsou", "c1", 2015, D), ("nersou", "c2", 2015, ND), ("emsou", "c2", 2015, D)]
    )
    # levels: (|1-2|/2 + |0-2|/2) / 2 = (0.5 + 1) / 2 = 0.75
    assert divergence_by_year(p)["mean_distance"].iloc[0] == pytest.approx(0.75)
    # observed ranges: c1 spans codes 1..2 (range 1), c2 0..2 (range 2): (1/1 + 2/2) / 2 = 1
    assert divergence_by_year(p, scale="observed")["mean_distance"].iloc[0] == pytest.approx(1.0)
    # Gower of compare.gower_distance on the same ordinal frame
    g = divergence_by_year(PANEL[PANEL["year"] == 2015], distance_fn=gower_distance)
    o = divergence_by_year(PANEL[PANEL["year"] == 2015], scale="observed")
    assert g["mean_distance"].iloc[0] == pytest.approx(o["mean_distance"].iloc[0])


def test_custom_distance_fn_receives_ordered_frame():
    seen = {}

    def fn(frame):
        seen["frame"] = frame
        return pd.DataFrame(1.0, index=frame.index, columns=frame.index)

    out = divergence_by_year(PANEL[PANEL["year"] == 2015], distance_fn=fn)
    assert out["mean_distance"].iloc[0] == 1.0
    f = seen["frame"]
    assert set(f.index) == {"nersou", "emsou", "swrocu"} and list(f.columns) == ["c1", "c2"]
    assert f["c1"].cat.ordered and list(f["c1"].cat.categories) == [ND, PD, D]


def test_bad_panels_raise():
    with pytest.raises(ValueError, match="more than one status"):
        divergence_by_year(pd.concat([PANEL, PANEL.iloc[:1]]))
    with pytest.raises(ValueError, match="unknown status"):
        divergence_by_year(_panel([("nersou", "c1", 2015, "excellent")]))
    with pytest.raises(ValueError, match="lacks column"):
        divergence_by_year(PANEL.drop(columns="year"))


def test_bundled_empty_panel(ds):
    assert len(ds.capability_status) == 0
    out = divergence_by_year(ds.capability_status)
    assert out.empty and "mean_distance" in out.columns
    assert divergence_by_year(ds).empty  # a Dataset is accepted too
    st = divergence_status(ds)
    assert not st.can_compute
    assert "needs capability-by-year" in str(st)
    assert st.evidence_counts["n_rows"].sum() == len(ds.capability_evidence)


def test_south_west_delivered_derived_from_facts(ds):
    f = ds.facts
    total = int(
        f[(f["subject"] == "national") & (f["measure"] == "specialist_capabilities") & (f["period"] == "2015")][
            "value"
        ].iloc[0]
    )
    not_del = int(f[(f["subject"] == "swrocu") & (f["measure"] == "hmic_capabilities_not_delivered")]["value"].iloc[0])
    dc = capabilities_delivered_counts(ds).set_index("rocu_id")
    sw = dc.loc["swrocu"]
    assert sw["n_delivered"] == total - not_del == 10
    assert sw["n_capabilities_assessed"] == total and sw["n_not_delivered"] == not_del
    assert "hmic-2015-news" in sw["source_ids"] and "swpcc-response-2015-12" in sw["source_ids"]
    assert sw["origin"] == "facts"
    others = dc.drop(index="swrocu")
    assert others["n_delivered"].isna().all() and (others["origin"] == "none").all()  # NA, never 0
    assert "10 of 13" in divergence_status(ds).message


def test_delivered_counts_prefer_the_panel(ds):
    cs = pd.DataFrame(
        {
            "rocu_id": ["swrocu"] * 3 + ["emsou"],
            "capability": ["c1", "c2", "c3", "c1"],
            "year": [2016] * 4,
            "status": [D, D, PD, ND],
            "source_id": ["analyst"] * 4,
            "notes": [None] * 4,
        }
    )
    d2 = rc.Dataset({**ds.tables, "capability_status": cs}, dict(ds.origin), ds.schema)
    dc = capabilities_delivered_counts(d2).set_index("rocu_id")
    assert (dc.at["swrocu", "n_delivered"], dc.at["swrocu", "n_partly_delivered"]) == (2, 1)
    assert dc.at["swrocu", "origin"] == "capability_status"
    assert (dc.at["emsou", "n_delivered"], dc.at["emsou", "n_not_delivered"]) == (0, 1)
    st = divergence_status(d2)
    assert st.can_compute and len(st.divergence) == 1
