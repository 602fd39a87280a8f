"""Follow-through of HMIC's 2015 ROCU recommendations, from the public tracker entries.

Only ten forces' tracker pages for Recommendation 5 (move organised-crime-group
mapping from forces to ROCUs, "no later than September 2017") are among the sources.
The other forces' pages are not: **absence of a record is not evidence of
non-compliance**, nor of anything else.

Month convention
----------------
A partial deadline is taken at the *end* of its period (``2017-09`` -> 30 September
2017: "no later than September 2017" allows the whole month). Months between the
deadline and a later date are *whole calendar months*, counted with the day of the
month as anchor and clamped to month ends (pandas ``DateOffset``): the largest m with
``deadline + m months <= date``. From 30 Sep 2017, 3 May 2018 is 7 whole months
(30 Apr 2018 <= 3 May 2018 < 30 May 2018). ``days_past_deadline`` is given alongside.
"""

from __future__ import annotations

import pandas as pd

from ..validate import parse_partial_date

__all__ = [
    "whole_months_between",
    "recommendation_deadline",
    "recommendation_followthrough",
    "recommendation_coverage",
    "ABSENCE_NOTE",
]

#: The statement attached to every coverage figure.
ABSENCE_NOTE = (
    "No public tracker record in the sources listed for these forces: absence of a record is not "
    "evidence of non-compliance (nor of compliance)."
)


def whole_months_between(start, end) -> int | None:
    """Whole calendar months from ``start`` to ``end`` (floor), see the module docstring.

    Parameters
    ----------
    start, end : date-like
        ``end`` may precede ``start``, giving a negative count (floor towards minus
        infinity is not used: the count is minus the whole months from ``end`` to
        ``start``).

    Returns
    -------
    int or None
        None if either date is missing.

    Examples
    --------
    >>> whole_months_between("2017-09-30", "2018-05-03")
    7
    >>> whole_months_between("2017-09-30", "2018-02-28")   # 30 Sep + 5 months = 28 Feb (clamped)
    5
    """
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return None
    a, b = pd.Timestamp(start), pd.Timestamp(end)
    if b < a:
        return -whole_months_between(b, a)
    m = (b.year - a.year) * 12 + (b.month - a.month)
    while m > 0 and a + pd.DateOffset(months=m) > b:
        m -= 1
    return m


def recommendation_deadline(ds, recommendation_id: str) -> pd.Timestamp | None:
    """The deadline of a recommendation as a date: the last day of its (partial) deadline.

    Parameters
    ----------
    ds : Dataset
    recommendation_id : str

    Returns
    -------
    Timestamp or None
        ``2017-09`` -> 2017-09-30; None if the deadline is blank.

    Raises
    ------
    KeyError
        Unknown recommendation_id.
    """
    rec = ds.recommendations
    row = rec[rec["recommendation_id"].astype("string") == recommendation_id]
    if row.empty:
        raise KeyError(f"no recommendation {recommendation_id!r} (known: {', '.join(rec['recommendation_id'])})")
    dl = row.iloc[0]["deadline"]
    if pd.isna(dl):
        return None
    return pd.Timestamp(parse_partial_date(str(dl))[1])


_FT_COLUMNS = [
    "force",
    "rocu_id",
    "n_entries",
    "first_entry_date",
    "last_entry_date",
    "last_status",
    "is_complete",
    "completion_date",
    "deadline",
    "deadline_text",
    "months_past_deadline",
    "days_past_deadline",
    "months_overdue_at_last_entry",
    "days_overdue_at_last_entry",
    "source_ids",
]


