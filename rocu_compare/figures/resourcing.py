"""Charts of ROCU money and people: per-ROCU series across financial years, and a
table of what is published per ROCU with qualifiers and years.

The per-capita and per-officer ski slopes use :func:`~rocu_compare.figures.ski_slope`;
this module holds only the drawings that primitive does not cover.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from . import palette
from .palette import FOCUS, MISSING
from .style import house_style
from .tables import text_table

__all__ = ["resource_small_multiples", "published_facts_table"]

_GRID_GREY = palette.GRID
_TEXT_GREY = palette.TEXT_LIGHT


def _fy_start(fy: str) -> int:
    return int(str(fy)[:4])


def resource_small_multiples(
    table: pd.DataFrame,
    *,
    value_label: str,
    labels: Mapping | None = None,
    fmt: str | Callable = "{:,.1f}",
    missing_label: str = "not in the data",
    ncol: int = 5,
):
    """One small panel per unit: a measure across financial years, on a shared scale.

    Consecutive years with values are joined; a year without a value is an open
    dashed marker at the foot of the panel labelled ``missing_label``, never a zero and
    never bridged by the line.

    Parameters
    ----------
    table : DataFrame
        Long: ``unit``, ``financial_year`` (``"YYYY-YY"``) and ``value`` (NaN where missing).
    value_label : str
        Measure and unit, shown once as the y-axis label of the first column.
    labels : dict, optional
        Display name per unit.
    fmt : str or callable
        Format of the last value, printed in each panel.
    missing_label : str
    ncol : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["a", "a", "b", "b"], "financial_year": ["2021-22", "2022-23"] * 2,
    ...                   "value": [1.0, 2.0, 3.0, None]})
    >>> fig = resource_small_multiples(t, value_label="£m")
    >>> len([a for a in fig.axes if a.get_visible()])
    2
    """
    import matplotlib.pyplot as plt

    fmt_fn = fmt.format if isinstance(fmt, str) else fmt
    name = (lambda u: labels.get(u, str(u))) if labels else str
    t = pd.DataFrame(table).copy()
    t["_x"] = t["financial_year"].map(_fy_start)
    t["_v"] = pd.to_numeric(t["value"], errors="coerce").astype("float64")
    units = list(dict.fromkeys(t["unit"]))
    years = sorted(t["_x"].unique())
    top = float(np.nanmax(t["_v"])) if t["_v"].notna().any() else 1.0
    ncol = max(1, min(ncol, len(units)))
    nrow = math.ceil(len(units) / ncol)
    with house_style():
        fig, axes = plt.subplots(
            nrow, ncol, figsize=(2.0 * ncol + 1.0, 1.9 * nrow + 0.9), sharex=True, sharey=True, squeeze=False
        )
        for k, ax in enumerate(axes.flat):
            if k >= len(units):
                ax.set_visible(False)
                continue
            u = units[k]
            sub = t[t["unit"] == u].set_index("_x")["_v"].reindex(years)
            xs = np.array(years, dtype=float)
            vals = sub.to_numpy(float)
            # segments only between consecutive years that both have a value
            for i in range(len(xs) - 1):
                if not (np.isnan(vals[i]) or np.isnan(vals[i + 1])):
                    ax.plot(xs[i : i + 2], vals[i : i + 2], color=FOCUS, linewidth=1.6, zorder=2, gid="series-line")
            ok = ~np.isnan(vals)
            ax.plot(xs[ok], vals[ok], "o", color=FOCUS, markersize=4.5, zorder=3, gid="series-point")
            miss = xs[~ok]
            if len(miss):
                ax.plot(
                    miss,
                    np.zeros(len(miss)),
                    "o",
                    markerfacecolor=palette.WHITE,
                    markeredgecolor=MISSING["edgecolor"],
                    linestyle="none",
                    markersize=5,
                    zorder=3,
                    gid="missing-point",
                )
                years_txt = f"{len(miss)} year{'s' if len(miss) > 1 else ''}"
                ax.text(
                    0.02,
                    0.04,
                    f"{years_txt} {missing_label}",
                    transform=ax.transAxes,
                    fontsize=7,
                    fontstyle="italic",
                    color=MISSING["text_color"],
                    gid="missing-label",
                )
            if ok.any():
                last = int(np.flatnonzero(ok)[-1])
                ax.annotate(
                    fmt_fn(vals[last]),
                    xy=(xs[last], vals[last]),
                    xytext=(0, 5),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    gid="value-label",
                )
            ax.set_title(name(u), loc="left", fontsize=10, fontweight="bold")
            ax.set_ylim(0, top * 1.3)
            ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
            ax.set_xticks(years, [f"{y % 100:02d}/{(y + 1) % 100:02d}" for y in years], fontsize=8)
            ax.tick_params(axis="y", labelsize=8, length=0)
            ax.grid(True, axis="y", color=_GRID_GREY)
            ax.grid(False, axis="x")
            for side in ("left", "right", "top"):
                ax.spines[side].set_visible(False)
        for r in range(nrow):
            axes[r, 0].set_ylabel(value_label if r == 0 else "", fontsize=9)
        fig.supxlabel("Financial year", fontsize=9)
        fig.tight_layout()
    return fig


def published_facts_table(
    facts: pd.DataFrame,
    *,
    labels: Mapping | None = None,
    wrap: int = 46,
):
    """A table of published facts per unit, with the qualifier kept next to the value.

    Parameters
    ----------
    facts : DataFrame
        ``unit``, ``what`` (plain-words measure), ``value_text`` (value with its
        qualifier and unit, e.g. "more than 1,400 officers and staff"), ``period``
        (as published; blank = undated) and ``source_id``.
    labels : dict, optional
        Display name per unit.
    wrap : int
        Wrap width of the ``what`` column.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    name = (lambda u: labels.get(u, str(u))) if labels else str
    header = ["ROCU", "What", "Value as published", "Period", "Source"]
    rows, heights = [], []
    prev = None
    for r in facts.itertuples():
        what = textwrap.fill(str(r.what), wrap)
        period = "undated" if pd.isna(r.period) or not str(r.period).strip() else str(r.period)
        rows.append(
            [
                name(r.unit) if r.unit != prev else "",
                what,
                textwrap.fill(str(r.value_text), 30),
                period,
                str(r.source_id),
            ]
        )
        heights.append(max(what.count("\n"), str(rows[-1][2]).count("\n")) + 1)
        prev = r.unit
    widths = [
        max(len(line) for x in [header[k]] + [row[k] for row in rows] for line in str(x).split("\n"))
        for k in range(len(header))
    ]
    char_in = 0.072
    fig_w = sum(widths) * char_in + 0.3 * len(widths) + 0.3
    with house_style():
        fig = plt.figure(figsize=(fig_w, 0.2 * (sum(heights) + 1) + 0.16 * len(rows) + 0.5))
        ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
        ax.set_axis_off()
        table = text_table(ax, rows, header, widths, pad_chars=3, fontsize=9, gid="facts-table")
        total = sum(heights) + 1.2
        for (r, c), cell in table.get_celld().items():
            cell.set_height((1.2 if r == 0 else heights[r - 1]) / total)
            cell.set_edgecolor(
                _GRID_GREY if r and rows[r - 1][0] == "" else _TEXT_GREY if r == 0 else palette.TABLE_RULE
            )
            cell.set_linewidth(0.6)
            cell.PAD = 0.03
            if r == 0:
                cell.set_text_props(fontweight="bold")
                cell.visible_edges = "B"
            elif c == 0:
                cell.set_text_props(fontweight="bold")
        # matplotlib tables stack rows from the top using the heights set above
    return fig
