"""Reading a 100,000-row sheet: streaming cells plus a merge scan, against openpyxl's full mode.

``read_workbook`` streams the cells in openpyxl's read-only mode, which does not report merged
ranges, and finds them by scanning the sheet XML for ``<mergeCells>`` (stdlib zipfile, in
chunks). openpyxl's normal mode does see merges but builds every cell object in memory. The
four benchmarks time the reader, openpyxl's read-only streaming alone (the baseline), the
merge scan on its own and the normal-mode load.
"""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from rocu_compare.readers import _merges_in, read_workbook

N_ROWS = 100_000
COLUMNS = ["force", "as_at", "vintage", "officers_fte", "source_id", "notes", "n1", "n2", "flag", "date"]


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "big.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("force_officers_fte")
    ws.append(COLUMNS)
    day = dt.date(2007, 3, 31)
    for i in range(N_ROWS):
        ws.append(
            [
                f"Force {i % 43}",
                f"{2007 + i % 15}-03-31",
                "ho-open-data-2022-07",
                1000 + i * 0.25,
                "ho-workforce-open-data-2022-07",
                "a note of a few words" if i % 7 == 0 else None,
                i,
                i / 3,
                i % 2 == 0,
                day,
            ]
        )
    wb.save(path)
    # add one merged range at the end of the sheet, as Excel's Merge & Center would
    src = zipfile.ZipFile(path)
    out = path.with_name("big_merged.xlsx")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                if b"<dimension" not in data:  # Excel always writes the used range; write-only mode does not
                    data = data.replace(b"<sheetViews>", f'<dimension ref="A1:J{N_ROWS + 1}"/><sheetViews>'.encode(), 1)
                data = data.replace(
                    b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="F99990:F99992"/></mergeCells>'
                )
            dst.writestr(item, data)
    src.close()
    return out


def test_bench_read_workbook_100k_rows(benchmark, big_workbook):
    tables = benchmark.pedantic(read_workbook, args=(big_workbook,), rounds=3, iterations=1)
    t = tables["force_officers_fte"]
    assert len(t.rows) == N_ROWS
    assert [p.rule for p in t.problems if p.rule == "merged_cells"] == ["merged_cells"]


def test_bench_merge_scan_100k_rows(benchmark, big_workbook):
    def scan():
        with zipfile.ZipFile(big_workbook) as z:
            return _merges_in(z, "xl/worksheets/sheet1.xml")

    assert benchmark.pedantic(scan, rounds=5, iterations=1) == ["F99990:F99992"]


def test_bench_openpyxl_full_mode_100k_rows(benchmark, big_workbook):
    def load():
        wb = openpyxl.load_workbook(big_workbook, read_only=False, data_only=False)
        return [str(r) for r in wb["force_officers_fte"].merged_cells.ranges]

    assert benchmark.pedantic(load, rounds=1, iterations=1) == ["F99990:F99992"]


def test_bench_openpyxl_read_only_cells_100k_rows(benchmark, big_workbook):
    """The baseline: openpyxl read-only streaming of every cell, with no merge scan and no checks."""

    def load():
        wb = openpyxl.load_workbook(big_workbook, read_only=True, data_only=False)
        try:
            return sum(1 for row in wb["force_officers_fte"].iter_rows() for _ in row)
        finally:
            wb.close()

    assert benchmark.pedantic(load, rounds=3, iterations=1) == (N_ROWS + 1) * len(COLUMNS)
