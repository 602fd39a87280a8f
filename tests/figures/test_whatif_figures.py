"""What-if figures draw gaps as labelled gaps, never as zeros."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rocu_compare.figures.whatif import dispersion_dots, dispersion_over_time


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_dispersion_dots_marks_a_missing_measure_as_a_labelled_gap():
    t = pd.DataFrame(
        {
            "configuration": ["a", "b", "a", "b"],
            "label": ["size", "size", "rate", "rate"],
            "cv": [0.4, 0.3, np.nan, np.nan],
        }
    )
    fig = dispersion_dots(t)
    ax = fig.axes[0]
    dots = [c.get_offsets() for c in ax.collections]
    assert sum(len(d) for d in dots) == 2  # one dot per configuration for 'size' only
    assert "not available at this date" in _texts(fig)
    assert {"0.40", "0.30"} <= set(_texts(fig))
    with pytest.raises(ValueError, match="at most two"):
        dispersion_dots(t.assign(configuration=["a", "b", "c", "a"]))


def test_dispersion_over_time_leaves_dates_without_data_as_gaps():
    dates = pd.to_datetime(["2015-06-30", "2016-06-30", "2017-06-30"])
    idx = pd.MultiIndex.from_product([dates, ["x"]], names=["date", "attribute"])
    disp = pd.DataFrame({"cv": [0.5, np.nan, 0.4]}, index=idx)
    dist = pd.DataFrame({"mean_distance": [0.45, 0.44, 0.43]}, index=pd.Index(dates, name="date"))
    fig = dispersion_over_time(disp, dist, measures={"x": "measure x"}, ncols=2)
    ax = fig.axes[0]
    y = ax.lines[0].get_ydata()
    assert np.isnan(y[1]) and y[0] == 0.5  # the gap breaks the line; it is not drawn as 0
    assert _texts(fig).count("no data") == 1


def test_configuration_maps_legend_names_the_moving_forces_in_good_english():
    import rocu_compare as rc
    from rocu_compare.figures.whatif import configuration_maps
    from rocu_compare.geometry import read_force_boundaries

    ds = rc.load()
    built = ds.membership_at("2015-06-30")
    fc = read_force_boundaries()
    for moved, text in ((["Kent"], "force that moves: Kent"), (["Gwent", "Kent"], "forces that move: Gwent, Kent")):
        fig = configuration_maps(fc, {"a": built, "b": built}, moved, forces=ds.forces)
        assert [t.get_text() for t in fig.legends[0].get_texts()] == [text]
