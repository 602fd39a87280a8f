"""Validation of raw text tables against the descriptor, and conversion to typed frames.

Every rule is driven by ``data/datapackage.json`` (see :mod:`rocu_compare.schema`).
Validation collects *all* problems before anything is raised; conversion happens only
once a set of tables is clean, and never drops, reorders or coerces a row.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
from collections import defaultdict
from decimal import Decimal

import pandas as pd

from .citations import citable_sources, rule_source_citable
from .errors import Problem
from .readers import RawTable
from .schema import FieldSpec, Package, TableSchema

_INT = re.compile(r"^[+-]?\d+$")
_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_BOOL = {"true": True, "false": False}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

MONEY_UNITS = re.compile(r"^GBP")
PERCENT_UNITS = {"percent"}
COUNT_UNITS = {
    "FTE",
    "officers",
    "staff",
    "units",
    "capabilities",
    "forces",
    "teams",
    "agencies",
    "hubs",
    "arrests",
    "recommendations",
    "causes_of_concern",
    "persons",
    "PCSOs",
    "special_constables",
    "groups",
    "areas",
    "orders",
    "personnel",
    "officers_and_staff",
    "km2",
    "square_miles",
}


_PARTIAL = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def partial_period(text: str) -> pd.Period:
    """A partial ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as the :class:`pandas.Period` it names.

    The one parser of partial dates: a year is an annual period, a month a monthly one,
    a full date a day. Anything else (``"Oct 2013"``, ``"2013/10"``) is refused.

    Raises
    ------
    ValueError
        If ``text`` is not one of the three forms.

    Examples
    --------
    >>> partial_period("2013-10").freqstr
    'M'
    >>> str(partial_period("2009"))
    '2009'
    """
    t = str(text).strip()
    if not _PARTIAL.fullmatch(t):
        raise ValueError(f"{text!r} is not a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return pd.Period(t, freq={4: "Y", 7: "M", 10: "D"}[len(t)])


@functools.lru_cache(maxsize=4096)
def parse_partial_date(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of a partial ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).

    See :func:`partial_period`. Remembers the texts it has read (a few thousand at most):
    the same dates are read many times per comparison.

    Examples
    --------
    >>> parse_partial_date("2013-10")
    (datetime.date(2013, 10, 1), datetime.date(2013, 10, 31))
    >>> parse_partial_date("2009")[1]
    datetime.date(2009, 12, 31)
    """
    p = partial_period(text)
    return p.start_time.date(), p.end_time.date()


#: Cell texts that mean "not known": the fix is to leave the cell blank.
NOT_KNOWN = {
    "n/a",
    "na",
    "n.a.",
    "#n/a",
    "-",
    "--",
    "–",
    "—",
    "?",
    "unknown",
    "not known",
    "n/k",
    "nk",
    "tbc",
    "tbd",
    "not available",
    "not published",
    "none",
    "null",
    "nan",
    "nil",
}
_MONTHS = {
    m: i
    for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)
}
_FY = re.compile(r"^\d{4}-\d{2}$")
_FY_LOOSE = re.compile(r"^(?:FY\s*)?(\d{4})\s*(?:[/\\\-–—_ ]|to)\s*(\d{2}|\d{4})$", re.IGNORECASE)
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_MY = re.compile(r"^(?:(\d{1,2})[/.](\d{4})|([A-Za-z]{3,9})\.?\s+(\d{4})|(\d{4})[/.](\d{1,2}))$")
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_MONEYISH = re.compile(
    r"^(?P<neg>-)?\s*(?P<cur>[£$€]|GBP)?\s*(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*"
    r"(?P<scale>k|thousand|m|mn|million|bn|billion)?\b\s*(?P<unit>%|[A-Za-z_ ]+)?$",
    re.IGNORECASE,
)


def closest(value: str, options) -> str | None:
    """The option closest to ``value``: a case-insensitive exact match first, else the most similar.

    Examples
    --------
    >>> closest("NERSOU", ["nersou", "nwrocu"])
    'nersou'
    >>> closest("Clevland", ["Cleveland", "Durham"])
    'Cleveland'
    >>> closest("zz", ["Cleveland"]) is None
    True
    """
    low: dict[str, str] = {}
    for o in options:
        low.setdefault(str(o).lower(), str(o))
    v = value.strip().lower()
    if v in low:
        return low[v]
    hit = difflib.get_close_matches(v, list(low), n=1, cutoff=0.6)
    return low[hit[0]] if hit else None


