"""rocu-compare report with --as-at / --scenario / --include / --exclude."""

from __future__ import annotations

import json

import pytest

from rocu_compare.cli import main
from rocu_compare.report.catalog import FIGURES


@pytest.mark.report
def test_report_at_2024_aligned_names_the_date_and_configuration_in_every_caption(tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["report", "--out", str(out), "--no-notebooks", "--as-at", "2024-03-31", "--scenario", "aligned"]) == 0
    metas = json.loads((out / "figures.json").read_text())
    keys = [m["key"] for m in metas]
    assert set(keys) <= set(FIGURES) and {"whatif_maps", "whatif_dispersion", "whatif_over_time"} <= set(keys)
    for m in metas:
        assert (out / "figures" / f"{m['key']}.png").stat().st_size > 0
        text = " ".join([m["title"], m["subtitle"], m["alt_text"], *m["notes"]])
        assert "31 March 2024" in text, m["key"]
        assert "aligned to the police regions" in text, m["key"]
    by_key = {m["key"]: m for m in metas}
    # the series held are all more than a year from 31 March 2024: gaps, labelled, not stale numbers
    assert "no figure held within a year of 31 March 2024" not in by_key["ski_officers_per_100k"]["alt_text"]
    officers = by_key["ski_officers_per_100k"]
    assert any("left missing" in t for t in [officers["subtitle"], officers["alt_text"], *officers["notes"]])
    assert "Tarian" not in by_key["ski_population_density"]["alt_text"]  # no member forces when aligned


def test_report_refuses_bad_dates_ids_and_scenarios(tmp_path, capsys):
    for extra, words in (
        (["--as-at", "05/12/2016"], "YYYY-MM-DD"),
        (["--exclude", "Met"], "known ids"),
        (["--scenario", "regions"], "as-built, aligned"),
    ):
        assert main(["report", "--out", str(tmp_path / "x"), "--no-notebooks", *extra]) == 1
        assert words in capsys.readouterr().err


def test_whatif_context_threads_dates_and_units(ds):
    from rocu_compare.report.run import whatif_context

    ctx, caption = whatif_context(ds, as_at=["2019-06-30", "2015-06-30"], include=["EMSOU", "ersou", "Tarian"])
    assert ctx.as_at == "2019-06-30" and ctx.dates == ("2015-06-30", "2019-06-30")
    assert ctx.include == ("emsou", "ersou", "tarian")
    assert "30 June 2019" in caption and "as built at each date" in caption
    assert list(ctx.comparison.distance.index) == ["emsou", "ersou", "tarian"]
    plain, none = whatif_context(ds)
    assert none == "" and plain.scenario is None
