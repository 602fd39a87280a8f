"""Police officers FTE by force over time (``force_officers_fte``), rebuilt from raw files.

Two vintages, never mixed within one series:

* ``ho-open-data-2022-07``: the Home Office police workforce open data table (July 2022
  revision), 31 March 2007 to 31 March 2022, summed over sex and rank.
* ``ho-open-data-2026-07-rounded``: 31 March 2026, whole FTE, from the justice-pipeline
  extract (built from the July 2026 open data table).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .provenance import RAW_INPUTS, check_checksum

__all__ = [
    "VINTAGE_OPEN_DATA",
    "VINTAGE_2026",
    "SOURCE_OPEN_DATA",
    "SOURCE_2026",
    "forces_by_code",
    "build_force_officers_fte",
]

OPEN_DATA_FILE = "lesscrime_police-workforce-open-data_mar2007-2022_by-force-rank-sex.csv.gz"
EXTRACT_2026_FILE = "forces_2026_extract.csv"
VINTAGE_OPEN_DATA = "ho-open-data-2022-07"
VINTAGE_2026 = "ho-open-data-2026-07-rounded"
SOURCE_OPEN_DATA = RAW_INPUTS[OPEN_DATA_FILE].source_id
SOURCE_2026 = RAW_INPUTS[EXTRACT_2026_FILE].source_id
OFFICER_WORKER_TYPE = "police officer"
COLUMNS = ["force", "as_at", "vintage", "officers_fte", "source_id"]


def forces_by_code(forces: pd.DataFrame) -> dict[str, str]:
    """Map ONS police force area code to force name.

    Parameters
    ----------
    forces : DataFrame
        The forces table, with at least columns ``force`` and ``ons_code``.

    Returns
    -------
    dict
        ``ons_code -> force``.

    Raises
    ------
    ValueError
        If a column is missing, or codes or names are blank or duplicated.
    """
    missing = {"force", "ons_code"} - set(forces.columns)
    if missing:
        raise ValueError(f"forces table lacks column(s) {sorted(missing)}")
    f = forces[["force", "ons_code"]].astype("string")
    if f.isna().any().any():
        raise ValueError("forces table has a blank force or ons_code")
    f = f.apply(lambda s: s.str.strip())
    for col in ("force", "ons_code"):
        dup = f[col][f[col].duplicated()]
        if len(dup):
            raise ValueError(f"forces table has duplicated {col}: {sorted(dup.unique())}")
    return dict(zip(f["ons_code"], f["force"]))


def _map_codes(codes: pd.Series, code_map: dict[str, str], what: str) -> pd.Series:
    unmapped = sorted(set(codes) - set(code_map))
    if unmapped:
        raise ValueError(f"{what}: force code(s) not in the forces table: {unmapped}")
    return codes.map(code_map)


def _require_all_forces(found: set[str], code_map: dict[str, str], what: str) -> None:
    absent = sorted(set(code_map.values()) - found)
    if absent:
        raise ValueError(f"{what}: force(s) of the forces table missing: {absent}")


def build_force_officers_fte(
    open_data_path: str | Path,
    extract_2026_path: str | Path,
    forces: pd.DataFrame,
    *,
    verify_checksum: bool = True,
    report: dict | None = None,
) -> pd.DataFrame:
    """Police officers FTE at 31 March by force, 2007-2022 and 2026.

    From the Home Office police workforce open data table (long form: ``date, geo_code,
    force_name, region, sex, rank_description, worker_type, total_headcount, total_fte``),
    rows with ``worker_type == "police officer"`` are summed over sex and rank per force and
    date, rounded to 2 dp. Dates in the file are written ``YYYY-03-01`` and mean 31 March,
    so ``as_at`` is ``YYYY-03-31``. 31 March 2026 comes from column ``off2026`` (whole FTE)
    of the justice-pipeline extract. Forces are matched on the ONS code (``geo_code`` /
    ``code``) to ``forces.ons_code``. A missing value stays missing: a force-date without
    a value gets no row (none are missing in the recorded files).

    Public sources: Home Office, "Police workforce open data tables"
    (``open-data-table-police-workforce-270722.ods``), copy at
    https://github.com/mpjashby/lesscrime.info/blob/f84d81e649fa1bedcf29e0578cb60214c5f377c1/content/post/police-uplift-2022-data.csv.gz ;
    extract of https://github.com/SGilr/justice-pipeline/blob/b4e0ffcad5f22a91ee193fdbd0778e8c43114f26/data/forces.json .

    Parameters
    ----------
    open_data_path : str or Path
        The open data table (CSV, optionally gzipped).
    extract_2026_path : str or Path
        ``forces_2026_extract.csv`` (columns ``code``, ``off2026`` used).
    forces : DataFrame
        Forces table with at least ``force`` and ``ons_code``.
    verify_checksum : bool, default True
        Check both files against :data:`etl.provenance.RAW_INPUTS` first.
    report : dict, optional
        If given, filled with input checksums and row counts.

    Returns
    -------
    DataFrame
        Columns ``force, as_at, vintage, officers_fte, source_id`` (strings; ``as_at`` an
        ISO date string; ``officers_fte`` float64), sorted by ``force, as_at, vintage``.

    Raises
    ------
    ValueError
        If a force code does not map to the forces table, a force of the forces table is
        missing, a date is not in March, required columns are missing, or keys repeat.
    etl.provenance.ChecksumError
        If ``verify_checksum`` and a file differs from its record.
    """
    open_data_path, extract_2026_path = Path(open_data_path), Path(extract_2026_path)
    checks = {}
    if verify_checksum:
        for p in (open_data_path, extract_2026_path):
            checks[p.name] = check_checksum(p).sha256
    code_map = forces_by_code(forces)

    od = pd.read_csv(open_data_path, dtype={"date": str, "geo_code": str, "worker_type": str})
    summed, n_missing_od = officers_from_open_data(od, code_map, open_data_path.name)
    a = pd.DataFrame(
        {
            "force": summed["force"],
            "as_at": summed["as_at"],
            "vintage": VINTAGE_OPEN_DATA,
            "officers_fte": summed["total_fte"].astype("float64"),
            "source_id": SOURCE_OPEN_DATA,
        }
    )

    ex = pd.read_csv(extract_2026_path, dtype={"code": str})
    if {"code", "off2026"} - set(ex.columns):
        raise ValueError(f"{extract_2026_path.name}: needs columns 'code' and 'off2026'")
    ex["code"] = ex["code"].str.strip()
    if ex["code"].duplicated().any():
        raise ValueError(f"{extract_2026_path.name}: repeated codes {sorted(ex.loc[ex['code'].duplicated(), 'code'])}")
    ex["force"] = _map_codes(ex["code"], code_map, extract_2026_path.name)
    off = pd.to_numeric(ex["off2026"], errors="raise").round(0)
    n_missing_ex = int(off.isna().sum())
    keep = off.notna()
    _require_all_forces(set(ex["force"]), code_map, extract_2026_path.name)
    b = pd.DataFrame(
        {
            "force": ex.loc[keep, "force"],
            "as_at": "2026-03-31",
            "vintage": VINTAGE_2026,
            "officers_fte": off[keep].astype("float64"),
            "source_id": SOURCE_2026,
        }
    )

    out = pd.concat([a, b], ignore_index=True)
    out = out.sort_values(["force", "as_at", "vintage"], kind="mergesort").reset_index(drop=True)
    for col in ("force", "as_at", "vintage", "source_id"):
        out[col] = out[col].astype(object)
    if out.duplicated(["force", "as_at", "vintage"]).any():
        raise ValueError("officers: repeated (force, as_at, vintage)")
    if report is not None:
        report.update(
            {
                "table": "force_officers_fte",
                "inputs_sha256": checks,
                "rows": len(out),
                "rows_by_vintage": out["vintage"].value_counts().sort_index().to_dict(),
                "force_dates_without_value": {VINTAGE_OPEN_DATA: n_missing_od, VINTAGE_2026: n_missing_ex},
            }
        )
    return out[COLUMNS]


def officers_from_open_data(od: pd.DataFrame, code_map: dict[str, str], label: str) -> tuple[pd.DataFrame, int]:
    """Officers FTE per force and 31 March from the open data table's long layout.

    Parameters
    ----------
    od : DataFrame
        Columns ``date`` (``YYYY-03-01``), ``geo_code``, ``sex``, ``rank_description``,
        ``worker_type``, ``total_fte``.
    code_map : dict
        ONS code → force (:func:`forces_by_code`).
    label : str
        Name of the input, for error messages.

    Returns
    -------
    (DataFrame, int)
        ``force``, ``as_at`` (``YYYY-03-31``), ``total_fte`` per force-date; and the
        number of force-dates dropped because a value was missing.
    """
    open_data_path = Path(label)
    need = {"date", "geo_code", "sex", "rank_description", "worker_type", "total_fte"}
    if need - set(od.columns):
        raise ValueError(f"{open_data_path.name}: missing column(s) {sorted(need - set(od.columns))}")
    od["geo_code"] = od["geo_code"].str.strip()
    officers = od[od["worker_type"].str.strip() == OFFICER_WORKER_TYPE].copy()
    if officers.empty:
        raise ValueError(f"{open_data_path.name}: no rows with worker_type == {OFFICER_WORKER_TYPE!r}")
    key = ["date", "geo_code", "sex", "rank_description"]
    dup = officers.duplicated(key)
    if dup.any():
        raise ValueError(f"{open_data_path.name}: {int(dup.sum())} repeated officer rows on {key}")
    dates = pd.to_datetime(officers["date"], format="%Y-%m-%d")
    if (dates.dt.month != 3).any():
        bad = sorted(officers.loc[dates.dt.month != 3, "date"].unique())
        raise ValueError(f"{open_data_path.name}: dates not in March (expected 31 March counts): {bad}")
    officers["as_at"] = dates.dt.year.astype(str) + "-03-31"
    officers["force"] = _map_codes(officers["geo_code"], code_map, open_data_path.name)
    # A force-date with any missing FTE value is missing as a whole (never a partial sum), and gets no row.
    officers["total_fte"] = pd.to_numeric(officers["total_fte"], errors="raise")
    grouped = officers.groupby(["force", "as_at"])["total_fte"]
    summed = grouped.sum().round(2).where(~grouped.apply(lambda s: s.isna().any())).reset_index()
    n_missing_od = int(summed["total_fte"].isna().sum())
    summed = summed.dropna(subset=["total_fte"])
    _require_all_forces(set(summed["force"]), code_map, open_data_path.name)
    return summed, n_missing_od
