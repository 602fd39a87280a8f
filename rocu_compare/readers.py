"""Read a folder of CSVs or an ``.xlsx`` workbook into raw text tables.

Every cell is read as the text a user typed, so that validation sees exactly what is in
the file: nothing is coerced, dropped or reordered here. Excel formulas are never
evaluated; formula cells are recorded so the validator can report them.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem

#: Sheets and files the reader knows are not tables (template extras).
IGNORED_SHEETS = ("README", "data_dictionary")
IGNORED_FILES = ("datapackage.json",)


@dataclass
class RawTable:
    """One table as read: header and rows of text, with where each came from.

    Attributes
    ----------
    name : str
        Table name (file stem or sheet name).
    label : str
        How problems name the table: ``forces.csv`` or ``book.xlsx[forces]``.
    header : list of str
    rows : list of list of str
        Data rows; row ``i`` of this list is spreadsheet row ``i + 2``.
    formulas : list of (int, str, str)
        (spreadsheet row, column name, formula) of each formula cell.
    problems : list of Problem
        Problems found while reading (ragged rows, blank rows, blank headers).
    """

    name: str
    label: str
    header: list[str]
    rows: list[list[str]]
    formulas: list[tuple[int, str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _check_shape(t: RawTable) -> RawTable:
    width = len(t.header)
    seen = set()
    for j, h in enumerate(t.header):
        if h == "":
            t.problems.append(Problem(t.label, 1, None, None, "header", f"column {j + 1} has no header"))
        elif h in seen:
            t.problems.append(Problem(t.label, 1, h, h, "header", "duplicate column name"))
        seen.add(h)
    for i, r in enumerate(t.rows):
        if len(r) != width:
            t.problems.append(Problem(t.label, i + 2, None, None, "row_shape",
                                      f"row has {len(r)} fields but the header has {width}"))
        elif all(v == "" for v in r):
            t.problems.append(Problem(t.label, i + 2, None, None, "blank_row",
                                      "blank row inside the table (delete it or fill it)"))
    return t


def read_csv_table(path: Path, name: str | None = None) -> RawTable:
    """Read one CSV file (UTF-8, RFC 4180) as text."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0] if rows else []
    return _check_shape(RawTable(name or path.stem, path.name, header, rows[1:]))


def read_csv_folder(folder: Path) -> dict[str, RawTable]:
    """Read every ``*.csv`` in a folder, keyed by file stem."""
    return {p.stem: read_csv_table(p) for p in sorted(Path(folder).glob("*.csv"))}


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path) -> dict[str, RawTable]:
    """Read every sheet of an ``.xlsx`` workbook as text (formulas recorded, not evaluated)."""
    import openpyxl  # lazy: only analysts' workbooks need it

    path = Path(path)
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    tables: dict[str, RawTable] = {}
    try:
        for ws in wb.worksheets:
            if ws.title in IGNORED_SHEETS:
                continue
            label = f"{path.name}[{ws.title}]"
            grid: list[list[str]] = []
            formulas: list[tuple[int, int, str]] = []
            for r_idx, row in enumerate(ws.iter_rows(), start=1):
                texts = []
                for c_idx, cell in enumerate(row):
                    v = getattr(cell, "value", None)
                    if getattr(cell, "data_type", None) == "f" or (isinstance(v, str) and v.startswith("=") and getattr(cell, "data_type", None) == "f"):
                        formulas.append((r_idx, c_idx, str(v)))
                    texts.append(_cell_text(v))
                grid.append(texts)
            # trailing empty rows and columns are formatting, not data
            while grid and all(v == "" for v in grid[-1]):
                grid.pop()
            width = max((max((j + 1 for j, v in enumerate(r) if v != ""), default=0) for r in grid), default=0)
            grid = [(r + [""] * width)[:width] for r in grid]
            header = grid[0] if grid else []
            t = RawTable(ws.title, label, header, grid[1:])
            t.formulas = [(r, header[c] if c < len(header) else f"column {c + 1}", f) for r, c, f in formulas]
            tables[ws.title] = _check_shape(t)
    finally:
        wb.close()
    return tables


def read_any(path: Path) -> dict[str, RawTable]:
    """Read a folder of CSVs or an ``.xlsx`` workbook.

    Raises
    ------
    FileNotFoundError
        If the path does not exist.
    ValueError
        If the path is neither a folder nor an ``.xlsx`` file.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    if path.is_dir():
        return read_csv_folder(path)
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path)
    if path.suffix.lower() == ".csv":
        raise ValueError(f"{path} is a single CSV: pass the folder that holds all the tables")
    raise ValueError(f"{path}: expected a folder of CSV files or an .xlsx workbook")
