"""ROCU profiles: one row per ROCU, attributes in named groups with declared kinds.

The same code runs on the bundled public data (many attributes missing) and on an
analyst's fuller data (``rocu_resources`` and ``capability_status`` filled in).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..schema import package

GROUPS = ("structure", "demand", "history", "model", "resourcing", "capabilities", "outcomes")


def _schema_order(table: str, column: str, schema=None) -> tuple[str, ...]:
    """An ordered scale (worst first) as the schema declares it: one home for grade and status order."""
    f = (schema or package())[table].field(column)
    return tuple(f.ordered or f.enum)


#: Inspection grades and capability statuses, worst first, read from ``data/datapackage.json``.
GRADE_ORDER = _schema_order("inspections", "grade")
STATUS_ORDER = _schema_order("capability_status", "status")


@dataclass
class Profiles:
    """Profiles of the ROCUs at a date.

    Attributes
    ----------
    frame : DataFrame
        One row per ROCU (index ``rocu_id``), one column per attribute.
    kinds : dict
        Column → ``numeric``, ``ordinal``, ``categorical`` or ``binary`` (for
        :func:`~rocu_compare.compare.gower_distance`).
    groups : dict
        Column → attribute group (structure, demand, history, model, resourcing,
        capabilities, outcomes).
    notes : dict
        Column → how it was obtained (year used, source table, caveats).
    as_at : Timestamp
    left_out : dict
        Unit → why it is not in ``frame`` (e.g. no member forces at the date).
    """

    frame: pd.DataFrame
    kinds: dict[str, str]
    groups: dict[str, str]
    notes: dict[str, str] = field(default_factory=dict)
    as_at: pd.Timestamp | None = None
    left_out: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        from .summaries import profiles_lines

        return f"<Profiles: {'; '.join(profiles_lines(self))}>"

    def _repr_html_(self) -> str:
        from .summaries import html_summary, profiles_lines, profiles_table

        return html_summary("Profiles of the ROCUs", profiles_lines(self), profiles_table(self))

    @property
    def coverage(self) -> pd.DataFrame:
        """ROCU × attribute: True where a value is present (what was compared)."""
        return self.frame.notna()

    def coverage_by_group(self) -> pd.DataFrame:
        """ROCU × group: number of attributes with a value, out of the group's total."""
        cov = self.coverage
        out = {g: cov[[c for c in cov.columns if self.groups[c] == g]].sum(axis=1) for g in self.group_names}
        return pd.DataFrame(out)

    @property
    def group_names(self) -> list[str]:
        return [g for g in GROUPS if g in self.groups.values()] + sorted(set(self.groups.values()) - set(GROUPS))

    def select(self, groups=None, min_coverage: float = 0.0) -> Profiles:
        """A sub-profile: only the named groups, and attributes present for at least
        ``min_coverage`` of the ROCUs (0 keeps all, 1 keeps only complete attributes)."""
        present = self.frame.notna()  # one pass over the frame, not one per attribute
        share, some = present.mean(), present.any()
        cols = [
            c
            for c in self.frame.columns
            if (groups is None or self.groups[c] in groups) and share[c] >= min_coverage and bool(some[c])
        ]
        return Profiles(
            self.frame[cols],
            {c: self.kinds[c] for c in cols},
            {c: self.groups[c] for c in cols},
            {c: self.notes.get(c, "") for c in cols},
            self.as_at,
            dict(self.left_out),
        )

    def attributes(self) -> pd.DataFrame:
        """One row per attribute: group, kind, number of ROCUs with a value, note."""
        cov = self.coverage
        return pd.DataFrame(
            {
                "group": [self.groups[c] for c in self.frame.columns],
                "kind": [self.kinds[c] for c in self.frame.columns],
                "n_present": [int(cov[c].sum()) for c in self.frame.columns],
                "n_units": len(self.frame),
                "note": [self.notes.get(c, "") for c in self.frame.columns],
            },
            index=pd.Index(self.frame.columns, name="attribute"),
        )


def _categorical(values, index, categories, ordered: bool = False) -> pd.Series:
    """``pd.Series(pd.Categorical(values, categories, ordered), index)`` from the codes: values not
    among the categories (missing ones included) are missing, as there."""
    code = {c: i for i, c in enumerate(categories)}
    codes = np.fromiter(
        (code.get(v, -1) if isinstance(v, str) else -1 for v in values), dtype=np.int32, count=len(index)
    )
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(categories), ordered=ordered), index=index)


def _nearest_fy(years: pd.Series, target_year: int) -> pd.Series:
    start = years.str[:4].astype(int)
    return (start - target_year).abs()


