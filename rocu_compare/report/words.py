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


def units_served_sentence(context: pd.DataFrame, when: str, gap: str) -> str:
    """How many forces the units served and which was largest, from ``Dataset.rocu_context``.

    Every number is computed from ``context``; a measure the data lacks is named as ``gap``.

    Examples
    --------
    >>> c = pd.DataFrame({"n_forces": [2, 3], "population_persons": [pd.NA, pd.NA], "population_year": [pd.NA] * 2},
    ...                  index=["a", "b"])
    >>> units_served_sentence(c, "mid-2015", "not in the data")
    'In mid-2015 the 2 units served **5 forces**: between 2 (a) and 3 (b) each. Residents: not in the data.'
    """
    from ..labels import rocu_label

    n = context["n_forces"]
    served = n[n > 0]
    if served.empty:
        return f"In {when} no unit had member forces in the data."
    text = (
        f"In {when} the {len(served)} units served **{int(served.sum())} forces**: between {int(served.min())} "
        f"({', '.join(rocu_label(i) for i in served.index[served == served.min()])}) and {int(served.max())} "
        f"({', '.join(rocu_label(i) for i in served.index[served == served.max()])}) each."
    )
    pop = pd.to_numeric(context["population_persons"], errors="coerce").astype("float64")
    years = context["population_year"].dropna()
    if pop.notna().any() and len(years):
        top = pop.idxmax()
        return text + (
            f" The largest by population was {rocu_label(top)} ({pop[top] / 1e6:.1f} million residents, "
            f"mid-{int(years.iloc[0])})."
        )
    return text + f" Residents: {gap}."


def misalignment_sentence(summary: pd.Series, date: str, gap: str) -> str:
    """One line from a row of :func:`rocu_compare.piecemeal.misalignment_summary`, shares only where held."""
    forces = summary["misaligned_forces"]
    text = f"**{date}:** {forces if isinstance(forces, str) and forces else 'no force outside its region'}"
    if pd.notna(summary["share_population"]) and pd.notna(summary["share_officers_fte"]):
        return text + (
            f" — {100 * summary['share_population']:.1f}% of residents (mid-{int(summary['population_year'])}) "
            f"and {100 * summary['share_officers_fte']:.1f}% of officers."
        )
    return text + f" — shares of residents and officers: {gap}."
