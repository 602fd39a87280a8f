"""Property-based: corrupted tables are always rejected, naming the corrupted cell."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rocu_compare as rc
from rocu_compare.dataset import read_validated
from rocu_compare.readers import read_csv_folder
from rocu_compare.schema import DATA_DIR, package

PKG = package()
RAW = read_csv_folder(DATA_DIR)
TABLES = [n for n in PKG.tables if RAW[n].rows]


def _bad_values(f, current: str) -> list[str]:
    """Values that break a rule of field f whatever the rest of the row holds."""
    bad = []
    if f.required:
        bad.append("")
    if f.type in ("integer", "number"):
        bad += ["abc", "1,000", "12 FTE"]
    if f.type == "boolean":
        bad.append("maybe")
    if f.type == "date":
        bad += ["31/03/2015", "2015-02-30"]
    if f.partial_date:
        bad += ["2015-13", "March 2015"]
    if f.enum:
        bad.append("zz-not-an-allowed-value")
    if current:
        bad.append(" " + current)  # leading whitespace
    return bad


@st.composite
def corruption(draw):
    name = draw(st.sampled_from(TABLES))
    t = RAW[name]
    row = draw(st.integers(0, len(t.rows) - 1))
    f = draw(st.sampled_from(PKG.tables[name].fields))
    j = t.header.index(f.name)
    options = _bad_values(f, t.rows[row][j])
    value = draw(st.sampled_from(options)) if options else None
    return name, row, f.name, j, value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(corruption())
def test_corrupted_cell_is_rejected_and_named(c):
    name, row, col, j, value = c
    if value is None:
        return
    raw = copy.deepcopy(RAW)
    raw[name].rows[row][j] = value
    with pytest.raises(rc.RocuDataError) as err:
        read_validated(raw, PKG, "test")
    named = [p for p in err.value.problems if p.file == f"{name}.csv" and p.row == row + 2 and p.column == col]
    assert named, [str(p) for p in err.value.problems][:5]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(TABLES), st.data(), st.text(max_size=12))
def test_any_cell_text_gives_data_or_rocu_data_error(name, data, text):
    raw = copy.deepcopy(RAW)
    t = raw[name]
    row = data.draw(st.integers(0, len(t.rows) - 1))
    col = data.draw(st.integers(0, len(t.header) - 1))
    t.rows[row][col] = text
    try:
        ds = read_validated(raw, PKG, "test")
    except rc.RocuDataError as err:
        assert err.problems
    else:
        assert len(ds.tables[name]) == len(t.rows)  # rows in = rows out