def did_you_mean(value: str, options) -> str | None:
    """``did you mean 'x'?`` for the closest option, or None."""
    m = closest(value, options)
    return None if m is None or m == value else f"did you mean {m!r}?"


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _number_fix(v: str, f: FieldSpec) -> str | None:
    """How to type ``v`` as a plain number (``£12,500,000`` -> ``type 12500000 (no £ or commas)``)."""
    m = _MONEYISH.match(v.strip())
    if not m:
        return None
    num = m["num"]
    if "," in num and not re.match(r"^\d{1,3}(,\d{3})+(\.\d+)?$", num):
        return None
    x = Decimal(num.replace(",", "")) * Decimal(_SCALE.get((m["scale"] or "").lower(), 1))
    in_millions = bool(f.unit and f.unit.lower().endswith("million"))
    if in_millions:
        x /= Decimal(1_000_000)
    if m["neg"]:
        x = -x
    dropped = []
    if m["cur"]:
        dropped.append(m["cur"])
    if "," in num:
        dropped.append("commas")
    if m["scale"]:
        dropped.append(f"'{m['scale']}'")
    if m["unit"]:
        dropped.append("units" if m["unit"] != "%" else "%")
    if not dropped:
        return None
    what = " or ".join(dropped) if len(dropped) <= 2 else ", ".join(dropped[:-1]) + " or " + dropped[-1]
    money = bool(f.unit and MONEY_UNITS.match(f.unit)) or m["cur"] is not None
    unit = f" (no {what})"
    if money and (m["scale"] or in_millions):
        unit = f" (in £ million, no {what})" if in_millions else f" (in pounds, no {what})"
    if f.type == "integer" and x != x.to_integral_value():
        return None
    text = format(x.normalize(), "f")
    return f"type {text}{unit}"


def _date_fix(v: str, partial: bool) -> str | None:
    s = v.strip()
    m = _DMY.match(s)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        try:
            day = dt.date(y, mo, d)
        except ValueError:
            return None
        return f"write {day.isoformat()} (YYYY-MM-DD) if you mean {day.day} {day.strftime('%B %Y')}"
    if partial:
        m = _MY.match(s)
        if m:
            if m.group(1):
                mo, y = int(m.group(1)), int(m.group(2))
            elif m.group(3):
                mo, y = _MONTHS.get(m.group(3)[:3].lower()), int(m.group(4))
            else:
                y, mo = int(m.group(5)), int(m.group(6))
            if mo and 1 <= mo <= 12:
                return f"write {y:04d}-{mo:02d}"
    return "write YYYY, YYYY-MM or YYYY-MM-DD" if partial else "write the date as YYYY-MM-DD"


def _is_financial_year(f: FieldSpec) -> bool:
    return f.name == "financial_year" or f.pattern == r"^\d{4}-\d{2}$"


def _financial_year_fix(v: str) -> str | None:
    m = _FY_LOOSE.match(v.strip())
    if not m:
        return "write the financial year as YYYY-YY, e.g. 2014-15 for April 2014 to March 2015"
    start = int(m.group(1))
    return f"write {start}-{(start + 1) % 100:02d}"


def _cell_problem(f: FieldSpec, v: str) -> tuple[str, str, str | None] | None:
    """(rule, message, fix) if the text ``v`` breaks a rule of field ``f``; None if fine."""
    p = _cell_problem_plain(f, v)
    if p is None or v.strip().lower() not in NOT_KNOWN:
        return p
    rule, msg, _ = p
    if f.required:
        return (
            rule,
            f"{msg}; {v!r} means 'not known', but this column needs a value",
            "type the value (this column cannot be left blank)",
        )
    return rule, f"{msg}; {v!r} is not a value", "leave the cell blank for not known"


