"""Every bad file gets a clear answer (issue 12): whole-file problems, merged cells, the same
rules for CSV and workbook, messages that say how to fix it, plausibility warnings and the
problems file. Each case is a failing input with an assertion on the message."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import read_rows, set_cell, write_rows

import rocu_compare as rc
from rocu_compare.cli import main
from rocu_compare.problems_file import COLUMNS, read_problems
from rocu_compare.schema import DATA_DIR, package


def problems(path, **kw):
    with pytest.raises(rc.RocuDataError) as err:
        rc.load(path, **kw)
    return err.value.problems


def one(probs, rule):
    hits = [p for p in probs if p.rule == rule]
    assert hits, f"no {rule!r} problem in {[str(p) for p in probs]}"
    return hits[0]


def small_workbook(path: Path, tables=("rocus", "membership", "rocu_resources")) -> openpyxl.Workbook:
    """A workbook holding a few bundled tables as typed text (load it with fallback=True)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in tables:
        ws = wb.create_sheet(name)
        for r in read_rows(DATA_DIR / f"{name}.csv"):
            ws.append(r)
    wb.save(path)
    return wb


def resources_rows(*rows):
    """rocu_resources rows for swrocu (financial_year, budget, grant, officers, staff), cited to a source with a URL."""
    header = package()["rocu_resources"].columns
    return [header] + [["swrocu", fy, b, g, o, s, "false", "", "hmic-2015-news", ""] for fy, b, g, o, s in rows]


# --- 1. whole-file problems ----------------------------------------------------------------------


def _zip_not_workbook(p):
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("notes.txt", "hello")


def _ods_named_xlsx(p):
    tmp = p.with_suffix(".ods")
    pd.DataFrame({"a": [1]}).to_excel(tmp, engine="odf", index=False)
    tmp.rename(p)


def _truncated(p):
    small_workbook(p)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) * 2 // 3])


WHOLE_FILE = [
    (
        "renamed.xlsx",
        lambda p: p.write_bytes((DATA_DIR / "forces.csv").read_bytes()),
        "not_workbook",
        "not an Excel workbook: looks like CSV text",
    ),
    ("random.xlsx", lambda p: p.write_bytes(random.Random(1).randbytes(3000)), "not_workbook", "not a zip archive"),
    ("empty.xlsx", lambda p: p.write_bytes(b""), "empty_file", "zero bytes"),
    ("cut.xlsx", _truncated, "damaged_workbook", "truncated or damaged workbook"),
    ("archive.xlsx", _zip_not_workbook, "not_workbook", "a zip archive (no xl/workbook.xml inside)"),
    (
        "old.xlsx",
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
        "unsupported_format",
        "Excel 97-2003 (.xls)",
    ),
    ("calc.xlsx", _ods_named_xlsx, "unsupported_format", "OpenDocument spreadsheet (.ods)"),
    (
        "old.xls",
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
        "unsupported_format",
        "Excel 97-2003 (.xls) workbook is not read",
    ),
    (
        "calc.ods",
        lambda p: pd.DataFrame({"a": [1]}).to_excel(p, engine="odf", index=False),
        "unsupported_format",
        "OpenDocument spreadsheet (.ods) is not read",
    ),
    ("forces.csv", lambda p: p.write_bytes((DATA_DIR / "forces.csv").read_bytes()), "not_a_folder", "a single CSV"),
]


@pytest.mark.parametrize("name, make, rule, text", WHOLE_FILE, ids=[c[0] for c in WHOLE_FILE])
def test_whole_file_problem_is_one_problem_naming_the_file(tmp_path, capsys, name, make, rule, text):
    p = tmp_path / name
    make(p)
    probs = problems(p)
    assert len(probs) == 1
    (prob,) = probs
    assert (prob.file, prob.row, prob.rule) == (name, None, rule)
    assert text in prob.message and prob.fix
    assert str(prob).startswith(f"{name}: [{rule}] ")
    assert main(["validate", str(p)]) == 1
    err = capsys.readouterr().err
    assert f"{name}: [{rule}]" in err and "Traceback" not in err


def test_whole_file_problem_from_the_command_line_has_no_traceback(tmp_path):
    p = tmp_path / "empty.xlsx"
    p.write_bytes(b"")
    r = subprocess.run([sys.executable, "-m", "rocu_compare.cli", "validate", str(p)], capture_output=True, text=True)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "empty.xlsx: [empty_file] zero bytes" in r.stderr


