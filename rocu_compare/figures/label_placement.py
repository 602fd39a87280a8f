"""Direct labels for points, nudged apart: the label-placement engine of the charts.

Charts label points directly instead of with a legend. :func:`place_labels` puts
each label at the first free position of a fixed list around its point
(:func:`candidate_offsets`); it is deterministic (no randomness, no iteration to
convergence), so the same data give the same figure, byte for byte.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.transforms import Bbox

from . import palette
from .primitives import _renderer

__all__ = ["candidate_offsets", "overlap_area", "place_labels"]


def candidate_offsets(base: float, prefer: str = "horizontal") -> list[tuple]:
    """The positions a label tries around its point, nearest first.

    Parameters
    ----------
    base : float
        Distance from the point, in points.
    prefer : {"horizontal", "vertical"}
        Try right/left first, or above/below first.

    Returns
    -------
    list of (dx, dy, ha, va, far)
        Offsets in points, the text alignment that keeps the label clear of the
        point, and whether the position is far enough to need a leader line. The
        ring of eight positions is tried at ``base``, then at 2.6, 4.2 and 6 times it.

    Examples
    --------
    >>> candidate_offsets(6)[:2]
    [(6, 0, 'left', 'center', False), (-6, 0, 'right', 'center', False)]
    >>> len(candidate_offsets(6))
    32
    """
    d = base * 0.8
    sides = [(base, 0, "left", "center"), (-base, 0, "right", "center")]
    ends = [(0, base, "center", "bottom"), (0, -base, "center", "top")]
    diagonals = [(d, d, "left", "bottom"), (d, -d, "left", "top"), (-d, d, "right", "bottom"), (-d, -d, "right", "top")]
    ring = (ends + diagonals + sides) if prefer == "vertical" else (sides + ends + diagonals)
    out = [(dx, dy, ha, va, False) for dx, dy, ha, va in ring]
    for k in (2.6, 4.2, 6.0):
        out += [(dx * k, dy * k, ha, va, True) for dx, dy, ha, va in ring]
    return out


def overlap_area(a: Bbox, b: Bbox) -> float:
    """Area shared by two boxes (0 when they only touch or are apart).

    >>> overlap_area(Bbox.from_extents(0, 0, 2, 2), Bbox.from_extents(1, 1, 3, 3))
    1.0
    >>> overlap_area(Bbox.from_extents(0, 0, 1, 1), Bbox.from_extents(1, 0, 2, 1))
    0.0
    """
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return float(w * h) if (w > 0 and h > 0) else 0.0


def place_labels(
    ax,
    xs,
    ys,
    texts,
    *,
    styles=None,
    offset_pt: float = 6.0,
    marker_pt: float = 5.0,
    avoid: Sequence[Bbox] = (),
    prefer: str = "horizontal",
):
    """Label points directly, nudging labels that would collide (deterministic).

    Labels are placed one at a time, in the order given, at the first of a fixed
    list of positions around the point (right, left, above, below, diagonals, then
    the same further out with a thin leader line) that overlaps neither an earlier
    label, nor any point, nor a box in ``avoid`` (display coordinates, e.g. error
    bars), nor leaves the axes. If no position is free, the one with the least
    overlap is used. ``prefer="vertical"`` tries above and below first.

    Parameters
    ----------
    ax : matplotlib Axes
        Axes with its limits set (positions are measured in display space).
    xs, ys : sequence of float
        The points, in data coordinates.
    texts : sequence of str
        One label per point, placed in this order (put the most important first).
    styles : sequence of dict, optional
        Keyword arguments for each label's :meth:`~matplotlib.axes.Axes.annotate`.
    offset_pt : float
        Distance of the nearest positions from the point, in points.
    marker_pt : float
        Radius of the markers that labels must keep clear of, in points.
    avoid : sequence of Bbox
        Other boxes to keep clear of, in display coordinates.
    prefer : {"horizontal", "vertical"}

    Returns
    -------
    list of matplotlib.text.Annotation
        In the order of ``texts``.
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
        ann = ax.annotate(
            text, xy=(x, y), xytext=(offset_pt, 0), textcoords="offset points", ha="left", va="center", **style
        )
        best, best_score = None, math.inf
        for dx, dy, ha, va, far in candidate_offsets(offset_pt, prefer):
            ann.xyann = (dx, dy)
            ann.set_ha(ha)
            ann.set_va(va)
            bb = ann.get_window_extent(renderer).padded(2.5 * scale)
            outside = (bb.x0 < axbox.x0) or (bb.x1 > axbox.x1) or (bb.y0 < axbox.y0) or (bb.y1 > axbox.y1)
            clash = sum(overlap_area(bb, p) for p in placed)
            clash += sum(overlap_area(bb, p) for j, p in enumerate(point_boxes) if j != i)
            clash += 1e9 if outside else 0.0
            if clash == 0:  # candidates run from near to far: the first free one wins
                best = (dx, dy, ha, va, far)
                break
            if clash < best_score:
                best, best_score = (dx, dy, ha, va, far), clash
        dx, dy, ha, va, far = best
        ann.remove()
        arrow = dict(arrowstyle="-", color=palette.OUTLINE, lw=0.6, shrinkA=0, shrinkB=marker_pt * 0.9) if far else None
        ann = ax.annotate(
            text, xy=(x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, arrowprops=arrow, **style
        )
        ann.set_in_layout(False)  # labels sit inside the axes; never let them squeeze the layout
        placed.append(ann.get_window_extent(renderer).padded(2.5 * scale))
        out.append(ann)
    return out


# The names the chart modules used before the engine had its own module.
_candidate_offsets = candidate_offsets
_overlap = overlap_area
_place_labels = place_labels
