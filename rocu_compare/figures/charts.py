"""Generic figure primitives in the house style.

Every function takes data (a :class:`pandas.Series` or :class:`pandas.DataFrame`)
plus an optional ``ax``, draws in the house style, and returns the
:class:`~matplotlib.figure.Figure`. None of them reads or writes files: save with
:func:`rocu_compare.figures.save_figure`. No figure carries a title; titles,
subtitles, alt text and the source line go in the sidecar
(:class:`rocu_compare.figures.FigureMeta`).

Gaps are shown as gaps: a missing value is an empty, dashed-outline slot labelled
"not published" (or the caller's label), never a zero.

New figures are plain :class:`matplotlib.figure.Figure` objects (not registered
with pyplot), so they are not shown twice in a notebook and are freed when no longer
referenced.
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Mapping, Sequence

import matplotlib as mpl
import matplotlib.ticker  # noqa: F401  (mpl.ticker below)
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import Bbox, blended_transform_factory

from . import palette
from .palette import FOCUS, FOCUS_GREY, MISSING, SEQUENTIAL
from ..validate import partial_period
from .style import house_style

__all__ = [
    "GOWER_LABEL",
    "completeness_grid",
    "distance_heatmap",
    "funding_series",
    "grade_scatter",
    "mds_map",
    "membership_mismatch",
    "peers_table",
    "presence_matrix",
    "sequential_cmap",
    "ski_slope",
    "stability_bars",
    "timeline_chart",
]

GOWER_LABEL = "Gower distance (0 = identical, 1 = maximally different)"

_GRID_GREY = "#D9D9D9"
_TEXT_GREY = "#3D3D3D"
_LIGHT_BLUE = SEQUENTIAL[2]
_ORANGE = "#F46A25"
_MARKERS = ("o", "s", "^", "D", "v", "P")


# --------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------
def _fig_ax(ax, figsize):
    """A new constrained-layout figure with one axes, or the figure of ``ax``."""
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _namer(labels: Mapping | None) -> Callable[[object], str]:
    labels = dict(labels or {})
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
    return "#FFFFFF" if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) else "#000000"


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
    colours = [SEQUENTIAL[0], SEQUENTIAL[1], SEQUENTIAL[2], "#EAF3FB"]
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


def _candidate_offsets(base: float, prefer: str = "horizontal"):
    d = base * 0.8
    sides = [(base, 0, "left", "center"), (-base, 0, "right", "center")]
    ends = [(0, base, "center", "bottom"), (0, -base, "center", "top")]
    diagonals = [(d, d, "left", "bottom"), (d, -d, "left", "top"),
                 (-d, d, "right", "bottom"), (-d, -d, "right", "top")]
    ring = (ends + diagonals + sides) if prefer == "vertical" else (sides + ends + diagonals)
    out = [(dx, dy, ha, va, False) for dx, dy, ha, va in ring]
    for k in (2.6, 4.2, 6.0):
        out += [(dx * k, dy * k, ha, va, True) for dx, dy, ha, va in ring]
    return out


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if (w > 0 and h > 0) else 0.0


def _place_labels(ax, xs, ys, texts, *, styles=None, offset_pt: float = 6.0,
                  marker_pt: float = 5.0, avoid: Sequence[Bbox] = (), prefer: str = "horizontal"):
    """Label points directly, nudging labels that would collide (deterministic).

    Labels are placed one at a time, in the order given, at the first of a fixed
    list of positions around the point (right, left, above, below, diagonals, then
    the same further out with a thin leader line) that overlaps neither an earlier
    label, nor any point, nor a box in ``avoid`` (display coordinates, e.g. error
    bars), nor leaves the axes. If no position is free, the one with the least
    overlap is used. ``prefer="vertical"`` tries above and below first.

    Returns
    -------
    list of matplotlib.text.Annotation
    """
    fig = ax.figure
    styles = styles or [{} for _ in texts]
    renderer = _renderer(fig)
    scale = fig.dpi / 72.0
    axbox = ax.get_window_extent(renderer)
    pts = ax.transData.transform(np.column_stack([np.asarray(xs, float), np.asarray(ys, float)]))
    r = marker_pt * scale
    point_boxes = [Bbox.from_extents(px - r, py - r, px + r, py + r) for px, py in pts]
    placed: list[Bbox] = list(avoid)
    out = []
    for i, (x, y, text, style) in enumerate(zip(xs, ys, texts, styles)):
        ann = ax.annotate(text, xy=(x, y), xytext=(offset_pt, 0), textcoords="offset points",
                          ha="left", va="center", **style)
        best, best_score = None, math.inf
        for dx, dy, ha, va, far in _candidate_offsets(offset_pt, prefer):
            ann.xyann = (dx, dy)
            ann.set_ha(ha)
            ann.set_va(va)
            bb = ann.get_window_extent(renderer).padded(2.5 * scale)
            outside = (bb.x0 < axbox.x0) or (bb.x1 > axbox.x1) or (bb.y0 < axbox.y0) or (bb.y1 > axbox.y1)
            clash = sum(_overlap(bb, p) for p in placed)
            clash += sum(_overlap(bb, p) for j, p in enumerate(point_boxes) if j != i)
            clash += 1e9 if outside else 0.0
            if clash == 0:  # candidates run from near to far: the first free one wins
                best = (dx, dy, ha, va, far)
                break
            if clash < best_score:
                best, best_score = (dx, dy, ha, va, far), clash
        dx, dy, ha, va, far = best
        ann.remove()
        arrow = dict(arrowstyle="-", color="#8C8C8C", lw=0.6, shrinkA=0, shrinkB=marker_pt * 0.9) if far else None
        ann = ax.annotate(text, xy=(x, y), xytext=(dx, dy), textcoords="offset points",
                          ha=ha, va=va, arrowprops=arrow, **style)
        ann.set_in_layout(False)  # labels sit inside the axes; never let them squeeze the layout
        placed.append(ann.get_window_extent(renderer).padded(2.5 * scale))
        out.append(ann)
    return out


def _missing_slot(ax, y, height, label, *, x0=0.0, x1=1.0):
    """Dashed empty slot across the axes width at data ``y``, with its label."""
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    slot = Rectangle((x0, y - height / 2), x1 - x0, height, transform=trans, fill=False,
                     edgecolor=MISSING["edgecolor"], linestyle=MISSING["linestyle"],
                     linewidth=MISSING["linewidth"], gid="missing-slot", clip_on=False)
    ax.add_patch(slot)
    txt = ax.text(x0 + 0.012, y, label, transform=trans, ha="left", va="center",
                  color=MISSING["text_color"], fontstyle="italic", gid="missing-label")
    return slot, txt


def _hbar(ax, values, *, highlight, reference, reference_label, value_label, labels,
          missing_label, fmt, xlim=None, sort=True, percent_axis=False):
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
    box = dict(boxstyle="square,pad=0.12", facecolor="#FFFFFF", edgecolor="none")
    for y, u, val in zip(y_present, keyed, vals):
        bold = highlight is not None and u == highlight
        right = val >= 0
        t = ax.annotate(fmt(val), xy=(val, y), xytext=(4 if right else -4, 0), textcoords="offset points",
                        ha="left" if right else "right", va="center", bbox=box, zorder=4,
                        fontweight="bold" if bold else "normal", gid="value-label")
        texts.append(t)

    top = -0.6
    ref_text = None
    if reference is not None:
        top = -1.45
        ax.plot([reference, reference], [-0.75, (n - 0.4) if n else 0.4], color=_TEXT_GREY,
                linestyle=(0, (4, 2)), linewidth=1.2, zorder=3, gid="reference-line")
        ref_text = ax.annotate(f"{reference_label}: {fmt(reference)}" if reference_label else fmt(reference),
                               xy=(reference, -0.75), xytext=(4, 0), textcoords="offset points",
                               ha="left", va="bottom", color=_TEXT_GREY, gid="reference-label")
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


# --------------------------------------------------------------------------------------
# ski slope and bar charts
# --------------------------------------------------------------------------------------
def ski_slope(
    values: pd.Series,
    *,
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
    values : Series
        One value per unit, indexed by unit id. Missing values (NaN, ``pd.NA``)
        are listed below the bars as dashed empty slots, never as zero bars.
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
        Display name per unit id.
    missing_label : str
        Text in the slot of a missing unit.
    fmt : str or callable
        Format of the value labels at the bar ends, e.g. ``"{:,.0f}"``.
    ax : matplotlib Axes, optional
        Draw here instead of on a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``highlight`` is not one of the units.

    Examples
    --------
    >>> import pandas as pd
    >>> fig = ski_slope(pd.Series({"a": 3.0, "b": 1.0, "c": None}), highlight="a", reference=2)
    >>> len(fig.axes[0].containers[0])    # bars for the two published values only
    2
    """
    values = pd.Series(values)
    n_rows = len(values)
    with house_style():
        fig, ax = _fig_ax(ax, (8, 0.42 * n_rows + 1.5))
        _hbar(ax, values, highlight=highlight, reference=reference, reference_label=reference_label,
              value_label=value_label, labels=labels, missing_label=missing_label, fmt=fmt)
    return fig