def test_windows_1252_csv_names_the_line_and_the_fix(data_copy):
    p = data_copy / "rocus.csv"
    text = p.read_text(encoding="utf-8")
    p.write_bytes(text.encode("cp1252"))
    line = next(i for i, s in enumerate(text.splitlines(), start=1) if "£" in s)
    probs = problems(data_copy)
    assert [pr.file for pr in probs] == ["rocus.csv"]  # one problem; nothing cascades from the unread table
    (prob,) = probs
    assert (prob.rule, prob.row) == ("encoding", line)
    assert prob.message.startswith("not UTF-8: looks like Windows-1252")
    assert f"'£' on line {line}" in prob.message and "£" in prob.value
    assert "CSV UTF-8" in prob.fix


def test_stray_byte_that_is_not_windows_1252(data_copy):
    p = data_copy / "events.csv"
    lines = p.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b",", b"\x81,", 1)  # 0x81 is undefined in Windows-1252
    p.write_bytes(b"\n".join(lines))
    (prob,) = problems(data_copy)
    assert (prob.file, prob.rule, prob.row) == ("events.csv", "encoding", 5)
    assert "not UTF-8 text: byte 0x81 on line 5" in prob.message and "CSV UTF-8" in prob.fix


@pytest.mark.parametrize(
    "content, text",
    [
        (b"", "zero bytes"),
        (b"PK\x03\x04" + bytes(100), "zip archive, not CSV text"),
        ("a,b\n1,2\n".encode("utf-16"), "UTF-16 text"),
        (random.Random(2).randbytes(2000), "binary data, not CSV text"),
    ],
    ids=["zero-bytes", "workbook-renamed-csv", "utf-16", "random-bytes"],
)
def test_unreadable_csv_in_a_folder(data_copy, content, text):
    (data_copy / "events.csv").write_bytes(content)
    probs = problems(data_copy)
    assert [p.file for p in probs] == ["events.csv"]
    assert text in probs[0].message and probs[0].fix


# --- 2. merged cells ---------------------------------------------------------------------------


def test_merged_cells_are_reported_and_the_file_rejected(tmp_path):
    p = tmp_path / "m.xlsx"
    wb = small_workbook(p)
    wb["membership"].merge_cells("C2:C4")  # Merge & Center over valid_from of Cleveland, Durham, Northumbria
    wb.save(p)
    probs = problems(p, fallback=True)
    m = one(probs, "merged_cells")
    assert (m.file, m.row, m.column, m.value) == ("m.xlsx[membership]", 2, "valid_from", "2013-10")
    assert "cells C2:C4 are merged" in m.message and "other 2 cells read as blank" in m.message
    assert "unmerge" in m.fix


def test_merge_across_columns_and_in_the_header(tmp_path):
    p = tmp_path / "m.xlsx"
    wb = small_workbook(p)
    wb["rocus"].merge_cells("B3:D3")
    wb["membership"].merge_cells("A1:B1")
    wb.save(p)
    got = {(pr.file, pr.row, pr.column) for pr in problems(p, fallback=True) if pr.rule == "merged_cells"}
    assert got == {("m.xlsx[rocus]", 3, "name"), ("m.xlsx[membership]", 1, "force")}


def test_merge_outside_the_table_is_formatting(tmp_path):
    p = tmp_path / "m.xlsx"
    wb = small_workbook(p)
    wb["membership"].merge_cells("A200:B201")
    wb.save(p)
    rc.load(p, fallback=True)


def test_merges_are_found_in_a_sheet_larger_than_one_read_chunk(tmp_path):
    from rocu_compare.readers import _merges_in

    p = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(20000):
        ws.append([f"row {i}", i, "some text to make the sheet larger"])
    ws.merge_cells("A5:A6")
    ws.merge_cells("C19990:C20000")
    wb.save(p)
    with zipfile.ZipFile(p) as z:
        assert sorted(_merges_in(z, "xl/worksheets/sheet1.xml", chunk=4096)) == ["A5:A6", "C19990:C20000"]


# --- 3. same rules for CSV and workbook ----------------------------------------------------------


def test_trailing_blank_rows_are_ignored_in_csv(data_copy):
    p = data_copy / "events.csv"
    width = len(read_rows(p)[0])
    p.write_text(
        p.read_text(encoding="utf-8") + "," * (width - 1) + "\n" + "\n" + "," * (width - 1) + "\n", encoding="utf-8"
    )
    assert len(rc.load(data_copy).events) == len(rc.load().events)


