"""One call that runs the whole "how far apart" comparison on a dataset."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

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
        Gower distances, each attribute group weighted equally (with
        ``group_weighting="per_pair"``, the default, for every pair: a group
        counts fully whenever the pair has any of its attributes).
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
    notes : list of str
        What the caller should know: units left out (no member forces at the date, or
        excluded), series beyond the date tolerance, later grades used.
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
    notes: list = field(default_factory=list)

    def __repr__(self) -> str:
        from .summaries import comparison_lines

        return f"<Comparison: {'; '.join(comparison_lines(self))}>"

    def _repr_html_(self) -> str:
        from .summaries import comparison_lines, html_summary, nearest_peer_table

        return html_summary("Comparison of the ROCUs", comparison_lines(self), nearest_peer_table(self))


#: Tables that fill each attribute group (for the error on a group with no data).
GROUP_TABLES = {
    "structure": "forces, membership, force_population, force_officers_fte",
    "demand": "force_crime_severity",
    "history": "rocus (established)",
    "model": "rocus (collaboration_instrument, host_model), rocu_model_evidence, capability_evidence",
    "resourcing": "rocu_resources",
    "capabilities": "capability_status (or facts giving hmic_capabilities_not_delivered)",
    "outcomes": "inspections (grades published by the date; or later_outcomes=True)",
}


def select_units(ids, known, what: str) -> list[str]:
    """ROCU ids matched case-insensitively to ``known``; an unknown id is an error listing the known ones.

    Examples
    --------
    >>> select_units(["London"], ["nersou", "london"], "exclude")
    ['london']
    """
    if isinstance(ids, str):
        ids = [ids]
    lower = {str(k).lower(): str(k) for k in known}
    bad = [i for i in ids if str(i).strip().lower() not in lower]
    if bad:
        raise ValueError(
            f"{what}: unknown ROCU id(s) {', '.join(map(repr, bad))}; known ids: {', '.join(lower.values())}"
        )
    return [lower[str(i).strip().lower()] for i in ids]


def compare_rocus(
    ds,
    as_at="2015-06-30",
    *,
    groups=None,
    weights=None,
    method="average",
    n_draws=200,
    seed=0,
    exclude=(),
    include=None,
    tolerance_years: int = 1,
    later_outcomes: bool = False,
    evidence="stated",
    group_weighting="per_pair",
) -> Comparison:
    """Profiles → Gower distances → clusters, MDS, peers, spread, dispersion, robustness.

    Parameters
    ----------
    ds : Dataset
    as_at : str, date or Timestamp, default "2015-06-30"
        ISO ``YYYY-MM-DD`` string, date or Timestamp (an int or ``dd/mm/yyyy`` is refused).
    groups : sequence of str, optional
        Attribute groups to compare (default: every group with data). An unknown group is
        an error listing the groups; a group with no data among the units compared is an
        error naming the tables that would fill it.
    weights : dict, optional
        Weight per attribute group (default 1 each; a group's weight is shared by its
        attributes, so a group of seven counts as much as a group of one).
    method : str, default "average"
        Linkage method for the clustering (any scipy method; named in the output).
    n_draws : int, default 200
        Dirichlet weight draws for the robustness table (0 skips the draws).
    seed : int, default 0
    exclude : sequence of str
        ROCU ids to leave out (e.g. ``["london"]``, which is not a ROCU as such); matched
        case-insensitively, an unknown id is an error listing the known ones.
    include : sequence of str, optional
        Only these ROCU ids (same matching); default all units with member forces.
    tolerance_years : int, default 1
        Series further than this from ``as_at`` are missing (see :func:`profiles`).
    later_outcomes : bool, default False
        Use inspection grades published after ``as_at`` (the notes then say "later grade").
    evidence : {"stated", "indicated", "implied"}, default "stated"
        Weakest operating-model evidence counted in the ``model`` group (see
        :func:`~rocu_compare.compare.profiles`).
    group_weighting : {"per_pair", "fixed"}, default "per_pair"
        ``"per_pair"``: every attribute group with data for a pair counts
        equally for that pair (a group's distance is the mean over its
        attributes observed for both). ``"fixed"``: a group's weight is split
        once among its attributes, so a pair missing some of them counts the
        group for less. The robustness output reports the baseline under
        both (``robustness.weighting``).

    Returns
    -------
    Comparison

    Notes
    -----
    Attributes observed for fewer than two of the ROCUs compared (after ``include`` /
    ``exclude``) cannot separate any pair and are dropped (listed in
    ``profiles.attributes()`` of the full profile). A unit with no member forces at the
    date is left out with a note. With the public
    data the comparison rests mostly on structure, demand, history and the operating model;
    resourcing and capability status need analyst data.
    """
    from ..dates import parse_date

    as_at = parse_date(as_at, "as_at")
    full = profiles(ds, as_at, tolerance_years=tolerance_years, later_outcomes=later_outcomes, evidence=evidence)
    known = list(full.frame.index) + list(full.left_out)
    all_groups = list(dict.fromkeys(list(GROUP_TABLES) + list(full.groups.values())))
    if groups is not None:
        groups = [groups] if isinstance(groups, str) else list(groups)
        unknown = [g for g in groups if g not in all_groups]
        if unknown:
            raise ValueError(
                f"unknown attribute group(s) {', '.join(map(repr, unknown))}; groups: {', '.join(all_groups)}"
            )
    notes = [f"{u}: {why}" for u, why in full.left_out.items()]
    units = list(full.frame.index)
    if include is not None:
        wanted = select_units(include, known, "include")
        notes += [f"{u}: not in include" for u in units if u not in wanted]
        units = [u for u in units if u in wanted]
    dropped = set(select_units(exclude, known, "exclude")) if exclude is not None else set()
    notes += [f"{u}: excluded" for u in units if u in dropped]
    units = [u for u in units if u not in dropped]
    prof = full.select(groups=groups)
    sub = prof.frame.loc[units]
    # filter after selecting units: an attribute with fewer than two values among the units compared cannot
    # separate any pair, and must not keep a share of its group's weight
    counts = sub.notna().sum()
    keep = [c for c in sub.columns if counts[c] >= 2]
    if groups is not None:
        empty = [g for g in groups if not any(prof.groups[c] == g for c in keep)]
        if empty:
            raise ValueError(
                "no data for attribute group(s) "
                + "; ".join(f"{g!r} (filled by the table(s) {GROUP_TABLES.get(g, 'n/a')})" for g in empty)
                + f" among the {len(units)} units compared at {as_at.date()}"
            )
    prof = Profiles(
        sub[keep],
        {c: prof.kinds[c] for c in keep},
        {c: prof.groups[c] for c in keep},
        {c: prof.notes[c] for c in keep},
        prof.as_at,
        dict(full.left_out),
    )
    notes += [
        full.notes[c] if full.notes[c].startswith(c) else f"{c}: {full.notes[c]}"
        for c in full.frame.columns
        if ("left missing" in full.notes.get(c, "") or full.notes.get(c, "").startswith("later grade"))
    ]
    frame = _numeric_ready(prof)
    gw = {g: 1.0 for g in set(prof.groups.values())}
    gw.update(weights or {})
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always", NoCommonAttributesWarning)
        dist = gower_distance(frame, kinds=prof.kinds, weights=gw, groups=prof.groups, group_weighting=group_weighting)
    gaps = np.isnan(dist.to_numpy(dtype=float))
    nan_pairs = [(a, b) for i, a in enumerate(dist.index) for j, b in enumerate(dist.index) if j > i and gaps[i, j]]
    complete = not nan_pairs
    cl = cluster(dist, method=method) if complete else None
    mds = classical_mds(dist) if complete else None
    # dispersion needs ratio-scale values: calendar years (history) have no meaningful CV or Gini
    num = prof.frame[[c for c, k in prof.kinds.items() if k == "numeric" and prof.groups[c] != "history"]]
    num = num.astype("float64")
    rob = None
    if complete and len(frame) >= 3 and (n_draws or len(set(prof.groups.values())) >= 2):
        rob = robustness(
            frame,
            kinds=prof.kinds,
            groups=prof.groups,
            n_draws=n_draws,
            seed=seed,
            method=method,
            group_weighting=group_weighting,
        )
    return Comparison(
        prof,
        dist,
        cl,
        mds,
        nearest_peers(dist, k=3),
        spread_summary(dist, frame, prof.kinds),
        dispersion(num, seed=seed),
        rob,
        nan_pairs,
        notes,
    )


def _numeric_ready(prof: Profiles) -> pd.DataFrame:
    """Profiles frame with nullable numerics as float64 (NaN for missing)."""
    cols = {}
    for c in prof.frame.columns:  # built whole, then one frame
        col, k = prof.frame[c], prof.kinds.get(c)
        if k == "numeric" and is_numeric_dtype(col.dtype):  # Int64/Float64/float: NA -> NaN, on the array
            col = pd.Series(col.to_numpy(dtype="float64", na_value=np.nan), index=col.index, name=c)
        elif k == "numeric":
            col = pd.to_numeric(col, errors="coerce").astype("float64")
        elif k == "categorical":
            col = col.astype("object").where(col.notna(), None)
        cols[c] = col
    return pd.DataFrame(cols, index=prof.frame.index, columns=prof.frame.columns)
