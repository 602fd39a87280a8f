"""The metadata registry: ``data/datapackage.json`` read into small typed objects.

The Frictionless Data Package descriptor is the single schema. The loader, the validator,
the Excel template and the data dictionary are all generated from the objects here.
Extensions to the Frictionless vocabulary use the ``rocu:`` prefix:

``rocu:partialDate``  string date as precise as the source (YYYY, YYYY-MM or YYYY-MM-DD)
``rocu:categorical``  loaded as a pandas categorical
``rocu:ordered``      loaded as an ordered categorical with this order (worst first)
``rocu:sourceRef``    ``single`` or ``list``: the field cites ids of the sources table
``rocu:rowRules``     (table) named cross-field rules, described at package level
``rocu:spells``       (table) validity spells that must neither overlap nor leave gaps
``rocu:analystTable`` (table) not public: bundled empty, for analysts to fill
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path


def _data_dir() -> Path:
    """The bundled data folder.

    An installed wheel carries the data as package data (``rocu_compare/data``, copied from
    the top-level ``data/`` when the wheel is built; see ``setup.py``). A checkout, or an
    editable install, reads the top-level ``data/`` itself, the source of truth.
    """
    packaged = files(__package__ or "rocu_compare") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data"


#: Folder of the bundled public dataset.
DATA_DIR = _data_dir()
DESCRIPTOR_PATH = DATA_DIR / "datapackage.json"


@dataclass(frozen=True)
class FieldSpec:
    """One column of a table, as declared in the descriptor."""

    name: str
    type: str
    description: str
    unit: str | None = None
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    partial_date: bool = False
    categorical: bool = False
    ordered: tuple[str, ...] | None = None
    source_ref: str | None = None

    @property
    def pandas_dtype(self) -> str:
        """The pandas dtype the loader gives this column."""
        if self.ordered or self.categorical:
            return "category"
        return {"integer": "Int64", "number": "Float64", "boolean": "boolean", "date": "datetime64[ns]"}.get(
            self.type, "string"
        )


@dataclass(frozen=True)
class ForeignKey:
    fields: str
    resource: str
    reference: str
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSchema:
    """One resource (table) of the package."""

    name: str
    title: str
    description: str
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    row_rules: tuple[str, ...] = ()
    spells: dict | None = None
    analyst_table: bool = False
    built_from: tuple[str, ...] = field(default_factory=tuple)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r}")


def _field(d: dict) -> FieldSpec:
    c = d.get("constraints", {})
    return FieldSpec(
        name=d["name"],
        type=d["type"],
        description=d.get("description", ""),
        unit=d.get("unit"),
        required=bool(c.get("required", False)),
        unique=bool(c.get("unique", False)),
        enum=tuple(c["enum"]) if "enum" in c else None,
        minimum=c.get("minimum"),
        maximum=c.get("maximum"),
        pattern=c.get("pattern"),
        partial_date=bool(d.get("rocu:partialDate", False)),
        categorical=bool(d.get("rocu:categorical", False)),
        ordered=tuple(d["rocu:ordered"]) if "rocu:ordered" in d else None,
        source_ref=d.get("rocu:sourceRef"),
    )


@dataclass(frozen=True)
class Package:
    """The whole descriptor: tables in declaration order plus package-level notes."""

    name: str
    title: str
    description: str
    tables: dict[str, TableSchema]
    row_rules: dict[str, str]
    extra_resources: tuple[dict, ...]
    raw: dict

    def __getitem__(self, name: str) -> TableSchema:
        return self.tables[name]


def read_package(path: Path | str = DESCRIPTOR_PATH) -> Package:
    """Read a Data Package descriptor into a :class:`Package`.

    Parameters
    ----------
    path : path-like
        ``datapackage.json``; defaults to the bundled one.

    Returns
    -------
    Package
    """
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    tables: dict[str, TableSchema] = {}
    extra = []
    for r in raw["resources"]:
        if "schema" not in r:
            extra.append(r)
            continue
        s = r["schema"]
        fks = tuple(
            ForeignKey(
                fk["fields"],
                fk["reference"]["resource"],
                fk["reference"]["fields"],
                tuple(fk.get("rocu:exceptions") or ()),
            )
            for fk in s.get("foreignKeys", [])
        )
        pk = s.get("primaryKey", [])
        tables[r["name"]] = TableSchema(
            name=r["name"],
            title=r.get("title", r["name"]),
            description=r.get("description", ""),
            fields=tuple(_field(f) for f in s["fields"]),
            primary_key=tuple([pk] if isinstance(pk, str) else pk),
            foreign_keys=fks,
            row_rules=tuple(r.get("rocu:rowRules", ())),
            spells=r.get("rocu:spells"),
            analyst_table=bool(r.get("rocu:analystTable", False)),
            built_from=tuple(r.get("rocu:builtFrom", ())),
        )
    return Package(
        raw.get("name", ""),
        raw.get("title", ""),
        raw.get("description", ""),
        tables,
        raw.get("rocu:rowRules", {}),
        tuple(extra),
        raw,
    )


@lru_cache(maxsize=1)
def package() -> Package:
    """The bundled descriptor, read once."""
    return read_package(DESCRIPTOR_PATH)
