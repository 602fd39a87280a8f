"""Named force → unit configurations: as built, aligned to the police regions, Kent either way.

Each function returns a :class:`~rocu_compare.membership.Configuration`: the mapping
(force → unit id) and a one-line description computed from the data, for captions.
Apply one with ``ds.with_membership(config)``, or compare several with
:func:`rocu_compare.compare.configurations.compare_configurations`.

>>> import rocu_compare as rc
>>> from rocu_compare import scenarios
>>> ds = rc.load()
>>> a = scenarios.aligned_to_regions(ds)
>>> sorted(f for f, u in a.mapping.items() if u == "wales")
['Dyfed-Powys', 'Gwent', 'North Wales', 'South Wales']
"""

from __future__ import annotations

import pandas as pd

from .dates import parse_date
from .membership import Configuration

__all__ = [
    "AS_BUILT",
    "ALIGNED",
    "WALES_UNIT_ID",
    "as_built",
    "aligned_to_regions",
    "kent_in_serocu",
    "kent_in_ersou",
    "named",
    "NAMES",
]

AS_BUILT = "as built"
ALIGNED = "aligned"
#: Id of the designed all-Wales unit of :func:`aligned_to_regions`.
WALES_UNIT_ID = "wales"
WALES_REGION = "Wales"


def _date_text(ts: pd.Timestamp) -> str:
    return f"{ts.day} {ts:%B %Y}"


def as_built(ds, as_at="2015-06-30") -> Configuration:
    """The units as built on a date (``ds.membership_at(as_at)``).

    Forces without a membership spell on the date (e.g. the South East forces before
    SEROCU's launch on 1 April 2014) are absent from the mapping; the description says
    how many.

    Parameters
    ----------
    ds : Dataset
    as_at : str, date or Timestamp
        ISO ``YYYY-MM-DD`` string, date or Timestamp.

    Returns
    -------
    Configuration
        ``as_built_at`` is the date, so analyses use the dataset's own dated membership.
    """
    ts = parse_date(as_at, "as_at")
    mem = ds.membership_at(ts).astype({"force": str, "rocu_id": str})
    mapping = dict(zip(mem["force"], mem["rocu_id"]))
    n_forces = len(ds.tables["forces"])
    units = mem["rocu_id"].nunique()
    unplaced = n_forces - len(mapping)
    tail = f"; {unplaced} force{'s' if unplaced != 1 else ''} in no unit" if unplaced else ""
    return Configuration(
        AS_BUILT,
        mapping,
        f"the units as built on {_date_text(ts)} ({units} units, {len(mapping)} forces{tail})",
        as_built_at=ts,
    )


def aligned_to_regions(ds, as_at="2015-06-30") -> Configuration:
    """Each force in the unit of its police region; Wales as one unit of its four forces.

    The unit of an English region is its *home ROCU* on ``as_at``: the unit holding most
    of the region's forces (:func:`rocu_compare.piecemeal.region_home_rocus`; the bundled
    data give the same home units in 2015 and 2020). Wales is the unit that already holds
    every Welsh force on ``as_at`` if there is one and it is no English region's home unit
    (its other forces go to their own regions' units); otherwise a designed unit ``wales``
    ("Wales (all four forces)"), and
    the units that held Welsh forces are left with their other forces (on the bundled
    data: Tarian held three Welsh forces and the North West unit North Wales).

    Parameters
    ----------
    ds : Dataset
    as_at : str, date or Timestamp, default "2015-06-30"
        Date at which each region's home unit is read.

    Returns
    -------
    Configuration

    Raises
    ------
    ValueError
        If a region has no home unit on the date (no forces in a unit, or a tie).
    """
    from .membership import moved_forces
    from .piecemeal.misalignment import region_home_rocus

    ts = parse_date(as_at, "as_at")
    homes = region_home_rocus(ds, ts)["home_rocu_id"]
    f = ds.tables["forces"][["force", "police_region"]].astype(str)
    undecided = [r for r in pd.unique(f["police_region"]) if r != WALES_REGION and pd.isna(homes.get(r, pd.NA))]
    if undecided:
        raise ValueError(
            f"no home unit on {ts.date()} for police region(s) {undecided} (no member forces, or a tie "
            "between units); pick another as_at"
        )
    as_built_map = as_built(ds, ts).mapping
    welsh = [r.force for r in f.itertuples() if r.police_region == WALES_REGION]
    held = {as_built_map.get(w) for w in welsh}
    home_units = {str(u) for r, u in homes.dropna().items() if r != WALES_REGION}
    # the unit holding every Welsh force is Wales's, unless it is an English region's home unit too
    wales_unit = held.pop() if len(held) == 1 and None not in held and not held & home_units else WALES_UNIT_ID
    mapping = {
        r.force: (wales_unit if r.police_region == WALES_REGION else str(homes[r.police_region]))
        for r in f.itertuples()
    }
    moved = sorted(m[0] for m in moved_forces(as_built_map, mapping))
    units = len(set(mapping.values()))
    if wales_unit == WALES_UNIT_ID:
        n = {2: "two", 3: "three", 4: "four", 5: "five"}.get(len(welsh), str(len(welsh)))
        wales_txt, names = (
            f"Wales as one designed unit of its {len(welsh)} forces",
            {WALES_UNIT_ID: f"Wales (all {n} forces)"},
        )
    else:
        wales_txt, names = f"Wales as {_unit_name(ds, wales_unit)}, which holds all {len(welsh)} Welsh forces", {}
    desc = (
        f"units aligned to the police regions ({units} units; {wales_txt}; "
        f"forces moved from the units as built on {_date_text(ts)}: {', '.join(moved) if moved else 'none'})"
    )
    return Configuration(ALIGNED, mapping, desc, names)


