"""Generic chart primitives: structure of what is drawn, gaps shown as gaps."""

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from rocu_compare.figures import charts  # noqa: E402
from rocu_compare.figures.palette import FOCUS, FOCUS_GREY  # noqa: E402


def texts(fig):
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def by_gid(fig, gid):
    return [a for a in fig.findobj(lambda a: a.get_gid() == gid)]


def hexes(colours):
    return [to_hex(c, keep_alpha=False).upper() for c in colours]


def assert_no_titles(fig):
    assert all(not ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right"))


# -- ski slope -----------------------------------------------------------------------
@pytest.fixture
def slope_values():
    return pd.Series({"a": 120.0, "b": 90.5, "c": pd.NA, "d": 200.0, "e": None}, dtype="Float64")


def test_ski_slope_bars_only_for_published_values(slope_values):
    fig = charts.ski_slope(slope_values, reference=100, value_label="Officers per 100,000")
    assert isinstance(fig.figure_, Figure)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    bars = ax.containers[0]
    assert len(bars) == 3
    assert sorted(round(b.get_width(), 3) for b in bars) == [90.5, 120.0, 200.0]
    assert len(by_gid(fig, "missing-slot")) == 2
    assert texts(fig).count("not published") == 2
    assert_no_titles(fig)


def test_ski_slope_sorted_largest_at_top(slope_values):
    fig = charts.ski_slope(slope_values, labels={"a": "Alpha", "d": "Delta"})
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # Largest first (top, the y axis is inverted), then the missing units.
    assert labels == ["Delta", "Alpha", "b", "c", "e"]
    assert ax.yaxis_inverted()


def test_ski_slope_reference_line_and_value_labels(slope_values):
    fig = charts.ski_slope(slope_values, reference=100, reference_label="England and Wales", fmt="{:,.1f}")
    assert len(by_gid(fig, "reference-line")) == 1
    line = by_gid(fig, "reference-line")[0]
    assert set(line.get_xdata()) == {100}
    assert "England and Wales: 100.0" in texts(fig)
    for label in ("200.0", "120.0", "90.5"):
        assert label in texts(fig)


def test_ski_slope_value_labels_are_not_clipped():
    values = pd.Series({"a": 1_234_567.0, "b": 1_000_000.0, "c": 10.0})
    fig = charts.ski_slope(values, reference=1_200_000, fmt="{:,.0f}")
    fig.draw_without_rendering()
    ax = fig.axes[0]
    box = ax.get_window_extent()
    for t in by_gid(fig, "value-label") + by_gid(fig, "reference-label"):
        ext = t.get_window_extent()
        assert box.x0 - 1 <= ext.x0 and ext.x1 <= box.x1 + 1, t.get_text()


def test_ski_slope_highlight_colours(slope_values):
    fig = charts.ski_slope(slope_values, highlight="a")
    bars = fig.axes[0].containers[0]
    colours = hexes(b.get_facecolor() for b in bars)
    assert colours.count(FOCUS) == 1 and colours.count(FOCUS_GREY) == 2
    bold = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["a"]


def test_ski_slope_without_highlight_is_all_dark_blue(slope_values):
    fig = charts.ski_slope(slope_values)
    assert set(hexes(b.get_facecolor() for b in fig.axes[0].containers[0])) == {FOCUS}


def test_ski_slope_custom_missing_label_and_bad_highlight(slope_values):
    fig = charts.ski_slope(slope_values, missing_label="not collected")
    assert texts(fig).count("not collected") == 2
    with pytest.raises(ValueError, match="highlight"):
        charts.ski_slope(slope_values, highlight="zz")


def test_ski_slope_all_missing_draws_no_bars():
    fig = charts.ski_slope(pd.Series({"a": np.nan, "b": np.nan}))
    assert len(fig.axes[0].containers[0]) == 0
    assert len(by_gid(fig, "missing-slot")) == 2


def test_ski_slope_draws_on_given_axes_and_keeps_rcparams(slope_values):
    before = dict(mpl.rcParams)
    fig = Figure()
    ax = fig.add_subplot()
    out = charts.ski_slope(slope_values, ax=ax)
    assert out is ax and len(fig.axes) == 1
    assert dict(mpl.rcParams) == before


# -- stability bars ------------------------------------------------------------------
def test_stability_bars():
    table = pd.DataFrame({"name": ["A", "B", "C"], "share": [0.9, np.nan, 0.25]})
    fig = charts.stability_bars(table, "share", "name", "Share with the same nearest peer")
    ax = fig.axes[0]
    assert len(ax.containers[0]) == 2
    assert {"90%", "25%", "not available"} <= set(texts(fig))
    assert ax.get_xlim()[0] == 0 and ax.get_xlim()[1] >= 1
    assert ax.get_xlabel() == "Share with the same nearest peer"


def test_stability_bars_rejects_values_outside_0_1():
    with pytest.raises(ValueError, match="between 0 and 1"):
        charts.stability_bars(pd.DataFrame({"n": ["A"], "v": [1.5]}), "v", "n")


# -- distance heatmap ----------------------------------------------------------------
def _distance(n=5, seed=0):
    rng = np.random.default_rng(seed)
    pts = rng.uniform(size=(n, 2))
    d = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1))
    d = d / d.max()
    units = [f"u{i}" for i in range(n)]
    return pd.DataFrame(d, index=units, columns=units)


