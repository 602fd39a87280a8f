"""How much do comparisons depend on the choice of attribute weights?

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

from .distance import _check_units, _resolve_kinds, column_groups
from .gower_terms import check_group_weighting, combine, encode_frame, pair_terms, upper_pairs
from .structure import TIE_DECIMALS, _label_order, cluster

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
        pair distances with the baseline ones; NaN when undefined),
        ``all_tied`` (every pair distance of the perturbation is equal, so
        its order says nothing), ``ari_vs_baseline``
        (adjusted Rand index of the clusters), ``mean_pairwise_distance``
        and ``n_pairs_skipped`` (pairs NaN in this perturbation but not in
        the baseline).
    weights : pandas.DataFrame
        The weights used by each perturbation (same index as `draws`, one
        column per column or group): Dirichlet draws average 1; a leave-out
        has 0 for the left-out column or group and 1 elsewhere.
    summary : pandas.DataFrame
        One row with the settings (including ``group_weighting``) and the
        headline numbers: min and median Spearman (over the perturbations
        where it is defined) and ARI, ``n_all_tied`` (perturbations whose
        distances are all tied), mean shares of stable peers and
        co-members, the least stable leave-out (a tied one if any, flagged
        by ``least_stable_leave_out_all_tied``, else the one with the
        lowest Spearman), NaN pair counts, and the comparison with the other
        group weighting: ``other_weighting``, ``other_weighting_spearman``
        (rank correlation of the two baselines' pair distances),
        ``other_weighting_max_abs_difference`` and
        ``other_weighting_n_units_peers_differ``.
    weighting : pandas.DataFrame
        Indexed by unit: the `k_peers` nearest peers under each group
        weighting (``peers_per_pair``, ``peers_fixed``) and ``same_peers``.
    other_baseline : pandas.DataFrame
        The equal-weight Gower matrix under the other group weighting.
    """

    baseline: pd.DataFrame = field(repr=False)
    pair_rank_stability: pd.DataFrame = field(repr=False)
    peer_stability: pd.DataFrame = field(repr=False)
    cluster_stability: pd.DataFrame = field(repr=False)
    draws: pd.DataFrame = field(repr=False)
    weights: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame
    weighting: pd.DataFrame = field(repr=False, default=None)
    other_baseline: pd.DataFrame = field(repr=False, default=None)


def _rank(v: np.ndarray) -> np.ndarray:
    """Average ranks (1 = smallest) of the non-NaN entries; NaN stays NaN."""
    return _rank_rows(v[None, :])[0]


def _rank_rows(v: np.ndarray) -> np.ndarray:
    """Average ranks (1 = smallest) along each row; NaN entries stay NaN.

    Equal values share the mean of the ranks they span, as in
    ``scipy.stats.rankdata(method="average")`` applied to the non-NaN
    entries of each row.
    """
    n_rows, n = v.shape
    out = np.full(v.shape, np.nan)
    if n == 0 or n_rows == 0:
        return out
    order = np.argsort(v, axis=1)  # NaN sort last; the order within ties does not matter
    sv = np.take_along_axis(v, order, axis=1)
    ok = ~np.isnan(sv)
    # a new tie group starts at every position whose value differs from the previous one
    start = np.ones(v.shape, dtype=bool)
    start[:, 1:] = sv[:, 1:] != sv[:, :-1]
    group = np.cumsum(start.ravel()) - 1  # rows never share a group: position 0 always starts one
    pos = np.broadcast_to(np.arange(1, n + 1, dtype=np.float64), v.shape).ravel()
    total = np.bincount(group, weights=pos)
    count = np.bincount(group)
    ranks = (total / count)[group].reshape(v.shape)
    rows = np.broadcast_to(np.arange(n_rows)[:, None], v.shape)
    out[rows[ok], order[ok]] = ranks[ok]
    return out