def test_trailing_blank_rows_are_ignored_in_a_workbook(tmp_path):
    p = tmp_path / "t.xlsx"
    wb = small_workbook(p)
    ws = wb["membership"]
    n = ws.max_row
    ws.cell(row=n + 3, column=2).value = ""
    wb.save(p)
    assert len(rc.load(p, fallback=True).membership) == n - 1


def test_blank_row_inside_is_reported_in_csv(data_copy):
    rows = read_rows(data_copy / "membership.csv")
    rows.insert(3, [""] * len(rows[0]))
    rows.insert(6, [])
    write_rows(data_copy / "membership.csv", rows)
    got = [(p.row, p.rule) for p in problems(data_copy) if p.file == "membership.csv"]
    assert (4, "blank_row") in got and (7, "blank_row") in got


def test_blank_row_inside_is_reported_in_a_workbook(tmp_path):
    p = tmp_path / "t.xlsx"
    wb = small_workbook(p)
    wb["membership"].insert_rows(4)
    wb.save(p)
    b = one(problems(p, fallback=True), "blank_row")
    assert (b.file, b.row) == ("t.xlsx[membership]", 4)
    assert "delete the row" in b.fix


def test_unknown_column_is_a_warning_in_csv(data_copy):
    rows = read_rows(data_copy / "rocus.csv")
    rows[0].append("checked_by")
    for r in rows[1:]:
        r.append("JB")
    write_rows(data_copy / "rocus.csv", rows)
    ds = rc.load(data_copy)
    (w,) = ds.warnings
    assert (w.file, w.row, w.column, w.rule, w.severity) == ("rocus.csv", 1, "checked_by", "unknown_column", "warning")
    assert "ignored by the analysis; the file is unchanged" in w.message
    assert "checked_by" not in ds.rocus.columns


def test_unknown_column_is_a_warning_in_a_workbook(tmp_path):
    p = tmp_path / "t.xlsx"
    wb = small_workbook(p)
    ws = wb["rocus"]
    ws.cell(row=1, column=ws.max_column + 1).value = "checked_by"
    wb.save(p)
    ds = rc.load(p, fallback=True)
    assert [(w.file, w.column, w.rule) for w in ds.warnings] == [("t.xlsx[rocus]", "checked_by", "unknown_column")]


def test_misspelt_column_suggests_the_schema_name(data_copy):
    rows = read_rows(data_copy / "rocus.csv")
    rows[0][rows[0].index("brand")] = "Brand"
    write_rows(data_copy / "rocus.csv", rows)
    m = one(problems(data_copy), "missing_column")
    assert m.column == "brand" and m.fix == "rename column 'Brand' to 'brand'"


# --- 4. messages with the fix --------------------------------------------------------------------


def test_wrong_case_id_gets_one_problem_with_did_you_mean(data_copy):
    set_cell(data_copy, "membership", 2, "rocu_id", "NERSOU")
    probs = [p for p in problems(data_copy) if (p.file, p.row, p.column) == ("membership.csv", 2, "rocu_id")]
    assert [p.rule for p in probs] == ["enum"]  # not enum and foreign_key for the same cell
    assert probs[0].fix == "did you mean 'nersou'?"


def test_unknown_force_gets_the_closest_match(data_copy):
    set_cell(data_copy, "membership", 2, "force", "Clevland")
    set_cell(data_copy, "membership", 3, "force", "DURHAM")
    probs = {p.row: p for p in problems(data_copy) if p.rule == "foreign_key"}
    assert probs[2].fix == "did you mean 'Cleveland'?" and "forces.force" in probs[2].message
    assert probs[3].fix == "did you mean 'Durham'?"


def test_unknown_source_id_gets_the_closest_match(data_copy):
    set_cell(data_copy, "events", 2, "source_id", "hmic-2015-nws")
    p = one(problems(data_copy), "source_known")
    assert p.fix == "did you mean 'hmic-2015-news'?"


def test_no_close_match_says_what_to_do(data_copy):
    set_cell(data_copy, "membership", 2, "force", "Atlantis Constabulary")
    p = one(problems(data_copy), "foreign_key")
    assert p.fix == "add it to the forces table first, or use one of its values"


@pytest.mark.parametrize(
    "typed, fix",
    [
        ("2014/15", "write 2014-15"),
        ("2014-2015", "write 2014-15"),
        ("2014 to 2015", "write 2014-15"),
        ("FY2014/15", "write 2014-15"),
    ],
)
def test_financial_year_written_another_way(data_copy, typed, fix):
    write_rows(data_copy / "rocu_resources.csv", resources_rows((typed, "", "", "", "")))
    p = one(problems(data_copy), "pattern")
    assert (p.row, p.column, p.value, p.fix) == (2, "financial_year", typed, fix)


