"""Police force area boundaries for maps, rebuilt from the ONS ultra-generalised GeoJSON.

The build keeps one feature per force with properties ``force``, ``ons_code`` and
``area_km2_approx`` (``Shape__Area`` / 10^6, 1 dp, as in the forces table), simplifies the
polygons and rounds coordinates so the file stays small, and records the ONS/OS
attribution the Open Government Licence requires. Reading the file and dissolving force
areas into ROCU areas happen at run time, in :mod:`rocu_compare.geometry` (re-exported here).

shapely is imported inside the functions, so importing this module does not need it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from rocu_compare.geometry import read_force_boundaries, rocu_area_geometries

from .officers import forces_by_code
from .provenance import RAW_INPUTS, check_checksum

__all__ = [
    "ATTRIBUTION",
    "SOURCE_ID",
    "DEFAULT_TOLERANCE",
    "COORDINATE_DECIMALS",
    "build_force_boundaries",
    "write_geojson",
    "read_force_boundaries",
    "rocu_area_geometries",
]

BOUNDARIES_FILE = "popm_force_boundaries_ugc.geojson"
SOURCE_ID = RAW_INPUTS[BOUNDARIES_FILE].source_id

#: Attribution required for ONS boundary data (ONS licences page: "Source: Office for National
#: Statistics licensed under the Open Government Licence v.3.0" and "Contains OS data © Crown
#: copyright and database right [year]"); 2016 is the vintage of the boundaries.
ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2016."
)

#: Simplification tolerance in degrees (CRS84), about 140 m east-west and 220 m north-south
#: in England and Wales: invisible on a national map.
DEFAULT_TOLERANCE = 0.002
#: Decimal places kept in coordinates (1e-4 degree is about 7-11 m).
COORDINATE_DECIMALS = 4


def _round_coords(obj, ndigits: int):
    if isinstance(obj, (list, tuple)):
        return [_round_coords(x, ndigits) for x in obj]
    v = round(float(obj), ndigits)
    return 0.0 if v == 0 else v  # no "-0.0"


def _area_km2(shape_area_m2) -> float:
    return round(float(shape_area_m2) / 1e6, 1)


def build_force_boundaries(
    geojson_path: str | Path,
    forces: pd.DataFrame,
    tolerance: float = DEFAULT_TOLERANCE,
    *,
    decimals: int = COORDINATE_DECIMALS,
    verify_checksum: bool = True,
    report: dict | None = None,
) -> dict:
    """Simplified police force area boundaries as a GeoJSON FeatureCollection.

    Each feature of the ONS Police Force Areas (December 2016) ultra-generalised clipped
    boundaries is matched on ``PFA16CD`` to ``forces.ons_code``. Invalid rings in the source
    (Hampshire has a self-touching ring) are repaired with ``shapely.make_valid``. The
    polygons are simplified as one coverage (``shapely.coverage_simplify``, which
    simplifies each shared border once so neighbours keep meeting without gaps or
    overlaps); where shapely/GEOS lacks it, each polygon is simplified with
    ``simplify(tolerance, preserve_topology=True)``. Coordinates are then snapped to
    ``10**-decimals`` degrees (``shapely.set_precision``, which keeps them valid) and
    rings oriented as RFC 7946 asks (exterior counter-clockwise).

    Public source: ONS Open Geography, Police Force Areas (December 2016) Ultra Generalised
    Clipped Boundaries in England and Wales, copy at
    https://github.com/M-O-P-D/popm/blob/b120ec9d8aca769887f347e450d366841c7af672/data/force_boundaries_ugc.geojson .

    Parameters
    ----------
    geojson_path : str or Path
        The source FeatureCollection (CRS84) with properties ``PFA16CD`` and ``Shape__Area``.
    forces : DataFrame
        Forces table with at least ``force`` and ``ons_code``.
    tolerance : float, default :data:`DEFAULT_TOLERANCE`
        Simplification tolerance in degrees; 0 keeps every vertex.
    decimals : int, default :data:`COORDINATE_DECIMALS`
        Decimal places of the output coordinates.
    verify_checksum : bool, default True
        Check the file against its provenance record first.
    report : dict, optional
        If given, filled with the checksum, vertex counts and the largest change of a
        polygon's planar area caused by simplification and rounding.

    Returns
    -------
    dict
        A GeoJSON FeatureCollection with top-level ``attribution`` (:data:`ATTRIBUTION`) and
        ``source_id``, and 43 features sorted by force, each with properties ``force``,
        ``ons_code`` and ``area_km2_approx``.

    Raises
    ------
    ValueError
        If a feature's code is not in the forces table, a code repeats, a force has no
        feature, ``Shape__Area`` is missing, or a geometry is empty or not polygonal after
        simplification.
    """
    import numpy as np
    import shapely
    from shapely.geometry import mapping, shape

    geojson_path = Path(geojson_path)
    checks = {}
    if verify_checksum:
        checks[geojson_path.name] = check_checksum(geojson_path).sha256
    code_map = forces_by_code(forces)
    with open(geojson_path, encoding="utf-8") as fh:
        src = json.load(fh)
    if src.get("type") != "FeatureCollection":
        raise ValueError(f"{geojson_path.name}: not a GeoJSON FeatureCollection")

    codes, areas, geoms = [], [], []
    for i, feat in enumerate(src.get("features", [])):
        props = feat.get("properties") or {}
        code = str(props.get("PFA16CD", "")).strip()
        if code not in code_map:
            raise ValueError(f"{geojson_path.name}: feature {i} has PFA16CD {code!r}, not in the forces table")
        area = props.get("Shape__Area")
        if area is None or (isinstance(area, float) and math.isnan(area)):
            raise ValueError(f"{geojson_path.name}: feature {code} has no Shape__Area")
        codes.append(code)
        areas.append(_area_km2(area))
        geoms.append(shape(feat["geometry"]))
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise ValueError(f"{geojson_path.name}: repeated PFA16CD {dup}")
    absent = sorted(set(code_map.values()) - {code_map[c] for c in codes})
    if absent:
        raise ValueError(f"{geojson_path.name}: no boundary for force(s) {absent}")

    arr = np.array(geoms, dtype=object)
    n_invalid_source = int((~shapely.is_valid(arr)).sum())
    arr = shapely.make_valid(arr)
    if tolerance and tolerance > 0:
        if hasattr(shapely, "coverage_simplify"):
            try:
                simp = shapely.coverage_simplify(arr, tolerance)
                method = "coverage_simplify"
            except Exception:  # GEOS < 3.12: fall back to per-polygon simplification
                simp = None
        else:
            simp = None
        if simp is None:
            simp = np.array([g.simplify(tolerance, preserve_topology=True) for g in arr], dtype=object)
            method = "simplify(preserve_topology=True)"
    else:
        simp, method = arr, "none"
    out_geoms = shapely.set_precision(simp, 10.0**-decimals)
    if hasattr(shapely, "orient_polygons"):
        out_geoms = shapely.orient_polygons(out_geoms)
    else:  # shapely < 2.1
        from shapely.geometry.polygon import orient

        out_geoms = np.array(
            [
                orient(g) if g.geom_type == "Polygon" else shapely.MultiPolygon([orient(p) for p in g.geoms])
                for g in out_geoms
            ],
            dtype=object,
        )

    features = []
    for code, area, g in zip(codes, areas, out_geoms):
        if g.is_empty or g.geom_type not in ("Polygon", "MultiPolygon") or not g.is_valid:
            raise ValueError(
                f"{code}: geometry is {'empty' if g.is_empty else g.geom_type} or invalid after "
                f"simplification; lower the tolerance"
            )
        geom = mapping(g)
        features.append(
            {
                "type": "Feature",
                "properties": {"force": code_map[code], "ons_code": code, "area_km2_approx": area},
                "geometry": {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"], decimals)},
            }
        )
    features.sort(key=lambda f: f["properties"]["force"])
    fc = {
        "type": "FeatureCollection",
        "name": "police_force_areas_dec2016_ugc_simplified",
        "attribution": ATTRIBUTION,
        "source_id": SOURCE_ID,
        "features": features,
    }
    if report is not None:
        before = shapely.area(arr)
        after = shapely.area(out_geoms)
        rel = np.abs(after / before - 1)
        worst = int(np.argmax(rel))
        report.update(
            {
                "table": "force_boundaries",
                "inputs_sha256": checks,
                "features": len(features),
                "invalid_source_geometries_repaired": n_invalid_source,
                "method": method,
                "tolerance_degrees": tolerance,
                "decimals": decimals,
                "vertices_in": int(shapely.get_num_coordinates(arr).sum()),
                "vertices_out": int(shapely.get_num_coordinates(out_geoms).sum()),
                "max_relative_area_change": round(float(rel[worst]), 4),
                "max_relative_area_change_force": code_map[codes[worst]],
            }
        )
    return fc


def write_geojson(fc: dict, path: str | Path) -> Path:
    """Write a FeatureCollection deterministically.

    Features are sorted by ``properties.force``, one feature per line, keys in a fixed
    order, floats written by Python's shortest round-trip repr (stable across platforms),
    UTF-8, ``\\n`` line ends, no timestamps: the same input gives the same bytes.

    Parameters
    ----------
    fc : dict
        A GeoJSON FeatureCollection (as from :func:`build_force_boundaries`).
    path : str or Path
        Output file.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    ValueError
        If ``fc`` is not a FeatureCollection or a number is not finite.
    """
    if fc.get("type") != "FeatureCollection":
        raise ValueError("not a GeoJSON FeatureCollection")
    path = Path(path)

    def dumps(obj) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    head = {k: v for k, v in fc.items() if k != "features"}
    head_order = ["type", "name", "attribution", "source_id"]
    keys = [k for k in head_order if k in head] + sorted(k for k in head if k not in head_order)
    feats = sorted(fc.get("features", []), key=lambda f: str((f.get("properties") or {}).get("force", "")))
    lines = ["{" + ",".join(f"{dumps(k)}:{dumps(head[k])}" for k in keys) + ',"features":[']
    for i, f in enumerate(feats):
        ordered = {"type": f.get("type", "Feature"), "properties": f.get("properties"), "geometry": f.get("geometry")}
        ordered.update({k: v for k, v in f.items() if k not in ordered})
        lines.append(dumps(ordered) + ("," if i < len(feats) - 1 else ""))
    lines.append("]}")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
    return path
