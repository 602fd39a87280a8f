"""The report's figures: each built from a dataset, with its title, alt text and source line.

Every number in a title, subtitle or alt text is computed here from the data, so the
same code gives correct words for an analyst's own data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from ..compare.analysis import Comparison, compare_rocus
from ..dataset import Dataset
from ..labels import ROCU_LABELS, rocu_label  # noqa: F401  (kept importable from here)
from ..schema import DATA_DIR
from .words import gap_label, present_label, source_ids, source_line

THEN = "2015-06-30"  # HMIC inspected the ROCUs in spring 2015 and reported in November 2015
LATER = "2020-01-01"  # after Kent's move to the Eastern unit (agreement of 10 Nov 2016)


def _fmt_date(d, month: str = "%B") -> str:
    """``30 June 2015``: the day without a leading zero, written portably (no glibc-only directive)."""
    ts = pd.Timestamp(d)
    return f"{ts.day} {ts.strftime(month)} {ts.year}"


@dataclass
class ReportContext:
    """A dataset and the analyses the figures share (computed once, lazily)."""

    ds: Dataset
    as_at: str = THEN
    later: str = LATER
    boundaries_path: object = field(default_factory=lambda: DATA_DIR / "force_boundaries.geojson")
    #: what-if options (``rocu-compare report --scenario/--as-at/--include/--exclude``): the data before a
    #: scenario was applied, the scenario, the dates of the over-time figures, units kept or left out
    base_ds: Dataset | None = None
    scenario: object = None
    dates: tuple = ()
    include: tuple | None = None
    exclude: tuple = ()

    @cached_property
    def comparison(self) -> Comparison:
        return compare_rocus(self.ds, self.as_at, include=self.include, exclude=self.exclude)

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

    @cached_property
    def whatif(self):
        """:func:`compare_configurations` of the units as built against the report's scenario, else
        the units aligned to the regions (see :func:`whatif_comparison`)."""
        from ..compare.configurations import compare_configurations

        base, built, other = _whatif_pair(self)
        return compare_configurations(
            base,
            {built.name: built, other.name: other},
            self.as_at,
            include=self.include,
            exclude=self.exclude,
            n_boot=200,
        )

    def fingerprint(self) -> str | None:
        """A digest of the data and options every figure of this context is drawn from.

        ``None`` for a what-if context (a scenario applied to the data): its figures are
        never taken from elsewhere.
        """
        if self.scenario is not None or self.base_ds is not None:
            return None
        if "_fingerprint" not in self.__dict__:
            options = (self.as_at, self.later, str(self.boundaries_path), self.dates, self.include, self.exclude)
            options += (getattr(self, "report_caption", ""),)
            self.__dict__["_fingerprint"] = hashlib.sha256(
                (self.ds.fingerprint() + repr(options)).encode("utf-8")
            ).hexdigest()
        return self.__dict__["_fingerprint"]


def build_context(ds: Dataset, **kw) -> ReportContext:
    return ReportContext(ds, **kw)


@dataclass(frozen=True)
class FigureSpec:
    """A catalogue entry: how to build a figure, and when the report includes it.

    ``when(ctx)`` False means another entry covers the case (e.g. the resourcing ski
    slopes give way to one "not in the data" entry when ``rocu_resources`` is empty).
    """

    key: str
    build: Callable
    when: Callable | None = None

    def applies(self, ctx) -> bool:
        return self.when is None or bool(self.when(ctx))


FIGURES: dict[str, FigureSpec] = {}


def figure(key, when: Callable | None = None):
    def deco(fn):
        FIGURES[key] = FigureSpec(key, fn, when)
        return fn

    return deco


def make_figure(key: str, ctx: ReportContext):
    """Build one figure; returns ``(Figure, FigureMeta)``.

    A figure whose analysis refuses the data (a ``ValueError`` from the library saying what
    is missing, e.g. no unit with member forces in a region) becomes a "not enough data"
    panel that gives the reason, so a report on sparse data never stops at one figure.
    """
    try:
        return FIGURES[key].build(ctx)
    except ValueError as err:
        return not_enough_data(key, fallback_title(key), f"{err}")


#: How the words of a catalogue key read in a title.
_KEY_WORDS = {"whatif": "what-if", "mds": "MDS", "rocu": "ROCU", "100k": "100,000", "ski": "ski slope:"}


def fallback_title(key: str) -> str:
    """A readable title from a catalogue key, for a figure that could not be drawn.

    Examples
    --------
    >>> fallback_title("whatif_maps"), fallback_title("ski_officers_per_100k"), fallback_title("mds_map")
    ('What-if maps', 'Ski slope: officers per 100,000', 'MDS map')
    """
    text = " ".join(_KEY_WORDS.get(w, w) for w in key.split("_"))
    return text[:1].upper() + text[1:]


def keys_for(ctx: ReportContext, keys=None) -> list[str]:
    """The catalogue keys the report draws for this dataset (all applicable ones by default)."""
    return [k for k in (keys or FIGURES) if FIGURES[k].applies(ctx)]


def not_enough_data(
    key: str,
    title: str,
    why: str,
    *,
    heading: str = "Not enough data",
    source: str = "Source: no sourced rows are drawn.",
    notes=(),
):
    """A notice panel and its sidecar, for a figure the data cannot support: says why."""
    from ..figures.notice import notice_panel

    return notice_panel(heading, why), _meta(
        key,
        title=title,
        subtitle=f"{heading}: {why}",
        alt_text=f"No chart. {heading}: {why}",
        source_line=source,
        notes=tuple(notes),
    )


def _meta(key, **kw):
    from ..figures import FigureMeta

    return FigureMeta(key=key, **kw)


def _extremes(s: pd.Series, fmt="{:,.0f}") -> str:
    s = s.dropna().astype(float)
    if s.empty:
        return "No ROCU has a published value."
    hi, lo = s.idxmax(), s.idxmin()
    if fmt.format(s[hi]) == fmt.format(s[lo]):
        return f"Every ROCU with a value ({len(s)}): {fmt.format(s[hi])}."
    return f"Highest: {rocu_label(hi)} ({fmt.format(s[hi])}); lowest: {rocu_label(lo)} ({fmt.format(s[lo])})."


def _missing_text(s: pd.Series, gap: str = "not published") -> str:
    miss = [rocu_label(i) for i in s.index[s.isna()]]
    return f" {gap[0].upper() + gap[1:]} for: {', '.join(miss)}." if miss else ""


def _membership_rows(ds, date) -> pd.DataFrame:
    """The membership rows behind ``membership_at(date)`` (for naming their sources)."""
    at = ds.membership_at(date).astype(str)
    m = ds.membership.astype({"force": str, "rocu_id": str})
    return m.merge(at, on=["force", "rocu_id"], how="inner")


def _context_rows(ctx: ReportContext, *cols) -> list:
    """The source rows behind the force measures of ``ctx.context`` named in ``cols``."""
    ds, f = ctx.ds, ctx.forces_context
    frames = [_membership_rows(ds, ctx.as_at)]
    if "population" in cols and f["population_year"].notna().any():
        used = f[["force", "population_year"]].dropna()
        p = ds.force_population.astype({"force": str})
        frames.append(
            p.merge(
                used.rename(columns={"population_year": "year"}).astype({"year": p["year"].dtype}), on=["force", "year"]
            )
        )
    if "officers" in cols and "officers_fte_as_at" in f and f["officers_fte_as_at"].notna().any():
        used = f[["force", "officers_fte_as_at", "officers_fte_vintage"]].dropna()
        o = ds.force_officers_fte.astype({"force": str, "vintage": str})
        frames.append(
            o.merge(
                used.rename(columns={"officers_fte_as_at": "as_at", "officers_fte_vintage": "vintage"}),
                on=["force", "as_at", "vintage"],
            )
        )
    if "severity" in cols and f["crime_severity_year_ending"].notna().any():
        used = f[["force", "crime_severity_year_ending"]].dropna()
        c = ds.force_crime_severity.astype({"force": str})
        c = c[c["offence_group"].astype(str) == "Total recorded crime"]
        frames.append(
            c.merge(used.rename(columns={"crime_severity_year_ending": "year_ending"}), on=["force", "year_ending"])
        )
    if "area" in cols:
        frames.append(ds.forces)
    return frames


def _profile_sources(ctx: ReportContext, prof=None) -> list[str]:
    """Source ids of the rows behind the profile attributes compared."""
    prof = prof if prof is not None else ctx.comparison.profiles
    groups = set(prof.groups.values())
    ds = ctx.ds
    frames = []
    if groups & {"structure", "demand"}:
        frames += _context_rows(ctx, "population", "officers", "severity", "area")
    if groups & {"history", "model"}:
        frames.append(ds.rocus)
    if "model" in groups and "rocu_model_evidence" in ds.tables:
        frames.append(ds.rocu_model_evidence)
    if "resourcing" in groups:
        frames.append(ds.rocu_resources)
    if "capabilities" in groups:
        from ..piecemeal import delivered_counts_at

        frames.append(ds.capability_status)
        frames.append(delivered_counts_at(ds, ctx.as_at))
    if "outcomes" in groups:
        frames.append(ds.inspections[ds.inspections["rocu_id"].notna() & ds.inspections["grade"].notna()])
    return source_ids(*frames)


# --- structure -------------------------------------------------------------------------------


@figure("map_rocu_areas_2015")
def map_2015(ctx: ReportContext):
    return _map(ctx, ctx.as_at, "map_rocu_areas_2015")


@figure("map_rocu_areas_later")
def map_later(ctx: ReportContext):
    return _map(ctx, ctx.later, "map_rocu_areas_later")


def _moves(ds, then, now) -> list[str]:
    """Forces whose ROCU differs between two dates, in words (from the membership table)."""
    a = ds.membership_at(then).astype(str).set_index("force")["rocu_id"]
    b = ds.membership_at(now).astype(str).set_index("force")["rocu_id"]
    out = []
    for force in a.index.union(b.index, sort=False):
        x, y = a.get(force), b.get(force)
        if x != y:
            out.append(
                f"{force}: {rocu_label(x) if x else 'no ROCU'} on {_fmt_date(then)}, "
                f"{rocu_label(y) if y else 'no ROCU'} on {_fmt_date(now)}"
            )
    return out


def _map(ctx, date, key):
    from ..figures import rocu_map
    from ..geometry import read_force_boundaries

    title = f"The ROCU areas of England and Wales on {_fmt_date(date)}"
    mem = ctx.ds.membership_at(date)
    if mem.empty:
        return not_enough_data(key, title, f"no force has a membership spell covering {_fmt_date(date)}.")
    fc = read_force_boundaries(ctx.boundaries_path)
    fig = rocu_map(fc, mem, labels=ROCU_LABELS, forces=ctx.ds.forces)
    n = mem.groupby("rocu_id", observed=True).size()
    n = n[n > 0]
    members = "; ".join(
        f"{rocu_label(r)}: {', '.join(g['force'].astype(str))}"
        for r, g in mem.groupby("rocu_id", observed=True, sort=False)
    )
    n_all = len(ctx.ds.forces)
    unplaced = sorted(set(ctx.ds.forces["force"].astype(str)) - set(mem["force"].astype(str)))
    outside = (
        []
        if not unplaced
        else [
            f"{len(unplaced)} of the {n_all} forces have no membership "
            f"spell covering the date; they are hatched on the map as a gap (in no unit in the data), not a unit."
        ]
    )
    other = ctx.later if date == ctx.as_at else ctx.as_at
    moves = _moves(ctx.ds, min(date, other), max(date, other))
    move_note = (
        ["Membership changes between the two maps: " + "; ".join(moves) + "."]
        if moves
        else [f"No force changes ROCU between {_fmt_date(min(date, other))} and {_fmt_date(max(date, other))}."]
    )
    return fig, _meta(
        key,
        title=title,
        subtitle=f"{n.size} units serving {int(n.sum())} police forces; force areas dissolved into ROCU areas",
        alt_text=(
            f"Map of England and Wales divided into {n.size} ROCU areas, each labelled. Member forces: {members}."
            + (f" Hatched, in no unit in the data: {', '.join(unplaced)}." if unplaced else "")
        ),
        source_line=(
            "Boundaries: Office for National Statistics, Police Force Areas (December 2016), Open "
            "Government Licence v.3.0; contains OS data © Crown copyright and database right 2016. "
            + source_line(ctx.ds, source_ids(_membership_rows(ctx.ds, date)), lead="Membership")
        ),
        notes=tuple(outside + move_note),
    )


def _ski(
    ctx,
    key,
    s,
    *,
    title,
    value_label,
    reference,
    reference_label,
    fmt="{:,.0f}",
    notes=(),
    source="",
    missing_label=None,
    subtitle=None,
    percent=False,
):
    from ..figures import ski_slope

    gap = gap_label(ctx.ds)
    s = s.astype("Float64")
    con = ctx.context.reindex(s.index)
    s = s[con["n_forces"].fillna(0) > 0]  # a unit with no member forces at the date is left out, not drawn
    if s.notna().sum() == 0:
        stale = [n for n in ctx.ds.series_used(ctx.as_at)["note"] if n]
        why = f"{value_label}: {gap} for every ROCU." + (f" {' '.join(stale)}" if stale else "")
        return not_enough_data(key, title, why, source=source)
    fig = ski_slope(
        s.astype("float64"),
        reference=reference,
        reference_label=reference_label,
        value_label=value_label,
        labels=ROCU_LABELS,
        fmt=fmt,
        missing_label=missing_label or gap,
    )
    if percent:
        from matplotlib.ticker import PercentFormatter

        fig.axes[0].xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ref_txt = f" {reference_label}: {fmt.format(reference)}." if reference is not None else ""
    return fig, _meta(
        key,
        title=title,
        subtitle=subtitle or f"{value_label}, ROCU areas at {_fmt_date(ctx.as_at)}",
        alt_text=f"Sorted horizontal bars, one per ROCU: {value_label}. "
        f"{_extremes(s, fmt)}{ref_txt}"
        f"{_missing_text(s, gap)}",
        source_line=source,
        notes=tuple(notes),
    )


def _gap_why(ctx, what: str, series: tuple[str, ...]) -> str:
    """Why a force measure is missing at the date: held but too far from it (with the series' own
    notes, e.g. "left missing"), or not in the data at all."""
    used = ctx.ds.series_used(ctx.as_at)
    stale = [str(used.loc[s, "note"]) for s in series if s in used.index and str(used.loc[s, "note"])]
    if stale:
        return f"{what}: none held near {_fmt_date(ctx.as_at)} ({'; '.join(stale)})."
    return f"{what} are {gap_label(ctx.ds)}."


def _resourcing_pointer(ds) -> str:
    if len(ds.rocu_resources):
        return "ROCU officers and staff are in the resourcing figures."
    return f"ROCU budgets and staff by unit are {gap_label(ds)}: see the resourcing entry."


@figure("ski_officers_per_100k")
def ski_officers(ctx: ReportContext):
    f = ctx.forces_context
    title = "Police officers per 100,000 residents of the forces each ROCU serves"
    ok = f.dropna(subset=["officers_fte", "population_persons"])
    if ok.empty:
        return not_enough_data(
            "ski_officers_per_100k",
            title,
            _gap_why(ctx, "force officer numbers or populations", ("officers_fte", "population_persons")),
        )
    ew = float(ok["officers_fte"].sum() / ok["population_persons"].sum() * 100_000)
    ref = "England and Wales" if len(ok) == len(f) else f"{len(ok)} forces with both values"
    year = int(ok["population_year"].iloc[0])
    when = pd.Timestamp(ok["officers_fte_as_at"].iloc[0])
    s = ctx.context["officers_per_100k_population"]
    top = s.astype("Float64").dropna()
    notes = ["Officers are those of the member forces, not ROCU staff. " + _resourcing_pointer(ctx.ds)]
    if len(top):
        hi = str(top.astype(float).idxmax())
        p = ctx.context.loc[hi]
        notes.append(
            f"{rocu_label(hi)}'s rate ({float(top[hi]):,.0f}) is {float(p['officers_fte']):,.0f} officers "
            f"over {float(p['population_persons']):,.0f} residents of its {int(p['n_forces'])} member "
            "force(s)."
        )
    return _ski(
        ctx,
        "ski_officers_per_100k",
        s,
        title=title,
        value_label=f"Officers (FTE, {_fmt_date(when, '%b')}) per 100,000 residents (mid-{year})",
        reference=ew,
        reference_label=ref,
        source=source_line(ctx.ds, source_ids(*_context_rows(ctx, "population", "officers"))),
        notes=notes,
    )


@figure("ski_population_density")
def ski_density(ctx: ReportContext):
    f = ctx.forces_context.dropna(subset=["population_persons", "area_km2_approx"])
    title = "Residents per square kilometre of each ROCU area"
    if f.empty:
        return not_enough_data(
            "ski_population_density", title, _gap_why(ctx, "force populations or areas", ("population_persons",))
        )
    ew = float(f["population_persons"].sum() / f["area_km2_approx"].sum())
    ref = "England and Wales" if len(f) == len(ctx.forces_context) else f"{len(f)} forces with both values"
    return _ski(
        ctx,
        "ski_population_density",
        ctx.context["population_per_km2"],
        title=title,
        value_label="Residents per km²",
        reference=ew,
        reference_label=ref,
        source=source_line(ctx.ds, source_ids(*_context_rows(ctx, "population", "area"))),
        notes=("Areas are approximate (ultra-generalised boundaries): a few per cent for small or coastal forces.",),
    )


@figure("ski_crime_severity")
def ski_severity(ctx: ReportContext):
    fc = ctx.forces_context
    f = fc.dropna(subset=["crime_severity_score", "population_persons"])
    title = "Demand: crime severity score of each ROCU area"
    gap = gap_label(ctx.ds)
    if f.empty:
        return not_enough_data(
            "ski_crime_severity", title, _gap_why(ctx, "force crime severity scores", ("crime_severity_score",))
        )
    ew = float((f["crime_severity_score"] * f["population_persons"]).sum() / f["population_persons"].sum())
    yr = pd.Timestamp(f["crime_severity_year_ending"].iloc[0])
    mem = ctx.ds.membership_at(ctx.as_at).astype(str)
    no_score = set(fc.loc[fc["crime_severity_score"].isna(), "force"].astype(str))
    notes = []
    for rid, g in mem.groupby("rocu_id", sort=False):
        lack = [x for x in g["force"] if x in no_score]
        if lack:
            notes.append(
                f"{rocu_label(rid)}'s weighted score is missing, not estimated: the score of "
                f"{', '.join(lack)} is {gap}."
            )
    return _ski(
        ctx,
        "ski_crime_severity",
        ctx.context["crime_severity_score"],
        title=title,
        value_label=f"Crime severity score, year ending {yr:%B %Y} (population-weighted)",
        fmt="{:,.1f}",
        reference=ew,
        reference_label=f"England and Wales ({len(f)} of {len(fc)} forces)",
        missing_label=f"{gap} (a member force has no score)",
        source=source_line(ctx.ds, source_ids(*_context_rows(ctx, "population", "severity"))),
        notes=notes,
    )


@figure("ski_capabilities_delivered")
def ski_capabilities(ctx: ReportContext):
    from ..figures import ski_slope
    from ..piecemeal import delivered_counts_at

    gap = gap_label(ctx.ds)
    dc = delivered_counts_at(ctx.ds, ctx.as_at)
    s = ctx.profiles.frame["capabilities_delivered_n"].astype("Float64").reindex(ctx.context.index)
    known = dc[dc["n_delivered"].notna()]
    title_base = "How many capabilities each ROCU delivered"
    if known.empty:
        return not_enough_data(
            "ski_capabilities_delivered",
            title_base,
            f"no per-ROCU count of capabilities delivered is in the data; delivery judgements are {gap} "
            "(load capability_status to fill them).",
        )
    assessed = sorted({int(v) for v in known["n_capabilities_assessed"].dropna()})
    years = sorted({str(v) for v in known["as_at"].dropna()})
    of = (
        f"of the {assessed[0]} assessed"
        if len(assessed) == 1
        else f"of {assessed[0]}–{assessed[-1]} assessed, varying by ROCU"
    )
    fig = ski_slope(
        s.astype("float64"),
        value_label=f"Capabilities delivered ({of}; {', '.join(years)})",
        labels=ROCU_LABELS,
        missing_label=gap,
    )
    per = ", ".join(
        f"{rocu_label(r.rocu_id)} {int(r.n_delivered)} of {int(r.n_capabilities_assessed)}"
        if pd.notna(r.n_capabilities_assessed)
        else f"{rocu_label(r.rocu_id)} {int(r.n_delivered)}"
        for r in known.itertuples()
    )
    notes = [f"Basis: {b.rstrip('.')}." for b in dict.fromkeys(known["basis"].astype(str))]
    partly = known["n_partly_delivered"].dropna()
    if len(partly) and int(partly.sum()):
        notes.append(f"'Delivered' excludes {int(partly.sum())} capability judgements of 'partly delivered'.")
    n_miss = int(s.isna().sum())
    if n_miss:
        notes.append(f"{n_miss} ROCU(s) without a count: {gap}, not zero.")
    title = (
        f"How many of the {assessed[0]} capabilities assessed each ROCU delivered"
        if len(assessed) == 1
        else "How many of the capabilities assessed each ROCU delivered"
    )
    return fig, _meta(
        "ski_capabilities_delivered",
        title=title,
        subtitle=f"Capabilities delivered, {of}, at {', '.join(years)}; {len(known)} of {len(s)} ROCUs with a count",
        alt_text=(
            f"Bars of capabilities delivered per ROCU; known for {int(s.notna().sum())} of {len(s)}: "
            f"{per}.{_missing_text(s, gap)}"
        ),
        source_line=source_line(ctx.ds, source_ids(known)),
        notes=tuple(notes),
    )


# --- how far apart -------------------------------------------------------------------------


def _compared_text(c: Comparison) -> str:
    a = c.profiles.attributes()
    return (
        f"{len(a)} attributes in {a['group'].nunique()} groups ({', '.join(c.profiles.group_names)}), "
        "each group weighted equally"
    )


def _analysis_source(ctx) -> str:
    return source_line(ctx.ds, _profile_sources(ctx), lead="Analysis of")


def _missing_groups_note(ctx) -> str:
    from ..compare.profiles import GROUPS

    c = ctx.comparison
    have = set(c.profiles.groups.values())
    missing = [g for g in GROUPS if g not in have]
    if not missing:
        return "Every attribute group has data for at least two ROCUs."
    return f"Groups not compared (fewer than two ROCUs with data): {', '.join(missing)}; they are {gap_label(ctx.ds)}."


def _comparison_gap(ctx) -> str | None:
    """Why the distance-based figures cannot be drawn, or None if they can."""
    c = ctx.comparison
    n = len(c.distance)
    if n < 2:
        return f"{n} ROCU(s) to compare; a distance needs two."
    if c.distance.isna().all().all() or not len(c.profiles.frame.columns):
        return "no attribute is observed for two or more ROCUs."
    return None


@figure("distance_heatmap")
def heatmap(ctx: ReportContext):
    from ..figures import distance_heatmap

    title = "How far apart the ROCUs are: Gower distance between every pair"
    why = _comparison_gap(ctx)
    if why:
        return not_enough_data("distance_heatmap", title, why)
    c = ctx.comparison
    fig = distance_heatmap(
        c.distance,
        linkage=c.cluster.linkage if c.cluster else None,
        order=c.cluster.order if c.cluster else None,
        labels=ROCU_LABELS,
    )
    s = c.spread
    notes = [
        _missing_groups_note(ctx),
        "Distances depend on which ROCUs are compared: ranges are taken over the units shown.",
    ]
    if c.nan_pairs:
        notes.append(
            f"{len(c.nan_pairs)} pair(s) share no attribute, so their distance is blank and the units "
            "are not clustered."
        )
    return fig, _meta(
        "distance_heatmap",
        title=title,
        subtitle=(
            f"{_compared_text(c)}; ordered by {c.cluster.method}-linkage clustering "
            f"(cophenetic correlation {c.cluster.cophenetic_correlation:.2f})"
            if c.cluster
            else _compared_text(c)
        ),
        alt_text=(
            f"Heatmap of distances between {s['n_units']} ROCUs{' with a dendrogram above' if c.cluster else ''}."
            f" Mean pairwise distance {s['mean_distance']:.2f}; closest pair {rocu_label(s['min_pair'][0])} and "
            f"{rocu_label(s['min_pair'][1])} ({s['min_distance']:.2f}); furthest "
            f"{rocu_label(s['max_pair'][0])} and {rocu_label(s['max_pair'][1])} ({s['max_distance']:.2f})."
        ),
        source_line=_analysis_source(ctx),
        notes=tuple(notes),
    )


@figure("mds_map")
def mds(ctx: ReportContext):
    from ..figures import mds_map

    title = "The ROCUs placed by how similar they are (classical MDS)"
    c = ctx.comparison
    why = _comparison_gap(ctx) or (
        f"{len(c.nan_pairs)} pair(s) of ROCUs share no attribute, so the distances cannot be placed on a map."
        if c.mds is None
        else None
    )
    if why:
        return not_enough_data("mds_map", title, why, notes=(_missing_groups_note(ctx),))
    ve = list(c.mds.variance_explained)
    fig = mds_map(c.mds.coordinates, ve, labels=ROCU_LABELS)
    return fig, _meta(
        "mds_map",
        title=title,
        subtitle=(
            f"Two dimensions explain {100 * c.mds.total_variance_explained:.0f}% of the variation in the Gower "
            f"distances ({_compared_text(c)})"
        ),
        alt_text=(
            f"Scatter of the ROCUs on two dimensions. Dimension 1 explains {100 * ve[0]:.0f}% and dimension 2 "
            f"{100 * ve[1]:.0f}%. Units close together have similar profiles."
        ),
        source_line=_analysis_source(ctx),
        notes=(
            f"Share of negative eigenvalues {c.mds.negative_eigen_share:.2f}: Gower distances are not exactly "
            "Euclidean, so the map is an approximation.",
        ),
    )


@figure("nearest_peers")
def peers(ctx: ReportContext):
    from ..figures import peers_table

    title = "Each ROCU's three most similar peers"
    c = ctx.comparison
    why = _comparison_gap(ctx) or (None if len(c.peers) else "no ROCU has a peer with an attribute in common.")
    if why:
        return not_enough_data("nearest_peers", title, why)
    fig = peers_table(c.peers, labels=ROCU_LABELS)
    first = c.peers[c.peers["rank"] == 1]
    mutual = sum(1 for r in first.itertuples() if ((first["unit"] == r.peer) & (first["peer"] == r.unit)).any())
    return fig, _meta(
        "nearest_peers",
        title=title,
        subtitle=f"By Gower distance ({_compared_text(c)})",
        alt_text=(
            f"Table of each ROCU's three nearest peers with the distance to each. {mutual} of "
            f"{len(first)} ROCUs are each other's nearest peer."
        ),
        source_line=_analysis_source(ctx),
        notes=(
            "In the spirit of the Home Office 'most similar groups' for forces, but on "
            f"{len(c.profiles.frame.columns)} attributes.",
        ),
    )


@figure("robustness_peers")
def robustness_fig(ctx: ReportContext):
    from ..figures import stability_bars

    title = "How robust each ROCU's nearest peer is to the weights given to attribute groups"
    c = ctx.comparison
    rob = c.robustness
    if rob is None:
        why = _comparison_gap(ctx) or (
            f"{len(c.nan_pairs)} pair(s) of ROCUs share no attribute"
            if c.nan_pairs
            else f"{len(c.distance)} ROCUs compared; robustness needs three or more"
            if len(c.distance) < 3
            else f"{len(set(c.profiles.groups.values()))} attribute group(s) with data; re-weighting needs two"
        )
        return not_enough_data("robustness_peers", title, why.rstrip(".") + ".")
    t = rob.peer_stability.reset_index()
    t["label"] = t["unit"].map(rocu_label)
    fig = stability_bars(t, "share_same_peers", "label", "Share of weightings giving the same nearest peer")
    summ = rob.summary.iloc[0]
    return fig, _meta(
        "robustness_peers",
        title=title,
        subtitle=(
            f"{int(summ['n_dirichlet'])} random (Dirichlet) group weightings and {int(summ['n_leave_out'])} "
            f"leave-one-group-out runs, seed {int(summ['seed'])}"
        ),
        alt_text=(
            f"Bars from 0 to 100% per ROCU. On average {100 * summ['share_same_peers_mean']:.0f}% of the "
            f"weightings keep the nearest peer; the median rank correlation of all pair distances with the "
            f"equal-weight result is {summ['spearman_median']:.2f}."
        ),
        source_line=_analysis_source(ctx),
        notes=(
            f"Leaving out the '{summ['least_stable_leave_out']}' group changes the distances most "
            f"(rank correlation {summ['least_stable_leave_out_spearman']:.2f}).",
        ),
    )


#: The tables behind each profile attribute group (for marking which cells hold analyst rows).
_GROUP_TABLES = {
    "structure": ("membership", "forces", "force_population", "force_officers_fte"),
    "demand": ("force_crime_severity",),
    "history": ("rocus", "events"),
    "model": ("rocus", "rocu_model_evidence", "capability_evidence"),
    "resourcing": ("rocu_resources",),
    "capabilities": ("capability_status", "facts"),
    "outcomes": ("inspections",),
}
#: Attributes whose rows come from fewer tables than their group's.
_ATTRIBUTE_TABLES = {
    "n_forces": ("membership",),
    "population_persons": ("membership", "force_population"),
    "officers_fte": ("membership", "force_officers_fte"),
    "workforce_fte": ("membership", "forces"),
    "area_km2_approx": ("membership", "forces"),
    "population_per_km2": ("membership", "force_population", "forces"),
    "officers_per_100k_population": ("membership", "force_officers_fte", "force_population"),
    "collaboration_instrument": ("rocus",),
    "host_model": ("rocus",),
}


def _analyst_units(ctx, table: str) -> set[str]:
    """ROCUs with at least one analyst row in ``table`` (force tables via membership)."""
    ds = ctx.ds
    if table not in ds.tables:
        return set()
    t = ds.tables[table][ds.analyst_rows(table).to_numpy()]
    if t.empty:
        return set()
    for col in ("rocu_id", "subject"):
        if col in t.columns:
            return set(t[col].dropna().astype(str))
    if "force" in t.columns:
        mem = ds.membership_at(ctx.as_at).astype(str)
        return set(mem.loc[mem["force"].isin(set(t["force"].astype(str))), "rocu_id"])
    return set()


@figure("data_completeness")
def completeness(ctx: ReportContext):
    from ..figures import completeness_grid

    prof = ctx.profiles
    present, gap = present_label(ctx.ds), gap_label(ctx.ds)
    cov = prof.coverage
    analyst = pd.DataFrame(False, index=cov.index, columns=cov.columns)
    for col in cov.columns:
        tables = _ATTRIBUTE_TABLES.get(col, _GROUP_TABLES.get(prof.groups[col], ()))
        units = set().union(*[_analyst_units(ctx, t) for t in tables])
        analyst[col] = cov[col] & cov.index.isin(sorted(units))
    n_analyst = int(analyst.to_numpy().sum())
    cov.index = [rocu_label(i) for i in cov.index]
    analyst.index = cov.index
    cov.columns = analyst.columns = [f"{prof.groups[c]}: {c}" for c in cov.columns]
    fig = completeness_grid(
        cov.T,
        analyst=analyst.T if ctx.ds.has_analyst_data else None,
        published_label=f"{present}, bundled rows" if ctx.ds.has_analyst_data else present,
        missing_label=gap,
    )
    n_full = int(cov.all(axis=0).sum())
    n_none = int((~cov.any(axis=0)).sum())
    empty_groups = [
        g
        for g in prof.group_names
        if not prof.frame[[c for c in prof.frame.columns if prof.groups[c] == g]].notna().any().any()
    ]
    notes = [
        f"Attribute groups {gap} for every ROCU: {', '.join(empty_groups)}."
        if empty_groups
        else "Every attribute group has a value for at least one ROCU."
    ]
    if ctx.ds.has_analyst_data:
        notes.append(f"{n_analyst} cells draw on rows from {ctx.ds.data_name} (marked 'A').")
    else:
        notes.append("Analysts can add their own rows (rocu-compare template) to fill the gaps.")
    return fig, _meta(
        "data_completeness",
        title=f"Which attribute is {present} for which ROCU",
        subtitle=f"The {cov.shape[1]} profile attributes at {_fmt_date(ctx.as_at)}, by attribute group",
        alt_text=(
            f"Grid of {cov.shape[1]} attributes by {cov.shape[0]} ROCUs marking values {present} and "
            f"{gap}. {n_full} attributes are {present} for every ROCU; {n_none} for none."
            + (f" {n_analyst} cells come from the analyst's rows." if ctx.ds.has_analyst_data else "")
        ),
        source_line=source_line(ctx.ds, _profile_sources(ctx, prof)),
        notes=tuple(notes),
    )


# --- capabilities and development ----------------------------------------------------------


@figure("capability_evidence")
def capability_matrix(ctx: ReportContext):
    from ..figures import presence_matrix
    from ..operating_model import unit_presence

    ev = unit_presence(ctx.ds)  # capability_evidence and the unit rows of rocu_model_evidence
    ev = ev[ev["value"] == "yes"]
    st = ctx.ds.capability_status
    has_status = len(st) > 0
    title = (
        "Evidence and delivery status of capabilities in each ROCU"
        if has_status
        else "Evidence of capabilities in each ROCU"
    )
    if ev.empty and not has_status:
        return not_enough_data(
            "capability_evidence", title, f"capability evidence and capability status are {gap_label(ctx.ds)}."
        )
    cells = {}
    for r in ev.itertuples():
        key = (rocu_label(r.rocu_id), str(r.capability))
        txt = str(r.evidence_date)[:4] if pd.notna(r.evidence_date) else "undated"
        old = cells.get(key)
        if (
            old is None
            or (old == "undated" and txt != "undated")
            or (txt != "undated" and old != "undated" and txt < old)
        ):
            cells[key] = txt
    for r in st.itertuples():
        cells[(rocu_label(r.rocu_id), str(r.capability))] = f"{r.status} ({r.year})"
    rows = [rocu_label(r) for r in ctx.ds.rocus["rocu_id"]]
    cols = sorted({k[1] for k in cells}, key=str.lower)
    m = pd.DataFrame("", index=rows, columns=cols)
    for (r, c), v in cells.items():
        m.loc[r, c] = v
    fig = presence_matrix(m)
    n_with = int((m != "").any(axis=1).sum())
    gap = gap_label(ctx.ds)
    sub = "Year of the earliest dated evidence, or 'undated'"
    if has_status:
        sub += f"; status and year where capability_status has a row ({len(st)} rows)"
    notes = [
        "Presence evidence is not a delivered / not delivered judgement, and a blank cell does not mean the "
        "capability was absent."
    ]
    if not has_status:
        notes.append(f"Delivery judgements (capability_status) are {gap}.")
    return fig, _meta(
        "capability_evidence",
        title=title,
        subtitle=f"{sub}; blank = {gap}",
        alt_text=(
            f"Grid of {len(rows)} ROCUs by {len(cols)} capabilities or unit names. {n_with} ROCUs have at least "
            f"one filled cell; {int((m != '').sum().sum())} cells are filled."
        ),
        source_line=source_line(ctx.ds, source_ids(ev, st)),
        notes=tuple(notes),
    )


@figure("development_timeline")
def timeline_fig(ctx: ReportContext):
    from .. import piecemeal as pm
    from ..figures import timeline_chart

    title = "Piecemeal development: when each ROCU was founded and what followed"
    fr = pm.founding_ranges(ctx.ds)
    tl = pm.timeline(ctx.ds)
    tl = tl[(tl["subject"] != "national") & (tl["kind"] != "established")]
    tl = tl.drop_duplicates(["subject", "date_text", "kind"])
    span = pm.founding_year_span(ctx.ds)
    gap = gap_label(ctx.ds)
    if span["n_known"] == 0 and tl.empty:
        return not_enough_data("development_timeline", title, f"founding dates and dated events are {gap}.")
    ranges = pd.DataFrame(
        {
            "unit": [rocu_label(i) for i in fr.index],
            "start": fr["founded_earliest"].astype("Float64").astype(float).values,
            "end": fr["founded_latest"].astype("Float64").astype(float).values,
            "label": fr["founded_dates_text"].astype("object").values,
        }
    )
    events = pd.DataFrame(
        {
            "unit": tl["subject"].map(rocu_label).values,
            "date": tl["date_start"].values,
            "kind": tl["kind"].values,
            "label": tl["description"].values,
        }
    )
    kinds = [
        k
        for k in ["capability", "merger", "membership-change", "funding", "inspection", "other"]
        if k in set(events["kind"])
    ]
    fig = timeline_chart(ranges, events, kinds_order=kinds, range_label="founded (range where sources conflict)")
    conflicting = [rocu_label(i) for i in fr.index[fr["is_conflicting"].fillna(False)]]
    unknown = [rocu_label(i) for i in span["unknown"]]
    years = (
        f"Founding years span {span['earliest']}–{span['latest']}"
        if span["n_known"]
        else "No founding year in the data"
    )
    kinds_txt = ", ".join(k.replace("-", " ") for k in kinds) or "none"
    return fig, _meta(
        "development_timeline",
        title=title,
        subtitle=f"{years} ({span['n_known']} ROCUs with a founding year, {span['n_unknown']} without)",
        alt_text=(
            f"Timeline with one row per ROCU. {years}. "
            + (
                f"Founding ranges are drawn where sources conflict ({', '.join(conflicting)}). "
                if conflicting
                else "No founding dates conflict. "
            )
            + (
                f"Markers show {len(events)} dated events ({kinds_txt})."
                if len(events)
                else "No dated events in the data."
            )
        ),
        source_line=source_line(
            ctx.ds,
            source_ids(
                tl.rename(columns={"source_ids": "source_id"}) if "source_ids" in tl else tl,
                fr.rename(columns={"source_ids": "source_id"}),
            ),
        ),
        notes=(
            (f"Founding years {gap} for: {', '.join(unknown)}; shown as gaps.",)
            if unknown
            else ("Every ROCU has a founding year in the data.",)
        ),
    )


@figure("national_funding")
def funding_fig(ctx: ReportContext):
    from .. import piecemeal as pm
    from ..figures import funding_series

    title = "National ROCU money as published, with the qualifiers kept"
    s = pm.national_funding_series(ctx.ds)
    keep = s[s["period_kind"].astype(str) == "financial_year"] if "period_kind" in s else s
    keep = keep[
        keep["measure"].isin(
            ["core_capability_spend", "total_rocu_funding", "combined_operating_budget", "home_office_direct_funding"]
        )
    ]
    if keep.empty:
        return not_enough_data(
            "national_funding", title, f"national ROCU funding figures by financial year are {gap_label(ctx.ds)}."
        )
    series = pd.DataFrame(
        {
            "measure": keep["measure"].str.replace("_", " ").values,
            "year": keep["year_start"].values,
            "value": keep["value_gbp_million"].values,
            "qualifier": keep["qualifier"].astype("object").values,
            "period_text": keep["period"].values,
        }
    )
    fig = funding_series(series)
    parts = [
        f"{r.period_text}: {'' if pd.isna(r.qualifier) else r.qualifier + ' '}£{r.value:g}m ({r.measure})"
        for r in series.sort_values("year").itertuples()
    ]
    notes = []
    if keep["measure"].nunique() > 1:
        notes.append(
            f"{keep['measure'].nunique()} different measures ({', '.join(series['measure'].unique())}): "
            "points of different measures are not comparable."
        )
    for r in keep[keep["excluded_rocu_ids"].notna()].itertuples():
        notes.append(
            f"The {r.period} {r.measure.replace('_', ' ')} excludes "
            f"{', '.join(rocu_label(x) for x in str(r.excluded_rocu_ids).split(';'))}."
        )
    notes.append(f"Years without a point are {gap_label(ctx.ds)}.")
    return fig, _meta(
        "national_funding",
        title=title,
        subtitle="£ million, nominal (no deflator is shipped as sourced data); different measures are not joined",
        alt_text="Points by financial year: " + "; ".join(parts) + ".",
        source_line=source_line(ctx.ds, source_ids(keep)),
        notes=tuple(notes),
    )


@figure("maturity_vs_grade")
def maturity_fig(ctx: ReportContext):
    from .. import piecemeal as pm
    from ..figures import grade_scatter

    title = "Years since founding at the 2015 inspection against the later ROCU grade"
    try:
        m = pm.maturity_vs_grade(ctx.ds)
    except ValueError as exc:  # too few ROCUs with both a founding year and a grade
        return not_enough_data("maturity_vs_grade", title, str(exc))
    if m.n < 3:
        return not_enough_data(
            "maturity_vs_grade",
            title,
            f"{m.n} ROCU(s) have both a founding year and a grade; a rank correlation needs three.",
        )
    t = m.table
    table = pd.DataFrame(
        {
            "unit": [rocu_label(i) for i in t.index],
            "x": t["years_since_founding"].astype(float).values,
            "x_min": t["years_since_founding_min"].astype(float).values,
            "x_max": t["years_since_founding_max"].astype(float).values,
            "grade_code": t["grade_code"].astype(float).values,
            "grade_label": t["grade"].astype(str).values,
        }
    )
    graded = m.excluded[m.excluded["grade"].notna()]  # a grade but no founding year: listed as a gap
    codes = {g: i for i, g in enumerate(pm.grade_order(ctx.ds))}
    table = pd.concat(
        [
            table,
            pd.DataFrame(
                {
                    "unit": graded["rocu_id"].map(rocu_label).values,
                    "x": float("nan"),
                    "x_min": float("nan"),
                    "x_max": float("nan"),
                    "grade_code": graded["grade"].astype(str).map(codes).astype(float).values,
                    "grade_label": graded["grade"].astype(str).values,
                }
            ),
        ],
        ignore_index=True,
    )
    ann = f"Spearman rho = {m.rho:.2f}, exact p = {m.p_value:.2f}, n = {m.n}"
    fig = grade_scatter(
        table, list(pm.grade_order(ctx.ds)), annotation=ann, x_label="Years since founding at the 2015 inspection"
    )
    oldest = t["years_since_founding"].astype(float).idxmax()
    ins = ctx.ds.inspections
    graded_rows = ins[ins["rocu_id"].notna() & ins["grade"].notna()]
    yrs = sorted({str(p)[:4] for p in graded_rows["published"].dropna()})
    when = f"{yrs[0]}–{yrs[-1][-2:]}" if len(yrs) > 1 else (yrs[0] if yrs else "")
    return fig, _meta(
        "maturity_vs_grade",
        title=f"{title} ({when})" if when else title,
        subtitle=f"{ann}; {len(m.excluded)} ROCUs without a grade or founding year in the data are not shown",
        alt_text=(
            f"Scatter of {m.n} ROCUs: years since founding at the 2015 inspection against the later "
            f"grade. {rocu_label(oldest)}, the oldest, was graded {t.loc[oldest, 'grade']}. {ann}."
        ),
        source_line=source_line(
            ctx.ds, source_ids(graded_rows, pm.founding_ranges(ctx.ds).rename(columns={"source_ids": "source_id"}))
        ),
        notes=(m.warning,),
    )


@figure("membership_mismatch")
def mismatch(ctx: ReportContext):
    from .. import piecemeal as pm
    from ..figures import membership_mismatch

    date = ctx.later
    title = "Police regions and ROCU membership do not line up everywhere"
    mem = ctx.ds.membership_at(date).merge(ctx.ds.forces[["force", "police_region"]].astype(str), on="force")
    if mem.empty:
        return not_enough_data(
            "membership_mismatch", title, f"no force has a membership spell covering {_fmt_date(date)}."
        )
    mem["rocu_id"] = mem["rocu_id"].astype(str)
    counts = pd.crosstab(mem["police_region"], mem["rocu_id"].map(rocu_label))
    regions = [r for r in ctx.ds.forces["police_region"].cat.categories if r in counts.index]
    counts = counts.reindex(index=regions, columns=[rocu_label(r) for r in ctx.ds.rocus["rocu_id"]], fill_value=0)
    home = pm.region_home_rocus(ctx.ds, date)["home_rocu_id"].map(rocu_label).to_dict()
    fig = membership_mismatch(counts, aligned=home)
    mis = pm.misaligned_forces(ctx.ds, date)
    summ = pm.misalignment_summary(ctx.ds, date).iloc[0]
    names = ", ".join(f"{r.force} ({r.police_region} region, in {rocu_label(r.rocu_id)})" for r in mis.itertuples())
    informal = pm.london_arrangement_note(ctx.ds)
    notes = []
    n_out = len(ctx.ds.forces) - len(mem)
    if n_out:
        notes.append(
            f"{n_out} of the {len(ctx.ds.forces)} forces have no membership spell covering the date and "
            "are not counted."
        )
    if len(mis) and pd.notna(summ["share_population"]) and pd.notna(summ["share_officers_fte"]):
        notes.append(
            f"The misaligned forces hold {100 * float(summ['share_population']):.1f}% of the population of "
            f"England and Wales (mid-{int(summ['population_year'])}) and "
            f"{100 * float(summ['share_officers_fte']):.1f}% of its police officers."
        )
    elif len(mis):
        notes.append(
            f"No population or officer figure is held within a year of {_fmt_date(date)}, so the "
            "misaligned forces' share is not given."
        )
    if len(informal):
        notes.append(
            f"{', '.join(rocu_label(i) for i in informal['rocu_id'])}: no formal ROCU "
            "(collaboration_instrument in the rocus table)."
        )
    return fig, _meta(
        "membership_mismatch",
        title=title
        if len(mis)
        else ("Police regions and ROCU membership line up for every force " + ("in the data" if n_out else "")).strip(),
        subtitle=f"Forces of each police region by ROCU, {_fmt_date(date)}",
        alt_text=(
            "Grid of police regions by ROCU with the number of forces in each cell. "
            + (f"Outside their region's ROCU: {names}." if len(mis) else "Every force is in its region's ROCU.")
        ),
        source_line=(
            "Police regions: the forces table. "
            + source_line(ctx.ds, source_ids(_membership_rows(ctx.ds, date)), lead="Membership")
        ),
        notes=tuple(notes),
    )


# --- resourcing (analyst data; what is published otherwise) ------------------------------


def _has_resources(ctx) -> bool:
    return len(ctx.ds.rocu_resources) > 0


def _resources_year(ctx):
    """The latest financial year in ``rocu_resources``, its rows by ROCU and the ROCU context at mid-year."""
    res = ctx.ds.rocu_resources
    fy = max(res["financial_year"].astype(str))
    rows = res[res["financial_year"].astype(str) == fy].assign(rocu_id=lambda d: d["rocu_id"].astype(str))
    rows = rows.set_index("rocu_id")
    mid = f"{fy[:4]}-09-30"  # the middle of the financial year: membership and force measures there
    con = ctx.ds.rocu_context(mid)
    return fy, rows, con, mid


def _resources_notes(ctx, rows) -> list[str]:
    notes = []
    est = rows[rows["is_estimate"].fillna(False).astype(bool)]
    if len(est):
        notes.append(
            f"Estimates ({', '.join(rocu_label(i) for i in est.index)}): "
            + "; ".join(dict.fromkeys(est["estimate_method"].dropna().astype(str)))
            + "."
        )
    if ctx.ds.analyst_rows("rocu_resources").any():
        notes.append(f"Resourcing rows from {ctx.ds.data_name}.")
    return notes


def _resource_ski(ctx, key, num, den, *, title, value_label, fmt, per=1.0, percent=False, note="", base=None):
    """A resourcing ski slope: ``num(rows) / den(rows, context) * per`` for the latest financial year.

    ``base`` names the force measure in the denominator (``"population"``, ``"officers"`` or None
    for a ratio within ``rocu_resources``): its rows are named in the source line and its year
    in the subtitle.
    """
    if not _has_resources(ctx):
        return not_enough_data(key, title, f"rocu_resources is {gap_label(ctx.ds)}.")
    fy, rows, con, mid = _resources_year(ctx)
    idx = con.index
    n = num(rows).reindex(idx).astype("Float64")
    d = den(rows, con).reindex(idx).astype("Float64")
    s = n / d * per
    both = s.notna()
    if both.any():
        ref = float(n[both].sum() / d[both].sum() * per)
        ref_label = (
            "England and Wales"
            if both.all() and int(con["n_forces"].sum()) == len(ctx.ds.forces)
            else f"{int(both.sum())} ROCU{'s' if int(both.sum()) != 1 else ''} with values (weighted)"
        )
    else:
        ref, ref_label = None, ""
    notes = _resources_notes(ctx, rows) + ([note] if note else [])
    gap = gap_label(ctx.ds)
    if (~both).any():
        notes.append(f"{int((~both).sum())} ROCU(s) {gap} for {fy}: shown as gaps, not zero.")
    src = source_ids(rows.reset_index())
    if base:
        src += source_ids(*_context_rows(ReportContext(ctx.ds, as_at=mid), base))
    return _ski(
        ctx,
        key,
        s,
        title=title,
        value_label=f"{value_label}, {fy}",
        reference=ref,
        reference_label=ref_label,
        fmt=fmt,
        percent=percent,
        subtitle=(f"{value_label}, financial year {fy}; member forces at {_fmt_date(mid)}" + _context_years(con, base)),
        source=source_line(ctx.ds, list(dict.fromkeys(src))),
        notes=notes,
    )


def _context_years(con, which: str | None) -> str:
    """Which year of the force measures a resourcing rate used (the nearest available)."""
    if which == "population" and con["population_year"].notna().any():
        return f"; residents mid-{int(con['population_year'].dropna().iloc[0])}"
    if which == "officers" and con["officers_fte_as_at"].notna().any():
        return f"; force officers at {_fmt_date(con['officers_fte_as_at'].dropna().iloc[0])}"
    return ""


def _pop(rows, con):
    return con["population_persons"]


def _officers(rows, con):
    return con["officers_fte"]


def _one(rows, con):
    return rows["budget_gbp"]


@figure("ski_budget_per_100k", when=_has_resources)
def ski_budget_per_100k(ctx: ReportContext):
    return _resource_ski(
        ctx,
        "ski_budget_per_100k",
        lambda r: r["budget_gbp"],
        _pop,
        per=100_000,
        base="population",
        title="ROCU budget per 100,000 residents of the forces each ROCU serves",
        value_label="Budget (£) per 100,000 residents",
        fmt="£{:,.0f}",
    )


@figure("ski_budget_per_force_officer", when=_has_resources)
def ski_budget_per_officer(ctx: ReportContext):
    return _resource_ski(
        ctx,
        "ski_budget_per_force_officer",
        lambda r: r["budget_gbp"],
        _officers,
        base="officers",
        title="ROCU budget per police officer of the forces each ROCU serves",
        value_label="Budget (£) per member-force officer (FTE)",
        fmt="£{:,.0f}",
    )


@figure("ski_rocu_fte_per_100k", when=_has_resources)
def ski_rocu_fte(ctx: ReportContext):
    return _resource_ski(
        ctx,
        "ski_rocu_fte_per_100k",
        lambda r: r["officers_fte"] + r["staff_fte"],
        _pop,
        per=100_000,
        base="population",
        title="ROCU officers and staff per 100,000 residents",
        value_label="ROCU officers + staff (FTE) per 100,000 residents",
        fmt="{:,.1f}",
        note="A ROCU missing either officers or staff has no total (never a partial sum).",
    )


@figure("ski_grant_share", when=_has_resources)
def ski_grant_share(ctx: ReportContext):
    return _resource_ski(
        ctx,
        "ski_grant_share",
        lambda r: r["home_office_grant_gbp"],
        _one,
        percent=True,
        title="Home Office grant as a share of each ROCU's budget",
        value_label="Home Office grant as a share of budget",
        fmt="{:.0%}",
    )


def _several_years(ctx) -> bool:
    return _has_resources(ctx) and ctx.ds.rocu_resources["financial_year"].nunique() > 1


@figure("resourcing_over_time", when=_several_years)
def resourcing_over_time(ctx: ReportContext):
    from ..figures.resourcing import resource_small_multiples

    res = ctx.ds.rocu_resources
    fys = sorted(res["financial_year"].astype(str).unique())
    title = "Each ROCU's budget across the financial years loaded"
    if len(fys) < 2:
        return not_enough_data(
            "resourcing_over_time",
            title,
            f"{len(fys)} financial year(s) in rocu_resources; a series needs two or more.",
        )
    ids = [str(r) for r in ctx.ds.rocus["rocu_id"]]
    grid = pd.MultiIndex.from_product([ids, fys], names=["rocu_id", "financial_year"])
    r = res.assign(rocu_id=res["rocu_id"].astype(str), financial_year=res["financial_year"].astype(str))
    v = r.set_index(["rocu_id", "financial_year"])["budget_gbp"].astype("Float64").reindex(grid) / 1e6
    t = v.rename("value").reset_index().rename(columns={"rocu_id": "unit"})
    gap = gap_label(ctx.ds)
    fig = resource_small_multiples(
        t, value_label="Budget, £ million (nominal)", labels=ROCU_LABELS, fmt="£{:,.1f}m", missing_label=gap
    )
    have = t.dropna(subset=["value"])
    change = []
    for u, g in have.groupby("unit", sort=False):
        g = g.sort_values("financial_year")
        if len(g) > 1:
            a, b = float(g["value"].iloc[0]), float(g["value"].iloc[-1])
            change.append(
                f"{rocu_label(u)} £{a:,.1f}m ({g['financial_year'].iloc[0]}) to £{b:,.1f}m "
                f"({g['financial_year'].iloc[-1]})"
            )
    n_gap = int(t["value"].isna().sum())
    return fig, _meta(
        "resourcing_over_time",
        title=title,
        subtitle=f"£ million, nominal; {len(fys)} financial years ({fys[0]} to {fys[-1]}), one panel per ROCU",
        alt_text=(
            "Small multiples, one per ROCU, of budget by financial year. "
            + "; ".join(change)
            + (f". {n_gap} ROCU-years are {gap}." if n_gap else ".")
        ),
        source_line=source_line(ctx.ds, source_ids(res)),
        notes=tuple(
            _resources_notes(ctx, r.set_index("rocu_id"))
            + ["Nominal pounds: no deflator is applied.", "A line joins only consecutive years that both have a value."]
        ),
    )


@figure("resourcing_not_in_data", when=lambda ctx: not _has_resources(ctx))
def resourcing_not_in_data(ctx: ReportContext):
    gap = gap_label(ctx.ds)
    return not_enough_data(
        "resourcing_not_in_data",
        "ROCU budgets, grants and staff by unit",
        heading=gap[0].upper() + gap[1:],
        why=(
            f"per-ROCU budgets, Home Office grants and officer and staff numbers (the rocu_resources table) are "
            f"{gap}, so the budget per resident, budget per force officer, staff per resident and grant-share "
            "figures are not drawn. Load them with rocu-compare template, rocu_resources sheet."
        ),
        source=f"Source: the rocu_resources table of {ctx.ds.data_name} ({len(ctx.ds.rocu_resources)} rows).",
        notes=("What is published per ROCU about money and people is listed in its own entry.",),
    )


#: Units of the facts that count as money or people.
_MONEY_PEOPLE_UNITS = ("GBP", "officers", "staff", "officers_and_staff", "FTE", "personnel")


def _money_people_facts(ds) -> pd.DataFrame:
    f = ds.facts
    ids = set(ds.rocus["rocu_id"].astype(str))
    money_or_people = f["unit"].astype("string").str.startswith(_MONEY_PEOPLE_UNITS).fillna(False).astype(bool)
    keep = f["subject"].astype(str).isin(ids) & money_or_people
    return f[keep]


@figure("published_money_people", when=lambda ctx: len(_money_people_facts(ctx.ds)) > 0)
def published_money_people(ctx: ReportContext):
    from ..figures.resourcing import published_facts_table

    f = _money_people_facts(ctx.ds)
    title = "What the sources say about each ROCU's money and people"
    if f.empty:
        return not_enough_data(
            "published_money_people",
            title,
            f"no per-ROCU figure about money or people is in the facts table ({gap_label(ctx.ds)}).",
        )
    order = {r: i for i, r in enumerate(ctx.ds.rocus["rocu_id"].astype(str))}
    f = f.assign(_o=f["subject"].astype(str).map(order)).sort_values(["_o", "period", "fact_id"], kind="mergesort")

    def value_text(r) -> str:
        unit = str(r.unit)
        q = "" if pd.isna(r.qualifier) else f"{r.qualifier} "
        try:
            v = float(str(r.value))
        except ValueError:
            return f"{q}{r.value} {unit}"
        if unit.startswith("GBP_million"):
            txt = f"£{v:,.4g}m" + unit[len("GBP_million") :].replace("_", " ")
        elif unit.startswith("GBP"):
            txt = f"£{v:,.0f}" + unit[len("GBP") :].replace("_", " ")
        else:
            txt = f"{v:,.0f} {unit.replace('_', ' ')}"
        est = " (estimate)" if bool(r.is_estimate) else ""
        return f"{q}{txt}{est}"

    table = pd.DataFrame(
        {
            "unit": f["subject"].astype(str).values,
            "what": f["measure"].astype(str).str.replace("_", " ").values,
            "value_text": [value_text(r) for r in f.itertuples()],
            "period": f["period"].astype("object").values,
            "source_id": f["source_id"].astype(str).values,
        }
    )
    fig = published_facts_table(table, labels=ROCU_LABELS)
    n_units = table["unit"].nunique()
    undated = int(table["period"].isna().sum())
    none = [rocu_label(r) for r in ctx.ds.rocus["rocu_id"].astype(str) if r not in set(table["unit"])]
    gap = gap_label(ctx.ds)
    return fig, _meta(
        "published_money_people",
        title=title,
        subtitle=(
            f"{len(table)} figures for {n_units} ROCUs from the facts table, each with its qualifier and "
            "period as published"
        ),
        alt_text=(
            "Table of figures by ROCU: "
            + "; ".join(
                f"{rocu_label(r.unit)} {r.what}: {r.value_text} ({'undated' if pd.isna(r.period) else r.period})"
                for r in table.itertuples()
            )
            + "."
        ),
        source_line=source_line(ctx.ds, source_ids(table)),
        notes=tuple(
            [f"{undated} figure(s) are undated in their source." if undated else "Every figure has a period."]
            + ([f"No figure about money or people for: {', '.join(none)} ({gap})."] if none else [])
            + [
                "Figures differ in scope and year (whole units, single teams, one-off grants): they are "
                "listed, not compared."
            ]
        ),
    )


def show(key: str, ctx: ReportContext):
    """Display a figure in a notebook with its title, subtitle, caveats and source line.

    Returns the :class:`~rocu_compare.figures.FigureMeta` (for quoting its computed text).
    """
    from IPython.display import Markdown, display

    from ..figures.display import ChartDisplay

    drawn = report_figure(key, ctx)
    if drawn is not None:  # the report running this notebook has drawn it from the same data and options
        meta, bundle, width = drawn
        image_meta = {"alt": meta.alt_text, "width": width}
    else:  # drawn here, with the data's protective marking on the image and in the meta, as the report does
        from .run import render_figure

        fig, meta = render_figure(key, ctx, ctx.ds.marking)
        bundle = ChartDisplay(fig, alt_text=meta.alt_text).mimebundle()
        image_meta = {"alt": meta.alt_text}
    marking = f"**{meta.marking}**  \n" if meta.marking else ""
    display(Markdown(f"{marking}**{meta.title}**  \n{meta.subtitle}"))
    # The image with its alt text: an <img alt=...> for HTML views and exports, and the
    # PNG with "alt" metadata for front ends that show images themselves.
    display(bundle, raw=True, metadata={"image/png": image_meta})
    notes = "".join(f"\n- *{n}*" for n in meta.notes)
    display(Markdown(f"<small>{meta.source_line}</small>{notes}"))
    return meta


#: Environment variables through which ``rocu-compare report`` offers its figures to the
#: notebooks it runs: the figures folder, the context's fingerprint, the keys it draws and
#: the report's process id.
REPORT_FIGURES_ENV = ("ROCU_REPORT_FIGURES", "ROCU_REPORT_CONTEXT", "ROCU_REPORT_KEYS", "ROCU_REPORT_PID")


def report_figure(key: str, ctx: ReportContext, *, timeout: float = 600.0):
    """The figure the running report draws for ``key``, if it is drawn from the same data and options.

    When ``rocu-compare report`` runs the notebooks, it draws every catalogue figure
    itself and says so through :data:`REPORT_FIGURES_ENV`. A notebook's ``show(key, ctx)``
    then displays the report's PNG and metadata (waiting for the report to write them)
    instead of drawing the same figure a second time, but only if ``ctx`` has the
    report's fingerprint (:meth:`ReportContext.fingerprint`): a notebook that changes
    the data or the options draws its own.

    Returns
    -------
    (FigureMeta, dict, int) or None
        The metadata, a display bundle (``image/png``, and ``text/html`` with the alt
        text) and the width to show the image at (in pixels at the notebook's
        resolution); ``None`` when the notebook must draw the figure itself.
    """
    import json
    import os
    import struct
    import time
    from pathlib import Path

    from ..figures import FigureMeta
    from ..figures.display import NOTEBOOK_DPI, png_bundle
    from .parallel import REPORT_PNG_DPI

    folder, fingerprint, keys, pid = (os.environ.get(k, "") for k in REPORT_FIGURES_ENV)
    if not (folder and fingerprint and key in keys.split(",")) or ctx.fingerprint() != fingerprint:
        return None
    sidecar, png = Path(folder) / f"{key}.json", Path(folder) / f"{key}.png"
    deadline = time.monotonic() + timeout
    while not sidecar.exists():  # written last, by a rename: when it is there the PNG is whole
        if time.monotonic() > deadline or not _alive(pid):
            return None
        time.sleep(0.05)
    meta = FigureMeta(**json.loads(sidecar.read_text(encoding="utf-8")))
    data = png.read_bytes()
    pixels = struct.unpack(">I", data[16:20])[0]  # the PNG's IHDR chunk: width first
    width = round(pixels * NOTEBOOK_DPI / REPORT_PNG_DPI)  # the size the notebook's own drawing has
    return meta, png_bundle(data, meta.alt_text, width), width


def _alive(pid: str) -> bool:
    """True while the process ``pid`` (the report) runs."""
    import os

    if os.name == "nt":  # os.kill would end the process there; the timeout still applies
        return True
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:  # pragma: no cover - exists, another user's
        return True
    return True


# --- operating models (issue 13) -----------------------------------------------------------


@figure("operating_models")
def operating_models(ctx: ReportContext):
    from ..figures.model_matrix import CELL_TEXT, model_matrix
    from ..operating_model import MODEL_ATTRIBUTES, RANK_ORDER, REMITS, model_codes

    codes = model_codes(ctx.ds, ctx.as_at)
    rocus = [str(r) for r in ctx.ds.rocus["rocu_id"]]
    fig = model_matrix(codes, rocus=rocus, labels=ROCU_LABELS)
    n_cells = len(rocus) * len(MODEL_ATTRIBUTES)
    valued = codes[codes["value"].notna()]
    n_conflict = int(codes["value"].isna().sum())
    n_gap = n_cells - len(codes)
    n_undated = int((valued["dated"] != "dated").sum())
    n_weaker = int((valued["evidence_strength"] != "stated").sum())
    remit_txt = []
    for attr, name in REMITS.items():
        r = valued[valued["attribute"] == attr]
        yes = [rocu_label(x) for x in r.loc[r["value"] == "yes", "rocu_id"]]
        no = [rocu_label(x) for x in r.loc[r["value"] == "no", "rocu_id"]]
        said = [f"yes in {', '.join(yes)}"] * bool(yes) + [f"no in {', '.join(no)}"] * bool(no)
        remit_txt.append(f"{name}: {', '.join(said) if said else 'not found for any ROCU'}")
    ranks = valued[valued["attribute"] == "senior_lead_rank"]
    rank_txt = ""
    if len(ranks):
        pos = ranks["value"].map(RANK_ORDER.index)
        lo, hi = ranks.loc[pos.idxmin()], ranks.loc[pos.idxmax()]
        rank_txt = (
            f" Senior lead rank runs from {lo['value']} ({rocu_label(lo['rocu_id'])}) to {hi['value']} "
            f"({rocu_label(hi['rocu_id'])})."
        )
    conflicts = [
        f"{rocu_label(r.rocu_id)} {MODEL_ATTRIBUTES[r.attribute]}" for r in codes[codes["value"].isna()].itertuples()
    ]
    conflict_txt = (
        f" {n_conflict} cell(s) hold conflicting evidence and have no value: {', '.join(conflicts)}."
        if n_conflict
        else ""
    )
    return fig, _meta(
        "operating_models",
        title="How the operating models differ: remits, lead rank, partners, units and governance",
        subtitle=(
            f"Coded for {_fmt_date(ctx.as_at)} from stated evidence; {len(valued)} of {n_cells} cells have a "
            f"value, {n_gap} are '{CELL_TEXT['gap']}'"
        ),
        alt_text=(
            f"Grid of {len(rocus)} ROCUs by {len(MODEL_ATTRIBUTES)} operating-model attributes. {len(valued)} "
            f"cells have a value ({n_undated} of them rest wholly or partly on undated sources, {n_weaker} on "
            f"indicated or implied evidence); {n_gap} are labelled '{CELL_TEXT['gap']}', meaning no evidence in "
            f"the sources, not 'no'. Remits: {'; '.join(remit_txt)}.{rank_txt}{conflict_txt}"
        ),
        source_line="Source: ROCU, PCC and force web pages, press and inspection summaries listed in data/sources.csv "
        "(table rocu_model_evidence) and the governance codes of data/rocus.csv.",
        notes=(
            "Presence evidence, not a census: 'not found' means no source was found, never that the unit lacks "
            "the remit or the unit.",
            f"Counts of partner agencies and catalogue units are lower bounds over evidence at any date; "
            f"{n_undated} of the {len(valued)} values rest on undated pages (read them as 'at some point').",
            "Each value comes from the row nearest the comparison date, undated rows only where no dated row "
            "exists; every rule is in rocu_compare.operating_model and in the profile's attribute notes.",
        ),
    )


# --- what-if configurations and comparisons over time ----------------------------------------


def _whatif_pair(ctx: ReportContext):
    """(as built, compared configuration) at ``ctx.as_at``: the report's scenario, else aligned to the regions."""
    from .. import scenarios

    base = ctx.base_ds if ctx.base_ds is not None else ctx.ds
    built = scenarios.as_built(base, ctx.as_at)
    other = (
        ctx.scenario
        if ctx.scenario is not None and ctx.scenario.as_built_at is None
        else scenarios.aligned_to_regions(base, ctx.as_at)
    )
    return base, built, other


