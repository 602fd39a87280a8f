"""Tables drawn as figures: each unit's nearest peers."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .primitives import _GRID_GREY, _TEXT_GREY, _fig_ax, _namer, _ordinal, _result
from .style import house_style

__all__ = ["peers_table"]


def peers_table(
    peers,
    *,
    labels: Mapping | None = None,
    fmt: str = "{:.2f}",
    missing_label: str = "n/a",
    ax=None,
):
    """Table of each unit's nearest peers, with the distance to each.

    Parameters
    ----------
    peers : DataFrame or Comparison
        Long table with columns ``unit``, ``rank`` (1, 2, ...), ``peer`` and
        ``distance`` (as returned by :func:`rocu_compare.compare.nearest_peers`), or a
        :class:`~rocu_compare.compare.Comparison` (its ``peers``).
    labels : dict, optional
        Display name per unit.
    fmt : str
        Format of the distances.
    missing_label : str
        Shown where a peer or its distance is missing.
    ax : Axes, optional

    Returns
    -------
    Axes or ChartDisplay
        ``ax`` when given (drawn on); else a :class:`~rocu_compare.figures.display.ChartDisplay`
        of a new figure (``.figure_``, ``.ax_``; shows itself once in a notebook).
    """
    if hasattr(peers, "peers") and not isinstance(peers, pd.DataFrame):  # a Comparison
        peers = peers.peers
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
        given_ax = ax
        fig, ax = _fig_ax(ax, (fig_w, 0.34 * (len(rows) + 1) + 0.4))
        ax.set_axis_off()
        table = text_table(ax, rows, header, widths, pad_chars=4, fontsize=10, gid="peers-table")
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
    return _result(fig, ax, given_ax)


def text_table(ax, rows, header, widths, *, pad_chars: int, fontsize: float, gid: str):
    """A left-aligned matplotlib table filling ``ax``, columns as wide as their longest text.

    ``widths`` are each column's longest line in characters; ``pad_chars`` is added to each
    before the widths are shared out. Returns the ``Table`` for the caller to style its cells.
    """
    col_w = [w + pad_chars for w in widths]
    col_w = [w / sum(col_w) for w in col_w]
    table = ax.table(
        cellText=rows,
        colLabels=header,
        colWidths=col_w,
        cellLoc="left",
        colLoc="left",
        loc="upper left",
        bbox=[0, 0, 1, 1],
        edges="horizontal",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(fontsize)
    table.set_gid(gid)
    return table
