"""Pairwise distances between units (rows) of a data frame.

All functions are pure: they take a :class:`pandas.DataFrame` whose index
labels the units and return a square, symmetric, labelled
:class:`pandas.DataFrame` of distances with a zero diagonal.

The main entry point is :func:`gower_distance`, Gower's (1971) general
coefficient for mixed numeric, ordinal, categorical and binary attributes
with missing values. :func:`jaccard_distance` and :func:`hamming_distance`
compare binary (capability) vectors and :func:`standardised_euclidean`
compares purely numeric profiles.

Implementation notes
--------------------
Small inputs (up to 32,768 pair x attribute cells) are computed
from the per-pair terms of :mod:`~rocu_compare.compare.gower_terms` in a
few array operations. For larger ones the matrices are accumulated attribute by attribute (never pair by pair)
over blocks of rows of the upper triangle, in ``float64``, so that the
memory used is dominated by the ``n x n`` result and no ``k x n x n`` tensor
is ever built. The lower triangle is a mirror of the upper one, so results
are exactly symmetric.

References
----------
Gower, J. C. (1971). A general coefficient of similarity and some of its
properties. *Biometrics*, 27(4), 857-871.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import (
    is_bool_dtype,
    is_complex_dtype,
    is_numeric_dtype,
    is_object_dtype,
    is_string_dtype,
)

from .gower_terms import (
    EncodedFrame,
    check_group_weighting,
    combine,
    encode_frame,
    pair_terms,
    upper_pairs,
)

__all__ = [
    "KINDS",
    "NoCommonAttributesWarning",
    "default_kinds",
    "gower_distance",
    "hamming_distance",
    "jaccard_distance",
    "standardised_euclidean",
]

#: The attribute kinds understood by :func:`gower_distance`.
KINDS: tuple[str, ...] = ("numeric", "ordinal", "categorical", "binary")

# Number of float64 cells in one block of rows (2 MiB): keeps the temporary
# arrays in cache while still amortising the Python loop over attributes.
_BLOCK_CELLS = 1 << 18

# Denominators below this share of the total weight are recomputed exactly.
_CANCELLATION_TOL = 1e-6

# Maximum number of pairs spelled out in a NoCommonAttributesWarning message.
_MAX_PAIRS_IN_MESSAGE = 10


class NoCommonAttributesWarning(UserWarning):
    """Some pairs of units have no attribute observed in both.

    Their distance is undefined and returned as NaN. The offending pairs
    (as ``(label_a, label_b)`` tuples, each pair once) are available in the
    :attr:`pairs` attribute of the warning instance.
    """

    def __init__(self, message: str, pairs: list[tuple[Hashable, Hashable]] | None = None):
        super().__init__(message)
        self.pairs = list(pairs or [])


# --------------------------------------------------------------------------
# Attribute kinds
# --------------------------------------------------------------------------


def _kind_of_dtype(dtype) -> str | None:
    if isinstance(dtype, pd.CategoricalDtype):
        return "ordinal" if dtype.ordered else "categorical"
    try:
        return _KIND_BY_DTYPE[dtype]
    except (KeyError, TypeError):
        pass
    if is_bool_dtype(dtype):
        kind = "binary"
    elif is_numeric_dtype(dtype) and not is_complex_dtype(dtype):
        kind = "numeric"
    elif is_object_dtype(dtype) or is_string_dtype(dtype):
        kind = "categorical"
    else:
        kind = None
    try:
        _KIND_BY_DTYPE[dtype] = kind
    except TypeError:  # pragma: no cover - unhashable extension dtype
        pass
    return kind


# dtype -> inferred kind: dtype checks cost microseconds each, and small
# frames are compared many times
_KIND_BY_DTYPE: dict = {}


def _infer_kind(column: Hashable, dtype) -> str:
    kind = _kind_of_dtype(dtype)
    if kind is None:
        raise TypeError(
            f"cannot infer the kind of column {column!r} with dtype {dtype}; "
            f"declare it in `kinds` as one of {', '.join(KINDS)} "
            "or convert it to a supported dtype"
        )
    return kind


def default_kinds(frame: pd.DataFrame) -> dict[Hashable, str]:
    """Infer the Gower attribute kind of every column from its dtype.

    Booleans (``bool`` or ``boolean``) are ``"binary"``; other numbers are
    ``"numeric"``; an *ordered* categorical is ``"ordinal"``; an unordered
    categorical, object or string column is ``"categorical"``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Units in rows, attributes in columns.

    Returns
    -------
    dict
        Column label -> kind, in column order.

    Raises
    ------
    TypeError
        If a column has a dtype with no obvious kind (e.g. datetime).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "staff": [10.0, 20.0],
    ...     "grade": pd.Categorical(["low", "high"], categories=["low", "high"], ordered=True),
    ...     "region": ["north", "south"],
    ...     "has_lab": [True, False],
    ... })
    >>> default_kinds(df)
    {'staff': 'numeric', 'grade': 'ordinal', 'region': 'categorical', 'has_lab': 'binary'}
    """
    _check_frame(frame)
    return {col: _infer_kind(col, s.dtype) for col, s in frame.items()}


def _resolve_kinds(frame: pd.DataFrame, kinds: Mapping | None) -> dict[Hashable, str]:
    if kinds is None:
        kinds = {}
    if not isinstance(kinds, Mapping):
        raise TypeError(f"`kinds` must be a dict mapping column -> kind, got {type(kinds).__name__}")
    unknown_cols = [c for c in kinds if c not in frame.columns] if kinds else []
    if unknown_cols:
        raise ValueError(
            f"`kinds` names column(s) not in the frame: {unknown_cols!r}; available columns: {list(frame.columns)!r}"
        )
    bad = {c: k for c, k in kinds.items() if k not in KINDS}
    if bad:
        raise ValueError(f"unknown kind(s) {bad!r} in `kinds`; each kind must be one of {', '.join(KINDS)}")
    # the dtypes in one pass: no Series per column
    return {col: kinds[col] if col in kinds else _infer_kind(col, dtype) for col, dtype in frame.dtypes.items()}


# --------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------


def _check_weight(name: Hashable, value, what: str) -> float:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"weight for {what} {name!r} must be a number, got a boolean")
    try:
        w = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"weight for {what} {name!r} must be a number, got {value!r}") from None
    if not math.isfinite(w):
        raise ValueError(f"weight for {what} {name!r} must be finite, got {w}")
    if w < 0:
        raise ValueError(f"weight for {what} {name!r} must be >= 0, got {w}")
    return w


def _as_mapping(obj, name: str) -> Mapping:
    if obj is None:
        return {}
    if isinstance(obj, pd.Series):
        return dict(obj.items())
    if not isinstance(obj, Mapping):
        raise TypeError(f"`{name}` must be a dict, got {type(obj).__name__}")
    return obj


def _group_plan(
    frame: pd.DataFrame, weights: Mapping | None, groups: Mapping | None
) -> tuple[dict[Hashable, Hashable], dict[Hashable, float]]:
    """Resolve the group of every column and the weight of every group.

    Without `groups` every column is its own group (named after it) and
    `weights` are per column.
    """
    weights = _as_mapping(weights, "weights")
    if groups is None:
        unknown = [c for c in weights if c not in frame.columns]
        if unknown:
            raise ValueError(
                f"`weights` names column(s) not in the frame: {unknown!r} "
                "(to weight groups of columns, also pass `groups`)"
            )
        group_w = {col: _check_weight(col, weights[col], "column") if col in weights else 1.0 for col in frame.columns}
        return {col: col for col in frame.columns}, group_w

    groups = _as_mapping(groups, "groups")
    unknown = [c for c in groups if c not in frame.columns]
    if unknown:
        raise ValueError(f"`groups` names column(s) not in the frame: {unknown!r}")
    group_of = column_groups(frame.columns, groups)
    names = dict.fromkeys(group_of.values())
    unknown = [g for g in weights if g not in names]
    if unknown:
        raise ValueError(f"`weights` names group(s) that do not exist: {unknown!r}; known groups: {list(names)!r}")
    group_w = {g: _check_weight(g, weights[g], "group") if g in weights else 1.0 for g in names}
    return group_of, group_w


def _column_weights(frame: pd.DataFrame, weights: Mapping | None, groups: Mapping | None) -> dict[Hashable, float]:
    """Resolve per-column weights from per-column or per-group weights (fixed shares)."""
    group_of, group_w = _group_plan(frame, weights, groups)
    sizes: dict[Hashable, int] = {}
    for g in group_of.values():
        sizes[g] = sizes.get(g, 0) + 1
    return {col: group_w[g] / sizes[g] for col, g in group_of.items()}


def column_groups(columns, groups: Mapping) -> dict[Hashable, Hashable]:
    """Map every column to its group; ungrouped columns form their own group.

    Parameters
    ----------
    columns : iterable
        Column labels.
    groups : dict
        Column -> group name, possibly covering only some columns.

    Returns
    -------
    dict
        Column -> group name for every column. A column absent from
        `groups` is a singleton group named after the column.

    Raises
    ------
    ValueError
        If an ungrouped column's name clashes with a group name.

    Examples
    --------
    >>> column_groups(["a", "b", "c"], {"a": "g", "b": "g"})
    {'a': 'g', 'b': 'g', 'c': 'c'}
    """
    columns = list(columns)
    named = set(groups[c] for c in columns if c in groups)
    out = {}
    for col in columns:
        if col in groups:
            out[col] = groups[col]
        else:
            if col in named:
                raise ValueError(
                    f"column {col!r} is not in `groups` but a group has the same name; "
                    "assign it to a group explicitly or rename the group"
                )
            out[col] = col
    return out


# --------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------


@dataclass
class _Encoded:
    """One attribute ready for accumulation."""

    name: Hashable
    kind: str
    weight: float
    present: np.ndarray  # bool, shape (n,)
    values: np.ndarray | None = None  # float: scaled so |x_i - x_j| is the weighted term
    codes: np.ndarray | None = None  # int: categories, -1 for missing

    @property
    def missing_idx(self) -> np.ndarray:
        return np.flatnonzero(~self.present)


def _numeric_values(frame: pd.DataFrame, col: Hashable, what: str) -> np.ndarray:
    s = frame[col]
    if not is_numeric_dtype(s.dtype) or is_complex_dtype(s.dtype):
        raise TypeError(
            f"column {col!r} is declared {what} but has non-numeric dtype {s.dtype}; "
            "convert it with pandas.to_numeric or declare another kind"
        )
    x = s.to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isinf(x).any():
        raise ValueError(f"column {col!r} contains infinite values")
    return x


# --------------------------------------------------------------------------
# Block accumulation kernel
# --------------------------------------------------------------------------


def _block_rows(n: int) -> int:
    return max(1, min(n, _BLOCK_CELLS // max(n, 1)))


class _Terms:
    """Attributes prepared for the block kernel (see :func:`_accumulate`)."""

    def __init__(self, attrs: list[_Encoded], n: int):
        self.n_attrs = len(attrs)
        self.numeric = [(a.values, a.missing_idx) for a in attrs if a.values is not None and np.any(a.values != 0)]
        self.categorical = [(a.codes, a.weight, a.missing_idx) for a in attrs if a.codes is not None]
        self.total_w = float(sum(a.weight for a in attrs))
        self.with_missing = [(a.weight, a.missing_idx) for a in attrs if a.missing_idx.size]
        self.miss_w = np.zeros(n)
        self.miss_k = np.zeros(n, dtype=np.int32)
        for w, miss in self.with_missing:
            self.miss_w[miss] += w
            self.miss_k[miss] += 1
        if self.with_missing:
            # for the exact recomputation of denominators lost to cancellation
            self.presence = np.column_stack([a.present for a in attrs]).astype(np.float64)
            self.presence_w = self.presence * np.array([a.weight for a in attrs])

    def numerator(self, acc: np.ndarray, t: np.ndarray, e: np.ndarray, i0: int, i1: int, square: bool) -> None:
        """Add ``sum_k w_k delta_ijk d_ijk`` for rows ``i0:i1``, columns ``i0:`` to `acc`."""
        for x, miss in self.numeric:
            np.subtract(x[i0:i1, None], x[None, i0:], out=t)
            if square:
                np.square(t, out=t)
            else:
                np.abs(t, out=t)
            _zero_missing(t, miss, i0, i1)
            acc += t
        for codes, w, miss in self.categorical:
            np.not_equal(codes[i0:i1, None], codes[None, i0:], out=e)
            _zero_missing(e, miss, i0, i1)
            np.multiply(e, w, out=t)
            acc += t

    def count(self, cnt: np.ndarray, i0: int, i1: int) -> None:
        """Fill `cnt` with the number of attributes observed for both units."""
        np.subtract(self.n_attrs - self.miss_k[i0:i1, None], self.miss_k[None, i0:], out=cnt)
        for _, miss in self.with_missing:
            lo = np.searchsorted(miss, i0)
            hi = np.searchsorted(miss, i1)
            if hi > lo:
                cnt[np.ix_(miss[lo:hi] - i0, miss[lo:] - i0)] += 1

    def denominator(self, den: np.ndarray, cnt: np.ndarray | None, i0: int, i1: int) -> np.ndarray | None:
        """Fill `den` with ``sum_k w_k delta_ijk``; return the pairs with none in common.

        Returns None (and fills `den` with the total weight) when no value is missing.
        """
        if not self.with_missing:
            den.fill(self.total_w)
            return None
        np.subtract(self.total_w - self.miss_w[i0:i1, None], self.miss_w[None, i0:], out=den)
        np.subtract(self.n_attrs - self.miss_k[i0:i1, None], self.miss_k[None, i0:], out=cnt)
        for w, miss in self.with_missing:
            lo = np.searchsorted(miss, i0)
            hi = np.searchsorted(miss, i1)
            if hi > lo:
                cell = np.ix_(miss[lo:hi] - i0, miss[lo:] - i0)
                den[cell] += w
                cnt[cell] += 1
        none_common = cnt <= 0
        # W - r_i - r_j + b_ij loses precision when the common weight is
        # tiny relative to W (e.g. extreme Dirichlet weights): recompute
        # those few denominators directly as sums of non-negative terms
        fragile = (den < _CANCELLATION_TOL * self.total_w) & ~none_common
        if fragile.any():
            fr, fc = np.nonzero(fragile)
            step = max(1, _BLOCK_CELLS // self.n_attrs)
            for s0 in range(0, fr.size, step):
                r, c = fr[s0 : s0 + step], fc[s0 : s0 + step]
                den[r, c] = np.einsum("ij,ij->i", self.presence_w[r + i0], self.presence[c + i0])
        return none_common


def _mirror_block(out: np.ndarray, i0: int, i1: int) -> None:
    # the off-diagonal part without overlap (no temporary copy), then the
    # small diagonal block from its upper triangle
    out[i1:, i0:i1] = out[i0:i1, i1:].T
    diag = out[i0:i1, i0:i1]
    iu, ju = np.triu_indices(i1 - i0, 1)
    diag[ju, iu] = diag[iu, ju]


def _empty_pairs(none_common: np.ndarray, i0: int) -> list[tuple[int, int]]:
    rows, cols = np.nonzero(none_common)
    upper = cols > rows
    return list(zip((rows[upper] + i0).tolist(), (cols[upper] + i0).tolist()))


def _accumulate(
    n: int,
    attrs: list[_Encoded],
    finish: Callable[[np.ndarray, np.ndarray, np.ndarray | None], None],
    square: bool = False,
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Accumulate ``sum_k w_k delta_ijk d_ijk`` and finish it block by block.

    For each block of rows of the upper triangle, the numerator is summed
    attribute by attribute (``|x_i - x_j|``, or its square when `square`,
    for attributes with ``values``; mismatch for attributes with ``codes``)
    and the denominator ``den = sum_k w_k delta_ijk`` is obtained as
    ``W - r_i - r_j + b_ij`` where ``W`` is the total weight, ``r_i`` the
    weight of the attributes missing for unit ``i`` and ``b_ij`` the weight
    of those missing for both (added back on the small missing x missing
    sub-blocks). The same is done with integer counts to detect, exactly,
    the pairs with no attribute in common (``empty``).

    ``finish(num_block, den_block, empty_block_or_None)`` turns the
    numerator block into distances in place. The upper triangle is mirrored
    into the lower one; the diagonal is set to 0. Returns the matrix and the
    positions ``(i, j)``, ``i < j``, of the empty pairs.
    """
    out = np.zeros((n, n), dtype=np.float64)
    empty: list[tuple[int, int]] = []
    if n == 0:
        return out, empty
    terms = _Terms(attrs, n)
    block = _block_rows(n)
    buf = np.empty((block, n), dtype=np.float64)
    dbuf = np.empty((block, n), dtype=np.float64)
    bbuf = np.empty((block, n), dtype=bool)
    cbuf = np.empty((block, n), dtype=np.int32) if terms.with_missing else None
    for i0 in range(0, n, block):
        i1 = min(i0 + block, n)
        m = i1 - i0
        acc = out[i0:i1, i0:]
        terms.numerator(acc, buf[:m, : n - i0], bbuf[:m, : n - i0], i0, i1, square)
        den = dbuf[:m, : n - i0]
        none_common = terms.denominator(den, None if cbuf is None else cbuf[:m, : n - i0], i0, i1)
        if none_common is not None:
            empty.extend(_empty_pairs(none_common, i0))
        finish(acc, den, none_common)
        _mirror_block(out, i0, i1)
    np.fill_diagonal(out, 0.0)
    return out, empty


