"""Run the whole report: figures, sidecars, index page, executed notebooks."""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from ..dataset import load
from .catalog import build_context, keys_for, make_figure
from .parallel import default_jobs, marking_banner, render_figures, run_notebooks
from .words import gap_label

#: The notebooks of a checkout (``notebooks/`` beside ``rocu_compare/``). They ship with the
#: repository, not the wheel: from an installed package the folder is absent and the report
#: has figures only.
NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"


def run_report(
    out: Path = Path("reports"),
    data=None,
    *,
    with_bundled: bool = False,
    replace=(),
    fallback: bool | None = None,
    notebooks: bool = True,
    keys=None,
    jobs: int | None = None,
    progress: Callable[[str], None] = lambda s: None,
    as_at=None,
    scenario=None,
    include=None,
    exclude=(),
) -> dict:
    """Write every figure (PNG ≥ 200 dpi, SVG, JSON sidecar), ``index.html`` and executed notebooks.

    Parameters
    ----------
    out : Path
        Output folder (created; files in it are overwritten).
    data : path-like, optional
        An analyst's folder or workbook; default the bundled data.
    with_bundled : bool
        Add the rows of ``data`` to the bundled rows (see :func:`rocu_compare.load`).
    replace : sequence of str
        With ``with_bundled``: tables taken wholly from ``data``.
    fallback : bool, optional
        Former name of ``with_bundled``.
    notebooks : bool
        Execute the notebooks to HTML on the same data (``ROCU_DATA``, ``ROCU_WITH_BUNDLED``
        and ``ROCU_REPLACE`` set for the kernel; see :func:`rocu_compare.load_from_env`).
    keys : sequence of str, optional
        Only these figures.
    jobs : int, optional
        Figures drawn (and notebooks run) this many at a time; default the number of cores.
        The files are the same whatever the number.
    progress : callable
        Called with one line per step.
    as_at : str or sequence of str, optional
        Analysis date(s), ISO ``YYYY-MM-DD``: the first is the date of every snapshot
        figure; all of them (two or more) are the dates of the over-time figure.
        Default: the catalogue's dates.
    scenario : str or path, optional
        A named configuration (``as-built``, ``aligned``, ``kent-serocu``,
        ``kent-ersou``) or a ``force,unit`` CSV/xlsx file, applied to the data before
        every figure; each figure's notes name it and the date.
    include, exclude : sequence of str, optional
        ROCU ids (case-insensitive) to keep or leave out of the comparisons.

    Returns
    -------
    dict
        Figures written, notebooks written, notebooks that failed, and timings.

    Notes
    -----
    The figures are :class:`matplotlib.figure.Figure` objects saved directly, not pyplot
    figures, so the caller's matplotlib backend is left as it was.
    """

    t0 = time.perf_counter()
    out = Path(out)
    if fallback is not None:
        with_bundled = with_bundled or bool(fallback)
    data = None if data is None else Path(data).resolve()  # notebooks run in another folder
    progress(
        f"[report] loading {'the bundled data' if data is None else data.name}"
        f"{' with the bundled rows' if data is not None and with_bundled else ''}"
    )
    ds = load(data, with_bundled=with_bundled, replace=tuple(replace or ())) if data is not None else load()
    (out / "figures").mkdir(parents=True, exist_ok=True)
    for line in ds.notices:
        progress(f"[report]   note: {line}")
    if ds.marking:
        progress(f"[report]   protective marking {ds.marking}: on every figure, sidecar, index and notebook")
    ctx, caption = whatif_context(ds, as_at=as_at, scenario=scenario, include=include, exclude=exclude)
    ctx.report_caption = caption  # every figure's notes name the date and configuration when asked
    if caption:
        progress(f"[report] {caption}")
    n_rows = sum(len(t) for t in ds.tables.values())
    progress(f"[report] data valid: {len(ds.tables)} tables, {n_rows:,} rows")
    for line in summary_lines(ctx.context, gap=gap_label(ds)):
        progress(f"[report]   {line}")
    keys = keys_for(ctx, keys)  # e.g. one "not in the data" entry instead of empty resourcing charts
    for key in keys:  # a notebook shows a figure once its sidecar is there: never last run's (other data)
        (out / "figures" / f"{key}.json").unlink(missing_ok=True)
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    progress(f"[report] {len(keys)} figures{' and the notebooks' if notebooks else ''}, {jobs} at a time")
    nb_pages, failed = [], []
    with ThreadPoolExecutor(max_workers=1) as side:
        nb_future = None
        if notebooks and not notebook_paths():
            progress(f"[report] no notebooks in {NOTEBOOK_DIR} (they ship with the repository, not the package)")
        elif notebooks:  # the notebooks' kernels run in their own processes, beside the figure workers
            nb_future = side.submit(
                run_notebooks,
                notebook_paths(),
                out / "notebooks",
                {**notebook_env(data, with_bundled, tuple(replace or ())), **_figures_env(ctx, keys, out / "figures")},
                ds.marking,
                jobs=jobs,  # kernels mostly wait at start-up; figures and notebooks share the cores
                progress=progress,
            )
        written = render_figures(keys, ctx, out / "figures", ds.marking, jobs=jobs, progress=progress)
        if nb_future is not None:
            nb_pages, failed = nb_future.result()
    _index(out, written, nb_pages, ds, failed, caption=caption)
    progress(f"[report] index: {out / 'index.html'}  ({time.perf_counter() - t0:.1f}s in all)")
    return {
        "figures": [m.key for m in written],
        "notebooks": [p.name for p in nb_pages],
        "failed_notebooks": failed,
        "seconds": time.perf_counter() - t0,
    }


