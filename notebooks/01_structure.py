# %% [markdown]
# # 01 · How the ROCUs are structured
#
# **What this answers:** which forces each Regional Organised Crime Unit (ROCU) served when HMIC inspected all ten
# in 2015, how big each unit's area is (residents, officers, area), and how that changed later.
#
# **Data:** the bundled public dataset (`rocu_compare.load()`), or your own folder/workbook if `ROCU_DATA` is set:
# membership spells, the forces, their officers FTE, mid-year population and approximate areas. The cell after the
# imports names the data in use; every figure names its sources.

# %%

from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare.report import build_context, show
from rocu_compare.report.catalog import rocu_label
from rocu_compare.report.words import gap_label, units_served_sentence

ds = rc.load_from_env()  # the bundled data, or yours: ROCU_DATA (+ ROCU_WITH_BUNDLED, ROCU_REPLACE)
ctx = build_context(ds)

# %%
display(
    Markdown(
        f"Data: **{ds.data_name}**"
        + (" with the analyst's own rows" if ds.has_analyst_data else "")
        + f"; a missing value reads *{gap_label(ds)}*."
    )
)

# %% [markdown]
# ## Who belonged to which unit in mid-2015
# A small table first: the ROCU context at 30 June 2015, each series at its nearest available date.

# %%
c = ds.rocu_context("2015-06-30")
c[
    [
        "n_forces",
        "population_persons",
        "population_year",
        "officers_fte",
        "officers_per_100k_population",
        "area_km2_approx",
    ]
].round(1)

# %%
display(Markdown(units_served_sentence(c, "mid-2015", gap_label(ds))))

# %%
meta = show("map_rocu_areas_2015", ctx)

# %%
meta = show("ski_officers_per_100k", ctx)

# %%
meta = show("ski_population_density", ctx)

# %% [markdown]
# ## What changed later

# %%
from rocu_compare import piecemeal as pm

change = pm.structure_2015_vs_latest(ds)
change.changes

# %%
meta = show("map_rocu_areas_later", ctx)

# %%
informal = pm.no_formal_rocu_ids(ds)
display(
    Markdown(
        f"Units counted here but recorded as *no formal ROCU* (rocus.collaboration_instrument): "
        f"{', '.join(rocu_label(i) for i in sorted(informal))}."
        if informal
        else "Every unit in the data is recorded as a formal ROCU."
    )
)

# %% [markdown]
# ## Caveats
# - Officer numbers are those of the member forces (ROCU officers are employed by forces); how forces count
#   officers working in ROCUs varies.
# - Areas come from ultra-generalised boundaries: a few per cent off for small or coastal forces.
# - A membership spell starts on the date its source gives (often an agreement date); functions may have moved later.
#
# ## Next steps
# - `02_capabilities` for what the units provide; `04_how_far_apart` to compare them on every attribute at once.
