"""Extend the officer and population series from a newer published release.

``rocu-compare build-data --workforce FILE --population FILE`` reads a newer Home Office
police workforce open data table or ONS mid-year estimate (by local authority) in its
published layout and adds it to ``force_officers_fte`` / ``force_population``:

* officers: the whole release becomes a **new named vintage** (vintages are never mixed
  within one series; an existing vintage name is refused);
* population: the years the table does not hold yet are added (the table has no vintage
  column; its rows carry the release's own ``source_id``, and the vintage name is in
  the provenance record).

Each release gets a row in the sources table (the publisher's page for the statistic as
URL, the file's name and SHA-256 in the notes) and a provenance record with its
checksum. A file in an unknown layout is refused with an error naming the expected
columns.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from .officers import COLUMNS as OFFICER_COLUMNS
from .officers import forces_by_code, officers_from_open_data
from .population import COLUMNS as POPULATION_COLUMNS
from .population import force_population_from_lad
from .provenance import sha256_of

__all__ = [
    "HO_WORKFORCE_PAGE",
    "ONS_MYE_PAGE",
    "Refresh",
    "read_workforce_release",
    "read_population_release",
    "extend_officers",
    "extend_population",
]

#: Publisher pages of the two statistics (the URL given to a refreshed release's source row).
HO_WORKFORCE_PAGE = "https://www.gov.uk/government/statistical-data-sets/police-workforce-open-data-tables"
ONS_MYE_PAGE = (
    "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates/"
    "datasets/populationestimatesforukenglandandwalesscotlandandnorthernireland"
)

WORKFORCE_EXPECTED = (
    "the Home Office police workforce open data table: one row per force, date, sex, rank and worker "
    "type, with columns date (or 'As at 31 March'), geo_code, sex, rank_description, worker_type "
    "and total_fte (CSV, optionally gzipped, .xlsx or .ods)"
)
POPULATION_EXPECTED = (
    "ONS mid-year estimates by local authority: either long columns code, name, year, population, "
    "or the published wide layout with columns Code, Name and one column per year ('Mid-2021', "
    "'Estimated Population mid-2021' or '2021') (CSV, optionally gzipped, .xlsx or .ods)"
)


@dataclass(frozen=True)
class Refresh:
    """Provenance record of one refreshed release."""

    table: str
    file: str
    sha256: str
    bytes: int
    layout: str
    vintage: str
    source_id: str
    url: str
    rows_added: int
    periods_added: list

    def as_dict(self) -> dict:
        return asdict(self)

    def source_row(self, title: str, publisher: str) -> dict:
        """This release as a row of the sources table."""
        return {
            "source_id": self.source_id,
            "title": title,
            "publisher": publisher,
            "published": None,
            "url": self.url,
            "url_basis": "as-cited",
            "kind": "statistics-table",
            "notes": (
                f"Newer release added by rocu-compare build-data as vintage {self.vintage}: file {self.file} "
                f"(SHA-256 {self.sha256}, {self.bytes} bytes), layout {self.layout}. The URL is the "
                "publisher's page for this statistic; the file itself was supplied to the build."
            ),
        }


def _norm(c) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(c).strip().lower()).strip("_")


def _read_table(path: Path, must: set[str], expected: str) -> pd.DataFrame:
    """The first sheet (or CSV) with the ``must`` columns (normalised), scanning the top rows for the header."""
    suffixes = "".join(path.suffixes[-2:]).lower()
    if suffixes.endswith((".csv", ".csv.gz")):
        raw = {"csv": pd.read_csv(path, dtype=str, header=None, keep_default_na=False)}
    elif path.suffix.lower() in (".xlsx", ".ods"):
        raw = pd.read_excel(
            path,
            sheet_name=None,
            dtype=str,
            header=None,
            keep_default_na=False,
            engine="odf" if path.suffix.lower() == ".ods" else None,
        )
    else:
        raise ValueError(f"{path.name}: unknown file type; expected {expected}")
    for sheet in raw.values():
        for i in range(min(len(sheet), 15)):
            names = [_norm(v) for v in sheet.iloc[i]]
            if must <= set(names) or (must == {"code", "name"} and {"code", "name"} <= set(names)):
                body = sheet.iloc[i + 1 :].reset_index(drop=True)
                body.columns = names
                return body
    raise ValueError(
        f"{path.name}: unknown layout (no header row with columns {sorted(must)} in the first 15 rows); "
        f"expected {expected}"
    )


def read_workforce_release(path) -> pd.DataFrame:
    """The open data table's rows in the long layout :func:`officers_from_open_data` reads.

    Raises
    ------
    ValueError
        If the file is not in the published layout (the message says what was expected).
    """
    path = Path(path)
    must = {"geo_code", "sex", "rank_description", "worker_type", "total_fte"}
    t = _read_table(path, must, WORKFORCE_EXPECTED)
    if "date" not in t:
        as_at = [c for c in t.columns if c.startswith("as_at")]
        if not as_at:
            raise ValueError(
                f"{path.name}: unknown layout (no date or 'As at 31 March' column); expected {WORKFORCE_EXPECTED}"
            )
        v = t[as_at[0]].astype(str).str.strip()
        year = v.str.extract(r"(\d{4})")[0]
        t["date"] = year + "-03-01"
    return t


def read_population_release(path) -> pd.DataFrame:
    """The estimates as a long ``code, name, year, population`` frame (wide layouts are melted).

    Raises
    ------
    ValueError
        If the file is not in a published layout (the message says what was expected).
    """
    path = Path(path)
    t = _read_table(path, {"code", "name"}, POPULATION_EXPECTED)
    if {"year", "population"} <= set(t.columns):
        long = t[["code", "name", "year", "population"]].copy()
        layout = "long"
    else:
        years = {
            c: int(m.group(1))
            for c in t.columns
            if (m := re.fullmatch(r"(?:estimated_population_)?(?:mid_)?(\d{4})", c))
        }
        if not years:
            raise ValueError(
                f"{path.name}: unknown layout (no year or population columns); expected {POPULATION_EXPECTED}"
            )
        long = t.melt(id_vars=["code", "name"], value_vars=list(years), var_name="col", value_name="population")
        long["year"] = long["col"].map(years)
        long = long.drop(columns="col")
        layout = "wide"
    long = long[long["code"].astype(str).str.strip() != ""]
    long["year"] = pd.to_numeric(long["year"], errors="raise").astype("int64")
    long["population"] = pd.to_numeric(long["population"].astype(str).str.replace(",", ""), errors="coerce")
    long.attrs["layout"] = layout
    return long.reset_index(drop=True)


def extend_officers(
    table: pd.DataFrame, path, forces: pd.DataFrame, *, vintage: str | None = None, url: str = HO_WORKFORCE_PAGE
) -> tuple[pd.DataFrame, Refresh]:
    """``force_officers_fte`` plus a newer open data release as a new vintage.

    Parameters
    ----------
    table : DataFrame
        The current ``force_officers_fte`` rows (columns ``force, as_at, vintage, officers_fte, source_id``).
    path : path-like
        The newer release.
    forces : DataFrame
        Forces table (``force``, ``ons_code``).
    vintage : str, optional
        Name of the new vintage; default ``ho-open-data-to-<last year>-<first 8 hex of the SHA-256>``.
    url : str
        The publisher's page, for the new source row.

    Returns
    -------
    (DataFrame, Refresh)

    Raises
    ------
    ValueError
        Unknown layout, unknown force code, a force missing, or a vintage name already used.
    """
    path = Path(path)
    digest = sha256_of(path)
    od = read_workforce_release(path)
    summed, _ = officers_from_open_data(od, forces_by_code(forces), path.name)
    last = summed["as_at"].max()[:4]
    vintage = vintage or f"ho-open-data-to-{last}-{digest[:8]}"
    if vintage in set(table["vintage"].astype(str)):
        raise ValueError(f"vintage {vintage!r} is already in force_officers_fte; name the new release differently")
    source_id = f"ho-workforce-open-data-{digest[:12]}"
    new = pd.DataFrame(
        {
            "force": summed["force"].astype(object),
            "as_at": summed["as_at"].astype(object),
            "vintage": vintage,
            "officers_fte": summed["total_fte"].astype("float64"),
            "source_id": source_id,
        }
    )
    out = pd.concat([table[OFFICER_COLUMNS], new[OFFICER_COLUMNS]], ignore_index=True)
    out = out.sort_values(["force", "as_at", "vintage"], kind="mergesort").reset_index(drop=True)
    rec = Refresh(
        "force_officers_fte",
        path.name,
        digest,
        path.stat().st_size,
        "open-data-long",
        vintage,
        source_id,
        url,
        len(new),
        sorted(new["as_at"].unique().tolist()),
    )
    return out, rec


def extend_population(
    table: pd.DataFrame, path, lookup_path, forces: pd.DataFrame, *, vintage: str | None = None, url: str = ONS_MYE_PAGE
) -> tuple[pd.DataFrame, Refresh]:
    """``force_population`` plus the years of a newer ONS release that it does not hold yet.

    Years already in the table keep their values (a revision is not mixed into the series);
    the years added carry the release's own source id.

    Returns
    -------
    (DataFrame, Refresh)

    Raises
    ------
    ValueError
        Unknown layout, districts not in the lookup, a force or year missing.
    """
    path = Path(path)
    digest = sha256_of(path)
    long = read_population_release(path)
    source_id = f"ons-mye-lad-{digest[:12]}"
    built = force_population_from_lad(long, lookup_path, forces, label=path.name, source_id=source_id)
    have = set(table["year"].astype(int))
    new = built[~built["year"].isin(have)]
    vintage = vintage or f"ons-mye-to-{int(built['year'].max())}-{digest[:8]}"
    out = pd.concat([table[POPULATION_COLUMNS], new[POPULATION_COLUMNS]], ignore_index=True)
    out = out.sort_values(["force", "year"], kind="mergesort").reset_index(drop=True)
    rec = Refresh(
        "force_population",
        path.name,
        digest,
        path.stat().st_size,
        long.attrs.get("layout", "long"),
        vintage,
        source_id,
        url,
        len(new),
        sorted(int(y) for y in new["year"].unique()),
    )
    return out, rec
