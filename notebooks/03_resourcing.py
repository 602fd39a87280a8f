# %% [markdown]
# # 03 · Resourcing: money and people
#
# **What this answers:** what is published about ROCU money (national totals and a few per-unit grants), what the
# constituent forces bring (officers, workforce, demand), and where per-ROCU budgets would go if you have them.
#
# **Data:** national funding facts (with their qualifiers), per-force workforce, population and crime severity,
# and any `rocu_resources` you load. Every figure names its sources.

# %%

from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare import piecemeal as pm
from rocu_compare.report import build_context, keys_for, show
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
# ## National money, as published

# %%
series = pm.national_funding_series(ds)
cols = ["measure", "period", "value_gbp_million", "qualifier", "excluded_rocu_ids", "source_id"]
series[series["measure"].isin(["core_capability_spend", "total_rocu_funding", "combined_operating_budget"])][cols]

# %%
core = series[series["measure"] == "core_capability_spend"].dropna(subset=["year_start"]).sort_values("year_start")
if len(core) >= 2:
    first, last = core.iloc[0], core.iloc[-1]
    change = last.value_gbp_million / first.value_gbp_million - 1
    display(
        Markdown(
            f"National spend on ROCU core capabilities went from £{first.value_gbp_million:g}m ({first.period}) to "
            f"£{last.value_gbp_million:g}m ({last.period}), nominal: {100 * abs(change):.0f}% "
            f"{'more' if change >= 0 else 'less'} in {last.year_start - first.year_start} years. No deflator is shipped "
            "as sourced data, so no real-terms figure is given."
        )
    )
else:
    display(Markdown(f"A national core-capability spend series (two or more years) is {gap_label(ds)}."))

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
# ## Per-ROCU budgets and staff
# The figures below are drawn from `rocu_resources` when it has rows; otherwise one entry says it is missing.

# %%
for key in keys_for(
    ctx,
    [
        "ski_budget_per_100k",
        "ski_budget_per_force_officer",
        "ski_rocu_fte_per_100k",
        "ski_grant_share",
        "resourcing_over_time",
        "resourcing_not_in_data",
        "published_money_people",
    ],
):
    meta = show(key, ctx)

# %%
from rocu_compare.compare import profiles

p = profiles(ds, "2015-06-30")
res = p.select(groups=["resourcing"])
display(Markdown(f"ROCUs with a budget loaded: **{int(p.frame['budget_gbp'].notna().sum())}** of {len(p.frame)}."))
res.frame

# %% [markdown]
# ## Caveats
# - Core-capability spend, total ROCU funding and the combined operating budget are different measures; which
#   figures leave some units out is in the `excluded_rocu_ids` column above.
# - Qualifiers ("just over", "around") are part of the figure: read £101m as "just over £101m".
# - Force officer counts include officers working in ROCUs, attributed differently by force and year.
#
# ## Next steps
# - Bring budgets with `rocu-compare template` → fill `rocu_resources` → `06_your_own_data`.
