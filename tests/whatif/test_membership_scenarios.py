"""Configurations as data: with_membership checks every force once; the named scenarios."""

from __future__ import annotations

import pandas as pd
import pytest

from rocu_compare import RocuDataError, scenarios
from rocu_compare.membership import check_mapping


def _as_built_2015(ds) -> dict:
    m = ds.membership_at("2015-06-30").astype(str)
    return dict(zip(m["force"], m["rocu_id"]))


def test_with_membership_reports_two_units_missing_and_unknown_force_at_once(ds):
    m = _as_built_2015(ds)
    del m["Cleveland"]
    rows = [{"force": f, "unit": u} for f, u in m.items()]
    rows.append({"force": "Kent", "unit": "ersou"})  # Kent in a second unit
    rows.append({"force": "Kent Police", "unit": "serocu"})  # not a force name
    with pytest.raises(RocuDataError) as err:
        ds.with_membership(pd.DataFrame(rows))
    rules = sorted(p.rule for p in err.value.problems)
    assert rules == ["duplicate_force", "missing_force", "unknown_force"]
    by_rule = {p.rule: p for p in err.value.problems}
    assert by_rule["duplicate_force"].value == "Kent" and by_rule["duplicate_force"].row == len(rows)  # header row 1
    assert by_rule["missing_force"].value == "Cleveland"
    assert by_rule["unknown_force"].value == "Kent Police"


def test_with_membership_rejects_an_unknown_unit_without_a_name_and_accepts_a_named_one(ds):
    m = _as_built_2015(ds)
    m["Kent"] = "kent_alone"
    with pytest.raises(RocuDataError) as err:
        ds.with_membership(m)
    assert [p.rule for p in err.value.problems] == ["unknown_unit"]
    d2 = ds.with_membership(m, {"kent_alone": "Kent on its own"})
    ctx = d2.rocu_context("2015-06-30")
    assert ctx.loc["kent_alone", "n_forces"] == 1
    assert ctx.loc["serocu", "n_forces"] == 4
    assert "Kent on its own" in set(d2.rocus["name"])
    assert len(d2.membership_at("2015-06-30")) == 43  # every force exactly once, not 44


def test_with_membership_reads_a_csv_file(ds, tmp_path):
    m = _as_built_2015(ds)
    m["Kent"] = "ersou"
    p = tmp_path / "kent.csv"
    pd.DataFrame({"force": list(m), "unit": list(m.values())}).to_csv(p, index=False)
    d2 = ds.with_membership(p)
    assert d2.membership_at("2030-01-01").set_index("force").loc["Kent", "rocu_id"] == "ersou"
    assert check_mapping(ds, p)[0]["Kent"] == "ersou"


def test_aligned_to_regions_on_the_bundled_data(ds):
    a = scenarios.aligned_to_regions(ds)
    by_unit: dict[str, set] = {}
    for f, u in a.mapping.items():
        by_unit.setdefault(u, set()).add(f)
    wales = {"Dyfed-Powys", "Gwent", "North Wales", "South Wales"}
    welsh_units = {u for f, u in a.mapping.items() if f in wales}
    assert len(welsh_units) == 1 and by_unit[welsh_units.pop()] == wales
    assert a.mapping["Kent"] == a.mapping["Surrey"] == a.mapping["Hampshire"] == "serocu"
    assert by_unit["london"] == {"Metropolitan Police", "City of London"}
    assert len(a.mapping) == 43 and a.description

    # residents and officers per unit = sums over member forces, read straight from the tables
    ctx = ds.with_membership(a).rocu_context("2015-06-30")
    pop = ds.force_population
    pop = pop[pop["year"] == 2015].assign(force=lambda d: d["force"].astype(str)).set_index("force")
    off = ds.force_officers_fte
    off = off[(off["vintage"] == "ho-open-data-2022-07") & (off["as_at"] == pd.Timestamp("2015-03-31"))]
    off = off.assign(force=lambda d: d["force"].astype(str)).set_index("force")
    for unit, forces in by_unit.items():
        assert ctx.loc[unit, "population_persons"] == sum(int(pop.loc[f, "population_persons"]) for f in forces)
        assert ctx.loc[unit, "officers_fte"] == pytest.approx(sum(float(off.loc[f, "officers_fte"]) for f in forces))
        assert ctx.loc[unit, "n_forces"] == len(forces)
    assert ctx.loc["tarian", "n_forces"] == 0


def test_kent_placements_move_only_kent(ds):
    base = scenarios.as_built(ds, "2015-06-30")
    e = scenarios.kent_in_ersou(ds, "2015-06-30")
    s = scenarios.kent_in_serocu(ds, "2015-06-30")
    assert list(e.moves_from(base).itertuples(index=False)) == [("Kent", "serocu", "ersou")]
    assert s.moves_from(base).empty
    assert "Kent" in e.description


def test_named_scenarios_and_unknown_name(ds):
    assert scenarios.named(ds, "aligned").name == "aligned"
    with pytest.raises(ValueError, match="as-built, aligned, kent-serocu, kent-ersou"):
        scenarios.named(ds, "regions")


def test_any_valid_configuration_conserves_forces_and_residents(ds):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    forces = list(ds.forces["force"].astype(str))
    units = list(ds.rocus["rocu_id"].astype(str))
    total = ds.rocu_context("2015-06-30")["population_persons"].sum()

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.sampled_from(units), min_size=len(forces), max_size=len(forces)))
    def check(picks):
        ctx = ds.with_membership(dict(zip(forces, picks))).rocu_context("2015-06-30")
        assert ctx["n_forces"].sum() == len(forces)
        for u in units:
            assert ctx.loc[u, "n_forces"] == picks.count(u)
        assert ctx["population_persons"].sum() == total  # every resident counted once, whatever the design

    check()
