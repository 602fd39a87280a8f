# %% [markdown]
# # 03 · Resourcing: money and people
#
# **What this answers:** what is published about ROCU money (national totals and a few per-unit grants), what the
# constituent forces bring (officers, workforce, demand), and where per-ROCU budgets would go if you have them.
#
# **Data:** national funding facts from parliamentary answers (with their qualifiers), per-force workforce
# (Home Office), population (ONS), crime severity (ONS), and any `rocu_resources` you load.

# %%

from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare import piecemeal as pm
from rocu_compare.report import build_context, show

ds = rc.load_from_env()  # the bundled data, or yours: ROCU_DATA (+ ROCU_WITH_BUNDLED, ROCU_REPLACE)
ctx = build_context(ds)

# %% [markdown]
# ## National money, as published

# %%
series = pm.national_funding_series(ds)
cols = ["measure", "period", "value_gbp_million", "qualifier", "is_london_excluded", "source_id"]
series[series["measure"].isin(["core_capability_spend", "total_rocu_funding", "combined_operating_budget"])][cols]

# %%
core = series[series["measure"] == "core_capability_spend"].sort_values("year_start")
first, last = core.iloc[0], core.iloc[-1]
display(Markdown(
    f"National spend on ROCU core capabilities went from £{first.value_gbp_million:g}m ({first.period}) to "
    f"£{last.value_gbp_million:g}m ({last.period}), nominal: "
    f"{100 * (last.value_gbp_million / first.value_gbp_million - 1):.0f}% more in {last.year_start - first.year_start} "
    "years. No deflator is shipped as sourced data, so no real-terms figure is given."))

# %%
meta = show("national_funding", ctx)

# %%
shares = pm.funding_shares(ds)
shares

# %% [markdown]
# ## What the member forces bring

# %%
meta = show("ski_crime_severity", ctx)

# %% [markdown]
# ## Per-ROCU budgets
# Per-ROCU budgets and staff are not published. If `rocu_resources` is loaded, the profile below fills in.

# %%
from rocu_compare.compare import profiles

p = profiles(ds, "2015-06-30")
res = p.select(groups=["resourcing"])
display(Markdown(f"ROCUs with a budget loaded: **{int(p.frame['budget_gbp'].notna().sum())}** of {len(p.frame)}."))
res.frame

# %% [markdown]
# ## Caveats
# - Core-capability spend, total ROCU funding and the combined operating budget are different measures; the
#   2018/19 budget excludes London.
# - Qualifiers ("just over", "around") are part of the figure: read £101m as "just over £101m".
# - Force officer counts include officers working in ROCUs, attributed differently by force and year.
#
# ## Next steps
# - Bring budgets with `rocu-compare template` → fill `rocu_resources` → `06_your_own_data`.
