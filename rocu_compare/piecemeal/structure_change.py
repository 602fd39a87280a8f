"""How the ROCU map changed between 2015 and the latest date in the data.

Two things changed after HMIC's 2015 count of ten ROCUs: Kent's move from SEROCU to
ERSOU (agreement update of 10 November 2016), and the way London is counted — from
about 2021 HMICFRS counts nine ROCUs plus a separate London arrangement. Both are read
from the data (membership spells, ``rocus.collaboration_instrument`` and the
``rocu_count`` facts), never typed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .funding import parse_period
from .misalignment import no_formal_rocu_ids
from .timeline import _as_date, _partial_bounds

__all__ = ["StructureChange", "latest_data_date", "structure_2015_vs_latest"]


@dataclass
class StructureChange:
    """Result of :func:`structure_2015_vs_latest`.

    Attributes
    ----------
    counts : DataFrame
        One row per date (``then``, ``now``): units with member forces, formal ROCUs, and
        the published ROCU count nearest the date with its source.
    changes : DataFrame
        Forces whose ROCU differs between the two dates.
    forces_per_rocu : DataFrame
        Forces per unit at both dates.
    then, now : Timestamp
    now_rule : str
        How ``now`` was chosen.
    """

    counts: pd.DataFrame
    changes: pd.DataFrame
    forces_per_rocu: pd.DataFrame
    then: pd.Timestamp
    now: pd.Timestamp
    now_rule: str


def latest_data_date(ds) -> pd.Timestamp:
    """The latest date in the membership spells and the events table (first day of a partial date).

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    Timestamp
        Maximum over ``membership.valid_from``, ``membership.valid_to`` and
        ``events.date`` (each partial date taken at its first day). Reproducible: it does
        not depend on today's date.
    """
    dates = []
    for col in ("valid_from", "valid_to"):
        dates += [_partial_bounds(v)[0] for v in ds.membership[col].dropna()]
    dates += [_partial_bounds(v)[0] for v in ds.events["date"].dropna()]
    return max(dates)


def _period_start(text) -> pd.Timestamp | None:
    """First day of a single facts period (a financial year starts on 1 April); None if blank or a span."""
    if text is None or pd.isna(text) or " to " in str(text):
        return None
    p = parse_period(text)
    if p["period_kind"] == "financial_year":
        return pd.Timestamp(year=int(p["year_start"]), month=4, day=1)
    return _partial_bounds(text)[0]


def _published_count(ds, as_at: pd.Timestamp) -> dict:
    """The dated national rocu_count fact nearest to as_at (ties: the later)."""
    f = ds.facts
    rc = f[(f["subject"].astype("string") == "national") & (f["measure"].astype("string") == "rocu_count")]
    best = None
    for _, r in rc.iterrows():
        start = _period_start(r["period"])
        if start is None:
            continue
        dist = abs((start - as_at).days)
        key = (dist, -start.value)
        if best is None or key < best[0]:
            best = (key, r, start)
    if best is None:
        return {
            "rocu_count_published": pd.NA,
            "rocu_count_period": pd.NA,
            "rocu_count_source_id": pd.NA,
            "rocu_count_notes": pd.NA,
        }
    r = best[1]
    return {
        "rocu_count_published": int(float(str(r["value"]))),
        "rocu_count_period": str(r["period"]),
        "rocu_count_source_id": str(r["source_id"]),
        "rocu_count_notes": None if pd.isna(r["notes"]) else str(r["notes"]),
    }


def structure_2015_vs_latest(ds, then="2015-06-30", now=None) -> StructureChange:
    """ROCU structure at ``then`` (default mid-2015) against the latest date in the data.

    Parameters
    ----------
    ds : Dataset
    then : str, date or Timestamp, default "2015-06-30"
    now : str, date or Timestamp, optional
        Default: :func:`latest_data_date` — the latest date in the membership and
        events tables (not today's date, so results are reproducible; pass
        ``pd.Timestamp.today()`` for today).

    Returns
    -------
    StructureChange
        ``counts`` (per date: ``as_at``, ``n_units_with_members`` — units holding at least
        one force, London's arrangement included; ``n_formal_rocus`` — the same without
        units whose ``collaboration_instrument`` is "no formal ROCU"; ``informal_units``;
        ``rocu_count_published``, ``rocu_count_period``, ``rocu_count_source_id``,
        ``rocu_count_notes`` — the dated national ``rocu_count`` fact nearest the date;
        ``published_count_includes_london`` — True where the published count equals
        ``n_units_with_members``, False where it equals ``n_formal_rocus``);
        ``changes`` (``force``, ``rocu_then``, ``rocu_now``, ``change_date`` — the
        ``valid_from`` of the force's spell at ``now`` as published, ``change_date_start``,
        ``basis``, ``source_ids``); ``forces_per_rocu`` (indexed by ``rocu_id``:
        ``n_forces_then``, ``n_forces_now``, ``change``, ``forces_then``, ``forces_now``,
        ``is_formal_rocu``).

    Notes
    -----
    Caveats: a change date is the date of the decision the data rest on (Kent: the
    ERSOU agreement update of 10 Nov 2016); the date functions actually moved is not
    published, and in September 2018 Kent still contributed to SEROCU to a lesser
    extent. The published counts differ in *how London is counted*, not in the number
    of units: 10 in 2015 (hmic-2015-news) and 9 plus a separate London arrangement in
    2024 (wq-hl3489) on the bundled data. Undated ``rocu_count`` facts are not used to
    pick the nearest count.
    """
    t0 = pd.Timestamp(_as_date(then))
    if now is None:
        t1 = latest_data_date(ds)
        rule = "latest date in the membership and events tables (latest_data_date)"
    else:
        t1 = pd.Timestamp(_as_date(now))
        rule = "given by the caller"
    informal = no_formal_rocu_ids(ds)
    mem0 = ds.membership_at(t0).astype({"force": str, "rocu_id": str})
    mem1 = ds.membership_at(t1).astype({"force": str, "rocu_id": str})

    counts = []
    for ts, mem in ((t0, mem0), (t1, mem1)):
        units = set(mem["rocu_id"])
        row = {
            "as_at": ts,
            "n_units_with_members": len(units),
            "n_formal_rocus": len(units - informal),
            "informal_units": ";".join(sorted(units & informal)) or pd.NA,
        }
        row.update(_published_count(ds, ts))
        pub = row["rocu_count_published"]
        if pd.isna(pub):
            row["published_count_includes_london"] = pd.NA
        elif pub == row["n_units_with_members"] and pub != row["n_formal_rocus"]:
            row["published_count_includes_london"] = True
        elif pub == row["n_formal_rocus"] and pub != row["n_units_with_members"]:
            row["published_count_includes_london"] = False
        else:
            row["published_count_includes_london"] = pd.NA
        counts.append(row)
    counts = pd.DataFrame(counts).astype(
        {"rocu_count_published": "Int64", "published_count_includes_london": "boolean"}
    )

    both = mem0.merge(mem1, on="force", how="outer", suffixes=("_then", "_now"))
    moved = both[both["rocu_id_then"] != both["rocu_id_now"]]
    m = ds.membership
    ch = []
    for _, r in moved.iterrows():
        spell = m[(m["force"].astype(str) == r["force"]) & (m["rocu_id"].astype(str) == str(r["rocu_id_now"]))]
        s = spell.iloc[-1] if len(spell) else None
        vf = None if s is None or pd.isna(s["valid_from"]) else str(s["valid_from"])
        ch.append(
            {
                "force": r["force"],
                "rocu_then": r["rocu_id_then"],
                "rocu_now": r["rocu_id_now"],
                "change_date": vf,
                "change_date_start": _partial_bounds(vf)[0] if vf else pd.NaT,
                "basis": None if s is None else s["basis"],
                "source_ids": None if s is None else s["source_ids"],
            }
        )
    changes = pd.DataFrame(
        ch, columns=["force", "rocu_then", "rocu_now", "change_date", "change_date_start", "basis", "source_ids"]
    )
    changes["change_date_start"] = pd.to_datetime(changes["change_date_start"])

    ids = [str(i) for i in ds.rocus["rocu_id"]]
    g0 = mem0.groupby("rocu_id")["force"]
    g1 = mem1.groupby("rocu_id")["force"]
    fpr = pd.DataFrame(index=pd.Index(ids, name="rocu_id"))
    fpr["n_forces_then"] = g0.size().reindex(ids).fillna(0).astype("Int64")
    fpr["n_forces_now"] = g1.size().reindex(ids).fillna(0).astype("Int64")
    fpr["change"] = fpr["n_forces_now"] - fpr["n_forces_then"]
    fpr["forces_then"] = g0.apply(lambda s: "; ".join(s)).reindex(ids).astype("string")
    fpr["forces_now"] = g1.apply(lambda s: "; ".join(s)).reindex(ids).astype("string")
    fpr["is_formal_rocu"] = pd.array([i not in informal for i in ids], dtype="boolean")
    return StructureChange(
        counts=counts, changes=changes.reset_index(drop=True), forces_per_rocu=fpr, then=t0, now=t1, now_rule=rule
    )
