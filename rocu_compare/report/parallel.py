"""Build the report's figures and notebooks concurrently where the machine has cores.

Figures are drawn in forked worker processes that inherit the report context, whose shared
analyses (the comparison, profiles, context) are computed once in the parent first, so no
analysis runs twice and nothing is sent to a worker but a figure key. Notebooks run from
one ``python -m rocu_compare.report.parallel`` process that drives ``jobs`` kernels
concurrently. A kernel runs one notebook after another, its namespace reset between them
(:data:`KERNEL_RESET`), so each notebook starts with nothing defined, and the interpreter,
pandas, matplotlib and the package are imported once per kernel, not once per notebook.
Every figure is drawn from the same inputs by the same code whichever process draws it, so
the files are byte-identical to a serial run (``tests/test_report.py`` checks it).

Where ``fork`` is not available (Windows), or ``jobs`` is 1, everything runs in this process.
"""

from __future__ import annotations

import argparse
import html
import json
import multiprocessing as mp
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from functools import cached_property
from pathlib import Path

#: Resolution of the report's PNG files (dots per inch).
REPORT_PNG_DPI = 200

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
    save_figure(fig, _OUT / key, formats=("png", "svg"), dpi=REPORT_PNG_DPI)
    # the sidecar last, by a rename: a notebook waiting for this figure reads it only when whole
    part = write_sidecar(meta, _OUT / f"{key}.json.part.json")
    os.replace(part, _OUT / f"{key}.json")
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
                    metas[key] = FigureMeta(**meta)
                    progress(f"[report] figure {i}/{len(keys)} {key} ({secs:.1f}s)")
        else:
            for i, key in enumerate(keys, start=1):
                meta, secs = _draw(key)
                metas[key] = FigureMeta(**meta)
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


def _without_iri_checker() -> None:
    """Skip the RFC 3987 IRI checker that ``jsonschema`` loads when it is installed.

    ``nbformat`` imports ``jsonschema``, which imports ``rfc3987_syntax`` (installed with
    JupyterLab's ``jupyter-events``) if it can: that module builds a grammar at import,
    about 1.8 s per process. Notebook schemas have no IRI formats, so a process that only
    executes and exports notebooks has no use for it; ``jsonschema`` skips the checker
    when the import fails. Only the runner process (:func:`main`) does this, never a
    caller's process; one that has already imported ``jsonschema`` keeps the checker.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def _kernel_manager(sockets: str):
    """A kernel manager for a local kernel; over Unix sockets in ``sockets`` where the system has them.

    Kernels started at the same moment by separate processes (parallel tests, two reports)
    can then never pick the same TCP port.
    """
    from jupyter_client.manager import AsyncKernelManager

    if os.name == "posix":
        return AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"))
    return AsyncKernelManager(kernel_name="python3")


def _client(nb, path: Path, timeout: int, km):
    """The notebook client every runner uses: a quiet local kernel (``km``) in the notebook's folder."""
    from nbclient import NotebookClient

    return NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        kernel_name="python3",
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(Path(path).parent)}},
    )


#: Run (silently, outside the notebook) in a fresh kernel before its first notebook: what a later
#: notebook must find again as this one found it, kept on the IPython shell (which outlives
#: ``%reset``), so the kernel needs nothing but IPython.
KERNEL_SNAPSHOT = (
    "import os as _os, sys as _sys, warnings as _w\n"
    "get_ipython()._rocu_state = dict(environ=dict(_os.environ), path=list(_sys.path), warnings=list(_w.filters), "
    "count=get_ipython().execution_count)\n"
    "del _os, _sys, _w\n"
)

#: Run (silently) in a kernel before each notebook after its first: the user namespace, the
#: input history and the execution counter start again; the environment variables, ``sys.path``
#: and the warning filters are put back as the first notebook found them; figures are closed
#: and the working folder is the notebook's, as in a fresh kernel. Imported modules stay
#: imported (that is the saving), so module-level settings a notebook changes (matplotlib's
#: ``rcParams``, pandas options) would carry over: the notebooks here change none.
KERNEL_RESET = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import os as _os, sys as _sys, warnings as _w\n"
    "_s = get_ipython()._rocu_state\n"
    "_os.environ.clear(); _os.environ.update(_s['environ']); _sys.path[:] = _s['path']\n"
    "_w.filters[:] = _s['warnings']; getattr(_w, '_filters_mutated', lambda: None)()\n"
    "get_ipython().execution_count = _s['count']\n"
    "if 'matplotlib.pyplot' in _sys.modules: _sys.modules['matplotlib.pyplot'].close('all')\n"
    "_os.chdir({folder!r})\n"
    "del _os, _sys, _w, _s\n"
)


