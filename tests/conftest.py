"""Shared fixtures: the bundled dataset and writable copies of it."""
from __future__ import annotations

import csv
import os
import shutil
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


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the bundled CSV folder."""
    dst = tmp_path / "data"
    shutil.copytree(DATA_DIR, dst, ignore=shutil.ignore_patterns("*.json", "*.geojson", "documents", "log"))
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
