"""The label-placement engine, on hand-made cases."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from rocu_compare.figures.label_placement import candidate_offsets, overlap_area, place_labels  # noqa: E402


def _axes(xlim=(0, 10), ylim=(0, 10), size=(4, 4)):
    fig = Figure(figsize=size, dpi=100)
    ax = fig.add_axes([0.1, 0.1, 0.8, 0.8])
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return fig, ax


def _boxes(fig, anns):
    fig.draw_without_rendering()
    r = fig._get_renderer()
    return [a.get_window_extent(r) for a in anns]


def test_overlap_area_by_hand():
    assert overlap_area(Bbox.from_extents(0, 0, 2, 2), Bbox.from_extents(1, 1, 3, 3)) == 1.0
    assert overlap_area(Bbox.from_extents(0, 0, 4, 1), Bbox.from_extents(1, -1, 2, 3)) == 1.0  # a cross
    assert overlap_area(Bbox.from_extents(0, 0, 1, 1), Bbox.from_extents(1, 0, 2, 1)) == 0.0  # touching
    assert overlap_area(Bbox.from_extents(0, 0, 1, 1), Bbox.from_extents(5, 5, 6, 6)) == 0.0


def test_candidates_run_near_to_far_and_prefer_a_side():
    c = candidate_offsets(6)
    assert c[0] == (6, 0, "left", "center", False)  # right of the point first
    assert [far for *_x, far in c[:8]] == [False] * 8 and all(far for *_x, far in c[8:])
    assert max(abs(dx) for dx, *_r in c[:8]) == 6 and max(abs(dx) for dx, *_r in c) == 36.0
    v = candidate_offsets(6, prefer="vertical")
    assert v[0] == (0, 6, "center", "bottom", False)  # above first


def test_a_lone_label_sits_right_of_its_point():
    fig, ax = _axes()
    (ann,) = place_labels(ax, [5.0], [5.0], ["alone"])
    assert ann.xyann == (6.0, 0) and ann.get_ha() == "left"
    assert ann.arrow_patch is None


def test_overlapping_labels_are_separated():
    fig, ax = _axes()
    # Three points almost on top of each other: each label would sit at the same place.
    anns = place_labels(ax, [5.0, 5.05, 5.1], [5.0, 5.0, 5.05], ["first label", "second label", "third label"])
    boxes = _boxes(fig, anns)
    for i in range(3):
        for j in range(i + 1, 3):
            assert overlap_area(boxes[i], boxes[j]) == 0.0, (i, j)
    # The case is real: at the first-choice position the labels would overlap.
    naive = [
        ax.annotate(t, xy=(x, y), xytext=(6, 0), textcoords="offset points", va="center")
        for x, y, t in zip([5.0, 5.05, 5.1], [5.0, 5.0, 5.05], ["first label", "second label", "third label"])
    ]
    nb = _boxes(fig, naive)
    assert overlap_area(nb[0], nb[1]) > 0 and overlap_area(nb[1], nb[2]) > 0


def test_labels_stay_inside_the_axes():
    fig, ax = _axes()
    # Points at the corners and edges: a label to the right of x=10 would leave the axes.
    xs, ys = [10.0, 0.0, 10.0, 0.0, 5.0], [10.0, 0.0, 0.0, 10.0, 0.0]
    anns = place_labels(ax, xs, ys, ["top right", "bottom left", "bottom right", "top left", "bottom"])
    axbox = ax.get_window_extent(fig._get_renderer())
    for b in _boxes(fig, anns):
        assert axbox.x0 <= b.x0 and b.x1 <= axbox.x1 and axbox.y0 <= b.y0 and b.y1 <= axbox.y1


def test_labels_keep_clear_of_boxes_to_avoid():
    fig, ax = _axes()
    fig.draw_without_rendering()
    px, py = ax.transData.transform((5.0, 5.0))
    bar = Bbox.from_extents(px - 80, py - 3, px + 80, py + 3)  # e.g. a horizontal error bar through the point
    (ann,) = place_labels(ax, [5.0], [5.0], ["label"], avoid=[bar], prefer="vertical")
    (box,) = _boxes(fig, [ann])
    assert overlap_area(box, bar) == 0.0


def test_crowded_labels_move_out_with_a_leader_line():
    fig, ax = _axes(size=(3, 3))
    xs = [5.0 + 0.02 * i for i in range(6)]
    anns = place_labels(ax, xs, [5.0] * 6, [f"label number {i}" for i in range(6)])
    assert any(a.arrow_patch is not None for a in anns)  # some had to move further out
    assert all((a.arrow_patch is None) == (max(abs(a.xyann[0]), abs(a.xyann[1])) <= 6.0) for a in anns)


@pytest.mark.parametrize("prefer", ["horizontal", "vertical"])
def test_placement_is_deterministic(prefer):
    def run():
        fig, ax = _axes()
        xs, ys = [1.0, 1.2, 1.1, 8.0, 8.1, 5.0], [1.0, 1.1, 1.3, 9.0, 8.8, 5.0]
        anns = place_labels(ax, xs, ys, list("abcdef"), prefer=prefer)
        return [(a.xyann, a.get_ha(), a.get_va()) for a in anns]

    assert run() == run()