def render_figure(key: str, ctx, marking: str | None = None):
    """Build one catalogue figure with the data's protective marking on the image and in its meta.

    Returns
    -------
    (Figure, FigureMeta)
    """
    import dataclasses

    from ..figures import add_marking

    fig, meta = make_figure(key, ctx)
    fig = getattr(fig, "figure_", fig)  # a chart's ChartDisplay -> its Figure
    caption = getattr(ctx, "report_caption", "")
    if caption:
        meta = dataclasses.replace(meta, notes=tuple(meta.notes) + (caption,))
    if marking:
        add_marking(fig, marking)
        meta = dataclasses.replace(meta, marking=marking)
    return fig, meta


def whatif_context(ds, *, as_at=None, scenario=None, include=None, exclude=()):
    """The report context for the what-if options, and the caption line naming date and configuration.

    Returns
    -------
    (ReportContext, str)
        The caption is "" when no option is given (the catalogue's own dates and the data's
        membership).
    """
    from .. import scenarios
    from ..compare.analysis import select_units
    from ..dates import parse_date

    dates = [as_at] if isinstance(as_at, str) else list(as_at or [])
    ts = [parse_date(d, "--as-at") for d in dates]
    kw = {}
    if ts:
        kw["as_at"] = str(ts[0].date())
        kw["dates"] = tuple(str(t.date()) for t in sorted(set(ts)))
    known = list(ds.rocus["rocu_id"].astype(str))
    if include:
        kw["include"] = tuple(select_units(include, known, "--include"))
    if exclude:
        kw["exclude"] = tuple(select_units(exclude, known, "--exclude"))
    when = kw.get("as_at", build_context(ds).as_at)
    cfg = None
    if scenario is not None:
        cfg = scenarios.named(ds, scenario, when)
        kw["base_ds"] = ds
        kw["scenario"] = cfg
        if cfg.as_built_at is None:
            ds = ds.with_membership(cfg)
    if not (ts or scenario is not None or include or exclude):
        return build_context(ds), ""
    config_text = cfg.description if cfg is not None else "the units as built at each date"
    units = (f"; units: {', '.join(kw['include'])}" if "include" in kw else "") + (
        f"; left out: {', '.join(kw['exclude'])}" if "exclude" in kw else ""
    )
    w = pd.Timestamp(when)
    caption = f"Analysis date {w.day} {w:%B %Y}; configuration: {config_text}{units}."
    return build_context(ds, **kw), caption


def summary_lines(context, gap: str = "not published") -> list[str]:
    """A short per-ROCU summary: forces served, residents and officers of the member forces.

    ``gap`` labels a missing value (:func:`~rocu_compare.report.words.gap_label`).
    """
    from .catalog import rocu_label

    yr = context["population_year"].dropna()
    when = context["officers_fte_as_at"].dropna()
    head = (
        f"{'ROCU':<8} {'forces':>6} {'residents (mid-' + str(int(yr.iloc[0])) + ')' if len(yr) else 'residents':>22}"
        f" {'officers FTE' + (' (' + str(when.iloc[0])[:10] + ')' if len(when) else ''):>26}"
    )
    out = [head]
    for rid, r in context.iterrows():
        missing = gap if r["n_forces"] else "no member forces"
        if not yr.size and r["n_forces"]:
            missing = "none near the date"  # the series are held, but not within the date tolerance
        pop = missing if r.isna()["population_persons"] else f"{float(r['population_persons']):,.0f}"
        off = missing if r.isna()["officers_fte"] else f"{float(r['officers_fte']):,.1f}"
        out.append(f"{rocu_label(rid):<8} {int(r['n_forces']):>6} {pop:>22} {off:>26}")
    return out


def _figures_env(ctx, keys, folder: Path) -> dict[str, str]:
    """What tells the notebooks' ``show`` which figures this report draws, and from what.

    A notebook whose context has the same fingerprint shows the report's file instead of
    drawing the figure again (see :func:`rocu_compare.report.catalog.report_figure`).
    Nothing is offered for a what-if scenario.
    """
    import os

    from .catalog import REPORT_FIGURES_ENV

    fingerprint = ctx.fingerprint()
    if fingerprint is None:
        return {}
    values = (str(Path(folder).resolve()), fingerprint, ",".join(keys), str(os.getpid()))
    return dict(zip(REPORT_FIGURES_ENV, values))


