"""Development timeline of the ROCUs and the spread of their founding dates.

All functions take the :class:`~rocu_compare.dataset.Dataset` first and return
DataFrames (or a small dict for :func:`founding_year_span`); nothing is printed,
plotted or written.

Dates in the source tables are *partial* ISO dates (``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``). They are never guessed to a day: every dated row carries the first
and the last day of the period the text denotes (``date_start``, ``date_end``), and
the text itself (``date_text``).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..validate import parse_partial_date

__all__ = [
    "TIMELINE_KINDS",
    "FOUNDED_USED_RULE",
    "timeline",
    "undated_capability_evidence",
    "founding_ranges",
    "development_spread",
    "founding_year_span",
]

#: Kinds of timeline row, in the order of the ``events.event_type`` enum of the schema.
TIMELINE_KINDS: tuple[str, ...] = (
    "established",
    "merger",
    "membership-change",
    "capability",
    "funding",
    "strategy",
    "inspection",
    "other",
)

#: The rule used to pick one founding year where the sources disagree.
FOUNDED_USED_RULE = (
    "earliest year given by any source (rocus.established, rocus.established_alt and the "
    "'established' events); the later year is kept in founded_latest"
)


# -- small shared helpers (also used by the other piecemeal modules) ---------------------------


def _partial_bounds(text) -> tuple[pd.Timestamp, pd.Timestamp] | tuple[None, None]:
    """First and last day of a partial date as Timestamps; (None, None) when blank."""
    if text is None or pd.isna(text) or str(text).strip() == "":
        return None, None
    first, last = parse_partial_date(str(text).strip())
    return pd.Timestamp(first), pd.Timestamp(last)


def _split_ids(text) -> list[str]:
    """A ``;``-separated source id list as a list (empty for blank)."""
    if text is None or pd.isna(text):
        return []
    return [s.strip() for s in str(text).split(";") if s.strip()]


def _join_ids(ids) -> str | None:
    """Unique ids in first-seen order, joined with ``;`` (None when empty)."""
    seen: list[str] = []
    for i in ids:
        if i and i not in seen:
            seen.append(i)
    return ";".join(seen) if seen else None


def _rocu_ids(ds) -> list[str]:
    """The rocu_ids in the order of the rocus table."""
    return [str(r) for r in ds.rocus["rocu_id"]]


def _as_date(value, what: str = "date") -> dt.date:
    """An analysis date: ISO ``YYYY-MM-DD`` string, date or Timestamp (see :func:`rocu_compare.dates.parse_date`)."""
    from ..dates import parse_date

    return parse_date(value, what).date()


# -- timeline ------------------------------------------------------------------------------------

_TIMELINE_COLUMNS = [
    "subject",
    "date_start",
    "date_end",
    "date_text",
    "precision",
    "kind",
    "description",
    "source_id",
    "origin",
    "overlaps_event",
]


def timeline(ds) -> pd.DataFrame:
    """Dated milestones of every ROCU and of the national framework.

    Combines the ``events`` table (all rows: every event has a date) with the *dated*
    rows of ``capability_evidence`` (``kind`` = ``capability``). Undated capability
    evidence is not placed on the timeline; see :func:`undated_capability_evidence`.

    Parameters
    ----------
    ds : Dataset
        The loaded dataset.

    Returns
    -------
    DataFrame
        One row per milestone, sorted by ``date_start``, ``date_end``, ``subject``:

        ``subject``
            rocu_id or ``national``.
        ``date_start``, ``date_end``
            First and last day of the partial date (``2009`` -> 2009-01-01 .. 2009-12-31).
        ``date_text``
            The date exactly as in the source table.
        ``precision``
            ``year``, ``month`` or ``day``.
        ``kind``
            Categorical over :data:`TIMELINE_KINDS` (the ``events.event_type`` values).
        ``description``
            Event description, or ``"<capability>: <evidence>"`` for capability evidence.
        ``source_id``
            The row's source.
        ``origin``
            ``events`` or ``capability_evidence``.
        ``overlaps_event``
            For capability evidence only: True where a ``capability`` event of the same
            subject carries the same date text (the same milestone told twice, possibly
            by different sources). Both rows are kept so that no source is lost.

    Notes
    -----
    Caveats:

    * Only milestones dated in a source are here; the sources do not date many unit
      launches (see :func:`undated_capability_evidence`, the ``rocus`` notes and ``facts``).
    * Conflicting founding dates (EMSOU 2001/2002, Tarian 2002/2003) appear as separate
      ``established`` rows, as in the events table; :func:`founding_ranges` reconciles them.
    * A year-precision date spans the whole year; do not sort milestones of different
      precision within the same year as if their order were known.
    * Capability evidence is *presence* evidence from unit sites and press, not HMIC's
      delivered / partly delivered / not delivered judgement.
    """
    ev = ds.events
    rows = []
    for _, r in ev.iterrows():
        start, end = _partial_bounds(r["date"])
        rows.append(
            {
                "subject": str(r["subject"]),
                "date_start": start,
                "date_end": end,
                "date_text": str(r["date"]),
                "kind": str(r["event_type"]),
                "description": r["description"],
                "source_id": r["source_id"],
                "origin": "events",
                "overlaps_event": pd.NA,
            }
        )
    cap_events = {
        (str(s), str(d)) for s, d, k in zip(ev["subject"], ev["date"], ev["event_type"]) if str(k) == "capability"
    }
    ce = ds.capability_evidence
    for _, r in ce[ce["evidence_date"].notna()].iterrows():
        start, end = _partial_bounds(r["evidence_date"])
        rows.append(
            {
                "subject": str(r["rocu_id"]),
                "date_start": start,
                "date_end": end,
                "date_text": str(r["evidence_date"]),
                "kind": "capability",
                "description": f"{r['capability']}: {r['evidence']}",
                "source_id": r["source_id"],
                "origin": "capability_evidence",
                "overlaps_event": (str(r["rocu_id"]), str(r["evidence_date"])) in cap_events,
            }
        )
    out = pd.DataFrame(rows, columns=[c for c in _TIMELINE_COLUMNS if c != "precision"])
    out["date_start"] = pd.to_datetime(out["date_start"])
    out["date_end"] = pd.to_datetime(out["date_end"])
    out["precision"] = out["date_text"].map(lambda t: ("year", "month", "day")[str(t).count("-")])
    out["kind"] = pd.Categorical(out["kind"], categories=list(TIMELINE_KINDS))
    out["overlaps_event"] = out["overlaps_event"].astype("boolean")
    for c in ("subject", "date_text", "description", "source_id", "origin", "precision"):
        out[c] = out[c].astype("string")
    out = out[_TIMELINE_COLUMNS]
    return out.sort_values(["date_start", "date_end", "subject"], kind="mergesort").reset_index(drop=True)


def undated_capability_evidence(ds) -> pd.DataFrame:
    """Capability evidence rows whose source gives no date (kept off the timeline).

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    DataFrame
        Columns ``rocu_id``, ``capability``, ``evidence``, ``source_id``, ``source_published``
        (the publication date of the source where the sources table has one, as text),
        ``notes`` (approximate dates, where known, are stated there).

    Notes
    -----
    Undated ROCU and PCC web pages describe the unit when the page was written, which
    is not necessarily 2015. Absence of a row does not mean absence of a capability.
    """
    ce = ds.capability_evidence
    und = ce[ce["evidence_date"].isna()]
    pub = ds.sources.set_index("source_id")["published"]
    out = pd.DataFrame(
        {
            "rocu_id": und["rocu_id"].astype(str).values,
            "capability": und["capability"].astype(str).values,
            "evidence": und["evidence"].values,
            "source_id": und["source_id"].values,
            "source_published": [pub.get(s, pd.NA) for s in und["source_id"]],
            "notes": und["notes"].values,
        }
    )
    for c in out.columns:
        out[c] = out[c].astype("string")
    return out.reset_index(drop=True)


# -- founding --------------------------------------------------------------------------------------


def founding_ranges(ds) -> pd.DataFrame:
    """Founding year of every ROCU as a range over the conflicting sources.

    Candidates per ROCU are ``rocus.established``, ``rocus.established_alt`` and the
    dates of ``events`` rows with ``event_type == 'established'`` for that ROCU.

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    DataFrame
        Indexed by ``rocu_id`` (all ten, in the order of the rocus table), columns:

        ``founded_earliest``, ``founded_latest`` (Int64)
            Smallest and largest candidate year.
        ``founded_used`` (Int64)
            The year used by the other analyses: ``founded_earliest`` (see ``rule``).
        ``founded_first_day``, ``founded_last_day``
            First day of the earliest candidate date and last day of the latest one
            (a year-only date spans the whole year).
        ``founded_dates_text``
            Every candidate as ``date (source ids)``, so the conflict stays visible.
        ``is_conflicting`` (boolean)
            True where the sources give different years.
        ``not_published`` (boolean)
            True where no source gives a founding date (YHROCU, WMROCU and London in the
            bundled data); their years are NA, never a guess.
        ``source_ids``
            Sources of the candidates (the event's source; for a ``rocus`` value with no
            matching event, the ``rocus`` row's sources).
        ``rule``
            :data:`FOUNDED_USED_RULE`.

    Notes
    -----
    Caveats: EMSOU is dated 2001 by its own site and 2002 by others (initially a covert
    unit); Tarian 2002 (Commons Welsh Affairs Committee) or 2003 (Tarian's own pages),
    with Tarian+ launched in March 2004. Using the earliest year makes those two ROCUs
    look as old as any source allows; use ``founded_latest`` for the other reading. A
    founding date is the date a unit is first said to exist: the units grew and changed
    remit afterwards (EMSOU's remit is wider than a ROCU's).
    """
    from ..dataset import derived

    return derived(ds, "founding_ranges", lambda: _founding_ranges(ds), ("events", "rocus"))


def _founding_ranges(ds) -> pd.DataFrame:
    ev = ds.events
    est = ev[ev["event_type"].astype(str) == "established"]
    by_subject: dict[str, list[tuple[str, list[str]]]] = {}  # (date text, source ids), in table order
    for subject, date, source in zip(est["subject"].astype(str), est["date"], est["source_id"]):
        by_subject.setdefault(subject, []).append((str(date), [str(source)]))
    rocus = ds.rocus
    rows = []
    for rid, established, established_alt, source_ids in zip(
        rocus["rocu_id"].astype(str), rocus["established"], rocus["established_alt"], rocus["source_ids"]
    ):
        cands = list(by_subject.get(rid, []))
        event_dates = {c[0] for c in cands}
        event_years = {parse_partial_date(c[0])[0].year for c in cands}
        for v in (established, established_alt):
            if pd.notna(v) and str(v) not in event_dates and parse_partial_date(str(v))[0].year not in event_years:
                cands.append((str(v), _split_ids(source_ids)))
        if cands:
            bounds = [parse_partial_date(c[0]) for c in cands]
            years = [b[0].year for b in bounds]
            first = min(b[0] for b in bounds)
            last = max(b[1] for b in bounds)
            earliest, latest = min(years), max(years)
            text = "; ".join(f"{d} ({', '.join(s)})" for d, s in sorted(cands, key=lambda c: c[0]))
            ids = _join_ids(i for _, s in sorted(cands, key=lambda c: c[0]) for i in s)
        else:
            first = last = earliest = latest = None
            text = ids = None
        rows.append(
            {
                "rocu_id": rid,
                "founded_earliest": earliest,
                "founded_latest": latest,
                "founded_used": earliest,
                "founded_first_day": pd.Timestamp(first) if first else pd.NaT,
                "founded_last_day": pd.Timestamp(last) if last else pd.NaT,
                "founded_dates_text": text,
                "is_conflicting": (latest != earliest) if cands else False,
                "not_published": not cands,
                "source_ids": ids,
                "rule": FOUNDED_USED_RULE,
            }
        )
    out = pd.DataFrame(rows).set_index("rocu_id")
    for c in ("founded_earliest", "founded_latest", "founded_used"):
        out[c] = out[c].astype("Int64")
    for c in ("is_conflicting", "not_published"):
        out[c] = out[c].astype("boolean")
    for c in ("founded_dates_text", "source_ids", "rule"):
        out[c] = out[c].astype("string")
    out["founded_first_day"] = pd.to_datetime(out["founded_first_day"])
    out["founded_last_day"] = pd.to_datetime(out["founded_last_day"])
    return out


def _years_between(start: pd.Series, end: pd.Timestamp) -> pd.Series:
    """Exact elapsed years (days / 365.2425) from each start to ``end``; NA stays NA."""
    days = (end - pd.to_datetime(start)).dt.days
    return (days.astype("Float64") / 365.2425).astype("Float64")


def development_spread(ds, inspection_date="2015-03-01") -> pd.DataFrame:
    """How far each ROCU had developed by the HMIC 2015 inspection.

    Parameters
    ----------
    ds : Dataset
    inspection_date : str, date or Timestamp, default "2015-03-01"
        Reference date of HMIC's 2015 inspection of all ten ROCUs (fieldwork in spring
        2015; the report was published in November 2015). The default is an analyst's
        convention, not a sourced date: pass another to test sensitivity.

    Returns
    -------
    DataFrame
        Indexed by ``rocu_id`` (all ten): the founding range of :func:`founding_ranges`
        (``founded_earliest``, ``founded_latest``, ``founded_used``, ``is_conflicting``,
        ``not_published``), then

        ``age_min_years``, ``age_max_years`` (Float64)
            Exact bounds of the age at ``inspection_date`` in years (days / 365.2425):
            from the last day of the latest candidate date and from the first day of the
            earliest one. EMSOU (2001 or 2002) gets 12.2 to 14.2 years at 1 March 2015.
        ``age_used_years`` (Int64)
            ``inspection year - founded_used``: whole calendar years, the figure used for
            ranking (ERSOU and SWROCU, both founded in 2010, tie).
        ``n_forces``, ``forces``, ``population_persons``, ``population_year``,
        ``officers_fte``, ``officers_fte_as_at``
            From ``ds.rocu_context(inspection_date)`` (membership at that date; each series
            from its nearest available year, stated in the ``*_year`` / ``*_as_at``
            columns; missing when any member force lacks a value).
        ``workforce_fte``, ``workforce_fte_as_at``
            Also from ``rocu_context``: officers + staff + PCSOs + designated officers
            as first published for 31 March 2015 or 2016 (whichever is nearer).

    Notes
    -----
    Caveats: founding years are unknown for YHROCU, WMROCU and London (ages NA, not
    zero). A unit founded in a month after ``inspection_date`` would get a negative
    age; none does in the bundled data. Ages measure time since the first source
    mentions the unit, not capability.
    """
    ts = pd.Timestamp(_as_date(inspection_date, "inspection_date"))
    fr = founding_ranges(ds)
    out = fr[["founded_earliest", "founded_latest", "founded_used", "is_conflicting", "not_published"]].copy()
    out["age_min_years"] = _years_between(fr["founded_last_day"], ts).values
    out["age_max_years"] = _years_between(fr["founded_first_day"], ts).values
    out["age_used_years"] = (ts.year - fr["founded_used"]).astype("Int64")
    ctx = ds.rocu_context(ts)
    keep = [
        "n_forces",
        "forces",
        "population_persons",
        "population_year",
        "officers_fte",
        "officers_fte_as_at",
        "workforce_fte",
        "workforce_fte_as_at",
    ]
    out = out.join(ctx[[c for c in keep if c in ctx.columns]], how="left")
    out["inspection_date"] = ts
    return out


def founding_year_span(ds) -> dict:
    """Earliest and latest founding year across the ROCUs, and how many are known.

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    dict
        ``earliest``: the smallest ``founded_earliest`` (int or None);
        ``latest``: the largest ``founded_latest`` (int or None) — so the span is as wide
        as any source allows;
        ``span_years``: ``latest - earliest``;
        ``n_known``, ``n_unknown``: ROCUs with and without a published founding date;
        ``unknown``: their rocu_ids; ``earliest_rocus``, ``latest_rocus``: which ROCUs
        set the bounds.

    Notes
    -----
    The ROCUs with no published founding year (YHROCU, WMROCU, London) may lie outside
    this span; it is a span of the *known* dates only.
    """
    fr = founding_ranges(ds)
    known = fr[~fr["not_published"]]
    if known.empty:
        return {
            "earliest": None,
            "latest": None,
            "span_years": None,
            "n_known": 0,
            "n_unknown": int(len(fr)),
            "unknown": list(fr.index),
            "earliest_rocus": [],
            "latest_rocus": [],
        }
    earliest = int(known["founded_earliest"].min())
    latest = int(known["founded_latest"].max())
    return {
        "earliest": earliest,
        "latest": latest,
        "span_years": latest - earliest,
        "n_known": int(len(known)),
        "n_unknown": int(fr["not_published"].sum()),
        "unknown": [str(i) for i in fr.index[fr["not_published"]]],
        "earliest_rocus": [str(i) for i in known.index[known["founded_earliest"] == earliest]],
        "latest_rocus": [str(i) for i in known.index[known["founded_latest"] == latest]],
    }