def _accumulate_per_pair(
    n: int, groups: list[tuple[float, list[_Encoded]]]
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Gower with per-pair renormalisation within groups, block by block.

    `groups` holds ``(W_g, attributes of g with weight 1)``. For each block
    of rows, each group's distance (mean over its attributes observed for
    both units) is added with weight ``W_g`` where the group has data, and
    the total is divided by the sum of the weights of those groups.
    All attributes of a group have weight 1, so within a group the
    denominator is a count of attributes, exact in floating point.
    """
    out = np.zeros((n, n), dtype=np.float64)
    empty: list[tuple[int, int]] = []
    if n == 0:
        return out, empty
    prepared = [(w, _Terms(attrs, n)) for w, attrs in groups]
    block = _block_rows(n)
    buf = np.empty((block, n))
    gbuf = np.empty((block, n))
    dbuf = np.empty((block, n))
    tbuf = np.empty((block, n))
    bbuf = np.empty((block, n), dtype=bool)
    for i0 in range(0, n, block):
        i1 = min(i0 + block, n)
        m = i1 - i0
        cols = slice(None, n - i0)
        acc = out[i0:i1, i0:]
        total = tbuf[:m, cols]
        total.fill(0.0)
        for w, terms in prepared:
            gnum = gbuf[:m, cols]
            gnum.fill(0.0)
            terms.numerator(gnum, buf[:m, cols], bbuf[:m, cols], i0, i1, False)
            if not terms.with_missing:
                gnum *= w / terms.n_attrs
                total += w
            else:
                # with unit weights the denominator is the count of common
                # attributes, exact in float; where it is 0 so is gnum
                cnt = dbuf[:m, cols]
                terms.count(cnt, i0, i1)
                np.maximum(cnt, 1.0, out=buf[:m, cols])
                np.divide(gnum, buf[:m, cols], out=gnum)
                gnum *= w
                np.minimum(cnt, 1.0, out=cnt)
                cnt *= w
                total += cnt
            acc += gnum
        none_any = total <= 0
        empty.extend(_empty_pairs(none_any, i0))
        _ratio_finish(acc, total, none_any)
        _mirror_block(out, i0, i1)
    np.fill_diagonal(out, 0.0)
    return out, empty


def _zero_missing(t: np.ndarray, miss: np.ndarray, i0: int, i1: int) -> None:
    if miss.size == 0:
        return
    lo = np.searchsorted(miss, i0)
    hi = np.searchsorted(miss, i1)
    if hi > lo:
        t[miss[lo:hi] - i0, :] = 0
    if lo < miss.size:
        t[:, miss[lo:] - i0] = 0


def _ratio_finish(num: np.ndarray, den: np.ndarray, none_common: np.ndarray | None) -> None:
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(num, den, out=num)
    if none_common is not None:
        num[none_common] = np.nan
    # num <= den mathematically; clip floating-point overshoot
    np.clip(num, 0.0, 1.0, out=num)


def _warn_nan_pairs(positions: list[tuple[int, int]] | np.ndarray, labels: pd.Index, stacklevel: int = 3) -> None:
    """Warn about the pairs at `positions` (or the NaNs of a matrix)."""
    if isinstance(positions, np.ndarray):
        iu, ju = np.nonzero(np.triu(np.isnan(positions), k=1))
        positions = list(zip(iu.tolist(), ju.tolist()))
    if not positions:
        return
    pairs = [(labels[i], labels[j]) for i, j in sorted(positions)]
    shown = ", ".join(f"({a!r}, {b!r})" for a, b in pairs[:_MAX_PAIRS_IN_MESSAGE])
    more = f" and {len(pairs) - _MAX_PAIRS_IN_MESSAGE} more" if len(pairs) > _MAX_PAIRS_IN_MESSAGE else ""
    warnings.warn(
        NoCommonAttributesWarning(
            f"{len(pairs)} pair(s) of units have no attribute observed in both "
            f"(with positive weight); their distance is NaN: {shown}{more}",
            pairs,
        ),
        stacklevel=stacklevel,
    )


def _check_frame(frame) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")


def _check_units(frame: pd.DataFrame) -> None:
    _check_frame(frame)
    if not frame.columns.is_unique:
        dup = frame.columns[frame.columns.duplicated()].unique().tolist()
        raise ValueError(f"column labels must be unique; duplicated: {dup!r}")
    if not frame.index.is_unique:
        dup = frame.index[frame.index.duplicated()].unique().tolist()
        raise ValueError(f"the frame's index must label units uniquely; duplicated: {dup!r}")


def _labelled(result: np.ndarray, index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(result, index=index.copy(), columns=index.copy(), copy=False)


# --------------------------------------------------------------------------
# Public distances
# --------------------------------------------------------------------------


def gower_distance(
    frame: pd.DataFrame,
    kinds: Mapping[Hashable, str] | None = None,
    weights: Mapping[Hashable, float] | None = None,
    groups: Mapping[Hashable, Hashable] | None = None,
    group_weighting: str = "per_pair",
) -> pd.DataFrame:
    r"""Gower (1971) distance between the rows of a mixed-type frame.

    For units :math:`i, j` and attributes :math:`k` (each its own group),

    .. math::

        d_{ij} = \frac{\sum_k w_k \delta_{ijk} d_{ijk}}{\sum_k w_k \delta_{ijk}}

    where :math:`\delta_{ijk} = 1` only if attribute :math:`k` is observed
    for both units, and

    * numeric: :math:`d_{ijk} = |x_{ik} - x_{jk}| / R_k`, with :math:`R_k`
      the range of the attribute's observed values in `frame`;
    * ordinal: the same on the integer codes of the declared category order
      of an ordered :class:`pandas.Categorical`, :math:`R_k` being the range
      of the *observed* codes (a numeric column declared ordinal uses the
      dense ranks 0, 1, 2, ... of its distinct observed values);
    * categorical and binary: 0 if equal, 1 otherwise (binary attributes are
      compared by simple matching, i.e. symmetrically; for Gower's
      asymmetric treatment of dichotomies use :func:`jaccard_distance`).

    A constant attribute (range 0 over the observed values) contributes
    :math:`d_{ijk} = 0` but still counts in the denominator when both values
    are present. A pair with no attribute observed in both gets NaN and a
    :class:`NoCommonAttributesWarning` naming the pairs. The diagonal is
    always 0, even for a unit with no observed value.

    Parameters
    ----------
    frame : pandas.DataFrame
        Units in rows (the index labels them and must be unique),
        attributes in columns.
    kinds : dict, optional
        Column -> one of ``"numeric"``, ``"ordinal"``, ``"categorical"``,
        ``"binary"``. Columns not listed are inferred with
        :func:`default_kinds`.
    weights : dict, optional
        Non-negative finite weights, per column, or per group name when
        `groups` is given. A missing entry means weight 1; a weight of 0
        removes the column (or group) from the calculation.
    groups : dict, optional
        Column -> group name, so that each group counts as a whole (with
        equal weights, a group of five columns weighs the same as a group of
        one). A column not listed forms its own group, named after the
        column.
    group_weighting : {"per_pair", "fixed"}, default "per_pair"
        How groups of several columns are weighted when values are missing.
        ``"per_pair"``: for each pair, a group's distance is the mean of
        :math:`d_{ijk}` over its columns observed for both units, and the
        pair's distance is the weighted mean of the groups with at least
        one such column, so every group with data counts fully for every
        pair:

        .. math::

            d_{ij} = \frac{\sum_g W_g \delta_{ijg} \bar d_{ijg}}{\sum_g W_g \delta_{ijg}},
            \qquad \bar d_{ijg} = \frac{\sum_{k \in g} \delta_{ijk} d_{ijk}}
            {\sum_{k \in g} \delta_{ijk}}.

        ``"fixed"``: the group weight is split once among its columns
        (:math:`w_k = W_g / |g|` in the formula above), so a pair missing some
        of a group's columns counts that group for less. The two agree on
        complete data and when every group is a single column.

    Returns
    -------
    pandas.DataFrame
        Square, symmetric, ``float64`` distances in [0, 1] (or NaN), with
        index and columns equal to ``frame.index``.

    Raises
    ------
    ValueError
        Unknown column or kind in `kinds`, unknown column or group in
        `weights`/`groups`, negative or non-finite weight, duplicated index
        labels, a binary column with more than two values, or no attribute
        with positive weight.
    TypeError
        A numeric (or ordinal) column with a non-numeric dtype, an ordinal
        column that is not an ordered categorical or numeric.

    Warns
    -----
    NoCommonAttributesWarning
        When some pairs share no observed attribute.

    See Also
    --------
    default_kinds : the inferred kinds.
    jaccard_distance, hamming_distance : distances for binary vectors.

    Notes
    -----
    Ranges are computed over the values in `frame`, so adding or removing
    units changes the scaling of numeric and ordinal attributes.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame(
    ...     {"staff": [10.0, 20.0, 30.0], "region": ["n", "n", "s"]},
    ...     index=["A", "B", "C"],
    ... )
    >>> gower_distance(df).round(3)
          A     B     C
    A  0.00  0.25  1.00
    B  0.25  0.00  0.75
    C  1.00  0.75  0.00

    Here d(A, B) = (|10 - 20| / 20 + 0) / 2 = 0.25. Weighting region twice:

    >>> float(gower_distance(df, weights={"region": 2.0}).loc["B", "C"])
    0.8333333333333334

    With groups and a missing value, ``"per_pair"`` keeps the ``size`` group
    whole for a pair that has only one of its two columns:

    >>> df = pd.DataFrame({"staff": [10.0, 30.0, 20.0], "budget": [1.0, None, 2.0],
    ...                    "region": ["n", "n", "s"]}, index=["A", "B", "C"])
    >>> groups = {"staff": "size", "budget": "size"}
    >>> float(gower_distance(df, groups=groups).loc["A", "B"])  # (1 + 0) / 2
    0.5
    >>> round(float(gower_distance(df, groups=groups, group_weighting="fixed").loc["A", "B"]), 4)
    0.3333

    (with fixed shares, staff weighs 1/2 and region 1: (0.5 * 1 + 0) / 1.5).
    """
    _check_units(frame)
    group_weighting = check_group_weighting(group_weighting)
    resolved = _resolve_kinds(frame, kinds)
    plan = _weighted_terms(frame, resolved, weights, groups)
    result, empty = plan.distances(group_weighting)
    _warn_nan_pairs(empty, frame.index)
    return _labelled(result, frame.index)


# Up to this many (pairs x attributes) cells the per-pair terms are computed
# at once (much less fixed cost per call); above it (from about 40 units with
# 40 attributes) the block kernel is faster.
_SMALL_PATH_CELLS = 1 << 15


@dataclass
class _WeightedTerms:
    """An encoded frame with its groups and group weights (see gower_distance)."""

    enc: EncodedFrame
    group_of: list  # group position of every encoded column
    group_names: list
    group_weights: np.ndarray  # (G,)
    sizes: np.ndarray  # (G,) columns per group

    def membership(self) -> np.ndarray:
        m = np.zeros((len(self.group_of), len(self.group_names)))
        m[np.arange(len(self.group_of)), self.group_of] = 1.0
        return m

    def distances(self, group_weighting: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
        enc = self.enc
        n, k = enc.present.shape
        if group_weighting == "per_pair" and (self.sizes == 1).all():
            group_weighting = "fixed"  # identical, and the block kernel is leaner
        if n * (n - 1) // 2 * k <= _SMALL_PATH_CELLS:
            iu, ju = upper_pairs(n)
            s, c = pair_terms(enc, self.membership())
            vals = combine(s, c, self.group_weights, self.sizes, group_weighting)
            out = np.zeros((n, n))
            out[iu, ju] = vals
            out[ju, iu] = vals
            nan = np.flatnonzero(np.isnan(vals))
            return out, list(zip(iu[nan].tolist(), ju[nan].tolist()))
        k_num = enc.scaled.shape[1]

        def attr(c: int, weight: float) -> _Encoded:
            if c < k_num:
                values = np.ascontiguousarray(enc.scaled[:, c]) * weight
                return _Encoded(enc.names[c], enc.kinds[c], weight, enc.present[:, c].copy(), values=values)
            codes = np.ascontiguousarray(enc.codes[:, c - k_num])
            return _Encoded(enc.names[c], enc.kinds[c], weight, codes >= 0, codes=codes)

        if group_weighting == "fixed":
            col_w = self.group_weights[self.group_of] / self.sizes[self.group_of]
            attrs = [attr(c, float(col_w[c])) for c in range(k)]
            return _accumulate(n, attrs, _ratio_finish)
        members: list[list[_Encoded]] = [[] for _ in self.group_names]
        for c, g in enumerate(self.group_of):
            members[g].append(attr(c, 1.0))
        return _accumulate_per_pair(n, [(float(w), m) for w, m in zip(self.group_weights, members)])


def _weighted_terms(frame: pd.DataFrame, resolved: dict, weights, groups) -> _WeightedTerms:
    """Encode the columns with positive weight and record their groups."""
    group_of, group_w = _group_plan(frame, weights, groups)
    keep = [group_w[group_of[c]] > 0 for c in frame.columns]
    if not any(keep):
        raise ValueError("no attribute with positive weight: nothing to compare")
    enc = encode_frame(frame, resolved, keep)
    names = list(dict.fromkeys(group_of[c] for c in enc.names))
    pos = {g: i for i, g in enumerate(names)}
    of = [pos[group_of[c]] for c in enc.names]
    sizes = np.bincount(of, minlength=len(names)).astype(np.float64)
    return _WeightedTerms(enc, of, names, np.array([group_w[g] for g in names]), sizes)


def _binary_indicators(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return (positive, negative) float indicator matrices, 0 where missing."""
    _check_units(frame)
    n, k = frame.shape
    pos = np.zeros((n, k))
    neg = np.zeros((n, k))
    for j, col in enumerate(frame.columns):
        s = frame[col]
        missing = s.isna().to_numpy()
        observed = s[~missing]
        if is_bool_dtype(s.dtype):
            vals = observed.to_numpy(dtype=bool)
        else:
            if is_numeric_dtype(s.dtype) and not is_complex_dtype(s.dtype):
                num = observed.to_numpy(dtype=np.float64)
            else:
                num = np.array(
                    [float(v) if isinstance(v, (bool, np.bool_, int, float, np.number)) else np.nan for v in observed],
                    dtype=np.float64,
                )
            ok = (num == 0) | (num == 1)
            if not ok.all():
                bad = observed[~ok].unique().tolist()[:5]
                raise ValueError(
                    f"column {col!r} is not binary: values must be True/False or 0/1 (missing allowed), found {bad!r}"
                )
            vals = num == 1
        pos[~missing, j] = vals
        neg[~missing, j] = ~vals
    return pos, neg


