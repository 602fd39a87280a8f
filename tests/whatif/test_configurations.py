"""compare_configurations and compare_over_time."""

from __future__ import annotations

import pandas as pd
import pytest

from rocu_compare import scenarios
from rocu_compare.compare import compare_rocus, dispersion
from rocu_compare.compare.configurations import compare_configurations, compare_over_time


def test_compare_configurations_as_built_against_aligned(ds):
    r = compare_configurations(
        ds,
        {"as built": scenarios.as_built(ds, "2015-06-30"), "aligned": scenarios.aligned_to_regions(ds)},
        "2015-06-30",
        n_boot=50,
    )
    assert sorted(r.moves["force"]) == ["Dyfed-Powys", "Gwent", "North Wales", "South Wales"]
    # dispersion of residents = dispersion of the per-unit sums, computed independently
    pop = ds.force_population[ds.force_population["year"] == 2015].astype({"force": str})
    for name, cfg in r.configurations.items():
        mapping = cfg.mapping
        per_unit = pop.assign(unit=pop["force"].map(mapping)).groupby("unit")["population_persons"].sum()
        row = r.dispersion.loc[(name, "population_persons")]
        assert row["n"] == len(per_unit) == 10
        assert row["min"] == per_unit.min() and row["max"] == per_unit.max()
        assert row["cv"] == pytest.approx(per_unit.std(ddof=1) / per_unit.mean())
    a, b = r.dispersion.loc[("as built", "population_persons")], r.dispersion.loc[("aligned", "population_persons")]
    assert f"{a['min']:,.0f} to {a['max']:,.0f} (CV {a['cv']:.2f}, 10 units)" in r.headline
    assert f"{b['min']:,.0f} to {b['max']:,.0f} (CV {b['cv']:.2f}, 10 units)" in r.headline
    assert "30 June 2015" in r.headline
    assert any("tarian: no member forces" in n for n in r.notes["aligned"])
    assert r.mean_distance["as built"] == pytest.approx(
        compare_rocus(ds, "2015-06-30", n_draws=0).spread["mean_distance"]
    )


def test_compare_over_time_equals_separate_calls(ds):
    dates = ["2020-01-01", "2015-06-30", "2017-06-30"]
    o = compare_over_time(ds, dates, n_boot=100)
    assert o.dates == sorted(pd.Timestamp(d) for d in dates)
    for d in dates:
        c = compare_rocus(ds, d, n_draws=0)
        assert o.distance.loc[pd.Timestamp(d), "mean_distance"] == pytest.approx(c.spread["mean_distance"])
        assert o.distance.loc[pd.Timestamp(d), "n_units"] == len(c.distance)
        prof = c.profiles
        num = [k for k, v in prof.kinds.items() if v == "numeric" and prof.groups[k] != "history"]
        want = dispersion(prof.frame[num].astype("float64"), n_boot=100, seed=0)
        got = o.dispersion.xs(pd.Timestamp(d), level="date")[want.columns]
        pd.testing.assert_frame_equal(got, want)
    assert any("CV" in s and "units" in s and "years" in s for s in o.statements)


def test_compare_over_time_under_a_fixed_configuration_and_the_series_year(ds):
    o = compare_over_time(ds, ["2015-06-30", "2019-06-30"], "aligned", n_boot=20)
    assert o.configuration.name == "aligned"
    used = o.dispersion.xs("population_persons", level="attribute")["series_used"]
    assert "mid-2015" in used.iloc[0] and "mid-2019" in used.iloc[1]
    # area uses the same boundaries at both dates and the configuration is fixed: no change, and it says why
    area = [s for s in o.statements if s.startswith("area")]
    assert len(area) == 1 and "about the same spread" in area[0] and "same data" in area[0]


def test_series_used_names_the_year_each_series_used(ds):
    o = compare_over_time(ds, ["2014-06-30", "2017-06-30"], n_boot=20)
    used = o.dispersion.xs("population_persons", level="attribute")["series_used"]
    assert used.iloc[0].startswith("mid-2014 ") and used.iloc[1].startswith("mid-2017 ")
    res = [s for s in o.statements if s.startswith("residents served")]
    assert len(res) == 1 and "same data" not in res[0] and "2 dates over 3.0 years" in res[0]


def test_analyst_resourcing_for_several_years_joins_the_series(ds):
    import rocu_compare as rc

    tables = dict(ds.tables)
    rocus = list(ds.rocus["rocu_id"].astype(str))
    cats = ds.rocus["rocu_id"].cat.categories
    years = {"2015-16": 1.0, "2019-20": 2.0}  # budgets double between the two years (synthetic test data)
    rows = [(r, fy, 1e6 * (i + 5) * k) for fy, k in years.items() for i, r in enumerate(rocus)]
    res = pd.DataFrame(rows, columns=["rocu_id", "financial_year", "budget_gbp"])
    tables["rocu_resources"] = res.assign(
        rocu_id=pd.Categorical(res["rocu_id"], categories=cats),
        financial_year=res["financial_year"].astype("string"),
        budget_gbp=res["budget_gbp"].astype("Float64"),
        home_office_grant_gbp=pd.array([None] * len(res), dtype="Float64"),
        officers_fte=pd.array([None] * len(res), dtype="Float64"),
        staff_fte=pd.array([None] * len(res), dtype="Float64"),
        is_estimate=pd.array([True] * len(res), dtype="boolean"),
        estimate_method=pd.array(["synthetic"] * len(res), dtype="string"),
        source_id=pd.array(["hmic-2015-news"] * len(res), dtype="string"),
        notes=pd.array([None] * len(res), dtype="string"),
    )
    mine = rc.Dataset(tables)
    o = compare_over_time(mine, ["2015-06-30", "2019-06-30", "2024-03-31"], n_boot=20)
    b = o.dispersion.xs("budget_gbp", level="attribute")
    assert list(b.index) == [pd.Timestamp("2015-06-30"), pd.Timestamp("2019-06-30")]  # 2024: none within a year
    assert "2015-16" in b["series_used"].iloc[0] and "2019-20" in b["series_used"].iloc[1]
    # doubling every budget leaves the CV unchanged: the statement says so, with units and years
    assert b["cv"].iloc[0] == pytest.approx(b["cv"].iloc[1])
    per_head = o.dispersion.xs("budget_gbp_per_100k_population", level="attribute")
    assert per_head["n"].iloc[0] == 10
    st = [s for s in o.statements if s.startswith("budget gbp:")]
    assert len(st) == 1 and "about the same spread" in st[0] and "10 units" in st[0] and "4.0 years" in st[0]
