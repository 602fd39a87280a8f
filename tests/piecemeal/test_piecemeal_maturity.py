"""Spearman with an exact permutation p-value; age at 2015 against the 2022-25 grade."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from rocu_compare.piecemeal import founding_ranges, maturity_vs_grade, spearman_exact


def test_spearman_hand_example():
    # x = [1, 2, 3, 4], y = [1, 3, 2, 4]: d = [0, -1, 1, 0], sum d^2 = 2,
    # rho = 1 - 6 * 2 / (4 * (16 - 1)) = 1 - 12/60 = 0.8.
    # Exact two-sided p: over the 24 orderings of y, rho = 1 - sum(d^2)/10, so |rho| >= 0.8
    # means sum d^2 <= 2 or sum d^2 >= 18. Enumerated (y ranks: sum d^2):
    #   1234:0  1243:2  1324:2  1342:6  1423:6  1432:8
    #   2134:2  2143:4  2314:6  2341:12 2413:10 2431:14
    #   3124:6  3142:10 3214:8  3241:14 3412:16 3421:18
    #   4123:12 4132:14 4213:14 4231:18 4312:18 4321:20
    # sum d^2 <= 2: 1234, 1243, 1324, 2134 (4); sum d^2 >= 18: 3421, 4231, 4312, 4321 (4).
    # p = 8 / 24 = 1/3.
    r = spearman_exact([1, 2, 3, 4], [1, 3, 2, 4])
    assert r.rho == pytest.approx(0.8)
    assert r.p_value == pytest.approx(8 / 24)
    assert r.n_permutations == 24 and r.method.startswith("exact")
    assert r.to_frame().shape == (1, 5)


def test_spearman_ties_average_ranks():
    # x ranks [1, 2.5, 2.5, 4]; y = x exactly -> rho 1
    r = spearman_exact([1, 2, 2, 3], [10, 20, 20, 30])
    assert r.rho == pytest.approx(1.0)
    assert r.rho == pytest.approx(st.spearmanr([1, 2, 2, 3], [10, 20, 20, 30]).statistic)


@settings(max_examples=40, deadline=None)
@given(hs.lists(hs.tuples(hs.integers(0, 4), hs.integers(0, 4)), min_size=3, max_size=6))
def test_spearman_matches_scipy(pairs):
    x = [p[0] for p in pairs]
    y = [p[1] for p in pairs]
    r = spearman_exact(x, y)
    if len(set(x)) < 2 or len(set(y)) < 2:
        assert math.isnan(r.rho)
        return
    assert r.rho == pytest.approx(st.spearmanr(x, y).statistic, abs=1e-12)
    # exact p: share of all n! pairings with |rho| >= |rho_obs| -- scipy's exhaustive
    # permutation test of the statistic |rho| with alternative "greater" is the same quantity
    ref = st.permutation_test(
        (np.asarray(y, float),),
        lambda yy: abs(st.spearmanr(x, yy).statistic),
        permutation_type="pairings",
        n_resamples=np.inf,
        alternative="greater",
    )
    assert r.p_value == pytest.approx(ref.pvalue, abs=1e-9)


def test_spearman_matches_scipy_seeded_random():
    rng = np.random.default_rng(2024)
    for _ in range(20):
        n = int(rng.integers(5, 30))
        x, y = rng.integers(0, 6, n), rng.normal(size=n)
        assert spearman_exact(x, y, n_resamples=200).rho == pytest.approx(st.spearmanr(x, y).statistic)


def test_spearman_monte_carlo_is_seeded():
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=12), rng.normal(size=12)
    a = spearman_exact(x, y, n_resamples=5000, seed=3)
    b = spearman_exact(x, y, n_resamples=5000, seed=3)
    assert a == b
    assert "Monte Carlo" in a.method and "seed 3" in a.method
    assert a.rho == pytest.approx(st.spearmanr(x, y).statistic)
    assert 0 < a.p_value <= 1


def test_spearman_rejects_bad_input():
    with pytest.raises(ValueError):
        spearman_exact([1, 2], [1])
    with pytest.raises(ValueError):
        spearman_exact([1, 2, float("nan")], [1, 2, 3])


def test_maturity_vs_grade_bundled(ds):
    res = maturity_vs_grade(ds)
    t = res.table
    assert res.n == len(t) == 6
    assert set(res.excluded["rocu_id"]) == {"london", "tarian", "yhrocu", "wmrocu"}
    reasons = res.excluded.set_index("rocu_id")["reason"]
    assert "no ROCU grade" in reasons["london"] and "founding year not published" in reasons["london"]
    assert "not published" in reasons["tarian"]
    # grade codes follow the schema order (0 = inadequate ... 4 = outstanding)
    order = list(ds.schema["inspections"].field("grade").ordered)
    assert list(t["grade"].cat.categories) == order
    for _rid, r in t.iterrows():
        assert r["grade_code"] == order.index(r["grade"])
    # years since founding from founded_used
    fr = founding_ranges(ds)
    assert (t["years_since_founding"] == 2015 - fr.loc[t.index, "founded_used"]).all()
    # the statistic is the rank correlation of the table's two columns
    assert res.rho == pytest.approx(st.spearmanr(t["years_since_founding"], t["grade_code"]).statistic)
    ref = spearman_exact(t["years_since_founding"], t["grade_code"])
    assert (res.rho, res.p_value) == (ref.rho, ref.p_value)
    assert res.p_method.startswith("exact")
    assert "causal" in res.warning and "ranks only" in res.warning and f"n = {res.n}" in res.warning


def test_emsou_row_with_note_from_facts(ds):
    t = maturity_vs_grade(ds).table
    em = t.loc["emsou"]
    assert em["grade"] == "inadequate"
    assert em["years_since_founding"] == t["years_since_founding"].max()
    f = ds.facts
    charac = f[(f["subject"] == "emsou") & (f["measure"] == "hmic_2015_characterisation")].iloc[0]
    assert str(charac["value"]) in em["note"] and str(charac["source_id"]) in em["note"]
    assert bool(em["is_founding_conflicting"])
    assert (em["years_since_founding_min"], em["years_since_founding_max"]) == (2015 - 2002, 2015 - 2001)


def test_sensitivity_reports_both_founding_readings(ds):
    res = maturity_vs_grade(ds)
    s = res.sensitivity
    assert {"founded_earliest (used)", "founded_latest"} <= set(s["founding_basis"])
    loo = s[s["founding_basis"].str.contains("without")]
    assert len(loo) == res.n and (loo["n"] == res.n - 1).all()
