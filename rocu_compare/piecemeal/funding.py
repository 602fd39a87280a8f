"""National ROCU funding figures, as published: a series of nominal values.

Everything here is read from the ``facts`` table; no figure is typed in. Values are
converted to £ million (``GBP`` / 1e6, ``GBP_billion`` x 1000) but never divided by a
number of years: a unit such as ``GBP_million_per_year`` or ``GBP_million_over_3_years``
is kept as the ``basis`` of the row. Qualifiers ("just over", "around", ...) are kept
exactly as published.

Figures are **nominal** (cash). No price deflator is shipped as sourced data, so
:func:`real_terms` refuses to run without one that carries its own source.

The measures are different things and must not be summed or chained blindly: core
capability spend (police figures) is not total ROCU funding; the 2018-19 combined
operating budget excludes London; the cumulative Home Office investment figures are
vintages of one running total; capital is in addition to revenue totals.
"""

from __future__ import annotations

import re

import pandas as pd

from ..validate import partial_period

__all__ = [
    "ROCU_FUNDING_MEASURES",
    "NoDeflatorError",
    "parse_period",
    "national_funding_series",
    "funding_shares",
    "real_terms",
]

#: National ``facts`` measures treated as the ROCU funding series (in this order).
#: Other money facts in the table (e.g. ``soc_total_expenditure``, ``police_core_settlement``,
#: ``aris_top_slice_national_asset_recovery``) are context, not ROCU funding; pass
#: ``measures=`` to include them.
ROCU_FUNDING_MEASURES: tuple[str, ...] = (
    "home_office_protective_services_funding",
    "home_office_riu_grant",
    "home_office_soc_matched_funding",
    "home_office_regional_capability_funding",
    "core_capability_spend",
    "total_rocu_funding",
    "rocu_capital_funding",
    "combined_operating_budget",
    "capital_expenditure",
    "home_office_rocu_grant",
    "home_office_direct_funding",
    "cumulative_home_office_rocu_investment",
    "new_generation_capability_funding",
    "dark_web_capability_funding",
)

_UNIT = re.compile(r"^GBP(?P<scale>_million|_billion)?(?:_(?P<basis>per_year|over_(?P<n>\d+)_years))?$")
_TO_MILLION = {None: 1e-6, "_million": 1.0, "_billion": 1e3}
_FY = re.compile(r"^(\d{4})-(\d{2})$")


class NoDeflatorError(ValueError):
    """Raised by :func:`real_terms` when no sourced deflator is supplied."""


def _one_period(text: str) -> tuple[int, int, str]:
    """(first year, last year, kind) of one period token (no ' to ')."""
    t = text.strip()
    m = _FY.match(t)
    if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
        y = int(m.group(1))
        return y, y, "financial_year"
    try:
        p = partial_period(t)  # the one parser of partial dates
    except ValueError:
        raise ValueError(f"unrecognised period {text!r}") from None
    return p.year, p.year, "calendar_year" if p.freqstr.startswith("Y") else "date"


def parse_period(text) -> dict:
    """Parse a ``facts.period`` text.

    Parameters
    ----------
    text : str or NA
        ``YYYY-YY`` (financial year, April to March), ``YYYY``, an ISO date
        (``YYYY-MM`` / ``YYYY-MM-DD``), or ``<start> to <end>`` of any of these.

    Returns
    -------
    dict
        ``year_start`` (first year of the period; for a financial year, the year in
        which it starts), ``year_end`` (first year of the last component: for
        ``2015-16 to 2018-19`` this is 2018), ``period_kind`` (``financial_year``,
        ``calendar_year``, ``date``, ``span`` or ``undated``). NA for a blank period.

    Notes
    -----
    ``YYYY-YY`` is read as a financial year only when ``YY`` is the year after
    ``YYYY`` (``2015-16``); otherwise as a month (``2014-05``). A month equal to the
    following year's two digits (``2011-12``) is therefore read as the financial year,
    which is how the facts table writes periods.
    """
    if text is None or pd.isna(text) or str(text).strip() == "":
        return {"year_start": pd.NA, "year_end": pd.NA, "period_kind": "undated"}
    parts = [p for p in str(text).split(" to ")]
    if len(parts) == 1:
        a, b, kind = _one_period(parts[0])
        return {"year_start": a, "year_end": b, "period_kind": kind}
    a, _, _ = _one_period(parts[0])
    _, b, _ = _one_period(parts[-1])
    return {"year_start": a, "year_end": b, "period_kind": "span"}


def _unit_info(unit: str) -> tuple[float, str]:
    m = _UNIT.match(unit or "")
    if not m:
        raise ValueError(f"not a money unit: {unit!r}")
    factor = _TO_MILLION[m.group("scale")]
    if m.group("basis") == "per_year":
        basis = "per year"
    elif m.group("n"):
        basis = f"over {m.group('n')} years"
    else:
        basis = "total for the period"
    return factor, basis


