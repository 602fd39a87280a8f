"""Re-derive the numeric columns of the forces table from the raw files and compare.

The forces table carries values "exactly as in the source table". This module reads each
raw file again and reports every force and column where the table and the file disagree
(an empty frame means all agree). Column names of both the reference ``forces.csv`` and
``data/forces.csv`` are accepted (see :data:`COLUMN_ALIASES`).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from .officers import forces_by_code
from .provenance import check_checksum

__all__ = ["COLUMN_ALIASES", "MISMATCH_COLUMNS", "normalise_force_name", "rederive_force_columns"]

CENSUS_FILE = "resistancelab_force-demographics_census2011.csv"
CENSUS_COLUMN = "Ethnic Group: All categories: Ethnic group; measures: Value"
GEOJSON_FILE = "popm_force_boundaries_ugc.geojson"
MYE2018_FILE = "popm_population_data_MYE2018.csv"
MID2010_FILE = "popm_population-police-force_mid2001-2010_thousands.csv"
OFFICER_FTE_2015_FILE = "resistancelab_officer-fte_2015.csv"
SEP15_ODS = "homeoffice_police-workforce-tabs-30sep15.ods"
SEP16_ODS = "homeoffice_police-workforce-tables-sep16.ods"
TOTAL_ROW = "total 43 forces"

#: Schema column name -> other names it has in the reference forces.csv.
COLUMN_ALIASES = {
    "population_census_2011_persons": ("population_census_2011",),
    "population_mid2010_thousands": ("population_thousands_mid_2010",),
    "population_mid2018_persons_rounded_100": ("population_mid_2018_mye_rounded_100",),
    "area_km2_approx": ("area_km2_approx_ugc_dec2016",),
}

#: Columns of the frame returned by :func:`rederive_force_columns`.
MISMATCH_COLUMNS = ["force", "column", "table_value", "derived_value", "source_file", "note"]

# Names used by the sources for three forces (after normalisation).
_NAME_ALIASES = {
    "metropolitan": "metropolitan police",
    "london, city of": "city of london",
}

# (release file, sheet, as-at date in the header) -> forces-table column.
_ODS_COLUMNS = {
    (SEP15_ODS, "Table_1", "2014-09-30"): "officers_fte_2014_09_30",
    (SEP15_ODS, "Table_1", "2015-03-31"): "officers_fte_2015_03_31",
    (SEP15_ODS, "Table_1", "2015-09-30"): "officers_fte_2015_09_30",
    (SEP15_ODS, "Table_2", "2015-03-31"): "police_staff_fte_2015_03_31",
    (SEP15_ODS, "Table_3", "2015-03-31"): "pcso_fte_2015_03_31",
    (SEP15_ODS, "Table_4", "2015-03-31"): "designated_officers_fte_2015_03_31",
    (SEP15_ODS, "Table_5", "2015-03-31"): "special_constables_headcount_2015_03_31",
    (SEP16_ODS, "Table_1", "2016-03-31"): "officers_fte_2016_03_31",
    (SEP16_ODS, "Table_2", "2016-03-31"): "police_staff_fte_2016_03_31",
    (SEP16_ODS, "Table_3", "2016-03-31"): "pcso_fte_2016_03_31",
    (SEP16_ODS, "Table_4", "2016-03-31"): "designated_officers_fte_2016_03_31",
}
_CSV_2015_COLUMNS = {
    "September 2014": "officers_fte_2014_09_30",
    "March 2015": "officers_fte_2015_03_31",
    "September 2015": "officers_fte_2015_09_30",
}


def normalise_force_name(name: str) -> str:
    """Normalise a force name for matching across sources.

    Drops trailing footnote digits ("Wiltshire2"), writes "&" as "and", lower-cases,
    collapses spaces, and maps "Metropolitan" and "London, City of" to the forces-table
    forms.

    Parameters
    ----------
    name : str
        A force name as printed by a source.

    Returns
    -------
    str
        The normalised name.
    """
    s = re.sub(r"\d+$", "", str(name).strip())
    s = re.sub(r"\s+", " ", s.replace("&", " and ")).strip().lower()
    return _NAME_ALIASES.get(s, s)


def _name_map(forces: pd.DataFrame) -> dict[str, str]:
    out = {}
    for col in ("force", "ons_name_pfa16nm"):
        if col in forces.columns:
            for value, force in zip(forces[col], forces["force"]):
                if isinstance(value, str):
                    out.setdefault(normalise_force_name(value), force)
    return out


def _by_name(
    names: pd.Series,
    values: pd.Series,
    name_map: dict[str, str],
    forces: set[str],
    what: str,
    total: float | None = None,
) -> dict[str, float]:
    """Values per force from a name-keyed table that may hold region and total rows.

    A name printed twice ("West Midlands": region, then force) takes its last row, because
    the releases print each region before its forces; the choice is verified against the
    "Total 43 forces" row where the table has one.
    """
    out: dict[str, float] = {}
    for name, value in zip(names, values):
        force = name_map.get(normalise_force_name(name))
        if force is not None:
            out[force] = value
    absent = sorted(forces - set(out))
    if absent:
        raise ValueError(f"{what}: force(s) not found by name: {absent}")
    if total is not None:
        s = sum(float(v) for v in out.values() if not pd.isna(v))
        if not math.isclose(s, float(total), abs_tol=0.05 + 1e-9 * abs(s)):
            raise ValueError(
                f"{what}: the 43 force rows sum to {s}, the 'Total 43 forces' row says {total}; "
                f"a region row was probably taken for a force"
            )
    return out


def _read_release_table(path: Path, sheet: str) -> pd.DataFrame:
    """One table of a Home Office workforce release: names x as-at dates (ISO strings)."""
    raw = pd.read_excel(path, engine="odf", sheet_name=sheet, header=None)
    header = None
    for i in range(min(len(raw), 20)):
        cells = raw.iloc[i, 1:4]
        if all(hasattr(c, "year") for c in cells):  # datetime / Timestamp cells
            header = i
            break
    if header is None:
        raise ValueError(f"{path.name}[{sheet}]: no row of as-at dates found")
    dates = [pd.Timestamp(c).strftime("%Y-%m-%d") for c in raw.iloc[header, 1:4]]
    rows = []
    for _, r in raw.iloc[header + 1 :].iterrows():
        name = r.iloc[0]
        if not isinstance(name, str) or not name.strip():
            continue
        rows.append([name.strip(), *r.iloc[1:4].tolist()])
        if normalise_force_name(name) == TOTAL_ROW:
            break
    t = pd.DataFrame(rows, columns=["name", *dates])
    for d in dates:
        t[d] = pd.to_numeric(t[d].replace({"*": pd.NA, "..": pd.NA, ":": pd.NA}), errors="raise")
    return t


def _table_column(forces: pd.DataFrame, column: str) -> str | None:
    for c in (column, *COLUMN_ALIASES.get(column, ())):
        if c in forces.columns:
            return c
    return None


def _compare(
    forces: pd.DataFrame,
    column: str,
    derived: dict[str, float],
    source_file: str,
    kind: str,
    problems: list[dict],
    compared: list[str],
) -> None:
    col = _table_column(forces, column)
    if col is None:
        return
    compared.append(f"{column} <- {source_file}")
    table = dict(zip(forces["force"], pd.to_numeric(forces[col], errors="coerce")))
    for force in sorted(table):
        t, d = table[force], derived.get(force, float("nan"))
        t_na, d_na = pd.isna(t), pd.isna(d)
        if t_na and d_na:
            continue
        if t_na != d_na:
            problems.append(
                {
                    "force": force,
                    "column": column,
                    "table_value": None if t_na else float(t),
                    "derived_value": None if d_na else float(d),
                    "source_file": source_file,
                    "note": "missing in the table" if t_na else "missing in the raw file",
                }
            )
            continue
        if kind == "int":
            same = float(t) == float(d)
        elif kind == "1dp":
            same = round(float(t), 1) == round(float(d), 1)
        else:  # values printed to 2 dp; the cleaned CSV carries float noise
            same = abs(float(t) - float(d)) < 0.005
        if not same:
            problems.append(
                {
                    "force": force,
                    "column": column,
                    "table_value": float(t),
                    "derived_value": float(d),
                    "source_file": source_file,
                    "note": "values differ",
                }
            )


def rederive_force_columns(
    raw_dir: str | Path,
    forces: pd.DataFrame,
    *,
    include_ods: bool = True,
    verify_checksum: bool = True,
    report: dict | None = None,
) -> pd.DataFrame:
    """Re-derive the forces-table columns that come from raw files and list disagreements.

    Columns checked (schema name; reference name in brackets):

    * ``population_census_2011_persons`` (``population_census_2011``): "Ethnic Group: All
      categories" of the Resistance Lab 2011 Census PFA table, matched by name.
    * ``population_mid2010_thousands`` (``population_thousands_mid_2010``): "Mid 2010" of
      the popm mid-2001-2010 table, matched by name.
    * ``population_mid2018_persons_rounded_100`` (``population_mid_2018_mye_rounded_100``):
      ``MYE2018`` of the popm table, matched by ONS code.
    * ``area_km2_approx`` (``area_km2_approx_ugc_dec2016``): ``Shape__Area`` / 10^6 of the
      ONS ultra-generalised boundaries, 1 dp, matched by ``PFA16CD``.
    * ``officers_fte_2014_09_30``, ``officers_fte_2015_03_31``, ``officers_fte_2015_09_30``:
      the Resistance Lab cleaned CSV of the Sep-2015 release, matched by name.
    * with ``include_ods``: officers, police staff, PCSO and designated officer FTE and
      special constable headcount from Tables 1-5 of the Sep-2015 and Sep-2016 releases
      (ODS), matched by name.

    A column absent from ``forces`` is skipped (listed in ``report``). Values are equal
    when integers match exactly, areas match at 1 dp, and FTE values differ by less than
    0.005. A value missing on one side only is a mismatch.

    Public sources: see :data:`etl.provenance.RAW_INPUTS` (one record per
    file, with its repository URL).

    Parameters
    ----------
    raw_dir : str or Path
        Folder holding the raw files (``shared/reference/raw``).
    forces : DataFrame
        The forces table (at least ``force`` and ``ons_code``).
    include_ods : bool, default True
        Also read the two ODS release tables (needs ``odfpy``).
    verify_checksum : bool, default True
        Check every file against its provenance record first.
    report : dict, optional
        If given, filled with the checksums and the (column, file) pairs compared.

    Returns
    -------
    DataFrame
        One row per disagreement, columns :data:`MISMATCH_COLUMNS`; empty when all agree.

    Raises
    ------
    ValueError
        If a raw file does not name every force, a code does not map, or the forces chosen
        from a release table do not add up to its "Total 43 forces" row.
    """
    import json

    raw_dir = Path(raw_dir)
    files = [CENSUS_FILE, MID2010_FILE, MYE2018_FILE, GEOJSON_FILE, OFFICER_FTE_2015_FILE]
    if include_ods:
        files += [SEP15_ODS, SEP16_ODS]
    checks = {}
    if verify_checksum:
        for name in files:
            checks[name] = check_checksum(raw_dir / name).sha256
    code_map = forces_by_code(forces)
    name_map = _name_map(forces)
    all_forces = set(code_map.values())
    problems: list[dict] = []
    compared: list[str] = []

    census = pd.read_csv(raw_dir / CENSUS_FILE, encoding="utf-8-sig")
    name_col = census.columns[0]
    derived = _by_name(census[name_col], census[CENSUS_COLUMN], name_map, all_forces, CENSUS_FILE)
    unmatched = [n for n in census[name_col] if normalise_force_name(n) not in name_map]
    if unmatched:
        raise ValueError(f"{CENSUS_FILE}: rows that are not forces: {unmatched}")
    _compare(forces, "population_census_2011_persons", derived, CENSUS_FILE, "int", problems, compared)

    mid = pd.read_csv(raw_dir / MID2010_FILE, encoding="utf-8-sig")
    derived = _by_name(mid.iloc[:, 0], mid["Mid 2010"], name_map, all_forces, MID2010_FILE)
    _compare(forces, "population_mid2010_thousands", derived, MID2010_FILE, "1dp", problems, compared)

    mye = pd.read_csv(raw_dir / MYE2018_FILE, dtype={"code": str}, keep_default_na=False, na_values=[""])
    mye = mye[mye["code"].notna()]
    mye = mye[mye["code"].str.strip().isin(code_map)]
    derived = {code_map[c.strip()]: v for c, v in zip(mye["code"], mye["MYE2018"])}
    absent = sorted(all_forces - set(derived))
    if absent:
        raise ValueError(f"{MYE2018_FILE}: no row for force(s) {absent}")
    _compare(forces, "population_mid2018_persons_rounded_100", derived, MYE2018_FILE, "int", problems, compared)

    with open(raw_dir / GEOJSON_FILE, encoding="utf-8") as fh:
        gj = json.load(fh)
    derived = {}
    for feat in gj["features"]:
        code = str(feat["properties"]["PFA16CD"]).strip()
        if code not in code_map:
            raise ValueError(f"{GEOJSON_FILE}: PFA16CD {code!r} not in the forces table")
        derived[code_map[code]] = round(float(feat["properties"]["Shape__Area"]) / 1e6, 1)
    _compare(forces, "area_km2_approx", derived, GEOJSON_FILE, "1dp", problems, compared)

    fte = pd.read_csv(raw_dir / OFFICER_FTE_2015_FILE, encoding="utf-8-sig")
    totals = fte[fte.iloc[:, 0].map(normalise_force_name) == TOTAL_ROW]
    for src_col, column in _CSV_2015_COLUMNS.items():
        total = float(totals[src_col].iloc[0]) if len(totals) else None
        derived = _by_name(
            fte.iloc[:, 0], fte[src_col], name_map, all_forces, f"{OFFICER_FTE_2015_FILE}[{src_col}]", total
        )
        _compare(forces, column, derived, OFFICER_FTE_2015_FILE, "fte", problems, compared)

    if include_ods:
        cache: dict[tuple[str, str], pd.DataFrame] = {}
        for (fname, sheet, as_at), column in _ODS_COLUMNS.items():
            key = (fname, sheet)
            if key not in cache:
                cache[key] = _read_release_table(raw_dir / fname, sheet)
            t = cache[key]
            if as_at not in t.columns:
                raise ValueError(f"{fname}[{sheet}]: no column for {as_at}")
            tot = t[t["name"].map(normalise_force_name) == TOTAL_ROW]
            total = float(tot[as_at].iloc[0]) if len(tot) else None
            derived = _by_name(t["name"], t[as_at], name_map, all_forces, f"{fname}[{sheet}] {as_at}", total)
            kind = "int" if column.startswith("special_constables") else "fte"
            _compare(forces, column, derived, f"{fname}[{sheet}]", kind, problems, compared)

    if report is not None:
        report.update({"inputs_sha256": checks, "compared": compared, "mismatches": len(problems)})
    out = pd.DataFrame(problems, columns=MISMATCH_COLUMNS)
    return out.sort_values(["column", "force", "source_file"], kind="mergesort").reset_index(drop=True)
