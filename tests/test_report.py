"""The report: every figure as PNG + SVG + sidecar, byte-identical across runs, and an index."""

from __future__ import annotations

import json
import re

import pytest

from rocu_compare.report import FIGURES, run_report

pytestmark = pytest.mark.report

REQUIRED = {
    "map_rocu_areas_2015",
    "ski_officers_per_100k",
    "distance_heatmap",
    "mds_map",
    "nearest_peers",
    "robustness_peers",
    "capability_evidence",
    "development_timeline",
    "national_funding",
    "maturity_vs_grade",
    "membership_mismatch",
    "data_completeness",
}


@pytest.fixture
def two_runs(report_runs):
    """The session's report (conftest.report_runs): built once per test run, not once per module."""
    return report_runs.a, report_runs.b


def _written(folder) -> list[str]:
    """The figures a run wrote (the catalogue entries that apply to its data)."""
    return [m["key"] for m in json.loads((folder / "figures.json").read_text())]


def test_catalogue_covers_the_issue():
    assert REQUIRED <= set(FIGURES)


def test_every_figure_has_png_svg_and_sidecar(two_runs):
    a, _ = two_runs
    assert REQUIRED <= set(_written(a))
    for key in _written(a):
        for ext in ("png", "svg", "json"):
            assert (a / "figures" / f"{key}.{ext}").exists(), (key, ext)
        meta = json.loads((a / "figures" / f"{key}.json").read_text())
        for field in ("title", "subtitle", "alt_text", "source_line"):
            assert meta[field].strip(), (key, field)
        assert meta["source_line"].strip(), key


def test_png_resolution_at_least_200_dpi(two_runs):
    from PIL import Image

    a, _ = two_runs
    for key in _written(a):
        with Image.open(a / "figures" / f"{key}.png") as im:
            dpi = im.info.get("dpi", (0, 0))[0]
            assert round(dpi) >= 200, key


def test_byte_identical_across_runs(report_runs):
    a, b = report_runs.a, report_runs.wait()
    assert _written(a) == _written(b)
    for key in _written(a):
        for ext in ("png", "svg", "json"):
            assert (a / "figures" / f"{key}.{ext}").read_bytes() == (b / "figures" / f"{key}.{ext}").read_bytes(), (
                key,
                ext,
            )
    # a ran the notebooks and b did not: apart from the list of notebooks the pages are the same
    notebooks = re.compile(r"<h2>Notebooks</h2><ul>.*?</ul>", re.S)
    page_a, page_b = ((x / "index.html").read_text(encoding="utf-8") for x in (a, b))
    assert notebooks.sub("", page_a) == notebooks.sub("", page_b)
    listed = notebooks.search(page_a).group(0)
    assert listed.count('<li><a href="notebooks/') == 7 and "failed" not in listed
    assert "(not executed in this run)" in notebooks.search(page_b).group(0)


def test_index_lists_every_figure_with_alt_text(two_runs):
    a, _ = two_runs
    page = (a / "index.html").read_text()
    for key in _written(a):
        assert f'src="figures/{key}.png" alt="' in page


def test_no_title_embedded_in_images(two_runs):
    a, _ = two_runs
    meta = json.loads((a / "figures" / "distance_heatmap.json").read_text())
    svg = (a / "figures" / "distance_heatmap.svg").read_text()
    assert meta["title"] not in svg


def test_report_on_analyst_data(tmp_path, data_copy):
    out = run_report(tmp_path / "r", data=data_copy, notebooks=False, keys=["ski_officers_per_100k", "mds_map"])
    assert out["figures"] == ["ski_officers_per_100k", "mds_map"]
    assert (tmp_path / "r" / "figures" / "mds_map.png").exists()


def test_south_west_capability_count_is_drawn_and_others_are_gaps(ds):
    from matplotlib.patches import Rectangle

    from rocu_compare.report import build_context, make_figure

    fig, meta = make_figure("ski_capabilities_delivered", build_context(ds))
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_fill() and p.get_width() > 0]
    assert [round(b.get_width()) for b in bars] == [13 - 3]  # 13 capabilities (HMIC) - 3 not delivered (PCC)
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("not published") == 9
    assert "SWROCU 10" in meta.alt_text
