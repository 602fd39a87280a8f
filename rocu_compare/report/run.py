"""Run the whole report: figures, sidecars, index page, executed notebooks."""
from __future__ import annotations

import html
import json
import time
from collections.abc import Callable
from pathlib import Path

from ..dataset import load
from .catalog import FIGURES, build_context, make_figure

#: The notebooks of a checkout (``notebooks/`` beside ``rocu_compare/``). They ship with the
#: repository, not the wheel: from an installed package the folder is absent and the report
#: has figures only.
NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"


def run_report(out: Path = Path("reports"), data=None, *, fallback: bool = False, notebooks: bool = True,
               keys=None, progress: Callable[[str], None] = lambda s: None) -> dict:
    """Write every figure (PNG ≥ 200 dpi, SVG, JSON sidecar), ``index.html`` and executed notebooks.

    Parameters
    ----------
    out : Path
        Output folder (created; files in it are overwritten).
    data : path-like, optional
        An analyst's folder or workbook; default the bundled data.
    fallback : bool
        Take tables missing from ``data`` from the bundled data.
    notebooks : bool
        Execute the notebooks to HTML (with ``ROCU_DATA`` set to ``data``).
    keys : sequence of str, optional
        Only these figures.
    progress : callable
        Called with one line per step.

    Returns
    -------
    dict
        Figures written and timings.

    Notes
    -----
    The figures are :class:`matplotlib.figure.Figure` objects saved directly, not pyplot
    figures, so the caller's matplotlib backend is left as it was.
    """
    from ..figures import save_figure, write_sidecar

    t0 = time.perf_counter()
    out = Path(out)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    progress(f"[report] loading {'bundled data' if data is None else data}")
    ds = load(data, fallback=fallback) if data is not None else load()
    ctx = build_context(ds)
    n_rows = sum(len(t) for t in ds.tables.values())
    progress(f"[report] data valid: {len(ds.tables)} tables, {n_rows:,} rows")
    for line in summary_lines(ctx.context):
        progress(f"[report]   {line}")
    written = []
    keys = list(keys or FIGURES)
    for i, key in enumerate(keys, start=1):
        t = time.perf_counter()
        fig, meta = make_figure(key, ctx)
        save_figure(fig, out / "figures" / key, formats=("png", "svg"), dpi=200)
        write_sidecar(meta, out / "figures" / f"{key}.json")
        written.append(meta)
        progress(f"[report] figure {i}/{len(keys)} {key} ({time.perf_counter() - t:.1f}s)")
    nb_pages = []
    if notebooks and not notebook_paths():
        progress(f"[report] no notebooks in {NOTEBOOK_DIR} (they ship with the repository, not the package)")
    elif notebooks:
        nb_pages = execute_notebooks(out / "notebooks", data=data, progress=progress)
    _index(out, written, nb_pages, ds, data)
    progress(f"[report] index: {out / 'index.html'}  ({time.perf_counter() - t0:.1f}s in all)")
    return {"figures": [m.key for m in written], "notebooks": [p.name for p in nb_pages],
            "seconds": time.perf_counter() - t0}


def summary_lines(context) -> list[str]:
    """A short per-ROCU summary: forces served, residents and officers of the member forces."""
    from .catalog import rocu_label

    yr = context["population_year"].dropna()
    when = context["officers_fte_as_at"].dropna()
    head = (f"{'ROCU':<8} {'forces':>6} {'residents (mid-' + str(int(yr.iloc[0])) + ')' if len(yr) else 'residents':>22}"
            f" {'officers FTE' + (' (' + str(when.iloc[0])[:10] + ')' if len(when) else ''):>26}")
    out = [head]
    for rid, r in context.iterrows():
        pop = "not published" if r.isna()["population_persons"] else f"{float(r['population_persons']):,.0f}"
        off = "not published" if r.isna()["officers_fte"] else f"{float(r['officers_fte']):,.1f}"
        out.append(f"{rocu_label(rid):<8} {int(r['n_forces']):>6} {pop:>22} {off:>26}")
    return out