def _unit_name(ds, unit: str) -> str:
    """The name the ``rocus`` table gives unit id ``unit``."""
    rocus = ds.tables["rocus"]
    return str(rocus.set_index(rocus["rocu_id"].astype(str)).loc[unit, "name"])


def _kent(ds, as_at, unit: str, name: str) -> Configuration:
    ts = parse_date(as_at, "as_at")
    base = as_built(ds, ts)
    if "Kent" not in dict(zip(ds.tables["forces"]["force"].astype(str), ds.tables["forces"]["force"])):
        raise ValueError("the forces table has no force called 'Kent'")
    mapping = dict(base.mapping)
    was = mapping.get("Kent")
    mapping["Kent"] = unit
    label = _unit_name(ds, unit)
    change = "unchanged" if was == unit else f"moved from {was}" if was else "placed (in no unit as built)"
    return Configuration(
        name, mapping, f"the units as built on {_date_text(ts)} with Kent in the {label} (Kent {change})"
    )


def kent_in_serocu(ds, as_at="2015-06-30") -> Configuration:
    """The units as built on ``as_at``, with Kent in the South East unit (SEROCU)."""
    return _kent(ds, as_at, "serocu", "Kent in SEROCU")


def kent_in_ersou(ds, as_at="2015-06-30") -> Configuration:
    """The units as built on ``as_at``, with Kent in the Eastern unit (ERSOU)."""
    return _kent(ds, as_at, "ersou", "Kent in ERSOU")


#: Scenario names accepted by :func:`named` and ``rocu-compare report --scenario``.
NAMES = {
    "as-built": as_built,
    "aligned": aligned_to_regions,
    "kent-serocu": kent_in_serocu,
    "kent-ersou": kent_in_ersou,
}


def named(ds, name_or_file, as_at="2015-06-30") -> Configuration:
    """A configuration by name (``as-built``, ``aligned``, ``kent-serocu``, ``kent-ersou``) or from a file.

    A file is a CSV or xlsx with columns ``force,unit`` (optional ``unit_name``), checked
    like :meth:`Dataset.with_membership`.

    Raises
    ------
    ValueError
        For a name that is neither a known scenario nor an existing file.
    """
    from pathlib import Path

    from .membership import check_mapping

    key = str(name_or_file).strip().lower().replace("_", "-").replace(" ", "-")
    if key in NAMES:
        return NAMES[key](ds, as_at)
    path = Path(str(name_or_file))
    if path.suffix.lower() in (".csv", ".xlsx"):
        mapping, new = check_mapping(ds, path)
        return Configuration(
            path.stem, mapping, f"the configuration in {path.name} ({len(set(mapping.values()))} units)", new
        )
    raise ValueError(
        f"unknown scenario {name_or_file!r}: use one of {', '.join(NAMES)} or a .csv/.xlsx file with columns force,unit"
    )
