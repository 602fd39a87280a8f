# %% [markdown]
# # 04 · How far apart are the regional models?
#
# **What this answers:** how different the ROCUs are, on which attributes, which units resemble each other, and
# how sure we can be given the weights we chose and the gaps in the data.
#
# **Data:** the ROCU profiles at 30 June 2015: every attribute group with data for two or more ROCUs (listed below;
# resourcing and capability status need `rocu_resources` and `capability_status`). Distances are Gower (1971)
# distances that skip attributes missing for either unit; each attribute group counts equally.

# %%
import os

from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare.compare import compare_rocus
from rocu_compare.report import build_context, show
from rocu_compare import piecemeal as pm
from rocu_compare.report.catalog import rocu_label
from rocu_compare.report.words import gap_label

DATA = os.environ.get("ROCU_DATA") or None
ds = rc.load(DATA, fallback=DATA is not None)
ctx = build_context(ds)
cmp = ctx.comparison

# %%
display(Markdown(f"Data: **{ds.data_name}**" + (" with the analyst's own rows" if ds.has_analyst_data else "")
                 + f"; a missing value reads *{gap_label(ds)}*."))

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
if cmp.robustness is not None:
    display(cmp.robustness.draws.groupby("kind")[["spearman_vs_baseline", "ari_vs_baseline"]].describe().round(2))

# %% [markdown]
# ## Without the units that are not a ROCU as such
# Units recorded as "no formal ROCU" (`rocus.collaboration_instrument`) can dominate structural attributes. The same
# comparison without them:

# %%
informal = sorted(pm.no_formal_rocu_ids(ds))
if informal:
    without = compare_rocus(ds, exclude=informal, n_draws=50)
    display(Markdown(f"Mean pairwise distance without {', '.join(rocu_label(i) for i in informal)}: "
                     f"**{without.spread['mean_distance']:.2f}** (with: {s['mean_distance']:.2f})."))
else:
    display(Markdown("Every unit in the data is recorded as a formal ROCU: nothing to leave out."))

# %%
from rocu_compare.compare.profiles import GROUPS

missing = [g for g in GROUPS if g not in set(cmp.profiles.groups.values())]
display(Markdown(
    f"Compared on {len(cmp.profiles.frame.columns)} attributes for {len(cmp.distance)} units. "
    + (f"Groups not compared ({gap_label(ds)} for two or more ROCUs): {', '.join(missing)}." if missing
       else "Every attribute group is compared.")))

# %% [markdown]
# ## Caveats
# - The groups not compared (listed above) are differences the comparison cannot see; load your own data to
#   compare on them.
# - Gower ranges are taken over the units compared: adding or removing a unit rescales every attribute.
# - A handful of units is too few for stable clusters: read the robustness figure before quoting a cluster.
#
# ## Next steps
# - Change `weights={"structure": 0.5, ...}` or `groups=[...]` in `compare_rocus`; see `06_your_own_data`.
