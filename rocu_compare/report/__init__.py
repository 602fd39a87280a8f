"""The report: every figure (PNG, SVG, sidecar), an index page and the executed notebooks.

``rocu-compare report --out DIR [--data PATH]`` or ``make report``.
"""

from .catalog import FIGURES, ReportContext, build_context, keys_for, make_figure, show
from .run import run_report

__all__ = ["FIGURES", "ReportContext", "build_context", "keys_for", "make_figure", "run_report", "show"]
