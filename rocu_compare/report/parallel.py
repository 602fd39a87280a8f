"""Build the report's figures and notebooks concurrently where the machine has cores.

Figures are drawn in forked worker processes that inherit the report context, whose shared
analyses (the comparison, profiles, context) are computed once in the parent first, so no
analysis runs twice and nothing is sent to a worker but a figure key. Notebooks run as
separate ``python -m rocu_compare.report.parallel`` processes, each with its own kernel.
Every figure is drawn from the same inputs by the same code whichever process draws it, so
the files are byte-identical to a serial run (``tests/test_report.py`` checks it).

Where ``fork`` is not available (Windows), or ``jobs`` is 1, everything runs in this process.
"""

from __future__ import annotations

import argparse
import html
import multiprocessing as mp
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path

#: The report context a forked figure worker draws from (set in the parent just before forking).
_CTX = None
_MARKING = None
_OUT: Path | None = None


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def warm(ctx) -> list[str]:
    """Compute every shared analysis of ``ctx`` now (its cached properties), once.

    Returns the names of those that raised; the figures that need them say so themselves.
    """
    failed = []
    for name in dir(type(ctx)):
        if isinstance(getattr(type(ctx), name, None), cached_property):
            try:
                getattr(ctx, name)
            except Exception:  # noqa: BLE001 - a figure reports its own "not enough data"
                failed.append(name)
    return failed


def _draw(key: str) -> tuple[dict, float]:
    import matplotlib.pyplot as plt

    from ..figures import save_figure, write_sidecar
    from .run import render_figure

    t = time.perf_counter()
    fig, meta = render_figure(key, _CTX, _MARKING)
    save_figure(fig, _OUT / key, formats=("png", "svg"), dpi=200)
    write_sidecar(meta, _OUT / f"{key}.json")
    plt.close(getattr(fig, "figure_", fig))
    return meta.to_dict(), time.perf_counter() - t


def _worker_init() -> None:
    import matplotlib

    matplotlib.use("Agg", force=True)  # a worker process's own backend, not the caller's


def render_figures(keys, ctx, out: Path, marking=None, *, jobs: int = 1, progress=lambda s: None) -> list:
    """Draw and save each figure (PNG, SVG, sidecar) into ``out``; returns their metas in ``keys`` order."""
    global _CTX, _MARKING, _OUT
    from ..figures import FigureMeta

    keys = list(keys)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _CTX, _MARKING, _OUT = ctx, marking, out
    metas: dict[str, FigureMeta] = {}
    try:
        if jobs > 1 and len(keys) > 1 and "fork" in mp.get_all_start_methods():
            warm(ctx)
            with mp.get_context("fork").Pool(min(jobs, len(keys)), initializer=_worker_init) as pool:
                for i, (key, (meta, secs)) in enumerate(zip(keys, pool.imap(_draw, keys)), start=1):
                    metas[key] = FigureMeta(**{**meta, "notes": tuple(meta["notes"])})
                    progress(f"[report] figure {i}/{len(keys)} {key} ({secs:.1f}s)")
        else:
            for i, key in enumerate(keys, start=1):
                meta, secs = _draw(key)
                metas[key] = FigureMeta(**{**meta, "notes": tuple(meta["notes"])})
                progress(f"[report] figure {i}/{len(keys)} {key} ({secs:.1f}s)")
    finally:
        _CTX = _MARKING = _OUT = None
    return [metas[k] for k in keys]


def marking_banner(marking: str | None) -> str:
    """An HTML banner for a protective marking (empty string when there is none)."""
    if not marking:
        return ""
    from ..figures import palette

    return (
        f'<div class="marking" style="text-align:center;font-weight:bold;font-family:Arial,sans-serif;'
        f'padding:.3em;border:2px solid {palette.PAGE_TEXT.lower()};margin:.5em 0">{html.escape(marking)}</div>'
    )


class NotebookFailed(RuntimeError):
    """A notebook raised in one of its cells; the message is ``ename: evalue``."""


