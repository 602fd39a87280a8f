# %% [markdown]
# # 02 · Capabilities: what each ROCU is known to provide
#
# **What this answers:** which of the specialist capabilities (undercover, surveillance, cyber crime, asset
# recovery, prison intelligence, protected persons …) have evidence in each ROCU, and how many of the capabilities
# assessed a unit delivered where a source says.
#
# **Data:** the capability catalogue (names and how well each is attested), presence evidence (ROCU sites, press,
# tracker comments), delivered counts stated in the facts table, and — if you load it — your own
# `capability_status` table (HMIC-style delivered / partly / not delivered by year).

# %%

from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare import piecemeal as pm
from rocu_compare.report import build_context, show
from rocu_compare.report.words import gap_label

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
# ## The catalogue: how well each name is attested

# %%
ds.capabilities.groupby("attestation", observed=True).size().rename("names")

# %%
named = ds.capabilities[ds.capabilities["attestation"] == "named-by-hmic"]["capability"].tolist()
f = ds.facts
hmic = f[
    (f["subject"].astype(str) == "national")
    & (f["measure"].astype(str) == "specialist_capabilities")
    & (f["period"].astype(str) == "2015")
]
n_hmic = int(float(hmic["value"].iloc[0])) if len(hmic) else None
display(
    Markdown(
        f"**{len(named)}** names are tied by HMIC or HMICFRS text to the "
        + (f"{n_hmic} capabilities HMIC counted in 2015" if n_hmic else "HMIC capabilities")
        + (f": {', '.join(named)}." if named else ".")
        + (f" The other {n_hmic - len(named)} names are {gap_label(ds)}." if n_hmic and n_hmic > len(named) else "")
    )
)

# %% [markdown]
# ## Public evidence by ROCU

# %%
meta = show("capability_evidence", ctx)

# %% [markdown]
# ## Capabilities delivered (where a number is published)

# %%
counts = pm.delivered_counts_at(ds, ctx.as_at)  # one row per ROCU, the year nearest the profile date
counts

# %%
known = counts.dropna(subset=["n_delivered"])
display(
    Markdown(
        f"A delivered count is known for **{len(known)}** of {len(counts)} ROCUs with the data loaded."
        + "".join(f"\n- {r.rocu_id}, {r.as_at}: {r.basis}" for r in known.itertuples())
    )
)

# %%
meta = show("ski_capabilities_delivered", ctx)

# %% [markdown]
# ## Caveats
# - Presence evidence is not HMIC's judgement; a blank cell is not evidence of absence.
# - Many pages are undated current pages: they describe the unit when written, not necessarily in 2015.
# - A count derived from the facts table (total assessed minus the number a source says were not delivered) does
#   not say which capabilities, and "delivered" there may include partly delivered: see each count's basis above.
#
# ## Next steps
# - Load your own `capability_status` (see `06_your_own_data`) to compare delivery by capability and year.
