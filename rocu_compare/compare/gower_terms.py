"""Gower's per-attribute terms, encoded once and combined by weights.

:func:`encode_frame` turns a mixed-type frame into arrays (numeric and
ordinal values scaled to [0, 1], category codes, presence masks) with as
little per-column pandas work as possible, so that small inputs (ten units)
cost microseconds rather than milliseconds.

:func:`pair_terms` then computes, for every unordered pair of units and
every *group* of attributes (a column is its own group when no groups are
given),

* ``S[p, g]`` - the sum of the per-attribute distances ``d_ijk`` over the
  attributes of group ``g`` observed for both units of pair ``p``;
* ``C[p, g]`` - the number of those attributes.

Every Gower matrix with any group weights is a cheap function of these two
arrays (:func:`combine`), which is what makes the weight perturbations of
:func:`~rocu_compare.compare.robustness` a few matrix products.

Two ways of weighting groups are supported (``group_weighting``):

``"per_pair"``
    Each group's distance is the mean of its attributes observed for both
    units, and the groups with at least one such attribute are averaged
    with their weights: every group with data counts fully for every pair.
``"fixed"``
    Each group's weight is split equally among its columns once and for
    all (Gower's coefficient with column weights ``W_g / |g|``): a pair
    missing some columns of a group counts that group for less.

The two coincide when no value is missing, or when every group is a single
column.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_complex_dtype, is_numeric_dtype

__all__ = [
    "GROUP_WEIGHTINGS",
    "EncodedFrame",
    "check_group_weighting",
    "combine",
    "encode_frame",
    "pair_terms",
    "upper_pairs",
]

#: The accepted values of ``group_weighting``.
GROUP_WEIGHTINGS: tuple[str, ...] = ("per_pair", "fixed")

# Below this many units an object column is factorised with a dict (pandas'
# hash table has a fixed cost of tens of microseconds per call).
_SMALL_FACTORIZE = 256

# Cells of the (pairs x attributes) work arrays processed at once.
_CHUNK_CELLS = 1 << 18


def check_group_weighting(value) -> str:
    """Return `value` if it is a known group weighting, else raise ValueError."""
    if value not in GROUP_WEIGHTINGS:
        raise ValueError(f"group_weighting must be one of {', '.join(map(repr, GROUP_WEIGHTINGS))}, got {value!r}")
    return value


@dataclass(frozen=True)
class EncodedFrame:
    """A frame encoded for Gower's coefficient.

    Attributes
    ----------
    names : list
        Column labels kept, numeric/ordinal ones first then categorical/binary
        ones (the order of the columns of `present`).
    kinds : list of str
        Kind of each kept column, same order.
    scaled : numpy.ndarray
        ``(n, k_num)`` numeric and ordinal values scaled to [0, 1] by their
        observed range (0 for a constant column and where missing).
    codes : numpy.ndarray
        ``(n, k_cat)`` integer category codes, -1 where missing.
    present : numpy.ndarray
        ``(n, k_num + k_cat)`` True where observed.
    """

    names: list
    kinds: list
    scaled: np.ndarray
    codes: np.ndarray
    present: np.ndarray

    @property
    def n_units(self) -> int:
        return self.present.shape[0]


_SIMPLE = (str, bool, int)


def _is_missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float):
        return v != v
    if isinstance(v, _SIMPLE):
        return False
    return bool(pd.isna(v)) if np.ndim(v) == 0 else False


def _factorize(values: np.ndarray) -> np.ndarray:
    """Integer codes of an object array, -1 for missing (like pd.factorize)."""
    if len(values) > _SMALL_FACTORIZE:
        return pd.factorize(values, use_na_sentinel=True)[0].astype(np.int64)
    seen: dict = {}
    return np.array(
        [seen.setdefault(v, len(seen)) if type(v) is str or not _is_missing(v) else -1 for v in values.tolist()],
        dtype=np.int64,
    ).reshape(len(values))


def _non_numeric(col: Hashable, dtype, what: str) -> TypeError:
    return TypeError(
        f"column {col!r} is declared {what} but has non-numeric dtype {dtype}; "
        "convert it with pandas.to_numeric or declare another kind"
    )


def _as_float(col: Hashable, s: pd.Series, what: str) -> np.ndarray:
    dtype = s.dtype
    if dtype == np.float64:
        return s.to_numpy()
    if not is_numeric_dtype(dtype) or is_complex_dtype(dtype):
        raise _non_numeric(col, dtype, what)
    return s.to_numpy(dtype=np.float64, na_value=np.nan)


def encode_frame(frame: pd.DataFrame, kinds: Mapping, keep: Sequence[bool] | None = None) -> EncodedFrame:
    """Encode the columns of `frame` (those with `keep` True) for Gower.

    Parameters
    ----------
    frame : pandas.DataFrame
        Units in rows, attributes in columns.
    kinds : dict
        Column -> kind (``numeric``, ``ordinal``, ``categorical``, ``binary``)
        for every column.
    keep : sequence of bool, optional
        One flag per column; columns flagged False are skipped.

    Returns
    -------
    EncodedFrame

    Raises
    ------
    TypeError, ValueError
        As documented in :func:`~rocu_compare.compare.gower_distance`.
    """
    n = len(frame)
    num_names, num_kinds, num_cols = [], [], []
    cat_names, cat_kinds, cat_cols = [], [], []
    for j, (col, s) in enumerate(frame.items()):
        if keep is not None and not keep[j]:
            continue
        kind = kinds[col]
        dtype = s.dtype
        if kind == "numeric":
            num_cols.append(_as_float(col, s, "numeric"))
        elif kind == "ordinal":
            if isinstance(dtype, pd.CategoricalDtype):
                if not dtype.ordered:
                    raise TypeError(
                        f"column {col!r} is declared ordinal but is an unordered categorical; declare "
                        "the order with pd.Categorical(values, categories=[...], ordered=True)"
                    )
                codes = s.array.codes
                num_cols.append(np.where(codes >= 0, codes, np.nan).astype(np.float64))
            elif is_numeric_dtype(dtype) and not is_bool_dtype(dtype):
                # numeric column declared ordinal: the order of the distinct observed
                # values defines the levels (dense ranks 0, 1, 2, ...)
                raw = _as_float(col, s, "ordinal")
                if np.isinf(raw).any():
                    raise ValueError(f"column {col!r} contains infinite values")
                ok = ~np.isnan(raw)
                x = np.full(raw.shape, np.nan)
                x[ok] = np.unique(raw[ok], return_inverse=True)[1]
                num_cols.append(x)
            else:
                raise TypeError(
                    f"column {col!r} is declared ordinal but has dtype {dtype}; use an ordered "
                    "categorical, pd.Categorical(values, categories=[...], ordered=True)"
                )
        else:
            if isinstance(dtype, pd.CategoricalDtype):
                codes = s.array.codes.astype(np.int64)
            elif dtype == np.bool_:
                codes = s.to_numpy().astype(np.int64)
            elif isinstance(dtype, pd.BooleanDtype):
                codes = s.array.to_numpy(dtype=np.int64, na_value=-1)
            else:
                codes = _factorize(s.to_numpy())
            if kind == "binary":
                levels = np.unique(codes[codes >= 0]).size
                if levels > 2:
                    raise ValueError(
                        f"column {col!r} is declared binary but has {levels} distinct values; declare it categorical"
                    )
            cat_cols.append(codes)
            cat_names.append(col)
            cat_kinds.append(kind)
            continue
        num_names.append(col)
        num_kinds.append(kind)

    if num_cols:
        x = np.array(num_cols, dtype=np.float64).T.copy()  # (n, k_num), a fresh array
        if np.isinf(x).any():
            raise ValueError(
                f"column {num_names[int(np.flatnonzero(np.isinf(x).any(axis=0))[0])]!r} contains infinite values"
            )
        num_present = ~np.isnan(x)
        # fmin/fmax skip NaN (an all-missing column gives NaN, and then 0 below)
        lo = np.fmin.reduce(x, axis=0) if n else np.zeros(x.shape[1])
        spread = np.fmax.reduce(x, axis=0) - lo if n else np.zeros(x.shape[1])
        # rescale to [0, 1] (no overflow for tiny ranges); constant columns
        # contribute 0 but still count in the denominator via `present`
        scaled = np.subtract(x, lo, out=x)
        scaled /= np.where(spread > 0, spread, 1.0)
        np.nan_to_num(scaled, copy=False, nan=0.0)
    else:
        scaled = np.zeros((n, 0))
        num_present = np.zeros((n, 0), dtype=bool)
    codes = np.array(cat_cols, dtype=np.int64).T.copy() if cat_cols else np.zeros((n, 0), dtype=np.int64)
    present = np.concatenate([num_present, codes >= 0], axis=1)
    return EncodedFrame(num_names + cat_names, num_kinds + cat_kinds, scaled, codes, present)


@lru_cache(maxsize=32)
def _triu(n: int) -> tuple[np.ndarray, np.ndarray]:
    iu, ju = np.triu_indices(n, k=1)
    iu.flags.writeable = False
    ju.flags.writeable = False
    return iu, ju


def upper_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column positions of the upper triangle, row-major (read-only, cached)."""
    return _triu(n)


