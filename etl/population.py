"""Mid-year population by police force area (``force_population``), rebuilt from raw files.

ONS mid-year estimates by local authority district (2021 codes), mid-2001 to mid-2020,
summed to police force areas through the ONS LAD16 -> PFA16 lookup (December 2016).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .officers import forces_by_code
from .provenance import RAW_INPUTS, check_checksum

__all__ = ["POST_2016_LAD_TO_FORCE", "LAD_CODE_PREFIXES", "SOURCE_ID", "build_force_population"]

LAD_POPULATION_FILE = "lesscrime_ons-mye-population-by-lad_mid2001-2020.csv.gz"
LOOKUP_FILE = "resistancelab_LAD16_CSP16_PFA16_lookup.csv"
SOURCE_ID = RAW_INPUTS[LAD_POPULATION_FILE].source_id
COLUMNS = ["force", "year", "population_persons", "source_id"]

#: ONS local authority district code prefixes (England: unitary, non-metropolitan district,
#: metropolitan district, London borough; Wales: unitary). Rows with other codes (country,
#: region, county) would double count and are excluded.
LAD_CODE_PREFIXES = ("E06", "E07", "E08", "E09", "W06")

#: Local authority districts created after December 2016, so absent from the LAD16 lookup.
#: Each lies wholly inside one police force area (reference README, section
#: "population_by_pfa_mid2001_2020.csv"); values are force names of the forces table.
POST_2016_LAD_TO_FORCE = {
    "E06000061": "Northamptonshire",  # North Northamptonshire (2021; from Corby, East Northants, Kettering, Wellingborough)
    "E06000062": "Northamptonshire",  # West Northamptonshire (2021; from Daventry, Northampton, South Northants)
    "E07000244": "Suffolk",  # East Suffolk (2019; from Suffolk Coastal, Waveney)
    "E07000245": "Suffolk",  # West Suffolk (2019; from Forest Heath, St Edmundsbury)
    "E06000060": "Thames Valley",  # Buckinghamshire (2020; from the four Buckinghamshire districts)
    "E06000058": "Dorset",  # Bournemouth, Christchurch and Poole (2019)
    "E06000059": "Dorset",  # Dorset (2019; from the Dorset districts except Christchurch)
    "E07000246": "Avon and Somerset",  # Somerset West and Taunton (2019; from Taunton Deane, West Somerset)
}


def _clean_code(s: pd.Series) -> pd.Series:
    # str.strip() also removes the no-break space (U+00A0) some ONS codes carry in the file.
    return s.astype(str).str.strip()


def build_force_population(
    lad_population_path: str | Path,
    lookup_path: str | Path,
    forces: pd.DataFrame,
    *,
    verify_checksum: bool = True,
    report: dict | None = None,
) -> pd.DataFrame:
    """Mid-year population by police force area, mid-2001 to mid-2020.

    Local authority rows (codes starting E06, E07, E08, E09, W06) of the ONS mid-year
    estimates are assigned to a police force area with the LAD16 -> PFA16 lookup, or, for
    the eight districts created after 2016, with :data:`POST_2016_LAD_TO_FORCE`; the
    persons are summed per force and year. Rows with other codes (country, region) are
    excluded and counted in ``report``.

    Public sources: ONS mid-year estimates, ``ukpopestimatesmid2020on2021geography.xls``
    (MYE5), copy at
    https://github.com/mpjashby/lesscrime.info/blob/ba57b0a0a191ab2a90582d310b73fca556e38b49/content/post/crime-pressure-force-2022-pop-data.csv.gz ;
    ONS LAD16-CSP16-PFA16 lookup (December 2016), copy in Resistance-Lab/resistancelab_data
    (see :data:`etl.provenance.RAW_INPUTS`).

    Parameters
    ----------
    lad_population_path : str or Path
        Long table ``code, name, year, population`` (CSV, optionally gzipped).
    lookup_path : str or Path
        ONS lookup with columns ``LAD16CD`` and ``PFA16CD``.
    forces : DataFrame
        Forces table with at least ``force`` and ``ons_code``.
    verify_checksum : bool, default True
        Check both files against their provenance records first.
    report : dict, optional
        If given, filled with checksums, row counts and the excluded non-district rows.

    Returns
    -------
    DataFrame
        Columns ``force, year, population_persons, source_id`` (``year`` and
        ``population_persons`` int64), sorted by ``force, year``.

    Raises
    ------
    ValueError
        If a district code is neither in the lookup nor in :data:`POST_2016_LAD_TO_FORCE`,
        a PFA code is not in the forces table, a force or a force-year is missing, a
        population is missing or negative, or a (code, year) repeats.
    """
    lad_population_path, lookup_path = Path(lad_population_path), Path(lookup_path)
    checks = {}
    if verify_checksum:
        for p in (lad_population_path, lookup_path):
            checks[p.name] = check_checksum(p).sha256
    pop = pd.read_csv(lad_population_path, dtype={"code": str, "name": str})
    return force_population_from_lad(
        pop, lookup_path, forces, label=lad_population_path.name, checks=checks, report=report
    )


def force_population_from_lad(
    pop: pd.DataFrame,
    lookup_path,
    forces: pd.DataFrame,
    *,
    label: str,
    checks: dict | None = None,
    report: dict | None = None,
    source_id: str = SOURCE_ID,
) -> pd.DataFrame:
    """The body of :func:`build_force_population` on a long ``code, name, year, population`` frame.

    ``label`` names the input in error messages; ``source_id`` is written on every row.
    """
    lookup_path = Path(lookup_path)
    checks = checks or {}
    lad_population_path = Path(label)
    code_map = forces_by_code(forces)
    force_to_code = {v: k for k, v in code_map.items()}

    need = {"code", "year", "population"}
    if need - set(pop.columns):
        raise ValueError(f"{lad_population_path.name}: missing column(s) {sorted(need - set(pop.columns))}")
    n_codes_with_whitespace = int((pop["code"] != pop["code"].str.strip()).groupby(pop["code"]).any().sum())
    pop["code"] = _clean_code(pop["code"])
    is_lad = pop["code"].str[:3].isin(LAD_CODE_PREFIXES)
    excluded = pop.loc[~is_lad, "code"].value_counts().sort_index().to_dict()
    pop = pop[is_lad].copy()
    if pop["population"].isna().any():
        bad = pop.loc[pop["population"].isna(), ["code", "year"]].astype(str).agg(" ".join, axis=1).tolist()
        raise ValueError(f"{lad_population_path.name}: missing population for {bad[:10]}")
    pop["population"] = pd.to_numeric(pop["population"], errors="raise")
    if (pop["population"] < 0).any() or (pop["population"] % 1 != 0).any():
        raise ValueError(f"{lad_population_path.name}: population must be non-negative whole persons")
    dup = pop.duplicated(["code", "year"])
    if dup.any():
        raise ValueError(
            f"{lad_population_path.name}: repeated (code, year): {pop.loc[dup, ['code', 'year']].values.tolist()[:10]}"
        )

    lk = pd.read_csv(lookup_path, dtype=str, encoding="utf-8-sig")
    if {"LAD16CD", "PFA16CD"} - set(lk.columns):
        raise ValueError(f"{lookup_path.name}: needs columns LAD16CD and PFA16CD")
    lk["LAD16CD"], lk["PFA16CD"] = _clean_code(lk["LAD16CD"]), _clean_code(lk["PFA16CD"])
    conflict = lk.groupby("LAD16CD")["PFA16CD"].nunique()
    if (conflict > 1).any():
        raise ValueError(
            f"{lookup_path.name}: district(s) in more than one PFA: {sorted(conflict[conflict > 1].index)}"
        )
    lad_to_pfa = dict(zip(lk["LAD16CD"], lk["PFA16CD"]))
    unknown_pfa = sorted(set(lad_to_pfa.values()) - set(code_map))
    if unknown_pfa:
        raise ValueError(f"{lookup_path.name}: PFA code(s) not in the forces table: {unknown_pfa}")
    present = set(pop["code"])
    for lad, force in POST_2016_LAD_TO_FORCE.items():
        if lad in lad_to_pfa:
            raise ValueError(f"{lad} is in the lookup; the hand assignment must only cover post-2016 codes")
        if lad in present and force not in force_to_code:
            raise ValueError(f"hand-assigned force {force!r} ({lad}) is not in the forces table")

    lad_force = {lad: code_map[pfa] for lad, pfa in lad_to_pfa.items()}
    lad_force.update(POST_2016_LAD_TO_FORCE)
    unmapped = sorted(set(pop["code"]) - set(lad_force))
    if unmapped:
        names = pop.loc[pop["code"].isin(unmapped), ["code", "name"]].drop_duplicates()
        raise ValueError(
            f"{lad_population_path.name}: local authority code(s) neither in the LAD16->PFA16 lookup nor in "
            f"POST_2016_LAD_TO_FORCE: {names.values.tolist()}"
        )
    pop["force"] = pop["code"].map(lad_force)
    hand = sorted(set(pop["code"]) & set(POST_2016_LAD_TO_FORCE))

    out = pop.groupby(["force", "year"], as_index=False)["population"].sum()
    missing_forces = sorted(set(code_map.values()) - set(out["force"]))
    if missing_forces:
        raise ValueError(f"{lad_population_path.name}: no population for force(s) {missing_forces}")
    years = sorted(pop["year"].unique())
    per_force = out.groupby("force")["year"].nunique()
    short = per_force[per_force != len(years)]
    if len(short):
        raise ValueError(f"{lad_population_path.name}: force(s) lacking some years: {short.to_dict()}")

    out = (
        pd.DataFrame(
            {
                "force": out["force"].astype(object),
                "year": out["year"].astype("int64"),
                "population_persons": out["population"].astype("int64"),
                "source_id": source_id,
            }
        )
        .sort_values(["force", "year"], kind="mergesort")
        .reset_index(drop=True)
    )
    if report is not None:
        report.update(
            {
                "table": "force_population",
                "inputs_sha256": checks,
                "rows": len(out),
                "years": [int(years[0]), int(years[-1])],
                "districts": int(pop["code"].nunique()),
                "districts_hand_assigned": hand,
                "district_codes_with_stray_whitespace": n_codes_with_whitespace,
                "non_district_rows_excluded": excluded,
            }
        )
    return out[COLUMNS]
