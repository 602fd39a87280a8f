"""Shared fixtures: the bundled dataset and writable copies of it."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import rocu_compare as rc  # noqa: E402
from rocu_compare.schema import DATA_DIR  # noqa: E402

REFERENCE_DIR = Path(os.environ.get("ROCU_REFERENCE_DIR", DATA_DIR.parent.parent / "shared" / "reference"))


@pytest.fixture(scope="session")
def ds():
    """The bundled public dataset (loaded once)."""
    return rc.load()


class ReportRuns:
    """Two builds of the report on the bundled data (see :func:`report_runs`)."""

    def __init__(self, a: Path, b: Path, second: subprocess.Popen):
        self.a, self.b, self._second = a, b, second

    def wait(self, timeout: float = 900) -> Path:
        """Wait for the second build; fail with its stderr if it failed. Returns its folder."""
        if self._second.returncode is None:
            _, err = self._second.communicate(timeout=timeout)
            self._stderr = err
        if self._second.returncode != 0:
            pytest.fail(f"second report build failed ({self._second.returncode}): {self._stderr}")
        return self.b


@pytest.fixture(scope="session")
def report_runs(tmp_path_factory):
    """The report on the bundled data (figures, notebooks and index), built once per test run.

    ``.a`` is built in this process. ``.b`` is a second build started at the
    same time in a separate Python process, so the two share the cores and
    the byte-identity test also covers a fresh interpreter, as two
    ``make report`` runs are; call ``.wait()`` before reading it.
    """
    a = tmp_path_factory.mktemp("report_a")
    b = tmp_path_factory.mktemp("report_b")
    code = (
        "import sys; from pathlib import Path; from rocu_compare.report import run_report; "
        "run_report(Path(sys.argv[1]), notebooks=False, jobs=1)"
    )  # serially
    second = subprocess.Popen(
        [sys.executable, "-c", code, str(b)],
        env={**os.environ, "MPLBACKEND": "Agg"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        from rocu_compare.report import run_report

        # figures in two worker processes (the files must not differ from b's), and the notebooks,
        # which show the figures this build draws (tests/test_notebooks.py reads them)
        run_report(a, notebooks=True, jobs=2)
        yield ReportRuns(a, b, second)
    finally:
        if second.poll() is None:
            second.kill()
        second.communicate()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the bundled CSV folder."""
    dst = tmp_path / "data"
    shutil.copytree(DATA_DIR, dst, ignore=shutil.ignore_patterns("*.json", "*.geojson", "log"))
    return dst


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def set_cell(folder: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` is the spreadsheet row (header = 1)."""
    p = folder / f"{table}.csv"
    rows = read_rows(p)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(p, rows)


def pytest_collection_modifyitems(config, items):
    """Property-based (hypothesis) tests count as slow: `make test` runs them, `make test-fast` leaves them out."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)