def test_distance_heatmap_with_dendrogram():
    from scipy.cluster.hierarchy import dendrogram, linkage
    from scipy.spatial.distance import squareform

    d = _distance()
    z = linkage(squareform(d.to_numpy(), checks=False), method="average")
    fig = charts.distance_heatmap(d, linkage=z)
    assert isinstance(fig.figure_, Figure)
    assert len(fig.axes) == 2  # heatmap and colour bar ...
    heat = fig.axes[0]
    assert [a.get_gid() for a in heat.child_axes] == ["dendrogram"]  # ... with the dendrogram on top
    assert len(heat.child_axes[0].collections) > 0
    leaves = [d.index[i] for i in dendrogram(z, no_plot=True)["leaves"]]
    assert [t.get_text() for t in heat.get_xticklabels()] == leaves
    assert [t.get_text() for t in heat.get_yticklabels()] == leaves
    assert len(by_gid(fig, "cell-value")) == 25
    assert "0.00" in texts(fig)
    assert charts.GOWER_LABEL in texts(fig)
    assert_no_titles(fig)


def test_distance_heatmap_accepts_a_cluster_result():
    pytest.importorskip("rocu_compare.compare")
    from rocu_compare.compare import cluster

    d = _distance(6)
    res = cluster(d)
    fig = charts.distance_heatmap(d, linkage=res)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [str(u) for u in res.order]


def test_distance_heatmap_nan_cells_are_marked():
    d = _distance()
    d.loc["u0", "u3"] = d.loc["u3", "u0"] = np.nan
    fig = charts.distance_heatmap(d, labels={"u0": "Zero"})
    assert len(by_gid(fig, "missing-cell")) == 2
    assert texts(fig).count("n/a") == 2
    assert fig.axes[0].child_axes == []  # no linkage: no dendrogram
    assert "Zero" in texts(fig)


def test_distance_heatmap_annotates_only_small_matrices():
    fig = charts.distance_heatmap(_distance(13))
    assert by_gid(fig, "cell-value") == []


def test_distance_heatmap_rejects_bad_input():
    d = _distance()
    with pytest.raises(ValueError, match="square"):
        charts.distance_heatmap(d.iloc[:, :3])
    with pytest.raises(ValueError, match="order"):
        charts.distance_heatmap(d, order=["u0", "u1"])


# -- MDS map -------------------------------------------------------------------------
def test_mds_map_labels_and_axes():
    coords = pd.DataFrame(
        {"dim1": [0.0, 0.01, 0.02, 0.5, -0.4], "dim2": [0.0, 0.005, -0.01, 0.2, 0.1]}, index=["a", "b", "c", "d", "e"]
    )
    fig = charts.mds_map(coords, (0.604, 0.2), labels={"a": "Alpha unit"}, highlight="d")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Dimension 1 (60% of variance)"
    assert ax.get_ylabel() == "Dimension 2 (20% of variance)"
    assert ax.get_aspect() == 1.0
    labels = by_gid(fig, "point-label")
    assert sorted(t.get_text() for t in labels) == ["Alpha unit", "b", "c", "d", "e"]
    fig.draw_without_rendering()
    boxes = [t.get_window_extent() for t in labels]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (labels[i].get_text(), labels[j].get_text())
    points = by_gid(fig, "points")[0]
    assert hexes(points.get_facecolors()).count(FOCUS) == 1


def test_mds_map_is_deterministic():
    coords = pd.DataFrame({"dim1": [0.0, 0.01, 0.02], "dim2": [0.0, 0.0, 0.01]}, index=list("abc"))
    pos = []
    for _ in range(2):
        fig = charts.mds_map(coords, [40.0, 30.0])
        pos.append([(t.get_text(), t.xyann) for t in by_gid(fig, "point-label")])
    assert pos[0] == pos[1]
    assert fig.axes[0].get_xlabel() == "Dimension 1 (40% of variance)"


def test_mds_map_needs_dimensions():
    with pytest.raises(ValueError, match="dim1"):
        charts.mds_map(pd.DataFrame({"x": [1.0]}), (0.5, 0.2))


