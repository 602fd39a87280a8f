"""Reference copy of ``rocu_compare.operating_model.model_codes`` before it was rewritten over plain records (issue 11).

Kept verbatim (apart from this docstring and the imports) so that the tests can check the
record-based implementation against it and the benchmarks can time the two side by side.
"""

from __future__ import annotations

import pandas as pd

from rocu_compare.operating_model import (
    _CODE_COLUMNS,
    MODEL_ATTRIBUTES,
    REMIT_CODES,
    REMITS,
    _dated,
    _days_from,
    _partners,
    _span,
    _weakest,
    accepted_strengths,
    harmonise_partner,
    parse_rank,
    unit_presence,
)

__all__ = ["model_codes"]


def model_codes(ds, as_at="2015-06-30", evidence: str = "stated") -> pd.DataFrame:
    """One coded value per ROCU and model attribute at a date, with how it was chosen.

    Parameters
    ----------
    ds : Dataset
    as_at : str or Timestamp, default "2015-06-30"
        The comparison date.
    evidence : {"stated", "indicated", "implied"}, default "stated"
        Weakest evidence strength counted (``indicated`` and ``implied`` rows count only
        when asked).

    Returns
    -------
    DataFrame
        One row per ROCU and attribute with evidence (an absent row is "not found"; a
        row whose ``value`` is None holds conflicting evidence, see ``rule``):
        ``rocu_id``, ``attribute`` (a key of :data:`MODEL_ATTRIBUTES`), ``value`` (text,
        or an int for the counts), ``evidence_strength`` (weakest of the rows used),
        ``dated`` (``dated``, ``undated`` or ``mixed``), ``as_of`` (date of the row
        used, or the span of those used), ``source_ids`` (``;``-separated), ``n_rows``,
        ``rule`` (the choice made, in words) and ``detail``.

    Notes
    -----
    - Remits: the row nearest ``as_at`` among dated rows, else the undated rows if they
      agree; ``yes``/``no`` as the source says (``aligned`` and ``digital only`` read as
      ``no``, see :data:`REMIT_CODES`); never ``no`` from silence.
    - Senior lead rank: the same choice of row; the rank parsed with :func:`parse_rank`.
      Equally near dated rows, or undated rows, that disagree give no value.
    - Partner agencies: distinct names over all rows, at any date, after
      :data:`PARTNER_HARMONISATION` at ``as_at``.
    - Catalogue units: distinct catalogue capabilities with a ``yes`` in
      :func:`unit_presence`, at any date (a lower bound: presence evidence, not a census).
    - Collaboration instrument and host model: the codes of ``rocus`` (coded from its
      governance text in the data build); dated where a cited source has a publication date.
    """
    ok = accepted_strengths(evidence)
    d = pd.Timestamp(as_at).date()
    me = ds.rocu_model_evidence
    me = me[me["evidence_strength"].astype(str).isin(ok)]
    me = me.assign(
        rocu_id=me["rocu_id"].astype(str),
        attribute=me["attribute"].astype(str),
        evidence_strength=me["evidence_strength"].astype(str),
    )
    rows: list[dict] = []

    def nearest(grp: pd.DataFrame, coded: pd.Series, what: str) -> dict | None:
        grp = grp.assign(_v=coded.values).dropna(subset=["_v"])
        if grp.empty:
            return None
        days = grp["as_of"].map(lambda t: _days_from(t, d))
        dated = grp[days.notna()]
        if len(dated):
            best = days[days.notna()].min()
            pick = dated[days[days.notna()] == best]
            how = f"nearest dated row to {d.isoformat()} ({pick['as_of'].iloc[0]}) of {len(grp)} {what} row(s)"
        else:
            pick = grp
            how = f"no dated row: the {len(grp)} undated {what} row(s)"
        conflict = pick["_v"].nunique() > 1
        if conflict:
            how = f"conflict, no value: {how} disagree ({' / '.join(pick['_v'].astype(str).unique())})"
        return {
            "value": None if conflict else pick["_v"].iloc[0],
            "evidence_strength": _weakest(pick["evidence_strength"]),
            "dated": _dated(pick["as_of"]),
            "as_of": _span(pick["as_of"]),
            "source_ids": ";".join(pick["source_id"].astype(str)),
            "n_rows": len(pick),
            "rule": how,
            "detail": "; ".join(str(x) for x in pick["value"].astype(str)),
        }

    for (rid, attr), grp in me.groupby(["rocu_id", "attribute"], sort=False):
        if attr in REMITS:
            res = nearest(grp, grp["value"].astype(str).map(REMIT_CODES), "remit")
        elif attr == "senior_lead_rank":
            res = nearest(grp, grp["value"].map(parse_rank), "rank")
        else:
            continue
        if res is not None:
            rows.append({"rocu_id": rid, "attribute": attr, **res})

    for rid, grp in me[me["attribute"] == "embedded_partner_agencies"].groupby("rocu_id", sort=False):
        names = sorted({harmonise_partner(p, as_at) for v in grp["value"].astype(str) for p in _partners(v)})
        rows.append(
            {
                "rocu_id": rid,
                "attribute": "partner_agencies_n",
                "value": len(names),
                "evidence_strength": _weakest(grp["evidence_strength"]),
                "dated": _dated(grp["as_of"]),
                "as_of": _span(grp["as_of"]),
                "source_ids": ";".join(grp["source_id"].astype(str)),
                "n_rows": len(grp),
                "rule": f"distinct names over {len(grp)} row(s), harmonised at {d.isoformat()}",
                "detail": "; ".join(names),
            }
        )

    up = unit_presence(ds, evidence)
    for rid, grp in up.groupby("rocu_id", sort=False):
        yes = grp[grp["value"] == "yes"]
        caps = sorted(yes["capability"].unique(), key=str.lower)
        rows.append(
            {
                "rocu_id": rid,
                "attribute": "catalogue_units_n",
                "value": len(caps),
                "evidence_strength": _weakest(yes["evidence_strength"]) if len(yes) else "stated",
                "dated": _dated(yes["evidence_date"] if len(yes) else grp["evidence_date"]),
                "as_of": _span(yes["evidence_date"]),
                "source_ids": ";".join(dict.fromkeys(yes["source_id"])),
                "n_rows": len(grp),
                "rule": f"distinct catalogue units with a 'yes' in {len(grp)} presence row(s)",
                "detail": "; ".join(caps),
            }
        )

    rocus = ds.rocus
    published = ds.sources.set_index(ds.sources["source_id"].astype(str))["published"]
    for col in ("collaboration_instrument", "host_model"):
        for r in rocus[rocus[col].notna()].itertuples():
            ids = [s.strip() for s in str(r.source_ids).split(";") if s.strip()]
            has_date = [pd.notna(published.get(s)) for s in ids]
            rows.append(
                {
                    "rocu_id": str(r.rocu_id),
                    "attribute": col,
                    "value": str(getattr(r, col)),
                    "evidence_strength": "stated",
                    "dated": "dated" if any(has_date) else "undated",
                    "as_of": None,
                    "source_ids": ";".join(ids),
                    "n_rows": 1,
                    "rule": "coded from rocus.governance / lead_or_host_force in the data build",
                    "detail": str(r.governance) if col == "collaboration_instrument" else str(r.lead_or_host_force),
                }
            )

    out = pd.DataFrame(rows, columns=_CODE_COLUMNS)
    order = {r: i for i, r in enumerate(ds.rocus["rocu_id"].astype(str))}
    attrs = {a: i for i, a in enumerate(MODEL_ATTRIBUTES)}
    out = out.assign(_r=out["rocu_id"].map(order), _a=out["attribute"].map(attrs))
    return out.sort_values(["_r", "_a"], kind="stable").drop(columns=["_r", "_a"]).reset_index(drop=True)