def _pearson_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson correlation of each row of `y` with `x` (NaN if either is constant)."""
    xm = x - x.mean()
    ym = y - y.mean(axis=1, keepdims=True)
    sx = np.sqrt(xm @ xm)
    sy = np.sqrt(np.einsum("ij,ij->i", ym, ym))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (ym @ xm) / (sx * sy)
    r[(sx == 0) | (sy == 0)] = np.nan
    return np.clip(r, -1.0, 1.0)


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    if x.size < 2:
        return float("nan")
    rx, ry = _rank(x), _rank(y)
    if np.ptp(rx) == 0 or np.ptp(ry) == 0:
        return float("nan")
    return float(_pearson_rows(rx, ry[None, :])[0])


def _comb2(x: np.ndarray, axis) -> np.ndarray:
    # exact integer arithmetic (int64 is ample for any realistic n)
    x = x.astype(np.int64)
    return (x * (x - 1) // 2).sum(axis=axis)


def _ari_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Adjusted Rand index of partition `a` (codes, shape n) with each row of `b`.

    Same definition and degenerate cases as :func:`adjusted_rand_index`;
    codes are non-negative integers (not necessarily contiguous).
    """
    rows, n = b.shape
    if n < 2:
        return np.ones(rows)
    ka, kb = int(a.max()) + 1, int(b.max()) + 1
    flat = (np.arange(rows)[:, None] * ka + a[None, :]) * kb + b
    table = np.bincount(flat.ravel(), minlength=rows * ka * kb).reshape(rows, ka, kb)
    sum_ij = _comb2(table, (1, 2))
    sum_a = _comb2(table.sum(axis=2), 1)
    sum_b = _comb2(table.sum(axis=1), 1)
    total = n * (n - 1) // 2
    # ARI = (sum_ij - sa*sb/T) / ((sa+sb)/2 - sa*sb/T), multiplied through by 2T
    numerator = 2 * (sum_ij * total - sum_a * sum_b)
    denominator = (sum_a + sum_b) * total - 2 * sum_a * sum_b
    out = np.empty(rows)
    for r in range(rows):
        if denominator[r] == 0:
            t = table[r][table[r].sum(axis=1) > 0][:, table[r].sum(axis=0) > 0]
            out[r] = 1.0 if t.shape[0] == t.shape[1] and (t > 0).sum() == t.shape[0] else 0.0
        else:
            # exact integers, divided once as Python ints like adjusted_rand_index
            out[r] = int(numerator[r]) / int(denominator[r])
    return out