_SERIES_COLUMNS = [
    "measure",
    "period",
    "year_start",
    "year_end",
    "period_kind",
    "value_gbp_million",
    "qualifier",
    "basis",
    "unit",
    "value_as_published",
    "excluded_rocu_ids",
    "is_london_excluded",
    "is_cumulative",
    "is_context_only",
    "source_id",
    "fact_id",
    "notes",
]


def national_funding_series(ds, measures=None) -> pd.DataFrame:
    """National ROCU funding and spend figures, in £ million, nominal.

    Parameters
    ----------
    ds : Dataset
    measures : sequence of str, optional
        ``facts.measure`` values to include (``subject == 'national'`` and a ``GBP``
        unit). Default :data:`ROCU_FUNDING_MEASURES`.

    Returns
    -------
    DataFrame
        One row per fact, sorted by ``year_start`` then measure order:

        ``measure``, ``period`` (as published), ``year_start`` / ``year_end`` /
        ``period_kind`` (see :func:`parse_period`; NA year for an undated fact),
        ``value_gbp_million`` (Float64; converted from ``GBP``, ``GBP_million`` or
        ``GBP_billion``), ``qualifier`` (exactly as published: "just over", "around", ...),
        ``basis`` (``total for the period``, ``per year`` or ``over N years`` — values are
        never divided by N), ``unit``, ``value_as_published``, ``excluded_rocu_ids``
        (``facts.excludes_rocu_ids``: ROCUs the figure leaves out), ``is_london_excluded``
        (London among them), ``is_cumulative`` (a running total since a start year:
        measure name starts with ``cumulative_``), ``is_context_only``
        (``facts.is_context_only``; blank counts as False), ``source_id``, ``fact_id``, ``notes``.

    Raises
    ------
    ValueError
        If a selected fact has a non-money unit or a non-numeric value.

    Notes
    -----
    Caveats: figures are nominal (see :func:`real_terms`); the measures differ
    (core capability spend vs total ROCU funding vs combined operating budget vs Home
    Office grant) and several exclude London; national totals for 2019-20 to 2022-23 and
    2024-25 are not published in the sources listed, so the series has gaps, which stay
    gaps. Qualified values ("around", "just over") are not exact.
    """
    wanted = list(ROCU_FUNDING_MEASURES if measures is None else measures)
    f = ds.facts
    sel = f[(f["subject"].astype("string") == "national") & f["measure"].astype("string").isin(wanted)]
    rows = []
    for _, r in sel.iterrows():
        factor, basis = _unit_info(str(r["unit"]))
        try:
            value = float(str(r["value"]))
        except ValueError as exc:
            raise ValueError(f"fact {r['fact_id']} ({r['measure']}): value {r['value']!r} is not a number") from exc
        per = parse_period(r["period"])
        excl = r["excludes_rocu_ids"] if "excludes_rocu_ids" in r.index else pd.NA
        ctx_only = r["is_context_only"] if "is_context_only" in r.index else pd.NA
        rows.append(
            {
                "measure": str(r["measure"]),
                "period": r["period"],
                **per,
                "value_gbp_million": value * factor,
                "qualifier": r["qualifier"],
                "basis": basis,
                "unit": r["unit"],
                "value_as_published": r["value"],
                "excluded_rocu_ids": excl,
                "is_london_excluded": pd.notna(excl) and "london" in str(excl).split(";"),
                "is_cumulative": str(r["measure"]).startswith("cumulative_"),
                "is_context_only": bool(ctx_only) if pd.notna(ctx_only) else False,
                "source_id": r["source_id"],
                "fact_id": r["fact_id"],
                "notes": r["notes"],
            }
        )
    out = pd.DataFrame(rows, columns=_SERIES_COLUMNS)
    out = out.astype(
        {
            "measure": "string",
            "period": "string",
            "year_start": "Int64",
            "year_end": "Int64",
            "period_kind": "string",
            "value_gbp_million": "Float64",
            "qualifier": "string",
            "basis": "string",
            "unit": "string",
            "value_as_published": "string",
            "excluded_rocu_ids": "string",
            "is_london_excluded": "boolean",
            "is_cumulative": "boolean",
            "is_context_only": "boolean",
            "source_id": "string",
            "fact_id": "Int64",
            "notes": "string",
        }
    )
    order = {m: i for i, m in enumerate(wanted)}
    out = out.assign(_o=out["measure"].map(order)).sort_values(
        ["year_start", "_o", "fact_id"], kind="mergesort", na_position="last"
    )
    return out.drop(columns="_o").reset_index(drop=True)