def whatif_comparison(ctx: ReportContext):
    """:func:`compare_configurations` of the units as built against the report's scenario, else the
    units aligned to the regions (computed once per context, ``ctx.whatif``; a report computes it
    before its figure workers start, so the what-if figures share it)."""
    return ctx.whatif


def default_dates(ds) -> list[str]:
    """30 June of each year from the first year every unit has member forces to the latest population year."""
    m = ds.membership
    starts = {}
    for r in m.itertuples():
        first = pd.Timestamp(str(r.valid_from)[:10]) if pd.notna(r.valid_from) else pd.Timestamp.min
        starts[str(r.rocu_id)] = min(starts.get(str(r.rocu_id), pd.Timestamp.max), first)
    begin = max(starts.values()).year if starts else 2015
    end = int(ds.force_population["year"].max()) if len(ds.force_population) else begin
    return [
        f"{y}-06-30"
        for y in range(begin if pd.Timestamp(f"{begin}-06-30") >= max(starts.values()) else begin + 1, end + 1)
    ]


@figure("whatif_maps")
def whatif_maps(ctx: ReportContext):
    from ..figures.whatif import configuration_maps
    from ..geometry import read_force_boundaries

    r = whatif_comparison(ctx)
    base, built, other = _whatif_pair(ctx)
    mem_built = base.membership_at(ctx.as_at)
    mem_other = pd.DataFrame({"force": list(other.mapping), "rocu_id": list(other.mapping.values())})
    moved = sorted(r.moves["force"].unique())
    labels = dict(ROCU_LABELS) | dict(other.unit_names)  # designed units by their own names
    fc = read_force_boundaries(ctx.boundaries_path)
    titles = {f"As built, {_fmt_date(ctx.as_at)}": mem_built, f"{other.name.capitalize()}": mem_other}
    fig = configuration_maps(fc, titles, moved, labels=labels, forces=base.forces)
    n_a, n_b = mem_built["rocu_id"].nunique(), mem_other["rocu_id"].nunique()
    return fig, _meta(
        "whatif_maps",
        title=f"The units as built on {_fmt_date(ctx.as_at)} and {other.name}: "
        + (f"{len(moved)} force{'s' if len(moved) != 1 else ''} would move" if moved else "no force would move"),
        subtitle=f"Left: {built.description}. Right: {other.description}",
        alt_text=(
            f"Two maps of England and Wales. Left: {n_a} units as built on {_fmt_date(ctx.as_at)}. Right: "
            f"{n_b} units under '{other.name}'. Forces that move are filled orange: "
            f"{', '.join(moved) if moved else 'none'}."
        ),
        source_line=(
            "Source: Office for National Statistics, Police Force Areas (December 2016) boundaries, "
            "licensed under the Open Government Licence v.3.0; contains OS data © Crown copyright and "
            "database right 2016. Membership: ROCU and PCC sources in data/sources.csv."
        ),
        notes=tuple(f"{k}: {n}" for k, v in r.notes.items() for n in v)
        + ("A what-if configuration: these units did not exist in this form on the date.",),
    )


