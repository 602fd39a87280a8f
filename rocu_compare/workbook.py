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
    "Fill only the rows you have: loaded with --with-bundled, your rows are added to the bundled public rows, "
    "and a row with the same key as a bundled row replaces it.",
    "Leave a cell empty when a value is not known or not published: empty is never read as zero.",
    "Type values, not formulas: formula cells are reported as problems and never evaluated.",
    "Every row cites a source_id (or source_ids separated by ';') listed in the sources sheet.",
    "To cite your own internal return, add it to the sources sheet with url_basis = internal, kind = internal-return "
    "and classification = OFFICIAL or OFFICIAL-SENSITIVE (leave url blank): every output built on it carries "
    "that marking.",
    "Flag any estimate with is_estimate = true and say how it was made in estimate_method.",
    "The data_dictionary sheet describes every column (type, unit, constraints).",
]


def _command_lines(name: str) -> list[str]:
    return [
        f"Check the filled file with:  rocu-compare validate {name} --with-bundled",
        f"Then the whole report on it:  rocu-compare report --data {name} --with-bundled --out my_report",
        "(run both from the folder that holds the file, or give its path)",
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
            rows.append(
                {
                    "table": t.name,
                    "column": f.name,
                    "type": "date (partial)" if f.partial_date else f.type,
                    "unit": f.unit or "",
                    "required": "yes" if f.required else "",
                    "primary_key": "yes" if f.name in t.primary_key else "",
                    "constraints": "; ".join(cons),
                    "description": f.description,
                }
            )
    return pd.DataFrame(rows)


def data_dictionary_markdown(pkg: Package | None = None) -> str:
    """The data dictionary as Markdown (used for the README's data section)."""
    pkg = pkg or package()
    dd = data_dictionary(pkg)
    out = []
    for t in pkg.tables.values():
        tag = " *(analyst data: bundled empty)*" if t.analyst_table else ""
        out.append(f"#### `{t.name}` — {t.title}{tag}\n\n{t.description} Primary key: `{', '.join(t.primary_key)}`.\n")
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
    return [[_text(v, f) for v, f in zip(row, schema.fields)] for row in frame[schema.columns].itertuples(index=False)]


def export_csv(ds: Dataset, folder: str | Path, *, force: bool = False) -> Path:
    """Write every table of ``ds`` as ``folder/<table>.csv`` (loadable with :func:`load`).

    Shipped documents the sources name are copied beside the tables. Refuses a non-empty
    folder unless ``force``.
    """
    import csv

    folder = Path(folder)
    _refuse_overwrite(folder, force)
    folder.mkdir(parents=True, exist_ok=True)
    _copy_documents(ds, folder)
    for name, schema in ds.schema.tables.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(schema.columns)
            w.writerows(table_text(ds.tables[name], schema))
    return folder


def _refuse_overwrite(out: Path, force: bool) -> None:
    """Raise FileExistsError if ``out`` is a file, or a non-empty folder, and ``force`` is False."""
    if force:
        return
    if out.is_file() or (out.is_dir() and any(out.iterdir())):
        what = "folder is not empty" if out.is_dir() else "file exists"
        raise FileExistsError(f"{out}: {what}; choose another name, or pass --force (force=True) to overwrite it")


def _copy_documents(ds: Dataset, base: Path) -> None:
    """Copy the shipped documents that ``ds.sources`` names to ``base``, keeping their relative paths."""
    import shutil

    s = ds.tables["sources"]
    if "document" not in s:
        return
    for doc in s["document"].dropna().astype(str):
        for d in ds.document_dirs:
            src = Path(d) / doc
            if src.is_file():
                dst = base / doc
                dst.parent.mkdir(parents=True, exist_ok=True)
                if not dst.exists():
                    shutil.copyfile(src, dst)
                break


def _write_workbook(path: Path, tables: dict[str, tuple[TableSchema, list[list]]], pkg: Package) -> Path:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "README"
    for line in README_LINES + _command_lines(Path(path).name):
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


def export_xlsx(ds: Dataset, path: str | Path, *, force: bool = False) -> Path:
    """Write every table of ``ds`` to one workbook (a sheet per table, plus README and data dictionary).

    Shipped documents the sources name are copied beside the workbook. Refuses an existing
    file unless ``force``.
    """
    _refuse_overwrite(Path(path), force)
    tables = {}
    for name, schema in ds.schema.tables.items():
        rows = [
            [_cell(v, f) for v, f in zip(row, schema.fields)]
            for row in ds.tables[name][schema.columns].itertuples(index=False)
        ]
        tables[name] = (schema, rows)
    out = _write_workbook(Path(path), tables, ds.schema)
    _copy_documents(ds, out.parent)
    return out


def write_template(path: str | Path, pkg: Package | None = None, *, force: bool = False) -> Path:
    """An empty workbook: one sheet per table with its headers, plus README and data dictionary.

    Refuses to overwrite an existing file (a filled template, perhaps) unless ``force``.
    """
    pkg = pkg or package()
    _refuse_overwrite(Path(path), force)
    return _write_workbook(Path(path), {n: (s, []) for n, s in pkg.tables.items()}, pkg)


def export(ds: Dataset, out: str | Path, *, force: bool = False) -> Path:
    """Export to ``out``: an ``.xlsx`` path writes a workbook, anything else a CSV folder.

    Refuses an existing file or a non-empty folder unless ``force``.
    """
    out = Path(out)
    return export_xlsx(ds, out, force=force) if out.suffix.lower() == ".xlsx" else export_csv(ds, out, force=force)


def append_rows(path: str | Path, table: str, rows: list[dict]) -> Path:
    """Append rows to one sheet of a workbook, matching values to the sheet's headers by name.

    Handy for filling a template from code. Columns not given stay empty; a key that is not
    a column of the sheet is an error (nothing is written).

    Parameters
    ----------
    path : str or Path
        An ``.xlsx`` workbook (e.g. from :func:`write_template`); saved in place.
    table : str
        Sheet name.
    rows : list of dict
        One dict per row, column name to value.

    Returns
    -------
    Path

    Raises
    ------
    KeyError
        If the sheet does not exist or a dict names a column the sheet does not have.
    """
    import openpyxl

    path = Path(path)
    wb = openpyxl.load_workbook(path)
    if table not in wb.sheetnames:
        raise KeyError(f"{path.name} has no sheet {table!r}")
    ws = wb[table]
    header = [c.value for c in ws[1]]
    unknown = sorted({k for r in rows for k in r} - set(header))
    if unknown:
        raise KeyError(f"{path.name}[{table}] has no column(s) {', '.join(unknown)}")
    for r in rows:
        ws.append([r.get(h) for h in header])
    wb.save(path)
    return path
