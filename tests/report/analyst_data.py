"""Analyst datasets built in the tests: the bundled data with rows changed, and a sparse one.

Rows the analyst changed or added are marked ``analyst`` in ``Dataset.row_origins``
(what ``rc.load(path, with_bundled=True)`` reports), so figures can tell them apart.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

import rocu_compare as rc
from rocu_compare.workbook import export_csv

#: The analyst's own (test) return; its URL is a placeholder for an internal document.
SOURCE = [
    "analyst-return-2024",
    "Regional resourcing return 2018-21 (test)",
    "Test analyst",
    "2024",
    "",
    "internal",
    "internal-return",
    "OFFICIAL-SENSITIVE",
    "",
    "Test data built in the test suite.",
]
NINE = ["nersou", "nwrocu", "yhrocu", "emsou", "wmrocu", "ersou", "serocu", "swrocu", "tarian"]
YEARS = ["2018-19", "2019-20", "2020-21"]


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def budget(i: int, k: int) -> float:
    """Test budget of the i-th of NINE in the k-th year: £10m + £1m per unit + £0.5m per year."""
    return 10_000_000 + 1_000_000 * i + 500_000 * k


def grant(i: int, k: int) -> float:
    """Test Home Office grant: (20 + i)% of the budget."""
    return budget(i, k) * (20 + i) / 100


def _mark(ds, changed: dict[str, list[int]], name: str):
    """Mark the listed spreadsheet rows (index values) of each table as the analyst's."""
    for table, rows in changed.items():
        frame = ds.tables[table]
        origin = pd.Series("bundled", index=frame.index)
        origin[origin.index.isin(rows)] = "analyst"
        ds.row_origins[table] = pd.DataFrame(
            {
                "origin": origin.values,
                "file": [f"{name}/{table}.csv" if o == "analyst" else f"{table}.csv" for o in origin],
                "row": pd.array(frame.index, dtype="Int64"),
            },
            index=frame.index,
        )
    ds.data_name = name
    return ds


def analyst_dataset(folder: Path, *, resources: bool = True) -> rc.Dataset:
    """The bundled data plus an analyst's rows that contradict bundled-only wording.

    - North Wales moves from NWROCU to Tarian (the bundled map said otherwise);
    - YHROCU gets a founding year (bundled: not published);
    - the City of London gets a crime severity score for year ending March 2015;
    - capability_status: seven capabilities for nine ROCUs (2015), NWROCU delivering all seven;
    - rocu_resources: three financial years for nine ROCUs (unless ``resources=False``).
    """
    export_csv(rc.load(), folder)
    changed: dict[str, list[int]] = {}

    rows = _rows(folder / "sources.csv")
    rows.append(SOURCE)
    _write(folder / "sources.csv", rows)
    changed["sources"] = [len(rows)]

    rows = _rows(folder / "membership.csv")
    h = rows[0]
    hit = [i for i, r in enumerate(rows) if r[h.index("force")] == "North Wales"]
    for i in hit:
        rows[i][h.index("rocu_id")] = "tarian"
        rows[i][h.index("source_ids")] = SOURCE[0]
    _write(folder / "membership.csv", rows)
    changed["membership"] = [i + 1 for i in hit]

    rows = _rows(folder / "rocus.csv")
    h = rows[0]
    i = next(i for i, r in enumerate(rows) if r[h.index("rocu_id")] == "yhrocu")
    rows[i][h.index("established")] = "2010"
    rows[i][h.index("source_ids")] += ";" + SOURCE[0]
    _write(folder / "rocus.csv", rows)
    changed["rocus"] = [i + 1]

    rows = _rows(folder / "force_crime_severity.csv")
    rows.append(["City of London", "2015-03-31", "Total recorded crime", "12.5", SOURCE[0]])
    _write(folder / "force_crime_severity.csv", rows)
    changed["force_crime_severity"] = [len(rows)]

    caps = [r[0] for r in _rows(folder / "capabilities.csv")[1:8]]
    rows = [_rows(folder / "capability_status.csv")[0]]
    for k, rid in enumerate(NINE):
        for j, cap in enumerate(caps):
            status = "delivered" if rid == "nwrocu" or j < 3 + k % 4 else "not delivered"
            rows.append([rid, cap, "2015", status, SOURCE[0], ""])
    _write(folder / "capability_status.csv", rows)
    changed["capability_status"] = list(range(2, len(rows) + 1))

    rows = [_rows(folder / "rocu_resources.csv")[0]]
    if resources:
        for i, rid in enumerate(NINE):
            for k, fy in enumerate(YEARS):
                b = budget(i, k)
                rows.append(
                    [
                        rid,
                        fy,
                        f"{b:.0f}",
                        f"{grant(i, k):.0f}",
                        f"{100 + 10 * i}",
                        f"{50 + 5 * i}",
                        "false",
                        "",
                        SOURCE[0],
                        "",
                    ]
                )
    _write(folder / "rocu_resources.csv", rows)
    changed["rocu_resources"] = list(range(2, len(rows) + 1))

    return _mark(rc.load(folder), changed, "mine.xlsx")


def sparse_dataset(folder: Path) -> rc.Dataset:
    """An analyst's sparse data: three ROCUs, their forces' membership, nothing else but the
    forces, sources and capabilities lists (every other table has headers only)."""
    export_csv(rc.load(), folder)
    keep = {
        "rocus": ("rocu_id", {"emsou", "tarian", "swrocu"}),
        "membership": ("rocu_id", {"emsou", "tarian", "swrocu"}),
    }
    changed = {}
    for table in (
        "capability_evidence",
        "capability_status",
        "events",
        "facts",
        "force_crime_severity",
        "force_officers_fte",
        "force_population",
        "inspections",
        "recommendation_status",
        "recommendations",
        "rocu_resources",
        "rocu_model_evidence",
    ):
        _write(folder / f"{table}.csv", _rows(folder / f"{table}.csv")[:1])
    for table, (col, ids) in keep.items():
        rows = _rows(folder / f"{table}.csv")
        kept = [rows[0]] + [r for r in rows[1:] if r[rows[0].index(col)] in ids]
        _write(folder / f"{table}.csv", kept)
        changed[table] = list(range(2, len(kept) + 1))
    return _mark(rc.load(folder), changed, "sparse.xlsx")