def _cell_problem_plain(f: FieldSpec, v: str) -> tuple[str, str, str | None] | None:
    if v == "":
        return (
            ("required", "a value is required", "fill in the cell (this column cannot be left blank)")
            if f.required
            else None
        )
    if v != v.strip():
        return "whitespace", "leading or trailing spaces", f"delete the spaces: type {v.strip()!r}"
    if f.type == "integer":
        if not _INT.match(v):
            fix = _number_fix(v, f)
            if fix is None and _NUM.match(v):
                fix = "type a whole number"
            return "type", "expected a whole number (no separators or decimals)", fix
        x = int(v)
    elif f.type == "number":
        if not _NUM.match(v):
            return (
                "type",
                "expected a number (digits and a decimal point; no separators, units or symbols)",
                _number_fix(v, f),
            )
        x = float(v)
        if not math.isfinite(x):
            return "type", "expected a finite number", None
    elif f.type == "boolean":
        if v.lower() not in _BOOL:
            word = {"yes": "true", "y": "true", "1": "true", "no": "false", "n": "false", "0": "false"}.get(v.lower())
            return "type", "expected true or false", f"write {word}" if word else "write true or false"
        x = None
    elif f.type == "date":
        if not _DATE.match(v):
            return "type", "expected a date as YYYY-MM-DD", _date_fix(v, partial=False)
        try:
            dt.date.fromisoformat(v)
        except ValueError:
            return "type", "not a real calendar date", "check the day and month"
        x = None
    else:
        x = None
    if f.partial_date:
        if f.pattern and not re.fullmatch(f.pattern, v):
            return "type", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD", _date_fix(v, partial=True)
        try:
            parse_partial_date(v)
        except ValueError:
            return "type", "not a real calendar date", "check the day and month"
    elif f.pattern and not re.fullmatch(f.pattern, v):
        if _is_financial_year(f):
            return "pattern", "expected a financial year as YYYY-YY", _financial_year_fix(v)
        return "pattern", f"does not match the pattern {f.pattern}", None
    if _is_financial_year(f) and _FY.match(v):
        start, end = int(v[:4]), int(v[5:])
        if (start + 1) % 100 != end:
            return (
                "financial_year",
                "the two parts are not consecutive years (a financial year runs April to March)",
                f"write {start}-{(start + 1) % 100:02d}",
            )
    if f.enum is not None and v not in f.enum:
        allowed = ", ".join(f.enum)
        return "enum", f"not one of the allowed values: {allowed}", did_you_mean(v, f.enum)
    if x is not None and f.minimum is not None and x < f.minimum:
        return (
            "minimum",
            f"below the minimum {f.minimum:g}",
            "check the sign" if f.minimum == 0 else f"use a value of at least {f.minimum:g}",
        )
    if x is not None and f.maximum is not None and x > f.maximum:
        return "maximum", f"above the maximum {f.maximum:g}", f"use a value of at most {f.maximum:g}"
    return None


def _date_cell_problem(f: FieldSpec, serial: float, text: str) -> tuple[str, str] | None:
    """(message, fix) when a workbook cell formatted as a date probably holds a typed number."""
    early = serial < 3654  # before 1910: no date in these tables is that early, a typed year is
    if f.type in ("integer", "number"):
        return (
            f"the cell is formatted as a date: Excel stores the number {_plain(serial)} and shows it as {text}",
            "format the column as Number or General and retype the value",
        )
    if not early:
        return None
    if 1000 <= serial <= 2100 and float(serial).is_integer():
        fix = (
            f"format the cell as Text and type {int(serial)}"
            if f.partial_date or f.type == "string"
            else "format the cell as Text and type the full date as YYYY-MM-DD"
        )
    else:
        fix = "format the cell as Text and type the value again"
    return (f"looks like the number {_plain(serial)} typed into a date-formatted cell: Excel shows it as {text}", fix)


