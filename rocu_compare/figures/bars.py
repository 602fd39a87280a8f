"""Horizontal bar charts: the HMICFRS-style ski slope and 0-1 stability bars.

A missing value is a dashed empty slot labelled in words, below the bars, never a zero bar.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from . import palette
from .palette import FOCUS, FOCUS_GREY
from .primitives import (
    _GRID_GREY,
    _TEXT_GREY,
    _as_float,
    _fig_ax,
    _fit_xlim_to_texts,
    _formatter,
    _missing_slot,
    _namer,
    _renderer,
    _result,
    _ThousandsFormatter,
)
from .style import house_style

__all__ = ["ski_slope", "stability_bars"]


def _hbar(
    ax,
    values,
    *,
    highlight,
    reference,
    reference_label,
    value_label,
    labels,
    missing_label,
    fmt,
    xlim=None,
    sort=True,
    percent_axis=False,
):
    name = _namer(labels)
    fmt = _formatter(fmt)
    v = _as_float(values)
    units = list(v.index)
    if highlight is not None and highlight not in units:
        raise ValueError(f"highlight {highlight!r} is not one of the units: {units}")
    present = v.dropna()
    missing = [u for u in units if pd.isna(v[u])]
    if sort:
        # Largest at top; ties in label order so the result never depends on input order.
        keyed = sorted(present.index, key=lambda u: (-present[u], name(u)))
        missing = sorted(missing, key=name)
    else:
        keyed = list(present.index)
    n, m = len(keyed), len(missing)
    y_present = np.arange(n, dtype=float)
    gap = 0.6 if (n and m) else 0.0
    y_missing = n + gap + np.arange(m, dtype=float)

    colours = [FOCUS if (highlight is None or u == highlight) else FOCUS_GREY for u in keyed]
    vals = present.reindex(keyed).to_numpy(float)
    ax.barh(y_present, vals, height=0.7, color=colours, label="_values", gid="values", zorder=2)

    lo = min(0.0, float(np.nanmin(vals))) if n else 0.0
    hi = max([0.0] + ([float(np.nanmax(vals))] if n else []) + ([float(reference)] if reference is not None else []))
    if xlim is not None:
        lo, hi = xlim
    elif hi == lo:
        hi = lo + 1.0
    ax.set_xlim(lo, hi * 1.02 if xlim is None else hi)

    texts = []
    # A white box behind each value label keeps a reference line from striking through it.
    box = dict(boxstyle="square,pad=0.12", facecolor=palette.WHITE, edgecolor="none")
    for y, u, val in zip(y_present, keyed, vals):
        bold = highlight is not None and u == highlight
        right = val >= 0
        t = ax.annotate(
            fmt(val),
            xy=(val, y),
            xytext=(4 if right else -4, 0),
            textcoords="offset points",
            ha="left" if right else "right",
            va="center",
            bbox=box,
            zorder=4,
            fontweight="bold" if bold else "normal",
            gid="value-label",
        )
        texts.append(t)

    top = -0.6
    ref_text = None
    if reference is not None:
        top = -1.45
        ax.plot(
            [reference, reference],
            [-0.75, (n - 0.4) if n else 0.4],
            color=_TEXT_GREY,
            linestyle=(0, (4, 2)),
            linewidth=1.2,
            zorder=3,
            gid="reference-line",
        )
        ref_text = ax.annotate(
            f"{reference_label}: {fmt(reference)}" if reference_label else fmt(reference),
            xy=(reference, -0.75),
            xytext=(4, 0),
            textcoords="offset points",
            ha="left",
            va="bottom",
            color=_TEXT_GREY,
            gid="reference-label",
        )
        texts.append(ref_text)
    bottom = (y_missing[-1] + 0.6) if m else (n - 0.4 if n else 0.4)
    ax.set_ylim(bottom, top)  # inverted: first row at the top

    ticks = list(y_present) + list(y_missing)
    ax.set_yticks(ticks, [name(u) for u in keyed] + [name(u) for u in missing])
    for tick, u in zip(ax.get_yticklabels(), keyed + missing):
        if highlight is not None and u == highlight:
            tick.set_fontweight("bold")

    ax.grid(False, axis="y")
    ax.grid(True, axis="x", color=_GRID_GREY)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_visible(True)
    ax.tick_params(axis="y", length=0)
    if value_label:
        ax.set_xlabel(value_label)
    ax.xaxis.set_major_formatter(_ThousandsFormatter())
    if percent_axis:
        from matplotlib.ticker import FixedLocator, PercentFormatter

        ax.xaxis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1.0]))
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))

    if xlim is None or percent_axis:
        _fit_xlim_to_texts(ax, texts)

    if ref_text is not None:
        # Flip the reference label to the left of its line if it ran past the right edge.
        renderer = _renderer(ax.figure)
        if ref_text.get_window_extent(renderer).x1 > ax.get_window_extent(renderer).x1:
            ref_text.xyann = (-4, 0)
            ref_text.set_ha("right")

    for y, _u in zip(y_missing, missing):
        _missing_slot(ax, y, 0.7, missing_label)
    return ax


def _from_data(values, data, column, unit) -> pd.Series:
    """The values to draw: ``values`` as given, or ``data[column]`` indexed by unit."""
    if isinstance(values, pd.DataFrame):
        values, data = None, values
    if data is None:
        if values is None:
            raise ValueError("give the values (a Series by unit), or data= and column=")
        return pd.Series(values)
    if values is not None:
        raise ValueError("give either values or data=, not both")
    if column is None or column not in data.columns:
        raise ValueError(f"column= must name a column of data; got {column!r}, columns {list(data.columns)}")
    out = data[column]
    if unit is not None:
        out = pd.Series(out.to_numpy(), index=list(data[unit]), name=column)
    return out


def ski_slope(
    values: pd.Series | pd.DataFrame | None = None,
    *,
    data: pd.DataFrame | None = None,
    column: str | None = None,
    unit: str | None = None,
    highlight=None,
    reference: float | None = None,
    reference_label: str = "England and Wales",
    value_label: str = "",
    labels: Mapping | None = None,
    missing_label: str = "not published",
    fmt: str | Callable = "{:,.0f}",
    ax=None,
):
    """HMICFRS-style "ski slope": every unit as a sorted horizontal bar.

    Parameters
    ----------
    values : Series or DataFrame
        One value per unit, indexed by unit id (e.g. a column of
        ``ds.rocu_context(date)``). Missing values (NaN, ``pd.NA``) are listed below
        the bars as dashed empty slots, never as zero bars. A DataFrame is read as
        ``data``.
    data : DataFrame, optional
        A table with one row per unit; the bars are its ``column``.
    column : str
        The column of ``data`` to draw.
    unit : str, optional
        The column of ``data`` holding the unit ids (default: its index).
    highlight : optional
        The unit in focus, drawn dark blue (others grey) with a bold label. With no
        highlight, every bar is dark blue.
    reference : float, optional
        A comparison value (e.g. the England and Wales figure) drawn as a dashed
        vertical line and labelled ``"{reference_label}: {value}"``.
    reference_label : str
    value_label : str
        The x-axis label (measure and unit).
    labels : dict, optional
        Display name per unit id (default: the ROCU display names,
        :data:`rocu_compare.labels.ROCU_LABELS`; ``{}`` shows the ids).
    missing_label : str
        Text in the slot of a missing unit.
    fmt : str or callable
        Format of the value labels at the bar ends, e.g. ``"{:,.0f}"``.
    ax : matplotlib Axes, optional
        Draw here instead of on a new figure.

    Returns
    -------
    Axes or ChartDisplay
        ``ax`` when given (drawn on); else a :class:`~rocu_compare.figures.display.ChartDisplay`
        of a new figure (``.figure_``, ``.ax_``; shows itself once in a notebook).

    Raises
    ------
    ValueError
        If ``highlight`` is not one of the units, or ``data`` lacks ``column``.

    Examples
    --------
    >>> import pandas as pd
    >>> disp = ski_slope(pd.Series({"a": 3.0, "b": 1.0, "c": None}), highlight="a", reference=2)
    >>> len(disp.ax_.containers[0])    # bars for the two published values only
    2
    >>> t = pd.DataFrame({"rocu_id": ["nersou", "tarian"], "officers": [120.0, 80.0]})
    >>> disp = ski_slope(data=t, column="officers", unit="rocu_id")
    >>> [x.get_text() for x in disp.ax_.get_yticklabels()]    # display names by default
    ['NERSOU', 'Tarian']
    """
    values = _from_data(values, data, column, unit)
    n_rows = len(values)
    with house_style():
        given_ax = ax
        fig, ax = _fig_ax(ax, (8, 0.42 * n_rows + 1.5))
        _hbar(
            ax,
            values,
            highlight=highlight,
            reference=reference,
            reference_label=reference_label,
            value_label=value_label,
            labels=labels,
            missing_label=missing_label,
            fmt=fmt,
        )
    return _result(fig, ax, given_ax)


def stability_bars(
    table,
    value_col: str = "share_same_peers",
    label_col: str | None = None,
    value_label: str = "",
    *,
    labels: Mapping | None = None,
    highlight=None,
    reference: float | None = None,
    reference_label: str = "",
    missing_label: str = "not available",
    fmt: str | Callable = "{:.0%}",
    ax=None,
):
    """Horizontal bars on a 0–1 scale, e.g. the share of perturbations in which each
    unit keeps the same nearest peer.

    Parameters
    ----------
    table : DataFrame or RobustnessResult
        One row per unit; a :class:`~rocu_compare.compare.RobustnessResult` (or a
        ``Comparison``, for its ``robustness``) draws its ``peer_stability``.
    value_col : str
        Column of shares between 0 and 1 (NaN for units without a result).
    label_col : str, optional
        Column of display names. Default: the ``unit`` column (else the index),
        named through ``labels``.
    value_label : str
        The x-axis label.
    labels : dict, optional
        Display name per unit when ``label_col`` is not given (default: the ROCU
        display names).
    highlight, reference, reference_label, missing_label, fmt, ax
        As for :func:`ski_slope`; values are shown as percentages by default.

    Returns
    -------
    Axes or ChartDisplay
        ``ax`` when given (drawn on); else a :class:`~rocu_compare.figures.display.ChartDisplay`
        of a new figure (``.figure_``, ``.ax_``; shows itself once in a notebook).

    Raises
    ------
    ValueError
        If a value lies outside 0–1, or the labels are not unique.
    """
    if hasattr(table, "robustness") and not isinstance(table, pd.DataFrame):  # a Comparison
        table = table.robustness
    if not isinstance(table, pd.DataFrame) and hasattr(table, "peer_stability"):  # a RobustnessResult
        table = table.peer_stability
    if label_col is None:
        name = _namer(labels)
        units = table["unit"] if "unit" in table.columns else table.index
        names = [name(u) for u in units]
        highlight = None if highlight is None else name(highlight)
    else:
        names = list(table[label_col].astype(str))
    if pd.Index(names).duplicated().any():
        raise ValueError(f"labels in column {label_col!r} must be unique" if label_col else "units must be unique")
    values = _as_float(table[value_col].to_numpy())
    values.index = names
    if ((values < 0) | (values > 1)).any():
        raise ValueError(f"column {value_col!r} must hold shares between 0 and 1")
    with house_style():
        given_ax = ax
        fig, ax = _fig_ax(ax, (8, 0.42 * len(values) + 1.3))
        _hbar(
            ax,
            values,
            highlight=highlight,
            reference=reference,
            reference_label=reference_label,
            value_label=value_label,
            labels={},
            missing_label=missing_label,
            fmt=fmt,
            xlim=(0.0, 1.0),
            percent_axis=True,
        )
    return _result(fig, ax, given_ax)
