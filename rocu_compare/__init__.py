"""rocu-compare: compare the Regional Organised Crime Units of England and Wales.

>>> import rocu_compare
>>> ds = rocu_compare.load()             # the bundled public data
>>> ds.membership_at("2015-06-30").shape
(43, 2)

Heavy dependencies (matplotlib, scipy) are imported only when a function needs them.
"""

from . import labels
from .dataset import Dataset, load, load_from_env
from .errors import NotApplicable, Problem, RocuDataError

__all__ = ["Dataset", "NotApplicable", "Problem", "RocuDataError", "labels", "load", "load_from_env"]
__version__ = "0.1.0"