class _Kernel:
    """One kernel that executes notebooks one after another (started on first use)."""

    def __init__(self):
        self.sockets = tempfile.mkdtemp(prefix="rocu-kernel-")
        self.km = None
        self.used = False

    async def run(self, path: Path, timeout: int):
        """Execute the jupytext notebook at ``path``; return the executed node."""
        import jupytext
        from nbclient.exceptions import CellExecutionError

        nb = jupytext.read(path)
        if self.km is not None and not await self.km.is_alive():  # died in the last notebook: a new one
            await self.close(keep_sockets=True)
        if self.km is None:
            self.km, self.used = _kernel_manager(self.sockets), False
        client = _client(nb, path, timeout, self.km)
        folder = str(Path(path).parent.resolve())

        async def start(**_):
            code = KERNEL_RESET.format(folder=folder) if self.used else KERNEL_SNAPSHOT
            reply = await client.async_wait_for_reply(client.kc.execute(code, silent=True, store_history=False))
            if reply is None or reply["content"].get("status") != "ok":
                raise RuntimeError("the kernel could not be set up for the next notebook")

        client.on_notebook_start = start
        try:
            await client.async_execute()
        except CellExecutionError as err:
            if getattr(err, "ename", "") != "NotApplicable":
                raise
            _not_applicable(nb)  # the notebook stops where it says it does not apply, with its reason
        finally:
            self.used = True
            if client.kc is not None:
                client.kc.stop_channels()
        return nb

    async def close(self, keep_sockets: bool = False) -> None:
        """Shut the kernel down (and remove its socket folder unless ``keep_sockets``)."""
        km, self.km = self.km, None
        try:
            if km is not None and km.has_kernel:
                await km.shutdown_kernel(now=True)
        finally:
            if not keep_sockets:
                shutil.rmtree(self.sockets, ignore_errors=True)


def execute(path: Path, timeout: int = 600):
    """Execute one jupytext notebook headless in its own folder and return the executed node.

    The kernel sees this process's environment. It is local and short-lived: its start-up
    warnings (e.g. "Kernel is running over TCP without encryption") are noise in a report
    run, so it logs errors only; cell errors still raise ``CellExecutionError``.
    """
    from jupyter_core.utils import run_sync  # works inside a running event loop too (a kernel)

    return run_sync(execute_async)(path, timeout)


async def execute_async(path: Path, timeout: int = 600):
    """:func:`execute` as a coroutine, so that one process can drive several kernels at once."""
    kernel = _Kernel()
    try:
        return await kernel.run(Path(path), timeout)
    finally:
        await kernel.close()


def _not_applicable(nb) -> None:
    """Replace the ``NotApplicable`` traceback in an executed notebook by its one-line reason."""
    import nbformat

    for cell in nb.cells:
        for i, out in enumerate(cell.get("outputs", [])):
            if out.get("output_type") == "error" and out.get("ename") == "NotApplicable":
                cell["outputs"][i] = nbformat.v4.new_output(
                    "stream", name="stdout", text=f"Not run on this data: {out.get('evalue', '')}\n"
                )


_EXPORTER = None


def write_html(nb, page: Path, marking: str | None = None) -> Path:
    """Write an executed notebook as an HTML page, with the protective marking top and bottom,
    and as the executed ``.ipynb`` beside it (to open in Jupyter, outputs included)."""
    global _EXPORTER
    import nbformat
    from nbconvert import HTMLExporter

    if _EXPORTER is None:  # its templates are read once per process
        _EXPORTER = HTMLExporter()
    body, _ = _EXPORTER.from_notebook_node(nb)
    if marking:
        banner = marking_banner(marking)
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, body, count=1)
        body = body.replace("</body>", banner + "</body>", 1)
    page = Path(page)
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(body, encoding="utf-8")
    if marking:  # the notebook file carries the marking too, as its first cell
        nb = nbformat.from_dict(nb)
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"**{marking}**"))
    nbformat.write(nb, page.with_suffix(".ipynb"))
    return page


