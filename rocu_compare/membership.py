"""Force → unit configurations as data: read, check and apply a membership mapping.

A configuration says which unit each of the forces belongs to. It may be an actual one
(the units as built at a date) or a designed one (units matching the police regions).
:func:`apply_membership` checks it completely (every force exactly once, known force
names, unit ids that exist or are named as new designed units), reporting every problem
at once, and returns a :class:`~rocu_compare.dataset.Dataset` in which that configuration
holds at every date, so every analysis runs on it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .errors import Problem, RocuDataError

__all__ = ["Configuration", "apply_membership", "check_mapping", "configured", "moved_forces", "read_mapping"]

#: ``membership.basis`` of every row of an applied configuration.
BASIS_PREFIX = "what-if configuration"


@dataclass(frozen=True)
class Configuration:
    """A named force → unit mapping with the sentence that describes it in captions.

    Attributes
    ----------
    name : str
        Short name (``as built``, ``aligned`` ...).
    mapping : dict of str to str
        Force name → unit id, one entry per force.
    description : str
        One line for captions (computed from the data).
    unit_names : dict of str to str
        Names of designed units whose ids are not in the ``rocus`` table.
    as_built_at : Timestamp or None
        For the units as built on a date: that date. Analyses then use the dataset's own
        dated membership (:func:`configured`), so a force in no unit stays in none.
    """

    name: str
    mapping: dict[str, str]
    description: str
    unit_names: dict[str, str] = field(default_factory=dict)
    as_built_at: pd.Timestamp | None = None

    def moves_from(self, other: Configuration) -> pd.DataFrame:
        """Forces that change unit from ``other`` (columns ``force``, ``from_unit``, ``to_unit``).

        See :func:`moved_forces`: a unit under a new id with exactly the forces of a unit of
        ``other`` is that unit renamed, so its forces do not move.
        """
        return pd.DataFrame(moved_forces(other.mapping, self.mapping), columns=["force", "from_unit", "to_unit"])


def moved_forces(before: dict, after: dict) -> list[tuple[str, str | None, str | None]]:
    """``(force, from_unit, to_unit)`` for each force that changes unit between two mappings.

    Units are matched by their forces, not only by id: a unit id of ``after`` that is not in
    ``before`` but holds exactly the forces of a unit of ``before`` whose id is gone from
    ``after`` is that unit under a new name (a designed "Wales" unit of the four forces a
    unit already holds, say), and its forces do not move. A force in a unit on one side only
    (placed, or left in no unit) moves.

    Parameters
    ----------
    before, after : dict of str to str
        Force → unit id.

    Returns
    -------
    list of tuple
        In the order of ``after``'s forces, then forces only in ``before``.

    Examples
    --------
    >>> moved_forces({"A": "u", "B": "u", "C": "v"}, {"A": "w", "B": "w", "C": "v"})
    []
    >>> moved_forces({"A": "u", "B": "u", "C": "v"}, {"A": "w", "B": "v", "C": "v"})
    [('A', 'u', 'w'), ('B', 'u', 'v')]
    """

    def members(mapping: dict) -> dict[str, frozenset]:
        out: dict[str, set] = {}
        for f, u in mapping.items():
            if u is not None:
                out.setdefault(u, set()).add(f)
        return {u: frozenset(fs) for u, fs in out.items()}

    old, new = members(before), members(after)
    gone = {fs: u for u, fs in old.items() if u not in new}
    renamed = {u: gone[fs] for u, fs in new.items() if u not in old and fs in gone}
    rows = [(f, before.get(f), u) for f, u in after.items() if before.get(f) != renamed.get(u, u)]
    rows += [(f, u, None) for f, u in before.items() if f not in after and u is not None]
    return rows


def configured(ds, configuration):
    """``ds`` under a configuration: itself for the units as built (or ``None``), else
    ``ds.with_membership(configuration)``."""
    if configuration is None or (isinstance(configuration, Configuration) and configuration.as_built_at is not None):
        return ds
    return ds.with_membership(configuration)


def read_mapping(mapping, source: str = "mapping") -> tuple[list[tuple[int | None, str, str]], dict[str, str]]:
    """Rows ``(row, force, unit)`` of a mapping given as a dict, DataFrame or CSV/xlsx file.

    A DataFrame or file has columns ``force`` and ``unit`` (``rocu_id`` is accepted for
    ``unit``) and optionally ``unit_name`` (the name of a designed unit). Rows are
    numbered as a spreadsheet user sees them (header = row 1).

    Returns
    -------
    rows : list of tuple
    names : dict
        ``unit_name`` per unit id where given.
    """
    names: dict[str, str] = {}
    if isinstance(mapping, Configuration):
        return [(None, f, u) for f, u in mapping.mapping.items()], dict(mapping.unit_names)
    if isinstance(mapping, dict):
        return [(None, str(f), "" if u is None else str(u)) for f, u in mapping.items()], names
    if isinstance(mapping, (str, Path)):
        path = Path(mapping)
        if not path.is_file():
            raise FileNotFoundError(f"membership file not found: {path}")
        if path.suffix.lower() == ".xlsx":
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        elif path.suffix.lower() == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        else:
            raise ValueError(f"{path}: a membership file must be .csv or .xlsx with columns force,unit")
        source = path.name
    elif isinstance(mapping, pd.DataFrame):
        frame = mapping.astype("object").where(mapping.notna(), "").astype(str)
    else:
        raise TypeError(f"mapping must be a dict, a DataFrame or a .csv/.xlsx path, got {type(mapping).__name__}")
    frame = frame.rename(columns={c: str(c).strip() for c in frame.columns})
    if "unit" not in frame and "rocu_id" in frame:
        frame = frame.rename(columns={"rocu_id": "unit"})
    missing = [c for c in ("force", "unit") if c not in frame]
    if missing:
        raise RocuDataError(
            [
                Problem(
                    source,
                    1,
                    c,
                    None,
                    "missing_column",
                    f"column {c!r} is required (columns: force, unit[, unit_name])",
                )
                for c in missing
            ],
            source,
        )
    rows = [(i + 2, str(r.force).strip(), str(r.unit).strip()) for i, r in enumerate(frame.itertuples(index=False))]
    if "unit_name" in frame:
        for u, n in zip(frame["unit"].astype(str).str.strip(), frame["unit_name"].astype(str).str.strip()):
            if n:
                names.setdefault(u, n)
    return rows, names


def check_mapping(ds, mapping, unit_names=None, source: str = "mapping") -> tuple[dict[str, str], dict[str, str]]:
    """Check a mapping against the dataset; return ``(force → unit, new unit id → name)``.

    Raises
    ------
    RocuDataError
        Listing every problem at once: an unknown force, a force given twice (in two
        units or the same one), a force missing, a blank unit, or a unit id that is not in
        ``rocus`` and has no name.
    """
    rows, names = read_mapping(mapping, source)
    names.update(unit_names or {})
    source = source if not isinstance(mapping, (str, Path)) else Path(mapping).name
    forces = list(ds.tables["forces"]["force"].astype(str))
    known_units = set(ds.tables["rocus"]["rocu_id"].astype(str))
    problems: list[Problem] = []
    seen: dict[str, tuple] = {}
    for row, force, unit in rows:
        if force not in forces:
            problems.append(
                Problem(
                    source,
                    row,
                    "force",
                    force,
                    "unknown_force",
                    f"not a force of the forces table (known: {', '.join(forces)})",
                )
            )
            continue
        if force in seen:
            prev_row, prev_unit = seen[force]
            where = f"row {prev_row}" if prev_row is not None else "an earlier entry"
            problems.append(
                Problem(
                    source,
                    row,
                    "force",
                    force,
                    "duplicate_force",
                    f"force given more than once: in {unit!r} here and in {prev_unit!r} at {where}",
                )
            )
            continue
        seen[force] = (row, unit)
        if not unit:
            problems.append(Problem(source, row, "unit", unit, "required", f"no unit given for {force}"))
        elif unit not in known_units and not names.get(unit):
            problems.append(
                Problem(
                    source,
                    row,
                    "unit",
                    unit,
                    "unknown_unit",
                    f"unit id not in the rocus table ({', '.join(sorted(known_units))}); a new "
                    "(designed) unit needs a name (unit_name column or unit_names argument)",
                )
            )
    for force in forces:
        if force not in seen:
            problems.append(
                Problem(
                    source,
                    None,
                    "force",
                    force,
                    "missing_force",
                    "force not placed in any unit: every force must be in exactly one",
                )
            )
    if problems:
        raise RocuDataError(problems, source)
    mapping_out = {f: seen[f][1] for f in forces}
    new = {u: names[u] for u in dict.fromkeys(mapping_out.values()) if u not in known_units}
    return mapping_out, new


def apply_membership(ds, mapping, unit_names=None, *, description: str | None = None):
    """A copy of ``ds`` whose force → unit membership is ``mapping`` at every date.

    Parameters
    ----------
    ds : Dataset
    mapping : dict, DataFrame, path or Configuration
        See :func:`read_mapping`.
    unit_names : dict, optional
        Names of designed units (ids not in ``rocus``).
    description : str, optional
        Written into ``membership.basis`` of every row.

    Returns
    -------
    Dataset
        Same tables except ``membership`` (one open-ended spell per force) and ``rocus``
        (a row added for each designed unit, every other field missing). Its ``origin``
        names the configuration.
    """
    if isinstance(mapping, Configuration):
        description = description or mapping.description
    mapping_out, new = check_mapping(ds, mapping, unit_names)
    old = ds.tables["membership"]
    text = f"{BASIS_PREFIX}: {description}" if description else BASIS_PREFIX
    mem = pd.DataFrame({c: pd.Series([pd.NA] * len(mapping_out), dtype=old[c].dtype) for c in old.columns})
    mem["force"] = (
        pd.Categorical(list(mapping_out), categories=old["force"].cat.categories)
        if isinstance(old["force"].dtype, pd.CategoricalDtype)
        else list(mapping_out)
    )
    mem["rocu_id"] = pd.array(list(mapping_out.values()), dtype="object")
    mem["basis"] = text
    rocus = ds.tables["rocus"]
    if new:
        add = pd.DataFrame({c: pd.Series([pd.NA] * len(new), dtype="object") for c in rocus.columns})
        add["rocu_id"] = list(new)
        add["name"] = list(new.values())
        rocus = pd.concat([rocus.astype("object"), add.astype("object")], ignore_index=True)
    tables = dict(ds.tables)
    tables["membership"] = mem.reset_index(drop=True)
    tables["rocus"] = rocus
    origin = dict(ds.origin)
    origin["membership"] = text
    return replace(ds, tables=tables, origin=origin)
