"""Dates mean what the user meant; include/exclude/groups are checked."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rocu_compare import scenarios
from rocu_compare.compare import compare_rocus, gower_distance, profiles
from rocu_compare.compare.configurations import compare_over_time
from rocu_compare.dates import parse_date
from rocu_compare.piecemeal import misaligned_forces

BAD = [
    (2015, TypeError),
    (None, TypeError),
    ("05/12/2016", ValueError),
    ("2015", ValueError),
    ("2015-02-30", ValueError),
    (pd.NaT, ValueError),
]


@pytest.mark.parametrize("value,exc", BAD)
def test_parse_date_refuses_ambiguous_forms_and_shows_the_accepted_ones(value, exc):
    with pytest.raises(exc, match="YYYY-MM-DD"):
        parse_date(value)


def test_parse_date_accepts_iso_date_and_timestamp():
    want = pd.Timestamp("2016-12-05")
    assert parse_date("2016-12-05") == parse_date(dt.date(2016, 12, 5)) == parse_date(want) == want
    assert parse_date(dt.datetime(2016, 12, 5, 13, 30)) == want


@pytest.mark.parametrize("value,exc", BAD[:3])
def test_every_public_date_argument_is_checked(ds, value, exc):
    calls = [
        lambda d: ds.membership_at(d),
        lambda d: ds.rocu_context(d),
        lambda d: ds.forces_context(d),
        lambda d: profiles(ds, d),
        lambda d: compare_rocus(ds, d, n_draws=0),
        lambda d: compare_over_time(ds, ["2015-06-30", d]),
        lambda d: scenarios.as_built(ds, d),
        lambda d: misaligned_forces(ds, d),
    ]
    for call in calls:
        with pytest.raises(exc, match="YYYY-MM-DD"):
            call(value)


def test_a_unit_with_no_forces_is_left_out_with_a_note(ds):
    # SEROCU launched on 1 April 2014 and NERSOU in October 2013: no member forces on 1 January 2012
    c = compare_rocus(ds, "2012-01-01", n_draws=0)
    assert "serocu" not in c.distance.index and "nersou" not in c.distance.index
    assert len(c.distance) == 8
    assert any(n.startswith("serocu: no member forces on 2012-01-01") for n in c.notes)
    assert "serocu" in c.profiles.left_out


def test_a_series_beyond_tolerance_is_missing_not_stale(ds):
    # the latest population estimate held is mid-2020: 3.75 years before 31 March 2024
    ctx = ds.rocu_context("2024-03-31")
    assert ctx["population_persons"].isna().all() and ctx["population_year"].isna().all()
    assert not ds.series_used("2024-03-31").loc["population_persons", "within_tolerance"]
    wide = ds.rocu_context("2024-03-31", tolerance_years=4)
    assert (wide["population_year"] == 2020).all()
    assert wide.loc["tarian", "population_persons"] == ds.rocu_context("2020-06-30").loc["tarian", "population_persons"]
    p = profiles(ds, "2024-03-31")
    assert "within 1 year of 2024-03-31" in p.notes["population_persons"]
    c = compare_rocus(ds, "2024-03-31", n_draws=0)
    assert "population_persons" not in c.profiles.frame.columns
    assert any("population_persons" in n and "left missing" in n for n in c.notes)


def test_grades_published_after_the_date_are_not_used(ds):
    ins = ds.inspections.dropna(subset=["rocu_id", "grade"])
    first = ins.sort_values("published").iloc[0]
    day = pd.Timestamp(first["published"])
    before = profiles(ds, str((day - pd.Timedelta(days=1)).date())).frame["latest_grade"]
    on = profiles(ds, str(day.date())).frame["latest_grade"]
    assert before.isna().all()
    assert on.notna().sum() == int((pd.to_datetime(ins["published"]) <= day).sum())
    assert on[str(first["rocu_id"])] == first["grade"]
    later = profiles(ds, "2015-06-30", later_outcomes=True)
    assert later.frame["latest_grade"].notna().sum() > 0
    assert later.notes["latest_grade"].startswith("later grade")
    c = compare_rocus(ds, "2015-06-30", n_draws=0)
    assert "latest_grade" not in c.profiles.frame.columns


def test_exclude_and_include_take_ids_case_insensitively(ds):
    a = compare_rocus(ds, n_draws=0, exclude=["London"])
    b = compare_rocus(ds, n_draws=0, exclude=["london"])
    assert "london" not in a.distance.index
    pd.testing.assert_frame_equal(a.distance, b.distance)
    c = compare_rocus(ds, n_draws=0, include=["EMSOU", "ersou", "Tarian"])
    assert list(c.distance.index) == ["emsou", "ersou", "tarian"]


def test_unknown_ids_and_groups_are_errors_that_list_what_is_known(ds):
    with pytest.raises(ValueError, match="known ids: nersou, nwrocu"):
        compare_rocus(ds, n_draws=0, exclude=["Met"])
    with pytest.raises(ValueError, match="include: unknown ROCU id"):
        compare_rocus(ds, n_draws=0, include=["emsou", "zzz"])
    with pytest.raises(ValueError, match="groups: structure, demand, history"):
        compare_rocus(ds, n_draws=0, groups=["structure", "size"])
    with pytest.raises(ValueError, match="'resourcing' \\(filled by the table\\(s\\) rocu_resources\\)"):
        compare_rocus(ds, n_draws=0, groups=["structure", "resourcing"])


def test_attributes_are_filtered_after_selecting_units(ds):
    # founding years are not published for YHROCU, WMROCU or London: among those three the history
    # attribute has no value and must not keep a share of any weight
    units = ["yhrocu", "wmrocu", "london"]
    c = compare_rocus(ds, n_draws=0, include=units)
    assert "year_established" not in c.profiles.frame.columns
    full = profiles(ds, "2015-06-30")
    sub = full.frame.loc[units]
    keep = [col for col in sub.columns if sub[col].notna().sum() >= 2]
    frame = sub[keep].copy()
    for col in keep:
        if full.kinds[col] == "numeric":
            frame[col] = pd.to_numeric(frame[col]).astype("float64")
        elif full.kinds[col] == "categorical":
            frame[col] = frame[col].astype("object").where(frame[col].notna(), None)
    groups = {col: full.groups[col] for col in keep}
    want = gower_distance(
        frame,
        kinds={col: full.kinds[col] for col in keep},
        weights={g: 1.0 for g in set(groups.values())},
        groups=groups,
    )
    pd.testing.assert_frame_equal(c.distance, want)
    # exclude gives the same as include of the complement
    other = [u for u in full.frame.index if u not in units]
    pd.testing.assert_frame_equal(compare_rocus(ds, n_draws=0, exclude=other).distance, c.distance)
