"""Words the report computes from the data in hand: gap labels and source lines.

A caption true of the bundled data and false of an analyst's is a bug, so nothing here
is written for one dataset: the label for a gap says "not in the data" once an analyst's
rows are loaded (the gap may be theirs, not the publisher's), and a source line names the
sources of the rows actually drawn, by id and title, internal sources included.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def gap_label(ds) -> str:
    """How a missing value is labelled: ``"not published"`` for the bundled data alone,
    ``"not in the data"`` once any row came from an analyst.

    Examples
    --------
    >>> import rocu_compare as rc
    >>> gap_label(rc.load())
    'not published'
    """
    return "not in the data" if ds.has_analyst_data else "not published"


def present_label(ds) -> str:
    """The opposite of :func:`gap_label`: ``"published"`` or ``"in the data"``."""
    return "in the data" if ds.has_analyst_data else "published"


def source_ids(*frames: pd.DataFrame) -> list[str]:
    """The source ids cited by the rows of some frames (``source_id`` / ``source_ids`` columns).

    ``source_ids`` cells hold several ids separated by ``;``. Order: first appearance.

    Examples
    --------
    >>> source_ids(pd.DataFrame({"source_id": ["b", "a", "b"]}), pd.DataFrame({"source_ids": ["a; c"]}))
    ['b', 'a', 'c']
    """
    out: dict[str, None] = {}
    for f in frames:
        if f is None or len(f) == 0:
            continue
        for col in ("source_id", "source_ids"):
            if col in f.columns:
                for cell in f[col].dropna().astype(str):
                    for i in cell.split(";"):
                        if i.strip():
                            out[i.strip()] = None
    return list(out)


def source_line(ds, ids: Iterable[str], *, lead: str = "Source") -> str:
    """``"Sources: id (title); ..."`` naming each source drawn, by id and title.

    An internal source (no URL) is named like any other; where the ``sources`` table
    carries a ``classification``, the marking is shown with it. Ids missing from the
    ``sources`` table are named alone (validation normally prevents that).

    Parameters
    ----------
    ds : Dataset
    ids : iterable of str
        Source ids of the rows drawn (see :func:`source_ids`).
    lead : str
        Opening word, e.g. ``"Source"`` or ``"Analysis of"``.

    Examples
    --------
    >>> import rocu_compare as rc
    >>> source_line(rc.load(), ["hmic-2015-news"])[:40]
    'Source: hmic-2015-news (Regional organis'
    """
    ids = list(dict.fromkeys(str(i) for i in ids))
    if not ids:
        return f"{lead}: no sourced rows are drawn."
    src = ds.sources.set_index(ds.sources["source_id"].astype(str))
    parts = []
    for i in ids:
        if i not in src.index:
            parts.append(i)
            continue
        r = src.loc[i]
        extra = []
        if "classification" in src.columns and pd.notna(r["classification"]) and str(r["classification"]).strip():
            extra.append(str(r["classification"]))
        if pd.isna(r["url"]):
            extra.append(
                "internal, no URL" if str(r.get("url_basis", "")) not in ("shipped-document",) else "shipped document"
            )
        tail = f"; {', '.join(extra)}" if extra else ""
        parts.append(f"{i} ({r['title']}{tail})")
    word = lead if len(ids) == 1 or lead != "Source" else "Sources"
    return f"{word}: " + "; ".join(parts) + "."