def profiles(
    ds, as_at="2015-06-30", *, tolerance_years: int = 1, later_outcomes: bool = False, evidence: str = "stated"
) -> Profiles:
    """Build the ROCU profiles at a date.

    Parameters
    ----------
    ds : Dataset
        From :func:`rocu_compare.load`.
    as_at : str, date or Timestamp, default "2015-06-30"
        Membership date (ISO ``YYYY-MM-DD`` string, date or Timestamp); each series uses
        its nearest year within ``tolerance_years`` (see ``notes``).
    tolerance_years : int, default 1
        A series (population, officers, workforce, crime severity, resourcing, capability
        status) whose nearest year is further than this from ``as_at`` is missing, with a
        note, never a stale number.
    later_outcomes : bool, default False
        Inspection grades count only if published by ``as_at``; True uses the latest
        grade whenever published, and the note of ``latest_grade`` then says "later grade".
    evidence : {"stated", "indicated", "implied"}, default "stated"
        Weakest evidence strength of ``rocu_model_evidence`` counted in the ``model``
        group (``indicated`` and ``implied`` rows count only when asked).

    Returns
    -------
    Profiles

    Notes
    -----
    - structure: forces served, population, officers and workforce FTE of the member
      forces, area, density, officers per 100,000 residents (from
      :meth:`Dataset.rocu_context`).
    - demand: population-weighted crime severity score of the member forces.
    - history: year established, the *earliest* year the sources give (EMSOU 2001, not
      2002; Tarian 2002, not 2003).
    - model: the operating model, from :func:`rocu_compare.operating_model.model_codes`
      (each attribute's rule is in its note): remits (economic crime, major crime,
      counter terrorism, forensic science; ``no`` only where a source says so), senior
      lead rank (ordinal), number of partner agencies, number of catalogue units with
      evidence of presence, and the collaboration instrument and lead/host model coded
      from ``rocus``; blank where not found.
    - resourcing: ``rocu_resources`` for the financial year nearest ``as_at`` (analyst
      data; empty in the bundled data), also per 100,000 residents and per officer of
      the member forces.
    - capabilities: ``capability_status`` for the year nearest ``as_at`` as ordinal
      attributes (one per capability), else a count of capabilities delivered where a
      source gives one (South West: 13 − 3 = 10 at December 2015).
    - outcomes: latest HMICFRS ROCU grade (ordered; London has none, Tarian's is not
      published).

    Examples
    --------
    >>> import rocu_compare as rc
    >>> p = profiles(rc.load())
    >>> int(p.frame.loc["tarian", "n_forces"])
    3
    """
    from ..dates import parse_date, tolerance_offset

    ts = parse_date(as_at, "as_at")
    tol_years = tolerance_offset(tolerance_years).years
    ctx = ds.rocu_context(ts, tolerance_years=tolerance_years)
    used = ds.series_used(ts, tolerance_years=tolerance_years)
    rocus = ds.rocus.set_index(ds.rocus["rocu_id"].astype(str))
    idx = pd.Index(list(rocus.index), name="rocu_id")
    cols: dict[str, pd.Series] = {}
    kinds: dict[str, str] = {}
    groups: dict[str, str] = {}
    notes: dict[str, str] = {}

    def add(name, values, kind, group, note=""):
        cols[name] = pd.Series(values, index=idx) if not isinstance(values, pd.Series) else values.reindex(idx)
        kinds[name], groups[name], notes[name] = kind, group, note

    def yr(col):
        v = ctx[col].dropna()
        if not len(v):
            return "n/a"
        first = v.iloc[0]
        if pd.api.types.is_number(first):  # a year (int, numpy int, float)
            return str(int(first))
        return str(pd.Timestamp(first).date())

    def stale(series, text):
        return used.loc[series, "note"] if not bool(used.loc[series, "within_tolerance"]) else text

    add("n_forces", ctx["n_forces"].astype("Int64"), "numeric", "structure", f"member forces at {ts.date()}")
    add(
        "population_persons",
        ctx["population_persons"],
        "numeric",
        "structure",
        stale("population_persons", f"mid-{yr('population_year')} ONS estimates aggregated to force areas"),
    )
    add(
        "officers_fte",
        ctx["officers_fte"],
        "numeric",
        "structure",
        stale("officers_fte", f"member forces' officers FTE at {yr('officers_fte_as_at')}"),
    )
    add(
        "workforce_fte",
        ctx["workforce_fte"],
        "numeric",
        "structure",
        stale(
            "workforce_fte",
            f"officers + staff + PCSOs + designated officers FTE at {yr('workforce_fte_as_at')} (as first published)",
        ),
    )
    add("area_km2_approx", ctx["area_km2_approx"], "numeric", "structure", "ultra-generalised boundaries")
    add("population_per_km2", ctx["population_per_km2"], "numeric", "structure", "")
    add("officers_per_100k_population", ctx["officers_per_100k_population"], "numeric", "structure", "")
    add(
        "crime_severity_score",
        ctx["crime_severity_score"],
        "numeric",
        "demand",
        stale("crime_severity_score", f"population-weighted, year ending {yr('crime_severity_year_ending')}"),
    )
    from ..piecemeal import delivered_counts_at, founding_ranges

    founded = founding_ranges(ds)["founded_used"].reindex(idx).astype("Float64")
    add(
        "year_established",
        founded,
        "numeric",
        "history",
        "earliest year given by the sources (piecemeal.founding_ranges: rocus and 'established' events)",
    )
    _add_model_group(add, ds, ts, evidence)

    # resourcing (analyst data)
    res = ds.rocu_resources
    res_cols = {
        "budget_gbp": "budget_gbp",
        "home_office_grant_gbp": "home_office_grant_gbp",
        "officers_fte": "rocu_officers_fte",
        "staff_fte": "rocu_staff_fte",
    }
    fy_used = "n/a"
    picked = pd.DataFrame(index=idx, columns=list(res_cols.values()), dtype="Float64")
    if len(res):
        r = res.assign(
            _d=_nearest_fy(res["financial_year"].astype(str), ts.year - (ts.month < 4)).values,
            rocu_id=res["rocu_id"].astype(str),
        )
        r = r[r["_d"] <= tol_years]  # a financial year further than the tolerance is not used
        r = r.sort_values(["_d", "financial_year"]).drop_duplicates("rocu_id").set_index("rocu_id")
        fy_used = (
            ", ".join(sorted(r["financial_year"].astype(str).unique()))
            or f"none within {tolerance_years} year(s); left missing"
        )
        for src, dst in res_cols.items():
            picked[dst] = r[src].reindex(idx).astype("Float64")
        est = r["is_estimate"].reindex(idx).astype("boolean")
    for dst in res_cols.values():
        add(dst, picked[dst], "numeric", "resourcing", f"rocu_resources, financial year nearest {ts.date()}: {fy_used}")
    pop, off = ctx["population_persons"].reindex(idx), ctx["officers_fte"].reindex(idx)
    add("budget_gbp_per_100k_population", picked["budget_gbp"] / pop * 100_000, "numeric", "resourcing", "")
    add(
        "budget_gbp_per_force_officer",
        picked["budget_gbp"] / off,
        "numeric",
        "resourcing",
        "per officer FTE of the member forces",
    )
    add(
        "rocu_officers_fte_per_100k_population",
        picked["rocu_officers_fte"] / pop * 100_000,
        "numeric",
        "resourcing",
        "",
    )
    if len(res) and bool(est.fillna(False).any()):
        notes["budget_gbp"] += "; some values are estimates (see rocu_resources.estimate_method)"

    # capabilities
    cs = ds.capability_status
    if len(cs) and int((cs["year"].astype(int) - ts.year).abs().min()) > tol_years:
        add(
            "capabilities_delivered_n",
            pd.Series(pd.NA, index=idx, dtype="Float64"),
            "numeric",
            "capabilities",
            f"capability_status: no year within {tolerance_years} year(s) of {ts.date()}; left missing",
        )
    elif len(cs):
        years = cs["year"].astype(int)
        year = int(years.iloc[(years - ts.year).abs().argsort().iloc[0]])
        panel = cs[years == year].assign(rocu_id=lambda d: d["rocu_id"].astype(str))
        wide = panel.pivot(index="rocu_id", columns="capability", values="status")
        status = list(_schema_order("capability_status", "status", ds.schema))
        for cap in wide.columns:
            vals = pd.Categorical(wide[cap].reindex(idx).astype("object"), categories=status, ordered=True)
            add(
                f"capability: {cap}", pd.Series(vals, index=idx), "ordinal", "capabilities", f"capability_status {year}"
            )
    dc = delivered_counts_at(ds, ts).set_index("rocu_id")
    basis = "; ".join(dict.fromkeys(dc.loc[dc["n_delivered"].notna(), "basis"].astype(str))) or "none in the data"
    add(
        "capabilities_delivered_n",
        dc["n_delivered"].reindex(idx).astype("Float64"),
        "numeric",
        "capabilities",
        f"piecemeal.capabilities_delivered_counts, year nearest {ts.year}: {basis}",
    )

    # outcomes: a grade published after the date is not known at the date
    g = ds.inspections[ds.inspections["rocu_id"].notna() & ds.inspections["grade"].notna()]
    published = pd.to_datetime(g["published"].astype(str), errors="coerce")
    n_after = int((published > ts).sum())
    if not later_outcomes:
        g = g[published <= ts]
    g = g.sort_values("published").drop_duplicates("rocu_id", keep="last")
    if later_outcomes and n_after:
        grade_note = (
            f"later grade: HMICFRS regional SOC inspection grades published after {ts.date()} "
            f"({', '.join(sorted(g['published'].astype(str).str[:4].unique()))}), not known at the date"
        )
    elif later_outcomes or len(g):
        grade_note = f"HMICFRS ROCU grade published by {ts.date()}"
    else:
        grade_note = (
            f"no ROCU grade published by {ts.date()} ({n_after} published later: pass later_outcomes=True "
            "to use them as a later grade)"
        )
    grades = list(_schema_order("inspections", "grade", ds.schema))
    grade = pd.Series(g["grade"].astype("object").to_numpy(), index=g["rocu_id"].astype(str).values)
    latest = _categorical(grade.reindex(idx).to_numpy(), idx, grades, ordered=True)
    add(
        "latest_grade",
        latest,
        "ordinal",
        "outcomes",
        grade_note + f"; {int(latest.isna().sum())} ROCU(s) without a grade",
    )

    frame = pd.DataFrame(cols, index=idx)
    empty = [u for u in idx if int(ctx["n_forces"].get(u, 0)) == 0]
    left_out = {u: f"no member forces on {ts.date()}; left out of the comparison" for u in empty}
    return Profiles(frame.drop(index=empty), kinds, groups, notes, ts, left_out)


