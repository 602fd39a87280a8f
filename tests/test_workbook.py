"""Export → load round trips (CSV folder and .xlsx), the template, formulas, and the data dictionary."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import rocu_compare as rc
from rocu_compare.schema import package
from rocu_compare.workbook import data_dictionary, data_dictionary_markdown, export, write_template


def assert_same(a: rc.Dataset, b: rc.Dataset):
    for name in package().tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_categorical=True, obj=name)


def test_round_trip_csv(ds, tmp_path):
    export(ds, tmp_path / "out")
    assert_same(ds, rc.load(tmp_path / "out"))


@pytest.mark.slow
def test_round_trip_xlsx(ds, tmp_path):
    export(ds, tmp_path / "out.xlsx")
    assert_same(ds, rc.load(tmp_path / "out.xlsx"))


def test_template_has_every_table_and_dictionary(tmp_path):
    p = write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(p)
    for name, schema in package().tables.items():
        assert [c.value for c in wb[name][1]] == schema.columns
        assert wb[name].max_row == 1
    assert "data_dictionary" in wb.sheetnames and "README" in wb.sheetnames


def test_filled_template_with_bundled(tmp_path):
    p = write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(p)
    wb["rocu_resources"].append(
        [
            "swrocu",
            "2015-16",
            1234567.5,
            None,
            70,
            None,
            True,
            "budget line of the 2015-16 accounts",
            "hmic-2015-news",
            "made-up test row",
        ]
    )
    wb["capability_status"].append(["swrocu", "undercover policing", 2015, "not delivered", "hmic-2015-news", None])
    wb.save(p)
    ds = rc.load(p, with_bundled=True)
    assert ds.origins("rocu_resources")[["origin", "file", "row"]].values.tolist() == [
        ["analyst", "t.xlsx[rocu_resources]", 2]
    ]
    assert set(ds.origins("forces")["origin"]) == {"bundled"}
    r = ds.rocu_resources.iloc[0]
    assert r["budget_gbp"] == 1234567.5 and pd.isna(r["home_office_grant_gbp"]) and r["officers_fte"] == 70
    with pytest.raises(rc.RocuDataError) as err:  # without the bundled rows the empty sheets stay empty
        rc.load(p)
    assert any(pr.rule == "foreign_key" for pr in err.value.problems)


@pytest.mark.slow
def test_formula_cells_are_reported_not_evaluated(ds, tmp_path):
    p = export(ds, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(p)
    ws = wb["forces"]
    col = [c.value for c in ws[1]].index("officers_fte_2015_03_31") + 1
    ws.cell(row=3, column=col).value = "=1+1"
    wb.save(p)
    with pytest.raises(rc.RocuDataError) as err:
        rc.load(p)
    f = [pr for pr in err.value.problems if pr.rule == "formula"]
    assert len(f) == 1
    assert (f[0].file, f[0].row, f[0].column, f[0].value) == ("out.xlsx[forces]", 3, "officers_fte_2015_03_31", "=1+1")


@pytest.mark.slow
def test_text_that_looks_like_a_formula_survives(ds, tmp_path):
    tables = dict(ds.tables)
    ev = tables["events"].copy()
    ev["description"] = ev["description"].astype("object")
    ev.iloc[0, ev.columns.get_loc("description")] = "=not a formula, just text"
    ev["description"] = ev["description"].astype("string")
    tables["events"] = ev
    export(rc.Dataset(tables), tmp_path / "x.xlsx")
    back = rc.load(tmp_path / "x.xlsx")
    assert back.events["description"].iloc[0] == "=not a formula, just text"


def test_data_dictionary_covers_every_column():
    dd = data_dictionary()
    n = sum(len(t.fields) for t in package().tables.values())
    assert len(dd) == n
    assert dd["description"].str.len().gt(0).all()
    md = data_dictionary_markdown()
    for name in package().tables:
        assert f"`{name}`" in md
