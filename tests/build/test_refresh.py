"""build-data --workforce / --population: a newer release extends the series as a new vintage.

The test holds out the latest release held in ``shared/reference/raw`` and adds it back.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from etl.officers import forces_by_code, officers_from_open_data
from etl.pipeline import DEFAULT_REFERENCE
from etl.provenance import sha256_of
from etl.refresh import extend_officers, extend_population, read_population_release
from rocu_compare.cli import main

RAW = Path(os.environ.get("ROCU_REFERENCE_DIR") or DEFAULT_REFERENCE) / "raw"
WORKFORCE = RAW / "lesscrime_police-workforce-open-data_mar2007-2022_by-force-rank-sex.csv.gz"
POPULATION = RAW / "lesscrime_ons-mye-population-by-lad_mid2001-2020.csv.gz"
LOOKUP = RAW / "resistancelab_LAD16_CSP16_PFA16_lookup.csv"

pytestmark = pytest.mark.skipif(not WORKFORCE.exists(), reason="reference raw files not available")


@pytest.fixture(scope="module")
def forces():
    from rocu_compare.schema import DATA_DIR

    return pd.read_csv(DATA_DIR / "forces.csv", dtype=str)


@pytest.fixture(scope="module")
def bundled():
    from rocu_compare.schema import DATA_DIR

    off = pd.read_csv(DATA_DIR / "force_officers_fte.csv", dtype={"as_at": str})
    pop = pd.read_csv(DATA_DIR / "force_population.csv")
    return off, pop


def test_officers_held_out_release_comes_back_as_a_new_vintage(tmp_path, forces, bundled):
    off, _ = bundled
    # the release before the latest: the open data table without its last date (31 March 2022)
    full = pd.read_csv(WORKFORCE, dtype=str)
    older = tmp_path / "older.csv"
    full[full["date"] < "2022"].to_csv(older, index=False)
    summed, _ = officers_from_open_data(pd.read_csv(older, dtype=str), forces_by_code(forces), older.name)
    base = pd.DataFrame(
        {
            "force": summed["force"],
            "as_at": summed["as_at"],
            "vintage": "older",
            "officers_fte": summed["total_fte"],
            "source_id": "x",
        }
    )
    assert base["as_at"].max() == "2021-03-31"
    out, rec = extend_officers(base, WORKFORCE, forces, vintage="latest")
    new = out[out["vintage"] == "latest"].set_index(["force", "as_at"])["officers_fte"]
    want = off[off["vintage"] == "ho-open-data-2022-07"].set_index(["force", "as_at"])["officers_fte"]
    pd.testing.assert_series_equal(
        new.sort_index(), want.sort_index(), check_names=False, check_index_type=False
    )  # object vs string index labels (pandas 3)
    assert "2022-03-31" in rec.periods_added and rec.rows_added == len(want)
    assert rec.sha256 == sha256_of(WORKFORCE)
    pd.testing.assert_frame_equal(
        out[out["vintage"] == "older"].reset_index(drop=True),
        base.sort_values(["force", "as_at"], kind="mergesort").reset_index(drop=True),
        check_dtype=False,
    )
    with pytest.raises(ValueError, match="already in force_officers_fte"):
        extend_officers(out, WORKFORCE, forces, vintage="latest")


def test_population_held_out_year_comes_back_from_long_and_wide_layouts(tmp_path, forces, bundled):
    _, pop = bundled
    held = pop[pop["year"] < pop["year"].max()]
    out, rec = extend_population(held, POPULATION, LOOKUP, forces)
    assert rec.periods_added == [int(pop["year"].max())] and rec.rows_added == pop["force"].nunique()
    pd.testing.assert_frame_equal(out.drop(columns="source_id"), pop.drop(columns="source_id"), check_dtype=False)
    assert (out.loc[out["year"] == pop["year"].max(), "source_id"] == rec.source_id).all()

    # the ONS published layout: a title row, then Code, Name and one column per year ("Mid-2020" ...)
    long = pd.read_csv(POPULATION, dtype={"code": str})
    wide = long.pivot_table(index=["code", "name"], columns="year", values="population", aggfunc="first")
    wide.columns = [f"Mid-{y}" for y in wide.columns]
    wide = wide.reset_index().rename(columns={"code": "Code", "name": "Name"})
    path = tmp_path / "mye.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame([["Population estimates, mid-year"]]).to_excel(xw, index=False, header=False)
        wide.to_excel(xw, index=False, startrow=2)
    assert read_population_release(path).attrs["layout"] == "wide"
    out2, rec2 = extend_population(held, path, LOOKUP, forces)
    pd.testing.assert_frame_equal(out2.drop(columns="source_id"), out.drop(columns="source_id"))
    assert rec2.layout == "wide"


def test_unknown_layout_names_what_was_expected(tmp_path, forces, bundled):
    off, pop = bundled
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"force": ["Kent"], "officers": [1]}).to_csv(bad, index=False)
    with pytest.raises(ValueError, match="unknown layout.*total_fte"):
        extend_officers(off, bad, forces)
    with pytest.raises(ValueError, match="unknown layout.*code, name, year, population"):
        extend_population(pop, bad, LOOKUP, forces)


def test_build_data_cli_records_the_checksum_and_the_result_loads(tmp_path):
    import rocu_compare as rc

    gz = tmp_path / "workforce_newer.csv.gz"
    gz.write_bytes(gzip.compress(gzip.decompress(WORKFORCE.read_bytes())))
    out = tmp_path / "data"
    assert main(["build-data", "--out", str(out), "--workforce", str(gz), "--population", str(POPULATION)]) == 0
    prov = json.loads((out / "provenance.json").read_text())
    recs = {r["table"]: r for r in prov["refreshed_releases"]}
    assert recs["force_officers_fte"]["sha256"] == sha256_of(gz)
    assert recs["force_population"]["sha256"] == sha256_of(POPULATION)
    ds = rc.load(out)
    assert recs["force_officers_fte"]["vintage"] in set(ds.force_officers_fte["vintage"].astype(str))
    src = ds.sources.set_index("source_id")
    assert src.loc[recs["force_officers_fte"]["source_id"], "url"].startswith("https://www.gov.uk/")
    assert sha256_of(gz) in src.loc[recs["force_officers_fte"]["source_id"], "notes"]