@pytest.mark.parametrize("typed", ["2015-17", "2015-99", "2015-15"])
def test_financial_year_parts_must_be_consecutive(data_copy, typed):
    write_rows(data_copy / "rocu_resources.csv", resources_rows((typed, "", "", "", "")))
    p = one(problems(data_copy), "financial_year")
    assert (p.row, p.severity, p.fix) == (2, "error", "write 2015-16")
    assert "not consecutive" in p.message


def test_financial_year_across_a_century_is_consecutive(data_copy):
    write_rows(data_copy / "rocu_resources.csv", resources_rows(("2099-00", "", "", "", "")))
    assert len(rc.load(data_copy).rocu_resources) == 1


@pytest.mark.parametrize("typed", ["n/a", "-", "unknown", "N/K"])
def test_not_known_words_say_leave_the_cell_blank(data_copy, typed):
    write_rows(data_copy / "rocu_resources.csv", resources_rows(("2015-16", typed, "", "", "")))
    p = one(problems(data_copy), "type")
    assert (p.column, p.value) == ("budget_gbp", typed)
    assert p.fix == "leave the cell blank for not known"


def test_not_known_in_a_required_column_asks_for_a_value(data_copy):
    set_cell(data_copy, "forces", 3, "police_region", "n/a")
    p = one(problems(data_copy), "enum")
    assert "needs a value" in p.message and "cannot be left blank" in p.fix


@pytest.mark.parametrize(
    "typed, fix",
    [
        ("£12,500,000", "type 12500000 (no £ or commas)"),
        ("12,500,000", "type 12500000 (no commas)"),
        ("£12.5m", "type 12500000 (in pounds, no £ or 'm')"),
        ("12.5 million", "type 12500000 (in pounds, no 'million')"),
    ],
)
def test_money_typed_with_symbols(data_copy, typed, fix):
    write_rows(data_copy / "rocu_resources.csv", resources_rows(("2015-16", typed, "", "", "")))
    p = one(problems(data_copy), "type")
    assert (p.column, p.value, p.fix) == ("budget_gbp", typed, fix)


@pytest.mark.parametrize(
    "table, row, column, typed, fix",
    [
        ("forces", 5, "officers_fte_2015_03_31", "1,952.06", "type 1952.06 (no commas)"),
        ("forces", 5, "population_census_2011_persons", "1,027,709", "type 1027709 (no commas)"),
        ("inspections", 2, "published", "07/12/2022", "write 2022-12-07 (YYYY-MM-DD) if you mean 7 December 2022"),
        ("rocus", 2, "established", "Oct 2013", "write 2013-10"),
        ("rocus", 2, "established", "10/2013", "write 2013-10"),
        ("facts", 2, "is_estimate", "yes", "write true"),
        ("forces", 5, "ons_name_pfa16nm", " Cheshire", "delete the spaces: type 'Cheshire'"),
        ("events", 2, "event_type", "Established", "did you mean 'established'?"),
    ],
)
def test_cell_messages_carry_the_fix(data_copy, table, row, column, typed, fix):
    set_cell(data_copy, table, row, column, typed)
    hits = [p for p in problems(data_copy) if (p.file, p.row, p.column) == (f"{table}.csv", row, column)]
    assert len(hits) == 1 and hits[0].fix == fix


def test_numeric_fact_typed_with_symbols(data_copy):
    rows = read_rows(data_copy / "facts.csv")
    h = rows[0]
    i = next(k for k, r in enumerate(rows) if k and r[h.index("unit")] == "GBP")
    set_cell(data_copy, "facts", i + 1, "value", "£440,000")
    p = one(problems(data_copy), "numeric_units")
    assert p.fix == "type 440000 (no £ or commas)"


def test_number_in_a_date_formatted_cell(tmp_path):
    p = tmp_path / "d.xlsx"
    wb = small_workbook(p)
    c = wb["membership"]["C2"]
    c.value, c.number_format = 2013, "yyyy-mm-dd"  # a year typed into a date-formatted cell
    wb["rocu_resources"].append(["swrocu", "2015-16", 41548, None, None, None, "false", None, "hmic-2015-news", None])
    wb["rocu_resources"]["C2"].number_format = "dd/mm/yyyy"
    wb.save(p)
    probs = [pr for pr in problems(p, fallback=True) if pr.rule == "date_format"]
    got = {(pr.file, pr.row, pr.column): pr for pr in probs}
    year = got[("d.xlsx[membership]", 2, "valid_from")]
    assert year.value == "1905-07-05" and "number 2013 typed into a date-formatted cell" in year.message
    assert year.fix == "format the cell as Text and type 2013"
    money = got[("d.xlsx[rocu_resources]", 2, "budget_gbp")]
    assert "formatted as a date" in money.message and "41548" in money.message and "Number" in money.fix
    assert len(probs) == 2  # one problem per cell: no extra type error for the budget


