"""The ROCU map of England and Wales.

Force areas are dissolved into ROCU areas. With ten ROCUs and six accessible
categorical colours, the map does not colour by ROCU: every area is filled light,
ROCU borders are dark and thick, force borders thin and light, and each ROCU is
labelled directly. One ROCU can be highlighted in the focus colour.

shapely is imported inside the functions that need it. The source line (ONS boundary
attribution) belongs in the figure's sidecar, not in the image.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from os import PathLike

import numpy as np
import pandas as pd

from ..labels import ROCU_LABELS
from . import palette
from .palette import FOCUS
from .primitives import _result
from .style import house_style

__all__ = ["AREA_FILL", "rocu_areas", "rocu_map"]

#: Fill of every ROCU area that is not highlighted.
AREA_FILL = palette.AREA_FILL
_BORDER = palette.TEXT_LIGHT
_FORCE_LINE = palette.WHITE
_OUTSIDE_SHARE = 0.015  # areas smaller than this share of the map are labelled outside


def _feature_force(props: Mapping, by_code: Mapping) -> str | None:
    if props.get("force"):
        return str(props["force"])
    code = props.get("ons_code") or props.get("PFA16CD")
    if code and code in by_code:
        return by_code[code]
    name = props.get("PFA16NM")
    return str(name) if name else None


def _force_geometries(fc: Mapping, forces: pd.DataFrame | None = None) -> dict:
    """``force -> shapely geometry`` from a FeatureCollection.

    Features are matched on ``properties.force`` (the bundled
    ``data/force_boundaries.geojson``); failing that on the ONS code
    (``ons_code``/``PFA16CD``) through ``forces``; failing that on ``PFA16NM``.
    Invalid rings are repaired with ``shapely.make_valid``.
    """
    import shapely
    from shapely.geometry import shape

    by_code = {}
    if forces is not None and {"force", "ons_code"} <= set(forces.columns):
        by_code = {str(c): str(f) for f, c in zip(forces["force"], forces["ons_code"]) if pd.notna(c)}
    out = {}
    for i, feat in enumerate(fc.get("features", [])):
        force = _feature_force(feat.get("properties") or {}, by_code)
        if force is None:
            raise ValueError(f"feature {i} has no force name (properties force, ons_code/PFA16CD or PFA16NM)")
        geom = shape(feat["geometry"])
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        out[force] = geom
    return out


def rocu_areas(fc: Mapping, membership: pd.DataFrame, *, forces: pd.DataFrame | None = None) -> dict:
    """Dissolve force areas into ROCU areas.

    Parameters
    ----------
    fc : dict
        GeoJSON FeatureCollection of force areas (see :func:`rocu_map`).
    membership : DataFrame
        Columns ``force`` and ``rocu_id``, one row per force (e.g.
        ``ds.membership_at(date)``).
    forces : DataFrame, optional
        Forces table (``force``, ``ons_code``) to match features by ONS code.

    Returns
    -------
    dict
        ``rocu_id -> shapely geometry`` for every ROCU present in ``membership``,
        in sorted order.

    Raises
    ------
    ValueError
        If a member force has no boundary or a force is listed in two ROCUs.
    """
    import shapely

    m = pd.DataFrame({"force": membership["force"].astype(str), "rocu_id": membership["rocu_id"].astype(str)})
    twice = m.groupby("force")["rocu_id"].nunique()
    if (twice > 1).any():
        raise ValueError(f"force(s) in more than one ROCU: {sorted(twice[twice > 1].index)}")
    geoms = _force_geometries(fc, forces)
    absent = sorted(set(m["force"]) - set(geoms))
    if absent:
        raise ValueError(f"no boundary for force(s) {absent}")
    out = {}
    for rocu_id in sorted(set(m["rocu_id"])):
        members = sorted(set(m.loc[m["rocu_id"] == rocu_id, "force"]))
        out[rocu_id] = shapely.union_all([geoms[f] for f in members])
    return out


def _path(geom):
    """A matplotlib Path for a (Multi)Polygon, holes included."""
    from matplotlib.path import Path

    polys = list(getattr(geom, "geoms", [geom]))
    verts, codes = [], []
    for poly in polys:
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            verts.append(xy)
            c = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
            codes.append(c)
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))


def _polygonal(geom):
    """Only the polygon parts of a geometry (make_valid can leave stray lines)."""
    from shapely.geometry import MultiPolygon

    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    flat = []
    for p in parts:
        flat += list(getattr(p, "geoms", [p]))
    return MultiPolygon(flat)


def _label_point(geom):
    """A point well inside the largest part of an area (pole of inaccessibility)."""
    from shapely.ops import polylabel

    parts = list(getattr(geom, "geoms", [geom]))
    main = max(parts, key=lambda p: p.area)
    try:
        pt = polylabel(main, tolerance=0.01)
        if not pt.is_empty and main.contains(pt):
            return pt.x, pt.y
    except Exception:  # fall back to any interior point
        pass
    pt = main.representative_point()
    return pt.x, pt.y


def _fit_label(geom, start, width: float, height: float):
    """Move a label of ``width`` x ``height`` (data units) so it lies inside ``geom``.

    Keeps ``start`` if the label already fits; otherwise searches a grid of points
    inside the area for the one whose label box lies most inside it, nearest
    ``start`` on ties. Deterministic.
    """
    import shapely

    def inside_share(xs, ys):
        boxes = shapely.box(xs - width / 2, ys - height / 2, xs + width / 2, ys + height / 2)
        return shapely.area(shapely.intersection(boxes, geom)) / (width * height)

    x0, y0 = start
    if inside_share(np.array([x0]), np.array([y0]))[0] >= 0.995:
        return start
    minx, miny, maxx, maxy = geom.bounds
    step = max(min(width, height) / 2.0, 1e-6)
    gx, gy = np.meshgrid(np.arange(minx, maxx + step, step), np.arange(miny, maxy + step, step))
    xs, ys = gx.ravel(), gy.ravel()
    keep = shapely.contains_xy(geom, xs, ys)
    xs, ys = xs[keep], ys[keep]
    if not len(xs):
        return start
    share = np.round(inside_share(xs, ys), 2)
    dist = np.hypot(xs - x0, ys - y0)
    best = np.lexsort((dist, -share))[0]
    return float(xs[best]), float(ys[best])


def _read_boundaries(path=None) -> dict:
    """A force-boundaries FeatureCollection from ``path``, by default the bundled one."""
    import json

    if path is None:
        from .. import schema

        path = schema.DATA_DIR / "force_boundaries.geojson"
    with open(path, encoding="utf-8") as fh:
        fc = json.load(fh)
    if not isinstance(fc, Mapping) or fc.get("type") != "FeatureCollection":
        raise ValueError(f"{path}: not a GeoJSON FeatureCollection")
    return fc


def rocu_map(
    fc: Mapping | str | PathLike | pd.DataFrame | None = None,
    membership: pd.DataFrame | None = None,
    *,
    labels: Mapping | None = None,
    highlight=None,
    ax=None,
    forces: pd.DataFrame | None = None,
    label_positions: Mapping | None = None,
    unplaced_label: str | None = "in no unit in the data",
):
    """England and Wales with force areas dissolved into ROCU areas.

    Parameters
    ----------
    fc : dict, path or None
        GeoJSON FeatureCollection of police force areas in longitude/latitude (or the
        path of one). By default the bundled boundaries (``force_boundaries.geojson``
        of the bundled data, features carrying ``properties.force``); the raw ONS file
        (``PFA16CD`` / ``PFA16NM``) works too: pass ``forces`` to match on the ONS
        code. The membership may be passed first instead, ``rocu_map(membership)``.
    membership : DataFrame
        Columns ``force`` and ``rocu_id``, e.g. ``ds.membership_at("2015-06-30")``.
    labels : dict, optional
        Display name per ``rocu_id`` (default: :data:`rocu_compare.labels.ROCU_LABELS`;
        ``{}`` shows the ids).
    highlight : optional
        A ``rocu_id`` to fill in the focus colour (dark blue).
    ax : Axes, optional
    forces : DataFrame, optional
        Forces table with ``force`` and ``ons_code``, to match raw ONS features.
    label_positions : dict, optional
        ``rocu_id -> (lon, lat)`` to place a label yourself; it is joined to its area
        by a leader line.
    unplaced_label : str or None, default "in no unit in the data"
        Legend text after "N forces" for the forces of the boundaries that are not in
        ``membership``; they are drawn as a gap (hatched, dashed outline), never blank.
        ``None`` leaves the legend out (the areas are still hatched).

    Returns
    -------
    Axes or ChartDisplay
        ``ax`` when given (drawn on); else a :class:`~rocu_compare.figures.display.ChartDisplay`
        of a new figure.

    Examples
    --------
    >>> import rocu_compare as rc
    >>> disp = rocu_map(rc.load().membership_at("2015-06-30"))   # the bundled boundaries
    >>> sorted(t.get_text() for t in disp.ax_.texts)[:3]
    ['EMSOU', 'ERSOU', 'London']

    Notes
    -----
    Areas are not coloured by ROCU (ten areas, six accessible colours): all are
    filled light grey-blue, ROCU borders are dark, force borders thin and white, and
    every ROCU is labelled inside its area: at its pole of inaccessibility, moved
    where needed so the whole label fits inside. Areas under 1.5% of the map (London)
    are labelled outside, east of the coast, with a leader line. The y-axis is
    stretched by 1/cos(mean latitude) so shapes look right.

    Raises
    ------
    ValueError
        If ``highlight`` is not a ROCU of ``membership``, or a member force has no
        boundary.
    """
    import matplotlib.patheffects as pe
    from matplotlib.patches import PathPatch

    if isinstance(fc, pd.DataFrame):  # rocu_map(membership): the bundled boundaries
        fc, membership = membership, fc
    if membership is None:
        raise ValueError("rocu_map needs the membership (columns force, rocu_id), e.g. ds.membership_at('2015-06-30')")
    if fc is None or isinstance(fc, (str, PathLike)):
        fc = _read_boundaries(fc)
    labels = dict(ROCU_LABELS if labels is None else (labels or {}))
    given_ax = ax
    label_positions = dict(label_positions or {})
    force_geoms = _force_geometries(fc, forces)
    if highlight is not None and str(highlight) not in set(membership["rocu_id"].astype(str)):
        raise ValueError(f"highlight {highlight!r} is not a ROCU in membership")
    areas = None
    if all((f.get("properties") or {}).get("force") for f in fc.get("features", [])):
        from ..geometry import rocu_area_geometries

        m = pd.DataFrame({"force": membership["force"].astype(str), "rocu_id": membership["rocu_id"].astype(str)})
        areas = {k: v for k, v in rocu_area_geometries(fc, m).items() if not v.is_empty}
    if areas is None:
        areas = rocu_areas(fc, membership, forces=forces)
    areas = {str(k): _polygonal(v) for k, v in sorted(areas.items())}

    xs0, ys0, xs1, ys1 = zip(*(g.bounds for g in force_geoms.values()))
    minx, miny, maxx, maxy = min(xs0), min(ys0), max(xs1), max(ys1)
    mean_lat = (miny + maxy) / 2
    total_area = sum(g.area for g in areas.values()) or 1.0

    with house_style():
        if ax is None:
            from matplotlib.figure import Figure

            fig = Figure(figsize=(7.2, 8.4), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        ax.set_axis_off()
        ax.grid(False)

        # add_artist, not add_patch: the view limits are set below from the boundaries, so the
        # per-patch data-limit update (a walk over every Bezier segment) is not needed
        add = ax.add_artist

        for rocu_id, geom in areas.items():
            path = _path(geom)
            if path is None:
                continue
            face = FOCUS if (highlight is not None and rocu_id == str(highlight)) else AREA_FILL
            add(PathPatch(path, facecolor=face, edgecolor="none", linewidth=0, zorder=1, gid=f"rocu:{rocu_id}"))
        for force in sorted(force_geoms):
            path = _path(_polygonal(force_geoms[force]))
            if path is not None:
                add(
                    PathPatch(
                        path, facecolor="none", edgecolor=_FORCE_LINE, linewidth=0.5, zorder=2, gid=f"force:{force}"
                    )
                )
        for rocu_id, geom in areas.items():
            path = _path(geom)
            if path is not None:
                add(
                    PathPatch(
                        path,
                        facecolor="none",
                        edgecolor=_BORDER,
                        linewidth=1.3,
                        joinstyle="round",
                        zorder=3,
                        gid=f"rocu-border:{rocu_id}",
                    )
                )

        # a force in no unit is a gap: hatched with a dashed outline and named in a legend, never blank
        placed = set(membership["force"].astype(str))
        unplaced = [f for f in sorted(force_geoms) if f not in placed]
        gap = {k: palette.MISSING[k] for k in ("facecolor", "hatch", "edgecolor", "linestyle")}
        for force in unplaced:
            path = _path(_polygonal(force_geoms[force]))
            if path is not None:
                add(PathPatch(path, **gap, linewidth=palette.MISSING["linewidth"], zorder=1, gid=f"unplaced:{force}"))
        if unplaced and unplaced_label:
            from matplotlib.patches import Patch

            n = len(unplaced)
            label = f"{n} force{'s' if n != 1 else ''} {unplaced_label}"
            ax.legend(handles=[Patch(**gap, label=label)], loc="upper left", frameon=False, fontsize=9)

        lon_span = maxx - minx
        ax.set_xlim(minx - 0.02 * lon_span, maxx + 0.02 * lon_span)
        ax.set_ylim(miny - 0.01 * (maxy - miny), maxy + 0.01 * (maxy - miny))
        ax.set_aspect(1.0 / math.cos(math.radians(mean_lat)))
        stale = True  # the layout must be drawn before a label is measured, and again after an outside label
        for rocu_id, geom in areas.items():
            text = str(labels.get(rocu_id, rocu_id))
            x, y = _label_point(geom)
            is_focus = highlight is not None and rocu_id == str(highlight)
            outside = rocu_id in label_positions or geom.area / total_area < _OUTSIDE_SHARE
            if not outside:
                # Measure the label and slide it to where it sits wholly inside its area.
                probe = ax.text(
                    x, y, text, ha="center", va="center", fontsize=9.5, fontweight="bold" if is_focus else "normal"
                )
                if stale:
                    fig.draw_without_rendering()
                    stale = False
                bb = probe.get_window_extent().transformed(ax.transData.inverted())
                probe.remove()
                x, y = _fit_label(geom, (x, y), bb.width * 1.08, bb.height * 1.15)
            if outside:
                stale = True  # a label beside the map can move the constrained layout
                tx, ty = label_positions.get(rocu_id, (maxx + 0.04 * lon_span, y))
                ax.annotate(
                    text,
                    xy=(x, y),
                    xytext=(tx, ty),
                    textcoords="data",
                    ha="left",
                    va="center",
                    fontsize=9.5,
                    fontweight="bold" if is_focus else "normal",
                    color=palette.TEXT,
                    arrowprops=dict(arrowstyle="-", color=_BORDER, lw=0.8, shrinkA=2, shrinkB=0),
                    zorder=5,
                    gid=f"label:{rocu_id}",
                    annotation_clip=False,
                )
            else:
                colour, halo = (palette.WHITE, FOCUS) if is_focus else (palette.TEXT, palette.WHITE)
                ax.text(
                    x,
                    y,
                    text,
                    ha="center",
                    va="center",
                    fontsize=9.5,
                    color=colour,
                    fontweight="bold" if is_focus else "normal",
                    zorder=5,
                    gid=f"label:{rocu_id}",
                    path_effects=[pe.withStroke(linewidth=2.5, foreground=halo)],
                )
    return _result(fig, ax, given_ax)
