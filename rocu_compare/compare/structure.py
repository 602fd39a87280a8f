"""Structure in a distance matrix: clustering, ordination, peers and spread.

Every function takes a square, symmetric, labelled distance
:class:`pandas.DataFrame` such as the one returned by
:func:`rocu_compare.compare.gower_distance`.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "ClusterResult",
    "MDSResult",
    "classical_mds",
    "cluster",
    "nearest_peers",
    "spread_summary",
]

_LINKAGE_METHODS = ("single", "complete", "average", "weighted", "centroid", "median", "ward")
_EUCLIDEAN_METHODS = ("centroid", "median", "ward")

# Distances are rounded to this many decimals when ranking, so that
# floating-point noise does not decide ties.
TIE_DECIMALS = 12


# --------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------


def _check_distance(distance, allow_nan: bool = True) -> np.ndarray:
    """Validate a labelled distance matrix and return it as a float array."""
    if not isinstance(distance, pd.DataFrame):
        raise TypeError(f"expected a distance DataFrame, got {type(distance).__name__}")
    n, m = distance.shape
    if n != m:
        raise ValueError(f"distance matrix must be square, got shape {distance.shape}")
    if not distance.index.equals(distance.columns):
        raise ValueError("distance matrix must have the same labels, in the same order, in its index and columns")
    if not distance.index.is_unique:
        raise ValueError("distance matrix labels must be unique")
    try:
        d = distance.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        raise TypeError("distance matrix must be numeric") from None
    finite = ~np.isnan(d)
    if np.isinf(d).any():
        raise ValueError("distance matrix contains infinite values")
    if (d[finite] < 0).any():
        raise ValueError("distance matrix contains negative values")
    sym = (np.isnan(d) == np.isnan(d.T)) & (np.isnan(d) | np.isclose(d, d.T, rtol=1e-9, atol=1e-12))
    if not sym.all():
        i, j = np.argwhere(~sym)[0]
        raise ValueError(f"distance matrix is not symmetric, e.g. at ({distance.index[i]!r}, {distance.index[j]!r})")
    if not allow_nan:
        iu, ju = np.nonzero(np.triu(np.isnan(d), k=1))
        if iu.size:
            pairs = [(distance.index[i], distance.index[j]) for i, j in zip(iu, ju)]
            shown = ", ".join(f"({a!r}, {b!r})" for a, b in pairs[:10])
            more = f" and {len(pairs) - 10} more" if len(pairs) > 10 else ""
            raise ValueError(
                f"distance matrix has {len(pairs)} NaN pair(s): {shown}{more}; "
                "drop the units concerned or impute before clustering/ordination"
            )
    # exact symmetry and zero diagonal for downstream algorithms
    d = np.where(np.isnan(d) & np.isnan(d.T), np.nan, (d + d.T) / 2)
    np.fill_diagonal(d, 0.0)
    return d


def _label_order(labels: pd.Index) -> np.ndarray:
    """Rank of each label in sorted order (by ``str`` when not comparable)."""
    positions = np.arange(len(labels))
    try:
        order = sorted(positions, key=lambda p: labels[p])
    except TypeError:
        order = sorted(positions, key=lambda p: str(labels[p]))
    rank = np.empty(len(labels), dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = positions
    return rank


# --------------------------------------------------------------------------
# Hierarchical clustering
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterResult:
    """Result of :func:`cluster`.

    Attributes
    ----------
    method : str
        The scipy linkage method.
    linkage : numpy.ndarray
        The scipy linkage matrix, shape ``(n - 1, 4)``, rows refer to units
        by position in :attr:`units`.
    units : pandas.Index
        Unit labels in the order of the distance matrix.
    order : list
        Unit labels in dendrogram leaf order (left to right).
    cophenetic_correlation : float
        Pearson correlation between the input distances and the cophenetic
        (dendrogram) distances; 1 means the tree represents the distances
        perfectly. NaN with fewer than three units or constant distances.
    """

    method: str
    linkage: np.ndarray = field(repr=False)
    units: pd.Index
    order: list
    cophenetic_correlation: float

    def __repr__(self) -> str:
        from .summaries import cluster_lines

        return f"<ClusterResult: {'; '.join(cluster_lines(self))}>"

    def _repr_html_(self) -> str:
        from .summaries import cluster_lines, html_summary

        return html_summary("Hierarchical clustering", cluster_lines(self))

    def labels(self, k: int) -> pd.Series:
        """Cut the tree into (at most) `k` clusters.

        Parameters
        ----------
        k : int
            Number of clusters, between 1 and the number of units. Ties in
            merge heights can yield fewer clusters.

        Returns
        -------
        pandas.Series
            Cluster id (1, 2, ...) per unit, indexed by unit label in the
            distance-matrix order. Ids are numbered in dendrogram leaf order:
            the left-most cluster is 1.
        """
        from scipy.cluster.hierarchy import fcluster

        n = len(self.units)
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= n:
            raise ValueError(f"k must be an integer between 1 and {n}, got {k!r}")
        if n == 1:
            return pd.Series([1], index=self.units, name="cluster")
        raw = fcluster(self.linkage, t=k, criterion="maxclust")
        pos = {label: i for i, label in enumerate(self.units)}
        renumber: dict[int, int] = {}
        for label in self.order:
            c = raw[pos[label]]
            if c not in renumber:
                renumber[c] = len(renumber) + 1
        return pd.Series([renumber[c] for c in raw], index=self.units, name="cluster")


def cluster(distance: pd.DataFrame, method: str = "average") -> ClusterResult:
    """Agglomerative hierarchical clustering of a distance matrix.

    Parameters
    ----------
    distance : pandas.DataFrame
        Square symmetric labelled distances, no NaN.
    method : str, default "average"
        A :func:`scipy.cluster.hierarchy.linkage` method: ``"average"``
        (UPGMA), ``"single"``, ``"complete"``, ``"weighted"`` are valid for
        any dissimilarity; ``"ward"``, ``"centroid"`` and ``"median"`` assume
        Euclidean distances and trigger a :class:`UserWarning` (Gower
        distances are not Euclidean in general; their square roots are when
        there are no missing values).

    Returns
    -------
    ClusterResult

    Raises
    ------
    ValueError
        NaN distances (the pairs are named), unknown method, fewer than two
        units, or a malformed matrix.

    Examples
    --------
    >>> import pandas as pd
    >>> pts = pd.Series([0.0, 0.1, 5.0, 5.2], index=list("ABCD"))
    >>> d = pd.DataFrame(abs(pts.values[:, None] - pts.values[None, :]),
    ...                  index=pts.index, columns=pts.index)
    >>> res = cluster(d)
    >>> res.labels(2).tolist()
    [1, 1, 2, 2]
    >>> res.order
    ['A', 'B', 'C', 'D']
    """
    from scipy.cluster.hierarchy import cophenet, leaves_list, linkage
    from scipy.spatial.distance import squareform

    if method not in _LINKAGE_METHODS:
        raise ValueError(f"unknown linkage method {method!r}; use one of {', '.join(_LINKAGE_METHODS)}")
    d = _check_distance(distance, allow_nan=False)
    n = d.shape[0]
    if n < 2:
        raise ValueError("clustering needs at least two units")
    if method in _EUCLIDEAN_METHODS:
        warnings.warn(
            f"linkage method {method!r} assumes Euclidean distances; Gower and other "
            "non-Euclidean dissimilarities can give inversions or misleading heights "
            "(consider 'average' or 'complete')",
            UserWarning,
            stacklevel=2,
        )
    condensed = squareform(d, checks=False)
    z = linkage(condensed, method=method)
    if n >= 3 and np.ptp(condensed) > 0:
        coph = float(cophenet(z, condensed)[0])
    else:
        coph = float("nan")
    order = [distance.index[i] for i in leaves_list(z)]
    return ClusterResult(
        method=method,
        linkage=z,
        units=distance.index.copy(),
        order=order,
        cophenetic_correlation=coph,
    )


# --------------------------------------------------------------------------
# Classical multidimensional scaling
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class MDSResult:
    """Result of :func:`classical_mds`.

    Attributes
    ----------
    coordinates : pandas.DataFrame
        One row per unit, columns ``dim1``, ``dim2``, ... Dimensions whose
        eigenvalue is not positive have coordinates 0.
    eigenvalues : numpy.ndarray
        All eigenvalues of the double-centred matrix, in decreasing order
        (values within ``1e-10`` of the largest magnitude are set to 0).
    variance_explained : pandas.Series
        Share of the sum of the *positive* eigenvalues carried by each
        retained dimension (index ``dim1``, ``dim2``, ...).
    total_variance_explained : float
        Sum of :attr:`variance_explained`.
    negative_eigen_share : float
        ``sum(|negative eigenvalues|) / sum(|all eigenvalues|)``: 0 for
        Euclidean-embeddable distances; larger values signal that the
        distances cannot be drawn faithfully in any Euclidean space.
    """

    coordinates: pd.DataFrame
    eigenvalues: np.ndarray = field(repr=False)
    variance_explained: pd.Series
    total_variance_explained: float
    negative_eigen_share: float

    def __repr__(self) -> str:
        from .summaries import mds_lines

        return f"<MDSResult: {'; '.join(mds_lines(self))}>"

    def _repr_html_(self) -> str:
        from .summaries import html_summary, mds_lines

        return html_summary("Classical MDS", mds_lines(self), self.coordinates.iloc[:, :2])


def classical_mds(distance: pd.DataFrame, n_components: int = 2) -> MDSResult:
    r"""Classical (Torgerson-Gower) multidimensional scaling.

    With :math:`D^{(2)}` the squared distances and :math:`J` the centring
    matrix, the eigen-decomposition of :math:`B = -\tfrac12 J D^{(2)} J`
    gives coordinates :math:`v_m \sqrt{\lambda_m}` for the leading positive
    eigenvalues. Signs are made deterministic: in every dimension the
    coordinate of largest absolute value is positive (the first such unit
    on ties).

    Parameters
    ----------
    distance : pandas.DataFrame
        Square symmetric labelled distances, no NaN.
    n_components : int, default 2
        Number of dimensions, between 1 and the number of units.

    Returns
    -------
    MDSResult

    Raises
    ------
    ValueError
        NaN distances, bad `n_components`, malformed matrix.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.Series([0.0, 1.0, 3.0], index=["A", "B", "C"])
    >>> d = pd.DataFrame(abs(x.values[:, None] - x.values[None, :]),
    ...                  index=x.index, columns=x.index)
    >>> res = classical_mds(d, n_components=1)
    >>> res.coordinates["dim1"].round(6).tolist()
    [-1.333333, -0.333333, 1.666667]
    >>> round(res.total_variance_explained, 6)
    1.0
    """
    d = _check_distance(distance, allow_nan=False)
    n = d.shape[0]
    if (
        isinstance(n_components, bool)
        or not isinstance(n_components, (int, np.integer))
        or not 1 <= n_components <= max(n, 1)
    ):
        raise ValueError(f"n_components must be an integer between 1 and {n}, got {n_components!r}")
    if n == 0:
        raise ValueError("empty distance matrix")
    d2 = d**2
    b = d2 - d2.mean(axis=0, keepdims=True) - d2.mean(axis=1, keepdims=True) + d2.mean()
    b = -0.5 * b
    b = (b + b.T) / 2
    vals, vecs = np.linalg.eigh(b)
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    scale = np.max(np.abs(vals)) if vals.size else 0.0
    vals = np.where(np.abs(vals) <= 1e-10 * max(scale, 1e-300), 0.0, vals)
    pos_sum = vals[vals > 0].sum()
    abs_sum = np.abs(vals).sum()
    names = [f"dim{m + 1}" for m in range(n_components)]
    coords = np.zeros((n, n_components))
    for m in range(n_components):
        if vals[m] > 0:
            v = vecs[:, m] * np.sqrt(vals[m])
            big = int(np.argmax(np.abs(np.round(v, 12))))
            if v[big] < 0:
                v = -v
            coords[:, m] = v
    share = np.where(vals[:n_components] > 0, vals[:n_components], 0.0)
    share = share / pos_sum if pos_sum > 0 else np.full(n_components, np.nan)
    ve = pd.Series(share, index=names, name="variance_explained")
    return MDSResult(
        coordinates=pd.DataFrame(coords, index=distance.index.copy(), columns=names),
        eigenvalues=vals,
        variance_explained=ve,
        total_variance_explained=float(ve.sum()) if pos_sum > 0 else float("nan"),
        negative_eigen_share=float(np.abs(vals[vals < 0]).sum() / abs_sum) if abs_sum > 0 else 0.0,
    )


# --------------------------------------------------------------------------
# Peers
# --------------------------------------------------------------------------


def nearest_peers(distance: pd.DataFrame, k: int = 3) -> pd.DataFrame:
    """The `k` nearest other units of every unit.

    Parameters
    ----------
    distance : pandas.DataFrame
        Square symmetric labelled distances; NaN distances are skipped.
    k : int, default 3
        Number of peers per unit (fewer when not enough non-NaN distances).

    Returns
    -------
    pandas.DataFrame
        Long table with columns ``unit``, ``rank`` (1..k), ``peer``,
        ``distance``, ordered by unit (distance-matrix order) then rank.
        Ties in distance (after rounding to 12 decimals, so that floating
        point noise does not decide) are broken by peer label.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame([[0, 1, 2], [1, 0, 1], [2, 1, 0]],
    ...                  index=list("ABC"), columns=list("ABC"), dtype=float)
    >>> nearest_peers(d, k=1)
      unit  rank peer  distance
    0    A     1    B       1.0
    1    B     1    A       1.0
    2    C     1    B       1.0
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    d = _check_distance(distance)
    labels = distance.index
    n = d.shape[0]
    label_rank = _label_order(labels)
    rows_unit, rows_rank, rows_peer, rows_dist = [], [], [], []
    for i in range(n):
        row = d[i]
        cand = np.flatnonzero(~np.isnan(row) & (np.arange(n) != i))
        if cand.size == 0:
            continue
        key_d = np.round(d[i, cand], TIE_DECIMALS)
        order = np.lexsort((label_rank[cand], key_d))[:k]
        for r, j in enumerate(cand[order], start=1):
            rows_unit.append(labels[i])
            rows_rank.append(r)
            rows_peer.append(labels[j])
            rows_dist.append(d[i, j])
    return pd.DataFrame(
        {
            "unit": pd.Series(rows_unit, dtype=labels.dtype if len(rows_unit) else object),
            "rank": pd.Series(rows_rank, dtype=np.int64),
            "peer": pd.Series(rows_peer, dtype=labels.dtype if len(rows_peer) else object),
            "distance": pd.Series(rows_dist, dtype=np.float64),
        }
    )