def recommendation_followthrough(ds, recommendation_id: str = "ocg-mapping-to-rocus") -> pd.DataFrame:
    """Per force with tracker entries: when the recommendation was completed, against its deadline.

    Parameters
    ----------
    ds : Dataset
    recommendation_id : str, default "ocg-mapping-to-rocus" (HMIC 2015 Recommendation 5)

    Returns
    -------
    DataFrame
        One row per force with entries, completed first (by completion date), then the
        others (by last entry):

        ``force``, ``rocu_id`` (ROCU at the last entry, as recorded), ``n_entries``,
        ``first_entry_date``, ``last_entry_date``, ``last_status``, ``is_complete``,
        ``completion_date`` (first 'complete' entry), ``deadline`` (end of the deadline
        period), ``deadline_text`` (as published), ``months_past_deadline`` and
        ``days_past_deadline`` (completed forces: completion date vs deadline; whole
        months, see module docstring), ``months_overdue_at_last_entry`` and
        ``days_overdue_at_last_entry`` (forces not complete at their last entry: last
        entry vs deadline — a lower bound on the delay, since the record stops there),
        ``source_ids``.

    Notes
    -----
    Caveats: every tracker page's first entry is an "awaiting-review" entry of
    3 March 2017 that is not in the bundled table, so ``first_entry_date`` is the first
    entry *in the data*. A 'complete' date is when the tracker recorded completion
    (some pages give a comment date a few days earlier, or an inspection visit date);
    it is not necessarily when the transfer happened. Forces with no tracker page in
    the sources have no row (see :func:`recommendation_coverage`). Negative values
    would mean before the deadline; none occur in the bundled data.
    """
    deadline = recommendation_deadline(ds, recommendation_id)
    dl_text = ds.recommendations.set_index("recommendation_id").loc[recommendation_id, "deadline"]
    rs = ds.recommendation_status
    rs = rs[rs["recommendation_id"].astype("string") == recommendation_id].copy()
    rs["force"] = rs["force"].astype(str)
    rs["status"] = rs["status"].astype("string")
    rs = rs.sort_values(["force", "date"], kind="mergesort")
    rows = []
    for force, g in rs.groupby("force", sort=False):
        last = g.iloc[-1]
        comp = g[g["status"] == "complete"]
        cdate = comp["date"].min() if len(comp) else pd.NaT
        done = pd.notna(cdate)
        rows.append(
            {
                "force": force,
                "rocu_id": str(last["rocu_id"]),
                "n_entries": len(g),
                "first_entry_date": g["date"].min(),
                "last_entry_date": g["date"].max(),
                "last_status": last["status"],
                "is_complete": done,
                "completion_date": cdate,
                "deadline": deadline,
                "deadline_text": dl_text,
                "months_past_deadline": whole_months_between(deadline, cdate) if done else None,
                "days_past_deadline": (cdate - deadline).days if done and deadline is not None else None,
                "months_overdue_at_last_entry": None if done else whole_months_between(deadline, last["date"]),
                "days_overdue_at_last_entry": None if done or deadline is None else (last["date"] - deadline).days,
                "source_ids": ";".join(pd.unique(g["source_id"].dropna().astype(str))) or None,
            }
        )
    out = pd.DataFrame(rows, columns=_FT_COLUMNS)
    out = out.astype(
        {
            "force": "string",
            "rocu_id": "string",
            "n_entries": "Int64",
            "last_status": "string",
            "is_complete": "boolean",
            "deadline_text": "string",
            "months_past_deadline": "Int64",
            "days_past_deadline": "Int64",
            "months_overdue_at_last_entry": "Int64",
            "days_overdue_at_last_entry": "Int64",
            "source_ids": "string",
        }
    )
    for c in ("first_entry_date", "last_entry_date", "completion_date", "deadline"):
        out[c] = pd.to_datetime(out[c])
    out = out.assign(_k=out["completion_date"].fillna(out["last_entry_date"]))
    out = out.sort_values(["is_complete", "_k", "force"], ascending=[False, True, True], kind="mergesort")
    return out.drop(columns="_k").reset_index(drop=True)


def recommendation_coverage(ds, recommendation_id: str = "ocg-mapping-to-rocus") -> pd.DataFrame:
    """How many forces have a public tracker record, by ROCU and in total.

    Parameters
    ----------
    ds : Dataset
    recommendation_id : str, default "ocg-mapping-to-rocus"

    Returns
    -------
    DataFrame
        One row per ROCU (membership at the recommendation's deadline, or at the last
        tracker entry if it has none) plus a final ``all`` row: ``rocu_id``, ``n_forces``,
        ``n_forces_with_record``, ``n_complete``, ``n_not_complete_at_last_entry``,
        ``n_forces_without_record``, ``share_with_record``, ``forces_with_record``,
        ``forces_without_record``, ``absence_is_not_non_compliance`` (always True) and
        ``note`` (:data:`ABSENCE_NOTE`).

    Notes
    -----
    The ``all`` row counts the forces with a membership spell on the reference date
    (the 43 territorial forces in the bundled data). A force is counted under its ROCU
    at that date (Kent under ERSOU at 30 Sep 2017), which may differ from the
    ``rocu_id`` recorded with a later tracker entry only if membership changed between.
    """
    ft = recommendation_followthrough(ds, recommendation_id)
    ref = recommendation_deadline(ds, recommendation_id)
    if ref is None:
        ref = ft["last_entry_date"].max()
    mem = ds.membership_at(ref).astype({"force": str, "rocu_id": str})
    rec = ft.set_index("force")
    rows = []
    groups = [(rid, g) for rid, g in mem.groupby("rocu_id", sort=False)]
    order = {r: i for i, r in enumerate(ds.rocus["rocu_id"].astype(str))}
    groups.sort(key=lambda t: order.get(t[0], len(order)))
    for rid, g in groups + [("all", mem)]:
        forces = list(g["force"])
        with_rec = [f for f in forces if f in rec.index]
        without = [f for f in forces if f not in rec.index]
        comp = [f for f in with_rec if bool(rec.at[f, "is_complete"])]
        rows.append(
            {
                "rocu_id": rid,
                "n_forces": len(forces),
                "n_forces_with_record": len(with_rec),
                "n_complete": len(comp),
                "n_not_complete_at_last_entry": len(with_rec) - len(comp),
                "n_forces_without_record": len(without),
                "share_with_record": len(with_rec) / len(forces) if forces else pd.NA,
                "forces_with_record": "; ".join(with_rec) or pd.NA,
                "forces_without_record": "; ".join(without) or pd.NA,
                "absence_is_not_non_compliance": True,
                "note": ABSENCE_NOTE,
            }
        )
    out = pd.DataFrame(rows)
    return out.astype(
        {
            "rocu_id": "string",
            "n_forces": "Int64",
            "n_forces_with_record": "Int64",
            "n_complete": "Int64",
            "n_not_complete_at_last_entry": "Int64",
            "n_forces_without_record": "Int64",
            "share_with_record": "Float64",
            "forces_with_record": "string",
            "forces_without_record": "string",
            "absence_is_not_non_compliance": "boolean",
            "note": "string",
        }
    )
