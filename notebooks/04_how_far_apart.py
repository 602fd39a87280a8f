# %% [markdown]
# # 04 · How far apart are the regional models?
#
# **What this answers:** how different the ROCUs are, on which attributes, which units resemble each other, and
# how sure we can be given the weights we chose and the gaps in the data.
#
# **Data:** the ROCU profiles at 30 June 2015: every attribute group with data for two or more ROCUs, the operating
# model among them (listed below; inspection grades only where published by that date; resourcing and capability
# status need `rocu_resources` and `capability_status`). Distances are Gower (1971) distances that skip attributes
# missing for either unit; each attribute group counts equally.

# %%

import pandas as pd
from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare import piecemeal as pm
from rocu_compare.compare import compare_rocus
from rocu_compare.report import build_context, show
from rocu_compare.report.catalog import rocu_label
from rocu_compare.report.words import gap_label

ds = rc.load_from_env()  # the bundled data, or yours: ROCU_DATA (+ ROCU_WITH_BUNDLED, ROCU_REPLACE)
ctx = build_context(ds)
cmp = ctx.comparison

# %%
display(
    Markdown(
        f"Data: **{ds.data_name}**"
        + (" with the analyst's own rows" if ds.has_analyst_data else "")
        + f"; a missing value reads *{gap_label(ds)}*."
    )
)

# %% [markdown]
# ## What is compared

# %%
cmp.profiles.attributes()

# %%
meta = show("data_completeness", ctx)

# %% [markdown]
# ## The operating models
# What each unit does and how it is run, coded from sourced evidence (`rocu_model_evidence`): remits, senior lead
# rank, partner agencies, catalogue units with evidence of presence, and the governance codes. Each attribute's rule
# is in its note above; a gap is "not found", never "no".

# %%
meta = show("operating_models", ctx)

# %% [markdown]
# ## The distances

# %%
s = cmp.spread
display(
    Markdown(
        f"Mean pairwise distance: **{s['mean_distance']:.2f}** on a 0–1 scale ({s['n_pairs_used']} pairs). Closest: "
        f"{rocu_label(s['min_pair'][0])} and {rocu_label(s['min_pair'][1])} ({s['min_distance']:.2f}); furthest: "
        f"{rocu_label(s['max_pair'][0])} and {rocu_label(s['max_pair'][1])} ({s['max_distance']:.2f}). "
        f"The units agree on {s['n_attributes_agree']} of {s['n_attributes_assessed']} attributes."
    )
)

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
# ## With and without the operating model
# The same comparison without the `model` group shows what the operating-model evidence adds: which pairs of units
# move, by how much, and on which attributes.

# %%
from rocu_compare.compare import group_effect

if "model" in cmp.profiles.group_names:
    eff = group_effect(ds, "model", ctx.as_at)
    top = eff.pairs.head(3)
    apart = eff.pairs[eff.pairs["change"] > 0].head(1)
    top = pd.concat([top, apart[~apart.index.isin(top.index)]])
    lines = []
    for r in top.itertuples():
        way = "closer" if r.change < 0 else "further apart"
        rel = "less" if r.group_distance < r.distance_without else "more"
        lines.append(
            f"- **{rocu_label(r.unit_a)}–{rocu_label(r.unit_b)}** move {way}: {r.distance_without:.2f} → "
            f"{r.distance_with:.2f} ({r.change:+.2f}). On the {r.n_group_attributes} model attributes both have, they "
            f"are {r.group_distance:.2f} apart, {rel} than on the other groups ({r.distance_without:.2f}); they differ "
            f"on {r.drivers or 'none of them'}."
        )
    n_closer = int((eff.pairs["change"] < 0).sum())
    dropped = ", ".join(eff.dropped) or "none"
    display(
        Markdown(
            f"Mean pairwise distance with the model group: **{eff.mean_with:.3f}**; without it: **{eff.mean_without:.3f}**. "
            f"{n_closer} of {len(eff.pairs)} pairs move closer, {len(eff.pairs) - n_closer} further apart or not at all; "
            f"the largest move is {eff.pairs['change'].abs().max():.2f}. The pairs that move most (and the pair pushed furthest apart):\n\n"
            + "\n".join(lines)
            + f"\n\nModel attributes found for fewer than two units, which cannot separate any pair: {dropped}."
        )
    )
else:
    display(Markdown("No operating-model attribute is observed for two units in this dataset."))

# %%
eff.pairs.head(10).round(3) if "model" in cmp.profiles.group_names else None

# %% [markdown]
# ## Without the units that are not a ROCU as such
# Units recorded as "no formal ROCU" (`rocus.collaboration_instrument`) can dominate structural attributes. The same
# comparison without them:

# %%
informal = sorted(pm.no_formal_rocu_ids(ds))
if informal:
    without = compare_rocus(ds, exclude=informal, n_draws=50)
    display(
        Markdown(
            f"Mean pairwise distance without {', '.join(rocu_label(i) for i in informal)}: "
            f"**{without.spread['mean_distance']:.2f}** (with: {s['mean_distance']:.2f})."
        )
    )
else:
    display(Markdown("Every unit in the data is recorded as a formal ROCU: nothing to leave out."))

# %%
from rocu_compare.compare.profiles import GROUPS

missing = [g for g in GROUPS if g not in set(cmp.profiles.groups.values())]
display(
    Markdown(
        f"Compared on {len(cmp.profiles.frame.columns)} attributes for {len(cmp.distance)} units. "
        + (
            f"Groups not compared ({gap_label(ds)} for two or more ROCUs): {', '.join(missing)}."
            if missing
            else "Every attribute group is compared."
        )
    )
)

# %% [markdown]
# ## Caveats
# - With public data the comparison rests mostly on the forces each unit serves; the differences HMIC described
#   (capabilities, funding, governance) are largely unpublished. Load your own data to compare on them.
# - The operating-model evidence is presence evidence, not a census, and mostly undated: counts of partner agencies
#   and units are lower bounds, and a remit found for one unit only cannot separate any pair. Pass
#   `evidence="indicated"` to `compare_rocus` to count weaker evidence too.
# - The groups not compared (listed above) are differences the comparison cannot see; load your own data to
#   compare on them.
# - Gower ranges are taken over the units compared: adding or removing a unit rescales every attribute.
# - A handful of units is too few for stable clusters: read the robustness figure before quoting a cluster.
#
# ## Next steps
# - Change `weights={"structure": 0.5, ...}` or `groups=[...]` in `compare_rocus`; see `06_your_own_data`.