def _tree_cutter(method: str):
    """``f(condensed, n, k)`` -> flat cluster labels of the `method` tree cut into `k`.

    Same as ``fcluster(linkage(condensed, method), k, "maxclust")`` but
    without scipy's input validation on every call (the distances here are
    finite and well formed), which costs more than the clustering itself for
    ten units. Falls back to the public functions when scipy's compiled
    helpers are not where this version of scipy keeps them.
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    def public(y: np.ndarray, n: int, k: int) -> np.ndarray:
        return fcluster(linkage(y, method=method), t=k, criterion="maxclust")

    try:
        from scipy.cluster import _hierarchy
        from scipy.cluster.hierarchy import _LINKAGE_METHODS

        code = _LINKAGE_METHODS[method]
        cut = _hierarchy.cluster_maxclust_dist
        if method == "single":
            link = _hierarchy.mst_single_linkage
            args: tuple = ()
        elif method in ("complete", "average", "weighted", "ward"):
            link, args = _hierarchy.nn_chain, (code,)
        else:
            link, args = _hierarchy.fast_linkage, (code,)
    except (ImportError, AttributeError, KeyError):  # pragma: no cover - other scipy layouts
        return public

    def fast(y: np.ndarray, n: int, k: int) -> np.ndarray:
        z = np.ascontiguousarray(link(np.array(y, dtype=np.float64), n, *args), dtype=np.float64)
        labels = np.zeros(n, dtype="i")
        cut(z, labels, n, k)
        return labels

    return fast


def _peer_positions(d: np.ndarray, k: int, label_perm: np.ndarray) -> np.ndarray:
    """The `k` nearest other units of every unit, for a stack of distance matrices.

    `d` is ``(P, n, n)`` (rounded, NaN for undefined); ties are broken by
    label order (`label_perm` lists the positions in sorted-label order).
    Returns ``(P, n, k)`` positions, -1 where fewer than `k` peers exist.
    """
    n_mats, n, _ = d.shape
    keyed = d[:, :, label_perm]
    keyed = np.where(np.isnan(keyed), np.inf, keyed)
    # a unit is not its own peer
    keyed[:, label_perm, np.arange(n)] = np.inf
    if k == 1:  # argmin keeps the first (in label order) of tied minima
        order = np.argmin(keyed, axis=2)[:, :, None]
    else:
        order = np.argsort(keyed, axis=2, kind="stable")[:, :, :k]
    finite = np.isfinite(np.take_along_axis(keyed, order, axis=2))
    return np.where(finite, label_perm[order], -1)


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
    group_weighting: str = "per_pair",
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

    A perturbation whose pair distances are all tied keeps none of the
    baseline's order; its Spearman correlation is undefined (NaN). It is
    flagged (``all_tied`` in :attr:`RobustnessResult.draws`), counted
    (``n_all_tied`` in the summary, beside ``spearman_min`` and
    ``spearman_median``, which are taken over the defined correlations), and
    a tied leave-out is reported as the least stable one.

    The per-attribute (or per-group) distance terms are computed once; each
    weighting is then a weighted sum of them, all perturbations at once.

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
    group_weighting : {"per_pair", "fixed"}, default "per_pair"
        How a group of several columns is weighted for a pair missing some
        of them (see :func:`~rocu_compare.compare.gower_distance`). The
        baseline and the perturbations use this one; the baseline under the
        other is reported in :attr:`RobustnessResult.weighting`.

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
    group_weighting = check_group_weighting(group_weighting)

    if groups is not None:
        unknown = [c for c in groups if c not in frame.columns]
        if unknown:
            raise ValueError(f"`groups` names column(s) not in the frame: {unknown!r}")
        group_of = column_groups(frame.columns, groups)
    else:
        group_of = {c: c for c in frame.columns}
    units = list(dict.fromkeys(group_of.values()))
    m = len(units)
    if m == 0:
        raise ValueError("the frame has no columns")
    if n_draws == 0 and m < 2:
        raise ValueError("nothing to perturb: n_draws=0 and only one column/group to leave out")

    # --- distance terms, once ----------------------------------------------
    enc = encode_frame(frame, _resolve_kinds(frame, kinds))
    unit_pos = {u: i for i, u in enumerate(units)}
    membership = np.zeros((len(enc.names), m))
    membership[np.arange(len(enc.names)), [unit_pos[group_of[c]] for c in enc.names]] = 1.0
    sizes = membership.sum(axis=0)
    terms_s, terms_c = pair_terms(enc, membership)
    iu, ju = upper_pairs(n)
    other = "fixed" if group_weighting == "per_pair" else "per_pair"

    def matrix(vals: np.ndarray) -> np.ndarray:
        out = np.zeros((n, n))
        out[iu, ju] = vals
        out[ju, iu] = vals
        return out

    # --- baseline ---------------------------------------------------------
    labels = frame.index
    equal = np.ones(m)
    base_raw = combine(terms_s, terms_c, equal, sizes, group_weighting)
    baseline = pd.DataFrame(matrix(base_raw), index=labels.copy(), columns=labels.copy())
    _warn_nan_pairs(np.flatnonzero(np.isnan(base_raw)), iu, ju, labels)
    base_vec = np.round(base_raw, TIE_DECIMALS)
    base_mat = matrix(base_vec)
    base_df = pd.DataFrame(base_mat, index=labels, columns=labels)
    base_ok = ~np.isnan(base_vec)
    base_rank = _rank(base_vec)
    label_perm = np.argsort(_label_order(labels), kind="stable")
    base_pos = _peer_positions(base_mat[None], k_peers, label_perm)[0]
    base_peers = {u: tuple(labels[j] for j in row if j >= 0) for u, row in zip(labels, base_pos)}
    can_cluster = bool(base_ok.all())
    if can_cluster:
        base_labels = cluster(base_df, method=method).labels(n_clusters)
        base_codes = np.unique(base_labels.to_numpy(), return_inverse=True)[1]
        base_same = base_codes[:, None] == base_codes[None, :]

    # --- perturbations ----------------------------------------------------
    rng = np.random.default_rng(seed)
    weight_rows: list[np.ndarray] = []
    kinds_col: list[str] = []
    left_out: list = []
    if n_draws:
        draws = rng.dirichlet(np.full(m, concentration), size=n_draws) * m
        weight_rows.extend(draws)
        kinds_col.extend(["dirichlet"] * n_draws)
        left_out.extend([None] * n_draws)
    if m >= 2:
        for idx, u in enumerate(units):
            w = np.ones(m)
            w[idx] = 0.0
            weight_rows.append(w)
            kinds_col.append("leave-out")
            left_out.append(u)
    n_pert = len(weight_rows)
    weights = np.array(weight_rows).reshape(n_pert, m)

    dist = np.round(combine(terms_s, terms_c, weights, sizes, group_weighting), TIE_DECIMALS)
    dist = dist.reshape(n_pert, iu.size)
    isnan = np.isnan(dist)
    ok = base_ok & ~isnan
    skipped = (base_ok.sum() - ok.sum(axis=1)).astype(np.int64)
    ranks = _rank_rows(np.where(base_ok, dist, np.nan))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean_d = np.nanmean(dist, axis=1) if iu.size else np.full(n_pert, np.nan)

    # rank correlations: every perturbation without extra NaN at once
    spearman = np.full(n_pert, np.nan)
    clean = skipped == 0
    if base_ok.sum() >= 2 and clean.any():
        spearman[clean] = _pearson_rows(_rank(base_vec[base_ok]), ranks[clean][:, base_ok])
    for p in np.flatnonzero(~clean):
        spearman[p] = _spearman(base_vec[ok[p]], dist[p, ok[p]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        used_vals = np.where(ok, dist, np.nan)
        all_tied = (ok.sum(axis=1) >= 2) & (np.nanmax(used_vals, axis=1) == np.nanmin(used_vals, axis=1))

    # nearest peers, a chunk of perturbations at a time
    has_base_peers = base_pos[:, 0] >= 0
    base_sorted = np.sort(base_pos, axis=1)
    n_base_peers = (base_pos >= 0).sum(axis=1)
    peer_same = np.zeros((n_pert, n), dtype=bool)
    peer_overlap = np.zeros((n_pert, n))
    step = max(1, _PEER_CHUNK_CELLS // max(n * n, 1))
    for p0 in range(0, n_pert, step):
        block = dist[p0 : p0 + step]
        mats = np.zeros((block.shape[0], n, n))
        mats[:, iu, ju] = block
        mats[:, ju, iu] = block
        pos = _peer_positions(mats, k_peers, label_perm)
        peer_same[p0 : p0 + step] = (np.sort(pos, axis=2) == base_sorted[None]).all(axis=2)
        hits = (pos[:, :, :, None] == base_pos[None, :, None, :]) & (base_pos[None, :, None, :] >= 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            peer_overlap[p0 : p0 + step] = hits.sum(axis=(2, 3)) / n_base_peers

    # clusters: one linkage per perturbation without NaN
    ari = np.full(n_pert, np.nan)
    clustered = np.zeros(n_pert, dtype=bool)
    co_same = np.zeros((n_pert, n), dtype=bool)
    co_jacc = np.zeros((n_pert, n))
    if can_cluster:
        cut_tree = _tree_cutter(method)
        clustered = ~isnan.any(axis=1)
        rows = np.flatnonzero(clustered)
        codes = np.empty((rows.size, n), dtype=np.int64)
        for r, p in enumerate(rows):
            codes[r] = cut_tree(dist[p], n, n_clusters)
        if rows.size:
            ari[rows] = _ari_rows(base_codes, codes)
        for r0 in range(0, rows.size, step):
            part = rows[r0 : r0 + step]
            c = codes[r0 : r0 + step]
            same = c[:, :, None] == c[:, None, :]
            inter = (same & base_same).sum(axis=2) - 1  # without the unit itself
            union = (same | base_same).sum(axis=2) - 1
            co_same[part] = (same == base_same).all(axis=2)
            co_jacc[part] = np.where(union > 0, inter / np.maximum(union, 1), 1.0)

    # --- tables -----------------------------------------------------------
    def share(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
        if not rows.any():
            return np.full(values.shape[1], np.nan)
        return values[rows].mean(axis=0)

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

    every = np.ones(n_pert, dtype=bool)
    peer_table = pd.DataFrame(
        {
            "baseline_peers": [base_peers[u] for u in labels],
            "share_same_peers": np.where(has_base_peers, share(peer_same, every), np.nan),
            "mean_peer_overlap": np.where(has_base_peers, share(peer_overlap, every), np.nan),
            "n_used": np.where(has_base_peers, n_pert, 0),
        },
        index=pd.Index(labels, name="unit"),
    )

    cluster_table = pd.DataFrame(
        {
            "baseline_cluster": [base_labels[u] if can_cluster else np.nan for u in labels],
            "baseline_comembers": [
                tuple(labels[base_same[i] & (np.arange(n) != i)]) if can_cluster else None for i in range(n)
            ],
            "share_same_comembers": share(co_same, clustered),
            "mean_comember_jaccard": share(co_jacc, clustered),
            "n_used": np.full(n, int(clustered.sum())),
        },
        index=pd.Index(labels, name="unit"),
    )

    draws_table = pd.DataFrame(
        {
            "kind": kinds_col,
            "left_out": pd.Series(left_out, dtype=object),
            "spearman_vs_baseline": spearman,
            "all_tied": all_tied,
            "ari_vs_baseline": ari,
            "mean_pairwise_distance": mean_d,
            "n_pairs_skipped": skipped,
        },
        index=pd.RangeIndex(n_pert, name="draw"),
    )
    weights_table = pd.DataFrame(weights, columns=pd.Index(units), index=draws_table.index)

    lo = draws_table[draws_table["kind"] == "leave-out"]
    if len(lo) and lo["all_tied"].any():
        # every pair tied: the leave-out kept none of the baseline order
        worst_unit, worst_rho, worst_tied = lo.loc[lo["all_tied"], "left_out"].iloc[0], float("nan"), True
    elif len(lo) and lo["spearman_vs_baseline"].notna().any():
        worst = lo.loc[lo["spearman_vs_baseline"].idxmin()]
        worst_unit, worst_rho, worst_tied = worst["left_out"], float(worst["spearman_vs_baseline"]), False
    else:
        worst_unit, worst_rho, worst_tied = None, float("nan"), False

    # the baseline under the other group weighting, side by side
    other_raw = combine(terms_s, terms_c, equal, sizes, other)
    other_mat = matrix(np.round(other_raw, TIE_DECIMALS))
    other_pos = _peer_positions(other_mat[None], k_peers, label_perm)[0]
    other_peers = [tuple(labels[j] for j in row if j >= 0) for row in other_pos]
    both_ok = base_ok & ~np.isnan(other_raw)
    weighting_table = pd.DataFrame(
        {
            f"peers_{group_weighting}": [base_peers[u] for u in labels],
            f"peers_{other}": other_peers,
            "same_peers": [set(base_peers[u]) == set(o) for u, o in zip(labels, other_peers)],
        },
        index=pd.Index(labels, name="unit"),
    )
    diff = np.abs(base_raw - other_raw)

    def stat(values: np.ndarray, fn) -> float:
        v = values[~np.isnan(values)]
        return float(fn(v)) if v.size else float("nan")

    summary = pd.DataFrame(
        [
            {
                "n_units": n,
                "n_attributes": frame.shape[1],
                "weighted_over": "groups" if groups is not None else "columns",
                "group_weighting": group_weighting,
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
                "n_all_tied": int(all_tied.sum()),
                "ari_min": stat(ari, np.min),
                "ari_median": stat(ari, np.median),
                "share_same_peers_mean": float(peer_table["share_same_peers"].mean()),
                "share_same_comembers_mean": float(cluster_table["share_same_comembers"].mean()),
                "least_stable_leave_out": worst_unit,
                "least_stable_leave_out_spearman": worst_rho,
                "least_stable_leave_out_all_tied": worst_tied,
                "other_weighting": other,
                "other_weighting_spearman": _spearman(base_raw[both_ok], other_raw[both_ok]),
                "other_weighting_max_abs_difference": stat(diff, np.max),
                "other_weighting_n_units_peers_differ": int((~weighting_table["same_peers"]).sum()),
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
        weighting=weighting_table,
        other_baseline=pd.DataFrame(matrix(other_raw), index=labels.copy(), columns=labels.copy()),
    )


# Cells of the (perturbations x n x n) stack of matrices built at once for peer finding.
_PEER_CHUNK_CELLS = 1 << 21


def _warn_nan_pairs(nan: np.ndarray, iu: np.ndarray, ju: np.ndarray, labels: pd.Index) -> None:
    from .distance import _warn_nan_pairs as warn

    if nan.size:
        warn(list(zip(iu[nan].tolist(), ju[nan].tolist())), labels, stacklevel=4)
