"""The ROCU map: one area per ROCU, highlight, labels, raw and built boundaries."""

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rocu_compare.figures import maps  # noqa: E402
from rocu_compare.figures.palette import FOCUS  # noqa: E402

pytest.importorskip("shapely")

REPO = Path(__file__).resolve().parents[2]
BUILT = REPO / "data" / "force_boundaries.geojson"
RAW = REPO.parent / "shared" / "reference" / "raw" / "popm_force_boundaries_ugc.geojson"


def square(x, y, size=1.0):
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def feature(props, coords):
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": coords}}


@pytest.fixture
def toy():
    """Four 1-degree forces in two ROCUs, plus a tiny force in a third ROCU."""
    fc = {
        "type": "FeatureCollection",
        "features": [
            feature({"force": "F1"}, square(-3, 52)),
            feature({"force": "F2"}, square(-2, 52)),
            feature({"force": "F3"}, square(-3, 53)),
            feature({"force": "F4"}, square(-2, 53)),
            feature({"force": "Tiny"}, square(-1, 52.5, 0.05)),
        ],
    }
    membership = pd.DataFrame(
        {"force": ["F1", "F2", "F3", "F4", "Tiny"], "rocu_id": ["south", "south", "north", "north", "city"]}
    )
    return fc, membership


def gids(fig, prefix):
    return [a for a in fig.findobj(lambda a: str(a.get_gid() or "").startswith(prefix))]


def test_one_area_per_rocu(toy):
    fc, membership = toy
    fig = maps.rocu_map(fc, membership, labels={"south": "South ROCU"})
    assert isinstance(fig.figure_, Figure)
    areas = gids(fig, "rocu:")
    assert sorted(a.get_gid() for a in areas) == ["rocu:city", "rocu:north", "rocu:south"]
    assert len(gids(fig, "force:")) == 5
    ax = fig.axes[0]
    assert not ax.axison
    assert ax.get_aspect() == pytest.approx(1 / math.cos(math.radians((52 + 54) / 2)))


def test_not_coloured_by_rocu_and_highlight(toy):
    fc, membership = toy
    plain = maps.rocu_map(fc, membership)
    assert {to_hex(a.get_facecolor()).upper() for a in gids(plain, "rocu:")} == {maps.AREA_FILL}
    fig = maps.rocu_map(fc, membership, highlight="north")
    colours = {a.get_gid(): to_hex(a.get_facecolor()).upper() for a in gids(fig, "rocu:")}
    assert colours["rocu:north"] == FOCUS
    assert colours["rocu:south"] == maps.AREA_FILL


def test_labels_inside_and_small_areas_outside_with_leader(toy):
    fc, membership = toy
    fig = maps.rocu_map(fc, membership, labels={"south": "South ROCU", "north": "North", "city": "City"})
    labels = {t.get_gid(): t for t in gids(fig, "label:")}
    assert labels["label:south"].get_text() == "South ROCU"
    x, y = labels["label:south"].get_position()
    assert -3 <= x <= -1 and 52 <= y <= 53
    city = labels["label:city"]
    assert city.arrow_patch is not None  # leader line
    assert city.xyann[0] > -0.95  # placed east of the map, outside the tiny area


def test_raw_ons_properties_are_matched(toy):
    fc, membership = toy
    raw = {
        "type": "FeatureCollection",
        "features": [
            feature({"PFA16CD": f"E2300000{i}", "PFA16NM": f"name {i}"}, f["geometry"]["coordinates"])
            for i, f in enumerate(fc["features"])
        ],
    }
    forces = pd.DataFrame({"force": ["F1", "F2", "F3", "F4", "Tiny"], "ons_code": [f"E2300000{i}" for i in range(5)]})
    fig = maps.rocu_map(raw, membership, forces=forces)
    assert len(gids(fig, "rocu:")) == 3


def test_errors(toy):
    fc, membership = toy
    with pytest.raises(ValueError, match="highlight"):
        maps.rocu_map(fc, membership, highlight="nowhere")
    extra = pd.concat([membership, pd.DataFrame({"force": ["Ghost"], "rocu_id": ["south"]})])
    with pytest.raises(ValueError, match="no boundary"):
        maps.rocu_map(fc, extra)


def test_rocu_areas_dissolves(toy):
    fc, membership = toy
    areas = maps.rocu_areas(fc, membership)
    assert list(areas) == ["city", "north", "south"]
    assert areas["south"].area == pytest.approx(2.0)
    assert areas["south"].geom_type == "Polygon"  # the shared border is gone


@pytest.mark.skipif(not BUILT.exists(), reason="data/force_boundaries.geojson not built")
def test_bundled_boundaries_give_ten_rocus():
    import rocu_compare as rc
    from etl.boundaries import read_force_boundaries

    ds = rc.load()
    fc = read_force_boundaries(BUILT)
    membership = ds.membership_at("2015-06-30")
    fig = maps.rocu_map(fc, membership, highlight="london")
    areas = gids(fig, "rocu:")
    assert len(areas) == membership["rocu_id"].astype(str).nunique() == 10
    london = [t for t in gids(fig, "label:") if t.get_gid() == "label:london"][0]
    assert london.arrow_patch is not None


@pytest.mark.raw
@pytest.mark.skipif(not RAW.exists(), reason="raw reference files absent")
def test_raw_boundaries_match_forces_by_code():
    import json

    import rocu_compare as rc

    ds = rc.load()
    with open(RAW, encoding="utf-8") as fh:
        fc = json.load(fh)
    fig = maps.rocu_map(fc, ds.membership_at("2015-06-30"), forces=ds.forces)
    assert len(gids(fig, "rocu:")) == 10


def test_a_force_in_no_unit_is_a_hatched_labelled_gap(toy):
    fc, membership = toy
    fig = maps.rocu_map(fc, membership[membership["force"] != "F4"])
    gap = gids(fig, "unplaced:")
    assert [a.get_gid() for a in gap] == ["unplaced:F4"]
    assert gap[0].get_hatch() and gap[0].get_linestyle() != "solid"
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["1 force in no unit in the data"]
    full = maps.rocu_map(fc, membership)
    assert gids(full, "unplaced:") == [] and full.axes[0].get_legend() is None
    quiet = maps.rocu_map(fc, membership[~membership["force"].isin(["F1", "F4"])], unplaced_label=None)
    assert len(gids(quiet, "unplaced:")) == 2 and quiet.axes[0].get_legend() is None