def execute(path: Path, timeout: int = 600):
    """Execute one jupytext notebook headless in its own folder and return the executed node.

    The kernel sees this process's environment. It is local and short-lived: its start-up
    warnings (e.g. "Kernel is running over TCP without encryption") are noise in a report
    run, so it logs errors only; cell errors still raise ``CellExecutionError``.
    """
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = jupytext.read(path)
    try:
        NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            resources={"metadata": {"path": str(Path(path).parent)}},
        ).execute()
    except CellExecutionError as err:
        if getattr(err, "ename", "") != "NotApplicable":
            raise
        _not_applicable(nb)  # the notebook stops where it says it does not apply, with its reason
    return nb


def _not_applicable(nb) -> None:
    """Replace the ``NotApplicable`` traceback in an executed notebook by its one-line reason."""
    for cell in nb.cells:
        for i, out in enumerate(cell.get("outputs", [])):
            if out.get("output_type") == "error" and out.get("ename") == "NotApplicable":
                cell["outputs"][i] = {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": f"Not run on this data: {out.get('evalue', '')}\n",
                }


def notebook_to_html(path: Path, page: Path, marking: str | None = None, timeout: int = 600) -> Path:
    """Execute one jupytext notebook headless (with this process's environment) and write it as HTML.

    Raises
    ------
    NotebookFailed
        If a cell raises (other than :class:`rocu_compare.NotApplicable`, which ends the
        notebook there with its reason).
    """
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter

    try:
        nb = execute(path, timeout)
    except CellExecutionError as err:
        raise NotebookFailed(f"{getattr(err, 'ename', 'error')}: {getattr(err, 'evalue', err)}") from None
    body, _ = HTMLExporter().from_notebook_node(nb)
    if marking:
        banner = marking_banner(marking)
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, body, count=1)
        body = body.replace("</body>", banner + "</body>", 1)
    page = Path(page)
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(body, encoding="utf-8")
    return page


def run_notebooks(
    paths, out: Path, env: dict[str, str], marking=None, *, jobs: int = 1, progress=lambda s: None
) -> tuple[list[Path], list[tuple[str, str]]]:
    """Execute notebooks to HTML in ``out``, ``jobs`` at a time, each kernel seeing ``env``.

    Returns
    -------
    (list of Path, list of (str, str))
        Pages written (in ``paths`` order) and ``(notebook, error)`` for each that failed.
    """
    paths = [Path(p) for p in paths]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    child_env = {**os.environ, **env}
    child_env.pop("MPLBACKEND", None)  # the kernel uses the inline backend

    def one(i_p):
        i, p = i_p
        t = time.perf_counter()
        page = out / f"{p.stem}.html"
        cmd = [sys.executable, "-m", "rocu_compare.report.parallel", str(p), str(page)]
        if marking:
            cmd += ["--marking", marking]
        r = subprocess.run(cmd, env=child_env, capture_output=True, text=True)
        err = r.stderr.strip().splitlines()[-1] if r.returncode and r.stderr.strip() else ""
        return i, p, page, r.returncode, err, time.perf_counter() - t

    done: dict[int, tuple] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for i, p, page, rc, err, secs in pool.map(one, enumerate(paths, start=1)):
            done[i] = (p, page, rc, err)
            state = f"FAILED: {err}" if rc else f"({secs:.1f}s)"
            progress(f"[report] notebook {i}/{len(paths)} {p.stem} {state}")
    pages = [done[i][1] for i in sorted(done) if done[i][2] == 0]
    failed = [(done[i][0].stem, done[i][3] or "failed") for i in sorted(done) if done[i][2] != 0]
    return pages, failed


def main(argv=None) -> int:
    """``python -m rocu_compare.report.parallel NOTEBOOK PAGE [--marking M]``: one notebook to HTML."""
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("page")
    ap.add_argument("--marking", default=None)
    a = ap.parse_args(argv)
    try:
        notebook_to_html(Path(a.notebook), Path(a.page), a.marking)
    except NotebookFailed as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
