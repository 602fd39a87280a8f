"""Loading the bundled data: counts, dtypes, membership, context, and published totals."""

from __future__ import annotations

import pandas as pd
import pytest

import rocu_compare as rc

ROCU_IDS = ["nersou", "nwrocu", "yhrocu", "emsou", "wmrocu", "ersou", "london", "serocu", "swrocu", "tarian"]


def test_forty_three_forces_and_ten_rocus(ds):
    assert len(ds.forces) == 43
    assert ds.forces["force"].is_unique
    assert list(ds.rocus["rocu_id"]) == ROCU_IDS


def test_dtypes_are_typed(ds):
    assert isinstance(ds.forces["force"].dtype, pd.CategoricalDtype)
    assert str(ds.forces["officers_fte_2015_03_31"].dtype) == "Float64"
    assert str(ds.forces["population_census_2011_persons"].dtype) == "Int64"
    assert ds.inspections["grade"].cat.ordered
    assert list(ds.inspections["grade"].cat.categories)[0] == "inadequate"
    assert pd.api.types.is_datetime64_any_dtype(ds.inspections["published"])
    assert str(ds.facts["is_estimate"].dtype) == "boolean"


def test_index_is_spreadsheet_row(ds):
    assert ds.forces.index[0] == 2
    assert ds.forces.index[-1] == 44


def test_officers_fte_2015_first_published_total(ds):
    # Home Office headline, Sep-2015 release: 126,818.09 FTE at 31 March 2015.
    assert round(float(ds.forces["officers_fte_2015_03_31"].sum()), 2) == 126818.09


def test_census_2011_total(ds):
    assert int(ds.forces["population_census_2011_persons"].sum()) == 56_075_912


@pytest.mark.parametrize(
    "date, force, rocu",
    [
        ("2015-06-30", "Kent", "serocu"),
        ("2016-11-10", "Kent", "ersou"),  # the agreement date itself: the new spell has started
        ("2020-01-01", "Kent", "ersou"),
        ("2015-06-30", "North Wales", "nwrocu"),
        ("2015-06-30", "Metropolitan Police", "london"),
        ("2015-06-30", "City of London", "london"),
    ],
)
def test_membership_at(ds, date, force, rocu):
    m = ds.membership_at(date)
    assert list(m.columns) == ["force", "rocu_id"]
    assert m.loc[m["force"] == force, "rocu_id"].item() == rocu


def test_membership_at_covers_every_force_once(ds):
    m = ds.membership_at("2015-06-30")
    assert len(m) == 43 and m["force"].is_unique
    assert sorted(m.loc[m["rocu_id"] == "tarian", "force"]) == ["Dyfed-Powys", "Gwent", "South Wales"]
    assert sorted(m.loc[m["rocu_id"] == "london", "force"]) == ["City of London", "Metropolitan Police"]


def test_blank_valid_from_is_open_to_the_past(ds):
    # YHROCU's start is not published: its forces count as members at any early date.
    m = ds.membership_at("1990-01-01")
    assert set(m.loc[m["rocu_id"] == "yhrocu", "force"]) == {
        "Humberside",
        "North Yorkshire",
        "South Yorkshire",
        "West Yorkshire",
    }
    # NERSOU started in October 2013: none of its forces are members before then.
    assert "nersou" not in set(ds.membership_at("2013-09-30")["rocu_id"])
    assert (ds.membership_at("2013-10-01")["rocu_id"] == "nersou").sum() == 3


def test_rocu_context_counts_and_sums(ds):
    ctx = ds.rocu_context("2015-06-30")
    assert list(ctx.index) == ROCU_IDS
    assert ctx["n_forces"].sum() == 43
    assert ctx.loc["tarian", "n_forces"] == 3
    assert ctx.loc["london", "n_forces"] == 2
    # the ROCU sums equal the force sums (nothing lost in aggregation)
    assert ctx["area_km2_approx"].sum() == pytest.approx(float(ds.forces["area_km2_approx"].sum()))
    kent = ds.forces.set_index("force").loc["Kent", "area_km2_approx"]
    after = ds.rocu_context("2020-01-01")
    assert after.loc["ersou", "area_km2_approx"] == pytest.approx(ctx.loc["ersou", "area_km2_approx"] + kent)


def test_rocu_context_says_which_year(ds):
    ctx = ds.rocu_context("2015-06-30")
    if len(ds.force_population):
        assert (ctx["population_year"] == 2015).all()
    if len(ds.force_officers_fte):
        assert (pd.to_datetime(ctx["officers_fte_as_at"]) == pd.Timestamp("2015-03-31")).all()
    assert (pd.to_datetime(ctx["workforce_fte_as_at"]) == pd.Timestamp("2015-03-31")).all()


def test_workforce_is_derived_not_stored(ds):
    assert not any("derived" in c for c in ds.forces.columns)
    f = ds.forces.set_index("force")
    ctx = ds.forces_context("2015-03-31").set_index("force")
    # Cleveland: officers + staff + PCSOs + designated officers, from the published columns
    expected = (
        f.loc["Cleveland", "officers_fte_2015_03_31"]
        + f.loc["Cleveland", "police_staff_fte_2015_03_31"]
        + f.loc["Cleveland", "pcso_fte_2015_03_31"]
        + f.loc["Cleveland", "designated_officers_fte_2015_03_31"]
    )
    assert ctx.loc["Cleveland", "workforce_fte"] == pytest.approx(float(expected))


def test_missing_member_value_makes_the_total_missing(ds):
    tables = dict(ds.tables)
    forces = tables["forces"].copy()
    forces.loc[forces["force"] == "Gwent", "area_km2_approx"] = pd.NA
    tables["forces"] = forces
    ctx = rc.Dataset(tables).rocu_context("2015-06-30")
    assert pd.isna(ctx.loc["tarian", "area_km2_approx"])
    assert not pd.isna(ctx.loc["nwrocu", "area_km2_approx"])


def test_south_west_pcc_fact_is_carried(ds):
    f = ds.facts
    row = f[(f["subject"] == "swrocu") & (f["measure"] == "hmic_capabilities_not_delivered")]
    assert row["value"].item() == "3"
    assert row["source_id"].item() == "swpcc-response-2015-12"
    thirteen = f[(f["subject"] == "national") & (f["measure"] == "specialist_capabilities") & (f["period"] == "2015")]
    assert thirteen["value"].item() == "13"


def test_conflicting_founding_years_are_both_kept(ds):
    r = ds.rocus.set_index("rocu_id")
    assert (r.loc["emsou", "established"], r.loc["emsou", "established_alt"]) == ("2001", "2002")
    assert (r.loc["tarian", "established"], r.loc["tarian", "established_alt"]) == ("2002", "2003")


def test_missing_stays_missing(ds):
    # Not published is NA, never zero.
    r = ds.rocus.set_index("rocu_id")
    assert pd.isna(r.loc["yhrocu", "established"])
    assert ds.rocu_resources.empty and ds.capability_status.empty
