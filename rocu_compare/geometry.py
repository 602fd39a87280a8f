"""Force-area boundaries at run time: read the bundled GeoJSON and dissolve forces into ROCU areas.

The file ``data/force_boundaries.geojson`` is built by ``make data`` (the raw-data
pipeline); this module only reads it, so an installed package never needs the pipeline.
shapely is imported inside the functions that need it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .schema import DATA_DIR

__all__ = ["BOUNDARIES_PATH", "read_force_boundaries", "rocu_area_geometries"]

#: The bundled police force area boundaries (ONS, December 2016, simplified).
BOUNDARIES_PATH = DATA_DIR / "force_boundaries.geojson"


def read_force_boundaries(path: str | Path | None = None) -> dict:
    """Read a force boundaries GeoJSON written by :func:`write_geojson`.

    Parameters
    ----------
    path : str or Path, optional
        The GeoJSON file; default the bundled ``force_boundaries.geojson``.

    Returns
    -------
    dict
        The FeatureCollection.

    Raises
    ------
    ValueError
        If the file is not a FeatureCollection or a feature lacks ``properties.force``.
    """
    path = BOUNDARIES_PATH if path is None else Path(path)
    with open(path, encoding="utf-8") as fh:
        fc = json.load(fh)
    if fc.get("type") != "FeatureCollection":
        raise ValueError(f"{path}: not a GeoJSON FeatureCollection")
    for i, f in enumerate(fc.get("features", [])):
        if not (f.get("properties") or {}).get("force"):
            raise ValueError(f"{path}: feature {i} has no properties.force")
    return fc


def rocu_area_geometries(
    boundaries_fc: dict,
    membership_frame: pd.DataFrame,
    as_at: str | None = None,
) -> dict:
    """Dissolve force areas into ROCU areas.

    Parameters
    ----------
    boundaries_fc : dict
        FeatureCollection with ``properties.force`` (as from :func:`read_force_boundaries`).
    membership_frame : DataFrame
        Columns ``force`` and ``rocu_id``; optionally ``valid_from`` / ``valid_to`` (ISO
        dates, possibly ``YYYY`` or ``YYYY-MM``; blank = open).
    as_at : str, optional
        ISO date: keep only membership spells in force on that date (needs the validity
        columns). Without it every row is used, so a force must have one row only.

    Returns
    -------
    dict
        ``rocu_id -> shapely geometry`` (``shapely.union_all`` of the members' areas),
        in sorted ``rocu_id`` order.

    Raises
    ------
    ValueError
        If a member force has no boundary, or a force belongs to more than one ROCU in the
        rows used.
    """
    import shapely
    from shapely.geometry import shape

    need = {"force", "rocu_id"}
    if need - set(membership_frame.columns):
        raise ValueError(f"membership frame lacks column(s) {sorted(need - set(membership_frame.columns))}")
    m = membership_frame.copy()
    if as_at is not None:
        if not {"valid_from", "valid_to"} <= set(m.columns):
            raise ValueError("as_at needs valid_from and valid_to columns")
        day = str(as_at)

        def starts_by(v) -> bool:  # a partial date 'YYYY' / 'YYYY-MM' counts from its first day
            return pd.isna(v) or str(v).strip() == "" or str(v).strip() <= day

        def ends_after(v) -> bool:  # valid_to is the first day no longer valid
            s = "" if pd.isna(v) else str(v).strip()
            return s == "" or day < s

        m = m[m["valid_from"].map(starts_by) & m["valid_to"].map(ends_after)]
    multi = m.groupby("force")["rocu_id"].nunique()
    multi = multi[multi > 1]
    if len(multi):
        raise ValueError(f"force(s) in more than one ROCU in the rows used: {sorted(multi.index)}; pass as_at")
    geom_by_force = {f["properties"]["force"]: shape(f["geometry"]) for f in boundaries_fc["features"]}
    missing = sorted(set(m["force"]) - set(geom_by_force))
    if missing:
        raise ValueError(f"no boundary for force(s) {missing}")
    out = {}
    for rocu_id, grp in sorted(m.groupby("rocu_id"), key=lambda kv: kv[0]):
        out[rocu_id] = shapely.union_all([geom_by_force[f] for f in sorted(set(grp["force"]))])
    return out
