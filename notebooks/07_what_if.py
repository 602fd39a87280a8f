# %% [markdown]
# # 07 · What if the units had been designed as one system?
#
# **What this answers:** what difference piecemeal development made to how unequal the units are, by comparing
# the units as built with a designed configuration (each force in the unit of its police region, Wales as one unit
# of its four forces), and whether the units have drifted together or apart over the years.
#
# **Data:** force membership as built (dated spells), the forces' residents (ONS mid-year estimates), officers
# (Home Office open data), areas and crime severity; each series is used only within a year of the date asked
# about. A configuration is data: `ds.with_membership(mapping)` accepts a dict, a DataFrame or a `force,unit`
# file, and every analysis then runs on it unchanged.

# %%

from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare import scenarios
from rocu_compare.compare.configurations import compare_configurations, compare_over_time
from rocu_compare.report import build_context, show
from rocu_compare.report.catalog import default_dates

ds = rc.load_from_env()  # the bundled data, or yours: ROCU_DATA (+ ROCU_WITH_BUNDLED, ROCU_REPLACE)
AS_AT = "2015-06-30"

# %% [markdown]
# ## One scenario: units aligned to the police regions
# Each named configuration comes with a one-line description computed from the data.

# %%
built = scenarios.as_built(ds, AS_AT)
try:
    aligned = scenarios.aligned_to_regions(ds, AS_AT)
except ValueError as err:  # e.g. a region none of whose forces is in a unit in this data
    raise rc.NotApplicable(f"the what-if configurations need every police region in a unit: {err}") from None
display(Markdown(f"- **{built.name}**: {built.description}\n- **{aligned.name}**: {aligned.description}"))

# %%
result = compare_configurations(ds, {built.name: built, aligned.name: aligned}, AS_AT)
display(Markdown(result.headline))
result.moves

# %% [markdown]
# The dispersion of each size and rate measure under each configuration (CV with its bootstrap interval,
# max/min ratio, Gini; `small_n` flags fewer than five units):

# %%
result.dispersion[
    ["label", "n", "min", "max", "cv", "cv_ci_low", "cv_ci_high", "max_min_ratio", "gini", "small_n"]
].round(3)

# %%
display(
    Markdown(
        f"Mean pairwise Gower distance: **{result.mean_distance[built.name]:.3f}** as built and "
        f"**{result.mean_distance[aligned.name]:.3f}** aligned. Notes: "
        + ("; ".join(n for notes in result.notes.values() for n in notes) or "none")
        + "."
    )
)

# %%
ctx = build_context(ds, as_at=AS_AT)
meta = show("whatif_maps", ctx)

# %%
meta = show("whatif_dispersion", ctx)

# %% [markdown]
# ## Kent either way
# Kent's unit in 2015 is the better-supported reading of uncertain sources; the two placements bound it.

# %%
kent = compare_configurations(
    ds, [scenarios.kent_in_serocu(ds, AS_AT), scenarios.kent_in_ersou(ds, AS_AT)], AS_AT, n_boot=200
)
display(Markdown(kent.headline))

# %% [markdown]
# ## Over time: converging or diverging?
# The comparison at 30 June of each year from the first year every unit had member forces to the latest
# population estimate held. A series more than a year from a date is missing there, never carried forward.

# %%
dates = default_dates(ds)
over = compare_over_time(ds, dates)
display(Markdown("\n".join(f"- {s}" for s in over.statements)))
over.distance

# %%
meta = show("whatif_over_time", ctx)

# %% [markdown]
# Which year each series used at each date:

# %%
over.dispersion.xs("population_persons", level="attribute")[["n", "cv", "series_used"]]

# %% [markdown]
# ## Caveats
# - A designed configuration is a what-if: the aligned units never existed, and a designed unit has no history,
#   governance or inspection grade, so its distances to other units rest on fewer attributes.
# - With about ten units the CV and the mean distance move with a single force; the statements give the number of
#   units and years behind every change and no test of significance is implied.
# - Membership dates are those of the agreements the sources give (Kent: 10 November 2016); the dates functions
#   actually moved are not published.
# - Budgets, ROCU staff and capability status are not public: with analyst `rocu_resources` for several financial
#   years, budget and staff per head join the over-time series.
#
# ## Next steps
# - Try your own design: `ds.with_membership("my_units.csv")` with columns `force,unit` (and `unit_name` for a new
#   unit), or `rocu-compare report --scenario my_units.csv --as-at 2019-06-30`.
# - Extend the series with a newer release: `rocu-compare build-data --workforce FILE --population FILE`.