# --------------------------------------------------------------------------
# Spread
# --------------------------------------------------------------------------


def _attribute_agreement(frame: pd.DataFrame, kinds: Mapping | None) -> dict:
    from .distance import _resolve_kinds

    resolved = _resolve_kinds(frame, kinds)
    columns = list(kinds) if kinds else list(frame.columns)
    n_assessed = n_agree = n_too_few = 0
    agree_cols = []
    for col in columns:
        s = frame[col]
        numeric = resolved[col] in ("numeric", "ordinal") and not isinstance(s.dtype, pd.CategoricalDtype)
        if numeric:  # compared as numbers, on the array: no frame per column
            x = s.to_numpy(dtype=np.float64, na_value=np.nan)
            x = x[~np.isnan(x)]
            n_present = x.size
        else:
            observed = s[s.notna()]
            n_present = len(observed)
        if n_present < 2:
            n_too_few += 1
            continue
        n_assessed += 1
        same = bool(np.all(x == x[0])) if numeric else observed.nunique(dropna=True) == 1
        if same:
            n_agree += 1
            agree_cols.append(col)
    return {
        "n_attributes_assessed": n_assessed,
        "n_attributes_agree": n_agree,
        "share_attributes_agree": n_agree / n_assessed if n_assessed else float("nan"),
        "n_attributes_too_few_values": n_too_few,
        "attributes_agree": agree_cols,
    }