def funding_shares(ds) -> pd.DataFrame:
    """Published shares of ROCU funding by funder (percent facts).

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    DataFrame
        One row per national ``facts`` row with unit ``percent`` and a measure ending in
        ``_funding_share`` (Home Office c.30% and PCCs c.70% for 2025-26 in the bundled
        data): ``measure``, ``funder`` (the measure without ``_funding_share``),
        ``period``, ``year_start``, ``value_percent``, ``qualifier`` (as published),
        ``source_id``, ``notes``, and ``period_total_percent`` — the sum of the shares
        published for that period and source, a consistency check (NA if any is missing).

    Notes
    -----
    The shares are rounded ("c.") and describe the network as a whole; no per-ROCU
    split is published in the sources listed.
    """
    f = ds.facts
    sel = f[
        (f["subject"].astype("string") == "national")
        & (f["unit"].astype("string") == "percent")
        & f["measure"].astype("string").str.endswith("_funding_share")
    ]
    out = pd.DataFrame(
        {
            "measure": sel["measure"].astype("string").values,
            "funder": sel["measure"].astype("string").str.removesuffix("_funding_share").values,
            "period": sel["period"].values,
            "year_start": [parse_period(p)["year_start"] for p in sel["period"]],
            "value_percent": pd.to_numeric(sel["value"].astype("string"), errors="coerce").values,
            "qualifier": sel["qualifier"].values,
            "source_id": sel["source_id"].values,
            "notes": sel["notes"].values,
        }
    )
    out = out.astype(
        {
            "year_start": "Int64",
            "value_percent": "Float64",
            "period": "string",
            "qualifier": "string",
            "source_id": "string",
            "notes": "string",
        }
    )
    tot = out.groupby(["period", "source_id"], dropna=False)["value_percent"].transform(
        lambda s: s.sum() if s.notna().all() else pd.NA
    )
    out["period_total_percent"] = pd.to_numeric(tot, errors="coerce").astype("Float64")
    return out.reset_index(drop=True)


def real_terms(
    series: pd.DataFrame, deflator: pd.DataFrame | None = None, *, base_year: int | None = None
) -> pd.DataFrame:
    """Restate a nominal series in the prices of one year, with a sourced deflator.

    Parameters
    ----------
    series : DataFrame
        Output of :func:`national_funding_series` (needs ``year_start``, ``year_end``,
        ``value_gbp_million``).
    deflator : DataFrame
        Columns ``year_start`` (int: the first year of the financial year the index
        refers to), ``index`` (positive number) and ``source_id`` (non-blank: where the
        index comes from, e.g. an HM Treasury GDP deflator release). Required: no
        deflator is shipped with the data.
    base_year : int, optional
        The price year; default the latest ``year_start`` in ``deflator``.

    Returns
    -------
    DataFrame
        ``series`` plus ``value_gbp_million_real`` (value x index[base] / index[year]),
        ``price_base_year`` and ``deflator_source_id``. The real value is NA where the
        year has no index, where the row is undated, or where it covers several years
        (``year_end != year_start``: cumulative totals, per-year rates over a span and
        multi-year amounts cannot be deflated with one year's index). Rows are matched
        on ``year_start`` whatever their ``period_kind``: a calendar-year figure (2018)
        takes the index of the financial year starting that year (2018-19); supply a
        deflator on the basis you want.

    Raises
    ------
    NoDeflatorError
        If ``deflator`` is None: figures in this library are nominal and no deflator is
        shipped as sourced data.
    ValueError
        If the deflator lacks a column, a source, has duplicate or non-positive values,
        or does not cover ``base_year``.
    """
    if deflator is None:
        raise NoDeflatorError(
            "No price deflator is shipped as sourced data: the funding figures are nominal (cash). "
            "Pass deflator=DataFrame(year_start, index, source_id) taken from a cited source "
            "(e.g. the HM Treasury GDP deflator) to compute real-terms values."
        )
    need = {"year_start", "index", "source_id"}
    missing = need - set(deflator.columns)
    if missing:
        raise ValueError(f"deflator lacks column(s): {', '.join(sorted(missing))}")
    if deflator["source_id"].isna().any() or (deflator["source_id"].astype(str).str.strip() == "").any():
        raise ValueError("every deflator row needs a source_id")
    if deflator["year_start"].duplicated().any():
        raise ValueError("deflator has duplicate year_start values")
    idx = pd.Series(
        pd.to_numeric(deflator["index"], errors="coerce").values, index=deflator["year_start"].astype(int).values
    )
    if idx.isna().any() or (idx <= 0).any():
        raise ValueError("deflator index values must be positive numbers")
    base = int(idx.index.max()) if base_year is None else int(base_year)
    if base not in idx.index:
        raise ValueError(f"deflator has no index for base year {base}")
    src = pd.Series(deflator["source_id"].astype(str).values, index=idx.index)
    out = series.copy()
    single = out["year_start"].notna() & (out["year_end"] == out["year_start"]).fillna(False)
    yr_index = out["year_start"].map(lambda y: idx.get(int(y), pd.NA) if pd.notna(y) else pd.NA)
    factor = pd.to_numeric(idx[base] / pd.to_numeric(yr_index, errors="coerce"), errors="coerce")
    real = out["value_gbp_million"].astype("Float64") * pd.Series(factor, index=out.index).astype("Float64")
    out["value_gbp_million_real"] = real.where(single, pd.NA).astype("Float64")
    out["price_base_year"] = base
    out["deflator_source_id"] = (
        out["year_start"].map(lambda y: src.get(int(y), pd.NA) if pd.notna(y) else pd.NA).astype("string")
    )
    return out
