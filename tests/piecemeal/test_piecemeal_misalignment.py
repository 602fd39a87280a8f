"""Forces outside their police region's ROCU."""

from __future__ import annotations

import pandas as pd
import pytest

import rocu_compare as rc
from rocu_compare.piecemeal import (
    london_arrangement_note,
    misaligned_forces,
    misalignment_summary,
    region_home_rocus,
)


def _with(ds, **tables):
    return rc.Dataset({**ds.tables, **tables}, dict(ds.origin), ds.schema)


def test_mid_2015_only_north_wales(ds):
    mis = misaligned_forces(ds, "2015-06-30")
    assert list(mis["force"]) == ["North Wales"]
    row = mis.iloc[0]
    assert (row["police_region"], row["rocu_id"], row["region_home_rocu_id"]) == ("Wales", "nwrocu", "tarian")


def test_2020_north_wales_and_kent(ds):
    mis = misaligned_forces(ds, "2020-01-01")
    assert set(mis["force"]) == {"North Wales", "Kent"}
    kent = mis.set_index("force").loc["Kent"]
    assert (kent["police_region"], kent["rocu_id"], kent["region_home_rocu_id"]) == ("South East", "ersou", "serocu")


@pytest.mark.parametrize("date", ["2015-06-30", "2020-01-01"])
def test_home_rocu_by_majority_agrees_with_rocus_text(ds, date):
    home = region_home_rocus(ds, date)
    assert len(home) == 10
    assert home["agrees_with_text"].all()
    assert home.at["Wales", "home_rocu_id"] == "tarian"
    assert not home["is_tie"].any()


def test_tie_leaves_region_without_home(ds):
    m = ds.membership.copy()
    m["rocu_id"] = m["rocu_id"].astype(str)
    m.loc[m["force"].astype(str) == "Gwent", "rocu_id"] = "nwrocu"  # Wales: 2 tarian, 2 nwrocu
    m["rocu_id"] = pd.Categorical(m["rocu_id"], categories=ds.membership["rocu_id"].cat.categories)
    d2 = _with(ds, membership=m)
    home = region_home_rocus(d2, "2015-06-30")
    assert bool(home.at["Wales", "is_tie"]) and pd.isna(home.at["Wales", "home_rocu_id"])
    assert "North Wales" not in set(misaligned_forces(d2, "2015-06-30")["force"])


def test_london_flag_and_note(ds):
    allf = misaligned_forces(ds, "2015-06-30", include_aligned=True)
    london = allf[allf["rocu_id"] == "london"]
    assert set(london["force"]) == {"Metropolitan Police", "City of London"}
    assert not london["is_formal_rocu"].any() and not london["is_misaligned"].any()
    note = london_arrangement_note(ds)
    assert list(note["rocu_id"]) == ["london"]
    assert note.iloc[0]["governance"] in allf.attrs["london_note"]
    s = misalignment_summary(ds, "2015-06-30")
    assert s.at[0, "n_forces_in_informal_unit"] == 2
    assert "No ROCU as such" in s.at[0, "london_note"]


@pytest.mark.parametrize("date, n", [("2015-06-30", 1), ("2020-01-01", 2)])
def test_summary_totals_are_sums_of_the_forces(ds, date, n):
    s = misalignment_summary(ds, date).iloc[0]
    ctx = ds.forces_context(date)
    mis = misaligned_forces(ds, date)
    assert s["n_forces_misaligned"] == n and s["n_forces_total"] == 43
    assert s["share_forces"] == pytest.approx(n / 43)
    for col, label in (
        ("population_persons", "population"),
        ("officers_fte", "officers_fte"),
        ("workforce_fte", "workforce_fte"),
    ):
        vals = pd.to_numeric(ctx[col], errors="coerce")
        if vals.notna().all():
            part = pd.to_numeric(ctx.set_index("force").loc[list(mis["force"]), col]).sum()
            assert float(s[f"{label}_total"]) == pytest.approx(vals.sum())
            assert float(s[f"{label}_misaligned"]) == pytest.approx(part)
            assert float(s[f"share_{label}"]) == pytest.approx(part / vals.sum())
        else:
            assert pd.isna(s[f"{label}_total"]) and pd.isna(s[f"share_{label}"])


def test_summary_without_time_series_is_missing_not_zero(ds):
    d2 = _with(ds, **{t: ds[t].iloc[0:0] for t in ("force_population", "force_officers_fte", "force_crime_severity")})
    s = misalignment_summary(d2, "2020-01-01").iloc[0]
    assert pd.isna(s["population_misaligned"]) and pd.isna(s["population_total"])
    assert pd.isna(s["officers_fte_misaligned"]) and pd.isna(s["share_officers_fte"])
    assert s["n_forces_misaligned"] == 2
    mis = misaligned_forces(d2, "2020-01-01")
    assert mis["population_persons"].isna().all()
