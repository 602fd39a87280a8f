"""Write the dataset out (CSV folder or workbook), the empty template and the data dictionary.

All three are generated from the descriptor, so a workbook exported here loads back with
:func:`rocu_compare.load` into equal frames.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .dataset import Dataset
from .schema import Package, TableSchema, package

README_LINES = [
    "rocu-compare data workbook",
    "One sheet per table; the first row of each sheet holds the column names (do not rename them).",
    "Leave a cell empty when a value is not known or not published: empty is never read as zero.",
    "Type values, not formulas: formula cells are reported as problems and never evaluated.",
    "Every row cites a source_id (or source_ids separated by ';') listed in the sources sheet, with a URL.",
    "Flag any estimate with is_estimate = true and say how it was made in estimate_method.",
    "Check the file with:  rocu-compare validate THIS_FILE.xlsx",
    "The data_dictionary sheet describes every column (type, unit, constraints).",
]


def data_dictionary(pkg: Package | None = None) -> pd.DataFrame:
    """One row per column of every table: type, unit, required, constraints, description."""
    pkg = pkg or package()
    rows = []
    for t in pkg.tables.values():
        for f in t.fields:
            cons = []
            if f.unique:
                cons.append("unique")
            if f.enum:
                cons.append("one of: " + ", ".join(f.enum))
            if f.minimum is not None:
                cons.append(f">= {f.minimum:g}")
            if f.maximum is not None:
                cons.append(f"<= {f.maximum:g}")
            if f.partial_date:
                cons.append("YYYY, YYYY-MM or YYYY-MM-DD")
            elif f.pattern:
                cons.append(f"pattern {f.pattern}")
            if f.source_ref:
                cons.append("source id(s) in sources")
            for fk in t.foreign_keys:
                if fk.fields == f.name:
                    cons.append(f"in {fk.resource}.{fk.reference}")
            rows.append({"table": t.name, "column": f.name, "type": "date (partial)" if f.partial_date else f.type,
                         "unit": f.unit or "", "required": "yes" if f.required else "",
                         "primary_key": "yes" if f.name in t.primary_key else "",
                         "constraints": "; ".join(cons), "description": f.description})
    return pd.DataFrame(rows)


def data_dictionary_markdown(pkg: Package | None = None) -> str:
    """The data dictionary as Markdown (used for the README's data section)."""
    pkg = pkg or package()
    dd = data_dictionary(pkg)
    out = []
    for t in pkg.tables.values():
        tag = " *(analyst data: bundled empty)*" if t.analyst_table else ""
        out.append(f"#### `{t.name}` — {t.title}{tag}\n\n{t.description} Primary key: "
                   f"`{', '.join(t.primary_key)}`.\n")
        out.append("| column | type | unit | required | constraints | description |")
        out.append("|---|---|---|---|---|---|")
        for r in dd[dd["table"] == t.name].itertuples():
            desc = r.description.replace("|", "/")
            cons = r.constraints.replace("|", "/")
            out.append(f"| `{r.column}` | {r.type} | {r.unit} | {r.required} | {cons} | {desc} |")
        out.append("")
    return "\n".join(out)


def _text(v, f) -> str:
    if pd.isna(v):
        return ""
    if f.type == "boolean":
        return "true" if bool(v) else "false"
    if f.type == "integer":
        return str(int(v))
    if f.type == "number":
        return repr(float(v))
    if f.type == "date":
        return pd.Timestamp(v).date().isoformat()
    return str(v)


def _cell(v, f):
    if pd.isna(v):
        return None
    if f.type == "boolean":
        return bool(v)
    if f.type == "integer":
        return int(v)
    if f.type == "number":
        return float(v)
    if f.type == "date":
        return pd.Timestamp(v).date().isoformat()
    return str(v)


def table_text(frame: pd.DataFrame, schema: TableSchema) -> list[list[str]]:
    """Rows of a typed frame as text, in schema column order."""
    return [[_text(v, f) for v, f in zip(row, schema.fields)]
            for row in frame[schema.columns].itertuples(index=False)]


def export_csv(ds: Dataset, folder: str | Path) -> Path:
    """Write every table of ``ds`` as ``folder/<table>.csv`` (loadable with :func:`load`)."""
    import csv

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, schema in ds.schema.tables.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(schema.columns)
            w.writerows(table_text(ds.tables[name], schema))
    return folder


def _write_workbook(path: Path, tables: dict[str, tuple[TableSchema, list[list]]], pkg: Package) -> Path:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "README"
    for line in README_LINES:
        ws.append([line])
    ws.column_dimensions["A"].width = 110
    for name, (schema, rows) in tables.items():
        sh = wb.create_sheet(name)
        sh.append(schema.columns)
        for c in sh[1]:
            c.font = Font(bold=True)
        for i, r in enumerate(rows, start=2):
            sh.append(r)
            for j, v in enumerate(r, start=1):
                if isinstance(v, str) and v.startswith("="):
                    sh.cell(row=i, column=j).data_type = "s"  # text that looks like a formula stays text
        for j, col in enumerate(schema.columns, start=1):
            sh.column_dimensions[openpyxl.utils.get_column_letter(j)].width = max(12, min(40, len(col) + 2))
        sh.freeze_panes = "A2"
    dd = wb.create_sheet("data_dictionary")
    frame = data_dictionary(pkg)
    dd.append(list(frame.columns))
    for r in frame.itertuples(index=False):
        dd.append(list(r))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def export_xlsx(ds: Dataset, path: str | Path) -> Path:
    """Write every table of ``ds`` to one workbook (a sheet per table, plus README and data dictionary)."""
    tables = {}
    for name, schema in ds.schema.tables.items():
        rows = [[_cell(v, f) for v, f in zip(row, schema.fields)]
                for row in ds.tables[name][schema.columns].itertuples(index=False)]
        tables[name] = (schema, rows)
    return _write_workbook(Path(path), tables, ds.schema)


def write_template(path: str | Path, pkg: Package | None = None) -> Path:
    """An empty workbook: one sheet per table with its headers, plus README and data dictionary."""
    pkg = pkg or package()
    return _write_workbook(Path(path), {n: (s, []) for n, s in pkg.tables.items()}, pkg)


def export(ds: Dataset, out: str | Path) -> Path:
    """Export to ``out``: an ``.xlsx`` path writes a workbook, anything else a CSV folder."""
    out = Path(out)
    return export_xlsx(ds, out) if out.suffix.lower() == ".xlsx" else export_csv(ds, out)
