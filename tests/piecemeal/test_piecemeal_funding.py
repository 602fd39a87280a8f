"""National funding series: values, qualifiers and units as published; nominal only."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from rocu_compare.piecemeal import (
    ROCU_FUNDING_MEASURES,
    NoDeflatorError,
    funding_shares,
    national_funding_series,
    parse_period,
    real_terms,
)
from rocu_compare.schema import DATA_DIR


def _fact(measure, period):
    """The raw facts.csv row (read independently of the library)."""
    with (DATA_DIR / "facts.csv").open(encoding="utf-8", newline="") as fh:
        rows = [
            r
            for r in csv.DictReader(fh)
            if r["subject"] == "national" and r["measure"] == measure and r["period"] == period
        ]
    assert len(rows) == 1
    return rows[0]


def _row(series, measure, period):
    sel = series[(series["measure"] == measure) & (series["period"] == period)]
    assert len(sel) == 1
    return sel.iloc[0]


@pytest.mark.parametrize(
    "measure, period, value, qualifier, london_excluded",
    [
        ("total_rocu_funding", "2015-16", 101, "just over", False),
        ("core_capability_spend", "2014-15", 87.4, None, False),
        ("combined_operating_budget", "2018-19", 166.4, "around", True),
    ],
)
def test_series_values_and_qualifiers(ds, measure, period, value, qualifier, london_excluded):
    s = national_funding_series(ds)
    r = _row(s, measure, period)
    raw = _fact(measure, period)
    # as in the data file ...
    assert r["value_gbp_million"] == pytest.approx(float(raw["value"]))
    assert (None if pd.isna(r["qualifier"]) else r["qualifier"]) == (raw["qualifier"] or None)
    assert r["source_id"] == raw["source_id"]
    # ... and as documented in the brief
    assert r["value_gbp_million"] == pytest.approx(value)
    assert (None if pd.isna(r["qualifier"]) else r["qualifier"]) == qualifier
    assert bool(r["is_london_excluded"]) is london_excluded
    assert r["year_start"] == int(period[:4])
    assert r["basis"] == "total for the period"


def test_per_year_and_multi_year_units_not_divided(ds):
    s = national_funding_series(ds)
    grant = _row(s, "home_office_rocu_grant", "2015-16 to 2018-19")
    assert grant["basis"] == "per year"
    raw = _fact("home_office_rocu_grant", "2015-16 to 2018-19")
    assert grant["value_gbp_million"] == pytest.approx(float(raw["value"]))
    assert (grant["year_start"], grant["year_end"], grant["period_kind"]) == (2015, 2018, "span")
    ng = _row(s, "new_generation_capability_funding", "2017-18 to 2019-20")
    assert ng["basis"] == "over 3 years"
    assert ng["value_gbp_million"] == pytest.approx(float(ng["value_as_published"]))


def test_only_documented_national_measures(ds):
    s = national_funding_series(ds)
    assert set(s["measure"]) <= set(ROCU_FUNDING_MEASURES)
    f = ds.facts
    expected = f[(f["subject"] == "national") & f["measure"].isin(ROCU_FUNDING_MEASURES)]
    assert len(s) == len(expected)
    assert s["source_id"].notna().all()
    assert s["is_cumulative"].sum() == (expected["measure"].str.startswith("cumulative_")).sum()


def test_unit_conversion_billion_and_context_flag(ds):
    s = national_funding_series(ds, measures=["soc_total_expenditure"])
    r = s.iloc[0]
    assert r["unit"] == "GBP_billion"
    assert r["value_gbp_million"] == pytest.approx(float(r["value_as_published"]) * 1000)
    assert bool(r["is_context_only"])


def test_funding_shares(ds):
    sh = funding_shares(ds)
    assert set(sh["funder"]) == {"home_office", "pcc"}
    assert (sh["qualifier"] == "c.").all()
    assert (sh["period"] == "2025-26").all()
    assert sh["period_total_percent"].iloc[0] == pytest.approx(sh["value_percent"].sum())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2015-16", (2015, 2015, "financial_year")),
        ("2018", (2018, 2018, "calendar_year")),
        ("2014-05", (2014, 2014, "date")),
        ("2013 to 2017-11-20", (2013, 2017, "span")),
        ("2017-18 to 2019-20", (2017, 2019, "span")),
    ],
)
def test_parse_period(text, expected):
    p = parse_period(text)
    assert (p["year_start"], p["year_end"], p["period_kind"]) == expected


def test_parse_period_blank():
    assert parse_period(None)["period_kind"] == "undated"
    assert pd.isna(parse_period("")["year_start"])


def test_real_terms_without_deflator_raises(ds):
    s = national_funding_series(ds)
    with pytest.raises(NoDeflatorError, match="nominal"):
        real_terms(s)
    with pytest.raises(ValueError):
        real_terms(s, None)


def test_real_terms_with_a_sourced_deflator(ds):
    s = national_funding_series(ds)
    defl = pd.DataFrame({"year_start": [2014, 2015], "index": [80.0, 100.0], "source_id": ["test-deflator"] * 2})
    out = real_terms(s, defl)
    core = _row(out, "core_capability_spend", "2014-15")
    assert core["value_gbp_million_real"] == pytest.approx(core["value_gbp_million"] * 100.0 / 80.0)
    assert core["price_base_year"] == 2015 and core["deflator_source_id"] == "test-deflator"
    # multi-year and out-of-range rows stay missing
    assert pd.isna(_row(out, "home_office_rocu_grant", "2015-16 to 2018-19")["value_gbp_million_real"])
    assert pd.isna(_row(out, "total_rocu_funding", "2016-17")["value_gbp_million_real"])
    with pytest.raises(ValueError, match="source_id"):
        real_terms(s, defl.assign(source_id=[None, None]))
