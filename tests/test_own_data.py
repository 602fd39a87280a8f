"""An analyst's own data next to the bundled data: row-level combination, internal sources,
protective marking, and the command line used from a relative path."""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest

import rocu_compare as rc
from rocu_compare.cli import main
from rocu_compare.workbook import append_rows, write_template

NINE = ["nersou", "nwrocu", "yhrocu", "emsou", "wmrocu", "ersou", "serocu", "swrocu", "tarian"]
YEARS = ["2015-16", "2016-17", "2017-18"]
INTERNAL = {
    "source_id": "rocu-return-2016",
    "title": "ROCU resources return 2015-16 to 2017-18 (test)",
    "publisher": "Regional analysts (test)",
    "url_basis": "internal",
    "kind": "internal-return",
    "classification": "OFFICIAL-SENSITIVE",
    "notes": "made up for the tests",
}


def filled_workbook(path: Path) -> Path:
    """A filled template: an internal source, one added capability, three years of resourcing for
    nine ROCUs and capability status for several capabilities."""
    write_template(path)
    append_rows(path, "sources", [INTERNAL])
    append_rows(
        path,
        "capabilities",
        [
            {
                "capability": "kidnap and extortion (test)",
                "attestation": "named-by-analyst",
                "source_ids": "rocu-return-2016",
            }
        ],
    )
    rows = []
    for k, rocu in enumerate(NINE):
        for j, fy in enumerate(YEARS):
            rows.append(
                {
                    "rocu_id": rocu,
                    "financial_year": fy,
                    "budget_gbp": 5_000_000 + 1_000_000 * k + 250_000 * j,
                    "home_office_grant_gbp": 1_500_000 + 100_000 * k,
                    "officers_fte": 60 + 5 * k + j,
                    "staff_fte": 30 + 2 * k,
                    "is_estimate": False,
                    "source_id": "rocu-return-2016",
                }
            )
    append_rows(path, "rocu_resources", rows)
    append_rows(
        path,
        "capability_status",
        [
            {"rocu_id": r, "capability": c, "year": 2016, "status": s, "source_id": "rocu-return-2016"}
            for r, c, s in [
                ("swrocu", "undercover policing", "delivered"),
                ("nwrocu", "undercover policing", "partly delivered"),
                ("emsou", "kidnap and extortion (test)", "delivered"),
                ("tarian", "regional prison intelligence unit", "not delivered"),
            ]
        ],
    )
    return path


@pytest.fixture(scope="module")
def mine(tmp_path_factory) -> Path:
    return filled_workbook(tmp_path_factory.mktemp("own") / "mine.xlsx")


def problems(path, **kw) -> list[rc.Problem]:
    with pytest.raises(rc.RocuDataError) as err:
        rc.load(path, **kw)
    return err.value.problems


def test_rows_added_to_the_bundled_rows_with_origins(mine):
    bundled = rc.load()
    ds = rc.load(mine, with_bundled=True)
    assert len(ds.sources) == len(bundled.sources) + 1
    assert len(ds.capabilities) == len(bundled.capabilities) + 1
    assert len(ds.rocu_resources) == 27 and len(ds.capability_status) == 4
    o = ds.origins("sources")
    assert o["origin"].value_counts().to_dict() == {"bundled": len(bundled.sources), "analyst": 1}
    last = o.iloc[-1]
    assert (last["file"], int(last["row"])) == ("mine.xlsx[sources]", 2)
    assert ds.sources.iloc[-1]["source_id"] == "rocu-return-2016"
    assert ds.analyst_rows("rocu_resources").all() and not ds.analyst_rows("forces").any()
    # the bundled rows come through unchanged, in their order
    assert ds.forces.reset_index(drop=True).equals(bundled.forces.reset_index(drop=True))
    assert ds.notices == [] and ds.data_name == "mine.xlsx"


def test_internal_source_sets_the_marking(mine):
    assert rc.load().marking is None
    assert rc.load(mine, with_bundled=True).marking == "OFFICIAL-SENSITIVE"
    assert rc.load(mine, with_bundled=True).citable_url("rocu-return-2016").startswith("(internal, OFFICIAL-SENSITIVE")


