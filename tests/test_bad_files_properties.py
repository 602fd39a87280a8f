"""Property-based, at the file level: a valid file that is truncated, overwritten with random
bytes, given merged cells or saved in another encoding is either accepted unchanged or
rejected with a RocuDataError whose problems name the file. Never any other exception."""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import rocu_compare as rc
from rocu_compare.schema import DATA_DIR
from rocu_compare.workbook import table_text

SHEETS = ("rocus", "membership", "capabilities")
SETTINGS = dict(deadline=None, max_examples=20, suppress_health_check=[HealthCheck.too_slow])
BUNDLED = rc.load()
CSV_TABLES = ["rocus", "membership", "events", "inspections", "sources", "capabilities", "forces"]
ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "cp1252",
    "latin-1",
    "mac_roman",
    "cp850",
    "utf-16",
    "utf-16-le",
    "utf-32",
    "iso8859_15",
]


def _rows(name: str) -> list[list[str]]:
    with (DATA_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _workbook_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in SHEETS:
        ws = wb.create_sheet(name)
        for r in _rows(name):
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


WORKBOOK = _workbook_bytes()


def _same_as_bundled(ds: rc.Dataset, tables) -> None:
    for name in tables:
        pd.testing.assert_frame_equal(ds.tables[name], BUNDLED.tables[name], obj=name)


def _load_or_problems(path: Path, **kw):
    """The Dataset, or the problems of the RocuDataError; any other exception fails the test."""
    try:
        return rc.load(path, **kw), None
    except rc.RocuDataError as err:
        assert err.problems
        return None, err.problems


def _assert_accepted_unchanged_or_named(path: Path, label: str):
    ds, probs = _load_or_problems(path, fallback=True)
    if ds is not None:
        _same_as_bundled(ds, SHEETS)
    else:
        assert all(p.file.startswith(label) for p in probs), [str(p) for p in probs][:5]


@settings(**SETTINGS)
@given(st.integers(0, len(WORKBOOK) - 1))
def test_truncated_workbook_is_rejected_naming_it(n):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "book.xlsx"
        p.write_bytes(WORKBOOK[:n])
        ds, probs = _load_or_problems(p, fallback=True)
        assert ds is None and [(q.file, q.row) for q in probs] == [("book.xlsx", None)]


@settings(**SETTINGS)
@given(st.integers(0, len(WORKBOOK) - 1), st.binary(min_size=1, max_size=64))
def test_random_bytes_in_a_workbook(at, junk):
    data = WORKBOOK[:at] + junk + WORKBOOK[at + len(junk) :]
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "book.xlsx"
        p.write_bytes(data[: len(WORKBOOK)])
        _assert_accepted_unchanged_or_named(p, "book.xlsx")


@st.composite
def merge(draw):
    name = draw(st.sampled_from(SHEETS))
    rows = _rows(name)
    r0 = draw(st.integers(1, len(rows)))
    c0 = draw(st.integers(1, len(rows[0])))
    r1 = draw(st.integers(r0, min(r0 + 3, len(rows) + 2)))
    c1 = draw(st.integers(c0, min(c0 + 3, len(rows[0]) + 2)))
    if (r0, c0) == (r1, c1):
        r1 += 1
    return name, r0, c0, r1, c1


@settings(**SETTINGS)
@given(merge())
def test_random_merge_is_reported_with_the_kept_value(m):
    from openpyxl.utils import get_column_letter

    name, r0, c0, r1, c1 = m
    ref = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "book.xlsx"
        p.write_bytes(WORKBOOK)
        wb = openpyxl.load_workbook(p)
        wb[name].merge_cells(ref)
        wb.save(p)
        ds, probs = _load_or_problems(p, fallback=True)
    assert ds is None
    hits = [q for q in probs if q.rule == "merged_cells"]
    assert len(hits) == 1
    (h,) = hits
    assert (h.file, h.row) == (f"book.xlsx[{name}]", r0) and ref in h.message
    assert h.value == _rows(name)[r0 - 1][c0 - 1]


@settings(**SETTINGS)
@given(st.sampled_from(CSV_TABLES), st.sampled_from(ENCODINGS))
def test_csv_in_another_encoding(name, encoding):
    text = (DATA_DIR / f"{name}.csv").read_text(encoding="utf-8")
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)  # this text cannot be saved in this encoding at all
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "data"
        shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("*.json", "*.geojson", "log"))
        (folder / f"{name}.csv").write_bytes(data)
        ds, probs = _load_or_problems(folder)
    if ds is not None:
        assert data.decode("utf-8-sig") == text  # only a UTF-8 reading of the same text is accepted
        _same_as_bundled(ds, [name])
    else:
        assert codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig") or data.decode("utf-8-sig") != text
        assert [q.file for q in probs] == [f"{name}.csv"] and probs[0].rule in ("encoding", "not_csv")


def _as_text(ds: rc.Dataset, name: str) -> list[list[str]]:
    return [
        [v.rstrip("0").rstrip(".") if f.type == "number" and "." in v else v for v, f in zip(r, schema.fields)]
        for schema in [ds.schema.tables[name]]
        for r in table_text(ds.tables[name], schema)
    ]


@settings(**SETTINGS)
@given(st.sampled_from(CSV_TABLES), st.data())
def test_truncated_csv_holds_exactly_what_the_file_holds(name, data):
    raw = (DATA_DIR / f"{name}.csv").read_bytes()
    n = data.draw(st.integers(0, len(raw)))
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "data"
        shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("*.json", "*.geojson", "log"))
        (folder / f"{name}.csv").write_bytes(raw[:n])
        ds, probs = _load_or_problems(folder)
    if ds is None:
        return
    body = list(csv.reader(io.StringIO(raw[:n].decode("utf-8"), newline="")))[1:]
    while body and not any(body[-1]):
        body.pop()
    strip = [
        [v.rstrip("0").rstrip(".") if f.type == "number" and "." in v else v for v, f in zip(r, fields)]
        for fields in [ds.schema.tables[name].fields]
        for r in body
    ]
    assert _as_text(ds, name) == strip  # nothing dropped, added or changed beyond the cut
    if not raw[:n].endswith(b"\n"):
        assert [w.rule for w in ds.warnings] == ["no_final_newline"]


@settings(**SETTINGS)
@given(st.sampled_from(CSV_TABLES), st.data(), st.binary(min_size=1, max_size=32))
def test_random_bytes_in_a_csv_give_data_or_problems(name, data, junk):
    raw = (DATA_DIR / f"{name}.csv").read_bytes()
    at = data.draw(st.integers(0, len(raw) - 1))
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "data"
        shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("*.json", "*.geojson", "log"))
        (folder / f"{name}.csv").write_bytes(raw[:at] + junk + raw[at + len(junk) :])
        _load_or_problems(folder)  # any exception but RocuDataError fails


@pytest.mark.parametrize("name", SHEETS)
def test_the_valid_workbook_loads_unchanged(name, tmp_path):
    p = tmp_path / "book.xlsx"
    p.write_bytes(WORKBOOK)
    _same_as_bundled(rc.load(p, fallback=True), [name])
