"""Scatter charts with directly labelled points: the MDS map and grades against years.

Labels are placed by the deterministic engine in :mod:`~rocu_compare.figures.label_placement`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.transforms import Bbox

from . import palette
from .label_placement import place_labels as _place_labels
from .palette import FOCUS, FOCUS_GREY
from .primitives import _GRID_GREY, _TEXT_GREY, _as_float, _fig_ax, _namer, _renderer, _result, _wrap
from .style import house_style

__all__ = ["grade_scatter", "mds_map"]


def mds_map(
    coords,
    variance_explained=None,
    *,
    labels: Mapping | None = None,
    highlight=None,
    wrap: int = 22,
    ax=None,
):
    """Two-dimensional map of units from classical MDS, labelled directly.

    Parameters
    ----------
    coords : DataFrame, MDSResult or Comparison
        One row per unit, columns ``dim1`` and ``dim2``; or the result of
        :func:`~rocu_compare.compare.classical_mds` (or a ``Comparison``, for its
        ``mds``), which carries its variance explained.
    variance_explained : sequence or Series
        Share of variance of each dimension, as fractions (0–1) or percentages.
        Needed with a plain DataFrame of coordinates.
    labels : dict, optional
        Display name per unit.
    highlight : optional
        The unit in focus (dark blue, bold); the others grey.
    wrap : int
        Labels longer than this many characters are wrapped onto more lines.
    ax : Axes, optional

    Returns
    -------
    Axes or ChartDisplay
        ``ax`` when given (drawn on); else a :class:`~rocu_compare.figures.display.ChartDisplay`
        of a new figure (``.figure_``, ``.ax_``; shows itself once in a notebook).

    Notes
    -----
    Labels are placed by a deterministic nudge: each label tries a fixed list of
    positions around its point and takes the first free one, with a leader line
    when it had to move further out.
    """
    if hasattr(coords, "mds") and not isinstance(coords, pd.DataFrame):  # a Comparison
        coords = coords.mds
    if hasattr(coords, "coordinates") and not isinstance(coords, pd.DataFrame):  # an MDSResult
        if variance_explained is None:
            variance_explained = coords.variance_explained
        coords = coords.coordinates
    if variance_explained is None:
        raise ValueError("variance_explained is needed with coordinates (or pass the MDSResult)")
    c = pd.DataFrame(coords)
    missing_cols = {"dim1", "dim2"} - set(c.columns)
    if missing_cols:
        raise ValueError(f"coords needs columns dim1 and dim2; missing {sorted(missing_cols)}")
    if highlight is not None and highlight not in c.index:
        raise ValueError(f"highlight {highlight!r} is not one of the units")
    c = c[["dim1", "dim2"]].astype(float).dropna()
    ve = list(pd.Series(variance_explained, dtype=float).to_numpy()[:2])
    if len(ve) < 2:
        raise ValueError("variance_explained needs a value for each of the two dimensions")
    as_pct = [v * 100 if all(abs(x) <= 1 for x in ve) else v for v in ve]
    name = _namer(labels)

    x0, x1 = c["dim1"].min(), c["dim1"].max()
    y0, y1 = c["dim2"].min(), c["dim2"].max()
    span = max(x1 - x0, y1 - y0, 1e-9)
    # Room for labels around the points; the figure takes the shape of the data.
    xlim = (x0 - 0.2 * span, x1 + 0.2 * span)
    ylim = (y0 - 0.12 * span, y1 + 0.12 * span)
    ratio = (ylim[1] - ylim[0]) / (xlim[1] - xlim[0])
    with house_style():
        given_ax = ax
        fig, ax = _fig_ax(ax, (8, min(max(8 * ratio + 0.9, 3.5), 9.5)))
        focus = [u == highlight for u in c.index]
        colours = [FOCUS if (highlight is None or f) else FOCUS_GREY for f in focus]
        ax.axhline(0, color=_GRID_GREY, linewidth=0.8, zorder=0)
        ax.axvline(0, color=_GRID_GREY, linewidth=0.8, zorder=0)
        ax.grid(False)
        ax.scatter(c["dim1"], c["dim2"], s=46, c=colours, zorder=3, edgecolors="white", linewidths=0.6, gid="points")
        ax.set_xlabel(f"Dimension 1 ({as_pct[0]:.0f}% of variance)")
        ax.set_ylabel(f"Dimension 2 ({as_pct[1]:.0f}% of variance)")
        ax.spines["left"].set_visible(False)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect("equal", adjustable="box")
        order = sorted(range(len(c)), key=lambda i: (not focus[i], -c["dim2"].iloc[i], c["dim1"].iloc[i]))
        styles = [
            dict(
                fontweight="bold" if focus[i] else "normal",
                color=palette.TEXT if (highlight is None or focus[i]) else _TEXT_GREY,
                gid="point-label",
            )
            for i in order
        ]
        _place_labels(
            ax,
            c["dim1"].iloc[order].to_numpy(),
            c["dim2"].iloc[order].to_numpy(),
            [_wrap(name(c.index[i]), wrap) for i in order],
            styles=styles,
        )
    return _result(fig, ax, given_ax)


def grade_scatter(
    table: pd.DataFrame,
    grade_order,
    *,
    annotation: str = "",
    labels: Mapping | None = None,
    x_label: str = "Years since founding",
    missing_label: str = "not shown (founding date not published)",
    ax=None,
):
    """Ordinal grade against years since founding, with the founding uncertainty.

    Parameters
    ----------
    table : DataFrame
        Columns ``unit``, ``x`` (years), ``x_min``, ``x_max`` (the range of ``x``
        allowed by uncertain founding dates; drawn as horizontal error bars),
        ``grade_code`` and ``grade_label``.
    grade_order : sequence or dict
        Grade names from lowest to highest (the position of ``grade_label`` gives the
        y position), or a dict ``{grade_code: name}``.
    annotation : str
        Text shown above the plot, e.g. ``"Spearman rho = 0.21, p = 0.56, n = 10"``.
    labels : dict, optional
        Display name per unit.
    x_label : str
    missing_label : str
        Prefix of the note listing units without an ``x``.
    ax : Axes, optional

    Returns
    -------
    Axes or ChartDisplay
        ``ax`` when given (drawn on); else a :class:`~rocu_compare.figures.display.ChartDisplay`
        of a new figure (``.figure_``, ``.ax_``; shows itself once in a notebook).
    """
    t = pd.DataFrame(table).copy()
    name = _namer(labels)
    if isinstance(grade_order, Mapping):
        ticks = {float(k): str(v) for k, v in grade_order.items()}
        t["_y"] = _as_float(t["grade_code"]).to_numpy()
    else:
        names = [str(g) for g in grade_order]
        ticks = {float(i): g for i, g in enumerate(names)}
        pos = {g: i for i, g in enumerate(names)}
        if "grade_label" in t:
            t["_y"] = [pos.get(str(g), math.nan) if not pd.isna(g) else math.nan for g in t["grade_label"]]
        else:
            t["_y"] = _as_float(t["grade_code"]).to_numpy()
    t["_x"] = _as_float(t["x"]).to_numpy()
    for col in ("x_min", "x_max"):
        t["_" + col] = _as_float(t[col]).to_numpy() if col in t else t["_x"]
    t["_x_min"] = t["_x_min"].fillna(t["_x"])
    t["_x_max"] = t["_x_max"].fillna(t["_x"])
    shown = t.dropna(subset=["_x", "_y"])
    hidden = [name(u) for u in t.loc[~t.index.isin(shown.index), "unit"]]

    with house_style():
        given_ax = ax
        fig, ax = _fig_ax(ax, (8.5, 0.75 * len(ticks) + 2.6))
        xerr = np.vstack([shown["_x"] - shown["_x_min"], shown["_x_max"] - shown["_x"]])
        ax.errorbar(
            shown["_x"],
            shown["_y"],
            xerr=xerr,
            fmt="none",
            ecolor=palette.OUTLINE,
            elinewidth=1.4,
            capsize=3,
            zorder=2,
            gid="x-range",
        )
        ax.scatter(
            shown["_x"], shown["_y"], s=48, color=FOCUS, zorder=3, edgecolors="white", linewidths=0.6, gid="points"
        )
        ax.set_yticks(list(ticks), list(ticks.values()))
        ax.set_ylim(min(ticks) - 0.6, max(ticks) + 0.6)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(x_label)
        xs = pd.concat([shown["_x_min"], shown["_x_max"]])
        if len(xs):
            span = max(float(xs.max() - xs.min()), 1.0)
            ax.set_xlim(float(xs.min()) - 0.12 * span, float(xs.max()) + 0.12 * span)
        lines = [annotation] if annotation else []
        if hidden:
            lines.append(f"{missing_label}: {', '.join(hidden)}")
        if lines:
            ax.text(
                0,
                1.03,
                "\n".join(lines),
                transform=ax.transAxes,
                ha="left",
                va="bottom",
                color=_TEXT_GREY,
                gid="annotation",
            )
        order = shown.sort_values(["_y", "_x"], ascending=[False, True], kind="mergesort")
        _renderer(fig)
        bars = []
        for _, r in shown.iterrows():
            if r["_x_max"] > r["_x_min"]:
                (px0, py), (px1, _py) = ax.transData.transform([(r["_x_min"], r["_y"]), (r["_x_max"], r["_y"])])
                bars.append(Bbox.from_extents(px0, py - 3, px1, py + 3))
        _place_labels(
            ax,
            order["_x"].to_numpy(),
            order["_y"].to_numpy(),
            [name(u) for u in order["unit"]],
            avoid=bars,
            prefer="vertical",
            styles=[dict(fontsize=9, color=palette.TEXT, gid="point-label")] * len(order),
        )
    return _result(fig, ax, given_ax)
