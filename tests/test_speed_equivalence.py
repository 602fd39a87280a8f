"""The faster profile builders give what the code they replaced gave (issue 11).

``operating_model.model_codes`` now walks plain records instead of pandas groups; the
previous implementation is kept verbatim in ``tests/_reference_model_codes.py`` and both
must return the same frame on the bundled data and on an analyst's data, at dates that
fall before, inside and after the dated evidence and the partner renamings.
``dataset._nearest`` now picks with NumPy; it must agree with the plain definition: per
force, the row with the smallest distance to the target, ties to the earlier key, a
missing key last, and a key further than the tolerance read as missing.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rocu_compare.dataset import _nearest
from rocu_compare.operating_model import model_codes
from tests import _reference_model_codes as previous

DATES = ["2005-01-01", "2012-02-29", "2012-03-01", "2013-10-15", "2015-06-30", "2019-06-30", "2025-06-30"]


@pytest.fixture(scope="module")
def analyst(tmp_path_factory):
    from tests.report.analyst_data import analyst_dataset

    return analyst_dataset(tmp_path_factory.mktemp("analyst"))


@pytest.mark.parametrize("evidence", ["stated", "indicated", "implied"])
@pytest.mark.parametrize("as_at", DATES)
def test_model_codes_match_the_previous_implementation(ds, analyst, as_at, evidence):
    for data in (ds, analyst):
        pd.testing.assert_frame_equal(model_codes(data, as_at, evidence), previous.model_codes(data, as_at, evidence))


def _plain_nearest(rows, target, tol_years):
    """Per force (in order of the chosen rows' positions after sorting), the nearest row by hand."""
    t = pd.Timestamp(target)
    lo, hi = t - pd.DateOffset(years=tol_years), t + pd.DateOffset(years=tol_years)
    best = {}
    for force, when, value in rows:
        key = (
            abs((when - t).value) if pd.notna(when) else float("inf"),
            when.value if pd.notna(when) else float("inf"),
        )
        if force not in best or key < best[force][0]:
            best[force] = (key, when, value)
    out = {}
    for force, (_, when, value) in best.items():
        far = pd.isna(when) or not (lo <= when <= hi)
        out[force] = (None if far else value, None if far else when)
    return out


days = st.integers(min_value=0, max_value=6000).map(lambda d: pd.Timestamp(dt.date(2008, 1, 1) + dt.timedelta(d)))


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["A", "B", "C"]), st.one_of(days, st.just(pd.NaT)), st.floats(0, 1e6)),
        min_size=1,
        max_size=12,
    ),
    target=days,
    tol=st.integers(0, 3),
)
def test_nearest_is_the_plain_definition(rows, target, tol):
    frame = pd.DataFrame(rows, columns=["force", "when", "v"]).astype({"when": "datetime64[ns]"})
    got = _nearest(frame, "when", target, "v", "used", pd.DateOffset(years=tol))
    want = _plain_nearest(rows, target, tol)
    assert sorted(got["force"]) == sorted(want)
    for force, value, used in got.itertuples(index=False):
        wv, wu = want[force]
        assert (pd.isna(value) and wv is None) or value == wv
        assert (pd.isna(used) and wu is None) or pd.Timestamp(used) == wu


def test_a_derived_table_is_computed_once_and_handed_out_as_a_copy():
    import rocu_compare as rc
    from rocu_compare.dataset import derived

    ds = rc.load()
    calls = []

    def build():
        calls.append(1)
        return ds.rocus[["rocu_id"]].astype(str)

    first = derived(ds, "test-key", build, ["rocus"])
    first.loc[first.index[0], "rocu_id"] = "changed by the caller"
    again = derived(ds, "test-key", build, ["rocus"])
    assert len(calls) == 1
    assert "changed by the caller" not in set(again["rocu_id"].astype(str))


def test_a_derived_table_is_rebuilt_when_its_table_is_replaced():
    import rocu_compare as rc
    from rocu_compare.piecemeal import founding_ranges

    ds = rc.load()
    before = founding_ranges(ds)
    rocus = ds.tables["rocus"].copy()
    rocus.loc[rocus["rocu_id"].astype(str) == "yhrocu", "established"] = "2010"
    ds.tables["rocus"] = rocus
    after = founding_ranges(ds)
    assert pd.isna(before.loc["yhrocu", "founded_used"])
    assert int(after.loc["yhrocu", "founded_used"]) == 2010


def test_the_bundled_data_is_read_once_and_every_load_is_its_own_copy(tmp_path, monkeypatch):
    import shutil

    import rocu_compare as rc
    import rocu_compare.dataset as dataset

    a, b = rc.load(), rc.load()
    a.tables["rocus"].loc[a.tables["rocus"].index[0], "name"] = "changed"
    assert b.tables["rocus"].iloc[0]["name"] != "changed"
    assert rc.load().tables["rocus"].iloc[0]["name"] != "changed"
    # a changed bundled file is read again
    copy = tmp_path / "data"
    shutil.copytree(dataset.DATA_DIR, copy)
    monkeypatch.setattr(dataset, "DATA_DIR", copy)
    before = rc.load()
    rows = (copy / "rocus.csv").read_text(encoding="utf-8").splitlines()
    head = rows[0].split(",")
    cells = rows[1].split(",")
    cells[head.index("name")] = "Renamed unit"
    rows[1] = ",".join(cells)
    (copy / "rocus.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    after = rc.load()
    assert before.tables["rocus"].iloc[0]["name"] != "Renamed unit"
    assert after.tables["rocus"].iloc[0]["name"] == "Renamed unit"


def test_unit_sums_by_hand():
    import numpy as np

    from rocu_compare.dataset import _unit_sums

    total, gap = _unit_sums(np.array([1.5, 2.0, np.nan, 4.0, 0.25]), [0, 0, 1, 1, 2], 4)
    assert total.tolist() == [3.5, 4.0, 0.25, 0.0] and gap.tolist() == [False, True, False, False]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 4),
            st.one_of(st.none(), st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)),
        ),
        max_size=30,
    )
)
def test_unit_sums_agree_with_a_pandas_grouped_sum(rows):
    """Per-unit sums and 'any missing' equal pandas' groupby (missing skipped) to rounding."""
    import numpy as np

    from rocu_compare.dataset import _unit_sums

    group = [g for g, _ in rows]
    values = np.array([np.nan if v is None else v for _, v in rows], dtype="float64")
    total, gap = _unit_sums(values, group, 5)
    frame = pd.Series(values, dtype="float64")
    expect = frame.groupby(group).sum().reindex(range(5), fill_value=0.0).to_numpy()
    missing = frame.isna().groupby(group).any().reindex(range(5), fill_value=False).to_numpy()
    scale = np.maximum(1.0, pd.Series(np.abs(values)).groupby(group).sum().reindex(range(5), fill_value=0).to_numpy())
    assert np.all(np.abs(total - expect) <= 1e-12 * scale)
    assert gap.tolist() == missing.tolist()