# -- peers table ---------------------------------------------------------------------
def test_peers_table():
    peers = pd.DataFrame(
        {
            "unit": ["a", "a", "b", "b"],
            "rank": [1, 2, 1, 2],
            "peer": ["b", "c", "a", "c"],
            "distance": [0.12, 0.3, 0.12, np.nan],
        }
    )
    fig = charts.peers_table(peers, labels={"a": "Alpha"})
    (table,) = by_gid(fig, "peers-table")
    ts = [cell.get_text().get_text() for cell in table.get_celld().values()]
    assert "Nearest peer (distance)" in ts and "2nd nearest (distance)" in ts
    assert "b  (0.12)" in ts and "Alpha  (0.12)" in ts and "c  (n/a)" in ts
    assert "Alpha" in ts
    assert len(ts) == 3 * 3  # header + 2 units, unit + 2 ranks


# -- presence matrix -----------------------------------------------------------------
def test_presence_matrix():
    m = pd.DataFrame(
        {
            "Regional Intelligence Unit": ["2004", "", "undated"],
            "A capability with a very long name indeed": [None, "2012", ""],
        },
        index=["x", "y", "z"],
    )
    fig = charts.presence_matrix(m, labels={"x": "Unit X"})
    assert len(by_gid(fig, "cell-dated")) == 2
    assert len(by_gid(fig, "cell-undated")) == 1
    assert len(by_gid(fig, "cell-none")) == 3
    year = [t for t in by_gid(fig, "cell-dated-text") if t.get_text() == "2004"][0]
    assert to_hex(year.get_color()).upper() == "#FFFFFF"
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("not evidence of absence" in t for t in legend)
    assert "Unit X" in texts(fig)


def test_presence_matrix_column_labels_sit_above_the_grid():
    m = pd.DataFrame({"Government Agency Intelligence Network (GAIN)": ["2004"], "b": [""]}, index=["x"])
    fig = charts.presence_matrix(m)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    top = ax.get_window_extent().y1
    for t in ax.get_xticklabels():
        assert t.get_window_extent().y0 >= top - 1, t.get_text()


# -- membership mismatch -------------------------------------------------------------
def test_membership_mismatch():
    m = pd.DataFrame([[3, 0, 0], [0, 5, 1], [0, 1, 3]], index=["North", "South", "Wales"], columns=["n", "s", "w"])
    fig = charts.membership_mismatch(m)
    aligned = by_gid(fig, "cell-aligned")
    misaligned = by_gid(fig, "cell-misaligned")
    assert len(aligned) == 3 and len(misaligned) == 2
    assert {hexes([p.get_facecolor()])[0] for p in misaligned} == {"#F46A25"}
    assert {hexes([p.get_facecolor()])[0] for p in aligned} == {FOCUS}
    assert sorted(t.get_text() for t in by_gid(fig, "cell-misaligned-text")) == ["1", "1"]


def test_membership_mismatch_explicit_alignment():
    m = pd.DataFrame([[2, 1]], index=["Wales"], columns=["nw", "tarian"])
    fig = charts.membership_mismatch(m, aligned={"Wales": "tarian"})
    assert [t.get_text() for t in by_gid(fig, "cell-misaligned-text")] == ["2"]


# -- completeness grid ---------------------------------------------------------------
def test_completeness_grid():
    cov = pd.DataFrame({"population": [True, False], "officers": [True, np.nan]}, index=["a", "b"])
    fig = charts.completeness_grid(cov)
    assert len(by_gid(fig, "cell-published")) == 2
    assert len(by_gid(fig, "cell-not-published")) == 2
    marks = [t.get_text() for t in by_gid(fig, "cell-published-text")]
    gaps = [t.get_text() for t in by_gid(fig, "cell-not-published-text")]
    assert set(marks) == {"\u2713"} and set(gaps) == {"\u2013"}
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(t.endswith(" published") and "not" not in t for t in legend)
    assert any(t.endswith("not published") for t in legend)


