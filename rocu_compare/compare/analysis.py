"""One call that runs the whole "how far apart" comparison on a dataset."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd

from .dispersion import dispersion
from .distance import NoCommonAttributesWarning, gower_distance
from .profiles import Profiles, profiles
from .robustness import RobustnessResult, robustness
from .structure import ClusterResult, MDSResult, classical_mds, cluster, nearest_peers, spread_summary


@dataclass
class Comparison:
    """Everything the comparison figures and notebooks need.

    Attributes
    ----------
    profiles : Profiles
        The attributes compared (only those with at least two ROCUs observed).
    distance : DataFrame
        Gower distances, each attribute group weighted equally.
    cluster : ClusterResult
    mds : MDSResult
    peers : DataFrame
        Nearest peers (``unit``, ``rank``, ``peer``, ``distance``).
    spread : dict
        Mean pairwise distance and related one-number summaries.
    dispersion : DataFrame
        CV, Gini, max/min ratio, range per numeric attribute (bootstrap CIs where n allows).
    robustness : RobustnessResult or None
        Stability under Dirichlet weights and leave-one-group-out.
    nan_pairs : list of tuple
        Pairs with no attribute in common (distance NaN).
    """

    profiles: Profiles
    distance: pd.DataFrame
    cluster: ClusterResult | None
    mds: MDSResult | None
    peers: pd.DataFrame
    spread: dict
    dispersion: pd.DataFrame
    robustness: RobustnessResult | None
    nan_pairs: list

    def __repr__(self) -> str:
        from .summaries import comparison_lines

        return f"<Comparison: {'; '.join(comparison_lines(self))}>"

    def _repr_html_(self) -> str:
        from .summaries import comparison_lines, html_summary, nearest_peer_table

        return html_summary("Comparison of the ROCUs", comparison_lines(self), nearest_peer_table(self))


def compare_rocus(ds, as_at="2015-06-30", *, groups=None, weights=None, method="average",
                  n_draws=200, seed=0, exclude=()) -> Comparison:
    """Profiles → Gower distances → clusters, MDS, peers, spread, dispersion, robustness.

    Parameters
    ----------
    ds : Dataset
    as_at : str or Timestamp, default "2015-06-30"
    groups : sequence of str, optional
        Attribute groups to compare (default: every group with data).
    weights : dict, optional
        Weight per attribute group (default 1 each; a group's weight is shared by its
        attributes, so a group of seven counts as much as a group of one).
    method : str, default "average"
        Linkage method for the clustering (any scipy method; named in the output).
    n_draws : int, default 200
        Dirichlet weight draws for the robustness table (0 skips the draws).
    seed : int, default 0
    exclude : sequence of str
        ROCUs to leave out (e.g. ``["london"]``, which is not a ROCU as such).

    Returns
    -------
    Comparison

    Notes
    -----
    Attributes observed for fewer than two ROCUs cannot separate any pair and are
    dropped (listed in ``profiles.attributes()`` of the full profile). With the public
    data the comparison rests mostly on structure, demand, history and governance;
    resourcing and capability status need analyst data.
    """
    full = profiles(ds, as_at)
    prof = full.select(groups=groups)
    keep = [c for c in prof.frame.columns if prof.frame[c].notna().sum() >= 2]
    prof = Profiles(prof.frame.loc[[i for i in prof.frame.index if i not in set(exclude)], keep],
                    {c: prof.kinds[c] for c in keep}, {c: prof.groups[c] for c in keep},
                    {c: prof.notes[c] for c in keep}, prof.as_at)
    frame = _numeric_ready(prof)
    gw = {g: 1.0 for g in set(prof.groups.values())}
    gw.update(weights or {})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", NoCommonAttributesWarning)
        dist = gower_distance(frame, kinds=prof.kinds, weights=gw, groups=prof.groups)
    nan_pairs = [(a, b) for i, a in enumerate(dist.index) for b in dist.index[i + 1:] if pd.isna(dist.loc[a, b])]
    complete = not nan_pairs
    cl = cluster(dist, method=method) if complete else None
    mds = classical_mds(dist) if complete else None
    # dispersion needs ratio-scale values: calendar years (history) have no meaningful CV or Gini
    num = prof.frame[[c for c, k in prof.kinds.items() if k == "numeric" and prof.groups[c] != "history"]]
    num = num.astype("float64")
    rob = None
    if complete and len(frame) >= 3 and (n_draws or len(set(prof.groups.values())) >= 2):
        rob = robustness(frame, kinds=prof.kinds, groups=prof.groups, n_draws=n_draws, seed=seed, method=method)
    return Comparison(prof, dist, cl, mds, nearest_peers(dist, k=3),
                      spread_summary(dist, frame, prof.kinds), dispersion(num, seed=seed), rob, nan_pairs)


def _numeric_ready(prof: Profiles) -> pd.DataFrame:
    """Profiles frame with nullable numerics as float64 (NaN for missing)."""
    out = prof.frame.copy()
    for c, k in prof.kinds.items():
        if k == "numeric":
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
        elif k == "categorical":
            out[c] = out[c].astype("object").where(out[c].notna(), None)
    return out
