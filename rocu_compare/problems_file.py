"""Write problems to a file an analyst can sort, filter and tick off (CSV or ``.xlsx``)."""

from __future__ import annotations

import csv
from pathlib import Path

from .errors import Problem

#: Columns of the problems file, in order.
COLUMNS = ["place", "severity", "rule", "value", "message", "fix", "file", "row", "column"]


def problem_rows(problems: list[Problem]) -> list[list]:
    """One list per problem, in :data:`COLUMNS` order (row is an int or blank)."""
    return [
        [
            p.place,
            p.severity,
            p.rule,
            "" if p.value is None else p.value,
            " ".join(p.message.split()),
            "" if p.fix is None else " ".join(p.fix.split()),
            p.file,
            "" if p.row is None else p.row,
            "" if p.column is None else p.column,
        ]
        for p in problems
    ]


def write_problems(problems: list[Problem], path: str | Path) -> Path:
    """Write one row per problem to ``path`` (``.xlsx`` gives a workbook, anything else CSV UTF-8).

    Parameters
    ----------
    problems : list of Problem
        Errors and warnings, in the order they were printed.
    path : path-like

    Returns
    -------
    Path
        The file written. Cell text that starts with ``=`` is stored as text, never as a
        formula.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = problem_rows(problems)
    if path.suffix.lower() == ".xlsx":
        import openpyxl
        from openpyxl.styles import Font

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "problems"
        ws.append(COLUMNS)
        for c in ws[1]:
            c.font = Font(bold=True)
        for i, r in enumerate(rows, start=2):
            ws.append(r)
            for j, v in enumerate(r, start=1):
                if isinstance(v, str) and v.startswith("="):
                    ws.cell(row=i, column=j).data_type = "s"
        for letter, width in zip("ABCDEFGHI", (40, 9, 16, 24, 70, 50, 24, 6, 20)):
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        wb.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(COLUMNS)
            w.writerows(rows)
    return path


def read_problems(path: str | Path) -> list[dict[str, str]]:
    """Rows of a problems file written by :func:`write_problems`, as dicts of text."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            grid = [["" if v is None else str(v) for v in row] for row in wb.active.iter_rows(values_only=True)]
        finally:
            wb.close()
    else:
        with path.open(encoding="utf-8", newline="") as fh:
            grid = list(csv.reader(fh))
    return [dict(zip(grid[0], r)) for r in grid[1:]]