def notebook_paths() -> list[Path]:
    """The numbered notebooks (jupytext percent-format ``.py``)."""
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.py"))


def execute_notebook(path: Path, data=None, timeout: int = 600):
    """Execute one jupytext notebook headless and return the executed ``nbformat`` node."""
    import os

    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(path)
    env_backup = os.environ.get("ROCU_DATA")
    if data is not None:
        os.environ["ROCU_DATA"] = str(data)
    backend = os.environ.pop("MPLBACKEND", None)  # the kernel uses the inline backend
    try:
        # The kernel is local and short-lived: its start-up warnings (e.g. "Kernel is running
        # over TCP without encryption") are noise in a report run; errors still show.
        NotebookClient(nb, timeout=timeout, kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"],
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        if backend is not None:
            os.environ["MPLBACKEND"] = backend
        if data is not None:
            if env_backup is None:
                os.environ.pop("ROCU_DATA", None)
            else:
                os.environ["ROCU_DATA"] = env_backup
    return nb


def execute_notebooks(out: Path, data=None, progress=lambda s: None) -> list[Path]:
    """Execute every notebook and write it as HTML into ``out``."""
    from nbconvert import HTMLExporter

    out.mkdir(parents=True, exist_ok=True)
    pages = []
    paths = notebook_paths()
    for i, p in enumerate(paths, start=1):
        t = time.perf_counter()
        nb = execute_notebook(p, data=data)
        body, _ = HTMLExporter().from_notebook_node(nb)
        page = out / f"{p.stem}.html"
        page.write_text(body, encoding="utf-8")
        pages.append(page)
        progress(f"[report] notebook {i}/{len(paths)} {p.stem} ({time.perf_counter() - t:.1f}s)")
    return pages


def _index(out: Path, metas, pages, ds, data) -> None:
    rows = []
    for m in metas:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in m.notes)
        rows.append(
            f'<section id="{m.key}"><h2>{html.escape(m.title)}</h2><p class="sub">{html.escape(m.subtitle)}</p>'
            f'<img src="figures/{m.key}.png" alt="{html.escape(m.alt_text, quote=True)}" width="900">'
            f'<p class="src">{html.escape(m.source_line)}</p><ul class="notes">{notes}</ul>'
            f'<p class="files"><a href="figures/{m.key}.png">PNG</a> · <a href="figures/{m.key}.svg">SVG</a> · '
            f'<a href="figures/{m.key}.json">sidecar</a></p></section>')
    nbs = "".join(f'<li><a href="notebooks/{p.name}">{html.escape(p.stem)}</a></li>' for p in pages)
    src = "the bundled public data" if data is None else html.escape(str(data))
    doc = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rocu-compare report</title>
<style>body{{font-family:DejaVu Sans,Arial,sans-serif;max-width:960px;margin:2em auto;color:#0b0c0c}}
h1{{font-size:1.6em}}h2{{font-size:1.2em;margin-top:2em}}.sub{{color:#3d3d3d}}.src{{font-size:.85em;color:#3d3d3d}}
.notes{{font-size:.85em}}img{{max-width:100%;height:auto;border:1px solid #eee}}</style></head>
<body><h1>rocu-compare: the Regional Organised Crime Units of England and Wales</h1>
<p>Figures built from {src}. Each figure has a PNG (200 dpi), an SVG and a JSON sidecar with its title,
subtitle, alt text and source line.</p>
<h2>Notebooks</h2><ul>{nbs or '<li>(not executed in this run)</li>'}</ul>
{''.join(rows)}
</body></html>
"""
    (out / "index.html").write_text(doc, encoding="utf-8")
    (out / "figures.json").write_text(json.dumps([m.to_dict() for m in metas], indent=2, sort_keys=True) + "\n",
                                      encoding="utf-8")
