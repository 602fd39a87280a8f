"""How unequal the units are on each numeric attribute."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_complex_dtype, is_numeric_dtype

__all__ = ["dispersion", "gini"]

_COLUMNS = [
    "n",
    "mean",
    "std",
    "min",
    "max",
    "range",
    "cv",
    "max_min_ratio",
    "gini",
    "cv_ci_low",
    "cv_ci_high",
    "gini_ci_low",
    "gini_ci_high",
    "small_n",
    "note",
]


def gini(values) -> float:
    r"""Gini coefficient of non-negative values.

    Uses the mean absolute difference over all ordered pairs *including*
    :math:`i = j` (the "population" convention),

    .. math::

        G = \frac{\sum_i \sum_j |x_i - x_j|}{2 n^2 \bar x},

    so :math:`G = 0` for equal values and :math:`G = (n - 1) / n` when one
    unit holds everything. Missing values are dropped.

    Parameters
    ----------
    values : array-like
        Numbers.

    Returns
    -------
    float
        The coefficient; NaN if empty, if any value is negative, or if the
        mean is 0.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 1])
    0.75
    """
    x = np.asarray(values, dtype=np.float64)
    x = x[~np.isnan(x)]
    if x.size == 0 or (x < 0).any():
        return float("nan")
    g = _gini_rows(x[None, :])[0]
    return float(g)


def _gini_rows(samples: np.ndarray) -> np.ndarray:
    """Gini of every row of a 2-D array of non-negative values."""
    n = samples.shape[1]
    s = np.sort(samples, axis=1)
    coef = 2 * np.arange(1, n + 1) - n - 1
    total = s.sum(axis=1)
    # sum_i (2i - n - 1) x_(i) = sum_{i<j} (x_(j) - x_(i)); shifting by the
    # minimum leaves it unchanged (the coefficients sum to 0) and keeps equal
    # values exactly at 0
    with np.errstate(invalid="ignore", divide="ignore"):
        g = ((s - s[:, :1]) @ coef) / (n * total)
    g = np.maximum(g, 0.0)
    g[total <= 0] = np.nan
    return g


def _cv_rows(samples: np.ndarray) -> np.ndarray:
    mean = samples.mean(axis=1)
    sd = samples.std(axis=1, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cv = sd / mean
    cv[mean <= 0] = np.nan
    return cv


def dispersion(
    frame: pd.DataFrame,
    n_boot: int = 2000,
    seed: int | None = 0,
    min_n: int = 5,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Dispersion statistics of every numeric column, with bootstrap CIs.

    Parameters
    ----------
    frame : pandas.DataFrame
        Units in rows. Only numeric, non-boolean columns are used; other
        columns are ignored. Missing values are dropped per column.
    n_boot : int, default 2000
        Bootstrap resamples for the confidence intervals.
    seed : int or None, default 0
        Seed of the :class:`numpy.random.Generator`; the same seed and frame
        give the same intervals.
    min_n : int, default 5
        Columns with fewer observed values get ``small_n = True`` and no
        confidence intervals.
    ci : float, default 0.95
        Coverage of the percentile bootstrap intervals.

    Returns
    -------
    pandas.DataFrame
        One row per numeric attribute (index named ``attribute``):

        * ``n`` observed values, ``mean``, ``std`` (``ddof=1``), ``min``,
          ``max``, ``range`` (max - min);
        * ``cv`` = std / mean (NaN if the mean is <= 0 or n < 2);
        * ``max_min_ratio`` = max / min (NaN if min <= 0);
        * ``gini``, see :func:`gini` (NaN with negative values or mean 0);
        * ``cv_ci_low``/``cv_ci_high`` and ``gini_ci_low``/``gini_ci_high``:
          percentile bootstrap interval (resampling units with replacement;
          resamples where the statistic is undefined are dropped), only when
          ``n >= min_n``, else NaN;
        * ``small_n`` (``n < min_n``) and ``note``, a short explanation of
          anything undefined ("" when nothing to say).

    Raises
    ------
    ValueError
        Bad `n_boot`, `min_n` or `ci`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"staff": [10, 10, 10, 10], "cases": [0, 0, 0, 4]})
    >>> out = dispersion(df, n_boot=200)
    >>> out[["n", "mean", "cv", "gini", "small_n"]].reset_index()
      attribute  n  mean   cv  gini  small_n
    0     staff  4  10.0  0.0  0.00     True
    1     cases  4   1.0  2.0  0.75     True
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ValueError(f"n_boot must be a positive integer, got {n_boot!r}")
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 2:
        raise ValueError(f"min_n must be an integer >= 2, got {min_n!r}")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be strictly between 0 and 1, got {ci!r}")
    columns = [
        c
        for c in frame.columns
        if is_numeric_dtype(frame[c].dtype)
        and not is_bool_dtype(frame[c].dtype)
        and not is_complex_dtype(frame[c].dtype)
    ]
    rng = np.random.default_rng(seed)
    alpha = (1 - ci) / 2
    rows = []
    for col in columns:
        x = frame[col].to_numpy(dtype=np.float64, na_value=np.nan)
        x = x[~np.isnan(x)]
        rows.append(_one(x, n_boot, rng, min_n, alpha))
    out = pd.DataFrame(rows, index=pd.Index(columns, name="attribute"), columns=_COLUMNS)
    out["n"] = out["n"].astype(np.int64)
    out["small_n"] = out["small_n"].astype(bool)
    return out


def _one(x: np.ndarray, n_boot: int, rng: np.random.Generator, min_n: int, alpha: float) -> dict:
    n = x.size
    nan = float("nan")
    notes = []
    row = dict.fromkeys(_COLUMNS, nan)
    row.update(n=n, small_n=n < min_n, note="")
    if n == 0:
        row["note"] = "no observed values"
        return row
    mean = float(x.mean())
    xmin, xmax = float(x.min()), float(x.max())
    sd = float(x.std(ddof=1)) if n >= 2 else nan
    row.update(mean=mean, std=sd, min=xmin, max=xmax, range=xmax - xmin)
    if n < 2:
        notes.append("fewer than 2 values: cv undefined")
    elif mean <= 0:
        notes.append("mean <= 0: cv undefined")
    else:
        row["cv"] = sd / mean
    if xmin <= 0:
        notes.append("min <= 0: max/min ratio undefined")
    else:
        row["max_min_ratio"] = xmax / xmin
    if xmin < 0:
        notes.append("negative values: gini undefined")
    elif mean == 0:
        notes.append("all values 0: gini undefined")
    else:
        row["gini"] = gini(x)
    if n < min_n:
        notes.append(f"n < {min_n}: no bootstrap interval")
    else:
        samples = x[rng.integers(0, n, size=(n_boot, n))]
        for name, stat in (("cv", _cv_rows), ("gini", _gini_rows)):
            if np.isnan(row[name]):
                continue
            b = stat(samples)
            b = b[~np.isnan(b)]
            if b.size:
                low, high = np.quantile(b, [alpha, 1 - alpha])
                row[f"{name}_ci_low"], row[f"{name}_ci_high"] = float(low), float(high)
    row["note"] = "; ".join(notes)
    return row
