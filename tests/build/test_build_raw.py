"""Tests of the raw-file builders (etl.*).

Tests marked ``raw`` read the read-only reference files in ``../shared/reference`` (or the
folder named by the environment variable ROCU_REFERENCE_DIR) and are skipped where those
are absent. The other tests build tiny inputs in ``tmp_path``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from etl import boundaries as bnd
from etl.crime_severity import build_force_crime_severity
from etl.forces_check import rederive_force_columns
from etl.officers import (
    VINTAGE_2026,
    VINTAGE_OPEN_DATA,
    build_force_officers_fte,
)
from etl.population import POST_2016_LAD_TO_FORCE, build_force_population
from etl.provenance import RAW_INPUTS, ChecksumError, check_checksum, sha256_of

REFERENCE = Path(os.environ.get("ROCU_REFERENCE_DIR") or Path(__file__).resolve().parents[3] / "shared" / "reference")
RAW = REFERENCE / "raw"
REPO = Path(__file__).resolve().parents[2]

raw_present = pytest.mark.skipif(
    not (RAW.is_dir() and (REFERENCE / "README.md").is_file()),
    reason=f"raw reference files not found at {RAW} (set ROCU_REFERENCE_DIR to the reference folder)",
)


def raw(test):
    return pytest.mark.raw(raw_present(test))


OPEN_DATA = "lesscrime_police-workforce-open-data_mar2007-2022_by-force-rank-sex.csv.gz"
EXTRACT_2026 = "forces_2026_extract.csv"
LAD_POP = "lesscrime_ons-mye-population-by-lad_mid2001-2020.csv.gz"
LOOKUP = "resistancelab_LAD16_CSP16_PFA16_lookup.csv"
CSS = "lesscrime_ons-crime-severity-by-pfa_ye-mar2003-2022.csv.gz"
GEOJSON = "popm_force_boundaries_ugc.geojson"


def input_path(name: str) -> Path:
    return RAW / name if (RAW / name).is_file() else REFERENCE / name


@pytest.fixture(scope="module")
def forces() -> pd.DataFrame:
    """The forces table: data/forces.csv where the pipeline has written it, else the reference one."""
    path = REPO / "data" / "forces.csv"
    if not path.is_file():
        path = REFERENCE / "forces.csv"
    return pd.read_csv(path, dtype={"ons_code": str})


@pytest.fixture(scope="module")
def officers(forces):
    rep = {}
    out = build_force_officers_fte(RAW / OPEN_DATA, REFERENCE / EXTRACT_2026, forces, report=rep)
    return out, rep


@pytest.fixture(scope="module")
def population(forces):
    rep = {}
    return build_force_population(RAW / LAD_POP, RAW / LOOKUP, forces, report=rep), rep


@pytest.fixture(scope="module")
def boundaries(forces):
    rep = {}
    return bnd.build_force_boundaries(RAW / GEOJSON, forces, report=rep), rep


# ---------------------------------------------------------------------------------------
# provenance
# ---------------------------------------------------------------------------------------


@raw
def test_checksums_match_provenance():
    for name, rec in RAW_INPUTS.items():
        assert check_checksum(input_path(name)) is rec


@raw
def test_provenance_agrees_with_reference_readme():
    readme = (REFERENCE / "README.md").read_text(encoding="utf-8")
    stated = {m[0]: (int(m[1]), m[2]) for m in re.findall(r"\| `([^`]+)` \| (\d+) \| `([0-9a-f]{64})` \|", readme)}
    for name, rec in RAW_INPUTS.items():
        if name in stated:
            assert (rec.bytes, rec.sha256) == stated[name], name
        else:
            assert name == EXTRACT_2026  # its checksum is not given by the README
    sources = pd.read_csv(REFERENCE / "sources.csv", dtype=str)
    known = set(sources["source_id"])
    for rec in RAW_INPUTS.values():
        assert rec.in_reference_sources == (rec.source_id in known), rec.source_id
        assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+/blob/[0-9a-f]{40}/\S+", rec.url), rec.url
        assert rec.url_basis == "constructed-from-repository"
        assert rec.kind == "statistics-table"


def test_check_checksum_refuses_changed_bytes(tmp_path):
    name = next(iter(RAW_INPUTS))
    p = tmp_path / name
    p.write_bytes(b"not the recorded file")
    with pytest.raises(ChecksumError, match="not the recorded file"):
        check_checksum(p)
    with pytest.raises(KeyError, match="no provenance record"):
        other = tmp_path / "unknown.csv"
        other.write_text("x\n")
        check_checksum(other)
    assert sha256_of(other) == hashlib.sha256(b"x\n").hexdigest()


# ---------------------------------------------------------------------------------------
# officers
# ---------------------------------------------------------------------------------------


@raw
def test_officers_reproduce_reference_series(officers, forces):
    out, rep = officers
    assert list(out.columns) == ["force", "as_at", "vintage", "officers_fte", "source_id"]
    assert len(out) == 43 * 16 + 43 == rep["rows"]
    assert not out.duplicated(["force", "as_at", "vintage"]).any()
    assert out.equals(out.sort_values(["force", "as_at", "vintage"]).reset_index(drop=True))
    assert out["officers_fte"].dtype == "float64" and out["officers_fte"].notna().all()
    assert set(out["force"]) == set(forces["force"])

    ref = pd.read_csv(REFERENCE / "officers_fte_by_force_2007_2026.csv", dtype={"pfa_code": str})
    ref["force"] = ref["pfa_code"].map(dict(zip(forces["ons_code"], forces["force"])))
    assert ref["force"].notna().all()
    wide = out[out["vintage"] == VINTAGE_OPEN_DATA].pivot(index="force", columns="as_at", values="officers_fte")
    ref = ref.set_index("force")
    for col in [c for c in ref.columns if re.fullmatch(r"mar\d{4}", c)]:
        got = wide[f"{col[3:]}-03-31"]
        pd.testing.assert_series_equal(
            got.loc[ref.index], ref[col], check_names=False, check_index_type=False, atol=0.0051, rtol=0
        )
    y26 = out[out["vintage"] == VINTAGE_2026].set_index("force")["officers_fte"]
    assert (out.loc[out["vintage"] == VINTAGE_2026, "as_at"] == "2026-03-31").all()
    pd.testing.assert_series_equal(
        y26.loc[ref.index], ref["mar2026_rounded"].astype(float), check_names=False, check_index_type=False
    )


@raw
def test_officers_2015_vintage_differs_from_first_published(officers, forces):
    """README: 126,818.09 FTE as first printed; about 127,192 in the July 2022 vintage (Met +374)."""
    out, _ = officers
    revised = out[(out["as_at"] == "2015-03-31") & (out["vintage"] == VINTAGE_OPEN_DATA)].set_index("force")[
        "officers_fte"
    ]
    first = forces.set_index("force")["officers_fte_2015_03_31"].astype(float)
    assert round(first.sum(), 2) == 126818.09
    assert round(revised.sum()) == 127192
    diff = (revised - first.loc[revised.index]).round(2)
    assert 370 < diff["Metropolitan Police"] < 380
    assert diff.drop("Metropolitan Police").abs().max() < 0.05
    # 2010 check stated by the README: the 2026 extract's off2010 equals the open data table at 31 Mar 2010.
    ex = pd.read_csv(REFERENCE / EXTRACT_2026, dtype={"code": str})
    y2010 = out[out["as_at"] == "2010-03-31"].set_index("force")["officers_fte"]
    code_force = dict(zip(forces["ons_code"], forces["force"]))
    assert all(round(y2010[code_force[c]]) == v for c, v in zip(ex["code"], ex["off2010"]))


def _forces_small() -> pd.DataFrame:
    return pd.DataFrame({"force": ["Northamptonshire", "Suffolk"], "ons_code": ["E23000022", "E23000025"]})


def _write_open_data(path: Path, rows: list[tuple]) -> Path:
    df = pd.DataFrame(
        rows,
        columns=[
            "date",
            "geo_code",
            "force_name",
            "region",
            "sex",
            "rank_description",
            "worker_type",
            "total_headcount",
            "total_fte",
        ],
    )
    with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
        df.to_csv(fh, index=False)
    return path


def test_officer_sum_over_sex_and_rank_by_hand(tmp_path):
    od = _write_open_data(
        tmp_path / "od.csv.gz",
        [
            (
                "2015-03-01",
                "E23000022",
                "Northamptonshire",
                "East Midlands",
                "Female",
                "Constable",
                "police officer",
                2,
                1.5,
            ),
            (
                "2015-03-01",
                "E23000022",
                "Northamptonshire",
                "East Midlands",
                "Male",
                "Constable",
                "police officer",
                3,
                2.25,
            ),
            (
                "2015-03-01",
                "E23000022",
                "Northamptonshire",
                "East Midlands",
                "Male",
                "Sergeant",
                "police officer",
                3,
                3.0,
            ),
            (
                "2015-03-01",
                "E23000022",
                "Northamptonshire",
                "East Midlands",
                "Not stated",
                "Inspector",
                "police officer",
                1,
                0.5,
            ),
            (
                "2015-03-01",
                "E23000022",
                "Northamptonshire",
                "East Midlands",
                "Male",
                "Police Staff",
                "police staff",
                9,
                8.0,
            ),
            ("2015-03-01", "E23000025", "Suffolk", "Eastern", "Female", "Sergeant", "police officer", 1, 1.0),
            ("2016-03-01", "E23000025", "Suffolk", "Eastern", "Female", "Sergeant", "police officer", 1, 0.333),
            ("2016-03-01", "E23000025", "Suffolk", "Eastern", "Male", "Sergeant", "police officer", 1, 0.333),
        ],
    )
    ex = tmp_path / "ex.csv"
    ex.write_text("code,name,off2010,off2026\nE23000022,Northamptonshire,1,1234.4\nE23000025,Suffolk,2,999.6\n")
    out = build_force_officers_fte(od, ex, _forces_small(), verify_checksum=False)
    got = {(r.force, r.as_at, r.vintage): r.officers_fte for r in out.itertuples()}
    assert got == {
        ("Northamptonshire", "2015-03-31", VINTAGE_OPEN_DATA): 7.25,  # 1.5 + 2.25 + 3.0 + 0.5; staff excluded
        ("Suffolk", "2015-03-31", VINTAGE_OPEN_DATA): 1.0,
        ("Suffolk", "2016-03-31", VINTAGE_OPEN_DATA): 0.67,  # 0.666 rounded to 2 dp
        ("Northamptonshire", "2026-03-31", VINTAGE_2026): 1234.0,
        ("Suffolk", "2026-03-31", VINTAGE_2026): 1000.0,
    }
    assert list(out["force"]) == sorted(out["force"])


def test_officers_unmapped_force_code_raises(tmp_path):
    od = _write_open_data(
        tmp_path / "od.csv.gz",
        [
            (
                "2015-03-01",
                "E23000022",
                "Northamptonshire",
                "East Midlands",
                "Male",
                "Constable",
                "police officer",
                1,
                1.0,
            ),
            ("2015-03-01", "E23000025", "Suffolk", "Eastern", "Male", "Constable", "police officer", 1, 1.0),
            ("2015-03-01", "E23000999", "Nowhere", "Eastern", "Male", "Constable", "police officer", 1, 1.0),
        ],
    )
    ex = tmp_path / "ex.csv"
    ex.write_text("code,name,off2010,off2026\nE23000022,Northamptonshire,1,1\nE23000025,Suffolk,2,2\n")
    with pytest.raises(ValueError, match="E23000999"):
        build_force_officers_fte(od, ex, _forces_small(), verify_checksum=False)


def test_officers_missing_force_raises(tmp_path):
    od = _write_open_data(
        tmp_path / "od.csv.gz",
        [
            (
                "2015-03-01",
                "E23000022",
                "Northamptonshire",
                "East Midlands",
                "Male",
                "Constable",
                "police officer",
                1,
                1.0,
            ),
        ],
    )
    ex = tmp_path / "ex.csv"
    ex.write_text("code,name,off2010,off2026\nE23000022,Northamptonshire,1,1\nE23000025,Suffolk,2,2\n")
    with pytest.raises(ValueError, match="missing: \\['Suffolk'\\]"):
        build_force_officers_fte(od, ex, _forces_small(), verify_checksum=False)


# ---------------------------------------------------------------------------------------
# population
# ---------------------------------------------------------------------------------------


@raw
def test_population_reproduces_reference_series(population, forces):
    out, rep = population
    assert list(out.columns) == ["force", "year", "population_persons", "source_id"]
    assert len(out) == 43 * 20 == rep["rows"]
    assert out["year"].dtype == "int64" and out["population_persons"].dtype == "int64"
    assert out.groupby("force")["year"].nunique().eq(20).all() and out["force"].nunique() == 43
    assert not out.duplicated(["force", "year"]).any()
    assert out.equals(out.sort_values(["force", "year"]).reset_index(drop=True))
    assert sorted(rep["districts_hand_assigned"]) == sorted(POST_2016_LAD_TO_FORCE)
    assert rep["non_district_rows_excluded"] == {}  # the file holds districts only

    ref = pd.read_csv(REFERENCE / "population_by_pfa_mid2001_2020.csv", dtype={"pfa_code": str})
    ref["force"] = ref["pfa_code"].map(dict(zip(forces["ons_code"], forces["force"])))
    ref = ref.set_index("force")[[f"mid{y}" for y in range(2001, 2021)]]
    ref.columns = range(2001, 2021)
    wide = out.pivot(index="force", columns="year", values="population_persons")
    pd.testing.assert_frame_equal(
        wide.loc[ref.index], ref, check_names=False, check_dtype=False, check_index_type=False
    )

    # every district is counted once: force totals equal the file's totals (E&W 2020: 59,719,724, README)
    lad = pd.read_csv(RAW / LAD_POP)
    pd.testing.assert_series_equal(
        out.groupby("year")["population_persons"].sum(), lad.groupby("year")["population"].sum(), check_names=False
    )
    assert out.loc[out["year"] == 2020, "population_persons"].sum() == 59719724


@raw
def test_population_agrees_with_mye2018_and_census(population, forces):
    out, _ = population
    f = forces.set_index("force")
    mid2018_col = next(
        c for c in ("population_mid2018_persons_rounded_100", "population_mid_2018_mye_rounded_100") if c in f.columns
    )
    census_col = next(c for c in ("population_census_2011_persons", "population_census_2011") if c in f.columns)
    p = out.pivot(index="force", columns="year", values="population_persons")
    assert (p[2018] - f.loc[p.index, mid2018_col].astype(int)).abs().max() <= 48  # README claim
    rel = p[2011] / f.loc[p.index, census_col].astype(int) - 1
    assert rel.min() >= -0.0008 and rel.max() <= 0.0058  # README: -0.07% to +0.57%


def _write_lad(path: Path, rows: list[tuple]) -> Path:
    pd.DataFrame(rows, columns=["code", "name", "year", "population"]).to_csv(path, index=False)
    return path


def _write_lookup(path: Path) -> Path:
    path.write_text(
        "\ufeffLAD16CD,LAD16NM,CSP16CD,CSP16NM,PFA16CD,PFA16NM,FID\n"
        "E07000150,Corby,E22000001,Corby,E23000022,Northamptonshire,1\n"
        "E07000205,Suffolk Coastal,E22000002,Suffolk Coastal,E23000025,Suffolk,2\n",
        encoding="utf-8",
    )
    return path


def test_population_hand_sum_with_post_2016_code(tmp_path):
    lad = _write_lad(
        tmp_path / "lad.csv",
        [
            ("E07000150", "Corby", 2015, 100),
            ("E07000150", "Corby", 2016, 110),
            ("E06000061\u00a0", "North Northamptonshire ", 2015, 1000),  # trailing no-break space, as in the ONS file
            ("E06000061\u00a0", "North Northamptonshire ", 2016, 1001),
            ("E07000205", "Suffolk Coastal", 2015, 7),
            ("E07000205", "Suffolk Coastal", 2016, 8),
            ("E07000244", "East Suffolk", 2015, 20),
            ("E07000244", "East Suffolk", 2016, 21),
        ],
    )
    out = build_force_population(lad, _write_lookup(tmp_path / "lk.csv"), _forces_small(), verify_checksum=False)
    got = {(r.force, r.year): r.population_persons for r in out.itertuples()}
    assert got == {
        ("Northamptonshire", 2015): 1100,
        ("Northamptonshire", 2016): 1111,
        ("Suffolk", 2015): 27,
        ("Suffolk", 2016): 29,
    }


def test_population_unmapped_lad_code_raises(tmp_path):
    lad = _write_lad(
        tmp_path / "lad.csv",
        [
            ("E07000150", "Corby", 2015, 100),
            ("E07000205", "Suffolk Coastal", 2015, 7),
            ("E07000999", "Invented District", 2015, 5),
        ],
    )
    with pytest.raises(ValueError, match="E07000999"):
        build_force_population(lad, _write_lookup(tmp_path / "lk.csv"), _forces_small(), verify_checksum=False)


def test_population_excludes_country_rows_and_keeps_missing_as_error(tmp_path):
    lad = _write_lad(
        tmp_path / "lad.csv",
        [
            ("K04000001", "ENGLAND AND WALES", 2015, 107),
            ("E07000150", "Corby", 2015, 100),
            ("E07000205", "Suffolk Coastal", 2015, 7),
        ],
    )
    rep = {}
    out = build_force_population(
        lad, _write_lookup(tmp_path / "lk.csv"), _forces_small(), verify_checksum=False, report=rep
    )
    assert out["population_persons"].sum() == 107 and rep["non_district_rows_excluded"] == {"K04000001": 1}
    lad2 = _write_lad(
        tmp_path / "lad2.csv", [("E07000150", "Corby", 2015, None), ("E07000205", "Suffolk Coastal", 2015, 7)]
    )
    with pytest.raises(ValueError, match="missing population"):
        build_force_population(lad2, _write_lookup(tmp_path / "lk.csv"), _forces_small(), verify_checksum=False)


# ---------------------------------------------------------------------------------------
# crime severity
# ---------------------------------------------------------------------------------------


@raw
def test_crime_severity_from_raw(forces):
    rep = {}
    out = build_force_crime_severity(RAW / CSS, forces, report=rep)
    assert list(out.columns) == ["force", "year_ending", "offence_group", "severity_score", "source_id"]
    assert not out.duplicated(["force", "year_ending", "offence_group"]).any()
    assert out["severity_score"].notna().all() and (out["severity_score"] >= 0).all()
    assert out["year_ending"].str.fullmatch(r"\d{4}-03-31").all()
    assert out.equals(out.sort_values(["force", "year_ending", "offence_group"]).reset_index(drop=True))
    n_groups, n_years = out["offence_group"].nunique(), out["year_ending"].nunique()
    # City of London is ':' (not published) throughout: its rows are dropped and counted, never set to 0.
    assert rep["rows_dropped_by_force"] == {"City of London": n_groups * n_years}
    assert rep["rows_pfa"] == 43 * n_groups * n_years
    assert len(out) == rep["rows"] == 42 * n_groups * n_years
    assert rep["duplicates"] == 0 and rep["not_published_markers_seen"] == [":"]


def test_crime_severity_markers_and_errors(tmp_path):
    def write(rows):
        p = tmp_path / "css.csv"
        pd.DataFrame(rows, columns=["offence_group", "code", "name", "year", "severity_score", "year_ending"]).to_csv(
            p, index=False
        )
        return p

    base = [
        ("Robbery", "E23000022", "Northamptonshire", "Apr '14 to \nMar '15", "1.5", "2015-03-31"),
        ("Robbery", "E23000025", "Suffolk", "Apr '14 to \nMar '15", ":", "2015-03-31"),
        ("Robbery", "E12000006", "East", "Apr '14 to \nMar '15", "2.0", "2015-03-31"),
    ]
    rep = {}
    out = build_force_crime_severity(write(base), _forces_small(), verify_checksum=False, report=rep)
    assert out[["force", "severity_score"]].values.tolist() == [["Northamptonshire", 1.5]]
    assert rep["rows_dropped_not_published"] == 1 and rep["rows_non_pfa_excluded_by_code_prefix"] == {"E12": 1}
    with pytest.raises(ValueError, match="unreadable"):
        build_force_crime_severity(
            write(base[:1] + [base[1][:4] + ("n/a", "2015-03-31")]), _forces_small(), verify_checksum=False
        )
    with pytest.raises(ValueError, match="repeated"):
        build_force_crime_severity(write(base + base[:1]), _forces_small(), verify_checksum=False)
    with pytest.raises(ValueError, match="E23000999"):
        build_force_crime_severity(
            write(base + [("Robbery", "E23000999", "X", "", "1", "2015-03-31")]), _forces_small(), verify_checksum=False
        )


# ---------------------------------------------------------------------------------------
# boundaries
# ---------------------------------------------------------------------------------------


@raw
def test_boundaries_from_raw(boundaries, forces, tmp_path):
    shapely = pytest.importorskip("shapely")
    from shapely.geometry import shape

    fc, rep = boundaries
    feats = fc["features"]
    assert len(feats) == 43 and rep["features"] == 43
    assert fc["attribution"] == bnd.ATTRIBUTION and fc["source_id"] == "popm-boundaries-ugc2016"
    assert [f["properties"]["force"] for f in feats] == sorted(forces["force"])
    area_col = next(c for c in ("area_km2_approx", "area_km2_approx_ugc_dec2016") if c in forces.columns)
    table_area = dict(zip(forces["force"], forces[area_col].astype(float)))
    for f in feats:
        g = shape(f["geometry"])
        assert g.is_valid and not g.is_empty and g.geom_type in ("Polygon", "MultiPolygon")
        assert f["properties"]["area_km2_approx"] == table_area[f["properties"]["force"]]
    assert rep["max_relative_area_change"] < 0.02

    p1 = bnd.write_geojson(fc, tmp_path / "a.geojson")
    size = p1.stat().st_size
    assert size < 150_000, size
    again = bnd.build_force_boundaries(RAW / GEOJSON, forces)
    p2 = bnd.write_geojson(again, tmp_path / "b.geojson")
    assert p1.read_bytes() == p2.read_bytes()  # deterministic
    back = bnd.read_force_boundaries(p1)
    assert back == json.loads(p1.read_text(encoding="utf-8")) and len(back["features"]) == 43
    assert bnd.write_geojson(back, tmp_path / "c.geojson").read_bytes() == p1.read_bytes()

    # shared borders survive simplification: the union has no slivers between forces
    union = shapely.union_all([shape(f["geometry"]) for f in feats])
    assert sum(len(p.interiors) for p in getattr(union, "geoms", [union])) == 0


@raw
def test_rocu_area_geometries_from_raw(boundaries):
    from shapely.geometry import shape

    fc, _ = boundaries
    membership = pd.read_csv(REFERENCE / "force_membership.csv", dtype=str)
    areas = bnd.rocu_area_geometries(fc, membership, as_at="2015-06-30")
    assert len(areas) == 10 and all(g.is_valid for g in areas.values())
    total_forces = sum(shape(f["geometry"]).area for f in fc["features"])
    assert abs(sum(g.area for g in areas.values()) / total_forces - 1) < 1e-6  # each force in exactly one ROCU
    with pytest.raises(ValueError, match="Kent"):
        bnd.rocu_area_geometries(fc, membership)  # Kent has two spells: a date is needed


def test_boundaries_tiny_coverage(tmp_path):
    def square(x0, code, name):
        return {
            "type": "Feature",
            "properties": {"PFA16CD": code, "PFA16NM": name, "Shape__Area": 1234567.0},
            "geometry": {"type": "Polygon", "coordinates": [[[x0, 0], [x0 + 1, 0], [x0 + 1, 1], [x0, 1], [x0, 0]]]},
        }

    src = tmp_path / "b.geojson"
    src.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [square(1, "E23000025", "Suffolk"), square(0, "E23000022", "Northamptonshire")],
            }
        )
    )
    fc = bnd.build_force_boundaries(src, _forces_small(), tolerance=0.01, verify_checksum=False)
    assert [f["properties"] for f in fc["features"]] == [
        {"force": "Northamptonshire", "ons_code": "E23000022", "area_km2_approx": 1.2},
        {"force": "Suffolk", "ons_code": "E23000025", "area_km2_approx": 1.2},
    ]
    m = pd.DataFrame({"force": ["Northamptonshire", "Suffolk"], "rocu_id": ["emsou", "ersou"]})
    assert sorted(bnd.rocu_area_geometries(fc, m)) == ["emsou", "ersou"]
    merged = bnd.rocu_area_geometries(fc, m.assign(rocu_id="x"))["x"]
    assert merged.geom_type == "Polygon" and abs(merged.area - 2) < 1e-9
    bad = json.loads(src.read_text())
    bad["features"].append(square(5, "E23000999", "Nowhere"))
    src.write_text(json.dumps(bad))
    with pytest.raises(ValueError, match="E23000999"):
        bnd.build_force_boundaries(src, _forces_small(), verify_checksum=False)


# ---------------------------------------------------------------------------------------
# forces table check
# ---------------------------------------------------------------------------------------


@raw
def test_forces_table_agrees_with_raw_files(forces, tmp_path):
    rep = {}
    mismatches = rederive_force_columns(RAW, forces, report=rep)
    assert mismatches.empty, mismatches.to_string()
    assert len(rep["compared"]) >= 7

    changed = forces.copy()
    col = next(c for c in ("population_census_2011_persons", "population_census_2011") if c in changed.columns)
    i = changed.index[changed["force"] == "Gwent"][0]
    changed.loc[i, col] = int(changed.loc[i, col]) + 1
    changed.loc[changed["force"] == "Metropolitan Police", "officers_fte_2015_03_31"] = float("nan")
    found = rederive_force_columns(RAW, changed, include_ods=False)
    assert set(zip(found["force"], found["column"])) == {
        ("Gwent", "population_census_2011_persons"),
        ("Metropolitan Police", "officers_fte_2015_03_31"),
    }


@raw
def test_forces_check_needs_the_recorded_file(forces, tmp_path):
    for name in (
        "resistancelab_force-demographics_census2011.csv",
        "popm_population-police-force_mid2001-2010_thousands.csv",
        "popm_population_data_MYE2018.csv",
        GEOJSON,
        "resistancelab_officer-fte_2015.csv",
    ):
        shutil.copy(RAW / name, tmp_path / name)
    with open(tmp_path / "popm_population_data_MYE2018.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")
    with pytest.raises(ChecksumError):
        rederive_force_columns(tmp_path, forces, include_ods=False)