def _add_model_group(add, ds, ts: pd.Timestamp, evidence: str) -> None:
    """The ``model`` group: one attribute per key of ``MODEL_ATTRIBUTES``, rule in its note."""
    from ..operating_model import (
        PARTNER_HARMONISATION,
        RANK_ORDER,
        REMIT_CODES,
        REMITS,
        missing_value,
        model_codes,
    )

    codes = model_codes(ds, ts, evidence)
    strength = "stated evidence only" if evidence == "stated" else f"evidence down to '{evidence}'"

    by_attr: dict[str, tuple[list, list]] = {}
    for rid, attr, value in zip(codes["rocu_id"], codes["attribute"], codes["value"]):
        if not missing_value(value):
            ids, vals = by_attr.setdefault(attr, ([], []))
            ids.append(rid)
            vals.append(value)

    def values(attr):
        ids, vals = by_attr.get(attr, ([], []))
        return pd.Series(vals, index=pd.Index(ids, dtype="object"), dtype="object")

    date = ts.date().isoformat()
    nearest = (
        f"the row nearest {date} among dated rows; undated rows only where no dated row exists "
        "(used only if they agree); rows that disagree give no value"
    )
    qualified = ", ".join(f"'{k}' → {v}" for k, v in REMIT_CODES.items() if k not in ("yes", "no"))
    for attr, label in REMITS.items():
        v = values(attr)
        add(
            attr,
            _categorical(v, v.index, ["no", "yes"]),
            "binary",
            "model",
            f"{label} remit ({strength}): yes/no as a source says ({qualified}); missing where no source speaks, "
            f"never 'no' from silence; {nearest}",
        )
    v = values("senior_lead_rank")
    add(
        "senior_lead_rank",
        _categorical(v, v.index, list(RANK_ORDER), ordered=True),
        "ordinal",
        "model",
        f"rank named by the row used ({strength}; 'Temporary' dropped), {' < '.join(RANK_ORDER)}; {nearest}",
    )
    harm = "; ".join(
        f"{h.old} → {h.new}" + (f" from {h.from_date}" if h.from_date else "") for h in PARTNER_HARMONISATION
    )
    add(
        "partner_agencies_n",
        values("partner_agencies_n").astype("Float64"),
        "numeric",
        "model",
        f"distinct partner agencies named as embedded or working in the unit, over all rows at any date ({strength}); "
        f"names harmonised at {date}: {harm}; missing where none found",
    )
    add(
        "catalogue_units_n",
        values("catalogue_units_n").astype("Float64"),
        "numeric",
        "model",
        f"distinct catalogue units with evidence of presence at any date (unit_presence: capability_evidence and "
        f"rocu_model_evidence, {strength}); a lower bound, missing where no unit evidence was found",
    )
    for c in ("collaboration_instrument", "host_model"):
        add(c, values(c), "categorical", "model", "coded from rocus.governance / lead_or_host_force")
