"""Generic, data-agnostic comparison engine.

Pure functions on :class:`pandas.DataFrame` objects (units in rows,
attributes in columns); no file I/O. scipy is imported lazily inside the
functions that need it.

* :mod:`~rocu_compare.compare.distance` - Gower, Jaccard, Hamming and
  standardised Euclidean distances;
* :mod:`~rocu_compare.compare.structure` - clustering, classical MDS,
  nearest peers, spread;
* :mod:`~rocu_compare.compare.dispersion` - CV, Gini, max/min ratio with
  bootstrap intervals;
* :mod:`~rocu_compare.compare.robustness` - sensitivity of comparisons to
  the attribute weights.
"""

from .analysis import Comparison, compare_rocus
from .dispersion import dispersion, gini
from .distance import (
    KINDS,
    NoCommonAttributesWarning,
    column_groups,
    default_kinds,
    gower_distance,
    hamming_distance,
    jaccard_distance,
    standardised_euclidean,
)
from .group_effect import GroupEffect, group_effect
from .profiles import Profiles, profiles
from .robustness import RobustnessResult, adjusted_rand_index, robustness
from .structure import (
    ClusterResult,
    MDSResult,
    classical_mds,
    cluster,
    nearest_peers,
    spread_summary,
)

__all__ = [
    "KINDS",
    "ClusterResult",
    "MDSResult",
    "NoCommonAttributesWarning",
    "RobustnessResult",
    "adjusted_rand_index",
    "classical_mds",
    "cluster",
    "column_groups",
    "default_kinds",
    "dispersion",
    "gini",
    "gower_distance",
    "hamming_distance",
    "jaccard_distance",
    "nearest_peers",
    "robustness",
    "spread_summary",
    "standardised_euclidean",
    "Comparison",
    "GroupEffect",
    "group_effect",
    "Profiles",
    "compare_rocus",
    "profiles",
]
