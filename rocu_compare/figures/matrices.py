"""Matrices of cells: the distance heatmap and the presence, membership and completeness grids.

Every cell state reads apart without colour too (text, outline, hatching); an empty or
unpublished cell is drawn as such, never as a zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from . import palette
from .palette import FOCUS, MISSING
from .primitives import (
    _GRID_GREY,
    _LIGHT_BLUE,
    _ORANGE,
    _TEXT_GREY,
    GOWER_LABEL,
    _fig_ax,
    _namer,
    _result,
    _text_on,
    _wrap,
    sequential_cmap,
)
from .style import house_style

__all__ = ["completeness_grid", "distance_heatmap", "membership_mismatch", "presence_matrix"]


def distance_heatmap(
    distance,
    linkage=None,
    *,
    order: Sequence | None = None,
    labels: Mapping | None = None,
    cmap=None,
    vmin: float = 0.0,
    vmax: float = 1.0,
    colorbar_label: str = GOWER_LABEL,
    annotate: bool | None = None,
    missing_label: str = "n/a",
    ax=None,
):
    """Distance matrix as a heatmap, ordered by clustering, with the dendrogram on top.

    Parameters
    ----------
    distance : DataFrame or Comparison
        Square, symmetric, same labels in index and columns. NaN cells (distance
        undefined) are hatched grey and marked ``missing_label``. A
        :class:`~rocu_compare.compare.Comparison` draws its distances with its
        clustering (``linkage`` defaults to ``comparison.cluster``).
    linkage : ndarray, ClusterResult or None
        A scipy linkage matrix for the units in the order of ``distance`` (or a
        :class:`rocu_compare.compare.ClusterResult`). When given, the dendrogram is
        drawn above the heatmap and the heatmap follows its leaf order.
    order : sequence, optional
        Row/column order when no linkage is given. With a linkage it must equal the
        dendrogram leaf order.
    labels : dict, optional
        Display name per unit.
    cmap : Colormap, optional
        Defaults to :func:`sequential_cmap`: dark blue for identical units fading to
        pale blue for the most different.
    vmin, vmax : float
        Colour scale limits (Gower distances lie in 0–1).
    colorbar_label : str
    annotate : bool, optional
        Write each value (2 dp) in its cell; default when there are at most 12 units.
    missing_label : str
    ax : Axes, optional

    Returns
    -------
    Axes or ChartDisplay
        ``ax`` when given (drawn on); else a :class:`~rocu_compare.figures.display.ChartDisplay`
        of a new figure (``.figure_``, ``.ax_``; shows itself once in a notebook).
    """
    if not isinstance(distance, pd.DataFrame) and hasattr(distance, "cluster"):  # a Comparison
        linkage = distance.cluster if linkage is None else linkage
        distance = distance.distance
    d = pd.DataFrame(distance)
    if d.shape[0] != d.shape[1] or not d.index.equals(d.columns):
        raise ValueError("distance must be square with the same labels in its index and columns")
    name = _namer(labels)
    z = None
    if linkage is not None:
        if hasattr(linkage, "linkage"):
            z = np.asarray(linkage.linkage, float)
            if list(getattr(linkage, "units", d.index)) != list(d.index):
                d = d.loc[list(linkage.units), list(linkage.units)]
        else:
            z = np.asarray(linkage, float)
        if z.shape != (len(d) - 1, 4):
            raise ValueError(f"linkage has shape {z.shape}; expected {(len(d) - 1, 4)} for {len(d)} units")
        from scipy.cluster.hierarchy import dendrogram

        leaves = dendrogram(z, no_plot=True)["leaves"]
        leaf_order = [d.index[i] for i in leaves]
        if order is not None and list(order) != leaf_order:
            raise ValueError("order must match the dendrogram leaf order when a linkage is given")
        order = leaf_order
    order = list(d.index) if order is None else list(order)
    if sorted(map(str, order)) != sorted(map(str, d.index)):
        raise ValueError("order must list every unit of the distance matrix exactly once")
    d = d.loc[order, order]
    n = len(d)
    annotate = (n <= 12) if annotate is None else annotate
    cmap = sequential_cmap() if cmap is None else mpl.colormaps.get_cmap(cmap) if isinstance(cmap, str) else cmap
    cmap = cmap.with_extremes(bad=MISSING["fill_grey"])
    arr = d.to_numpy(dtype=float, na_value=np.nan)

    with house_style():
        side = max(4.0, 0.55 * n + 2.2)
        given_ax = ax
        fig, ax = _fig_ax(ax, (side + 0.6, side + (1.6 if z is not None else 0.6)))
        im = ax.imshow(
            np.ma.masked_invalid(arr), cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest", aspect="equal"
        )
        im.set_gid("heatmap")
        ax.grid(False)
        for s in ax.spines.values():
            s.set_visible(False)
        ax.set_xticks(range(n), [name(u) for u in order], rotation=45, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(n), [name(u) for u in order])
        ax.tick_params(length=0)
        fs = 9 if n <= 8 else 8
        for i in range(n):
            for j in range(n):
                val = arr[i, j]
                if np.isnan(val):
                    ax.add_patch(
                        Rectangle(
                            (j - 0.5, i - 0.5),
                            1,
                            1,
                            facecolor=MISSING["fill_grey"],
                            hatch=MISSING["hatch"],
                            edgecolor=MISSING["edgecolor"],
                            linewidth=0,
                            gid="missing-cell",
                        )
                    )
                    ax.text(
                        j,
                        i,
                        missing_label,
                        ha="center",
                        va="center",
                        fontsize=fs,
                        color=MISSING["text_color"],
                        fontstyle="italic",
                        gid="missing-label",
                        bbox=dict(boxstyle="square,pad=0.1", facecolor=MISSING["fill_grey"], linewidth=0),
                    )
                elif annotate:
                    face = cmap(im.norm(val))
                    ax.text(
                        j,
                        i,
                        f"{val:.2f}",
                        ha="center",
                        va="center",
                        fontsize=fs,
                        color=_text_on(face[:3]),
                        gid="cell-value",
                    )
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        if given_ax is None:
            cb = fig.colorbar(im, ax=ax, location="bottom", shrink=0.8, aspect=30, pad=0.02)
        else:  # on the caller's axes the rotated unit names fill the space below: bar on the right
            cb = fig.colorbar(im, ax=ax, location="right", shrink=0.8, aspect=30, pad=0.03)
        cb.set_label(colorbar_label)
        cb.outline.set_visible(False)
        cb.ax.tick_params(length=3)
        if z is not None:
            from scipy.cluster.hierarchy import dendrogram

            dax = ax.inset_axes([0.0, 1.02, 1.0, min(0.3, 1.6 / side)])
            dax.set_gid("dendrogram")
            dendrogram(z, ax=dax, no_labels=True, link_color_func=lambda _k: _TEXT_GREY)
            dax.set_xlim(0, 10 * n)
            dax.set_axis_off()
    return _result(fig, ax, given_ax)


def _grid_axes(ax, row_labels, col_labels, *, wrap: int = 28, rotation: float = 45):
    nr, nc = len(row_labels), len(col_labels)
    ax.set_xlim(-0.5, nc - 0.5)
    ax.set_ylim(nr - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.grid(False)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xticks(
        range(nc),
        [_wrap(c, wrap) for c in col_labels],
        rotation=rotation,
        ha="left" if rotation else "center",
        va="bottom",
        rotation_mode="anchor",
    )
    ax.set_yticks(range(nr), list(row_labels))
    ax.tick_params(length=0)


def _cell(
    ax, r, c, *, face, edge, text="", text_color=palette.TEXT, linestyle="-", fontsize=9, gid=None, fontstyle="normal"
):
    ax.add_patch(
        Rectangle(
            (c - 0.46, r - 0.46),
            0.92,
            0.92,
            facecolor=face,
            edgecolor=edge,
            linewidth=0.8,
            linestyle=linestyle,
            gid=gid,
        )
    )
    if text:
        ax.text(
            c,
            r,
            text,
            ha="center",
            va="center",
            color=text_color,
            fontsize=fontsize,
            fontstyle=fontstyle,
            gid=(gid + "-text") if gid else None,
        )


def _legend_below(ax, handles, ncol=None, y=-0.03):
    ncol = ncol or min(len(handles), 3)
    return ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, y),
        ncol=ncol,
        frameon=False,
        handlelength=1.4,
        handleheight=1.1,
        borderaxespad=0,
        columnspacing=1.6,
    )


_PRESENCE_LEGEND = {
    "dated": "Public evidence (year of earliest evidence)",
    "undated": "Public evidence, undated",
    "none": "No public evidence found (not evidence of absence)",
}


def presence_matrix(
    matrix: pd.DataFrame,
    *,
    legend: Mapping | None = None,
    labels: Mapping | None = None,
    undated: str = "undated",
    wrap: int = 48,
    ax=None,
):
    """Capability evidence matrix: which units have public evidence of which items.

    Parameters
    ----------
    matrix : DataFrame
        Rows are units, columns items (e.g. capabilities). Each cell is a string:
        a year or date (``"2004"``) where dated evidence exists, ``"undated"`` where
        evidence exists without a date, and ``""``/NaN where no public evidence was
        found.
    legend : dict, optional
        Legend text for the keys ``"dated"``, ``"undated"`` and ``"none"``; missing
        keys keep the defaults, which say that an empty cell means no public
        evidence, not absence.
    labels : dict, optional
        Display name per unit (row).
    undated : str
        The cell value meaning "evidence, no date".
    wrap : int
        Column labels (rotated 45 degrees) longer than this are wrapped.
    ax : Axes, optional

    Returns
    -------
    Axes or ChartDisplay
        ``ax`` when given (drawn on); else a :class:`~rocu_compare.figures.display.ChartDisplay`
        of a new figure (``.figure_``, ``.ax_``; shows itself once in a notebook).
    """
    m = pd.DataFrame(matrix)
    name = _namer(labels)
    text = {**_PRESENCE_LEGEND, **dict(legend or {})}
    nr, nc = m.shape
    longest = max([len(_wrap(c, wrap).split("\n")[0]) for c in m.columns] + [1])
    with house_style():
        given_ax = ax
        fig, ax = _fig_ax(ax, (max(6.5, 0.6 * nc + 2.8 + 0.05 * longest), 0.5 * nr + 0.06 * longest + 1.6))
        _grid_axes(ax, [name(u) for u in m.index], list(map(str, m.columns)), wrap=wrap)
        for r, _u in enumerate(m.index):
            for c, _item in enumerate(m.columns):
                val = m.iloc[r, c]
                s = "" if pd.isna(val) else str(val).strip()
                if not s:
                    _cell(ax, r, c, face=palette.WHITE, edge=_GRID_GREY, gid="cell-none")
                elif s.lower() == undated.lower():
                    _cell(
                        ax,
                        r,
                        c,
                        face=_LIGHT_BLUE,
                        edge=_LIGHT_BLUE,
                        text="undated",
                        fontsize=7,
                        text_color=palette.TEXT,
                        gid="cell-undated",
                    )
                else:
                    _cell(
                        ax,
                        r,
                        c,
                        face=FOCUS,
                        edge=FOCUS,
                        text=s,
                        text_color=palette.WHITE,
                        fontsize=8 if len(s) <= 4 else 6.5,
                        gid="cell-dated",
                    )
        handles = [
            Patch(facecolor=FOCUS, edgecolor=FOCUS, label=text["dated"]),
            Patch(facecolor=_LIGHT_BLUE, edgecolor=_LIGHT_BLUE, label=text["undated"]),
            Patch(facecolor=palette.WHITE, edgecolor=palette.EMPTY_EDGE, label=text["none"]),
        ]
        _legend_below(ax, handles, ncol=1, y=-0.02)
    return _result(fig, ax, given_ax)


def membership_mismatch(
    matrix: pd.DataFrame,
    *,
    aligned: Mapping | None = None,
    labels: Mapping | None = None,
    row_title: str = "Police region",
    col_title: str = "ROCU",
    legend: Mapping | None = None,
    ax=None,
):
    """How many forces of each police region sit in each ROCU.

    Parameters
    ----------
    matrix : DataFrame
        Rows are police regions, columns ROCUs, cells counts of forces (0 or NaN =
        none).
    aligned : dict, optional
        The ROCU that matches each region (row -> column). Default: when the matrix
        is square, row *i* matches column *i*; otherwise each row's largest cell.
    labels : dict, optional
        Display names for rows and columns.
    row_title, col_title : str
    legend : dict, optional
        Legend text for the keys ``"aligned"`` and ``"misaligned"``.
    ax : Axes, optional

    Returns
    -------
    Axes or ChartDisplay
        ``ax`` when given (drawn on); else a :class:`~rocu_compare.figures.display.ChartDisplay`
        of a new figure (``.figure_``, ``.ax_``; shows itself once in a notebook).

    Notes
    -----
    Aligned cells are dark blue with a white count; misaligned (off-diagonal) cells
    are orange (``palette.WARN``) with a black count and a dark outline, so they stand out by
    lightness and outline as well as hue. Empty cells stay blank.
    """
    m = pd.DataFrame(matrix).apply(pd.to_numeric, errors="coerce").fillna(0)
    name = _namer(labels)
    if aligned is None:
        if m.shape[0] == m.shape[1]:
            aligned = {r: c for r, c in zip(m.index, m.columns)}
        else:
            aligned = {r: m.loc[r].idxmax() for r in m.index}
    text = {
        "aligned": "Forces in the ROCU that matches their region",
        "misaligned": "Forces in another region's ROCU",
        **dict(legend or {}),
    }
    nr, nc = m.shape
    with house_style():
        given_ax = ax
        fig, ax = _fig_ax(ax, (0.62 * nc + 3.4, 0.52 * nr + 2.6))
        _grid_axes(ax, [name(r) for r in m.index], [name(c) for c in m.columns], wrap=20)
        for r, reg in enumerate(m.index):
            for c, col in enumerate(m.columns):
                k = m.iloc[r, c]
                count = f"{k:g}"
                if k == 0:
                    _cell(ax, r, c, face=palette.WHITE, edge=palette.FAINT_EDGE, gid="cell-empty")
                elif aligned.get(reg) == col:
                    _cell(
                        ax,
                        r,
                        c,
                        face=FOCUS,
                        edge=FOCUS,
                        text=count,
                        text_color=palette.WHITE,
                        fontsize=10,
                        gid="cell-aligned",
                    )
                else:
                    _cell(
                        ax,
                        r,
                        c,
                        face=_ORANGE,
                        edge=palette.EDGE_DARK,
                        text=count,
                        text_color=palette.TEXT,
                        fontsize=10,
                        gid="cell-misaligned",
                    )
        ax.set_ylabel(row_title)
        ax.set_xlabel(col_title)
        handles = [
            Patch(facecolor=FOCUS, edgecolor=FOCUS, label=text["aligned"]),
            Patch(facecolor=_ORANGE, edgecolor=palette.EDGE_DARK, label=text["misaligned"]),
        ]
        _legend_below(ax, handles, ncol=1, y=-0.02)
    return _result(fig, ax, given_ax)


def completeness_grid(
    coverage,
    *,
    labels: Mapping | None = None,
    published_label: str = "published",
    missing_label: str = "not published",
    wrap: int = 48,
    analyst: pd.DataFrame | None = None,
    analyst_label: str = "in the data, from the analyst's rows",
    ax=None,
):
    """Which attributes are published for which units.

    Parameters
    ----------
    coverage : DataFrame, Profiles or Comparison
        Rows are units, columns attributes; True where published, False or NaN
        where not. :class:`~rocu_compare.compare.Profiles` (or a ``Comparison``, for
        its profiles) draws its ``coverage``.
    labels : dict, optional
        Display name per unit.
    published_label, missing_label : str
        Legend wording.
    analyst : DataFrame, optional
        Same shape as ``coverage``: True where the value comes from the analyst's own
        rows. Those cells are turquoise with an "A", so the two origins read apart
        without colour.
    analyst_label : str
        Legend wording for the analyst's cells.
    wrap : int
        Column labels (rotated 45 degrees) longer than this are wrapped.
    ax : Axes, optional

    Returns
    -------
    Axes or ChartDisplay
        ``ax`` when given (drawn on); else a :class:`~rocu_compare.figures.display.ChartDisplay`
        of a new figure (``.figure_``, ``.ax_``; shows itself once in a notebook).

    Notes
    -----
    Published cells are dark blue with a white tick; unpublished cells are empty with
    a dashed outline and a dash, so the two read apart without colour.
    """
    if hasattr(coverage, "profiles") and not isinstance(coverage, pd.DataFrame):  # a Comparison
        coverage = coverage.profiles
    if hasattr(coverage, "coverage") and not isinstance(coverage, pd.DataFrame):  # Profiles
        coverage = coverage.coverage
    cov = pd.DataFrame(coverage)
    name = _namer(labels)
    nr, nc = cov.shape
    longest = max([len(_wrap(c, wrap).split("\n")[0]) for c in cov.columns] + [1])
    with house_style():
        given_ax = ax
        fig, ax = _fig_ax(ax, (max(6.0, 0.6 * nc + 2.8 + 0.05 * longest), 0.5 * nr + 0.06 * longest + 1.4))
        _grid_axes(ax, [name(u) for u in cov.index], list(map(str, cov.columns)), wrap=wrap)
        for r in range(nr):
            for c in range(nc):
                v = cov.iloc[r, c]
                published = (not pd.isna(v)) and bool(v)
                mine = analyst is not None and published and bool(pd.DataFrame(analyst).iloc[r, c])
                if mine:
                    _cell(
                        ax,
                        r,
                        c,
                        face=palette.CATEGORICAL[1],
                        edge=palette.CATEGORICAL[1],
                        text="A",
                        text_color=palette.WHITE,
                        fontsize=10,
                        gid="cell-analyst",
                    )
                elif published:
                    _cell(
                        ax,
                        r,
                        c,
                        face=FOCUS,
                        edge=FOCUS,
                        text="\u2713",
                        text_color=palette.WHITE,
                        fontsize=11,
                        gid="cell-published",
                    )
                else:
                    _cell(
                        ax,
                        r,
                        c,
                        face=palette.WHITE,
                        edge=MISSING["edgecolor"],
                        text="\u2013",
                        text_color=MISSING["text_color"],
                        linestyle=MISSING["linestyle"],
                        fontsize=13,
                        gid="cell-not-published",
                    )
        handles = [
            Patch(facecolor=FOCUS, edgecolor=FOCUS, label=f"\u2713  {published_label}"),
            Patch(
                facecolor=palette.WHITE,
                edgecolor=MISSING["edgecolor"],
                linestyle="--",
                label=f"\u2013  {missing_label}",
            ),
        ]
        if analyst is not None:
            handles.insert(
                1,
                Patch(facecolor=palette.CATEGORICAL[1], edgecolor=palette.CATEGORICAL[1], label=f"A  {analyst_label}"),
            )
        _legend_below(ax, handles, ncol=len(handles), y=-0.02)
    return _result(fig, ax, given_ax)
