"""Did the ROCUs grow more alike or less alike, capability by capability, over the years?

This needs a capability-by-year panel of delivery status per ROCU (the analyst table
``capability_status``), which is bundled *empty*: the public sources give HMIC's 2015
per-ROCU judgements for no ROCU except, indirectly, the South West (3 of 13 not
delivered, per the South West PCC's response of December 2015). The functions compute
the answer for any panel an analyst supplies and, with the bundled data, say what is
missing and what public evidence exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..schema import package
from .funding import parse_period

__all__ = [
    "status_order",
    "divergence_by_year",
    "DivergenceStatus",
    "divergence_status",
    "capabilities_delivered_counts",
    "delivered_counts_at",
]


def status_order() -> tuple[str, ...]:
    """Delivery statuses, worst first, from the schema (``capability_status.status``).

    Returns
    -------
    tuple of str
        ``('not delivered', 'partly delivered', 'delivered')``; a status's position is
        its ordinal code (0, 1, 2).
    """
    f = package()["capability_status"].field("status")
    return tuple(f.ordered or f.enum)


def _mean_abs_ordinal(frame: pd.DataFrame, span: float | None) -> pd.DataFrame:
    """Mean over shared capabilities of |code_i - code_j| / span (per-column observed range if span is None)."""
    codes = (
        np.column_stack([frame[c].cat.codes.to_numpy() for c in frame.columns]).astype(float)
        if frame.shape[1]
        else np.empty((len(frame), 0))
    )
    codes[codes < 0] = np.nan
    if span is None:
        rng = np.nanmax(codes, axis=0) - np.nanmin(codes, axis=0) if codes.size else np.empty(0)
        rng = np.where(rng > 0, rng, np.inf)  # constant column: contributes 0, still counted
    else:
        rng = np.full(codes.shape[1], float(span))
    n = len(frame)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            both = ~np.isnan(codes[i]) & ~np.isnan(codes[j])
            d = np.nan if not both.any() else float(np.mean(np.abs(codes[i, both] - codes[j, both]) / rng[both]))
            out[i, j] = out[j, i] = d
    return pd.DataFrame(out, index=frame.index, columns=frame.index)


_DIV_COLUMNS = [
    "year",
    "n_rocus",
    "n_capabilities",
    "n_pairs",
    "n_pairs_undefined",
    "mean_distance",
    "min_distance",
    "max_distance",
    "rocus",
]


def divergence_by_year(
    capability_status, distance_fn: Callable[[pd.DataFrame], pd.DataFrame] | None = None, *, scale: str = "levels"
) -> pd.DataFrame:
    """Mean pairwise dissimilarity of the ROCUs' capability profiles, year by year.

    Parameters
    ----------
    capability_status : DataFrame or Dataset
        Panel with columns ``rocu_id``, ``capability``, ``year``, ``status`` (one of
        :func:`status_order`: 'not delivered' < 'partly delivered' < 'delivered'). A
        Dataset is accepted and its ``capability_status`` table used.
    distance_fn : callable, optional
        ``distance_fn(frame) -> square DataFrame``. ``frame`` has one row per ROCU with
        data that year (index ``rocu_id``) and one column per capability observed that
        year, as an ordered Categorical (missing where that ROCU has no status for it).
        E.g. :func:`rocu_compare.compare.gower_distance`. NaN distances (no capability in
        common) are left out of the mean and counted in ``n_pairs_undefined``.
    scale : {"levels", "observed"}, default "levels"
        For the default distance only: divide each absolute code difference by the
        full scale (number of statuses - 1 = 2), so that the same difference means the
        same distance in every year; or by the range of codes observed for that
        capability that year, which is Gower's (1971) ordinal rule exactly (and what
        ``compare.gower_distance`` does).

    Returns
    -------
    DataFrame
        One row per year, sorted: ``year``, ``n_rocus`` (ROCUs with any status that
        year), ``n_capabilities``, ``n_pairs`` (pairs with a defined distance),
        ``n_pairs_undefined``, ``mean_distance``, ``min_distance``, ``max_distance``
        (over defined pairs; NA when none), ``rocus`` (``;``-joined). Empty (with these
        columns) for an empty panel, as with the bundled data.

    Raises
    ------
    ValueError
        Missing columns, an unknown status, or two statuses for the same ROCU,
        capability and year.

    Notes
    -----
    Default distance between ROCUs i and j: the mean, over capabilities with a status
    for both, of ``|code_i - code_j| / scale`` with codes 0, 1, 2 — Gower's coefficient
    for ordinal attributes with equal weights. Caveats: ROCUs and capabilities present
    change from year to year, so a change in the mean can reflect coverage, not
    convergence; compare years with the same ``rocus`` and ``n_capabilities``. With
    three to ten ROCUs there are 3 to 45 pairs: no sampling error is estimated.
    """
    panel = capability_status.capability_status if hasattr(capability_status, "tables") else capability_status
    need = {"rocu_id", "capability", "year", "status"}
    miss = need - set(panel.columns)
    if miss:
        raise ValueError(f"capability_status lacks column(s): {', '.join(sorted(miss))}")
    if scale not in ("levels", "observed"):
        raise ValueError("scale must be 'levels' or 'observed'")
    order = list(status_order())
    if panel.empty:
        return _empty_div()
    p = pd.DataFrame(
        {
            "rocu_id": panel["rocu_id"].astype(str).values,
            "capability": panel["capability"].astype(str).values,
            "year": pd.to_numeric(panel["year"]).astype("Int64").values,
            "status": panel["status"].astype("string").values,
        }
    )
    bad = sorted(set(p["status"].dropna()) - set(order))
    if bad:
        raise ValueError(f"unknown status value(s) {bad}; expected one of {order}")
    p = p.dropna(subset=["status", "year"])
    dup = p.duplicated(["rocu_id", "capability", "year"], keep=False)
    if dup.any():
        first = p[dup].iloc[0]
        raise ValueError(
            f"{int(dup.sum())} rows give more than one status for the same ROCU, capability and "
            f"year (first: {first['rocu_id']}, {first['capability']}, {first['year']})"
        )
    rows = []
    for year, grp in p.groupby("year", sort=True):
        wide = grp.pivot(index="rocu_id", columns="capability", values="status")
        wide = wide.apply(lambda s: pd.Categorical(s, categories=order, ordered=True))
        wide.columns.name = None
        if distance_fn is None:
            dist = _mean_abs_ordinal(wide, (len(order) - 1) if scale == "levels" else None)
        else:
            dist = distance_fn(wide)
        dist = pd.DataFrame(dist).reindex(index=wide.index, columns=wide.index)
        m = dist.to_numpy(dtype=float)
        iu = np.triu_indices(len(wide), k=1)
        vals = m[iu]
        defined = vals[~np.isnan(vals)]
        rows.append(
            {
                "year": int(year),
                "n_rocus": int(len(wide)),
                "n_capabilities": int(wide.shape[1]),
                "n_pairs": int(len(defined)),
                "n_pairs_undefined": int(np.isnan(vals).sum()),
                "mean_distance": float(defined.mean()) if len(defined) else pd.NA,
                "min_distance": float(defined.min()) if len(defined) else pd.NA,
                "max_distance": float(defined.max()) if len(defined) else pd.NA,
                "rocus": ";".join(map(str, wide.index)),
            }
        )
    out = pd.DataFrame(rows, columns=_DIV_COLUMNS)
    return _typed_div(out)


def _typed_div(out: pd.DataFrame) -> pd.DataFrame:
    return out.astype(
        {
            "year": "Int64",
            "n_rocus": "Int64",
            "n_capabilities": "Int64",
            "n_pairs": "Int64",
            "n_pairs_undefined": "Int64",
            "mean_distance": "Float64",
            "min_distance": "Float64",
            "max_distance": "Float64",
            "rocus": "string",
        }
    )


def _empty_div() -> pd.DataFrame:
    return _typed_div(pd.DataFrame(columns=_DIV_COLUMNS))


# -- what can be said with the public data -----------------------------------------------------


def _facts_delivered(ds) -> pd.DataFrame:
    """Per ROCU, delivered counts derivable from facts: total HMIC capabilities minus not delivered."""
    f = ds.facts
    nd = f[f["measure"].astype("string") == "hmic_capabilities_not_delivered"]
    tot = f[
        (f["measure"].astype("string") == "specialist_capabilities") & (f["subject"].astype("string") == "national")
    ]
    tot = tot.assign(_y=[parse_period(p)["year_start"] for p in tot["period"]])
    rows = []
    for _, r in nd.iterrows():
        y = parse_period(r["period"])["year_start"]
        match = tot[tot["_y"] == y] if pd.notna(y) else tot.iloc[0:0]
        n_not = int(float(str(r["value"])))
        if len(match) == 1:
            total = int(float(str(match.iloc[0]["value"])))
            tsrc = str(match.iloc[0]["source_id"])
            delivered = total - n_not
            basis = (
                f"{total} specialist capabilities counted by HMIC in {y} (facts: specialist_capabilities, "
                f"national, {tsrc}) minus {n_not} not delivered (facts: hmic_capabilities_not_delivered, "
                f"{r['period']}, {r['source_id']}). 'Delivered' here means 'not reported as not delivered': "
                f"the source does not separate delivered from partly delivered, nor name the capabilities."
            )
            ids = f"{tsrc};{r['source_id']}"
        else:
            total = delivered = pd.NA
            basis = (
                f"{n_not} not delivered ({r['source_id']}); the number of capabilities assessed that year "
                f"is not uniquely given in the facts table, so the delivered count is not derived."
            )
            ids = str(r["source_id"])
        rows.append(
            {
                "rocu_id": str(r["subject"]),
                "year": y,
                "as_at": str(r["period"]),
                "n_delivered": delivered,
                "n_not_delivered": n_not,
                "n_partly_delivered": pd.NA,
                "n_capabilities_assessed": total,
                "basis": basis,
                "source_ids": ids,
                "origin": "facts",
            }
        )
    return pd.DataFrame(rows)


_COUNT_COLUMNS = [
    "rocu_id",
    "year",
    "as_at",
    "n_delivered",
    "n_partly_delivered",
    "n_not_delivered",
    "n_capabilities_assessed",
    "basis",
    "source_ids",
    "origin",
]


def capabilities_delivered_counts(ds) -> pd.DataFrame:
    """How many capabilities each ROCU delivered, where any source says.

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    DataFrame
        One row per ROCU and year with a count, and one row with NA counts for every
        ROCU with none: ``rocu_id``, ``year``, ``as_at`` (period as published),
        ``n_delivered``, ``n_partly_delivered``, ``n_not_delivered``,
        ``n_capabilities_assessed`` (Int64, NA where unknown — never 0 for unknown),
        ``basis`` (how the count was obtained), ``source_ids``, ``origin``
        (``capability_status``, ``facts`` or ``none``).

    Notes
    -----
    Where ``capability_status`` has rows for a ROCU, its counts are used (per year).
    Otherwise the only derivation the public facts allow is the South West in
    December 2015: HMIC's 13 specialist capabilities (2015, hmic-2015-news) minus the 3
    the South West PCC's response says were not delivered = 10. That "delivered" may
    include partly delivered capabilities; which three were missing is not stated.
    """
    from ..dataset import derived

    tables = ("capability_status", "facts", "rocus")
    return derived(ds, "capabilities_delivered_counts", lambda: _delivered_counts(ds), tables)


def _delivered_counts(ds) -> pd.DataFrame:
    cs = ds.capability_status
    rows = []
    have: set[str] = set()
    if len(cs):
        order = list(status_order())
        c = cs.assign(rocu_id=cs["rocu_id"].astype(str), status=cs["status"].astype("string"))
        for (rid, year), g in c.groupby(["rocu_id", "year"], sort=True):
            counts = g["status"].value_counts()
            rows.append(
                {
                    "rocu_id": rid,
                    "year": int(year),
                    "as_at": str(int(year)),
                    "n_delivered": int(counts.get(order[2], 0)),
                    "n_partly_delivered": int(counts.get(order[1], 0)),
                    "n_not_delivered": int(counts.get(order[0], 0)),
                    "n_capabilities_assessed": int(len(g)),
                    "basis": "counted from the capability_status panel (capabilities with a status that year)",
                    "source_ids": ";".join(pd.unique(g["source_id"].dropna().astype(str))) or pd.NA,
                    "origin": "capability_status",
                }
            )
            have.add(rid)
    fd = _facts_delivered(ds)
    for _, r in fd.iterrows():
        if r["rocu_id"] not in have:
            rows.append(r.to_dict())
            have.add(r["rocu_id"])
    for rid in ds.rocus["rocu_id"].astype(str):
        if rid not in have:
            rows.append(
                {
                    "rocu_id": rid,
                    "year": pd.NA,
                    "as_at": pd.NA,
                    "n_delivered": pd.NA,
                    "n_partly_delivered": pd.NA,
                    "n_not_delivered": pd.NA,
                    "n_capabilities_assessed": pd.NA,
                    "basis": "no per-ROCU delivery count in the sources listed",
                    "source_ids": pd.NA,
                    "origin": "none",
                }
            )
    out = pd.DataFrame(rows, columns=_COUNT_COLUMNS)
    order_ids = {r: i for i, r in enumerate(ds.rocus["rocu_id"].astype(str))}
    out = out.assign(_o=out["rocu_id"].map(order_ids)).sort_values(["_o", "year"], kind="mergesort")
    out = out.drop(columns="_o").reset_index(drop=True)
    return out.astype(
        {
            "rocu_id": "string",
            "year": "Int64",
            "as_at": "string",
            "n_delivered": "Int64",
            "n_partly_delivered": "Int64",
            "n_not_delivered": "Int64",
            "n_capabilities_assessed": "Int64",
            "basis": "string",
            "source_ids": "string",
            "origin": "string",
        }
    )


def delivered_counts_at(ds, as_at) -> pd.DataFrame:
    """One row per ROCU: its :func:`capabilities_delivered_counts` row for the year nearest ``as_at``.

    The single home of "how many capabilities did this ROCU deliver": profiles, report
    figures and notebooks all read it.

    Parameters
    ----------
    ds : Dataset
    as_at : str or Timestamp

    Returns
    -------
    DataFrame
        The columns of :func:`capabilities_delivered_counts`, one row per ROCU in the
        order of the rocus table; a ROCU with no count keeps its NA row (never 0).

    Examples
    --------
    >>> import rocu_compare as rc
    >>> d = delivered_counts_at(rc.load(), "2015-06-30").set_index("rocu_id")
    >>> int(d.loc["swrocu", "n_delivered"]), int(d.loc["swrocu", "n_capabilities_assessed"])
    (10, 13)
    """
    dc = capabilities_delivered_counts(ds)
    year = pd.Timestamp(as_at).year
    dist = (dc["year"].astype("Float64") - year).abs().fillna(float("inf"))
    d = dc.assign(_known=dc["n_delivered"].isna(), _d=dist.astype(float))
    d = d.sort_values(["_known", "_d", "year"], kind="mergesort").drop_duplicates("rocu_id")
    order = {r: i for i, r in enumerate(ds.rocus["rocu_id"].astype(str))}
    d = d.assign(_o=d["rocu_id"].map(order)).sort_values("_o", kind="mergesort")
    return d.drop(columns=["_known", "_d", "_o"]).reset_index(drop=True)


@dataclass
class DivergenceStatus:
    """What :func:`divergence_status` found.

    Attributes
    ----------
    can_compute : bool
        True when the capability_status panel has at least two ROCUs in some year.
    message : str
        Plain-English statement (also ``str(status)``).
    evidence_counts : DataFrame
        Public capability evidence rows by ROCU and year (``year`` NA = undated).
    delivered_counts : DataFrame
        :func:`capabilities_delivered_counts`.
    divergence : DataFrame
        :func:`divergence_by_year` on the panel (empty with the bundled data).
    """

    can_compute: bool
    message: str
    evidence_counts: pd.DataFrame
    delivered_counts: pd.DataFrame
    divergence: pd.DataFrame

    def __str__(self) -> str:
        return self.message


def divergence_status(ds) -> DivergenceStatus:
    """Say whether capability divergence can be computed, and what evidence exists.

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    DivergenceStatus
        ``message`` (plain text), ``evidence_counts`` (capability_evidence rows by
        ``rocu_id`` and ``year``: ``n_rows``, ``n_capabilities``), ``delivered_counts``,
        ``divergence`` and ``can_compute``.

    Notes
    -----
    Capability *evidence* (unit websites, press) shows that a unit existed at some
    date; it is not HMIC's delivered / partly delivered / not delivered judgement and
    absence of a row is not absence of a capability, so it is not turned into a panel.
    """
    div = divergence_by_year(ds.capability_status)
    can = bool(len(div) and (div["n_pairs"] > 0).any())
    ce = ds.capability_evidence
    ev = pd.DataFrame(
        {
            "rocu_id": ce["rocu_id"].astype(str).values,
            "year": [pd.NA if pd.isna(d) else int(str(d)[:4]) for d in ce["evidence_date"]],
            "capability": ce["capability"].astype(str).values,
        }
    )
    ev["year"] = ev["year"].astype("Int64")
    counts = (
        ev.groupby(["rocu_id", "year"], dropna=False, sort=True)
        .agg(n_rows=("capability", "size"), n_capabilities=("capability", "nunique"))
        .reset_index()
    )
    counts = counts.astype({"n_rows": "Int64", "n_capabilities": "Int64"})
    dc = capabilities_delivered_counts(ds)
    known = dc[dc["n_delivered"].notna()]
    known_txt = (
        "; ".join(
            f"{r.rocu_id} {r.as_at}: {r.n_delivered} of {r.n_capabilities_assessed} delivered ({r.source_ids})"
            for r in known.itertuples()
        )
        or "none"
    )
    n_dated = int(ev["year"].notna().sum())
    by_rocu = ", ".join(f"{k} {v}" for k, v in ev.groupby("rocu_id").size().items())
    if can:
        head = (
            f"Capability divergence computed for {len(div)} year(s) from the capability_status panel "
            f"({len(ds.capability_status)} rows)."
        )
    else:
        head = (
            "Capability divergence cannot be computed from the data loaded: it needs capability-by-year "
            f"delivery status for two or more ROCUs in the same year (the capability_status table has "
            f"{len(ds.capability_status)} rows; fill it from HMIC's per-ROCU judgements or the analyst's own "
            "assessment, with sources)."
        )
    message = (
        f"{head} Capability evidence in the data: {len(ce)} capability_evidence rows (presence only, not "
        f"delivery judgements; {n_dated} dated), by ROCU: {by_rocu}. Per-ROCU delivered counts: {known_txt}."
    )
    return DivergenceStatus(
        can_compute=can, message=message, evidence_counts=counts, delivered_counts=dc, divergence=div
    )
