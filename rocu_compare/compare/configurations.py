"""What difference did piecemeal development make, and is it closing?

* :func:`compare_configurations` compares force → unit configurations at one date (the
  units as built against the units aligned to the police regions, Kent either way ...):
  each unit's context, the dispersion of every size and rate measure, the distances and
  which forces move, with a computed headline.
* :func:`compare_over_time` runs the comparison at several dates and returns the
  dispersion of each measure and the mean pairwise distance per date, with the year each
  series used, and states convergence or divergence only with the number of units and
  years behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..dates import parse_date
from ..membership import Configuration, configured, moved_forces
from .analysis import Comparison, compare_rocus
from .dispersion import dispersion

__all__ = [
    "MEASURES",
    "ConfigurationComparison",
    "OverTime",
    "compare_configurations",
    "compare_over_time",
    "resolve_configuration",
]

#: Size and rate measures of a unit (columns of :meth:`Dataset.rocu_context`) with a plain label.
MEASURES = {
    "population_persons": "residents served",
    "officers_fte": "officers of the member forces (FTE)",
    "workforce_fte": "workforce of the member forces (FTE)",
    "area_km2_approx": "area (km²)",
    "population_per_km2": "residents per km²",
    "officers_per_100k_population": "officers per 100,000 residents",
    "crime_severity_score": "crime severity score",
}
_DISP_COLS = ["n", "mean", "min", "max", "cv", "max_min_ratio", "gini", "cv_ci_low", "cv_ci_high", "small_n", "note"]


def _date_text(ts) -> str:
    ts = pd.Timestamp(ts)
    return f"{ts.day} {ts:%B %Y}"


def resolve_configuration(ds, configuration, as_at) -> Configuration | None:
    """A :class:`Configuration` from a Configuration, a scenario name or file, or a mapping (None stays None)."""
    from .. import scenarios
    from ..membership import check_mapping

    if configuration is None or isinstance(configuration, Configuration):
        return configuration
    if isinstance(configuration, str):
        return scenarios.named(ds, configuration, as_at)
    mapping, new = check_mapping(ds, configuration)
    return Configuration("custom", mapping, f"a custom configuration ({len(set(mapping.values()))} units)", new)


@dataclass
class ConfigurationComparison:
    """Several force → unit configurations compared at one date.

    Attributes
    ----------
    as_at : Timestamp
    configurations : dict of str to Configuration
    context : dict of str to DataFrame
        Per configuration, :meth:`Dataset.rocu_context` of the units with member forces.
    dispersion : DataFrame
        One row per (``configuration``, ``measure``): ``label``, ``n`` units, ``mean``,
        ``min``, ``max``, ``cv``, ``max_min_ratio``, ``gini``, CV bootstrap interval,
        ``small_n`` and ``note``.
    comparisons : dict of str to Comparison
        :func:`compare_rocus` under each configuration (distances, peers ...).
    mean_distance : Series
        Mean pairwise Gower distance per configuration.
    moves : DataFrame
        ``configuration``, ``force``, ``from_unit`` (in the first configuration),
        ``to_unit``: the forces that change unit
        (:func:`~rocu_compare.membership.moved_forces`; a unit renamed with the same
        forces is not a move).
    notes : dict of str to list of str
        Units left out, series beyond tolerance ... per configuration.
    headline : str
        A computed sentence comparing the first two configurations.
    """

    as_at: pd.Timestamp
    configurations: dict
    context: dict
    dispersion: pd.DataFrame
    comparisons: dict
    mean_distance: pd.Series
    moves: pd.DataFrame
    notes: dict
    headline: str

    def _repr_html_(self) -> str:
        t = self.dispersion.reset_index()[["configuration", "label", "n", "min", "max", "cv"]]
        return f"<p>{self.headline}</p>" + t.to_html(index=False, float_format=lambda v: f"{v:,.3g}")


def _snapshot(
    ds, cfg: Configuration | None, ts, *, tolerance_years, n_draws, seed, include, exclude, later_outcomes, n_boot
) -> tuple[pd.DataFrame, pd.DataFrame, Comparison]:
    d = configured(ds, cfg)
    ctx = d.rocu_context(ts, tolerance_years=tolerance_years)
    cmp = compare_rocus(
        d,
        ts,
        n_draws=n_draws,
        seed=seed,
        include=include,
        exclude=exclude,
        tolerance_years=tolerance_years,
        later_outcomes=later_outcomes,
    )
    ctx = ctx.loc[list(cmp.distance.index)]
    disp = dispersion(ctx[list(MEASURES)].astype("float64"), n_boot=n_boot, seed=seed)
    disp.insert(0, "label", [MEASURES[m] for m in disp.index])
    return ctx, disp, cmp


def compare_configurations(
    ds,
    configurations,
    as_at="2015-06-30",
    *,
    tolerance_years: int = 1,
    n_draws: int = 0,
    seed: int = 0,
    include=None,
    exclude=(),
    later_outcomes: bool = False,
    n_boot: int = 2000,
) -> ConfigurationComparison:
    """Compare force → unit configurations at one date.

    Parameters
    ----------
    ds : Dataset
    configurations : dict or sequence
        ``{"as built": config, "aligned": config}`` (values: a
        :class:`~rocu_compare.membership.Configuration`, a scenario name such as
        ``"aligned"``, a CSV/xlsx path, or a force → unit dict), or a sequence of
        Configurations (keyed by their names). The first is the reference for ``moves``
        and the headline.
    as_at : str, date or Timestamp, default "2015-06-30"
    tolerance_years : int, default 1
        See :meth:`Dataset.rocu_context`.
    n_draws : int, default 0
        Robustness draws per configuration (0: none, faster).
    seed : int, default 0
    include, exclude : sequence of str, optional
        ROCU ids (case-insensitive) to keep or leave out, as in :func:`compare_rocus`.
    later_outcomes : bool, default False
    n_boot : int, default 2000
        Bootstrap resamples for the CV intervals.

    Returns
    -------
    ConfigurationComparison

    Examples
    --------
    >>> import rocu_compare as rc
    >>> from rocu_compare import scenarios
    >>> ds = rc.load()
    >>> r = compare_configurations(ds, {"as built": scenarios.as_built(ds, "2015-06-30"),
    ...                                 "aligned": scenarios.aligned_to_regions(ds)}, "2015-06-30", n_boot=10)
    >>> sorted(r.moves["force"])
    ['Dyfed-Powys', 'Gwent', 'North Wales', 'South Wales']
    """
    ts = parse_date(as_at, "as_at")
    if not isinstance(configurations, dict):
        configurations = {c.name: c for c in configurations}
    if len(configurations) < 1:
        raise ValueError("give at least one configuration")
    cfgs = {name: resolve_configuration(ds, c, ts) for name, c in configurations.items()}
    contexts, disps, cmps, notes, mean_d = {}, [], {}, {}, {}
    for name, cfg in cfgs.items():
        ctx, disp, cmp = _snapshot(
            ds,
            cfg,
            ts,
            tolerance_years=tolerance_years,
            n_draws=n_draws,
            seed=seed,
            include=include,
            exclude=exclude,
            later_outcomes=later_outcomes,
            n_boot=n_boot,
        )
        contexts[name], cmps[name], notes[name] = ctx, cmp, list(cmp.notes)
        mean_d[name] = cmp.spread["mean_distance"]
        disps.append(disp.assign(configuration=name))
    disp = pd.concat(disps).reset_index().set_index(["configuration", "attribute"])
    disp.index = disp.index.set_names(["configuration", "measure"])
    ref_name = next(iter(cfgs))
    ref_map = _mapping_at(ds, cfgs[ref_name], ts)
    forces = list(ds.tables["forces"]["force"].astype(str))
    moves = []
    for name, cfg in cfgs.items():
        m = _mapping_at(ds, cfg, ts)
        # every force of the forces table, in its order; a renamed unit is not a move
        moves += [
            (name, *row) for row in moved_forces({f: ref_map.get(f) for f in forces}, {f: m.get(f) for f in forces})
        ]
    moves = pd.DataFrame(moves, columns=["configuration", "force", "from_unit", "to_unit"])
    headline = _headline(ts, cfgs, disp)
    return ConfigurationComparison(
        ts, cfgs, contexts, disp, cmps, pd.Series(mean_d, name="mean_distance"), moves, notes, headline
    )


def _mapping_at(ds, cfg, ts) -> dict:
    if cfg is None or cfg.as_built_at is not None:
        mem = ds.membership_at(ts).astype(str)
        return dict(zip(mem["force"], mem["rocu_id"]))
    return dict(cfg.mapping)


def _range_text(row, fmt="{:,.0f}") -> str:
    if pd.isna(row["min"]):
        return "not available"
    cv = f"CV {row['cv']:.2f}" if pd.notna(row["cv"]) else "CV undefined"
    return f"{fmt.format(row['min'])} to {fmt.format(row['max'])} ({cv}, {int(row['n'])} units)"


def _headline(ts, cfgs, disp, measure="population_persons") -> str:
    names = list(cfgs)
    if len(names) < 2:
        r = disp.loc[(names[0], measure)]
        return f"On {_date_text(ts)}, under {names[0]}, the {MEASURES[measure]} range from {_range_text(r)}."
    a, b = names[0], names[1]
    ra, rb = disp.loc[(a, measure)], disp.loc[(b, measure)]
    if pd.isna(ra["min"]) or pd.isna(rb["min"]):
        return (
            f"On {_date_text(ts)} no {MEASURES[measure]} figure is available within the date tolerance, so "
            f"'{b}' and '{a}' cannot be compared on it."
        )
    desc = cfgs[b].description if cfgs[b] is not None else b
    return (
        f"On {_date_text(ts)}, under '{b}' ({desc}), the {MEASURES[measure]} would range from "
        f"{_range_text(rb)} instead of {_range_text(ra)} under '{a}'."
    )


@dataclass
class OverTime:
    """The comparison run at several dates.

    Attributes
    ----------
    dates : list of Timestamp
    configuration : Configuration or None
        None: the units as built at each date.
    dispersion : DataFrame
        One row per (``date``, ``attribute``): every numeric profile attribute except
        calendar years (size and rate measures; budget and staff per head when the data
        hold ``rocu_resources``): ``n`` units, ``mean``, ``min``, ``max``, ``cv``,
        ``max_min_ratio``, ``gini``, ``small_n``, and ``series_used`` (the profile note:
        which year or date the series used, or why it is missing).
    distance : DataFrame
        One row per date: ``n_units``, ``n_attributes``, ``mean_distance``.
    notes : dict of Timestamp to list of str
    statements : list of str
        One computed sentence per measure with values at two or more dates.
    """

    dates: list
    configuration: Configuration | None
    dispersion: pd.DataFrame
    distance: pd.DataFrame
    notes: dict
    statements: list = field(default_factory=list)

    def _repr_html_(self) -> str:
        return "<ul>" + "".join(f"<li>{s}</li>" for s in self.statements) + "</ul>" + self.distance.to_html()


def compare_over_time(
    ds,
    dates,
    configuration=None,
    *,
    tolerance_years: int = 1,
    include=None,
    exclude=(),
    later_outcomes: bool = False,
    n_boot: int = 200,
    seed: int = 0,
) -> OverTime:
    """Dispersion of each measure and mean pairwise distance at each date.

    Parameters
    ----------
    ds : Dataset
    dates : sequence of str, date or Timestamp
        Analysis dates (each an ISO ``YYYY-MM-DD`` string, date or Timestamp); sorted.
    configuration : Configuration, scenario name, path or dict, optional
        A configuration held at every date (e.g. ``"aligned"``); default the units as
        built at each date.
    tolerance_years : int, default 1
        A series further than this from a date is missing at that date (never carried
        forward); ``series_used`` says which year each series used.
    include, exclude, later_outcomes
        As in :func:`compare_rocus`.
    n_boot : int, default 200
    seed : int, default 0

    Returns
    -------
    OverTime
        Per-date results equal those of separate :func:`compare_rocus` calls at each date.
    """
    ts_list = sorted({parse_date(d, "dates") for d in dates})
    if not ts_list:
        raise ValueError("give at least one date")
    cfg = resolve_configuration(ds, configuration, ts_list[0])
    rows, dist_rows, notes = [], [], {}
    for ts in ts_list:
        d = configured(ds, cfg)
        cmp = compare_rocus(
            d,
            ts,
            n_draws=0,
            seed=seed,
            include=include,
            exclude=exclude,
            tolerance_years=tolerance_years,
            later_outcomes=later_outcomes,
        )
        prof = cmp.profiles
        num = [c for c, k in prof.kinds.items() if k == "numeric" and prof.groups[c] != "history"]
        disp = dispersion(prof.frame[num].astype("float64"), n_boot=n_boot, seed=seed)
        disp["series_used"] = [prof.notes.get(c, "") for c in disp.index]
        disp["group"] = [prof.groups[c] for c in disp.index]
        rows.append(disp.assign(date=ts).reset_index())
        dist_rows.append(
            {
                "date": ts,
                "n_units": int(cmp.spread["n_units"]),
                "n_attributes": prof.frame.shape[1],
                "mean_distance": float(cmp.spread["mean_distance"]),
            }
        )
        notes[ts] = list(cmp.notes)
    disp = pd.concat(rows, ignore_index=True).set_index(["date", "attribute"])
    distance = pd.DataFrame(dist_rows).set_index("date")
    return OverTime(ts_list, cfg, disp, distance, notes, _statements(disp, distance))


def _statements(disp: pd.DataFrame, distance: pd.DataFrame) -> list[str]:
    out = []
    for attr in dict.fromkeys(disp.index.get_level_values("attribute")):
        s = disp.xs(attr, level="attribute")
        s = s[s["cv"].notna()]
        if len(s) < 2:
            continue
        first, last = s.iloc[0], s.iloc[-1]
        d0, d1 = s.index[0], s.index[-1]
        years = (d1 - d0).days / 365.25
        label = MEASURES.get(attr, attr.replace("_", " "))
        if first["series_used"] == last["series_used"] and first["series_used"]:
            why = " (both dates use the same data, so any change comes from membership alone)"
        else:
            why = ""
        if round(float(last["cv"]), 2) == round(float(first["cv"]), 2):  # no change at the precision stated
            verdict = "about the same spread"
        elif last["cv"] < first["cv"]:
            verdict = "closer together (converging on this measure)"
        else:
            verdict = "further apart (diverging on this measure)"
        if int(first["n"]) != int(last["n"]):
            why += (
                f"; the number of units with a value differs ({int(first['n'])} then {int(last['n'])}), so the "
                "change mixes new or missing units with any real change"
            )
        out.append(
            f"{label}: CV {first['cv']:.2f} on {_date_text(d0)} ({int(first['n'])} units) and "
            f"{last['cv']:.2f} on {_date_text(d1)} ({int(last['n'])} units): {verdict}, on {len(s)} dates "
            f"over {years:.1f} years{why}; no significance test."
        )
    dd = distance.dropna(subset=["mean_distance"])
    if len(dd) >= 2:
        a, b = dd.iloc[0], dd.iloc[-1]
        same = a["n_attributes"] == b["n_attributes"]
        out.append(
            f"mean pairwise distance: {a['mean_distance']:.3f} on {_date_text(dd.index[0])} "
            f"({int(a['n_units'])} units, {int(a['n_attributes'])} attributes) and {b['mean_distance']:.3f} on "
            f"{_date_text(dd.index[-1])} ({int(b['n_units'])} units, {int(b['n_attributes'])} attributes)"
            + (
                ""
                if same
                else "; the attributes compared differ between the dates, so the distances are not directly comparable"
            )
            + "."
        )
    return out
