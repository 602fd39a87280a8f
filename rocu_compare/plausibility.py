"""Plausibility warnings: values that break no rule but are probably typed wrong.

Each check reads the raw text tables after the cell rules, looks only at cells that
parse, and returns :class:`~rocu_compare.errors.Problem` s with ``severity="warning"``.
A warning does not stop a dataset from loading (it is kept on ``Dataset.warnings``);
``rocu-compare validate --strict`` turns warnings into errors.

The thresholds are plain bounds for a regional unit, not estimates of any value:

* a ROCU budget below £100,000 or above £500m (``budget_gbp`` is in pounds: a
  budget of 23 was probably typed in £m);
* a Home Office grant larger than the budget of the same row, or above £500m;
* a ROCU officer or staff FTE above 5,000 (or the two together above 5,000);
* a membership spell that starts before the ROCU was established (or is open to the
  past while the ROCU's establishment date is known).
"""

from __future__ import annotations

import datetime as dt

from .errors import Problem
from .readers import RawTable
from .validate import _NUM, parse_partial_date

BUDGET_MIN_GBP = 100_000
BUDGET_MAX_GBP = 500_000_000
FTE_MAX = 5_000


def _money(x: float) -> str:
    if x >= 1e9:
        return f"£{x / 1e9:,.3g}bn"
    if x >= 1e6:
        return f"£{x / 1e6:,.3g}m"
    return f"£{x:,.0f}" if float(x).is_integer() else f"£{x:,.2f}"


def _rows(t: RawTable | None, columns: list[str]):
    """(spreadsheet row, {column: text}) of each full-width row that has every column."""
    if t is None or not t.readable or not set(columns) <= set(t.header):
        return
    idx = {c: t.header.index(c) for c in columns}
    for i, r in enumerate(t.rows):
        if len(r) == len(t.header):
            yield i + 2, {c: r[j] for c, j in idx.items()}


def _number(text: str) -> float | None:
    return float(text) if text and _NUM.match(text) else None


def _warn(t: RawTable, row: int, column: str, value: str, rule: str, message: str, fix: str) -> Problem:
    return Problem(t.label, row, column, value, rule, message, severity="warning", fix=fix)


def check_resources(t: RawTable | None) -> list[Problem]:
    """Budget, grant and FTE of ``rocu_resources`` against plain bounds."""
    out: list[Problem] = []
    cols = ["budget_gbp", "home_office_grant_gbp", "officers_fte", "staff_fte"]
    for row, r in _rows(t, cols):
        budget, grant = _number(r["budget_gbp"]), _number(r["home_office_grant_gbp"])
        if budget is not None and budget < BUDGET_MIN_GBP:
            out.append(
                _warn(
                    t,
                    row,
                    "budget_gbp",
                    r["budget_gbp"],
                    "plausible_budget",
                    f"a budget of {_money(budget)} is below {_money(BUDGET_MIN_GBP)}: typed in £m?",
                    f"budget_gbp is in pounds: type {budget * 1e6:.0f} for {_money(budget * 1e6)}"
                    if budget < 1000
                    else "budget_gbp is in pounds: check the figure",
                )
            )
        elif budget is not None and budget > BUDGET_MAX_GBP:
            out.append(
                _warn(
                    t,
                    row,
                    "budget_gbp",
                    r["budget_gbp"],
                    "plausible_budget",
                    f"a budget of {_money(budget)} is above {_money(BUDGET_MAX_GBP)}: typed in pence, "
                    f"or an extra digit?",
                    "budget_gbp is in pounds: check the figure",
                )
            )
        if grant is not None and budget is not None and grant > budget:
            out.append(
                _warn(
                    t,
                    row,
                    "home_office_grant_gbp",
                    r["home_office_grant_gbp"],
                    "plausible_grant",
                    f"the grant ({_money(grant)}) is larger than the budget ({_money(budget)})",
                    "check both figures are in pounds and for the same financial year",
                )
            )
        elif grant is not None and grant > BUDGET_MAX_GBP:
            out.append(
                _warn(
                    t,
                    row,
                    "home_office_grant_gbp",
                    r["home_office_grant_gbp"],
                    "plausible_grant",
                    f"a grant of {_money(grant)} is above {_money(BUDGET_MAX_GBP)}",
                    "home_office_grant_gbp is in pounds: check the figure",
                )
            )
        fte = {c: _number(r[c]) for c in ("officers_fte", "staff_fte")}
        high = [c for c, x in fte.items() if x is not None and x > FTE_MAX]
        for c in high:
            out.append(
                _warn(
                    t,
                    row,
                    c,
                    r[c],
                    "plausible_fte",
                    f"{fte[c]:,g} FTE is above {FTE_MAX:,} for one ROCU",
                    "check the figure is the unit's own FTE, not a force's or a region's",
                )
            )
        if not high and None not in fte.values() and sum(fte.values()) > FTE_MAX:
            out.append(
                _warn(
                    t,
                    row,
                    "officers_fte, staff_fte",
                    f"{r['officers_fte']} | {r['staff_fte']}",
                    "plausible_fte",
                    f"officers and staff together ({sum(fte.values()):,g} FTE) are above {FTE_MAX:,} for one ROCU",
                    "check the figures are the unit's own FTE, not a force's or a region's",
                )
            )
    return out


def _established(rocus: RawTable | None) -> dict[str, tuple[dt.date, str]]:
    """Earliest known establishment date (first day) of each ROCU, with its text."""
    out = {}
    for _, r in _rows(rocus, ["rocu_id", "established", "established_alt"]):
        dates = []
        for text in (r["established"], r["established_alt"]):
            try:
                dates.append((parse_partial_date(text)[0], text))
            except ValueError:
                continue  # blank or reported as a type problem
        if dates:
            out[r["rocu_id"]] = min(dates)
    return out


def check_membership(membership: RawTable | None, rocus: RawTable | None) -> list[Problem]:
    """Membership spells that start before the ROCU existed (or are open to the past when it did not)."""
    out: list[Problem] = []
    est = _established(rocus)
    for row, r in _rows(membership, ["force", "rocu_id", "valid_from"]):
        if r["rocu_id"] not in est:
            continue
        first, text = est[r["rocu_id"]]
        if r["valid_from"] == "":
            out.append(
                _warn(
                    membership,
                    row,
                    "valid_from",
                    "",
                    "plausible_spell",
                    f"{r['force']!r} is in {r['rocu_id']!r} with no start date, so before the unit was "
                    f"established ({text})",
                    f"type the date the force joined (not before {text})",
                )
            )
            continue
        try:
            last = parse_partial_date(r["valid_from"])[1]
        except ValueError:
            continue  # reported as a type problem
        if last < first:
            out.append(
                _warn(
                    membership,
                    row,
                    "valid_from",
                    r["valid_from"],
                    "plausible_spell",
                    f"the spell starts before {r['rocu_id']!r} was established ({text})",
                    f"check the date: a force cannot join before {text}",
                )
            )
    return out


def check_plausibility(tables: dict[str, RawTable]) -> list[Problem]:
    """Every plausibility warning for a set of raw tables (missing tables are skipped)."""
    return check_resources(tables.get("rocu_resources")) + check_membership(
        tables.get("membership"), tables.get("rocus")
    )
