"""Rebuild every file in ``data/`` from ``../shared/reference`` (see ``make data``)."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd

from rocu_compare.schema import DATA_DIR, read_package

from . import reference as ref
from .descriptor import write_descriptor

#: Where the reference folder sits relative to a checkout (``../shared/reference``).
DEFAULT_REFERENCE = DATA_DIR.parent.parent / "shared" / "reference"


def write_csv(frame: pd.DataFrame, path: Path, columns: list[str]) -> None:
    """Write a table deterministically: schema column order, '\\n' line ends, blanks for NA."""
    frame = frame.reindex(columns=columns)
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for row in frame.itertuples(index=False):
            w.writerow(["" if _isna(v) else _text(v) for v in row])


def _isna(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    return str(v)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def build_all(
    reference: Path = DEFAULT_REFERENCE,
    out: Path = DATA_DIR,
    *,
    workforce=None,
    population=None,
    workforce_vintage: str | None = None,
    population_vintage: str | None = None,
) -> dict:
    """Rebuild all tables, the boundaries, the provenance record and the data log.

    Parameters
    ----------
    reference : path-like
        The reference folder (holds ``sources.csv`` ... and ``raw/``).
    out : path-like
        Output folder; ``datapackage.json`` there is the schema and is not rewritten.
    workforce, population : path-like, optional
        A newer Home Office workforce open data table / ONS mid-year estimate by local
        authority, in its published layout, to extend the officer (new vintage) and
        population (new years) series (see :mod:`etl.refresh`).
    workforce_vintage, population_vintage : str, optional
        Names of the new vintages (default: derived from the last period and checksum).
        Output folder; ``datapackage.json`` is written first from its template
        (:mod:`etl.descriptor`) and gives every table's columns.

    Returns
    -------
    dict
        Row counts per table and the rows set aside, for the caller to print.
    """
    workforce_file, population_file = workforce, population  # the import below rebinds ``population``
    from . import boundaries, crime_severity, officers, population, provenance

    reference, out = Path(reference), Path(out)
    raw = reference / "raw"
    out.mkdir(parents=True, exist_ok=True)
    pkg = read_package(write_descriptor(out))
    ref.SET_ASIDE.clear()

    for name in provenance.RAW_INPUTS:
        p = raw / name if (raw / name).exists() else reference / name
        provenance.check_checksum(p)

    sources = ref.build_sources(reference, provenance.source_rows())
    forces = ref.build_forces(reference)
    capabilities = ref.build_capabilities(reference, sources)
    tables = {
        "sources": sources,
        "rocus": ref.build_rocus(reference),
        "forces": forces,
        "membership": ref.build_membership(reference),
        "facts": ref.build_facts(reference, sources),
        "events": ref.build_events(reference),
        "inspections": ref.build_inspections(reference),
        "capabilities": capabilities,
        "capability_evidence": ref.build_capability_evidence(reference, capabilities),
        "rocu_model_evidence": ref.build_rocu_model_evidence(reference, sources, capabilities),
        "capability_status": ref.empty_table(pkg["capability_status"].columns),
        "rocu_resources": ref.empty_table(pkg["rocu_resources"].columns),
        "recommendations": ref.build_recommendations(reference),
        "recommendation_status": ref.build_recommendation_status(reference),
        "force_officers_fte": officers.build_force_officers_fte(
            raw / "lesscrime_police-workforce-open-data_mar2007-2022_by-force-rank-sex.csv.gz",
            reference / "forces_2026_extract.csv",
            forces,
        ),
        "force_population": population.build_force_population(
            raw / "lesscrime_ons-mye-population-by-lad_mid2001-2020.csv.gz",
            raw / "resistancelab_LAD16_CSP16_PFA16_lookup.csv",
            forces,
        ),
        "force_crime_severity": crime_severity.build_force_crime_severity(
            raw / "lesscrime_ons-crime-severity-by-pfa_ye-mar2003-2022.csv.gz", forces
        ),
    }
    tables["graded_bodies"] = ref.build_graded_bodies(forces, tables["inspections"])
    refreshes = []
    if workforce_file is not None or population_file is not None:
        from . import refresh

        extra = []
        if workforce_file is not None:
            tables["force_officers_fte"], rec = refresh.extend_officers(
                tables["force_officers_fte"], workforce_file, forces, vintage=workforce_vintage
            )
            refreshes.append(rec)
            extra.append(rec.source_row("Police workforce open data table (newer release)", "Home Office"))
        if population_file is not None:
            tables["force_population"], rec = refresh.extend_population(
                tables["force_population"],
                population_file,
                raw / "resistancelab_LAD16_CSP16_PFA16_lookup.csv",
                forces,
                vintage=population_vintage,
            )
            refreshes.append(rec)
            extra.append(
                rec.source_row(
                    "Mid-year population estimates by local authority (newer release)", "Office for National Statistics"
                )
            )
        tables["sources"] = pd.concat([tables["sources"], pd.DataFrame(extra)], ignore_index=True)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, schema in pkg.tables.items():
        write_csv(tables[name], out / f"{name}.csv", schema.columns)
        counts[name] = len(tables[name])

    fc = boundaries.build_force_boundaries(raw / "popm_force_boundaries_ugc.geojson", forces)
    boundaries.write_geojson(fc, out / "force_boundaries.geojson")

    docs = out / "documents"
    docs.mkdir(exist_ok=True)
    shutil.copyfile(reference / "documents" / ref.SWPCC_DOCUMENT, docs / ref.SWPCC_DOCUMENT)

    prov = {
        "note": "Provenance of every input behind data/. Rebuild with `make data`.",
        "reference_tables": {p.name: sha256(p) for p in sorted(reference.glob("*.csv"))},
        "raw_inputs": [rec.as_dict() for rec in provenance.RAW_INPUTS.values()],
        "documents": {ref.SWPCC_DOCUMENT: sha256(reference / "documents" / ref.SWPCC_DOCUMENT)},
        **({"refreshed_releases": [r.as_dict() for r in refreshes]} if refreshes else {}),
        "outputs": {f"{n}.csv": sha256(out / f"{n}.csv") for n in pkg.tables}
        | {"force_boundaries.geojson": sha256(out / "force_boundaries.geojson")},
    }
    (out / "provenance.json").write_text(json.dumps(prov, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (out / "log").mkdir(exist_ok=True)
    (out / "log" / "set_aside.csv").write_text(
        pd.DataFrame(ref.SET_ASIDE, columns=["table", "row", "reason"]).to_csv(index=False, lineterminator="\n"),
        encoding="utf-8",
    )
    return {"counts": counts, "set_aside": list(ref.SET_ASIDE), "refreshes": refreshes}