def test_same_key_replaces_the_bundled_row_and_says_so(tmp_path):
    p = write_template(tmp_path / "r.xlsx")
    src = rc.load().sources.set_index("source_id").loc["hmic-2015-news"]
    append_rows(
        p,
        "sources",
        [
            {
                "source_id": "hmic-2015-news",
                "title": "A corrected title",
                "url": src["url"],
                "url_basis": "as-cited",
                "kind": "inspection-news",
            }
        ],
    )
    ds = rc.load(p, with_bundled=True)
    assert len(ds.sources) == len(rc.load().sources)
    assert ds.sources.set_index("source_id").loc["hmic-2015-news", "title"] == "A corrected title"
    assert ds.notices == ["r.xlsx[sources], row 2: replaces the bundled sources row with source_id 'hmic-2015-news'"]


def test_a_foreign_key_problem_in_an_analyst_row_is_one_problem(tmp_path):
    p = write_template(tmp_path / "fk.xlsx")
    append_rows(
        p,
        "capability_status",
        [
            {
                "rocu_id": "swrocu",
                "capability": "time travel",
                "year": 2015,
                "status": "delivered",
                "source_id": "hmic-2015-news",
            }
        ],
    )
    probs = problems(p, with_bundled=True)
    assert [(x.file, x.row, x.column, x.value, x.rule) for x in probs] == [
        ("fk.xlsx[capability_status]", 2, "capability", "time travel", "foreign_key")
    ]


def test_spell_overlap_with_a_bundled_row_points_at_the_analyst_row(tmp_path):
    p = write_template(tmp_path / "m.xlsx")
    append_rows(
        p,
        "membership",
        [{"force": "Kent", "rocu_id": "nersou", "valid_from": "2016", "basis": "test", "source_ids": "hmic-2015-news"}],
    )
    probs = problems(p, with_bundled=True)  # an open spell from 2016 overlaps both of Kent's bundled spells
    assert {(x.file, x.row, x.column, x.value, x.rule) for x in probs} == {
        ("m.xlsx[membership]", 2, "valid_from", "2016", "spell_overlap")
    }
    assert all("bundled membership.csv row" in x.message for x in probs) and len(probs) == 2
    # replacing the whole table on purpose is possible, and said
    kent = rc.load().membership
    rows = [
        {
            "force": r.force,
            "rocu_id": r.rocu_id,
            "valid_from": r.valid_from,
            "valid_to": r.valid_to,
            "basis": r.basis,
            "source_ids": r.source_ids,
        }
        for r in kent.astype(object).where(kent.notna(), None).itertuples()
        if r.force != "Kent"
    ]
    rows.append(
        {
            "force": "Kent",
            "rocu_id": "serocu",
            "basis": "test: Kent in SEROCU throughout",
            "source_ids": "hmic-2015-news",
        }
    )
    q = write_template(tmp_path / "own_membership.xlsx")
    append_rows(q, "membership", rows)
    ds = rc.load(q, with_bundled=True, replace=["membership"])
    assert len(ds.membership) == len(rows) and ds.analyst_rows("membership").all()
    assert any("replaces the whole bundled membership table" in n for n in ds.notices)


def test_replace_names_a_real_table():
    with pytest.raises(ValueError, match="no table called 'membershp'"):
        rc.load("data", with_bundled=True, replace=["membershp"])


@pytest.mark.parametrize(
    "row, rule, column",
    [
        ({"url_basis": "internal", "kind": "internal-return"}, "source_citable", "classification"),
        (
            {
                "url_basis": "internal",
                "kind": "internal-return",
                "classification": "OFFICIAL",
                "url": "https://x.example",
            },
            "source_citable",
            "url",
        ),
        ({"url_basis": "shipped-document", "kind": "other"}, "source_citable", "document"),
        (
            {"url_basis": "shipped-document", "kind": "other", "document": "documents/nowhere.txt"},
            "document_exists",
            "document",
        ),
        ({"url_basis": "as-cited", "kind": "other"}, "source_citable", "url"),
        ({"url_basis": "internal", "kind": "internal-return", "classification": "SECRET"}, "enum", "classification"),
    ],
)
def test_source_rules(tmp_path, row, rule, column):
    p = write_template(tmp_path / "s.xlsx")
    append_rows(p, "sources", [{"source_id": "my-source", "title": "t", **row}])
    probs = problems(p, with_bundled=True)
    assert (probs[0].file, probs[0].row, probs[0].column, probs[0].rule) == ("s.xlsx[sources]", 2, column, rule)


