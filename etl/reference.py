"""Build the bundled tables in ``data/`` from the sourced reference tables.

Each function takes the reference folder (``../shared/reference``) and returns one table
in the column order of ``data/datapackage.json``. Nothing here invents a value: rows are
copied, renamed to the schema, given row identifiers, or set aside with a logged reason
(see :data:`SET_ASIDE` and ``data/DATA_LOG.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

# The South West PCC's December 2015 response ships with the data (data/documents/).
SWPCC_DOCUMENT = "000_85a5cf008e6fc99c.txt"
SWPCC_SOURCE_ID = "swpcc-response-2015-12"
SWPCC_SNIPPET = (
    "I note the areas highlighted for improvement and further development and in particular three "
    "capabilities that are not currently delivered by the South West ROCU."
)

# Codings of the free-text governance columns of rocus.csv. Each coding restates what the
# quoted text says; a blank means the text gives no instrument or arrangement.
COLLABORATION_INSTRUMENT = {
    "nersou": "regional collaboration document",  # "Regional collaboration document signed by ..."
    "nwrocu": "s22A agreement",  # "... with s22A collaboration agreements"
    "emsou": "s23 agreement",  # "Section 23 collaboration agreements ... (20 Jan 2012)"
    "ersou": "s22A agreement",  # "Police Act 1996 s22A collaboration agreement ..."
    "london": "no formal ROCU",  # "No ROCU as such: a separate collaborative arrangement ..."
    "serocu": "s22A agreement",  # "Police Act s22A agreement for South East regional collaborative units"
    "tarian": "MOU and s22A-23I collaboration",  # "Police Act ss22A-23I collaboration; all-Wales MOU ..."
}
HOST_MODEL = {
    "yhrocu": "lead force",  # "... all regional collaboration would adopt a 'lead force' model"
    "ersou": "lead force",  # "Hertfordshire Constabulary ...; Bedfordshire Police thereafter" (lead force)
    "serocu": "host force",  # "Thames Valley Police (host force)"
    "swrocu": "lead force",  # "Avon and Somerset (lead force at Zephyr's launch)"
}

#: Rows of the reference tables not carried into data/, with the reason (written to the data log).
SET_ASIDE: list[dict[str, str]] = []

_REPO_NOTE = re.compile(
    r"Repository (?P<repo>[\w.-]+/[\w.-]+), path (?P<path>\S+?)[,;]? .*?(?:commit|HEAD) (?P<commit>[0-9a-f]{40})"
)


def _read(reference: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(reference / name, dtype=str, keep_default_na=False, na_values=[""])


def _set_aside(table: str, row: str, reason: str) -> None:
    entry = {"table": table, "row": row, "reason": reason}
    if entry not in SET_ASIDE:
        SET_ASIDE.append(entry)


def build_sources(reference: Path, extra: list[dict] | None = None) -> pd.DataFrame:
    """Sources table: the reference sources plus the raw-file and document sources.

    A blank URL of a file held in a public repository is constructed from the repository,
    path and commit given in the source's notes (``url_basis = constructed-from-repository``).
    """
    src = _read(reference, "sources.csv")
    bases = []
    for i, row in src.iterrows():
        if pd.notna(row["url"]):
            bases.append("as-cited")
            continue
        m = _REPO_NOTE.search(row["notes"] or "")
        if m:
            src.at[i, "url"] = f"https://github.com/{m['repo']}/blob/{m['commit']}/{m['path']}"
            bases.append("constructed-from-repository")
        else:
            bases.append("none-available")
    src["url_basis"] = bases
    rec = pd.read_csv(reference / "recommendation_status.csv", dtype=str, keep_default_na=False, na_values=[""])
    rows = [src]
    known = set(src["source_id"])
    for url, force in rec[["url", "force"]].drop_duplicates().itertuples(index=False):
        sid = _tracker_source_id(url)
        if sid in known:
            continue
        known.add(sid)
        rows.append(
            pd.DataFrame(
                [
                    {
                        "source_id": sid,
                        "title": f"HMICFRS recommendation tracker: {force}, recommendation on organised crime group mapping",
                        "publisher": "HMICFRS",
                        "published": pd.NA,
                        "url": url,
                        "url_basis": "as-cited",
                        "kind": "inspection-news",
                        "notes": "Force page of the HMICFRS recommendation tracker (cited as the url of recommendation_status.csv).",
                    }
                ]
            )
        )
    rows.append(
        pd.DataFrame(
            [
                {
                    "source_id": SWPCC_SOURCE_ID,
                    "title": "Regional Organised Crime Units December 2015: HMIC summary with a South West Police and Crime Commissioner's response",
                    "publisher": "Office of a South West Police and Crime Commissioner (commissioner not named in the text)",
                    "published": "2015-12",
                    "url": pd.NA,
                    "url_basis": "shipped-document",
                    "kind": "pcc-response",
                    "document": f"documents/{SWPCC_DOCUMENT}",
                    "notes": f"Public URL not recorded in the reference material; the text ships as data/documents/{SWPCC_DOCUMENT}.",
                }
            ]
        )
    )
    for rec_ in extra or []:
        rows.append(pd.DataFrame([rec_]))
    out = pd.concat(rows, ignore_index=True)
    cols = [
        "source_id",
        "title",
        "publisher",
        "published",
        "url",
        "url_basis",
        "kind",
        "classification",
        "document",
        "notes",
    ]
    return out.reindex(columns=cols)  # classification stays blank: the bundled data is public only


def _tracker_source_id(url: str) -> str:
    m = re.search(r"/recommendation/([a-z-]+)/(\d+)/?$", url)
    if not m:
        raise ValueError(f"unexpected tracker URL: {url}")
    return f"hmicfrs-rec-{m.group(1)}-{m.group(2)}"


def build_rocus(reference: Path) -> pd.DataFrame:
    """ROCUs table with coded governance columns (see :data:`COLLABORATION_INSTRUMENT`)."""
    r = _read(reference, "rocus.csv")
    r["collaboration_instrument"] = r["rocu_id"].map(COLLABORATION_INSTRUMENT)
    r["host_model"] = r["rocu_id"].map(HOST_MODEL)
    return r[
        [
            "rocu_id",
            "name",
            "brand",
            "police_region",
            "established",
            "established_alt",
            "lead_or_host_force",
            "governance",
            "collaboration_instrument",
            "host_model",
            "notes",
            "source_ids",
        ]
    ]


FORCE_RENAME = {
    "population_census_2011": "population_census_2011_persons",
    "population_thousands_mid_2010": "population_mid2010_thousands",
    "population_mid_2018_mye_rounded_100": "population_mid2018_persons_rounded_100",
    "area_km2_approx_ugc_dec2016": "area_km2_approx",
}


def build_forces(reference: Path) -> pd.DataFrame:
    """Forces table: published per-force values; derived columns are left to the library.

    ``workforce_fte_*_derived`` (a sum) and ``rocu_id_2015`` (a lookup of the membership
    table) are not stored: :class:`rocu_compare.Dataset` computes them.
    """
    f = _read(reference, "forces.csv").rename(columns=FORCE_RENAME)
    f = f.drop(columns=["rocu_id_2015", "workforce_fte_2015_03_31_derived", "workforce_fte_2016_03_31_derived"])
    return f


def build_membership(reference: Path) -> pd.DataFrame:
    """Membership spells, as published."""
    return _read(reference, "force_membership.csv")


def build_facts(reference: Path, sources: pd.DataFrame) -> pd.DataFrame:
    """Facts in long form, with the South West PCC response fact added.

    Inspection grades are carried by the ``inspections`` table only; a fact whose only
    source has no public URL is set aside.
    """
    f = _read(reference, "facts.csv")
    no_url = set(sources.loc[sources["url"].isna() & (sources["url_basis"] != "shipped-document"), "source_id"])
    keep = []
    for i, row in f.iterrows():
        label = f"{row['subject']} / {row['measure']} / {row['period'] if pd.notna(row['period']) else ''}"
        if row["measure"] == "inspection_grade":
            _set_aside("facts", label, "inspection grade: carried by the inspections table, not duplicated in facts")
            continue
        if row["source_id"] in no_url:
            _set_aside("facts", label, f"only source ({row['source_id']}) has no public URL")
            continue
        keep.append(i)
    f = f.loc[keep].reset_index(drop=True)
    f = pd.concat(
        [
            f,
            pd.DataFrame(
                [
                    {
                        "subject": "swrocu",
                        "measure": "hmic_capabilities_not_delivered",
                        "value": "3",
                        "qualifier": pd.NA,
                        "unit": "capabilities",
                        "period": "2015-12",
                        "source_id": SWPCC_SOURCE_ID,
                        "snippet": SWPCC_SNIPPET,
                        "notes": "Of the 13 specialist capabilities HMIC describes (national specialist_capabilities, 2015); which three is not stated. "
                        "The library derives 10 of 13 delivered at the end of 2015.",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    f.insert(0, "fact_id", range(1, len(f) + 1))
    f["is_estimate"] = "false"
    f["estimate_method"] = pd.NA
    _flag_facts(f)
    return f[
        [
            "fact_id",
            "subject",
            "measure",
            "value",
            "qualifier",
            "unit",
            "period",
            "source_id",
            "snippet",
            "is_estimate",
            "estimate_method",
            "excludes_rocu_ids",
            "is_context_only",
            "notes",
        ]
    ]


#: Facts whose source says the figure leaves out some ROCUs: (subject, measure, period) -> rocu_ids.
#: Typed here once, so no runtime code reads it out of the notes.
FACT_EXCLUDES = {
    ("national", "combined_operating_budget", "2018-19"): "london",
    ("national", "capital_expenditure", "2018-19"): "london",
}
#: Facts that are context, wider than the ROCUs (e.g. all serious and organised crime spending).
FACT_CONTEXT_ONLY = {
    ("national", "soc_total_expenditure", "2015-16"),
    ("national", "pcc_soc_spend_on_forces", "2015-16"),
    ("national", "aris_top_slice_national_asset_recovery", None),
    ("national", "aris_top_slice_national_asset_recovery", "2021-22"),
}


def _flag_facts(f: pd.DataFrame) -> None:
    """Fill ``excludes_rocu_ids`` and ``is_context_only`` from the lists above; each listed fact must exist
    and its notes must say the same thing (a sanity check that the list and the sources agree)."""
    period = [None if pd.isna(x) else x for x in f["period"]]  # NA as None on pandas 2 and 3 alike
    key = list(zip(f["subject"], f["measure"], period))
    f["excludes_rocu_ids"] = [FACT_EXCLUDES.get(k, pd.NA) for k in key]
    f["is_context_only"] = ["true" if k in FACT_CONTEXT_ONLY else pd.NA for k in key]
    for k, ids in FACT_EXCLUDES.items():
        hit = [i for i, kk in enumerate(key) if kk == k]
        if len(hit) != 1 or not all(f"excludes {x}" in str(f.at[hit[0], "notes"]).lower() for x in ids.split(";")):
            raise ValueError(f"FACT_EXCLUDES {k}: expected one fact whose notes say 'excludes {ids}', found {len(hit)}")
    for k in FACT_CONTEXT_ONLY:
        hit = [i for i, kk in enumerate(key) if kk == k]
        if len(hit) != 1 or "not rocu-only" not in str(f.at[hit[0], "notes"]).lower():
            raise ValueError(
                f"FACT_CONTEXT_ONLY {k}: expected one fact whose notes say 'not ROCU-only', found {len(hit)}"
            )


def build_events(reference: Path) -> pd.DataFrame:
    """Events, as published, with a row identifier."""
    e = _read(reference, "events.csv")
    e.insert(0, "event_id", range(1, len(e) + 1))
    return e


def build_inspections(reference: Path) -> pd.DataFrame:
    """Inspection grades; a row with neither a grade nor a source is set aside (Tarian)."""
    g = _read(reference, "inspection_grades.csv")
    empty = g["source_id"].isna()
    for _, row in g[empty].iterrows():
        _set_aside(
            "inspections",
            f"{row['rocu_id']} / {row['inspection']}",
            "no grade, date or source published (kept visible as a gap by the library, not as a row)",
        )
    g = g[~empty].reset_index(drop=True)
    g.insert(0, "inspection_grade_id", range(1, len(g) + 1))
    return g


def build_graded_bodies(forces: pd.DataFrame, inspections: pd.DataFrame) -> pd.DataFrame:
    """Police bodies an inspection may grade: every force, then bodies outside the forces table.

    A force row cites its forces-table sources; a body outside the table (British Transport
    Police) cites the inspection rows that grade it, and has no ``force``.
    """
    rows = [{"body": f, "force": f, "source_ids": s} for f, s in zip(forces["force"], forces["source_ids"])]
    graded = inspections[inspections["force"].notna()]
    for body in sorted(set(graded["force"]) - set(forces["force"])):
        cited = sorted(set(graded.loc[graded["force"] == body, "source_id"]))
        rows.append({"body": body, "force": None, "source_ids": ";".join(cited)})
    return pd.DataFrame(rows, columns=["body", "force", "source_ids"])


def build_capabilities(reference: Path, sources: pd.DataFrame) -> pd.DataFrame:
    """Capability catalogue; a name whose only naming source has no URL is set aside."""
    c = _read(reference, "capability_names.csv").rename(
        columns={"name": "capability", "status": "attestation", "named_by_source_ids": "source_ids"}
    )
    url_ok = set(sources.loc[sources["url"].notna(), "source_id"])
    keep = c["source_ids"].map(lambda s: any(x.strip() in url_ok for x in s.split(";")))
    for _, row in c[~keep].iterrows():
        _set_aside("capabilities", row["capability"], f"only naming source ({row['source_ids']}) has no public URL")
    return c[keep].reset_index(drop=True)[["capability", "aliases", "attestation", "source_ids", "notes"]]


def build_capability_evidence(reference: Path, capabilities: pd.DataFrame) -> pd.DataFrame:
    """Capability evidence; rows that name no ROCU are set aside (they are in events)."""
    e = _read(reference, "capability_evidence.csv")
    bad = e["rocu_id"].isna() | ~e["capability"].isin(capabilities["capability"])
    for _, row in e[bad].iterrows():
        _set_aside(
            "capability_evidence",
            f"{row['capability']} ({row['evidence_date']})",
            "names no ROCU and no catalogued capability (force-level resources); kept as a national event",
        )
    return e[~bad].reset_index(drop=True)


#: Unit attributes of rocu_model_attributes.csv → the capability catalogue (capabilities.csv).
#: One entry per ``has_*`` attribute; the catalogue name is the one capability_evidence uses
#: for the same unit. Surveillance and technical surveillance are read as HMIC's
#: "specialist surveillance"; an undercover unit and undercover-online work as "undercover policing".
MODEL_UNIT_CAPABILITY = {
    "has_regional_asset_recovery_team": "regional asset recovery team",
    "has_regional_cyber_crime_unit": "Regional Cyber Crime Unit",
    "has_prison_intelligence_unit": "regional prison intelligence unit",
    "has_protected_persons_unit": "Regional Protected Persons Unit",
    "has_confidential_or_sensitive_intelligence_unit": "sensitive intelligence unit",
    "has_rocta": "Regional Organised Crime Threat Assessment Unit",
    "has_government_agency_intelligence_network": "Government Agency Intelligence Network (GAIN)",
    "has_undercover_unit": "undercover policing",
    "has_undercover_online": "undercover policing",
    "has_surveillance": "specialist surveillance",
    "has_technical_surveillance": "specialist surveillance",
}


def build_rocu_model_evidence(reference: Path, sources: pd.DataFrame, capabilities: pd.DataFrame) -> pd.DataFrame:
    """Operating-model evidence per ROCU, each ``has_*`` row mapped to the capability catalogue.

    Rows are copied as published (conflicts kept). A row whose only source has no public
    URL is set aside; a unit attribute without a catalogue entry, or a catalogue entry
    missing from ``capabilities``, is an error (the mapping must be complete).
    """
    m = _read(reference, "rocu_model_attributes.csv")
    units = m["attribute"].str.startswith("has_")
    unmapped = sorted(set(m.loc[units, "attribute"]) - set(MODEL_UNIT_CAPABILITY))
    unknown = sorted(set(MODEL_UNIT_CAPABILITY.values()) - set(capabilities["capability"]))
    if unmapped or unknown:
        raise ValueError(
            f"unit attributes without a catalogue entry: {unmapped}; catalogue names not in capabilities: {unknown}"
        )
    m["capability"] = m["attribute"].map(MODEL_UNIT_CAPABILITY)
    no_url = set(sources.loc[sources["url"].isna() & (sources["url_basis"] != "shipped-document"), "source_id"])
    bad = m["source_id"].isin(no_url)
    for _, row in m[bad].iterrows():
        _set_aside(
            "rocu_model_evidence",
            f"{row['rocu_id']} / {row['attribute']} / {row['source_id']}",
            f"only source ({row['source_id']}) has no public URL",
        )
    m = m[~bad].reset_index(drop=True)
    return m[
        [
            "rocu_id",
            "attribute",
            "value",
            "evidence_strength",
            "capability",
            "detail",
            "as_of",
            "source_id",
            "snippet",
            "notes",
        ]
    ]


def build_recommendations(reference: Path) -> pd.DataFrame:
    """HMIC 2015 recommendations, as published."""
    return _read(reference, "recommendations.csv")


def build_recommendation_status(reference: Path) -> pd.DataFrame:
    """Tracker entries, each cited by a source built from its tracker URL."""
    r = _read(reference, "recommendation_status.csv")
    r["source_id"] = r["url"].map(_tracker_source_id)
    return r[["recommendation_id", "force", "rocu_id", "date", "status", "snippet", "source_id", "notes"]]


def empty_table(columns: list[str]) -> pd.DataFrame:
    """An analyst table, bundled with headers only."""
    return pd.DataFrame(columns=columns)
