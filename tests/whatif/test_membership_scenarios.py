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


def test_moved_forces_matches_units_by_their_forces_not_their_ids():
    from hypothesis import given
    from hypothesis import strategies as st

    from rocu_compare.membership import moved_forces

    before = {"A": "u", "B": "u", "C": "v", "D": "v", "E": None}
    # the same groups under new ids: nothing moves
    assert moved_forces(before, {"A": "x", "B": "x", "C": "y", "D": "y", "E": None}) == []
    # one force changes group: it moves, and its old unit (renamed or not) is no longer the same group
    assert moved_forces(before, {"A": "u", "B": "v", "C": "v", "D": "v", "E": None}) == [("B", "u", "v")]
    assert moved_forces(before, {"A": "x", "B": "v", "C": "v", "D": "v", "E": None}) == [
        ("A", "u", "x"),
        ("B", "u", "v"),
    ]
    # a new id over the forces of a unit that keeps its id is a split, not a rename
    assert moved_forces(before, {"A": "u", "B": "x", "C": "v", "D": "v", "E": None}) == [("B", "u", "x")]
    # placing a force, or leaving one in no unit, is a move
    assert moved_forces(before, {"A": "u", "B": "u", "C": "v", "D": "v", "E": "v"}) == [("E", None, "v")]
    assert moved_forces(before, {"A": "u", "B": "u", "C": "v", "D": None, "E": None}) == [("D", "v", None)]

    forces = [f"f{i}" for i in range(8)]

    @given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=8, max_size=8), st.permutations(["p", "q", "r"]))
    def renaming_moves_nothing(units, new_ids):
        m = dict(zip(forces, units))
        rename = dict(zip(["a", "b", "c"], new_ids))
        assert moved_forces(m, {f: rename[u] for f, u in m.items()}) == []
        assert moved_forces(m, m) == []

    renaming_moves_nothing()


def test_aligned_keeps_the_unit_that_already_holds_every_welsh_force(ds):
    from rocu_compare.compare.configurations import compare_configurations

    mapping = _as_built_2015(ds)
    mapping["North Wales"] = "tarian"  # an analyst's data in which Tarian holds all four Welsh forces
    mine = ds.with_membership(mapping)
    a = scenarios.aligned_to_regions(mine, "2015-06-30")
    welsh = ["Dyfed-Powys", "Gwent", "North Wales", "South Wales"]
    assert {a.mapping[f] for f in welsh} == {"tarian"} and a.unit_names == {}
    assert "which holds all 4 Welsh forces" in a.description and a.description.endswith(": none)")
    built = scenarios.as_built(mine, "2015-06-30")
    r = compare_configurations(mine, {built.name: built, a.name: a}, "2015-06-30", n_boot=10)
    assert r.moves.empty
    assert a.moves_from(built).empty
    # on the bundled data no unit holds all four, so Wales is the designed unit and all four move
    b = scenarios.aligned_to_regions(ds, "2015-06-30")
    assert {b.mapping[f] for f in welsh} == {scenarios.WALES_UNIT_ID}
    assert sorted(b.moves_from(scenarios.as_built(ds, "2015-06-30"))["force"]) == welsh


def test_whatif_map_title_on_data_where_no_force_moves(ds):
    from rocu_compare.report.catalog import FIGURES, build_context

    mapping = _as_built_2015(ds)
    mapping["North Wales"] = "tarian"
    fig, meta = FIGURES["whatif_maps"].build(build_context(ds.with_membership(mapping), as_at="2015-06-30"))
    assert meta.title.endswith("no force would move") and "filled orange: none." in meta.alt_text
    fig2, meta2 = FIGURES["whatif_maps"].build(build_context(ds, as_at="2015-06-30"))
    assert meta2.title.endswith("4 forces would move")


def test_aligned_makes_wales_its_own_unit_when_the_unit_holding_it_is_an_english_home(ds):
    mapping = _as_built_2015(ds)
    for f in ("Dyfed-Powys", "Gwent", "South Wales"):
        mapping[f] = "nwrocu"  # the North West unit would hold all four Welsh forces and its own region
    a = scenarios.aligned_to_regions(ds.with_membership(mapping), "2015-06-30")
    assert {a.mapping[f] for f in ("Dyfed-Powys", "Gwent", "North Wales", "South Wales")} == {scenarios.WALES_UNIT_ID}
    assert a.mapping["Cheshire"] == "nwrocu" and scenarios.WALES_UNIT_ID in a.unit_names