def test_a_shipped_document_beside_the_workbook_is_found(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "note.txt").write_text("the text", encoding="utf-8")
    p = write_template(tmp_path / "d.xlsx")
    append_rows(
        p,
        "sources",
        [
            {
                "source_id": "my-doc",
                "title": "t",
                "url_basis": "shipped-document",
                "kind": "other",
                "document": "docs/note.txt",
            }
        ],
    )
    ds = rc.load(p, with_bundled=True)
    assert Path(ds.citable_url("my-doc")) == tmp_path / "docs" / "note.txt"
    assert Path(ds.citable_url("swpcc-response-2015-12")).is_file()  # the bundled one still resolves


def test_an_analyst_cannot_turn_a_bundled_public_source_internal(tmp_path):
    p = write_template(tmp_path / "b.xlsx")
    append_rows(p, "sources", [{**INTERNAL, "source_id": "hmic-2015-news"}])
    probs = problems(p, with_bundled=True)
    assert [(x.row, x.rule) for x in probs] == [(2, "bundled_public")]


def test_the_bundled_data_is_public_only():
    s = rc.load().sources
    assert s["classification"].isna().all()
    assert not s["url_basis"].isin(["internal", "demonstration"]).any()
    assert not rc.load().capabilities["attestation"].eq("named-by-analyst").any()


def test_load_from_env(mine, monkeypatch):
    monkeypatch.setenv("ROCU_DATA", str(mine))
    monkeypatch.setenv("ROCU_WITH_BUNDLED", "1")
    ds = rc.load_from_env()
    assert ds.marking == "OFFICIAL-SENSITIVE" and len(ds.forces) == 43


# -- the command line, as an analyst uses it -------------------------------------------------


def test_template_and_export_refuse_to_overwrite(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["template", "t.xlsx"]) == 0
    assert "rocu-compare validate t.xlsx --with-bundled" in capsys.readouterr().out
    before = Path("t.xlsx").read_bytes()
    assert main(["template", "t.xlsx"]) == 1
    err = capsys.readouterr().err
    assert "file exists" in err and "--force" in err and "Traceback" not in err
    assert Path("t.xlsx").read_bytes() == before
    assert main(["template", "t.xlsx", "--force"]) == 0
    assert main(["export", "out"]) == 0
    assert main(["export", "out"]) == 1 and "folder is not empty" in capsys.readouterr().err
    assert main(["export", "out", "--force"]) == 0
    assert (tmp_path / "out" / "documents" / "000_85a5cf008e6fc99c.txt").is_file()
    assert main(["validate", "out"]) == 0  # the export, with its shipped document, loads back


def test_template_readme_gives_the_working_command(tmp_path):
    p = write_template(tmp_path / "fill_me.xlsx")
    lines = [r[0] for r in openpyxl.load_workbook(p)["README"].iter_rows(values_only=True)]
    assert "Check the filled file with:  rocu-compare validate fill_me.xlsx --with-bundled" in lines


def test_validate_with_bundled_on_the_command_line(mine, capsys, monkeypatch):
    monkeypatch.chdir(mine.parent)
    assert main(["validate", mine.name, "--with-bundled"]) == 0
    out = capsys.readouterr().out
    assert "27 rows" in out and "OFFICIAL-SENSITIVE" in out
    assert main(["validate", mine.name, "--fallback"]) == 0  # the former flag still works


