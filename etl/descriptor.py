"""Write ``data/datapackage.json`` from its template, with shared field definitions defined once.

The template (``datapackage.template.json`` beside this module) is the descriptor as
maintainers edit it. A field written ``{"$use": "partial_date", "name": ..., "description":
...}`` takes the shared definition in :data:`SHARED_FIELDS` and adds or overrides keys
(``constraints`` are merged; ``"$optional": true`` drops ``required``; ``"$enumExtra"``
appends values to the shared ``enum``). Every table whose ``source_id`` field cites one
source gets a standard foreign key to ``sources.source_id``.

The output is a plain Frictionless Data Package: patterns match whole values (Table Schema
semantics, checked with :func:`re.fullmatch`), and references are standard foreign keys.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

TEMPLATE_PATH = Path(__file__).with_name("datapackage.template.json")

#: The ten ROCUs counted by HMIC in 2015 (rocus.csv order).
ROCU_IDS = ["nersou", "nwrocu", "yhrocu", "emsou", "wmrocu", "ersou", "london", "serocu", "swrocu", "tarian"]

#: A date as precise as the source: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (whole value).
PARTIAL_DATE_PATTERN = r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?"

#: Definitions shared by many fields; ``{description}`` is the field's own description.
SHARED_FIELDS: dict[str, dict] = {
    "partial_date": {
        "type": "string",
        "description": "{description} ISO date, as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD.",
        "constraints": {"pattern": PARTIAL_DATE_PATTERN},
        "rocu:partialDate": True,
    },
    "rocu_id": {
        "name": "rocu_id",
        "type": "string",
        "description": "ROCU identifier (see the rocus table).",
        "constraints": {"required": True, "enum": ROCU_IDS},
        "rocu:categorical": True,
    },
    "force": {
        "name": "force",
        "type": "string",
        "description": "Force name as in the forces table.",
        "constraints": {"required": True},
        "rocu:categorical": True,
    },
    "source_id": {
        "name": "source_id",
        "type": "string",
        "description": "Source of the row (a source_id in the sources table).",
        "constraints": {"required": True},
        "rocu:sourceRef": "single",
    },
    "source_ids": {
        "name": "source_ids",
        "type": "string",
        "description": "Sources of the row: source_ids separated by ';'.",
        "constraints": {"required": True},
        "rocu:sourceRef": "list",
    },
    "snippet": {
        "name": "snippet",
        "type": "string",
        "description": "Verbatim extract (at most about 200 characters) of the supporting text; cuts marked with "
        "\u2026 or [...].",
    },
    "notes": {"name": "notes", "type": "string", "description": "Caveats and context in plain English."},
}

_FIELD_KEY_ORDER = ["name", "type", "format", "description", "unit", "constraints"]


def expand_field(entry: dict) -> dict:
    """One field of the descriptor from a template entry (see the module docstring)."""
    if "$use" not in entry:
        return _ordered(copy.deepcopy(entry))
    base = copy.deepcopy(SHARED_FIELDS[entry["$use"]])
    for key, value in entry.items():
        if key.startswith("$"):
            continue
        if key == "constraints":
            base.setdefault("constraints", {}).update(copy.deepcopy(value))
        elif key == "description" and "{description}" in base.get("description", ""):
            base["description"] = base["description"].format(description=value)
        else:
            base[key] = copy.deepcopy(value)
    if entry.get("$optional"):
        base.get("constraints", {}).pop("required", None)
    if entry.get("$enumExtra"):
        base["constraints"]["enum"] = base["constraints"]["enum"] + list(entry["$enumExtra"])
    if not base.get("constraints"):
        base.pop("constraints", None)
    return _ordered(base)


def _ordered(f: dict) -> dict:
    keys = [k for k in _FIELD_KEY_ORDER if k in f] + [k for k in f if k not in _FIELD_KEY_ORDER]
    return {k: f[k] for k in keys}


def expand_descriptor(template: dict) -> dict:
    """The full Data Package descriptor from the template."""
    out = copy.deepcopy(template)
    for res in out["resources"]:
        schema = res.get("schema")
        if not schema:
            continue
        schema["fields"] = [expand_field(f) for f in schema["fields"]]
        single = [f["name"] for f in schema["fields"] if f.get("rocu:sourceRef") == "single"]
        fks = schema.setdefault("foreignKeys", [])
        for name in single:
            fk = {"fields": name, "reference": {"resource": "sources", "fields": "source_id"}}
            if fk not in fks:
                fks.append(fk)
        if not fks:
            schema.pop("foreignKeys")
    return out


def write_descriptor(out: Path, template: Path = TEMPLATE_PATH) -> Path:
    """Write ``out/datapackage.json`` from the template (deterministic bytes)."""
    desc = expand_descriptor(json.loads(Path(template).read_text(encoding="utf-8")))
    path = Path(out) / "datapackage.json"
    path.write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n")
    return path
