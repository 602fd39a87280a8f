"""Short text and HTML summaries of the result objects, for ``repr`` and notebooks.

A result shown in a notebook gets a few lines and one small table, not a wall of text:
the full tables stay one attribute away (``comparison.peers``, ``profiles.frame``).
"""

from __future__ import annotations

import html

import pandas as pd

from ..labels import rocu_label

__all__ = ["html_summary"]

#: Rows of the table in an HTML summary.
MAX_ROWS = 12


def _date(ts) -> str:
    return "undated" if ts is None or pd.isna(ts) else pd.Timestamp(ts).date().isoformat()


def html_summary(title: str, lines, table: pd.DataFrame | None = None, *, max_rows: int = MAX_ROWS) -> str:
    """A bold title, a few lines of text and a small table, as HTML.

    Parameters
    ----------
    title : str
    lines : sequence of str
        Plain text; escaped.
    table : DataFrame, optional
        At most ``max_rows`` rows are shown (the rest counted in a last line).
    max_rows : int

    Returns
    -------
    str

    Examples
    --------
    >>> html_summary("Result", ["one line"])
    '<div><strong>Result</strong><br>one line</div>'
    """
    parts = [f"<strong>{html.escape(title)}</strong>"] + [html.escape(str(x)) for x in lines]
    out = "<br>".join(parts)
    if table is not None:
        shown = table.head(max_rows)
        out += shown.to_html(border=0, na_rep="n/a", float_format=lambda v: f"{v:.2f}")
        if len(table) > max_rows:
            out += f"<small>... and {len(table) - max_rows} more rows</small>"
    return f"<div>{out}</div>"


def profiles_lines(p) -> list[str]:
    """Sentences describing a :class:`~rocu_compare.compare.Profiles`."""
    n_units, n_attrs = p.frame.shape
    share = float(p.coverage.to_numpy().mean()) if p.frame.size else 0.0
    groups = ", ".join(f"{g} {sum(1 for v in p.groups.values() if v == g)}" for g in p.group_names)
    return [
        f"{n_units} ROCUs x {n_attrs} attributes at {_date(p.as_at)}; {100 * share:.0f}% of values present",
        f"attributes per group: {groups or 'none'}",
    ]


def profiles_table(p) -> pd.DataFrame:
    """Per group: attributes, and the share of ROCU x attribute values present."""
    rows = []
    for g in p.group_names:
        cols = [c for c in p.frame.columns if p.groups[c] == g]
        cov = p.coverage[cols].to_numpy()
        rows.append({"group": g, "attributes": len(cols), "share_present": float(cov.mean()) if cov.size else 0.0})
    return pd.DataFrame(rows, columns=["group", "attributes", "share_present"]).set_index("group")


def comparison_lines(c) -> list[str]:
    """Sentences describing a :class:`~rocu_compare.compare.Comparison`."""
    s = c.spread
    n = c.distance.shape[0]
    lines = [f"{n} ROCUs compared on {c.profiles.frame.shape[1]} attributes at {_date(c.profiles.as_at)}"]
    if s is not None and pd.notna(s.get("mean_distance")):
        lines.append(
            f"mean Gower distance {float(s['mean_distance']):.2f}; closest pair "
            f"{rocu_label(s['min_pair'][0])} and {rocu_label(s['min_pair'][1])} "
            f"({float(s['min_distance']):.2f})"
        )
    if c.nan_pairs:
        lines.append(f"{len(c.nan_pairs)} pairs have no attribute in common (distance undefined)")
    return lines


def nearest_peer_table(c) -> pd.DataFrame:
    """Each unit's nearest peer and the distance to it, by display name."""
    first = c.peers[c.peers["rank"] == 1]
    return pd.DataFrame(
        {
            "nearest peer": [rocu_label(p) if pd.notna(p) else "n/a" for p in first["peer"]],
            "distance": first["distance"].to_numpy(),
        },
        index=pd.Index([rocu_label(u) for u in first["unit"]], name="ROCU"),
    )


def mds_lines(m) -> list[str]:
    """Sentences describing an :class:`~rocu_compare.compare.MDSResult`."""
    ve = ", ".join(f"{k} {100 * float(v):.0f}%" for k, v in m.variance_explained.items())
    return [
        f"{m.coordinates.shape[0]} units in {m.coordinates.shape[1]} dimensions carrying "
        f"{100 * float(m.total_variance_explained):.0f}% of the variance ({ve})",
        f"share of negative eigenvalues {float(m.negative_eigen_share):.2f} (0 = drawn faithfully)",
    ]


def cluster_lines(k) -> list[str]:
    """Sentences describing a :class:`~rocu_compare.compare.ClusterResult`."""
    return [
        f"{len(k.units)} units, {k.method} linkage; cophenetic correlation {float(k.cophenetic_correlation):.2f}",
        "leaf order: " + ", ".join(rocu_label(u) for u in k.order),
    ]