@figure("whatif_dispersion")
def whatif_dispersion(ctx: ReportContext):
    from ..figures.whatif import dispersion_dots

    r = whatif_comparison(ctx)
    t = r.dispersion.reset_index()
    fig = dispersion_dots(t[["configuration", "label", "cv"]], order=list(r.configurations))
    names = list(r.configurations)
    a, b = names[0], names[-1]
    da, db = r.dispersion.xs(a, level="configuration"), r.dispersion.xs(b, level="configuration")
    both = da["cv"].notna() & db["cv"].notna()
    narrower = [da.loc[m, "label"] for m in da.index[both] if db.loc[m, "cv"] < da.loc[m, "cv"] - 0.005]
    wider = [da.loc[m, "label"] for m in da.index[both] if db.loc[m, "cv"] > da.loc[m, "cv"] + 0.005]
    missing = [da.loc[m, "label"] for m in da.index[~both]]
    return fig, _meta(
        "whatif_dispersion",
        title=f"How unequal the units would be under '{b}' compared with as built, {_fmt_date(ctx.as_at)}",
        subtitle=(
            f"Coefficient of variation (standard deviation / mean) across the units of each measure; "
            f"{len(r.context[a])} units as built, {len(r.context[b])} under '{b}'"
        ),
        alt_text=(
            f"Dot plot, one row per measure, with the CV as built and under '{b}'. {r.headline} "
            f"Narrower under '{b}': {', '.join(narrower) or 'none'}; wider: {', '.join(wider) or 'none'}."
            + (f" Not available at this date: {', '.join(missing)}." if missing else "")
        ),
        source_line=_analysis_source(ctx),
        notes=(
            f"Configuration '{b}': {r.configurations[b].description}.",
            f"Mean pairwise Gower distance: {r.mean_distance[a]:.3f} as built, {r.mean_distance[b]:.3f} under "
            f"'{b}'"
            + (
                f" (the designed unit(s) {', '.join(r.configurations[b].unit_names.values())} have "
                "no history, governance or grade, which shortens their distances)."
                if r.configurations[b].unit_names
                else "."
            ),
            "With about ten units the CV is a small-sample statistic: bootstrap intervals are in the sidecar data "
            "of compare_configurations, not shown here.",
        ),
    )


