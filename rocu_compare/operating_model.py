"""The regional operating models: which units each ROCU ran, and the coded model attributes.

Two domain rules live here and nowhere else:

* :func:`unit_presence` is the one home of the fact "unit X existed in ROCU Y". It reads
  ``capability_evidence`` and the unit rows (``has_*``) of ``rocu_model_evidence``
  together, both named by the capability catalogue (``capabilities``).
* :func:`model_codes` turns ``rocu_model_evidence`` (and the coded governance columns of
  ``rocus``) into one value per ROCU and attribute at a date, with the rule used, the
  evidence strength, whether the evidence is dated and the sources. The profiles'
  ``model`` group and the operating-model figure both read it.

Missing stays missing: a remit is ``no`` only where a source says so, and a count is
missing (not zero) where no evidence was found.

Examples
--------
>>> import rocu_compare as rc
>>> codes = model_codes(rc.load(), "2015-06-30")
>>> codes.set_index(["rocu_id", "attribute"]).loc[("emsou", "remit_major_crime"), "value"]
'yes'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from .validate import parse_partial_date

__all__ = [
    "EVIDENCE_LEVELS",
    "MODEL_ATTRIBUTES",
    "PARTNER_HARMONISATION",
    "RANK_ORDER",
    "REMITS",
    "Harmonisation",
    "accepted_strengths",
    "harmonise_partner",
    "model_codes",
    "parse_rank",
    "unit_presence",
]

#: Evidence strengths, strongest first (``rocu_model_evidence.evidence_strength``).
EVIDENCE_LEVELS: tuple[str, ...] = ("stated", "indicated", "implied")

#: Remit attributes and their display names.
REMITS: dict[str, str] = {
    "remit_economic_crime": "economic crime",
    "remit_major_crime": "major crime",
    "remit_counter_terrorism": "counter terrorism",
    "remit_forensics": "forensic science",
}
#: How a remit row's value is coded. ``aligned`` (alongside, not within the unit) and
#: ``digital only`` (digital forensics, not a forensic science service) are sources
#: saying the remit is not the unit's; any other value is left uncoded (missing).
REMIT_CODES: dict[str, str] = {"yes": "yes", "no": "no", "aligned": "no", "digital only": "no"}

#: Senior lead ranks, lowest first (the ordinal of ``senior_lead_rank``).
RANK_ORDER: tuple[str, ...] = (
    "Superintendent",
    "Detective Superintendent",
    "Detective Chief Superintendent",
    "Assistant Chief Constable",
    "Deputy Chief Constable",
    "Chief Constable",
)
RANK_SHORT: dict[str, str] = dict(zip(RANK_ORDER, ("Supt", "Det Supt", "DCS", "ACC", "DCC", "CC")))

#: The model attributes, in display order, with their labels.
MODEL_ATTRIBUTES: dict[str, str] = {
    **REMITS,
    "senior_lead_rank": "senior lead rank",
    "partner_agencies_n": "partner agencies (n)",
    "catalogue_units_n": "catalogue units (n)",
    "collaboration_instrument": "collaboration instrument",
    "host_model": "host model",
}


@dataclass(frozen=True)
class Harmonisation:
    """One partner-agency name read as another from a date (``None``: always)."""

    old: str
    new: str
    from_date: str | None
    basis: str


#: Partner names harmonised before counting. The dates are those of the successor bodies
#: (a rule of this library, not a fact in ``data/``): before them the old name is kept.
PARTNER_HARMONISATION: tuple[Harmonisation, ...] = (
    Harmonisation("UK Border Force", "Border Force", None, "the same body under a longer name"),
    Harmonisation("UK Border Agency", "Border Force", "2012-03", "Border Force split from the UK Border Agency"),
    Harmonisation("SOCA", "NCA", "2013-10", "the National Crime Agency replaced SOCA"),
    Harmonisation("HM Court Service", "HMCTS", "2011-04", "HM Courts Service became HM Courts & Tribunals Service"),
)

_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")


def accepted_strengths(evidence: str = "stated") -> tuple[str, ...]:
    """Evidence strengths counted for ``evidence`` (that level and every stronger one).

    >>> accepted_strengths("indicated")
    ('stated', 'indicated')
    """
    if evidence not in EVIDENCE_LEVELS:
        raise ValueError(f"evidence must be one of {', '.join(EVIDENCE_LEVELS)}; got {evidence!r}")
    return EVIDENCE_LEVELS[: EVIDENCE_LEVELS.index(evidence) + 1]


def parse_rank(text) -> str | None:
    """The rank a ``senior_lead_rank`` value names (``Temporary`` dropped); None if none.

    >>> parse_rank("Temporary Assistant Chief Constable (chief officer lead)")
    'Assistant Chief Constable'
    >>> parse_rank("Detective Chief Superintendent (head)")
    'Detective Chief Superintendent'
    """
    s = re.sub(r"^(temporary|acting)\s+", "", str(text).strip(), flags=re.I)
    for rank in sorted(RANK_ORDER, key=len, reverse=True):
        if s.lower().startswith(rank.lower()):
            return rank
    return None


def harmonise_partner(name: str, as_at) -> str:
    """A partner agency's name as counted at ``as_at`` (see :data:`PARTNER_HARMONISATION`).

    >>> harmonise_partner("SOCA", "2015-06-30"), harmonise_partner("SOCA", "2012-06-30")
    ('NCA', 'SOCA')
    """
    return _harmonisation_at(pd.Timestamp(as_at).date())(name)


def _partners(value: str) -> list[str]:
    """Agency names of an ``embedded_partner_agencies`` value (closing qualifier dropped)."""
    return [p.strip() for p in _QUALIFIER.sub("", str(value)).split(";") if p.strip()]


def _days_from(text, d: dt.date) -> float:
    """Days between a partial date and ``d`` (0 inside the period; NaN if undated)."""
    if pd.isna(text):
        return float("nan")
    lo, hi = parse_partial_date(str(text))
    if lo <= d <= hi:
        return 0.0
    return float(min(abs((lo - d).days), abs((hi - d).days)))


def _weakest(strengths) -> str:
    return max((str(s) for s in strengths), key=EVIDENCE_LEVELS.index)


def _dated(dates) -> str:
    has = [pd.notna(x) for x in dates]
    return "dated" if all(has) else ("undated" if not any(has) else "mixed")


def unit_presence(ds, evidence: str = "stated") -> pd.DataFrame:
    """Every piece of evidence that a catalogue unit existed in a ROCU.

    The one home of "unit X existed in ROCU Y": ``capability_evidence`` rows (presence,
    read as ``stated``) and the ``has_*`` rows of ``rocu_model_evidence`` (mapped to the
    catalogue in the data build), restricted to the accepted evidence strengths.

    Parameters
    ----------
    ds : Dataset
    evidence : {"stated", "indicated", "implied"}, default "stated"
        Weakest evidence strength counted.

    Returns
    -------
    DataFrame
        Columns ``rocu_id``, ``capability``, ``value`` (``yes``, or the model table's
        qualified values: ``no``, ``shared``, ``planned``, ``force-level``),
        ``evidence_strength``, ``evidence_date`` (partial ISO date or NA), ``detail``,
        ``source_id``, ``origin`` (the table). Sorted by ROCU (table order), capability
        and date. Absence of a row is not absence of the unit.

    Examples
    --------
    >>> import rocu_compare as rc
    >>> p = unit_presence(rc.load())
    >>> tarian = set(p.loc[p.rocu_id == "tarian", "capability"])
    >>> "Regional Task Force" in tarian, "Government Agency Intelligence Network (GAIN)" in tarian
    (True, True)
    """
    ok = accepted_strengths(evidence)
    from .dataset import derived

    tables = ("capability_evidence", "rocu_model_evidence", "rocus")
    return derived(ds, ("unit_presence", ok), lambda: _unit_presence(ds, ok), tables)


def _unit_presence(ds, ok: tuple[str, ...]) -> pd.DataFrame:
    ce = ds.capability_evidence
    a = pd.DataFrame(
        {
            "rocu_id": ce["rocu_id"].astype(str),
            "capability": ce["capability"].astype(str),
            "value": "yes",
            "evidence_strength": "stated",
            "evidence_date": ce["evidence_date"].astype(object),
            "detail": ce["evidence"].astype(object),
            "source_id": ce["source_id"].astype(str),
            "origin": "capability_evidence",
        }
    )
    me = ds.rocu_model_evidence
    me = me[me["capability"].notna() & me["evidence_strength"].astype(str).isin(ok)]
    b = pd.DataFrame(
        {
            "rocu_id": me["rocu_id"].astype(str),
            "capability": me["capability"].astype(str),
            "value": me["value"].astype(str),
            "evidence_strength": me["evidence_strength"].astype(str),
            "evidence_date": me["as_of"].astype(object),
            "detail": me["detail"].astype(object),
            "source_id": me["source_id"].astype(str),
            "origin": "rocu_model_evidence",
        }
    )
    out = pd.concat([a, b], ignore_index=True)
    out["evidence_date"] = out["evidence_date"].where(out["evidence_date"].notna(), None)
    order = {r: i for i, r in enumerate(ds.rocus["rocu_id"].astype(str))}
    out = out.assign(_o=out["rocu_id"].map(order), _d=out["evidence_date"].fillna("9999"))
    return (
        out.sort_values(["_o", "capability", "_d", "source_id"], kind="stable")
        .drop(columns=["_o", "_d"])
        .reset_index(drop=True)
    )


_CODE_COLUMNS = [
    "rocu_id",
    "attribute",
    "value",
    "evidence_strength",
    "dated",
    "as_of",
    "source_ids",
    "n_rows",
    "rule",
    "detail",
]


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
    ok = set(accepted_strengths(evidence))
    d = pd.Timestamp(as_at).date()
    iso = d.isoformat()
    me = ds.rocu_model_evidence
    # One pass over plain records (a few hundred rows): the columns are converted once, as
    # pandas would convert them, and every group is then a list of row numbers.
    cols = {
        "rocu_id": me["rocu_id"].astype(str).tolist(),
        "attribute": me["attribute"].astype(str).tolist(),
        "strength": me["evidence_strength"].astype(str).tolist(),
        "value": me["value"].astype(str).tolist(),
        "raw_value": me["value"].tolist(),
        "as_of": me["as_of"].tolist(),
        "source_id": me["source_id"].astype(str).tolist(),
    }
    keep = [i for i, s in enumerate(cols["strength"]) if s in ok]
    groups: dict[tuple[str, str], list[int]] = {}
    for i in keep:
        groups.setdefault((cols["rocu_id"][i], cols["attribute"][i]), []).append(i)
    as_of = cols["as_of"]
    rows: list[dict] = []

    def nearest(idx: list[int], coded: list, what: str) -> dict | None:
        pairs = [(i, v) for i, v in zip(idx, coded) if not missing_value(v)]
        if not pairs:
            return None
        days = [_days_from(as_of[i], d) for i, _ in pairs]
        dated = [(p, dd) for p, dd in zip(pairs, days) if dd == dd]  # NaN != NaN: undated
        if dated:
            best = min(dd for _, dd in dated)
            pick = [p for p, dd in dated if dd == best]
            how = f"nearest dated row to {iso} ({as_of[pick[0][0]]}) of {len(pairs)} {what} row(s)"
        else:
            pick = pairs
            how = f"no dated row: the {len(pairs)} undated {what} row(s)"
        distinct = list(dict.fromkeys(v for _, v in pick))
        conflict = len(distinct) > 1
        if conflict:
            how = f"conflict, no value: {how} disagree ({' / '.join(str(v) for v in distinct)})"
        ids = [i for i, _ in pick]
        return {
            "value": None if conflict else pick[0][1],
            "evidence_strength": _weakest(cols["strength"][i] for i in ids),
            "dated": _dated([as_of[i] for i in ids]),
            "as_of": _span([as_of[i] for i in ids]),
            "source_ids": ";".join(cols["source_id"][i] for i in ids),
            "n_rows": len(ids),
            "rule": how,
            "detail": "; ".join(cols["value"][i] for i in ids),
        }

    for (rid, attr), idx in groups.items():
        if attr in REMITS:
            res = nearest(idx, [REMIT_CODES.get(cols["value"][i]) for i in idx], "remit")
        elif attr == "senior_lead_rank":
            res = nearest(idx, [parse_rank(cols["raw_value"][i]) for i in idx], "rank")
        else:
            continue
        if res is not None:
            rows.append({"rocu_id": rid, "attribute": attr, **res})

    rename = _harmonisation_at(d)
    partners: dict[str, list[int]] = {}
    for (rid, attr), idx in groups.items():
        if attr == "embedded_partner_agencies":
            partners.setdefault(rid, []).extend(idx)
    for rid, idx in partners.items():
        idx = sorted(idx)
        names = sorted({rename(p) for i in idx for p in _partners(cols["value"][i])})
        rows.append(
            {
                "rocu_id": rid,
                "attribute": "partner_agencies_n",
                "value": len(names),
                "evidence_strength": _weakest(cols["strength"][i] for i in idx),
                "dated": _dated([as_of[i] for i in idx]),
                "as_of": _span([as_of[i] for i in idx]),
                "source_ids": ";".join(cols["source_id"][i] for i in idx),
                "n_rows": len(idx),
                "rule": f"distinct names over {len(idx)} row(s), harmonised at {iso}",
                "detail": "; ".join(names),
            }
        )

    up = unit_presence(ds, evidence)
    by_rocu: dict[str, list[tuple]] = {}
    for rec in zip(
        up["rocu_id"], up["capability"], up["value"], up["evidence_strength"], up["evidence_date"], up["source_id"]
    ):
        by_rocu.setdefault(rec[0], []).append(rec)
    for rid, recs in by_rocu.items():
        yes = [r for r in recs if r[2] == "yes"]
        caps = sorted(dict.fromkeys(r[1] for r in yes), key=str.lower)
        rows.append(
            {
                "rocu_id": rid,
                "attribute": "catalogue_units_n",
                "value": len(caps),
                "evidence_strength": _weakest(r[3] for r in yes) if yes else "stated",
                "dated": _dated([r[4] for r in (yes or recs)]),
                "as_of": _span([r[4] for r in yes]),
                "source_ids": ";".join(dict.fromkeys(r[5] for r in yes)),
                "n_rows": len(recs),
                "rule": f"distinct catalogue units with a 'yes' in {len(recs)} presence row(s)",
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

    order = {r: i for i, r in enumerate(ds.rocus["rocu_id"].astype(str))}
    attrs = {a: i for i, a in enumerate(MODEL_ATTRIBUTES)}
    rows.sort(key=lambda r: (order.get(r["rocu_id"], len(order)), attrs.get(r["attribute"], len(attrs))))
    return pd.DataFrame(rows, columns=_CODE_COLUMNS)


def missing_value(v) -> bool:
    """None, NaN or pd.NA (a value the coding could not read)."""
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _harmonisation_at(d: dt.date):
    """:func:`harmonise_partner` at one date, with the rule's dates parsed once."""
    rules = [
        (h.old, h.new) for h in PARTNER_HARMONISATION if h.from_date is None or d >= parse_partial_date(h.from_date)[0]
    ]

    def rename(name: str) -> str:
        name = name.strip()
        for old, new in rules:
            if name == old:
                name = new
        return name

    return rename


def _span(dates) -> str | None:
    ds_ = sorted(str(x) for x in dates if pd.notna(x))
    if not ds_:
        return None
    return ds_[0] if ds_[0] == ds_[-1] else f"{ds_[0]} to {ds_[-1]}"
