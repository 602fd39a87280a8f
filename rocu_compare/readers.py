"""Read a folder of CSVs or an ``.xlsx`` workbook into raw text tables.

Every cell is read as the text a user typed, so that validation sees exactly what is in
the file: nothing is coerced, dropped or reordered here. Excel formulas are never
evaluated; formula cells are recorded so the validator can report them.

Files that cannot be read at all (empty, damaged, the wrong kind of file, not UTF-8)
become :class:`~rocu_compare.errors.Problem` s, never a traceback: a workbook raises
:class:`~rocu_compare.errors.RocuDataError` naming the file; an unreadable CSV in a
folder becomes a table marked ``readable=False`` carrying one problem, so that every
other file of the folder is still checked.

CSV and workbook follow the same rules: trailing all-blank rows and all-blank trailing
columns are formatting and are ignored; a blank row inside a table is reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from .errors import Problem, RocuDataError

#: Sheets and files the reader knows are not tables (template extras).
IGNORED_SHEETS = ("README", "data_dictionary")
IGNORED_FILES = ("datapackage.json",)
#: Workbook suffixes read with openpyxl (macros are never run; formulas never evaluated).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

SAVE_AS_CSV_UTF8 = "in Excel use File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)' and load the new file"
SAVE_AS_XLSX = "open it in Excel and use File > Save As > 'Excel Workbook (*.xlsx)'"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


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
        Problems found while reading (ragged rows, blank rows, blank headers, merged
        cells, an unreadable file).
    warnings : list of Problem
        Doubts found while reading that do not reject the table.
    date_cells : dict of (int, int) to float
        Workbook cells holding an Excel date: (spreadsheet row, 0-based column) to the
        number Excel stores (days since its epoch), so the validator can explain a
        number typed into a date-formatted cell.
    readable : bool
        False when the file could not be read at all (its one problem says why).
    """

    name: str
    label: str
    header: list[str]
    rows: list[list[str]]
    formulas: list[tuple[int, str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    date_cells: dict[tuple[int, int], float] = field(default_factory=dict)
    readable: bool = True


def _blank(row: list[str]) -> bool:
    return all(v == "" for v in row)


def _check_shape(t: RawTable) -> RawTable:
    width = len(t.header)
    seen = set()
    for j, h in enumerate(t.header):
        if h == "":
            t.problems.append(
                Problem(
                    t.label,
                    1,
                    None,
                    None,
                    "header",
                    f"column {j + 1} has no header",
                    fix="type the column name into row 1, or delete the column",
                )
            )
        elif h in seen:
            t.problems.append(
                Problem(
                    t.label,
                    1,
                    h,
                    h,
                    "header",
                    "duplicate column name",
                    fix="keep one column of this name: delete or rename the other",
                )
            )
        seen.add(h)
    for i, r in enumerate(t.rows):
        if _blank(r):
            t.problems.append(
                Problem(
                    t.label,
                    i + 2,
                    None,
                    None,
                    "blank_row",
                    "blank row inside the table",
                    fix="delete the row, or fill it",
                )
            )
        elif len(r) != width:
            t.problems.append(
                Problem(
                    t.label,
                    i + 2,
                    None,
                    None,
                    "row_shape",
                    f"row has {len(r)} fields but the header has {width}",
                    fix="a cell holding a comma must be in double quotes; check for a missing or extra comma",
                )
            )
    return t


def _unreadable(
    t: RawTable, rule: str, message: str, fix: str, row: int | None = None, value: str | None = None
) -> RawTable:
    t.readable = False
    t.header, t.rows = [], []
    t.problems = [Problem(t.label, row, None, value, rule, message, fix=fix)]
    return t


# --- CSV -------------------------------------------------------------------------------------


def _looks_binary(data: bytes) -> str | None:
    """What a non-text file seems to be, or None if it may be text."""
    if data.startswith(_ZIP):
        return "an Excel workbook or other zip archive, not CSV text"
    if data.startswith(_OLE2):
        return "an old Excel (.xls) workbook, not CSV text"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text (Excel's 'Unicode Text'), not UTF-8 CSV"
    head = data[:4096]
    control = sum(b < 32 and b not in (9, 10, 13) for b in head)
    if b"\x00" in head or control > len(head) // 20:
        return "binary data, not CSV text"
    return None


def _snippet(text: str, width: int = 30) -> str:
    """The part of a long cell around its first non-ASCII character."""
    k = next((i for i, ch in enumerate(text) if ord(ch) > 127), 0)
    lo, hi = max(0, k - width), min(len(text), k + width)
    return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")


def _locate(data: bytes, pos: int) -> tuple[int, int, str | None]:
    """(row, physical line, cell text read as Windows-1252) of byte ``pos`` of a CSV."""
    line = data.count(b"\n", 0, pos) + 1
    text = data.decode("latin-1")  # one character per byte, so offsets agree
    reader = csv.reader(io.StringIO(text, newline=""))
    row, cell = line, None
    try:
        for n, rec in enumerate(reader, start=1):
            if reader.line_num >= line:
                row = n
                odd = [f for f in rec if any(ord(ch) > 127 for ch in f)]
                if odd:
                    cell = _snippet(odd[0].encode("latin-1").decode("cp1252", errors="replace"))
                break
    except csv.Error:
        pass
    return row, line, cell


def _encoding_problem(t: RawTable, data: bytes, err: UnicodeDecodeError) -> RawTable:
    pos = err.start
    row, line, cell = _locate(data, pos)
    byte = data[pos]
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        msg = f"not UTF-8 text: byte 0x{byte:02X} on line {line} cannot be read"
    else:
        ch = bytes([byte]).decode("cp1252")
        msg = f"not UTF-8: looks like Windows-1252 ({ch!r} on line {line} is byte 0x{byte:02X})"
    return _unreadable(t, "encoding", msg, SAVE_AS_CSV_UTF8, row=row, value=cell)


def read_csv_table(path: Path, name: str | None = None) -> RawTable:
    """Read one CSV file (UTF-8, RFC 4180) as text.

    A file that cannot be read as UTF-8 CSV gives a table with ``readable=False`` and
    one problem saying what was found and how to fix it (never an exception).
    """
    path = Path(path)
    t = RawTable(name or path.stem, path.name, [], [])
    try:
        data = path.read_bytes()
    except OSError as e:
        return _unreadable(
            t,
            "unreadable_file",
            f"cannot be read: {e.strerror or e}",
            "check the file is not open elsewhere and that you may read it",
        )
    if not data:
        return _unreadable(
            t,
            "empty_file",
            "zero bytes: the file is empty",
            "write at least the header row (see rocu-compare template), or delete the file",
        )
    kind = _looks_binary(data)
    if kind:
        return _unreadable(t, "not_csv", kind, SAVE_AS_CSV_UTF8)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return _encoding_problem(t, data, e)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    try:
        for rec in reader:
            rows.append(rec)
    except csv.Error as e:
        return _unreadable(
            t,
            "csv_format",
            f"not readable as CSV at line {reader.line_num}: {e}",
            "re-save the file as 'CSV UTF-8' from Excel",
            row=len(rows) + 1,
        )
    while rows and _blank(rows[-1]):  # trailing blank rows (Excel writes ,,,,) are formatting
        rows.pop()
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    while header and header[-1] == "" and all(len(r) < len(header) or r[len(header) - 1] == "" for r in body):
        k = len(header) - 1  # an all-blank trailing column is formatting too
        header = header[:k]
        body = [r[:k] if len(r) == k + 1 else r for r in body]
    t.header, t.rows = header, body
    if rows and not data.endswith((b"\n", b"\r")):
        t.warnings.append(
            Problem(
                t.label,
                len(rows),
                None,
                None,
                "no_final_newline",
                "the last line has no line ending, so the file may have been cut short",
                severity="warning",
                fix="check the last row is complete (a file saved by Excel ends with a line ending)",
            )
        )
    return _check_shape(t)


def read_csv_folder(folder: Path) -> dict[str, RawTable]:
    """Read every ``*.csv`` in a folder, keyed by file stem."""
    return {p.stem: read_csv_table(p) for p in sorted(Path(folder).glob("*.csv")) if p.is_file()}


# --- workbook --------------------------------------------------------------------------------


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


def _whole_file(path: Path, rule: str, message: str, fix: str) -> RocuDataError:
    return RocuDataError([Problem(path.name, None, None, None, rule, message, fix=fix)], str(path))


def _text_kind(head: bytes) -> str:
    if _looks_binary(head) is None:
        sample = head.decode("utf-8", errors="replace")
        if "," in sample or ";" in sample or "\t" in sample:
            return "looks like CSV text"
        return "looks like plain text"
    return "the bytes are not a zip archive (random or damaged data)"


def _sniff_workbook(path: Path) -> None:
    """Raise RocuDataError unless ``path`` looks like an intact ``.xlsx`` package."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as e:
        raise _whole_file(
            path,
            "unreadable_file",
            f"cannot be read: {e.strerror or e}",
            "check the file is not open elsewhere and that you may read it",
        ) from None
    if not head:
        raise _whole_file(
            path,
            "empty_file",
            "zero bytes: the file is empty",
            "re-save the workbook from Excel, or start from rocu-compare template",
        )
    if head.startswith(_OLE2):
        raise _whole_file(
            path,
            "unsupported_format",
            "an Excel 97-2003 (.xls) workbook or a password-protected workbook, not an .xlsx",
            "remove any password, then " + SAVE_AS_XLSX,
        )
    if not head.startswith(_ZIP):
        raise _whole_file(
            path,
            "not_workbook",
            f"not an Excel workbook: {_text_kind(head)}",
            "save each table as CSV UTF-8 in one folder and load the folder, or " + SAVE_AS_XLSX
            if "CSV" in _text_kind(head)
            else "copy the workbook again from where it came from, or re-save it from Excel as .xlsx",
        )
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
        raise _whole_file(
            path,
            "damaged_workbook",
            f"truncated or damaged workbook: not a complete zip archive ({e})",
            "copy the workbook again from where it came from, or re-save it from Excel",
        ) from None
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        raise _whole_file(
            path,
            "unsupported_format",
            "an OpenDocument spreadsheet (.ods), not an .xlsx workbook",
            "in LibreOffice Calc use File > Save As > 'Excel 2007-365 (.xlsx)'",
        )
    if "xl/workbook.xml" not in names:
        what = (
            "a Word document"
            if "word/document.xml" in names
            else "a PowerPoint file"
            if "ppt/presentation.xml" in names
            else "an OpenDocument file"
            if mimetype
            else "a zip archive"
        )
        raise _whole_file(
            path,
            "not_workbook",
            f"not an Excel workbook: {what} (no xl/workbook.xml inside)",
            "load the .xlsx workbook itself (unzip it first if it is inside a zip)",
        )


def _xml(data: bytes) -> ElementTree.Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError("unexpected DTD in workbook XML")
    return ElementTree.fromstring(data)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title to the zip member holding its XML, from the workbook's relationships."""
    targets = {}
    for rel in _xml(zf.read("xl/_rels/workbook.xml.rels")).iter():
        if _local(rel.tag) == "Relationship":
            tgt = rel.get("Target", "")
            tgt = tgt.lstrip("/") if tgt.startswith("/") else posixpath.normpath(posixpath.join("xl", tgt))
            targets[rel.get("Id")] = tgt
    out = {}
    for el in _xml(zf.read("xl/workbook.xml")).iter():
        if _local(el.tag) == "sheet":
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
            if rid in targets:
                out[el.get("name")] = targets[rid]
    return out


_MERGE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}[0-9]+(?::[A-Z]{1,3}[0-9]+)?)"')


def _merges_in(zf: zipfile.ZipFile, member: str, chunk: int = 1 << 20) -> list[str]:
    """Merged ranges (``C2:C4``) declared in one sheet's XML, read as a stream.

    ``<mergeCells>`` follows the cell data, so the member is decompressed in chunks and
    searched for the tag; the cells themselves are not parsed again. Cell text cannot
    hold a raw ``<``, so only real tags match.
    """
    found: list[str] = []
    tail = b""
    with zf.open(member) as fh:
        while True:
            block = fh.read(chunk)
            if not block:
                break
            window = tail + block
            if b"mergeCell" in window:
                for m in _MERGE.finditer(window):
                    if m.end() > len(tail):  # not already seen in the previous window
                        found.append(m.group(1).decode("ascii"))
            tail = window[-512:]
    return found


def _range_bounds(ref: str) -> tuple[int, int, int, int]:
    """(first row, first column, last row, last column), 1-based, of ``A1`` or ``A1:C3``."""
    from openpyxl.utils.cell import range_boundaries

    c0, r0, c1, r1 = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
    return r0, c0, r1, c1


def _merge_problems(t: RawTable, grid: list[list[str]], refs: list[str]) -> list[Problem]:
    width = len(t.header)
    probs = []
    for ref in refs:
        r0, c0, r1, c1 = _range_bounds(ref)
        if r0 > len(grid) or c0 > width or (r0 == r1 and c0 == c1):
            continue  # outside the table (formatting only) or a single cell
        kept = grid[r0 - 1][c0 - 1] if r0 - 1 < len(grid) and c0 - 1 < len(grid[r0 - 1]) else ""
        n = (r1 - r0 + 1) * (c1 - c0 + 1)
        col = t.header[c0 - 1] if c0 - 1 < width and t.header[c0 - 1] else None
        probs.append(
            Problem(
                t.label,
                r0,
                col,
                kept,
                "merged_cells",
                f"cells {ref} are merged: Excel kept only the top-left value (shown here) and the "
                f"other {n - 1} cell{'s' if n > 2 else ''} read as blank",
                fix="select the cells, click Merge & Center to unmerge them, and type the value into every cell",
            )
        )
    return probs


def _damaged(path: Path, where: str, e: Exception) -> RocuDataError:
    return _whole_file(
        path,
        "damaged_workbook",
        f"truncated or damaged workbook ({where}: {type(e).__name__}: {e})",
        "copy the workbook again from where it came from, or re-save it from Excel",
    )


def _safely(fn, path: Path, where: str):
    """Call ``fn()``, turning any error the library raises on a damaged file into a RocuDataError."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - openpyxl, zip and XML errors on a damaged part of the file
        raise _damaged(path, where, e) from None


def _guarded(it, path: Path, where: str):
    """Iterate ``it`` as :func:`_safely` calls a function."""
    items = _safely(lambda: iter(it), path, where)
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except Exception as e:  # noqa: BLE001 - as in _safely
            raise _damaged(path, where, e) from None
        yield item


def read_workbook(path: Path) -> dict[str, RawTable]:
    """Read every sheet of an ``.xlsx`` workbook as text (formulas recorded, not evaluated).

    Cells are streamed (openpyxl read-only mode); merged ranges, which that mode does not
    report, are read from each sheet's ``<mergeCells>`` element and reported as problems.

    Raises
    ------
    RocuDataError
        With one problem naming the file if it is empty, not a workbook, an ``.xls`` or
        ``.ods`` file, or truncated or damaged.
    """
    import openpyxl  # lazy: only analysts' workbooks need it
    from openpyxl.utils.datetime import to_excel

    path = Path(path)
    _sniff_workbook(path)
    wb = _safely(lambda: openpyxl.load_workbook(path, read_only=True, data_only=False), path, "opening it")
    tables: dict[str, RawTable] = {}
    try:
        with _safely(lambda: zipfile.ZipFile(path), path, "opening it") as zf:
            members = _safely(lambda: _sheet_members(zf), path, "the list of sheets")
            for ws in _guarded(wb.worksheets, path, "sheets"):
                if ws.title in IGNORED_SHEETS:
                    continue
                label = f"{path.name}[{ws.title}]"
                grid: list[list[str]] = []
                formulas: list[tuple[int, int, str]] = []
                dates: dict[tuple[int, int], float] = {}
                for r_idx, row in enumerate(_guarded(ws.iter_rows(), path, f"sheet {ws.title!r}"), start=1):
                    texts = []
                    for c_idx, cell in enumerate(row):
                        v = cell.value
                        if v is None:
                            texts.append("")
                        elif type(v) is str:  # the common case first; a formula reads as its text
                            if cell.data_type == "f":
                                formulas.append((r_idx, c_idx, v))
                            texts.append(v)
                        else:
                            if isinstance(v, (dt.datetime, dt.date)):
                                dates[(r_idx, c_idx)] = to_excel(v, wb.epoch)
                            elif cell.data_type == "f":  # e.g. an array formula object
                                formulas.append((r_idx, c_idx, str(getattr(v, "text", v))))
                            texts.append(_cell_text(v))
                    grid.append(texts)
                # trailing empty rows and columns are formatting, not data
                while grid and _blank(grid[-1]):
                    grid.pop()
                width = max((max((j + 1 for j, v in enumerate(r) if v != ""), default=0) for r in grid), default=0)
                grid = [(r + [""] * width)[:width] for r in grid]
                header = grid[0] if grid else []
                t = RawTable(ws.title, label, header, grid[1:])
                t.formulas = [(r, header[c] if c < len(header) else f"column {c + 1}", f) for r, c, f in formulas]
                t.date_cells = dates
                _check_shape(t)
                if ws.title in members:
                    refs = _safely(lambda m=members[ws.title]: _merges_in(zf, m), path, f"sheet {ws.title!r}")
                    t.problems[:0] = _merge_problems(t, grid, refs)
                tables[ws.title] = t
    finally:
        wb.close()
    return tables


def read_any(path: Path) -> dict[str, RawTable]:
    """Read a folder of CSVs or an ``.xlsx`` workbook.

    Raises
    ------
    FileNotFoundError
        If the path does not exist.
    RocuDataError
        With one problem naming the file if it is a single CSV, an ``.xls`` or ``.ods``
        file, any other kind of file, or a workbook that cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    if path.is_dir():
        return read_csv_folder(path)
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return read_workbook(path)
    if suffix == ".csv":
        raise _whole_file(
            path,
            "not_a_folder",
            "a single CSV: the tables are read from a folder of CSV files",
            "pass the folder that holds all the tables (forces.csv, rocus.csv, ...)",
        )
    if suffix == ".xls":
        raise _whole_file(path, "unsupported_format", "an Excel 97-2003 (.xls) workbook is not read", SAVE_AS_XLSX)
    if suffix == ".ods":
        raise _whole_file(
            path,
            "unsupported_format",
            "an OpenDocument spreadsheet (.ods) is not read",
            "in LibreOffice Calc use File > Save As > 'Excel 2007-365 (.xlsx)'",
        )
    raise _whole_file(
        path,
        "not_a_folder",
        f"expected a folder of CSV files or an .xlsx workbook, not a {suffix or 'suffix-less'} file",
        "pass a folder of CSV files, or an .xlsx workbook (see rocu-compare template)",
    )
