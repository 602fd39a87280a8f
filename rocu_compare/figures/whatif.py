"""Figures for what-if configurations and comparisons over time.

* :func:`configuration_maps` - two (or more) ROCU maps side by side, the forces that
  move between them highlighted;
* :func:`dispersion_dots` - the coefficient of variation of each measure under each
  configuration, one row per measure;
* :func:`dispersion_over_time` - small multiples: the CV of each measure and the mean
  pairwise distance at each date.

Each returns a :class:`matplotlib.figure.Figure`; gaps are drawn as labelled gaps.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .palette import DUO, FOCUS, MISSING
from .style import house_style

__all__ = ["configuration_maps", "dispersion_dots", "dispersion_over_time", "MOVED_COLOUR"]

#: Fill of the forces that move between configurations (the orange of the duo pair).
MOVED_COLOUR = DUO[1]


def configuration_maps(
    fc: Mapping, memberships: Mapping[str, pd.DataFrame], moved=(), *, labels=None, forces: pd.DataFrame | None = None
):
    """ROCU maps side by side (one per configuration), the moving forces filled orange.

    Parameters
    ----------
    fc : dict
        Force boundaries (see :func:`rocu_compare.figures.rocu_map`).
    memberships : dict of str to DataFrame
        Panel title → membership (columns ``force``, ``rocu_id``).
    moved : sequence of str
        Forces whose unit differs between the panels.
    labels : dict, optional
        Display name per unit id.
    forces : DataFrame, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, PathPatch

    from .maps import _force_geometries, _path, _polygonal, rocu_map

    moved = [str(f) for f in moved]
    geoms = _force_geometries(fc, forces)
    with house_style():
        fig = Figure(figsize=(6.4 * len(memberships), 8.0), layout="constrained")
        axes = fig.subplots(1, len(memberships))
        axes = np.atleast_1d(axes)
        for ax, (name, mem) in zip(axes, memberships.items()):
            rocu_map(fc, mem, labels=labels, ax=ax, forces=forces)
            for f in moved:
                path = _path(_polygonal(geoms[f])) if f in geoms else None
                if path is not None:
                    ax.add_patch(
                        PathPatch(
                            path, facecolor=MOVED_COLOUR, edgecolor="none", alpha=0.75, zorder=1.5, gid=f"moved:{f}"
                        )
                    )
            ax.set_title(name, loc="left", fontsize=12, fontweight="bold")
        if moved:
            fig.legend(
                handles=[
                    Patch(
                        facecolor=MOVED_COLOUR,
                        alpha=0.75,
                        label=(
                            f"forces that move: {', '.join(moved)}"
                            if len(moved) != 1
                            else f"force that moves: {moved[0]}"
                        ),
                    )
                ],
                loc="outside lower center",
                frameon=False,
            )
    return fig