def jaccard_distance(binary_frame: pd.DataFrame) -> pd.DataFrame:
    r"""Jaccard distance between binary (capability) vectors.

    Only attributes observed for both units are used. With, over those
    attributes, :math:`a` = number present (True) in both, and :math:`b + c`
    = number present in exactly one,

    .. math:: d_{ij} = \frac{b + c}{a + b + c}.

    Conventions: shared absences (both False) are ignored, as usual for
    Jaccard; if the two units have attributes in common but no positive in
    either (:math:`a + b + c = 0`, both all-False), the distance is 0 -
    the units are identical on what is known. If no attribute is observed
    in both, the distance is NaN and a :class:`NoCommonAttributesWarning` is
    issued. The diagonal is 0.

    Parameters
    ----------
    binary_frame : pandas.DataFrame
        Units in rows; columns of ``bool``/``boolean`` dtype or numbers
        0/1, with missing values allowed.

    Returns
    -------
    pandas.DataFrame
        Square symmetric distances in [0, 1] (or NaN), labelled by the index.

    Raises
    ------
    ValueError
        A column with values other than True/False/0/1, or duplicated index.

    Examples
    --------
    >>> import pandas as pd
    >>> caps = pd.DataFrame(
    ...     {"cyber": [True, True, False], "kidnap": [True, False, False],
    ...      "firearms": [False, False, False]},
    ...     index=["A", "B", "C"],
    ... )
    >>> jaccard_distance(caps)
         A    B    C
    A  0.0  0.5  1.0
    B  0.5  0.0  1.0
    C  1.0  1.0  0.0
    """
    pos, neg = _binary_indicators(binary_frame)
    present = pos + neg
    a = pos @ pos.T
    mism = pos @ neg.T
    mism = mism + mism.T
    common = present @ present.T
    with np.errstate(invalid="ignore", divide="ignore"):
        d = mism / (a + mism)
    d[(a + mism) == 0] = 0.0
    d[common == 0] = np.nan
    np.fill_diagonal(d, 0.0)
    _warn_nan_pairs(d, binary_frame.index)
    return _labelled(d, binary_frame.index)