@pytest.fixture(scope="module")
def relative_report(mine) -> Path:
    """``rocu-compare report --data mine.xlsx --with-bundled --out r`` run in the workbook's folder:
    figures, index and every notebook (built once for the tests that read it)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(mine.parent)
        assert main(["report", "--data", mine.name, "--with-bundled", "--out", "r"]) == 0
    return mine.parent / "r"


@pytest.mark.notebooks
def test_report_from_a_relative_path_carries_the_marking(relative_report):
    out = relative_report
    written = json.loads((out / "figures.json").read_text())
    assert {"ski_budget_per_100k", "ski_budget_per_force_officer", "resourcing_over_time"} <= {
        m["key"] for m in written
    }
    for m in written:
        meta = json.loads((out / "figures" / f"{m['key']}.json").read_text())
        assert meta["marking"] == "OFFICIAL-SENSITIVE", m["key"]
    page = (out / "index.html").read_text()
    assert page.count("OFFICIAL-SENSITIVE") >= 2  # top and bottom
    assert "mine.xlsx" in page and str(out.parent) not in page


def test_marking_is_drawn_on_the_image(mine):
    from rocu_compare.report.catalog import build_context
    from rocu_compare.report.run import render_figure

    ds = rc.load(mine, with_bundled=True)
    fig, meta = render_figure("map_rocu_areas_2015", build_context(ds), ds.marking)
    texts = [t for t in fig.texts if t.get_gid() == "protective-marking"]
    assert [t.get_text() for t in texts] == ["OFFICIAL-SENSITIVE"] and meta.marking == "OFFICIAL-SENSITIVE"
    fig2, meta2 = render_figure("map_rocu_areas_2015", build_context(rc.load()), None)
    assert not [t for t in fig2.texts if t.get_gid() == "protective-marking"] and meta2.marking == ""


def test_report_data_problem_is_a_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    p = write_template(tmp_path / "bad.xlsx")
    append_rows(
        p,
        "rocu_resources",
        [
            {
                "rocu_id": "swrocu",
                "financial_year": "2015-16",
                "budget_gbp": "lots",
                "is_estimate": False,
                "source_id": "hmic-2015-news",
            }
        ],
    )
    assert main(["report", "--data", "bad.xlsx", "--with-bundled", "--out", "r", "--no-notebooks"]) == 1
    err = capsys.readouterr().err
    assert "bad.xlsx[rocu_resources], row 2, column 'budget_gbp'" in err and "Traceback" not in err
    assert main(["report", "--data", "nope.xlsx", "--out", "r"]) == 1
    assert "no such file or folder" in capsys.readouterr().err


@pytest.mark.notebooks
def test_notebooks_run_on_the_analyst_data_from_a_relative_path(relative_report):
    import nbformat

    pages = sorted((relative_report / "notebooks").glob("*.html"))
    assert len(pages) == 7
    for page in pages:  # every notebook ran (a failed one has no page) and says it is marked
        assert page.read_text().count("OFFICIAL-SENSITIVE") >= 2, page.name
        nb = nbformat.read(page.with_suffix(".ipynb"), as_version=4)
        assert nb.cells[0].source == "**OFFICIAL-SENSITIVE**"
        assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    six = (relative_report / "notebooks" / "06_your_own_data.html").read_text()
    assert "OFFICIAL-SENSITIVE" in six and "mine.xlsx" in six
    # what the notebook printed (its source code, which names both cases, is on the page too)
    assert "<strong>Your data</strong> (mine.xlsx)" in six and "27 rows of" in six
    assert "<strong>The demonstration workbook</strong>" not in six
    assert os.environ.get("ROCU_DATA") is None


def test_validate_lists_each_table_once(mine, capsys, monkeypatch):
    monkeypatch.chdir(mine.parent)
    assert main(["validate", mine.name, "--with-bundled"]) == 0
    out = capsys.readouterr().out
    assert out.count("  rocu_resources ") == 1 and "27 yours" not in out  # all 27 rows of the table are yours


@pytest.mark.notebooks
def test_every_notebook_runs_or_says_why_on_sparse_data(tmp_path):
    from report.analyst_data import sparse_dataset

    from rocu_compare.report.run import execute_notebooks

    sparse_dataset(tmp_path / "sparse")  # three ROCUs, most tables empty
    pages, failed = execute_notebooks(tmp_path / "nb", data=tmp_path / "sparse", jobs=2)
    assert failed == [] and len(pages) == 7
    what_if = (tmp_path / "nb" / "07_what_if.html").read_text()
    assert "Not run on this data: the what-if configurations need every police region in a unit" in what_if
    assert "Traceback" not in what_if


def test_show_in_a_notebook_carries_the_marking_of_the_data(mine, monkeypatch):
    """A figure shown in an analyst's own notebook is marked on the image, above the title and in its meta."""
    import IPython.display

    from rocu_compare.report.catalog import build_context, show

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append(obj))
    meta = show("map_rocu_areas_2015", build_context(rc.load(mine, with_bundled=True)))
    assert meta.marking == "OFFICIAL-SENSITIVE"
    assert shown[0].data.startswith("**OFFICIAL-SENSITIVE**")
    shown.clear()
    plain = show("map_rocu_areas_2015", build_context(rc.load()))
    assert plain.marking == "" and not shown[0].data.startswith("**OFFICIAL")