def pair_terms(
    enc: EncodedFrame, membership: np.ndarray, pairs: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per-pair, per-group sums of distances and counts of common attributes.

    Parameters
    ----------
    enc : EncodedFrame
    membership : numpy.ndarray
        ``(k, G)`` 0/1 float matrix: column ``c`` of `enc` belongs to group ``g``.
    pairs : tuple of arrays, optional
        Positions ``(i, j)`` of the pairs; default the upper triangle.

    Returns
    -------
    S, C : numpy.ndarray
        ``(n_pairs, G)`` sums of ``d_ijk`` and counts of attributes observed
        for both units, per group.
    """
    iu, ju = pairs if pairs is not None else upper_pairs(enc.n_units)
    k_num = enc.scaled.shape[1]
    k = enc.present.shape[1]
    n_groups = membership.shape[1]
    s_out = np.empty((iu.size, n_groups))
    c_out = np.empty((iu.size, n_groups))
    step = max(1, _CHUNK_CELLS // max(k, 1))
    d = np.empty((min(step, iu.size), k))
    for p0 in range(0, iu.size, step):
        a, b = iu[p0 : p0 + step], ju[p0 : p0 + step]
        m = a.size
        dm = d[:m]
        np.subtract(enc.scaled[a], enc.scaled[b], out=dm[:, :k_num])
        np.abs(dm[:, :k_num], out=dm[:, :k_num])
        dm[:, k_num:] = enc.codes[a] != enc.codes[b]
        common = enc.present[a] & enc.present[b]
        dm *= common
        np.matmul(dm, membership, out=s_out[p0 : p0 + m])
        np.matmul(common.astype(np.float64), membership, out=c_out[p0 : p0 + m])
    return s_out, c_out


def combine(
    s: np.ndarray, c: np.ndarray, group_weights: np.ndarray, sizes: np.ndarray, group_weighting: str
) -> np.ndarray:
    """Gower distances of every pair for one or many group weight vectors.

    Parameters
    ----------
    s, c : numpy.ndarray
        ``(n_pairs, G)`` output of :func:`pair_terms`.
    group_weights : numpy.ndarray
        ``(G,)`` or ``(n_weightings, G)`` non-negative group weights.
    sizes : numpy.ndarray
        ``(G,)`` number of columns in each group.
    group_weighting : {"per_pair", "fixed"}

    Returns
    -------
    numpy.ndarray
        ``(n_pairs,)`` or ``(n_weightings, n_pairs)`` distances in [0, 1], NaN
        where the pair has no attribute with positive weight in common.
    """
    w = np.asarray(group_weights, dtype=np.float64)
    single = w.ndim == 1
    w = np.atleast_2d(w)
    with np.errstate(invalid="ignore", divide="ignore"):
        if group_weighting == "fixed":
            wc = w / sizes
            num = wc @ s.T
            den = wc @ c.T
        else:
            has = c > 0
            mean = np.where(has, s / np.where(has, c, 1.0), 0.0)
            num = w @ mean.T
            den = w @ has.T.astype(np.float64)
        out = num / den
    out[den <= 0] = np.nan
    np.clip(out, 0.0, 1.0, out=out)
    return out[0] if single else out
