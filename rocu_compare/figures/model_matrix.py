"""The operating-model matrix: ROCU × model attribute, with evidence strength and dating.

Each cell shows the coded value and, underneath, the strength of the evidence and
whether its source is dated. A cell with no evidence is drawn as a gap (white, dashed
outline, light hatch) and labelled "not found", never "no"; a cell whose evidence
conflicts is labelled "conflicting".
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.patches import Patch, Rectangle

from . import palette
from .palette import MISSING, SEQUENTIAL, TEXT, TEXT_LIGHT
from .style import house_style

__all__ = ["CELL_TEXT", "cell_label", "model_matrix"]

#: Words used in the cells (tests and captions read them from here).
CELL_TEXT = {"gap": "not found", "conflict": "conflicting"}

_STATED = SEQUENTIAL[2]  # light blue
_WEAKER = palette.WARN  # orange: indicated or implied evidence
_CONFLICT = palette.FOCUS_GREY
_RANK_SHORT = {
    "Superintendent": "Supt",
    "Detective Superintendent": "Det Supt",
    "Detective Chief Superintendent": "DCS",
    "Assistant Chief Constable": "ACC",
    "Deputy Chief Constable": "DCC",
    "Chief Constable": "CC",
}


def cell_label(value, attribute: str = "", wrap: int = 15) -> str:
    """The text of a cell's value (ranks abbreviated, counts as whole numbers, long text wrapped).

    >>> cell_label("Deputy Chief Constable", "senior_lead_rank"), cell_label(4.0, "catalogue_units_n")
    ('DCC', '4')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return CELL_TEXT["gap"]
    if attribute == "senior_lead_rank":
        return _RANK_SHORT.get(str(value), str(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return textwrap.fill(str(value), wrap)


def _evidence_line(strength, dated, as_of) -> str:
    when = {
        "dated": (
            str(as_of)[:4] if isinstance(as_of, str) and len(str(as_of)) >= 4 and " to " not in str(as_of) else "dated"
        ),
        "undated": "undated",
        "mixed": "some undated",
    }.get(str(dated), str(dated))
    return f"{strength} · {when}"


def model_matrix(
    codes: pd.DataFrame,
    *,
    rocus: Sequence[str],
    attributes: Mapping[str, str] | None = None,
    labels: Mapping | None = None,
    ax=None,
):
    """Draw the operating-model matrix.

    Parameters
    ----------
    codes : DataFrame
        Long form as returned by :func:`rocu_compare.operating_model.model_codes`
        (``rocu_id``, ``attribute``, ``value``, ``evidence_strength``, ``dated``,
        ``as_of``); a ROCU and attribute with no row is a gap. May be empty.
    rocus : sequence of str
        Row order (every ROCU to show, including those with no evidence).
    attributes : mapping, optional
        Attribute → column label, in column order (default
        :data:`~rocu_compare.operating_model.MODEL_ATTRIBUTES`).
    labels : mapping, optional
        Display name per ROCU.
    ax : Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if attributes is None:
        from ..operating_model import MODEL_ATTRIBUTES

        attributes = MODEL_ATTRIBUTES
    attrs = list(attributes)
    labels = dict(labels or {})
    cells = {(str(r.rocu_id), str(r.attribute)): r for r in codes.itertuples(index=False)}
    nr, nc = len(rocus), len(attrs)
    w, h = 1.0, 0.62  # cell width and height in data units (columns are wider than rows are tall)
    with house_style():
        if ax is None:
            from matplotlib.figure import Figure

            fig = Figure(figsize=(1.2 * nc + 1.4, 0.62 * nr + 2.4), layout="constrained")
            ax = fig.add_subplot()
        fig = ax.figure
        ax.set_xlim(-0.5 * w, (nc - 0.5) * w)
        ax.set_ylim((nr - 0.5) * h, -0.5 * h)
        ax.grid(False)
        for s in ax.spines.values():
            s.set_visible(False)
        ax.xaxis.tick_top()
        ax.set_xticks(
            [c * w for c in range(nc)], [textwrap.fill(str(attributes[a]), 13) for a in attrs], fontsize=8, va="bottom"
        )
        ax.set_yticks([r * h for r in range(nr)], [str(labels.get(u, u)) for u in rocus], fontsize=9)
        ax.tick_params(length=0)
        for i, u in enumerate(rocus):
            for j, a in enumerate(attrs):
                x, y = j * w, i * h
                box = dict(xy=(x - 0.47 * w, y - 0.45 * h), width=0.94 * w, height=0.9 * h, linewidth=0.8)
                r = cells.get((str(u), a))
                if r is None:
                    ax.add_patch(
                        Rectangle(
                            **box,
                            facecolor=MISSING["facecolor"],
                            edgecolor=MISSING["edgecolor"],
                            linestyle=MISSING["linestyle"],
                            hatch=MISSING["hatch"],
                            gid="cell-gap",
                        )
                    )
                    ax.text(
                        x,
                        y,
                        CELL_TEXT["gap"],
                        ha="center",
                        va="center",
                        fontsize=7,
                        fontstyle="italic",
                        color=TEXT_LIGHT,
                        gid="cell-gap-text",
                        bbox=dict(facecolor="white", edgecolor="none", pad=0.8),
                    )
                    continue
                value = r.value
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    ax.add_patch(Rectangle(**box, facecolor=_CONFLICT, edgecolor=_CONFLICT, gid="cell-conflict"))
                    main, gid = CELL_TEXT["conflict"], "cell-conflict-text"
                else:
                    face = _STATED if str(r.evidence_strength) == "stated" else _WEAKER
                    alpha = 1.0 if str(r.dated) == "dated" else 0.45
                    ax.add_patch(
                        Rectangle(
                            **box,
                            facecolor=face,
                            edgecolor=face,
                            alpha=alpha,
                            gid=f"cell-{r.evidence_strength}-{r.dated}",
                        )
                    )
                    main, gid = cell_label(value, a), "cell-value-text"
                n_lines = main.count("\n") + 1
                ax.text(
                    x,
                    y - 0.07 * h,
                    main,
                    ha="center",
                    va="center",
                    color=TEXT,
                    fontsize=8.5 if n_lines == 1 and len(main) <= 10 else 6.5,
                    gid=gid,
                )
                ax.text(
                    x,
                    y + 0.3 * h,
                    _evidence_line(r.evidence_strength, r.dated, r.as_of),
                    ha="center",
                    va="center",
                    color=TEXT_LIGHT,
                    fontsize=5.5,
                    gid="cell-evidence-text",
                )
        handles = [
            Patch(facecolor=_STATED, edgecolor=_STATED, label="stated evidence, dated source (year shown)"),
            Patch(facecolor=_STATED, edgecolor=_STATED, alpha=0.45, label="stated evidence, undated source"),
            Patch(facecolor=_WEAKER, edgecolor=_WEAKER, alpha=0.7, label="indicated or implied evidence"),
            Patch(facecolor=_CONFLICT, edgecolor=_CONFLICT, label="conflicting evidence (no value)"),
            Patch(
                facecolor=MISSING["facecolor"],
                edgecolor=MISSING["edgecolor"],
                hatch=MISSING["hatch"],
                linestyle=MISSING["linestyle"],
                label="not found: no evidence in the sources (not 'no')",
            ),
        ]
        if "senior_lead_rank" in attrs:
            handles.append(
                Patch(
                    visible=False,
                    label="ranks: Supt < Det Supt < DCS (Detective Chief Superintendent)"
                    "\n< ACC < DCC < CC (Assistant / Deputy / Chief Constable)",
                )
            )
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0, -0.01),
            ncol=2,
            frameon=False,
            fontsize=7.5,
            handlelength=1.4,
            handleheight=1.1,
            borderaxespad=0,
            columnspacing=1.6,
        )
    return fig
