"""Forces whose ROCU is not the ROCU of their police region.

The ten ROCUs were built on the Home Office "English region and Wales" police regions,
but membership and region differ in places: North Wales (Wales region) is in the North
West ROCU, Kent (South East region) moved to ERSOU by the agreement update of
10 November 2016, and London is a separate arrangement rather than a ROCU as such.

Home ROCU of a region (derived, never typed in)
-----------------------------------------------
For a date, the *home ROCU* of a police region is the ROCU holding the most of that
region's forces on that date (``ds.membership_at(date)``). A tie leaves the home ROCU
undetermined (NA, ``is_tie`` True) and no force of that region is called misaligned.
As a cross-check, :func:`region_home_rocus` also reports the ROCU whose
``rocus.police_region`` text *starts with* the region's name (e.g. ``"Wales (southern:
...)"`` for Wales, ``"North West; also North Wales from the Wales region"`` for North
West) and whether the two derivations agree.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .timeline import _as_date

__all__ = [
    "region_home_rocus",
    "misaligned_forces",
    "misalignment_summary",
    "london_arrangement_note",
    "no_formal_rocu_ids",
]

_NO_FORMAL = "no formal ROCU"


def london_arrangement_note(ds) -> pd.DataFrame:
    """The unit(s) that are not a ROCU as such, with the text the data give about them.

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    DataFrame
        One row per unit whose ``rocus.collaboration_instrument`` is ``"no formal ROCU"``
        (London in the bundled data): ``rocu_id``, ``name``, ``governance``, ``notes``,
        ``source_ids``. Nothing is typed in: the text is the rocus table's.
    """
    r = ds.rocus
    mask = r["rocu_id"].astype(str).isin(no_formal_rocu_ids(ds))
    out = r.loc[mask, ["rocu_id", "name", "governance", "notes", "source_ids"]].copy()
    out["rocu_id"] = out["rocu_id"].astype(str)
    return out.reset_index(drop=True)


def no_formal_rocu_ids(ds) -> set[str]:
    """The units that are not a ROCU as such: ``rocus.collaboration_instrument`` is "no formal ROCU".

    The one home of that rule (misalignment and structure change both use it).

    Examples
    --------
    >>> import rocu_compare as rc
    >>> sorted(no_formal_rocu_ids(rc.load()))
    ['london']
    """
    r = ds.rocus
    return {str(i) for i in r.loc[r["collaboration_instrument"].astype("string") == _NO_FORMAL, "rocu_id"]}


_informal_ids = no_formal_rocu_ids


def region_home_rocus(ds, date) -> pd.DataFrame:
    """The home ROCU of each police region on a date, by majority of its forces.

    Parameters
    ----------
    ds : Dataset
    date : str, date or Timestamp
        Membership date.

    Returns
    -------
    DataFrame
        Indexed by ``police_region`` (the ten regions in the order of first appearance
        in the forces table): ``home_rocu_id`` (NA on a tie), ``n_region_forces``,
        ``n_in_home_rocu``, ``home_share`` (of the region's forces), ``is_tie``,
        ``rocu_ids_present`` (every ROCU holding a force of the region, ``;``-separated),
        ``text_rocu_id`` (the ROCU whose ``rocus.police_region`` starts with the region
        name; NA if none or several), ``agrees_with_text``.

    Notes
    -----
    Only forces with a membership spell covering ``date`` count. The majority rule is a
    convention of this library: it reproduces the textual description in the rocus
    table on the bundled data, but a region split evenly between two ROCUs would have
    no home ROCU.
    """
    d = _as_date(date)
    mem = ds.membership_at(d)
    f = ds.forces[["force", "police_region"]].astype({"force": str, "police_region": str})
    m = f.merge(mem.astype({"force": str, "rocu_id": str}), on="force", how="inner")
    region_text = {str(r): str(t) for r, t in zip(ds.rocus["rocu_id"], ds.rocus["police_region"]) if pd.notna(t)}
    rows = []
    for region in pd.unique(f["police_region"]):
        sub = m[m["police_region"] == region]
        counts = sub["rocu_id"].value_counts()
        top = counts.max() if len(counts) else 0
        leaders = list(counts.index[counts == top]) if len(counts) else []
        tie = len(leaders) > 1
        home = leaders[0] if len(leaders) == 1 else pd.NA
        text_hits = [rid for rid, t in region_text.items() if t.startswith(region)]
        text_rid = text_hits[0] if len(text_hits) == 1 else pd.NA
        rows.append(
            {
                "police_region": region,
                "home_rocu_id": home,
                "n_region_forces": int(len(sub)),
                "n_in_home_rocu": int(top) if not tie else pd.NA,
                "home_share": (top / len(sub)) if len(sub) and not tie else pd.NA,
                "is_tie": tie,
                "rocu_ids_present": ";".join(counts.index),
                "text_rocu_id": text_rid,
                "agrees_with_text": (home == text_rid) if not (pd.isna(home) or pd.isna(text_rid)) else pd.NA,
            }
        )
    out = pd.DataFrame(rows).set_index("police_region")
    out = out.astype(
        {
            "home_rocu_id": "string",
            "n_in_home_rocu": "Int64",
            "home_share": "Float64",
            "is_tie": "boolean",
            "rocu_ids_present": "string",
            "text_rocu_id": "string",
            "agrees_with_text": "boolean",
        }
    )
    return out


_FORCE_COLS = [
    "force",
    "police_region",
    "rocu_id",
    "region_home_rocu_id",
    "is_misaligned",
    "is_formal_rocu",
    "population_persons",
    "population_year",
    "officers_fte",
    "officers_fte_as_at",
    "workforce_fte",
    "workforce_fte_as_at",
    "as_at",
]


def misaligned_forces(ds, date, *, include_aligned: bool = False) -> pd.DataFrame:
    """Forces whose ROCU on ``date`` is not the home ROCU of their police region.

    Parameters
    ----------
    ds : Dataset
    date : str, date or Timestamp
        Membership date (also the target date of the context measures).
    include_aligned : bool, default False
        Return all forces with a membership on ``date`` (with ``is_misaligned``) rather
        than the misaligned ones only.

    Returns
    -------
    DataFrame
        Columns ``force``, ``police_region``, ``rocu_id`` (membership on the date),
        ``region_home_rocu_id`` (see :func:`region_home_rocus`), ``is_misaligned``,
        ``is_formal_rocu`` (False for London's arrangement, whose ``collaboration_instrument``
        is "no formal ROCU"), ``population_persons`` / ``population_year``,
        ``officers_fte`` / ``officers_fte_as_at``, ``workforce_fte`` / ``workforce_fte_as_at``
        (from ``ds.forces_context(date)``: each series at its nearest available year,
        missing where the data lack it), ``as_at``.
        ``DataFrame.attrs["london_note"]`` holds the rocus-table governance text of the
        London arrangement (see :func:`london_arrangement_note`).

    Notes
    -----
    Caveats:

    * On the bundled data: 30 June 2015 gives North Wales only (Wales region, in the
      North West ROCU); 1 January 2020 gives North Wales and Kent (South East region,
      in ERSOU from the 10 Nov 2016 agreement update — the date Kent's functions actually
      moved is not published, so dates between late 2016 and 2018 are uncertain).
    * London's forces are never *misaligned* (the London region's home unit is the London
      arrangement), but that arrangement is not a ROCU as such: see ``is_formal_rocu``
      and the ``london_note``.
    * A force with no membership spell on the date is left out.
    """
    d = _as_date(date)
    home = region_home_rocus(ds, d)["home_rocu_id"]
    mem = ds.membership_at(d).astype({"force": str, "rocu_id": str})
    ctx = ds.forces_context(pd.Timestamp(d))
    out = ctx.merge(mem, on="force", how="inner")
    out["region_home_rocu_id"] = out["police_region"].map(home).astype("string")
    out["is_misaligned"] = (out["region_home_rocu_id"].notna() & (out["rocu_id"] != out["region_home_rocu_id"])).astype(
        "boolean"
    )
    informal = _informal_ids(ds)
    out["is_formal_rocu"] = (~out["rocu_id"].isin(informal)).astype("boolean")
    out["as_at"] = pd.Timestamp(d)
    for c in _FORCE_COLS:
        if c not in out:
            out[c] = pd.NA
    out = out[_FORCE_COLS]
    pop = pd.to_numeric(out["population_persons"], errors="coerce").astype("Float64")
    out["population_persons"] = pop.round().astype("Int64")
    out["population_year"] = pd.to_numeric(out["population_year"], errors="coerce").astype("Float64").astype("Int64")
    for c in ("officers_fte", "workforce_fte"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("Float64")
    for c in ("officers_fte_as_at", "workforce_fte_as_at"):
        out[c] = pd.to_datetime(out[c])
    if not include_aligned:
        out = out[out["is_misaligned"].fillna(False)]
    out = out.reset_index(drop=True)
    note = london_arrangement_note(ds)
    out.attrs["london_note"] = "; ".join(f"{r.rocu_id}: {r.governance}" for r in note.itertuples()) or None
    return out


def _total(s: pd.Series):
    """Sum only when every value is present (missing stays missing)."""
    s = pd.to_numeric(s, errors="coerce")
    return s.sum() if len(s) and s.notna().all() else pd.NA


def misalignment_summary(ds, date) -> pd.DataFrame:
    """Totals and shares of England and Wales in forces outside their region's ROCU.

    Parameters
    ----------
    ds : Dataset
    date : str, date or Timestamp

    Returns
    -------
    DataFrame
        One row: ``as_at``, ``n_forces_misaligned``, ``n_forces_total`` (forces with a
        membership on the date; 43 in the bundled data), ``share_forces``,
        ``misaligned_forces`` (names), ``population_misaligned``, ``population_total``,
        ``share_population``, ``population_year``, ``officers_fte_misaligned``,
        ``officers_fte_total``, ``share_officers_fte``, ``officers_fte_as_at``,
        ``workforce_fte_misaligned``, ``workforce_fte_total``, ``share_workforce_fte``,
        ``workforce_fte_as_at``, ``n_forces_in_informal_unit`` (forces in a unit that is
        "no formal ROCU", i.e. London's), ``london_note``.

    Notes
    -----
    A total is missing (NA) when any force in it lacks the value — never a partial sum —
    and so is its share. The ``*_year`` / ``*_as_at`` columns name the year used where
    all forces share one (otherwise the distinct years joined with ``;``).
    """
    allf = misaligned_forces(ds, date, include_aligned=True)
    mis = allf[allf["is_misaligned"].fillna(False)]

    def years(col):
        vals = pd.unique(allf[col].dropna())
        if not len(vals):
            return pd.NA
        return ";".join(
            str(pd.Timestamp(v).date()) if isinstance(v, (pd.Timestamp, dt.date, np.datetime64)) else str(v)
            for v in sorted(vals)
        )

    row = {
        "as_at": pd.Timestamp(_as_date(date)),
        "n_forces_misaligned": int(len(mis)),
        "n_forces_total": int(len(allf)),
        "share_forces": len(mis) / len(allf) if len(allf) else pd.NA,
        "misaligned_forces": "; ".join(mis["force"]) or pd.NA,
    }
    for col, label, meta in (
        ("population_persons", "population", "population_year"),
        ("officers_fte", "officers_fte", "officers_fte_as_at"),
        ("workforce_fte", "workforce_fte", "workforce_fte_as_at"),
    ):
        part, tot = _total(mis[col]), _total(allf[col])
        row[f"{label}_misaligned"] = part
        row[f"{label}_total"] = tot
        row[f"share_{label}"] = (part / tot) if not (pd.isna(part) or pd.isna(tot)) and tot else pd.NA
        row[meta] = years(meta)
    row["n_forces_in_informal_unit"] = int((~allf["is_formal_rocu"].fillna(True)).sum())
    row["london_note"] = allf.attrs.get("london_note")
    out = pd.DataFrame([row])
    for c in out.columns:
        numeric = c.startswith(("population_", "officers_fte_", "workforce_fte_", "share_"))
        if numeric and not c.endswith(("_year", "_as_at")):
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("Float64")
    for c in ("population_misaligned", "population_total"):
        out[c] = out[c].round().astype("Int64")
    return out