@figure("whatif_over_time")
def whatif_over_time(ctx: ReportContext):
    from ..compare.configurations import MEASURES, compare_over_time
    from ..figures.whatif import dispersion_over_time

    base = ctx.base_ds if ctx.base_ds is not None else ctx.ds
    dates = list(ctx.dates) if len(ctx.dates) >= 2 else default_dates(base)
    if not dates:
        return not_enough_data(
            "whatif_over_time",
            "Are the units converging? Spread of each measure and mean distance over time",
            "no 30 June falls between the date every unit first has member forces and the latest population "
            "estimate held; give dates with --as-at (two or more).",
        )
    cfg = ctx.scenario if ctx.scenario is not None and ctx.scenario.as_built_at is None else None
    o = compare_over_time(base, dates, cfg, include=ctx.include, exclude=ctx.exclude, n_boot=50)
    fig = dispersion_over_time(o.dispersion, o.distance, measures=MEASURES)
    config_text = cfg.description if cfg is not None else "the units as built at each date"
    d0, d1 = o.dates[0], o.dates[-1]
    return fig, _meta(
        "whatif_over_time",
        title=f"Are the units converging? Spread of each measure and mean distance, {d0.year}–{d1.year}",
        subtitle=(
            f"Coefficient of variation across units and mean pairwise Gower distance at {len(o.dates)} dates "
            f"({', '.join(_fmt_date(d) for d in o.dates)}); configuration: {config_text}"
        ),
        alt_text=(
            "Small multiples, one line per measure over the dates; gaps where no figure is held within a year "
            "of the date. " + " ".join(o.statements)
        ),
        source_line=_analysis_source(ctx),
        notes=tuple(o.statements)
        + (
            "A series more than a year from a date is missing at that date, never carried forward; "
            "compare_over_time(...).dispersion['series_used'] says which year each series used.",
        ),
    )
