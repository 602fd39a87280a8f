"""Provenance of the raw input files the build reads (OWID-style records).

One :class:`RawInput` per file, keyed by file name in :data:`RAW_INPUTS`. The files are
read-only copies of public files kept in ``shared/reference/raw/`` (and, for
``forces_2026_extract.csv``, ``shared/reference/``); see that folder's README, sections
"Raw files" and "Time series".

``url`` is the public repository file the copy was taken from, constructed as
``https://github.com/{owner}/{repo}/blob/{commit}/{path}`` from the repository, path and
commit the reference README gives (``url_basis = "constructed-from-repository"``). The
SHA-256 and byte count identify the exact bytes; :func:`check_checksum` refuses a file
whose bytes differ, so a build cannot silently run on another vintage.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = [
    "RawInput",
    "RAW_INPUTS",
    "ChecksumError",
    "sha256_of",
    "check_checksum",
    "source_rows",
]

_OGL = "Open Government Licence v3.0 (underlying Home Office / ONS statistics)"


@dataclass(frozen=True)
class RawInput:
    """Provenance record of one raw input file.

    Attributes
    ----------
    file : str
        File name as held in the reference folder.
    source_id : str
        Identifier in the project's sources table.
    title : str
        What the file is.
    producer : str
        Who produced the statistics (and who holds the copy).
    published : str or None
        Publication date of the original statistics, as precise as known; None if not stated.
    url : str
        Public URL of the copy (see ``url_basis``).
    url_basis : str
        How ``url`` was obtained (``constructed-from-repository``).
    kind : str
        Source kind (``statistics-table``).
    sha256 : str
        SHA-256 of the file's bytes.
    bytes : int
        File size in bytes.
    accessed : str or None
        Date the copy was taken; None where not recorded.
    licence : str
        Licence of the data as far as known.
    notes : str
        Repository, path and commit, the original file or page, caveats.
    in_reference_sources : bool
        True when ``source_id`` is already a row of the reference ``sources.csv`` (so the
        sources table must not get a second row for it).
    """

    file: str
    source_id: str
    title: str
    producer: str
    published: str | None
    url: str
    url_basis: str
    kind: str
    sha256: str
    bytes: int
    accessed: str | None
    licence: str
    notes: str
    in_reference_sources: bool = False

    def as_source_row(self) -> dict:
        """This record as a row of the sources table (columns of ``data/datapackage.json``)."""
        return {
            "source_id": self.source_id,
            "title": self.title,
            "publisher": self.producer,
            "published": self.published,
            "url": self.url,
            "url_basis": self.url_basis,
            "kind": self.kind,
            "notes": f"{self.notes} Raw file {self.file} (SHA-256 {self.sha256}).",
        }

    def source_row(self) -> dict:
        """Alias of :meth:`as_source_row`."""
        return self.as_source_row()

    def as_dict(self) -> dict:
        """All fields as a plain dict."""
        return asdict(self)


def _gh(repo: str, commit: str, path: str) -> str:
    return f"https://github.com/{repo}/blob/{commit}/{path}"


_LESSCRIME = "mpjashby/lesscrime.info"
_RESLAB = "Resistance-Lab/resistancelab_data"
_POPM = "M-O-P-D/popm"
_JP = "SGilr/justice-pipeline"

_RECORDS = [
    RawInput(
        file="lesscrime_police-workforce-open-data_mar2007-2022_by-force-rank-sex.csv.gz",
        source_id="ho-workforce-open-data-2022-07",
        title="Police workforce open data table, England and Wales, 31 March 2007 to 31 March 2022, "
        "by force, region, rank, sex and worker type (FTE and headcount)",
        producer="Home Office (copy in mpjashby/lesscrime.info)",
        published="2022-07",
        url=_gh(_LESSCRIME, "f84d81e649fa1bedcf29e0578cb60214c5f377c1", "content/post/police-uplift-2022-data.csv.gz"),
        url_basis="constructed-from-repository",
        kind="statistics-table",
        sha256="8cac60465b5ed4727fe0ec11f5b8b24c81326bda4dba46bcaa900ba69eb9e5b3",
        bytes=177428,
        accessed=None,
        licence=_OGL,
        notes="Repository mpjashby/lesscrime.info, path content/post/police-uplift-2022-data.csv.gz, commit "
        "f84d81e649fa1bedcf29e0578cb60214c5f377c1; built from the Home Office file "
        "open-data-table-police-workforce-270722.ods, sheet 'Data' (one revised vintage, July 2022; "
        "differs from first-published figures, e.g. Metropolitan Police at 31 Mar 2015). Dates in the "
        "file are written YYYY-03-01 and mean 31 March.",
    ),
    RawInput(
        file="lesscrime_ons-mye-population-by-lad_mid2001-2020.csv.gz",
        source_id="ons-mye-lad-mid2001-2020",
        title="Mid-year population estimates by local authority (2021 geography), England and Wales, "
        "mid-2001 to mid-2020",
        producer="Office for National Statistics (copy in mpjashby/lesscrime.info)",
        published=None,
        url=_gh(
            _LESSCRIME,
            "ba57b0a0a191ab2a90582d310b73fca556e38b49",
            "content/post/crime-pressure-force-2022-pop-data.csv.gz",
        ),
        url_basis="constructed-from-repository",
        kind="statistics-table",
        sha256="2d92ba22da6b7a2076f4adfa497737e3db5230da802faa1691295719e616107a",
        bytes=46213,
        accessed=None,
        licence=_OGL,
        notes="Repository mpjashby/lesscrime.info, path content/post/crime-pressure-force-2022-pop-data.csv.gz, "
        "commit ba57b0a0a191ab2a90582d310b73fca556e38b49; from the ONS file "
        "ukpopestimatesmid2020on2021geography.xls (MYE5). Two codes carry a trailing no-break space "
        "in the file (E06000061, E06000062). Not rebased to Census 2021.",
    ),
    RawInput(
        file="resistancelab_LAD16_CSP16_PFA16_lookup.csv",
        source_id="ons-lad16-csp16-pfa16-dec2016",
        title="Local Authority District to Community Safety Partnerships to Police Force Areas "
        "(December 2016) Lookup in England and Wales",
        producer="ONS (copy in Resistance-Lab/resistancelab_data)",
        published="2016-12",
        url=_gh(
            _RESLAB,
            "625e720132cc8e912caf091b3b6ebc716fa939a8",
            "source_data/demographics/Local_Authority_District_to_Community_Safety_Partnerships_to_"
            "Police_Force_Areas__December_2016__Lookup_in_England_and_Wales.csv",
        ),
        url_basis="constructed-from-repository",
        kind="statistics-table",
        sha256="a74d95ced8fa9037e9febff6bdfca40b09da85c0f45df009d95a837c27eab8c5",
        bytes=24644,
        accessed=None,
        licence="Open Government Licence v3.0 (ONS geography); contains OS data (Crown copyright)",
        notes="Repository Resistance-Lab/resistancelab_data (HEAD 625e720132cc8e912caf091b3b6ebc716fa939a8); "
        "43 distinct PFA16CD codes. 'December 2016' is the geography vintage in the title.",
        in_reference_sources=True,
    ),
    RawInput(
        file="lesscrime_ons-crime-severity-by-pfa_ye-mar2003-2022.csv.gz",
        source_id="ons-crime-severity-pfa-2003-2022",
        title="Crime Severity Score by police force area, region and country, by offence group, "
        "years ending March 2003 to March 2022",
        producer="Office for National Statistics (copy in mpjashby/lesscrime.info)",
        published=None,
        url=_gh(
            _LESSCRIME, "ba57b0a0a191ab2a90582d310b73fca556e38b49", "content/post/crime-pressure-force-2022-data.csv.gz"
        ),
        url_basis="constructed-from-repository",
        kind="statistics-table",
        sha256="a5a8345f750b28ab4bffd976245a25d9496852b0115918282da54f36fbcf1f80",
        bytes=128654,
        accessed=None,
        licence=_OGL,
        notes="Repository mpjashby/lesscrime.info, path content/post/crime-pressure-force-2022-data.csv.gz, "
        "commit ba57b0a0a191ab2a90582d310b73fca556e38b49. A demand measure (severity-weighted crimes "
        "per 1,000 residents). The file holds 7 offence groups; City of London is ':' (not published) "
        "in every row.",
    ),
    RawInput(
        file="forces_2026_extract.csv",
        source_id="justice-pipeline-forces-2026",
        title="Per-force extract: police officers FTE at 31 March 2010 and 2026 (rounded), mid-2024 "
        "population, crime rate year ending March 2026",
        producer="SGilr/justice-pipeline (from Home Office workforce open data, July 2026, and ONS PFA tables)",
        published="2026-07",
        url=_gh(_JP, "b4e0ffcad5f22a91ee193fdbd0778e8c43114f26", "data/forces.json"),
        url_basis="constructed-from-repository",
        kind="statistics-table",
        sha256="7bf07b67e09991dc252e44af0c660169062b624183106ec90de4b3f8129a5fbd",
        bytes=1994,
        accessed=None,
        licence="Underlying Home Office / ONS statistics under the Open Government Licence v3.0; "
        "repository licence not recorded",
        notes="Reference-derived CSV extract (shared/reference/forces_2026_extract.csv) of repository "
        "SGilr/justice-pipeline, path data/forces.json, commit b4e0ffcad5f22a91ee193fdbd0778e8c43114f26. "
        "Officer figures are rounded to whole FTE; 'published' is the vintage of the workforce table "
        "it was built from (July 2026). All 43 off2010 values equal the open data table's 31 March "
        "2010 figures.",
    ),
    RawInput(
        file="popm_force_boundaries_ugc.geojson",
        source_id="popm-boundaries-ugc2016",
        title="Police Force Areas (December 2016) Ultra Generalised Clipped Boundaries in England and Wales",
        producer="ONS (copy in M-O-P-D/popm)",
        published=None,
        url=_gh(_POPM, "b120ec9d8aca769887f347e450d366841c7af672", "data/force_boundaries_ugc.geojson"),
        url_basis="constructed-from-repository",
        kind="statistics-table",
        sha256="fc28965c934ab8ee95425cbaa8e15d6de5c35b1d8601c7efab95cfaecb929014",
        bytes=364282,
        accessed=None,
        licence="Open Government Licence v3.0; contains OS data (Crown copyright and database right 2016). "
        "Repository licence MIT; no data-licence statement in the repository",
        notes="Repository M-O-P-D/popm, path data/force_boundaries_ugc.geojson (added in "
        "d430d0d56db2dd50845119702264afcd44eafc2b; unchanged at HEAD "
        "b120ec9d8aca769887f347e450d366841c7af672; blob 71d067e5e7d71f124223b68a213d7afad2758c2d). "
        "GeoJSON, CRS84, 43 features; Shape__Area (m2) used for area.",
        in_reference_sources=True,
    ),
    RawInput(
        file="resistancelab_force-demographics_census2011.csv",
        source_id="resistancelab-census2011-pfa",
        title="2011 Census ethnic group by police force area (usual residents aggregated from local authorities)",
        producer="Resistance Lab (from ONS Census 2011 and the ONS LAD-PFA lookup)",
        published=None,
        url=_gh(
            _RESLAB,
            "c31baef3bb331aa86cbbbed82fbd8364be24709d",
            "analysis/0002-demographics-by-police-force-area/force-demographics.csv",
        ),
        url_basis="constructed-from-repository",
        kind="statistics-table",
        sha256="44c03237ad75e80bf56817db31dd0c1da9f8db38f27f8cbff27667b5e2ab399f",
        bytes=7620,
        accessed=None,
        licence="Underlying ONS Census 2011 data under the Open Government Licence v3.0",
        notes="Repository Resistance-Lab/resistancelab_data, commit c31baef3bb331aa86cbbbed82fbd8364be24709d. "
        "The 'Ethnic Group: All categories' column is the usual-resident population. Force names "
        "use '&' and 'Metropolitan'.",
        in_reference_sources=True,
    ),
    RawInput(
        file="popm_population_data_MYE2018.csv",
        source_id="popm-population-mye2018",
        title="Population by police force area, ONS mid-2018 estimates (MYE2018), rounded to 100",
        producer="ONS (copy in M-O-P-D/popm)",
        published=None,
        url=_gh(_POPM, "e805d126f56d37bcc67de3c145c5e723f84a1472", "data/population_data.csv"),
        url_basis="constructed-from-repository",
        kind="statistics-table",
        sha256="a0f5611a8b39b4fe3f46310c21041cc2533449e7e9500f426050ec3236a74ca9",
        bytes=2106,
        accessed=None,
        licence=_OGL,
        notes="Repository M-O-P-D/popm, path data/population_data.csv, commit "
        "e805d126f56d37bcc67de3c145c5e723f84a1472 (unchanged at HEAD "
        "b120ec9d8aca769887f347e450d366841c7af672). Also holds country, region and a 'Beds Cambs Herts' "
        "row, and an SNHP2017 column (not used).",
        in_reference_sources=True,
    ),
    RawInput(
        file="resistancelab_officer-fte_2015.csv",
        source_id="resistancelab-officer-fte-2015",
        title="Officer FTE by force and region, Sep 2014 / Mar 2015 / Sep 2015 (cleaned CSV)",
        producer="Resistance Lab (from Home Office, Police workforce, England and Wales, 30 September 2015)",
        published=None,
        url=_gh(
            _RESLAB, "3c526f5e9e42ceb125c67eabec8bcb76120badf2", "cleaned_data/police-population/officer-fte/2015.csv"
        ),
        url_basis="constructed-from-repository",
        kind="statistics-table",
        sha256="bffda69a95bc1e3f59097f72bcc903fed25c2f38994510288682bd86f2aa0405",
        bytes=2610,
        accessed=None,
        licence="Underlying Home Office statistics under the Open Government Licence v3.0",
        notes="Repository Resistance-Lab/resistancelab_data, commit 3c526f5e9e42ceb125c67eabec8bcb76120badf2 "
        "(repo HEAD 625e720132cc8e912caf091b3b6ebc716fa939a8). Figures as first printed in the Sep-2015 "
        "release (official page: https://www.gov.uk/government/publications/police-workforce-england-"
        "and-wales-30-september-2015/police-workforce-england-and-wales-30-september-2015). Includes "
        "region rows ('West Midlands' is both a region and a force) and total rows.",
        in_reference_sources=True,
    ),
    RawInput(
        file="homeoffice_police-workforce-tabs-30sep15.ods",
        source_id="ho-workforce-sep15",
        title="Police workforce, England and Wales, 30 September 2015: data tables (police-workforce-tabs-30sep15.ods)",
        producer="Home Office (copy in Resistance-Lab/resistancelab_data)",
        published="2016-01-28",
        url=_gh(
            _RESLAB,
            "3c526f5e9e42ceb125c67eabec8bcb76120badf2",
            "source_data/police-population/police-workforce-tabs-30sep15.ods",
        ),
        url_basis="constructed-from-repository",
        kind="statistics-table",
        sha256="ea5f354aac0c03df2007acc94033e102938a478709e6d436cce843a6e4d70c13",
        bytes=49359,
        accessed=None,
        licence=_OGL,
        notes="Repository Resistance-Lab/resistancelab_data, commit 3c526f5e9e42ceb125c67eabec8bcb76120badf2. "
        "Official page: https://www.gov.uk/government/publications/police-workforce-england-and-wales-"
        "30-september-2015/police-workforce-england-and-wales-30-september-2015 . Tables 1-5 by force "
        "(officers, staff, PCSOs, designated officers FTE; special constables headcount) at 30 Sep 2014, "
        "31 Mar 2015, 30 Sep 2015; 'published' is the 'Last updated' date on the file's index sheet.",
        in_reference_sources=True,
    ),
    RawInput(
        file="homeoffice_police-workforce-tables-sep16.ods",
        source_id="ho-workforce-sep16",
        title="Police workforce, England and Wales, 30 September 2016: data tables (police-workforce-tables-sep16.ods)",
        producer="Home Office (copy in Resistance-Lab/resistancelab_data)",
        published=None,
        url=_gh(
            _RESLAB,
            "13c959f0aff7e090f360e0d65831863ef66cfb59",
            "source_data/police-population/police-workforce-tables-sep16.ods",
        ),
        url_basis="constructed-from-repository",
        kind="statistics-table",
        sha256="f06506803c21833055691654e6272178dfd37473e329475d64e068dc47e3052d",
        bytes=48784,
        accessed=None,
        licence=_OGL,
        notes="Repository Resistance-Lab/resistancelab_data, commit 13c959f0aff7e090f360e0d65831863ef66cfb59. "
        "Original URL: https://assets.publishing.service.gov.uk/government/uploads/system/uploads/"
        "attachment_data/file/585709/police-workforce-tables-sep16.ods . Tables 1-5 by force at 30 Sep "
        "2015, 31 Mar 2016, 30 Sep 2016; revises some earlier values.",
        in_reference_sources=True,
    ),
    RawInput(
        file="popm_population-police-force_mid2001-2010_thousands.csv",
        source_id="popm-population-mid2001-2010",
        title="Population by police force, mid-2001 to mid-2010 (thousands)",
        producer="M-O-P-D/popm (provenance not stated in the repository)",
        published=None,
        url=_gh(_POPM, "54cc1e64402daa343fcebdb1deed2ff54834e584", "data/population-police-force.csv"),
        url_basis="constructed-from-repository",
        kind="statistics-table",
        sha256="6754e51ca1463dda14e5eb2279b1dd369199e021b667a212a2404fc11f31cdd4",
        bytes=3387,
        accessed=None,
        licence="Not stated (repository licence MIT)",
        notes="Repository M-O-P-D/popm, path data/population-police-force.csv at commit "
        "54cc1e64402daa343fcebdb1deed2ff54834e584 ('add (old) population estimates #7'; file later "
        "deleted). Provenance of the figures is not stated in the repository.",
        in_reference_sources=True,
    ),
]

#: Provenance records keyed by file name.
RAW_INPUTS: dict[str, RawInput] = {r.file: r for r in _RECORDS}


class ChecksumError(ValueError):
    """Raised when a raw file's bytes differ from its provenance record."""


