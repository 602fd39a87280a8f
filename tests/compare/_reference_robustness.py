"""Reference copy of ``rocu_compare.compare.robustness`` before vectorisation (issue 11).

Kept verbatim (apart from this docstring and the imports) so that the tests
can check the vectorised implementation against it and the benchmarks can
time the two side by side. It uses :mod:`._reference_distance`, the Gower
implementation of the same date, whose groups are weighted with fixed
shares (``group_weighting="fixed"``).

Original docstring: How much do comparisons depend on the choice of attribute weights?

:func:`robustness` recomputes Gower distances under random (Dirichlet)
weights and with each attribute (or group of attributes) left out, and
reports how stable pair rankings, nearest peers and clusters are.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rocu_compare.compare.structure import TIE_DECIMALS, cluster, nearest_peers

from ._reference_distance import NoCommonAttributesWarning, _check_units, column_groups, gower_distance

__all__ = ["RobustnessResult", "adjusted_rand_index", "robustness"]


def adjusted_rand_index(labels_a, labels_b) -> float:
    """Adjusted Rand index (Hubert and Arabie, 1985) of two partitions.

    Parameters
    ----------
    labels_a, labels_b : array-like
        Cluster labels of the same units, in the same order (any hashable
        labels; only the partition matters).

    Returns
    -------
    float
        1 for identical partitions, about 0 for chance agreement (can be
        negative). When the index is undefined (both partitions trivial:
        all units in one cluster or all singletons, or fewer than two
        units) it is 1.0 if the partitions are identical and 0.0 otherwise.

    Examples
    --------
    >>> adjusted_rand_index([1, 1, 2, 2], ["b", "b", "a", "a"])
    1.0
    >>> adjusted_rand_index([1, 1, 2, 2], [1, 2, 1, 2])
    -0.5
    """
    a = pd.factorize(pd.Series(list(labels_a), dtype=object))[0]
    b = pd.factorize(pd.Series(list(labels_b), dtype=object))[0]
    if a.size != b.size:
        raise ValueError("the two labelings must have the same length")
    n = a.size
    if n < 2:
        return 1.0
    table = np.zeros((a.max() + 1, b.max() + 1), dtype=np.int64)
    np.add.at(table, (a, b), 1)

    def comb2(x) -> int:
        # exact integer arithmetic: no rounding in the index
        return sum(int(v) * (int(v) - 1) // 2 for v in np.ravel(x))

    sum_ij = comb2(table)
    sum_a = comb2(table.sum(axis=1))
    sum_b = comb2(table.sum(axis=0))
    total = n * (n - 1) // 2
    # ARI = (sum_ij - sa*sb/T) / ((sa+sb)/2 - sa*sb/T), multiplied through by 2T
    numerator = 2 * (sum_ij * total - sum_a * sum_b)
    denominator = (sum_a + sum_b) * total - 2 * sum_a * sum_b
    if denominator == 0:
        same = table.shape[0] == table.shape[1] and (table > 0).sum() == table.shape[0]
        return 1.0 if same else 0.0
    return numerator / denominator


@dataclass(frozen=True)
class RobustnessResult:
    """Result of :func:`robustness`.

    Attributes
    ----------
    baseline : pandas.DataFrame
        The equal-weight Gower distance matrix.
    pair_rank_stability : pandas.DataFrame
        One row per pair of units (``unit_a``, ``unit_b``), sorted by
        baseline rank: ``baseline_distance``, ``baseline_rank`` (1 = closest
        pair; average ranks for ties), ``median_rank``, ``min_rank``,
        ``max_rank`` across perturbations, ``share_within_1_rank`` (share of
        perturbations where the pair's rank is within 1 of its baseline
        rank) and ``n_used`` (perturbations where the pair was not NaN).
    peer_stability : pandas.DataFrame
        Indexed by unit: ``baseline_peers`` (tuple of the `k_peers` nearest
        units, nearest first), ``share_same_peers`` (share of perturbations
        with the same set of nearest peers), ``mean_peer_overlap`` (mean
        share of the baseline peers kept) and ``n_used``.
    cluster_stability : pandas.DataFrame
        Indexed by unit: ``baseline_cluster``, ``baseline_comembers`` (the
        other units of its baseline cluster), ``share_same_comembers``
        (share of perturbations in which its cluster has exactly the same
        other members), ``mean_comember_jaccard`` (mean Jaccard similarity
        of the co-member sets, 1 when both are empty) and ``n_used``
        (perturbations that could be clustered, i.e. without NaN).
    draws : pandas.DataFrame
        One row per perturbation: ``kind`` (``"dirichlet"`` or
        ``"leave-out"``), ``left_out`` (the column or group, None for
        Dirichlet draws), ``spearman_vs_baseline`` (rank correlation of the
        pair distances with the baseline ones), ``ari_vs_baseline``
        (adjusted Rand index of the clusters), ``mean_pairwise_distance``
        and ``n_pairs_skipped`` (pairs NaN in this perturbation but not in
        the baseline).
    weights : pandas.DataFrame
        The weights used by each perturbation (same index as `draws`, one
        column per column or group): Dirichlet draws average 1; a leave-out
        has 0 for the left-out column or group and 1 elsewhere.
    summary : pandas.DataFrame
        One row with the settings and the headline numbers (min and median
        Spearman and ARI, mean shares of stable peers and co-members, the
        leave-out with the lowest Spearman, NaN pair counts).
    """

    baseline: pd.DataFrame = field(repr=False)
    pair_rank_stability: pd.DataFrame = field(repr=False)
    peer_stability: pd.DataFrame = field(repr=False)
    cluster_stability: pd.DataFrame = field(repr=False)
    draws: pd.DataFrame = field(repr=False)
    weights: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame


def _rank(v: np.ndarray) -> np.ndarray:
    """Average ranks (1 = smallest) of the non-NaN entries; NaN stays NaN."""
    from scipy.stats import rankdata

    out = np.full(v.shape, np.nan)
    ok = ~np.isnan(v)
    if ok.any():
        out[ok] = rankdata(v[ok], method="average")
    return out


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    if x.size < 2:
        return float("nan")
    rx, ry = _rank(x), _rank(y)
    if np.ptp(rx) == 0 or np.ptp(ry) == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def _peer_sets(distance: pd.DataFrame, k: int) -> dict[Hashable, tuple]:
    peers = nearest_peers(distance, k=k)
    out = {u: () for u in distance.index}
    for unit, grp in peers.groupby("unit", sort=False):
        out[unit] = tuple(grp["peer"])
    return out


def _comembers(labels: pd.Series) -> dict[Hashable, frozenset]:
    out = {}
    for unit, c in labels.items():
        out[unit] = frozenset(labels.index[(labels == c).to_numpy()]) - {unit}
    return out


def _check_int(name: str, value, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    return int(value)


def robustness(
    frame: pd.DataFrame,
    kinds: Mapping[Hashable, str] | None = None,
    groups: Mapping[Hashable, Hashable] | None = None,
    n_draws: int = 200,
    concentration: float = 1.0,
    seed: int | None = 0,
    method: str = "average",
    k_peers: int = 1,
    n_clusters: int | None = None,
) -> RobustnessResult:
    """Sensitivity of Gower comparisons to the attribute weights.

    The baseline is :func:`~rocu_compare.compare.gower_distance` with equal
    weights (per group when `groups` is given, else per column). It is
    then recomputed for

    * `n_draws` random weight vectors drawn from a symmetric Dirichlet
      distribution with parameter `concentration` over the groups (or
      columns), scaled so that the weights average 1 (large
      `concentration` = weights close to equal; 1 = uniform over the
      simplex; small = a few attributes dominate);
    * each group (or column) left out in turn (weight 0), when there are at
      least two.

    Every matrix is rounded to 12 decimals before ranking, peer finding and
    clustering so that floating-point noise does not break ties. Pairs
    with NaN distance in a perturbation are skipped for that perturbation
    and counted (``n_pairs_skipped``); pairs NaN in the baseline are left
    out throughout, and a perturbation containing NaN is not clustered.

    Parameters
    ----------
    frame : pandas.DataFrame
        Units in rows (at least 3), attributes in columns.
    kinds, groups : dict, optional
        As in :func:`~rocu_compare.compare.gower_distance`.
    n_draws : int, default 200
        Number of Dirichlet weight draws (0 for leave-outs only).
    concentration : float, default 1.0
        Dirichlet parameter, > 0.
    seed : int or None, default 0
        Seed of the :class:`numpy.random.Generator`; the same seed gives
        the same result.
    method : str, default "average"
        Linkage method, see :func:`~rocu_compare.compare.cluster`.
    k_peers : int, default 1
        Number of nearest peers compared.
    n_clusters : int, optional
        Number of clusters the trees are cut into; default 3, or ``n - 1``
        with fewer than 4 units.

    Returns
    -------
    RobustnessResult

    Raises
    ------
    ValueError
        Fewer than 3 units, bad parameters, or nothing to perturb
        (``n_draws=0`` with a single column or group).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [0.0, 1.0, 2.0, 10.0], "b": [0.0, 1.0, 2.0, 10.0]},
    ...                   index=list("PQRS"))
    >>> res = robustness(df, n_draws=20, n_clusters=2)
    >>> res.draws["kind"].value_counts().to_dict()
    {'dirichlet': 20, 'leave-out': 2}
    >>> float(res.summary.loc[0, "spearman_min"]), float(res.summary.loc[0, "ari_min"])
    (1.0, 1.0)
    """
    _check_units(frame)
    n = len(frame)
    if n < 3:
        raise ValueError(f"robustness needs at least 3 units, got {n}")
    n_draws = _check_int("n_draws", n_draws, 0)
    k_peers = _check_int("k_peers", k_peers, 1, n - 1)
    if n_clusters is None:
        n_clusters = 3 if n > 3 else n - 1
    n_clusters = _check_int("n_clusters", n_clusters, 1, n)
    try:
        concentration = float(concentration)
    except (TypeError, ValueError):
        raise ValueError(f"concentration must be a positive number, got {concentration!r}") from None
    if not (math.isfinite(concentration) and concentration > 0):
        raise ValueError(f"concentration must be a positive finite number, got {concentration!r}")

    if groups is not None:
        unknown = [c for c in groups if c not in frame.columns]
        if unknown:
            raise ValueError(f"`groups` names column(s) not in the frame: {unknown!r}")
        group_of = column_groups(frame.columns, groups)
        units = list(dict.fromkeys(group_of.values()))
    else:
        units = list(frame.columns)
    m = len(units)
    if m == 0:
        raise ValueError("the frame has no columns")
    if n_draws == 0 and m < 2:
        raise ValueError("nothing to perturb: n_draws=0 and only one column/group to leave out")

    # --- baseline ---------------------------------------------------------
    baseline = gower_distance(frame, kinds=kinds, groups=groups)
    labels = frame.index
    base = np.round(baseline.to_numpy(), TIE_DECIMALS)
    base_df = pd.DataFrame(base, index=labels, columns=labels)
    iu, ju = np.triu_indices(n, k=1)
    base_vec = base[iu, ju]
    base_ok = ~np.isnan(base_vec)
    base_rank = _rank(base_vec)
    base_peers = _peer_sets(base_df, k_peers)
    can_cluster = bool(base_ok.all())
    if can_cluster:
        base_labels = cluster(base_df, method=method).labels(n_clusters)
        base_comembers = _comembers(base_labels)

    # --- perturbations ----------------------------------------------------
    rng = np.random.default_rng(seed)
    weight_rows: list[np.ndarray] = []
    kinds_col: list[str] = []
    left_out: list = []
    if n_draws:
        draws = rng.dirichlet(np.full(m, concentration), size=n_draws) * m
        for w in draws:
            weight_rows.append(w)
            kinds_col.append("dirichlet")
            left_out.append(None)
    if m >= 2:
        for idx, u in enumerate(units):
            w = np.ones(m)
            w[idx] = 0.0
            weight_rows.append(w)
            kinds_col.append("leave-out")
            left_out.append(u)

    n_pert = len(weight_rows)
    ranks = np.full((n_pert, iu.size), np.nan)
    spearman = np.full(n_pert, np.nan)
    ari = np.full(n_pert, np.nan)
    mean_d = np.full(n_pert, np.nan)
    skipped = np.zeros(n_pert, dtype=np.int64)
    peer_same = {u: [] for u in labels}
    peer_overlap = {u: [] for u in labels}
    co_same = {u: [] for u in labels}
    co_jacc = {u: [] for u in labels}

    for p, w in enumerate(weight_rows):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NoCommonAttributesWarning)
            warnings.simplefilter("ignore", UserWarning)
            dp = gower_distance(frame, kinds=kinds, weights=dict(zip(units, w)), groups=groups)
        d = np.round(dp.to_numpy(), TIE_DECIMALS)
        d_df = pd.DataFrame(d, index=labels, columns=labels)
        vec = d[iu, ju]
        ok = base_ok & ~np.isnan(vec)
        skipped[p] = int(base_ok.sum() - ok.sum())
        vec_used = np.where(base_ok, vec, np.nan)
        ranks[p] = _rank(vec_used)
        spearman[p] = _spearman(base_vec[ok], vec[ok])
        mean_d[p] = float(np.nanmean(vec)) if (~np.isnan(vec)).any() else np.nan

        peers = _peer_sets(d_df, k_peers)
        for u in labels:
            b = base_peers[u]
            if not b:
                continue
            peer_same[u].append(set(peers[u]) == set(b))
            peer_overlap[u].append(len(set(peers[u]) & set(b)) / len(b))

        if can_cluster and not np.isnan(vec).any():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                lab = cluster(d_df, method=method).labels(n_clusters)
            ari[p] = adjusted_rand_index(base_labels.to_numpy(), lab.to_numpy())
            comem = _comembers(lab)
            for u in labels:
                a, b = base_comembers[u], comem[u]
                co_same[u].append(a == b)
                union = a | b
                co_jacc[u].append(len(a & b) / len(union) if union else 1.0)

    # --- tables -----------------------------------------------------------
    def share(values: list) -> float:
        return float(np.mean(values)) if values else float("nan")

    with np.errstate(invalid="ignore"):
        within = np.abs(ranks - base_rank[None, :]) <= 1
    used = ~np.isnan(ranks)
    n_used_pairs = used.sum(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        pair_table = pd.DataFrame(
            {
                "unit_a": labels[iu],
                "unit_b": labels[ju],
                "baseline_distance": base_vec,
                "baseline_rank": base_rank,
                "median_rank": np.nanmedian(ranks, axis=0) if n_pert else np.nan,
                "min_rank": np.nanmin(ranks, axis=0) if n_pert else np.nan,
                "max_rank": np.nanmax(ranks, axis=0) if n_pert else np.nan,
                "share_within_1_rank": np.where(
                    n_used_pairs > 0, (within & used).sum(axis=0) / np.maximum(n_used_pairs, 1), np.nan
                ),
                "n_used": n_used_pairs,
            }
        )
    # stable sort: ties keep the row-major order of the distance matrix
    pair_table = pair_table.sort_values("baseline_rank", kind="stable", na_position="last").reset_index(drop=True)

    peer_table = pd.DataFrame(
        {
            "baseline_peers": [base_peers[u] for u in labels],
            "share_same_peers": [share(peer_same[u]) for u in labels],
            "mean_peer_overlap": [share(peer_overlap[u]) for u in labels],
            "n_used": [len(peer_same[u]) for u in labels],
        },
        index=pd.Index(labels, name="unit"),
    )

    cluster_table = pd.DataFrame(
        {
            "baseline_cluster": [base_labels[u] if can_cluster else np.nan for u in labels],
            "baseline_comembers": [
                tuple(x for x in labels if x in base_comembers[u]) if can_cluster else None for u in labels
            ],
            "share_same_comembers": [share(co_same[u]) for u in labels],
            "mean_comember_jaccard": [share(co_jacc[u]) for u in labels],
            "n_used": [len(co_same[u]) for u in labels],
        },
        index=pd.Index(labels, name="unit"),
    )

    draws_table = pd.DataFrame(
        {
            "kind": kinds_col,
            "left_out": pd.Series(left_out, dtype=object),
            "spearman_vs_baseline": spearman,
            "ari_vs_baseline": ari,
            "mean_pairwise_distance": mean_d,
            "n_pairs_skipped": skipped,
        },
        index=pd.RangeIndex(n_pert, name="draw"),
    )
    weights_table = pd.DataFrame(
        np.array(weight_rows).reshape(n_pert, m), columns=pd.Index(units), index=draws_table.index
    )

    lo = draws_table[draws_table["kind"] == "leave-out"]
    if len(lo) and lo["spearman_vs_baseline"].notna().any():
        worst = lo.loc[lo["spearman_vs_baseline"].idxmin()]
        worst_unit, worst_rho = worst["left_out"], float(worst["spearman_vs_baseline"])
    else:
        worst_unit, worst_rho = None, float("nan")

    def stat(values: np.ndarray, fn) -> float:
        v = values[~np.isnan(values)]
        return float(fn(v)) if v.size else float("nan")

    summary = pd.DataFrame(
        [
            {
                "n_units": n,
                "n_attributes": frame.shape[1],
                "weighted_over": "groups" if groups is not None else "columns",
                "n_weight_units": m,
                "n_dirichlet": n_draws,
                "n_leave_out": n_pert - n_draws,
                "concentration": concentration,
                "seed": seed,
                "method": method,
                "n_clusters": n_clusters,
                "k_peers": k_peers,
                "baseline_nan_pairs": int((~base_ok).sum()),
                "pairs_skipped_total": int(skipped.sum()),
                "spearman_min": stat(spearman, np.min),
                "spearman_median": stat(spearman, np.median),
                "ari_min": stat(ari, np.min),
                "ari_median": stat(ari, np.median),
                "share_same_peers_mean": float(peer_table["share_same_peers"].mean()),
                "share_same_comembers_mean": float(cluster_table["share_same_comembers"].mean()),
                "least_stable_leave_out": worst_unit,
                "least_stable_leave_out_spearman": worst_rho,
            }
        ]
    )
    return RobustnessResult(
        baseline=baseline,
        pair_rank_stability=pair_table,
        peer_stability=peer_table,
        cluster_stability=cluster_table,
        draws=draws_table,
        weights=weights_table,
        summary=summary,
    )