def hamming_distance(binary_frame: pd.DataFrame) -> pd.DataFrame:
    """Normalised Hamming distance (share of disagreements) between binary vectors.

    The distance is the number of attributes on which the two units differ
    divided by the number of attributes observed for both (so it is in
    [0, 1]; multiply by the number of columns for a count on complete data).
    Shared absences count as agreements (simple matching). NaN, with a
    :class:`NoCommonAttributesWarning`, when no attribute is observed in
    both. The diagonal is 0.

    Parameters
    ----------
    binary_frame : pandas.DataFrame
        Units in rows; columns of ``bool``/``boolean`` dtype or numbers 0/1,
        missing values allowed.

    Returns
    -------
    pandas.DataFrame
        Square symmetric distances in [0, 1] (or NaN).

    Examples
    --------
    >>> import pandas as pd
    >>> caps = pd.DataFrame(
    ...     {"cyber": [1, 1, 0], "kidnap": [1, 0, None], "firearms": [0, 0, 0]},
    ...     index=["A", "B", "C"],
    ... )
    >>> hamming_distance(caps).round(3)
           A      B    C
    A  0.000  0.333  0.5
    B  0.333  0.000  0.5
    C  0.500  0.500  0.0
    """
    pos, neg = _binary_indicators(binary_frame)
    present = pos + neg
    mism = pos @ neg.T
    mism = mism + mism.T
    common = present @ present.T
    with np.errstate(invalid="ignore", divide="ignore"):
        d = mism / common
    d[common == 0] = np.nan
    np.fill_diagonal(d, 0.0)
    _warn_nan_pairs(d, binary_frame.index)
    return _labelled(d, binary_frame.index)


