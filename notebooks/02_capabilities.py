# %% [markdown]
# # 02 · Capabilities: what each ROCU is known to provide
#
# **What this answers:** which of the specialist capabilities (undercover, surveillance, cyber crime, asset
# recovery, prison intelligence, protected persons …) have public evidence in each ROCU, and how many of HMIC's 13
# capabilities a unit delivered where a source says.
#
# **Data:** the capability catalogue (names and how well each is attested), presence evidence from ROCU sites,
# press and tracker comments, the South West PCC's December 2015 response, and — if you load it — your own
# `capability_status` table (HMIC-style delivered / partly / not delivered by year).

# %%

from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare import piecemeal as pm
from rocu_compare.report import build_context, show

ds = rc.load_from_env()  # the bundled data, or yours: ROCU_DATA (+ ROCU_WITH_BUNDLED, ROCU_REPLACE)
ctx = build_context(ds)

# %% [markdown]
# ## The catalogue: how well each name is attested

# %%
ds.capabilities.groupby("attestation", observed=True).size().rename("names")

# %%
named = ds.capabilities[ds.capabilities["attestation"] == "named-by-hmic"]["capability"].tolist()
display(Markdown(f"Only **{len(named)}** names are tied by HMIC or HMICFRS text to the 13 capabilities: "
                 f"{', '.join(named)}. HMIC's full list (Annex A) is not public."))

# %% [markdown]
# ## Public evidence by ROCU

# %%
meta = show("capability_evidence", ctx)

# %% [markdown]
# ## Capabilities delivered (where a number is published)

# %%
counts = pm.capabilities_delivered_counts(ds)
counts

# %%
known = counts.dropna(subset=[c for c in counts.columns if "delivered" in c][:1])
display(Markdown(f"A delivered count is known for **{len(known)}** of {len(counts)} ROCUs with the data loaded."))

# %%
meta = show("ski_capabilities_delivered", ctx)

# %% [markdown]
# ## Caveats
# - Presence evidence is not HMIC's judgement; a blank cell is not evidence of absence.
# - Many pages are undated current pages: they describe the unit when written, not necessarily in 2015.
# - The South West count (10 of 13) is derived: 13 capabilities (HMIC 2015) minus the 3 the PCC says were not
#   delivered; which three is not stated, and "delivered" may include partly delivered.
#
# ## Next steps
# - Load your own `capability_status` (see `06_your_own_data`) to compare delivery by capability and year.
