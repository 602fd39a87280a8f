# %% [markdown]
# # 04 · How far apart are the regional models?
#
# **What this answers:** how different the ROCUs are, on which attributes, which units resemble each other, and
# how sure we can be given the weights we chose and the gaps in the data.
#
# **Data:** the ROCU profiles at 30 June 2015 (structure, demand, history, governance from public data; inspection
# grades only where published by that date;
# resourcing and capability status only if you load them). Distances are Gower (1971) distances that skip
# attributes missing for either unit; each attribute group counts equally.

# %%
import os

from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare.compare import compare_rocus
from rocu_compare.report import build_context, show
from rocu_compare.report.catalog import rocu_label

DATA = os.environ.get("ROCU_DATA") or None
ds = rc.load(DATA, fallback=DATA is not None)
ctx = build_context(ds)
cmp = ctx.comparison

# %% [markdown]
# ## What is compared

# %%
cmp.profiles.attributes()

# %%
meta = show("data_completeness", ctx)

# %% [markdown]
# ## The distances

# %%
s = cmp.spread
display(Markdown(
    f"Mean pairwise distance: **{s['mean_distance']:.2f}** on a 0–1 scale ({s['n_pairs_used']} pairs). Closest: "
    f"{rocu_label(s['min_pair'][0])} and {rocu_label(s['min_pair'][1])} ({s['min_distance']:.2f}); furthest: "
    f"{rocu_label(s['max_pair'][0])} and {rocu_label(s['max_pair'][1])} ({s['max_distance']:.2f}). "
    f"The units agree on {s['n_attributes_agree']} of {s['n_attributes_assessed']} attributes."))

# %%
meta = show("distance_heatmap", ctx)

# %%
meta = show("mds_map", ctx)

# %%
meta = show("nearest_peers", ctx)

# %% [markdown]
# ## Spread per attribute
# Coefficient of variation, Gini and max/min ratio; bootstrap intervals only where n allows (small n is flagged).

# %%
cmp.dispersion[["n", "cv", "cv_ci_low", "cv_ci_high", "gini", "max_min_ratio", "small_n"]].round(2)

# %% [markdown]
# ## How robust is this?

# %%
meta = show("robustness_peers", ctx)

# %%
cmp.robustness.draws.groupby("kind")[["spearman_vs_baseline", "ari_vs_baseline"]].describe().round(2)

# %% [markdown]
# ## Without London
# London is not a ROCU as such; it dominates several structural attributes. The same comparison without it:

# %%
no_london = compare_rocus(ds, exclude=["london"], n_draws=50)
display(Markdown(f"Mean pairwise distance without London: **{no_london.spread['mean_distance']:.2f}** "
                 f"(with London: {s['mean_distance']:.2f})."))

# %% [markdown]
# ## Caveats
# - With public data the comparison rests mostly on the forces each unit serves; the differences HMIC described
#   (capabilities, funding, governance) are largely unpublished. Load your own data to compare on them.
# - Gower ranges are taken over the units compared: adding or removing a unit rescales every attribute.
# - Nine or ten units are too few for stable clusters: read the robustness table before quoting a cluster.
#
# ## Next steps
# - Change `weights={"structure": 0.5, ...}` or `groups=[...]` in `compare_rocus`; see `06_your_own_data`.