def test_a_real_date_in_a_date_cell_is_fine(tmp_path):
    p = tmp_path / "d.xlsx"
    wb = small_workbook(p)
    c = wb["membership"]["C2"]
    c.value, c.number_format = pd.Timestamp("2013-10-01").to_pydatetime(), "yyyy-mm-dd"
    wb.save(p)
    assert rc.load(p, fallback=True).membership["valid_from"].iloc[0] == "2013-10-01"


def test_every_message_is_one_line_starting_with_the_place(data_copy):
    set_cell(data_copy, "events", 2, "description", "two\nlines")
    set_cell(data_copy, "events", 2, "event_type", "Established\nagain")
    set_cell(data_copy, "membership", 2, "rocu_id", "NERSOU")
    write_rows(data_copy / "rocu_resources.csv", resources_rows(("2014/15", "£12,500,000", "n/a", "", "")))
    probs = problems(data_copy)
    assert len(probs) >= 4
    for p in probs:
        s = str(p)
        assert "\n" not in s and s.startswith(f"{p.place}: [{p.rule}] ")


# --- 5. plausibility warnings --------------------------------------------------------------------


def _warnings(folder):
    return rc.load(folder).warnings


@pytest.mark.parametrize(
    "row, column, rule, text",
    [
        (("2015-16", "23", "", "", ""), "budget_gbp", "plausible_budget", "typed in £m?"),
        (("2015-16", "99000", "", "", ""), "budget_gbp", "plausible_budget", "typed in £m?"),
        (("2015-16", "600000000", "", "", ""), "budget_gbp", "plausible_budget", "above £500m"),
        (
            ("2015-16", "20000000", "4100000000", "", ""),
            "home_office_grant_gbp",
            "plausible_grant",
            "the grant (£4.1bn) is larger than the budget (£20m)",
        ),
        (("2015-16", "", "4100000000", "", ""), "home_office_grant_gbp", "plausible_grant", "above £500m"),
        (("2015-16", "", "", "5001", ""), "officers_fte", "plausible_fte", "above 5,000"),
        (("2015-16", "", "", "3000", "2500"), "officers_fte, staff_fte", "plausible_fte", "together (5,500 FTE)"),
    ],
)
def test_implausible_resources_are_warnings(data_copy, row, column, rule, text):
    write_rows(data_copy / "rocu_resources.csv", resources_rows(row))
    (w,) = _warnings(data_copy)
    assert (w.file, w.row, w.column, w.rule, w.severity) == ("rocu_resources.csv", 2, column, rule, "warning")
    assert text in w.message and w.fix


def test_budget_in_millions_fix_gives_the_pounds(data_copy):
    write_rows(data_copy / "rocu_resources.csv", resources_rows(("2015-16", "23", "", "", "")))
    (w,) = _warnings(data_copy)
    assert w.fix == "budget_gbp is in pounds: type 23000000 for £23m"


def test_plausible_resources_give_no_warning(data_copy):
    write_rows(
        data_copy / "rocu_resources.csv",
        resources_rows(("2015-16", "100000", "100000", "5000", ""), ("2016-17", "500000000", "", "", "")),
    )
    assert _warnings(data_copy) == []


def test_membership_before_the_unit_existed(data_copy):
    set_cell(data_copy, "membership", 2, "valid_from", "2012")  # Cleveland in NERSOU, established 2013-10
    set_cell(data_copy, "membership", 3, "valid_from", "")  # Durham, open to the past
    set_cell(data_copy, "membership", 4, "valid_from", "2013")  # could be Oct 2013 or later: no warning
    got = {(w.row, w.rule) for w in _warnings(data_copy)}
    assert got == {(2, "plausible_spell"), (3, "plausible_spell")}


def test_bundled_data_has_no_warnings(ds):
    assert ds.warnings == []


