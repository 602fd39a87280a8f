"""The house colours, as data.

After the Analysis Function's accessible palette (afcharts). Six categorical colours
is the ceiling: beyond that the colours stop being distinguishable, so
:func:`categorical` refuses more and points the caller to direct labels or a
focus colour instead.

Examples
--------
>>> from rocu_compare.figures import palette
>>> palette.categorical(2)
('#12436D', '#28A197')
>>> palette.FOCUS, palette.FOCUS_GREY
('#12436D', '#BFBFBF')
"""

from __future__ import annotations

__all__ = [
    "TABLE_RULE",
    "AREA_FILL",
    "CATEGORICAL",
    "DUO",
    "EDGE_DARK",
    "EMPTY_EDGE",
    "FAINT_EDGE",
    "FOCUS",
    "FOCUS_GREY",
    "GRID",
    "IMAGE_RULE",
    "MISSING",
    "OUTLINE",
    "PAGE_TEXT",
    "SEQUENTIAL",
    "SEQUENTIAL_PALE",
    "TEXT",
    "TEXT_LIGHT",
    "WARN",
    "WHITE",
    "categorical",
]

#: Accessible categorical palette, in its fixed order: dark blue, turquoise, dark
#: pink, orange, dark grey, light purple.
CATEGORICAL: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")

#: Two series: dark blue and orange.
DUO: tuple[str, str] = ("#12436D", "#F46A25")

#: Sequential blues, darkest first.
SEQUENTIAL: tuple[str, str, str] = ("#12436D", "#2073BC", "#6BACE6")

#: The unit in focus ...
FOCUS: str = "#12436D"
#: ... against everything else.
FOCUS_GREY: str = "#BFBFBF"

#: Text colours: body text and secondary annotations.
TEXT: str = "#000000"
TEXT_LIGHT: str = "#3D3D3D"
WHITE: str = "#FFFFFF"
#: Near-black of the HTML report's body text and of the protective marking (GOV.UK text colour).
PAGE_TEXT: str = "#0B0C0C"

#: Hairline border round the images of the HTML report.
IMAGE_RULE: str = "#EEEEEE"

#: Very pale blue: the light end of the continuous sequential colour map.
SEQUENTIAL_PALE: str = "#EAF3FB"

#: Light grey of gridlines, zero lines, table rules and empty-cell outlines.
GRID: str = "#D9D9D9"
#: Mid grey of leader lines, error bars and the outlines of grey markers.
OUTLINE: str = "#8C8C8C"
#: Mid grey of the inner rules of a table.
TABLE_RULE: str = "#9A9A9A"
#: Outline of the "no evidence" legend swatch (an empty cell).
EMPTY_EDGE: str = "#A6A6A6"
#: Barely-there outline of an empty cell in a count grid.
FAINT_EDGE: str = "#EDEDED"
#: Black outline that sets a warning cell apart by more than its hue.
EDGE_DARK: str = "#000000"
#: Orange (the categorical palette's fourth colour) for cells that need attention.
WARN: str = CATEGORICAL[3]

#: Fill of every map area that is not highlighted (light grey-blue).
AREA_FILL: str = "#DCE3EA"

#: How a missing value is drawn: an empty slot with a dashed grey outline (and a
#: light hatch where an area must be filled, e.g. a heatmap cell), labelled in words.
#: A gap is never drawn as a zero.
MISSING: dict[str, object] = {
    "edgecolor": "#8C8C8C",
    "facecolor": "#FFFFFF",
    "fill_grey": "#F2F2F2",
    "hatch": "///",
    "linestyle": (0, (3, 2)),
    "linewidth": 0.9,
    "label": "not published",
    "text_color": "#3D3D3D",
}


def categorical(n: int) -> tuple[str, ...]:
    """The first ``n`` colours of the categorical palette.

    Parameters
    ----------
    n : int
        How many colours, 0 to 6.

    Returns
    -------
    tuple of str
        Hex colours in the palette's fixed order.

    Raises
    ------
    ValueError
        If ``n`` is negative or more than six: more colours than that cannot be told
        apart reliably.

    Examples
    --------
    >>> categorical(3)
    ('#12436D', '#28A197', '#801650')
    >>> categorical(7)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: 7 categorical colours requested but the accessible palette has 6; ...
    """
    n = int(n)
    if n < 0:
        raise ValueError(f"cannot give {n} colours")
    if n > len(CATEGORICAL):
        raise ValueError(
            f"{n} categorical colours requested but the accessible palette has "
            f"{len(CATEGORICAL)}; label the units directly, or highlight one unit in "
            f"FOCUS against FOCUS_GREY, or split the chart (small multiples)"
        )
    return CATEGORICAL[:n]
