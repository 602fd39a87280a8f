"""Crime Severity Score by police force area (``force_crime_severity``), rebuilt from the raw file."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .officers import forces_by_code
from .provenance import RAW_INPUTS, check_checksum

__all__ = ["SOURCE_ID", "NOT_PUBLISHED_MARKERS", "build_force_crime_severity"]

CRIME_SEVERITY_FILE = "lesscrime_ons-crime-severity-by-pfa_ye-mar2003-2022.csv.gz"
SOURCE_ID = RAW_INPUTS[CRIME_SEVERITY_FILE].source_id
COLUMNS = ["force", "year_ending", "offence_group", "severity_score", "source_id"]
PFA_CODE_PREFIXES = ("E23", "W15")

#: Cell texts ONS uses for a value that is not published (":" = not available). Any other
#: non-numeric text is an error, not a silent NA.
NOT_PUBLISHED_MARKERS = (":", "", "..", "x", "[x]", "[c]", "[z]")

_LABEL_END = re.compile(r"Mar '(\d{2})")


def _to_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def build_force_crime_severity(
    path: str | Path,
    forces: pd.DataFrame,
    *,
    verify_checksum: bool = True,
    report: dict | None = None,
) -> pd.DataFrame:
    """ONS Crime Severity Score by police force area and offence group.

    Keeps the police force area rows (codes E23..., W15...; region and country rows are
    excluded and counted), maps each code to a force, and keeps a row only where a score
    is published: rows whose score is an ONS "not published" marker (``:``) are dropped
    and counted in ``report`` (schema: ``severity_score`` is required), never set to 0.
    ``year_ending`` is checked against the period label (``Apr 'YY to Mar 'YY``).

    Public source: ONS, Crime Severity Score by police force area, years ending March
    2003-2022, copy at
    https://github.com/mpjashby/lesscrime.info/blob/ba57b0a0a191ab2a90582d310b73fca556e38b49/content/post/crime-pressure-force-2022-data.csv.gz .

    Parameters
    ----------
    path : str or Path
        Long table ``offence_group, code, name, year, severity_score, year_ending``.
    forces : DataFrame
        Forces table with at least ``force`` and ``ons_code``.
    verify_checksum : bool, default True
        Check the file against its provenance record first.
    report : dict, optional
        If given, filled with the checksum, row counts and the rows dropped as not
        published (total and by force).

    Returns
    -------
    DataFrame
        Columns ``force, year_ending, offence_group, severity_score, source_id``
        (``year_ending`` an ISO date string, ``severity_score`` float64), sorted by
        ``force, year_ending, offence_group``.

    Raises
    ------
    ValueError
        If a PFA code does not map to the forces table, a force is absent from the file,
        a (code, year_ending, offence_group) repeats, a score is neither a number nor a
        not-published marker, a score is negative, or ``year_ending`` disagrees with the
        period label.
    """
    path = Path(path)
    checks = {}
    if verify_checksum:
        checks[path.name] = check_checksum(path).sha256
    code_map = forces_by_code(forces)

    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    need = {"offence_group", "code", "severity_score", "year_ending"}
    if need - set(raw.columns):
        raise ValueError(f"{path.name}: missing column(s) {sorted(need - set(raw.columns))}")
    raw["code"] = raw["code"].str.strip()
    is_pfa = raw["code"].str[:3].isin(PFA_CODE_PREFIXES)
    excluded = raw.loc[~is_pfa, "code"].str[:3].value_counts().sort_index().to_dict()
    d = raw[is_pfa].copy()

    unmapped = sorted(set(d["code"]) - set(code_map))
    if unmapped:
        raise ValueError(f"{path.name}: force code(s) not in the forces table: {unmapped}")
    d["force"] = d["code"].map(code_map)
    absent = sorted(set(code_map.values()) - set(d["force"]))
    if absent:
        raise ValueError(f"{path.name}: force(s) of the forces table missing: {absent}")

    d["offence_group"] = d["offence_group"].str.strip()
    year_end = pd.to_datetime(d["year_ending"].str.strip(), format="%Y-%m-%d")
    d["year_ending"] = year_end.dt.strftime("%Y-%m-%d")
    if "year" in d.columns:
        label_year = d["year"].str.extract(_LABEL_END, expand=False)
        ok = label_year.isna() | (label_year == year_end.dt.strftime("%y"))
        if not ok.all():
            raise ValueError(f"{path.name}: year_ending disagrees with the period label in {int((~ok).sum())} rows")

    key = ["force", "year_ending", "offence_group"]
    dup = d.duplicated(key, keep=False)
    n_dup = int(d.duplicated(key).sum())
    if n_dup:
        raise ValueError(f"{path.name}: {n_dup} repeated {key} rows, e.g. {d.loc[dup, key].head(3).values.tolist()}")

    text = d["severity_score"].str.strip()
    # Python's float() rounds correctly; pd.to_numeric's fast parser can differ in the last
    # digit between pandas versions, which would make data/ depend on the pandas installed.
    value = pd.Series([_to_float(t) for t in text], index=text.index, dtype="float64")
    not_published = value.isna() & text.isin(NOT_PUBLISHED_MARKERS)
    bad = value.isna() & ~not_published
    if bad.any():
        raise ValueError(f"{path.name}: unreadable severity_score values {sorted(text[bad].unique())[:10]}")
    if (value < 0).any():
        raise ValueError(f"{path.name}: negative severity_score")
    dropped = d.loc[not_published]

    keep = ~not_published
    out = (
        pd.DataFrame(
            {
                "force": d.loc[keep, "force"].astype(object),
                "year_ending": d.loc[keep, "year_ending"].astype(object),
                "offence_group": d.loc[keep, "offence_group"].astype(object),
                "severity_score": value[keep].astype("float64"),
                "source_id": SOURCE_ID,
            }
        )
        .sort_values(key, kind="mergesort")
        .reset_index(drop=True)
    )
    if report is not None:
        report.update(
            {
                "table": "force_crime_severity",
                "inputs_sha256": checks,
                "rows_in_file": int(len(raw)),
                "rows_pfa": int(len(d)),
                "rows_non_pfa_excluded_by_code_prefix": excluded,
                "rows": int(len(out)),
                "rows_dropped_not_published": int(len(dropped)),
                "rows_dropped_by_force": dropped["force"].value_counts().sort_index().to_dict(),
                "not_published_markers_seen": sorted(dropped["severity_score"].str.strip().unique()),
                "duplicates": n_dup,
                "offence_groups": sorted(d["offence_group"].unique()),
                "years_ending": [d["year_ending"].min(), d["year_ending"].max()],
            }
        )
    return out[COLUMNS]
