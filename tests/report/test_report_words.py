"""The report's words and figures are computed from the data in hand (issue 8, items 3-5)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from rocu_compare.compare import compare_rocus
from rocu_compare.report.catalog import FIGURES, build_context, keys_for, make_figure
from rocu_compare.report.words import gap_label, source_ids, source_line

from .analyst_data import SOURCE, YEARS, analyst_dataset, budget, grant, sparse_dataset

RESOURCING = {
    "ski_budget_per_100k",
    "ski_budget_per_force_officer",
    "ski_rocu_fte_per_100k",
    "ski_grant_share",
    "resourcing_over_time",
}
#: Sentences written for the bundled data that an analyst's data can make false.
BUNDLED_ONLY = (
    "North Wales belongs to the North West",
    "HMIC's 13",
    "of 13 described",
    "YHROCU, WMROCU and London",
    "(City of London)",
    "are not public",
    "not published",
)


def _render_all(ctx, keys):
    out = {}
    for k in keys:
        fig, meta = make_figure(k, ctx)
        assert meta.key == k and meta.title and meta.alt_text
        out[k] = (fig, meta)
    return out


@pytest.fixture(scope="module")
def analyst(tmp_path_factory):
    ds = analyst_dataset(tmp_path_factory.mktemp("analyst") / "data")
    ctx = build_context(ds)
    figs = _render_all(ctx, keys_for(ctx))
    yield ds, ctx, {k: m for k, (f, m) in figs.items()}, {k: f for k, (f, m) in figs.items()}
    plt.close("all")


def _ticks(fig) -> dict[str, float]:
    """Bar value by y tick label of a ski slope."""
    ax = fig.axes[0]
    bars = ax.containers[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    return {labels[i]: b.get_width() for i, b in enumerate(bars)}


# -- sparse data ------------------------------------------------------------------------------


def test_every_catalogue_figure_renders_on_sparse_data(tmp_path):
    ds = sparse_dataset(tmp_path / "data")
    ctx = build_context(ds)
    figs = _render_all(ctx, list(FIGURES))  # every entry, applicable or not: none raises
    notices = {k for k, (f, m) in figs.items() if m.subtitle.startswith(("Not enough data", "Not in the data"))}
    # tables emptied in the sparse data: these can only say why
    assert {
        "ski_officers_per_100k",
        "ski_crime_severity",
        "national_funding",
        "maturity_vs_grade",
        "capability_evidence",
        "resourcing_not_in_data",
    } <= notices
    for k in notices:
        texts = [t.get_text() for t in figs[k][0].axes[0].texts]
        assert texts[0] in ("Not enough data", "Not in the data"), k
    # the 30 forces outside the three units are a labelled gap on the map, in the image and in words
    fig, meta = figs["map_rocu_areas_2015"]
    outside = sorted(set(ds.forces["force"].astype(str)) - set(ds.membership_at(ctx.as_at)["force"].astype(str)))
    assert len(outside) == 30 and f"Hatched, in no unit in the data: {', '.join(outside)}." in meta.alt_text
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "30 forces in no unit in the data"
    plt.close("all")


def test_distance_figures_say_why_when_the_comparison_cannot_place_units(ds):
    ctx = build_context(ds)
    ctx.__dict__["comparison"] = c = compare_rocus(ds, groups=["history", "outcomes"], later_outcomes=True)
    assert c.mds is None and c.robustness is None  # the case that raised AttributeError
    for key in ("mds_map", "robustness_peers"):
        fig, meta = make_figure(key, ctx)
        assert meta.subtitle.startswith("Not enough data: ")
        assert f"{len(c.nan_pairs)} pair(s) of ROCUs share no attribute" in meta.subtitle
    plt.close("all")


# -- words true of the analyst's data ---------------------------------------------------------


def test_no_bundled_only_claim_in_titles_subtitles_or_alt_text(analyst):
    _, _, metas, _ = analyst
    for key, m in metas.items():
        for field in ("title", "subtitle", "alt_text"):
            text = getattr(m, field)
            for claim in BUNDLED_ONLY:
                assert claim not in text, (key, field, claim)


def test_map_follows_the_analyst_membership(analyst):
    _, _, metas, _ = analyst
    alt = metas["map_rocu_areas_2015"].alt_text
    tarian = alt.split("Tarian: ")[1]
    nw = alt.split("NWROCU: ")[1].split(";")[0]
    assert "North Wales" in tarian and "North Wales" not in nw


def test_capability_chart_counts_against_the_capabilities_assessed(analyst):
    ds, _, metas, figs = analyst
    m = metas["ski_capabilities_delivered"]
    assert m.title == "How many of the 7 capabilities assessed each ROCU delivered"
    assert "NWROCU 7 of 7" in m.alt_text and "Not in the data for: London" in m.alt_text
    # hand count: NERSOU (k = 0) delivers the first 3 of its 7
    assert _ticks(figs["ski_capabilities_delivered"])["NERSOU"] == 3
    assert (
        "analyst-return-2024 (Regional resourcing return 2018-21 (test); OFFICIAL-SENSITIVE, internal, no URL)"
        in m.source_line
    )


def test_founding_gaps_and_severity_follow_the_data(analyst):
    _, _, metas, _ = analyst
    assert metas["development_timeline"].notes == (
        "Founding years not in the data for: WMROCU, London; shown as gaps.",
    )
    sev = metas["ski_crime_severity"]
    assert "43 of 43 forces" in sev.alt_text and "London" not in sev.alt_text.split("England and Wales")[-1]
    assert sev.notes == ()


def test_completeness_says_in_the_data_and_marks_the_analyst_cells(analyst):
    _, _, metas, figs = analyst
    m = metas["data_completeness"]
    assert m.title == "Which attribute is in the data for which ROCU"
    n = int(m.alt_text.split(" cells come from the analyst's rows")[0].rsplit(" ", 1)[1])
    cells = [p for p in figs["data_completeness"].axes[0].patches if p.get_gid() == "cell-analyst"]
    assert len(cells) == n > 0


# -- resourcing --------------------------------------------------------------------------------


def test_resourcing_figures_appear_with_three_years_for_nine_rocus(analyst):
    ds, ctx, metas, figs = analyst
    assert RESOURCING <= set(metas) and "resourcing_not_in_data" not in metas
    # budget per 100,000 residents, by hand: NERSOU's 2020-21 budget over its forces' mid-2020 residents
    pop = ds.force_population
    forces = ["Cleveland", "Durham", "Northumbria"]
    ne = pop[pop["force"].astype(str).isin(forces) & (pop["year"] == 2020)]["population_persons"].astype(float)
    assert len(ne) == 3
    assert _ticks(figs["ski_budget_per_100k"])["NERSOU"] == pytest.approx(budget(0, 2) / ne.sum() * 100_000)
    assert "residents mid-2020" in metas["ski_budget_per_100k"].subtitle
    # grant = (20 + i)% of budget (test data); the reference is total grant over total budget, 2020-21
    shares = _ticks(figs["ski_grant_share"])
    assert shares["NERSOU"] == pytest.approx(0.20) and shares["Tarian"] == pytest.approx(0.28)
    weighted = sum(grant(i, 2) for i in range(9)) / sum(budget(i, 2) for i in range(9))
    assert f"9 ROCUs with values (weighted): {weighted:.0%}" in metas["ski_grant_share"].alt_text
    # ROCU officers + staff per 100,000: Tarian (i = 8) has 180 + 90 FTE over its four forces (North Wales moved in)
    wales = pop[
        pop["force"].astype(str).isin(["Dyfed-Powys", "Gwent", "South Wales", "North Wales"]) & (pop["year"] == 2020)
    ]["population_persons"].astype(float)
    assert _ticks(figs["ski_rocu_fte_per_100k"])["Tarian"] == pytest.approx(270 / wales.sum() * 100_000)
    assert metas["resourcing_over_time"].subtitle.startswith(f"£ million, nominal; {len(YEARS)} financial years")
    assert len([a for a in figs["resourcing_over_time"].axes if a.get_visible()]) == 10
    assert SOURCE[0] in metas["ski_rocu_fte_per_100k"].source_line


@pytest.mark.parametrize("which", ["bundled", "analyst"])
def test_empty_resources_give_one_not_in_the_data_entry(which, ds, tmp_path):
    d = ds if which == "bundled" else analyst_dataset(tmp_path / "data", resources=False)
    keys = keys_for(build_context(d))
    assert "resourcing_not_in_data" in keys and not RESOURCING & set(keys)
    fig, meta = make_figure("resourcing_not_in_data", build_context(d))
    assert meta.subtitle.startswith(("Not published", "Not in the data"))
    assert gap_label(d) in meta.subtitle
    plt.close("all")


def test_one_financial_year_gives_no_series(tmp_path):
    d = analyst_dataset(tmp_path / "data")
    d.tables["rocu_resources"] = d.rocu_resources[d.rocu_resources["financial_year"].astype(str) == YEARS[0]]
    keys = keys_for(build_context(d))
    assert "resourcing_over_time" not in keys and "ski_budget_per_100k" in keys


def test_published_money_and_people_keeps_qualifiers_and_years(ds):
    fig, meta = make_figure("published_money_people", build_context(ds))
    assert "EMSOU officers and staff: more than 1,400 officers and staff (2015)" in meta.alt_text
    assert "London home office rocu grant: just over £2.1m (2018-19)" in meta.alt_text
    assert "hucknall-2015-12-02-emsou" in meta.source_line
    plt.close("all")


# -- words helpers ------------------------------------------------------------------------------


def test_gap_label_depends_on_analyst_rows(ds, analyst):
    assert gap_label(ds) == "not published"
    assert gap_label(analyst[0]) == "not in the data"


def test_source_line_names_every_source_drawn_once(ds):
    line = source_line(
        ds,
        source_ids(
            pd.DataFrame({"source_id": ["wq-211818", "wq-211818"]}),
            pd.DataFrame({"source_ids": ["hmic-2015-news;wq-211818"]}),
        ),
    )
    assert line.startswith("Sources: wq-211818 (") and line.count("wq-211818") == 1
    assert "hmic-2015-news (" in line
    assert source_line(ds, []) == "Source: no sourced rows are drawn."


def test_a_reference_over_one_rocu_says_one_rocu(analyst):
    import dataclasses

    ds = analyst[0]
    res = ds.tables["rocu_resources"]
    one = dataclasses.replace(ds, tables={**ds.tables, "rocu_resources": res[res["rocu_id"].astype(str) == "nersou"]})
    fig, meta = make_figure("ski_budget_per_100k", build_context(one))
    plt.close(getattr(fig, "figure_", fig))
    assert "1 ROCU with values (weighted)" in meta.alt_text and "1 ROCUs" not in meta.alt_text
