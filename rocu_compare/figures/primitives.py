"""Shared pieces of the chart functions: new figures, results, names, formats, gaps.

Every chart function draws through these: :func:`_fig_ax` makes the figure (or uses
the caller's axes), :func:`_result` decides what the function returns (the caller's
Axes, or a :class:`~rocu_compare.figures.display.ChartDisplay` of a new figure),
:func:`_namer` turns unit ids into display names (:data:`rocu_compare.labels.ROCU_LABELS`
by default), and :func:`_missing_slot` draws a gap as a gap.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping

import matplotlib as mpl
import matplotlib.ticker  # noqa: F401  (mpl.ticker below)
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.patches import Rectangle
from matplotlib.transforms import blended_transform_factory

from ..labels import ROCU_LABELS
from . import palette
from .display import ChartDisplay
from .palette import MISSING, SEQUENTIAL

__all__ = ["GOWER_LABEL", "sequential_cmap"]

GOWER_LABEL = "Gower distance (0 = identical, 1 = maximally different)"

_GRID_GREY = palette.GRID
_TEXT_GREY = palette.TEXT_LIGHT
_LIGHT_BLUE = SEQUENTIAL[2]
_ORANGE = palette.WARN
_MARKERS = ("o", "s", "^", "D", "v", "P")


def _fig_ax(ax, figsize):
    """A new constrained-layout figure with one axes, or the figure of ``ax``."""
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _result(fig, ax, given_ax) -> object:
    """What a chart function returns: the caller's ``ax`` when one was given (the chart
    is drawn there and the caller's figure shows it), else a
    :class:`~rocu_compare.figures.display.ChartDisplay` of the new figure."""
    return ax if given_ax is not None else ChartDisplay(fig, ax)


def _namer(labels: Mapping | None) -> Callable[[object], str]:
    """Display name of a unit: from ``labels``; with ``labels=None`` the ROCU display
    names (:data:`rocu_compare.labels.ROCU_LABELS`); ``labels={}`` shows raw ids."""
    labels = dict(ROCU_LABELS if labels is None else (labels or {}))
    return lambda unit: str(labels.get(unit, unit))


def _formatter(fmt) -> Callable[[float], str]:
    if callable(fmt):
        return fmt
    return lambda v: fmt.format(v)


def _as_float(values) -> pd.Series:
    """Numeric copy with every kind of missing (``pd.NA``, ``None``, text) as NaN."""
    s = pd.Series(values)
    return pd.to_numeric(s.astype(object).where(s.notna(), np.nan), errors="coerce").astype(float)


def _text_on(face) -> str:
    """Black or white, whichever reads better on ``face``."""

    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in to_rgb(face))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b  # WCAG relative luminance
    # Pick the text colour with the higher WCAG contrast ratio.
    return palette.WHITE if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) else palette.TEXT


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=False)) or str(text)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class _ThousandsFormatter(mpl.ticker.Formatter):
    """Tick labels with a thousands separator and the same decimals on every tick.

    10000 -> '10,000'; ticks 0, 0.25, 0.5 -> '0.00', '0.25', '0.50'.
    """

    decimals = 0

    def set_locs(self, locs):
        d = 0
        for v in locs:
            while d < 6 and abs(round(float(v), d) - float(v)) > 1e-9 * max(1.0, abs(float(v))):
                d += 1
        self.decimals = d

    def __call__(self, x, pos=None):
        text = f"{x:,.{self.decimals}f}"
        return text[1:] if text.startswith("-") and float(x) == 0 else text


def _row_major(items, ncol: int) -> list:
    """Reorder legend entries so they read left to right, row by row.

    matplotlib fills legend columns top to bottom; this permutation makes entry
    ``i`` land in row ``i // ncol``, column ``i % ncol``.
    """
    items = list(items)
    n = len(items)
    nrows = -(-n // ncol) if ncol else 0
    return [items[r * ncol + c] for c in range(ncol) for r in range(nrows) if r * ncol + c < n]


def _humanise(kind) -> str:
    text = str(kind).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def _renderer(fig):
    fig.draw_without_rendering()
    return fig._get_renderer()


def sequential_cmap(reverse: bool = False) -> LinearSegmentedColormap:
    """A continuous colour map built from :data:`palette.SEQUENTIAL`.

    Runs from dark blue (low values) through mid and light blue to a very pale blue
    (high values); ``reverse=True`` runs the other way.
    """
    colours = [SEQUENTIAL[0], SEQUENTIAL[1], SEQUENTIAL[2], palette.SEQUENTIAL_PALE]
    if reverse:
        colours = colours[::-1]
    return LinearSegmentedColormap.from_list("rocu_sequential" + ("_r" if reverse else ""), colours)


def _fit_xlim_to_texts(ax, texts, pad_px: float = 6.0, iterations: int = 3) -> None:
    """Widen the x-limits until every text lies inside the axes.

    Each text is anchored at a data x; its pixel width (plus offset) does not change
    with the limits, so the needed data range can be solved for directly. Repeated
    because constrained layout may resize the axes when tick labels change.
    """
    texts = [t for t in texts if t is not None and t.get_text()]
    if not texts:
        return
    for _ in range(iterations):
        renderer = _renderer(ax.figure)
        box = ax.get_window_extent(renderer)
        x0, x1 = ax.get_xlim()
        need = x1
        # Labels left of negative bars: lower the left limit by the overhang.
        overhang = max([box.x0 + pad_px - t.get_window_extent(renderer).x0 for t in texts] + [0.0])
        new_x0 = x0 - overhang * (x1 - x0) / box.width * 1.1 if overhang > 0 else x0
        for t in texts:
            anchor_x = _text_anchor_data_x(t)
            if anchor_x is None:
                continue
            anchor_px = ax.transData.transform((anchor_x, 0))[0]
            extent = t.get_window_extent(renderer).x1 - anchor_px  # px right of the anchor
            room = box.width - pad_px - extent
            if room <= 0:
                continue
            need = max(need, x0 + (anchor_x - x0) * box.width / room)
        if need <= x1 + 1e-9 * abs(x1) + 1e-12 and new_x0 == x0:
            return
        ax.set_xlim(new_x0, max(need, x1))


def _text_anchor_data_x(t):
    xy = getattr(t, "xy", None)  # Annotation
    if xy is not None:
        return float(xy[0])
    tr = t.get_transform()
    if tr == t.axes.transData:
        return float(t.get_position()[0])
    return None


def _missing_slot(ax, y, height, label, *, x0=0.0, x1=1.0):
    """Dashed empty slot across the axes width at data ``y``, with its label."""
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    slot = Rectangle(
        (x0, y - height / 2),
        x1 - x0,
        height,
        transform=trans,
        fill=False,
        edgecolor=MISSING["edgecolor"],
        linestyle=MISSING["linestyle"],
        linewidth=MISSING["linewidth"],
        gid="missing-slot",
        clip_on=False,
    )
    ax.add_patch(slot)
    txt = ax.text(
        x0 + 0.012,
        y,
        label,
        transform=trans,
        ha="left",
        va="center",
        color=MISSING["text_color"],
        fontstyle="italic",
        gid="missing-label",
    )
    return slot, txt
