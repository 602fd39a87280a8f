"""Report-ready figures in the house style.

* :mod:`~rocu_compare.figures.palette` - the accessible colours, as data;
* :mod:`~rocu_compare.figures.style` - :func:`house_style`, :func:`save_figure`
  (byte-identical re-saves) and the :class:`FigureMeta` sidecar;
* :mod:`~rocu_compare.figures.charts` - generic chart primitives (ski slope, distance
  heatmap, MDS map, peers table, evidence and coverage grids, timeline, ...);
* :mod:`~rocu_compare.figures.maps` - the ROCU map of England and Wales.

Every chart function returns a :class:`matplotlib.figure.Figure` and writes no
files. Titles, subtitles, alt text and source lines go in the sidecar, not in the
image.

>>> from rocu_compare.figures import palette
>>> palette.categorical(2)
('#12436D', '#28A197')
"""
from . import palette
from .charts import (
    GOWER_LABEL,
    completeness_grid,
    distance_heatmap,
    funding_series,
    grade_scatter,
    mds_map,
    membership_mismatch,
    peers_table,
    presence_matrix,
    sequential_cmap,
    ski_slope,
    stability_bars,
    timeline_chart,
)
from .maps import rocu_map
from .style import STYLE_PATH, FigureMeta, add_marking, add_title, house_style, save_figure, write_sidecar

__all__ = [
    "GOWER_LABEL",
    "STYLE_PATH",
    "FigureMeta",
    "add_marking",
    "add_title",
    "completeness_grid",
    "distance_heatmap",
    "funding_series",
    "grade_scatter",
    "house_style",
    "mds_map",
    "membership_mismatch",
    "palette",
    "peers_table",
    "presence_matrix",
    "rocu_map",
    "save_figure",
    "sequential_cmap",
    "ski_slope",
    "stability_bars",
    "timeline_chart",
    "write_sidecar",
]