def dispersion_dots(
    table: pd.DataFrame,
    *,
    value: str = "cv",
    order=None,
    value_label: str = "Coefficient of variation",
    missing_label: str = "not available at this date",
):
    """The spread of each measure under each configuration: one row per measure, one dot each.

    Parameters
    ----------
    table : DataFrame
        Columns ``label`` (measure), ``configuration`` and ``value``; missing values are
        written as a labelled gap, not a dot.
    value : str, default "cv"
    order : sequence of str, optional
        Configuration order (at most two: the duo pair of colours).
    value_label : str
    missing_label : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    order = list(order or pd.unique(table["configuration"]))
    if len(order) > 2:
        raise ValueError("dispersion_dots draws at most two configurations (the duo colour pair)")
    measures = list(pd.unique(table["label"]))
    wide = table.pivot_table(index="label", columns="configuration", values=value, aggfunc="first", dropna=False)
    wide = wide.reindex(index=measures, columns=order)
    with house_style():
        fig = Figure(figsize=(8.6, 0.62 * len(measures) + 1.6), layout="constrained")
        ax = fig.add_subplot()
        y = np.arange(len(measures))[::-1]
        hi = np.nanmax(wide.values) if np.isfinite(wide.values.astype(float)).any() else 1.0
        for yi, m in zip(y, measures):
            vals = wide.loc[m].astype(float)
            if vals.notna().sum() == 2:
                ax.plot(vals.values, [yi, yi], color=MISSING["edgecolor"], linewidth=1.2, zorder=1)
            if vals.isna().all():
                ax.text(
                    0.0,
                    yi,
                    missing_label,
                    va="center",
                    ha="left",
                    fontsize=9,
                    color=MISSING["text_color"],
                    style="italic",
                )
        for i, name in enumerate(order):
            vals = wide[name].astype(float)
            ok = vals.notna().values
            ax.scatter(vals.values[ok], y[ok], s=60, color=DUO[i], zorder=3, label=name, marker="o" if i == 0 else "D")
            for yi, v in zip(y[ok], vals.values[ok]):
                ax.annotate(
                    f"{v:.2f}",
                    (v, yi),
                    xytext=(0, 7 if i == 0 else -13),
                    textcoords="offset points",
                    ha="center",
                    fontsize=8.5,
                    color=DUO[i],
                )
        ax.set_yticks(y, measures)
        ax.set_xlim(0, hi * 1.15)
        ax.set_ylim(y.min() - 0.7, y.max() + 0.7)
        ax.set_xlabel(value_label)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        fig.legend(*ax.get_legend_handles_labels(), loc="outside upper left", ncols=len(order), frameon=False)
    return fig


def dispersion_over_time(
    dispersion: pd.DataFrame, distance: pd.DataFrame, *, measures: Mapping[str, str], value: str = "cv", ncols: int = 4
):
    """Small multiples: the CV of each measure and the mean pairwise distance, by date.

    Parameters
    ----------
    dispersion : DataFrame
        Indexed by (``date``, ``attribute``) with column ``value`` (e.g.
        :attr:`OverTime.dispersion <rocu_compare.compare.configurations.OverTime>`).
    distance : DataFrame
        Indexed by ``date`` with ``mean_distance``.
    measures : dict
        Attribute → panel title, in panel order.
    value : str, default "cv"
    ncols : int, default 4

    Returns
    -------
    matplotlib.figure.Figure
        A date with no value is left as a gap and marked "no data" along the axis.
    """
    from matplotlib.figure import Figure

    dates = sorted(distance.index)
    panels = list(measures.items()) + [("__distance__", "Mean pairwise distance (Gower)")]
    nrows = int(np.ceil(len(panels) / ncols))
    with house_style():
        fig = Figure(figsize=(3.3 * ncols, 2.7 * nrows + 0.4), layout="constrained")
        axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True)).ravel()
        x = np.array([pd.Timestamp(d).year + (pd.Timestamp(d).day_of_year - 1) / 365.25 for d in dates])
        for ax, (attr, title) in zip(axes, panels):
            if attr == "__distance__":
                vals = distance["mean_distance"].reindex(dates).astype(float).values
            else:
                s = (
                    dispersion[value].xs(attr, level="attribute")
                    if attr in set(dispersion.index.get_level_values("attribute"))
                    else pd.Series(dtype=float)
                )
                vals = s.reindex(dates).astype(float).values
            ok = ~np.isnan(vals)
            ax.plot(x, vals, color=FOCUS, linewidth=1.8, marker="o", markersize=4)  # NaN breaks the line
            ax.set_title(title, loc="left", fontsize=9.5)
            top = np.nanmax(vals) if ok.any() else 1.0
            ax.set_ylim(0, top * 1.25 if top > 0 else 1.0)
            for xi in x[~ok]:
                ax.text(
                    xi,
                    top * 0.05 if ok.any() else 0.05,
                    "no data",
                    rotation=90,
                    ha="center",
                    va="bottom",
                    fontsize=7.5,
                    color=MISSING["text_color"],
                    style="italic",
                )
            if ok.any():
                last = np.flatnonzero(ok)[-1]
                ax.annotate(
                    f"{vals[last]:.2f}",
                    (x[last], vals[last]),
                    xytext=(0, 6),
                    textcoords="offset points",
                    ha="center",
                    fontsize=8,
                    color=FOCUS,
                )
                first = np.flatnonzero(ok)[0]
                if first != last:
                    ax.annotate(
                        f"{vals[first]:.2f}",
                        (x[first], vals[first]),
                        xytext=(0, 6),
                        textcoords="offset points",
                        ha="center",
                        fontsize=8,
                        color=FOCUS,
                    )
            ax.tick_params(axis="x", labelsize=8)
            ax.tick_params(axis="y", labelsize=8)
        for ax in axes[len(panels) :]:
            ax.set_visible(False)
        fig.supylabel("Coefficient of variation across the units (last panel: mean Gower distance)", fontsize=9.5)
        if len(x):
            span = max(x.max() - x.min(), 1.0)
            for ax in axes:
                ax.set_xlim(x.min() - 0.08 * span, x.max() + 0.08 * span)
                ax.xaxis.set_major_locator(_year_locator(x))
                ax.xaxis.set_major_formatter(_year_formatter())
    return fig


def _year_locator(x):
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=4, integer=True)


def _year_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: f"{int(round(v))}")
