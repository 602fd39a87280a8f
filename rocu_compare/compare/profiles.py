"""ROCU profiles: one row per ROCU, attributes in named groups with declared kinds.

The same code runs on the bundled public data (many attributes missing) and on an
analyst's fuller data (``rocu_resources`` and ``capability_status`` filled in).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

GROUPS = ("structure", "demand", "history", "governance", "resourcing", "capabilities", "outcomes")
GRADE_ORDER = ("inadequate", "requires improvement", "adequate", "good", "outstanding")
STATUS_ORDER = ("not delivered", "partly delivered", "delivered")


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
        Column → attribute group (structure, demand, history, governance, resourcing,
        capabilities, outcomes).
    notes : dict
        Column → how it was obtained (year used, source table, caveats).
    as_at : Timestamp
    """

    frame: pd.DataFrame
    kinds: dict[str, str]
    groups: dict[str, str]
    notes: dict[str, str] = field(default_factory=dict)
    as_at: pd.Timestamp | None = None

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

    def select(self, groups=None, min_coverage: float = 0.0) -> "Profiles":
        """A sub-profile: only the named groups, and attributes present for at least
        ``min_coverage`` of the ROCUs (0 keeps all, 1 keeps only complete attributes)."""
        cols = [c for c in self.frame.columns if (groups is None or self.groups[c] in groups)
                and self.frame[c].notna().mean() >= min_coverage and self.frame[c].notna().any()]
        return Profiles(self.frame[cols], {c: self.kinds[c] for c in cols}, {c: self.groups[c] for c in cols},
                        {c: self.notes.get(c, "") for c in cols}, self.as_at)

    def attributes(self) -> pd.DataFrame:
        """One row per attribute: group, kind, number of ROCUs with a value, note."""
        cov = self.coverage
        return pd.DataFrame({"group": [self.groups[c] for c in self.frame.columns],
                             "kind": [self.kinds[c] for c in self.frame.columns],
                             "n_present": [int(cov[c].sum()) for c in self.frame.columns],
                             "n_units": len(self.frame),
                             "note": [self.notes.get(c, "") for c in self.frame.columns]},
                            index=pd.Index(self.frame.columns, name="attribute"))


def _founded_year(text) -> float:
    return float(str(text)[:4]) if pd.notna(text) else float("nan")


def _nearest_fy(years: pd.Series, target_year: int) -> pd.Series:
    start = years.str[:4].astype(int)
    return (start - target_year).abs()