def sha256_of(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as lower-case hex.

    Parameters
    ----------
    path : str or Path
        File to hash.

    Returns
    -------
    str
        64 hex digits.
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_checksum(path: str | Path) -> RawInput:
    """Check that a raw file is byte-identical to the one recorded in :data:`RAW_INPUTS`.

    Parameters
    ----------
    path : str or Path
        The raw file; its name selects the record.

    Returns
    -------
    RawInput
        The matching provenance record.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    KeyError
        If no record exists for the file name.
    ChecksumError
        If the size or SHA-256 differ from the record.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"raw input not found: {path}")
    try:
        rec = RAW_INPUTS[path.name]
    except KeyError:
        raise KeyError(f"no provenance record for {path.name!r}; known files: {sorted(RAW_INPUTS)}") from None
    size = path.stat().st_size
    digest = sha256_of(path)
    if size != rec.bytes or digest != rec.sha256:
        raise ChecksumError(
            f"{path} is not the recorded file for source {rec.source_id!r}: expected {rec.bytes} bytes with "
            f"SHA-256 {rec.sha256}, found {size} bytes with SHA-256 {digest}. A different vintage or a "
            f"modified copy would change the derived tables; add a new provenance record instead."
        )
    return rec


def source_rows(include_reference: bool = False) -> list[dict]:
    """Rows for the sources table, one per distinct ``source_id`` of :data:`RAW_INPUTS`.

    Parameters
    ----------
    include_reference : bool, default False
        Also return records whose source is already in the reference ``sources.csv``.

    Returns
    -------
    list of dict
        Dicts with the sources-table columns, sorted by ``source_id``.
    """
    seen: dict[str, dict] = {}
    for rec in RAW_INPUTS.values():
        if rec.in_reference_sources and not include_reference:
            continue
        seen.setdefault(rec.source_id, rec.as_source_row())
    return [seen[k] for k in sorted(seen)]
