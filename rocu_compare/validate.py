"""Validation of raw text tables against the descriptor, and conversion to typed frames.

Every rule is driven by ``data/datapackage.json`` (see :mod:`rocu_compare.schema`).
Validation collects *all* problems before anything is raised; conversion happens only
once a set of tables is clean, and never drops, reorders or coerces a row.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict

import pandas as pd

from .errors import Problem
from .readers import RawTable
from .schema import FieldSpec, Package, TableSchema

_INT = re.compile(r"^[+-]?\d+$")
_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_BOOL = {"true": True, "false": False}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

MONEY_UNITS = re.compile(r"^GBP")
PERCENT_UNITS = {"percent"}
COUNT_UNITS = {"FTE", "officers", "staff", "units", "capabilities", "forces", "teams", "agencies", "hubs", "arrests",
               "recommendations", "causes_of_concern", "persons", "PCSOs", "special_constables", "groups", "areas",
               "orders", "personnel", "officers_and_staff", "km2", "square_miles"}


def parse_partial_date(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of a partial ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).

    Examples
    --------
    >>> parse_partial_date("2013-10")
    (datetime.date(2013, 10, 1), datetime.date(2013, 10, 31))
    >>> parse_partial_date("2009")[1]
    datetime.date(2009, 12, 31)
    """
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    d = dt.date(*parts)
    return d, d


def _cell_problem(f: FieldSpec, v: str) -> tuple[str, str] | None:
    """(rule, message) if the text ``v`` breaks a rule of field ``f``; None if fine."""
    if v == "":
        return ("required", "a value is required") if f.required else None
    if v != v.strip():
        return "whitespace", "leading or trailing spaces"
    if f.type == "integer":
        if not _INT.match(v):
            return "type", "expected a whole number (no separators or decimals)"
        x = int(v)
    elif f.type == "number":
        if not _NUM.match(v):
            return "type", "expected a number (digits and a decimal point; no separators, units or symbols)"
        x = float(v)
        if not math.isfinite(x):
            return "type", "expected a finite number"
    elif f.type == "boolean":
        if v.lower() not in _BOOL:
            return "type", "expected true or false"
        x = None
    elif f.type == "date":
        if not _DATE.match(v):
            return "type", "expected a date as YYYY-MM-DD"
        try:
            dt.date.fromisoformat(v)
        except ValueError:
            return "type", "not a real calendar date"
        x = None
    else:
        x = None
    if f.partial_date:
        if f.pattern and not re.fullmatch(f.pattern, v):
            return "type", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD"
        try:
            parse_partial_date(v)
        except ValueError:
            return "type", "not a real calendar date"
    elif f.pattern and not re.fullmatch(f.pattern, v):
        return "pattern", f"does not match the pattern {f.pattern}"
    if f.enum is not None and v not in f.enum:
        allowed = ", ".join(f.enum)
        return "enum", f"not one of the allowed values: {allowed}"
    if x is not None and f.minimum is not None and x < f.minimum:
        return "minimum", f"below the minimum {f.minimum:g}"
    if x is not None and f.maximum is not None and x > f.maximum:
        return "maximum", f"above the maximum {f.maximum:g}"
    return None


def check_table(t: RawTable, schema: TableSchema) -> list[Problem]:
    """Problems within one table: header, cells, uniqueness, primary key, row rules, spells."""
    probs = list(t.problems)
    for r, col, formula in t.formulas:
        probs.append(Problem(t.label, r, col, formula, "formula",
                             "cell holds a formula: formulas are not evaluated; type the value itself"))
    expected = schema.columns
    missing = [c for c in expected if c not in t.header]
    extra = [c for c in t.header if c not in expected and c != ""]
    for c in missing:
        probs.append(Problem(t.label, 1, c, None, "missing_column", "column required by the schema is missing"))
    for c in extra:
        probs.append(Problem(t.label, 1, c, c, "unknown_column", "column not in the schema (check the spelling)"))
    if missing:
        return probs
    idx = {c: t.header.index(c) for c in expected}
    width = len(t.header)
    good_rows = [(i, r) for i, r in enumerate(t.rows) if len(r) == width and any(v != "" for v in r)]
    for f in schema.fields:
        j = idx[f.name]
        seen: dict[str, int] = {}
        for i, r in good_rows:
            v = r[j]
            p = _cell_problem(f, v)
            if p:
                probs.append(Problem(t.label, i + 2, f.name, v, *p))
            if f.unique and v != "":
                if v in seen:
                    probs.append(Problem(t.label, i + 2, f.name, v, "unique", f"duplicate of row {seen[v]}"))
                else:
                    seen[v] = i + 2
    if schema.primary_key and len(schema.primary_key) > 1:
        seen_k: dict[tuple, int] = {}
        for i, r in good_rows:
            key = tuple(r[idx[c]] for c in schema.primary_key)
            if key in seen_k:
                probs.append(Problem(t.label, i + 2, ", ".join(schema.primary_key), " | ".join(key), "primary_key",
                                     f"duplicate primary key (same as row {seen_k[key]})"))
            else:
                seen_k[key] = i + 2
    for rule in schema.row_rules:
        probs.extend(_ROW_RULES[rule](t, idx, good_rows))
    if schema.spells:
        probs.extend(_check_spells(t, idx, good_rows, schema.spells))
    return probs


