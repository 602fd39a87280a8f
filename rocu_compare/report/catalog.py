"""The report's figures: each built from a dataset, with its title, alt text and source line.

Every number in a title, subtitle or alt text is computed here from the data, so the
same code gives correct words for an analyst's own data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import pandas as pd

from ..compare.analysis import Comparison, compare_rocus
from ..dataset import Dataset
from ..labels import ROCU_LABELS, rocu_label  # noqa: F401  (kept importable from here)
from ..schema import DATA_DIR

THEN = "2015-06-30"   # HMIC inspected the ROCUs in spring 2015 and reported in November 2015
LATER = "2020-01-01"  # after Kent's move to the Eastern unit (agreement of 10 Nov 2016)
ANALYSIS_SOURCE = "Source: rocu-compare analysis of the sources in data/sources.csv."


def _fmt_date(d) -> str:
    return pd.Timestamp(d).strftime("%-d %B %Y")


@dataclass
class ReportContext:
    """A dataset and the analyses the figures share (computed once, lazily)."""

    ds: Dataset
    as_at: str = THEN
    later: str = LATER
    boundaries_path: object = field(default_factory=lambda: DATA_DIR / "force_boundaries.geojson")

    @cached_property
    def comparison(self) -> Comparison:
        return compare_rocus(self.ds, self.as_at)

    @cached_property
    def profiles(self):
        """All profile attributes (including those too sparse to compare)."""
        from ..compare.profiles import profiles

        return profiles(self.ds, self.as_at)

    @cached_property
    def context(self) -> pd.DataFrame:
        return self.ds.rocu_context(self.as_at)

    @cached_property
    def forces_context(self) -> pd.DataFrame:
        return self.ds.forces_context(self.as_at)


def build_context(ds: Dataset, **kw) -> ReportContext:
    return ReportContext(ds, **kw)


@dataclass(frozen=True)
class FigureSpec:
    key: str
    build: Callable


FIGURES: dict[str, FigureSpec] = {}


def figure(key):
    def deco(fn):
        FIGURES[key] = FigureSpec(key, fn)
        return fn
    return deco


def make_figure(key: str, ctx: ReportContext):
    """Build one figure; returns ``(Figure, FigureMeta)``."""
    return FIGURES[key].build(ctx)


def _meta(key, **kw):
    from ..figures import FigureMeta

    return FigureMeta(key=key, **kw)


def _extremes(s: pd.Series, fmt="{:,.0f}") -> str:
    s = s.dropna().astype(float)
    if s.empty:
        return "No ROCU has a published value."
    hi, lo = s.idxmax(), s.idxmin()
    return (f"Highest: {rocu_label(hi)} ({fmt.format(s[hi])}); lowest: {rocu_label(lo)} ({fmt.format(s[lo])}).")


def _missing_text(s: pd.Series) -> str:
    miss = [rocu_label(i) for i in s.index[s.isna()]]
    return f" Not published for: {', '.join(miss)}." if miss else ""


# --- structure -------------------------------------------------------------------------------

@figure("map_rocu_areas_2015")
def map_2015(ctx: ReportContext):
    return _map(ctx, ctx.as_at, "map_rocu_areas_2015")


@figure("map_rocu_areas_later")
def map_later(ctx: ReportContext):
    return _map(ctx, ctx.later, "map_rocu_areas_later")


def _map(ctx, date, key):
    from ..build.boundaries import read_force_boundaries
    from ..figures import rocu_map

    mem = ctx.ds.membership_at(date)
    fc = read_force_boundaries(ctx.boundaries_path)
    fig = rocu_map(fc, mem, labels=ROCU_LABELS, forces=ctx.ds.forces)
    n = mem.groupby("rocu_id", observed=True).size()
    sizes = ", ".join(f"{rocu_label(r)} {k}" for r, k in n.items())
    return fig, _meta(
        key, title=f"The ROCU areas of England and Wales on {_fmt_date(date)}",
        subtitle=f"{n.size} units serving {int(n.sum())} police forces; force areas dissolved into ROCU areas",
        alt_text=(f"Map of England and Wales divided into {n.size} ROCU areas, each labelled. Forces per unit: {sizes}. "
                  "North Wales belongs to the North West unit, not to Tarian."),
        source_line=("Source: Office for National Statistics, Police Force Areas (December 2016) boundaries, "
                     "licensed under the Open Government Licence v.3.0; contains OS data © Crown copyright and "
                     "database right 2016. Membership: ROCU and PCC sources in data/sources.csv."),
        notes=("Kent moved from the South East to the Eastern unit under the agreement of 10 November 2016; the "
               "date its functions moved is not published.",))


def _ski(ctx, key, col, *, title, value_label, reference, reference_label, fmt="{:,.0f}", notes=(),
         source="", missing_label="not published"):
    from ..figures import ski_slope

    s = ctx.context[col].astype("Float64")
    fig = ski_slope(s.astype("float64"), reference=reference, reference_label=reference_label,
                    value_label=value_label, labels=ROCU_LABELS, fmt=fmt, missing_label=missing_label)
    ref_txt = f" {reference_label}: {fmt.format(reference)}." if reference is not None else ""
    return fig, _meta(
        key, title=title, subtitle=f"{value_label}, ROCU areas at {_fmt_date(ctx.as_at)}",
        alt_text=f"Sorted horizontal bars, one per ROCU, of {value_label.lower()}. {_extremes(s, fmt)}{ref_txt}"
                 f"{_missing_text(s)}",
        source_line=source, notes=tuple(notes))


@figure("ski_officers_per_100k")
def ski_officers(ctx: ReportContext):
    f = ctx.forces_context
    ew = float(f["officers_fte"].sum() / f["population_persons"].sum() * 100_000)
    year = int(f["population_year"].iloc[0])
    when = pd.Timestamp(f["officers_fte_as_at"].iloc[0])
    return _ski(ctx, "ski_officers_per_100k", "officers_per_100k_population",
                title="Police officers per 100,000 residents of the forces each ROCU serves",
                value_label=f"Officers (FTE, {when:%-d %b %Y}) per 100,000 residents (mid-{year})",
                reference=ew, reference_label="England and Wales",
                source=("Source: Home Office, police workforce open data table (July 2022 vintage); ONS mid-year "
                        "population estimates aggregated to force areas."),
                notes=("Officers are those of the member forces, not ROCU staff: ROCU budgets and staff by unit "
                       "are not published.",
                       "London's rate is raised by the City of London's small resident population."))


@figure("ski_population_density")
def ski_density(ctx: ReportContext):
    f = ctx.forces_context
    ew = float(f["population_persons"].sum() / f["area_km2_approx"].sum())
    return _ski(ctx, "ski_population_density", "population_per_km2",
                title="Residents per square kilometre of each ROCU area",
                value_label="Residents per km²", reference=ew, reference_label="England and Wales",
                source=("Source: ONS mid-year population estimates; ONS Police Force Areas (December 2016) "
                        "ultra-generalised boundaries (approximate areas)."),
                notes=("Areas are approximate (ultra-generalised boundaries): a few per cent for small or coastal "
                       "forces.",))


@figure("ski_crime_severity")
def ski_severity(ctx: ReportContext):
    f = ctx.forces_context.dropna(subset=["crime_severity_score", "population_persons"])
    ew = float((f["crime_severity_score"] * f["population_persons"]).sum() / f["population_persons"].sum())
    yr = pd.Timestamp(ctx.context["crime_severity_year_ending"].dropna().iloc[0])
    return _ski(ctx, "ski_crime_severity", "crime_severity_score",
                title="Demand: crime severity score of each ROCU area",
                value_label=f"Crime severity score, year ending {yr:%B %Y} (population-weighted)", fmt="{:,.1f}",
                reference=ew, reference_label=f"England and Wales ({len(f)} forces)",
                missing_label="not published (City of London)",
                source="Source: ONS, crime severity score by police force area; ONS mid-year population estimates.",
                notes=("The City of London's score is not published, so London's weighted score is missing, "
                       "not estimated.",))


@figure("ski_capabilities_delivered")
def ski_capabilities(ctx: ReportContext):
    from ..compare.profiles import delivered_counts_from_facts
    from ..figures import ski_slope

    prof = ctx.profiles
    s = prof.frame["capabilities_delivered_n"].astype("Float64").reindex(ctx.context.index)
    fig = ski_slope(s.astype("float64"), value_label="Capabilities delivered (of 13 described by HMIC in 2015)",
                    labels=ROCU_LABELS, missing_label="not published")
    n_total = delivered_counts_from_facts(ctx.ds)
    known = ", ".join(f"{rocu_label(i)} {int(v)}" for i, v in s.dropna().items())
    return fig, _meta(
        "ski_capabilities_delivered", title="How many of HMIC's 13 capabilities each ROCU delivered",
        subtitle=f"Where a source gives the number; {prof.notes.get('capabilities_delivered_n', '')}",
        alt_text=(f"Bars of capabilities delivered per ROCU; known for {int(s.notna().sum())} of {len(s)}"
                  f"{': ' + known if known else ''}.{_missing_text(s)}"),
        source_line=("Source: HMIC (2015) count of 13 capabilities; South West PCC response to HMIC (December 2015), "
                     "three capabilities not delivered; analyst capability returns where loaded."),
        notes=("HMIC's per-ROCU 2015 judgements are not public: load your own capability_status to fill the gaps.",
               f"Derived counts: {len(n_total)} ROCU(s) with a published number not delivered."))


# --- how far apart -------------------------------------------------------------------------

def _compared_text(c: Comparison) -> str:
    a = c.profiles.attributes()
    return (f"{len(a)} attributes in {a['group'].nunique()} groups ({', '.join(c.profiles.group_names)}), "
            "each group weighted equally")


@figure("distance_heatmap")
def heatmap(ctx: ReportContext):
    from ..figures import distance_heatmap

    c = ctx.comparison
    fig = distance_heatmap(c.distance, linkage=c.cluster.linkage if c.cluster else None,
                           order=c.cluster.order if c.cluster else None, labels=ROCU_LABELS)
    s = c.spread
    return fig, _meta(
        "distance_heatmap", title="How far apart the ROCUs are: Gower distance between every pair",
        subtitle=(f"{_compared_text(c)}; ordered by {c.cluster.method if c.cluster else 'no'}-linkage clustering "
                  f"(cophenetic correlation {c.cluster.cophenetic_correlation:.2f})" if c.cluster else _compared_text(c)),
        alt_text=(f"Heatmap of distances between {s['n_units']} ROCUs with a dendrogram above. Mean pairwise "
                  f"distance {s['mean_distance']:.2f}; closest pair {rocu_label(s['min_pair'][0])} and "
                  f"{rocu_label(s['min_pair'][1])} ({s['min_distance']:.2f}); furthest "
                  f"{rocu_label(s['max_pair'][0])} and {rocu_label(s['max_pair'][1])} ({s['max_distance']:.2f})."),
        source_line=ANALYSIS_SOURCE,
        notes=("With public data the comparison rests on structure, demand, history, governance and outcome; "
               "budgets, staff and capability status need analyst data.",
               "Distances depend on which ROCUs are compared: ranges are taken over the units shown."))


@figure("mds_map")
def mds(ctx: ReportContext):
    from ..figures import mds_map

    c = ctx.comparison
    ve = list(c.mds.variance_explained)
    fig = mds_map(c.mds.coordinates, ve, labels=ROCU_LABELS)
    return fig, _meta(
        "mds_map", title="The ROCUs placed by how similar they are (classical MDS)",
        subtitle=(f"Two dimensions explain {100 * c.mds.total_variance_explained:.0f}% of the variation in the Gower "
                  f"distances ({_compared_text(c)})"),
        alt_text=(f"Scatter of the ROCUs on two dimensions. Dimension 1 explains {100 * ve[0]:.0f}% and dimension 2 "
                  f"{100 * ve[1]:.0f}%. Units close together have similar profiles."),
        source_line=ANALYSIS_SOURCE,
        notes=(f"Share of negative eigenvalues {c.mds.negative_eigen_share:.2f}: Gower distances are not exactly "
               "Euclidean, so the map is an approximation.",))


@figure("nearest_peers")
def peers(ctx: ReportContext):
    from ..figures import peers_table

    c = ctx.comparison
    fig = peers_table(c.peers, labels=ROCU_LABELS)
    first = c.peers[c.peers["rank"] == 1]
    mutual = sum(1 for r in first.itertuples()
                 if ((first["unit"] == r.peer) & (first["peer"] == r.unit)).any())
    return fig, _meta(
        "nearest_peers", title="Each ROCU's three most similar peers",
        subtitle=f"By Gower distance ({_compared_text(c)})",
        alt_text=(f"Table of each ROCU's three nearest peers with the distance to each. {mutual} of "
                  f"{len(first)} ROCUs are each other's nearest peer."),
        source_line=ANALYSIS_SOURCE,
        notes=("In the spirit of the Home Office 'most similar groups' for forces, but on far fewer, mostly "
               "structural attributes.",))


@figure("robustness_peers")
def robustness_fig(ctx: ReportContext):
    from ..figures import stability_bars

    rob = ctx.comparison.robustness
    t = rob.peer_stability.reset_index()
    t["label"] = t["unit"].map(rocu_label)
    fig = stability_bars(t, "share_same_peers", "label", "Share of weightings giving the same nearest peer")
    summ = rob.summary.iloc[0]
    return fig, _meta(
        "robustness_peers", title="How robust each ROCU's nearest peer is to the weights given to attribute groups",
        subtitle=(f"{int(summ['n_dirichlet'])} random (Dirichlet) group weightings and {int(summ['n_leave_out'])} "
                  f"leave-one-group-out runs, seed {int(summ['seed'])}"),
        alt_text=(f"Bars from 0 to 100% per ROCU. On average {100 * summ['share_same_peers_mean']:.0f}% of the "
                  f"weightings keep the nearest peer; the median rank correlation of all pair distances with the "
                  f"equal-weight result is {summ['spearman_median']:.2f}."),
        source_line=ANALYSIS_SOURCE,
        notes=(f"Leaving out the '{summ['least_stable_leave_out']}' group changes the distances most "
               f"(rank correlation {summ['least_stable_leave_out_spearman']:.2f}).",))


@figure("data_completeness")
def completeness(ctx: ReportContext):
    from ..figures import completeness_grid

    prof = ctx.profiles
    cov = prof.coverage
    cov.index = [rocu_label(i) for i in cov.index]
    cov.columns = [f"{prof.groups[c]}: {c}" for c in cov.columns]
    fig = completeness_grid(cov.T)
    n_full = int(cov.all(axis=0).sum())
    n_none = int((~cov.any(axis=0)).sum())
    return fig, _meta(
        "data_completeness", title="Which attribute is published for which ROCU",
        subtitle=f"The {cov.shape[1]} profile attributes at {_fmt_date(ctx.as_at)}, by attribute group",
        alt_text=(f"Grid of {cov.shape[1]} attributes by {cov.shape[0]} ROCUs marking published and not published "
                  f"values. {n_full} attributes are published for every ROCU; {n_none} for none."),
        source_line="Source: the tables in data/ and their sources (data/sources.csv).",
        notes=("Budgets, ROCU staff and capability status are not public: analysts can load their own "
               "(rocu-compare template).",))


# --- capabilities and development ----------------------------------------------------------

@figure("capability_evidence")
def capability_matrix(ctx: ReportContext):
    from ..figures import presence_matrix

    ev = ctx.ds.capability_evidence
    cells = {}
    for r in ev.itertuples():
        key = (rocu_label(r.rocu_id), str(r.capability))
        txt = str(r.evidence_date)[:4] if pd.notna(r.evidence_date) else "undated"
        old = cells.get(key)
        if old is None or (old == "undated" and txt != "undated") or (txt != "undated" and old != "undated" and txt < old):
            cells[key] = txt
    st = ctx.ds.capability_status
    for r in st.itertuples():
        cells[(rocu_label(r.rocu_id), str(r.capability))] = f"{r.status} ({r.year})"
    rows = [rocu_label(r) for r in ctx.ds.rocus["rocu_id"]]
    cols = sorted({k[1] for k in cells}, key=str.lower)
    m = pd.DataFrame("", index=rows, columns=cols)
    for (r, c), v in cells.items():
        m.loc[r, c] = v
    fig = presence_matrix(m)
    n_with = int((m != "").any(axis=1).sum())
    return fig, _meta(
        "capability_evidence", title="Public evidence of capabilities in each ROCU",
        subtitle="Year of the earliest dated evidence, or 'undated'; blank = no public evidence found",
        alt_text=(f"Grid of {len(rows)} ROCUs by {len(cols)} capabilities or unit names. {n_with} ROCUs have at least "
                  f"one piece of public evidence; {int((m != '').sum().sum())} cells are filled."),
        source_line="Source: ROCU web pages, press and HMICFRS tracker comments listed in data/sources.csv.",
        notes=("Presence evidence only: this is not HMIC's 2015 delivered / not delivered judgement, and a blank "
               "cell does not mean the capability was absent.",))


@figure("development_timeline")
def timeline_fig(ctx: ReportContext):
    from .. import piecemeal as pm
    from ..figures import timeline_chart

    fr = pm.founding_ranges(ctx.ds)
    ranges = pd.DataFrame({"unit": [rocu_label(i) for i in fr.index],
                           "start": fr["founded_earliest"].astype("Float64").astype(float).values,
                           "end": fr["founded_latest"].astype("Float64").astype(float).values,
                           "label": fr["founded_dates_text"].astype("object").values})
    tl = pm.timeline(ctx.ds)
    tl = tl[(tl["subject"] != "national") & (tl["kind"] != "established")]
    tl = tl.drop_duplicates(["subject", "date_text", "kind"])
    events = pd.DataFrame({"unit": tl["subject"].map(rocu_label).values, "date": tl["date_start"].values,
                           "kind": tl["kind"].values, "label": tl["description"].values})
    kinds = [k for k in ["capability", "merger", "membership-change", "funding", "inspection", "other"]
             if k in set(events["kind"])]
    fig = timeline_chart(ranges, events, kinds_order=kinds, range_label="founded (range where sources conflict)")
    span = pm.founding_year_span(ctx.ds)
    return fig, _meta(
        "development_timeline", title="Piecemeal development: when each ROCU was founded and what followed",
        subtitle=(f"Founding years span {span['earliest']}–{span['latest']} ({span['n_known']} ROCUs with a "
                  f"published year, {span['n_unknown']} without)"),
        alt_text=(f"Timeline with one row per ROCU from {span['earliest']} to the latest inspection. Founding ranges "
                  "are drawn where sources conflict (EMSOU, Tarian); markers show capability arrivals, membership "
                  "changes, funding and inspections."),
        source_line="Source: dated events from the sources in data/sources.csv.",
        notes=("Founding years of YHROCU, WMROCU and London are not published and are shown as gaps.",))


@figure("national_funding")
def funding_fig(ctx: ReportContext):
    from .. import piecemeal as pm
    from ..figures import funding_series

    s = pm.national_funding_series(ctx.ds)
    keep = s[s["period_kind"].astype(str) == "financial_year"] if "period_kind" in s else s
    keep = keep[keep["measure"].isin(["core_capability_spend", "total_rocu_funding", "combined_operating_budget",
                                      "home_office_direct_funding"])]
    series = pd.DataFrame({"measure": keep["measure"].str.replace("_", " ").values,
                           "year": keep["year_start"].values, "value": keep["value_gbp_million"].values,
                           "qualifier": keep["qualifier"].astype("object").values,
                           "period_text": keep["period"].values})
    fig = funding_series(series)
    parts = [f"{r.period_text}: {'' if pd.isna(r.qualifier) else r.qualifier + ' '}£{r.value:g}m ({r.measure})"
             for r in series.sort_values("year").itertuples()]
    return fig, _meta(
        "national_funding", title="National ROCU money as published, with the qualifiers kept",
        subtitle="£ million, nominal (no deflator is shipped as sourced data); different measures are not joined",
        alt_text="Points by financial year: " + "; ".join(parts) + ".",
        source_line="Source: parliamentary written answers listed in data/sources.csv.",
        notes=("Core-capability spend and total ROCU funding are different measures; the 2018/19 combined "
               "operating budget excludes London.", "Years without a point are not published."))


@figure("maturity_vs_grade")
def maturity_fig(ctx: ReportContext):
    from .. import piecemeal as pm
    from ..figures import grade_scatter

    m = pm.maturity_vs_grade(ctx.ds)
    t = m.table
    table = pd.DataFrame({"unit": [rocu_label(i) for i in t.index], "x": t["years_since_founding"].astype(float).values,
                          "x_min": t["years_since_founding_min"].astype(float).values,
                          "x_max": t["years_since_founding_max"].astype(float).values,
                          "grade_code": t["grade_code"].astype(float).values,
                          "grade_label": t["grade"].astype(str).values})
    graded = m.excluded[m.excluded["grade"].notna()]  # a grade but no founding year: listed as a gap
    codes = {g: i for i, g in enumerate(pm.grade_order(ctx.ds))}
    table = pd.concat([table, pd.DataFrame({
        "unit": graded["rocu_id"].map(rocu_label).values, "x": float("nan"), "x_min": float("nan"),
        "x_max": float("nan"), "grade_code": graded["grade"].astype(str).map(codes).astype(float).values,
        "grade_label": graded["grade"].astype(str).values})], ignore_index=True)
    ann = f"Spearman rho = {m.rho:.2f}, exact p = {m.p_value:.2f}, n = {m.n}"
    fig = grade_scatter(table, list(pm.grade_order(ctx.ds)), annotation=ann,
                        x_label="Years since founding at the 2015 inspection")
    return fig, _meta(
        "maturity_vs_grade", title="Years since founding at the 2015 inspection against the later (2022–25) ROCU grade",
        subtitle=f"{ann}; {len(m.excluded)} ROCUs without a published grade or founding year are not shown",
        alt_text=(f"Scatter of {m.n} ROCUs: years since founding at the 2015 inspection against the later HMICFRS "
                  f"grade. EMSOU, the oldest, was graded {t.loc['emsou', 'grade'] if 'emsou' in t.index else 'n/a'}. "
                  f"{ann}."),
        source_line="Source: founding dates and HMICFRS regional serious and organised crime inspections (2022–25), "
                    "data/sources.csv.",
        notes=(m.warning,))


@figure("membership_mismatch")
def mismatch(ctx: ReportContext):
    from .. import piecemeal as pm
    from ..figures import membership_mismatch

    date = ctx.later
    mem = ctx.ds.membership_at(date).merge(
        ctx.ds.forces[["force", "police_region"]].astype(str), on="force")
    mem["rocu_id"] = mem["rocu_id"].astype(str)
    counts = pd.crosstab(mem["police_region"], mem["rocu_id"].map(rocu_label))
    regions = [r for r in ctx.ds.forces["police_region"].cat.categories if r in counts.index]
    counts = counts.reindex(index=regions, columns=[rocu_label(r) for r in ctx.ds.rocus["rocu_id"]], fill_value=0)
    home = pm.region_home_rocus(ctx.ds, date)["home_rocu_id"].map(rocu_label).to_dict()
    fig = membership_mismatch(counts, aligned=home)
    mis = pm.misaligned_forces(ctx.ds, date)
    summ = pm.misalignment_summary(ctx.ds, date).iloc[0]
    names = ", ".join(f"{r.force} ({r.police_region} region, in {rocu_label(r.rocu_id)})" for r in mis.itertuples())
    return fig, _meta(
        "membership_mismatch", title="Police regions and ROCU membership do not line up everywhere",
        subtitle=f"Forces of each police region by ROCU, {_fmt_date(date)}",
        alt_text=(f"Grid of police regions by ROCU with the number of forces in each cell. Outside their region's "
                  f"ROCU: {names}."),
        source_line="Source: Home Office police regions; ROCU membership from the sources in data/sources.csv.",
        notes=(f"The misaligned forces hold {100 * float(summ['share_population']):.1f}% of the population of England "
               f"and Wales (mid-{int(summ['population_year'])}) and {100 * float(summ['share_officers_fte']):.1f}% of "
               "its police officers.", "London's arrangement is separate and not a ROCU as such."))


def show(key: str, ctx: ReportContext):
    """Display a figure in a notebook with its title, subtitle, caveats and source line.

    Returns the :class:`~rocu_compare.figures.FigureMeta` (for quoting its computed text).
    """
    from IPython.display import Markdown, display

    from ..figures.display import ChartDisplay

    fig, meta = make_figure(key, ctx)
    display(Markdown(f"**{meta.title}**  \n{meta.subtitle}"))
    # The image with its alt text: an <img alt=...> for HTML views and exports, and the
    # PNG with "alt" metadata for front ends that show images themselves.
    disp = ChartDisplay(getattr(fig, "figure_", fig), alt_text=meta.alt_text)
    display(disp.mimebundle(), raw=True, metadata={"image/png": {"alt": meta.alt_text}})
    notes = "".join(f"\n- *{n}*" for n in meta.notes)
    display(Markdown(f"<small>{meta.source_line}</small>{notes}"))
    return meta
