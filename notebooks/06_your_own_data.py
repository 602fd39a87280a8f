# %% [markdown]
# # 06 · Your own data: template → fill → validate → the same analysis
#
# **What this answers:** how to bring the figures that are not public — per-ROCU budgets, staff, capability
# status — and run exactly the same analysis on them.
#
# **Data:** an empty template written here, filled with a few **made-up demonstration rows** (clearly not real
# figures), validated, then loaded with the bundled public tables as fallback.

# %%
import tempfile
from pathlib import Path

import openpyxl
from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare.compare import compare_rocus
from rocu_compare.workbook import write_template

work = Path(tempfile.mkdtemp())
template = write_template(work / "my_rocu_data.xlsx")
wb = openpyxl.load_workbook(template)
display(Markdown(f"The template has one sheet per table ({len(wb.sheetnames) - 2} tables) plus README and "
                 "data_dictionary sheets. On the command line: `rocu-compare template my_rocu_data.xlsx`."))

# %% [markdown]
# ## Fill it in
# Here we add demonstration rows. **These numbers are invented for the demonstration**; each row cites a source id,
# which must exist in the `sources` sheet (here the bundled one is used via fallback) — cite your own return.

# %%
ws = wb["rocu_resources"]
demo = {"nersou": 9.0, "nwrocu": 21.0, "yhrocu": 15.0, "emsou": 30.0, "wmrocu": 14.0, "ersou": 18.0,
        "serocu": 17.0, "swrocu": 12.0, "tarian": 8.0}
for rocu, m in demo.items():
    ws.append([rocu, "2015-16", m * 1_000_000, None, None, None, True, "invented for this demonstration",
               "hmic-2015-news", "DEMONSTRATION ONLY: not a real budget"])
ws = wb["capability_status"]
ws.append(["swrocu", "undercover policing", 2015, "delivered", "hmic-2015-news", "DEMONSTRATION ONLY"])
ws.append(["nwrocu", "undercover policing", 2015, "partly delivered", "hmic-2015-news", "DEMONSTRATION ONLY"])
wb.save(template)

# %% [markdown]
# ## Validate: every problem at once, with sheet, row and column
# First a deliberately broken copy, to show what a problem report looks like:

# %%
bad = openpyxl.load_workbook(template)
bad["rocu_resources"]["C2"] = "nine million"
bad["rocu_resources"]["A3"] = "nowhere"
bad.save(work / "broken.xlsx")
try:
    rc.load(work / "broken.xlsx", fallback=True)
except rc.RocuDataError as err:
    for p in err.problems:
        print(p)

# %% [markdown]
# The same check on the command line: `rocu-compare validate broken.xlsx --fallback` (exit code 1).
# Now the good file:

# %%
mine = rc.load(template, fallback=True)
{name: origin for name, origin in mine.origin.items() if not origin.startswith("bundled")}

# %% [markdown]
# ## The same analysis

# %%
cmp = compare_rocus(mine, n_draws=50)
display(Markdown(f"With the demonstration budgets the comparison uses {len(cmp.profiles.attributes())} attributes "
                 f"in {len(cmp.profiles.group_names)} groups ({', '.join(cmp.profiles.group_names)}); mean pairwise "
                 f"distance {cmp.spread['mean_distance']:.2f}."))
cmp.profiles.frame[["budget_gbp", "budget_gbp_per_100k_population", "budget_gbp_per_force_officer"]].round(0)

# %% [markdown]
# The whole report on your data: `rocu-compare report --data my_rocu_data.xlsx --fallback --out my_report`.
#
# ## Caveats
# - Blank means not known, never zero; flag estimates with `is_estimate` and say how in `estimate_method`.
# - Formulas are not evaluated: type values.
#
# ## Next steps
# - Add your own sources to the `sources` sheet (with a URL or a document reference) and cite them.