# --- row rules -------------------------------------------------------------------------------

def _rule_exactly_one(t, idx, rows):
    for i, r in rows:
        a, b = r[idx["rocu_id"]], r[idx["force"]]
        if (a == "") == (b == ""):
            yield Problem(t.label, i + 2, "rocu_id, force", f"{a} | {b}", "exactly_one_of_rocu_force",
                          "give exactly one of rocu_id and force")


def _rule_estimate(t, idx, rows):
    for i, r in rows:
        if r[idx["is_estimate"]].lower() == "true" and r[idx["estimate_method"]] == "":
            yield Problem(t.label, i + 2, "estimate_method", "", "estimate_has_method",
                          "an estimate must say how it was made")


def _rule_numeric_units(t, idx, rows):
    for i, r in rows:
        unit, v = r[idx["unit"]], r[idx["value"]]
        money = bool(MONEY_UNITS.match(unit))
        pct = unit in PERCENT_UNITS
        count = unit in COUNT_UNITS
        if not (money or pct or count) or v == "":
            continue
        if not _NUM.match(v):
            yield Problem(t.label, i + 2, "value", v, "numeric_units", f"unit {unit!r} needs a number")
            continue
        x = float(v)
        if x < 0:
            yield Problem(t.label, i + 2, "value", v, "numeric_units", f"a {unit} value cannot be negative")
        elif pct and x > 100:
            yield Problem(t.label, i + 2, "value", v, "numeric_units", "a percentage must lie between 0 and 100")


def _rule_subject_known(t, idx, rows):  # checked across tables in check_package
    return ()


_ROW_RULES = {"exactly_one_of_rocu_force": _rule_exactly_one, "estimate_has_method": _rule_estimate,
              "numeric_units": _rule_numeric_units, "subject_known": _rule_subject_known}


def _check_spells(t, idx, rows, spec):
    ent, s, e = spec["entity"], spec["start"], spec["end"]
    by: dict[str, list] = defaultdict(list)
    for i, r in rows:
        try:
            start = parse_partial_date(r[idx[s]])[0] if r[idx[s]] else None
            end = parse_partial_date(r[idx[e]])[0] if r[idx[e]] else None
        except ValueError:
            continue  # reported as a type problem
        if start and end and end <= start:
            yield Problem(t.label, i + 2, e, r[idx[e]], "spell_order", f"{e} must be after {s}")
        by[r[idx[ent]]].append((start or dt.date.min, end or dt.date.max, i + 2, r[idx[s]], r[idx[e]]))
    for key, spells in by.items():
        spells.sort()
        for (_s0, e0, row0, _, t0), (s1, _e1, row1, f1, _) in zip(spells, spells[1:]):
            if s1 < e0:
                yield Problem(t.label, row1, s, f1, "spell_overlap",
                              f"{ent} {key!r}: this spell overlaps the spell in row {row0}")
            elif s1 > e0:
                yield Problem(t.label, row1, s, f1, "spell_gap",
                              f"{ent} {key!r}: gap after the spell in row {row0}, which ends {t0}")


# --- cross-table checks ----------------------------------------------------------------------

def _column(t: RawTable, name: str) -> list[tuple[int, str]]:
    if name not in t.header:
        return []
    j = t.header.index(name)
    return [(i + 2, r[j]) for i, r in enumerate(t.rows) if len(r) == len(t.header)]


