"""Each validation rule: a failing input and an assertion on the message (file, row, column, rule)."""

from __future__ import annotations

import pytest
from conftest import read_rows, set_cell, write_rows

import rocu_compare as rc


def problems(path, **kw):
    with pytest.raises(rc.RocuDataError) as err:
        rc.load(path, **kw)
    return err.value.problems


def one(probs, rule):
    hits = [p for p in probs if p.rule == rule]
    assert hits, f"no {rule!r} problem in {[str(p) for p in probs]}"
    return hits[0]


# (table, spreadsheet row, column, bad value, rule)
CELL_CASES = [
    ("forces", 5, "officers_fte_2015_03_31", "1,952.06", "type"),  # thousands separator
    ("forces", 5, "officers_fte_2015_03_31", "-3", "minimum"),  # negative FTE
    ("forces", 5, "population_census_2011_persons", "1027709.5", "type"),  # not a whole number
    ("forces", 5, "ons_code", "X23000006", "pattern"),
    ("forces", 5, "police_region", "Northern", "enum"),
    ("forces", 5, "ons_name_pfa16nm", "", "required"),
    ("forces", 5, "ons_name_pfa16nm", " Cheshire", "whitespace"),
    ("membership", 3, "valid_from", "2013-13", "type"),  # month 13
    ("membership", 3, "valid_from", "2013-02-30", "type"),  # not a calendar date
    ("inspections", 2, "published", "07/12/2022", "type"),
    ("facts", 2, "is_estimate", "yes", "type"),
    ("facts", 2, "qualifier", "roughly", "enum"),
    ("capability_status", None, None, None, None),  # placeholder, replaced below
]
CELL_CASES = CELL_CASES[:-1]


@pytest.mark.parametrize("table, row, column, value, rule", CELL_CASES)
def test_cell_rules(data_copy, table, row, column, value, rule):
    set_cell(data_copy, table, row, column, value)
    p = one(problems(data_copy), rule)
    assert (p.file, p.row, p.column, p.value) == (f"{table}.csv", row, column, value)
    assert str(p).startswith(f"{table}.csv, row {row}, column {column!r}: [{rule}]")


def test_maximum_and_percent_rule(data_copy):
    rows = read_rows(data_copy / "facts.csv")
    h = rows[0]
    i = next(k for k, r in enumerate(rows) if k and r[h.index("unit")] == "percent")
    set_cell(data_copy, "facts", i + 1, "value", "130")
    p = one(problems(data_copy), "numeric_units")
    assert (p.row, p.column, p.value) == (i + 1, "value", "130")
    assert "between 0 and 100" in p.message


def test_money_must_be_numeric_and_non_negative(data_copy):
    rows = read_rows(data_copy / "facts.csv")
    h = rows[0]
    i = next(k for k, r in enumerate(rows) if k and r[h.index("unit")] == "GBP_million")
    set_cell(data_copy, "facts", i + 1, "value", "-5")
    j = next(k for k, r in enumerate(rows) if k > i and r[h.index("unit")] == "GBP")
    set_cell(data_copy, "facts", j + 1, "value", "£440,000")
    probs = [p for p in problems(data_copy) if p.rule == "numeric_units"]
    assert {(p.row, p.value) for p in probs} == {(i + 1, "-5"), (j + 1, "£440,000")}


def test_analyst_year_maximum(data_copy):
    rows = read_rows(data_copy / "capability_status.csv")
    rows.append(["swrocu", "undercover policing", "2150", "delivered", "hmic-2015-news", ""])
    write_rows(data_copy / "capability_status.csv", rows)
    p = one(problems(data_copy), "maximum")
    assert (p.file, p.row, p.column, p.value) == ("capability_status.csv", 2, "year", "2150")


def test_unique_field(data_copy):
    set_cell(data_copy, "forces", 5, "ons_code", "E23000013")  # Cleveland's code
    p = one(problems(data_copy), "unique")
    assert (p.row, p.column) == (5, "ons_code") and "row 2" in p.message


def test_composite_primary_key(data_copy):
    rows = read_rows(data_copy / "membership.csv")
    rows.append(list(rows[1]))
    write_rows(data_copy / "membership.csv", rows)
    p = one(problems(data_copy), "primary_key")
    assert p.row == len(rows) and p.column == "force, rocu_id" and "row 2" in p.message


def test_foreign_key(data_copy):
    set_cell(data_copy, "membership", 2, "force", "Clevland")
    p = one(problems(data_copy), "foreign_key")
    assert (p.file, p.row, p.column, p.value) == ("membership.csv", 2, "force", "Clevland")
    assert "forces.force" in p.message


def test_unknown_source_id(data_copy):
    set_cell(data_copy, "events", 2, "source_id", "no-such-source")
    p = one(problems(data_copy), "source_known")
    assert (p.row, p.column, p.value) == (2, "source_id", "no-such-source")


def test_source_without_url_cannot_be_the_only_citation(data_copy):
    set_cell(data_copy, "events", 2, "source_id", "cleveland-pcc-2014-grant")
    p = one(problems(data_copy), "source_has_url")
    assert (p.row, p.column) == (2, "source_id")


def test_subject_must_be_known(data_copy):
    set_cell(data_copy, "facts", 2, "subject", "Atlantis")
    p = one(problems(data_copy), "subject_known")
    assert (p.row, p.value) == (2, "Atlantis")


