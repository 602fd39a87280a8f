"""Report-ready figures in the house style.

* :mod:`~rocu_compare.figures.palette` - the accessible colours, as data;
* :mod:`~rocu_compare.figures.style` - :func:`house_style`, :func:`save_figure`
  (byte-identical re-saves) and the :class:`FigureMeta` sidecar;
* the charts, by kind: :mod:`~rocu_compare.figures.bars` (ski slope, stability
  bars), :mod:`~rocu_compare.figures.matrices` (distance heatmap, evidence, membership
  and coverage grids), :mod:`~rocu_compare.figures.scatter` (MDS map, grades),
  :mod:`~rocu_compare.figures.tables` (peers), :mod:`~rocu_compare.figures.timelines`
  (timeline, funding), all re-exported by :mod:`~rocu_compare.figures.charts`;
* :mod:`~rocu_compare.figures.label_placement` - direct point labels nudged apart;
* :mod:`~rocu_compare.figures.maps` - the ROCU map of England and Wales;
* :mod:`~rocu_compare.figures.display` - :class:`ChartDisplay`, what a chart returns.

Every chart function takes its data first (the library's own results, or frames
with the columns it names), keyword options after, and ``ax=``. Given ``ax`` it
draws there and returns that Axes, like pandas and seaborn; otherwise it returns a
:class:`ChartDisplay` (``.figure_``, ``.ax_``) that shows itself once in a notebook
and passes any other attribute to its Figure. Units are labelled with their display
names (:data:`rocu_compare.labels.ROCU_LABELS`) unless ``labels=`` says otherwise.
No chart writes files. Titles, subtitles, alt text and source lines go in the
sidecar, not in the image.

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
from .display import ChartDisplay, as_figure
from .maps import rocu_map
from .style import STYLE_PATH, FigureMeta, add_marking, add_title, house_style, save_figure, write_sidecar

__all__ = [
    "GOWER_LABEL",
    "ChartDisplay",
    "STYLE_PATH",
    "FigureMeta",
    "add_marking",
    "add_title",
    "as_figure",
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
