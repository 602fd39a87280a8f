"""Every chart function in one namespace (compatibility module).

The charts live in modules by kind; this module re-exports them, and the shared
helpers the chart modules of other figures import, so ``from .charts import ...``
keeps working:

* :mod:`~rocu_compare.figures.bars` - :func:`ski_slope`, :func:`stability_bars`;
* :mod:`~rocu_compare.figures.matrices` - :func:`distance_heatmap`,
  :func:`presence_matrix`, :func:`membership_mismatch`, :func:`completeness_grid`;
* :mod:`~rocu_compare.figures.scatter` - :func:`mds_map`, :func:`grade_scatter`;
* :mod:`~rocu_compare.figures.tables` - :func:`peers_table`;
* :mod:`~rocu_compare.figures.timelines` - :func:`timeline_chart`, :func:`funding_series`;
* :mod:`~rocu_compare.figures.label_placement` - direct labels nudged apart;
* :mod:`~rocu_compare.figures.primitives` - new figures, results, names, gaps.

Every chart takes its data first, keyword options after, and ``ax=``. Given ``ax``
it draws there and returns that Axes; otherwise it returns a
:class:`~rocu_compare.figures.display.ChartDisplay` of a new figure, which a
notebook shows once (inline, also without ``%matplotlib inline``) and which passes
any other attribute to its Figure. No figure carries a title: titles, subtitles,
alt text and the source line go in the sidecar
(:class:`rocu_compare.figures.FigureMeta`). Gaps are shown as gaps.
"""

from __future__ import annotations

from .bars import _hbar, ski_slope, stability_bars  # noqa: F401
from .display import ChartDisplay, as_figure  # noqa: F401
from .label_placement import _candidate_offsets, _overlap, _place_labels, candidate_offsets, overlap_area, place_labels  # noqa: F401,E501
from .matrices import (  # noqa: F401
    _PRESENCE_LEGEND,
    _cell,
    _grid_axes,
    _legend_below,
    completeness_grid,
    distance_heatmap,
    membership_mismatch,
    presence_matrix,
)
from .palette import FOCUS, FOCUS_GREY, MISSING, SEQUENTIAL  # noqa: F401
from .primitives import (  # noqa: F401
    _GRID_GREY,
    _LIGHT_BLUE,
    _MARKERS,
    _ORANGE,
    _TEXT_GREY,
    GOWER_LABEL,
    _as_float,
    _fig_ax,
    _fit_xlim_to_texts,
    _formatter,
    _humanise,
    _missing_slot,
    _namer,
    _ordinal,
    _renderer,
    _result,
    _row_major,
    _text_anchor_data_x,
    _text_on,
    _ThousandsFormatter,
    _wrap,
    sequential_cmap,
)
from .scatter import grade_scatter, mds_map  # noqa: F401
from .style import house_style  # noqa: F401
from .tables import peers_table  # noqa: F401
from .timelines import _decimal_year, _financial_year_start, _fy_label, _period, funding_series, timeline_chart  # noqa: F401,E501

__all__ = [
    "GOWER_LABEL",
    "completeness_grid",
    "distance_heatmap",
    "funding_series",
    "grade_scatter",
    "mds_map",
    "membership_mismatch",
    "peers_table",
    "presence_matrix",
    "sequential_cmap",
    "ski_slope",
    "stability_bars",
    "timeline_chart",
]
