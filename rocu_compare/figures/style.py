"""House style, reproducible saving and figure sidecars.

The style lives in ``rocu.mplstyle`` next to this module. It is applied in a context
manager, :func:`house_style`, so an analyst's own matplotlib settings are left as they
were. Titles, subtitles, alt text and the source line are kept *outside* the image,
in a JSON sidecar written by :func:`write_sidecar`; embedding a title is a deliberate
option (``embed_title=True`` in :func:`save_figure`).

Examples
--------
>>> import matplotlib as mpl
>>> before = dict(mpl.rcParams)
>>> with house_style():
...     mpl.rcParams["axes.spines.left"]
False
>>> dict(mpl.rcParams) == before
True
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import matplotlib as mpl

from . import palette

__all__ = [
    "STYLE_PATH",
    "FigureMeta",
    "add_title",
    "house_style",
    "save_figure",
    "write_sidecar",
]

#: The house style sheet, shipped as package data.
STYLE_PATH: Path = Path(__file__).with_name("rocu.mplstyle")

#: Formats :func:`save_figure` knows how to write reproducibly.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


@contextlib.contextmanager
def house_style(**overrides) -> Iterator[None]:
    """Apply the house style inside a ``with`` block.

    Uses :func:`matplotlib.rc_context`, so every rcParam is restored on leaving the
    block, also when the block raises.

    Parameters
    ----------
    **overrides
        rcParams to set on top of the house style; pass dotted names by
        unpacking a dict, e.g. ``house_style(**{"font.size": 12})``.

    Yields
    ------
    None

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with house_style(**{"font.size": 14}):
    ...     mpl.rcParams["font.size"]
    14.0
    """
    with mpl.rc_context(fname=str(STYLE_PATH)):
        if overrides:
            mpl.rcParams.update(overrides)
        yield


@dataclass(frozen=True)
class FigureMeta:
    """What goes beside a figure rather than in it.

    Attributes
    ----------
    key : str
        Short stable identifier, e.g. ``"ski_slope_officers_per_100k"``; also a good
        file name.
    title : str
        The headline: what the figure shows, in a sentence.
    subtitle : str
        Units, date and population covered.
    alt_text : str
        A description for screen readers: what is plotted and the main message.
    source_line : str
        "Source: ..." line for the report.
    notes : tuple of str
        Caveats to print beside the figure (timeliness, recording differences,
        rounding, estimates).
    marking : str
        Protective marking of the data behind the figure (``OFFICIAL-SENSITIVE`` ...);
        blank when all of it is public. Also drawn on the image (:func:`add_marking`).
    """

    key: str
    title: str = ""
    subtitle: str = ""
    alt_text: str = ""
    source_line: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    marking: str = ""

    def __post_init__(self):
        if not str(self.key).strip():
            raise ValueError("FigureMeta.key must be a non-empty string")
        if isinstance(self.notes, str):
            object.__setattr__(self, "notes", (self.notes,) if self.notes else ())
        else:
            object.__setattr__(self, "notes", tuple(str(n) for n in self.notes))

    def to_dict(self) -> dict:
        """The fields as a plain dict (``notes`` as a list)."""
        d = asdict(self)
        d["notes"] = list(self.notes)
        return d


def write_sidecar(meta: FigureMeta, path) -> Path:
    """Write a figure's metadata as JSON next to the figure.

    Keys are sorted and no timestamp is written, so re-running with the same
    metadata writes the same bytes.

    Parameters
    ----------
    meta : FigureMeta
    path : str or Path
        The sidecar path; ``.json`` is appended if it has another suffix or none.

    Returns
    -------
    Path
        The file written.
    """
    p = Path(path)
    if p.suffix.lower() != ".json":
        p = Path(str(p) + ".json")
    p.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(meta.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    p.write_text(text, encoding="utf-8")
    return p


def add_title(fig, title: str, subtitle: str = "") -> None:
    """Draw a left-aligned title (and subtitle) above all axes of ``fig``.

    House figures carry no title by default; use this, or ``embed_title=True`` in
    :func:`save_figure`, when a figure must stand alone (a slide, a tweet).
    """
    from matplotlib.transforms import offset_copy

    fig = getattr(fig, "figure_", fig)  # a ChartDisplay draws on its Figure
    axes = [a for a in fig.axes if a.get_visible()]
    if not axes:
        return
    x0 = min(a.get_position().x0 for a in axes)
    y1 = max(a.get_position().y1 for a in axes)
    with house_style():
        size = mpl.rcParams["axes.titlesize"]
        base = offset_copy(fig.transFigure, fig=fig, x=0, y=28 if subtitle else 14, units="points")
        fig.text(
            x0,
            y1,
            title,
            transform=base,
            ha="left",
            va="bottom",
            fontsize=size,
            fontweight="bold",
            gid="embedded-title",
        )
        if subtitle:
            sub = offset_copy(fig.transFigure, fig=fig, x=0, y=10, units="points")
            fig.text(
                x0,
                y1,
                subtitle,
                transform=sub,
                ha="left",
                va="bottom",
                fontsize=mpl.rcParams["font.size"],
                color=palette.TEXT_LIGHT,
                gid="embedded-subtitle",
            )


def add_marking(fig, marking: str | None) -> None:
    """Draw a protective marking in small bold text at the top centre of ``fig``.

    It sits above everything else on the image, so it survives the figure being pasted
    into slides or documents without its sidecar. A blank marking draws nothing; calling
    twice draws it once.
    """
    fig = getattr(fig, "figure_", fig)  # a ChartDisplay draws on its Figure
    if not marking or any(t.get_gid() == "protective-marking" for t in fig.texts):
        return
    from matplotlib.transforms import offset_copy

    with house_style():
        _freeze_layout(fig)  # place it against the final layout
        box = fig.get_tightbbox()  # what the saved image will hold, in inches
        w, h = fig.get_size_inches()
        x, y = (box.x0 + box.x1) / 2 / w, box.y1 / h
        pos = offset_copy(fig.transFigure, fig=fig, x=0, y=6, units="points")
        fig.text(
            x,
            y,
            marking,
            transform=pos,
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
            color=palette.PAGE_TEXT,
            gid="protective-marking",
        )


def _strip_suffix(path: Path) -> Path:
    if path.suffix.lower().lstrip(".") in _METADATA:
        return path.with_suffix("")
    return path


def _freeze_layout(fig) -> None:
    """Run the figure's layout engine once more, then fix the positions.

    Constrained layout is not exactly idempotent: each draw starts from the previous
    positions, so a PNG saved after an SVG can differ in the last bits from one saved
    after a PNG. Fixing the layout makes every later save of the figure repeat the
    same bytes.
    """
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    if engine is None or isinstance(engine, PlaceHolderLayoutEngine):
        return
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


def _tight_bbox(fig, dpi: int):
    """The area every format of a save crops to: measured once, at the raster resolution.

    What ``savefig.bbox: tight`` would measure for the PNG (so the PNG is the same, pixel for
    pixel), used for the SVG and PDF too, instead of a layout pass and a measurement per
    format. ``None`` unless the style asks for tight cropping.
    """
    from matplotlib import cbook

    if mpl.rcParams["savefig.bbox"] != "tight":
        return None
    with cbook._setattr_cm(fig, dpi=dpi):
        extent = fig.get_tightbbox(fig._get_renderer())
    return extent.padded(mpl.rcParams["savefig.pad_inches"])


@contextlib.contextmanager
def _layout_done(fig):
    """Save without matplotlib's layout pass: the layout is already fixed (:func:`_freeze_layout`).

    ``savefig`` runs a full draw before it prints whenever the figure has a layout engine, even
    the placeholder left by ``set_layout_engine("none")``; with the crop already measured that
    draw has nothing to do. The engine is put back afterwards.
    """
    engine = fig.get_layout_engine()
    fig._layout_engine = None
    try:
        yield
    finally:
        fig._layout_engine = engine


def save_figure(
    fig,
    path,
    formats: Sequence[str] = ("png", "svg"),
    dpi: int = 200,
    *,
    meta: FigureMeta | None = None,
    embed_title: bool = False,
) -> list[Path]:
    """Save ``fig`` reproducibly in one or more formats.

    Saving the same figure twice writes byte-identical files: PNG without the
    ``Software`` text chunk, SVG without a date and with the fixed ``svg.hashsalt``
    of the house style.

    Parameters
    ----------
    fig : matplotlib.figure.Figure or ChartDisplay
    path : str or Path
        Output path without suffix (a ``.png``/``.svg``/``.pdf`` suffix is dropped);
        one file per format is written as ``path.<format>``.
    formats : sequence of str
        Any of ``"png"``, ``"svg"``, ``"pdf"``.
    dpi : int
        Resolution of raster output.
    meta : FigureMeta, optional
        When given, a sidecar ``path.json`` is written too.
    embed_title : bool
        Draw ``meta.title``/``meta.subtitle`` into the image. Off by default: titles
        belong in the report text and the sidecar.

    Returns
    -------
    list of Path
        The files written, images first, then the sidecar.

    Notes
    -----
    The first save fixes the figure's layout (``fig.set_layout_engine("none")``
    after a last constrained-layout pass), because constrained layout moves axes
    by tiny amounts on every draw; a fixed layout is what makes re-saves repeat the
    same bytes.

    Raises
    ------
    ValueError
        For an unknown format, or ``embed_title`` without ``meta``.
    """
    fig = getattr(fig, "figure_", fig)  # a ChartDisplay saves its Figure
    base = _strip_suffix(Path(path))
    unknown = [f for f in formats if f.lower() not in _METADATA]
    if unknown:
        raise ValueError(f"unknown figure format(s) {unknown}; use any of {sorted(_METADATA)}")
    if embed_title:
        if meta is None:
            raise ValueError("embed_title=True needs meta (the title to embed)")
        if not any(t.get_gid() == "embedded-title" for t in fig.texts):
            add_title(fig, meta.title, meta.subtitle)
    base.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with house_style():
        _freeze_layout(fig)
        bbox = _tight_bbox(fig, dpi)
        with _layout_done(fig):
            for fmt in formats:
                fmt = fmt.lower()
                out = Path(str(base) + "." + fmt)
                fig.savefig(out, format=fmt, dpi=dpi, metadata=dict(_METADATA[fmt]), bbox_inches=bbox)
                written.append(out)
    if meta is not None:
        written.append(write_sidecar(meta, Path(str(base) + ".json")))
    return written
