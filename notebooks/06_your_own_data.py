# %% [markdown]
# # 06 · Your own data: template → fill → validate → the same analysis
#
# **What this answers:** how to bring the figures that are not public — per-ROCU budgets, staff, capability
# status — and run exactly the same analysis on them, next to the bundled public rows.
#
# **Data:** your own folder or workbook when `ROCU_DATA` is set (as `rocu-compare report --data …` does);
# otherwise an empty template written here and filled with a few **made-up demonstration rows**, which cite a
# source marked `demonstration` so they can never pass for real figures.

# %%
import os
import tempfile
from pathlib import Path

from IPython.display import Markdown, display

import rocu_compare as rc
from rocu_compare.compare import compare_rocus
from rocu_compare.workbook import append_rows, write_template

YOURS = bool(os.environ.get("ROCU_DATA"))
work = Path(tempfile.mkdtemp())
template = write_template(work / "my_rocu_data.xlsx")
display(
    Markdown(
        f"The template has one sheet per table ({len(rc.load().tables)} tables) plus README and "
        "data_dictionary sheets. On the command line: `rocu-compare template my_rocu_data.xlsx`."
    )
)

# %% [markdown]
# ## Fill it in
# Fill only the rows you have: loaded with `with_bundled=True` (`--with-bundled`), your rows are added to the
# bundled public rows, and a row with the same key as a bundled one replaces it. Every row cites a source in the
# `sources` sheet. To cite your own internal return, add it there with `url_basis` = `internal`, `kind` =
# `internal-return` and a `classification` (`OFFICIAL` or `OFFICIAL-SENSITIVE`); everything built on it then
# carries that marking. Below, only when no data of yours is given, we add **invented demonstration rows**.

# %%
if not YOURS:
    append_rows(
        template,
        "sources",
        [
            {
                "source_id": "demo-rows",
                "title": "Demonstration rows invented for notebook 06 (not real figures)",
                "publisher": "rocu-compare",
                "url_basis": "demonstration",
                "kind": "demonstration",
                "notes": "Made-up numbers that show the workflow; never cite them as data.",
            }
        ],
    )
    demo_budget_m = {
        "nersou": 9.0,
        "nwrocu": 21.0,
        "yhrocu": 15.0,
        "emsou": 30.0,
        "wmrocu": 14.0,
        "ersou": 18.0,
        "serocu": 17.0,
        "swrocu": 12.0,
        "tarian": 8.0,
    }
    append_rows(
        template,
        "rocu_resources",
        [
            {
                "rocu_id": r,
                "financial_year": "2015-16",
                "budget_gbp": m * 1_000_000,
                "is_estimate": True,
                "estimate_method": "invented for this demonstration",
                "source_id": "demo-rows",
                "notes": "DEMONSTRATION ONLY: not a real budget",
            }
            for r, m in demo_budget_m.items()
        ],
    )
    append_rows(
        template,
        "capability_status",
        [
            {
                "rocu_id": "swrocu",
                "capability": "undercover policing",
                "year": 2015,
                "status": "delivered",
                "source_id": "demo-rows",
                "notes": "DEMONSTRATION ONLY",
            },
            {
                "rocu_id": "nwrocu",
                "capability": "undercover policing",
                "year": 2015,
                "status": "partly delivered",
                "source_id": "demo-rows",
                "notes": "DEMONSTRATION ONLY",
            },
        ],
    )

# %% [markdown]
# ## Validate: every problem at once, with sheet, row and column
# First a deliberately broken copy of the demonstration workbook, to show what a problem report looks like:

# %%
broken = write_template(work / "broken.xlsx")
append_rows(
    broken,
    "rocu_resources",
    [{"rocu_id": "nowhere", "financial_year": "2015-16", "budget_gbp": "nine million", "source_id": "hmic-2015-news"}],
)
try:
    rc.load(broken, with_bundled=True)
except rc.RocuDataError as err:
    for p in err.problems:
        print(p)

# %% [markdown]
# The same check on the command line: `rocu-compare validate broken.xlsx --with-bundled` (exit code 1).
# Now the data this notebook analyses:

# %%
mine = rc.load_from_env() if YOURS else rc.load(template, with_bundled=True)
rows_yours = {name: int(mine.analyst_rows(name).sum()) for name in mine.tables}
rows_yours = {name: n for name, n in rows_yours.items() if n}
display(
    Markdown(
        f"**{'Your data' if YOURS else 'The demonstration workbook'}** ({mine.data_name}): "
        + (", ".join(f"{n} row{'s' if n != 1 else ''} of `{t}`" for t, n in rows_yours.items()) or "no rows")
        + " added to the bundled public rows"
        + (f"; {len(mine.notices)} bundled row(s) replaced" if mine.notices else "")
        + (f". **Protective marking: {mine.marking}** — everything below carries it." if mine.marking else ".")
    )
)

# %% [markdown]
# ## The same analysis

# %%
cmp = compare_rocus(mine, n_draws=50)
groups = cmp.profiles.group_names
display(
    Markdown(
        f"On this data the comparison uses {len(cmp.profiles.attributes())} attributes in {len(groups)} "
        f"groups ({', '.join(groups)}); mean pairwise distance {cmp.spread['mean_distance']:.2f}."
    )
)
money = [
    c
    for c in ("budget_gbp", "budget_gbp_per_100k_population", "budget_gbp_per_force_officer")
    if c in cmp.profiles.frame
]
cmp.profiles.frame[money].round(0) if money else Markdown("No budgets in this data, so no money columns to show.")

# %% [markdown]
# The whole report on your data, from the folder that holds it:
# `rocu-compare report --data my_rocu_data.xlsx --with-bundled --out my_report`.
#
# ## Caveats
# - Blank means not known, never zero; flag estimates with `is_estimate` and say how in `estimate_method`.
# - Formulas are not evaluated: type values.
# - Demonstration rows cite the `demo-rows` source (`url_basis` `demonstration`): never report them.
#
# ## Next steps
# - Add your own sources to the `sources` sheet (a URL, a shipped document, or your internal return with its
#   marking) and cite them.
# - Replace a whole bundled table (your own membership, say) with `--replace membership`.
