"""The operating-model matrix renders on the bundled data and on sparse analyst data, gaps labelled."""

from __future__ import annotations

import io

import pytest
from conftest import read_rows, write_rows

import rocu_compare as rc
from rocu_compare.errors import RocuDataError
from rocu_compare.figures.model_matrix import CELL_TEXT, cell_label, model_matrix
from rocu_compare.operating_model import MODEL_ATTRIBUTES, model_codes
from rocu_compare.report.catalog import build_context, make_figure


def _texts(fig, gid):
    return [t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == gid]


def _render(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    assert buf.getvalue()[:4] == b"\x89PNG"


def _check(fig, meta, ds):
    codes = model_codes(ds, "2015-06-30")
    n_cells = len(ds.rocus) * len(MODEL_ATTRIBUTES)
    gaps = _texts(fig, "cell-gap-text")
    assert len(gaps) == n_cells - len(codes)
    assert set(gaps) <= {CELL_TEXT["gap"]}
    values = _texts(fig, "cell-value-text")
    assert len(values) == int(codes["value"].notna().sum())
    assert len(_texts(fig, "cell-evidence-text")) == len(codes)
    # the words are computed from the data in hand
    assert f"{len(gaps)} are '{CELL_TEXT['gap']}'" in meta.subtitle
    assert f"{len(gaps)} are labelled 'not found'" in meta.alt_text
    _render(fig)
    return codes, gaps, values


def test_renders_on_bundled_data(ds):
    fig, meta = make_figure("operating_models", build_context(ds))
    codes, gaps, values = _check(fig, meta, ds)
    assert gaps and values
    # a 'no' is drawn only where a source says so: SEROCU counter terrorism ('aligned'), London/SEROCU forensics
    assert values.count("no") == int((codes["value"] == "no").sum()) == 3
    assert CELL_TEXT["conflict"] in _texts(fig, "cell-conflict-text")  # SWROCU's two undated ranks
    assert "Remits: economic crime: yes in NERSOU" in meta.alt_text


@pytest.fixture
def sparse_folder(data_copy):
    """An analyst folder whose model evidence has two rows and whose capability evidence is empty."""
    me = read_rows(data_copy / "rocu_model_evidence.csv")
    head = me[0]
    keep = [r for r in me[1:] if (r[0], r[1]) in {("emsou", "remit_major_crime"), ("tarian", "senior_lead_rank")}]
    keep = [r for r in keep if r[head.index("as_of")]][:2]
    write_rows(data_copy / "rocu_model_evidence.csv", [head] + keep)
    ce = read_rows(data_copy / "capability_evidence.csv")
    write_rows(data_copy / "capability_evidence.csv", [ce[0]])
    return data_copy


def test_renders_on_a_sparse_analyst_folder_with_gaps_labelled(sparse_folder):
    ds = rc.load(sparse_folder)
    assert len(ds.rocu_model_evidence) == 2
    fig, meta = make_figure("operating_models", build_context(ds))
    codes, gaps, values = _check(fig, meta, ds)
    # 2 evidence cells + the collaboration instrument and host model codes of rocus; the rest are gaps
    n_rocus_codes = int(ds.rocus["collaboration_instrument"].notna().sum() + ds.rocus["host_model"].notna().sum())
    assert len(codes) == 2 + n_rocus_codes
    assert len(gaps) == 90 - len(codes)
    assert "no" not in values


def test_renders_on_an_analyst_workbook_with_an_empty_model_table(ds, tmp_path):
    from rocu_compare.workbook import export

    tables = dict(ds.tables)
    tables["rocu_model_evidence"] = ds.rocu_model_evidence.iloc[0:0]
    export(rc.Dataset(tables), tmp_path / "book.xlsx")
    back = rc.load(tmp_path / "book.xlsx")
    assert len(back.rocu_model_evidence) == 0
    fig, meta = make_figure("operating_models", build_context(back))
    _check(fig, meta, back)


def test_folder_without_the_model_table_is_a_clear_error_or_takes_the_bundled_rows(data_copy):
    (data_copy / "rocu_model_evidence.csv").unlink()
    with pytest.raises(RocuDataError) as err:
        rc.load(data_copy)
    assert any(p.value == "rocu_model_evidence" and p.rule == "missing_table" for p in err.value.problems)
    ds = rc.load(data_copy, with_bundled=True)  # the bundled rows stand in for the missing table
    assert len(ds.rocu_model_evidence) == len(rc.load().rocu_model_evidence)


def test_cell_label_never_turns_a_gap_into_no():
    assert cell_label(None) == cell_label(float("nan")) == "not found"
    assert cell_label("Detective Superintendent", "senior_lead_rank") == "Det Supt"


def test_empty_codes_draw_every_cell_as_a_gap():
    import pandas as pd

    codes = pd.DataFrame(columns=["rocu_id", "attribute", "value", "evidence_strength", "dated", "as_of"])
    fig = model_matrix(codes, rocus=["a", "b"])
    assert _texts(fig, "cell-gap-text") == ["not found"] * (2 * len(MODEL_ATTRIBUTES))