def _cell_error(err) -> str:
    """``ename: evalue`` of a cell's error, as the report prints it."""
    return f"{getattr(err, 'ename', 'error')}: {getattr(err, 'evalue', err)}"


async def _pages(items, jobs: int, marking: str | None, timeout: int, report) -> None:
    """Execute ``(notebook, page)`` pairs on ``jobs`` kernels, in order, calling ``report`` as each ends.

    Each kernel takes the next notebook when it is free; one that fails (or kills its kernel)
    never stops the others: a dead kernel is replaced for the next notebook.
    """
    import asyncio

    from nbclient.exceptions import CellExecutionError

    queue = [(Path(p), Path(q)) for p, q in items]

    async def worker():
        kernel = _Kernel()
        try:
            while queue:
                path, page = queue.pop(0)
                t = time.perf_counter()
                try:
                    write_html(await kernel.run(path, timeout), page, marking)
                except CellExecutionError as err:
                    report(path, page, _cell_error(err), t)
                except Exception as err:  # noqa: BLE001 - a dead kernel or an unwritable page fails this notebook only
                    report(path, page, f"{type(err).__name__}: {err}", t)
                else:
                    report(path, page, "", t)
        finally:
            await kernel.close()

    await asyncio.gather(*(worker() for _ in range(max(1, min(jobs, len(queue))))), return_exceptions=True)


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
    if not paths:
        return [], []
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    child_env = {**os.environ, **env}
    child_env.pop("MPLBACKEND", None)  # the kernel uses the inline backend

    # One runner process drives every kernel (``jobs`` at a time): the notebook machinery
    # (jupytext, nbclient, nbconvert's templates) is imported and set up once, not per notebook.
    cmd = [sys.executable, "-m", "rocu_compare.report.parallel", "--jobs", str(max(1, jobs))]
    if marking:
        cmd += ["--marking", marking]
    for p in paths:
        cmd += [str(p), str(out / f"{p.stem}.html")]
    index = {str(p): i for i, p in enumerate(paths, start=1)}
    done: dict[int, tuple] = {}
    errors = tempfile.TemporaryFile("w+", encoding="utf-8")  # kernels write here too: never a full pipe
    proc = subprocess.Popen(cmd, env=child_env, stdout=subprocess.PIPE, stderr=errors, text=True)
    for line in proc.stdout:
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # not a runner record
        i = index[rec["notebook"]]
        done[i] = (paths[i - 1], Path(rec["page"]), rec["error"])
        state = f"FAILED: {rec['error']}" if rec["error"] else f"({rec['seconds']:.1f}s)"
        progress(f"[report] notebook {i}/{len(paths)} {paths[i - 1].stem} {state}")
    proc.wait()
    errors.seek(0)
    err = errors.read()
    errors.close()
    for i, p in enumerate(paths, start=1):  # a runner that died takes its unfinished notebooks with it
        if i not in done:
            last = err.strip().splitlines()[-1] if err.strip() else f"runner exited with {proc.returncode}"
            done[i] = (p, out / f"{p.stem}.html", last)
    pages = [done[i][1] for i in sorted(done) if not done[i][2]]
    failed = [(done[i][0].stem, done[i][2]) for i in sorted(done) if done[i][2]]
    return pages, failed


def main(argv=None) -> int:
    """``python -m rocu_compare.report.parallel [--jobs N] [--marking M] NOTEBOOK PAGE [NOTEBOOK PAGE ...]``.

    Executes the notebooks (``N`` kernels at a time) and writes each as an HTML page,
    printing one JSON line per notebook as it ends: ``notebook``, ``page``, ``error``
    (empty when it ran) and ``seconds``. Exits 1 if any notebook failed.
    """
    import asyncio

    ap = argparse.ArgumentParser()
    ap.add_argument("pairs", nargs="+", metavar="NOTEBOOK PAGE")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--marking", default=None)
    ap.add_argument("--timeout", type=int, default=600)
    a = ap.parse_args(argv)
    if len(a.pairs) % 2:
        ap.error("give a page for every notebook")
    items = list(zip(a.pairs[::2], a.pairs[1::2]))
    failed = []

    def report(path, page, error, t0):
        if error:
            failed.append(path)
        rec = {"notebook": str(path), "page": str(page), "error": error, "seconds": time.perf_counter() - t0}
        print(json.dumps(rec), flush=True)

    _without_iri_checker()
    asyncio.run(_pages(items, a.jobs, a.marking, a.timeout, report))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
