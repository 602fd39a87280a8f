"""Piecemeal development of the ROCUs: timeline, misalignment, funding, maturity, divergence.

Analyses of how the ten ROCUs counted by HMIC in 2015 grew up piecemeal — founded
between 2001 and 2014 (three founding years unpublished), on regions that do not match
the police regions everywhere, with national funding published only in scattered years.
Every function takes the :class:`~rocu_compare.dataset.Dataset` first (except the pure
statistics :func:`spearman_exact`, :func:`divergence_by_year`, :func:`real_terms` and
:func:`whole_months_between`), computes all derived numbers from the data, keeps
missing values missing, and returns DataFrames or small result objects holding
DataFrames. Nothing is printed, plotted or written.

* :mod:`.timeline` - :func:`timeline`, :func:`undated_capability_evidence`,
  :func:`founding_ranges`, :func:`development_spread`, :func:`founding_year_span`
* :mod:`.misalignment` - :func:`region_home_rocus`, :func:`misaligned_forces`,
  :func:`misalignment_summary`, :func:`london_arrangement_note`
* :mod:`.funding` - :func:`national_funding_series`, :func:`funding_shares`,
  :func:`real_terms`, :func:`parse_period`
* :mod:`.maturity` - :func:`maturity_vs_grade`, :func:`spearman_exact`
* :mod:`.divergence` - :func:`divergence_by_year`, :func:`divergence_status`,
  :func:`capabilities_delivered_counts`
* :mod:`.structure_change` - :func:`structure_2015_vs_latest`, :func:`latest_data_date`
* :mod:`.recommendations` - :func:`recommendation_followthrough`,
  :func:`recommendation_coverage`, :func:`whole_months_between`
"""

from .divergence import (
    DivergenceStatus,
    capabilities_delivered_counts,
    delivered_counts_at,
    divergence_by_year,
    divergence_status,
    status_order,
)
from .funding import (
    ROCU_FUNDING_MEASURES,
    NoDeflatorError,
    funding_shares,
    national_funding_series,
    parse_period,
    real_terms,
)
from .maturity import MaturityResult, SpearmanResult, grade_order, maturity_vs_grade, spearman_exact
from .misalignment import (
    london_arrangement_note,
    misaligned_forces,
    misalignment_summary,
    no_formal_rocu_ids,
    region_home_rocus,
)
from .recommendations import (
    ABSENCE_NOTE,
    recommendation_coverage,
    recommendation_deadline,
    recommendation_followthrough,
    whole_months_between,
)
from .structure_change import StructureChange, latest_data_date, structure_2015_vs_latest
from .timeline import (
    FOUNDED_USED_RULE,
    TIMELINE_KINDS,
    development_spread,
    founding_ranges,
    founding_year_span,
    timeline,
    undated_capability_evidence,
)

__all__ = [
    "ABSENCE_NOTE",
    "FOUNDED_USED_RULE",
    "ROCU_FUNDING_MEASURES",
    "TIMELINE_KINDS",
    "DivergenceStatus",
    "MaturityResult",
    "NoDeflatorError",
    "SpearmanResult",
    "StructureChange",
    "capabilities_delivered_counts",
    "delivered_counts_at",
    "development_spread",
    "divergence_by_year",
    "divergence_status",
    "founding_ranges",
    "founding_year_span",
    "funding_shares",
    "grade_order",
    "latest_data_date",
    "london_arrangement_note",
    "maturity_vs_grade",
    "no_formal_rocu_ids",
    "misaligned_forces",
    "misalignment_summary",
    "national_funding_series",
    "parse_period",
    "real_terms",
    "recommendation_coverage",
    "recommendation_deadline",
    "recommendation_followthrough",
    "region_home_rocus",
    "spearman_exact",
    "status_order",
    "structure_2015_vs_latest",
    "timeline",
    "undated_capability_evidence",
    "whole_months_between",
]
