"""Combine an analyst's tables with the bundled data, row by row.

Each table becomes the bundled rows plus the analyst's rows. An analyst row with the same
primary key as a bundled row replaces it (reported as a notice). A table named in
``replace`` is taken wholly from the analyst. Every row keeps where it came from, so a
problem caused by an analyst row is reported once, against that row in the analyst's file.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass, field

from .errors import Problem
from .readers import RawTable
from .schema import Package
from .validate import check_table

BUNDLED = "bundled"
ANALYST = "analyst"


@dataclass(frozen=True)
class RowOrigin:
    """Where one row came from: ``origin`` (bundled or analyst), ``file`` and 1-based ``row``."""

    origin: str
    file: str
    row: int


@dataclass
class Combined:
    """Tables ready to validate, with the origin of every row.

    Attributes
    ----------
    raw : dict of str to RawTable
        One table per schema table (bundled rows, then the analyst's).
    origins : dict of str to list of RowOrigin
        Per table, one entry per row of ``raw[table].rows``.
    problems : list of Problem
        Problems found in the analyst's own tables (cells, headers, keys within the file).
    notices : list of str
        What the combination did (rows replaced, tables replaced).
    """

    raw: dict[str, RawTable]
    origins: dict[str, list[RowOrigin]]
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def own_origins(t: RawTable, origin: str) -> list[RowOrigin]:
    """Each row of ``t`` as coming from its own file."""
    return [RowOrigin(origin, t.label, i + 2) for i in range(len(t.rows))]


def _has_content(t: RawTable | None) -> bool:
    return t is not None and (bool(t.rows) or bool(t.problems) or bool(t.formulas))


def combine(
    bundled: dict[str, RawTable], mine: dict[str, RawTable], pkg: Package, replace: tuple[str, ...] = ()
) -> Combined:
    """Bundled rows plus the analyst's rows, table by table.

    Parameters
    ----------
    bundled, mine : dict of str to RawTable
        The bundled tables and the analyst's (tables not in the schema are left to the caller).
    pkg : Package
        The schema.
    replace : tuple of str
        Tables taken wholly from the analyst (their bundled rows are dropped).

    Returns
    -------
    Combined
    """
    out = Combined({}, {})
    for name, schema in pkg.tables.items():
        b, m = bundled[name], mine.get(name)
        b_origins = [RowOrigin(BUNDLED, f"bundled {b.label}", i + 2) for i in range(len(b.rows))]
        if not _has_content(m):
            out.raw[name], out.origins[name] = b, b_origins
            continue
        own = check_table(m, schema)
        if name in replace:
            out.raw[name], out.origins[name] = m, own_origins(m, ANALYST)
            out.notices.append(
                f"{m.label}: replaces the whole bundled {name} table ({len(b.rows)} rows) "
                f"with {len(m.rows)} rows, as asked"
            )
            continue
        columns = schema.columns
        if any(c not in m.header for c in columns) or len(set(m.header)) != len(m.header):
            # the analyst's header must be fixed first; meanwhile the bundled rows stand in for the
            # cross-table checks so that one bad header does not cascade into other tables
            out.problems.extend(own)
            out.raw[name], out.origins[name] = b, b_origins
            continue
        out.problems.extend(own)
        pos = {c: m.header.index(c) for c in columns}
        bpos = {c: b.header.index(c) for c in columns}
        pk = schema.primary_key
        b_index = {tuple(r[bpos[c]] for c in pk): i for i, r in enumerate(b.rows)} if pk else {}
        dropped: set[int] = set()
        rows, origins = [], []
        m_rows = []
        for i, r in enumerate(m.rows):
            if len(r) != len(m.header) or all(v == "" for v in r):
                continue  # reported by the reader (ragged or blank row)
            aligned = [r[pos[c]] for c in columns]
            key = tuple(aligned[columns.index(c)] for c in pk)
            if pk and key in b_index and b_index[key] not in dropped:
                dropped.add(b_index[key])
                shown = ", ".join(f"{c} {v!r}" for c, v in zip(pk, key))
                out.notices.append(f"{m.label}, row {i + 2}: replaces the bundled {name} row with {shown}")
                if name == "sources":
                    out.problems.extend(_public_source_replaced(m, i, aligned, columns, key[0]))
            m_rows.append((i, aligned))
        for i, r in enumerate(b.rows):
            if i not in dropped:
                rows.append([r[bpos[c]] for c in columns])
                origins.append(b_origins[i])
        for i, aligned in m_rows:
            rows.append(aligned)
            origins.append(RowOrigin(ANALYST, m.label, i + 2))
        label = f"bundled {b.label} + {m.label}"
        out.raw[name] = RawTable(name, label, list(columns), rows)
        out.origins[name] = origins
    return out


def _public_source_replaced(m: RawTable, i: int, row: list[str], columns: list[str], sid: str):
    """An analyst row may not turn a bundled public source into an internal or marked one."""
    basis, cls = (
        row[columns.index("url_basis")],
        row[columns.index("classification")] if "classification" in columns else "",
    )
    if basis == "internal" or cls:
        yield Problem(
            m.label,
            i + 2,
            "source_id",
            sid,
            "bundled_public",
            "replaces a bundled public source that bundled rows cite: give your internal return its own source_id",
        )


_ROW_REF = re.compile(r"\brow (\d+)\b")


def remap(problems: list[Problem], raw: dict[str, RawTable], origins: dict[str, list[RowOrigin]]) -> list[Problem]:
    """Point problems found in combined tables back at the file and row each row came from.

    Problems on bundled rows with the same rule, column and value (a replaced table no
    longer holding a key that bundled rows cite, say) are folded into one problem.
    """
    by_label = {t.label: (name, t) for name, t in raw.items()}
    mapped: list[Problem] = []
    for p in problems:
        hit = by_label.get(p.file)
        if hit is None or p.row is None or p.row < 2:
            mapped.append(p)
            continue
        org = origins[hit[0]]
        if p.row - 2 >= len(org):
            mapped.append(p)
            continue
        o = org[p.row - 2]
        table = hit[1]
        refs = [int(x) - 2 for x in _ROW_REF.findall(p.message) if 0 <= int(x) - 2 < len(org)]
        if o.origin == BUNDLED and refs and org[refs[0]].origin == ANALYST:
            # a clash between a bundled row and an analyst row is the analyst row's problem
            k = refs[0]
            there = org[k]
            value = p.value
            if p.column in table.header and k < len(table.rows):
                value = table.rows[k][table.header.index(p.column)]
            message = _ROW_REF.sub(f"{o.file} row {o.row}", p.message, count=1)
            mapped.append(dataclasses.replace(p, file=there.file, row=there.row, value=value, message=message))
            continue

        def ref(mt, org=org, here=o):
            k = int(mt.group(1)) - 2
            if 0 <= k < len(org):
                there = org[k]
                return f"row {there.row}" if there.file == here.file else f"{there.file} row {there.row}"
            return mt.group(0)

        mapped.append(dataclasses.replace(p, file=o.file, row=o.row, message=_ROW_REF.sub(ref, p.message)))
    return _fold_bundled(_unique(mapped))


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        k = (p.file, p.row, p.column, p.value, p.rule, p.message)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


def _fold_bundled(problems: list[Problem]) -> list[Problem]:
    groups: dict[tuple, list[Problem]] = defaultdict(list)
    out: list[Problem | tuple] = []
    for p in problems:
        if p.file.startswith(f"{BUNDLED} ") and p.row is not None:
            k = (p.file, p.column, p.value, p.rule, p.message)
            if k not in groups:
                out.append(k)
            groups[k].append(p)
        else:
            out.append(p)
    result = []
    for item in out:
        if isinstance(item, Problem):
            result.append(item)
            continue
        ps = groups[item]
        if len(ps) == 1:
            result.append(ps[0])
            continue
        rows = ", ".join(str(p.row) for p in ps[:5]) + (" ..." if len(ps) > 5 else "")
        first = ps[0]
        result.append(
            dataclasses.replace(
                first, message=f"{first.message} (in {len(ps)} bundled rows: {rows}; did a replaced table drop it?)"
            )
        )
    return result