def check_table(t: RawTable, schema: TableSchema) -> list[Problem]:
    """Problems within one table: header, cells, uniqueness, primary key, row rules, spells.

    Returns errors and warnings together (``Problem.severity``); a column not in the
    schema is a warning, since the analysis ignores it.
    """
    probs = list(t.problems) + list(t.warnings)
    if not t.readable:
        return probs
    for r, col, formula in t.formulas:
        probs.append(
            Problem(
                t.label,
                r,
                col,
                formula,
                "formula",
                "cell holds a formula: formulas are not evaluated",
                fix="type the value itself (copy the cell, then Paste Special > Values)",
            )
        )
    expected = schema.columns
    missing = [c for c in expected if c not in t.header]
    extra = [c for c in t.header if c not in expected and c != ""]
    for c in missing:
        near = closest(c, extra)
        probs.append(
            Problem(
                t.label,
                1,
                c,
                None,
                "missing_column",
                "column required by the schema is missing",
                fix=f"rename column {near!r} to {c!r}"
                if near
                else "add the column (see rocu-compare template for every column)",
            )
        )
    for c in extra:
        near = closest(c, missing)
        probs.append(
            Problem(
                t.label,
                1,
                c,
                c,
                "unknown_column",
                "column not in the schema: ignored by the analysis; the file is unchanged",
                severity="warning",
                fix=f"did you mean {near!r}?" if near else None,
            )
        )
    if missing:
        return probs
    idx = {c: t.header.index(c) for c in expected}
    width = len(t.header)
    good_rows = [(i, r) for i, r in enumerate(t.rows) if len(r) == width and any(v != "" for v in r)]
    date_cells = {}
    for (r, c), serial in t.date_cells.items():
        if c < width and t.header[c] in idx and r >= 2:
            f = schema.field(t.header[c])
            text = t.rows[r - 2][c] if r - 2 < len(t.rows) and c < len(t.rows[r - 2]) else ""
            d = _date_cell_problem(f, serial, text)
            if d:
                date_cells[(r, f.name)] = d
                probs.append(Problem(t.label, r, f.name, text, "date_format", d[0], fix=d[1]))
    for f in schema.fields:
        j = idx[f.name]
        seen: dict[str, int] = {}
        verdict: dict[str, tuple | None] = {}  # a text repeated down a column is checked once
        for i, r in good_rows:
            v = r[j]
            if date_cells and (i + 2, f.name) in date_cells:
                continue
            if v not in verdict:
                verdict[v] = _cell_problem(f, v)
            p = verdict[v]
            if p:
                probs.append(Problem(t.label, i + 2, f.name, v, p[0], p[1], fix=p[2]))
            if f.unique and v != "":
                if v in seen:
                    probs.append(
                        Problem(
                            t.label,
                            i + 2,
                            f.name,
                            v,
                            "unique",
                            f"duplicate of row {seen[v]}",
                            fix="each value may appear once: correct or delete one of the two rows",
                        )
                    )
                else:
                    seen[v] = i + 2
    if schema.primary_key and len(schema.primary_key) > 1:
        seen_k: dict[tuple, int] = {}
        for i, r in good_rows:
            key = tuple(r[idx[c]] for c in schema.primary_key)
            if key in seen_k:
                probs.append(
                    Problem(
                        t.label,
                        i + 2,
                        ", ".join(schema.primary_key),
                        " | ".join(key),
                        "primary_key",
                        f"duplicate primary key (same as row {seen_k[key]})",
                        fix="each combination may appear once: correct or delete one of the two rows",
                    )
                )
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
            yield Problem(
                t.label,
                i + 2,
                "rocu_id, force",
                f"{a} | {b}",
                "exactly_one_of_rocu_force",
                "give exactly one of rocu_id and force",
                fix="fill in rocu_id for a ROCU or force for a force, and leave the other blank",
            )


def _rule_estimate(t, idx, rows):
    for i, r in rows:
        if r[idx["is_estimate"]].lower() == "true" and r[idx["estimate_method"]] == "":
            yield Problem(
                t.label,
                i + 2,
                "estimate_method",
                "",
                "estimate_has_method",
                "an estimate must say how it was made",
                fix="describe the method in estimate_method, or set is_estimate to false",
            )


def _rule_numeric_units(t, idx, rows):
    for i, r in rows:
        unit, v = r[idx["unit"]], r[idx["value"]]
        money = bool(MONEY_UNITS.match(unit))
        pct = unit in PERCENT_UNITS
        count = unit in COUNT_UNITS
        if not (money or pct or count) or v == "":
            continue
        if not _NUM.match(v):
            fix = _number_fix(v, FieldSpec("value", "number", "", unit=unit))
            if v.strip().lower() in NOT_KNOWN:
                fix = "a fact needs a value: delete the row if the value is not known"
            yield Problem(t.label, i + 2, "value", v, "numeric_units", f"unit {unit!r} needs a number", fix=fix)
            continue
        x = float(v)
        if x < 0:
            yield Problem(
                t.label, i + 2, "value", v, "numeric_units", f"a {unit} value cannot be negative", fix="check the sign"
            )
        elif pct and x > 100:
            yield Problem(
                t.label,
                i + 2,
                "value",
                v,
                "numeric_units",
                "a percentage must lie between 0 and 100",
                fix="type the percentage itself (50 for 50%), not a fraction of 1 or a ratio",
            )


def _rule_subject_known(t, idx, rows):  # checked across tables in check_package
    return ()


_ROW_RULES = {
    "exactly_one_of_rocu_force": _rule_exactly_one,
    "estimate_has_method": _rule_estimate,
    "numeric_units": _rule_numeric_units,
    "subject_known": _rule_subject_known,
    "source_citable": rule_source_citable,
}


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
            yield Problem(
                t.label,
                i + 2,
                e,
                r[idx[e]],
                "spell_order",
                f"{e} must be after {s}",
                fix="check the two dates; swap them if they were typed the wrong way round",
            )
        by[r[idx[ent]]].append((start or dt.date.min, end or dt.date.max, i + 2, r[idx[s]], r[idx[e]]))
    for key, spells in by.items():
        spells.sort()
        for (_s0, e0, row0, _, t0), (s1, _e1, row1, f1, _) in zip(spells, spells[1:]):
            if s1 < e0:
                yield Problem(
                    t.label,
                    row1,
                    s,
                    f1,
                    "spell_overlap",
                    f"{ent} {key!r}: this spell overlaps the spell in row {row0}",
                    fix=f"start this spell on or after {t0}, the end of the spell in row {row0}",
                )
            elif s1 > e0:
                yield Problem(
                    t.label,
                    row1,
                    s,
                    f1,
                    "spell_gap",
                    f"{ent} {key!r}: gap after the spell in row {row0}, which ends {t0}",
                    fix=f"start this spell on {t0}, or end the earlier spell when this one starts",
                )