def test_exactly_one_of_rocu_and_force(data_copy):
    set_cell(data_copy, "inspections", 2, "force", "Durham")  # row 2 already names nersou
    p = one(problems(data_copy), "exactly_one_of_rocu_force")
    assert p.row == 2


def test_estimate_needs_method(data_copy):
    set_cell(data_copy, "facts", 2, "is_estimate", "true")
    p = one(problems(data_copy), "estimate_has_method")
    assert (p.row, p.column) == (2, "estimate_method")


def _kent_rows(folder):
    rows = read_rows(folder / "membership.csv")
    h = rows[0]
    return rows, h, [k for k, r in enumerate(rows) if r[0] == "Kent"]


def test_overlapping_spells(data_copy):
    rows, h, (a, b) = _kent_rows(data_copy)
    rows[b][h.index("valid_from")] = "2016-01-01"  # starts before the SEROCU spell ends
    write_rows(data_copy / "membership.csv", rows)
    p = one(problems(data_copy), "spell_overlap")
    assert p.row == b + 1 and "Kent" in p.message and f"row {a + 1}" in p.message


def test_gapped_spells(data_copy):
    rows, h, (a, b) = _kent_rows(data_copy)
    rows[b][h.index("valid_from")] = "2017-01-01"
    write_rows(data_copy / "membership.csv", rows)
    p = one(problems(data_copy), "spell_gap")
    assert p.row == b + 1 and "Kent" in p.message


def test_spell_ending_before_it_starts(data_copy):
    rows, h, (a, b) = _kent_rows(data_copy)
    rows[a][h.index("valid_to")] = "2013-01-01"
    write_rows(data_copy / "membership.csv", rows)
    p = one(problems(data_copy), "spell_order")
    assert (p.row, p.column) == (a + 1, "valid_to")


def test_missing_and_unknown_columns(data_copy):
    rows = read_rows(data_copy / "rocus.csv")
    j = rows[0].index("brand")
    rows = [r[:j] + r[j + 1 :] for r in rows]
    rows[0].append("colour")
    for r in rows[1:]:
        r.append("")
    write_rows(data_copy / "rocus.csv", rows)
    with pytest.raises(rc.RocuDataError) as err:
        rc.load(data_copy)
    assert one(err.value.problems, "missing_column").column == "brand"
    w = one(err.value.warnings, "unknown_column")  # a warning, reported beside the errors
    assert (w.column, w.severity) == ("colour", "warning")


def test_duplicate_and_blank_headers(data_copy):
    rows = read_rows(data_copy / "events.csv")
    rows[0][-1] = "source_id"
    write_rows(data_copy / "events.csv", rows)
    assert one(problems(data_copy), "header").row == 1


def test_ragged_and_blank_rows(data_copy):
    rows = read_rows(data_copy / "events.csv")
    rows[3] = rows[3][:-1]
    rows.insert(5, [""] * len(rows[0]))
    write_rows(data_copy / "events.csv", rows)
    probs = problems(data_copy)
    assert one(probs, "row_shape").row == 4
    assert one(probs, "blank_row").row == 6


def test_missing_and_unknown_tables(data_copy):
    (data_copy / "events.csv").unlink()
    (data_copy / "notes.csv").write_text("a\n1\n", encoding="utf-8")
    probs = problems(data_copy)
    assert one(probs, "missing_table").value == "events"
    assert one(probs, "unknown_table").file == "notes.csv"


def test_bundled_rows_only_when_asked(data_copy):
    (data_copy / "events.csv").unlink()
    ds = rc.load(data_copy, with_bundled=True)
    assert set(ds.origins("events")["origin"]) == {"bundled"}
    assert len(ds.events) == len(rc.load().events)
    with pytest.raises(rc.RocuDataError):
        rc.load(data_copy)


def test_all_problems_reported_at_once(data_copy):
    set_cell(data_copy, "forces", 3, "officers_fte_2015_03_31", "many")
    set_cell(data_copy, "events", 4, "subject", "mars")
    set_cell(data_copy, "rocus", 2, "established", "Oct 2013")
    probs = problems(data_copy)
    assert {(p.file, p.row, p.rule) for p in probs} >= {
        ("forces.csv", 3, "type"),
        ("events.csv", 4, "enum"),
        ("rocus.csv", 2, "type"),
    }


def test_rows_in_equal_rows_out_and_order_kept(data_copy):
    rows = read_rows(data_copy / "events.csv")
    body = rows[1:]
    body.reverse()
    write_rows(data_copy / "events.csv", [rows[0]] + body)
    ds = rc.load(data_copy)
    assert len(ds.events) == len(body)
    assert list(ds.events["event_id"].astype(int)) == [int(r[0]) for r in body]


def test_error_is_a_value_error_with_every_problem_in_the_message(data_copy):
    set_cell(data_copy, "forces", 3, "officers_fte_2015_03_31", "many")
    with pytest.raises(ValueError) as err:
        rc.load(data_copy)
    assert "forces.csv, row 3, column 'officers_fte_2015_03_31': [type]" in str(err.value)


def test_not_a_folder_or_workbook(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("hi")
    with pytest.raises(ValueError, match="folder of CSV files or an .xlsx"):
        rc.load(p)
    with pytest.raises(FileNotFoundError):
        rc.load(tmp_path / "nope")
