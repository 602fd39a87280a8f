"""The report and notebooks behave in the caller's environment: backend kept, no kernel noise, portable dates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_no_glibc_only_strftime_directives():
    # "%-d" / "%#d" work on glibc / Windows only; the day is formatted without them
    bad = re.compile(r"%[-#][a-zA-Z]")
    files = [*(ROOT / "rocu_compare").rglob("*.py"), *(ROOT / "notebooks").glob("*.py")]
    hits = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in files
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if bad.search(line)
    ]
    assert not hits


@pytest.mark.parametrize(
    "date, month, expected",
    [
        ("2015-06-05", "%B", "5 June 2015"),
        ("2016-11-10", "%B", "10 November 2016"),
        ("2015-03-31", "%b", "31 Mar 2015"),
    ],
)
def test_dates_are_written_without_a_leading_zero(date, month, expected):
    from rocu_compare.report.catalog import _fmt_date

    assert _fmt_date(date, month) == expected


@pytest.mark.report
def test_run_report_keeps_the_callers_backend(tmp_path):
    from rocu_compare.report import run_report

    before = matplotlib.get_backend()
    matplotlib.use("svg")
    try:
        run_report(tmp_path, notebooks=False, keys=["ski_officers_per_100k"])
        assert matplotlib.get_backend() == "svg"
        assert (tmp_path / "figures" / "ski_officers_per_100k.png").exists()
    finally:
        matplotlib.use(before)


@pytest.mark.notebooks
def test_notebook_kernel_prints_no_tcp_warning(tmp_path, capfd):
    from rocu_compare.report.run import execute_notebook

    nb_path = tmp_path / "tiny.py"
    nb_path.write_text("# %%\nx = 6 * 7\nx\n", encoding="utf-8")
    nb = execute_notebook(nb_path)
    out = [o for c in nb.cells for o in c.get("outputs", [])]
    assert out[0]["data"]["text/plain"] == "42"
    err = capfd.readouterr().err
    assert "without encryption" not in err


def test_a_rerun_into_the_same_folder_never_offers_last_runs_figures(tmp_path, monkeypatch):
    """Notebooks show a report figure once its sidecar exists, so the report removes the old sidecars
    (drawn from the data as it was) before it starts the notebooks and draws the new ones."""
    import rocu_compare.report.run as run

    out = tmp_path / "r"
    (out / "figures").mkdir(parents=True)
    stale = out / "figures" / "mds_map.json"
    stale.write_text('{"key": "mds_map", "title": "drawn from last week\'s data"}', encoding="utf-8")
    seen = {}

    def figures_only(keys, ctx, folder, marking=None, **kw):
        seen["stale sidecar there"] = stale.exists()
        return []

    monkeypatch.setattr(run, "render_figures", figures_only)
    monkeypatch.setattr(run, "_index", lambda *a, **k: None)
    run.run_report(out, notebooks=False, keys=["mds_map"], jobs=1)
    assert seen == {"stale sidecar there": False}


@pytest.mark.notebooks
def test_one_kernel_runs_notebooks_in_turn_each_starting_afresh(tmp_path):
    """The runner reuses a kernel for the next notebook: nothing of the last one is left (names,
    execution count, working folder, open figures, environment variables, sys.path, warning
    filters), a notebook that kills its kernel fails alone, and no kernel outlives the run."""
    import asyncio

    import psutil

    from rocu_compare.report.parallel import _pages

    first = tmp_path / "a.py"
    first.write_text(
        "# %%\nimport os, sys, warnings\nimport matplotlib.pyplot as plt\nx = 1\nfig = plt.figure()\nos.chdir('/')\n"
        "os.environ['ROCU_LEAK'] = '1'\nsys.path.append('/leak')\nwarnings.simplefilter('error')\n"
        "# %%\nprint(os.getpid())\n",
        encoding="utf-8",
    )
    probe = (
        "# %%\nimport os, sys, json, warnings\nimport matplotlib.pyplot as plt\n"
        "print(json.dumps({'x': 'x' in dir(), 'cwd': os.getcwd(), 'figs': plt.get_fignums(), "
        "'env': 'ROCU_LEAK' in os.environ, 'path': '/leak' in sys.path, "
        "'error': any(f[0] == 'error' and f[2] is Warning for f in warnings.filters), "
        "'count': get_ipython().execution_count, 'pid': os.getpid()}))\n"
    )
    second = tmp_path / "b.py"
    second.write_text(probe, encoding="utf-8")
    killer = tmp_path / "c.py"
    killer.write_text("# %%\nimport os\nos._exit(1)\n", encoding="utf-8")
    after = tmp_path / "d.py"
    after.write_text(probe, encoding="utf-8")
    items = [(p, tmp_path / "out" / f"{p.stem}.html") for p in (first, second, killer, after)]
    results = {}

    def report(path, page, error, t0):
        results[Path(path).stem] = error

    asyncio.run(_pages(items, 1, None, 60, report))
    assert results["a"] == results["b"] == results["d"] == "" and results["c"]  # the kernel died: c alone fails

    def printed(stem):
        import nbformat

        nb = nbformat.read(tmp_path / "out" / f"{stem}.ipynb", as_version=4)
        outs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        return outs, [c.get("execution_count") for c in nb.cells if c.cell_type == "code"]

    (a_out, _), (b_out, b_counts) = printed("a"), printed("b")
    b = json.loads(b_out[0]["text"])
    assert b["pid"] == int(a_out[-1]["text"])  # the same kernel ...
    fresh = {"x": False, "cwd": str(tmp_path), "figs": [], "env": False, "path": False, "error": False}
    assert b == {**b, **fresh} and b_counts == [1]  # ... afresh
    d = json.loads(printed("d")[0][0]["text"])
    assert d["pid"] != b["pid"] and d["x"] is False  # a new kernel after the one that died
    assert b["count"] == d["count"]  # the reused kernel numbers its cells as a new one does
    assert not psutil.pid_exists(d["pid"]) or psutil.Process(d["pid"]).status() == psutil.STATUS_ZOMBIE


def test_index_says_the_notebooks_keep_their_own_dates_when_the_run_changes_the_date(tmp_path, ds):
    from rocu_compare.report.run import _index

    page = tmp_path / "notebooks" / "01_structure.html"
    caption = "Analysis date 30 June 2017; configuration: the units as built at each date."
    _index(tmp_path, [], [page], ds, caption=caption)
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "this run's options (" + caption.rstrip(".") + ")." in text and "written in them" in text
    _index(tmp_path, [], [page], ds)
    assert "written in them" not in (tmp_path / "index.html").read_text(encoding="utf-8")