def stability_bars(
    table: pd.DataFrame,
    value_col: str,
    label_col: str,
    value_label: str = "",
    *,
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
    table : DataFrame
        One row per unit.
    value_col : str
        Column of shares between 0 and 1 (NaN for units without a result).
    label_col : str
        Column of display names.
    value_label : str
        The x-axis label.
    highlight, reference, reference_label, missing_label, fmt, ax
        As for :func:`ski_slope`; values are shown as percentages by default.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If a value lies outside 0–1, or the labels are not unique.
    """
    if table[label_col].duplicated().any():
        raise ValueError(f"labels in column {label_col!r} must be unique")
    values = _as_float(table[value_col].to_numpy())
    values.index = list(table[label_col].astype(str))
    if ((values < 0) | (values > 1)).any():
        raise ValueError(f"column {value_col!r} must hold shares between 0 and 1")
    with house_style():
        fig, ax = _fig_ax(ax, (8, 0.42 * len(values) + 1.3))
        _hbar(ax, values, highlight=highlight, reference=reference, reference_label=reference_label,
              value_label=value_label, labels=None, missing_label=missing_label, fmt=fmt,
              xlim=(0.0, 1.0), percent_axis=True)
    return fig


# --------------------------------------------------------------------------------------
# distances and structure
# --------------------------------------------------------------------------------------
def distance_heatmap(
    distance: pd.DataFrame,
    linkage=None,
    order: Sequence | None = None,
    labels: Mapping | None = None,
    cmap=None,
    *,
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
    distance : DataFrame
        Square, symmetric, same labels in index and columns. NaN cells (distance
        undefined) are hatched grey and marked ``missing_label``.
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
    matplotlib.figure.Figure
    """
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
        fig, ax = _fig_ax(ax, (side + 0.6, side + (1.6 if z is not None else 0.6)))
        im = ax.imshow(np.ma.masked_invalid(arr), cmap=cmap, vmin=vmin, vmax=vmax,
                       interpolation="nearest", aspect="equal")
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
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=MISSING["fill_grey"],
                                           hatch=MISSING["hatch"], edgecolor=MISSING["edgecolor"],
                                           linewidth=0, gid="missing-cell"))
                    ax.text(j, i, missing_label, ha="center", va="center", fontsize=fs,
                            color=MISSING["text_color"], fontstyle="italic", gid="missing-label",
                            bbox=dict(boxstyle="square,pad=0.1", facecolor=MISSING["fill_grey"], linewidth=0))
                elif annotate:
                    face = cmap(im.norm(val))
                    ax.text(j, i, f"{val:.2f}", ha="center", va="center", fontsize=fs,
                            color=_text_on(face[:3]), gid="cell-value")
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        cb = fig.colorbar(im, ax=ax, location="bottom", shrink=0.8, aspect=30, pad=0.02)
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
    return fig