def test_cli_prints_warnings_apart_and_strict_makes_them_errors(data_copy, capsys):
    write_rows(data_copy / "rocu_resources.csv", resources_rows(("2015-16", "23", "", "", "")))
    assert main(["validate", str(data_copy)]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("OK with 1 warning(s)")
    assert "1 warning(s) in" in out.err and "problem(s)" not in out.err
    assert "rocu_resources.csv, row 2, column 'budget_gbp': [plausible_budget]" in out.err
    assert main(["validate", str(data_copy), "--strict"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("1 problem(s) in") and "[plausible_budget]" in err and "warning(s)" not in err


def test_cli_prints_errors_and_warnings_in_two_lists(data_copy, capsys):
    write_rows(
        data_copy / "rocu_resources.csv", resources_rows(("2015-16", "23", "", "", ""), ("2014/15", "", "", "", ""))
    )
    assert main(["validate", str(data_copy)]) == 1
    err = capsys.readouterr().err
    errors, warnings = err.split("warning(s) in")
    assert "[pattern]" in errors and "[plausible_budget]" not in errors
    assert "[plausible_budget]" in warnings


# --- 6. the problems file ------------------------------------------------------------------------


def _printed(err: str) -> list[str]:
    return [line[4:] for line in err.splitlines() if line.startswith("  - ")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_problems_file_has_the_printed_problems(data_copy, tmp_path, capsys, suffix):
    set_cell(data_copy, "membership", 2, "rocu_id", "NERSOU")
    set_cell(data_copy, "events", 3, "description", "=SUM(A1:A2)")
    set_cell(data_copy, "events", 4, "subject", "mars")
    write_rows(
        data_copy / "rocu_resources.csv",
        resources_rows(("2015-16", "23", "", "", ""), ("2014/15", "£12,500,000", "n/a", "", "")),
    )
    set_cell(data_copy, "events", 3, "event_type", "=odd")
    out = tmp_path / f"problems{suffix}"
    assert main(["validate", str(data_copy), "--problems", str(out)]) == 1
    printed = _printed(capsys.readouterr().err)
    rows = read_problems(out)
    assert list(rows[0]) == COLUMNS
    assert len(rows) == len(printed) >= 6
    for line, r in zip(printed, rows):
        start = f"{r['place']}: [{r['rule']}] {r['message']}"
        assert line.startswith(start)
        assert (f"(value {r['value']!r})" in line) or r["value"] == ""
        assert line.endswith(f"; fix: {r['fix']}") if r["fix"] else "; fix:" not in line
    assert {r["severity"] for r in rows} == {"error", "warning"}
    assert any(r["value"] == "=odd" for r in rows)  # stored as text, never a formula


def test_problems_file_for_a_whole_file_problem(tmp_path, capsys):
    p = tmp_path / "empty.xlsx"
    p.write_bytes(b"")
    out = tmp_path / "problems.csv"
    assert main(["validate", str(p), "--problems", str(out)]) == 1
    (r,) = read_problems(out)
    assert (r["place"], r["rule"], r["row"]) == ("empty.xlsx", "empty_file", "")


def test_problems_file_when_there_are_none(tmp_path, capsys):
    out = tmp_path / "problems.csv"
    assert main(["validate", "data", "--problems", str(out)]) == 0
    assert read_problems(out) == []
    with out.open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == COLUMNS


# --- more whole-file cases -----------------------------------------------------------------------


def test_damaged_sheet_xml_inside_a_sound_zip(tmp_path):
    good = tmp_path / "good.xlsx"
    small_workbook(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data[: len(data) // 2]  # the XML stops mid-way: the zip itself is intact
            dst.writestr(item, data)
    (prob,) = problems(bad, fallback=True)
    assert (prob.file, prob.rule) == ("bad.xlsx", "damaged_workbook")
    assert "sheet 'membership'" in prob.message and prob.fix


def test_unreadable_sources_does_not_flag_every_citation(data_copy):
    (data_copy / "sources.csv").write_bytes(b"")
    probs = problems(data_copy)
    assert [(p.file, p.rule) for p in probs] == [("sources.csv", "empty_file")]


def test_csv_without_a_final_line_ending_may_be_cut_short(data_copy):
    p = data_copy / "events.csv"
    p.write_bytes(p.read_bytes().rstrip(b"\n"))
    ds = rc.load(data_copy)
    (w,) = ds.warnings
    n = len(read_rows(p))
    assert (w.file, w.row, w.rule, w.severity) == ("events.csv", n, "no_final_newline", "warning")
    assert "cut short" in w.message
    assert len(ds.events) == n - 1  # nothing dropped
