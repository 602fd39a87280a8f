"""Charts behave like pandas/seaborn plots: draw on the caller's axes and return them,
or return a ChartDisplay that shows itself once in a notebook."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import rocu_compare as rc  # noqa: E402
from rocu_compare import figures  # noqa: E402
from rocu_compare.figures import ChartDisplay, as_figure, save_figure  # noqa: E402
from rocu_compare.figures.style import add_marking, add_title  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _distance(n=4):
    rng = np.random.default_rng(1)
    pts = rng.random((n, 2))
    d = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1))
    units = [f"u{i}" for i in range(n)]
    return pd.DataFrame(d / d.max(), index=units, columns=units)


# Each chart function with a small valid input, called with keyword options only.
CASES = {
    "ski_slope": lambda **kw: figures.ski_slope(pd.Series({"a": 2.0, "b": None}), reference=1.0, **kw),
    "stability_bars": lambda **kw: figures.stability_bars(
        pd.DataFrame({"unit": ["a", "b"], "share_same_peers": [0.5, 0.75]}), **kw
    ),
    "distance_heatmap": lambda **kw: figures.distance_heatmap(_distance(), **kw),
    "mds_map": lambda **kw: figures.mds_map(
        pd.DataFrame({"dim1": [0.0, 1.0, 0.5], "dim2": [0.0, 1.0, 0.2]}, index=["a", "b", "c"]), (0.5, 0.3), **kw
    ),
    "peers_table": lambda **kw: figures.peers_table(
        pd.DataFrame({"unit": ["a", "b"], "rank": [1, 1], "peer": ["b", "a"], "distance": [0.1, 0.1]}), **kw
    ),
    "presence_matrix": lambda **kw: figures.presence_matrix(
        pd.DataFrame({"cap": ["2004", "undated"]}, index=["a", "b"]), **kw
    ),
    "membership_mismatch": lambda **kw: figures.membership_mismatch(
        pd.DataFrame([[2, 1], [0, 3]], index=["r1", "r2"], columns=["c1", "c2"]), **kw
    ),
    "completeness_grid": lambda **kw: figures.completeness_grid(
        pd.DataFrame({"x": [True, False]}, index=["a", "b"]), **kw
    ),
    "timeline_chart": lambda **kw: figures.timeline_chart(
        pd.DataFrame({"unit": ["a"], "start": [2001], "end": [None], "label": ["founded"]}),
        pd.DataFrame({"unit": ["a"], "date": ["2009"], "kind": ["funding"], "label": ["x"]}),
        **kw,
    ),
    "funding_series": lambda **kw: figures.funding_series(
        pd.DataFrame({"measure": ["m", "m"], "year": ["2015-16", "2016-17"], "value": [10.0, 12.0]}), **kw
    ),
    "grade_scatter": lambda **kw: figures.grade_scatter(
        pd.DataFrame(
            {
                "unit": ["a", "b"],
                "x": [2.0, 5.0],
                "x_min": [1.0, 5.0],
                "x_max": [3.0, 5.0],
                "grade_code": [0, 1],
                "grade_label": ["low", "high"],
            }
        ),
        ["low", "high"],
        **kw,
    ),
    "rocu_map": lambda **kw: figures.rocu_map(rc.load().membership_at("2015-06-30"), **kw),
}


def test_every_public_chart_function_has_a_case():
    charts = {
        "completeness_grid",
        "distance_heatmap",
        "funding_series",
        "grade_scatter",
        "mds_map",
        "membership_mismatch",
        "peers_table",
        "presence_matrix",
        "rocu_map",
        "ski_slope",
        "stability_bars",
        "timeline_chart",
    }
    exported = {n for n in figures.__all__ if callable(getattr(figures, n)) and n[0].islower()}
    exported -= {
        "add_marking",
        "add_title",
        "as_figure",
        "house_style",
        "save_figure",
        "sequential_cmap",
        "write_sidecar",
    }
    assert exported == charts == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_given_ax_draws_there_and_returns_it(name):
    fig = Figure()
    ax = fig.add_subplot()
    before = len(ax.get_children())
    out = CASES[name](ax=ax)
    assert out is ax
    assert fig.axes[0] is ax  # drew on the caller's figure (a colour bar may join it) ...
    assert len(ax.get_children()) > before  # ... and on the caller's axes


@pytest.mark.parametrize("name", sorted(CASES))
def test_without_ax_returns_a_display_that_renders_once(name):
    import matplotlib.pyplot as plt

    open_before = plt.get_fignums()
    disp = CASES[name]()
    assert isinstance(disp, ChartDisplay)
    assert isinstance(disp.figure_, Figure) and isinstance(disp.ax_, Axes)
    assert disp.ax_.figure is disp.figure_
    png = disp._repr_png_()
    assert png.startswith(PNG_MAGIC) and len(png) > 1000
    assert plt.get_fignums() == open_before  # nothing left in pyplot for the inline backend to show again
    assert disp._repr_html_() is None  # no alt text: the notebook shows the PNG


def test_display_passes_figure_attributes_through(tmp_path):
    disp = CASES["ski_slope"]()
    fig = disp.figure_
    assert disp.axes == fig.axes and disp.texts is fig.texts
    assert disp.get_layout_engine() is fig.get_layout_engine()
    disp.set_size_inches(5, 3)
    assert tuple(fig.get_size_inches()) == (5.0, 3.0)
    t = disp.text(0.1, 0.1, "note")
    assert t in fig.texts
    assert as_figure(disp) is fig and as_figure(fig) is fig
    with pytest.raises(AttributeError):
        _ = disp.no_such_attribute


def test_style_helpers_accept_a_display_or_its_figure(tmp_path):
    from rocu_compare.figures import FigureMeta

    disp = CASES["ski_slope"]()
    add_title(disp, "Title", "Sub")
    add_marking(disp, "OFFICIAL")
    gids = [t.get_gid() for t in disp.figure_.texts]
    assert gids.count("embedded-title") == 1 and gids.count("protective-marking") == 1
    written = save_figure(disp, tmp_path / "a", formats=("png",), meta=FigureMeta(key="a", title="t"))
    again = save_figure(disp.figure_, tmp_path / "b", formats=("png",))
    assert written[0].read_bytes() == again[0].read_bytes()


def test_display_with_alt_text_gives_an_img_with_alt():
    disp = ChartDisplay(CASES["ski_slope"]().figure_, alt_text='Bars "a" & b')
    html = disp._repr_html_()
    assert html.startswith('<img src="data:image/png;base64,')
    assert 'alt="Bars &quot;a&quot; &amp; b"' in html
    bundle = disp.mimebundle()
    assert set(bundle) == {"image/png", "text/html"} and bundle["image/png"] in bundle["text/html"]


def test_repr_is_short():
    r = repr(CASES["ski_slope"]())
    assert r.startswith("<ChartDisplay: 1 axes,") and len(r) < 60


def test_charts_name_rocus_by_display_name_by_default():
    s = pd.Series({"nersou": 1.0, "tarian": 2.0, "not-a-rocu": 3.0})
    names = [t.get_text() for t in figures.ski_slope(s).ax_.get_yticklabels()]
    assert names == ["not-a-rocu", "Tarian", "NERSOU"]
    raw = [t.get_text() for t in figures.ski_slope(s, labels={}).ax_.get_yticklabels()]
    assert raw == ["not-a-rocu", "tarian", "nersou"]


def test_ski_slope_from_data_and_column():
    t = pd.DataFrame({"id": ["a", "b"], "v": [1.0, 3.0]})
    by_col = figures.ski_slope(data=t, column="v", unit="id").ax_
    assert [x.get_text() for x in by_col.get_yticklabels()] == ["b", "a"]
    assert sorted(b.get_width() for b in by_col.containers[0]) == [1.0, 3.0]
    with pytest.raises(ValueError, match="column"):
        figures.ski_slope(data=t, column="nope")
    with pytest.raises(ValueError, match="not both"):
        figures.ski_slope(t["v"], data=t, column="v")


def test_charts_take_the_library_results():
    from rocu_compare.compare.analysis import compare_rocus

    c = compare_rocus(rc.load(), n_draws=3)
    heat = figures.distance_heatmap(c)
    assert [a.get_gid() for a in heat.ax_.child_axes] == ["dendrogram"]  # the comparison's clustering
    assert [t.get_text() for t in heat.ax_.get_xticklabels()] == [rc.labels.rocu_label(u) for u in c.cluster.order]
    mds = figures.mds_map(c.mds)
    assert mds.ax_.get_xlabel() == f"Dimension 1 ({100 * c.mds.variance_explained.iloc[0]:.0f}% of variance)"
    assert figures.mds_map(c).ax_.get_xlabel() == mds.ax_.get_xlabel()
    assert len(figures.peers_table(c).ax_.tables) == 1
    grid = figures.completeness_grid(c.profiles)
    assert len(grid.ax_.get_yticklabels()) == len(c.profiles.frame)
    bars = figures.stability_bars(c.robustness)
    assert len(bars.ax_.get_yticklabels()) == len(c.robustness.peer_stability)


def test_heatmap_on_callers_axes_keeps_the_colour_bar_clear_of_the_labels():
    fig = Figure(figsize=(6, 6))
    ax = fig.add_subplot()
    figures.distance_heatmap(_distance(6), ax=ax)
    fig.draw_without_rendering()
    bar = [a for a in fig.axes if a is not ax][0]
    labels = [t.get_window_extent() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    bar_box = bar.get_window_extent()
    assert not any(b.overlaps(bar_box) for b in labels)


def test_rocu_map_finds_the_bundled_boundaries_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    disp = figures.rocu_map(rc.load().membership_at("2015-06-30"))
    labels = sorted(t.get_text() for t in disp.ax_.texts)
    assert labels == sorted(rc.labels.ROCU_LABELS.values())


def test_rocu_map_needs_the_membership():
    with pytest.raises(ValueError, match="membership"):
        figures.rocu_map()
