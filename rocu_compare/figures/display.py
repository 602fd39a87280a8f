"""What a chart function returns when it draws its own figure: a small display object.

After scikit-learn's ``*Display`` objects: :class:`ChartDisplay` holds the new
figure (``.figure_``) and its main axes (``.ax_``), and shows itself in a notebook
as a PNG (``_repr_png_``), so a chart appears inline in a fresh kernel, without
``%matplotlib inline``, and appears once. The figure is a plain
:class:`matplotlib.figure.Figure`, never registered with pyplot, so the inline
backend does not show it a second time.

Any other attribute is the figure's: ``disp.savefig(...)``, ``disp.axes``,
``disp.texts`` work as on the Figure, so code written when the charts returned a
Figure keeps working. Functions that take a figure
(:func:`~rocu_compare.figures.save_figure`, :func:`~rocu_compare.figures.add_title`,
...) accept either; :func:`as_figure` turns either into the Figure.

Examples
--------
>>> import pandas as pd
>>> from rocu_compare.figures import ski_slope
>>> disp = ski_slope(pd.Series({"a": 2.0, "b": 1.0}))
>>> disp
<ChartDisplay: 1 axes, 8.0 x 2.3 in>
>>> disp.ax_ is disp.figure_.axes[0] and disp.axes == disp.figure_.axes
True
>>> disp._repr_png_()[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import base64
import html
import io
import sys

__all__ = ["ChartDisplay", "as_figure"]

#: Resolution of the inline PNG (the report's files are written at 200 dpi).
NOTEBOOK_DPI = 110


def as_figure(obj):
    """The :class:`~matplotlib.figure.Figure` of a :class:`ChartDisplay`, or ``obj`` itself.

    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> as_figure(fig) is fig and as_figure(ChartDisplay(fig)) is fig
    True
    """
    return getattr(obj, "figure_", obj)


def _forget_in_pyplot(fig) -> None:
    """Drop ``fig`` from pyplot's figure registry if it is there (so it is shown once)."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:  # pyplot loaded: close ``fig`` there (a no-op for a figure pyplot never had)
        plt.close(fig)


class ChartDisplay:
    """A drawn chart: its figure, its main axes, and an inline PNG view.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    ax : matplotlib.axes.Axes, optional
        The chart's main axes (default: the figure's first).
    alt_text : str, optional
        Text alternative; when set, the notebook view is an HTML ``<img>`` carrying it
        as its ``alt`` attribute.

    Attributes
    ----------
    figure_ : matplotlib.figure.Figure
    ax_ : matplotlib.axes.Axes
    alt_text : str or None
    """

    __slots__ = ("figure_", "ax_", "alt_text")

    def __init__(self, figure, ax=None, *, alt_text: str | None = None):
        self.figure_ = figure
        self.ax_ = ax if ax is not None else (figure.axes[0] if figure.axes else None)
        self.alt_text = alt_text
        _forget_in_pyplot(figure)

    def __getattr__(self, name):
        # Only called for names the display itself does not have: the figure's.
        # Notebook display hooks are the display's own, never the figure's.
        if name in ChartDisplay.__slots__ or name.startswith(("__", "_repr_", "_ipython_")):
            raise AttributeError(name)
        return getattr(self.figure_, name)

    def __repr__(self) -> str:
        w, h = self.figure_.get_size_inches()
        return f"<ChartDisplay: {len(self.figure_.axes)} axes, {w:.1f} x {h:.1f} in>"

    def to_png(self, dpi: float = NOTEBOOK_DPI) -> bytes:
        """The chart as PNG bytes (no software metadata, so the same chart gives the same bytes)."""
        buf = io.BytesIO()
        self.figure_.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        return buf.getvalue()

    def mimebundle(self) -> dict:
        """The chart as a notebook display bundle: ``image/png`` (base64), and ``text/html``
        (an ``<img>`` carrying :attr:`alt_text`) when there is alt text.

        For ``IPython.display.display(bundle, raw=True)``; the PNG is encoded once.
        """
        return png_bundle(self.to_png(), self.alt_text)

    def _repr_png_(self) -> bytes:
        return self.to_png()

    def _repr_html_(self) -> str | None:
        if not self.alt_text:
            return None  # the notebook falls back to the PNG
        return _img_tag(base64.b64encode(self.to_png()).decode("ascii"), self.alt_text)


def png_bundle(png: bytes, alt_text: str | None = None, width: int | None = None) -> dict:
    """A PNG as a notebook display bundle: ``image/png`` (base64), and ``text/html`` (an
    ``<img>`` carrying ``alt_text``, shown ``width`` pixels wide if given) when there is alt text."""
    data = base64.b64encode(png).decode("ascii")
    bundle = {"image/png": data}
    if alt_text:
        bundle["text/html"] = _img_tag(data, alt_text, width)
    return bundle


def _img_tag(png_base64: str, alt_text: str, width: int | None = None) -> str:
    size = f' width="{width}"' if width else ""
    return f'<img src="data:image/png;base64,{png_base64}"{size} alt="{html.escape(alt_text, quote=True)}">'