def check_package(tables: dict[str, RawTable], pkg: Package) -> list[Problem]:
    """Problems across tables: foreign keys, source references and subjects."""
    probs: list[Problem] = []
    values = {name: {c: {v for _, v in _column(t, c)} for c in t.header} for name, t in tables.items()}
    sources = tables.get("sources")
    url_ok: set[str] = set()
    known_sources: set[str] = set()
    if sources is not None and {"source_id", "url", "url_basis"} <= set(sources.header):
        for (_, sid), (_, url), (_, basis) in zip(_column(sources, "source_id"), _column(sources, "url"),
                                                  _column(sources, "url_basis")):
            known_sources.add(sid)
            if url or basis == "shipped-document":
                url_ok.add(sid)
    for name, t in tables.items():
        schema = pkg.tables.get(name)
        if schema is None:
            continue
        cites = {f.name for f in schema.fields if f.source_ref}
        for fk in schema.foreign_keys:
            if fk.fields in cites:
                continue  # checked below as source_known / source_has_url, with a clearer message
            target = values.get(fk.resource, {}).get(fk.reference)
            if target is None:
                continue
            for row, v in _column(t, fk.fields):
                if v and v not in target and v not in fk.exceptions:
                    probs.append(Problem(t.label, row, fk.fields, v, "foreign_key",
                                         f"not found in {fk.resource}.{fk.reference}"))
        for f in schema.fields:
            if not f.source_ref or sources is None:
                continue
            for row, v in _column(t, f.name):
                if not v:
                    continue
                ids = [x.strip() for x in v.split(";")] if f.source_ref == "list" else [v]
                unknown = [x for x in ids if x not in known_sources]
                if unknown:
                    probs.append(Problem(t.label, row, f.name, v, "source_known",
                                         f"source id(s) not in the sources table: {', '.join(unknown)}"))
                elif not any(x in url_ok for x in ids):
                    probs.append(Problem(t.label, row, f.name, v, "source_has_url",
                                         "none of the cited sources has a URL (or shipped document)"))
        if "subject_known" in schema.row_rules:
            subjects = {"national"} | values.get("rocus", {}).get("rocu_id", set()) \
                | values.get("forces", {}).get("force", set()) | values.get("graded_bodies", {}).get("body", set())
            for row, v in _column(t, "subject"):
                if v and v not in subjects:
                    probs.append(Problem(t.label, row, "subject", v, "subject_known",
                                         "subject must be 'national', a rocu_id, a force name or a graded body"))
    return probs


# --- conversion ------------------------------------------------------------------------------

def to_frame(t: RawTable, schema: TableSchema, categories: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Typed DataFrame of a *validated* table, in file row order, columns in schema order.

    The index is the spreadsheet row number (``row``), so any later message can point back
    to the cell.
    """
    categories = categories or {}
    idx = {c: t.header.index(c) for c in schema.columns}
    data = {}
    for f in schema.fields:
        col = [r[idx[f.name]] for r in t.rows]
        data[f.name] = _convert(col, f, categories.get(f.name))
    df = pd.DataFrame(data)
    df.index = pd.RangeIndex(2, len(t.rows) + 2, name="row")
    return df


def _convert(col: list[str], f: FieldSpec, cats: list[str] | None) -> pd.Series:
    vals = [None if v == "" else v for v in col]
    if f.ordered:
        return pd.Series(pd.Categorical(vals, categories=list(f.ordered), ordered=True))
    if f.categorical:
        c = list(f.enum) if f.enum else (cats or sorted({v for v in vals if v is not None}))
        extra = sorted({v for v in vals if v is not None} - set(c))
        return pd.Series(pd.Categorical(vals, categories=c + extra))
    if f.type == "integer":
        return pd.Series([None if v is None else int(v) for v in vals], dtype="Int64")
    if f.type == "number":
        return pd.Series([None if v is None else float(v) for v in vals], dtype="Float64")
    if f.type == "boolean":
        return pd.Series([None if v is None else _BOOL[v.lower()] for v in vals], dtype="boolean")
    if f.type == "date":
        return pd.Series(pd.to_datetime(pd.Series(vals, dtype="object"), format="%Y-%m-%d"), dtype="datetime64[ns]")
    return pd.Series(vals, dtype="string")
