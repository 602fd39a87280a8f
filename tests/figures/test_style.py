"""House style, palette, reproducible saving and sidecars."""

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rocu_compare.figures import palette  # noqa: E402
from rocu_compare.figures.style import (  # noqa: E402
    STYLE_PATH,
    FigureMeta,
    house_style,
    save_figure,
    write_sidecar,
)


def _small_figure():
    with house_style():
        fig = Figure(figsize=(4, 3), layout="constrained")
        ax = fig.add_subplot()
        ax.bar(["a", "b", "c"], [3, 1, 2])
        ax.plot([0, 1, 2], [1, 2, 1.5], label="line")
        ax.legend()
        ax.set_xlabel("unit")
    return fig


# -- style ---------------------------------------------------------------------------
def test_style_file_ships_with_the_package():
    assert STYLE_PATH.name == "rocu.mplstyle"
    assert STYLE_PATH.is_file()


def test_house_style_leaves_rcparams_unchanged():
    before = dict(mpl.rcParams)
    with house_style():
        assert mpl.rcParams["axes.spines.left"] is False
    assert dict(mpl.rcParams) == before


def test_house_style_restores_rcparams_after_an_exception():
    before = dict(mpl.rcParams)
    with pytest.raises(RuntimeError):
        with house_style():
            mpl.rcParams["font.size"] = 30
            raise RuntimeError("boom")
    assert dict(mpl.rcParams) == before


def test_house_style_settings():
    with house_style():
        rc = mpl.rcParams
        assert rc["font.family"] == ["sans-serif"]
        assert rc["font.sans-serif"][0] == "DejaVu Sans"
        assert rc["axes.titlelocation"] == "left"
        assert rc["axes.spines.bottom"] and not rc["axes.spines.left"]
        assert not rc["axes.spines.top"] and not rc["axes.spines.right"]
        assert rc["axes.grid"] and rc["axes.grid.axis"] == "y"
        assert rc["legend.frameon"] is False
        assert [c.upper() for c in rc["axes.prop_cycle"].by_key()["color"]] == list(palette.CATEGORICAL)
        assert rc["svg.hashsalt"] == "rocu-compare"
        assert rc["svg.fonttype"] in ("none", "path")
        assert rc["figure.dpi"] == 100 and rc["savefig.dpi"] == 200
        assert rc["font.size"] >= 10


def test_house_style_overrides():
    with house_style(**{"font.size": 14}):
        assert mpl.rcParams["font.size"] == 14


def test_dejavu_sans_is_found_without_downloads():
    from matplotlib import font_manager

    path = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    assert "DejaVu" in path


# -- palette -------------------------------------------------------------------------
def test_palette_values():
    assert palette.CATEGORICAL == ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
    assert palette.DUO == ("#12436D", "#F46A25")
    assert palette.SEQUENTIAL == ("#12436D", "#2073BC", "#6BACE6")
    assert palette.FOCUS == "#12436D" and palette.FOCUS_GREY == "#BFBFBF"
    assert {"edgecolor", "hatch", "label"} <= set(palette.MISSING)


def test_categorical_accessor():
    assert palette.categorical(0) == ()
    assert palette.categorical(3) == palette.CATEGORICAL[:3]
    assert palette.categorical(6) == palette.CATEGORICAL


def test_categorical_refuses_seven():
    with pytest.raises(ValueError, match="label the units directly"):
        palette.categorical(7)
    with pytest.raises(ValueError):
        palette.categorical(-1)


# -- saving --------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_two_saves_are_byte_identical(tmp_path, fmt):
    fig = _small_figure()
    a = save_figure(fig, tmp_path / "a", formats=(fmt,))
    b = save_figure(fig, tmp_path / "b", formats=(fmt,))
    assert a[0].read_bytes() == b[0].read_bytes()


def test_saves_stay_identical_across_formats(tmp_path):
    fig = _small_figure()
    first = save_figure(fig, tmp_path / "one", formats=("png", "svg"))
    second = save_figure(fig, tmp_path / "two", formats=("svg", "png"))
    by_suffix = {p.suffix: p.read_bytes() for p in second}
    for p in first:
        assert p.read_bytes() == by_suffix[p.suffix]


def test_saved_files_carry_no_software_or_date(tmp_path):
    fig = _small_figure()
    png, svg = save_figure(fig, tmp_path / "fig", formats=("png", "svg"))
    assert png.suffix == ".png" and svg.suffix == ".svg"
    assert b"Software" not in png.read_bytes()
    text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in text


def test_save_figure_strips_an_image_suffix(tmp_path):
    out = save_figure(_small_figure(), tmp_path / "fig.png", formats=("png",))
    assert [p.name for p in out] == ["fig.png"]


def test_save_figure_rejects_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="unknown figure format"):
        save_figure(_small_figure(), tmp_path / "x", formats=("gif",))


def test_save_figure_leaves_rcparams_unchanged(tmp_path):
    before = dict(mpl.rcParams)
    save_figure(_small_figure(), tmp_path / "x", formats=("png",))
    assert dict(mpl.rcParams) == before


# -- titles and sidecars -------------------------------------------------------------
def test_no_title_by_default(tmp_path):
    fig = _small_figure()
    meta = FigureMeta(key="k", title="A title", subtitle="sub", alt_text="alt", source_line="Source: x")
    out = save_figure(fig, tmp_path / "k", formats=("png",), meta=meta)
    assert [p.suffix for p in out] == [".png", ".json"]
    assert all(not ax.get_title() for ax in fig.axes)
    assert "A title" not in [t.get_text() for t in fig.texts]


def test_embed_title_is_a_deliberate_option(tmp_path):
    fig = _small_figure()
    meta = FigureMeta(key="k", title="A title", subtitle="The subtitle")
    save_figure(fig, tmp_path / "k", formats=("png",), meta=meta, embed_title=True)
    texts = [t.get_text() for t in fig.texts]
    assert "A title" in texts and "The subtitle" in texts
    with pytest.raises(ValueError):
        save_figure(fig, tmp_path / "k2", formats=("png",), embed_title=True)


def test_sidecar_is_sorted_and_repeatable(tmp_path):
    meta = FigureMeta(
        key="ski",
        title="T",
        subtitle="S",
        alt_text="A",
        source_line="Source: HO",
        notes=["rounded", "estimates flagged"],
    )
    p1 = write_sidecar(meta, tmp_path / "ski.json")
    first = p1.read_bytes()
    p2 = write_sidecar(meta, tmp_path / "ski")
    assert p2 == p1
    assert p1.read_bytes() == first
    data = json.loads(first)
    assert list(data) == sorted(data)
    assert data == {
        "alt_text": "A",
        "key": "ski",
        "marking": "",
        "notes": ["rounded", "estimates flagged"],
        "source_line": "Source: HO",
        "subtitle": "S",
        "title": "T",
    }


def test_figure_meta_validation():
    with pytest.raises(ValueError):
        FigureMeta(key=" ")
    assert FigureMeta(key="k", notes="one caveat").notes == ("one caveat",)
