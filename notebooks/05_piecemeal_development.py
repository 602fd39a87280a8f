# %% [markdown]
# # 05 · The effect of piecemeal development
#
# **What this answers:** HMIC found in 2015 that the ROCUs "evolved in a piecemeal way". When was each founded,
# how far apart in time, which forces sit outside their police region's unit, how national money moved, whether
# older units got better later grades, and whether forces followed HMIC's Recommendation 5.
#
# **Data:** events, membership spells, founding dates (with conflicts kept), national funding facts, HMICFRS
# regional grades and the HMICFRS recommendation tracker, as loaded.

# %%

from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare import piecemeal as pm
from rocu_compare.report import build_context, show
from rocu_compare.report.catalog import rocu_label
from rocu_compare.report.words import gap_label, misalignment_sentence

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
# ## When each unit was founded

# %%
fr = pm.founding_ranges(ds)
fr[["founded_earliest", "founded_latest", "founded_used", "is_conflicting", "not_published", "source_ids"]]

# %%
span = pm.founding_year_span(ds)
conflicting = [rocu_label(i) for i in fr.index[fr["is_conflicting"].fillna(False)]]
unknown = f"{', '.join(rocu_label(i) for i in span['unknown'])}: {gap_label(ds)}"
display(
    Markdown(
        (
            f"Founding years run from **{span['earliest']} to {span['latest']}** ({span['span_years']} years) for the "
            f"{span['n_known']} units with a founding year; {span['n_unknown']} have none"
            + (f" ({unknown}). " if span["n_unknown"] else ". ")
            if span["n_known"]
            else "No founding year is in the data. "
        )
        + (
            f"Where sources conflict ({', '.join(conflicting)}) the earliest year is used and the range is shown."
            if conflicting
            else "No founding dates conflict."
        )
    )
)

# %%
meta = show("development_timeline", ctx)

# %% [markdown]
# ## Forces outside their police region's unit

# %%
for date in ("2015-06-30", "2020-01-01"):
    display(Markdown(misalignment_sentence(pm.misalignment_summary(ds, date).iloc[0], date, gap_label(ds))))

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
has_rec5 = "ocg-mapping-to-rocus" in set(ds.recommendations["recommendation_id"].astype(str))
ft = pm.recommendation_followthrough(ds) if has_rec5 else None
ft if has_rec5 else Markdown(f"Recommendation 5 and its tracker records are {gap_label(ds)}.")

# %%
done = ft.dropna(subset=["months_past_deadline"]) if has_rec5 else None
if has_rec5:
    display(
        Markdown(
            (
                f"{len(done)} forces recorded completion, {int(done['months_past_deadline'].min())} to "
                f"{int(done['months_past_deadline'].max())} months after the deadline. "
                if len(done)
                else "No force has a recorded completion date. "
            )
            + f"{len(ft)} of {len(ds.forces)} forces have a tracker record: absence of a record is not "
            "non-compliance."
        )
    )

# %% [markdown]
# ## Caveats
# - Founding years are the first date a source gives, not a measure of capability; units without one are listed
#   above.
# - The grade comparison has n ≤ 9 and compares ranks only: it cannot carry a causal claim.
# - A membership spell starts on the date its source gives (often an agreement date); functions may have moved
#   later.
#
# ## Next steps
# - With capability status by year (analyst data), `pm.divergence_by_year` answers "did the models converge?".
