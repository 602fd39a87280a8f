"""Timeline, founding ranges from conflicting sources, and the spread of development."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

import rocu_compare as rc
from rocu_compare.piecemeal import (
    FOUNDED_USED_RULE,
    TIMELINE_KINDS,
    development_spread,
    founding_ranges,
    founding_year_span,
    timeline,
    undated_capability_evidence,
)
from rocu_compare.schema import DATA_DIR


def _csv(name):
    with (DATA_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _with(ds, **tables):
    return rc.Dataset({**ds.tables, **tables}, dict(ds.origin), ds.schema)


def _empty_series(ds):
    return _with(ds, **{t: ds[t].iloc[0:0] for t in ("force_population", "force_officers_fte", "force_crime_severity")})


# -- founding ranges -----------------------------------------------------------------------------


@pytest.mark.parametrize("rocu_id, expected", [("emsou", (2001, 2002)), ("tarian", (2002, 2003))])
def test_conflicting_founding_ranges(ds, rocu_id, expected):
    fr = founding_ranges(ds)
    row = fr.loc[rocu_id]
    assert (row["founded_earliest"], row["founded_latest"]) == expected
    assert bool(row["is_conflicting"])
    assert row["founded_used"] == row["founded_earliest"]  # the documented rule
    # both conflicting sources appear in the provenance
    assert row["source_ids"].count(";") >= 1


def test_founding_ranges_derived_from_the_csv(ds):
    """Every range equals min/max of rocus.established, established_alt and 'established' events."""
    fr = founding_ranges(ds)
    rocus = {r["rocu_id"]: r for r in _csv("rocus")}
    events = [e for e in _csv("events") if e["event_type"] == "established"]
    for rid, r in rocus.items():
        years = [int(r[c][:4]) for c in ("established", "established_alt") if r[c]]
        years += [int(e["date"][:4]) for e in events if e["subject"] == rid]
        if years:
            assert fr.at[rid, "founded_earliest"] == min(years), rid
            assert fr.at[rid, "founded_latest"] == max(years), rid
            assert not fr.at[rid, "not_published"]
        else:
            assert bool(fr.at[rid, "not_published"]), rid
            assert pd.isna(fr.at[rid, "founded_used"])  # missing stays missing, not 0


def test_unpublished_founding_flagged(ds):
    fr = founding_ranges(ds)
    assert set(fr.index[fr["not_published"]]) == {"yhrocu", "wmrocu", "london"}
    assert (fr["rule"] == FOUNDED_USED_RULE).all()
    assert len(fr) == 10


def test_founding_year_span(ds):
    span = founding_year_span(ds)
    fr = founding_ranges(ds)
    known = fr[~fr["not_published"]]
    assert span["earliest"] == known["founded_earliest"].min() == 2001
    assert span["latest"] == known["founded_latest"].max() == 2014
    assert span["span_years"] == 13
    assert (span["n_known"], span["n_unknown"]) == (7, 3)
    assert span["earliest_rocus"] == ["emsou"] and span["latest_rocus"] == ["serocu"]


# -- timeline ------------------------------------------------------------------------------------


def test_timeline_rows_and_dates(ds):
    tl = timeline(ds)
    n_dated_evidence = int(ds.capability_evidence["evidence_date"].notna().sum())
    assert len(tl) == len(ds.events) + n_dated_evidence
    assert (tl["date_start"] <= tl["date_end"]).all()
    assert tl["date_start"].is_monotonic_increasing
    assert list(tl["kind"].cat.categories) == list(TIMELINE_KINDS)
    assert list(tl.columns[:8]) == [
        "subject",
        "date_start",
        "date_end",
        "date_text",
        "precision",
        "kind",
        "description",
        "source_id",
    ]
    # a year-only date spans the whole year
    em = tl[(tl["subject"] == "emsou") & (tl["date_text"] == "2001")].iloc[0]
    assert em["date_start"] == pd.Timestamp("2001-01-01") and em["date_end"] == pd.Timestamp("2001-12-31")
    assert em["kind"] == "established"
    # a month-only date: the whole month
    ne = tl[(tl["subject"] == "nersou") & (tl["kind"] == "established")].iloc[0]
    assert (ne["date_start"], ne["date_end"]) == (pd.Timestamp("2013-10-01"), pd.Timestamp("2013-10-31"))
    assert tl["source_id"].notna().all()


def test_undated_evidence_kept_separately(ds):
    und = undated_capability_evidence(ds)
    assert len(und) == int(ds.capability_evidence["evidence_date"].isna().sum())
    tl = timeline(ds)
    assert tl["date_start"].notna().all()


# -- spread of development -------------------------------------------------------------------------


def test_development_spread_ages(ds):
    dev = development_spread(ds)
    em = dev.loc["emsou"]
    assert em["age_used_years"] == 2015 - em["founded_used"]
    assert em["age_min_years"] < em["age_max_years"]
    # max age from 1 Jan 2001 to 1 Mar 2015, min from 31 Dec 2002
    assert em["age_max_years"] == pytest.approx(
        (pd.Timestamp("2015-03-01") - pd.Timestamp("2001-01-01")).days / 365.2425
    )
    assert em["age_min_years"] == pytest.approx(
        (pd.Timestamp("2015-03-01") - pd.Timestamp("2002-12-31")).days / 365.2425
    )
    for rid in ("yhrocu", "wmrocu", "london"):
        assert pd.isna(dev.at[rid, "age_used_years"]) and pd.isna(dev.at[rid, "age_min_years"])
    mem = ds.membership_at("2015-03-01")
    assert dev["n_forces"].sum() == len(mem) == 43


def test_development_spread_without_time_series(ds):
    dev = development_spread(_empty_series(ds))
    assert dev["population_persons"].isna().all()  # missing, never 0
    assert dev["officers_fte"].isna().all()
    assert dev["n_forces"].sum() == 43
