"""A figure that says why there is no chart: "not enough data" or "not in the data".

A catalogue figure whose data are too sparse to draw renders this panel instead of
raising, so a report on an analyst's partial data is complete and honest about gaps.
"""

from __future__ import annotations

import textwrap

from .palette import MISSING
from .style import house_style


def notice_panel(heading: str, why: str, *, width: int = 78):
    """A figure with a dashed empty frame, a heading and the reason, in words.

    Parameters
    ----------
    heading : str
        E.g. ``"Not enough data"`` or ``"Not in the data"``.
    why : str
        What is missing and what would fill it.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = notice_panel("Not enough data", "fewer than three ROCUs have every attribute")
    >>> [t.get_text() for t in fig.axes[0].texts][0]
    'Not enough data'
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    body = "\n".join(textwrap.wrap(why[:1].upper() + why[1:], width))
    with house_style():
        fig = plt.figure(figsize=(8, 1.6 + 0.22 * body.count("\n")))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.add_patch(
            Rectangle(
                (0.02, 0.06),
                0.96,
                0.88,
                transform=ax.transAxes,
                fill=False,
                edgecolor=MISSING["edgecolor"],
                linestyle=MISSING["linestyle"],
                linewidth=MISSING["linewidth"],
                gid="notice-frame",
            )
        )
        ax.text(
            0.05,
            0.78,
            heading,
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize=12,
            fontweight="bold",
            color=MISSING["text_color"],
            gid="notice-heading",
        )
        ax.text(
            0.05,
            0.56,
            body,
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize=10,
            color=MISSING["text_color"],
            fontstyle="italic",
            gid="notice-text",
        )
    return fig