def mds_map(
    coords: pd.DataFrame,
    variance_explained,
    labels: Mapping | None = None,
    highlight=None,
    *,
    wrap: int = 22,
    ax=None,
):
    """Two-dimensional map of units from classical MDS, labelled directly.

    Parameters
    ----------
    coords : DataFrame
        One row per unit, columns ``dim1`` and ``dim2``.
    variance_explained : sequence or Series
        Share of variance of each dimension, as fractions (0–1) or percentages.
    labels : dict, optional
        Display name per unit.
    highlight : optional
        The unit in focus (dark blue, bold); the others grey.
    wrap : int
        Labels longer than this many characters are wrapped onto more lines.
    ax : Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Labels are placed by a deterministic nudge: each label tries a fixed list of
    positions around its point and takes the first free one, with a leader line
    when it had to move further out.
    """
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
        fig, ax = _fig_ax(ax, (8, min(max(8 * ratio + 0.9, 3.5), 9.5)))
        focus = [u == highlight for u in c.index]
        colours = [FOCUS if (highlight is None or f) else FOCUS_GREY for f in focus]
        ax.axhline(0, color=_GRID_GREY, linewidth=0.8, zorder=0)
        ax.axvline(0, color=_GRID_GREY, linewidth=0.8, zorder=0)
        ax.grid(False)
        ax.scatter(c["dim1"], c["dim2"], s=46, c=colours, zorder=3, edgecolors="white", linewidths=0.6,
                   gid="points")
        ax.set_xlabel(f"Dimension 1 ({as_pct[0]:.0f}% of variance)")
        ax.set_ylabel(f"Dimension 2 ({as_pct[1]:.0f}% of variance)")
        ax.spines["left"].set_visible(False)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect("equal", adjustable="box")
        order = sorted(range(len(c)), key=lambda i: (not focus[i], -c["dim2"].iloc[i], c["dim1"].iloc[i]))
        styles = [dict(fontweight="bold" if focus[i] else "normal",
                       color="#000000" if (highlight is None or focus[i]) else _TEXT_GREY, gid="point-label")
                  for i in order]
        _place_labels(ax, c["dim1"].iloc[order].to_numpy(), c["dim2"].iloc[order].to_numpy(),
                      [_wrap(name(c.index[i]), wrap) for i in order], styles=styles)
    return fig