def standardised_euclidean(numeric_frame: pd.DataFrame) -> pd.DataFrame:
    r"""Euclidean distance between z-scored numeric profiles.

    Each column is standardised by its mean and standard deviation
    (``ddof=1``) over the observed values; a column with zero or undefined
    standard deviation gets z = 0 (it contributes nothing but still counts
    as observed). Missing values are handled pairwise-complete: with
    :math:`k` columns of which :math:`k_{ij}` are observed for both units,

    .. math::

        d_{ij} = \sqrt{\frac{k}{k_{ij}} \sum_{m \text{ observed in both}}
                 (z_{im} - z_{jm})^2},

    i.e. the sum of squares is scaled up as if the missing columns had
    differed on average as much as the observed ones. NaN, with a
    :class:`NoCommonAttributesWarning`, when :math:`k_{ij} = 0`.

    Parameters
    ----------
    numeric_frame : pandas.DataFrame
        Units in rows, numeric columns only.

    Returns
    -------
    pandas.DataFrame
        Square symmetric non-negative distances (or NaN).

    Raises
    ------
    TypeError
        If a column is not numeric.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [0.0, 1.0, 2.0]}, index=["A", "B", "C"])
    >>> standardised_euclidean(df)
         A    B    C
    A  0.0  1.0  2.0
    B  1.0  0.0  1.0
    C  2.0  1.0  0.0
    """
    _check_units(numeric_frame)
    n, k = numeric_frame.shape
    if k == 0:
        raise ValueError("no columns: nothing to compare")
    attrs = []
    for col in numeric_frame.columns:
        x = _numeric_values(numeric_frame, col, "numeric")
        present = ~np.isnan(x)
        obs = x[present]
        sd = float(np.std(obs, ddof=1)) if obs.size >= 2 else float("nan")
        if sd > 0:
            z = np.where(present, (x - obs.mean()) / sd, 0.0)
        else:
            z = np.zeros(n)
        attrs.append(_Encoded(col, "numeric", 1.0, present, values=z))

    def finish(num: np.ndarray, den: np.ndarray, none_common: np.ndarray | None) -> None:
        with np.errstate(invalid="ignore", divide="ignore"):
            np.divide(num, den, out=num)
        num *= k
        if none_common is not None:
            num[none_common] = np.nan
        np.maximum(num, 0.0, out=num)
        np.sqrt(num, out=num)

    result, empty = _accumulate(n, attrs, finish, square=True)
    _warn_nan_pairs(empty, numeric_frame.index)
    return _labelled(result, numeric_frame.index)
