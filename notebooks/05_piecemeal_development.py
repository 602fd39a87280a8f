# %% [markdown]
# # 05 · The effect of piecemeal development
#
# **What this answers:** HMIC found in 2015 that the ROCUs "evolved in a piecemeal way". When was each founded,
# how far apart in time, which forces sit outside their police region's unit, how national money moved, whether
# older units got better later grades, and whether forces followed HMIC's Recommendation 5.
#
# **Data:** events, membership spells, founding dates (with conflicts kept), national funding facts, HMICFRS
# regional grades (2022–25) and the HMICFRS recommendation tracker (10 forces).

# %%
import os

from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare import piecemeal as pm
from rocu_compare.report import build_context, show

DATA = os.environ.get("ROCU_DATA") or None
ds = rc.load(DATA, fallback=DATA is not None)
ctx = build_context(ds)

# %% [markdown]
# ## When each unit was founded

# %%
fr = pm.founding_ranges(ds)
fr[["founded_earliest", "founded_latest", "founded_used", "is_conflicting", "not_published", "source_ids"]]

# %%
span = pm.founding_year_span(ds)
display(Markdown(f"Founding years run from **{span['earliest']} to {span['latest']}** ({span['span_years']} years) "
                 f"for the {span['n_known']} units with a published year; {span['n_unknown']} have none. Where "
                 "sources conflict (EMSOU, Tarian) the earliest year is used and the range is shown."))

# %%
meta = show("development_timeline", ctx)

# %% [markdown]
# ## Forces outside their police region's unit

# %%
for date in ("2015-06-30", "2020-01-01"):
    m = pm.misalignment_summary(ds, date).iloc[0]
    display(Markdown(f"**{date}:** {m['misaligned_forces']} — {100 * m['share_population']:.1f}% of residents "
                     f"(mid-{int(m['population_year'])}) and {100 * m['share_officers_fte']:.1f}% of officers."))

# %%
meta = show("membership_mismatch", ctx)

# %% [markdown]
# ## Money over time (nominal)

# %%
meta = show("national_funding", ctx)

# %% [markdown]
# ## Did older units get better grades later?

# %%
mat = pm.maturity_vs_grade(ds)
mat.table[["founded_used", "years_since_founding", "grade", "note"]]

# %%
display(Markdown(f"Spearman rho = **{mat.rho:.2f}** (exact p = {mat.p_value:.2f}, n = {mat.n}). {mat.warning}"))
meta = show("maturity_vs_grade", ctx)

# %% [markdown]
# ## Divergence over time

# %%
status = pm.divergence_status(ds)
display(Markdown(status.message))

# %% [markdown]
# ## Follow-through on Recommendation 5 (OCG mapping to ROCUs by September 2017)

# %%
ft = pm.recommendation_followthrough(ds)
ft

# %%
done = ft.dropna(subset=["months_past_deadline"])
cov = pm.recommendation_coverage(ds)
display(Markdown(f"{len(done)} forces recorded completion, {int(done['months_past_deadline'].min())} to "
                 f"{int(done['months_past_deadline'].max())} months after the deadline. Only {len(ft)} of 43 forces "
                 "have a public tracker record: absence of a record is not non-compliance."))

# %% [markdown]
# ## Caveats
# - Founding years are the first date a source gives, not a measure of capability; three are not published.
# - The grade comparison has n ≤ 9 and compares ranks only: it cannot carry a causal claim.
# - Kent's move date is the agreement date; its functions may have moved later.
#
# ## Next steps
# - With capability status by year (analyst data), `pm.divergence_by_year` answers "did the models converge?".
