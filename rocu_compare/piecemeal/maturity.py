"""Did the older ROCUs of 2015 get the better grades in 2022-25?

A descriptive rank comparison of each ROCU's age at the HMIC 2015 inspection with its
HMICFRS regional serious and organised crime grade (2022-2025), with an exact
permutation p-value. With at most six or seven ROCUs that have both a published grade
and a published founding year, this is a description of a handful of units, not
evidence of cause.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .timeline import founding_ranges

__all__ = ["SpearmanResult", "MaturityResult", "spearman_exact", "maturity_vs_grade", "grade_order"]

#: Largest n for which :func:`spearman_exact` enumerates all n! permutations.
MAX_EXACT_N = 9


@dataclass(frozen=True)
class SpearmanResult:
    """Result of :func:`spearman_exact`.

    Attributes
    ----------
    rho : float
        Spearman's rank correlation (Pearson correlation of average ranks); NaN when
        either variable is constant.
    p_value : float
        Two-sided permutation p-value: share of permutations with ``|rho| >= |rho_obs|``.
    n : int
    method : str
        ``"exact (all n! permutations)"`` or a Monte Carlo description with its seed.
    n_permutations : int
        Permutations evaluated (n! when exact).
    """

    rho: float
    p_value: float
    n: int
    method: str
    n_permutations: int

    def to_frame(self) -> pd.DataFrame:
        """The result as a one-row DataFrame."""
        return pd.DataFrame(
            [
                {
                    "rho": self.rho,
                    "p_value": self.p_value,
                    "n": self.n,
                    "method": self.method,
                    "n_permutations": self.n_permutations,
                }
            ]
        )


@dataclass
class MaturityResult:
    """Result of :func:`maturity_vs_grade`.

    Attributes
    ----------
    table : DataFrame
        One row per ROCU in the comparison (see :func:`maturity_vs_grade`).
    excluded : DataFrame
        ROCUs left out, with ``reason``.
    n : int
        ROCUs compared.
    rho, p_value : float
        Spearman rho between ``years_since_founding`` (from ``founded_used``) and
        ``grade_code``, and its two-sided permutation p-value.
    p_method : str
    warning : str
        Plain-English limits of the comparison; show it with any result.
    sensitivity : DataFrame
        rho and p with the earliest and with the latest founding year of each ROCU, and
        leaving out each ROCU in turn (``founding_basis`` says which).
    """

    table: pd.DataFrame
    excluded: pd.DataFrame
    n: int
    rho: float
    p_value: float
    p_method: str
    warning: str
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)


def _ranks(a: np.ndarray) -> np.ndarray:
    return pd.Series(a).rank(method="average").to_numpy(dtype=float)


def spearman_exact(
    x, y, *, max_exact_n: int = MAX_EXACT_N, n_resamples: int = 100_000, seed: int = 0
) -> SpearmanResult:
    """Spearman rank correlation with a two-sided permutation p-value.

    Parameters
    ----------
    x, y : array-like of numbers, same length n >= 2, no missing values
        Ties get average ranks; rho is the Pearson correlation of the ranks, which is
        exact with ties (the ``1 - 6 sum d^2 / (n(n^2-1))`` shortcut is not).
    max_exact_n : int, default 9
        For n <= max_exact_n all n! permutations of ``y``'s ranks are enumerated and the
        p-value is exact. 9! = 362,880.
    n_resamples : int, default 100000
        Monte Carlo permutations when n > max_exact_n.
    seed : int, default 0
        Seed of the Monte Carlo generator (``numpy.random.default_rng``).

    Returns
    -------
    SpearmanResult
        ``rho``, ``p_value``, ``n``, ``method``, ``n_permutations`` (``.to_frame()`` gives
        a one-row DataFrame). The p-value is the share of permutations whose ``|rho|`` is
        at least the observed ``|rho|`` (a tolerance of 1e-12 absorbs rounding); the
        Monte Carlo p-value is ``(count + 1) / (n_resamples + 1)``, which is never 0.

    Raises
    ------
    ValueError
        Different lengths, n < 2, or missing values.

    Notes
    -----
    The test compares ranks only: it ignores how far apart values are, and with
    small n the attainable p-values are coarse (n = 4 gives multiples of 1/24). The
    null hypothesis is exchangeability of ``y`` given ``x`` — no statement about
    causes. With ties the ranks of ``y`` (with their ties) are permuted, which is the
    exact conditional test.
    """
    xa = np.asarray(pd.to_numeric(pd.Series(list(x)), errors="coerce"), dtype=float)
    ya = np.asarray(pd.to_numeric(pd.Series(list(y)), errors="coerce"), dtype=float)
    if xa.shape != ya.shape:
        raise ValueError(f"x and y differ in length ({len(xa)} vs {len(ya)})")
    n = int(len(xa))
    if n < 2:
        raise ValueError("spearman_exact needs at least two pairs")
    if np.isnan(xa).any() or np.isnan(ya).any():
        raise ValueError("x and y must not contain missing values (drop incomplete pairs first)")
    rx = _ranks(xa)
    ry = _ranks(ya)
    rx = rx - rx.mean()
    ry = ry - ry.mean()
    denom = math.sqrt(float((rx**2).sum()) * float((ry**2).sum()))
    if denom == 0:
        return SpearmanResult(float("nan"), float("nan"), n, "undefined (a variable is constant)", 0)
    rho = float(rx @ ry) / denom
    target = abs(rho) - 1e-12
    if n <= max_exact_n:
        perms = np.array(list(itertools.permutations(range(n))), dtype=np.intp)
        rhos = ry[perms] @ rx / denom
        count = int((np.abs(rhos) >= target).sum())
        total = len(perms)
        return SpearmanResult(rho, count / total, n, f"exact (all {total} = {n}! permutations)", total)
    rng = np.random.default_rng(seed)
    count = 0
    done = 0
    chunk = max(1, min(n_resamples, 2_000_000 // max(n, 1)))
    while done < n_resamples:
        k = min(chunk, n_resamples - done)
        perms = np.argsort(rng.random((k, n)), axis=1)
        rhos = ry[perms] @ rx / denom
        count += int((np.abs(rhos) >= target).sum())
        done += k
    return SpearmanResult(
        rho,
        (count + 1) / (n_resamples + 1),
        n,
        f"Monte Carlo ({n_resamples} random permutations, seed {seed}; n = {n} > {max_exact_n})",
        n_resamples,
    )


def grade_order(ds) -> tuple[str, ...]:
    """The grade scale, worst first, from the schema (``inspections.grade``).

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    tuple of str
        ``('inadequate', 'requires improvement', 'adequate', 'good', 'outstanding')`` for
        the bundled schema; a grade's position is its ``grade_code``.
    """
    f = ds.schema["inspections"].field("grade")
    return tuple(f.ordered or f.enum)


def _rocu_grades(ds) -> pd.DataFrame:
    """Latest inspection row per ROCU (rows with a rocu_id), graded rows preferred."""
    ins = ds.inspections
    ins = ins[ins["rocu_id"].notna()].copy()
    ins["rocu_id"] = ins["rocu_id"].astype(str)
    ins["_has"] = ins["grade"].notna()
    ins = ins.sort_values(["rocu_id", "_has", "published"], kind="mergesort")
    return ins.drop_duplicates("rocu_id", keep="last").set_index("rocu_id")


def _hmic_notes(ds) -> dict[str, str]:
    """Per ROCU, the HMIC-finding facts (measure starting 'hmic_') as one note."""
    f = ds.facts
    sel = f[f["measure"].astype("string").str.startswith("hmic_")]
    out: dict[str, list[str]] = {}
    for _, r in sel.iterrows():
        unit = "" if pd.isna(r["unit"]) or str(r["unit"]) == "text" else f" {r['unit']}"
        val = f"'{r['value']}'" if str(r["unit"]) == "text" else f"{r['value']}{unit}"
        period = "" if pd.isna(r["period"]) else f"{r['period']}; "
        extra = "" if pd.isna(r["notes"]) else f" {r['notes']}"
        out.setdefault(str(r["subject"]), []).append(f"{r['measure']} = {val} ({period}{r['source_id']}).{extra}")
    return {k: " | ".join(v) for k, v in out.items()}


def maturity_vs_grade(ds, inspection_date="2015-03-01", *, seed: int = 0) -> MaturityResult:
    """Age of each ROCU at the 2015 inspection against its 2022-25 HMICFRS grade.

    Parameters
    ----------
    ds : Dataset
    inspection_date : str, date or Timestamp, default "2015-03-01"
        Reference date of the HMIC 2015 inspection (spring 2015; an analyst's
        convention, not a sourced date). Only its year enters ``years_since_founding``.
    seed : int, default 0
        Passed to :func:`spearman_exact` (used only if n > 9).

    Returns
    -------
    MaturityResult
        ``table`` indexed by ``rocu_id``, one row per ROCU with both a published ROCU
        grade and a published founding year, sorted oldest first:

        ``founded_used`` (earliest year, see :func:`founding_ranges`), ``founded_earliest``,
        ``founded_latest``, ``years_since_founding`` (inspection year - founded_used,
        whole calendar years), ``years_since_founding_min`` / ``_max`` (from the latest
        and earliest founding year), ``is_founding_conflicting``, ``grade`` (ordered
        categorical, worst first), ``grade_code`` (0 = inadequate ... 4 = outstanding,
        the position on the schema's scale), ``grade_published``, ``grade_source_id``,
        ``years_from_inspection_to_grade`` (grade publication year - inspection year),
        ``note`` (HMIC findings about the ROCU from the facts table, e.g. EMSOU's 2015
        characterisation), ``flags``.

        ``excluded``: ``rocu_id``, ``reason``, ``grade``, ``founded_used`` for the others
        (London: no ROCU grade, no founding date; Tarian: grade not published; YHROCU and
        WMROCU: founding year not published). ``n``, ``rho``, ``p_value``, ``p_method``,
        ``warning``, ``sensitivity``.

    Notes
    -----
    Caveats (also in ``warning``): n is tiny (six on the bundled data), so no causal or
    general claim can rest on it; the test compares ranks only; grades were published
    7 to 10 years after the 2015 inspection by a different inspection programme, in
    different years for different regions; a founding year measures time since the
    first mention of a unit, not its capability; EMSOU's remit is wider than a ROCU's.
    EMSOU is kept as its own row (oldest, "most advanced" in 2015 per a press report of
    HMIC's review, "inadequate" in 2023) and never averaged away.
    """
    from ..dates import parse_date

    year = parse_date(inspection_date, "inspection_date").year
    order = grade_order(ds)
    fr = founding_ranges(ds)
    grades = _rocu_grades(ds)
    notes = _hmic_notes(ds)
    rows, excl = [], []
    for rid in fr.index:
        reasons = []
        g = grades.loc[rid] if rid in grades.index else None
        if g is None:
            reasons.append(
                "no ROCU grade: grade and report date not published in the sources listed "
                "(no row in the inspections table)"
            )
        elif pd.isna(g["grade"]):
            why = "" if pd.isna(g["notes"]) else f" ({g['notes']})"
            reasons.append(f"no ROCU grade published{why}")
        if bool(fr.at[rid, "not_published"]):
            reasons.append("founding year not published in the sources listed")
        if reasons:
            excl.append(
                {
                    "rocu_id": rid,
                    "reason": "; ".join(reasons),
                    "grade": None if g is None or pd.isna(g["grade"]) else str(g["grade"]),
                    "founded_used": fr.at[rid, "founded_used"],
                }
            )
            continue
        rows.append(
            {
                "rocu_id": rid,
                "founded_used": fr.at[rid, "founded_used"],
                "founded_earliest": fr.at[rid, "founded_earliest"],
                "founded_latest": fr.at[rid, "founded_latest"],
                "years_since_founding": year - int(fr.at[rid, "founded_used"]),
                "years_since_founding_min": year - int(fr.at[rid, "founded_latest"]),
                "years_since_founding_max": year - int(fr.at[rid, "founded_earliest"]),
                "is_founding_conflicting": bool(fr.at[rid, "is_conflicting"]),
                "grade": str(g["grade"]),
                "grade_published": g["published"],
                "grade_source_id": g["source_id"],
                "years_from_inspection_to_grade": pd.Timestamp(g["published"]).year - year
                if pd.notna(g["published"])
                else pd.NA,
                "note": notes.get(rid, pd.NA),
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "rocu_id",
            "founded_used",
            "founded_earliest",
            "founded_latest",
            "years_since_founding",
            "years_since_founding_min",
            "years_since_founding_max",
            "is_founding_conflicting",
            "grade",
            "grade_published",
            "grade_source_id",
            "years_from_inspection_to_grade",
            "note",
        ],
    ).set_index("rocu_id")
    table["grade"] = pd.Categorical(table["grade"], categories=list(order), ordered=True)
    table.insert(table.columns.get_loc("grade") + 1, "grade_code", table["grade"].cat.codes.astype("Int64"))
    for c in (
        "founded_used",
        "founded_earliest",
        "founded_latest",
        "years_since_founding",
        "years_since_founding_min",
        "years_since_founding_max",
        "years_from_inspection_to_grade",
    ):
        table[c] = table[c].astype("Int64")
    table["is_founding_conflicting"] = table["is_founding_conflicting"].astype("boolean")
    table["note"] = table["note"].astype("string")
    table["grade_published"] = pd.to_datetime(table["grade_published"])
    table = table.sort_values(["years_since_founding", "grade_code"], ascending=[False, True], kind="mergesort")

    # flags, all computed
    oldest = table["years_since_founding"].max() if len(table) else None
    flags = []
    for _rid, r in table.iterrows():
        f = []
        if r["is_founding_conflicting"]:
            f.append(f"founding year conflicting ({r['founded_earliest']}-{r['founded_latest']})")
        if oldest is not None and r["years_since_founding"] == oldest:
            f.append("oldest in the comparison")
        if pd.notna(r["note"]):
            f.append("HMIC finding in note")
        if pd.notna(r["years_from_inspection_to_grade"]):
            f.append(f"graded {r['years_from_inspection_to_grade']} years after the {year} inspection")
        flags.append("; ".join(f))
    table["flags"] = pd.array(flags, dtype="string")
    excluded = pd.DataFrame(excl, columns=["rocu_id", "reason", "grade", "founded_used"])
    excluded = excluded.astype({"rocu_id": "string", "reason": "string", "grade": "string", "founded_used": "Int64"})

    n = int(len(table))
    if n >= 2:
        res = spearman_exact(table["years_since_founding"].astype(float), table["grade_code"].astype(float), seed=seed)
        sens = []
        for basis, col in (
            ("founded_earliest (used)", "years_since_founding_max"),
            ("founded_latest", "years_since_founding_min"),
        ):
            s = spearman_exact(table[col].astype(float), table["grade_code"].astype(float), seed=seed)
            sens.append({"founding_basis": basis, "rho": s.rho, "p_value": s.p_value, "n": s.n, "method": s.method})
        if n >= 3:
            for rid in table.index:
                sub = table.drop(index=rid)
                s = spearman_exact(
                    sub["years_since_founding"].astype(float), sub["grade_code"].astype(float), seed=seed
                )
                sens.append(
                    {
                        "founding_basis": f"founded_earliest (used), without {rid}",
                        "rho": s.rho,
                        "p_value": s.p_value,
                        "n": s.n,
                        "method": s.method,
                    }
                )
        sensitivity = pd.DataFrame(sens)
        rho, p, method = res.rho, res.p_value, res.method
    else:
        rho, p, method = float("nan"), float("nan"), "not computed (fewer than two ROCUs)"
        sensitivity = pd.DataFrame(columns=["founding_basis", "rho", "p_value", "n", "method"])

    gaps = table["years_from_inspection_to_grade"].dropna()
    gap_txt = (
        f" The grades were published {int(gaps.min())} to {int(gaps.max())} years after the {year} "
        f"inspection, by a different inspection programme, in different years for different regions."
        if len(gaps)
        else ""
    )
    flips = []
    if len(sensitivity) and not np.isnan(rho):
        loo = sensitivity[sensitivity["founding_basis"].str.contains("without")]
        flips = [
            f"{b.split('without ')[-1]} (rho = {r:.2f})"
            for b, r in zip(loo["founding_basis"], loo["rho"])
            if not np.isnan(r) and np.sign(r) != np.sign(rho)
        ]
    flip_txt = (
        f" Leaving out a single ROCU reverses the sign of rho (= {rho:.2f}) when it is: {', '.join(flips)}."
        if flips
        else ""
    )
    warning = (
        f"Only n = {n} ROCUs have both a ROCU grade and a founding year in the data "
        f"({len(excluded)} excluded: {', '.join(excluded['rocu_id'])}). A correlation on n <= {MAX_EXACT_N} "
        f"units cannot carry a causal claim, nor a general one.{flip_txt} "
        f"The test compares ranks only (the order of ages and of grades, not the distances between them), "
        f"and its p-value is exact under random relabelling of these {n} units, nothing more."
        f"{gap_txt} A founding year is the first date a source gives for a unit, not a measure of capability."
    )
    return MaturityResult(
        table=table,
        excluded=excluded,
        n=n,
        rho=rho,
        p_value=p,
        p_method=method,
        warning=warning,
        sensitivity=sensitivity,
    )