def notebook_paths() -> list[Path]:
    """The numbered notebooks (jupytext percent-format ``.py``)."""
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.py"))


def notebook_env(data=None, with_bundled: bool = False, replace=()) -> dict[str, str]:
    """Environment variables that make :func:`rocu_compare.load_from_env` load this data."""
    env = {
        "ROCU_DATA": "" if data is None else str(Path(data).resolve()),
        "ROCU_WITH_BUNDLED": "1" if with_bundled and data is not None else "",
        "ROCU_REPLACE": ",".join(replace or ()),
    }
    return env


def execute_notebook(path: Path, data=None, timeout: int = 600, *, with_bundled: bool = False, replace=()):
    """Execute one jupytext notebook headless and return the executed ``nbformat`` node.

    The kernel loads the same data as the caller (``ROCU_DATA`` and friends, with the data
    path made absolute because the kernel runs in the notebooks folder).
    """
    import os

    from .parallel import execute

    env = notebook_env(data, with_bundled, replace)
    backup = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    backend = os.environ.pop("MPLBACKEND", None)  # the kernel uses the inline backend
    try:
        return execute(path, timeout)
    finally:
        if backend is not None:
            os.environ["MPLBACKEND"] = backend
        for k, v in backup.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def execute_notebooks(
    out: Path,
    data=None,
    progress=lambda s: None,
    *,
    with_bundled: bool = False,
    replace=(),
    marking: str | None = None,
    jobs: int = 1,
) -> tuple[list[Path], list[tuple[str, str]]]:
    """Execute every notebook on the given data and write it as HTML into ``out``.

    Returns
    -------
    (list of Path, list of (str, str))
        The pages written, and ``(notebook, error)`` for each notebook that failed (its
        error is reported, the others still run).
    """
    return run_notebooks(
        notebook_paths(), out, notebook_env(data, with_bundled, replace), marking, jobs=jobs, progress=progress
    )


def _index(out: Path, metas, pages, ds, failed=(), caption: str = "") -> None:
    rows = []
    for m in metas:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in m.notes)
        rows.append(
            f'<section id="{m.key}"><h2>{html.escape(m.title)}</h2><p class="sub">{html.escape(m.subtitle)}</p>'
            f'<img src="figures/{m.key}.png" alt="{html.escape(m.alt_text, quote=True)}" width="900">'
            f'<p class="src">{html.escape(m.source_line)}</p><ul class="notes">{notes}</ul>'
            f'<p class="files"><a href="figures/{m.key}.png">PNG</a> · <a href="figures/{m.key}.svg">SVG</a> · '
            f'<a href="figures/{m.key}.json">sidecar</a></p></section>'
        )
    nbs = "".join(f'<li><a href="notebooks/{p.name}">{html.escape(p.stem)}</a></li>' for p in pages)
    nbs += "".join(f"<li>{html.escape(n)}: failed ({html.escape(e)})</li>" for n, e in failed)
    # the notebooks run on the same data, at the dates and configurations written in them: say so
    # when this report's figures were drawn at another date or configuration
    nb_note = (
        f"<p>The figures below follow this run's options ({html.escape(caption.rstrip('.'))}). The notebooks run on the same "
        "data, but at the dates and configurations written in them, which this run's options do not change.</p>"
        if caption and (pages or failed)
        else ""
    )
    src = html.escape(
        ds.data_name
        if not ds.has_analyst_data or ds.data_name.startswith("the ")
        else f"{ds.data_name}"
        + (" with the bundled public data" if any((~ds.analyst_rows(t)).any() for t in ds.tables) else "")
    )
    banner = marking_banner(ds.marking)
    from ..figures import palette

    ink, grey, rule = (c.lower() for c in (palette.PAGE_TEXT, palette.TEXT_LIGHT, palette.IMAGE_RULE))
    doc = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rocu-compare report</title>
<style>body{{font-family:DejaVu Sans,Arial,sans-serif;max-width:960px;margin:2em auto;color:{ink}}}
h1{{font-size:1.6em}}h2{{font-size:1.2em;margin-top:2em}}.sub{{color:{grey}}}.src{{font-size:.85em;color:{grey}}}
.notes{{font-size:.85em}}img{{max-width:100%;height:auto;border:1px solid {rule}}}</style></head>
<body>{banner}<h1>rocu-compare: the Regional Organised Crime Units of England and Wales</h1>
<p>Figures built from {src}. Each figure has a PNG (200 dpi), an SVG and a JSON sidecar with its title,
subtitle, alt text and source line.</p>
<h2>Notebooks</h2>{nb_note}<ul>{nbs or "<li>(not executed in this run)</li>"}</ul>
{"".join(rows)}
{banner}</body></html>
"""
    (out / "index.html").write_text(doc, encoding="utf-8")
    (out / "figures.json").write_text(
        json.dumps([m.to_dict() for m in metas], indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
