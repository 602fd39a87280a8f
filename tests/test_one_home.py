"""One home per fact: profiles, report and notebooks read the same function (issue 8, item 6)."""

from __future__ import annotations

import calendar

import pandas as pd
import pytest
from conftest import read_rows, set_cell, write_rows
from hypothesis import given
from hypothesis import strategies as st

import rocu_compare as rc
from etl import reference as ref
from rocu_compare import piecemeal as pm
from rocu_compare.compare import profiles
from rocu_compare.validate import parse_partial_date, partial_period


def _row(folder, table, column, value) -> int:
    rows = read_rows(folder / f"{table}.csv")
    return 1 + next(i for i, r in enumerate(rows) if r[rows[0].index(column)] == value)


def test_delivered_counts_have_one_home(ds):
    p = profiles(ds, "2015-06-30").frame["capabilities_delivered_n"]
    d = pm.delivered_counts_at(ds, "2015-06-30").set_index("rocu_id")["n_delivered"]
    pd.testing.assert_series_equal(p.astype("Float64"), d.reindex(p.index).astype("Float64"), check_names=False)
    assert int(p["swrocu"]) == 13 - 3  # HMIC's 13 (2015) minus the three the South West PCC names as not delivered


def test_delivered_counts_follow_capability_status(data_copy):
    rows = read_rows(data_copy / "capability_status.csv")
    caps = [r[0] for r in read_rows(data_copy / "capabilities.csv")[1:4]]
    rows += [
        ["emsou", c, "2015", s, "hmic-2015-news", ""]
        for c, s in zip(caps, ["delivered", "delivered", "partly delivered"])
    ]
    write_rows(data_copy / "capability_status.csv", rows)
    ds = rc.load(data_copy)
    d = pm.delivered_counts_at(ds, "2015-06-30").set_index("rocu_id")
    assert (int(d.loc["emsou", "n_delivered"]), int(d.loc["emsou", "n_capabilities_assessed"])) == (2, 3)
    assert profiles(ds).frame.loc["emsou", "capabilities_delivered_n"] == 2


def test_founding_year_has_one_home(data_copy):
    # an 'established' event earlier than rocus.established must move the profile too
    rows = read_rows(data_copy / "events.csv")
    h = rows[0]
    new = dict.fromkeys(h, "")
    new.update(
        event_id=str(len(rows)),
        date="2012-05",
        subject="wmrocu",
        event_type="established",
        description="test",
        source_id="hmic-2015-news",
    )
    write_rows(data_copy / "events.csv", rows + [[new[c] for c in h]])
    ds = rc.load(data_copy)
    fr = pm.founding_ranges(ds)["founded_used"]
    p = profiles(ds).frame["year_established"]
    assert int(p["wmrocu"]) == 2012
    pd.testing.assert_series_equal(p.astype("Float64"), fr.reindex(p.index).astype("Float64"), check_names=False)


def test_scales_come_from_the_schema(ds):
    p = profiles(ds)
    assert list(p.frame["latest_grade"].cat.categories) == list(pm.grade_order(ds))
    assert tuple(ds.schema["capability_status"].field("status").enum) == pm.status_order()


def test_no_formal_rocu_rule_has_one_home(data_copy):
    set_cell(
        data_copy, "rocus", _row(data_copy, "rocus", "rocu_id", "tarian"), "collaboration_instrument", "no formal ROCU"
    )
    ds = rc.load(data_copy)
    assert pm.no_formal_rocu_ids(ds) == {"london", "tarian"}
    assert set(pm.london_arrangement_note(ds)["rocu_id"]) == {"london", "tarian"}
    change = pm.structure_2015_vs_latest(ds)
    assert set(str(change.counts["informal_units"].iloc[0]).split(";")) == {"london", "tarian"}


def test_london_exclusion_is_a_typed_column_not_prose(data_copy):
    row = 1 + next(i for i, r in enumerate(read_rows(data_copy / "facts.csv")) if r[2] == "combined_operating_budget")
    set_cell(data_copy, "facts", row, "notes", "Prose that says nothing about coverage.")
    s = pm.national_funding_series(rc.load(data_copy)).set_index("measure")
    assert bool(s.loc["combined_operating_budget", "is_london_excluded"])  # the typed column decides
    set_cell(data_copy, "facts", row, "excludes_rocu_ids", "")
    s = pm.national_funding_series(rc.load(data_copy)).set_index("measure")
    assert not bool(s.loc["combined_operating_budget", "is_london_excluded"])


def test_fact_flags_must_agree_with_the_facts_notes():
    f = pd.DataFrame(
        {
            "subject": ["national"],
            "measure": ["combined_operating_budget"],
            "period": ["2018-19"],
            "notes": ["No mention of coverage."],
        }
    )
    with pytest.raises(ValueError, match="excludes london"):
        ref._flag_facts(f)


@pytest.mark.parametrize("bad", ["2013/10", "Oct 2013", "13-10", "2013-1", ""])
def test_partial_period_refuses_other_forms(bad):
    with pytest.raises(ValueError):
        partial_period(bad)


@given(st.integers(1990, 2100), st.integers(1, 12))
def test_partial_month_spans_the_calendar_month(y, m):
    first, last = parse_partial_date(f"{y:04d}-{m:02d}")
    assert (first.day, last.day, last.month) == (1, calendar.monthrange(y, m)[1], m)
    assert parse_partial_date(f"{y:04d}") == (first.replace(month=1), last.replace(month=12, day=31))
