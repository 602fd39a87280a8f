"""How one attribute group moves the ROCU distances: the comparison with and without it."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .analysis import Comparison, _numeric_ready, compare_rocus
from .distance import NoCommonAttributesWarning, gower_distance


@dataclass
class GroupEffect:
    """The distances with and without one attribute group.

    Attributes
    ----------
    group : str
    with_group, without_group : Comparison
        The two comparisons (robustness draws skipped).
    pairs : DataFrame
        One row per pair of ROCUs: ``unit_a``, ``unit_b``, ``distance_with``,
        ``distance_without``, ``change`` (with − without), ``group_distance`` (the
        pair's Gower distance on the group's attributes alone; NaN if they share none),
        ``n_group_attributes`` (attributes of the group observed for both) and
        ``drivers`` (the group's attributes on which the pair differs, largest first,
        with both values). Sorted by the size of the change, largest first.
    dropped : list of str
        The group's attributes observed for fewer than two ROCUs (they cannot separate
        any pair, so the comparison leaves them out).
    """

    group: str
    with_group: Comparison
    without_group: Comparison
    pairs: pd.DataFrame
    dropped: list

    @property
    def mean_with(self) -> float:
        return float(self.with_group.spread["mean_distance"])

    @property
    def mean_without(self) -> float:
        return float(self.without_group.spread["mean_distance"])


def group_effect(ds, group: str = "model", as_at="2015-06-30", **kw) -> GroupEffect:
    """Compare the ROCUs with and without an attribute group and say which pairs move.

    Parameters
    ----------
    ds : Dataset
    group : str, default "model"
    as_at : str or Timestamp, default "2015-06-30"
    **kw
        Passed to :func:`compare_rocus` (``exclude``, ``weights``, ``evidence``, ...;
        not ``groups``).

    Returns
    -------
    GroupEffect

    Examples
    --------
    >>> import rocu_compare as rc
    >>> e = group_effect(rc.load())
    >>> len(e.pairs)
    45
    """
    kw = {"n_draws": 0, **kw}
    with_ = compare_rocus(ds, as_at, **kw)
    if group not in with_.profiles.group_names:
        raise ValueError(
            f"group {group!r} has no attribute observed for two ROCUs; groups compared: "
            f"{', '.join(with_.profiles.group_names)}"
        )
    others = [g for g in with_.profiles.group_names if g != group]
    without = compare_rocus(ds, as_at, groups=others, **kw)
    prof = with_.profiles.select(groups=[group])
    frame = _numeric_ready(prof)
    cols = list(prof.frame.columns)
    with warnings.catch_warnings():  # pairs sharing no attribute of the group are expected: NaN, reported as such
        warnings.simplefilter("ignore", NoCommonAttributesWarning)
        alone = gower_distance(frame, kinds=prof.kinds, groups=prof.groups)
        per_attr = {c: gower_distance(frame[[c]], kinds={c: prof.kinds[c]}) for c in cols}
    units = list(with_.distance.index)
    rows = []
    for i, a in enumerate(units):
        for b in units[i + 1 :]:
            diffs = [(float(per_attr[c].loc[a, b]), c) for c in cols if pd.notna(per_attr[c].loc[a, b])]
            drivers = [
                f"{c} ({_show(prof.frame.loc[a, c])} vs {_show(prof.frame.loc[b, c])})"
                for dv, c in sorted(diffs, key=lambda t: (-t[0], cols.index(t[1])))
                if dv > 0
            ]
            dw, dwo = float(with_.distance.loc[a, b]), float(without.distance.loc[a, b])
            rows.append(
                {
                    "unit_a": a,
                    "unit_b": b,
                    "distance_with": dw,
                    "distance_without": dwo,
                    "change": dw - dwo,
                    "group_distance": float(alone.loc[a, b]),
                    "n_group_attributes": len(diffs),
                    "drivers": "; ".join(drivers),
                }
            )
    pairs = pd.DataFrame(rows)
    pairs = pairs.iloc[np.argsort(-pairs["change"].abs().to_numpy(), kind="stable")].reset_index(drop=True)
    full = with_.profiles
    from .profiles import profiles

    every = profiles(ds, as_at, evidence=kw.get("evidence", "stated"))
    dropped = [c for c in every.frame.columns if every.groups[c] == group and c not in full.frame.columns]
    return GroupEffect(group, with_, without, pairs, dropped)


def _show(v) -> str:
    if pd.isna(v):
        return "n/a"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