# --- cross-table checks ----------------------------------------------------------------------


def _column(t: RawTable, name: str) -> list[tuple[int, str]]:
    if name not in t.header:
        return []
    j = t.header.index(name)
    return [(i + 2, r[j]) for i, r in enumerate(t.rows) if len(r) == len(t.header)]


def check_package(tables: dict[str, RawTable], pkg: Package, base_dir=None) -> list[Problem]:
    """Problems across tables: foreign keys, source references and subjects.

    ``base_dir`` is the folder that shipped-document paths of ``sources`` are relative to
    (None: not checked). See :mod:`rocu_compare.citations` for which sources a row may cite.
    """
    probs: list[Problem] = []
    memo: dict[tuple, str | None] = {}

    def hint(value, key, options):  # the same unknown id often recurs on thousands of rows
        if (key, value) not in memo:
            memo[(key, value)] = did_you_mean(value, options)
        return memo[(key, value)]

    values = {name: {c: {v for _, v in _column(t, c)} for c in t.header} for name, t in tables.items()}
    unreadable = {n for n, t in tables.items() if not t.readable}  # already reported; skip checks against them
    sources = tables.get("sources") if "sources" not in unreadable else None
    url_ok: set[str] = set()
    known_sources: set[str] = set()
    if sources is not None and {"source_id", "url", "url_basis"} <= set(sources.header):
        known_sources, url_ok, doc_probs = citable_sources(sources, base_dir)
        probs.extend(doc_probs)
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
            spec = schema.field(fk.fields)
            for row, v in _column(t, fk.fields):
                if v and v not in target and v not in fk.exceptions:
                    if _cell_problem(spec, v):
                        continue  # already reported for this cell (enum, whitespace ...): one problem per cell
                    probs.append(
                        Problem(
                            t.label,
                            row,
                            fk.fields,
                            v,
                            "foreign_key",
                            f"not found in {fk.resource}.{fk.reference}",
                            fix=hint(v, ("fk", fk.resource, fk.reference), target)
                            or f"add it to the {fk.resource} table first, or use one of its values",
                        )
                    )
        for f in schema.fields:
            if not f.source_ref or sources is None:
                continue
            for row, v in _column(t, f.name):
                if not v:
                    continue
                ids = [x.strip() for x in v.split(";")] if f.source_ref == "list" else [v]
                unknown = [x for x in ids if x not in known_sources]
                if unknown:
                    hints = [h for h in (hint(x, ("sources",), known_sources) for x in unknown) if h]
                    probs.append(
                        Problem(
                            t.label,
                            row,
                            f.name,
                            v,
                            "source_known",
                            f"source id(s) not in the sources table: {', '.join(unknown)}",
                            fix="; ".join(f"for {x!r}: {h}" for x, h in zip(unknown, hints))
                            if len(hints) == len(unknown) and len(unknown) > 1
                            else (
                                hints[0]
                                if hints
                                else "add the source (with its URL) to the sources table, or correct the id"
                            ),
                        )
                    )
                elif not any(x in url_ok for x in ids):
                    probs.append(
                        Problem(
                            t.label,
                            row,
                            f.name,
                            v,
                            "source_has_url",
                            "none of the cited sources can be followed: cite one with a URL, a "
                            "shipped document, or your internal return (url_basis internal)",
                            fix="give the source a URL, a shipped document, or url_basis internal with "
                            "its classification; or cite one that has one",
                        )
                    )
        if "subject_known" in schema.row_rules and not {"rocus", "forces"} & unreadable:
            subjects = (
                {"national"}
                | values.get("rocus", {}).get("rocu_id", set())
                | values.get("forces", {}).get("force", set())
                | values.get("graded_bodies", {}).get("body", set())
            )
            for row, v in _column(t, "subject"):
                if v and v not in subjects:
                    probs.append(
                        Problem(
                            t.label,
                            row,
                            "subject",
                            v,
                            "subject_known",
                            "subject must be 'national', a rocu_id, a force name or a graded body",
                            fix=hint(v, ("subjects",), subjects),
                        )
                    )
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
