"""Charts over time: the development timeline and published funding by financial year.

Years and partial dates cover their whole period on the axis (:func:`_period`); an
unpublished value is labelled as such at the foot of its year, never drawn as zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..validate import partial_period
from . import palette
from .label_placement import place_labels as _place_labels
from .palette import FOCUS_GREY, MISSING
from .primitives import _MARKERS, _as_float, _fig_ax, _formatter, _humanise, _namer, _result, _row_major
from .style import house_style

__all__ = ["funding_series", "timeline_chart"]


def _period(x) -> tuple[float, float]:
    """The span of a year, partial date or date on a decimal-year axis.

    A year ``2013`` covers [2013, 2014); ``"2013-10"`` covers October 2013; a full
    date covers its day. Missing gives ``(nan, nan)``.

    >>> _period(2013)
    (2013.0, 2014.0)
    >>> _period("2013-10")
    (2013.75, 2013.8333333333333)
    """
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return (math.nan, math.nan)
    if isinstance(x, (int, np.integer)) or (isinstance(x, (float, np.floating)) and float(x).is_integer()):
        return (float(x), float(x) + 1.0)
    if isinstance(x, (float, np.floating)):
        return (float(x), float(x))
    s = str(x).strip()
    if not s:
        return (math.nan, math.nan)
    try:
        p = partial_period(s)  # the one parser of partial dates
    except ValueError:
        p = None
    if p is not None and p.freqstr.startswith("Y"):
        return (float(p.year), float(p.year + 1))
    if p is not None and p.freqstr == "M":
        return (p.year + (p.month - 1) / 12, p.year + p.month / 12)
    ts = pd.Timestamp(x)
    days = 366 if ts.is_leap_year else 365
    start = ts.year + (ts.day_of_year - 1) / days
    return (start, start + 1 / days)


def _decimal_year(x) -> float:
    """Middle of the period of ``x``: ``2013`` -> 2013.5, ``"2013-10"`` -> 2013.79."""
    lo, hi = _period(x)
    return (lo + hi) / 2


def timeline_chart(
    ranges: pd.DataFrame,
    events: pd.DataFrame,
    *,
    kinds_order: Sequence | None = None,
    labels: Mapping | None = None,
    kind_labels: Mapping | None = None,
    range_label: str | None = None,
    ax=None,
):
    """One row per unit: founding date (or range) and dated events.

    Parameters
    ----------
    ranges : DataFrame
        Columns ``unit``, ``start``, ``end``, ``label``. Years (``2001``) or partial
        dates (``"2013-10"``); each covers its whole period on the axis (the year
        2001 runs from the 2001 tick to the 2002 tick). A row with ``start < end`` is
        drawn as a bar from the start of ``start`` to the end of ``end`` (a range
        2001–2002 spans both years, e.g. where sources disagree); a single year
        (``end`` equal to ``start`` or missing) as a diamond in the middle of the
        year. The founding marks are grey so the events stand out.
    events : DataFrame
        Columns ``unit``, ``date``, ``kind``, ``label``. Drawn as markers coloured
        *and shaped* by kind (at most six kinds), in the middle of their period (a
        year-only date mid-year). Events close in time on the same row are
        staggered vertically.
    kinds_order : sequence, optional
        Order of the kinds in the palette and legend (default: order of first
        appearance).
    labels : dict, optional
        Display name per unit.
    kind_labels : dict, optional
        Legend text per kind (default: the kind with dashes and underscores as
        spaces, capitalised).
    range_label : str, optional
        Legend text for the founding bars/points (default: the first ``label`` of
        ``ranges``, else "founded").
    ax : Axes, optional

    Returns
    -------
    Axes or ChartDisplay
        ``ax`` when given (drawn on); else a :class:`~rocu_compare.figures.display.ChartDisplay`
        of a new figure (``.figure_``, ``.ax_``; shows itself once in a notebook).

    Raises
    ------
    ValueError
        With more than six kinds of event.
    """
    name = _namer(labels)
    kind_labels = dict(kind_labels or {})
    kind_name = lambda k: str(kind_labels[k]) if k in kind_labels else _humanise(k)  # noqa: E731
    units = list(dict.fromkeys(list(ranges["unit"]) + list(events["unit"])))
    row = {u: i for i, u in enumerate(units)}
    kinds = list(kinds_order) if kinds_order is not None else list(dict.fromkeys(events["kind"].dropna()))
    extra = [k for k in pd.unique(events["kind"].dropna()) if k not in kinds]
    if extra:
        raise ValueError(f"event kinds {extra} are not in kinds_order {kinds}")
    colours = dict(zip(kinds, palette.categorical(len(kinds))))
    markers = dict(zip(kinds, _MARKERS))
    if range_label is None:
        lab = ranges["label"].dropna() if "label" in ranges else pd.Series(dtype=object)
        range_label = str(lab.iloc[0]) if len(lab) else "founded"

    with house_style():
        given_ax = ax
        fig, ax = _fig_ax(ax, (9, 0.5 * len(units) + 2.2))
        xs_all = []
        founding: dict = {}
        n_bars = n_points = 0
        for _, rrow in ranges.iterrows():
            y = row[rrow["unit"]]
            s_lo, s_hi = _period(rrow["start"])
            e_lo, e_hi = _period(rrow.get("end"))
            if math.isnan(s_lo):
                continue
            if math.isnan(e_lo) or e_lo <= s_lo:  # one year (or one month, one day): a point
                x = (s_lo + s_hi) / 2
                ax.plot(
                    [x],
                    [y],
                    marker="D",
                    markersize=9,
                    color=FOCUS_GREY,
                    markeredgecolor=palette.OUTLINE,
                    linestyle="none",
                    zorder=2,
                    gid="range-point",
                )
                founding.setdefault(rrow["unit"], []).append(x)
                xs_all.append(x)
                n_points += 1
            else:  # from the start of the first period to the end of the last: 2001-2002 spans both years
                ax.barh(
                    y,
                    e_hi - s_lo,
                    left=s_lo,
                    height=0.3,
                    color=FOCUS_GREY,
                    edgecolor=palette.OUTLINE,
                    linewidth=0.6,
                    zorder=2,
                    gid="range-bar",
                )
                founding.setdefault(rrow["unit"], []).extend([s_lo, e_hi])
                xs_all += [s_lo, e_hi]
                n_bars += 1
        ev = events.copy()
        ev["_x"] = [_decimal_year(d) for d in ev["date"]]
        ev = ev.dropna(subset=["_x"])
        ev["_row"] = ev["unit"].map(row)
        ev = ev.sort_values(["_row", "_x", "kind"], kind="mergesort")
        lanes = (0.0, -0.22, 0.22, -0.38, 0.38)
        clear = 0.45  # years between markers sharing a lane
        for u, sub in ev.groupby("_row", sort=True):
            taken: dict[int, list[float]] = {0: list(founding.get(units[int(u)], []))}
            for _, e in sub.iterrows():
                lane = 0
                while lane < len(lanes) - 1 and any(abs(e["_x"] - x) < clear for x in taken.get(lane, [])):
                    lane += 1
                taken.setdefault(lane, []).append(e["_x"])
                ax.plot(
                    [e["_x"]],
                    [u + lanes[lane]],
                    marker=markers[e["kind"]],
                    color=colours[e["kind"]],
                    markersize=7,
                    markeredgecolor="white",
                    markeredgewidth=0.6,
                    linestyle="none",
                    zorder=4,
                    gid=f"event:{e['kind']}",
                )
                xs_all.append(e["_x"])
        ax.set_yticks(range(len(units)), [name(u) for u in units])
        ax.set_ylim(len(units) - 0.5, -0.5)
        ax.tick_params(axis="y", length=0)
        if xs_all:
            lo, hi = math.floor(min(xs_all)) - 0.6, math.ceil(max(xs_all)) + 0.6
            ax.set_xlim(lo, hi)
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
        handles = []
        if n_bars or n_points:
            handles.append(Patch(facecolor=FOCUS_GREY, edgecolor=palette.OUTLINE, label=range_label))
        handles += [
            Line2D(
                [],
                [],
                marker=markers[k],
                color=colours[k],
                markeredgecolor="white",
                linestyle="none",
                markersize=8,
                label=kind_name(k),
            )
            for k in kinds
        ]
        if handles:
            ncol = min(4, len(handles))
            ax.legend(
                handles=_row_major(handles, ncol),
                loc="upper left",
                bbox_to_anchor=(0, -0.09),
                ncol=ncol,
                frameon=False,
                borderaxespad=0,
                handletextpad=0.4,
                columnspacing=1.4,
            )
    return _result(fig, ax, given_ax)


def _financial_year_start(x) -> float:
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return math.nan
    if isinstance(x, (int, float, np.integer, np.floating)):
        return float(x)
    s = str(x).strip()
    return float(int(s[:4]))


def _fy_label(start: float) -> str:
    y = int(start)
    return f"{y}-{(y + 1) % 100:02d}"


def funding_series(
    series: pd.DataFrame,
    *,
    labels: Mapping | None = None,
    fmt: str | Callable = "£{:,.4g}m",
    value_label: str = "£ million",
    missing_label: str = "not published",
    ax=None,
):
    """Published funding figures as labelled points by financial year.

    Each measure is its own set of points (never a line joining different measures,
    nor interpolating between years that were not published). Every point is
    labelled with its value and qualifier, e.g. "just over £101m".

    Parameters
    ----------
    series : DataFrame
        Columns ``measure`` (or ``label``), ``year`` (financial year, ``"2015-16"`` or
        its first calendar year), ``value``, and optionally ``qualifier`` ("just
        over", "around") and ``period_text`` (shown under the value when it is not
        simply the financial year, e.g. "per year, 2015-16 to 2018-19").
    labels : dict, optional
        Display name per measure.
    fmt : str or callable
        Value format.
    value_label : str
        The y-axis label.
    missing_label : str
        Shown at the foot of the year for a measure whose value is missing.
    ax : Axes, optional

    Returns
    -------
    Axes or ChartDisplay
        ``ax`` when given (drawn on); else a :class:`~rocu_compare.figures.display.ChartDisplay`
        of a new figure (``.figure_``, ``.ax_``; shows itself once in a notebook).

    Raises
    ------
    ValueError
        With more than six measures (use small multiples instead).
    """
    df = pd.DataFrame(series).copy()
    mcol = "measure" if "measure" in df.columns else "label"
    if mcol not in df.columns or not {"year", "value"} <= set(df.columns):
        raise ValueError("series needs columns measure (or label), year and value")
    name = _namer(labels)
    fmt = _formatter(fmt)
    measures = list(dict.fromkeys(df[mcol]))
    colours = palette.DUO if len(measures) == 2 else palette.categorical(len(measures))
    colour = dict(zip(measures, colours))
    marker = dict(zip(measures, _MARKERS))
    df["_year"] = [_financial_year_start(y) for y in df["year"]]
    # Measures published for the same year sit side by side rather than on top of each
    # other; a year with one measure keeps its point on the tick.
    rank = {mname: i for i, mname in enumerate(measures)}
    df["_x"] = df["_year"]
    for _year, grp in df.groupby("_year", sort=True):
        present = sorted(set(grp[mcol]), key=rank.get)
        if len(present) > 1:
            offset = {mname: (i - (len(present) - 1) / 2) * 0.12 for i, mname in enumerate(present)}
            df.loc[grp.index, "_x"] = grp["_year"] + grp[mcol].map(offset).astype(float)
    df["_v"] = _as_float(df["value"]).to_numpy()
    df = df.dropna(subset=["_year"])

    with house_style():
        given_ax = ax
        fig, ax = _fig_ax(ax, (9, 5.2))
        have = df.dropna(subset=["_v"])
        for mname in measures:
            sub = have[have[mcol] == mname]
            ax.plot(
                sub["_x"],
                sub["_v"],
                marker=marker[mname],
                color=colour[mname],
                linestyle="none",
                markersize=8,
                label=name(mname),
                zorder=3,
                gid=f"measure:{mname}",
            )
        years = sorted(df["_year"].dropna().unique())
        lo, hi = (min(years), max(years)) if years else (0, 1)
        ax.set_xlim(lo - 0.8, hi + 0.8)
        top = float(have["_v"].max()) if len(have) else 1.0
        ax.set_ylim(0, top * 1.25)
        ax.set_xticks(years, [_fy_label(y) for y in years])
        ax.set_xlabel("Financial year")
        ax.set_ylabel(value_label)
        ax.tick_params(axis="y", length=0)
        texts, xs, ys, styles = [], [], [], []
        for _, r in have.sort_values(["_x", "_v"], kind="mergesort").iterrows():
            q = r.get("qualifier")
            q = "" if q is None or pd.isna(q) else str(q).strip()
            label = f"{q} {fmt(r['_v'])}".strip()
            pt = r.get("period_text")
            if pt is not None and not pd.isna(pt) and str(pt).strip() and str(pt).strip() != _fy_label(r["_year"]):
                label += f"\n({str(pt).strip()})"
            texts.append(label)
            xs.append(r["_x"])
            ys.append(r["_v"])
            styles.append(dict(color=palette.TEXT, fontsize=9, gid="point-label"))
        for _, r in df[df["_v"].isna()].iterrows():
            ax.annotate(
                f"{name(r[mcol])}: {missing_label}",
                xy=(r["_year"], 0),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
                fontstyle="italic",
                color=MISSING["text_color"],
                gid="missing-label",
            )
        if len(measures) > 1:
            ncol = min(3, len(measures))
            handles, labs = ax.get_legend_handles_labels()
            ax.legend(
                _row_major(handles, ncol),
                _row_major(labs, ncol),
                loc="upper left",
                bbox_to_anchor=(0, -0.13),
                ncol=ncol,
                frameon=False,
                borderaxespad=0,
            )
        _place_labels(ax, xs, ys, texts, styles=styles, offset_pt=7)
    return _result(fig, ax, given_ax)