def spread_summary(
    distance: pd.DataFrame,
    frame: pd.DataFrame | None = None,
    kinds: Mapping[Hashable, str] | None = None,
) -> pd.Series:
    """How spread out the units are.

    Parameters
    ----------
    distance : pandas.DataFrame
        Square symmetric labelled distances.
    frame : pandas.DataFrame, optional
        The data behind the distances (same units). When given, the
        attributes on which all units with a value agree are counted.
    kinds : dict, optional
        Column -> kind (see :func:`rocu_compare.compare.gower_distance`).
        When given, only these columns of `frame` are assessed; numeric and
        ordinal columns are compared as numbers, others as labels.

    Returns
    -------
    pandas.Series
        ``n_units``, ``n_pairs`` (all unordered pairs), ``n_pairs_used``
        (non-NaN), ``mean_distance``, ``median_distance``, ``max_distance``,
        ``max_pair``, ``min_distance``, ``min_pair`` (pairs as label tuples;
        the first in row-major upper-triangle order on ties) and, with
        `frame`: ``n_attributes_assessed`` (attributes with at least two
        observed values), ``n_attributes_agree`` (all observed values
        equal), ``share_attributes_agree``, ``n_attributes_too_few_values``
        (fewer than two observed values; excluded) and ``attributes_agree``
        (their labels).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame([[0, 1, 2], [1, 0, 3], [2, 3, 0]],
    ...                  index=list("ABC"), columns=list("ABC"), dtype=float)
    >>> s = spread_summary(d)
    >>> float(s["mean_distance"]), s["max_pair"], s["min_pair"]
    (2.0, ('B', 'C'), ('A', 'B'))
    """
    d = _check_distance(distance)
    n = d.shape[0]
    labels = distance.index
    iu, ju = np.triu_indices(n, k=1)
    vals = d[iu, ju]
    ok = ~np.isnan(vals)
    out: dict = {"n_units": n, "n_pairs": int(vals.size), "n_pairs_used": int(ok.sum())}
    if ok.any():
        v = vals[ok]
        imax = int(np.flatnonzero(ok)[np.argmax(v)])
        imin = int(np.flatnonzero(ok)[np.argmin(v)])
        out.update(
            mean_distance=float(v.mean()),
            median_distance=float(np.median(v)),
            max_distance=float(vals[imax]),
            max_pair=(labels[iu[imax]], labels[ju[imax]]),
            min_distance=float(vals[imin]),
            min_pair=(labels[iu[imin]], labels[ju[imin]]),
        )
    else:
        out.update(
            mean_distance=np.nan,
            median_distance=np.nan,
            max_distance=np.nan,
            max_pair=None,
            min_distance=np.nan,
            min_pair=None,
        )
    if frame is not None:
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"`frame` must be a DataFrame, got {type(frame).__name__}")
        if set(frame.index) != set(labels) or len(frame.index) != n:
            raise ValueError("`frame` must have exactly the units of the distance matrix")
        out.update(_attribute_agreement(frame.loc[labels], kinds))
    return pd.Series(out, dtype=object, name="spread")