def profiles(ds, as_at="2015-06-30") -> Profiles:
    """Build the ROCU profiles at a date.

    Parameters
    ----------
    ds : Dataset
        From :func:`rocu_compare.load`.
    as_at : str or Timestamp, default "2015-06-30"
        Membership date; each series uses its nearest year (see ``notes``).

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
    - governance: collaboration instrument and lead/host model, coded from the sources'
      text; blank where not published.
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
    ts = pd.Timestamp(as_at)
    ctx = ds.rocu_context(ts)
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
        return str(pd.Timestamp(v.iloc[0]).date()) if len(v) and not isinstance(v.iloc[0], (int, float)) else \
            (str(int(v.iloc[0])) if len(v) else "n/a")

    add("n_forces", ctx["n_forces"].astype("Int64"), "numeric", "structure", f"member forces at {ts.date()}")
    add("population_persons", ctx["population_persons"], "numeric", "structure",
        f"mid-{yr('population_year')} ONS estimates aggregated to force areas")
    add("officers_fte", ctx["officers_fte"], "numeric", "structure",
        f"member forces' officers FTE at {yr('officers_fte_as_at')}")
    add("workforce_fte", ctx["workforce_fte"], "numeric", "structure",
        f"officers + staff + PCSOs + designated officers FTE at {yr('workforce_fte_as_at')} (as first published)")
    add("area_km2_approx", ctx["area_km2_approx"], "numeric", "structure", "ultra-generalised boundaries")
    add("population_per_km2", ctx["population_per_km2"], "numeric", "structure", "")
    add("officers_per_100k_population", ctx["officers_per_100k_population"], "numeric", "structure", "")
    add("crime_severity_score", ctx["crime_severity_score"], "numeric", "demand",
        f"population-weighted, year ending {yr('crime_severity_year_ending')}")
    add("year_established", rocus["established"].map(_founded_year).astype("Float64"), "numeric", "history",
        "earliest year given by the sources (conflicts kept in rocus.established_alt)")
    for c in ("collaboration_instrument", "host_model"):
        add(c, rocus[c].astype("object").where(rocus[c].notna(), None), "categorical", "governance",
            "coded from rocus.governance / lead_or_host_force")

    # resourcing (analyst data)
    res = ds.rocu_resources
    res_cols = {"budget_gbp": "budget_gbp", "home_office_grant_gbp": "home_office_grant_gbp",
                "officers_fte": "rocu_officers_fte", "staff_fte": "rocu_staff_fte"}
    fy_used = "n/a"
    picked = pd.DataFrame(index=idx, columns=list(res_cols.values()), dtype="Float64")
    if len(res):
        r = res.assign(_d=_nearest_fy(res["financial_year"].astype(str), ts.year - (ts.month < 4)).values,
                       rocu_id=res["rocu_id"].astype(str))
        r = r.sort_values(["_d", "financial_year"]).drop_duplicates("rocu_id").set_index("rocu_id")
        fy_used = ", ".join(sorted(r["financial_year"].astype(str).unique()))
        for src, dst in res_cols.items():
            picked[dst] = r[src].reindex(idx).astype("Float64")
        est = r["is_estimate"].reindex(idx)
    for dst in res_cols.values():
        add(dst, picked[dst], "numeric", "resourcing", f"rocu_resources, financial year nearest {ts.date()}: {fy_used}")
    pop, off = ctx["population_persons"].reindex(idx), ctx["officers_fte"].reindex(idx)
    add("budget_gbp_per_100k_population", picked["budget_gbp"] / pop * 100_000, "numeric", "resourcing", "")
    add("budget_gbp_per_force_officer", picked["budget_gbp"] / off, "numeric", "resourcing",
        "per officer FTE of the member forces")
    add("rocu_officers_fte_per_100k_population", picked["rocu_officers_fte"] / pop * 100_000, "numeric",
        "resourcing", "")
    if len(res) and bool(est.fillna(False).any()):
        notes["budget_gbp"] += "; some values are estimates (see rocu_resources.estimate_method)"

    # capabilities
    cs = ds.capability_status
    if len(cs):
        years = cs["year"].astype(int)
        year = int(years.iloc[(years - ts.year).abs().argsort().iloc[0]])
        panel = cs[years == year].assign(rocu_id=lambda d: d["rocu_id"].astype(str))
        wide = panel.pivot(index="rocu_id", columns="capability", values="status")
        for cap in wide.columns:
            vals = pd.Categorical(wide[cap].reindex(idx).astype("object"), categories=list(STATUS_ORDER), ordered=True)
            add(f"capability: {cap}", pd.Series(vals, index=idx), "ordinal", "capabilities",
                f"capability_status {year}")
        delivered = panel.assign(d=panel["status"].astype(str) == "delivered").groupby("rocu_id")["d"].sum()
        add("capabilities_delivered_n", delivered.reindex(idx).astype("Float64"), "numeric", "capabilities",
            f"capability_status {year}")
    else:
        add("capabilities_delivered_n", delivered_counts_from_facts(ds).reindex(idx).astype("Float64"), "numeric",
            "capabilities", "13 − capabilities not delivered, where a source states the number (South West, Dec 2015)")

    # outcomes
    g = ds.inspections[ds.inspections["rocu_id"].notna() & ds.inspections["grade"].notna()]
    g = g.sort_values("published").drop_duplicates("rocu_id", keep="last")
    grade = pd.Series(pd.Categorical(g["grade"].astype("object"), categories=list(GRADE_ORDER), ordered=True),
                      index=g["rocu_id"].astype(str).values)
    add("latest_grade", pd.Series(pd.Categorical(grade.reindex(idx).astype("object"), categories=list(GRADE_ORDER),
                                                 ordered=True), index=idx), "ordinal", "outcomes",
        "HMICFRS regional SOC inspections 2022-25 (London: no ROCU grade; Tarian: not published)")

    frame = pd.DataFrame(cols, index=idx)
    return Profiles(frame, kinds, groups, notes, ts)


def delivered_counts_from_facts(ds) -> pd.Series:
    """Capabilities delivered per ROCU where a source gives the number not delivered.

    ``specialist_capabilities`` (national, 2015) minus ``hmic_capabilities_not_delivered``
    for each ROCU that has one; other ROCUs are missing (not published), never zero.
    """
    f = ds.facts
    total = f[(f["subject"] == "national") & (f["measure"] == "specialist_capabilities") & (f["period"] == "2015")]
    nd = f[f["measure"] == "hmic_capabilities_not_delivered"]
    if total.empty or nd.empty:
        return pd.Series(dtype="Float64")
    n = float(total["value"].iloc[0])
    return pd.Series({str(r.subject): n - float(r.value) for r in nd.itertuples()}, dtype="Float64")