# -- timeline ------------------------------------------------------------------------
def test_timeline_chart():
    ranges = pd.DataFrame(
        {"unit": ["a", "b"], "start": [2001, "2013-10"], "end": [2002, None], "label": ["founded", "founded"]}
    )
    events = pd.DataFrame(
        {
            "unit": ["a", "a", "b", "c"],
            "date": ["2009", "2009-06", "2015-03-31", "2020"],
            "kind": ["funding", "inspection", "funding", "inspection"],
            "label": ["x", "y", "z", "w"],
        }
    )
    fig = charts.timeline_chart(ranges, events, kinds_order=["funding", "inspection"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    bar = by_gid(fig, "range-bar")
    assert len(bar) == 1
    assert bar[0].get_x() == pytest.approx(2001) and bar[0].get_x() + bar[0].get_width() == pytest.approx(2003)
    assert len(by_gid(fig, "range-point")) == 1
    assert len(by_gid(fig, "event:funding")) == 2 and len(by_gid(fig, "event:inspection")) == 2
    markers = {by_gid(fig, "event:funding")[0].get_marker(), by_gid(fig, "event:inspection")[0].get_marker()}
    assert len(markers) == 2  # shape, not only colour
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["founded", "Funding", "Inspection"]
    fig.draw_without_rendering()
    assert legend.get_window_extent().y1 <= ax.get_window_extent().y0  # below the plot


def test_timeline_chart_refuses_seven_kinds():
    events = pd.DataFrame(
        {"unit": ["a"] * 7, "date": list(range(2000, 2007)), "kind": [f"k{i}" for i in range(7)], "label": [""] * 7}
    )
    ranges = pd.DataFrame(columns=["unit", "start", "end", "label"])
    with pytest.raises(ValueError):
        charts.timeline_chart(ranges, events)


# -- funding series ------------------------------------------------------------------
def test_funding_series_points_and_labels():
    s = pd.DataFrame(
        {
            "measure": ["total", "total", "core", "core", "grant"],
            "year": ["2015-16", "2016-17", "2014-15", "2017-18", "2015-16"],
            "value": [101, 119, 87.4, np.nan, 20],
            "qualifier": ["just over", "just under", None, None, "around"],
            "period_text": [None, None, None, None, "per year, 2015-16 to 2018-19"],
        }
    )
    fig = charts.funding_series(s, labels={"total": "Total ROCU funding"})
    ax = fig.axes[0]
    ts = texts(fig)
    assert "just over £101m" in ts and "just under £119m" in ts and "£87.4m" in ts
    assert "around £20m\n(per year, 2015-16 to 2018-19)" in ts
    assert "core: not published" in ts
    series = [ln for ln in ax.get_lines() if str(ln.get_gid()).startswith("measure:")]
    assert len(series) == 3
    assert all(ln.get_linestyle() == "None" for ln in series)  # points, never a joining line
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2014-15", "2015-16", "2016-17", "2017-18"]
    assert ax.get_xlabel() == "Financial year"
    assert "Total ROCU funding" in [t.get_text() for t in ax.get_legend().get_texts()]


# -- grade scatter -------------------------------------------------------------------
def test_grade_scatter():
    grades = ["inadequate", "requires improvement", "good", "outstanding"]
    t = pd.DataFrame(
        {
            "unit": ["a", "b", "c", "d"],
            "x": [3.0, 8.0, 12.0, np.nan],
            "x_min": [2.0, 8.0, 11.0, np.nan],
            "x_max": [4.0, 9.0, 12.0, np.nan],
            "grade_code": [1, 2, 2, 1],
            "grade_label": ["requires improvement", "good", "good", "requires improvement"],
        }
    )
    fig = charts.grade_scatter(t, grades, annotation="Spearman rho = 0.50, p = 0.67, n = 3")
    ax = fig.axes[0]
    assert [x.get_text() for x in ax.get_yticklabels()] == grades
    offsets = by_gid(fig, "points")[0].get_offsets()
    assert sorted(map(tuple, np.asarray(offsets))) == [(3.0, 1.0), (8.0, 2.0), (12.0, 2.0)]
    note = by_gid(fig, "annotation")[0].get_text()
    assert "Spearman rho = 0.50" in note and "d" in note.splitlines()[1]
    assert sorted(x.get_text() for x in by_gid(fig, "point-label")) == ["a", "b", "c"]


def test_every_chart_returns_a_figure_without_title():
    d = _distance(4)
    figs = [
        charts.ski_slope(pd.Series({"a": 1.0})),
        charts.distance_heatmap(d),
        charts.mds_map(pd.DataFrame({"dim1": [0.0, 1.0], "dim2": [0.0, 1.0]}, index=["a", "b"]), (0.5, 0.5)),
        charts.completeness_grid(pd.DataFrame({"x": [True]}, index=["a"])),
    ]
    for fig in figs:
        assert isinstance(fig.figure_, Figure)
        assert_no_titles(fig)


def test_ski_slope_negative_values_are_not_clipped():
    fig = charts.ski_slope(pd.Series({"a": -50.0, "b": 20.0, "c": 5.0}), fmt="{:+,.0f}")
    fig.draw_without_rendering()
    ax = fig.axes[0]
    box = ax.get_window_extent()
    for t in by_gid(fig, "value-label"):
        ext = t.get_window_extent()
        assert box.x0 - 1 <= ext.x0 and ext.x1 <= box.x1 + 1, t.get_text()