def peers_table(
    peers: pd.DataFrame,
    labels: Mapping | None = None,
    *,
    fmt: str = "{:.2f}",
    missing_label: str = "n/a",
    ax=None,
):
    """Table of each unit's nearest peers, with the distance to each.

    Parameters
    ----------
    peers : DataFrame
        Long table with columns ``unit``, ``rank`` (1, 2, ...), ``peer`` and
        ``distance`` (as returned by :func:`rocu_compare.compare.nearest_peers`).
    labels : dict, optional
        Display name per unit.
    fmt : str
        Format of the distances.
    missing_label : str
        Shown where a peer or its distance is missing.
    ax : Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    need = {"unit", "rank", "peer", "distance"} - set(peers.columns)
    if need:
        raise ValueError(f"peers needs columns unit, rank, peer, distance; missing {sorted(need)}")
    name = _namer(labels)
    units = list(dict.fromkeys(peers["unit"]))
    ranks = sorted(int(r) for r in pd.unique(peers["rank"].dropna()))
    header = ["Unit"] + [("Nearest peer" if r == 1 else f"{_ordinal(r)} nearest") + " (distance)" for r in ranks]
    rows = []
    for u in units:
        sub = peers[peers["unit"] == u]
        row = [name(u)]
        for r in ranks:
            hit = sub[sub["rank"] == r]
            if hit.empty or pd.isna(hit["peer"].iloc[0]):
                row.append(missing_label)
                continue
            dist = hit["distance"].iloc[0]
            dist_txt = missing_label if pd.isna(dist) else fmt.format(float(dist))
            row.append(f"{name(hit['peer'].iloc[0])}  ({dist_txt})")
        rows.append(row)

    widths = [max(len(str(r[k])) for r in rows + [header]) for k in range(len(header))]
    char_in = 0.078  # ~average DejaVu Sans glyph width at 10 pt, in inches
    fig_w = sum(widths) * char_in + 0.35 * len(widths) + 0.3
    with house_style():
        fig, ax = _fig_ax(ax, (fig_w, 0.34 * (len(rows) + 1) + 0.4))
        ax.set_axis_off()
        col_w = [w + 4 for w in widths]
        col_w = [w / sum(col_w) for w in col_w]
        table = ax.table(cellText=rows, colLabels=header, colWidths=col_w, cellLoc="left",
                         colLoc="left", loc="upper left", bbox=[0, 0, 1, 1], edges="horizontal")
        table.auto_set_font_size(False)
        table.set_fontsize(10)
        table.set_gid("peers-table")
        for (r, _c), cell in table.get_celld().items():
            cell.set_edgecolor(_GRID_GREY)
            cell.set_linewidth(0.6)
            cell.PAD = 0.04
            if r == 0:
                cell.set_text_props(fontweight="bold")
                cell.set_edgecolor(_TEXT_GREY)
                cell.visible_edges = "B"
                cell.set_linewidth(1.0)
            elif _c == 0:
                cell.set_text_props(fontweight="bold")
    return fig


# --------------------------------------------------------------------------------------
# cell grids: presence, membership, completeness
# --------------------------------------------------------------------------------------
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
    ax.set_xticks(range(nc), [_wrap(c, wrap) for c in col_labels], rotation=rotation,
                  ha="left" if rotation else "center", va="bottom", rotation_mode="anchor")
    ax.set_yticks(range(nr), list(row_labels))
    ax.tick_params(length=0)


def _cell(ax, r, c, *, face, edge, text="", text_color="#000000", linestyle="-", fontsize=9,
          gid=None, fontstyle="normal"):
    ax.add_patch(Rectangle((c - 0.46, r - 0.46), 0.92, 0.92, facecolor=face, edgecolor=edge,
                           linewidth=0.8, linestyle=linestyle, gid=gid))
    if text:
        ax.text(c, r, text, ha="center", va="center", color=text_color, fontsize=fontsize,
                fontstyle=fontstyle, gid=(gid + "-text") if gid else None)


def _legend_below(ax, handles, ncol=None, y=-0.03):
    ncol = ncol or min(len(handles), 3)
    return ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, y), ncol=ncol,
                     frameon=False, handlelength=1.4, handleheight=1.1, borderaxespad=0,
                     columnspacing=1.6)


_PRESENCE_LEGEND = {
    "dated": "Public evidence (year of earliest evidence)",
    "undated": "Public evidence, undated",
    "none": "No public evidence found (not evidence of absence)",
}


def presence_matrix(
    matrix: pd.DataFrame,
    legend: Mapping | None = None,
    *,
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
    matplotlib.figure.Figure
    """
    m = pd.DataFrame(matrix)
    name = _namer(labels)
    text = {**_PRESENCE_LEGEND, **dict(legend or {})}
    nr, nc = m.shape
    longest = max([len(_wrap(c, wrap).split("\n")[0]) for c in m.columns] + [1])
    with house_style():
        fig, ax = _fig_ax(ax, (max(6.5, 0.6 * nc + 2.8 + 0.05 * longest), 0.5 * nr + 0.06 * longest + 1.6))
        _grid_axes(ax, [name(u) for u in m.index], list(map(str, m.columns)), wrap=wrap)
        for r, _u in enumerate(m.index):
            for c, _item in enumerate(m.columns):
                val = m.iloc[r, c]
                s = "" if pd.isna(val) else str(val).strip()
                if not s:
                    _cell(ax, r, c, face="#FFFFFF", edge=_GRID_GREY, gid="cell-none")
                elif s.lower() == undated.lower():
                    _cell(ax, r, c, face=_LIGHT_BLUE, edge=_LIGHT_BLUE, text="undated", fontsize=7,
                          text_color="#000000", gid="cell-undated")
                else:
                    _cell(ax, r, c, face=FOCUS, edge=FOCUS, text=s, text_color="#FFFFFF",
                          fontsize=8 if len(s) <= 4 else 6.5, gid="cell-dated")
        handles = [
            Patch(facecolor=FOCUS, edgecolor=FOCUS, label=text["dated"]),
            Patch(facecolor=_LIGHT_BLUE, edgecolor=_LIGHT_BLUE, label=text["undated"]),
            Patch(facecolor="#FFFFFF", edgecolor="#A6A6A6", label=text["none"]),
        ]
        _legend_below(ax, handles, ncol=1, y=-0.02)
    return fig


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
    matplotlib.figure.Figure

    Notes
    -----
    Aligned cells are dark blue with a white count; misaligned (off-diagonal) cells
    are orange (#F46A25) with a black count and a dark outline, so they stand out by
    lightness and outline as well as hue. Empty cells stay blank.
    """
    m = pd.DataFrame(matrix).apply(pd.to_numeric, errors="coerce").fillna(0)
    name = _namer(labels)
    if aligned is None:
        if m.shape[0] == m.shape[1]:
            aligned = {r: c for r, c in zip(m.index, m.columns)}
        else:
            aligned = {r: m.loc[r].idxmax() for r in m.index}
    text = {"aligned": "Forces in the ROCU that matches their region",
            "misaligned": "Forces in another region's ROCU", **dict(legend or {})}
    nr, nc = m.shape
    with house_style():
        fig, ax = _fig_ax(ax, (0.62 * nc + 3.4, 0.52 * nr + 2.6))
        _grid_axes(ax, [name(r) for r in m.index], [name(c) for c in m.columns], wrap=20)
        for r, reg in enumerate(m.index):
            for c, col in enumerate(m.columns):
                k = m.iloc[r, c]
                count = f"{k:g}"
                if k == 0:
                    _cell(ax, r, c, face="#FFFFFF", edge="#EDEDED", gid="cell-empty")
                elif aligned.get(reg) == col:
                    _cell(ax, r, c, face=FOCUS, edge=FOCUS, text=count, text_color="#FFFFFF",
                          fontsize=10, gid="cell-aligned")
                else:
                    _cell(ax, r, c, face=_ORANGE, edge="#000000", text=count, text_color="#000000",
                          fontsize=10, gid="cell-misaligned")
        ax.set_ylabel(row_title)
        ax.set_xlabel(col_title)
        handles = [Patch(facecolor=FOCUS, edgecolor=FOCUS, label=text["aligned"]),
                   Patch(facecolor=_ORANGE, edgecolor="#000000", label=text["misaligned"])]
        _legend_below(ax, handles, ncol=1, y=-0.02)
    return fig


def completeness_grid(
    coverage: pd.DataFrame,
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
    coverage : DataFrame
        Rows are units, columns attributes; True where published, False or NaN
        where not.
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
    matplotlib.figure.Figure

    Notes
    -----
    Published cells are dark blue with a white tick; unpublished cells are empty with
    a dashed outline and a dash, so the two read apart without colour.
    """
    cov = pd.DataFrame(coverage)
    name = _namer(labels)
    nr, nc = cov.shape
    longest = max([len(_wrap(c, wrap).split("\n")[0]) for c in cov.columns] + [1])
    with house_style():
        fig, ax = _fig_ax(ax, (max(6.0, 0.6 * nc + 2.8 + 0.05 * longest), 0.5 * nr + 0.06 * longest + 1.4))
        _grid_axes(ax, [name(u) for u in cov.index], list(map(str, cov.columns)), wrap=wrap)
        for r in range(nr):
            for c in range(nc):
                v = cov.iloc[r, c]
                published = (not pd.isna(v)) and bool(v)
                mine = analyst is not None and published and bool(pd.DataFrame(analyst).iloc[r, c])
                if mine:
                    _cell(ax, r, c, face=palette.CATEGORICAL[1], edge=palette.CATEGORICAL[1], text="A",
                          text_color="#FFFFFF", fontsize=10, gid="cell-analyst")
                elif published:
                    _cell(ax, r, c, face=FOCUS, edge=FOCUS, text="\u2713", text_color="#FFFFFF",
                          fontsize=11, gid="cell-published")
                else:
                    _cell(ax, r, c, face="#FFFFFF", edge=MISSING["edgecolor"], text="\u2013",
                          text_color=MISSING["text_color"], linestyle=MISSING["linestyle"],
                          fontsize=13, gid="cell-not-published")
        handles = [Patch(facecolor=FOCUS, edgecolor=FOCUS, label=f"\u2713  {published_label}"),
                   Patch(facecolor="#FFFFFF", edgecolor=MISSING["edgecolor"], linestyle="--",
                         label=f"\u2013  {missing_label}")]
        if analyst is not None:
            handles.insert(1, Patch(facecolor=palette.CATEGORICAL[1], edgecolor=palette.CATEGORICAL[1],
                                    label=f"A  {analyst_label}"))
        _legend_below(ax, handles, ncol=len(handles), y=-0.02)
    return fig


# --------------------------------------------------------------------------------------
# time
# --------------------------------------------------------------------------------------
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
    kinds_order: Sequence | None = None,
    *,
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
    matplotlib.figure.Figure

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
                ax.plot([x], [y], marker="D", markersize=9, color=FOCUS_GREY, markeredgecolor="#8C8C8C",
                        linestyle="none", zorder=2, gid="range-point")
                founding.setdefault(rrow["unit"], []).append(x)
                xs_all.append(x)
                n_points += 1
            else:  # from the start of the first period to the end of the last: 2001-2002 spans both years
                ax.barh(y, e_hi - s_lo, left=s_lo, height=0.3, color=FOCUS_GREY, edgecolor="#8C8C8C",
                        linewidth=0.6, zorder=2, gid="range-bar")
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
                ax.plot([e["_x"]], [u + lanes[lane]], marker=markers[e["kind"]], color=colours[e["kind"]],
                        markersize=7, markeredgecolor="white", markeredgewidth=0.6, linestyle="none",
                        zorder=4, gid=f"event:{e['kind']}")
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
            handles.append(Patch(facecolor=FOCUS_GREY, edgecolor="#8C8C8C", label=range_label))
        handles += [Line2D([], [], marker=markers[k], color=colours[k], markeredgecolor="white",
                           linestyle="none", markersize=8, label=kind_name(k)) for k in kinds]
        if handles:
            ncol = min(4, len(handles))
            ax.legend(handles=_row_major(handles, ncol), loc="upper left", bbox_to_anchor=(0, -0.09),
                      ncol=ncol, frameon=False, borderaxespad=0, handletextpad=0.4, columnspacing=1.4)
    return fig


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
    matplotlib.figure.Figure

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
        fig, ax = _fig_ax(ax, (9, 5.2))
        have = df.dropna(subset=["_v"])
        for mname in measures:
            sub = have[have[mcol] == mname]
            ax.plot(sub["_x"], sub["_v"], marker=marker[mname], color=colour[mname], linestyle="none",
                    markersize=8, label=name(mname), zorder=3, gid=f"measure:{mname}")
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
            styles.append(dict(color="#000000", fontsize=9, gid="point-label"))
        for _, r in df[df["_v"].isna()].iterrows():
            ax.annotate(f"{name(r[mcol])}: {missing_label}", xy=(r["_year"], 0), xytext=(0, 4),
                        textcoords="offset points", ha="center", va="bottom", fontsize=8,
                        fontstyle="italic", color=MISSING["text_color"], gid="missing-label")
        if len(measures) > 1:
            ncol = min(3, len(measures))
            handles, labs = ax.get_legend_handles_labels()
            ax.legend(_row_major(handles, ncol), _row_major(labs, ncol), loc="upper left",
                      bbox_to_anchor=(0, -0.13), ncol=ncol, frameon=False, borderaxespad=0)
        _place_labels(ax, xs, ys, texts, styles=styles, offset_pt=7)
    return fig


# --------------------------------------------------------------------------------------
# inspection grades
# --------------------------------------------------------------------------------------
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
    matplotlib.figure.Figure
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
        fig, ax = _fig_ax(ax, (8.5, 0.75 * len(ticks) + 2.6))
        xerr = np.vstack([shown["_x"] - shown["_x_min"], shown["_x_max"] - shown["_x"]])
        ax.errorbar(shown["_x"], shown["_y"], xerr=xerr, fmt="none", ecolor="#8C8C8C", elinewidth=1.4,
                    capsize=3, zorder=2, gid="x-range")
        ax.scatter(shown["_x"], shown["_y"], s=48, color=FOCUS, zorder=3, edgecolors="white",
                   linewidths=0.6, gid="points")
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
            ax.text(0, 1.03, "\n".join(lines), transform=ax.transAxes, ha="left", va="bottom",
                    color=_TEXT_GREY, gid="annotation")
        order = shown.sort_values(["_y", "_x"], ascending=[False, True], kind="mergesort")
        _renderer(fig)
        bars = []
        for _, r in shown.iterrows():
            if r["_x_max"] > r["_x_min"]:
                (px0, py), (px1, _py) = ax.transData.transform([(r["_x_min"], r["_y"]), (r["_x_max"], r["_y"])])
                bars.append(Bbox.from_extents(px0, py - 3, px1, py + 3))
        _place_labels(ax, order["_x"].to_numpy(), order["_y"].to_numpy(),
                      [name(u) for u in order["unit"]], avoid=bars, prefer="vertical",
                      styles=[dict(fontsize=9, color="#000000", gid="point-label")] * len(order))
    return fig
